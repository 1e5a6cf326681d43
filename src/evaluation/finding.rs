//! Security findings: the outcome of each check of a security requirement, kept beside the
//! requirement's verdict (`Verdict.findings`), with a stable id (`SEC-3/cookie-flags`), the ZAP
//! passive-rule ids it corresponds to (`reports/security-findings.toml`), and the severity the
//! scenario gave it (`[security.severity]`, like ZAP baseline's rules file).
//!
//! How a severity changes a verdict (stated in every report's notes):
//! - `fail` (the default): the finding counts as judged.
//! - `warn`: a failed finding stays in the reports and in `report.sarif` (level `warning`), but
//!   counts as met for its requirement's status and score; the verdict's message names it.
//! - `ignore`: the finding is left out of the requirement's status and score and out of
//!   `report.sarif`; a requirement whose every finding is ignored is `skipped` (so a mandatory
//!   one makes the evaluation provisional, never conformant).

use std::collections::BTreeMap;
use std::sync::OnceLock;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Status;
use crate::text::Text;

/// The severity a scenario gives a finding.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    /// Counts as judged (the default).
    Fail,
    /// Reported (SARIF level `warning`) but does not fail its requirement.
    Warn,
    /// Left out of the verdict and of `report.sarif`.
    Ignore,
}

impl Severity {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Fail => "fail",
            Severity::Warn => "warn",
            Severity::Ignore => "ignore",
        }
    }
}

/// One `[security.severity]` entry: a finding id (`SEC-2/security-headers`), a ZAP rule id
/// (`10038`) or a requirement id (`SEC-9`), and its severity.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct SeverityRule {
    /// What it applies to, as written.
    pub key: String,
    /// The severity.
    pub severity: Severity,
}

/// The outcome of one check of a security requirement.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Finding {
    /// Stable id: `REQUIREMENT/check-kind` (`#2`, `#3` … for a kind's later checks).
    pub id: String,
    /// The check kind.
    pub check: String,
    /// The check's outcome as judged (before any severity).
    pub status: Status,
    /// What was seen.
    pub observed: Text,
    /// One line.
    pub message: Text,
    /// Pages it was seen on.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub urls: Vec<String>,
    /// The severity configured for it; `None`: `fail`, by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// The `[security.severity]` key that set it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity_key: Option<String>,
}

impl Finding {
    /// The severity in force (`fail` unless configured).
    pub fn effective_severity(&self) -> Severity {
        self.severity.unwrap_or(Severity::Fail)
    }
}

/// What the findings table says about one finding id.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FindingInfo {
    /// The finding id (`SEC-3/cookie-flags`).
    pub id: String,
    /// A short `PascalCase` name (SARIF `name`).
    pub name: String,
    /// What is checked.
    pub title: Text,
    /// ZAP passive (or active) rule ids that report the same weakness.
    #[serde(default)]
    pub zap: Vec<u32>,
    /// Tags (SARIF `properties.tags`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// Where to read more (SARIF `helpUri`).
    #[serde(default)]
    pub help_uri: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Table {
    finding: Vec<FindingInfo>,
}

/// The findings table (`reports/security-findings.toml`, compiled in), by id.
pub fn table() -> &'static BTreeMap<String, FindingInfo> {
    static TABLE: OnceLock<BTreeMap<String, FindingInfo>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // A unit test parses the same text, so a broken table fails the build's tests.
        toml::from_str::<Table>(include_str!("../../reports/security-findings.toml"))
            .map(|t| t.finding.into_iter().map(|f| (f.id.clone(), f)).collect())
            .unwrap_or_default()
    })
}

/// The ZAP rule ids of a finding id (none when the table does not map it).
pub fn zap_ids(finding_id: &str) -> &'static [u32] {
    table()
        .get(base_id(finding_id))
        .map_or(&[], |f| f.zap.as_slice())
}

/// A finding id without its `#N` suffix.
pub fn base_id(finding_id: &str) -> &str {
    finding_id.split('#').next().unwrap_or(finding_id)
}

/// The rule that sets a finding's severity: its own id (with or without `#N`) first, then one
/// of its ZAP ids, then its requirement id.
pub fn rule_for<'a>(
    rules: &'a [SeverityRule],
    finding_id: &str,
    requirement: &str,
) -> Option<&'a SeverityRule> {
    let by = |k: &str| rules.iter().find(|r| r.key == k);
    by(finding_id)
        .or_else(|| by(base_id(finding_id)))
        .or_else(|| zap_ids(finding_id).iter().find_map(|z| by(&z.to_string())))
        .or_else(|| by(requirement))
}

/// Whether a `[security.severity]` key can name something: a finding id of the table, a
/// `REQUIREMENT/kind` id, a ZAP id (digits) or a requirement id.
pub fn plausible_key(key: &str) -> bool {
    let id = |s: &str| {
        !s.is_empty()
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '.'))
    };
    match key.split_once('/') {
        Some((req, kind)) => id(req) && id(base_id(kind)),
        None => id(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(key: &str, severity: Severity) -> SeverityRule {
        SeverityRule {
            key: key.into(),
            severity,
        }
    }

    #[test]
    fn the_table_parses_and_maps_the_cookie_flags_to_zap() {
        let t: Table = toml::from_str(include_str!("../../reports/security-findings.toml"))
            .expect("reports/security-findings.toml");
        assert!(t.finding.len() >= 10);
        assert_eq!(table().len(), t.finding.len(), "ids are unique");
        assert_eq!(zap_ids("SEC-3/cookie-flags"), &[10010, 10011, 10054]);
        assert_eq!(
            zap_ids("SEC-10/mixed-content#2"),
            zap_ids("SEC-10/mixed-content")
        );
        assert!(zap_ids("SEC-99/unknown").is_empty());
        for f in table().values() {
            assert!(plausible_key(&f.id), "{}", f.id);
            assert!(!f.name.contains(' '), "{}", f.name);
        }
    }

    #[test]
    fn a_finding_id_beats_a_zap_id_which_beats_the_requirement() {
        let rules = vec![
            rule("SEC-3", Severity::Ignore),
            rule("10011", Severity::Warn),
            rule("SEC-3/session-renewed", Severity::Fail),
        ];
        let r = |id: &str| rule_for(&rules, id, "SEC-3").map(|r| r.severity);
        assert_eq!(r("SEC-3/cookie-flags"), Some(Severity::Warn));
        assert_eq!(r("SEC-3/session-renewed"), Some(Severity::Fail));
        assert_eq!(r("SEC-3/other"), Some(Severity::Ignore));
        assert_eq!(rule_for(&rules, "SEC-2/security-headers", "SEC-2"), None);
    }

    #[test]
    fn keys_are_ids_not_prose() {
        assert!(plausible_key("SEC-2/security-headers"));
        assert!(plausible_key("10038"));
        assert!(plausible_key("SEC-9"));
        assert!(!plausible_key("SEC 9"));
        assert!(!plausible_key("SEC-2/"));
    }
}

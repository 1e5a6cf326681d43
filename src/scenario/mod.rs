//! Scenarios: what one portal is (URLs, page sample, where each function lives, accounts as
//! environment-variable names, load profile, evidence files).
//!
//! Same two stages as checklists: strict TOML into [`RawScenario`], then [`Scenario::validate`]
//! collecting every problem with <file:line>.

pub mod availability;
mod credentials;
pub mod dns;
pub mod flows;
pub mod load;
mod raw;
pub mod security;
mod validate;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use url::Url;

pub use raw::*;

use crate::error::Error;
use crate::input::Source;

/// The demo scenario, compiled in so `assess --demo` works from any directory.
pub const DEMO: &str = include_str!("../../scenarios/demo.toml");

/// Function names the `[functions]` table may use.
pub const FUNCTIONS: &[&str] = &[
    "home",
    "introduction",
    "catalogue",
    "search",
    "lookup",
    "complaints",
    "rating",
    "statistics",
    "guide",
    "faq",
    "contact",
    "sitemap",
    "login",
    "survey",
    "chatbot",
];

/// Province or ministry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    /// Cấp tỉnh.
    Province,
    /// Cấp bộ.
    Ministry,
    /// A national portal assessed against its operator's own duties (Cổng Dịch vụ công quốc
    /// gia, the National Single Window).
    National,
}

impl OrganisationKind {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Province => "province",
            OrganisationKind::Ministry => "ministry",
            OrganisationKind::National => "national",
        }
    }
}

/// The browser probe's settings (`[browser]`), resolved.
#[derive(Debug, Clone, Serialize)]
pub struct BrowserSettings {
    /// Run the browser probe.
    pub enabled: bool,
    /// Throttling profile of the timed loads.
    pub profile: crate::observation::ThrottlingProfile,
    /// Cold loads per timed page.
    pub runs: u32,
    /// The timed pages.
    pub pages: Vec<Url>,
    /// At most this many HTML pages are rendered.
    pub max_rendered_pages: usize,
    /// Budget of one page load, ms.
    pub page_timeout_ms: u64,
    /// Save screenshots of rendered pages.
    pub screenshots: bool,
}

/// Crawl and fetch limits.
#[derive(Debug, Clone, Serialize)]
pub struct PageLimits {
    /// Most pages fetched.
    pub max_pages: usize,
    /// Deepest link depth followed.
    pub max_depth: u32,
    /// Requests in flight.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout_ms: u64,
    /// Largest body read.
    pub max_page_bytes: usize,
}

/// A validated scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Where it came from.
    pub source: PathBuf,
    /// Portal name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Province or ministry.
    pub organisation_kind: OrganisationKind,
    /// Vendor.
    pub vendor: Option<String>,
    /// Who evaluates the portal (`[portal] evaluator`), shown on the report's cover.
    pub evaluator: Option<String>,
    /// Checklists to apply by default.
    pub checklists: Vec<String>,
    /// HTTPS home page.
    pub base_url: Url,
    /// Plain-HTTP address for the redirect check.
    pub http_url: Url,
    /// Published host name.
    pub public_host: String,
    /// Extra trust roots (PEM).
    #[serde(skip)]
    pub ca_pem: Option<Vec<u8>>,
    /// Sampled pages (absolute).
    pub sample: Vec<Url>,
    /// Procedure-page glob (on the path).
    pub service_pages: Option<String>,
    /// Excluded path globs.
    pub exclude: Vec<String>,
    /// Limits.
    pub limits: PageLimits,
    /// Function name → URL.
    pub functions: BTreeMap<String, Url>,
    /// Extra EMC tracker hosts.
    pub emc_tracker_hosts: Vec<String>,
    /// Expected EMC site id.
    pub emc_site_id: Option<String>,
    /// Name of the EMC embed's command queue (`_govaq`).
    pub emc_queue: String,
    /// The browser probe's settings.
    pub browser: BrowserSettings,
    /// Evidence files by requirement id (resolved paths).
    pub evidence: BTreeMap<String, PathBuf>,
    /// Attestations by requirement id.
    pub attestations: BTreeMap<String, RawAttestation>,
    /// Search probe settings.
    pub search: RawSearch,
    /// Lookup probe settings.
    pub lookup: RawLookup,
    /// The DVCQG catalogue export, parsed.
    pub catalogue_export: Option<crate::observation::CatalogueExport>,
    /// The DVCQG status endpoint.
    pub status_url: Option<Url>,
    /// Delegated functions: function → DVCQG URL.
    pub delegated: BTreeMap<String, Url>,
    /// The SSO entry link.
    pub sso_entry: Option<Url>,
    /// Extra identity-provider hosts.
    pub sso_idp_hosts: Vec<String>,
    /// Extra payment-platform hosts (PL1-3.6).
    pub payment_hosts: Vec<String>,
    /// Declared citizen journeys.
    pub flows: Vec<flows::Flow>,
    /// The load profile (`[load]`), when the scenario has one.
    pub load: Option<load::LoadSettings>,
    /// The availability monitor's store, period and planned suspensions (`[availability]`;
    /// boxed: `assess`'s futures hold the scenario).
    pub availability: Option<Box<availability::AvailabilitySettings>>,
    /// Threshold overrides: (id, key, value, line).
    pub overrides: Vec<ScenarioOverride>,
    /// The environment variables holding the `[accounts]` credentials (names, never values):
    /// their values are redacted from every output ([`crate::redact`]).
    pub account_vars: Vec<String>,
    /// `[dns]`: the DNS probe's resolver and trust anchor (PL8-2); boxed, as the scenario is
    /// held across awaits.
    pub dns: Box<dns::DnsSettings>,
    /// `[security]`: finding severities and the active checks' settings.
    pub security: security::SecuritySettings,
}

/// One `[overrides]` entry.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOverride {
    /// Requirement id.
    pub id: String,
    /// Check key (`max-ms`) or `weight` / `mandatory`.
    pub key: String,
    /// New value.
    pub value: serde_json::Value,
    /// Line in the scenario.
    pub line: usize,
}

impl Scenario {
    /// Loads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Self::from_source(&Source::read(path)?)
    }

    /// Parses and validates a loaded source. Every problem of the file is reported at once:
    /// the structural ones (unknown keys, wrong types, values out of a type's range, missing
    /// keys) and the semantic ones of what is left, sorted by line.
    pub fn from_source(source: &Source) -> Result<Self, Error> {
        let (raw, mut structural) = source.parse_collecting::<RawScenario>("scenario")?;
        // Credentials in any URL are reported at their key; no other message may repeat them.
        let (credentials, secrets) = credentials::scan(source);
        structural.extend(credentials);
        let structural = credentials::without_secrets(structural, &secrets);
        let Some(raw) = raw else {
            return Err(source.invalid("scenario", structural));
        };
        match source.merge("scenario", structural, Self::validate(raw, source)) {
            Err(Error::Invalid { what, problems, .. }) => {
                Err(source.invalid(what, credentials::without_secrets(problems, &secrets)))
            }
            r => r,
        }
    }

    /// A short file-system-safe name for output directories (`lam-son`, `demo`).
    pub fn slug(&self) -> String {
        let stem = self
            .source
            .file_stem()
            .map_or_else(|| "portal".into(), |s| s.to_string_lossy().to_string());
        let slug: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        slug.trim_matches('-').to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn src(text: &str) -> Source {
        Source {
            path: "s.toml".into(),
            text: text.into(),
        }
    }

    pub(crate) const OK: &str = "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"https://dvc.example.gov.vn/\"\n";

    #[test]
    fn minimal_scenario_gets_defaults() {
        let s = Scenario::from_source(&src(OK)).unwrap();
        assert_eq!(s.http_url.as_str(), "http://dvc.example.gov.vn/");
        assert_eq!(s.sample.len(), 1);
        assert_eq!(s.limits.max_pages, 200);
    }

    #[test]
    fn bad_url_names_line_and_key() {
        let text = OK.replace("https://dvc.example.gov.vn/", "not a url");
        let msg = Scenario::from_source(&src(&text)).unwrap_err().to_string();
        assert!(msg.contains("s.toml:5:12: key `portal.base-url`"), "{msg}");
    }

    #[test]
    fn wrong_type_names_line_and_key() {
        let text = format!("{OK}[pages]\nmax-pages = \"many\"\n");
        let err = Scenario::from_source(&src(&text)).unwrap_err();
        let msg = err.to_string();
        assert!(err.is_input());
        assert!(
            msg.contains("s.toml:7") && msg.contains("max-pages"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_function_and_foreign_host_are_both_reported() {
        let text = format!(
            "{OK}[functions]\ncatalog = \"/thu-tuc/\"\nsearch = \"https://evil.example.com/\"\n"
        );
        let Error::Invalid { problems, .. } = Scenario::from_source(&src(&text)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0].message.contains("did you mean `catalogue`?"),
            "{problems:?}"
        );
    }

    #[test]
    fn every_broken_line_of_the_demo_scenario_is_reported_at_a_line() {
        // Each line removed, or its value made a negative number: no panic, and each problem
        // has a line (the stage that left keys out or filled them in kept its coordinates).
        let lines: Vec<&str> = DEMO.lines().collect();
        let mut broken = 0;
        for i in 0..lines.len() {
            let Some((key, _)) = lines[i].split_once(" = ") else {
                continue;
            };
            for replacement in [String::new(), format!("{key} = -1")] {
                let mut text = lines.clone();
                text[i] = &replacement;
                let text = text.join("\n");
                let Err(e) = Scenario::from_source(&src(&text)) else {
                    continue;
                };
                let Error::Invalid { problems, .. } = e else {
                    panic!("line {i}: {e}");
                };
                broken += 1;
                assert!(!problems.is_empty());
                for p in &problems {
                    assert!(p.line.is_some() || p.key.is_some(), "line {i}: {p}");
                }
                let sorted = problems.windows(2).all(|w| {
                    w[1].line.is_none() || (w[0].line.is_some() && w[0].line <= w[1].line)
                });
                assert!(sorted, "line {i}: {problems:?}");
            }
        }
        assert!(broken > 20, "the mutations were seen ({broken})");
    }

    #[test]
    fn damaged_scenarios_never_panic_and_stay_input_errors() {
        // Characters deleted or doubled every few bytes of the demo scenario: each result is a
        // scenario or an input error, never a panic or another kind of error.
        let mut seen = 0;
        for (i, _) in DEMO.char_indices().step_by(29) {
            let next = DEMO[i..].chars().next().map_or(0, char::len_utf8);
            for text in [
                format!("{}{}", &DEMO[..i], &DEMO[i + next..]),
                format!("{}{}", &DEMO[..i + next], &DEMO[i..]),
            ] {
                if let Err(e) = Scenario::from_source(&src(&text)) {
                    assert!(e.is_input(), "{e}");
                    seen += 1;
                }
            }
        }
        assert!(seen > 10, "{seen}");
    }

    #[test]
    fn missing_evidence_file_is_an_input_error() {
        let text = format!("{OK}[evidence]\n\"PL2-1\" = \"does-not-exist.pdf\"\n");
        let msg = Scenario::from_source(&src(&text)).unwrap_err().to_string();
        assert!(
            msg.contains("evidence.PL2-1") && msg.contains("does-not-exist.pdf"),
            "{msg}"
        );
    }
}

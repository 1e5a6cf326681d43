//! Checklists: one regulation edition as data (requirement ids, thresholds, weights).
//!
//! Loading is two-staged: strict TOML into [`RawChecklist`], then [`Checklist::validate`]
//! collects every semantic problem (duplicate ids, bad thresholds, bad patterns) in one pass.

pub mod check;
pub mod coverage;
pub mod overrides;
mod raw;
pub mod threshold;
mod validate;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use check::Check;
pub use raw::{RawAmend, RawChecklist, RawRequirement};
pub use threshold::Threshold;

use crate::error::Error;
use crate::input::{Source, did_you_mean};
use crate::text::Text;

/// The checklists shipped with kiemdinh, compiled into the binary: (edition id, TOML text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("tt21-2023", include_str!("../../checklists/tt21-2023.toml")),
    (
        "qd31-2021-dvcqg",
        include_str!("../../checklists/qd31-2021-dvcqg.toml"),
    ),
    ("nsw", include_str!("../../checklists/nsw.toml")),
];

/// Requirement id → the shipped edition that defines it (parsed once). A scenario may name ids
/// of any shipped checklist even when a run selects fewer.
pub static SHIPPED_EDITION_BY_ID: std::sync::LazyLock<BTreeMap<String, String>> =
    std::sync::LazyLock::new(|| {
        SHIPPED
            .iter()
            .filter_map(|(e, _)| Checklist::resolve(e).ok())
            .flat_map(|c| {
                let edition = c.edition;
                c.requirements
                    .into_iter()
                    .map(move |r| (r.id.0, edition.clone()))
            })
            .collect()
    });

/// Checklists applied when neither `--checklist` nor the scenario names any.
pub const DEFAULT: &[&str] = &["tt21-2023", "qd31-2021-dvcqg"];

/// A stable requirement id (`PL3-2`, `SEC-1`): a contract with reports, rankings and CI gates.
#[derive(
    Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(transparent)]
pub struct RequirementId(pub String);

impl fmt::Display for RequirementId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl RequirementId {
    /// The id as a string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether the id has the documented shape: uppercase letters/digits, a dash, then
    /// digits with optional `.n` parts (`PL1-2.1`, `SEC-11`, `D4-3`).
    pub fn is_well_formed(s: &str) -> bool {
        let Some((head, tail)) = s.split_once('-') else {
            return false;
        };
        !head.is_empty()
            && head
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
            && head.starts_with(|c: char| c.is_ascii_uppercase())
            && !tail.is_empty()
            && tail
                .split('.')
                .all(|p| !p.is_empty() && p.chars().all(|c| c.is_ascii_digit()))
    }

    /// Sort key that orders `PL1-2.1` after `PL1-2` and `PL1-10` after `PL1-9`.
    pub fn sort_key(&self) -> (String, Vec<u32>) {
        let (head, tail) = self.0.split_once('-').unwrap_or((&self.0, ""));
        (
            head.to_string(),
            tail.split('.')
                .map(|p| p.parse().unwrap_or(u32::MAX))
                .collect(),
        )
    }
}

/// How sure we are of a requirement's wording and thresholds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Provenance {
    /// Verified legal text.
    Primary,
    /// Draft wording.
    Draft,
    /// A legal-news summary.
    Secondary,
    /// Rebuilt from a predecessor text or procurement practice.
    Inferred,
    /// A sensible default chosen by kiemdinh; the evaluator should review it.
    Placeholder,
}

impl Provenance {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Primary => "primary",
            Provenance::Draft => "draft",
            Provenance::Secondary => "secondary",
            Provenance::Inferred => "inferred",
            Provenance::Placeholder => "placeholder",
        }
    }

    /// Label in both languages (the Vietnamese report translates provenance).
    pub fn label(self) -> Text {
        match self {
            Provenance::Primary => Text::new("văn bản chính thức", "primary"),
            Provenance::Draft => Text::new("dự thảo", "draft"),
            Provenance::Secondary => Text::new("nguồn thứ cấp", "secondary"),
            Provenance::Inferred => Text::new("suy luận", "inferred"),
            Provenance::Placeholder => Text::new("giá trị tạm", "placeholder"),
        }
    }

    /// Whether reports flag the requirement as not taken from a verified text.
    pub fn is_uncertain(self) -> bool {
        matches!(self, Provenance::Inferred | Provenance::Placeholder)
    }
}

/// Requirement category (used for `--only`/`--skip` and the per-category table).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// Functions (PL I, PL II).
    Functions,
    /// Layout (PL III).
    Layout,
    /// Page-load and system performance (PL IV, PL V).
    Performance,
    /// Information security (Điều 8).
    Security,
    /// EMC monitoring (Điều 9, PL VI–VII).
    Emc,
    /// Integration with national systems.
    Integration,
    /// Everything else (PL VIII).
    Other,
}

impl Category {
    /// Every category, in report order.
    pub const ALL: [Category; 7] = [
        Category::Functions,
        Category::Layout,
        Category::Performance,
        Category::Security,
        Category::Emc,
        Category::Integration,
        Category::Other,
    ];

    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Functions => "functions",
            Category::Layout => "layout",
            Category::Performance => "performance",
            Category::Security => "security",
            Category::Emc => "emc",
            Category::Integration => "integration",
            Category::Other => "other",
        }
    }

    /// Parses a kebab-case name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == s)
    }

    /// Title in both languages.
    pub fn title(self) -> Text {
        match self {
            Category::Functions => Text::new("Chức năng", "Functions"),
            Category::Layout => Text::new("Bố cục giao diện", "Layout"),
            Category::Performance => Text::new("Hiệu năng", "Performance"),
            Category::Security => Text::new("An toàn thông tin", "Security"),
            Category::Emc => Text::new("Kết nối EMC", "EMC monitoring"),
            Category::Integration => Text::new("Kết nối, tích hợp", "Integration"),
            Category::Other => Text::new("Yêu cầu khác", "Other"),
        }
    }
}

/// How a requirement is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Method {
    /// Plain HTTP/TLS/DNS observation.
    Http,
    /// A real browser.
    Browser,
    /// A load test.
    Load,
    /// A file supplied by the evaluator.
    Evidence,
    /// A statement signed by the system owner.
    Attest,
}

/// A validated requirement.
#[derive(Debug, Clone, Serialize)]
pub struct Requirement {
    /// Stable id.
    pub id: RequirementId,
    /// Title.
    pub title: Text,
    /// Legal basis.
    pub basis: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Category.
    pub category: Category,
    /// Weight in the score.
    pub weight: f64,
    /// Whether failing it makes the portal non-conformant.
    pub mandatory: bool,
    /// Methods.
    pub method: Vec<Method>,
    /// Checks.
    pub checks: Vec<Check>,
    /// Provenance of individual thresholds, where it differs from the requirement's.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub threshold_provenance: BTreeMap<String, Provenance>,
    /// Kinds of system it applies to (empty = all).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub applies_to: Vec<String>,
    /// What the vendor changes to meet it (the report's action list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Text>,
}

/// The organisation kinds a requirement's `applies-to` may name (the scenario's
/// `organisation-kind` values).
pub const ORGANISATION_KINDS: &[&str] = &["province", "ministry", "national"];

impl Requirement {
    /// Whether `--only`/`--skip` (ids or categories) select the requirement.
    pub fn selected(&self, only: &[String], skip: &[String]) -> bool {
        let hit = |f: &String| f == self.id.as_str() || f == self.category.as_str();
        (only.is_empty() || only.iter().any(hit)) && !skip.iter().any(hit)
    }

    /// Whether the requirement applies to a system of this organisation kind.
    pub fn applies_to_kind(&self, kind: &str) -> bool {
        self.applies_to.is_empty() || self.applies_to.iter().any(|k| k == kind)
    }
}

/// A validated checklist (one regulation edition).
#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    /// Edition id.
    pub edition: String,
    /// Title.
    pub title: Text,
    /// Legal basis.
    pub basis: String,
    /// Methodology notes.
    pub notes: Option<Text>,
    /// Where it was loaded from.
    pub source: PathBuf,
    /// The edition it amends, if any.
    pub extends: Option<String>,
    /// Ids retired by this edition or an edition it extends.
    pub retired: Vec<RequirementId>,
    /// Active (not retired) requirements, in file order (inherited first).
    pub requirements: Vec<Requirement>,
}

impl Checklist {
    /// Loads and validates a checklist file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Self::from_source(&Source::read(path)?)
    }

    /// Loads a shipped checklist by edition id, or a file when `spec` is a path.
    pub fn resolve(spec: &str) -> Result<Self, Error> {
        if let Some((_, text)) = SHIPPED.iter().find(|(id, _)| *id == spec) {
            return Self::from_source(&Source {
                path: PathBuf::from(format!("checklists/{spec}.toml")),
                text: (*text).to_string(),
            });
        }
        let path = Path::new(spec);
        if path.exists() {
            return Self::load(path);
        }
        let ids = SHIPPED.iter().map(|(id, _)| *id);
        Err(Error::Usage(match did_you_mean(spec, ids) {
            Some(s) => format!("unknown checklist `{spec}`, did you mean `{s}`?"),
            None => format!(
                "unknown checklist `{spec}`: not a shipped edition ({}) nor an existing file",
                SHIPPED
                    .iter()
                    .map(|(id, _)| format!("`{id}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        }))
    }

    /// Parses and validates a loaded source (and the edition it extends).
    pub fn from_source(source: &Source) -> Result<Self, Error> {
        Self::from_source_depth(source, 0)
    }

    /// A requirement by id.
    pub fn get(&self, id: &str) -> Option<&Requirement> {
        self.requirements.iter().find(|r| r.id.as_str() == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            path: "t.toml".into(),
            text: text.into(),
        }
    }

    const HEAD: &str = "edition = \"t\"\ntitle = { vi = \"a\", en = \"b\" }\nbasis = \"x\"\n";
    const REQ: &str = "[[requirement]]\nid = \"PL3-2\"\ntitle = { vi = \"a\", en = \"b\" }\nbasis = \"x\"\nprovenance = \"draft\"\ncategory = \"layout\"\nweight = 1\nmandatory = true\nmethod = [\"http\"]\nchecks = [{ kind = \"region-consistent\", region = \"header\" }]\n";

    #[test]
    fn shipped_checklists_are_valid() {
        for (id, _) in SHIPPED {
            let c = Checklist::resolve(id).unwrap();
            assert_eq!(c.edition, *id);
        }
    }

    #[test]
    fn a_remedy_is_bilingual_and_strictly_parsed() {
        let with =
            |remedy: &str| Checklist::from_source(&src(&format!("{HEAD}{REQ}remedy = {remedy}\n")));
        let c = with(r#"{ vi = "sửa", en = "fix" }"#).unwrap();
        assert_eq!(c.requirements[0].remedy, Some(Text::new("sửa", "fix")));
        for bad in [
            r#""fix""#,
            r#"{ vi = "sửa" }"#,
            r#"{ vi = "a", en = "b", fr = "c" }"#,
        ] {
            assert!(with(bad).is_err(), "{bad} accepted");
        }
        let c = Checklist::from_source(&src(&format!("{HEAD}{REQ}"))).unwrap();
        assert_eq!(c.requirements[0].remedy, None);
    }

    #[test]
    fn duplicate_ids_are_reported_with_both_lines() {
        let err = Checklist::from_source(&src(&format!("{HEAD}{REQ}{REQ}"))).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(
                "t.toml:15:6: key `requirement[1].id`: duplicate requirement id `PL3-2` (first defined on line 5)"
            ),
            "{msg}"
        );
    }

    #[test]
    fn unknown_check_kind_suggests_the_right_one() {
        let text = format!(
            "{HEAD}{}",
            REQ.replace("region-consistent", "region-consistant")
        );
        let msg = Checklist::from_source(&src(&text)).unwrap_err().to_string();
        assert!(msg.contains("did you mean `region-consistent`?"), "{msg}");
        assert!(msg.contains("t.toml:13"), "{msg}");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let text = format!(
            "{HEAD}{}",
            REQ.replace("basis = \"x\"\nprov", "basic = \"x\"\nprov")
        );
        let msg = Checklist::from_source(&src(&text)).unwrap_err().to_string();
        assert!(
            msg.contains(
                "t.toml:7:1: key `requirement[0].basic`: unknown key `basic`, did you mean `basis`?"
            ),
            "{msg}"
        );
        assert!(
            !msg.contains("missing"),
            "a misspelt key is not missing too: {msg}"
        );
    }

    #[test]
    fn several_problems_are_collected_in_one_pass() {
        let text = format!(
            "{HEAD}{}",
            REQ.replace("weight = 1", "weight = -2")
                .replace("PL3-2", "pl3")
        );
        let Error::Invalid { problems, .. } = Checklist::from_source(&src(&text)).unwrap_err()
        else {
            panic!("expected invalid")
        };
        assert_eq!(problems.len(), 2, "{problems:?}");
    }

    #[test]
    fn ids_sort_numerically() {
        let mut ids = ["PL1-10", "PL1-2.1", "PL1-2", "PL1-9"].map(|s| RequirementId(s.into()));
        ids.sort_by_key(RequirementId::sort_key);
        assert_eq!(ids.map(|i| i.0).join(" "), "PL1-2 PL1-2.1 PL1-9 PL1-10");
    }
}

//! Checklists: one regulation edition as data (requirement ids, thresholds, weights).
//!
//! Loading is two-staged: strict TOML into [`RawChecklist`], then [`Checklist::validate`]
//! collects every semantic problem (duplicate ids, bad thresholds, bad patterns) in one pass.

pub mod check;
pub mod coverage;
pub mod overrides;

use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

pub use check::Check;

use crate::error::{Error, Problem};
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

/// A checklist file as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawChecklist {
    /// Edition id (`tt21-2023`): what `--checklist ID` selects.
    #[schemars(with = "String")]
    pub edition: Spanned<String>,
    /// Title of the regulation.
    pub title: Text,
    /// The legal text this edition encodes.
    pub basis: String,
    /// Notes shown in the methodology section.
    #[serde(default)]
    pub notes: Option<Text>,
    /// The edition this one amends (a shipped edition id or a file relative to this one). Its
    /// requirements are inherited; `[[amend]]` changes some fields of one, `retire` drops ids,
    /// and `[[requirement]]` adds new ids (ids are never reused).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub extends: Option<Spanned<String>>,
    /// Inherited ids that this edition no longer judges.
    #[serde(default)]
    #[schemars(with = "Vec<String>")]
    pub retire: Vec<Spanned<String>>,
    /// Changes to inherited requirements.
    #[serde(default, rename = "amend")]
    pub amendments: Vec<RawAmend>,
    /// Requirements, as `[[requirement]]` tables.
    #[serde(default, rename = "requirement")]
    pub requirements: Vec<RawRequirement>,
}

/// One `[[amend]]` table: the fields given replace the inherited requirement's.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAmend {
    /// Id of the inherited requirement.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// New title.
    #[serde(default)]
    pub title: Option<Text>,
    /// New legal basis.
    #[serde(default)]
    pub basis: Option<String>,
    /// New provenance.
    #[serde(default)]
    pub provenance: Option<Provenance>,
    /// New category.
    #[serde(default)]
    pub category: Option<Category>,
    /// New weight.
    #[serde(default)]
    pub weight: Option<f64>,
    /// New mandatory flag.
    #[serde(default)]
    pub mandatory: Option<bool>,
    /// New methods.
    #[serde(default)]
    pub method: Option<Vec<Method>>,
    /// New checks (replace all inherited checks).
    #[serde(default)]
    pub checks: Option<Vec<Check>>,
}

/// One `[[requirement]]` table as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawRequirement {
    /// Stable id.
    #[schemars(with = "String")]
    pub id: Spanned<String>,
    /// Title in both languages.
    pub title: Text,
    /// Article / appendix the requirement comes from.
    pub basis: String,
    /// How sure we are of its wording and thresholds.
    pub provenance: Provenance,
    /// Category.
    pub category: Category,
    /// Weight in the score (positive).
    #[schemars(with = "f64")]
    pub weight: Spanned<f64>,
    /// Whether failing it makes the portal non-conformant.
    pub mandatory: bool,
    /// How it is checked.
    pub method: Vec<Method>,
    /// Checks, all of which must pass.
    #[serde(default)]
    pub checks: Vec<Check>,
    /// Retired ids stay in the file but are not judged.
    #[serde(default)]
    pub retired: bool,
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

    fn from_source_depth(source: &Source, depth: usize) -> Result<Self, Error> {
        let raw: RawChecklist = source.parse("checklist")?;
        let parent = match &raw.extends {
            None => None,
            Some(spec) if depth >= 8 => {
                return Err(Error::Invalid {
                    what: "checklist",
                    file: source.path.clone(),
                    problems: vec![source.problem_at(
                        Some(spec.span()),
                        Some("extends".into()),
                        "more than 8 editions extend each other (a cycle?)",
                    )],
                });
            }
            Some(spec) => {
                let name = spec.get_ref();
                let parent_source =
                    if let Some((id, text)) = SHIPPED.iter().find(|(id, _)| id == name) {
                        Source {
                            path: PathBuf::from(format!("checklists/{id}.toml")),
                            text: (*text).to_string(),
                        }
                    } else {
                        let path = crate::input::relative_to(&source.path, name);
                        Source::read(&path).map_err(|_| Error::Invalid {
                            what: "checklist",
                            file: source.path.clone(),
                            problems: vec![source.problem_at(
                            Some(spec.span()),
                            Some("extends".into()),
                            format!(
                                "`{name}` is neither a shipped edition nor a readable file (`{}`)",
                                path.display()
                            ),
                        )],
                        })?
                    };
                Some(Self::from_source_depth(&parent_source, depth + 1)?)
            }
        };
        Self::validate_with(raw, source, parent)
    }

    /// Second stage: every semantic problem, in one pass.
    pub fn validate(raw: RawChecklist, source: &Source) -> Result<Self, Error> {
        Self::validate_with(raw, source, None)
    }

    /// Second stage for an edition that may extend `parent`.
    #[allow(clippy::needless_pass_by_value)]
    pub fn validate_with(
        raw: RawChecklist,
        source: &Source,
        parent: Option<Checklist>,
    ) -> Result<Self, Error> {
        let mut problems: Vec<Problem> = Vec::new();
        let (mut requirements, mut retired) = match &parent {
            Some(p) => (p.requirements.clone(), p.retired.clone()),
            None => (Vec::new(), Vec::new()),
        };
        if parent.is_none() && (!raw.amendments.is_empty() || !raw.retire.is_empty()) {
            problems.push(source.problem_at(
                None,
                Some("extends".into()),
                "`amend` and `retire` need `extends = \"<edition>\"`",
            ));
        }
        for id in &raw.retire {
            match requirements
                .iter()
                .position(|r| r.id.as_str() == id.get_ref())
            {
                Some(i) => {
                    retired.push(requirements.remove(i).id);
                }
                None => problems.push(source.problem_at(
                    Some(id.span()),
                    Some("retire".into()),
                    format!(
                        "`{}` is not a requirement of the extended edition",
                        id.get_ref()
                    ),
                )),
            }
        }
        for a in &raw.amendments {
            let id = a.id.get_ref();
            let Some(r) = requirements.iter_mut().find(|r| r.id.as_str() == id) else {
                let ids = requirements.iter().map(|r| r.id.as_str());
                let hint = did_you_mean(id, ids)
                    .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
                problems.push(source.problem_at(
                    Some(a.id.span()),
                    Some("amend.id".into()),
                    format!("`{id}` is not an active requirement of the extended edition{hint}"),
                ));
                continue;
            };
            let key = format!("amend.{id}");
            if let Some(t) = &a.title {
                r.title = t.clone();
            }
            if let Some(b) = &a.basis {
                r.basis.clone_from(b);
            }
            if let Some(p) = a.provenance {
                r.provenance = p;
            }
            if let Some(c) = a.category {
                r.category = c;
            }
            if let Some(w) = a.weight {
                if w.is_finite() && w > 0.0 {
                    r.weight = w;
                } else {
                    problems.push(source.problem_at(
                        Some(a.id.span()),
                        Some(format!("{key}.weight")),
                        format!("weight must be positive, got `{w}`"),
                    ));
                }
            }
            if let Some(m) = a.mandatory {
                r.mandatory = m;
            }
            if let Some(m) = &a.method {
                r.method.clone_from(m);
            }
            if let Some(c) = &a.checks {
                for (i, check) in c.iter().enumerate() {
                    for m in check.problems() {
                        problems.push(source.problem_at(
                            Some(a.id.span()),
                            Some(format!("{key}.checks[{i}]")),
                            m,
                        ));
                    }
                }
                r.checks.clone_from(c);
            }
        }
        let edition = raw.edition.get_ref().clone();
        if edition.is_empty()
            || !edition
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            problems.push(source.problem_at(
                Some(raw.edition.span()),
                Some("edition".into()),
                format!(
                    "edition id `{edition}` must be kebab-case (lowercase letters, digits, `-`)"
                ),
            ));
        }
        let mut seen: BTreeMap<String, usize> = BTreeMap::new();
        for r in raw.requirements {
            let id = r.id.get_ref().clone();
            let span = r.id.span();
            let key = format!("requirement.{id}");
            if !RequirementId::is_well_formed(&id) {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some("id".into()),
                    format!("requirement id `{id}` is not of the form `PL3-2`, `SEC-1`, `PL1-2.1`"),
                ));
            }
            if requirements.iter().any(|q| q.id.as_str() == id)
                || retired.iter().any(|q| q.as_str() == id)
            {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some("id".into()),
                    format!(
                        "`{id}` is already defined by the extended edition: change it with `[[amend]]`, never reuse an id"
                    ),
                ));
            }
            if let Some(first) = seen.get(&id) {
                let (line, _) = source.line_col(*first);
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some("id".into()),
                    format!("duplicate requirement id `{id}` (first defined on line {line})"),
                ));
            } else {
                seen.insert(id.clone(), span.start);
            }
            let weight = *r.weight.get_ref();
            if !(weight.is_finite() && weight > 0.0) {
                problems.push(source.problem_at(
                    Some(r.weight.span()),
                    Some(format!("{key}.weight")),
                    format!("weight must be positive, got `{weight}`"),
                ));
            }
            if r.method.is_empty() {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.method")),
                    "`method` must not be empty",
                ));
            }
            if r.checks.is_empty() && !r.retired {
                problems.push(source.problem_at(
                    Some(span.clone()),
                    Some(format!("{key}.checks")),
                    "a requirement needs at least one check (use `kind = \"evidence\"` for what no probe can see)",
                ));
            }
            for (i, c) in r.checks.iter().enumerate() {
                for m in c.problems() {
                    problems.push(source.problem_at(
                        Some(span.clone()),
                        Some(format!("{key}.checks[{i}]")),
                        m,
                    ));
                }
            }
            if r.retired {
                retired.push(RequirementId(id));
                continue;
            }
            requirements.push(Requirement {
                id: RequirementId(id),
                title: r.title,
                basis: r.basis,
                provenance: r.provenance,
                category: r.category,
                weight,
                mandatory: r.mandatory,
                method: r.method,
                checks: r.checks,
            });
        }
        if requirements.is_empty() && problems.is_empty() {
            problems.push(source.problem_at(
                None,
                Some("requirement".into()),
                "the checklist has no active requirement",
            ));
        }
        if !problems.is_empty() {
            return Err(Error::Invalid {
                what: "checklist",
                file: source.path.clone(),
                problems,
            });
        }
        Ok(Checklist {
            edition,
            title: raw.title,
            basis: raw.basis,
            notes: raw.notes,
            source: source.path.clone(),
            extends: parent.map(|p| p.edition),
            retired,
            requirements,
        })
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
    fn duplicate_ids_are_reported_with_both_lines() {
        let err = Checklist::from_source(&src(&format!("{HEAD}{REQ}{REQ}"))).unwrap_err();
        let msg = err.to_string();
        assert!(
            msg.contains(
                "t.toml:15:6: key `id`: duplicate requirement id `PL3-2` (first defined on line 5)"
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
            msg.contains("t.toml:7:1: key `basic`: unknown key `basic`, did you mean `basis`?"),
            "{msg}"
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

//! Checklist files as written: strict serde types with spans, validated by `validate`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::Deserialize;
use toml::Spanned;

use super::check::Check;
use super::{Category, Method, Provenance};
use crate::text::Text;

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
    /// New threshold provenance table (replaces the inherited one).
    #[serde(default)]
    pub threshold_provenance: Option<BTreeMap<String, Provenance>>,
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
    /// Provenance of individual thresholds (`{ min-services = "placeholder" }`) when it differs
    /// from the requirement's: a number that no legal text gives is a placeholder even in a
    /// requirement whose wording is primary.
    #[serde(default)]
    pub threshold_provenance: BTreeMap<String, Provenance>,
    /// Kinds of system the requirement applies to (`province`, `ministry`, `national`);
    /// empty = every kind. Elsewhere it is judged `not-applicable` (DVCQG-5 is a duty of the
    /// DVCQG operator, not of a ministry or province system).
    #[serde(default)]
    pub applies_to: Vec<String>,
    /// Retired ids stay in the file but are not judged.
    #[serde(default)]
    pub retired: bool,
    /// What the vendor changes to meet it, in both languages (the report's action list; a
    /// generic text is shown when absent).
    #[serde(default)]
    pub remedy: Option<Text>,
}

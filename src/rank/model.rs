//! `ranking.json`: the annual ranking as data. [`Ranking`] is what `kiemdinh rank` computes
//! ([`super::compute`]) and every ranking output (JSON, CSV, HTML, PDF) is rendered from.
//!
//! The contract fields (DESIGN.md) are `year`, `entries[]` with `portal`, `organisation`,
//! `organisation_kind`, `vendor`, `score`, `rank`, `tier`, `excluded`, `delta`, and `vendors[]`
//! with `vendor`, `deployments`, `mean`, `spread`, `rank`; the rest is added around them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::checklist::{Category, Provenance};
use crate::evaluation::{Conformance, RankingPolicy};
use crate::text::Text;

/// Version of `ranking.json`.
pub const RANKING_VERSION: u32 = 1;

/// The ranking of one year's evaluations.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Ranking {
    /// Format version ([`RANKING_VERSION`]).
    pub schema_version: u32,
    /// kiemdinh version that ranked.
    pub tool_version: String,
    /// When the ranking was produced (injected, so the same inputs give the same bytes).
    pub generated_at: String,
    /// The evaluation year.
    pub year: i32,
    /// Every evaluation given: ranked ones per kind by rank, then the excluded, by name.
    pub entries: Vec<Entry>,
    /// Each vendor's solution, ranked by the mean score of its ranked deployments.
    pub vendors: Vec<VendorEntry>,
    /// How the ranking was made: stated in every output.
    pub methodology: Methodology,
}

/// One evaluated portal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Entry {
    /// Stable identity across years: the portal's published host (its name when it has none).
    pub id: String,
    /// Portal name.
    pub portal: String,
    /// Organisation operating it.
    pub organisation: String,
    /// `province` or `ministry`: each kind is a separate table with its own ranks.
    pub organisation_kind: String,
    /// Vendor of the solution, when the scenario names one.
    pub vendor: Option<String>,
    /// Composite score 0–100 (the evaluation's weighted score; pending items earn nothing).
    pub score: f64,
    /// Sub-score per category (0–100), in [`Category::ALL`] order; `None` when nothing in
    /// the category counted.
    pub categories: Vec<CategoryScore>,
    /// Rank within its `organisation_kind` (1 = best); `None` when excluded. Entries tied
    /// after every tie-breaker share a rank (1, 2, 2, 4).
    pub rank: Option<u32>,
    /// Tier id ([`Tier::id`]) for a ranked entry.
    pub tier: Option<String>,
    /// Why it is not ranked (report language); `None` when ranked.
    pub excluded: Option<String>,
    /// Machine-readable reason for the exclusion.
    pub exclusion: Option<Exclusion>,
    /// Score change against `--previous` (this year − last year); `None` when new or excluded
    /// in either year.
    pub delta: Option<f64>,
    /// Last year's rank, when ranked then.
    pub previous_rank: Option<u32>,
    /// Last year's score, when present then.
    pub previous_score: Option<f64>,
    /// The evaluation's overall verdict.
    pub verdict: Conformance,
    /// Mandatory requirements still pending (a provisional evaluation is ranked, marked with
    /// this count).
    pub pending: usize,
    /// Mandatory requirements failed.
    pub failed_mandatory: usize,
    /// Mandatory requirements left out of the run (`--no-browser`, `--only`/`--skip`): a
    /// partial evaluation, ranked only under `--allow-partial` and marked so.
    #[serde(default)]
    pub skipped: usize,
    /// Checklist editions the evaluation applied.
    pub editions: Vec<String>,
    /// When the evaluation was made (its `generated_at`).
    pub evaluated_at: String,
    /// The evaluation file, as given on the command line.
    pub source: String,
}

/// A category's sub-score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryScore {
    /// Category.
    pub category: Category,
    /// 0–100, one decimal; `None` when no requirement of the category counted.
    pub score: Option<f64>,
}

/// Why an evaluation is not ranked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum Exclusion {
    /// Some check ended in error (`incomplete` verdict).
    Incomplete,
    /// A ranking policy keeps it out (`emc-connected`), or the run was partial.
    NotRankable {
        /// The policy id, when a policy triggered.
        policy: Option<String>,
    },
    /// Another checklist edition than the ranking's (without `--allow-mixed`).
    Edition {
        /// The editions it used.
        editions: Vec<String>,
    },
    /// Evaluated in another year than `--year`.
    Year {
        /// Its year.
        year: i32,
    },
    /// A later evaluation of the same portal is ranked instead.
    Superseded {
        /// The file ranked instead.
        by: String,
    },
}

/// One vendor's solution across its deployments.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VendorEntry {
    /// Vendor name.
    pub vendor: String,
    /// Ranked deployments counted.
    pub deployments: usize,
    /// Mean score of those deployments.
    pub mean: f64,
    /// Population standard deviation of their scores (0 for one deployment).
    pub spread: f64,
    /// Lowest and highest deployment score.
    pub min: f64,
    /// Highest deployment score.
    pub max: f64,
    /// Rank among vendors (by mean, then smaller spread, then more deployments).
    pub rank: Option<u32>,
    /// Its deployments (entry ids), ranked or not.
    pub portals: Vec<String>,
}

/// How the ranking was made.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Methodology {
    /// The checklist edition(s) ranked.
    pub editions: Vec<String>,
    /// Whether evaluations of other editions were admitted (`--allow-mixed`).
    pub allow_mixed: bool,
    /// Whether partial evaluations (mandatory requirements left out, e.g. without a browser)
    /// were ranked (`--allow-partial`), each marked with its count of skipped items.
    #[serde(default)]
    pub allow_partial: bool,
    /// The earliest and latest evaluation date ranked (`YYYY-MM-DD`).
    pub period: Option<(String, String)>,
    /// How the composite score is made (report language).
    pub score: String,
    /// The tie-breakers in order (report language).
    pub tie_breakers: Vec<String>,
    /// Requirement weights per category as the ranked evaluations applied them (sum of
    /// weights counted).
    pub weights: Vec<CategoryWeight>,
    /// The tiers in force.
    pub tiers: Vec<Tier>,
    /// Ranking policies (EMC) and whether they were in force.
    pub policies: Vec<RankingPolicy>,
    /// Thresholds with `placeholder` provenance that ranked evaluations applied (one row per
    /// requirement and key).
    pub placeholders: Vec<PlaceholderUse>,
    /// The previous ranking compared with, when `--previous` was given.
    pub previous: Option<PreviousRef>,
}

/// The weight a category carries.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryWeight {
    /// Category.
    pub category: Category,
    /// Sum of requirement weights in the category (first ranked edition).
    pub weight: f64,
    /// Requirements in the category.
    pub requirements: usize,
}

/// A score band.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Tier {
    /// Stable id (`xuat-sac`).
    pub id: String,
    /// Label in both languages.
    pub label: Text,
    /// Lowest score in the tier (inclusive).
    pub min_score: f64,
    /// Where the band comes from (the defaults are placeholders: no text sets them).
    pub provenance: Provenance,
}

/// A placeholder threshold a ranked evaluation relied on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PlaceholderUse {
    /// Requirement id.
    pub requirement: String,
    /// Threshold key (`max-ms`).
    pub key: String,
    /// The value(s) in force, as text (`2500`, or `2500, 3000` when evaluations differ).
    pub value: String,
}

/// The previous year's ranking.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PreviousRef {
    /// Its year.
    pub year: i32,
    /// The file, as given.
    pub file: String,
}

//! Evaluation: verdicts per requirement, the weighted score, and the overall verdict that
//! decides the exit code.

pub mod baseline;
pub mod finding;
mod policy;
pub mod security;

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::checklist::{Category, Checklist, Method, Provenance, RequirementId, Threshold};
use crate::observation::Observations;
use crate::scenario::Scenario;
use crate::text::Text;

pub use policy::{RankingPolicy, ranking_policies, validate_policy_ids};

/// Version of `evaluation.json` (2: `provisional` verdict, thresholds with provenance, ranking
/// policies, `mandatory_pending`).
pub const SCHEMA_VERSION: u32 = 2;

/// The outcome of judging one requirement.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Met.
    Pass,
    /// Not met.
    Fail,
    /// Could not be checked (portal unreachable, probe failed).
    Error,
    /// Provided by DVCQG through a deep link.
    Delegated,
    /// Evidence or attestation not yet supplied.
    Pending,
    /// Evidence or attestation supplied.
    Attested,
    /// Does not apply to this portal.
    NotApplicable,
    /// Excluded by `--only`/`--skip`.
    Skipped,
}

impl Status {
    /// Every status, in report order.
    pub const ALL: [Status; 8] = [
        Status::Pass,
        Status::Fail,
        Status::Error,
        Status::Delegated,
        Status::Pending,
        Status::Attested,
        Status::NotApplicable,
        Status::Skipped,
    ];

    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pass => "pass",
            Status::Fail => "fail",
            Status::Error => "error",
            Status::Delegated => "delegated",
            Status::Pending => "pending",
            Status::Attested => "attested",
            Status::NotApplicable => "not-applicable",
            Status::Skipped => "skipped",
        }
    }

    /// Label in both languages.
    pub fn label(self) -> Text {
        match self {
            Status::Pass => Text::new("Đạt", "Pass"),
            Status::Fail => Text::new("Không đạt", "Fail"),
            Status::Error => Text::new("Lỗi kiểm tra", "Error"),
            Status::Delegated => Text::new("Liên kết DVCQG", "Delegated"),
            Status::Pending => Text::new("Chờ xác minh", "Pending"),
            Status::Attested => Text::new("Đã có minh chứng", "Attested"),
            Status::NotApplicable => Text::new("Không áp dụng", "Not applicable"),
            Status::Skipped => Text::new("Bỏ qua", "Skipped"),
        }
    }

    /// Share of the weight earned, before partial credit.
    pub fn counts_in_score(self) -> bool {
        !matches!(self, Status::NotApplicable | Status::Skipped)
    }
}

/// A reference to what supports a verdict: a URL observed, a file supplied.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceRef {
    /// What it is.
    pub label: String,
    /// URL on the portal, when it is a page.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// File in the output directory, when it is a file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    /// SHA-256 of the file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

impl EvidenceRef {
    /// A page of the portal.
    pub fn url(label: impl Into<String>, url: impl Into<String>) -> Self {
        Self {
            label: label.into(),
            url: Some(url.into()),
            file: None,
            sha256: None,
        }
    }
}

/// The judged outcome of one requirement.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Verdict {
    /// Requirement id.
    pub id: RequirementId,
    /// Status.
    pub status: Status,
    /// What the checklist demands.
    pub expected: Text,
    /// What the portal showed.
    pub observed: Text,
    /// One-line summary.
    pub message: Text,
    /// Supporting references.
    pub evidence: Vec<EvidenceRef>,
    /// Share of the weight earned (0–1); partial for ratio checks.
    pub credit: f64,
    /// Security requirements: the outcome of each check ([`finding::Finding`]), for
    /// `report.sarif` and `[security.severity]`; empty for the other requirements.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<finding::Finding>,
}

/// Overall verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Conformance {
    /// Every mandatory requirement `pass`, `attested`, `delegated` or `not-applicable`.
    Conformant,
    /// Nothing mandatory failed or errored, but some mandatory requirement is still `pending`:
    /// no conclusion yet ("Chưa đủ căn cứ kết luận"), never "Đáp ứng".
    Provisional,
    /// A mandatory requirement failed (any failure with `--fail-on any`).
    NonConformant,
    /// Some check ended in error; the evaluation cannot be ranked.
    Incomplete,
}

impl Conformance {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Conformance::Conformant => "conformant",
            Conformance::Provisional => "provisional",
            Conformance::NonConformant => "non-conformant",
            Conformance::Incomplete => "incomplete",
        }
    }

    /// Label in both languages.
    pub fn label(self) -> Text {
        match self {
            Conformance::Conformant => Text::new("Đáp ứng", "Conformant"),
            Conformance::Provisional => Text::new(
                "Chưa đủ căn cứ kết luận",
                "Provisional: not enough to conclude",
            ),
            Conformance::NonConformant => Text::new("Không đáp ứng", "Non-conformant"),
            Conformance::Incomplete => Text::new("Chưa đủ dữ liệu đánh giá", "Incomplete"),
        }
    }
}

/// Which failures make the portal non-conformant.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Default,
    Serialize,
    Deserialize,
    clap::ValueEnum,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum FailOn {
    /// Only mandatory requirements.
    #[default]
    Mandatory,
    /// Any requirement.
    Any,
    /// Only a regression against `--baseline` (a requirement that now fails, or now errors
    /// where it was met); the verdict is judged as with `mandatory`.
    Regression,
}

/// One requirement with its verdict and the checklist facts reports show.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Judged {
    /// Checklist edition.
    pub checklist: String,
    /// Title.
    pub title: Text,
    /// Legal basis.
    pub basis: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Category.
    pub category: Category,
    /// Weight.
    pub weight: f64,
    /// Mandatory.
    pub mandatory: bool,
    /// Methods.
    pub method: Vec<Method>,
    /// The thresholds its checks applied, each with its provenance.
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
    /// The verdict.
    pub verdict: Verdict,
    /// What the vendor changes to meet it, from the checklist (the report's action list).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remedy: Option<Text>,
}

impl Judged {
    /// Whether its wording or one of its thresholds is inferred or a placeholder (a † in every
    /// report).
    pub fn is_uncertain(&self) -> bool {
        self.provenance.is_uncertain()
            || self.thresholds.iter().any(|t| t.provenance.is_uncertain())
    }

    /// Whether a failing verdict rests on a number no legal text gives (the report says the
    /// threshold is provisional).
    pub fn fails_on_placeholder(&self) -> bool {
        self.verdict.status == Status::Fail
            && (self.provenance == Provenance::Placeholder
                || self
                    .thresholds
                    .iter()
                    .any(|t| t.provenance == Provenance::Placeholder))
    }
}

/// Portal facts copied from the scenario.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct PortalInfo {
    /// Name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// `province` or `ministry`.
    pub organisation_kind: String,
    /// Vendor.
    pub vendor: Option<String>,
    /// Who evaluated (scenario `[portal] evaluator`), when given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub evaluator: Option<String>,
    /// Home page.
    pub base_url: String,
    /// Published host.
    pub public_host: String,
}

/// Checklist facts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChecklistInfo {
    /// Edition id.
    pub edition: String,
    /// Title.
    pub title: Text,
    /// Legal basis.
    pub basis: String,
    /// Methodology notes.
    pub notes: Option<Text>,
}

impl From<&Checklist> for ChecklistInfo {
    fn from(c: &Checklist) -> Self {
        Self {
            edition: c.edition.clone(),
            title: c.title.clone(),
            basis: c.basis.clone(),
            notes: c.notes.clone(),
        }
    }
}

/// A finished evaluation: the canonical result every report is rendered from.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evaluation {
    /// kiemdinh version.
    pub tool_version: String,
    /// When the evaluation was produced.
    pub generated_at: String,
    /// The portal.
    pub portal: PortalInfo,
    /// Checklists applied.
    pub checklists: Vec<ChecklistInfo>,
    /// Overall verdict.
    pub verdict: Conformance,
    /// Weighted score 0–100.
    pub score: f64,
    /// Whether the evaluation may enter a ranking.
    pub rankable: bool,
    /// Ranking policies in force (stated in the methodology).
    #[serde(default)]
    pub ranking_policies: Vec<RankingPolicy>,
    /// Why not, when not.
    pub not_rankable_reason: Option<Text>,
    /// Failure policy used.
    pub fail_on: FailOn,
    /// Requirements in checklist order.
    pub requirements: Vec<Judged>,
    /// The browser's lab metrics per timed page: the medians (the full runs are in
    /// `observations.page_metrics`); empty when the browser probe did not run.
    #[serde(default)]
    pub page_metrics: Vec<crate::observation::MetricsSummary>,
    /// The load run as `load.json` has it; `None` when the load probe did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<crate::observation::LoadRun>,
    /// The security figures (Observatory-compatible score, accepted TLS versions); `None`
    /// when the security probe did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<security::Security>,
    /// What was observed (enough to re-judge).
    pub observations: Observations,
    /// Thresholds changed for this evaluation (scenario `[overrides]`, `--set`).
    #[serde(default)]
    pub overrides: Vec<crate::checklist::overrides::Override>,
    /// How the checklists' requirements are judged (per checklist and category).
    #[serde(default)]
    pub coverage: Vec<crate::checklist::coverage::Row>,
    /// What changed against `--baseline`, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<baseline::Comparison>,
}

/// Weighted score: Σ weight·credit / Σ weight over requirements that count (0–100, one decimal).
pub fn score(requirements: &[Judged]) -> f64 {
    let (mut earned, mut total) = (0.0, 0.0);
    for r in requirements
        .iter()
        .filter(|r| r.verdict.status.counts_in_score())
    {
        total += r.weight;
        earned += r.weight * r.verdict.credit.clamp(0.0, 1.0);
    }
    if total == 0.0 {
        return 0.0;
    }
    (earned / total * 1000.0).round() / 10.0
}

/// The overall verdict: a counted failure wins (it is definite), then any error, then a
/// mandatory requirement still pending or left out by `--only`/`--skip` (a partial run is never
/// conformant).
pub fn conformance(requirements: &[Judged], fail_on: FailOn) -> Conformance {
    let failed = requirements
        .iter()
        .any(|r| r.verdict.status == Status::Fail && (r.mandatory || fail_on == FailOn::Any));
    if failed {
        Conformance::NonConformant
    } else if requirements
        .iter()
        .any(|r| r.verdict.status == Status::Error)
    {
        Conformance::Incomplete
    } else if mandatory_pending(requirements) + mandatory_skipped(requirements) > 0 {
        Conformance::Provisional
    } else {
        Conformance::Conformant
    }
}

/// How many mandatory requirements are still `pending` (the provisional headline's count).
pub fn mandatory_pending(requirements: &[Judged]) -> usize {
    requirements
        .iter()
        .filter(|r| r.mandatory && r.verdict.status == Status::Pending)
        .count()
}

/// How many mandatory requirements `--only`/`--skip` left out.
pub fn mandatory_skipped(requirements: &[Judged]) -> usize {
    requirements
        .iter()
        .filter(|r| r.mandatory && r.verdict.status == Status::Skipped)
        .count()
}

/// Portal facts from the scenario.
impl From<&Scenario> for PortalInfo {
    fn from(s: &Scenario) -> Self {
        PortalInfo {
            name: s.name.clone(),
            organisation: s.organisation.clone(),
            organisation_kind: s.organisation_kind.as_str().to_string(),
            vendor: s.vendor.clone(),
            evaluator: s.evaluator.clone(),
            base_url: s.base_url.to_string(),
            public_host: s.public_host.clone(),
        }
    }
}

impl Evaluation {
    /// Builds the evaluation from judged requirements: score, overall verdict, rankability
    /// under the enabled policies. `generated_at` is injected so reports can be snapshot.
    pub fn new(
        portal: PortalInfo,
        checklists: &[Checklist],
        requirements: Vec<Judged>,
        observations: Observations,
        fail_on: FailOn,
        generated_at: String,
    ) -> Self {
        let verdict = conformance(&requirements, fail_on);
        let policies = ranking_policies();
        let (rankable, not_rankable_reason) =
            Evaluation::rankability(&requirements, verdict, &policies);
        Evaluation {
            tool_version: env!("CARGO_PKG_VERSION").to_string(),
            generated_at,
            portal,
            checklists: checklists.iter().map(ChecklistInfo::from).collect(),
            verdict,
            score: score(&requirements),
            rankable,
            ranking_policies: policies,
            not_rankable_reason,
            fail_on,
            requirements,
            page_metrics: observations
                .page_metrics
                .iter()
                .map(crate::observation::PageMetrics::summary)
                .collect(),
            load: observations.load.clone(),
            security: security::security(&observations),
            observations,
            overrides: Vec::new(),
            coverage: crate::checklist::coverage::coverage(checklists),
            baseline: None,
        }
    }

    /// Count of requirements per status.
    pub fn counts(&self) -> BTreeMap<Status, usize> {
        let mut m = BTreeMap::new();
        for r in &self.requirements {
            *m.entry(r.verdict.status).or_insert(0) += 1;
        }
        m
    }
}

#[cfg(test)]
mod tests;

//! `evaluation.json`: the canonical, versioned output. Example (abridged):
//!
//! ```json
//! {
//!   "schema_version": 2,
//!   "verdict": "non-conformant",
//!   "score": 91.3,
//!   "portal": { "name": "Cổng Dịch vụ công tỉnh Mẫu", "base_url": "https://127.0.0.1:40123/", … },
//!   "checklist": { "edition": "tt21-2023", … },
//!   "requirements": [
//!     { "id": "SEC-2", "status": "fail", "mandatory": true, "weight": 3.0,
//!       "expected": "mọi trang có: Strict-Transport-Security, …",
//!       "observed": "Strict-Transport-Security missing on 48/48 (/, /thu-tuc/, …)",
//!       "message": "…", "evidence": [{ "label": "response headers", "url": "https://…/" }] }
//!   ],
//!   "observations": { "pages": [ … ], "tls": { … } }
//! }
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::checklist::overrides::Override;
use crate::checklist::{Category, Method, Provenance};
use crate::evaluation::{Conformance, Evaluation, EvidenceRef, FailOn, PortalInfo, Status};
use crate::observation::Observations;
use crate::text::Lang;

/// A checklist reference.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct ChecklistRef {
    /// Edition id.
    pub edition: String,
    /// Title (report language).
    pub title: String,
    /// Legal basis.
    pub basis: String,
}

/// One requirement's verdict as written to JSON.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct RequirementJson {
    /// Id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Title.
    pub title: String,
    /// Category.
    pub category: Category,
    /// Basis.
    pub basis: String,
    /// Provenance.
    pub provenance: Provenance,
    /// Whether the wording or threshold is inferred or a placeholder (flagged † in reports).
    pub uncertain: bool,
    /// The thresholds its checks applied, each with its provenance.
    #[serde(default)]
    pub thresholds: Vec<crate::checklist::Threshold>,
    /// A failure that rests on a placeholder threshold: the report says it is provisional.
    #[serde(default)]
    pub placeholder_threshold_failed: bool,
    /// Overrides applied to this requirement.
    pub overrides: Vec<Override>,
    /// Mandatory.
    pub mandatory: bool,
    /// Weight.
    pub weight: f64,
    /// Methods.
    pub method: Vec<Method>,
    /// Status.
    pub status: Status,
    /// Share of the weight earned.
    pub credit: f64,
    /// Expected.
    pub expected: String,
    /// Observed.
    pub observed: String,
    /// Message.
    pub message: String,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Security requirements: each check's outcome with its stable finding id, and the
    /// severity `[security.severity]` gave it (what `report.sarif` is made of).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<crate::evaluation::finding::Finding>,
}

/// `evaluation.json`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct EvaluationJson {
    /// Format version.
    pub schema_version: u32,
    /// kiemdinh version.
    pub tool_version: String,
    /// When generated.
    pub generated_at: String,
    /// Language of the texts.
    pub lang: String,
    /// Overall verdict.
    pub verdict: Conformance,
    /// Score 0–100.
    pub score: f64,
    /// Whether it may be ranked.
    pub rankable: bool,
    /// Why not.
    pub not_rankable_reason: Option<String>,
    /// Ranking policies in force, with provenance (methodology).
    #[serde(default)]
    pub ranking_policies: Vec<crate::evaluation::RankingPolicy>,
    /// Mandatory requirements still pending (what keeps a provisional evaluation from a
    /// conclusion).
    #[serde(default)]
    pub mandatory_pending: usize,
    /// Failure policy.
    pub fail_on: FailOn,
    /// Portal.
    pub portal: PortalInfo,
    /// The (first) checklist.
    pub checklist: ChecklistRef,
    /// All checklists.
    pub checklists: Vec<ChecklistRef>,
    /// Counts by status.
    pub counts: BTreeMap<String, usize>,
    /// Thresholds changed for this evaluation.
    pub overrides: Vec<Override>,
    /// How the requirements are judged, per checklist and category.
    pub coverage: Vec<crate::checklist::coverage::Row>,
    /// Requirements.
    pub requirements: Vec<RequirementJson>,
    /// The browser's lab metrics per timed page, medians (empty without the browser probe).
    #[serde(default)]
    pub page_metrics: Vec<crate::observation::MetricsSummary>,
    /// The load run as `load.json` has it (absent without the load probe).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<crate::observation::LoadRun>,
    /// What changed against `--baseline` (absent without one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<crate::evaluation::baseline::Comparison>,
    /// The security figures: the Observatory-compatible score with each test's contribution,
    /// the accepted TLS versions (absent when neither was observed).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub security: Option<crate::evaluation::security::Security>,
    /// Observations, enough to re-judge.
    pub observations: Observations,
}

/// Builds the JSON document.
pub fn document(e: &Evaluation, lang: Lang) -> EvaluationJson {
    let checklists: Vec<ChecklistRef> = e
        .checklists
        .iter()
        .map(|c| ChecklistRef {
            edition: c.edition.clone(),
            title: c.title.get(lang).to_string(),
            basis: c.basis.clone(),
        })
        .collect();
    EvaluationJson {
        schema_version: crate::evaluation::SCHEMA_VERSION,
        tool_version: e.tool_version.clone(),
        generated_at: e.generated_at.clone(),
        lang: lang.tag().to_string(),
        verdict: e.verdict,
        score: e.score,
        rankable: e.rankable,
        not_rankable_reason: e
            .not_rankable_reason
            .as_ref()
            .map(|t| t.get(lang).to_string()),
        ranking_policies: e.ranking_policies.clone(),
        mandatory_pending: crate::evaluation::mandatory_pending(&e.requirements),
        fail_on: e.fail_on,
        portal: e.portal.clone(),
        checklist: checklists.first().cloned().unwrap_or(ChecklistRef {
            edition: String::new(),
            title: String::new(),
            basis: String::new(),
        }),
        checklists,
        counts: e
            .counts()
            .into_iter()
            .map(|(s, n)| (s.as_str().to_string(), n))
            .collect(),
        overrides: e.overrides.clone(),
        coverage: e.coverage.clone(),
        requirements: e
            .requirements
            .iter()
            .map(|r| RequirementJson {
                id: r.verdict.id.to_string(),
                checklist: r.checklist.clone(),
                title: r.title.get(lang).to_string(),
                category: r.category,
                basis: r.basis.clone(),
                provenance: r.provenance,
                uncertain: r.is_uncertain(),
                thresholds: r.thresholds.clone(),
                placeholder_threshold_failed: r.fails_on_placeholder(),
                overrides: e
                    .overrides
                    .iter()
                    .filter(|o| o.id == r.verdict.id.as_str())
                    .cloned()
                    .collect(),
                mandatory: r.mandatory,
                weight: r.weight,
                method: r.method.clone(),
                status: r.verdict.status,
                credit: (r.verdict.credit * 1000.0).round() / 1000.0,
                expected: r.verdict.expected.get(lang).to_string(),
                observed: r.verdict.observed.get(lang).to_string(),
                message: r.verdict.message.get(lang).to_string(),
                evidence: r.verdict.evidence.clone(),
                findings: r.verdict.findings.clone(),
            })
            .collect(),
        page_metrics: e.page_metrics.clone(),
        load: e.load.clone(),
        baseline: e.baseline.clone(),
        security: e.security.clone(),
        observations: e.observations.clone(),
    }
}

/// Renders `evaluation.json`.
pub fn render(e: &Evaluation, lang: Lang) -> String {
    serde_json::to_string_pretty(&document(e, lang)).expect("evaluation serialises")
}

//! The view model every renderer shares: sorted, rounded, in one language, versioned.

use serde::Serialize;

use crate::checklist::Category;
use crate::evaluation::{Evaluation, EvidenceRef, Status};
use crate::text::{Lang, Text};

/// One threshold of a requirement.
#[derive(Debug, Clone, Serialize)]
pub struct ThresholdView {
    /// Key (`max-ms`).
    pub key: String,
    /// Value as people read it.
    pub value: String,
    /// Provenance in the report's language.
    pub provenance: String,
    /// Inferred or placeholder.
    pub uncertain: bool,
}

/// One ranking policy, for the methodology section.
#[derive(Debug, Clone, Serialize)]
pub struct PolicyView {
    /// Id.
    pub id: String,
    /// What it says.
    pub description: String,
    /// Where it comes from.
    pub basis: String,
    /// Provenance in the report's language.
    pub provenance: String,
    /// Applied in this evaluation.
    pub enabled: bool,
}

/// One status count.
#[derive(Debug, Clone, Serialize)]
pub struct CountView {
    /// Status name.
    pub status: String,
    /// Label.
    pub label: String,
    /// Count.
    pub count: usize,
}

/// One category row.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    /// Category id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Requirements in it.
    pub total: usize,
    /// Passed (pass, attested, delegated).
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Errored.
    pub error: usize,
    /// Pending.
    pub pending: usize,
    /// Neither passed, failed nor errored (pending, skipped, not applicable).
    pub skipped: usize,
    /// Score within the category, one decimal.
    pub score: String,
}

/// One requirement row.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    /// Id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Title.
    pub title: String,
    /// Category id.
    pub category: String,
    /// Category title.
    pub category_title: String,
    /// Basis.
    pub basis: String,
    /// Provenance (kebab-case id).
    pub provenance: String,
    /// Provenance in the report's language.
    pub provenance_label: String,
    /// Thresholds applied, each with its provenance.
    pub thresholds: Vec<ThresholdView>,
    /// A failure that rests on a placeholder threshold (the report says so).
    pub placeholder_fail: bool,
    /// Whether provenance is inferred or placeholder (a † in reports).
    pub uncertain: bool,
    /// Its provenance footnote's number, when uncertain.
    pub footnote: Option<usize>,
    /// Mandatory.
    pub mandatory: bool,
    /// Weight, formatted.
    pub weight: String,
    /// Methods.
    pub method: String,
    /// Status id.
    pub status: String,
    /// Status label.
    pub status_label: String,
    /// Expected.
    pub expected: String,
    /// Observed.
    pub observed: String,
    /// Message.
    pub message: String,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
    /// Overrides applied to it (`max-ms 2500 → 3000 (--set)`).
    pub overrides: Vec<String>,
}

/// One coverage row.
#[derive(Debug, Clone, Serialize)]
pub struct CoverageView {
    /// Category title, or the total label.
    pub category: String,
    /// Whether this is the checklist's total.
    pub is_total: bool,
    /// The counts.
    pub row: crate::checklist::coverage::Row,
}

/// One checklist's part of the report.
#[derive(Debug, Clone, Serialize)]
pub struct GroupView {
    /// Edition.
    pub edition: String,
    /// Title.
    pub title: String,
    /// Legal basis.
    pub basis: String,
    /// Category rows.
    pub categories: Vec<CategoryView>,
    /// Requirements of this checklist.
    pub requirements: Vec<RequirementView>,
    /// Coverage rows of this checklist.
    pub coverage: Vec<CoverageView>,
}

/// One override.
#[derive(Debug, Clone, Serialize)]
pub struct OverrideView {
    /// Requirement id.
    pub id: String,
    /// Key.
    pub key: String,
    /// Checklist value.
    pub from: String,
    /// Value used.
    pub to: String,
    /// Where from.
    pub source: String,
}

/// One observed page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// URL.
    pub url: String,
    /// Status or `—`.
    pub status: String,
    /// Title or error.
    pub title: String,
    /// Depth from home.
    pub depth: String,
    /// Time, formatted.
    pub ms: String,
}

/// Checklist facts.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    /// Edition.
    pub edition: String,
    /// Title.
    pub title: String,
    /// Basis.
    pub basis: String,
    /// Notes.
    pub notes: String,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Version of the view (follows `evaluation.json`).
    pub schema_version: u32,
    /// Language tag.
    pub lang: String,
    /// Interface strings.
    pub t: serde_json::Map<String, serde_json::Value>,
    /// Tool version.
    pub tool_version: String,
    /// When generated.
    pub generated_at: String,
    /// Portal name.
    pub portal_name: String,
    /// Organisation.
    pub organisation: String,
    /// Vendor.
    pub vendor: String,
    /// Home page.
    pub base_url: String,
    /// Checklists.
    pub checklists: Vec<ChecklistView>,
    /// Verdict id.
    pub verdict: String,
    /// Verdict label.
    pub verdict_label: String,
    /// The headline under the verdict: for a provisional evaluation, how many mandatory
    /// requirements are pending; empty otherwise.
    pub headline: String,
    /// Ranking policies (methodology).
    pub ranking_policies: Vec<PolicyView>,
    /// Score, one decimal.
    pub score: String,
    /// Rankable.
    pub rankable: bool,
    /// Why not rankable.
    pub not_rankable_reason: String,
    /// Counts by status (non-zero only).
    pub counts: Vec<CountView>,
    /// Categories.
    pub categories: Vec<CategoryView>,
    /// Failed or errored requirements.
    pub failures: Vec<RequirementView>,
    /// The report per checklist.
    pub groups: Vec<GroupView>,
    /// Overrides applied.
    pub overrides: Vec<OverrideView>,
    /// Every requirement.
    pub requirements: Vec<RequirementView>,
    /// Pages observed.
    pub pages: Vec<PageView>,
    /// The browser section, when the observations record a browser run.
    pub browser: Option<super::browser::BrowserView>,
    /// The citizen-journeys section, when journeys ran.
    pub flows: Option<super::flows::FlowsView>,
    /// The accessibility section, when rendered pages carry axe-core audits.
    pub accessibility: Option<super::accessibility::AccessibilityView>,
    /// The load-test section, when the load probe ran.
    pub load: Option<super::load::LoadView>,
    /// The availability section, when the monitor's figures (or a store that failed) are in
    /// the observations.
    pub availability: Option<super::availability::AvailabilityView>,
    /// What changed against `--baseline`.
    pub baseline: Option<super::baseline::BaselineView>,
    /// The Observatory-compatible security score, when computed.
    pub security: Option<super::security::SecurityView>,
    /// Whether the crawl hit the page limit.
    pub crawl_truncated: bool,
    /// Whether any requirement is marked uncertain.
    pub any_uncertain: bool,
    /// The cover: evaluator, period, editions, category sub-scores and their chart.
    pub cover: super::cover::CoverView,
    /// The portal's rank, when a ranking is known (set by whoever holds `ranking.json`).
    pub rank: Option<super::cover::RankView>,
    /// The vendor's action list.
    pub actions: Vec<super::actions::ActionView>,
    /// Provenance footnotes and the uncertain thresholds.
    pub footnotes: super::notes::Notes,
    /// Requirements in all.
    pub total: usize,
    /// Failed requirements.
    pub total_fail: usize,
    /// Errored requirements.
    pub total_error: usize,
    /// Pending, skipped or not applicable.
    pub total_skipped: usize,
}

/// A JSON value as a person reads it: `800` rather than `800.0`, strings without quotes.
pub(crate) fn fmt_value(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::Number(n) => match n.as_f64() {
            Some(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{f:.0}"),
            _ => n.to_string(),
        },
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}

fn fmt_weight(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

fn category_rows(reqs: &[&crate::evaluation::Judged], lang: Lang) -> Vec<CategoryView> {
    Category::ALL
        .iter()
        .filter_map(|c| {
            let rs: Vec<_> = reqs.iter().filter(|r| r.category == *c).collect();
            if rs.is_empty() {
                return None;
            }
            let n = |f: &dyn Fn(Status) -> bool| rs.iter().filter(|r| f(r.verdict.status)).count();
            let owned: Vec<_> = rs.iter().map(|r| (**r).clone()).collect();
            Some(CategoryView {
                id: c.as_str().to_string(),
                title: c.title().get(lang).to_string(),
                total: rs.len(),
                pass: n(&|s| matches!(s, Status::Pass | Status::Attested | Status::Delegated)),
                fail: n(&|s| s == Status::Fail),
                error: n(&|s| s == Status::Error),
                pending: n(&|s| s == Status::Pending),
                skipped: n(&|s| {
                    matches!(s, Status::Pending | Status::Skipped | Status::NotApplicable)
                }),
                score: fmt1(crate::evaluation::score(&owned)),
            })
        })
        .collect()
}

/// Builds the view of an evaluation in one language.
pub fn build(e: &Evaluation, lang: Lang) -> View {
    let t = super::labels::all(lang);
    let (footnotes, numbers) = super::notes::build(e, lang);
    let requirements: Vec<RequirementView> = e
        .requirements
        .iter()
        .zip(numbers)
        .map(|(r, footnote)| RequirementView {
            footnote,
            id: r.verdict.id.to_string(),
            checklist: r.checklist.clone(),
            title: r.title.get(lang).to_string(),
            category: r.category.as_str().to_string(),
            category_title: r.category.title().get(lang).to_string(),
            basis: r.basis.clone(),
            provenance: r.provenance.as_str().to_string(),
            provenance_label: r.provenance.label().get(lang).to_string(),
            thresholds: r
                .thresholds
                .iter()
                .map(|th| ThresholdView {
                    key: th.key.clone(),
                    value: fmt_value(&th.value),
                    provenance: th.provenance.label().get(lang).to_string(),
                    uncertain: th.provenance.is_uncertain(),
                })
                .collect(),
            placeholder_fail: r.fails_on_placeholder(),
            uncertain: r.is_uncertain(),
            mandatory: r.mandatory,
            weight: fmt_weight(r.weight),
            method: r
                .method
                .iter()
                .map(|m| format!("{m:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", "),
            status: r.verdict.status.as_str().to_string(),
            status_label: r.verdict.status.label().get(lang).to_string(),
            expected: r.verdict.expected.get(lang).to_string(),
            observed: r.verdict.observed.get(lang).to_string(),
            message: r.verdict.message.get(lang).to_string(),
            evidence: r.verdict.evidence.clone(),
            overrides: e
                .overrides
                .iter()
                .filter(|o| o.id == r.verdict.id.as_str())
                .map(|o| {
                    format!(
                        "{} {} → {} ({})",
                        o.key,
                        fmt_value(&o.from),
                        fmt_value(&o.to),
                        o.source
                    )
                })
                .collect(),
        })
        .collect();
    let counts = e.counts();
    let all: Vec<&crate::evaluation::Judged> = e.requirements.iter().collect();
    let categories = category_rows(&all, lang);
    let groups = e
        .checklists
        .iter()
        .map(|c| {
            let mine: Vec<&crate::evaluation::Judged> = e
                .requirements
                .iter()
                .filter(|r| r.checklist == c.edition)
                .collect();
            GroupView {
                edition: c.edition.clone(),
                title: c.title.get(lang).to_string(),
                basis: c.basis.clone(),
                categories: category_rows(&mine, lang),
                requirements: requirements
                    .iter()
                    .filter(|r| r.checklist == c.edition)
                    .cloned()
                    .collect(),
                coverage: e
                    .coverage
                    .iter()
                    .filter(|row| row.checklist == c.edition)
                    .map(|row| CoverageView {
                        category: row.category.map_or_else(
                            || Text::new("Tổng", "Total").get(lang).to_string(),
                            |cat| cat.title().get(lang).to_string(),
                        ),
                        is_total: row.category.is_none(),
                        row: row.clone(),
                    })
                    .collect(),
            }
        })
        .collect();
    let overrides = e
        .overrides
        .iter()
        .map(|o| OverrideView {
            id: o.id.clone(),
            key: o.key.clone(),
            from: fmt_value(&o.from),
            to: fmt_value(&o.to),
            source: o.source.clone(),
        })
        // `[security.severity]` entries are stated beside the threshold overrides.
        .chain(super::sarif::severity_overrides(e))
        .collect();
    let pages = e
        .observations
        .pages
        .iter()
        .map(|p| PageView {
            url: p.url.clone(),
            status: p.fetch.status.map_or_else(|| "—".into(), |s| s.to_string()),
            title: p
                .fetch
                .error
                .as_ref()
                .map(|er| er.message.clone())
                .or_else(|| p.fetch.html.as_ref().and_then(|h| h.title.clone()))
                .map(|t| {
                    if p.fetch.truncated {
                        format!("{t} (truncated at {} bytes)", p.fetch.bytes)
                    } else {
                        t
                    }
                })
                .unwrap_or_default(),
            depth: p.depth.map_or_else(String::new, |d| d.to_string()),
            ms: format!("{:.0}", p.fetch.total_ms),
        })
        .collect();
    View {
        schema_version: crate::evaluation::SCHEMA_VERSION,
        lang: lang.tag().to_string(),
        t,
        tool_version: e.tool_version.clone(),
        generated_at: e.generated_at.clone(),
        portal_name: e.portal.name.clone(),
        organisation: e.portal.organisation.clone(),
        vendor: e.portal.vendor.clone().unwrap_or_default(),
        base_url: e.portal.base_url.clone(),
        checklists: e
            .checklists
            .iter()
            .map(|c| ChecklistView {
                edition: c.edition.clone(),
                title: c.title.get(lang).to_string(),
                basis: c.basis.clone(),
                notes: c
                    .notes
                    .as_ref()
                    .map(|n| n.get(lang).to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        verdict: e.verdict.as_str().to_string(),
        verdict_label: e.verdict.label().get(lang).to_string(),
        headline: if e.verdict == crate::evaluation::Conformance::Provisional {
            super::labels::get("provisional_headline")
                .get(lang)
                .replace(
                    "{n}",
                    &(crate::evaluation::mandatory_pending(&e.requirements)
                        + crate::evaluation::mandatory_skipped(&e.requirements))
                    .to_string(),
                )
        } else {
            String::new()
        },
        ranking_policies: e
            .ranking_policies
            .iter()
            .map(|p| PolicyView {
                id: p.id.clone(),
                description: p.description.get(lang).to_string(),
                basis: p.basis.get(lang).to_string(),
                provenance: p.provenance.label().get(lang).to_string(),
                enabled: p.enabled,
            })
            .collect(),
        score: fmt1(e.score),
        rankable: e.rankable,
        not_rankable_reason: e
            .not_rankable_reason
            .as_ref()
            .map(|t| t.get(lang).to_string())
            .unwrap_or_default(),
        counts: Status::ALL
            .iter()
            .filter_map(|s| {
                let n = counts.get(s).copied().unwrap_or(0);
                (n > 0).then(|| CountView {
                    status: s.as_str().to_string(),
                    label: s.label().get(lang).to_string(),
                    count: n,
                })
            })
            .collect(),
        categories,
        groups,
        overrides,
        failures: requirements
            .iter()
            .filter(|r| r.status == "fail" || r.status == "error")
            .cloned()
            .collect(),
        any_uncertain: requirements.iter().any(|r| r.uncertain),
        total: requirements.len(),
        total_fail: requirements.iter().filter(|r| r.status == "fail").count(),
        total_error: requirements.iter().filter(|r| r.status == "error").count(),
        total_skipped: requirements
            .iter()
            .filter(|r| matches!(r.status.as_str(), "pending" | "skipped" | "not-applicable"))
            .count(),
        requirements,
        pages,
        browser: super::browser::build(&e.observations, lang),
        flows: super::flows::build(&e.observations, lang),
        accessibility: super::accessibility::build(&e.observations),
        load: e.load.as_ref().map(|run| super::load::build(run, lang)),
        availability: super::availability::build(e, lang),
        baseline: super::baseline::build(e, lang),
        security: super::security::build(e, lang),
        crawl_truncated: e.observations.crawl_truncated,
        cover: super::cover::build(e, lang),
        rank: None,
        actions: super::actions::build(e, lang),
        footnotes,
    }
}

//! The ranking computation: pure (no I/O, no clock) — evaluations in, [`Ranking`] out.
//!
//! Exclusions are decided in a fixed order, the first that applies is the reason: another
//! year than the ranking's, a later evaluation of the same portal, an `incomplete` verdict, a
//! ranking policy or a partial run (not rankable), another checklist edition set than the
//! ranking's (the most common set among those still in; ties → the lexicographically first)
//! unless mixed editions are allowed. The rest are ranked per `organisation_kind` by score,
//! then fewer failed mandatory requirements, then fewer pending ones; entries still equal
//! share a rank (1, 2, 2, 4) and are shown by name.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::input::RankInput;
use super::model::{CategoryScore, Entry, Exclusion, Ranking, Tier};
use super::previous::Previous;
use super::{methodology, tiers, vendors};
use crate::checklist::Category;
use crate::evaluation::Conformance;
use crate::text::{Lang, Text, tr};

/// Everything the computation takes besides the evaluations.
#[derive(Debug, Clone)]
pub struct Params<'a> {
    /// The year to rank (`None`: the year of the latest evaluation).
    pub year: Option<i32>,
    /// Admit evaluations of other checklist editions.
    pub allow_mixed: bool,
    /// Rank partial evaluations (mandatory requirements left out), marked as such.
    pub allow_partial: bool,
    /// Tiers, highest first.
    pub tiers: &'a [Tier],
    /// The earlier ranking to compare with.
    pub previous: Option<&'a Previous>,
    /// Language of the texts.
    pub lang: Lang,
    /// The ranking's time stamp (injected).
    pub generated_at: String,
    /// kiemdinh's version.
    pub tool_version: String,
}

/// Rounds to one decimal, as scores are shown.
pub(crate) fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn timestamp(e: &RankInput) -> OffsetDateTime {
    OffsetDateTime::parse(&e.generated_at, &Rfc3339).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// The year ranked: the one asked for, else the year of the latest evaluation.
pub fn ranking_year(inputs: &[RankInput], year: Option<i32>) -> i32 {
    year.unwrap_or_else(|| {
        inputs
            .iter()
            .max_by_key(|e| timestamp(e))
            .map_or(0, RankInput::year)
    })
}

/// Sub-score per category (Σ weight·credit / Σ weight over requirements counted in the
/// score), in [`Category::ALL`] order.
pub fn category_scores(e: &RankInput) -> Vec<CategoryScore> {
    Category::ALL
        .iter()
        .map(|&category| {
            let (mut earned, mut total) = (0.0, 0.0);
            for r in e
                .requirements
                .iter()
                .filter(|r| r.category == category && r.status.counts_in_score())
            {
                total += r.weight;
                earned += r.weight * r.credit.clamp(0.0, 1.0);
            }
            CategoryScore {
                category,
                score: (total > 0.0).then(|| round1(earned / total * 100.0)),
            }
        })
        .collect()
}

/// The policy that keeps an evaluation out, when one does (its id).
fn triggered_policy(e: &RankInput) -> Option<String> {
    e.ranking_policies
        .iter()
        .filter(|p| p.enabled)
        .find(|p| {
            e.requirements.iter().any(|r| {
                r.id == p.requirement
                    && r.status == crate::evaluation::Status::Fail
                    && r.credit <= p.max_credit + 1e-9
            })
        })
        .map(|p| p.id.clone())
}

/// The reason an evaluation is excluded, when one applies (in the documented order).
fn exclusions(
    inputs: &[RankInput],
    year: i32,
    allow_mixed: bool,
    allow_partial: bool,
) -> Vec<Option<Exclusion>> {
    let mut out: Vec<Option<Exclusion>> = inputs
        .iter()
        .map(|e| (e.year() != year).then(|| Exclusion::Year { year: e.year() }))
        .collect();
    // The same portal twice: the latest evaluation stays.
    let mut latest: BTreeMap<String, usize> = BTreeMap::new();
    for (i, e) in inputs.iter().enumerate().filter(|(i, _)| out[*i].is_none()) {
        latest
            .entry(e.id())
            .and_modify(|k| {
                let kept = &inputs[*k];
                if (timestamp(e), &e.source) > (timestamp(kept), &kept.source) {
                    *k = i;
                }
            })
            .or_insert(i);
    }
    for (i, e) in inputs.iter().enumerate() {
        if out[i].is_none() && latest[&e.id()] != i {
            out[i] = Some(Exclusion::Superseded {
                by: inputs[latest[&e.id()]].source.clone(),
            });
        }
    }
    for (i, e) in inputs.iter().enumerate() {
        if out[i].is_some() {
            continue;
        }
        if e.verdict == Conformance::Incomplete {
            out[i] = Some(Exclusion::Incomplete);
        } else if !e.rankable {
            let policy = triggered_policy(e);
            // Only a run that left mandatory items out, and nothing else, is admitted.
            let partial_only = policy.is_none() && e.skipped_mandatory() > 0;
            if !(allow_partial && partial_only) {
                out[i] = Some(Exclusion::NotRankable { policy });
            }
        }
    }
    if !allow_mixed && let Some(set) = majority_editions(inputs, &out) {
        for (i, e) in inputs.iter().enumerate() {
            if out[i].is_none() && e.editions() != set {
                out[i] = Some(Exclusion::Edition {
                    editions: e.editions(),
                });
            }
        }
    }
    out
}

/// The most common edition set among the evaluations not yet excluded (ties: the
/// lexicographically first).
fn majority_editions(inputs: &[RankInput], out: &[Option<Exclusion>]) -> Option<Vec<String>> {
    let mut counts: BTreeMap<Vec<String>, usize> = BTreeMap::new();
    for (i, e) in inputs.iter().enumerate() {
        if out[i].is_none() {
            *counts.entry(e.editions()).or_default() += 1;
        }
    }
    // `max_by_key` keeps the last maximum; iterating in reverse makes it the first.
    counts
        .into_iter()
        .rev()
        .max_by_key(|(_, n)| *n)
        .map(|(set, _)| set)
}

/// The reason shown for an exclusion (report language).
pub fn exclusion_text(x: &Exclusion, e: &RankInput, lang: Lang) -> String {
    let text = match x {
        Exclusion::Year { year } => tr!(
            "Đánh giá năm {year}, không thuộc năm xếp hạng",
            "evaluated in {year}, not the ranking's year"
        ),
        Exclusion::Superseded { by } => tr!(
            "Đã có lần đánh giá sau của cùng cổng ({by})",
            "a later evaluation of the same portal is ranked ({by})"
        ),
        Exclusion::Incomplete => Text::new(
            "Chưa đủ dữ liệu đánh giá: có tiêu chí kiểm tra bị lỗi",
            "incomplete: some checks ended in error",
        ),
        Exclusion::NotRankable { policy: Some(id) } => {
            let p = e.ranking_policies.iter().find(|p| &p.id == id);
            let what = p.map_or_else(|| Text::same(id.clone()), |p| p.description.clone());
            Text::new(
                format!("Không xếp hạng theo chính sách {id}: {}", what.vi),
                format!("not ranked under policy {id}: {}", what.en),
            )
        }
        Exclusion::NotRankable { policy: None } => {
            let why = e.not_rankable_reason.clone().unwrap_or_default();
            tr!(
                "Đánh giá từng phần, không xếp hạng ({why})",
                "partial evaluation, not ranked ({why})"
            )
        }
        Exclusion::Edition { editions } => {
            let set = editions.join(" + ");
            tr!(
                "Bộ tiêu chí khác ({set}); dùng --allow-mixed để xếp chung",
                "another checklist edition ({set}); --allow-mixed ranks it anyway"
            )
        }
    };
    text.get(lang).to_string()
}

/// Ranking order: score desc, failed mandatory asc, pending asc.
fn merit(a: &Entry, b: &Entry) -> Ordering {
    b.score
        .total_cmp(&a.score)
        .then(a.failed_mandatory.cmp(&b.failed_mandatory))
        .then(a.pending.cmp(&b.pending))
}

fn by_name(a: &Entry, b: &Entry) -> Ordering {
    a.portal.cmp(&b.portal).then(a.source.cmp(&b.source))
}

fn entry(e: &RankInput, exclusion: Option<Exclusion>, lang: Lang) -> Entry {
    Entry {
        id: e.id(),
        portal: e.portal.name.clone(),
        organisation: e.portal.organisation.clone(),
        organisation_kind: e.portal.organisation_kind.trim().to_lowercase(),
        vendor: e.portal.vendor.clone(),
        score: e.score,
        categories: category_scores(e),
        rank: None,
        tier: None,
        excluded: exclusion.as_ref().map(|x| exclusion_text(x, e, lang)),
        exclusion,
        delta: None,
        previous_rank: None,
        previous_score: None,
        verdict: e.verdict,
        pending: e.mandatory_pending,
        failed_mandatory: e.failed_mandatory(),
        skipped: e.skipped_mandatory(),
        editions: e.editions(),
        evaluated_at: e.generated_at.clone(),
        source: e.source.clone(),
    }
}

/// Ranks the evaluations.
pub fn rank(inputs: &[RankInput], p: &Params<'_>) -> Ranking {
    let year = ranking_year(inputs, p.year);
    let reasons = exclusions(inputs, year, p.allow_mixed, p.allow_partial);
    let all: Vec<Entry> = inputs
        .iter()
        .zip(reasons)
        .map(|(e, x)| entry(e, x, p.lang))
        .collect();
    let (ranked, mut excluded): (Vec<Entry>, Vec<Entry>) =
        all.into_iter().partition(|e| e.exclusion.is_none());
    let mut kinds: BTreeMap<String, Vec<Entry>> = BTreeMap::new();
    for e in ranked {
        kinds
            .entry(e.organisation_kind.clone())
            .or_default()
            .push(e);
    }
    let mut entries = Vec::new();
    for (_, mut list) in kinds {
        list.sort_by(|a, b| merit(a, b).then_with(|| by_name(a, b)));
        let mut last: Option<(usize, u32)> = None;
        for i in 0..list.len() {
            let rank = match last {
                Some((j, r)) if merit(&list[j], &list[i]) == Ordering::Equal => r,
                _ => u32::try_from(i + 1).unwrap_or(u32::MAX),
            };
            last = Some((i, rank));
            list[i].rank = Some(rank);
            list[i].tier = tiers::tier_of(p.tiers, list[i].score).map(|t| t.id.clone());
        }
        entries.extend(list);
    }
    excluded.sort_by(by_name);
    entries.extend(excluded);
    if let Some(prev) = p.previous {
        for e in &mut entries {
            if let Some(before) = prev.get(&e.id) {
                e.previous_score = Some(before.score);
                e.previous_rank = before.rank;
                if e.rank.is_some() && before.rank.is_some() {
                    e.delta = Some(round1(e.score - before.score));
                }
            }
        }
    }
    let vendors = vendors::table(&entries);
    let methodology = methodology::build(inputs, &entries, p);
    Ranking {
        schema_version: super::model::RANKING_VERSION,
        tool_version: p.tool_version.clone(),
        generated_at: p.generated_at.clone(),
        year,
        entries,
        vendors,
        methodology,
    }
}

#[cfg(test)]
#[path = "compute_tests.rs"]
mod tests;

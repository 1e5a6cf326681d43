//! The view model of `ranking.html`: every string and figure of the page, formatted once in
//! the report's language.

use serde::Serialize;

use super::{fmt_score, kind_label, kinds, label, ranked};
use crate::rank::{Entry, Exclusion, Ranking, Tier, chart};
use crate::report::labels;
use crate::text::Lang;

/// A change against last year.
#[derive(Debug, Serialize)]
struct DeltaView {
    /// `up`, `down`, `same`, `new` or `none`.
    class: &'static str,
    /// `▲ +3.2`, `mới`, `—`.
    text: String,
    /// The direction in words for screen readers (`tăng`).
    words: String,
}

#[derive(Debug, Serialize)]
struct RowView {
    rank: String,
    tier: String,
    tier_class: String,
    portal: String,
    organisation: String,
    vendor: String,
    score: String,
    categories: Vec<String>,
    provisional: Option<String>,
    /// "partial: N skipped" for a partial evaluation ranked under `--allow-partial`.
    partial: Option<String>,
    delta: Option<DeltaView>,
    previous_rank: String,
}

#[derive(Debug, Serialize)]
struct TableView {
    id: String,
    title: String,
    rows: Vec<RowView>,
}

#[derive(Debug, Serialize)]
struct CountView {
    kind: String,
    ranked: usize,
    provisional: usize,
}

#[derive(Debug, Serialize)]
struct DeploymentView {
    portal: String,
    ranked: bool,
}

#[derive(Debug, Serialize)]
struct VendorView {
    rank: String,
    vendor: String,
    deployments: usize,
    mean: String,
    spread: String,
    range: String,
    portals: Vec<DeploymentView>,
}

#[derive(Debug, Serialize)]
struct ExcludedView {
    portal: String,
    organisation: String,
    kind: String,
    verdict: String,
    verdict_class: &'static str,
    score: String,
    reason: String,
    detail: Option<String>,
}

#[derive(Debug, Serialize)]
struct TierView {
    label: String,
    min: String,
    provenance: String,
    uncertain: bool,
}

#[derive(Debug, Serialize)]
struct PolicyView {
    id: String,
    description: String,
    basis: String,
    provenance: String,
    uncertain: bool,
    in_force: bool,
}

#[derive(Debug, Serialize)]
struct WeightView {
    category: String,
    weight: String,
    requirements: usize,
}

#[derive(Debug, Serialize)]
struct PlaceholderView {
    requirement: String,
    key: String,
    value: String,
}

#[derive(Debug, Serialize)]
struct MethodView {
    editions: String,
    mixed: String,
    partial: String,
    period: String,
    score: String,
    tie_breakers: Vec<String>,
    weights: Vec<WeightView>,
    tiers: Vec<TierView>,
    policies: Vec<PolicyView>,
    placeholders: Vec<PlaceholderView>,
    previous: String,
    any_uncertain: bool,
}

#[derive(Debug, Serialize)]
struct Charts {
    distribution: String,
    heatmap: String,
    slope: String,
    slope_note: String,
}

#[derive(Debug, Serialize)]
pub(super) struct View {
    lang: &'static str,
    t: serde_json::Map<String, serde_json::Value>,
    title: String,
    year: i32,
    generated_at: String,
    tool_version: String,
    counts: Vec<CountView>,
    excluded_count: usize,
    vendor_count: usize,
    has_previous: bool,
    categories: Vec<String>,
    tables: Vec<TableView>,
    vendors: Vec<VendorView>,
    excluded: Vec<ExcludedView>,
    charts: Charts,
    method: MethodView,
}

fn delta(e: &Entry, lang: Lang) -> DeltaView {
    match e.delta.filter(|d| d.is_finite()) {
        Some(d) => {
            let (class, key) = if d > 0.0 {
                ("up", "rank_up")
            } else if d < 0.0 {
                ("down", "rank_down")
            } else {
                ("same", "rank_same")
            };
            DeltaView {
                class,
                text: chart::arrow_text(d),
                words: label(key, lang),
            }
        }
        None if e.previous_score.is_none() && e.previous_rank.is_none() => DeltaView {
            class: "new",
            text: label("rank_new", lang),
            words: String::new(),
        },
        None => DeltaView {
            class: "none",
            text: "—".to_string(),
            words: label("rank_no_delta", lang),
        },
    }
}

fn row(r: &Ranking, e: &Entry, cats: &[crate::checklist::Category], lang: Lang) -> RowView {
    let tiers = sorted_tiers(r);
    let tier = e
        .tier
        .as_ref()
        .and_then(|id| tiers.iter().position(|t| &t.id == id).map(|i| (i, id)));
    RowView {
        rank: e.rank.map_or_else(|| "—".to_string(), |n| n.to_string()),
        tier: match tier {
            Some((i, _)) => tiers[i].label.get(lang).to_string(),
            None => e.tier.clone().unwrap_or_default(),
        },
        tier_class: tier.map_or_else(
            || "tier-none".to_string(),
            |(i, _)| format!("tier-{}", i.min(4)),
        ),
        portal: e.portal.clone(),
        organisation: e.organisation.clone(),
        vendor: e.vendor.clone().unwrap_or_else(|| "—".to_string()),
        score: fmt_score(e.score),
        categories: cats
            .iter()
            .map(|c| {
                e.categories
                    .iter()
                    .find(|s| s.category == *c)
                    .and_then(|s| s.score)
                    .map_or_else(|| "—".to_string(), fmt_score)
            })
            .collect(),
        provisional: (e.verdict == crate::evaluation::Conformance::Provisional)
            .then(|| label("rank_provisional_marker", lang).replace("{n}", &e.pending.to_string())),
        partial: (e.skipped > 0)
            .then(|| label("rank_partial_marker", lang).replace("{n}", &e.skipped.to_string())),
        delta: r.methodology.previous.as_ref().map(|_| delta(e, lang)),
        previous_rank: e
            .previous_rank
            .map_or_else(|| "—".to_string(), |n| n.to_string()),
    }
}

fn sorted_tiers(r: &Ranking) -> Vec<&Tier> {
    let mut tiers: Vec<&Tier> = r.methodology.tiers.iter().collect();
    tiers.sort_by(|a, b| {
        b.min_score
            .total_cmp(&a.min_score)
            .then_with(|| a.id.cmp(&b.id))
    });
    tiers
}

/// Why an entry is not ranked, in the report's language.
fn reason(r: &Ranking, e: &Entry, lang: Lang) -> String {
    match &e.exclusion {
        Some(Exclusion::Incomplete) => label("rank_excl_incomplete", lang),
        Some(Exclusion::NotRankable { policy: Some(p) }) => {
            let mut s = label("rank_excl_policy", lang).replace("{policy}", p);
            if let Some(pol) = r.methodology.policies.iter().find(|x| &x.id == p) {
                s = format!("{s}: {}", pol.description.get(lang));
            }
            s
        }
        Some(Exclusion::NotRankable { policy: None }) => label("rank_excl_partial", lang),
        Some(Exclusion::Edition { editions }) => {
            label("rank_excl_edition", lang).replace("{editions}", &editions.join(", "))
        }
        Some(Exclusion::Year { year }) => label("rank_excl_year", lang)
            .replace("{year}", &year.to_string())
            .replace("{ranking}", &r.year.to_string()),
        Some(Exclusion::Superseded { by }) => {
            label("rank_excl_superseded", lang).replace("{by}", by)
        }
        None => e
            .excluded
            .clone()
            .unwrap_or_else(|| label("rank_excl_unknown", lang)),
    }
}

fn excluded(r: &Ranking, lang: Lang) -> Vec<ExcludedView> {
    let mut out: Vec<&Entry> = r.entries.iter().filter(|e| e.rank.is_none()).collect();
    out.sort_by(|a, b| {
        a.portal
            .cmp(&b.portal)
            .then_with(|| a.source.cmp(&b.source))
    });
    out.into_iter()
        .map(|e| {
            let reason = reason(r, e, lang);
            ExcludedView {
                portal: e.portal.clone(),
                organisation: e.organisation.clone(),
                kind: kind_label(&e.organisation_kind, lang),
                verdict: e.verdict.label().get(lang).to_string(),
                verdict_class: e.verdict.as_str(),
                score: fmt_score(e.score),
                detail: e
                    .excluded
                    .clone()
                    .filter(|d| e.exclusion.is_some() && *d != reason),
                reason,
            }
        })
        .collect()
}

fn vendors(r: &Ranking, lang: Lang) -> Vec<VendorView> {
    let not_ranked = label("rank_not_ranked", lang);
    r.vendors
        .iter()
        .map(|v| {
            let counted = v.deployments > 0;
            let figure = |x: f64| {
                if counted {
                    fmt_score(x)
                } else {
                    "—".to_string()
                }
            };
            VendorView {
                rank: v.rank.map_or_else(|| "—".to_string(), |n| n.to_string()),
                vendor: v.vendor.clone(),
                deployments: v.deployments,
                mean: figure(v.mean),
                spread: figure(v.spread),
                range: if counted {
                    format!("{}–{}", fmt_score(v.min), fmt_score(v.max))
                } else {
                    "—".to_string()
                },
                portals: v
                    .portals
                    .iter()
                    .map(|id| {
                        let e = r.entries.iter().find(|e| &e.id == id);
                        let ranked = e.is_some_and(|e| e.rank.is_some());
                        let name = e.map_or_else(|| id.clone(), |e| e.portal.clone());
                        DeploymentView {
                            portal: if ranked {
                                name
                            } else {
                                format!("{name} ({not_ranked})")
                            },
                            ranked,
                        }
                    })
                    .collect(),
            }
        })
        .collect()
}

fn method(r: &Ranking, lang: Lang) -> MethodView {
    let m = &r.methodology;
    let tiers: Vec<TierView> = sorted_tiers(r)
        .into_iter()
        .map(|t| TierView {
            label: t.label.get(lang).to_string(),
            min: fmt_score(t.min_score),
            provenance: t.provenance.label().get(lang).to_string(),
            uncertain: t.provenance.is_uncertain(),
        })
        .collect();
    let policies: Vec<PolicyView> = m
        .policies
        .iter()
        .map(|p| PolicyView {
            id: p.id.clone(),
            description: p.description.get(lang).to_string(),
            basis: p.basis.get(lang).to_string(),
            provenance: p.provenance.label().get(lang).to_string(),
            uncertain: p.provenance.is_uncertain(),
            in_force: p.enabled,
        })
        .collect();
    MethodView {
        editions: if m.editions.is_empty() {
            "—".to_string()
        } else {
            m.editions.join(", ")
        },
        mixed: label(
            if m.allow_mixed {
                "rank_mixed_yes"
            } else {
                "rank_mixed_no"
            },
            lang,
        ),
        partial: label(
            if m.allow_partial {
                "rank_partial_yes"
            } else {
                "rank_partial_no"
            },
            lang,
        ),
        period: m
            .period
            .as_ref()
            .map_or_else(|| "—".to_string(), |(a, b)| format!("{a} – {b}")),
        score: m.score.clone(),
        tie_breakers: m.tie_breakers.clone(),
        weights: m
            .weights
            .iter()
            .map(|w| WeightView {
                category: w.category.title().get(lang).to_string(),
                weight: if w.weight.fract() == 0.0 {
                    format!("{:.0}", w.weight)
                } else {
                    format!("{}", w.weight)
                },
                requirements: w.requirements,
            })
            .collect(),
        any_uncertain: tiers.iter().any(|t| t.uncertain)
            || policies.iter().any(|p| p.uncertain)
            || !m.placeholders.is_empty(),
        tiers,
        policies,
        placeholders: m
            .placeholders
            .iter()
            .map(|p| PlaceholderView {
                requirement: p.requirement.clone(),
                key: p.key.clone(),
                value: p.value.clone(),
            })
            .collect(),
        previous: match &m.previous {
            Some(p) => label("rank_previous_yes", lang)
                .replace("{year}", &p.year.to_string())
                .replace("{file}", &p.file),
            None => label("rank_previous_no", lang),
        },
    }
}

/// The page's view of a ranking in one language.
pub(super) fn build(r: &Ranking, lang: Lang) -> View {
    let cats = chart::scored_categories(r);
    let tables: Vec<TableView> = kinds(r)
        .into_iter()
        .map(|k| TableView {
            id: format!(
                "rank-{}",
                k.chars()
                    .filter(char::is_ascii_alphanumeric)
                    .collect::<String>()
            ),
            title: kind_label(&k, lang),
            rows: ranked(r, &k)
                .into_iter()
                .map(|e| row(r, e, &cats, lang))
                .collect(),
        })
        .collect();
    let counts = kinds(r)
        .into_iter()
        .map(|k| {
            let es = ranked(r, &k);
            CountView {
                kind: kind_label(&k, lang),
                ranked: es.len(),
                provisional: es
                    .iter()
                    .filter(|e| e.verdict == crate::evaluation::Conformance::Provisional)
                    .count(),
            }
        })
        .collect();
    let slope = chart::slope(r, lang);
    let slope_note = if !slope.is_empty() {
        String::new()
    } else if r.methodology.previous.is_some() {
        label("rank_slope_empty", lang)
    } else {
        label("rank_slope_none", lang)
    };
    View {
        lang: lang.tag(),
        t: labels::all(lang),
        title: label("rank_title", lang).replace("{year}", &r.year.to_string()),
        year: r.year,
        generated_at: r.generated_at.clone(),
        tool_version: r.tool_version.clone(),
        counts,
        excluded_count: r.entries.iter().filter(|e| e.rank.is_none()).count(),
        vendor_count: r.vendors.len(),
        has_previous: r.methodology.previous.is_some(),
        categories: cats
            .iter()
            .map(|c| c.title().get(lang).to_string())
            .collect(),
        tables,
        vendors: vendors(r, lang),
        excluded: excluded(r, lang),
        charts: Charts {
            distribution: chart::distribution(r, lang),
            heatmap: chart::heatmap(r, lang),
            slope,
            slope_note,
        },
        method: method(r, lang),
    }
}

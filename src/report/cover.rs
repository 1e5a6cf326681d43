//! The report's cover: who and what was evaluated, by whom, when, the verdict, score and rank,
//! and a chart of each category's sub-score.

use std::fmt::Write as _;

use serde::Serialize;

use super::svg::{escape, nice_ticks, tick_label};
use crate::checklist::Category;
use crate::evaluation::{Evaluation, Judged};
use crate::text::{Lang, Text};

/// The portal's place in a ranking, when one is known (wired from `ranking.json`).
#[derive(Debug, Clone, Serialize)]
pub struct RankView {
    /// 1-based rank among the portals of its kind.
    pub position: u32,
    /// How many portals of that kind were ranked.
    pub of: u32,
    /// Tier name, when the ranking has tiers.
    pub tier: Option<String>,
    /// Which ranking (`2026 — provinces`).
    pub ranking: String,
}

/// One category's sub-score.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryScore {
    /// Category id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Σ weight·credit / Σ weight × 100 over its requirements that count in the score; `None`
    /// when none counts (all skipped or not applicable).
    pub score: Option<f64>,
    /// The score as text (`87.5`, `—`).
    pub text: String,
    /// Requirements counting in it.
    pub counted: usize,
}

/// The cover.
#[derive(Debug, Clone, Serialize)]
pub struct CoverView {
    /// The evaluator (scenario `[portal] evaluator`); empty when not given.
    pub evaluator: String,
    /// Observation period: `start → end` (UTC, minutes), or one date.
    pub period: String,
    /// Checklist editions applied (`tt21-2023`, …).
    pub editions: Vec<String>,
    /// Category sub-scores, in category order.
    pub categories: Vec<CategoryScore>,
    /// The bar chart of `categories` as inline SVG (numbers and shipped titles only).
    pub chart: String,
}

/// Σ weight·credit / Σ weight × 100 over the requirements that count; `None` when none does.
pub fn sub_score(reqs: &[&Judged]) -> Option<f64> {
    let counted: Vec<_> = reqs
        .iter()
        .filter(|r| r.verdict.status.counts_in_score() && r.weight > 0.0)
        .collect();
    let total: f64 = counted.iter().map(|r| r.weight).sum();
    (total > 0.0).then(|| {
        let earned: f64 = counted
            .iter()
            .map(|r| r.weight * r.verdict.credit.clamp(0.0, 1.0))
            .sum();
        (earned / total * 1000.0).round() / 10.0
    })
}

/// `2026-11-30T02:43:17Z` → `2026-11-30 02:43 UTC`.
fn minute(ts: &str) -> String {
    let t = ts.trim_end_matches('Z');
    match t.split_once('T') {
        Some((d, h)) if h.len() >= 5 => format!("{d} {} UTC", &h[..5]),
        _ => ts.to_string(),
    }
}

fn period(e: &Evaluation) -> String {
    let (start, end) = (&e.observations.started_at, &e.observations.finished_at);
    match (start.is_empty(), end.is_empty()) {
        (false, false) if start.get(..10) == end.get(..10) => {
            format!(
                "{} – {}",
                minute(start),
                minute(end).get(11..).unwrap_or_default()
            )
        }
        (false, false) => format!("{} – {}", minute(start), minute(end)),
        (false, true) => minute(start),
        _ => minute(&e.generated_at),
    }
}

/// Builds the cover.
pub fn build(e: &Evaluation, lang: Lang) -> CoverView {
    let categories: Vec<CategoryScore> = Category::ALL
        .iter()
        .filter_map(|c| {
            let rs: Vec<&Judged> = e.requirements.iter().filter(|r| r.category == *c).collect();
            if rs.is_empty() {
                return None;
            }
            let score = sub_score(&rs);
            Some(CategoryScore {
                id: c.as_str().to_string(),
                title: c.title().get(lang).to_string(),
                score,
                text: score.map_or_else(|| "—".into(), |s| format!("{s:.1}")),
                counted: rs
                    .iter()
                    .filter(|r| r.verdict.status.counts_in_score())
                    .count(),
            })
        })
        .collect();
    CoverView {
        evaluator: e.portal.evaluator.clone().unwrap_or_default(),
        period: period(e),
        editions: e.checklists.iter().map(|c| c.edition.clone()).collect(),
        chart: chart(&categories, lang),
        categories,
    }
}

const ROW: f64 = 26.0;
const LABEL_W: f64 = 250.0;
const BAR_W: f64 = 380.0;
const TOP: f64 = 24.0;

/// Horizontal bars, 0–100, one per category, the value written beside each bar (and `—`, no
/// bar, for a category where nothing counts). No script and no colour-only meaning.
pub fn chart(categories: &[CategoryScore], lang: Lang) -> String {
    if categories.is_empty() {
        return String::new();
    }
    let width = LABEL_W + BAR_W + 60.0;
    let height = TOP + ROW * categories.len() as f64 + 8.0;
    let mut s = String::new();
    let title = Text::new(
        "Điểm theo nhóm tiêu chí (0–100)",
        "Score by category (0–100)",
    );
    let _ = write!(
        s,
        r#"<svg class="category-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0} {height:.0}" width="{width:.0}" height="{height:.0}" role="img" aria-label="{}" font-size="12">"#,
        escape(title.get(lang))
    );
    let ticks = nice_ticks(100.0, 4);
    let step = ticks.get(1).copied().unwrap_or(25.0);
    for t in &ticks {
        let x = LABEL_W + BAR_W * t / 100.0;
        let _ = write!(
            s,
            r##"<line x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="#e4e7ec"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#475467">{}</text>"##,
            TOP - 4.0,
            height - 6.0,
            TOP - 8.0,
            tick_label(*t, step)
        );
    }
    for (i, c) in categories.iter().enumerate() {
        let y = TOP + ROW * i as f64;
        let _ = write!(
            s,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#101828">{}</text>"##,
            LABEL_W - 8.0,
            y + 17.0,
            escape(&c.title)
        );
        let w = c.score.map_or(0.0, |v| BAR_W * v.clamp(0.0, 100.0) / 100.0);
        if c.score.is_some() {
            let _ = write!(
                s,
                r##"<rect x="{LABEL_W:.1}" y="{:.1}" width="{w:.1}" height="16" fill="#8b0000"/>"##,
                y + 5.0
            );
        }
        let _ = write!(
            s,
            r##"<text class="value" x="{:.1}" y="{:.1}" fill="#101828">{}</text>"##,
            LABEL_W + w + 6.0,
            y + 17.0,
            escape(&c.text)
        );
    }
    s.push_str("</svg>");
    s
}

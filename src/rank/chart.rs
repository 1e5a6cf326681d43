//! The ranking's charts as inline SVG drawn by hand: the score distribution (a histogram of
//! 10-point bins, one panel per organisation kind), the category heat-map (one row per ranked
//! portal, one column per category, the value written in every cell) and the year-over-year
//! slope chart (last year's score → this year's, per portal ranked in both).
//!
//! Each chart is deterministic (same ranking, same bytes), has a `<title>` and a `<desc>`
//! summing it up, and carries its meaning in text and line style, not in colour alone. Portal
//! names are drawn, so every string goes through [`escape`]. An empty string means "nothing to
//! draw"; the page then says why in a sentence.

#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use super::html::{fmt_delta, fmt_score, kind_label, kinds, ranked};
use super::{Entry, Ranking};
use crate::checklist::Category;
use crate::report::svg::{escape, nice_ticks, truncate};
use crate::text::Lang;

const INK: &str = "#101828";
const AXIS: &str = "#98a2b3";
const GRID: &str = "#e4e7ec";
const BAR: &str = "#175cd3";
const UP: &str = "#1b7f3b";
const DOWN: &str = "#b42318";
/// Approximate advance of one character at the charts' 12 px font.
const CHAR_W: f64 = 6.6;
/// Longest portal name drawn in full (the rest is cut, whole in the tooltip).
const NAME_MAX: usize = 48;

fn label(key: &str, lang: Lang) -> String {
    crate::report::labels::get(key).get(lang).to_string()
}

/// The opening tag, `<title>` and `<desc>` of a chart.
fn open(svg: &mut String, id: &str, w: f64, h: f64, title: &str, desc: &str) {
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="rank-chart" id="{id}" viewBox="0 0 {w:.0} {h:.0}" width="{w:.0}" height="{h:.0}" role="img" aria-labelledby="{id}-title {id}-desc" font-size="12" fill="{INK}"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
}

/// The 10-point bin of a score: 0 for [0, 10), …, 9 for [90, 100].
fn bin(score: f64) -> Option<usize> {
    if !score.is_finite() {
        return None;
    }
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    Some(((score.clamp(0.0, 100.0) / 10.0).floor() as usize).min(9))
}

fn bin_label(i: usize) -> String {
    format!("{}–{}", i * 10, i * 10 + 10)
}

/// The score distribution: one histogram panel per organisation kind with ranked portals, a
/// bar per non-empty 10-point bin with its count written above it.
pub fn distribution(ranking: &Ranking, lang: Lang) -> String {
    const W: f64 = 520.0;
    const LEFT: f64 = 40.0;
    const RIGHT: f64 = W - 16.0;
    const PANEL: f64 = 110.0;
    const HEAD: f64 = 46.0;
    const FOOT: f64 = 30.0;
    let panels: Vec<(String, [usize; 10])> = kinds(ranking)
        .into_iter()
        .filter_map(|k| {
            let mut bins = [0usize; 10];
            for e in ranked(ranking, &k) {
                if let Some(b) = bin(e.score) {
                    bins[b] += 1;
                }
            }
            (bins.iter().sum::<usize>() > 0).then(|| (kind_label(&k, lang), bins))
        })
        .collect();
    if panels.is_empty() {
        return String::new();
    }
    let height = panels.len() as f64 * (HEAD + PANEL + FOOT);
    let desc: Vec<String> = panels
        .iter()
        .map(|(name, bins)| {
            let parts: Vec<String> = bins
                .iter()
                .enumerate()
                .filter(|(_, n)| **n > 0)
                .map(|(i, n)| format!("{} {}: {n}", label("rank_points", lang), bin_label(i)))
                .collect();
            format!("{name}: {}", parts.join(", "))
        })
        .collect();
    let mut svg = String::new();
    open(
        &mut svg,
        "chart-distribution",
        W,
        height,
        &label("rank_chart_distribution", lang),
        &desc.join("; "),
    );
    let bw = (RIGHT - LEFT) / 10.0;
    for (p, (name, bins)) in panels.iter().enumerate() {
        let top = p as f64 * (HEAD + PANEL + FOOT) + HEAD;
        let bottom = top + PANEL;
        let most = bins.iter().copied().max().unwrap_or(1);
        let ticks = nice_ticks(most as f64, most.clamp(1, 4));
        let y_max = ticks.last().copied().unwrap_or(1.0);
        let y = |v: f64| bottom - v / y_max * PANEL;
        let _ = write!(
            svg,
            r#"<g class="panel"><text x="{LEFT}" y="{:.1}" font-weight="600">{}</text>"#,
            top - 26.0,
            escape(name)
        );
        for v in &ticks {
            let _ = write!(
                svg,
                r#"<line x1="{LEFT}" y1="{yy:.1}" x2="{RIGHT}" y2="{yy:.1}" stroke="{GRID}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"#,
                LEFT - 6.0,
                y(*v) + 4.0,
                yy = y(*v),
            );
        }
        for (i, n) in bins.iter().enumerate().filter(|(_, n)| **n > 0) {
            let x = LEFT + i as f64 * bw;
            let _ = write!(
                svg,
                r#"<rect class="bar" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{BAR}"><title>{}: {} {}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" font-weight="600">{n}</text>"#,
                x + 2.0,
                y(*n as f64),
                bw - 4.0,
                bottom - y(*n as f64),
                escape(name),
                label("rank_points", lang),
                bin_label(i),
                x + bw / 2.0,
                y(*n as f64) - 4.0,
            );
        }
        let _ = write!(
            svg,
            r#"<path d="M{LEFT} {top:.1}V{bottom:.1}H{RIGHT}" fill="none" stroke="{AXIS}"/>"#
        );
        for i in 0..=10 {
            let _ = write!(
                svg,
                r#"<text x="{:.1}" y="{:.1}" text-anchor="middle">{}</text>"#,
                LEFT + f64::from(i) * bw,
                bottom + 16.0,
                i * 10
            );
        }
        svg.push_str("</g>");
    }
    svg.push_str("</svg>");
    svg
}

/// The categories with a sub-score in some ranked entry, in [`Category::ALL`] order.
pub fn scored_categories(ranking: &Ranking) -> Vec<Category> {
    Category::ALL
        .into_iter()
        .filter(|c| {
            ranking
                .entries
                .iter()
                .filter(|e| e.rank.is_some())
                .any(|e| {
                    e.categories
                        .iter()
                        .any(|s| s.category == *c && s.score.is_some())
                })
        })
        .collect()
}

/// A category header in at most two lines, split at the space nearest the middle.
fn two_lines(s: &str) -> (String, Option<String>) {
    let n = s.chars().count();
    if n <= 12 {
        return (s.to_string(), None);
    }
    let mid = n / 2;
    let split = s
        .char_indices()
        .filter(|(_, c)| *c == ' ')
        .map(|(b, _)| b)
        .min_by_key(|b| s[..*b].chars().count().abs_diff(mid));
    match split {
        Some(b) => (s[..b].to_string(), Some(s[b + 1..].to_string())),
        None => (s.to_string(), None),
    }
}

/// The fill and text colour of a heat-map cell: darker is higher; the value is written in
/// the cell, so the shade only helps the eye.
fn shade(v: f64) -> (&'static str, &'static str) {
    match v {
        v if v >= 90.0 => ("#175cd3", "#fff"),
        v if v >= 75.0 => ("#2e90fa", "#fff"),
        v if v >= 50.0 => ("#84caff", INK),
        v if v >= 25.0 => ("#d1e9ff", INK),
        _ => ("#eff8ff", INK),
    }
}

/// The category heat-map: one row per ranked portal (grouped by kind, in rank order), one
/// column per category that counted somewhere, the sub-score written in each cell (`—` when
/// nothing of the category counted for that portal).
pub fn heatmap(ranking: &Ranking, lang: Lang) -> String {
    const CELL_W: f64 = 96.0;
    const ROW: f64 = 24.0;
    const HEAD: f64 = 44.0;
    const GROUP: f64 = 26.0;
    let cats = scored_categories(ranking);
    let groups: Vec<(String, Vec<&Entry>)> = kinds(ranking)
        .into_iter()
        .map(|k| (kind_label(&k, lang), ranked(ranking, &k)))
        .filter(|(_, es)| !es.is_empty())
        .collect();
    if cats.is_empty() || groups.is_empty() {
        return String::new();
    }
    let names: Vec<(String, bool)> = groups
        .iter()
        .flat_map(|(_, es)| es.iter())
        .map(|e| truncate(&row_name(e), NAME_MAX))
        .collect();
    let longest = names
        .iter()
        .map(|(n, _)| n.chars().count())
        .max()
        .unwrap_or(0);
    let left = (longest as f64 * CHAR_W + 16.0).clamp(120.0, 360.0);
    let rows: usize = groups.iter().map(|(_, es)| es.len()).sum();
    let width = left + cats.len() as f64 * CELL_W + 8.0;
    let height = HEAD + groups.len() as f64 * GROUP + rows as f64 * ROW + 8.0;
    let desc = label("rank_chart_heatmap_desc", lang)
        .replace("{rows}", &rows.to_string())
        .replace("{cols}", &cats.len().to_string());
    let mut svg = String::new();
    open(
        &mut svg,
        "chart-heatmap",
        width,
        height,
        &label("rank_chart_heatmap", lang),
        &desc,
    );
    for (i, c) in cats.iter().enumerate() {
        let cx = left + (i as f64 + 0.5) * CELL_W;
        let (a, b) = two_lines(c.title().get(lang));
        let y1 = if b.is_some() { HEAD - 22.0 } else { HEAD - 8.0 };
        let _ = write!(
            svg,
            r#"<text x="{cx:.1}" y="{y1:.1}" text-anchor="middle" font-weight="600">{}</text>"#,
            escape(&a)
        );
        if let Some(b) = b {
            let _ = write!(
                svg,
                r#"<text x="{cx:.1}" y="{:.1}" text-anchor="middle" font-weight="600">{}</text>"#,
                HEAD - 8.0,
                escape(&b)
            );
        }
    }
    let mut y = HEAD;
    let mut k = 0;
    for (kind, entries) in &groups {
        let _ = write!(
            svg,
            r#"<text class="group" x="4" y="{:.1}" font-weight="700">{}</text>"#,
            y + GROUP - 8.0,
            escape(kind)
        );
        y += GROUP;
        for e in entries {
            let (name, cut) = &names[k];
            k += 1;
            let tip = if *cut {
                format!("<title>{}</title>", escape(&row_name(e)))
            } else {
                String::new()
            };
            let _ = write!(
                svg,
                r#"<g class="row"><text x="4" y="{:.1}">{tip}{}</text>"#,
                y + ROW / 2.0 + 4.0,
                escape(name)
            );
            for (i, c) in cats.iter().enumerate() {
                let v = e
                    .categories
                    .iter()
                    .find(|s| s.category == *c)
                    .and_then(|s| s.score)
                    .filter(|v| v.is_finite());
                let (fill, ink) = v.map_or(("#fff", INK), shade);
                let x = left + i as f64 * CELL_W;
                let text = v.map_or_else(|| "—".to_string(), fmt_score);
                let _ = write!(
                    svg,
                    r#"<rect class="cell" x="{:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{fill}" stroke="{GRID}"><title>{}, {}: {text}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="{ink}">{text}</text>"#,
                    x + 1.0,
                    y + 1.0,
                    CELL_W - 2.0,
                    ROW - 2.0,
                    escape(&e.portal),
                    escape(c.title().get(lang)),
                    x + CELL_W / 2.0,
                    y + ROW / 2.0 + 4.0,
                );
            }
            svg.push_str("</g>");
            y += ROW;
        }
    }
    svg.push_str("</svg>");
    svg
}

/// `3. Cổng …` — the rank before the name.
fn row_name(e: &Entry) -> String {
    match e.rank {
        Some(n) => format!("{n}. {}", e.portal),
        None => e.portal.clone(),
    }
}

/// The ranked portals compared with last year: those with a delta, by this year's score.
pub fn compared(ranking: &Ranking) -> Vec<(&Entry, f64, f64)> {
    let mut out: Vec<(&Entry, f64, f64)> = ranking
        .entries
        .iter()
        .filter(|e| e.rank.is_some())
        .filter_map(|e| Some((e, e.previous_score?, e.delta?)))
        .filter(|(e, p, d)| e.score.is_finite() && p.is_finite() && d.is_finite())
        .collect();
    out.sort_by(|a, b| {
        b.0.score
            .total_cmp(&a.0.score)
            .then_with(|| a.0.portal.cmp(&b.0.portal))
    });
    out
}

/// The slope chart: last year's score on the left axis, this year's on the right, one line
/// per portal in both (solid rising, dashed falling, dotted unchanged), labelled on the right
/// with the name, both scores and the change. Empty without `--previous` or when no portal is
/// in both years.
pub fn slope(ranking: &Ranking, lang: Lang) -> String {
    const X0: f64 = 70.0;
    const X1: f64 = 250.0;
    const LABEL: f64 = 272.0;
    const TOP: f64 = 44.0;
    const LINE: f64 = 16.0;
    let Some(prev) = &ranking.methodology.previous else {
        return String::new();
    };
    let rows = compared(ranking);
    if rows.is_empty() {
        return String::new();
    }
    let lo = rows
        .iter()
        .map(|(e, p, _)| e.score.min(*p))
        .fold(100.0, f64::min);
    let hi = rows
        .iter()
        .map(|(e, p, _)| e.score.max(*p))
        .fold(0.0, f64::max);
    let lo = ((lo / 10.0).floor() * 10.0).clamp(0.0, 90.0);
    let hi = ((hi / 10.0).ceil() * 10.0).clamp(lo + 10.0, 100.0);
    let plot = (rows.len() as f64 * LINE).max(160.0);
    let bottom = TOP + plot;
    let y = |v: f64| bottom - (v - lo) / (hi - lo) * plot;
    let labels: Vec<(String, String)> = rows
        .iter()
        .map(|(e, p, d)| {
            let (name, _) = truncate(&e.portal, NAME_MAX);
            let text = format!(
                "{name}: {} → {} ({})",
                fmt_score(*p),
                fmt_score(e.score),
                arrow_text(*d)
            );
            (text, e.portal.clone())
        })
        .collect();
    // Labels at least one line apart, pushed down then back up inside the plot.
    let mut ly: Vec<f64> = rows.iter().map(|(e, _, _)| y(e.score)).collect();
    for i in 1..ly.len() {
        ly[i] = ly[i].max(ly[i - 1] + LINE);
    }
    let last = ly.len() - 1;
    ly[last] = ly[last].min(bottom);
    for i in (0..last).rev() {
        ly[i] = ly[i].min(ly[i + 1] - LINE);
    }
    let longest = labels
        .iter()
        .map(|(t, _)| t.chars().count())
        .max()
        .unwrap_or(0);
    let width = LABEL + longest as f64 * CHAR_W + 12.0;
    let height = bottom + 36.0;
    let desc = label("rank_chart_slope_desc", lang)
        .replace("{n}", &rows.len().to_string())
        .replace("{from}", &prev.year.to_string())
        .replace("{to}", &ranking.year.to_string());
    let mut svg = String::new();
    open(
        &mut svg,
        "chart-slope",
        width,
        height,
        &label("rank_chart_slope", lang),
        &desc,
    );
    for (x, year) in [(X0, prev.year), (X1, ranking.year)] {
        let _ = write!(
            svg,
            r#"<line x1="{x}" y1="{TOP}" x2="{x}" y2="{bottom:.1}" stroke="{AXIS}"/><text x="{x}" y="{:.1}" text-anchor="middle" font-weight="700">{year}</text>"#,
            TOP - 18.0
        );
    }
    let mut v = lo;
    while v <= hi + 1e-9 {
        let _ = write!(
            svg,
            r#"<line x1="{:.1}" y1="{yy:.1}" x2="{X0}" y2="{yy:.1}" stroke="{AXIS}"/><text x="{:.1}" y="{:.1}" text-anchor="end">{v}</text>"#,
            X0 - 4.0,
            X0 - 8.0,
            y(v) + 4.0,
            yy = y(v)
        );
        v += 10.0;
    }
    for (((e, p, d), (text, full)), label_y) in rows.iter().zip(&labels).zip(&ly) {
        let (colour, dash) = if *d > 0.0 {
            (UP, "")
        } else if *d < 0.0 {
            (DOWN, r#" stroke-dasharray="6 3""#)
        } else {
            (AXIS, r#" stroke-dasharray="2 3""#)
        };
        let (y0, y1) = (y(*p), y(e.score));
        let _ = write!(
            svg,
            r#"<g class="slope"><title>{}</title><line x1="{X0}" y1="{y0:.1}" x2="{X1}" y2="{y1:.1}" stroke="{colour}" stroke-width="2"{dash}/><circle cx="{X0}" cy="{y0:.1}" r="3" fill="{colour}"/><circle cx="{X1}" cy="{y1:.1}" r="3" fill="{colour}"/><line x1="{:.1}" y1="{y1:.1}" x2="{:.1}" y2="{label_y:.1}" stroke="{GRID}"/><text x="{LABEL}" y="{:.1}">{}</text></g>"#,
            escape(full),
            X1 + 4.0,
            LABEL - 4.0,
            label_y + 4.0,
            escape(text)
        );
    }
    let _ = write!(
        svg,
        r#"<text x="{X0}" y="{:.1}">{}</text>"#,
        height - 10.0,
        escape(&label("rank_chart_slope_legend", lang))
    );
    svg.push_str("</svg>");
    svg
}

/// `▲ +3.2`, `▼ −1.0`, `= 0.0` — the direction in a symbol and a sign, never colour alone.
pub fn arrow_text(d: f64) -> String {
    if d > 0.0 {
        format!("▲ {}", fmt_delta(d))
    } else if d < 0.0 {
        format!("▼ {}", fmt_delta(d))
    } else {
        format!("= {}", fmt_delta(d))
    }
}

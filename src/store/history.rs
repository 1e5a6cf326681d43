//! `kiemdinh history`: the views of the evaluation history ([`super::evaluations`]) — pure
//! functions from recorded rows to text, Markdown or JSON.
//!
//! A portal's history lists every evaluation oldest first (date in Vietnam, checklist
//! editions, verdict, score, change from the previous one, pending and failed mandatory
//! items) and the score trend as a sparkline scaled between the lowest and highest score
//! (`▁` lowest, `█` highest; all equal scores draw `▄`). Without a portal, every portal with
//! its latest evaluation.

use std::fmt::Write as _;

use serde::Serialize;

use super::evaluations::{PortalSummary, Recorded};

/// One evaluation as `history` shows it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Row {
    /// When it was made (RFC 3339, as recorded).
    pub finished_at: String,
    /// The same in Vietnam, `YYYY-MM-DD HH:MM` (UTC+7).
    pub local_time: String,
    /// Its ranking year (Vietnam).
    pub year: Option<i32>,
    /// Checklist editions applied.
    pub checklists: Vec<String>,
    /// Overall verdict.
    pub verdict: String,
    /// Score 0–100.
    pub score: f64,
    /// Change from the previous evaluation (one decimal); `None` for the first.
    pub delta: Option<f64>,
    /// Mandatory requirements pending.
    pub pending: usize,
    /// Failed mandatory requirement ids.
    pub failed_mandatory: Vec<String>,
    /// kiemdinh version.
    pub tool_version: String,
    /// The `evaluation.json` it was recorded from, when known.
    pub source: Option<String>,
}

/// The score trend of a portal's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    /// Score of the first evaluation.
    pub first: f64,
    /// Score of the latest.
    pub last: f64,
    /// `last - first` (one decimal).
    pub change: f64,
    /// Lowest score.
    pub min: f64,
    /// Highest score.
    pub max: f64,
    /// The sparkline, one block per evaluation.
    pub sparkline: String,
}

/// A portal's history.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PortalHistory {
    /// Portal id.
    pub portal: String,
    /// Its name (of the latest evaluation).
    pub name: String,
    /// Its published host.
    pub host: String,
    /// Every evaluation, oldest first.
    pub evaluations: Vec<Row>,
    /// The score trend (`None` without evaluations).
    pub trend: Option<Trend>,
}

/// Rounds to one decimal, as scores are shown.
fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// `YYYY-MM-DD HH:MM` in Vietnam (UTC+7); the text as recorded when it is no RFC 3339 time.
pub fn local_time(rfc3339: &str) -> String {
    let parsed =
        time::OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339);
    match (parsed, time::UtcOffset::from_hms(7, 0, 0)) {
        (Ok(t), Ok(vietnam)) => {
            let t = t.to_offset(vietnam);
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                t.year(),
                u8::from(t.month()),
                t.day(),
                t.hour(),
                t.minute()
            )
        }
        _ => rfc3339.to_string(),
    }
}

/// One block per score, scaled between the lowest (`▁`) and the highest (`█`); all equal
/// scores (or one) draw `▄`.
pub fn sparkline(scores: &[f64]) -> String {
    const BLOCKS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    let min = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let max = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    scores
        .iter()
        .map(|&s| {
            if max - min < 1e-9 {
                BLOCKS[3]
            } else {
                let level = ((s - min) / (max - min) * 7.0).round();
                // 0..=7 by construction.
                #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                BLOCKS[(level as usize).min(7)]
            }
        })
        .collect()
}

/// The history view of a portal's recorded evaluations (oldest first, as
/// [`crate::store::Store::history`] returns them).
pub fn portal_history(portal: &str, rows: &[Recorded]) -> PortalHistory {
    let mut previous: Option<f64> = None;
    let evaluations: Vec<Row> = rows
        .iter()
        .map(|r| {
            let row = Row {
                finished_at: r.finished_at.clone(),
                local_time: local_time(&r.finished_at),
                year: r.year,
                checklists: r
                    .checklist
                    .split(',')
                    .filter(|e| !e.is_empty())
                    .map(str::to_string)
                    .collect(),
                verdict: r.verdict.clone(),
                score: r.score,
                delta: previous.map(|p| round1(r.score - p)),
                pending: r.pending,
                failed_mandatory: r.failed.clone(),
                tool_version: r.tool_version.clone(),
                source: r.source.clone(),
            };
            previous = Some(r.score);
            row
        })
        .collect();
    let scores: Vec<f64> = evaluations.iter().map(|e| e.score).collect();
    let trend = match (scores.first(), scores.last()) {
        (Some(&first), Some(&last)) => Some(Trend {
            first,
            last,
            change: round1(last - first),
            min: scores.iter().copied().fold(f64::INFINITY, f64::min),
            max: scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            sparkline: sparkline(&scores),
        }),
        _ => None,
    };
    let latest = rows.last();
    PortalHistory {
        portal: portal.to_string(),
        name: latest.map(|r| r.name.clone()).unwrap_or_default(),
        host: latest.map(|r| r.host.clone()).unwrap_or_default(),
        evaluations,
        trend,
    }
}

/// A signed change: `+1.5`, `-3.2`, `±0.0`.
fn signed(d: f64) -> String {
    if d.abs() < 0.05 {
        "±0.0".into()
    } else {
        format!("{d:+.1}")
    }
}

/// Lays out rows as columns separated by two spaces; `right` says which columns are numbers.
fn table(header: &[&str], rows: &[Vec<String>], right: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let line = |cells: Vec<&str>| {
        let mut s = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = widths[i].saturating_sub(cell.chars().count());
            if i > 0 {
                s.push_str("  ");
            }
            if right[i] {
                s.push_str(&" ".repeat(pad));
                s.push_str(cell);
            } else if i + 1 < cells.len() {
                s.push_str(cell);
                s.push_str(&" ".repeat(pad));
            } else {
                s.push_str(cell);
            }
        }
        s.trim_end().to_string() + "\n"
    };
    let mut out = line(header.to_vec());
    for row in rows {
        out.push_str(&line(row.iter().map(String::as_str).collect()));
    }
    out
}

fn cells(e: &Row) -> Vec<String> {
    vec![
        e.local_time.clone(),
        e.checklists.join(","),
        e.verdict.clone(),
        format!("{:.1}", e.score),
        e.delta.map(signed).unwrap_or_default(),
        e.pending.to_string(),
        if e.failed_mandatory.is_empty() {
            "-".into()
        } else {
            e.failed_mandatory.join(", ")
        },
    ]
}

const HEADER: [&str; 7] = [
    "date (UTC+7)",
    "checklists",
    "verdict",
    "score",
    "Δ",
    "pending",
    "failed mandatory",
];

fn trend_line(t: &Trend, n: usize) -> String {
    format!(
        "trend {}  {:.1} → {:.1} ({} over {n} evaluation{}; lowest {:.1}, highest {:.1})",
        t.sparkline,
        t.first,
        t.last,
        signed(t.change),
        if n == 1 { "" } else { "s" },
        t.min,
        t.max
    )
}

/// The console text of a portal's history.
pub fn text(h: &PortalHistory) -> String {
    let mut s = format!(
        "{} — portal `{}`{}, {} evaluation{}\n\n",
        h.name,
        h.portal,
        if h.host.is_empty() {
            String::new()
        } else {
            format!(" ({})", h.host)
        },
        h.evaluations.len(),
        if h.evaluations.len() == 1 { "" } else { "s" }
    );
    let rows: Vec<Vec<String>> = h.evaluations.iter().map(cells).collect();
    s.push_str(&table(
        &HEADER,
        &rows,
        &[false, false, false, true, true, true, false],
    ));
    if let Some(t) = &h.trend {
        let _ = writeln!(s, "\n{}", trend_line(t, h.evaluations.len()));
    }
    s
}

/// Escapes a Markdown table cell.
fn md_cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// The Markdown of a portal's history (a heading, a table, the trend).
pub fn markdown(h: &PortalHistory) -> String {
    let mut s = format!(
        "## History of `{}` — {}\n\n| {} |\n|{}\n",
        h.portal,
        md_cell(&h.name),
        HEADER.join(" | "),
        "---|---|---|--:|--:|--:|---|"
    );
    for e in &h.evaluations {
        let c: Vec<String> = cells(e).iter().map(|c| md_cell(c)).collect();
        let _ = writeln!(s, "| {} |", c.join(" | "));
    }
    if let Some(t) = &h.trend {
        let _ = writeln!(s, "\n{}", trend_line(t, h.evaluations.len()));
    }
    s
}

/// The console text of every portal with its latest evaluation.
pub fn portals_text(portals: &[PortalSummary]) -> String {
    let rows: Vec<Vec<String>> = portals
        .iter()
        .map(|p| {
            vec![
                p.latest.portal.clone(),
                p.evaluations.to_string(),
                local_time(&p.latest.finished_at),
                p.latest.verdict.clone(),
                format!("{:.1}", p.latest.score),
                p.latest.name.clone(),
            ]
        })
        .collect();
    table(
        &[
            "portal",
            "evaluations",
            "latest (UTC+7)",
            "verdict",
            "score",
            "name",
        ],
        &rows,
        &[false, true, false, false, true, false],
    )
}

/// The Markdown of every portal with its latest evaluation.
pub fn portals_markdown(portals: &[PortalSummary]) -> String {
    let mut s = String::from(
        "| portal | evaluations | latest (UTC+7) | verdict | score | name |\n\
         |---|--:|---|---|--:|---|\n",
    );
    for p in portals {
        let _ = writeln!(
            s,
            "| {} | {} | {} | {} | {:.1} | {} |",
            md_cell(&p.latest.portal),
            p.evaluations,
            local_time(&p.latest.finished_at),
            p.latest.verdict,
            p.latest.score,
            md_cell(&p.latest.name)
        );
    }
    s
}

#[cfg(test)]
#[path = "history_tests.rs"]
mod tests;

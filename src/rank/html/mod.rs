//! `ranking.html`: the publishable page of a [`Ranking`] in one language — the summary, one
//! table per organisation kind (rank, tier, portal, organisation, vendor, score, category
//! sub-scores, the pending count of provisional entries, the change against last year), the
//! vendor table, the excluded list with the reason, the charts ([`super::chart`]) and the
//! methodology (editions, period, score, tie-breakers, weights, tiers and policies with their
//! provenance, placeholder thresholds, the ranking compared with).
//!
//! As for the per-portal report, a view model holds every string and figure formatted once
//! (scores with one decimal, `74.5`) and the template `reports/ranking.html` only loops; the
//! template is auto-escaped, so portal-supplied names cannot inject markup, and the charts
//! escape what they draw themselves.

use std::sync::LazyLock;

#[cfg(test)]
mod tests;
mod view;

use super::{Entry, Ranking};
use crate::error::Error;
use crate::report::labels;
use crate::text::Lang;

const TEMPLATE: &str = include_str!("../../../reports/ranking.html");
/// The per-portal report's style first, then the ranking's additions.
const CSS: [&str; 2] = [
    include_str!("../../../reports/report.css"),
    include_str!("../../../reports/ranking.css"),
];
/// The kinds with a table even when empty, in this order; any other kind follows by name.
const KINDS: [&str; 2] = ["ministry", "province"];

static TERA: LazyLock<tera::Tera> = LazyLock::new(|| {
    let mut t = tera::Tera::new();
    t.add_raw_template("ranking.html", TEMPLATE)
        .expect("shipped ranking template parses");
    t
});

/// A score or sub-score with one decimal (`74.5`), as the per-portal report writes it; `—`
/// when not a number.
pub fn fmt_score(x: f64) -> String {
    if x.is_finite() {
        format!("{x:.1}")
    } else {
        "—".to_string()
    }
}

/// A signed change with one decimal: `+3.2`, `−1.0` (a true minus), `0.0`.
pub fn fmt_delta(d: f64) -> String {
    let s = fmt_score(d.abs());
    if s == "0.0" || !d.is_finite() {
        s
    } else if d > 0.0 {
        format!("+{s}")
    } else {
        format!("−{s}")
    }
}

/// The organisation kinds of a ranking: ministries, provinces, then any other kind present.
pub fn kinds(r: &Ranking) -> Vec<String> {
    let mut out: Vec<String> = KINDS.iter().map(ToString::to_string).collect();
    let mut other: Vec<String> = r
        .entries
        .iter()
        .map(|e| e.organisation_kind.clone())
        .filter(|k| !KINDS.contains(&k.as_str()))
        .collect();
    other.sort();
    other.dedup();
    out.extend(other);
    out
}

/// A kind's name in the report's language (an unknown kind as written).
pub fn kind_label(kind: &str, lang: Lang) -> String {
    match kind {
        "ministry" | "province" => label(&format!("rank_kind_{kind}"), lang),
        other => other.to_string(),
    }
}

/// The ranked entries of one kind, by rank then name.
pub fn ranked<'a>(r: &'a Ranking, kind: &str) -> Vec<&'a Entry> {
    let mut out: Vec<&Entry> = r
        .entries
        .iter()
        .filter(|e| e.organisation_kind == kind && e.rank.is_some())
        .collect();
    out.sort_by(|a, b| a.rank.cmp(&b.rank).then_with(|| a.portal.cmp(&b.portal)));
    out
}

pub(crate) fn label(key: &str, lang: Lang) -> String {
    labels::get(key).get(lang).to_string()
}
/// Renders `ranking.html`: one self-contained page (style inline, charts inline, no script).
pub fn html(r: &Ranking, lang: Lang) -> Result<String, Error> {
    let err = |e: tera::Error| Error::Render {
        name: "ranking.html".to_string(),
        message: e.to_string(),
    };
    let mut ctx = tera::Context::from_serialize(&view::build(r, lang)).map_err(err)?;
    ctx.insert("css", &CSS.concat());
    TERA.render("ranking.html", &ctx).map_err(err)
}

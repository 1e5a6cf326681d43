//! `ranking.csv`: one row per entry (ranked and excluded), for spreadsheets.
//!
//! The file starts with a UTF-8 byte-order mark: Excel opens a CSV without one in the system's
//! legacy code page (windows-1258 on Vietnamese Windows) and garbles every diacritic; with it,
//! Excel reads UTF-8. Other tools (Python's `utf-8-sig`, `LibreOffice`, `csv` crates) skip it.

use super::model::{Entry, Ranking};
use crate::checklist::Category;
use crate::error::Error;
use crate::text::Lang;

/// The UTF-8 byte-order mark.
pub const BOM: &str = "\u{feff}";

fn num(x: Option<f64>) -> String {
    x.map_or_else(String::new, |x| format!("{x:.1}"))
}

fn row(e: &Entry, r: &Ranking, lang: Lang) -> Vec<String> {
    let tier = e
        .tier
        .as_ref()
        .and_then(|id| r.methodology.tiers.iter().find(|t| &t.id == id))
        .map_or_else(String::new, |t| t.label.get(lang).to_string());
    let mut cells = vec![
        e.organisation_kind.clone(),
        e.rank.map_or_else(String::new, |r| r.to_string()),
        tier,
        e.portal.clone(),
        e.organisation.clone(),
        e.vendor.clone().unwrap_or_default(),
        num(Some(e.score)),
    ];
    for c in Category::ALL {
        cells.push(num(e
            .categories
            .iter()
            .find(|s| s.category == c)
            .and_then(|s| s.score)));
    }
    cells.extend([
        e.verdict.as_str().to_string(),
        e.pending.to_string(),
        e.skipped.to_string(),
        e.failed_mandatory.to_string(),
        num(e.delta),
        e.previous_rank.map_or_else(String::new, |r| r.to_string()),
        e.excluded.clone().unwrap_or_default(),
    ]);
    cells
}

/// Renders `ranking.csv` (with the byte-order mark).
pub fn render(r: &Ranking, lang: Lang) -> Result<String, Error> {
    let err = |e: &dyn std::fmt::Display| Error::Render {
        name: "ranking.csv".into(),
        message: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<&str> = vec![
        "kind",
        "rank",
        "tier",
        "portal",
        "organisation",
        "vendor",
        "score",
    ];
    header.extend(Category::ALL.iter().map(|c| c.as_str()));
    header.extend([
        "verdict",
        "pending",
        "skipped",
        "failed_mandatory",
        "delta",
        "previous_rank",
        "excluded",
    ]);
    w.write_record(&header).map_err(|e| err(&e))?;
    for e in &r.entries {
        w.write_record(row(e, r, lang)).map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| err(&e))?;
    Ok(format!("{BOM}{text}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_quote_commas_and_start_with_a_bom() {
        let json = include_str!("../../tests/fixtures/rank/expected-ranking.json");
        let mut r: Ranking = serde_json::from_str(json).unwrap();
        r.entries[0].portal = "Cổng \"A\", tỉnh Bắc".into();
        let csv = render(&r, Lang::Vi).unwrap();
        assert!(csv.starts_with(BOM));
        assert!(csv.contains("\"Cổng \"\"A\"\", tỉnh Bắc\""), "{csv}");
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), r.entries.len() + 1);
        assert!(lines[0].ends_with("delta,previous_rank,excluded"));
    }
}

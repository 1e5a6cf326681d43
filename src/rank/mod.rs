//! The annual ranking (`kiemdinh rank`, Điều 11): many `evaluation.json` of one year ordered
//! per organisation kind, tiers, vendors, year-over-year change and the methodology.
//!
//! [`input`] reads the evaluations, [`compute`] ranks them (pure), [`write_outputs`] writes
//! `ranking.json` and `ranking.csv` (and is where the HTML and PDF renderings join).

pub mod chart;
pub mod compute;
pub mod cover;
pub mod csv;
#[cfg(test)]
mod equivalence_tests;
#[cfg(test)]
pub(crate) mod fixture;
pub mod from_store;
pub mod html;
pub mod input;
pub mod methodology;
pub mod model;
pub mod previous;
pub mod tiers;
pub mod vendors;

use std::path::{Path, PathBuf};

pub use model::VendorEntry;
pub use model::{
    CategoryScore, CategoryWeight, Entry, Exclusion, Methodology, PlaceholderUse, PreviousRef,
    RANKING_VERSION, Ranking, Tier,
};

use crate::error::Error;
use crate::text::Lang;

/// What `kiemdinh rank` was asked.
#[derive(Debug, Clone, Default)]
pub struct RankOptions {
    /// `evaluation.json` files or folders holding them.
    pub paths: Vec<PathBuf>,
    /// The year to rank (default: the year of the latest evaluation).
    pub year: Option<i32>,
    /// An earlier year's `ranking.json`.
    pub previous: Option<PathBuf>,
    /// Output directory (default `out/ranking-<year>/`).
    pub out: Option<PathBuf>,
    /// Admit evaluations of other checklist editions.
    pub allow_mixed: bool,
    /// Rank partial evaluations (mandatory requirements left out), marked as such.
    pub allow_partial: bool,
    /// Print `ranking.pdf` when Chromium is installed (`--no-pdf` turns it off).
    pub pdf: bool,
    /// A tiers file replacing the shipped one.
    pub tiers: Option<PathBuf>,
    /// Language of the texts.
    pub lang: Lang,
    /// The evaluation history (`--db`): ranked when no file is given, else the files are
    /// recorded in it ([`from_store`]).
    pub db: Option<PathBuf>,
}

/// What `kiemdinh rank` produced.
#[derive(Debug, Clone)]
pub struct RankOutcome {
    /// The ranking.
    pub ranking: Ranking,
    /// The output directory.
    pub out: PathBuf,
    /// The files written, in order.
    pub written: Vec<PathBuf>,
    /// With files and `--db`: how many of them were new to the store.
    pub recorded: Option<usize>,
}

/// The ranking's time stamp: `SOURCE_DATE_EPOCH` (seconds since 1970, the reproducible-builds
/// convention) when set, so the same inputs give the same bytes; else now.
pub fn generated_at() -> Result<String, Error> {
    match std::env::var("SOURCE_DATE_EPOCH") {
        Ok(s) => s
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|secs| time::OffsetDateTime::from_unix_timestamp(secs).ok())
            .and_then(|t| {
                t.format(&time::format_description::well_known::Rfc3339)
                    .ok()
            })
            .ok_or_else(|| {
                Error::Usage(format!(
                    "SOURCE_DATE_EPOCH is `{s}`: it must be seconds since 1970-01-01 UTC"
                ))
            }),
        Err(_) => Ok(crate::clock::now_rfc3339()),
    }
}

/// Reads, ranks and writes: the whole `kiemdinh rank`. Every input problem (unreadable or
/// invalid evaluation, no evaluation, bad `--previous` or `--tiers`) is found before anything
/// is written.
pub fn run(o: &RankOptions) -> Result<RankOutcome, Error> {
    let generated_at = generated_at()?;
    let tiers = tiers::load(o.tiers.as_deref())?;
    let store = o.db.as_deref().map(from_store::open).transpose()?;
    let from_db = store.as_ref().filter(|_| o.paths.is_empty());
    let (year, inputs) = if let Some(s) = from_db {
        from_store::inputs(s, o.year)?
    } else {
        let inputs = input::read_all(&o.paths)?;
        (compute::ranking_year(&inputs, o.year), inputs)
    };
    let mut params = compute::Params {
        year: Some(year),
        allow_mixed: o.allow_mixed,
        allow_partial: o.allow_partial,
        tiers: &tiers,
        previous: None,
        lang: o.lang,
        generated_at,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
    };
    let previous = match (o.previous.as_deref(), from_db) {
        (Some(p), _) => Some(previous::read(p, year)?),
        (None, Some(s)) => from_store::previous(s, year, &params)?,
        (None, None) => None,
    };
    params.previous = previous.as_ref();
    let ranking = compute::rank(&inputs, &params);
    let out = o
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from(format!("out/ranking-{year}")));
    let mut written = write_outputs(&ranking, &out, o.lang)?;
    // The PDF is printed from the page just written, by the browser the reports use; without
    // one the other outputs stand alone (the summary says the PDF was not printed).
    if o.pdf && crate::report::pdf::chromium().is_some() {
        let pdf = out.join("ranking.pdf");
        crate::report::pdf::print_pdf(&out.join("ranking.html"), &pdf)?;
        written.push(pdf);
    }
    // The files ranked go into the store after the ranking is written: a store that cannot
    // be written is an error (exit 4), the ranking stands.
    let recorded = match store.as_ref().filter(|_| from_db.is_none()) {
        Some(s) => Some(from_store::record_files(s, &o.paths)?),
        None => None,
    };
    Ok(RankOutcome {
        ranking,
        out,
        written,
        recorded,
    })
}

/// Renders `ranking.json` (pretty; entries and vendors already in their order).
pub fn json(r: &Ranking) -> String {
    let mut s = serde_json::to_string_pretty(r).expect("the ranking serialises");
    s.push('\n');
    s
}

/// Writes every ranking output into `out` (created if needed), each under a temporary name
/// then renamed, so a crash never leaves a half-written file: `ranking.json`, `ranking.csv`,
/// `ranking.html` ([`run`] then prints `ranking.pdf` from the HTML when it can).
pub fn write_outputs(r: &Ranking, out: &Path, lang: Lang) -> Result<Vec<PathBuf>, Error> {
    fs_err::create_dir_all(out).map_err(|source| Error::Output {
        path: out.to_path_buf(),
        source,
    })?;
    let files = [
        ("ranking.json", json(r)),
        ("ranking.csv", csv::render(r, lang)?),
        ("ranking.html", html::html(r, lang)?),
    ];
    let mut written = Vec::with_capacity(files.len());
    for (name, text) in files {
        written.push(write_atomic(out, name, &text)?);
    }
    Ok(written)
}

pub use crate::report::write_atomic;

#[cfg(test)]
mod tests {
    #[test]
    fn outputs_are_written_atomically_and_replace_older_ones() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("new/dir");
        let json = include_str!("../../tests/fixtures/rank/expected-ranking.json");
        let r: super::Ranking = serde_json::from_str(json).unwrap();
        let written = super::write_outputs(&r, &out, crate::text::Lang::Vi).unwrap();
        assert_eq!(written.len(), 3);
        assert_eq!(std::fs::read_to_string(&written[0]).unwrap(), json);
        let names: Vec<_> = std::fs::read_dir(&out)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .collect();
        assert!(
            names.iter().all(|n| std::path::Path::new(n)
                .extension()
                .is_none_or(|e| e != "tmp")),
            "{names:?}"
        );
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert!(super::write_outputs(&r, &file, crate::text::Lang::Vi).is_err());
    }
}

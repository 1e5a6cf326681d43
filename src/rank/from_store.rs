//! `kiemdinh rank --db FILE`: the ranking's inputs from the evaluation history
//! ([`crate::store::evaluations`]) instead of files, and `rank FILES --db FILE` recording the
//! files it ranks so the store is complete.
//!
//! - Without files, the store is ranked: the latest evaluation of each portal in the year (in
//!   Vietnam time; default: the year of the latest evaluation recorded), each read from its
//!   stored `evaluation.json` text exactly as `rank` reads the file — so the ranking is the
//!   one of those files, byte for byte (an evaluation recorded from a file keeps its path as
//!   its `source`). Without `--previous`, the previous year is ranked from the store too, with
//!   the same options, when it holds evaluations of that year.
//! - With files, the files are ranked (the store changes nothing in the ranking) and each is
//!   recorded in the store; one already there is left as it is.

use std::path::{Path, PathBuf};

use super::compute;
use super::input::{self, RankInput};
use super::previous::{Previous, PreviousEntry};
use crate::error::Error;
use crate::input::Source;
use crate::store::Store;
use crate::store::evaluations::{Recorded, open_existing};

/// A store problem while reading is an input problem (exit 2).
fn usage(e: impl std::fmt::Display) -> Error {
    Error::Usage(e.to_string())
}

/// Opens the store `rank --db` reads (it must exist).
///
/// # Errors
/// Missing or not a store: a usage error.
pub fn open(path: &Path) -> Result<Store, Error> {
    open_existing(path).map_err(usage)
}

/// What the ranking calls a stored evaluation: the file it was recorded from, else
/// `store:<portal>/<time>`.
fn source_of(r: &Recorded) -> String {
    r.source
        .clone()
        .unwrap_or_else(|| format!("store:{}/{}", r.portal, r.finished_at))
}

/// The stored evaluations of `year`, latest per portal, as the ranking reads them.
fn read_year(store: &Store, year: i32) -> Result<Vec<RankInput>, Error> {
    let rows = store.latest_in_year(year).map_err(usage)?;
    rows.iter()
        .map(|r| {
            let text = store.evaluation_json(r.id).map_err(usage)?;
            let source = Source {
                path: PathBuf::from(format!("{}#{}", store.path().display(), r.id)),
                text,
            };
            input::parse(&source, &source_of(r))
        })
        .collect()
}

/// The year ranked and its inputs: `year`, else the year of the latest evaluation recorded.
///
/// # Errors
/// The store holds no evaluation (of that year), or cannot be read.
pub fn inputs(store: &Store, year: Option<i32>) -> Result<(i32, Vec<RankInput>), Error> {
    let Some(year) = year.or(store.latest_year().map_err(usage)?) else {
        return Err(Error::Usage(format!(
            "no evaluation recorded in `{}`: record them with `kiemdinh assess --db` or \
             `kiemdinh rank EVALUATION.json... --db`",
            store.path().display()
        )));
    };
    let inputs = read_year(store, year)?;
    if inputs.is_empty() {
        return Err(Error::Usage(format!(
            "no evaluation of {year} in `{}`{}",
            store.path().display(),
            store
                .latest_year()
                .map_err(usage)?
                .map(|y| format!(" (the latest is of {y})"))
                .unwrap_or_default()
        )));
    }
    Ok((year, inputs))
}

/// The previous year's ranking computed from the store with the same parameters, when the
/// store holds evaluations of `year - 1`.
///
/// # Errors
/// The store cannot be read, or a stored evaluation is not one.
pub fn previous(
    store: &Store,
    year: i32,
    params: &compute::Params<'_>,
) -> Result<Option<Previous>, Error> {
    let inputs = read_year(store, year - 1)?;
    if inputs.is_empty() {
        return Ok(None);
    }
    let ranking = compute::rank(
        &inputs,
        &compute::Params {
            year: Some(year - 1),
            previous: None,
            ..params.clone()
        },
    );
    Ok(Some(Previous {
        year: ranking.year,
        entries: ranking
            .entries
            .iter()
            .map(|e| PreviousEntry {
                id: e.id.clone(),
                score: e.score,
                rank: e.rank,
            })
            .collect(),
        file: format!(
            "{} ({} ranked from the store)",
            store.path().display(),
            year - 1
        ),
    }))
}

/// Records the `evaluation.json` files the arguments name (already read and checked by the
/// ranking) under the portal id the store already has for their published host, else their
/// ranking identity (host, else name). Returns how many were new.
///
/// # Errors
/// A file cannot be read again, or the store cannot be written (a harness error: the ranking
/// itself is not affected).
pub fn record_files(store: &Store, paths: &[PathBuf]) -> Result<usize, Error> {
    let fail = |e: crate::store::StoreError| Error::Io(std::io::Error::other(e.to_string()));
    let mut added = 0;
    for path in input::find(paths)? {
        let source = Source::read(&path)?;
        let name = path.display().to_string();
        let parsed = input::parse(&source, &name)?;
        let portal = match store
            .resolve_portal(&parsed.portal.public_host)
            .map_err(fail)?
        {
            Some(id) if !parsed.portal.public_host.trim().is_empty() => id,
            _ => parsed.id(),
        };
        if store
            .record_evaluation(&portal, &source.text, Some(&name))
            .map_err(fail)?
        {
            added += 1;
        }
    }
    Ok(added)
}

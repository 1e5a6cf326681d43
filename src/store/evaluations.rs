//! The evaluation history in the store: every `evaluation.json` that `assess --db` (or
//! `rank FILES --db`) recorded, under a portal id (the scenario file stem; `demo` for the
//! reference portal), with its headline figures as columns and its whole text for re-ranking.
//!
//! - [`record`] / [`record_written`] / [`Store::record_evaluation`] add one; a portal's
//!   evaluation of one `generated_at` is kept once, so recording it again is a no-op.
//! - [`Store::history`] lists a portal's evaluations in time order, [`Store::portals`] every
//!   portal with its latest, [`Store::latest_in_year`] what `rank --db` ranks: the latest
//!   evaluation of each portal in a year, the year being the evaluation's date in Vietnam
//!   (UTC+7), as the ranking counts it.

use std::path::Path;

use rusqlite::{OptionalExtension as _, params};
use serde::Deserialize;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Store, StoreError};
use crate::evaluation::{Conformance, Evaluation, Status};
use crate::text::Lang;

/// One recorded evaluation's headline (its whole text is read on demand).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Recorded {
    /// Row id.
    pub id: i64,
    /// Portal id (scenario file stem).
    pub portal: String,
    /// The portal's published host (its identity across years; empty when unknown).
    pub host: String,
    /// The portal's name.
    pub name: String,
    /// `province` or `ministry`.
    pub organisation_kind: String,
    /// When the evaluation was made (its `generated_at`, RFC 3339).
    pub finished_at: String,
    /// The same as Unix milliseconds (`None` when the text was no RFC 3339 time).
    pub at_ms: Option<i64>,
    /// Its year in Vietnam (UTC+7): the ranking year it belongs to.
    pub year: Option<i32>,
    /// Checklist editions applied, sorted, comma-separated.
    pub checklist: String,
    /// Overall verdict (`conformant`, `provisional`, `non-conformant`, `incomplete`).
    pub verdict: String,
    /// Score 0–100.
    pub score: f64,
    /// Mandatory requirements still pending.
    pub pending: usize,
    /// Ids of the failed mandatory requirements.
    pub failed: Vec<String>,
    /// kiemdinh version that made it.
    pub tool_version: String,
    /// The `evaluation.json` it was recorded from, when it was read from one.
    pub source: Option<String>,
}

/// A portal of the store with its evaluation count and latest evaluation.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct PortalSummary {
    /// Evaluations recorded.
    pub evaluations: usize,
    /// The latest one.
    pub latest: Recorded,
}

/// What the store reads of an `evaluation.json` text to fill its columns.
#[derive(Debug, Deserialize)]
struct Headline {
    tool_version: String,
    generated_at: String,
    portal: HeadlinePortal,
    verdict: Conformance,
    score: f64,
    #[serde(default)]
    mandatory_pending: usize,
    checklists: Vec<HeadlineEdition>,
    requirements: Vec<HeadlineRequirement>,
}

#[derive(Debug, Deserialize)]
struct HeadlinePortal {
    name: String,
    organisation_kind: String,
    #[serde(default)]
    public_host: String,
}

#[derive(Debug, Deserialize)]
struct HeadlineEdition {
    edition: String,
}

#[derive(Debug, Deserialize)]
struct HeadlineRequirement {
    id: String,
    mandatory: bool,
    status: Status,
}

/// Unix milliseconds of an RFC 3339 time.
pub fn unix_ms(rfc3339: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// The year of an RFC 3339 time in Vietnam (UTC+7): an evaluation made on 1 January at 05:00
/// in Hà Nội belongs to the new year although its UTC time is still 31 December.
pub fn vietnam_year(rfc3339: &str) -> Option<i32> {
    let vietnam = time::UtcOffset::from_hms(7, 0, 0).ok()?;
    let t = OffsetDateTime::parse(rfc3339, &Rfc3339).ok()?;
    Some(t.to_offset(vietnam).year())
}

/// Records `eval` in the store at `store_path` (created when missing) under `portal_id`, its
/// `evaluation.json` rendered as `assess --lang vi` writes it. Recording the same evaluation
/// again (same portal and `generated_at`) changes nothing.
///
/// # Errors
/// The store cannot be opened or written.
pub fn record(store_path: &Path, portal_id: &str, eval: &Evaluation) -> Result<(), StoreError> {
    let store = Store::open(store_path)?;
    store.record_evaluation(portal_id, &rendered(eval, Lang::Vi), None)?;
    Ok(())
}

/// Records an assessment just finished: the `evaluation.json` as written in `out` (the same
/// bytes, its path as the source, so `rank --db` and `rank` on the file agree to the byte),
/// or, when JSON was not among the formats, the evaluation rendered in `lang`. Returns whether
/// a new row was added.
///
/// # Errors
/// The store cannot be opened or written.
pub fn record_written(
    store_path: &Path,
    portal_id: &str,
    eval: &Evaluation,
    out: &Path,
    lang: Lang,
) -> Result<bool, StoreError> {
    let store = Store::open(store_path)?;
    let file = out.join("evaluation.json");
    let written = std::fs::read_to_string(&file)
        .ok()
        .filter(|text| headline(text).is_ok_and(|h| h.generated_at == eval.generated_at));
    match written {
        Some(text) => store.record_evaluation(portal_id, &text, Some(&file.display().to_string())),
        None => store.record_evaluation(portal_id, &rendered(eval, lang), None),
    }
}

/// Opens a store that must already exist (`history`, `rank --db`): reading a store never
/// creates an empty one where a path was mistyped.
///
/// # Errors
/// The file does not exist, or cannot be opened as a store.
pub fn open_existing(store_path: &Path) -> Result<Store, StoreError> {
    if !store_path.is_file() {
        return Err(StoreError {
            path: store_path.to_path_buf(),
            message: "no such database (evaluations are recorded by `kiemdinh assess --db FILE` \
                      and `kiemdinh rank EVALUATION.json... --db FILE`)"
                .into(),
        });
    }
    Store::open(store_path)
}

/// `evaluation.json` as the reports write it (redacted).
fn rendered(eval: &Evaluation, lang: Lang) -> String {
    crate::redact::text(&crate::report::json::render(eval, lang))
}

fn headline(text: &str) -> Result<Headline, String> {
    let h: Headline =
        serde_json::from_str(text).map_err(|e| format!("not an evaluation.json: {e}"))?;
    if unix_ms(&h.generated_at).is_none() {
        return Err(format!(
            "`generated_at` is `{}`, not an RFC 3339 time",
            h.generated_at
        ));
    }
    Ok(h)
}

const COLUMNS: &str = "id, portal, host, name, organisation_kind, finished_at, at_ms, year, \
                       checklist, verdict, score, pending, failed, tool_version, source";

fn from_row(row: &rusqlite::Row<'_>) -> rusqlite::Result<Recorded> {
    let failed: String = row.get(12)?;
    Ok(Recorded {
        id: row.get(0)?,
        portal: row.get(1)?,
        host: row.get(2)?,
        name: row.get(3)?,
        organisation_kind: row.get(4)?,
        finished_at: row.get(5)?,
        at_ms: row.get(6)?,
        year: row.get(7)?,
        checklist: row.get(8)?,
        verdict: row.get(9)?,
        score: row.get(10)?,
        pending: usize::try_from(row.get::<_, i64>(11)?).unwrap_or(0),
        failed: serde_json::from_str(&failed).unwrap_or_default(),
        tool_version: row.get(13)?,
        source: row.get(14)?,
    })
}

impl Store {
    /// Records the text of an `evaluation.json` under `portal_id`, with `source` the file it
    /// was read from. Returns `false` when the portal's evaluation of that `generated_at` was
    /// already recorded (nothing changes).
    ///
    /// # Errors
    /// The text is not an `evaluation.json`, or the store cannot be written.
    pub fn record_evaluation(
        &self,
        portal_id: &str,
        json: &str,
        source: Option<&str>,
    ) -> Result<bool, StoreError> {
        let portal_id = portal_id.trim();
        if portal_id.is_empty() {
            return Err(self.error("an evaluation needs a portal id"));
        }
        let h = headline(json).map_err(|e| {
            self.error(format!(
                "cannot record {}: {e}",
                source.unwrap_or("the evaluation")
            ))
        })?;
        let mut editions: Vec<&str> = h.checklists.iter().map(|c| c.edition.as_str()).collect();
        editions.sort_unstable();
        editions.dedup();
        let failed: Vec<&str> = h
            .requirements
            .iter()
            .filter(|r| r.mandatory && r.status == Status::Fail)
            .map(|r| r.id.as_str())
            .collect();
        let added = self
            .conn()
            .execute(
                "INSERT INTO evaluation (portal, finished_at, checklist, verdict, score, pending,
                     json, at_ms, year, host, name, organisation_kind, tool_version, failed, source)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
                 ON CONFLICT (portal, finished_at) DO NOTHING",
                params![
                    portal_id,
                    h.generated_at,
                    editions.join(","),
                    h.verdict.as_str(),
                    h.score,
                    i64::try_from(h.mandatory_pending).unwrap_or(i64::MAX),
                    json,
                    unix_ms(&h.generated_at),
                    vietnam_year(&h.generated_at),
                    h.portal.public_host.trim().to_ascii_lowercase(),
                    crate::unicode::nfc(h.portal.name.trim()),
                    h.portal.organisation_kind,
                    h.tool_version,
                    serde_json::to_string(&failed).expect("ids serialise"),
                    source,
                ],
            )
            .map_err(|e| self.error(format!("cannot record the evaluation: {e}")))?;
        Ok(added > 0)
    }

    fn query(&self, sql: &str, args: impl rusqlite::Params) -> Result<Vec<Recorded>, StoreError> {
        let fail = |e: rusqlite::Error| self.error(format!("cannot read the evaluations: {e}"));
        let mut stmt = self.conn().prepare(sql).map_err(fail)?;
        let rows = stmt.query_map(args, from_row).map_err(fail)?;
        rows.collect::<Result<Vec<_>, _>>().map_err(fail)
    }

    /// Every evaluation of a portal, oldest first (ties in time: in the order recorded).
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn history(&self, portal_id: &str) -> Result<Vec<Recorded>, StoreError> {
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM evaluation WHERE portal = ?1 \
                 ORDER BY at_ms IS NULL, at_ms, id"
            ),
            params![portal_id],
        )
    }

    /// Every portal with its count of evaluations and its latest one, by portal id.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn portals(&self) -> Result<Vec<PortalSummary>, StoreError> {
        let latest = self.query(
            &format!(
                "SELECT {COLUMNS} FROM evaluation AS e WHERE id = (
                     SELECT id FROM evaluation WHERE portal = e.portal
                     ORDER BY at_ms IS NULL, at_ms DESC, id DESC LIMIT 1)
                 ORDER BY portal"
            ),
            [],
        )?;
        latest
            .into_iter()
            .map(|r| {
                let n: i64 = self
                    .conn()
                    .query_row(
                        "SELECT count(*) FROM evaluation WHERE portal = ?1",
                        params![r.portal],
                        |row| row.get(0),
                    )
                    .map_err(|e| self.error(format!("cannot read the evaluations: {e}")))?;
                Ok(PortalSummary {
                    evaluations: usize::try_from(n).unwrap_or(0),
                    latest: r,
                })
            })
            .collect()
    }

    /// The latest evaluation of every portal made in `year` (in Vietnam), by portal id.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn latest_in_year(&self, year: i32) -> Result<Vec<Recorded>, StoreError> {
        self.query(
            &format!(
                "SELECT {COLUMNS} FROM evaluation AS e WHERE id = (
                     SELECT id FROM evaluation WHERE portal = e.portal AND year = ?1
                     ORDER BY at_ms DESC, id DESC LIMIT 1)
                 ORDER BY portal"
            ),
            params![year],
        )
    }

    /// The year (in Vietnam) of the latest evaluation recorded, `None` when there is none.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn latest_year(&self) -> Result<Option<i32>, StoreError> {
        self.conn()
            .query_row(
                "SELECT year FROM evaluation WHERE year IS NOT NULL
                 ORDER BY at_ms DESC, id DESC LIMIT 1",
                [],
                |row| row.get(0),
            )
            .optional()
            .map_err(|e| self.error(format!("cannot read the evaluations: {e}")))
    }

    /// The whole `evaluation.json` text of a recorded evaluation.
    ///
    /// # Errors
    /// No such row, or the store cannot be read.
    pub fn evaluation_json(&self, id: i64) -> Result<String, StoreError> {
        self.conn()
            .query_row(
                "SELECT json FROM evaluation WHERE id = ?1",
                params![id],
                |row| row.get(0),
            )
            .map_err(|e| self.error(format!("cannot read evaluation {id}: {e}")))
    }

    /// The portal id an argument names: a portal id as recorded, else the published host of
    /// one (case-insensitive); `None` when neither.
    ///
    /// # Errors
    /// The store cannot be read.
    pub fn resolve_portal(&self, given: &str) -> Result<Option<String>, StoreError> {
        let fail = |e: rusqlite::Error| self.error(format!("cannot read the evaluations: {e}"));
        let by_id: Option<String> = self
            .conn()
            .query_row(
                "SELECT portal FROM evaluation WHERE portal = ?1 LIMIT 1",
                params![given],
                |row| row.get(0),
            )
            .optional()
            .map_err(fail)?;
        if by_id.is_some() {
            return Ok(by_id);
        }
        self.conn()
            .query_row(
                "SELECT portal FROM evaluation WHERE host = lower(?1) AND host != ''
                 ORDER BY at_ms DESC, id DESC LIMIT 1",
                params![given.trim()],
                |row| row.get(0),
            )
            .optional()
            .map_err(fail)
    }
}

#[cfg(test)]
#[path = "evaluations_tests.rs"]
mod tests;

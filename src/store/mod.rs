//! The store: one embedded `SQLite` database (`--db kiemdinh.db`) holding what must outlive a
//! run — the availability monitor's probes (months of them) and the history of evaluations.
//! Opened in WAL mode with `synchronous = FULL`, so every committed probe survives a `kill -9`
//! or a power cut; schema changes are numbered migrations applied in order on open
//! (`PRAGMA user_version` records the last one), so an older database is upgraded in place and
//! a newer one is refused rather than misread.

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::Connection;

pub mod evaluations;
pub mod history;

/// Numbered schema migrations; index `i` brings the schema from version `i` to `i + 1`. Append
/// only: a released migration is never edited.
const MIGRATIONS: &[&str] = &[
    // 1: the monitor's probes. Times are Unix milliseconds (UTC); `ok` is the probe's verdict
    // (status, content sanity and TLS validity all fine); `error` says why not.
    "CREATE TABLE probe (
        id INTEGER PRIMARY KEY,
        portal TEXT NOT NULL,
        target TEXT NOT NULL,
        url TEXT NOT NULL,
        at_ms INTEGER NOT NULL,
        interval_ms INTEGER NOT NULL,
        ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
        status INTEGER,
        latency_ms REAL,
        tls_days_left INTEGER,
        error TEXT
    );
    CREATE INDEX probe_portal_at ON probe (portal, at_ms);",
    // 2: evaluations recorded by `assess` (and read by `history` and `rank --db`): the
    // headline figures as columns, the whole evaluation.json as text for re-ranking.
    "CREATE TABLE evaluation (
        id INTEGER PRIMARY KEY,
        portal TEXT NOT NULL,
        finished_at TEXT NOT NULL,
        checklist TEXT NOT NULL,
        verdict TEXT NOT NULL,
        score REAL NOT NULL,
        pending INTEGER NOT NULL,
        json TEXT NOT NULL
    );
    CREATE INDEX evaluation_portal ON evaluation (portal, finished_at);",
    // 3: the evaluation history's own columns (`store::evaluations`): the time as Unix
    // milliseconds (ordering whatever the offset written), the year in Vietnam (UTC+7, the
    // ranking year), the portal's identity across years (published host) and name, the
    // organisation kind, the tool version, the failed mandatory ids (a JSON array) and the
    // file the evaluation was read from. Rows recorded before are filled from their JSON; a
    // portal's evaluation of one time is kept once (re-recording it is a no-op).
    "ALTER TABLE evaluation ADD COLUMN at_ms INTEGER;
    ALTER TABLE evaluation ADD COLUMN year INTEGER;
    ALTER TABLE evaluation ADD COLUMN host TEXT NOT NULL DEFAULT '';
    ALTER TABLE evaluation ADD COLUMN name TEXT NOT NULL DEFAULT '';
    ALTER TABLE evaluation ADD COLUMN organisation_kind TEXT NOT NULL DEFAULT '';
    ALTER TABLE evaluation ADD COLUMN tool_version TEXT NOT NULL DEFAULT '';
    ALTER TABLE evaluation ADD COLUMN failed TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE evaluation ADD COLUMN source TEXT;
    UPDATE evaluation SET
        at_ms = CAST(round((julianday(finished_at) - 2440587.5) * 86400000.0) AS INTEGER),
        year = CAST(strftime('%Y', finished_at, '+7 hours') AS INTEGER);
    UPDATE evaluation SET
        host = lower(trim(coalesce(json_extract(json, '$.portal.public_host'), ''))),
        name = coalesce(json_extract(json, '$.portal.name'), ''),
        organisation_kind = coalesce(json_extract(json, '$.portal.organisation_kind'), ''),
        tool_version = coalesce(json_extract(json, '$.tool_version'), ''),
        failed = coalesce((SELECT json_group_array(json_extract(r.value, '$.id'))
            FROM json_each(evaluation.json, '$.requirements') AS r
            WHERE json_extract(r.value, '$.mandatory') = 1
              AND json_extract(r.value, '$.status') = 'fail'), '[]')
        WHERE json_valid(json);
    DELETE FROM evaluation
        WHERE id NOT IN (SELECT min(id) FROM evaluation GROUP BY portal, finished_at);
    CREATE UNIQUE INDEX evaluation_once ON evaluation (portal, finished_at);
    CREATE INDEX evaluation_year ON evaluation (year, portal, at_ms);",
];

/// The schema version this build writes.
#[allow(clippy::cast_possible_wrap)] // a handful of migrations
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Why the store cannot be used.
#[derive(Debug, thiserror::Error)]
#[error("store `{}`: {message}", path.display())]
pub struct StoreError {
    /// The database file.
    pub path: PathBuf,
    /// What went wrong.
    pub message: String,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Opens (creating when missing) the database at `path`, switches it to WAL and applies
    /// pending migrations. A database written by a newer kiemdinh is refused.
    ///
    /// # Errors
    /// The file cannot be opened or is not a kiemdinh store of a known version.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let fail = |message: String| StoreError {
            path: path.to_path_buf(),
            message,
        };
        let mut conn = Connection::open(path).map_err(|e| fail(e.to_string()))?;
        conn.busy_timeout(Duration::from_secs(10))
            .map_err(|e| fail(e.to_string()))?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(|e| fail(format!("cannot switch to WAL: {e}")))?;
        conn.pragma_update(None, "synchronous", "FULL")
            .map_err(|e| fail(e.to_string()))?;
        migrate(&mut conn).map_err(fail)?;
        Ok(Self {
            conn,
            path: path.to_path_buf(),
        })
    }

    /// The database file.
    #[must_use]
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The connection, for the modules that read and write their own tables.
    #[must_use]
    pub fn conn(&self) -> &Connection {
        &self.conn
    }

    /// An error about this store.
    #[must_use]
    pub fn error(&self, message: impl std::fmt::Display) -> StoreError {
        StoreError {
            path: self.path.clone(),
            message: message.to_string(),
        }
    }
}

fn migrate(conn: &mut Connection) -> Result<(), String> {
    let version: i64 = conn
        .pragma_query_value(None, "user_version", |r| r.get(0))
        .map_err(|e| format!("not an SQLite database: {e}"))?;
    if version > SCHEMA_VERSION {
        return Err(format!(
            "written by a newer kiemdinh (schema {version}, this build knows {SCHEMA_VERSION})"
        ));
    }
    for (i, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(version).unwrap_or(0))
    {
        let tx = conn.transaction().map_err(|e| e.to_string())?;
        tx.execute_batch(sql)
            .map_err(|e| format!("migration {} failed: {e}", i + 1))?;
        tx.pragma_update(
            None,
            "user_version",
            i64::try_from(i + 1).unwrap_or(i64::MAX),
        )
        .map_err(|e| e.to_string())?;
        tx.commit().map_err(|e| e.to_string())?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_store_is_migrated_to_the_current_schema_in_wal_mode() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let store = Store::open(&path).unwrap();
        let v: i64 = store
            .conn()
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .unwrap();
        assert_eq!(v, SCHEMA_VERSION);
        let mode: String = store
            .conn()
            .pragma_query_value(None, "journal_mode", |r| r.get(0))
            .unwrap();
        assert_eq!(mode, "wal");
        drop(store);
        // Opening again applies nothing and keeps the data.
        Store::open(&path).unwrap();
    }

    #[test]
    fn a_store_from_a_newer_kiemdinh_or_a_foreign_file_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let newer = dir.path().join("newer.db");
        Connection::open(&newer)
            .unwrap()
            .pragma_update(None, "user_version", SCHEMA_VERSION + 1)
            .unwrap();
        let e = Store::open(&newer).unwrap_err();
        assert!(e.message.contains("newer kiemdinh"), "{e}");
        let garbage = dir.path().join("garbage.db");
        std::fs::write(
            &garbage,
            b"this is not a database, just text long enough to look like one",
        )
        .unwrap();
        assert!(Store::open(&garbage).is_err());
    }
}

//! The monitor's rows in the store's `probe` table (migration 1 of [`crate::store`]): one row
//! per probe, each inserted in its own transaction so a `kill -9` loses at most the probe in
//! flight, and read back in time order for the figures.

use rusqlite::params;

use crate::observation::Target;
use crate::store::{Store, StoreError};

/// One probe of one target of one portal, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct ProbeRow {
    /// The monitor's portal id (the scenario's file stem).
    pub portal: String,
    /// Which URL of the portal.
    pub target: Target,
    /// The URL fetched.
    pub url: String,
    /// When the probe started, Unix milliseconds (UTC).
    pub at_ms: i64,
    /// The monitor's interval when it ran, milliseconds.
    pub interval_ms: i64,
    /// Whether the portal answered as itself: a 2xx status, a verified certificate and the
    /// portal's own content.
    pub ok: bool,
    /// HTTP status, when an answer came.
    pub status: Option<u16>,
    /// Time to the whole answer (or to the failure), milliseconds.
    pub latency_ms: Option<f64>,
    /// Days until the certificate expires (HTTPS targets whose certificate was seen).
    pub tls_days_left: Option<i64>,
    /// Why the probe failed (`HTTP 503`, `timeout after 10 s`, `not the portal: …`).
    pub error: Option<String>,
}

/// Inserts one probe in its own transaction (durable when it returns: the store runs with
/// `synchronous = FULL`) and returns its row id.
///
/// # Errors
/// The store cannot be written (busy beyond its timeout, disk full, read-only).
pub fn insert(store: &Store, row: &ProbeRow) -> Result<i64, StoreError> {
    store
        .conn()
        .prepare_cached(
            "INSERT INTO probe (portal, target, url, at_ms, interval_ms, ok, status, latency_ms,
                                tls_days_left, error)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
        )
        .and_then(|mut st| {
            st.execute(params![
                row.portal,
                row.target.as_str(),
                row.url,
                row.at_ms,
                row.interval_ms,
                row.ok,
                row.status,
                row.latency_ms,
                row.tls_days_left,
                row.error,
            ])
        })
        .map_err(|e| store.error(format!("cannot record a probe: {e}")))?;
    Ok(store.conn().last_insert_rowid())
}

/// The probes of `portal` with `from_ms <= at_ms < to_ms`, in time order (then insertion
/// order). Rows with a target this build does not know are skipped.
///
/// # Errors
/// The store cannot be read.
pub fn rows(
    store: &Store,
    portal: &str,
    from_ms: i64,
    to_ms: i64,
) -> Result<Vec<ProbeRow>, StoreError> {
    let mut out = Vec::new();
    for_each(store, portal, from_ms, to_ms, |r| {
        out.push(ProbeRow {
            portal: portal.to_string(),
            target: r.target,
            url: r.url.to_string(),
            at_ms: r.at_ms,
            interval_ms: r.interval_ms,
            ok: r.ok,
            status: r.status,
            latency_ms: r.latency_ms,
            tls_days_left: r.tls_days_left,
            error: r.error.map(str::to_string),
        });
    })?;
    Ok(out)
}

/// A stored probe borrowed from the database cursor (no allocation per row).
#[derive(Debug, Clone, Copy)]
pub struct RowRef<'a> {
    /// Which URL of the portal.
    pub target: Target,
    /// The URL fetched.
    pub url: &'a str,
    /// Start, Unix milliseconds.
    pub at_ms: i64,
    /// Interval, milliseconds.
    pub interval_ms: i64,
    /// The probe's verdict.
    pub ok: bool,
    /// HTTP status.
    pub status: Option<u16>,
    /// Latency, milliseconds.
    pub latency_ms: Option<f64>,
    /// Days of certificate left.
    pub tls_days_left: Option<i64>,
    /// Why it failed.
    pub error: Option<&'a str>,
}

/// Calls `f` for each probe of `portal` in `[from_ms, to_ms)` in time order, one pass over the
/// `(portal, at_ms)` index, borrowing each row from the cursor.
///
/// # Errors
/// The store cannot be read, or a row is malformed (a `NULL` where the schema forbids it).
pub fn for_each(
    store: &Store,
    portal: &str,
    from_ms: i64,
    to_ms: i64,
    mut f: impl FnMut(RowRef<'_>),
) -> Result<(), StoreError> {
    let read = |e: rusqlite::Error| store.error(format!("cannot read probes: {e}"));
    let mut st = store
        .conn()
        .prepare_cached(
            "SELECT target, url, at_ms, interval_ms, ok, status, latency_ms, tls_days_left, error
             FROM probe WHERE portal = ?1 AND at_ms >= ?2 AND at_ms < ?3
             ORDER BY at_ms, id",
        )
        .map_err(read)?;
    let mut cursor = st.query(params![portal, from_ms, to_ms]).map_err(read)?;
    while let Some(row) = cursor.next().map_err(read)? {
        let text = |i: usize| row.get_ref(i).and_then(|v| Ok(v.as_str()?));
        let Some(target) = Target::parse(text(0).map_err(read)?) else {
            continue;
        };
        let status: Option<i64> = row.get(5).map_err(read)?;
        f(RowRef {
            target,
            url: text(1).map_err(read)?,
            at_ms: row.get(2).map_err(read)?,
            interval_ms: row.get(3).map_err(read)?,
            ok: row.get(4).map_err(read)?,
            status: status.and_then(|s| u16::try_from(s).ok()),
            latency_ms: row.get(6).map_err(read)?,
            tls_days_left: row.get(7).map_err(read)?,
            error: row
                .get_ref(8)
                .and_then(|v| Ok(v.as_str_or_null()?))
                .map_err(read)?,
        });
    }
    Ok(())
}

/// The portals that have probes, sorted.
///
/// # Errors
/// The store cannot be read.
pub fn portals(store: &Store) -> Result<Vec<String>, StoreError> {
    let read = |e: rusqlite::Error| store.error(format!("cannot read probes: {e}"));
    let mut st = store
        .conn()
        .prepare("SELECT DISTINCT portal FROM probe ORDER BY portal")
        .map_err(read)?;
    st.query_map([], |r| r.get(0))
        .map_err(read)?
        .collect::<Result<Vec<String>, _>>()
        .map_err(read)
}

/// The first and last probe time of `portal` (Unix milliseconds), `None` when it has none.
///
/// # Errors
/// The store cannot be read.
pub fn extent(store: &Store, portal: &str) -> Result<Option<(i64, i64)>, StoreError> {
    let read = |e: rusqlite::Error| store.error(format!("cannot read probes: {e}"));
    let (first, last): (Option<i64>, Option<i64>) = store
        .conn()
        .query_row(
            "SELECT MIN(at_ms), MAX(at_ms) FROM probe WHERE portal = ?1",
            params![portal],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .map_err(read)?;
    Ok(first.zip(last))
}

/// The time of `portal`'s first probe at or after `from_ms`, `None` when there is none.
///
/// # Errors
/// The store cannot be read.
pub fn first_after(store: &Store, portal: &str, from_ms: i64) -> Result<Option<i64>, StoreError> {
    store
        .conn()
        .query_row(
            "SELECT MIN(at_ms) FROM probe WHERE portal = ?1 AND at_ms >= ?2",
            params![portal, from_ms],
            |r| r.get(0),
        )
        .map_err(|e| store.error(format!("cannot read probes: {e}")))
}

/// How many probes `portal` has.
///
/// # Errors
/// The store cannot be read.
pub fn count(store: &Store, portal: &str) -> Result<u64, StoreError> {
    store
        .conn()
        .query_row(
            "SELECT COUNT(*) FROM probe WHERE portal = ?1",
            params![portal],
            |r| r.get::<_, i64>(0),
        )
        .map(|n| u64::try_from(n).unwrap_or(0))
        .map_err(|e| store.error(format!("cannot read probes: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    pub(crate) fn row(target: Target, at_ms: i64, ok: bool) -> ProbeRow {
        ProbeRow {
            portal: "lam-son".into(),
            target,
            url: "https://dichvucong.lamson.gov.vn/".into(),
            at_ms,
            interval_ms: 60_000,
            ok,
            status: Some(if ok { 200 } else { 503 }),
            latency_ms: Some(120.5),
            tls_days_left: Some(80),
            error: (!ok).then(|| "HTTP 503".to_string()),
        }
    }

    #[test]
    fn probes_are_read_back_in_time_order_within_the_period_and_portal() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("k.db")).unwrap();
        let a = insert(&store, &row(Target::Home, 3_000, true)).unwrap();
        let b = insert(&store, &row(Target::Catalogue, 1_000, false)).unwrap();
        assert!(b > a, "ids increase");
        insert(&store, &row(Target::Home, 9_000, true)).unwrap();
        let mut other = row(Target::Home, 2_000, true);
        other.portal = "khac".into();
        insert(&store, &other).unwrap();
        let got = rows(&store, "lam-son", 0, 9_000).unwrap();
        assert_eq!(
            got.iter().map(|r| r.at_ms).collect::<Vec<_>>(),
            [1_000, 3_000],
            "end exclusive, other portal left out"
        );
        assert_eq!(got[0], row(Target::Catalogue, 1_000, false));
        assert_eq!(portals(&store).unwrap(), ["khac", "lam-son"]);
        assert_eq!(extent(&store, "lam-son").unwrap(), Some((1_000, 9_000)));
        assert_eq!(extent(&store, "none").unwrap(), None);
        assert_eq!(first_after(&store, "lam-son", 1_001).unwrap(), Some(3_000));
        assert_eq!(first_after(&store, "lam-son", 9_001).unwrap(), None);
        assert_eq!(count(&store, "lam-son").unwrap(), 3);
        // Durable: another connection sees them.
        drop(store);
        let again = Store::open(&dir.path().join("k.db")).unwrap();
        assert_eq!(count(&again, "lam-son").unwrap(), 3);
    }

    #[test]
    fn an_unknown_target_is_skipped_and_a_read_only_store_cannot_record() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let store = Store::open(&path).unwrap();
        store
            .conn()
            .execute(
                "INSERT INTO probe (portal, target, url, at_ms, interval_ms, ok)
                 VALUES ('lam-son', 'future-target', 'x', 5, 1, 1)",
                [],
            )
            .unwrap();
        assert!(rows(&store, "lam-son", 0, 10).unwrap().is_empty());
        store
            .conn()
            .execute_batch("PRAGMA query_only = ON")
            .unwrap();
        let e = insert(&store, &row(Target::Home, 1, true)).unwrap_err();
        assert!(e.message.contains("cannot record a probe"), "{e}");
    }
}

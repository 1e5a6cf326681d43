//! Reads the availability monitor's figures for `assess`: the scenario's `[availability]`
//! section names the store (`db`), the monitor's portal id and the period; the figures go to
//! `Observations.availability`, the section itself (period, planned suspensions, or why the
//! store could not be read) to `Observations.monitoring`. Never panics and never fails the run:
//! an unreadable store becomes the 24/7 requirements' `error` (exit 3), with its message.
//!
//! Where the figures come from is a function pointer ([`AvailabilitySource`]), so tests use a
//! double and `assess` uses [`STORE`].

use std::path::Path;

use time::OffsetDateTime;

use crate::observation::{Availability, Observations, Span};
use crate::scenario::Scenario;
use crate::store::{Store, StoreError};

/// Reads the figures of portal `portal` over `period` from the store at the path; `Err` holds
/// the store's message.
pub type AvailabilitySource = fn(&Path, &str, &Span) -> Result<Availability, String>;

/// The figures reader of a store: `(store, portal, period, db_label)`, as
/// `monitor::figures::availability`.
pub type Figures = fn(&Store, &str, &Span, &str) -> Result<Availability, StoreError>;

/// The source `assess` reads. Wired to the monitor's figures at merge:
/// `|db, portal, period| read_store(db, portal, period, crate::monitor::figures::availability)`.
pub const STORE: AvailabilitySource =
    |db, portal, period| read_store(db, portal, period, crate::monitor::figures::availability);

/// Opens the store at `db` (which must exist: opening creates a database, and an empty one
/// would read as "never probed") and reads the figures with `figures`.
pub fn read_store(
    db: &Path,
    portal: &str,
    period: &Span,
    figures: Figures,
) -> Result<Availability, String> {
    if !db.is_file() {
        return Err(format!(
            "no database at `{}`: run `kiemdinh monitor --scenario FILE --db {}` over the \
             evaluation period first",
            db.display(),
            db.display()
        ));
    }
    let store = Store::open(db).map_err(|e| e.to_string())?;
    figures(&store, portal, period, &db.display().to_string()).map_err(|e| e.to_string())
}

/// Fills `obs.availability` and `obs.monitoring` from the scenario's `[availability]` section
/// at `now`; leaves both `None` when the scenario has none.
pub fn attach(
    scenario: &Scenario,
    obs: &mut Observations,
    now: OffsetDateTime,
    source: AvailabilitySource,
) {
    let Some(settings) = scenario.availability.as_deref() else {
        return;
    };
    let period = settings.period(now);
    let (figures, error) = match source(&settings.db, &settings.portal, &period) {
        Ok(mut a) => {
            a.db.clone_from(&settings.db_label);
            (Some(a), None)
        }
        Err(e) => (None, Some(e)),
    };
    obs.availability = figures;
    obs.monitoring = Some(Box::new(settings.monitoring(now, error)));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::Checklist;
    use crate::evaluation::Status;
    use crate::judge::availability::tests::fixture;
    use time::macros::datetime;

    fn scenario(dir: &Path, section: &str) -> Scenario {
        let path = dir.join("lam-son.toml");
        let text = format!("{}{section}", crate::scenario::tests::OK);
        fs_err::write(&path, text).unwrap();
        Scenario::load(&path).unwrap()
    }

    fn observations() -> Observations {
        crate::judge::availability::tests::observations()
    }

    fn status(id: &str, o: &Observations) -> Status {
        let c = Checklist::resolve("tt21-2023").unwrap();
        crate::judge::judge(c.get(id).unwrap(), o).status
    }

    #[allow(clippy::unnecessary_wraps)] // an `AvailabilitySource`
    fn double(db: &Path, portal: &str, period: &Span) -> Result<Availability, String> {
        assert!(db.ends_with("mon/kiemdinh.db"), "{}", db.display());
        assert_eq!(portal, "lam-son");
        assert_eq!(period.from, "2025-11-30T09:00:00Z");
        let mut a = fixture();
        a.db = "ignored".into();
        Ok(a)
    }

    fn failing(_: &Path, _: &str, _: &Span) -> Result<Availability, String> {
        Err("store `k.db`: database is locked".into())
    }

    #[test]
    fn pl5_6_the_figures_and_the_section_reach_the_observations() {
        let dir = tempfile::tempdir().unwrap();
        let s = scenario(dir.path(), "[availability]\ndb = \"mon/kiemdinh.db\"\n");
        let mut o = observations();
        attach(&s, &mut o, datetime!(2026-11-30 09:00 UTC), double);
        let a = o.availability.as_ref().unwrap();
        assert_eq!(
            a.db, "mon/kiemdinh.db",
            "the store as the scenario names it"
        );
        let m = o.monitoring.as_ref().unwrap();
        assert_eq!(m.period.to, "2026-11-30T09:00:00Z");
        assert!(m.error.is_none());
        assert_ne!(status("PL5-6", &o), Status::Pending);
    }

    #[test]
    fn pl5_6_an_unreadable_store_is_an_error_and_no_section_changes_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let s = scenario(dir.path(), "[availability]\ndb = \"k.db\"\n");
        let mut o = observations();
        attach(&s, &mut o, datetime!(2026-11-30 09:00 UTC), failing);
        assert!(o.availability.is_none());
        assert_eq!(status("PL5-6", &o), Status::Error);
        let s = scenario(dir.path(), "");
        let mut o = observations();
        attach(&s, &mut o, datetime!(2026-11-30 09:00 UTC), failing);
        assert!(o.availability.is_none() && o.monitoring.is_none());
        assert_eq!(status("PL5-6", &o), Status::Pending);
    }

    #[test]
    fn a_missing_or_broken_store_is_an_error_message_never_a_panic() {
        let dir = tempfile::tempdir().unwrap();
        let span = Span {
            from: "2026-01-01T00:00:00Z".into(),
            to: "2026-02-01T00:00:00Z".into(),
        };
        let e = read_store(
            &dir.path().join("none.db"),
            "p",
            &span,
            crate::monitor::figures::availability,
        )
        .unwrap_err();
        assert!(
            e.contains("no database at") && e.contains("kiemdinh monitor"),
            "{e}"
        );
        let junk = dir.path().join("junk.db");
        fs_err::write(&junk, b"this is not an SQLite database, not at all.......").unwrap();
        let e = read_store(&junk, "p", &span, crate::monitor::figures::availability).unwrap_err();
        assert!(e.contains("junk.db"), "{e}");
        let ok = dir.path().join("ok.db");
        drop(Store::open(&ok).unwrap());
        // An empty store answers with no figures for the portal (the judges say `pending`).
        let a = STORE(&ok, "p", &span).unwrap();
        assert!(a.targets.is_empty() && a.outages.is_empty());
    }
}

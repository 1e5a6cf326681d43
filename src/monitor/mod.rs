//! The availability monitor (`kiemdinh monitor`): probes a few URLs of every portal of a
//! scenario file or folder at an interval, for months, into the store ([`crate::store`]), and
//! computes the figures the 24/7 requirements are judged on ([`figures::availability`]).
//!
//! - **Portals**: one scenario file is one portal, its id the file stem (a folder: every
//!   `*.toml` of it, as campaigns find them). Restarting with the same ids and database
//!   continues the same series; the time it was stopped is a gap, not an outage.
//! - **Schedule** ([`schedule`]): every portal once per interval, the portals' start times
//!   spread evenly over it; a portal's targets are probed together, each with a timeout below
//!   the interval, at most `concurrency` requests in flight over the whole process. A round
//!   that overruns skips the rounds it missed rather than bursting to catch up.
//! - **Probes** ([`probe`]): status, latency, certificate days left, and that the page is the
//!   portal's own.
//! - **Store**: one writer thread owns the database; every probe is its own transaction (a
//!   `kill -9` loses at most the probes in flight). A busy or failing store is retried; the
//!   channel to it is bounded, so nothing piles up in memory.
//! - **Logs** (stderr, redacted): one line per state change of a target (down, up again), a
//!   periodic summary line, never one line per probe.
//! - **Stop**: at `--until`/`--duration`, Ctrl-C or `SIGTERM` the rounds in flight finish,
//!   the last rows are written, and the run's figures are printed ([`summary`]).

pub mod figures;
pub mod probe;
pub mod schedule;
pub mod store;
pub mod summary;
mod worker;

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::AtomicU64;
use std::time::Duration;

use crate::error::Error;
use crate::observation::{Availability, Span};
use crate::scenario::Scenario;

/// What `kiemdinh monitor` was asked to do.
#[derive(Debug, Clone)]
pub struct MonitorOptions {
    /// A scenario file, or a folder of them.
    pub scenarios: PathBuf,
    /// The database.
    pub db: PathBuf,
    /// Time between two probes of a target.
    pub interval: Duration,
    /// Per-probe timeout (capped below the interval; default 10 s).
    pub timeout: Option<Duration>,
    /// When to stop (Unix milliseconds); `None`: until interrupted.
    pub until_ms: Option<i64>,
    /// Requests in flight at most, over all portals.
    pub concurrency: usize,
    /// Time between two summary lines on stderr.
    pub summary_every: Duration,
}

/// A portal to watch.
#[derive(Debug, Clone)]
pub struct Portal {
    /// Its id: the scenario's file stem.
    pub id: String,
    /// The validated scenario.
    pub scenario: Scenario,
}

/// What a run did, with each portal's figures over the run.
#[derive(Debug)]
pub struct RunReport {
    /// Probes recorded.
    pub written: u64,
    /// Probes that could not be recorded (the store failed past every retry).
    pub lost: u64,
    /// Each portal's figures from the run's start to its end.
    pub figures: Vec<Availability>,
}

/// Counters shared by the tasks (for the summary line).
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub probes: AtomicU64,
    pub failed: AtomicU64,
    pub written: AtomicU64,
    pub lost: AtomicU64,
    pub down_now: AtomicU64,
}

/// The portals of a scenario file or folder, every one validated (all problems reported at
/// once; an empty folder is an error).
///
/// # Errors
/// A file cannot be read or is invalid; two files have the same stem.
pub fn portals(path: &Path) -> Result<Vec<Portal>, Error> {
    let files = if path.is_dir() {
        crate::campaign::scenario_files(path)?
    } else {
        vec![path.to_path_buf()]
    };
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no scenario in `{}`: the monitor watches every `*.toml` file of the folder",
            path.display()
        )));
    }
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for file in &files {
        match Scenario::load(file) {
            Ok(scenario) => out.push(Portal {
                id: file
                    .file_stem()
                    .map(|s| s.to_string_lossy().to_string())
                    .unwrap_or_default(),
                scenario,
            }),
            Err(e) => problems.push(format!("error: {e}")),
        }
    }
    if !problems.is_empty() {
        if files.len() == 1 && problems.len() == 1 {
            return Err(Scenario::load(&files[0])
                .err()
                .unwrap_or(Error::Usage(problems.remove(0))));
        }
        return Err(Error::Usage(format!(
            "{} of the {} scenarios in `{}` are invalid; nothing was run:\n{}",
            problems.len(),
            files.len(),
            path.display(),
            problems.join("\n")
        )));
    }
    Ok(out)
}

/// A line on stderr, stamped and redacted.
pub(crate) fn log(line: &str) {
    eprintln!("{} {}", crate::now_rfc3339(), crate::redact::text(line));
}

/// Runs the monitor until `--until`, or until `stop` completes (Ctrl-C), then prints nothing
/// and returns the run's figures.
///
/// # Errors
/// Invalid scenarios or options, or a store that cannot be opened (nothing was probed).
pub async fn run(
    opts: &MonitorOptions,
    stop: impl Future<Output = ()> + Send,
) -> Result<RunReport, Error> {
    if opts.concurrency == 0 {
        return Err(Error::Usage("--concurrency must be at least 1".into()));
    }
    let portals = portals(&opts.scenarios)?;
    for p in &portals {
        crate::redact::remember(crate::redact::scenario_secrets(&p.scenario));
    }
    let started = figures::now_ms();
    if opts.until_ms.is_some_and(|u| u <= started) {
        return Err(Error::Usage(
            "--until is in the past: nothing to monitor".into(),
        ));
    }
    let store = crate::store::Store::open(&opts.db).map_err(|e| Error::Usage(e.to_string()))?;
    for p in &portals {
        let n = store::count(&store, &p.id).map_err(|e| Error::Usage(e.to_string()))?;
        let since = store::extent(&store, &p.id)
            .ok()
            .flatten()
            .map(|(first, _)| figures::rfc3339(first));
        match since {
            Some(since) => log(&format!(
                "{}: continuing its series ({n} probes since {since})",
                p.id
            )),
            None => log(&format!("{}: a new series", p.id)),
        }
    }
    let counters = Arc::new(Counters::default());
    let outcome = worker::run_all(opts, &portals, store, counters.clone(), stop).await?;
    let ended = figures::now_ms();
    let store = crate::store::Store::open(&opts.db).map_err(|e| Error::Usage(e.to_string()))?;
    let label = opts.db.display().to_string();
    let mut all = Vec::new();
    for p in &portals {
        // The run's period starts at its first probe (no gap for the time before it).
        let first = store::first_after(&store, &p.id, started)
            .ok()
            .flatten()
            .unwrap_or(started)
            .min(ended);
        let period = Span {
            from: figures::rfc3339(first),
            to: figures::rfc3339(ended),
        };
        match figures::availability_at(&store, &p.id, &period, &label, ended) {
            Ok(a) => all.push(a),
            Err(e) => log(&format!("{}: no figures: {e}", p.id)),
        }
    }
    Ok(RunReport {
        written: outcome.0,
        lost: outcome.1,
        figures: all,
    })
}

/// The figures of portals over a period, from the store alone (`monitor --summary`). Without
/// portals: every portal of the store; without `from`: each portal's first probe; without
/// `to`: now.
///
/// # Errors
/// The store cannot be opened or read; a portal has no probes.
pub fn summarise(
    db: &Path,
    portals: &[String],
    from_ms: Option<i64>,
    to_ms: Option<i64>,
) -> Result<Vec<Availability>, Error> {
    if !db.exists() {
        return Err(Error::Usage(format!(
            "no database `{}`: run `kiemdinh monitor --scenario … --db {}` first",
            db.display(),
            db.display()
        )));
    }
    let st = crate::store::Store::open(db).map_err(|e| Error::Usage(e.to_string()))?;
    let usage = |e: crate::store::StoreError| Error::Usage(e.to_string());
    let ids = if portals.is_empty() {
        store::portals(&st).map_err(usage)?
    } else {
        portals.to_vec()
    };
    let now = figures::now_ms();
    let label = db.display().to_string();
    let mut out = Vec::new();
    for id in ids {
        let Some((first, _)) = store::extent(&st, &id).map_err(usage)? else {
            return Err(Error::Usage(format!(
                "no probes of portal `{id}` in `{}` (its id is the scenario's file stem)",
                db.display()
            )));
        };
        let period = Span {
            from: figures::rfc3339(from_ms.unwrap_or(first)),
            to: figures::rfc3339(to_ms.unwrap_or(now)),
        };
        out.push(figures::availability_at(&st, &id, &period, &label, now).map_err(usage)?);
    }
    Ok(out)
}

#[cfg(test)]
mod tests;

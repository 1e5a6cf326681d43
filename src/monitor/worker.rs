//! The monitor's tasks: one per portal (its rounds), one summary ticker, and one writer
//! thread that owns the store. Bounded: one round per portal in flight, a semaphore over all
//! requests, a bounded channel to the writer.

use std::future::Future;
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use tokio::sync::{Semaphore, mpsc, watch};
use tokio::time::{Instant, MissedTickBehavior};
use url::Url;

use super::figures::{now_ms, rfc3339};
use super::probe::{Outcome, Prober};
use super::schedule::{self, Targets};
use super::store::ProbeRow;
use super::{Counters, MonitorOptions, Portal, log};
use crate::error::Error;
use crate::observation::Target;
use crate::store::Store;

/// Rows waiting for the writer at most.
const QUEUE: usize = 256;
/// Attempts to record one probe before it is counted as lost.
const WRITE_ATTEMPTS: u32 = 10;

/// Runs every portal until `--until` or `stop`, then waits for the rounds in flight and the
/// writer. Returns (probes written, probes lost).
pub(super) async fn run_all(
    opts: &MonitorOptions,
    portals: &[Portal],
    store: Store,
    counters: Arc<Counters>,
    stop: impl Future<Output = ()> + Send,
) -> Result<(u64, u64), Error> {
    let timeout = schedule::timeout(opts.timeout, opts.interval);
    let mut probers = Vec::new();
    for p in portals {
        probers.push(Prober::new(&p.scenario, timeout)?);
    }
    let (tx, rx) = mpsc::channel::<ProbeRow>(QUEUE);
    let writer = {
        let counters = counters.clone();
        std::thread::spawn(move || write_all(&store, rx, &counters, Duration::from_secs(1)))
    };
    let (stop_tx, stop_rx) = watch::channel(false);
    let sem = Arc::new(Semaphore::new(opts.concurrency));
    let start = Instant::now();
    let mut tasks = Vec::new();
    for (i, (p, prober)) in portals.iter().zip(probers).enumerate() {
        let round = Round {
            id: p.id.clone(),
            targets: schedule::targets(&p.scenario),
            prober,
            interval: opts.interval,
            tx: tx.clone(),
            sem: sem.clone(),
            counters: counters.clone(),
        };
        let first = start + schedule::offset(i, portals.len(), opts.interval);
        log(&format!(
            "{}: watching {} every {} ms",
            p.id,
            round
                .targets
                .known
                .iter()
                .map(|(t, u)| format!("{} {u}", t.as_str()))
                .collect::<Vec<_>>()
                .join(", "),
            opts.interval.as_millis()
        ));
        tasks.push(tokio::spawn(round.run(first, stop_rx.clone())));
    }
    drop(tx);
    let ticker = tokio::spawn(summaries(
        opts.summary_every,
        portals.len(),
        counters.clone(),
        stop_rx.clone(),
    ));
    let until = async {
        match opts.until_ms {
            Some(u) => {
                let left = u64::try_from(u - now_ms()).unwrap_or(0);
                tokio::time::sleep(Duration::from_millis(left)).await;
            }
            None => std::future::pending::<()>().await,
        }
    };
    tokio::select! {
        () = until => log("monitor: the end of the period; finishing the probes in flight"),
        () = stop => log("monitor: stopping; finishing the probes in flight"),
    }
    let _ = stop_tx.send(true);
    for t in tasks {
        let _ = t.await;
    }
    let _ = ticker.await;
    // Every sender is gone: the writer drains the queue and ends.
    let _ = tokio::task::spawn_blocking(move || writer.join()).await;
    let written = counters.written.load(Ordering::SeqCst);
    let lost = counters.lost.load(Ordering::SeqCst);
    log(&format!(
        "monitor: stopped; {written} probes recorded this run{}",
        if lost > 0 {
            format!(", {lost} LOST (the store failed)")
        } else {
            String::new()
        }
    ));
    Ok((written, lost))
}

/// One portal's rounds.
struct Round {
    id: String,
    targets: Targets,
    prober: Prober,
    interval: Duration,
    tx: mpsc::Sender<ProbeRow>,
    sem: Arc<Semaphore>,
    counters: Arc<Counters>,
}

/// A target's last known state, for the state-change lines.
#[derive(Clone, Copy)]
struct State {
    up: bool,
    since_ms: i64,
}

impl Round {
    async fn run(mut self, first: Instant, mut stop: watch::Receiver<bool>) {
        let mut ticks = tokio::time::interval_at(first, self.interval);
        ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
        let mut states: [Option<State>; 4] = [None; 4];
        loop {
            tokio::select! {
                _ = ticks.tick() => {}
                _ = stop.changed() => {}
            }
            if *stop.borrow() {
                break;
            }
            self.find_procedure().await;
            let rounds = self.targets.known.iter().map(|(t, u)| self.one(*t, u));
            let results = futures_util::future::join_all(rounds).await;
            for (target, url, at_ms, outcome) in results {
                self.note(&mut states, target, &url, at_ms, &outcome);
                let row = ProbeRow {
                    portal: self.id.clone(),
                    target,
                    url,
                    at_ms,
                    interval_ms: i64::try_from(self.interval.as_millis()).unwrap_or(i64::MAX),
                    ok: outcome.ok,
                    status: outcome.status,
                    latency_ms: outcome.latency_ms,
                    tls_days_left: outcome.tls_days_left,
                    error: outcome.error.map(|e| crate::redact::text(&e)),
                };
                if self.tx.send(row).await.is_err() {
                    log(&format!("{}: the store writer is gone; stopping", self.id));
                    return;
                }
            }
        }
    }

    async fn one(&self, target: Target, url: &Url) -> (Target, String, i64, Outcome) {
        let _permit = self.sem.acquire().await;
        let at_ms = now_ms();
        let outcome = self.prober.probe(target, url).await;
        self.counters.probes.fetch_add(1, Ordering::Relaxed);
        if !outcome.ok {
            self.counters.failed.fetch_add(1, Ordering::Relaxed);
        }
        (target, url.to_string(), at_ms, outcome)
    }

    /// While no procedure page is known: looks for one on the catalogue (one request a round,
    /// only while the catalogue answers without one).
    async fn find_procedure(&mut self) {
        let Some((catalogue, glob)) = &self.targets.find_procedure else {
            return;
        };
        let _permit = self.sem.acquire().await;
        if let Some(html) = self.prober.page(catalogue).await
            && let Some(u) = schedule::procedure_link(catalogue, &html, glob)
        {
            log(&format!("{}: procedure page {u}", self.id));
            let at = self
                .targets
                .known
                .iter()
                .position(|(t, _)| *t > Target::Procedure)
                .unwrap_or(self.targets.known.len());
            self.targets.known.insert(at, (Target::Procedure, u));
            self.targets.find_procedure = None;
        }
    }

    /// Logs a state change of a target: down (with the error), up again (with how long).
    fn note(
        &self,
        states: &mut [Option<State>; 4],
        target: Target,
        url: &str,
        at_ms: i64,
        o: &Outcome,
    ) {
        let slot = &mut states[target as usize];
        let before = *slot;
        match (before, o.ok) {
            (Some(s), up) if s.up == up => return,
            (None, true) => {
                *slot = Some(State {
                    up: true,
                    since_ms: at_ms,
                });
                return;
            }
            _ => {}
        }
        *slot = Some(State {
            up: o.ok,
            since_ms: at_ms,
        });
        if o.ok {
            self.counters.down_now.fetch_sub(1, Ordering::Relaxed);
            let since = before.map_or(at_ms, |s| s.since_ms);
            log(&format!(
                "{} {}: UP again after {} (down since {})",
                self.id,
                target.as_str(),
                super::summary::duration((at_ms - since) as f64 / 1000.0),
                rfc3339(since)
            ));
        } else {
            self.counters.down_now.fetch_add(1, Ordering::Relaxed);
            log(&format!(
                "{} {}: DOWN: {} ({url})",
                self.id,
                target.as_str(),
                o.error.as_deref().unwrap_or("failed")
            ));
        }
    }
}

/// A summary line every `every` until stopped.
async fn summaries(
    every: Duration,
    portals: usize,
    counters: Arc<Counters>,
    mut stop: watch::Receiver<bool>,
) {
    let mut ticks = tokio::time::interval_at(Instant::now() + every, every);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Skip);
    loop {
        tokio::select! {
            _ = ticks.tick() => {}
            _ = stop.changed() => return,
        }
        let c = &counters;
        log(&format!(
            "monitor: {portals} portals, {} probes this run ({} failed), {} recorded, {} targets down now{}",
            c.probes.load(Ordering::Relaxed),
            c.failed.load(Ordering::Relaxed),
            c.written.load(Ordering::Relaxed),
            c.down_now.load(Ordering::Relaxed),
            match c.lost.load(Ordering::Relaxed) {
                0 => String::new(),
                n => format!(", {n} LOST"),
            }
        ));
    }
}

/// The writer thread: each row in its own transaction, retried while the store is busy or
/// failing (`pause` apart), counted as lost after [`WRITE_ATTEMPTS`].
fn write_all(
    store: &Store,
    mut rx: mpsc::Receiver<ProbeRow>,
    counters: &Counters,
    pause: Duration,
) {
    let mut failing = false;
    while let Some(row) = rx.blocking_recv() {
        let mut attempt = 1;
        loop {
            match super::store::insert(store, &row) {
                Ok(_) => {
                    counters.written.fetch_add(1, Ordering::Relaxed);
                    if failing {
                        log("monitor: the store accepts probes again");
                        failing = false;
                    }
                    break;
                }
                Err(e) if attempt < WRITE_ATTEMPTS => {
                    if !failing {
                        log(&format!("monitor: {e}; retrying"));
                        failing = true;
                    }
                    attempt += 1;
                    std::thread::sleep(pause);
                }
                Err(e) => {
                    counters.lost.fetch_add(1, Ordering::Relaxed);
                    log(&format!(
                        "monitor: probe of {} {} at {} LOST: {e}",
                        row.portal,
                        row.target.as_str(),
                        rfc3339(row.at_ms)
                    ));
                    break;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(at_ms: i64) -> ProbeRow {
        ProbeRow {
            portal: "p".into(),
            target: Target::Home,
            url: "https://p.example/".into(),
            at_ms,
            interval_ms: 1_000,
            ok: true,
            status: Some(200),
            latency_ms: Some(5.0),
            tls_days_left: None,
            error: None,
        }
    }

    #[test]
    fn a_store_busy_for_a_moment_loses_nothing_and_a_failing_one_counts_its_losses() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k.db");
        let store = Store::open(&path).unwrap();
        // Another process holds the write lock for 300 ms.
        let other = rusqlite::Connection::open(&path).unwrap();
        other.execute_batch("BEGIN EXCLUSIVE").unwrap();
        let (tx, rx) = mpsc::channel(4);
        let counters = Counters::default();
        let release = std::thread::spawn(move || {
            std::thread::sleep(Duration::from_millis(300));
            other.execute_batch("COMMIT").unwrap();
        });
        tx.blocking_send(row(1)).unwrap();
        tx.blocking_send(row(2)).unwrap();
        drop(tx);
        write_all(&store, rx, &counters, Duration::from_millis(10));
        release.join().unwrap();
        assert_eq!(counters.written.load(Ordering::SeqCst), 2);
        assert_eq!(counters.lost.load(Ordering::SeqCst), 0);
        assert_eq!(super::super::store::count(&store, "p").unwrap(), 2);

        store
            .conn()
            .execute_batch("PRAGMA query_only = ON")
            .unwrap();
        let (tx, rx) = mpsc::channel(4);
        let counters = Counters::default();
        tx.blocking_send(row(3)).unwrap();
        drop(tx);
        write_all(&store, rx, &counters, Duration::from_millis(1));
        assert_eq!(counters.written.load(Ordering::SeqCst), 0);
        assert_eq!(counters.lost.load(Ordering::SeqCst), 1);
    }
}

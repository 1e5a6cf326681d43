//! The recorder every load user writes to: an exact histogram per journey step and overall,
//! counters, errors by status and kind, journeys, users, the closed-model lateness and the
//! open-model dropped arrivals — only for requests started inside the measured windows. It
//! also enforces the request bound.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

use crate::load::{Hist, Segment, StepRecord};
use crate::observation::JourneyStats;

/// What went wrong with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Failure {
    /// An unexpected status (the status is recorded too).
    Status(u16),
    /// No answer in time.
    Timeout,
    /// No connection.
    Connect,
    /// The body could not be read.
    Body,
    /// A capture found nothing.
    Capture,
    /// The request could not be built (a template value missing).
    Request,
}

impl Failure {
    fn kind(self) -> &'static str {
        match self {
            Failure::Status(_) => "status",
            Failure::Timeout => "timeout",
            Failure::Connect => "connect",
            Failure::Body => "body",
            Failure::Capture => "capture",
            Failure::Request => "request",
        }
    }
}

#[derive(Default)]
struct Totals {
    overall: Hist,
    steps: Vec<StepRecord>,
    journeys: Vec<JourneyStats>,
    errors_by_status: BTreeMap<String, u64>,
    errors_by_kind: BTreeMap<String, u64>,
    requests: u64,
    errors: u64,
    late: u64,
    worst_late_us: u64,
    dropped: u64,
}

/// Shared by every user of one attack.
pub struct Recorder {
    /// Measured windows, ms after the first user started.
    windows: Vec<(u64, u64)>,
    start: OnceLock<Instant>,
    totals: Mutex<Totals>,
    /// Requests sent in the whole run (measured or not), for the bound.
    sent: AtomicU64,
    max_requests: u64,
    bound_hit: AtomicBool,
    active: AtomicU64,
    peak: AtomicU64,
    samples: Option<Mutex<std::io::BufWriter<std::fs::File>>>,
}

impl Recorder {
    /// A recorder for journeys (name, transactional, step names) measuring `windows` (ms
    /// after the first user starts), stopping the attack after `max_requests`.
    pub fn new(
        journeys: &[(String, bool, Vec<String>)],
        windows: Vec<(u64, u64)>,
        max_requests: u64,
        samples: Option<std::fs::File>,
    ) -> Self {
        let mut totals = Totals::default();
        for (name, transactional, steps) in journeys {
            totals.journeys.push(JourneyStats {
                name: name.clone(),
                transactional: *transactional,
                ..JourneyStats::default()
            });
            for s in steps {
                totals.steps.push(StepRecord {
                    journey: name.clone(),
                    step: s.clone(),
                    ..StepRecord::default()
                });
            }
        }
        Self {
            windows,
            start: OnceLock::new(),
            totals: Mutex::new(totals),
            sent: AtomicU64::new(0),
            max_requests,
            bound_hit: AtomicBool::new(false),
            active: AtomicU64::new(0),
            peak: AtomicU64::new(0),
            samples: samples.map(|f| Mutex::new(std::io::BufWriter::new(f))),
        }
    }

    /// When the first user started (set on first call).
    pub fn start(&self) -> Instant {
        *self.start.get_or_init(Instant::now)
    }

    /// Whether a request started at `at` falls in a measured window.
    pub fn measuring(&self, at: Instant) -> bool {
        let ms = at.saturating_duration_since(self.start()).as_millis() as u64;
        self.windows.iter().any(|(a, b)| ms >= *a && ms < *b)
    }

    /// Counts a request about to be sent; `false` once the bound is reached (the caller
    /// stops and the attack is stopped).
    pub fn admit(&self) -> bool {
        let n = self.sent.fetch_add(1, Ordering::Relaxed) + 1;
        if n > self.max_requests {
            if !self.bound_hit.swap(true, Ordering::SeqCst) {
                goose::trigger_killswitch("kiemdinh: request bound reached");
            }
            return false;
        }
        true
    }

    /// Whether the request bound stopped the run.
    pub fn bound_hit(&self) -> bool {
        self.bound_hit.load(Ordering::SeqCst)
    }

    /// Requests sent so far (measured or not).
    pub fn sent(&self) -> u64 {
        self.sent.load(Ordering::Relaxed)
    }

    /// A user became active.
    pub fn user_started(&self) {
        let now = self.active.fetch_add(1, Ordering::Relaxed) + 1;
        self.peak.fetch_max(now, Ordering::Relaxed);
    }

    /// A user stopped.
    pub fn user_stopped(&self) {
        self.active.fetch_sub(1, Ordering::Relaxed);
    }

    /// Users active now.
    pub fn active(&self) -> u64 {
        self.active.load(Ordering::Relaxed)
    }

    /// Records one answered or failed request of step `step` (index over all journeys'
    /// steps) that started at `at` and took `took`; `late` is how long it waited behind a
    /// slow answer (closed model), if it did.
    pub fn request(&self, step: usize, at: Instant, took: Duration, failure: Option<Failure>) {
        if !self.measuring(at) {
            return;
        }
        let us = took.as_micros().min(u128::from(u64::MAX)) as u64;
        let mut t = self
            .totals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        t.requests += 1;
        t.overall.record_us(us);
        if let Some(s) = t.steps.get_mut(step) {
            s.requests += 1;
            s.hist.record_us(us);
            if failure.is_some() {
                s.errors += 1;
            }
        }
        if let Some(f) = failure {
            t.errors += 1;
            *t.errors_by_kind.entry(f.kind().to_string()).or_default() += 1;
            if let Failure::Status(code) = f {
                *t.errors_by_status.entry(code.to_string()).or_default() += 1;
            }
        }
        drop(t);
        if let Some(w) = &self.samples {
            let mut w = w.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let _ = writeln!(w, "{us}");
        }
    }

    /// A request of the closed model went out `delay` later than its user's pace planned.
    pub fn late(&self, at: Instant, delay: Duration) {
        if self.measuring(at) {
            let mut t = self
                .totals
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            t.late += 1;
            t.worst_late_us = t.worst_late_us.max(delay.as_micros() as u64);
        }
    }

    /// Open model: `n` journey starts were missed.
    pub fn dropped(&self, at: Instant, n: u64) {
        if self.measuring(at) {
            self.totals
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .dropped += n;
        }
    }

    /// A user was assigned journey `j`.
    pub fn journey_user(&self, j: usize) {
        if let Some(s) = self
            .totals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .journeys
            .get_mut(j)
        {
            s.users += 1;
        }
    }

    /// Journey `j`, started at `at`, ended (completed or not).
    pub fn journey_done(&self, j: usize, at: Instant, completed: bool) {
        if !self.measuring(at) {
            return;
        }
        let mut t = self
            .totals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(s) = t.journeys.get_mut(j) {
            if completed {
                s.completed += 1;
            } else {
                s.failed += 1;
            }
        }
    }

    /// The overall p95 so far, ms, and the requests and errors measured (progress line).
    pub fn snapshot(&self) -> (f64, u64, u64) {
        let t = self
            .totals
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        (
            t.overall.quantile_us(0.95) as f64 / 1000.0,
            t.requests,
            t.errors,
        )
    }

    /// Seconds of measured windows that had begun by `end` (ms after start), clipped.
    pub fn measured_s(&self, end: Instant) -> f64 {
        let end_ms = end.saturating_duration_since(self.start()).as_millis() as u64;
        self.windows
            .iter()
            .map(|(a, b)| (*b).min(end_ms).saturating_sub(*a))
            .sum::<u64>() as f64
            / 1000.0
    }

    /// The figures as a segment (the caller fills the run's identity).
    pub fn into_segment(self, end: Instant) -> Segment {
        let measured_s = self.measured_s(end);
        if let Some(w) = &self.samples {
            let _ = w
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .flush();
        }
        let peak = self.peak.load(Ordering::Relaxed) as u32;
        let t = self
            .totals
            .into_inner()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let active_users = t
            .journeys
            .iter()
            .filter(|j| j.transactional)
            .map(|j| j.users)
            .sum();
        Segment {
            users: peak,
            active_users,
            measured_s,
            requests: t.requests,
            errors: t.errors,
            overall: t.overall,
            steps: t.steps,
            journeys: t.journeys,
            errors_by_status: t.errors_by_status,
            errors_by_kind: t.errors_by_kind,
            late_requests: t.late,
            worst_delay_us: t.worst_late_us,
            dropped_arrivals: t.dropped,
            ..Segment::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_requests_in_the_windows_count_and_the_bound_stops() {
        let r = Recorder::new(
            &[("a".into(), true, vec!["1 GET /".into()])],
            vec![(50, 10_000)],
            3,
            None,
        );
        let t0 = r.start();
        r.request(0, t0, Duration::from_millis(5), None);
        r.request(
            0,
            t0 + Duration::from_millis(60),
            Duration::from_millis(7),
            None,
        );
        r.request(
            0,
            t0 + Duration::from_millis(70),
            Duration::from_millis(9),
            Some(Failure::Status(503)),
        );
        assert!(r.admit() && r.admit() && r.admit());
        assert!(!r.admit());
        assert!(r.bound_hit());
        goose::reset_killswitch();
        r.journey_user(0);
        let s = r.into_segment(t0 + Duration::from_secs(2));
        assert_eq!(s.requests, 2);
        assert_eq!(s.errors, 1);
        assert_eq!(s.errors_by_status["503"], 1);
        assert_eq!(s.steps[0].requests, 2);
        assert_eq!(s.active_users, 1);
        assert!((s.measured_s - 1.95).abs() < 0.01, "{}", s.measured_s);
    }
}

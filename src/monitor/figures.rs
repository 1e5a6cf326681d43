//! The availability figures of one portal over a period, computed from the store in one pass
//! over the `(portal, at_ms)` index, rows borrowed from the cursor (no allocation per row):
//! the definitions are the field docs of [`crate::observation::Availability`].
//!
//! - A probe **covers** the time from its start to the next probe of the same target, at most
//!   `2 × interval` (its own interval: a restart with another interval is measured right);
//!   the last probe covers up to the end of the period or the moment the figures are read,
//!   whichever comes first. Covered time is `monitored_s`; covered time of failed probes is
//!   `down_s`.
//! - An **outage** is a run of consecutive failed probes of one target, from the first failure
//!   to the first success after it; still going on at the end, it ends there (`ongoing`).
//! - A **gap** is time of the period no probe of any target covers (the monitor was stopped or
//!   killed): it is neither up nor down, and never an outage by itself.
//! - **Days** are Vietnam calendar days (UTC+7, no daylight saving), for the home target.
//! - Latency percentiles are nearest-rank over successful probes.
//!
//! Only probes inside the period are read: an outage that began before it starts, for these
//! figures, at the period's first failed probe.

use std::collections::HashMap;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::store::{RowRef, for_each};
use crate::observation::{
    Availability, DayUptime, Outage, ProbeLatency, Span, Target, TargetAvailability,
};
use crate::store::{Store, StoreError};

/// Vietnam's offset from UTC, milliseconds (UTC+7 all year).
const VIETNAM_MS: i64 = 7 * 3_600_000;
/// Milliseconds per day.
const DAY_MS: i64 = 86_400_000;
/// The targets in report order.
const TARGETS: [Target; 4] = [
    Target::Home,
    Target::Catalogue,
    Target::Procedure,
    Target::DvcqgStatus,
];

/// The figures of `portal` over `period`, read now. `db_label` is recorded as the store's name
/// (as the scenario gives it).
///
/// # Errors
/// The period is not two RFC 3339 instants in order, or the store cannot be read.
pub fn availability(
    store: &Store,
    portal: &str,
    period: &Span,
    db_label: &str,
) -> Result<Availability, StoreError> {
    availability_at(store, portal, period, db_label, now_ms())
}

/// [`availability`] as if read at `now_ms` (Unix milliseconds): the last probes cover no
/// further than that.
///
/// # Errors
/// As [`availability`].
pub fn availability_at(
    store: &Store,
    portal: &str,
    period: &Span,
    db_label: &str,
    now_ms: i64,
) -> Result<Availability, StoreError> {
    let from = parse_instant(&period.from)
        .ok_or_else(|| store.error(format!("period start `{}` is not RFC 3339", period.from)))?;
    let to = parse_instant(&period.to)
        .ok_or_else(|| store.error(format!("period end `{}` is not RFC 3339", period.to)))?;
    if to < from {
        return Err(store.error(format!(
            "the period ends ({}) before it starts ({})",
            period.to, period.from
        )));
    }
    let end = to.min(now_ms).max(from);
    let mut acc = Accumulator::new(from);
    for_each(store, portal, from, to, |r| acc.row(&r))?;
    Ok(acc.finish(portal, db_label, period, end, now_ms))
}

/// Unix milliseconds now.
pub fn now_ms() -> i64 {
    i64::try_from(OffsetDateTime::now_utc().unix_timestamp_nanos() / 1_000_000).unwrap_or(0)
}

/// Parses an RFC 3339 instant to Unix milliseconds.
pub fn parse_instant(s: &str) -> Option<i64> {
    let t = OffsetDateTime::parse(s, &Rfc3339).ok()?;
    i64::try_from(t.unix_timestamp_nanos() / 1_000_000).ok()
}

/// Unix milliseconds as RFC 3339 (UTC; milliseconds shown only when not zero).
pub fn rfc3339(ms: i64) -> String {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(ms) * 1_000_000)
        .ok()
        .and_then(|t| t.format(&Rfc3339).ok())
        .unwrap_or_default()
}

/// The Vietnam calendar day of an instant, as days since 1970-01-01.
fn vietnam_day(ms: i64) -> i64 {
    (ms + VIETNAM_MS).div_euclid(DAY_MS)
}

/// `YYYY-MM-DD` of a day number.
fn day_name(day: i64) -> String {
    OffsetDateTime::from_unix_timestamp(day * 86_400).map_or_else(
        |_| String::new(),
        |t| {
            let d = t.date();
            format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
        },
    )
}

#[derive(Debug, Clone, Copy)]
struct Last {
    at: i64,
    interval: i64,
    ok: bool,
}

#[derive(Debug)]
struct Open {
    start: i64,
    probes: u64,
    first_error: String,
}

#[derive(Debug, Default)]
struct TargetAcc {
    url: String,
    probes: u64,
    failed: u64,
    monitored_ms: i64,
    down_ms: i64,
    latencies: Vec<f64>,
    last: Option<Last>,
    open: Option<Open>,
}

#[derive(Debug)]
struct DayAcc {
    day: i64,
    monitored_ms: i64,
    down_ms: i64,
    probes: u64,
}

struct Accumulator {
    targets: [TargetAcc; 4],
    outages: Vec<Outage>,
    gaps: Vec<Span>,
    /// How far the probes seen so far cover.
    reach: i64,
    days: Vec<DayAcc>,
    intervals: HashMap<i64, u64>,
}

fn index(t: Target) -> usize {
    match t {
        Target::Home => 0,
        Target::Catalogue => 1,
        Target::Procedure => 2,
        Target::DvcqgStatus => 3,
    }
}

impl Accumulator {
    fn new(from: i64) -> Self {
        Self {
            targets: Default::default(),
            outages: Vec::new(),
            gaps: Vec::new(),
            reach: from,
            days: Vec::new(),
            intervals: HashMap::new(),
        }
    }

    fn row(&mut self, r: &RowRef<'_>) {
        let interval = r.interval_ms.max(1);
        if r.at_ms > self.reach {
            self.gaps.push(Span {
                from: rfc3339(self.reach),
                to: rfc3339(r.at_ms),
            });
        }
        self.reach = self.reach.max(r.at_ms.saturating_add(2 * interval));
        *self.intervals.entry(interval).or_default() += 1;
        let t = index(r.target);
        if let Some(last) = self.targets[t].last {
            self.cover(r.target, last, r.at_ms);
        }
        let is_home = r.target == Target::Home;
        let acc = &mut self.targets[t];
        acc.probes += 1;
        if acc.url != r.url {
            r.url.clone_into(&mut acc.url);
        }
        if r.ok {
            if let Some(l) = r.latency_ms {
                acc.latencies.push(l);
            }
            if let Some(open) = acc.open.take() {
                self.outages.push(outage(r.target, open, r.at_ms, false));
            }
        } else {
            acc.failed += 1;
            match &mut acc.open {
                Some(open) => open.probes += 1,
                None => {
                    acc.open = Some(Open {
                        start: r.at_ms,
                        probes: 1,
                        first_error: first_error(r),
                    });
                }
            }
        }
        acc.last = Some(Last {
            at: r.at_ms,
            interval,
            ok: r.ok,
        });
        if is_home {
            self.day_mut(vietnam_day(r.at_ms)).probes += 1;
        }
    }

    /// Adds the time `last` covers up to `until` (at most `2 × interval`).
    fn cover(&mut self, target: Target, last: Last, until: i64) {
        let len = (until - last.at).clamp(0, 2 * last.interval);
        let acc = &mut self.targets[index(target)];
        acc.monitored_ms += len;
        if !last.ok {
            acc.down_ms += len;
        }
        if target == Target::Home {
            let mut start = last.at;
            let end = last.at + len;
            while start < end {
                let day = vietnam_day(start);
                let day_end = (day + 1) * DAY_MS - VIETNAM_MS;
                let piece = end.min(day_end) - start;
                let d = self.day_mut(day);
                d.monitored_ms += piece;
                if !last.ok {
                    d.down_ms += piece;
                }
                start += piece;
            }
        }
    }

    fn day_mut(&mut self, day: i64) -> &mut DayAcc {
        let pos = match self.days.iter().rposition(|d| d.day <= day) {
            Some(i) if self.days[i].day == day => i,
            Some(i) => {
                self.days.insert(i + 1, DayAcc::new(day));
                i + 1
            }
            None => {
                self.days.insert(0, DayAcc::new(day));
                0
            }
        };
        &mut self.days[pos]
    }

    fn finish(mut self, portal: &str, db: &str, period: &Span, end: i64, now: i64) -> Availability {
        for t in TARGETS {
            if let Some(last) = self.targets[index(t)].last {
                self.cover(t, last, end);
            }
            if let Some(open) = self.targets[index(t)].open.take() {
                self.outages.push(outage(t, open, end.max(0), true));
            }
        }
        if end > self.reach {
            self.gaps.push(Span {
                from: rfc3339(self.reach),
                to: rfc3339(end),
            });
        }
        self.outages
            .sort_by(|a, b| a.start.cmp(&b.start).then_with(|| a.target.cmp(&b.target)));
        let interval_ms = self
            .intervals
            .iter()
            .max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0)))
            .map_or(0, |(i, _)| *i);
        let targets = TARGETS
            .iter()
            .zip(&mut self.targets)
            .filter(|(_, a)| a.probes > 0)
            .map(|(t, a)| TargetAvailability {
                target: *t,
                url: std::mem::take(&mut a.url),
                probes: a.probes,
                failed: a.failed,
                monitored_s: a.monitored_ms as f64 / 1000.0,
                down_s: a.down_ms as f64 / 1000.0,
                latency_ms: percentiles(&mut a.latencies),
            })
            .collect();
        Availability {
            portal: portal.to_string(),
            db: db.to_string(),
            period: period.clone(),
            read_at: rfc3339(now),
            interval_s: interval_ms as f64 / 1000.0,
            targets,
            outages: self.outages,
            gaps: self.gaps,
            daily: self
                .days
                .iter()
                .map(|d| DayUptime {
                    date: day_name(d.day),
                    monitored_s: d.monitored_ms as f64 / 1000.0,
                    down_s: d.down_ms as f64 / 1000.0,
                    probes: d.probes,
                })
                .collect(),
        }
    }
}

impl DayAcc {
    fn new(day: i64) -> Self {
        Self {
            day,
            monitored_ms: 0,
            down_ms: 0,
            probes: 0,
        }
    }
}

fn outage(target: Target, open: Open, end: i64, ongoing: bool) -> Outage {
    let end = end.max(open.start);
    Outage {
        target,
        start: rfc3339(open.start),
        end: rfc3339(end),
        ongoing,
        duration_s: (end - open.start) as f64 / 1000.0,
        probes: open.probes,
        first_error: open.first_error,
    }
}

/// The recorded error, else the status, of a failed probe.
fn first_error(r: &RowRef<'_>) -> String {
    match (r.error, r.status) {
        (Some(e), _) => e.to_string(),
        (None, Some(s)) => format!("HTTP {s}"),
        (None, None) => "failed (no error recorded)".to_string(),
    }
}

/// Nearest-rank percentiles (sorts in place).
pub fn percentiles(values: &mut [f64]) -> ProbeLatency {
    if values.is_empty() {
        return ProbeLatency::default();
    }
    values.sort_unstable_by(f64::total_cmp);
    let n = values.len();
    #[allow(clippy::cast_sign_loss)] // p and n are positive
    let at = |p: f64| {
        let rank = (p / 100.0 * n as f64).ceil() as usize;
        values[rank.clamp(1, n) - 1]
    };
    ProbeLatency {
        count: n as u64,
        p50: at(50.0),
        p90: at(90.0),
        p95: at(95.0),
        p99: at(99.0),
        max: values[n - 1],
    }
}

#[cfg(test)]
#[path = "figures_tests.rs"]
mod tests;

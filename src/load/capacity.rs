//! The capacity search's decisions, pure: which user counts to try ([`plan`]), whether a step
//! broke the checklist's load thresholds ([`breaks`], with [`Limits`] read from the checklist
//! — thresholds are data, never numbers here), and the capacity the steps show
//! ([`capacity`]). The engine that runs the steps is `probe::load`.

use crate::checklist::check::LoadStatistic;
use crate::checklist::{Check, Checklist, Requirement};
use crate::observation::{CapacityStep, Latency};

/// Most steps a capacity plan may have.
pub const MAX_STEPS: usize = 200;

/// The load thresholds a step must hold (each `None` when no checklist sets it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Limits {
    /// Mean response time must stay below this, ms.
    pub mean_ms: Option<f64>,
    /// 95th percentile must stay below this, ms.
    pub p95_ms: Option<f64>,
    /// 99th percentile must stay below this, ms.
    pub p99_ms: Option<f64>,
    /// Slowest response must stay below this, ms.
    pub max_ms: Option<f64>,
    /// Share of failed requests must stay below this (0.01 = 1 %).
    pub max_error_rate: Option<f64>,
}

/// Sets `slot` to `b` unless it already holds a smaller limit.
fn tighten(slot: &mut Option<f64>, b: f64) {
    *slot = Some(slot.map_or(b, |a| a.min(b)));
}

impl Limits {
    /// The `load-threshold` checks of every requirement of the checklists (as loaded, with
    /// any `--set` or scenario `[overrides]` already applied to them); the strictest value
    /// when several set the same limit. `min-active-ratio` is a property of the scenario's
    /// journey mix, not of the load, and does not bound a step.
    pub fn from_checklists(checklists: &[Checklist]) -> Limits {
        Self::from_requirements(checklists.iter().flat_map(|c| &c.requirements))
    }

    /// As [`Self::from_checklists`], over chosen requirements (e.g. the selected ones).
    pub fn from_requirements<'a>(reqs: impl IntoIterator<Item = &'a Requirement>) -> Limits {
        let mut l = Limits::default();
        for check in reqs.into_iter().flat_map(|r| &r.checks) {
            let Check::LoadThreshold {
                statistic,
                max_ms,
                max_error_rate,
                ..
            } = check
            else {
                continue;
            };
            if let (Some(s), Some(m)) = (statistic, max_ms) {
                let slot = match s {
                    LoadStatistic::Mean => &mut l.mean_ms,
                    LoadStatistic::P95 => &mut l.p95_ms,
                    LoadStatistic::P99 => &mut l.p99_ms,
                    LoadStatistic::Max => &mut l.max_ms,
                };
                tighten(slot, *m);
            }
            if let Some(r) = max_error_rate {
                tighten(&mut l.max_error_rate, *r);
            }
        }
        l
    }

    /// Whether no limit is set (a capacity search would then have nothing to stop it but
    /// unanswered requests).
    pub fn is_empty(&self) -> bool {
        *self == Limits::default()
    }
}

/// A number of milliseconds or percent as people write it: `10000`, `12.5`, `0.25`.
pub fn plain(v: f64) -> String {
    let s = format!("{v:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    if s == "-0" { "0".into() } else { s.into() }
}

/// What broke, in plain words with the figures (`p95 12400 ms ≥ 10000 ms; error rate 3.2 %
/// ≥ 1 %`), or `None` when the step held every limit. A step where nothing was answered
/// breaks (`no request answered`), and so does one where every request failed. A limit holds when the figure is strictly below it.
pub fn breaks(latency: &Latency, requests: u64, errors: u64, limits: &Limits) -> Option<String> {
    if requests == 0 {
        return Some("no request answered".into());
    }
    if errors >= requests {
        return Some(format!("every request failed ({errors} of {requests})"));
    }
    let mut broke = Vec::new();
    for (name, value, limit) in [
        ("mean", latency.mean, limits.mean_ms),
        ("p95", latency.p95, limits.p95_ms),
        ("p99", latency.p99, limits.p99_ms),
        ("max", latency.max, limits.max_ms),
    ] {
        if let Some(limit) = limit.filter(|l| value >= *l) {
            broke.push(format!("{name} {} ms ≥ {} ms", plain(value), plain(limit)));
        }
    }
    let rate = errors as f64 / requests as f64;
    if let Some(limit) = limits.max_error_rate.filter(|l| rate >= *l) {
        broke.push(format!(
            "error rate {} % ≥ {} %",
            plain(rate * 100.0),
            plain(limit * 100.0)
        ));
    }
    (!broke.is_empty()).then(|| broke.join("; "))
}

/// The capacity the steps show: the users of the last passing step before the first failing
/// one (the last step when every step passed); `None` when the first step failed or there
/// is no step.
pub fn capacity(steps: &[CapacityStep]) -> Option<u32> {
    steps
        .iter()
        .take_while(|s| s.passed)
        .last()
        .map(|s| s.users)
}

/// The user counts of a capacity search: `start`, `start + step`, … up to `max`, and `max`
/// itself last when the steps do not land on it. Refused unless `1 ≤ start ≤ max`,
/// `step ≥ 1` and the plan has at most [`MAX_STEPS`] steps.
pub fn plan(start: u32, step: u32, max: u32) -> Result<Vec<u32>, String> {
    if start == 0 {
        return Err("the capacity search must start at 1 user or more".into());
    }
    if step == 0 {
        return Err("the capacity search's step must be 1 user or more".into());
    }
    if start > max {
        return Err(format!(
            "the capacity search starts at {start} users, above its maximum {max}"
        ));
    }
    let steps = (u64::from(max - start)).div_ceil(u64::from(step)) + 1;
    if steps > MAX_STEPS as u64 {
        return Err(format!(
            "the capacity search from {start} to {max} users by {step} has {steps} steps, \
             more than {MAX_STEPS}: take a larger step"
        ));
    }
    let mut out: Vec<u32> = (0..steps)
        .map(|i| (u64::from(start) + i * u64::from(step)).min(u64::from(max)) as u32)
        .collect();
    out.dedup();
    Ok(out)
}

#[cfg(test)]
mod tests;

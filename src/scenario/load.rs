//! `[load]`: the load profile (target concurrency, ramps or stages, closed or open model), the
//! written authorisation a non-loopback target needs, the journeys (`[[load.journeys]]`) and
//! the capacity-search plan. Validated into [`LoadSettings`]; the engine is `probe::load`.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::Problem;
use crate::input::Source;
use crate::observation::LoadMode;

mod journey;
#[cfg(test)]
mod tests;

pub use journey::{
    Body, Capture, CaptureFrom, Journey, LoadStep, RawCapture, RawJourney, RawLoadStep, Template,
};

/// Most users one process (or one segment) may run.
pub const MAX_USERS: u32 = 100_000;
/// Longest planned run, seconds (a day).
pub const MAX_RUN_S: u32 = 86_400;
/// Request bound when the scenario sets none.
pub const DEFAULT_MAX_REQUESTS: u64 = 1_000_000;

/// `[load.authorization]`: who allowed load on a non-loopback target, in which document, and
/// for which period.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Authorization {
    /// Who authorised it (name, role, organisation).
    pub by: String,
    /// The document (`Công văn số 123/STTTT-CNTT`).
    pub reference: String,
    /// First day the load test is allowed (YYYY-MM-DD).
    pub from: String,
    /// Last day it is allowed (YYYY-MM-DD).
    pub until: String,
}

impl Authorization {
    /// Reports, through `bad(key, message)` with keys under `authorization.`, an empty `by` or
    /// `reference`, a date that is not YYYY-MM-DD and a period that ends before it starts (the
    /// same rules for `[load.authorization]` and `[security.authorization]`).
    pub(super) fn check(&self, bad: &mut impl FnMut(&str, String)) {
        for (k, v) in [("by", &self.by), ("reference", &self.reference)] {
            if v.trim().is_empty() {
                bad(&format!("authorization.{k}"), "must not be empty".into());
            }
        }
        for (k, v) in [("from", &self.from), ("until", &self.until)] {
            if crate::clock::parse_date(v).is_none() {
                bad(
                    &format!("authorization.{k}"),
                    format!("`{v}` is not a date (YYYY-MM-DD)"),
                );
            }
        }
        if self.from > self.until {
            bad("authorization.until", "ends before it starts".into());
        }
    }
}

/// One stage of a staged plan: reach `users` over `duration-s` (goose test-plan semantics).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Stage {
    /// Users at the end of the stage.
    pub users: u32,
    /// Seconds the stage takes.
    pub duration_s: u32,
}

/// `[load.capacity]`: the steps of `--find-capacity`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Capacity {
    /// Users of the first step.
    pub start: u32,
    /// Users added per step.
    pub step: u32,
    /// Users of the last step tried.
    pub max: u32,
    /// Seconds each step is held (measured).
    #[serde(default = "default_hold")]
    pub hold_s: u32,
    /// Seconds to reach each step's users (not measured).
    #[serde(default)]
    pub ramp_s: u32,
    /// An extra bound on p95 besides the checklist's thresholds, ms.
    #[serde(default)]
    pub max_p95_ms: Option<f64>,
}

fn default_hold() -> u32 {
    30
}

/// `[load]` as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLoad {
    /// Written authorisation; required for any target that is not loopback.
    #[serde(default)]
    pub authorization: Option<Authorization>,
    /// Concurrent users at the target load (PL5-3).
    pub users: u32,
    /// Share of the users put on transactional journeys (PL5-4); default 1/6 rounded up.
    #[serde(default)]
    pub active_share: Option<f64>,
    /// Seconds to reach `users`.
    #[serde(default)]
    pub ramp_up_s: u32,
    /// Seconds held at `users` (measured).
    #[serde(default)]
    pub duration_s: u32,
    /// Seconds to stop the users after the hold.
    #[serde(default)]
    pub ramp_down_s: u32,
    /// A staged plan instead of ramp-up/duration/ramp-down; the stages held at `users` are
    /// measured.
    #[serde(default)]
    pub stages: Vec<Stage>,
    /// `closed` (a fixed number of users) or `open` (journeys started at `rate` per second).
    #[serde(default)]
    pub mode: LoadMode,
    /// Open model: journeys started per second.
    #[serde(default)]
    pub rate: Option<f64>,
    /// Think time after each step, ms, unless the step sets its own.
    #[serde(default = "default_think")]
    pub think_ms: u64,
    /// Budget of one request, ms.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    /// The run stops after this many requests whatever the plan says.
    #[serde(default)]
    pub max_requests: Option<u64>,
    /// Values journeys use as `{{name}}`, cycled per iteration.
    #[serde(default)]
    pub data: BTreeMap<String, Vec<String>>,
    /// The journeys; none → a default citizen journey from the scenario's own pages.
    #[serde(default)]
    pub journeys: Vec<RawJourney>,
    /// The capacity-search plan.
    #[serde(default)]
    pub capacity: Option<Capacity>,
}

fn default_think() -> u64 {
    1000
}
fn default_timeout() -> u64 {
    30_000
}

/// The load settings, validated.
#[derive(Debug, Clone, Serialize)]
pub struct LoadSettings {
    /// Authorisation, when given.
    pub authorization: Option<Authorization>,
    /// Target concurrency.
    pub users: u32,
    /// Transactional share (PL5-4).
    pub active_share: f64,
    /// The plan as goose stages; `measured[i]` says whether stage `i` is measured.
    pub stages: Vec<Stage>,
    /// Which stages are measured (held at the target).
    pub measured: Vec<bool>,
    /// Closed or open.
    pub mode: LoadMode,
    /// Open model: journeys per second.
    pub rate: Option<f64>,
    /// Default think time, ms.
    pub think_ms: u64,
    /// Request budget, ms.
    pub timeout_ms: u64,
    /// Request bound.
    pub max_requests: u64,
    /// Data cycled per iteration.
    pub data: BTreeMap<String, Vec<String>>,
    /// Declared journeys (empty → the default ones).
    pub journeys: Vec<Journey>,
    /// The capacity plan.
    pub capacity: Option<Capacity>,
}

impl LoadSettings {
    /// Seconds the whole plan takes.
    pub fn planned_s(&self) -> u64 {
        self.stages.iter().map(|s| u64::from(s.duration_s)).sum()
    }

    /// Seconds measured.
    pub fn measured_s(&self) -> u64 {
        self.stages
            .iter()
            .zip(&self.measured)
            .filter(|(_, m)| **m)
            .map(|(s, _)| u64::from(s.duration_s))
            .sum()
    }
}

/// Validates `[load]`, adding every problem to `problems`.
pub(super) fn validate(
    raw: &RawLoad,
    base: Option<&Url>,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> LoadSettings {
    let mut bad = |key: &str, msg: String| {
        problems.push(source.problem_at(None, Some(format!("load.{key}")), msg));
    };
    if raw.users == 0 || raw.users > MAX_USERS {
        bad("users", format!("value out of range (1–{MAX_USERS})"));
    }
    let active_share = raw.active_share.unwrap_or(1.0 / 6.0);
    if !(0.0..=1.0).contains(&active_share) {
        bad("active-share", "a share between 0 and 1".into());
    }
    if let Some(a) = &raw.authorization {
        a.check(&mut bad);
    }
    let (stages, measured) = if raw.stages.is_empty() {
        if raw.duration_s == 0 {
            bad(
                "duration-s",
                "give the seconds held at the target (or `stages`)".into(),
            );
        }
        let mut stages = Vec::new();
        let mut measured = Vec::new();
        if raw.ramp_up_s > 0 {
            stages.push(Stage {
                users: raw.users,
                duration_s: raw.ramp_up_s,
            });
            measured.push(false);
        } else {
            stages.push(Stage {
                users: raw.users,
                duration_s: 0,
            });
            measured.push(false);
        }
        stages.push(Stage {
            users: raw.users,
            duration_s: raw.duration_s,
        });
        measured.push(true);
        if raw.ramp_down_s > 0 {
            stages.push(Stage {
                users: 0,
                duration_s: raw.ramp_down_s,
            });
            measured.push(false);
        }
        (stages, measured)
    } else {
        if raw.duration_s != 0 || raw.ramp_up_s != 0 || raw.ramp_down_s != 0 {
            bad(
                "stages",
                "use either `stages` or ramp-up-s/duration-s/ramp-down-s".into(),
            );
        }
        let mut prev = 0;
        let measured: Vec<bool> = raw
            .stages
            .iter()
            .map(|s| {
                let held = prev >= raw.users && s.users >= raw.users && s.duration_s > 0;
                prev = s.users;
                held
            })
            .collect();
        if raw.stages.iter().any(|s| s.users > MAX_USERS) {
            bad("stages", format!("at most {MAX_USERS} users"));
        }
        if !measured.contains(&true) {
            bad(
                "stages",
                format!(
                    "no stage holds the target of {} users: nothing would be measured",
                    raw.users
                ),
            );
        }
        (raw.stages.clone(), measured)
    };
    let total: u64 = stages.iter().map(|s| u64::from(s.duration_s)).sum();
    if total > u64::from(MAX_RUN_S) {
        bad(
            "duration-s",
            format!("the plan lasts {total} s; at most {MAX_RUN_S} s"),
        );
    }
    match (raw.mode, raw.rate) {
        (LoadMode::Open, None) => bad(
            "rate",
            "the open model needs `rate` (journeys per second)".into(),
        ),
        (LoadMode::Open, Some(r)) if !(r > 0.0 && r <= 100_000.0) => {
            bad(
                "rate",
                "value out of range (0–100000 journeys per second)".into(),
            );
        }
        (LoadMode::Closed, Some(_)) => bad("rate", "`rate` goes with `mode = \"open\"`".into()),
        _ => {}
    }
    if raw.think_ms > 600_000 {
        bad("think-ms", "value out of range (0–600000)".into());
    }
    if !(100..=300_000).contains(&raw.timeout_ms) {
        bad("timeout-ms", "value out of range (100–300000)".into());
    }
    if raw.max_requests == Some(0) {
        bad("max-requests", "must be positive".into());
    }
    for (k, v) in &raw.data {
        if v.is_empty() {
            bad(&format!("data.{k}"), "give at least one value".into());
        }
    }
    if let Some(c) = &raw.capacity {
        if c.start == 0 || c.step == 0 || c.max < c.start || c.max > MAX_USERS {
            bad(
                "capacity",
                format!("need 1 ≤ start ≤ max ≤ {MAX_USERS} and step ≥ 1"),
            );
        } else if (c.max - c.start) / c.step >= 200 {
            bad("capacity", "at most 200 steps".into());
        }
        if c.hold_s == 0 || c.hold_s > 3600 || c.ramp_s > 3600 {
            bad("capacity.hold-s", "hold 1–3600 s, ramp 0–3600 s".into());
        }
        if c.max_p95_ms.is_some_and(|m| !(m.is_finite() && m > 0.0)) {
            bad("capacity.max-p95-ms", "must be positive".into());
        }
    }
    let journeys = journey::validate(&raw.journeys, &raw.data, base, source, problems);
    LoadSettings {
        authorization: raw.authorization.clone(),
        users: raw.users,
        active_share,
        stages,
        measured,
        mode: raw.mode,
        rate: raw.rate,
        think_ms: raw.think_ms,
        timeout_ms: raw.timeout_ms,
        max_requests: raw.max_requests.unwrap_or(DEFAULT_MAX_REQUESTS),
        data: raw.data.clone(),
        journeys,
        capacity: raw.capacity.clone(),
    }
}

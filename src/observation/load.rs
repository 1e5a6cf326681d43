//! What the load probe measured (Phụ lục V): the summary of one load run — or of the merge of
//! several segments — with exact latency percentiles from HDR histograms, per journey step,
//! errors by status and kind, and the capacity search's steps. `load.json` is this type.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

/// How users arrive.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum LoadMode {
    /// A fixed number of users, each waiting for its answer and thinking before the next
    /// request (the closed model; latency hides the server's backlog: coordinated omission).
    #[default]
    Closed,
    /// Journeys start at a fixed rate whatever the answers take (the open model); latency is
    /// measured from when each request was due, so queueing shows.
    Open,
}

/// Response-time statistics in milliseconds (microsecond resolution, 3 significant digits).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Latency {
    /// Requests measured.
    pub count: u64,
    /// Mean.
    pub mean: f64,
    /// Fastest.
    pub min: f64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// 99.9th percentile.
    pub p999: f64,
    /// Slowest.
    pub max: f64,
}

/// One step of one journey.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepStats {
    /// Journey name.
    pub journey: String,
    /// Step name (`2 GET /thu-tuc/`), unique within the journey.
    pub step: String,
    /// Requests sent.
    pub requests: u64,
    /// Requests that failed (transport error, unexpected status, capture not found).
    pub errors: u64,
    /// Response times of the step's requests.
    pub latency_ms: Latency,
}

/// One journey over the run.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct JourneyStats {
    /// Journey name.
    pub name: String,
    /// Whether it is a transactional journey (submits, looks up, pays: PL5-4).
    pub transactional: bool,
    /// Users that ran it.
    pub users: u32,
    /// Journeys completed (every step answered as expected).
    pub completed: u64,
    /// Journeys abandoned at a failed step.
    pub failed: u64,
}

/// A warning about how far the figures can be trusted.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case", tag = "kind")]
pub enum LoadWarning {
    /// Closed model: some requests were sent late because the previous answer took longer
    /// than the think time, so the percentiles understate what an arriving citizen waits.
    CoordinatedOmission {
        /// Requests that waited behind a slow answer.
        late_requests: u64,
        /// The longest such wait, ms.
        worst_delay_ms: f64,
    },
    /// Open model: journeys could not start on time because every user was busy.
    ArrivalsDropped {
        /// Journeys that started late or not at all.
        dropped: u64,
    },
    /// The run stopped at the scenario's request bound before its planned end.
    RequestBoundReached {
        /// The bound.
        max_requests: u64,
    },
    /// The run was interrupted (Ctrl-C); the figures cover what ran.
    Interrupted,
    /// The load engine failed; nothing was measured.
    EngineFailed {
        /// What failed.
        message: String,
    },
    /// Fewer users were reached than planned.
    UsersShort {
        /// Planned.
        planned: u32,
        /// Reached.
        reached: u32,
    },
}

/// One step of the capacity search.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CapacityStep {
    /// Concurrent users held during the step.
    pub users: u32,
    /// Seconds measured (the hold, ramp excluded).
    pub duration_s: f64,
    /// Requests answered.
    pub requests: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Requests per second.
    pub rps: f64,
    /// Response times.
    pub latency_ms: Latency,
    /// Whether the step held every threshold and the error budget.
    pub passed: bool,
    /// What broke, when it did (`p95 12 400 ms > 10 000 ms`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub broke: Option<String>,
}

/// The load run (or the merge of its segments): what `load.json` holds and what
/// `evaluation.json` carries as `load`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct LoadRun {
    /// How users arrived.
    pub mode: LoadMode,
    /// The portal loaded (its base URL).
    pub target: String,
    /// The scenario's target concurrency (PL5-3).
    pub target_users: u32,
    /// Share of the target users the scenario puts on transactional journeys (PL5-4).
    pub target_active_share: f64,
    /// Most users active at once.
    pub users: u32,
    /// Users that ran a transactional journey.
    pub active_users: u32,
    /// Seconds measured (at the target load; ramps excluded).
    pub duration_s: f64,
    /// Requests answered or failed.
    pub requests: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Requests per second.
    pub rps: f64,
    /// Response times of every request.
    pub latency_ms: Latency,
    /// Per journey step.
    #[serde(default)]
    pub by_step: Vec<StepStats>,
    /// Per journey.
    #[serde(default)]
    pub journeys: Vec<JourneyStats>,
    /// Failed requests by HTTP status (`"503"`).
    #[serde(default)]
    pub errors_by_status: BTreeMap<String, u64>,
    /// Failed requests by kind (`status`, `timeout`, `connect`, `body`, `capture`).
    #[serde(default)]
    pub errors_by_kind: BTreeMap<String, u64>,
    /// How far the figures can be trusted.
    #[serde(default)]
    pub warnings: Vec<LoadWarning>,
    /// Segments merged into this run (1 for a single process).
    pub segments: u32,
    /// With `--find-capacity`: the largest step that held every threshold (`None` when
    /// even the first broke).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub capacity_users: Option<u32>,
    /// With `--find-capacity`: every step run, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub steps: Vec<CapacityStep>,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
}

impl LoadRun {
    /// Share of failed requests (0 when nothing was sent).
    pub fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.errors as f64 / self.requests as f64
        }
    }
}

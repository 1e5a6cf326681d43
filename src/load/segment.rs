//! What one load process writes (`segment-I-of-N.json`): raw HDR histograms and counters,
//! never percentiles — percentiles of parts do not combine, histograms do. A single process
//! is segment 1 of 1; `kiemdinh load merge` merges segments and only then summarises and
//! judges.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::hist::Hist;
use crate::observation::{JourneyStats, LoadMode, LoadWarning};

/// Format of segment files.
pub const SEGMENT_FORMAT: u32 = 1;

/// One journey step's raw figures.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepRecord {
    /// Journey name.
    pub journey: String,
    /// Step name, unique within the journey.
    pub step: String,
    /// Requests sent.
    pub requests: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Response times, µs.
    pub hist: Hist,
}

/// The raw figures of one load process over its measured window.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Segment {
    /// [`SEGMENT_FORMAT`].
    pub format: u32,
    /// The kiemdinh version that wrote it.
    pub tool_version: String,
    /// This segment's number, 1-based.
    pub index: u32,
    /// Segments in the whole run.
    pub of: u32,
    /// How users arrived.
    pub mode: LoadMode,
    /// The portal loaded (base URL).
    pub target: String,
    /// The scenario's target concurrency for the whole run (all segments).
    pub target_users: u32,
    /// The scenario's transactional share (PL5-4).
    pub target_active_share: f64,
    /// Users this segment was to run.
    pub planned_users: u32,
    /// Most users this segment had active at once.
    pub users: u32,
    /// Users of this segment that ran a transactional journey.
    pub active_users: u32,
    /// Seconds measured (the hold at the target load).
    pub measured_s: f64,
    /// Requests measured.
    pub requests: u64,
    /// Requests that failed.
    pub errors: u64,
    /// Every measured response time, µs.
    pub overall: Hist,
    /// Per journey step, in journey order.
    pub steps: Vec<StepRecord>,
    /// Per journey.
    pub journeys: Vec<JourneyStats>,
    /// Failed requests by HTTP status.
    pub errors_by_status: BTreeMap<String, u64>,
    /// Failed requests by kind (`status`, `timeout`, `connect`, `body`, `capture`).
    pub errors_by_kind: BTreeMap<String, u64>,
    /// Closed model: requests sent later than planned because an answer outlasted the think
    /// time.
    pub late_requests: u64,
    /// The longest such delay, µs.
    pub worst_delay_us: u64,
    /// Open model: journeys that could not start on time.
    pub dropped_arrivals: u64,
    /// Warnings other than the ones computed from the counters above (interrupted, bound
    /// reached, users short).
    pub warnings: Vec<LoadWarning>,
    /// When the run started (RFC 3339, UTC).
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
}

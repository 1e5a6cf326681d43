//! What the availability monitor recorded for one portal over an evaluation period (PL5-6,
//! PL8-6, DVCQG-1, NSW-1: operation 24 hours a day, every day). Produced from the monitor's
//! store (`kiemdinh monitor`), judged without touching the store again: planned suspensions are
//! applied by the judges, so a changed announcement list is re-judged from the same facts.

use serde::{Deserialize, Serialize};

/// Which URL of the portal a monitor probe fetches.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    /// The home page (`base-url`): whether the portal is up.
    Home,
    /// The procedure catalogue.
    Catalogue,
    /// One procedure page.
    Procedure,
    /// The DVCQG connection status endpoint (`dvcqg.status-url`), for DVCQG-1.
    DvcqgStatus,
}

impl Target {
    /// Stable name, as stored and shown (`home`, `dvcqg-status`, …).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Home => "home",
            Self::Catalogue => "catalogue",
            Self::Procedure => "procedure",
            Self::DvcqgStatus => "dvcqg-status",
        }
    }

    /// The inverse of [`Target::as_str`].
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        [
            Self::Home,
            Self::Catalogue,
            Self::Procedure,
            Self::DvcqgStatus,
        ]
        .into_iter()
        .find(|t| t.as_str() == s)
    }
}

/// A time span (RFC 3339 instants, UTC, start inclusive, end exclusive).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Span {
    /// Start.
    pub from: String,
    /// End.
    pub to: String,
}

/// One outage of one target: consecutive failed probes, from the first failure to the first
/// success after it (or the end of the period when it had not ended).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Outage {
    /// The target that was down.
    pub target: Target,
    /// First failed probe (RFC 3339).
    pub start: String,
    /// First successful probe after it, or the end of the period (RFC 3339).
    pub end: String,
    /// Whether the outage was still going on at the end of the period.
    pub ongoing: bool,
    /// `end − start` in seconds.
    pub duration_s: f64,
    /// Failed probes in it.
    pub probes: u64,
    /// The first failure, as recorded (`HTTP 503`, `timeout after 10 s`, `not the portal: …`).
    pub first_error: String,
}

/// Uptime of one calendar day (Vietnam time, UTC+7) for the home target.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DayUptime {
    /// The day (`2026-11-30`).
    pub date: String,
    /// Seconds of the day covered by probes.
    pub monitored_s: f64,
    /// Seconds of it inside outages.
    pub down_s: f64,
    /// Probes that day.
    pub probes: u64,
}

/// Latency percentiles of successful probes, in milliseconds.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProbeLatency {
    /// Successful probes measured.
    pub count: u64,
    /// Median.
    pub p50: f64,
    /// 90th percentile.
    pub p90: f64,
    /// 95th percentile.
    pub p95: f64,
    /// 99th percentile.
    pub p99: f64,
    /// Slowest.
    pub max: f64,
}

/// Figures for one target over the period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TargetAvailability {
    /// Which target.
    pub target: Target,
    /// The URL probed (the last one, when the scenario changed it).
    pub url: String,
    /// Probes in the period.
    pub probes: u64,
    /// Failed probes in the period.
    pub failed: u64,
    /// Seconds of the period covered by probes (gaps when the monitor was not running are not
    /// counted: each probe covers at most `2 × interval` after it).
    pub monitored_s: f64,
    /// Seconds of `monitored_s` inside outages.
    pub down_s: f64,
    /// Latency of successful probes.
    pub latency_ms: ProbeLatency,
}

/// The monitor's record of one portal over an evaluation period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Availability {
    /// The monitor's portal id (the scenario's file stem).
    pub portal: String,
    /// The store it was read from (as given in the scenario).
    pub db: String,
    /// The evaluation period asked for.
    pub period: Span,
    /// When the figures were read (RFC 3339).
    pub read_at: String,
    /// The probe interval the monitor used, in seconds (the most frequent one).
    pub interval_s: f64,
    /// Per target figures; a target never probed is absent.
    pub targets: Vec<TargetAvailability>,
    /// Every outage in the period, by start.
    pub outages: Vec<Outage>,
    /// Spans of the period with no probe at all (monitor stopped), by start.
    pub gaps: Vec<Span>,
    /// Home-target uptime per Vietnam calendar day (for the timeline).
    pub daily: Vec<DayUptime>,
}

impl Availability {
    /// The figures of one target.
    #[must_use]
    pub fn target(&self, target: Target) -> Option<&TargetAvailability> {
        self.targets.iter().find(|t| t.target == target)
    }
}

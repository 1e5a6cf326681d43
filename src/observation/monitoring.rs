//! What the scenario's `[availability]` section gives the 24/7 judges besides the monitor's
//! figures ([`super::Availability`]): where the figures come from, the evaluation period, the
//! planned suspensions with their announcement dates, and why the store could not be read.
//! Kept in the observations so `rejudge` applies the same suspensions (or a corrected list
//! with a new checklist's notice rule) without the store.

use serde::{Deserialize, Serialize};

use super::Span;

/// A planned suspension announced by the portal's owner (`[[availability.suspension]]`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Suspension {
    /// Start (RFC 3339, UTC).
    pub from: String,
    /// End (RFC 3339, UTC).
    pub to: String,
    /// The day the suspension was announced (`YYYY-MM-DD`, Vietnam time).
    pub announced: String,
    /// What it was for, as the scenario says.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

/// The scenario's `[availability]` section as the judges need it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Monitoring {
    /// The monitor's store, as the scenario names it (`[availability] db`).
    pub db: String,
    /// The monitor's portal id.
    pub portal: String,
    /// The evaluation period (RFC 3339, UTC; start inclusive, end exclusive).
    pub period: Span,
    /// Planned suspensions, by start.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suspensions: Vec<Suspension>,
    /// Why the figures could not be read (the store's own message); `None` when they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

//! What the citizen journeys did: one record per flow, one per step, with the addresses the
//! browser reached. Secrets typed into fields never appear here (the probe redacts them).

use serde::{Deserialize, Serialize};

/// One journey as it ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FlowRun {
    /// The flow's name.
    pub name: String,
    /// Requirement ids it serves.
    pub requirements: Vec<String>,
    /// `declared` (in the scenario) or `default` (built by kiemdinh).
    pub origin: String,
    /// For a default journey: what it was built from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Passed, failed at a step, or could not run.
    pub status: FlowStatus,
    /// The steps, in order (those after a failure are `skipped`).
    pub steps: Vec<StepRun>,
    /// Every address the browser showed after a step, in order, without repeats in a row.
    pub visited: Vec<String>,
    /// Wall time, ms.
    pub elapsed_ms: u64,
    /// Why the flow could not run (the browser failed, no session).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// How a journey ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FlowStatus {
    /// Every step did what it says.
    Passed,
    /// A step failed (the portal did not do what the step expects).
    Failed,
    /// The browser could not run it (no session, the driver stopped answering).
    Error,
}

/// One step as it ran.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct StepRun {
    /// The step's kind (`fill`, `expect-text`, …).
    pub action: String,
    /// What it does, as written (a secret shown by its variable's name).
    pub description: String,
    /// Passed, failed or skipped.
    pub status: StepStatus,
    /// Why it failed, or what it found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub message: Option<String>,
    /// The address after the step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    /// Time taken, ms.
    pub elapsed_ms: u64,
    /// Screenshot (relative to the output directory): `screenshot` steps and every failed
    /// step.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
}

/// How a step ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum StepStatus {
    /// Done.
    Passed,
    /// Not done within its time, or the page showed it went wrong.
    Failed,
    /// Not run (an earlier step failed).
    Skipped,
}

/// The cross-browser smoke check (PL1-12): the sampled pages loaded in another browser.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct OtherBrowser {
    /// The browser (`firefox`).
    pub browser: String,
    /// Its version, when it ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// Why it did not run (not installed, failed to start).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub not_run: Option<String>,
    /// Each page: its address and what went wrong (`None`: it rendered with its title and
    /// text).
    pub pages: Vec<SmokePage>,
}

/// One page of the cross-browser smoke check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SmokePage {
    /// The address.
    pub url: String,
    /// The document title the browser showed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Characters of visible text.
    pub text_chars: u64,
    /// What went wrong.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

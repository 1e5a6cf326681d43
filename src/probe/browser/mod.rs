//! The browser probe: the only code that drives a browser (Chromium through ChromeDriver).
//!
//! Four layers, each usable alone:
//! - [`driver`] starts the Debian `chromedriver` on a free loopback port, in its own process
//!   group that is killed on drop (so no Chromium outlives a run, even after a panic), or
//!   connects to a remote WebDriver endpoint (`--webdriver URL`).
//! - [`session`] opens one WebDriver session with headless flags and a fresh profile directory,
//!   and applies a throttling [`Profile`] through ChromeDriver's CDP endpoint.
//! - [`trace`] records a DevTools trace over the page's websocket and keeps what Speed Index
//!   needs: the navigation start and the screenshot frames.
//! - [`measure`] puts them together: one cold page load under a profile, returned as a
//!   serialisable [`PageRun`] (TTFB, FCP, LCP, CLS, frames) or with its `error` set.
//!
//! # Usage
//!
//! Start a driver once per run with [`Driver::launch`] (or [`Driver::connect`] for a remote
//! WebDriver), then call [`measure::page`] once per page and per run with the same driver and a
//! [`MeasureOptions`] carrying the [`Profile`] (`mobile`, `desktop` or `none`) and the time
//! budget. Every call opens a fresh session (cold cache, fresh profile) and closes it again; a
//! page that never loads, a crashed tab or a hung driver comes back as a `PageRun` whose `error`
//! says what happened, never as a hang. Measure one page at a time: timings from parallel
//! browsers on a small machine are meaningless. Dropping the [`Driver`] kills chromedriver and
//! every Chromium it started; a Ctrl-C path that exits without dropping it must call
//! [`ProcessGroup::kill`] on [`Driver::process_group`] first.
//!
//! A missing `chromedriver` or `chromium` is [`BrowserError::MissingBrowser`], whose message
//! names the Debian packages to install.

pub mod axe;
pub mod driver;
pub mod flow;
pub mod measure;
pub mod other;
pub mod profile;
pub mod render;
pub mod run;
pub mod session;
mod steps;
pub mod trace;
pub mod tracker;

#[cfg(test)]
mod render_tests;
/// Test support shared with the reference portal's browser tests (one lock, one presence
/// check, the process scan).
#[cfg(test)]
pub(crate) mod tests;

pub use driver::{Driver, LaunchOptions, ProcessGroup};
pub use measure::{Frame, MeasureOptions, PageRun};
pub use session::{Profile, Session, SessionOptions, spki_hashes};

use std::time::Duration;

/// What can go wrong while driving a browser. Failures of a measured page end up as text in
/// [`PageRun::error`]; a caller sees this type directly only from [`Driver`] and [`Session`].
#[derive(Debug, thiserror::Error)]
pub enum BrowserError {
    /// `chromedriver` or `chromium` is not installed.
    #[error(
        "`{program}` was not found; install the Debian packages `chromium chromium-driver` \
         (`apt-get install chromium chromium-driver`), or pass `--webdriver URL`, or run with \
         `--no-browser`"
    )]
    MissingBrowser {
        /// The program that was looked for.
        program: String,
    },
    /// `chromedriver` could not be started.
    #[error("`{program}` could not be started")]
    Spawn {
        /// The program.
        program: String,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The WebDriver endpoint did not answer `GET /status` with `ready` in time.
    #[error("the webdriver at `{url}` was not ready within {} ms{}", timeout.as_millis(), detail.as_deref().map(|d| format!(": {d}")).unwrap_or_default())]
    NotReady {
        /// The endpoint.
        url: String,
        /// How long we waited.
        timeout: Duration,
        /// The last thing seen (an exit status, a connection error).
        detail: Option<String>,
    },
    /// A new browser session could not be opened.
    #[error("could not open a browser session at `{url}`")]
    NewSession {
        /// The endpoint.
        url: String,
        /// Why.
        #[source]
        source: fantoccini::error::NewSessionError,
    },
    /// A WebDriver command failed.
    #[error("webdriver command `{what}` failed")]
    Command {
        /// The command.
        what: String,
        /// Why.
        #[source]
        source: fantoccini::error::CmdError,
    },
    /// A step took longer than its budget.
    #[error("`{what}` did not finish within {} ms", timeout.as_millis())]
    Timeout {
        /// The step.
        what: String,
        /// Its budget.
        timeout: Duration,
    },
    /// The DevTools endpoint (target list, websocket, trace) misbehaved.
    #[error("devtools: {0}")]
    DevTools(String),
    /// A local file operation (the profile directory) failed.
    #[error(transparent)]
    Io(#[from] std::io::Error),
}

impl BrowserError {
    /// Whether this says the WebDriver endpoint itself is gone or hung (opening a session timed
    /// out or failed), rather than one page misbehaving.
    pub fn driver_down(&self) -> bool {
        match self {
            Self::NewSession { .. } => true,
            Self::Timeout { what, .. } => what == "new session",
            _ => false,
        }
    }

    /// The message with every `caused by` source, on one line, for [`PageRun::error`].
    pub fn chain(&self) -> String {
        let mut out = self.to_string();
        let mut source = std::error::Error::source(self);
        while let Some(s) = source {
            out.push_str(": ");
            out.push_str(&s.to_string());
            source = s.source();
        }
        out
    }
}

/// A failed WebDriver command, named.
fn command(what: &str, source: fantoccini::error::CmdError) -> BrowserError {
    BrowserError::Command {
        what: what.to_string(),
        source,
    }
}

/// Runs `fut` with a budget; an overrun is [`BrowserError::Timeout`] naming `what`.
async fn bounded<T>(
    what: &str,
    timeout: Duration,
    fut: impl Future<Output = Result<T, BrowserError>>,
) -> Result<T, BrowserError> {
    tokio::time::timeout(timeout, fut)
        .await
        .map_err(|_| BrowserError::Timeout {
            what: what.to_string(),
            timeout,
        })?
}

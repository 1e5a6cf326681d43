//! What the browser probe saw: each page as a citizen's browser renders it (facts from the
//! rendered DOM, region boxes, the 360 px mobile view, screenshots), what the page tried to send
//! to the EMC tracker (blocked, recorded), and how the browser run went as a whole.
//!
//! Facts here are recorded, never judged: the probe fills them, judges read them.

use serde::{Deserialize, Serialize};

use super::{AxeAudit, HtmlFacts, ThrottlingProfile};

/// How the browser probe went in this run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum BrowserStatus {
    /// The browser probe ran (single pages may still have failed: see their `error`).
    Ran,
    /// The browser probe was not run on purpose (`--no-browser`, or the scenario's `[browser]
    /// enabled = false`); `reason` says which.
    Skipped,
    /// The browser probe could not run at all (no browser installed, the WebDriver endpoint
    /// unreachable); `reason` says why.
    Failed,
}

/// The browser probe's run as a whole.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct BrowserRun {
    /// Ran, skipped or failed.
    pub status: BrowserStatus,
    /// Why it was skipped or failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reason: Option<String>,
    /// The browser's name and version, as the WebDriver session reports it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser_version: Option<String>,
    /// `chromedriver (local)` or the remote WebDriver URL (without credentials).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub webdriver: Option<String>,
    /// Throttling profile of the timed loads.
    pub profile: ThrottlingProfile,
    /// Cold loads per timed page.
    pub runs: u32,
    /// The timed pages (the page set of PL4).
    #[serde(default)]
    pub timed_pages: Vec<String>,
    /// How many pages were rendered, and how many HTML pages were left to their HTTP facts
    /// because of the `[browser] max-rendered-pages` bound.
    pub rendered_pages: u32,
    /// HTML pages not rendered (bound reached).
    #[serde(default)]
    pub not_rendered: u32,
    /// Frames of the slowest timed page's median run (by LCP), for the filmstrip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub filmstrip: Option<Filmstrip>,
}

/// The frames of one load, saved as images next to the reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Filmstrip {
    /// The page.
    pub url: String,
    /// The profile it was loaded under.
    pub profile: ThrottlingProfile,
    /// Each frame: time since navigation start and the file, relative to the output directory.
    pub frames: Vec<FilmFrame>,
}

/// One frame of a filmstrip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FilmFrame {
    /// Milliseconds since navigation start.
    pub ts_ms: f64,
    /// JPEG file, relative to the output directory.
    pub path: String,
}

/// One page as the browser rendered it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Rendered {
    /// The URL the browser ended on (after redirects and script navigation).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_url: Option<String>,
    /// Facts extracted from the rendered DOM at the desktop viewport (the same extraction as
    /// the HTTP probe's; EMC snippets found in same-host script files by the HTTP probe and its
    /// `scripts` record are carried over, since the DOM does not show script files' contents).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub html: Option<HtmlFacts>,
    /// The page at the desktop viewport.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub desktop: Option<View>,
    /// The page at the mobile viewport (360 px wide, mobile emulation: the viewport meta
    /// applies).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub mobile: Option<View>,
    /// What the page tried to send to the EMC tracker (desktop load).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracker: Option<TrackerFacts>,
    /// The axe-core accessibility audit (desktop pass); `None` in observations older than
    /// format 4 and for pages whose render failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accessibility: Option<AxeAudit>,
    /// Why the page could not be rendered (timeout, crashed tab, driver error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// A page at one viewport.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct View {
    /// Viewport width, CSS px.
    pub width: u32,
    /// Viewport height, CSS px.
    pub height: u32,
    /// `document.documentElement.scrollWidth`, CSS px: wider than `width` means the page
    /// scrolls sideways.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scroll_width: Option<u32>,
    /// The content of `<meta name="viewport">`, when the page has one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub viewport_meta: Option<String>,
    /// Elements wider than the viewport that cause sideways scrolling (a few, widest first),
    /// as `tag#id.class` with their width.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overflowing: Vec<Overflow>,
    /// Boxes of the regions the extraction found (header, menu, main, footer).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub boxes: Vec<RegionBox>,
    /// Screenshot of the viewport, relative to the output directory.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub screenshot: Option<String>,
    /// Why this view is missing facts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// An element that sticks out of the viewport.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Overflow {
    /// `tag#id.class`.
    pub element: String,
    /// Its right edge, CSS px from the page's left.
    pub right: f64,
}

/// A page region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    /// The site header (banner).
    Header,
    /// The main menu.
    Menu,
    /// The main content.
    Main,
    /// The site footer.
    Footer,
}

/// Where a region is drawn.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RegionBox {
    /// Which region.
    pub part: Part,
    /// The selector it was found by (from the extraction).
    pub selector: String,
    /// Whether the selector matched an element in the rendered DOM.
    pub found: bool,
    /// Left edge, CSS px from the page's left (not the viewport's).
    pub x: f64,
    /// Top edge, CSS px from the page's top.
    pub y: f64,
    /// Width, CSS px.
    pub width: f64,
    /// Height, CSS px.
    pub height: f64,
    /// Drawn: not `display:none`/`visibility:hidden`, non-zero size, not fully transparent.
    pub visible: bool,
}

/// What a page tried to send to the EMC tracker. Requests to the tracker hosts are blocked in
/// the browser (they never leave it) and recorded here.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrackerFacts {
    /// The tracker hosts that were blocked.
    pub blocked_hosts: Vec<String>,
    /// The page's command queue (e.g. `_govaq`) after load, each command as an array
    /// (`["trackPageView"]`, `["trackDVC", "1.00101", "Nộp hồ sơ"]`); `None` when the page has
    /// no such queue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub queue: Option<Vec<serde_json::Value>>,
    /// The queue's name.
    pub queue_name: String,
    /// Requests the page made to a tracker host.
    #[serde(default)]
    pub requests: Vec<TrackerRequest>,
    /// Why the requests could not be recorded (the page's queue may still be there).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One request a page made to a tracker host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TrackerRequest {
    /// The URL.
    pub url: String,
    /// `GET`, `POST`.
    pub method: String,
    /// The browser's resource type (`Script`, `Ping`, `XHR`, `Image`, …).
    pub resource_type: String,
    /// Whether the browser stopped it (it never left the browser).
    pub blocked: bool,
    /// The request body, when it had one (capped).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl Rendered {
    /// The view at the mobile viewport, when it has no error.
    pub fn mobile_view(&self) -> Option<&View> {
        self.mobile.as_ref().filter(|v| v.error.is_none())
    }
}

//! The rendering pass: every HTML page loaded once in a warm, unthrottled session at the
//! desktop viewport and once at the 360 px mobile viewport; what a citizen's browser shows is
//! recorded — facts from the rendered DOM (the HTTP probe's own extraction), region boxes, the
//! viewport meta and sideways scrolling, a screenshot — and what the page tried to send to the
//! EMC tracker, whose hosts are blocked in the browser so nothing reaches it; the desktop pass
//! then runs the axe-core accessibility audit ([`super::axe`]).

use std::path::{Path, PathBuf};
use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use serde_json::{Value, json};
use url::Url;

use super::tracker::{blocked_patterns, tracker_facts};
use super::{BrowserError, Driver, Session, SessionOptions, bounded, command};
use crate::observation::{
    AxeAudit, HtmlFacts, Overflow, Part, RegionBox, Rendered, TrackerFacts, View,
};

/// The mobile viewport of PL8-4 ("no horizontal scrolling at 360 px width").
pub const MOBILE_WIDTH: u32 = 360;
/// Its height (a common 360 px phone).
pub const MOBILE_HEIGHT: u32 = 740;
/// The desktop viewport (Lighthouse's desktop screen).
pub const DESKTOP: (u32, u32) = (1350, 940);
/// Largest rendered document read back, bytes (as the HTTP probe's default page cap).
const MAX_DOM_BYTES: usize = 4 * 1024 * 1024;
/// Longest wait for a page's scripts to stop changing the DOM after `load`, ms.
const SETTLE_CAP_MS: u64 = 3000;

/// How to render.
#[derive(Debug, Clone)]
pub struct RenderOptions {
    /// Budget of one page load.
    pub page_timeout: Duration,
    /// Budget of every other command.
    pub command_timeout: Duration,
    /// After `load`, the page is settled once its DOM did not change for this long (scripts
    /// rendering late, the embed's queue), or after 3 s.
    pub settle: Duration,
    /// EMC tracker hosts to block and record.
    pub tracker_hosts: Vec<String>,
    /// The embed's command queue (`_govaq`).
    pub queue: String,
    /// Where screenshots go (a directory), `None` for none.
    pub screenshots: Option<PathBuf>,
    /// Prefix of screenshot paths as recorded (relative to the output directory).
    pub screenshot_prefix: String,
    /// Session options (trusted keys); the network log is switched on here.
    pub session: SessionOptions,
}

/// One page to render: its URL and the facts the HTTP probe extracted (EMC snippets found in
/// same-host script files are carried over: the DOM does not show those files' contents).
#[derive(Debug, Clone, Copy)]
pub struct Target<'a> {
    /// The page's URL (the key in `Observations.rendered`).
    pub url: &'a str,
    /// Its HTTP facts.
    pub http: Option<&'a HtmlFacts>,
    /// Its index, for file names.
    pub index: usize,
}

/// Which viewport a session renders at.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Viewport {
    /// 1350 × 940, no mobile emulation.
    Desktop,
    /// 360 px wide, mobile emulation (the viewport meta applies).
    Mobile,
}

impl Viewport {
    fn name(self) -> &'static str {
        match self {
            Self::Desktop => "desktop",
            Self::Mobile => "mobile",
        }
    }

    fn size(self) -> (u32, u32) {
        match self {
            Self::Desktop => DESKTOP,
            Self::Mobile => (MOBILE_WIDTH, MOBILE_HEIGHT),
        }
    }
}

/// A session set up for one viewport, reused for every page.
pub struct Renderer<'a> {
    session: Session,
    viewport: Viewport,
    options: &'a RenderOptions,
}

impl<'a> Renderer<'a> {
    /// Opens a session at `viewport` with the tracker hosts blocked.
    pub async fn open(
        driver: &Driver,
        viewport: Viewport,
        options: &'a RenderOptions,
    ) -> Result<Self, BrowserError> {
        let mut session_options = options.session.clone();
        session_options.network_log = viewport == Viewport::Desktop;
        let session =
            Session::start_with(driver, &session_options, options.command_timeout).await?;
        let renderer = Self {
            session,
            viewport,
            options,
        };
        if let Err(e) = renderer.prepare().await {
            let _ = renderer.session.close().await;
            return Err(e);
        }
        Ok(renderer)
    }

    async fn prepare(&self) -> Result<(), BrowserError> {
        let (width, height) = self.viewport.size();
        self.session
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": width, "height": height, "deviceScaleFactor": 1,
                        "mobile": self.viewport == Viewport::Mobile }),
            )
            .await?;
        self.session.cdp("Network.enable", json!({})).await?;
        self.session
            .cdp(
                "Network.setBlockedURLs",
                json!({ "urls": blocked_patterns(&self.options.tracker_hosts) }),
            )
            .await?;
        let script = self.options.command_timeout;
        let timeouts =
            TimeoutConfiguration::new(Some(script), Some(self.options.page_timeout), None);
        let client = self.session.client();
        bounded("set timeouts", self.options.command_timeout, async {
            client
                .update_timeouts(timeouts)
                .await
                .map_err(|source| command("set timeouts", source))
        })
        .await
    }

    /// The browser's name and version.
    pub fn browser_version(&self) -> Option<String> {
        self.session.browser_version()
    }

    /// Renders one page; never fails: problems land in the view's `error`. The flag says the
    /// driver itself stopped answering (one of our backstop timeouts fired: the driver's own
    /// page-load and script timeouts are shorter), so later pages need not be tried.
    pub async fn view(&self, target: &Target<'_>) -> (View, Option<PageDom>, bool) {
        let (width, height) = self.viewport.size();
        let mut view = View {
            width,
            height,
            ..View::default()
        };
        match self.load(target, &mut view).await {
            Ok(dom) => (view, Some(dom), false),
            Err(e) => {
                view.error = Some(e.chain());
                let hung = matches!(e, BrowserError::Timeout { .. });
                (view, None, hung)
            }
        }
    }

    async fn load(&self, target: &Target<'_>, view: &mut View) -> Result<PageDom, BrowserError> {
        let client = self.session.client();
        // What earlier pages logged is not this page's.
        if self.viewport == Viewport::Desktop {
            let _ = self.session.network_events().await;
        }
        let url = target.url.to_string();
        bounded(
            "page load",
            self.options.page_timeout + Duration::from_secs(2),
            async {
                client
                    .goto(&url)
                    .await
                    .map_err(|source| command("navigate", source))
            },
        )
        .await?;
        let settle = self.options.settle.as_millis() as u64;
        let desktop = self.viewport == Viewport::Desktop;
        // The mobile pass needs no DOM copy: facts and tracker requests come from the desktop.
        let page = self
            .script(
                r"const done = arguments[arguments.length - 1];
                  const quiet = arguments[0], whole = arguments[1], cap = arguments[2];
                  const answer = () => done({
                    url: location.href,
                    html: whole && document.documentElement ? document.documentElement.outerHTML : '',
                  });
                  // Settled: no DOM change for `quiet` ms after load, or `cap` ms at most.
                  const settle = () => {
                    const began = performance.now();
                    let last = began;
                    const mo = new MutationObserver(() => { last = performance.now(); });
                    mo.observe(document, { subtree: true, childList: true, attributes: true,
                      characterData: true });
                    const tick = () => {
                      const now = performance.now();
                      if (now - last >= quiet || now - began >= cap) { mo.disconnect(); answer(); }
                      else setTimeout(tick, 25);
                    };
                    setTimeout(tick, 25);
                  };
                  if (document.readyState === 'complete') settle();
                  else addEventListener('load', settle, { once: true });",
                vec![json!(settle), json!(desktop), json!(SETTLE_CAP_MS)],
            )
            .await?;
        let final_url = page["url"].as_str().unwrap_or(target.url).to_string();
        let facts = if desktop {
            let mut html = page["html"].as_str().unwrap_or_default().to_string();
            if html.len() > MAX_DOM_BYTES {
                let mut cut = MAX_DOM_BYTES;
                while !html.is_char_boundary(cut) {
                    cut -= 1;
                }
                html.truncate(cut);
            }
            let base = Url::parse(&final_url).or_else(|_| Url::parse(target.url));
            base.ok()
                .map(|base| merged_facts(crate::probe::html::extract(&html, &base), target.http))
        } else {
            None
        };
        let selectors = facts.as_ref().map(region_selectors).unwrap_or_default();
        let geometry = self
            .script(
                GEOMETRY_SCRIPT,
                vec![json!(selectors), json!(self.options.queue)],
            )
            .await?;
        read_geometry(&geometry, view);
        if let Some(dir) = &self.options.screenshots {
            match self.screenshot(dir, target).await {
                Ok(path) => view.screenshot = Some(path),
                Err(e) => view.error = Some(format!("screenshot: {}", e.chain())),
            }
        }
        if !desktop {
            return Ok(PageDom {
                final_url,
                facts,
                tracker: TrackerFacts::default(),
                accessibility: None,
            });
        }
        let tracker = match self.session.network_events().await {
            Ok(events) => tracker_facts(
                &events,
                &self.options.tracker_hosts,
                &self.options.queue,
                &geometry["queue"],
            ),
            Err(e) => TrackerFacts {
                blocked_hosts: self.options.tracker_hosts.clone(),
                queue_name: self.options.queue.clone(),
                queue: geometry["queue"].as_array().cloned(),
                error: Some(e.chain()),
                ..TrackerFacts::default()
            },
        };
        let accessibility = Some(self.audit().await);
        Ok(PageDom {
            final_url,
            facts,
            tracker,
            accessibility,
        })
    }

    /// The axe-core audit of the loaded page; problems land in its `error`.
    pub(super) async fn audit(&self) -> AxeAudit {
        match self
            .script(
                &super::axe::script(),
                super::axe::args(super::axe::AXE_BUDGET_MS),
            )
            .await
        {
            Ok(answer) => super::axe::read(&answer),
            Err(e) => super::axe::failed(e.chain()),
        }
    }

    async fn script(&self, body: &str, args: Vec<Value>) -> Result<Value, BrowserError> {
        let client = self.session.client();
        bounded(
            "page script",
            self.options.command_timeout + Duration::from_secs(1),
            async {
                client
                    .execute_async(body, args)
                    .await
                    .map_err(|source| command("page script", source))
            },
        )
        .await
    }

    async fn screenshot(&self, dir: &Path, target: &Target<'_>) -> Result<String, BrowserError> {
        let jpeg = self.session.screenshot_jpeg(60).await?;
        let name = format!("{:03}-{}.jpg", target.index, self.viewport.name());
        fs_err::create_dir_all(dir)?;
        fs_err::write(dir.join(&name), jpeg)?;
        Ok(format!("{}{name}", self.options.screenshot_prefix))
    }

    /// Ends the session.
    pub async fn close(self) {
        let _ = self.session.close().await;
    }
}

/// What the desktop pass read from the DOM.
#[derive(Debug, Clone)]
pub struct PageDom {
    /// Where the browser ended up.
    pub final_url: String,
    /// The rendered DOM's facts.
    pub facts: Option<HtmlFacts>,
    /// What the page tried to send to the tracker.
    pub tracker: TrackerFacts,
    /// The axe-core audit (desktop pass only).
    pub accessibility: Option<AxeAudit>,
}

impl PageDom {
    /// The page as rendered, from the desktop pass (the mobile view is added by the caller).
    pub fn into_rendered(self, desktop: View) -> Rendered {
        Rendered {
            final_url: Some(self.final_url),
            html: self.facts,
            desktop: Some(desktop),
            mobile: None,
            tracker: Some(self.tracker),
            accessibility: self.accessibility,
            error: None,
        }
    }
}

/// The rendered facts, with the HTTP probe's findings in same-host script files carried over.
fn merged_facts(mut rendered: HtmlFacts, http: Option<&HtmlFacts>) -> HtmlFacts {
    if let Some(http) = http {
        for snippet in http.emc.iter().filter(|s| s.source.is_some()) {
            if !rendered.emc.contains(snippet) {
                rendered.emc.push(snippet.clone());
            }
        }
        if rendered.scripts.is_none() {
            rendered.scripts.clone_from(&http.scripts);
        }
    }
    rendered
}

/// The regions' selectors the extraction found, for the boxes.
fn region_selectors(facts: &HtmlFacts) -> Vec<(Part, String)> {
    let mut out = Vec::new();
    for (part, region) in [
        (Part::Header, &facts.header),
        (Part::Main, &facts.main),
        (Part::Footer, &facts.footer),
    ] {
        if let Some(sel) = region.as_ref().and_then(|r| r.selector.clone()) {
            out.push((part, sel));
        }
    }
    let menu = facts.menus.as_ref().and_then(|menus| {
        menus
            .iter()
            .find(|m| m.in_header)
            .or_else(|| menus.first())
            .map(|m| m.selector.clone())
    });
    if let Some(sel) = menu {
        out.push((Part::Menu, sel));
    }
    out
}

/// Boxes of the given selectors, the viewport meta, sideways scrolling and its culprits, and
/// the embed's queue (as JSON, bounded).
const GEOMETRY_SCRIPT: &str = r"
const done = arguments[arguments.length - 1];
const selectors = arguments[0], queueName = arguments[1];
const out = { boxes: [], scrollWidth: null, viewport: null, overflowing: [], queue: null };
try {
  const de = document.documentElement;
  out.scrollWidth = Math.max(de.scrollWidth, document.body ? document.body.scrollWidth : 0);
  const meta = document.querySelector('meta[name=viewport]');
  out.viewport = meta ? meta.getAttribute('content') : null;
  for (const [part, sel] of selectors) {
    let el = null;
    try { el = document.querySelector(sel); } catch (e) { el = null; }
    if (!el) { out.boxes.push({ part, selector: sel, found: false }); continue; }
    const r = el.getBoundingClientRect(), cs = getComputedStyle(el);
    const visible = r.width > 0 && r.height > 0 && cs.display !== 'none' &&
      cs.visibility !== 'hidden' && parseFloat(cs.opacity || '1') > 0;
    out.boxes.push({ part, selector: sel, found: true, x: r.left + scrollX, y: r.top + scrollY,
      width: r.width, height: r.height, visible });
  }
  const vw = de.clientWidth;
  const wide = [];
  for (const el of document.body ? document.body.getElementsByTagName('*') : []) {
    const r = el.getBoundingClientRect();
    if (r.right + scrollX > vw + 1 && r.width > 0) {
      const p = el.parentElement, pr = p ? p.getBoundingClientRect() : null;
      const parentToo = pr && pr.right + scrollX > vw + 1;
      if (!parentToo || p === document.body) wide.push([el, r.right + scrollX]);
    }
    if (wide.length > 200) break;
  }
  wide.sort((a, b) => b[1] - a[1]);
  out.overflowing = wide.slice(0, 3).map(([el, right]) => ({
    element: el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
      (typeof el.className === 'string' && el.className.trim() ?
        '.' + el.className.trim().split(/\s+/).slice(0, 2).join('.') : ''),
    right }));
  const q = window[queueName];
  if (Array.isArray(q)) {
    out.queue = JSON.parse(JSON.stringify(q.slice(0, 50), (k, v) =>
      typeof v === 'function' ? '[function]' : (typeof v === 'string' ? v.slice(0, 200) : v)));
  }
} catch (e) { out.error = String(e); }
done(out);
";

/// Copies the geometry script's answer into `view`.
fn read_geometry(g: &Value, view: &mut View) {
    let px = |v: &Value| v.as_f64().filter(|x| x.is_finite());
    #[expect(clippy::cast_sign_loss, reason = "clamped to 0..=1e7 first")]
    let whole = |w: f64| w.round().clamp(0.0, 1e7) as u32;
    view.scroll_width = px(&g["scrollWidth"]).map(whole);
    view.viewport_meta = g["viewport"].as_str().map(str::to_string);
    view.boxes = g["boxes"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|b| {
            let part: Part = serde_json::from_value(b["part"].clone()).ok()?;
            Some(RegionBox {
                part,
                selector: b["selector"].as_str()?.to_string(),
                found: b["found"].as_bool().unwrap_or(false),
                x: px(&b["x"]).unwrap_or(0.0),
                y: px(&b["y"]).unwrap_or(0.0),
                width: px(&b["width"]).unwrap_or(0.0),
                height: px(&b["height"]).unwrap_or(0.0),
                visible: b["visible"].as_bool().unwrap_or(false),
            })
        })
        .collect();
    view.overflowing = g["overflowing"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|o| {
            Some(Overflow {
                element: o["element"].as_str()?.chars().take(120).collect(),
                right: px(&o["right"])?,
            })
        })
        .collect();
    if let Some(e) = g["error"].as_str() {
        view.error = Some(format!("page geometry: {e}"));
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn geometry_is_read_defensively() {
        let mut view = View::default();
        read_geometry(
            &json!({"scrollWidth": 1210.4, "viewport": "width=device-width",
                "boxes": [{"part": "header", "selector": "header", "found": true, "x": 0,
                           "y": 0, "width": 360, "height": 80, "visible": true},
                          {"part": "nonsense", "selector": "x"},
                          {"part": "main", "selector": "#content", "found": false}],
                "overflowing": [{"element": "table.wide", "right": 1210.4}, {"element": 3}]}),
            &mut view,
        );
        assert_eq!(view.scroll_width, Some(1210));
        assert_eq!(view.viewport_meta.as_deref(), Some("width=device-width"));
        assert_eq!(view.boxes.len(), 2);
        assert!(!view.boxes[1].found);
        assert_eq!(view.overflowing.len(), 1);
        let mut view = View::default();
        read_geometry(&json!({"error": "boom", "scrollWidth": "x"}), &mut view);
        assert_eq!(view.scroll_width, None);
        assert!(view.error.unwrap().contains("boom"));
    }
}

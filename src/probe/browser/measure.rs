//! One cold page load under a throttling profile: TTFB, FCP, LCP, CLS from the page's own
//! performance entries, screenshot frames from the DevTools trace.

use std::time::Duration;

use fantoccini::wd::TimeoutConfiguration;
use serde_json::{Value, json};
use url::Url;

use super::trace::{Trace, Tracer};
use super::{BrowserError, Driver, Profile, Session, SessionOptions, bounded, command};
use crate::observation::{MetricRun, TtfbDefinition};
use crate::probe::lab::{self, cls::LayoutShift};

/// Budgets and conditions for [`page`].
#[derive(Debug, Clone)]
pub struct MeasureOptions {
    /// The throttling profile.
    pub profile: Profile,
    /// How long the page may take to reach `load`.
    pub load_timeout: Duration,
    /// How long to wait for the paint entries after `load`.
    pub metrics_timeout: Duration,
    /// The metrics are final once nothing new arrived for this long.
    pub quiet: Duration,
    /// … and at least this long after the load event (Lighthouse's `pauseAfterLoadMs`, 1 s).
    pub after_load: Duration,
    /// Budget for every other step (new session, each CDP command, the trace, closing).
    pub command_timeout: Duration,
    /// Trusted keys and logs of each fresh session.
    pub session: SessionOptions,
    /// Record a DevTools trace for frames. Only for a browser on this machine: behind a remote
    /// WebDriver the run has no frames and says so in [`PageRun::trace_error`].
    pub trace: bool,
}

impl Default for MeasureOptions {
    fn default() -> Self {
        Self {
            profile: Profile::Mobile,
            load_timeout: Duration::from_secs(30),
            metrics_timeout: Duration::from_secs(10),
            quiet: Duration::from_millis(300),
            after_load: Duration::from_secs(1),
            command_timeout: Duration::from_secs(15),
            trace: true,
            session: SessionOptions::default(),
        }
    }
}

pub use crate::probe::lab::speed_index::Frame;

/// One cold load of one page. A failed load has `error` set and whatever was measured before.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct PageRun {
    /// The page.
    pub url: String,
    /// The throttling profile it ran under.
    pub profile: Profile,
    /// HTTP status of the document, when the browser exposes it.
    pub status: Option<u16>,
    /// Time to first byte, ms since navigation start, read from `ttfb_source`.
    pub ttfb_ms: Option<f64>,
    /// Which navigation-timing field `ttfb_ms` is.
    pub ttfb_source: TtfbDefinition,
    /// First Contentful Paint, ms.
    pub fcp_ms: Option<f64>,
    /// Largest Contentful Paint (the latest candidate), ms.
    pub lcp_ms: Option<f64>,
    /// Every `layout-shift` entry of the load; `None` when the browser could not observe them.
    pub layout_shifts: Option<Vec<LayoutShift>>,
    /// Screenshot frames in time order, from navigation start; serialised as their count.
    #[serde(rename = "frame_count", serialize_with = "count", skip_deserializing)]
    pub frames: Vec<Frame>,
    /// Why there are no frames, when tracing failed but the load did not.
    pub trace_error: Option<String>,
    /// Why the load failed (timeout, crashed tab, driver error).
    pub error: Option<String>,
    /// The WebDriver endpoint did not answer at all (no session could be opened in time, or
    /// it refused): later loads on the same driver would fail the same way.
    #[serde(skip)]
    pub driver_down: bool,
}

#[allow(clippy::ptr_arg)] // serde's `serialize_with` passes `&Vec<Frame>`
fn count<S: serde::Serializer>(frames: &Vec<Frame>, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_u64(frames.len() as u64)
}

impl PageRun {
    /// This load's metrics: the timings as recorded, Speed Index from the frames and CLS from
    /// the shifts ([`lab::metric_run`]).
    pub fn metric_run(&self) -> MetricRun {
        let mut run = lab::metric_run(&lab::Load {
            ttfb_ms: self.ttfb_ms,
            fcp_ms: self.fcp_ms,
            lcp_ms: self.lcp_ms,
            layout_shifts: self.layout_shifts.as_deref().unwrap_or_default(),
            frames: &self.frames,
            start_ms: 0.0,
            error: self.error.as_deref(),
        });
        if self.layout_shifts.is_none() {
            run.cls = None;
        }
        if let Some(why) = &self.trace_error
            && run.speed_index_ms.is_none()
        {
            run.notes.push(format!("no frames for Speed Index: {why}"));
        }
        run
    }
}

/// The in-page half: buffered observers for paint, LCP and layout shifts; answers once FCP and
/// LCP are both seen, `afterLoad` ms have passed since the load event (Lighthouse's
/// `pauseAfterLoadMs`: shifts and late LCP candidates just after load count) and nothing new
/// arrived for `quiet` ms — or at the deadline (`STACK.md`).
const METRICS_SCRIPT: &str = r"
const done = arguments[arguments.length - 1];
const deadline = arguments[0], quiet = arguments[1], afterLoad = arguments[2];
const out = { fcp: null, lcp: null, shifts: [], nav: null };
let last = performance.now();
const watch = (type, take) => {
  try {
    new PerformanceObserver((list) => { list.getEntries().forEach(take); last = performance.now(); })
      .observe({ type, buffered: true });
  } catch (e) { /* entry type unsupported */ }
};
watch('paint', (e) => { if (e.name === 'first-contentful-paint') out.fcp = e.startTime; });
watch('largest-contentful-paint', (e) => { out.lcp = e.startTime; });
watch('layout-shift', (e) => { out.shifts.push([e.startTime, e.value, e.hadRecentInput]); });
const began = performance.now();
const tick = () => {
  const now = performance.now();
  const n0 = performance.getEntriesByType('navigation')[0];
  const loaded = n0 && n0.loadEventEnd > 0 ? n0.loadEventEnd : null;
  const settled = loaded !== null && now - loaded >= afterLoad;
  if ((out.fcp !== null && out.lcp !== null && settled && now - last >= quiet) ||
      now - began >= deadline) {
    const n = performance.getEntriesByType('navigation')[0];
    if (n) out.nav = { responseStart: n.responseStart, responseEnd: n.responseEnd,
      activationStart: n.activationStart || 0, status: n.responseStatus || null };
    done(out);
  } else { setTimeout(tick, 50); }
};
setTimeout(tick, 50);
";

/// Measures one cold load of `url` on a fresh session of `driver`. Never fails and never hangs
/// past the budgets in `options`: problems land in [`PageRun::error`]. A load whose trace
/// missed the navigation (the renderer started recording late: no frames, no start) is
/// measured once more on a new session.
pub async fn page(driver: &Driver, url: &Url, options: &MeasureOptions) -> PageRun {
    let run = page_once(driver, url, options).await;
    let missed = run.error.is_none()
        && run
            .trace_error
            .as_deref()
            .is_some_and(|e| e.contains(NO_NAVIGATION_START));
    if missed {
        page_once(driver, url, options).await
    } else {
        run
    }
}

/// What [`apply_trace`] says when the trace has no navigation start.
const NO_NAVIGATION_START: &str = "has no navigationStart";

async fn page_once(driver: &Driver, url: &Url, options: &MeasureOptions) -> PageRun {
    let mut run = PageRun {
        url: url.to_string(),
        profile: options.profile,
        status: None,
        ttfb_ms: None,
        // TTFB as Lighthouse reports it under DevTools throttling: the emulated latency lands
        // after `responseStart` (STACK.md), so this is the server's answer time, comparable
        // with Lighthouse's and PageSpeed Insights' figure; the throttled loads show in FCP/LCP.
        ttfb_source: TtfbDefinition::NavigationResponseStart,
        fcp_ms: None,
        lcp_ms: None,
        layout_shifts: None,
        frames: Vec::new(),
        trace_error: None,
        error: None,
        driver_down: false,
    };
    let session = match Session::start_with(driver, &options.session, options.command_timeout).await
    {
        Ok(session) => session,
        Err(e) => {
            run.driver_down = e.driver_down();
            run.error = Some(e.chain());
            return run;
        }
    };
    if let Err(e) = load(&session, url, options, driver.on_this_machine(), &mut run).await {
        run.error = Some(e.chain());
    }
    // Closing is bounded; a session that will not close is cleaned up with the driver.
    let _ = session.close().await;
    run
}

/// The steps of [`page`] on an open session; fills `run` as it goes.
async fn load(
    session: &Session,
    url: &Url,
    options: &MeasureOptions,
    on_this_machine: bool,
    run: &mut PageRun,
) -> Result<(), BrowserError> {
    session.apply(options.profile).await?;
    session.disable_cache().await?;
    let client = session.client();
    let script_timeout = options.metrics_timeout + options.command_timeout;
    let timeouts =
        TimeoutConfiguration::new(Some(script_timeout), Some(options.load_timeout), None);
    bounded("set timeouts", options.command_timeout, async {
        client
            .update_timeouts(timeouts)
            .await
            .map_err(|source| command("set timeouts", source))
    })
    .await?;

    // Start from about:blank as Lighthouse does (`navigation-runner.js` `_setup`: `gotoURL(
    // settings.blankPage)`): the tab leaves ChromeDriver's `data:,` page before the measured
    // navigation. Measured against Lighthouse (benches/lighthouse-compare).
    bounded("blank page", options.command_timeout, async {
        client
            .goto("about:blank")
            .await
            .map_err(|source| command("navigate to about:blank", source))
    })
    .await?;

    let mut tracer = None;
    if options.trace && !on_this_machine {
        run.trace_error = Some(
            "no frames: the browser runs behind a remote WebDriver, its DevTools address is not \
             reachable from here"
                .to_string(),
        );
    } else if options.trace {
        match session.debugger_address() {
            Some(address) => match Tracer::start(&address, options.command_timeout).await {
                Ok(t) => tracer = Some(t),
                Err(e) => run.trace_error = Some(e.chain()),
            },
            None => run.trace_error = Some("the session has no DevTools address".to_string()),
        }
    }

    // chromedriver stops at its page-load timeout; ours is the backstop for a hung driver.
    bounded(
        "page load",
        options.load_timeout + Duration::from_secs(2),
        async {
            client
                .goto(url.as_str())
                .await
                .map_err(|source| command("navigate", source))
        },
    )
    .await?;

    let deadline = options.metrics_timeout.as_millis() as u64;
    let quiet = options.quiet.as_millis() as u64;
    let metrics = bounded("page metrics", script_timeout, async {
        client
            .execute_async(
                METRICS_SCRIPT,
                vec![
                    json!(deadline),
                    json!(quiet),
                    json!(options.after_load.as_millis() as u64),
                ],
            )
            .await
            .map_err(|source| command("page metrics", source))
    })
    .await?;
    read_metrics(&metrics, run);

    if let Some(tracer) = tracer {
        match tracer.finish().await {
            Ok(trace) => apply_trace(trace, run),
            Err(e) => run.trace_error = Some(e.chain()),
        }
    }
    Ok(())
}

/// Copies the script's answer into `run`.
fn read_metrics(metrics: &Value, run: &mut PageRun) {
    let nav = &metrics["nav"];
    let activation = nav["activationStart"].as_f64().unwrap_or(0.0);
    let field = match run.ttfb_source {
        TtfbDefinition::NavigationResponseStart => "responseStart",
        TtfbDefinition::NavigationResponseEnd | TtfbDefinition::HttpProbe => "responseEnd",
    };
    run.ttfb_ms = nav[field].as_f64().map(|t| (t - activation).max(0.0));
    run.status = nav["status"].as_u64().and_then(|s| u16::try_from(s).ok());
    run.fcp_ms = metrics["fcp"].as_f64();
    run.lcp_ms = metrics["lcp"].as_f64();
    // Layout shifts are only observable where the entry type exists; the script always answers
    // with a list, so an absent list means no observation, an empty one means none happened.
    run.layout_shifts = metrics["shifts"].as_array().map(|shifts| {
        shifts
            .iter()
            .filter_map(|s| {
                Some(LayoutShift {
                    ts_ms: s[0].as_f64()?,
                    value: s[1].as_f64()?,
                    had_recent_input: s[2].as_bool().unwrap_or(false),
                })
            })
            .collect()
    });
}

/// Frames relative to navigation start; paint marks from the trace where the page missed them.
fn apply_trace(trace: Trace, run: &mut PageRun) {
    let Some(start) = trace.navigation_start_us else {
        run.trace_error = Some(format!(
            "the trace ({} events) {NO_NAVIGATION_START}",
            trace.event_count
        ));
        return;
    };
    let ms = |us: f64| (us - start) / 1000.0;
    run.fcp_ms = run.fcp_ms.or(trace.fcp_us.map(ms));
    run.lcp_ms = run.lcp_ms.or(trace.lcp_us.map(ms));
    // As speedline's `extractFramesFromTimeline`: screenshots from navigation start on, an
    // identical consecutive snapshot dropped. (Speedline then prepends a synthetic white frame
    // at the start; that is the Speed Index computation's business, not the probe's.)
    let mut frames: Vec<Frame> = Vec::new();
    for shot in trace.screenshots.into_iter().filter(|s| s.ts_us >= start) {
        if frames.last().is_some_and(|f| f.jpeg == shot.jpeg) {
            continue;
        }
        frames.push(Frame {
            ts_ms: ms(shot.ts_us),
            jpeg: shot.jpeg,
        });
    }
    run.frames = frames;
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::probe::browser::trace::Screenshot;

    fn empty_run(profile: Profile) -> PageRun {
        PageRun {
            url: "http://127.0.0.1/".into(),
            profile,
            status: None,
            ttfb_ms: None,
            ttfb_source: TtfbDefinition::NavigationResponseEnd,
            fcp_ms: None,
            lcp_ms: None,
            layout_shifts: None,
            frames: Vec::new(),
            trace_error: None,
            error: None,
            driver_down: false,
        }
    }

    #[test]
    fn metrics_use_the_recorded_ttfb_field() {
        let answer = json!({
            "fcp": 120.5, "lcp": 340.0, "shifts": [[10.0, 0.05]],
            "nav": { "responseStart": 5.0, "responseEnd": 600.0, "activationStart": 0, "status": 200 }
        });
        let mut run = empty_run(Profile::Mobile);
        read_metrics(&answer, &mut run);
        assert_eq!(run.ttfb_ms, Some(600.0));
        assert_eq!(
            (run.fcp_ms, run.lcp_ms, run.status),
            (Some(120.5), Some(340.0), Some(200))
        );
        assert_eq!(run.metric_run().cls, Some(0.05));
        let mut run = empty_run(Profile::None);
        run.ttfb_source = TtfbDefinition::NavigationResponseStart;
        read_metrics(&answer, &mut run);
        assert_eq!(run.ttfb_ms, Some(5.0));
        let mut run = empty_run(Profile::None);
        read_metrics(&json!({ "fcp": null, "lcp": null }), &mut run);
        assert_eq!((run.ttfb_ms, run.fcp_ms), (None, None));
        assert_eq!(run.layout_shifts, None);
        assert_eq!(
            run.metric_run().cls,
            None,
            "no observation is no figure, not 0"
        );
    }

    #[test]
    fn trace_gives_frames_from_navigation_start_and_fills_missing_marks() {
        let mut run = empty_run(Profile::Mobile);
        run.lcp_ms = Some(900.0);
        let shot = |ts_us: f64, byte: u8| Screenshot {
            ts_us,
            jpeg: vec![byte],
        };
        let trace = Trace {
            navigation_start_us: Some(1_000_000.0),
            screenshots: vec![
                shot(999_000.0, 1),
                shot(1_250_000.0, 2),
                shot(1_400_000.0, 2),
                shot(1_500_000.0, 3),
            ],
            fcp_us: Some(1_200_000.0),
            lcp_us: Some(1_800_000.0),
            event_count: 10,
        };
        apply_trace(trace, &mut run);
        let ts: Vec<f64> = run.frames.iter().map(|f| f.ts_ms).collect();
        assert_eq!(
            ts,
            [250.0, 500.0],
            "before the start and repeated frames dropped"
        );
        assert_eq!(
            run.fcp_ms,
            Some(200.0),
            "missing in the page, taken from the trace"
        );
        assert_eq!(run.lcp_ms, Some(900.0), "the page's own entry wins");
        let mut run = empty_run(Profile::Mobile);
        apply_trace(Trace::default(), &mut run);
        assert!(run.trace_error.unwrap().contains("navigationStart"));
    }

    #[test]
    fn page_runs_serialise_frames_as_a_count() {
        let mut run = empty_run(Profile::Desktop);
        run.frames = vec![
            Frame {
                ts_ms: 1.0,
                jpeg: vec![0; 10]
            };
            3
        ];
        let json = serde_json::to_value(&run).unwrap();
        assert_eq!(json["frame_count"], 3);
        assert_eq!(json["profile"], "desktop");
        assert_eq!(json["ttfb_source"], "navigation-response-end");
        let back: PageRun = serde_json::from_value(json).unwrap();
        assert!(back.frames.is_empty());
        assert_eq!(back.profile, Profile::Desktop);
    }
}

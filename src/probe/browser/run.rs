//! The browser probe of one assessment: the timed pages' cold loads (N runs each, one browser
//! at a time), then the rendering pass over the HTML pages the HTTP probe found, each result
//! handed to the caller as it arrives (the journal), and the filmstrip of the slowest page.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use url::Url;

use super::measure::{self, MeasureOptions, PageRun};
use super::render::{RenderOptions, Renderer, Target, Viewport};
use super::{Driver, Profile, SessionOptions};
use crate::observation::{
    BrowserRun, BrowserStatus, FilmFrame, Filmstrip, HtmlFacts, LabMetric, MetricSpread,
    PageMetrics, Rendered,
};

/// Where the probe writes screenshots and the filmstrip, relative to the output directory.
pub const BROWSER_DIR: &str = "browser";

/// What the browser probe does in one assessment.
#[derive(Debug, Clone)]
pub struct Plan {
    /// Throttling profile of the timed loads.
    pub profile: Profile,
    /// Cold loads per timed page.
    pub runs: u32,
    /// The timed pages.
    pub timed: Vec<Url>,
    /// At most this many HTML pages rendered.
    pub max_rendered: usize,
    /// Budget of one page load.
    pub page_timeout: Duration,
    /// EMC tracker hosts, blocked and recorded.
    pub tracker_hosts: Vec<String>,
    /// The embed's queue name.
    pub queue: String,
    /// Trusted keys (the scenario's CA).
    pub session: SessionOptions,
    /// The output directory (screenshots and filmstrip go under `browser/`).
    pub out: PathBuf,
    /// Save screenshots of rendered pages.
    pub screenshots: bool,
}

/// One result, as it arrives.
#[derive(Debug, Clone, Copy)]
pub enum Progress<'a> {
    /// A timed load finished.
    Timed(&'a PageRun),
    /// A page was rendered at the desktop viewport (facts, boxes, tracker requests).
    Rendered(&'a str, &'a Rendered),
    /// A page was rendered at the mobile viewport.
    Mobile(&'a str, &'a crate::observation::View),
}

/// What the browser probe found.
#[derive(Debug, Clone)]
pub struct Found {
    /// The run as a whole.
    pub browser: BrowserRun,
    /// Lab metrics of the timed pages.
    pub page_metrics: Vec<PageMetrics>,
    /// Rendered pages by URL.
    pub rendered: BTreeMap<String, Rendered>,
}

/// Runs the browser probe on `driver`: timed loads, then the rendering pass over `pages`
/// (URL and HTTP facts, in priority order). Never fails: problems land in the runs' and
/// pages' `error`s.
pub async fn observe(
    driver: &Driver,
    plan: &Plan,
    pages: &[(String, Option<HtmlFacts>)],
    on: &(dyn Fn(Progress<'_>) + Sync),
) -> Found {
    let command_timeout = Duration::from_secs(15);
    let measure_options = MeasureOptions {
        profile: plan.profile,
        load_timeout: plan.page_timeout,
        command_timeout,
        session: plan.session.clone(),
        ..MeasureOptions::default()
    };
    let mut page_metrics = Vec::new();
    let mut slowest: Option<(f64, PageRun)> = None;
    // Once the driver stops answering, nothing more is asked of it: the remaining loads and the
    // rendering pass are errors at once instead of one timeout each.
    let mut down: Option<String> = None;
    for url in &plan.timed {
        let mut runs = Vec::new();
        for _ in 0..plan.runs {
            let run = match &down {
                Some(why) => failed_run(url, plan.profile, why),
                None => measure::page(driver, url, &measure_options).await,
            };
            if run.driver_down && down.is_none() {
                down = Some(format!(
                    "the WebDriver stopped answering: {}",
                    run.error.as_deref().unwrap_or_default()
                ));
            }
            on(Progress::Timed(&run));
            runs.push(run);
        }
        let metrics = PageMetrics::from_runs(
            url.as_str(),
            plan.profile,
            runs.first().map_or(
                crate::observation::TtfbDefinition::NavigationResponseStart,
                |r| r.ttfb_source,
            ),
            runs.iter().map(PageRun::metric_run).collect(),
        );
        if let Some(MetricSpread { median, .. }) = metrics.spread(LabMetric::Lcp)
            && slowest.as_ref().is_none_or(|(m, _)| median > *m)
            && let Some(run) = closest_to(&runs, median)
        {
            slowest = Some((median, run));
        }
        page_metrics.push(metrics);
    }
    let browser_dir = plan.out.join(BROWSER_DIR);
    let filmstrip = slowest.and_then(|(_, run)| save_filmstrip(&run, &browser_dir));

    let options = render_options(plan);
    let chosen: Vec<Target<'_>> = pages
        .iter()
        .take(plan.max_rendered)
        .enumerate()
        .map(|(index, (url, http))| Target {
            url,
            http: http.as_ref(),
            index,
        })
        .collect();
    let (rendered, version, failure) = match &down {
        Some(why) => (BTreeMap::new(), None, Some(why.clone())),
        None => render_all(driver, &options, &chosen, on).await,
    };
    let status = if failure.is_some() && rendered.is_empty() && page_metrics.is_empty() {
        BrowserStatus::Failed
    } else {
        BrowserStatus::Ran
    };
    Found {
        browser: BrowserRun {
            status,
            reason: failure,
            browser_version: version,
            webdriver: Some(if driver.is_local() {
                "chromedriver (local)".to_string()
            } else {
                redacted(driver.url())
            }),
            profile: plan.profile,
            runs: plan.runs,
            timed_pages: plan.timed.iter().map(ToString::to_string).collect(),
            rendered_pages: u32::try_from(rendered.len()).unwrap_or(u32::MAX),
            not_rendered: u32::try_from(pages.len().saturating_sub(chosen.len()))
                .unwrap_or(u32::MAX),
            filmstrip,
        },
        page_metrics,
        rendered,
    }
}

fn render_options(plan: &Plan) -> RenderOptions {
    let browser_dir = plan.out.join(BROWSER_DIR);
    RenderOptions {
        page_timeout: plan.page_timeout,
        command_timeout: Duration::from_secs(15),
        settle: Duration::from_millis(150),
        tracker_hosts: plan.tracker_hosts.clone(),
        queue: plan.queue.clone(),
        screenshots: plan.screenshots.then(|| browser_dir.join("pages")),
        screenshot_prefix: format!("{BROWSER_DIR}/pages/"),
        session: plan.session.clone(),
    }
}

/// Renders more pages (found in rendered pages' links after the first pass); screenshot files
/// are numbered from `first_index`. Returns the pages and why the pass could not run, if so.
pub async fn render_more(
    driver: &Driver,
    plan: &Plan,
    pages: &[(String, Option<HtmlFacts>)],
    first_index: usize,
    on: &(dyn Fn(Progress<'_>) + Sync),
) -> (BTreeMap<String, Rendered>, Option<String>) {
    let options = render_options(plan);
    let targets: Vec<Target<'_>> = pages
        .iter()
        .enumerate()
        .map(|(i, (url, http))| Target {
            url,
            http: http.as_ref(),
            index: first_index + i,
        })
        .collect();
    let (rendered, _, failure) = render_all(driver, &options, &targets, on).await;
    (rendered, failure)
}

/// The rendering pass: a desktop session renders every page while a mobile session adds its
/// view of each (two browsers at once: nothing is timed here). Returns the pages, the browser
/// version and why the pass could not run at all.
async fn render_all(
    driver: &Driver,
    options: &RenderOptions,
    targets: &[Target<'_>],
    on: &(dyn Fn(Progress<'_>) + Sync),
) -> (BTreeMap<String, Rendered>, Option<String>, Option<String>) {
    let mut rendered: BTreeMap<String, Rendered> = BTreeMap::new();
    if targets.is_empty() {
        return (rendered, None, None);
    }
    let (desktop, mobile) = tokio::join!(
        Renderer::open(driver, Viewport::Desktop, options),
        Renderer::open(driver, Viewport::Mobile, options)
    );
    let desktop = match desktop {
        Ok(r) => r,
        Err(e) => {
            if let Ok(m) = mobile {
                m.close().await;
            }
            return (rendered, None, Some(e.chain()));
        }
    };
    let version = desktop.browser_version();
    let desktop_pass = async {
        let mut pages = Vec::new();
        let mut hung: Option<String> = None;
        for t in targets {
            let (view, dom) = if let Some(why) = &hung {
                (down_view(why), None)
            } else {
                let (view, dom, driver_hung) = desktop.view(t).await;
                if driver_hung {
                    hung = Some(format!(
                        "the WebDriver stopped answering at {}: {}",
                        t.url,
                        view.error.as_deref().unwrap_or_default()
                    ));
                }
                (view, dom)
            };
            let page = match dom {
                Some(dom) => dom.into_rendered(view),
                None => Rendered {
                    error: view.error.clone(),
                    desktop: Some(view),
                    ..Rendered::default()
                },
            };
            on(Progress::Rendered(t.url, &page));
            pages.push(page);
        }
        pages
    };
    let mobile_pass = async {
        let mut views = Vec::new();
        match &mobile {
            Ok(m) => {
                let mut hung: Option<String> = None;
                for t in targets {
                    let view = if let Some(why) = &hung {
                        down_view(why)
                    } else {
                        let (view, _, driver_hung) = m.view(t).await;
                        if driver_hung {
                            hung = Some(format!("the WebDriver stopped answering at {}", t.url));
                        }
                        view
                    };
                    on(Progress::Mobile(t.url, &view));
                    views.push(view);
                }
            }
            Err(e) => views.resize(
                targets.len(),
                crate::observation::View {
                    error: Some(e.chain()),
                    ..Default::default()
                },
            ),
        }
        views
    };
    let (pages, views) = tokio::join!(desktop_pass, mobile_pass);
    for ((t, mut page), view) in targets.iter().zip(pages).zip(views) {
        page.mobile = Some(view);
        rendered.insert(t.url.to_string(), page);
    }
    desktop.close().await;
    if let Ok(m) = mobile {
        m.close().await;
    }
    (rendered, version, None)
}

/// A view not attempted because the driver stopped answering.
fn down_view(why: &str) -> crate::observation::View {
    crate::observation::View {
        error: Some(why.to_string()),
        ..Default::default()
    }
}

/// A load not attempted because the driver is down.
fn failed_run(url: &Url, profile: Profile, why: &str) -> PageRun {
    PageRun {
        url: url.to_string(),
        profile,
        status: None,
        ttfb_ms: None,
        ttfb_source: crate::observation::TtfbDefinition::NavigationResponseStart,
        fcp_ms: None,
        lcp_ms: None,
        layout_shifts: None,
        frames: Vec::new(),
        trace_error: None,
        error: Some(why.to_string()),
        driver_down: true,
    }
}

/// The run whose LCP is closest to `median`, when it has frames.
fn closest_to(runs: &[PageRun], median: f64) -> Option<PageRun> {
    runs.iter()
        .filter(|r| !r.frames.is_empty())
        .filter_map(|r| Some((r, (r.lcp_ms? - median).abs())))
        .min_by(|a, b| a.1.total_cmp(&b.1))
        .map(|(r, _)| r.clone())
}

/// Writes a run's frames under `dir/filmstrip/`.
fn save_filmstrip(run: &PageRun, dir: &std::path::Path) -> Option<Filmstrip> {
    let strip = dir.join("filmstrip");
    fs_err::create_dir_all(&strip).ok()?;
    let mut frames = Vec::new();
    for (i, f) in run.frames.iter().take(60).enumerate() {
        let name = format!("{i:02}-{:.0}ms.jpg", f.ts_ms);
        fs_err::write(strip.join(&name), &f.jpeg).ok()?;
        frames.push(FilmFrame {
            ts_ms: f.ts_ms,
            path: format!("{BROWSER_DIR}/filmstrip/{name}"),
        });
    }
    Some(Filmstrip {
        url: run.url.clone(),
        profile: run.profile,
        frames,
    })
}

/// A WebDriver URL without credentials.
fn redacted(url: &Url) -> String {
    let mut u = url.clone();
    let _ = u.set_username("");
    let _ = u.set_password(None);
    u.to_string()
}

/// The probe's record when it did not run: skipped on purpose or failed before starting.
pub fn not_run(
    status: BrowserStatus,
    reason: String,
    plan_profile: Profile,
    runs: u32,
) -> BrowserRun {
    BrowserRun {
        status,
        reason: Some(reason),
        browser_version: None,
        webdriver: None,
        profile: plan_profile,
        runs,
        timed_pages: Vec::new(),
        rendered_pages: 0,
        not_rendered: 0,
        filmstrip: None,
    }
}

#[cfg(test)]
mod unit {
    use super::*;
    use crate::probe::lab::speed_index::Frame;

    fn run(lcp: Option<f64>, frames: usize) -> PageRun {
        PageRun {
            url: "http://127.0.0.1/".into(),
            profile: Profile::None,
            status: Some(200),
            ttfb_ms: Some(1.0),
            ttfb_source: crate::observation::TtfbDefinition::NavigationResponseStart,
            fcp_ms: Some(1.0),
            lcp_ms: lcp,
            layout_shifts: Some(Vec::new()),
            frames: vec![
                Frame {
                    ts_ms: 10.0,
                    jpeg: vec![1, 2, 3]
                };
                frames
            ],
            trace_error: None,
            error: None,
            driver_down: false,
        }
    }

    #[test]
    fn the_filmstrip_run_is_the_one_nearest_the_median_with_frames() {
        let runs = [
            run(Some(100.0), 2),
            run(Some(300.0), 0),
            run(Some(500.0), 3),
        ];
        let r = closest_to(&runs, 300.0).unwrap();
        assert_eq!(
            r.lcp_ms,
            Some(100.0),
            "the exact one has no frames; ties go first"
        );
        assert!(closest_to(&[run(None, 2)], 1.0).is_none());
        let dir = tempfile::tempdir().unwrap();
        let strip = save_filmstrip(&runs[2], dir.path()).unwrap();
        assert_eq!(strip.frames.len(), 3);
        assert!(
            strip.frames[0]
                .path
                .starts_with("browser/filmstrip/00-10ms")
        );
        assert!(dir.path().join("filmstrip/00-10ms.jpg").is_file());
    }

    #[test]
    fn remote_webdriver_urls_lose_their_credentials() {
        let u = Url::parse("https://user:secret@grid.example:4444/wd/hub").unwrap();
        assert_eq!(redacted(&u), "https://grid.example:4444/wd/hub");
    }
}

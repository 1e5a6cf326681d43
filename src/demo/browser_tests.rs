//! The reference portal in a real Chromium (through the crate's browser probe): clean pages
//! fit a 360 px phone and carry the viewport meta in every theme, the hero image is the
//! home page's LCP, the EMC tracker on `emc.localhost` is reached only when not blocked, and
//! the browser defects (`wide-table`, `no-viewport`, `layout-shift`, `slow-lcp`,
//! `no-trackdvc`, `spa-shell`, `missing-alt`, `low-contrast`) show in the rendered page; no clean
//! page has a critical or serious axe-core violation. Without Chromium the tests skip
//! with a note, unless `CI` is set. One browser at a time; none outlives a test.

use std::time::{Duration, Instant};

use serde_json::{Value, json};

use super::{Defects, RunningPortal, THEMES, Theme, start_themed};
use crate::probe::browser::tests::{SERIAL, browser_present, processes_with};
use crate::probe::browser::{Driver, LaunchOptions, Session};

/// Every HTML page of the portal (the catalogue's procedure pages are all alike: one).
const PAGES: &[&str] = &[
    "/",
    "/gioi-thieu",
    "/thu-tuc/",
    "/thu-tuc/1.00101",
    "/linh-vuc/",
    "/linh-vuc/lao-dong",
    "/tim-kiem",
    "/tim-kiem?q=%C4%91%C4%83ng+k%C3%BD",
    "/tra-cuu-ho-so?ma=H55.12-260315-0042",
    "/phan-anh-kien-nghi",
    "/danh-gia",
    "/thong-ke",
    "/huong-dan",
    "/huong-dan/thanh-toan-truc-tuyen",
    "/hoi-dap",
    "/lien-he",
    "/khao-sat",
    "/tro-ly-ao",
    "/dang-nhap",
    "/dang-nhap/callback?code=mock-code&state=kd-4f1c",
    "/nop-ho-so/1.00101",
    "/nop-ho-so/1.00101/thanh-toan",
    "/so-do-trang",
    "/khong-co",
];

/// A local chromedriver with one session that accepts the demo's generated certificate.
pub(super) struct Browser {
    driver: Driver,
    pub(super) session: Session,
    profile: String,
}

impl Browser {
    pub(super) async fn open() -> Self {
        let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
        let session = Session::start(&driver, Duration::from_secs(20))
            .await
            .unwrap();
        let profile = session.profile_dir().unwrap().display().to_string();
        // The demo's CA is generated per start: this test browser accepts it.
        session
            .cdp(
                "Security.setIgnoreCertificateErrors",
                json!({"ignore": true}),
            )
            .await
            .unwrap();
        Self {
            driver,
            session,
            profile,
        }
    }

    /// Window size in CSS px; `mobile` emulates a phone (the viewport meta counts).
    async fn size(&self, width: u32, height: u32, mobile: bool) {
        self.session
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({"width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile}),
            )
            .await
            .unwrap();
    }

    pub(super) async fn load(&self, url: &str) {
        tokio::time::timeout(Duration::from_secs(20), self.session.client().goto(url))
            .await
            .unwrap_or_else(|_| panic!("{url} did not load within 20 s"))
            .unwrap_or_else(|e| panic!("{url}: {e}"));
    }

    pub(super) async fn js(&self, script: &str) -> Value {
        self.session.client().execute(script, vec![]).await.unwrap()
    }

    async fn js_async(&self, script: &str) -> Value {
        tokio::time::timeout(
            Duration::from_secs(20),
            self.session.client().execute_async(script, vec![]),
        )
        .await
        .expect("the page script answered within 20 s")
        .unwrap()
    }

    /// Closes the session and the driver, then checks no Chromium is left.
    pub(super) async fn finish(self) {
        self.session.close().await.unwrap();
        let port_flag = format!("--port={}", self.driver.url().port().unwrap());
        drop(self.driver);
        let deadline = Instant::now() + Duration::from_secs(5);
        while !(processes_with(&self.profile).is_empty() && processes_with(&port_flag).is_empty()) {
            assert!(
                Instant::now() < deadline,
                "a browser process outlived the test"
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }
}

pub(super) async fn portal(theme: Theme, defects: &[&str]) -> RunningPortal {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    start_themed(0, 0, Defects::parse(&names).unwrap(), theme)
        .await
        .unwrap()
}

pub(super) fn url(p: &RunningPortal, path: &str) -> String {
    format!("{}{}", p.base_url(), path.trim_start_matches('/'))
}

fn themes() -> Vec<Theme> {
    THEMES
        .iter()
        .map(|(n, _)| Theme::parse(n).unwrap())
        .collect()
}

/// `[scrollWidth, innerWidth, viewport meta content or null]` of the loaded page.
const FIT: &str = "const m = document.querySelector('meta[name=viewport]'); \
    return [document.documentElement.scrollWidth, innerWidth, m && m.getAttribute('content')];";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_page_fits_a_phone_and_the_two_defects_do_not() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let b = Browser::open().await;
    b.size(360, 640, true).await;
    for theme in themes() {
        let clean = portal(theme, &[]).await;
        for path in PAGES {
            b.load(&url(&clean, path)).await;
            let fit = b.js(FIT).await;
            assert_eq!(
                fit,
                json!([360, 360, "width=device-width, initial-scale=1"]),
                "{} {path}",
                theme.name()
            );
        }
        let bad = portal(theme, &["wide-table", "no-viewport"]).await;
        b.load(&url(&bad, "/thong-ke")).await;
        let fit = b.js(FIT).await;
        assert!(fit[0].as_u64().unwrap() >= 1200, "{} {fit}", theme.name());
        b.load(&url(&bad, "/gioi-thieu")).await;
        let fit = b.js(FIT).await;
        assert_eq!(fit[2], Value::Null, "{} {fit}", theme.name());
        // without the meta a phone lays the page out at 980 px
        assert_eq!(fit[1], json!(980), "{} {fit}", theme.name());
    }
    b.finish().await;
}

/// Layout-shift entries summed once 1.5 s passed after `load`.
const SHIFTS: &str = "const done = arguments[arguments.length - 1]; let sum = 0; \
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { if (!e.hadRecentInput) sum += e.value; })) \
      .observe({ type: 'layout-shift', buffered: true }); \
    const wait = () => setTimeout(() => done(sum), 1500); \
    if (document.readyState === 'complete') wait(); else addEventListener('load', wait);";

/// The last LCP candidate: `[startTime, tag name, URL]`, once `load` passed and nothing new
/// came for 500 ms.
const LCP: &str = "const done = arguments[arguments.length - 1]; let last = null; \
    new PerformanceObserver((l) => l.getEntries().forEach((e) => { last = e; })) \
      .observe({ type: 'largest-contentful-paint', buffered: true }); \
    const end = () => done(last && [last.startTime, last.element && last.element.tagName, last.url]); \
    const wait = () => setTimeout(end, 500); \
    if (document.readyState === 'complete') wait(); else addEventListener('load', wait);";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_hero_is_the_lcp_and_the_notice_shifts_the_layout() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let b = Browser::open().await;
    for theme in themes() {
        let clean = portal(theme, &[]).await;
        let shifting = portal(theme, &["layout-shift"]).await;
        for (w, h, mobile) in [(1350, 940, false), (360, 640, true)] {
            b.size(w, h, mobile).await;
            let at = format!("{} {w}x{h}", theme.name());
            b.load(&url(&clean, "/")).await;
            let lcp = b.js_async(LCP).await;
            assert_eq!(lcp[1], "IMG", "{at}: {lcp}");
            assert!(
                lcp[2]
                    .as_str()
                    .unwrap()
                    .ends_with(super::content::HERO_PATH),
                "{at}: {lcp}"
            );
            b.load(&url(&clean, "/tim-kiem")).await;
            let calm = b.js_async(SHIFTS).await.as_f64().unwrap();
            assert!(calm < 0.01, "{at}: clean CLS {calm}");
            b.load(&url(&shifting, "/tim-kiem")).await;
            let cls = b.js_async(SHIFTS).await.as_f64().unwrap();
            eprintln!("{at}: hero LCP {lcp}, CLS {calm} clean, {cls} with layout-shift");
            assert!(cls > 0.25, "{at}: CLS {cls}");
        }
    }
    // Held 3.5 s on the server: LCP is late even with no throttling.
    let slow = portal(Theme::Semantic, &["slow-lcp"]).await;
    b.size(1350, 940, false).await;
    b.load(&url(&slow, "/")).await;
    let lcp = b.js_async(LCP).await;
    eprintln!("slow-lcp: {lcp}");
    assert_eq!(lcp[1], "IMG", "{lcp}");
    assert!(lcp[0].as_f64().unwrap() > 2500.0, "{lcp}");
    b.finish().await;
}

/// The `_govaq` commands a page queued: `[[command, args…]…]`.
const QUEUE: &str = "return (window._govaq || []).map((c) => Array.from(c).map(String));";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tracker_on_its_own_host_is_stopped_when_blocked() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let b = Browser::open().await;
    for theme in themes() {
        let clean = portal(theme, &[]).await;
        let at = theme.name();
        b.session.cdp("Network.enable", json!({})).await.unwrap();
        b.session
            .cdp(
                "Network.setBlockedURLs",
                json!({"urls": ["*://emc.localhost*"]}),
            )
            .await
            .unwrap();
        b.load(&url(&clean, "/thu-tuc/1.00101")).await;
        let queue = b.js(QUEUE).await;
        let commands: Vec<&str> = queue
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c[0].as_str().unwrap())
            .collect();
        for want in ["trackPageView", "trackDVC", "setTrackerUrl", "setSiteId"] {
            assert!(commands.contains(&want), "{at}: {queue}");
        }
        let tracker = queue
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == "setTrackerUrl")
            .unwrap()[1]
            .as_str()
            .unwrap()
            .to_string();
        assert!(
            tracker.starts_with(&format!("https://emc.localhost:{}/", clean.https.port())),
            "{at}: {tracker}"
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert_eq!(clean.tracker_hits(), 0, "{at}: blocked, nothing arrives");
        // Unblocked, the same page reaches the mock tracker (script and beacon).
        b.session
            .cdp("Network.setBlockedURLs", json!({"urls": []}))
            .await
            .unwrap();
        b.load(&url(&clean, "/thu-tuc/1.00101")).await;
        let deadline = Instant::now() + Duration::from_secs(5);
        while clean.tracker_hits() < 2 && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert_eq!(clean.tracker_hits(), 2, "{at}: script and beacon");
        // `no-trackdvc`: the page view stays, the service code goes.
        let bare = portal(theme, &["no-trackdvc"]).await;
        b.load(&url(&bare, "/thu-tuc/1.00101")).await;
        let queue = b.js(QUEUE).await.to_string();
        assert!(
            queue.contains("trackPageView") && !queue.contains("trackDVC"),
            "{at}: {queue}"
        );
    }
    b.finish().await;
}

/// What a judge reads in the rendered page: landmarks or theme regions, every link, the
/// forms, and (for the themes without per-request noise) the visible text.
const RENDERED: &str = "const q = (s) => !!document.querySelector(s); \
    return { regions: [q('header, #banner, .top-header'), q('nav, #navigation, .menu-bar'), \
      q('main, #content, .main-content'), q('footer, #footer, .footer')], \
      app: q('#app') || q('noscript'), \
      links: Array.from(document.links).map((a) => a.getAttribute('href')), \
      forms: Array.from(document.forms).map((f) => f.elements.length), \
      text: document.body.innerText };";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_spa_shell_renders_the_page_the_theme_serves() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let b = Browser::open().await;
    for theme in themes() {
        let served = portal(theme, &[]).await;
        let built = portal(theme, &["spa-shell"]).await;
        for path in [
            "/",
            "/thu-tuc/",
            "/tim-kiem?q=khai+sinh",
            "/thong-ke",
            "/hoi-dap",
        ] {
            let at = format!("{} {path}", theme.name());
            b.load(&url(&served, path)).await;
            let want = b.js(RENDERED).await;
            b.load(&url(&built, path)).await;
            let got = b.js(RENDERED).await;
            assert_eq!(got["regions"], json!([true, true, true, true]), "{at}");
            assert_eq!(got["app"], json!(false), "{at}: the shell is gone");
            assert!(got["links"].as_array().unwrap().len() > 10, "{at}");
            assert_eq!(got["links"], want["links"], "{at}");
            assert_eq!(got["forms"], want["forms"], "{at}");
            if theme.semantic_markup() {
                assert_eq!(got["text"], want["text"], "{at}");
            }
        }
    }
    b.finish().await;
}

/// One cold load of the home page under `profile`, with its Speed Index from the frames.
async fn measured(
    driver: &Driver,
    portal: &RunningPortal,
    profile: crate::probe::browser::Profile,
) -> (crate::probe::browser::PageRun, f64) {
    use crate::probe::lab::speed_index::{Frame, Mode, speed_index};
    // The demo's certificate is generated per start: measure over plain HTTP, which
    // `no-https-redirect` serves (it changes nothing a page load measures).
    let home = url::Url::parse(&format!("http://{}/", portal.http)).unwrap();
    let options = crate::probe::browser::MeasureOptions {
        profile,
        ..crate::probe::browser::MeasureOptions::default()
    };
    let run = crate::probe::browser::measure::page(driver, &home, &options).await;
    assert_eq!(run.error, None, "{run:?}");
    let frames: Vec<Frame> = run
        .frames
        .iter()
        .map(|f| Frame {
            ts_ms: f.ts_ms,
            jpeg: f.jpeg.clone(),
        })
        .collect();
    let si = speed_index(&frames, 0.0, Mode::Fast)
        .unwrap()
        .speed_index_ms;
    eprintln!(
        "{profile}: TTFB {:?} FCP {:?} LCP {:?} SI {si:.0} CLS {:?} ({} frames)",
        run.ttfb_ms,
        run.fcp_ms,
        run.lcp_ms,
        run.metric_run().cls,
        run.frames.len()
    );
    (run, si)
}

/// Under Lighthouse's mobile profile `slow-lcp` moves LCP alone: the hero image arrives late,
/// the first paint and the first byte do not move and nothing shifts. The assertions compare
/// the two portals (absolute thresholds on a shared machine belong in `benches/`): the clean
/// figures are printed for the record.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn under_the_mobile_profile_only_slow_lcp_moves_lcp_past_its_threshold() {
    use crate::probe::browser::Profile;
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let clean = portal(Theme::Semantic, &["no-https-redirect"]).await;
    let slow = portal(Theme::Semantic, &["no-https-redirect", "slow-lcp"]).await;
    let (fast, fast_si) = measured(&driver, &clean, Profile::Mobile).await;
    let (run, si) = measured(&driver, &slow, Profile::Mobile).await;
    assert!(run.lcp_ms.unwrap() > 3500.0, "{run:?}");
    assert!(
        run.lcp_ms.unwrap() > fast.lcp_ms.unwrap() + 1500.0,
        "{run:?} vs {fast:?}"
    );
    let fcp_moved = (run.fcp_ms.unwrap() - fast.fcp_ms.unwrap()).abs();
    assert!(fcp_moved < 1000.0, "FCP moved {fcp_moved} ms");
    assert!(si < fast_si + 1500.0, "{si} vs {fast_si}");
    assert_eq!(run.metric_run().cls, Some(0.0), "{run:?}");
    assert_eq!(fast.metric_run().cls, Some(0.0), "{fast:?}");
    let (run, si) = measured(&driver, &slow, Profile::Desktop).await;
    assert!(run.lcp_ms.unwrap() > 3500.0 && si < 3400.0, "{si} {run:?}");
    drop(driver);
}

/// axe-core's violations on the loaded page, through the browser probe's own audit script:
/// `(rule id, impact)`, sorted.
async fn axe_violations(b: &Browser) -> Vec<(String, String)> {
    let answer = tokio::time::timeout(
        Duration::from_secs(20),
        b.session.client().execute_async(
            &crate::probe::browser::axe::script(),
            crate::probe::browser::axe::args(crate::probe::browser::axe::AXE_BUDGET_MS),
        ),
    )
    .await
    .expect("axe answered within 20 s")
    .unwrap();
    let audit = crate::probe::browser::axe::read(&answer);
    assert_eq!(audit.error, None);
    let mut out: Vec<(String, String)> = audit
        .violations
        .into_iter()
        .map(|v| (v.id, v.impact.unwrap_or_default()))
        .collect();
    out.sort();
    out
}

/// PL8-5: no page of the clean portal has a critical or serious axe-core violation in any
/// theme; `missing-alt` gives `image-alt` (critical) and `low-contrast` `color-contrast`
/// (serious) on their pages, and nothing else blocking.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clean_portal_passes_axe_and_the_two_defects_fail_it() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let b = Browser::open().await;
    b.size(1350, 940, false).await;
    for theme in themes() {
        let clean = portal(theme, &[]).await;
        for path in PAGES {
            b.load(&url(&clean, path)).await;
            let blocking: Vec<(String, String)> = axe_violations(&b)
                .await
                .into_iter()
                .filter(|(_, impact)| impact == "critical" || impact == "serious")
                .collect();
            assert!(blocking.is_empty(), "{} {path}: {blocking:?}", theme.name());
        }
        let no_alt = portal(theme, &["missing-alt"]).await;
        b.load(&url(&no_alt, "/")).await;
        let found = axe_violations(&b).await;
        assert!(
            found.contains(&("image-alt".into(), "critical".into())),
            "{}: {found:?}",
            theme.name()
        );
        assert!(found.iter().all(|(id, _)| id != "color-contrast"));
        let grey = portal(theme, &["low-contrast"]).await;
        b.load(&url(&grey, "/huong-dan")).await;
        let found = axe_violations(&b).await;
        assert_eq!(
            found,
            [("color-contrast".to_string(), "serious".to_string())],
            "{}",
            theme.name()
        );
    }
    b.finish().await;
}

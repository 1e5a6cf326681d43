//! Browser tests against pages served from loopback. They run one after another (one browser
//! at a time, as timings need); without Chromium they skip with a note, unless `CI` is set,
//! where a missing browser fails.

use std::path::Path;
use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Html;
use axum::routing::get;
use url::Url;

use super::driver::{Driver, LaunchOptions};
use super::measure::{self, MeasureOptions};
use super::{BrowserError, Profile, Session};

/// One browser at a time across this module.
pub(crate) static SERIAL: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

const PAGE: &str = "<!doctype html><html lang=vi><head><meta charset=utf-8>\
<meta name=viewport content='width=device-width'><title>Cổng</title></head>\
<body style='margin:0'><header style='background:#c00;color:#fff;padding:20px'>\
<h1>Cổng dịch vụ công</h1></header><main><p>Thủ tục hành chính trực tuyến.</p>\
<div style='width:300px;height:200px;background:#06c'></div></main></body></html>";

/// Serves the fixture pages on 127.0.0.1:0; the server lives as long as the runtime.
async fn serve() -> Url {
    let app = Router::new()
        .route("/", get(|| async { Html(PAGE) }))
        .route(
            "/never",
            get(|| async {
                tokio::time::sleep(Duration::from_secs(120)).await;
                Html(PAGE)
            }),
        );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    Url::parse(&format!("http://{address}/")).unwrap()
}

/// Whether Chromium and chromedriver are installed; with `CI` set their absence is a failure.
/// A local driver with one session, the session's profile path and the driver's `--port=N`
/// flag (what identifies their processes in `/proc`).
async fn driver_and_session() -> (Driver, Session, String, String) {
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let port_flag = format!("--port={}", driver.url().port().unwrap());
    let session = Session::start(&driver, Duration::from_secs(15))
        .await
        .unwrap();
    let profile = session.profile_dir().unwrap().display().to_string();
    (driver, session, profile, port_flag)
}

/// The processes still running with the profile path and with the port flag, after waiting
/// up to 5 s for them to go.
async fn gone_within_5s(profile: &str, port_flag: &str) -> (Vec<u32>, Vec<u32>) {
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut left = (processes_with(profile), processes_with(port_flag));
    while (!left.0.is_empty() || !left.1.is_empty()) && Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(100)).await;
        left = (processes_with(profile), processes_with(port_flag));
    }
    left
}

pub(crate) fn browser_present() -> bool {
    let found = |name: &str| {
        std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())
            .any(|dir| dir.join(name).is_file())
    };
    if found("chromedriver") && (found("chromium") || found("chromium-browser")) {
        return true;
    }
    assert!(
        std::env::var_os("CI").is_none(),
        "CI is set but chromium/chromedriver are missing: install `chromium chromium-driver`"
    );
    eprintln!("note: skipping a browser test: install `chromium chromium-driver` to run it");
    false
}

/// Process ids whose command line contains `needle`, from /proc (zombies have none).
pub(crate) fn processes_with(needle: &str) -> Vec<u32> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(cmdline) = std::fs::read(entry.path().join("cmdline")) else {
            continue;
        };
        if pid != std::process::id() && String::from_utf8_lossy(&cmdline).contains(needle) {
            found.push(pid);
        }
    }
    found
}

fn options(profile: Profile) -> MeasureOptions {
    MeasureOptions {
        profile,
        load_timeout: Duration::from_secs(20),
        ..MeasureOptions::default()
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_measured_page_has_paints_frames_and_ttfb() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let base = serve().await;
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let run = measure::page(&driver, &base, &options(Profile::None)).await;
    eprintln!("{}", serde_json::to_string(&run).unwrap());
    assert_eq!(run.error, None, "{run:?}");
    assert_eq!(run.status, Some(200));
    let fcp = run.fcp_ms.expect("fcp");
    let lcp = run.lcp_ms.expect("lcp");
    assert!(fcp > 0.0, "{run:?}");
    assert!(lcp >= fcp, "{run:?}");
    assert!(run.ttfb_ms.is_some_and(|t| t >= 0.0 && t <= fcp), "{run:?}");
    assert_eq!(run.metric_run().cls, Some(0.0));
    assert_eq!(run.trace_error, None);
    assert!(!run.frames.is_empty(), "{run:?}");
    assert!(
        run.frames
            .iter()
            .all(|f| f.ts_ms >= 0.0 && f.jpeg.starts_with(&[0xff, 0xd8]))
    );
    assert!(run.frames.windows(2).all(|w| w[0].ts_ms <= w[1].ts_ms));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_mobile_profile_makes_the_same_page_slower() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let base = serve().await;
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let fast = measure::page(&driver, &base, &options(Profile::None)).await;
    let slow = measure::page(&driver, &base, &options(Profile::Mobile)).await;
    eprintln!("{}", serde_json::to_string(&fast).unwrap());
    eprintln!("{}", serde_json::to_string(&slow).unwrap());
    assert_eq!(
        (&fast.error, &slow.error),
        (&None, &None),
        "{fast:?} {slow:?}"
    );
    let (fast_fcp, slow_fcp) = (fast.fcp_ms.unwrap(), slow.fcp_ms.unwrap());
    // one request under 562.5 ms of added latency cannot paint before it
    assert!(
        slow_fcp > 562.5 && slow_fcp > fast_fcp,
        "{fast_fcp} vs {slow_fcp}"
    );
    // TTFB is read from `responseStart`, which the emulated latency does not move (as
    // Lighthouse's TTFB): the throttled load is slower to paint, not to answer.
    assert!(
        slow.ttfb_ms.unwrap() < 562.5 && slow.ttfb_source == fast.ttfb_source,
        "{fast:?} {slow:?}"
    );
    let desktop = measure::page(&driver, &base, &options(Profile::Desktop)).await;
    assert_eq!(desktop.error, None, "{desktop:?}");
    // Lighthouse's desktop preset applies no network throttling (profile.rs `PROFILES`)
    assert!(desktop.fcp_ms.unwrap() + 400.0 < slow_fcp, "{desktop:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_profile_sets_the_viewport_and_device_pixel_ratio() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let base = serve().await;
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    for (profile, expected, agent) in [
        (
            Profile::Mobile,
            serde_json::json!([412, 823, 1.75]),
            "moto g power (2022)",
        ),
        (
            Profile::Desktop,
            serde_json::json!([1350, 940, 1]),
            "Macintosh",
        ),
    ] {
        let session = Session::start(&driver, Duration::from_secs(15))
            .await
            .unwrap();
        session.apply(profile).await.unwrap();
        session.client().goto(base.as_str()).await.unwrap();
        let seen = session
            .client()
            .execute("return [innerWidth, innerHeight, devicePixelRatio]", vec![])
            .await
            .unwrap();
        assert_eq!(seen, expected, "{profile}");
        // Lighthouse's emulated user agent, with the host's milestone
        let ua = session
            .client()
            .execute("return navigator.userAgent", vec![])
            .await
            .unwrap();
        let ua = ua.as_str().unwrap_or_default();
        assert!(
            ua.contains(agent) && !ua.contains("Chrome/136."),
            "{profile}: {ua}"
        );
        session.close().await.unwrap();
    }
    // an unknown CDP command is an error naming it, not a hang
    let session = Session::start(&driver, Duration::from_secs(15))
        .await
        .unwrap();
    let err = session
        .cdp("Kiemdinh.noSuchCommand", serde_json::json!({}))
        .await
        .unwrap_err();
    assert!(err.to_string().contains("Kiemdinh.noSuchCommand"), "{err}");
    session.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_page_that_never_loads_is_an_error_within_the_timeout_and_the_run_goes_on() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let base = serve().await;
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let never = MeasureOptions {
        load_timeout: Duration::from_secs(3),
        ..options(Profile::None)
    };
    let started = Instant::now();
    let run = measure::page(&driver, &base.join("never").unwrap(), &never).await;
    let took = started.elapsed();
    eprintln!("{took:?} {:?}", run.error);
    assert!(run.error.is_some(), "{run:?}");
    assert_eq!(run.fcp_ms, None);
    // load timeout + session start and close, far below the page's 120 s
    assert!(took < Duration::from_secs(20), "{took:?}");
    let next = measure::page(&driver, &base, &options(Profile::None)).await;
    assert_eq!(next.error, None, "the driver still works: {next:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_crashed_tab_is_an_error() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let crash = Url::parse("chrome://crash").unwrap();
    let started = Instant::now();
    let run = measure::page(&driver, &crash, &options(Profile::None)).await;
    eprintln!("{:?}", run.error);
    assert!(run.error.is_some(), "{run:?}");
    assert!(started.elapsed() < Duration::from_secs(40));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_browser_process_outlives_the_driver_even_after_a_panic() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let (driver, session, profile, port_flag) = driver_and_session().await;
    assert!(Path::new(&profile).is_dir());
    // the check can fail: before the drop, both are running
    assert!(
        !processes_with(&profile).is_empty(),
        "chromium with `{profile}`"
    );
    assert!(
        !processes_with(&port_flag).is_empty(),
        "chromedriver `{port_flag}`"
    );
    // a task panics while holding both, without closing anything
    let outcome = tokio::spawn(async move {
        let _driver = driver;
        let _session = session;
        panic!("a probe bug");
    })
    .await;
    assert!(outcome.unwrap_err().is_panic());
    assert_eq!(
        gone_within_5s(&profile, &port_flag).await,
        (vec![], vec![]),
        "processes left behind"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn killing_the_process_group_ends_driver_and_browser_before_the_drop() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let (driver, session, profile, port_flag) = driver_and_session().await;
    assert!(
        !processes_with(&profile).is_empty(),
        "chromium with `{profile}`"
    );
    let group = driver.process_group().expect("a local driver has a group");
    group.kill();
    assert_eq!(
        gone_within_5s(&profile, &port_flag).await,
        (vec![], vec![]),
        "processes left behind"
    );
    // closing a session whose driver is gone does not hang (fantoccini reports it as closed),
    // and a second kill is harmless
    let started = Instant::now();
    let _ = session.close().await;
    assert!(started.elapsed() < Duration::from_secs(16));
    group.kill();
    drop(driver);
}

/// A WebDriver endpoint that says it is ready and then never answers: the hung-driver case.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hung_driver_gives_an_error_within_the_budget() {
    let app = Router::new()
        .route(
            "/status",
            get(|| async { r#"{"value":{"ready":true,"message":"ok"}}"# }),
        )
        .fallback(|| async {
            tokio::time::sleep(Duration::from_secs(120)).await;
            "{}"
        });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await });
    let url = Url::parse(&format!("http://{address}")).unwrap();
    let driver = Driver::connect(&url, Duration::from_secs(5)).await.unwrap();
    assert!(!driver.is_local());
    assert_eq!(driver.url().as_str(), format!("http://{address}/"));
    let budget = MeasureOptions {
        command_timeout: Duration::from_secs(1),
        ..options(Profile::None)
    };
    let started = Instant::now();
    let run = measure::page(&driver, &url, &budget).await;
    assert!(started.elapsed() < Duration::from_secs(5));
    let error = run.error.expect("an error");
    assert!(
        error.contains("new session") && error.contains("1000 ms"),
        "{error}"
    );
    let err = Session::start(&driver, Duration::from_millis(200))
        .await
        .unwrap_err();
    assert!(matches!(err, BrowserError::Timeout { .. }), "{err:?}");
}

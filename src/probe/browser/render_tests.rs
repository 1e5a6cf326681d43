//! The rendering pass in a real Chromium: facts from the DOM a script built, the 360 px view,
//! and EMC tracker requests stopped in the browser — the tracker's server never sees them;
//! the axe-core audit, and pages that break it (it throws, it hangs) without stopping the run.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::{any, get};

use super::driver::{Driver, LaunchOptions};
use super::render::{RenderOptions, Renderer, Target, Viewport};
use super::tests::{SERIAL, browser_present};

/// A page whose body is built by a script, with the EMC embed pointing at `emc.localhost`
/// (Chromium resolves `*.localhost` to loopback, so the tracker would be this very server).
fn page(port: u16) -> String {
    format!(
        "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Cổng</title>\
         <meta name=viewport content='width=device-width, initial-scale=1'>\
         <script>var _govaq = window._govaq || []; _govaq.push(['trackPageView']);\
         _govaq.push(['trackDVC', '1.00101', 'Nộp hồ sơ']);\
         _govaq.push(['setTrackerUrl', 'http://emc.localhost:{port}/emc/tracking']);\
         (function(){{var g=document.createElement('script');g.async=true;\
         g.src='http://emc.localhost:{port}/emc/embed/gov-tracking.min.js';\
         document.head.appendChild(g);navigator.sendBeacon('http://emc.localhost:{port}/emc/tracking','pv');}})();\
         </script></head><body><div id=app></div><script>\
         document.getElementById('app').innerHTML = '<header id=top><h1>Cổng dịch vụ công</h1>\
         <nav><ul><li><a href=\"/\">Trang chủ</a></li><li><a href=\"/thu-tuc\">Thủ tục</a></li></ul></nav></header>\
         <main><p>Thủ tục hành chính</p><table style=\"width:1200px\"><tr><td>rộng</td></tr></table></main>\
         <footer><p>UBND tỉnh Mẫu</p></footer>';</script></body></html>"
    )
}

/// A page that pins its own `window.axe` (claiming the vendored version) whose `run` does
/// `body`: the injected audit cannot replace it.
fn fake_axe(body: &str) -> String {
    format!(
        "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Giả</title><script>\
         Object.defineProperty(window, 'axe', {{ value: {{ version: '{}', run() {{ {body} }} }}, \
         writable: false, configurable: false }});</script></head><body><main><h1>Trang</h1>\
         <a href=\"/\">Trang chủ</a></main></body></html>",
        super::axe::AXE_VERSION
    )
}

async fn serve(hits: Arc<AtomicUsize>) -> u16 {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new()
        .route("/", get(move || async move { Html(page(port)) }))
        .route(
            "/axe-throws",
            get(|| async { Html(fake_axe("throw new Error('boom')")) }),
        )
        .route(
            "/axe-hangs",
            get(|| async { Html(fake_axe("return new Promise(() => {})")) }),
        )
        .route(
            "/emc/{*rest}",
            any(|State(hits): State<Arc<AtomicUsize>>| async move {
                hits.fetch_add(1, Ordering::SeqCst);
                ""
            }),
        )
        .with_state(hits);
    tokio::spawn(async move { axum::serve(listener, app).await });
    port
}

#[tokio::test]
async fn a_script_built_page_is_rendered_and_the_tracker_never_reached() {
    if !browser_present() {
        return;
    }
    let _one = SERIAL.lock().await;
    let hits = Arc::new(AtomicUsize::new(0));
    let port = serve(hits.clone()).await;
    let dir = tempfile::tempdir().unwrap();
    let options = RenderOptions {
        page_timeout: Duration::from_secs(20),
        command_timeout: Duration::from_secs(15),
        settle: Duration::from_millis(150),
        tracker_hosts: vec!["emc.localhost".into()],
        queue: "_govaq".into(),
        screenshots: Some(dir.path().to_path_buf()),
        screenshot_prefix: "browser/pages/".into(),
        session: super::SessionOptions::default(),
    };
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let url = format!("http://127.0.0.1:{port}/");
    let target = Target {
        url: &url,
        http: None,
        index: 7,
    };
    let desktop = Renderer::open(&driver, Viewport::Desktop, &options)
        .await
        .unwrap();
    let (view, dom, hung) = desktop.view(&target).await;
    assert!(!hung);
    desktop.close().await;
    let mobile = Renderer::open(&driver, Viewport::Mobile, &options)
        .await
        .unwrap();
    let (small, _, _) = mobile.view(&target).await;
    mobile.close().await;
    drop(driver);

    assert_eq!(view.error, None);
    let dom = dom.expect("the desktop pass reads the DOM");
    let audit = dom.accessibility.clone().expect("the desktop pass audits");
    assert_eq!(audit.error, None);
    assert_eq!(audit.axe_version, "4.13.0");
    assert!(audit.passes > 0, "{audit:?}");
    let facts = dom.facts.expect("facts");
    assert!(
        facts.header.is_some() && facts.footer.is_some(),
        "built by the script"
    );
    assert!(facts.links.iter().any(|l| l.text == "Thủ tục"));
    let header = view
        .boxes
        .iter()
        .find(|b| b.part == crate::observation::Part::Header);
    assert!(
        header.is_some_and(|b| b.found && b.visible && b.width > 1000.0),
        "{:?}",
        view.boxes
    );
    assert_eq!(
        view.screenshot.as_deref(),
        Some("browser/pages/007-desktop.jpg")
    );
    assert!(dir.path().join("007-desktop.jpg").is_file());
    assert!(dir.path().join("007-mobile.jpg").is_file());

    // 360 px: the viewport meta applies and the wide table makes the page scroll sideways.
    assert_eq!(small.width, 360);
    assert!(
        small
            .viewport_meta
            .as_deref()
            .is_some_and(|m| m.contains("device-width"))
    );
    assert!(small.scroll_width.is_some_and(|w| w > 1000), "{small:?}");
    assert!(
        small
            .overflowing
            .iter()
            .any(|o| o.element.starts_with("table")),
        "{small:?}"
    );

    // The page tried the tracker three ways; the browser stopped every request.
    let t = dom.tracker;
    let kinds: Vec<&str> = t
        .requests
        .iter()
        .map(|r| r.resource_type.as_str())
        .collect();
    assert!(
        kinds.contains(&"Script") && kinds.contains(&"Ping"),
        "{kinds:?}"
    );
    assert!(t.requests.iter().all(|r| r.blocked), "{:?}", t.requests);
    let queue = t.queue.expect("the queue was read");
    assert!(queue.contains(&serde_json::json!(["trackDVC", "1.00101", "Nộp hồ sơ"])));
    assert_eq!(
        hits.load(Ordering::SeqCst),
        0,
        "nothing reached the tracker"
    );
}

#[tokio::test]
async fn a_page_that_breaks_axe_records_an_error_and_the_run_goes_on() {
    if !browser_present() {
        return;
    }
    let _one = SERIAL.lock().await;
    let port = serve(Arc::new(AtomicUsize::new(0))).await;
    let options = RenderOptions {
        page_timeout: Duration::from_secs(20),
        command_timeout: Duration::from_secs(15),
        settle: Duration::from_millis(50),
        tracker_hosts: Vec::new(),
        queue: "_govaq".into(),
        screenshots: None,
        screenshot_prefix: String::new(),
        session: super::SessionOptions::default(),
    };
    let driver = Driver::launch(&LaunchOptions::default()).await.unwrap();
    let desktop = Renderer::open(&driver, Viewport::Desktop, &options)
        .await
        .unwrap();
    let throws = format!("http://127.0.0.1:{port}/axe-throws");
    let (view, dom, hung) = desktop
        .view(&Target {
            url: &throws,
            http: None,
            index: 0,
        })
        .await;
    // The page is rendered and its facts kept; only the audit failed.
    assert!(!hung);
    assert_eq!(view.error, None);
    let dom = dom.expect("rendered");
    assert!(dom.facts.is_some_and(|f| f.main.is_some()));
    let audit = dom.accessibility.expect("an audit record");
    assert!(
        audit
            .error
            .as_deref()
            .is_some_and(|e| e.contains("could not run")),
        "{audit:?}"
    );
    desktop.close().await;
    // A run that never answers is cut at the budget (short here; 10 s in the probe).
    let session = super::Session::start(&driver, Duration::from_secs(20))
        .await
        .unwrap();
    let hangs = format!("http://127.0.0.1:{port}/axe-hangs");
    session.client().goto(&hangs).await.unwrap();
    let began = std::time::Instant::now();
    let answer = session
        .client()
        .execute_async(&super::axe::script(), super::axe::args(500))
        .await
        .unwrap();
    let audit = super::axe::read(&answer);
    assert!(began.elapsed() < Duration::from_secs(5));
    assert!(
        audit
            .error
            .as_deref()
            .is_some_and(|e| e.contains("within 500 ms")),
        "{audit:?}"
    );
    // An ordinary page in the same session: the real axe-core replaces nothing and runs.
    session
        .client()
        .goto(&format!("http://127.0.0.1:{port}/"))
        .await
        .unwrap();
    let answer = session
        .client()
        .execute_async(&super::axe::script(), super::axe::args(10_000))
        .await
        .unwrap();
    assert_eq!(super::axe::read(&answer).error, None);
    session.close().await.unwrap();
    drop(driver);
}

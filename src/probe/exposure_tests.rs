//! The exposure probe against the reference portal (every theme, clean and with each exposure
//! defect), a soft-404 portal, and hostile servers (slow, huge, reset): verdicts, the number
//! of requests, and bounded time.

use std::time::{Duration, Instant};

use axum::Router;
use axum::response::Html;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::*;
use crate::checklist::Checklist;
use crate::demo::{Defects, THEMES, Theme};
use crate::evaluation::{Status, Verdict};
use crate::input::Source;
use crate::observation::Observations;

/// The pages the HTTP plan fetches before this probe (the home page, the not-found probe,
/// `security.txt`, the administration paths…), without the crawl.
async fn planned(fetcher: &Fetcher, scenario: &Scenario) -> Vec<Page> {
    let urls = crate::probe::http::plan(scenario)
        .into_iter()
        .filter(|(_, r)| r != &[Role::HttpEntry])
        .map(|(u, r)| (u, r, None))
        .collect();
    fetch_pages(fetcher, scenario, urls, &|_| {}).await
}

fn verdicts(scenario: &Scenario, pages: Vec<Page>) -> [Verdict; 3] {
    let obs = Observations {
        base_url: scenario.base_url.to_string(),
        started_at: crate::now_rfc3339(),
        pages,
        ..Observations::default()
    };
    let c = Checklist::resolve("tt21-2023").unwrap();
    ["SEC-7", "SEC-8", "SEC-9"].map(|id| crate::judge::judge(c.get(id).unwrap(), &obs))
}

/// Runs the plan's pages and this probe against a running demo portal: the verdicts and how
/// many requests this probe sent.
async fn assess_demo(theme: Theme, defects: &[&str]) -> ([Verdict; 3], u64) {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    let portal = crate::demo::start_themed(0, 0, Defects::parse(&names).unwrap(), theme)
        .await
        .unwrap();
    let s = portal.scenario().unwrap();
    let fetcher = Fetcher::new(&s).unwrap();
    let mut pages = planned(&fetcher, &s).await;
    let before = portal.requests();
    run(&fetcher, &s, &mut pages, &|_| {}).await;
    let sent = portal.requests() - before;
    (verdicts(&s, pages), sent)
}

fn show(v: &Verdict) -> String {
    format!(
        "{} {:?}: {} | {}",
        v.id, v.status, v.observed.en, v.message.en
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_clean_portal_passes_in_every_theme_within_the_request_budget() {
    for (name, _) in THEMES {
        let theme = Theme::parse(name).unwrap();
        let ([sec7, sec8, sec9], sent) = assess_demo(theme, &[]).await;
        for v in [&sec7, &sec8, &sec9] {
            assert_eq!(v.status, Status::Pass, "{name}: {}", show(v));
        }
        assert!(
            sec7.observed.en.contains("asset folders"),
            "{}",
            show(&sec7)
        );
        assert!(sent > 0, "{name}: the probe asked something");
        // The documented maximum; paths the plan already fetched are not asked again.
        assert!(
            sent <= max_requests() as u64,
            "{name}: {sent} requests > {}",
            max_requests()
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_exposure_defect_fails_its_requirement_in_every_theme() {
    for (name, _) in THEMES {
        let theme = Theme::parse(name).unwrap();
        let ([sec7, sec8, _], _) = assess_demo(theme, &["dir-listing"]).await;
        assert_eq!(sec7.status, Status::Fail, "{name}: {}", show(&sec7));
        assert!(
            sec7.observed.en.contains("directory listing at"),
            "{}",
            show(&sec7)
        );
        assert_eq!(sec8.status, Status::Pass, "{name}: {}", show(&sec8));
        let ([sec7, _, _], _) = assess_demo(theme, &["git-exposed"]).await;
        assert_eq!(sec7.status, Status::Fail, "{name}: {}", show(&sec7));
        assert!(sec7.observed.en.contains("/.git/HEAD"), "{}", show(&sec7));
        assert!(sec7.observed.en.contains("/.git/config"), "{}", show(&sec7));
        let ([_, _, sec9], sent) = assess_demo(theme, &["no-security-txt"]).await;
        assert_eq!(sec9.status, Status::Fail, "{name}: {}", show(&sec9));
        assert!(
            sent <= max_requests() as u64,
            "with the legacy /security.txt"
        );
    }
}

/// A scenario for a plain-HTTP fixture on `addr`.
fn fixture_scenario(addr: std::net::SocketAddr, timeout_ms: u64) -> Scenario {
    Scenario::from_source(&Source {
        path: "s.toml".into(),
        text: format!(
            "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
             base-url = \"http://{addr}/\"\nhttp-url = \"http://{addr}/\"\n[pages]\ntimeout-ms = {timeout_ms}\n"
        ),
    })
    .unwrap()
}

async fn serve(app: Router) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(l, app).await });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_soft_404_portal_is_not_exposed() {
    // Every path answers 200 with the home page, asset folders included.
    let home = "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Cổng DVC</title>\
                <link rel=stylesheet href=/static/site.css><script src=/assets/js/app.js></script></head>\
                <body><h1>Cổng dịch vụ công</h1><p>Ref: refs/heads/main [core] APP_KEY=x</p></body></html>";
    let app = Router::new().fallback(move || async move { Html(home) });
    let addr = serve(app).await;
    let s = fixture_scenario(addr, 3000);
    let fetcher = Fetcher::new(&s).unwrap();
    let mut pages = planned(&fetcher, &s).await;
    run(&fetcher, &s, &mut pages, &|_| {}).await;
    let listing = pages
        .iter()
        .filter(|p| p.roles.contains(&Role::Exposure(LISTING.into())))
        .count();
    assert_eq!(listing, 2, "both asset folders asked");
    let [sec7, sec8, sec9] = verdicts(&s, pages);
    assert_eq!(sec7.status, Status::Pass, "{}", show(&sec7));
    assert_eq!(sec8.status, Status::Pass, "{}", show(&sec8));
    assert!(sec8.observed.en.contains("(soft 404)"), "{}", show(&sec8));
    assert_eq!(sec9.status, Status::Fail, "an HTML page is no security.txt");
}

/// A server that reads each request, then misbehaves: `slow` never answers, `huge` streams an
/// endless 200 body, `reset` closes the connection at once.
async fn hostile(kind: &'static str) -> std::net::SocketAddr {
    let l = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = l.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = l.accept().await {
            tokio::spawn(async move {
                let mut buf = [0u8; 4096];
                let _ = sock.read(&mut buf).await;
                match kind {
                    "slow" => tokio::time::sleep(Duration::from_secs(30)).await,
                    "huge" => {
                        let head =
                            "HTTP/1.1 200 OK\r\ncontent-type: application/octet-stream\r\n\r\n";
                        if sock.write_all(head.as_bytes()).await.is_err() {
                            return;
                        }
                        let chunk = vec![b'x'; 64 * 1024];
                        for _ in 0..4096 {
                            if sock.write_all(&chunk).await.is_err() {
                                return;
                            }
                        }
                    }
                    _ => drop(sock),
                }
            });
        }
    });
    addr
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn hostile_servers_give_errors_in_bounded_time() {
    for kind in ["slow", "huge", "reset"] {
        let addr = hostile(kind).await;
        let s = fixture_scenario(addr, 1500);
        let fetcher = Fetcher::new(&s).unwrap();
        let started = Instant::now();
        let mut pages = planned(&fetcher, &s).await;
        run(&fetcher, &s, &mut pages, &|_| {}).await;
        let took = started.elapsed();
        assert!(took < Duration::from_secs(40), "{kind}: {took:?}");
        let [sec7, sec8, sec9] = verdicts(&s, pages);
        for v in [&sec7, &sec8, &sec9] {
            assert!(
                matches!(v.status, Status::Error | Status::Fail),
                "{kind}: {}",
                show(v)
            );
            assert_ne!(v.status, Status::Pass);
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_provoked_400_with_a_traceback_fails_sec_7_and_a_generic_one_passes() {
    for leaky in [true, false] {
        let app = Router::new().fallback(move |uri: axum::http::Uri| async move {
            let bad = uri.to_string().contains("%zz");
            let body = match (bad, leaky) {
                (true, true) => "<html><head><title>400</title></head><body><pre>Traceback (most recent call last):\n  File \"/srv/app/views.py\", line 12, in search\nValueError</pre></body></html>",
                (true, false) => "<html><head><title>400</title></head><body><h1>Yêu cầu không hợp lệ</h1></body></html>",
                _ => "<html><head><title>Không tìm thấy</title></head><body><h1>Không tìm thấy</h1></body></html>",
            };
            let status = if bad {
                axum::http::StatusCode::BAD_REQUEST
            } else {
                axum::http::StatusCode::NOT_FOUND
            };
            (status, Html(body))
        });
        let addr = serve(app).await;
        let s = fixture_scenario(addr, 3000);
        let fetcher = Fetcher::new(&s).unwrap();
        let mut pages = planned(&fetcher, &s).await;
        run(&fetcher, &s, &mut pages, &|_| {}).await;
        let [sec7, _, _] = verdicts(&s, pages);
        if leaky {
            assert_eq!(sec7.status, Status::Fail, "{}", show(&sec7));
            assert!(sec7.observed.en.contains("Traceback"), "{}", show(&sec7));
            assert!(sec7.observed.en.contains("HTTP 400"), "{}", show(&sec7));
        } else {
            assert_eq!(sec7.status, Status::Pass, "{}", show(&sec7));
            assert!(
                sec7.observed
                    .en
                    .contains("malformed % escape \u{2192} HTTP 400"),
                "{}",
                show(&sec7)
            );
        }
    }
}

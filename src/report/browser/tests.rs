//! The browser section of the HTML and Markdown reports: present with its facts, escaped,
//! bounded, absent when no browser run is recorded.

use super::*;
use crate::evaluation::{Evaluation, FailOn, PortalInfo};
use crate::observation::{
    BrowserRun, Fetch, FilmFrame, Filmstrip, MetricRun, Page, Rendered, Role, TtfbDefinition, View,
};

const BASE: &str = "https://dvc.mau.gov.vn/";
const SHELL: &str = "<html><head><title>&lt;script&gt;alert(1)&lt;/script&gt;</title></head><body><div id=app></div><script src=/app.js></script></body></html>";
const FULL: &str = "<html><body><header>Ủy ban nhân dân tỉnh Mẫu<nav><a href=/>Trang chủ</a><a href=/a>A</a><a href=/b>B</a><a href=/c>C</a></nav></header><main>Danh mục thủ tục hành chính của tỉnh, tra cứu hồ sơ, thống kê.<a href=/d>D</a><a href=/e>E</a><a href=/f>F</a><a href=/g>G</a><a href=/h>H</a></main><footer>© UBND tỉnh Mẫu</footer></body></html>";

fn facts(html: &str) -> HtmlFacts {
    crate::probe::html::extract(html, &url::Url::parse(BASE).unwrap())
}

fn page(path: &str) -> Page {
    let url = format!("{BASE}{path}");
    Page {
        url: url.clone(),
        roles: vec![Role::Sample],
        depth: Some(1),
        fetch: Fetch {
            status: Some(200),
            final_url: url,
            headers: vec![("content-type".into(), "text/html".into())],
            html: Some(facts(SHELL)),
            ..Fetch::default()
        },
    }
}

/// A JavaScript-built portal: every page an empty shell over HTTP, full once rendered.
fn spa(pages: usize) -> Observations {
    let mut o = Observations {
        version: crate::observation::OBSERVATIONS_VERSION,
        base_url: BASE.into(),
        pages: (0..pages).map(|i| page(&format!("p{i}"))).collect(),
        ..Observations::default()
    };
    for (i, p) in o.pages.iter().enumerate() {
        let shot = |w| View {
            width: w,
            screenshot: Some(format!("screenshots/p{i}-{w}.png")),
            ..View::default()
        };
        o.rendered.insert(
            p.url.clone(),
            Rendered {
                html: Some(facts(FULL)),
                desktop: Some(shot(1280)),
                mobile: Some(shot(360)),
                ..Rendered::default()
            },
        );
    }
    let runs: Vec<MetricRun> = [1000.0, 1200.0, 5000.0]
        .iter()
        .map(|&f| MetricRun {
            ttfb_ms: Some(200.0),
            fcp_ms: Some(f),
            lcp_ms: Some(f + 500.0),
            speed_index_ms: Some(f + 800.0),
            cls: Some(0.02),
            ..MetricRun::default()
        })
        .collect();
    o.page_metrics = vec![PageMetrics::from_runs(
        BASE,
        ThrottlingProfile::Mobile,
        TtfbDefinition::NavigationResponseStart,
        runs,
    )];
    o.browser = Some(BrowserRun {
        status: BrowserStatus::Ran,
        reason: None,
        browser_version: Some("Chromium 156.0".into()),
        webdriver: Some("chromedriver (local)".into()),
        profile: ThrottlingProfile::Mobile,
        runs: 3,
        timed_pages: vec![BASE.into()],
        rendered_pages: u32::try_from(pages).unwrap(),
        not_rendered: 0,
        filmstrip: Some(Filmstrip {
            url: BASE.into(),
            profile: ThrottlingProfile::Mobile,
            frames: vec![
                FilmFrame {
                    ts_ms: 0.0,
                    path: "filmstrip/0.jpg".into(),
                },
                FilmFrame {
                    ts_ms: 850.4,
                    path: "filmstrip/1.jpg".into(),
                },
                FilmFrame {
                    ts_ms: 900.0,
                    path: "javascript:alert(1)".into(),
                },
            ],
        }),
    });
    o
}

fn evaluation(o: Observations) -> Evaluation {
    Evaluation::new(
        PortalInfo {
            name: "Cổng <b>Mẫu</b>".into(),
            organisation: "UBND tỉnh Mẫu".into(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: BASE.into(),
            public_host: "dvc.mau.gov.vn".into(),
        },
        &[],
        Vec::new(),
        o,
        FailOn::Mandatory,
        "2026-11-29T00:00:00Z".into(),
    )
}

#[test]
fn the_http_only_view_of_a_javascript_portal_shows_what_it_missed() {
    let http = facts(SHELL);
    let rendered = facts(FULL);
    let rows = disagreements(&http, &rendered, Lang::En);
    let facts: Vec<&str> = rows.iter().map(|r| r.fact.as_str()).collect();
    for f in ["header", "footer", "menu", "links", "text length"] {
        assert!(facts.contains(&f), "{f} in {facts:?}");
    }
    let menu = rows.iter().find(|r| r.fact == "menu").unwrap();
    assert_eq!(
        (menu.http.as_str(), menu.rendered.as_str()),
        ("not found", "found")
    );
    // The same page seen twice differs in nothing.
    assert!(disagreements(&rendered, &rendered, Lang::En).is_empty());
}

#[test]
fn html_report_has_the_browser_section_escaped_and_bounded() {
    let e = evaluation(spa(SHOWN_PAGES + 3));
    for lang in [Lang::Vi, Lang::En] {
        let html = crate::report::html(&e, lang).unwrap();
        assert!(html.contains("<section id=\"browser\">"), "{lang:?}");
        assert!(html.contains("Chromium 156.0"));
        assert!(html.contains("id=\"browser-metrics\""));
        assert!(
            html.contains("1200 ms (p75 3100, 1000–5000)"),
            "median, p75, spread"
        );
        assert!(html.contains("0.020 (p75 0.020, 0.020–0.020)"), "CLS");
        assert!(html.contains("<img src=\"filmstrip/1.jpg\" alt=\"850 ms\""));
        assert!(
            !html.contains("javascript:alert"),
            "a path with a scheme is dropped"
        );
        assert!(html.contains("src=\"screenshots/p0-360.png\""));
        assert!(html.contains("id=\"disagreements\""));
        assert!(html.contains("+3 "), "the pages over the bound are counted");
        assert!(!html.contains("<script>alert"), "portal text is escaped");
    }
    let en = crate::report::html(&e, Lang::En).unwrap();
    assert!(en.contains("lab, applied throttling"));
    assert!(en.contains("HTTP vs rendered"));
    let vi = crate::report::html(&e, Lang::Vi).unwrap();
    assert!(vi.contains("Trình duyệt"));
    assert!(vi.contains("giả lập mạng và CPU"));
}

#[test]
fn markdown_summary_has_the_browser_figures_and_disagreements() {
    let md = crate::report::markdown(&evaluation(spa(2)), Lang::En).unwrap();
    assert!(md.contains("### Browser"), "{md}");
    assert!(md.contains("lab, applied throttling"));
    assert!(md.contains("| 1200 ms (p75 3100, 1000–5000) |"), "{md}");
    assert!(md.contains("| text length |"), "{md}");
}

#[test]
fn a_skipped_browser_says_why_and_no_run_means_no_section() {
    let mut o = spa(1);
    o.rendered.clear();
    o.page_metrics.clear();
    let run = o.browser.as_mut().unwrap();
    run.status = BrowserStatus::Skipped;
    run.reason = Some("--no-browser <x>".into());
    run.filmstrip = None;
    let html = crate::report::html(&evaluation(o.clone()), Lang::En).unwrap();
    assert!(
        html.contains("id=\"browser-status\">skipped</span> — --no-browser &lt;x&gt;"),
        "{html}"
    );
    assert!(html.contains("No material difference"));
    o.browser = None;
    let html = crate::report::html(&evaluation(o), Lang::En).unwrap();
    assert!(!html.contains("<section id=\"browser\">"));
}

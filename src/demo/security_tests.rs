//! The header-level security defects against the live reference portal, end to end through
//! the HTTP probe, the CORS preflight and the judges: the clean portal passes SEC-2 and SEC-3
//! and scores A+ in every theme; each of `weak-cookies`, `cors-wildcard`, `cors-reflect` and
//! `csp-unsafe-inline` fails its check and moves the Observatory-compatible score by exactly
//! its modifiers; the header/CORS part sends one request (counted by the portal).

use url::Url;

use super::options::{Defects, Theme};
use super::tests::themes;
use super::{RunningPortal, start_themed};
use crate::checklist::Checklist;
use crate::evaluation::Status;
use crate::judge::security::observatory::observatory;
use crate::observation::{Observations, Page, Role};
use crate::probe::{cors, http::Fetcher};

async fn portal(theme: Theme, defects: &[&str]) -> RunningPortal {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    start_themed(0, 0, Defects::parse(&names).unwrap(), theme)
        .await
        .unwrap()
}

/// What the probe sees of the portal for the security headers: the home page, the
/// plain-HTTP entry, the login page (the session cookie), the status API, and the preflight.
async fn observe(p: &RunningPortal) -> Observations {
    let scenario = p.scenario().unwrap();
    let fetcher = Fetcher::new(&scenario).unwrap();
    let base = scenario.base_url.clone();
    let mut pages = Vec::new();
    for (url, role) in [
        (base.clone(), Role::Home),
        (scenario.http_url.clone(), Role::HttpEntry),
        (base.join("/dang-nhap").unwrap(), Role::Crawled),
        (base.join("/api/dvcqg/trang-thai").unwrap(), Role::StatusApi),
    ] {
        let fetch = fetcher.fetch(&url).await;
        pages.push(Page {
            url: url.to_string(),
            roles: vec![role],
            depth: None,
            fetch,
        });
    }
    let before = p.requests();
    let pre = cors::preflight(&fetcher, &cors::target(&base, &pages)).await;
    assert_eq!(
        usize::try_from(p.requests() - before).unwrap(),
        cors::REQUESTS,
        "the header/CORS part sends exactly its bounded requests"
    );
    Observations {
        base_url: base.to_string(),
        http_url: scenario.http_url.to_string(),
        pages,
        cors: Some(Box::new(pre)),
        ..Observations::default()
    }
}

/// SEC-2's verdict; for SEC-3 its cookie-flags check (the requirement stays pending on the
/// login part, a planned check).
fn status(id: &str, o: &Observations) -> (Status, String) {
    if id == "SEC-3" {
        let names = ["sess", "sid", "auth", "token", "jwt", "login"].map(String::from);
        let v = crate::judge::security::cookie_flags(&names, o);
        return (v.status, v.observed.en);
    }
    let c = Checklist::resolve("tt21-2023").unwrap();
    let v = crate::judge::judge(c.get(id).unwrap(), o);
    (v.status, v.observed.en)
}

fn modifier(o: &Observations, test: &str) -> (String, i32) {
    let s = observatory(o).unwrap();
    let t = s.tests.iter().find(|t| t.name == test).unwrap();
    (t.result.clone(), t.score_modifier)
}

#[tokio::test]
async fn the_clean_portal_passes_and_scores_a_plus_in_every_theme() {
    for theme in themes() {
        let p = portal(theme, &[]).await;
        let o = observe(&p).await;
        for id in ["SEC-2", "SEC-3"] {
            let (s, why) = status(id, &o);
            assert_eq!(s, Status::Pass, "{theme:?} {id}: {why}");
        }
        let s = observatory(&o).unwrap();
        assert_eq!(s.grade, "A+", "{theme:?}: {:?}", s.tests);
        assert!(s.tests.iter().all(|t| t.pass), "{theme:?}: {:?}", s.tests);
        assert_eq!(s.score, 115, "{theme:?}: {:?}", s.tests);
        let pre = &o.cors.as_ref().unwrap().fetch;
        assert!(pre.status.is_some(), "the preflight got an answer");
        assert_eq!(pre.header("access-control-allow-origin"), None);
    }
}

#[tokio::test]
async fn weak_cookies_fail_sec_3_and_cost_30() {
    let o = observe(&portal(Theme::Semantic, &["weak-cookies"]).await).await;
    let (s, why) = status("SEC-3", &o);
    assert_eq!(s, Status::Fail, "{why}");
    assert!(why.contains("dvc_session"), "{why}");
    assert_eq!(
        modifier(&o, "cookies"),
        ("cookies-session-without-httponly-flag".into(), -30)
    );
    // 100 − 30 = 70 < 90: the bonuses are dropped.
    let s = observatory(&o).unwrap();
    assert_eq!((s.score, s.grade.as_str()), (70, "B"), "{:?}", s.tests);
}

#[tokio::test]
async fn cors_wildcard_on_the_api_fails_the_cors_check_without_moving_the_score() {
    let o = observe(&portal(Theme::Semantic, &["cors-wildcard"]).await).await;
    let (s, why) = status("SEC-2", &o);
    assert_eq!(s, Status::Fail, "{why}");
    assert!(
        why.contains("`Access-Control-Allow-Origin: *` with credentials"),
        "{why}"
    );
    // Observatory preflights the home page only, and scores `*` as public access (0).
    let s = observatory(&o).unwrap();
    assert_eq!(s.score, 115);
}

#[tokio::test]
async fn cors_reflect_fails_and_costs_50() {
    let o = observe(&portal(Theme::Semantic, &["cors-reflect"]).await).await;
    let (s, why) = status("SEC-2", &o);
    assert_eq!(s, Status::Fail, "{why}");
    assert!(why.contains("reflects the arbitrary Origin"), "{why}");
    assert_eq!(
        modifier(&o, "cross-origin-resource-sharing"),
        (
            "cross-origin-resource-sharing-implemented-with-universal-access".into(),
            -50
        )
    );
    assert_eq!(observatory(&o).unwrap().score, 50);
}

#[tokio::test]
async fn csp_unsafe_inline_fails_in_every_theme_and_costs_20() {
    for theme in themes() {
        let o = observe(&portal(theme, &["csp-unsafe-inline"]).await).await;
        let (s, why) = status("SEC-2", &o);
        assert_eq!(s, Status::Fail, "{theme:?}: {why}");
        assert!(why.contains("script-src allows 'unsafe-inline'"), "{why}");
        assert_eq!(
            modifier(&o, "content-security-policy"),
            ("csp-implemented-with-unsafe-inline".into(), -20)
        );
        // 80 < 90: no bonus; frame-ancestors' +5 and the referrer's +5 are lost too.
        assert_eq!(observatory(&o).unwrap().score, 80, "{theme:?}");
    }
}

#[test]
fn the_preflight_target_is_the_home_page_after_its_redirects() {
    let base = Url::parse("https://a.vn/").unwrap();
    assert_eq!(cors::target(&base, &[]), base);
    let home = Page {
        url: base.to_string(),
        roles: vec![Role::Home],
        depth: None,
        fetch: crate::observation::Fetch {
            status: Some(200),
            final_url: "https://a.vn/trang-chu".into(),
            ..Default::default()
        },
    };
    assert_eq!(
        cors::target(&base, &[home]).as_str(),
        "https://a.vn/trang-chu"
    );
}

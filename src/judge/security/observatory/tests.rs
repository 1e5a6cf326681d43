//! The Observatory-compatible score on constructed header sets: each test's result codes,
//! the bonus rule and every grade boundary.

use super::*;
use crate::observation::{Fetch, Hop, ScriptTag};

fn resp(headers: &[(&str, &str)]) -> Response {
    let raw: Vec<(String, String)> = headers
        .iter()
        .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
        .collect();
    Response::new(200, &raw, true)
}

const GOOD: &[(&str, &str)] = &[
    ("content-type", "text/html; charset=utf-8"),
    (
        "strict-transport-security",
        "max-age=31536000; includeSubDomains",
    ),
    (
        "content-security-policy",
        "default-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
    ),
    ("x-content-type-options", "nosniff"),
    ("x-frame-options", "DENY"),
    ("referrer-policy", "strict-origin-when-cross-origin"),
];

/// A portal answering `headers` over HTTPS, redirecting plain HTTP to it, with one script.
fn site(headers: &[(&str, &str)]) -> Requests {
    let r = resp(headers);
    Requests {
        hostname: "dvc.mau.gov.vn".into(),
        auto: Some(r.clone()),
        https: Some(r),
        http: Some(resp(&[])),
        http_route: vec![
            "http://dvc.mau.gov.vn/".into(),
            "https://dvc.mau.gov.vn/".into(),
        ],
        cors: Some(resp(&[])),
        cors_origin: Some("https://kiemdinh-cors-check.invalid".into()),
        session_https: true,
        cookies: Vec::new(),
        policies: Some(MetaPolicies {
            scripts: vec![ScriptTag {
                src: "/js/app.js".into(),
                integrity: None,
            }],
            script_elements: 1,
            ..MetaPolicies::default()
        }),
    }
}

fn with(headers: &[(&str, &str)], replace: (&str, &str)) -> Requests {
    let mut h: Vec<(&str, &str)> = headers
        .iter()
        .copied()
        .filter(|(k, _)| *k != replace.0)
        .collect();
    if !replace.1.is_empty() {
        h.push(replace);
    }
    site(&h)
}

fn result_of(r: &Requests, test: &str) -> (String, bool, i32) {
    let o = score(&run(r));
    let t = o.tests.iter().find(|t| t.name == test).unwrap();
    (t.result.clone(), t.pass, t.score_modifier)
}

#[test]
fn the_grade_table_at_every_boundary() {
    let cases = [
        (135, "A+"),
        (100, "A+"),
        (99, "A"),
        (90, "A"),
        (89, "A-"),
        (85, "A-"),
        (84, "B+"),
        (80, "B+"),
        (79, "B"),
        (70, "B"),
        (69, "B-"),
        (65, "B-"),
        (64, "C+"),
        (60, "C+"),
        (59, "C"),
        (50, "C"),
        (49, "C-"),
        (45, "C-"),
        (44, "D+"),
        (40, "D+"),
        (39, "D"),
        (30, "D"),
        (29, "D-"),
        (25, "D-"),
        (24, "F"),
        (0, "F"),
        (-40, "F"),
    ];
    for (s, g) in cases {
        assert_eq!(grade(s), g, "score {s}");
    }
}

#[test]
fn a_clean_site_gets_its_bonuses() {
    let o = score(&run(&site(GOOD)));
    assert!(o.tests.iter().all(|t| t.pass), "{:?}", o.tests);
    // CSP without unsafe +5, frame-ancestors +5, referrer private +5.
    assert_eq!((o.score, o.grade.as_str()), (115, "A+"), "{:?}", o.tests);
    assert_eq!(o.tests.len(), 10);
    assert_eq!(o.tests[0].name, "content-security-policy");
}

#[test]
fn bonuses_count_only_when_the_penalties_leave_at_least_90() {
    // X-Content-Type-Options missing: −5 → 95 ≥ 90, the +15 bonuses count: 110.
    let o = score(&run(&with(GOOD, ("x-content-type-options", ""))));
    assert_eq!(o.score, 110);
    // HSTS under six months (−10) and no nosniff (−5): 85 < 90, bonuses dropped.
    let mut h: Vec<(&str, &str)> = GOOD
        .iter()
        .copied()
        .filter(|(k, _)| *k != "x-content-type-options")
        .collect();
    h.retain(|(k, _)| *k != "strict-transport-security");
    h.push(("strict-transport-security", "max-age=86400"));
    let o = score(&run(&site(&h)));
    assert_eq!((o.score, o.grade.as_str()), (85, "A-"), "{:?}", o.tests);
    // Exactly 90 after penalties: bonuses count.
    let o = score(&run(&with(
        GOOD,
        ("strict-transport-security", "max-age=86400"),
    )));
    assert_eq!(o.score, 105);
}

#[test]
fn csp_result_codes() {
    let csp = |v: &str| {
        result_of(
            &with(GOOD, ("content-security-policy", v)),
            "content-security-policy",
        )
    };
    assert_eq!(csp("").0, "csp-not-implemented");
    assert_eq!(csp("").2, -25);
    assert_eq!(
        csp("default-src 'self'; script-src 'self' 'unsafe-inline'").0,
        "csp-implemented-with-unsafe-inline"
    );
    assert_eq!(
        csp("default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-abc'").0,
        "csp-implemented-with-no-unsafe"
    );
    assert_eq!(
        csp("default-src 'self'; script-src 'self' 'unsafe-eval'").0,
        "csp-implemented-with-unsafe-eval"
    );
    assert_eq!(
        csp("default-src 'none'").0,
        "csp-implemented-with-no-unsafe-default-src-none"
    );
    assert_eq!(csp("default-src 'none'").2, 10);
    assert_eq!(
        csp("default-src 'self'; script-src 'self' http://cdn.x").0,
        "csp-implemented-with-insecure-scheme"
    );
    assert_eq!(
        csp("default-src 'self'; img-src http:").0,
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
    );
    assert_eq!(
        csp("default-src 'self'; style-src 'unsafe-inline'").0,
        "csp-implemented-with-unsafe-inline-in-style-src-only"
    );
    assert_eq!(
        csp("default-src 'self'; default-src 'none'").0,
        "csp-header-invalid"
    );
    assert_eq!(
        csp("default-src 'self'; script-src 'strict-dynamic'").0,
        "csp-header-invalid"
    );
    assert_eq!(csp("abc").0, "csp-header-invalid");
    assert_eq!(
        csp("img-src 'self'").0,
        "csp-implemented-with-unsafe-inline",
        "no script-src: all sources"
    );
    let dup = csp("default-src 'self'; report-uri /a; report-uri /b");
    assert_eq!(
        (dup.0.as_str(), dup.1, dup.2),
        ("csp-implemented-but-duplicate-directives", true, 0)
    );
    let mut ro = with(GOOD, ("content-security-policy", ""));
    ro.auto = Some(resp(&[(
        "content-security-policy-report-only",
        "default-src 'self'",
    )]));
    assert_eq!(
        result_of(&ro, "content-security-policy").0,
        "csp-not-implemented-but-reporting-enabled"
    );
}

#[test]
fn csp_in_a_meta_element_counts_but_not_its_frame_ancestors() {
    let mut r = with(GOOD, ("content-security-policy", ""));
    r.policies.as_mut().unwrap().csp = vec!["default-src 'self'".into()];
    assert_eq!(
        result_of(&r, "content-security-policy").0,
        "csp-implemented-with-no-unsafe"
    );
    r.policies.as_mut().unwrap().csp = vec!["frame-ancestors 'none'".into()];
    assert_eq!(
        result_of(&r, "content-security-policy").0,
        "csp-not-implemented"
    );
}

#[test]
fn two_policies_intersect() {
    let p = csp::parse(&[
        "script-src 'self' https://a.x".into(),
        "script-src 'self'".into(),
    ])
    .unwrap();
    assert_eq!(
        p.directives["script-src"].iter().collect::<Vec<_>>(),
        ["'self'"]
    );
}

#[test]
fn cookie_result_codes() {
    let jar = |cookies: &[&str], hsts: bool| {
        let mut r = site(GOOD);
        r.cookies = cookies.iter().map(|c| (*c).to_string()).collect();
        if !hsts {
            r.https = Some(resp(&[]));
        }
        result_of(&r, "cookies")
    };
    assert_eq!(jar(&[], true).0, "cookies-not-found");
    let good = jar(
        &["dvc_session=1; Path=/; Secure; HttpOnly; SameSite=Lax"],
        true,
    );
    assert_eq!(
        (good.0.as_str(), good.2),
        ("cookies-secure-with-httponly-sessions-and-samesite", 5)
    );
    assert_eq!(
        jar(&["dvc_session=1; Secure; HttpOnly"], true).0,
        "cookies-secure-with-httponly-sessions"
    );
    assert_eq!(
        jar(&["dvc_session=1; Path=/"], true).0,
        "cookies-session-without-httponly-flag"
    );
    assert_eq!(
        jar(&["dvc_session=1; HttpOnly"], false).0,
        "cookies-session-without-secure-flag"
    );
    assert_eq!(jar(&["dvc_session=1; HttpOnly"], false).2, -40);
    assert_eq!(
        jar(&["dvc_session=1; HttpOnly"], true).0,
        "cookies-session-without-secure-flag-but-protected-by-hsts"
    );
    assert_eq!(
        jar(&["lang=vi"], true).0,
        "cookies-without-secure-flag-but-protected-by-hsts"
    );
    assert_eq!(
        jar(&["lang=vi; Secure; SameSite=Foo"], true).0,
        "cookies-samesite-flag-invalid"
    );
    assert_eq!(
        jar(&["csrftoken=1; Secure"], true).0,
        "cookies-anticsrf-without-samesite-flag"
    );
    assert_eq!(
        jar(&["__Host-sess=1; HttpOnly"], false).0,
        "cookies-not-found",
        "the jar refuses it"
    );
}

#[test]
fn cors_result_codes() {
    let cors = |h: &[(&str, &str)]| {
        let mut r = site(GOOD);
        r.cors = Some(resp(h));
        result_of(&r, "cross-origin-resource-sharing")
    };
    assert_eq!(cors(&[]).0, "cross-origin-resource-sharing-not-implemented");
    let star = cors(&[
        ("access-control-allow-origin", "*"),
        ("access-control-allow-credentials", "true"),
    ]);
    assert_eq!(
        (star.0.as_str(), star.1, star.2),
        (
            "cross-origin-resource-sharing-implemented-with-public-access",
            true,
            0
        )
    );
    let reflect = cors(&[
        (
            "access-control-allow-origin",
            "https://kiemdinh-cors-check.invalid",
        ),
        ("access-control-allow-credentials", "true"),
    ]);
    assert_eq!(
        (reflect.0.as_str(), reflect.1, reflect.2),
        (
            "cross-origin-resource-sharing-implemented-with-universal-access",
            false,
            -50
        )
    );
    let no_cred = cors(&[(
        "access-control-allow-origin",
        "https://kiemdinh-cors-check.invalid",
    )]);
    assert_eq!(
        no_cred.0,
        "cross-origin-resource-sharing-implemented-with-restricted-access"
    );
}

#[test]
fn redirection_result_codes() {
    let route = |r: &[&str]| {
        let mut s = site(GOOD);
        s.http_route = r.iter().map(|u| (*u).to_string()).collect();
        result_of(&s, "redirection").0
    };
    assert_eq!(
        route(&["http://a.vn/", "https://a.vn/"]),
        "redirection-to-https"
    );
    assert_eq!(route(&["http://a.vn/"]), "redirection-missing");
    assert_eq!(
        route(&["http://a.vn/", "http://b.vn/"]),
        "redirection-not-to-https"
    );
    assert_eq!(
        route(&["http://a.vn/", "http://a.vn/x", "https://a.vn/"]),
        "redirection-not-to-https-on-initial-redirection"
    );
    assert_eq!(
        route(&["http://a.vn/", "https://www.a.vn/"]),
        "redirection-off-host-from-http"
    );
    let mut none = site(GOOD);
    none.http = None;
    assert_eq!(
        result_of(&none, "redirection").0,
        "redirection-not-needed-no-http"
    );
}

#[test]
fn hsts_referrer_xcto_xfo_corp_result_codes() {
    let one = |k: &str, v: &str, test: &str| result_of(&with(GOOD, (k, v)), test).0;
    let h = "strict-transport-security";
    assert_eq!(one(h, "", h), "hsts-not-implemented");
    assert_eq!(
        one(h, "max-age=100", h),
        "hsts-implemented-max-age-less-than-six-months"
    );
    assert_eq!(
        one(h, "max-age=15552000", h),
        "hsts-implemented-max-age-at-least-six-months"
    );
    assert_eq!(one(h, "max-age=1, max-age=2", h), "hsts-header-invalid");
    assert_eq!(one(h, "includeSubDomains", h), "hsts-header-invalid");
    assert_eq!(
        one(h, "max-age=abc", h),
        "hsts-implemented-max-age-at-least-six-months",
        "NaN is not < six months"
    );
    let rp = "referrer-policy";
    assert_eq!(one(rp, "unsafe-url", rp), "referrer-policy-unsafe");
    assert_eq!(one(rp, "no-referrer, bogus", rp), "referrer-policy-private");
    assert_eq!(one(rp, "bogus", rp), "referrer-policy-header-invalid");
    assert_eq!(one(rp, "", rp), "referrer-policy-not-implemented");
    let x = "x-content-type-options";
    assert_eq!(one(x, "sniff", x), "x-content-type-options-header-invalid");
    let mut no_fa = with(GOOD, ("content-security-policy", "default-src 'self'"));
    assert_eq!(
        result_of(&no_fa, "x-frame-options").0,
        "x-frame-options-sameorigin-or-deny"
    );
    no_fa.auto = Some(resp(&[("content-type", "text/html")]));
    assert_eq!(
        result_of(&no_fa, "x-frame-options").0,
        "x-frame-options-not-implemented"
    );
    let c = "cross-origin-resource-policy";
    assert_eq!(
        one(c, "same-origin", c),
        "corp-implemented-with-same-origin"
    );
    assert_eq!(one(c, "bogus", c), "corp-header-invalid");
}

#[test]
fn sri_result_codes() {
    let scripts = |s: &[(&str, Option<&str>)], host: &str| {
        let mut r = site(GOOD);
        r.hostname = host.into();
        let p = r.policies.as_mut().unwrap();
        p.scripts = s
            .iter()
            .map(|(src, i)| ScriptTag {
                src: (*src).into(),
                integrity: i.map(str::to_string),
            })
            .collect();
        p.script_elements = u32::try_from(s.len()).unwrap();
        result_of(&r, "subresource-integrity").0
    };
    assert_eq!(
        scripts(&[], "a.gov.vn"),
        "sri-not-implemented-but-no-scripts-loaded"
    );
    assert_eq!(
        scripts(&[("/a.js", None)], "a.gov.vn"),
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    );
    assert_eq!(
        scripts(&[("https://cdn.b.vn/a.js", None)], "a.gov.vn"),
        "sri-not-implemented-but-external-scripts-loaded-securely"
    );
    assert_eq!(
        scripts(&[("https://cdn.b.vn/a.js", Some("sha384-x"))], "a.gov.vn"),
        "sri-implemented-and-external-scripts-loaded-securely"
    );
    assert_eq!(
        scripts(&[("http://cdn.b.vn/a.js", None)], "a.gov.vn"),
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    );
    assert_eq!(
        scripts(&[("//cdn.b.vn/a.js", None)], "a.gov.vn"),
        "sri-not-implemented-and-external-scripts-not-loaded-securely"
    );
    assert_eq!(
        scripts(&[("https://x.a.gov.vn/a.js", None)], "a.gov.vn"),
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    );
    assert_eq!(
        scripts(&[("https://127.0.0.2/a.js", None)], "127.0.0.1"),
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin",
        "no domain on either side"
    );
    assert_eq!(registrable("dvc.mau.gov.vn").as_deref(), Some("mau.gov.vn"));
    assert_eq!(registrable("localhost"), None);
}

#[test]
fn node_folds_repeated_headers() {
    let r = resp(&[
        ("x-frame-options", "DENY"),
        ("X-Frame-Options", "DENY"),
        ("set-cookie", "a=1"),
        ("set-cookie", "b=2"),
        ("content-type", "text/html"),
        ("content-type", "text/plain"),
    ]);
    assert_eq!(r.first("x-frame-options"), Some("DENY, DENY"));
    assert_eq!(r.all("set-cookie").len(), 2);
    assert_eq!(r.first("content-type"), Some("text/html"));
}

fn page(url: &str, role: Role, fetch: Fetch) -> Page {
    Page {
        url: url.into(),
        roles: vec![role],
        depth: None,
        fetch,
    }
}

#[test]
fn the_view_is_rebuilt_from_observations() {
    let headers: Vec<(String, String)> = GOOD
        .iter()
        .map(|(k, v)| ((*k).into(), (*v).into()))
        .collect();
    let home = Fetch {
        status: Some(200),
        final_url: "https://dvc.mau.gov.vn/".into(),
        headers,
        html: Some(crate::probe::html::extract(
            "<html><head><script src=/a.js></script></head><body></body></html>",
            &url::Url::parse("https://dvc.mau.gov.vn/").unwrap(),
        )),
        ..Fetch::default()
    };
    let http = Fetch {
        status: Some(200),
        final_url: "https://dvc.mau.gov.vn/".into(),
        redirects: vec![Hop {
            url: "http://dvc.mau.gov.vn/".into(),
            status: 301,
            location: "https://dvc.mau.gov.vn/".into(),
        }],
        ..Fetch::default()
    };
    let mut o = Observations {
        base_url: "https://dvc.mau.gov.vn/".into(),
        pages: vec![
            page("https://dvc.mau.gov.vn/", Role::Home, home),
            page("http://dvc.mau.gov.vn/", Role::HttpEntry, http),
        ],
        ..Observations::default()
    };
    let s = observatory(&o).unwrap();
    assert_eq!((s.score, s.grade.as_str()), (115, "A+"), "{:?}", s.tests);
    o.pages[0].fetch.status = Some(500);
    assert_eq!(observatory(&o), None, "Observatory refuses a 500");
    o.pages.clear();
    assert_eq!(observatory(&o), None);
}

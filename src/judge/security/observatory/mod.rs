//! An MDN-HTTP-Observatory-compatible score and grade, computed from the observations the way
//! `@mdn/mdn-http-observatory` 1.4.8 computes it (`src/scanner/index.js`,
//! `src/grader/charts.js`, `src/analyzer/tests/*.js`): the ten tests in Observatory's order,
//! each test's result code and modifier from its score table, a start at 100, bonuses (positive
//! modifiers) only when the penalty-only score is at least 90, and the grade of the score
//! rounded down to a multiple of 5 (capped at 100).
//!
//! What Observatory fetches maps onto what the HTTP probe observed: its `https` and `auto`
//! responses are the home page (after redirects), its `http` response is the plain-HTTP
//! entry with its redirect chain, its CORS preflight is the run's one preflight
//! ([`crate::probe::cors`]), its `<meta>` policies and `<script>` elements come from the home
//! page's markup ([`MetaPolicies`]). Known differences (listed in
//! `benches/security-compare/README.md`): no HSTS preload list (nothing counts as preloaded),
//! cookies set on redirect hops are not seen, and the registrable domain of script hosts is
//! approximated (see [`registrable`]).

pub mod csp;
mod tests_impl;

use crate::evaluation::security::{Observatory, ObservatoryTest};
use crate::observation::{FetchErrorKind, MetaPolicies, Observations, Page, Role};

pub use tests_impl::{cookies, cors, redirection, referrer, sri, xcto, xfo};

/// The score from which bonuses count (`MINIMUM_SCORE_FOR_EXTRA_CREDIT`).
pub const MINIMUM_SCORE_FOR_EXTRA_CREDIT: i32 = 90;

/// Observatory's tests, in its order (`ALL_TESTS`).
pub const TESTS: &[&str] = &[
    "content-security-policy",
    "cookies",
    "cross-origin-resource-sharing",
    "redirection",
    "referrer-policy",
    "strict-transport-security",
    "subresource-integrity",
    "x-content-type-options",
    "x-frame-options",
    "cross-origin-resource-policy",
];

/// One response as Observatory's tests see it.
#[derive(Debug, Clone, Default)]
pub struct Response {
    /// Final status.
    pub status: u16,
    /// Headers as Node hands them over: names lowercase, a repeated header joined by `, `
    /// (`set-cookie` kept apart, the single-valued ones keep their first value).
    pub headers: Vec<(String, Vec<String>)>,
    /// Whether the certificate chain verified.
    pub verified: bool,
}

/// Node's headers whose repeats are discarded (`IncomingMessage#headers`).
const SINGLE: &[&str] = &[
    "age",
    "authorization",
    "content-length",
    "content-type",
    "etag",
    "expires",
    "from",
    "host",
    "if-modified-since",
    "if-unmodified-since",
    "last-modified",
    "location",
    "max-forwards",
    "proxy-authorization",
    "referer",
    "retry-after",
    "server",
    "user-agent",
];

impl Response {
    /// From raw header pairs, the way Node folds them.
    pub fn new(status: u16, raw: &[(String, String)], verified: bool) -> Self {
        let mut headers: Vec<(String, Vec<String>)> = Vec::new();
        for (n, v) in raw {
            let n = n.to_ascii_lowercase();
            match headers.iter_mut().find(|(k, _)| *k == n) {
                Some((_, vals)) if n == "set-cookie" => vals.push(v.clone()),
                Some(_) if SINGLE.contains(&n.as_str()) => {}
                Some((_, vals)) => {
                    let joined = format!("{}, {v}", vals[0]);
                    vals[0] = joined;
                }
                None => headers.push((n, vec![v.clone()])),
            }
        }
        Self {
            status,
            headers,
            verified,
        }
    }

    /// `getHttpHeaders`: every value (one, or the cookies).
    pub fn all(&self, name: &str) -> &[String] {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map_or(&[], |(_, v)| v.as_slice())
    }

    /// `getFirstHttpHeader`.
    pub fn first(&self, name: &str) -> Option<&str> {
        self.all(name).first().map(String::as_str)
    }
}

/// What Observatory's retriever gathered, rebuilt from the observations.
#[derive(Debug, Clone, Default)]
pub struct Requests {
    /// The host scanned.
    pub hostname: String,
    /// The page scanned: HTTPS when it answered, else plain HTTP.
    pub auto: Option<Response>,
    /// The HTTPS session's final response.
    pub https: Option<Response>,
    /// The plain-HTTP session's final response.
    pub http: Option<Response>,
    /// Every URL of the plain-HTTP session, redirects then the final one.
    pub http_route: Vec<String>,
    /// The CORS preflight's answer.
    pub cors: Option<Response>,
    /// The `Origin` the preflight sent.
    pub cors_origin: Option<String>,
    /// Whether the scanned URL is HTTPS.
    pub session_https: bool,
    /// `Set-Cookie` values the session's cookie jar received.
    pub cookies: Vec<String>,
    /// The scanned page's markup policies (HTML only).
    pub policies: Option<MetaPolicies>,
}

fn response(page: &Page) -> Option<Response> {
    let f = &page.fetch;
    Some(Response::new(f.status?, &f.headers, true))
}

/// Rebuilds Observatory's view; `None` when the portal did not answer at all.
pub fn requests(obs: &Observations) -> Option<Requests> {
    let home = obs.first_with_role(&Role::Home);
    let http_page = obs.first_with_role(&Role::HttpEntry);
    let https = home
        .filter(|p| p.fetch.final_url.starts_with("https:"))
        .and_then(response);
    let http = http_page.and_then(|p| {
        let f = &p.fetch;
        match (f.status, &f.error) {
            (Some(s), _) => Some(Response::new(s, &f.headers, true)),
            // Redirected to HTTPS whose certificate did not verify: Observatory retries without
            // verification and marks the response unverified.
            (None, Some(e)) if e.kind == FetchErrorKind::Tls && !f.redirects.is_empty() => {
                Some(Response {
                    verified: false,
                    ..Response::default()
                })
            }
            _ => None,
        }
    });
    let http_route: Vec<String> = http_page
        .map(|p| {
            let mut r: Vec<String> = p.fetch.redirects.iter().map(|h| h.url.clone()).collect();
            r.push(p.fetch.final_url.clone());
            r
        })
        .unwrap_or_default();
    let (auto, page) = match (&https, home) {
        (Some(r), Some(h)) => (Some(r.clone()), Some(h)),
        _ => (http.clone().filter(|r| r.verified), http_page),
    };
    let auto_status = auto.as_ref()?.status;
    if auto_status < 200 || (auto_status >= 400 && ![401, 403].contains(&auto_status)) {
        return None;
    }
    let session_https = https.is_some();
    let cookies = page.map_or_else(Vec::new, |p| {
        p.fetch
            .header_all("set-cookie")
            .map(str::to_string)
            .collect()
    });
    let policies = page
        .and_then(|p| p.fetch.html.as_ref())
        .and_then(|h| h.policies.clone());
    let cors = obs.cors.as_ref().and_then(|c| {
        c.fetch
            .status
            .map(|s| Response::new(s, &c.fetch.headers, true))
    });
    let hostname = url::Url::parse(&obs.base_url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string))
        .unwrap_or_default();
    Some(Requests {
        hostname,
        auto,
        https,
        http,
        http_route,
        cors,
        cors_origin: obs.cors.as_ref().map(|c| c.origin.clone()),
        session_https,
        cookies,
        policies,
    })
}

/// One test's outcome before scoring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// Result code.
    pub result: &'static str,
    /// Whether it passed.
    pub pass: bool,
}

/// The score table (`SCORE_TABLE`): each result code's modifier.
pub fn modifier(result: &str) -> i32 {
    match result {
        "csp-implemented-with-no-unsafe-default-src-none"
        | "corp-implemented-with-same-origin"
        | "corp-implemented-with-same-site" => 10,
        "csp-implemented-with-no-unsafe"
        | "cookies-secure-with-httponly-sessions-and-samesite"
        | "referrer-policy-private"
        | "hsts-preloaded"
        | "sri-implemented-and-all-scripts-loaded-securely"
        | "sri-implemented-and-external-scripts-loaded-securely"
        | "x-frame-options-implemented-via-csp" => 5,
        "redirection-off-host-from-http"
        | "cookies-without-secure-flag-but-protected-by-hsts"
        | "referrer-policy-unsafe"
        | "referrer-policy-header-invalid"
        | "sri-not-implemented-but-external-scripts-loaded-securely"
        | "x-content-type-options-not-implemented"
        | "x-content-type-options-header-invalid"
        | "corp-header-invalid" => -5,
        "csp-implemented-with-insecure-scheme-in-passive-content-only"
        | "csp-implemented-with-unsafe-eval"
        | "cookies-session-without-secure-flag-but-protected-by-hsts"
        | "redirection-not-to-https-on-initial-redirection"
        | "hsts-implemented-max-age-less-than-six-months" => -10,
        "csp-implemented-with-unsafe-inline"
        | "csp-implemented-with-insecure-scheme"
        | "cookies-without-secure-flag"
        | "cookies-samesite-flag-invalid"
        | "cookies-anticsrf-without-samesite-flag"
        | "redirection-not-to-https"
        | "redirection-missing"
        | "redirection-invalid-cert"
        | "hsts-not-implemented"
        | "hsts-header-invalid"
        | "hsts-not-implemented-no-https"
        | "hsts-invalid-cert"
        | "sri-implemented-but-external-scripts-not-loaded-securely"
        | "x-frame-options-not-implemented"
        | "x-frame-options-header-invalid"
        | "html-not-parseable" => -20,
        "csp-header-invalid"
        | "csp-not-implemented"
        | "csp-not-implemented-but-reporting-enabled" => -25,
        "cookies-session-without-httponly-flag" => -30,
        "cookies-session-without-secure-flag" => -40,
        "cross-origin-resource-sharing-implemented-with-universal-access"
        | "sri-not-implemented-and-external-scripts-not-loaded-securely" => -50,
        _ => 0,
    }
}

/// `getGradeForScore`: the grade of a score (negative scores count as 0).
pub fn grade(score: i32) -> &'static str {
    let s = score.max(0);
    match (s - s % 5).min(100) {
        100 => "A+",
        90 | 95 => "A",
        85 => "A-",
        80 => "B+",
        70 | 75 => "B",
        65 => "B-",
        60 => "C+",
        50 | 55 => "C",
        45 => "C-",
        40 => "D+",
        30 | 35 => "D",
        25 => "D-",
        _ => "F",
    }
}

/// Scores outcomes in Observatory's order: 100 plus every penalty, plus the bonuses only when
/// that is at least [`MINIMUM_SCORE_FOR_EXTRA_CREDIT`]; the score is floored at 0.
pub fn score(outcomes: &[(&str, Outcome)]) -> Observatory {
    let mut with_bonus = 100;
    let mut uncurved = 100;
    let tests: Vec<ObservatoryTest> = outcomes
        .iter()
        .map(|(name, o)| {
            let m = modifier(o.result);
            with_bonus += m;
            if m < 0 {
                uncurved += m;
            }
            ObservatoryTest {
                name: (*name).to_string(),
                result: o.result.to_string(),
                pass: o.pass,
                score_modifier: m,
            }
        })
        .collect();
    let score = if uncurved >= MINIMUM_SCORE_FOR_EXTRA_CREDIT {
        with_bonus
    } else {
        uncurved
    }
    .max(0);
    Observatory {
        score,
        grade: grade(score).to_string(),
        tests,
    }
}

/// Runs every test on Observatory's view.
pub fn run(r: &Requests) -> Vec<(&'static str, Outcome)> {
    let meta = r.policies.as_ref();
    let auto = r.auto.as_ref();
    let csp_headers: Vec<String> =
        auto.map_or_else(Vec::new, |a| a.all("content-security-policy").to_vec());
    let csp_meta: Vec<String> = meta.map_or_else(Vec::new, |m| m.csp.clone());
    let c = auto.map(|a| {
        csp::test(
            &csp_headers,
            &csp_meta,
            a.first("content-security-policy-report-only").is_some(),
            r.session_https,
        )
    });
    let hsts = tests_impl::hsts(r);
    let out = [
        c.as_ref().map_or(
            Outcome {
                result: "csp-not-implemented",
                pass: false,
            },
            |c| Outcome {
                result: c.result,
                pass: c.pass,
            },
        ),
        cookies(r, hsts.pass),
        cors(r),
        redirection(r),
        referrer(r),
        hsts,
        sri(r),
        xcto(r),
        xfo(r, c.as_ref().and_then(|c| c.data.as_ref())),
        tests_impl::corp(r),
    ];
    TESTS.iter().copied().zip(out).collect()
}

/// The Observatory-compatible score of a run; `None` when the portal did not answer (or
/// answered with a status Observatory refuses to score).
pub fn observatory(obs: &Observations) -> Option<Observatory> {
    let r = requests(obs)?;
    Some(score(&run(&r)))
}

/// The registrable domain of a host, as `tldts` gives it: `None` for an IP address or a
/// single label; else the last two labels, three under a Vietnamese or common second-level
/// public suffix (`gov.vn`, `com.vn`, `co.uk`, …) — an approximation of the Public Suffix List.
pub fn registrable(host: &str) -> Option<String> {
    const SECOND_LEVEL: &[&str] = &[
        "gov.vn",
        "com.vn",
        "edu.vn",
        "org.vn",
        "net.vn",
        "ac.vn",
        "info.vn",
        "biz.vn",
        "name.vn",
        "pro.vn",
        "health.vn",
        "int.vn",
        "co.uk",
        "gov.uk",
        "ac.uk",
        "org.uk",
        "com.au",
        "gov.au",
        "co.jp",
        "com.cn",
        "gov.cn",
    ];
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    let labels: Vec<&str> = host.split('.').filter(|l| !l.is_empty()).collect();
    if labels.len() < 2 {
        return None;
    }
    let two = labels[labels.len() - 2..].join(".");
    if SECOND_LEVEL.contains(&two.as_str()) {
        (labels.len() >= 3).then(|| labels[labels.len() - 3..].join("."))
    } else {
        Some(two)
    }
}

#[cfg(test)]
mod tests;

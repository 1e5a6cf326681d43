//! Observatory 1.4.8's tests other than CSP (`src/analyzer/tests/*.js`), each on
//! [`Requests`], in the order of their source.

use std::collections::{BTreeMap, BTreeSet};

use super::{Outcome, Requests, registrable};

fn out(result: &'static str, pass: bool) -> Outcome {
    Outcome { result, pass }
}

/// `onlyIfWorse`: the later of two results in `order` (an unlisted one counts as best).
fn worse(new: &'static str, old: Option<&'static str>, order: &[&str]) -> &'static str {
    let rank = |r: &str| order.iter().position(|x| *x == r).map_or(0, |i| i + 1);
    match old {
        Some(o) if rank(new) <= rank(o) => o,
        _ => new,
    }
}

/// JavaScript's `parseInt(s, 10)`: leading blanks, a sign, digits; `None` is `NaN`.
fn parse_int(s: &str) -> Option<i64> {
    let t = s.trim_start();
    let (neg, rest) = match t.as_bytes().first() {
        Some(b'-') => (true, &t[1..]),
        Some(b'+') => (false, &t[1..]),
        _ => (false, t),
    };
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let v: i64 = digits.get(..digits.len().min(18))?.parse().ok()?;
    Some(if neg { -v } else { v })
}

/// `strictTransportSecurityTest` (no preload list: nothing counts as preloaded).
pub fn hsts(r: &Requests) -> Outcome {
    const SIX_MONTHS: i64 = 15_552_000;
    let result = match &r.https {
        None => "hsts-not-implemented-no-https",
        Some(h) if !h.verified => "hsts-invalid-cert",
        Some(h) => match h.all("strict-transport-security").first() {
            None => "hsts-not-implemented",
            Some(v) => {
                let data: String = v.chars().take(1024).collect();
                let mut max_age: Option<Option<i64>> = None;
                for p in data.split(';').map(|p| p.trim().to_lowercase()) {
                    if let Some(rest) = p.strip_prefix("max-age=") {
                        max_age = Some(parse_int(&rest.chars().take(120).collect::<String>()));
                    }
                }
                match max_age {
                    _ if data.contains(',') => "hsts-header-invalid",
                    None => "hsts-header-invalid",
                    // NaN < SIX_MONTHS is false in JavaScript.
                    Some(Some(a)) if a < SIX_MONTHS => {
                        "hsts-implemented-max-age-less-than-six-months"
                    }
                    Some(_) => "hsts-implemented-max-age-at-least-six-months",
                }
            }
        },
    };
    out(
        result,
        result == "hsts-implemented-max-age-at-least-six-months",
    )
}

/// One cookie as `tough-cookie` keeps it.
struct Cookie {
    key: String,
    secure: bool,
    http_only: bool,
    same_site: Option<String>,
}

fn parse_cookie(raw: &str) -> Option<Cookie> {
    let mut parts = raw.split(';');
    let (key, _) = parts.next()?.split_once('=')?;
    let key = key.trim().to_string();
    if key.is_empty() {
        return None;
    }
    let mut c = Cookie {
        key,
        secure: false,
        http_only: false,
        same_site: None,
    };
    for a in parts {
        let (k, v) = a.split_once('=').map_or((a, ""), |(k, v)| (k, v));
        match k.trim().to_ascii_lowercase().as_str() {
            "secure" => c.secure = true,
            "httponly" => c.http_only = true,
            "samesite" => {
                let v = v.trim().to_ascii_lowercase();
                c.same_site = ["strict", "lax", "none"].contains(&v.as_str()).then_some(v);
            }
            _ => {}
        }
    }
    // The jar silently refuses prefixed cookies that break their prefix's rules.
    let lower = c.key.to_ascii_lowercase();
    if (lower.starts_with("__secure-") || lower.starts_with("__host-")) && !c.secure {
        return None;
    }
    Some(c)
}

fn invalid_same_site(raw: &str) -> bool {
    raw.trim().split(';').any(|p| {
        let mut kv = p.trim().split('=');
        let k = kv.next().unwrap_or("");
        let v = kv.next();
        k.trim().eq_ignore_ascii_case("samesite")
            && v.is_none_or(|v| {
                v.is_empty()
                    || !["lax", "strict", "none"].contains(&v.trim().to_lowercase().as_str())
            })
    })
}

/// `cookiesTest`; `hsts` is whether the HSTS test passed.
pub fn cookies(r: &Requests, hsts: bool) -> Outcome {
    const ORDER: &[&str] = &[
        "cookies-without-secure-flag-but-protected-by-hsts",
        "cookies-without-secure-flag",
        "cookies-session-without-secure-flag-but-protected-by-hsts",
        "cookies-samesite-flag-invalid",
        "cookies-anticsrf-without-samesite-flag",
        "cookies-session-without-httponly-flag",
        "cookies-session-without-secure-flag",
    ];
    let mut result: Option<&'static str> = None;
    let mut bump = |new| result = Some(worse(new, result, ORDER));
    if r.auto.is_some() && r.cookies.iter().any(|c| invalid_same_site(c)) {
        bump("cookies-samesite-flag-invalid");
    }
    // The jar keeps the last cookie of a name.
    let mut jar: BTreeMap<String, Cookie> = BTreeMap::new();
    for c in r.cookies.iter().filter_map(|c| parse_cookie(c)) {
        if c.key != "heroku-session-affinity" {
            jar.insert(c.key.clone(), c);
        }
    }
    if jar.is_empty() {
        return out("cookies-not-found", true);
    }
    let mut missing_same_site = false;
    for c in jar.values() {
        let key = c.key.to_lowercase();
        let session = key.contains("login") || key.contains("sess");
        let anticsrf = key.contains("csrf");
        if !c.secure && c.same_site.as_deref() == Some("none") {
            bump("cookies-samesite-flag-invalid");
        }
        if !c.secure {
            bump(if hsts {
                "cookies-without-secure-flag-but-protected-by-hsts"
            } else {
                "cookies-without-secure-flag"
            });
        }
        if anticsrf && c.same_site.is_none() {
            bump("cookies-anticsrf-without-samesite-flag");
        }
        if session && !c.secure {
            bump(if hsts {
                "cookies-session-without-secure-flag-but-protected-by-hsts"
            } else {
                "cookies-session-without-secure-flag"
            });
        }
        if session && !c.http_only {
            bump("cookies-session-without-httponly-flag");
        }
        missing_same_site |= c.same_site.is_none();
    }
    let result = result.unwrap_or(if missing_same_site {
        "cookies-secure-with-httponly-sessions"
    } else {
        "cookies-secure-with-httponly-sessions-and-samesite"
    });
    out(
        result,
        matches!(
            result,
            "cookies-not-found"
                | "cookies-secure-with-httponly-sessions-and-samesite"
                | "cookies-secure-with-httponly-sessions"
        ),
    )
}

/// `crossOriginResourceSharingTest`.
pub fn cors(r: &Requests) -> Outcome {
    let Some(acao) = r
        .cors
        .as_ref()
        .and_then(|c| c.first("access-control-allow-origin"))
    else {
        return out("cross-origin-resource-sharing-not-implemented", true);
    };
    let data: String = acao
        .chars()
        .take(256)
        .collect::<String>()
        .trim()
        .to_lowercase();
    let credentials = r
        .cors
        .as_ref()
        .and_then(|c| c.first("access-control-allow-credentials"))
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"));
    if data == "*" {
        out(
            "cross-origin-resource-sharing-implemented-with-public-access",
            true,
        )
    } else if r.cors_origin.as_deref() == Some(acao) && credentials {
        out(
            "cross-origin-resource-sharing-implemented-with-universal-access",
            false,
        )
    } else {
        out(
            "cross-origin-resource-sharing-implemented-with-restricted-access",
            true,
        )
    }
}

fn scheme_host(u: &str) -> (String, String) {
    url::Url::parse(u).map_or_else(
        |_| (String::new(), String::new()),
        |u| {
            (
                u.scheme().to_string(),
                u.host_str().unwrap_or("").to_string(),
            )
        },
    )
}

/// `redirectionTest` (no preload list).
pub fn redirection(r: &Requests) -> Outcome {
    let result = match &r.http {
        None => "redirection-not-needed-no-http",
        Some(h) if !h.verified => "redirection-invalid-cert",
        Some(_) => {
            let route: Vec<(String, String)> =
                r.http_route.iter().map(|u| scheme_host(u)).collect();
            match route.as_slice() {
                [] => "redirection-all-redirects-preloaded",
                [_] => "redirection-missing",
                [.., last] if last.0 != "https" => "redirection-not-to-https",
                [_, second, ..] if second.0 == "http" => {
                    "redirection-not-to-https-on-initial-redirection"
                }
                [first, second, ..] if first.0 == "http" && first.1 != second.1 => {
                    "redirection-off-host-from-http"
                }
                _ => "redirection-to-https",
            }
        }
    };
    out(
        result,
        matches!(
            result,
            "redirection-not-needed-no-http"
                | "redirection-all-redirects-preloaded"
                | "redirection-to-https"
        ),
    )
}

/// `referrerPolicyTest`.
pub fn referrer(r: &Requests) -> Outcome {
    const GOOD: &[&str] = &[
        "no-referrer",
        "same-origin",
        "strict-origin",
        "strict-origin-when-cross-origin",
    ];
    const BAD: &[&str] = &[
        "origin",
        "origin-when-cross-origin",
        "unsafe-url",
        "no-referrer-when-downgrade",
    ];
    let Some(auto) = &r.auto else {
        return out("referrer-policy-not-implemented", false);
    };
    let mut values: Vec<String> = auto.all("referrer-policy").to_vec();
    if let Some(m) = r.policies.as_ref().and_then(|p| p.referrer.clone()) {
        values.push(m);
    }
    if values.is_empty() {
        return out("referrer-policy-not-implemented", true);
    }
    let data = values.join(", ");
    let policy = data
        .split(',')
        .map(|e| e.trim().to_lowercase())
        .rfind(|e| GOOD.contains(&e.as_str()) || BAD.contains(&e.as_str()))
        .unwrap_or_default();
    if GOOD.contains(&policy.as_str()) {
        out("referrer-policy-private", true)
    } else if BAD.contains(&policy.as_str()) {
        out("referrer-policy-unsafe", false)
    } else {
        out("referrer-policy-header-invalid", false)
    }
}

/// `subresourceIntegrityTest`.
pub fn sri(r: &Requests) -> Outcome {
    const ORDER: &[&str] = &[
        "sri-implemented-and-all-scripts-loaded-securely",
        "sri-implemented-and-external-scripts-loaded-securely",
        "sri-implemented-but-external-scripts-not-loaded-securely",
        "sri-not-implemented-but-external-scripts-loaded-securely",
        "sri-not-implemented-and-external-scripts-not-loaded-securely",
        "sri-not-implemented-response-not-html",
    ];
    let pass = |r: &'static str| {
        out(
            r,
            matches!(
                r,
                "sri-implemented-and-all-scripts-loaded-securely"
                    | "sri-implemented-and-external-scripts-loaded-securely"
                    | "sri-not-implemented-response-not-html"
                    | "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
                    | "sri-not-implemented-but-no-scripts-loaded"
            ),
        )
    };
    let Some(auto) = &r.auto else {
        return out("sri-not-implemented-but-no-scripts-loaded", false);
    };
    let mime = auto
        .first("content-type")
        .unwrap_or("")
        .split(';')
        .next()
        .unwrap_or("");
    if !["text/html", "application/xhtml+xml"].contains(&mime) {
        return pass("sri-not-implemented-response-not-html");
    }
    let empty = super::MetaPolicies::default();
    let p = r.policies.as_ref().unwrap_or(&empty);
    let own = registrable(&r.hostname);
    let mut result: Option<&'static str> = None;
    let mut foreign = false;
    for s in &p.scripts {
        let src = s.src.as_str();
        let relative_protocol =
            src.starts_with("//") && src.as_bytes().get(2).is_some_and(|b| *b != b'/');
        let full = src.starts_with("http://") || src.starts_with("https://");
        let relative_origin = !relative_protocol && !full;
        let same_sld = if relative_protocol || relative_origin {
            true
        } else {
            registrable(&scheme_host(src).1) == own
        };
        let secure_origin = relative_origin || (same_sld && !relative_protocol);
        foreign |= !secure_origin;
        let secure_scheme =
            (full && src.starts_with("https://")) || (relative_origin && r.session_https);
        let integrity = s.integrity.is_some();
        if secure_origin {
            if integrity && secure_scheme && result.is_none() {
                result = Some("sri-implemented-and-all-scripts-loaded-securely");
            }
            continue;
        }
        let new = match (integrity, secure_scheme) {
            (true, false) => "sri-implemented-but-external-scripts-not-loaded-securely",
            (false, true) => "sri-not-implemented-but-external-scripts-loaded-securely",
            (false, false) => "sri-not-implemented-and-external-scripts-not-loaded-securely",
            (true, true) => continue,
        };
        result = Some(worse(new, result, ORDER));
    }
    if p.script_elements == 0 {
        return pass("sri-not-implemented-but-no-scripts-loaded");
    }
    pass(result.unwrap_or(if foreign {
        "sri-implemented-and-external-scripts-loaded-securely"
    } else {
        "sri-not-implemented-but-all-scripts-loaded-from-secure-origin"
    }))
}

/// `xContentTypeOptionsTest`.
pub fn xcto(r: &Requests) -> Outcome {
    let result = match r
        .auto
        .as_ref()
        .and_then(|a| a.first("x-content-type-options"))
    {
        None => "x-content-type-options-not-implemented",
        Some(v)
            if v.chars()
                .take(256)
                .collect::<String>()
                .trim()
                .eq_ignore_ascii_case("nosniff") =>
        {
            "x-content-type-options-nosniff"
        }
        Some(_) => "x-content-type-options-header-invalid",
    };
    out(result, result == "x-content-type-options-nosniff")
}

/// `xFrameOptionsTest`; `csp` is the CSP test's parsed policy (`output.data`).
pub fn xfo(r: &Requests, csp: Option<&BTreeMap<String, BTreeSet<String>>>) -> Outcome {
    let Some(auto) = &r.auto else {
        return out("x-frame-options-not-implemented", false);
    };
    let mut result = match auto.first("x-frame-options") {
        None => "x-frame-options-not-implemented",
        Some(v) => {
            let x = v
                .chars()
                .take(1024)
                .collect::<String>()
                .trim()
                .to_lowercase();
            if x == "deny" || x == "sameorigin" {
                "x-frame-options-sameorigin-or-deny"
            } else if x.starts_with("allow-from") {
                "x-frame-options-allow-from-origin"
            } else {
                "x-frame-options-header-invalid"
            }
        }
    };
    if csp.is_some_and(|d| d.contains_key("frame-ancestors")) {
        result = "x-frame-options-implemented-via-csp";
    }
    out(
        result,
        !matches!(
            result,
            "x-frame-options-not-implemented" | "x-frame-options-header-invalid"
        ),
    )
}

/// `crossOriginResourcePolicyTest` (a `<meta>` CORP is never collected by 1.4.8's retriever).
pub fn corp(r: &Requests) -> Outcome {
    let result = match r
        .auto
        .as_ref()
        .and_then(|a| a.first("cross-origin-resource-policy"))
    {
        None => "corp-not-implemented",
        Some(v) => match v
            .chars()
            .take(256)
            .collect::<String>()
            .trim()
            .to_lowercase()
            .as_str()
        {
            "same-site" => "corp-implemented-with-same-site",
            "same-origin" => "corp-implemented-with-same-origin",
            "cross-origin" => "corp-implemented-with-cross-origin",
            _ => "corp-header-invalid",
        },
    };
    out(result, result != "corp-header-invalid")
}

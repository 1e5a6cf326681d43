//! Security judges (Điều 8): HTTPS redirect, certificate, headers, information leakage,
//! security.txt.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use url::Url;

use super::{Outcome, host_in, list, no_pages, short};
use crate::checklist::check::SecurityHeader;
use crate::evaluation::EvidenceRef;
use crate::observation::{FetchErrorKind, Observations, Role};
use crate::text::Text;
use crate::tr;

/// Texts that reveal stack traces or internals (ZAP 10023/90022 style).
const LEAK_PATTERNS: &[&str] = &[
    r"Traceback \(most recent call last\)",
    r"Exception in thread",
    r"\bat [\w$.]+\([\w$]+\.java:\d+\)",
    r"\bat [\w.]+\.\w+\(.*\) in .+:line \d+",
    r"System\.[A-Za-z]+Exception",
    r"stack backtrace:",
    r"panicked at ",
    r"Fatal error: .* on line \d+",
    r"Whitelabel Error Page",
    r"SQLSTATE\[",
    r"ORA-\d{5}",
    r"<title>Index of /",
    r"\bIndex of /[^ ]* Parent Directory",
    r"Microsoft \.NET Framework Version",
];

static LEAKS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    LEAK_PATTERNS
        .iter()
        .map(|p| {
            RegexBuilder::new(p)
                .case_insensitive(true)
                .build()
                .expect("static regex")
        })
        .collect()
});

/// The first built-in leak pattern a text matches (a stack trace, a directory listing…).
pub(super) fn leak_in(text: &str) -> Option<String> {
    LEAKS.iter().find_map(|r| r.find(text)).map(|m| {
        let s = m.as_str();
        s.chars().take(60).collect()
    })
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+\.\d+").expect("static regex"));

fn parse_time(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s.trim(), &Rfc3339).ok()
}

/// SEC-1: plain HTTP answers with a redirect to HTTPS on the same host.
pub fn https_redirect(obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Truy cập HTTP được chuyển hướng (301/302/307/308) sang HTTPS cùng tên miền",
        "plain HTTP redirects (301/302/307/308) to HTTPS on the same host",
    );
    let Some(p) = obs.first_with_role(&Role::HttpEntry) else {
        return Outcome::error(
            expected,
            Text::new(
                "Chưa kiểm tra địa chỉ HTTP",
                "the HTTP entry was not fetched",
            ),
        );
    };
    let ev = [EvidenceRef::url("plain-HTTP entry", &p.url)];
    let host = Url::parse(&p.url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_string));
    if let Some(hop) = p.fetch.redirects.first() {
        let target = Url::parse(&hop.location).ok();
        let ok = target
            .as_ref()
            .is_some_and(|t| t.scheme() == "https" && t.host_str().map(str::to_string) == host);
        return Outcome::either(
            ok,
            expected,
            Text::same(format!("HTTP {} → {}", hop.status, hop.location)),
            Text::new("HTTP chuyển hướng sang HTTPS", "HTTP redirects to HTTPS"),
            Text::new(
                "HTTP chuyển hướng nhưng không sang HTTPS cùng tên miền",
                "HTTP redirects, but not to HTTPS on the same host",
            ),
        )
        .with_evidence(ev);
    }
    match (&p.fetch.status, &p.fetch.error) {
        (Some(s), _) => Outcome::fail(
            expected,
            tr!("HTTP {s}, không chuyển hướng", "HTTP {s}, no redirect"),
            Text::new(
                "Trang được phục vụ qua HTTP không mã hoá",
                "content served over plain HTTP",
            ),
        )
        .with_evidence(ev),
        // A refused HTTP port only counts against the portal when HTTPS answers.
        (None, Some(e))
            if e.kind == FetchErrorKind::Timeout
                || obs.home().is_none_or(|h| h.fetch.status.is_none()) =>
        {
            Outcome::error(
                expected,
                Text::new(
                    format!("Cổng HTTP không trả lời: {}", e.message),
                    format!("no answer on plain HTTP: {}", e.message),
                ),
            )
        }
        (None, e) => {
            let m = e.as_ref().map_or("", |e| e.message.as_str());
            Outcome::fail(
                expected,
                tr!("Không kết nối được HTTP: {m}", "plain HTTP refused: {m}"),
                Text::new(
                    "Người dùng gõ địa chỉ HTTP không được chuyển sang HTTPS",
                    "visitors typing the HTTP address are not sent to HTTPS",
                ),
            )
            .with_evidence(ev)
        }
    }
}

/// SEC-1: valid chain for the host, TLS ≥ 1.2, not expiring within `min_days`.
pub fn certificate_valid(min_days: u32, obs: &Observations) -> Outcome {
    let expected = tr!(
        "Chứng thư số hợp lệ cho tên miền, còn hạn trên {min_days} ngày; TLS 1.2 trở lên",
        "certificate valid for the host, more than {min_days} days left; TLS 1.2 or later"
    );
    let Some(tls) = &obs.tls else {
        return Outcome::fail(
            expected,
            Text::new(
                "Cổng không dùng HTTPS",
                "the portal is not served over HTTPS",
            ),
            Text::new("Không có HTTPS", "no HTTPS"),
        );
    };
    let ev = [EvidenceRef::url("TLS handshake", &obs.base_url)];
    let Some(leaf) = &tls.leaf else {
        let m = tls.error.clone().unwrap_or_else(|| "no certificate".into());
        return Outcome::error(
            expected,
            tr!("Không bắt tay TLS được: {m}", "no TLS handshake: {m}"),
        );
    };
    let days = match (parse_time(&leaf.not_after), parse_time(&tls.observed_at)) {
        (Some(end), Some(now)) => Some((end - now).whole_days()),
        _ => None,
    };
    let mut problems = Vec::new();
    if let Some(e) = &tls.verify_error {
        problems.push(tr!(
            "chứng thư không hợp lệ: {e}",
            "certificate not valid: {e}"
        ));
    }
    match days {
        Some(d) if d < i64::from(min_days) => {
            problems.push(tr!("chỉ còn {d} ngày", "expires in {d} days"));
        }
        None => problems.push(Text::new(
            "không đọc được hạn chứng thư",
            "expiry unreadable",
        )),
        _ => {}
    }
    let version = tls.version.clone().unwrap_or_default();
    if !(version.contains("1_2") || version.contains("1_3")) {
        problems.push(tr!("giao thức {version}", "protocol {version}"));
    }
    let observed = Text::same(format!(
        "{version}, {}; issuer {}; valid until {} ({} days); names {}",
        tls.cipher.clone().unwrap_or_default(),
        leaf.issuer,
        leaf.not_after,
        days.map_or_else(|| "?".into(), |d| d.to_string()),
        list(&leaf.names, 4)
    ));
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new("Chứng thư số hợp lệ", "certificate valid"),
        Text::join(&problems, "; "),
    )
    .with_evidence(ev)
}

fn hsts_max_age(v: &str) -> Option<u64> {
    v.split(';').find_map(|d| {
        let (k, val) = d.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("max-age")
            .then(|| val.trim().trim_matches('"').parse().ok())?
    })
}

/// SEC-2: security headers on every sampled HTML page.
pub fn headers(require: &[SecurityHeader], hsts_min_age: u64, obs: &Observations) -> Outcome {
    let names: Vec<&str> = require.iter().map(|h| h.as_str()).collect();
    let expected = Text::new(
        format!(
            "Mọi trang có: {} (HSTS ≥ {hsts_min_age} giây)",
            names.join(", ")
        ),
        format!(
            "every page sends: {} (HSTS ≥ {hsts_min_age} s)",
            names.join(", ")
        ),
    );
    let pages: Vec<_> = obs
        .html_pages()
        .filter(|(p, _)| p.fetch.final_url.starts_with("https://"))
        .collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let mut missing: Vec<(SecurityHeader, Vec<String>)> =
        require.iter().map(|h| (*h, Vec::new())).collect();
    let mut weak = Vec::new();
    for (p, _) in &pages {
        let f = &p.fetch;
        let csp = f.header("content-security-policy");
        for (h, bad) in &mut missing {
            let ok = match h {
                SecurityHeader::StrictTransportSecurity => {
                    match f.header("strict-transport-security").and_then(hsts_max_age) {
                        Some(age) if age >= hsts_min_age => true,
                        Some(age) => {
                            weak.push(format!("HSTS max-age={age} on {}", short(&p.url, obs)));
                            false
                        }
                        None => false,
                    }
                }
                SecurityHeader::ContentSecurityPolicy => csp.is_some_and(|c| !c.trim().is_empty()),
                SecurityHeader::XContentTypeOptions => f
                    .header("x-content-type-options")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff")),
                SecurityHeader::FrameAncestors => {
                    csp.is_some_and(|c| c.to_ascii_lowercase().contains("frame-ancestors"))
                        || f.header("x-frame-options").is_some_and(|v| {
                            let v = v.trim().to_ascii_uppercase();
                            v == "DENY" || v == "SAMEORIGIN"
                        })
                }
                SecurityHeader::ReferrerPolicy => f
                    .header("referrer-policy")
                    .is_some_and(|v| !v.trim().is_empty()),
            };
            if !ok {
                bad.push(short(&p.url, obs));
            }
        }
    }
    let n = pages.len();
    let failing: Vec<String> = missing
        .iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(h, b)| format!("{} missing on {}/{n} ({})", h.as_str(), b.len(), list(b, 3)))
        .collect();
    let first = pages[0].0;
    let seen: Vec<String> = require
        .iter()
        .filter_map(|h| {
            let name = match h {
                SecurityHeader::FrameAncestors => "x-frame-options",
                other => other.as_str(),
            };
            first.fetch.header(name).map(|v| format!("{name}: {v}"))
        })
        .collect();
    let ok_headers = missing.iter().filter(|(_, b)| b.is_empty()).count();
    let mut observed = if failing.is_empty() {
        Text::new(
            format!("Đủ trên {n} trang; {}", list(&seen, 6)),
            format!("present on all {n} pages; {}", list(&seen, 6)),
        )
    } else {
        Text::same(failing.join("; "))
    };
    if !weak.is_empty() {
        observed = observed.with(&format!("; {}", list(&weak, 2)));
    }
    Outcome::either(
        failing.is_empty(),
        expected,
        observed,
        Text::new("Đủ các tiêu đề bảo mật", "security headers present"),
        Text::new(
            format!("Thiếu {} tiêu đề bảo mật", failing.len()),
            format!("{} security headers missing", failing.len()),
        ),
    )
    .with_evidence(
        pages
            .iter()
            .take(1)
            .map(|(p, _)| EvidenceRef::url("response headers", &p.url)),
    )
    .with_credit(ok_headers as f64 / require.len().max(1) as f64)
}

/// SEC-7: no stack traces, directory listings, versions in `Server`, or `X-Powered-By`.
pub fn no_leakage(extra: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Trang lỗi chung chung (không lộ vết ngăn xếp, phiên bản), không liệt kê thư mục, không lộ `Server`/`X-Powered-By`",
        "generic error pages (no stack traces or versions), no directory listing, no verbose `Server`/`X-Powered-By`",
    );
    if obs.pages.iter().all(|p| p.fetch.status.is_none()) {
        return no_pages(expected, obs);
    }
    let patterns: Vec<Regex> = LEAK_PATTERNS
        .iter()
        .map(|s| (*s).to_string())
        .chain(extra.iter().cloned())
        .filter_map(|p| RegexBuilder::new(&p).case_insensitive(true).build().ok())
        .collect();
    let mut findings = Vec::new();
    let mut evidence = Vec::new();
    for p in obs
        .pages
        .iter()
        .filter(|p| p.fetch.status.is_some() && !p.roles.contains(&Role::HttpEntry))
    {
        let f = &p.fetch;
        let at = short(&p.url, obs);
        if let Some(s) = f.header("server").filter(|s| VERSION.is_match(s)) {
            findings.push(format!("`Server: {s}` on {at}"));
        }
        if let Some(s) = f.header("x-powered-by") {
            findings.push(format!("`X-Powered-By: {s}` on {at}"));
        }
        if let Some(s) = f.header("x-aspnet-version") {
            findings.push(format!("`X-AspNet-Version: {s}` on {at}"));
        }
        let body = f
            .html
            .as_ref()
            .map(|h| h.text.as_str())
            .or(f.text.as_deref())
            .unwrap_or("");
        let title = f
            .html
            .as_ref()
            .and_then(|h| h.title.as_deref())
            .map(|t| format!("<title>{t}"))
            .unwrap_or_default();
        if let Some(re) = patterns
            .iter()
            .find(|re| re.is_match(body) || re.is_match(&title))
        {
            let m = re
                .find(body)
                .or_else(|| re.find(&title))
                .map(|m| m.as_str().to_string())
                .unwrap_or_default();
            findings.push(format!(
                "\u{201c}{}\u{201d} on {at} (HTTP {})",
                m.chars().take(60).collect::<String>(),
                f.status.unwrap_or(0)
            ));
            evidence.push(EvidenceRef::url("internals revealed", &p.url));
        }
    }
    findings.sort();
    findings.dedup();
    let not_found = obs.first_with_role(&Role::NotFoundProbe);
    let nf = not_found
        .and_then(|p| p.fetch.status)
        .map_or_else(|| "?".to_string(), |s| s.to_string());
    Outcome::either(
        findings.is_empty(),
        expected,
        if findings.is_empty() {
            tr!(
                "Không phát hiện; trang không tồn tại trả về HTTP {nf}",
                "nothing found; a missing page answers HTTP {nf}"
            )
        } else {
            Text::same(list(&findings, 5))
        },
        Text::new("Không lộ thông tin nội bộ", "no information leakage"),
        Text::new(
            format!("Lộ thông tin nội bộ ({} phát hiện)", findings.len()),
            format!("information leakage ({} findings)", findings.len()),
        ),
    )
    .with_evidence(evidence)
}

/// SEC-9: `/.well-known/security.txt` (RFC 9116) with the required fields, not expired.
pub fn security_txt(require: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "/.well-known/security.txt có các trường {}, chưa hết hạn",
            require.join(", ")
        ),
        format!(
            "/.well-known/security.txt with {}, not expired",
            require.join(", ")
        ),
    );
    let Some(p) = obs.first_with_role(&Role::SecurityTxt) else {
        return Outcome::error(
            expected,
            Text::new("Chưa tải security.txt", "security.txt was not fetched"),
        );
    };
    let ev = [EvidenceRef::url("security.txt", &p.url)];
    let status = match (p.fetch.status, &p.fetch.error) {
        (Some(s), _) => s,
        (None, e) => {
            let m = e.as_ref().map_or("", |e| e.message.as_str());
            return Outcome::error(expected, Text::same(format!("security.txt: {m}")));
        }
    };
    let text = p.fetch.text.as_deref().unwrap_or("");
    if status != 200 || p.fetch.is_html() || text.is_empty() {
        return Outcome::fail(
            expected,
            Text::same(format!(
                "HTTP {status}, {}",
                p.fetch.header("content-type").unwrap_or("no content type")
            )),
            Text::new("Không có security.txt", "no security.txt"),
        )
        .with_evidence(ev);
    }
    let fields: Vec<(String, String)> = text
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
        .collect();
    let mut problems = Vec::new();
    for r in require {
        if !fields.iter().any(|(k, _)| k == &r.to_ascii_lowercase()) {
            problems.push(format!("no `{r}` field"));
        }
    }
    if let Some((_, exp)) = fields.iter().find(|(k, _)| k == "expires") {
        match (parse_time(exp), parse_time(&obs.started_at)) {
            (Some(e), Some(now)) if e <= now => problems.push(format!("expired on {exp}")),
            (None, _) => problems.push(format!("`Expires: {exp}` is not RFC 3339")),
            _ => {}
        }
    }
    let shown: Vec<String> = fields.iter().map(|(k, v)| format!("{k}: {v}")).collect();
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(list(&shown, 5)),
        Text::new("security.txt hợp lệ", "security.txt valid"),
        Text::same(problems.join("; ")),
    )
    .with_evidence(ev)
}

/// SEC-10: no `http:` sub-resources or form targets on HTTPS pages; scripts from other origins
/// carry Subresource Integrity.
pub fn mixed_content(require_sri: bool, obs: &Observations) -> Outcome {
    let expected = if require_sri {
        Text::new(
            "Trang HTTPS không tải tài nguyên qua http://; mã JavaScript bên thứ ba có thuộc tính integrity (SRI)",
            "HTTPS pages load nothing over http://; third-party scripts carry integrity (SRI)",
        )
    } else {
        Text::new(
            "Trang HTTPS không tải tài nguyên qua http://",
            "HTTPS pages load nothing over http://",
        )
    };
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let mut mixed = Vec::new();
    let mut no_sri = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let Ok(page) = Url::parse(&p.fetch.final_url) else {
            continue;
        };
        if page.scheme() != "https" {
            continue;
        }
        let mut flagged = false;
        for r in &h.resources {
            let Ok(u) = Url::parse(&r.url) else { continue };
            if u.scheme() == "http" {
                mixed.push(format!("{} {} on {}", r.kind, r.url, short(&p.url, obs)));
                flagged = true;
            } else if require_sri
                && r.kind == "script"
                && u.origin() != page.origin()
                && !r.integrity
            {
                no_sri.push(format!("{} on {}", r.url, short(&p.url, obs)));
                flagged = true;
            }
        }
        for f in &h.forms {
            if f.action.starts_with("http:") {
                mixed.push(format!("form → {} on {}", f.action, short(&p.url, obs)));
                flagged = true;
            }
        }
        if flagged && evidence.len() < 5 {
            evidence.push(EvidenceRef::url(short(&p.url, obs), &p.url));
        }
    }
    mixed.sort();
    mixed.dedup();
    no_sri.sort();
    no_sri.dedup();
    let observed = Text::new(
        format!(
            "{} trang: {} tài nguyên http://, {} mã bên thứ ba thiếu SRI",
            pages.len(),
            mixed.len(),
            no_sri.len()
        ),
        format!(
            "{} pages: {} http:// resources, {} third-party scripts without SRI",
            pages.len(),
            mixed.len(),
            no_sri.len()
        ),
    );
    let mut problems = Vec::new();
    if !mixed.is_empty() {
        problems.push(format!("mixed content: {}", list(&mixed, 3)));
    }
    if !no_sri.is_empty() {
        problems.push(format!("no SRI: {}", list(&no_sri, 3)));
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new(
            "Không có nội dung hỗn hợp trong mã trang",
            "no mixed content in the markup",
        ),
        tr!(
            "Tài nguyên không an toàn — {}",
            "unsafe resources — {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
}

/// SEC-8: the well-known administration paths answer 403/404 (or the site's own not-found
/// page), not a console, a login form, an auth challenge or a file.
pub fn admin_not_public(obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Các đường dẫn quản trị phổ biến (/admin, /quan-tri, /phpmyadmin/, /.env, …) không phục vụ trên tên miền công khai",
        "well-known admin paths (/admin, /quan-tri, /phpmyadmin/, /.env, …) are not served on the public host",
    );
    let probes: Vec<_> = obs.with_role(&Role::AdminProbe).collect();
    if probes.is_empty() || probes.iter().all(|p| p.fetch.status.is_none()) {
        return no_pages(expected, obs);
    }
    // A site that answers unknown paths with 200 ("soft 404") is recognised by its title.
    let soft_404 = obs
        .first_with_role(&Role::NotFoundProbe)
        .filter(|p| p.fetch.status.is_some_and(|s| (200..300).contains(&s)))
        .and_then(|p| p.fetch.html.as_ref())
        .and_then(|h| h.title.clone());
    let home = obs.home().map(|h| h.fetch.final_url.clone());
    let mut exposed = Vec::new();
    let mut evidence = Vec::new();
    for p in &probes {
        let Some(status) = p.fetch.status else {
            continue;
        };
        let at = short(&p.url, obs);
        let why = if status == 401 {
            Some("HTTP 401 (auth challenge)".to_string())
        } else if (200..300).contains(&status) {
            match &p.fetch.html {
                Some(h)
                    if h.forms
                        .iter()
                        .any(|f| f.inputs.iter().any(|i| i.kind == "password")) =>
                {
                    Some(format!("HTTP {status}, login form"))
                }
                Some(h) if h.title.is_some() && h.title == soft_404 => None,
                Some(_) if Some(&p.fetch.final_url) == home.as_ref() => None,
                Some(h) => Some(format!(
                    "HTTP {status}, “{}”",
                    h.title.clone().unwrap_or_default()
                )),
                None => Some(format!("HTTP {status}, {} bytes", p.fetch.bytes)),
            }
        } else {
            None
        };
        if let Some(w) = why {
            exposed.push(format!("{at}: {w}"));
            evidence.push(EvidenceRef::url(at, &p.url));
        }
    }
    Outcome::either(
        exposed.is_empty(),
        expected,
        Text::new(
            format!("{} đường dẫn đã thử, {} bị lộ", probes.len(), exposed.len()),
            format!("{} paths tried, {} exposed", probes.len(), exposed.len()),
        ),
        Text::new(
            "Không lộ giao diện quản trị",
            "no administration interface exposed",
        ),
        tr!(
            "Lộ giao diện quản trị: {}",
            "administration interface exposed: {}",
            list(&exposed, 4)
        ),
    )
    .with_evidence(evidence)
}

/// SEC-3 (the part visible without logging in): every cookie the portal sets over HTTPS has
/// `Secure`; session-like cookies also `HttpOnly` and `SameSite`.
pub fn cookie_flags(session_names: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Cookie đặt qua HTTPS có Secure; cookie phiên có thêm HttpOnly và SameSite",
        "cookies set over HTTPS carry Secure; session cookies also HttpOnly and SameSite",
    );
    if obs.pages.iter().all(|p| p.fetch.status.is_none()) {
        return no_pages(expected, obs);
    }
    let mut seen: Vec<String> = Vec::new();
    let mut problems: Vec<String> = Vec::new();
    let mut evidence = Vec::new();
    for p in obs
        .pages
        .iter()
        .filter(|p| p.fetch.final_url.starts_with("https:"))
    {
        for c in p.fetch.header_all("set-cookie") {
            let mut parts = c.split(';').map(str::trim);
            let name = parts
                .next()
                .and_then(|kv| kv.split('=').next())
                .unwrap_or("")
                .to_string();
            if name.is_empty() || seen.contains(&name) {
                continue;
            }
            seen.push(name.clone());
            let attrs: Vec<String> = parts.map(str::to_ascii_lowercase).collect();
            let has = |a: &str| {
                attrs
                    .iter()
                    .any(|x| x == a || x.starts_with(&format!("{a}=")))
            };
            let session = session_names
                .iter()
                .any(|s| name.to_ascii_lowercase().contains(&s.to_ascii_lowercase()));
            let mut missing = Vec::new();
            if !has("secure") {
                missing.push("Secure");
            }
            if session && !has("httponly") {
                missing.push("HttpOnly");
            }
            if session && !has("samesite") {
                missing.push("SameSite");
            }
            if !missing.is_empty() {
                problems.push(format!(
                    "`{name}` without {} ({})",
                    missing.join(", "),
                    short(&p.url, obs)
                ));
                evidence.push(EvidenceRef::url(format!("Set-Cookie {name}"), &p.url));
            }
        }
    }
    let observed = if seen.is_empty() {
        Text::new(
            "Không có cookie nào được đặt trước khi đăng nhập",
            "no cookie is set before login",
        )
    } else {
        Text::same(format!("cookies: {}", list(&seen, 6)))
    };
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new(
            "Cookie quan sát được có đủ thuộc tính bảo mật",
            "the observed cookies carry the security attributes",
        ),
        tr!(
            "Cookie thiếu thuộc tính bảo mật: {}",
            "cookies lack security attributes: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

/// PL1-1 / SSO-1: the SSO entry's redirect to the identity provider, read from the recorded
/// redirect chain (the request itself is never sent).
pub fn sso_request(idp_hosts: &[String], oidc: bool, obs: &Observations) -> Outcome {
    let mut allowed: Vec<String> = idp_hosts.to_vec();
    allowed.extend(obs.sso_idp_hosts.iter().cloned());
    let expected = if oidc {
        Text::new(
            format!(
                "Yêu cầu xác thực OpenID Connect (response_type=code, state, nonce hoặc PKCE, redirect_uri HTTPS trên tên miền cổng) gửi tới {}",
                allowed.join(", ")
            ),
            format!(
                "an OpenID Connect request (response_type=code, state, nonce or PKCE, HTTPS redirect_uri on the portal's host) to {}",
                allowed.join(", ")
            ),
        )
    } else {
        Text::new(
            format!(
                "Nút đăng nhập chuyển qua HTTPS tới nhà cung cấp định danh được phép: {}",
                allowed.join(", ")
            ),
            format!(
                "the login entry redirects over HTTPS to an allow-listed identity provider: {}",
                allowed.join(", ")
            ),
        )
    };
    let Some(entry) = obs.first_with_role(&Role::SsoEntry) else {
        if obs.html_pages().next().is_none() {
            return no_pages(expected, obs);
        }
        return Outcome::fail(
            expected,
            Text::new(
                "Không thấy liên kết đăng nhập VNeID / Cổng DVCQG",
                "no VNeID / DVCQG login link found",
            ),
            Text::new(
                "Không có lối đăng nhập một lần (khai báo `[sso] entry` nếu có)",
                "no single-sign-on entry (declare `[sso] entry` if there is one)",
            ),
        );
    };
    let evidence = [EvidenceRef::url("SSO entry", &entry.url)];
    if let Some(e) = &entry.fetch.error {
        return Outcome::error(
            expected,
            tr!(
                "Không mở được lối đăng nhập: {}",
                "the login entry failed: {}",
                e.message
            ),
        )
        .with_evidence(evidence);
    }
    // The authorisation request: the first redirect carrying OAuth parameters, else the first
    // redirect that leaves the portal.
    let portal = Url::parse(&obs.base_url).ok();
    let request = entry
        .fetch
        .redirects
        .iter()
        .filter_map(|h| Url::parse(&h.location).ok())
        .find(|u| {
            u.query_pairs()
                .any(|(k, _)| k == "response_type" || k == "client_id")
        })
        .or_else(|| {
            entry
                .fetch
                .redirects
                .iter()
                .filter_map(|h| Url::parse(&h.location).ok())
                .find(|u| portal.as_ref().is_none_or(|p| u.origin() != p.origin()))
        });
    let Some(req) = request else {
        return Outcome::fail(
            expected,
            tr!(
                "{} trả HTTP {} không chuyển hướng",
                "{} answers HTTP {} without a redirect",
                short(&entry.url, obs),
                entry.fetch.status.unwrap_or(0)
            ),
            Text::new(
                "Lối đăng nhập không chuyển tới nhà cung cấp định danh",
                "the login entry does not redirect to an identity provider",
            ),
        )
        .with_evidence(evidence);
    };
    let host = req.host_str().unwrap_or("").to_string();
    let mut problems = Vec::new();
    if req.scheme() != "https" {
        problems.push(format!("identity provider over {}", req.scheme()));
    }
    if !host_in(&host, &allowed) {
        problems.push(format!("`{host}` is not an allow-listed identity provider"));
    }
    if oidc {
        let q: std::collections::HashMap<String, String> = req.query_pairs().into_owned().collect();
        let has = |k: &str| q.get(k).is_some_and(|v| !v.trim().is_empty());
        if q.get("response_type").map(String::as_str) != Some("code") {
            problems.push("response_type is not `code`".into());
        }
        if !has("client_id") {
            problems.push("no client_id".into());
        }
        if !has("state") {
            problems.push("no state".into());
        }
        if !has("nonce") && !has("code_challenge") {
            problems.push("neither nonce nor PKCE code_challenge".into());
        }
        match q.get("redirect_uri").and_then(|r| Url::parse(r).ok()) {
            None => problems.push("no redirect_uri".into()),
            Some(r) => {
                let own = r.host_str().is_some_and(|h| {
                    h == obs.public_host || portal.as_ref().and_then(|p| p.host_str()) == Some(h)
                });
                if r.scheme() != "https" || !own {
                    problems.push(format!(
                        "redirect_uri {r} is not HTTPS on the portal's host"
                    ));
                }
            }
        }
    }
    let shown = format!("{}{}", req.origin().ascii_serialization(), req.path());
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(format!(
            "{} → {shown} ({} params)",
            short(&entry.url, obs),
            req.query_pairs().count()
        )),
        Text::new(
            "Đăng nhập một lần qua nhà cung cấp định danh được phép",
            "single sign-on through an allow-listed identity provider",
        ),
        tr!(
            "Yêu cầu đăng nhập không đạt: {}",
            "the login request fails: {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
}

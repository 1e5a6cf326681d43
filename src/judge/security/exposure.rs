//! SEC-7 no leakage of internals, SEC-8 no administration interface on the public host.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::{Observations, Role};
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
pub(crate) fn leak_in(text: &str) -> Option<String> {
    LEAKS.iter().find_map(|r| r.find(text)).map(|m| {
        let s = m.as_str();
        s.chars().take(60).collect()
    })
}

static VERSION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\d+\.\d+").expect("static regex"));

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

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    #[test]
    fn admin_paths_tolerate_soft_404_but_not_consoles_or_auth_challenges() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let soft = "<html><head><title>Không tìm thấy trang</title></head><body>Không tìm thấy</body></html>";
        let probes = |admin_status: u16, admin_html: &str| {
            obs(
                &home,
                "text/html",
                vec![
                    html_page(
                        &format!("{BASE}kiemdinh-404"),
                        Role::NotFoundProbe,
                        200,
                        soft,
                    ),
                    html_page(
                        &format!("{BASE}admin"),
                        Role::AdminProbe,
                        admin_status,
                        admin_html,
                    ),
                ],
            )
        };
        assert_eq!(
            status("SEC-8", &probes(200, soft)),
            Status::Pass,
            "soft 404"
        );
        assert_eq!(
            status("SEC-8", &probes(404, "<title>404</title>")),
            Status::Pass
        );
        assert_eq!(
            status("SEC-8", &probes(401, "")),
            Status::Fail,
            "auth challenge"
        );
        assert_eq!(
            status(
                "SEC-8",
                &probes(
                    200,
                    "<title>Dashboard</title><form><input type=password></form>"
                )
            ),
            Status::Fail
        );
    }

    #[test]
    fn sec_7_clean_pages_pass_and_a_stack_trace_or_version_fails() {
        let clean = portal(vec![html_page(
            &format!("{BASE}kiemdinh-404"),
            Role::NotFoundProbe,
            404,
            "<title>Không tìm thấy</title><p>Trang không tồn tại</p>",
        )]);
        let v = verdict("SEC-7", &clean);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let trace = portal(vec![html_page(
            &format!("{BASE}kiemdinh-404"),
            Role::NotFoundProbe,
            500,
            "<pre>java.lang.NullPointerException\n\tat vn.gov.Portal.render(Portal.java:42)</pre>",
        )]);
        assert_eq!(verdict("SEC-7", &trace).status, Status::Fail, "stack trace");
        let mut version = portal(vec![]);
        version.pages[0]
            .fetch
            .headers
            .push(("server".into(), "Apache/2.4.29 (Ubuntu)".into()));
        assert_eq!(verdict("SEC-7", &version).status, Status::Fail, "version");
    }
}

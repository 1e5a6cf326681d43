//! SEC-7 no leakage of internals, SEC-8 no administration interface on the public host.

use std::sync::LazyLock;

use regex::{Regex, RegexBuilder};

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::{Observations, Page, Role};
use crate::probe::exposure::{LIST, LISTING};
use crate::text::Text;
use crate::tr;

fn compile(patterns: &[String]) -> Vec<Regex> {
    patterns
        .iter()
        .filter_map(|p| RegexBuilder::new(p).case_insensitive(true).build().ok())
        .collect()
}

/// Texts that reveal stack traces or internals (ZAP 10023/90022 style), from
/// `data/exposure.toml`.
static LEAKS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&LIST.leakage.patterns));

/// Titles and texts of directory-listing pages, from `data/exposure.toml`.
static LISTINGS: LazyLock<Vec<Regex>> = LazyLock::new(|| compile(&LIST.listing.patterns));

/// What makes a `Server` header verbose.
static VERSION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&LIST.leakage.server_version)
        .unwrap_or_else(|_| Regex::new(r"\d+\.\d+").expect("static regex"))
});

/// The first built-in leak pattern a text matches (a stack trace, a directory listing…).
pub(crate) fn leak_in(text: &str) -> Option<String> {
    LEAKS
        .iter()
        .chain(LISTINGS.iter())
        .find_map(|r| r.find(text))
        .map(|m| {
            let s = m.as_str();
            s.chars().take(60).collect()
        })
}

/// The first page an exposure probe fetched for `id` (see [`Role::Exposure`]).
pub(super) fn exposure_page<'a>(obs: &'a Observations, id: &str) -> Option<&'a Page> {
    obs.pages.iter().find(|p| {
        p.roles
            .iter()
            .any(|r| matches!(r, Role::Exposure(x) if x == id))
    })
}

/// Whether a page is a directory listing: its title or visible text matches a listing pattern.
fn is_listing(p: &Page) -> bool {
    p.fetch.status.is_some_and(|s| (200..300).contains(&s))
        && p.fetch.html.as_ref().is_some_and(|h| {
            let title = h.title.as_deref().unwrap_or("");
            LISTINGS
                .iter()
                .any(|re| re.is_match(title) || re.is_match(&h.text))
        })
}

/// `… → HTTP 400` for each provoked error (or its fetch error), for the verdict's observed
/// text, in Vietnamese and English.
fn provoked(obs: &Observations) -> (Vec<String>, Vec<String>) {
    let mut out = (Vec::new(), Vec::new());
    for pv in &LIST.provoke {
        let Some(p) = exposure_page(obs, &pv.id) else {
            continue;
        };
        let answer = match (p.fetch.status, &p.fetch.error) {
            (Some(s), _) => format!("HTTP {s}"),
            (None, Some(e)) => e.message.chars().take(80).collect(),
            (None, None) => "?".to_string(),
        };
        out.0.push(format!("{} \u{2192} {answer}", pv.what.vi));
        out.1.push(format!("{} \u{2192} {answer}", pv.what.en));
    }
    out
}

/// SEC-7: no stack traces or debug pages (in any answer, the provoked 404 and 400 included),
/// no directory listing on the asset folders, no versions in `Server`, no framework headers
/// (`X-Powered-By`, `X-AspNet-Version`, …).
pub fn no_leakage(extra: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Trang lỗi chung chung (không lộ vết ngăn xếp, phiên bản), không liệt kê thư mục, không lộ `Server`/`X-Powered-By`",
        "generic error pages (no stack traces or versions), no directory listing, no verbose `Server`/`X-Powered-By`",
    );
    if obs.pages.iter().all(|p| p.fetch.status.is_none()) {
        return no_pages(expected, obs);
    }
    let extra = compile(extra);
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
        for h in &LIST.leakage.version_headers {
            if let Some(s) = f.header(h) {
                findings.push(format!("`{h}: {s}` on {at}"));
            }
        }
        if is_listing(p) {
            findings.push(format!("directory listing at {at}"));
            evidence.push(EvidenceRef::url("directory listing", &p.url));
            continue;
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
            .unwrap_or("");
        let found = LEAKS
            .iter()
            .chain(extra.iter())
            .find_map(|re| re.find(body).or_else(|| re.find(title)));
        if let Some(m) = found {
            findings.push(format!(
                "\u{201c}{}\u{201d} on {at} (HTTP {})",
                m.as_str().chars().take(60).collect::<String>(),
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
    let folders = obs
        .pages
        .iter()
        .filter(|p| {
            p.roles
                .iter()
                .any(|r| matches!(r, Role::Exposure(x) if x == LISTING))
        })
        .count();
    let (provoked_vi, provoked_en) = provoked(obs);
    let tried = if provoked_en.is_empty() {
        Text::new(
            "; không có yêu cầu lỗi 400 (quan sát cũ: chạy assess lại)",
            "; no provoked 400 (older observations: assess again)",
        )
    } else {
        Text::new(
            format!(
                "; {}; {folders} thư mục tài nguyên đã thử liệt kê",
                provoked_vi.join(", ")
            ),
            format!(
                "; {}; {folders} asset folders asked for a listing",
                provoked_en.join(", ")
            ),
        )
    };
    let nothing = tr!(
        "Không phát hiện; trang không tồn tại trả về HTTP {nf}",
        "nothing found; a missing page answers HTTP {nf}"
    );
    Outcome::either(
        findings.is_empty(),
        expected,
        if findings.is_empty() {
            Text::new(nothing.vi + &tried.vi, nothing.en + &tried.en)
        } else {
            Text::same(list(&findings, 6))
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
    // The paths the exposure list judges by content (`/.env`, `/.git/config`, status pages)
    // are left to `exposed-files`: a file is not a console, and its content says more.
    let by_content = |p: &&Page| {
        url::Url::parse(&p.url).is_ok_and(|u| LIST.path.iter().any(|e| e.path == u.path()))
    };
    let probes: Vec<_> = obs
        .with_role(&Role::AdminProbe)
        .filter(|p| !by_content(p))
        .collect();
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

    /// Every sensitive path of the list answered 404 (as the exposure probe records it).
    pub(in crate::judge) fn probed() -> Vec<crate::observation::Page> {
        crate::probe::exposure::LIST
            .path
            .iter()
            .map(|e| {
                html_page(
                    &format!("{BASE}{}", &e.path[1..]),
                    Role::Exposure(e.id.clone()),
                    404,
                    "<title>404</title>",
                )
            })
            .collect()
    }

    #[test]
    fn admin_paths_tolerate_soft_404_but_not_consoles_or_auth_challenges() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let soft = "<html><head><title>Không tìm thấy trang</title></head><body>Không tìm thấy</body></html>";
        let probes = |admin_status: u16, admin_html: &str| {
            let mut o = obs(
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
            );
            o.pages.extend(probed());
            o
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
        let mut pages = vec![html_page(
            &format!("{BASE}kiemdinh-404"),
            Role::NotFoundProbe,
            404,
            "<title>Không tìm thấy</title><p>Trang không tồn tại</p>",
        )];
        pages.extend(probed());
        let clean = portal(pages);
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
        let mut liferay = portal(probed());
        liferay.pages[0].fetch.headers.push((
            "liferay-portal".into(),
            "Liferay Community Edition Portal 7.4.3.112 CE GA112".into(),
        ));
        let v = verdict("SEC-7", &liferay);
        assert_eq!(v.status, Status::Fail, "framework header");
        assert!(
            v.observed.en.contains("liferay-portal"),
            "{}",
            v.observed.en
        );
        let nginx = portal(
            [html_page(
                &format!("{BASE}kiemdinh-%zz"),
                Role::Exposure("bad-escape".into()),
                400,
                "<html><head><title>400 Bad Request</title></head><body><center><h1>400 Bad Request</h1></center><hr><center>nginx/1.22.1</center></body></html>",
            )]
            .into_iter()
            .chain(probed())
            .collect(),
        );
        let v = verdict("SEC-7", &nginx);
        assert_eq!(v.status, Status::Fail, "a version on the error page");
        assert!(v.observed.en.contains("nginx/1.22"), "{}", v.observed.en);
    }
}

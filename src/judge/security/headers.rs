//! SEC-2 security headers on every page (SEC-9 `security.txt` is in `security_txt.rs`).

use super::policy::{self, HeaderRules};
use crate::checklist::check::SecurityHeader;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;

/// SEC-2: security headers on every sampled HTML page, and their quality where the checklist
/// asks for it (HSTS `max-age` and `includeSubDomains`, the CSP's script and plugin sources,
/// a safe `Referrer-Policy`). Each problem is named in the verdict; a CSP in a `<meta>`, HSTS
/// `preload` and `Permissions-Policy` are noted.
pub fn headers(require: &[SecurityHeader], rules: &HeaderRules, obs: &Observations) -> Outcome {
    let hsts_min_age = rules.hsts_min_age;
    let names: Vec<&str> = require.iter().map(|h| h.as_str()).collect();
    let sub = if rules.hsts_include_subdomains {
        ", includeSubDomains"
    } else {
        ""
    };
    let quality = if rules.csp_quality {
        (
            "; CSP không cho 'unsafe-inline', 'unsafe-eval', nguồn * / http: / data: trong script-src",
            "; CSP without 'unsafe-inline', 'unsafe-eval', * / http: / data: sources in script-src",
        )
    } else {
        ("", "")
    };
    let expected = Text::new(
        format!(
            "Mọi trang có: {} (HSTS ≥ {hsts_min_age} giây{sub}){}",
            names.join(", "),
            quality.0
        ),
        format!(
            "every page sends: {} (HSTS ≥ {hsts_min_age} s{sub}){}",
            names.join(", "),
            quality.1
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
    let mut weak: Vec<String> = Vec::new();
    let mut note = |w: String| {
        if !weak.contains(&w) {
            weak.push(w);
        }
    };
    let mut notes: Vec<String> = Vec::new();
    for (p, facts) in &pages {
        let f = &p.fetch;
        let here = short(&p.url, obs);
        let csp_header: Vec<&str> = f
            .header_all("content-security-policy")
            .filter(|c| !c.trim().is_empty())
            .collect();
        let csp_meta: Vec<&str> = facts
            .policies
            .as_ref()
            .map(|m| m.csp.iter().map(String::as_str).collect())
            .unwrap_or_default();
        if !csp_meta.is_empty() && !notes.iter().any(|n| n.starts_with("CSP in <meta>")) {
            notes.push(format!("CSP in <meta> on {here}"));
        }
        for (h, bad) in &mut missing {
            let ok = match h {
                SecurityHeader::StrictTransportSecurity => {
                    match f.header("strict-transport-security").map(policy::hsts) {
                        Some((Some(age), has_sub, preload)) => {
                            if preload && !notes.contains(&"HSTS preload".to_string()) {
                                notes.push("HSTS preload".into());
                            }
                            let long = age >= hsts_min_age;
                            if !long {
                                note(format!("HSTS max-age={age} on {here}"));
                            }
                            if rules.hsts_include_subdomains && !has_sub {
                                note(format!("HSTS without includeSubDomains on {here}"));
                            }
                            long && (has_sub || !rules.hsts_include_subdomains)
                        }
                        _ => false,
                    }
                }
                SecurityHeader::ContentSecurityPolicy => {
                    let all: Vec<&str> = csp_header.iter().chain(&csp_meta).copied().collect();
                    let problems: Vec<String> = if rules.csp_quality {
                        all.first()
                            .map(|c| policy::csp_problems(c))
                            .unwrap_or_default()
                    } else {
                        Vec::new()
                    };
                    for pr in &problems {
                        note(format!("CSP: {pr}"));
                    }
                    !all.is_empty() && problems.is_empty()
                }
                SecurityHeader::XContentTypeOptions => f
                    .header("x-content-type-options")
                    .is_some_and(|v| v.trim().eq_ignore_ascii_case("nosniff")),
                SecurityHeader::FrameAncestors => {
                    csp_header.iter().any(|c| policy::has_frame_ancestors(c))
                        || f.header("x-frame-options").is_some_and(|v| {
                            let v = v.trim().to_ascii_uppercase();
                            v == "DENY" || v == "SAMEORIGIN"
                        })
                }
                SecurityHeader::ReferrerPolicy => {
                    match f.header("referrer-policy").and_then(policy::referrer) {
                        Some((v, true)) => {
                            note(format!("unsafe Referrer-Policy `{v}` on {here}"));
                            false
                        }
                        Some((_, false)) => true,
                        None => false,
                    }
                }
                SecurityHeader::PermissionsPolicy => f
                    .header("permissions-policy")
                    .is_some_and(|v| !v.trim().is_empty()),
            };
            if !ok {
                bad.push(here.clone());
            }
        }
    }
    if !require.contains(&SecurityHeader::PermissionsPolicy) {
        let has = pages
            .iter()
            .any(|(p, _)| p.fetch.header("permissions-policy").is_some());
        notes.push(if has {
            "Permissions-Policy sent".into()
        } else {
            "no Permissions-Policy".into()
        });
    }
    let n = pages.len();
    let failing: Vec<String> = missing
        .iter()
        .filter(|(_, b)| !b.is_empty())
        .map(|(h, b)| {
            format!(
                "{} missing or weak on {}/{n} ({})",
                h.as_str(),
                b.len(),
                list(b, 3)
            )
        })
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
        observed = observed.with(&format!("; {}", list(&weak, 6)));
    }
    if !notes.is_empty() {
        observed = observed.with(&format!("; {}", notes.join("; ")));
    }
    Outcome::either(
        failing.is_empty(),
        expected,
        observed,
        Text::new("Đủ các tiêu đề bảo mật", "security headers present"),
        Text::new(
            format!("Thiếu hoặc yếu {} tiêu đề bảo mật", failing.len()),
            format!("{} security headers missing or weak", failing.len()),
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

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;

    fn with_headers(headers: &[(&str, &str)]) -> crate::observation::Observations {
        let mut o = portal(vec![]);
        let home = &mut o.pages[0].fetch;
        for (k, v) in headers {
            home.headers.push(((*k).into(), (*v).into()));
        }
        o.cors = Some(Box::new(crate::observation::CorsPreflight {
            url: o.base_url.clone(),
            origin: "https://kiemdinh-cors-check.invalid".into(),
            fetch: crate::observation::Fetch {
                status: Some(204),
                ..crate::observation::Fetch::default()
            },
        }));
        o
    }

    const GOOD: &[(&str, &str)] = &[
        (
            "strict-transport-security",
            "max-age=31536000; includeSubDomains",
        ),
        (
            "content-security-policy",
            "default-src 'self'; frame-ancestors 'none'",
        ),
        ("x-content-type-options", "nosniff"),
        ("referrer-policy", "strict-origin-when-cross-origin"),
    ];

    #[test]
    fn sec_2_every_header_passes_and_a_short_hsts_fails() {
        let v = verdict("SEC-2", &with_headers(GOOD));
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let mut short = GOOD.to_vec();
        short[0] = ("strict-transport-security", "max-age=86400");
        assert_eq!(verdict("SEC-2", &with_headers(&short)).status, Status::Fail);
        assert_eq!(
            verdict("SEC-2", &with_headers(&GOOD[1..])).status,
            Status::Fail,
            "no HSTS"
        );
        let mut no_sub = GOOD.to_vec();
        no_sub[0] = ("strict-transport-security", "max-age=31536000");
        let v = verdict("SEC-2", &with_headers(&no_sub));
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.observed.en.contains("without includeSubDomains"),
            "{}",
            v.observed.en
        );
    }

    #[test]
    fn sec_2_names_each_csp_and_referrer_weakness() {
        let mut weak = GOOD.to_vec();
        weak[1] = (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline' https:; frame-ancestors 'none'",
        );
        weak[3] = ("referrer-policy", "unsafe-url");
        let v = verdict("SEC-2", &with_headers(&weak));
        assert_eq!(v.status, Status::Fail);
        for needle in [
            "'unsafe-inline'",
            "`https:`",
            "unsafe Referrer-Policy `unsafe-url`",
        ] {
            assert!(
                v.observed.en.contains(needle),
                "{needle}: {}",
                v.observed.en
            );
        }
        let mut nonce = GOOD.to_vec();
        nonce[1] = (
            "content-security-policy",
            "default-src 'self'; script-src 'self' 'unsafe-inline' 'nonce-abc'; frame-ancestors 'none'",
        );
        assert_eq!(verdict("SEC-2", &with_headers(&nonce)).status, Status::Pass);
    }

    #[test]
    fn sec_2_a_meta_csp_counts_but_not_its_frame_ancestors() {
        let mut o = with_headers(&[GOOD[0], GOOD[2], GOOD[3]]);
        let url = url::Url::parse(&o.pages[0].url).unwrap();
        o.pages[0].fetch.html = Some(crate::probe::html::extract(
            "<html><head><meta http-equiv=Content-Security-Policy content=\"default-src 'self'; frame-ancestors 'none'\"></head><body></body></html>",
            &url,
        ));
        let v = verdict("SEC-2", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(v.observed.en.contains("CSP in <meta>"), "{}", v.observed.en);
        assert!(
            v.observed
                .en
                .contains("frame-ancestors / X-Frame-Options missing"),
            "{}",
            v.observed.en
        );
        assert!(
            !v.observed.en.contains("Content-Security-Policy missing"),
            "{}",
            v.observed.en
        );
    }
}

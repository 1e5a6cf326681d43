//! SEC-2 security headers on every page (SEC-9 `security.txt` is in `security_txt.rs`).

use crate::checklist::check::SecurityHeader;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;

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
    }
}

//! Other requirements (Phụ lục VIII) that plain HTTP decides: host name, character encoding.

use super::{Outcome, list, no_pages, short};
use crate::evaluation::EvidenceRef;
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// PL8-3: the public host is under the suffix (`.gov.vn`).
pub fn host_suffix(suffix: &str, obs: &Observations) -> Outcome {
    let host = obs.public_host.to_ascii_lowercase();
    let expected = tr!("Tên miền thuộc `{suffix}`", "host name under `{suffix}`");
    Outcome::either(
        host.ends_with(&suffix.to_ascii_lowercase()) && host.parse::<std::net::IpAddr>().is_err(),
        expected,
        Text::same(host.clone()),
        tr!("Tên miền {host} đúng quy định", "host {host} as required"),
        tr!(
            "Tên miền {host} không thuộc {suffix}",
            "host {host} is not under {suffix}"
        ),
    )
}

/// PL8-9: UTF-8 declared on every HTML page (header or `<meta>`).
pub fn utf8_declared(obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Mọi trang khai báo bảng mã UTF-8 (tiêu đề Content-Type hoặc thẻ meta)",
        "every page declares UTF-8 (Content-Type header or meta tag)",
    );
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let is_utf8 = |s: &str| {
        let s = s.to_ascii_lowercase();
        s.contains("utf-8") || s.contains("utf8")
    };
    let mut bad = Vec::new();
    for (p, h) in &pages {
        let header = p.fetch.header("content-type").and_then(|c| {
            c.to_ascii_lowercase()
                .split("charset=")
                .nth(1)
                .map(str::to_string)
        });
        let ok = header.as_deref().is_some_and(is_utf8)
            || (header.is_none() && h.meta_charset.as_deref().is_some_and(is_utf8));
        if !ok {
            bad.push((short(&p.url, obs), p.url.clone()));
        }
    }
    let n = pages.len();
    let shown: Vec<String> = bad.iter().map(|(s, _)| s.clone()).collect();
    Outcome::either(
        bad.is_empty(),
        expected,
        Text::new(
            format!("{}/{n} trang khai báo UTF-8", n - bad.len()),
            format!("{}/{n} pages declare UTF-8", n - bad.len()),
        )
        .with(&if bad.is_empty() {
            String::new()
        } else {
            format!("; not: {}", list(&shown, 4))
        }),
        Text::new("Khai báo UTF-8 đầy đủ", "UTF-8 declared"),
        Text::new(
            format!("{} trang không khai báo UTF-8", bad.len()),
            format!("{} pages do not declare UTF-8", bad.len()),
        ),
    )
    .with_evidence(
        bad.into_iter()
            .map(|(_, u)| EvidenceRef::url("no UTF-8 declaration", u)),
    )
}

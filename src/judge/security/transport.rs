//! SEC-1: plain HTTP redirects to HTTPS; the certificate is valid and not about to expire.

use url::Url;

use super::parse_time;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages};
use crate::observation::{FetchErrorKind, Observations, Role};
use crate::text::Text;
use crate::tr;

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
                "Trang được phục vụ qua HTTP không mã hóa",
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
        // No handshake because the portal never answered is not evidence of "no HTTPS".
        if obs.home().is_none_or(|h| h.fetch.status.is_none()) {
            return no_pages(expected, obs);
        }
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
    // The scan's handshake tells the chain from the host name; older observations only have
    // the verifier's one message.
    let details = obs.tls_scan.as_ref().and_then(|s| s.certificate.as_ref());
    match (details, &tls.verify_error) {
        (Some(c), _) => {
            if let Some(e) = &c.chain_error {
                problems.push(tr!(
                    "chuỗi chứng thư không hợp lệ: {e}",
                    "certificate chain not valid: {e}"
                ));
            }
            if !c.host_match {
                problems.push(tr!(
                    "chứng thư không dành cho {} (tên: {})",
                    "certificate not for {} (names: {})",
                    tls.host,
                    list(&c.names, 4)
                ));
            }
        }
        (None, Some(e)) => problems.push(tr!(
            "chứng thư không hợp lệ: {e}",
            "certificate not valid: {e}"
        )),
        (None, None) => {}
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
    let key = details.map_or_else(String::new, |c| {
        format!(
            "; key {} {}; signature {}; OCSP staple {}",
            c.key_type,
            c.key_bits
                .map_or_else(|| "?".into(), |b| format!("{b} bits")),
            c.signature_algorithm,
            match c.ocsp_stapled {
                Some(true) => "yes",
                Some(false) => "no",
                None => "not read",
            }
        )
    });
    let observed = Text::same(format!(
        "{version}, {}; issuer {}; valid until {} ({} days); names {}{key}",
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

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::{CertFacts, Fetch, Page, Role, TlsFacts};

    #[test]
    fn certificate_expiring_soon_or_untrusted_fails() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let http = Page {
            url: "http://dvc.mau.gov.vn/".into(),
            roles: vec![Role::HttpEntry],
            depth: None,
            fetch: Fetch {
                status: Some(301),
                redirects: vec![crate::observation::Hop {
                    url: "http://dvc.mau.gov.vn/".into(),
                    status: 301,
                    location: BASE.into(),
                }],
                ..Fetch::default()
            },
        };
        let mut o = obs(&home, "text/html", vec![http]);
        let tls = |not_after: &str, verify_error: Option<&str>| TlsFacts {
            host: "dvc.mau.gov.vn".into(),
            port: 443,
            observed_at: "2026-11-22T00:00:00Z".into(),
            version: Some("TLSv1_3".into()),
            cipher: Some("TLS13_AES_128_GCM_SHA256".into()),
            verified: verify_error.is_none(),
            verify_error: verify_error.map(str::to_string),
            error: None,
            leaf: Some(CertFacts {
                not_after: not_after.into(),
                ..CertFacts::default()
            }),
        };
        o.tls = Some(tls("2027-06-01T00:00:00Z", None));
        assert_eq!(
            status("SEC-1", &o),
            Status::Error,
            "no TLS scan: the protocols are not known"
        );
        o.tls_scan = Some(super::super::tls_protocols::tests::modern_scan());
        assert_eq!(status("SEC-1", &o), Status::Pass);
        o.tls = Some(tls("2026-12-10T00:00:00Z", None));
        assert_eq!(status("SEC-1", &o), Status::Fail, "19 days left");
        o.tls = Some(tls(
            "2027-06-01T00:00:00Z",
            Some("invalid peer certificate: UnknownIssuer"),
        ));
        // Observations without the scan's details: the verifier's message decides.
        o.tls_scan = None;
        let v = crate::judge::security::certificate_valid(30, &o);
        assert_eq!(v.status, Status::Fail, "untrusted chain");
        assert!(v.message.en.contains("UnknownIssuer"), "{}", v.message.en);
        // With the scan's certificate details, the chain and the host name are told apart.
        o.tls = Some(tls(
            "2027-06-01T00:00:00Z",
            Some("invalid peer certificate: NotValidForName"),
        ));
        let details = |chain_error: Option<&str>, host_match: bool| {
            let mut scan = super::super::tls_protocols::tests::modern_scan();
            let c = scan.certificate.as_mut().expect("certificate");
            c.chain_error = chain_error.map(str::to_string);
            c.host_match = host_match;
            scan
        };
        o.tls_scan = Some(details(None, false));
        let v = crate::judge::security::certificate_valid(30, &o);
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message.en.contains("not for dvc.mau.gov.vn"),
            "{}",
            v.message.en
        );
        assert!(!v.message.en.contains("chain"), "{}", v.message.en);
        assert!(
            v.observed.en.contains("key EC 256 bits"),
            "{}",
            v.observed.en
        );
        o.tls_scan = Some(details(Some("UnknownIssuer"), true));
        let v = crate::judge::security::certificate_valid(30, &o);
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message.en.contains("chain not valid: UnknownIssuer"),
            "{}",
            v.message.en
        );
        o.tls_scan = Some(details(None, true));
        let v = crate::judge::security::certificate_valid(30, &o);
        assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    }

    #[test]
    fn sec_1_plain_http_served_without_redirect_fails() {
        let http = |status: u16, location: Option<&str>| {
            let mut p = html_page("http://dvc.mau.gov.vn/", Role::HttpEntry, status, "");
            if let Some(l) = location {
                p.fetch.redirects = vec![crate::observation::Hop {
                    url: "http://dvc.mau.gov.vn/".into(),
                    status,
                    location: l.into(),
                }];
            }
            portal(vec![p])
        };
        let ok = crate::judge::security::https_redirect(&http(301, Some(BASE)));
        assert_eq!(ok.status, Status::Pass, "{}", ok.observed.en);
        let plain = crate::judge::security::https_redirect(&http(200, None));
        assert_eq!(plain.status, Status::Fail);
        let elsewhere =
            crate::judge::security::https_redirect(&http(302, Some("https://evil.example/")));
        assert_eq!(elsewhere.status, Status::Fail, "another host");
    }

    #[test]
    fn sec_1_no_handshake_from_a_portal_that_never_answered_is_an_error() {
        // The portal's home page answered nothing (no TLS facts either).
        let mut o = portal(vec![]);
        for p in &mut o.pages {
            p.fetch.status = None;
            p.fetch.html = None;
        }
        o.tls = None;
        let v = crate::judge::security::certificate_valid(30, &o);
        assert_eq!(v.status, Status::Error, "{}", v.message.en);
        // A portal that answers, but not over HTTPS, has no HTTPS: a fail.
        let mut o = portal(vec![]);
        o.tls = None;
        assert_eq!(
            crate::judge::security::certificate_valid(30, &o).status,
            Status::Fail
        );
    }
}

//! PL8-2: IPv6 (an AAAA record the portal answers on) and a DNSSEC-signed zone, from the DNS
//! probe's facts. A resolver that did not answer is `error`, never a `fail`.

use super::Outcome;
use crate::evaluation::Status;
use crate::observation::{DnsFacts, Dnssec, Observations};
use crate::text::Text;
use crate::tr;

/// PL8-2: the base URL's host has an AAAA record reachable over TCP (`require_ipv6`) and a
/// `secure` DNSSEC proof (`require_dnssec`). A portal addressed by IP has no DNS name:
/// `not-applicable` with the reason.
pub fn dns(require_ipv6: bool, require_dnssec: bool, obs: &Observations) -> Outcome {
    let expected = expected(require_ipv6, require_dnssec);
    let Some(d) = &obs.dns else {
        return Outcome::error(
            expected,
            Text::new(
                "Không có kết quả kiểm tra DNS (quan sát cũ hơn đầu dò DNS); hãy đánh giá lại",
                "no DNS facts (observations predate the DNS probe); assess again",
            ),
        );
    };
    if d.addressed_by_ip {
        return Outcome::new(
            Status::NotApplicable,
            expected,
            Text::same(d.host.clone()),
            Text::new(
                "Cổng được truy cập bằng địa chỉ IP; không có tên miền để kiểm tra DNS",
                "the portal is addressed by IP; no DNS to check",
            ),
        );
    }
    let mut parts: Vec<(Status, Text)> = Vec::new();
    if require_ipv6 {
        parts.push(ipv6(d));
    }
    if require_dnssec {
        parts.push(dnssec(d));
    }
    let observed = Text::new(
        parts
            .iter()
            .map(|(_, t)| t.vi.clone())
            .collect::<Vec<_>>()
            .join("; "),
        parts
            .iter()
            .map(|(_, t)| t.en.clone())
            .collect::<Vec<_>>()
            .join("; "),
    );
    let status = if parts.iter().any(|(s, _)| *s == Status::Fail) {
        Status::Fail
    } else if parts.iter().any(|(s, _)| *s == Status::Error) {
        Status::Error
    } else {
        Status::Pass
    };
    let host = &d.host;
    let message = match status {
        Status::Pass => tr!("DNS của {host} đạt yêu cầu", "DNS of {host} as required"),
        Status::Fail => tr!(
            "DNS của {host} chưa đạt yêu cầu",
            "DNS of {host} falls short"
        ),
        _ => tr!(
            "Không kiểm tra được DNS của {host} (máy chủ tên miền {} không trả lời)",
            "DNS of {host} could not be checked (resolver {} did not answer)",
            d.resolver
        ),
    };
    let passed = parts.iter().filter(|(s, _)| *s == Status::Pass).count();
    Outcome::new(status, expected, observed, message)
        .with_credit(passed as f64 / parts.len().max(1) as f64)
}

fn expected(ipv6: bool, dnssec: bool) -> Text {
    match (ipv6, dnssec) {
        (true, true) => Text::new(
            "Bản ghi AAAA truy cập được qua IPv6 và vùng DNS ký số DNSSEC hợp lệ",
            "an AAAA record reachable over IPv6 and a DNSSEC-signed zone that validates",
        ),
        (true, false) => Text::new(
            "Bản ghi AAAA truy cập được qua IPv6",
            "an AAAA record reachable over IPv6",
        ),
        (false, true) => Text::new(
            "Vùng DNS ký số DNSSEC hợp lệ",
            "a DNSSEC-signed zone that validates",
        ),
        (false, false) => Text::new("(không yêu cầu gì)", "(nothing required)"),
    }
}

/// The IPv6 sub-finding: AAAA answered and one TCP connect to it succeeded.
fn ipv6(d: &DnsFacts) -> (Status, Text) {
    if let Some(e) = &d.aaaa.error {
        return (
            Status::Error,
            tr!("truy vấn AAAA lỗi: {e}", "AAAA lookup failed: {e}"),
        );
    }
    let Some(first) = d.aaaa.addresses.first() else {
        return (
            Status::Fail,
            Text::new("không có bản ghi AAAA", "no AAAA record"),
        );
    };
    match &d.ipv6_connect {
        Some(c) if c.connected => (
            Status::Pass,
            tr!(
                "AAAA {first}, kết nối {} được ({} ms)",
                "AAAA {first}, connected to {} ({} ms)",
                c.address,
                c.ms
            ),
        ),
        Some(c) => {
            let e = c.error.as_deref().unwrap_or("-");
            (
                Status::Fail,
                tr!(
                    "AAAA {first}, không kết nối được {}: {e}",
                    "AAAA {first}, no connection to {}: {e}",
                    c.address
                ),
            )
        }
        None => (
            Status::Error,
            tr!(
                "AAAA {first}, chưa thử kết nối",
                "AAAA {first}, no connect tried"
            ),
        ),
    }
}

/// The DNSSEC sub-finding.
fn dnssec(d: &DnsFacts) -> (Status, Text) {
    let m = &d.dnssec_message;
    match d.dnssec {
        Dnssec::Secure => (
            Status::Pass,
            tr!("DNSSEC: hợp lệ ({m})", "DNSSEC: secure ({m})"),
        ),
        Dnssec::Insecure => (
            Status::Fail,
            tr!(
                "DNSSEC: vùng chưa ký số ({m})",
                "DNSSEC: insecure, the zone is not signed ({m})"
            ),
        ),
        Dnssec::Bogus => (
            Status::Fail,
            tr!(
                "DNSSEC: chữ ký không hợp lệ ({m})",
                "DNSSEC: bogus, signed but does not validate ({m})"
            ),
        ),
        Dnssec::Error => (
            Status::Error,
            tr!("DNSSEC: không xác định ({m})", "DNSSEC: no answer ({m})"),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{DnsLookup, Ipv6Connect};

    fn facts(aaaa: &[&str], connected: bool, dnssec: Dnssec) -> DnsFacts {
        DnsFacts {
            host: "dvc.example.gov.vn".into(),
            addressed_by_ip: false,
            resolver: "127.0.0.1:5353".into(),
            a: DnsLookup {
                addresses: vec!["192.0.2.1".into()],
                error: None,
            },
            aaaa: DnsLookup {
                addresses: aaaa.iter().map(|s| (*s).to_string()).collect(),
                error: None,
            },
            ipv6_connect: aaaa.first().map(|a| Ipv6Connect {
                address: format!("[{a}]:443"),
                connected,
                error: (!connected).then(|| "connection refused".to_string()),
                ms: 1,
            }),
            dnssec,
            dnssec_message: "proof".into(),
        }
    }

    fn judge(d: DnsFacts, ipv6: bool, dnssec: bool) -> Outcome {
        let obs = Observations {
            dns: Some(Box::new(d)),
            ..Observations::default()
        };
        super::dns(ipv6, dnssec, &obs)
    }

    #[test]
    fn pl8_2_passes_with_aaaa_connect_and_secure_zone() {
        let o = judge(facts(&["2001:db8::1"], true, Dnssec::Secure), true, true);
        assert_eq!(o.status, Status::Pass, "{:?}", o.observed);
        assert!(o.observed.en.contains("connected to [2001:db8::1]:443"));
    }

    #[test]
    fn pl8_2_fails_without_aaaa_or_connect_or_signature() {
        let no_aaaa = judge(facts(&[], false, Dnssec::Secure), true, true);
        assert_eq!(no_aaaa.status, Status::Fail);
        assert!(no_aaaa.observed.en.contains("no AAAA record"));
        assert!((no_aaaa.credit - 0.5).abs() < 1e-9);
        // Not required: the missing AAAA does not count.
        assert_eq!(
            judge(facts(&[], false, Dnssec::Secure), false, true).status,
            Status::Pass
        );
        let refused = judge(facts(&["2001:db8::1"], false, Dnssec::Secure), true, true);
        assert_eq!(refused.status, Status::Fail);
        assert!(refused.observed.en.contains("connection refused"));
        for bad in [Dnssec::Insecure, Dnssec::Bogus] {
            let o = judge(facts(&["2001:db8::1"], true, bad), true, true);
            assert_eq!(o.status, Status::Fail, "{bad:?}");
            assert_eq!(
                judge(facts(&["2001:db8::1"], true, bad), true, false).status,
                Status::Pass
            );
        }
    }

    #[test]
    fn pl8_2_is_error_when_the_resolver_did_not_answer() {
        let mut d = facts(&[], false, Dnssec::Error);
        d.aaaa.error = Some("no answer within 6 s".into());
        let o = judge(d, true, true);
        assert_eq!(o.status, Status::Error);
        assert!(o.message.en.contains("did not answer"), "{:?}", o.message);
        assert!(o.observed.en.contains("AAAA lookup failed"));
        // A missing fact beside a real failure: the failure stands.
        let mut d = facts(&[], false, Dnssec::Error);
        d.aaaa.addresses.clear();
        assert_eq!(judge(d, true, true).status, Status::Fail);
    }

    #[test]
    fn pl8_2_not_applicable_for_an_ip_and_error_without_facts() {
        let mut d = facts(&[], false, Dnssec::Error);
        d.addressed_by_ip = true;
        d.host = "127.0.0.1".into();
        let o = judge(d, true, true);
        assert_eq!(o.status, Status::NotApplicable);
        assert!(o.message.en.contains("addressed by IP"));
        let o = super::dns(true, true, &Observations::default());
        assert_eq!(o.status, Status::Error);
        assert!(o.message.en.contains("predate"));
    }
}

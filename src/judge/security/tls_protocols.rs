//! SEC-1 `tls-protocols`: the versions and suites the TLS scan found accepted, and the
//! certificate's key size. Every sub-finding is listed; a version the scan could not decide
//! (timeout, reset, garbage) makes the verdict `error` unless something else already fails.

use crate::checklist::check::TlsVersion;
use crate::evaluation::{EvidenceRef, Status};
use crate::judge::Outcome;
use crate::observation::{Observations, ProtocolOutcome, ProtocolProbe, TlsScan};
use crate::text::Text;
use crate::tr;

/// SEC-1: forbidden versions refused, required ones accepted, no weak suite (when
/// `forbid_weak_ciphers`), an RSA key of at least `min_rsa_bits` (0: any).
pub fn tls_protocols(
    forbid: &[TlsVersion],
    require: &[TlsVersion],
    forbid_weak_ciphers: bool,
    min_rsa_bits: u32,
    obs: &Observations,
) -> Outcome {
    let names = |v: &[TlsVersion]| v.iter().map(|x| x.name()).collect::<Vec<_>>().join(", ");
    let mut en = Vec::new();
    let mut vi = Vec::new();
    if !forbid.is_empty() {
        en.push(format!("{} refused", names(forbid)));
        vi.push(format!("từ chối {}", names(forbid)));
    }
    if !require.is_empty() {
        en.push(format!("{} accepted", names(require)));
        vi.push(format!("chấp nhận {}", names(require)));
    }
    if forbid_weak_ciphers {
        en.push("no NULL/export/anon/RC4/DES/3DES suite, an AEAD suite in TLS 1.2".into());
        vi.push("không có bộ mã yếu (NULL/export/anon/RC4/DES/3DES), TLS 1.2 có bộ mã AEAD".into());
    }
    if min_rsa_bits > 0 {
        en.push(format!("RSA key ≥ {min_rsa_bits} bits"));
        vi.push(format!("khóa RSA ≥ {min_rsa_bits} bit"));
    }
    let expected = Text::new(vi.join("; "), en.join("; "));
    let Some(scan) = &obs.tls_scan else {
        return Outcome::error(
            expected,
            Text::new(
                "Chưa quét TLS (cổng không dùng HTTPS hoặc kết quả quan sát có trước khi có phép quét)",
                "no TLS scan (the portal is not on HTTPS, or the observations predate the scan)",
            ),
        );
    };
    let mut problems: Vec<Text> = Vec::new();
    let mut unknown: Vec<Text> = Vec::new();
    for v in forbid {
        match find(scan, *v) {
            Some(p) if p.accepted() => {
                problems.push(tr!("{} được chấp nhận", "{} accepted", v.name()));
            }
            Some(p) if p.outcome != ProtocolOutcome::Error => {}
            p => unknown.push(undecided(*v, p)),
        }
    }
    for v in require {
        match find(scan, *v) {
            Some(p) if p.accepted() => {}
            Some(p) if p.outcome != ProtocolOutcome::Error => problems.push(tr!(
                "{} không được chấp nhận ({})",
                "{} not accepted ({})",
                v.name(),
                p.detail
            )),
            p => unknown.push(undecided(*v, p)),
        }
    }
    if forbid_weak_ciphers {
        weak_suites(scan, &mut problems, &mut unknown);
    }
    if min_rsa_bits > 0 {
        match &scan.certificate {
            Some(c) if c.key_type == "RSA" => match c.key_bits {
                Some(b) if b < min_rsa_bits => {
                    problems.push(tr!("khóa RSA {b} bit", "RSA key of {b} bits"));
                }
                Some(_) => {}
                None => unknown.push(Text::new(
                    "không đọc được độ dài khóa RSA",
                    "RSA key size unreadable",
                )),
            },
            Some(_) => {}
            None => unknown.push(tr!(
                "không có chứng thư: {}",
                "no certificate: {}",
                scan.certificate_error.clone().unwrap_or_default()
            )),
        }
    }
    let observed = Text::same(summary(scan));
    let ev = [EvidenceRef::url(
        "TLS scan",
        format!("https://{}:{}/", scan.host, scan.port),
    )];
    let (status, message) = if !problems.is_empty() {
        problems.extend(unknown);
        (Status::Fail, Text::join(&problems, "; "))
    } else if !unknown.is_empty() {
        (Status::Error, Text::join(&unknown, "; "))
    } else {
        (
            Status::Pass,
            Text::new(
                "Phiên bản TLS và bộ mã đạt yêu cầu",
                "TLS versions and suites as required",
            ),
        )
    };
    Outcome::new(status, expected, observed, message).with_evidence(ev)
}

fn find(scan: &TlsScan, v: TlsVersion) -> Option<&ProtocolProbe> {
    scan.protocols.iter().find(|p| p.version == v.name())
}

fn undecided(v: TlsVersion, p: Option<&ProtocolProbe>) -> Text {
    match p {
        Some(p) => tr!(
            "không xác định được {}: {}",
            "{} undecided: {}",
            v.name(),
            p.detail
        ),
        None => tr!("chưa thử {}", "{} not tried", v.name()),
    }
}

fn weak_suites(scan: &TlsScan, problems: &mut Vec<Text>, unknown: &mut Vec<Text>) {
    for p in scan.protocols.iter().filter(|p| p.accepted()) {
        let weak: Vec<String> = p
            .suites
            .iter()
            .filter(|s| !s.weak.is_empty())
            .map(|s| format!("{} ({})", s.name, s.weak.join(", ")))
            .collect();
        if !weak.is_empty() {
            problems.push(tr!(
                "{}: bộ mã yếu {}",
                "{}: weak suites {}",
                p.version,
                weak.join(", ")
            ));
        }
        let aead = p.suites.iter().any(|s| s.aead);
        if p.version == TlsVersion::Tls12.name() && !aead {
            if p.suites_complete {
                problems.push(Text::new(
                    "TLSv1.2: chỉ có bộ mã CBC, không có AEAD",
                    "TLSv1.2: CBC suites only, no AEAD suite",
                ));
            } else {
                unknown.push(Text::new(
                    "TLSv1.2: chưa thấy bộ mã AEAD và việc liệt kê chưa xong",
                    "TLSv1.2: no AEAD suite seen and the enumeration did not finish",
                ));
            }
        }
    }
}

/// One line per version, then the certificate key.
fn summary(scan: &TlsScan) -> String {
    let mut parts: Vec<String> = scan
        .protocols
        .iter()
        .map(|p| {
            let outcome = match p.outcome {
                ProtocolOutcome::Accepted => {
                    let names: Vec<&str> = p.suites.iter().map(|s| s.name.as_str()).collect();
                    format!(
                        "accepted, {} suites{}: {}",
                        p.suites.len(),
                        if p.suites_complete {
                            ""
                        } else {
                            " (enumeration incomplete)"
                        },
                        names.join(" ")
                    )
                }
                ProtocolOutcome::Refused => format!("refused ({})", p.detail),
                ProtocolOutcome::Closed => "closed without an answer".into(),
                ProtocolOutcome::Error => format!("error ({})", p.detail),
            };
            format!("{} {outcome}", p.version)
        })
        .collect();
    if let Some(c) = &scan.certificate {
        parts.push(format!(
            "key {} {}{}",
            c.key_type,
            c.key_bits
                .map_or_else(|| "?".into(), |b| format!("{b} bits")),
            c.curve
                .as_ref()
                .map_or_else(String::new, |c| format!(" {c}"))
        ));
    }
    parts.join("; ")
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use crate::evaluation::Status;
    use crate::observation::{CertificateDetails, SuiteFact};

    fn suite(name: &str) -> SuiteFact {
        SuiteFact {
            code: 0,
            name: name.into(),
            weak: crate::probe::tls::weaknesses(name),
            aead: crate::probe::tls::is_aead(name),
        }
    }

    fn probe(version: &str, outcome: ProtocolOutcome, suites: &[&str]) -> ProtocolProbe {
        ProtocolProbe {
            version: version.into(),
            outcome,
            detail: match outcome {
                ProtocolOutcome::Refused => "alert protocol_version".into(),
                ProtocolOutcome::Error => "no answer within 10000 ms".into(),
                _ => String::new(),
            },
            suites: suites.iter().map(|s| suite(s)).collect(),
            suites_complete: true,
        }
    }

    /// A scan of a server with TLS 1.2 (AEAD) and 1.3 only and a P-256 key.
    pub(in crate::judge) fn modern_scan() -> TlsScan {
        use ProtocolOutcome::{Accepted, Refused};
        TlsScan {
            host: "dvc.mau.gov.vn".into(),
            port: 443,
            observed_at: "2026-11-22T00:00:00Z".into(),
            protocols: vec![
                probe("SSLv3", Refused, &[]),
                probe("TLSv1", Refused, &[]),
                probe("TLSv1.1", Refused, &[]),
                probe(
                    "TLSv1.2",
                    Accepted,
                    &[
                        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
                        "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA",
                    ],
                ),
                probe("TLSv1.3", Accepted, &["TLS_AES_128_GCM_SHA256"]),
            ],
            certificate: Some(CertificateDetails {
                names: vec!["dvc.mau.gov.vn".into()],
                host_match: true,
                key_type: "EC".into(),
                key_bits: Some(256),
                curve: Some("secp256r1".into()),
                signature_algorithm: "ecdsa-with-SHA256".into(),
                ..CertificateDetails::default()
            }),
            certificate_error: None,
            connections: 12,
        }
    }

    fn judge(scan: Option<TlsScan>) -> Outcome {
        let o = Observations {
            tls_scan: scan,
            ..Observations::default()
        };
        tls_protocols(
            &[TlsVersion::Ssl3, TlsVersion::Tls10, TlsVersion::Tls11],
            &[TlsVersion::Tls12],
            true,
            2048,
            &o,
        )
    }

    #[test]
    fn a_modern_server_passes_and_every_version_is_listed() {
        let v = judge(Some(modern_scan()));
        assert_eq!(v.status, Status::Pass, "{}", v.message.en);
        for s in [
            "SSLv3 refused (alert protocol_version)",
            "TLSv1.2 accepted, 2 suites",
            "TLSv1.3 accepted",
        ] {
            assert!(v.observed.en.contains(s), "{s}: {}", v.observed.en);
        }
        assert!(
            v.expected.en.contains("SSLv3, TLSv1, TLSv1.1 refused"),
            "{}",
            v.expected.en
        );
        assert!(
            v.expected.en.contains("RSA key ≥ 2048 bits"),
            "from the checklist"
        );
    }

    #[test]
    fn old_versions_weak_suites_cbc_only_and_small_keys_fail_each_listed() {
        let mut s = modern_scan();
        s.protocols[1] = probe(
            "TLSv1",
            ProtocolOutcome::Accepted,
            &["TLS_RSA_WITH_AES_128_CBC_SHA"],
        );
        s.protocols[3] = probe(
            "TLSv1.2",
            ProtocolOutcome::Accepted,
            &[
                "TLS_RSA_WITH_AES_128_CBC_SHA",
                "TLS_RSA_WITH_3DES_EDE_CBC_SHA",
                "TLS_RSA_WITH_NULL_SHA",
            ],
        );
        let c = s.certificate.as_mut().expect("certificate");
        c.key_type = "RSA".into();
        c.key_bits = Some(1024);
        let v = judge(Some(s));
        assert_eq!(v.status, Status::Fail);
        for m in [
            "TLSv1 accepted",
            "TLSv1.2: weak suites TLS_RSA_WITH_3DES_EDE_CBC_SHA (3DES), TLS_RSA_WITH_NULL_SHA (NULL)",
            "TLSv1.2: CBC suites only",
            "RSA key of 1024 bits",
        ] {
            assert!(v.message.en.contains(m), "{m}: {}", v.message.en);
        }
        // Without the weak-cipher switch or the key size, those are not judged.
        let o = Observations {
            tls_scan: Some(modern_scan()),
            ..Observations::default()
        };
        let mut small = modern_scan();
        small.certificate.as_mut().expect("c").key_type = "RSA".into();
        small.certificate.as_mut().expect("c").key_bits = Some(1024);
        let lax = Observations {
            tls_scan: Some(small),
            ..Observations::default()
        };
        assert_eq!(tls_protocols(&[], &[], false, 0, &lax).status, Status::Pass);
        assert_eq!(
            tls_protocols(&[], &[], false, 2048, &lax).status,
            Status::Fail
        );
        assert_eq!(
            tls_protocols(&[], &[TlsVersion::Tls13], false, 0, &o).status,
            Status::Pass
        );
    }

    #[test]
    fn a_missing_scan_or_an_undecided_version_is_an_error_not_a_fail() {
        let v = judge(None);
        assert_eq!(v.status, Status::Error);
        assert!(v.message.en.contains("no TLS scan"), "{}", v.message.en);
        let mut s = modern_scan();
        s.protocols[2] = probe("TLSv1.1", ProtocolOutcome::Error, &[]);
        let v = judge(Some(s.clone()));
        assert_eq!(v.status, Status::Error, "{}", v.message.en);
        assert!(
            v.message.en.contains("TLSv1.1 undecided: no answer"),
            "{}",
            v.message.en
        );
        // A definite failure elsewhere still fails, and the undecided one is listed too.
        s.protocols[0] = probe(
            "SSLv3",
            ProtocolOutcome::Accepted,
            &["TLS_RSA_WITH_RC4_128_SHA"],
        );
        let v = judge(Some(s.clone()));
        assert_eq!(v.status, Status::Fail);
        assert!(v.message.en.contains("SSLv3 accepted") && v.message.en.contains("undecided"));
        // A refusal by closing is a refusal; an unfinished CBC-only enumeration is undecided.
        let mut s = modern_scan();
        s.protocols[1].outcome = ProtocolOutcome::Closed;
        s.protocols[3] = probe(
            "TLSv1.2",
            ProtocolOutcome::Accepted,
            &["TLS_RSA_WITH_AES_128_CBC_SHA"],
        );
        s.protocols[3].suites_complete = false;
        let v = judge(Some(s));
        assert_eq!(v.status, Status::Error, "{}", v.message.en);
        assert!(v.message.en.contains("did not finish"), "{}", v.message.en);
        // Required version refused: a fail naming the refusal.
        let mut s = modern_scan();
        s.protocols[3] = probe("TLSv1.2", ProtocolOutcome::Refused, &[]);
        let v = judge(Some(s));
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message
                .en
                .contains("TLSv1.2 not accepted (alert protocol_version)")
        );
    }
}

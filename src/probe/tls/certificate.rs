//! The certificate's details the SEC-1 judge reads: host-name match, key type and size,
//! signature algorithm, from the leaf's DER.

use crate::observation::CertificateDetails;

/// Whether one of `names` covers `host`: exact (case-insensitive), or `*.rest` covering one
/// label in front of `rest` (RFC 6125 §6.4.3, no partial-label wildcards). An IP address
/// matches only itself.
pub fn host_matches(names: &[String], host: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    names.iter().any(|n| {
        let n = n.trim_end_matches('.').to_ascii_lowercase();
        if n == host {
            return true;
        }
        match (n.strip_prefix("*."), host.split_once('.')) {
            (Some(rest), Some((label, tail))) => {
                !label.is_empty() && tail == rest && rest.contains('.')
            }
            _ => false,
        }
    })
}

/// The details of a DER leaf certificate served for `host`.
pub fn details(
    der: &[u8],
    host: &str,
    chain_error: Option<String>,
    ocsp_stapled: Option<bool>,
) -> Option<CertificateDetails> {
    use x509_parser::public_key::PublicKey;
    let facts = super::handshake::cert_facts(der)?;
    let (_, cert) = x509_parser::parse_x509_certificate(der).ok()?;
    let spki = cert.public_key();
    let alg = spki.algorithm.algorithm.to_id_string();
    let curve_oid = spki
        .algorithm
        .parameters
        .as_ref()
        .and_then(|p| p.as_oid().ok())
        .map(|o| o.to_id_string());
    let (key_type, curve) = match alg.as_str() {
        "1.2.840.113549.1.1.1" | "1.2.840.113549.1.1.10" => ("RSA".to_string(), None),
        "1.2.840.10045.2.1" => (
            "EC".to_string(),
            curve_oid.map(|c| curve_name(&c).unwrap_or(c)),
        ),
        "1.3.101.112" => ("Ed25519".to_string(), None),
        "1.3.101.113" => ("Ed448".to_string(), None),
        "1.2.840.10040.4.1" => ("DSA".to_string(), None),
        other => (other.to_string(), None),
    };
    let key_bits = match spki.parsed() {
        Ok(PublicKey::RSA(k)) => Some(k.key_size()),
        Ok(PublicKey::EC(_)) => curve.as_deref().and_then(|c| match c {
            "secp256r1" => Some(256),
            "secp384r1" => Some(384),
            "secp521r1" => Some(521),
            _ => None,
        }),
        Ok(k) if k.key_size() > 0 => Some(k.key_size()),
        _ => match key_type.as_str() {
            "Ed25519" => Some(256),
            "Ed448" => Some(456),
            _ => None,
        },
    }
    .and_then(|b| u32::try_from(b).ok());
    let sig = &cert.signature_algorithm.algorithm;
    let signature_algorithm =
        x509_parser::objects::oid2sn(sig, x509_parser::objects::oid_registry())
            .map_or_else(|_| sig.to_id_string(), str::to_string);
    Some(CertificateDetails {
        host_match: host_matches(&facts.names, host),
        subject: facts.subject,
        issuer: facts.issuer,
        not_after: facts.not_after,
        names: facts.names,
        chain_error,
        key_type,
        key_bits,
        curve,
        signature_algorithm,
        ocsp_stapled,
    })
}

fn curve_name(oid: &str) -> Option<String> {
    Some(
        match oid {
            "1.2.840.10045.3.1.7" => "secp256r1",
            "1.3.132.0.34" => "secp384r1",
            "1.3.132.0.35" => "secp521r1",
            _ => return None,
        }
        .to_string(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn host_names_match_exactly_or_by_one_wildcard_label() {
        let names = |n: &[&str]| n.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
        assert!(host_matches(&names(&["dvc.mau.gov.vn"]), "DVC.mau.gov.vn"));
        assert!(host_matches(&names(&["*.mau.gov.vn"]), "dvc.mau.gov.vn"));
        assert!(!host_matches(&names(&["*.mau.gov.vn"]), "a.dvc.mau.gov.vn"));
        assert!(!host_matches(&names(&["*.mau.gov.vn"]), "mau.gov.vn"));
        assert!(
            !host_matches(&names(&["*.vn"]), "gov.vn"),
            "no public-suffix wildcard"
        );
        assert!(!host_matches(&names(&["other.gov.vn"]), "dvc.mau.gov.vn"));
        assert!(host_matches(&names(&["127.0.0.1"]), "127.0.0.1"));
        assert!(!host_matches(&[], "127.0.0.1"));
    }

    #[test]
    fn key_and_signature_are_read_from_the_certificate() {
        let key = rcgen::KeyPair::generate_for(&rcgen::PKCS_ECDSA_P384_SHA384).expect("key");
        let cert = rcgen::CertificateParams::new(vec!["a.gov.vn".to_string()])
            .expect("params")
            .self_signed(&key)
            .expect("cert");
        let d = details(cert.der(), "a.gov.vn", None, Some(true)).expect("parsed");
        assert_eq!(d.key_type, "EC");
        assert_eq!(d.curve.as_deref(), Some("secp384r1"));
        assert_eq!(d.key_bits, Some(384));
        assert_eq!(d.signature_algorithm, "ecdsa-with-SHA384");
        assert!(d.host_match && d.ocsp_stapled == Some(true));
        let other = details(cert.der(), "b.gov.vn", None, None).expect("parsed");
        assert!(!other.host_match);
        assert!(details(b"not a certificate", "a.gov.vn", None, None).is_none());
    }
}

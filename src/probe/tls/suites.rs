//! The cipher suites a hand-built `ClientHello` offers, by IANA code and name, and what makes
//! one weak. The list covers what servers still configure (and what testssl.sh flags): NULL,
//! export, anonymous, RC4, (3)DES, CBC and AEAD suites of TLS 1.0–1.2, and the five TLS 1.3
//! suites.

/// (IANA code, IANA name) of every TLS 1.0–1.2 suite offered, strongest first.
pub const LEGACY: &[(u16, &str)] = &[
    (0xc02c, "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384"),
    (0xc030, "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xcca9, "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xcca8, "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0xc02b, "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"),
    (0xc02f, "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0x009f, "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384"),
    (0xccaa, "TLS_DHE_RSA_WITH_CHACHA20_POLY1305_SHA256"),
    (0x009e, "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256"),
    (0xc0ad, "TLS_ECDHE_ECDSA_WITH_AES_256_CCM"),
    (0xc0ac, "TLS_ECDHE_ECDSA_WITH_AES_128_CCM"),
    (0xc09f, "TLS_DHE_RSA_WITH_AES_256_CCM"),
    (0xc09e, "TLS_DHE_RSA_WITH_AES_128_CCM"),
    (0xc024, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384"),
    (0xc028, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384"),
    (0xc023, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256"),
    (0xc027, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0xc00a, "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA"),
    (0xc014, "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA"),
    (0xc009, "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA"),
    (0xc013, "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA"),
    (0x006b, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA256"),
    (0x0067, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA256"),
    (0x0039, "TLS_DHE_RSA_WITH_AES_256_CBC_SHA"),
    (0x0033, "TLS_DHE_RSA_WITH_AES_128_CBC_SHA"),
    (0x0088, "TLS_DHE_RSA_WITH_CAMELLIA_256_CBC_SHA"),
    (0x0045, "TLS_DHE_RSA_WITH_CAMELLIA_128_CBC_SHA"),
    (0x009d, "TLS_RSA_WITH_AES_256_GCM_SHA384"),
    (0x009c, "TLS_RSA_WITH_AES_128_GCM_SHA256"),
    (0xc09d, "TLS_RSA_WITH_AES_256_CCM"),
    (0xc09c, "TLS_RSA_WITH_AES_128_CCM"),
    (0x003d, "TLS_RSA_WITH_AES_256_CBC_SHA256"),
    (0x003c, "TLS_RSA_WITH_AES_128_CBC_SHA256"),
    (0x0035, "TLS_RSA_WITH_AES_256_CBC_SHA"),
    (0x002f, "TLS_RSA_WITH_AES_128_CBC_SHA"),
    (0x0084, "TLS_RSA_WITH_CAMELLIA_256_CBC_SHA"),
    (0x0041, "TLS_RSA_WITH_CAMELLIA_128_CBC_SHA"),
    (0x0096, "TLS_RSA_WITH_SEED_CBC_SHA"),
    (0x0007, "TLS_RSA_WITH_IDEA_CBC_SHA"),
    (0xc012, "TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc008, "TLS_ECDHE_ECDSA_WITH_3DES_EDE_CBC_SHA"),
    (0x0016, "TLS_DHE_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0x000a, "TLS_RSA_WITH_3DES_EDE_CBC_SHA"),
    (0xc011, "TLS_ECDHE_RSA_WITH_RC4_128_SHA"),
    (0xc007, "TLS_ECDHE_ECDSA_WITH_RC4_128_SHA"),
    (0x0005, "TLS_RSA_WITH_RC4_128_SHA"),
    (0x0004, "TLS_RSA_WITH_RC4_128_MD5"),
    (0x0015, "TLS_DHE_RSA_WITH_DES_CBC_SHA"),
    (0x0009, "TLS_RSA_WITH_DES_CBC_SHA"),
    (0x0014, "TLS_DHE_RSA_EXPORT_WITH_DES40_CBC_SHA"),
    (0x0008, "TLS_RSA_EXPORT_WITH_DES40_CBC_SHA"),
    (0x0006, "TLS_RSA_EXPORT_WITH_RC2_CBC_40_MD5"),
    (0x0003, "TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
    (0x00a7, "TLS_DH_anon_WITH_AES_256_GCM_SHA384"),
    (0x00a6, "TLS_DH_anon_WITH_AES_128_GCM_SHA256"),
    (0x003a, "TLS_DH_anon_WITH_AES_256_CBC_SHA"),
    (0x0034, "TLS_DH_anon_WITH_AES_128_CBC_SHA"),
    (0x001b, "TLS_DH_anon_WITH_3DES_EDE_CBC_SHA"),
    (0x0018, "TLS_DH_anon_WITH_RC4_128_MD5"),
    (0xc019, "TLS_ECDH_anon_WITH_AES_256_CBC_SHA"),
    (0xc018, "TLS_ECDH_anon_WITH_AES_128_CBC_SHA"),
    (0xc017, "TLS_ECDH_anon_WITH_3DES_EDE_CBC_SHA"),
    (0xc016, "TLS_ECDH_anon_WITH_RC4_128_SHA"),
    (0xc015, "TLS_ECDH_anon_WITH_NULL_SHA"),
    (0xc010, "TLS_ECDHE_RSA_WITH_NULL_SHA"),
    (0xc006, "TLS_ECDHE_ECDSA_WITH_NULL_SHA"),
    (0x003b, "TLS_RSA_WITH_NULL_SHA256"),
    (0x0002, "TLS_RSA_WITH_NULL_SHA"),
    (0x0001, "TLS_RSA_WITH_NULL_MD5"),
];

/// The five TLS 1.3 suites (RFC 8446 §B.4).
pub const TLS13: &[(u16, &str)] = &[
    (0x1302, "TLS_AES_256_GCM_SHA384"),
    (0x1303, "TLS_CHACHA20_POLY1305_SHA256"),
    (0x1301, "TLS_AES_128_GCM_SHA256"),
    (0x1304, "TLS_AES_128_CCM_SHA256"),
    (0x1305, "TLS_AES_128_CCM_8_SHA256"),
];

/// The IANA name of a suite code (`0x1234` written out when unknown).
pub fn name(code: u16) -> String {
    LEGACY
        .iter()
        .chain(TLS13)
        .find(|(c, _)| *c == code)
        .map_or_else(|| format!("0x{code:04X}"), |(_, n)| (*n).to_string())
}

/// What makes a suite weak, by its IANA name: `NULL` (no encryption), `EXPORT` (40/56-bit),
/// `anon` (no authentication), `RC4`, `DES`/`3DES` (64-bit blocks, Sweet32); empty when none.
pub fn weaknesses(name: &str) -> Vec<String> {
    let mut w = Vec::new();
    if name.ends_with("_NULL_SHA") || name.ends_with("_NULL_MD5") || name.contains("_NULL_SHA2") {
        w.push("NULL".to_string());
    }
    if name.contains("EXPORT") {
        w.push("EXPORT".into());
    }
    if name.contains("_anon_") {
        w.push("anon".into());
    }
    if name.contains("RC4") {
        w.push("RC4".into());
    }
    if name.contains("3DES") {
        w.push("3DES".into());
    } else if name.contains("_DES") {
        w.push("DES".into());
    }
    w
}

/// Whether a suite is an AEAD suite (GCM, CCM, ChaCha20-Poly1305); the rest of TLS 1.2's
/// suites are CBC or stream ciphers.
pub fn is_aead(name: &str) -> bool {
    name.contains("_GCM_") || name.contains("_CCM") || name.contains("CHACHA20_POLY1305")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_suites_are_named_by_their_weakness() {
        assert_eq!(weaknesses("TLS_RSA_WITH_NULL_SHA256"), ["NULL"]);
        assert_eq!(
            weaknesses("TLS_RSA_EXPORT_WITH_RC4_40_MD5"),
            ["EXPORT", "RC4"]
        );
        assert_eq!(weaknesses("TLS_DH_anon_WITH_AES_128_CBC_SHA"), ["anon"]);
        assert_eq!(weaknesses("TLS_RSA_WITH_3DES_EDE_CBC_SHA"), ["3DES"]);
        assert_eq!(weaknesses("TLS_RSA_WITH_DES_CBC_SHA"), ["DES"]);
        assert!(weaknesses("TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256").is_empty());
        assert!(weaknesses("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA").is_empty());
        assert!(is_aead("TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256"));
        assert!(is_aead("TLS_RSA_WITH_AES_128_CCM"));
        assert!(!is_aead("TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256"));
        assert_eq!(name(0x1301), "TLS_AES_128_GCM_SHA256");
        assert_eq!(name(0xfefe), "0xFEFE");
        let mut codes: Vec<u16> = LEGACY.iter().chain(TLS13).map(|(c, _)| *c).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "no suite listed twice");
    }
}

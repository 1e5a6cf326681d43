//! The TLS scan: which protocol versions the portal's HTTPS host accepts, by one real
//! handshake per version, the cipher suites it accepts with each, and the certificate's
//! details. Recorded beside [`super::TlsFacts`] (the single handshake older observations
//! hold), which stays as it was.

use serde::{Deserialize, Serialize};

/// Everything the TLS scan observed.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TlsScan {
    /// Host name scanned (also sent as SNI).
    pub host: String,
    /// Port.
    pub port: u16,
    /// When the scan started (RFC 3339).
    pub observed_at: String,
    /// One entry per protocol version tried, oldest first.
    pub protocols: Vec<ProtocolProbe>,
    /// The certificate, from a full handshake; `None` when no handshake completed.
    pub certificate: Option<CertificateDetails>,
    /// Why the certificate handshake failed, when it did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certificate_error: Option<String>,
    /// TCP connections the scan opened in all (bounded; see `probe::tls::MAX_CONNECTIONS`).
    pub connections: u32,
}

impl TlsScan {
    /// The versions accepted, oldest first (`["TLSv1.2", "TLSv1.3"]`).
    pub fn accepted_versions(&self) -> Vec<String> {
        self.protocols
            .iter()
            .filter(|p| p.accepted())
            .map(|p| p.version.clone())
            .collect()
    }
}

/// What the server did with a `ClientHello` offering one protocol version.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum ProtocolOutcome {
    /// A `ServerHello` for this version.
    Accepted,
    /// An alert, or a `ServerHello` for another version.
    Refused,
    /// The connection closed cleanly without an answer (how some servers refuse).
    Closed,
    /// No usable answer: timeout, reset, not TLS, beyond the bounds. Nothing is known.
    Error,
}

/// One protocol version tried.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ProtocolProbe {
    /// `SSLv3`, `TLSv1`, `TLSv1.1`, `TLSv1.2`, `TLSv1.3` (OpenSSL's names).
    pub version: String,
    /// What the server did with the first `ClientHello`.
    pub outcome: ProtocolOutcome,
    /// The alert, the other version, or the error, in words.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub detail: String,
    /// Suites the server chose, in the order it chose them (each round offers what is left).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub suites: Vec<SuiteFact>,
    /// Whether the enumeration ran to the server's refusal (rather than to the round bound
    /// or an error): when false, more suites may be accepted.
    pub suites_complete: bool,
}

impl ProtocolProbe {
    /// Whether the version was accepted.
    pub fn accepted(&self) -> bool {
        self.outcome == ProtocolOutcome::Accepted
    }
}

/// One accepted cipher suite.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct SuiteFact {
    /// IANA code.
    pub code: u16,
    /// IANA name (`TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256`).
    pub name: String,
    /// Its weaknesses: `NULL`, `EXPORT`, `anon`, `RC4`, `DES`, `3DES`; empty when none.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub weak: Vec<String>,
    /// Whether it is an AEAD suite (GCM, CCM, ChaCha20-Poly1305).
    pub aead: bool,
}

/// The leaf certificate's details, from a full handshake through the system roots and the
/// scenario's CA.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CertificateDetails {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// DNS and IP subject alternative names.
    pub names: Vec<String>,
    /// Whether a name matches the host (one leading `*.` label matches one label).
    pub host_match: bool,
    /// Why the chain does not verify (expiry and untrusted issuers included, a host-name
    /// mismatch not: that is `host_match`); `None` when it verifies.
    pub chain_error: Option<String>,
    /// `RSA`, `EC`, `Ed25519`, `Ed448`, `DSA` or the key algorithm's OID.
    pub key_type: String,
    /// Key size in bits (RSA modulus, EC field size).
    pub key_bits: Option<u32>,
    /// EC curve name (`secp256r1`).
    pub curve: Option<String>,
    /// Signature algorithm (`sha256WithRSAEncryption`, `ecdsa-with-SHA256`).
    pub signature_algorithm: String,
    /// Whether the server stapled an OCSP response (the `ClientHello` asks for one); `None`
    /// when the certificate was read from a plaintext handshake (the staple is not read).
    pub ocsp_stapled: Option<bool>,
}

//! DNS facts of the portal's host (PL8-2): its A and AAAA addresses, one TCP connect over
//! IPv6, and whether a validating resolver proves the answer by a DNSSEC chain.

use serde::{Deserialize, Serialize};

/// What the DNS probe found for the base URL's host.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DnsFacts {
    /// The host name looked up (the base URL's host).
    pub host: String,
    /// The base URL names an IP address: there is no DNS name to look up, and nothing else
    /// below was observed.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub addressed_by_ip: bool,
    /// The resolver asked (`ip:port`), or `system` for `/etc/resolv.conf`.
    pub resolver: String,
    /// The A lookup.
    pub a: DnsLookup,
    /// The AAAA lookup.
    pub aaaa: DnsLookup,
    /// One TCP connect to the first AAAA address on the portal's port; `None` when there was
    /// no AAAA address to try.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ipv6_connect: Option<Ipv6Connect>,
    /// What the validating resolver proved about the host's A answer.
    pub dnssec: Dnssec,
    /// Why DNSSEC is what it is (the resolver's error, the proof of the records).
    pub dnssec_message: String,
}

/// One record-type lookup.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct DnsLookup {
    /// Addresses in the answer (empty: the name has no such record, or the lookup failed).
    pub addresses: Vec<String>,
    /// The resolver's error when it did not answer (timeout, refused, server failure);
    /// `None` when it answered, with records or with none (NXDOMAIN/NODATA).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// The TCP connect over IPv6.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Ipv6Connect {
    /// `[addr]:port` tried.
    pub address: String,
    /// Whether the connection was established within the timeout.
    pub connected: bool,
    /// The connect error or `timeout`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Milliseconds to connect (or to give up).
    pub ms: u64,
}

/// DNSSEC status of the host's answer, as a validating resolver proves it (RFC 4035 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Dnssec {
    /// Signed, and the chain from the trust anchor validates.
    Secure,
    /// Proven unsigned (no DS at a delegation on the way from the anchor).
    Insecure,
    /// Signed but does not validate (bad or expired signature, a key the chain does not
    /// vouch for).
    Bogus,
    /// The resolver could not answer or prove anything (timeout, server failure,
    /// indeterminate): no conclusion.
    Error,
}

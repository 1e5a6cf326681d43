//! The DNS probe (PL8-2): A and AAAA of the base URL's host, one TCP connect to an AAAA
//! address, and the DNSSEC proof of the A answer from a validating resolver (the scenario's
//! `[dns] resolver` or the system's, from the scenario's trust anchor or the root's).
//!
//! Bounded: three lookups (A and AAAA without validation, A with validation, which asks for
//! the DNSKEY/DS records of the chain), one attempt each with a fixed timeout, one connect.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::{Duration, Instant};

use hickory_resolver::config::{ConnectionConfig, NameServerConfig, ResolverConfig};
use hickory_resolver::net::runtime::TokioRuntimeProvider;
use hickory_resolver::proto::dnssec::{Proof, TrustAnchors};
use hickory_resolver::proto::rr::{Name, RData, RecordType};
use hickory_resolver::{Resolver, TokioResolver};

use crate::observation::{DnsFacts, DnsLookup, Dnssec, Ipv6Connect};
use crate::scenario::dns::DnsSettings;

/// Time allowed for one lookup (every query of it) and for the IPv6 connect.
pub const LOOKUP_TIMEOUT: Duration = Duration::from_secs(3);

/// Observes the DNS facts of `base_url`'s host with the scenario's `[dns]` settings.
pub async fn probe(base_url: &url::Url, settings: &DnsSettings, timeout: Duration) -> DnsFacts {
    let resolver_name = settings
        .resolver
        .map_or_else(|| "system".to_string(), |a| a.to_string());
    let host = match base_url.host() {
        Some(url::Host::Domain(d)) => d.trim_end_matches('.').to_ascii_lowercase(),
        Some(h) => return by_ip(h.to_string(), resolver_name),
        None => return by_ip(String::new(), resolver_name),
    };
    let port = base_url.port_or_known_default().unwrap_or(443);
    let mut facts = DnsFacts {
        host: host.clone(),
        addressed_by_ip: false,
        resolver: resolver_name,
        a: DnsLookup::default(),
        aaaa: DnsLookup::default(),
        ipv6_connect: None,
        dnssec: Dnssec::Error,
        dnssec_message: String::new(),
    };
    let name = match Name::from_ascii(format!("{host}.")) {
        Ok(n) => n,
        Err(e) => {
            let error = format!("`{host}` is not a DNS name: {e}");
            facts.a.error = Some(error.clone());
            facts.aaaa.error = Some(error.clone());
            facts.dnssec_message = error;
            return facts;
        }
    };
    let plain = match resolver(settings, false, timeout) {
        Ok(r) => r,
        Err(e) => {
            facts.a.error = Some(e.clone());
            facts.aaaa.error = Some(e.clone());
            facts.dnssec_message = e;
            return facts;
        }
    };
    let (a, aaaa) = tokio::join!(
        lookup(&plain, &name, RecordType::A, timeout),
        lookup(&plain, &name, RecordType::AAAA, timeout)
    );
    facts.a = a.0;
    facts.aaaa = aaaa.0;
    if let Some(ip) = facts
        .aaaa
        .addresses
        .first()
        .and_then(|a| a.parse::<IpAddr>().ok())
    {
        facts.ipv6_connect = Some(connect(SocketAddr::new(ip, port), timeout).await);
    }
    let (dnssec, message) = match resolver(settings, true, timeout) {
        Ok(validating) => {
            validate(
                &validating,
                &name,
                facts.a.error.is_none() && !facts.a.addresses.is_empty(),
                timeout,
            )
            .await
        }
        Err(e) => (Dnssec::Error, e),
    };
    facts.dnssec = dnssec;
    facts.dnssec_message = message;
    facts
}

fn by_ip(host: String, resolver: String) -> DnsFacts {
    DnsFacts {
        host,
        addressed_by_ip: true,
        resolver,
        a: DnsLookup::default(),
        aaaa: DnsLookup::default(),
        ipv6_connect: None,
        dnssec: Dnssec::Error,
        dnssec_message: "the portal is addressed by IP; no DNS to check".to_string(),
    }
}

/// A resolver for the scenario's name server (UDP, then TCP for truncated answers) or the
/// system's, one attempt per query, no cache shared between runs, validating from the
/// scenario's anchor (or the root's) when `validate`.
fn resolver(
    settings: &DnsSettings,
    validate: bool,
    timeout: Duration,
) -> Result<TokioResolver, String> {
    let provider = TokioRuntimeProvider::default();
    let mut builder = match settings.resolver {
        Some(addr) => {
            let mut udp = ConnectionConfig::udp();
            udp.port = addr.port();
            let mut tcp = ConnectionConfig::tcp();
            tcp.port = addr.port();
            let ns = NameServerConfig::new(addr.ip(), true, vec![udp, tcp]);
            Resolver::builder_with_config(
                ResolverConfig::from_parts(None, vec![], vec![ns]),
                provider,
            )
        }
        None => Resolver::builder(provider)
            .map_err(|e| format!("cannot read the system resolver configuration: {e}"))?,
    };
    let opts = builder.options_mut();
    opts.timeout = timeout.min(LOOKUP_TIMEOUT);
    opts.attempts = 1;
    opts.edns0 = true;
    opts.validate = validate;
    if validate {
        let anchors = match &settings.trust_anchor_text {
            Some(text) => text
                .parse::<TrustAnchors>()
                .map_err(|e| format!("the trust anchor does not parse: {e}"))?,
            None => TrustAnchors::default(),
        };
        builder = builder.with_trust_anchor(Arc::new(anchors));
    }
    builder
        .build()
        .map_err(|e| format!("cannot build the resolver: {e}"))
}

/// One lookup of `rtype`: its addresses, or why the resolver did not answer. A name without
/// such records (NXDOMAIN, NODATA) is an answer with no addresses.
async fn lookup(
    r: &TokioResolver,
    name: &Name,
    rtype: RecordType,
    timeout: Duration,
) -> (DnsLookup, Vec<Proof>) {
    let bound = timeout.min(LOOKUP_TIMEOUT) * 2;
    match tokio::time::timeout(bound, r.lookup(name.clone(), rtype)).await {
        Err(_) => (
            DnsLookup {
                addresses: Vec::new(),
                error: Some(format!("no answer within {} s", bound.as_secs())),
            },
            Vec::new(),
        ),
        Ok(Err(e)) if e.is_no_records_found() => (DnsLookup::default(), Vec::new()),
        Ok(Err(e)) => (
            DnsLookup {
                addresses: Vec::new(),
                error: Some(e.to_string()),
            },
            Vec::new(),
        ),
        Ok(Ok(l)) => {
            let mut addresses = Vec::new();
            let mut proofs = Vec::new();
            for rec in l.answers().iter().filter(|r| r.record_type() == rtype) {
                match &rec.data {
                    RData::A(a) => addresses.push(a.0.to_string()),
                    RData::AAAA(a) => addresses.push(a.0.to_string()),
                    _ => continue,
                }
                proofs.push(rec.proof);
            }
            (
                DnsLookup {
                    addresses,
                    error: None,
                },
                proofs,
            )
        }
    }
}

/// The DNSSEC proof of the A answer. `answered`: the non-validating lookup had addresses,
/// so a validating lookup that fails on the same name was refused by the validator (bogus),
/// not by the network — unless it timed out.
async fn validate(
    r: &TokioResolver,
    name: &Name,
    answered: bool,
    timeout: Duration,
) -> (Dnssec, String) {
    let (l, proofs) = lookup(r, name, RecordType::A, timeout).await;
    if let Some(e) = l.error {
        let timed_out = e.contains("no answer within")
            || e.to_ascii_lowercase().contains("timeout")
            || e.to_ascii_lowercase().contains("timed out");
        return if answered && !timed_out {
            (Dnssec::Bogus, format!("the validating lookup failed: {e}"))
        } else {
            (Dnssec::Error, format!("the validating lookup failed: {e}"))
        };
    }
    if proofs.is_empty() {
        return (
            Dnssec::Error,
            "no A record to prove (the validating lookup returned none)".to_string(),
        );
    }
    let names: Vec<String> = proofs
        .iter()
        .map(|p| format!("{p:?}").to_lowercase())
        .collect();
    let message = format!("proof of the A records: {}", names.join(", "));
    let status = if proofs.contains(&Proof::Bogus) {
        Dnssec::Bogus
    } else if proofs.contains(&Proof::Indeterminate) {
        Dnssec::Error
    } else if proofs.contains(&Proof::Insecure) {
        Dnssec::Insecure
    } else {
        Dnssec::Secure
    };
    (status, message)
}

/// One TCP connect over IPv6, bounded.
async fn connect(addr: SocketAddr, timeout: Duration) -> Ipv6Connect {
    let start = Instant::now();
    let bound = timeout.min(LOOKUP_TIMEOUT);
    let r = tokio::time::timeout(bound, tokio::net::TcpStream::connect(addr)).await;
    let ms = u64::try_from(start.elapsed().as_millis()).unwrap_or(u64::MAX);
    let (connected, error) = match r {
        Ok(Ok(_)) => (true, None),
        Ok(Err(e)) => (false, Some(e.to_string())),
        Err(_) => (false, Some(format!("timeout ({} s)", bound.as_secs()))),
    };
    Ipv6Connect {
        address: addr.to_string(),
        connected,
        error,
        ms,
    }
}

#[cfg(test)]
#[path = "dns_tests.rs"]
mod tests;

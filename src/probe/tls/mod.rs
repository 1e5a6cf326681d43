//! TLS probes: the single rustls handshake older observations hold ([`probe`], `TlsFacts`),
//! and the scan ([`scan`], `TlsScan`): every protocol version from SSL 3.0 to TLS 1.3 by a
//! hand-built `ClientHello` each (rustls cannot offer 1.0/1.1, and a hand-built hello can offer
//! suites no library implements any more), the suites each version accepts, and the
//! certificate's details from one full rustls handshake.
//!
//! Bounded: at most [`MAX_CONNECTIONS`] TCP connections per scan, each with the scenario's
//! timeout and at most `scan::MAX_READ` bytes read; nothing but `ClientHellos` is sent.

mod certificate;
mod handshake;
mod hello;
mod scan;
mod suites;

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

pub use certificate::host_matches;
pub use handshake::{cert_facts, probe};
pub use scan::{Exchange, exchange};
pub use suites::{is_aead, weaknesses};

use crate::observation::TlsScan;

/// The most TCP connections one scan opens: one per suite of the table for each of SSL 3.0
/// to TLS 1.2 (a server that accepts them all; a refusal ends a version sooner), five for
/// TLS 1.3, the certificate handshake, and one plaintext handshake to read the certificate
/// when rustls cannot complete one: 4 × 69 + 5 + 1 + 1 = 283.
#[allow(clippy::cast_possible_truncation)] // 69 suites
pub const MAX_CONNECTIONS: u32 = 4 * suites::LEGACY.len() as u32 + suites::TLS13.len() as u32 + 2;

/// Scans `host:port`: each protocol version (concurrently), then the certificate. Never
/// fails: problems are facts.
pub async fn scan(
    host: &str,
    port: u16,
    extra_roots_pem: Option<&[u8]>,
    timeout: Duration,
) -> TlsScan {
    let host = host.trim_matches(['[', ']']);
    let observed_at = crate::now_rfc3339();
    let connections = AtomicU32::new(0);
    let protocols = futures_util::future::join_all(
        scan::VERSIONS
            .iter()
            .map(|v| scan::probe_version(host, port, *v, timeout, &connections)),
    )
    .await;
    connections.fetch_add(1, Ordering::Relaxed);
    let (facts, mut seen) = handshake::handshake(host, port, extra_roots_pem, timeout).await;
    let mut ocsp_stapled = Some(seen.ocsp_stapled);
    let mut handshake_error = facts.error;
    // rustls implements no CBC suite and no TLS < 1.2: for a server it cannot complete a
    // handshake with, the chain is read from a plaintext handshake (TLS 1.2 or older).
    let plaintext = protocols
        .iter()
        .zip(scan::VERSIONS)
        .rev()
        .find(|(p, v)| p.accepted() && *v <= hello::TLS12);
    if let (None, Some((_, version))) = (&seen.leaf, plaintext) {
        match scan::read_chain(host, port, version, timeout, &connections).await {
            Ok(chain) => {
                seen = handshake::verify_chain(&chain, host, extra_roots_pem);
                ocsp_stapled = None;
            }
            Err(e) => {
                handshake_error = Some(format!(
                    "{}; reading the certificate from a {} handshake: {e}",
                    handshake_error.unwrap_or_default(),
                    hello::version_name(version)
                ));
            }
        }
    }
    let chain_error = if seen.name_only {
        None
    } else {
        seen.error.clone()
    };
    let certificate = seen
        .leaf
        .as_deref()
        .and_then(|der| certificate::details(der, host, chain_error, ocsp_stapled));
    TlsScan {
        host: host.to_string(),
        port,
        observed_at,
        protocols,
        certificate_error: if certificate.is_none() {
            Some(handshake_error.unwrap_or_else(|| "no certificate received".into()))
        } else {
            None
        },
        certificate,
        connections: connections.load(Ordering::Relaxed),
    }
}

#[cfg(test)]
mod tests;

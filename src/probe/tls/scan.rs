//! The protocol scan: for each version, `ClientHellos` offering every suite the table holds,
//! the chosen one removed each round until the server refuses — testssl.sh's and sslscan's
//! method. Versions run concurrently (a silent server costs one timeout, not five); rounds
//! within a version run one after the other, each on its own connection, with a timeout and
//! a bound on the bytes read.

use std::sync::atomic::{AtomicU32, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

use super::hello::{self, Parsed, Reply};
use super::suites;
use crate::observation::{ProtocolOutcome, ProtocolProbe, SuiteFact};

/// The most bytes read from one answer: a `ServerHello` fits well within, whatever follows it.
pub const MAX_READ: usize = 8192;

/// The versions tried, oldest first.
pub const VERSIONS: [u16; 5] = [
    hello::SSL3,
    hello::TLS10,
    hello::TLS11,
    hello::TLS12,
    hello::TLS13,
];

/// The most rounds per version: one per suite the table offers, plus the one that finds
/// nothing left to offer (and opens no connection).
pub fn max_rounds(version: u16) -> usize {
    if version >= hello::TLS13 {
        suites::TLS13.len() + 1
    } else {
        suites::LEGACY.len() + 1
    }
}

/// What one connection brought back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exchange {
    /// A `ServerHello` or an alert.
    Reply(Reply),
    /// Closed cleanly before any byte.
    Closed,
    /// Timeout, reset, not TLS, or beyond the bounds.
    Error(String),
}

/// Sends one `ClientHello` to `host:port` and reads the first answer.
pub async fn exchange(
    host: &str,
    port: u16,
    hello_bytes: &[u8],
    timeout: Duration,
    connections: &AtomicU32,
) -> Exchange {
    connections.fetch_add(1, Ordering::Relaxed);
    let run = async {
        let mut tcp = TcpStream::connect((host, port))
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        tcp.write_all(hello_bytes)
            .await
            .map_err(|e| format!("cannot send the ClientHello: {e}"))?;
        let mut buf = Vec::with_capacity(1024);
        let mut chunk = [0u8; 2048];
        loop {
            let n = tcp
                .read(&mut chunk)
                .await
                .map_err(|e| format!("connection failed: {e}"))?;
            if n == 0 {
                return if buf.is_empty() {
                    Ok(Exchange::Closed)
                } else {
                    Err(format!("connection closed after {} bytes", buf.len()))
                };
            }
            buf.extend_from_slice(&chunk[..n]);
            match hello::parse(&buf) {
                Parsed::Done(r) => return Ok(Exchange::Reply(r)),
                Parsed::Invalid(m) => return Err(m),
                Parsed::NeedMore if buf.len() >= MAX_READ => {
                    return Err(format!("no complete answer in {MAX_READ} bytes"));
                }
                Parsed::NeedMore => {}
            }
        }
    };
    match tokio::time::timeout(timeout, run).await {
        Err(_) => Exchange::Error(format!("no answer within {} ms", timeout.as_millis())),
        Ok(Err(m)) => Exchange::Error(m),
        Ok(Ok(x)) => x,
    }
}

fn suite_fact(code: u16) -> SuiteFact {
    let name = suites::name(code);
    SuiteFact {
        code,
        weak: suites::weaknesses(&name),
        aead: suites::is_aead(&name) || (0x1301..=0x1305).contains(&code),
        name,
    }
}

/// Tries one version: accepted or not, then the suites it accepts.
pub async fn probe_version(
    host: &str,
    port: u16,
    version: u16,
    timeout: Duration,
    connections: &AtomicU32,
) -> ProtocolProbe {
    let table = if version >= hello::TLS13 {
        suites::TLS13
    } else {
        suites::LEGACY
    };
    let mut offered: Vec<u16> = table.iter().map(|(c, _)| *c).collect();
    let mut probe = ProtocolProbe {
        version: hello::version_name(version),
        outcome: ProtocolOutcome::Error,
        detail: String::new(),
        suites: Vec::new(),
        suites_complete: false,
    };
    for round in 0..max_rounds(version) {
        if offered.is_empty() {
            probe.suites_complete = true;
            break;
        }
        let bytes = hello::client_hello(version, &offered, host);
        let first = round == 0;
        match exchange(host, port, &bytes, timeout, connections).await {
            Exchange::Reply(Reply::ServerHello { version: v, suite }) if v == version => {
                let Some(i) = offered.iter().position(|s| *s == suite) else {
                    probe.detail = format!("the server chose suite 0x{suite:04X}, not offered");
                    if first {
                        probe.outcome = ProtocolOutcome::Error;
                    }
                    break;
                };
                offered.remove(i);
                probe.outcome = ProtocolOutcome::Accepted;
                probe.suites.push(suite_fact(suite));
            }
            Exchange::Reply(Reply::ServerHello { version: v, .. }) => {
                if first {
                    probe.outcome = ProtocolOutcome::Refused;
                    probe.detail = format!("answered with {}", hello::version_name(v));
                } else {
                    probe.suites_complete = true;
                }
                break;
            }
            Exchange::Reply(Reply::Alert { description }) => {
                if first {
                    probe.outcome = ProtocolOutcome::Refused;
                    probe.detail = format!("alert {}", hello::alert_name(description));
                } else {
                    probe.suites_complete = true;
                }
                break;
            }
            Exchange::Closed => {
                if first {
                    probe.outcome = ProtocolOutcome::Closed;
                    probe.detail = "connection closed without an answer".into();
                } else {
                    probe.suites_complete = true;
                }
                break;
            }
            Exchange::Error(m) => {
                probe.detail = if first {
                    m
                } else {
                    format!("suite enumeration stopped: {m}")
                };
                break;
            }
        }
    }
    probe
}

/// The most bytes read for a certificate chain (real chains are a few KiB).
pub const MAX_CHAIN_READ: usize = 64 * 1024;

/// Reads the certificate chain of a plaintext handshake at `version` (≤ TLS 1.2): one
/// connection offering every suite, read up to the `Certificate` message.
pub async fn read_chain(
    host: &str,
    port: u16,
    version: u16,
    timeout: Duration,
    connections: &AtomicU32,
) -> Result<Vec<Vec<u8>>, String> {
    connections.fetch_add(1, Ordering::Relaxed);
    let offered: Vec<u16> = suites::LEGACY.iter().map(|(c, _)| *c).collect();
    let bytes = hello::client_hello(version, &offered, host);
    let run = async {
        let mut tcp = TcpStream::connect((host, port))
            .await
            .map_err(|e| format!("cannot connect: {e}"))?;
        tcp.write_all(&bytes)
            .await
            .map_err(|e| format!("cannot send the ClientHello: {e}"))?;
        let mut buf = Vec::with_capacity(8192);
        let mut chunk = [0u8; 8192];
        loop {
            let n = tcp
                .read(&mut chunk)
                .await
                .map_err(|e| format!("connection failed: {e}"))?;
            if n == 0 {
                return Err("connection closed before the certificate".to_string());
            }
            buf.extend_from_slice(&chunk[..n]);
            if let Some(chain) = hello::certificate_chain(&buf)? {
                return Ok(chain);
            }
            if buf.len() >= MAX_CHAIN_READ {
                return Err(format!("no certificate in {MAX_CHAIN_READ} bytes"));
            }
        }
    };
    tokio::time::timeout(timeout, run)
        .await
        .unwrap_or_else(|_| Err(format!("no certificate within {} ms", timeout.as_millis())))
}

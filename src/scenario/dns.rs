//! `[dns]`: the resolver the DNS probe (PL8-2) asks and the DNSSEC trust anchor it validates
//! from.

use std::net::SocketAddr;
use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::input::{Source, relative_to};

/// `[dns]` as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDns {
    /// Name server address `ip:port` (`"127.0.0.1:5353"`); default: the system resolver from
    /// `/etc/resolv.conf`.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub resolver: Option<Spanned<String>>,
    /// File of DNSKEY records (zone-file syntax) trusted as DNSSEC anchors, for a zone whose
    /// chain does not start at the root; default: the built-in root anchors.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub trust_anchor: Option<Spanned<String>>,
}

/// `[dns]` checked.
#[derive(Debug, Clone, Default, Serialize)]
pub struct DnsSettings {
    /// The name server to ask; `None`: the system resolver.
    pub resolver: Option<SocketAddr>,
    /// The trust-anchor file (as resolved against the scenario's folder).
    pub trust_anchor: Option<PathBuf>,
    /// Its DNSKEY records, read when the scenario was loaded.
    #[serde(skip)]
    pub trust_anchor_text: Option<String>,
}

/// Checks `[dns]`: the resolver is `ip:port`, the trust anchor a readable file of DNSKEY
/// records.
pub(super) fn validate(
    raw: &RawDns,
    source: &Source,
    problems: &mut Vec<crate::error::Problem>,
) -> DnsSettings {
    let mut resolver = None;
    if let Some(r) = &raw.resolver {
        if let Ok(a) = r.get_ref().trim().parse::<SocketAddr>() {
            resolver = Some(a);
        } else {
            problems.push(source.problem_at(
                Some(r.span()),
                Some("dns.resolver".into()),
                format!(
                    "`{}` is not a name server address `ip:port` (e.g. \"127.0.0.1:53\")",
                    r.get_ref()
                ),
            ));
        }
    }
    let mut trust_anchor = None;
    let mut trust_anchor_text = None;
    if let Some(f) = &raw.trust_anchor {
        let path = relative_to(&source.path, f.get_ref());
        let problem = match std::fs::read_to_string(&path) {
            Ok(text) => match text.parse::<hickory_resolver::proto::dnssec::TrustAnchors>() {
                Ok(_) if text.to_ascii_uppercase().contains("DNSKEY") => {
                    trust_anchor_text = Some(text);
                    None
                }
                Ok(_) => Some(format!("`{}` holds no DNSKEY record", path.display())),
                Err(e) => Some(format!(
                    "`{}` is not a file of DNSKEY records: {e}",
                    path.display()
                )),
            },
            Err(e) => Some(format!("cannot read `{}`: {e}", path.display())),
        };
        match problem {
            Some(p) => {
                problems.push(source.problem_at(
                    Some(f.span()),
                    Some("dns.trust-anchor".into()),
                    p,
                ));
            }
            None => trust_anchor = Some(path),
        }
    }
    DnsSettings {
        resolver,
        trust_anchor,
        trust_anchor_text,
    }
}

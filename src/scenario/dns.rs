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

#[cfg(test)]
mod tests {
    use crate::scenario::Scenario;
    use crate::scenario::tests::{OK, src};

    #[test]
    fn dns_defaults_to_the_system_resolver_and_the_root_anchor() {
        let s = Scenario::from_source(&src(OK)).unwrap();
        assert!(s.dns.resolver.is_none() && s.dns.trust_anchor.is_none());
    }

    #[test]
    fn dns_resolver_and_trust_anchor_are_read() {
        let dir = tempfile::tempdir().unwrap();
        let anchor = dir.path().join("anchor.key");
        std::fs::write(
            &anchor,
            "signed.test. IN DNSKEY 257 3 13 las/KPXKqWTcXWIZPoAwcq6q4JqgdxICVKEUlPcRvnC26BnHi2Ww/yiM4+eZpFttYuPaOCnNTEFw3zKtQtmfVA==\n",
        )
        .unwrap();
        let text = format!(
            "{OK}[dns]\nresolver = \"127.0.0.1:5353\"\ntrust-anchor = \"{}\"\n",
            anchor.display()
        );
        let s = Scenario::from_source(&src(&text)).unwrap();
        assert_eq!(s.dns.resolver.unwrap().to_string(), "127.0.0.1:5353");
        assert_eq!(s.dns.trust_anchor.as_deref(), Some(anchor.as_path()));
        assert!(s.dns.trust_anchor_text.unwrap().contains("DNSKEY"));
    }

    #[test]
    fn dns_bad_resolver_and_anchor_name_their_keys() {
        let dir = tempfile::tempdir().unwrap();
        let empty = dir.path().join("empty.key");
        std::fs::write(&empty, "; nothing\n").unwrap();
        for (value, key, says) in [
            (
                "resolver = \"dns.example:53\"",
                "dns.resolver",
                "not a name server address",
            ),
            ("resolver = \"127.0.0.1\"", "dns.resolver", "ip:port"),
            (
                "trust-anchor = \"/nonexistent/anchor.key\"",
                "dns.trust-anchor",
                "cannot read",
            ),
            (
                &format!("trust-anchor = \"{}\"", empty.display()),
                "dns.trust-anchor",
                "holds no DNSKEY",
            ),
            (
                "resolvers = \"127.0.0.1:53\"",
                "dns.resolvers",
                "did you mean `resolver`",
            ),
        ] {
            let text = format!("{OK}[dns]\n{value}\n");
            let msg = Scenario::from_source(&src(&text)).unwrap_err().to_string();
            assert!(msg.contains(key) && msg.contains(says), "{value}: {msg}");
        }
    }
}

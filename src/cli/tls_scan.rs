//! `kiemdinh tls-scan HOST:PORT` (hidden, for `benches/security-compare/tls.sh`): the TLS
//! scan of one endpoint without a whole assessment — the same probe `assess` runs for SEC-1.

use std::path::PathBuf;

use kiemdinh::error::Error;
use kiemdinh::exit::ExitCode;

/// `kiemdinh tls-scan` options.
#[derive(Debug, clap::Args)]
pub struct TlsScanArgs {
    /// The endpoint, `HOST:PORT` (`[::1]:8443` for an IPv6 address).
    pub target: String,
    /// Extra trusted CA certificates (PEM), as a scenario's `ca-file`.
    #[arg(long)]
    pub ca_file: Option<PathBuf>,
    /// Timeout per connection, milliseconds.
    #[arg(long, default_value_t = 10_000)]
    pub timeout_ms: u64,
    /// Print the whole scan as JSON instead of one line per version.
    #[arg(long)]
    pub json: bool,
}

/// Runs the scan and prints it.
pub fn run(a: &TlsScanArgs) -> Result<ExitCode, Error> {
    let (host, port) = a
        .target
        .rsplit_once(':')
        .and_then(|(h, p)| Some((h.to_string(), p.parse::<u16>().ok()?)))
        .ok_or_else(|| Error::Usage(format!("`{}` is not HOST:PORT", a.target)))?;
    let ca = a.ca_file.as_ref().map(fs_err::read).transpose()?;
    let timeout = std::time::Duration::from_millis(a.timeout_ms);
    let scan = super::runtime()?.block_on(kiemdinh::probe::tls::scan(
        &host,
        port,
        ca.as_deref(),
        timeout,
    ));
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&scan).map_err(|e| Error::Usage(e.to_string()))?
        );
        return Ok(ExitCode::Success);
    }
    for p in &scan.protocols {
        let suites: Vec<String> = p
            .suites
            .iter()
            .map(|s| {
                if s.weak.is_empty() {
                    s.name.clone()
                } else {
                    format!("{} [{}]", s.name, s.weak.join(","))
                }
            })
            .collect();
        println!(
            "{:<8} {:?} {} {}",
            p.version,
            p.outcome,
            p.detail,
            suites.join(" ")
        );
    }
    if let Some(c) = &scan.certificate {
        println!(
            "certificate {} {} bits, {}, host match {}, chain {}, OCSP staple {}, until {}",
            c.key_type,
            c.key_bits.map_or_else(|| "?".into(), |b| b.to_string()),
            c.signature_algorithm,
            c.host_match,
            c.chain_error.as_deref().unwrap_or("valid"),
            c.ocsp_stapled
                .map_or("not read", |s| if s { "yes" } else { "no" }),
            c.not_after
        );
    }
    println!("versions: {}", scan.accepted_versions().join(" "));
    println!("connections: {}", scan.connections);
    Ok(ExitCode::Success)
}

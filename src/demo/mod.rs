//! The reference portal ("Cổng Dịch vụ công tỉnh Mẫu", fictional): axum on loopback over HTTPS
//! with a certificate generated at start, plain HTTP redirecting to it, and named `--defects`
//! that each break one requirement the way real portals do.

pub mod content;
mod pages;

use std::collections::BTreeSet;
use std::net::SocketAddr;
use std::sync::Arc;

use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::service::TowerToHyperService;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::input::{Source, did_you_mean};
use crate::scenario::{RawScenario, Scenario};

/// Every defect the reference portal can switch on, with what it breaks.
pub const DEFECTS: &[(&str, &str)] = &[
    (
        "footer-differs",
        "PL3-3: the statistics page uses an outdated footer",
    ),
    (
        "header-missing",
        "PL3-1, PL3-2: the search page is rendered without the site header",
    ),
    ("no-emc", "PL6-1: the guide page lacks the EMC embed code"),
    (
        "emc-site-id-differs",
        "PL6-4: the FAQ page reports to another EMC site id",
    ),
    ("no-hsts", "SEC-2: no Strict-Transport-Security header"),
    ("no-csp", "SEC-2: no Content-Security-Policy header"),
    (
        "server-banner",
        "SEC-7: `Server` and `X-Powered-By` reveal versions",
    ),
    ("stack-trace", "SEC-7: error pages show a stack trace"),
    (
        "no-https-redirect",
        "SEC-1: plain HTTP serves the site instead of redirecting",
    ),
    (
        "deep-service",
        "PL1-11: one procedure is only reachable five clicks deep",
    ),
    ("no-sitemap", "PL3-7: no sitemap.xml"),
    (
        "procedure-fields-missing",
        "PL1-2.1: every third procedure page lacks fees and legal basis",
    ),
    (
        "script-title",
        "none (hostile input): a page title contains `<script>`",
    ),
    (
        "redirect-loop",
        "none (hostile input): a linked page redirects to itself",
    ),
    ("huge-page", "none (hostile input): a linked page is 8 MiB"),
    (
        "no-service-level",
        "PL1-2, DVCQG-2: procedure pages and the catalogue do not show the service level",
    ),
    (
        "search-broken",
        "PL1-5: every search answers HTTP 500 (\"Hệ thống đang bận\")",
    ),
    (
        "lookup-silent",
        "PL1-5.1: an unknown dossier code gets an empty answer, no \"not found\"",
    ),
    ("no-rating", "PL1-7: the rating page lost its form"),
    (
        "no-chatbot",
        "PL1-9: the virtual-assistant page answers 404",
    ),
    (
        "stats-over-100",
        "PL1-8: the statistics page shows an on-time rate of 112,5%",
    ),
    (
        "delegation-broken",
        "PL1-6: the complaints link points to a look-alike host, not DVCQG",
    ),
    (
        "catalogue-drift",
        "DVCQG-2: one procedure renamed and one local procedure not in the DVCQG catalogue",
    ),
    (
        "no-sso",
        "PL1-1, SSO-1: login is a local password form, no VNeID / DVCQG single sign-on",
    ),
    (
        "sso-no-state",
        "SSO-1: the identity-provider request has no state, nonce or PKCE",
    ),
    (
        "insecure-cookie",
        "SEC-3: the session cookie lacks Secure, HttpOnly and SameSite",
    ),
    (
        "admin-exposed",
        "SEC-8: the back-office login is served at /quan-tri on the public host",
    ),
    (
        "mixed-content",
        "SEC-10: the introduction page loads an image over http://",
    ),
    (
        "no-sri",
        "SEC-10: the statistics page loads a CDN script without integrity",
    ),
    (
        "status-api-invalid",
        "DVCQG-3: the status endpoint answers JSON that breaks the schema",
    ),
];

/// A set of switched-on defects.
#[derive(Debug, Clone, Default)]
pub struct Defects(BTreeSet<String>);

impl Defects {
    /// Parses defect names; an unknown name is a usage error with a suggestion.
    pub fn parse(names: &[String]) -> Result<Self, Error> {
        let known: Vec<&str> = DEFECTS.iter().map(|(n, _)| *n).collect();
        let mut set = BTreeSet::new();
        for n in names.iter().map(|n| n.trim()).filter(|n| !n.is_empty()) {
            if !known.contains(&n) {
                return Err(Error::Usage(match did_you_mean(n, known.iter().copied()) {
                    Some(s) => format!("unknown defect `{n}`, did you mean `{s}`?"),
                    None => format!("unknown defect `{n}`; known defects: {}", known.join(", ")),
                }));
            }
            set.insert(n.to_string());
        }
        Ok(Self(set))
    }

    /// Whether a defect is on.
    pub fn has(&self, name: &str) -> bool {
        self.0.contains(name)
    }
}

/// Shared state of the running portal.
#[derive(Debug)]
pub struct State {
    /// Defects.
    pub defects: Defects,
    /// `https://127.0.0.1:PORT/`.
    pub base: String,
    /// Catalogue.
    pub procedures: Vec<content::Procedure>,
    /// Tracker hits received (page views), for later browser checks.
    pub hits: std::sync::atomic::AtomicUsize,
}

/// A running reference portal. Dropping it or calling [`RunningPortal::shutdown`] stops it.
pub struct RunningPortal {
    /// HTTPS address.
    pub https: SocketAddr,
    /// Plain-HTTP address.
    pub http: SocketAddr,
    /// The CA certificate (PEM) that signed the portal's certificate.
    pub ca_pem: String,
    /// A private folder holding the demo scenario's sample evidence files.
    files: std::path::PathBuf,
    tasks: Vec<JoinHandle<()>>,
}

/// The demo scenario's sample files: (path relative to the scenario, bytes).
pub const SAMPLE_FILES: &[(&str, &[u8])] = &[
    (
        "demo-evidence/sec-11-quyet-dinh-cap-do-3.pdf",
        include_bytes!("../../scenarios/demo-evidence/sec-11-quyet-dinh-cap-do-3.pdf"),
    ),
    (
        "demo-evidence/pl7-1-de-nghi-ket-noi-emc.pdf",
        include_bytes!("../../scenarios/demo-evidence/pl7-1-de-nghi-ket-noi-emc.pdf"),
    ),
    (
        "demo-evidence/d4-3-thuyet-minh-kien-truc.txt",
        include_bytes!("../../scenarios/demo-evidence/d4-3-thuyet-minh-kien-truc.txt"),
    ),
    (
        "demo-evidence/dvcqg-catalogue.csv",
        include_bytes!("../../scenarios/demo-evidence/dvcqg-catalogue.csv"),
    ),
];

/// Writes the sample files into a fresh private folder (the demo works from any directory).
fn write_samples(port: u16) -> Result<std::path::PathBuf, Error> {
    let dir = std::env::temp_dir().join(format!("kiemdinh-demo-{}-{port}", std::process::id()));
    for (rel, bytes) in SAMPLE_FILES {
        let path = dir.join(rel);
        if let Some(parent) = path.parent() {
            fs_err::create_dir_all(parent)?;
        }
        fs_err::write(&path, bytes)?;
    }
    Ok(dir)
}

impl RunningPortal {
    /// The HTTPS base URL.
    pub fn base_url(&self) -> String {
        format!("https://{}/", self.https)
    }

    /// The demo scenario pointed at this instance, trusting its CA.
    pub fn scenario(&self) -> Result<Scenario, Error> {
        let source = Source {
            path: self.files.join("demo.toml"),
            text: crate::scenario::DEMO
                .replace("https://127.0.0.1:8443/", &self.base_url())
                .replace("http://127.0.0.1:8080/", &format!("http://{}/", self.http)),
        };
        let raw: RawScenario = source.parse("scenario")?;
        let mut s = Scenario::validate(raw, &source)?;
        s.ca_pem = Some(self.ca_pem.clone().into_bytes());
        Ok(s)
    }

    /// Stops the listeners.
    pub fn shutdown(self) {
        drop(self);
    }
}

impl Drop for RunningPortal {
    fn drop(&mut self) {
        for t in &self.tasks {
            t.abort();
        }
        let _ = std::fs::remove_dir_all(&self.files);
    }
}

/// `catalogue-drift`: a procedure renamed locally and a local procedure DVCQG does not know.
fn drifted(mut procedures: Vec<content::Procedure>) -> Vec<content::Procedure> {
    procedures[4].name = "Cung cấp thông tin, dữ liệu đất đai";
    let mut extra = procedures[0].clone();
    extra.code = "2.009901".into();
    extra.name = "Thủ tục thí điểm cấp tỉnh";
    procedures.push(extra);
    procedures
}

/// A CA and a leaf for `127.0.0.1/localhost/::1`, generated now.
fn certificates() -> Result<(String, rustls::ServerConfig), Error> {
    use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, KeyPair, KeyUsagePurpose};
    let e = |e: rcgen::Error| Error::Demo(e.to_string());
    let mut ca_params = CertificateParams::new(Vec::<String>::new()).map_err(e)?;
    ca_params
        .distinguished_name
        .push(DnType::CommonName, "kiemdinh demo CA");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca_params.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_key = KeyPair::generate().map_err(e)?;
    let ca = rcgen::CertifiedIssuer::self_signed(ca_params, ca_key).map_err(e)?;
    let mut leaf_params = CertificateParams::new(vec![
        "localhost".to_string(),
        "127.0.0.1".to_string(),
        "::1".to_string(),
    ])
    .map_err(e)?;
    leaf_params
        .distinguished_name
        .push(DnType::CommonName, "dichvucong.mau.gov.vn (demo)");
    let now = time::OffsetDateTime::now_utc();
    leaf_params.not_before = now - time::Duration::days(1);
    leaf_params.not_after = now + time::Duration::days(90);
    let leaf_key = KeyPair::generate().map_err(e)?;
    let leaf = leaf_params.signed_by(&leaf_key, &ca).map_err(e)?;
    let key = rustls::pki_types::PrivateKeyDer::try_from(leaf_key.serialize_der())
        .map_err(|m| Error::Demo(m.to_string()))?;
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(
        rustls::crypto::aws_lc_rs::default_provider(),
    ))
    .with_safe_default_protocol_versions()
    .map_err(|m| Error::Demo(m.to_string()))?
    .with_no_client_auth()
    .with_single_cert(vec![leaf.der().clone(), ca.der().clone()], key)
    .map_err(|m| Error::Demo(m.to_string()))?;
    Ok((ca.pem(), config))
}

async fn serve_tls(listener: TcpListener, config: rustls::ServerConfig, app: Router) {
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    loop {
        let Ok((tcp, _)) = listener.accept().await else {
            continue;
        };
        let acceptor = acceptor.clone();
        let app = app.clone();
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else {
                return;
            };
            let service = TowerToHyperService::new(app);
            let _ = hyper_util::server::conn::auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), service)
                .await;
        });
    }
}

/// Starts the portal on 127.0.0.1 (port 0 = any free port).
pub async fn start(
    https_port: u16,
    http_port: u16,
    defects: Defects,
) -> Result<RunningPortal, Error> {
    let (ca_pem, config) = certificates()?;
    let bind = |port: u16| async move {
        TcpListener::bind(("127.0.0.1", port))
            .await
            .map_err(|e| Error::Demo(format!("cannot listen on 127.0.0.1:{port}: {e}")))
    };
    let tls_listener = bind(https_port).await?;
    let http_listener = bind(http_port).await?;
    let https = tls_listener.local_addr()?;
    let http = http_listener.local_addr()?;
    let procedures = if defects.has("catalogue-drift") {
        drifted(content::procedures())
    } else {
        content::procedures()
    };
    let state = Arc::new(State {
        defects,
        base: format!("https://{https}/"),
        procedures,
        hits: std::sync::atomic::AtomicUsize::new(0),
    });
    let app = pages::router(state.clone());
    let plain = pages::plain_router(state, https.port());
    let tasks = vec![
        tokio::spawn(serve_tls(tls_listener, config, app)),
        tokio::spawn(async move {
            let _ = axum::serve(http_listener, plain).await;
        }),
    ];
    Ok(RunningPortal {
        https,
        http,
        ca_pem,
        files: write_samples(https.port())?,
        tasks,
    })
}

/// `kiemdinh demo serve`: runs until Ctrl-C, printing the addresses and the CA file.
pub async fn serve_forever(
    https_port: u16,
    http_port: u16,
    defects: &[String],
) -> Result<(), Error> {
    let portal = start(https_port, http_port, Defects::parse(defects)?).await?;
    let ca = std::env::temp_dir().join(format!("kiemdinh-demo-ca-{}.pem", portal.https.port()));
    fs_err::write(&ca, &portal.ca_pem)?;
    println!(
        "{} on {} (plain HTTP on http://{}/)",
        content::PORTAL,
        portal.base_url(),
        portal.http
    );
    println!(
        "CA certificate: {}  (e.g. curl --cacert {} {})",
        ca.display(),
        ca.display(),
        portal.base_url()
    );
    println!("press Ctrl-C to stop");
    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}

#[cfg(test)]
mod tests {
    /// The shipped DVCQG export is the demo catalogue (`KIEMDINH_BLESS=1` rewrites it).
    #[test]
    fn shipped_catalogue_export_matches_the_demo_catalogue() {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/scenarios/demo-evidence/dvcqg-catalogue.csv"
        );
        let want = super::content::catalogue_csv();
        if std::env::var_os("KIEMDINH_BLESS").is_some() {
            std::fs::write(path, &want).unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(path).unwrap(),
            want,
            "run with KIEMDINH_BLESS=1"
        );
    }
}

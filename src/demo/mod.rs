//! The reference portal ("Cổng Dịch vụ công tỉnh Mẫu", fictional): axum on loopback over HTTPS
//! with a certificate generated at start, plain HTTP redirecting to it, a markup `--theme`
//! (semantic HTML5, Liferay/OpenCPS, an old div/table layout, decomposed Unicode) and named
//! `--defects` that each break one requirement the way real portals do, in every theme.
//!
//! Where to look:
//! - [`options`] — the [`THEMES`] and [`DEFECTS`] tables (what `--help` prints) and their parsing
//! - `content` — the fictional province's data: catalogue, fields, emblem, stylesheet
//! - `layout` — the page chrome per theme: header, menu, footer, EMC embed, per-request noise
//! - `router` — every route, the security headers and the plain-HTTP redirect
//! - `routes::{portal, functions, account}` — the pages: catalogue and search; statistics,
//!   rating, guide, FAQ, chatbot and other functions; login, SSO and machine endpoints
//! - `routes::api` and `overload` — the load-bearing JSON API (catalogue search, one
//!   procedure, dossier lookup, an exact delay) and the `overload=N` defect's gate
//! - `routes::{forms, widgets}` — the citizen journeys: the e-form with its upload, the
//!   payment and signing step, the mock payment platform; the rating and chatbot answers and
//!   the page scripts (`/assets/js/*.js`, same-origin files the CSP allows)
//! - `shell` — the scripts of the browser defects (`spa-shell`'s body builder, `layout-shift`)
//! - `tls` — the generated certificates and the TLS accept loop
//! - `meter` — the request counter at the unlinked [`REQUESTS_PATH`] and the `slow=MS` delay
//!
//! The mock EMC tracker answers on every host but the pages send to [`TRACKER_HOST`]
//! (`https://emc.localhost:PORT/`, loopback in browsers), another origin than the portal, so a
//! browser run can block it; [`RunningPortal::tracker_hits`] counts what reached it. Every
//! page carries a viewport meta and fits a 360 px screen; the home page's hero image is its
//! largest contentful paint. The [`BROWSER_DEFECTS`] only show in a browser.

pub mod content;
mod exposure;
mod layout;
mod meter;
pub mod options;
mod overload;
mod router;
mod routes;
mod security_defects;
mod shell;
mod tls;

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};

use tokio::net::TcpListener;
use tokio::task::JoinHandle;

use crate::error::Error;
use crate::input::Source;
use crate::scenario::{RawScenario, Scenario};

pub use layout::TRACKER_HOST;
pub use meter::{OUTAGE_PATH, REQUESTS_PATH};
pub use options::{BROWSER_DEFECTS, DEFECTS, Defects, THEMES, Theme, help};

/// Shared state of the running portal.
#[derive(Debug)]
pub struct State {
    /// Defects.
    pub defects: Defects,
    /// Markup theme.
    pub theme: Theme,
    /// `https://127.0.0.1:PORT/`.
    pub base: String,
    /// The plain-HTTP site, `http://127.0.0.1:PORT/` (`login-offsite-http` sends the login
    /// there, on `localhost`).
    pub http_base: String,
    /// Catalogue.
    pub procedures: Vec<content::Procedure>,
    /// Requests that reached the mock EMC tracker (its script and `/emc/tracking`, any
    /// host): a browser run that blocks the tracker leaves it at 0.
    pub tracker_hits: AtomicUsize,
    /// Page requests served: the visitor counter and the session tokens of the non-semantic
    /// themes change with it, as on real portals.
    pub visits: AtomicU64,
    /// Requests in flight over the whole portal, counted only under `overload=N`.
    pub in_flight: AtomicUsize,
    /// Requests served by both sites since start, but those to [`REQUESTS_PATH`].
    pub requests: AtomicU64,
    /// The back office's local login: sessions, failures, idle timeout (SEC-3/4/5).
    pub local_login: routes::session::LocalLogin,
    /// An outage switched on through [`OUTAGE_PATH`]: every page answers 503.
    pub outage: AtomicBool,
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
    state: Arc<State>,
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

    /// How many requests reached the mock EMC tracker on `emc.localhost` (its script or
    /// `/emc/tracking`, whatever the host) since start: 0 after a run that blocked it.
    pub fn tracker_hits(&self) -> usize {
        self.state.tracker_hits.load(Ordering::Relaxed)
    }

    /// How many requests both sites have served since start (what [`REQUESTS_PATH`] answers).
    pub fn requests(&self) -> u64 {
        self.state.requests.load(Ordering::SeqCst)
    }

    /// The back office's local login (its idle timeout can be shortened for tests).
    pub fn local_login(&self) -> &routes::session::LocalLogin {
        &self.state.local_login
    }

    /// Switches the outage of [`OUTAGE_PATH`] on or off (every page answers 503 while on).
    pub fn set_outage(&self, on: bool) {
        self.state.outage.store(on, Ordering::SeqCst);
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

/// Starts the portal in the semantic theme on 127.0.0.1 (port 0 = any free port).
pub async fn start(
    https_port: u16,
    http_port: u16,
    defects: Defects,
) -> Result<RunningPortal, Error> {
    start_themed(https_port, http_port, defects, Theme::Semantic).await
}

/// Starts the portal in a theme on 127.0.0.1 (port 0 = any free port).
pub async fn start_themed(
    https_port: u16,
    http_port: u16,
    defects: Defects,
    theme: Theme,
) -> Result<RunningPortal, Error> {
    let (ca_pem, config) = tls::certificates(&defects)?;
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
        theme,
        base: format!("https://{https}/"),
        http_base: format!("http://{http}/"),
        procedures,
        tracker_hits: AtomicUsize::new(0),
        visits: AtomicU64::new(123_456),
        in_flight: AtomicUsize::new(0),
        requests: AtomicU64::new(0),
        local_login: routes::session::LocalLogin::default(),
        outage: AtomicBool::new(false),
    });
    let app = router::router(state.clone());
    let plain = router::plain_router(state.clone(), https.port());
    let tasks = vec![
        tokio::spawn(tls::serve_tls(tls_listener, config, app)),
        tokio::spawn(async move {
            let _ = axum::serve(http_listener, plain).await;
        }),
    ];
    Ok(RunningPortal {
        https,
        http,
        ca_pem,
        files: write_samples(https.port())?,
        state,
        tasks,
    })
}

/// `kiemdinh demo serve`: runs until Ctrl-C, printing the addresses and the CA file.
pub async fn serve_forever(
    https_port: u16,
    http_port: u16,
    defects: &[String],
    theme: &str,
) -> Result<(), Error> {
    use std::io::Write as _;
    let defects = Defects::parse(defects)?;
    let theme = Theme::parse(theme)?;
    let portal = start_themed(https_port, http_port, defects, theme).await?;
    let ca = std::env::temp_dir().join(format!("kiemdinh-demo-ca-{}.pem", portal.https.port()));
    fs_err::write(&ca, &portal.ca_pem)?;
    // Whoever started us may stop reading after the address lines: a closed stdout must not
    // stop the portal (println! would panic on it).
    let mut out = std::io::stdout().lock();
    let _ = writeln!(
        out,
        "{} ({} theme) on {} (plain HTTP on http://{}/)",
        content::PORTAL,
        theme.name(),
        portal.base_url(),
        portal.http
    );
    let _ = writeln!(
        out,
        "CA certificate: {}  (e.g. curl --cacert {} {})",
        ca.display(),
        ca.display(),
        portal.base_url()
    );
    let _ = writeln!(
        out,
        "mock EMC tracker: https://{TRACKER_HOST}:{}/emc/tracking",
        portal.https.port()
    );
    let _ = writeln!(out, "press Ctrl-C to stop");
    let _ = out.flush();
    drop(out);
    let _ = tokio::signal::ctrl_c().await;
    Ok(())
}

#[cfg(test)]
mod active_tests;
#[cfg(test)]
mod browser_tests;
#[cfg(test)]
mod defect_tests;
#[cfg(test)]
mod flow_browser_tests;
#[cfg(test)]
mod flow_tests;
#[cfg(test)]
mod load_tests;
#[cfg(test)]
mod security_tests;
#[cfg(test)]
mod tests;

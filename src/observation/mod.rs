//! Observations: typed, serialisable facts the probes gathered about a portal. Judges read
//! only these, so a stored evaluation can be re-judged without touching the portal again.

use serde::{Deserialize, Serialize};

mod active;
mod availability;
mod axe;
mod dns;
mod flows;
mod html;
mod load;
mod metrics;
mod monitoring;
mod rendered;
mod security;
pub use active::{ActiveRun, Idle, Lockout, Renewal};
mod tls_scan;
pub use availability::{
    Availability, DayUptime, Outage, ProbeLatency, Span, Target, TargetAvailability,
};
pub use axe::{AxeAudit, AxeNode, AxeViolation};
pub use dns::{DnsFacts, DnsLookup, Dnssec, Ipv6Connect};
pub use flows::{FlowRun, FlowStatus, OtherBrowser, SmokePage, StepRun, StepStatus};
pub use html::{
    EmcSnippet, Field, Form, FormInput, FoundBy, HtmlFacts, Image, Link, Menu, MenuLink, Region,
    Resource, Row, ScriptsRead,
};
pub use load::{CapacityStep, JourneyStats, Latency, LoadMode, LoadRun, LoadWarning, StepStats};
pub use metrics::{
    LabMetric, MetricRun, MetricSpread, MetricsSummary, PageMetrics, ThrottlingProfile,
    TtfbDefinition, percentile,
};
pub use monitoring::{Monitoring, Suspension};
pub use rendered::{
    BrowserRun, BrowserStatus, FilmFrame, Filmstrip, Overflow, Part, RegionBox, Rendered,
    TrackerFacts, TrackerRequest, View,
};
pub use security::{CorsPreflight, MetaPolicies, ScriptTag};
pub use tls_scan::{CertificateDetails, ProtocolOutcome, ProtocolProbe, SuiteFact, TlsScan};

/// Version of the observation format: bumped when a probe records a new fact that a judge
/// relies on. A judge fed older observations says what they lack (`judge::needs`).
///
/// - 1: kiemdinh 0.1 — HTTP pages, regions by landmark or position, inline EMC snippets.
/// - 2: kiemdinh 0.2 — text in NFC, regions by ARIA role and id/class conventions, menu
///   candidates, image descriptions, EMC snippets in same-host scripts, labelled figures.
/// - 3: kiemdinh 0.3 — the browser probe: lab page-load metrics, rendered pages (DOM facts,
///   boxes, the 360 px view, screenshots), EMC tracker requests blocked and recorded, and how
///   the browser run went (`browser`).
/// - 4: kiemdinh 0.3 — citizen journeys in the browser (`flows`, declared or default), the
///   payment-platform hosts, the cross-browser smoke check (`other_browsers`), and an
///   axe-core audit of every rendered page (`Rendered.accessibility`); files of format 3
///   still load (the fields are optional) and the judges that need them say they lack them.
/// - 5: kiemdinh 0.4 — the load probe (`load`: HDR latency summaries, errors, journeys,
///   capacity steps).
/// - 6: kiemdinh 0.5 — the security probe (`tls_scan`: protocol versions and suites by real
///   handshakes, certificate details; `cors`: one preflight; `dns`: AAAA, IPv6, DNSSEC;
///   `active`: the consent-gated checks), `security_severity`, and the availability monitor's
///   figures and settings (`availability`, `monitoring`). Older files still load; the judges
///   that need these facts say so (`error`/`pending`), never a confident `fail`.
pub const OBSERVATIONS_VERSION: u32 = 6;

/// Everything observed about one portal in one run.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Observations {
    /// Format version ([`OBSERVATIONS_VERSION`] when written).
    pub version: u32,
    /// The kiemdinh version that observed (empty in files older than the field).
    #[serde(default)]
    pub tool_version: String,
    /// When observation started (RFC 3339, UTC).
    pub started_at: String,
    /// When it ended.
    pub finished_at: String,
    /// The HTTPS home page.
    pub base_url: String,
    /// The plain-HTTP entry checked for the redirect.
    pub http_url: String,
    /// Host name the portal is published under.
    pub public_host: String,
    /// Organisation name from the scenario (PL3-4).
    pub organisation: String,
    /// Procedure-page glob from the scenario.
    pub service_pages: Option<String>,
    /// Function name → URL, from the scenario.
    pub functions: Vec<(String, String)>,
    /// Extra EMC tracker hosts from the scenario.
    pub emc_tracker_hosts: Vec<String>,
    /// Expected EMC site id from the scenario.
    pub emc_site_id: Option<String>,
    /// Every URL fetched, once each.
    pub pages: Vec<Page>,
    /// The TLS handshake with the portal's host.
    pub tls: Option<TlsFacts>,
    /// Whether the crawl stopped at `max-pages` with links left unvisited.
    pub crawl_truncated: bool,
    /// Evidence files supplied for requirements.
    #[serde(default)]
    pub evidence: Vec<EvidenceFile>,
    /// Attestations supplied for requirements.
    #[serde(default)]
    pub attestations: Vec<Attestation>,
    /// Functions the scenario declares delegated to DVCQG: function → DVCQG URL.
    #[serde(default)]
    pub delegated: Vec<(String, String)>,
    /// The evaluator's DVCQG catalogue export (DVCQG-2).
    #[serde(default)]
    pub catalogue_export: Option<CatalogueExport>,
    /// Identity-provider hosts the scenario adds to the checklist's list.
    #[serde(default)]
    pub sso_idp_hosts: Vec<String>,
    /// Lab page-load metrics measured in a browser, per page and throttling profile; empty
    /// when no browser ran.
    #[serde(default)]
    pub page_metrics: Vec<PageMetrics>,
    /// How the browser probe went; `None` in observations that predate it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub browser: Option<BrowserRun>,
    /// Pages as the browser rendered them, by the page's `url`.
    #[serde(default, skip_serializing_if = "std::collections::BTreeMap::is_empty")]
    pub rendered: std::collections::BTreeMap<String, Rendered>,
    /// Payment-platform hosts the scenario adds to the checklist's list (PL1-3.6).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub payment_hosts: Vec<String>,
    /// The citizen journeys, in the order they ran; empty when no browser ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows: Vec<FlowRun>,
    /// Why the default journeys could not be built for some requirements (nothing found to
    /// build them from), by requirement id.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub flows_not_built: Vec<(String, String)>,
    /// The cross-browser smoke check (PL1-12), one entry per other browser tried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub other_browsers: Vec<OtherBrowser>,
    /// The load run (Phụ lục V); `None` when the load probe did not run.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub load: Option<LoadRun>,
    /// The availability monitor's figures over the evaluation period (24/7 requirements);
    /// `None` when the scenario names no monitor store.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub availability: Option<Availability>,
    /// The DNS facts of the base URL's host (PL8-2); `None` when the DNS probe did not run
    /// (observations that predate it). Boxed: the observations are held across awaits.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub dns: Option<Box<DnsFacts>>,
    /// The CORS preflight (one `OPTIONS` with an arbitrary `Origin`); `None` when it was not
    /// sent (older observations).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cors: Option<Box<CorsPreflight>>,
    /// The scenario's `[availability]` section (period, planned suspensions, a store that could
    /// not be read); `None` when the scenario has none. Boxed: `assess`'s futures hold the
    /// observations.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub monitoring: Option<Box<Monitoring>>,
    /// `[security.severity]`: the severities the scenario gives security findings (a
    /// setting, kept here so `rejudge` applies it again).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security_severity: Vec<crate::evaluation::finding::SeverityRule>,
    /// The consent-gated active checks (SEC-3 renewal, SEC-4, SEC-5); `None` when `assess`
    /// did not try them (observations of an older run).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub active: Option<Box<ActiveRun>>,
    /// The TLS scan (protocol versions and suites by real handshakes, certificate details);
    /// `None` when it did not run (plain-HTTP portal, observations that predate it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tls_scan: Option<TlsScan>,
}

/// An evidence file, copied into the output's `evidence/` folder.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct EvidenceFile {
    /// Requirement id it supports.
    pub requirement: String,
    /// File name as supplied.
    pub original: String,
    /// Path inside the output directory (`evidence/PL2-1-quyet-dinh.pdf`).
    pub stored_as: String,
    /// Size in bytes.
    pub bytes: u64,
    /// SHA-256, hex.
    pub sha256: String,
}

/// A statement by the system owner.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Attestation {
    /// Requirement id.
    pub requirement: String,
    /// Statement.
    pub statement: String,
    /// Who.
    pub by: String,
    /// When.
    pub date: String,
}

impl Observations {
    /// Pages carrying a role.
    pub fn with_role<'a>(&'a self, role: &'a Role) -> impl Iterator<Item = &'a Page> + 'a {
        self.pages.iter().filter(move |p| p.roles.contains(role))
    }

    /// The first page carrying a role.
    pub fn first_with_role<'a>(&'a self, role: &'a Role) -> Option<&'a Page> {
        self.with_role(role).next()
    }

    /// The home page.
    pub fn home(&self) -> Option<&Page> {
        self.first_with_role(&Role::Home)
    }

    /// The page fetched for a URL (before redirects).
    pub fn page(&self, url: &str) -> Option<&Page> {
        self.pages.iter().find(|p| p.url == url)
    }

    /// The URL the scenario gives for a function.
    pub fn function_url(&self, name: &str) -> Option<&str> {
        self.functions
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, u)| u.as_str())
    }

    /// Successfully fetched HTML pages of the portal's own site (sample and crawl), with the
    /// facts judges read: the rendered DOM's when the browser rendered the page (what a
    /// citizen sees), else the HTTP response's.
    pub fn html_pages(&self) -> impl Iterator<Item = (&Page, &HtmlFacts)> {
        self.http_html_pages().map(|(p, h)| {
            let rendered = self.rendered.get(&p.url).and_then(|r| r.html.as_ref());
            (p, rendered.unwrap_or(h))
        })
    }

    /// As [`Self::html_pages`], always with the HTTP response's facts (what a client without
    /// JavaScript gets).
    pub fn http_html_pages(&self) -> impl Iterator<Item = (&Page, &HtmlFacts)> {
        self.pages.iter().filter_map(|p| {
            let site = p.roles.iter().any(|r| {
                matches!(
                    r,
                    Role::Home | Role::Sample | Role::Crawled | Role::Function(_)
                )
            });
            // A page cut at the byte limit is not judged on what the cut hid.
            match (&p.fetch.html, p.fetch.status) {
                (Some(h), Some(s)) if site && !p.fetch.truncated && (200..300).contains(&s) => {
                    Some((p, h))
                }
                _ => None,
            }
        })
    }

    /// A page's facts for judging: the rendered DOM's when the browser rendered it (what a
    /// citizen sees), else the HTTP response's.
    pub fn facts<'a>(&'a self, page: &'a Page) -> Option<&'a HtmlFacts> {
        self.rendered
            .get(&page.url)
            .and_then(|r| r.html.as_ref())
            .or(page.fetch.html.as_ref())
    }

    /// The page as the browser rendered it, when it did.
    pub fn rendered(&self, page: &Page) -> Option<&Rendered> {
        self.rendered.get(&page.url)
    }

    /// Whether the browser probe ran in this run (some pages may still have failed).
    pub fn browser_ran(&self) -> bool {
        self.browser
            .as_ref()
            .is_some_and(|b| b.status == BrowserStatus::Ran)
    }
}

/// Why a URL was fetched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// The home page (base URL).
    Home,
    /// Listed in the scenario's page sample.
    Sample,
    /// Found by the crawl.
    Crawled,
    /// Where the scenario says a function lives.
    Function(String),
    /// `sitemap.xml`.
    SitemapXml,
    /// `/.well-known/security.txt`.
    SecurityTxt,
    /// A path that must not exist, to see the error page.
    NotFoundProbe,
    /// The plain-HTTP entry.
    HttpEntry,
    /// A search (PL1-5): a word that must find procedures, or nonsense that must find none.
    Search {
        /// The word searched.
        term: String,
        /// Whether the word is nonsense (no result expected).
        nonsense: bool,
        /// A criterion of the search form sent along, `name=value` (a field or agency list).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        filter: Option<String>,
    },
    /// A dossier lookup (PL1-5.1).
    Lookup {
        /// The code looked up.
        code: String,
        /// Whether the code exists (a test dossier named by the scenario).
        known: bool,
    },
    /// The DVCQG status endpoint (DVCQG-3).
    StatusApi,
    /// A well-known administration path that must not be served on the public host (SEC-8).
    AdminProbe,
    /// The single-sign-on entry, fetched without leaving the portal (PL1-1, SSO-1).
    SsoEntry,
    /// An exposure probe (SEC-7, SEC-8): a sensitive path of `data/exposure.toml` by its id,
    /// `listing` for an asset folder asked for a directory listing, or a provoked error's id.
    Exposure(String),
}

/// One fetched URL.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Page {
    /// The URL requested.
    pub url: String,
    /// Why it was fetched.
    pub roles: Vec<Role>,
    /// Clicks from the home page (crawl only).
    pub depth: Option<u32>,
    /// What came back.
    pub fetch: Fetch,
}

/// One redirect hop.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, schemars::JsonSchema)]
pub struct Hop {
    /// URL that answered with a redirect.
    pub url: String,
    /// Its status.
    pub status: u16,
    /// Its `Location`, resolved.
    pub location: String,
}

/// Why a fetch did not produce a response.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FetchErrorKind {
    /// No answer in time.
    Timeout,
    /// Connection refused or reset.
    Connect,
    /// TLS handshake or certificate failure.
    Tls,
    /// A redirect came back to a URL already visited.
    RedirectLoop,
    /// More than the allowed redirects.
    TooManyRedirects,
    /// The body could not be read.
    Body,
    /// Anything else.
    Other,
}

/// A fetch failure.
#[derive(Debug, Clone, Serialize, Deserialize, schemars::JsonSchema)]
pub struct FetchError {
    /// Kind.
    pub kind: FetchErrorKind,
    /// Message (from the HTTP stack, may contain portal-supplied text).
    pub message: String,
}

/// The response to one URL after following redirects.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct Fetch {
    /// Final status, when a response arrived.
    pub status: Option<u16>,
    /// URL after redirects.
    pub final_url: String,
    /// Redirect chain.
    pub redirects: Vec<Hop>,
    /// Response headers of the final response, names lowercase, in order.
    pub headers: Vec<(String, String)>,
    /// Bytes of body read.
    pub bytes: u64,
    /// Whether the body was cut at the byte limit.
    pub truncated: bool,
    /// Milliseconds to the final response's headers (includes redirects).
    pub ttfb_ms: f64,
    /// Milliseconds to the end of the body.
    pub total_ms: f64,
    /// Failure, when there is no usable response.
    pub error: Option<FetchError>,
    /// Body of small text resources that are not HTML (sitemap.xml, security.txt).
    pub text: Option<String>,
    /// Facts extracted from an HTML body.
    pub html: Option<HtmlFacts>,
}

impl Fetch {
    /// A response header (case-insensitive name); the first when repeated.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a repeated header.
    pub fn header_all<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a str> + 'a {
        self.headers
            .iter()
            .filter(move |(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Whether the final response is HTML.
    pub fn is_html(&self) -> bool {
        self.header("content-type")
            .is_some_and(|c| c.to_ascii_lowercase().contains("html"))
    }
}

/// The DVCQG catalogue export supplied by the evaluator (DVCQG-2).
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CatalogueExport {
    /// File as named in the scenario.
    pub file: String,
    /// SHA-256 of the file.
    pub sha256: String,
    /// Its entries.
    pub entries: Vec<CatalogueEntry>,
}

/// One procedure of a catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CatalogueEntry {
    /// Procedure code.
    pub code: String,
    /// Name.
    pub name: String,
    /// Service level as written.
    pub level: Option<String>,
    /// Field (lĩnh vực), when the export has it.
    #[serde(default)]
    pub field: Option<String>,
    /// Processing agency, when the export has it.
    #[serde(default)]
    pub agency: Option<String>,
}

/// The TLS handshake with the portal's HTTPS host.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct TlsFacts {
    /// Host name checked.
    pub host: String,
    /// Port.
    pub port: u16,
    /// When the handshake ran (RFC 3339).
    pub observed_at: String,
    /// Negotiated protocol (`TLSv1_3`).
    pub version: Option<String>,
    /// Negotiated cipher suite.
    pub cipher: Option<String>,
    /// Whether the chain verified for the host against the trust roots.
    pub verified: bool,
    /// Why verification failed.
    pub verify_error: Option<String>,
    /// Connection failure before any certificate was seen.
    pub error: Option<String>,
    /// The leaf certificate.
    pub leaf: Option<CertFacts>,
}

/// Facts about a certificate.
#[derive(Debug, Clone, Default, Serialize, Deserialize, schemars::JsonSchema)]
pub struct CertFacts {
    /// Subject DN.
    pub subject: String,
    /// Issuer DN.
    pub issuer: String,
    /// Start of validity (RFC 3339).
    pub not_before: String,
    /// End of validity (RFC 3339).
    pub not_after: String,
    /// DNS and IP subject alternative names.
    pub names: Vec<String>,
}

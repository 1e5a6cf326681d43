//! Scenario files as written: strict serde types, one per section, with their defaults.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;

use super::OrganisationKind;

/// A scenario file as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawScenario {
    /// The portal.
    pub portal: RawPortal,
    /// Which pages to fetch.
    #[serde(default)]
    pub pages: RawPages,
    /// Where each function lives: function name → path or URL on the portal.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub functions: BTreeMap<String, Spanned<String>>,
    /// EMC monitoring settings.
    #[serde(default)]
    pub emc: RawEmc,
    /// Test accounts: account name → environment-variable names (never secrets).
    #[serde(default)]
    pub accounts: BTreeMap<String, RawAccount>,
    /// The browser probe: timed pages, throttling, rendering bounds.
    #[serde(default)]
    pub browser: RawBrowser,
    /// Load profile (used by the load probe).
    #[serde(default)]
    pub load: Option<super::load::RawLoad>,
    /// Evidence files: requirement id → file path (relative to the scenario).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub evidence: BTreeMap<String, Spanned<String>>,
    /// Attestations: requirement id → statement, who, when.
    #[serde(default)]
    pub attestations: BTreeMap<String, RawAttestation>,
    /// PL1-5: how to exercise the search.
    #[serde(default)]
    pub search: RawSearch,
    /// PL1-5.1: how to exercise the dossier lookup.
    #[serde(default)]
    pub lookup: RawLookup,
    /// Integration with Cổng Dịch vụ công quốc gia (DVCQG-2, DVCQG-3).
    #[serde(default)]
    pub dvcqg: RawDvcqg,
    /// Functions provided by DVCQG through a link: function name → DVCQG URL.
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, String>")]
    pub delegated: BTreeMap<String, Spanned<String>>,
    /// Single sign-on (PL1-1, SSO-1).
    #[serde(default)]
    pub sso: RawSso,
    /// Online payment (PL1-3.6).
    #[serde(default)]
    pub payment: RawPayment,
    /// Citizen journeys run in the browser (`[[flows]]`).
    #[serde(default)]
    pub flows: Vec<super::flows::RawFlow>,
    /// Threshold overrides: `[overrides."PL4-2"] max-ms = 3000` (recorded in the evaluation).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub overrides: BTreeMap<String, BTreeMap<String, Spanned<toml::Value>>>,
    /// The resolver and DNSSEC trust anchor of the DNS probe (PL8-2).
    #[serde(default)]
    pub dns: super::dns::RawDns,
    /// The availability monitor's store, the evaluation period and the planned suspensions
    /// (PL5-6, PL8-6, DVCQG-1, NSW-1).
    #[serde(default)]
    pub availability: Option<super::availability::RawAvailability>,
    /// `[security]`: finding severities (`[security.severity]`) and the consent-gated active
    /// checks (`[security.active]`, `[security.authorization]`).
    #[serde(default)]
    pub security: super::security::RawSecurity,
}

/// `[search]`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSearch {
    /// Words that must find at least one procedure.
    #[serde(default = "default_terms")]
    pub terms: Vec<String>,
    /// A word that must find nothing.
    #[serde(default = "default_nonsense")]
    pub nonsense: String,
    /// Query parameter (default: the text input of the search page's GET form).
    #[serde(default)]
    pub param: Option<String>,
}

fn default_terms() -> Vec<String> {
    vec!["đăng ký".into()]
}
fn default_nonsense() -> String {
    "kiemdinh zqxvj 7301".into()
}

impl Default for RawSearch {
    fn default() -> Self {
        Self {
            terms: default_terms(),
            nonsense: default_nonsense(),
            param: None,
        }
    }
}

/// `[lookup]`.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLookup {
    /// Query parameter (default: the text input of the lookup page's GET form).
    #[serde(default)]
    pub param: Option<String>,
    /// A dossier code that cannot exist.
    #[serde(default = "default_unknown_code")]
    pub unknown_code: String,
    /// A dossier code that exists (a test dossier), checked to be found.
    #[serde(default)]
    pub known_code: Option<String>,
}

fn default_unknown_code() -> String {
    "KIEMDINH-0000-000000".into()
}

impl Default for RawLookup {
    fn default() -> Self {
        Self {
            param: None,
            unknown_code: default_unknown_code(),
            known_code: None,
        }
    }
}

/// `[sso]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSso {
    /// The link that starts the VNeID / DVCQG login (path on the portal); default: found by
    /// its text on the login page.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub entry: Option<Spanned<String>>,
    /// Identity-provider hosts accepted besides the checklist's (a staging provider).
    #[serde(default)]
    pub idp_hosts: Vec<String>,
}

/// `[payment]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPayment {
    /// Payment-platform hosts a payment step may reach besides the checklist's (a licensed
    /// gateway, a staging platform).
    #[serde(default)]
    pub hosts: Vec<String>,
}

/// `[dvcqg]`.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawDvcqg {
    /// The DVCQG catalogue export supplied by the evaluator (CSV or JSON; columns `code`,
    /// `name` and optionally `level`, `field`, `agency`), relative to the scenario.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub catalogue_export: Option<Spanned<String>>,
    /// The status endpoint for DVCQG's automatic alerting (path or URL on the portal).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub status_url: Option<Spanned<String>>,
}

/// `[portal]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPortal {
    /// Portal name.
    pub name: String,
    /// Owning organisation's full Vietnamese name (PL3-4 looks for it in the header).
    pub organisation: String,
    /// Province or ministry.
    pub organisation_kind: OrganisationKind,
    /// Vendor of the system.
    #[serde(default)]
    pub vendor: Option<String>,
    /// Who evaluates the portal (person or body), shown on the report's cover.
    #[serde(default)]
    pub evaluator: Option<String>,
    /// HTTPS address of the home page.
    #[schemars(with = "String")]
    pub base_url: Spanned<String>,
    /// Plain-HTTP address checked for the redirect (default: base URL with `http:`).
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub http_url: Option<Spanned<String>>,
    /// Host name the portal is published under, when assessing a staging copy.
    #[serde(default)]
    pub public_host: Option<String>,
    /// Extra trust root (PEM) for staging portals.
    #[serde(default)]
    #[schemars(with = "Option<String>")]
    pub ca_file: Option<Spanned<String>>,
    /// Checklists applied when `assess` gets no `--checklist` (default: `tt21-2023` and
    /// `qd31-2021-dvcqg`; `nsw` only for the National Single Window portal itself).
    #[serde(default)]
    pub checklists: Vec<String>,
}

/// `[pages]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawPages {
    /// Pages always fetched (paths or same-host URLs).
    #[serde(default = "default_sample")]
    pub sample: Vec<String>,
    /// Glob of procedure pages among crawled pages (`/thu-tuc/*`).
    #[serde(default)]
    pub service_pages: Option<String>,
    /// Crawl bound: most pages fetched (same host only).
    #[serde(default = "default_max_pages")]
    pub max_pages: usize,
    /// Crawl bound: deepest link depth followed from the home page.
    #[serde(default = "default_max_depth")]
    pub max_depth: u32,
    /// Requests in flight at once.
    #[serde(default = "default_concurrency")]
    pub concurrency: usize,
    /// Per-request timeout in milliseconds.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
    /// Largest body read per page; longer bodies are truncated and flagged.
    #[serde(default = "default_max_bytes")]
    pub max_page_bytes: usize,
    /// Globs of paths never crawled (logout, destructive links).
    #[serde(default)]
    pub exclude: Vec<String>,
}

fn default_sample() -> Vec<String> {
    vec!["/".into()]
}
fn default_max_pages() -> usize {
    200
}
fn default_max_depth() -> u32 {
    6
}
fn default_concurrency() -> usize {
    8
}
fn default_timeout() -> u64 {
    10_000
}
fn default_max_bytes() -> usize {
    5 * 1024 * 1024
}

impl Default for RawPages {
    fn default() -> Self {
        Self {
            sample: default_sample(),
            service_pages: None,
            max_pages: default_max_pages(),
            max_depth: default_max_depth(),
            concurrency: default_concurrency(),
            timeout_ms: default_timeout(),
            max_page_bytes: default_max_bytes(),
            exclude: Vec::new(),
        }
    }
}

/// `[emc]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawEmc {
    /// Extra tracker hosts accepted besides the checklist's (a staging tracker).
    #[serde(default)]
    pub tracker_hosts: Vec<String>,
    /// The site id EMC issued, when known: every page must use it.
    #[serde(default)]
    pub site_id: Option<String>,
    /// Name of the embed's command queue the browser probe reads after load.
    #[serde(default = "default_queue")]
    pub queue: String,
}

fn default_queue() -> String {
    "_govaq".to_string()
}

impl Default for RawEmc {
    fn default() -> Self {
        Self {
            tracker_hosts: Vec::new(),
            site_id: None,
            queue: default_queue(),
        }
    }
}

/// `[browser]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawBrowser {
    /// Run the browser probe (`--no-browser` switches it off for one run).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Throttling profile of the timed loads: `mobile` (Lighthouse's default), `desktop`,
    /// `none`. `--profile` overrides it for one run.
    #[serde(default = "default_profile")]
    pub profile: crate::observation::ThrottlingProfile,
    /// Cold loads per timed page (1–20); the median is judged. `--runs` overrides it.
    #[serde(default = "default_runs")]
    pub runs: u32,
    /// The timed pages (Phụ lục IV's page set), paths or URLs on the portal. Default: the home
    /// page and `[pages] sample`.
    #[serde(default)]
    pub pages: Vec<String>,
    /// At most this many HTML pages are rendered (home, sample and function pages first);
    /// the rest are judged on their HTTP facts and the report says how many.
    #[serde(default = "default_max_rendered")]
    pub max_rendered_pages: usize,
    /// Budget of one page load in the browser, ms.
    #[serde(default = "default_page_timeout")]
    pub page_timeout_ms: u64,
    /// Save a desktop and a mobile screenshot of every rendered page.
    #[serde(default = "yes")]
    pub screenshots: bool,
}

fn yes() -> bool {
    true
}
fn default_profile() -> crate::observation::ThrottlingProfile {
    crate::observation::ThrottlingProfile::Mobile
}
fn default_runs() -> u32 {
    3
}
fn default_max_rendered() -> usize {
    150
}
fn default_page_timeout() -> u64 {
    30_000
}

impl Default for RawBrowser {
    fn default() -> Self {
        Self {
            enabled: true,
            profile: default_profile(),
            runs: default_runs(),
            pages: Vec::new(),
            max_rendered_pages: default_max_rendered(),
            page_timeout_ms: default_page_timeout(),
            screenshots: true,
        }
    }
}

/// A test account: names of the environment variables holding its credentials.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAccount {
    /// Variable holding the user name.
    pub username_env: String,
    /// Variable holding the password.
    pub password_env: String,
}

/// A statement by the system owner.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAttestation {
    /// What is attested.
    pub statement: String,
    /// Who signed it (name, role).
    pub by: String,
    /// When (YYYY-MM-DD).
    pub date: String,
}

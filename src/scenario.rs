//! Scenarios: what one portal is (URLs, page sample, where each function lives, accounts as
//! environment-variable names, load profile, evidence files).
//!
//! Same two stages as checklists: strict TOML into [`RawScenario`], then [`Scenario::validate`]
//! collecting every problem with <file:line>.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use url::Url;

use crate::error::{Error, Problem};
use crate::input::{Source, did_you_mean, relative_to};

/// The demo scenario, compiled in so `assess --demo` works from any directory.
pub const DEMO: &str = include_str!("../scenarios/demo.toml");

/// Function names the `[functions]` table may use.
pub const FUNCTIONS: &[&str] = &[
    "home",
    "introduction",
    "catalogue",
    "search",
    "lookup",
    "complaints",
    "rating",
    "statistics",
    "guide",
    "faq",
    "contact",
    "sitemap",
    "login",
    "survey",
    "chatbot",
];

/// Province or ministry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum OrganisationKind {
    /// Cấp tỉnh.
    Province,
    /// Cấp bộ.
    Ministry,
    /// A national portal assessed against its operator's own duties (Cổng Dịch vụ công quốc
    /// gia, the National Single Window).
    National,
}

impl OrganisationKind {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            OrganisationKind::Province => "province",
            OrganisationKind::Ministry => "ministry",
            OrganisationKind::National => "national",
        }
    }
}

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
    /// Load profile (used by the load probe).
    #[serde(default)]
    pub load: Option<RawLoad>,
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
    /// Threshold overrides: `[overrides."PL4-2"] max-ms = 3000` (recorded in the evaluation).
    #[serde(default)]
    #[schemars(with = "BTreeMap<String, BTreeMap<String, serde_json::Value>>")]
    pub overrides: BTreeMap<String, BTreeMap<String, Spanned<toml::Value>>>,
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
    /// `qd31-2021-dvcqg`; add `nsw` for systems connected to the National Single Window).
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
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawEmc {
    /// Extra tracker hosts accepted besides the checklist's (a staging tracker).
    #[serde(default)]
    pub tracker_hosts: Vec<String>,
    /// The site id EMC issued, when known: every page must use it.
    #[serde(default)]
    pub site_id: Option<String>,
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

/// `[load]`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLoad {
    /// Written authorisation to load-test a non-loopback target (who, document, date).
    #[serde(default)]
    pub authorization: Option<String>,
    /// Concurrent users at the target load.
    pub users: u32,
    /// Ramp-up in seconds.
    #[serde(default)]
    pub ramp_up_s: u32,
    /// Duration at the target load in seconds.
    pub duration_s: u32,
    /// Paths of the main journeys.
    #[serde(default)]
    pub journeys: Vec<String>,
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

/// Crawl and fetch limits.
#[derive(Debug, Clone, Serialize)]
pub struct PageLimits {
    /// Most pages fetched.
    pub max_pages: usize,
    /// Deepest link depth followed.
    pub max_depth: u32,
    /// Requests in flight.
    pub concurrency: usize,
    /// Per-request timeout.
    pub timeout_ms: u64,
    /// Largest body read.
    pub max_page_bytes: usize,
}

/// A validated scenario.
#[derive(Debug, Clone, Serialize)]
pub struct Scenario {
    /// Where it came from.
    pub source: PathBuf,
    /// Portal name.
    pub name: String,
    /// Organisation.
    pub organisation: String,
    /// Province or ministry.
    pub organisation_kind: OrganisationKind,
    /// Vendor.
    pub vendor: Option<String>,
    /// Checklists to apply by default.
    pub checklists: Vec<String>,
    /// HTTPS home page.
    pub base_url: Url,
    /// Plain-HTTP address for the redirect check.
    pub http_url: Url,
    /// Published host name.
    pub public_host: String,
    /// Extra trust roots (PEM).
    #[serde(skip)]
    pub ca_pem: Option<Vec<u8>>,
    /// Sampled pages (absolute).
    pub sample: Vec<Url>,
    /// Procedure-page glob (on the path).
    pub service_pages: Option<String>,
    /// Excluded path globs.
    pub exclude: Vec<String>,
    /// Limits.
    pub limits: PageLimits,
    /// Function name → URL.
    pub functions: BTreeMap<String, Url>,
    /// Extra EMC tracker hosts.
    pub emc_tracker_hosts: Vec<String>,
    /// Expected EMC site id.
    pub emc_site_id: Option<String>,
    /// Evidence files by requirement id (resolved paths).
    pub evidence: BTreeMap<String, PathBuf>,
    /// Attestations by requirement id.
    pub attestations: BTreeMap<String, RawAttestation>,
    /// Search probe settings.
    pub search: RawSearch,
    /// Lookup probe settings.
    pub lookup: RawLookup,
    /// The DVCQG catalogue export, parsed.
    pub catalogue_export: Option<crate::observation::CatalogueExport>,
    /// The DVCQG status endpoint.
    pub status_url: Option<Url>,
    /// Delegated functions: function → DVCQG URL.
    pub delegated: BTreeMap<String, Url>,
    /// The SSO entry link.
    pub sso_entry: Option<Url>,
    /// Extra identity-provider hosts.
    pub sso_idp_hosts: Vec<String>,
    /// Threshold overrides: (id, key, value, line).
    pub overrides: Vec<ScenarioOverride>,
}

/// One `[overrides]` entry.
#[derive(Debug, Clone, Serialize)]
pub struct ScenarioOverride {
    /// Requirement id.
    pub id: String,
    /// Check key (`max-ms`) or `weight` / `mandatory`.
    pub key: String,
    /// New value.
    pub value: serde_json::Value,
    /// Line in the scenario.
    pub line: usize,
}

impl Scenario {
    /// Loads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Self, Error> {
        Self::from_source(&Source::read(path)?)
    }

    /// Parses and validates a loaded source.
    pub fn from_source(source: &Source) -> Result<Self, Error> {
        let raw: RawScenario = source.parse("scenario")?;
        Self::validate(raw, source)
    }

    /// Second stage: every semantic problem, in one pass.
    pub fn validate(raw: RawScenario, source: &Source) -> Result<Self, Error> {
        let mut problems: Vec<Problem> = Vec::new();
        let base = raw.portal.base_url.get_ref();
        let base_url = match Url::parse(base) {
            Ok(u) if matches!(u.scheme(), "https" | "http") && u.host_str().is_some() => Some(u),
            Ok(u) => {
                problems.push(source.problem_at(
                    Some(raw.portal.base_url.span()),
                    Some("portal.base-url".into()),
                    format!(
                        "`{base}` must be an `https://` URL with a host (scheme is `{}`)",
                        u.scheme()
                    ),
                ));
                None
            }
            Err(e) => {
                problems.push(source.problem_at(
                    Some(raw.portal.base_url.span()),
                    Some("portal.base-url".into()),
                    format!("`{base}` is not a valid URL: {e}"),
                ));
                None
            }
        };
        let http_url = match (&raw.portal.http_url, &base_url) {
            (Some(s), _) => match Url::parse(s.get_ref()) {
                Ok(u) if u.scheme() == "http" => Some(u),
                _ => {
                    problems.push(source.problem_at(
                        Some(s.span()),
                        Some("portal.http-url".into()),
                        format!("`{}` must be an `http://` URL", s.get_ref()),
                    ));
                    None
                }
            },
            (None, Some(b)) => {
                let mut u = b.clone();
                let _ = u.set_scheme("http");
                let _ = u.set_port(None);
                Some(u)
            }
            (None, None) => None,
        };
        let ca_pem = match &raw.portal.ca_file {
            Some(f) => {
                let path = relative_to(&source.path, f.get_ref());
                match std::fs::read(&path) {
                    Ok(bytes)
                        if bytes
                            .windows(27)
                            .any(|w| w == b"-----BEGIN CERTIFICATE-----") =>
                    {
                        Some(bytes)
                    }
                    Ok(_) => {
                        problems.push(source.problem_at(
                            Some(f.span()),
                            Some("portal.ca-file".into()),
                            format!("`{}` holds no PEM certificate", path.display()),
                        ));
                        None
                    }
                    Err(e) => {
                        problems.push(source.problem_at(
                            Some(f.span()),
                            Some("portal.ca-file".into()),
                            format!("cannot read `{}`: {e}", path.display()),
                        ));
                        None
                    }
                }
            }
            None => None,
        };
        let resolve = |s: &str, base: &Url| -> Result<Url, String> {
            let u = base
                .join(s)
                .map_err(|e| format!("`{s}` is not a valid path or URL: {e}"))?;
            if u.host_str() != base.host_str()
                || u.port_or_known_default() != base.port_or_known_default()
            {
                return Err(format!(
                    "`{s}` is not on the portal's host `{}`",
                    base.host_str().unwrap_or("")
                ));
            }
            Ok(u)
        };
        let mut sample = Vec::new();
        let mut functions = BTreeMap::new();
        if let Some(base) = &base_url {
            for s in &raw.pages.sample {
                match resolve(s, base) {
                    Ok(u) => sample.push(u),
                    Err(m) => {
                        problems.push(source.problem_at(None, Some("pages.sample".into()), m));
                    }
                }
            }
            for (name, path) in &raw.functions {
                if !FUNCTIONS.contains(&name.as_str()) {
                    let hint = did_you_mean(name, FUNCTIONS.iter().copied())
                        .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
                    problems.push(source.problem_at(
                        Some(path.span()),
                        Some(format!("functions.{name}")),
                        format!("unknown function `{name}`{hint}"),
                    ));
                    continue;
                }
                match resolve(path.get_ref(), base) {
                    Ok(u) => {
                        functions.insert(name.clone(), u);
                    }
                    Err(m) => problems.push(source.problem_at(
                        Some(path.span()),
                        Some(format!("functions.{name}")),
                        m,
                    )),
                }
            }
        }
        for glob in raw.pages.service_pages.iter().chain(&raw.pages.exclude) {
            if let Err(e) = globset::Glob::new(glob) {
                problems.push(source.problem_at(
                    None,
                    Some("pages".into()),
                    format!("invalid glob `{glob}`: {e}"),
                ));
            }
        }
        let p = raw.pages.clone();
        for (key, ok) in [
            ("pages.max-pages", p.max_pages > 0),
            (
                "pages.concurrency",
                p.concurrency > 0 && p.concurrency <= 64,
            ),
            ("pages.timeout-ms", p.timeout_ms > 0),
            ("pages.max-page-bytes", p.max_page_bytes >= 1024),
        ] {
            if !ok {
                problems.push(source.problem_at(
                    None,
                    Some(key.into()),
                    "value out of range (see the example scenario for limits)",
                ));
            }
        }
        let mut evidence = BTreeMap::new();
        for (id, file) in &raw.evidence {
            let path = relative_to(&source.path, file.get_ref());
            match std::fs::metadata(&path) {
                Ok(m) if m.is_file() && m.len() > 0 => {
                    evidence.insert(id.clone(), path);
                }
                Ok(_) => problems.push(source.problem_at(
                    Some(file.span()),
                    Some(format!("evidence.{id}")),
                    format!("evidence file `{}` is empty or not a file", path.display()),
                )),
                Err(e) => problems.push(source.problem_at(
                    Some(file.span()),
                    Some(format!("evidence.{id}")),
                    format!("evidence file `{}` cannot be read: {e}", path.display()),
                )),
            }
        }
        let mut status_url = None;
        let mut sso_entry = None;
        if let (Some(base), Some(s)) = (&base_url, &raw.sso.entry) {
            match resolve(s.get_ref(), base) {
                Ok(u) => sso_entry = Some(u),
                Err(m) => {
                    problems.push(source.problem_at(Some(s.span()), Some("sso.entry".into()), m));
                }
            }
        }
        let mut delegated = BTreeMap::new();
        if let (Some(base), Some(s)) = (&base_url, &raw.dvcqg.status_url) {
            match resolve(s.get_ref(), base) {
                Ok(u) => status_url = Some(u),
                Err(m) => problems.push(source.problem_at(
                    Some(s.span()),
                    Some("dvcqg.status-url".into()),
                    m,
                )),
            }
        }
        for (name, link) in &raw.delegated {
            let key = Some(format!("delegated.{name}"));
            if !FUNCTIONS.contains(&name.as_str()) {
                let hint = did_you_mean(name, FUNCTIONS.iter().copied())
                    .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
                problems.push(source.problem_at(
                    Some(link.span()),
                    key,
                    format!("unknown function `{name}`{hint}"),
                ));
                continue;
            }
            match Url::parse(link.get_ref()) {
                Ok(u) if u.scheme() == "https" && u.host_str().is_some() => {
                    delegated.insert(name.clone(), u);
                }
                _ => problems.push(source.problem_at(
                    Some(link.span()),
                    key,
                    format!(
                        "`{}` must be an absolute `https://` URL on DVCQG",
                        link.get_ref()
                    ),
                )),
            }
        }
        let catalogue_export = raw.dvcqg.catalogue_export.as_ref().and_then(|f| {
            let path = relative_to(&source.path, f.get_ref());
            match crate::catalogue::load_export(&path) {
                Ok(e) => Some(e),
                Err(m) => {
                    problems.push(source.problem_at(
                        Some(f.span()),
                        Some("dvcqg.catalogue-export".into()),
                        m,
                    ));
                    None
                }
            }
        });
        let mut overrides = Vec::new();
        for (id, keys) in &raw.overrides {
            for (key, value) in keys {
                match serde_json::to_value(value.get_ref()) {
                    Ok(v) => overrides.push(ScenarioOverride {
                        id: id.clone(),
                        key: key.clone(),
                        value: v,
                        line: source.line_col(value.span().start).0,
                    }),
                    Err(e) => problems.push(source.problem_at(
                        Some(value.span()),
                        Some(format!("overrides.{id}.{key}")),
                        format!("unsupported value: {e}"),
                    )),
                }
            }
        }
        if raw.search.terms.iter().any(|t| t.trim().is_empty()) || raw.search.terms.is_empty() {
            problems.push(source.problem_at(
                None,
                Some("search.terms".into()),
                "give at least one non-empty search word",
            ));
        }
        if let Some(load) = &raw.load
            && (load.users == 0 || load.duration_s == 0)
        {
            problems.push(source.problem_at(
                None,
                Some("load".into()),
                "`users` and `duration-s` must be positive",
            ));
        }
        for (name, a) in &raw.accounts {
            for v in [&a.username_env, &a.password_env] {
                if v.is_empty()
                    || !v
                        .chars()
                        .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
                {
                    problems.push(source.problem_at(
                        None,
                        Some(format!("accounts.{name}")),
                        format!("`{v}` must be an environment-variable name (A-Z, 0-9, `_`), never a secret"),
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid {
                what: "scenario",
                file: source.path.clone(),
                problems,
            });
        }
        let base_url = base_url.expect("checked above");
        let public_host = raw
            .portal
            .public_host
            .clone()
            .unwrap_or_else(|| base_url.host_str().unwrap_or_default().to_string());
        Ok(Scenario {
            source: source.path.clone(),
            name: raw.portal.name,
            organisation: raw.portal.organisation,
            organisation_kind: raw.portal.organisation_kind,
            vendor: raw.portal.vendor,
            checklists: raw.portal.checklists,
            http_url: http_url.expect("checked above"),
            public_host,
            ca_pem,
            sample,
            service_pages: p.service_pages,
            exclude: p.exclude,
            limits: PageLimits {
                max_pages: p.max_pages,
                max_depth: p.max_depth,
                concurrency: p.concurrency,
                timeout_ms: p.timeout_ms,
                max_page_bytes: p.max_page_bytes,
            },
            functions,
            emc_tracker_hosts: raw.emc.tracker_hosts,
            emc_site_id: raw.emc.site_id,
            evidence,
            attestations: raw.attestations,
            search: raw.search,
            lookup: raw.lookup,
            catalogue_export,
            status_url,
            delegated,
            sso_entry,
            sso_idp_hosts: raw.sso.idp_hosts,
            overrides,
            base_url,
        })
    }

    /// A short file-system-safe name for output directories (`lam-son`, `demo`).
    pub fn slug(&self) -> String {
        let stem = self
            .source
            .file_stem()
            .map_or_else(|| "portal".into(), |s| s.to_string_lossy().to_string());
        let slug: String = stem
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '-'
                }
            })
            .collect();
        slug.trim_matches('-').to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            path: "s.toml".into(),
            text: text.into(),
        }
    }

    const OK: &str = "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"https://dvc.example.gov.vn/\"\n";

    #[test]
    fn minimal_scenario_gets_defaults() {
        let s = Scenario::from_source(&src(OK)).unwrap();
        assert_eq!(s.http_url.as_str(), "http://dvc.example.gov.vn/");
        assert_eq!(s.sample.len(), 1);
        assert_eq!(s.limits.max_pages, 200);
    }

    #[test]
    fn bad_url_names_line_and_key() {
        let text = OK.replace("https://dvc.example.gov.vn/", "not a url");
        let msg = Scenario::from_source(&src(&text)).unwrap_err().to_string();
        assert!(msg.contains("s.toml:5:12: key `portal.base-url`"), "{msg}");
    }

    #[test]
    fn wrong_type_names_line_and_key() {
        let text = format!("{OK}[pages]\nmax-pages = \"many\"\n");
        let err = Scenario::from_source(&src(&text)).unwrap_err();
        let msg = err.to_string();
        assert!(err.is_input());
        assert!(
            msg.contains("s.toml:7") && msg.contains("max-pages"),
            "{msg}"
        );
    }

    #[test]
    fn unknown_function_and_foreign_host_are_both_reported() {
        let text = format!(
            "{OK}[functions]\ncatalog = \"/thu-tuc/\"\nsearch = \"https://evil.example.com/\"\n"
        );
        let Error::Invalid { problems, .. } = Scenario::from_source(&src(&text)).unwrap_err()
        else {
            panic!()
        };
        assert_eq!(problems.len(), 2);
        assert!(
            problems[0].message.contains("did you mean `catalogue`?"),
            "{problems:?}"
        );
    }

    #[test]
    fn missing_evidence_file_is_an_input_error() {
        let text = format!("{OK}[evidence]\n\"PL2-1\" = \"does-not-exist.pdf\"\n");
        let msg = Scenario::from_source(&src(&text)).unwrap_err().to_string();
        assert!(
            msg.contains("evidence.PL2-1") && msg.contains("does-not-exist.pdf"),
            "{msg}"
        );
    }
}

//! Check specs: the tagged `[[requirement.checks]]` tables a judge evaluates. The enum and
//! its validation live here; the pieces specs are made of in [`parts`], the defaults of their
//! keys in `defaults`.

#![allow(clippy::wildcard_imports)]

mod defaults;
mod describe;
pub mod parts;
mod problems;
mod tls;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub(crate) use defaults::statistics_figures;
use defaults::*;
pub use parts::*;
pub use tls::TlsVersion;

use crate::text::Text;

/// One check of a requirement, tagged by `kind`. Unknown kinds and keys are errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// PL3-1: every sampled HTML page has the listed regions; where the browser rendered it,
    /// in order, visible and full width.
    #[serde(rename_all = "kebab-case")]
    RegionsPresent {
        /// Regions required (default header, main, footer).
        #[serde(default = "default_regions")]
        regions: Vec<RegionName>,
        /// Where the browser drew the regions (rendered boxes): the header and footer must be
        /// visible and at least this share of the viewport's width (the header above the main
        /// content above the footer). Default 0.9 (placeholder — no text gives it). Pages
        /// without boxes are judged on the markup alone.
        #[serde(default = "ninety_percent")]
        min_width_ratio: f64,
    },
    /// PL3-2/PL3-3: a region shows the same information (text and link targets) on every page.
    #[serde(rename_all = "kebab-case")]
    RegionConsistent {
        /// `header` or `footer`.
        region: RegionName,
        /// Regular expressions (case-insensitive, on NFC text) of what legitimately changes
        /// per page and is blanked before comparing: visitor counters, clocks, dates,
        /// weekdays. Default: those of Vietnamese portal themes (see `volatile_text`).
        #[serde(default = "volatile_text")]
        ignore: Vec<String>,
        /// Query and `;path` parameter names dropped from link targets before comparing
        /// (session ids, CSRF tokens: `jsessionid`, `p_auth`, `sid`, …).
        #[serde(default = "session_params")]
        session_params: Vec<String>,
    },
    /// PL3-4: the home page header has the emblem/logo — an image identified as such by its
    /// alt, file name or class — next to the organisation's full name.
    #[serde(rename_all = "kebab-case")]
    HeaderBanner {
        /// Require an emblem/logo image in the header.
        #[serde(default = "yes")]
        require_image: bool,
        /// Require the scenario's `organisation` in the header text.
        #[serde(default = "yes")]
        require_organisation: bool,
        /// Words that identify the emblem in an image's alt, title, class, id or file name
        /// (case- and diacritic-insensitive). Default: quốc huy, biểu trưng, logo, emblem and
        /// their file-name spellings.
        #[serde(default = "emblem_words")]
        emblem_words: Vec<String>,
        /// Least declared width and height, in CSS pixels, of an emblem (smaller declared
        /// images are icons). Default 24 (inferred: a favicon-sized 16 px icon is no banner).
        #[serde(default = "emblem_min_px")]
        min_emblem_px: u32,
        /// Require the organisation's name in the text next to the emblem (same block), not
        /// only somewhere in the header. Default true.
        #[serde(default = "yes")]
        require_adjacent: bool,
    },
    /// PL3-5: the main menu (the candidate list of same-site links near the top that best
    /// matches the items) covers the portal's main sections. The circular lists its items as
    /// examples ("như"): only `required` items fail the check; the others are reported.
    #[serde(rename_all = "kebab-case")]
    MenuItems {
        /// Menu items with accepted wordings.
        items: Vec<Synonyms>,
        /// Names of the items the menu must have; the other items are examples, reported when
        /// missing without failing. Default: every item.
        #[serde(default)]
        required: Option<Vec<String>>,
        /// Link texts that are never main-menu items (login, register, the emblem). Default:
        /// đăng nhập, đăng ký, đăng xuất, login, sign in, quốc huy, logo.
        #[serde(default = "menu_exclude")]
        exclude: Vec<String>,
        /// Least number of same-site text links a list needs to be the main menu. Default 3.
        #[serde(default = "three")]
        min_links: u32,
        /// A list outside the header counts as "near the top" when at most this many links of
        /// the page come before it. Default 40.
        #[serde(default = "forty")]
        near_top_links: u32,
    },
    /// PL3-6: the home page footer matches each field pattern.
    #[serde(rename_all = "kebab-case")]
    FooterFields {
        /// Required fields.
        fields: Vec<PatternItem>,
    },
    /// PL3-8: the home page links to each function.
    #[serde(rename_all = "kebab-case")]
    HomeLinks {
        /// Required functions.
        items: Vec<FunctionLink>,
    },
    /// PL3-7: an HTML site map for people and a `sitemap.xml` for search engines.
    #[serde(rename_all = "kebab-case")]
    Sitemap {
        /// Path of the XML sitemap.
        #[serde(default = "sitemap_xml")]
        xml_path: String,
        /// Least number of `<loc>` entries.
        #[serde(default = "one_u32")]
        min_urls: u32,
        /// Link texts that identify the HTML site map when the scenario has no `sitemap` function.
        #[serde(default)]
        synonyms: Vec<String>,
        /// Least number of links on the HTML site map page (in its main content when found).
        /// Default 5.
        #[serde(default = "five")]
        min_links: u32,
    },
    /// PL1-2.1: procedure pages show the minimum fields.
    #[serde(rename_all = "kebab-case")]
    ProcedureFields {
        /// Fields with accepted label wordings.
        fields: Vec<Synonyms>,
        /// Share of fields a page must show (1.0 = all).
        #[serde(default = "one")]
        min_ratio: f64,
        /// Least number of procedure pages that must have been sampled.
        #[serde(default = "one_u32")]
        min_pages: u32,
    },
    /// PL1-11: every procedure page is reachable in at most `max-depth` clicks from home.
    #[serde(rename_all = "kebab-case")]
    MaxClickDepth {
        /// Largest allowed number of clicks.
        max_depth: u32,
    },
    /// PL1-13: a feedback e-mail address is published (footer or contact page).
    #[serde(rename_all = "kebab-case")]
    EmailPublished {},
    /// PL6-1: the EMC embed code is on every sampled page.
    #[serde(rename_all = "kebab-case")]
    EmcEmbed {
        /// Name of the tracker queue variable.
        #[serde(default = "govaq")]
        queue: String,
        /// Hosts the tracker URL may point to (the scenario may add hosts).
        tracker_hosts: Vec<String>,
    },
    /// PL6-4: the same site id on every page; tracker URL over HTTPS.
    #[serde(rename_all = "kebab-case")]
    EmcConsistent {
        /// Require `https:` tracker and script URLs.
        #[serde(default = "yes")]
        require_https: bool,
    },
    /// SEC-1: plain HTTP redirects to HTTPS on the same host.
    #[serde(rename_all = "kebab-case")]
    HttpsRedirect {},
    /// SEC-1: the certificate chain is valid for the host and does not expire soon.
    #[serde(rename_all = "kebab-case")]
    CertificateValid {
        /// Least number of days before expiry.
        #[serde(default = "thirty")]
        min_days: u32,
    },
    /// SEC-1: the protocol versions and cipher suites the TLS scan found accepted (a real
    /// handshake per version), and the certificate's key size.
    #[serde(rename_all = "kebab-case")]
    TlsProtocols {
        /// Versions that must not be accepted (`SSLv3`, `TLSv1`, `TLSv1.1`).
        #[serde(default)]
        forbid: Vec<TlsVersion>,
        /// Versions that must be accepted (`TLSv1.2`).
        #[serde(default)]
        require: Vec<TlsVersion>,
        /// Fail on an accepted NULL, export, anonymous, RC4, DES or 3DES suite, and on TLS 1.2
        /// offered with CBC suites only (no AEAD suite accepted).
        #[serde(default)]
        forbid_weak_ciphers: bool,
        /// Least RSA key size of the certificate, bits (0: no minimum).
        #[serde(default)]
        min_rsa_bits: u32,
    },
    /// SEC-2: security headers on every sampled HTML page.
    #[serde(rename_all = "kebab-case")]
    SecurityHeaders {
        /// Required headers.
        require: Vec<SecurityHeader>,
        /// Least HSTS `max-age` in seconds (6 months = 15552000).
        #[serde(default)]
        hsts_min_age: u64,
        /// HSTS must carry `includeSubDomains`.
        #[serde(default)]
        hsts_include_subdomains: bool,
        /// The CSP must restrict scripts: no `'unsafe-inline'` (without a nonce or hash) or
        /// `'unsafe-eval'`, no wildcard, `http:`, `https:` or `data:` source in `script-src`
        /// (or `default-src`), and `object-src` (or `default-src`) set without a wildcard.
        #[serde(default)]
        csp_quality: bool,
    },
    /// SEC-2: CORS — no `Access-Control-Allow-Origin: *` with credentials, no arbitrary
    /// `Origin` reflected with credentials (one preflight, and the normal responses).
    #[serde(rename_all = "kebab-case")]
    Cors {
        /// A reflected arbitrary `Origin` without credentials fails too (else it is noted).
        #[serde(default)]
        fail_reflect_without_credentials: bool,
    },
    /// SEC-7: no stack traces, versions, directory listings, or verbose `Server`/`X-Powered-By`.
    #[serde(rename_all = "kebab-case")]
    NoLeakage {
        /// Extra regular expressions that reveal internals (added to the built-in list).
        #[serde(default)]
        patterns: Vec<String>,
    },
    /// SEC-9: `/.well-known/security.txt` with the required fields.
    #[serde(rename_all = "kebab-case")]
    SecurityTxt {
        /// Required fields (RFC 9116 requires `contact` and `expires`).
        #[serde(default = "security_txt_fields")]
        require: Vec<String>,
        /// Most days `Expires` may lie ahead before it is noted (RFC 9116 §2.5.5 recommends
        /// less than a year).
        #[serde(default = "security_txt_max_days")]
        max_expires_days: u32,
    },
    /// SEC-10: no `http:` sub-resources on HTTPS pages; third-party scripts carry SRI.
    #[serde(rename_all = "kebab-case")]
    MixedContent {
        /// Which facts are judged: `http` (default), the markup the HTTP probe fetched;
        /// `rendered`, the DOM after the page's scripts ran (what they added at run time —
        /// needs the browser).
        #[serde(default)]
        source: FactSource,
        /// Require `integrity` on scripts from other origins.
        #[serde(default = "yes")]
        require_sri: bool,
        /// Hosts (subdomains included) whose scripts cannot carry SRI because the service
        /// changes them under a fixed URL: the EMC tracker, reCAPTCHA, maps and social SDKs
        /// (default list; the scenario's EMC tracker hosts are added).
        #[serde(default = "sri_exempt_hosts")]
        sri_exempt_hosts: Vec<String>,
    },
    /// PL6-2: on every page the browser rendered, the tracker queue holds the page-view
    /// command after load, and the page made a request to a tracker host (blocked in the
    /// browser, never sent): it tried to send. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    EmcPageView {
        /// Name of the tracker queue variable. Default `_govaq`.
        #[serde(default = "govaq")]
        queue: String,
        /// The page-view command. Default `trackPageView`.
        #[serde(default = "track_page_view")]
        command: String,
    },
    /// PL6-3: on every rendered procedure page (the scenario's `service-pages`), the tracker
    /// queue holds the service-usage command with a non-empty service code (its first
    /// argument). Needs the browser.
    #[serde(rename_all = "kebab-case")]
    EmcServiceEvent {
        /// Name of the tracker queue variable. Default `_govaq`.
        #[serde(default = "govaq")]
        queue: String,
        /// The service-usage command. Default `trackDVC`.
        #[serde(default = "track_dvc")]
        command: String,
    },
    /// PL8-4: every rendered page, at the mobile viewport, has a viewport meta with
    /// `width=device-width` and does not scroll sideways. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    MobileViewport {
        /// Viewport width the page must fit, CSS px. Default 360 (REQUIREMENTS.md: "no
        /// horizontal scrolling at 360 px width").
        #[serde(default = "width_360")]
        width_px: u32,
        /// CSS px a page may be wider than the viewport without counting as sideways
        /// scrolling (sub-pixel rounding). Default 1.
        #[serde(default = "one_u32")]
        overflow_tolerance_px: u32,
        /// Require `width=device-width` in the viewport meta. Default true.
        #[serde(default = "yes")]
        require_device_width: bool,
    },
    /// PL1-1, PL1-3.x, PL1-4, PL1-5, PL1-7, PL1-9: the citizen journeys (`[[flows]]`, or
    /// kiemdinh's default ones) that serve this requirement all completed, with the steps and
    /// destinations it demands. A failed step fails the requirement, naming the step and its
    /// screenshot. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    Flow {
        /// Step kinds a serving journey must have done (`upload`, `expect-invalid`, …).
        /// Default none: completing is enough.
        #[serde(default)]
        steps: Vec<String>,
        /// Where a serving journey must have arrived over HTTPS: the identity provider or the
        /// payment platform (hosts from `hosts` and the scenario's `[sso] idp-hosts` /
        /// `[payment] hosts`). Default: nowhere in particular.
        #[serde(default)]
        reach: Option<Reach>,
        /// Allow-listed hosts for `reach` (a host or any of its subdomains).
        #[serde(default)]
        hosts: Vec<String>,
        /// With no journey serving the requirement, the check does not count and the
        /// requirement's other checks decide (a function the HTTP probe already judges).
        /// Default false: no journey leaves the requirement `pending`.
        #[serde(default)]
        optional: bool,
    },
    /// PL1-12: the sampled pages load in every other browser installed (Firefox through
    /// geckodriver): a title and visible text, no error. `skipped` with the reason when no
    /// other browser is installed. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    OtherBrowsers {
        /// Least number of visible characters a page must show. Default 200 (inferred: a
        /// portal page with its header, menu and footer has far more).
        #[serde(default = "two_hundred")]
        min_text_chars: u64,
    },
    /// PL8-5: every page the browser rendered was audited with the vendored axe-core on the
    /// WCAG 2.0/2.1 A and AA rules and EN 301 549, and has no violation of an impact in
    /// `fail-impacts` (rules in `ignore-rules` aside). Other violations are reported, not
    /// failed. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    Accessibility {
        /// Impacts that fail the requirement. Default `critical` and `serious` (placeholder,
        /// inferred — TT 32/2017 Đ18 asks for WCAG support without ranking failures; these are
        /// the impacts axe-core describes as barriers to use).
        #[serde(default = "blocking_impacts")]
        fail_impacts: Vec<AxeImpact>,
        /// axe-core rule ids not judged (reported as ignored), e.g. a rule the evaluator checks
        /// by hand. Default none.
        #[serde(default)]
        ignore_rules: Vec<String>,
    },
    /// D4-1 (good user experience): each timed page's median Cumulative Layout Shift over its
    /// lab runs is within the limit. Needs the browser.
    #[serde(rename_all = "kebab-case")]
    LayoutStability {
        /// Largest allowed median CLS (unitless). Default 0.1 (Core Web Vitals "good").
        #[serde(default = "cls_good")]
        max_cls: f64,
    },
    /// SEC-3: cookies set over HTTPS carry `Secure`; session cookies also `HttpOnly` and
    /// `SameSite`.
    #[serde(rename_all = "kebab-case")]
    CookieFlags {
        /// Case-insensitive substrings that mark a session cookie's name.
        #[serde(default = "session_cookie_names")]
        session_names: Vec<String>,
    },
    /// PL1-1 / SSO-1: the SSO login entry redirects over HTTPS to an allow-listed identity
    /// provider; with `oidc`, the request is an OpenID Connect code flow with `state`, `nonce`
    /// or PKCE, and an HTTPS `redirect_uri` on the portal's host. The request is observed in
    /// the redirect, never sent.
    #[serde(rename_all = "kebab-case")]
    SsoRequest {
        /// Identity-provider hosts (subdomains included; the scenario may add hosts).
        idp_hosts: Vec<String>,
        /// Check the OpenID Connect parameters too.
        #[serde(default)]
        oidc: bool,
    },
    /// SEC-8: well-known administration paths are not served on the public host.
    #[serde(rename_all = "kebab-case")]
    AdminNotPublic {},
    /// SEC-7, SEC-8: none of the sensitive paths of `data/exposure.toml` (`/.git/HEAD`,
    /// `/.env`, backups, status pages) answers with its tell-tale content (soft-404 aware).
    #[serde(rename_all = "kebab-case")]
    ExposedFiles {
        /// The entries' families judged here (`leak`, `console`); all when empty.
        #[serde(default)]
        families: Vec<String>,
    },
    /// SEC-3 (active, `assess --active-security`): the session id after a test-account login
    /// differs from the one before (no session fixation).
    #[serde(rename_all = "kebab-case")]
    SessionRenewed {},
    /// SEC-4 (active): the declared idle timeout is within the limit and an idle session is
    /// refused after it.
    #[serde(rename_all = "kebab-case")]
    IdleTimeout {
        /// Longest allowed idle time, seconds.
        max_idle_s: u64,
    },
    /// SEC-5 (active): after at most `max-failures` wrong passwords the account is locked.
    #[serde(rename_all = "kebab-case")]
    LoginLockout {
        /// Most wrong passwords before the lock.
        max_failures: u32,
    },
    /// PL8-3: the public host name ends with the suffix.
    #[serde(rename_all = "kebab-case")]
    HostSuffix {
        /// Required suffix.
        #[serde(default = "gov_vn")]
        suffix: String,
    },
    /// PL8-2: the base URL's host has an AAAA record reachable over IPv6 (one TCP connect)
    /// and a DNSSEC-signed zone whose chain validates from the trust anchor.
    #[serde(rename_all = "kebab-case")]
    Dns {
        /// Require an AAAA record and a TCP connect to it. Default true.
        #[serde(default = "yes")]
        require_ipv6: bool,
        /// Require a `secure` DNSSEC proof of the host's A answer. Default true.
        #[serde(default = "yes")]
        require_dnssec: bool,
    },
    /// PL8-9: every HTML page declares UTF-8.
    #[serde(rename_all = "kebab-case")]
    Utf8Declared {},
    /// PL1-2: the catalogue page lists procedures, and procedure pages show their service level.
    #[serde(rename_all = "kebab-case")]
    Catalogue {
        /// Least number of distinct procedure pages the catalogue page links to (default 1;
        /// placeholder — no text gives it).
        #[serde(default = "one_u32")]
        min_services: u32,
        /// Accepted service levels (default toàn trình / một phần, NĐ 42/2022).
        #[serde(default = "default_levels")]
        levels: Vec<Synonyms>,
        /// Level wordings the regulation no longer uses (`mức độ 3/4`): accepted, reported as
        /// outdated.
        #[serde(default = "outdated_levels")]
        outdated_levels: Vec<String>,
        /// Share of catalogue rows, and of sampled procedure pages, that must show a level
        /// (default 1.0; placeholder — no text gives it).
        #[serde(default = "one")]
        min_ratio: f64,
        /// Link texts that identify the catalogue page when the scenario has no `catalogue`
        /// function.
        #[serde(default = "catalogue_synonyms")]
        synonyms: Vec<String>,
    },
    /// PL1-5: a search for a known word finds procedures; nonsense finds none and is no error.
    #[serde(rename_all = "kebab-case")]
    SearchAnswers {
        /// Least number of procedure links a known word must return (default 1).
        #[serde(default = "one_u32")]
        min_results: u32,
        /// Least number of distinct words searched — procedure names the probe takes from the
        /// catalogue, and the scenario's words (default 2; placeholder — no text gives it).
        #[serde(default = "two_u32")]
        min_terms: u32,
        /// Require a criterion of the search form (a field or agency list) that narrows the
        /// results (default true).
        #[serde(default = "yes")]
        require_filter: bool,
    },
    /// PL1-5.1: an unknown dossier code gets a clear "not found" (no error page, no stack trace).
    #[serde(rename_all = "kebab-case")]
    LookupAnswers {
        /// Phrases that say "not found" (case-insensitive).
        #[serde(default = "not_found_phrases")]
        not_found: Vec<String>,
    },
    /// PL1-6, PL1-7, PL1-9, DVCQG-6: each function has a working page on the portal, or is
    /// delegated to DVCQG through a link to an allow-listed host.
    #[serde(rename_all = "kebab-case")]
    FunctionsPresent {
        /// Required functions (`[functions]` names) with link texts used when the scenario
        /// does not say where a function lives, and what each page must hold.
        items: Vec<FunctionPage>,
        /// Hosts a delegated function may link to (subdomains included).
        #[serde(default = "dvcqg_hosts")]
        dvcqg_hosts: Vec<String>,
    },
    /// PL1-8: the statistics page shows labelled figures (received, resolved, on time, …)
    /// that are plausible (shares within 0–100, counts whole) and consistent (resolved ≤
    /// received).
    #[serde(rename_all = "kebab-case")]
    StatisticsSane {
        /// Least number of distinct labelled figures (default 3; placeholder — no text gives it).
        #[serde(default = "three_u32")]
        min_figures: u32,
        /// The figures looked for, with their labels, kinds and consistency rules (default:
        /// received, resolved, on time, overdue, on-time share, online share).
        #[serde(default = "statistics_figures")]
        figures: Vec<Figure>,
        /// Most characters between a label and its figure in running text
        /// (`Tiếp nhận trong năm: 128.450`) (default 40).
        #[serde(default = "forty")]
        label_window: u32,
        /// Link texts that identify the page when the scenario has no `statistics` function.
        #[serde(default)]
        synonyms: Vec<String>,
    },
    /// DVCQG-2: the portal's published procedures compared with the evaluator's DVCQG export.
    #[serde(rename_all = "kebab-case")]
    CatalogueSync {
        /// Labels of the procedure code on procedure pages.
        #[serde(default = "code_labels")]
        code_labels: Vec<String>,
        /// Labels of the procedure name (the page's `<h1>` is used when absent).
        #[serde(default = "name_labels")]
        name_labels: Vec<String>,
        /// Labels of the service level.
        #[serde(default = "level_labels")]
        level_labels: Vec<String>,
        /// Labels of the field (lĩnh vực).
        #[serde(default = "field_labels")]
        field_labels: Vec<String>,
        /// Labels of the processing agency.
        #[serde(default = "agency_labels")]
        agency_labels: Vec<String>,
        /// Columns compared besides the code (each only when the export has it).
        #[serde(default = "compare_all")]
        compare: Vec<CatalogueColumn>,
    },
    /// DVCQG-3: the status endpoint answers 200 with JSON valid against the schema.
    #[serde(rename_all = "kebab-case")]
    StatusApi {
        /// JSON Schema (draft 2020-12) the document must satisfy.
        #[schemars(with = "serde_json::Map<String, serde_json::Value>")]
        schema: serde_json::Value,
    },
    /// PL IV: a page-load metric's median over the measured pages is within the limit.
    #[serde(rename_all = "kebab-case")]
    PageMetric {
        /// Metric.
        metric: PageMetric,
        /// Largest allowed median, in milliseconds.
        max_ms: f64,
    },
    /// PL V: a load-test threshold at the scenario's target load.
    #[serde(rename_all = "kebab-case")]
    LoadThreshold {
        /// Statistic of the response times bounded by `max-ms`.
        #[serde(default)]
        statistic: Option<LoadStatistic>,
        /// Largest allowed response time, in milliseconds.
        #[serde(default)]
        max_ms: Option<f64>,
        /// Largest allowed share of failed requests (0.01 = 1 %).
        #[serde(default)]
        max_error_rate: Option<f64>,
        /// Least share of the target users that must be active in transactional journeys.
        #[serde(default)]
        min_active_ratio: Option<f64>,
    },
    /// PL5-6, PL8-6, DVCQG-1, NSW-1: availability over the evaluation period.
    #[serde(rename_all = "kebab-case")]
    Availability {
        /// Least uptime over the monitored time of the period, suspensions excused
        /// (0.999 = 99.9 %): `(monitored − down + excused) / monitored`.
        min_uptime: f64,
        /// Which monitored target is judged: `home` (default; PL5-6, PL8-6, NSW-1) or
        /// `dvcqg-status` (DVCQG-1: the connection to DVCQG).
        #[serde(default = "home_target")]
        target: crate::observation::Target,
        /// A planned suspension's downtime is excused only when it was announced at least this
        /// many full working days before it started (Vietnamese working days, holidays from
        /// `data/holidays-vn.toml`). Default 7: NĐ 224/2026 Đ13.1.a.
        #[serde(default = "seven")]
        min_notice_working_days: u32,
        /// Least share of the period the monitor must have covered for a verdict; below it the
        /// check is `error` ("not enough monitoring"), never pass or fail. Default 0.9
        /// (placeholder — no text gives it).
        #[serde(default = "ninety_percent")]
        min_coverage: f64,
    },
    /// A check that needs a probe kiemdinh does not run yet: `pending` until evidence or an
    /// attestation is supplied — never a silent pass.
    #[serde(rename_all = "kebab-case")]
    Planned {
        /// The probe that will automate it.
        probe: PlannedProbe,
        /// What the probe will check (and what evidence shows meanwhile).
        description: Text,
    },
    /// The verdict of other requirements (D4-1 "covered by PL3", NSW-3 "SEC-1..3").
    #[serde(rename_all = "kebab-case")]
    SameAs {
        /// Requirement ids, judged in the same evaluation.
        requirements: Vec<String>,
    },
    /// The evaluator supplies a file (decision, report, export).
    #[serde(rename_all = "kebab-case")]
    Evidence {
        /// What the file must show.
        description: Text,
        /// Kinds of file accepted, recognised by content, not by name (default: `pdf`,
        /// `office`, `text`; add `image` where a screenshot may serve).
        #[serde(default = "default_evidence_kinds")]
        accept: Vec<FileKind>,
    },
    /// The system owner supplies a signed statement.
    #[serde(rename_all = "kebab-case")]
    Attestation {
        /// What the statement must say.
        description: Text,
    },
}

/// Where a journey must arrive (`reach` of a `flow` check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Reach {
    /// The identity provider (VNeID, DVCQG).
    IdentityProvider,
    /// The payment platform (never followed to a real payment).
    Payment,
}

#[cfg(test)]
mod tests;

//! Check specs: the tagged `[[requirement.checks]]` tables a judge evaluates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A page region used by layout checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegionName {
    /// The top part (`<header>`, `role=banner`, `#banner`/`.header-wrap`/…, or the first
    /// top-level block).
    Header,
    /// The content between header and footer (`<main>`, `role=main`, `section#content`/
    /// `div.main-content`/…, or the blocks between).
    Main,
    /// The bottom part (`<footer>`, `role=contentinfo`, `div.footer`/`#footer`/…, or the last
    /// top-level block).
    Footer,
}

impl RegionName {
    /// The name as written in checklists.
    pub fn as_str(self) -> &'static str {
        match self {
            RegionName::Header => "header",
            RegionName::Main => "main",
            RegionName::Footer => "footer",
        }
    }
}

/// A named item recognised by any of several synonyms (case-insensitive substrings).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Synonyms {
    /// Stable name of the item (`home`, `fees`, …).
    pub name: String,
    /// Label shown in reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Accepted wordings, matched case-insensitively inside the normalised text.
    pub synonyms: Vec<String>,
}

/// A named item recognised by a regular expression (case-insensitive).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct PatternItem {
    /// Stable name of the item (`copyright`, `phone`, …).
    pub name: String,
    /// Label shown in reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Regular expression (Rust `regex` syntax), matched case-insensitively.
    pub pattern: String,
}

/// A function the home page must link to: the scenario's `[functions]` URL when given, otherwise
/// a link whose text matches a synonym.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FunctionLink {
    /// Function name as used in the scenario's `[functions]` table (`catalogue`, `search`, …).
    pub function: String,
    /// Label shown in reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Link texts accepted when the scenario does not say where the function lives.
    #[serde(default)]
    pub synonyms: Vec<String>,
}

/// A function page PL1-6/7/9 and DVCQG-6 require: found like a [`FunctionLink`], and judged on
/// what the page holds, not on the link's text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct FunctionPage {
    /// Function name as used in the scenario's `[functions]` table (`rating`, `guide`, …).
    pub function: String,
    /// Label shown in reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Link texts accepted when the scenario does not say where the function lives.
    #[serde(default)]
    pub synonyms: Vec<String>,
    /// Ways the page can show that it holds the function; one must be met (empty: a page that
    /// answers 2xx is enough).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub holds: Vec<Holds>,
}

/// One way a page shows that it holds a function. Every key given must be met; keys left out
/// ask nothing.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Holds {
    /// A form with a control of one of these kinds (`textarea`, `radio`, `select`, `range`,
    /// `text`, `file`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub form_inputs: Vec<String>,
    /// The form has a submit control (`<button>`, `input type=submit|image`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub submit: bool,
    /// Least number of entries (list items, table rows, item blocks) outside the menus, header
    /// and footer: a list of guides.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_items: u32,
    /// Least number of questions shown (headings, terms, links or entries ending in `?`).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub min_questions: u32,
    /// Substrings of a script URL that embeds the function as a widget (a chatbot vendor).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scripts: Vec<String>,
}

#[allow(clippy::trivially_copy_pass_by_ref)]
fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// A figure of the statistics page (PL1-8), recognised by the label next to it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Figure {
    /// Stable name (`received`, `resolved`, …).
    pub name: String,
    /// Label shown in reports.
    #[serde(default)]
    pub label: Option<Text>,
    /// Label wordings, matched case- and diacritic-insensitively; the longest match wins
    /// (`tỷ lệ đúng hạn` before `đúng hạn`).
    pub synonyms: Vec<String>,
    /// A share in per cent: written with `%`, within 0–100. Otherwise a count: a whole number,
    /// not negative, written without `%`.
    #[serde(default)]
    pub share: bool,
    /// Names of figures this one cannot exceed (resolved ≤ received).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub at_most: Vec<String>,
}

/// A security header SEC-2 can require.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum SecurityHeader {
    /// `Strict-Transport-Security` with at least `hsts-min-age` seconds.
    StrictTransportSecurity,
    /// `Content-Security-Policy`.
    ContentSecurityPolicy,
    /// `X-Content-Type-Options: nosniff`.
    XContentTypeOptions,
    /// CSP `frame-ancestors` or `X-Frame-Options`.
    FrameAncestors,
    /// `Referrer-Policy`.
    ReferrerPolicy,
}

impl SecurityHeader {
    /// The header name as shown to users.
    pub fn as_str(self) -> &'static str {
        match self {
            SecurityHeader::StrictTransportSecurity => "Strict-Transport-Security",
            SecurityHeader::ContentSecurityPolicy => "Content-Security-Policy",
            SecurityHeader::XContentTypeOptions => "X-Content-Type-Options",
            SecurityHeader::FrameAncestors => "frame-ancestors / X-Frame-Options",
            SecurityHeader::ReferrerPolicy => "Referrer-Policy",
        }
    }
}

fn default_regions() -> Vec<RegionName> {
    vec![RegionName::Header, RegionName::Main, RegionName::Footer]
}
fn yes() -> bool {
    true
}
fn five() -> u32 {
    5
}
fn three() -> u32 {
    3
}
fn forty() -> u32 {
    40
}
fn emblem_min_px() -> u32 {
    24
}
fn emblem_words() -> Vec<String> {
    [
        "quốc huy",
        "quoc-huy",
        "quoc_huy",
        "quochuy",
        "quoc huy",
        "biểu trưng",
        "bieu-trung",
        "logo",
        "emblem",
        "huy hiệu",
    ]
    .map(String::from)
    .to_vec()
}
fn menu_exclude() -> Vec<String> {
    [
        "đăng nhập",
        "đăng ký",
        "đăng xuất",
        "login",
        "log in",
        "sign in",
        "quốc huy",
        "logo",
    ]
    .map(String::from)
    .to_vec()
}
/// Texts that change from page to page without the region changing: visitor counters, clocks,
/// dates and weekdays (PL3-2/PL3-3).
fn volatile_text() -> Vec<String> {
    [
        r"(số )?(lượt truy cập|lượt xem|người truy cập|đang truy cập|đang trực tuyến|trực tuyến|online|hôm nay|hôm qua|tuần này|tháng này|tổng số|tổng|visitors?|visits?|page ?views?)\s*:?\s*\d[\d.,\s]*",
        r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}",
        r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
        r"\b\d{4}-\d{2}-\d{2}(t\d{2}:\d{2}(:\d{2})?)?\b",
        r"\b\d{1,2}:\d{2}(:\d{2})?(\s*(am|pm|sa|ch))?\b",
        r"\b\d{1,2}\s*giờ\s*\d{1,2}(\s*phút)?",
        r"(thứ\s*(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)",
    ]
    .map(String::from)
    .to_vec()
}
/// Query and `;path` parameters that carry a session or a CSRF token (PL3-2/PL3-3).
fn session_params() -> Vec<String> {
    [
        "jsessionid",
        "p_auth",
        "p_p_auth",
        "sid",
        "sessionid",
        "session_id",
        "phpsessid",
        "_csrf",
        "csrf_token",
        "csrfmiddlewaretoken",
        "token",
        "__requestverificationtoken",
        "cfid",
        "cftoken",
    ]
    .map(String::from)
    .to_vec()
}
fn one() -> f64 {
    1.0
}
fn one_u32() -> u32 {
    1
}
fn thirty() -> u32 {
    30
}
fn sitemap_xml() -> String {
    "/sitemap.xml".into()
}
fn govaq() -> String {
    "_govaq".into()
}
fn gov_vn() -> String {
    ".gov.vn".into()
}
fn session_cookie_names() -> Vec<String> {
    ["sess", "sid", "auth", "token", "jwt", "login"]
        .map(String::from)
        .to_vec()
}
fn dvcqg_hosts() -> Vec<String> {
    vec!["dichvucong.gov.vn".into()]
}
fn default_levels() -> Vec<Synonyms> {
    vec![
        Synonyms {
            name: "full".into(),
            label: Some(Text::new("Toàn trình", "full online")),
            synonyms: vec!["toàn trình".into()],
        },
        Synonyms {
            name: "partial".into(),
            label: Some(Text::new("Một phần", "partly online")),
            synonyms: vec!["một phần".into()],
        },
    ]
}
fn outdated_levels() -> Vec<String> {
    ["mức độ 4", "mức độ 3", "mức 4", "mức 3"]
        .map(String::from)
        .to_vec()
}
fn catalogue_synonyms() -> Vec<String> {
    vec!["danh mục thủ tục".into(), "thủ tục hành chính".into()]
}
fn two_u32() -> u32 {
    2
}
fn three_u32() -> u32 {
    3
}
fn figure(
    name: &str,
    vi: &str,
    en: &str,
    synonyms: &[&str],
    share: bool,
    at_most: &[&str],
) -> Figure {
    Figure {
        name: name.into(),
        label: Some(Text::new(vi, en)),
        synonyms: synonyms.iter().map(|s| (*s).to_string()).collect(),
        share,
        at_most: at_most.iter().map(|s| (*s).to_string()).collect(),
    }
}
/// The figures PL1-8 looks for by default.
pub(crate) fn statistics_figures() -> Vec<Figure> {
    vec![
        figure(
            "received",
            "Tiếp nhận",
            "received",
            &["tiếp nhận", "hồ sơ nhận", "received"],
            false,
            &[],
        ),
        figure(
            "resolved",
            "Đã giải quyết",
            "resolved",
            &["đã giải quyết", "giải quyết xong", "đã xử lý", "resolved"],
            false,
            &["received"],
        ),
        figure(
            "on-time",
            "Đúng hạn",
            "on time",
            &["đúng hạn", "trước hạn", "on time"],
            false,
            &["resolved"],
        ),
        figure(
            "overdue",
            "Quá hạn",
            "overdue",
            &["quá hạn", "trễ hạn", "overdue"],
            false,
            &["received"],
        ),
        figure(
            "on-time-share",
            "Tỷ lệ đúng hạn",
            "on-time share",
            &[
                "tỷ lệ đúng hạn",
                "tỷ lệ giải quyết đúng hạn",
                "đúng hạn (%)",
                "on-time rate",
            ],
            true,
            &[],
        ),
        figure(
            "online-share",
            "Tỷ lệ trực tuyến",
            "online share",
            &[
                "tỷ lệ trực tuyến",
                "tỷ lệ hồ sơ trực tuyến",
                "trực tuyến",
                "online",
            ],
            true,
            &[],
        ),
    ]
}
fn sri_exempt_hosts() -> Vec<String> {
    [
        "f-emc.ngsp.gov.vn",
        "www.google.com",
        "www.gstatic.com",
        "www.recaptcha.net",
        "www.googletagmanager.com",
        "www.google-analytics.com",
        "maps.googleapis.com",
        "connect.facebook.net",
        "sp.zalo.me",
    ]
    .map(String::from)
    .to_vec()
}
fn not_found_phrases() -> Vec<String> {
    vec![
        "không tìm thấy".into(),
        "không có hồ sơ".into(),
        "không tồn tại".into(),
        "not found".into(),
    ]
}
fn code_labels() -> Vec<String> {
    vec!["mã thủ tục".into(), "mã số thủ tục".into()]
}
fn name_labels() -> Vec<String> {
    vec!["tên thủ tục".into()]
}
fn level_labels() -> Vec<String> {
    vec!["mức độ".into()]
}
fn field_labels() -> Vec<String> {
    vec!["lĩnh vực".into()]
}
fn agency_labels() -> Vec<String> {
    vec!["cơ quan thực hiện".into(), "cơ quan giải quyết".into()]
}
fn compare_all() -> Vec<CatalogueColumn> {
    vec![CatalogueColumn::Name, CatalogueColumn::Level]
}
fn security_txt_fields() -> Vec<String> {
    vec!["contact".into(), "expires".into()]
}

/// A page-load metric (PL IV). See MEASUREMENT.md for how each is observed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PageMetric {
    /// First Contentful Paint (browser).
    Fcp,
    /// Largest Contentful Paint (browser).
    Lcp,
    /// Speed Index (browser, from rendered frames).
    SpeedIndex,
    /// Time to first byte (measured by the HTTP probe on every sampled page).
    Ttfb,
}

impl PageMetric {
    /// Short name shown in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            PageMetric::Fcp => "FCP",
            PageMetric::Lcp => "LCP",
            PageMetric::SpeedIndex => "Speed Index",
            PageMetric::Ttfb => "TTFB",
        }
    }
}

/// A statistic over load-test response times.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum LoadStatistic {
    /// Arithmetic mean.
    Mean,
    /// 95th percentile.
    P95,
    /// 99th percentile.
    P99,
    /// Slowest response.
    Max,
}

/// What a probe that kiemdinh does not run yet would observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum PlannedProbe {
    /// A real browser (rendered DOM, scripted flows, intercepted requests).
    Browser,
    /// A browser flow with the scenario's test account.
    Account,
    /// DNS resolution (AAAA, DNSSEC).
    Dns,
    /// An active check that needs the owner's written consent.
    Active,
}

impl PlannedProbe {
    /// The probe in both languages.
    pub fn title(self) -> Text {
        match self {
            PlannedProbe::Browser => Text::new("trình duyệt", "browser"),
            PlannedProbe::Account => Text::new(
                "trình duyệt với tài khoản thử",
                "browser with a test account",
            ),
            PlannedProbe::Dns => Text::new("truy vấn DNS", "DNS"),
            PlannedProbe::Active => Text::new(
                "kiểm tra chủ động (cần đồng ý bằng văn bản)",
                "active check (needs written consent)",
            ),
        }
    }

    /// The coverage column it belongs to.
    pub fn method(self) -> crate::checklist::Method {
        match self {
            PlannedProbe::Dns => crate::checklist::Method::Http,
            _ => crate::checklist::Method::Browser,
        }
    }
}

/// A column compared between the portal's catalogue and the DVCQG export.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum CatalogueColumn {
    /// Procedure name.
    Name,
    /// Service level.
    Level,
    /// Field (lĩnh vực).
    Field,
    /// Processing agency (cơ quan thực hiện).
    Agency,
}

/// One check of a requirement, tagged by `kind`. Unknown kinds and keys are errors.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(tag = "kind", rename_all = "kebab-case", deny_unknown_fields)]
pub enum Check {
    /// PL3-1: every sampled HTML page has the listed regions.
    #[serde(rename_all = "kebab-case")]
    RegionsPresent {
        /// Regions required (default header, main, footer).
        #[serde(default = "default_regions")]
        regions: Vec<RegionName>,
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
    /// SEC-2: security headers on every sampled HTML page.
    #[serde(rename_all = "kebab-case")]
    SecurityHeaders {
        /// Required headers.
        require: Vec<SecurityHeader>,
        /// Least HSTS `max-age` in seconds (6 months = 15552000).
        #[serde(default)]
        hsts_min_age: u64,
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
    },
    /// SEC-10: no `http:` sub-resources on HTTPS pages; third-party scripts carry SRI.
    #[serde(rename_all = "kebab-case")]
    MixedContent {
        /// Require `integrity` on scripts from other origins.
        #[serde(default = "yes")]
        require_sri: bool,
        /// Hosts (subdomains included) whose scripts cannot carry SRI because the service
        /// changes them under a fixed URL: the EMC tracker, reCAPTCHA, maps and social SDKs
        /// (default list; the scenario's EMC tracker hosts are added).
        #[serde(default = "sri_exempt_hosts")]
        sri_exempt_hosts: Vec<String>,
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
    /// PL8-3: the public host name ends with the suffix.
    #[serde(rename_all = "kebab-case")]
    HostSuffix {
        /// Required suffix.
        #[serde(default = "gov_vn")]
        suffix: String,
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
        /// Least share of successful probes (0.999 = 99.9 %).
        min_uptime: f64,
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

/// A kind of evidence file, recognised from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    /// PDF (`%PDF`).
    Pdf,
    /// Office documents: Office Open XML / `OpenDocument` (zip) and legacy OLE (`.doc`, `.xls`).
    Office,
    /// Plain text in UTF-8 (`.txt`, `.csv`, `.json`, `.xml`, `.md`).
    Text,
    /// PNG, JPEG, GIF or WebP.
    Image,
    /// Any other zip archive.
    Archive,
}

impl FileKind {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Office => "office",
            FileKind::Text => "text",
            FileKind::Image => "image",
            FileKind::Archive => "archive",
        }
    }

    /// What such a file is, for messages ("an image").
    pub fn describe(self) -> &'static str {
        match self {
            FileKind::Pdf => "a PDF document",
            FileKind::Office => "an office document",
            FileKind::Text => "plain text",
            FileKind::Image => "an image",
            FileKind::Archive => "a zip archive",
        }
    }
}

/// Documents: what most evidence items (decisions, reports, exports) are.
fn default_evidence_kinds() -> Vec<FileKind> {
    vec![FileKind::Pdf, FileKind::Office, FileKind::Text]
}

impl Check {
    /// The kebab-case kind name.
    pub fn kind(&self) -> &'static str {
        match self {
            Check::RegionsPresent { .. } => "regions-present",
            Check::RegionConsistent { .. } => "region-consistent",
            Check::HeaderBanner { .. } => "header-banner",
            Check::MenuItems { .. } => "menu-items",
            Check::FooterFields { .. } => "footer-fields",
            Check::HomeLinks { .. } => "home-links",
            Check::Sitemap { .. } => "sitemap",
            Check::ProcedureFields { .. } => "procedure-fields",
            Check::MaxClickDepth { .. } => "max-click-depth",
            Check::EmailPublished {} => "email-published",
            Check::EmcEmbed { .. } => "emc-embed",
            Check::EmcConsistent { .. } => "emc-consistent",
            Check::HttpsRedirect {} => "https-redirect",
            Check::CertificateValid { .. } => "certificate-valid",
            Check::SecurityHeaders { .. } => "security-headers",
            Check::NoLeakage { .. } => "no-leakage",
            Check::SecurityTxt { .. } => "security-txt",
            Check::HostSuffix { .. } => "host-suffix",
            Check::Utf8Declared {} => "utf8-declared",
            Check::MixedContent { .. } => "mixed-content",
            Check::CookieFlags { .. } => "cookie-flags",
            Check::SsoRequest { .. } => "sso-request",
            Check::AdminNotPublic {} => "admin-not-public",
            Check::Catalogue { .. } => "catalogue",
            Check::SearchAnswers { .. } => "search-answers",
            Check::LookupAnswers { .. } => "lookup-answers",
            Check::FunctionsPresent { .. } => "functions-present",
            Check::StatisticsSane { .. } => "statistics-sane",
            Check::CatalogueSync { .. } => "catalogue-sync",
            Check::StatusApi { .. } => "status-api",
            Check::PageMetric { .. } => "page-metric",
            Check::LoadThreshold { .. } => "load-threshold",
            Check::Availability { .. } => "availability",
            Check::Planned { .. } => "planned",
            Check::SameAs { .. } => "same-as",
            Check::Evidence { .. } => "evidence",
            Check::Attestation { .. } => "attestation",
        }
    }

    /// The check on one line: its kind, then every key with its value as a checklist writes
    /// it, defaults and thresholds included (`statistics-sane: label-window = 40, min-figures
    /// = 3, …`; keys in alphabetical order).
    pub fn describe(&self) -> String {
        let kind = self.kind();
        let Ok(toml::Value::Table(table)) = toml::Value::try_from(self) else {
            return kind.to_string();
        };
        let keys: Vec<String> = table
            .iter()
            .filter(|(k, _)| *k != "kind")
            .map(|(k, v)| format!("{k} = {v}"))
            .collect();
        if keys.is_empty() {
            kind.to_string()
        } else {
            format!("{kind}: {}", keys.join(", "))
        }
    }

    /// Whether the check is satisfied by a file or statement rather than by a probe.
    pub fn is_manual(&self) -> bool {
        matches!(self, Check::Evidence { .. } | Check::Attestation { .. })
    }

    /// Problems with the spec itself (bad regexes, non-positive thresholds), as messages.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        let mut regex = |p: &str| {
            if let Err(e) = regex::RegexBuilder::new(p).case_insensitive(true).build() {
                out.push(format!(
                    "invalid regular expression `{p}`: {}",
                    first_line(&e.to_string())
                ));
            }
        };
        match self {
            Check::FooterFields { fields } => fields.iter().for_each(|f| regex(&f.pattern)),
            Check::NoLeakage { patterns } => patterns.iter().for_each(|p| regex(p)),
            Check::RegionConsistent { ignore, .. } => ignore.iter().for_each(|p| regex(p)),
            _ => {}
        }
        match self {
            Check::MaxClickDepth { max_depth: 0 } => {
                out.push("`max-depth` must be at least 1".into());
            }
            Check::ProcedureFields {
                min_ratio, fields, ..
            } => {
                if !(*min_ratio > 0.0 && *min_ratio <= 1.0) {
                    out.push(format!("`min-ratio` must be in (0, 1], got `{min_ratio}`"));
                }
                if fields.is_empty() {
                    out.push("`fields` must not be empty".into());
                }
            }
            Check::MenuItems {
                items, required, ..
            } => {
                if items.is_empty() {
                    out.push("`items` must not be empty".into());
                }
                for r in required.iter().flatten() {
                    if !items.iter().any(|i| i.name == *r) {
                        out.push(format!("`required` names `{r}`, which is not an item"));
                    }
                }
            }

            Check::SsoRequest { idp_hosts, .. } if idp_hosts.is_empty() => {
                out.push("`idp-hosts` must not be empty".into());
            }
            Check::StatisticsSane { figures, .. } => {
                for f in figures {
                    for other in &f.at_most {
                        if !figures.iter().any(|g| g.name == *other) {
                            out.push(format!(
                                "`at-most` of `{}` names no figure: `{other}`",
                                f.name
                            ));
                        }
                    }
                }
            }
            Check::FunctionsPresent { items, .. } if items.is_empty() => {
                out.push("`items` must not be empty".into());
            }
            Check::SameAs { requirements } if requirements.is_empty() => {
                out.push("`requirements` must not be empty".into());
            }
            Check::SameAs { requirements } => {
                for r in requirements {
                    if !crate::checklist::RequirementId::is_well_formed(r) {
                        out.push(format!("`{r}` is not a requirement id"));
                    }
                }
            }
            Check::Catalogue { min_ratio, .. } if !(*min_ratio > 0.0 && *min_ratio <= 1.0) => {
                out.push(format!("`min-ratio` must be in (0, 1], got `{min_ratio}`"));
            }
            Check::StatusApi { schema } => {
                if let Err(e) = jsonschema::validator_for(schema) {
                    out.push(format!("`schema` is not a valid JSON Schema: {e}"));
                }
            }
            Check::PageMetric { max_ms, .. } if !(max_ms.is_finite() && *max_ms > 0.0) => {
                out.push(format!("`max-ms` must be positive, got `{max_ms}`"));
            }
            Check::LoadThreshold {
                statistic,
                max_ms,
                max_error_rate,
                min_active_ratio,
            } => {
                if max_ms.is_none() && max_error_rate.is_none() && min_active_ratio.is_none() {
                    out.push("set one of `max-ms`, `max-error-rate`, `min-active-ratio`".into());
                }
                if max_ms.is_some() != statistic.is_some() {
                    out.push("`max-ms` and `statistic` go together".into());
                }
                if max_ms.is_some_and(|m| !(m.is_finite() && m > 0.0)) {
                    out.push("`max-ms` must be positive".into());
                }
                for (k, v) in [
                    ("max-error-rate", max_error_rate),
                    ("min-active-ratio", min_active_ratio),
                ] {
                    if v.is_some_and(|v| !(0.0..=1.0).contains(&v)) {
                        out.push(format!("`{k}` must be within 0–1"));
                    }
                }
            }
            Check::Availability { min_uptime } if !(*min_uptime > 0.0 && *min_uptime <= 1.0) => {
                out.push(format!(
                    "`min-uptime` must be in (0, 1], got `{min_uptime}`"
                ));
            }
            Check::EmcEmbed { tracker_hosts, .. } if tracker_hosts.is_empty() => {
                out.push("`tracker-hosts` must not be empty".into());
            }
            Check::SecurityHeaders {
                require,
                hsts_min_age,
            } if require.contains(&SecurityHeader::StrictTransportSecurity)
                && *hsts_min_age == 0 =>
            {
                out.push("`hsts-min-age` must be positive when HSTS is required".into());
            }
            _ => {}
        }
        out
    }
}

fn first_line(s: &str) -> &str {
    s.lines()
        .rev()
        .find(|l| !l.trim().is_empty())
        .unwrap_or(s)
        .trim()
}

#[cfg(test)]
mod tests {
    use super::Check;

    #[test]
    fn describe_shows_every_key_with_its_default() {
        let c: Check = toml::from_str("kind = \"statistics-sane\"").unwrap();
        let d = c.describe();
        assert!(d.starts_with("statistics-sane: "), "{d}");
        for key in [
            "min-figures = 3",
            "label-window = 40",
            "at-most = [\"received\"]",
        ] {
            assert!(d.contains(key), "{key} in {d}");
        }
        let c: Check = toml::from_str("kind = \"https-redirect\"").unwrap();
        assert_eq!(c.describe(), "https-redirect");
    }

    #[test]
    fn at_most_must_name_a_figure() {
        let c: Check = toml::from_str(
            "kind = \"statistics-sane\"\nfigures = [{ name = \"a\", synonyms = [\"a\"], at-most = [\"b\"] }]",
        )
        .unwrap();
        assert_eq!(c.problems().len(), 1, "{:?}", c.problems());
    }
}

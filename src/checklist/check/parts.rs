//! The pieces check specs are made of: region names, synonym lists, function pages and what
//! they must hold, statistics figures, security headers, page metrics, file kinds.

#![allow(clippy::wildcard_imports)]

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
    /// Link paths that identify the item whatever the link's text (`["/"]` for home: a menu's
    /// home link is often an icon with no text).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub paths: Vec<String>,
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
pub(super) fn is_zero(n: &u32) -> bool {
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
    /// `Referrer-Policy` (an unsafe value — `unsafe-url`, `no-referrer-when-downgrade`,
    /// `origin`, `origin-when-cross-origin` — counts as missing).
    ReferrerPolicy,
    /// `Permissions-Policy`.
    PermissionsPolicy,
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
            SecurityHeader::PermissionsPolicy => "Permissions-Policy",
        }
    }
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

/// Which facts of a page a check reads.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FactSource {
    /// The markup the HTTP probe fetched.
    #[default]
    Http,
    /// The DOM after the page's scripts ran, as the browser probe rendered it.
    Rendered,
}

/// How much an accessibility violation hinders people, in axe-core's four words.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "kebab-case")]
pub enum AxeImpact {
    /// An annoyance.
    Minor,
    /// Some difficulty.
    Moderate,
    /// Serious barriers to some people.
    Serious,
    /// Blocks some people from the content.
    Critical,
}

impl AxeImpact {
    /// The word as axe-core reports it (and checklists write it).
    pub fn as_str(self) -> &'static str {
        match self {
            AxeImpact::Minor => "minor",
            AxeImpact::Moderate => "moderate",
            AxeImpact::Serious => "serious",
            AxeImpact::Critical => "critical",
        }
    }

    /// The impact axe-core reported (`None` for a word it does not use).
    pub fn parse(word: &str) -> Option<Self> {
        [Self::Minor, Self::Moderate, Self::Serious, Self::Critical]
            .into_iter()
            .find(|i| i.as_str() == word)
    }
}

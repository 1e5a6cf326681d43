//! Check specs: the tagged `[[requirement.checks]]` tables a judge evaluates.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::text::Text;

/// A page region used by layout checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum RegionName {
    /// The top part (`<header>`, `role=banner`, or the first top-level block).
    Header,
    /// The content between header and footer (`<main>`, `role=main`).
    Main,
    /// The bottom part (`<footer>`, `role=contentinfo`, or the last top-level block).
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
fn security_txt_fields() -> Vec<String> {
    vec!["contact".into(), "expires".into()]
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
    },
    /// PL3-4: the home page header has an image (emblem/logo) and the organisation's full name.
    #[serde(rename_all = "kebab-case")]
    HeaderBanner {
        /// Require an `<img>`/`<svg>` in the header.
        #[serde(default = "yes")]
        require_image: bool,
        /// Require the scenario's `organisation` in the header text.
        #[serde(default = "yes")]
        require_organisation: bool,
    },
    /// PL3-5: the home page menu has an item for each entry.
    #[serde(rename_all = "kebab-case")]
    MenuItems {
        /// Required items with accepted wordings.
        items: Vec<Synonyms>,
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
    /// The evaluator supplies a file (decision, report, export).
    #[serde(rename_all = "kebab-case")]
    Evidence {
        /// What the file must show.
        description: Text,
    },
    /// The system owner supplies a signed statement.
    #[serde(rename_all = "kebab-case")]
    Attestation {
        /// What the statement must say.
        description: Text,
    },
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
            Check::Evidence { .. } => "evidence",
            Check::Attestation { .. } => "attestation",
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
            Check::MenuItems { items } if items.is_empty() => {
                out.push("`items` must not be empty".into());
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

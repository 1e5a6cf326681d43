//! A check's kind name and its one-line description with every key in force.

use super::Check;
use super::{FactSource, PageMetric};

impl Check {
    /// Whether a check is judged on what only a browser sees: lab page-load metrics other than
    /// TTFB (the HTTP probe measures TTFB), layout stability, the EMC commands a page sends, the
    /// mobile view, the accessibility audit, and the rendered DOM's scripts.
    pub fn needs_browser(&self) -> bool {
        match self {
            Check::PageMetric { metric, .. } => *metric != PageMetric::Ttfb,
            Check::MixedContent { source, .. } => *source == FactSource::Rendered,
            Check::LayoutStability { .. }
            | Check::EmcPageView { .. }
            | Check::EmcServiceEvent { .. }
            | Check::MobileViewport { .. }
            | Check::Flow { .. }
            | Check::OtherBrowsers { .. }
            | Check::Accessibility { .. } => true,
            _ => false,
        }
    }

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
            Check::TlsProtocols { .. } => "tls-protocols",
            Check::SecurityHeaders { .. } => "security-headers",
            Check::Cors { .. } => "cors",
            Check::NoLeakage { .. } => "no-leakage",
            Check::SecurityTxt { .. } => "security-txt",
            Check::HostSuffix { .. } => "host-suffix",
            Check::Dns { .. } => "dns",
            Check::Utf8Declared {} => "utf8-declared",
            Check::MixedContent { .. } => "mixed-content",
            Check::CookieFlags { .. } => "cookie-flags",
            Check::EmcPageView { .. } => "emc-page-view",
            Check::EmcServiceEvent { .. } => "emc-service-event",
            Check::MobileViewport { .. } => "mobile-viewport",
            Check::Flow { .. } => "flow",
            Check::OtherBrowsers { .. } => "other-browsers",
            Check::Accessibility { .. } => "accessibility",
            Check::LayoutStability { .. } => "layout-stability",
            Check::SsoRequest { .. } => "sso-request",
            Check::AdminNotPublic {} => "admin-not-public",
            Check::ExposedFiles { .. } => "exposed-files",
            Check::SessionRenewed {} => "session-renewed",
            Check::IdleTimeout { .. } => "idle-timeout",
            Check::LoginLockout { .. } => "login-lockout",
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
}

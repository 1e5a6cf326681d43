//! Validation of a check spec itself (bad regular expressions, non-positive thresholds,
//! unknown figure names), run when a checklist or an override is loaded.

use super::{Check, SecurityHeader};

impl Check {
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

            Check::Accessibility { fail_impacts, .. } if fail_impacts.is_empty() => {
                out.push("`fail-impacts` must not be empty (nothing would fail)".into());
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
            Check::Availability { min_uptime, .. }
                if !(*min_uptime > 0.0 && *min_uptime <= 1.0) =>
            {
                out.push(format!(
                    "`min-uptime` must be in (0, 1], got `{min_uptime}`"
                ));
            }
            Check::Availability { min_coverage, .. }
                if !(*min_coverage > 0.0 && *min_coverage <= 1.0) =>
            {
                out.push(format!(
                    "`min-coverage` must be in (0, 1], got `{min_coverage}`"
                ));
            }
            Check::RegionsPresent {
                min_width_ratio, ..
            } if !(*min_width_ratio > 0.0 && *min_width_ratio <= 1.0) => {
                out.push(format!(
                    "`min-width-ratio` must be in (0, 1], got `{min_width_ratio}`"
                ));
            }
            Check::LayoutStability { max_cls } if !(max_cls.is_finite() && *max_cls >= 0.0) => {
                out.push(format!("`max-cls` must be 0 or more, got `{max_cls}`"));
            }
            Check::MobileViewport { width_px: 0, .. } => {
                out.push("`width-px` must be at least 1".into());
            }
            Check::EmcPageView { queue, command } | Check::EmcServiceEvent { queue, command }
                if queue.is_empty() || command.is_empty() =>
            {
                out.push("`queue` and `command` must not be empty".into());
            }
            Check::EmcEmbed { tracker_hosts, .. } if tracker_hosts.is_empty() => {
                out.push("`tracker-hosts` must not be empty".into());
            }
            Check::SecurityHeaders {
                require,
                hsts_min_age,
                ..
            } if require.contains(&SecurityHeader::StrictTransportSecurity)
                && *hsts_min_age == 0 =>
            {
                out.push("`hsts-min-age` must be positive when HSTS is required".into());
            }
            Check::TlsProtocols {
                forbid, require, ..
            } if forbid.iter().any(|v| require.contains(v)) => {
                out.push("a version cannot be both in `forbid` and in `require`".into());
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

//! Judges: pure functions from a check spec and the observations to a verdict. No I/O.
//!
//! Each check of a requirement yields an [`Outcome`]; a requirement's verdict combines them
//! (any fail → fail, else any error → error, else any pending → pending, else any skipped →
//! skipped).
//!
//! # Finding a requirement's judge and its tests
//!
//! Every judge function's doc starts with the ids it decides (`/// PL1-8: …`), and every test
//! names the id it exercises, so one search from the id finds both:
//!
//! ```text
//! grep -rn 'PL1-8[:/, ]\|"PL1-8"' src/judge
//! ```
//!
//! The files follow the regulation's families: `portal/` (Phụ lục I functions: `catalogue`,
//! `search`, `pages`, `statistics`, `dvcqg`), `security/` (`transport`, `headers`, `exposure`,
//! `content`, `session`), `sso` (PL1-1, SSO-1), `layout` (Phụ lục III), `emc` (Phụ lục VI),
//! `functions` (PL1-2.1, PL1-11, PL1-13), `platform` (Phụ lục VIII), `mobile` (PL8-4),
//! `accessibility` (PL8-5), `performance` (Phụ lục IV
//! from browser runs), `load` (Phụ lục V from the load run), `planned` (checks that wait for a
//! probe kiemdinh does not run yet), `availability` (the 24/7 requirements from the monitor).
//! Each file keeps its tests in a `tests` module at its end; `tests.rs` holds the shared fixtures and the layout tests.
//!
//! No number in a judge decides a verdict: every threshold arrives from the check spec
//! ([`crate::checklist::Check`]), where its default and provenance are documented.

mod accessibility;
mod all;
pub mod availability;
mod browser;
mod common;
mod dns;
mod emc;
mod evidence;
mod findings;
mod flows;
mod functions;
mod layout;
mod load;
mod mobile;
pub mod needs;
mod outcome;
mod performance;
mod planned;
mod platform;
mod portal;
pub(crate) mod security;
mod sso;

pub use all::judge_all;
pub use common::{contains_ci, list, short};
pub(crate) use common::{home_page, host_in, no_pages};
pub(crate) use evidence::supplied;
pub use outcome::Outcome;

use crate::checklist::{Check, Requirement};
use crate::evaluation::Verdict;
use crate::observation::Observations;
use crate::text::Text;

/// Judges one requirement against the observations. A `same-as` check needs the other
/// verdicts: use [`judge_with`].
pub fn judge(req: &Requirement, obs: &Observations) -> Verdict {
    judge_with(req, obs, &|_| None)
}

/// Judges one requirement; `others` gives the verdicts of requirements judged before it (for
/// `same-as` checks).
pub fn judge_with(
    req: &Requirement,
    obs: &Observations,
    others: &dyn Fn(&str) -> Option<Verdict>,
) -> Verdict {
    let outcomes: Vec<(&'static str, Outcome)> = req
        .checks
        .iter()
        .filter_map(|c| match c {
            Check::SameAs { requirements } => {
                Some((c.kind(), outcome::same_as(requirements, others)))
            }
            // An optional journey check with no journey leaves the other checks to decide.
            Check::Flow { optional: true, .. } if !flows::serves(req.id.as_str(), obs) => None,
            _ => Some((
                c.kind(),
                needs::browser_gate(req, c, judge_check(req, c, obs), obs),
            )),
        })
        .collect();
    // Security requirements keep each check's outcome as a finding (SARIF, severities).
    if req.category == crate::checklist::Category::Security {
        return findings::combine(req, outcomes, obs);
    }
    outcome::combine(req, outcomes.into_iter().map(|(_, o)| o).collect())
}

/// Whether a requirement has a check that depends on other verdicts.
pub fn depends_on_others(req: &Requirement) -> bool {
    req.checks.iter().any(|c| matches!(c, Check::SameAs { .. }))
}

fn judge_check(req: &Requirement, check: &Check, obs: &Observations) -> Outcome {
    match check {
        Check::Flow {
            steps,
            reach,
            hosts,
            ..
        } => flows::flow(req.id.as_str(), steps, *reach, hosts, obs),
        Check::OtherBrowsers { min_text_chars } => flows::other_browsers(*min_text_chars, obs),
        Check::RegionsPresent {
            regions,
            min_width_ratio,
        } => layout::regions_present(regions, *min_width_ratio, obs),
        Check::RegionConsistent {
            region,
            ignore,
            session_params,
        } => layout::region_consistent(*region, ignore, session_params, obs),
        Check::HeaderBanner {
            require_image,
            require_organisation,
            emblem_words,
            min_emblem_px,
            require_adjacent,
        } => layout::header_banner(
            *require_image,
            *require_organisation,
            emblem_words,
            *min_emblem_px,
            *require_adjacent,
            obs,
        ),
        Check::MenuItems {
            items,
            required,
            exclude,
            min_links,
            near_top_links,
        } => layout::menu_items(
            items,
            required.as_deref(),
            exclude,
            (*min_links, *near_top_links),
            obs,
        ),
        Check::FooterFields { fields } => layout::footer_fields(fields, obs),
        Check::HomeLinks { items } => layout::home_links(items, obs),
        Check::Sitemap {
            xml_path,
            min_urls,
            synonyms,
            min_links,
        } => layout::sitemap(xml_path, *min_urls, *min_links, synonyms, obs),
        Check::ProcedureFields {
            fields,
            min_ratio,
            min_pages,
        } => functions::procedure_fields(fields, *min_ratio, *min_pages, obs),
        Check::MaxClickDepth { max_depth } => functions::max_click_depth(*max_depth, obs),
        Check::EmailPublished {} => functions::email_published(obs),
        Check::EmcEmbed {
            queue,
            tracker_hosts,
        } => emc::embed(queue, tracker_hosts, obs),
        Check::EmcConsistent { require_https } => emc::consistent(*require_https, obs),
        Check::HttpsRedirect {} => security::https_redirect(obs),
        Check::CertificateValid { min_days } => security::certificate_valid(*min_days, obs),
        Check::TlsProtocols {
            forbid,
            require,
            forbid_weak_ciphers,
            min_rsa_bits,
        } => security::tls_protocols(forbid, require, *forbid_weak_ciphers, *min_rsa_bits, obs),
        Check::SecurityHeaders {
            require,
            hsts_min_age,
            hsts_include_subdomains,
            csp_quality,
        } => security::headers(
            require,
            &security::HeaderRules {
                hsts_min_age: *hsts_min_age,
                hsts_include_subdomains: *hsts_include_subdomains,
                csp_quality: *csp_quality,
            },
            obs,
        ),
        Check::Cors {
            fail_reflect_without_credentials,
        } => security::cors(*fail_reflect_without_credentials, obs),
        Check::NoLeakage { patterns } => security::no_leakage(patterns, obs),
        Check::SecurityTxt {
            require,
            max_expires_days,
        } => security::security_txt(require, *max_expires_days, obs),
        Check::HostSuffix { suffix } => platform::host_suffix(suffix, obs),
        Check::Dns {
            require_ipv6,
            require_dnssec,
        } => dns::dns(*require_ipv6, *require_dnssec, obs),
        Check::Utf8Declared {} => platform::utf8_declared(obs),
        Check::MixedContent {
            source,
            require_sri,
            sri_exempt_hosts,
        } => security::mixed_content(*source, *require_sri, sri_exempt_hosts, obs),
        Check::EmcPageView { queue, command } => browser::emc_page_view(queue, command, obs),
        Check::EmcServiceEvent { queue, command } => {
            browser::emc_service_event(queue, command, obs)
        }
        Check::MobileViewport {
            width_px,
            overflow_tolerance_px,
            require_device_width,
        } => mobile::mobile_viewport(
            *width_px,
            *overflow_tolerance_px,
            *require_device_width,
            obs,
        ),
        Check::Accessibility {
            fail_impacts,
            ignore_rules,
        } => accessibility::accessibility(fail_impacts, ignore_rules, obs),
        Check::LayoutStability { max_cls } => performance::layout_stability(*max_cls, obs),
        Check::AdminNotPublic {} => security::admin_not_public(obs),
        Check::ExposedFiles { families } => security::exposed_files(families, obs),
        Check::SessionRenewed {} => security::session_renewed(req, obs),
        Check::IdleTimeout { max_idle_s } => security::idle_timeout(req, *max_idle_s, obs),
        Check::LoginLockout { max_failures } => security::login_lockout(req, *max_failures, obs),
        Check::CookieFlags { session_names } => security::cookie_flags(session_names, obs),
        Check::SsoRequest { idp_hosts, oidc } => sso::sso_request(idp_hosts, *oidc, obs),
        Check::Catalogue {
            min_services,
            levels,
            outdated_levels,
            min_ratio,
            synonyms,
        } => portal::catalogue(
            &portal::CatalogueSpec {
                min_services: *min_services,
                levels,
                outdated_levels,
                min_ratio: *min_ratio,
                synonyms,
            },
            obs,
        ),
        Check::SearchAnswers {
            min_results,
            min_terms,
            require_filter,
        } => portal::search_answers(*min_results, *min_terms, *require_filter, obs),
        Check::LookupAnswers { not_found } => portal::lookup_answers(not_found, obs),
        Check::FunctionsPresent { items, dvcqg_hosts } => {
            portal::functions_present(items, dvcqg_hosts, obs)
        }
        Check::StatisticsSane {
            min_figures,
            figures,
            label_window,
            synonyms,
        } => portal::statistics_sane(
            &portal::StatisticsSpec {
                min_figures: *min_figures,
                figures,
                label_window: *label_window,
                synonyms,
            },
            obs,
        ),
        Check::CatalogueSync {
            code_labels,
            name_labels,
            level_labels,
            field_labels,
            agency_labels,
            compare,
        } => portal::catalogue_sync(
            &portal::CatalogueLabels {
                code: code_labels,
                name: name_labels,
                level: level_labels,
                field: field_labels,
                agency: agency_labels,
            },
            compare,
            obs,
        ),
        Check::StatusApi { schema } => portal::status_api(schema, obs),
        Check::PageMetric { metric, max_ms } => planned::page_metric(req, *metric, *max_ms, obs),
        Check::LoadThreshold {
            statistic,
            max_ms,
            max_error_rate,
            min_active_ratio,
        } => load::load_threshold(
            req,
            &load::Spec {
                statistic: *statistic,
                max_ms: *max_ms,
                max_error_rate: *max_error_rate,
                min_active_ratio: *min_active_ratio,
            },
            obs,
        ),
        Check::Availability {
            min_uptime,
            target,
            min_notice_working_days,
            min_coverage,
        } => availability::availability(
            req,
            &availability::Spec {
                min_uptime: *min_uptime,
                target: *target,
                min_notice_working_days: *min_notice_working_days,
                min_coverage: *min_coverage,
            },
            obs,
        ),
        Check::Planned { probe, description } => planned::planned(req, *probe, description, obs),
        Check::SameAs { .. } => Outcome::error(
            Text::new("Tiêu chí tham chiếu", "referenced requirements"),
            Text::new(
                "Cần các kết quả khác (dùng judge_with)",
                "needs the other verdicts (use judge_with)",
            ),
        ),
        Check::Evidence { description, .. } | Check::Attestation { description } => {
            evidence::manual(req, check, description, obs)
        }
    }
}

#[cfg(test)]
mod tests;

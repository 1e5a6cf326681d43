//! Judges: pure functions from a check spec and the observations to a verdict. No I/O.
//!
//! Each check of a requirement yields an [`Outcome`]; a requirement's verdict combines them
//! (any fail → fail, else any error → error, else any pending → pending).

mod all;
mod emc;
mod functions;
mod layout;
pub mod needs;
mod planned;
mod platform;
mod portal;
mod security;

pub use all::judge_all;
pub use portal::figures;

use url::Url;

use crate::checklist::{Check, Requirement};
use crate::evaluation::{EvidenceRef, Status, Verdict};
use crate::observation::{Observations, Page};
use crate::text::Text;
use crate::tr;

/// The outcome of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Status.
    pub status: Status,
    /// What the check demands.
    pub expected: Text,
    /// What was seen.
    pub observed: Text,
    /// One line.
    pub message: Text,
    /// Supporting references.
    pub evidence: Vec<EvidenceRef>,
    /// Share earned (0–1).
    pub credit: f64,
}

impl Outcome {
    fn new(status: Status, expected: Text, observed: Text, message: Text) -> Self {
        let credit = match status {
            Status::Pass | Status::Attested | Status::Delegated => 1.0,
            _ => 0.0,
        };
        Self {
            status,
            expected,
            observed,
            message,
            evidence: Vec::new(),
            credit,
        }
    }

    /// A met check.
    pub fn pass(expected: Text, observed: Text, message: Text) -> Self {
        Self::new(Status::Pass, expected, observed, message)
    }

    /// An unmet check.
    pub fn fail(expected: Text, observed: Text, message: Text) -> Self {
        Self::new(Status::Fail, expected, observed, message)
    }

    /// A check that could not be carried out.
    pub fn error(expected: Text, message: Text) -> Self {
        Self::new(
            Status::Error,
            expected,
            Text::new("(không quan sát được)", "(not observed)"),
            message,
        )
    }

    /// Pass or fail on a condition.
    pub fn either(ok: bool, expected: Text, observed: Text, pass: Text, fail: Text) -> Self {
        if ok {
            Self::pass(expected, observed, pass)
        } else {
            Self::fail(expected, observed, fail)
        }
    }

    /// Adds evidence.
    #[must_use]
    pub fn with_evidence(mut self, e: impl IntoIterator<Item = EvidenceRef>) -> Self {
        self.evidence.extend(e);
        self
    }

    /// Sets partial credit.
    #[must_use]
    pub fn with_credit(mut self, credit: f64) -> Self {
        self.credit = credit.clamp(0.0, 1.0);
        self
    }
}

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
    let outcomes: Vec<Outcome> = req
        .checks
        .iter()
        .map(|c| match c {
            Check::SameAs { requirements } => same_as(requirements, others),
            _ => judge_check(req, c, obs),
        })
        .collect();
    combine(req, outcomes)
}

/// Whether a requirement has a check that depends on other verdicts.
pub fn depends_on_others(req: &Requirement) -> bool {
    req.checks.iter().any(|c| matches!(c, Check::SameAs { .. }))
}

fn same_as(ids: &[String], others: &dyn Fn(&str) -> Option<Verdict>) -> Outcome {
    let expected = Text::new(
        format!("Đáp ứng các tiêu chí {}", ids.join(", ")),
        format!("requirements {} are met", ids.join(", ")),
    );
    let mut seen = Vec::new();
    let mut statuses = Vec::new();
    for id in ids {
        match others(id) {
            Some(v) if v.status == Status::Skipped => seen.push(format!("{id}: skipped")),
            Some(v) => {
                seen.push(format!("{id}: {}", v.status.as_str()));
                statuses.push(v.status);
            }
            None => {
                return Outcome::error(
                    expected,
                    tr!(
                        "{id} không được đánh giá trong lần này",
                        "{id} is not judged in this evaluation"
                    ),
                );
            }
        }
    }
    let observed = Text::same(seen.join(", "));
    if statuses.is_empty() {
        return Outcome::new(
            Status::Skipped,
            expected,
            observed,
            Text::new(
                "Các tiêu chí liên quan bị bỏ qua",
                "every referenced requirement was skipped",
            ),
        );
    }
    let judged: Vec<&str> = ids
        .iter()
        .filter(|id| !seen.iter().any(|s| *s == format!("{id}: skipped")))
        .map(String::as_str)
        .collect();
    let failing: Vec<String> = judged
        .iter()
        .zip(&statuses)
        .filter(|(_, s)| !matches!(s, Status::Pass | Status::Attested | Status::Delegated))
        .map(|(i, s)| format!("{i} ({})", s.as_str()))
        .collect();
    let status = if statuses.contains(&Status::Fail) {
        Status::Fail
    } else if statuses.contains(&Status::Error) {
        Status::Error
    } else if failing.is_empty() {
        Status::Pass
    } else {
        Status::Pending
    };
    let message = if failing.is_empty() {
        Text::new(
            "Các tiêu chí liên quan đều đạt",
            "every referenced requirement is met",
        )
    } else {
        tr!(
            "Chưa đạt theo tiêu chí: {}",
            "not met through: {}",
            failing.join(", ")
        )
    };
    let credit = (judged.len() - failing.len()) as f64 / judged.len().max(1) as f64;
    Outcome::new(status, expected, observed, message).with_credit(credit)
}

fn combine(req: &Requirement, outcomes: Vec<Outcome>) -> Verdict {
    let any = |s: Status| outcomes.iter().any(|o| o.status == s);
    let status = if outcomes.is_empty() {
        Status::NotApplicable
    } else if any(Status::Fail) {
        Status::Fail
    } else if any(Status::Error) {
        Status::Error
    } else if any(Status::Pending) {
        Status::Pending
    } else if outcomes.iter().all(|o| o.status == Status::Skipped) {
        Status::Skipped
    } else if outcomes.iter().all(|o| o.status == Status::Attested) {
        Status::Attested
    } else if any(Status::Delegated) {
        Status::Delegated
    } else {
        Status::Pass
    };
    let n = outcomes.len().max(1) as f64;
    // The verdict's message is that of the first check with the verdict's status.
    let lead = outcomes
        .iter()
        .find(|o| o.status == status)
        .or(outcomes.first());
    let credit = if status == Status::Fail || status == Status::Error || status == Status::Pending {
        outcomes
            .iter()
            .map(|o| {
                if o.status == Status::Pass {
                    1.0
                } else {
                    o.credit
                }
            })
            .sum::<f64>()
            / n
    } else {
        outcomes.iter().map(|o| o.credit).sum::<f64>() / n
    };
    Verdict {
        id: req.id.clone(),
        status,
        expected: Text::join(
            &outcomes
                .iter()
                .map(|o| o.expected.clone())
                .collect::<Vec<_>>(),
            "; ",
        ),
        observed: Text::join(
            &outcomes
                .iter()
                .map(|o| o.observed.clone())
                .collect::<Vec<_>>(),
            "; ",
        ),
        message: lead.map(|o| o.message.clone()).unwrap_or_default(),
        evidence: outcomes.into_iter().flat_map(|o| o.evidence).collect(),
        credit: if status == Status::Fail && credit >= 1.0 {
            0.0
        } else {
            credit
        },
    }
}

fn judge_check(req: &Requirement, check: &Check, obs: &Observations) -> Outcome {
    match check {
        Check::RegionsPresent { regions } => layout::regions_present(regions, obs),
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
        Check::SecurityHeaders {
            require,
            hsts_min_age,
        } => security::headers(require, *hsts_min_age, obs),
        Check::NoLeakage { patterns } => security::no_leakage(patterns, obs),
        Check::SecurityTxt { require } => security::security_txt(require, obs),
        Check::HostSuffix { suffix } => platform::host_suffix(suffix, obs),
        Check::Utf8Declared {} => platform::utf8_declared(obs),
        Check::MixedContent { require_sri } => security::mixed_content(*require_sri, obs),
        Check::AdminNotPublic {} => security::admin_not_public(obs),
        Check::CookieFlags { session_names } => security::cookie_flags(session_names, obs),
        Check::SsoRequest { idp_hosts, oidc } => security::sso_request(idp_hosts, *oidc, obs),
        Check::Catalogue {
            min_services,
            levels,
            min_ratio,
        } => portal::catalogue(*min_services, levels, *min_ratio, obs),
        Check::SearchAnswers { min_results } => portal::search_answers(*min_results, obs),
        Check::LookupAnswers { not_found } => portal::lookup_answers(not_found, obs),
        Check::FunctionsPresent {
            items,
            require_form,
            dvcqg_hosts,
        } => portal::functions_present(items, *require_form, dvcqg_hosts, obs),
        Check::StatisticsSane {
            min_numbers,
            synonyms,
        } => portal::statistics_sane(*min_numbers, synonyms, obs),
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
        } => planned::load_threshold(
            req,
            *statistic,
            *max_ms,
            *max_error_rate,
            *min_active_ratio,
            obs,
        ),
        Check::Availability { min_uptime } => planned::availability(req, *min_uptime, obs),
        Check::Planned { probe, description } => planned::planned(req, *probe, description, obs),
        Check::SameAs { .. } => Outcome::error(
            Text::new("Tiêu chí tham chiếu", "referenced requirements"),
            Text::new(
                "Cần các kết quả khác (dùng judge_with)",
                "needs the other verdicts (use judge_with)",
            ),
        ),
        Check::Evidence { description, .. } | Check::Attestation { description } => {
            manual(req, check, description, obs)
        }
    }
}

/// The `attested` outcome when evidence or an attestation was supplied for the requirement.
fn supplied(req: &Requirement, expected: &Text, obs: &Observations) -> Option<Outcome> {
    let id = req.id.as_str();
    let files: Vec<_> = obs
        .evidence
        .iter()
        .filter(|e| e.requirement == id)
        .collect();
    let statements: Vec<_> = obs
        .attestations
        .iter()
        .filter(|a| a.requirement == id)
        .collect();
    if files.is_empty() && statements.is_empty() {
        return None;
    }
    let mut observed = Vec::new();
    let mut evidence = Vec::new();
    for f in &files {
        observed.push(Text::same(format!(
            "{} ({} B, SHA-256 {}…)",
            f.original,
            f.bytes,
            &f.sha256[..12.min(f.sha256.len())]
        )));
        evidence.push(EvidenceRef {
            label: f.original.clone(),
            url: None,
            file: Some(f.stored_as.clone()),
            sha256: Some(f.sha256.clone()),
        });
    }
    for a in &statements {
        observed.push(Text::same(format!(
            "\u{201c}{}\u{201d} — {}, {}",
            a.statement, a.by, a.date
        )));
    }
    Some(
        Outcome::new(
            Status::Attested,
            expected.clone(),
            Text::join(&observed, "; "),
            Text::new("Đã có minh chứng", "Evidence supplied"),
        )
        .with_evidence(evidence),
    )
}

/// Evidence and attestation items: `pending` until supplied, then `attested`.
fn manual(req: &Requirement, check: &Check, description: &Text, obs: &Observations) -> Outcome {
    let expected = if matches!(check, Check::Evidence { .. }) {
        Text::new(
            format!("Minh chứng (tệp): {}", description.vi),
            format!("Evidence file: {}", description.en),
        )
    } else {
        Text::new(
            format!("Xác nhận của chủ quản hệ thống: {}", description.vi),
            format!("Owner's attestation: {}", description.en),
        )
    };
    // Either kind is satisfied by a file or a statement; the report shows which.
    supplied(req, &expected, obs).unwrap_or_else(|| {
        Outcome::new(
            Status::Pending,
            expected,
            Text::new("Chưa cung cấp", "Not supplied"),
            Text::new(
                "Chờ đơn vị cung cấp minh chứng",
                "Awaiting evidence from the evaluator",
            ),
        )
    })
}

/// A URL shown compactly: its path and query when on the portal's host.
pub fn short(url: &str, obs: &Observations) -> String {
    match (Url::parse(url), Url::parse(&obs.base_url)) {
        (Ok(u), Ok(b)) if u.origin() == b.origin() => match u.query() {
            Some(q) => format!("{}?{q}", u.path()),
            None => u.path().to_string(),
        },
        _ => url.to_string(),
    }
}

/// Up to `n` items joined, with "and N more".
pub fn list(items: &[String], n: usize) -> String {
    if items.len() <= n {
        items.join(", ")
    } else {
        format!("{} (+{})", items[..n].join(", "), items.len() - n)
    }
}

/// An error outcome when no HTML page could be observed at all.
fn no_pages(expected: Text, obs: &Observations) -> Outcome {
    let why = obs.home().and_then(|h| h.fetch.error.as_ref()).map_or_else(
        || "no HTML page answered 2xx".to_string(),
        |e| e.message.clone(),
    );
    Outcome::error(
        expected,
        tr!(
            "Không tải được trang HTML nào của cổng: {why}",
            "no HTML page of the portal could be fetched: {why}"
        ),
    )
}

/// The home page, or an error outcome saying why it is missing.
fn home_page<'a>(
    obs: &'a Observations,
    expected: &Text,
) -> Result<(&'a Page, &'a crate::observation::HtmlFacts), Outcome> {
    let home = obs.home();
    match home.and_then(|p| p.fetch.html.as_ref().map(|h| (p, h))) {
        Some((p, h)) if p.fetch.status.is_some_and(|s| (200..300).contains(&s)) => Ok((p, h)),
        _ => Err(no_pages(expected.clone(), obs)),
    }
}

/// Whether a host is one of `allowed` or a subdomain of one (case-insensitive).
fn host_in(host: &str, allowed: &[String]) -> bool {
    let host = host.to_ascii_lowercase();
    allowed.iter().any(|a| {
        let a = a.to_ascii_lowercase();
        host == a || host.ends_with(&format!(".{a}"))
    })
}

/// Containment ignoring case, diacritics, Unicode normal form and tone placement
/// ([`crate::unicode::fold`]): `Thống kê` matches `THONG KE` and its decomposed twin.
pub fn contains_ci(haystack: &str, needle: &str) -> bool {
    crate::unicode::contains_folded(haystack, needle)
}

#[cfg(test)]
mod tests;

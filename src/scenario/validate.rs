//! The second stage of loading a scenario: every semantic problem in one pass, one function
//! per section (`[portal]`, `[pages]` and `[functions]`, `[evidence]`, `[sso]`/`[dvcqg]`/
//! `[delegated]`, `[overrides]`, the rest), each adding to the same list of problems.

use std::collections::BTreeMap;
use std::path::PathBuf;

use url::Url;

use super::{BrowserSettings, FUNCTIONS, PageLimits, RawScenario, Scenario, ScenarioOverride};
use crate::error::{Error, Problem};
use crate::input::{Source, did_you_mean, relative_to};

type Problems = Vec<Problem>;

impl Scenario {
    /// Second stage: every semantic problem, in one pass.
    pub fn validate(raw: RawScenario, source: &Source) -> Result<Self, Error> {
        let mut problems: Problems = Vec::new();
        let (base_url, http_url, ca_pem) = portal(&raw, source, &mut problems);
        let (sample, functions) =
            pages_and_functions(&raw, base_url.as_ref(), source, &mut problems);
        page_limits(&raw, source, &mut problems);
        let browser = browser(&raw, base_url.as_ref(), &sample, source, &mut problems);
        let evidence = evidence(&raw, source, &mut problems);
        let links = links(&raw, base_url.as_ref(), source, &mut problems);
        let overrides = overrides(&raw, source, &mut problems);
        rest(&raw, source, &mut problems);
        let flows = super::flows::validate(
            &raw.flows,
            &raw.accounts,
            base_url.as_ref(),
            source,
            &mut problems,
        );
        let load = raw
            .load
            .as_ref()
            .map(|l| super::load::validate(l, base_url.as_ref(), source, &mut problems));
        let availability = super::availability::section(&raw, source, &mut problems);
        let security = super::security::validate(
            &raw.security,
            &raw.accounts,
            base_url.as_ref(),
            source,
            &mut problems,
        );
        let p = raw.pages.clone();
        let dns = Box::new(super::dns::validate(&raw.dns, source, &mut problems));
        if !problems.is_empty() {
            return Err(source.invalid("scenario", problems));
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
            evaluator: raw.portal.evaluator,
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
            emc_queue: raw.emc.queue,
            browser,
            evidence,
            attestations: raw.attestations,
            search: raw.search,
            lookup: raw.lookup,
            catalogue_export: links.catalogue_export,
            status_url: links.status_url,
            delegated: links.delegated,
            sso_entry: links.sso_entry,
            sso_idp_hosts: raw.sso.idp_hosts,
            payment_hosts: raw.payment.hosts,
            flows,
            load,
            availability,
            overrides,
            account_vars: raw
                .accounts
                .values()
                .flat_map(|a| [a.username_env.clone(), a.password_env.clone()])
                .collect(),
            dns,
            security,
            base_url,
        })
    }
}

/// A path or URL resolved against the base URL; it must stay on the portal's host.
fn on_portal(s: &str, base: &Url) -> Result<Url, String> {
    let u = base
        .join(s)
        .map_err(|e| format!("`{s}` is not a valid path or URL: {e}"))?;
    if has_credentials(&u) {
        // The value is not repeated: it holds a secret.
        return Err(CREDENTIALS_IN_URL.to_string());
    }
    if u.host_str() != base.host_str() || u.port_or_known_default() != base.port_or_known_default()
    {
        return Err(format!(
            "`{s}` is not on the portal's host `{}`",
            base.host_str().unwrap_or("")
        ));
    }
    Ok(u)
}

use super::credentials::{CREDENTIALS_IN_URL, has_credentials};

/// `[portal]`: the base URL, the plain-HTTP entry and the extra trust root.
fn portal(
    raw: &RawScenario,
    source: &Source,
    problems: &mut Problems,
) -> (Option<Url>, Option<Url>, Option<Vec<u8>>) {
    let base = raw.portal.base_url.get_ref();
    let base_url = match Url::parse(base) {
        // The URL itself is not repeated: it holds a secret.
        Ok(u) if has_credentials(&u) => {
            problems.push(source.problem_at(
                Some(raw.portal.base_url.span()),
                Some("portal.base-url".into()),
                CREDENTIALS_IN_URL.to_string(),
            ));
            None
        }
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
            Ok(u) if has_credentials(&u) => {
                problems.push(source.problem_at(
                    Some(s.span()),
                    Some("portal.http-url".into()),
                    CREDENTIALS_IN_URL.to_string(),
                ));
                None
            }
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
    (base_url, http_url, ca_pem)
}

/// `[pages] sample` and `[functions]`: every function known, and (when the base URL is valid)
/// every path on the portal's host.
fn pages_and_functions(
    raw: &RawScenario,
    base: Option<&Url>,
    source: &Source,
    problems: &mut Problems,
) -> (Vec<Url>, BTreeMap<String, Url>) {
    let mut sample = Vec::new();
    let mut functions = BTreeMap::new();
    if let Some(base) = base {
        for (i, s) in raw.pages.sample.iter().enumerate() {
            match on_portal(s, base) {
                Ok(u) => sample.push(u),
                Err(m) => {
                    problems.push(source.problem_at(None, Some(format!("pages.sample[{i}]")), m));
                }
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
        let Some(base) = base else { continue };
        match on_portal(path.get_ref(), base) {
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
    (sample, functions)
}

/// `[browser]`: timed pages on the portal (default: home and sample), bounds in range.
fn browser(
    raw: &RawScenario,
    base: Option<&Url>,
    sample: &[Url],
    source: &Source,
    problems: &mut Problems,
) -> BrowserSettings {
    let b = &raw.browser;
    let mut pages = Vec::new();
    if let Some(base) = base {
        for (i, p) in b.pages.iter().enumerate() {
            match on_portal(p, base) {
                Ok(u) => pages.push(u),
                Err(m) => {
                    problems.push(source.problem_at(None, Some(format!("browser.pages[{i}]")), m));
                }
            }
        }
        if b.pages.is_empty() {
            pages.push(base.clone());
            pages.extend(sample.iter().filter(|u| *u != base).cloned());
        }
    }
    for (key, ok, range) in [
        (
            "browser.runs",
            (1..=20).contains(&b.runs),
            "value out of range: expected a whole number from 1 to 20",
        ),
        (
            "browser.page-timeout-ms",
            (1000..=600_000).contains(&b.page_timeout_ms),
            "value out of range: expected a whole number from 1000 to 600000",
        ),
        ("browser.pages", pages.len() <= 50, "at most 50 timed pages"),
    ] {
        if !ok {
            problems.push(source.problem_at(None, Some(key.into()), range));
        }
    }
    BrowserSettings {
        enabled: b.enabled,
        profile: b.profile,
        runs: b.runs,
        pages,
        max_rendered_pages: b.max_rendered_pages,
        page_timeout_ms: b.page_timeout_ms,
        screenshots: b.screenshots,
    }
}

/// `[pages]`: globs and limits.
fn page_limits(raw: &RawScenario, source: &Source, problems: &mut Problems) {
    let globs = raw
        .pages
        .service_pages
        .iter()
        .map(|g| ("pages.service-pages".to_string(), g))
        .chain(
            raw.pages
                .exclude
                .iter()
                .enumerate()
                .map(|(i, g)| (format!("pages.exclude[{i}]"), g)),
        );
    for (key, glob) in globs {
        if let Err(e) = globset::Glob::new(glob) {
            problems.push(source.problem_at(
                None,
                Some(key),
                format!("invalid glob `{glob}`: {e}"),
            ));
        }
    }
    let p = raw.pages.clone();
    for (key, ok, expected) in [
        ("pages.max-pages", p.max_pages > 0, "a whole number ≥ 1"),
        (
            "pages.concurrency",
            p.concurrency > 0 && p.concurrency <= 64,
            "a whole number from 1 to 64",
        ),
        ("pages.timeout-ms", p.timeout_ms > 0, "a whole number ≥ 1"),
        (
            "pages.max-page-bytes",
            p.max_page_bytes >= 1024,
            "a whole number ≥ 1024",
        ),
    ] {
        if !ok {
            problems.push(source.problem_at(
                None,
                Some(key.into()),
                format!("value out of range: expected {expected}"),
            ));
        }
    }
}

/// `[evidence]`: every file exists and is not empty (its kind is checked against the
/// checklist by `plan::validate_evidence_files`).
fn evidence(
    raw: &RawScenario,
    source: &Source,
    problems: &mut Problems,
) -> BTreeMap<String, PathBuf> {
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
    evidence
}

/// What `[sso]`, `[dvcqg]` and `[delegated]` point at.
#[derive(Default)]
struct Links {
    status_url: Option<Url>,
    sso_entry: Option<Url>,
    delegated: BTreeMap<String, Url>,
    catalogue_export: Option<crate::observation::CatalogueExport>,
}

/// `[sso]`, `[dvcqg]` and `[delegated]`.
fn links(
    raw: &RawScenario,
    base_url: Option<&Url>,
    source: &Source,
    problems: &mut Problems,
) -> Links {
    let mut status_url = None;
    let mut sso_entry = None;
    if let (Some(base), Some(s)) = (base_url, &raw.sso.entry) {
        match on_portal(s.get_ref(), base) {
            Ok(u) => sso_entry = Some(u),
            Err(m) => {
                problems.push(source.problem_at(Some(s.span()), Some("sso.entry".into()), m));
            }
        }
    }
    let mut delegated = BTreeMap::new();
    if let (Some(base), Some(s)) = (base_url, &raw.dvcqg.status_url) {
        match on_portal(s.get_ref(), base) {
            Ok(u) => status_url = Some(u),
            Err(m) => {
                problems.push(source.problem_at(
                    Some(s.span()),
                    Some("dvcqg.status-url".into()),
                    m,
                ));
            }
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
    Links {
        status_url,
        sso_entry,
        delegated,
        catalogue_export,
    }
}

/// `[overrides]`: values kept with their line for the evaluation's record.
fn overrides(raw: &RawScenario, source: &Source, problems: &mut Problems) -> Vec<ScenarioOverride> {
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
    overrides
}

/// `[search]`, `[accounts]` and `[attestations]`.
fn rest(raw: &RawScenario, source: &Source, problems: &mut Problems) {
    for (id, a) in &raw.attestations {
        if crate::clock::parse_date(&a.date).is_none() {
            problems.push(source.problem_at(
                None,
                Some(format!("attestations.{id}.date")),
                format!("`{}` is not a date: expected YYYY-MM-DD", a.date),
            ));
        }
        for (k, v) in [("statement", &a.statement), ("by", &a.by)] {
            if v.trim().is_empty() {
                problems.push(source.problem_at(
                    None,
                    Some(format!("attestations.{id}.{k}")),
                    "must not be empty",
                ));
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
    for (name, a) in &raw.accounts {
        for (k, v) in [
            ("username-env", &a.username_env),
            ("password-env", &a.password_env),
        ] {
            if v.is_empty()
                || !v
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                // The value is not repeated: it may be the secret itself.
                problems.push(source.problem_at(
                    None,
                    Some(format!("accounts.{name}.{k}")),
                    "expected the name of an environment variable (A-Z, 0-9, `_`) holding the \
                     value, never the value itself",
                ));
            }
        }
    }
}

//! Probes: the only code that touches the network. Each gathers typed observations.

pub mod browser;
pub mod evidence;
pub mod html;
pub mod http;
pub mod lab;
pub mod plan;
mod rows;
pub mod scripts;
pub mod tls;

use std::time::Duration;

use crate::error::Error;
use crate::observation::{OBSERVATIONS_VERSION, Observations, Page};
use crate::scenario::Scenario;

/// Per-run switches of the browser probe (the scenario's `[browser]` gives the defaults).
#[derive(Debug, Clone, Default)]
pub struct BrowserOptions {
    /// `--no-browser`: HTTP probe only; browser requirements are `skipped` with the reason.
    pub disabled: bool,
    /// `--webdriver URL`: a remote WebDriver / Selenium Grid instead of a local chromedriver.
    pub webdriver: Option<url::Url>,
    /// `--profile`: the throttling profile of the timed loads.
    pub profile: Option<crate::observation::ThrottlingProfile>,
    /// `--runs`: cold loads per timed page.
    pub runs: Option<u32>,
}

/// The browser for this run: a local chromedriver or the remote WebDriver, or `None` when the
/// browser probe is switched off (`--no-browser`, `[browser] enabled = false`). A browser that
/// cannot start is an error before anything is probed.
pub async fn browser_driver(
    scenario: &Scenario,
    options: &BrowserOptions,
) -> Result<Option<browser::Driver>, Error> {
    if options.disabled || !scenario.browser.enabled {
        return Ok(None);
    }
    let driver = match &options.webdriver {
        Some(url) => browser::Driver::connect(url, Duration::from_secs(15)).await?,
        None => browser::Driver::launch(&browser::LaunchOptions::default()).await?,
    };
    Ok(Some(driver))
}

/// Runs the browser probe with `driver` (or records why it did not run) into `obs`: timed
/// loads, the rendering pass over the HTML pages the HTTP probe found, screenshots under
/// `out/browser/`. Each result goes to `on` as it arrives. The driver (and every Chromium it
/// started) is stopped before this returns.
pub async fn observe_browser(
    driver: Option<browser::Driver>,
    scenario: &Scenario,
    options: &BrowserOptions,
    out: &std::path::Path,
    obs: &mut Observations,
    on: &(dyn Fn(browser::run::Progress<'_>) + Sync),
) {
    let settings = &scenario.browser;
    let profile = options.profile.unwrap_or(settings.profile);
    let runs = options.runs.unwrap_or(settings.runs);
    let Some(driver) = driver else {
        // Language-neutral: the judges put it inside their own Vietnamese and English text.
        let reason = if options.disabled {
            "--no-browser"
        } else {
            "[browser] enabled = false"
        };
        obs.browser = Some(browser::run::not_run(
            crate::observation::BrowserStatus::Skipped,
            reason.to_string(),
            profile,
            runs,
        ));
        return;
    };
    let plan = browser::run::Plan {
        profile,
        runs,
        timed: settings.pages.clone(),
        max_rendered: settings.max_rendered_pages,
        page_timeout: Duration::from_millis(settings.page_timeout_ms),
        tracker_hosts: scenario.emc_tracker_hosts.clone(),
        queue: scenario.emc_queue.clone(),
        session: browser::SessionOptions {
            trusted_spki: scenario
                .ca_pem
                .as_deref()
                .map(browser::spki_hashes)
                .unwrap_or_default(),
            network_log: false,
        },
        out: out.to_path_buf(),
        screenshots: settings.screenshots,
    };
    let pages: Vec<(String, Option<crate::observation::HtmlFacts>)> = obs
        .http_html_pages()
        .map(|(p, h)| (p.url.clone(), Some(h.clone())))
        .collect();
    let found = browser::run::observe(&driver, &plan, &pages, on).await;
    drop(driver);
    obs.browser = Some(found.browser);
    obs.page_metrics = found.page_metrics;
    obs.rendered = found.rendered;
    obs.finished_at = crate::now_rfc3339();
}

/// Runs the HTTP and TLS probes against a scenario's portal.
pub async fn observe(
    scenario: &Scenario,
    on_page: &(dyn Fn(&Page) + Sync),
) -> Result<Observations, Error> {
    let started_at = crate::now_rfc3339();
    let fetcher = http::Fetcher::new(scenario)?;
    let timeout = Duration::from_millis(scenario.limits.timeout_ms);
    let tls = async {
        (scenario.base_url.scheme() == "https").then_some(())?;
        Some(tls::probe(&scenario.base_url, scenario.ca_pem.as_deref(), timeout).await)
    };
    let ((mut pages, crawl_truncated), tls) =
        tokio::join!(http::run(&fetcher, scenario, on_page), tls);
    // Pages arrive in completion order; reports and snapshots need one order: the home page,
    // then by click depth, then by URL.
    pages.sort_by(|a, b| {
        let key = |p: &Page| {
            (
                !p.roles.contains(&crate::observation::Role::Home),
                p.depth.unwrap_or(u32::MAX),
                p.url.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
    Ok(Observations {
        version: OBSERVATIONS_VERSION,
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        started_at,
        finished_at: crate::now_rfc3339(),
        base_url: scenario.base_url.to_string(),
        http_url: scenario.http_url.to_string(),
        public_host: scenario.public_host.clone(),
        organisation: scenario.organisation.clone(),
        service_pages: scenario.service_pages.clone(),
        functions: scenario
            .functions
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        emc_tracker_hosts: scenario.emc_tracker_hosts.clone(),
        emc_site_id: scenario.emc_site_id.clone(),
        pages,
        tls,
        crawl_truncated,
        evidence: Vec::new(),
        attestations: Vec::new(),
        delegated: scenario
            .delegated
            .iter()
            .map(|(k, v)| (k.clone(), v.to_string()))
            .collect(),
        catalogue_export: scenario.catalogue_export.clone(),
        sso_idp_hosts: scenario.sso_idp_hosts.clone(),
        page_metrics: Vec::new(),
        browser: None,
        rendered: std::collections::BTreeMap::new(),
    })
}

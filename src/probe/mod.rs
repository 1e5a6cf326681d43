//! Probes: the only code that touches the network. Each gathers typed observations.

pub mod active;
pub mod availability;
pub mod browser;
pub mod cors;
pub mod dns;
pub mod evidence;
pub mod exposure;
pub mod html;
pub mod http;
pub mod journey;
pub mod lab;
pub mod load;
pub mod plan;
mod rows;
pub mod scripts;
pub mod tape;
pub mod tls;

use std::sync::Arc;
use std::time::Duration;

use crate::error::Error;
use crate::observation::{OBSERVATIONS_VERSION, Observations, Page};
use crate::scenario::Scenario;

/// The run's tape ([`tape::Tape`]): `None` when nothing is recorded or replayed.
pub type TapeRef<'a> = Option<&'a Arc<tape::Tape>>;

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
    (scenario, tape): (&Scenario, TapeRef<'_>),
    options: &BrowserOptions,
    out: &std::path::Path,
    obs: &mut Observations,
    on: &(dyn Fn(browser::run::Progress<'_>) + Sync),
    on_page: &(dyn Fn(&Page) + Sync),
) -> Option<BrowserSession> {
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
        return None;
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
    let ran = found.browser.status == crate::observation::BrowserStatus::Ran;
    obs.browser = Some(found.browser);
    obs.page_metrics = found.page_metrics;
    obs.rendered = found.rendered;
    obs.finished_at = crate::now_rfc3339();
    if !ran {
        return None;
    }
    discover(&driver, &plan, (scenario, tape), obs, on, on_page).await;
    Some(BrowserSession { driver, plan })
}

/// The browser kept between the rendering pass and the searches: their result pages are
/// rendered too ([`render_active`]). Dropping it stops the driver and every Chromium.
pub struct BrowserSession {
    driver: browser::Driver,
    plan: browser::run::Plan,
}

/// Renders the search and lookup answers (a portal may build its result lists with scripts).
pub async fn render_active(
    session: Option<&BrowserSession>,
    obs: &mut Observations,
    on: &(dyn Fn(browser::run::Progress<'_>) + Sync),
) {
    let Some(session) = session else { return };
    let targets: Vec<(String, Option<crate::observation::HtmlFacts>)> = obs
        .pages
        .iter()
        .filter(|p| {
            p.roles.iter().any(|r| {
                matches!(
                    r,
                    crate::observation::Role::Search { .. }
                        | crate::observation::Role::Lookup { .. }
                )
            }) && !obs.rendered.contains_key(&p.url)
                && p.fetch.html.is_some()
        })
        .map(|p| (p.url.clone(), p.fetch.html.clone()))
        .collect();
    if !targets.is_empty() {
        let first = obs.rendered.len();
        let (more, _) =
            browser::run::render_more(&session.driver, &session.plan, &targets, first, on).await;
        obs.rendered.extend(more);
    }
    obs.finished_at = crate::now_rfc3339();
}

/// Runs the citizen journeys — the scenario's, then the default ones built from what was found
/// for the requirements no declared flow serves — then stops the browser. Each record goes to
/// `on` as it is done.
pub async fn run_flows(
    session: Option<BrowserSession>,
    (scenario, tape): (&Scenario, TapeRef<'_>),
    obs: &mut Observations,
    on: &(dyn Fn(&crate::observation::FlowRun) + Sync),
) {
    let Some(session) = session else { return };
    let (defaults, not_built) = journey::default_flows(scenario, obs);
    obs.flows_not_built = not_built;
    let flows: Vec<_> = scenario.flows.iter().cloned().chain(defaults).collect();
    let options = browser::flow::FlowOptions {
        session: session.plan.session.clone(),
        command_timeout: session.plan.page_timeout,
        tracker_hosts: session.plan.tracker_hosts.clone(),
        out: session.plan.out.clone(),
    };
    let replayed = |f: &crate::scenario::flows::Flow| tape.and_then(|t| t.take_flow(&f.name));
    obs.flows = browser::flow::run(&session.driver, &flows, &options, on, &replayed).await;
    drop(session);
    // PL1-12: the sampled pages in Firefox, after Chromium is gone (one browser at a time).
    let pages: Vec<url::Url> = scenario.sample.iter().take(5).cloned().collect();
    obs.other_browsers = vec![
        browser::other::firefox(
            &pages,
            scenario.ca_pem.is_some(),
            std::time::Duration::from_millis(scenario.browser.page_timeout_ms),
        )
        .await,
    ];
    obs.finished_at = crate::now_rfc3339();
}

/// The crawl continued through the rendered pages' links: a portal whose menus and lists are
/// built by scripts shows the HTTP crawl almost nothing. Breadth-first by click depth, as the
/// HTTP crawl, within its scope, depth and page budget; each new page is fetched over HTTP
/// (headers, status) and rendered.
async fn discover(
    driver: &browser::Driver,
    plan: &browser::run::Plan,
    (scenario, tape): (&Scenario, TapeRef<'_>),
    obs: &mut Observations,
    on: &(dyn Fn(browser::run::Progress<'_>) + Sync),
    on_page: &(dyn Fn(&Page) + Sync),
) {
    let Ok(fetcher) = http::Fetcher::new(scenario) else {
        return;
    };
    let fetcher = fetcher.with_tape(tape.cloned());
    for depth in 0..scenario.limits.max_depth {
        let mut to_fetch: Vec<(url::Url, Vec<crate::observation::Role>, Option<u32>)> = Vec::new();
        let mut deeper: Vec<String> = Vec::new();
        let level: Vec<String> = obs
            .pages
            .iter()
            .filter(|p| p.depth == Some(depth))
            .map(|p| p.url.clone())
            .collect();
        let mut budget = http::budget_left(scenario, &obs.pages);
        for url in &level {
            let links: Vec<String> = obs
                .rendered
                .get(url)
                .and_then(|r| r.html.as_ref())
                .map(|h| h.links.iter().map(|l| l.href.clone()).collect())
                .unwrap_or_default();
            for href in links {
                let Ok(u) = url::Url::parse(&href) else {
                    continue;
                };
                if !http::in_scope(scenario, &u) || deeper.contains(&href) {
                    continue;
                }
                match obs.pages.iter_mut().find(|p| p.url == href) {
                    Some(p) if p.depth.is_none() => {
                        p.depth = Some(depth + 1);
                        deeper.push(href);
                    }
                    Some(_) => {}
                    None if budget > 0 => {
                        budget -= 1;
                        deeper.push(href);
                        to_fetch.push((
                            u,
                            vec![crate::observation::Role::Crawled],
                            Some(depth + 1),
                        ));
                    }
                    None => obs.crawl_truncated = true,
                }
            }
        }
        if to_fetch.is_empty() && deeper.is_empty() {
            break;
        }
        let fetched = http::fetch_pages(&fetcher, scenario, to_fetch, on_page).await;
        let room = plan.max_rendered.saturating_sub(obs.rendered.len());
        let targets: Vec<(String, Option<crate::observation::HtmlFacts>)> = fetched
            .iter()
            .filter(|p| {
                p.fetch.html.is_some() && p.fetch.status.is_some_and(|s| (200..300).contains(&s))
            })
            .take(room)
            .map(|p| (p.url.clone(), p.fetch.html.clone()))
            .collect();
        obs.pages.extend(fetched);
        if targets.is_empty() {
            continue;
        }
        let first = obs.rendered.len();
        let (more, _) = browser::run::render_more(driver, plan, &targets, first, on).await;
        obs.rendered.extend(more);
    }
    let html = obs.http_html_pages().count();
    let rendered = obs.rendered.len();
    if let Some(b) = obs.browser.as_mut() {
        b.rendered_pages = u32::try_from(rendered).unwrap_or(u32::MAX);
        b.not_rendered = u32::try_from(html.saturating_sub(rendered)).unwrap_or(0);
    }
}

/// Pages arrive in completion order; reports and snapshots need one order: the home page, then
/// by click depth, then by URL.
fn sort_pages(pages: &mut [Page]) {
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
}

/// The last part of the observation, after the crawl and the browser: same-host scripts read
/// for the EMC embed (their findings joined to the rendered pages' facts too), then searches,
/// lookups and the SSO entry through the forms judges see (rendered ones included).
pub async fn finish(
    scenario: &Scenario,
    tape: TapeRef<'_>,
    obs: &mut Observations,
    on_page: &(dyn Fn(&Page) + Sync),
) -> Result<(), Error> {
    let fetcher = http::Fetcher::new(scenario)?.with_tape(tape.cloned());
    scripts::read(&fetcher, scenario, &mut obs.pages).await;
    for page in &obs.pages {
        let (Some(http), Some(rendered)) = (
            page.fetch.html.as_ref(),
            obs.rendered
                .get_mut(&page.url)
                .and_then(|r| r.html.as_mut()),
        ) else {
            continue;
        };
        for snippet in http.emc.iter().filter(|s| s.source.is_some()) {
            if !rendered.emc.contains(snippet) {
                rendered.emc.push(snippet.clone());
            }
        }
        if rendered.scripts.is_none() {
            rendered.scripts.clone_from(&http.scripts);
        }
    }
    let view: Vec<Page> = obs
        .pages
        .iter()
        .map(|p| {
            let mut p = p.clone();
            if let Some(h) = obs.rendered.get(&p.url).and_then(|r| r.html.clone()) {
                p.fetch.html = Some(h);
            }
            p
        })
        .collect();
    http::active(&fetcher, scenario, &mut obs.pages, &view, on_page).await;
    sort_pages(&mut obs.pages);
    obs.finished_at = crate::now_rfc3339();
    Ok(())
}

/// Runs the HTTP and TLS probes against a scenario's portal (what the tape holds is replayed,
/// what is observed live is reported to it).
pub async fn observe(
    scenario: &Scenario,
    tape: TapeRef<'_>,
    on_page: &(dyn Fn(&Page) + Sync),
) -> Result<Observations, Error> {
    let started_at = crate::now_rfc3339();
    let fetcher = http::Fetcher::new(scenario)?.with_tape(tape.cloned());
    let timeout = Duration::from_millis(scenario.limits.timeout_ms);
    let tls = async {
        (scenario.base_url.scheme() == "https").then_some(())?;
        if let Some(t) = tape.and_then(|t| t.take_tls()) {
            return Some(t);
        }
        let t = tls::probe(&scenario.base_url, scenario.ca_pem.as_deref(), timeout).await;
        if let Some(tape) = tape {
            tape.record(tape::Recorded::Tls(&t));
        }
        Some(t)
    };
    // Boxed: the resolver's futures are large.
    let dns = Box::pin(dns::probe(&scenario.base_url, &scenario.dns, timeout));
    let tls_scan = async {
        (scenario.base_url.scheme() == "https").then_some(())?;
        let host = scenario.base_url.host_str().unwrap_or_default();
        let port = scenario.base_url.port_or_known_default().unwrap_or(443);
        // Boxed: the scan's state and result stay out of the (already large) assess future.
        let scan = Box::pin(tls::scan(host, port, scenario.ca_pem.as_deref(), timeout)).await;
        Some(Box::new(scan))
    };
    let ((mut pages, crawl_truncated), tls, tls_scan, dns) =
        tokio::join!(http::run(&fetcher, scenario, on_page), tls, tls_scan, dns);
    exposure::run(&fetcher, scenario, &mut pages, on_page).await;
    sort_pages(&mut pages);
    let cors = Box::pin(cors::preflight(
        &fetcher,
        &cors::target(&scenario.base_url, &pages),
    ))
    .await;
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
        payment_hosts: scenario.payment_hosts.clone(),
        flows: Vec::new(),
        flows_not_built: Vec::new(),
        other_browsers: Vec::new(),
        load: None,
        availability: None,
        dns: Some(Box::new(dns)),
        cors: Some(Box::new(cors)),
        monitoring: None,
        security_severity: scenario.security.severity.clone(),
        active: None,
        tls_scan: tls_scan.map(|s| *s),
    })
}

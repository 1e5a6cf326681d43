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

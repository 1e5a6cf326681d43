//! HTTP probe: fetches the page sample, the function pages, well-known resources and a bounded
//! same-host breadth-first crawl — each URL once, concurrently within the scenario's limits.
//! Redirects are followed by hand so the chain is recorded and loops are detected.

use std::collections::{HashMap, HashSet};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use futures_util::stream;
use globset::{Glob, GlobSet, GlobSetBuilder};
use url::Url;

use super::html;
use super::plan::{active_plan, sso_entry};
use crate::error::Error;
use crate::observation::{Fetch, FetchError, FetchErrorKind, Hop, Page, Role};
use crate::scenario::Scenario;

/// Most redirects followed for one URL.
const MAX_REDIRECTS: usize = 10;
/// Largest non-HTML text body kept in observations (sitemap.xml, security.txt).
const MAX_KEPT_TEXT: usize = 512 * 1024;
/// Path that must not exist on any portal: shows its error page (SEC-7).
pub const NOT_FOUND_PATH: &str = "/kiemdinh-khong-ton-tai-404";
/// Administration paths probed once each on the public host (SEC-8): a short fixed list of
/// well-known consoles and leaks, never a brute force.
pub const ADMIN_PATHS: &[&str] = &[
    "/admin",
    "/administrator",
    "/quan-tri",
    "/quantri",
    "/wp-admin/",
    "/phpmyadmin/",
    "/manager/html",
    "/actuator",
    "/server-status",
    "/.env",
    "/.git/config",
];

/// Extensions never crawled (documents and media are not pages).
const SKIP_EXT: &[&str] = &[
    ".pdf", ".doc", ".docx", ".xls", ".xlsx", ".zip", ".rar", ".jpg", ".jpeg", ".png", ".gif",
    ".svg", ".mp4", ".css", ".js",
];

/// A configured HTTP client for one portal, with the run's [`super::tape::Tape`] if any.
pub struct Fetcher {
    client: reqwest::Client,
    max_bytes: usize,
    tape: Option<std::sync::Arc<super::tape::Tape>>,
}

pub(crate) fn error_kind(e: &reqwest::Error) -> FetchErrorKind {
    let chain = error_chain(e).to_ascii_lowercase();
    if e.is_timeout() {
        FetchErrorKind::Timeout
    } else if chain.contains("certificate") || chain.contains("tls") || chain.contains("handshake")
    {
        FetchErrorKind::Tls
    } else if e.is_connect() {
        FetchErrorKind::Connect
    } else if e.is_body() || e.is_decode() {
        FetchErrorKind::Body
    } else {
        FetchErrorKind::Other
    }
}

/// A response's headers as (name, value) pairs, in order, values read lossily as UTF-8.
pub(crate) fn header_pairs(headers: &reqwest::header::HeaderMap) -> Vec<(String, String)> {
    headers
        .iter()
        .map(|(n, v)| {
            (
                n.as_str().to_string(),
                String::from_utf8_lossy(v.as_bytes()).into_owned(),
            )
        })
        .collect()
}

/// `error: cause: cause` without the URL noise reqwest repeats.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let m = s.to_string();
        if !parts.iter().any(|p| p.contains(&m)) {
            parts.push(m);
        }
        source = s.source();
    }
    parts.join(": ")
}

/// Adds the scenario's extra trust root (`ca-file`), if any, to the platform roots.
pub fn trust_scenario_ca(
    builder: reqwest::ClientBuilder,
    scenario: &Scenario,
) -> Result<reqwest::ClientBuilder, Error> {
    match &scenario.ca_pem {
        Some(pem) => {
            let certs = reqwest::Certificate::from_pem_bundle(pem)
                .map_err(|e| Error::Client(e.to_string()))?;
            Ok(builder.tls_certs_merge(certs))
        }
        None => Ok(builder),
    }
}

impl Fetcher {
    /// Builds a client trusting the platform roots plus the scenario's CA, if any.
    pub fn new(scenario: &Scenario) -> Result<Self, Error> {
        let limits = &scenario.limits;
        let mut builder = reqwest::Client::builder()
            .user_agent(concat!(
                "kiemdinh/",
                env!("CARGO_PKG_VERSION"),
                " (conformance inspection)"
            ))
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_millis(limits.timeout_ms))
            .connect_timeout(Duration::from_millis(limits.timeout_ms.min(5_000)))
            .pool_max_idle_per_host(limits.concurrency);
        builder = trust_scenario_ca(builder, scenario)?;
        Ok(Self {
            client: builder
                .build()
                .map_err(|e| Error::Client(error_chain(&e)))?,
            max_bytes: limits.max_page_bytes,
            tape: None,
        })
    }

    /// The fetcher with a tape: it replays what the tape holds and reports what it fetches.
    #[must_use]
    pub fn with_tape(mut self, tape: Option<std::sync::Arc<super::tape::Tape>>) -> Self {
        self.tape = tape;
        self
    }

    /// The HTTP client (the CORS preflight sends its one `OPTIONS` through it).
    pub(crate) fn client(&self) -> &reqwest::Client {
        &self.client
    }

    /// The tape, if any (what a probe outside this file replays or reports).
    pub(crate) fn tape(&self) -> Option<&std::sync::Arc<super::tape::Tape>> {
        self.tape.as_ref()
    }

    /// Fetches one URL, following redirects by hand. Never fails: problems are facts.
    pub async fn fetch(&self, url: &Url) -> Fetch {
        self.fetch_within(url, None).await
    }

    /// Like [`Fetcher::fetch`], but with `stay_on` it does not follow a redirect that leaves
    /// that origin: the hop is recorded and nothing is sent to the other host (SSO entries:
    /// the identity provider's request is observed, never made).
    pub async fn fetch_within(&self, url: &Url, stay_on: Option<&url::Origin>) -> Fetch {
        let Some(tape) = &self.tape else {
            return self.fetch_live(url, stay_on).await;
        };
        if let Some(f) = tape.take_fetch(url) {
            return f;
        }
        let f = self.fetch_live(url, stay_on).await;
        tape.record(super::tape::Recorded::Fetch(url, &f));
        f
    }

    async fn fetch_live(&self, url: &Url, stay_on: Option<&url::Origin>) -> Fetch {
        let start = Instant::now();
        let ms = |t: Instant| t.elapsed().as_secs_f64() * 1000.0;
        let mut fetch = Fetch {
            final_url: url.to_string(),
            ..Fetch::default()
        };
        let mut current = url.clone();
        let mut visited = HashSet::from([current.to_string()]);
        let response = loop {
            let resp = match self.client.get(current.clone()).send().await {
                Ok(r) => r,
                Err(e) => {
                    fetch.error = Some(FetchError {
                        kind: error_kind(&e),
                        message: error_chain(&e),
                    });
                    fetch.ttfb_ms = ms(start);
                    fetch.total_ms = fetch.ttfb_ms;
                    return fetch;
                }
            };
            let status = resp.status().as_u16();
            let location = resp
                .headers()
                .get(reqwest::header::LOCATION)
                .and_then(|l| l.to_str().ok())
                .and_then(|l| current.join(l).ok());
            match (resp.status().is_redirection(), location) {
                (true, Some(next)) => {
                    fetch.redirects.push(Hop {
                        url: current.to_string(),
                        status,
                        location: next.to_string(),
                    });
                    if stay_on.is_some_and(|o| next.origin() != *o) {
                        fetch.status = Some(status);
                        fetch.final_url = current.to_string();
                        fetch.ttfb_ms = ms(start);
                        fetch.total_ms = fetch.ttfb_ms;
                        return fetch;
                    }
                    let error = if !visited.insert(next.to_string()) {
                        Some((
                            FetchErrorKind::RedirectLoop,
                            format!("redirect loop: `{next}` was already visited"),
                        ))
                    } else if fetch.redirects.len() >= MAX_REDIRECTS {
                        Some((
                            FetchErrorKind::TooManyRedirects,
                            format!("more than {MAX_REDIRECTS} redirects"),
                        ))
                    } else {
                        None
                    };
                    if let Some((kind, message)) = error {
                        fetch.status = Some(status);
                        fetch.error = Some(FetchError { kind, message });
                        fetch.ttfb_ms = ms(start);
                        fetch.total_ms = fetch.ttfb_ms;
                        return fetch;
                    }
                    current = next;
                }
                _ => break resp,
            }
        };
        fetch.ttfb_ms = ms(start);
        fetch.status = Some(response.status().as_u16());
        fetch.final_url = current.to_string();
        fetch.headers = header_pairs(response.headers());
        let mut response = response;
        let mut body: Vec<u8> = Vec::new();
        loop {
            match response.chunk().await {
                Ok(Some(chunk)) => {
                    let room = self.max_bytes.saturating_sub(body.len());
                    body.extend_from_slice(&chunk[..chunk.len().min(room)]);
                    fetch.bytes += chunk.len().min(room) as u64;
                    if chunk.len() > room {
                        fetch.truncated = true;
                        break;
                    }
                }
                Ok(None) => break,
                Err(e) => {
                    fetch.error = Some(FetchError {
                        kind: error_kind(&e),
                        message: error_chain(&e),
                    });
                    break;
                }
            }
        }
        fetch.total_ms = ms(start);
        let text = html::charset::decode(fetch.header("content-type"), &body);
        if fetch.is_html() {
            fetch.html = Some(html::extract(&text, &current));
        } else if body.len() <= MAX_KEPT_TEXT {
            fetch.text = Some(text);
        }
        fetch
    }
}

impl Fetcher {
    /// GETs a text resource (a script file) without following redirects, reading at most
    /// `limit` bytes: its text and whether it was cut, or why there is none.
    pub async fn fetch_text(&self, url: &Url, limit: usize) -> Result<(String, bool), String> {
        let Some(tape) = &self.tape else {
            return self.fetch_text_live(url, limit).await;
        };
        if let Some(t) = tape.take_script(url) {
            return t;
        }
        let t = self.fetch_text_live(url, limit).await;
        tape.record(super::tape::Recorded::Script(url, &t));
        t
    }

    async fn fetch_text_live(&self, url: &Url, limit: usize) -> Result<(String, bool), String> {
        let mut resp = self
            .client
            .get(url.clone())
            .send()
            .await
            .map_err(|e| error_chain(&e))?;
        if !resp.status().is_success() {
            return Err(format!("HTTP {}", resp.status().as_u16()));
        }
        let content_type = resp
            .headers()
            .get(reqwest::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string);
        let mut body: Vec<u8> = Vec::new();
        let mut cut = false;
        while let Some(chunk) = resp.chunk().await.map_err(|e| error_chain(&e))? {
            let room = limit.saturating_sub(body.len());
            body.extend_from_slice(&chunk[..chunk.len().min(room)]);
            if chunk.len() > room {
                cut = true;
                break;
            }
        }
        Ok((html::charset::decode(content_type.as_deref(), &body), cut))
    }
}

/// What to fetch before the crawl, with roles merged per URL.
pub fn plan(scenario: &Scenario) -> Vec<(Url, Vec<Role>)> {
    let mut out: Vec<(Url, Vec<Role>)> = Vec::new();
    let mut add = |u: Url, role: Role| match out.iter_mut().find(|(x, _)| *x == u) {
        Some((_, roles)) => {
            if !roles.contains(&role) {
                roles.push(role);
            }
        }
        None => out.push((u, vec![role])),
    };
    let base = &scenario.base_url;
    add(base.clone(), Role::Home);
    for u in &scenario.sample {
        add(u.clone(), Role::Sample);
    }
    for (name, u) in &scenario.functions {
        add(u.clone(), Role::Function(name.clone()));
    }
    for (path, role) in [
        ("/sitemap.xml", Role::SitemapXml),
        ("/.well-known/security.txt", Role::SecurityTxt),
        (NOT_FOUND_PATH, Role::NotFoundProbe),
    ] {
        if let Ok(u) = base.join(path) {
            add(u, role);
        }
    }
    add(scenario.http_url.clone(), Role::HttpEntry);
    for path in ADMIN_PATHS {
        if let Ok(u) = base.join(path) {
            add(u, Role::AdminProbe);
        }
    }
    if let Some(u) = &scenario.status_url {
        add(u.clone(), Role::StatusApi);
    }
    out
}

/// Whether a link is a page of the portal the crawl may follow.
struct Scope {
    origin: url::Origin,
    exclude: GlobSet,
}

impl Scope {
    fn new(scenario: &Scenario) -> Self {
        let mut b = GlobSetBuilder::new();
        for g in &scenario.exclude {
            if let Ok(g) = Glob::new(g) {
                b.add(g);
            }
        }
        Self {
            origin: scenario.base_url.origin(),
            exclude: b.build().unwrap_or_else(|_| GlobSet::empty()),
        }
    }

    fn allows(&self, u: &Url) -> bool {
        let path = u.path().to_ascii_lowercase();
        u.origin() == self.origin
            && !self.exclude.is_match(u.path())
            && !SKIP_EXT.iter().any(|e| path.ends_with(e))
            && path != NOT_FOUND_PATH
            && !ADMIN_PATHS.contains(&u.path())
    }
}

/// Fetches pages concurrently (the scenario's concurrency), each handed to `on_page` as it
/// arrives. A crawled link that redirects to another host (an identity provider, a national
/// portal) is recorded, not followed: that page is not the portal's.
pub async fn fetch_pages(
    fetcher: &Fetcher,
    scenario: &Scenario,
    urls: Vec<(Url, Vec<Role>, Option<u32>)>,
    on_page: &(dyn Fn(&Page) + Sync),
) -> Vec<Page> {
    let origin = scenario.base_url.origin();
    let origin = &origin;
    let mut s = stream::iter(urls)
        .map(move |(u, roles, depth)| async move {
            let stay_on = (roles == [Role::Crawled]).then_some(origin);
            let fetch = fetcher.fetch_within(&u, stay_on).await;
            Page {
                url: u.to_string(),
                roles,
                depth,
                fetch,
            }
        })
        .buffer_unordered(scenario.limits.concurrency.max(1));
    let mut out = Vec::new();
    while let Some(p) = s.next().await {
        on_page(&p);
        out.push(p);
    }
    out
}

/// The crawl's budget left: HTML pages the scenario still allows.
pub fn budget_left(scenario: &Scenario, pages: &[Page]) -> usize {
    scenario
        .limits
        .max_pages
        .saturating_sub(pages.iter().filter(|p| p.fetch.html.is_some()).count())
}

/// Whether a link is a page of the portal the crawl may follow.
pub fn in_scope(scenario: &Scenario, u: &Url) -> bool {
    Scope::new(scenario).allows(u)
}

/// Fetches the plan, then crawls breadth-first from the home page following the links of the
/// HTTP responses. `on_page` sees every page as it arrives (for the journal and progress). The
/// searches, lookups and the SSO entry come later ([`active`]), once the browser may have
/// shown forms the HTTP view lacks.
pub async fn run(
    fetcher: &Fetcher,
    scenario: &Scenario,
    on_page: &(dyn Fn(&Page) + Sync),
) -> (Vec<Page>, bool) {
    let limits = &scenario.limits;
    let planned: Vec<_> = plan(scenario)
        .into_iter()
        .map(|(u, r)| (u, r, None))
        .collect();
    let mut pages = fetch_pages(fetcher, scenario, planned, on_page).await;
    let mut index: HashMap<String, usize> = pages
        .iter()
        .enumerate()
        .map(|(i, p)| (p.url.clone(), i))
        .collect();

    let scope = Scope::new(scenario);
    let home = scenario.base_url.to_string();
    let mut budget = budget_left(scenario, &pages);
    let mut truncated = false;
    if let Some(&i) = index.get(&home) {
        pages[i].depth = Some(0);
    }
    let mut level = vec![home];
    for depth in 1..=limits.max_depth {
        let mut next: Vec<String> = Vec::new();
        let mut to_fetch: Vec<(Url, Vec<Role>, Option<u32>)> = Vec::new();
        let mut queued = HashSet::new();
        for url in &level {
            let Some(&i) = index.get(url) else { continue };
            let links: Vec<String> = match &pages[i].fetch.html {
                Some(h) => h.links.iter().map(|l| l.href.clone()).collect(),
                None => continue,
            };
            for href in links {
                let Ok(u) = Url::parse(&href) else { continue };
                if !scope.allows(&u) || !queued.insert(href.clone()) {
                    continue;
                }
                match index.get(&href) {
                    Some(&j) if pages[j].depth.is_none() => {
                        pages[j].depth = Some(depth);
                        next.push(href.clone());
                    }
                    Some(_) => {}
                    None if budget > 0 => {
                        budget -= 1;
                        to_fetch.push((u, vec![Role::Crawled], Some(depth)));
                        next.push(href.clone());
                    }
                    None => truncated = true,
                }
            }
        }
        for p in fetch_pages(fetcher, scenario, to_fetch, on_page).await {
            index.insert(p.url.clone(), pages.len());
            pages.push(p);
        }
        if next.is_empty() {
            break;
        }
        level = next;
    }
    (pages, truncated)
}

/// The active part, after the crawl (and the browser): searches and lookups through the forms
/// the pages show, and the SSO entry. `view` is the pages as judges see them (the rendered
/// DOM's facts where the browser rendered a page), so a form built by scripts is used too.
pub async fn active(
    fetcher: &Fetcher,
    scenario: &Scenario,
    pages: &mut Vec<Page>,
    view: &[Page],
    on_page: &(dyn Fn(&Page) + Sync),
) {
    let known: HashSet<String> = pages.iter().map(|p| p.url.clone()).collect();
    let active: Vec<_> = active_plan(scenario, view)
        .into_iter()
        .filter(|(u, _)| !known.contains(u.as_str()))
        .map(|(u, r)| (u, r, None))
        .collect();
    pages.extend(fetch_pages(fetcher, scenario, active, on_page).await);
    if let Some(u) = sso_entry(scenario, view) {
        let fetch = fetcher
            .fetch_within(&u, Some(&scenario.base_url.origin()))
            .await;
        let p = Page {
            url: u.to_string(),
            roles: vec![Role::SsoEntry],
            depth: None,
            fetch,
        };
        on_page(&p);
        pages.push(p);
    }
}

//! Exposure probe (SEC-7, SEC-8): a small fixed list of sensitive paths (`/.git/HEAD`, `/.env`,
//! backup archives, status pages), the folders the crawled pages' own assets live in (asked
//! for a directory listing), and two malformed requests a server rejects with 400 (to read its
//! error page). The list and the patterns the judges read the answers with are data,
//! `data/exposure.toml`, compiled in.
//!
//! Every request goes through the run's [`Fetcher`] (its size cap, timeout and tape, so
//! `--resume` replays them) and each URL is asked once: a path the plan already fetched (an
//! administration probe) gets the exposure role added instead of a second request. At most
//! [`max_requests`] requests are sent.

use std::collections::HashSet;
use std::sync::LazyLock;

use serde::Deserialize;
use url::Url;

use super::http::{Fetcher, fetch_pages};
use crate::observation::{Page, Role};
use crate::scenario::Scenario;
use crate::text::Text;

/// The role given to an asset folder asked for a directory listing.
pub const LISTING: &str = "listing";

/// The role (and path) of the legacy `/security.txt`, asked only when
/// `/.well-known/security.txt` does not answer one (SEC-9 names it).
pub const SECURITY_TXT_ROOT: &str = "/security.txt";

/// The compiled-in `data/exposure.toml`.
const SOURCE: &str = include_str!("../../data/exposure.toml");

/// One sensitive path and how its content is recognised.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct SensitivePath {
    /// Stable id (the page's [`Role::Exposure`]).
    pub id: String,
    /// Absolute path on the portal's host.
    pub path: String,
    /// `leak` (judged under SEC-7) or `console` (SEC-8).
    pub family: String,
    /// What it is, for the verdict.
    pub what: Text,
    /// Regular expressions: the content that makes the answer an exposure.
    pub content: Vec<String>,
    /// Content types that make a body too large to keep an exposure.
    #[serde(default)]
    pub types: Vec<String>,
    /// Match the HTML page's title and visible text instead of the raw body text.
    #[serde(default)]
    pub html: bool,
}

/// How directory listings are found.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Listing {
    /// Most asset folders asked.
    pub max_folders: usize,
    /// Title or visible-text patterns of a listing page.
    pub patterns: Vec<String>,
}

/// A malformed request meant to provoke a 400.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Provoke {
    /// Stable id (the page's [`Role::Exposure`]).
    pub id: String,
    /// Path and query joined to the base URL as written.
    pub path: String,
    /// What it is, for the verdict.
    pub what: Text,
}

/// What reveals internals in any answer.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Leakage {
    /// Stack-trace, debug-page and internals patterns (case-insensitive).
    pub patterns: Vec<String>,
    /// Headers that name a framework or its version.
    pub version_headers: Vec<String>,
    /// What makes a `Server` header verbose (a version number).
    pub server_version: String,
}

/// `data/exposure.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct ExposureList {
    /// Sensitive paths.
    pub path: Vec<SensitivePath>,
    /// Directory listings.
    pub listing: Listing,
    /// Provoked errors.
    pub provoke: Vec<Provoke>,
    /// Leakage patterns.
    pub leakage: Leakage,
}

/// The compiled-in list (a malformed file is caught by this module's tests).
pub static LIST: LazyLock<ExposureList> =
    LazyLock::new(|| toml::from_str(SOURCE).expect("data/exposure.toml is valid (tested)"));

/// The most requests [`run`] sends: every sensitive path, the listing folders and the provoked
/// errors, once each, and the legacy `/security.txt`.
pub fn max_requests() -> usize {
    LIST.path.len() + LIST.listing.max_folders + LIST.provoke.len() + 1
}

/// Whether a page is one of the portal's own (home, sample, crawled, function pages).
fn site_page(p: &Page) -> bool {
    p.roles.iter().any(|r| {
        matches!(
            r,
            Role::Home | Role::Sample | Role::Crawled | Role::Function(_)
        )
    })
}

/// The folders the site's pages load same-host assets from (`/static/`, `/o/theme/css/`), in
/// order of first appearance, the root excluded, at most `max`.
pub fn asset_folders(base: &Url, pages: &[Page], max: usize) -> Vec<Url> {
    let origin = base.origin();
    let mut seen = HashSet::new();
    let mut out = Vec::new();
    let resources = pages
        .iter()
        .filter(|p| site_page(p))
        .filter_map(|p| p.fetch.html.as_ref())
        .flat_map(|h| h.resources.iter());
    for r in resources {
        let Ok(mut u) = Url::parse(&r.url) else {
            continue;
        };
        if u.origin() != origin {
            continue;
        }
        let path = u.path().to_string();
        let Some(cut) = path.rfind('/') else { continue };
        let folder = &path[..=cut];
        if folder == "/" || !seen.insert(folder.to_string()) {
            continue;
        }
        u.set_path(folder);
        u.set_query(None);
        u.set_fragment(None);
        out.push(u);
        if out.len() >= max {
            break;
        }
    }
    out
}

/// What [`run`] asks for: `(url, role)` in a fixed order.
pub fn plan(scenario: &Scenario, pages: &[Page]) -> Vec<(Url, Role)> {
    let base = &scenario.base_url;
    let mut out = Vec::new();
    for p in &LIST.path {
        if let Ok(u) = base.join(&p.path) {
            out.push((u, Role::Exposure(p.id.clone())));
        }
    }
    for u in asset_folders(base, pages, LIST.listing.max_folders) {
        out.push((u, Role::Exposure(LISTING.to_string())));
    }
    for p in &LIST.provoke {
        if let Ok(u) = base.join(&p.path) {
            out.push((u, Role::Exposure(p.id.clone())));
        }
    }
    let well_known = pages.iter().find(|p| p.roles.contains(&Role::SecurityTxt));
    let answered = well_known.is_some_and(|p| p.fetch.status == Some(200) && !p.fetch.is_html());
    if !answered && let Ok(u) = base.join(SECURITY_TXT_ROOT) {
        out.push((u, Role::Exposure(SECURITY_TXT_ROOT.to_string())));
    }
    out
}

/// Asks every planned URL once (after the crawl, so asset folders are known); a URL already
/// fetched gets the role added instead. New pages are appended to `pages` and shown to
/// `on_page`.
pub async fn run(
    fetcher: &Fetcher,
    scenario: &Scenario,
    pages: &mut Vec<Page>,
    on_page: &(dyn Fn(&Page) + Sync),
) {
    let mut to_fetch: Vec<(Url, Vec<Role>, Option<u32>)> = Vec::new();
    for (u, role) in plan(scenario, pages) {
        if let Some(p) = pages.iter_mut().find(|p| p.url == u.as_str()) {
            if !p.roles.contains(&role) {
                p.roles.push(role);
            }
        } else if let Some((_, roles, _)) = to_fetch.iter_mut().find(|(x, _, _)| *x == u) {
            roles.push(role);
        } else {
            to_fetch.push((u, vec![role], None));
        }
    }
    pages.extend(fetch_pages(fetcher, scenario, to_fetch, on_page).await);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{Fetch, HtmlFacts, Resource};

    #[test]
    fn the_list_parses_and_every_pattern_compiles() {
        let l = &*LIST;
        assert!(l.path.len() >= 10 && l.path.len() <= 16, "small and fixed");
        for p in &l.path {
            assert!(p.path.starts_with('/'), "{}", p.id);
            assert!(matches!(p.family.as_str(), "leak" | "console"), "{}", p.id);
            assert!(!p.content.is_empty(), "{}", p.id);
            for c in &p.content {
                regex::Regex::new(c).unwrap_or_else(|e| panic!("{}: {e}", p.id));
            }
        }
        let ids: HashSet<_> = l.path.iter().map(|p| &p.id).collect();
        assert_eq!(ids.len(), l.path.len(), "ids are unique");
        for p in l.listing.patterns.iter().chain(&l.leakage.patterns) {
            regex::Regex::new(p).unwrap_or_else(|e| panic!("{p}: {e}"));
        }
        regex::Regex::new(&l.leakage.server_version).unwrap();
        assert_eq!(
            max_requests(),
            l.path.len() + l.listing.max_folders + l.provoke.len() + 1
        );
    }

    fn page(url: &str, resources: &[&str]) -> Page {
        Page {
            url: url.into(),
            roles: vec![Role::Crawled],
            depth: Some(1),
            fetch: Fetch {
                html: Some(HtmlFacts {
                    resources: resources
                        .iter()
                        .map(|r| Resource {
                            kind: "script".into(),
                            url: (*r).into(),
                            integrity: false,
                        })
                        .collect(),
                    ..HtmlFacts::default()
                }),
                ..Fetch::default()
            },
        }
    }

    #[test]
    fn asset_folders_are_same_host_parents_deduplicated_and_bounded() {
        let base = Url::parse("https://p.gov.vn/").unwrap();
        let pages = vec![
            page(
                "https://p.gov.vn/a",
                &[
                    "https://p.gov.vn/static/site.css?v=3",
                    "https://p.gov.vn/static/app.js",
                    "https://cdn.example.com/lib/x.js",
                    "https://p.gov.vn/favicon.ico",
                ],
            ),
            page(
                "https://p.gov.vn/b",
                &[
                    "https://p.gov.vn/o/theme/css/main.css",
                    "https://p.gov.vn/o/theme/js/a.js",
                    "https://p.gov.vn/images/x.png",
                ],
            ),
        ];
        let got: Vec<String> = asset_folders(&base, &pages, 3)
            .iter()
            .map(ToString::to_string)
            .collect();
        assert_eq!(
            got,
            [
                "https://p.gov.vn/static/",
                "https://p.gov.vn/o/theme/css/",
                "https://p.gov.vn/o/theme/js/"
            ]
        );
        // A page that is not the site's own (an admin probe) lends no folders.
        let mut probe = page("https://p.gov.vn/admin", &["https://p.gov.vn/adm/x.js"]);
        probe.roles = vec![Role::AdminProbe];
        assert!(asset_folders(&base, &[probe], 3).is_empty());
    }

    #[test]
    fn provoked_paths_keep_their_malformed_escapes() {
        let base = Url::parse("https://p.gov.vn/").unwrap();
        for p in &LIST.provoke {
            let u = base.join(&p.path).unwrap();
            assert!(u.as_str().contains("%zz"), "{u}");
            assert_eq!(u.host_str(), Some("p.gov.vn"));
        }
    }
}

#[cfg(test)]
#[path = "exposure_tests.rs"]
mod live_tests;

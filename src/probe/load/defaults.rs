//! What the users run when the scenario declares no journey: a citizen browsing (home →
//! catalogue → a procedure → search) and a citizen looking up a dossier (transactional),
//! built from the scenario's own pages — and, under `assess`, from the very search and lookup
//! requests the HTTP probe made. Also how users are shared among journeys.

use url::Url;

use crate::observation::{Observations, Role};
use crate::scenario::Scenario;
use crate::scenario::load::{Body, Journey, LoadStep, Template};

fn get(n: usize, url: &Url) -> LoadStep {
    LoadStep {
        name: format!("{} GET {}", n, path_of(url)),
        method: "GET".into(),
        url: Template::literal(url.as_str()),
        body: Body::None,
        headers: Vec::new(),
        expect_status: None,
        think_ms: None,
        captures: Vec::new(),
    }
}

fn path_of(url: &Url) -> String {
    match url.query() {
        Some(q) => format!("{}?{q}", url.path()),
        None => url.path().to_string(),
    }
}

/// The default journeys: `xem-thu-tuc` (browsing) and, when a lookup is known,
/// `tra-cuu-ho-so` (transactional).
pub fn journeys(scenario: &Scenario, obs: Option<&Observations>) -> Vec<Journey> {
    let mut browse: Vec<Url> = vec![scenario.base_url.clone()];
    let function = |name: &str| scenario.functions.get(name).cloned();
    if let Some(u) = function("catalogue") {
        browse.push(u);
    }
    let service = scenario
        .service_pages
        .as_deref()
        .and_then(|g| globset::Glob::new(g).ok())
        .map(|g| g.compile_matcher());
    // The first page the probe fetched successfully with a role and a path `path_ok` accepts.
    let fetched_where = |pred: &dyn Fn(&Role) -> bool, path_ok: &dyn Fn(&Url) -> bool| {
        obs?.pages
            .iter()
            .filter(|p| {
                p.roles.iter().any(pred) && p.fetch.status.is_some_and(|s| (200..400).contains(&s))
            })
            .filter_map(|p| Url::parse(&p.url).ok())
            .find(|u| path_ok(u))
    };
    let fetched = |pred: &dyn Fn(&Role) -> bool| fetched_where(pred, &|_| true);
    // A procedure page: one the crawl or the sample found that the scenario's glob matches.
    let procedure = fetched_where(&|r| matches!(r, Role::Crawled | Role::Sample), &|u| {
        service.as_ref().is_some_and(|g| g.is_match(u.path()))
    });
    if let Some(u) = procedure {
        browse.push(u);
    }
    let search = fetched(&|r| {
        matches!(
            r,
            Role::Search {
                nonsense: false,
                filter: None,
                ..
            }
        )
    })
    .or_else(|| function("search"));
    if let Some(u) = search {
        browse.push(u);
    }
    browse.dedup();
    let mut out = vec![Journey {
        name: "xem-thu-tuc".into(),
        weight: 1,
        transactional: false,
        steps: browse
            .iter()
            .enumerate()
            .map(|(i, u)| get(i + 1, u))
            .collect(),
    }];
    let lookup = fetched(&|r| matches!(r, Role::Lookup { known: true, .. }))
        .or_else(|| fetched(&|r| matches!(r, Role::Lookup { .. })))
        .or_else(|| function("lookup"));
    if let Some(u) = lookup {
        let mut steps = Vec::new();
        if let Some(page) = function("lookup").filter(|p| p.as_str() != u.as_str()) {
            steps.push(get(1, &page));
        }
        steps.push(get(steps.len() + 1, &u));
        out.push(Journey {
            name: "tra-cuu-ho-so".into(),
            weight: 1,
            transactional: true,
            steps,
        });
    }
    out
}

/// The journey of each of `users` users, in launch order: `⌈users × share⌉`
/// (at least one when the share is positive) on transactional journeys, the rest on the
/// others, each group split by weight (largest remainder) and interleaved so that any prefix
/// of the users — a ramp — keeps the mix.
pub fn assignment(journeys: &[Journey], users: u32, share: f64) -> Vec<usize> {
    let users = users.max(1) as usize;
    let (tx, other): (Vec<usize>, Vec<usize>) =
        (0..journeys.len()).partition(|&i| journeys[i].transactional);
    let n_tx = match (tx.is_empty(), other.is_empty()) {
        (true, _) => 0,
        (false, true) => users,
        // At least the share (a hair of slack so that 1/6 of 6 users is 1, not 2).
        #[expect(clippy::cast_sign_loss, reason = "share is in 0..=1, clamped at 0")]
        (false, false) => ((users as f64 * share - 1e-9).ceil().max(0.0) as usize)
            .max(usize::from(share > 0.0))
            .min(users),
    };
    let mut counts = vec![0usize; journeys.len()];
    split(&tx, journeys, n_tx, &mut counts);
    split(&other, journeys, users - n_tx, &mut counts);
    // Smooth weighted round robin over the counts.
    let mut credit = vec![0i128; journeys.len()];
    let mut out = Vec::with_capacity(users);
    for _ in 0..users {
        for (i, c) in counts.iter().enumerate() {
            credit[i] += *c as i128;
        }
        let Some(best) = (0..journeys.len())
            .filter(|&i| counts[i] > 0)
            .max_by_key(|&i| (credit[i], std::cmp::Reverse(i)))
        else {
            break;
        };
        credit[best] -= users as i128;
        out.push(best);
    }
    out
}

fn split(group: &[usize], journeys: &[Journey], n: usize, counts: &mut [usize]) {
    let total: u64 = group.iter().map(|&i| u64::from(journeys[i].weight)).sum();
    if total == 0 || n == 0 {
        return;
    }
    let mut rem: Vec<(usize, f64)> = Vec::new();
    let mut given = 0;
    for &i in group {
        let exact = n as f64 * f64::from(journeys[i].weight) / total as f64;
        #[expect(clippy::cast_sign_loss, reason = "a share of n, never negative")]
        let whole = exact.floor() as usize;
        counts[i] = whole;
        given += counts[i];
        rem.push((i, exact - exact.floor()));
    }
    rem.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    for (i, _) in rem.into_iter().take(n - given) {
        counts[i] += 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn j(name: &str, weight: u32, transactional: bool) -> Journey {
        Journey {
            name: name.into(),
            weight,
            transactional,
            steps: Vec::new(),
        }
    }

    #[test]
    fn the_declared_share_is_exact_and_interleaved() {
        let js = [j("xem", 3, false), j("tra", 1, true), j("nop", 1, true)];
        let a = assignment(&js, 60, 0.2);
        let count = |k: usize| a.iter().filter(|&&x| x == k).count();
        assert_eq!(a.len(), 60);
        assert_eq!(count(1) + count(2), 12);
        assert_eq!(count(1), 6);
        // Any ramp prefix keeps roughly the mix: among the first 10 users, 2 are transactional.
        assert_eq!(a[..10].iter().filter(|&&x| x != 0).count(), 2, "{a:?}");
    }

    #[test]
    fn a_small_run_still_gets_a_transactional_user() {
        let js = [j("xem", 1, false), j("tra", 1, true)];
        assert_eq!(
            assignment(&js, 2, 1.0 / 6.0)
                .iter()
                .filter(|&&x| x == 1)
                .count(),
            1
        );
        assert_eq!(assignment(&js[..1], 5, 0.5), vec![0; 5]);
        assert_eq!(assignment(&js[1..], 3, 0.1), vec![0; 3]);
    }

    #[test]
    fn default_journeys_follow_the_portal_and_the_requests_the_http_probe_made() {
        use crate::observation::{Fetch, Observations, Page, Role};
        let s = crate::scenario::Scenario::from_source(&crate::input::Source {
            path: "s.toml".into(),
            text: "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
                   base-url = \"https://dvc.example.gov.vn/\"\n[pages]\nservice-pages = \"/thu-tuc/[0-9]*\"\n\
                   [functions]\ncatalogue = \"/thu-tuc/\"\nsearch = \"/tim-kiem\"\nlookup = \"/tra-cuu\"\n"
                .into(),
        })
        .unwrap();
        // From the scenario alone: home, catalogue, search page; the lookup page.
        let js = journeys(&s, None);
        let urls = |j: &Journey| {
            j.steps
                .iter()
                .map(|s| s.url.prefix().to_string())
                .collect::<Vec<_>>()
        };
        assert_eq!(
            urls(&js[0]),
            [
                "https://dvc.example.gov.vn/",
                "https://dvc.example.gov.vn/thu-tuc/",
                "https://dvc.example.gov.vn/tim-kiem"
            ]
        );
        assert!(!js[0].transactional && js[1].transactional);
        assert_eq!(urls(&js[1]), ["https://dvc.example.gov.vn/tra-cuu"]);
        // Under assess: a crawled procedure page and the very search and lookup requests.
        let page = |url: &str, role: Role| Page {
            url: url.into(),
            roles: vec![role],
            depth: None,
            fetch: Fetch {
                status: Some(200),
                ..Fetch::default()
            },
        };
        let obs = Observations {
            pages: vec![
                page("https://dvc.example.gov.vn/gioi-thieu", Role::Crawled),
                page("https://dvc.example.gov.vn/thu-tuc/1.001", Role::Crawled),
                page(
                    "https://dvc.example.gov.vn/tim-kiem?q=khai+sinh",
                    Role::Search {
                        term: "khai sinh".into(),
                        nonsense: false,
                        filter: None,
                    },
                ),
                page(
                    "https://dvc.example.gov.vn/tra-cuu?ma=H1",
                    Role::Lookup {
                        code: "H1".into(),
                        known: true,
                    },
                ),
            ],
            ..Observations::default()
        };
        let js = journeys(&s, Some(&obs));
        assert_eq!(
            urls(&js[0]),
            [
                "https://dvc.example.gov.vn/",
                "https://dvc.example.gov.vn/thu-tuc/",
                "https://dvc.example.gov.vn/thu-tuc/1.001",
                "https://dvc.example.gov.vn/tim-kiem?q=khai+sinh"
            ]
        );
        assert_eq!(
            urls(&js[1]),
            [
                "https://dvc.example.gov.vn/tra-cuu",
                "https://dvc.example.gov.vn/tra-cuu?ma=H1"
            ]
        );
    }
}

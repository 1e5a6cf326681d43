//! The active plan: requests the HTTP probe makes once the crawl has shown the portal's forms —
//! searches (PL1-5) with words from the portal's own catalogue and a criterion of the search
//! form, dossier look-ups (PL1-5.1), and the single-sign-on entry (PL1-1, SSO-1). The probe
//! gathers; the judges decide.

use globset::Glob;
use url::Url;

use crate::observation::{Form, Page, Role};
use crate::scenario::Scenario;

/// Most procedure names taken from the catalogue as search words.
const CATALOGUE_TERMS: usize = 3;
/// Most words of a procedure name searched (long names are searched by their beginning).
const TERM_WORDS: usize = 6;
/// Most options of the search form's criterion tried.
const FILTER_OPTIONS: usize = 3;
/// Words in a list's name that mark a field or agency criterion, preferred to other lists.
const FILTER_HINTS: &[&str] = &[
    "linh", "vuc", "field", "coquan", "co-quan", "co_quan", "agency", "donvi", "don-vi", "sector",
    "category",
];

/// Link texts that name a single-sign-on entry (VNeID, DVCQG account).
const SSO_TEXTS: &[&str] = &["vneid", "định danh điện tử", "dịch vụ công quốc gia", "sso"];

/// The SSO login entry: the scenario's `[sso] entry`, else a link on the login page (or the
/// home page) whose text names VNeID / DVCQG.
pub fn sso_entry(scenario: &Scenario, pages: &[Page]) -> Option<Url> {
    if let Some(u) = &scenario.sso_entry {
        return Some(u.clone());
    }
    let on = |url: &Url| {
        pages
            .iter()
            .find(|p| p.url == url.as_str())
            .and_then(|p| p.fetch.html.as_ref())
            .and_then(|h| {
                h.links.iter().find(|l| {
                    let t = l.text.to_lowercase();
                    SSO_TEXTS.iter().any(|s| t.contains(s))
                        && Url::parse(&l.href)
                            .is_ok_and(|u| u.origin() == scenario.base_url.origin())
                })
            })
            .and_then(|l| Url::parse(&l.href).ok())
    };
    scenario
        .functions
        .get("login")
        .and_then(on)
        .or_else(|| on(&scenario.base_url))
}

/// Where a function's GET form sends its words: the form's action, its text input's name (or
/// the scenario's `param`), and a criterion list with the options to try.
struct FormTarget {
    action: Url,
    param: String,
    criterion: Option<(String, Vec<String>)>,
}

/// A field or agency list of a form: the select whose name hints at one, else the first select
/// with two or more options, with its first non-empty options.
fn criterion(form: &Form) -> Option<(String, Vec<String>)> {
    let selects: Vec<(&String, Vec<String>)> = form
        .inputs
        .iter()
        .filter(|i| i.kind == "select")
        .filter_map(|i| {
            let options: Vec<String> = i
                .options
                .iter()
                .filter(|o| !o.trim().is_empty())
                .cloned()
                .collect();
            (options.len() >= 2).then_some((i.name.as_ref()?, options))
        })
        .collect();
    let hinted = selects.iter().position(|(n, _)| {
        let n = n.to_ascii_lowercase();
        FILTER_HINTS.iter().any(|h| n.contains(h))
    });
    let (name, options) = selects.into_iter().nth(hinted.unwrap_or(0))?;
    Some((
        name.clone(),
        options.into_iter().take(FILTER_OPTIONS).collect(),
    ))
}

/// The GET form of a function: on the function's page (or the home page when the scenario does
/// not say where the function lives). Same origin only; the scenario's `param` wins over the
/// form's text input.
fn form_target(
    scenario: &Scenario,
    pages: &[Page],
    function: &str,
    param: Option<&String>,
) -> Option<FormTarget> {
    let at = scenario.functions.get(function);
    let page_url = at.unwrap_or(&scenario.base_url);
    let html = pages
        .iter()
        .find(|p| p.url == page_url.as_str())
        .and_then(|p| p.fetch.html.as_ref());
    // A function page often has the site-wide search form in its header too: prefer the form
    // that submits to the function page itself, then one with a criterion to filter by, then
    // the first.
    let found = html.and_then(|h| {
        let mut candidates: Vec<(u8, usize, FormTarget)> = h
            .forms
            .iter()
            .filter(|f| f.method == "get")
            .enumerate()
            .filter_map(|(i, f)| {
                let t = target_of(scenario, f, param)?;
                let own = t.action.path() == page_url.path();
                Some((u8::from(own) * 2 + u8::from(t.criterion.is_some()), i, t))
            })
            .collect();
        candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        candidates.into_iter().next().map(|(_, _, t)| t)
    });
    match (found, at, param) {
        (Some(t), _, _) => Some(t),
        (None, Some(u), Some(p)) => Some(FormTarget {
            action: u.clone(),
            param: p.clone(),
            criterion: None,
        }),
        _ => None,
    }
}

/// Where a GET form of the portal submits, and which text input carries the word (`param`
/// when the scenario names it). `None` for a form that leaves the portal or has no text input.
fn target_of(
    scenario: &Scenario,
    f: &crate::observation::Form,
    param: Option<&String>,
) -> Option<FormTarget> {
    let action = Url::parse(&f.action).ok()?;
    if action.origin() != scenario.base_url.origin() {
        return None;
    }
    let name = match param {
        Some(p) => p.clone(),
        None => f
            .inputs
            .iter()
            .find(|i| matches!(i.kind.as_str(), "text" | "search"))?
            .name
            .clone()?,
    };
    Some(FormTarget {
        action,
        param: name,
        criterion: criterion(f),
    })
}

/// Procedure names as the catalogue shows them (link texts to procedure pages), the catalogue
/// page first, spread over the list and cut to their first words.
fn catalogue_terms(scenario: &Scenario, pages: &[Page]) -> Vec<String> {
    let Some(glob) = scenario
        .service_pages
        .as_deref()
        .and_then(|g| Glob::new(g).ok())
        .map(|g| g.compile_matcher())
    else {
        return Vec::new();
    };
    let catalogue = scenario.functions.get("catalogue").map(Url::as_str);
    let ordered = pages
        .iter()
        .filter(|p| Some(p.url.as_str()) == catalogue)
        .chain(pages.iter().filter(|p| Some(p.url.as_str()) != catalogue));
    let mut names: Vec<String> = Vec::new();
    for h in ordered.filter_map(|p| p.fetch.html.as_ref()) {
        for l in &h.links {
            let is_service = Url::parse(&l.href)
                .is_ok_and(|u| u.origin() == scenario.base_url.origin() && glob.is_match(u.path()));
            // A code column linked to the page (`1.001`) is no name.
            if !is_service || !l.text.chars().any(char::is_alphabetic) {
                continue;
            }
            let term: String = l
                .text
                .split_whitespace()
                .take(TERM_WORDS)
                .collect::<Vec<_>>()
                .join(" ");
            let key = crate::unicode::fold(&term);
            if !names.iter().any(|n| crate::unicode::fold(n) == key) {
                names.push(term);
            }
        }
        if !names.is_empty() && catalogue.is_some() {
            break;
        }
    }
    if names.len() <= CATALOGUE_TERMS {
        return names;
    }
    (0..CATALOGUE_TERMS)
        .map(|i| names[i * names.len() / CATALOGUE_TERMS].clone())
        .collect()
}

fn search(term: &str, nonsense: bool, filter: Option<String>) -> Vec<Role> {
    vec![Role::Search {
        term: term.to_string(),
        nonsense,
        filter,
    }]
}

/// The searches and look-ups run once the function pages are known (PL1-5, PL1-5.1).
pub fn active_plan(scenario: &Scenario, pages: &[Page]) -> Vec<(Url, Vec<Role>)> {
    let with = |u: &Url, pairs: &[(&str, &str)]| {
        let mut u = u.clone();
        let mut q = u.query_pairs_mut();
        q.clear();
        for (k, v) in pairs {
            q.append_pair(k, v);
        }
        drop(q);
        u
    };
    let mut out = Vec::new();
    if let Some(t) = form_target(scenario, pages, "search", scenario.search.param.as_ref()) {
        let mut terms = catalogue_terms(scenario, pages);
        for term in &scenario.search.terms {
            let key = crate::unicode::fold(term);
            if !terms.iter().any(|n| crate::unicode::fold(n) == key) {
                terms.push(term.clone());
            }
        }
        for term in &terms {
            out.push((
                with(&t.action, &[(&t.param, term)]),
                search(term, false, None),
            ));
        }
        let nonsense = &scenario.search.nonsense;
        out.push((
            with(&t.action, &[(&t.param, nonsense)]),
            search(nonsense, true, None),
        ));
        // The criterion alone, option by option, against the same form sent without it.
        if let Some((name, options)) = &t.criterion {
            out.push((with(&t.action, &[(&t.param, "")]), search("", false, None)));
            for o in options {
                out.push((
                    with(&t.action, &[(&t.param, ""), (name, o)]),
                    search("", false, Some(format!("{name}={o}"))),
                ));
            }
        }
    }
    if let Some(t) = form_target(scenario, pages, "lookup", scenario.lookup.param.as_ref()) {
        out.push((
            with(&t.action, &[(&t.param, &scenario.lookup.unknown_code)]),
            vec![Role::Lookup {
                code: scenario.lookup.unknown_code.clone(),
                known: false,
            }],
        ));
        if let Some(code) = &scenario.lookup.known_code {
            out.push((
                with(&t.action, &[(&t.param, code)]),
                vec![Role::Lookup {
                    code: code.clone(),
                    known: true,
                }],
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::Source;
    use crate::observation::Fetch;

    const BASE: &str = "https://dvc.example.gov.vn/";

    fn scenario() -> Scenario {
        Scenario::from_source(&Source {
            path: "s.toml".into(),
            text: format!(
                "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"{BASE}\"\n\
                 [pages]\nservice-pages = \"/thu-tuc/*\"\n[functions]\ncatalogue = \"/thu-tuc/\"\nsearch = \"/tim-kiem\"\n\
                 [search]\nterms = [\"đăng ký\"]\n"
            ),
        })
        .unwrap()
    }

    fn page(path: &str, html: &str) -> Page {
        let url = Url::parse(BASE).unwrap().join(path).unwrap();
        Page {
            url: url.to_string(),
            roles: vec![Role::Crawled],
            depth: None,
            fetch: Fetch {
                status: Some(200),
                html: Some(crate::probe::html::extract(html, &url)),
                ..Fetch::default()
            },
        }
    }

    fn pages() -> Vec<Page> {
        let rows: String = (1..=7)
            .map(|i| {
                format!(
                    "<tr><td><a href=/thu-tuc/{i}>1.00{i}</a></td><td><a href=/thu-tuc/{i}>Thủ tục số {i} về đăng ký kinh doanh hộ cá thể</a></td></tr>"
                )
            })
            .collect();
        vec![
            page("/thu-tuc/", &format!("<table>{rows}</table>")),
            page(
                "/tim-kiem",
                "<form action=/tim-kiem><input name=q><select name=sap-xep><option value=a>A</option><option value=b>B</option></select>\
                 <select name=linh-vuc><option value=''>Tất cả</option><option value=ho-tich>Hộ tịch</option><option value=dat-dai>Đất đai</option></select><button>Tìm</button></form>",
            ),
        ]
    }

    #[test]
    fn searches_take_words_from_the_catalogue_and_try_the_field_list() {
        let plan = active_plan(&scenario(), &pages());
        let roles: Vec<&Role> = plan.iter().flat_map(|(_, r)| r).collect();
        let terms: Vec<&str> = roles
            .iter()
            .filter_map(|r| match r {
                Role::Search {
                    term,
                    nonsense: false,
                    filter: None,
                } if !term.is_empty() => Some(term.as_str()),
                _ => None,
            })
            .collect();
        // Three names spread over the catalogue, cut to six words, then the scenario's word;
        // the code column (`1.001`) is no name.
        assert_eq!(
            terms,
            [
                "Thủ tục số 1 về đăng",
                "Thủ tục số 3 về đăng",
                "Thủ tục số 5 về đăng",
                "đăng ký"
            ]
        );
        let filters: Vec<&str> = roles
            .iter()
            .filter_map(|r| match r {
                Role::Search {
                    filter: Some(f), ..
                } => Some(f.as_str()),
                _ => None,
            })
            .collect();
        assert_eq!(
            filters,
            ["linh-vuc=ho-tich", "linh-vuc=dat-dai"],
            "the hinted list, empty option left out"
        );
        let urls: Vec<String> = plan.iter().map(|(u, _)| u.to_string()).collect();
        assert!(
            urls.contains(&format!("{BASE}tim-kiem?q=&linh-vuc=ho-tich")),
            "{urls:?}"
        );
        assert!(
            urls.contains(&format!("{BASE}tim-kiem?q=")),
            "baseline without the criterion"
        );
    }
}

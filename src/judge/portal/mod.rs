//! Portal function judges that plain HTTP can decide (Phụ lục I, QĐ 31/2021), one file per
//! family: the catalogue and its service levels (`catalogue`), search and dossier look-up
//! (`search`), function pages or their delegation to DVCQG (`pages`), statistics (`statistics`),
//! and the DVCQG connection — catalogue sync and status endpoint (`dvcqg`).

mod catalogue;
mod dvcqg;
mod figures;
mod pages;
mod search;
mod statistics;

pub use catalogue::{CatalogueSpec, catalogue};
pub use dvcqg::{CatalogueLabels, catalogue_sync, status_api};
pub use pages::functions_present;
pub use search::{lookup_answers, search_answers};
pub use statistics::{StatisticsSpec, statistics_sane};

use super::contains_ci;
use crate::checklist::check::FunctionPage;
use crate::observation::{HtmlFacts, Observations, Page};
use crate::text::Text;

pub(super) fn ok_status(p: &Page) -> bool {
    p.fetch.status.is_some_and(|s| (200..300).contains(&s))
}

pub(super) fn label(i: &FunctionPage) -> Text {
    i.label
        .clone()
        .unwrap_or_else(|| Text::same(i.function.clone()))
}

/// The page where a function lives: the scenario's URL, else the target of a link on the home
/// page (or any page) whose text matches a synonym.
pub(super) fn function_page<'a>(
    obs: &'a Observations,
    function: &str,
    synonyms: &[String],
) -> Option<&'a Page> {
    if let Some(u) = obs.function_url(function) {
        return obs.page(u);
    }
    let home = obs.home().and_then(|h| obs.facts(h));
    let pages = home.into_iter().chain(obs.html_pages().map(|(_, h)| h));
    for h in pages {
        for l in &h.links {
            if synonyms.iter().any(|s| contains_ci(&l.text, s))
                && let Some(p) = obs.page(&l.href)
            {
                return Some(p);
            }
        }
    }
    None
}

/// Links to procedure pages on a page (its main region when it has one).
pub(super) fn service_links(h: &HtmlFacts, is_service: &dyn Fn(&str) -> bool) -> Vec<String> {
    let links = h.main.as_ref().map_or(&h.links, |m| &m.links);
    let mut out: Vec<String> = links
        .iter()
        .filter(|l| is_service(&l.href))
        .map(|l| l.href.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

/// The text of the content row (table row, list item) holding a link to `href`.
pub(super) fn row_text(h: &HtmlFacts, href: &str) -> Option<String> {
    h.rows
        .iter()
        .find(|r| r.links.iter().any(|l| l == href))
        .map(|r| r.cells.join(" "))
}

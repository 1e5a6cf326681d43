//! Helpers every judge uses: compact URLs and lists for `observed`, folded matching, host
//! allow-lists, and the `error` outcomes for a portal that showed no page.

use url::Url;

use super::Outcome;
use crate::observation::{HtmlFacts, Observations, Page};
use crate::text::Text;
use crate::tr;

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
pub(crate) fn no_pages(expected: Text, obs: &Observations) -> Outcome {
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
pub(crate) fn home_page<'a>(
    obs: &'a Observations,
    expected: &Text,
) -> Result<(&'a Page, &'a HtmlFacts), Outcome> {
    let home = obs.home();
    match home.and_then(|p| obs.facts(p).map(|h| (p, h))) {
        Some((p, h)) if p.fetch.status.is_some_and(|s| (200..300).contains(&s)) => Ok((p, h)),
        _ => Err(no_pages(expected.clone(), obs)),
    }
}

/// Whether a host is one of `allowed` or a subdomain of one (case-insensitive).
pub(crate) fn host_in(host: &str, allowed: &[String]) -> bool {
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

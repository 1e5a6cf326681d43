//! Candidate main menus (PL3-5): every list of links a theme may use as its menu — `<nav>`,
//! `role=navigation`, `ul`/`ol` lists, and elements whose id or class names a menu
//! (`div#navigation ul.nav`, `.menu-bar ul`, a `td.menu` of a table layout). The menu judge
//! chooses among them; nothing here decides which one is the main menu.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};
use url::Url;

use super::regions::{Found, describe};
use super::{ANCHOR, IMAGE, normalise, resolve, sel, text_of};
use crate::observation::{Menu, MenuLink};

/// Most candidates kept per page, and links kept per candidate.
const MAX_MENUS: usize = 30;
const MAX_MENU_LINKS: usize = 80;

static CANDIDATE: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        "nav, [role=navigation], ul, ol, [id*=menu], [class*=menu], [id*=nav], [class*=nav], \
         [id*=Menu], [class*=Menu], [id*=Nav], [class*=Nav]",
    )
});

fn is_list(e: ElementRef<'_>) -> bool {
    matches!(e.value().name(), "ul" | "ol")
}

/// Lists between `link` and `outer` (exclusive).
fn lists_between(link: ElementRef<'_>, outer: ElementRef<'_>) -> usize {
    link.ancestors()
        .take_while(|a| a.id() != outer.id())
        .filter_map(ElementRef::wrap)
        .filter(|a| is_list(*a))
        .count()
}

fn menu_links(el: ElementRef<'_>, base: &Url) -> Vec<MenuLink> {
    let own_list = usize::from(!is_list(el));
    el.select(&ANCHOR)
        .filter_map(|a| {
            let href = resolve(base, a.value().attr("href")?)?;
            let visible = text_of(a);
            let has_image = a.select(&IMAGE).next().is_some();
            // A link whose only text is its image's alt shows only an image (an emblem).
            let alts = normalise(
                &a.select(&IMAGE)
                    .filter_map(|i| i.value().attr("alt"))
                    .collect::<Vec<_>>()
                    .join(" "),
            );
            let image_only = has_image && (visible.is_empty() || visible == alts);
            let text = super::accessible_name(a);
            Some(MenuLink {
                href: href.to_string(),
                text,
                image_only,
                nested: lists_between(a, el) > own_list,
            })
        })
        .take(MAX_MENU_LINKS)
        .collect()
}

/// `tag#id` of the element, after its nearest identified ancestor when it has no id itself.
fn selector(el: ElementRef<'_>) -> String {
    let own = describe(el);
    if el.value().attr("id").is_some() {
        return own;
    }
    let anchor = el.ancestors().filter_map(ElementRef::wrap).find(|a| {
        !matches!(a.value().name(), "body" | "html")
            && (a.value().attr("id").is_some() || a.value().classes().next().is_some())
    });
    match anchor {
        Some(a) => format!("{} {own}", describe(a)),
        None => own,
    }
}

/// Candidate menus in document order, each once: a list nested in another list is a sub-menu
/// of it, and of a container and its list holding the same links the list is kept.
pub(super) fn candidates(
    body: ElementRef<'_>,
    header: Option<&Found<'_>>,
    base: &Url,
) -> Vec<Menu> {
    let anchors: Vec<_> = body.select(&ANCHOR).map(|a| a.id()).collect();
    let found: Vec<(ElementRef<'_>, Vec<MenuLink>)> = body
        .select(&CANDIDATE)
        .filter(|e| {
            !(is_list(*e)
                && e.ancestors()
                    .filter_map(ElementRef::wrap)
                    .any(|a| is_list(a)))
        })
        .filter(|e| !matches!(e.value().name(), "a" | "body" | "html"))
        .map(|e| (e, menu_links(e, base)))
        .filter(|(_, links)| links.len() >= 2)
        .collect();
    let mut out = Vec::new();
    for (i, (e, links)) in found.iter().enumerate() {
        let same_inside = found
            .iter()
            .enumerate()
            .any(|(j, (d, l))| j != i && l == links && d.ancestors().any(|a| a.id() == e.id()));
        if same_inside {
            continue;
        }
        let first = e.select(&ANCHOR).next().map(|a| a.id());
        out.push(Menu {
            selector: selector(*e),
            in_header: header.is_some_and(|h| h.holds(*e)),
            links_before: first
                .and_then(|f| anchors.iter().position(|x| *x == f))
                .and_then(|p| u32::try_from(p).ok())
                .unwrap_or(u32::MAX),
            links: links.clone(),
        });
        if out.len() >= MAX_MENUS {
            break;
        }
    }
    out
}

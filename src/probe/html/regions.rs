//! Page regions (PL3-1) on real vendor markup: header, main content and footer found by
//! landmark element, then ARIA role, then the id/class conventions of Liferay/OpenCPS, DNN and
//! `WordPress` themes, then position among the top-level blocks of the body's main wrapper.
//! Each region records the rule that found it.

use std::sync::LazyLock;

use scraper::{ElementRef, Selector};
use url::Url;

use super::{IMAGE, is_hidden, links_in, normalise, resolve, sel, text_of};
use crate::observation::{FoundBy, Image, Region};

/// Header conventions, most specific first.
const HEADER_CONVENTIONS: &[&str] = &[
    "#banner",
    "#header",
    ".header-wrap",
    ".top-header",
    "#top-header",
    ".site-header",
    "#site-header",
    "#masthead",
    "#dnn_HeaderPane",
    "div.header",
    "div.banner",
];
/// Main-content conventions.
const MAIN_CONVENTIONS: &[&str] = &[
    "section#content",
    "div.main-content",
    "#main-content",
    "#main",
    "#content",
    ".main-content",
    "#primary",
    ".site-content",
    "#page-content",
    ".content-wrapper",
    "#dnn_ContentPane",
    "#columns",
    "div.content",
];
/// Footer conventions.
const FOOTER_CONVENTIONS: &[&str] = &[
    "div.footer",
    "#footer",
    ".footer-wrap",
    ".site-footer",
    "#site-footer",
    "#colophon",
    "#page-footer",
    ".bottom-footer",
    "#dnn_FooterPane",
    ".footer",
];
/// Wrappers the position rule looks inside (`div#wrapper` holding the whole page).
const WRAPPERS: &str = "#wrapper, #page, #container, .wrapper, #main-wrapper, .page-wrapper, \
                        #page-wrapper, #dnn_wrapper, #site-wrapper, #outer-wrapper, #body-wrapper";

/// Longest text kept next to an image.
const MAX_CONTEXT: usize = 300;
/// How far up the text next to an image is looked for (a logo is rarely deeper than this
/// below the block that names the agency), and how many images of a region are described:
/// both bound the work on pages with large image galleries.
const MAX_CONTEXT_LEVELS: usize = 8;
const MAX_IMAGES: usize = 100;

static HEADER_EL: LazyLock<Selector> = LazyLock::new(|| sel("header"));
static MAIN_EL: LazyLock<Selector> = LazyLock::new(|| sel("main"));
static FOOTER_EL: LazyLock<Selector> = LazyLock::new(|| sel("footer"));
static BANNER_ROLE: LazyLock<Selector> = LazyLock::new(|| sel("[role=banner]"));
static MAIN_ROLE: LazyLock<Selector> = LazyLock::new(|| sel("[role=main]"));
static FOOTER_ROLE: LazyLock<Selector> = LazyLock::new(|| sel("[role=contentinfo]"));
static WRAPPER: LazyLock<Selector> = LazyLock::new(|| sel(WRAPPERS));
static SVG_TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
/// Content containers: the main-content conventions and blog/news entries (`WordPress`
/// `.hentry`), whose own `<header>`/`<footer>` are not the page's.
static CONTENT: LazyLock<Selector> = LazyLock::new(|| {
    sel(&format!(
        "{}, .hentry, .post, .entry, .type-post, .news-item",
        MAIN_CONVENTIONS.join(", ")
    ))
});

/// A region located in the document: its element(s), the rule and the selector.
pub(super) struct Found<'a> {
    pub(super) els: Vec<ElementRef<'a>>,
    by: FoundBy,
    selector: String,
}

impl Found<'_> {
    /// Whether `el` is one of the region's elements or inside one.
    pub(super) fn holds(&self, el: ElementRef<'_>) -> bool {
        self.els.iter().any(|r| is_within(el, *r))
    }
}

/// The three parts of a page.
#[derive(Default)]
pub(super) struct Parts<'a> {
    pub(super) header: Option<Found<'a>>,
    pub(super) main: Option<Found<'a>>,
    pub(super) footer: Option<Found<'a>>,
}

fn is_within(el: ElementRef<'_>, outer: ElementRef<'_>) -> bool {
    el.id() == outer.id() || el.ancestors().any(|a| a.id() == outer.id())
}

fn overlaps(a: ElementRef<'_>, b: ElementRef<'_>) -> bool {
    is_within(a, b) || is_within(b, a)
}

/// `tag#id`, else `tag.class.class` (two classes at most).
pub(super) fn describe(el: ElementRef<'_>) -> String {
    let v = el.value();
    let mut s = v.name().to_string();
    if let Some(id) = v.attr("id").filter(|i| !i.trim().is_empty()) {
        s.push('#');
        s.push_str(id.trim());
    } else {
        for c in v.classes().take(2) {
            s.push('.');
            s.push_str(c);
        }
    }
    s
}

/// Whether an element is inside content that has its own header/footer (an article's header is
/// not the page's; neither is a post's `header.entry-header` inside `div#primary`).
fn in_content(el: ElementRef<'_>) -> bool {
    el.ancestors().filter_map(ElementRef::wrap).any(|a| {
        matches!(
            a.value().name(),
            "article" | "section" | "aside" | "nav" | "main"
        ) || CONTENT.matches(&a)
    })
}

fn hidden_somewhere(el: ElementRef<'_>) -> bool {
    is_hidden(el.value())
        || el
            .ancestors()
            .filter_map(ElementRef::wrap)
            .any(|a| is_hidden(a.value()))
}

fn one(el: ElementRef<'_>, by: FoundBy, selector: String) -> Found<'_> {
    Found {
        els: vec![el],
        by,
        selector,
    }
}

/// Landmark element, then ARIA role. Header and footer landmarks inside an article or section
/// belong to that content, not to the page.
fn by_landmark<'a>(
    body: ElementRef<'a>,
    element: &Selector,
    role: &Selector,
    page_level: bool,
) -> Option<Found<'a>> {
    let ok = |e: &ElementRef<'_>| !hidden_somewhere(*e) && (!page_level || !in_content(*e));
    if let Some(e) = body.select(element).find(ok) {
        return Some(one(e, FoundBy::Landmark, e.value().name().to_string()));
    }
    body.select(role).find(|e| !hidden_somewhere(*e)).map(|e| {
        let r = e.value().attr("role").unwrap_or_default();
        one(e, FoundBy::Role, format!("[role={r}]"))
    })
}

/// The first (or last) element matching a convention that is not inside content and does not
/// overlap a part already found.
fn by_convention<'a>(
    body: ElementRef<'a>,
    conventions: &[&str],
    last: bool,
    taken: &[&Found<'a>],
) -> Option<Found<'a>> {
    for c in conventions {
        let s = sel(c);
        let ok = |e: &ElementRef<'a>| {
            !hidden_somewhere(*e)
                && !in_content(*e)
                && !taken.iter().any(|f| f.els.iter().any(|t| overlaps(*e, *t)))
        };
        let hit = if last {
            body.select(&s).filter(ok).last()
        } else {
            body.select(&s).find(ok)
        };
        if let Some(e) = hit {
            return Some(one(e, FoundBy::Convention, (*c).to_string()));
        }
    }
    None
}

/// Whether a top-level child is a block a visitor sees (not a script, a hidden input, a skip
/// link or an empty placeholder).
fn is_block(e: ElementRef<'_>) -> bool {
    let v = e.value();
    if is_hidden(v)
        || matches!(
            v.name(),
            "link" | "meta" | "br" | "hr" | "input" | "a" | "span" | "iframe" | "img"
        )
    {
        return false;
    }
    !text_of(e).is_empty() || e.select(&IMAGE).next().is_some()
}

/// The top-level blocks of the body's main wrapper: the body's blocks, descending through a
/// single block (a `<form>`, a layout `<table>`) or a wrapper convention (`div#wrapper`) as long
/// as no part already found lies outside it.
fn top_blocks<'a>(body: ElementRef<'a>, found: &[&Found<'a>]) -> (Vec<ElementRef<'a>>, String) {
    let mut parent = body;
    let mut path = "body".to_string();
    loop {
        let blocks: Vec<ElementRef<'a>> = parent
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| is_block(*e))
            .collect();
        let inner = if blocks.len() == 1 {
            Some(blocks[0])
        } else {
            blocks.iter().copied().find(|b| WRAPPER.matches(b))
        };
        let Some(inner) = inner.filter(|i| {
            found
                .iter()
                .all(|f| f.els.iter().all(|e| is_within(*e, *i) || is_within(*i, *e)))
        }) else {
            return (blocks, path);
        };
        if found.iter().any(|f| f.els.contains(&inner)) {
            return (blocks, path);
        }
        path = format!("{path} > {}", describe(inner));
        parent = inner;
    }
}

/// Finds header, main and footer by landmark, role, convention, then position.
pub(super) fn find(body: ElementRef<'_>) -> Parts<'_> {
    let mut p = Parts {
        header: by_landmark(body, &HEADER_EL, &BANNER_ROLE, true),
        main: by_landmark(body, &MAIN_EL, &MAIN_ROLE, false),
        footer: by_landmark(body, &FOOTER_EL, &FOOTER_ROLE, true),
    };
    if p.header.is_none() {
        let taken: Vec<&Found<'_>> = p.main.iter().chain(&p.footer).collect();
        p.header = by_convention(body, HEADER_CONVENTIONS, false, &taken);
    }
    if p.footer.is_none() {
        let taken: Vec<&Found<'_>> = p.header.iter().chain(&p.main).collect();
        p.footer = by_convention(body, FOOTER_CONVENTIONS, true, &taken);
    }
    if p.main.is_none() {
        let taken: Vec<&Found<'_>> = p.header.iter().chain(&p.footer).collect();
        p.main = by_convention(body, MAIN_CONVENTIONS, false, &taken);
    }
    by_position(body, &mut p);
    p
}

/// PL3-1 where rules above found nothing: the first block before the main content is the
/// header, the last block after it the footer, the blocks between header and footer the main
/// content.
fn by_position<'a>(body: ElementRef<'a>, p: &mut Parts<'a>) {
    if p.header.is_some() && p.main.is_some() && p.footer.is_some() {
        return;
    }
    let found: Vec<&Found<'a>> = p.header.iter().chain(&p.main).chain(&p.footer).collect();
    let (blocks, path) = top_blocks(body, &found);
    let index = |f: &Option<Found<'a>>| {
        let f = f.as_ref()?;
        blocks
            .iter()
            .position(|b| f.els.iter().any(|e| overlaps(*e, *b)))
    };
    let n = blocks.len();
    let free = |i: usize, p: &Parts<'a>| {
        [&p.header, &p.main, &p.footer]
            .into_iter()
            .flatten()
            .all(|f| f.els.iter().all(|e| !overlaps(*e, blocks[i])))
    };
    let at = |i: usize, by: FoundBy| {
        let b = blocks[i];
        one(b, by, format!("{path} > {}", describe(b)))
    };
    if p.header.is_none() && n >= 3 && free(0, p) && index(&p.main).is_none_or(|m| m > 0) {
        p.header = Some(at(0, FoundBy::FirstBlock));
    }
    if p.footer.is_none()
        && n >= 3
        && free(n - 1, p)
        && index(&p.main).is_none_or(|m| m < n - 1)
        && index(&p.header).is_none_or(|h| h < n - 1)
    {
        p.footer = Some(at(n - 1, FoundBy::LastBlock));
    }
    if p.main.is_none()
        && let (Some(h), Some(f)) = (index(&p.header), index(&p.footer))
        && f > h + 1
    {
        let els: Vec<ElementRef<'a>> = (h + 1..f)
            .filter(|i| free(*i, p))
            .map(|i| blocks[i])
            .collect();
        if !els.is_empty() {
            let selector = format!(
                "{path} > {}",
                els.iter()
                    .map(|e| describe(*e))
                    .collect::<Vec<_>>()
                    .join(" + ")
            );
            p.main = Some(Found {
                els,
                by: FoundBy::MiddleBlocks,
                selector,
            });
        }
    }
}

fn dimension(v: Option<&str>) -> Option<u32> {
    let v = v?.trim().trim_end_matches("px").trim();
    // `80`, `80px`, `80.0`: whole pixels are enough to tell an icon from an emblem.
    let whole = v.split('.').next().unwrap_or(v);
    whole.parse::<u32>().ok()
}

/// The text next to an image: that of its nearest ancestor (within the region) with text
/// besides the image's own alternative text.
fn context(img: ElementRef<'_>, root: ElementRef<'_>, alt: &str) -> String {
    for a in img
        .ancestors()
        .filter_map(ElementRef::wrap)
        .take(MAX_CONTEXT_LEVELS)
    {
        let t = text_of(a);
        let own = t.replacen(alt, "", 1);
        if !own.trim().is_empty() {
            return super::cap(normalise(&own), MAX_CONTEXT);
        }
        if a.id() == root.id() {
            break;
        }
    }
    String::new()
}

fn image_facts(el: ElementRef<'_>, base: &Url) -> Vec<Image> {
    el.select(&IMAGE)
        .filter(|i| !hidden_somewhere(*i))
        .take(MAX_IMAGES)
        .map(|i| {
            let v = i.value();
            let svg_title = (v.name() == "svg")
                .then(|| i.select(&SVG_TITLE).next().map(text_of))
                .flatten();
            let alt = normalise(
                &[
                    v.attr("alt"),
                    svg_title.as_deref(),
                    v.attr("aria-label"),
                    v.attr("title"),
                    v.attr("class"),
                    v.attr("id"),
                ]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" "),
            );
            let shown = normalise(v.attr("alt").or(svg_title.as_deref()).unwrap_or(""));
            Image {
                src: match v.name() {
                    "svg" => "svg".to_string(),
                    _ => v
                        .attr("src")
                        .and_then(|s| resolve(base, s))
                        .map_or_else(|| "img".to_string(), |u| u.to_string()),
                },
                alt,
                width: dimension(v.attr("width")),
                height: dimension(v.attr("height")),
                context: context(i, el, &shown),
            }
        })
        .collect()
}

fn region_of_one(el: ElementRef<'_>, found_by: FoundBy, selector: &str, base: &Url) -> Region {
    let image_facts = image_facts(el, base);
    Region {
        found_by,
        text: text_of(el),
        links: links_in(el, base),
        images: image_facts.iter().map(|i| i.src.clone()).collect(),
        selector: Some(selector.to_string()),
        image_facts: Some(image_facts),
    }
}

/// The observed region of a located part.
pub(super) fn region(f: &Found<'_>, base: &Url) -> Region {
    let parts: Vec<Region> = f
        .els
        .iter()
        .map(|e| region_of_one(*e, f.by, &f.selector, base))
        .collect();
    if parts.len() == 1 {
        return parts.into_iter().next().expect("one part");
    }
    Region {
        found_by: f.by,
        text: parts
            .iter()
            .map(|r| r.text.as_str())
            .filter(|t| !t.is_empty())
            .collect::<Vec<_>>()
            .join(" "),
        links: parts.iter().flat_map(|r| r.links.clone()).collect(),
        images: parts.iter().flat_map(|r| r.images.clone()).collect(),
        selector: Some(f.selector.clone()),
        image_facts: Some(
            parts
                .into_iter()
                .flat_map(|r| r.image_facts.unwrap_or_default())
                .collect(),
        ),
    }
}

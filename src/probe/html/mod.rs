//! HTML fact extraction with a real parser (html5ever through `scraper`): regions, menus,
//! links, labels, text, e-mails and EMC snippets. Pure; called by the HTTP probe once per page.
//! Every text is composed to NFC ([`normalise`]) before it is stored.

pub mod charset;
pub mod emc;
#[cfg(test)]
pub mod fixtures;
mod menus;
mod policies;
mod regions;

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use crate::observation::{Field, Form, FormInput, HtmlFacts, Link, Resource};

/// Longest body text kept per page.
const MAX_TEXT: usize = 200_000;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static HTML: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static ANCHOR: LazyLock<Selector> = LazyLock::new(|| sel("a[href]"));
static IMAGE: LazyLock<Selector> = LazyLock::new(|| sel("img, svg"));
static LABEL: LazyLock<Selector> = LazyLock::new(|| {
    sel("h1, h2, h3, h4, h5, h6, dt, th, label, strong, b, legend, caption, summary")
});
static SCRIPT: LazyLock<Selector> = LazyLock::new(|| sel("script"));
static DT: LazyLock<Selector> = LazyLock::new(|| sel("dt"));
static TR: LazyLock<Selector> = LazyLock::new(|| sel("tr"));
static FORM: LazyLock<Selector> = LazyLock::new(|| sel("form"));
static RESOURCE: LazyLock<Selector> = LazyLock::new(|| {
    sel(
        "script[src], link[href], img[src], iframe[src], audio[src], video[src], source[src], embed[src], object[data]",
    )
});
static INPUT: LazyLock<Selector> = LazyLock::new(|| sel("input, select, textarea, button"));
static OPTION: LazyLock<Selector> = LazyLock::new(|| sel("option"));
/// Most label/value pairs kept per page, and the longest value kept.
const MAX_FIELDS: usize = 200;
const MAX_FIELD_VALUE: usize = 2_000;
static EMAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}").expect("static regex")
});
/// Elements whose text a visitor does not see.
fn is_hidden(e: &scraper::node::Element) -> bool {
    matches!(
        e.name(),
        "script" | "style" | "noscript" | "template" | "head"
    ) || e.attr("hidden").is_some()
        || (e.name() == "input"
            && e.attr("type")
                .is_some_and(|t| t.eq_ignore_ascii_case("hidden")))
        || e.attr("style").is_some_and(|st| {
            let st = st.to_ascii_lowercase().replace(' ', "");
            st.contains("display:none") || st.contains("visibility:hidden")
        })
        || e.classes().any(|c| {
            matches!(
                c,
                "sr-only"
                    | "visually-hidden"
                    | "screen-reader-text"
                    | "hide-accessible"
                    | "element-invisible"
                    | "hidden"
            )
        })
}

/// Collapses whitespace and composes the text to NFC (decomposed Vietnamese arrives too).
pub fn normalise(s: &str) -> String {
    crate::unicode::nfc(&s.split_whitespace().collect::<Vec<_>>().join(" "))
}

fn visible_text(el: ElementRef<'_>, out: &mut String) {
    for child in el.children() {
        match child.value() {
            Node::Text(t) => {
                out.push_str(t);
                out.push(' ');
            }
            Node::Element(e) if !is_hidden(e) => {
                if let Some(c) = ElementRef::wrap(child) {
                    if e.name() == "img"
                        && let Some(alt) = e.attr("alt")
                    {
                        out.push_str(alt);
                        out.push(' ');
                    }
                    visible_text(c, out);
                }
            }
            _ => {}
        }
        if out.len() > MAX_TEXT {
            return;
        }
    }
}

pub(super) fn text_of(el: ElementRef<'_>) -> String {
    let mut s = String::new();
    visible_text(el, &mut s);
    let mut n = normalise(&s);
    if n.len() > MAX_TEXT {
        let mut cut = MAX_TEXT;
        while !n.is_char_boundary(cut) {
            cut -= 1;
        }
        n.truncate(cut);
    }
    n
}

pub(super) fn resolve(base: &Url, href: &str) -> Option<Url> {
    let href = href.trim();
    let lower = href.to_ascii_lowercase();
    if href.is_empty()
        || lower.starts_with("javascript:")
        || lower.starts_with("mailto:")
        || lower.starts_with("tel:")
        || lower.starts_with("data:")
    {
        return None;
    }
    let mut u = base.join(href).ok()?;
    u.set_fragment(None);
    matches!(u.scheme(), "http" | "https").then_some(u)
}

/// What a link says to a visitor or a screen reader: its visible text, else `aria-label`, else
/// `title`, else its text hidden for sight only (`<span class="sr-only">Trang chủ</span>`
/// beside an icon), else an SVG `<title>`.
pub(crate) fn accessible_name(a: ElementRef<'_>) -> String {
    let visible = text_of(a);
    if !visible.is_empty() {
        return visible;
    }
    let v = a.value();
    if let Some(label) = v.attr("aria-label").or(v.attr("title")) {
        let label = normalise(label);
        if !label.is_empty() {
            return label;
        }
    }
    // Every text node, hidden-for-sight ones included (scripts and styles aside).
    let mut all = String::new();
    for node in a.descendants() {
        if let Node::Text(t) = node.value() {
            let in_code = node.ancestors().any(|p| {
                p.value()
                    .as_element()
                    .is_some_and(|e| matches!(e.name(), "script" | "style" | "template"))
            });
            if !in_code {
                all.push_str(t);
                all.push(' ');
            }
        }
    }
    normalise(&all)
}

fn links_in(el: ElementRef<'_>, base: &Url) -> Vec<Link> {
    el.select(&ANCHOR)
        .filter_map(|a| {
            let href = resolve(base, a.value().attr("href")?)?;
            let text = accessible_name(a);
            Some(Link {
                href: href.to_string(),
                text,
            })
        })
        .collect()
}

/// Extracts the facts judges need from an HTML document fetched from `url`.
pub fn extract(body: &str, url: &Url) -> HtmlFacts {
    let doc = Html::parse_document(body);
    let title = doc
        .select(&TITLE)
        .next()
        .map(|t| normalise(&t.text().collect::<String>()));
    let lang = doc
        .select(&HTML)
        .next()
        .and_then(|h| h.value().attr("lang"))
        .map(str::to_string);
    let meta_charset = doc.select(&META).find_map(|m| {
        let v = m.value();
        if let Some(c) = v.attr("charset") {
            return Some(c.trim().to_string());
        }
        let equiv = v.attr("http-equiv")?;
        if !equiv.eq_ignore_ascii_case("content-type") {
            return None;
        }
        let content = v.attr("content")?.to_ascii_lowercase();
        content
            .split("charset=")
            .nth(1)
            .map(|c| c.trim().to_string())
    });
    let mut facts = HtmlFacts {
        title,
        lang,
        meta_charset,
        emc: emc::inline(&doc),
        policies: Some(policies::extract(&doc)),
        ..HtmlFacts::default()
    };
    let Some(body_el) = doc.select(&BODY).next() else {
        return facts;
    };
    let parts = regions::find(body_el);
    facts.header = parts.header.as_ref().map(|f| regions::region(f, url));
    facts.main = parts.main.as_ref().map(|f| regions::region(f, url));
    facts.footer = parts.footer.as_ref().map(|f| regions::region(f, url));
    facts.menus = Some(menus::candidates(body_el, parts.header.as_ref(), url));
    let mut seen = std::collections::HashSet::new();
    facts.links = links_in(body_el, url)
        .into_iter()
        .filter(|l| seen.insert((l.href.clone(), l.text.clone())))
        .collect();
    facts.labels = doc
        .select(&LABEL)
        .map(text_of)
        .filter(|t| !t.is_empty() && t.len() < 200)
        .collect();
    facts.text = text_of(body_el);
    let mut emails: Vec<String> = EMAIL
        .find_iter(&facts.text)
        .map(|m| m.as_str().to_string())
        .collect();
    for a in body_el.select(&ANCHOR) {
        if let Some(rest) = a
            .value()
            .attr("href")
            .and_then(|h| h.strip_prefix("mailto:"))
        {
            let addr = normalise(rest.split('?').next().unwrap_or(""));
            if !addr.is_empty() {
                emails.push(addr);
            }
        }
    }
    emails.sort();
    emails.dedup();
    facts.emails = emails;
    facts.fields = fields(&doc);
    facts.forms = doc.select(&FORM).map(|f| form(f, url)).collect();
    facts.resources = resources(&doc, url);
    facts.rows = super::rows::extract(&doc, url);
    facts
}

/// Sub-resources: what a browser would load for the markup alone (SEC-10).
fn resources(doc: &Html, base: &Url) -> Vec<Resource> {
    let mut out = Vec::new();
    for e in doc.select(&RESOURCE) {
        let v = e.value();
        let (kind, attr) = match v.name() {
            "script" => ("script", "src"),
            "link" => {
                let rel = v.attr("rel").unwrap_or("").to_ascii_lowercase();
                if !rel
                    .split_whitespace()
                    .any(|r| matches!(r, "stylesheet" | "preload" | "modulepreload" | "icon"))
                {
                    continue;
                }
                ("stylesheet", "href")
            }
            "img" => ("img", "src"),
            "iframe" => ("iframe", "src"),
            "object" => ("media", "data"),
            _ => ("media", "src"),
        };
        let Some(u) = v.attr(attr).and_then(|h| resolve(base, h)) else {
            continue;
        };
        out.push(Resource {
            kind: kind.into(),
            url: u.to_string(),
            integrity: v.attr("integrity").is_some_and(|i| !i.trim().is_empty()),
        });
        if out.len() >= 500 {
            break;
        }
    }
    out
}

fn cap(mut s: String, n: usize) -> String {
    if s.len() > n {
        let mut cut = n;
        while !s.is_char_boundary(cut) {
            cut -= 1;
        }
        s.truncate(cut);
    }
    s
}

/// Label/value pairs: each `<dt>` with the `<dd>`s after it, and each table row whose first
/// cell is a `<th>` followed by a `<td>`.
fn fields(doc: &Html) -> Vec<Field> {
    let mut out = Vec::new();
    for dt in doc.select(&DT) {
        let mut value = String::new();
        for sib in dt.next_siblings().filter_map(ElementRef::wrap) {
            match sib.value().name() {
                "dd" => {
                    value.push_str(&text_of(sib));
                    value.push(' ');
                }
                _ => break,
            }
        }
        out.push(Field {
            label: text_of(dt),
            value: cap(normalise(&value), MAX_FIELD_VALUE),
        });
    }
    for tr in doc.select(&TR) {
        let cells: Vec<ElementRef<'_>> = tr.children().filter_map(ElementRef::wrap).collect();
        if let [th, td, ..] = cells.as_slice()
            && th.value().name() == "th"
            && td.value().name() == "td"
        {
            out.push(Field {
                label: text_of(*th),
                value: cap(text_of(*td), MAX_FIELD_VALUE),
            });
        }
    }
    out.retain(|f| !f.label.is_empty());
    out.truncate(MAX_FIELDS);
    out
}

fn form(f: ElementRef<'_>, base: &Url) -> Form {
    let v = f.value();
    Form {
        action: v
            .attr("action")
            .and_then(|a| resolve(base, a))
            .map_or_else(|| base.to_string(), |u| u.to_string()),
        method: v.attr("method").unwrap_or("get").to_ascii_lowercase(),
        inputs: f
            .select(&INPUT)
            .map(|i| FormInput {
                kind: match i.value().name() {
                    "input" => i
                        .value()
                        .attr("type")
                        .unwrap_or("text")
                        .to_ascii_lowercase(),
                    // A `<button>` submits unless it says otherwise.
                    "button" => i
                        .value()
                        .attr("type")
                        .unwrap_or("submit")
                        .to_ascii_lowercase(),
                    other => other.to_string(),
                },
                name: i.value().attr("name").map(str::to_string),
                options: if i.value().name() == "select" {
                    i.select(&OPTION)
                        .take(200)
                        .map(|o| {
                            normalise(
                                &o.value()
                                    .attr("value")
                                    .map_or_else(|| o.text().collect::<String>(), str::to_string),
                            )
                        })
                        .collect()
                } else {
                    Vec::new()
                },
            })
            .collect(),
    }
}

#[cfg(test)]
mod tests;

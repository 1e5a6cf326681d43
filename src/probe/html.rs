//! HTML fact extraction with a real parser (html5ever through `scraper`): regions, links,
//! labels, text, e-mails and EMC snippets. Pure; called by the HTTP probe once per page.

use std::sync::LazyLock;

use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};
use url::Url;

use crate::observation::{
    EmcSnippet, Field, Form, FormInput, FoundBy, HtmlFacts, Link, Region, Resource,
};

/// Longest body text kept per page.
const MAX_TEXT: usize = 200_000;

fn sel(s: &str) -> Selector {
    Selector::parse(s).expect("static selector")
}

static TITLE: LazyLock<Selector> = LazyLock::new(|| sel("title"));
static HTML: LazyLock<Selector> = LazyLock::new(|| sel("html"));
static META: LazyLock<Selector> = LazyLock::new(|| sel("meta"));
static BODY: LazyLock<Selector> = LazyLock::new(|| sel("body"));
static HEADER: LazyLock<Selector> = LazyLock::new(|| sel("header, [role=banner]"));
static MAIN: LazyLock<Selector> = LazyLock::new(|| sel("main, [role=main]"));
static FOOTER: LazyLock<Selector> = LazyLock::new(|| sel("footer, [role=contentinfo]"));
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
static PUSH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"([A-Za-z_$][\w$]*)\.push\(\s*\[\s*['"](\w+)['"]\s*(?:,\s*['"]?([^'"\],]*)['"]?)?"#,
    )
    .expect("static regex")
});
static SCRIPT_SRC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.src\s*=\s*['"]([^'"]+)['"]"#).expect("static regex"));

/// Elements whose text a visitor does not see.
fn is_hidden(e: &scraper::node::Element) -> bool {
    matches!(
        e.name(),
        "script" | "style" | "noscript" | "template" | "head"
    ) || e.attr("hidden").is_some()
        || e.classes()
            .any(|c| matches!(c, "sr-only" | "visually-hidden" | "screen-reader-text"))
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

fn links_in(el: ElementRef<'_>, base: &Url) -> Vec<Link> {
    el.select(&ANCHOR)
        .filter_map(|a| {
            let href = resolve(base, a.value().attr("href")?)?;
            let mut text = text_of(a);
            if text.is_empty() {
                text = normalise(
                    a.value()
                        .attr("aria-label")
                        .or(a.value().attr("title"))
                        .unwrap_or(""),
                );
            }
            Some(Link {
                href: href.to_string(),
                text,
            })
        })
        .collect()
}

fn region(el: ElementRef<'_>, found_by: FoundBy, base: &Url) -> Region {
    Region {
        found_by,
        text: text_of(el),
        links: links_in(el, base),
        images: el
            .select(&IMAGE)
            .map(|i| match i.value().name() {
                "svg" => "svg".to_string(),
                _ => i
                    .value()
                    .attr("src")
                    .and_then(|s| resolve(base, s))
                    .map_or_else(|| "img".to_string(), |u| u.to_string()),
            })
            .collect(),
    }
}

/// Whether a landmark element is the page's own (not an `<article>`'s or `<section>`'s header).
fn is_page_level(el: ElementRef<'_>) -> bool {
    if el.value().attr("role").is_some() {
        return true;
    }
    !el.ancestors().any(|a| {
        a.value()
            .as_element()
            .is_some_and(|e| matches!(e.name(), "article" | "section" | "aside" | "nav" | "main"))
    })
}

/// The top-level content blocks: body's element children, descending through single wrappers.
fn top_blocks(body: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let mut parent = body;
    loop {
        let blocks: Vec<ElementRef<'_>> = parent
            .children()
            .filter_map(ElementRef::wrap)
            .filter(|e| {
                !is_hidden(e.value()) && !matches!(e.value().name(), "link" | "meta" | "br")
            })
            .collect();
        if blocks.len() == 1 {
            parent = blocks[0];
        } else {
            return blocks;
        }
    }
}

fn emc_snippets(doc: &Html) -> Vec<EmcSnippet> {
    doc.select(&SCRIPT)
        .filter(|s| s.value().attr("src").is_none())
        .filter_map(|s| {
            let code: String = s.text().collect();
            if !code.contains("setTrackerUrl") && !code.contains("setSiteId") {
                return None;
            }
            let mut snip = EmcSnippet {
                queues: Vec::new(),
                tracker_url: None,
                site_id: None,
                script_url: SCRIPT_SRC.captures(&code).map(|c| c[1].to_string()),
                service_code: None,
            };
            for c in PUSH.captures_iter(&code) {
                let queue = c[1].to_string();
                if !snip.queues.contains(&queue) {
                    snip.queues.push(queue);
                }
                let arg = c
                    .get(3)
                    .map(|m| m.as_str().trim().to_string())
                    .filter(|s| !s.is_empty());
                match &c[2] {
                    "setTrackerUrl" => snip.tracker_url = arg,
                    "setSiteId" => snip.site_id = arg,
                    "trackDVC" => snip.service_code = arg,
                    _ => {}
                }
            }
            Some(snip)
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
        emc: emc_snippets(&doc),
        ..HtmlFacts::default()
    };
    let Some(body_el) = doc.select(&BODY).next() else {
        return facts;
    };
    let landmark = |s: &Selector| doc.select(s).find(|e| is_page_level(*e));
    let header = landmark(&HEADER);
    let main = doc.select(&MAIN).next();
    let footer = landmark(&FOOTER);
    if header.is_some() || main.is_some() || footer.is_some() {
        facts.header = header.map(|e| region(e, FoundBy::Landmark, url));
        facts.main = main.map(|e| region(e, FoundBy::Landmark, url));
        facts.footer = footer.map(|e| region(e, FoundBy::Landmark, url));
    } else {
        // PL3-1 on pages without landmarks: first and last top-level blocks.
        let blocks = top_blocks(body_el);
        if blocks.len() >= 3 {
            facts.header = Some(region(blocks[0], FoundBy::FirstBlock, url));
            facts.footer = Some(region(blocks[blocks.len() - 1], FoundBy::LastBlock, url));
            let middle: Vec<Region> = blocks[1..blocks.len() - 1]
                .iter()
                .map(|b| region(*b, FoundBy::MiddleBlocks, url))
                .collect();
            facts.main = Some(Region {
                found_by: FoundBy::MiddleBlocks,
                text: middle
                    .iter()
                    .map(|r| r.text.as_str())
                    .collect::<Vec<_>>()
                    .join(" "),
                links: middle.iter().flat_map(|r| r.links.clone()).collect(),
                images: middle.iter().flat_map(|r| r.images.clone()).collect(),
            });
        }
    }
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
            let addr = rest.split('?').next().unwrap_or("").trim().to_string();
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
                            o.value().attr("value").map_or_else(
                                || normalise(&o.text().collect::<String>()),
                                str::to_string,
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
mod tests {
    use super::*;

    fn url() -> Url {
        Url::parse("https://dvc.example.gov.vn/a/").unwrap()
    }

    #[test]
    fn landmarks_are_found_and_active_marker_ignored() {
        let page = |active: &str| {
            format!(
                "<html lang=vi><head><meta charset=utf-8><title>T</title></head><body>\
                 <header><img src=/logo.png alt='Quốc huy'><nav><a href=/ {active}>Trang chủ<span class=sr-only>(hiện tại)</span></a>\
                 <a href='/thu-tuc/#x'>Dịch vụ công</a></nav></header><main><h2>Tên thủ tục</h2></main>\
                 <footer>© Bản quyền <a href='mailto:lienhe@mau.gov.vn'>Email</a></footer></body></html>"
            )
        };
        let a = extract(&page("class=active aria-current=page"), &url());
        let b = extract(&page(""), &url());
        assert_eq!(a.header, b.header);
        let h = a.header.unwrap();
        assert_eq!(h.found_by, FoundBy::Landmark);
        assert_eq!(h.text, "Quốc huy Trang chủ Dịch vụ công");
        assert_eq!(h.links[1].href, "https://dvc.example.gov.vn/thu-tuc/");
        assert_eq!(a.meta_charset.as_deref(), Some("utf-8"));
        assert_eq!(a.emails, vec!["lienhe@mau.gov.vn"]);
        assert!(a.labels.contains(&"Tên thủ tục".to_string()));
    }

    #[test]
    fn blocks_stand_in_for_missing_landmarks() {
        let f = extract(
            "<body><div><div id=top>Đầu trang</div><div>Nội dung</div><div id=bottom>Chân trang</div></div></body>",
            &url(),
        );
        assert_eq!(f.header.unwrap().found_by, FoundBy::FirstBlock);
        assert_eq!(f.footer.unwrap().text, "Chân trang");
        assert_eq!(f.main.unwrap().text, "Nội dung");
    }

    #[test]
    fn missing_header_landmark_is_not_papered_over() {
        let f = extract("<body><main>x</main><footer>y</footer></body>", &url());
        assert!(f.header.is_none());
        assert!(f.footer.is_some());
    }

    #[test]
    fn emc_snippet_is_parsed() {
        let body = r"<script>var _govaq = window._govaq || [];
            _govaq.push(['trackPageView']);
            _govaq.push(['setTrackerUrl', 'https://f-emc.ngsp.gov.vn/tracking']);
            _govaq.push(['setSiteId', '1234']);
            _govaq.push(['trackDVC', '1.001234']);
            g.src = 'https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js';</script>";
        let f = extract(body, &url());
        let s = &f.emc[0];
        assert_eq!(s.queues, vec!["_govaq"]);
        assert_eq!(
            s.tracker_url.as_deref(),
            Some("https://f-emc.ngsp.gov.vn/tracking")
        );
        assert_eq!(s.site_id.as_deref(), Some("1234"));
        assert_eq!(s.service_code.as_deref(), Some("1.001234"));
        assert_eq!(
            s.script_url.as_deref(),
            Some("https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js")
        );
    }

    #[test]
    fn script_in_title_is_kept_as_text() {
        let f = extract("<title><script>alert(1)</script></title>", &url());
        assert_eq!(f.title.as_deref(), Some("<script>alert(1)</script>"));
    }
}

//! The policies a page's markup declares, read the way MDN HTTP Observatory reads them: every
//! `<meta http-equiv="content-security-policy">` with a `content`, the last
//! `<meta name="referrer">` (only when the element has no `http-equiv` with a `content`), and
//! the `<script>` elements (their `src` and `integrity` as written).

use std::sync::LazyLock;

use scraper::{Html, Selector};

use crate::observation::{MetaPolicies, ScriptTag};

static META: LazyLock<Selector> = LazyLock::new(|| Selector::parse("meta").expect("static"));
static SCRIPT: LazyLock<Selector> = LazyLock::new(|| Selector::parse("script").expect("static"));

/// At most this many `<script src>` elements are kept.
const MAX_SCRIPTS: usize = 500;

/// The markup's policies.
pub fn extract(doc: &Html) -> MetaPolicies {
    let mut out = MetaPolicies::default();
    for m in doc.select(&META) {
        let v = m.value();
        if let (Some(equiv), Some(content)) = (v.attr("http-equiv"), v.attr("content")) {
            if equiv.trim().eq_ignore_ascii_case("content-security-policy") && !content.is_empty() {
                out.csp.push(content.to_string());
            }
            continue;
        }
        let referrer = v
            .attr("name")
            .is_some_and(|n| n.trim().eq_ignore_ascii_case("referrer"));
        if let (true, Some(c)) = (referrer, v.attr("content").filter(|c| !c.is_empty())) {
            out.referrer = Some(c.to_string());
        }
    }
    for s in doc.select(&SCRIPT) {
        out.script_elements = out.script_elements.saturating_add(1);
        let v = s.value();
        if let (Some(src), true) = (v.attr("src"), out.scripts.len() < MAX_SCRIPTS) {
            out.scripts.push(ScriptTag {
                src: src.trim().to_string(),
                integrity: v
                    .attr("integrity")
                    .filter(|i| !i.is_empty())
                    .map(str::to_string),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_policies_and_scripts_are_read_as_written() {
        let doc = Html::parse_document(
            r#"<html><head><meta http-equiv="Content-Security-Policy" content="default-src 'self'">
            <meta name="referrer" content="origin"><meta name="referrer" content="no-referrer">
            <meta http-equiv="refresh" content="5"></head><body>
            <script src="/a.js"></script><script src="//cdn.x/b.js" integrity="sha384-x"></script>
            <script>var a = 1;</script></body></html>"#,
        );
        let p = extract(&doc);
        assert_eq!(p.csp, ["default-src 'self'"]);
        assert_eq!(p.referrer.as_deref(), Some("no-referrer"));
        assert_eq!(p.script_elements, 3);
        assert_eq!(p.scripts.len(), 2);
        assert_eq!(p.scripts[1].src, "//cdn.x/b.js");
        assert_eq!(p.scripts[1].integrity.as_deref(), Some("sha384-x"));
        assert_eq!(p.scripts[0].integrity, None);
        let empty = extract(&Html::parse_document("<p>x</p>"));
        assert_eq!(empty, MetaPolicies::default());
    }
}

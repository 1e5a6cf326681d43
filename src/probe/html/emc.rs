//! EMC embed snippets (PL6-1, PL6-4) in JavaScript: the `_govaq.push([...])` calls of an inline
//! `<script>` or of a same-host script file.

use std::sync::LazyLock;

use regex::Regex;
use scraper::Html;

use super::{SCRIPT, normalise};
use crate::observation::EmcSnippet;

static PUSH: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"([A-Za-z_$][\w$]*)\.push\(\s*\[\s*['"](\w+)['"]\s*(?:,\s*['"]?([^'"\],]*)['"]?)?"#,
    )
    .expect("static regex")
});
static SCRIPT_SRC: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r#"\.src\s*=\s*['"]([^'"]+)['"]"#).expect("static regex"));

/// The EMC snippet in a piece of JavaScript, if it sets a tracker URL or a site id.
pub fn parse_js(code: &str, source: Option<&str>) -> Option<EmcSnippet> {
    if !code.contains("setTrackerUrl") && !code.contains("setSiteId") {
        return None;
    }
    let mut snip = EmcSnippet {
        queues: Vec::new(),
        tracker_url: None,
        site_id: None,
        script_url: SCRIPT_SRC.captures(code).map(|c| normalise(&c[1])),
        service_code: None,
        source: source.map(str::to_string),
    };
    for c in PUSH.captures_iter(code) {
        let queue = c[1].to_string();
        if !snip.queues.contains(&queue) {
            snip.queues.push(queue);
        }
        let arg = c
            .get(3)
            .map(|m| normalise(m.as_str()))
            .filter(|s| !s.is_empty());
        match &c[2] {
            "setTrackerUrl" => snip.tracker_url = arg,
            "setSiteId" => snip.site_id = arg,
            "trackDVC" => snip.service_code = arg,
            _ => {}
        }
    }
    Some(snip)
}

/// Snippets of the document's inline scripts.
pub(super) fn inline(doc: &Html) -> Vec<EmcSnippet> {
    doc.select(&SCRIPT)
        .filter(|s| s.value().attr("src").is_none())
        .filter_map(|s| parse_js(&s.text().collect::<String>(), None))
        .collect()
}

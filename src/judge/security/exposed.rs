//! Sensitive files and status pages served on the public host (`exposed-files`: the `leak`
//! family under SEC-7, the `console` family under SEC-8), judged by content so a soft 404
//! (every path answered 200 with the home or a not-found page) is never an exposure.

use regex::Regex;

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list};
use crate::observation::{Observations, Page, Role};
use crate::probe::exposure::{LIST, SensitivePath};
use crate::text::Text;

/// What an answer shows of an entry: the pattern it matched, or the content type it was
/// served with when its body was too large to keep.
fn matched(entry: &SensitivePath, p: &Page) -> Option<String> {
    let f = &p.fetch;
    if !f.status.is_some_and(|s| (200..300).contains(&s)) {
        return None;
    }
    let html_text = f
        .html
        .as_ref()
        .map(|h| format!("{}\n{}", h.title.as_deref().unwrap_or(""), h.text));
    let text = if entry.html {
        html_text.or_else(|| f.text.clone())
    } else {
        f.text.clone().or(html_text)
    };
    if let Some(text) = &text {
        return entry.content.iter().find_map(|c| {
            let re = Regex::new(c).ok()?;
            re.find(text).map(|m| {
                let shown: String = m
                    .as_str()
                    .chars()
                    .map(|c| if c.is_control() { '·' } else { c })
                    .take(40)
                    .collect();
                format!("\u{201c}{}\u{201d}", shown.trim())
            })
        });
    }
    let ct = f.header("content-type").unwrap_or("").to_ascii_lowercase();
    entry
        .types
        .iter()
        .find(|t| ct.starts_with(t.as_str()))
        .map(|t| format!("served as {t}, {} bytes", f.bytes))
}

/// `exposed-files`: none of the sensitive paths of `data/exposure.toml` whose family is in
/// `families` (all when empty) answers with its tell-tale content.
pub fn exposed_files(families: &[String], obs: &Observations) -> Outcome {
    let entries: Vec<&SensitivePath> = LIST
        .path
        .iter()
        .filter(|e| families.is_empty() || families.contains(&e.family))
        .collect();
    let paths: Vec<String> = entries.iter().map(|e| e.path.clone()).collect();
    let expected = Text::new(
        format!(
            "Các đường dẫn nhạy cảm không phục vụ nội dung thật: {}",
            list(&paths, 12)
        ),
        format!(
            "sensitive paths serve no real content: {}",
            list(&paths, 12)
        ),
    );
    let mut exposed = Vec::new();
    let mut exposed_vi = Vec::new();
    let mut unanswered = Vec::new();
    let mut evidence = Vec::new();
    let mut asked = 0;
    let mut soft = 0;
    let soft_title = obs
        .first_with_role(&Role::NotFoundProbe)
        .filter(|p| p.fetch.status.is_some_and(|s| (200..300).contains(&s)))
        .and_then(|p| p.fetch.html.as_ref())
        .and_then(|h| h.title.clone());
    for e in &entries {
        let Some(p) = super::exposure::exposure_page(obs, &e.id) else {
            continue;
        };
        asked += 1;
        if p.fetch.status.is_none() {
            let why = p.fetch.error.as_ref().map_or("?", |e| e.message.as_str());
            unanswered.push(format!(
                "{}: {}",
                e.path,
                why.chars().take(80).collect::<String>()
            ));
            continue;
        }
        let unread = p.fetch.truncated && p.fetch.text.is_none() && p.fetch.html.is_none();
        if let Some(m) = matched(e, p) {
            let status = p.fetch.status.unwrap_or(0);
            exposed.push(format!("{} ({}): HTTP {status}, {m}", e.path, e.what.en));
            exposed_vi.push(format!("{} ({}): HTTP {status}, {m}", e.path, e.what.vi));
            evidence.push(EvidenceRef::url(&e.path, &p.url));
        } else if unread && p.fetch.status.is_some_and(|s| (200..300).contains(&s)) {
            unanswered.push(format!(
                "{}: HTTP 200, body over the size cap ({} bytes read), not recognised",
                e.path, p.fetch.bytes
            ));
        } else if soft_title.is_some()
            && p.fetch.html.as_ref().and_then(|h| h.title.as_ref()) == soft_title.as_ref()
        {
            soft += 1;
        }
    }
    if asked == 0 {
        return Outcome::error(
            expected,
            Text::new(
                "Chưa thử các đường dẫn nhạy cảm (quan sát từ phiên bản cũ: chạy assess lại)",
                "the sensitive paths were not tried (older observations: assess again)",
            ),
        );
    }
    let soft_note = if soft > 0 {
        Text::new(
            format!("; {soft} trả về trang \u{201c}không tìm thấy\u{201d} với HTTP 200 (soft 404)"),
            format!("; {soft} answered the site's not-found page with HTTP 200 (soft 404)"),
        )
    } else {
        Text::default()
    };
    if !exposed.is_empty() {
        return Outcome::fail(
            expected,
            Text::new(list(&exposed_vi, 6), list(&exposed, 6)),
            Text::new(
                format!("Lộ {} tệp/trang nhạy cảm", exposed.len()),
                format!("{} sensitive files or pages exposed", exposed.len()),
            ),
        )
        .with_evidence(evidence);
    }
    if !unanswered.is_empty() {
        return Outcome::error(
            expected,
            Text::same(format!(
                "{} of {asked} paths unanswered: {}",
                unanswered.len(),
                list(&unanswered, 3)
            )),
        );
    }
    Outcome::pass(
        expected,
        Text::new(
            format!(
                "{asked} đường dẫn nhạy cảm đã thử, không lộ nội dung{}",
                soft_note.vi
            ),
            format!(
                "{asked} sensitive paths tried, none serves its content{}",
                soft_note.en
            ),
        ),
        Text::new("Không lộ tệp nhạy cảm", "no sensitive file exposed"),
    )
}

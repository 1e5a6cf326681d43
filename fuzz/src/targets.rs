//! What each fuzz target does with one input. Every function takes arbitrary bytes and must
//! never panic, hang or exhaust memory: errors are fine, they are how bad input is reported.
//! Shared by the libFuzzer binaries (`fuzz/fuzz_targets/`) and the main crate's corpus replay
//! test (`tests/it/fuzz_corpus.rs`), so what the fuzzers found stays tested on stable.

use std::path::Path;

use kiemdinh::checklist::Checklist;
use kiemdinh::input::Source;
use kiemdinh::probe::html;
use kiemdinh::scenario::Scenario;
use kiemdinh::text::Lang;

/// The file name problems are reported against. Paths written inside an input resolve beside
/// it, in the fuzzer's working directory, where no such files exist.
const INPUT_FILE: &str = "fuzz-input/input.toml";

/// Where the page of the `html` target was fetched from (links resolve against it).
const PAGE_URL: &str = "https://dvc.example.gov.vn/thu-tuc/chi-tiet?ma=1.001";

/// Inputs that name device or kernel files are skipped: a scenario's `ca-file` or a
/// checklist's `extends` may name any file, and `/dev/zero` or `/dev/stdin` would only test
/// the operating system (an evaluator who names them gets what they asked for).
fn names_system_files(text: &str) -> bool {
    ["/dev", "/proc", "/sys", "\\u", "\\U"]
        .iter()
        .any(|s| text.contains(s))
}

fn source(data: &[u8]) -> Option<Source> {
    let text = std::str::from_utf8(data).ok()?;
    if names_system_files(text) {
        return None;
    }
    Some(Source {
        path: INPUT_FILE.into(),
        text: text.to_string(),
    })
}

/// A checklist file: strict TOML, then validation (`extends`, amendments, thresholds); an
/// error's message is rendered too (lines and columns of every problem).
pub fn checklist(data: &[u8]) {
    let Some(src) = source(data) else { return };
    match Checklist::from_source(&src) {
        Ok(c) => {
            for r in &c.requirements {
                let _ = r.id.sort_key();
            }
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// A scenario file: strict TOML, then validation (URLs, globs, flows, load, overrides).
pub fn scenario(data: &[u8]) {
    let Some(src) = source(data) else { return };
    match Scenario::from_source(&src) {
        Ok(s) => {
            let _ = s.slug();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

/// A fetched page as the HTTP probe handles it: bytes decoded (charset from the header, BOM,
/// `<meta>` or sniffing), then the page facts extracted. An input starting with
/// `content-type:` gives that header in its first line.
pub fn html(data: &[u8]) {
    let (content_type, body) = match data.strip_prefix(b"content-type:") {
        Some(rest) => {
            let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
            let header = std::str::from_utf8(&rest[..end]).ok();
            (header, rest.get(end + 1..).unwrap_or_default())
        }
        None => (None, data),
    };
    let text = html::charset::decode(content_type, body);
    let url = url::Url::parse(PAGE_URL).expect("static URL");
    let facts = html::extract(&text, &url);
    let _ = serde_json::to_string(&facts).expect("page facts serialise");
}

/// `kiemdinh rejudge` without its files: an `evaluation.json` parsed and its observations
/// judged again, then rendered as JSON. Editions it names that are not shipped (paths) are
/// replaced by the default checklists, so the target reads no file.
pub fn rejudge(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let shipped_only = serde_json::from_str::<serde_json::Value>(text)
        .ok()
        .and_then(|v| {
            let list = v.get("checklists")?.as_array()?.clone();
            Some(list.iter().all(|c| {
                c.get("edition")
                    .and_then(serde_json::Value::as_str)
                    .is_some_and(|e| kiemdinh::checklist::SHIPPED.iter().any(|(id, _)| *id == e))
            }))
        })
        .unwrap_or(false);
    let defaults: Vec<String> = kiemdinh::checklist::DEFAULT
        .iter()
        .map(ToString::to_string)
        .collect();
    let checklists = if shipped_only { &[][..] } else { &defaults[..] };
    match kiemdinh::assess::rejudge_str(
        text,
        Path::new("evaluation.json"),
        checklists,
        &[],
        kiemdinh::evaluation::FailOn::default(),
    ) {
        Ok(evaluation) => {
            let _ = kiemdinh::report::json::render(&evaluation, Lang::Vi);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
}

//! MDN HTTP Observatory 1.4.8's CSP parser (`src/analyzer/cspParser.js`) and its
//! `content-security-policy` test (`src/analyzer/tests/csp.js`), ported line by line.
//! One difference: sources are sorted by code point where Observatory uses
//! `Intl.Collator("en")`; the order only decides which of two sources of one policy, one a
//! prefix of the other, is dropped as superfluous, and no source the test looks for
//! (`'unsafe-inline'`, `data:`, `*`, `http:`, …) is affected.

use std::collections::{BTreeMap, BTreeSet};

/// A parsed policy: directive → sources (lowercase). The duplicate-warnings key is kept apart.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Csp {
    /// Directives and their sources.
    pub directives: BTreeMap<String, BTreeSet<String>>,
    /// Whether an allowed duplicate (`report-uri`, `report-to`) was seen.
    pub duplicate_warnings: bool,
}

const SHORTEST_DIRECTIVE_LENGTH: usize = "img-src".len() - 1;
const DISALLOWED_IN_META: &[&str] = &["frame-ancestors", "report-uri", "sandbox"];
const ALLOWED_DUPLICATES: &[&str] = &["report-uri", "report-to"];

#[derive(Clone)]
struct Source {
    value: String,
    index: usize,
    keep: bool,
}

/// `parseCspMeta`: [`parse`], then without the directives a `<meta>` may not set.
pub fn parse_meta(list: &[String]) -> Result<Csp, String> {
    let mut c = parse(list)?;
    for d in DISALLOWED_IN_META {
        c.directives.remove(*d);
    }
    Ok(c)
}

/// `parseCsp`: several policies are intersected; a repeated directive (other than
/// `report-uri`/`report-to`) or a policy shorter than six characters is an error.
pub fn parse(list: &[String]) -> Result<Csp, String> {
    let clean: Vec<String> = list
        .iter()
        .map(|s| s.replace(['\r', '\n'], "").trim().to_string())
        .collect();
    if clean.is_empty() {
        return Ok(Csp::default());
    }
    if let Some(bad) = clean
        .iter()
        .find(|s| s.is_empty() || s.chars().count() < SHORTEST_DIRECTIVE_LENGTH)
    {
        return Err(format!("invalid policy: {bad}"));
    }
    let mut csp: BTreeMap<String, Vec<Source>> = BTreeMap::new();
    let mut duplicate_warnings = false;
    for (index, policy) in clean.iter().enumerate() {
        let mut seen = BTreeSet::new();
        for entry in policy.split(';') {
            let mut words = entry.split_whitespace();
            let Some(first) = words.next() else { continue };
            let directive = first.to_lowercase();
            if !seen.insert(directive.clone()) {
                if ALLOWED_DUPLICATES.contains(&directive.as_str()) {
                    duplicate_warnings = true;
                } else {
                    return Err(format!("duplicate directive {directive} in policy {index}"));
                }
            }
            let keep = index == 0;
            let mut values: Vec<Source> = words
                .map(|w| Source {
                    value: w.trim().to_lowercase(),
                    index,
                    keep,
                })
                .collect();
            if values.is_empty() && directive.ends_with("-src") {
                values.push(Source {
                    value: "'none'".into(),
                    index,
                    keep,
                });
            }
            let mut combined = if index == 0 {
                values
            } else {
                let mut c = csp.get(&directive).cloned().unwrap_or_default();
                c.extend(values);
                c
            };
            combined.sort_by(|a, b| a.value.cmp(&b.value));
            for i in 1..combined.len() {
                let (prev_source, prev_index) =
                    (combined[i - 1].value.clone(), combined[i - 1].index);
                let cur = &mut combined[i];
                if cur.index == prev_index && cur.value.starts_with(&prev_source) {
                    cur.keep = false;
                }
                if cur.index != prev_index && path_part_match(&prev_source, &cur.value) {
                    cur.keep = true;
                }
            }
            let mut kept: Vec<Source> = combined.into_iter().filter(|s| s.keep).collect();
            if index == 0 && list.len() > 1 {
                for s in &mut kept {
                    s.keep = false;
                }
            }
            csp.insert(directive, kept);
        }
    }
    let directives = csp
        .into_iter()
        .map(|(d, sources)| {
            let set: BTreeSet<String> = if sources.is_empty() {
                BTreeSet::from(["'none'".to_string()])
            } else {
                sources.into_iter().map(|s| s.value).collect()
            };
            (d, set)
        })
        .collect();
    Ok(Csp {
        directives,
        duplicate_warnings,
    })
}

/// `pathPartMatch` (it compares whole sources as paths, as Observatory does).
fn path_part_match(a: &str, b: &str) -> bool {
    if a.is_empty() || (a == "/" && b.is_empty()) {
        return true;
    }
    let exact = !a.ends_with('/');
    let mut pa: Vec<&str> = a.split('/').collect();
    let pb: Vec<&str> = b.split('/').collect();
    if pa.len() > pb.len() || (exact && pa.len() != pb.len()) {
        return false;
    }
    if !exact {
        pa.pop();
    }
    pa.iter().zip(&pb).all(|(x, y)| decode(x) == decode(y))
}

/// `decodeURIComponent`, leniently: a malformed escape is kept as written.
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut at = 0;
    let hex = |byte: u8| char::from(byte).to_digit(16);
    while at < bytes.len() {
        let high = bytes.get(at + 1).copied().and_then(hex);
        let low = bytes.get(at + 2).copied().and_then(hex);
        if let (b'%', Some(hi), Some(lo)) = (bytes[at], high, low) {
            out.push(u8::try_from(hi * 16 + lo).unwrap_or(b'%'));
            at += 3;
        } else {
            out.push(bytes[at]);
            at += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

const DANGEROUSLY_BROAD: &[&str] = &[
    "ftp:",
    "http:",
    "https:",
    "*",
    "http://*",
    "http://*.*",
    "https://*",
    "https://*.*",
];
const UNSAFE_INLINE: &[&str] = &["'unsafe-inline'", "data:"];
const PASSIVE: &[&str] = &["img-src", "media-src"];
const NONCES_HASHES: &[&str] = &["'sha256-", "'sha384-", "'sha512-", "'nonce-"];

fn broad(s: &str) -> bool {
    DANGEROUSLY_BROAD.contains(&s)
}

fn broad_or_inline(s: &str) -> bool {
    broad(s) || UNSAFE_INLINE.contains(&s)
}

fn nonce_or_hash(set: &BTreeSet<String>) -> bool {
    set.iter()
        .any(|s| NONCES_HASHES.iter().any(|n| s.starts_with(n)))
}

/// The `content-security-policy` test's outcome.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CspResult {
    /// Observatory's result code.
    pub result: &'static str,
    /// Whether Observatory counts it as passed.
    pub pass: bool,
    /// The parsed policy (header and `<meta>`), when the test got that far (`output.data`).
    pub data: Option<BTreeMap<String, BTreeSet<String>>>,
}

/// `contentSecurityPolicyTest`: `header` is every `Content-Security-Policy` value as Node
/// hands it over (repeated headers joined by `, `), `meta` the `<meta>` policies, `report_only`
/// whether a `Content-Security-Policy-Report-Only` header came, `https` whether the scanned
/// URL is HTTPS.
pub fn test(header: &[String], meta: &[String], report_only: bool, https: bool) -> CspResult {
    let fail = |result| CspResult {
        result,
        pass: false,
        data: None,
    };
    let all: Vec<String> = header.iter().chain(meta).cloned().collect();
    let Ok(csp) = parse(&all) else {
        return fail("csp-header-invalid");
    };
    let header_only = parse(header).unwrap_or_default();
    let meta_csp = parse_meta(meta).unwrap_or_default();
    if header_only.directives.len() + meta_csp.directives.len() == 0 {
        return fail(if report_only {
            "csp-not-implemented-but-reporting-enabled"
        } else {
            "csp-not-implemented"
        });
    }
    let d = &csp.directives;
    let star = || BTreeSet::from(["*".to_string()]);
    let get = |k: &str| d.get(k).cloned();
    let object_src = get("object-src")
        .or_else(|| get("default-src"))
        .unwrap_or_else(star);
    let mut script_src = get("script-src")
        .or_else(|| get("default-src"))
        .unwrap_or_else(star);
    let mut style_src = get("style-src")
        .or_else(|| get("default-src"))
        .unwrap_or_else(star);
    for list in [&mut script_src, &mut style_src] {
        if nonce_or_hash(list) {
            list.remove("'unsafe-inline'");
        }
    }
    let mut result: Option<&'static str> = None;
    if nonce_or_hash(&script_src) && script_src.contains("'strict-dynamic'") {
        script_src.retain(|s| {
            !(DANGEROUSLY_BROAD.iter().any(|b| s.starts_with(b))
                || s == "'self'"
                || s == "'unsafe-inline'")
        });
    } else if script_src.contains("'strict-dynamic'") {
        result = Some("csp-header-invalid");
    }
    let mut active: Vec<&String> = d
        .iter()
        .filter(|(k, _)| !PASSIVE.contains(&k.as_str()) && *k != "script-src")
        .flat_map(|(_, v)| v.iter())
        .collect();
    active.extend(script_src.iter());
    let default_src = d.get("default-src");
    let passive: Vec<&String> = PASSIVE
        .iter()
        .flat_map(|k| d.get(*k).or(default_src).into_iter().flatten())
        .collect();
    let insecure = |s: &&String| s.starts_with("http:") || s.starts_with("ftp:");
    let mut set = |r: &'static str| {
        result.get_or_insert(r);
    };
    if script_src.iter().any(|s| broad_or_inline(s)) || object_src.iter().any(|s| broad(s)) {
        set("csp-implemented-with-unsafe-inline");
    }
    if https && active.iter().any(insecure) {
        set("csp-implemented-with-insecure-scheme");
    }
    if script_src.contains("'unsafe-eval'") || style_src.contains("'unsafe-eval'") {
        set("csp-implemented-with-unsafe-eval");
    }
    if https && passive.iter().any(insecure) {
        set("csp-implemented-with-insecure-scheme-in-passive-content-only");
    }
    if style_src.iter().any(|s| broad_or_inline(s)) {
        set("csp-implemented-with-unsafe-inline-in-style-src-only");
    }
    if default_src.is_some_and(|s| s.len() == 1 && s.contains("'none'")) {
        set("csp-implemented-with-no-unsafe-default-src-none");
    } else {
        set("csp-implemented-with-no-unsafe");
    }
    let mut result = result.unwrap_or("csp-implemented-with-no-unsafe");
    let pass = [
        "csp-implemented-with-no-unsafe",
        "csp-implemented-with-no-unsafe-default-src-none",
        "csp-implemented-with-unsafe-inline-in-style-src-only",
        "csp-implemented-with-insecure-scheme-in-passive-content-only",
    ]
    .contains(&result);
    if pass && csp.duplicate_warnings {
        result = "csp-implemented-but-duplicate-directives";
    }
    CspResult {
        result,
        pass,
        data: Some(csp.directives),
    }
}

//! The accessibility audit (PL8-5): the vendored axe-core (`vendor/axe-core/`, compiled into
//! the binary — nothing is downloaded at run time) is injected into a rendered page and run on
//! the WCAG 2.0/2.1 A and AA rules and EN 301 549, violations only. The page's answer is read
//! defensively and capped (failing nodes per rule, HTML per node); a page where axe throws or
//! runs past its budget records an `error`, never stops the run.

use serde_json::{Value, json};

use crate::observation::{AxeAudit, AxeNode, AxeViolation};

/// axe-core, as published on npm (MPL-2.0; see `vendor/axe-core/README.md`).
pub const AXE_SOURCE: &str = include_str!("../../../vendor/axe-core/axe.min.js");
/// Its version (checked against the file's header by a test).
pub const AXE_VERSION: &str = "4.13.0";
/// The rule tags run: WCAG 2.0 and 2.1 levels A and AA, and EN 301 549 (the European
/// standard that takes them over). Recorded in each audit.
pub const AXE_TAGS: &[&str] = &["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "EN-301-549"];
/// Longest an audit may run in the page, ms, before it is recorded as an error.
pub const AXE_BUDGET_MS: u64 = 10_000;
/// Failing nodes kept per rule (the count is kept too).
const MAX_NODES: usize = 5;
/// Characters of a node's HTML kept.
const MAX_HTML: usize = 300;
/// Characters of a node's CSS target kept.
const MAX_TARGET: usize = 300;
/// Rules kept per page (axe has fewer than 100 in these tags).
const MAX_RULES: usize = 200;

/// The script run with `execute_async`: injects axe (replacing any `window.axe` the page has;
/// a page that keeps its own is an error), runs it within `arguments[1]` ms and answers with
/// the violations (capped), or `{error}`.
pub fn script() -> String {
    format!(
        r"const done = arguments[arguments.length - 1];
const tags = arguments[0], budget = arguments[1], maxNodes = arguments[2], maxHtml = arguments[3];
let finished = false;
const finish = (v) => {{ if (!finished) {{ finished = true; done(v); }} }};
setTimeout(() => finish({{ error: 'axe-core did not finish within ' + budget + ' ms' }}), budget);
try {{
  // Always ours: a page's own window.axe (another version, or a fake) is replaced.
{AXE_SOURCE}
  if (!window.axe || window.axe.version !== arguments[4]) {{
    throw new Error('the page kept its own window.axe (' + String(window.axe && window.axe.version) + ')');
  }}
  const began = performance.now();
  window.axe.run(document, {{ runOnly: {{ type: 'tag', values: tags }},
      resultTypes: ['violations'], iframes: false }})
    .then((r) => finish({{
      version: window.axe.version,
      ms: performance.now() - began,
      incomplete: (r.incomplete || []).length,
      passes: (r.passes || []).length,
      violations: (r.violations || []).map((v) => ({{
        id: v.id, impact: v.impact || null, tags: v.tags || [], help: v.help || '',
        helpUrl: v.helpUrl || '', nodeCount: (v.nodes || []).length,
        nodes: (v.nodes || []).slice(0, maxNodes).map((n) => ({{
          target: (n.target || []).map((t) => Array.isArray(t) ? t.join(' >>> ') : String(t))
            .join(' >> '),
          html: String(n.html || '').slice(0, maxHtml),
        }})),
      }})),
    }}))
    .catch((e) => finish({{ error: 'axe-core threw: ' + String(e && e.message || e) }}));
}} catch (e) {{ finish({{ error: 'axe-core could not run: ' + String(e && e.message || e) }}); }}
"
    )
}

/// The script's arguments, with the audit's budget in ms ([`AXE_BUDGET_MS`] in the probe).
pub fn args(budget_ms: u64) -> Vec<Value> {
    vec![
        json!(AXE_TAGS),
        json!(budget_ms),
        json!(MAX_NODES),
        json!(MAX_HTML),
        json!(AXE_VERSION),
    ]
}

/// An audit that gave no result, with why.
pub fn failed(why: String) -> AxeAudit {
    AxeAudit {
        axe_version: AXE_VERSION.to_string(),
        tags: tags(),
        error: Some(why),
        ..AxeAudit::default()
    }
}

fn tags() -> Vec<String> {
    AXE_TAGS.iter().map(|t| (*t).to_string()).collect()
}

/// Reads the script's answer (defensively: a page can tamper with anything).
pub fn read(answer: &Value) -> AxeAudit {
    if let Some(e) = answer["error"].as_str() {
        return failed(capped(e, 500));
    }
    let Some(violations) = answer["violations"].as_array() else {
        return failed("axe-core gave no result".into());
    };
    let count = |v: &Value| u32::try_from(v.as_u64().unwrap_or(0)).unwrap_or(u32::MAX);
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t.as_str().map(|s| capped(s, 60)))
            .take(40)
            .collect()
    };
    let violations = violations
        .iter()
        .take(MAX_RULES)
        .filter_map(|v| {
            let nodes: Vec<AxeNode> = v["nodes"]
                .as_array()
                .into_iter()
                .flatten()
                .take(MAX_NODES)
                .map(|n| AxeNode {
                    target: capped(n["target"].as_str().unwrap_or_default(), MAX_TARGET),
                    html: capped(n["html"].as_str().unwrap_or_default(), MAX_HTML),
                })
                .collect();
            Some(AxeViolation {
                id: capped(v["id"].as_str()?, 100),
                impact: v["impact"].as_str().map(|s| capped(s, 20)),
                tags: strings(&v["tags"]),
                help: capped(v["help"].as_str().unwrap_or_default(), 300),
                help_url: capped(v["helpUrl"].as_str().unwrap_or_default(), 300),
                node_count: count(&v["nodeCount"]).max(u32::try_from(nodes.len()).unwrap_or(0)),
                nodes,
            })
        })
        .collect();
    AxeAudit {
        axe_version: answer["version"]
            .as_str()
            .map_or_else(|| AXE_VERSION.to_string(), |s| capped(s, 40)),
        tags: tags(),
        violations,
        incomplete: count(&answer["incomplete"]),
        passes: count(&answer["passes"]),
        duration_ms: answer["ms"].as_f64().filter(|m| m.is_finite() && *m >= 0.0),
        error: None,
    }
}

/// At most `max` characters of `s`, with `…` when cut.
fn capped(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        s.to_string()
    } else {
        let mut out: String = s.chars().take(max).collect();
        out.push('…');
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_vendored_file_is_the_version_named() {
        let header: String = AXE_SOURCE.chars().take(40).collect();
        assert!(header.contains(&format!("axe v{AXE_VERSION}")), "{header}");
        assert!(script().contains("axe.version=\"4.13.0\""));
    }

    #[test]
    fn an_answer_is_read_with_its_caps() {
        let long = "x".repeat(1000);
        let nodes: Vec<Value> = (0..8)
            .map(|i| json!({"target": format!("img:nth-child({i})"), "html": long}))
            .collect();
        let a = read(&json!({
            "version": "4.13.0", "ms": 123.4, "incomplete": 2, "passes": 30,
            "violations": [
                {"id": "image-alt", "impact": "critical", "tags": ["wcag2a", "wcag111"],
                 "help": "Images must have alternative text", "helpUrl": "https://x",
                 "nodeCount": 8, "nodes": nodes},
                {"impact": "serious"},
                {"id": "region", "impact": null, "nodes": []}
            ]
        }));
        assert_eq!(a.error, None);
        assert_eq!(a.violations.len(), 2, "the rule without an id is dropped");
        let v = &a.violations[0];
        assert_eq!(
            (v.id.as_str(), v.impact.as_deref()),
            ("image-alt", Some("critical"))
        );
        assert_eq!((v.nodes.len(), v.node_count), (MAX_NODES, 8));
        assert_eq!(v.nodes[0].html.chars().count(), MAX_HTML + 1);
        assert_eq!(v.wcag_tags(), vec!["wcag111", "wcag2a"]);
        assert_eq!(a.violations[1].impact, None);
        assert_eq!((a.incomplete, a.passes), (2, 30));
        assert_eq!(a.tags.len(), AXE_TAGS.len());
    }

    #[test]
    fn errors_and_garbage_are_recorded_as_errors() {
        let a = read(&json!({"error": "axe-core did not finish within 10000 ms"}));
        assert!(a.error.unwrap().contains("did not finish"));
        assert_eq!(a.axe_version, AXE_VERSION);
        let a = read(&json!("nonsense"));
        assert_eq!(a.error.as_deref(), Some("axe-core gave no result"));
        assert!(a.violations.is_empty());
    }
}

//! The report's "Khả năng tiếp cận / Accessibility" section: what axe-core found on the pages
//! the browser rendered (PL8-5), by rule — impact, WCAG tags, the pages and a few failing nodes
//! — most severe first. Bounded: the first pages and nodes of each rule, then a count.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::checklist::check::AxeImpact;
use crate::observation::Observations;

/// Pages listed at most per rule.
const SHOWN_PAGES: usize = 5;
/// Failing nodes quoted at most per rule.
const SHOWN_NODES: usize = 3;
/// Audit errors listed at most.
const SHOWN_ERRORS: usize = 10;

/// One failing node, with the page it is on.
#[derive(Debug, Clone, Serialize)]
pub struct NodeView {
    /// The page's URL.
    pub page: String,
    /// CSS selector.
    pub target: String,
    /// HTML excerpt.
    pub html: String,
}

/// One axe rule with violations.
#[derive(Debug, Clone, Serialize)]
pub struct RuleView {
    /// Rule id.
    pub id: String,
    /// `critical`, `serious`, `moderate`, `minor` or empty.
    pub impact: String,
    /// What the rule asks (axe's words, English).
    pub help: String,
    /// Deque's page about the rule (`https:` only, else empty).
    pub help_url: String,
    /// WCAG tags, comma-separated.
    pub wcag: String,
    /// Pages with the violation (first ones).
    pub pages: Vec<String>,
    /// Pages not listed.
    pub pages_more: usize,
    /// Failing nodes over all pages.
    pub node_count: u64,
    /// Sample nodes.
    pub nodes: Vec<NodeView>,
}

/// A page whose audit gave no result.
#[derive(Debug, Clone, Serialize)]
pub struct AuditError {
    /// URL.
    pub url: String,
    /// Why.
    pub error: String,
}

/// The accessibility section.
#[derive(Debug, Clone, Serialize)]
pub struct AccessibilityView {
    /// axe-core version.
    pub axe_version: String,
    /// Rule tags run, comma-separated.
    pub tags: String,
    /// Pages audited.
    pub audited: usize,
    /// Rules with violations, most severe first.
    pub rules: Vec<RuleView>,
    /// Pages whose audit failed (first ones).
    pub errors: Vec<AuditError>,
    /// Audit failures not listed.
    pub errors_more: usize,
}

/// The section, when some rendered page carries an audit.
pub fn build(obs: &Observations) -> Option<AccessibilityView> {
    let mut audited = 0;
    let (mut version, mut tags) = (String::new(), String::new());
    let mut errors = Vec::new();
    let mut rules: BTreeMap<String, RuleView> = BTreeMap::new();
    for (url, r) in &obs.rendered {
        let Some(a) = &r.accessibility else { continue };
        version.clone_from(&a.axe_version);
        tags = a.tags.join(", ");
        if let Some(e) = &a.error {
            errors.push(AuditError {
                url: url.clone(),
                error: e.clone(),
            });
            continue;
        }
        audited += 1;
        for v in &a.violations {
            let rule = rules.entry(v.id.clone()).or_insert_with(|| RuleView {
                id: v.id.clone(),
                impact: v.impact.clone().unwrap_or_default(),
                help: v.help.clone(),
                help_url: if v.help_url.starts_with("https://") {
                    v.help_url.clone()
                } else {
                    String::new()
                },
                wcag: v.wcag_tags().join(", "),
                pages: Vec::new(),
                pages_more: 0,
                node_count: 0,
                nodes: Vec::new(),
            });
            if rule.pages.len() < SHOWN_PAGES {
                rule.pages.push(url.clone());
            } else {
                rule.pages_more += 1;
            }
            rule.node_count += u64::from(v.node_count);
            for n in &v.nodes {
                if rule.nodes.len() < SHOWN_NODES {
                    rule.nodes.push(NodeView {
                        page: url.clone(),
                        target: n.target.clone(),
                        html: n.html.clone(),
                    });
                }
            }
        }
    }
    if audited == 0 && errors.is_empty() {
        return None;
    }
    let mut rules: Vec<RuleView> = rules.into_values().collect();
    rules.sort_by(|a, b| {
        let rank = |r: &RuleView| std::cmp::Reverse(AxeImpact::parse(&r.impact));
        rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id))
    });
    Some(AccessibilityView {
        axe_version: version,
        tags,
        audited,
        rules,
        errors_more: errors.len().saturating_sub(SHOWN_ERRORS),
        errors: errors.into_iter().take(SHOWN_ERRORS).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{AxeAudit, AxeNode, AxeViolation, Rendered};

    fn page(violations: Vec<AxeViolation>, error: Option<&str>) -> Rendered {
        Rendered {
            accessibility: Some(AxeAudit {
                axe_version: "4.13.0".into(),
                tags: vec!["wcag2a".into(), "wcag2aa".into()],
                violations,
                error: error.map(str::to_string),
                ..AxeAudit::default()
            }),
            ..Rendered::default()
        }
    }

    fn v(id: &str, impact: &str, url: &str) -> AxeViolation {
        AxeViolation {
            id: id.into(),
            impact: Some(impact.into()),
            tags: vec![
                "wcag2a".into(),
                "wcag111".into(),
                "cat.text-alternatives".into(),
            ],
            help: "Images must have alternative text".into(),
            help_url: url.into(),
            nodes: vec![AxeNode {
                target: "img".into(),
                html: "<img src=x>".into(),
            }],
            node_count: 2,
        }
    }

    #[test]
    fn rules_are_gathered_across_pages_most_severe_first() {
        let mut o = Observations::default();
        assert!(build(&o).is_none(), "no audit, no section");
        o.rendered.insert(
            "https://a/".into(),
            page(
                vec![
                    v("region", "moderate", "https://dequeuniversity.com/r"),
                    v("image-alt", "critical", "javascript:alert(1)"),
                ],
                None,
            ),
        );
        o.rendered.insert(
            "https://a/b".into(),
            page(vec![v("image-alt", "critical", "x")], None),
        );
        o.rendered.insert(
            "https://a/c".into(),
            page(vec![], Some("axe-core threw: x")),
        );
        let s = build(&o).unwrap();
        assert_eq!((s.audited, s.errors.len()), (2, 1));
        assert_eq!(s.tags, "wcag2a, wcag2aa");
        let ids: Vec<&str> = s.rules.iter().map(|r| r.id.as_str()).collect();
        assert_eq!(ids, ["image-alt", "region"]);
        let alt = &s.rules[0];
        assert_eq!(alt.pages, ["https://a/", "https://a/b"]);
        assert_eq!((alt.node_count, alt.nodes.len()), (4, 2));
        assert_eq!(alt.wcag, "wcag111, wcag2a");
        assert_eq!(alt.help_url, "", "only https links");
        assert_eq!(s.rules[1].help_url, "https://dequeuniversity.com/r");
    }
}

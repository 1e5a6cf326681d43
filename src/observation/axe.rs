//! What axe-core found on a rendered page (PL8-5): recorded as axe reports it — rule ids,
//! impacts and tags are axe's own strings — and capped in size, never judged here.

use serde::{Deserialize, Serialize};

/// The axe-core audit of one page, run in the desktop rendering pass once the page settled.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AxeAudit {
    /// The axe-core version that ran (`axe.version`), or the vendored one when it did not run.
    pub axe_version: String,
    /// The rule tags run (`runOnly`), e.g. `wcag2a`, `wcag21aa`, `EN-301-549`.
    pub tags: Vec<String>,
    /// Rules that found failing nodes.
    #[serde(default)]
    pub violations: Vec<AxeViolation>,
    /// How many rules axe could not decide (`incomplete`: needs a person to look).
    #[serde(default)]
    pub incomplete: u32,
    /// How many rules passed (found applicable nodes and no failure).
    #[serde(default)]
    pub passes: u32,
    /// How long the audit took, ms.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_ms: Option<f64>,
    /// Why the audit gave no result (axe threw, timed out, could not be injected).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
}

/// One axe rule that failed on a page.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AxeViolation {
    /// The rule id (`image-alt`, `color-contrast`).
    pub id: String,
    /// `critical`, `serious`, `moderate` or `minor` (axe's word); `None` when axe gave none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub impact: Option<String>,
    /// The rule's tags (WCAG criteria such as `wcag111`, levels such as `wcag2a`, `EN-9.1.1.1`).
    #[serde(default)]
    pub tags: Vec<String>,
    /// What the rule asks for, in axe's words (English).
    pub help: String,
    /// Deque's page about the rule.
    #[serde(default)]
    pub help_url: String,
    /// Failing nodes, the first few.
    #[serde(default)]
    pub nodes: Vec<AxeNode>,
    /// How many nodes failed (more than `nodes` when the list was capped).
    pub node_count: u32,
}

/// One failing node.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AxeNode {
    /// CSS selector of the node (frames joined by ` >> `).
    pub target: String,
    /// The node's HTML, capped in length.
    pub html: String,
}

impl AxeViolation {
    /// The rule's WCAG tags (`wcag2aa`, `wcag143`, …), sorted, once each.
    pub fn wcag_tags(&self) -> Vec<&str> {
        let mut tags: Vec<&str> = self
            .tags
            .iter()
            .map(String::as_str)
            .filter(|t| t.starts_with("wcag"))
            .collect();
        tags.sort_unstable();
        tags.dedup();
        tags
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::Rendered;

    #[test]
    fn pages_rendered_before_the_audit_still_load_and_audits_round_trip() {
        // Format 3: no `accessibility` key.
        let old: Rendered =
            serde_json::from_str(r#"{"final_url": "https://a/", "error": null}"#).unwrap();
        assert_eq!(old.accessibility, None);
        let audit = AxeAudit {
            axe_version: "4.13.0".into(),
            tags: vec!["wcag2a".into()],
            violations: vec![AxeViolation {
                id: "image-alt".into(),
                impact: Some("critical".into()),
                node_count: 3,
                ..AxeViolation::default()
            }],
            ..AxeAudit::default()
        };
        let json = serde_json::to_string(&audit).unwrap();
        assert!(
            !json.contains("\"error\""),
            "no empty error written: {json}"
        );
        assert_eq!(serde_json::from_str::<AxeAudit>(&json).unwrap(), audit);
    }
}

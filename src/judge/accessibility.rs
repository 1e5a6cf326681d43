//! PL8-5 (Phụ lục VIII): accessibility, judged on the axe-core audits the browser probe ran on
//! every rendered page. Violations are gathered by rule across pages; rules whose impact the
//! checklist lists in `fail-impacts` fail the requirement, the others are reported. A page
//! whose audit failed is undetermined; no audited page at all is an `error`, never a `fail`.

use std::collections::BTreeMap;

use super::browser::{decide, rendered_pages, screenshot};
use super::{Outcome, list, short};
use crate::checklist::check::AxeImpact;
use crate::evaluation::EvidenceRef;
use crate::observation::{AxeNode, Observations};
use crate::text::Text;
use crate::tr;

/// Pages named at most per rule, and in lists of pages.
const NAMED: usize = 3;
/// Failing nodes quoted per rule.
const NODES: usize = 2;
/// Format of the first observations with the audit.
const AUDIT_VERSION: u32 = 4;

/// One rule's violations across the audited pages.
struct Rule<'a> {
    impact: Option<&'a str>,
    wcag: Vec<&'a str>,
    pages: Vec<String>,
    nodes: Vec<&'a AxeNode>,
    node_count: u64,
}

impl Rule<'_> {
    /// `id (impact; N node(s) on K: pages — nodes)`, in Vietnamese when `vi`.
    fn line(&self, id: &str, vi: bool) -> String {
        let nodes: Vec<String> = self
            .nodes
            .iter()
            .take(NODES)
            .map(|n| format!("`{}`", n.target))
            .collect();
        let (none, on) = if vi {
            ("không rõ mức", "phần tử trên")
        } else {
            ("no impact", "node(s) on")
        };
        format!(
            "{id} ({}; {} {on} {}: {}{})",
            self.impact.unwrap_or(none),
            self.node_count,
            self.pages.len(),
            list(&self.pages, NAMED),
            if nodes.is_empty() {
                String::new()
            } else {
                format!(" — {}", nodes.join(", "))
            }
        )
    }
}

/// PL8-5: no rendered page has an axe-core violation whose impact is in `fail_impacts`
/// (rules in `ignore_rules` aside).
pub fn accessibility(
    fail_impacts: &[AxeImpact],
    ignore_rules: &[String],
    obs: &Observations,
) -> Outcome {
    let impacts: Vec<&str> = fail_impacts.iter().map(|i| i.as_str()).collect();
    let expected = tr!(
        "Không trang nào có lỗi axe-core mức {} (WCAG 2.0/2.1 A, AA; EN 301 549)",
        "no page has an axe-core violation of impact {} (WCAG 2.0/2.1 A and AA; EN 301 549)",
        impacts.join("/")
    );
    let pages = rendered_pages(obs, &|_| true);
    if pages.is_empty() {
        return pages.none(expected);
    }
    let mut undetermined = pages.failed.clone();
    let mut audited = Vec::new();
    let mut version = String::new();
    let mut rules: BTreeMap<&str, Rule<'_>> = BTreeMap::new();
    let mut failing_pages = Vec::new();
    for (p, r) in &pages.ok {
        let page = short(&p.url, obs);
        let audit = match &r.accessibility {
            None if obs.version < AUDIT_VERSION => {
                undetermined.push(format!(
                    "{page} (observations of format {} predate the accessibility audit; assess again)",
                    obs.version
                ));
                continue;
            }
            None => {
                undetermined.push(format!("{page} (no accessibility audit recorded)"));
                continue;
            }
            Some(a) => a,
        };
        if let Some(e) = &audit.error {
            undetermined.push(format!("{page} ({e})"));
            continue;
        }
        version.clone_from(&audit.axe_version);
        audited.push(page.clone());
        let mut fails_here = false;
        for v in &audit.violations {
            let rule = rules.entry(v.id.as_str()).or_insert_with(|| Rule {
                impact: v.impact.as_deref(),
                wcag: v.wcag_tags(),
                pages: Vec::new(),
                nodes: Vec::new(),
                node_count: 0,
            });
            rule.pages.push(page.clone());
            rule.nodes.extend(v.nodes.iter().take(NODES));
            rule.node_count += u64::from(v.node_count);
            fails_here |= fails(v.impact.as_deref(), &v.id, &impacts, ignore_rules);
        }
        if fails_here {
            failing_pages.push((p, r, page));
        }
    }
    if audited.is_empty() {
        return Outcome::error(
            expected,
            tr!(
                "Không trang nào được kiểm tra khả năng tiếp cận: {}",
                "no page was audited for accessibility: {}",
                list(&undetermined, NAMED)
            ),
        );
    }
    // Failing rules by impact, most severe first; then the rest.
    let mut failing: Vec<(&str, &Rule<'_>)> = rules
        .iter()
        .filter(|(id, r)| fails(r.impact, id, &impacts, ignore_rules))
        .map(|(id, r)| (*id, r))
        .collect();
    failing.sort_by_key(|(id, r)| (std::cmp::Reverse(r.impact.and_then(AxeImpact::parse)), *id));
    let failing_lines = |vi: bool| -> String {
        let lines: Vec<String> = failing.iter().map(|(id, r)| r.line(id, vi)).collect();
        lines.join("; ")
    };
    let other = |vi: bool| -> String {
        let (ignored, pages, none) = if vi {
            (", bỏ qua", "trang", "không rõ mức")
        } else {
            (", ignored", "page(s)", "no impact")
        };
        let items: Vec<String> = rules
            .iter()
            .filter(|(id, r)| !fails(r.impact, id, &impacts, ignore_rules))
            .map(|(id, r)| {
                let ignored = if ignore_rules.iter().any(|i| i == id) {
                    ignored
                } else {
                    ""
                };
                format!(
                    "{id} ({}{ignored}; {} {pages})",
                    r.impact.unwrap_or(none),
                    r.pages.len()
                )
            })
            .collect();
        list(&items, 5)
    };
    let wcag: Vec<&str> = {
        let mut w: Vec<&str> = failing.iter().flat_map(|(_, r)| r.wcag.clone()).collect();
        w.sort_unstable();
        w.dedup();
        w
    };
    let or_none = |items: String, none: &str| {
        if items.is_empty() {
            none.to_string()
        } else {
            items
        }
    };
    let tags = if wcag.is_empty() {
        String::new()
    } else {
        format!(" [{}]", wcag.join(", "))
    };
    let (failing_vi, failing_en) = (
        or_none(failing_lines(true), "không có"),
        or_none(failing_lines(false), "none"),
    );
    let (other_vi, other_en) = (
        or_none(other(true), "không có"),
        or_none(other(false), "none"),
    );
    let (n, shown, left) = (audited.len(), list(&audited, NAMED), undetermined.len());
    let observed = Text::new(
        format!(
            "{n} trang kiểm tra bằng axe-core {version} ({shown}); quy tắc không đạt: {failing_vi}{tags}; lỗi khác: {other_vi}; {left} trang không xác định"
        ),
        format!(
            "{n} pages audited with axe-core {version} ({shown}); failing rules: {failing_en}{tags}; other violations: {other_en}; {left} pages undetermined"
        ),
    );
    let mut evidence: Vec<EvidenceRef> = Vec::new();
    for (p, r, page) in failing_pages.iter().take(NAMED) {
        evidence.push(EvidenceRef::url(page.clone(), &p.url));
        evidence.extend(screenshot(p, r, false, obs));
    }
    let ids: Vec<String> = failing
        .iter()
        .map(|(id, r)| format!("{id} ({})", r.impact.unwrap_or("?")))
        .collect();
    let fail = tr!(
        "Lỗi khả năng tiếp cận: {}",
        "accessibility violations: {}",
        list(&ids, 6)
    );
    let pass = tr!(
        "Không có lỗi mức {} trên {} trang đã kiểm tra",
        "no {} violation on the {} pages audited",
        impacts.join("/"),
        audited.len()
    );
    let outcome = decide(expected, observed, &ids, &undetermined, pass, fail);
    outcome.with_evidence(evidence)
}

/// Whether a violation fails the requirement.
fn fails(impact: Option<&str>, id: &str, impacts: &[&str], ignore: &[String]) -> bool {
    impact.is_some_and(|i| impacts.contains(&i)) && !ignore.iter().any(|r| r == id)
}

#[cfg(test)]
mod tests {
    use super::super::tests::{BASE, browser_run, rendered_obs, sample_page, verdict};
    use crate::checklist::check::AxeImpact;
    use crate::evaluation::Status;
    use crate::observation::{AxeAudit, AxeNode, AxeViolation, BrowserStatus, Observations};

    fn violation(id: &str, impact: &str, nodes: u32) -> AxeViolation {
        AxeViolation {
            id: id.into(),
            impact: Some(impact.into()),
            tags: vec!["wcag2aa".into(), "wcag143".into(), "EN-9.1.4.3".into()],
            help: "help".into(),
            help_url: "https://dequeuniversity.com/rules/axe/4.13/x".into(),
            nodes: vec![AxeNode {
                target: format!("#{id}-node"),
                html: "<p>".into(),
            }],
            node_count: nodes,
        }
    }

    fn audit_of<'a>(o: &'a mut Observations, path: &str) -> &'a mut AxeAudit {
        o.rendered
            .get_mut(&format!("{BASE}{path}"))
            .unwrap()
            .accessibility
            .as_mut()
            .unwrap()
    }

    #[test]
    fn pl8_5_passes_when_the_audits_find_nothing_blocking() {
        let mut o = rendered_obs(vec![sample_page("lien-he", "<main>Liên hệ</main>")]);
        audit_of(&mut o, "lien-he")
            .violations
            .push(violation("region", "moderate", 3));
        let v = verdict("PL8-5", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        assert!(
            v.observed
                .en
                .contains("2 pages audited with axe-core 4.13.0"),
            "{}",
            v.observed.en
        );
        assert!(
            v.observed
                .en
                .contains("other violations: region (moderate; 1 page(s))")
        );
        assert!(v.message.en.contains("no critical/serious violation"));
    }

    #[test]
    fn pl8_5_fails_on_critical_and_serious_rules_naming_pages_and_nodes() {
        let mut o = rendered_obs(vec![sample_page("lien-he", "<main>Liên hệ</main>")]);
        audit_of(&mut o, "lien-he")
            .violations
            .push(violation("color-contrast", "serious", 4));
        audit_of(&mut o, "")
            .violations
            .push(violation("image-alt", "critical", 2));
        audit_of(&mut o, "lien-he")
            .violations
            .push(violation("image-alt", "critical", 1));
        let v = verdict("PL8-5", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(
            v.message
                .en
                .contains("image-alt (critical), color-contrast (serious)"),
            "critical first: {}",
            v.message.en
        );
        assert!(
            v.observed
                .en
                .contains("image-alt (critical; 3 node(s) on 2: /, /lien-he — `#image-alt-node`"),
            "{}",
            v.observed.en
        );
        assert!(
            v.observed.en.contains("[wcag143, wcag2aa]"),
            "{}",
            v.observed.en
        );
        assert!(
            v.observed
                .vi
                .contains("image-alt (critical; 3 phần tử trên 2: /, /lien-he"),
            "{}",
            v.observed.vi
        );
        assert!(v.evidence.iter().any(|e| e.url.as_deref() == Some(BASE)));
        // A moderate rule fails only when the checklist says so.
        let mut o = rendered_obs(vec![]);
        audit_of(&mut o, "")
            .violations
            .push(violation("region", "moderate", 1));
        assert_eq!(verdict("PL8-5", &o).status, Status::Pass);
        let strict = super::accessibility(&[AxeImpact::Moderate], &[], &o);
        assert_eq!(strict.status, Status::Fail);
    }

    #[test]
    fn pl8_5_ignored_rules_are_reported_not_failed() {
        let mut o = rendered_obs(vec![]);
        audit_of(&mut o, "")
            .violations
            .push(violation("color-contrast", "serious", 4));
        let blocking = [AxeImpact::Critical, AxeImpact::Serious];
        assert_eq!(
            super::accessibility(&blocking, &[], &o).status,
            Status::Fail
        );
        let out = super::accessibility(&blocking, &["color-contrast".into()], &o);
        assert_eq!(out.status, Status::Pass, "{}", out.observed.en);
        assert!(
            out.observed
                .en
                .contains("color-contrast (serious, ignored; 1 page(s))"),
            "{}",
            out.observed.en
        );
    }

    #[test]
    fn pl8_5_is_an_error_without_audits_and_skipped_without_a_browser() {
        // The audit threw on the only page: undetermined, never a fail.
        let mut o = rendered_obs(vec![]);
        audit_of(&mut o, "").error = Some("axe-core did not finish within 10000 ms".into());
        let v = verdict("PL8-5", &o);
        assert_eq!(v.status, Status::Error);
        assert!(v.message.en.contains("did not finish"), "{}", v.message.en);
        // Format-3 observations have no audit: assess again.
        let mut o = rendered_obs(vec![]);
        o.version = 3;
        o.rendered.get_mut(BASE).unwrap().accessibility = None;
        let v = verdict("PL8-5", &o);
        assert_eq!(v.status, Status::Error);
        assert!(v.message.en.contains("assess again"), "{}", v.message.en);
        // One page audited with a failure, another undetermined: the failure stands.
        let mut o = rendered_obs(vec![sample_page("lien-he", "<main>Liên hệ</main>")]);
        audit_of(&mut o, "")
            .violations
            .push(violation("image-alt", "critical", 1));
        audit_of(&mut o, "lien-he").error = Some("boom".into());
        assert_eq!(verdict("PL8-5", &o).status, Status::Fail);
        // An audit problem on one page, a clean audit on the other: error, not pass.
        audit_of(&mut o, "").violations.clear();
        assert_eq!(verdict("PL8-5", &o).status, Status::Error);
        // --no-browser: skipped with the reason.
        let mut o = rendered_obs(vec![]);
        o.rendered.clear();
        o.browser = Some(browser_run(BrowserStatus::Skipped, Some("--no-browser")));
        let v = verdict("PL8-5", &o);
        assert_eq!(v.status, Status::Skipped);
        assert!(v.message.en.contains("--no-browser"));
        // The browser ran but rendered nothing: error.
        o.browser = Some(browser_run(BrowserStatus::Ran, None));
        assert_eq!(verdict("PL8-5", &o).status, Status::Error);
    }
}

//! The findings of a security requirement: each check's outcome kept as a
//! [`Finding`] (`Verdict.findings`, for `report.sarif`), and the scenario's
//! `[security.severity]` applied before the outcomes combine (the rules are in
//! [`crate::evaluation::finding`]). Called from the central dispatch, never from a judge.

use super::Outcome;
use crate::checklist::Requirement;
use crate::evaluation::finding::{Finding, Severity, rule_for};
use crate::evaluation::{Status, Verdict};
use crate::observation::Observations;
use crate::text::Text;

/// Combines the outcomes `(check kind, outcome)` of a security requirement into its verdict,
/// with its findings and the configured severities.
pub(super) fn combine(
    req: &Requirement,
    judged: Vec<(&'static str, Outcome)>,
    obs: &Observations,
) -> Verdict {
    let mut findings = Vec::new();
    let mut counted = Vec::new();
    let mut warned = Vec::new();
    let mut ignored = Vec::new();
    let any = !judged.is_empty();
    for (kind, o) in judged {
        let nth = findings
            .iter()
            .filter(|f: &&Finding| f.check == kind)
            .count();
        let id = if nth == 0 {
            format!("{}/{kind}", req.id)
        } else {
            format!("{}/{kind}#{}", req.id, nth + 1)
        };
        let rule = rule_for(&obs.security_severity, &id, req.id.as_str());
        let urls = o
            .evidence
            .iter()
            .filter_map(|e| e.url.clone())
            .fold(Vec::new(), |mut v, u| {
                if !v.contains(&u) {
                    v.push(u);
                }
                v
            });
        findings.push(Finding {
            id: id.clone(),
            check: kind.to_string(),
            status: o.status,
            observed: o.observed.clone(),
            message: o.message.clone(),
            urls,
            severity: rule.map(|r| r.severity),
            severity_key: rule.map(|r| r.key.clone()),
        });
        match rule.map(|r| r.severity) {
            Some(Severity::Ignore) => ignored.push(id),
            Some(Severity::Warn) if o.status == Status::Fail => {
                warned.push(id);
                counted.push(Outcome {
                    status: Status::Pass,
                    credit: 1.0,
                    ..o
                });
            }
            _ => counted.push(o),
        }
    }
    let mut verdict = if any && counted.is_empty() {
        Verdict {
            id: req.id.clone(),
            status: Status::Skipped,
            expected: req.title.clone(),
            observed: Text::default(),
            message: Text::default(),
            evidence: Vec::new(),
            credit: 0.0,
            findings: Vec::new(),
        }
    } else {
        super::outcome::combine(req, counted)
    };
    let mut notes: Vec<Text> = Vec::new();
    if !warned.is_empty() {
        notes.push(Text::new(
            format!(
                "hạ xuống mức cảnh báo theo [security.severity]: {}",
                warned.join(", ")
            ),
            format!(
                "downgraded to warn by [security.severity]: {}",
                warned.join(", ")
            ),
        ));
    }
    if !ignored.is_empty() {
        notes.push(Text::new(
            format!("bỏ qua theo [security.severity]: {}", ignored.join(", ")),
            format!("ignored by [security.severity]: {}", ignored.join(", ")),
        ));
    }
    if !notes.is_empty() {
        let note = Text::join(&notes, "; ");
        verdict.message = if verdict.message.en.is_empty() {
            note
        } else {
            Text::new(
                format!("{} ({})", verdict.message.vi, note.vi),
                format!("{} ({})", verdict.message.en, note.en),
            )
        };
    }
    verdict.findings = findings;
    verdict
}

//! The outcome of one check, and how a requirement's outcomes combine into its verdict (any
//! fail → fail, else any error → error, else any pending → pending, else any skipped →
//! skipped), including `same-as`
//! checks that borrow other requirements' verdicts.

use crate::checklist::Requirement;
use crate::evaluation::{EvidenceRef, Status, Verdict};
use crate::text::Text;
use crate::tr;

/// The outcome of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// Status.
    pub status: Status,
    /// What the check demands.
    pub expected: Text,
    /// What was seen.
    pub observed: Text,
    /// One line.
    pub message: Text,
    /// Supporting references.
    pub evidence: Vec<EvidenceRef>,
    /// Share earned (0–1).
    pub credit: f64,
}

impl Outcome {
    pub(crate) fn new(status: Status, expected: Text, observed: Text, message: Text) -> Self {
        let credit = match status {
            Status::Pass | Status::Attested | Status::Delegated => 1.0,
            _ => 0.0,
        };
        Self {
            status,
            expected,
            observed,
            message,
            evidence: Vec::new(),
            credit,
        }
    }

    /// A met check.
    pub fn pass(expected: Text, observed: Text, message: Text) -> Self {
        Self::new(Status::Pass, expected, observed, message)
    }

    /// An unmet check.
    pub fn fail(expected: Text, observed: Text, message: Text) -> Self {
        Self::new(Status::Fail, expected, observed, message)
    }

    /// A check that could not be carried out.
    pub fn error(expected: Text, message: Text) -> Self {
        Self::new(
            Status::Error,
            expected,
            Text::new("(không quan sát được)", "(not observed)"),
            message,
        )
    }

    /// Pass or fail on a condition.
    pub fn either(ok: bool, expected: Text, observed: Text, pass: Text, fail: Text) -> Self {
        if ok {
            Self::pass(expected, observed, pass)
        } else {
            Self::fail(expected, observed, fail)
        }
    }

    /// Adds evidence.
    #[must_use]
    pub fn with_evidence(mut self, e: impl IntoIterator<Item = EvidenceRef>) -> Self {
        self.evidence.extend(e);
        self
    }

    /// Sets partial credit.
    #[must_use]
    pub fn with_credit(mut self, credit: f64) -> Self {
        self.credit = credit.clamp(0.0, 1.0);
        self
    }
}

pub(super) fn same_as(ids: &[String], others: &dyn Fn(&str) -> Option<Verdict>) -> Outcome {
    let expected = Text::new(
        format!("Đáp ứng các tiêu chí {}", ids.join(", ")),
        format!("requirements {} are met", ids.join(", ")),
    );
    let mut seen = Vec::new();
    let mut statuses = Vec::new();
    for id in ids {
        match others(id) {
            Some(v) if v.status == Status::Skipped => seen.push(format!("{id}: skipped")),
            Some(v) => {
                seen.push(format!("{id}: {}", v.status.as_str()));
                statuses.push(v.status);
            }
            None => {
                return Outcome::error(
                    expected,
                    tr!(
                        "{id} không được đánh giá trong lần này",
                        "{id} is not judged in this evaluation"
                    ),
                );
            }
        }
    }
    let observed = Text::same(seen.join(", "));
    if statuses.is_empty() {
        return Outcome::new(
            Status::Skipped,
            expected,
            observed,
            Text::new(
                "Các tiêu chí liên quan bị bỏ qua",
                "every referenced requirement was skipped",
            ),
        );
    }
    let judged: Vec<&str> = ids
        .iter()
        .filter(|id| !seen.iter().any(|s| *s == format!("{id}: skipped")))
        .map(String::as_str)
        .collect();
    let failing: Vec<String> = judged
        .iter()
        .zip(&statuses)
        .filter(|(_, s)| !matches!(s, Status::Pass | Status::Attested | Status::Delegated))
        .map(|(i, s)| format!("{i} ({})", s.as_str()))
        .collect();
    let status = if statuses.contains(&Status::Fail) {
        Status::Fail
    } else if statuses.contains(&Status::Error) {
        Status::Error
    } else if failing.is_empty() {
        Status::Pass
    } else {
        Status::Pending
    };
    let skipped: Vec<&str> = ids
        .iter()
        .filter(|id| seen.iter().any(|s| *s == format!("{id}: skipped")))
        .map(String::as_str)
        .collect();
    // Met by what was judged, but some referenced item was left out (`--skip`, `--no-browser`):
    // never a pass over what was not looked at.
    if status == Status::Pass && !skipped.is_empty() {
        return Outcome::new(
            Status::Skipped,
            expected,
            observed,
            tr!(
                "Các tiêu chí được đánh giá đều đạt; bị bỏ qua: {}",
                "the judged requirements are met; skipped: {}",
                skipped.join(", ")
            ),
        );
    }
    let message = if failing.is_empty() {
        Text::new(
            "Các tiêu chí liên quan đều đạt",
            "every referenced requirement is met",
        )
    } else if status == Status::Pending {
        tr!(
            "Chờ kết quả các tiêu chí: {}",
            "waiting for: {}",
            failing.join(", ")
        )
    } else {
        tr!(
            "Chưa đạt theo tiêu chí: {}",
            "not met through: {}",
            failing.join(", ")
        )
    };
    let credit = (judged.len() - failing.len()) as f64 / judged.len().max(1) as f64;
    Outcome::new(status, expected, observed, message).with_credit(credit)
}

pub(super) fn combine(req: &Requirement, outcomes: Vec<Outcome>) -> Verdict {
    let any = |s: Status| outcomes.iter().any(|o| o.status == s);
    let status = if outcomes.is_empty() {
        Status::NotApplicable
    } else if any(Status::Fail) {
        Status::Fail
    } else if any(Status::Error) {
        Status::Error
    } else if any(Status::Pending) {
        Status::Pending
    } else if any(Status::Skipped) {
        // A part left unjudged (the browser not run) leaves the whole unjudged: a pass on
        // the other parts alone would overstate it.
        Status::Skipped
    } else if outcomes.iter().all(|o| o.status == Status::Attested) {
        Status::Attested
    } else if any(Status::Delegated) {
        Status::Delegated
    } else if outcomes.iter().all(|o| o.status == Status::NotApplicable) {
        // A check that has nothing to judge here (PL8-2 on a portal addressed by IP).
        Status::NotApplicable
    } else {
        Status::Pass
    };
    let n = outcomes.len().max(1) as f64;
    // The verdict's message is that of the first check with the verdict's status.
    let lead = outcomes
        .iter()
        .find(|o| o.status == status)
        .or(outcomes.first());
    let credit = if status == Status::Fail || status == Status::Error || status == Status::Pending {
        outcomes
            .iter()
            .map(|o| {
                if o.status == Status::Pass {
                    1.0
                } else {
                    o.credit
                }
            })
            .sum::<f64>()
            / n
    } else {
        outcomes.iter().map(|o| o.credit).sum::<f64>() / n
    };
    Verdict {
        id: req.id.clone(),
        status,
        expected: Text::join(
            &outcomes
                .iter()
                .map(|o| o.expected.clone())
                .collect::<Vec<_>>(),
            "; ",
        ),
        observed: Text::join(
            &outcomes
                .iter()
                .map(|o| o.observed.clone())
                .collect::<Vec<_>>(),
            "; ",
        ),
        message: lead.map(|o| o.message.clone()).unwrap_or_default(),
        evidence: outcomes.into_iter().flat_map(|o| o.evidence).collect(),
        credit: if status == Status::Fail && credit >= 1.0 {
            0.0
        } else {
            credit
        },
        findings: Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn verdict(id: &str, status: Status) -> Verdict {
        Verdict {
            id: crate::checklist::RequirementId(id.into()),
            status,
            expected: Text::same(""),
            observed: Text::same(""),
            message: Text::same(""),
            evidence: Vec::new(),
            credit: 0.0,
            findings: Vec::new(),
        }
    }

    fn judged(statuses: &[(&str, Status)]) -> Outcome {
        let ids: Vec<String> = statuses.iter().map(|(i, _)| (*i).to_string()).collect();
        let all: Vec<Verdict> = statuses.iter().map(|(i, s)| verdict(i, *s)).collect();
        same_as(&ids, &|id| all.iter().find(|v| v.id.0 == id).cloned())
    }

    #[test]
    fn same_as_never_passes_over_a_skipped_item() {
        let all_met = judged(&[("PL6-1", Status::Pass), ("PL6-2", Status::Pass)]);
        assert_eq!(all_met.status, Status::Pass);
        let left_out = judged(&[("PL6-1", Status::Pass), ("PL6-2", Status::Skipped)]);
        assert_eq!(left_out.status, Status::Skipped);
        assert!(
            left_out.message.en.contains("skipped: PL6-2"),
            "{:?}",
            left_out.message
        );
        let failed = judged(&[("PL6-1", Status::Fail), ("PL6-2", Status::Skipped)]);
        assert_eq!(
            failed.status,
            Status::Fail,
            "a failure among the judged still fails"
        );
        let waiting = judged(&[("PL6-1", Status::Pending), ("PL6-2", Status::Skipped)]);
        assert_eq!(waiting.status, Status::Pending);
    }
}

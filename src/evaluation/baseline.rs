//! `--baseline`: this evaluation against an earlier one of the same portal, for CI gates. Only
//! what changed is reported: **regressions** (a requirement that now fails, or now errors where
//! it was met) and **fixes** (a requirement that failed or errored and is now met). With
//! `--fail-on regression` the exit code is 1 exactly when there is a regression.
//!
//! Requirements are matched by id within their checklist edition; a requirement the baseline
//! did not have counts as "new" (`before = None`) when it fails.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Conformance, Judged, Status};

/// What `--baseline` reads of an earlier `evaluation.json` (the rest is ignored, so baselines of
/// any schema version with these fields are accepted).
#[derive(Debug, Clone, Deserialize)]
pub struct Baseline {
    /// When it was produced.
    pub generated_at: String,
    /// Its verdict.
    pub verdict: Conformance,
    /// Its score.
    pub score: f64,
    /// Its portal.
    pub portal: BaselinePortal,
    /// Its requirements.
    pub requirements: Vec<BaselineRequirement>,
}

/// The baseline's portal.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselinePortal {
    /// Name.
    pub name: String,
    /// Home page.
    pub base_url: String,
}

/// One requirement of the baseline.
#[derive(Debug, Clone, Deserialize)]
pub struct BaselineRequirement {
    /// Id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Status.
    pub status: Status,
}

/// The comparison, recorded in the evaluation and shown in every report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Comparison {
    /// The baseline file, as given.
    pub file: String,
    /// When the baseline was produced.
    pub generated_at: String,
    /// The baseline's verdict.
    pub verdict: Conformance,
    /// The baseline's score.
    pub score: f64,
    /// The baseline assessed another portal name (a staging copy often has another host: the
    /// host alone is not compared).
    pub other_portal: Option<String>,
    /// Requirements that now fail, or now error where they were met.
    pub regressions: Vec<Change>,
    /// Requirements that failed or errored and are now met.
    pub fixes: Vec<Change>,
}

/// One requirement whose status changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Change {
    /// Requirement id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Status in the baseline (`None`: the baseline did not have it).
    pub before: Option<Status>,
    /// Status now.
    pub after: Status,
}

/// Met: the requirement earns its weight or does not apply.
fn met(s: Status) -> bool {
    matches!(
        s,
        Status::Pass | Status::Attested | Status::Delegated | Status::NotApplicable
    )
}

impl Baseline {
    /// Parses an `evaluation.json`.
    ///
    /// # Errors
    /// The JSON error when it is not one.
    pub fn parse(text: &str) -> Result<Self, serde_json::Error> {
        serde_json::from_str(text)
    }

    /// Compares `now` with the baseline.
    pub fn compare(&self, file: &str, portal_name: &str, now: &[Judged]) -> Comparison {
        let mut regressions = Vec::new();
        let mut fixes = Vec::new();
        for r in now {
            let before = self
                .requirements
                .iter()
                .find(|b| b.id == r.verdict.id.as_str() && b.checklist == r.checklist)
                .map(|b| b.status);
            let after = r.verdict.status;
            let change = || Change {
                id: r.verdict.id.to_string(),
                checklist: r.checklist.clone(),
                mandatory: r.mandatory,
                before,
                after,
            };
            let regressed = match after {
                Status::Fail => before != Some(Status::Fail),
                Status::Error => before.is_some_and(met),
                _ => false,
            };
            if regressed {
                regressions.push(change());
            } else if met(after) && matches!(before, Some(Status::Fail | Status::Error)) {
                fixes.push(change());
            }
        }
        // Mandatory first, then by id: the gate's reason leads.
        for list in [&mut regressions, &mut fixes] {
            list.sort_by(|a, b| b.mandatory.cmp(&a.mandatory).then(a.id.cmp(&b.id)));
        }
        Comparison {
            file: file.to_string(),
            generated_at: self.generated_at.clone(),
            verdict: self.verdict,
            score: self.score,
            other_portal: (crate::unicode::nfc(&self.portal.name)
                != crate::unicode::nfc(portal_name))
            .then(|| self.portal.name.clone()),
            regressions,
            fixes,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::{Category, Provenance, RequirementId};
    use crate::evaluation::Verdict;
    use crate::text::Text;

    fn judged(id: &str, mandatory: bool, status: Status) -> Judged {
        let verdict = Verdict {
            id: RequirementId(id.into()),
            status,
            expected: Text::default(),
            observed: Text::default(),
            message: Text::default(),
            evidence: vec![],
            credit: 0.0,
            findings: Vec::new(),
        };
        Judged {
            checklist: "tt21-2023".into(),
            title: Text::new("t", "t"),
            basis: String::new(),
            provenance: Provenance::Primary,
            category: Category::Security,
            weight: 1.0,
            mandatory,
            method: Vec::new(),
            thresholds: Vec::new(),
            remedy: None,
            verdict,
        }
    }

    fn baseline(rows: &[(&str, Status)]) -> Baseline {
        Baseline {
            generated_at: "2026-11-01T00:00:00Z".into(),
            verdict: Conformance::NonConformant,
            score: 80.0,
            portal: BaselinePortal {
                name: "Cổng".into(),
                base_url: "https://127.0.0.1:1/".into(),
            },
            requirements: rows
                .iter()
                .map(|(id, s)| BaselineRequirement {
                    id: (*id).into(),
                    checklist: "tt21-2023".into(),
                    status: *s,
                })
                .collect(),
        }
    }

    #[test]
    fn new_failures_and_lost_passes_are_regressions_and_recoveries_are_fixes() {
        let b = baseline(&[
            ("SEC-1", Status::Pass),
            ("SEC-2", Status::Fail),
            ("SEC-3", Status::Pass),
            ("PL3-3", Status::Pending),
            ("PL3-4", Status::Error),
            ("PL3-5", Status::Fail),
            ("PL3-6", Status::Pending),
        ]);
        let now = [
            judged("SEC-1", true, Status::Fail),   // pass → fail: regression
            judged("SEC-2", true, Status::Pass),   // fail → pass: fix
            judged("SEC-3", false, Status::Error), // pass → error: regression
            judged("PL3-3", true, Status::Fail),   // pending → fail: regression (newly seen)
            judged("PL3-4", true, Status::Attested), // error → attested: fix
            judged("PL3-5", true, Status::Fail),   // still failing: neither
            judged("PL3-6", true, Status::Error),  // pending → error: not a regression
            judged("PL4-1", false, Status::Fail),  // not in the baseline: regression (new)
        ];
        let c = b.compare("base.json", "Cổng", &now);
        let ids = |v: &[Change]| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&c.regressions), ["PL3-3", "SEC-1", "PL4-1", "SEC-3"]);
        assert_eq!(ids(&c.fixes), ["PL3-4", "SEC-2"]);
        assert_eq!(c.regressions[2].before, None);
        assert_eq!(c.other_portal, None);
    }

    #[test]
    fn an_unchanged_run_has_nothing_to_report_and_another_portal_is_named() {
        let b = baseline(&[("SEC-1", Status::Fail), ("SEC-2", Status::Pass)]);
        let now = [
            judged("SEC-1", true, Status::Fail),
            judged("SEC-2", true, Status::Pass),
        ];
        let c = b.compare("base.json", "Cổng khác", &now);
        assert!(c.regressions.is_empty() && c.fixes.is_empty());
        assert_eq!(c.other_portal.as_deref(), Some("Cổng"));
    }

    #[test]
    fn a_requirement_of_another_edition_is_not_matched() {
        let mut b = baseline(&[("SEC-1", Status::Fail)]);
        b.requirements[0].checklist = "tt21-2025".into();
        let c = b.compare("b", "Cổng", &[judged("SEC-1", true, Status::Fail)]);
        assert_eq!(
            c.regressions.len(),
            1,
            "a failure the baseline did not judge is new"
        );
    }
}

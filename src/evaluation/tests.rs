//! Tests of the parent module.

use super::*;

fn judged(id: &str, status: Status, mandatory: bool, weight: f64, credit: f64) -> Judged {
    Judged {
        checklist: "t".into(),
        title: Text::same(id),
        basis: String::new(),
        provenance: Provenance::Draft,
        category: Category::Layout,
        weight,
        mandatory,
        method: vec![Method::Http],
        thresholds: vec![],
        verdict: Verdict {
            id: RequirementId(id.into()),
            status,
            expected: Text::default(),
            observed: Text::default(),
            message: Text::default(),
            evidence: vec![],
            credit,
            findings: vec![],
        },
        remedy: None,
    }
}

#[test]
fn score_is_weighted_and_skips_excluded() {
    let r = vec![
        judged("A-1", Status::Pass, true, 3.0, 1.0),
        judged("A-2", Status::Fail, true, 1.0, 0.0),
        judged("A-3", Status::Skipped, true, 100.0, 0.0),
        judged("A-4", Status::Fail, false, 1.0, 0.5),
    ];
    assert!((score(&r) - 70.0).abs() < 1e-9);
}

#[test]
fn mandatory_failure_beats_error_and_optional_failure_needs_fail_on_any() {
    let optional = vec![judged("A-1", Status::Fail, false, 1.0, 0.0)];
    assert_eq!(
        conformance(&optional, FailOn::Mandatory),
        Conformance::Conformant
    );
    assert_eq!(
        conformance(&optional, FailOn::Any),
        Conformance::NonConformant
    );
    let both = vec![
        judged("A-1", Status::Error, true, 1.0, 0.0),
        judged("A-2", Status::Fail, true, 1.0, 0.0),
    ];
    assert_eq!(
        conformance(&both, FailOn::Mandatory),
        Conformance::NonConformant
    );
    assert_eq!(
        conformance(&both[..1], FailOn::Mandatory),
        Conformance::Incomplete
    );
}

#[test]
fn mandatory_pending_is_provisional_never_conformant() {
    let r = vec![
        judged("A-1", Status::Pass, true, 1.0, 1.0),
        judged("A-2", Status::Pending, true, 1.0, 0.0),
        judged("A-3", Status::Pending, false, 1.0, 0.0),
    ];
    assert_eq!(conformance(&r, FailOn::Mandatory), Conformance::Provisional);
    assert_eq!(mandatory_pending(&r), 1);
    assert_eq!(
        conformance(&r[..1], FailOn::Mandatory),
        Conformance::Conformant
    );
    let optional_only = [r[0].clone(), r[2].clone()];
    assert_eq!(
        conformance(&optional_only, FailOn::Mandatory),
        Conformance::Conformant
    );
    let with_error = [r[1].clone(), judged("A-4", Status::Error, false, 1.0, 0.0)];
    assert_eq!(
        conformance(&with_error, FailOn::Mandatory),
        Conformance::Incomplete
    );
}

#[test]
fn emc_failure_is_not_rankable() {
    let r = vec![judged("PL6-1", Status::Fail, true, 1.0, 0.0)];
    let mut policies = ranking_policies();
    let (rankable, why) = Evaluation::rankability(&r, Conformance::NonConformant, &policies);
    // One page without the embed fails PL6-1 with partial credit: still connected.
    let partly = vec![judged("PL6-1", Status::Fail, true, 1.0, 0.9)];
    assert!(Evaluation::rankability(&partly, Conformance::NonConformant, &policies).0);
    assert!(!rankable);
    assert!(why.unwrap().en.contains("emc-connected"));
    policies[0].enabled = false;
    assert!(Evaluation::rankability(&r, Conformance::NonConformant, &policies).0);
}

#[test]
fn a_partial_run_is_provisional_and_not_rankable() {
    let r = vec![
        judged("A-1", Status::Pass, true, 1.0, 1.0),
        judged("A-2", Status::Skipped, true, 1.0, 0.0),
    ];
    assert_eq!(conformance(&r, FailOn::Mandatory), Conformance::Provisional);
    let (rankable, why) = Evaluation::rankability(&r, Conformance::Provisional, &[]);
    assert!(!rankable);
    assert!(why.unwrap().en.contains("partial evaluation"));
    // An optional item left out changes nothing.
    let r = vec![
        judged("A-1", Status::Pass, true, 1.0, 1.0),
        judged("A-3", Status::Skipped, false, 1.0, 0.0),
    ];
    assert_eq!(conformance(&r, FailOn::Mandatory), Conformance::Conformant);
}

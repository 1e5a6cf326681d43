//! `report.sarif` against the vendored OASIS schema, and what it says about each finding.

use serde_json::Value;

use super::render;
use crate::checklist::Checklist;
use crate::evaluation::finding::{Severity, SeverityRule};
use crate::evaluation::{Evaluation, FailOn, PortalInfo, Status};
use crate::judge::judge_all;
use crate::observation::{ActiveRun, Lockout, Observations, Renewal};
use crate::text::Lang;

const SCHEMA: &str = include_str!("../../vendor/sarif/sarif-schema-2.1.0.json");

fn validate(doc: &Value) -> Vec<String> {
    let schema: Value = serde_json::from_str(SCHEMA).unwrap();
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft4)
        .should_validate_formats(true)
        .build(&schema)
        .expect("the vendored SARIF schema compiles without remote references");
    validator.iter_errors(doc).map(|e| e.to_string()).collect()
}

/// The security requirements of tt21-2023 judged over observations in which the session id
/// is kept at login and the account never locks (no pages: the passive checks are `error`).
fn evaluation(rules: Vec<SeverityRule>, base: &str) -> Evaluation {
    let checklist = Checklist::resolve("tt21-2023").unwrap();
    let obs = Observations {
        security_severity: rules,
        active: Some(Box::new(ActiveRun {
            login_url: format!("{base}dang-nhap/mat-khau?token=s3cr3t"),
            requests: 9,
            renewal: Some(Renewal {
                cookie_name: "dvc_session".into(),
                issued_before: true,
                renewed: false,
            }),
            lockout: Some(Lockout {
                wrong_attempts: 5,
                locked_message_at: None,
                right_password_refused: false,
            }),
            ..ActiveRun::default()
        })),
        ..Observations::default()
    };
    let only = ["SEC-3", "SEC-5", "SEC-2", "D4-2"].map(String::from);
    let reqs = judge_all(
        std::slice::from_ref(&checklist),
        &obs,
        "province",
        &only,
        &[],
        |_| {},
    );
    Evaluation::new(
        PortalInfo {
            name: "Cổng Mẫu".into(),
            organisation: "UBND tỉnh Mẫu".into(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: base.into(),
            public_host: "dvc.mau.gov.vn".into(),
        },
        &[checklist],
        reqs,
        obs,
        FailOn::Mandatory,
        "2026-11-30T09:00:00Z".into(),
    )
}

fn results(doc: &Value) -> &Vec<Value> {
    doc["runs"][0]["results"].as_array().unwrap()
}

fn result<'a>(doc: &'a Value, rule: &str) -> Option<&'a Value> {
    results(doc).iter().find(|r| r["ruleId"] == rule)
}

#[test]
fn sarif_is_valid_against_the_oasis_schema_and_names_zap_rules() {
    let e = evaluation(Vec::new(), "https://dvc.mau.gov.vn/");
    let text = render(&e, Lang::En);
    let doc: Value = serde_json::from_str(&text).unwrap();
    let errors = validate(&doc);
    assert!(errors.is_empty(), "{errors:#?}\n{text}");
    assert_eq!(doc["version"], "2.1.0");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"]
        .as_array()
        .unwrap();
    let cookie = rules
        .iter()
        .find(|r| r["id"] == "SEC-3/cookie-flags")
        .expect("a rule per finding");
    assert_eq!(
        cookie["properties"]["zapRuleIds"],
        serde_json::json!([10010, 10011, 10054])
    );
    assert_eq!(
        cookie["helpUri"],
        "https://www.zaproxy.org/docs/alerts/10010/"
    );
    let fixation = result(&doc, "SEC-3/session-renewed").expect("the failed finding");
    assert_eq!(fixation["level"], "error");
    assert!(
        fixation["message"]["text"]
            .as_str()
            .unwrap()
            .contains("session fixation")
    );
    let uri = fixation["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        .as_str()
        .unwrap();
    assert!(
        uri.starts_with("https://dvc.mau.gov.vn/dang-nhap/mat-khau"),
        "{uri}"
    );
    assert!(result(&doc, "SEC-5/login-lockout").is_some());
    assert!(
        !results(&doc).iter().any(|r| r["ruleId"] == "D4-2/same-as"),
        "D4-2 restates SEC-3 and SEC-5: no result of its own"
    );
    let d42 = e
        .requirements
        .iter()
        .find(|j| j.verdict.id.as_str() == "D4-2")
        .unwrap();
    assert_eq!(d42.verdict.status, Status::Fail, "{:?}", d42.verdict);
    // The passive checks could not run (no pages): `error`, not a result.
    assert!(result(&doc, "SEC-3/cookie-flags").is_none());
    // Vietnamese by default.
    let vi: Value = serde_json::from_str(&render(&e, Lang::Vi)).unwrap();
    let m = result(&vi, "SEC-3/session-renewed").unwrap()["message"]["text"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(m.contains("Mã phiên giữ nguyên"), "{m}");
}

#[test]
fn fingerprints_are_stable_across_runs_and_ports() {
    let a = evaluation(Vec::new(), "https://dvc.mau.gov.vn/");
    let mut b = evaluation(Vec::new(), "https://dvc.mau.gov.vn:8443/");
    b.generated_at = "2026-12-01T10:00:00Z".into();
    let fp = |e: &Evaluation| {
        let doc: Value = serde_json::from_str(&render(e, Lang::En)).unwrap();
        results(&doc)
            .iter()
            .map(|r| r["partialFingerprints"]["kiemdinhFinding/v1"].clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(fp(&a), fp(&b));
    assert!(!fp(&a).is_empty());
    assert_ne!(fp(&a)[0], fp(&a)[1], "one per finding");
}

#[test]
fn warn_keeps_a_finding_as_a_warning_and_ignore_drops_it_with_the_verdict_honest() {
    let plain = evaluation(Vec::new(), "https://dvc.mau.gov.vn/");
    let status = |e: &Evaluation, id: &str| {
        e.requirements
            .iter()
            .find(|j| j.verdict.id.as_str() == id)
            .map(|j| j.verdict.clone())
            .unwrap()
    };
    assert_eq!(status(&plain, "SEC-5").status, Status::Fail);
    let rules = vec![
        SeverityRule {
            key: "SEC-5".into(),
            severity: Severity::Warn,
        },
        SeverityRule {
            key: "40013".into(),
            severity: Severity::Ignore,
        },
    ];
    let e = evaluation(rules, "https://dvc.mau.gov.vn/");
    let sec5 = status(&e, "SEC-5");
    assert_eq!(sec5.status, Status::Pass, "a warned failure does not fail");
    assert!(
        sec5.message
            .en
            .contains("downgraded to warn by [security.severity]: SEC-5/login-lockout"),
        "{:?}",
        sec5.message
    );
    assert_eq!(
        sec5.findings[0].status,
        Status::Fail,
        "the finding keeps its outcome"
    );
    let sec3 = status(&e, "SEC-3");
    assert!(
        sec3.message
            .en
            .contains("ignored by [security.severity]: SEC-3/session-renewed")
    );
    assert_ne!(sec3.status, Status::Fail, "only the ignored check failed");
    let doc: Value = serde_json::from_str(&render(&e, Lang::En)).unwrap();
    assert!(validate(&doc).is_empty());
    assert_eq!(
        result(&doc, "SEC-5/login-lockout").unwrap()["level"],
        "warning"
    );
    assert!(result(&doc, "SEC-3/session-renewed").is_none());
    assert_eq!(
        doc["runs"][0]["properties"]["severityRules"][1]["key"],
        "40013"
    );
    // Every finding ignored: the requirement is left out (`skipped`), never a pass.
    let all = evaluation(
        vec![SeverityRule {
            key: "SEC-5".into(),
            severity: Severity::Ignore,
        }],
        "https://dvc.mau.gov.vn/",
    );
    assert_eq!(status(&all, "SEC-5").status, Status::Skipped);
}

#[test]
fn a_broken_document_fails_the_schema() {
    let mut doc: Value = serde_json::from_str(&render(
        &evaluation(Vec::new(), "https://dvc.mau.gov.vn/"),
        Lang::En,
    ))
    .unwrap();
    doc["runs"][0]["results"][0]["level"] = "fatal".into();
    assert!(!validate(&doc).is_empty(), "the validation can fail");
}

#[test]
fn the_report_states_every_configured_severity() {
    let rules = vec![SeverityRule {
        key: "SEC-5".into(),
        severity: Severity::Warn,
    }];
    let e = evaluation(rules, "https://dvc.mau.gov.vn/");
    let rows = super::severity_overrides(&e);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, "SEC-5/login-lockout");
    assert_eq!(
        (rows[0].from.as_str(), rows[0].to.as_str()),
        ("fail", "warn")
    );
    let md = crate::report::render(&e, crate::report::Format::Md, Lang::En).unwrap();
    assert!(md.contains("SEC-5/login-lockout"), "{md}");
    assert!(super::severity_overrides(&evaluation(Vec::new(), "https://x.vn/")).is_empty());
}

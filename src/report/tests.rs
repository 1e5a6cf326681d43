//! Unit tests of the report's cover, action list and footnotes on hand-made evaluations.

use crate::checklist::{Category, Method, Provenance, RequirementId, Threshold};
use crate::evaluation::{Evaluation, EvidenceRef, FailOn, Judged, PortalInfo, Status, Verdict};
use crate::observation::Observations;
use crate::text::{Lang, Text};

fn judged(id: &str, status: Status, mandatory: bool, category: Category) -> Judged {
    Judged {
        checklist: "tt21-2023".into(),
        title: Text::new(format!("{id} vi"), format!("{id} en")),
        basis: "Đ1".into(),
        provenance: Provenance::Primary,
        category,
        weight: 2.0,
        mandatory,
        method: vec![Method::Http],
        thresholds: vec![],
        verdict: Verdict {
            id: RequirementId(id.into()),
            status,
            expected: Text::new("kỳ vọng", "expected thing"),
            observed: Text::new("thấy", "seen thing"),
            message: Text::new("thông điệp", "the message"),
            evidence: vec![EvidenceRef::url("home", "https://dvc.mau.gov.vn/")],
            credit: if status == Status::Pass { 1.0 } else { 0.0 },
            findings: Vec::new(),
        },
        remedy: None,
    }
}

fn evaluation(requirements: Vec<Judged>) -> Evaluation {
    let observations = Observations {
        started_at: "2026-11-29T08:00:05Z".into(),
        finished_at: "2026-11-29T08:04:59Z".into(),
        ..Observations::default()
    };
    Evaluation::new(
        PortalInfo {
            name: "Cổng <b>Mẫu</b>".into(),
            organisation: "UBND tỉnh Mẫu".into(),
            organisation_kind: "province".into(),
            vendor: Some("Công ty ABC".into()),
            evaluator: Some("Sở KH&CN".into()),
            base_url: "https://dvc.mau.gov.vn/".into(),
            public_host: "dvc.mau.gov.vn".into(),
        },
        &[],
        requirements,
        observations,
        FailOn::Mandatory,
        "2026-11-29T08:05:00Z".into(),
    )
}

#[test]
fn actions_come_mandatory_failures_first_then_failures_then_errors() {
    use super::actions::Priority::{Error, Fail, MandatoryFail};
    let mut with_remedy = judged("SEC-2", Status::Fail, true, Category::Security);
    with_remedy.remedy = Some(Text::new("thêm HSTS", "add HSTS"));
    let e = evaluation(vec![
        judged("E-1", Status::Error, true, Category::Functions),
        judged("F-1", Status::Fail, false, Category::Functions),
        judged("P-1", Status::Pass, true, Category::Functions),
        judged("M-1", Status::Fail, true, Category::Layout),
        judged("Q-1", Status::Pending, true, Category::Layout),
        with_remedy,
        judged("E-2", Status::Error, false, Category::Other),
    ]);
    let a = super::actions::build(&e, Lang::En);
    let order: Vec<(&str, super::actions::Priority)> =
        a.iter().map(|x| (x.id.as_str(), x.priority)).collect();
    assert_eq!(
        order,
        [
            ("M-1", MandatoryFail),
            ("SEC-2", MandatoryFail),
            ("F-1", Fail),
            ("E-1", Error),
            ("E-2", Error)
        ]
    );
    assert_eq!(a.iter().map(|x| x.n).collect::<Vec<_>>(), [1, 2, 3, 4, 5]);
    let sec2 = &a[1];
    assert_eq!((sec2.remedy.as_str(), sec2.generic), ("add HSTS", false));
    assert_eq!(sec2.expected, "expected thing");
    assert_eq!(sec2.observed, "seen thing");
    assert_eq!(sec2.evidence.len(), 1);
    assert!(sec2.unblock.is_empty());
    // No remedy in the checklist: the generic text, quoting what was expected.
    assert!(
        a[0].generic && a[0].remedy.contains("expected thing"),
        "{}",
        a[0].remedy
    );
    // An error says how to make the check run.
    assert!(a[3].unblock.contains("the message"), "{}", a[3].unblock);
    assert!(super::actions::build(&evaluation(vec![]), Lang::Vi).is_empty());
}

#[test]
fn category_sub_scores_count_only_what_counts_and_the_chart_writes_values() {
    let mut skipped = judged("S-1", Status::Skipped, true, Category::Other);
    skipped.weight = 5.0;
    let mut half = judged("H-1", Status::Fail, true, Category::Layout);
    half.verdict.credit = 0.5;
    let e = evaluation(vec![
        judged("A-1", Status::Pass, true, Category::Security),
        judged("A-2", Status::Fail, true, Category::Security),
        judged("A-3", Status::Pass, true, Category::Security),
        judged("A-4", Status::NotApplicable, true, Category::Security),
        half,
        skipped,
    ]);
    let c = super::cover::build(&e, Lang::En);
    let get = |id: &str| c.categories.iter().find(|x| x.id == id).unwrap();
    assert_eq!(get("security").score, Some(66.7));
    assert_eq!(
        (get("security").text.as_str(), get("security").counted),
        ("66.7", 3)
    );
    assert_eq!(get("layout").score, Some(50.0));
    assert_eq!(
        (get("other").score, get("other").text.as_str()),
        (None, "—")
    );
    assert!(
        c.categories.iter().all(|x| x.id != "functions"),
        "empty categories left out"
    );
    assert!(c.chart.starts_with("<svg") && c.chart.contains(">66.7</text>"));
    assert!(c.chart.contains(">—</text>"));
    // Bar widths follow the scores: 50 % of the 380 px scale.
    assert!(c.chart.contains(r#"width="190.0""#), "{}", c.chart);
    assert_eq!(c.evaluator, "Sở KH&CN");
    assert_eq!(c.period, "2026-11-29 08:00 UTC – 08:04 UTC");
    assert!(super::cover::chart(&[], Lang::En).is_empty());
}

#[test]
fn uncertain_requirements_get_numbered_footnotes_saying_what_is_uncertain() {
    let mut inferred = judged("I-1", Status::Pass, true, Category::Other);
    inferred.provenance = Provenance::Inferred;
    let mut placeholder = judged("T-1", Status::Fail, true, Category::Performance);
    placeholder.thresholds = vec![Threshold {
        check: "page-metric".into(),
        key: "max-ms".into(),
        value: serde_json::json!(2500),
        provenance: Provenance::Placeholder,
    }];
    let e = evaluation(vec![
        judged("A-1", Status::Pass, true, Category::Other),
        inferred,
        placeholder,
    ]);
    let v = super::view::build(&e, Lang::En);
    let numbers: Vec<Option<usize>> = v.requirements.iter().map(|r| r.footnote).collect();
    assert_eq!(numbers, [None, Some(1), Some(2)]);
    let notes = &v.footnotes.list;
    assert_eq!((notes[0].id.as_str(), notes[1].id.as_str()), ("I-1", "T-1"));
    assert!(
        notes[0].parts[0].starts_with("wording: inferred"),
        "{:?}",
        notes[0]
    );
    assert!(
        notes[1].parts[0].starts_with("max-ms = 2500: placeholder"),
        "{:?}",
        notes[1]
    );
    // The action list points at the same footnote.
    assert_eq!(v.actions[0].id, "T-1");
    assert_eq!(v.actions[0].footnote, Some(2));
    let th = &v.footnotes.thresholds;
    assert_eq!(th.len(), 1);
    assert_eq!((th[0].id.as_str(), th[0].footnote), ("T-1", 2));
}

#[test]
fn the_report_shows_the_cover_the_rank_when_known_and_escapes_portal_text() {
    let e = evaluation(vec![judged("M-1", Status::Fail, true, Category::Layout)]);
    let html = super::html(&e, Lang::En).unwrap();
    assert!(
        html.contains("Cổng &lt;b&gt;Mẫu&lt;&#x2F;b&gt;")
            || html.contains("Cổng &lt;b&gt;Mẫu&lt;/b&gt;")
    );
    assert!(!html.contains("<b>Mẫu"));
    assert!(html.contains("Sở KH&amp;CN") && html.contains("Công ty ABC"));
    assert!(!html.contains(r#"id="cover-rank""#));
    assert!(html.contains(r#"id="action-M-1""#));
    let ranked = super::html_with_rank(
        &e,
        Lang::En,
        Some(super::cover::RankView {
            position: 3,
            of: 34,
            tier: Some("B".into()),
            ranking: "2026 — provinces".into(),
        }),
    )
    .unwrap();
    let at = ranked
        .find(r#"id="cover-rank""#)
        .expect("rank on the cover");
    let rank = &ranked[at..at + 200];
    assert!(
        rank.contains(">3</span> / 34 — 2026 — provinces · Tier: B"),
        "{rank}"
    );
}

//! Unit tests of the evaluation history: recording (idempotent), ordering, the Vietnam year
//! boundary, the upgrade of a store written before migration 3.

use rusqlite::Connection;

use super::*;
use crate::checklist::{Category, Method, Provenance, RequirementId};
use crate::evaluation::{FailOn, Judged, PortalInfo, Verdict};
use crate::observation::Observations;
use crate::text::Text;

/// A minimal `evaluation.json` text: what the store reads of one, and more it ignores.
fn eval_json(host: &str, at: &str, score: f64, failed: &[&str]) -> String {
    let mut requirements: Vec<serde_json::Value> = failed
        .iter()
        .map(|id| serde_json::json!({"id": id, "mandatory": true, "status": "fail"}))
        .collect();
    requirements.push(serde_json::json!({"id": "OPT-1", "mandatory": false, "status": "fail"}));
    requirements.push(serde_json::json!({"id": "OK-1", "mandatory": true, "status": "pass"}));
    serde_json::json!({
        "tool_version": "9.9.9",
        "generated_at": at,
        "portal": {"name": "Cổng A", "organisation_kind": "province", "public_host": host},
        "verdict": if failed.is_empty() { "provisional" } else { "non-conformant" },
        "score": score,
        "mandatory_pending": 3,
        "checklists": [{"edition": "tt21-2023"}, {"edition": "qd31-2021-dvcqg"}],
        "requirements": requirements,
        "observations": {"big": "ignored"}
    })
    .to_string()
}

fn store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let s = Store::open(&dir.path().join("k.db")).unwrap();
    (dir, s)
}

fn count(s: &Store) -> i64 {
    s.conn()
        .query_row("SELECT count(*) FROM evaluation", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn recording_the_same_evaluation_twice_keeps_one_row() {
    let (_d, s) = store();
    let text = eval_json("A.gov.vn", "2026-03-01T10:00:00Z", 80.0, &["PL1-1"]);
    assert!(
        s.record_evaluation("a", &text, Some("x/evaluation.json"))
            .unwrap()
    );
    assert!(!s.record_evaluation("a", &text, None).unwrap());
    assert_eq!(count(&s), 1);
    // Another portal id, or another time, is another evaluation.
    assert!(s.record_evaluation("b", &text, None).unwrap());
    let later = eval_json("a.gov.vn", "2026-03-02T10:00:00Z", 81.0, &[]);
    assert!(s.record_evaluation("a", &later, None).unwrap());
    assert_eq!(count(&s), 3);
    let h = s.history("a").unwrap();
    assert_eq!(h[0].host, "a.gov.vn");
    assert_eq!(h[0].name, "Cổng A");
    assert_eq!(h[0].checklist, "qd31-2021-dvcqg,tt21-2023");
    assert_eq!(h[0].verdict, "non-conformant");
    assert_eq!(h[0].failed, ["PL1-1"], "optional failures are not listed");
    assert_eq!(h[0].pending, 3);
    assert_eq!(h[0].tool_version, "9.9.9");
    assert_eq!(h[0].source.as_deref(), Some("x/evaluation.json"));
    assert_eq!(s.evaluation_json(h[0].id).unwrap(), text);
}

#[test]
fn a_text_that_is_no_evaluation_or_a_missing_portal_id_is_refused() {
    let (_d, s) = store();
    let e = s.record_evaluation("a", "{}", Some("f.json")).unwrap_err();
    assert!(e.message.contains("f.json") && e.message.contains("not an evaluation.json"));
    let bad_time = eval_json("a", "yesterday", 1.0, &[]);
    let e = s.record_evaluation("a", &bad_time, None).unwrap_err();
    assert!(e.message.contains("RFC 3339"), "{e}");
    let ok = eval_json("a", "2026-03-01T10:00:00Z", 1.0, &[]);
    assert!(s.record_evaluation("  ", &ok, None).is_err());
    assert_eq!(count(&s), 0);
    assert!(s.evaluation_json(42).is_err());
}

#[test]
fn history_is_in_time_order_whatever_the_order_recorded_and_the_offset_written() {
    let (_d, s) = store();
    // 09:00+07:00 is 02:00Z: earlier than 03:00Z although it sorts later as text.
    for (at, score) in [
        ("2026-05-01T03:00:00Z", 2.0),
        ("2026-05-01T09:00:00+07:00", 1.0),
        ("2026-06-01T00:00:00Z", 3.0),
    ] {
        s.record_evaluation("p", &eval_json("p", at, score, &[]), None)
            .unwrap();
    }
    let scores: Vec<f64> = s.history("p").unwrap().iter().map(|r| r.score).collect();
    assert_eq!(scores, [1.0, 2.0, 3.0]);
    assert!(s.history("nobody").unwrap().is_empty());
    let portals = s.portals().unwrap();
    assert_eq!(portals.len(), 1);
    assert_eq!(portals[0].evaluations, 3);
    assert!((portals[0].latest.score - 3.0).abs() < 1e-9);
}

#[test]
fn the_year_is_counted_in_vietnam_time() {
    assert_eq!(vietnam_year("2025-12-31T16:59:59Z"), Some(2025));
    assert_eq!(vietnam_year("2025-12-31T17:00:00Z"), Some(2026));
    assert_eq!(vietnam_year("2026-01-01T06:00:00+07:00"), Some(2025 + 1));
    assert_eq!(vietnam_year("not a time"), None);
    let (_d, s) = store();
    // Portal x: its last 2025 evaluation at 23:59 in Hà Nội, then one at 00:30 on 1 January.
    let late_2025 = eval_json("x", "2025-12-31T16:59:00Z", 50.0, &[]);
    let early_2026 = eval_json("x", "2025-12-31T17:30:00Z", 60.0, &[]);
    let mid_2025 = eval_json("y", "2025-06-01T00:00:00Z", 70.0, &[]);
    for (p, t) in [("x", &early_2026), ("x", &late_2025), ("y", &mid_2025)] {
        s.record_evaluation(p, t, None).unwrap();
    }
    let y2025: Vec<(String, f64)> = s
        .latest_in_year(2025)
        .unwrap()
        .into_iter()
        .map(|r| (r.portal, r.score))
        .collect();
    assert_eq!(y2025, [("x".to_string(), 50.0), ("y".to_string(), 70.0)]);
    let y2026 = s.latest_in_year(2026).unwrap();
    assert_eq!(y2026.len(), 1);
    assert_eq!((y2026[0].year, y2026[0].score), (Some(2026), 60.0));
    assert!(s.latest_in_year(2024).unwrap().is_empty());
    assert_eq!(s.latest_year().unwrap(), Some(2026));
}

#[test]
fn a_portal_is_found_by_its_id_or_its_published_host() {
    let (_d, s) = store();
    assert_eq!(s.latest_year().unwrap(), None);
    s.record_evaluation(
        "lam-son",
        &eval_json("dvc.LamSon.gov.vn", "2026-01-05T00:00:00Z", 1.0, &[]),
        None,
    )
    .unwrap();
    s.record_evaluation(
        "blank",
        &eval_json("", "2026-01-05T00:00:00Z", 1.0, &[]),
        None,
    )
    .unwrap();
    assert_eq!(
        s.resolve_portal("lam-son").unwrap().as_deref(),
        Some("lam-son")
    );
    assert_eq!(
        s.resolve_portal("DVC.lamson.gov.vn").unwrap().as_deref(),
        Some("lam-son")
    );
    assert_eq!(
        s.resolve_portal("").unwrap(),
        None,
        "an empty host is no host"
    );
    assert_eq!(s.resolve_portal("lam-sơn").unwrap(), None);
}

#[test]
fn a_store_written_before_the_history_columns_is_upgraded_in_place() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    {
        let conn = Connection::open(&path).unwrap();
        for sql in &super::super::MIGRATIONS[..2] {
            conn.execute_batch(sql).unwrap();
        }
        conn.pragma_update(None, "user_version", 2).unwrap();
        let insert = "INSERT INTO evaluation (portal, finished_at, checklist, verdict, score,
                      pending, json) VALUES (?1, ?2, 'tt21-2023', 'non-conformant', 1.0, 0, ?3)";
        let a = eval_json(
            "Old.gov.vn",
            "2025-12-31T18:00:00Z",
            1.0,
            &["PL1-1", "PL2-2"],
        );
        conn.execute(insert, params!["old", "2025-12-31T18:00:00Z", a])
            .unwrap();
        // The same evaluation twice (no unique index then), and a row whose text is damaged.
        conn.execute(insert, params!["old", "2025-12-31T18:00:00Z", a])
            .unwrap();
        conn.execute(insert, params!["bad", "2025-06-01T00:00:00Z", "{not json"])
            .unwrap();
    }
    let s = Store::open(&path).unwrap();
    let old = s.history("old").unwrap();
    assert_eq!(old.len(), 1, "the duplicate is gone");
    let r = &old[0];
    assert_eq!(
        r.year,
        Some(2026),
        "18:00Z on 31 December is 1 January in Hà Nội"
    );
    assert_eq!(r.at_ms, unix_ms("2025-12-31T18:00:00Z"));
    assert_eq!(r.host, "old.gov.vn");
    assert_eq!(r.name, "Cổng A");
    assert_eq!(r.tool_version, "9.9.9");
    assert_eq!(r.failed, ["PL1-1", "PL2-2"]);
    assert_eq!(r.source, None);
    let bad = s.history("bad").unwrap();
    assert_eq!((bad[0].year, bad[0].host.as_str()), (Some(2025), ""));
    assert!(bad[0].failed.is_empty());
    // And recording after the upgrade is idempotent against the old row.
    let again = eval_json("old.gov.vn", "2025-12-31T18:00:00Z", 1.0, &[]);
    assert!(!s.record_evaluation("old", &again, None).unwrap());
}

fn evaluation(at: &str) -> Evaluation {
    let fail = Judged {
        checklist: "tt21-2023".into(),
        title: Text::same("t"),
        basis: String::new(),
        provenance: Provenance::Primary,
        category: Category::Layout,
        weight: 1.0,
        mandatory: true,
        method: vec![Method::Http],
        thresholds: vec![],
        verdict: Verdict {
            id: RequirementId("PL3-4".into()),
            status: Status::Fail,
            expected: Text::default(),
            observed: Text::default(),
            message: Text::default(),
            evidence: vec![],
            credit: 0.0,
            findings: vec![],
        },
        remedy: None,
    };
    Evaluation::new(
        PortalInfo {
            name: "Cổng Mẫu".into(),
            organisation: "UBND".into(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: "https://dvc.mau.gov.vn/".into(),
            public_host: "dvc.mau.gov.vn".into(),
        },
        &[],
        vec![fail],
        Observations::default(),
        FailOn::Mandatory,
        at.into(),
    )
}

#[test]
fn an_assessment_is_recorded_from_the_file_it_wrote_else_rendered() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let e = evaluation("2026-02-01T00:00:00Z");
    // No evaluation.json in `out` (JSON was not asked for): rendered, no source.
    assert!(record_written(&db, "demo", &e, &out, Lang::En).unwrap());
    // The file written: its very bytes, and its path as the source.
    let e2 = evaluation("2026-02-02T00:00:00Z");
    let text = rendered(&e2, Lang::Vi);
    std::fs::write(out.join("evaluation.json"), &text).unwrap();
    assert!(record_written(&db, "demo", &e2, &out, Lang::Vi).unwrap());
    // A stale file of another run is not taken for this one.
    let e3 = evaluation("2026-02-03T00:00:00Z");
    assert!(record_written(&db, "demo", &e3, &out, Lang::Vi).unwrap());
    record(&db, "demo", &e3).unwrap();
    let s = Store::open(&db).unwrap();
    let h = s.history("demo").unwrap();
    assert_eq!(h.len(), 3);
    assert_eq!(h[0].source, None);
    assert_eq!(h[0].failed, ["PL3-4"]);
    assert_eq!(
        h[1].source.as_deref(),
        Some(out.join("evaluation.json").display().to_string().as_str())
    );
    assert_eq!(s.evaluation_json(h[1].id).unwrap(), text);
    assert_eq!(h[2].source, None);
    // A store that cannot be opened is an error naming it.
    let not_db = dir.path().join("out");
    assert!(record(&not_db, "demo", &e).is_err());
}

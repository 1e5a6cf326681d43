//! Honest verdicts: `provisional` over pending mandatory items (never "Đáp ứng"),
//! `--require-complete`, observations too old for a judge, ranking policies, and an error
//! after probing that is not a usage error.

use crate::{ExitCode, assert_exit, assess_demo, evaluation, ids_with, kiemdinh, requirement};

#[test]
fn pending_mandatory_items_make_a_provisional_verdict_with_its_count() {
    let (_d, out, o) = assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "provisional");
    assert!(ids_with(&e, &["fail", "error"]).is_empty());
    let pending = e["mandatory_pending"].as_u64().unwrap();
    assert!(pending > 0);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains(&format!("provisional ({pending} mandatory pending)")),
        "{stdout}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"verdict\">Chưa đủ căn cứ kết luận<"));
    assert!(!html.contains("id=\"verdict\">Đáp ứng<"));
    assert!(html.contains(&format!("còn {pending} tiêu chí bắt buộc")));
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.contains("Chưa đủ căn cứ kết luận (`provisional`)"),
        "{md}"
    );
}

#[test]
fn require_complete_turns_provisional_into_exit_3() {
    let (_d, out, o) = assess_demo(&["--require-complete"]);
    assert_exit(&o, ExitCode::Incomplete);
    assert_eq!(evaluation(&out)["verdict"], "provisional");
}

#[test]
fn conformant_only_when_nothing_mandatory_is_pending() {
    let (_d, out, o) = assess_demo(&["--only", "PL3-1,PL3-2,PL3-3,SEC-2"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "conformant");
    assert_eq!(e["mandatory_pending"], 0);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"verdict\">Đáp ứng<"));
    // The same run with an evidence item selected is provisional again.
    let (_d, out, _) = assess_demo(&["--only", "PL3-1,PL3-9"]);
    assert_eq!(evaluation(&out)["verdict"], "provisional");
}

#[test]
fn rejudging_older_observations_errors_instead_of_failing() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/evaluation-observations-v1.json"
    );
    let out = dir.path().join("r");
    let o = kiemdinh(&["rejudge", fixture, "--out", out.to_str().unwrap(), "-q"]);
    assert_exit(&o, ExitCode::Incomplete);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "incomplete");
    assert!(
        ids_with(&e, &["fail"]).is_empty(),
        "no confident fail on missing data"
    );
    for id in ["PL3-1", "PL3-2", "PL3-5", "PL6-1"] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "error", "{id}");
        let m = r["message"].as_str().unwrap();
        assert!(
            m.contains("kiemdinh 0.1.0") && m.contains("đánh giá lại"),
            "{id}: {m}"
        );
    }
    // What the old observations do hold is still judged.
    assert_eq!(requirement(&e, "SEC-2")["status"], "pass");
    assert_eq!(requirement(&e, "PL3-7")["status"], "pass");
}

#[test]
fn the_emc_ranking_policy_is_stated_and_can_be_switched_off() {
    let (_d, out, o) = assess_demo(&["--defects", "no-emc"]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    assert_eq!(e["rankable"], false);
    assert!(
        e["not_rankable_reason"]
            .as_str()
            .unwrap()
            .contains("emc-connected")
    );
    assert_eq!(e["ranking_policies"][0]["provenance"], "secondary");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"ranking-policies\"") && html.contains("nguồn thứ cấp"));

    let (_d, out, _) = assess_demo(&[
        "--defects",
        "no-emc",
        "--without-ranking-policy",
        "emc-connected",
    ]);
    let e = evaluation(&out);
    assert_eq!(e["rankable"], true);
    assert_eq!(e["ranking_policies"][0]["enabled"], false);

    let (_d, _, o) = assess_demo(&["--without-ranking-policy", "emc-conected"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `emc-connected`?"));
}

#[test]
fn a_report_that_cannot_be_written_after_probing_is_not_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    // A directory where report.html must go: the probe runs, the rename fails.
    std::fs::create_dir_all(out.join("report.html").join("x")).unwrap();
    let o = kiemdinh(&["assess", "--demo", "--out", out.to_str().unwrap(), "-q"]);
    assert_exit(&o, ExitCode::Harness);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("journal.jsonl"), "{stderr}");
    assert!(out.join("journal.jsonl").is_file());
}

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
        stdout.contains(&format!("provisional ({pending} mandatory pending, ")),
        "{stdout}"
    );
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"verdict\">Chưa đủ căn cứ kết luận<"));
    assert!(!html.contains("id=\"verdict\">Đáp ứng<"));
    // `assess_demo` runs without the browser: its mandatory items are skipped, and counted.
    let skipped = e["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["mandatory"] == true && r["status"] == "skipped")
        .count() as u64;
    assert!(skipped > 0);
    assert!(html.contains(&format!("còn {} tiêu chí bắt buộc", pending + skipped)));
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
fn conformant_only_when_nothing_mandatory_is_pending_or_left_out() {
    // An edition that keeps only requirements judged over HTTP: nothing can be pending.
    let dir = tempfile::tempdir().unwrap();
    let keep = ["PL3-1", "PL3-2", "PL3-3", "SEC-2"];
    let base = kiemdinh::checklist::Checklist::resolve("tt21-2023").unwrap();
    let retire: Vec<String> = base
        .requirements
        .iter()
        .map(|r| r.id.to_string())
        .filter(|id| !keep.contains(&id.as_str()))
        .map(|id| format!("\"{id}\""))
        .collect();
    let file = dir.path().join("http-only.toml");
    std::fs::write(
        &file,
        format!(
            "edition = \"http-only\"\ntitle = {{ vi = \"t\", en = \"t\" }}\nbasis = \"test\"\n\
             extends = \"tt21-2023\"\nretire = [{}]\n",
            retire.join(", ")
        ),
    )
    .unwrap();
    let (_d, out, o) = assess_demo(&["--checklist", file.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "conformant");
    assert_eq!(e["mandatory_pending"], 0);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"verdict\">Đáp ứng<"));
    // A subset run is never conformant nor rankable, even when all it judged passed.
    let (_d, out, o) = assess_demo(&["--only", "PL3-1,PL3-2,PL3-3,SEC-2", "--require-complete"]);
    assert_exit(&o, ExitCode::Incomplete);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "provisional");
    assert_eq!(e["rankable"], false);
    assert!(
        e["not_rankable_reason"]
            .as_str()
            .unwrap()
            .contains("bỏ qua")
    );
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
    let e = evaluation(&out);
    // The only failure rests on data the old observations hold: today's edition asks for two
    // procedure fields (conditions, delivery) that portal's pages did not show.
    assert_eq!(
        ids_with(&e, &["fail"]),
        ["PL1-2.1"],
        "no fail on missing data"
    );
    assert!(
        requirement(&e, "PL1-2.1")["observed"]
            .as_str()
            .unwrap()
            .contains("missing delivery")
    );
    assert_exit(&o, ExitCode::NonConformant);
    for id in ["PL3-1", "PL3-2", "PL3-5", "PL6-1"] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "error", "{id}");
        let m = r["message"].as_str().unwrap();
        assert!(
            m.contains("kiemdinh 0.1.0") && m.contains("đánh giá lại"),
            "{id}: {m}"
        );
    }
    // SEC-2 now also judges the CORS preflight, which old observations lack: an error, not
    // a fail.
    assert_eq!(requirement(&e, "SEC-2")["status"], "error");
    // What the old observations do hold is still judged.
    assert_eq!(requirement(&e, "PL3-7")["status"], "pass");
}

#[test]
fn the_emc_ranking_policy_is_stated_and_can_be_switched_off() {
    // One page without the embed fails PL6-1 but the system is connected: still ranked (the
    // policy triggers when no page carries the embed; unit-tested in evaluation::tests).
    let (_d, out, o) = assess_demo(&["--defects", "no-emc"]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    // Not ranked for being partial (`--no-browser` skips mandatory items), never for EMC.
    let reason = e["not_rankable_reason"].as_str().unwrap_or_default();
    assert!(
        reason.starts_with("Đánh giá từng phần") && !reason.contains("chính sách xếp hạng"),
        "{reason}"
    );
    assert_eq!(e["ranking_policies"][0]["id"], "emc-connected");
    assert_eq!(e["ranking_policies"][0]["provenance"], "secondary");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"ranking-policies\"") && html.contains("nguồn thứ cấp"));

    let (_d, out, _) = assess_demo(&["--without-ranking-policy", "emc-connected"]);
    let e = evaluation(&out);
    assert_eq!(e["ranking_policies"][0]["enabled"], false);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("không áp dụng trong lần đánh giá này"));

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
    let o = kiemdinh(&[
        "assess",
        "--demo",
        "--no-browser",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::Harness);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("journal.jsonl"), "{stderr}");
    assert!(out.join("journal.jsonl").is_file());
    // The other reports are still written, evaluation.json first.
    for f in ["evaluation.json", "summary.md", "junit.xml"] {
        assert!(out.join(f).is_file(), "{f}");
    }
}

/// Rejudges the demo's evaluation with its browser run recorded as `status` (`reason`).
fn rejudged_with_browser(status: &str, reason: &str) -> (serde_json::Value, String) {
    let (d, out, o) = assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let mut e = evaluation(&out);
    e["observations"]["browser"] = serde_json::json!({
        "status": status, "reason": reason, "profile": "mobile", "runs": 3,
        "rendered_pages": 0, "not_rendered": 0
    });
    e["observations"]["rendered"] = serde_json::json!({});
    e["observations"]["page_metrics"] = serde_json::json!([]);
    let file = d.path().join("eval.json");
    std::fs::write(&file, serde_json::to_string(&e).unwrap()).unwrap();
    let again = d.path().join("again");
    let _ = kiemdinh(&[
        "rejudge",
        file.to_str().unwrap(),
        "--out",
        again.to_str().unwrap(),
        "-q",
    ]);
    let html = std::fs::read_to_string(again.join("report.html")).unwrap();
    (evaluation(&again), html)
}

#[test]
fn a_skipped_browser_skips_the_browser_requirements_with_the_reason() {
    let (e, html) = rejudged_with_browser("skipped", "--no-browser");
    assert!(
        html.contains("id=\"browser-status\">bỏ qua</span> — --no-browser"),
        "the report's browser section says why"
    );
    for id in [
        "PL4-1", "PL4-2", "PL4-3", "PL6-2", "PL6-3", "PL8-4", "SEC-10",
    ] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "skipped", "{id}");
        let m = r["message"].as_str().unwrap();
        assert!(m.contains("(--no-browser)"), "{id}: {m}");
    }
    // TTFB comes from the HTTP probe; D4-1 keeps its planned part pending.
    assert_eq!(requirement(&e, "PL4-4")["status"], "pass");
    assert_eq!(requirement(&e, "D4-1")["status"], "pending");
    assert_eq!(
        e["verdict"], "provisional",
        "a skipped mandatory item is no conclusion"
    );
}

#[test]
fn a_browser_that_could_not_run_errors_the_browser_requirements() {
    let (e, _) = rejudged_with_browser(
        "failed",
        "chromium is not installed (apt install chromium chromium-driver)",
    );
    for id in ["PL6-2", "PL8-4", "PL4-2"] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "error", "{id}");
        assert!(
            r["message"]
                .as_str()
                .unwrap()
                .contains("chromium is not installed"),
            "{id}"
        );
    }
    assert_eq!(e["verdict"], "incomplete");
}

#[test]
fn a_baseline_reports_regressions_and_fixes_and_gates_on_regressions_alone() {
    let (_d1, before, o) = assess_demo(&["--defects", "no-hsts"]);
    assert_exit(&o, ExitCode::NonConformant);
    let base = before.join("evaluation.json");
    let base = base.to_str().unwrap();

    // The same findings again: non-conformant, but nothing regressed, so the gate passes.
    let again = before.join("again");
    let o = kiemdinh(&[
        "rejudge",
        base,
        "--baseline",
        base,
        "--fail-on",
        "regression",
        "--out",
        again.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::Success);
    let md = fs_err::read_to_string(again.join("summary.md")).unwrap();
    assert!(
        md.contains("Suy giảm: 0") && md.contains("không có mục nào suy giảm"),
        "{md}"
    );

    // HSTS fixed, the footer broken: one fix, a regression, exit 1.
    let (_d2, after, o) = assess_demo(&[
        "--defects",
        "footer-differs",
        "--baseline",
        base,
        "--fail-on",
        "regression",
    ]);
    assert_exit(&o, ExitCode::NonConformant);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("regression(s): D4-1, PL3-3") && stdout.contains("1 fix(es): SEC-2"),
        "{stdout}"
    );
    let e = evaluation(&after);
    let ids = |k: &str| -> Vec<String> {
        e["baseline"][k]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(ids("regressions"), ["D4-1", "PL3-3"]);
    assert_eq!(ids("fixes"), ["SEC-2"]);
    assert_eq!(e["baseline"]["regressions"][1]["before"], "pass");
    let md = fs_err::read_to_string(after.join("summary.md")).unwrap();
    let head = md.split("<details>").next().unwrap();
    assert!(
        head.contains("| PL3-3 |") && head.contains("| SEC-2 |"),
        "{head}"
    );
    let html = fs_err::read_to_string(after.join("report.html")).unwrap();
    let section = |id: &str| {
        let start = html.find(&format!("<table id=\"{id}\">")).expect(id);
        html[start..start + html[start..].find("</table>").unwrap()].to_string()
    };
    assert!(section("regressions").contains("href=\"#PL3-3\""));
    assert!(section("fixes").contains("href=\"#SEC-2\""));
    assert!(!section("fixes").contains("PL3-3"));
}

#[test]
fn fail_on_regression_needs_a_readable_baseline() {
    let o = kiemdinh(&[
        "assess",
        "--demo",
        "--no-browser",
        "--no-load",
        "--fail-on",
        "regression",
    ]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--baseline"));
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("old.json");
    fs_err::write(&bad, "{\"verdict\": 1}").unwrap();
    let o = kiemdinh(&["assess", "--demo", "--baseline", bad.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("old.json") && err.contains("not a kiemdinh evaluation.json"),
        "{err}"
    );
}

//! The regulation as data: overrides, editions, several checklists, coverage, and what every
//! report shows about provenance and overrides.

use crate::{ExitCode, assert_exit, assess_demo, evaluation, kiemdinh, requirement};

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn set_overrides_change_the_verdict_and_are_recorded_in_every_report() {
    // A 1 µs TTFB limit cannot be met: the override must reach the judge.
    let (_dir, out, o) = assess_demo(&["--set", "PL4-4.max-ms=0.001", "--set", "PL1-8.weight=4"]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    let r = requirement(&e, "PL4-4");
    assert_eq!(r["status"], "fail");
    assert!(
        r["expected"].as_str().unwrap().contains("≤ 0.001 ms"),
        "{r}"
    );
    assert_eq!(r["overrides"][0]["from"], 800.0);
    assert_eq!(r["overrides"][0]["to"], 0.001);
    assert_eq!(r["overrides"][0]["source"], "--set");
    assert_eq!(requirement(&e, "PL1-8")["weight"], 4.0);
    assert_eq!(e["overrides"].as_array().unwrap().len(), 2);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"overrides\"") && html.contains("badge overridden"));
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(
        md.contains("| PL4-4 | `max-ms` | 800 | 0.001 | --set |"),
        "{md}"
    );
}

#[test]
fn bad_overrides_are_usage_errors_with_a_hint() {
    let (_d, _o, o) = assess_demo(&["--set", "PL4-4.max-sm=900"]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("did you mean `max-ms`?"), "{err}");
    let (_d, _o, o) = assess_demo(&["--set", "PL4-4.max-ms=-5"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("must be positive"));
}

#[test]
fn scenario_overrides_name_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
         base-url = \"https://127.0.0.1:9/\"\n\n[overrides.PL4-2]\nmax-ms = \"fast\"\n",
    )
    .unwrap();
    let o = kiemdinh(&[
        "assess",
        "--no-browser",
        "--scenario",
        s.to_str().unwrap(),
        "--out",
        dir.path().join("o").to_str().unwrap(),
    ]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("s.toml:8") && err.contains("overrides.PL4-2.max-ms"),
        "{err}"
    );
    assert!(!dir.path().join("o").exists(), "nothing written");
}

#[test]
fn placeholder_thresholds_are_flagged_in_html_json_and_markdown() {
    let (_dir, out, o) = assess_demo(&["--only", "performance"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    let r = requirement(&e, "PL4-2");
    assert_eq!(r["provenance"], "placeholder");
    assert_eq!(r["uncertain"], true);
    // A primary requirement whose only number is inferred is flagged too; one without numbers
    // is not.
    assert_eq!(requirement(&e, "SEC-1")["uncertain"], true);
    assert_eq!(
        requirement(&e, "SEC-1")["thresholds"][0]["provenance"],
        "inferred"
    );
    assert_eq!(requirement(&e, "PL8-3")["uncertain"], false);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("<span class=\"badge uncertain\""), "badge");
    assert!(
        html.contains("class=\"note\"><span class=\"dagger\">†</span>"),
        "footnote"
    );
    let md = std::fs::read_to_string(out.join("summary.md")).unwrap();
    assert!(md.contains("| PL4-2 † |"), "{md}");
    assert!(md.contains("† "), "footnote");
}

#[test]
fn an_amending_edition_inherits_changes_retires_and_adds() {
    let (_dir, out, o) = assess_demo(&["--checklist", &fixture("tt21-2025-example.toml")]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    let ids: Vec<&str> = e["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    assert!(!ids.contains(&"PL2-13"), "retired");
    assert!(
        ids.contains(&"PL9-1") && ids.contains(&"PL3-2"),
        "added and inherited"
    );
    let r = requirement(&e, "PL4-4");
    assert_eq!(r["provenance"], "secondary");
    assert!(r["expected"].as_str().unwrap().contains("≤ 600 ms"));
    assert_eq!(r["checklist"], "tt21-2025-example");
}

#[test]
fn an_edition_may_not_reuse_an_inherited_id() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(fixture("tt21-2025-example.toml"))
        .unwrap()
        .replace("id = \"PL9-1\"", "id = \"PL3-2\"");
    let f = dir.path().join("bad.toml");
    std::fs::write(&f, text).unwrap();
    let o = kiemdinh(&["check", f.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("already defined by the extended edition"),
        "{err}"
    );
}

#[test]
fn checklists_must_not_overlap_and_references_must_be_selected() {
    let (_d, _o, o) = assess_demo(&[
        "--checklist",
        "tt21-2023",
        "--checklist",
        &fixture("tt21-2025-example.toml"),
    ]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("is in both"));
    let (_d, _o, o) = assess_demo(&["--checklist", "nsw"]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("add `--checklist tt21-2023`"), "{err}");
}

#[test]
fn coverage_command_counts_every_requirement() {
    let o = kiemdinh(&["checklist", "coverage"]);
    assert_exit(&o, ExitCode::Success);
    let text = String::from_utf8_lossy(&o.stdout);
    for edition in ["tt21-2023", "qd31-2021-dvcqg", "nsw"] {
        assert!(text.contains(edition), "{text}");
    }
    let o = kiemdinh(&["checklist", "coverage", "--json"]);
    let rows: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let totals: u64 = rows
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["category"].is_null())
        .map(|r| r["total"].as_u64().unwrap())
        .sum();
    assert_eq!(totals as usize, crate::shipped::ALL_IDS.len());
}

#[test]
fn report_groups_requirements_by_checklist_and_shows_coverage() {
    let (_dir, out, _o) = assess_demo(&[
        "--checklist",
        "tt21-2023",
        "--checklist",
        "qd31-2021-dvcqg",
        "--checklist",
        "nsw",
    ]);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for edition in ["tt21-2023", "qd31-2021-dvcqg", "nsw"] {
        assert!(
            html.contains(&format!("id=\"checklist-{edition}\"")),
            "{edition}"
        );
    }
    assert!(html.contains("id=\"coverage\""));
    let e = evaluation(&out);
    assert_eq!(e["checklists"].as_array().unwrap().len(), 3);
    assert!(!e["coverage"].as_array().unwrap().is_empty());
}

#[test]
fn rejudge_scores_stored_observations_against_new_thresholds_and_editions() {
    // The demo portal is gone when rejudge runs: only the stored observations are judged.
    let (dir, out, o) = assess_demo(&["--defects", "no-hsts", "--set", "PL1-8.weight=3"]);
    assert_exit(&o, ExitCode::NonConformant);
    let again = dir.path().join("again");
    let o = kiemdinh(&[
        "rejudge",
        out.join("evaluation.json").to_str().unwrap(),
        "--set",
        "PL4-4.max-ms=0.001",
        "--out",
        again.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&again);
    assert_eq!(
        requirement(&e, "SEC-2")["status"],
        "fail",
        "same observations"
    );
    assert_eq!(requirement(&e, "PL4-4")["status"], "fail", "new threshold");
    assert_eq!(
        requirement(&e, "PL1-8")["weight"],
        3.0,
        "earlier override kept"
    );
    assert_eq!(e["overrides"].as_array().unwrap().len(), 2);
    let sec11 = requirement(&e, "SEC-11");
    assert_eq!(sec11["status"], "attested");
    let file = sec11["evidence"][0]["file"].as_str().unwrap();
    assert!(
        again.join(file).is_file(),
        "evidence copied with the reports"
    );
    let edition = dir.path().join("edition");
    let o = kiemdinh(&[
        "rejudge",
        out.join("evaluation.json").to_str().unwrap(),
        "--checklist",
        &fixture("tt21-2025-example.toml"),
        "--out",
        edition.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&edition);
    assert_eq!(requirement(&e, "PL9-1")["status"], "pending");
    assert!(
        requirement(&e, "PL4-4")["expected"]
            .as_str()
            .unwrap()
            .contains("≤ 600 ms")
    );
}

#[test]
fn a_run_may_select_fewer_checklists_than_the_scenario_names() {
    // The demo scenario has evidence for tt21-2023 ids; a DVCQG-only run ignores them.
    let (_dir, out, o) = assess_demo(&["--checklist", "qd31-2021-dvcqg"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(e["requirements"].as_array().unwrap().len(), 6);
    assert_eq!(requirement(&e, "DVCQG-2")["status"], "pass");
}

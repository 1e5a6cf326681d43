//! `--active-security` and `--format sarif` end to end (issue 14, items 5 and 6): the
//! reference portal with `session-fixation`, assessed with the demo's test account from the
//! environment; `report.sarif` names the finding, and the password is in no output.

use std::process::Command;

use crate::{ExitCode, assert_exit};

const USER: &str = "can-bo-thu";
const PASSWORD: &str = "Mau@2026-thu";

fn assess(dir: &std::path::Path, flag: bool) -> std::process::Output {
    let out = dir.display().to_string();
    let mut args = vec![
        "assess",
        "--demo",
        "--defects",
        "session-fixation",
        "--no-browser",
        "--no-load",
        "--format",
        "json,sarif",
        "--lang",
        "en",
        "--out",
        &out,
    ];
    if flag {
        args.push("--active-security");
    }
    Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(&args)
        .env("NO_COLOR", "1")
        .env("KIEMDINH_DEMO_STAFF_USER", USER)
        .env("KIEMDINH_DEMO_STAFF_PASSWORD", PASSWORD)
        .output()
        .expect("binary runs")
}

fn sarif(dir: &std::path::Path) -> serde_json::Value {
    serde_json::from_slice(&std::fs::read(dir.join("report.sarif")).unwrap()).unwrap()
}

fn rule_ids(doc: &serde_json::Value) -> Vec<String> {
    doc["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["ruleId"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn session_fixation_reaches_report_sarif_only_with_active_security() {
    let dir = tempfile::tempdir().unwrap();
    let o = assess(dir.path(), true);
    assert_exit(&o, ExitCode::NonConformant);
    let doc = sarif(dir.path());
    assert_eq!(doc["version"], "2.1.0");
    assert_eq!(rule_ids(&doc), vec!["SEC-3/session-renewed"], "{doc:#}");
    for entry in std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(Result::ok)
    {
        if entry.path().is_file() {
            let text = String::from_utf8_lossy(&std::fs::read(entry.path()).unwrap()).to_string();
            assert!(
                !text.contains(PASSWORD),
                "{} holds the password",
                entry.path().display()
            );
        }
    }
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(!stdout.contains(PASSWORD));
    // Without the flag nothing is tried: SEC-3 waits, report.sarif has no result.
    let dir = tempfile::tempdir().unwrap();
    let o = assess(dir.path(), false);
    assert_exit(&o, ExitCode::Success);
    assert!(rule_ids(&sarif(dir.path())).is_empty());
}

//! The evaluation history: `assess --db` records, `history` lists with the trend, `rank --db`
//! ranks the store exactly as `rank` ranks the same files, and the failure paths (unknown
//! portal, missing store, a store that refuses the row), a campaign recording each portal under
//! its scenario stem — the demo assessed without browser or load (a few seconds each).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use crate::{ExitCode, assert_exit, evaluation, ids_with, kiemdinh};

/// 2026-12-31T00:00:00Z: the rankings' time stamp, so two runs give the same bytes.
const EPOCH: &str = "1798675200";

fn assess(db: &Path, out: &Path, extra: &[&str]) -> Output {
    let mut args = vec![
        "assess",
        "--demo",
        "--no-browser",
        "--no-load",
        "--db",
        db.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    kiemdinh(&args)
}

fn rank(args: &[&str], out: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .arg("rank")
        .args(args)
        .args([
            "--no-pdf",
            "--allow-partial",
            "--out",
            out.to_str().unwrap(),
        ])
        .env("NO_COLOR", "1")
        .env("SOURCE_DATE_EPOCH", EPOCH)
        .output()
        .expect("binary runs")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Two assessments of the demo, the second with a missing HSTS header.
struct Recorded {
    _dir: tempfile::TempDir,
    db: PathBuf,
    clean: PathBuf,
    defect: PathBuf,
    root: PathBuf,
}

fn two_assessments() -> Recorded {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    let db = root.join("history.db");
    let (clean, defect) = (root.join("clean"), root.join("no-hsts"));
    assert_exit(&assess(&db, &clean, &[]), ExitCode::Success);
    assert_exit(
        &assess(&db, &defect, &["--defects", "no-hsts"]),
        ExitCode::NonConformant,
    );
    Recorded {
        _dir: dir,
        db,
        clean,
        defect,
        root,
    }
}

#[test]
fn assessments_recorded_in_the_store_show_in_history_and_rank_as_their_files() {
    let rec = two_assessments();
    let db = rec.db.to_str().unwrap();
    let (first, second) = (evaluation(&rec.clean), evaluation(&rec.defect));
    let (s1, s2) = (
        first["score"].as_f64().unwrap(),
        second["score"].as_f64().unwrap(),
    );
    assert!(s2 < s1, "the defect costs points: {s1} → {s2}");

    // The text: both evaluations in order, the change, the failed mandatory ids, the trend.
    let o = kiemdinh(&["history", "--portal", "demo", "--db", db]);
    assert_exit(&o, ExitCode::Success);
    let text = stdout(&o);
    assert!(
        text.contains("portal `demo`") && text.contains("2 evaluations"),
        "{text}"
    );
    let rows: Vec<&str> = text.lines().filter(|l| l.starts_with("20")).collect();
    assert_eq!(rows.len(), 2, "{text}");
    assert!(
        rows[0].contains("provisional") && rows[1].contains("non-conformant"),
        "{text}"
    );
    assert!(rows[1].contains(&format!("{:+.1}", s2 - s1)), "{text}");
    let failed = ids_with(&second, &["fail"]);
    let mandatory_failed: Vec<String> = failed
        .into_iter()
        .filter(|id| crate::requirement(&second, id)["mandatory"] == true)
        .collect();
    assert!(mandatory_failed.contains(&"SEC-2".to_string()));
    assert!(rows[1].ends_with(&mandatory_failed.join(", ")), "{text}");
    assert!(text.contains("trend █▁"), "{text}");

    // JSON: the same, machine-readable.
    let o = kiemdinh(&[
        "history", "--portal", "demo", "--db", db, "--format", "json",
    ]);
    assert_exit(&o, ExitCode::Success);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let evals = j["evaluations"].as_array().unwrap();
    assert_eq!(evals.len(), 2);
    assert_eq!(evals[0]["finished_at"], first["generated_at"]);
    assert_eq!(evals[0]["delta"], serde_json::Value::Null);
    assert!((evals[1]["delta"].as_f64().unwrap() - (s2 - s1)).abs() < 0.051);
    assert_eq!(
        evals[1]["failed_mandatory"],
        serde_json::json!(mandatory_failed)
    );
    assert_eq!(evals[1]["pending"], second["mandatory_pending"]);
    assert_eq!(j["trend"]["sparkline"], "█▁");

    // Markdown, and the list of portals.
    let o = kiemdinh(&["history", "--portal", "demo", "--db", db, "--format", "md"]);
    assert!(
        stdout(&o).starts_with("## History of `demo`"),
        "{}",
        stdout(&o)
    );
    let o = kiemdinh(&["history", "--db", db]);
    assert_exit(&o, ExitCode::Success);
    let line = stdout(&o).lines().nth(1).unwrap_or_default().to_string();
    assert!(line.starts_with("demo ") && line.contains(" 2 ") && line.contains("non-conformant"));

    // `rank --db` ranks the latest evaluation of the portal: the ranking of its file.
    let (from_db, from_files) = (rec.root.join("rank-db"), rec.root.join("rank-files"));
    assert_exit(&rank(&["--db", db], &from_db), ExitCode::Success);
    let latest = rec.defect.join("evaluation.json");
    assert_exit(
        &rank(&[latest.to_str().unwrap()], &from_files),
        ExitCode::Success,
    );
    for f in ["ranking.json", "ranking.csv", "ranking.html"] {
        let (a, b) = (
            std::fs::read_to_string(from_db.join(f)).unwrap(),
            std::fs::read_to_string(from_files.join(f)).unwrap(),
        );
        assert!(a == b, "{f} differs between rank --db and rank on the file");
    }
    let ranking: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(from_db.join("ranking.json")).unwrap())
            .unwrap();
    assert_eq!(ranking["entries"].as_array().unwrap().len(), 1);
    assert!((ranking["entries"][0]["score"].as_f64().unwrap() - s2).abs() < 1e-9);

    // Ranking the files with `--db` records nothing new: both are there already.
    let clean = rec.clean.join("evaluation.json");
    let o = rank(
        &[
            clean.to_str().unwrap(),
            latest.to_str().unwrap(),
            "--db",
            db,
        ],
        &rec.root.join("rank-both"),
    );
    assert_exit(&o, ExitCode::Success);
    assert!(
        stdout(&o).contains("recorded 0 new evaluations"),
        "{}",
        stdout(&o)
    );
}

#[test]
fn an_unknown_portal_or_a_missing_store_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let out = dir.path().join("o");
    assert_exit(&assess(&db, &out, &[]), ExitCode::Success);
    let dbs = db.to_str().unwrap();
    let o = kiemdinh(&["history", "--portal", "dmeo", "--db", dbs]);
    assert_exit(&o, ExitCode::Usage);
    let e = stderr(&o);
    assert!(e.contains("no evaluation of portal `dmeo`"), "{e}");
    assert!(
        e.contains("did you mean `demo`?") && e.contains("known portals: demo"),
        "{e}"
    );
    // The portal's published host names it too.
    let host = evaluation(&out)["portal"]["public_host"]
        .as_str()
        .unwrap()
        .to_string();
    assert_exit(
        &kiemdinh(&["history", "--portal", &host, "--db", dbs]),
        ExitCode::Success,
    );

    let missing = dir.path().join("missing.db");
    for args in [
        vec!["history", "--db", missing.to_str().unwrap()],
        vec!["rank", "--db", missing.to_str().unwrap(), "--no-pdf"],
    ] {
        let o = kiemdinh(&args);
        assert_exit(&o, ExitCode::Usage);
        assert!(stderr(&o).contains("no such database"), "{}", stderr(&o));
    }
    assert!(!missing.exists(), "reading a store never creates one");
    let o = kiemdinh(&["rank", "--no-pdf"]);
    assert_exit(&o, ExitCode::Usage);

    // A store that cannot be opened stops `assess` before anything runs.
    let not_a_store = dir.path().join("o");
    let o = assess(&not_a_store, &dir.path().join("never"), &[]);
    assert_exit(&o, ExitCode::Usage);
    assert!(!dir.path().join("never").exists());
}

#[test]
fn a_store_that_refuses_the_row_is_a_warning_after_the_reports_are_written() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("h.db");
    let store = kiemdinh::store::Store::open(&db).unwrap();
    store
        .conn()
        .execute_batch(
            "CREATE TRIGGER refuse BEFORE INSERT ON evaluation
             BEGIN SELECT RAISE(ABORT, 'refused by the test'); END;",
        )
        .unwrap();
    drop(store);
    let out = dir.path().join("o");
    let o = assess(&db, &out, &[]);
    // The verdict's exit code, the reports written, the warning with the way to record later.
    assert_exit(&o, ExitCode::Success);
    assert!(out.join("evaluation.json").is_file());
    let e = stderr(&o);
    assert!(
        e.contains("warning: the evaluation was not recorded"),
        "{e}"
    );
    assert!(
        e.contains("refused by the test") && e.contains("--db"),
        "{e}"
    );
}

#[test]
fn a_campaign_with_a_store_records_every_portal_under_its_scenario_stem() {
    let (_portal, base, http, ca) = crate::flows::serve_both(&[]);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    std::fs::create_dir(&dir).unwrap();
    crate::campaign::scenario(&dir, "a-mot", "Cổng Một", &base, &http, &ca);
    crate::campaign::scenario(&dir, "b-hai", "Cổng Hai", &base, &http, &ca);
    let (out, db) = (tmp.path().join("out"), tmp.path().join("c.db"));
    let o = kiemdinh(&[
        "assess",
        "--scenario",
        dir.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-browser",
        "--no-load",
        "--db",
        db.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::Success);
    let o = kiemdinh(&["history", "--db", db.to_str().unwrap(), "--format", "json"]);
    assert_exit(&o, ExitCode::Success);
    let j: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let ids: Vec<&str> = j["portals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["latest"]["portal"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a-mot", "b-hai"], "{j}");
    assert_eq!(j["portals"][1]["latest"]["name"], "Cổng Hai");
    assert_eq!(
        j["portals"][0]["latest"]["source"],
        out.join("a-mot/evaluation.json").display().to_string()
    );
}

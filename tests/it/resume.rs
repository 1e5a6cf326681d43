//! `assess --resume`: a run killed with `SIGKILL` half-way through a slowed reference portal
//! (`slow=MS`) is resumed and gets the verdicts of an uninterrupted run with fewer requests
//! (counted by the portal); `assess --demo --resume` across the portal's new ports, with a
//! cut last journal line; journals of another scenario or checklist set, damaged journals
//! and missing ones are refused (exit 2); `--out` holding another portal's run needs
//! `--force`. HTTP only, no load.

use std::io::{Read as _, Write as _};
use std::os::unix::process::ExitStatusExt as _;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::{ExitCode, assert_exit, assess_demo, evaluation, kiemdinh};

/// How many requests the portal served (its unlinked counter, on the plain-HTTP site).
fn requests(http_base: &str) -> u64 {
    let addr = http_base
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).expect("the portal answers");
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n",
        kiemdinh::demo::REQUESTS_PATH
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let body = answer.split("\r\n\r\n").nth(1).expect("a body");
    body.trim().parse().unwrap_or_else(|_| panic!("{answer}"))
}

/// Every requirement's id and status, and the score.
fn verdicts(out: &Path) -> (Vec<(String, String)>, serde_json::Value) {
    let e = evaluation(out);
    let v = e["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| (r["id"].to_string(), r["status"].to_string()))
        .collect();
    (v, e["score"].clone())
}

fn journal(out: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(out.join("journal.jsonl"))
        .unwrap()
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

fn fetches(out: &Path) -> usize {
    std::fs::read_to_string(out.join("journal.jsonl"))
        .map_or(0, |t| t.matches("\"event\":\"fetch\"").count())
}

/// Starts `kiemdinh ARGS`, waits (at most 60 s) until its journal holds `pages` fetches,
/// then kills it with SIGKILL.
fn kill_after(args: &[&str], out: &Path, pages: usize) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("assess starts");
    let deadline = Instant::now() + Duration::from_secs(60);
    while fetches(out) < pages {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the run ended before it could be killed"
        );
        assert!(Instant::now() < deadline, "no {pages} pages within 60 s");
        std::thread::sleep(Duration::from_millis(20));
    }
    child.kill().unwrap();
    let status = child.wait().unwrap();
    assert_eq!(status.signal(), Some(9), "killed, not finished");
}

#[test]
fn killed_mid_run_resumes_with_the_same_verdicts_and_fewer_requests() {
    let (_portal, base, http, ca) = crate::flows::serve_both(&["--defects", "slow=200"]);
    let dir = tempfile::tempdir().unwrap();
    let file = crate::campaign::scenario(dir.path(), "mau", "Cổng Mẫu", &base, &http, &ca);
    let file = file.to_str().unwrap();
    let fresh = dir.path().join("fresh");
    let before = requests(&http);
    let o = kiemdinh(&[
        "assess",
        "--scenario",
        file,
        "--no-browser",
        "--no-load",
        "-q",
        "--out",
        fresh.to_str().unwrap(),
    ]);
    assert_exit(&o, ExitCode::Success);
    let fresh_requests = requests(&http) - before;

    let out = dir.path().join("killed");
    let out_s = out.to_str().unwrap();
    let args = [
        "assess",
        "--scenario",
        file,
        "--no-browser",
        "--no-load",
        "-q",
        "--out",
        out_s,
    ];
    kill_after(&args, &out, 12);
    let observed = fetches(&out);
    assert!(!out.join("evaluation.json").exists());
    let before = requests(&http);
    let o = kiemdinh(&[&args[..], &["--resume"]].concat());
    assert_exit(&o, ExitCode::Success);
    let resumed_requests = requests(&http) - before;

    assert_eq!(verdicts(&out), verdicts(&fresh), "the same evaluation");
    // Each page the killed run observed costs the resumed run nothing.
    assert!(
        resumed_requests + observed as u64 <= fresh_requests,
        "resumed {resumed_requests} + observed {observed} vs fresh {fresh_requests}"
    );
    let events = journal(&out);
    let names: Vec<&str> = events.iter().filter_map(|e| e["event"].as_str()).collect();
    assert_eq!(
        names.iter().filter(|n| **n == "start").count(),
        1,
        "appended"
    );
    assert_eq!(names.iter().filter(|n| **n == "resume").count(), 1);
    assert_eq!(names.last(), Some(&"end"));
    let end = events.last().unwrap();
    assert!(
        end["replayed"].as_u64().unwrap() >= observed as u64,
        "{end}"
    );
    // Resuming the finished run again observes nothing anew.
    let before = requests(&http);
    let o = kiemdinh(&[&args[..], &["--resume"]].concat());
    assert_exit(&o, ExitCode::Success);
    assert_eq!(requests(&http) - before, 0, "everything replayed");
    assert_eq!(verdicts(&out), verdicts(&fresh));
}

#[test]
fn the_demo_resumes_on_new_ports_after_a_cut_last_line() {
    let (_d, fresh, o) = assess_demo(&["--defects", "slow=150"]);
    assert_exit(&o, ExitCode::Success);
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let out_s = out.to_str().unwrap();
    let args = [
        "assess",
        "--demo",
        "--defects",
        "slow=150",
        "--no-browser",
        "--no-load",
        "-q",
        "--out",
        out_s,
    ];
    kill_after(&args, &out, 10);
    // As if killed while writing a line.
    let mut f = std::fs::OpenOptions::new()
        .append(true)
        .open(out.join("journal.jsonl"))
        .unwrap();
    f.write_all(b"{\"event\":\"fetch\",\"url\":\"https://127.0.0.1:1/x\",\"fet")
        .unwrap();
    drop(f);
    let o = kiemdinh(&[&args[..], &["--resume"]].concat());
    assert_exit(&o, ExitCode::Success);
    assert_eq!(verdicts(&out), verdicts(&fresh));
    let events = journal(&out);
    let start = events.iter().find(|e| e["event"] == "start").unwrap();
    let resume = events.iter().find(|e| e["event"] == "resume").unwrap();
    assert_ne!(start["portal"], resume["portal"], "another port");
    assert!(resume["dropped-line"].as_u64().is_some(), "{resume}");
    assert!(resume["observations"].as_u64().unwrap() >= 10, "{resume}");
    let e = evaluation(&out);
    let base = resume["portal"].as_str().unwrap();
    let pages = e["observations"]["pages"].as_array().unwrap();
    assert!(
        pages
            .iter()
            .all(|p| !p["url"].as_str().unwrap().starts_with("https://")
                || p["url"].as_str().unwrap().starts_with(base)),
        "every replayed page is on the new portal"
    );
}

#[test]
fn journals_of_another_run_damaged_or_missing_are_refused() {
    let (_d, out, o) = assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let out_s = out.to_str().unwrap();
    let resume = |extra: &[&str]| {
        let mut a = vec![
            "assess",
            "--demo",
            "--no-browser",
            "--no-load",
            "-q",
            "--resume",
        ];
        a.extend_from_slice(extra);
        a.extend(["--out", out_s]);
        kiemdinh(&a)
    };
    for (extra, want) in [
        (&["--defects", "no-csp"][..], "another scenario"),
        (&["--theme", "liferay"][..], "another scenario"),
        (&["--checklist", "tt21-2023"][..], "for the checklists"),
    ] {
        let o = resume(extra);
        assert_exit(&o, ExitCode::Usage);
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(
            err.contains(want) && err.contains("journal.jsonl"),
            "{extra:?}: {err}"
        );
    }
    // Damage before the last line names the file and the line.
    let path = out.join("journal.jsonl");
    let text = std::fs::read_to_string(&path).unwrap();
    let (first, rest) = text.split_once('\n').unwrap();
    std::fs::write(&path, format!("{first}\n{{\"event\":\"pa\n{rest}")).unwrap();
    let o = resume(&[]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("journal.jsonl:2: the journal is damaged"),
        "{err}"
    );
    let o = kiemdinh(&[
        "assess",
        "--demo",
        "--no-browser",
        "--no-load",
        "-q",
        "--resume",
        "--out",
        out.join("none").to_str().unwrap(),
    ]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("nothing to resume"));
}

#[test]
fn out_holding_another_portals_run_needs_force() {
    let (_d, out, o) = assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let out_s = out.to_str().unwrap();
    let again = |extra: &[&str]| {
        let mut a = vec!["assess", "--demo", "--no-browser", "--no-load", "-q"];
        a.extend_from_slice(extra);
        a.extend(["--out", out_s]);
        kiemdinh(&a)
    };
    // The same portal again replaces its run.
    assert_exit(&again(&[]), ExitCode::Success);
    let file = out.join("evaluation.json");
    let mut e = evaluation(&out);
    e["portal"]["name"] = "Cổng dịch vụ công tỉnh Khác".into();
    std::fs::write(&file, e.to_string()).unwrap();
    let o = again(&[]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("another portal (Cổng dịch vụ công tỉnh Khác") && err.contains("--force"),
        "{err}"
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("tỉnh Khác"),
        "untouched"
    );
    std::fs::write(&file, "{ half").unwrap();
    assert_exit(&again(&[]), ExitCode::Usage);
    assert_exit(&again(&["--force"]), ExitCode::Success);
    assert!(
        !std::fs::read_to_string(&file)
            .unwrap()
            .contains("tỉnh Khác")
    );
}

#[test]
fn a_load_run_measured_to_its_end_is_not_run_again() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let args = [
        "assess",
        "--demo",
        "--no-browser",
        "--only",
        "performance",
        "--out",
        out.to_str().unwrap(),
    ];
    let first = kiemdinh(&args);
    assert_exit(&first, ExitCode::Success);
    let load = |out: &Path| evaluation(out)["observations"]["load"].clone();
    let measured = load(&out);
    let judged = verdicts(&out);
    assert!(measured["requests"].as_u64().unwrap() > 0, "{measured}");
    // The journal holds the whole run, as a run killed after its load step would.
    let o = kiemdinh(&[&args[..], &["--resume"]].concat());
    assert_exit(&o, ExitCode::Success);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("load: measured before the interruption"),
        "{stderr}"
    );
    let again = load(&out);
    assert_eq!(again["requests"], measured["requests"], "the same run");
    assert_eq!(again["started_at"], measured["started_at"]);
    assert_ne!(
        again["target"], measured["target"],
        "rebased onto the new port"
    );
    assert_eq!(verdicts(&out), judged);
}

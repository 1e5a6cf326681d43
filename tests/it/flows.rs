//! Citizen journeys end to end (real Chromium, one browser at a time): on the reference
//! portal every journey passes and each journey defect fails its requirement naming the step
//! with a screenshot; a step whose element never appears fails within its timeout and the run
//! goes on; a secret typed from the environment appears in no output file.

use std::io::{BufRead, BufReader};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Command, Stdio};

use crate::browser::{Group, browser_present, demo, run_browser_env};
use crate::{ExitCode, assert_exit, evaluation, requirement};

/// The password the scenario's account reads from the environment.
const SECRET: &str = "Bí-mật-9f3c7Q";

/// What the clean demo's run shows of its journeys (called from the clean run of
/// `browser.rs`, which checks that their requirements pass in every theme).
pub(crate) fn clean_journeys(e: &serde_json::Value, out: &Path) {
    let flows = e["observations"]["flows"].as_array().expect("flows");
    assert!(flows.iter().all(|f| f["status"] == "passed"), "{flows:?}");
    assert!(
        flows.iter().any(|f| f["origin"] == "default"),
        "search and look-up use the default journeys"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(report.contains("id=\"flows\""));
    // PL1-12 in Firefox when it is installed (scripts/setup), else skipped with the reason.
    let firefox = ["geckodriver", "firefox-esr"].iter().all(|p| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(p).is_file()))
    });
    let pl1_12 = requirement(e, "PL1-12");
    assert_eq!(
        pl1_12["status"],
        if firefox { "pass" } else { "skipped" },
        "{pl1_12}"
    );
}

#[test]
fn each_journey_defect_fails_its_requirement_at_its_step() {
    if !browser_present() {
        return;
    }
    let (_d, out, o) = demo(&[
        "--defects",
        "login-offsite-http,upload-broken,no-validation,rating-broken,chatbot-silent,profile-broken",
    ]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    for id in ["PL1-1", "PL1-1.1", "PL1-3.3", "PL1-3.4", "PL1-7", "PL1-9"] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "fail", "{id}: {r}");
        let shot = r["evidence"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["file"].as_str())
            .find(|f| f.starts_with("flows/"));
        if id != "PL1-1" {
            let shot = shot.unwrap_or_else(|| panic!("{id}: a screenshot of the failed step"));
            assert!(out.join(shot).is_file(), "{shot}");
            // The report language is Vietnamese: "bước" is the step.
            assert!(r["observed"].to_string().contains("bước"), "{id}: {r}");
        }
    }
    let pl1_1 = requirement(&e, "PL1-1")["message"].to_string();
    assert!(
        pl1_1.contains("over http"),
        "the plain-HTTP provider is named: {pl1_1}"
    );
    // The submission with valid data still reaches payment and signing.
    for id in ["PL1-3.1", "PL1-3.5", "PL1-3.6", "PL1-4"] {
        assert_eq!(requirement(&e, id)["status"], "pass", "{id}");
    }
}

/// `kiemdinh demo serve` on free ports (stopped when the guard is dropped): (guard, base URL,
/// CA file).
fn serve() -> (Group, String, String) {
    serve_with(&[])
}

/// As [`serve`], with more arguments (`--defects …`).
pub(crate) fn serve_with(args: &[&str]) -> (Group, String, String) {
    let (child, base, _http, ca) = serve_both(args);
    (child, base, ca)
}

/// As [`serve_with`], with the plain-HTTP base too: (guard, HTTPS base, HTTP base, CA file).
pub(crate) fn serve_both(args: &[&str]) -> (Group, String, String, String) {
    let mut child = Group(
        Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
            .args(["demo", "serve"])
            .args(args)
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .expect("demo serve starts"),
    );
    let mut lines = BufReader::new(child.0.stdout.take().unwrap()).lines();
    let first = lines.next().unwrap().unwrap();
    let second = lines.next().unwrap().unwrap();
    let base = first
        .split(" on ")
        .nth(1)
        .and_then(|r| r.split_whitespace().next())
        .expect("the base URL")
        .to_string();
    let http = first
        .split("plain HTTP on ")
        .nth(1)
        .expect("the plain-HTTP base")
        .trim_end_matches(')')
        .to_string();
    let ca = second
        .strip_prefix("CA certificate: ")
        .and_then(|r| r.split_whitespace().next())
        .expect("the CA file")
        .to_string();
    // Keep reading what it prints after: a closed pipe must not be what stops it.
    std::thread::spawn(move || lines.for_each(drop));
    (child, base, http, ca)
}

/// Every file under `dir`, as bytes.
fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            out.extend(files(&p));
        } else {
            out.push((p.display().to_string(), std::fs::read(&p).unwrap()));
        }
    }
    out
}

#[test]
fn a_missing_element_fails_its_step_in_time_and_a_secret_is_never_written() {
    if !browser_present() {
        return;
    }
    let (server, base, ca) = serve();
    let dir = tempfile::tempdir().unwrap();
    let scenario = dir.path().join("s.toml");
    std::fs::write(
        &scenario,
        format!(
            "[portal]\nname = \"Cổng\"\norganisation = \"Ủy ban nhân dân tỉnh Mẫu\"\norganisation-kind = \"province\"\n\
             base-url = \"{base}\"\nca-file = \"{ca}\"\n\
             [pages]\nmax-pages = 3\nmax-depth = 1\n\
             [browser]\npages = [\"/\"]\nruns = 1\nprofile = \"none\"\nmax-rendered-pages = 3\n\
             [accounts.cong-dan]\nusername-env = \"KD_TEST_USER\"\npassword-env = \"KD_TEST_SECRET\"\n\
             [[flows]]\nname = \"Không bao giờ xuất hiện\"\nrequirements = [\"PL1-9\"]\n\
             steps = [{{ goto = \"/\" }}, {{ wait-for = \"#khong-bao-gio-co\", timeout-ms = 700 }}, {{ goto = \"/lien-he\" }}]\n\
             [[flows]]\nname = \"Tìm bằng mật khẩu\"\nrequirements = [\"PL1-5\"]\n\
             steps = [{{ goto = \"/tim-kiem\" }}, {{ fill = \"label=Từ khóa\", secret = \"cong-dan.password\" }}, \
             {{ click = \"form.tim-kiem-thu-tuc button\" }}, {{ expect-url = \"/tim-kiem?*\" }}, {{ screenshot = \"ket-qua\" }}]\n"
        ),
    )
    .unwrap();
    let (_keep, out, o) = run_browser_env(
        &["assess", "--scenario", scenario.to_str().unwrap()],
        &[("KD_TEST_SECRET", SECRET), ("KD_TEST_USER", "cong-dan-thu")],
    );
    drop(server);
    assert!(o.status.code().is_some(), "exited normally");
    let e = evaluation(&out);
    let flows = e["observations"]["flows"].as_array().unwrap();
    let missing = &flows[0];
    assert_eq!(missing["status"], "failed", "{missing}");
    let step = &missing["steps"][1];
    assert_eq!(step["status"], "failed");
    assert!(
        step["elapsed_ms"].as_u64().unwrap() < 5000,
        "failed within its 700 ms timeout: {step}"
    );
    assert_eq!(missing["steps"][2]["status"], "skipped");
    assert_eq!(
        flows[1]["status"], "passed",
        "the run went on: {}",
        flows[1]
    );
    assert!(
        flows[1]["visited"].to_string().contains("[redacted]"),
        "the search address is kept, scrubbed: {}",
        flows[1]["visited"]
    );
    assert_eq!(requirement(&e, "PL1-9")["status"], "fail");
    let mut all = files(&out);
    all.push(("stdout".into(), o.stdout.clone()));
    all.push(("stderr".into(), o.stderr.clone()));
    assert!(
        all.len() > 5,
        "{:?}",
        all.iter().map(|f| &f.0).collect::<Vec<_>>()
    );
    let encoded: String = url::form_urlencoded::byte_serialize(SECRET.as_bytes()).collect();
    for (name, bytes) in &all {
        let text = String::from_utf8_lossy(bytes);
        assert!(
            !text.contains(SECRET) && !text.contains(&encoded),
            "the secret leaked into {name}"
        );
    }
}

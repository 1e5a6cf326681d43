//! Campaigns (`assess --scenario DIR`): three reference portals with different defects,
//! the campaign killed (`SIGKILL`) after the first portal and resumed (the interrupted portal
//! from its journal) — each portal assessed
//! once, no child left behind, the expected order, an escaped index; an unreachable portal
//! ends incomplete without stopping the others (exit 3); Ctrl-C stops the running portal
//! (exit 130); an invalid or empty folder runs nothing (exit 2). HTTP only, no load.

use std::os::unix::process::CommandExt as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::browser::Group;
use crate::{ExitCode, assert_exit, kiemdinh};

/// `demo serve` with defects: the process, its HTTPS and plain-HTTP bases and its CA file.
fn serve(defects: &str) -> (Group, String, String, String) {
    if defects.is_empty() {
        crate::flows::serve_both(&[])
    } else {
        crate::flows::serve_both(&["--defects", defects])
    }
}

/// The shipped demo scenario pointed at a served portal, under another name.
pub(crate) fn scenario(
    dir: &Path,
    stem: &str,
    name: &str,
    base: &str,
    http: &str,
    ca: &str,
) -> PathBuf {
    let shipped = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = std::fs::read_to_string(shipped.join("demo.toml")).unwrap();
    let mut done = false;
    let text: Vec<String> = text
        .lines()
        .map(|l| {
            if !done && l.starts_with("name = ") {
                done = true;
                format!("name = \"{name}\"")
            } else if l.starts_with("public-host = ") {
                // Each portal its own identity: the ranking keeps one evaluation per host.
                format!("public-host = \"{stem}.mau.gov.vn\"")
            } else if l.starts_with("base-url = ") {
                format!("base-url = \"{base}\"\nca-file = \"{ca}\"")
            } else {
                l.replace("http://127.0.0.1:8080/", http).replace(
                    "\"demo-evidence/",
                    &format!("\"{}/demo-evidence/", shipped.display()),
                )
            }
        })
        .collect();
    let path = dir.join(format!("{stem}.toml"));
    std::fs::write(&path, text.join("\n") + "\n").unwrap();
    path
}

fn manifest(out: &Path) -> Option<serde_json::Value> {
    let text = std::fs::read_to_string(out.join("campaign.json")).ok()?;
    serde_json::from_str(&text).ok()
}

fn status(m: &serde_json::Value, i: usize) -> String {
    m["portals"][i]["status"].as_str().unwrap_or("").to_string()
}

/// Processes (not zombies) whose command line holds `needle`.
fn processes_with(needle: &str) -> Vec<u32> {
    std::fs::read_dir("/proc")
        .unwrap()
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            let cmd = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let cmd = String::from_utf8_lossy(&cmd).replace('\0', " ");
            cmd.contains(needle) && cmd.contains("--exit-with-parent")
        })
        .collect()
}

/// Waits (bounded) until `done` holds; false when the time ran out.
fn wait_for(limit: Duration, mut done: impl FnMut() -> bool) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if done() {
            return true;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    done()
}

fn campaign_command(dir: &Path, out: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_kiemdinh"));
    cmd.args(["assess", "--scenario"])
        .arg(dir)
        .arg("--out")
        .arg(out)
        .args(["--no-browser", "--no-load"])
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .process_group(0);
    cmd
}

fn generated_at(path: &Path) -> (std::time::SystemTime, String) {
    let text = std::fs::read_to_string(path).unwrap();
    let v: serde_json::Value = serde_json::from_str(&text).unwrap();
    (
        std::fs::metadata(path).unwrap().modified().unwrap(),
        v["generated_at"].as_str().unwrap().to_string(),
    )
}

/// Every file named `evaluation.json` under a directory.
fn evaluations(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if p.is_dir() {
            found.extend(evaluations(&p));
        } else if p.file_name().is_some_and(|n| n == "evaluation.json") {
            found.push(p);
        }
    }
    found.sort();
    found
}

#[test]
fn a_killed_campaign_resumes_and_assesses_each_portal_once_in_the_expected_order() {
    let (_clean, b1, h1, c1) = serve("");
    // Slowed, so it is still running when the campaign is killed under it.
    let (_one, b2, h2, c2) = serve("no-hsts,slow=100");
    let (_two, b3, h3, c3) = serve("no-hsts,footer-differs");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("dot-2026");
    std::fs::create_dir(&dir).unwrap();
    let hostile = "Cổng <script>alert(1)</script> ắ ộ ữ ỹ Ượ";
    scenario(&dir, "1-sach", hostile, &b1, &h1, &c1);
    scenario(&dir, "2-mot-loi", "Cổng một lỗi", &b2, &h2, &c2);
    scenario(&dir, "3-hai-loi", "Cổng hai lỗi", &b3, &h3, &c3);
    let out = tmp.path().join("out");

    let mut first = Group(campaign_command(&dir, &out).spawn().unwrap());
    let first_done = wait_for(Duration::from_secs(120), || {
        manifest(&out).is_some_and(|m| status(&m, 0) == "done")
    });
    assert!(first_done, "{:?}", manifest(&out));
    // The second portal's child is running: kill the campaign under it.
    let second = out.join("2-mot-loi").display().to_string();
    let journal = out.join("2-mot-loi/journal.jsonl");
    let saw_child = wait_for(Duration::from_secs(60), || {
        std::fs::read_to_string(&journal).is_ok_and(|j| j.contains(r#""event":"fetch""#))
            || manifest(&out).is_some_and(|m| status(&m, 1) == "done")
    }) && !processes_with(&second).is_empty();
    let pid = nix::unistd::Pid::from_raw(i32::try_from(first.0.id()).unwrap());
    nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGKILL).unwrap();
    let _ = first.0.wait();
    assert!(saw_child, "the second portal's assess was not seen running");
    let gone = wait_for(Duration::from_secs(30), || {
        processes_with(&second).is_empty()
    });
    assert!(
        gone,
        "a child outlived its campaign: {:?}",
        processes_with(&second)
    );
    let killed = manifest(&out).unwrap();
    assert_eq!(status(&killed, 0), "done");
    assert_eq!(
        status(&killed, 1),
        "running",
        "killed while the second portal ran"
    );
    let log = std::fs::read_to_string(out.join("2-mot-loi/assess.log")).unwrap();
    assert!(
        log.contains("interrupted"),
        "its assess stopped as on Ctrl-C: {log}"
    );
    let before = generated_at(&out.join("1-sach/evaluation.json"));

    let o = campaign_command(&dir, &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_exit(&o, ExitCode::NonConformant);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains(&format!("[1/3] {hostile}: already assessed")),
        "{stderr}"
    );
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert!(
        stdout.contains("campaign: 3/3 portals assessed — exit 1"),
        "{stdout}"
    );
    assert_eq!(
        generated_at(&out.join("1-sach/evaluation.json")),
        before,
        "the first portal was assessed again"
    );
    let log = std::fs::read_to_string(out.join("1-sach/assess.log")).unwrap();
    assert!(log.contains("already assessed"), "{log}");
    // The interrupted portal went on from its journal.
    let log = std::fs::read_to_string(out.join("2-mot-loi/assess.log")).unwrap();
    assert!(
        log.contains("--resume") && log.contains("resuming journal.jsonl"),
        "{log}"
    );

    let m = manifest(&out).unwrap();
    let portals = m["portals"].as_array().unwrap();
    let attempts: Vec<u64> = portals
        .iter()
        .map(|p| p["attempts"].as_u64().unwrap())
        .collect();
    assert_eq!(
        attempts,
        [1, 2, 1],
        "the interrupted portal was redone: {m}"
    );
    assert!(portals.iter().all(|p| p["status"] == "done"), "{m}");
    let verdicts: Vec<&str> = portals
        .iter()
        .map(|p| p["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["provisional", "non-conformant", "non-conformant"]
    );
    let exits: Vec<i64> = portals
        .iter()
        .map(|p| p["exit_code"].as_i64().unwrap())
        .collect();
    assert_eq!(exits, [0, 1, 1]);
    let scores: Vec<f64> = portals
        .iter()
        .map(|p| p["score"].as_f64().unwrap())
        .collect();
    assert!(scores[0] > scores[1] && scores[1] > scores[2], "{scores:?}");
    for p in portals {
        assert!(p["digest"].as_str().unwrap().starts_with("sha256:"), "{p}");
    }

    let index = std::fs::read_to_string(out.join("index.html")).unwrap();
    assert!(!index.contains("<script>alert"), "{index}");
    assert!(index.contains("Cổng &lt;script&gt;alert(1)&lt;"), "{index}");
    assert!(index.contains("ắ ộ ữ ỹ Ượ"));
    for stem in ["1-sach", "2-mot-loi", "3-hai-loi"] {
        for file in ["report.html", "evaluation.json", "assess.log"] {
            assert!(
                index.contains(&format!("href=\"{stem}/{file}\"")),
                "{stem}/{file}"
            );
        }
    }
    assert!(index.contains("name=\"viewport\""));
    // `kiemdinh rank OUT` finds exactly the portals' evaluations.
    assert_eq!(
        evaluations(&out),
        ["1-sach", "2-mot-loi", "3-hai-loi"].map(|s| out.join(s).join("evaluation.json"))
    );

    // The evaluator's second command. Without a browser these are partial evaluations: not
    // ranked, each listed with the reason, unless `--allow-partial` says otherwise.
    let ranking = |extra: &[&str]| -> serde_json::Value {
        let dir = out.join("ranking");
        let mut args = vec![
            "rank",
            out.to_str().unwrap(),
            "--out",
            dir.to_str().unwrap(),
            "--no-pdf",
        ];
        args.extend_from_slice(extra);
        let o = crate::kiemdinh(&args);
        assert_exit(&o, ExitCode::Success);
        serde_json::from_str(&std::fs::read_to_string(dir.join("ranking.json")).unwrap()).unwrap()
    };
    let strict = ranking(&[]);
    let entries = strict["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 3);
    assert!(
        entries
            .iter()
            .all(|e| e["rank"].is_null() && e["exclusion"]["kind"] == "not-rankable"),
        "{strict}"
    );
    let partial = ranking(&["--allow-partial"]);
    let order: Vec<(&str, u64)> = partial["entries"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| (e["portal"].as_str().unwrap(), e["rank"].as_u64().unwrap()))
        .collect();
    assert_eq!(
        order,
        [(hostile, 1), ("Cổng một lỗi", 2), ("Cổng hai lỗi", 3)],
        "{partial}"
    );
    assert_eq!(partial["methodology"]["allow_partial"], true);
    let html = std::fs::read_to_string(out.join("ranking/ranking.html")).unwrap();
    assert!(html.contains("Cổng &lt;script&gt;alert(1)&lt;/script&gt; ắ ộ ữ ỹ Ượ"));
    assert!(!html.contains("<script>alert"));
}

#[test]
fn an_unreachable_portal_ends_incomplete_and_the_others_still_run() {
    let (_clean, base, http, ca) = serve("");
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port();
    drop(closed);
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    std::fs::create_dir(&dir).unwrap();
    // As in `hostile`: a portal with nothing more than its addresses.
    std::fs::write(
        dir.join("a-dong.toml"),
        format!(
            "[portal]\nname = \"Cổng đóng\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
             base-url = \"https://127.0.0.1:{port}/\"\nhttp-url = \"http://127.0.0.1:{port}/\"\n\
             [pages]\nservice-pages = \"/thu-tuc/*\"\ntimeout-ms = 2000\n"
        ),
    )
    .unwrap();

    scenario(&dir, "b-sach", "Cổng sạch", &base, &http, &ca);
    let out = tmp.path().join("out");
    let o = campaign_command(&dir, &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_exit(&o, ExitCode::Incomplete);
    let m = manifest(&out).unwrap();
    assert_eq!(m["portals"][0]["verdict"], "incomplete", "{m}");
    assert_eq!(m["portals"][0]["exit_code"], 3, "{m}");
    assert_eq!(m["portals"][1]["status"], "done", "{m}");
    assert_eq!(m["portals"][1]["verdict"], "provisional", "{m}");
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("[1/2] Cổng đóng: incomplete"), "{stderr}");
    assert!(stderr.contains("a-dong/assess.log"), "{stderr}");
    let log = std::fs::read_to_string(out.join("a-dong/assess.log")).unwrap();
    assert!(log.contains("assessing Cổng đóng"), "{log}");
    // A changed scenario is assessed again; the unchanged one (done, if incomplete) is not.
    let b = dir.join("b-sach.toml");
    let text = std::fs::read_to_string(&b).unwrap();
    std::fs::write(&b, format!("# đổi\n{text}")).unwrap();
    let o = campaign_command(&dir, &out)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    assert_exit(&o, ExitCode::Incomplete);
    let again = manifest(&out).unwrap();
    assert_eq!(again["portals"][0]["attempts"], 1, "{again}");
    assert_eq!(again["portals"][0]["finished"], m["portals"][0]["finished"]);
    assert_eq!(again["portals"][1]["attempts"], 2, "{again}");
    assert_ne!(again["portals"][1]["digest"], m["portals"][1]["digest"]);
    assert_eq!(again["portals"][1]["status"], "done", "{again}");
}

#[test]
fn ctrl_c_stops_the_running_portal_and_the_campaign_exits_interrupted() {
    // Only the campaign is signalled: it must stop its child itself.
    ctrl_c(false);
}

#[test]
fn ctrl_c_on_the_terminal_stops_the_campaign_not_only_its_portal() {
    // The terminal signals the whole process group: the child stops by itself first.
    ctrl_c(true);
}

fn ctrl_c(whole_group: bool) {
    let (_clean, base, http, ca) = serve("");
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    std::fs::create_dir(&dir).unwrap();
    scenario(&dir, "a", "Cổng A", &base, &http, &ca);
    let out = tmp.path().join("out");
    let mut run = Group(campaign_command(&dir, &out).spawn().unwrap());
    let needle = out.join("a").display().to_string();
    let log = out.join("a/assess.log");
    // Signalled once its assess is at work (its Ctrl-C handler is set before it fetches).
    assert!(wait_for(Duration::from_secs(60), || {
        std::fs::read_to_string(&log).is_ok_and(|l| l.contains("fetched 25 pages"))
    }));
    assert!(!processes_with(&needle).is_empty());
    let pid = nix::unistd::Pid::from_raw(i32::try_from(run.0.id()).unwrap());
    if whole_group {
        nix::sys::signal::killpg(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    } else {
        nix::sys::signal::kill(pid, nix::sys::signal::Signal::SIGINT).unwrap();
    }
    let start = Instant::now();
    let code = loop {
        if let Some(s) = run.0.try_wait().unwrap() {
            break s.code();
        }
        assert!(
            start.elapsed() < Duration::from_secs(40),
            "the campaign did not stop"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(code, Some(i32::from(ExitCode::Interrupted.code())));
    assert!(processes_with(&needle).is_empty());
    let m = manifest(&out).unwrap();
    assert_eq!(status(&m, 0), "pending", "{m}");
    assert_eq!(m["portals"][0]["note"], "interrupted", "{m}");
    let log = std::fs::read_to_string(out.join("a/assess.log")).unwrap();
    assert!(
        log.contains("error: interrupted"),
        "its assess stopped as on Ctrl-C: {log}"
    );
    assert!(out.join("index.html").is_file());
}

#[test]
fn an_invalid_or_empty_folder_runs_nothing() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().join("s");
    std::fs::create_dir(&dir).unwrap();
    let out = tmp.path().join("out");
    let args = |d: &Path| {
        vec![
            "assess".to_string(),
            "--scenario".into(),
            d.display().to_string(),
            "--out".into(),
            out.display().to_string(),
            "--no-browser".into(),
        ]
    };
    let run = |d: &Path| {
        let a = args(d);
        kiemdinh(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };
    let o = run(&dir);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no scenario in"));
    scenario(
        &dir,
        "a",
        "Cổng A",
        "https://127.0.0.1:9/",
        "http://127.0.0.1:9/",
        "/nonexistent.pem",
    );
    std::fs::write(dir.join("b.toml"), "[portal]\nname = \"B\"\nbase-url = 3\n").unwrap();
    std::fs::write(dir.join("c.toml"), "[portal\n").unwrap();
    let o = run(&dir);
    assert_exit(&o, ExitCode::Usage);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("3 of the 3 scenarios"), "{stderr}");
    for f in ["a.toml", "b.toml", "c.toml"] {
        assert!(
            stderr.contains(&dir.join(f).display().to_string()),
            "{f}: {stderr}"
        );
    }
    assert!(!out.exists(), "nothing is written");
}

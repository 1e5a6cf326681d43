//! The browser probe end to end: `assess` with a real Chromium against the reference portal
//! and hostile pages. One browser run at a time (a lock: timings and a 2-core machine), each
//! with one unthrottled run per timed page (`--runs 1 --profile none`) to stay short; the
//! throttled profiles are measured in `benches/lighthouse-compare`. Without Chromium the tests
//! say so and pass, unless `CI` is set (then a missing browser fails them).

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::os::unix::process::CommandExt;
use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use crate::{ExitCode, assert_exit, evaluation, requirement};

pub(crate) static ONE_BROWSER: Mutex<()> = Mutex::new(());

/// Whether Chromium and chromedriver are installed; with `CI` set their absence fails.
pub(crate) fn browser_present() -> bool {
    let found = ["chromedriver", "chromium"].iter().all(|p| {
        std::env::var_os("PATH")
            .is_some_and(|path| std::env::split_paths(&path).any(|d| d.join(p).is_file()))
    });
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI is set and chromium/chromedriver are missing: install `chromium chromium-driver`"
    );
    if !found {
        eprintln!("skipped: chromium/chromedriver not installed");
    }
    found
}

/// Chromium processes started by kiemdinh (fresh profile directories), by pid.
fn kiemdinh_chromiums() -> Vec<u32> {
    let Ok(dir) = std::fs::read_dir("/proc") else {
        return Vec::new();
    };
    dir.filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .is_ok_and(|c| String::from_utf8_lossy(&c).contains("kiemdinh-chromium-"))
        })
        .collect()
}

/// Runs `kiemdinh ARGS --out <temp>/o -q` under the lock and checks that no Chromium it
/// started is left behind.
pub(crate) fn run_browser(args: &[&str]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    run_browser_env(args, &[])
}

/// As [`run_browser`], with environment variables set for the run.
pub(crate) fn run_browser_env(
    args: &[&str],
    env: &[(&str, &str)],
) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let before = kiemdinh_chromiums();
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().expect("utf-8"), "-q"]);
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(&all)
        .env("NO_COLOR", "1")
        .envs(env.iter().copied())
        .output()
        .expect("binary runs");
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut left: Vec<u32>;
    loop {
        left = kiemdinh_chromiums()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if left.is_empty() || Instant::now() > deadline {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(left.is_empty(), "Chromium outlived the run: {left:?}");
    (dir, out, o)
}

/// `assess --demo` with the browser (one unthrottled run per page) and without the smoke load
/// (the whole pipeline, load included, is the clean test's first run).
pub(crate) fn demo(extra: &[&str]) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let mut args = vec![
        "assess",
        "--demo",
        "--runs",
        "1",
        "--profile",
        "none",
        "--no-load",
    ];
    args.extend_from_slice(extra);
    run_browser(&args)
}

pub(crate) fn statuses(e: &serde_json::Value) -> BTreeMap<String, String> {
    e["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap_or_default().to_string(),
                r["status"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect()
}

/// What the browser judges: page-load metrics, rendering (mobile), EMC, and what the demo's
/// citizen journeys serve (`flows.rs` has their defects).
const BROWSER_IDS: &[&str] = &[
    "PL4-1", "PL4-2", "PL4-3", "PL4-4", "PL6-2", "PL6-3", "PL8-4", "PL8-5", "PL1-1", "PL1-1.1",
    "PL1-3.1", "PL1-3.3", "PL1-3.4", "PL1-3.5", "PL1-3.6", "PL1-4", "PL1-5", "PL1-5.1", "PL1-7",
    "PL1-9",
];

fn differences(a: &BTreeMap<String, String>, b: &BTreeMap<String, String>) -> Vec<String> {
    a.iter()
        .filter(|(id, s)| b.get(*id) != Some(s))
        .map(|(id, s)| format!("{id}: {s} → {}", b.get(id).map_or("?", String::as_str)))
        .collect()
}

#[test]
fn clean_portal_passes_every_browser_requirement_in_every_theme() {
    if !browser_present() {
        return;
    }
    // The whole pipeline: HTTP, browser, journeys, then the smoke load.
    let (_d, out, o) = run_browser(&["assess", "--demo", "--runs", "1", "--profile", "none"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    let mut clean = statuses(&e);
    for id in ["PL5-1", "PL5-2", "PL5-3", "PL5-4"] {
        assert_eq!(clean[id], "pass", "{id}: {}", requirement(&e, id));
        // The theme runs below leave the load out.
        clean.insert(id.to_string(), "pending".into());
    }
    for id in BROWSER_IDS {
        assert_eq!(clean[*id], "pass", "{id}: {}", requirement(&e, id));
    }
    let b = &e["observations"]["browser"];
    assert_eq!(b["status"], "ran");
    assert!(b["rendered_pages"].as_u64().unwrap() > 20, "{b}");
    let strip = b["filmstrip"]["frames"].as_array().expect("a filmstrip");
    assert!(!strip.is_empty());
    assert!(out.join(strip[0]["path"].as_str().unwrap()).is_file());
    let home = e["observations"]["rendered"]
        .as_object()
        .unwrap()
        .values()
        .next()
        .unwrap();
    for view in ["desktop", "mobile"] {
        let shot = home[view]["screenshot"].as_str().expect("screenshot");
        assert!(out.join(shot).is_file(), "{shot}");
    }
    // The tracker was blocked in the browser: every request to it is marked so.
    let requests = home["tracker"]["requests"].as_array().unwrap();
    assert!(!requests.is_empty(), "the page tried to reach the tracker");
    assert!(
        requests.iter().all(|r| r["blocked"] == true),
        "{requests:?}"
    );
    let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap();
    assert!(journal.contains("\"event\":\"browser-load\""));
    assert!(journal.contains("\"event\":\"rendered\""));
    assert!(journal.contains("\"event\":\"flow\""));
    // The load came after the browser and the journeys, never during them.
    let last_browser = journal.rfind("\"event\":\"flow\"").unwrap();
    let load = journal
        .find("\"event\":\"load-start\"")
        .expect("the load ran");
    assert!(load > last_browser, "the load overlapped the browser");
    crate::flows::clean_journeys(&e, &out);

    for theme in ["liferay", "div-table"] {
        let (_d, out, o) = demo(&["--theme", theme]);
        assert_exit(&o, ExitCode::Success);
        let diff = differences(&clean, &statuses(&evaluation(&out)));
        assert!(diff.is_empty(), "{theme}: {diff:?}");
    }
}

#[test]
fn slow_lcp_fails_lcp_and_nothing_else() {
    if !browser_present() {
        return;
    }
    let (_d, out, o) = demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let clean = statuses(&evaluation(&out));
    let (_d, out, o) = demo(&["--defects", "slow-lcp"]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    let diff = differences(&clean, &statuses(&e));
    assert_eq!(diff, ["PL4-2: pass → fail"], "{}", requirement(&e, "PL4-2"));
}

#[test]
fn browser_defects_fail_their_requirements() {
    if !browser_present() {
        return;
    }
    let (_d, out, o) = demo(&[
        "--defects",
        "layout-shift,no-viewport,wide-table,no-trackdvc",
    ]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    for id in ["D4-1", "PL8-4", "PL6-3"] {
        assert_eq!(requirement(&e, id)["status"], "fail", "{id}");
    }
    let mobile = requirement(&e, "PL8-4")["observed"].to_string();
    assert!(
        mobile.contains("gioi-thieu") && mobile.contains("thong-ke"),
        "both pages named: {mobile}"
    );
    for id in ["PL4-1", "PL4-2", "PL6-2"] {
        assert_eq!(requirement(&e, id)["status"], "pass", "{id}");
    }
}

/// The axe-core rule ids the axe CLI (`@axe-core/cli` 4.13.0, axe-core 4.13.0, tags wcag2a,
/// wcag2aa, wcag21a, wcag21aa, EN-301-549) reported on these pages of the semantic theme with
/// `--defects missing-alt,low-contrast`, written down from `benches/axe-compare/run.sh`
/// (2026-11-29; impacts and node counts matched too).
const AXE_CLI_RULES: &[(&str, &[&str])] = &[
    ("/", &["color-contrast", "image-alt", "link-name"]),
    ("/huong-dan", &["color-contrast", "image-alt", "link-name"]),
    ("/lien-he", &["image-alt", "link-name"]),
];

#[test]
fn accessibility_defects_fail_pl8_5_with_the_rules_the_axe_cli_reports() {
    if !browser_present() {
        return;
    }
    let (_d, out, o) = demo(&["--defects", "missing-alt,low-contrast"]);
    assert_exit(&o, ExitCode::NonConformant);
    let e = evaluation(&out);
    let v = requirement(&e, "PL8-5");
    assert_eq!(v["status"], "fail", "{v}");
    let message = v["message"].as_str().unwrap();
    assert!(
        message.contains("image-alt (critical)") && message.contains("color-contrast (serious)"),
        "{message}"
    );
    // Nothing else fails: the header keeps the same (empty) alt on every page.
    let failing: Vec<String> = statuses(&e)
        .into_iter()
        .filter(|(_, s)| s == "fail")
        .map(|(id, _)| id)
        .collect();
    assert_eq!(failing, ["PL8-5"]);
    let rendered = e["observations"]["rendered"].as_object().unwrap();
    for (path, expected) in AXE_CLI_RULES {
        let (_, page) = rendered
            .iter()
            .find(|(url, _)| url::Url::parse(url).unwrap().path() == *path)
            .unwrap_or_else(|| panic!("{path} rendered"));
        let audit = &page["accessibility"];
        assert_eq!(audit["axe_version"], "4.13.0");
        let mut ids: Vec<&str> = audit["violations"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v["id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        assert_eq!(ids, *expected, "{path}");
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(html.contains("id=\"axe-rules\"") && html.contains("image-alt"));
}

#[test]
fn a_page_built_by_javascript_is_judged_on_what_the_browser_shows() {
    if !browser_present() {
        return;
    }
    let (_d, out, o) = demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let clean = statuses(&evaluation(&out));
    let (_d, out, o) = demo(&["--defects", "spa-shell"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    let diff = differences(&clean, &statuses(&e));
    assert!(diff.is_empty(), "rendered like the clean portal: {diff:?}");
    // The HTTP-only view of the same portal misses what scripts build.
    let (_d, http_out, o) = crate::assess_demo(&["--defects", "spa-shell"]);
    assert_exit(&o, ExitCode::NonConformant);
    let http = statuses(&evaluation(&http_out));
    assert_ne!(
        http["PL3-1"], "pass",
        "the shell has no layout without JavaScript"
    );
    let report = std::fs::read_to_string(out.join("report.html")).unwrap();
    let table = report
        .split("id=\"disagreements\"")
        .nth(1)
        .expect("the report has the HTTP-vs-rendered table");
    assert!(
        table.contains("Qua HTTP") && table.contains("không có"),
        "the report shows what the HTTP view missed"
    );
}

/// A portal whose second page never finishes loading.
fn hanging_portal() -> (u16, std::thread::JoinHandle<()>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let handle = std::thread::spawn(move || {
        listener.set_nonblocking(false).unwrap();
        let started = Instant::now();
        let mut held = Vec::new();
        for stream in listener.incoming() {
            if started.elapsed() > Duration::from_secs(240) {
                break;
            }
            let Ok(mut s) = stream else { continue };
            let _ = s.set_read_timeout(Some(Duration::from_secs(2)));
            let mut buf = [0_u8; 4096];
            let n = s.read(&mut buf).unwrap_or(0);
            let request = String::from_utf8_lossy(&buf[..n]).to_string();
            if request.starts_with("GET /stop ") {
                break;
            }
            if request.starts_with("GET /treo ") {
                // Headers and the start of a body, then nothing: the load never ends.
                let _ = s.write_all(
                    b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\n\r\n<html><body><h1>Trang treo</h1>",
                );
                held.push(s);
                continue;
            }
            let body = "<!doctype html><html lang=\"vi\"><head><meta name=\"viewport\" \
                content=\"width=device-width\"><title>Cổng</title></head><body><header>Cổng</header>\
                <main><a href=\"/treo\">Treo</a></main><footer>UBND</footer></body></html>";
            let _ = write!(
                s,
                "HTTP/1.1 200 OK\r\ncontent-type: text/html; charset=utf-8\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (port, handle)
}

#[test]
fn a_page_that_never_loads_gives_errors_and_the_run_goes_on() {
    if !browser_present() {
        return;
    }
    let (port, server) = hanging_portal();
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        format!(
            "[portal]\nname = \"Cổng treo\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
             base-url = \"http://127.0.0.1:{port}/\"\nhttp-url = \"http://127.0.0.1:{port}/\"\n\
             [pages]\nsample = [\"/treo\"]\ntimeout-ms = 2000\nmax-pages = 5\n\
             [browser]\npages = [\"/\", \"/treo\"]\npage-timeout-ms = 3000\nruns = 1\nprofile = \"none\"\n"
        ),
    )
    .unwrap();
    let began = Instant::now();
    let (_d, out, o) = run_browser(&["assess", "--scenario", s.to_str().unwrap()]);
    let took = began.elapsed();
    let _ = std::net::TcpStream::connect(("127.0.0.1", port))
        .and_then(|mut c| c.write_all(b"GET /stop HTTP/1.1\r\n\r\n"));
    let _ = server.join();
    assert!(o.status.code().is_some(), "exited normally");
    let e = evaluation(&out);
    assert_eq!(e["observations"]["browser"]["status"], "ran");
    let metrics = e["observations"]["page_metrics"].as_array().unwrap();
    let hung = metrics
        .iter()
        .find(|m| m["url"].as_str().unwrap().ends_with("/treo"))
        .expect("the hanging page was timed");
    assert!(
        hung["raw"][0]["error"]
            .as_str()
            .is_some_and(|m| !m.is_empty()),
        "{hung}"
    );
    let fcp = requirement(&e, "PL4-1");
    assert_eq!(fcp["status"], "error", "{fcp}");
    assert!(took < Duration::from_secs(150), "bounded: {took:?}");
    assert!(out.join("report.html").is_file());
}

#[test]
fn a_missing_browser_stops_before_probing_and_names_the_packages() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(["assess", "--demo", "--out", out.to_str().unwrap(), "-q"])
        .env("PATH", dir.path())
        .output()
        .expect("binary runs");
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("chromium chromium-driver") && err.contains("--no-browser"),
        "{err}"
    );
    assert!(!out.exists(), "nothing written");
}

#[test]
fn without_a_browser_its_requirements_are_skipped_with_the_reason() {
    let (_d, out, o) = crate::assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(e["observations"]["browser"]["status"], "skipped");
    for id in ["PL4-1", "PL4-2", "PL4-3", "PL6-2", "PL6-3", "PL8-4"] {
        let r = requirement(&e, id);
        assert_eq!(r["status"], "skipped", "{id}: {r}");
        assert!(
            r["message"].as_str().unwrap().contains("--no-browser"),
            "{r}"
        );
    }
    assert_eq!(
        requirement(&e, "PL4-4")["status"],
        "pass",
        "TTFB from the HTTP probe"
    );
    assert_eq!(e["verdict"], "provisional");
}

#[test]
fn ctrl_c_stops_the_run_and_every_browser_it_started() {
    if !browser_present() {
        return;
    }
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let before = kiemdinh_chromiums();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args([
            "assess",
            "--demo",
            "--runs",
            "3",
            "--out",
            out.to_str().unwrap(),
            "-q",
        ])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    // Wait until the browser is measuring (a timed load was journaled).
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap_or_default();
        if journal.contains("\"event\":\"browser-load\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(200));
    }
    let driver = chromedriver_of(child.id());
    if driver.is_none() {
        let _ = child.kill();
        let _ = child.wait();
        panic!("kiemdinh had no chromedriver running");
    }
    let sent = std::process::Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(sent.success());
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(
            Instant::now() < deadline,
            "kiemdinh did not stop after Ctrl-C"
        );
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut err = String::new();
    let _ = child.stderr.take().unwrap().read_to_string(&mut err);
    assert_eq!(
        status.code(),
        Some(i32::from(ExitCode::Interrupted.code())),
        "{err}"
    );
    assert!(err.contains("interrupted"), "{err}");
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut left: Vec<u32> = Vec::new();
    while Instant::now() < deadline {
        left = kiemdinh_chromiums()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if left.is_empty() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(left.is_empty(), "Chromium outlived Ctrl-C: {left:?}");
    let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap();
    assert!(
        journal.contains("\"event\":\"browser-load\""),
        "what was measured is kept"
    );
}

#[test]
fn a_remote_webdriver_is_driven_through_its_url() {
    if !browser_present() {
        return;
    }
    let (port, server) = hanging_portal();
    let driver_port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let chromedriver = Group(
        std::process::Command::new("chromedriver")
            .arg(format!("--port={driver_port}"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .process_group(0)
            .spawn()
            .expect("chromedriver starts"),
    );
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("s.toml");
    std::fs::write(
        &file,
        format!(
            "[portal]\nname = \"Cổng\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
             base-url = \"http://127.0.0.1:{port}/\"\nhttp-url = \"http://127.0.0.1:{port}/\"\n\
             [pages]\ntimeout-ms = 2000\nmax-pages = 2\n\
             [browser]\npages = [\"/\"]\nruns = 1\nprofile = \"none\"\n"
        ),
    )
    .unwrap();
    let webdriver = format!("http://127.0.0.1:{driver_port}/");
    let (_d, out, o) = run_browser(&[
        "assess",
        "--scenario",
        file.to_str().unwrap(),
        "--webdriver",
        &webdriver,
    ]);
    drop(chromedriver);
    let _ = std::net::TcpStream::connect(("127.0.0.1", port))
        .and_then(|mut c| c.write_all(b"GET /stop HTTP/1.1\r\n\r\n"));
    let _ = server.join();
    assert!(o.status.code().is_some());
    let e = evaluation(&out);
    let run = &e["observations"]["browser"];
    assert_eq!(run["status"], "ran", "{run}");
    assert_eq!(run["webdriver"], webdriver.as_str());
    let timed = &e["page_metrics"][0];
    assert!(timed["fcp_ms"].as_f64().is_some(), "{timed}");
}

/// A process started in its own process group, which is killed whole when this is dropped
/// (also when the test fails half-way): a chromedriver and every Chromium it started.
pub(crate) struct Group(pub(crate) std::process::Child);

impl Drop for Group {
    fn drop(&mut self) {
        if let Ok(pid) = i32::try_from(self.0.id()) {
            let _ = nix::sys::signal::killpg(
                nix::unistd::Pid::from_raw(pid),
                nix::sys::signal::Signal::SIGKILL,
            );
        }
        let _ = self.0.wait();
    }
}

/// The chromedriver a kiemdinh process started (its child).
fn chromedriver_of(parent: u32) -> Option<u32> {
    std::fs::read_dir("/proc")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str()?.parse::<u32>().ok())
        .find(|pid| {
            let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
            let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
            // stat: "pid (comm) state ppid …"
            let ppid = stat
                .rsplit(')')
                .next()
                .and_then(|rest| rest.split_whitespace().nth(1))
                .and_then(|p| p.parse::<u32>().ok());
            String::from_utf8_lossy(&cmdline).contains("chromedriver") && ppid == Some(parent)
        })
}

#[test]
fn a_hung_driver_gives_errors_within_the_budget_and_leaves_nothing_behind() {
    if !browser_present() {
        return;
    }
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let before = kiemdinh_chromiums();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let began = Instant::now();
    let child = std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(["assess", "--demo", "--runs", "2", "--profile", "none"])
        .args(["--out", out.to_str().unwrap(), "-q"])
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("binary runs");
    let pid = child.id();
    let deadline = Instant::now() + Duration::from_secs(90);
    while Instant::now() < deadline {
        let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap_or_default();
        if journal.contains("\"event\":\"browser-load\"") {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let driver = chromedriver_of(pid).expect("kiemdinh started chromedriver");
    // The driver stops answering (as a hung process would).
    let stopped = std::process::Command::new("kill")
        .args(["-STOP", &driver.to_string()])
        .status()
        .unwrap();
    assert!(stopped.success());
    let o = child.wait_with_output().unwrap();
    let took = began.elapsed();
    assert_exit(&o, ExitCode::Incomplete);
    assert!(took < Duration::from_secs(150), "bounded: {took:?}");
    let e = evaluation(&out);
    let b = &e["observations"]["browser"];
    assert!(
        b["reason"]
            .as_str()
            .is_some_and(|r| r.contains("stopped answering")),
        "{b}"
    );
    assert_eq!(requirement(&e, "PL4-2")["status"], "error");
    assert!(out.join("report.html").is_file());
    let deadline = Instant::now() + Duration::from_secs(5);
    let mut left: Vec<u32> = Vec::new();
    while Instant::now() < deadline {
        left = kiemdinh_chromiums()
            .into_iter()
            .filter(|p| !before.contains(p))
            .collect();
        if left.is_empty() && !std::path::Path::new(&format!("/proc/{driver}")).exists() {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert!(left.is_empty(), "Chromium outlived the run: {left:?}");
    assert!(
        !std::path::Path::new(&format!("/proc/{driver}")).exists(),
        "the stopped chromedriver was killed"
    );
}

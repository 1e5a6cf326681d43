//! `kiemdinh monitor` against the reference portal (`demo serve`) at 500 and 200 ms
//! intervals: an outage switched on and off during the run is one outage per target with the
//! right start, end and first error; a monitor killed with `SIGKILL` and restarted continues
//! the same series without a corrupt row, the time it was down being a gap, not an outage;
//! Ctrl-C ends a run with exit 0; `--summary` reads the figures back.

use std::io::{Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use kiemdinh::monitor::figures::{self, now_ms, rfc3339};
use kiemdinh::observation::{Span, Target};
use kiemdinh::store::Store;

use crate::{ExitCode, assert_exit, kiemdinh};

const NAME: &str = "Cổng Dịch vụ công tỉnh Mẫu";

/// A stored probe as read back: id, portal, target, url, `at_ms`, `interval_ms`, ok, status,
/// latency, error.
type Row = (
    i64,
    String,
    String,
    String,
    i64,
    i64,
    bool,
    Option<i64>,
    Option<f64>,
    Option<String>,
);

/// `demo serve` and a scenario `mau.toml` pointing at it: (guard, scenario, plain-HTTP base).
fn portal(dir: &Path) -> (crate::browser::Group, PathBuf, String) {
    let (guard, base, http, ca) = crate::flows::serve_both(&[]);
    let scenario = crate::campaign::scenario(dir, "mau", NAME, &base, &http, &ca);
    (guard, scenario, http)
}

/// Switches the reference portal's outage through its plain-HTTP site.
fn outage(http_base: &str, on: bool) {
    let addr = http_base
        .trim_start_matches("http://")
        .trim_end_matches('/');
    let mut s = std::net::TcpStream::connect(addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    write!(
        s,
        "POST /__kiemdinh/outage?on={} HTTP/1.1\r\nHost: {addr}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
        u8::from(on)
    )
    .unwrap();
    let mut answer = String::new();
    s.read_to_string(&mut answer).unwrap();
    let want = if on { "on" } else { "off" };
    assert!(
        answer.starts_with("HTTP/1.1 200") && answer.ends_with(want),
        "{answer}"
    );
}

fn monitor(scenario: &Path, db: &Path, interval: &str, duration: &str) -> Child {
    Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .arg("monitor")
        .arg("--scenario")
        .arg(scenario)
        .arg("--db")
        .arg(db)
        .args(["--interval", interval, "--duration", duration])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("monitor starts")
}

/// Rows of the probe table (read through a connection of its own, as another process would).
fn row_count(db: &Path) -> i64 {
    let Ok(c) = rusqlite::Connection::open(db) else {
        return 0;
    };
    c.query_row("SELECT COUNT(*) FROM probe", [], |r| r.get(0))
        .unwrap_or(0)
}

/// Waits (bounded) until the table holds at least `n` rows.
fn wait_rows(db: &Path, n: i64) {
    let start = Instant::now();
    while row_count(db) < n {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "only {} rows after 30 s",
            row_count(db)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn whole(db: &Path) -> Span {
    let c = rusqlite::Connection::open(db).unwrap();
    let (first, last): (i64, i64) = c
        .query_row("SELECT MIN(at_ms), MAX(at_ms) FROM probe", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    Span {
        from: rfc3339(first),
        to: rfc3339(last + 1),
    }
}

#[test]
fn an_outage_switched_on_during_the_run_is_one_outage_per_target_with_its_window() {
    let dir = tempfile::tempdir().unwrap();
    let (_portal, scenario, http) = portal(dir.path());
    let db = dir.path().join("k.db");
    // 400 ms timeouts: a loaded test machine must not turn the 503s into timeouts.
    let child = monitor(&scenario, &db, "500ms", "8s");
    wait_rows(&db, 12);
    std::thread::sleep(Duration::from_millis(600));
    let on = now_ms();
    outage(&http, true);
    std::thread::sleep(Duration::from_secs(3));
    outage(&http, false);
    let off = now_ms();
    let o = child.wait_with_output().unwrap();
    assert_exit(&o, ExitCode::Success);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let stdout = String::from_utf8_lossy(&o.stdout);
    for want in [
        "mau home: DOWN: HTTP 503",
        "mau home: UP again after",
        "mau: procedure page https://",
        "mau: a new series",
    ] {
        assert!(stderr.contains(want), "{want}\n{stderr}");
    }
    // One line per change, not per probe.
    assert_eq!(stderr.matches("DOWN").count(), 4, "{stderr}");
    assert!(stdout.contains("outages: 4"), "{stdout}");
    assert!(
        !stdout.contains("not monitored"),
        "the run starts at its first probe: {stdout}"
    );

    let store = Store::open(&db).unwrap();
    let a = figures::availability(&store, "mau", &whole(&db), "k.db").unwrap();
    let mut targets: Vec<Target> = a.outages.iter().map(|o| o.target).collect();
    targets.sort();
    assert_eq!(
        targets,
        [
            Target::Home,
            Target::Catalogue,
            Target::Procedure,
            Target::DvcqgStatus
        ],
        "{:#?}",
        a.outages
    );
    let ms = |s: &str| figures::parse_instant(s).unwrap();
    for out in &a.outages {
        let (start, end) = (ms(&out.start), ms(&out.end));
        // A probe started just before the switch may fail; the first after it must.
        assert!(
            (on - 450..=on + 500 + 400).contains(&start),
            "{out:?} on={}",
            rfc3339(on)
        );
        assert!(
            (off..=off + 500 + 400).contains(&end),
            "{out:?} off={}",
            rfc3339(off)
        );
        assert_eq!(out.first_error, "HTTP 503");
        assert!(!out.ongoing);
        assert!(out.probes >= 5, "{out:?}");
    }
    let home = a.target(Target::Home).unwrap();
    let switched = (off - on) as f64 / 1000.0;
    assert!(
        (home.down_s - switched).abs() < 0.9,
        "down {} s, switched {switched} s",
        home.down_s
    );
    let uptime = 1.0 - home.down_s / home.monitored_s;
    assert!(home.monitored_s > 5.0, "{home:?}");
    assert!((0.45..0.8).contains(&uptime), "uptime {uptime}");
    assert!(
        home.latency_ms.count >= 6 && home.latency_ms.p50 > 0.0,
        "{home:?}"
    );
    assert!(a.gaps.is_empty(), "{:?}", a.gaps);
    assert!((a.interval_s - 0.5).abs() < 1e-9);
    drop(store);
    assess_reads_the_store(dir.path(), &scenario, on, off);
}

/// `assess` with `[availability] db` judges PL5-6 from the monitor's store: the outage fails
/// it; the same outage inside a suspension announced weeks ahead is excused and it passes.
/// Both evaluations are recorded in the same store (`history`).
fn assess_reads_the_store(dir: &Path, scenario: &Path, on: i64, off: i64) {
    let vn = time::UtcOffset::from_hms(7, 0, 0).unwrap();
    let today = time::OffsetDateTime::now_utc().to_offset(vn).date();
    let day = |d: time::Date| d.to_string();
    let base = fs_err::read_to_string(scenario).unwrap();
    let run = |name: &str, extra: &str| {
        let file = dir.join(format!("{name}.toml"));
        // The period is two days; an 8 s run covers little of it, so coverage is not asked.
        let text = format!(
            "{base}\n[availability]\ndb = \"k.db\"\nportal = \"mau\"\nfrom = \"{}\"\nto = \"{}\"\n\n\
             [overrides.\"PL5-6\"]\nmin-coverage = 0.000001\n{extra}",
            day(today.previous_day().unwrap()),
            day(today),
        );
        fs_err::write(&file, text).unwrap();
        let out = dir.join(name);
        let o = kiemdinh(&[
            "assess",
            "--scenario",
            file.to_str().unwrap(),
            "--only",
            "PL5-6",
            "--no-browser",
            "--no-load",
            "--format",
            "json",
            "--out",
            out.to_str().unwrap(),
        ]);
        let eval: serde_json::Value = serde_json::from_str(
            &fs_err::read_to_string(out.join("evaluation.json"))
                .unwrap_or_else(|e| panic!("{e}\n{}", String::from_utf8_lossy(&o.stderr))),
        )
        .unwrap();
        let r = eval["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["id"] == "PL5-6")
            .unwrap()
            .clone();
        (o, r)
    };
    let (o, r) = run("counted", "");
    assert_exit(&o, ExitCode::NonConformant);
    assert_eq!(r["status"], "fail", "{r:#}");
    let announced = day(today.checked_sub(time::Duration::days(40)).unwrap());
    let (o, r) = run(
        "excused",
        &format!(
            "\n[[availability.suspension]]\nfrom = \"{}\"\nto = \"{}\"\nannounced = \"{announced}\"\nnote = \"bảo trì\"\n",
            rfc3339(on - 2000),
            rfc3339(off + 2000)
        ),
    );
    assert_exit(&o, ExitCode::Success);
    assert_eq!(r["status"], "pass", "{r:#}");
    let h = kiemdinh(&[
        "history",
        "--db",
        dir.join("k.db").to_str().unwrap(),
        "--portal",
        "mau",
    ]);
    assert_exit(&h, ExitCode::Success);
    let text = String::from_utf8_lossy(&h.stdout);
    assert_eq!(text.matches("non-conformant").count(), 1, "{text}");
}

#[test]
fn a_killed_monitor_restarted_continues_the_series_and_its_absence_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let (_portal, scenario, _http) = portal(dir.path());
    let db = dir.path().join("k.db");
    let mut first = monitor(&scenario, &db, "200ms", "60s");
    wait_rows(&db, 16);
    first.kill().unwrap(); // SIGKILL
    first.wait().unwrap();
    let killed = now_ms();
    let before = row_count(&db);
    std::thread::sleep(Duration::from_millis(1_500));
    let restarted = now_ms();
    let second = monitor(&scenario, &db, "200ms", "60s");
    wait_rows(&db, before + 16);
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(i32::try_from(second.id()).unwrap()),
        nix::sys::signal::Signal::SIGINT,
    )
    .unwrap();
    let o = second.wait_with_output().unwrap();
    assert_exit(&o, ExitCode::Success);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(stderr.contains("mau: continuing its series ("), "{stderr}");
    assert!(
        stderr.contains("stopping; finishing the probes in flight"),
        "{stderr}"
    );

    let c = rusqlite::Connection::open(&db).unwrap();
    let check: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(check, "ok");
    let mut st = c
        .prepare(
            "SELECT id, portal, target, url, at_ms, interval_ms, ok, status, latency_ms, error
             FROM probe ORDER BY id",
        )
        .unwrap();
    let rows: Vec<Row> = st
        .query_map([], |r| {
            Ok((
                r.get(0)?,
                r.get(1)?,
                r.get(2)?,
                r.get(3)?,
                r.get(4)?,
                r.get(5)?,
                r.get(6)?,
                r.get(7)?,
                r.get(8)?,
                r.get(9)?,
            ))
        })
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(rows.windows(2).all(|w| w[0].0 < w[1].0), "ids increase");
    for (id, portal, target, url, _, interval, ok, status, latency, error) in &rows {
        assert_eq!(portal, "mau");
        assert!(Target::parse(target).is_some(), "{id}: {target}");
        assert!(url.starts_with("https://127.0.0.1:"), "{id}: {url}");
        assert_eq!(*interval, 200);
        assert!(latency.is_some(), "{id}");
        if *ok {
            assert!(
                status.is_some_and(|s| (200..300).contains(&s)) && error.is_none(),
                "{id}"
            );
        } else {
            assert!(error.is_some(), "{id}");
        }
    }
    assert!(rows.iter().any(|r| r.4 < killed), "rows of the first run");
    assert!(
        rows.iter().any(|r| r.4 > restarted),
        "rows of the second run"
    );
    // The portal was up throughout; on a loaded machine a probe may time out, nothing else.
    for r in rows.iter().filter(|r| !r.6) {
        assert!(
            r.9.as_deref().unwrap().starts_with("timeout after"),
            "{r:?}"
        );
    }

    let store = Store::open(&db).unwrap();
    let a = figures::availability(&store, "mau", &whole(&db), "k.db").unwrap();
    assert_eq!(a.gaps.len(), 1, "{:?}", a.gaps);
    let (from, to) = (
        figures::parse_instant(&a.gaps[0].from).unwrap(),
        figures::parse_instant(&a.gaps[0].to).unwrap(),
    );
    // The last probe before the kill covers 2 × interval after it.
    assert!(from <= killed + 400 && to >= restarted, "{:?}", a.gaps[0]);
    // The time between the runs is no outage (outages, if any, are probes that timed out).
    for o in &a.outages {
        let (start, end) = (
            figures::parse_instant(&o.start).unwrap(),
            figures::parse_instant(&o.end).unwrap(),
        );
        assert!(end <= from || start >= to, "{o:?} spans the gap");
        assert!(o.first_error.starts_with("timeout after"), "{o:?}");
    }

    // The same figures from the command line.
    let db_arg = db.to_str().unwrap();
    // Over the same period: up to now, the time since the monitor stopped is a gap too.
    let span = whole(&db);
    let period = ["--from", span.from.as_str(), "--to", span.to.as_str()];
    let o = kiemdinh(
        &[
            &["monitor", "--summary", "--db", db_arg, "--json"][..],
            &period,
        ]
        .concat(),
    );
    assert_exit(&o, ExitCode::Success);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v[0]["portal"], "mau");
    assert_eq!(v[0]["gaps"].as_array().unwrap().len(), 1);
    assert_eq!(v[0]["outages"].as_array().unwrap().len(), a.outages.len());
    let o = kiemdinh(
        &[
            &["monitor", "--summary", "--db", db_arg, "--portal", "mau"][..],
            &period,
        ]
        .concat(),
    );
    assert_exit(&o, ExitCode::Success);
    assert!(String::from_utf8_lossy(&o.stdout).contains("not monitored (gaps): 1"));
    let o = kiemdinh(&["monitor", "--summary", "--db", db_arg, "--portal", "khac"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("no probes of portal `khac`"));
}

#[test]
fn usage_errors_probe_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("k.db");
    let db_arg = db.to_str().unwrap();
    let missing = dir.path().join("none.toml");
    for args in [
        vec!["monitor", "--db", db_arg],
        vec![
            "monitor",
            "--scenario",
            missing.to_str().unwrap(),
            "--db",
            db_arg,
        ],
        vec![
            "monitor",
            "--scenario",
            ".",
            "--db",
            db_arg,
            "--interval",
            "5 weeks",
        ],
        vec![
            "monitor",
            "--scenario",
            ".",
            "--db",
            db_arg,
            "--until",
            "someday",
        ],
        vec![
            "monitor",
            "--scenario",
            ".",
            "--until",
            "2026-12-31",
            "--duration",
            "1d",
        ],
        vec!["monitor", "--summary", "--db", db_arg],
    ] {
        let o = kiemdinh(&args);
        assert_exit(&o, ExitCode::Usage);
    }
    assert!(!db.exists(), "no database created by a usage error");
}

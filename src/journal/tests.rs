use super::*;

fn stamp() -> Stamp {
    Stamp::for_demo(&["no-csp".into()], "semantic", vec!["tt21-2023".into()])
}

fn start(base: &str, http: &str) -> serde_json::Value {
    serde_json::json!({"event": "start", "portal": base, "http": http, "stamp": stamp()})
}

fn write_lines(dir: &Path, text: &str) {
    std::fs::write(dir.join(FILE), text).unwrap();
}

#[test]
fn lines_are_written_whole_and_appended_after_a_cut_last_line() {
    let dir = tempfile::tempdir().unwrap();
    {
        let j = Journal::create(dir.path()).unwrap();
        for i in 0..(SYNC_EVERY_LINES + 3) {
            j.write(&serde_json::json!({"event": "page", "n": i}));
        }
    }
    let mut text = std::fs::read_to_string(dir.path().join(FILE)).unwrap();
    assert_eq!(text.lines().count(), SYNC_EVERY_LINES + 3);
    // Killed while writing a line: the cut line is dropped and overwritten.
    text.push_str("{\"event\": \"page\", \"ur");
    write_lines(dir.path(), &text);
    let r = read(dir.path()).unwrap();
    assert_eq!(r.events.len(), SYNC_EVERY_LINES + 3);
    assert_eq!(r.dropped, Some(SYNC_EVERY_LINES + 4));
    Journal::append(&r)
        .unwrap()
        .write(&serde_json::json!({"event": "resume"}));
    let r = read(dir.path()).unwrap();
    assert_eq!(r.dropped, None);
    assert_eq!(r.events.last().unwrap().1["event"], "resume");
    assert_eq!(r.events.last().unwrap().0, SYNC_EVERY_LINES + 4);
}

#[test]
fn a_complete_but_garbled_last_line_is_dropped_too() {
    let dir = tempfile::tempdir().unwrap();
    write_lines(dir.path(), "{\"event\":\"start\"}\n{\"event\":\0\0\0\n");
    let r = read(dir.path()).unwrap();
    assert_eq!((r.events.len(), r.dropped), (1, Some(2)));
    assert_eq!(r.valid_len, 18);
}

#[test]
fn damage_before_the_last_line_names_the_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    write_lines(
        dir.path(),
        "{\"event\":\"start\"}\n{\"event\":\"pa\n[1]\n{\"event\":\"end\"}\n",
    );
    let e = read(dir.path()).unwrap_err().to_string();
    assert!(e.contains("journal.jsonl:2: the journal is damaged"), "{e}");
    write_lines(dir.path(), "{\"event\":\"start\"}\n[1]\n{}\n");
    let e = read(dir.path()).unwrap_err().to_string();
    assert!(
        e.contains("journal.jsonl:2:") && e.contains("not a JSON object"),
        "{e}"
    );
    let none = tempfile::tempdir().unwrap();
    let e = read(none.path()).unwrap_err().to_string();
    assert!(e.contains("nothing to resume"), "{e}");
}

#[test]
fn another_version_scenario_or_edition_set_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let line = |s: &Stamp| {
        let mut v = start("https://127.0.0.1:1/", "http://127.0.0.1:2/");
        v["stamp"] = serde_json::to_value(s).unwrap();
        format!("{v}\n")
    };
    write_lines(dir.path(), &line(&stamp()));
    let r = read(dir.path()).unwrap();
    check_stamp(&r, &stamp()).unwrap();
    // The same defects in another order are the same run.
    let reordered = Stamp::for_demo(
        &[" no-csp".into(), "no-csp".into()],
        "semantic",
        vec!["tt21-2023".into()],
    );
    check_stamp(&r, &reordered).unwrap();
    let cases = [
        (
            Stamp {
                version: "0.0.1".into(),
                ..stamp()
            },
            "was written by kiemdinh 0.0.1",
        ),
        (
            Stamp::for_demo(&["no-hsts".into()], "semantic", vec!["tt21-2023".into()]),
            "another scenario",
        ),
        (
            Stamp::for_file("[portal]\n", vec!["tt21-2023".into()]),
            "another scenario",
        ),
        (
            Stamp::for_demo(
                &["no-csp".into()],
                "semantic",
                vec!["qd31-2021-dvcqg".into()],
            ),
            "for the checklists qd31-2021-dvcqg",
        ),
    ];
    for (found, want) in cases {
        write_lines(dir.path(), &line(&found));
        let r = read(dir.path()).unwrap();
        let e = check_stamp(&r, &stamp()).unwrap_err().to_string();
        assert!(
            e.contains(want) && e.contains("journal.jsonl"),
            "{want}: {e}"
        );
    }
    write_lines(dir.path(), "{\"event\":\"start\",\"portal\":\"x\"}\n");
    let e = check_stamp(&read(dir.path()).unwrap(), &stamp())
        .unwrap_err()
        .to_string();
    assert!(e.contains("older kiemdinh"), "{e}");
}

#[test]
fn observations_are_rebased_segment_by_segment() {
    let dir = tempfile::tempdir().unwrap();
    let fetch = |url: &str| {
        let f = Fetch {
            status: Some(200),
            final_url: url.into(),
            ..Fetch::default()
        };
        serde_json::json!({"event": "fetch", "url": url, "fetch": f})
    };
    let lines = [
        start("https://127.0.0.1:1000/", "http://127.0.0.1:1001/"),
        fetch("https://127.0.0.1:1000/a"),
        fetch("http://127.0.0.1:1001/"),
        serde_json::json!({"event": "script", "url": "https://127.0.0.1:1000/s.js", "text": "x", "cut": true}),
        serde_json::json!({"event": "resume", "portal": "https://127.0.0.1:2000/", "http": "http://127.0.0.1:2001/"}),
        fetch("https://127.0.0.1:2000/b"),
        serde_json::json!({"event": "script", "url": "https://127.0.0.1:2000/t.js", "error": "HTTP 404"}),
        serde_json::json!({"event": "page", "url": "https://127.0.0.1:2000/b"}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    write_lines(dir.path(), &text);
    let r = read(dir.path()).unwrap();
    let base = url::Url::parse("https://127.0.0.1:3000/").unwrap();
    let http = url::Url::parse("http://127.0.0.1:3001/").unwrap();
    let held = replay(&r, &base, &http).unwrap();
    assert_eq!(held.len(), 5);
    let tape = crate::probe::tape::Tape::new(held, |_| {});
    let at = |s: &str| url::Url::parse(s).unwrap();
    let a = tape.take_fetch(&at("https://127.0.0.1:3000/a")).unwrap();
    assert_eq!(a.final_url, "https://127.0.0.1:3000/a");
    assert!(tape.take_fetch(&at("http://127.0.0.1:3001/")).is_some());
    assert!(tape.take_fetch(&at("https://127.0.0.1:3000/b")).is_some());
    assert_eq!(
        tape.take_script(&at("https://127.0.0.1:3000/s.js")),
        Some(Ok(("x".into(), true)))
    );
    assert_eq!(
        tape.take_script(&at("https://127.0.0.1:3000/t.js")),
        Some(Err("HTTP 404".into()))
    );
    // An event of the right name with the wrong content is damage, with its line.
    write_lines(
        dir.path(),
        &format!(
            "{}\n{{\"event\":\"fetch\",\"url\":\"x\",\"fetch\":{{\"status\":\"no\"}}}}\n{{}}\n",
            lines[0]
        ),
    );
    let e = replay(&read(dir.path()).unwrap(), &base, &http)
        .unwrap_err()
        .to_string();
    assert!(e.contains("journal.jsonl:2:"), "{e}");
}

#[test]
fn finished_journeys_and_a_finished_load_run_are_replayed_rebased() {
    let dir = tempfile::tempdir().unwrap();
    let flow = |status: &str, url: &str| {
        serde_json::json!({"event": "flow", "flow": {
            "name": "tra-cuu", "requirements": ["PL2-3"], "origin": "declared", "basis": null,
            "status": status, "steps": [], "visited": [url], "elapsed_ms": 5, "error": null}})
    };
    let run = crate::observation::LoadRun {
        target: "https://127.0.0.1:1000/".into(),
        requests: 42,
        ..crate::observation::LoadRun::default()
    };
    let lines = [
        start("https://127.0.0.1:1000/", "http://127.0.0.1:1001/"),
        flow("error", "https://127.0.0.1:1000/a"),
        // A later run of the same journey (after a resume) stands.
        flow("passed", "https://127.0.0.1:1000/b"),
        serde_json::json!({"event": "load-start"}),
        serde_json::json!({"event": "load-end", "run": run}),
    ];
    let text: String = lines.iter().map(|l| format!("{l}\n")).collect();
    write_lines(dir.path(), &text);
    let base = url::Url::parse("https://127.0.0.1:3000/").unwrap();
    let http = url::Url::parse("http://127.0.0.1:3001/").unwrap();
    let held = replay(&read(dir.path()).unwrap(), &base, &http).unwrap();
    assert_eq!(held.len(), 2);
    let tape = crate::probe::tape::Tape::new(held, |_| {});
    assert!(tape.take_flow("khac").is_none());
    let f = tape.take_flow("tra-cuu").unwrap();
    assert_eq!(f.status, crate::observation::FlowStatus::Passed);
    assert_eq!(f.visited, ["https://127.0.0.1:3000/b"]);
    assert!(tape.take_flow("tra-cuu").is_none(), "replayed once");
    let load = tape.take_load().unwrap();
    assert_eq!(
        (load.requests, load.target.as_str()),
        (42, "https://127.0.0.1:3000/")
    );
    assert!(tape.take_load().is_none());
    assert_eq!(tape.replayed(), 2);
}

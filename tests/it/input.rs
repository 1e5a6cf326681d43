//! Malformed inputs: exit 2, file/line/key in the message, nothing written.

use crate::{ExitCode, assert_exit, kiemdinh};

const SCENARIO: &str = "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"https://127.0.0.1:1/\"\n";

fn assert_rejected(dir: &std::path::Path, args: &[&str], needles: &[&str]) {
    let out = dir.join("out");
    let mut all = args.to_vec();
    all.extend(["--out", out.to_str().unwrap()]);
    let o = kiemdinh(&all);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_exit(&o, ExitCode::Usage);
    for n in needles {
        assert!(stderr.contains(n), "`{n}` not in: {stderr}");
    }
    assert!(!out.exists(), "nothing is written to the output directory");
}

#[test]
fn unknown_scenario_key_is_named_with_line() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, format!("{SCENARIO}[pages]\nmax-page = 10\n")).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &["s.toml:7", "max-page", "did you mean `max-pages`?"],
    );
}

#[test]
fn bad_url_and_wrong_type_are_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, SCENARIO.replace("https://127.0.0.1:1/", "ftp//nowhere")).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &["s.toml:5", "portal.base-url"],
    );
    std::fs::write(&s, format!("{SCENARIO}[pages]\nconcurrency = \"eight\"\n")).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &["s.toml:7", "concurrency"],
    );
}

#[test]
fn credentials_in_a_url_are_refused_without_repeating_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    let secret = "s3cr3t-Mật-khẩu";
    for (url, key) in [
        (
            format!("https://evaluator:{secret}@127.0.0.1:1/"),
            "portal.base-url",
        ),
        (format!("https://{secret}@127.0.0.1:1/"), "portal.base-url"),
    ] {
        std::fs::write(&s, SCENARIO.replace("https://127.0.0.1:1/", &url)).unwrap();
        let out = dir.path().join("out");
        let o = kiemdinh(&[
            "assess",
            "--scenario",
            s.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_exit(&o, ExitCode::Usage);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(key) && stderr.contains("[accounts]"),
            "{stderr}"
        );
        assert!(
            !stderr.contains(secret),
            "the secret is not repeated: {stderr}"
        );
        assert!(!out.exists());
    }
    let http = format!("{SCENARIO}http-url = \"http://u:{secret}@127.0.0.1:1/\"\n");
    std::fs::write(&s, http).unwrap();
    let o = kiemdinh(&["check", s.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert!(
        stderr.contains("portal.http-url") && !stderr.contains(secret),
        "{stderr}"
    );
}

#[test]
fn duplicate_requirement_id_in_checklist_is_rejected() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.toml");
    let text =
        include_str!("../../checklists/tt21-2023.toml").replace("id = \"PL3-3\"", "id = \"PL3-2\"");
    std::fs::write(&c, text).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--demo", "--checklist", c.to_str().unwrap()],
        &["c.toml:", "].id`: duplicate requirement id `PL3-2`"],
    );
}

#[test]
fn unknown_check_kind_and_defect_and_filter_are_usage_errors() {
    let dir = tempfile::tempdir().unwrap();
    let c = dir.path().join("c.toml");
    std::fs::write(
        &c,
        include_str!("../../checklists/tt21-2023.toml")
            .replace("kind = \"sitemap\"", "kind = \"site-map\""),
    )
    .unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--demo", "--checklist", c.to_str().unwrap()],
        &["did you mean `sitemap`?"],
    );
    assert_rejected(
        dir.path(),
        &["assess", "--demo", "--defects", "no-hst"],
        &["did you mean `no-hsts`?"],
    );
    assert_rejected(
        dir.path(),
        &["assess", "--demo", "--only", "SEC-22"],
        &["SEC-2"],
    );
}

#[test]
fn check_command_validates_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        format!("{SCENARIO}[functions]\ncatalog = \"/thu-tuc/\"\n"),
    )
    .unwrap();
    let o = kiemdinh(&["check", s.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("did you mean `catalogue`?"));
}

#[test]
fn check_tells_a_scenario_without_its_portal_table_so() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, "[pages]\nmax-pages = 10\n").unwrap();
    let o = kiemdinh(&["check", s.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("invalid scenario") && err.contains("`portal` is missing"),
        "{err}"
    );
    // A checklist is still a checklist without any `[portal]`.
    std::fs::write(&s, "edition = \"x-1\"\n").unwrap();
    let err =
        String::from_utf8_lossy(&kiemdinh(&["check", s.to_str().unwrap()]).stderr).into_owned();
    assert!(err.contains("invalid checklist"), "{err}");
}

#[test]
fn check_validates_scenario_overrides_against_its_checklists() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
         base-url = \"https://127.0.0.1:9/\"\n\n[overrides.PL4-2]\nmax-sm = 3000\n",
    )
    .unwrap();
    let o = crate::kiemdinh(&["check", s.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("s.toml:8") && err.contains("did you mean `max-ms`?"),
        "{err}"
    );
}

#[test]
fn evidence_of_the_wrong_kind_is_rejected_by_content() {
    let dir = tempfile::tempdir().unwrap();
    // A screenshot named like a PDF for a document-only item.
    std::fs::write(
        dir.path().join("quyet-dinh.pdf"),
        b"\x89PNG\r\n\x1a\nfake image",
    )
    .unwrap();
    std::fs::write(dir.path().join("bien-ban.pdf"), b"%PDF-1.7\n").unwrap();
    let s = dir.path().join("s.toml");
    let text = format!(
        "{SCENARIO}[evidence]\n\"SEC-11\" = \"quyet-dinh.pdf\"\n\"PL7-1\" = \"bien-ban.pdf\"\n"
    );
    std::fs::write(&s, &text).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &[
            "key `evidence.SEC-11`",
            "holds an image",
            "accepts pdf, office, text",
        ],
    );
    let o = kiemdinh(&["check", s.to_str().unwrap()]);
    assert_exit(&o, ExitCode::Usage);
    assert!(
        !String::from_utf8_lossy(&o.stderr).contains("PL7-1"),
        "the PDF is fine"
    );
    // An empty file is refused too.
    std::fs::write(dir.path().join("quyet-dinh.pdf"), b"").unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &["key `evidence.SEC-11`", "empty"],
    );
}

#[test]
fn a_screenshot_is_accepted_where_the_item_asks_for_screenshots() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("anh-chup.png"),
        b"\x89PNG\r\n\x1a\nscreenshot",
    )
    .unwrap();
    let s = dir.path().join("s.toml");
    // PL2-1 asks for "screenshots or a test record"; SEC-11 for a decision (documents only).
    std::fs::write(
        &s,
        format!("{SCENARIO}[evidence]\n\"PL2-1\" = \"anh-chup.png\"\n"),
    )
    .unwrap();
    assert_exit(
        &kiemdinh(&["check", s.to_str().unwrap()]),
        ExitCode::Success,
    );
}

#[test]
fn browser_settings_out_of_range_are_named_by_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        format!("{SCENARIO}[browser]\nruns = 0\nprofile = \"fast\"\n"),
    )
    .unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &[
            "s.toml:7:8: key `browser.runs`: value out of range",
            "s.toml:8:11: key `browser.profile`",
            "unknown value `fast`",
            "`mobile`",
        ],
    );
    std::fs::write(&s, format!("{SCENARIO}[browser]\nruns = 0\n")).unwrap();
    assert_rejected(
        dir.path(),
        &["assess", "--scenario", s.to_str().unwrap()],
        &["key `browser.runs`"],
    );
    let o = kiemdinh(&["assess", "--demo", "--runs", "50"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("--runs 50"));
    let o = kiemdinh(&["assess", "--demo", "--no-browser", "--profile", "desktop"]);
    assert_exit(&o, ExitCode::Usage);
}

/// The folder of the input-error golden files: `NAME.toml` and what `kiemdinh check NAME.toml`
/// prints, `NAME.expected`.
fn input_errors_dir() -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/input-errors")
}

/// `kiemdinh check NAME` run inside the golden folder (so messages name the file alone).
fn check_in_fixtures(name: &str) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(["check", name])
        .current_dir(input_errors_dir())
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

/// The `-->` lines of a message: (line, key).
fn reported(stderr: &str) -> Vec<(usize, String)> {
    stderr
        .lines()
        .filter_map(|l| l.trim().strip_prefix("--> "))
        .map(|l| {
            let line = l
                .split(':')
                .nth(1)
                .and_then(|n| n.parse().ok())
                .unwrap_or(0);
            let key = l.split('`').nth(1).unwrap_or_default().to_string();
            (line, key)
        })
        .collect()
}

#[test]
fn input_error_messages_match_their_golden_files() {
    let mut names: Vec<String> = std::fs::read_dir(input_errors_dir())
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().to_string())
        .filter(|n| {
            std::path::Path::new(n)
                .extension()
                .is_some_and(|e| e == "toml")
        })
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    let mut differ = Vec::new();
    for name in &names {
        let o = check_in_fixtures(name);
        assert_exit(&o, ExitCode::Usage);
        let got = String::from_utf8_lossy(&o.stderr).to_string();
        let golden = input_errors_dir().join(name.replace(".toml", ".expected"));
        if update {
            std::fs::write(&golden, &got).unwrap();
        }
        let want = std::fs::read_to_string(&golden).unwrap_or_default();
        if got != want {
            differ.push(format!("{name}:\n--- expected\n{want}--- got\n{got}"));
        }
        for secret in ["Mat-khau", "hunter2"] {
            assert!(!got.contains(secret), "{name} repeats a secret: {got}");
        }
    }
    assert!(
        differ.is_empty(),
        "review, then `UPDATE_GOLDEN=1 cargo test --test it input::input_error`:\n{}",
        differ.join("\n")
    );
}

#[test]
fn five_mistakes_in_a_scenario_are_all_reported_at_their_keys_sorted_by_line() {
    let want = [
        (7, "portal.vendr"),
        (10, "pages.max-pages"),
        (11, "pages.concurrency"),
        (14, "dvcqg.status-url"),
        (19, "attestations.PL2-1.date"),
    ];
    let o = check_in_fixtures("five-mistakes.toml");
    assert_exit(&o, ExitCode::Usage);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let got = reported(&stderr);
    let got: Vec<(usize, &str)> = got.iter().map(|(l, k)| (*l, k.as_str())).collect();
    assert_eq!(got, want, "{stderr}");
    for needle in [
        "did you mean `vendor`?",
        "expected a whole number ≥ 0",
        "environment variables named in `[accounts]`",
        "expected YYYY-MM-DD",
    ] {
        assert!(stderr.contains(needle), "`{needle}` not in {stderr}");
    }
    // `assess` shows the same problems before running anything.
    let dir = tempfile::tempdir().unwrap();
    let s = input_errors_dir().join("five-mistakes.toml");
    let out = dir.path().join("out");
    let o = kiemdinh(&[
        "assess",
        "--scenario",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, ExitCode::Usage);
    let keys: Vec<String> = reported(&String::from_utf8_lossy(&o.stderr))
        .into_iter()
        .map(|(_, k)| k)
        .collect();
    assert_eq!(keys, want.map(|(_, k)| k.to_string()));
    assert!(!out.exists(), "nothing is written");
}

#[test]
fn a_checklist_with_several_mistakes_reports_them_all_in_one_pass() {
    let o = check_in_fixtures("checklist-mistakes.toml");
    assert_exit(&o, ExitCode::Usage);
    let stderr = String::from_utf8_lossy(&o.stderr);
    let got = reported(&stderr);
    let keys: Vec<&str> = got.iter().map(|(_, k)| k.as_str()).collect();
    assert_eq!(
        keys,
        [
            "note",
            "requirement[0].weight",
            "requirement[0].checks[0].kind",
            "requirement[1].basis",
            "requirement[1].mandatory",
            "requirement[2].id",
        ],
        "{stderr}"
    );
    assert!(got.windows(2).all(|w| w[0].0 <= w[1].0), "sorted by line");
}

#[test]
fn credentials_are_refused_in_every_url_bearing_key() {
    for (name, key) in [
        (
            "credentials-load-step.toml",
            "load.journeys[0].steps[0].url",
        ),
        ("credentials-flow-goto.toml", "flows[0].steps[1].goto"),
        ("credentials-function.toml", "functions.lookup"),
        ("five-mistakes.toml", "dvcqg.status-url"),
    ] {
        let o = check_in_fixtures(name);
        assert_exit(&o, ExitCode::Usage);
        let stderr = String::from_utf8_lossy(&o.stderr);
        assert!(
            stderr.contains(&format!("key `{key}`: credentials in a URL")),
            "{name}: {stderr}"
        );
        assert!(!stderr.contains("Mat-khau"), "{name}: {stderr}");
    }
}

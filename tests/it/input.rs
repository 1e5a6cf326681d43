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
        &["c.toml:", "key `id`", "duplicate requirement id `PL3-2`"],
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
            "s.toml:8:",
            "key `profile`",
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

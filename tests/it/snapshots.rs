//! Golden reports: `summary.md`, `junit.xml`, `evaluation.json` (without its observations) and
//! its verdicts for the reference portal with two defects, with times, ports, dates and timings
//! redacted. A change to any report shows up as a reviewable diff (`cargo insta review`, or
//! `INSTA_UPDATE=always cargo test` then `git diff`).

use std::fmt::Write as _;

use crate::{assess_demo, evaluation};

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    for (re, with) in [
        (r"(127\.0\.0\.1|localhost):\d+", "$1:[PORT]"),
        (
            r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})",
            "[TIME]",
        ),
        (r"\d{4}-\d{2}-\d{2}", "[DATE]"),
        (r"\b\d+(\.\d+)? ?ms\b", "[N] ms"),
        (r"\b\d+ (ngày|days)\b", "[N] $1"),
        (r"kiemdinh \d+\.\d+\.\d+", "kiemdinh [VERSION]"),
        (r#"time="[\d.]+""#, r#"time="[T]""#),
        (r"/tmp/\.tmp\w+", "[TMP]"),
        (r"/tmp/kiemdinh-demo-[\w-]+", "[DEMO]"),
    ] {
        s.add_filter(re, with);
    }
    s
}

#[test]
fn reports_of_a_portal_with_two_defects() {
    let (_d, out, _) = assess_demo(&["--defects", "no-hsts,footer-differs"]);
    let read = |f: &str| std::fs::read_to_string(out.join(f)).unwrap();
    let e = evaluation(&out);
    let mut verdicts = format!(
        "verdict: {}\nscore: {}\nrankable: {}\nmandatory_pending: {}\n",
        e["verdict"], e["score"], e["rankable"], e["mandatory_pending"]
    );
    for r in e["requirements"].as_array().unwrap() {
        let _ = writeln!(
            verdicts,
            "{} {} — {}",
            r["id"].as_str().unwrap(),
            r["status"].as_str().unwrap(),
            r["message"].as_str().unwrap()
        );
    }
    // evaluation.json without what the other snapshots or tests pin (observations: the
    // portal's pages; coverage: the checklist tests) and without numbers that vary run to run.
    let mut doc = e.clone();
    let top = doc.as_object_mut().unwrap();
    for volatile in ["observations", "coverage"] {
        top.remove(volatile);
    }
    let json = serde_json::to_string_pretty(&doc).unwrap();
    settings().bind(|| {
        insta::assert_snapshot!("evaluation.json", json);
        insta::assert_snapshot!("summary.md", read("summary.md"));
        insta::assert_snapshot!("junit.xml", read("junit.xml"));
        insta::assert_snapshot!("evaluation-verdicts", verdicts);
    });
}

#[test]
fn input_errors_name_every_problem_with_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("portal.toml");
    std::fs::write(
        &s,
        "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
         base-url = \"ftp//nowhere\"\n[functions]\nthong-ke = \"/thong-ke\"\n[pages]\nmax-page = 10\n",
    )
    .unwrap();
    let o = crate::kiemdinh(&["check", s.to_str().unwrap()]);
    crate::assert_exit(&o, crate::ExitCode::Usage);
    let stderr = String::from_utf8_lossy(&o.stderr).replace(dir.path().to_str().unwrap(), "[DIR]");
    settings().bind(|| insta::assert_snapshot!("unknown-key.stderr", stderr));
    std::fs::write(
        &s,
        "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
         base-url = \"ftp//nowhere\"\n[functions]\nthong-ke = \"/thong-ke\"\n",
    )
    .unwrap();
    let o = crate::kiemdinh(&["check", s.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&o.stderr).replace(dir.path().to_str().unwrap(), "[DIR]");
    settings().bind(|| insta::assert_snapshot!("several-problems.stderr", stderr));
}

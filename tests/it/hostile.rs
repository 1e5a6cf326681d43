//! Broken or hostile portals produce verdicts and safe reports, never a panic.

use crate::{ExitCode, assert_exit, assess_demo, evaluation, ids_with, kiemdinh, requirement};

#[test]
fn unreachable_portal_gives_errors_and_exit_3() {
    // Bind then drop a listener: the port is closed for the assessment.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(
        &s,
        format!(
            "[portal]\nname = \"Cổng không tồn tại\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\n\
             base-url = \"https://127.0.0.1:{port}/\"\nhttp-url = \"http://127.0.0.1:{port}/\"\n[pages]\nservice-pages = \"/thu-tuc/*\"\ntimeout-ms = 2000\n"
        ),
    )
    .unwrap();
    let out = dir.path().join("out");
    let o = kiemdinh(&[
        "assess",
        "--no-browser",
        "--scenario",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_exit(&o, ExitCode::Incomplete);
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "incomplete");
    assert_eq!(e["rankable"], false);
    let errors = ids_with(&e, &["error"]);
    assert!(
        errors.contains(&"PL3-2".to_string()) && errors.contains(&"SEC-2".to_string()),
        "{errors:?}"
    );
    assert!(
        requirement(&e, "PL3-2")["message"]
            .as_str()
            .unwrap()
            .contains("127.0.0.1")
    );
    assert!(out.join("report.html").is_file());
}

#[test]
fn an_unreachable_portal_with_every_feature_declared_fails_nothing() {
    // The shipped demo scenario (status API, catalogue export, flows, evidence) against a
    // closed port: nothing was seen, so nothing may fail — incomplete, never non-conformant.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = std::fs::read_to_string(shipped.join("demo.toml"))
        .unwrap()
        .lines()
        .map(|l| {
            if l.starts_with("base-url = ") {
                format!("base-url = \"https://127.0.0.1:{port}/\"")
            } else if l.starts_with("http-url = ") {
                format!("http-url = \"http://127.0.0.1:{port}/\"")
            } else {
                l.replace(
                    "\"demo-evidence/",
                    &format!("\"{}/demo-evidence/", shipped.display()),
                )
            }
        })
        .collect::<Vec<_>>()
        .join("\n");
    let dir = tempfile::tempdir().unwrap();
    let s = dir.path().join("s.toml");
    std::fs::write(&s, text).unwrap();
    let out = dir.path().join("out");
    let o = kiemdinh(&[
        "assess",
        "--no-browser",
        "--no-load",
        "--scenario",
        s.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_exit(&o, ExitCode::Incomplete);
    let e = evaluation(&out);
    assert_eq!(ids_with(&e, &["fail"]), Vec::<String>::new());
    assert_eq!(requirement(&e, "DVCQG-3")["status"], "error");
}

#[test]
fn script_in_page_title_is_escaped_in_every_report() {
    let (_dir, out, o) = assess_demo(&["--defects", "script-title"]);
    assert_exit(&o, ExitCode::Success);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("&lt;script&gt;alert("),
        "title shown, escaped"
    );
    assert!(
        !html.contains("<script>alert("),
        "no live script in the report"
    );
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert!(!junit.contains("<script>"));
}

#[test]
fn redirect_loops_and_huge_pages_are_contained() {
    let (_dir, out, o) = assess_demo(&["--defects", "redirect-loop,huge-page"]);
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    let pages = e["observations"]["pages"].as_array().unwrap();
    let looped = pages
        .iter()
        .find(|p| p["url"].as_str().unwrap().ends_with("/vong-lap"))
        .expect("loop page fetched");
    assert_eq!(looped["fetch"]["error"]["kind"], "redirect-loop");
    let huge = pages
        .iter()
        .find(|p| p["url"].as_str().unwrap().ends_with("/trang-lon"))
        .expect("huge page fetched");
    assert_eq!(huge["fetch"]["truncated"], true);
    assert!(huge["fetch"]["bytes"].as_u64().unwrap() <= 5 * 1024 * 1024);
}

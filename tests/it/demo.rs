//! The reference portal: clean is conformant, each defect fails exactly its requirement(s).

use crate::{assess_demo, evaluation, ids_with, kiemdinh, requirement};

#[test]
fn clean_demo_is_conformant_with_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = kiemdinh(&["assess", "--demo", "--out", out.to_str().unwrap()]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{stdout}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(stdout.contains("conformant"), "{stdout}");
    for f in [
        "report.html",
        "evaluation.json",
        "junit.xml",
        "summary.md",
        "journal.jsonl",
    ] {
        assert!(out.join(f).is_file(), "{f} written");
    }
    let e = evaluation(&out);
    assert_eq!(e["verdict"], "conformant");
    assert_eq!(e["schema_version"], 1);
    assert!(
        ids_with(&e, &["fail", "error"]).is_empty(),
        "{:?}",
        ids_with(&e, &["fail", "error"])
    );
    // Evidence-type requirements are listed as pending, not silently dropped.
    assert!(ids_with(&e, &["pending"]).contains(&"SEC-11".to_string()));
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("lang=\"vi\"") && html.contains("Đáp ứng"),
        "Vietnamese report"
    );
    let junit = std::fs::read_to_string(out.join("junit.xml")).unwrap();
    assert_eq!(
        junit.matches("<testcase ").count(),
        e["requirements"].as_array().unwrap().len()
    );
    let journal = std::fs::read_to_string(out.join("journal.jsonl")).unwrap();
    assert!(journal.lines().any(|l| l.contains("\"event\":\"verdict\"")));
    assert!(
        journal
            .lines()
            .all(|l| serde_json::from_str::<serde_json::Value>(l).is_ok())
    );
}

/// (defect, requirements it must fail — exactly these).
const MATRIX: &[(&str, &[&str])] = &[
    ("footer-differs", &["PL3-3"]),
    ("header-missing", &["PL3-1", "PL3-2"]),
    ("no-emc", &["PL6-1"]),
    ("emc-site-id-differs", &["PL6-4"]),
    ("no-hsts", &["SEC-2"]),
    ("no-csp", &["SEC-2"]),
    ("server-banner", &["SEC-7"]),
    ("stack-trace", &["SEC-7"]),
    ("no-https-redirect", &["SEC-1"]),
    ("deep-service", &["PL1-11"]),
    ("no-sitemap", &["PL3-7"]),
    ("procedure-fields-missing", &["PL1-2.1"]),
];

#[test]
fn each_defect_fails_exactly_its_requirements() {
    let dir = tempfile::tempdir().unwrap();
    for (defect, expected) in MATRIX {
        let out = dir.path().join(defect);
        let o = kiemdinh(&[
            "assess",
            "--demo",
            "--defects",
            defect,
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(
            o.status.code(),
            Some(1),
            "{defect}: {}",
            String::from_utf8_lossy(&o.stdout)
        );
        let e = evaluation(&out);
        assert_eq!(e["verdict"], "non-conformant", "{defect}");
        let failed = ids_with(&e, &["fail", "error"]);
        assert_eq!(failed, *expected, "{defect}");
        for id in *expected {
            let r = requirement(&e, id);
            assert!(
                !r["expected"].as_str().unwrap().is_empty(),
                "{defect}/{id} says what was expected"
            );
            assert!(
                !r["observed"].as_str().unwrap().is_empty(),
                "{defect}/{id} says what was observed"
            );
        }
        let html = std::fs::read_to_string(out.join("report.html")).unwrap();
        assert!(
            html.contains(&format!("id=\"{}\"", expected[0])),
            "{defect}: report lists the requirement"
        );
    }
}

#[test]
fn failure_details_name_the_page_and_the_difference() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    kiemdinh(&[
        "assess",
        "--demo",
        "--defects",
        "footer-differs,deep-service",
        "--out",
        out.to_str().unwrap(),
        "--lang",
        "en",
        "-q",
    ]);
    let e = evaluation(&out);
    let footer = requirement(&e, "PL3-3")["observed"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        footer.contains("/thong-ke") && footer.contains("links missing"),
        "{footer}"
    );
    let deep = requirement(&e, "PL1-11")["observed"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(deep.contains("(5)"), "{deep}");
    assert_eq!(e["lang"], "en");
}

#[test]
fn only_and_skip_select_requirements() {
    let (dir, out, o) = assess_demo(&["--defects", "no-hsts", "--skip", "SEC-2"]);
    assert_eq!(o.status.code(), Some(0));
    let e = evaluation(&out);
    assert_eq!(requirement(&e, "SEC-2")["status"], "skipped");
    let out2 = dir.path().join("o2");
    kiemdinh(&[
        "assess",
        "--demo",
        "--only",
        "layout",
        "--out",
        out2.to_str().unwrap(),
        "-q",
    ]);
    let e2 = evaluation(&out2);
    assert_eq!(requirement(&e2, "SEC-1")["status"], "skipped");
    assert_eq!(requirement(&e2, "PL3-2")["status"], "pass");
}

#[test]
fn fail_on_any_counts_optional_requirements() {
    let dir = tempfile::tempdir().unwrap();
    let checklist = dir.path().join("c.toml");
    let text = include_str!("../../checklists/tt21-2023.toml").replace(
        "id = \"PL8-3\"\ntitle = { vi = \"Tên miền thuộc .gov.vn\", en = \"Host under .gov.vn\" }",
        "id = \"PL8-3\"\ntitle = { vi = \"Tên miền thuộc .gov.vn\", en = \"Host under .gov.vn\" }",
    );
    std::fs::write(
        &checklist,
        text.replace("suffix = \".gov.vn\"", "suffix = \".example\""),
    )
    .unwrap();
    let out = dir.path().join("o");
    let args = [
        "assess",
        "--demo",
        "--checklist",
        checklist.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    assert_eq!(
        kiemdinh(&args).status.code(),
        Some(0),
        "an optional failure alone is still conformant"
    );
    let mut any = args.to_vec();
    any.extend(["--fail-on", "any"]);
    assert_eq!(kiemdinh(&any).status.code(), Some(1));
}

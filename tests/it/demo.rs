//! The reference portal: clean passes every automated check, in every theme with the same
//! verdicts; each defect fails exactly its requirement(s) in every theme (one test per
//! (defect, theme): `cargo test --test it no_hsts`, `cargo test --test it demo::clean`).

use crate::{ExitCode, assert_exit, assess_demo, evaluation, ids_with, kiemdinh, requirement};

#[test]
fn clean_demo_passes_with_every_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = kiemdinh(&[
        "assess",
        "--demo",
        "--no-browser",
        "--out",
        out.to_str().unwrap(),
    ]);
    let stdout = String::from_utf8_lossy(&o.stdout);
    assert_exit(&o, ExitCode::Success);
    assert!(stdout.contains("provisional"), "{stdout}");
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
    // Mandatory evidence and browser items are pending: provisional, never "Đáp ứng".
    assert_eq!(e["schema_version"], 2);
    assert_eq!(e["verdict"], "provisional");
    assert!(
        ids_with(&e, &["fail", "error"]).is_empty(),
        "{:?}",
        ids_with(&e, &["fail", "error"])
    );
    // Every requirement of the demo's two checklists is listed with a status (`nsw` applies
    // only to the National Single Window portal).
    let listed = e["requirements"].as_array().unwrap().len();
    let nsw = crate::shipped::ALL_IDS
        .iter()
        .filter(|(edition, _)| *edition == "nsw")
        .count();
    assert_eq!(
        listed,
        crate::shipped::ALL_IDS.len() - nsw,
        "every id appears"
    );
    // Evidence items: pending without evidence, attested with the demo's sample files.
    let pending = ids_with(&e, &["pending"]);
    assert!(pending.contains(&"PL2-1".to_string()), "{pending:?}");
    assert_eq!(
        ids_with(&e, &["attested"]),
        ["D4-3", "SEC-11", "PL6-6", "PL7-1"],
        "sample evidence and the attestation"
    );
    let sec11 = requirement(&e, "SEC-11");
    let file = sec11["evidence"][0]["file"].as_str().unwrap();
    assert!(out.join(file).is_file(), "evidence copied to {file}");
    assert_eq!(sec11["evidence"][0]["sha256"].as_str().unwrap().len(), 64);
    // Delegated to DVCQG through a link: a distinct outcome.
    assert_eq!(requirement(&e, "PL1-6")["status"], "delegated");
    // Without the browser its checks (journeys too) are skipped with the reason; the demo
    // scenario's smoke load runs and holds.
    for id in ["PL4-2", "PL8-4", "PL1-3.1"] {
        assert_eq!(requirement(&e, id)["status"], "skipped", "{id}");
    }
    assert_eq!(requirement(&e, "PL5-1")["status"], "pass");
    // TTFB is measured by the HTTP probe.
    assert_eq!(requirement(&e, "PL4-4")["status"], "pass");
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(
        html.contains("lang=\"vi\"") && html.contains("id=\"verdict\">Chưa đủ căn cứ kết luận<"),
        "Vietnamese report, provisional headline"
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

/// The markup themes of the reference portal (`demo serve --help` lists them).
const THEMES: &[&str] = &["semantic", "liferay", "div-table", "decomposed"];

/// `same-as` requirements that fail with the requirements they rest on: D4-1 (layout), D4-2
/// (the mandatory SEC items), D4-6 (PL6).
const SAME_AS: &[&str] = &["D4-1", "D4-2", "D4-6"];

/// What makes an assessment HTTP-only beyond `assess_demo`'s own `--no-browser`: the matrix
/// below is the HTTP probe's view (the browser's is in `browser.rs`).
const HTTP_ONLY: &[&str] = &[];

/// Requirements that are not mandatory (a failure alone does not make the run non-conformant).
const OPTIONAL: &[&str] = &["SEC-9"];

/// Assesses the demo HTTP-only in a theme with a defect: exit 1, exactly `expected` fail
/// (nothing else fails or errors), and each failure says what was expected and observed.
fn defect_fails_exactly(theme: &str, defect: &str, expected: &[&str]) {
    let mut args = vec!["--theme", theme, "--defects", defect];
    args.extend_from_slice(HTTP_ONLY);
    let (_dir, out, o) = assess_demo(&args);
    let e = evaluation(&out);
    let failed = ids_with(&e, &["fail", "error"]);
    assert_eq!(
        failed, expected,
        "theme {theme}, defect {defect}: failed/error ids"
    );
    // A defect that fails only optional requirements leaves the run provisional (exit 0).
    let optional = expected.iter().all(|id| OPTIONAL.contains(id));
    assert_exit(
        &o,
        if optional {
            ExitCode::Success
        } else {
            ExitCode::NonConformant
        },
    );
    for id in expected {
        let r = requirement(&e, id);
        assert!(
            !r["expected"].as_str().unwrap().is_empty(),
            "theme {theme}, {defect}/{id} says what was expected"
        );
        assert!(
            !r["observed"].as_str().unwrap().is_empty(),
            "theme {theme}, {defect}/{id} says what was observed"
        );
    }
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    for id in expected {
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "theme {theme}, {defect}: report lists {id}"
        );
    }
}

/// One `#[test]` per (defect, theme): `cargo test no_hsts` runs one defect in every theme,
/// `cargo test liferay` every defect in one theme.
macro_rules! defect_matrix {
    ($($test:ident: $defect:literal => [$($id:literal),+];)+) => {
        /// (defect, requirements it must fail — exactly these).
        const MATRIX: &[(&str, &[&str])] = &[$(($defect, &[$($id),+])),+];
        $(
            mod $test {
                const EXPECTED: &[&str] = &[$($id),+];
                #[test]
                fn semantic() {
                    super::defect_fails_exactly("semantic", $defect, EXPECTED);
                }
                #[test]
                fn liferay() {
                    super::defect_fails_exactly("liferay", $defect, EXPECTED);
                }
                #[test]
                fn div_table() {
                    super::defect_fails_exactly("div-table", $defect, EXPECTED);
                }
                #[test]
                fn decomposed() {
                    super::defect_fails_exactly("decomposed", $defect, EXPECTED);
                }
            }
        )+
    };
}

defect_matrix! {
    footer_differs: "footer-differs" => ["D4-1", "PL3-3"];
    header_missing: "header-missing" => ["D4-1", "PL3-1", "PL3-2"];
    no_emc: "no-emc" => ["D4-6", "PL6-1"];
    emc_site_id_differs: "emc-site-id-differs" => ["D4-6", "PL6-4"];
    no_hsts: "no-hsts" => ["D4-2", "SEC-2"];
    no_csp: "no-csp" => ["D4-2", "SEC-2"];
    server_banner: "server-banner" => ["D4-2", "SEC-7"];
    stack_trace: "stack-trace" => ["D4-2", "SEC-7"];
    no_https_redirect: "no-https-redirect" => ["D4-2", "SEC-1"];
    deep_service: "deep-service" => ["PL1-11"];
    no_sitemap: "no-sitemap" => ["PL3-7"];
    procedure_fields_missing: "procedure-fields-missing" => ["PL1-2.1"];
    no_service_level: "no-service-level" => ["PL1-2", "DVCQG-2"];
    search_broken: "search-broken" => ["PL1-5"];
    lookup_silent: "lookup-silent" => ["PL1-5.1"];
    no_rating: "no-rating" => ["PL1-7"];
    no_chatbot: "no-chatbot" => ["PL1-9"];
    stats_over_100: "stats-over-100" => ["PL1-8"];
    delegation_broken: "delegation-broken" => ["PL1-6"];
    catalogue_drift: "catalogue-drift" => ["DVCQG-2"];
    status_api_invalid: "status-api-invalid" => ["DVCQG-3"];
    admin_exposed: "admin-exposed" => ["D4-2", "SEC-8"];
    insecure_cookie: "insecure-cookie" => ["D4-2", "SEC-3"];
    no_sso: "no-sso" => ["PL1-1", "SSO-1"];
    sso_no_state: "sso-no-state" => ["SSO-1"];
    login_offsite_http: "login-offsite-http" => ["PL1-1", "SSO-1"];
    mixed_content: "mixed-content" => ["D4-2", "SEC-10"];
    no_sri: "no-sri" => ["D4-2", "SEC-10"];
    dir_listing: "dir-listing" => ["D4-2", "SEC-7"];
    git_exposed: "git-exposed" => ["D4-2", "SEC-7"];
    no_security_txt: "no-security-txt" => ["SEC-9"];
    weak_cookies: "weak-cookies" => ["D4-2", "SEC-3"];
    cors_wildcard: "cors-wildcard" => ["D4-2", "SEC-2"];
    cors_reflect: "cors-reflect" => ["D4-2", "SEC-2"];
    csp_unsafe_inline: "csp-unsafe-inline" => ["D4-2", "SEC-2"];
}

/// The defects only a browser sees, HTTP-only: (defect, the requirements its HTTP-only view
/// breaks, the requirements the help says it breaks in a browser). Those that break nothing
/// over HTTP get every status of the clean portal; `spa-shell` has its own tests below.
const BROWSER_MATRIX: &[(&str, &[&str], &[&str])] = &[
    ("slow-lcp", &[], &["PL4-2"]),
    ("layout-shift", &[], &["D4-1"]),
    ("no-viewport", &[], &["PL8-4"]),
    ("wide-table", &[], &["PL8-4"]),
    ("missing-alt", &[], &["PL8-5"]),
    ("low-contrast", &[], &["PL8-5"]),
    ("no-trackdvc", &[], &["PL6-3"]),
    ("spa-shell", SPA_SHELL_HTTP, &[]),
    ("upload-broken", &[], &["PL1-3.4"]),
    ("no-validation", &[], &["PL1-3.3"]),
    ("rating-broken", &[], &["PL1-7"]),
    ("chatbot-silent", &[], &["PL1-9"]),
    ("profile-broken", &[], &["PL1-1.1"]),
];

/// A browser defect in a theme, HTTP-only: nothing fails or errors and every requirement
/// gets the status it gets on the clean portal in the semantic theme.
fn browser_defect_is_invisible_over_http(theme: &str, defect: &str) {
    let mut args = vec!["--theme", theme, "--defects", defect];
    args.extend_from_slice(HTTP_ONLY);
    let (_dir, out, o) = assess_demo(&args);
    let e = evaluation(&out);
    assert!(
        ids_with(&e, &["fail", "error"]).is_empty(),
        "theme {theme}, {defect}: {:?}",
        ids_with(&e, &["fail", "error"])
    );
    assert_exit(&o, ExitCode::Success);
    let got = statuses(&e);
    let differing: Vec<String> = semantic_statuses()
        .iter()
        .filter(|(id, s)| got.get(*id) != Some(*s))
        .map(|(id, s)| format!("{id}: {s} clean, {:?} with {defect}", got.get(id)))
        .collect();
    assert!(differing.is_empty(), "theme {theme}: {differing:?}");
}

/// One `#[test]` per (browser defect, theme) for the defects HTTP cannot see.
macro_rules! invisible_over_http {
    ($($test:ident: $defect:literal;)+) => {
        $(
            mod $test {
                #[test]
                fn semantic() {
                    super::browser_defect_is_invisible_over_http("semantic", $defect);
                }
                #[test]
                fn liferay() {
                    super::browser_defect_is_invisible_over_http("liferay", $defect);
                }
                #[test]
                fn div_table() {
                    super::browser_defect_is_invisible_over_http("div-table", $defect);
                }
                #[test]
                fn decomposed() {
                    super::browser_defect_is_invisible_over_http("decomposed", $defect);
                }
            }
        )+
    };
}

invisible_over_http! {
    slow_lcp: "slow-lcp";
    layout_shift: "layout-shift";
    no_viewport: "no-viewport";
    wide_table: "wide-table";
    missing_alt: "missing-alt";
    low_contrast: "low-contrast";
    no_trackdvc: "no-trackdvc";
    upload_broken: "upload-broken";
    no_validation: "no-validation";
    rating_broken: "rating-broken";
    chatbot_silent: "chatbot-silent";
}

/// What the HTTP probe misses on `spa-shell` pages (an empty `#app`, the EMC embed in the
/// head): the regions, menu, links and forms, so every layout and function judge fails; the
/// EMC, security and page-load judges still pass.
const SPA_SHELL_HTTP: &[&str] = &[
    "D4-1", "PL1-1", "PL1-2", "PL1-2.1", "PL1-5", "PL1-5.1", "PL1-6", "PL1-7", "PL1-8", "PL1-9",
    "PL1-11", "PL1-13", "PL3-1", "PL3-2", "PL3-3", "PL3-4", "PL3-5", "PL3-6", "PL3-7", "PL3-8",
    "SSO-1", "DVCQG-2", "DVCQG-6",
];

mod spa_shell {
    use super::SPA_SHELL_HTTP;

    #[test]
    fn semantic() {
        super::defect_fails_exactly("semantic", "spa-shell", SPA_SHELL_HTTP);
    }
    /// PL1-8 is `pending` here, not `fail`: the judge leaves a statistics page that loads
    /// script files undetermined (figures may be drawn by JavaScript); the other themes'
    /// shells build the page from an inline script, which that judge does not count.
    #[test]
    fn liferay() {
        let expected: Vec<&str> = SPA_SHELL_HTTP
            .iter()
            .copied()
            .filter(|id| *id != "PL1-8")
            .collect();
        super::defect_fails_exactly("liferay", "spa-shell", &expected);
    }
    #[test]
    fn div_table() {
        super::defect_fails_exactly("div-table", "spa-shell", SPA_SHELL_HTTP);
    }
    #[test]
    fn decomposed() {
        super::defect_fails_exactly("decomposed", "spa-shell", SPA_SHELL_HTTP);
    }
}

/// The matrix and the `--help` table agree: every defect that breaks a requirement is tested,
/// and the ids the help names are the ones that fail (besides the `same-as` ones); a browser
/// defect's help names what fails in a browser.
#[test]
fn matrix_covers_every_defect_the_help_lists() {
    let browser: Vec<&str> = BROWSER_MATRIX.iter().map(|(d, _, _)| *d).collect();
    assert_eq!(
        browser,
        kiemdinh::demo::BROWSER_DEFECTS,
        "every browser defect"
    );
    for (name, what) in kiemdinh::demo::DEFECTS {
        let (ids, _) = what.split_once(": ").unwrap();
        if CERT_DEFECTS.contains(name) {
            assert_eq!(ids, "SEC-1", "{name}");
            continue;
        }
        if let Some((_, _, in_browser)) = BROWSER_MATRIX.iter().find(|(d, _, _)| d == name) {
            let listed: Vec<&str> = if ids.starts_with("none") {
                Vec::new()
            } else {
                ids.split(", ").collect()
            };
            assert_eq!(
                listed,
                in_browser.to_vec(),
                "{name}: help and browser matrix disagree"
            );
            assert!(MATRIX.iter().all(|(d, _)| d != name), "{name} twice");
            continue;
        }
        if ids.starts_with("none") {
            assert!(
                MATRIX.iter().all(|(d, _)| d != name),
                "{name} breaks nothing"
            );
            continue;
        }
        let (_, expected) = MATRIX
            .iter()
            .find(|(d, _)| d == name)
            .unwrap_or_else(|| panic!("defect {name} has no test"));
        let mut listed: Vec<&str> = ids.split(", ").collect();
        let mut failing: Vec<&str> = expected
            .iter()
            .copied()
            .filter(|i| !SAME_AS.contains(i))
            .collect();
        listed.sort_unstable();
        failing.sort_unstable();
        assert_eq!(listed, failing, "{name}: help and test disagree");
    }
    let themes: Vec<&str> = kiemdinh::demo::THEMES.iter().map(|(t, _)| *t).collect();
    assert_eq!(themes, THEMES, "every theme is tested");
}

/// Statuses by requirement id.
fn statuses(e: &serde_json::Value) -> std::collections::BTreeMap<String, String> {
    e["requirements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["id"].as_str().unwrap().to_string(),
                r["status"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

/// The clean semantic portal's statuses, assessed once per test run.
fn semantic_statuses() -> &'static std::collections::BTreeMap<String, String> {
    static ONCE: std::sync::OnceLock<std::collections::BTreeMap<String, String>> =
        std::sync::OnceLock::new();
    ONCE.get_or_init(|| {
        let (_dir, out, o) = assess_demo(&["--theme", "semantic"]);
        assert_exit(&o, ExitCode::Success);
        statuses(&evaluation(&out))
    })
}

/// The clean portal in a theme: exit 0, nothing fails or errors, and every requirement gets
/// the status it gets in the semantic theme.
fn clean_theme_matches_semantic(theme: &str) {
    let (_dir, out, o) = assess_demo(&["--theme", theme]);
    let e = evaluation(&out);
    assert!(
        ids_with(&e, &["fail", "error"]).is_empty(),
        "theme {theme}: {:?}",
        ids_with(&e, &["fail", "error"])
            .iter()
            .map(|id| format!("{id}: {}", requirement(&e, id)["observed"]))
            .collect::<Vec<_>>()
    );
    assert_exit(&o, ExitCode::Success);
    let got = statuses(&e);
    let differing: Vec<String> = semantic_statuses()
        .iter()
        .filter(|(id, s)| got.get(*id) != Some(*s))
        .map(|(id, s)| format!("{id}: {s} in semantic, {:?} in {theme}", got.get(id)))
        .collect();
    assert!(differing.is_empty(), "{differing:?}");
}

mod clean {
    #[test]
    fn liferay() {
        super::clean_theme_matches_semantic("liferay");
    }
    #[test]
    fn div_table() {
        super::clean_theme_matches_semantic("div-table");
    }
    #[test]
    fn decomposed() {
        super::clean_theme_matches_semantic("decomposed");
    }
}

#[test]
fn unknown_theme_is_a_usage_error_with_a_suggestion() {
    let (_dir, out, o) = assess_demo(&["--theme", "liferey"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("did you mean `liferay`"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(!out.exists(), "nothing written");
    let o = kiemdinh(&["assess", "--scenario", "x.toml", "--theme", "liferay"]);
    assert_exit(&o, ExitCode::Usage);
    assert!(String::from_utf8_lossy(&o.stderr).contains("cannot be used with"));
}

#[test]
fn help_lists_every_theme_and_defect() {
    for args in [&["demo", "serve", "--help"][..], &["assess", "--help"][..]] {
        let o = kiemdinh(args);
        assert_exit(&o, ExitCode::Success);
        let help = String::from_utf8_lossy(&o.stdout);
        for (name, _) in kiemdinh::demo::THEMES.iter().chain(kiemdinh::demo::DEFECTS) {
            assert!(help.contains(name), "{args:?} lists {name}");
        }
        assert!(
            help.contains("breaks PL6-4"),
            "{args:?} names the requirement"
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
        "--no-browser",
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
    assert_exit(&o, ExitCode::Success);
    let e = evaluation(&out);
    assert_eq!(requirement(&e, "SEC-2")["status"], "skipped");
    let out2 = dir.path().join("o2");
    kiemdinh(&[
        "assess",
        "--demo",
        "--no-browser",
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
        "--no-browser",
        "--checklist",
        checklist.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    // An optional failure alone does not make the portal non-conformant.
    assert_exit(&kiemdinh(&args), ExitCode::Success);
    let mut any = args.to_vec();
    any.extend(["--fail-on", "any"]);
    assert_exit(&kiemdinh(&any), ExitCode::NonConformant);
}

/// Certificate defects: every HTTPS client refuses the portal, so beyond SEC-1 the page
/// checks are `error` (not in the exact-failure matrix); SEC-1 fails naming the finding.
const CERT_DEFECTS: &[&str] = &["expired-cert", "wrong-host-cert"];

#[test]
fn certificate_defects_fail_sec_1_with_the_finding() {
    for (defect, finding) in [
        ("expired-cert", "certificate expired"),
        ("wrong-host-cert", "chứng thư không dành cho 127.0.0.1"),
    ] {
        let (_dir, out, o) = assess_demo(&["--defects", defect, "--only", "SEC-1"]);
        assert_exit(&o, ExitCode::NonConformant);
        let e = evaluation(&out);
        let r = requirement(&e, "SEC-1");
        assert_eq!(r["status"], "fail", "{defect}");
        let message = r["message"].as_str().unwrap();
        assert!(message.contains(finding), "{defect}: {message}");
    }
}

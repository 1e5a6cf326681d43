use super::*;
use crate::assess::{BrowserOptions, ReportOptions};
use crate::evaluation::FailOn;
use crate::text::Lang;

fn options() -> AssessOptions {
    AssessOptions {
        scenario: None,
        demo: false,
        defects: vec![],
        theme: String::new(),
        checklists: vec!["tt21-2023".into()],
        out: None,
        resume: false,
        force: false,
        only: vec!["security".into()],
        skip: vec!["SEC-2".into()],
        set: vec!["PL4-2.max-ms=3000".into()],
        browser: BrowserOptions {
            disabled: true,
            ..BrowserOptions::default()
        },
        no_load: true,
        active_security: false,
        report: ReportOptions {
            formats: vec![Format::Html],
            lang: Lang::En,
            fail_on: FailOn::Any,
            require_complete: true,
            without_ranking_policies: vec!["emc-connected".into()],
            quiet: true,
            baseline: None,
        },
    }
}

#[test]
fn every_per_portal_option_is_passed_on_and_json_is_always_written() {
    let args = portal_args(&options()).join(" ");
    assert_eq!(
        args,
        "--checklist tt21-2023 --only security --skip SEC-2 --set PL4-2.max-ms=3000 \
         --format html,json --lang en --fail-on any --without-ranking-policy emc-connected \
         --require-complete --no-browser --no-load"
    );
    assert!(
        !args.contains("--quiet"),
        "each portal's log keeps everything"
    );
}

const VALID: &str = "[portal]\nname = \"Cổng\"\norganisation = \"UBND tỉnh Mẫu\"\n\
                     organisation-kind = \"province\"\nbase-url = \"https://127.0.0.1:9/\"\n";

#[test]
fn only_toml_files_of_the_folder_itself_in_name_order() {
    let dir = tempfile::tempdir().unwrap();
    for f in ["b.toml", "a.toml", "notes.txt", "c.toml.bak"] {
        std::fs::write(dir.path().join(f), VALID).unwrap();
    }
    std::fs::create_dir(dir.path().join("sub.toml")).unwrap();
    std::fs::create_dir(dir.path().join("evidence")).unwrap();
    std::fs::write(dir.path().join("evidence/d.toml"), VALID).unwrap();
    let names: Vec<_> = scenario_files(dir.path())
        .unwrap()
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().to_string())
        .collect();
    assert_eq!(names, ["a.toml", "b.toml"]);
}

#[test]
fn a_campaign_plan_names_every_invalid_scenario_and_refuses_an_empty_folder() {
    let dir = tempfile::tempdir().unwrap();
    let mut opts = options();
    opts.only.clear();
    opts.skip.clear();
    let e = plan_campaign(dir.path(), &opts).unwrap_err().to_string();
    assert!(e.contains("no scenario in"), "{e}");
    std::fs::write(dir.path().join("a.toml"), VALID).unwrap();
    std::fs::write(dir.path().join("b.toml"), "[portal]\nname = 1\n").unwrap();
    std::fs::write(
        dir.path().join("c.toml"),
        VALID.replace("province", "provinse"),
    )
    .unwrap();
    let e = plan_campaign(dir.path(), &opts).unwrap_err().to_string();
    assert!(e.contains("2 of the 3 scenarios"), "{e}");
    assert!(e.contains("b.toml") && e.contains("c.toml"), "{e}");
    assert!(!e.contains("a.toml"), "{e}");
    std::fs::remove_file(dir.path().join("b.toml")).unwrap();
    std::fs::remove_file(dir.path().join("c.toml")).unwrap();
    let c = plan_campaign(dir.path(), &opts).unwrap();
    assert_eq!(c.portals.len(), 1);
    assert_eq!(c.portals[0].stem, "a");
    assert_eq!(c.portals[0].digest, manifest::digest(VALID.as_bytes()));
    opts.only = vec!["SEC-99".into()];
    let e = plan_campaign(dir.path(), &opts).unwrap_err().to_string();
    assert!(e.contains("--only SEC-99"), "{e}");
}

#[test]
fn a_campaign_refuses_resume_it_resumes_by_itself() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("a.toml"), VALID).unwrap();
    let mut opts = options();
    opts.only.clear();
    opts.skip.clear();
    assert!(plan_campaign(dir.path(), &opts).is_ok());
    opts.resume = true;
    let e = plan_campaign(dir.path(), &opts).unwrap_err().to_string();
    assert!(e.contains("a campaign resumes by itself"), "{e}");
}

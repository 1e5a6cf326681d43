//! Every shipped checklist and scenario is valid; the JSON Schemas are current.

use crate::{ExitCode, assert_exit, kiemdinh};

#[test]
fn shipped_files_pass_check() {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = kiemdinh(&[
        "check",
        &format!("{root}/checklists"),
        &format!("{root}/scenarios"),
    ]);
    assert_exit(&o, ExitCode::Success);
}

#[test]
fn committed_schemas_are_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    for which in ["checklist", "scenario", "evaluation"] {
        let o = kiemdinh(&["schema", which]);
        let generated = String::from_utf8(o.stdout).unwrap();
        let path = format!("{root}/schemas/{which}.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed.trim() == generated.trim(),
            "{path} is stale: run `cargo run -- schema {which} > schemas/{which}.schema.json`"
        );
    }
}

#[test]
fn evaluation_json_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    kiemdinh(&[
        "assess",
        "--demo",
        "--defects",
        "no-csp",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let e = crate::evaluation(&out);
    let problems = kiemdinh::schema::validate_json(kiemdinh::schema::Which::Evaluation, &e);
    assert!(problems.is_empty(), "{problems:?}");
}

/// Every requirement id of ../shared/regulation/REQUIREMENTS.md, by checklist. Kept here by
/// hand on purpose: a checklist edit that drops or renames an id fails this test.
pub const ALL_IDS: &[(&str, &str)] = &[
    ("tt21-2023", "D4-1"),
    ("tt21-2023", "D4-2"),
    ("tt21-2023", "D4-3"),
    ("tt21-2023", "D4-4"),
    ("tt21-2023", "D4-5"),
    ("tt21-2023", "D4-6"),
    ("tt21-2023", "PL1-1"),
    ("tt21-2023", "PL1-1.1"),
    ("tt21-2023", "PL1-2"),
    ("tt21-2023", "PL1-2.1"),
    ("tt21-2023", "PL1-3.1"),
    ("tt21-2023", "PL1-3.2"),
    ("tt21-2023", "PL1-3.3"),
    ("tt21-2023", "PL1-3.4"),
    ("tt21-2023", "PL1-3.5"),
    ("tt21-2023", "PL1-3.6"),
    ("tt21-2023", "PL1-3.7"),
    ("tt21-2023", "PL1-4"),
    ("tt21-2023", "PL1-5"),
    ("tt21-2023", "PL1-5.1"),
    ("tt21-2023", "PL1-6"),
    ("tt21-2023", "PL1-7"),
    ("tt21-2023", "PL1-8"),
    ("tt21-2023", "PL1-9"),
    ("tt21-2023", "PL1-10"),
    ("tt21-2023", "PL1-11"),
    ("tt21-2023", "PL1-12"),
    ("tt21-2023", "PL1-13"),
    ("tt21-2023", "PL2-1"),
    ("tt21-2023", "PL2-2"),
    ("tt21-2023", "PL2-3"),
    ("tt21-2023", "PL2-4"),
    ("tt21-2023", "PL2-5"),
    ("tt21-2023", "PL2-6"),
    ("tt21-2023", "PL2-7"),
    ("tt21-2023", "PL2-8"),
    ("tt21-2023", "PL2-9"),
    ("tt21-2023", "PL2-10"),
    ("tt21-2023", "PL2-11"),
    ("tt21-2023", "PL2-12"),
    ("tt21-2023", "PL2-13"),
    ("tt21-2023", "PL3-1"),
    ("tt21-2023", "PL3-2"),
    ("tt21-2023", "PL3-3"),
    ("tt21-2023", "PL3-4"),
    ("tt21-2023", "PL3-5"),
    ("tt21-2023", "PL3-6"),
    ("tt21-2023", "PL3-7"),
    ("tt21-2023", "PL3-8"),
    ("tt21-2023", "PL3-9"),
    ("tt21-2023", "PL4-1"),
    ("tt21-2023", "PL4-2"),
    ("tt21-2023", "PL4-3"),
    ("tt21-2023", "PL4-4"),
    ("tt21-2023", "PL5-1"),
    ("tt21-2023", "PL5-2"),
    ("tt21-2023", "PL5-3"),
    ("tt21-2023", "PL5-4"),
    ("tt21-2023", "PL5-5"),
    ("tt21-2023", "PL5-6"),
    ("tt21-2023", "SEC-1"),
    ("tt21-2023", "SEC-2"),
    ("tt21-2023", "SEC-3"),
    ("tt21-2023", "SEC-4"),
    ("tt21-2023", "SEC-5"),
    ("tt21-2023", "SEC-7"),
    ("tt21-2023", "SEC-8"),
    ("tt21-2023", "SEC-9"),
    ("tt21-2023", "SEC-10"),
    ("tt21-2023", "SEC-11"),
    ("tt21-2023", "SSO-1"),
    ("tt21-2023", "PL6-1"),
    ("tt21-2023", "PL6-2"),
    ("tt21-2023", "PL6-3"),
    ("tt21-2023", "PL6-4"),
    ("tt21-2023", "PL6-5"),
    ("tt21-2023", "PL6-6"),
    ("tt21-2023", "PL7-1"),
    ("tt21-2023", "PL8-2"),
    ("tt21-2023", "PL8-3"),
    ("tt21-2023", "PL8-4"),
    ("tt21-2023", "PL8-5"),
    ("tt21-2023", "PL8-6"),
    ("tt21-2023", "PL8-9"),
    ("qd31-2021-dvcqg", "DVCQG-1"),
    ("qd31-2021-dvcqg", "DVCQG-2"),
    ("qd31-2021-dvcqg", "DVCQG-3"),
    ("qd31-2021-dvcqg", "DVCQG-4"),
    ("qd31-2021-dvcqg", "DVCQG-5"),
    ("qd31-2021-dvcqg", "DVCQG-6"),
    ("nsw", "NSW-1"),
    ("nsw", "NSW-2"),
    ("nsw", "NSW-3"),
];

#[test]
fn every_catalogue_id_is_in_exactly_one_shipped_checklist() {
    let mut shipped: Vec<(String, String)> = Vec::new();
    for (edition, _) in kiemdinh::checklist::SHIPPED {
        let c = kiemdinh::checklist::Checklist::resolve(edition).unwrap();
        for r in &c.requirements {
            shipped.push((c.edition.clone(), r.id.to_string()));
        }
    }
    let want: Vec<(String, String)> = ALL_IDS
        .iter()
        .map(|(c, i)| ((*c).to_string(), (*i).to_string()))
        .collect();
    let missing: Vec<_> = want.iter().filter(|w| !shipped.contains(w)).collect();
    let extra: Vec<_> = shipped.iter().filter(|s| !want.contains(s)).collect();
    assert!(
        missing.is_empty(),
        "missing from the checklists: {missing:?}"
    );
    assert!(extra.is_empty(), "not in the catalogue list: {extra:?}");
    let mut ids: Vec<&str> = shipped.iter().map(|(_, i)| i.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "an id is in two shipped checklists");
}

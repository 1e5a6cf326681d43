//! Every shipped checklist and scenario is valid; the JSON Schemas are current.

use crate::kiemdinh;

#[test]
fn shipped_files_pass_check() {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = kiemdinh(&[
        "check",
        &format!("{root}/checklists"),
        &format!("{root}/scenarios"),
    ]);
    assert_eq!(
        o.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
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

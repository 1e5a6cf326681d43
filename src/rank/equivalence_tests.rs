//! `rank --db` against `rank` on files: the fixture year recorded in a store and ranked from
//! it gives the ranking of the files; only the latest evaluation per portal is ranked; the
//! previous year is ranked from the store when it holds one.

use std::path::{Path, PathBuf};

use super::compute::{self, Params};
use super::{from_store, input, previous, tiers};
use crate::store::Store;
use crate::text::Lang;

const YEAR_DIR: &str = "tests/fixtures/rank/2026";
const PREVIOUS: &str = "tests/fixtures/rank/previous-2025.json";

fn params(tiers: &[super::Tier]) -> Params<'_> {
    Params {
        year: Some(2026),
        allow_mixed: false,
        allow_partial: false,
        tiers,
        previous: None,
        lang: Lang::Vi,
        generated_at: "2026-12-31T00:00:00Z".into(),
        tool_version: "test".into(),
    }
}

fn store(dir: &Path) -> Store {
    Store::open(&dir.join("k.db")).unwrap()
}

#[test]
fn the_fixture_year_ranked_from_the_store_is_the_ranking_of_the_files() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let paths = [PathBuf::from(YEAR_DIR)];
    assert_eq!(from_store::record_files(&s, &paths).unwrap(), 12);
    assert_eq!(
        from_store::record_files(&s, &paths).unwrap(),
        0,
        "recording the same files again adds nothing"
    );
    let tiers = tiers::load(None).unwrap();
    let prev = previous::read(Path::new(PREVIOUS), 2026).unwrap();
    let mut p = params(&tiers);
    p.previous = Some(&prev);
    let files = input::read_all(&paths).unwrap();
    let (year, stored) = from_store::inputs(&s, None).unwrap();
    assert_eq!(year, 2026);
    assert_eq!(stored.len(), files.len());
    let from_files = compute::rank(&files, &p);
    let from_db = compute::rank(&stored, &p);
    assert_eq!(from_db, from_files);
    assert_eq!(super::json(&from_db), super::json(&from_files));
    // Each portal is recorded under its published host.
    let portals: Vec<String> = s
        .portals()
        .unwrap()
        .into_iter()
        .map(|p| p.latest.portal)
        .collect();
    assert!(
        portals.contains(&"dichvucong.lamson.gov.vn".to_string()),
        "{portals:?}"
    );
}

#[test]
fn only_the_latest_evaluation_of_a_portal_in_the_year_is_ranked_from_the_store() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    from_store::record_files(&s, &[PathBuf::from(YEAR_DIR)]).unwrap();
    let file = format!("{YEAR_DIR}/tinh-lam-son/evaluation.json");
    let text = std::fs::read_to_string(&file).unwrap();
    let later = text.replace("2026-04-02T09:15:00Z", "2026-11-02T09:15:00Z");
    // Recorded by `assess --db` under the id the store already has for the host.
    let id = s
        .resolve_portal("dichvucong.lamson.gov.vn")
        .unwrap()
        .unwrap();
    assert!(s.record_evaluation(&id, &later, None).unwrap());
    let (_, stored) = from_store::inputs(&s, Some(2026)).unwrap();
    assert_eq!(stored.len(), 12);
    let lam_son: Vec<&input::RankInput> = stored
        .iter()
        .filter(|i| i.id() == "dichvucong.lamson.gov.vn")
        .collect();
    assert_eq!(lam_son.len(), 1);
    assert_eq!(lam_son[0].generated_at, "2026-11-02T09:15:00Z");
    assert_eq!(
        lam_son[0].source,
        format!("store:{id}/2026-11-02T09:15:00Z"),
        "recorded without a file, it is named after the store row"
    );
}

#[test]
fn the_previous_year_is_ranked_from_the_store_when_it_holds_one() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let tiers = tiers::load(None).unwrap();
    let p = params(&tiers);
    from_store::record_files(&s, &[PathBuf::from(YEAR_DIR)]).unwrap();
    assert!(from_store::previous(&s, 2026, &p).unwrap().is_none());
    // The same portals a year earlier, ten points lower.
    for f in input::find(&[PathBuf::from(YEAR_DIR)]).unwrap() {
        let text = std::fs::read_to_string(&f).unwrap();
        let mut v: serde_json::Value = serde_json::from_str(&text).unwrap();
        let at = v["generated_at"]
            .as_str()
            .unwrap()
            .replacen("2026-", "2025-", 1);
        v["generated_at"] = at.into();
        v["score"] = (v["score"].as_f64().unwrap() - 10.0).max(0.0).into();
        let host = v["portal"]["public_host"].as_str().unwrap().to_string();
        s.record_evaluation(&host, &v.to_string(), None).unwrap();
    }
    let prev = from_store::previous(&s, 2026, &p).unwrap().unwrap();
    assert_eq!(prev.year, 2025);
    assert_eq!(prev.entries.len(), 12);
    assert!(
        prev.file.contains("2025 ranked from the store"),
        "{}",
        prev.file
    );
    let (_, stored) = from_store::inputs(&s, Some(2026)).unwrap();
    let mut with_prev = p.clone();
    with_prev.previous = Some(&prev);
    let r = compute::rank(&stored, &with_prev);
    let lam_son = r
        .entries
        .iter()
        .find(|e| e.id == "dichvucong.lamson.gov.vn")
        .unwrap();
    assert!((lam_son.delta.unwrap() - 10.0).abs() < 1e-9, "{lam_son:?}");
}

#[test]
fn an_empty_store_a_year_without_evaluations_or_a_missing_file_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let missing = from_store::open(&dir.path().join("nope.db")).unwrap_err();
    assert!(
        matches!(missing, crate::error::Error::Usage(_)),
        "{missing}"
    );
    assert!(
        missing.to_string().contains("no such database"),
        "{missing}"
    );
    assert!(
        !dir.path().join("nope.db").exists(),
        "reading creates no store"
    );
    let s = store(dir.path());
    let e = from_store::inputs(&s, None).unwrap_err().to_string();
    assert!(e.contains("no evaluation recorded"), "{e}");
    from_store::record_files(&s, &[PathBuf::from(YEAR_DIR)]).unwrap();
    let e = from_store::inputs(&s, Some(2020)).unwrap_err().to_string();
    assert!(
        e.contains("no evaluation of 2020") && e.contains("latest is of 2026"),
        "{e}"
    );
}

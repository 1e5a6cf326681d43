//! The fuzz targets' seed corpus and every input a fuzzer once crashed on
//! (`fuzz/corpus/<target>/`, `fuzz/regressions/<target>/`) replayed through the same target
//! functions on stable, so `cargo test` keeps them from coming back.

use std::path::Path;

#[path = "../../fuzz/src/targets.rs"]
mod targets;

/// Feeds every file of the target's corpus and regressions to `run`; returns how many.
fn replay(target: &str, run: fn(&[u8])) -> usize {
    let fuzz = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz");
    let mut n = 0;
    for dir in ["corpus", "regressions"] {
        let Ok(entries) = std::fs::read_dir(fuzz.join(dir).join(target)) else {
            continue;
        };
        let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        files.sort();
        for f in files.iter().filter(|f| f.is_file()) {
            let data = std::fs::read(f).unwrap();
            let outcome = std::panic::catch_unwind(|| run(&data));
            assert!(outcome.is_ok(), "{target}: {} panics", f.display());
            n += 1;
        }
    }
    n
}

#[test]
fn checklist_corpus_replays() {
    assert!(replay("checklist", targets::checklist) >= 3);
}

#[test]
fn scenario_corpus_replays() {
    assert!(replay("scenario", targets::scenario) >= 2);
}

#[test]
fn html_corpus_replays() {
    assert!(replay("html", targets::html) >= 10);
}

#[test]
fn rejudge_corpus_replays() {
    assert!(replay("rejudge", targets::rejudge) >= 1);
}

#[test]
fn rejudge_str_judges_a_seed_and_locates_a_broken_one() {
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus/rejudge/demo-trimmed.json");
    let text = std::fs::read_to_string(seed).unwrap();
    let file = Path::new("e.json");
    let fail_on = kiemdinh::evaluation::FailOn::default();
    let e = kiemdinh::assess::rejudge_str(&text, file, &[], &[], fail_on).unwrap();
    assert!(e.requirements.len() > 50, "{}", e.requirements.len());
    let broken = text.replacen("\"observations\"", "\"observations\" 7", 1);
    let err = kiemdinh::assess::rejudge_str(&broken, file, &[], &[], fail_on)
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("e.json:1:") && err.contains("not a kiemdinh evaluation.json"),
        "{err}"
    );
}

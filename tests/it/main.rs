//! Integration tests: the `kiemdinh` binary against the built-in reference portal and
//! hand-made inputs. Everything talks to loopback only.
//!
//! Modules:
//! - `browser`  — `assess` with a real Chromium: the clean portal passes every browser
//!   requirement in every theme, each browser defect fails its requirement, a JavaScript-built
//!   portal is judged on what the browser shows, a hanging page gives `error` within its
//!   budget, no Chromium outlives a run, a missing browser is exit 2 naming the packages
//! - `campaign` — `assess --scenario DIR`: killed and resumed, each portal assessed once in
//!   the expected order, no child left behind; an unreachable portal, Ctrl-C, invalid folders
//! - `demo`     — the clean reference portal passes, with the same verdicts in every `--theme`;
//!   each `--defects` fault fails exactly its requirement(s) in every theme (one test per
//!   defect and theme, e.g. `demo::no_hsts::liferay`), with expected and observed in the report
//! - `load`     — `kiemdinh load`: a smoke load passes Phụ lục V, a known delay is measured
//!   exactly, segments run as processes merge exactly, Ctrl-C keeps the partial figures, a
//!   non-loopback target without authorisation is refused; `assess` runs `[load]`
//! - `monitor`  — `kiemdinh monitor` at 200 ms: an outage switched on mid-run is one outage
//!   per target in the right window; `SIGKILL` and a restart continue the series (a gap, no
//!   outage, no corrupt row); Ctrl-C exits 0; `--summary`; usage errors create nothing
//! - `fuzz_corpus` — the fuzz targets' seed corpus and past crashes replayed (stable)
//! - `history`  — `assess --db` twice (clean, `no-hsts`): `history` shows both with the trend
//!   (text, JSON, Markdown), `rank --db` gives the bytes `rank` gives on the file; unknown
//!   portal, missing store, a store refusing the row (a warning, the verdict's exit code); a
//!   campaign with `--db` records each portal under its scenario stem
//! - `input`    — malformed checklists/scenarios exit 2, name file/line/key, write nothing
//! - `hostile`  — unreachable portal → `error` verdicts and exit 3; `<script>` in a title is
//!   escaped; redirect loops and huge pages do not break the run
//! - `rank`     — `kiemdinh rank` over the fixture year: golden `ranking.json`, `ranking.csv`
//!   snapshot, byte-identical reruns, input errors exit 2 naming file, line and key
//! - `report`   — the cover, the vendor's action list in priority order, `report.pdf` with
//!   every Vietnamese diacritic, `<script>` escaped in HTML and PDF, `--format pdf` without
//!   Chromium, screenshots at 1366 and 390 px in `target/artefacts/` without page overflow
//! - `regulation` — overrides, amending editions, several checklists, coverage, provenance
//! - `resume`   — `assess --resume` after SIGKILL on a slowed portal: the same verdicts with
//!   fewer requests; the demo on new ports; other, damaged or missing journals refused;
//!   `--out` holding another portal's run needs `--force`
//! - `secrets`  — a portal handing out a session cookie and a link with `?access_token=…`
//!   naming the test account, whose credentials are in the environment: no output file, file
//!   name, stdout or stderr shows any of them (each shown to have really been sent)
//! - `shipped`  — every shipped checklist and scenario validates, schemas are current, and
//!   every catalogue id is in exactly one shipped checklist
//! - `snapshots` — golden `summary.md`, `junit.xml` and verdicts (insta, redacted)
//! - `verdicts` — provisional over pending items, `--require-complete`, old observations
//!   rejudged give `error`, ranking policies, exit 4 after probing

mod browser;
mod campaign;
mod demo;
mod flows;
mod fuzz_corpus;
mod history;
mod hostile;
mod input;
mod load;
mod monitor;
mod rank;
mod regulation;
mod report;
mod resume;
mod sarif;
mod secrets;
mod shipped;
mod snapshots;
mod verdicts;

use std::path::Path;
use std::process::{Command, Output};

/// Runs the binary with arguments.
pub fn kiemdinh(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("binary runs")
}

pub use kiemdinh::ExitCode;

/// Asserts the exit code, showing what the run printed when it differs.
#[track_caller]
pub fn assert_exit(o: &Output, code: ExitCode) {
    assert_eq!(
        o.status.code(),
        Some(i32::from(code.code())),
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Reads `evaluation.json` from an output directory.
pub fn evaluation(out: &Path) -> serde_json::Value {
    let text =
        std::fs::read_to_string(out.join("evaluation.json")).expect("evaluation.json written");
    serde_json::from_str(&text).expect("valid JSON")
}

/// Ids of requirements with a status.
pub fn ids_with(eval: &serde_json::Value, statuses: &[&str]) -> Vec<String> {
    eval["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .filter(|r| statuses.contains(&r["status"].as_str().unwrap_or("")))
        .map(|r| r["id"].as_str().unwrap_or("").to_string())
        .collect()
}

/// The requirement object with an id.
pub fn requirement<'a>(eval: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    eval["requirements"]
        .as_array()
        .expect("requirements")
        .iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("requirement {id} present"))
}

/// Runs `assess --demo ARGS --out <temp>/o -q`; keeps the temp dir alive with the result.
pub fn assess_demo(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, Output) {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("o");
    // The smoke load has its own tests (`load`); here it would only cost seconds per run.
    let mut all = vec!["assess", "--demo", "--no-browser", "--no-load"];
    all.extend_from_slice(args);
    all.extend(["--out", out.to_str().expect("utf-8 path"), "-q"]);
    let o = kiemdinh(&all);
    (dir, out, o)
}

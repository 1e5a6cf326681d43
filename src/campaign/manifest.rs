//! `OUT/campaign.json`: one entry per portal of the campaign — its scenario and the digest of
//! that file's content, the options it was assessed with, its status, exit code, verdict,
//! score, times and attempts. Written atomically (a temporary file renamed over the old one)
//! after every change of status, so an interrupted campaign resumes from what it says.
//!
//! ```json
//! {
//!   "version": 1,
//!   "folder": "scenarios/2026",
//!   "portals": [
//!     {
//!       "stem": "tinh-mau",
//!       "scenario": "scenarios/2026/tinh-mau.toml",
//!       "digest": "sha256:13c92fa4…",
//!       "options": ["--format", "html,json,junit,md", "--lang", "vi", "--fail-on", "mandatory"],
//!       "name": "Cổng Dịch vụ công tỉnh Mẫu",
//!       "organisation": "Ủy ban nhân dân tỉnh Mẫu",
//!       "kind": "province",
//!       "vendor": "VNPT",
//!       "status": "done",
//!       "exit_code": 1,
//!       "verdict": "non-conformant",
//!       "score": 58.3,
//!       "started": "2026-11-30T02:48:16Z",
//!       "finished": "2026-11-30T02:51:02Z",
//!       "attempts": 2,
//!       "note": null
//!     }
//!   ]
//! }
//! ```

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::Digest as _;

use crate::error::Error;
use crate::evaluation::Conformance;

/// The manifest's file name in the campaign's output directory.
pub const FILE: &str = "campaign.json";

/// Where one portal of the campaign stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Status {
    /// Not assessed yet (or interrupted by Ctrl-C before it finished).
    Pending,
    /// Its assessment was started and has not ended: the campaign was killed while it ran.
    Running,
    /// Assessed: `evaluation.json` was written (whatever its verdict).
    Done,
    /// Its assessment ended without an evaluation (a crash, a harness error, a signal).
    Failed,
}

impl Status {
    /// Kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Running => "running",
            Status::Done => "done",
            Status::Failed => "failed",
        }
    }
}

/// One portal of the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Entry {
    /// The scenario's file stem: the portal's folder in the output directory.
    pub stem: String,
    /// The scenario file.
    pub scenario: PathBuf,
    /// `sha256:` and the hex digest of the scenario file's bytes.
    pub digest: String,
    /// The per-portal options of `assess` the portal is assessed with (paths excluded).
    pub options: Vec<String>,
    /// The portal's name (from the scenario).
    pub name: String,
    /// The organisation (from the scenario).
    pub organisation: String,
    /// `province`, `ministry` or `national`.
    pub kind: String,
    /// The vendor, when the scenario names one.
    pub vendor: Option<String>,
    /// Where it stands.
    pub status: Status,
    /// The exit code of its `assess` (none when it was killed by a signal or has not run).
    pub exit_code: Option<i32>,
    /// The overall verdict of its evaluation.
    pub verdict: Option<Conformance>,
    /// The score of its evaluation (0–100).
    pub score: Option<f64>,
    /// When its last attempt started (RFC 3339, UTC).
    pub started: Option<String>,
    /// When its last attempt ended.
    pub finished: Option<String>,
    /// How many times its assessment was started.
    pub attempts: u32,
    /// Why it failed, when it did.
    pub note: Option<String>,
}

/// The whole manifest.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Format version of this file.
    pub version: u32,
    /// The scenario folder.
    pub folder: PathBuf,
    /// The portals, in the order they are assessed (scenario file names, sorted).
    pub portals: Vec<Entry>,
}

impl Manifest {
    /// Reads the manifest of an output directory; `None` when there is none yet. A manifest
    /// that cannot be read is an error (the user chose this folder; nothing is overwritten).
    pub fn read(out: &Path) -> Result<Option<Self>, Error> {
        let path = out.join(FILE);
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(Error::Output { path, source: e }),
        };
        serde_json::from_str(&text).map(Some).map_err(|e| {
            Error::Usage(format!(
                "{} is not a campaign manifest ({e}): choose another --out or remove it",
                path.display()
            ))
        })
    }

    /// Writes the manifest atomically: a temporary file beside it, then a rename.
    pub fn write(&self, out: &Path) -> Result<(), Error> {
        let text = serde_json::to_string_pretty(self).expect("the manifest serialises");
        crate::report::write_atomic(out, FILE, &(text + "\n")).map(|_| ())
    }

    /// The entry of a portal.
    pub fn get_mut(&mut self, stem: &str) -> Option<&mut Entry> {
        self.portals.iter_mut().find(|e| e.stem == stem)
    }
}

/// `sha256:` and the hex digest of some bytes.
pub fn digest(bytes: &[u8]) -> String {
    let d = sha2::Sha256::digest(bytes);
    let hex: String = d.iter().map(|b| format!("{b:02x}")).collect();
    format!("sha256:{hex}")
}

/// Whether an earlier entry lets the campaign skip a portal: it is `done` with the same
/// scenario content and options, and its `evaluation.json` is still there.
pub fn already_assessed(previous: &Entry, now: &Entry, portal_out: &Path) -> bool {
    previous.status == Status::Done
        && previous.digest == now.digest
        && previous.options == now.options
        && portal_out.join("evaluation.json").is_file()
}

/// Whether a portal left unfinished by an earlier run of the campaign (killed while it ran,
/// or stopped by Ctrl-C) can go on from its journal (`assess --resume`) instead of starting
/// over: same scenario and options, and a journal to resume. A portal whose assessment failed
/// starts over: what it observed may be what made it fail.
pub fn resumable(previous: &Entry, now: &Entry, portal_out: &Path) -> bool {
    let interrupted = previous.status == Status::Running
        || (previous.status == Status::Pending && previous.note.as_deref() == Some("interrupted"));
    interrupted
        && previous.digest == now.digest
        && previous.options == now.options
        && portal_out.join(crate::journal::FILE).is_file()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry() -> Entry {
        Entry {
            stem: "a".into(),
            scenario: "a.toml".into(),
            digest: digest(b"x"),
            options: vec!["--no-browser".into()],
            name: "Cổng <b>".into(),
            organisation: "UBND".into(),
            kind: "province".into(),
            vendor: None,
            status: Status::Done,
            exit_code: Some(0),
            verdict: Some(Conformance::Provisional),
            score: Some(62.5),
            started: None,
            finished: None,
            attempts: 1,
            note: None,
        }
    }

    #[test]
    fn a_manifest_round_trips_and_is_replaced_whole() {
        let dir = tempfile::tempdir().unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), None);
        let mut m = Manifest {
            version: 1,
            folder: "s".into(),
            portals: vec![entry()],
        };
        m.write(dir.path()).unwrap();
        m.get_mut("a").unwrap().attempts = 2;
        m.write(dir.path()).unwrap();
        assert_eq!(Manifest::read(dir.path()).unwrap(), Some(m));
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, [FILE], "no temporary file is left");
    }

    #[test]
    fn a_foreign_file_is_not_taken_for_a_manifest() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join(FILE), "{\"x\": 1}").unwrap();
        let e = Manifest::read(dir.path()).unwrap_err();
        assert!(e.to_string().contains("not a campaign manifest"), "{e}");
    }

    #[test]
    fn only_a_done_portal_with_the_same_content_options_and_evaluation_is_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let e = entry();
        assert!(!already_assessed(&e, &e, dir.path()), "no evaluation.json");
        std::fs::write(dir.path().join("evaluation.json"), "{}").unwrap();
        assert!(already_assessed(&e, &e, dir.path()));
        let changed = Entry {
            digest: digest(b"y"),
            ..e.clone()
        };
        assert!(!already_assessed(&e, &changed, dir.path()));
        let options = Entry {
            options: vec![],
            ..e.clone()
        };
        assert!(!already_assessed(&e, &options, dir.path()));
        for status in [Status::Running, Status::Failed, Status::Pending] {
            let earlier = Entry {
                status,
                ..e.clone()
            };
            assert!(!already_assessed(&earlier, &e, dir.path()), "{status:?}");
        }
    }

    #[test]
    fn only_an_interrupted_portal_with_the_same_content_options_and_a_journal_resumes() {
        let dir = tempfile::tempdir().unwrap();
        let now = entry();
        let running = Entry {
            status: Status::Running,
            ..now.clone()
        };
        assert!(!resumable(&running, &now, dir.path()), "no journal");
        std::fs::write(dir.path().join(crate::journal::FILE), "").unwrap();
        assert!(resumable(&running, &now, dir.path()));
        let stopped = Entry {
            status: Status::Pending,
            note: Some("interrupted".into()),
            ..now.clone()
        };
        assert!(resumable(&stopped, &now, dir.path()));
        for (status, note) in [
            (Status::Pending, None),
            (Status::Failed, None),
            (Status::Done, None),
        ] {
            let earlier = Entry {
                status,
                note,
                ..now.clone()
            };
            assert!(!resumable(&earlier, &now, dir.path()), "{status:?}");
        }
        let changed = Entry {
            digest: digest(b"y"),
            ..now.clone()
        };
        assert!(!resumable(&running, &changed, dir.path()), "other content");
        let options = Entry {
            options: vec![],
            ..now.clone()
        };
        assert!(!resumable(&running, &options, dir.path()), "other options");
    }

    #[test]
    fn digests_differ_with_content() {
        assert_ne!(digest(b"a"), digest(b"b"));
        assert!(digest(b"").starts_with("sha256:e3b0c442"));
    }
}

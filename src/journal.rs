//! The run journal: `journal.jsonl` in the output directory, one JSON event per line, so a
//! crash, Ctrl-C or `kill -9` loses nothing already observed, and `assess --resume` can go on
//! from it.
//!
//! Events: `start` (the portal, the checklists, the [`Stamp`] a resume must match) or
//! `resume` (the same, for each continuation), then as they arrive `page` (a summary: URL,
//! status, time), `fetch` (the full observation of a URL: status, headers, redirects, the
//! page's facts), `script` (a script file read), `tls` (the handshake), `browser-load`,
//! `rendered`, `rendered-mobile`, `flow`, the load events, then each `verdict` and `end`.
//!
//! Durability: every line is flushed to the operating system as it is written (a killed
//! process loses nothing), and synced to disk at the latest [`SYNC_EVERY_LINES`] lines or
//! [`SYNC_EVERY`] after the previous sync, whichever comes first, and when the journal is
//! closed (a power cut loses at most that much).
//!
//! Reading ([`read`]): an unfinished last line (the process killed while writing it) is
//! dropped; any other line that is not JSON is an error naming the file and the line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use crate::error::Error;
use crate::observation::{Fetch, TlsFacts};
use crate::probe::tape::{Rebase, Replay};

/// A line is synced to disk at the latest after this many more lines…
pub const SYNC_EVERY_LINES: usize = 64;
/// …or when a line is written this long after the previous sync.
pub const SYNC_EVERY: Duration = Duration::from_secs(1);

/// The journal's file name in the output directory.
pub const FILE: &str = "journal.jsonl";

struct Inner {
    w: std::io::BufWriter<fs_err::File>,
    unsynced: usize,
    synced_at: Instant,
}

/// Appends JSON lines to `journal.jsonl`, flushing each one.
pub struct Journal(Mutex<Inner>);

impl Journal {
    /// Creates (truncates) `journal.jsonl` in the output directory.
    pub fn create(dir: &Path) -> Result<Self, Error> {
        Self::create_named(dir, FILE)
    }

    /// Creates (truncates) a journal of another name (one per load segment, when several
    /// workers share a results folder).
    pub fn create_named(dir: &Path, name: &str) -> Result<Self, Error> {
        let f = fs_err::File::create(dir.join(name))?;
        Ok(Self::over(f))
    }

    fn over(f: fs_err::File) -> Self {
        Self(Mutex::new(Inner {
            w: std::io::BufWriter::new(f),
            unsynced: 0,
            synced_at: Instant::now(),
        }))
    }

    /// Opens the journal read by [`read`] for appending, after cutting off its dropped last
    /// line (so the next event starts on a line of its own).
    pub fn append(read: &Read) -> Result<Self, Error> {
        let f = fs_err::OpenOptions::new().write(true).open(&read.path)?;
        f.set_len(read.valid_len)?;
        drop(f);
        let f = fs_err::OpenOptions::new().append(true).open(&read.path)?;
        Ok(Self::over(f))
    }

    /// Appends one event and flushes it (syncing at the bounded interval). Secrets are
    /// redacted first ([`crate::redact`]: secret headers, token parameters, the run's
    /// credentials).
    pub fn write(&self, event: &serde_json::Value) {
        let mut event = event.clone();
        crate::redact::with_active(|r| r.json(&mut event));
        let mut inner = self
            .0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let i = &mut *inner;
        // A journal line lost to a full disk must not stop the assessment.
        let _ = serde_json::to_writer(&mut i.w, &event);
        let _ = i.w.write_all(b"\n");
        let _ = i.w.flush();
        i.unsynced += 1;
        if i.unsynced >= SYNC_EVERY_LINES || i.synced_at.elapsed() >= SYNC_EVERY {
            let _ = i.w.get_ref().sync_data();
            i.unsynced = 0;
            i.synced_at = Instant::now();
        }
    }
}

impl Drop for Journal {
    fn drop(&mut self) {
        let inner = self
            .0
            .get_mut()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let _ = inner.w.flush();
        let _ = inner.w.get_ref().sync_data();
    }
}

/// What a journal must match to be resumed: the kiemdinh version, the scenario (a digest of
/// its file, or of the reference portal's defects and theme) and the checklist editions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Stamp {
    /// kiemdinh's version.
    pub version: String,
    /// SHA-256 of the scenario file, or of `--demo` with its defects and theme.
    pub scenario: String,
    /// The checklist editions, in order.
    pub editions: Vec<String>,
}

impl Stamp {
    /// The stamp of a scenario file's run.
    pub fn for_file(text: &str, editions: Vec<String>) -> Self {
        Self::new(&format!("file\n{text}"), editions)
    }

    /// The stamp of an `assess --demo` run (defects in any order, the same set).
    pub fn for_demo(defects: &[String], theme: &str, editions: Vec<String>) -> Self {
        let mut d: Vec<&str> = defects
            .iter()
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
            .collect();
        d.sort_unstable();
        d.dedup();
        Self::new(
            &format!("demo\n{}\n{theme}\n{}", crate::scenario::DEMO, d.join(",")),
            editions,
        )
    }

    fn new(what: &str, editions: Vec<String>) -> Self {
        use sha2::Digest as _;
        let digest = sha2::Sha256::digest(what.as_bytes());
        Self {
            version: env!("CARGO_PKG_VERSION").to_string(),
            scenario: digest.iter().fold(String::new(), |mut s, b| {
                use std::fmt::Write as _;
                let _ = write!(s, "{b:02x}");
                s
            }),
            editions,
        }
    }
}

/// A journal read back.
#[derive(Debug)]
pub struct Read {
    /// The file.
    pub path: PathBuf,
    /// Every complete event with its line number (from 1).
    pub events: Vec<(usize, serde_json::Value)>,
    /// The last line, dropped because it was cut short (its number).
    pub dropped: Option<usize>,
    /// Bytes up to the end of the last kept line.
    valid_len: u64,
}

fn damaged(path: &Path, line: usize, why: &str) -> Error {
    Error::Usage(format!(
        "{}:{line}: the journal is damaged ({why}); only its last line may be cut short. \
         Start the run again without `--resume` (add `--force` to replace it)",
        path.display()
    ))
}

/// Reads `journal.jsonl` from an output directory.
///
/// # Errors
/// No journal there, or a line other than the last that is not a JSON object.
pub fn read(dir: &Path) -> Result<Read, Error> {
    let path = dir.join(FILE);
    let bytes = std::fs::read(&path).map_err(|e| {
        Error::Usage(format!(
            "--resume: cannot read {} ({e}): nothing to resume; run without `--resume`",
            path.display()
        ))
    })?;
    let mut events = Vec::new();
    let mut dropped = None;
    let mut valid_len = 0u64;
    let mut start = 0usize;
    let mut n = 0usize;
    while start < bytes.len() {
        n += 1;
        let (end, terminated) = match bytes[start..].iter().position(|b| *b == b'\n') {
            Some(i) => (start + i, true),
            None => (bytes.len(), false),
        };
        let line = &bytes[start..end];
        let next = end + usize::from(terminated);
        let last = next >= bytes.len();
        let parsed = serde_json::from_slice::<serde_json::Value>(line)
            .map_err(|e| e.to_string())
            .and_then(|v| {
                if v.is_object() {
                    Ok(v)
                } else {
                    Err("not a JSON object".into())
                }
            });
        match parsed {
            Ok(v) if terminated => {
                events.push((n, v));
                valid_len = next as u64;
            }
            _ if last => dropped = Some(n),
            Err(e) => return Err(damaged(&path, n, &e)),
            Ok(_) => return Err(damaged(&path, n, "a line without its end")),
        }
        start = next;
    }
    Ok(Read {
        path,
        events,
        dropped,
        valid_len,
    })
}

/// Checks that the journal was written for this run (its first event's [`Stamp`]).
///
/// # Errors
/// No `start` event, or one for another version, scenario or set of checklist editions.
pub fn check_stamp(read: &Read, stamp: &Stamp) -> Result<(), Error> {
    let refuse = |why: String| {
        Err(Error::Usage(format!(
            "--resume: {} {why}; run again without `--resume` (with `--force` to replace that run)",
            read.path.display()
        )))
    };
    let Some((_, first)) = read.events.first() else {
        return refuse("holds no event".into());
    };
    let found = (first["event"] == "start")
        .then(|| serde_json::from_value::<Stamp>(first["stamp"].clone()).ok())
        .flatten();
    let Some(found) = found else {
        return refuse(
            "does not start with a resumable `start` event (written by an older kiemdinh?)".into(),
        );
    };
    if found.version != stamp.version {
        return refuse(format!(
            "was written by kiemdinh {}, this is kiemdinh {}",
            found.version, stamp.version
        ));
    }
    if found.scenario != stamp.scenario {
        return refuse(
            "was written for another scenario (another file, or other `--defects`/`--theme` of the reference portal)"
                .into(),
        );
    }
    if found.editions != stamp.editions {
        return refuse(format!(
            "was written for the checklists {}, this run has {}",
            found.editions.join(", "),
            stamp.editions.join(", ")
        ));
    }
    Ok(())
}

/// The observations a journal holds, rebased onto this run's portal (`base`, `http`): each
/// segment's URLs move from the bases its `start` or `resume` event names.
///
/// # Errors
/// A `fetch`, `script` or `tls` event whose content is not what this version writes.
pub fn replay(read: &Read, base: &url::Url, http: &url::Url) -> Result<Replay, Error> {
    let mut out = Replay::default();
    let mut rebase = Rebase::new(&[]);
    for (n, e) in &read.events {
        let bad = |why: &str| damaged(&read.path, *n, why);
        let text = |key: &str| e[key].as_str().map(str::to_string);
        match e["event"].as_str() {
            Some("start" | "resume") => {
                let parse = |key: &str| text(key).and_then(|s| url::Url::parse(&s).ok());
                let (Some(old_base), Some(old_http)) = (parse("portal"), parse("http")) else {
                    return Err(bad("a start without its `portal` and `http` URLs"));
                };
                rebase = Rebase::new(&[(&old_base, base), (&old_http, http)]);
            }
            Some("fetch") => {
                let mut v = e["fetch"].clone();
                rebase.json(&mut v);
                let fetch: Fetch = serde_json::from_value(v).map_err(|x| bad(&x.to_string()))?;
                let url = text("url").ok_or_else(|| bad("a fetch without its URL"))?;
                out.add_fetch(rebase.text(&url), fetch);
            }
            Some("script") => {
                let url = text("url").ok_or_else(|| bad("a script without its URL"))?;
                let result = match (text("text"), text("error")) {
                    (Some(t), None) => Ok((t, e["cut"].as_bool().unwrap_or(false))),
                    (None, Some(why)) => Err(why),
                    _ => return Err(bad("a script with neither text nor error")),
                };
                out.add_script(rebase.text(&url), result);
            }
            Some("tls") => {
                let mut v = e["tls"].clone();
                rebase.json(&mut v);
                let tls: TlsFacts = serde_json::from_value(v).map_err(|x| bad(&x.to_string()))?;
                out.set_tls(tls);
            }
            // A journey's and the load run's events are written when they end: one in
            // flight when the run stopped has none and is run again.
            Some("flow") => {
                let mut v = e["flow"].clone();
                rebase.json(&mut v);
                out.add_flow(serde_json::from_value(v).map_err(|x| bad(&x.to_string()))?);
            }
            Some("load-end") => {
                let mut v = e["run"].clone();
                rebase.json(&mut v);
                out.set_load(serde_json::from_value(v).map_err(|x| bad(&x.to_string()))?);
            }
            _ => {}
        }
    }
    Ok(out)
}

/// The journal event of one observation the probes made.
pub fn event(r: &crate::probe::tape::Recorded<'_>) -> serde_json::Value {
    use crate::probe::tape::Recorded;
    match r {
        Recorded::Fetch(url, fetch) => {
            serde_json::json!({"event": "fetch", "url": url.as_str(), "fetch": fetch})
        }
        Recorded::Script(url, Ok((text, cut))) => {
            serde_json::json!({"event": "script", "url": url.as_str(), "text": text, "cut": cut})
        }
        Recorded::Script(url, Err(why)) => {
            serde_json::json!({"event": "script", "url": url.as_str(), "error": why})
        }
        Recorded::Tls(tls) => serde_json::json!({"event": "tls", "tls": tls}),
    }
}

#[cfg(test)]
mod tests;

//! The run journal: `journal.jsonl` in the output directory, one JSON event per line (start,
//! each page, each verdict, end), flushed as written, so a crash or Ctrl-C loses nothing
//! already measured.

use std::io::Write;
use std::path::Path;
use std::sync::Mutex;

use crate::error::Error;

/// Appends JSON lines to `journal.jsonl`, flushing each one.
pub struct Journal(Mutex<std::io::BufWriter<fs_err::File>>);

impl Journal {
    /// Creates (truncates) `journal.jsonl` in the output directory.
    pub fn create(dir: &Path) -> Result<Self, Error> {
        Self::create_named(dir, "journal.jsonl")
    }

    /// Creates (truncates) a journal of another name (one per load segment, when several
    /// workers share a results folder).
    pub fn create_named(dir: &Path, name: &str) -> Result<Self, Error> {
        let f = fs_err::File::create(dir.join(name))?;
        Ok(Self(Mutex::new(std::io::BufWriter::new(f))))
    }

    /// Appends one event and flushes it. Secrets are redacted first ([`crate::redact`]: secret
    /// headers, token parameters, the run's credentials).
    pub fn write(&self, event: &serde_json::Value) {
        let mut event = event.clone();
        crate::redact::with_active(|r| r.json(&mut event));
        let mut w = self.0.lock().expect("not poisoned");
        // A journal line lost to a full disk must not stop the assessment.
        let _ = serde_json::to_writer(&mut *w, &event);
        let _ = w.write_all(b"\n");
        let _ = w.flush();
    }
}

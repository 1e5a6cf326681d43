//! The console summary printed after a run: one line with the overall verdict, score and
//! counts, the main report's path, then (unless quiet) each failed or errored requirement.
//!
//! ```text
//! Cổng Dịch vụ công tỉnh Mẫu: provisional (7 mandatory pending) — score 61.2/100 — 36 pass, 0 fail, …
//! report: out/demo-2026-11-29/report.html
//!   fail SEC-2 (mandatory): Thiếu 1 tiêu đề bảo mật
//! ```

use std::fmt::Write;
use std::path::Path;

use super::Format;
use crate::evaluation::{Conformance, Evaluation, Status, mandatory_pending, mandatory_skipped};
use crate::text::Lang;

/// Renders the summary. `formats` decides which file is named as "the report".
pub fn render(
    evaluation: &Evaluation,
    name: &str,
    out: &Path,
    formats: &[Format],
    lang: Lang,
    quiet: bool,
) -> String {
    let counts = evaluation.counts();
    let count = |s: Status| counts.get(&s).copied().unwrap_or(0);
    let verdict = match evaluation.verdict {
        Conformance::Provisional => {
            let skipped = mandatory_skipped(&evaluation.requirements);
            let pending = mandatory_pending(&evaluation.requirements);
            if skipped > 0 {
                format!("provisional ({pending} mandatory pending, {skipped} skipped)")
            } else {
                format!("provisional ({pending} mandatory pending)")
            }
        }
        v => v.as_str().to_string(),
    };
    let mut s = format!(
        "{name}: {verdict} — score {:.1}/100 — {} pass, {} fail, {} error, {} delegated, {} pending, {} attested",
        evaluation.score,
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Error),
        count(Status::Delegated),
        count(Status::Pending),
        count(Status::Attested),
    );
    let main = [
        Format::Html,
        Format::Pdf,
        Format::Md,
        Format::Json,
        Format::Junit,
    ]
    .into_iter()
    .find(|f| formats.contains(f));
    if let Some(f) = main {
        let _ = write!(s, "\nreport: {}", out.join(f.file_name()).display());
    }
    if let Some(c) = &evaluation.baseline {
        let ids = |v: &[crate::evaluation::baseline::Change]| {
            v.iter()
                .map(|c| c.id.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        };
        let _ = write!(
            s,
            "\nvs {} ({:.1}/100): {} regression(s){}{}, {} fix(es){}{}",
            c.file,
            c.score,
            c.regressions.len(),
            if c.regressions.is_empty() { "" } else { ": " },
            ids(&c.regressions),
            c.fixes.len(),
            if c.fixes.is_empty() { "" } else { ": " },
            ids(&c.fixes),
        );
    }
    if quiet {
        return s;
    }
    for r in evaluation
        .requirements
        .iter()
        .filter(|r| matches!(r.verdict.status, Status::Fail | Status::Error))
    {
        let _ = write!(
            s,
            "\n  {} {} {}: {}",
            r.verdict.status.as_str(),
            r.verdict.id,
            if r.mandatory {
                "(mandatory)"
            } else {
                "(optional)"
            },
            r.verdict.message.get(lang)
        );
    }
    s
}

//! The process exit codes: the contract in DESIGN.md, documented in the README, used by the
//! binary and by the tests (`ExitCode::Usage.code()`), never as bare numbers.

use crate::error::Error;
use crate::evaluation::Conformance;

/// Why `kiemdinh` exited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExitCode {
    /// 0 — conformant, or provisional (nothing mandatory failed; some mandatory item is still
    /// pending), or a command other than an assessment succeeded.
    Success = 0,
    /// 1 — non-conformant: a mandatory requirement failed (`--fail-on any`: any requirement).
    NonConformant = 1,
    /// 2 — invalid input or usage: nothing was run and nothing was written.
    Usage = 2,
    /// 3 — incomplete: some check ended in `error`, so the evaluation is not rankable; with
    /// `--require-complete` also a provisional evaluation.
    Incomplete = 3,
    /// 4 — the harness failed after it had started working (a report could not be written,
    /// the reference portal could not start). What was observed is in the journal.
    Harness = 4,
    /// 130 — interrupted by Ctrl-C (128 + SIGINT, as shells report it); the browser and its
    /// driver were stopped, the journal keeps what was observed.
    Interrupted = 130,
}

impl ExitCode {
    /// The numeric code.
    pub fn code(self) -> u8 {
        self as u8
    }

    /// The code for an evaluation's overall verdict.
    pub fn for_verdict(verdict: Conformance, require_complete: bool) -> Self {
        match verdict {
            Conformance::Provisional if require_complete => ExitCode::Incomplete,
            Conformance::Conformant | Conformance::Provisional => ExitCode::Success,
            Conformance::NonConformant => ExitCode::NonConformant,
            Conformance::Incomplete => ExitCode::Incomplete,
        }
    }

    /// The code for a harness error: 2 when it is the user's input, 4 otherwise.
    pub fn for_error(e: &Error) -> Self {
        if matches!(e, Error::Interrupted) {
            ExitCode::Interrupted
        } else if e.is_input() {
            ExitCode::Usage
        } else {
            ExitCode::Harness
        }
    }
}

impl From<ExitCode> for std::process::ExitCode {
    fn from(c: ExitCode) -> Self {
        std::process::ExitCode::from(c.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn provisional_is_success_unless_completeness_is_required() {
        assert_eq!(
            ExitCode::for_verdict(Conformance::Provisional, false).code(),
            0
        );
        assert_eq!(
            ExitCode::for_verdict(Conformance::Provisional, true),
            ExitCode::Incomplete
        );
        assert_eq!(
            ExitCode::for_verdict(Conformance::Conformant, true),
            ExitCode::Success
        );
        assert_eq!(
            ExitCode::for_verdict(Conformance::NonConformant, true).code(),
            1
        );
    }

    #[test]
    fn errors_after_work_started_are_not_usage_errors() {
        assert_eq!(
            ExitCode::for_error(&Error::Usage("x".into())),
            ExitCode::Usage
        );
        let after = Error::Render {
            name: "report.html".into(),
            message: "x".into(),
        };
        assert_eq!(ExitCode::for_error(&after).code(), 4);
    }
}

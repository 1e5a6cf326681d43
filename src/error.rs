//! Harness errors: invalid input, unwritable output, a reference portal that cannot start.
//!
//! A portal that fails a requirement is never an error here; that is a verdict.

use std::path::PathBuf;

/// One problem found in an input file, with its coordinates.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// The file the problem is in.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The key (dotted path) the problem is about, when known.
    pub key: Option<String>,
    /// What is wrong, lowercase, values in backticks, with a fix when one is known.
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
            if let Some(column) = self.column {
                write!(f, ":{column}")?;
            }
        }
        if let Some(key) = &self.key {
            write!(f, ": key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything that can stop the harness itself.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// An input file (checklist, scenario, evidence list) is invalid; every problem is listed.
    #[error("invalid {what} `{}`{}", file.display(), render_problems(problems))]
    Invalid {
        /// "checklist", "scenario", …
        what: &'static str,
        /// The file.
        file: PathBuf,
        /// Every problem found in one pass.
        problems: Vec<Problem>,
    },
    /// The command line is inconsistent (bad `--only` id, unknown format, …).
    #[error("{0}")]
    Usage(String),
    /// A file could not be read or written; `fs-err` names the path.
    #[error(transparent)]
    Io(#[from] std::io::Error),
    /// The output directory cannot be used.
    #[error("cannot write to output directory `{}`", path.display())]
    Output {
        /// The directory.
        path: PathBuf,
        /// Why.
        #[source]
        source: std::io::Error,
    },
    /// The reference portal could not start.
    #[error("the reference portal could not start: {0}")]
    Demo(String),
    /// A report template failed to render (a bug in kiemdinh, not in the portal).
    #[error("report `{name}` could not be rendered: {message}")]
    Render {
        /// Template or format name.
        name: String,
        /// Why.
        message: String,
    },
    /// Something failed after the portal was observed (a report could not be written); the
    /// journal keeps what was measured.
    #[error("{0} (the observations are in `journal.jsonl`)")]
    AfterProbe(Box<Error>),
    /// The browser could not be started or reached before anything was probed.
    #[error("the browser probe cannot start: {0}")]
    Browser(#[from] crate::probe::browser::BrowserError),
    /// The run was interrupted (Ctrl-C); the browser and the driver were stopped.
    #[error("interrupted (Ctrl-C); what was observed so far is in `journal.jsonl`")]
    Interrupted,
    /// Load refused on a target without authorisation (nothing was sent).
    #[error("{0}")]
    NotAuthorised(String),
    /// The load engine failed.
    #[error("the load probe failed: {0}")]
    Load(String),
    /// The HTTP client could not be built (bad CA file, …).
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

impl Error {
    /// One problem with an input file: what kind of file, where (line and column, when known)
    /// and why.
    pub fn in_file(
        what: &'static str,
        file: &std::path::Path,
        at: Option<(usize, usize)>,
        message: String,
    ) -> Self {
        Error::Invalid {
            what,
            file: file.to_path_buf(),
            problems: vec![Problem {
                file: file.to_path_buf(),
                line: at.map(|(l, _)| l),
                column: at.map(|(_, c)| c),
                key: None,
                message,
            }],
        }
    }

    /// Whether this error means "invalid input or usage": nothing was run (exit code 2). A
    /// file that cannot be read, an unusable output directory and a bad CA file are the
    /// user's input; a report that cannot be rendered or written after probing is not.
    pub fn is_input(&self) -> bool {
        match self {
            Error::Invalid { .. }
            | Error::Usage(_)
            | Error::Output { .. }
            | Error::Client(_)
            | Error::NotAuthorised(_)
            | Error::Browser(_)
            | Error::Io(_) => true,
            Error::Demo(_)
            | Error::Render { .. }
            | Error::AfterProbe(_)
            | Error::Load(_)
            | Error::Interrupted => false,
        }
    }

    /// Marks an error that happened after the portal was observed (exit code 4, never 2).
    #[must_use]
    pub fn after_probe(self) -> Self {
        match self {
            e @ Error::AfterProbe(_) => e,
            e => Error::AfterProbe(Box::new(e)),
        }
    }
}

/// Sorts problems by line, then column; problems without a line come last, in their order.
pub fn sort_problems(problems: &mut [Problem]) {
    problems.sort_by_key(|p| (p.line.is_none(), p.line, p.column));
}

fn render_problems(problems: &[Problem]) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    for p in problems {
        let _ = write!(out, "\n  --> {p}");
    }
    out
}

/// Crate-wide result.
pub type Result<T, E = Error> = std::result::Result<T, E>;

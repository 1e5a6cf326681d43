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
    /// The HTTP client could not be built (bad CA file, …).
    #[error("cannot set up the HTTP client: {0}")]
    Client(String),
}

impl Error {
    /// Whether this error means "invalid input or usage" (exit code 2).
    pub fn is_input(&self) -> bool {
        matches!(self, Error::Invalid { .. } | Error::Usage(_))
    }
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

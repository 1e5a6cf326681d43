//! Reading input files: strict TOML into `Raw*` types, with problems pointing at <file:line:key>
//! and a "did you mean" where one fits.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Problem};

/// A loaded source text, kept to turn byte offsets into lines.
#[derive(Debug, Clone)]
pub struct Source {
    /// Path as given by the user (or `<embedded>/NAME` for shipped files).
    pub path: PathBuf,
    /// The text.
    pub text: String,
}

impl Source {
    /// Reads a file.
    pub fn read(path: &Path) -> Result<Self, Error> {
        let text = fs_err::read_to_string(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            text,
        })
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// A problem at a byte span.
    pub fn problem_at(
        &self,
        span: Option<std::ops::Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Problem {
        let (line, column) = match span {
            Some(s) => {
                let (l, c) = self.line_col(s.start);
                (Some(l), Some(c))
            }
            None => (None, None),
        };
        Problem {
            file: self.path.clone(),
            line,
            column,
            key,
            message: message.into(),
        }
    }

    /// Parses the whole text as JSON `T` (a file kiemdinh wrote: `evaluation.json`,
    /// `ranking.json`). Where reading stopped is reported at line and column, after `expected`
    /// ("not an evaluation.json written by `kiemdinh assess`").
    pub fn parse_json<T: DeserializeOwned>(
        &self,
        what: &'static str,
        expected: &str,
    ) -> Result<T, Error> {
        serde_json::from_str(&self.text).map_err(|e| {
            Error::in_file(
                what,
                &self.path,
                Some((e.line(), e.column())),
                format!("{expected}: {e}"),
            )
        })
    }

    /// Parses the whole text as `T`, strictly. The one structural error TOML/serde stop at is
    /// returned with line, key and a suggestion.
    pub fn parse<T: DeserializeOwned>(&self, what: &'static str) -> Result<T, Error> {
        toml::from_str::<T>(&self.text).map_err(|e| {
            let span = e.span();
            let key = span.clone().and_then(|s| self.key_near(s));
            let message = improve_message(e.message());
            Error::Invalid {
                what,
                file: self.path.clone(),
                problems: vec![self.problem_at(span, key, message)],
            }
        })
    }

    /// The key a span points at: the span's own text when it is a bare key, otherwise the key
    /// assigned on the span's line.
    fn key_near(&self, span: std::ops::Range<usize>) -> Option<String> {
        let text = self.text.get(span.clone())?.trim();
        let is_key = |s: &str| {
            !s.is_empty()
                && s.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.')
        };
        if is_key(text) {
            return Some(text.to_string());
        }
        let line_start = self.text[..span.start.min(self.text.len())]
            .rfind('\n')
            .map_or(0, |i| i + 1);
        let line = self.text[line_start..].lines().next()?;
        let (lhs, _) = line.split_once('=')?;
        let lhs = lhs.trim();
        is_key(lhs).then(|| lhs.to_string())
    }
}

/// Rewrites serde's "unknown field `x`, expected one of `a`, `b`" into kiemdinh's style with a
/// "did you mean" suggestion.
fn improve_message(message: &str) -> String {
    let message = message.trim().trim_end_matches('.');
    for prefix in ["unknown field", "unknown variant"] {
        if let Some(rest) = message.strip_prefix(prefix) {
            let names: Vec<&str> = rest.split('`').skip(1).step_by(2).collect();
            if let Some((unknown, expected)) = names.split_first() {
                let kind = if prefix == "unknown field" {
                    "key"
                } else {
                    "value"
                };
                return match did_you_mean(unknown, expected.iter().copied()) {
                    Some(s) => format!("unknown {kind} `{unknown}`, did you mean `{s}`?"),
                    None if expected.is_empty() => format!("unknown {kind} `{unknown}`"),
                    None => format!(
                        "unknown {kind} `{unknown}`, expected one of {}",
                        expected
                            .iter()
                            .map(|e| format!("`{e}`"))
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                };
            }
        }
    }
    message.to_string()
}

/// The closest candidate to `input`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| {
            (
                strsim::jaro_winkler(&input.to_lowercase(), &c.to_lowercase()),
                c,
            )
        })
        .filter(|(score, _)| *score > 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// Resolves a path written inside an input file relative to that file's folder.
pub fn relative_to(file: &Path, written: &str) -> PathBuf {
    let p = Path::new(written);
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        file.parent().unwrap_or_else(|| Path::new(".")).join(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_field_gets_suggestion() {
        let m = improve_message("unknown field `titel`, expected one of `id`, `title`, `basis`");
        assert_eq!(m, "unknown key `titel`, did you mean `title`?");
    }

    #[test]
    fn unknown_variant_without_close_match_lists_options() {
        let m = improve_message("unknown variant `zzz`, expected `a` or `b`");
        assert_eq!(m, "unknown value `zzz`, expected one of `a`, `b`");
    }

    #[test]
    fn line_and_column_are_one_based() {
        let s = Source {
            path: "x.toml".into(),
            text: "a = 1\nbb = 2\n".into(),
        };
        assert_eq!(s.line_col(0), (1, 1));
        assert_eq!(s.line_col(7), (2, 2));
    }
}

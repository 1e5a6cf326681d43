//! Reading input files: strict TOML into `Raw*` types, with problems pointing at <file:line:key>
//! and a "did you mean" where one fits.

use std::path::{Path, PathBuf};

use serde::de::DeserializeOwned;

use crate::error::{Error, Problem};

mod collect;

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

    /// Whether the text is a checklist rather than a scenario (`kiemdinh check`): a top-level
    /// `edition` or a `[[requirement]]`, `[[amend]]` or `[[retire]]` table. Anything else is
    /// taken for a scenario, so one that lacks its `[portal]` is told so rather than judged as
    /// a checklist.
    pub fn is_checklist(&self) -> bool {
        let mut top_level = true;
        for line in self.text.lines().map(str::trim) {
            if matches!(line, "[[requirement]]" | "[[amend]]" | "[[retire]]") {
                return true;
            }
            if line.starts_with('[') {
                top_level = false;
            } else if top_level
                && line
                    .split_once('=')
                    .is_some_and(|(k, _)| k.trim() == "edition")
            {
                return true;
            }
        }
        false
    }

    /// 1-based line and column of a byte offset.
    pub fn line_col(&self, offset: usize) -> (usize, usize) {
        let offset = offset.min(self.text.len());
        let before = &self.text[..offset];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |s| s.chars().count()) + 1;
        (line, column)
    }

    /// A problem at a byte span. Without a span, the key's own place in the file is looked up
    /// (its value's line and column), so every problem with a key has a line.
    pub fn problem_at(
        &self,
        span: Option<std::ops::Range<usize>>,
        key: Option<String>,
        message: impl Into<String>,
    ) -> Problem {
        let span = span.or_else(|| self.nearest_span(key.as_deref()?));
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

    /// The span of `key`, or of the nearest table or array holding it when the key itself is
    /// not written (a missing key is reported where its table is).
    fn nearest_span(&self, key: &str) -> Option<std::ops::Range<usize>> {
        let root = toml::de::DeTable::parse(&self.text).ok()?;
        let mut key = key;
        for _ in 0..32 {
            if let Some(span) = collect::span_of(root.get_ref(), key) {
                return Some(span);
            }
            key = &key[..key.rfind(['.', '['])?];
        }
        None
    }

    /// The byte span of a dotted key's value (`pages.max-pages`, `load.journeys[0].name`), when
    /// the text parses and holds it.
    pub fn span_of(&self, key: &str) -> Option<std::ops::Range<usize>> {
        let root = toml::de::DeTable::parse(&self.text).ok()?;
        collect::span_of(root.get_ref(), key)
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

    /// Parses the whole text as `T`, strictly, reporting every structural problem (unknown
    /// keys, wrong types, values out of a type's range, missing keys) at its dotted key, sorted
    /// by line.
    pub fn parse<T: DeserializeOwned>(&self, what: &'static str) -> Result<T, Error> {
        match self.parse_collecting::<T>(what)? {
            (Some(v), problems) if problems.is_empty() => Ok(v),
            (_, problems) => Err(self.invalid(what, problems)),
        }
    }

    /// Parses the whole text as `T`, collecting every structural problem instead of stopping
    /// at the first: the offending entries are left out (defaults apply) and the rest is
    /// returned, so a second, semantic stage can still run on it. `Err` only for a TOML syntax
    /// error, after which nothing can be read.
    pub fn parse_collecting<T: DeserializeOwned>(
        &self,
        what: &'static str,
    ) -> Result<(Option<T>, Vec<Problem>), Error> {
        match collect::deserialize_all::<T>(&self.text) {
            Ok((value, faults)) => {
                let problems = faults
                    .into_iter()
                    .map(|f| {
                        let key = (!f.key.is_empty()).then_some(f.key);
                        let message = improve_message(&f.message);
                        self.problem_at(f.span, key, message)
                    })
                    .collect();
                Ok((value, problems))
            }
            Err(e) => {
                let message = format!(
                    "{} (TOML syntax error: the file is not read past this point)",
                    e.message().trim().trim_end_matches('.')
                );
                Err(self.invalid(what, vec![self.problem_at(e.span(), None, message)]))
            }
        }
    }

    /// The structural problems of [`Source::parse_collecting`] and a semantic stage's result,
    /// as one result: every problem, sorted by line, except semantic ones about a key the
    /// structural stage already reported (its value was left out or filled in), about a key
    /// inside it, or about the table or array (below the top level) that holds it.
    pub fn merge<T>(
        &self,
        what: &'static str,
        structural: Vec<Problem>,
        semantic: Result<T, Error>,
    ) -> Result<T, Error> {
        match semantic {
            Ok(v) if structural.is_empty() => Ok(v),
            Ok(_) => Err(self.invalid(what, structural)),
            Err(Error::Invalid { problems, .. }) => {
                // A semantic problem about a key the structural stage reported, inside it or
                // around it (a table or an array whose entry was left out), is an artefact.
                let within = |inner: &str, outer: &str| {
                    inner == outer
                        || inner
                            .strip_prefix(outer)
                            .is_some_and(|t| t.starts_with(['.', '[']))
                };
                let covered = |p: &Problem| {
                    p.key.as_deref().is_some_and(|k| {
                        structural
                            .iter()
                            .filter_map(|s| s.key.as_deref())
                            .any(|s| within(k, s) || (k.contains(['.', '[']) && within(s, k)))
                    })
                };
                let semantic: Vec<Problem> = problems.into_iter().filter(|p| !covered(p)).collect();
                let mut all = structural;
                all.extend(semantic);
                Err(self.invalid(what, all))
            }
            Err(e) => Err(e),
        }
    }

    /// `Error::Invalid` for this file with its problems sorted by line, then column (problems
    /// without a line last).
    pub fn invalid(&self, what: &'static str, mut problems: Vec<Problem>) -> Error {
        crate::error::sort_problems(&mut problems);
        Error::Invalid {
            what,
            file: self.path.clone(),
            problems,
        }
    }
}

/// Rewrites serde's messages in kiemdinh's style: "unknown field `x`, expected one of `a`,
/// `b`" gets a "did you mean", "missing field" names the key, and Rust type names become what
/// a user writes ("expected usize" → "expected a whole number ≥ 0").
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
    if let Some(field) = message
        .strip_prefix("missing field `")
        .and_then(|r| r.split('`').next())
    {
        return format!("required key `{field}` is missing");
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid type: ")
        .and_then(|r| r.rsplit_once(", expected "))
    {
        return format!(
            "wrong type ({found}): expected {}",
            expected_in_words(expected)
        );
    }
    if let Some((found, expected)) = message
        .strip_prefix("invalid value: ")
        .and_then(|r| r.rsplit_once(", expected "))
    {
        let found = ["integer ", "floating point ", "string "]
            .iter()
            .find_map(|p| found.strip_prefix(p))
            .unwrap_or(found);
        return format!(
            "invalid value {found}: expected {}",
            expected_in_words(expected)
        );
    }
    message.to_string()
}

/// What a Rust type name means to someone writing TOML.
fn expected_in_words(expected: &str) -> String {
    match expected {
        "usize" | "u64" | "u128" => "a whole number ≥ 0".into(),
        "u32" => "a whole number from 0 to 4294967295".into(),
        "u16" => "a whole number from 0 to 65535".into(),
        "u8" => "a whole number from 0 to 255".into(),
        "i64" | "i32" | "isize" | "i128" => "a whole number".into(),
        "f64" | "f32" => "a number".into(),
        "a sequence" => "an array".into(),
        "a map" => "a table".into(),
        "a borrowed string" | "a string" | "a char" => "a string".into(),
        e if e.starts_with("struct ") => "a table".into(),
        e => e.to_string(),
    }
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
    fn type_and_range_errors_say_what_is_expected() {
        let m = improve_message("invalid value: integer `-1`, expected usize");
        assert_eq!(m, "invalid value `-1`: expected a whole number ≥ 0");
        let m = improve_message("invalid type: integer `5`, expected a string");
        assert_eq!(m, "wrong type (integer `5`): expected a string");
        let m = improve_message("missing field `name`");
        assert_eq!(m, "required key `name` is missing");
    }

    #[test]
    fn every_structural_problem_is_reported_sorted_by_line() {
        #[derive(Debug, serde::Deserialize)]
        #[serde(deny_unknown_fields, rename_all = "kebab-case")]
        #[allow(dead_code)]
        struct Doc {
            name: String,
            #[serde(default)]
            max_pages: usize,
            #[serde(default)]
            flag: bool,
        }
        let s = Source {
            path: "x.toml".into(),
            text: "flag = \"yes\"\nmax-pages = -1\nzzz = \"a\"\n".into(),
        };
        let Err(Error::Invalid { problems, .. }) = s.parse::<Doc>("test") else {
            panic!("invalid")
        };
        let got: Vec<String> = problems.iter().map(ToString::to_string).collect();
        assert_eq!(
            got,
            [
                "x.toml:1:8: key `flag`: wrong type (string \"yes\"): expected a boolean",
                "x.toml:2:13: key `max-pages`: invalid value `-1`: expected a whole number ≥ 0",
                "x.toml:3:1: key `zzz`: unknown key `zzz`, expected one of `name`, `max-pages`, `flag`",
                "x.toml: key `name`: required key `name` is missing",
            ]
        );
        let Err(e) = s.parse::<Doc>("test") else {
            panic!()
        };
        assert!(e.is_input());
        let s = Source {
            path: "x.toml".into(),
            text: "a = [\n".into(),
        };
        let msg = s.parse::<Doc>("test").unwrap_err().to_string();
        assert!(msg.contains("TOML syntax error"), "{msg}");
    }

    #[test]
    fn a_problem_without_a_span_is_placed_at_its_key_or_its_table() {
        let s = Source {
            path: "x.toml".into(),
            text: "a = 1\n[pages]\nsample = [\"/\", \"/x\"]\n".into(),
        };
        let at = |key: &str| {
            let p = s.problem_at(None, Some(key.into()), "m");
            (p.line, p.column)
        };
        assert_eq!(at("pages.sample[1]"), (Some(3), Some(16)));
        assert_eq!(at("pages.max-pages"), (Some(2), Some(1)));
        assert_eq!(at("absent"), (None, None));
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

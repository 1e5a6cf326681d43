//! Every structural problem of a TOML file in one pass.
//!
//! The text is parsed once into a spanned table ([`toml::de::DeTable`]); the typed
//! deserialisation is then retried on that table: each serde error is recorded at its dotted
//! key path, the offending entry is removed (or, for a missing required key, a placeholder is
//! put in its place) and the deserialisation runs again, a bounded number of times. What is
//! left deserialises with the defaults, so the semantic stage can still run on the rest.

use std::borrow::Cow;
use std::fmt::Write as _;
use std::ops::Range;

use serde::de::DeserializeOwned;
use toml::Spanned;
use toml::de::{DeArray, DeFloat, DeInteger, DeTable, DeValue};

/// At most this many deserialisation rounds per file (each removes or fills one entry).
const MAX_ROUNDS: usize = 200;

/// One step of a key path.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Seg {
    /// A table key.
    Key(String),
    /// An array index.
    Index(usize),
}

/// `pages.max-pages`, `load.journeys[0].steps[2].url`.
pub(crate) fn render(path: &[Seg]) -> String {
    let mut s = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !s.is_empty() {
                    s.push('.');
                }
                s.push_str(k);
            }
            Seg::Index(i) => {
                let _ = write!(s, "[{i}]");
            }
        }
    }
    s
}

/// A structural problem: where (byte span, when known), which key, what.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    /// Byte span in the text.
    pub span: Option<Range<usize>>,
    /// Dotted key path (empty: the whole file).
    pub key: String,
    /// The raw serde message.
    pub message: String,
}

/// The deepest entry whose key or value span holds `span`: its path, and its width.
fn locate_in_table(
    table: &DeTable<'_>,
    span: &Range<usize>,
    path: &mut Vec<Seg>,
    best: &mut Option<(Vec<Seg>, usize)>,
) {
    for (k, v) in table {
        path.push(Seg::Key(k.get_ref().to_string()));
        for s in [k.span(), v.span()] {
            if s.start <= span.start && span.end <= s.end.max(span.start) {
                let width = s.end - s.start;
                if best.as_ref().is_none_or(|(_, w)| width <= *w) {
                    *best = Some((path.clone(), width));
                }
            }
        }
        locate_in_value(v.get_ref(), span, path, best);
        path.pop();
    }
}

fn locate_in_value(
    value: &DeValue<'_>,
    span: &Range<usize>,
    path: &mut Vec<Seg>,
    best: &mut Option<(Vec<Seg>, usize)>,
) {
    match value {
        DeValue::Table(t) => locate_in_table(t, span, path, best),
        DeValue::Array(a) => {
            for (i, v) in a.iter().enumerate() {
                path.push(Seg::Index(i));
                let s = v.span();
                if s.start <= span.start && span.end <= s.end {
                    let width = s.end - s.start;
                    if best.as_ref().is_none_or(|(_, w)| width <= *w) {
                        *best = Some((path.clone(), width));
                    }
                }
                locate_in_value(v.get_ref(), span, path, best);
                path.pop();
            }
        }
        _ => {}
    }
}

/// The key path a byte span points at (empty: the document itself).
pub(crate) fn locate(root: &DeTable<'_>, span: &Range<usize>) -> Vec<Seg> {
    let mut best = None;
    locate_in_table(root, span, &mut Vec::new(), &mut best);
    best.map(|(p, _)| p).unwrap_or_default()
}

/// The value span of a dotted key path (`overrides.PL1-3.3.max-ms`: keys holding dots are
/// matched greedily, the longest first).
pub(crate) fn span_of(root: &DeTable<'_>, key: &str) -> Option<Range<usize>> {
    let mut table = root;
    let mut rest = key;
    let mut value: Option<&Spanned<DeValue<'_>>> = None;
    for _ in 0..64 {
        if rest.is_empty() {
            return value.map(Spanned::span);
        }
        if let Some(after) = rest.strip_prefix('[') {
            let (index, tail) = after.split_once(']')?;
            let DeValue::Array(a) = value?.get_ref() else {
                return None;
            };
            let v = a.get(index.parse::<usize>().ok()?)?;
            value = Some(v);
            rest = tail.strip_prefix('.').unwrap_or(tail);
        } else {
            if let Some(v) = value {
                let DeValue::Table(t) = v.get_ref() else {
                    return None;
                };
                table = t;
            }
            let (k, v) = table
                .iter()
                .filter(|(k, _)| {
                    let k = k.get_ref().as_ref();
                    rest.strip_prefix(k)
                        .is_some_and(|t| t.is_empty() || t.starts_with(['.', '[']))
                })
                .max_by_key(|(k, _)| k.get_ref().len())?;
            value = Some(v);
            let tail = &rest[k.get_ref().len()..];
            rest = tail.strip_prefix('.').unwrap_or(tail);
        }
    }
    None
}

/// The table at `path`, for changing it.
fn table_at<'a, 'i>(root: &'a mut DeTable<'i>, path: &[Seg]) -> Option<&'a mut DeTable<'i>> {
    let mut value: Option<&'a mut DeValue<'i>> = None;
    let mut table = Some(root);
    for seg in path {
        let next: &'a mut DeValue<'i> = match (seg, table.take(), value.take()) {
            (Seg::Key(k), Some(t), None) | (Seg::Key(k), None, Some(DeValue::Table(t))) => {
                t.get_mut(k.as_str())?.get_mut()
            }
            (Seg::Index(i), None, Some(DeValue::Array(a))) => a.get_mut(*i)?.get_mut(),
            _ => return None,
        };
        value = Some(next);
    }
    match (table, value) {
        (Some(t), None) | (None, Some(DeValue::Table(t))) => Some(t),
        _ => None,
    }
}

/// Removes the entry at `path`; false when there is none (nothing can change).
fn remove<'i>(root: &mut DeTable<'i>, path: &[Seg]) -> bool {
    let Some((last, parent)) = path.split_last() else {
        return false;
    };
    match last {
        Seg::Key(k) => table_at(root, parent).is_some_and(|t| t.remove(k.as_str()).is_some()),
        Seg::Index(i) => {
            let Some((Seg::Key(k), grand)) = parent.split_last() else {
                // Nested arrays: only the outer one is reached through a key.
                return false;
            };
            let Some(t) = table_at(root, grand) else {
                return false;
            };
            let Some(DeValue::Array(a)) = t.get_mut(k.as_str()).map(Spanned::get_mut) else {
                return false;
            };
            if *i >= a.len() {
                return false;
            }
            let kept: DeArray<'i> = std::mem::replace(a, DeArray::new())
                .into_iter()
                .enumerate()
                .filter(|(j, _)| j != i)
                .map(|(_, v)| v)
                .collect();
            *a = kept;
            true
        }
    }
}

/// The `n`th value tried in place of a missing required key (`None`: no more to try).
fn placeholder(n: usize, message: &str) -> Option<DeValue<'static>> {
    // An enum: its first variant.
    if let Some(rest) = message.split("unknown variant").nth(1) {
        let first = rest.split('`').nth(3)?;
        return (n < 16).then(|| DeValue::String(Cow::Owned(first.to_string())));
    }
    Some(match n {
        0 => DeValue::String(Cow::Borrowed("")),
        1 => DeValue::Integer(DeInteger::default()),
        2 => DeValue::Table(DeTable::new()),
        3 => DeValue::Array(DeArray::new()),
        4 => DeValue::Boolean(false),
        5 => DeValue::Float(DeFloat::default()),
        _ => return None,
    })
}

/// A placeholder put in for a missing key: its path and how many values were tried.
struct Filled {
    path: Vec<Seg>,
    tries: usize,
}

/// Deserialises `T`, collecting every structural problem. `Err` is a TOML syntax error
/// (reading stops there). `Ok((None, faults))`: the problems left nothing usable.
pub(crate) fn deserialize_all<T: DeserializeOwned>(
    text: &str,
) -> Result<(Option<T>, Vec<Fault>), toml::de::Error> {
    let mut root = DeTable::parse(text)?;
    let root_span = root.span();
    // Placeholders get spans past the end of the text, so errors about them are told apart.
    let synthetic = text.len() + 1;
    let mut filled: Vec<Filled> = Vec::new();
    let mut faults = Vec::new();
    for _ in 0..MAX_ROUNDS {
        let e = match T::deserialize(toml::de::Deserializer::from(root.clone())) {
            Ok(v) => return Ok((Some(v), faults)),
            Err(e) => e,
        };
        let message = e.message().trim().to_string();
        let span = e.span();
        let missing = message
            .strip_prefix("missing field `")
            .and_then(|r| r.split('`').next())
            .map(str::to_string);
        // An error about a placeholder (or about a key missing inside one): try again quietly.
        if let Some(s) = span.as_ref().filter(|s| s.start >= synthetic) {
            let Some(f) = filled.get_mut(s.start - synthetic) else {
                return Ok((None, faults));
            };
            let path = f.path.clone();
            if let Some(field) = missing {
                let mut p = path;
                p.push(Seg::Key(field));
                if !fill(root.get_mut(), &p, synthetic, &mut filled, None) {
                    return Ok((None, faults));
                }
            } else {
                f.tries += 1;
                let tries = f.tries;
                if !fill(
                    root.get_mut(),
                    &path,
                    synthetic,
                    &mut filled,
                    Some((tries, &message)),
                ) {
                    return Ok((None, faults));
                }
            }
            continue;
        }
        let at = span.clone().filter(|s| *s != root_span);
        let path = at
            .as_ref()
            .map(|s| locate(root.get_ref(), s))
            .unwrap_or_default();
        if let Some(field) = missing {
            let mut p = path;
            p.push(Seg::Key(field));
            let key = render(&p);
            // A required key whose value was refused above, or that is misspelt as an
            // unknown key of the same table, is not "missing" as well.
            let parent = render(&p[..p.len() - 1]);
            let misspelt = |f: &Fault| {
                let sibling = f
                    .key
                    .strip_prefix(parent.as_str())
                    .map(|k| k.trim_start_matches('.'));
                f.message.starts_with("unknown field")
                    && sibling.is_some_and(|k| {
                        !k.contains(['.', '['])
                            && super::did_you_mean(k, [key.rsplit('.').next().unwrap_or("")])
                                .is_some()
                    })
            };
            if !faults.iter().any(|f| f.key == key || misspelt(f)) {
                faults.push(Fault {
                    span: at,
                    key,
                    message,
                });
            }
            if !fill(root.get_mut(), &p, synthetic, &mut filled, None) {
                return Ok((None, faults));
            }
        } else {
            // An unknown variant inside an array entry (a check's `kind`): the whole entry
            // goes, as its other keys only make sense with a known variant.
            let gone = match path.split_last() {
                Some((_, parent))
                    if message.starts_with("unknown variant")
                        && matches!(parent.last(), Some(Seg::Index(_))) =>
                {
                    parent.to_vec()
                }
                _ => path.clone(),
            };
            faults.push(Fault {
                span: at,
                key: render(&path),
                message,
            });
            if !remove(root.get_mut(), &gone) {
                return Ok((None, faults));
            }
        }
    }
    Ok((None, faults))
}

/// Puts a placeholder at `path` (a new one, or the next value for an existing one after
/// `retry`'s error); false when nothing more can be tried.
fn fill(
    root: &mut DeTable<'_>,
    path: &[Seg],
    synthetic: usize,
    filled: &mut Vec<Filled>,
    retry: Option<(usize, &str)>,
) -> bool {
    let Some((Seg::Key(key), parent)) = path.split_last() else {
        return false;
    };
    let (tries, message) = retry.unwrap_or((0, ""));
    let Some(value) = placeholder(tries, message) else {
        return false;
    };
    let index = match filled.iter().position(|f| f.path == path) {
        Some(i) => i,
        None if retry.is_none() => {
            filled.push(Filled {
                path: path.to_vec(),
                tries: 0,
            });
            filled.len() - 1
        }
        None => return false,
    };
    let Some(table) = table_at(root, parent) else {
        return false;
    };
    let span = synthetic + index..synthetic + index;
    table.insert(
        Spanned::new(span.clone(), Cow::Owned(key.clone())),
        Spanned::new(span, value),
    );
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code)]
    struct Doc {
        name: String,
        #[serde(default)]
        pages: Pages,
        #[serde(default)]
        steps: Vec<Step>,
    }

    #[derive(Debug, Default, serde::Deserialize)]
    #[serde(deny_unknown_fields, rename_all = "kebab-case")]
    #[allow(dead_code)]
    struct Pages {
        #[serde(default)]
        max_pages: usize,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(rename_all = "kebab-case")]
    #[allow(dead_code)]
    enum Kind {
        Province,
        Ministry,
    }

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Step {
        url: String,
    }

    fn keys(text: &str) -> (bool, Vec<String>) {
        let (doc, faults) = deserialize_all::<Doc>(text).unwrap();
        let mut keys: Vec<String> = faults.into_iter().map(|f| f.key).collect();
        keys.sort();
        (doc.is_some(), keys)
    }

    #[test]
    fn every_structural_problem_is_collected_at_its_path() {
        let text = "zzz = 1\n[pages]\nmax-pages = -1\nkind = \"city\"\n[[steps]]\nurl = \"/\"\n[[steps]]\nurl = 5\n";
        let (ok, keys) = keys(text);
        assert!(ok, "what is left deserialises");
        assert_eq!(
            keys,
            [
                "name",
                "pages.kind",
                "pages.max-pages",
                "steps[1].url",
                "zzz"
            ]
        );
    }

    #[test]
    fn a_missing_enum_or_table_gets_a_placeholder_quietly() {
        #[derive(Debug, serde::Deserialize)]
        #[allow(dead_code)]
        struct Need {
            kind: Kind,
            pages: Pages,
            n: u32,
        }
        let (need, faults) = deserialize_all::<Need>("").unwrap();
        assert!(need.is_some());
        let mut keys: Vec<_> = faults.into_iter().map(|f| f.key).collect();
        keys.sort();
        assert_eq!(keys, ["kind", "n", "pages"]);
        let (need, faults) = deserialize_all::<Need>("kind = 3\n").unwrap();
        assert!(need.is_some());
        assert_eq!(
            faults.len(),
            3,
            "a refused required value is not also missing"
        );
        let (_, faults) = deserialize_all::<Doc>("nmae = \"x\"\n").unwrap();
        assert_eq!(
            faults.len(),
            1,
            "a misspelt key is not also missing: {faults:?}"
        );
    }

    #[test]
    fn a_syntax_error_stops_reading() {
        assert!(deserialize_all::<Doc>("name = \n").is_err());
    }

    #[test]
    fn spans_are_found_by_dotted_path() {
        let text = "[overrides.\"PL1-3.3\"]\nmax-ms = 5\n[[steps]]\nurl = \"a\"\n";
        let root = DeTable::parse(text).unwrap();
        let s = span_of(root.get_ref(), "overrides.PL1-3.3.max-ms").unwrap();
        assert_eq!(&text[s], "5");
        let s = span_of(root.get_ref(), "steps[0].url").unwrap();
        assert_eq!(&text[s], "\"a\"");
        assert!(span_of(root.get_ref(), "steps[3].url").is_none());
        assert!(span_of(root.get_ref(), "nothing").is_none());
    }
}

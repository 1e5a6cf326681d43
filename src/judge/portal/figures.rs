//! Reading labelled figures off a statistics page (PL1-8): numbers as Vietnamese pages write
//! them (`128.450`, `98,8%`), each tied to the label next to it — a table's column header, a
//! field's label, or the label before it in running text. Dates, times, phone numbers and years
//! are not figures.

use std::sync::LazyLock;

use regex::Regex;

use crate::checklist::check::Figure;
use crate::observation::HtmlFacts;
use crate::unicode::fold;

/// A number as written: digits with `.`/`,` separators, then maybe a per-cent sign.
static NUMBER: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\d+(?:[.,]\d+)*(?:\s?%)?").expect("static regex"));

/// A number read off the page.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Number {
    /// Its value.
    pub value: f64,
    /// Written with `%`.
    pub percent: bool,
    /// Whether it is a whole number.
    pub whole: bool,
}

/// The value of digits with separators: one kind of separator before groups of three is a
/// thousands separator (`128.450`, `1,234,567`); a last separator of another kind, or one not
/// followed by three digits, is the decimal mark (`98,8`, `1.234,5`). Phone-like groupings
/// (`024.3823.4567`) are no number.
fn value_of(digits: &str) -> Option<(f64, bool)> {
    let seps: Vec<(usize, char)> = digits
        .char_indices()
        .filter(|(_, c)| matches!(c, '.' | ','))
        .collect();
    let groups: Vec<&str> = digits.split(['.', ',']).collect();
    let Some(&(_, last_sep)) = seps.last() else {
        return digits.parse().ok().map(|v| (v, true));
    };
    let first_sep = seps[0].1;
    let mixed = seps.iter().any(|(_, c)| *c != first_sep);
    let tail = groups[groups.len() - 1];
    let decimal =
        mixed || tail.len() != 3 || (seps.len() == 1 && last_sep == ',' && groups[0].len() > 3);
    let thousands_groups = if decimal {
        &groups[1..groups.len() - 1]
    } else {
        &groups[1..]
    };
    if groups[0].is_empty()
        || groups[0].len() > 3 && seps.len() > 1
        || thousands_groups.iter().any(|g| g.len() != 3)
        || (mixed && seps[..seps.len() - 1].iter().any(|(_, c)| *c == last_sep))
    {
        return None;
    }
    let int: String = if decimal {
        groups[..groups.len() - 1].concat()
    } else {
        groups.concat()
    };
    let text = if decimal {
        format!("{int}.{tail}")
    } else {
        int
    };
    text.parse().ok().map(|v| (v, !decimal))
}

/// The numbers of a folded text that are figures, with their byte ranges: not part of a date,
/// a time, a code or a phone number, and not a year after `năm`.
pub fn numbers(text: &str) -> Vec<(std::ops::Range<usize>, Number)> {
    let mut out = Vec::new();
    for m in NUMBER.find_iter(text) {
        let before = text[..m.start()].chars().next_back();
        let after = text[m.end()..].chars().next();
        let next_digit = text[m.end()..]
            .chars()
            .nth(1)
            .is_some_and(|c| c.is_ascii_digit());
        let glued = |c: Option<char>| c.is_some_and(|c| c.is_alphanumeric() || c == '_');
        if glued(before)
            || glued(after)
            || matches!(before, Some('/' | ':' | '-' | '+' | '.' | ','))
            || (matches!(after, Some('/' | ':' | '-' | '.' | ',')) && next_digit)
        {
            continue;
        }
        let raw = m.as_str();
        let percent = raw.ends_with('%');
        let digits = raw.trim_end_matches('%').trim_end();
        // A leading zero with four digits or more is a phone number or a code.
        if digits.starts_with('0') && digits.chars().filter(char::is_ascii_digit).count() >= 4 {
            continue;
        }
        let Some((value, whole)) = value_of(digits) else {
            continue;
        };
        let year_word = text[..m.start()].trim_end().ends_with("nam")
            || text[..m.start()].trim_end().ends_with("year");
        if !percent && whole && digits.len() == 4 && year_word {
            continue;
        }
        out.push((
            m.range(),
            Number {
                value,
                percent,
                whole,
            },
        ));
    }
    out
}

/// A figure found: which spec it answers, its number, and where it was read.
#[derive(Debug, Clone)]
pub struct Found<'a> {
    /// The figure spec.
    pub figure: &'a Figure,
    /// Its number.
    pub number: Number,
}

/// The figure a label names: among the specs whose synonym the label contains, the one with
/// the longest synonym whose kind (share or count) fits the number.
fn best<'a>(figures: &'a [Figure], label: &str, n: Number) -> Option<&'a Figure> {
    let label = fold(label);
    let share = n.percent || label.contains('%');
    figures
        .iter()
        .filter(|f| f.share == share)
        .filter_map(|f| {
            f.synonyms
                .iter()
                .map(|s| fold(s))
                .filter(|s| !s.is_empty() && label.contains(s.as_str()))
                .map(|s| s.len())
                .max()
                .map(|len| (len, f))
        })
        .max_by_key(|(len, _)| *len)
        .map(|(_, f)| f)
}

/// Label occurrences in a folded text: (range, figure spec), longest synonyms first, no
/// overlaps.
fn labels_in<'a>(text: &str, figures: &'a [Figure]) -> Vec<(std::ops::Range<usize>, &'a Figure)> {
    let mut all: Vec<(String, &Figure)> = figures
        .iter()
        .flat_map(|f| f.synonyms.iter().map(move |s| (fold(s), f)))
        .filter(|(s, _)| !s.is_empty())
        .collect();
    all.sort_by_key(|(s, _)| std::cmp::Reverse(s.len()));
    let mut out: Vec<(std::ops::Range<usize>, &Figure)> = Vec::new();
    for (s, f) in all {
        for (i, _) in text.match_indices(s.as_str()) {
            let r = i..i + s.len();
            if !out.iter().any(|(o, _)| o.start < r.end && r.start < o.end) {
                out.push((r, f));
            }
        }
    }
    out.sort_by_key(|(r, _)| r.start);
    out
}

/// Figures in running text: a label, then within `window` characters a number, with only a
/// colon or a few words between and no other label or figure.
fn in_text<'a>(text: &str, figures: &'a [Figure], window: usize, out: &mut Vec<Found<'a>>) {
    let text = fold(text);
    let labels = labels_in(&text, figures);
    let nums = numbers(&text);
    for (k, (r, f)) in labels.iter().enumerate() {
        let next_label = labels.get(k + 1).map_or(text.len(), |(n, _)| n.start);
        let Some((nr, n)) = nums.iter().find(|(nr, _)| nr.start >= r.end) else {
            continue;
        };
        let gap = &text[r.end..nr.start];
        if nr.start > next_label || gap.chars().count() > window {
            continue;
        }
        // "128.450 hồ sơ tiếp nhận 121.306 …" reads both ways: without a colon, a label right
        // after another number is ambiguous and skipped.
        let prev_label = k.checked_sub(1).map_or(0, |j| labels[j].0.end);
        let after_number = nums.iter().any(|(p, _)| {
            p.end <= r.start
                && p.start >= prev_label
                && text[p.end..r.start].chars().count() <= window
        });
        if !(gap.contains(':') || (gap.trim().is_empty() && !after_number)) {
            continue;
        }
        if f.share == (n.percent || gap.contains('%')) {
            out.push(Found {
                figure: f,
                number: *n,
            });
        }
    }
}

/// Every labelled figure of a page, structured sources first: table columns, label/value
/// fields, two-cell rows, entries holding one label and one number (`128.450 hồ sơ tiếp
/// nhận`), then the main text.
pub fn labelled<'a>(h: &HtmlFacts, figures: &'a [Figure], window: usize) -> Vec<Found<'a>> {
    let mut out = Vec::new();
    let pair = |label: &str, value: &str, out: &mut Vec<Found<'a>>| {
        let folded = fold(value);
        let nums = numbers(&folded);
        // A value cell holds one number; a cell with several is a sentence, not a figure.
        if let [(_, n)] = nums.as_slice()
            && let Some(f) = best(figures, label, *n)
        {
            out.push(Found {
                figure: f,
                number: *n,
            });
        }
    };
    for r in &h.rows {
        if r.headers.len() == r.cells.len() {
            for (head, cell) in r.headers.iter().zip(&r.cells) {
                pair(head, cell, &mut out);
            }
        } else if let [label, value] = r.cells.as_slice() {
            pair(label, value, &mut out);
        }
    }
    for f in &h.fields {
        pair(&f.label, &f.value, &mut out);
    }
    for r in h.rows.iter().filter(|r| r.cells.len() == 1) {
        let folded = fold(&r.cells[0]);
        let labels = labels_in(&folded, figures);
        if let ([(_, f)], [(_, n)]) = (labels.as_slice(), numbers(&folded).as_slice())
            && f.share == n.percent
        {
            out.push(Found {
                figure: f,
                number: *n,
            });
        }
    }
    let main = h.main.as_ref().map_or(h.text.as_str(), |m| m.text.as_str());
    in_text(main, figures, window, &mut out);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<(f64, bool)> {
        numbers(&fold(text))
            .into_iter()
            .map(|(_, n)| (n.value, n.percent))
            .collect()
    }

    #[test]
    fn vietnamese_and_english_numbers_are_read() {
        assert_eq!(
            values("128.450 hồ sơ; 98,8%; 87 %; 1,234,567; 1.234,5; 12.5%"),
            [
                (128_450.0, false),
                (98.8, true),
                (87.0, true),
                (1_234_567.0, false),
                (1234.5, false),
                (12.5, true)
            ]
        );
    }

    #[test]
    fn dates_times_phones_codes_and_years_are_not_figures() {
        assert_eq!(
            values(
                "Cập nhật ngày 30/06/2026 lúc 08:30, năm 2026. Tổng đài 0912345678, 024.3823.4567; mã H55.12-260315-0042"
            ),
            []
        );
    }

    #[test]
    fn running_text_needs_a_colon_when_the_label_follows_a_number() {
        let figures = crate::checklist::check::statistics_figures();
        let mut out = Vec::new();
        in_text(
            "Tiếp nhận trong năm 2026: 128.450 hồ sơ. Đường dây nóng: 1900 1234",
            &figures,
            40,
            &mut out,
        );
        let got: Vec<(&str, f64)> = out
            .iter()
            .map(|f| (f.figure.name.as_str(), f.number.value))
            .collect();
        assert_eq!(got, [("received", 128_450.0)]);
        let mut out = Vec::new();
        in_text(
            "128.450 hồ sơ tiếp nhận 121.306 hồ sơ đã giải quyết",
            &figures,
            40,
            &mut out,
        );
        assert!(out.is_empty(), "ambiguous: {out:?}");
    }
}

//! PL1-8: the statistics page shows labelled, plausible and consistent figures.

use std::sync::LazyLock;

use regex::Regex;

use super::{function_page, ok_status};
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// A number as written on Vietnamese pages (`128.450`, `98,8`, `1,234.5`), with a `%` flag.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(-?\d{1,3}(?:[.,\u{a0} ]\d{3})+|-?\d+)([.,]\d+)?\s*(%)?").expect("static regex")
});

/// The figures on a page and the percentages among them.
pub fn figures(text: &str) -> (usize, Vec<f64>) {
    let mut n = 0;
    let mut percents = Vec::new();
    for c in FIGURE.captures_iter(text) {
        n += 1;
        if c.get(3).is_some() {
            let int: String = c[1]
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '-')
                .collect();
            let frac = c
                .get(2)
                .map_or(String::new(), |f| f.as_str()[1..].to_string());
            if let Ok(v) = format!("{int}.{}", if frac.is_empty() { "0" } else { &frac }).parse() {
                percents.push(v);
            }
        }
    }
    (n, percents)
}

/// PL1-8: the statistics page shows figures, and every percentage is within 0–100.
pub fn statistics_sane(min_numbers: u32, synonyms: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Trang thống kê có ít nhất {min_numbers} số liệu; mọi tỷ lệ phần trăm trong khoảng 0–100"
        ),
        format!(
            "the statistics page shows at least {min_numbers} figures; every percentage within 0–100"
        ),
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let Some(page) = function_page(obs, "statistics", synonyms) else {
        return Outcome::fail(
            expected,
            Text::new("Không tìm thấy trang thống kê", "no statistics page found"),
            Text::new(
                "Không tìm thấy trang thống kê (khai báo `[functions] statistics`)",
                "no statistics page found (declare `[functions] statistics`)",
            ),
        );
    };
    let evidence = [EvidenceRef::url("statistics", &page.url)];
    let Some(h) = page.fetch.html.as_ref().filter(|_| ok_status(page)) else {
        return Outcome::fail(
            expected,
            tr!(
                "{}: HTTP {}",
                "{}: HTTP {}",
                short(&page.url, obs),
                page.fetch.status.map_or("—".into(), |s| s.to_string())
            ),
            Text::new(
                "Trang thống kê không hoạt động",
                "the statistics page does not work",
            ),
        )
        .with_evidence(evidence);
    };
    let text = h.main.as_ref().map_or(h.text.as_str(), |m| m.text.as_str());
    let (n, percents) = figures(text);
    let bad: Vec<String> = percents
        .iter()
        .filter(|p| !(0.0..=100.0).contains(*p))
        .map(|p| format!("{p}%"))
        .collect();
    let observed = Text::new(
        format!("{n} số liệu, {} tỷ lệ phần trăm", percents.len()),
        format!("{n} figures, {} percentages", percents.len()),
    );
    if n < min_numbers as usize {
        return Outcome::fail(
            expected,
            observed,
            tr!(
                "Trang thống kê không có số liệu",
                "the statistics page shows no figures"
            ),
        )
        .with_evidence(evidence);
    }
    Outcome::either(
        bad.is_empty(),
        expected,
        observed,
        Text::new("Số liệu thống kê hợp lý", "statistics are plausible"),
        tr!(
            "Tỷ lệ phần trăm ngoài khoảng 0–100: {}",
            "percentages outside 0–100: {}",
            list(&bad, 5)
        ),
    )
    .with_evidence(evidence)
}

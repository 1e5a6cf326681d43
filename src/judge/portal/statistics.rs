//! PL1-8: the statistics page shows labelled figures — received, resolved, on time, overdue,
//! shares — that are plausible (shares within 0–100, counts whole) and consistent (resolved ≤
//! received). Any three numbers are not statistics: dates and phone numbers do not count.

use super::figures::{Found, labelled};
use super::{function_page, ok_status};
use crate::checklist::check::Figure;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// A share is a per-cent figure: 0–100 by definition, not a threshold.
const PERCENT: std::ops::RangeInclusive<f64> = 0.0..=100.0;

/// The `statistics-sane` check spec.
pub struct StatisticsSpec<'a> {
    /// Least number of distinct labelled figures.
    pub min_figures: u32,
    /// The figures looked for.
    pub figures: &'a [Figure],
    /// Most characters between a label and its figure in running text.
    pub label_window: u32,
    /// Link texts of the statistics page.
    pub synonyms: &'a [String],
}

fn shown(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{n:.0}")
    } else {
        format!("{n}")
    }
}

/// PL1-8: at least `min-figures` distinct labelled figures; shares within 0–100; counts whole;
/// each figure at most the ones its spec names (`at-most`).
pub fn statistics_sane(spec: &StatisticsSpec<'_>, obs: &Observations) -> Outcome {
    let min = spec.min_figures;
    let names: Vec<&str> = spec.figures.iter().map(|f| f.name.as_str()).collect();
    let expected = Text::new(
        format!(
            "Trang thống kê có ít nhất {min} số liệu có nhãn ({}); tỷ lệ trong khoảng 0–100, số hồ sơ là số nguyên, đã giải quyết ≤ tiếp nhận",
            names.join(", ")
        ),
        format!(
            "the statistics page shows at least {min} labelled figures ({}); shares within 0–100, counts whole, resolved ≤ received",
            names.join(", ")
        ),
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let Some(page) = function_page(obs, "statistics", spec.synonyms) else {
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
    // The first reading of each figure counts (tables before running text).
    let mut found: Vec<Found<'_>> = Vec::new();
    for f in labelled(h, spec.figures, spec.label_window as usize) {
        if !found.iter().any(|g| g.figure.name == f.figure.name) {
            found.push(f);
        }
    }
    let seen: Vec<String> = found
        .iter()
        .map(|f| {
            format!(
                "{} = {}{}",
                f.figure.name,
                shown(f.number.value),
                if f.number.percent { "%" } else { "" }
            )
        })
        .collect();
    let observed = if seen.is_empty() {
        Text::new(
            format!("{}: không có số liệu có nhãn", short(&page.url, obs)),
            format!("{}: no labelled figure", short(&page.url, obs)),
        )
    } else {
        Text::same(format!("{}: {}", short(&page.url, obs), seen.join(", ")))
    };
    if found.len() < min as usize {
        return Outcome::fail(
            expected,
            observed,
            tr!(
                "Trang thống kê chỉ có {} số liệu có nhãn (cần ≥ {min}; ngày tháng, số điện thoại không tính)",
                "the statistics page shows only {} labelled figures (needs ≥ {min}; dates and phone numbers do not count)",
                found.len()
            ),
        )
        .with_evidence(evidence);
    }
    let mut problems = Vec::new();
    for f in &found {
        let (v, name) = (f.number.value, &f.figure.name);
        if f.figure.share && !PERCENT.contains(&v) {
            problems.push(format!("{name} = {}% outside 0–100", shown(v)));
        }
        if !f.figure.share && !f.number.whole {
            problems.push(format!("{name} = {} is not a whole count", shown(v)));
        }
        for bound in &f.figure.at_most {
            if let Some(b) = found.iter().find(|g| g.figure.name == *bound)
                && v > b.number.value
            {
                problems.push(format!(
                    "{name} {} > {bound} {}",
                    shown(v),
                    shown(b.number.value)
                ));
            }
        }
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new(
            "Số liệu thống kê có nhãn, hợp lý và nhất quán",
            "statistics are labelled, plausible and consistent",
        ),
        tr!(
            "Số liệu thống kê không hợp lý: {}",
            "implausible statistics: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

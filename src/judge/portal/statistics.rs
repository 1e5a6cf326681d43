//! PL1-8: the statistics page shows labelled figures — received, resolved, on time, overdue,
//! shares — that are plausible (shares within 0–100, counts whole) and consistent (resolved ≤
//! received). Any three numbers are not statistics: dates and phone numbers do not count.

use super::figures::{Found, labelled};
use super::{function_page, ok_status};
use crate::checklist::check::Figure;
use crate::evaluation::{EvidenceRef, Status};
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
    let Some(h) = obs.facts(page).filter(|_| ok_status(page)) else {
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
    if found.is_empty() && h.resources.iter().any(|r| r.kind == "script") {
        // Nothing labelled in the HTML, but the page runs scripts: the figures may be drawn by
        // JavaScript (a chart filled from an API). Only the rendered page can tell.
        return Outcome::new(
            Status::Pending,
            expected,
            observed,
            Text::new(
                "Không thấy số liệu trong HTML; trang dùng JavaScript nên có thể vẽ số liệu khi hiển thị — cần kiểm tra trên trình duyệt",
                "no figure in the HTML; the page runs scripts that may draw them — needs the browser probe",
            ),
        )
        .with_evidence(evidence);
    }
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

#[cfg(test)]
mod tests {

    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    fn stats(body: &str) -> crate::observation::Observations {
        let mut o = portal(vec![html_page(
            &format!("{BASE}thong-ke"),
            Role::Crawled,
            200,
            &format!("<html><body><main>{body}</main></body></html>"),
        )]);
        o.functions = vec![("statistics".into(), format!("{BASE}thong-ke"))];
        o
    }

    /// A statistics table with a date and a hotline beside it, as portals show them.
    fn table(received: &str, resolved: &str, rate: &str) -> String {
        format!(
            "<h1>Thống kê tình hình xử lý hồ sơ năm 2026</h1><p>Số liệu cập nhật đến ngày 30/06/2026. Đường dây nóng: 1900 1234.</p>\
         <table><thead><tr><th>Tiếp nhận</th><th>Đã giải quyết</th><th>Đúng hạn</th><th>Tỷ lệ đúng hạn</th><th>Hồ sơ trực tuyến</th></tr></thead>\
         <tbody><tr><td>{received}</td><td>{resolved}</td><td>119.844</td><td>{rate}</td><td>87,2%</td></tr></tbody></table>"
        )
    }

    #[test]
    fn pl1_8_labelled_plausible_consistent_figures_pass() {
        let v = verdict("PL1-8", &stats(&table("128.450", "121.306", "98,8%")));
        assert_eq!(
            v.status,
            Status::Pass,
            "{} — {}",
            v.message.en,
            v.observed.en
        );
        assert!(
            v.observed.en.contains("received = 128450"),
            "{}",
            v.observed.en
        );
        // Figures in running text and in item blocks count too.
        let text = "<p>Tiếp nhận trong năm: 54.210 hồ sơ; đã giải quyết: 50.002.</p>\
                <div class=stat-item><b>96,5%</b> tỷ lệ đúng hạn</div>";
        let v = verdict("PL1-8", &stats(text));
        assert_eq!(
            v.status,
            Status::Pass,
            "{} — {}",
            v.message.en,
            v.observed.en
        );
    }

    #[test]
    fn pl1_8_a_page_that_draws_its_figures_with_scripts_waits_for_the_browser() {
        let body =
            "<h1>Thống kê</h1><div id=chart-tiep-nhan></div><script src=/js/thongke.js></script>";
        let v = verdict("PL1-8", &stats(body));
        assert_eq!(v.status, Status::Pending, "{}", v.message.en);
        assert!(v.message.en.contains("browser"), "{}", v.message.en);
        // Scripts do not excuse figures that are there and wrong.
        let wrong = format!(
            "{}<script src=/js/x.js></script>",
            table("100", "120", "95%")
        );
        assert_eq!(verdict("PL1-8", &stats(&wrong)).status, Status::Fail);
    }

    #[test]
    fn pl1_8_dates_years_and_a_hotline_are_not_statistics() {
        let body = "<h1>Thống kê năm 2026</h1><p>Cập nhật ngày 30/06/2026 lúc 08:30. Đường dây nóng: 1900 1234. Liên hệ 0210 3888 888.</p>";
        let v = verdict("PL1-8", &stats(body));
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(
            v.observed.en.contains("no labelled figure"),
            "{}",
            v.observed.en
        );
    }

    #[test]
    fn pl1_8_share_over_100_or_resolved_over_received_fails() {
        let v = verdict("PL1-8", &stats(&table("128.450", "121.306", "112,5%")));
        assert_eq!(v.status, Status::Fail);
        assert!(v.message.en.contains("outside 0–100"), "{}", v.message.en);
        let v = verdict("PL1-8", &stats(&table("128.450", "130.000", "98,8%")));
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message.en.contains("resolved 130000 > received 128450"),
            "{}",
            v.message.en
        );
    }
}

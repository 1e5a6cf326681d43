//! What each check needs from the observations, by observation format version
//! ([`crate::observation::OBSERVATIONS_VERSION`]). `rejudge` of observations written before a
//! probe recorded a fact gives `error` ("observations from kiemdinh X lack Y; assess again")
//! for the checks that rely on it — never a confident `fail` on missing data.

use crate::checklist::threshold::kind_of;
use crate::checklist::{Check, Requirement};
use crate::evaluation::Status;
use crate::observation::{BrowserStatus, Observations};
use crate::text::Text;

use super::{Outcome, supplied};

/// (check kind, first observation version that records what it needs, what that is in
/// Vietnamese and English).
const INTRODUCED: &[(&str, u32, &str, &str)] = &[
    (
        "flow",
        4,
        "các hành trình của người dân trên trình duyệt",
        "the citizen journeys in the browser",
    ),
    (
        "other-browsers",
        4,
        "kiểm tra trên trình duyệt khác",
        "the other-browser check",
    ),
    (
        "regions-present",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "region-consistent",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "header-banner",
        2,
        "mô tả hình ảnh ở đầu trang (alt, tên tệp, kích thước)",
        "image descriptions (alt, file name, size) in the header",
    ),
    (
        "menu-items",
        2,
        "các danh sách liên kết có thể là menu chính",
        "the candidate menus of the page",
    ),
    (
        "footer-fields",
        2,
        "các phần trang nhận theo vai trò ARIA và quy ước id/class của giao diện",
        "regions found by ARIA role and id/class conventions",
    ),
    (
        "home-links",
        2,
        "văn bản chuẩn hóa Unicode NFC",
        "text in Unicode NFC",
    ),
    (
        "emc-embed",
        2,
        "mã EMC trong các tệp script cùng tên miền",
        "EMC snippets in same-host script files",
    ),
    (
        "emc-consistent",
        2,
        "mã EMC trong các tệp script cùng tên miền",
        "EMC snippets in same-host script files",
    ),
    (
        "statistics-sane",
        2,
        "các dòng bảng và trường có nhãn của trang thống kê",
        "the table rows and labelled fields of the statistics page",
    ),
    (
        "catalogue",
        2,
        "các dòng của trang danh mục thủ tục",
        "the rows of the catalogue page",
    ),
    (
        "search-answers",
        2,
        "tìm kiếm theo từ trong danh mục và theo tiêu chí của biểu mẫu tìm kiếm",
        "searches for catalogue words and by a criterion of the search form",
    ),
    (
        "functions-present",
        2,
        "biểu mẫu và danh sách của các trang chức năng",
        "the forms and lists of function pages",
    ),
];

/// First observation version with the browser probe.
const BROWSER_VERSION: u32 = 3;

/// A browser check's outcome made honest about the browser run: `skipped` with the reason
/// when the browser was not run on purpose (`--no-browser`), `error` with the reason when it
/// could not run, `pending` when the observations record no browser run and no browser fact
/// (what a run without the browser probe leaves) or predate the browser probe (format < 3:
/// pending with "assess again", as page-load metrics always were — never a new `error`). Evidence or an attestation supplied for
/// the requirement stands whenever the browser did not run.
pub(crate) fn browser_gate(
    req: &Requirement,
    check: &Check,
    outcome: Outcome,
    obs: &Observations,
) -> Outcome {
    if !check.needs_browser() || outcome.status == Status::Attested {
        return outcome;
    }
    let Some(run) = obs.browser.as_ref() else {
        let older = obs.version < BROWSER_VERSION;
        if obs.rendered.is_empty() && obs.page_metrics.is_empty() {
            let message = if older {
                let m = message(&Text::new("lần chạy trình duyệt", "a browser run"), obs);
                Text::new(
                    format!("{}; hoặc chờ minh chứng của đơn vị đánh giá", m.vi),
                    format!("{}, or supply evidence", m.en),
                )
            } else {
                Text::new(
                    "Chưa có lần chạy trình duyệt nào; chờ trình duyệt hoặc minh chứng của đơn vị đánh giá",
                    "no browser run recorded; awaiting the browser probe or the evaluator's evidence",
                )
            };
            return supplied(req, &outcome.expected, obs).unwrap_or_else(|| {
                Outcome::new(
                    Status::Pending,
                    outcome.expected,
                    Text::new("Chưa đo tự động", "not measured automatically"),
                    message,
                )
            });
        }
        return outcome;
    };
    let reason = run.reason.as_deref().unwrap_or("no reason recorded");
    let status = match run.status {
        BrowserStatus::Ran => return outcome,
        BrowserStatus::Skipped => Status::Skipped,
        BrowserStatus::Failed => Status::Error,
    };
    if let Some(attested) = supplied(req, &outcome.expected, obs) {
        return attested;
    }
    if status == Status::Skipped {
        Outcome::new(
            Status::Skipped,
            outcome.expected,
            Text::new("Không chạy trình duyệt", "no browser run"),
            Text::new(
                // The status label ("Bỏ qua") is shown beside it: the message does not repeat it.
                format!("Không chạy trình duyệt ({reason})"),
                format!("the browser was not run ({reason})"),
            ),
        )
    } else {
        Outcome::new(
            Status::Error,
            outcome.expected,
            Text::new("Trình duyệt không chạy được", "the browser could not run"),
            Text::new(
                format!("Không chạy được trình duyệt: {reason}"),
                format!("the browser could not run: {reason}"),
            ),
        )
    }
}

/// The fact a check needs that these observations lack, if any.
pub fn lacking(check: &Check, obs: &Observations) -> Option<Text> {
    let kind = kind_of(check);
    INTRODUCED
        .iter()
        .find(|(k, v, _, _)| *k == kind && obs.version < *v)
        .map(|(_, _, vi, en)| Text::new(*vi, *en))
}

/// The message of the `error` verdict for observations that lack `fact`.
pub fn message(fact: &Text, obs: &Observations) -> Text {
    let (tool_vi, tool_en) = if obs.tool_version.is_empty() {
        (
            "phiên bản kiemdinh cũ".to_string(),
            "an older kiemdinh".to_string(),
        )
    } else {
        let t = format!("kiemdinh {}", obs.tool_version);
        (t.clone(), t)
    };
    let v = obs.version;
    Text::new(
        format!(
            "Dữ liệu quan sát của {tool_vi} (định dạng {v}) thiếu: {}; cần đánh giá lại cổng",
            fact.vi
        ),
        format!(
            "observations from {tool_en} (format {v}) lack {}; assess again",
            fact.en
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::checklist::check::{PageMetric, RegionName};

    #[test]
    fn old_observations_lack_what_new_judges_need() {
        let check = Check::RegionConsistent {
            region: RegionName::Header,
            ignore: Vec::new(),
            session_params: Vec::new(),
        };
        let mut obs = Observations {
            version: 1,
            tool_version: "0.1.0".into(),
            ..Observations::default()
        };
        let fact = lacking(&check, &obs).expect("version 1 lacks it");
        let m = message(&fact, &obs);
        assert!(m.en.contains("kiemdinh 0.1.0 (format 1) lack"), "{}", m.en);
        assert!(m.vi.contains("các phần trang"), "{}", m.vi);
        obs.version = crate::observation::OBSERVATIONS_VERSION;
        assert_eq!(lacking(&check, &obs), None);
        assert_eq!(
            lacking(&Check::HttpsRedirect {}, &Observations::default()),
            None
        );
    }

    #[test]
    fn browser_checks_of_format_2_observations_are_pending_and_say_assess_again() {
        let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
        let obs = Observations {
            version: 2,
            tool_version: "0.2.0".into(),
            ..Observations::default()
        };
        let cls = Check::LayoutStability { max_cls: 0.1 };
        assert_eq!(
            lacking(&cls, &obs),
            None,
            "no error for a probe that did not exist"
        );
        let out = browser_gate(
            c.get("D4-1").unwrap(),
            &cls,
            Outcome::error(Text::same("x"), Text::same("no page timed")),
            &obs,
        );
        assert_eq!(out.status, Status::Pending);
        assert!(
            out.message
                .en
                .contains("kiemdinh 0.2.0 (format 2) lack a browser run; assess again"),
            "{}",
            out.message.en
        );
        let lcp = Check::PageMetric {
            metric: PageMetric::Lcp,
            max_ms: 2500.0,
        };
        assert!(lcp.needs_browser());
        let ttfb = Check::PageMetric {
            metric: PageMetric::Ttfb,
            max_ms: 800.0,
        };
        assert!(!ttfb.needs_browser());
    }

    fn run(status: BrowserStatus, reason: &str) -> Observations {
        Observations {
            version: 3,
            browser: Some(crate::observation::BrowserRun {
                status,
                reason: Some(reason.into()),
                browser_version: None,
                webdriver: None,
                profile: crate::observation::ThrottlingProfile::Mobile,
                runs: 3,
                timed_pages: Vec::new(),
                rendered_pages: 0,
                not_rendered: 0,
                filmstrip: None,
            }),
            ..Observations::default()
        }
    }

    #[test]
    fn a_skipped_browser_skips_browser_checks_and_a_failed_one_errors_them() {
        let check = Check::MobileViewport {
            width_px: 360,
            overflow_tolerance_px: 1,
            require_device_width: true,
        };
        let pending = || {
            Outcome::new(
                Status::Error,
                Text::same("x"),
                Text::same("y"),
                Text::same("no rendered page"),
            )
        };
        let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
        let req = c.get("PL8-4").unwrap();
        let skipped = browser_gate(
            req,
            &check,
            pending(),
            &run(BrowserStatus::Skipped, "--no-browser"),
        );
        assert_eq!(skipped.status, Status::Skipped);
        assert!(
            skipped.message.en.contains("(--no-browser)"),
            "{}",
            skipped.message.en
        );
        assert!(
            skipped
                .message
                .vi
                .contains("Không chạy trình duyệt (--no-browser)")
        );
        let failed = browser_gate(
            req,
            &check,
            pending(),
            &run(BrowserStatus::Failed, "chromium not installed"),
        );
        assert_eq!(failed.status, Status::Error);
        assert!(failed.message.en.contains("chromium not installed"));
        // TTFB comes from the HTTP probe: not skipped.
        let ttfb = Check::PageMetric {
            metric: PageMetric::Ttfb,
            max_ms: 800.0,
        };
        let out = browser_gate(
            req,
            &ttfb,
            Outcome::pass(Text::same("a"), Text::same("b"), Text::same("c")),
            &run(BrowserStatus::Skipped, "--no-browser"),
        );
        assert_eq!(out.status, Status::Pass);
        // Without a browser record or any browser fact: pending, as before the probe.
        let v3 = Observations {
            version: 3,
            ..Observations::default()
        };
        let out = browser_gate(req, &check, pending(), &v3);
        assert_eq!(out.status, Status::Pending);
        assert!(out.message.en.contains("no browser run recorded"));
        // Evidence supplied stands when the browser did not run.
        let mut skipped_with_evidence = run(BrowserStatus::Skipped, "--no-browser");
        skipped_with_evidence.attestations = vec![crate::observation::Attestation {
            requirement: "PL8-4".into(),
            statement: "tested on phones".into(),
            by: "owner".into(),
            date: "2026-11-01".into(),
        }];
        let out = browser_gate(req, &check, pending(), &skipped_with_evidence);
        assert_eq!(out.status, Status::Attested);
    }
}

//! The report's security-score section: the MDN-HTTP-Observatory-compatible score and grade,
//! and each test's result and contribution, in the report's language.

use serde::Serialize;

use crate::evaluation::Evaluation;
use crate::evaluation::security::Observatory;
use crate::text::{Lang, Text};

/// The section, ready for the template.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityView {
    /// Heading.
    pub title: String,
    /// What the score is and how it is made.
    pub intro: String,
    /// "Score" label.
    pub score_label: String,
    /// Final score.
    pub score: i32,
    /// Letter grade.
    pub grade: String,
    /// Whether the bonuses were counted, in words.
    pub bonus_note: String,
    /// Column headings: test, result, passed, contribution.
    pub columns: [String; 4],
    /// One row per test, in Observatory's order.
    pub rows: Vec<SecurityRow>,
}

/// One Observatory test.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityRow {
    /// Observatory's test name.
    pub name: String,
    /// What it checks, in the report's language.
    pub title: String,
    /// Observatory's result code.
    pub result: String,
    /// "yes"/"no" in the report's language.
    pub pass: String,
    /// Whether it passed (for styling).
    pub passed: bool,
    /// Signed contribution (`+5`, `−20`, `0`).
    pub modifier: String,
}

fn title(name: &str) -> Text {
    let (vi, en) = match name {
        "content-security-policy" => (
            "Chính sách bảo mật nội dung (CSP)",
            "Content Security Policy",
        ),
        "cookies" => ("Cookie", "Cookies"),
        "cross-origin-resource-sharing" => (
            "Chia sẻ tài nguyên khác nguồn (CORS)",
            "Cross-origin resource sharing (CORS)",
        ),
        "redirection" => ("Chuyển hướng HTTP → HTTPS", "HTTP → HTTPS redirection"),
        "referrer-policy" => ("Referrer-Policy", "Referrer policy"),
        "strict-transport-security" => ("HSTS", "Strict Transport Security (HSTS)"),
        "subresource-integrity" => ("Toàn vẹn tài nguyên con (SRI)", "Subresource Integrity"),
        "x-content-type-options" => ("X-Content-Type-Options", "X-Content-Type-Options"),
        "x-frame-options" => (
            "Chống nhúng khung (X-Frame-Options / frame-ancestors)",
            "Framing (X-Frame-Options / frame-ancestors)",
        ),
        "cross-origin-resource-policy" => (
            "Cross-Origin-Resource-Policy",
            "Cross-Origin-Resource-Policy",
        ),
        other => (other, other),
    };
    Text::new(vi, en)
}

fn signed(m: i32) -> String {
    match m {
        0 => "0".into(),
        m if m > 0 => format!("+{m}"),
        m => format!("−{}", m.unsigned_abs()),
    }
}

/// Builds the section; `None` when no score was computed.
pub fn build(e: &Evaluation, lang: Lang) -> Option<SecurityView> {
    let o: &Observatory = e.security.as_ref()?.observatory.as_ref()?;
    let t = |vi: &str, en: &str| Text::new(vi, en).get(lang).to_string();
    let penalties: i32 = 100 + o.tests.iter().map(|t| t.score_modifier.min(0)).sum::<i32>();
    let bonus_note =
        if penalties >= crate::judge::security::observatory::MINIMUM_SCORE_FOR_EXTRA_CREDIT {
            t(
                "Điểm sau khi trừ ≥ 90 nên các điểm cộng được tính.",
                "The score after penalties is at least 90, so the bonuses count.",
            )
        } else {
            format!(
                "{} {penalties}.",
                t(
                    "Điểm cộng chỉ được tính khi điểm sau khi trừ ≥ 90; ở đây là",
                    "Bonuses count only when the score after penalties is at least 90; here it is",
                )
            )
        };
    Some(SecurityView {
        title: t(
            "Điểm bảo mật kiểu MDN HTTP Observatory",
            "MDN HTTP Observatory-style security score",
        ),
        intro: t(
            "Tính từ các tiêu đề, cookie, chuyển hướng và một yêu cầu CORS preflight của trang chủ, theo đúng cách MDN HTTP Observatory 1.4.8 tính: bắt đầu từ 100, cộng điểm của từng phép thử.",
            "Computed from the home page's headers, cookies, redirect and one CORS preflight, the way MDN HTTP Observatory 1.4.8 computes it: start at 100, add each test's modifier.",
        ),
        score_label: t("Điểm", "Score"),
        score: o.score,
        grade: o.grade.clone(),
        bonus_note,
        columns: [
            t("Phép thử", "Test"),
            t("Kết quả", "Result"),
            t("Đạt", "Passed"),
            t("Đóng góp", "Contribution"),
        ],
        rows: o
            .tests
            .iter()
            .map(|x| SecurityRow {
                name: x.name.clone(),
                title: title(&x.name).get(lang).to_string(),
                result: x.result.clone(),
                pass: if x.pass {
                    t("có", "yes")
                } else {
                    t("không", "no")
                },
                passed: x.pass,
                modifier: signed(x.score_modifier),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::security::{ObservatoryTest, Security};

    fn evaluation(tests: &[(&str, &str, bool, i32)], score: i32) -> Evaluation {
        let mut e = Evaluation::new(
            crate::evaluation::PortalInfo {
                name: "Cổng Mẫu".into(),
                organisation: "UBND tỉnh Mẫu".into(),
                organisation_kind: "province".into(),
                vendor: None,
                evaluator: None,
                base_url: "https://dvc.mau.gov.vn/".into(),
                public_host: "dvc.mau.gov.vn".into(),
            },
            &[],
            Vec::new(),
            crate::observation::Observations::default(),
            crate::evaluation::FailOn::Mandatory,
            "2026-11-29T08:05:00Z".into(),
        );
        e.security = Some(Security {
            observatory: Some(Observatory {
                score,
                grade: crate::judge::security::observatory::grade(score).into(),
                tests: tests
                    .iter()
                    .map(|(n, r, p, m)| ObservatoryTest {
                        name: (*n).into(),
                        result: (*r).into(),
                        pass: *p,
                        score_modifier: *m,
                    })
                    .collect(),
            }),
            tls: None,
        });
        e
    }

    const TESTS: &[(&str, &str, bool, i32)] = &[
        (
            "content-security-policy",
            "csp-implemented-with-unsafe-inline",
            false,
            -20,
        ),
        (
            "cookies",
            "cookies-secure-with-httponly-sessions-and-samesite",
            true,
            5,
        ),
        (
            "strict-transport-security",
            "hsts-implemented-max-age-at-least-six-months",
            true,
            0,
        ),
    ];

    #[test]
    fn the_section_in_both_languages() {
        let e = evaluation(TESTS, 80);
        let vi = build(&e, Lang::Vi).unwrap();
        let en = build(&e, Lang::En).unwrap();
        insta::assert_snapshot!("security-section", format!("{vi:#?}\n{en:#?}"));
        assert_eq!(en.rows[0].modifier, "−20");
        assert_eq!(en.rows[1].modifier, "+5");
        assert!(en.bonus_note.contains("here it is 80"), "{}", en.bonus_note);
        let html = crate::report::html(&e, Lang::En).unwrap();
        assert!(
            html.contains("id=\"security-score\""),
            "the partial is in report.html"
        );
        assert!(html.contains("csp-implemented-with-unsafe-inline"));
    }

    #[test]
    fn no_score_no_section() {
        let mut e = evaluation(TESTS, 80);
        e.security = None;
        assert!(build(&e, Lang::En).is_none());
        let html = crate::report::html(&e, Lang::En).unwrap();
        assert!(!html.contains("id=\"security-score\""));
    }
}

//! What the portal's widgets answer (PL1-7, PL1-9): the rating form's POST (the page's script
//! sends it with `fetch`; without script it answers a thank-you page) and the virtual
//! assistant's answers (JSON, by keyword); and the page scripts, served as same-origin files
//! so they run under the CSP (`/assets/js/*.js`, decomposed in the decomposed theme).
//!
//! Defects: `rating-broken` (the POST answers 500), `chatbot-silent` (the answer endpoint
//! answers 204).

use std::collections::HashMap;

use axum::Form;
use axum::extract::{Path, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::functions::rating_form;
use super::{St, not_found};
use crate::demo::State;
use crate::demo::Theme;
use crate::demo::layout::{decompose, simple};
use crate::unicode::contains_folded;

/// The message of a rating sent without a level.
pub(in crate::demo) const RATING_MISSING: &str = "Vui lòng chọn mức độ hài lòng";

/// The page scripts: (file name, source).
const SCRIPTS: &[(&str, &str)] = &[
    ("ho-so.js", include_str!("../assets/js/ho-so.js")),
    ("kiem-tra.js", include_str!("../assets/js/kiem-tra.js")),
    ("thanh-toan.js", include_str!("../assets/js/thanh-toan.js")),
    ("danh-gia.js", include_str!("../assets/js/danh-gia.js")),
    ("tro-ly-ao.js", include_str!("../assets/js/tro-ly-ao.js")),
];

/// `GET /assets/js/{file}`: a page script.
pub(in crate::demo) async fn script(
    AxState(st): AxState<St>,
    Path(file): Path<String>,
) -> Response {
    let Some((_, js)) = SCRIPTS.iter().find(|(n, _)| *n == file) else {
        return not_found(&st);
    };
    let js = if st.theme == Theme::Decomposed {
        decompose(js)
    } else {
        (*js).to_string()
    };
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        js,
    )
        .into_response()
}

/// `POST /danh-gia`: a level from 1 to 4 is required (422 with the form and its message);
/// then a thank-you page. `rating-broken` answers 500.
pub(in crate::demo) async fn rate(
    AxState(st): AxState<St>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    if st.defects.has("no-rating") {
        return not_found(&st);
    }
    if st.defects.has("rating-broken") {
        let mut r = simple(
            &st,
            "/danh-gia",
            "Đánh giá",
            "<h1>Đánh giá mức độ hài lòng</h1><p class=\"loi\">Hệ thống đang bận, không ghi nhận được đánh giá.</p>",
        );
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        return r;
    }
    let level = f.get("muc-do").map(|v| v.trim());
    if !matches!(level, Some("1" | "2" | "3" | "4")) {
        let mut r = simple(
            &st,
            "/danh-gia",
            "Đánh giá",
            &format!(
                "<h1>Đánh giá mức độ hài lòng</h1>{}",
                rating_form(Some(RATING_MISSING))
            ),
        );
        *r.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return r;
    }
    simple(
        &st,
        "/danh-gia",
        "Đánh giá",
        "<h1>Đánh giá mức độ hài lòng</h1><p role=\"status\" class=\"cam-on\">Cảm ơn bạn đã đánh giá!</p><p><a href=\"/\">Về trang chủ</a></p>",
    )
}

/// The assistant's answer to a question, by keyword (written without marks, so a question
/// matches with or without them, in any case); else a
/// pointer to the procedure catalogue.
pub(in crate::demo) fn reply(st: &State, question: &str) -> String {
    if contains_folded(question, "khai sinh") {
        let birth = st
            .procedures
            .iter()
            .find(|p| contains_folded(p.name, "khai sinh"));
        return match birth {
            Some(p) => format!(
                "Thủ tục {} (mã {}) do {} giải quyết trong {} ngày làm việc. Bạn có thể nộp hồ sơ đăng ký khai sinh trực tuyến tại trang /nop-ho-so/{}.",
                p.name, p.code, p.agency, p.days, p.code
            ),
            None => "Thủ tục đăng ký khai sinh được giải quyết tại Ủy ban nhân dân cấp xã.".into(),
        };
    }
    if contains_folded(question, "tra cuu") {
        return "Để tra cứu tình trạng hồ sơ, nhập mã hồ sơ ghi trên giấy tiếp nhận tại trang Tra cứu hồ sơ (/tra-cuu-ho-so).".into();
    }
    if contains_folded(question, "le phi") || contains_folded(question, "thanh toan") {
        return "Phí, lệ phí được thanh toán trực tuyến qua Nền tảng thanh toán của Cổng Dịch vụ công quốc gia sau khi nộp hồ sơ.".into();
    }
    if contains_folded(question, "dang nhap") || contains_folded(question, "vneid") {
        return "Bạn đăng nhập bằng tài khoản định danh điện tử VNeID tại trang Đăng nhập (/dang-nhap).".into();
    }
    "Xin lỗi, tôi chưa có câu trả lời cho câu hỏi này. Bạn có thể tìm thủ tục trong Danh mục thủ tục hành chính (/thu-tuc/) hoặc gọi tổng đài 1900 0000.".into()
}

/// `GET /tro-ly-ao/hoi?cau-hoi=…`: `{"tra-loi": …}`; 400 without a question; 204 with
/// `chatbot-silent`.
pub(in crate::demo) async fn answer(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if st.defects.has("no-chatbot") {
        return not_found(&st);
    }
    if st.defects.has("chatbot-silent") {
        return StatusCode::NO_CONTENT.into_response();
    }
    let question = q.get("cau-hoi").map_or("", |s| s.trim());
    let (status, body) = if question.is_empty() {
        (
            StatusCode::BAD_REQUEST,
            serde_json::json!({ "loi": "Vui lòng nhập câu hỏi" }),
        )
    } else {
        let mut text = reply(&st, question);
        if st.theme == Theme::Decomposed {
            text = decompose(&text);
        }
        (StatusCode::OK, serde_json::json!({ "tra-loi": text }))
    };
    (
        status,
        [(header::CONTENT_TYPE, "application/json; charset=utf-8")],
        body.to_string(),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_follow_keywords_whatever_the_accents() {
        let st = crate::demo::tests::state(Theme::Semantic, &[]);
        let birth = reply(&st, "Làm giấy KHAI SINH cho con thế nào?");
        assert!(
            birth.contains("khai sinh") && birth.contains("1.003"),
            "{birth}"
        );
        assert!(reply(&st, "tra cuu ho so").contains("/tra-cuu-ho-so"));
        assert!(reply(&st, "Lệ phí bao nhiêu?").contains("thanh toán"));
        assert!(reply(&st, "đăng nhập ở đâu").contains("VNeID"));
        let other = reply(&st, "Thời tiết hôm nay?");
        assert!(
            other.contains("Danh mục thủ tục hành chính (/thu-tuc/)"),
            "{other}"
        );
        assert!(!other.contains("khai sinh"));
        assert!(
            crate::demo::content::procedures()
                .iter()
                .any(|p| p.name.contains("khai sinh"))
        );
    }

    #[test]
    fn every_script_is_strict_and_cannot_end_a_script_element() {
        for (name, js) in SCRIPTS {
            assert_eq!(std::path::Path::new(name).extension().unwrap(), "js");
            assert!(js.contains("'use strict'"), "{name}");
            assert!(!js.contains("</script"), "{name}");
        }
    }
}

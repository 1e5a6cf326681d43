//! The portal's functions (PL1-5 … PL1-9, PL3-7): complaints (delegated to DVCQG), the rating
//! widget, the statistics page, the survey, the guides, the FAQ, the virtual assistant, the
//! contact page and both site maps. Each page holds its function, not only a title.

use std::collections::HashMap;
use std::fmt::Write;

use axum::extract::{Path, Query, State as AxState};
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{St, not_found};
use crate::demo::content::{self, esc};
use crate::demo::layout::{MENU, Opts, page, simple};

/// The user guides: (slug, title, steps).
const GUIDES: &[(&str, &str, &[&str])] = &[
    (
        "dang-ky-tai-khoan",
        "Hướng dẫn đăng ký, đăng nhập bằng tài khoản VNeID",
        &[
            "Cài đặt ứng dụng VNeID và kích hoạt tài khoản định danh điện tử mức 2.",
            "Chọn \"Đăng nhập\" trên Cổng, chọn \"Tài khoản định danh điện tử\".",
            "Xác thực trên ứng dụng VNeID.",
        ],
    ),
    (
        "nop-ho-so-truc-tuyen",
        "Hướng dẫn nộp hồ sơ trực tuyến",
        &[
            "Tìm thủ tục theo tên hoặc lĩnh vực.",
            "Điền tờ khai, đính kèm thành phần hồ sơ.",
            "Nộp hồ sơ và ghi lại mã hồ sơ để tra cứu.",
        ],
    ),
    (
        "thanh-toan-truc-tuyen",
        "Hướng dẫn thanh toán phí, lệ phí trực tuyến",
        &[
            "Chọn hồ sơ cần thanh toán.",
            "Chọn ngân hàng hoặc ví điện tử qua Nền tảng thanh toán của Cổng Dịch vụ công quốc gia.",
            "Nhận biên lai điện tử.",
        ],
    ),
    (
        "tra-cuu-ho-so",
        "Hướng dẫn tra cứu tình trạng hồ sơ",
        &[
            "Mở trang Tra cứu hồ sơ.",
            "Nhập mã hồ sơ ghi trên giấy tiếp nhận.",
        ],
    ),
];

/// The FAQ: (question, answer).
const FAQ: &[(&str, &str)] = &[
    (
        "Làm sao tra cứu hồ sơ?",
        "Nhập mã hồ sơ tại trang Tra cứu hồ sơ.",
    ),
    (
        "Tôi có phải nộp bản giấy sau khi nộp trực tuyến không?",
        "Không, với dịch vụ công trực tuyến toàn trình; với dịch vụ một phần, mang bản chính khi nhận kết quả.",
    ),
    (
        "Thanh toán lệ phí trực tuyến bằng cách nào?",
        "Qua Nền tảng thanh toán trực tuyến của Cổng Dịch vụ công quốc gia.",
    ),
    (
        "Quên mật khẩu tài khoản thì làm thế nào?",
        "Đăng nhập bằng tài khoản định danh điện tử VNeID; Cổng không lưu mật khẩu riêng.",
    ),
];

pub(in crate::demo) async fn complaints(AxState(st): AxState<St>) -> Response {
    // NĐ 224/2026: complaints go to the national system on DVCQG; the portal links to it.
    let target = if st.defects.has("delegation-broken") {
        "https://dichvucong-gov.vn.example.com/p/phananhkiennghi/pakn-gui-phan-anh.html"
    } else {
        content::DVCQG_COMPLAINTS
    };
    simple(
        &st,
        "/phan-anh-kien-nghi",
        "Phản ánh, kiến nghị",
        &format!(
            "<h1>Phản ánh, kiến nghị</h1><p>Phản ánh, kiến nghị về quy định hành chính và việc giải quyết thủ tục hành chính được tiếp nhận trên \
             <a href=\"{target}\">Hệ thống tiếp nhận phản ánh, kiến nghị của Cổng Dịch vụ công quốc gia</a>.</p>"
        ),
    )
}

/// The rating form; with a message (the server's answer to a rating without a level) the
/// level group is marked. The script (`danh-gia.js`) sends it with `fetch` and reports in
/// `#ket-qua-danh-gia`.
pub(in crate::demo) fn rating_form(error: Option<&str>) -> String {
    let error = error.map_or_else(String::new, |e| {
        format!("<p id=\"muc-do-loi\" class=\"thong-bao-loi\" role=\"alert\">{e}</p>")
    });
    format!(
        "<form method=\"post\" action=\"/danh-gia\" class=\"danh-gia\"><label for=\"ma-ho-so\">Mã hồ sơ</label><input id=\"ma-ho-so\" name=\"ma-ho-so\" required>\
         <fieldset class=\"muc-do-hai-long\"><legend>Mức độ hài lòng</legend>{error}\
         <label><input type=\"radio\" name=\"muc-do\" value=\"4\"> Rất hài lòng</label><label><input type=\"radio\" name=\"muc-do\" value=\"3\"> Hài lòng</label>\
         <label><input type=\"radio\" name=\"muc-do\" value=\"2\"> Bình thường</label><label><input type=\"radio\" name=\"muc-do\" value=\"1\"> Không hài lòng</label></fieldset>\
         <label for=\"gop-y\">Góp ý</label><textarea id=\"gop-y\" name=\"gop-y\"></textarea><button type=\"submit\">Gửi đánh giá</button></form>\
         <p id=\"ket-qua-danh-gia\" role=\"status\"></p>"
    )
}

pub(in crate::demo) async fn rating(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-rating") {
        return simple(
            &st,
            "/danh-gia",
            "Đánh giá",
            "<h1>Đánh giá mức độ hài lòng</h1><p>Chức năng đang được nâng cấp.</p>",
        );
    }
    page(
        &st,
        "/danh-gia",
        "Đánh giá",
        &format!("<h1>Đánh giá mức độ hài lòng</h1>{}", rating_form(None)),
        &Opts {
            scripts: &["/assets/js/danh-gia.js"],
            ..Opts::default()
        },
    )
}

/// PL1-8: labelled figures (received, resolved, on time, overdue, rates), consistent with one
/// another, beside a date and a hotline number that are not statistics.
pub(in crate::demo) async fn statistics(AxState(st): AxState<St>) -> Response {
    let chart = if st.defects.has("no-sri") {
        "<script src=\"https://cdn.bieudo.example/chart.min.js\"></script><canvas id=\"bieu-do\"></canvas>"
    } else {
        ""
    };
    // `wide-table`: a fixed 1200 px table, no scroll container (the page scrolls sideways).
    let (open, close) = if st.defects.has("wide-table") {
        ("<table class=\"thong-ke\" width=\"1200\">", "</table>")
    } else {
        (
            "<div class=\"cuon-ngang\"><table class=\"thong-ke\">",
            "</table></div>",
        )
    };
    // 119.844 on time + 1.462 overdue = 121.306 resolved ≤ 128.450 received; 119.844 / 121.306 = 98,8 %.
    let rate = if st.defects.has("stats-over-100") {
        "112,5%"
    } else {
        "98,8%"
    };
    simple(
        &st,
        "/thong-ke",
        "Thống kê",
        &format!(
            "<h1>Thống kê tình hình xử lý hồ sơ năm 2026</h1><p class=\"cap-nhat\">Số liệu cập nhật ngày 28/11/2026, từ 01/01/2026.</p>\
             {open}<tbody>\
             <tr><th>Số hồ sơ tiếp nhận</th><td>128.450</td></tr>\
             <tr><th>Số hồ sơ đã giải quyết</th><td>121.306</td></tr>\
             <tr><th>Giải quyết đúng hạn</th><td>119.844</td></tr>\
             <tr><th>Giải quyết quá hạn</th><td>1.462</td></tr>\
             <tr><th>Tỷ lệ giải quyết đúng hạn</th><td>{rate}</td></tr>\
             <tr><th>Tỷ lệ hồ sơ trực tuyến</th><td>87,2%</td></tr>\
             </tbody>{close}<p class=\"duong-day-nong\">Đường dây nóng hỗ trợ: 0210 3 888 999 (giờ hành chính).</p>{chart}"
        ),
    )
}

pub(in crate::demo) async fn survey(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/khao-sat",
        "Khảo sát ý kiến",
        "<h1>Khảo sát ý kiến người dân, doanh nghiệp</h1><form method=\"post\"><label for=\"y\">Ý kiến của bạn về chất lượng dịch vụ công</label><textarea id=\"y\" name=\"y\"></textarea><button>Gửi ý kiến</button></form>",
    )
}

/// The virtual assistant: its script asks `/tro-ly-ao/hoi` and adds the exchange to the
/// log; without script the form's GET (`?cau-hoi=…`) shows the same exchange server-side
/// (none with `chatbot-silent`).
pub(in crate::demo) async fn chatbot(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if st.defects.has("no-chatbot") {
        return not_found(&st);
    }
    let question = q.get("cau-hoi").map_or("", |s| s.trim());
    let exchange = if question.is_empty() || st.defects.has("chatbot-silent") {
        String::new()
    } else {
        format!(
            "<p class=\"nguoi-dung\">{}</p><p class=\"bot\">{}</p>",
            esc(question),
            esc(&super::widgets::reply(&st, question))
        )
    };
    page(
        &st,
        "/tro-ly-ao",
        "Trợ lý ảo",
        &format!(
            "<h1>Trợ lý ảo</h1><p>Trợ lý ảo trả lời câu hỏi về thủ tục hành chính.</p>\
             <div class=\"chatbot\"><div class=\"chat-log\" aria-live=\"polite\"><p class=\"bot\">Xin chào! Tôi có thể giúp gì cho bạn?</p>{exchange}</div>\
             <form action=\"/tro-ly-ao\" class=\"chat-form\"><label for=\"cau-hoi\">Câu hỏi</label><input id=\"cau-hoi\" name=\"cau-hoi\" placeholder=\"Nhập câu hỏi...\"><button>Hỏi</button></form></div>"
        ),
        &Opts {
            scripts: &["/assets/js/tro-ly-ao.js"],
            ..Opts::default()
        },
    )
}

/// The guide index: a list of guides, each a page of its own.
pub(in crate::demo) async fn guide(AxState(st): AxState<St>) -> Response {
    let items: String = GUIDES
        .iter()
        .map(|(slug, title, _)| format!("<li><a href=\"/huong-dan/{slug}\">{title}</a></li>"))
        .collect();
    simple(
        &st,
        "/huong-dan",
        "Hướng dẫn",
        &format!("<h1>Hướng dẫn sử dụng</h1><ul class=\"danh-sach-huong-dan\">{items}</ul>"),
    )
}

pub(in crate::demo) async fn guide_page(
    AxState(st): AxState<St>,
    Path(slug): Path<String>,
) -> Response {
    let Some((_, title, steps)) = GUIDES.iter().find(|(s, _, _)| *s == slug) else {
        return not_found(&st);
    };
    let steps: String = steps.iter().map(|s| format!("<li>{s}</li>")).collect();
    simple(
        &st,
        "/huong-dan/",
        title,
        &format!(
            "<h1>{title}</h1><ol>{steps}</ol><p><a href=\"/huong-dan\">Các hướng dẫn khác</a></p>"
        ),
    )
}

pub(in crate::demo) async fn faq(AxState(st): AxState<St>) -> Response {
    let mut qa = String::new();
    for (q, a) in FAQ {
        let _ = write!(qa, "<dt>{q}</dt><dd>{a}</dd>");
    }
    simple(
        &st,
        "/hoi-dap",
        "Hỏi đáp",
        &format!("<h1>Hỏi đáp</h1><dl class=\"hoi-dap\">{qa}</dl>"),
    )
}

pub(in crate::demo) async fn contact(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/lien-he",
        "Liên hệ",
        "<h1>Liên hệ</h1><p>Thư điện tử: <a href=\"mailto:dichvucong@mau.gov.vn\">dichvucong@mau.gov.vn</a>. Tổng đài: 1900 0000.</p>",
    )
}

pub(in crate::demo) async fn sitemap_page(AxState(st): AxState<St>) -> Response {
    let mut items: String = MENU
        .iter()
        .map(|(h, l)| format!("<li><a href=\"{h}\">{l}</a></li>"))
        .collect();
    for (h, l) in [
        ("/tim-kiem", "Tìm kiếm"),
        ("/phan-anh-kien-nghi", "Phản ánh, kiến nghị"),
        ("/danh-gia", "Đánh giá"),
        ("/huong-dan", "Hướng dẫn"),
        ("/lien-he", "Liên hệ"),
        ("/linh-vuc/", "Lĩnh vực"),
    ] {
        let _ = write!(items, "<li><a href=\"{h}\">{l}</a></li>");
    }
    simple(
        &st,
        "/so-do-trang",
        "Sơ đồ cổng",
        &format!("<h1>Sơ đồ cổng</h1><ul>{items}</ul>"),
    )
}

pub(in crate::demo) async fn sitemap_xml(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-sitemap") {
        return not_found(&st);
    }
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    let paths = [
        "",
        "gioi-thieu",
        "thu-tuc/",
        "tim-kiem",
        "tra-cuu-ho-so",
        "thong-ke",
        "hoi-dap",
        "so-do-trang",
    ];
    for p in paths {
        let _ = writeln!(xml, "  <url><loc>{}{p}</loc></url>", st.base);
    }
    for p in &st.procedures {
        let _ = writeln!(xml, "  <url><loc>{}thu-tuc/{}</loc></url>", st.base, p.code);
    }
    xml.push_str("</urlset>\n");
    (
        [(header::CONTENT_TYPE, "application/xml; charset=utf-8")],
        xml,
    )
        .into_response()
}

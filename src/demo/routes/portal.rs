//! The portal's own pages: home, introduction, the catalogue and its procedure pages, fields,
//! the search (PL1-5) and the dossier lookup (PL1-5.1).

use std::fmt::Write;

use axum::extract::{Path, Query, State as AxState};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use super::{St, hidden_code, level, not_found, proc_row, visible};
use crate::demo::content::{
    self, HERO_HEIGHT, HERO_JPEG, HERO_PATH, HERO_WIDTH, ORGANISATION, PORTAL, Procedure, esc,
};
use crate::demo::layout::{Opts, page};

pub(in crate::demo) async fn home(AxState(st): AxState<St>) -> Response {
    let online = st.procedures.iter().filter(|p| p.full_online).count();
    let mut extra = String::new();
    if st.defects.has("redirect-loop") {
        extra.push_str("<li><a href=\"/vong-lap\">Thông báo</a></li>");
    }
    if st.defects.has("huge-page") {
        extra.push_str("<li><a href=\"/trang-lon\">Văn bản lớn</a></li>");
    }
    if st.defects.has("leaky-tokens") {
        let _ = write!(
            extra,
            "<li><a href=\"/ho-so-ca-nhan?access_token={}\">Hồ sơ của {}</a></li>",
            content::LEAKY_TOKEN,
            content::LEAKY_ACCOUNT
        );
    }
    let body = format!(
        "<h1>{PORTAL}</h1><p class=\"anh-bia\"><img src=\"{HERO_PATH}\" alt=\"Trung tâm Phục vụ hành chính công tỉnh Mẫu\" width=\"{HERO_WIDTH}\" height=\"{HERO_HEIGHT}\" fetchpriority=\"high\"></p>\
         <p>Cung cấp {} thủ tục hành chính, trong đó {online} dịch vụ công trực tuyến toàn trình.</p>\
         <ul><li><a href=\"/thu-tuc/\">Danh mục thủ tục hành chính</a></li><li><a href=\"/linh-vuc/\">Thủ tục theo lĩnh vực</a></li>\
         <li><a href=\"/tim-kiem\">Tìm kiếm thủ tục</a></li><li><a href=\"/tra-cuu-ho-so\">Tra cứu hồ sơ</a></li>\
         <li><a href=\"/phan-anh-kien-nghi\">Phản ánh, kiến nghị</a></li><li><a href=\"/danh-gia\">Đánh giá mức độ hài lòng</a></li>\
         <li><a href=\"/thong-ke\">Thống kê tình hình xử lý hồ sơ</a></li><li><a href=\"/huong-dan\">Hướng dẫn sử dụng</a></li><li><a href=\"/hoi-dap\">Hỏi đáp</a></li>\
         <li><a href=\"/khao-sat\">Khảo sát ý kiến</a></li><li><a href=\"/tro-ly-ao\">Trợ lý ảo</a></li>{extra}</ul>",
        st.procedures.len()
    );
    page(&st, "/", "Trang chủ", &body, &Opts::default())
}

pub(in crate::demo) async fn intro(AxState(st): AxState<St>) -> Response {
    let script = st.defects.has("script-title");
    let title = if script {
        "<script>alert(\"kiemdinh\")</script> Giới thiệu"
    } else {
        "Giới thiệu"
    };
    let mut body = format!(
        "<h1>Giới thiệu</h1><p>{PORTAL} là đầu mối cung cấp dịch vụ công trực tuyến của {ORGANISATION}.</p>"
    );
    if st.defects.has("mixed-content") {
        let plain = st.base.replacen("https://", "http://", 1);
        let _ = write!(
            body,
            "<p><img src=\"{plain}static/quoc-huy.svg\" alt=\"Trụ sở\"></p>"
        );
    }
    page(
        &st,
        "/gioi-thieu",
        title,
        &body,
        &Opts {
            raw_title: script,
            no_viewport: st.defects.has("no-viewport"),
            ..Opts::default()
        },
    )
}

/// The home page's hero image; `slow-lcp` holds it on the server first.
pub(in crate::demo) async fn hero(AxState(st): AxState<St>) -> Response {
    if st.defects.has("slow-lcp") {
        tokio::time::sleep(HERO_DELAY).await;
    }
    (
        [
            (header::CONTENT_TYPE, "image/jpeg"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        HERO_JPEG,
    )
        .into_response()
}

/// How long `slow-lcp` holds the hero image: LCP lands past 2.5 s on any profile.
pub(in crate::demo) const HERO_DELAY: std::time::Duration = std::time::Duration::from_millis(3500);

pub(in crate::demo) async fn catalogue(AxState(st): AxState<St>) -> Response {
    let rows: String = visible(&st).map(|p| proc_row(&st, p)).collect();
    let body = format!(
        "<h1>Danh mục thủ tục hành chính</h1><div class=\"cuon-ngang\"><table><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Mức độ</th></tr></thead><tbody>{rows}</tbody></table></div>"
    );
    page(
        &st,
        "/thu-tuc/",
        "Danh mục thủ tục",
        &body,
        &Opts::default(),
    )
}

pub(in crate::demo) async fn procedure(
    AxState(st): AxState<St>,
    Path(code): Path<String>,
) -> Response {
    let Some((i, p)) = st
        .procedures
        .iter()
        .enumerate()
        .find(|(_, p)| p.code == code)
    else {
        return not_found(&st);
    };
    let short = st.defects.has("procedure-fields-missing") && i % 3 == 0;
    let fee = if p.fee == 0 {
        "Không thu phí".to_string()
    } else {
        format!("{} đồng/hồ sơ", p.fee)
    };
    let lvl = if st.defects.has("no-service-level") {
        String::new()
    } else {
        format!("<dt>Mức độ dịch vụ công</dt><dd>{}</dd>", level(p))
    };
    let mut dl = format!(
        "<dt>Mã thủ tục</dt><dd>{code}</dd><dt>Tên thủ tục</dt><dd>{name}</dd>{lvl}<dt>Lĩnh vực</dt><dd>{field}</dd>\
         <dt>Trình tự thực hiện</dt><dd><ol><li>Nộp hồ sơ trực tuyến hoặc tại Bộ phận Một cửa.</li><li>Cơ quan tiếp nhận, kiểm tra hồ sơ.</li><li>Giải quyết và trả kết quả.</li></ol></dd>\
         <dt>Cách thức thực hiện</dt><dd>Trực tuyến trên Cổng Dịch vụ công; trực tiếp; qua dịch vụ bưu chính công ích.</dd>\
         <dt>Thành phần hồ sơ</dt><dd>Đơn đề nghị theo mẫu; giấy tờ tùy thân; giấy tờ liên quan. Số lượng: 01 bộ.</dd>\
         <dt>Thời hạn giải quyết</dt><dd>{days} ngày làm việc kể từ ngày nhận đủ hồ sơ hợp lệ.</dd>\
         <dt>Đối tượng thực hiện</dt><dd>Công dân Việt Nam, người nước ngoài, tổ chức.</dd>\
         <dt>Cơ quan thực hiện</dt><dd>{agency}</dd>\
         <dt>Kết quả thực hiện</dt><dd>Văn bản chấp thuận hoặc giấy chứng nhận (bản điện tử và bản giấy).</dd>\
         <dt>Mẫu đơn, tờ khai</dt><dd><a href=\"/bieu-mau/{code}.docx\">Mẫu đơn đề nghị</a></dd>\
         <dt>Yêu cầu, điều kiện thực hiện</dt><dd>Không.</dd><dt>Hình thức nhận hồ sơ, trả kết quả</dt><dd>Trực tuyến; trực tiếp; qua dịch vụ bưu chính công ích.</dd>",
        name = esc(p.name),
        field = esc(p.field),
        days = p.days,
        agency = esc(p.agency),
        code = p.code
    );
    if !short {
        let _ = write!(
            dl,
            "<dt>Phí, lệ phí</dt><dd>{fee}</dd><dt>Căn cứ pháp lý</dt><dd>Luật, Nghị định và Thông tư hướng dẫn hiện hành.</dd>"
        );
    }
    let body = format!(
        "<h1>{}</h1><dl>{dl}</dl><p><a href=\"/nop-ho-so/{}\">Nộp hồ sơ trực tuyến</a></p>",
        esc(p.name),
        p.code
    );
    page(
        &st,
        "/thu-tuc/",
        p.name,
        &body,
        &Opts {
            service: Some(&p.code),
            ..Opts::default()
        },
    )
}

pub(in crate::demo) async fn field_index(AxState(st): AxState<St>) -> Response {
    let items: String = content::fields()
        .iter()
        .map(|(n, s)| format!("<li><a href=\"/linh-vuc/{s}\">{}</a></li>", esc(n)))
        .collect();
    page(
        &st,
        "/linh-vuc/",
        "Lĩnh vực",
        &format!("<h1>Thủ tục theo lĩnh vực</h1><ul>{items}</ul>"),
        &Opts::default(),
    )
}

pub(in crate::demo) async fn field(AxState(st): AxState<St>, Path(slug): Path<String>) -> Response {
    let rows: String = visible(&st)
        .filter(|p| p.field_slug == slug)
        .map(|p| proc_row(&st, p))
        .collect();
    if rows.is_empty() {
        return not_found(&st);
    }
    let mut body = format!(
        "<h1>Lĩnh vực</h1><div class=\"cuon-ngang\"><table><tbody>{rows}</tbody></table></div>"
    );
    if hidden_code(&st).is_some() && st.procedures[7].field_slug == slug {
        body.push_str("<p><a href=\"/linh-vuc/xay-dung/nhom\">Nhóm thủ tục khác</a></p>");
    }
    page(&st, "/linh-vuc/", "Lĩnh vực", &body, &Opts::default())
}

/// deep-service: /linh-vuc/xay-dung/nhom → /muc → /thu-tuc/X (home → /linh-vuc/ → field → nhom → muc → X).
pub(in crate::demo) async fn deep(AxState(st): AxState<St>, Path(rest): Path<String>) -> Response {
    let Some(code) = hidden_code(&st) else {
        return not_found(&st);
    };
    let body = match rest.as_str() {
        "nhom" => {
            "<h1>Nhóm thủ tục</h1><p><a href=\"/linh-vuc/xay-dung/nhom/muc\">Mục thủ tục</a></p>"
                .to_string()
        }
        "nhom/muc" => format!("<h1>Mục thủ tục</h1><p><a href=\"/thu-tuc/{code}\">Thủ tục</a></p>"),
        _ => return not_found(&st),
    };
    page(&st, "/linh-vuc/", "Nhóm thủ tục", &body, &Opts::default())
}

pub(in crate::demo) async fn search(
    AxState(st): AxState<St>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let param = |k: &str| q.get(k).map(|s| s.trim().to_string()).unwrap_or_default();
    let (term, field, agency) = (param("q"), param("linh-vuc"), param("co-quan"));
    if st.defects.has("search-broken") && !term.is_empty() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Lỗi</title></head><body><h1>Hệ thống đang bận</h1><p>Vui lòng thử lại sau.</p></body></html>",
        )
            .into_response();
    }
    let select = |name: &str, all: &str, items: &[(&str, &str)], chosen: &str| {
        let options: String = items
            .iter()
            .map(|(label, value)| {
                let sel = if *value == chosen { " selected" } else { "" };
                format!("<option value=\"{value}\"{sel}>{}</option>", esc(label))
            })
            .collect();
        format!(
            "<select id=\"{name}\" name=\"{name}\"><option value=\"\">{all}</option>{options}</select>"
        )
    };
    let agencies = content::agencies();
    let agencies: Vec<(&str, &str)> = agencies.iter().map(|(n, s)| (*n, s.as_str())).collect();
    let results = if term.is_empty() && field.is_empty() && agency.is_empty() {
        String::new()
    } else {
        // Like real portals: case-, accent- and normal-form-insensitive, on the name.
        let folded = crate::unicode::fold(&term);
        let found: Vec<&Procedure> = visible(&st)
            .filter(|p| crate::unicode::fold(p.name).contains(&folded))
            .filter(|p| field.is_empty() || p.field_slug == field)
            .filter(|p| agency.is_empty() || p.agency_slug == agency)
            .collect();
        if found.is_empty() {
            "<p class=\"no-result\">Không tìm thấy thủ tục phù hợp.</p>".into()
        } else {
            let rows: String = found.iter().map(|p| proc_row(&st, p)).collect();
            format!(
                "<p class=\"result-count\">Tìm thấy {} thủ tục</p><div class=\"cuon-ngang\"><table class=\"ket-qua\"><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Mức độ</th></tr></thead><tbody>{rows}</tbody></table></div>",
                found.len()
            )
        }
    };
    let body = format!(
        "<h1>Tìm kiếm thủ tục</h1><form action=\"/tim-kiem\" class=\"tim-kiem-thu-tuc\"><label for=\"q\">Từ khóa</label><input id=\"q\" name=\"q\" value=\"{}\">\
         <label for=\"linh-vuc\">Lĩnh vực</label>{}<label for=\"co-quan\">Cơ quan thực hiện</label>{}\
         <button>Tìm kiếm</button></form>{results}",
        esc(&term),
        select("linh-vuc", "Tất cả lĩnh vực", &content::fields(), &field),
        select("co-quan", "Tất cả cơ quan", &agencies, &agency),
    );
    page(
        &st,
        "/tim-kiem",
        "Tìm kiếm",
        &body,
        &Opts {
            no_header: st.defects.has("header-missing"),
            late_notice: st.defects.has("layout-shift"),
            ..Opts::default()
        },
    )
}

pub(in crate::demo) async fn lookup(
    AxState(st): AxState<St>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let code = q
        .get("ma")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    let answer = match code.as_str() {
        "" => String::new(),
        c if c.starts_with("H55.") => format!(
            "<p>Hồ sơ <strong>{}</strong>: đang xử lý tại Sở Tư pháp.</p>",
            esc(c)
        ),
        _ if st.defects.has("lookup-silent") => "<div class=\"ket-qua\"></div>".to_string(),
        c => format!(
            "<p>Không tìm thấy hồ sơ có mã <strong>{}</strong>.</p>",
            esc(c)
        ),
    };
    let body = format!(
        "<h1>Tra cứu hồ sơ</h1><form action=\"/tra-cuu-ho-so\"><label for=\"ma\">Mã hồ sơ</label><input id=\"ma\" name=\"ma\"><button>Tra cứu</button></form>{answer}"
    );
    page(
        &st,
        "/tra-cuu-ho-so",
        "Tra cứu hồ sơ",
        &body,
        &Opts::default(),
    )
}

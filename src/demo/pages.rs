//! The reference portal's routes and page layout.

use std::fmt::Write;
use std::sync::Arc;

use axum::Router;
use axum::extract::{Path, Query, Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use base64::Engine;
use sha2::{Digest, Sha256};

use super::State;
use super::content::{
    self, CSS, EMBLEM_SVG, ORGANISATION, PORTAL, Procedure, SITE_ID, TRACKER_JS, esc,
};

type St = Arc<State>;

const MENU: &[(&str, &str)] = &[
    ("/", "Trang chủ"),
    ("/gioi-thieu", "Giới thiệu"),
    ("/thu-tuc/", "Dịch vụ công trực tuyến"),
    ("/tra-cuu-ho-so", "Tra cứu hồ sơ"),
    ("/thong-ke", "Thống kê"),
    ("/hoi-dap", "Hỏi đáp"),
    ("/so-do-trang", "Sơ đồ cổng"),
];

fn header_html(current: &str) -> String {
    let mut nav = String::new();
    for (href, label) in MENU {
        if *href == current {
            let _ = write!(
                nav,
                r#"<a href="{href}" class="active" aria-current="page">{label}<span class="sr-only"> (trang hiện tại)</span></a>"#
            );
        } else {
            let _ = write!(nav, r#"<a href="{href}">{label}</a>"#);
        }
    }
    format!(
        r#"<header><a href="/"><img src="/static/quoc-huy.svg" alt="Quốc huy"></a> <span class="org">{ORGANISATION}</span> — <span>{PORTAL}</span>
<nav aria-label="Menu chính">{nav}<a href="/dang-nhap">Đăng nhập</a></nav></header>"#
    )
}

fn footer_html(outdated: bool) -> String {
    if outdated {
        // footer-differs: an old template with a stale phone number and no responsible person.
        return format!(
            "<footer><p>© Bản quyền thuộc {ORGANISATION}.</p><p>Cơ quan chủ quản: Văn phòng {ORGANISATION}. \
             Địa chỉ: Số 1 đường Trần Phú, thành phố Mẫu. Điện thoại: 0210 3 777 777.</p></footer>"
        );
    }
    format!(
        r#"<footer><p>© Bản quyền thuộc {ORGANISATION}.</p>
<p>Cơ quan chủ quản: Văn phòng {ORGANISATION}. Chịu trách nhiệm chính: Ông Nguyễn Văn An, Chánh Văn phòng.</p>
<p>Địa chỉ: Số 1 đường Trần Phú, thành phố Mẫu, tỉnh Mẫu. Điện thoại: 0210 3 888 888. Email: <a href="mailto:dichvucong@mau.gov.vn">dichvucong@mau.gov.vn</a></p>
<p><a href="/lien-he">Liên hệ</a> · <a href="/so-do-trang">Sơ đồ cổng</a> · <a href="/huong-dan">Hướng dẫn</a></p></footer>"#
    )
}

fn emc_snippet(base: &str, site_id: &str, service: Option<&str>) -> String {
    let dvc = service.map_or_else(String::new, |c| {
        format!("\n_govaq.push(['trackDVC', '{c}', 'Nộp hồ sơ']);")
    });
    format!(
        "var _govaq = window._govaq || [];\n_govaq.push(['trackPageView']);\n_govaq.push(['enableLinkTracking']);{dvc}\n(function () {{\n\
         _govaq.push(['setTrackerUrl', '{base}emc/tracking']);\n_govaq.push(['setSiteId', '{site_id}']);\n\
         var d = document, g = d.createElement('script'), s = d.getElementsByTagName('script')[0];\n\
         g.type = 'text/javascript'; g.async = true; g.defer = true;\ng.src = '{base}emc/embed/gov-tracking.min.js';\n\
         s.parentNode.insertBefore(g, s);\n}})();"
    )
}

/// Options of one page.
#[derive(Default)]
struct Opts<'a> {
    service: Option<&'a str>,
    no_header: bool,
    outdated_footer: bool,
    no_emc: bool,
    site_id: Option<&'a str>,
    raw_title: bool,
}

fn page(st: &State, path: &str, title: &str, body: &str, o: &Opts<'_>) -> Response {
    let header = if o.no_header {
        String::new()
    } else {
        header_html(path)
    };
    let script = if o.no_emc {
        None
    } else {
        Some(emc_snippet(
            &st.base,
            o.site_id.unwrap_or(SITE_ID),
            o.service,
        ))
    };
    let script_tag = script
        .as_ref()
        .map_or_else(String::new, |s| format!("<script>{s}</script>"));
    let title = if o.raw_title {
        title.to_string()
    } else {
        esc(title)
    };
    let html = format!(
        "<!doctype html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>{title} | {PORTAL}</title><link rel=\"stylesheet\" href=\"/static/site.css\"></head>\n<body>\n{header}\n<main id=\"noi-dung\">\n{body}\n</main>\n{}\n{script_tag}\n</body></html>",
        footer_html(o.outdated_footer)
    );
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if !st.defects.has("no-csp") {
        let hash = script.map_or_else(String::new, |s| {
            format!(
                " 'sha256-{}'",
                base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s.as_bytes()))
            )
        });
        let csp = format!(
            "default-src 'self'; script-src 'self'{hash}; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    resp
}

fn level(p: &Procedure) -> &'static str {
    if p.full_online {
        "Toàn trình"
    } else {
        "Một phần"
    }
}

fn proc_row(st: &State, p: &Procedure) -> String {
    format!(
        "<tr><td>{}</td><td><a href=\"/thu-tuc/{}\">{}</a></td><td>{}</td><td>{}</td></tr>",
        p.code,
        p.code,
        esc(p.name),
        esc(p.field),
        if st.defects.has("no-service-level") {
            "—"
        } else {
            level(p)
        }
    )
}

/// The procedure hidden by `deep-service`.
fn hidden_code(st: &State) -> Option<&str> {
    st.defects
        .has("deep-service")
        .then(|| st.procedures[7].code.as_str())
}

fn visible(st: &State) -> impl Iterator<Item = &Procedure> + '_ {
    let hidden = hidden_code(st).map(str::to_string);
    st.procedures
        .iter()
        .filter(move |p| Some(&p.code) != hidden.as_ref())
}

async fn home(AxState(st): AxState<St>) -> Response {
    let online = st.procedures.iter().filter(|p| p.full_online).count();
    let mut extra = String::new();
    if st.defects.has("redirect-loop") {
        extra.push_str("<li><a href=\"/vong-lap\">Thông báo</a></li>");
    }
    if st.defects.has("huge-page") {
        extra.push_str("<li><a href=\"/trang-lon\">Văn bản lớn</a></li>");
    }
    let body = format!(
        "<h1>{PORTAL}</h1><p>Cung cấp {} thủ tục hành chính, trong đó {online} dịch vụ công trực tuyến toàn trình.</p>\
         <ul><li><a href=\"/thu-tuc/\">Danh mục thủ tục hành chính</a></li><li><a href=\"/linh-vuc/\">Thủ tục theo lĩnh vực</a></li>\
         <li><a href=\"/tim-kiem\">Tìm kiếm thủ tục</a></li><li><a href=\"/tra-cuu-ho-so\">Tra cứu hồ sơ</a></li>\
         <li><a href=\"/phan-anh-kien-nghi\">Phản ánh, kiến nghị</a></li><li><a href=\"/danh-gia\">Đánh giá mức độ hài lòng</a></li>\
         <li><a href=\"/thong-ke\">Thống kê tình hình xử lý hồ sơ</a></li><li><a href=\"/huong-dan\">Hướng dẫn sử dụng</a></li><li><a href=\"/hoi-dap\">Hỏi đáp</a></li>\
         <li><a href=\"/khao-sat\">Khảo sát ý kiến</a></li><li><a href=\"/tro-ly-ao\">Trợ lý ảo</a></li>{extra}</ul>",
        st.procedures.len()
    );
    page(&st, "/", "Trang chủ", &body, &Opts::default())
}

async fn intro(AxState(st): AxState<St>) -> Response {
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
            ..Opts::default()
        },
    )
}

async fn catalogue(AxState(st): AxState<St>) -> Response {
    let rows: String = visible(&st).map(|p| proc_row(&st, p)).collect();
    let body = format!(
        "<h1>Danh mục thủ tục hành chính</h1><table><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Lĩnh vực</th><th>Mức độ</th></tr></thead><tbody>{rows}</tbody></table>"
    );
    page(
        &st,
        "/thu-tuc/",
        "Danh mục thủ tục",
        &body,
        &Opts::default(),
    )
}

async fn procedure(AxState(st): AxState<St>, Path(code): Path<String>) -> Response {
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

async fn field_index(AxState(st): AxState<St>) -> Response {
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

async fn field(AxState(st): AxState<St>, Path(slug): Path<String>) -> Response {
    let rows: String = visible(&st)
        .filter(|p| p.field_slug == slug)
        .map(|p| proc_row(&st, p))
        .collect();
    if rows.is_empty() {
        return not_found(&st);
    }
    let mut body = format!("<h1>Lĩnh vực</h1><table><tbody>{rows}</tbody></table>");
    if hidden_code(&st).is_some() && st.procedures[7].field_slug == slug {
        body.push_str("<p><a href=\"/linh-vuc/xay-dung/nhom\">Nhóm thủ tục khác</a></p>");
    }
    page(&st, "/linh-vuc/", "Lĩnh vực", &body, &Opts::default())
}

/// deep-service: /linh-vuc/xay-dung/nhom → /muc → /thu-tuc/X (home → /linh-vuc/ → field → nhom → muc → X).
async fn deep(AxState(st): AxState<St>, Path(rest): Path<String>) -> Response {
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

async fn search(
    AxState(st): AxState<St>,
    Query(q): Query<std::collections::HashMap<String, String>>,
) -> Response {
    let term = q
        .get("q")
        .map(|s| s.trim().to_lowercase())
        .unwrap_or_default();
    let field = q
        .get("linh-vuc")
        .map(|s| s.trim().to_string())
        .unwrap_or_default();
    if st.defects.has("search-broken") && !term.is_empty() {
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Lỗi</title></head><body><h1>Hệ thống đang bận</h1><p>Vui lòng thử lại sau.</p></body></html>",
        )
            .into_response();
    }
    let options: String = content::fields()
        .iter()
        .map(|(n, slug)| format!("<option value=\"{slug}\">{}</option>", esc(n)))
        .collect();
    let results = if term.is_empty() && field.is_empty() {
        String::new()
    } else {
        let rows: String = visible(&st)
            .filter(|p| p.name.to_lowercase().contains(&term))
            .filter(|p| field.is_empty() || p.field_slug == field)
            .map(|p| proc_row(&st, p))
            .collect();
        if rows.is_empty() {
            "<p>Không tìm thấy thủ tục phù hợp.</p>".into()
        } else {
            format!("<table><tbody>{rows}</tbody></table>")
        }
    };
    let body = format!(
        "<h1>Tìm kiếm thủ tục</h1><form action=\"/tim-kiem\"><label for=\"q\">Từ khóa</label><input id=\"q\" name=\"q\" value=\"{}\">\
         <label for=\"linh-vuc\">Lĩnh vực</label><select id=\"linh-vuc\" name=\"linh-vuc\"><option value=\"\">Tất cả lĩnh vực</option>{options}</select>\
         <button>Tìm kiếm</button></form>{results}",
        esc(&term)
    );
    page(
        &st,
        "/tim-kiem",
        "Tìm kiếm",
        &body,
        &Opts {
            no_header: st.defects.has("header-missing"),
            ..Opts::default()
        },
    )
}

async fn lookup(
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

fn simple(st: &State, path: &str, title: &str, body: &str) -> Response {
    let o = Opts {
        outdated_footer: path == "/thong-ke" && st.defects.has("footer-differs"),
        no_emc: path == "/huong-dan" && st.defects.has("no-emc"),
        site_id: (path == "/hoi-dap" && st.defects.has("emc-site-id-differs")).then_some("1099"),
        ..Opts::default()
    };
    page(st, path, title, body, &o)
}

async fn complaints(AxState(st): AxState<St>) -> Response {
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

async fn rating(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-rating") {
        return simple(
            &st,
            "/danh-gia",
            "Đánh giá",
            "<h1>Đánh giá mức độ hài lòng</h1><p>Chức năng đang được nâng cấp.</p>",
        );
    }
    simple(
        &st,
        "/danh-gia",
        "Đánh giá",
        "<h1>Đánh giá mức độ hài lòng</h1><form method=\"post\"><label>Rất hài lòng<input type=\"radio\" name=\"m\" value=\"3\"></label><label>Hài lòng<input type=\"radio\" name=\"m\" value=\"2\"></label><label>Không hài lòng<input type=\"radio\" name=\"m\" value=\"1\"></label><button>Gửi đánh giá</button></form>",
    )
}

async fn statistics(AxState(st): AxState<St>) -> Response {
    let chart = if st.defects.has("no-sri") {
        "<script src=\"https://cdn.bieudo.example/chart.min.js\"></script><canvas id=\"bieu-do\"></canvas>"
    } else {
        ""
    };
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
            "<h1>Thống kê tình hình xử lý hồ sơ năm 2026</h1><table><thead><tr><th>Tiếp nhận</th><th>Đã giải quyết</th><th>Đúng hạn</th><th>Tỷ lệ đúng hạn</th><th>Hồ sơ trực tuyến</th></tr></thead>\
             <tbody><tr><td>128.450</td><td>121.306</td><td>119.844</td><td>{rate}</td><td>87,2%</td></tr></tbody></table>{chart}"
        ),
    )
}

async fn survey(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/khao-sat",
        "Khảo sát ý kiến",
        "<h1>Khảo sát ý kiến người dân, doanh nghiệp</h1><form method=\"post\"><label for=\"y\">Ý kiến của bạn về chất lượng dịch vụ công</label><textarea id=\"y\" name=\"y\"></textarea><button>Gửi ý kiến</button></form>",
    )
}

/// The SSO entry: an OpenID Connect authorisation request to the mock identity provider,
/// which lives on another origin (`localhost`) as a real one would.
async fn sso_start(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-sso") {
        return not_found(&st);
    }
    let idp = st.base.replacen("127.0.0.1", "localhost", 1);
    let callback = format!("{}dang-nhap/callback", st.base);
    let mut url = format!(
        "{idp}idp/authorize?response_type=code&client_id=dvc-mau&scope=openid&redirect_uri={}",
        callback.replace(':', "%3A").replace('/', "%2F")
    );
    if !st.defects.has("sso-no-state") {
        url.push_str("&state=kd-4f1c&nonce=kd-9a07&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256");
    }
    Redirect::to(&url).into_response()
}

/// The mock identity provider's login page (kiemdinh never submits anything to it).
async fn idp_authorize() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>VNeID (mô phỏng)</title></head><body><h1>Đăng nhập VNeID (mô phỏng)</h1></body></html>",
    )
        .into_response()
}

/// `admin-exposed`: the back-office login on the public host.
async fn admin(AxState(st): AxState<St>) -> Response {
    if !st.defects.has("admin-exposed") {
        return not_found(&st);
    }
    let html = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Quản trị hệ thống</title></head><body>\
                <h1>Đăng nhập quản trị</h1><form method=\"post\"><input name=\"u\"><input type=\"password\" name=\"p\"><button>Đăng nhập</button></form></body></html>";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

async fn chatbot(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-chatbot") {
        return not_found(&st);
    }
    simple(
        &st,
        "/tro-ly-ao",
        "Trợ lý ảo",
        "<h1>Trợ lý ảo</h1><p>Trợ lý ảo trả lời câu hỏi về thủ tục hành chính.</p><form action=\"/tro-ly-ao\"><label for=\"cau-hoi\">Câu hỏi</label><input id=\"cau-hoi\" name=\"cau-hoi\"><button>Hỏi</button></form>",
    )
}

/// DVCQG-3: the status document DVCQG polls for automatic alerting.
async fn dvcqg_status(AxState(st): AxState<St>) -> Response {
    let body = if st.defects.has("status-api-invalid") {
        serde_json::json!({"status": "ok", "services": [{"code": "", "status": "up"}]})
    } else {
        let services: Vec<_> = st
            .procedures
            .iter()
            .filter(|p| p.full_online)
            .take(5)
            .map(|p| serde_json::json!({"code": p.code, "status": "up"}))
            .collect();
        serde_json::json!({"status": "up", "updated_at": crate::now_rfc3339(), "services": services})
    };
    (
        [(header::CONTENT_TYPE, "application/json")],
        body.to_string(),
    )
        .into_response()
}

async fn guide(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/huong-dan",
        "Hướng dẫn",
        "<h1>Hướng dẫn sử dụng</h1><ol><li>Đăng nhập bằng tài khoản VNeID.</li><li>Chọn thủ tục, điền tờ khai.</li><li>Nộp hồ sơ, thanh toán trực tuyến.</li></ol>",
    )
}

async fn faq(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/hoi-dap",
        "Hỏi đáp",
        "<h1>Hỏi đáp</h1><dl><dt>Làm sao tra cứu hồ sơ?</dt><dd>Nhập mã hồ sơ tại trang Tra cứu hồ sơ.</dd></dl>",
    )
}

async fn contact(AxState(st): AxState<St>) -> Response {
    simple(
        &st,
        "/lien-he",
        "Liên hệ",
        "<h1>Liên hệ</h1><p>Thư điện tử: <a href=\"mailto:dichvucong@mau.gov.vn\">dichvucong@mau.gov.vn</a>. Tổng đài: 1900 0000.</p>",
    )
}

async fn login(AxState(st): AxState<St>) -> Response {
    let mut resp = simple(
        &st,
        "/dang-nhap",
        "Đăng nhập",
        if st.defects.has("no-sso") {
            "<h1>Đăng nhập</h1><form method=\"post\"><label for=\"u\">Tên đăng nhập</label><input id=\"u\" name=\"u\"><label for=\"p\">Mật khẩu</label><input id=\"p\" type=\"password\" name=\"p\"><button>Đăng nhập</button></form>"
        } else {
            "<h1>Đăng nhập</h1><p><a href=\"/dang-nhap/vneid\">Đăng nhập bằng tài khoản định danh điện tử VNeID</a> qua Cổng Dịch vụ công quốc gia.</p>"
        },
    );
    // The session starts on the login page (SEC-3).
    let cookie = if st.defects.has("insecure-cookie") {
        "dvc_session=kd0000demo; Path=/"
    } else {
        "dvc_session=kd0000demo; Path=/; Secure; HttpOnly; SameSite=Lax"
    };
    resp.headers_mut()
        .insert(header::SET_COOKIE, HeaderValue::from_static(cookie));
    resp
}

async fn sitemap_page(AxState(st): AxState<St>) -> Response {
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

async fn sitemap_xml(AxState(st): AxState<St>) -> Response {
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

async fn security_txt(AxState(st): AxState<St>) -> Response {
    let body = format!(
        "Contact: mailto:attt@mau.gov.vn\nExpires: 2099-12-31T23:59:59Z\nPreferred-Languages: vi, en\nCanonical: {}.well-known/security.txt\n",
        st.base
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

async fn tracking(AxState(st): AxState<St>) -> StatusCode {
    st.hits.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

async fn redirect_loop() -> Redirect {
    Redirect::temporary("/vong-lap")
}

async fn huge(AxState(st): AxState<St>) -> Response {
    let filler = "<p>Nội dung văn bản rất dài.</p>\n".repeat(8 * 1024 * 1024 / 40);
    page(&st, "/trang-lon", "Văn bản lớn", &filler, &Opts::default())
}

fn not_found(st: &State) -> Response {
    if st.defects.has("stack-trace") {
        let trace = "java.lang.NullPointerException: Cannot invoke \"HoSo.getMa()\" because \"hoSo\" is null\n\
            \tat vn.gov.mau.dvc.web.HoSoController.traCuu(HoSoController.java:142)\n\
            \tat org.springframework.web.servlet.FrameworkServlet.service(FrameworkServlet.java:883)\n\
            \tat org.apache.catalina.core.ApplicationFilterChain.doFilter(ApplicationFilterChain.java:166)";
        let html = format!(
            "<html><head><title>HTTP Status 500 – Internal Server Error</title></head><body><h1>HTTP Status 500</h1><pre>{}</pre><p>Apache Tomcat/9.0.41</p></body></html>",
            esc(trace)
        );
        return (
            StatusCode::INTERNAL_SERVER_ERROR,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            html,
        )
            .into_response();
    }
    let mut r = page(
        st,
        "/404",
        "Không tìm thấy trang",
        "<h1>Không tìm thấy trang</h1><p>Trang bạn tìm không tồn tại. <a href=\"/\">Về trang chủ</a>.</p>",
        &Opts::default(),
    );
    *r.status_mut() = StatusCode::NOT_FOUND;
    r
}

async fn fallback(AxState(st): AxState<St>) -> Response {
    not_found(&st)
}

/// Security headers on every response (and the faults that remove or spoil them).
async fn security_headers(AxState(st): AxState<St>, req: Request, next: Next) -> Response {
    let mut resp = next.run(req).await;
    let h: &mut HeaderMap = resp.headers_mut();
    if !st.defects.has("no-hsts") {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("strict-origin-when-cross-origin"),
    );
    if st.defects.has("server-banner") {
        h.insert(
            header::SERVER,
            HeaderValue::from_static("Apache/2.4.41 (Ubuntu)"),
        );
        h.insert("x-powered-by", HeaderValue::from_static("PHP/7.4.3"));
    } else {
        h.insert(header::SERVER, HeaderValue::from_static("dichvucong"));
    }
    resp
}

/// The HTTPS site.
pub fn router(st: St) -> Router {
    Router::new()
        .route("/", get(home))
        .route("/gioi-thieu", get(intro))
        .route("/thu-tuc/", get(catalogue))
        .route("/thu-tuc/{code}", get(procedure))
        .route("/linh-vuc/", get(field_index))
        .route("/linh-vuc/{slug}", get(field))
        .route("/linh-vuc/xay-dung/{*rest}", get(deep))
        .route("/tim-kiem", get(search))
        .route("/tra-cuu-ho-so", get(lookup))
        .route("/phan-anh-kien-nghi", get(complaints))
        .route("/danh-gia", get(rating))
        .route("/thong-ke", get(statistics))
        .route("/huong-dan", get(guide))
        .route("/hoi-dap", get(faq))
        .route("/lien-he", get(contact))
        .route("/khao-sat", get(survey))
        .route("/quan-tri", get(admin))
        .route("/dang-nhap/vneid", get(sso_start))
        .route("/idp/authorize", get(idp_authorize))
        .route("/tro-ly-ao", get(chatbot))
        .route("/api/dvcqg/trang-thai", get(dvcqg_status))
        .route("/dang-nhap", get(login))
        .route("/so-do-trang", get(sitemap_page))
        .route("/sitemap.xml", get(sitemap_xml))
        .route("/.well-known/security.txt", get(security_txt))
        .route(
            "/robots.txt",
            get(|AxState(st): AxState<St>| async move {
                format!("User-agent: *\nAllow: /\nSitemap: {}sitemap.xml\n", st.base)
            }),
        )
        .route(
            "/static/quoc-huy.svg",
            get(|| async { ([(header::CONTENT_TYPE, "image/svg+xml")], EMBLEM_SVG) }),
        )
        .route(
            "/static/site.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/emc/embed/gov-tracking.min.js",
            get(|| async { ([(header::CONTENT_TYPE, "text/javascript")], TRACKER_JS) }),
        )
        .route("/emc/tracking", get(tracking).post(tracking))
        .route("/vong-lap", get(redirect_loop))
        .route("/trang-lon", get(huge))
        .fallback(fallback)
        .layer(middleware::from_fn_with_state(st.clone(), security_headers))
        .with_state(st)
}

/// The plain-HTTP site: a redirect to HTTPS (or, with `no-https-redirect`, the site itself).
pub fn plain_router(st: St, https_port: u16) -> Router {
    if st.defects.has("no-https-redirect") {
        return router(st);
    }
    Router::new().fallback(move |req: Request| async move {
        let path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        Redirect::permanent(&format!("https://127.0.0.1:{https_port}{path}"))
    })
}

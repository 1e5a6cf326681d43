//! Accounts and machine endpoints: the login page and its session cookie (SEC-3), the VNeID
//! single sign-on, its mock identity provider and the callback (PL1-1, SSO-1), the exposed back office
//! (SEC-8), the DVCQG status API (DVCQG-3), `security.txt`, the mock EMC tracker and the
//! Liferay theme's EMC script file, and the hostile-input pages (a redirect loop, an 8 MiB page).

use std::collections::HashMap;
use std::fmt::Write;
use std::sync::atomic::Ordering;

use axum::extract::{Path, Query, State as AxState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use url::Url;

use super::{St, not_found};
use crate::demo::content::{SITE_ID, TRACKER_JS, esc};
use crate::demo::layout::{Opts, emc_snippet, page, simple};

/// The EMC embed as the Liferay theme ships it: a script file on the portal's own host
/// (`/o/mau-theme/js/emc.js`; the FAQ portlet's copy `/o/hoi-dap-portlet/js/emc.js` reports to
/// site 1099, which only the FAQ page loads under `emc-site-id-differs`).
pub(in crate::demo) async fn emc_file(
    AxState(st): AxState<St>,
    Path(bundle): Path<String>,
) -> Response {
    let site = match bundle.as_str() {
        "mau-theme" => SITE_ID,
        "hoi-dap-portlet" => "1099",
        _ => return not_found(&st),
    };
    (
        [(header::CONTENT_TYPE, "text/javascript; charset=utf-8")],
        emc_snippet(&st.base, site, None),
    )
        .into_response()
}

/// The `state` the SSO entry sends and the callback expects back.
const SSO_STATE: &str = "kd-4f1c";

/// The SSO entry: an OpenID Connect authorisation request to the mock identity provider,
/// which lives on another origin (`localhost`) as a real one would; `login-offsite-http`
/// sends it over plain HTTP to the plain-HTTP site.
pub(in crate::demo) async fn sso_start(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-sso") {
        return not_found(&st);
    }
    let site = if st.defects.has("login-offsite-http") {
        &st.http_base
    } else {
        &st.base
    };
    let idp = site.replacen("127.0.0.1", "localhost", 1);
    let callback = format!("{}dang-nhap/callback", st.base);
    let mut url = format!(
        "{idp}idp/authorize?response_type=code&client_id=dvc-mau&scope=openid&redirect_uri={}",
        callback.replace(':', "%3A").replace('/', "%2F")
    );
    if !st.defects.has("sso-no-state") {
        let _ = write!(
            url,
            "&state={SSO_STATE}&nonce=kd-9a07&code_challenge=E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM&code_challenge_method=S256"
        );
    }
    Redirect::to(&url).into_response()
}

fn idp_page(status: StatusCode, body: &str) -> Response {
    let html = format!(
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>VNeID (mô phỏng)</title></head><body><main><h1>Đăng nhập VNeID (mô phỏng)</h1>{body}</main></body></html>"
    );
    (
        status,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        html,
    )
        .into_response()
}

/// The mock identity provider's login page (kiemdinh never submits anything to it): a link
/// back to the portal's callback with a mock code and the request's `state`, only when
/// `redirect_uri` is on the portal's own origin (no open redirect: 400 otherwise).
pub(in crate::demo) async fn idp_authorize(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let portal = Url::parse(&st.base).ok().map(|u| u.origin());
    let target = q
        .get("redirect_uri")
        .and_then(|r| Url::parse(r).ok())
        .filter(|u| Some(u.origin()) == portal);
    let Some(mut target) = target else {
        return idp_page(
            StatusCode::BAD_REQUEST,
            "<p class=\"loi\">Yêu cầu không hợp lệ: redirect_uri không thuộc ứng dụng đã đăng ký. Không chuyển hướng.</p>",
        );
    };
    target.query_pairs_mut().append_pair("code", "mock-code");
    if let Some(state) = q.get("state") {
        target.query_pairs_mut().append_pair("state", state);
    }
    idp_page(
        StatusCode::OK,
        &format!(
            "<p>Ứng dụng <strong>{}</strong> yêu cầu xác thực tài khoản định danh điện tử.</p>\
             <p><a id=\"tiep-tuc\" href=\"{}\">Tiếp tục (mô phỏng — không cần mật khẩu)</a></p>",
            esc(q.get("client_id").map_or("", String::as_str)),
            esc(target.as_str())
        ),
    )
}

/// `GET /dang-nhap/callback`: the identity provider's answer. A missing code is refused
/// (400), so is a `state` other than the one sent (unless `sso-no-state` sent none).
pub(in crate::demo) async fn sso_callback(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    if st.defects.has("no-sso") {
        return not_found(&st);
    }
    let refuse = |why: &str| {
        let mut r = simple(
            &st,
            "/dang-nhap",
            "Đăng nhập",
            &format!(
                "<h1>Đăng nhập không thành công</h1><p class=\"loi\" role=\"alert\">{why}</p><p><a href=\"/dang-nhap\">Thử đăng nhập lại</a></p>"
            ),
        );
        *r.status_mut() = StatusCode::BAD_REQUEST;
        r
    };
    if q.get("code").is_none_or(|c| c.trim().is_empty()) {
        return refuse("Thiếu mã xác thực (code) từ nhà cung cấp định danh.");
    }
    if !st.defects.has("sso-no-state") && q.get("state").map(String::as_str) != Some(SSO_STATE) {
        return refuse("Tham số state không khớp với yêu cầu đăng nhập.");
    }
    simple(
        &st,
        "/dang-nhap",
        "Đăng nhập thành công",
        "<h1>Đăng nhập thành công</h1><p class=\"chao\">Xin chào, Công dân Mẫu</p><p><a href=\"/tai-khoan\">Quản lý tài khoản</a> · <a href=\"/\">Về trang chủ</a></p>",
    )
}

/// The account form (PL1-1.1): e-mail and phone, saved by a POST that answers with a status
/// line; `done` after a save.
fn account_form(done: bool, problem: Option<&str>) -> String {
    let status = match (done, problem) {
        (_, Some(p)) => format!("<p class=\"thong-bao-loi\" role=\"alert\">{p}</p>"),
        (true, None) => {
            "<p role=\"status\" class=\"da-luu\">Đã cập nhật thông tin tài khoản.</p>".into()
        }
        (false, None) => String::new(),
    };
    format!(
        "<h1>Thông tin tài khoản</h1><p>Công dân Mẫu — tài khoản định danh điện tử VNeID mức 2.</p>{status}\
         <form method=\"post\" action=\"/tai-khoan\" class=\"tai-khoan\">\
         <div class=\"truong\"><label for=\"tk-email\">Thư điện tử nhận thông báo</label><input id=\"tk-email\" name=\"email\" type=\"email\" value=\"cong.dan@example.vn\"></div>\
         <div class=\"truong\"><label for=\"tk-dien-thoai\">Số điện thoại</label><input id=\"tk-dien-thoai\" name=\"dien-thoai\" inputmode=\"tel\" value=\"0912000000\"></div>\
         <button type=\"submit\">Lưu thay đổi</button></form>"
    )
}

/// PL1-1.1: the signed-in citizen's account page (`?da-luu=1` after a save).
pub(in crate::demo) async fn account(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let body = account_form(q.contains_key("da-luu"), None);
    simple(&st, "/tai-khoan", "Thông tin tài khoản", &body)
}

/// PL1-1.1: saving the account (`profile-broken`: 500).
pub(in crate::demo) async fn save_account(
    AxState(st): AxState<St>,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let fail = |status: StatusCode, why: &str| {
        let mut r = simple(
            &st,
            "/tai-khoan",
            "Thông tin tài khoản",
            &account_form(false, Some(why)),
        );
        *r.status_mut() = status;
        r
    };
    if st.defects.has("profile-broken") {
        return fail(
            StatusCode::INTERNAL_SERVER_ERROR,
            "Không lưu được thông tin tài khoản, vui lòng thử lại sau.",
        );
    }
    let phone = f.get("dien-thoai").map_or("", |v| v.trim());
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    if !(9..=11).contains(&digits) || phone.chars().any(|c| !c.is_ascii_digit() && c != ' ') {
        return fail(
            StatusCode::UNPROCESSABLE_ENTITY,
            "Số điện thoại gồm 10 chữ số, ví dụ 0912 345 678.",
        );
    }
    Redirect::to("/tai-khoan?da-luu=1").into_response()
}

/// `admin-exposed`: the back-office login on the public host.
pub(in crate::demo) async fn admin(AxState(st): AxState<St>) -> Response {
    if !st.defects.has("admin-exposed") {
        return not_found(&st);
    }
    let html = "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Quản trị hệ thống</title></head><body>\
                <h1>Đăng nhập quản trị</h1><form method=\"post\"><input name=\"u\"><input type=\"password\" name=\"p\"><button>Đăng nhập</button></form></body></html>";
    ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response()
}

/// DVCQG-3: the status document DVCQG polls for automatic alerting.
pub(in crate::demo) async fn dvcqg_status(AxState(st): AxState<St>) -> Response {
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

pub(in crate::demo) async fn login(AxState(st): AxState<St>) -> Response {
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

/// RFC 9116 `security.txt`, expiring 180 days from now (less than a year ahead, as §2.5.5
/// recommends); `no-security-txt` answers the 404 page instead.
pub(in crate::demo) async fn security_txt(AxState(st): AxState<St>) -> Response {
    if st.defects.has("no-security-txt") {
        return not_found(&st);
    }
    let expires = (time::OffsetDateTime::now_utc() + time::Duration::days(180))
        .replace_nanosecond(0)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default();
    let body = format!(
        "Contact: mailto:attt@mau.gov.vn\nExpires: {expires}\nPreferred-Languages: vi, en\nCanonical: {}.well-known/security.txt\n",
        st.base
    );
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], body).into_response()
}

/// The mock EMC tracker's collector (`/emc/tracking`, meant for `emc.localhost`): counts.
pub(in crate::demo) async fn tracking(AxState(st): AxState<St>) -> StatusCode {
    st.tracker_hits.fetch_add(1, Ordering::Relaxed);
    StatusCode::NO_CONTENT
}

/// The mock EMC tracker's script (`/emc/embed/gov-tracking.min.js`): counts, then serves it.
pub(in crate::demo) async fn tracker_script(AxState(st): AxState<St>) -> Response {
    st.tracker_hits.fetch_add(1, Ordering::Relaxed);
    ([(header::CONTENT_TYPE, "text/javascript")], TRACKER_JS).into_response()
}

pub(in crate::demo) async fn redirect_loop() -> Redirect {
    Redirect::temporary("/vong-lap")
}

/// `GET /ho-so-ca-nhan` (`leaky-tokens`): the profile the home page links to with its token
/// in the query (`access_token`), or asked for with `Authorization: Bearer` and the token;
/// anything else is refused (401), so a run that shows it as 200 sent the token.
pub(in crate::demo) async fn leaky_profile(
    AxState(st): AxState<St>,
    Query(q): Query<HashMap<String, String>>,
    headers: axum::http::HeaderMap,
) -> Response {
    if !st.defects.has("leaky-tokens") {
        return not_found(&st);
    }
    let token = crate::demo::content::LEAKY_TOKEN;
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "));
    if q.get("access_token").map(String::as_str) != Some(token) && bearer != Some(token) {
        let mut r = simple(
            &st,
            "/ho-so-ca-nhan",
            "Hồ sơ cá nhân",
            "<h1>Hồ sơ cá nhân</h1><p role=\"alert\">Phiên đăng nhập không hợp lệ.</p>",
        );
        *r.status_mut() = StatusCode::UNAUTHORIZED;
        return r;
    }
    simple(
        &st,
        "/ho-so-ca-nhan",
        "Hồ sơ cá nhân",
        &format!(
            "<h1>Hồ sơ cá nhân</h1><p>Tài khoản {}</p>",
            crate::demo::content::LEAKY_ACCOUNT
        ),
    )
}

pub(in crate::demo) async fn huge(AxState(st): AxState<St>) -> Response {
    let filler = "<p>Nội dung văn bản rất dài.</p>\n".repeat(8 * 1024 * 1024 / 40);
    page(&st, "/trang-lon", "Văn bản lớn", &filler, &Opts::default())
}

//! Accounts and machine endpoints: the login page and its session cookie (SEC-3), the VNeID
//! single sign-on and its mock identity provider (PL1-1, SSO-1), the exposed back office
//! (SEC-8), the DVCQG status API (DVCQG-3), `security.txt`, the mock EMC tracker and the
//! Liferay theme's EMC script file, and the hostile-input pages (a redirect loop, an 8 MiB page).

use axum::extract::{Path, State as AxState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};

use super::{St, not_found};
use std::sync::atomic::Ordering;

use crate::demo::content::{SITE_ID, TRACKER_JS};
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

/// The SSO entry: an OpenID Connect authorisation request to the mock identity provider,
/// which lives on another origin (`localhost`) as a real one would.
pub(in crate::demo) async fn sso_start(AxState(st): AxState<St>) -> Response {
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
pub(in crate::demo) async fn idp_authorize() -> Response {
    (
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>VNeID (mô phỏng)</title></head><body><h1>Đăng nhập VNeID (mô phỏng)</h1></body></html>",
    )
        .into_response()
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

pub(in crate::demo) async fn security_txt(AxState(st): AxState<St>) -> Response {
    let body = format!(
        "Contact: mailto:attt@mau.gov.vn\nExpires: 2099-12-31T23:59:59Z\nPreferred-Languages: vi, en\nCanonical: {}.well-known/security.txt\n",
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

pub(in crate::demo) async fn huge(AxState(st): AxState<St>) -> Response {
    let filler = "<p>Nội dung văn bản rất dài.</p>\n".repeat(8 * 1024 * 1024 / 40);
    page(&st, "/trang-lon", "Văn bản lớn", &filler, &Opts::default())
}

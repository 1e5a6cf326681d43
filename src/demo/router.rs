//! Every route of the reference portal, the security headers on every response, the servlet
//! container's `;jsessionid=` handling and the plain-HTTP redirect.

use axum::Router;
use axum::extract::{Request, State as AxState};
use axum::http::{HeaderMap, HeaderValue, Uri, header};
use axum::middleware::{self, Next};
use axum::response::{Redirect, Response};
use axum::routing::{get, post};

use super::content::{CSS, EMBLEM_PNG, EMBLEM_SVG, HERO_PATH};
use super::layout::{DIV_TABLE_EMBLEM, LIFERAY_EMBLEM};
use super::routes::{St, account, api, forms, functions, not_found, portal, session, widgets};

/// Drops a `;jsessionid=…` path parameter the way a servlet container does, so session-bound
/// URLs of the div-table theme reach their page.
pub(super) fn strip_session<B>(mut req: axum::http::Request<B>) -> axum::http::Request<B> {
    let uri = req.uri();
    let path = uri.path();
    if let Some(at) = path.find(";jsessionid=") {
        let end = path[at + 1..].find('/').map_or(path.len(), |i| at + 1 + i);
        let mut rebuilt = format!("{}{}", &path[..at], &path[end..]);
        if let Some(q) = uri.query() {
            rebuilt.push('?');
            rebuilt.push_str(q);
        }
        if let Ok(u) = rebuilt.parse::<Uri>() {
            *req.uri_mut() = u;
        }
    }
    req
}

async fn fallback(AxState(st): AxState<St>, uri: Uri) -> Response {
    super::exposure::answer(&st, uri.path()).unwrap_or_else(|| not_found(&st))
}

/// Security headers on every response (and the faults that remove or spoil them).
async fn security_headers(AxState(st): AxState<St>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let origin = req.headers().get(header::ORIGIN).cloned();
    let mut resp = next.run(req).await;
    let h: &mut HeaderMap = resp.headers_mut();
    super::security_defects::apply(&st.defects, &path, origin.as_ref(), h);
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
pub(super) fn router(st: St) -> Router {
    let routes = Router::new()
        .route("/", get(portal::home))
        .route("/gioi-thieu", get(portal::intro))
        .route("/thu-tuc/", get(portal::catalogue))
        .route("/thu-tuc/{code}", get(portal::procedure))
        .route("/linh-vuc/", get(portal::field_index))
        .route("/linh-vuc/{slug}", get(portal::field))
        .route("/linh-vuc/xay-dung/{*rest}", get(portal::deep))
        .route("/tim-kiem", get(portal::search))
        .route("/tra-cuu-ho-so", get(portal::lookup))
        .route("/phan-anh-kien-nghi", get(functions::complaints))
        .route("/danh-gia", get(functions::rating).post(widgets::rate))
        .route("/thong-ke", get(functions::statistics))
        .route("/huong-dan", get(functions::guide))
        .route("/huong-dan/{slug}", get(functions::guide_page))
        .route("/hoi-dap", get(functions::faq))
        .route("/lien-he", get(functions::contact))
        .route("/khao-sat", get(functions::survey))
        .route("/quan-tri", get(account::admin))
        .route("/dang-nhap/vneid", get(account::sso_start))
        .route("/idp/authorize", get(account::idp_authorize))
        .route("/dang-nhap/callback", get(account::sso_callback))
        .route(
            "/tai-khoan",
            get(account::account).post(account::save_account),
        )
        .route("/tro-ly-ao", get(functions::chatbot))
        .route("/tro-ly-ao/hoi", get(widgets::answer))
        .route("/nop-ho-so/tai-len", post(forms::upload))
        .route("/nop-ho-so/{code}", get(forms::eform).post(forms::submit))
        .route("/nop-ho-so/{code}/thanh-toan", get(forms::payment))
        .route(
            "/paygov/thanh-toan",
            get(forms::paygov).post(forms::paygov_confirm),
        )
        .route("/assets/js/{file}", get(widgets::script))
        .route("/api/dvcqg/trang-thai", get(account::dvcqg_status))
        .route("/dang-nhap", get(account::login))
        .route(
            "/can-bo/dang-nhap",
            get(session::login_page).post(session::login),
        )
        .route("/can-bo/", get(session::back_office))
        .route("/so-do-trang", get(functions::sitemap_page))
        .route("/sitemap.xml", get(functions::sitemap_xml))
        .route("/.well-known/security.txt", get(account::security_txt))
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
        .route(HERO_PATH, get(portal::hero))
        .route(
            "/static/site.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/emc/embed/gov-tracking.min.js",
            get(account::tracker_script),
        )
        .route("/o/{bundle}/js/emc.js", get(account::emc_file))
        .route(
            LIFERAY_EMBLEM,
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], EMBLEM_PNG) }),
        )
        .route(
            DIV_TABLE_EMBLEM,
            get(|| async { ([(header::CONTENT_TYPE, "image/png")], EMBLEM_PNG) }),
        )
        .route(
            "/o/mau-theme/css/main.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/Portals/_default/Skins/Mau/skin.css",
            get(|| async { ([(header::CONTENT_TYPE, "text/css")], CSS) }),
        )
        .route(
            "/emc/tracking",
            get(account::tracking).post(account::tracking),
        )
        .route("/vong-lap", get(account::redirect_loop))
        .route("/trang-lon", get(account::huge))
        .route("/ho-so-ca-nhan", get(account::leaky_profile))
        .route("/api/thu-tuc", get(api::search))
        .route("/api/thu-tuc/{code}", get(api::procedure))
        .route("/api/tra-cuu", post(api::lookup))
        .route("/api/tre", get(api::delay))
        .fallback(fallback);
    // `overload=N` counts every request; without it the layer is not there at all.
    let routes = if st.defects.overload().is_some() {
        routes.layer(middleware::from_fn_with_state(
            st.clone(),
            super::overload::gate,
        ))
    } else {
        routes
    };
    routes
        .layer(middleware::from_fn_with_state(st.clone(), security_headers))
        .layer(middleware::from_fn_with_state(
            st.clone(),
            super::meter::layer,
        ))
        .with_state(st)
}

/// The plain-HTTP site: a redirect to HTTPS (or, with `no-https-redirect`, the site itself;
/// with `login-offsite-http`, the identity provider's page the login is sent to).
pub(super) fn plain_router(st: St, https_port: u16) -> Router {
    if st.defects.has("no-https-redirect") {
        return router(st);
    }
    let redirect = move |req: Request| async move {
        let path = req
            .uri()
            .path_and_query()
            .map_or("/", |p| p.as_str())
            .to_string();
        Redirect::permanent(&format!("https://127.0.0.1:{https_port}{path}"))
    };
    let meter = middleware::from_fn_with_state(st.clone(), super::meter::layer);
    if st.defects.has("login-offsite-http") {
        return Router::new()
            .route("/idp/authorize", get(account::idp_authorize))
            .fallback(redirect)
            .layer(meter)
            .with_state(st);
    }
    Router::new().fallback(redirect).layer(meter).with_state(st)
}

//! The reference portal's header-level security defects (SEC-2, SEC-3), applied to every
//! response by the security-header layer: `weak-cookies` (a session cookie without `Secure`,
//! `HttpOnly` and `SameSite` on every response), `cors-wildcard`
//! (`Access-Control-Allow-Origin: *` with credentials on the JSON API) and `cors-reflect`
//! (any `Origin` reflected with credentials, preflights included). `csp-unsafe-inline` is in
//! the page layout, where the CSP is built.

use axum::http::{HeaderMap, HeaderValue, header};

use super::options::Defects;

/// The weak session cookie `weak-cookies` sets.
pub(super) const WEAK_COOKIE: &str = "dvc_session=kd0000demo; Path=/";

/// Adds the defects' headers to a response of `path` asked with `origin`.
pub(super) fn apply(
    defects: &Defects,
    path: &str,
    origin: Option<&HeaderValue>,
    h: &mut HeaderMap,
) {
    if defects.has("weak-cookies") {
        h.append(header::SET_COOKIE, HeaderValue::from_static(WEAK_COOKIE));
    }
    let credentials = || HeaderValue::from_static("true");
    if defects.has("cors-wildcard") && path.starts_with("/api/") {
        h.insert(
            header::ACCESS_CONTROL_ALLOW_ORIGIN,
            HeaderValue::from_static("*"),
        );
        h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, credentials());
    }
    if let (true, Some(o)) = (defects.has("cors-reflect"), origin) {
        h.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, o.clone());
        h.insert(header::ACCESS_CONTROL_ALLOW_CREDENTIALS, credentials());
        h.insert(header::VARY, HeaderValue::from_static("Origin"));
    }
}

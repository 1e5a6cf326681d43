//! The staff back office's local login (`/can-bo/dang-nhap`), what the consent-gated active
//! checks exercise (SEC-3 session renewal, SEC-4 idle timeout, SEC-5 lockout): a form login
//! for the test account [`STAFF_USER`] / [`STAFF_PASSWORD`], a session cookie
//! ([`STAFF_COOKIE`]) issued before login and renewed at login, a lockout after
//! [`MAX_FAILURES`] wrong passwords, and an idle timeout (5 s by default, so a demo run stays
//! short; [`LocalLogin::set_idle_timeout`] for tests). Nothing links to these pages: a crawl
//! never finds them, only `[security.active]` names them.
//!
//! Defects: `session-fixation` keeps the pre-login id at login; `no-lockout` never locks.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use axum::extract::State as AxState;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use sha2::{Digest, Sha256};

use super::St;
use crate::demo::layout::simple;

/// The demo's test account (documented in the README; a fictional back office).
pub const STAFF_USER: &str = "can-bo-thu";
/// Its password.
pub const STAFF_PASSWORD: &str = "Mau@2026-thu";
/// The back office's session cookie.
pub const STAFF_COOKIE: &str = "dvc_canbo";
/// Wrong passwords before the account locks (TCVN 14423:2026: at most 5).
pub const MAX_FAILURES: u32 = 5;
/// How long a lock lasts.
const LOCK_FOR: Duration = Duration::from_secs(15 * 60);
/// The default idle timeout, ms.
pub const DEFAULT_IDLE_MS: u64 = 5_000;

/// The back office's sessions and the test account's failures.
#[derive(Debug)]
pub struct LocalLogin {
    /// Session id → (logged in, last seen).
    sessions: Mutex<HashMap<String, (bool, Instant)>>,
    /// Consecutive wrong passwords, and until when the account is locked.
    failures: Mutex<(u32, Option<Instant>)>,
    idle_ms: AtomicU64,
    issued: AtomicU64,
}

impl Default for LocalLogin {
    fn default() -> Self {
        Self {
            sessions: Mutex::new(HashMap::new()),
            failures: Mutex::new((0, None)),
            idle_ms: AtomicU64::new(DEFAULT_IDLE_MS),
            issued: AtomicU64::new(0),
        }
    }
}

impl LocalLogin {
    /// Sets the idle timeout (tests).
    pub fn set_idle_timeout(&self, d: Duration) {
        self.idle_ms.store(
            u64::try_from(d.as_millis()).unwrap_or(u64::MAX),
            Ordering::SeqCst,
        );
    }

    fn idle(&self) -> Duration {
        Duration::from_millis(self.idle_ms.load(Ordering::SeqCst))
    }

    fn new_id(&self) -> String {
        let n = self.issued.fetch_add(1, Ordering::SeqCst);
        let seed = format!("{n}-{:?}-{:p}", Instant::now(), self);
        let d = Sha256::digest(seed.as_bytes());
        d.iter().take(16).map(|b| format!("{b:02x}")).collect()
    }

    fn sessions(&self) -> std::sync::MutexGuard<'_, HashMap<String, (bool, Instant)>> {
        self.sessions
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

fn cookie_of(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == STAFF_COOKIE)
        .map(|(_, v)| v.to_string())
}

fn set_cookie(resp: &mut Response, id: &str) {
    if let Ok(v) = HeaderValue::from_str(&format!(
        "{STAFF_COOKIE}={id}; Path=/can-bo; Secure; HttpOnly; SameSite=Strict"
    )) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
}

fn form(problem: Option<&str>) -> String {
    let p = problem.map_or_else(String::new, |p| {
        format!("<p class=\"loi\" role=\"alert\">{p}</p>")
    });
    format!(
        "<h1>Đăng nhập hệ thống một cửa (cán bộ)</h1>{p}\
         <form method=\"post\" action=\"/can-bo/dang-nhap\">\
         <label for=\"ten\">Tên đăng nhập</label><input id=\"ten\" name=\"ten-dang-nhap\" autocomplete=\"username\">\
         <label for=\"mk\">Mật khẩu</label><input id=\"mk\" type=\"password\" name=\"mat-khau\" autocomplete=\"current-password\">\
         <button type=\"submit\">Đăng nhập</button></form>"
    )
}

/// `GET /can-bo/dang-nhap`: the form; a visitor without a session gets one (not logged in).
pub(in crate::demo) async fn login_page(AxState(st): AxState<St>, headers: HeaderMap) -> Response {
    let mut resp = simple(&st, "/can-bo/dang-nhap", "Đăng nhập cán bộ", &form(None));
    let known = cookie_of(&headers).filter(|id| st.local_login.sessions().contains_key(id));
    if known.is_none() {
        let id = st.local_login.new_id();
        st.local_login
            .sessions()
            .insert(id.clone(), (false, Instant::now()));
        set_cookie(&mut resp, &id);
    }
    resp
}

/// `POST /can-bo/dang-nhap`: checks the password, counts failures, locks, renews the session.
pub(in crate::demo) async fn login(
    AxState(st): AxState<St>,
    headers: HeaderMap,
    axum::extract::Form(f): axum::extract::Form<HashMap<String, String>>,
) -> Response {
    let refuse = |status: StatusCode, why: &str| {
        let mut r = simple(
            &st,
            "/can-bo/dang-nhap",
            "Đăng nhập cán bộ",
            &form(Some(why)),
        );
        *r.status_mut() = status;
        r
    };
    let user = f.get("ten-dang-nhap").map_or("", String::as_str);
    let password = f.get("mat-khau").map_or("", String::as_str);
    let lockout = !st.defects.has("no-lockout");
    let right = {
        let mut failures = st
            .local_login
            .failures
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if failures.1.is_some_and(|until| Instant::now() >= until) {
            *failures = (0, None);
        }
        if user == STAFF_USER && failures.1.is_some() {
            return refuse(
                StatusCode::FORBIDDEN,
                "Tài khoản đã bị tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.",
            );
        }
        let right = user == STAFF_USER && password == STAFF_PASSWORD;
        if right {
            failures.0 = 0;
        } else if user == STAFF_USER {
            failures.0 += 1;
            if lockout && failures.0 >= MAX_FAILURES {
                failures.1 = Some(Instant::now() + LOCK_FOR);
                return refuse(
                    StatusCode::FORBIDDEN,
                    "Tài khoản đã bị tạm khóa do đăng nhập sai nhiều lần. Vui lòng thử lại sau 15 phút.",
                );
            }
        }
        right
    };
    if !right {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "Tên đăng nhập hoặc mật khẩu không đúng.",
        );
    }
    let before = cookie_of(&headers);
    let id = match before {
        // The fault: the id the visitor came with becomes the logged-in session.
        Some(id) if st.defects.has("session-fixation") => id,
        old => {
            if let Some(old) = old {
                st.local_login.sessions().remove(&old);
            }
            st.local_login.new_id()
        }
    };
    st.local_login
        .sessions()
        .insert(id.clone(), (true, Instant::now()));
    let mut resp = Redirect::to("/can-bo/").into_response();
    set_cookie(&mut resp, &id);
    resp
}

/// `GET /can-bo/`: the back office, only to a logged-in session not idle past the timeout
/// (401 otherwise; an expired session is forgotten).
pub(in crate::demo) async fn back_office(AxState(st): AxState<St>, headers: HeaderMap) -> Response {
    let idle = st.local_login.idle();
    let live = cookie_of(&headers).is_some_and(|id| {
        let mut sessions = st.local_login.sessions();
        match sessions.get_mut(&id) {
            Some((true, seen)) if seen.elapsed() <= idle => {
                *seen = Instant::now();
                true
            }
            Some((true, _)) => {
                sessions.remove(&id);
                false
            }
            _ => false,
        }
    });
    if live {
        return simple(
            &st,
            "/can-bo/",
            "Hệ thống một cửa",
            "<h1>Hệ thống một cửa điện tử</h1><p class=\"chao\">Xin chào, Cán bộ thử nghiệm</p>",
        );
    }
    let mut r = simple(
        &st,
        "/can-bo/",
        "Hệ thống một cửa",
        "<h1>Phiên đăng nhập đã hết hạn</h1><p role=\"alert\">Vui lòng <a href=\"/can-bo/dang-nhap\">đăng nhập lại</a>.</p>",
    );
    *r.status_mut() = StatusCode::UNAUTHORIZED;
    r
}

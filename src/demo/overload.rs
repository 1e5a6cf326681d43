//! The `overload=N` defect: a portal that holds N users and breaks past them, so a capacity
//! search has a known answer.
//!
//! Every request over the whole portal counts while it is in flight (from arrival until its
//! response head is ready). The request that arrives as the n-th in flight:
//! - n ≤ N: is served normally but holds its slot at least [`HOLD`] (20 ms), so a closed-loop
//!   journey with no think time keeps about one request in flight per user;
//! - n = N + 1: is served, held [`SLOWDOWN`] (50 ms) longer per request beyond N — latency
//!   grows past N;
//! - n > N + [`SLOW_ZONE`]: answers 503 at once with `Retry-After: 1`.
//!
//! So N users with no think time never see an error, and N + 2 users see about one error in
//! every two requests or more: a capacity search in steps of 2 that lands on N holds N and
//! breaks the 1 % error budget at N + 2. The slow zone is one request wide, not N/4: the
//! load thresholds (mean 10 s, slowest 30 s) are far above what a few 50 ms steps add, so a
//! wider zone would move the answer several steps past N. Without the defect the layer is not
//! installed at all.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{Request, State as AxState};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use tokio::time::Instant;

use super::routes::St;

/// The least time a request served under `overload=N` holds its slot.
pub(super) const HOLD: Duration = Duration::from_millis(20);
/// What each request in flight beyond N adds to the hold.
pub(super) const SLOWDOWN: Duration = Duration::from_millis(50);
/// How many requests beyond N are still served (slowly) before 503s.
pub(super) const SLOW_ZONE: usize = 1;

/// How long the n-th request in flight is held under `overload=limit`, or `None` for a 503.
pub(super) fn hold_for(limit: usize, n: usize) -> Option<Duration> {
    if n <= limit {
        Some(HOLD)
    } else if n <= limit + SLOW_ZONE {
        let beyond = u32::try_from(n - limit).unwrap_or(u32::MAX);
        Some(HOLD + SLOWDOWN * beyond)
    } else {
        None
    }
}

/// A slot in flight, given back when the request is done (or dropped half-way).
struct Slot<'a>(&'a AtomicUsize);

impl Drop for Slot<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The layer `overload=N` installs over the whole portal.
pub(super) async fn gate(AxState(st): AxState<St>, req: Request, next: Next) -> Response {
    let Some(limit) = st.defects.overload() else {
        return next.run(req).await;
    };
    let arrived = Instant::now();
    let n = st.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    let _slot = Slot(&st.in_flight);
    let Some(hold) = hold_for(limit, n) else {
        return busy();
    };
    let resp = next.run(req).await;
    tokio::time::sleep_until(arrived + hold).await;
    resp
}

/// The 503 an overloaded portal answers at once.
fn busy() -> Response {
    let mut r = (
        StatusCode::SERVICE_UNAVAILABLE,
        [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
        "<!doctype html><html lang=\"vi\"><head><meta charset=\"utf-8\"><title>Hệ thống quá tải</title></head><body><h1>Hệ thống đang quá tải</h1><p>Vui lòng thử lại sau.</p></body></html>",
    )
        .into_response();
    r.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
    r
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_slows_then_refuses() {
        assert_eq!(hold_for(4, 1), Some(HOLD));
        assert_eq!(hold_for(4, 4), Some(HOLD));
        assert_eq!(hold_for(4, 5), Some(HOLD + SLOWDOWN));
        assert_eq!(hold_for(4, 6), None);
        assert_eq!(hold_for(1, 2), Some(Duration::from_millis(70)));
        assert_eq!(hold_for(1, 3), None);
        assert_eq!(hold_for(100_000, 100_001), Some(Duration::from_millis(70)));
        assert_eq!(hold_for(100_000, 100_002), None);
    }
}

//! The reference portal's request counter and the `slow=MS` defect's delay, one layer over
//! both sites (HTTPS and plain HTTP).
//!
//! Every request is counted on arrival, except those to [`REQUESTS_PATH`], which answers the
//! count as plain text. Nothing links to that path (a crawl never finds it) and it is not
//! delayed, so a test can read how many requests a run made while the portal is slowed.
//!
//! [`OUTAGE_PATH`] switches an outage on and off while the portal runs (`POST
//! /__kiemdinh/outage?on=1`, then `?on=0`): while on, every other request of both sites is
//! answered `503 Service Unavailable` (counted, not delayed), as a portal behind a proxy whose
//! backend is down. It is unlinked like the counter, and the portal listens on loopback only,
//! so only a test on the same machine reaches it. It answers the state after the change
//! (`on`/`off`); `GET` reads the state without changing it.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State as AxState};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::routes::St;

/// The unlinked path that answers how many requests the portal has served (plain text).
pub const REQUESTS_PATH: &str = "/__kiemdinh/requests";

/// The unlinked path that switches the outage on (`POST ?on=1`) and off (`POST ?on=0`).
pub const OUTAGE_PATH: &str = "/__kiemdinh/outage";

/// The outage switch: `POST ?on=1|0` changes it, any method answers the state; a `POST`
/// without a valid `on` is a 400.
fn outage(st: &St, req: &Request) -> Response {
    if req.method() == axum::http::Method::POST {
        let on = req
            .uri()
            .query()
            .unwrap_or("")
            .split('&')
            .find_map(|kv| kv.strip_prefix("on="));
        match on {
            Some("1") => st.outage.store(true, Ordering::SeqCst),
            Some("0") => st.outage.store(false, Ordering::SeqCst),
            _ => {
                return (axum::http::StatusCode::BAD_REQUEST, "POST ?on=1 or ?on=0\n")
                    .into_response();
            }
        }
    }
    let state = if st.outage.load(Ordering::SeqCst) {
        "on"
    } else {
        "off"
    };
    ([(header::CONTENT_TYPE, "text/plain; charset=utf-8")], state).into_response()
}

/// Counts the request (or answers the count), then holds it `slow=MS` before serving it.
pub(super) async fn layer(AxState(st): AxState<St>, req: Request, next: Next) -> Response {
    if req.uri().path() == REQUESTS_PATH {
        let n = st.requests.load(Ordering::SeqCst);
        return (
            [(header::CONTENT_TYPE, "text/plain; charset=utf-8")],
            n.to_string(),
        )
            .into_response();
    }
    if req.uri().path() == OUTAGE_PATH {
        return outage(&st, &req);
    }
    st.requests.fetch_add(1, Ordering::SeqCst);
    if st.outage.load(Ordering::SeqCst) {
        return (
            axum::http::StatusCode::SERVICE_UNAVAILABLE,
            [(header::CONTENT_TYPE, "text/html; charset=utf-8")],
            "<html><head><title>503 Service Unavailable</title></head><body><h1>503 Service Unavailable</h1></body></html>",
        )
            .into_response();
    }
    if let Some(delay) = st.defects.slow() {
        tokio::time::sleep(delay).await;
    }
    next.run(req).await
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use axum::body::Body;
    use axum::http::Request;
    use tower::ServiceExt;

    use super::super::tests::{get, state};
    use super::super::{Theme, router};
    use super::{OUTAGE_PATH, REQUESTS_PATH};

    async fn plain_get(st: &super::St, path: &str) -> u16 {
        let req = Request::get(path).body(Body::empty()).unwrap();
        let resp = router::plain_router(st.clone(), 8443)
            .oneshot(req)
            .await
            .unwrap();
        resp.status().as_u16()
    }

    #[tokio::test]
    async fn counts_every_request_of_both_sites_but_its_own() {
        let st = state(Theme::Semantic, &[]);
        assert_eq!(get(&st, REQUESTS_PATH).await, (200, "0".to_string()));
        assert_eq!(get(&st, "/").await.0, 200);
        assert_eq!(get(&st, "/khong-co").await.0, 404);
        assert_eq!(plain_get(&st, "/").await, 308);
        assert_eq!(get(&st, REQUESTS_PATH).await, (200, "3".to_string()));
        assert_eq!(get(&st, REQUESTS_PATH).await.1, "3", "not counted itself");
        // Nothing links to it.
        let (_, home) = get(&st, "/").await;
        let (_, sitemap) = get(&st, "/sitemap.xml").await;
        assert!(!home.contains("__kiemdinh") && !sitemap.contains("__kiemdinh"));
    }

    async fn send(st: &super::St, method: &str, path: &str) -> (u16, String) {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .body(Body::empty())
            .unwrap();
        let resp = super::super::router::router(st.clone())
            .oneshot(req)
            .await
            .unwrap();
        let status = resp.status().as_u16();
        let body = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        (status, String::from_utf8_lossy(&body).to_string())
    }

    #[tokio::test]
    async fn the_outage_switch_makes_every_page_of_both_sites_503_until_switched_off() {
        let st = state(Theme::Semantic, &[]);
        assert_eq!(send(&st, "GET", OUTAGE_PATH).await, (200, "off".into()));
        assert_eq!(get(&st, "/").await.0, 200);
        assert_eq!(
            send(&st, "POST", "/__kiemdinh/outage?on=1").await,
            (200, "on".into())
        );
        for path in ["/", "/thu-tuc/", "/api/dvcqg/trang-thai", "/khong-co"] {
            let (status, body) = get(&st, path).await;
            assert_eq!(status, 503, "{path}");
            assert!(body.contains("503 Service Unavailable"), "{path}");
        }
        assert_eq!(plain_get(&st, "/").await, 503, "plain HTTP too");
        // The counter and the switch still answer.
        assert_eq!(get(&st, REQUESTS_PATH).await.0, 200);
        assert_eq!(send(&st, "GET", OUTAGE_PATH).await, (200, "on".into()));
        // A POST without a valid `on` changes nothing.
        assert_eq!(send(&st, "POST", "/__kiemdinh/outage?on=yes").await.0, 400);
        assert_eq!(get(&st, "/").await.0, 503);
        assert_eq!(
            send(&st, "POST", "/__kiemdinh/outage?on=0").await,
            (200, "off".into())
        );
        assert_eq!(get(&st, "/").await.0, 200);
        assert_eq!(plain_get(&st, "/").await, 308);
        // Nothing links to it.
        let (_, home) = get(&st, "/").await;
        assert!(!home.contains("outage"));
    }

    #[tokio::test]
    async fn slow_delays_every_response_but_the_counter() {
        let st = state(Theme::Semantic, &["slow=300"]);
        let t = Instant::now();
        assert_eq!(get(&st, "/").await.0, 200);
        assert!(
            t.elapsed() >= Duration::from_millis(300),
            "{:?}",
            t.elapsed()
        );
        let t = Instant::now();
        assert_eq!(plain_get(&st, "/gioi-thieu").await, 308);
        assert!(t.elapsed() >= Duration::from_millis(300), "plain HTTP too");
        let t = Instant::now();
        assert_eq!(get(&st, REQUESTS_PATH).await, (200, "2".to_string()));
        assert!(
            t.elapsed() < Duration::from_millis(300),
            "{:?}",
            t.elapsed()
        );
        // Without the defect nothing waits that long.
        let quick = state(Theme::Semantic, &[]);
        let t = Instant::now();
        get(&quick, "/").await;
        assert!(
            t.elapsed() < Duration::from_millis(300),
            "{:?}",
            t.elapsed()
        );
    }
}

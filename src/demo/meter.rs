//! The reference portal's request counter and the `slow=MS` defect's delay, one layer over
//! both sites (HTTPS and plain HTTP).
//!
//! Every request is counted on arrival, except those to [`REQUESTS_PATH`], which answers the
//! count as plain text. Nothing links to that path (a crawl never finds it) and it is not
//! delayed, so a test can read how many requests a run made while the portal is slowed.

use std::sync::atomic::Ordering;

use axum::extract::{Request, State as AxState};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use super::routes::St;

/// The unlinked path that answers how many requests the portal has served (plain text).
pub const REQUESTS_PATH: &str = "/__kiemdinh/requests";

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
    st.requests.fetch_add(1, Ordering::SeqCst);
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
    use super::REQUESTS_PATH;

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

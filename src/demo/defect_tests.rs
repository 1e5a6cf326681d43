//! What the browser defects and the mock tracker serve, in-process in every theme (a real
//! Chromium sees them in `browser_tests`): the tracker on `emc.localhost` and its counter,
//! the viewport meta, the hero image, and each browser defect's markup.

use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use base64::Engine;
use sha2::{Digest, Sha256};
use tower::ServiceExt;
use zune_jpeg::zune_core::bytestream::ZCursor;

use super::content::{HERO_HEIGHT, HERO_JPEG, HERO_PATH, HERO_WIDTH};
use super::tests::{get, get_with_csp, state, themes};
use super::{Theme, router};

const VIEWPORT: &str = "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";

/// The embed as a theme serves it on `path`: inline, or from the Liferay theme's file.
async fn embed(st: &std::sync::Arc<super::State>, path: &str) -> String {
    let (_, html) = get(st, path).await;
    if st.theme == Theme::Liferay {
        let (_, js) = get(st, "/o/mau-theme/js/emc.js").await;
        format!("{html}{js}")
    } else {
        html
    }
}

#[tokio::test]
async fn the_tracker_has_its_own_host_in_every_theme_and_the_csp_allows_it() {
    for theme in themes() {
        let st = state(theme, &[]);
        let code = embed(&st, "/").await;
        assert!(
            code.contains("'setTrackerUrl', 'https://emc.localhost:8443/emc/tracking'")
                && code
                    .contains("g.src = 'https://emc.localhost:8443/emc/embed/gov-tracking.min.js'"),
            "{theme:?}: {code}"
        );
        assert!(!code.contains("127.0.0.1:8443/emc"), "{theme:?}");
        let (_, _, csp) = get_with_csp(&st, "/").await;
        for directive in ["script-src", "connect-src", "img-src"] {
            let d = csp.split("; ").find(|d| d.starts_with(directive)).unwrap();
            assert!(
                d.contains(" https://emc.localhost:8443"),
                "{theme:?}: {csp}"
            );
        }
        assert_eq!(
            st.tracker_hits.load(Ordering::Relaxed),
            0,
            "pages do not count"
        );
    }
}

#[tokio::test]
async fn the_tracker_counts_its_script_and_its_beacons_whatever_the_host() {
    let st = state(Theme::Semantic, &[]);
    for (method, path, host) in [
        (
            "GET",
            "/emc/embed/gov-tracking.min.js",
            "emc.localhost:8443",
        ),
        ("POST", "/emc/tracking?idsite=1021", "emc.localhost:8443"),
        ("GET", "/emc/tracking", "127.0.0.1:8443"),
    ] {
        let req = Request::builder()
            .method(method)
            .uri(path)
            .header("host", host)
            .body(Body::empty())
            .unwrap();
        let resp = router::router(st.clone()).oneshot(req).await.unwrap();
        assert!(resp.status().is_success(), "{method} {path}");
    }
    assert_eq!(st.tracker_hits.load(Ordering::Relaxed), 3);
    get(&st, "/static/site.css").await;
    assert_eq!(
        st.tracker_hits.load(Ordering::Relaxed),
        3,
        "only the tracker counts"
    );
}

#[tokio::test]
async fn every_page_has_the_viewport_meta_and_no_viewport_drops_it_on_the_intro_only() {
    for theme in themes() {
        let clean = state(theme, &[]);
        let bad = state(theme, &["no-viewport"]);
        for path in ["/", "/gioi-thieu", "/thong-ke", "/khong-co"] {
            let (_, html) = get(&clean, path).await;
            assert_eq!(html.matches(VIEWPORT).count(), 1, "{theme:?} {path}");
            let (_, html) = get(&bad, path).await;
            let want = usize::from(path != "/gioi-thieu");
            assert_eq!(html.matches(VIEWPORT).count(), want, "{theme:?} {path}");
        }
    }
}

#[tokio::test]
async fn wide_table_drops_the_scroll_container_of_the_statistics_only() {
    for theme in themes() {
        let (_, clean) = get(&state(theme, &[]), "/thong-ke").await;
        assert!(clean.contains("<div class=\"cuon-ngang\"><table class=\"thong-ke\">"));
        let st = state(theme, &["wide-table"]);
        let (_, wide) = get(&st, "/thong-ke").await;
        assert!(
            wide.contains("<table class=\"thong-ke\" width=\"1200\">"),
            "{theme:?}"
        );
        assert!(!wide.contains("cuon-ngang"), "{theme:?}");
        let (_, catalogue) = get(&st, "/thu-tuc/").await;
        assert!(
            catalogue.contains("<div class=\"cuon-ngang\"><table>"),
            "{theme:?}"
        );
    }
}

#[tokio::test]
async fn layout_shift_adds_a_hashed_late_notice_to_the_search_page_only() {
    for theme in themes() {
        let st = state(theme, &["layout-shift"]);
        let (_, html, csp) = get_with_csp(&st, "/tim-kiem").await;
        assert!(
            html.contains("thong-bao-moi") && html.contains("setTimeout"),
            "{theme:?}"
        );
        let script = html
            .split("<script>")
            .find(|s| s.contains("thong-bao-moi"))
            .map(|s| &s[..s.find("</script>").unwrap()])
            .unwrap();
        let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(script));
        assert!(csp.contains(&hash), "{theme:?}");
        let (_, home) = get(&st, "/").await;
        assert!(!home.contains("thong-bao-moi"), "{theme:?}");
        let (_, clean) = get(&state(theme, &[]), "/tim-kiem").await;
        assert!(!clean.contains("thong-bao-moi"), "{theme:?}");
    }
}

#[tokio::test]
async fn no_trackdvc_keeps_the_page_view_and_drops_the_service_code() {
    for theme in themes() {
        let clean = embed(&state(theme, &[]), "/thu-tuc/1.00101").await;
        assert!(clean.contains("['trackDVC', '1.00101'"), "{theme:?}");
        let bare = embed(&state(theme, &["no-trackdvc"]), "/thu-tuc/1.00101").await;
        assert!(
            bare.contains("['trackPageView']") && !bare.contains("trackDVC"),
            "{theme:?}"
        );
    }
}

/// The JSON string the `spa-shell` builder carries, decoded.
fn shell_markup(html: &str) -> String {
    let start = html.find("var html = ").unwrap() + "var html = ".len();
    let end = start + html[start..].find(";\nvar app").unwrap();
    serde_json::from_str(&html[start..end]).unwrap()
}

#[tokio::test]
async fn spa_shell_serves_an_empty_app_whose_script_holds_the_same_page() {
    for theme in themes() {
        let st = state(theme, &["spa-shell"]);
        for path in ["/", "/thu-tuc/", "/tim-kiem?q=khai", "/khong-co"] {
            let (status, html, csp) = get_with_csp(&st, path).await;
            let at = format!("{theme:?} {path}");
            assert!(status == 200 || path == "/khong-co", "{at}");
            let body = &html[html.find("</head>").unwrap()..];
            assert!(body.contains("<div id=\"app\"></div><noscript>"), "{at}");
            let shell = &body[..body.find("<script>").unwrap()];
            assert!(!shell.contains("href="), "{at}: no link in the shell");
            assert!(html.contains(VIEWPORT) && html.contains("<title>"), "{at}");
            let head = &html[..html.find("</head>").unwrap()];
            assert!(
                head.contains("setSiteId") || head.contains("emc.js"),
                "{at}"
            );
            assert!(head.contains("stylesheet"), "{at}");
            let markup = shell_markup(&html);
            assert!(markup.contains("<a href=\"/so-do-trang\">"), "{at}");
            // Every inline script (the builder too) is in the CSP.
            for s in html.split("<script>").skip(1) {
                let s = &s[..s.find("</script>").unwrap()];
                let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
                assert!(csp.contains(&hash), "{at}");
            }
            if theme.semantic_markup() {
                // No per-request noise: the built markup is the served page's body.
                let (_, served) = get(&state(theme, &[]), path).await;
                let from = served.find("<body>\n").unwrap() + "<body>\n".len();
                let to = served.find("\n<script>").unwrap();
                assert_eq!(markup, served[from..to], "{at}");
            }
        }
    }
}

#[tokio::test]
async fn the_hero_is_a_pale_jpeg_with_its_size_and_slow_lcp_holds_it() {
    assert!(
        (15_000..=30_000).contains(&HERO_JPEG.len()),
        "{}",
        HERO_JPEG.len()
    );
    let mut d = zune_jpeg::JpegDecoder::new(ZCursor::new(HERO_JPEG));
    d.decode_headers().unwrap();
    let (w, h) = d.dimensions().unwrap();
    assert_eq!((w, h), (HERO_WIDTH as usize, HERO_HEIGHT as usize));
    // Pixels Speed Index counts (not near-white): a small share, for `slow-lcp`.
    let histogram = crate::probe::lab::speed_index::decode_histogram(HERO_JPEG).unwrap();
    let coloured: u32 = histogram[0].iter().sum();
    let share = f64::from(coloured) / (w * h) as f64;
    assert!((0.1..0.35).contains(&share), "{share}");
    for theme in themes() {
        let (_, home) = get(&state(theme, &[]), "/").await;
        assert!(
            home.contains(&format!(
                "<img src=\"{HERO_PATH}\" alt=\"Trung tâm Phục vụ hành chính công tỉnh Mẫu\" width=\"960\" height=\"540\""
            )) || theme == Theme::Decomposed,
            "{theme:?}"
        );
        assert!(home.contains(HERO_PATH), "{theme:?}");
    }
    let timed = |defects: &'static [&'static str]| async move {
        let began = Instant::now();
        let req = Request::get(HERO_PATH).body(Body::empty()).unwrap();
        let resp = router::router(state(Theme::Semantic, defects))
            .oneshot(req)
            .await
            .unwrap();
        let ty = resp.headers()["content-type"].to_str().unwrap().to_string();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .unwrap();
        assert_eq!((ty.as_str(), &bytes[..]), ("image/jpeg", HERO_JPEG));
        began.elapsed()
    };
    assert!(timed(&[]).await < Duration::from_secs(1));
    assert!(timed(&["slow-lcp"]).await >= Duration::from_millis(3500));
}

/// `leaky-tokens`: the home page hands out the token and names the account; the profile
/// answers only to the token, in the query or as a bearer; without the defect it is not there.
#[tokio::test]
async fn leaky_tokens_links_the_token_and_the_profile_answers_only_to_it() {
    use super::content::{LEAKY_ACCOUNT, LEAKY_TOKEN};
    let st = state(Theme::Semantic, &["leaky-tokens"]);
    let (_, home) = get(&st, "/").await;
    assert!(
        home.contains(&format!("/ho-so-ca-nhan?access_token={LEAKY_TOKEN}"))
            && home.contains(LEAKY_ACCOUNT),
        "{home}"
    );
    let (ok, page) = get(&st, &format!("/ho-so-ca-nhan?access_token={LEAKY_TOKEN}")).await;
    assert_eq!(ok, 200);
    assert!(page.contains(LEAKY_ACCOUNT));
    assert_eq!(get(&st, "/ho-so-ca-nhan?access_token=khac").await.0, 401);
    assert_eq!(get(&st, "/ho-so-ca-nhan").await.0, 401);
    let bearer = |value: String| {
        let req = Request::get("/ho-so-ca-nhan")
            .header("authorization", value)
            .body(Body::empty())
            .unwrap();
        router::router(st.clone()).oneshot(req)
    };
    assert_eq!(
        bearer(format!("Bearer {LEAKY_TOKEN}"))
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(bearer("Bearer khac".into()).await.unwrap().status(), 401);
    let clean = state(Theme::Semantic, &[]);
    assert!(!get(&clean, "/").await.1.contains(LEAKY_TOKEN));
    assert_eq!(
        get(
            &clean,
            &format!("/ho-so-ca-nhan?access_token={LEAKY_TOKEN}")
        )
        .await
        .0,
        404
    );
}

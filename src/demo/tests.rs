//! The themes' markup, served in-process (no listener): each theme's conventions, the
//! per-request noise, and the defects that must survive every theme.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize};

use axum::body::Body;
use axum::http::Request;
use tower::ServiceExt;

use super::{Defects, State, THEMES, Theme, content, router};

pub(super) fn state(theme: Theme, defects: &[&str]) -> Arc<State> {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    Arc::new(State {
        defects: Defects::parse(&names).unwrap(),
        theme,
        base: "https://127.0.0.1:8443/".into(),
        http_base: "http://127.0.0.1:8080/".into(),
        procedures: content::procedures(),
        tracker_hits: AtomicUsize::new(0),
        visits: AtomicU64::new(123_456),
        in_flight: AtomicUsize::new(0),
        requests: AtomicU64::new(0),
        local_login: super::routes::session::LocalLogin::default(),
        outage: AtomicBool::new(false),
    })
}

pub(super) async fn get_with_csp(st: &Arc<State>, path: &str) -> (u16, String, String) {
    let req = router::strip_session(Request::get(path).body(Body::empty()).unwrap());
    let resp = router::router(st.clone()).oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let csp = resp
        .headers()
        .get("content-security-policy")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, String::from_utf8(bytes.to_vec()).unwrap(), csp)
}

pub(super) async fn get(st: &Arc<State>, path: &str) -> (u16, String) {
    let (status, body, _) = get_with_csp(st, path).await;
    (status, body)
}

pub(super) fn themes() -> Vec<Theme> {
    THEMES
        .iter()
        .map(|(n, _)| Theme::parse(n).unwrap())
        .collect()
}

#[tokio::test]
async fn each_theme_serves_its_own_conventions() {
    let (_, lr) = get(&state(Theme::Liferay, &[]), "/").await;
    for want in [
        "<div id=\"wrapper\"",
        "<div id=\"banner\"",
        "<div id=\"navigation\"",
        "<ul class=\"nav navbar-nav\">",
        "<section id=\"content\">",
        "<div id=\"footer\"",
        "alt=\"Quốc huy\" width=\"64\" height=\"64\"",
        "<script src=\"/o/mau-theme/js/emc.js\"></script>",
        "class=\"sign-in\"",
    ] {
        assert!(lr.contains(want), "liferay: {want}");
    }
    assert!(
        !lr.contains("setSiteId"),
        "liferay: the embed is not inline"
    );
    let (_, dt) = get(&state(Theme::DivTable, &[]), "/").await;
    for want in [
        "<div class=\"top-header\">",
        "<div class=\"menu-bar\"><ul",
        "<table class=\"layout\"",
        "<div class=\"main-content\" id=\"main\">",
        "<div class=\"footer\">",
        "setSiteId",
    ] {
        assert!(dt.contains(want), "div-table: {want}");
    }
    for (name, html) in [("liferay", &lr), ("div-table", &dt)] {
        for landmark in ["<header", "<main", "<footer", "<nav", "role=", "aria-"] {
            assert!(!html.contains(landmark), "{name} has no {landmark}");
        }
    }
    let (_, sem) = get(&state(Theme::Semantic, &[]), "/").await;
    for want in ["<header>", "<nav ", "<main ", "<footer>"] {
        assert!(sem.contains(want), "semantic: {want}");
    }
}

#[tokio::test]
async fn noise_changes_per_request_only_in_the_vendor_themes() {
    for theme in themes() {
        let st = state(theme, &[]);
        let (_, a) = get(&st, "/gioi-thieu").await;
        let (_, b) = get(&st, "/gioi-thieu").await;
        if theme.semantic_markup() {
            assert_eq!(a, b, "{theme:?} pages are stable");
        } else {
            assert_ne!(a, b, "{theme:?} pages vary per request");
            assert!(a.contains("Lượt truy cập: 123457") && b.contains("Lượt truy cập: 123458"));
        }
    }
    let (_, lr) = get(&state(Theme::Liferay, &[]), "/thong-ke").await;
    assert!(lr.contains("name=\"p_auth\"") && lr.contains("Liferay.authToken"));
    assert!(lr.contains("<li class=\"lfr-nav-item selected active\"><a href=\"/thong-ke\">"));
    let (_, dt) = get(&state(Theme::DivTable, &[]), "/thong-ke").await;
    assert!(dt.contains("/tim-kiem;jsessionid=") && dt.contains("name=\"_wpnonce\""));
    assert!(dt.contains("<li class=\"current\"><a href=\"/thong-ke\""));
}

#[tokio::test]
async fn the_csp_hashes_every_inline_script_in_every_theme() {
    use base64::Engine;
    use sha2::{Digest, Sha256};
    for theme in themes() {
        let (_, html, csp) = get_with_csp(&state(theme, &[]), "/thu-tuc/1.00101").await;
        let scripts: Vec<&str> = html
            .split("<script>")
            .skip(1)
            .map(|s| &s[..s.find("</script>").unwrap()])
            .collect();
        assert!(!scripts.is_empty(), "{theme:?}");
        for s in scripts {
            let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(s));
            assert!(csp.contains(&hash), "{theme:?}: {s}");
        }
    }
}

#[tokio::test]
async fn session_bound_urls_reach_their_page() {
    let st = state(Theme::DivTable, &[]);
    let (status, html) = get(&st, "/tim-kiem;jsessionid=0a1b2c?q=khai+sinh").await;
    assert_eq!(status, 200);
    assert!(html.contains("Tìm thấy 1 thủ tục"), "{html}");
}

#[tokio::test]
async fn decomposed_theme_serves_nfd_with_old_style_tones() {
    let (_, html) = get(&state(Theme::Decomposed, &[]), "/").await;
    assert!(
        !html.contains('ố') && !html.contains("Ủy"),
        "nothing precomposed"
    );
    let composed = crate::unicode::nfc(&html);
    assert!(
        composed.contains("Uỷ ban nhân dân tỉnh Mẫu"),
        "old-style tone"
    );
    assert!(composed.contains("Cổng Dịch vụ công tỉnh Mẫu"));
}

#[tokio::test]
async fn header_missing_removes_the_whole_header_block_in_every_theme() {
    for theme in themes() {
        let st = state(theme, &["header-missing"]);
        let (_, search) = get(&st, "/tim-kiem").await;
        let search = crate::unicode::nfc(&search);
        for part in [
            "<header",
            "id=\"banner\"",
            "id=\"navigation\"",
            "top-header",
            "menu-bar",
            "Đăng nhập",
        ] {
            assert!(!search.contains(part), "{theme:?}: {part} removed");
        }
        let (_, home) = get(&st, "/").await;
        let home = crate::unicode::nfc(&home);
        assert!(home.contains("Đăng nhập"), "{theme:?}: other pages keep it");
    }
}

#[tokio::test]
async fn no_emc_and_site_id_defects_reach_the_embed_wherever_it_lives() {
    for theme in themes() {
        let st = state(theme, &["no-emc", "emc-site-id-differs"]);
        let (_, guide) = get(&st, "/huong-dan").await;
        assert!(
            !guide.contains("setSiteId") && !guide.contains("emc.js"),
            "{theme:?}: guide without embed"
        );
        let (_, faq) = get(&st, "/hoi-dap").await;
        let (_, home) = get(&st, "/").await;
        if theme == Theme::Liferay {
            assert!(faq.contains("/o/hoi-dap-portlet/js/emc.js"));
            assert!(home.contains("/o/mau-theme/js/emc.js"));
            let (_, js) = get(&st, "/o/hoi-dap-portlet/js/emc.js").await;
            assert!(js.contains("['setSiteId', '1099']"), "{js}");
        } else {
            assert!(faq.contains("['setSiteId', '1099']"), "{theme:?}");
            assert!(home.contains("['setSiteId', '1021']"), "{theme:?}");
        }
    }
    let (_, service) = get(&state(Theme::Liferay, &[]), "/thu-tuc/1.00101").await;
    assert!(service.contains("_govaq.push(['trackDVC', '1.00101'"));
}

#[tokio::test]
async fn search_results_hold_the_term_and_filters_narrow_them() {
    let st = state(Theme::Semantic, &[]);
    let rows = |html: &str| html.matches("<tr><td>").count();
    let (_, all) = get(&st, "/tim-kiem?q=c%E1%BA%A5p").await;
    let (_, narrowed) = get(&st, "/tim-kiem?q=c%E1%BA%A5p&co-quan=so-xay-dung").await;
    assert!(rows(&all) > rows(&narrowed) && rows(&narrowed) > 0);
    let (_, field) = get(&st, "/tim-kiem?q=c%E1%BA%A5p&linh-vuc=y-te").await;
    assert!(rows(&field) < rows(&all) && rows(&field) > 0);
    // Accent- and case-insensitive, like the portals users know.
    let (_, plain) = get(&st, "/tim-kiem?q=KHAI+SINH").await;
    assert!(plain.contains("Đăng ký khai sinh"));
}

#[tokio::test]
async fn statistics_are_labelled_and_consistent() {
    let (_, html) = get(&state(Theme::Semantic, &[]), "/thong-ke").await;
    let value = |label: &str| -> f64 {
        let at = html.find(label).unwrap_or_else(|| panic!("{label}"));
        let rest = &html[at..];
        let td = &rest[rest.find("<td>").unwrap() + 4..];
        let v = &td[..td.find("</td>").unwrap()];
        v.replace('.', "")
            .replace(',', ".")
            .trim_end_matches('%')
            .parse()
            .unwrap()
    };
    let received = value("Số hồ sơ tiếp nhận");
    let resolved = value("Số hồ sơ đã giải quyết");
    let on_time = value("Giải quyết đúng hạn");
    let overdue = value("Giải quyết quá hạn");
    assert!(resolved <= received);
    assert!((on_time + overdue - resolved).abs() < 0.5);
    let rate = value("Tỷ lệ giải quyết đúng hạn");
    assert!((rate - 100.0 * on_time / resolved).abs() < 0.05);
    assert!((0.0..=100.0).contains(&value("Tỷ lệ hồ sơ trực tuyến")));
    assert!(html.contains("28/11/2026") && html.contains("Đường dây nóng"));
}

/// The shipped DVCQG export is the demo catalogue (`KIEMDINH_BLESS=1` rewrites it).
#[test]
fn shipped_catalogue_export_matches_the_demo_catalogue() {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/scenarios/demo-evidence/dvcqg-catalogue.csv"
    );
    let want = content::catalogue_csv();
    if std::env::var_os("KIEMDINH_BLESS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    assert_eq!(
        std::fs::read_to_string(path).unwrap(),
        want,
        "run with KIEMDINH_BLESS=1"
    );
}

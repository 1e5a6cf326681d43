//! The citizen journeys over HTTP, served in-process: the e-form and its checks, the upload
//! endpoint, the payment and signing step, the mock payment platform, the SSO round trip
//! (with the open-redirect refusal), the rating and chatbot endpoints, the page scripts, and
//! what each journey defect changes.

use std::sync::Arc;

use axum::body::Body;
use axum::http::{HeaderMap, Request, header};
use tower::ServiceExt;

use super::routes::forms::{ID_INVALID, NAME_MISSING, UPLOAD_LIMIT};
use super::tests::{get_with_csp, state, themes};
use super::{State, Theme, router};
use crate::unicode::nfc;

/// The response to a request: status, headers, body (NFC, whatever the theme).
async fn send(st: &Arc<State>, req: Request<Body>) -> (u16, HeaderMap, String) {
    let resp = router::router(st.clone()).oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let headers = resp.headers().clone();
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    (status, headers, nfc(std::str::from_utf8(&bytes).unwrap()))
}

async fn get(st: &Arc<State>, path: &str) -> (u16, HeaderMap, String) {
    send(st, Request::get(path).body(Body::empty()).unwrap()).await
}

async fn post_form(st: &Arc<State>, path: &str, form: &str) -> (u16, HeaderMap, String) {
    let req = Request::post(path)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(form.to_string()))
        .unwrap();
    send(st, req).await
}

async fn upload(st: &Arc<State>, name: Option<&str>, body: Vec<u8>) -> (u16, String) {
    let mut req = Request::post("/nop-ho-so/tai-len");
    if let Some(n) = name {
        req = req.header("x-ten-tep", n);
    }
    let (status, _, body) = send(st, req.body(Body::from(body)).unwrap()).await;
    (status, body)
}

fn location(h: &HeaderMap) -> &str {
    h.get(header::LOCATION).unwrap().to_str().unwrap()
}

#[tokio::test]
async fn the_eform_holds_the_contract_in_every_theme() {
    for theme in themes() {
        let st = state(theme, &[]);
        let (status, _, html) = get(&st, "/nop-ho-so/1.00101").await;
        assert_eq!(status, 200, "{theme:?}");
        for want in [
            "<h1>Nộp hồ sơ trực tuyến: Đăng ký biến động quyền sử dụng đất</h1>",
            "<form id=\"to-khai\" method=\"post\" action=\"/nop-ho-so/1.00101\" novalidate>",
            "<label for=\"ho-ten\">Họ và tên</label><input id=\"ho-ten\" name=\"ho-ten\" autocomplete=\"name\" required value=\"\" aria-describedby=\"ho-ten-huong-dan\">",
            "<small id=\"ho-ten-huong-dan\">Ghi đầy đủ họ tên như trên thẻ Căn cước</small>",
            "<label for=\"so-dinh-danh\">Số định danh cá nhân</label><input id=\"so-dinh-danh\"",
            "<small id=\"so-dinh-danh-huong-dan\">Gồm 12 chữ số</small>",
            "<label for=\"email\">Thư điện tử</label><input id=\"email\" name=\"email\" type=\"email\"",
            "<label for=\"giay-to\">Giấy tờ kèm theo</label><input id=\"giay-to\" type=\"file\" accept=\".pdf,.jpg,.jpeg,.png\"",
            "<p id=\"tep-da-tai\" role=\"status\"></p>",
            "<input type=\"checkbox\" id=\"buu-chinh\" name=\"buu-chinh\" value=\"co\"> <label for=\"buu-chinh\">Nhận kết quả qua dịch vụ bưu chính công ích</label>",
            "<button type=\"submit\">Nộp hồ sơ</button>",
            "<script src=\"/assets/js/ho-so.js\"></script>",
            "<script src=\"/assets/js/kiem-tra.js\"></script>",
        ] {
            assert!(html.contains(want), "{theme:?}: {want}");
        }
        assert!(!html.contains("thong-bao-loi"), "no message before a try");
        assert_eq!(get(&st, "/nop-ho-so/9.99999").await.0, 404);
        assert_eq!(get(&st, "/nop-ho-so/9.99999/thanh-toan").await.0, 404);
    }
}

#[tokio::test]
async fn the_server_checks_the_form_as_the_script_does() {
    let st = state(Theme::Semantic, &[]);
    let (status, _, html) = post_form(
        &st,
        "/nop-ho-so/1.00101",
        "ho-ten=&so-dinh-danh=12345&email=a%40b.vn&buu-chinh=co",
    )
    .await;
    assert_eq!(status, 422);
    for want in [
        format!("<p id=\"ho-ten-loi\" class=\"thong-bao-loi\" role=\"alert\">{NAME_MISSING}</p>"),
        format!(
            "<p id=\"so-dinh-danh-loi\" class=\"thong-bao-loi\" role=\"alert\">{ID_INVALID}</p>"
        ),
        "value=\"12345\" aria-invalid=\"true\" aria-describedby=\"so-dinh-danh-huong-dan so-dinh-danh-loi\"".into(),
        "value=\"a@b.vn\">".into(),
        "value=\"co\" checked>".into(),
    ] {
        assert!(html.contains(&want), "{want}\n{html}");
    }
    // Only the wrong field is marked; what was typed comes back escaped.
    let (status, _, html) = post_form(
        &st,
        "/nop-ho-so/1.00101",
        "ho-ten=%3Cb%3EA%3C%2Fb%3E&so-dinh-danh=1234567890123",
    )
    .await;
    assert_eq!(status, 422);
    assert!(html.contains(ID_INVALID) && !html.contains(NAME_MISSING));
    assert!(html.contains("value=\"&lt;b&gt;A&lt;/b&gt;\"") && !html.contains("<b>A</b>"));
    let (status, h, _) = post_form(
        &st,
        "/nop-ho-so/1.00101",
        "ho-ten=Nguy%E1%BB%85n+V%C4%83n+A&so-dinh-danh=001203004567",
    )
    .await;
    assert_eq!(status, 303);
    assert_eq!(location(&h), "/nop-ho-so/1.00101/thanh-toan");
    assert_eq!(
        post_form(&st, "/nop-ho-so/9.99999", "ho-ten=A").await.0,
        404
    );
}

#[tokio::test]
async fn no_validation_drops_the_script_check_and_takes_anything() {
    let st = state(Theme::Semantic, &["no-validation"]);
    let (_, _, html) = get(&st, "/nop-ho-so/1.00101").await;
    assert!(html.contains("/assets/js/ho-so.js") && !html.contains("kiem-tra.js"));
    let (status, h, _) = post_form(&st, "/nop-ho-so/1.00101", "ho-ten=&so-dinh-danh=abc").await;
    assert_eq!(status, 303);
    assert_eq!(location(&h), "/nop-ho-so/1.00101/thanh-toan");
}

#[tokio::test]
async fn the_payment_step_links_the_platform_on_another_origin_and_offers_signing() {
    let st = state(Theme::Semantic, &[]);
    let (status, _, html) = get(&st, "/nop-ho-so/1.00101/thanh-toan").await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Thanh toán lệ phí và ký số hồ sơ</h1>"));
    assert!(
        html.contains("Lệ phí: 50.000 đồng")
            && html.contains("Mã hồ sơ: <strong class=\"ma-ho-so\">H55.12-")
    );
    let href = html
        .split("<a class=\"thanh-toan\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .replace("&amp;", "&");
    assert!(
        href.starts_with("https://localhost:8443/paygov/thanh-toan?ma-ho-so=H55.12-")
            && href.ends_with("&so-tien=50000"),
        "{href}"
    );
    assert!(html.contains(">Thanh toán qua Nền tảng thanh toán trực tuyến (PayGov)</a>"));
    assert!(html.contains("<button type=\"button\" class=\"ky-so\" data-esign=\"H55.12-"));
    assert!(
        html.contains(">Ký số hồ sơ</button>")
            && html.contains("<p id=\"ky-so-trang-thai\" role=\"status\"></p>")
    );
    assert!(html.contains("<script src=\"/assets/js/thanh-toan.js\"></script>"));
    // The mock platform shows the amount and a button it never honours.
    let path = href.trim_start_matches("https://localhost:8443");
    let (status, _, html) = get(&st, path).await;
    assert_eq!(status, 200);
    assert!(html.contains("<h1>Cổng thanh toán PayGov (mô phỏng)</h1>"));
    assert!(
        html.contains("Số tiền: 50.000 đồng") && html.contains(">Xác nhận thanh toán</button>")
    );
    let (status, _, html) = post_form(&st, "/paygov/thanh-toan", "ma-ho-so=X&so-tien=50000").await;
    assert_eq!(status, 200);
    assert!(html.contains("không nhận thanh toán"), "{html}");
    for bad in [
        "/paygov/thanh-toan",
        "/paygov/thanh-toan?ma-ho-so=%3Cscript%3E&so-tien=50000",
        "/paygov/thanh-toan?ma-ho-so=H55&so-tien=-5",
    ] {
        let (status, _, html) = get(&st, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert!(!html.contains("Xác nhận thanh toán") && !html.contains("<script>"));
    }
}

#[tokio::test]
async fn the_upload_endpoint_takes_a_bounded_file_of_an_accepted_type() {
    let st = state(Theme::Semantic, &[]);
    let (status, body) = upload(
        &st,
        Some("gi%E1%BA%A5y%20t%E1%BB%9D.pdf"),
        b"%PDF-1.4 x".to_vec(),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(v["ten-tep"], "giấy tờ.pdf");
    assert_eq!(v["kich-thuoc"], 10);
    // A path in the name is dropped.
    let (_, body) = upload(&st, Some("C%3A%5Ctmp%5Canh.PNG"), vec![1, 2]).await;
    assert!(body.contains("\"ten-tep\":\"anh.PNG\""), "{body}");
    assert_eq!(upload(&st, None, vec![1]).await.0, 400, "no name");
    assert_eq!(upload(&st, Some("a%2"), vec![1]).await.0, 400, "bad escape");
    assert_eq!(upload(&st, Some("a.pdf"), Vec::new()).await.0, 400, "empty");
    assert_eq!(upload(&st, Some("virus.exe"), vec![1]).await.0, 415);
    assert_eq!(
        upload(&st, Some("pdf"), vec![1]).await.0,
        415,
        "no extension"
    );
    // Too large: by its declared length, and by what arrives without one.
    let req = Request::post("/nop-ho-so/tai-len")
        .header("x-ten-tep", "a.pdf")
        .header(header::CONTENT_LENGTH, (UPLOAD_LIMIT + 1).to_string())
        .body(Body::from(vec![0u8; 16]))
        .unwrap();
    assert_eq!(send(&st, req).await.0, 413);
    assert_eq!(
        upload(&st, Some("a.pdf"), vec![0u8; UPLOAD_LIMIT + 1])
            .await
            .0,
        413
    );
    assert_eq!(
        upload(&st, Some("a.pdf"), vec![0u8; UPLOAD_LIMIT]).await.0,
        200
    );
    // GET is not an upload (and `tai-len` is no procedure code).
    assert_eq!(get(&st, "/nop-ho-so/tai-len").await.0, 405);
    let broken = state(Theme::Semantic, &["upload-broken"]);
    assert_eq!(upload(&broken, Some("a.pdf"), vec![1]).await.0, 500);
}

#[tokio::test]
async fn the_sso_round_trip_returns_only_to_the_portal() {
    let st = state(Theme::Semantic, &[]);
    let (status, h, _) = get(&st, "/dang-nhap/vneid").await;
    assert_eq!(status, 303);
    let to = location(&h).to_string();
    assert!(
        to.starts_with("https://localhost:8443/idp/authorize?"),
        "{to}"
    );
    let (status, _, html) = get(&st, to.trim_start_matches("https://localhost:8443")).await;
    assert_eq!(status, 200);
    assert!(html.contains(
        "<a id=\"tiep-tuc\" href=\"https://127.0.0.1:8443/dang-nhap/callback?code=mock-code&amp;state=kd-4f1c\">Tiếp tục (mô phỏng — không cần mật khẩu)</a>"
    ), "{html}");
    // No open redirect: another origin, a look-alike, or none at all is refused.
    for bad in [
        "redirect_uri=https%3A%2F%2Fevil.example%2Fcb&state=s",
        "redirect_uri=https%3A%2F%2F127.0.0.1%3A8443.evil.example%2Fcb",
        "redirect_uri=http%3A%2F%2F127.0.0.1%3A8443%2Fdang-nhap%2Fcallback",
        "redirect_uri=%2F%2Fevil.example%2Fcb",
        "state=s",
    ] {
        let (status, _, html) = get(&st, &format!("/idp/authorize?{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert!(
            !html.contains("tiep-tuc") && !html.contains("evil"),
            "{bad}"
        );
    }
    // The callback: the code and the state sent.
    let (status, _, html) = get(&st, "/dang-nhap/callback?code=mock-code&state=kd-4f1c").await;
    assert_eq!(status, 200);
    assert!(html.contains("Đăng nhập thành công") && html.contains("Xin chào, Công dân Mẫu"));
    for bad in [
        "/dang-nhap/callback?state=kd-4f1c",
        "/dang-nhap/callback?code=&state=kd-4f1c",
        "/dang-nhap/callback?code=mock-code",
        "/dang-nhap/callback?code=mock-code&state=other",
    ] {
        let (status, _, html) = get(&st, bad).await;
        assert_eq!(status, 400, "{bad}");
        assert!(html.contains("Đăng nhập không thành công") && !html.contains("Xin chào"));
    }
    // Without a state in the request, none is expected back (and none is made up).
    let bare = state(Theme::Semantic, &["sso-no-state"]);
    let (_, h, _) = get(&bare, "/dang-nhap/vneid").await;
    let (_, _, html) = get(
        &bare,
        location(&h).trim_start_matches("https://localhost:8443"),
    )
    .await;
    assert!(html.contains("callback?code=mock-code\""), "{html}");
    assert_eq!(
        get(&bare, "/dang-nhap/callback?code=mock-code").await.0,
        200
    );
    assert_eq!(get(&bare, "/dang-nhap/callback").await.0, 400);
    let none = state(Theme::Semantic, &["no-sso"]);
    assert_eq!(
        get(&none, "/dang-nhap/callback?code=x&state=kd-4f1c")
            .await
            .0,
        404
    );
}

#[tokio::test]
async fn login_offsite_http_sends_the_login_to_plain_http_where_the_provider_answers() {
    let st = state(Theme::Semantic, &["login-offsite-http"]);
    let (status, h, _) = get(&st, "/dang-nhap/vneid").await;
    assert_eq!(status, 303);
    let to = location(&h).to_string();
    assert!(
        to.starts_with("http://localhost:8080/idp/authorize?response_type=code"),
        "{to}"
    );
    let path = to.trim_start_matches("http://localhost:8080").to_string();
    let plain = |st: &Arc<State>, path: &str| {
        let app = router::plain_router(st.clone(), 8443);
        let req = Request::get(path).body(Body::empty()).unwrap();
        async move {
            let resp = app.oneshot(req).await.unwrap();
            let status = resp.status().as_u16();
            let loc = resp
                .headers()
                .get(header::LOCATION)
                .map(|v| v.to_str().unwrap().to_string());
            let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
                .await
                .unwrap();
            (status, loc, String::from_utf8(bytes.to_vec()).unwrap())
        }
    };
    let (status, _, html) = plain(&st, &path).await;
    assert_eq!(status, 200);
    assert!(html.contains(
        "id=\"tiep-tuc\" href=\"https://127.0.0.1:8443/dang-nhap/callback?code=mock-code"
    ));
    // Every other plain-HTTP path still redirects; without the defect the provider's too.
    assert_eq!(
        plain(&st, "/thu-tuc/").await.1.as_deref(),
        Some("https://127.0.0.1:8443/thu-tuc/")
    );
    let clean = state(Theme::Semantic, &[]);
    let (status, loc, _) = plain(&clean, &path).await;
    assert_eq!(status, 308);
    assert_eq!(loc.unwrap(), format!("https://127.0.0.1:8443{path}"));
}

#[tokio::test]
async fn rating_is_sent_checked_and_broken_by_its_defect() {
    let st = state(Theme::Semantic, &[]);
    let (status, _, html) = get(&st, "/danh-gia").await;
    assert_eq!(status, 200);
    assert!(html.contains("<form method=\"post\" action=\"/danh-gia\" class=\"danh-gia\">"));
    assert!(html.contains("<p id=\"ket-qua-danh-gia\" role=\"status\"></p>"));
    assert!(html.contains("<script src=\"/assets/js/danh-gia.js\"></script>"));
    let (status, _, html) = post_form(&st, "/danh-gia", "ma-ho-so=H55&muc-do=4&gop-y=").await;
    assert_eq!(status, 200);
    assert!(html.contains("<p role=\"status\" class=\"cam-on\">Cảm ơn bạn đã đánh giá!</p>"));
    for bad in ["ma-ho-so=H55", "ma-ho-so=H55&muc-do=9", "muc-do="] {
        let (status, _, html) = post_form(&st, "/danh-gia", bad).await;
        assert_eq!(status, 422, "{bad}");
        assert!(
            html.contains("role=\"alert\">Vui lòng chọn mức độ hài lòng</p>")
                && !html.contains("cam-on")
        );
    }
    let broken = state(Theme::Semantic, &["rating-broken"]);
    assert_eq!(get(&broken, "/danh-gia").await.0, 200, "the page is intact");
    let (status, _, html) = post_form(&broken, "/danh-gia", "ma-ho-so=H55&muc-do=4").await;
    assert_eq!(status, 500);
    assert!(!html.contains("cam-on"));
    let gone = state(Theme::Semantic, &["no-rating"]);
    assert_eq!(post_form(&gone, "/danh-gia", "muc-do=4").await.0, 404);
}

#[tokio::test]
async fn the_chatbot_answers_by_keyword_and_its_defects_silence_it() {
    let st = state(Theme::Semantic, &[]);
    let (_, _, html) = get(&st, "/tro-ly-ao").await;
    assert!(html.contains("<div class=\"chat-log\" aria-live=\"polite\">"));
    assert!(html.contains("<script src=\"/assets/js/tro-ly-ao.js\"></script>"));
    let (status, h, body) = get(&st, "/tro-ly-ao/hoi?cau-hoi=khai+sinh").await;
    assert_eq!(status, 200);
    assert!(
        h[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    let v: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert!(v["tra-loi"].as_str().unwrap().contains("khai sinh"), "{v}");
    let (_, _, body) = get(&st, "/tro-ly-ao/hoi?cau-hoi=gi%C3%B3+m%C3%B9a").await;
    assert!(body.contains("Danh mục thủ tục hành chính"), "{body}");
    assert_eq!(get(&st, "/tro-ly-ao/hoi?cau-hoi=+").await.0, 400);
    assert_eq!(get(&st, "/tro-ly-ao/hoi").await.0, 400);
    // Without script, the form's GET shows the exchange, escaped.
    let (_, _, html) = get(&st, "/tro-ly-ao?cau-hoi=%3Ci%3Ekhai+sinh").await;
    assert!(html.contains("<p class=\"nguoi-dung\">&lt;i&gt;khai sinh</p><p class=\"bot\">Thủ tục Đăng ký khai sinh"), "{html}");
    let silent = state(Theme::Semantic, &["chatbot-silent"]);
    let (status, _, body) = get(&silent, "/tro-ly-ao/hoi?cau-hoi=khai+sinh").await;
    assert_eq!((status, body.as_str()), (204, ""));
    let (status, _, html) = get(&silent, "/tro-ly-ao?cau-hoi=khai+sinh").await;
    assert_eq!(status, 200);
    assert!(!html.contains("class=\"nguoi-dung\""));
    let gone = state(Theme::Semantic, &["no-chatbot"]);
    assert_eq!(get(&gone, "/tro-ly-ao/hoi?cau-hoi=khai+sinh").await.0, 404);
    // The decomposed theme answers in decomposed text, as its pages are.
    let nfd = state(Theme::Decomposed, &[]);
    let resp = router::router(nfd)
        .oneshot(
            Request::get("/tro-ly-ao/hoi?cau-hoi=khai+sinh")
                .body(Body::empty())
                .unwrap(),
        )
        .await
        .unwrap();
    let raw = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let raw = String::from_utf8(raw.to_vec()).unwrap();
    assert!(raw.contains("Đa\u{306}ng ky\u{301} khai sinh"), "{raw}");
}

#[tokio::test]
async fn page_scripts_are_same_origin_files_the_csp_allows() {
    for theme in themes() {
        for defects in [&[][..], &["spa-shell"][..]] {
            let st = state(theme, defects);
            let (_, html, csp) = get_with_csp(&st, "/nop-ho-so/1.00101").await;
            assert!(
                csp.contains("script-src 'self'") && csp.contains("connect-src 'self'"),
                "{csp}"
            );
            assert!(csp.contains("form-action 'self'"), "{csp}");
            let tag = html
                .find("<script src=\"/assets/js/kiem-tra.js\"></script>")
                .unwrap();
            if defects.is_empty() {
                assert!(
                    tag > html
                        .find("</main>")
                        .or(html.find("id=\"to-khai\""))
                        .unwrap()
                );
            } else {
                // spa-shell: in the head, before the shell (the scripts wait for the DOM).
                assert!(tag < html.find("<div id=\"app\">").unwrap(), "{theme:?}");
            }
        }
        let st = state(theme, &[]);
        for file in [
            "ho-so.js",
            "kiem-tra.js",
            "thanh-toan.js",
            "danh-gia.js",
            "tro-ly-ao.js",
        ] {
            let (status, h, js) = get(&st, &format!("/assets/js/{file}")).await;
            assert_eq!(status, 200, "{file}");
            assert_eq!(h[header::CONTENT_TYPE], "text/javascript; charset=utf-8");
            assert!(js.contains("DOMContentLoaded"), "{file}");
        }
        assert_eq!(get(&st, "/assets/js/khong-co.js").await.0, 404);
    }
}

#[tokio::test]
async fn the_account_page_saves_and_profile_broken_refuses() {
    let st = state(Theme::Semantic, &[]);
    let (status, _, html) = get(&st, "/tai-khoan").await;
    assert_eq!(status, 200);
    assert!(html.contains("<label for=\"tk-dien-thoai\">Số điện thoại</label>"));
    assert!(!html.contains("Đã cập nhật"));
    let (status, h, _) = post_form(&st, "/tai-khoan", "dien-thoai=0912345678").await;
    assert_eq!((status, location(&h)), (303, "/tai-khoan?da-luu=1"));
    let (_, _, html) = get(&st, "/tai-khoan?da-luu=1").await;
    assert!(html.contains("Đã cập nhật thông tin tài khoản"));
    let (status, _, html) = post_form(&st, "/tai-khoan", "dien-thoai=abc").await;
    assert_eq!(status, 422);
    assert!(html.contains("role=\"alert\""));
    let broken = state(Theme::Semantic, &["profile-broken"]);
    let (status, _, html) = post_form(&broken, "/tai-khoan", "dien-thoai=0912345678").await;
    assert_eq!(status, 500);
    assert!(html.contains("Không lưu được"));
    // The signed-in page leads to it.
    let (_, _, html) = get(&st, "/dang-nhap/callback?code=mock-code&state=kd-4f1c").await;
    assert!(html.contains("href=\"/tai-khoan\""));
}

//! The citizen journeys in a real Chromium: the e-form's script check and upload, the payment
//! and signing step, the SSO round trip, the rating and the chatbot work on the clean portal
//! under its CSP, and each journey defect breaks its own step (`upload-broken`,
//! `no-validation`, `rating-broken`, `chatbot-silent`, `login-offsite-http`). Skips without
//! Chromium unless `CI` is set; one browser at a time, none outlives the test.

use std::time::{Duration, Instant};

use fantoccini::Locator;
use serde_json::{Value, json};

use super::Theme;
use super::browser_tests::{Browser, portal, url};
use super::routes::forms::{ID_INVALID, NAME_MISSING};
use crate::probe::browser::tests::{SERIAL, browser_present};

impl Browser {
    /// Waits up to 10 s for a script expression to be truthy, and returns its value; page
    /// loads in between (a script error while navigating) count as "not yet".
    async fn until(&self, expression: &str) -> Value {
        let script = format!("return ({expression}) || null;");
        let deadline = Instant::now() + Duration::from_secs(10);
        loop {
            if let Ok(v) = self.session.client().execute(&script, vec![]).await
                && !v.is_null()
            {
                return v;
            }
            assert!(
                Instant::now() < deadline,
                "`{expression}` never held (at {:?})",
                self.session
                    .client()
                    .current_url()
                    .await
                    .map(|u| u.to_string())
            );
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn type_in(&self, css: &str, text: &str) {
        let e = self.session.client().find(Locator::Css(css)).await.unwrap();
        e.clear().await.unwrap();
        e.send_keys(text).await.unwrap();
    }

    async fn click(&self, css: &str) {
        let e = self.session.client().find(Locator::Css(css)).await.unwrap();
        e.click().await.unwrap();
    }
}

/// The text of the first element matching a selector, once it has some.
fn text_of(css: &str) -> String {
    format!(
        "(document.querySelector({css:?}) || {{}}).textContent && document.querySelector({css:?}).textContent"
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_journeys_work_in_chromium_and_each_defect_breaks_its_step() {
    let _serial = SERIAL.lock().await;
    if !browser_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("giay-to.pdf");
    std::fs::write(&file, b"%PDF-1.4 mau\n").unwrap();
    let file = file.display().to_string();
    let b = Browser::open().await;
    let clean = portal(Theme::Semantic, &[]).await;

    // E-form: a bad id is stopped in the page, with its message beside the field.
    b.load(&url(&clean, "/nop-ho-so/1.00101")).await;
    b.type_in("#ho-ten", "Nguyễn Văn A").await;
    b.type_in("#so-dinh-danh", "12345").await;
    b.click("#to-khai button[type=submit]").await;
    let alert = b.until(&text_of("#so-dinh-danh-loi[role=alert]")).await;
    assert_eq!(alert, json!(ID_INVALID));
    let state = b
        .js("const i = document.getElementById('so-dinh-danh'); \
             return [i.getAttribute('aria-invalid'), i.getAttribute('aria-describedby'), location.pathname, \
             !!document.getElementById('ho-ten-loi')];")
        .await;
    assert_eq!(
        state,
        json!([
            "true",
            "so-dinh-danh-huong-dan so-dinh-danh-loi",
            "/nop-ho-so/1.00101",
            false
        ])
    );
    // The upload goes at once and is reported.
    b.session
        .client()
        .find(Locator::Css("#giay-to"))
        .await
        .unwrap()
        .send_keys(&file)
        .await
        .unwrap();
    let done = b.until(&text_of("#tep-da-tai.da-tai")).await;
    assert_eq!(done, json!("Đã tải lên: giay-to.pdf (13 byte)"));
    // A good id goes on to the payment step; signing reports its (mock) connection.
    b.type_in("#so-dinh-danh", "001203004567").await;
    b.click("#to-khai button[type=submit]").await;
    b.until("location.pathname === '/nop-ho-so/1.00101/thanh-toan' && document.querySelector('button.ky-so')")
        .await;
    let pay = b
        .js("return document.querySelector('a.thanh-toan').href;")
        .await;
    assert!(
        pay.as_str().unwrap().starts_with(&format!(
            "https://localhost:{}/paygov/thanh-toan?ma-ho-so=H55.12-",
            clean.https.port()
        )),
        "{pay}"
    );
    b.click("button.ky-so").await;
    let signing = b.until(&text_of("#ky-so-trang-thai")).await;
    assert!(
        signing
            .as_str()
            .unwrap()
            .starts_with("Đang kết nối Cổng ký số eSign (mô phỏng)…"),
        "{signing}"
    );

    // SSO: to the provider on another origin over HTTPS, and back with the state.
    b.load(&url(&clean, "/dang-nhap/vneid")).await;
    let at = b
        .until("document.getElementById('tiep-tuc') && location.href")
        .await;
    assert!(
        at.as_str().unwrap().starts_with(&format!(
            "https://localhost:{}/idp/authorize?",
            clean.https.port()
        )),
        "{at}"
    );
    b.click("#tiep-tuc").await;
    b.until("document.body.innerText.includes('Xin chào, Công dân Mẫu')")
        .await;

    // Rating, sent by the page's script.
    b.load(&url(&clean, "/danh-gia")).await;
    b.type_in("#ma-ho-so", "H55.12-260315-0042").await;
    b.click("input[name=muc-do][value='4']").await;
    b.click("form.danh-gia button[type=submit]").await;
    let thanks = b
        .until(&text_of("#ket-qua-danh-gia.cam-on[role=status]"))
        .await;
    assert_eq!(thanks, json!("Cảm ơn bạn đã đánh giá!"));
    assert_eq!(b.js("return location.pathname;").await, json!("/danh-gia"));

    // Chatbot: the question and its answer join the log.
    b.load(&url(&clean, "/tro-ly-ao")).await;
    b.type_in("#cau-hoi", "khai sinh").await;
    b.click("form.chat-form button").await;
    let answer = b.until(&text_of(".chat-log p.nguoi-dung + p.bot")).await;
    assert!(answer.as_str().unwrap().contains("khai sinh"), "{answer}");
    assert_eq!(
        b.js("return document.querySelector('.chat-log p.nguoi-dung').textContent;")
            .await,
        json!("khai sinh")
    );

    // The page scripts wait for the DOM: under `spa-shell` (scripts in the head, the body
    // built by a script) the check runs too, in a vendor theme.
    let shell = portal(Theme::Liferay, &["spa-shell"]).await;
    b.load(&url(&shell, "/nop-ho-so/1.00101")).await;
    b.click("#to-khai button[type=submit]").await;
    let alert = b.until(&text_of("#ho-ten-loi[role=alert]")).await;
    assert_eq!(alert, json!(NAME_MISSING));

    // upload-broken: the page says the upload failed.
    let broken = portal(Theme::Semantic, &["upload-broken"]).await;
    b.load(&url(&broken, "/nop-ho-so/1.00101")).await;
    b.session
        .client()
        .find(Locator::Css("#giay-to"))
        .await
        .unwrap()
        .send_keys(&file)
        .await
        .unwrap();
    let failed = b.until(&text_of("#tep-da-tai.loi")).await;
    assert_eq!(failed, json!("Tải tệp lên không thành công"));

    // no-validation: a bad id goes straight to the payment step, no message.
    let lax = portal(Theme::Semantic, &["no-validation"]).await;
    b.load(&url(&lax, "/nop-ho-so/1.00101")).await;
    b.type_in("#so-dinh-danh", "12345").await;
    b.click("#to-khai button[type=submit]").await;
    b.until("location.pathname === '/nop-ho-so/1.00101/thanh-toan'")
        .await;

    // rating-broken: the page reports the failure.
    let rating = portal(Theme::Semantic, &["rating-broken"]).await;
    b.load(&url(&rating, "/danh-gia")).await;
    b.type_in("#ma-ho-so", "H55.12-260315-0042").await;
    b.click("input[name=muc-do][value='3']").await;
    b.click("form.danh-gia button[type=submit]").await;
    let sorry = b.until(&text_of("#ket-qua-danh-gia.loi")).await;
    assert!(
        sorry
            .as_str()
            .unwrap()
            .starts_with("Không gửi được đánh giá"),
        "{sorry}"
    );

    // chatbot-silent: nothing joins the log.
    let silent = portal(Theme::Semantic, &["chatbot-silent"]).await;
    b.load(&url(&silent, "/tro-ly-ao")).await;
    b.type_in("#cau-hoi", "khai sinh").await;
    b.click("form.chat-form button").await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    assert_eq!(
        b.js("return document.querySelectorAll('.chat-log p').length;")
            .await,
        json!(1)
    );

    // login-offsite-http: the browser lands on the provider over plain HTTP.
    let offsite = portal(Theme::Semantic, &["login-offsite-http"]).await;
    b.load(&url(&offsite, "/dang-nhap/vneid")).await;
    let at = b
        .until("document.getElementById('tiep-tuc') && location.href")
        .await;
    assert!(
        at.as_str().unwrap().starts_with(&format!(
            "http://localhost:{}/idp/authorize?",
            offsite.http.port()
        )),
        "{at}"
    );
    b.finish().await;
}

//! The scripts of the browser defects: `spa-shell` (the page's body built by JavaScript from
//! a JSON string, as single-page portals do) and `layout-shift` (a notice inserted above the
//! content after load). Both are inline scripts the page's CSP lists by hash.

use serde_json::Value;

/// What a browser without JavaScript shows in a `spa-shell` page.
pub(super) const NOSCRIPT: &str =
    "<noscript>Vui lòng bật JavaScript để sử dụng Cổng Dịch vụ công.</noscript>";

/// `layout-shift`: 500 ms after `load`, a tall maintenance notice goes in at the top of the
/// page, above the header and the content, pushing everything down (as late banners do).
pub(super) const LATE_NOTICE_JS: &str = "window.addEventListener('load', function () {\n\
  setTimeout(function () {\n\
    var d = document.createElement('div');\n\
    d.className = 'thong-bao-moi';\n\
    d.textContent = 'Thông báo: hệ thống sẽ bảo trì từ 22 giờ đến 23 giờ ngày 30/11/2026.';\n\
    document.body.insertBefore(d, document.body.firstChild);\n\
  }, 500);\n\
});";

/// A JavaScript string literal of `s` that is safe inside `<script>`: JSON with `<`, `>`,
/// `&`, U+2028 and U+2029 escaped (no `</script>`, no `<!--`, no line terminators).
pub(super) fn js_string(s: &str) -> String {
    Value::String(s.to_string())
        .to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
        .replace('\u{2028}', "\\u2028")
        .replace('\u{2029}', "\\u2029")
}

/// `spa-shell`: the script that builds the body: the markup goes in where `#app` is, then
/// `#app` and the `<noscript>` leave, so the rendered DOM is the page the theme serves.
pub(super) fn builder_js(markup: &str) -> String {
    format!(
        "(function () {{\nvar html = {};\nvar app = document.getElementById('app');\n\
         app.insertAdjacentHTML('beforebegin', html);\napp.parentNode.removeChild(app);\n\
         var n = document.querySelector('body > noscript');\nif (n) n.parentNode.removeChild(n);\n}})();",
        js_string(markup)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_inline_string_cannot_end_the_script_or_the_line() {
        let s = js_string("</script><!-- a & b \u{2028}\u{2029} \"q\" Đăng ký");
        for bad in ["<", ">", "&", "\u{2028}", "\u{2029}"] {
            assert!(!s.contains(bad), "{bad:?} in {s}");
        }
        assert!(s.contains("\\u003c/script\\u003e") && s.contains("\\\"q\\\""));
        // Still the same string for JavaScript (and JSON).
        let back: String = serde_json::from_str(&s).unwrap();
        assert_eq!(back, "</script><!-- a & b \u{2028}\u{2029} \"q\" Đăng ký");
    }

    #[test]
    fn the_builder_carries_the_markup_and_replaces_the_app() {
        let js = builder_js("<main><a href=\"/x\">X</a></main>");
        assert!(js.contains("\\u003cmain\\u003e") && js.contains("getElementById('app')"));
        assert!(!js.contains("</"), "{js}");
    }
}

//! The page chrome of the reference portal, per theme: the document head, the header with the
//! emblem, the organisation's name and the main menu, the content wrapper, the footer, the EMC
//! embed, and the per-request noise real portals carry (visitor counter, clock, "active" menu
//! marker, CSRF token, session-bound URLs) which consistency judges must ignore.
//!
//! | part        | semantic / decomposed | liferay                        | div-table                          |
//! |-------------|-----------------------|--------------------------------|------------------------------------|
//! | header      | `<header>`            | `div#banner.header-wrap`       | `div.top-header` (a table inside)  |
//! | main menu   | `<nav>` in header     | `div#navigation ul.nav` in the banner | `div.menu-bar ul` after the header |
//! | content     | `<main>`              | `section#content`              | `div.main-content` in a layout `<table>` |
//! | footer      | `<footer>`            | `div#footer`                   | `div.footer`                       |
//! | EMC embed   | inline                | `<script src>` same-host file  | inline                             |
//!
//! Every theme's pages carry the viewport meta; the EMC embed reports to the mock tracker on
//! [`TRACKER_HOST`], which the CSP allows. With `spa-shell` the body is built by a script.

use std::fmt::Write;
use std::sync::atomic::Ordering;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use sha2::{Digest, Sha256};
use unicode_normalization::UnicodeNormalization;

use super::content::{ORGANISATION, PORTAL, SITE_ID, esc};
use super::shell;
use super::{State, Theme};

/// The main menu: (path, label).
pub(super) const MENU: &[(&str, &str)] = &[
    ("/", "Trang chủ"),
    ("/gioi-thieu", "Giới thiệu"),
    ("/thu-tuc/", "Dịch vụ công trực tuyến"),
    ("/tra-cuu-ho-so", "Tra cứu hồ sơ"),
    ("/thong-ke", "Thống kê"),
    ("/hoi-dap", "Hỏi đáp"),
    ("/so-do-trang", "Sơ đồ cổng"),
];

/// Where the Liferay theme keeps its EMC embed (a same-host script file).
pub(super) const LIFERAY_EMC: &str = "/o/mau-theme/js/emc.js";
/// The FAQ portlet's own copy of the embed (`emc-site-id-differs` points it at another site).
pub(super) const LIFERAY_FAQ_EMC: &str = "/o/hoi-dap-portlet/js/emc.js";
/// The Liferay theme's emblem image.
pub(super) const LIFERAY_EMBLEM: &str = "/o/mau-theme/images/quoc-huy.png";
/// The div-table theme's emblem image.
pub(super) const DIV_TABLE_EMBLEM: &str = "/Portals/0/Images/quoc-huy.png";

/// Options of one page.
#[derive(Default)]
pub(super) struct Opts<'a> {
    /// The procedure code a service page reports to EMC (`trackDVC`).
    pub service: Option<&'a str>,
    /// `header-missing`: no header block (banner and menu).
    pub no_header: bool,
    /// `footer-differs`: an outdated footer.
    pub outdated_footer: bool,
    /// `no-emc`: no EMC embed.
    pub no_emc: bool,
    /// `emc-site-id-differs`: another site id.
    pub site_id: Option<&'a str>,
    /// `script-title`: the title is not escaped.
    pub raw_title: bool,
    /// `no-viewport`: no viewport meta.
    pub no_viewport: bool,
    /// `layout-shift`: a notice pushes the page down after load.
    pub late_notice: bool,
    /// Same-origin script files the page loads at the end of its body (in the head with
    /// `spa-shell`: they wait for `DOMContentLoaded`).
    pub scripts: &'a [&'a str],
}

/// `missing-alt` (PL8-5): the pages whose content images lose their `alt` (the home page's hero
/// image), besides the header's emblem on every page (the header stays the same everywhere:
/// PL3-2 is not broken), so axe-core reports `image-alt`.
pub(super) const NO_ALT_PAGES: &[&str] = &["/"];
/// `low-contrast` (PL8-5): the pages whose content is light grey on white (`.chu-mo`, about
/// 2:1), so axe-core reports `color-contrast`.
pub(super) const LOW_CONTRAST_PAGES: &[&str] = &["/", "/huong-dan"];

/// The markup without its images' `alt` attributes.
fn without_alt(markup: &str) -> String {
    static ALT: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
        regex::Regex::new(r#"(<img\b[^>]*?)\s+alt="[^"]*""#).expect("valid pattern")
    });
    ALT.replace_all(markup, "$1").into_owned()
}

/// The viewport meta every page carries (PL8-4).
const VIEWPORT_META: &str =
    "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";

/// What changes with every request in the non-semantic themes.
struct Noise {
    visits: u64,
    token: String,
    clock: String,
}

impl Noise {
    fn now(st: &State) -> Self {
        let visits = st.visits.fetch_add(1, Ordering::Relaxed) + 1;
        let digest = Sha256::digest(format!("{}{visits}", st.base).as_bytes());
        let token: String = digest[..8].iter().map(|b| format!("{b:02x}")).collect();
        let t = time::OffsetDateTime::now_utc().to_offset(time::macros::offset!(+7));
        let day = match t.weekday() {
            time::Weekday::Monday => "Thứ Hai",
            time::Weekday::Tuesday => "Thứ Ba",
            time::Weekday::Wednesday => "Thứ Tư",
            time::Weekday::Thursday => "Thứ Năm",
            time::Weekday::Friday => "Thứ Sáu",
            time::Weekday::Saturday => "Thứ Bảy",
            time::Weekday::Sunday => "Chủ nhật",
        };
        let clock = format!(
            "{day}, {:02}/{:02}/{} {:02}:{:02}:{:02}",
            t.day(),
            u8::from(t.month()),
            t.year(),
            t.hour(),
            t.minute(),
            t.second()
        );
        Self {
            visits,
            token,
            clock,
        }
    }
}

/// The host of the mock EMC tracker: another origin than the portal (`*.localhost` resolves
/// to loopback in browsers), so a browser can block it without blocking the portal.
pub const TRACKER_HOST: &str = "emc.localhost";

/// The mock tracker's base URL: the portal's scheme and port on [`TRACKER_HOST`]
/// (`https://emc.localhost:PORT/`).
pub(super) fn tracker_base(base: &str) -> String {
    base.replacen("127.0.0.1", TRACKER_HOST, 1)
}

/// The EMC embed code (Phụ lục VI), reporting to the mock tracker on [`TRACKER_HOST`].
pub(super) fn emc_snippet(base: &str, site_id: &str, service: Option<&str>) -> String {
    let base = tracker_base(base);
    let dvc = service.map_or_else(String::new, |c| {
        format!("\n_govaq.push(['trackDVC', '{c}', 'Nộp hồ sơ']);")
    });
    format!(
        "var _govaq = window._govaq || [];\n_govaq.push(['trackPageView']);\n_govaq.push(['enableLinkTracking']);{dvc}\n(function () {{\n\
         _govaq.push(['setTrackerUrl', '{base}emc/tracking']);\n_govaq.push(['setSiteId', '{site_id}']);\n\
         var d = document, g = d.createElement('script'), s = d.getElementsByTagName('script')[0];\n\
         g.type = 'text/javascript'; g.async = true; g.defer = true;\ng.src = '{base}emc/embed/gov-tracking.min.js';\n\
         s.parentNode.insertBefore(g, s);\n}})();"
    )
}

/// The text as the decomposed theme serves it: old-style tone placement on a few words, then
/// every character decomposed (NFD), as portals typed with "Unicode tổ hợp" do.
pub(super) fn decompose(s: &str) -> String {
    const OLD_STYLE: &[(&str, &str)] = &[
        ("Ủy", "Uỷ"),
        ("ủy", "uỷ"),
        ("hóa", "hoá"),
        ("Hóa", "Hoá"),
        ("hòa", "hoà"),
        ("thủy", "thuỷ"),
        ("khỏe", "khoẻ"),
    ];
    let mut out = s.to_string();
    for (new, old) in OLD_STYLE {
        out = out.replace(new, old);
    }
    out.nfd().collect()
}

fn menu_items(current: &str, theme: Theme) -> String {
    let mut out = String::new();
    for (href, label) in MENU {
        let on = *href == current;
        let _ = match (theme, on) {
            (Theme::Liferay, true) => write!(
                out,
                r#"<li class="lfr-nav-item selected active"><a href="{href}"><span>{label}</span></a></li>"#
            ),
            (Theme::Liferay, false) => write!(
                out,
                r#"<li class="lfr-nav-item"><a href="{href}"><span>{label}</span></a></li>"#
            ),
            (_, true) if theme.semantic_markup() => write!(
                out,
                r#"<a href="{href}" class="active" aria-current="page">{label}<span class="sr-only"> (trang hiện tại)</span></a>"#
            ),
            (_, false) if theme.semantic_markup() => write!(out, r#"<a href="{href}">{label}</a>"#),
            (_, true) => write!(
                out,
                r#"<li class="current"><a href="{href}" class="current">{label}</a></li>"#
            ),
            (_, false) => write!(out, r#"<li><a href="{href}">{label}</a></li>"#),
        };
    }
    out
}

fn header_html(current: &str, theme: Theme, noise: &Noise) -> String {
    let menu = menu_items(current, theme);
    let Noise {
        token,
        clock,
        visits,
    } = noise;
    let online = 20 + visits % 40;
    match theme {
        Theme::Semantic | Theme::Decomposed => format!(
            r#"<header><a href="/"><img src="/static/quoc-huy.svg" alt="Quốc huy"></a> <span class="org">{ORGANISATION}</span> — <span>{PORTAL}</span>
<nav aria-label="Menu chính">{menu}<a href="/dang-nhap">Đăng nhập</a></nav></header>"#
        ),
        Theme::Liferay => format!(
            r#"<div id="banner" class="header-wrap">
<div class="top-bar"><a href="/" class="icon-home" title="Trang chủ"><i class="icon-home"></i></a> <span class="date-time">{clock}</span> <span class="online">Đang truy cập: {online}</span> <a href="/dang-nhap" class="sign-in" rel="nofollow">Đăng nhập</a>
<form class="search-bar" action="/tim-kiem?p_p_id=com_liferay_portal_search_web_portlet_SearchPortlet&amp;p_p_lifecycle=0&amp;p_auth={token}" method="get"><input type="hidden" name="p_auth" value="{token}"><input type="text" name="q" title="Nhập từ khóa" placeholder="Tìm kiếm..."><button type="submit">Tìm</button></form></div>
<div class="logo-wrap"><a class="logo custom-logo" href="/" title="Về trang chủ"><img src="{LIFERAY_EMBLEM}" alt="Quốc huy" width="64" height="64"></a>
<div class="site-title"><div class="org-name">{ORGANISATION}</div><div class="portal-name">{PORTAL}</div></div></div>
<div id="navigation" class="navbar site-navigation"><ul class="nav navbar-nav">{menu}</ul></div>
</div>"#
        ),
        Theme::DivTable => format!(
            r#"<div class="top-header"><table class="banner" width="100%" cellpadding="0" cellspacing="0"><tr>
<td class="logo" width="90"><a href="/"><img src="{DIV_TABLE_EMBLEM}" alt="Quốc huy" width="80" height="80" border="0"></a></td>
<td class="banner-text"><div class="org">{ORGANISATION}</div><div class="portal">{PORTAL}</div></td>
<td class="tools" align="right"><div class="date">{clock}</div><a href="/dang-nhap">Đăng nhập</a>
<form action="/tim-kiem;jsessionid={token}" method="get"><input type="hidden" name="_wpnonce" value="{token}"><input type="text" name="q" size="20" title="Từ khóa tìm kiếm"><input type="submit" value="Tìm"></form></td>
</tr></table></div>
<div class="menu-bar"><ul id="menu">{menu}</ul></div>"#
        ),
    }
}

fn footer_html(outdated: bool, theme: Theme, noise: &Noise) -> String {
    let info = if outdated {
        // footer-differs: an old template with a stale phone number and no responsible person.
        format!(
            "<p>© Bản quyền thuộc {ORGANISATION}.</p><p>Cơ quan chủ quản: Văn phòng {ORGANISATION}. \
             Địa chỉ: Số 1 đường Trần Phú, thành phố Mẫu. Điện thoại: 0210 3 777 777.</p>"
        )
    } else {
        format!(
            r#"<p>© Bản quyền thuộc {ORGANISATION}.</p>
<p>Cơ quan chủ quản: Văn phòng {ORGANISATION}. Chịu trách nhiệm chính: Ông Nguyễn Văn An, Chánh Văn phòng.</p>
<p>Địa chỉ: Số 1 đường Trần Phú, thành phố Mẫu, tỉnh Mẫu. Điện thoại: 0210 3 888 888. Email: <a href="mailto:dichvucong@mau.gov.vn">dichvucong@mau.gov.vn</a></p>
<p><a href="/lien-he">Liên hệ</a> · <a href="/so-do-trang">Sơ đồ cổng</a> · <a href="/huong-dan">Hướng dẫn</a></p>"#
        )
    };
    let visits = noise.visits;
    match theme {
        Theme::Semantic | Theme::Decomposed => format!("<footer>{info}</footer>"),
        Theme::Liferay => format!(
            r#"<div id="footer" class="footer-wrap"><div class="footer-info">{info}</div><div class="visitor-counter">Lượt truy cập: {visits}</div></div>"#
        ),
        Theme::DivTable => format!(
            r#"<div class="footer">{info}<p class="counter">Lượt truy cập: {visits}</p></div>"#
        ),
    }
}

fn content_html(body: &str, theme: Theme) -> String {
    match theme {
        Theme::Semantic | Theme::Decomposed => format!("<main id=\"noi-dung\">\n{body}\n</main>"),
        Theme::Liferay => format!(
            "<section id=\"content\"><div class=\"portlet-boundary portlet-journal-content\"><div class=\"portlet-body\">\n{body}\n</div></div></section>"
        ),
        Theme::DivTable => format!(
            "<table class=\"layout\" width=\"100%\" cellpadding=\"0\" cellspacing=\"0\"><tr>\
             <td class=\"left-col\" width=\"200\" valign=\"top\"><div class=\"box\"><div class=\"box-title\">Hỗ trợ trực tuyến</div><p>Tổng đài hỗ trợ: 1900 0000</p></div></td>\
             <td valign=\"top\"><div class=\"main-content\" id=\"main\">\n{body}\n</div></td></tr></table>"
        ),
    }
}

/// A page of the portal in the running theme, with its CSP (hashes of its inline scripts).
/// With `spa-shell` the body is an empty `#app` that an inline script fills with the same
/// markup at run time.
pub(super) fn page(st: &State, path: &str, title: &str, body: &str, o: &Opts<'_>) -> Response {
    let theme = st.theme;
    let noise = Noise::now(st);
    let site_id = o.site_id.unwrap_or(SITE_ID);
    let title = if o.raw_title {
        title.to_string()
    } else {
        esc(title)
    };
    let viewport = if o.no_viewport { "" } else { VIEWPORT_META };
    // Inline scripts in the head and at the end of the body (all hashed into the CSP), and
    // the script files the page loads.
    let mut head_inline: Vec<String> = Vec::new();
    let mut body_inline: Vec<String> = Vec::new();
    let mut files: Vec<&str> = Vec::new();
    let (head, body_open, wrapper) = match theme {
        Theme::Semantic | Theme::Decomposed => (
            format!(
                "<html lang=\"vi\"><head><meta charset=\"utf-8\">{viewport}\
                 <title>{title} | {PORTAL}</title><link rel=\"stylesheet\" href=\"/static/site.css\">"
            ),
            "<body>",
            ("", ""),
        ),
        Theme::Liferay => {
            let auth = format!(
                "var Liferay = window.Liferay || {{}};\nLiferay.authToken = '{}';\nLiferay.currentURL = '{path}';",
                noise.token
            );
            let tag = format!("<script>{auth}</script>");
            head_inline.push(auth);
            (
                format!(
                    "<html class=\"ltr\" dir=\"ltr\" lang=\"vi-VN\"><head><title>{title} - {PORTAL}</title>\
                     <meta content=\"text/html; charset=UTF-8\" http-equiv=\"content-type\">{viewport}<link href=\"/o/mau-theme/css/main.css\" rel=\"stylesheet\">{tag}"
                ),
                "<body class=\"controls-visible guest-site signed-out public-page site\">",
                ("<div id=\"wrapper\" class=\"container-fluid\">", "</div>"),
            )
        }
        Theme::DivTable => (
            format!(
                "<html xmlns=\"http://www.w3.org/1999/xhtml\" lang=\"vi\"><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">{viewport}\
                 <title>{PORTAL} &gt; {title}</title><link href=\"/Portals/_default/Skins/Mau/skin.css\" rel=\"stylesheet\" type=\"text/css\">"
            ),
            "<body id=\"Body\">",
            ("", ""),
        ),
    };
    let doctype = if theme == Theme::DivTable {
        "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" \"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">"
    } else {
        "<!doctype html>"
    };
    let no_alt = st.defects.has("missing-alt");
    let header = if o.no_header {
        String::new()
    } else if no_alt {
        without_alt(&header_html(path, theme, &noise))
    } else {
        header_html(path, theme, &noise)
    };
    let mut content = if st.defects.has("low-contrast") && LOW_CONTRAST_PAGES.contains(&path) {
        content_html(&format!("<div class=\"chu-mo\">{body}</div>"), theme)
    } else {
        content_html(body, theme)
    };
    if no_alt && NO_ALT_PAGES.contains(&path) {
        content = without_alt(&content);
    }
    let markup = format!(
        "{}\n{header}\n{content}\n{}\n{}",
        wrapper.0,
        footer_html(o.outdated_footer, theme, &noise),
        wrapper.1
    );
    if !o.no_emc {
        // `no-trackdvc`: service pages report the page view only.
        let service = o.service.filter(|_| !st.defects.has("no-trackdvc"));
        if theme == Theme::Liferay {
            // The theme's script file holds the embed; a service page pushes its code first.
            if let Some(code) = service {
                body_inline.push(format!(
                    "var _govaq = window._govaq || [];\n_govaq.push(['trackDVC', '{code}', 'Nộp hồ sơ']);"
                ));
            }
            files.push(if site_id == SITE_ID {
                LIFERAY_EMC
            } else {
                LIFERAY_FAQ_EMC
            });
        } else {
            body_inline.push(emc_snippet(&st.base, site_id, service));
        }
    }
    if o.late_notice {
        body_inline.push(shell::LATE_NOTICE_JS.to_string());
    }
    files.extend(o.scripts);
    let scripts = |inline: &[String], files: &[&str]| {
        let mut s = String::new();
        for i in inline {
            let _ = writeln!(s, "<script>{i}</script>");
        }
        for f in files {
            let _ = writeln!(s, "<script src=\"{f}\"></script>");
        }
        s
    };
    let mut html = if st.defects.has("spa-shell") {
        // The scripts move to the head; the body is built at run time from the markup.
        let builder = shell::builder_js(&markup);
        let html = format!(
            "{doctype}\n{head}{}</head>\n{body_open}\n<div id=\"app\"></div>{}\n<script>{builder}</script>\n</body></html>",
            scripts(&body_inline, &files),
            shell::NOSCRIPT
        );
        body_inline.push(builder);
        html
    } else {
        format!(
            "{doctype}\n{head}</head>\n{body_open}\n{markup}\n{}</body></html>",
            scripts(&body_inline, &files)
        )
    };
    let mut inline: Vec<String> = head_inline.into_iter().chain(body_inline).collect();
    if theme == Theme::Decomposed {
        // NFD of the whole page equals NFD of each script: they sit between ASCII tags.
        html = decompose(&html);
        inline = inline.iter().map(|s| decompose(s)).collect();
    }
    let mut resp = ([(header::CONTENT_TYPE, "text/html; charset=utf-8")], html).into_response();
    if !st.defects.has("no-csp") {
        // `csp-unsafe-inline` allows every inline script (no hashes, which would void it).
        let unsafe_inline = st.defects.has("csp-unsafe-inline");
        let hashes: String = if unsafe_inline {
            " 'unsafe-inline'".into()
        } else {
            inline
                .iter()
                .map(|s| {
                    format!(
                        " 'sha256-{}'",
                        base64::engine::general_purpose::STANDARD
                            .encode(Sha256::digest(s.as_bytes()))
                    )
                })
                .collect()
        };
        // The tracker's origin may load its script, receive beacons and pixels.
        let tracker = tracker_base(&st.base);
        let tracker = tracker.trim_end_matches('/');
        let csp = format!(
            "default-src 'self'; script-src 'self' {tracker}{hashes}; style-src 'self'; img-src 'self' data: {tracker}; connect-src 'self' {tracker}; frame-ancestors 'none'; base-uri 'self'; form-action 'self'"
        );
        if let Ok(v) = HeaderValue::from_str(&csp) {
            resp.headers_mut()
                .insert(header::CONTENT_SECURITY_POLICY, v);
        }
    }
    resp
}

/// A page whose only variation is a defect tied to its path (`footer-differs` on the
/// statistics page, `no-emc` on the guide, `emc-site-id-differs` on the FAQ).
pub(super) fn simple(st: &State, path: &str, title: &str, body: &str) -> Response {
    let o = Opts {
        outdated_footer: path == "/thong-ke" && st.defects.has("footer-differs"),
        no_emc: path == "/huong-dan" && st.defects.has("no-emc"),
        site_id: (path == "/hoi-dap" && st.defects.has("emc-site-id-differs")).then_some("1099"),
        ..Opts::default()
    };
    page(st, path, title, body, &o)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decomposed_text_folds_to_its_composed_twin() {
        let d = decompose("Ủy ban nhân dân — Văn hóa");
        assert_ne!(d, "Ủy ban nhân dân — Văn hóa");
        assert!(d.contains("Uy\u{309}") && d.contains("hoa\u{301}"), "{d:?}");
        assert_eq!(
            crate::unicode::fold(&d),
            crate::unicode::fold("Ủy ban nhân dân — Văn hóa")
        );
    }

    #[test]
    fn the_active_marker_follows_the_theme() {
        assert!(menu_items("/", Theme::Liferay).contains("selected active"));
        assert!(menu_items("/", Theme::DivTable).contains("class=\"current\""));
        assert!(menu_items("/", Theme::Semantic).contains("aria-current"));
        assert!(!menu_items("/x", Theme::Liferay).contains("active"));
    }
}

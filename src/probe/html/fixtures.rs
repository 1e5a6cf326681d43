//! Markup fixtures of the themes Vietnamese portals ship (test only): Liferay/OpenCPS
//! (`div#wrapper`, `div#banner`, `div#navigation ul.nav`, `section#content`, `div#footer`), DNN
//! on a table layout (`td.menu-bar ul`, ASP.NET hidden inputs) and `WordPress`
//! (`header#masthead`, `nav.main-navigation`, `footer#colophon`), each with what changes per
//! page: visitor counters, clocks, CSRF tokens, session-bound links, active-menu markers.

use unicode_normalization::UnicodeNormalization;

/// Agency name the fixtures show.
pub const ORG: &str = "Ủy ban nhân dân tỉnh Mẫu";
/// Base URL of the fixtures.
pub const BASE: &str = "https://dvc.mau.gov.vn/";

/// What changes from page to page (or is broken on purpose).
#[derive(Clone, Copy)]
pub struct Vary<'a> {
    /// Current page path (gets the active marker).
    pub current: &'a str,
    /// Visitor counter value.
    pub counter: u32,
    /// Clock shown in the header.
    pub clock: &'a str,
    /// CSRF / session token.
    pub token: &'a str,
    /// Organisation name shown in the banner.
    pub org: &'a str,
    /// Alt text of the emblem.
    pub emblem_alt: &'a str,
    /// Online-services menu label.
    pub services: &'a str,
    /// Phone number shown in the footer.
    pub phone: &'a str,
}

impl Default for Vary<'_> {
    fn default() -> Self {
        Self {
            current: "/",
            counter: 1_234_567,
            clock: "Thứ Hai, 29/11/2026 14:05",
            token: "Xy12AbCd",
            org: ORG,
            emblem_alt: "Quốc huy",
            services: "Dịch vụ công trực tuyến",
            phone: "0210 3 888 888",
        }
    }
}

fn li(v: &Vary<'_>, href: &str, label: &str, sub: &str) -> String {
    if href == v.current {
        format!(
            r#"<li class="lfr-nav-item selected active"><a href="{href}" aria-current="page"><span>{label}</span><span class="hide-accessible">(Trang hiện tại)</span></a>{sub}</li>"#
        )
    } else {
        format!(r#"<li class="lfr-nav-item"><a href="{href}"><span>{label}</span></a>{sub}</li>"#)
    }
}

/// A Liferay/OpenCPS page: no landmark elements at all, everything in `div#wrapper`.
pub fn liferay(v: &Vary<'_>, body: &str) -> String {
    let sub = format!(
        r#"<ul class="child-menu"><li><a href="/web/guest/thu-tuc-hanh-chinh">Danh mục thủ tục</a></li><li><a href="/web/guest/tra-cuu-ho-so;jsessionid={t}">Tra cứu hồ sơ</a></li></ul>"#,
        t = v.token
    );
    let menu = [
        li(v, "/", "Trang chủ", ""),
        li(v, "/web/guest/gioi-thieu", "Giới thiệu", ""),
        li(v, "/web/guest/dich-vu-cong", v.services, &sub),
        li(v, "/web/guest/thong-ke", "Thống kê", ""),
        li(v, "/web/guest/so-do-cong", "Sơ đồ cổng", ""),
    ]
    .concat();
    format!(
        r##"<!DOCTYPE html><html class="ltr" dir="ltr" lang="vi-VN"><head><title>Cổng dịch vụ công</title>
<meta content="text/html; charset=UTF-8" http-equiv="content-type"/>
<script src="/o/frontend-js-web/liferay/liferay.js"></script><script src="/o/opencps-theme/js/main.js"></script></head>
<body class="controls-visible signed-out public-page site">
<div class="d-none"><a href="#main-content" class="skip-to-content">Bỏ qua để đến nội dung</a></div>
<div class="container-fluid" id="wrapper">
<div id="banner"><div class="logo-wrap"><a class="logo custom-logo" href="/web/guest" title="Đi tới Cổng dịch vụ công">
<img alt="{alt}" height="80" src="/image/layout_set_logo?img_id=35501&amp;t=1700000000" width="80"/></a>
<div class="site-name"><h1 class="site-title"><span>{org}</span></h1><p>CỔNG DỊCH VỤ CÔNG</p></div></div>
<div class="top-links"><span class="clock">{clock}</span>
<form action="/web/guest/tim-kiem" method="get"><input type="hidden" name="p_auth" value="{t}"/><input type="text" name="q"/></form>
<a href="/c/portal/login?p_l_id=20&amp;p_auth={t}" rel="nofollow">Đăng nhập</a> <a href="/web/guest/dang-ky">Đăng ký</a></div></div>
<div id="navigation" class="navbar"><ul class="nav navbar-nav" role="menubar">{menu}</ul></div>
<section id="content"><h1 class="hide-accessible">Trang chủ</h1>
<div class="portlet-boundary"><section class="portlet"><header class="portlet-topper"><h2>Tin tức</h2></header>
<div class="portlet-content">{body}</div></section></div></section>
<div id="footer"><div class="footer-info"><p>© Bản quyền thuộc {org}</p>
<p>Cơ quan chủ quản: Văn phòng {org}. Chịu trách nhiệm chính: Ông Nguyễn Văn An</p>
<p>Địa chỉ: Số 1 Trần Phú, thành phố Mẫu. Điện thoại: {phone}. Email: dichvucong@mau.gov.vn</p>
<p><a href="/web/guest/lien-he">Liên hệ</a> · <a href="/web/guest/so-do-cong">Sơ đồ cổng</a></p></div>
<div class="counter">Lượt truy cập: {counter} | Đang trực tuyến: {online}</div></div>
</div>
<form id="hrefFm" method="post" name="hrefFm"><input name="p_auth" type="hidden" value="{t}"/></form>
<script>Liferay.Portlet.register("com_liferay_journal_content_web_portlet");</script>
</body></html>"##,
        alt = v.emblem_alt,
        org = v.org,
        clock = v.clock,
        t = v.token,
        phone = v.phone,
        counter = v.counter,
        online = v.counter % 97,
    )
}

/// A DNN page on a table layout inside the ASP.NET form: no landmarks, no conventions; the
/// emblem is identified by its file name only.
pub fn dnn_table(v: &Vary<'_>, body: &str) -> String {
    let item = |href: &str, label: &str| {
        if href == v.current {
            format!(r#"<li class="active current"><a href="{href}">{label}</a></li>"#)
        } else {
            format!(r#"<li><a href="{href}">{label}</a></li>"#)
        }
    };
    let menu = [
        item("/", "Trang chủ"),
        item("/gioi-thieu.aspx", "Giới thiệu"),
        item("/dich-vu-cong.aspx", v.services),
        item("/hoi-dap.aspx", "Hỏi đáp"),
    ]
    .concat();
    format!(
        r#"<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8"><title>Cổng dịch vụ công</title></head>
<body><form method="post" action="/Default.aspx?sid={t}" id="Form">
<div class="aspNetHidden"><input type="hidden" name="__VIEWSTATE" value="{t}{counter}"/><input type="hidden" name="__RequestVerificationToken" value="{t}"/></div>
<table width="1000" align="center" cellpadding="0" cellspacing="0">
<tr><td class="top"><a href="/"><img src="/Portals/0/Skins/Mau/images/quoc-huy.png" width="90" height="90"></a>
<span class="ten-co-quan">{org}</span><br>Cổng Dịch vụ công <span id="dnn_dnnCURRENTDATE_lblDate">{clock}</span></td></tr>
<tr><td class="menu-bar"><ul>{menu}</ul><a href="/Login.aspx?returnurl=%2f">Đăng nhập</a></td></tr>
<tr><td class="noi-dung">{body}</td></tr>
<tr><td class="chan-trang">© Bản quyền {org}. Cơ quan chủ quản: Văn phòng UBND. Chịu trách nhiệm chính: Ông An.
Địa chỉ: 1 Trần Phú. Điện thoại: {phone}. Email: dvc@mau.gov.vn. Số người truy cập: {counter}
<a href="/so-do-cong.aspx;jsessionid={t}">Sơ đồ cổng</a></td></tr>
</table></form></body></html>"#,
        t = v.token,
        org = v.org,
        clock = v.clock,
        phone = v.phone,
        counter = v.counter,
    )
}

/// A `WordPress` page: `header#masthead`, a logo with an empty alt and class `custom-logo`, the
/// menu in `nav.main-navigation`, content in `div#content` without `<main>`, `footer#colophon`.
pub fn wordpress(v: &Vary<'_>, body: &str) -> String {
    let item = |href: &str, label: &str| {
        if href == v.current {
            format!(
                r#"<li class="menu-item current-menu-item"><a href="{href}" aria-current="page">{label}</a></li>"#
            )
        } else {
            format!(r#"<li class="menu-item"><a href="{href}">{label}</a></li>"#)
        }
    };
    let menu = [
        item("/", "Trang chủ"),
        item("/gioi-thieu/", "Giới thiệu"),
        item("/dich-vu-cong/", v.services),
        item("/tin-tuc/", "Tin tức"),
        item("/lien-he/", "Liên hệ"),
    ]
    .concat();
    format!(
        r##"<!doctype html><html lang="vi"><head><meta charset="UTF-8"><title>Cổng dịch vụ công</title></head>
<body class="home page-template-default"><div id="page" class="site">
<a class="skip-link screen-reader-text" href="#content">Chuyển đến nội dung</a>
<header id="masthead" class="site-header"><div class="site-branding">
<a href="/" class="custom-logo-link" rel="home"><img width="120" height="120" src="/wp-content/uploads/2023/05/bieu-trung.png" class="custom-logo" alt="" decoding="async"></a>
<p class="site-title"><a href="/" rel="home">{org}</a></p></div>
<nav id="site-navigation" class="main-navigation"><button class="menu-toggle" aria-controls="primary-menu">Menu</button>
<div class="menu-main-container"><ul id="primary-menu" class="menu">{menu}</ul></div></nav>
<div class="date-time">{clock}</div></header>
<div id="content" class="site-content"><div id="primary" class="content-area">{body}</div></div>
<footer id="colophon" class="site-footer"><div class="site-info">© Bản quyền {org}. Cơ quan chủ quản: Văn phòng UBND.
Chịu trách nhiệm chính: Ông An. Địa chỉ: 1 Trần Phú. Điện thoại: {phone}. Email: dvc@mau.gov.vn</div>
<div class="widget"><span class="visitors">Online: {online}</span> <span>Tổng: {counter}</span></div></footer></div>
<script src="/wp-content/themes/mau/js/emc.js?ver=6.4"></script>
</body></html>"##,
        org = v.org,
        clock = v.clock,
        phone = v.phone,
        counter = v.counter,
        online = v.counter % 97,
    )
}

/// The same markup in decomposed Unicode (NFD), as some editors and windows-1258 produce.
pub fn decomposed(html: &str) -> String {
    html.nfd().collect()
}

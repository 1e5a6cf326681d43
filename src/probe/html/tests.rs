//! Extraction tests: regions, menus, images and EMC snippets on vendor markup.

use super::fixtures::{self, BASE, Vary};
use super::*;
use crate::observation::{FoundBy, Region};

fn url() -> Url {
    Url::parse("https://dvc.example.gov.vn/a/").unwrap()
}

#[test]
fn landmarks_are_found_and_active_marker_ignored() {
    let page = |active: &str| {
        format!(
            "<html lang=vi><head><meta charset=utf-8><title>T</title></head><body>\
             <header><img src=/logo.png alt='Quốc huy'><nav><a href=/ {active}>Trang chủ<span class=sr-only>(hiện tại)</span></a>\
             <a href='/thu-tuc/#x'>Dịch vụ công</a></nav></header><main><h2>Tên thủ tục</h2></main>\
             <footer>© Bản quyền <a href='mailto:lienhe@mau.gov.vn'>Email</a></footer></body></html>"
        )
    };
    let a = extract(&page("class=active aria-current=page"), &url());
    let b = extract(&page(""), &url());
    assert_eq!(a.header, b.header);
    let h = a.header.unwrap();
    assert_eq!(h.found_by, FoundBy::Landmark);
    assert_eq!(h.text, "Quốc huy Trang chủ Dịch vụ công");
    assert_eq!(h.links[1].href, "https://dvc.example.gov.vn/thu-tuc/");
    assert_eq!(a.meta_charset.as_deref(), Some("utf-8"));
    assert_eq!(a.emails, vec!["lienhe@mau.gov.vn"]);
    assert!(a.labels.contains(&"Tên thủ tục".to_string()));
}

#[test]
fn blocks_stand_in_for_missing_landmarks() {
    let f = extract(
        "<body><div><div id=top>Đầu trang</div><div>Nội dung</div><div id=bottom>Chân trang</div></div></body>",
        &url(),
    );
    assert_eq!(f.header.unwrap().found_by, FoundBy::FirstBlock);
    assert_eq!(f.footer.unwrap().text, "Chân trang");
    assert_eq!(f.main.unwrap().text, "Nội dung");
}

#[test]
fn missing_header_landmark_is_not_papered_over() {
    let f = extract("<body><main>x</main><footer>y</footer></body>", &url());
    assert!(f.header.is_none());
    assert!(f.footer.is_some());
}

#[test]
fn emc_snippet_is_parsed() {
    let body = r"<script>var _govaq = window._govaq || [];
        _govaq.push(['trackPageView']);
        _govaq.push(['setTrackerUrl', 'https://f-emc.ngsp.gov.vn/tracking']);
        _govaq.push(['setSiteId', '1234']);
        _govaq.push(['trackDVC', '1.001234']);
        g.src = 'https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js';</script>";
    let f = extract(body, &url());
    let s = &f.emc[0];
    assert_eq!(s.queues, vec!["_govaq"]);
    assert_eq!(
        s.tracker_url.as_deref(),
        Some("https://f-emc.ngsp.gov.vn/tracking")
    );
    assert_eq!(s.site_id.as_deref(), Some("1234"));
    assert_eq!(s.service_code.as_deref(), Some("1.001234"));
    assert_eq!(
        s.script_url.as_deref(),
        Some("https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js")
    );
}

#[test]
fn script_in_title_is_kept_as_text() {
    let f = extract("<title><script>alert(1)</script></title>", &url());
    assert_eq!(f.title.as_deref(), Some("<script>alert(1)</script>"));
}

fn base() -> Url {
    Url::parse(BASE).unwrap()
}

fn selector(r: Option<&Region>) -> (FoundBy, String) {
    let r = r.expect("region found");
    (r.found_by, r.selector.clone().unwrap_or_default())
}

#[test]
fn liferay_regions_are_found_by_convention() {
    let f = extract(
        &fixtures::liferay(&Vary::default(), "<p>Tin mới</p>"),
        &base(),
    );
    assert_eq!(
        selector(f.header.as_ref()),
        (FoundBy::Convention, "#banner".into())
    );
    assert_eq!(
        selector(f.main.as_ref()),
        (FoundBy::Convention, "section#content".into())
    );
    assert_eq!(
        selector(f.footer.as_ref()),
        (FoundBy::Convention, "#footer".into())
    );
    let main = f.main.unwrap();
    // The portlet's own <header> is not the page's, and hidden text is not shown.
    assert!(main.text.contains("Tin mới") && !main.text.contains("Trang chủ"));
    let header = f.header.unwrap();
    assert!(header.text.contains(fixtures::ORG), "{}", header.text);
    assert!(
        !header.text.contains("Xy12AbCd"),
        "hidden inputs are no text"
    );
}

#[test]
fn header_footer_and_an_unmarked_block_between_make_three_parts() {
    let f = extract(
        "<body><header>Cổng</header><div class=x><p>Nội dung</p></div><section><p>Tin</p></section>\
         <footer>© Bản quyền</footer><script>var a;</script></body>",
        &base(),
    );
    let main = f.main.expect("main between header and footer");
    assert_eq!(main.found_by, FoundBy::MiddleBlocks);
    assert_eq!(main.text, "Nội dung Tin");
    assert_eq!(f.header.unwrap().found_by, FoundBy::Landmark);
}

#[test]
fn aria_roles_come_before_conventions() {
    let f = extract(
        "<body><div role=banner>A</div><div id=header>B</div><div role=main>C</div><div role=contentinfo>D</div></body>",
        &base(),
    );
    assert_eq!(
        selector(f.header.as_ref()),
        (FoundBy::Role, "[role=banner]".into())
    );
    assert_eq!(f.footer.unwrap().text, "D");
}

#[test]
fn table_layout_falls_back_to_position_inside_the_form() {
    let f = extract(
        &fixtures::dnn_table(&Vary::default(), "<p>Nội dung</p>"),
        &base(),
    );
    let (by, sel) = selector(f.header.as_ref());
    assert_eq!(by, FoundBy::FirstBlock);
    assert!(sel.starts_with("body > form#Form > table"), "{sel}");
    assert_eq!(f.footer.as_ref().unwrap().found_by, FoundBy::LastBlock);
    let main = f.main.unwrap();
    assert_eq!(main.found_by, FoundBy::MiddleBlocks);
    assert!(main.text.contains("Nội dung"));
}

#[test]
fn a_missing_part_is_not_invented() {
    // The header-missing defect: main and footer only.
    let f = extract(
        "<body><main><p>a</p></main><footer>b</footer><script>x</script></body>",
        &base(),
    );
    assert!(f.header.is_none());
    // A page of one block has no header or footer either.
    let f = extract(
        "<body><div id=wrapper><p>Chỉ nội dung</p></div></body>",
        &base(),
    );
    assert!(f.header.is_none() && f.footer.is_none());
}

#[test]
fn wordpress_content_without_main_is_found() {
    let f = extract(
        &fixtures::wordpress(&Vary::default(), "<p>Bài viết</p>"),
        &base(),
    );
    assert_eq!(f.header.as_ref().unwrap().found_by, FoundBy::Landmark);
    assert_eq!(
        selector(f.main.as_ref()),
        (FoundBy::Convention, "#content".into())
    );
    assert_eq!(f.footer.unwrap().found_by, FoundBy::Landmark);
}

#[test]
fn images_record_alt_size_and_the_text_next_to_them() {
    let f = extract(&fixtures::liferay(&Vary::default(), ""), &base());
    let imgs = f.header.unwrap().image_facts.unwrap();
    assert_eq!(imgs.len(), 1);
    assert!(imgs[0].alt.starts_with("Quốc huy"), "{}", imgs[0].alt);
    assert_eq!((imgs[0].width, imgs[0].height), (Some(80), Some(80)));
    assert!(
        imgs[0].context.contains(fixtures::ORG),
        "{}",
        imgs[0].context
    );
    let f = extract(&fixtures::wordpress(&Vary::default(), ""), &base());
    let imgs = f.header.unwrap().image_facts.unwrap();
    assert!(imgs[0].alt.contains("custom-logo"));
    assert!(imgs[0].src.ends_with("bieu-trung.png"));
}

#[test]
fn menu_candidates_name_their_list_and_mark_image_and_nested_links() {
    let f = extract(&fixtures::liferay(&Vary::default(), ""), &base());
    let menus = f.menus.unwrap();
    let nav = menus
        .iter()
        .find(|m| m.selector == "div#navigation ul.nav.navbar-nav")
        .unwrap_or_else(|| panic!("{menus:#?}"));
    assert!(!nav.in_header);
    assert!(
        nav.links
            .iter()
            .any(|l| l.nested && l.text == "Danh mục thủ tục")
    );
    assert!(!nav.links[0].nested && nav.links[0].text == "Trang chủ");
    let f = extract(&fixtures::wordpress(&Vary::default(), ""), &base());
    let menus = f.menus.unwrap();
    let primary = menus
        .iter()
        .find(|m| m.selector == "ul#primary-menu")
        .unwrap_or_else(|| panic!("{menus:#?}"));
    assert!(primary.in_header);
    // The container holding only the same links is not listed twice.
    assert!(
        !menus
            .iter()
            .any(|m| m.selector.starts_with("nav#site-navigation") && m.links == primary.links)
    );
    let f = extract(
        "<body><header><nav><a href=/><img src=/q.png alt='Quốc huy'></a><a href=/a>A</a></nav></header></body>",
        &base(),
    );
    let m = &f.menus.unwrap()[0];
    assert!(m.links[0].image_only && !m.links[1].image_only);
}

#[test]
fn decomposed_page_extracts_like_its_composed_twin() {
    for page in [
        fixtures::liferay(&Vary::default(), "<h2>Thủ tục hành chính</h2>"),
        fixtures::dnn_table(&Vary::default(), "<p>Lĩnh vực</p>"),
        fixtures::wordpress(&Vary::default(), "<p>Hỏi đáp</p>"),
    ] {
        let nfd = fixtures::decomposed(&page);
        assert_ne!(nfd, page);
        let (a, b) = (extract(&page, &base()), extract(&nfd, &base()));
        assert_eq!(a.header, b.header);
        assert_eq!(a.main, b.main);
        assert_eq!(a.footer, b.footer);
        assert_eq!(a.menus, b.menus);
        assert_eq!(a.labels, b.labels);
        assert_eq!(a.title, b.title);
    }
}

#[test]
fn every_text_path_is_composed() {
    let nfd = fixtures::decomposed(
        "<body><form><select name=lv><option>Xây dựng</option><option value='Tư pháp'>x</option></select></form>\
         <dl><dt>Lĩnh vực</dt><dd>Đất đai</dd></dl><a href='mailto:hộp@mau.gov.vn'>Thư</a><a href='/x' title='Thư điện tử'></a></body>",
    );
    let f = extract(&nfd, &base());
    let composed = |s: &str| crate::unicode::nfc(s) == s;
    let opts = &f.forms[0].inputs[0].options;
    assert_eq!(opts, &vec!["Xây dựng".to_string(), "Tư pháp".to_string()]);
    assert!(
        f.fields
            .iter()
            .all(|x| composed(&x.label) && composed(&x.value))
    );
    assert_eq!(f.links[0].text, "Thư điện tử");
    assert!(f.emails.iter().all(|e| composed(e)));
}

#[test]
fn a_posts_own_header_and_footer_are_not_the_pages() {
    // An older WordPress theme: the post in `div#primary` has `<header>`/`<footer>` elements,
    // the page's own header and footer are `div#masthead` and `div#colophon`.
    let html = "<body><div id=page><div id=masthead><img src=/quoc-huy.png alt='Quốc huy'> \
        Ủy ban nhân dân tỉnh Mẫu</div><div id=primary><div class='hentry'>\
        <header class=entry-header><h1>Giới thiệu</h1></header><p>Nội dung</p>\
        <footer class=entry-footer>Đăng ngày 01/11/2026</footer></div></div>\
        <div id=colophon>© Bản quyền Ủy ban nhân dân tỉnh Mẫu</div></div></body>";
    let f = extract(html, &base());
    assert_eq!(
        selector(f.header.as_ref()),
        (FoundBy::Convention, "#masthead".into())
    );
    assert_eq!(
        selector(f.footer.as_ref()),
        (FoundBy::Convention, "#colophon".into())
    );
    assert!(f.main.as_ref().unwrap().text.contains("Nội dung"));
}

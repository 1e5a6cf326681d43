//! Layout judges on vendor markup (`probe::html::fixtures`): each clean theme passes, each
//! fault fails its requirement, and a decomposed page is judged like its composed twin.

use url::Url;

use crate::checklist::Checklist;
use crate::evaluation::{Status, Verdict};
use crate::judge::judge;
use crate::observation::{Fetch, Observations, Page, Role};
use crate::probe::html::extract;
use crate::probe::html::fixtures::{self, BASE, ORG, Vary};

type Theme = fn(&Vary<'_>, &str) -> String;
const THEMES: [(&str, Theme); 3] = [
    ("liferay", fixtures::liferay),
    ("dnn-table", fixtures::dnn_table),
    ("wordpress", fixtures::wordpress),
];

fn page(path: &str, html: &str, role: Role) -> Page {
    let url = Url::parse(BASE).unwrap().join(path).unwrap();
    Page {
        url: url.to_string(),
        roles: vec![role],
        depth: Some(0),
        fetch: Fetch {
            status: Some(200),
            final_url: url.to_string(),
            headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
            html: Some(extract(html, &url)),
            ..Fetch::default()
        },
    }
}

/// A portal of three pages: home, a list page and a detail page, each with its own counter,
/// clock, token and active menu item.
fn portal(
    theme: impl Fn(&Vary<'_>, &str) -> String,
    change: impl Fn(usize, &mut Vary<'_>),
) -> Observations {
    let paths = ["/", "/web/guest/gioi-thieu", "/web/guest/thong-ke"];
    let clocks = [
        "Thứ Hai, 29/11/2026 14:05",
        "Thứ Ba, 30/11/2026 09:12:44",
        "Chủ nhật, 06/12/2026 23:59",
    ];
    let pages = paths
        .iter()
        .enumerate()
        .map(|(i, path)| {
            let mut v = Vary {
                current: path,
                counter: 1_234_567 + i as u32 * 31,
                clock: clocks[i],
                token: ["Xy12AbCd", "Qq98ZzTt", "Mm55NnPp"][i],
                ..Vary::default()
            };
            change(i, &mut v);
            let role = if i == 0 { Role::Home } else { Role::Crawled };
            page(path, &theme(&v, &format!("<h2>Trang {i}</h2>")), role)
        })
        .collect();
    Observations {
        base_url: BASE.into(),
        public_host: "dvc.mau.gov.vn".into(),
        organisation: ORG.into(),
        pages,
        ..Observations::default()
    }
}

fn verdict(id: &str, o: &Observations) -> Verdict {
    let c = Checklist::resolve("tt21-2023").unwrap();
    judge(c.get(id).unwrap(), o)
}

fn assert_status(id: &str, o: &Observations, want: Status, theme: &str) -> Verdict {
    let v = verdict(id, o);
    assert_eq!(
        v.status, want,
        "{theme} {id}: {} / {}",
        v.observed.en, v.message.en
    );
    v
}

#[test]
fn pl3_clean_themes_pass_every_layout_requirement() {
    for (name, theme) in THEMES {
        let o = portal(theme, |_, _| {});
        for id in ["PL3-1", "PL3-2", "PL3-3", "PL3-4", "PL3-5", "PL3-6"] {
            assert_status(id, &o, Status::Pass, name);
        }
    }
}

#[test]
fn pl3_decomposed_pages_are_judged_like_their_composed_twins() {
    for (name, theme) in THEMES {
        let composed = portal(theme, |_, _| {});
        let nfd = |v: &Vary<'_>, b: &str| fixtures::decomposed(&theme(v, b));
        let decomposed = portal(nfd, |_, _| {});
        for id in [
            "PL3-1", "PL3-2", "PL3-3", "PL3-4", "PL3-5", "PL3-6", "PL3-8",
        ] {
            let (a, b) = (verdict(id, &composed), verdict(id, &decomposed));
            assert_eq!(a.status, b.status, "{name} {id}");
            assert_eq!(a.observed.en, b.observed.en, "{name} {id}");
        }
        // And a fault still fails in decomposed form.
        let faulty = portal(nfd, |i, v| {
            if i == 2 {
                v.org = "Ủy ban nhân dân tỉnh Khác";
            }
        });
        assert_status("PL3-2", &faulty, Status::Fail, name);
    }
}

#[test]
fn pl3_1_observed_says_which_rule_found_each_part() {
    let v = assert_status(
        "PL3-1",
        &portal(fixtures::liferay, |_, _| {}),
        Status::Pass,
        "liferay",
    );
    assert!(
        v.observed
            .en
            .contains("header — theme convention `#banner` (3)")
            && v.observed
                .en
                .contains("main — theme convention `section#content` (3)"),
        "{}",
        v.observed.en
    );
    let v = verdict("PL3-1", &portal(fixtures::dnn_table, |_, _| {}));
    assert!(
        v.observed.en.contains("position: first block"),
        "{}",
        v.observed.en
    );
}

#[test]
fn pl3_1_a_page_without_header_fails() {
    let mut o = portal(fixtures::liferay, |_, _| {});
    let html = fixtures::liferay(&Vary::default(), "<p>x</p>");
    let cut = format!(
        "{}{}",
        &html[..html.find("<div id=\"banner\"").unwrap()],
        &html[html.find("<section id=\"content\"").unwrap()..]
    );
    o.pages
        .push(page("/web/guest/tim-kiem", &cut, Role::Crawled));
    let v = assert_status("PL3-1", &o, Status::Fail, "liferay");
    assert!(
        v.observed.en.contains("/web/guest/tim-kiem (header)"),
        "{}",
        v.observed.en
    );
}

#[test]
fn pl3_2_3_a_changed_header_or_footer_fails_but_counters_clocks_and_tokens_do_not() {
    for (name, theme) in THEMES {
        let o = portal(theme, |i, v| {
            if i == 1 {
                v.org = "UBND tỉnh Mẫu";
            }
        });
        let fail = assert_status("PL3-2", &o, Status::Fail, name);
        assert!(
            fail.observed.en.contains("1 of 3 pages differ"),
            "{}",
            fail.observed.en
        );
        let o = portal(theme, |i, v| {
            if i == 2 {
                v.phone = "0210 3 777 777";
            }
        });
        assert_status("PL3-3", &o, Status::Fail, name);
        // With the spec's volatile patterns emptied, the counters and clocks do differ.
        let c = Checklist::resolve("tt21-2023").unwrap();
        let mut req = c.get("PL3-3").unwrap().clone();
        if let crate::checklist::Check::RegionConsistent { ignore, .. } = &mut req.checks[0] {
            ignore.clear();
        }
        let clean = portal(theme, |_, _| {});
        assert_eq!(judge(&req, &clean).status, Status::Fail, "{name}");
    }
}

#[test]
fn pl3_2_session_bound_links_are_the_same_link() {
    let o = portal(fixtures::liferay, |_, _| {});
    let hrefs: Vec<String> = o
        .pages
        .iter()
        .flat_map(|p| p.fetch.html.as_ref().unwrap().links.iter())
        .map(|l| l.href.clone())
        .filter(|h| h.contains("p_auth") || h.contains("jsessionid"))
        .collect();
    assert!(hrefs.len() >= 3, "the fixture has session links: {hrefs:?}");
    assert_status("PL3-2", &o, Status::Pass, "liferay");
    let c = Checklist::resolve("tt21-2023").unwrap();
    let mut req = c.get("PL3-2").unwrap().clone();
    if let crate::checklist::Check::RegionConsistent { session_params, .. } = &mut req.checks[0] {
        session_params.clear();
    }
    assert_eq!(judge(&req, &o).status, Status::Fail);
}

#[test]
fn pl3_4_emblem_must_be_identified_and_next_to_the_name() {
    // The organisation's name is missing.
    let o = portal(fixtures::liferay, |_, v| v.org = "Cổng dịch vụ công");
    assert_status("PL3-4", &o, Status::Fail, "liferay");
    // An image that is no emblem (neither alt, class nor file name says so).
    let mut o = portal(fixtures::wordpress, |_, _| {});
    let html = fixtures::wordpress(&Vary::default(), "").replace(
        "bieu-trung.png\" class=\"custom-logo\"",
        "anh-bia.png\" class=\"wp-image-5\"",
    );
    o.pages[0] = page("/", &html, Role::Home);
    let v = assert_status("PL3-4", &o, Status::Fail, "wordpress");
    assert!(
        v.observed.en.contains("none identified as the emblem"),
        "{}",
        v.observed.en
    );
    // A 16-pixel logo icon is no banner emblem.
    let tiny = "<body><header><img src=/logo.png alt=logo width=16 height=16> Ủy ban nhân dân tỉnh Mẫu</header><main>x</main><footer>y</footer></body>";
    o.pages[0] = page("/", tiny, Role::Home);
    assert_status("PL3-4", &o, Status::Fail, "icon");
    let big = tiny.replace("width=16 height=16", "width=64 height=64");
    o.pages[0] = page("/", &big, Role::Home);
    assert_status("PL3-4", &o, Status::Pass, "emblem");
    // Emblem and name in the header, but apart.
    let apart = "<body><header><div class=brand><img src=/quoc-huy.png alt='Quốc huy'><b>Cổng dịch vụ công</b></div>\
                 <div class=tools><a href=/>Ủy ban nhân dân tỉnh Mẫu</a></div></header><main>x</main><footer>y</footer></body>";
    o.pages[0] = page("/", apart, Role::Home);
    let v = assert_status("PL3-4", &o, Status::Fail, "apart");
    assert!(v.message.en.contains("not next to"), "{}", v.message.en);
}

#[test]
fn pl3_4_observations_without_image_details_are_an_error() {
    let mut o = portal(fixtures::liferay, |_, _| {});
    let h = o.pages[0].fetch.html.as_mut().unwrap();
    h.header.as_mut().unwrap().image_facts = None;
    assert_status("PL3-4", &o, Status::Error, "old observations");
}

#[test]
fn pl3_5_menu_needs_the_required_items_and_reports_missing_examples() {
    // DNN's menu has no site-map item: an example, reported, not failed.
    let v = assert_status(
        "PL3-5",
        &portal(fixtures::dnn_table, |_, _| {}),
        Status::Pass,
        "dnn",
    );
    assert!(
        v.message.en.contains("example items missing: site map"),
        "{}",
        v.message.en
    );
    assert!(
        v.observed.en.contains("`td.menu-bar ul`"),
        "{}",
        v.observed.en
    );
    for (name, theme) in THEMES {
        let o = portal(theme, |_, v| v.services = "Tin tức");
        let v = assert_status("PL3-5", &o, Status::Fail, name);
        assert!(v.message.en.contains("online services"), "{}", v.message.en);
    }
}

fn home_only(html: &str) -> Observations {
    let mut o = portal(fixtures::liferay, |_, _| {});
    o.pages = vec![page("/", html, Role::Home)];
    o
}

#[test]
fn pl3_5_the_main_menu_is_not_the_first_nav_nor_the_logo_link() {
    let html = "<body><div id=banner><nav class=top-links><a href=/dang-nhap>Đăng nhập</a><a href=/dang-ky>Đăng ký</a>\
        <a href=/en>English</a><a href=/lien-he>Liên hệ</a></nav><a href=/><img src=/quoc-huy.png alt='Trang chủ'></a> Ủy ban nhân dân tỉnh Mẫu</div>\
        <div class=menu-bar><ul><li><a href=/>Trang chủ</a></li><li><a href=/gioi-thieu>Giới thiệu</a></li>\
        <li><a href=/dvc>Dịch vụ công</a></li></ul></div><section id=content>x</section><div id=footer>y</div></body>";
    let v = assert_status("PL3-5", &home_only(html), Status::Pass, "menu-bar");
    assert!(
        v.observed.en.contains("`div.menu-bar ul`"),
        "{}",
        v.observed.en
    );
    // Without the text link, the logo's "Trang chủ" does not make a home item.
    let no_home = html.replace(
        "<li><a href=/>Trang chủ</a></li>",
        "<li><a href=/tin>Tin tức</a></li>",
    );
    let v = assert_status("PL3-5", &home_only(&no_home), Status::Fail, "logo only");
    assert!(v.message.en.contains("home"), "{}", v.message.en);
}

#[test]
fn pl3_5_an_icon_link_to_the_root_is_the_home_item() {
    let page = |home: &str| {
        format!(
            "<body><div id=banner><img src=/quoc-huy.png alt='Quốc huy'> Ủy ban nhân dân tỉnh Mẫu</div>\
             <div class=menu-bar><ul><li>{home}</li><li><a href=/gioi-thieu>Giới thiệu</a></li>\
             <li><a href=/dvc>Dịch vụ công</a></li></ul></div><section id=content>x</section><div id=footer>y</div></body>"
        )
    };
    for (what, home) in [
        ("icon", "<a href=/><i class='fa fa-home'></i></a>"),
        (
            "sr-only",
            "<a href=/><i class=icon></i><span class=sr-only>Trang chủ</span></a>",
        ),
    ] {
        assert_status("PL3-5", &home_only(&page(home)), Status::Pass, what);
    }
    let v = assert_status(
        "PL3-5",
        &home_only(&page(
            "<a href=/tin-tuc><i class='fa fa-news'></i></a></li><li><a href=/so-do>Sơ đồ cổng</a>",
        )),
        Status::Fail,
        "an icon elsewhere",
    );
    assert!(v.message.en.contains("home"), "{}", v.message.en);
}

#[test]
fn pl3_5_a_link_list_far_down_the_page_is_no_main_menu() {
    let many: String = (0..45)
        .map(|i| format!("<a href=/tin/{i}>Tin {i}</a> "))
        .collect();
    let html = format!(
        "<body><header>Ủy ban nhân dân tỉnh Mẫu</header><main>{many}</main><footer><ul><li><a href=/>Trang chủ</a></li>\
         <li><a href=/dvc>Dịch vụ công</a></li><li><a href=/so-do>Sơ đồ cổng</a></li></ul></footer></body>"
    );
    let v = assert_status("PL3-5", &home_only(&html), Status::Fail, "footer list");
    assert!(v.message.en.contains("no main menu"), "{}", v.message.en);
    // Links on other hosts are no menu of the portal either.
    let foreign = "<body><nav><ul><li><a href=https://dichvucong.gov.vn/>Trang chủ</a></li><li><a href=https://dichvucong.gov.vn/dvc>Dịch vụ công</a></li>\
        <li><a href=https://dichvucong.gov.vn/gt>Giới thiệu</a></li></ul></nav></body>";
    assert_status("PL3-5", &home_only(foreign), Status::Fail, "foreign");
}

#[test]
fn pl3_5_observations_without_menus_are_an_error() {
    let mut o = portal(fixtures::wordpress, |_, _| {});
    o.pages[0].fetch.html.as_mut().unwrap().menus = None;
    assert_status("PL3-5", &o, Status::Error, "old observations");
}

#[test]
fn pl3_6_footer_fields_on_every_theme_and_a_missing_phone_fails() {
    for (name, theme) in THEMES {
        let o = portal(theme, |_, v| v.phone = "");
        assert_status("PL3-6", &o, Status::Fail, name);
    }
}

fn sitemap_portal(links: usize, min_links: Option<u32>) -> Verdict {
    sitemap_portal_from(&good_home(), links, min_links)
}

fn sitemap_portal_from(home: &str, links: usize, min_links: Option<u32>) -> Verdict {
    let items: String = (0..links)
        .map(|i| format!("<li><a href=/p{i}>Trang {i}</a></li>"))
        .collect();
    let mut o = home_only(home);
    o.pages.push(page(
        "/web/guest/so-do-cong",
        &format!("<body><header>h</header><main><ul>{items}</ul></main><footer>f</footer></body>"),
        Role::Crawled,
    ));
    let mut xml = page("/sitemap.xml", "", Role::SitemapXml);
    xml.fetch.html = None;
    xml.fetch.text = Some(
        "<?xml version=\"1.0\"?><urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\"><url><loc>https://dvc.mau.gov.vn/</loc></url></urlset>".into(),
    );
    o.pages.push(xml);
    let c = Checklist::resolve("tt21-2023").unwrap();
    let mut req = c.get("PL3-7").unwrap().clone();
    if let (Some(m), crate::checklist::Check::Sitemap { min_links, .. }) =
        (min_links, &mut req.checks[0])
    {
        *min_links = m;
    }
    judge(&req, &o)
}

fn good_home() -> String {
    fixtures::liferay(&Vary::default(), "")
}

#[test]
fn pl3_7_the_site_map_page_threshold_is_data() {
    let v = sitemap_portal(5, None);
    assert_eq!(v.status, Status::Pass, "{} {}", v.observed.en, v.message.en);
    let v = sitemap_portal(4, None);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(v.message.en.contains("only 4 links"), "{}", v.message.en);
    assert_eq!(sitemap_portal(4, Some(3)).status, Status::Pass);
    // The home page's "Sơ đồ cổng" link is found in decomposed form too.
    let v = sitemap_portal_from(&fixtures::decomposed(&good_home()), 5, None);
    assert_eq!(v.status, Status::Pass, "{}", v.message.en);
}

/// The fixture portal rendered with region boxes drawn at `header`, `main`, `footer` (y, width,
/// visible) in a 1280 px desktop view.
fn drawn(boxes: [(f64, f64, bool); 3]) -> Observations {
    use crate::observation::{Part, RegionBox};
    let mut o = crate::judge::tests::rendered_obs(vec![]);
    let view = o
        .rendered
        .get_mut(crate::judge::tests::BASE)
        .unwrap()
        .desktop
        .as_mut()
        .unwrap();
    view.boxes = [Part::Header, Part::Main, Part::Footer]
        .into_iter()
        .zip(boxes)
        .map(|(part, (y, width, visible))| RegionBox {
            part,
            selector: format!("{part:?}").to_lowercase(),
            found: true,
            x: 0.0,
            y,
            width,
            height: 100.0,
            visible,
        })
        .collect();
    o
}

#[test]
fn pl3_1_with_boxes_passes_when_drawn_in_order_visible_and_full_width() {
    let v = verdict(
        "PL3-1",
        &drawn([
            (0.0, 1280.0, true),
            (120.0, 960.0, true),
            (900.0, 1200.0, true),
        ]),
    );
    assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
    assert!(
        v.observed.en.contains("drawn layout checked on 1 pages"),
        "{}",
        v.observed.en
    );
    // Without boxes, the markup alone decides (as before the browser probe).
    let v = verdict("PL3-1", &crate::judge::tests::rendered_obs(vec![]));
    assert_eq!(v.status, Status::Pass);
    assert!(!v.observed.en.contains("drawn layout"), "{}", v.observed.en);
}

#[test]
fn pl3_1_with_boxes_fails_on_order_hidden_or_narrow_regions() {
    let v = verdict(
        "PL3-1",
        &drawn([
            (0.0, 1280.0, true),
            (950.0, 960.0, true),
            (900.0, 1280.0, true),
        ]),
    );
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.observed
            .en
            .contains("main (y 950) not above footer (y 900)"),
        "{}",
        v.observed.en
    );
    assert!(
        v.evidence
            .iter()
            .any(|e| e.file.as_deref() == Some("screenshots/0-desktop.png"))
    );
    let v = verdict(
        "PL3-1",
        &drawn([
            (0.0, 1280.0, true),
            (120.0, 960.0, true),
            (900.0, 1280.0, false),
        ]),
    );
    assert_eq!(v.status, Status::Fail);
    assert!(v.observed.en.contains("footer hidden"), "{}", v.observed.en);
    let v = verdict(
        "PL3-1",
        &drawn([
            (0.0, 600.0, true),
            (120.0, 960.0, true),
            (900.0, 1280.0, true),
        ]),
    );
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.observed.en.contains("header 600 px wide of 1280 px"),
        "{}",
        v.observed.en
    );
}

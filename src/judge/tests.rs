//! Shared fixtures of the judges' tests (observations of a small portal built from HTML
//! strings), and the tests of the layout and platform judges (PL3-x, PL1-13, PL8-3, PL8-9).
//! Every other judge keeps its pass and fail tests in a `tests` module at the end of its file.

use url::Url;

use super::judge;
use crate::checklist::Checklist;
use crate::evaluation::Status;
use crate::observation::{Fetch, Observations, Page, Role};

pub(super) const BASE: &str = "https://dvc.mau.gov.vn/";

pub(super) fn good_page(footer: &str, header: &str) -> String {
    format!(
        "<html><head><meta charset=utf-8></head><body><header><img src=/quoc-huy.svg alt='Quốc huy'>{header}\
         <nav><a href=/>Trang chủ</a><a href=/gioi-thieu>Giới thiệu</a><a href=/thu-tuc/>Dịch vụ công</a><a href=/so-do>Sơ đồ cổng</a></nav></header>\
         <main><a href=/thu-tuc/>Danh mục thủ tục</a><a href=/tim-kiem>Tìm kiếm</a><a href=/tra-cuu>Tra cứu hồ sơ</a>\
         <a href=/phan-anh>Phản ánh</a><a href=/thong-ke>Thống kê</a></main><footer>{footer}</footer></body></html>"
    )
}

pub(super) const FOOTER: &str = "© Bản quyền. Cơ quan chủ quản: UBND tỉnh Mẫu. Chịu trách nhiệm chính: A. Địa chỉ: 1 Trần Phú. Điện thoại: 0210 3 888 888. Email: dvc@mau.gov.vn";

pub(super) fn obs(home_html: &str, content_type: &str, extra: Vec<Page>) -> Observations {
    let url = Url::parse(BASE).unwrap();
    let mut pages = vec![Page {
        url: BASE.into(),
        roles: vec![Role::Home],
        depth: Some(0),
        fetch: Fetch {
            status: Some(200),
            final_url: BASE.into(),
            headers: vec![("content-type".into(), content_type.into())],
            html: Some(crate::probe::html::extract(home_html, &url)),
            ..Fetch::default()
        },
    }];
    pages.extend(extra);
    Observations {
        base_url: BASE.into(),
        public_host: "dvc.mau.gov.vn".into(),
        organisation: "Ủy ban nhân dân tỉnh Mẫu".into(),
        started_at: "2026-11-22T00:00:00Z".into(),
        pages,
        ..Observations::default()
    }
}

pub(super) fn status(id: &str, o: &Observations) -> Status {
    let c = Checklist::resolve("tt21-2023").unwrap();
    judge(c.get(id).unwrap(), o).status
}

#[test]
fn banner_menu_footer_and_links_pass_on_a_complete_home_page() {
    let o = obs(
        &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
        "text/html; charset=utf-8",
        vec![],
    );
    for id in [
        "PL3-4", "PL3-5", "PL3-6", "PL3-8", "PL1-13", "PL8-3", "PL8-9",
    ] {
        let c = Checklist::resolve("tt21-2023").unwrap();
        let v = judge(c.get(id).unwrap(), &o);
        assert_eq!(v.status, Status::Pass, "{id}: {}", v.observed.en);
    }
}

#[test]
fn banner_without_agency_name_fails() {
    let o = obs(&good_page(FOOTER, "Cổng dịch vụ công"), "text/html", vec![]);
    assert_eq!(status("PL3-4", &o), Status::Fail);
}

#[test]
fn menu_and_home_links_missing_items_fail() {
    let html = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu")
        .replace(">Dịch vụ công<", ">Tin tức<")
        .replace("Thống kê", "Tin mới");
    let o = obs(&html, "text/html", vec![]);
    assert_eq!(status("PL3-5", &o), Status::Fail);
    assert_eq!(status("PL3-8", &o), Status::Fail);
}

#[test]
fn footer_without_phone_or_email_fails() {
    let o = obs(
        &good_page(
            "© Bản quyền. Cơ quan chủ quản: UBND. Địa chỉ: 1 Trần Phú.",
            "Ủy ban nhân dân tỉnh Mẫu",
        ),
        "text/html",
        vec![],
    );
    assert_eq!(status("PL3-6", &o), Status::Fail);
    assert_eq!(status("PL1-13", &o), Status::Fail);
}

#[test]
fn non_utf8_page_and_foreign_host_fail() {
    let html = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu").replace("<meta charset=utf-8>", "");
    let mut o = obs(&html, "text/html; charset=windows-1258", vec![]);
    assert_eq!(status("PL8-9", &o), Status::Fail);
    o.public_host = "dichvucong.example.com".into();
    assert_eq!(status("PL8-3", &o), Status::Fail);
}

pub(super) fn security_txt(body: &str) -> Page {
    Page {
        url: format!("{BASE}.well-known/security.txt"),
        roles: vec![Role::SecurityTxt],
        depth: None,
        fetch: Fetch {
            status: Some(200),
            headers: vec![("content-type".into(), "text/plain".into())],
            text: Some(body.into()),
            ..Fetch::default()
        },
    }
}

pub(super) fn status_in(edition: &str, id: &str, o: &Observations) -> Status {
    let c = Checklist::resolve(edition).unwrap();
    judge(c.get(id).unwrap(), o).status
}

pub(super) fn json_page(url: &str, role: Role, status: u16, body: &str) -> Page {
    let mut p = html_page(url, role, status, "");
    p.fetch.headers = vec![("content-type".into(), "application/json".into())];
    p.fetch.html = None;
    p.fetch.text = Some(body.into());
    p.fetch.bytes = body.len() as u64;
    p
}

pub(super) fn html_page(url: &str, role: Role, status: u16, html: &str) -> Page {
    Page {
        url: url.into(),
        roles: vec![role],
        depth: None,
        fetch: Fetch {
            status: Some(status),
            final_url: url.into(),
            headers: vec![("content-type".into(), "text/html".into())],
            html: Some(crate::probe::html::extract(html, &Url::parse(url).unwrap())),
            ..Fetch::default()
        },
    }
}

/// The complete home page of [`good_page`] with extra pages.
pub(super) fn portal(extra: Vec<Page>) -> Observations {
    obs(
        &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
        "text/html; charset=utf-8",
        extra,
    )
}

/// The verdict of a `tt21-2023` requirement, for assertions that show what was observed.
pub(super) fn verdict(id: &str, o: &Observations) -> crate::evaluation::Verdict {
    verdict_in("tt21-2023", id, o)
}

/// The verdict of a requirement of an edition.
pub(super) fn verdict_in(edition: &str, id: &str, o: &Observations) -> crate::evaluation::Verdict {
    let c = Checklist::resolve(edition).unwrap();
    judge(c.get(id).unwrap(), o)
}

/// A browser run record with a status (ran, skipped, failed).
pub(super) fn browser_run(
    status: crate::observation::BrowserStatus,
    reason: Option<&str>,
) -> crate::observation::BrowserRun {
    crate::observation::BrowserRun {
        status,
        reason: reason.map(str::to_string),
        browser_version: Some("Chromium 156".into()),
        webdriver: Some("chromedriver (local)".into()),
        profile: crate::observation::ThrottlingProfile::Mobile,
        runs: 3,
        timed_pages: Vec::new(),
        rendered_pages: 0,
        not_rendered: 0,
        filmstrip: None,
    }
}

/// Observations of the fixture portal as a clean browser run leaves them: every site page
/// rendered with its HTTP facts, a 1280 px desktop view, a 360 px mobile view with
/// `width=device-width` that does not scroll sideways, and the EMC page view queued and sent
/// (blocked). Tests break one fact to make a defect.
pub(super) fn rendered_obs(extra: Vec<Page>) -> Observations {
    use crate::observation::{BrowserStatus, Rendered, TrackerFacts, TrackerRequest, View};
    let mut o = obs(
        &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
        "text/html; charset=utf-8",
        extra,
    );
    o.version = crate::observation::OBSERVATIONS_VERSION;
    o.browser = Some(browser_run(BrowserStatus::Ran, None));
    let pages: Vec<(String, crate::observation::HtmlFacts)> = o
        .http_html_pages()
        .map(|(p, h)| (p.url.clone(), h.clone()))
        .collect();
    for (i, (url, html)) in pages.into_iter().enumerate() {
        let view = |width: u32, meta: Option<&str>, shot: &str| View {
            width,
            height: 800,
            scroll_width: Some(width),
            viewport_meta: meta.map(str::to_string),
            screenshot: Some(format!("screenshots/{i}-{shot}.png")),
            ..View::default()
        };
        o.rendered.insert(
            url.clone(),
            Rendered {
                final_url: Some(url.clone()),
                html: Some(html),
                desktop: Some(view(1280, None, "desktop")),
                mobile: Some(view(
                    360,
                    Some("width=device-width, initial-scale=1"),
                    "mobile",
                )),
                tracker: Some(TrackerFacts {
                    blocked_hosts: vec!["f-emc.ngsp.gov.vn".into()],
                    queue: Some(vec![serde_json::json!(["trackPageView"])]),
                    queue_name: "_govaq".into(),
                    requests: vec![TrackerRequest {
                        url: "https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js".into(),
                        method: "GET".into(),
                        resource_type: "Script".into(),
                        blocked: true,
                        body: None,
                    }],
                    error: None,
                }),
                accessibility: Some(crate::observation::AxeAudit {
                    axe_version: "4.13.0".into(),
                    tags: vec!["wcag2a".into(), "wcag2aa".into()],
                    passes: 20,
                    ..Default::default()
                }),
                error: None,
            },
        );
    }
    o
}

/// A sampled page of the fixture portal at `path`, with its HTML.
pub(super) fn sample_page(path: &str, html: &str) -> Page {
    let url = format!("{BASE}{path}");
    let parsed = Url::parse(&url).unwrap();
    Page {
        url: url.clone(),
        roles: vec![Role::Sample],
        depth: Some(1),
        fetch: Fetch {
            status: Some(200),
            final_url: url,
            headers: vec![("content-type".into(), "text/html".into())],
            html: Some(crate::probe::html::extract(html, &parsed)),
            ..Fetch::default()
        },
    }
}

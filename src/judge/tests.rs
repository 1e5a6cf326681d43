//! Fail paths of judges that have no reference-portal defect (their pass path is covered by the
//! clean demo in the integration tests).

use url::Url;

use super::judge;
use crate::checklist::Checklist;
use crate::evaluation::Status;
use crate::observation::{CertFacts, Fetch, Observations, Page, Role, TlsFacts};

const BASE: &str = "https://dvc.mau.gov.vn/";

fn good_page(footer: &str, header: &str) -> String {
    format!(
        "<html><head><meta charset=utf-8></head><body><header><img src=/q.svg alt=q>{header}\
         <nav><a href=/>Trang chủ</a><a href=/gioi-thieu>Giới thiệu</a><a href=/thu-tuc/>Dịch vụ công</a><a href=/so-do>Sơ đồ cổng</a></nav></header>\
         <main><a href=/thu-tuc/>Danh mục thủ tục</a><a href=/tim-kiem>Tìm kiếm</a><a href=/tra-cuu>Tra cứu hồ sơ</a>\
         <a href=/phan-anh>Phản ánh</a><a href=/thong-ke>Thống kê</a></main><footer>{footer}</footer></body></html>"
    )
}

const FOOTER: &str = "© Bản quyền. Cơ quan chủ quản: UBND tỉnh Mẫu. Chịu trách nhiệm chính: A. Địa chỉ: 1 Trần Phú. Điện thoại: 0210 3 888 888. Email: dvc@mau.gov.vn";

fn obs(home_html: &str, content_type: &str, extra: Vec<Page>) -> Observations {
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

fn status(id: &str, o: &Observations) -> Status {
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
        .replace("Giới thiệu", "Tin tức")
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

fn security_txt(body: &str) -> Page {
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

#[test]
fn security_txt_needs_contact_and_a_future_expiry() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let ok = obs(
        &home,
        "text/html",
        vec![security_txt(
            "Contact: mailto:a@b.vn\nExpires: 2099-01-01T00:00:00Z\n",
        )],
    );
    assert_eq!(status("SEC-9", &ok), Status::Pass);
    let expired = obs(
        &home,
        "text/html",
        vec![security_txt(
            "Contact: mailto:a@b.vn\nExpires: 2020-01-01T00:00:00Z\n",
        )],
    );
    assert_eq!(status("SEC-9", &expired), Status::Fail);
    let none = obs(
        &home,
        "text/html",
        vec![security_txt("Contact: mailto:a@b.vn\n")],
    );
    assert_eq!(status("SEC-9", &none), Status::Fail);
}

#[test]
fn certificate_expiring_soon_or_untrusted_fails() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let http = Page {
        url: "http://dvc.mau.gov.vn/".into(),
        roles: vec![Role::HttpEntry],
        depth: None,
        fetch: Fetch {
            status: Some(301),
            redirects: vec![crate::observation::Hop {
                url: "http://dvc.mau.gov.vn/".into(),
                status: 301,
                location: BASE.into(),
            }],
            ..Fetch::default()
        },
    };
    let mut o = obs(&home, "text/html", vec![http]);
    let tls = |not_after: &str, verify_error: Option<&str>| TlsFacts {
        host: "dvc.mau.gov.vn".into(),
        port: 443,
        observed_at: "2026-11-22T00:00:00Z".into(),
        version: Some("TLSv1_3".into()),
        cipher: Some("TLS13_AES_128_GCM_SHA256".into()),
        verified: verify_error.is_none(),
        verify_error: verify_error.map(str::to_string),
        error: None,
        leaf: Some(CertFacts {
            not_after: not_after.into(),
            ..CertFacts::default()
        }),
    };
    o.tls = Some(tls("2027-06-01T00:00:00Z", None));
    assert_eq!(status("SEC-1", &o), Status::Pass);
    o.tls = Some(tls("2026-12-10T00:00:00Z", None));
    assert_eq!(status("SEC-1", &o), Status::Fail, "19 days left");
    o.tls = Some(tls(
        "2027-06-01T00:00:00Z",
        Some("invalid peer certificate: UnknownIssuer"),
    ));
    assert_eq!(status("SEC-1", &o), Status::Fail, "untrusted chain");
}

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
        "<html><head><meta charset=utf-8></head><body><header><img src=/quoc-huy.svg alt='Quốc huy'>{header}\
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

fn status_in(edition: &str, id: &str, o: &Observations) -> Status {
    let c = Checklist::resolve(edition).unwrap();
    judge(c.get(id).unwrap(), o).status
}

fn json_page(url: &str, role: Role, status: u16, body: &str) -> Page {
    let mut p = html_page(url, role, status, "");
    p.fetch.headers = vec![("content-type".into(), "application/json".into())];
    p.fetch.html = None;
    p.fetch.text = Some(body.into());
    p.fetch.bytes = body.len() as u64;
    p
}

#[test]
fn figures_read_vietnamese_numbers_and_percentages() {
    let (n, p) =
        super::figures("Tiếp nhận 128.450 hồ sơ; đúng hạn 98,8%; trực tuyến 87 %; lỗi 112,5%");
    assert_eq!(n, 4);
    assert_eq!(p, vec![98.8, 87.0, 112.5]);
}

#[test]
fn delegation_to_a_host_outside_the_allow_list_fails() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu").replace(
        "</main>",
        "<a href='https://dichvucong.gov.vn.evil.example/pakn'>Phản ánh trên DVCQG</a></main>",
    );
    let mut o = obs(&home, "text/html; charset=utf-8", vec![]);
    o.delegated = vec![(
        "complaints".into(),
        "https://dichvucong.gov.vn.evil.example/pakn".into(),
    )];
    assert_eq!(status("PL1-6", &o), Status::Fail);
    // Declared on the right host, and the page links to it: delegated.
    let home = home.replace("dichvucong.gov.vn.evil.example", "dichvucong.gov.vn");
    let mut o = obs(&home, "text/html; charset=utf-8", vec![]);
    o.delegated = vec![("complaints".into(), "https://dichvucong.gov.vn/pakn".into())];
    assert_eq!(status("PL1-6", &o), Status::Delegated);
}

#[test]
fn status_api_must_answer_schema_valid_json() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let url = format!("{BASE}api/status");
    let ok = r#"{"status":"up","updated_at":"2026-11-22T08:00:00Z","services":[{"code":"1.0001","status":"up"}]}"#;
    for (code, body, want) in [
        (200, ok, Status::Pass),
        (200, "<html>maintenance</html>", Status::Fail),
        (503, ok, Status::Fail),
        (200, r#"{"status":"green","services":[]}"#, Status::Fail),
    ] {
        let o = obs(
            &home,
            "text/html",
            vec![json_page(&url, Role::StatusApi, code, body)],
        );
        assert_eq!(
            status_in("qd31-2021-dvcqg", "DVCQG-3", &o),
            want,
            "{code} {body}"
        );
    }
    // No endpoint in the scenario: pending, not a pass.
    let o = obs(&home, "text/html", vec![]);
    assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-3", &o), Status::Pending);
}

#[test]
fn catalogue_sync_waits_for_the_export_and_errors_when_the_crawl_was_cut() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let mut o = obs(&home, "text/html", vec![]);
    o.service_pages = Some("/thu-tuc/*".into());
    assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-2", &o), Status::Pending);
    o.catalogue_export = Some(crate::observation::CatalogueExport {
        file: "x.csv".into(),
        sha256: "0".repeat(64),
        entries: vec![crate::observation::CatalogueEntry {
            code: "1.0001".into(),
            name: "A".into(),
            level: None,
            field: None,
            agency: None,
        }],
    });
    assert_eq!(
        status_in("qd31-2021-dvcqg", "DVCQG-2", &o),
        Status::Fail,
        "missing"
    );
    o.crawl_truncated = true;
    assert_eq!(
        status_in("qd31-2021-dvcqg", "DVCQG-2", &o),
        Status::Error,
        "cannot confirm"
    );
}

#[test]
fn planned_checks_are_pending_until_evidence_then_attested() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let mut o = obs(&home, "text/html", vec![]);
    for id in ["PL4-2", "PL5-1", "PL8-4", "PL5-6"] {
        assert_eq!(status(id, &o), Status::Pending, "{id}");
    }
    o.evidence = vec![crate::observation::EvidenceFile {
        requirement: "PL4-2".into(),
        original: "lighthouse.json".into(),
        stored_as: "evidence/PL4-2-lighthouse.json".into(),
        bytes: 10,
        sha256: "0".repeat(64),
    }];
    assert_eq!(status("PL4-2", &o), Status::Attested);
}

fn html_page(url: &str, role: Role, status: u16, html: &str) -> Page {
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

#[test]
fn admin_paths_tolerate_soft_404_but_not_consoles_or_auth_challenges() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let soft =
        "<html><head><title>Không tìm thấy trang</title></head><body>Không tìm thấy</body></html>";
    let probes = |admin_status: u16, admin_html: &str| {
        obs(
            &home,
            "text/html",
            vec![
                html_page(
                    &format!("{BASE}kiemdinh-404"),
                    Role::NotFoundProbe,
                    200,
                    soft,
                ),
                html_page(
                    &format!("{BASE}admin"),
                    Role::AdminProbe,
                    admin_status,
                    admin_html,
                ),
            ],
        )
    };
    assert_eq!(
        status("SEC-8", &probes(200, soft)),
        Status::Pass,
        "soft 404"
    );
    assert_eq!(
        status("SEC-8", &probes(404, "<title>404</title>")),
        Status::Pass
    );
    assert_eq!(
        status("SEC-8", &probes(401, "")),
        Status::Fail,
        "auth challenge"
    );
    assert_eq!(
        status(
            "SEC-8",
            &probes(
                200,
                "<title>Dashboard</title><form><input type=password></form>"
            )
        ),
        Status::Fail
    );
}

#[test]
fn function_pages_need_to_answer_and_carry_a_form_when_required() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let with = |status: u16, body: &str| {
        let mut o = obs(
            &home,
            "text/html",
            vec![html_page(
                &format!("{BASE}phan-anh"),
                Role::Crawled,
                status,
                body,
            )],
        );
        o.functions = vec![("complaints".into(), format!("{BASE}phan-anh"))];
        o
    };
    let form = "<html><body><main><form method=post><textarea name=nd></textarea></form></main></body></html>";
    assert_eq!(status("PL1-6", &with(200, form)), Status::Pass);
    assert_eq!(
        status(
            "PL1-6",
            &with(200, "<html><body><main>Đang nâng cấp</main></body></html>")
        ),
        Status::Fail,
        "no form"
    );
    assert_eq!(status("PL1-6", &with(500, form)), Status::Fail, "HTTP 500");
}

#[test]
fn sso_request_must_go_to_an_allow_listed_provider_over_https() {
    let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
    let entry = |location: &str| {
        let mut p = html_page(&format!("{BASE}dang-nhap/vneid"), Role::SsoEntry, 302, "");
        p.fetch.html = None;
        p.fetch.redirects = vec![crate::observation::Hop {
            url: format!("{BASE}dang-nhap/vneid"),
            status: 302,
            location: location.into(),
        }];
        obs(&home, "text/html", vec![p])
    };
    let good = "https://sso.dancuquocgia.gov.vn/authorize?response_type=code&client_id=x&state=s&nonce=n&redirect_uri=https%3A%2F%2Fdvc.mau.gov.vn%2Fcb";
    assert_eq!(status("SSO-1", &entry(good)), Status::Pass);
    assert_eq!(status("PL1-1", &entry(good)), Status::Pass);
    let evil = good.replace("sso.dancuquocgia.gov.vn", "sso.dancuquocgia.gov.vn.example");
    assert_eq!(
        status("PL1-1", &entry(&evil)),
        Status::Fail,
        "look-alike host"
    );
    let plain = good.replace("https://sso", "http://sso");
    assert_eq!(status("PL1-1", &entry(&plain)), Status::Fail, "plain HTTP");
    let foreign_cb = good.replace("dvc.mau.gov.vn", "evil.example");
    assert_eq!(
        status("SSO-1", &entry(&foreign_cb)),
        Status::Fail,
        "redirect_uri elsewhere"
    );
    assert_eq!(
        status("PL1-1", &entry(&foreign_cb)),
        Status::Pass,
        "PL1-1 does not check OIDC"
    );
}

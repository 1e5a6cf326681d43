//! Judges over a 200-page observation set: judging must stay far below the cost of fetching.

use criterion::{Criterion, criterion_group, criterion_main};
use kiemdinh::checklist::Checklist;
use kiemdinh::observation::{Fetch, Observations, Page, Role};
use url::Url;

fn page_html(i: usize) -> String {
    let nav: String = (0..12)
        .map(|j| format!("<a href=\"/muc-{j}\">Mục {j}</a>"))
        .collect();
    format!(
        "<!doctype html><html lang=vi><head><meta charset=utf-8><title>Trang {i}</title></head><body>\
         <header><img src=/logo.svg alt=logo> Ủy ban nhân dân tỉnh Mẫu <nav>{nav}</nav></header>\
         <main><h1>Thủ tục {i}</h1><dl><dt>Tên thủ tục</dt><dd>x</dd><dt>Trình tự thực hiện</dt><dd>x</dd>\
         <dt>Phí, lệ phí</dt><dd>x</dd><dt>Căn cứ pháp lý</dt><dd>x</dd></dl>{}</main>\
         <footer>© Bản quyền. Cơ quan chủ quản: UBND. Chịu trách nhiệm: A. Địa chỉ: B. Điện thoại: 0210 3 888 888. dvc@mau.gov.vn</footer>\
         <script>var _govaq=window._govaq||[];_govaq.push(['setTrackerUrl','https://f-emc.ngsp.gov.vn/tracking']);_govaq.push(['setSiteId','1']);</script>\
         </body></html>",
        "<p>Nội dung trang dịch vụ công.</p>".repeat(40)
    )
}

fn observations() -> Observations {
    let base = Url::parse("https://dvc.mau.gov.vn/").unwrap();
    let pages = (0..200)
        .map(|i| {
            let url = if i == 0 {
                base.clone()
            } else {
                base.join(&format!("/thu-tuc/{i}")).unwrap()
            };
            Page {
                url: url.to_string(),
                roles: vec![if i == 0 { Role::Home } else { Role::Crawled }],
                depth: Some(u32::from(i != 0) + 1),
                fetch: Fetch {
                    status: Some(200),
                    final_url: url.to_string(),
                    headers: vec![("content-type".into(), "text/html; charset=utf-8".into())],
                    html: Some(kiemdinh::probe::html::extract(&page_html(i), &url)),
                    ..Fetch::default()
                },
            }
        })
        .collect();
    Observations {
        base_url: base.to_string(),
        http_url: "http://dvc.mau.gov.vn/".into(),
        public_host: "dvc.mau.gov.vn".into(),
        organisation: "Ủy ban nhân dân tỉnh Mẫu".into(),
        service_pages: Some("/thu-tuc/*".into()),
        pages,
        ..Observations::default()
    }
}

fn bench(c: &mut Criterion) {
    let checklist = Checklist::resolve("tt21-2023").unwrap();
    let obs = observations();
    c.bench_function("judge tt21-2023 over 200 pages", |b| {
        b.iter(|| {
            kiemdinh::judge::judge_all(
                std::slice::from_ref(&checklist),
                &obs,
                "province",
                &[],
                &[],
                |_| {},
            )
        });
    });
    let html = page_html(1);
    let url = Url::parse("https://dvc.mau.gov.vn/thu-tuc/1").unwrap();
    c.bench_function("extract facts from one page", |b| {
        b.iter(|| kiemdinh::probe::html::extract(&html, &url));
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);

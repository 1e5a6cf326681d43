//! SEC-10: no mixed content; third-party scripts that can carry SRI do — in the markup the
//! HTTP probe fetched, and in the DOM after the page's scripts ran (what they added at run
//! time, only a browser sees it).

use url::Url;

use crate::checklist::check::FactSource;
use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, host_in, list, no_pages, short};
use crate::observation::{HtmlFacts, Observations, Page};
use crate::text::Text;
use crate::tr;

/// SEC-10: no `http:` sub-resources or form targets on HTTPS pages; scripts from other origins
/// carry Subresource Integrity, except those of the hosts in `sri-exempt-hosts` (and the
/// scenario's EMC tracker hosts: the mandated EMC script is injected by the embed and cannot
/// carry a fixed hash), whose scripts cannot. `source` says whether the fetched markup or the
/// rendered DOM is judged.
pub fn mixed_content(
    source: FactSource,
    require_sri: bool,
    sri_exempt_hosts: &[String],
    obs: &Observations,
) -> Outcome {
    let mut expected = if require_sri {
        Text::new(
            "Trang HTTPS không tải tài nguyên qua http://; mã JavaScript bên thứ ba có thuộc tính integrity (SRI)",
            "HTTPS pages load nothing over http://; third-party scripts carry integrity (SRI)",
        )
    } else {
        Text::new(
            "Trang HTTPS không tải tài nguyên qua http://",
            "HTTPS pages load nothing over http://",
        )
    };
    let pages: Vec<(&Page, &HtmlFacts)> = match source {
        FactSource::Http => obs.http_html_pages().collect(),
        FactSource::Rendered => {
            expected = Text::new(
                format!("{} (sau khi mã JavaScript chạy)", expected.vi),
                format!("{} (after the scripts ran)", expected.en),
            );
            let pages: Vec<_> = obs
                .http_html_pages()
                .filter_map(|(p, _)| Some((p, obs.rendered(p)?.html.as_ref()?)))
                .collect();
            if pages.is_empty() {
                return Outcome::error(
                    expected,
                    Text::new(
                        "Không có trang nào được hiển thị trên trình duyệt",
                        "no page was rendered in the browser",
                    ),
                );
            }
            pages
        }
    };
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    // Scripts their service changes under a fixed URL cannot carry a hash: the EMC tracker
    // (the checklist's and the scenario's hosts), reCAPTCHA, maps, social SDKs.
    let exempt: Vec<String> = sri_exempt_hosts
        .iter()
        .chain(&obs.emc_tracker_hosts)
        .cloned()
        .collect();
    let mut mixed = Vec::new();
    let mut no_sri = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let Ok(page) = Url::parse(&p.fetch.final_url) else {
            continue;
        };
        if page.scheme() != "https" {
            continue;
        }
        let mut flagged = false;
        for r in &h.resources {
            let Ok(u) = Url::parse(&r.url) else { continue };
            if u.scheme() == "http" {
                mixed.push(format!("{} {} on {}", r.kind, r.url, short(&p.url, obs)));
                flagged = true;
            } else if require_sri
                && r.kind == "script"
                && u.origin() != page.origin()
                && !r.integrity
                && !u.host_str().is_some_and(|h| host_in(h, &exempt))
            {
                no_sri.push(format!("{} on {}", r.url, short(&p.url, obs)));
                flagged = true;
            }
        }
        for f in &h.forms {
            if f.action.starts_with("http:") {
                mixed.push(format!("form → {} on {}", f.action, short(&p.url, obs)));
                flagged = true;
            }
        }
        if flagged && evidence.len() < 5 {
            evidence.push(EvidenceRef::url(short(&p.url, obs), &p.url));
        }
    }
    mixed.sort();
    mixed.dedup();
    no_sri.sort();
    no_sri.dedup();
    let observed = Text::new(
        format!(
            "{} trang: {} tài nguyên http://, {} mã bên thứ ba thiếu SRI",
            pages.len(),
            mixed.len(),
            no_sri.len()
        ),
        format!(
            "{} pages: {} http:// resources, {} third-party scripts without SRI",
            pages.len(),
            mixed.len(),
            no_sri.len()
        ),
    );
    let mut problems = Vec::new();
    if !mixed.is_empty() {
        problems.push(format!("mixed content: {}", list(&mixed, 3)));
    }
    if !no_sri.is_empty() {
        problems.push(format!("no SRI: {}", list(&no_sri, 3)));
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        if source == FactSource::Rendered {
            Text::new(
                "Không có nội dung hỗn hợp trong trang đã hiển thị",
                "no mixed content in the rendered pages",
            )
        } else {
            Text::new(
                "Không có nội dung hỗn hợp trong mã trang",
                "no mixed content in the markup",
            )
        },
        tr!(
            "Tài nguyên không an toàn — {}",
            "unsafe resources — {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests {
    use crate::checklist::check::FactSource;
    use crate::evaluation::Status;
    use crate::judge::tests::*;

    fn with_scripts(scripts: &str) -> crate::observation::Observations {
        let html = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu")
            .replace("</main>", &format!("</main>{scripts}"));
        obs(&html, "text/html; charset=utf-8", vec![])
    }

    #[test]
    fn sec_10_scripts_with_sri_or_from_exempt_hosts_pass() {
        let o = with_scripts(
            "<script src='https://cdn.example/a.js' integrity='sha384-x' crossorigin></script>\
         <script src='https://www.google.com/recaptcha/api.js'></script>\
         <script src='https://f-emc.ngsp.gov.vn/embed/gov-tracking.min.js'></script>",
        );
        let v = verdict("SEC-10", &o);
        // SEC-10 also judges the rendered pages: without a browser run the HTTP part passes
        // and the requirement waits.
        assert_eq!(v.status, Status::Pending, "{}", v.observed.en);
        assert!(
            v.message.en.contains("lack a browser run; assess again"),
            "{}",
            v.message.en
        );
        let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
        let check = &c.get("SEC-10").unwrap().checks[0];
        let crate::checklist::Check::MixedContent {
            sri_exempt_hosts, ..
        } = check
        else {
            panic!("SEC-10's first check is mixed-content");
        };
        let out =
            crate::judge::security::mixed_content(FactSource::Http, true, sri_exempt_hosts, &o);
        assert_eq!(out.status, Status::Pass, "{}", out.observed.en);
    }

    #[test]
    fn sec_10_third_party_script_without_sri_or_http_image_fails() {
        let hosts = vec!["www.google.com".to_string()];
        let no_sri =
            with_scripts("<script src='https://cdn.bieudo.example/chart.min.js'></script>");
        let out = crate::judge::security::mixed_content(FactSource::Http, true, &hosts, &no_sri);
        assert_eq!(out.status, Status::Fail, "{}", out.observed.en);
        let mixed = with_scripts("<img src='http://dvc.mau.gov.vn/logo.png'>");
        let out = crate::judge::security::mixed_content(FactSource::Http, false, &hosts, &mixed);
        assert_eq!(out.status, Status::Fail);
    }
}

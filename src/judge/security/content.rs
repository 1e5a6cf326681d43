//! SEC-10: no mixed content; third-party scripts that can carry SRI do.

use url::Url;

use crate::evaluation::EvidenceRef;
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// SEC-10: no `http:` sub-resources or form targets on HTTPS pages; scripts from other origins
/// carry Subresource Integrity.
pub fn mixed_content(require_sri: bool, obs: &Observations) -> Outcome {
    let expected = if require_sri {
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
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
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
        Text::new(
            "Không có nội dung hỗn hợp trong mã trang",
            "no mixed content in the markup",
        ),
        tr!(
            "Tài nguyên không an toàn — {}",
            "unsafe resources — {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
}

//! PL1-2: the catalogue of procedures and the service level of each.

use super::{function_page, ok_status, service_links};
use crate::checklist::check::Synonyms;
use crate::evaluation::EvidenceRef;
use crate::judge::functions::{no_glob, service_matcher};
use crate::judge::{Outcome, contains_ci, list, no_pages, short};
use crate::observation::{HtmlFacts, Observations, Page};
use crate::text::Text;
use crate::tr;

/// PL1-2: the catalogue lists procedures; procedure pages show a service level.
pub fn catalogue(
    min_services: u32,
    levels: &[Synonyms],
    min_ratio: f64,
    obs: &Observations,
) -> Outcome {
    let names: Vec<String> = levels
        .iter()
        .map(|l| l.label.as_ref().map_or(l.name.clone(), |t| t.vi.clone()))
        .collect();
    let expected = Text::new(
        format!(
            "Trang danh mục liệt kê ít nhất {min_services} thủ tục; ≥ {:.0}% trang thủ tục ghi mức độ ({})",
            min_ratio * 100.0,
            names.join(" / ")
        ),
        format!(
            "the catalogue page lists at least {min_services} procedures; ≥ {:.0}% of procedure pages show a level ({})",
            min_ratio * 100.0,
            names.join(" / ")
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let Some(page) = function_page(obs, "catalogue", &["danh mục thủ tục".into()]) else {
        return Outcome::fail(
            expected,
            Text::new("Không tìm thấy trang danh mục", "no catalogue page found"),
            Text::new(
                "Không tìm thấy trang danh mục thủ tục (khai báo `[functions] catalogue`)",
                "no catalogue page found (declare `[functions] catalogue`)",
            ),
        );
    };
    let listed = match (&page.fetch.html, ok_status(page)) {
        (Some(h), true) => service_links(h, &is_service),
        _ => Vec::new(),
    };
    let procs: Vec<(&Page, &HtmlFacts)> = obs
        .html_pages()
        .filter(|(p, _)| is_service(&p.url))
        .collect();
    let without: Vec<String> = procs
        .iter()
        .filter(|(_, h)| {
            !levels
                .iter()
                .any(|l| l.synonyms.iter().any(|s| contains_ci(&h.text, s)))
        })
        .map(|(p, _)| short(&p.url, obs))
        .collect();
    let with_level = procs.len() - without.len();
    let ratio = if procs.is_empty() {
        0.0
    } else {
        with_level as f64 / procs.len() as f64
    };
    let observed = Text::new(
        format!(
            "Danh mục {} liệt kê {} thủ tục; {with_level}/{} trang thủ tục ghi mức độ",
            short(&page.url, obs),
            listed.len(),
            procs.len()
        ),
        format!(
            "catalogue {} lists {} procedures; {with_level}/{} procedure pages show a level",
            short(&page.url, obs),
            listed.len(),
            procs.len()
        ),
    );
    let evidence = [EvidenceRef::url("catalogue", &page.url)];
    if listed.len() < min_services as usize {
        return Outcome::fail(
            expected,
            observed,
            tr!(
                "Trang danh mục chỉ liệt kê {} thủ tục (cần ≥ {min_services})",
                "the catalogue page lists only {} procedures (needs ≥ {min_services})",
                listed.len()
            ),
        )
        .with_evidence(evidence);
    }
    Outcome::either(
        !procs.is_empty() && ratio + 1e-9 >= min_ratio,
        expected,
        observed,
        Text::new(
            "Danh mục công khai, các thủ tục ghi rõ mức độ dịch vụ",
            "catalogue published and every procedure shows its service level",
        ),
        tr!(
            "Trang thủ tục không ghi mức độ dịch vụ: {}",
            "procedure pages without a service level: {}",
            list(&without, 5)
        ),
    )
    .with_evidence(evidence)
    .with_credit(ratio)
}

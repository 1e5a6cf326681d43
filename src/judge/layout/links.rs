//! PL3-7 (site map: an HTML page and `sitemap.xml`) and PL3-8 (the home page links to the key
//! functions).

use super::super::{Outcome, home_page, list, short};
use super::matches_any;
use crate::checklist::check::FunctionLink;
use crate::evaluation::EvidenceRef;
use crate::observation::{Observations, Role};
use crate::text::Text;
use crate::tr;

fn same_target(a: &str, b: &str) -> bool {
    let norm = |s: &str| s.trim_end_matches('/').to_string();
    norm(a) == norm(b)
}

/// PL3-8: the home page links to each key function.
pub fn home_links(items: &[FunctionLink], obs: &Observations) -> Outcome {
    let labels: Vec<Text> = items
        .iter()
        .map(|i| {
            i.label
                .clone()
                .unwrap_or_else(|| Text::same(i.function.clone()))
        })
        .collect();
    let expected = Text::new(
        format!(
            "Trang chủ có liên kết tới: {}",
            Text::join(&labels, ", ").vi
        ),
        format!("home page links to: {}", Text::join(&labels, ", ").en),
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let mut missing = Vec::new();
    let mut found = Vec::new();
    for (i, l) in items.iter().zip(&labels) {
        let ok = match obs.function_url(&i.function) {
            Some(url) => h.links.iter().any(|k| same_target(&k.href, url)),
            None => h.links.iter().any(|k| matches_any(&k.text, &i.synonyms)),
        };
        if ok {
            found.push(i.function.clone());
        } else {
            missing.push(match obs.function_url(&i.function) {
                Some(u) => l.clone().with(&format!(" ({})", short(u, obs))),
                None => l.clone(),
            });
        }
    }
    Outcome::either(
        missing.is_empty(),
        expected,
        Text::new(
            format!("Có liên kết: {}", list(&found, 10)),
            format!("linked: {}", list(&found, 10)),
        ),
        Text::new(
            "Trang chủ liên kết đủ chức năng chính",
            "home page links every key function",
        ),
        Text::new(
            format!(
                "Trang chủ thiếu liên kết: {}",
                Text::join(&missing, ", ").vi
            ),
            format!(
                "home page lacks links to: {}",
                Text::join(&missing, ", ").en
            ),
        ),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
    .with_credit(found.len() as f64 / items.len().max(1) as f64)
}

/// Counts `<loc>` entries of a sitemap; `None` when it is not a sitemap document.
pub fn sitemap_locs(xml: &str) -> Option<Vec<String>> {
    use quick_xml::events::Event;
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut locs = Vec::new();
    let mut in_loc = false;
    let mut root_ok = false;
    loop {
        match reader.read_event() {
            Ok(Event::Start(e)) => {
                let name = e.local_name();
                let name = name.as_ref();
                if name == b"urlset" || name == b"sitemapindex" {
                    root_ok = true;
                }
                in_loc = name == b"loc";
            }
            Ok(Event::Text(t)) if in_loc => {
                if let Ok(s) = t.decode() {
                    locs.push(s.trim().to_string());
                }
            }
            Ok(Event::End(_)) => in_loc = false,
            Ok(Event::Eof) => break,
            Err(_) => return None,
            _ => {}
        }
    }
    root_ok.then_some(locs)
}

/// PL3-7: an HTML site map and a `sitemap.xml`.
pub fn sitemap(
    xml_path: &str,
    min_urls: u32,
    min_links: u32,
    synonyms: &[String],
    obs: &Observations,
) -> Outcome {
    let expected = tr!(
        "Trang sơ đồ cổng (HTML) có ít nhất {min_links} liên kết và {xml_path} với ít nhất {min_urls} địa chỉ",
        "an HTML site map page with at least {min_links} links and {xml_path} with at least {min_urls} URLs"
    );
    let mut problems = Vec::new();
    let mut observed = Vec::new();
    let mut evidence = Vec::new();
    let xml = obs
        .with_role(&Role::SitemapXml)
        .find(|p| p.url.ends_with(xml_path))
        .or_else(|| obs.first_with_role(&Role::SitemapXml));
    match xml {
        None => problems.push(Text::same(format!("{xml_path} was not fetched"))),
        Some(p) if p.fetch.error.is_some() && p.fetch.status.is_none() => {
            return Outcome::error(
                expected,
                Text::same(format!(
                    "{xml_path}: {}",
                    p.fetch.error.as_ref().map_or("", |e| e.message.as_str())
                )),
            );
        }
        Some(p) => {
            evidence.push(EvidenceRef::url("sitemap.xml", &p.url));
            let status = p.fetch.status.unwrap_or(0);
            let locs = p.fetch.text.as_deref().and_then(sitemap_locs);
            match (status, locs) {
                (200, Some(l)) if l.len() >= min_urls as usize => {
                    observed.push(Text::same(format!("{xml_path}: {} URLs", l.len())));
                }
                (200, Some(l)) => {
                    observed.push(Text::same(format!("{xml_path}: {} URLs", l.len())));
                    problems.push(Text::new(
                        format!("{xml_path} chỉ có {} địa chỉ", l.len()),
                        format!("{xml_path} has only {} URLs", l.len()),
                    ));
                }
                (200, None) => problems.push(tr!(
                    "{xml_path} không phải sitemap XML hợp lệ",
                    "{xml_path} is not a valid XML sitemap"
                )),
                (s, _) => {
                    observed.push(Text::same(format!("{xml_path}: HTTP {s}")));
                    problems.push(tr!(
                        "{xml_path} trả về HTTP {s}",
                        "{xml_path} answered HTTP {s}"
                    ));
                }
            }
        }
    }
    // The HTML site map: where the scenario says, otherwise a home-page link by its text.
    let html_url = obs.function_url("sitemap").map(str::to_string).or_else(|| {
        obs.home()
            .and_then(|h| obs.facts(h))
            .and_then(|h| h.links.iter().find(|l| matches_any(&l.text, synonyms)))
            .map(|l| l.href.clone())
    });
    match html_url.as_deref().map(|u| (u, obs.page(u))) {
        None => problems.push(Text::new(
            "không tìm thấy trang sơ đồ cổng",
            "no HTML site map page found",
        )),
        Some((u, None)) => {
            let u = short(u, obs);
            problems.push(tr!("{u} chưa được tải", "{u} was not fetched"));
        }
        Some((u, Some(p))) => {
            evidence.push(EvidenceRef::url("site map page", u));
            let links = obs.facts(p).map_or(0, |h| {
                h.main.as_ref().map_or(h.links.len(), |m| m.links.len())
            });
            let status = p.fetch.status.unwrap_or(0);
            let at = short(u, obs);
            observed.push(tr!(
                "{at}: HTTP {status}, {links} liên kết",
                "{at}: HTTP {status}, {links} links"
            ));
            if status != 200 || obs.facts(p).is_none() {
                problems.push(tr!(
                    "trang sơ đồ cổng trả về HTTP {status}",
                    "site map page answered HTTP {status}"
                ));
            } else if links < min_links as usize {
                problems.push(tr!(
                    "trang sơ đồ cổng chỉ có {links} liên kết",
                    "site map page has only {links} links"
                ));
            }
        }
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::join(&observed, "; "),
        Text::new(
            "Có sơ đồ cổng HTML và sitemap.xml",
            "HTML site map and sitemap.xml present",
        ),
        Text::join(&problems, "; "),
    )
    .with_evidence(evidence)
}

//! Layout judges (Phụ lục III): regions, header/footer consistency, banner, menu, footer
//! fields, home-page links, site map.

use std::collections::BTreeMap;

use super::{Outcome, contains_ci, home_page, list, no_pages, short};
use crate::checklist::check::{FunctionLink, PatternItem, RegionName, Synonyms};
use crate::evaluation::EvidenceRef;
use crate::observation::{HtmlFacts, Observations, Region, Role};
use crate::text::Text;
use crate::tr;

fn region_of(h: &HtmlFacts, r: RegionName) -> Option<&Region> {
    match r {
        RegionName::Header => h.header.as_ref(),
        RegionName::Main => h.main.as_ref(),
        RegionName::Footer => h.footer.as_ref(),
    }
}

fn region_vi(r: RegionName) -> &'static str {
    match r {
        RegionName::Header => "đầu trang",
        RegionName::Main => "nội dung chính",
        RegionName::Footer => "chân trang",
    }
}

/// PL3-1: every sampled page has the required regions.
pub fn regions_present(regions: &[RegionName], obs: &Observations) -> Outcome {
    let names_en: Vec<&str> = regions.iter().map(|r| r.as_str()).collect();
    let names_vi: Vec<&str> = regions.iter().map(|r| region_vi(*r)).collect();
    let expected = Text::new(
        format!(
            "Mọi trang có đủ {} (thẻ định vị hoặc khối cấp cao nhất)",
            names_vi.join(", ")
        ),
        format!(
            "every page has {} (landmarks or top-level blocks)",
            names_en.join(", ")
        ),
    );
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let mut bad = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let missing: Vec<&str> = regions
            .iter()
            .filter(|r| region_of(h, **r).is_none())
            .map(|r| r.as_str())
            .collect();
        if !missing.is_empty() {
            bad.push(format!("{} ({})", short(&p.url, obs), missing.join(", ")));
            evidence.push(EvidenceRef::url(
                format!("missing {}", missing.join(", ")),
                &p.url,
            ));
        }
    }
    let n = pages.len();
    let ok = n - bad.len();
    Outcome::either(
        bad.is_empty(),
        expected,
        Text::new(
            format!("{ok}/{n} trang đủ bố cục; thiếu: {}", list(&bad, 5)),
            format!("{ok}/{n} pages complete; missing: {}", list(&bad, 5)),
        ),
        tr!(
            "Tất cả {n} trang có đủ ba phần",
            "all {n} pages have the three parts"
        ),
        Text::new(
            format!("{} trang thiếu phần bố cục bắt buộc", bad.len()),
            format!("{} pages lack a required part", bad.len()),
        ),
    )
    .with_evidence(evidence)
    .with_credit(ok as f64 / n as f64)
}

/// What differs between a page's region and the reference region.
fn describe_diff(reference: &Region, other: &Region, obs: &Observations) -> String {
    let mut parts = Vec::new();
    let hrefs = |r: &Region| {
        r.links
            .iter()
            .map(|l| short(&l.href, obs))
            .collect::<Vec<_>>()
    };
    let (a, b) = (hrefs(reference), hrefs(other));
    let missing: Vec<String> = a.iter().filter(|x| !b.contains(x)).cloned().collect();
    let extra: Vec<String> = b.iter().filter(|x| !a.contains(x)).cloned().collect();
    if !missing.is_empty() {
        parts.push(format!("links missing: {}", list(&missing, 3)));
    }
    if !extra.is_empty() {
        parts.push(format!("links added: {}", list(&extra, 3)));
    }
    let words = |t: &str| t.split_whitespace().map(str::to_string).collect::<Vec<_>>();
    let (wa, wb) = (words(&reference.text), words(&other.text));
    let gone: Vec<String> = wa.iter().filter(|w| !wb.contains(w)).cloned().collect();
    let new: Vec<String> = wb.iter().filter(|w| !wa.contains(w)).cloned().collect();
    let phrase = |w: &[String]| {
        let s = w.join(" ");
        if s.chars().count() > 80 {
            format!("{}…", s.chars().take(80).collect::<String>())
        } else {
            s
        }
    };
    if !gone.is_empty() {
        parts.push(format!("text missing: \u{201c}{}\u{201d}", phrase(&gone)));
    }
    if !new.is_empty() {
        parts.push(format!("text added: \u{201c}{}\u{201d}", phrase(&new)));
    }
    if parts.is_empty() && reference.images != other.images {
        parts.push("images differ".into());
    }
    if parts.is_empty() {
        parts.push("word order differs".into());
    }
    parts.join("; ")
}

/// PL3-2/PL3-3: the region's fingerprint (text + link targets) is the same on every page.
pub fn region_consistent(region: RegionName, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Phần {} hiển thị cùng thông tin (văn bản và liên kết) trên mọi trang",
            region_vi(region)
        ),
        format!(
            "the {} shows the same information (text and link targets) on every page",
            region.as_str()
        ),
    );
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    // The reference is the most common fingerprint; ties go to the home page's.
    let key = |r: &Region| {
        (
            r.text.clone(),
            r.links.iter().map(|l| l.href.clone()).collect::<Vec<_>>(),
        )
    };
    let mut counts: BTreeMap<(String, Vec<String>), usize> = BTreeMap::new();
    for (_, h) in &pages {
        if let Some(r) = region_of(h, region) {
            *counts.entry(key(r)).or_insert(0) += 1;
        }
    }
    let home_key = obs
        .home()
        .and_then(|p| p.fetch.html.as_ref())
        .and_then(|h| region_of(h, region))
        .map(key);
    let Some(best) = counts
        .iter()
        .map(|(k, n)| (*n, home_key.as_ref() == Some(k), k))
        .max()
        .map(|(_, _, k)| k.clone())
    else {
        return Outcome::fail(
            expected,
            Text::new(
                format!("Không trang nào có phần {}", region_vi(region)),
                format!("no page has a {}", region.as_str()),
            ),
            Text::new(
                format!("Không tìm thấy phần {}", region_vi(region)),
                format!("no {} found", region.as_str()),
            ),
        );
    };
    let reference = pages
        .iter()
        .find_map(|(_, h)| region_of(h, region).filter(|r| key(r) == best))
        .expect("reference exists")
        .clone();
    let mut differing = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let what = match region_of(h, region) {
            None => format!("no {}", region.as_str()),
            Some(r) if key(r) == best => continue,
            Some(r) => describe_diff(&reference, r, obs),
        };
        differing.push(format!("{}: {what}", short(&p.url, obs)));
        evidence.push(EvidenceRef::url(what, &p.url));
    }
    let n = pages.len();
    Outcome::either(
        differing.is_empty(),
        expected,
        if differing.is_empty() {
            tr!("Giống nhau trên {n} trang", "identical on {n} pages")
        } else {
            Text::new(
                format!(
                    "{} / {n} trang khác: {}",
                    differing.len(),
                    list(&differing, 4)
                ),
                format!(
                    "{} of {n} pages differ: {}",
                    differing.len(),
                    list(&differing, 4)
                ),
            )
        },
        Text::new(
            format!("Phần {} thống nhất trên {n} trang", region_vi(region)),
            format!("{} consistent across {n} pages", region.as_str()),
        ),
        Text::new(
            format!("Phần {} khác nhau giữa các trang", region_vi(region)),
            format!("{} differs between pages", region.as_str()),
        ),
    )
    .with_evidence(evidence)
    .with_credit((n - differing.len()) as f64 / n as f64)
}

/// PL3-4: emblem/logo and the organisation's full name in the home page header.
pub fn header_banner(
    require_image: bool,
    require_organisation: bool,
    obs: &Observations,
) -> Outcome {
    let org = &obs.organisation;
    let expected = tr!(
        "Đầu trang có quốc huy/biểu trưng và tên đầy đủ \u{201c}{org}\u{201d}",
        "header has the emblem/logo and the full name \u{201c}{org}\u{201d}"
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(header) = &h.header else {
        return Outcome::fail(
            expected,
            Text::new("Trang chủ không có đầu trang", "home page has no header"),
            Text::new("Thiếu đầu trang", "no header"),
        );
    };
    let has_image = !header.images.is_empty();
    let has_org = contains_ci(&header.text, org);
    let mut missing = Vec::new();
    if require_image && !has_image {
        missing.push(Text::new(
            "không có hình quốc huy/biểu trưng",
            "no emblem/logo image",
        ));
    }
    if require_organisation && !has_org {
        missing.push(tr!(
            "không có tên cơ quan \u{201c}{org}\u{201d}",
            "organisation name \u{201c}{org}\u{201d} not found"
        ));
    }
    let observed = Text::new(
        format!(
            "{} hình; văn bản đầu trang: \u{201c}{}\u{201d}",
            header.images.len(),
            truncate(&header.text, 120)
        ),
        format!(
            "{} images; header text: \u{201c}{}\u{201d}",
            header.images.len(),
            truncate(&header.text, 120)
        ),
    );
    Outcome::either(
        missing.is_empty(),
        expected,
        observed,
        Text::new("Đầu trang đúng quy định", "header banner as required"),
        Text::join(&missing, "; "),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        format!("{}…", s.chars().take(n).collect::<String>())
    }
}

fn matches_any(text: &str, synonyms: &[String]) -> bool {
    synonyms.iter().any(|s| contains_ci(text, s))
}

fn label(s: &Synonyms) -> Text {
    s.label
        .clone()
        .unwrap_or_else(|| Text::same(s.name.clone()))
}

/// PL3-5: the home page header's menu has each required item.
pub fn menu_items(items: &[Synonyms], obs: &Observations) -> Outcome {
    let labels: Vec<Text> = items.iter().map(label).collect();
    let expected = Text::new(
        format!("Menu chính có: {}", Text::join(&labels, ", ").vi),
        format!("main menu has: {}", Text::join(&labels, ", ").en),
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let links = h
        .header
        .as_ref()
        .map(|r| r.links.as_slice())
        .unwrap_or_default();
    let missing: Vec<Text> = items
        .iter()
        .filter(|i| !links.iter().any(|l| matches_any(&l.text, &i.synonyms)))
        .map(label)
        .collect();
    let texts: Vec<String> = links
        .iter()
        .map(|l| l.text.clone())
        .filter(|t| !t.is_empty())
        .collect();
    Outcome::either(
        missing.is_empty(),
        expected,
        Text::new(
            format!("Mục menu: {}", list(&texts, 12)),
            format!("menu items: {}", list(&texts, 12)),
        ),
        Text::new("Menu chính đủ mục", "main menu complete"),
        Text::new(
            format!("Menu thiếu: {}", Text::join(&missing, ", ").vi),
            format!("menu lacks: {}", Text::join(&missing, ", ").en),
        ),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
    .with_credit((items.len() - missing.len()) as f64 / items.len().max(1) as f64)
}

/// PL3-6: the home page footer shows each field.
pub fn footer_fields(fields: &[PatternItem], obs: &Observations) -> Outcome {
    let labels: Vec<Text> = fields
        .iter()
        .map(|f| {
            f.label
                .clone()
                .unwrap_or_else(|| Text::same(f.name.clone()))
        })
        .collect();
    let expected = Text::new(
        format!("Chân trang có: {}", Text::join(&labels, ", ").vi),
        format!("footer shows: {}", Text::join(&labels, ", ").en),
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(footer) = &h.footer else {
        return Outcome::fail(
            expected,
            Text::new("Trang chủ không có chân trang", "home page has no footer"),
            Text::new("Thiếu chân trang", "no footer"),
        );
    };
    let haystack = format!(
        "{} {}",
        footer.text,
        footer
            .links
            .iter()
            .map(|l| l.href.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut missing = Vec::new();
    for (f, l) in fields.iter().zip(&labels) {
        let found = regex::RegexBuilder::new(&f.pattern)
            .case_insensitive(true)
            .build()
            .is_ok_and(|re| re.is_match(&haystack));
        if !found {
            missing.push(l.clone());
        }
    }
    Outcome::either(
        missing.is_empty(),
        expected,
        Text::new(
            format!(
                "Chân trang: \u{201c}{}\u{201d}",
                truncate(&footer.text, 200)
            ),
            format!("footer: \u{201c}{}\u{201d}", truncate(&footer.text, 200)),
        ),
        Text::new("Chân trang đủ thông tin", "footer complete"),
        Text::new(
            format!("Chân trang thiếu: {}", Text::join(&missing, ", ").vi),
            format!("footer lacks: {}", Text::join(&missing, ", ").en),
        ),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
    .with_credit((fields.len() - missing.len()) as f64 / fields.len().max(1) as f64)
}

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
pub fn sitemap(xml_path: &str, min_urls: u32, synonyms: &[String], obs: &Observations) -> Outcome {
    let expected = tr!(
        "Trang sơ đồ cổng (HTML) và {xml_path} với ít nhất {min_urls} địa chỉ",
        "an HTML site map page and {xml_path} with at least {min_urls} URLs"
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
            .and_then(|h| h.fetch.html.as_ref())
            .and_then(|h| h.links.iter().find(|l| matches_any(&l.text, synonyms)))
            .map(|l| l.href.clone())
    });
    match html_url.as_deref().map(|u| (u, obs.page(u))) {
        None => problems.push(Text::new(
            "không tìm thấy trang sơ đồ cổng",
            "no HTML site map page found",
        )),
        Some((u, None)) => problems.push(Text::same(format!("{} was not fetched", short(u, obs)))),
        Some((u, Some(p))) => {
            evidence.push(EvidenceRef::url("site map page", u));
            let links = p.fetch.html.as_ref().map_or(0, |h| {
                h.main.as_ref().map_or(h.links.len(), |m| m.links.len())
            });
            let status = p.fetch.status.unwrap_or(0);
            observed.push(Text::same(format!(
                "{}: HTTP {status}, {links} links",
                short(u, obs)
            )));
            if status != 200 || p.fetch.html.is_none() {
                problems.push(tr!(
                    "trang sơ đồ cổng trả về HTTP {status}",
                    "site map page answered HTTP {status}"
                ));
            } else if links < 5 {
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

//! Portal function judges that plain HTTP can decide (Phụ lục I, QĐ 31/2021): catalogue and
//! service levels, search and look-up answers, function pages (or their delegation to DVCQG),
//! statistics sanity, catalogue sync with the DVCQG export, and the DVCQG status endpoint.

use std::collections::BTreeMap;
use std::sync::LazyLock;

use regex::Regex;
use url::Url;

use super::functions::{no_glob, service_matcher};
use super::security::leak_in;
use super::{Outcome, contains_ci, host_in, list, no_pages, short};
use crate::catalogue::key;
use crate::checklist::check::{CatalogueColumn, FunctionLink, Synonyms};
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::{HtmlFacts, Observations, Page, Role};
use crate::text::Text;
use crate::tr;

fn ok_status(p: &Page) -> bool {
    p.fetch.status.is_some_and(|s| (200..300).contains(&s))
}

fn label(i: &FunctionLink) -> Text {
    i.label
        .clone()
        .unwrap_or_else(|| Text::same(i.function.clone()))
}

/// The page where a function lives: the scenario's URL, else the target of a link on the home
/// page (or any page) whose text matches a synonym.
fn function_page<'a>(
    obs: &'a Observations,
    function: &str,
    synonyms: &[String],
) -> Option<&'a Page> {
    if let Some(u) = obs.function_url(function) {
        return obs.page(u);
    }
    let home = obs.home().and_then(|h| h.fetch.html.as_ref());
    let pages = home.into_iter().chain(obs.html_pages().map(|(_, h)| h));
    for h in pages {
        for l in &h.links {
            if synonyms.iter().any(|s| contains_ci(&l.text, s))
                && let Some(p) = obs.page(&l.href)
            {
                return Some(p);
            }
        }
    }
    None
}

/// Links to procedure pages on a page (its main region when it has one).
fn service_links(h: &HtmlFacts, is_service: &dyn Fn(&str) -> bool) -> Vec<String> {
    let links = h.main.as_ref().map_or(&h.links, |m| &m.links);
    let mut out: Vec<String> = links
        .iter()
        .filter(|l| is_service(&l.href))
        .map(|l| l.href.clone())
        .collect();
    out.sort();
    out.dedup();
    out
}

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

/// PL1-5: searches for known words find procedures; nonsense finds none and is no error page.
pub fn search_answers(min_results: u32, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Tìm theo từ khóa có nghĩa và theo tiêu chí của biểu mẫu (lĩnh vực, cơ quan, mức độ) trả về ≥ {min_results} thủ tục; tìm chuỗi vô nghĩa trả về 0 kết quả, không lỗi"
        ),
        format!(
            "a meaningful word and a criterion of the search form (field, agency, level) find ≥ {min_results} procedures; nonsense finds none, without an error page"
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    let searches: Vec<(&Page, &str, bool)> = obs
        .pages
        .iter()
        .filter_map(|p| {
            p.roles.iter().find_map(|r| match r {
                Role::Search { term, nonsense } => Some((p, term.as_str(), *nonsense)),
                _ => None,
            })
        })
        .collect();
    if searches.is_empty() && obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    if searches.is_empty() {
        return Outcome::fail(
            expected,
            Text::new(
                "Không có biểu mẫu tìm kiếm (GET) trên trang tìm kiếm hoặc trang chủ",
                "no search form (GET) on the search page or the home page",
            ),
            Text::new(
                "Không tìm thấy chức năng tìm kiếm để thử (khai báo `[functions] search` và `[search] param`)",
                "no search function to exercise (declare `[functions] search` and `[search] param`)",
            ),
        );
    }
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut evidence = Vec::new();
    for (p, term, nonsense) in &searches {
        evidence.push(EvidenceRef::url(format!("search “{term}”"), &p.url));
        if let Some(e) = &p.fetch.error {
            problems.push(format!("“{term}”: {}", e.message));
            continue;
        }
        let status = p.fetch.status.unwrap_or(0);
        let Some(h) = p
            .fetch
            .html
            .as_ref()
            .filter(|_| (200..300).contains(&status))
        else {
            problems.push(format!("“{term}”: HTTP {status}"));
            continue;
        };
        if let Some(leak) = leak_in(&h.text) {
            problems.push(format!("“{term}”: error text `{leak}`"));
            continue;
        }
        let n = service_links(h, &is_service).len();
        seen.push(format!("“{term}” → {n}"));
        if *nonsense && n > 0 {
            problems.push(format!("“{term}” (nonsense) → {n} results"));
        } else if !*nonsense && n < min_results as usize {
            problems.push(format!("“{term}” → {n} results"));
        }
    }
    let mut observed = seen.clone();
    observed.extend(problems.iter().filter(|p| !p.contains(" → ")).cloned());
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(list(&observed, 6)),
        Text::new("Tìm kiếm trả kết quả đúng", "search answers as expected"),
        tr!(
            "Tìm kiếm không đạt: {}",
            "search fails: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

/// PL1-5.1: an unknown dossier code gets a clear "not found"; a known one is found.
pub fn lookup_answers(not_found: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Mã hồ sơ không tồn tại: thông báo \"không tìm thấy\" rõ ràng (không trang lỗi, không vết ngăn xếp); mã hồ sơ thử: tìm thấy",
        "unknown dossier code: a clear \"not found\" (no error page, no stack trace); test dossier code: found",
    );
    let lookups: Vec<(&Page, &str, bool)> = obs
        .pages
        .iter()
        .filter_map(|p| {
            p.roles.iter().find_map(|r| match r {
                Role::Lookup { code, known } => Some((p, code.as_str(), *known)),
                _ => None,
            })
        })
        .collect();
    if lookups.is_empty() && obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    if lookups.is_empty() {
        return Outcome::fail(
            expected,
            Text::new(
                "Không có biểu mẫu tra cứu (GET) trên trang tra cứu hoặc trang chủ",
                "no lookup form (GET) on the lookup page or the home page",
            ),
            Text::new(
                "Không tìm thấy chức năng tra cứu hồ sơ để thử (khai báo `[functions] lookup` và `[lookup] param`)",
                "no dossier lookup to exercise (declare `[functions] lookup` and `[lookup] param`)",
            ),
        );
    }
    let mut problems = Vec::new();
    let mut seen = Vec::new();
    let mut evidence = Vec::new();
    for (p, code, known) in &lookups {
        evidence.push(EvidenceRef::url(format!("lookup {code}"), &p.url));
        if let Some(e) = &p.fetch.error {
            problems.push(format!("{code}: {}", e.message));
            continue;
        }
        let status = p.fetch.status.unwrap_or(0);
        let text = p
            .fetch
            .html
            .as_ref()
            .map(|h| h.text.as_str())
            .or(p.fetch.text.as_deref())
            .unwrap_or("");
        if let Some(leak) = leak_in(text) {
            problems.push(format!("{code}: HTTP {status} with `{leak}`"));
            continue;
        }
        if status >= 500 || status == 0 {
            problems.push(format!("{code}: HTTP {status}"));
            continue;
        }
        let says_not_found = not_found.iter().any(|s| contains_ci(text, s));
        seen.push(format!(
            "{code}: HTTP {status}, {}",
            if says_not_found {
                "not found"
            } else {
                "answered"
            }
        ));
        if !*known && !says_not_found {
            problems.push(format!("{code}: no \"not found\" message"));
        }
        if *known && (says_not_found || !contains_ci(text, code)) {
            problems.push(format!("{code} (test dossier): not found"));
        }
    }
    let mut observed = seen.clone();
    observed.extend(problems.iter().cloned());
    Outcome::either(
        problems.is_empty(),
        expected,
        Text::same(list(&observed, 4)),
        Text::new(
            "Tra cứu hồ sơ trả lời rõ ràng",
            "dossier lookup answers clearly",
        ),
        tr!(
            "Tra cứu hồ sơ không đạt: {}",
            "dossier lookup fails: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

/// PL1-6/7/9, DVCQG-6: each function has a working page, or is delegated to DVCQG by a link.
pub fn functions_present(
    items: &[FunctionLink],
    require_form: bool,
    dvcqg_hosts: &[String],
    obs: &Observations,
) -> Outcome {
    let labels: Vec<Text> = items.iter().map(label).collect();
    let joined = Text::join(&labels, ", ");
    let expected = Text::new(
        format!(
            "Có trang chức năng hoạt động{}: {} (hoặc liên kết tới Cổng DVCQG: {})",
            if require_form {
                " kèm biểu mẫu"
            } else {
                ""
            },
            joined.vi,
            dvcqg_hosts.join(", ")
        ),
        format!(
            "a working page{} for: {} (or a link to DVCQG: {})",
            if require_form { " with a form" } else { "" },
            joined.en,
            dvcqg_hosts.join(", ")
        ),
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let mut present = Vec::new();
    let mut delegated = Vec::new();
    let mut missing: Vec<Text> = Vec::new();
    let mut evidence = Vec::new();
    for (i, l) in items.iter().zip(&labels) {
        if let Some((_, target)) = obs.delegated.iter().find(|(f, _)| *f == i.function) {
            let host = Url::parse(target)
                .ok()
                .and_then(|u| u.host_str().map(str::to_string))
                .unwrap_or_default();
            if !host_in(&host, dvcqg_hosts) {
                missing.push(l.clone().with(&format!(
                    " (delegated to `{host}`, not an allow-listed DVCQG host)"
                )));
                continue;
            }
            // The portal itself must carry the link, to the declared DVCQG address.
            let on = obs.html_pages().find(|(_, h)| {
                h.links.iter().any(|k| {
                    Url::parse(&k.href).is_ok_and(|u| {
                        u.host_str().is_some_and(|h| host_in(h, dvcqg_hosts))
                            && k.href.trim_end_matches('/') == target.trim_end_matches('/')
                    })
                })
            });
            match on {
                Some((p, _)) => {
                    delegated.push(format!("{} → {target}", i.function));
                    evidence.push(EvidenceRef::url(
                        format!("{} (DVCQG link)", i.function),
                        &p.url,
                    ));
                }
                None => missing.push(l.clone().with(&format!(
                    " (declared delegated, but no page links to {target})"
                ))),
            }
            continue;
        }
        let page = function_page(obs, &i.function, &i.synonyms);
        let ok = page.is_some_and(|p| {
            ok_status(p)
                && p.fetch
                    .html
                    .as_ref()
                    .is_some_and(|h| !require_form || !h.forms.is_empty())
        });
        match page {
            Some(p) if ok => {
                present.push(format!("{} ({})", i.function, short(&p.url, obs)));
                evidence.push(EvidenceRef::url(i.function.clone(), &p.url));
            }
            Some(p) => {
                let why = match (p.fetch.status, &p.fetch.error) {
                    (_, Some(e)) => e.message.clone(),
                    (Some(s), _) if !(200..300).contains(&s) => format!("HTTP {s}"),
                    _ => "no form".to_string(),
                };
                missing.push(l.clone().with(&format!(" ({}: {why})", short(&p.url, obs))));
            }
            None => missing.push(l.clone()),
        }
    }
    let observed = Text::new(
        format!(
            "Có: {}{}",
            list(&present, 6),
            if delegated.is_empty() {
                String::new()
            } else {
                format!("; liên kết DVCQG: {}", list(&delegated, 4))
            }
        ),
        format!(
            "present: {}{}",
            list(&present, 6),
            if delegated.is_empty() {
                String::new()
            } else {
                format!("; delegated: {}", list(&delegated, 4))
            }
        ),
    );
    let credit = (present.len() + delegated.len()) as f64 / items.len().max(1) as f64;
    if !missing.is_empty() {
        let m = Text::join(&missing, ", ");
        return Outcome::fail(
            expected,
            observed,
            Text::new(
                format!("Thiếu hoặc không hoạt động: {}", m.vi),
                format!("missing or not working: {}", m.en),
            ),
        )
        .with_evidence(evidence)
        .with_credit(credit);
    }
    let mut o = if delegated.is_empty() {
        Outcome::pass(
            expected,
            observed,
            Text::new("Đủ các chức năng", "every function is present"),
        )
    } else {
        Outcome::pass(
            expected,
            observed,
            tr!(
                "Chức năng do Cổng DVCQG cung cấp qua liên kết: {}",
                "provided by DVCQG through a link: {}",
                list(&delegated, 4)
            ),
        )
    };
    if !delegated.is_empty() {
        o.status = Status::Delegated;
    }
    o.with_evidence(evidence)
}

/// A number as written on Vietnamese pages (`128.450`, `98,8`, `1,234.5`), with a `%` flag.
static FIGURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(-?\d{1,3}(?:[.,\u{a0} ]\d{3})+|-?\d+)([.,]\d+)?\s*(%)?").expect("static regex")
});

/// The figures on a page and the percentages among them.
pub fn figures(text: &str) -> (usize, Vec<f64>) {
    let mut n = 0;
    let mut percents = Vec::new();
    for c in FIGURE.captures_iter(text) {
        n += 1;
        if c.get(3).is_some() {
            let int: String = c[1]
                .chars()
                .filter(|ch| ch.is_ascii_digit() || *ch == '-')
                .collect();
            let frac = c
                .get(2)
                .map_or(String::new(), |f| f.as_str()[1..].to_string());
            if let Ok(v) = format!("{int}.{}", if frac.is_empty() { "0" } else { &frac }).parse() {
                percents.push(v);
            }
        }
    }
    (n, percents)
}

/// PL1-8: the statistics page shows figures, and every percentage is within 0–100.
pub fn statistics_sane(min_numbers: u32, synonyms: &[String], obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Trang thống kê có ít nhất {min_numbers} số liệu; mọi tỷ lệ phần trăm trong khoảng 0–100"
        ),
        format!(
            "the statistics page shows at least {min_numbers} figures; every percentage within 0–100"
        ),
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let Some(page) = function_page(obs, "statistics", synonyms) else {
        return Outcome::fail(
            expected,
            Text::new("Không tìm thấy trang thống kê", "no statistics page found"),
            Text::new(
                "Không tìm thấy trang thống kê (khai báo `[functions] statistics`)",
                "no statistics page found (declare `[functions] statistics`)",
            ),
        );
    };
    let evidence = [EvidenceRef::url("statistics", &page.url)];
    let Some(h) = page.fetch.html.as_ref().filter(|_| ok_status(page)) else {
        return Outcome::fail(
            expected,
            tr!(
                "{}: HTTP {}",
                "{}: HTTP {}",
                short(&page.url, obs),
                page.fetch.status.map_or("—".into(), |s| s.to_string())
            ),
            Text::new(
                "Trang thống kê không hoạt động",
                "the statistics page does not work",
            ),
        )
        .with_evidence(evidence);
    };
    let text = h.main.as_ref().map_or(h.text.as_str(), |m| m.text.as_str());
    let (n, percents) = figures(text);
    let bad: Vec<String> = percents
        .iter()
        .filter(|p| !(0.0..=100.0).contains(*p))
        .map(|p| format!("{p}%"))
        .collect();
    let observed = Text::new(
        format!("{n} số liệu, {} tỷ lệ phần trăm", percents.len()),
        format!("{n} figures, {} percentages", percents.len()),
    );
    if n < min_numbers as usize {
        return Outcome::fail(
            expected,
            observed,
            tr!(
                "Trang thống kê không có số liệu",
                "the statistics page shows no figures"
            ),
        )
        .with_evidence(evidence);
    }
    Outcome::either(
        bad.is_empty(),
        expected,
        observed,
        Text::new("Số liệu thống kê hợp lý", "statistics are plausible"),
        tr!(
            "Tỷ lệ phần trăm ngoài khoảng 0–100: {}",
            "percentages outside 0–100: {}",
            list(&bad, 5)
        ),
    )
    .with_evidence(evidence)
}

/// The value of the first field whose label starts with one of `labels` (case-insensitive:
/// `mức độ` finds "Mức độ dịch vụ công").
fn field_value<'a>(h: &'a HtmlFacts, labels: &[String]) -> Option<&'a str> {
    h.fields
        .iter()
        .find(|f| {
            let k = key(&f.label);
            labels.iter().any(|l| k.starts_with(&key(l)))
        })
        .map(|f| f.value.as_str())
}

/// The labels that identify each catalogue column on a procedure page.
pub struct CatalogueLabels<'a> {
    /// Procedure code.
    pub code: &'a [String],
    /// Name.
    pub name: &'a [String],
    /// Service level.
    pub level: &'a [String],
    /// Field.
    pub field: &'a [String],
    /// Processing agency.
    pub agency: &'a [String],
}

/// One procedure as the portal shows it.
struct Shown {
    url: String,
    name: String,
    level: Option<String>,
    field: Option<String>,
    agency: Option<String>,
}

/// DVCQG-2: the portal's procedures compared with the evaluator's DVCQG export.
pub fn catalogue_sync(
    labels: &CatalogueLabels<'_>,
    compare: &[CatalogueColumn],
    obs: &Observations,
) -> Outcome {
    let expected = Text::new(
        "Danh mục thủ tục trên cổng khớp danh mục dùng chung của Cổng DVCQG (mã, tên, mức độ)",
        "the portal's procedures match the DVCQG shared catalogue (code, name, level)",
    );
    let Some(export) = &obs.catalogue_export else {
        return Outcome::new(
            Status::Pending,
            expected,
            Text::new(
                "Chưa có tệp xuất danh mục DVCQG",
                "no DVCQG catalogue export",
            ),
            Text::new(
                "Chờ đơn vị đánh giá cung cấp tệp xuất danh mục DVCQG (`[dvcqg] catalogue-export`)",
                "awaiting the evaluator's DVCQG catalogue export (`[dvcqg] catalogue-export`)",
            ),
        );
    };
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let mut portal: BTreeMap<String, Shown> = BTreeMap::new();
    let mut unreadable = Vec::new();
    for (p, h) in obs.html_pages().filter(|(p, _)| is_service(&p.url)) {
        let Some(code) = field_value(h, labels.code) else {
            unreadable.push(short(&p.url, obs));
            continue;
        };
        let value = |l: &[String]| field_value(h, l).map(str::to_string);
        portal.insert(
            key(code),
            Shown {
                url: p.url.clone(),
                name: value(labels.name)
                    .or_else(|| h.labels.first().cloned())
                    .unwrap_or_default(),
                level: value(labels.level),
                field: value(labels.field),
                agency: value(labels.agency),
            },
        );
    }
    let mut missing = Vec::new();
    let mut mismatched = Vec::new();
    let mut matched = 0;
    for e in &export.entries {
        match portal.get(&key(&e.code)) {
            None => missing.push(e.code.clone()),
            Some(shown) => {
                let mut diffs = Vec::new();
                if compare.contains(&CatalogueColumn::Name) && key(&shown.name) != key(&e.name) {
                    diffs.push(format!("name “{}” ≠ “{}”", shown.name, e.name));
                }
                for (column, label, want, have) in [
                    (CatalogueColumn::Level, "level", &e.level, &shown.level),
                    (CatalogueColumn::Field, "field", &e.field, &shown.field),
                    (CatalogueColumn::Agency, "agency", &e.agency, &shown.agency),
                ] {
                    if compare.contains(&column)
                        && let Some(want) = want
                        && have.as_deref().map(key) != Some(key(want))
                    {
                        diffs.push(format!(
                            "{label} “{}” ≠ “{want}”",
                            have.as_deref().unwrap_or("—")
                        ));
                    }
                }
                if diffs.is_empty() {
                    matched += 1;
                } else {
                    mismatched.push(format!(
                        "{} ({}): {}",
                        e.code,
                        short(&shown.url, obs),
                        diffs.join(", ")
                    ));
                }
            }
        }
    }
    let export_codes: std::collections::HashSet<String> =
        export.entries.iter().map(|e| key(&e.code)).collect();
    let extra: Vec<String> = portal
        .iter()
        .filter(|(c, _)| !export_codes.contains(*c))
        .map(|(_, shown)| short(&shown.url, obs))
        .collect();
    let observed = Text::new(
        format!(
            "{} thủ tục trong tệp xuất, {} trên cổng: khớp {matched}, thiếu {}, thừa {}, lệch {}",
            export.entries.len(),
            portal.len(),
            missing.len(),
            extra.len(),
            mismatched.len()
        ),
        format!(
            "{} in the export, {} on the portal: {matched} match, {} missing, {} extra, {} mismatched",
            export.entries.len(),
            portal.len(),
            missing.len(),
            extra.len(),
            mismatched.len()
        ),
    );
    let evidence = vec![EvidenceRef {
        label: format!("DVCQG export {}", export.file),
        url: None,
        file: None,
        sha256: Some(export.sha256.clone()),
    }];
    if obs.crawl_truncated && !missing.is_empty() {
        return Outcome::error(
            expected,
            tr!(
                "Thu thập dừng ở giới hạn số trang nên không xác định được {} thủ tục thiếu; tăng `pages.max-pages`",
                "the crawl stopped at its page limit, so {} missing procedures cannot be confirmed; raise `pages.max-pages`",
                missing.len()
            ),
        )
        .with_evidence(evidence);
    }
    let mut problems = Vec::new();
    if !missing.is_empty() {
        problems.push(format!("missing: {}", list(&missing, 5)));
    }
    if !extra.is_empty() {
        problems.push(format!("extra: {}", list(&extra, 5)));
    }
    if !mismatched.is_empty() {
        problems.push(format!("mismatched: {}", list(&mismatched, 3)));
    }
    if !unreadable.is_empty() {
        problems.push(format!("no procedure code on: {}", list(&unreadable, 3)));
    }
    let total = export.entries.len().max(1) as f64;
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new(
            "Danh mục khớp tệp xuất DVCQG",
            "catalogue matches the DVCQG export",
        ),
        tr!(
            "Danh mục không khớp DVCQG — {}",
            "catalogue differs from DVCQG — {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
    .with_credit(f64::from(matched) / total)
}

/// DVCQG-3: the status endpoint answers 200 with a JSON document valid against the schema.
pub fn status_api(schema: &serde_json::Value, obs: &Observations) -> Outcome {
    let expected = Text::new(
        "API trạng thái trả HTTP 200, JSON hợp lệ theo lược đồ của bộ tiêu chí",
        "the status API answers HTTP 200 with JSON valid against the checklist's schema",
    );
    let Some(page) = obs.first_with_role(&Role::StatusApi) else {
        return Outcome::new(
            Status::Pending,
            expected,
            Text::new(
                "Kịch bản chưa khai báo địa chỉ API",
                "no endpoint in the scenario",
            ),
            Text::new(
                "Chờ khai báo địa chỉ API trạng thái (`[dvcqg] status-url`)",
                "awaiting the status endpoint's address (`[dvcqg] status-url`)",
            ),
        );
    };
    let evidence = [EvidenceRef::url("status API", &page.url)];
    let at = short(&page.url, obs);
    if let Some(e) = &page.fetch.error {
        return Outcome::fail(
            expected,
            Text::same(format!("{at}: {}", e.message)),
            tr!(
                "API trạng thái không trả lời",
                "the status API does not answer"
            ),
        )
        .with_evidence(evidence);
    }
    let status = page.fetch.status.unwrap_or(0);
    let body = page.fetch.text.as_deref().unwrap_or("");
    if status != 200 {
        return Outcome::fail(
            expected,
            Text::same(format!("{at}: HTTP {status}")),
            tr!(
                "API trạng thái trả HTTP {status}",
                "the status API answers HTTP {status}"
            ),
        )
        .with_evidence(evidence);
    }
    let doc: serde_json::Value = match serde_json::from_str(body) {
        Ok(v) => v,
        Err(e) => {
            return Outcome::fail(
                expected,
                Text::same(format!("{at}: {} bytes, not JSON", page.fetch.bytes)),
                tr!(
                    "API trạng thái không trả JSON: {e}",
                    "the status API does not answer JSON: {e}"
                ),
            )
            .with_evidence(evidence);
        }
    };
    let validator = match jsonschema::validator_for(schema) {
        Ok(v) => v,
        Err(e) => {
            return Outcome::error(
                expected,
                tr!("Lược đồ không hợp lệ: {e}", "invalid schema: {e}"),
            );
        }
    };
    let errors: Vec<String> = validator
        .iter_errors(&doc)
        .take(5)
        .map(|e| {
            let path = e.instance_path().to_string();
            format!("{}: {e}", if path.is_empty() { "/" } else { &path })
        })
        .collect();
    Outcome::either(
        errors.is_empty(),
        expected,
        Text::same(format!(
            "{at}: HTTP 200, {}",
            page.fetch
                .header("content-type")
                .unwrap_or("no content-type")
        )),
        Text::new(
            "API trạng thái hợp lệ theo lược đồ",
            "the status API document is schema-valid",
        ),
        tr!(
            "Tài liệu JSON không hợp lệ: {}",
            "the JSON document is invalid: {}",
            errors.join("; ")
        ),
    )
    .with_evidence(evidence)
}

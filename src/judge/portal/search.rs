//! PL1-5 search and PL1-5.1 dossier look-up, judged on the answers the probe recorded.

use super::service_links;
use crate::evaluation::EvidenceRef;
use crate::judge::functions::{no_glob, service_matcher};
use crate::judge::security::leak_in;
use crate::judge::{Outcome, contains_ci, list, no_pages};
use crate::observation::{Observations, Page, Role};
use crate::text::Text;
use crate::tr;

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

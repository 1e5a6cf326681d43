//! PL1-5 search and PL1-5.1 dossier look-up, judged on the answers the probe recorded.

use std::collections::BTreeSet;

use super::{ok_status, row_text, service_links};
use crate::evaluation::EvidenceRef;
use crate::judge::functions::{no_glob, service_matcher};
use crate::judge::security::leak_in;
use crate::judge::{Outcome, contains_ci, list, no_pages, short};
use crate::observation::{Observations, Page, Role};
use crate::text::Text;
use crate::tr;

/// One search the probe made.
struct Search<'a> {
    page: &'a Page,
    term: &'a str,
    nonsense: bool,
    filter: Option<&'a str>,
}

/// The procedures a search found, as (link target, text of its result row), or why it gave
/// no usable answer.
fn answer(
    p: &Page,
    facts: Option<&crate::observation::HtmlFacts>,
    is_service: &dyn Fn(&str) -> bool,
) -> Result<Vec<(String, String)>, String> {
    if let Some(e) = &p.fetch.error {
        return Err(e.message.clone());
    }
    let status = p.fetch.status.unwrap_or(0);
    let Some(h) = facts.filter(|_| ok_status(p)) else {
        return Err(format!("HTTP {status}"));
    };
    if let Some(leak) = leak_in(&h.text) {
        return Err(format!("error text `{leak}`"));
    }
    Ok(service_links(h, is_service)
        .into_iter()
        .map(|href| {
            let text = row_text(h, &href)
                .or_else(|| {
                    h.links
                        .iter()
                        .filter(|l| l.href == href)
                        .map(|l| l.text.clone())
                        .reduce(|a, b| format!("{a} {b}"))
                })
                .unwrap_or_default();
            (href, text)
        })
        .collect())
}

/// PL1-5: words from the portal's own catalogue (and the scenario's) each find at least
/// `min-results` procedures, every one of which contains the word; nonsense finds none without
/// an error page; a criterion of the search form (field, agency) narrows the results.
pub fn search_answers(
    min_results: u32,
    min_terms: u32,
    require_filter: bool,
    obs: &Observations,
) -> Outcome {
    let expected = Text::new(
        format!(
            "Tìm ≥ {min_terms} từ khóa lấy từ danh mục của cổng: mỗi từ trả về ≥ {min_results} thủ tục và mọi kết quả chứa từ khóa; chuỗi vô nghĩa trả về 0 kết quả, không lỗi{}",
            if require_filter {
                "; tiêu chí của biểu mẫu (lĩnh vực, cơ quan) thu hẹp kết quả"
            } else {
                ""
            }
        ),
        format!(
            "≥ {min_terms} words from the portal's catalogue each find ≥ {min_results} procedures, every result containing the word; nonsense finds none, without an error page{}",
            if require_filter {
                "; a criterion of the search form (field, agency) narrows the results"
            } else {
                ""
            }
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    let searches: Vec<Search<'_>> = obs
        .pages
        .iter()
        .filter_map(|p| {
            p.roles.iter().find_map(|r| match r {
                Role::Search {
                    term,
                    nonsense,
                    filter,
                } => Some(Search {
                    page: p,
                    term: term.as_str(),
                    nonsense: *nonsense,
                    filter: filter.as_deref(),
                }),
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
    let mut terms = 0;
    let mut baseline: Option<BTreeSet<String>> = None;
    let mut filtered: Vec<(&str, BTreeSet<String>)> = Vec::new();
    for s in &searches {
        let shown = s
            .filter
            .map_or_else(|| format!("“{}”", s.term), str::to_string);
        evidence.push(EvidenceRef::url(format!("search {shown}"), &s.page.url));
        let found = match answer(s.page, obs.facts(s.page), &is_service) {
            Ok(f) => f,
            Err(why) => {
                problems.push(format!("{shown}: {why}"));
                continue;
            }
        };
        let n = found.len();
        seen.push(format!("{shown} → {n}"));
        let hrefs: BTreeSet<String> = found.iter().map(|(h, _)| h.clone()).collect();
        if let Some(f) = s.filter {
            filtered.push((f, hrefs));
        } else if s.nonsense {
            if n > 0 {
                problems.push(format!("{shown} (nonsense) → {n} results"));
            }
        } else if s.term.trim().is_empty() {
            baseline = Some(hrefs);
        } else {
            terms += 1;
            if n < min_results as usize {
                problems.push(format!("{shown} → {n} results"));
            }
            let off: Vec<String> = found
                .iter()
                .filter(|(_, text)| !contains_ci(text, s.term))
                .map(|(h, _)| short(h, obs))
                .collect();
            if !off.is_empty() {
                problems.push(format!(
                    "{shown}: {} of {n} results do not contain the word ({})",
                    off.len(),
                    list(&off, 3)
                ));
            }
        }
    }
    if require_filter && let Some(p) = narrowing(&filtered, baseline.as_ref()) {
        problems.push(p);
    }
    let observed = Text::same(list(&seen, 8));
    if problems.is_empty() && terms < min_terms as usize {
        return Outcome::error(
            expected,
            tr!(
                "Chỉ thử được {terms} từ khóa (cần ≥ {min_terms}): không lấy được tên thủ tục từ danh mục; khai báo `[search] terms` hoặc `[functions] catalogue`",
                "only {terms} words could be searched (needs ≥ {min_terms}): no procedure names came from the catalogue; declare `[search] terms` or `[functions] catalogue`"
            ),
        )
        .with_evidence(evidence);
    }
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        Text::new("Tìm kiếm trả kết quả đúng", "search answers as expected"),
        tr!(
            "Tìm kiếm không đạt: {}",
            "search fails: {}",
            list(&problems, 4)
        ),
    )
    .with_evidence(evidence)
}

/// Why the search form's criterion does not narrow the results, if it does not: it is absent,
/// finds nothing for any option, or finds what the form finds without it.
fn narrowing(
    filtered: &[(&str, BTreeSet<String>)],
    baseline: Option<&BTreeSet<String>>,
) -> Option<String> {
    let shown: Vec<String> = filtered.iter().map(|(f, _)| (*f).to_string()).collect();
    if filtered.is_empty() {
        return Some("the search form offers no field or agency criterion to narrow by".into());
    }
    if filtered.iter().all(|(_, s)| s.is_empty()) {
        return Some(format!("the criterion finds nothing ({})", list(&shown, 3)));
    }
    let ignored = match baseline {
        Some(b) if !b.is_empty() => filtered.iter().all(|(_, s)| s == b),
        // Without a baseline, options that all find the same procedures are ignored.
        _ => filtered.len() > 1 && filtered.iter().all(|(_, s)| *s == filtered[0].1),
    };
    ignored.then(|| {
        format!(
            "the criterion does not narrow the results ({} find the same procedures)",
            list(&shown, 3)
        )
    })
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
        let text = obs
            .facts(p)
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
                "không tìm thấy / not found"
            } else {
                "có trả lời / answered"
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

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::{Page, Role};

    /// A search answer listing `found` procedures (code, name, field) as catalogue rows.
    fn answer(query: &str, role: Role, found: &[(&str, &str, &str)]) -> Page {
        let rows: String = found
            .iter()
            .map(|(c, n, f)| format!("<tr><td><a href=/thu-tuc/{c}>{n}</a></td><td>{f}</td></tr>"))
            .collect();
        let body = if rows.is_empty() {
            "<p>Không tìm thấy thủ tục phù hợp.</p>".to_string()
        } else {
            format!("<table><tbody>{rows}</tbody></table>")
        };
        html_page(
            &format!("{BASE}tim-kiem?{query}"),
            role,
            200,
            &format!("<html><body><main>{body}</main></body></html>"),
        )
    }

    fn term(t: &str) -> Role {
        Role::Search {
            term: t.into(),
            nonsense: false,
            filter: None,
        }
    }

    fn filter(f: &str) -> Role {
        Role::Search {
            term: String::new(),
            nonsense: false,
            filter: Some(f.into()),
        }
    }

    const KS: (&str, &str, &str) = ("1", "Đăng ký khai sinh", "Hộ tịch");
    const KH: (&str, &str, &str) = ("2", "Đăng ký kết hôn", "Hộ tịch");
    const DD: (&str, &str, &str) = ("3", "Cấp giấy phép xây dựng", "Xây dựng");

    fn searches(pages: Vec<Page>) -> crate::observation::Observations {
        let mut o = portal(pages);
        o.service_pages = Some("/thu-tuc/*".into());
        o
    }

    fn clean() -> Vec<Page> {
        vec![
            answer("q=khai+sinh", term("Đăng ký khai sinh"), &[KS]),
            answer("q=dang+ky", term("đăng ký"), &[KS, KH]),
            answer(
                "q=zq",
                Role::Search {
                    term: "kiemdinh zqxvj".into(),
                    nonsense: true,
                    filter: None,
                },
                &[],
            ),
            answer("q=", term(""), &[]),
            answer("q=&linh-vuc=ho-tich", filter("linh-vuc=ho-tich"), &[KS, KH]),
            answer("q=&linh-vuc=xay-dung", filter("linh-vuc=xay-dung"), &[DD]),
        ]
    }

    #[test]
    fn pl1_5_catalogue_words_found_nonsense_empty_and_a_narrowing_filter_pass() {
        let v = verdict("PL1-5", &searches(clean()));
        assert_eq!(
            v.status,
            Status::Pass,
            "{} — {}",
            v.message.en,
            v.observed.en
        );
    }

    #[test]
    fn pl1_5_a_result_without_the_word_fails() {
        let mut pages = clean();
        pages[0] = answer("q=khai+sinh", term("Đăng ký khai sinh"), &[KS, DD]);
        let v = verdict("PL1-5", &searches(pages));
        assert_eq!(v.status, Status::Fail);
        assert!(v.message.en.contains("do not contain"), "{}", v.message.en);
    }

    #[test]
    fn pl1_5_nonsense_with_results_or_an_ignored_filter_fails() {
        let mut pages = clean();
        pages[2] = answer(
            "q=zq",
            Role::Search {
                term: "kiemdinh zqxvj".into(),
                nonsense: true,
                filter: None,
            },
            &[KS],
        );
        assert_eq!(
            verdict("PL1-5", &searches(pages)).status,
            Status::Fail,
            "nonsense"
        );
        let mut pages = clean();
        // Every option lists the same procedures: the criterion is ignored.
        pages[4] = answer(
            "q=&linh-vuc=ho-tich",
            filter("linh-vuc=ho-tich"),
            &[KS, KH, DD],
        );
        pages[5] = answer(
            "q=&linh-vuc=xay-dung",
            filter("linh-vuc=xay-dung"),
            &[KS, KH, DD],
        );
        let v = verdict("PL1-5", &searches(pages));
        assert_eq!(v.status, Status::Fail);
        assert!(v.message.en.contains("does not narrow"), "{}", v.message.en);
        let mut pages = clean();
        pages.truncate(4);
        let v = verdict("PL1-5", &searches(pages));
        assert_eq!(v.status, Status::Fail, "no criterion");
    }

    #[test]
    fn pl1_5_too_few_words_is_an_error_not_a_pass() {
        let mut pages = clean();
        pages.remove(1);
        let v = verdict("PL1-5", &searches(pages));
        assert_eq!(v.status, Status::Error, "{}", v.message.en);
    }

    fn lookup(code: &str, known: bool, body: &str) -> Page {
        html_page(
            &format!("{BASE}tra-cuu?ma={code}"),
            Role::Lookup {
                code: code.into(),
                known,
            },
            200,
            &format!("<html><body><main>{body}</main></body></html>"),
        )
    }

    #[test]
    fn pl1_5_1_lookup_answers_not_found_and_finds_the_test_dossier() {
        let ok = portal(vec![
            lookup("KD-000", false, "Không tìm thấy hồ sơ có mã KD-000."),
            lookup("H55.1", true, "Hồ sơ H55.1: đang xử lý."),
        ]);
        let v = verdict("PL1-5.1", &ok);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let silent = portal(vec![lookup("KD-000", false, "<div></div>")]);
        assert_eq!(verdict("PL1-5.1", &silent).status, Status::Fail);
    }
}

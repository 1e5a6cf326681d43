//! Function judges (Phụ lục I) that plain HTTP can decide: procedure fields, click depth,
//! published e-mail.

use globset::Glob;
use url::Url;

use super::layout::sitemap_locs;
use super::{Outcome, contains_ci, list, no_pages, short};
use crate::checklist::check::Synonyms;
use crate::evaluation::EvidenceRef;
use crate::observation::{Observations, Role};
use crate::text::Text;
use crate::tr;

/// Whether a URL's path matches the scenario's procedure-page glob.
pub(crate) fn service_matcher(obs: &Observations) -> Option<impl Fn(&str) -> bool> {
    let glob = Glob::new(obs.service_pages.as_deref()?)
        .ok()?
        .compile_matcher();
    let base = Url::parse(&obs.base_url).ok()?;
    Some(move |u: &str| {
        Url::parse(u).is_ok_and(|u| u.origin() == base.origin() && glob.is_match(u.path()))
    })
}

pub(crate) fn no_glob(expected: Text) -> Outcome {
    Outcome::error(
        expected,
        Text::new(
            "Kịch bản chưa khai báo trang thủ tục (`pages.service-pages`)",
            "the scenario does not say which pages are procedure pages (`pages.service-pages`)",
        ),
    )
}

/// PL1-2.1: each sampled procedure page shows the minimum fields.
pub fn procedure_fields(
    fields: &[Synonyms],
    min_ratio: f64,
    min_pages: u32,
    obs: &Observations,
) -> Outcome {
    let n_fields = fields.len();
    let expected = Text::new(
        format!(
            "Mỗi trang thủ tục có ít nhất {:.0}% trong {n_fields} trường thông tin tối thiểu",
            min_ratio * 100.0
        ),
        format!(
            "each procedure page shows at least {:.0}% of the {n_fields} minimum fields",
            min_ratio * 100.0
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    let pages: Vec<_> = obs
        .html_pages()
        .filter(|(p, _)| is_service(&p.url))
        .collect();
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    if pages.len() < min_pages as usize {
        return Outcome::fail(
            expected,
            Text::new(
                format!("Tìm thấy {} trang thủ tục", pages.len()),
                format!("{} procedure pages found", pages.len()),
            ),
            tr!(
                "Cần ít nhất {min_pages} trang thủ tục để đánh giá",
                "at least {min_pages} procedure pages are needed"
            ),
        );
    }
    let mut short_pages = Vec::new();
    let mut evidence = Vec::new();
    let mut ratio_sum = 0.0;
    let mut missing_count: std::collections::BTreeMap<&str, usize> =
        std::collections::BTreeMap::new();
    for (p, h) in &pages {
        let missing: Vec<&Synonyms> = fields
            .iter()
            .filter(|f| {
                !h.labels
                    .iter()
                    .any(|l| f.synonyms.iter().any(|s| contains_ci(l, s)))
            })
            .collect();
        let ratio = (n_fields - missing.len()) as f64 / n_fields.max(1) as f64;
        ratio_sum += ratio;
        for m in &missing {
            *missing_count.entry(m.name.as_str()).or_insert(0) += 1;
        }
        if ratio + 1e-9 < min_ratio {
            let names: Vec<String> = missing.iter().map(|m| m.name.clone()).collect();
            short_pages.push(format!(
                "{} ({}/{n_fields}; missing {})",
                short(&p.url, obs),
                n_fields - missing.len(),
                names.join(", ")
            ));
            evidence.push(EvidenceRef::url(
                format!("missing {}", names.join(", ")),
                &p.url,
            ));
        }
    }
    let n = pages.len();
    let mean = ratio_sum / n as f64;
    let observed = if short_pages.is_empty() {
        Text::new(
            format!("{n} trang thủ tục, trung bình {:.0}% trường", mean * 100.0),
            format!(
                "{n} procedure pages, {:.0}% of fields on average",
                mean * 100.0
            ),
        )
    } else {
        Text::new(
            format!(
                "{n} trang thủ tục, trung bình {:.0}%; chưa đủ: {}",
                mean * 100.0,
                list(&short_pages, 4)
            ),
            format!(
                "{n} procedure pages, {:.0}% on average; short: {}",
                mean * 100.0,
                list(&short_pages, 4)
            ),
        )
    };
    Outcome::either(
        short_pages.is_empty(),
        expected,
        observed,
        Text::new(
            "Trang thủ tục đủ trường thông tin",
            "procedure pages show every field",
        ),
        Text::new(
            format!(
                "{} / {n} trang thủ tục thiếu trường thông tin",
                short_pages.len()
            ),
            format!("{} of {n} procedure pages lack fields", short_pages.len()),
        ),
    )
    .with_evidence(evidence)
    .with_credit(mean)
}

/// PL1-11: every procedure page within `max_depth` clicks of the home page.
pub fn max_click_depth(max_depth: u32, obs: &Observations) -> Outcome {
    let expected = tr!(
        "Mọi dịch vụ truy cập được từ trang chủ qua tối đa {max_depth} lần nhấp",
        "every service reachable in at most {max_depth} clicks from the home page"
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    // The services are those the crawl found plus those the sitemap lists.
    let mut services: Vec<(String, Option<u32>)> = obs
        .pages
        .iter()
        .filter(|p| is_service(&p.url) && obs.facts(p).is_some())
        .map(|p| (p.url.clone(), p.depth))
        .collect();
    if let Some(locs) = obs
        .first_with_role(&Role::SitemapXml)
        .and_then(|p| p.fetch.text.as_deref())
        .and_then(sitemap_locs)
    {
        for l in locs {
            let l = Url::parse(&l).map(|mut u| {
                u.set_fragment(None);
                u.to_string()
            });
            if let Ok(l) = l
                && is_service(&l)
                && !services.iter().any(|(u, _)| *u == l)
            {
                let depth = obs.page(&l).and_then(|p| p.depth);
                services.push((l, depth));
            }
        }
    }
    if services.is_empty() {
        return Outcome::fail(
            expected,
            Text::new("Không tìm thấy trang dịch vụ nào", "no service page found"),
            Text::new(
                "Không tìm thấy trang dịch vụ từ trang chủ",
                "no service page reachable from the home page",
            ),
        );
    }
    let mut too_deep = Vec::new();
    let mut unreached = Vec::new();
    let mut evidence = Vec::new();
    let mut deepest = 0;
    for (u, d) in &services {
        match d {
            Some(d) if *d > max_depth => {
                too_deep.push(format!("{} ({d})", short(u, obs)));
                evidence.push(EvidenceRef::url(format!("{d} clicks"), u));
            }
            Some(d) => deepest = deepest.max(*d),
            None => {
                unreached.push(short(u, obs));
                evidence.push(EvidenceRef::url("not reached from the home page", u));
            }
        }
    }
    let n = services.len();
    if too_deep.is_empty() && !unreached.is_empty() && obs.crawl_truncated {
        return Outcome::error(
            expected,
            Text::new(
                format!(
                    "Giới hạn thu thập (max-pages) đã hết trước khi tới {} dịch vụ: {}",
                    unreached.len(),
                    list(&unreached, 4)
                ),
                format!(
                    "the crawl bound (max-pages) ran out before reaching {} services: {}",
                    unreached.len(),
                    list(&unreached, 4)
                ),
            ),
        )
        .with_evidence(evidence);
    }
    let bad = too_deep.len() + unreached.len();
    let observed = if bad == 0 {
        tr!(
            "{n} dịch vụ, sâu nhất {deepest} lần nhấp",
            "{n} services, deepest at {deepest} clicks"
        )
    } else {
        let mut parts = Vec::new();
        if !too_deep.is_empty() {
            parts.push(format!("> {max_depth}: {}", list(&too_deep, 4)));
        }
        if !unreached.is_empty() {
            parts.push(format!("unreached: {}", list(&unreached, 4)));
        }
        Text::new(
            format!("{n} dịch vụ; {}", parts.join("; ")),
            format!("{n} services; {}", parts.join("; ")),
        )
    };
    Outcome::either(
        bad == 0,
        expected,
        observed,
        tr!(
            "Mọi dịch vụ trong vòng {max_depth} lần nhấp",
            "every service within {max_depth} clicks"
        ),
        tr!(
            "{bad} dịch vụ cần hơn {max_depth} lần nhấp",
            "{bad} services need more than {max_depth} clicks"
        ),
    )
    .with_evidence(evidence)
    .with_credit((n - bad) as f64 / n as f64)
}

/// PL1-13: a feedback e-mail address in the footer or on the contact page.
pub fn email_published(obs: &Observations) -> Outcome {
    let expected = Text::new(
        "Địa chỉ thư điện tử tiếp nhận góp ý được công bố (chân trang hoặc trang liên hệ)",
        "a feedback e-mail address is published (footer or contact page)",
    );
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let in_footer = obs.home().and_then(|p| obs.facts(p)).and_then(|h| {
        let f = h.footer.as_ref()?;
        h.emails
            .iter()
            .find(|e| {
                f.text.contains(e.as_str()) || f.links.iter().any(|l| l.href.contains(e.as_str()))
            })
            .cloned()
    });
    let on_contact = obs
        .function_url("contact")
        .and_then(|u| obs.page(u))
        .and_then(|p| obs.facts(p))
        .and_then(|h| h.emails.first().cloned());
    let any_footer = obs.html_pages().find_map(|(_, h)| {
        let f = h.footer.as_ref()?;
        h.emails
            .iter()
            .find(|e| f.text.contains(e.as_str()))
            .cloned()
    });
    match in_footer
        .map(|e| (e, "footer"))
        .or(on_contact.map(|e| (e, "contact page")))
        .or(any_footer.map(|e| (e, "footer")))
    {
        Some((email, place)) => Outcome::pass(
            expected,
            Text::same(format!("{email} ({place})")),
            tr!(
                "Có địa chỉ thư điện tử {email}",
                "e-mail address {email} published"
            ),
        ),
        None => Outcome::fail(
            expected,
            Text::new("Không thấy địa chỉ thư điện tử", "no e-mail address found"),
            Text::new(
                "Chưa công bố địa chỉ thư điện tử góp ý",
                "no feedback e-mail address published",
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::{Page, Role};

    const LABELS: &[&str] = &[
        "Tên thủ tục",
        "Trình tự thực hiện",
        "Cách thức thực hiện",
        "Thành phần hồ sơ",
        "Thời hạn giải quyết",
        "Đối tượng thực hiện",
        "Cơ quan thực hiện",
        "Kết quả thực hiện",
        "Mẫu đơn, tờ khai",
        "Phí, lệ phí",
        "Yêu cầu, điều kiện",
        "Hình thức nhận hồ sơ, trả kết quả",
        "Căn cứ pháp lý",
    ];

    /// A procedure page at `depth` clicks showing `labels`.
    fn procedure(code: &str, depth: u32, labels: &[&str]) -> Page {
        let dl: String = labels
            .iter()
            .map(|l| format!("<dt>{l}</dt><dd>…</dd>"))
            .collect();
        let mut p = html_page(
            &format!("{BASE}thu-tuc/{code}"),
            Role::Crawled,
            200,
            &format!("<html><body><main><dl>{dl}</dl></main></body></html>"),
        );
        p.depth = Some(depth);
        p
    }

    fn procedures(pages: Vec<Page>) -> crate::observation::Observations {
        let mut o = portal(pages);
        o.service_pages = Some("/thu-tuc/*".into());
        o
    }

    #[test]
    fn pl1_2_1_every_field_on_every_procedure_page_passes_and_a_missing_one_fails() {
        let o = procedures(vec![procedure("1", 2, LABELS), procedure("2", 2, LABELS)]);
        let v = verdict("PL1-2.1", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let o = procedures(vec![
            procedure("1", 2, LABELS),
            procedure("2", 2, &LABELS[1..]),
        ]);
        let v = verdict("PL1-2.1", &o);
        assert_eq!(v.status, Status::Fail);
        assert!(v.observed.en.contains("/thu-tuc/2"), "{}", v.observed.en);
    }

    #[test]
    fn pl1_11_procedures_within_three_clicks_pass_and_a_deeper_one_fails() {
        let o = procedures(vec![procedure("1", 2, LABELS), procedure("2", 3, LABELS)]);
        let v = verdict("PL1-11", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        let o = procedures(vec![procedure("1", 2, LABELS), procedure("2", 4, LABELS)]);
        assert_eq!(verdict("PL1-11", &o).status, Status::Fail);
    }
}

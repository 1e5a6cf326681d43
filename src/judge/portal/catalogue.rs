//! PL1-2: the catalogue of procedures, and the service level of each procedure — on its row of
//! the catalogue and on its own page.

use super::{function_page, ok_status, row_text, service_links};
use crate::checklist::check::Synonyms;
use crate::evaluation::EvidenceRef;
use crate::judge::functions::{no_glob, service_matcher};
use crate::judge::{Outcome, contains_ci, list, no_pages, short};
use crate::observation::{HtmlFacts, Observations, Page};
use crate::text::Text;
use crate::tr;

/// The `catalogue` check spec.
pub struct CatalogueSpec<'a> {
    /// Least number of procedures the catalogue page lists.
    pub min_services: u32,
    /// Accepted service levels.
    pub levels: &'a [Synonyms],
    /// Outdated level wordings, accepted and reported.
    pub outdated_levels: &'a [String],
    /// Share of rows and of procedure pages that must show a level.
    pub min_ratio: f64,
    /// Link texts of the catalogue page.
    pub synonyms: &'a [String],
}

/// The level a text shows.
enum Level {
    Current,
    Outdated(String),
    Missing,
}

fn level_in(text: &str, spec: &CatalogueSpec<'_>) -> Level {
    if spec
        .levels
        .iter()
        .any(|l| l.synonyms.iter().any(|s| contains_ci(text, s)))
    {
        Level::Current
    } else if let Some(w) = spec.outdated_levels.iter().find(|w| contains_ci(text, w)) {
        Level::Outdated(w.clone())
    } else {
        Level::Missing
    }
}

/// Shares and the entries that lack a level or use outdated wording.
#[derive(Default)]
struct Tally {
    with_level: usize,
    total: usize,
    missing: Vec<String>,
    outdated: Vec<String>,
}

impl Tally {
    fn add(&mut self, what: String, level: Level) {
        self.total += 1;
        match level {
            Level::Current => self.with_level += 1,
            Level::Outdated(w) => {
                self.with_level += 1;
                self.outdated.push(format!("{what} (“{w}”)"));
            }
            Level::Missing => self.missing.push(what),
        }
    }

    fn ratio(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.with_level as f64 / self.total as f64
        }
    }
}

/// PL1-2: the catalogue page lists at least `min-services` procedures, each row of the
/// catalogue shows the procedure's service level, and so does each sampled procedure page.
pub fn catalogue(spec: &CatalogueSpec<'_>, obs: &Observations) -> Outcome {
    let names: Vec<String> = spec
        .levels
        .iter()
        .map(|l| l.label.as_ref().map_or(l.name.clone(), |t| t.vi.clone()))
        .collect();
    let (min, pct) = (spec.min_services, spec.min_ratio * 100.0);
    let expected = Text::new(
        format!(
            "Trang danh mục liệt kê ít nhất {min} thủ tục; ≥ {pct:.0}% dòng thủ tục của danh mục và ≥ {pct:.0}% trang thủ tục ghi mức độ ({})",
            names.join(" / ")
        ),
        format!(
            "the catalogue page lists at least {min} procedures; ≥ {pct:.0}% of its procedure rows and of procedure pages show the level ({})",
            names.join(" / ")
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    if obs.html_pages().next().is_none() {
        return no_pages(expected, obs);
    }
    let Some(page) = function_page(obs, "catalogue", spec.synonyms) else {
        return Outcome::fail(
            expected,
            Text::new("Không tìm thấy trang danh mục", "no catalogue page found"),
            Text::new(
                "Không tìm thấy trang danh mục thủ tục (khai báo `[functions] catalogue`)",
                "no catalogue page found (declare `[functions] catalogue`)",
            ),
        );
    };
    let html = obs.facts(page).filter(|_| ok_status(page));
    let listed = html.map_or_else(Vec::new, |h| service_links(h, &is_service));
    let mut rows = Tally::default();
    if let Some(h) = html {
        for href in &listed {
            let text = row_text(h, href).unwrap_or_default();
            rows.add(short(href, obs), level_in(&text, spec));
        }
    }
    let procs: Vec<(&Page, &HtmlFacts)> = obs
        .html_pages()
        .filter(|(p, _)| is_service(&p.url))
        .collect();
    let mut pages = Tally::default();
    for (p, h) in &procs {
        pages.add(short(&p.url, obs), level_in(&h.text, spec));
    }
    let outdated: Vec<String> = rows
        .outdated
        .iter()
        .chain(&pages.outdated)
        .cloned()
        .collect();
    let mut observed = Text::new(
        format!(
            "Danh mục {} liệt kê {} thủ tục, {}/{} dòng ghi mức độ; {}/{} trang thủ tục ghi mức độ",
            short(&page.url, obs),
            listed.len(),
            rows.with_level,
            rows.total,
            pages.with_level,
            pages.total
        ),
        format!(
            "catalogue {} lists {} procedures, {}/{} rows show a level; {}/{} procedure pages show a level",
            short(&page.url, obs),
            listed.len(),
            rows.with_level,
            rows.total,
            pages.with_level,
            pages.total
        ),
    );
    let note = (!outdated.is_empty()).then(|| {
        tr!(
            "; {} chỗ dùng cách gọi cũ “mức độ 3/4” thay vì toàn trình / một phần (NĐ 42/2022): {}",
            "; {} places use the outdated wording “mức độ 3/4” instead of toàn trình / một phần (NĐ 42/2022): {}",
            outdated.len(),
            list(&outdated, 3)
        )
    });
    if let Some(n) = note {
        observed = Text::join(&[observed, n], "");
    }
    let evidence = [EvidenceRef::url("catalogue", &page.url)];
    if listed.len() < min as usize {
        return Outcome::fail(
            expected,
            observed,
            tr!(
                "Trang danh mục chỉ liệt kê {} thủ tục (cần ≥ {min})",
                "the catalogue page lists only {} procedures (needs ≥ {min})",
                listed.len()
            ),
        )
        .with_evidence(evidence);
    }
    let rows_ok = rows.ratio() + 1e-9 >= spec.min_ratio;
    // Procedure pages are judged when the crawl reached some; the rows are judged always.
    let pages_ok = pages.total == 0 || pages.ratio() + 1e-9 >= spec.min_ratio;
    let mut problems = Vec::new();
    if !rows_ok {
        problems.push(format!(
            "catalogue rows without a level: {}",
            list(&rows.missing, 5)
        ));
    }
    if !pages_ok {
        problems.push(format!(
            "procedure pages without a level: {}",
            list(&pages.missing, 5)
        ));
    }
    let pass = if outdated.is_empty() {
        Text::new(
            "Danh mục công khai, mỗi thủ tục ghi rõ mức độ dịch vụ",
            "catalogue published and every procedure shows its service level",
        )
    } else {
        Text::new(
            "Danh mục công khai, mỗi thủ tục ghi mức độ — một số chỗ dùng cách gọi cũ “mức độ 3/4”",
            "catalogue published and every procedure shows its level — some in the outdated wording “mức độ 3/4”",
        )
    };
    let credit = if pages.total == 0 {
        rows.ratio()
    } else {
        rows.ratio().min(pages.ratio())
    };
    Outcome::either(
        problems.is_empty(),
        expected,
        observed,
        pass,
        tr!(
            "Mức độ dịch vụ không ghi theo từng thủ tục — {}",
            "the service level is not shown per procedure — {}",
            problems.join("; ")
        ),
    )
    .with_evidence(evidence)
    .with_credit(credit)
}

#[cfg(test)]
mod tests {
    use super::CatalogueSpec;
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    const PROCS: &[(&str, &str)] = &[
        ("1", "Đăng ký khai sinh"),
        ("2", "Đăng ký kết hôn"),
        ("3", "Cấp bản sao trích lục hộ tịch"),
    ];

    /// A catalogue of three procedures, each row and page showing `level(i)`.
    fn catalogue(level: &dyn Fn(usize) -> String) -> crate::observation::Observations {
        let rows: String = PROCS
        .iter()
        .enumerate()
        .map(|(i, (code, name))| {
            format!(
                "<tr><td>1.00{code}</td><td><a href=/thu-tuc/{code}>{name}</a></td><td>{}</td></tr>",
                level(i)
            )
        })
        .collect();
        let mut pages = vec![html_page(
            &format!("{BASE}thu-tuc/"),
            Role::Crawled,
            200,
            &format!(
                "<html><body><main><table><thead><tr><th>Mã</th><th>Tên thủ tục</th><th>Mức độ</th></tr></thead><tbody>{rows}</tbody></table></main></body></html>"
            ),
        )];
        for (i, (code, name)) in PROCS.iter().enumerate() {
            pages.push(html_page(
            &format!("{BASE}thu-tuc/{code}"),
            Role::Crawled,
            200,
            &format!(
                "<html><body><main><h1>{name}</h1><dl><dt>Mức độ</dt><dd>Toàn trình</dd></dl><p>{}</p></main></body></html>",
                level(i)
            ),
        ));
        }
        let mut o = portal(pages);
        o.service_pages = Some("/thu-tuc/[0-9]*".into());
        o.functions = vec![("catalogue".into(), format!("{BASE}thu-tuc/"))];
        o
    }

    fn judge(o: &crate::observation::Observations, min_services: u32) -> crate::judge::Outcome {
        let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
        let crate::checklist::Check::Catalogue {
            levels,
            outdated_levels,
            min_ratio,
            synonyms,
            ..
        } = &c.get("PL1-2").unwrap().checks[0]
        else {
            panic!("PL1-2 is a catalogue check");
        };
        super::catalogue(
            &CatalogueSpec {
                min_services,
                levels,
                outdated_levels,
                min_ratio: *min_ratio,
                synonyms,
            },
            o,
        )
    }

    #[test]
    fn pl1_2_every_row_with_its_level_passes() {
        let o = catalogue(&|i| {
            if i == 1 {
                "Một phần"
            } else {
                "Toàn trình"
            }
            .into()
        });
        let out = judge(&o, 3);
        assert_eq!(out.status, Status::Pass, "{}", out.observed.en);
        assert!(out.observed.en.contains("3/3 rows"), "{}", out.observed.en);
    }

    #[test]
    fn pl1_2_a_row_without_its_level_fails_even_when_the_page_names_a_level() {
        // The level column is empty on one row; "toàn trình" still appears elsewhere on the page.
        let o = catalogue(&|i| if i == 2 { "—" } else { "Toàn trình" }.into());
        let out = judge(&o, 3);
        assert_eq!(out.status, Status::Fail, "{}", out.observed.en);
        assert!(out.message.en.contains("/thu-tuc/3"), "{}", out.message.en);
        assert_eq!(
            judge(&catalogue(&|_| "Toàn trình".into()), 4).status,
            Status::Fail,
            "too few"
        );
    }

    #[test]
    fn pl1_2_outdated_level_wording_is_accepted_and_reported() {
        let o = catalogue(&|i| {
            if i == 0 {
                "Mức độ 4"
            } else {
                "Toàn trình"
            }
            .into()
        });
        let out = judge(&o, 3);
        assert_eq!(out.status, Status::Pass, "{}", out.observed.en);
        assert!(out.observed.en.contains("outdated"), "{}", out.observed.en);
        assert!(out.message.en.contains("outdated"), "{}", out.message.en);
    }
}

//! DVCQG-2 catalogue sync with the evaluator's DVCQG export, and DVCQG-3 status endpoint.

use std::collections::BTreeMap;

use crate::catalogue::key;
use crate::checklist::check::CatalogueColumn;
use crate::evaluation::{EvidenceRef, Status};
use crate::judge::functions::{no_glob, service_matcher};
use crate::judge::{Outcome, list, no_pages, short};
use crate::observation::{HtmlFacts, Observations, Role};
use crate::text::Text;
use crate::tr;

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
        // Silence is a finding only when the portal itself answered: with nothing reachable,
        // the run saw no API at all (error, never a confident fail).
        let portal_answered = obs
            .pages
            .iter()
            .any(|p| p.url != page.url && p.fetch.error.is_none() && p.fetch.status.is_some());
        if !portal_answered {
            return Outcome::error(
                expected,
                tr!(
                    "Không kết nối được cổng lẫn API trạng thái ({at}: {})",
                    "neither the portal nor the status API could be reached ({at}: {})",
                    e.message
                ),
            )
            .with_evidence(evidence);
        }
        return Outcome::fail(
            expected,
            Text::same(format!("{at}: {}", e.message)),
            tr!(
                "API trạng thái không trả lời trong khi cổng vẫn trả lời",
                "the status API does not answer while the portal does"
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

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::Role;

    #[test]
    fn status_api_must_answer_schema_valid_json() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let url = format!("{BASE}api/status");
        let ok = r#"{"status":"up","updated_at":"2026-11-22T08:00:00Z","services":[{"code":"1.0001","status":"up"}]}"#;
        for (code, body, want) in [
            (200, ok, Status::Pass),
            (200, "<html>maintenance</html>", Status::Fail),
            (503, ok, Status::Fail),
            (200, r#"{"status":"green","services":[]}"#, Status::Fail),
        ] {
            let o = obs(
                &home,
                "text/html",
                vec![json_page(&url, Role::StatusApi, code, body)],
            );
            assert_eq!(
                status_in("qd31-2021-dvcqg", "DVCQG-3", &o),
                want,
                "{code} {body}"
            );
        }
        // No endpoint in the scenario: pending, not a pass.
        let o = obs(&home, "text/html", vec![]);
        assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-3", &o), Status::Pending);
        // No answer: a failure while the portal answers, an error when nothing did.
        let mut silent = json_page(&url, Role::StatusApi, 0, "");
        silent.fetch.status = None;
        silent.fetch.error = Some(crate::observation::FetchError {
            kind: crate::observation::FetchErrorKind::Connect,
            message: "connection refused".into(),
        });
        let mut o = obs(&home, "text/html", vec![silent]);
        assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-3", &o), Status::Fail);
        o.pages[0].fetch.status = None;
        o.pages[0].fetch.error = o.pages[1].fetch.error.clone();
        assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-3", &o), Status::Error);
    }

    #[test]
    fn catalogue_sync_waits_for_the_export_and_errors_when_the_crawl_was_cut() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let mut o = obs(&home, "text/html", vec![]);
        o.service_pages = Some("/thu-tuc/*".into());
        assert_eq!(status_in("qd31-2021-dvcqg", "DVCQG-2", &o), Status::Pending);
        o.catalogue_export = Some(crate::observation::CatalogueExport {
            file: "x.csv".into(),
            sha256: "0".repeat(64),
            entries: vec![crate::observation::CatalogueEntry {
                code: "1.0001".into(),
                name: "A".into(),
                level: None,
                field: None,
                agency: None,
            }],
        });
        assert_eq!(
            status_in("qd31-2021-dvcqg", "DVCQG-2", &o),
            Status::Fail,
            "missing"
        );
        o.crawl_truncated = true;
        assert_eq!(
            status_in("qd31-2021-dvcqg", "DVCQG-2", &o),
            Status::Error,
            "cannot confirm"
        );
    }

    #[test]
    fn dvcqg_2_catalogue_matching_the_export_passes() {
        let proc_page = html_page(
            &format!("{BASE}thu-tuc/1"),
            Role::Crawled,
            200,
            "<html><body><main><h1>Đăng ký khai sinh</h1><dl><dt>Mã thủ tục</dt><dd>1.0001</dd>\
         <dt>Tên thủ tục</dt><dd>Đăng ký khai sinh</dd><dt>Mức độ</dt><dd>Toàn trình</dd></dl></main></body></html>",
        );
        let mut o = portal(vec![proc_page]);
        o.service_pages = Some("/thu-tuc/*".into());
        let entry = |name: &str| crate::observation::CatalogueEntry {
            code: "1.0001".into(),
            name: name.into(),
            level: Some("Toàn trình".into()),
            field: None,
            agency: None,
        };
        o.catalogue_export = Some(crate::observation::CatalogueExport {
            file: "x.csv".into(),
            sha256: "0".repeat(64),
            entries: vec![entry("Đăng ký khai sinh")],
        });
        let v = verdict_in("qd31-2021-dvcqg", "DVCQG-2", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        o.catalogue_export.as_mut().unwrap().entries = vec![entry("Đăng ký kết hôn")];
        assert_eq!(
            verdict_in("qd31-2021-dvcqg", "DVCQG-2", &o).status,
            Status::Fail,
            "renamed"
        );
    }
}

//! `report.sarif`: the security findings as SARIF 2.1.0, for code scanning and CI gates
//! (GitHub `upload-sarif`, GitLab `sast` reports).
//!
//! - `tool.driver.rules`: one per finding id of the security requirements judged
//!   (`SEC-3/cookie-flags`), named and described from `reports/security-findings.toml`, with
//!   `properties` `requirement`, `zapRuleIds` (ZAP's scan-rule ids for the same weakness) and
//!   `tags`.
//! - `results`: one per failed finding, unless `[security.severity]` ignores it; `level`
//!   `error` (severity `fail`) or `warning` (`warn`); the message in the report language;
//!   the pages it was seen on as `artifactLocation.uri` (the home page when the check names
//!   none); `partialFingerprints` from the finding id, the published host and the page's path
//!   (stable across runs, no query string).
//! - `run.properties`: the portal, the verdict and score, and the severity rules in force, so
//!   a reader sees that a finding was downgraded.
//!
//! `same-as` checks (D4-2 restating SEC-*) are left out: their requirements' own findings are
//! there. Only failures are results: a passed check, an `error` (not checked) or a `skipped` one is
//! in `evaluation.json`, not here. The file is validated against the vendored OASIS schema in
//! the tests (`vendor/sarif/`).

use serde_json::{Value, json};
use sha2::{Digest, Sha256};

use crate::checklist::Category;
use crate::evaluation::finding::{Severity, base_id, table};
use crate::evaluation::{Evaluation, Status};
use crate::text::Lang;

/// The SARIF version written.
pub const SARIF_VERSION: &str = "2.1.0";
/// The schema URI `report.sarif` names.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
/// The most pages listed as locations of one result.
const MAX_LOCATIONS: usize = 10;

fn pascal(kind: &str) -> String {
    kind.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The stable fingerprint of a finding on a page: finding id, published host, path.
fn fingerprint(finding: &str, host: &str, url: &str) -> String {
    let path = url::Url::parse(url).map_or_else(|_| url.to_string(), |u| u.path().to_string());
    let digest = Sha256::digest(format!("{finding}\n{host}\n{path}").as_bytes());
    digest.iter().fold(String::new(), |mut s, b| {
        use std::fmt::Write;
        let _ = write!(s, "{b:02x}");
        s
    })
}

/// Renders `report.sarif` (pretty JSON).
#[must_use]
pub fn render(e: &Evaluation, lang: Lang) -> String {
    let mut rules: Vec<Value> = Vec::new();
    let mut rule_ids: Vec<String> = Vec::new();
    let mut results: Vec<Value> = Vec::new();
    for j in e
        .requirements
        .iter()
        .filter(|j| j.category == Category::Security)
    {
        // A `same-as` check restates other requirements' findings: not a finding of its own.
        for f in j.verdict.findings.iter().filter(|f| f.check != "same-as") {
            let id = base_id(&f.id).to_string();
            let index = if let Some(i) = rule_ids.iter().position(|r| *r == id) {
                i
            } else {
                let info = table().get(&id);
                let mut props = json!({
                    "requirement": j.verdict.id.as_str(),
                    "checklist": j.checklist,
                    "mandatory": j.mandatory,
                    "tags": info.map_or_else(|| vec!["security".to_string()], |i| i.tags.clone()),
                });
                if let Some(i) = info.filter(|i| !i.zap.is_empty()) {
                    props["zapRuleIds"] = json!(i.zap);
                }
                let mut rule = json!({
                    "id": id,
                    "name": info.map_or_else(|| pascal(&f.check), |i| i.name.clone()),
                    "shortDescription": { "text": info.map_or_else(
                        || j.title.get(lang).to_string(),
                        |i| i.title.get(lang).to_string()) },
                    "fullDescription": { "text": format!("{}: {}", j.verdict.id, j.title.get(lang)) },
                    "defaultConfiguration": { "level": "error" },
                    "properties": props,
                });
                if let Some(uri) = info.and_then(|i| i.help_uri.clone()) {
                    rule["helpUri"] = json!(uri);
                }
                if let Some(remedy) = &j.remedy {
                    rule["help"] = json!({ "text": remedy.get(lang) });
                }
                rules.push(rule);
                rule_ids.push(id.clone());
                rule_ids.len() - 1
            };
            let severity = f.effective_severity();
            if f.status != Status::Fail || severity == Severity::Ignore {
                continue;
            }
            let urls: Vec<&str> = if f.urls.is_empty() {
                vec![e.portal.base_url.as_str()]
            } else {
                f.urls
                    .iter()
                    .map(String::as_str)
                    .take(MAX_LOCATIONS)
                    .collect()
            };
            let locations: Vec<Value> = urls
                .iter()
                .map(|u| json!({ "physicalLocation": { "artifactLocation": { "uri": u } } }))
                .collect();
            let mut props = json!({
                "requirement": j.verdict.id.as_str(),
                "findingId": f.id,
                "severity": severity.as_str(),
            });
            if let Some(k) = &f.severity_key {
                props["severityKey"] = json!(k);
            }
            results.push(json!({
                "ruleId": id,
                "ruleIndex": index,
                "kind": "fail",
                "level": if severity == Severity::Warn { "warning" } else { "error" },
                "message": { "text": format!("{}: {} — {}", f.id, f.message.get(lang), f.observed.get(lang)) },
                "locations": locations,
                "partialFingerprints": {
                    "kiemdinhFinding/v1": fingerprint(&f.id, &e.portal.public_host, urls[0]),
                },
                "properties": props,
            }));
        }
    }
    let severity: Vec<Value> = e
        .observations
        .security_severity
        .iter()
        .map(|r| json!({ "key": r.key, "severity": r.severity.as_str() }))
        .collect();
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": SARIF_VERSION,
        "runs": [{
            "tool": { "driver": {
                "name": "kiemdinh",
                "fullName": "kiemdinh — kiểm định Cổng Dịch vụ công",
                "version": e.tool_version,
                "semanticVersion": e.tool_version,
                "rules": rules,
            }},
            "language": lang.tag(),
            "results": results,
            "properties": {
                "portal": e.portal.name,
                "baseUrl": e.portal.base_url,
                "verdict": e.verdict.as_str(),
                "score": e.score,
                "generatedAt": e.generated_at,
                "severityRules": severity,
            },
        }],
    });
    serde_json::to_string_pretty(&doc).unwrap_or_default()
}

/// The `[security.severity]` entries as rows of the report's overrides table (methodology):
/// what was downgraded or ignored, and which findings it touched.
pub(super) fn severity_overrides(e: &Evaluation) -> Vec<super::view::OverrideView> {
    e.observations
        .security_severity
        .iter()
        .map(|r| {
            let touched: Vec<&str> = e
                .requirements
                .iter()
                .flat_map(|j| &j.verdict.findings)
                .filter(|f| f.severity_key.as_deref() == Some(r.key.as_str()))
                .map(|f| f.id.as_str())
                .collect();
            super::view::OverrideView {
                id: if touched.is_empty() {
                    r.key.clone()
                } else {
                    touched.join(", ")
                },
                key: "severity".into(),
                from: Severity::Fail.as_str().into(),
                to: r.severity.as_str().into(),
                source: format!("[security.severity] \"{}\"", r.key),
            }
        })
        .collect()
}

#[cfg(test)]
#[path = "sarif_tests.rs"]
mod tests;

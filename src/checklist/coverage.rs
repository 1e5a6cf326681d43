//! Coverage: how each requirement is judged today — automatically over HTTP, by a probe that is
//! planned (browser, load, monitoring), by evidence, by attestation, or through other
//! requirements (`same-as`). Printed by `kiemdinh checklist coverage` and shown in reports.

use std::fmt::Write;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::check::{PageMetric, PlannedProbe};
use super::{Category, Check, Checklist, Requirement};

/// How a requirement is judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum Class {
    /// HTTP/TLS/DNS observation.
    Http,
    /// A real browser.
    Browser,
    /// A load test.
    Load,
    /// Availability monitoring over the evaluation period.
    Monitoring,
    /// A file supplied by the evaluator.
    Evidence,
    /// A statement by the system owner.
    Attestation,
    /// The verdicts of other requirements.
    Derived,
}

/// (class, whether this version carries it out itself) for one check.
fn class_of(check: &Check) -> (Class, bool) {
    match check {
        Check::PageMetric {
            metric: PageMetric::Ttfb,
            ..
        } => (Class::Http, true),
        Check::Planned {
            probe: PlannedProbe::Dns,
            ..
        } => (Class::Http, false),
        Check::Planned { .. } => (Class::Browser, false),
        // Judged from the browser probe's observations (skipped under `--no-browser`).
        c if c.needs_browser() => (Class::Browser, true),
        // Judged from the load probe (`[load]` in the scenario, or `kiemdinh load`).
        Check::LoadThreshold { .. } => (Class::Load, true),
        Check::Availability { .. } => (Class::Monitoring, false),
        Check::Evidence { .. } => (Class::Evidence, false),
        Check::Attestation { .. } => (Class::Attestation, false),
        Check::SameAs { .. } => (Class::Derived, true),
        _ => (Class::Http, true),
    }
}

/// A requirement's class: its first automated check, else its first planned probe, else
/// derived, evidence or attestation. The flag says whether kiemdinh judges it by itself today.
pub fn classify(r: &Requirement) -> (Class, bool) {
    let classes: Vec<(Class, bool)> = r.checks.iter().map(class_of).collect();
    if let Some(c) = classes
        .iter()
        .find(|(c, auto)| *auto && *c != Class::Derived)
    {
        return *c;
    }
    for want in [
        Class::Browser,
        Class::Http,
        Class::Load,
        Class::Monitoring,
        Class::Derived,
        Class::Evidence,
        Class::Attestation,
    ] {
        if let Some(c) = classes.iter().find(|(c, _)| *c == want) {
            return *c;
        }
    }
    (Class::Evidence, false)
}

/// Counts for one checklist and category (or the checklist's total, `category: None`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Row {
    /// Checklist edition.
    pub checklist: String,
    /// Category, or `None` for the checklist's total.
    pub category: Option<Category>,
    /// Requirements.
    pub total: usize,
    /// Judged over HTTP/TLS/DNS.
    pub http: usize,
    /// Need a browser.
    pub browser: usize,
    /// Need a load test.
    pub load: usize,
    /// Need availability monitoring.
    pub monitoring: usize,
    /// Judged by evidence files.
    pub evidence: usize,
    /// Judged by attestations.
    pub attestation: usize,
    /// Judged through other requirements.
    pub derived: usize,
    /// Judged by kiemdinh itself today (the rest are `pending` until evidence is supplied).
    pub automated: usize,
}

impl Row {
    fn add(&mut self, class: Class, automated: bool) {
        self.total += 1;
        match class {
            Class::Http => self.http += 1,
            Class::Browser => self.browser += 1,
            Class::Load => self.load += 1,
            Class::Monitoring => self.monitoring += 1,
            Class::Evidence => self.evidence += 1,
            Class::Attestation => self.attestation += 1,
            Class::Derived => self.derived += 1,
        }
        if automated {
            self.automated += 1;
        }
    }
}

/// Rows per checklist and category, each checklist followed by its total.
pub fn coverage(checklists: &[Checklist]) -> Vec<Row> {
    let mut out = Vec::new();
    for c in checklists {
        let mut total = Row {
            checklist: c.edition.clone(),
            ..Row::default()
        };
        for cat in Category::ALL {
            let mut row = Row {
                checklist: c.edition.clone(),
                category: Some(cat),
                ..Row::default()
            };
            for r in c.requirements.iter().filter(|r| r.category == cat) {
                let (class, auto) = classify(r);
                row.add(class, auto);
                total.add(class, auto);
            }
            if row.total > 0 {
                out.push(row);
            }
        }
        out.push(total);
    }
    out
}

/// The table as text (for `kiemdinh checklist coverage`).
pub fn render(rows: &[Row]) -> String {
    let mut s = format!(
        "{:<17} {:<12} {:>5} {:>5} {:>7} {:>5} {:>7} {:>8} {:>6} {:>7} {:>9}\n",
        "checklist",
        "category",
        "total",
        "http",
        "browser",
        "load",
        "monitor",
        "evidence",
        "attest",
        "derived",
        "automated"
    );
    for r in rows {
        let cat = r.category.map_or("(total)", Category::as_str);
        let _ = writeln!(
            s,
            "{:<17} {:<12} {:>5} {:>5} {:>7} {:>5} {:>7} {:>8} {:>6} {:>7} {:>9}",
            r.checklist,
            cat,
            r.total,
            r.http,
            r.browser,
            r.load,
            r.monitoring,
            r.evidence,
            r.attestation,
            r.derived,
            r.automated
        );
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coverage_counts_add_up_and_name_planned_probes() {
        let c = Checklist::resolve("tt21-2023").unwrap();
        let rows = coverage(std::slice::from_ref(&c));
        let total = rows.last().unwrap();
        assert_eq!(total.category, None);
        assert_eq!(total.total, c.requirements.len());
        assert_eq!(
            total.http
                + total.browser
                + total.load
                + total.monitoring
                + total.evidence
                + total.attestation
                + total.derived,
            total.total
        );
        let perf = rows
            .iter()
            .find(|r| r.category == Some(Category::Performance))
            .unwrap();
        // PL4-1..3 browser, PL4-4 http, PL5-1..4 load, PL5-5 evidence, PL5-6 monitoring; the
        // browser, HTTP and load ones are judged by kiemdinh itself.
        assert_eq!(
            (
                perf.browser,
                perf.http,
                perf.load,
                perf.evidence,
                perf.monitoring,
                perf.automated
            ),
            (3, 1, 4, 1, 1, 8)
        );
        // PL6-2, PL6-3 (browser), PL8-4 and PL8-5 (browser) are automated.
        let class = |id: &str| classify(c.get(id).unwrap());
        assert_eq!(class("PL6-2"), (Class::Browser, true));
        assert_eq!(class("PL8-4"), (Class::Browser, true));
        assert_eq!(class("PL8-5"), (Class::Browser, true));
        assert_eq!(class("SEC-10"), (Class::Http, true));
    }
}

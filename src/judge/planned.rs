//! Checks whose probe kiemdinh does not run yet (browser timings and flows, DNS; load
//! thresholds until a load run is observed, see `load`). They never pass silently: `pending` until evidence or an attestation is supplied (then `attested`),
//! with the threshold shown so the evaluator knows what to prove.
//! TTFB is the exception: the HTTP probe measures it on every sampled page. Page-load metrics
//! measured in a browser are judged by `performance` instead.

use super::{Outcome, list, no_pages, short, supplied};
use crate::checklist::Requirement;
use crate::checklist::check::{PageMetric, PlannedProbe};
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::{Observations, Role};
use crate::text::Text;
use crate::tr;

/// `pending` unless evidence was supplied.
pub(super) fn not_automated(
    req: &Requirement,
    expected: Text,
    probe: &Text,
    obs: &Observations,
) -> Outcome {
    supplied(req, &expected, obs).unwrap_or_else(|| {
        Outcome::new(
            Status::Pending,
            expected,
            Text::new("Chưa đo tự động", "not measured automatically"),
            Text::new(
                format!(
                    "Chưa tự động hóa (cần {}); chờ minh chứng của đơn vị đánh giá",
                    probe.vi
                ),
                format!(
                    "not automated yet (needs the {} probe); awaiting the evaluator's evidence",
                    probe.en
                ),
            ),
        )
    })
}

fn median(mut v: Vec<f64>) -> Option<f64> {
    if v.is_empty() {
        return None;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    Some(if n % 2 == 1 {
        v[n / 2]
    } else {
        f64::midpoint(v[n / 2 - 1], v[n / 2])
    })
}

/// PL4-1, PL4-2, PL4-3, PL4-4 (Phụ lục IV): a page-load metric's median over the fixed page set (home, sample, function pages).
pub fn page_metric(
    req: &Requirement,
    metric: PageMetric,
    max_ms: f64,
    obs: &Observations,
) -> Outcome {
    let expected = Text::new(
        format!(
            "Trung vị {} ≤ {max_ms} ms trên các trang mẫu",
            metric.as_str()
        ),
        format!(
            "median {} ≤ {max_ms} ms over the sampled pages",
            metric.as_str()
        ),
    );
    if let Some(lab) = super::performance::lab_page_metric(metric, max_ms, obs) {
        return lab;
    }
    if metric != PageMetric::Ttfb {
        return not_automated(req, expected, &PlannedProbe::Browser.title(), obs);
    }
    let pages: Vec<_> = obs
        .pages
        .iter()
        .filter(|p| {
            p.roles
                .iter()
                .any(|r| matches!(r, Role::Home | Role::Sample | Role::Function(_)))
                && p.fetch.error.is_none()
                && p.fetch.status.is_some_and(|s| (200..300).contains(&s))
        })
        .collect();
    let Some(m) = median(pages.iter().map(|p| p.fetch.ttfb_ms).collect()) else {
        return no_pages(expected, obs);
    };
    let slow: Vec<String> = pages
        .iter()
        .filter(|p| p.fetch.ttfb_ms > max_ms)
        .map(|p| format!("{} {:.0} ms", short(&p.url, obs), p.fetch.ttfb_ms))
        .collect();
    let worst = pages
        .iter()
        .map(|p| p.fetch.ttfb_ms)
        .fold(0.0_f64, f64::max);
    Outcome::either(
        m <= max_ms,
        expected,
        Text::new(
            format!(
                "Trung vị {m:.0} ms, chậm nhất {worst:.0} ms trên {} trang (đo một lần, phía máy đánh giá)",
                pages.len()
            ),
            format!(
                "median {m:.0} ms, slowest {worst:.0} ms over {} pages (one fetch each, from the evaluator's machine)",
                pages.len()
            ),
        ),
        tr!(
            "Thời gian đáp ứng đạt ngưỡng",
            "response time within the limit"
        ),
        tr!(
            "Thời gian đáp ứng vượt ngưỡng: {}",
            "response time over the limit: {}",
            list(&slow, 5)
        ),
    )
    .with_evidence(pages.first().map(|p| EvidenceRef::url("home page", &p.url)))
}

/// A check for a probe that is planned but not run by this version.
pub fn planned(
    req: &Requirement,
    probe: PlannedProbe,
    description: &Text,
    obs: &Observations,
) -> Outcome {
    not_automated(req, description.clone(), &probe.title(), obs)
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;

    #[test]
    fn planned_checks_are_pending_until_evidence_then_attested() {
        let home = good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu");
        let mut o = obs(&home, "text/html", vec![]);
        for id in ["PL4-2", "PL5-1", "PL8-5", "PL5-6"] {
            assert_eq!(status(id, &o), Status::Pending, "{id}");
        }
        o.evidence = vec![crate::observation::EvidenceFile {
            requirement: "PL4-2".into(),
            original: "lighthouse.json".into(),
            stored_as: "evidence/PL4-2-lighthouse.json".into(),
            bytes: 10,
            sha256: "0".repeat(64),
        }];
        assert_eq!(status("PL4-2", &o), Status::Attested);
    }
}

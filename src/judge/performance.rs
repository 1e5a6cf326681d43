//! PL4-1, PL4-2, PL4-3, PL4-4 (Phụ lục IV) from lab page loads in a browser: every measured
//! page's median over its runs must be within the limit. The statistics are recomputed from
//! the raw runs, so a stored evaluation re-judges the same way. Without browser runs the
//! HTTP-probe judge in `planned` decides (TTFB measured, the others pending).

use super::{Outcome, list, short};
use crate::checklist::check::PageMetric;
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::{LabMetric, Observations, ThrottlingProfile};
use crate::text::Text;
use crate::tr;

/// Pages listed at most in `observed`.
const SHOWN: usize = 20;

fn lab_metric(metric: PageMetric) -> LabMetric {
    match metric {
        PageMetric::Fcp => LabMetric::Fcp,
        PageMetric::Lcp => LabMetric::Lcp,
        PageMetric::SpeedIndex => LabMetric::SpeedIndex,
        PageMetric::Ttfb => LabMetric::Ttfb,
    }
}

/// How the figures were obtained, as the report must say it (never "Lighthouse scores").
fn method(obs: &Observations) -> Text {
    let throttled = obs
        .page_metrics
        .iter()
        .filter(|p| p.profile != ThrottlingProfile::None)
        .count();
    if throttled == obs.page_metrics.len() {
        tr!(
            "đo trong phòng thí nghiệm, giả lập mạng và CPU",
            "lab, applied throttling"
        )
    } else if throttled == 0 {
        tr!(
            "đo trong phòng thí nghiệm, không giả lập mạng",
            "lab, no throttling"
        )
    } else {
        tr!(
            "đo trong phòng thí nghiệm, giả lập mạng và CPU trừ hồ sơ none",
            "lab, applied throttling except the none profile"
        )
    }
}

/// PL4-1, PL4-2, PL4-3, PL4-4: the verdict from browser runs; `None` when no page was
/// measured in a browser (the caller falls back to the HTTP probe).
pub(super) fn lab_page_metric(
    metric: PageMetric,
    max_ms: f64,
    obs: &Observations,
) -> Option<Outcome> {
    if obs.page_metrics.is_empty() {
        return None;
    }
    let lab = lab_metric(metric);
    let name = metric.as_str();
    let expected = Text::new(
        format!("Trung vị {name} của mỗi trang đo ≤ {max_ms} ms"),
        format!("each measured page's median {name} ≤ {max_ms} ms"),
    );
    let (mut lines_vi, mut lines_en) = (Vec::new(), Vec::new());
    let mut slow = Vec::new();
    let mut unmeasured = Vec::new();
    for p in &obs.page_metrics {
        let page = format!("{} ({})", short(&p.url, obs), p.profile.as_str());
        if let Some(s) = p.spread(lab) {
            lines_vi.push(format!(
                "{page}: trung vị {:.0} ms, p75 {:.0} ms, {:.0}–{:.0} ms, {}/{} lần đo",
                s.median, s.p75, s.min, s.max, s.runs, p.runs
            ));
            lines_en.push(format!(
                "{page}: median {:.0} ms, p75 {:.0} ms, {:.0}–{:.0} ms, {}/{} runs",
                s.median, s.p75, s.min, s.max, s.runs, p.runs
            ));
            if s.median > max_ms {
                slow.push(format!("{page} {:.0} ms", s.median));
            }
        } else {
            let why = p.problems();
            if why.is_empty() {
                lines_vi.push(format!("{page}: không đo được trong {} lần", p.runs));
                lines_en.push(format!("{page}: not measured in {} runs", p.runs));
            } else {
                // The probe's own messages, in English.
                lines_vi.push(format!("{page}: {}", list(&why, 2)));
                lines_en.push(format!("{page}: {}", list(&why, 2)));
            }
            unmeasured.push(page);
        }
    }
    let mut suffix = method(obs);
    if metric == PageMetric::Ttfb {
        let mut formulas: Vec<&str> = obs
            .page_metrics
            .iter()
            .map(|p| p.ttfb_definition.formula())
            .collect();
        formulas.sort_unstable();
        formulas.dedup();
        let formulas = formulas.join(", ");
        let (vi, en) = (format!("TTFB = {formulas}"), format!("TTFB = {formulas}"));
        suffix = Text::new(
            format!("{}; {vi}", suffix.vi),
            format!("{}; {en}", suffix.en),
        );
    }
    let observed = Text::new(
        format!("{} ({})", list(&lines_vi, SHOWN), suffix.vi),
        format!("{} ({})", list(&lines_en, SHOWN), suffix.en),
    );
    let evidence = obs
        .page_metrics
        .iter()
        .take(SHOWN)
        .map(|p| EvidenceRef::url(format!("{} ({})", name, p.profile.as_str()), &p.url));
    let outcome = if !slow.is_empty() {
        Outcome::fail(
            expected,
            observed,
            tr!(
                "{name} vượt ngưỡng: {}",
                "{name} over the limit: {}",
                list(&slow, 5)
            ),
        )
    } else if !unmeasured.is_empty() {
        Outcome::new(
            Status::Error,
            expected,
            observed,
            tr!(
                "Không đo được {name} trên: {}",
                "{name} could not be measured on: {}",
                list(&unmeasured, 5)
            ),
        )
    } else {
        Outcome::pass(
            expected,
            observed,
            tr!(
                "{name} trong ngưỡng trên mọi trang đo",
                "{name} within the limit on every measured page"
            ),
        )
    };
    Some(outcome.with_evidence(evidence))
}

/// D4-1 (good user experience; CLS is not in the circular's list, see the checklist's notes):
/// every timed page's median Cumulative Layout Shift over its lab runs is at most `max_cls`.
pub fn layout_stability(max_cls: f64, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!("Trung vị CLS của mỗi trang đo ≤ {max_cls}"),
        format!("each timed page's median CLS ≤ {max_cls}"),
    );
    if obs.page_metrics.is_empty() {
        return Outcome::error(
            expected,
            Text::new(
                "Không có trang nào được đo trên trình duyệt",
                "no page was timed in the browser",
            ),
        );
    }
    let (mut lines_vi, mut lines_en) = (Vec::new(), Vec::new());
    let (mut shifting, mut unmeasured) = (Vec::new(), Vec::new());
    for p in &obs.page_metrics {
        let page = format!("{} ({})", short(&p.url, obs), p.profile.as_str());
        if let Some(s) = p.spread(LabMetric::Cls) {
            lines_vi.push(format!(
                "{page}: trung vị {:.3}, p75 {:.3}, {:.3}–{:.3}, {}/{} lần đo",
                s.median, s.p75, s.min, s.max, s.runs, p.runs
            ));
            lines_en.push(format!(
                "{page}: median {:.3}, p75 {:.3}, {:.3}–{:.3}, {}/{} runs",
                s.median, s.p75, s.min, s.max, s.runs, p.runs
            ));
            if s.median > max_cls {
                shifting.push(format!("{page} {:.3}", s.median));
            }
        } else {
            lines_vi.push(format!("{page}: không đo được CLS"));
            lines_en.push(format!("{page}: CLS not measured"));
            unmeasured.push(page);
        }
    }
    let how = method(obs);
    let observed = Text::new(
        format!("{} ({})", list(&lines_vi, SHOWN), how.vi),
        format!("{} ({})", list(&lines_en, SHOWN), how.en),
    );
    let outcome = if !shifting.is_empty() {
        Outcome::fail(
            expected,
            observed,
            tr!(
                "Bố cục dịch chuyển quá ngưỡng: {}",
                "layout shifts over the limit: {}",
                list(&shifting, 5)
            ),
        )
    } else if !unmeasured.is_empty() {
        Outcome::new(
            Status::Error,
            expected,
            observed,
            tr!(
                "Không đo được CLS trên: {}",
                "CLS could not be measured on: {}",
                list(&unmeasured, 5)
            ),
        )
    } else {
        Outcome::pass(
            expected,
            observed,
            tr!(
                "Bố cục ổn định trên mọi trang đo",
                "the layout is stable on every timed page"
            ),
        )
    };
    outcome.with_evidence(
        obs.page_metrics
            .iter()
            .take(SHOWN)
            .map(|p| EvidenceRef::url(format!("CLS ({})", p.profile.as_str()), &p.url)),
    )
}

#[cfg(test)]
mod tests {
    use crate::checklist::Checklist;
    use crate::evaluation::Status;
    use crate::judge::judge;
    use crate::judge::tests::*;
    use crate::observation::{
        MetricRun, Observations, PageMetrics, ThrottlingProfile, TtfbDefinition,
    };

    fn runs(fcp: [f64; 3]) -> Vec<MetricRun> {
        fcp.iter()
            .map(|&f| MetricRun {
                ttfb_ms: Some(f / 4.0),
                fcp_ms: Some(f),
                lcp_ms: Some(f + 500.0),
                speed_index_ms: Some(f + 800.0),
                cls: Some(0.01),
                ..MetricRun::default()
            })
            .collect()
    }

    fn measured(pages: &[(&str, ThrottlingProfile, [f64; 3])]) -> Observations {
        let mut o = obs(
            &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
            "text/html",
            vec![],
        );
        o.page_metrics = pages
            .iter()
            .map(|(path, profile, fcp)| {
                PageMetrics::from_runs(
                    format!("{BASE}{path}"),
                    *profile,
                    TtfbDefinition::NavigationResponseStart,
                    runs(*fcp),
                )
            })
            .collect();
        o
    }

    fn verdict(id: &str, o: &Observations) -> crate::evaluation::Verdict {
        let c = Checklist::resolve("tt21-2023").unwrap();
        if id == "D4-1" {
            // D4-1 rests on PL3-1..3 too (`same-as`): judged the way a run judges it.
            let mut o = o.clone();
            o.version = crate::observation::OBSERVATIONS_VERSION;
            return crate::judge::judge_all(&[c], &o, "province", &[id.into()], &[], |_| {})
                .into_iter()
                .find(|j| j.verdict.id.as_str() == id)
                .unwrap()
                .verdict;
        }
        judge(c.get(id).unwrap(), o)
    }

    #[test]
    fn pl4_metrics_pass_when_every_page_median_is_within_the_limit() {
        let o = measured(&[
            ("", ThrottlingProfile::Mobile, [1000.0, 1200.0, 5000.0]),
            (
                "thu-tuc/",
                ThrottlingProfile::Mobile,
                [900.0, 1100.0, 1300.0],
            ),
        ]);
        for id in ["PL4-1", "PL4-2", "PL4-3", "PL4-4"] {
            let v = verdict(id, &o);
            assert_eq!(v.status, Status::Pass, "{id}: {}", v.observed.en);
            assert!(
                v.observed.en.contains("lab, applied throttling"),
                "{}",
                v.observed.en
            );
            assert!(
                v.observed.en.contains("/thu-tuc/ (mobile)"),
                "{}",
                v.observed.en
            );
            assert_eq!(v.evidence.len(), 2);
        }
        let fcp = verdict("PL4-1", &o).observed.en;
        // One slow run moves the p75, not the median.
        assert!(
            fcp.contains("/ (mobile): median 1200 ms, p75 3100 ms, 1000–5000 ms, 3/3 runs"),
            "{fcp}"
        );
        assert!(
            verdict("PL4-4", &o)
                .observed
                .en
                .contains("responseStart − activationStart")
        );
        let vi = verdict("PL4-1", &o).observed.vi;
        assert!(vi.contains("/ (mobile): trung vị 1200 ms"), "{vi}");
        assert!(vi.contains("giả lập mạng và CPU"), "{vi}");
    }

    #[test]
    fn pl4_metrics_fail_when_one_page_median_is_over_the_limit() {
        let o = measured(&[
            ("", ThrottlingProfile::Mobile, [1000.0, 1100.0, 1200.0]),
            (
                "thu-tuc/",
                ThrottlingProfile::Desktop,
                [1700.0, 1900.0, 2000.0],
            ),
        ]);
        let v = verdict("PL4-1", &o);
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.message.en.contains("/thu-tuc/ (desktop) 1900 ms"),
            "{}",
            v.message.en
        );
        // LCP 2400 ≤ 2500 and Speed Index 2700 ≤ 3400 still pass; TTFB 475 ≤ 800.
        assert_eq!(verdict("PL4-2", &o).status, Status::Pass);
        assert_eq!(verdict("PL4-3", &o).status, Status::Pass);
        assert_eq!(verdict("PL4-4", &o).status, Status::Pass);
    }

    #[test]
    fn a_page_without_the_metric_is_an_error_and_says_why() {
        let mut o = measured(&[("", ThrottlingProfile::None, [1000.0, 1100.0, 1200.0])]);
        for r in &mut o.page_metrics[0].raw {
            r.speed_index_ms = None;
            r.notes = vec!["Speed Index: no frames".into()];
        }
        let v = verdict("PL4-3", &o);
        assert_eq!(v.status, Status::Error, "{}", v.observed.en);
        assert!(v.observed.en.contains("Speed Index: no frames"));
        assert!(v.observed.en.contains("lab, no throttling"));
        assert_eq!(verdict("PL4-1", &o).status, Status::Pass);
    }

    #[test]
    fn d4_1_fails_on_layout_shift_while_its_planned_part_waits_and_a_pass_stays_pending() {
        let mut o = measured(&[("", ThrottlingProfile::Mobile, [1000.0, 1100.0, 1200.0])]);
        let v = verdict("D4-1", &o);
        // CLS 0.01 passes; the planned mobile/accessibility part keeps D4-1 pending.
        assert_eq!(v.status, Status::Pending, "{}", v.observed.en);
        assert!(
            v.observed.en.contains("/ (mobile): median 0.010"),
            "{}",
            v.observed.en
        );
        for r in &mut o.page_metrics[0].raw {
            r.cls = Some(0.25);
        }
        o.page_metrics[0] = PageMetrics::from_runs(
            o.page_metrics[0].url.clone(),
            ThrottlingProfile::Mobile,
            TtfbDefinition::NavigationResponseStart,
            o.page_metrics[0].raw.clone(),
        );
        let v = verdict("D4-1", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(
            v.message
                .en
                .contains("layout shifts over the limit: / (mobile) 0.250"),
            "{}",
            v.message.en
        );
    }

    #[test]
    fn layout_stability_without_cls_or_timed_pages_is_an_error() {
        let mut o = measured(&[("", ThrottlingProfile::Mobile, [1000.0, 1100.0, 1200.0])]);
        for r in &mut o.page_metrics[0].raw {
            r.cls = None;
        }
        let out = super::layout_stability(0.1, &o);
        assert_eq!(out.status, Status::Error, "{}", out.observed.en);
        assert!(out.message.en.contains("CLS could not be measured"));
        o.page_metrics.clear();
        assert_eq!(super::layout_stability(0.1, &o).status, Status::Error);
        // Skipped browser: D4-1's CLS part is skipped, the requirement stays pending.
        o.browser = Some(browser_run(
            crate::observation::BrowserStatus::Skipped,
            Some("--no-browser"),
        ));
        assert_eq!(verdict("D4-1", &o).status, Status::Pending);
        assert_eq!(verdict("PL4-1", &o).status, Status::Skipped);
        assert_eq!(verdict("PL4-4", &o).status, Status::Pass);
    }

    #[test]
    fn without_browser_runs_ttfb_comes_from_the_http_probe_and_the_rest_wait() {
        let o = obs(
            &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
            "text/html",
            vec![],
        );
        for id in ["PL4-1", "PL4-2", "PL4-3"] {
            assert_eq!(status(id, &o), Status::Pending, "{id}");
        }
        let v = verdict("PL4-4", &o);
        assert_eq!(v.status, Status::Pass);
        assert!(
            v.observed.en.contains("one fetch each"),
            "{}",
            v.observed.en
        );
    }
}

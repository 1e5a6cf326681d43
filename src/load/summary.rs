//! From raw figures to what the judges read: a [`Segment`] (one process, or the merge of a
//! run's segments) summarised into a [`LoadRun`] — exact percentiles from its histograms,
//! requests per second, and the warnings its counters imply.

use super::merge::is_derived;
use super::segment::Segment;
use crate::observation::{LoadRun, LoadWarning, StepStats};

/// The warnings a segment's counters imply: coordinated omission (requests sent late behind
/// slow answers), arrivals dropped (open model), users short of the plan.
fn derived_warnings(seg: &Segment) -> Vec<LoadWarning> {
    let mut out = Vec::new();
    if seg.late_requests > 0 {
        out.push(LoadWarning::CoordinatedOmission {
            late_requests: seg.late_requests,
            worst_delay_ms: seg.worst_delay_us as f64 / 1000.0,
        });
    }
    if seg.dropped_arrivals > 0 {
        out.push(LoadWarning::ArrivalsDropped {
            dropped: seg.dropped_arrivals,
        });
    }
    if seg.users < seg.planned_users {
        out.push(LoadWarning::UsersShort {
            planned: seg.planned_users,
            reached: seg.users,
        });
    }
    out
}

/// Summarises a segment: latency of every request and per step from the histograms, requests
/// per second over the measured window (0 when nothing was measured), journeys and errors as
/// recorded, and warnings — the segment's own (deduplicated, in order) followed by the ones
/// its counters imply ([`LoadWarning::CoordinatedOmission`], [`LoadWarning::ArrivalsDropped`],
/// [`LoadWarning::UsersShort`]; a copy of these kinds written by the segment is replaced by the
/// figure computed from the counters). `segments` is `of` for a merge (index 0), else 1. The
/// capacity fields are left empty: the capacity search fills them.
pub fn summarise(seg: &Segment) -> LoadRun {
    let mut warnings: Vec<LoadWarning> = Vec::new();
    for w in seg.warnings.iter().filter(|w| !is_derived(w)) {
        if !warnings.contains(w) {
            warnings.push(w.clone());
        }
    }
    warnings.extend(derived_warnings(seg));
    let rps = if seg.measured_s > 0.0 {
        seg.requests as f64 / seg.measured_s
    } else {
        0.0
    };
    LoadRun {
        mode: seg.mode,
        target: seg.target.clone(),
        target_users: seg.target_users,
        target_active_share: seg.target_active_share,
        users: seg.users,
        active_users: seg.active_users,
        duration_s: seg.measured_s,
        requests: seg.requests,
        errors: seg.errors,
        rps,
        latency_ms: seg.overall.latency(),
        by_step: seg
            .steps
            .iter()
            .map(|s| StepStats {
                journey: s.journey.clone(),
                step: s.step.clone(),
                requests: s.requests,
                errors: s.errors,
                latency_ms: s.hist.latency(),
            })
            .collect(),
        journeys: seg.journeys.clone(),
        errors_by_status: seg.errors_by_status.clone(),
        errors_by_kind: seg.errors_by_kind.clone(),
        warnings,
        segments: if seg.index == 0 { seg.of } else { 1 },
        capacity_users: None,
        steps: Vec::new(),
        started_at: seg.started_at.clone(),
        finished_at: seg.finished_at.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load::Hist;
    use crate::load::segment::{SEGMENT_FORMAT, StepRecord};
    use crate::observation::{JourneyStats, LoadMode};

    fn hist(values_us: &[u64]) -> Hist {
        let mut h = Hist::new();
        for v in values_us {
            h.record_us(*v);
        }
        h
    }

    fn segment() -> Segment {
        Segment {
            format: SEGMENT_FORMAT,
            tool_version: "0.4.0".into(),
            index: 1,
            of: 1,
            mode: LoadMode::Closed,
            target: "http://127.0.0.1:8080/".into(),
            target_users: 10,
            target_active_share: 0.2,
            planned_users: 10,
            users: 10,
            active_users: 2,
            measured_s: 4.0,
            requests: 8,
            errors: 1,
            overall: hist(&[1_000, 2_000, 3_000, 4_000, 5_000, 6_000, 7_000, 80_000]),
            steps: vec![
                StepRecord {
                    journey: "citizen".into(),
                    step: "1 GET /".into(),
                    requests: 4,
                    errors: 0,
                    hist: hist(&[1_000, 2_000, 3_000, 4_000]),
                },
                StepRecord {
                    journey: "citizen".into(),
                    step: "2 GET /thu-tuc/".into(),
                    requests: 4,
                    errors: 1,
                    hist: hist(&[5_000, 6_000, 7_000, 80_000]),
                },
            ],
            journeys: vec![JourneyStats {
                name: "citizen".into(),
                transactional: false,
                users: 10,
                completed: 3,
                failed: 1,
            }],
            errors_by_status: [("503".to_string(), 1)].into(),
            errors_by_kind: [("status".to_string(), 1)].into(),
            started_at: "2026-11-29T23:00:00Z".into(),
            finished_at: "2026-11-29T23:00:05Z".into(),
            ..Segment::default()
        }
    }

    #[test]
    fn summarises_latency_rps_steps_and_errors() {
        let run = summarise(&segment());
        assert_eq!(run.latency_ms.count, 8);
        assert!(
            (run.latency_ms.max - 80.0).abs() < 0.1,
            "{:?}",
            run.latency_ms
        );
        assert!((run.latency_ms.min - 1.0).abs() < 0.01);
        assert!((run.rps - 2.0).abs() < 1e-9);
        assert_eq!(run.by_step.len(), 2);
        assert_eq!(run.by_step[0].step, "1 GET /");
        assert!((run.by_step[1].latency_ms.max - 80.0).abs() < 0.1);
        assert_eq!(run.by_step[1].errors, 1);
        assert_eq!(run.errors_by_status["503"], 1);
        assert_eq!(run.errors_by_kind["status"], 1);
        assert_eq!(run.journeys[0].completed, 3);
        assert_eq!(run.segments, 1);
        assert!(run.warnings.is_empty(), "{:?}", run.warnings);
        assert!(run.steps.is_empty() && run.capacity_users.is_none());
        assert!((run.duration_s - 4.0).abs() < 1e-12);
        assert_eq!(run.started_at, "2026-11-29T23:00:00Z");
    }

    #[test]
    fn nothing_measured_gives_zero_rps_and_empty_latency() {
        let mut s = segment();
        s.measured_s = 0.0;
        s.overall = Hist::new();
        let run = summarise(&s);
        assert!(run.rps.abs() < f64::EPSILON);
        assert_eq!(run.latency_ms.count, 0);
    }

    #[test]
    fn counters_imply_warnings_once_and_segment_warnings_are_kept() {
        let mut s = segment();
        s.late_requests = 5;
        s.worst_delay_us = 1_500_000;
        s.dropped_arrivals = 3;
        s.users = 7;
        s.warnings = vec![
            LoadWarning::Interrupted,
            LoadWarning::Interrupted,
            // A stale copy of a derived warning is replaced by the counters' figure.
            LoadWarning::UsersShort {
                planned: 10,
                reached: 9,
            },
        ];
        let run = summarise(&s);
        assert_eq!(
            run.warnings,
            vec![
                LoadWarning::Interrupted,
                LoadWarning::CoordinatedOmission {
                    late_requests: 5,
                    worst_delay_ms: 1500.0
                },
                LoadWarning::ArrivalsDropped { dropped: 3 },
                LoadWarning::UsersShort {
                    planned: 10,
                    reached: 7
                },
            ]
        );
        // Summarising twice gives the same result (deterministic).
        assert_eq!(summarise(&s), run);
    }

    #[test]
    fn a_merged_segment_counts_its_parts() {
        let mut s = segment();
        s.index = 0;
        s.of = 3;
        assert_eq!(summarise(&s).segments, 3);
        s.index = 2;
        assert_eq!(summarise(&s).segments, 1);
    }
}

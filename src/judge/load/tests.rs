//! PL5-1, PL5-2, PL5-3, PL5-4 against load runs built by hand. Fixtures sit on either side
//! of the shipped checklist's own thresholds (read from it, not typed here).
#![expect(
    clippy::cast_sign_loss,
    reason = "fixture counts derived from positive thresholds"
)]

use crate::checklist::{Check, Checklist};
use crate::evaluation::{Status, Verdict};
use crate::judge::judge;
use crate::observation::{
    CapacityStep, JourneyStats, Latency, LoadMode, LoadRun, LoadWarning, Observations,
};

fn tt21() -> Checklist {
    Checklist::resolve("tt21-2023").unwrap()
}

/// The one threshold of a PL5 requirement (`max-ms`, `max-error-rate` or `min-active-ratio`).
fn limit(id: &str) -> f64 {
    match &tt21().get(id).unwrap().checks[0] {
        Check::LoadThreshold {
            max_ms,
            max_error_rate,
            min_active_ratio,
            ..
        } => max_ms.or(*max_error_rate).or(*min_active_ratio).unwrap(),
        other => panic!("{id}: {other:?}"),
    }
}

/// Response times well within PL5-1 (mean) and PL5-2 (slowest).
fn good_latency() -> Latency {
    let mean = limit("PL5-1") * 0.1;
    let max = limit("PL5-2") * 0.5;
    Latency {
        count: 1000,
        mean,
        min: 5.0,
        p50: mean,
        p90: mean * 2.0,
        p95: mean * 3.0,
        p99: mean * 4.0,
        p999: max,
        max,
    }
}

/// A run at the target load holding every PL5 threshold.
fn good_run() -> LoadRun {
    let target = 60;
    // Transactional users just above PL5-4's share of the target.
    let active = (f64::from(target) * limit("PL5-4")).ceil() as u32 + 1;
    LoadRun {
        mode: LoadMode::Closed,
        target: "http://127.0.0.1:8080/".into(),
        target_users: target,
        target_active_share: f64::from(active) / f64::from(target),
        users: target,
        active_users: active,
        duration_s: 20.0,
        requests: 1000,
        errors: 0,
        rps: 50.0,
        latency_ms: good_latency(),
        journeys: vec![
            JourneyStats {
                name: "citizen".into(),
                transactional: false,
                users: target - active,
                completed: 200,
                failed: 0,
            },
            JourneyStats {
                name: "dossier".into(),
                transactional: true,
                users: active,
                completed: 40,
                failed: 0,
            },
        ],
        segments: 1,
        started_at: "2026-11-29T23:00:00Z".into(),
        finished_at: "2026-11-29T23:00:30Z".into(),
        ..LoadRun::default()
    }
}

fn with(load: Option<LoadRun>) -> Observations {
    Observations {
        base_url: "http://127.0.0.1:8080/".into(),
        load,
        ..Observations::default()
    }
}

fn verdict(id: &str, load: &LoadRun) -> Verdict {
    judge(tt21().get(id).unwrap(), &with(Some(load.clone())))
}

const ALL: [&str; 4] = ["PL5-1", "PL5-2", "PL5-3", "PL5-4"];

#[test]
fn pl5_pending_without_a_load_run() {
    let c = tt21();
    for id in ALL {
        let v = judge(c.get(id).unwrap(), &with(None));
        assert_eq!(v.status, Status::Pending, "{id}");
        assert!(
            v.message.en.contains("load probe"),
            "{id}: {}",
            v.message.en
        );
        // The expected text reports show is unchanged.
        assert!(
            v.expected.en.starts_with("at the scenario's target load: "),
            "{}",
            v.expected.en
        );
    }
}

#[test]
fn pl5_1_to_pl5_4_pass_at_the_target_load() {
    let run = good_run();
    for id in ALL {
        let v = verdict(id, &run);
        assert_eq!(
            v.status,
            Status::Pass,
            "{id}: {} / {}",
            v.observed.en,
            v.message.en
        );
        assert!(
            v.observed.en.contains("60 concurrent users (target 60)"),
            "{}",
            v.observed.en
        );
        assert!(
            v.observed.vi.contains("60 người dùng đồng thời"),
            "{}",
            v.observed.vi
        );
        assert!(
            v.evidence
                .iter()
                .any(|e| e.file.as_deref() == Some("load.json")),
            "{id}"
        );
    }
    let v = verdict("PL5-4", &run);
    assert!(
        v.observed
            .en
            .contains("40 transactional journeys completed"),
        "{}",
        v.observed.en
    );
}

#[test]
fn pl5_1_fails_when_the_mean_reaches_its_limit() {
    let mut run = good_run();
    run.latency_ms.mean = limit("PL5-1");
    let v = verdict("PL5-1", &run);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(v.message.en.contains("mean"), "{}", v.message.en);
    assert!(v.message.vi.contains("trung bình"), "{}", v.message.vi);
    // The other thresholds are not about the mean.
    assert_eq!(verdict("PL5-2", &run).status, Status::Pass);
}

#[test]
fn pl5_2_fails_when_the_slowest_answer_is_over() {
    let mut run = good_run();
    run.latency_ms.max = limit("PL5-2") * 1.5;
    let v = verdict("PL5-2", &run);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(v.message.en.contains("slowest"), "{}", v.message.en);
    assert_eq!(verdict("PL5-1", &run).status, Status::Pass);
}

#[test]
fn pl5_3_fails_over_the_error_rate_and_shows_errors_by_status() {
    let mut run = good_run();
    run.errors = (limit("PL5-3") * 1000.0).ceil() as u64 * 3;
    run.errors_by_status = [("503".to_string(), run.errors - 2), ("500".into(), 2)].into();
    run.errors_by_kind = [("status".to_string(), run.errors)].into();
    let v = verdict("PL5-3", &run);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(v.message.en.contains("error rate"), "{}", v.message.en);
    assert!(
        v.observed.en.contains("500 × 2, 503 × "),
        "{}",
        v.observed.en
    );
    // Just under the limit passes.
    run.errors = (limit("PL5-3") * 1000.0).ceil() as u64 - 1;
    assert_eq!(verdict("PL5-3", &run).status, Status::Pass);
}

#[test]
fn pl5_4_fails_with_too_few_transactional_users_or_none_completed() {
    let mut run = good_run();
    run.active_users = (f64::from(run.target_users) * limit("PL5-4")).floor() as u32 - 1;
    let v = verdict("PL5-4", &run);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(
        v.message.en.contains("transactional users"),
        "{}",
        v.message.en
    );

    let mut run = good_run();
    run.journeys[1].completed = 0;
    run.journeys[1].failed = 40;
    let v = verdict("PL5-4", &run);
    assert_eq!(v.status, Status::Fail, "{}", v.message.en);
    assert!(
        v.message.en.contains("no transactional journey completed"),
        "{}",
        v.message.en
    );
}

#[test]
fn pl5_4_is_an_error_when_the_scenario_cannot_test_it() {
    let mut run = good_run();
    run.target_active_share = limit("PL5-4") / 2.0;
    let v = verdict("PL5-4", &run);
    assert_eq!(v.status, Status::Error, "{}", v.message.en);
    assert!(
        v.message
            .en
            .contains("raise the scenario's transactional share")
    );
    let mut run = good_run();
    run.journeys.retain(|j| !j.transactional);
    let v = verdict("PL5-4", &run);
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message.en.contains("no transactional journey"),
        "{}",
        v.message.en
    );
}

#[test]
fn pl5_is_an_error_when_the_run_fell_short_of_the_target() {
    let mut run = good_run();
    run.users = 45;
    run.warnings = vec![LoadWarning::UsersShort {
        planned: 60,
        reached: 45,
    }];
    for id in ALL {
        let v = verdict(id, &run);
        assert_eq!(v.status, Status::Error, "{id}");
        assert!(
            v.message.en.contains("reached 45 of 60 users"),
            "{}",
            v.message.en
        );
    }
}

#[test]
fn pl5_is_an_error_when_interrupted_with_the_figures_shown() {
    let mut run = good_run();
    run.warnings = vec![LoadWarning::Interrupted];
    for id in ALL {
        let v = verdict(id, &run);
        assert_eq!(v.status, Status::Error, "{id}");
        assert!(v.message.en.contains("interrupted"), "{}", v.message.en);
        assert!(v.observed.en.contains("1000 requests"), "{}", v.observed.en);
    }
}

#[test]
fn pl5_is_an_error_without_requests_or_without_a_target() {
    let mut run = good_run();
    run.requests = 0;
    run.rps = 0.0;
    run.latency_ms = Latency::default();
    for id in ALL {
        let v = verdict(id, &run);
        assert_eq!(v.status, Status::Error, "{id}");
        assert!(v.message.en.contains("no request"), "{}", v.message.en);
    }
    let mut run = good_run();
    run.target_users = 0;
    let v = verdict("PL5-3", &run);
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message.en.contains("no target concurrency"),
        "{}",
        v.message.en
    );
}

fn step(users: u32, latency: Latency, errors: u64, broke: Option<&str>) -> CapacityStep {
    CapacityStep {
        users,
        duration_s: 10.0,
        requests: 500,
        errors,
        rps: 50.0,
        latency_ms: latency,
        passed: broke.is_none(),
        broke: broke.map(str::to_string),
    }
}

#[test]
fn pl5_fails_when_the_capacity_search_broke_below_the_target() {
    let mut run = good_run();
    let mut slow = good_latency();
    slow.mean = limit("PL5-1") * 2.0;
    run.users = 40;
    run.steps = vec![
        step(20, good_latency(), 0, None),
        step(40, slow, 0, Some("mean 20000 ms ≥ 10000 ms")),
    ];
    run.capacity_users = Some(20);
    for id in ["PL5-1", "PL5-2", "PL5-3"] {
        let v = verdict(id, &run);
        assert_eq!(v.status, Status::Fail, "{id}: {}", v.message.en);
        assert!(
            v.message
                .en
                .contains("the portal broke at 40 users, below the target 60: mean 20000 ms"),
            "{}",
            v.message.en
        );
        assert!(v.observed.en.contains("40-user step"), "{}", v.observed.en);
    }
    // The active share is not measured below the target: no verdict on it.
    assert_eq!(verdict("PL5-4", &run).status, Status::Error);
    // A failed step without a reason still fails, without a dangling colon.
    run.steps[1].broke = None;
    let v = verdict("PL5-1", &run);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.message.en.ends_with("below the target 60"),
        "{}",
        v.message.en
    );
}

#[test]
fn pl5_reads_the_capacity_step_at_the_target() {
    let mut run = good_run();
    let mut slow = good_latency();
    slow.mean = limit("PL5-1") * 2.0;
    // The run-level figures are the last (broken) step's; the target step is what counts.
    run.users = 90;
    run.latency_ms = slow.clone();
    run.steps = vec![
        step(30, good_latency(), 0, None),
        step(60, good_latency(), 0, None),
        step(90, slow.clone(), 0, Some("mean")),
    ];
    run.capacity_users = Some(60);
    let v = verdict("PL5-1", &run);
    assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    assert!(
        v.observed.en.contains("the 60-user step"),
        "{}",
        v.observed.en
    );
    // The step at the target broke: it fails there.
    run.steps[1] = step(60, slow, 0, Some("mean"));
    run.capacity_users = Some(30);
    assert_eq!(verdict("PL5-1", &run).status, Status::Fail);
    // Every step passed but none reached the target: no figures at the target.
    let mut run = good_run();
    run.users = 40;
    run.steps = vec![
        step(20, good_latency(), 0, None),
        step(40, good_latency(), 0, None),
    ];
    run.capacity_users = Some(40);
    assert_eq!(verdict("PL5-1", &run).status, Status::Error);
}

#[test]
fn coordinated_omission_is_told_without_changing_the_verdict() {
    let mut run = good_run();
    run.segments = 3;
    run.warnings = vec![LoadWarning::CoordinatedOmission {
        late_requests: 12,
        worst_delay_ms: 850.5,
    }];
    let v = verdict("PL5-1", &run);
    assert_eq!(v.status, Status::Pass);
    assert!(
        v.message.en.contains("12 requests were sent late"),
        "{}",
        v.message.en
    );
    assert!(v.message.en.contains("850.5 ms"), "{}", v.message.en);
    assert!(
        v.message.vi.contains("12 yêu cầu bị gửi trễ"),
        "{}",
        v.message.vi
    );
    assert!(
        v.observed.en.contains("merged from 3 load segments"),
        "{}",
        v.observed.en
    );
    run.latency_ms.mean = limit("PL5-1") * 3.0;
    let v = verdict("PL5-1", &run);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.message.en.contains("coordinated omission"),
        "{}",
        v.message.en
    );
}

#[test]
fn every_key_of_a_check_must_hold() {
    // A check with two keys (the checklist format allows it).
    let mut req = tt21().get("PL5-3").unwrap().clone();
    req.checks = vec![Check::LoadThreshold {
        statistic: Some(crate::checklist::check::LoadStatistic::P99),
        max_ms: Some(limit("PL5-1")),
        max_error_rate: Some(limit("PL5-3")),
        min_active_ratio: None,
    }];
    let mut run = good_run();
    let j = |r: &LoadRun| judge(&req, &with(Some(r.clone())));
    assert_eq!(j(&run).status, Status::Pass);
    assert!(
        j(&run).observed.en.contains("p99"),
        "{}",
        j(&run).observed.en
    );
    run.latency_ms.p99 = limit("PL5-1");
    let v = j(&run);
    assert_eq!(v.status, Status::Fail);
    assert!(v.message.en.contains("p99"), "{}", v.message.en);
    assert!(!v.message.en.contains("error rate"), "{}", v.message.en);
    run.errors = 500;
    let v = j(&run);
    assert!(v.message.en.contains("p99") && v.message.en.contains("error rate"));
}

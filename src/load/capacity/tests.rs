use super::*;
use crate::checklist::overrides;

fn latency(mean: f64, p95: f64, p99: f64, max: f64) -> Latency {
    Latency {
        count: 100,
        mean,
        min: 1.0,
        p50: mean,
        p90: p95,
        p95,
        p99,
        p999: max,
        max,
    }
}

fn tt21() -> Checklist {
    Checklist::resolve("tt21-2023").unwrap()
}

#[test]
fn limits_come_from_the_shipped_checklist() {
    let l = Limits::from_checklists(&[tt21()]);
    // PL5-1 mean, PL5-2 max, PL5-3 error rate: whatever the checklist says, read not typed.
    let expect = |id: &str| match &tt21().get(id).unwrap().checks[0] {
        Check::LoadThreshold {
            max_ms,
            max_error_rate,
            ..
        } => max_ms.or(*max_error_rate),
        other => panic!("{id}: {other:?}"),
    };
    assert_eq!(l.mean_ms, expect("PL5-1"));
    assert_eq!(l.max_ms, expect("PL5-2"));
    assert_eq!(l.max_error_rate, expect("PL5-3"));
    assert!(l.mean_ms.is_some() && l.max_ms.is_some() && l.max_error_rate.is_some());
    assert_eq!((l.p95_ms, l.p99_ms), (None, None));
    assert!(!l.is_empty());
    assert!(Limits::from_checklists(&[]).is_empty());
}

#[test]
fn limits_honour_overrides_and_take_the_strictest() {
    let mut cs = vec![tt21(), tt21()];
    overrides::apply(&mut cs, "PL5-1", "max-ms", serde_json::json!(2500), "--set").unwrap();
    overrides::apply(
        &mut cs,
        "PL5-3",
        "max-error-rate",
        serde_json::json!(0.05),
        "--set",
    )
    .unwrap();
    let l = Limits::from_checklists(&cs);
    // The first checklist is overridden; the second still has its own, stricter rate.
    assert_eq!(l.mean_ms, Some(2500.0));
    assert_eq!(
        l.max_error_rate,
        Limits::from_checklists(&[tt21()]).max_error_rate
    );
    let only = Limits::from_checklists(&cs[..1]);
    assert_eq!(only.max_error_rate, Some(0.05));
}

#[test]
fn a_step_within_every_limit_holds() {
    let l = Limits {
        mean_ms: Some(1000.0),
        p95_ms: Some(2000.0),
        p99_ms: Some(3000.0),
        max_ms: Some(5000.0),
        max_error_rate: Some(0.01),
    };
    assert_eq!(
        breaks(&latency(999.0, 1999.0, 2999.0, 4999.0), 1000, 9, &l),
        None
    );
    // No limit at all: only unanswered steps break.
    assert_eq!(
        breaks(&latency(1e6, 1e6, 1e6, 1e6), 10, 9, &Limits::default()),
        None
    );
}

#[test]
fn a_step_at_or_over_a_limit_breaks_with_its_figures() {
    let l = Limits {
        p95_ms: Some(10_000.0),
        max_error_rate: Some(0.01),
        ..Limits::default()
    };
    assert_eq!(
        breaks(&latency(500.0, 12_400.0, 13_000.0, 20_000.0), 1000, 32, &l).as_deref(),
        Some("p95 12400 ms ≥ 10000 ms; error rate 3.2 % ≥ 1 %")
    );
    // The limit itself breaks: the checklist demands strictly below.
    assert_eq!(
        breaks(&latency(1.0, 10_000.0, 1.0, 1.0), 100, 0, &l).as_deref(),
        Some("p95 10000 ms ≥ 10000 ms")
    );
    assert_eq!(
        breaks(&latency(1.0, 1.0, 1.0, 1.0), 100, 1, &l).as_deref(),
        Some("error rate 1 % ≥ 1 %")
    );
    let all = Limits {
        mean_ms: Some(10.0),
        p99_ms: Some(10.0),
        max_ms: Some(10.0),
        ..Limits::default()
    };
    assert_eq!(
        breaks(&latency(12.5, 1.0, 30.25, 40.0), 10, 0, &all).as_deref(),
        Some("mean 12.5 ms ≥ 10 ms; p99 30.25 ms ≥ 10 ms; max 40 ms ≥ 10 ms")
    );
}

#[test]
fn nothing_answered_breaks() {
    let l = Limits::default();
    assert_eq!(
        breaks(&Latency::default(), 0, 0, &l).as_deref(),
        Some("no request answered")
    );
    assert_eq!(
        breaks(&latency(1.0, 1.0, 1.0, 1.0), 5, 5, &l).as_deref(),
        Some("every request failed (5 of 5)")
    );
}

fn step(users: u32, passed: bool) -> CapacityStep {
    CapacityStep {
        users,
        passed,
        ..CapacityStep::default()
    }
}

#[test]
fn capacity_is_the_last_pass_before_the_first_failure() {
    assert_eq!(
        capacity(&[step(10, true), step(20, true), step(30, false)]),
        Some(20)
    );
    // A later pass after a failure does not count.
    assert_eq!(
        capacity(&[step(10, true), step(20, false), step(30, true)]),
        Some(10)
    );
    assert_eq!(capacity(&[step(10, true), step(20, true)]), Some(20));
    assert_eq!(capacity(&[step(10, false), step(20, true)]), None);
    assert_eq!(capacity(&[]), None);
}

#[test]
fn plans_are_bounded_and_end_at_the_maximum() {
    assert_eq!(plan(10, 20, 50).unwrap(), [10, 30, 50]);
    assert_eq!(plan(10, 20, 60).unwrap(), [10, 30, 50, 60]);
    assert_eq!(plan(5, 1, 5).unwrap(), [5]);
    assert_eq!(plan(1, 1, 200).unwrap().len(), MAX_STEPS);
    let near_top = plan(u32::MAX - 2, 5, u32::MAX).unwrap();
    assert_eq!(near_top, [u32::MAX - 2, u32::MAX]);
    for (args, needle) in [
        ((0, 1, 10), "start at 1"),
        ((1, 0, 10), "step"),
        ((20, 1, 10), "above its maximum"),
        ((1, 1, 201), "201 steps"),
    ] {
        let e = plan(args.0, args.1, args.2).unwrap_err();
        assert!(e.contains(needle), "{args:?}: {e}");
    }
}

//! Edge cases of the figures: an empty period, all down, an outage still going on at the end,
//! gaps, interval changes, Vietnam day boundaries, percentiles.

use super::*;
use crate::monitor::store::{ProbeRow, insert};

const MIN: i64 = 60_000;
/// 2026-11-30T00:00:00Z.
const T0: i64 = 1_795_996_800_000;

fn new_store() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("k.db")).unwrap();
    (dir, store)
}

fn put(store: &Store, target: Target, at_ms: i64, interval_ms: i64, ok: bool) {
    insert(
        store,
        &ProbeRow {
            portal: "p".into(),
            target,
            url: format!("https://p.example/{}", target.as_str()),
            at_ms,
            interval_ms,
            ok,
            status: Some(if ok { 200 } else { 503 }),
            latency_ms: Some(if ok {
                (at_ms / MIN % 100) as f64
            } else {
                10_000.0
            }),
            tls_days_left: Some(50),
            error: (!ok).then(|| format!("HTTP 503 at {at_ms}")),
        },
    )
    .unwrap();
}

fn span(from: i64, to: i64) -> Span {
    Span {
        from: rfc3339(from),
        to: rfc3339(to),
    }
}

fn figures(store: &Store, from: i64, to: i64) -> Availability {
    availability_at(store, "p", &span(from, to), "k.db", to).unwrap()
}

#[test]
fn instants_round_trip_and_days_are_vietnam_days() {
    assert_eq!(rfc3339(T0), "2026-11-30T00:00:00Z");
    assert_eq!(parse_instant("2026-11-30T07:00:00+07:00"), Some(T0));
    assert_eq!(parse_instant(&rfc3339(T0 + 1)), Some(T0 + 1));
    assert_eq!(parse_instant("2026-11-30"), None);
    // 16:59:59.999 UTC is still the 30th in Vietnam; 17:00 UTC is the 1st of December.
    assert_eq!(day_name(vietnam_day(T0 + 17 * 3_600_000 - 1)), "2026-11-30");
    assert_eq!(day_name(vietnam_day(T0 + 17 * 3_600_000)), "2026-12-01");
    assert_eq!(day_name(vietnam_day(T0 - 7 * 3_600_000)), "2026-11-30");
    assert_eq!(day_name(vietnam_day(T0 - 7 * 3_600_000 - 1)), "2026-11-29");
}

#[test]
fn an_empty_period_is_one_gap_with_no_targets() {
    let (_d, store) = new_store();
    put(&store, Target::Home, T0 - MIN, MIN, true); // before the period
    let a = figures(&store, T0, T0 + 10 * MIN);
    assert!(a.targets.is_empty() && a.outages.is_empty() && a.daily.is_empty());
    assert_eq!(a.gaps, [span(T0, T0 + 10 * MIN)]);
    assert!(a.interval_s.abs() < f64::EPSILON);
    // A zero-length period has nothing, not even a gap.
    assert!(figures(&store, T0, T0).gaps.is_empty());
}

#[test]
fn a_bad_period_is_an_error_not_figures() {
    let (_d, store) = new_store();
    let bad = Span {
        from: "yesterday".into(),
        to: rfc3339(T0),
    };
    let e = availability_at(&store, "p", &bad, "k.db", T0).unwrap_err();
    assert!(e.message.contains("not RFC 3339"), "{e}");
    let e = availability_at(&store, "p", &span(T0, T0 - 1), "k.db", T0).unwrap_err();
    assert!(e.message.contains("before it starts"), "{e}");
}

#[test]
fn an_outage_runs_from_the_first_failure_to_the_first_success() {
    let (_d, store) = new_store();
    // Up 0–4, down 5–7, up 8–9 (one probe a minute).
    for i in 0..10 {
        put(
            &store,
            Target::Home,
            T0 + i * MIN,
            MIN,
            !(5..=7).contains(&i),
        );
    }
    let a = figures(&store, T0, T0 + 10 * MIN);
    assert_eq!(a.outages.len(), 1);
    let o = &a.outages[0];
    assert_eq!(
        (o.start.as_str(), o.end.as_str()),
        ("2026-11-30T00:05:00Z", "2026-11-30T00:08:00Z")
    );
    assert!(!o.ongoing);
    assert!((o.duration_s - 180.0).abs() < 1e-9);
    assert_eq!(o.probes, 3);
    assert_eq!(o.first_error, format!("HTTP 503 at {}", T0 + 5 * MIN));
    let home = a.target(Target::Home).unwrap();
    assert_eq!((home.probes, home.failed), (10, 3));
    assert!((home.monitored_s - 600.0).abs() < 1e-9);
    assert!((home.down_s - 180.0).abs() < 1e-9);
    assert_eq!(
        home.latency_ms.count, 7,
        "failed probes are not in the latency"
    );
    assert!(home.latency_ms.max < 100.0);
    assert!(a.gaps.is_empty(), "{:?}", a.gaps);
    assert!((a.interval_s - 60.0).abs() < 1e-9);
    assert_eq!(a.daily.len(), 1);
    assert_eq!(a.daily[0].date, "2026-11-30");
    assert_eq!(a.daily[0].probes, 10);
    assert!((a.daily[0].down_s - 180.0).abs() < 1e-9);
}

#[test]
fn all_down_is_one_ongoing_outage_to_the_end_of_the_period() {
    let (_d, store) = new_store();
    for i in 0..5 {
        put(&store, Target::Catalogue, T0 + i * MIN, MIN, false);
    }
    let a = figures(&store, T0, T0 + 5 * MIN);
    assert_eq!(a.outages.len(), 1);
    let o = &a.outages[0];
    assert!(o.ongoing);
    assert_eq!(o.target, Target::Catalogue);
    assert_eq!(o.end, rfc3339(T0 + 5 * MIN));
    assert_eq!(o.probes, 5);
    let c = a.target(Target::Catalogue).unwrap();
    assert!((c.down_s - c.monitored_s).abs() < 1e-9 && c.monitored_s > 0.0);
    assert_eq!(c.latency_ms, ProbeLatency::default());
    assert!(a.daily.is_empty(), "days are the home target's");
}

#[test]
fn an_outage_ongoing_now_ends_now_not_at_the_end_of_a_future_period() {
    let (_d, store) = new_store();
    put(&store, Target::Home, T0, MIN, true);
    put(&store, Target::Home, T0 + MIN, MIN, false);
    let year = span(T0, T0 + 365 * DAY_MS);
    let a = availability_at(&store, "p", &year, "k.db", T0 + MIN + 30_000).unwrap();
    assert_eq!(a.outages[0].end, rfc3339(T0 + MIN + 30_000));
    assert!(a.outages[0].ongoing);
    assert!((a.target(Target::Home).unwrap().monitored_s - 90.0).abs() < 1e-9);
    assert!(a.gaps.is_empty(), "the future is not a gap: {:?}", a.gaps);
}

#[test]
fn a_stopped_monitor_is_a_gap_not_an_outage_and_not_monitored_time() {
    let (_d, store) = new_store();
    for i in 0..3 {
        put(&store, Target::Home, T0 + i * MIN, MIN, true);
    }
    // Stopped for an hour, then up again.
    for i in 63..66 {
        put(&store, Target::Home, T0 + i * MIN, MIN, true);
    }
    let a = figures(&store, T0, T0 + 66 * MIN);
    assert!(a.outages.is_empty());
    // The last probe before the stop covers 2 × interval.
    assert_eq!(a.gaps, [span(T0 + 4 * MIN, T0 + 63 * MIN)]);
    let home = a.target(Target::Home).unwrap();
    assert!(
        (home.monitored_s - 7.0 * 60.0).abs() < 1e-9,
        "{}",
        home.monitored_s
    );
    assert!(home.down_s.abs() < 1e-9);
    // Down across the stop: one outage spanning it, but only covered time is down time.
    let (_d2, store) = new_store();
    put(&store, Target::Home, T0, MIN, false);
    put(&store, Target::Home, T0 + 60 * MIN, MIN, true);
    let a = figures(&store, T0, T0 + 61 * MIN);
    assert_eq!(a.outages.len(), 1);
    assert!((a.outages[0].duration_s - 3600.0).abs() < 1e-9);
    assert!((a.target(Target::Home).unwrap().down_s - 120.0).abs() < 1e-9);
    assert_eq!(a.gaps, [span(T0 + 2 * MIN, T0 + 60 * MIN)]);
}

#[test]
fn each_probe_covers_by_its_own_interval_and_the_most_frequent_interval_is_reported() {
    let (_d, store) = new_store();
    // 3 probes at 5 min, then a restart at 1 min (4 probes).
    for i in 0..3 {
        put(&store, Target::Home, T0 + i * 5 * MIN, 5 * MIN, true);
    }
    let restart = T0 + 10 * MIN + 7 * MIN; // within 2 × 5 min of the last: no gap
    for i in 0..4 {
        put(&store, Target::Home, restart + i * MIN, MIN, true);
    }
    let end = restart + 4 * MIN;
    let a = figures(&store, T0, end);
    assert!(a.gaps.is_empty(), "{:?}", a.gaps);
    assert!((a.interval_s - 60.0).abs() < 1e-9);
    assert!(
        (a.target(Target::Home).unwrap().monitored_s - (end - T0) as f64 / 1000.0).abs() < 1e-9
    );
    // The same with a restart at 12 min: the 1-minute probes cannot bridge it.
    let (_d2, store) = new_store();
    put(&store, Target::Home, T0, MIN, true);
    put(&store, Target::Home, T0 + 12 * MIN, 5 * MIN, true);
    let a = figures(&store, T0, T0 + 13 * MIN);
    assert_eq!(a.gaps, [span(T0 + 2 * MIN, T0 + 12 * MIN)]);
}

#[test]
fn home_uptime_is_split_at_vietnam_midnight() {
    let (_d, store) = new_store();
    // 16:58 and 16:59 UTC on the 30th (23:58, 23:59 in Vietnam), 17:00 and 17:01 UTC.
    let midnight = T0 + 17 * 3_600_000;
    put(&store, Target::Home, midnight - 2 * MIN, MIN, true);
    put(&store, Target::Home, midnight - MIN + 30_000, MIN, false);
    put(&store, Target::Home, midnight + 30_000, MIN, true);
    put(&store, Target::Home, midnight + MIN, MIN, true);
    let a = figures(&store, midnight - 2 * MIN, midnight + 2 * MIN);
    assert_eq!(a.daily.len(), 2);
    let (d1, d2) = (&a.daily[0], &a.daily[1]);
    assert_eq!((d1.date.as_str(), d1.probes), ("2026-11-30", 2));
    assert_eq!((d2.date.as_str(), d2.probes), ("2026-12-01", 2));
    assert!((d1.monitored_s - 120.0).abs() < 1e-9);
    assert!((d1.down_s - 30.0).abs() < 1e-9, "{}", d1.down_s);
    assert!((d2.monitored_s - 120.0).abs() < 1e-9);
    assert!(
        (d2.down_s - 30.0).abs() < 1e-9,
        "the failure's half after midnight"
    );
}

#[test]
fn several_targets_have_their_own_outages_sorted_by_start() {
    let (_d, store) = new_store();
    for i in 0..6 {
        put(&store, Target::Home, T0 + i * MIN, MIN, i != 3);
        put(
            &store,
            Target::DvcqgStatus,
            T0 + i * MIN + 1_000,
            MIN,
            i != 1,
        );
    }
    let a = figures(&store, T0, T0 + 6 * MIN);
    let starts: Vec<_> = a
        .outages
        .iter()
        .map(|o| (o.target, o.start.clone()))
        .collect();
    assert_eq!(
        starts,
        [
            (Target::DvcqgStatus, rfc3339(T0 + MIN + 1_000)),
            (Target::Home, rfc3339(T0 + 3 * MIN)),
        ]
    );
    assert_eq!(a.targets.len(), 2);
    assert_eq!(a.targets[0].target, Target::Home, "report order");
    assert_eq!(a.targets[1].url, "https://p.example/dvcqg-status");
    // Another portal's probes are not read.
    let other =
        availability_at(&store, "q", &span(T0, T0 + 6 * MIN), "k.db", T0 + 6 * MIN).unwrap();
    assert!(other.targets.is_empty());
}

#[test]
fn percentiles_are_nearest_rank() {
    let mut v: Vec<f64> = (1..=100).rev().map(f64::from).collect();
    let p = percentiles(&mut v);
    assert_eq!(p.count, 100);
    assert!((p.p50 - 50.0).abs() < 1e-9);
    assert!((p.p95 - 95.0).abs() < 1e-9);
    assert!((p.p99 - 99.0).abs() < 1e-9);
    assert!((p.max - 100.0).abs() < 1e-9);
    let one = percentiles(&mut [7.0]);
    assert!((one.p50 - 7.0).abs() < 1e-9 && (one.p99 - 7.0).abs() < 1e-9);
    assert_eq!(percentiles(&mut []), ProbeLatency::default());
}

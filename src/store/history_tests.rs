//! Unit tests of the history views: deltas, the sparkline, Vietnam time, the layouts.

use super::*;

fn recorded(at: &str, score: f64, failed: &[&str]) -> Recorded {
    Recorded {
        id: 1,
        portal: "demo".into(),
        host: "dvc.mau.gov.vn".into(),
        name: "Cổng Mẫu".into(),
        organisation_kind: "province".into(),
        finished_at: at.into(),
        at_ms: None,
        year: Some(2026),
        checklist: "qd31-2021-dvcqg,tt21-2023".into(),
        verdict: if failed.is_empty() {
            "provisional".into()
        } else {
            "non-conformant".into()
        },
        score,
        pending: 12,
        failed: failed.iter().map(|s| (*s).to_string()).collect(),
        tool_version: "0.2.0".into(),
        source: None,
    }
}

#[test]
fn the_sparkline_spans_lowest_to_highest_and_is_flat_for_equal_scores() {
    assert_eq!(sparkline(&[0.0, 50.0, 100.0]), "▁▅█");
    assert_eq!(sparkline(&[82.3, 79.1]), "█▁");
    assert_eq!(sparkline(&[70.0, 70.0]), "▄▄");
    assert_eq!(sparkline(&[70.0]), "▄");
    assert_eq!(sparkline(&[]), "");
}

#[test]
fn times_are_shown_in_vietnam() {
    assert_eq!(local_time("2025-12-31T17:30:00Z"), "2026-01-01 00:30");
    assert_eq!(local_time("2026-03-01T10:00:00+07:00"), "2026-03-01 10:00");
    assert_eq!(local_time("garbage"), "garbage");
}

#[test]
fn each_evaluation_shows_its_change_from_the_previous_and_the_trend_sums_it_up() {
    let h = portal_history(
        "demo",
        &[
            recorded("2026-11-30T09:00:00Z", 82.3, &[]),
            recorded("2026-11-30T09:05:00Z", 79.1, &["PL3-4", "PL1-2"]),
            recorded("2026-11-30T09:10:00Z", 79.1, &[]),
        ],
    );
    let deltas: Vec<Option<f64>> = h.evaluations.iter().map(|e| e.delta).collect();
    assert_eq!(deltas, [None, Some(-3.2), Some(0.0)]);
    let t = h.trend.clone().unwrap();
    assert_eq!((t.first, t.last, t.change), (82.3, 79.1, -3.2));
    assert_eq!((t.min, t.max), (79.1, 82.3));
    assert_eq!(t.sparkline, "█▁▁");
    assert_eq!(
        h.evaluations[0].checklists,
        ["qd31-2021-dvcqg", "tt21-2023"]
    );

    let text = text(&h);
    assert!(text.starts_with("Cổng Mẫu — portal `demo` (dvc.mau.gov.vn), 3 evaluations"));
    let lines: Vec<&str> = text.lines().collect();
    assert!(lines[2].starts_with("date (UTC+7)"), "{text}");
    assert!(lines[3].starts_with("2026-11-30 16:00"), "{text}");
    assert!(
        lines[4].contains("non-conformant") && lines[4].contains("-3.2"),
        "{text}"
    );
    assert!(lines[4].ends_with("PL3-4, PL1-2"), "{text}");
    assert!(
        lines[5].contains("±0.0") && lines[5].ends_with('-'),
        "{text}"
    );
    // Columns line up: every score ends in the same column.
    let ends: Vec<usize> = lines[3..6]
        .iter()
        .map(|l| l.find(" 82.3").or_else(|| l.find(" 79.1")).unwrap())
        .collect();
    assert!(ends.windows(2).all(|w| w[0] == w[1]), "{text}");
    assert!(
        text.contains(
            "trend █▁▁  82.3 → 79.1 (-3.2 over 3 evaluations; lowest 79.1, highest 82.3)"
        ),
        "{text}"
    );

    let md = markdown(&h);
    assert!(md.starts_with("## History of `demo` — Cổng Mẫu\n\n| date (UTC+7) |"));
    assert_eq!(md.lines().filter(|l| l.starts_with("| 2026-")).count(), 3);
    assert!(md.contains("| 79.1 | -3.2 | 12 | PL3-4, PL1-2 |"), "{md}");
    assert!(md.contains("trend █▁▁"));
}

#[test]
fn an_empty_history_has_no_trend_and_a_single_one_a_flat_one() {
    let h = portal_history("x", &[]);
    assert!(h.trend.is_none() && h.evaluations.is_empty());
    assert!(!text(&h).contains("trend"));
    let one = portal_history("x", &[recorded("2026-01-01T00:00:00Z", 50.0, &[])]);
    assert!(text(&one).contains("trend ▄  50.0 → 50.0 (±0.0 over 1 evaluation;"));
}

#[test]
fn the_portal_list_shows_each_latest_and_escapes_markdown() {
    let mut r = recorded("2026-11-30T09:00:00Z", 82.3, &[]);
    r.name = "Cổng | Mẫu".into();
    let portals = [PortalSummary {
        evaluations: 2,
        latest: r,
    }];
    let t = portals_text(&portals);
    assert!(t.starts_with("portal  evaluations  latest (UTC+7)"), "{t}");
    assert!(
        t.lines()
            .nth(1)
            .unwrap()
            .starts_with("demo              2  2026-11-30 16:00"),
        "{t}"
    );
    let md = portals_markdown(&portals);
    assert!(
        md.contains("| demo | 2 | 2026-11-30 16:00 | provisional | 82.3 | Cổng \\| Mẫu |"),
        "{md}"
    );
}

//! Tests of the 24/7 judges, and the constructed monitor figures the report tests share.

use super::*;
use crate::checklist::Checklist;
use crate::evaluation::Status;
use crate::judge::judge;
use crate::judge::tests::{FOOTER, good_page, obs};
use crate::observation::{DayUptime, ProbeLatency, Span, TargetAvailability};

const DAY: f64 = 86_400.0;

fn outage(target: Target, start: &str, end: &str, s: f64, error: &str) -> Outage {
    Outage {
        target,
        start: start.into(),
        end: end.into(),
        ongoing: false,
        duration_s: s,
        probes: 3,
        first_error: error.into(),
    }
}

/// March 2026 (Vietnam time), one-minute probes, a 12-hour gap; the home page down 4 h during
/// an upgrade announced on 2/3 (9 working days ahead) and 1 h 30 min during a suspension
/// announced on 17/3 (2 working days ahead); the DVCQG connection down 10 minutes.
pub(crate) fn fixture() -> Availability {
    let monitored = 31.0 * DAY - 43_200.0;
    let target = |t: Target, url: &str, down: f64| TargetAvailability {
        target: t,
        url: url.into(),
        probes: 43_920,
        failed: 30,
        monitored_s: monitored,
        down_s: down,
        latency_ms: ProbeLatency {
            count: 43_890,
            p50: 120.0,
            p90: 250.0,
            p95: 310.0,
            p99: 800.0,
            max: 9_000.0,
        },
    };
    let daily = (1..=31)
        .map(|d| DayUptime {
            date: format!("2026-03-{d:02}"),
            monitored_s: match d {
                7 => DAY / 2.0,
                _ => DAY,
            },
            down_s: match d {
                14 => 14_400.0,
                20 => 5_400.0,
                _ => 0.0,
            },
            probes: 1_440,
        })
        .collect();
    Availability {
        portal: "lam-son".into(),
        db: "kiemdinh.db".into(),
        period: Span {
            from: "2026-02-28T17:00:00Z".into(),
            to: "2026-03-31T17:00:00Z".into(),
        },
        read_at: "2026-04-01T02:00:00Z".into(),
        interval_s: 60.0,
        targets: vec![
            target(Target::Home, "https://dvc.example.gov.vn/", 19_800.0),
            target(
                Target::DvcqgStatus,
                "https://dvc.example.gov.vn/dvcqg/status",
                600.0,
            ),
        ],
        outages: vec![
            outage(
                Target::Home,
                "2026-03-14T15:00:00Z",
                "2026-03-14T19:00:00Z",
                14_400.0,
                "HTTP 503",
            ),
            outage(
                Target::Home,
                "2026-03-20T02:00:00Z",
                "2026-03-20T03:30:00Z",
                5_400.0,
                "not the portal: <nginx> error page",
            ),
            outage(
                Target::DvcqgStatus,
                "2026-03-25T10:00:00Z",
                "2026-03-25T10:10:00Z",
                600.0,
                "timeout after 10 s",
            ),
        ],
        gaps: vec![Span {
            from: "2026-03-06T17:00:00Z".into(),
            to: "2026-03-07T05:00:00Z".into(),
        }],
        daily,
    }
}

/// The suspensions matching [`fixture`]'s outages.
pub(crate) fn monitoring() -> Monitoring {
    Monitoring {
        db: "kiemdinh.db".into(),
        portal: "lam-son".into(),
        period: fixture().period,
        suspensions: vec![
            Suspension {
                from: "2026-03-14T15:00:00Z".into(),
                to: "2026-03-14T19:00:00Z".into(),
                announced: "2026-03-02".into(),
                note: "Nâng cấp máy chủ".into(),
            },
            Suspension {
                from: "2026-03-20T02:00:00Z".into(),
                to: "2026-03-20T04:00:00Z".into(),
                announced: "2026-03-17".into(),
                note: String::new(),
            },
        ],
        error: None,
    }
}

/// Observations of a portal with a good home page and no monitoring.
pub(crate) fn observations() -> Observations {
    obs(
        &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
        "text/html",
        vec![],
    )
}

fn with(a: Option<Availability>, m: Option<Monitoring>) -> Observations {
    let mut o = obs(
        &good_page(FOOTER, "Ủy ban nhân dân tỉnh Mẫu"),
        "text/html",
        vec![],
    );
    o.availability = a;
    o.monitoring = m.map(Box::new);
    o
}

fn verdict(edition: &str, id: &str, o: &Observations) -> crate::evaluation::Verdict {
    let c = Checklist::resolve(edition).unwrap();
    judge(c.get(id).unwrap(), o)
}

fn availability_outcome(id: &str, o: &Observations) -> crate::evaluation::Verdict {
    let (edition, id) = match id {
        "DVCQG-1" => ("qd31-2021-dvcqg", id),
        "NSW-1" => ("nsw", id),
        _ => ("tt21-2023", id),
    };
    verdict(edition, id, o)
}

#[test]
fn pl5_6_pl8_6_dvcqg_1_nsw_1_without_figures_are_pending_and_say_how_to_enable_it() {
    let o = with(None, None);
    for id in ["PL5-6", "PL8-6", "DVCQG-1", "NSW-1"] {
        let v = availability_outcome(id, &o);
        assert_eq!(v.status, Status::Pending, "{id}");
        assert!(
            v.message.en.contains("kiemdinh monitor") && v.message.en.contains("[availability] db"),
            "{id}: {}",
            v.message.en
        );
    }
}

#[test]
fn pl5_6_without_figures_an_evaluators_uptime_report_is_attested() {
    let mut o = with(None, None);
    o.evidence = vec![crate::observation::EvidenceFile {
        requirement: "PL5-6".into(),
        original: "uptime-2026.pdf".into(),
        stored_as: "evidence/PL5-6-uptime-2026.pdf".into(),
        bytes: 10,
        sha256: "0".repeat(64),
    }];
    assert_eq!(availability_outcome("PL5-6", &o).status, Status::Attested);
    // With figures, the figures decide.
    o.availability = Some(fixture());
    assert_eq!(availability_outcome("PL5-6", &o).status, Status::Fail);
}

#[test]
fn pl5_6_a_store_that_cannot_be_read_is_an_error_with_its_message() {
    let mut m = monitoring();
    m.error = Some("unable to open database file".into());
    let v = availability_outcome("PL5-6", &with(None, Some(m)));
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message.en.contains("unable to open database file"),
        "{}",
        v.message.en
    );
    assert!(v.message.en.contains("kiemdinh.db"), "{}", v.message.en);
}

#[test]
fn pl5_6_passes_when_the_well_announced_suspension_is_excused() {
    let v = availability_outcome("PL5-6", &with(Some(fixture()), Some(monitoring())));
    assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    // 5 400 s counted of 2 635 200 monitored: 99.795 %.
    assert!(
        v.observed.en.contains("uptime 99.795%"),
        "{}",
        v.observed.en
    );
    assert!(
        v.observed
            .en
            .contains("2 outages, longest 4 h 0 min (from 2026-03-14 22:00)"),
        "{}",
        v.observed.en
    );
    assert!(
        v.observed.en.contains("4 h 0 min excused") && v.observed.en.contains("1 gaps"),
        "{}",
        v.observed.en
    );
    // The late suspension is listed as counted, with its notice.
    assert!(
        v.message
            .en
            .contains("2026-03-20 09:00 (2026-03-17 → 2 < 7)"),
        "{}",
        v.message.en
    );
}

#[test]
fn pl5_6_fails_when_the_suspension_was_announced_too_late() {
    let mut m = monitoring();
    // Tuesday 10/3 for Saturday 14/3: 11, 12, 13 between, 3 working days.
    m.suspensions[0].announced = "2026-03-10".into();
    let v = availability_outcome("PL5-6", &with(Some(fixture()), Some(m)));
    assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
    assert!(
        v.message.en.contains("uptime 99.249% < 99.50%"),
        "{}",
        v.message.en
    );
    assert!(
        v.message
            .en
            .contains("2026-03-14 22:00 (2026-03-10 → 3 < 7)"),
        "{}",
        v.message.en
    );
    // Without any suspension list: the same downtime, the same fail.
    let v = availability_outcome("NSW-1", &with(Some(fixture()), None));
    assert_eq!(v.status, Status::Fail);
}

#[test]
fn pl5_6_too_little_monitoring_is_an_error_not_a_verdict() {
    let mut a = fixture();
    for t in &mut a.targets {
        t.monitored_s = 20.0 * DAY;
        t.down_s = 0.0;
    }
    let v = availability_outcome("PL5-6", &with(Some(a), Some(monitoring())));
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message
            .en
            .contains("not enough monitoring: the monitor covered 64.5%"),
        "{}",
        v.message.en
    );
}

#[test]
fn dvcqg_1_judges_the_dvcqg_connection_and_is_pending_when_it_was_never_probed() {
    let v = availability_outcome("DVCQG-1", &with(Some(fixture()), Some(monitoring())));
    assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    assert!(
        v.observed.en.contains("(dvcqg-status)") && v.observed.en.contains("1 outages"),
        "{}",
        v.observed.en
    );
    let mut a = fixture();
    a.targets.retain(|t| t.target != Target::DvcqgStatus);
    let v = availability_outcome("DVCQG-1", &with(Some(a), None));
    assert_eq!(v.status, Status::Pending);
    assert!(
        v.message.en.contains("[dvcqg] status-url"),
        "{}",
        v.message.en
    );
    // A home page never probed: pending too, naming the portal id.
    let mut a = fixture();
    a.targets.clear();
    let v = availability_outcome("PL8-6", &with(Some(a), None));
    assert_eq!(v.status, Status::Pending);
}

#[test]
fn pl8_6_a_suspension_in_a_year_without_holiday_data_is_an_error_not_a_guess() {
    let mut a = fixture();
    a.period = Span {
        from: "2027-12-31T17:00:00Z".into(),
        to: "2028-01-31T17:00:00Z".into(),
    };
    a.outages = vec![outage(
        Target::Home,
        "2028-01-10T01:00:00Z",
        "2028-01-10T02:00:00Z",
        3_600.0,
        "HTTP 502",
    )];
    let mut m = monitoring();
    m.suspensions = vec![Suspension {
        from: "2028-01-10T00:00:00Z".into(),
        to: "2028-01-10T03:00:00Z".into(),
        announced: "2027-12-20".into(),
        note: String::new(),
    }];
    let v = availability_outcome("PL8-6", &with(Some(a), Some(m)));
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message.en.contains("no holiday data for 2028"),
        "{}",
        v.message.en
    );
}

#[test]
fn notice_of_exactly_six_working_days_is_not_enough_and_seven_is() {
    let s = |from: &str| Suspension {
        from: from.into(),
        to: "2026-03-31T00:00:00Z".into(),
        announced: "2026-03-05".into(),
        note: String::new(),
    };
    let m = Monitoring {
        suspensions: vec![s("2026-03-16T01:00:00Z"), s("2026-03-17T01:00:00Z")],
        ..monitoring()
    };
    let n = notices(Some(&m), 7);
    assert_eq!((n[0].working_days, n[0].qualifies), (Ok(6), false));
    assert_eq!((n[1].working_days, n[1].qualifies), (Ok(7), true));
    // The threshold is the checklist's: 6 days are enough when it says 6.
    assert!(notices(Some(&m), 6)[0].qualifies);
    // 23:30 UTC on 15/3 is already Monday 16/3 in Vietnam.
    let m = Monitoring {
        suspensions: vec![s("2026-03-15T23:30:00Z")],
        ..monitoring()
    };
    assert_eq!(notices(Some(&m), 7)[0].working_days, Ok(6));
}

#[test]
fn nsw_1_a_notice_counted_over_an_unconfirmed_holiday_says_so() {
    let mut a = fixture();
    a.period = Span {
        from: "2026-08-31T17:00:00Z".into(),
        to: "2026-09-30T17:00:00Z".into(),
    };
    a.outages = vec![outage(
        Target::Home,
        "2026-09-10T01:00:00Z",
        "2026-09-10T02:00:00Z",
        3_600.0,
        "HTTP 502",
    )];
    for t in &mut a.targets {
        t.monitored_s = 30.0 * DAY;
        t.down_s = 3_600.0;
    }
    let m = Monitoring {
        suspensions: vec![Suspension {
            from: "2026-09-10T00:00:00Z".into(),
            to: "2026-09-10T03:00:00Z".into(),
            announced: "2026-08-28".into(),
            note: String::new(),
        }],
        ..monitoring()
    };
    let v = availability_outcome("NSW-1", &with(Some(a), Some(m)));
    assert_eq!(v.status, Status::Pass, "{}", v.message.en);
    assert!(
        v.message
            .en
            .contains("holidays not yet confirmed in the data: 2026-09-01"),
        "{}",
        v.message.en
    );
}

#[test]
fn overlapping_suspensions_excuse_an_outage_once_and_only_inside_it() {
    let down = outage(
        Target::Home,
        "2026-03-14T15:00:00Z",
        "2026-03-14T19:00:00Z",
        14_400.0,
        "x",
    );
    let s = |f: &str, t: &str| Suspension {
        from: f.into(),
        to: t.into(),
        announced: "2026-03-01".into(),
        note: String::new(),
    };
    let a = s("2026-03-14T14:00:00Z", "2026-03-14T17:00:00Z");
    let b = s("2026-03-14T16:00:00Z", "2026-03-14T18:00:00Z");
    let c = s("2026-03-15T00:00:00Z", "2026-03-15T01:00:00Z");
    assert!((overlap_s(&down, &[&a, &b, &c]) - 3.0 * 3600.0).abs() < 1e-6);
    assert!(overlap_s(&down, &[&c]).abs() < 1e-6);
}

#[test]
fn pl5_6_rejudging_stored_observations_gives_the_same_verdict() {
    let o = with(Some(fixture()), Some(monitoring()));
    let back: Observations = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    for id in ["PL5-6", "PL8-6", "DVCQG-1", "NSW-1"] {
        let (a, b) = (
            availability_outcome(id, &o),
            availability_outcome(id, &back),
        );
        assert_eq!(
            (a.status, a.observed.en, a.message.en),
            (b.status, b.observed.en, b.message.en),
            "{id}"
        );
    }
}

#[test]
fn durations_read_in_both_languages() {
    assert_eq!(human_duration(45.0).en, "45 s");
    assert_eq!(human_duration(130.0).vi, "2 phút 10 giây");
    assert_eq!(human_duration(7_800.0).en, "2 h 10 min");
    assert_eq!(human_duration(90_000.0).en, "1 d 1 h");
    assert_eq!(vietnam_time("2026-03-14T15:00:00Z"), "2026-03-14 22:00");
    assert_eq!(vietnam_time("garbage"), "garbage");
}

//! The console summary of a portal's figures (`kiemdinh monitor --summary`, and the end of a
//! run): uptime per target over the period, per Vietnam day (up to 31 days) and per ISO week,
//! the outages with start, end, duration and first error, the gaps, and latency percentiles.

use std::fmt::Write as _;

use crate::observation::{Availability, DayUptime};

/// Uptime as a percentage of monitored time, `—` when nothing was monitored.
pub fn uptime(monitored_s: f64, down_s: f64) -> String {
    if monitored_s <= 0.0 {
        return "—".into();
    }
    format!("{:.3} %", 100.0 * (monitored_s - down_s) / monitored_s)
}

/// Seconds as people read them: `200 ms`, `45 s`, `3 min 20 s`, `2 h 5 min`, `3 d 4 h`.
#[allow(clippy::cast_sign_loss)] // clamped to zero first
pub fn duration(s: f64) -> String {
    if s > 0.0 && s < 1.0 {
        return format!("{} ms", (s * 1000.0).round() as u64);
    }
    let s = s.max(0.0).round() as u64;
    match s {
        0..60 => format!("{s} s"),
        60..3_600 => format!("{} min {} s", s / 60, s % 60),
        3_600..86_400 => format!("{} h {} min", s / 3_600, s % 3_600 / 60),
        _ => format!("{} d {} h", s / 86_400, s % 86_400 / 3_600),
    }
}

/// Days listed one by one up to this many; beyond, weeks only.
const MAX_DAYS_SHOWN: usize = 31;

/// The summary of one portal.
pub fn render(a: &Availability) -> String {
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{}: {} → {} (interval {})",
        a.portal,
        a.period.from,
        a.period.to,
        duration(a.interval_s)
    );
    if a.targets.is_empty() {
        let _ = writeln!(s, "  no probes in the period");
    } else {
        let _ = writeln!(
            s,
            "  {:<13} {:>8} {:>7} {:>10} {:>12} {:>9} {:>9} {:>9}",
            "target", "probes", "failed", "uptime", "monitored", "p50 ms", "p95 ms", "p99 ms"
        );
        for t in &a.targets {
            let l = &t.latency_ms;
            let _ = writeln!(
                s,
                "  {:<13} {:>8} {:>7} {:>10} {:>12} {:>9.0} {:>9.0} {:>9.0}",
                t.target.as_str(),
                t.probes,
                t.failed,
                uptime(t.monitored_s, t.down_s),
                duration(t.monitored_s),
                l.p50,
                l.p95,
                l.p99
            );
        }
    }
    if !a.daily.is_empty() {
        if a.daily.len() <= MAX_DAYS_SHOWN {
            let _ = writeln!(s, "  home uptime per day (Vietnam time):");
            for d in &a.daily {
                let _ = writeln!(
                    s,
                    "    {}  {:>10}  monitored {}",
                    d.date,
                    uptime(d.monitored_s, d.down_s),
                    duration(d.monitored_s)
                );
            }
        }
        let _ = writeln!(s, "  home uptime per week:");
        for (week, monitored, down) in weeks(&a.daily) {
            let _ = writeln!(
                s,
                "    {week}  {:>10}  monitored {}",
                uptime(monitored, down),
                duration(monitored)
            );
        }
    }
    let _ = writeln!(s, "  outages: {}", a.outages.len());
    for o in &a.outages {
        let _ = writeln!(
            s,
            "    {:<13} {} → {}{}  {}  ({} probes) {}",
            o.target.as_str(),
            o.start,
            o.end,
            if o.ongoing { " (ongoing)" } else { "" },
            duration(o.duration_s),
            o.probes,
            crate::redact::text(&o.first_error)
        );
    }
    if !a.gaps.is_empty() {
        let _ = writeln!(s, "  not monitored (gaps): {}", a.gaps.len());
        for g in &a.gaps {
            let _ = writeln!(s, "    {} → {}", g.from, g.to);
        }
    }
    s
}

/// Home uptime per ISO week (`2026-W49`): (week, monitored s, down s), in order.
pub fn weeks(days: &[DayUptime]) -> Vec<(String, f64, f64)> {
    let mut out: Vec<(String, f64, f64)> = Vec::new();
    for d in days {
        let Some(date) = crate::clock::parse_date(&d.date) else {
            continue;
        };
        let (year, week, _) = date.to_iso_week_date();
        let key = format!("{year}-W{week:02}");
        match out.last_mut() {
            Some(last) if last.0 == key => {
                last.1 += d.monitored_s;
                last.2 += d.down_s;
            }
            _ => out.push((key, d.monitored_s, d.down_s)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{Outage, Span, Target};

    fn day(date: &str, monitored_s: f64, down_s: f64) -> DayUptime {
        DayUptime {
            date: date.into(),
            monitored_s,
            down_s,
            probes: 1,
        }
    }

    #[test]
    fn durations_and_uptimes_read_naturally() {
        assert_eq!(duration(0.0), "0 s");
        assert_eq!(duration(0.2), "200 ms");
        assert_eq!(duration(1.4), "1 s");
        assert_eq!(duration(200.0), "3 min 20 s");
        assert_eq!(duration(7_500.0), "2 h 5 min");
        assert_eq!(duration(3.0 * 86_400.0 + 7_200.0), "3 d 2 h");
        assert_eq!(uptime(0.0, 0.0), "—");
        assert_eq!(uptime(1000.0, 1.0), "99.900 %");
    }

    #[test]
    fn days_are_grouped_into_iso_weeks() {
        // Sunday 6 and Monday 7 December 2026 are in different ISO weeks.
        let w = weeks(&[
            day("2026-12-05", 100.0, 10.0),
            day("2026-12-06", 100.0, 0.0),
            day("2026-12-07", 50.0, 5.0),
        ]);
        assert_eq!(
            w,
            [
                ("2026-W49".to_string(), 200.0, 10.0),
                ("2026-W50".to_string(), 50.0, 5.0)
            ]
        );
    }

    #[test]
    fn the_summary_lists_targets_days_outages_and_gaps() {
        let a = Availability {
            portal: "lam-son".into(),
            db: "k.db".into(),
            period: Span {
                from: "2026-11-30T00:00:00Z".into(),
                to: "2026-12-01T00:00:00Z".into(),
            },
            read_at: "2026-12-01T00:00:00Z".into(),
            interval_s: 60.0,
            targets: vec![crate::observation::TargetAvailability {
                target: Target::Home,
                url: "https://x/".into(),
                probes: 1440,
                failed: 3,
                monitored_s: 86_400.0,
                down_s: 180.0,
                latency_ms: crate::observation::ProbeLatency::default(),
            }],
            outages: vec![Outage {
                target: Target::Home,
                start: "2026-11-30T05:00:00Z".into(),
                end: "2026-11-30T05:03:00Z".into(),
                ongoing: false,
                duration_s: 180.0,
                probes: 3,
                first_error: "HTTP 503".into(),
            }],
            gaps: vec![Span {
                from: "2026-11-30T10:00:00Z".into(),
                to: "2026-11-30T10:05:00Z".into(),
            }],
            daily: vec![day("2026-11-30", 86_400.0, 180.0)],
        };
        let text = render(&a);
        for want in [
            "lam-son: 2026-11-30T00:00:00Z",
            "interval 1 min 0 s",
            "99.792 %",
            "2026-11-30T05:00:00Z → 2026-11-30T05:03:00Z  3 min 0 s  (3 probes) HTTP 503",
            "home uptime per week:\n    2026-W49",
            "not monitored (gaps): 1",
        ] {
            assert!(text.contains(want), "{want}\n{text}");
        }
        let empty = Availability {
            targets: Vec::new(),
            outages: Vec::new(),
            gaps: Vec::new(),
            daily: Vec::new(),
            ..a
        };
        assert!(render(&empty).contains("no probes in the period"));
    }
}

//! PL5-6, PL8-6, DVCQG-1, NSW-1: operation 24 hours a day, every day, judged from the
//! availability monitor's figures over the evaluation period ([`Availability`]) and the
//! scenario's planned suspensions ([`Monitoring`]).
//!
//! uptime = (monitored − down + excused) / monitored, for the check's target (`home`, or
//! `dvcqg-status` for DVCQG-1). `excused` is outage time inside a planned suspension announced
//! at least `min-notice-working-days` full working days ahead (NĐ 224/2026 Đ13.1.a; Vietnamese
//! holidays from `data/holidays-vn.toml`, see [`calendar`]). Missing figures are `pending`, a
//! store that could not be read or a period too thinly monitored is `error`: never a confident
//! fail on absent data. Every number that decides comes from the check spec.

pub mod calendar;
#[cfg(test)]
pub(crate) mod tests;

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

use super::{Outcome, list, supplied};
use crate::checklist::Requirement;
use crate::evaluation::Status;
use crate::observation::{Availability, Monitoring, Observations, Outage, Suspension, Target};
use crate::scenario::availability::VIETNAM;
use crate::text::Text;
use crate::tr;

/// The thresholds of one `availability` check.
#[derive(Debug, Clone, Copy)]
pub struct Spec {
    /// Least uptime (0–1).
    pub min_uptime: f64,
    /// The target judged.
    pub target: Target,
    /// Least full working days of notice for a suspension to be excused.
    pub min_notice_working_days: u32,
    /// Least share of the period monitored.
    pub min_coverage: f64,
}

/// How much notice one planned suspension had, and whether it excuses downtime.
#[derive(Debug, Clone, PartialEq)]
pub struct Notice {
    /// The suspension.
    pub suspension: Suspension,
    /// Full working days between the announcement and the start; `Err(year)` when the
    /// holiday data does not cover a year in between.
    pub working_days: Result<u32, i32>,
    /// Announced early enough.
    pub qualifies: bool,
    /// Days off in the notice period that the holiday data marks unconfirmed.
    pub unconfirmed: Vec<String>,
}

/// The notice of every suspension of the scenario, by start.
pub fn notices(monitoring: Option<&Monitoring>, min_notice_working_days: u32) -> Vec<Notice> {
    let cal = calendar::vietnam();
    monitoring
        .map(|m| m.suspensions.as_slice())
        .unwrap_or_default()
        .iter()
        .map(|s| {
            let start = parse(&s.from).map(|t| t.to_offset(VIETNAM).date());
            let announced = crate::clock::parse_date(&s.announced);
            let (working_days, unconfirmed) = match (announced, start) {
                (Some(a), Some(b)) => (
                    cal.working_days_between(a, b),
                    cal.unconfirmed_between(a, b)
                        .iter()
                        .map(ToString::to_string)
                        .collect(),
                ),
                // Validated scenarios never get here; stored observations might.
                _ => (Ok(0), Vec::new()),
            };
            Notice {
                qualifies: working_days.is_ok_and(|n| n >= min_notice_working_days),
                suspension: s.clone(),
                working_days,
                unconfirmed,
            }
        })
        .collect()
}

/// Seconds of `outage` inside any of `spans` (merged first, so overlapping suspensions count
/// once).
pub fn overlap_s(outage: &Outage, spans: &[&Suspension]) -> f64 {
    let (Some(a), Some(b)) = (parse(&outage.start), parse(&outage.end)) else {
        return 0.0;
    };
    let mut spans: Vec<(OffsetDateTime, OffsetDateTime)> = spans
        .iter()
        .filter_map(|s| Some((parse(&s.from)?, parse(&s.to)?)))
        .map(|(f, t)| (f.max(a), t.min(b)))
        .filter(|(f, t)| f < t)
        .collect();
    spans.sort();
    let mut total = 0.0;
    let mut reach: Option<OffsetDateTime> = None;
    for (f, t) in spans {
        let f = reach.map_or(f, |r| f.max(r));
        if t > f {
            total += (t - f).as_seconds_f64();
        }
        reach = Some(reach.map_or(t, |r| r.max(t)));
    }
    total
}

/// An RFC 3339 instant.
pub fn parse(s: &str) -> Option<OffsetDateTime> {
    OffsetDateTime::parse(s, &Rfc3339).ok()
}

/// A duration for people: `2 h 10 min`, `45 s` (`2 giờ 10 phút`).
pub fn human_duration(seconds: f64) -> Text {
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = seconds.max(0.0).round() as u64;
    let (d, h, m, sec) = (s / 86_400, s % 86_400 / 3600, s % 3600 / 60, s % 60);
    if d > 0 {
        tr!("{d} ngày {h} giờ", "{d} d {h} h")
    } else if h > 0 {
        tr!("{h} giờ {m} phút", "{h} h {m} min")
    } else if m > 0 {
        tr!("{m} phút {sec} giây", "{m} min {sec} s")
    } else {
        tr!("{sec} giây", "{sec} s")
    }
}

/// An instant in Vietnam time, to the minute (`2026-03-14 22:00`).
pub fn vietnam_time(s: &str) -> String {
    parse(s).map_or_else(
        || s.to_string(),
        |t| {
            let t = t.to_offset(VIETNAM);
            format!("{} {:02}:{:02}", t.date(), t.hour(), t.minute())
        },
    )
}

fn expected(spec: &Spec) -> Text {
    let pct = spec.min_uptime * 100.0;
    let cov = spec.min_coverage * 100.0;
    let n = spec.min_notice_working_days;
    let target = spec.target.as_str();
    tr!(
        "Tỷ lệ sẵn sàng ({target}) ≥ {pct:.2}% trong kỳ đánh giá, giám sát ≥ {cov:.0}% thời gian; \
         tạm ngừng có kế hoạch được trừ khi thông báo trước ≥ {n} ngày làm việc",
        "availability ({target}) ≥ {pct:.2}% over the evaluation period, monitored ≥ {cov:.0}% \
         of it; planned suspensions excused when announced ≥ {n} working days ahead"
    )
}

/// PL5-6, PL8-6, DVCQG-1, NSW-1: uptime of the check's target over the evaluation period.
pub fn availability(req: &Requirement, spec: &Spec, obs: &Observations) -> Outcome {
    let expected = expected(spec);
    let monitoring = obs.monitoring.as_deref();
    if let Some(m) = monitoring
        && let Some(e) = &m.error
    {
        return Outcome::error(
            expected,
            tr!(
                "Không đọc được dữ liệu giám sát `{}`: {e}",
                "the monitor's store `{}` could not be read: {e}",
                m.db
            ),
        );
    }
    let Some(a) = obs.availability.as_ref() else {
        return supplied(req, &expected, obs).unwrap_or_else(|| {
            Outcome::new(
                Status::Pending,
                expected,
                Text::new("Chưa có số liệu giám sát", "no monitoring figures"),
                Text::new(
                    "Chưa có số liệu giám sát liên tục: chạy `kiemdinh monitor --scenario TỆP --db TỆP` \
                     suốt kỳ đánh giá và khai báo cơ sở dữ liệu đó ở khóa `[availability] db` của kịch bản",
                    "no availability figures: run `kiemdinh monitor --scenario FILE --db FILE` over the \
                     evaluation period and name that database in the scenario's `[availability] db`",
                ),
            )
        });
    };
    judge_figures(spec, expected, a, monitoring)
}

fn judge_figures(
    spec: &Spec,
    expected: Text,
    a: &Availability,
    monitoring: Option<&Monitoring>,
) -> Outcome {
    let target = spec.target.as_str();
    let Some(t) = a.target(spec.target) else {
        let hint = if spec.target == Target::DvcqgStatus {
            Text::new(
                "khai báo `[dvcqg] status-url` trong kịch bản để trình giám sát kiểm tra kết nối DVCQG",
                "set `[dvcqg] status-url` in the scenario so the monitor probes the DVCQG connection",
            )
        } else {
            tr!(
                "kiểm tra trình giám sát có chạy cho cổng `{}` không",
                "check that the monitor runs for portal `{}`",
                a.portal
            )
        };
        return Outcome::new(
            Status::Pending,
            expected,
            tr!(
                "Không có lần kiểm tra nào của mục tiêu `{target}` trong kỳ",
                "no probe of target `{target}` in the period"
            ),
            Text::new(
                format!(
                    "Trình giám sát chưa kiểm tra `{target}` trong kỳ đánh giá: {}",
                    hint.vi
                ),
                format!(
                    "the monitor did not probe `{target}` in the evaluation period: {}",
                    hint.en
                ),
            ),
        );
    };
    let period_s = match (parse(&a.period.from), parse(&a.period.to)) {
        (Some(f), Some(t)) if t > f => (t - f).as_seconds_f64(),
        _ => {
            return Outcome::error(
                expected,
                tr!(
                    "Kỳ đánh giá không hợp lệ: {} – {}",
                    "invalid evaluation period: {} – {}",
                    a.period.from,
                    a.period.to
                ),
            );
        }
    };
    let coverage = t.monitored_s / period_s;
    let gaps = a.gaps.len();
    if t.monitored_s <= 0.0 || coverage < spec.min_coverage {
        let (got, need) = (coverage * 100.0, spec.min_coverage * 100.0);
        return Outcome::error(
            expected,
            tr!(
                "Chưa đủ dữ liệu giám sát: trình giám sát chỉ theo dõi {got:.1}% kỳ đánh giá (cần ≥ {need:.0}%; {gaps} khoảng trống)",
                "not enough monitoring: the monitor covered {got:.1}% of the evaluation period (needs ≥ {need:.0}%; {gaps} gaps)"
            ),
        );
    }
    let outages: Vec<&Outage> = a
        .outages
        .iter()
        .filter(|o| o.target == spec.target)
        .collect();
    let notices = notices(monitoring, spec.min_notice_working_days);
    let qualifying: Vec<&Suspension> = notices
        .iter()
        .filter(|n| n.qualifies)
        .map(|n| &n.suspension)
        .collect();
    // Suspensions that overlap an outage of this target and do not excuse it, with why.
    let mut counted = Vec::new();
    for n in notices.iter().filter(|n| !n.qualifies) {
        let hit = outages.iter().any(|o| overlap_s(o, &[&n.suspension]) > 0.0);
        if !hit {
            continue;
        }
        let from = vietnam_time(&n.suspension.from);
        match n.working_days {
            Ok(days) => counted.push(format!(
                "{from} ({} → {days} < {})",
                n.suspension.announced, spec.min_notice_working_days
            )),
            Err(year) => {
                return Outcome::error(
                    expected,
                    tr!(
                        "Không đếm được ngày làm việc của đợt tạm ngừng {from}: thiếu lịch nghỉ lễ năm {year} trong data/holidays-vn.toml",
                        "cannot count the working days of the suspension at {from}: no holiday data for {year} in data/holidays-vn.toml"
                    ),
                );
            }
        }
    }
    // Notices that decided something while relying on holidays not yet confirmed.
    let unconfirmed: Vec<String> = notices
        .iter()
        .filter(|n| outages.iter().any(|o| overlap_s(o, &[&n.suspension]) > 0.0))
        .flat_map(|n| n.unconfirmed.iter().cloned())
        .collect();
    let excused: f64 = outages
        .iter()
        .map(|o| overlap_s(o, &qualifying))
        .sum::<f64>()
        .min(t.down_s);
    let uptime = ((t.monitored_s - t.down_s + excused) / t.monitored_s).clamp(0.0, 1.0);
    let longest = outages
        .iter()
        .max_by(|x, y| x.duration_s.total_cmp(&y.duration_s));
    let longest_text = longest.map_or_else(
        || Text::new("không có", "none"),
        |o| {
            let d = human_duration(o.duration_s);
            let at = vietnam_time(&o.start);
            Text::new(
                format!("{} (từ {at})", d.vi),
                format!("{} (from {at})", d.en),
            )
        },
    );
    let excused_text = human_duration(excused);
    let down_text = human_duration(t.down_s);
    let (pct, cov, n_out) = (uptime * 100.0, coverage * 100.0, outages.len());
    let probes = t.probes;
    let (lv, dv, ev) = (&longest_text.vi, &down_text.vi, &excused_text.vi);
    let (le, de, ee) = (&longest_text.en, &down_text.en, &excused_text.en);
    let observed = Text::new(
        format!(
            "Sẵn sàng {pct:.3}% ({target}); giám sát {cov:.1}% kỳ, {probes} lần kiểm tra; {n_out} sự cố, \
             dài nhất {lv}; ngừng {dv}, được trừ {ev} do tạm ngừng có kế hoạch; {gaps} khoảng trống giám sát"
        ),
        format!(
            "uptime {pct:.3}% ({target}); monitored {cov:.1}% of the period, {probes} probes; {n_out} outages, \
             longest {le}; down {de}, {ee} excused by planned suspensions; {gaps} gaps in monitoring"
        ),
    );
    let counted_text = if counted.is_empty() {
        Text::same("")
    } else {
        let l = list(&counted, 3);
        tr!(
            "; tạm ngừng vẫn bị tính do thông báo chưa đủ sớm (ngày thông báo → số ngày làm việc): {l}",
            "; suspensions counted as downtime, announced too late (announcement → working days): {l}"
        )
    };
    let counted_text = if unconfirmed.is_empty() {
        counted_text
    } else {
        let l = unconfirmed.join(", ");
        Text::new(
            format!(
                "{}; ngày nghỉ chưa được xác nhận trong dữ liệu: {l}",
                counted_text.vi
            ),
            format!(
                "{}; holidays not yet confirmed in the data: {l}",
                counted_text.en
            ),
        )
    };
    let need = spec.min_uptime * 100.0;
    Outcome::either(
        uptime >= spec.min_uptime,
        expected,
        observed,
        Text::new(
            format!("Sẵn sàng {pct:.3}% ≥ {need:.2}%{}", counted_text.vi),
            format!("uptime {pct:.3}% ≥ {need:.2}%{}", counted_text.en),
        ),
        Text::new(
            format!(
                "Sẵn sàng {pct:.3}% < {need:.2}%: {n_out} sự cố, tổng {dv}{}",
                counted_text.vi
            ),
            format!(
                "uptime {pct:.3}% < {need:.2}%: {n_out} outages, {de} down{}",
                counted_text.en
            ),
        ),
    )
}

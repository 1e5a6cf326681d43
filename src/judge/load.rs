//! PL5-1 … PL5-4 (Phụ lục V): the load run's figures at the scenario's target load against the
//! checklist's `load-threshold` keys. Every number that decides comes from the check; the
//! figures come from `load.json` (a capacity search's step at the target, or the run itself).
//! A run that did not reach the target, was interrupted or answered nothing is an `error`,
//! never a `fail`; a capacity search that broke below the target is a `fail` of the latency
//! and error-rate checks.

use super::Outcome;
use super::planned::not_automated;
use crate::checklist::Requirement;
use crate::checklist::check::LoadStatistic;
use crate::evaluation::{EvidenceRef, Status};
use crate::load::capacity::plain;
use crate::observation::{CapacityStep, Latency, LoadRun, LoadWarning, Observations};
use crate::text::Text;
use crate::tr;

/// The keys of one `load-threshold` check.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Spec {
    /// Statistic bounded by `max_ms`.
    pub statistic: Option<LoadStatistic>,
    /// Response time must stay below, ms.
    pub max_ms: Option<f64>,
    /// Share of failed requests must stay below.
    pub max_error_rate: Option<f64>,
    /// Least share of the target users active in transactional journeys.
    pub min_active_ratio: Option<f64>,
}

/// The statistic's name (vi, en).
fn stat_name(s: LoadStatistic) -> (&'static str, &'static str) {
    match s {
        LoadStatistic::Mean => ("trung bình", "mean"),
        LoadStatistic::P95 => ("phân vị 95", "p95"),
        LoadStatistic::P99 => ("phân vị 99", "p99"),
        LoadStatistic::Max => ("lớn nhất", "slowest"),
    }
}

fn stat_value(l: &Latency, s: LoadStatistic) -> f64 {
    match s {
        LoadStatistic::Mean => l.mean,
        LoadStatistic::P95 => l.p95,
        LoadStatistic::P99 => l.p99,
        LoadStatistic::Max => l.max,
    }
}

/// What the check demands (the text reports show).
fn expected(spec: &Spec) -> Text {
    let mut vi = Vec::new();
    let mut en = Vec::new();
    if let (Some(s), Some(m)) = (spec.statistic, spec.max_ms) {
        let (sv, se) = stat_name(s);
        vi.push(format!("thời gian phản hồi {sv} < {m} ms"));
        en.push(format!("{se} response time < {m} ms"));
    }
    if let Some(r) = spec.max_error_rate {
        vi.push(format!("tỷ lệ lỗi < {:.1}%", r * 100.0));
        en.push(format!("error rate < {:.1}%", r * 100.0));
    }
    if let Some(r) = spec.min_active_ratio {
        vi.push(format!(
            "người dùng giao dịch ≥ {:.1}% số truy cập đồng thời",
            r * 100.0
        ));
        en.push(format!(
            "transactional users ≥ {:.1}% of concurrent users",
            r * 100.0
        ));
    }
    Text::new(
        format!("Ở tải mục tiêu của kịch bản: {}", vi.join(", ")),
        format!("at the scenario's target load: {}", en.join(", ")),
    )
}

/// The figures judged: a capacity step's or the whole run's.
struct Figures<'a> {
    users: u32,
    requests: u64,
    errors: u64,
    rps: f64,
    latency: &'a Latency,
    /// Whether they are a capacity step's (no per-status errors then).
    step: bool,
}

impl<'a> Figures<'a> {
    fn of_run(l: &'a LoadRun) -> Self {
        Self {
            users: l.users,
            requests: l.requests,
            errors: l.errors,
            rps: l.rps,
            latency: &l.latency_ms,
            step: false,
        }
    }

    fn of_step(s: &'a CapacityStep) -> Self {
        Self {
            users: s.users,
            requests: s.requests,
            errors: s.errors,
            rps: s.rps,
            latency: &s.latency_ms,
            step: true,
        }
    }

    fn error_rate(&self) -> f64 {
        if self.requests == 0 {
            0.0
        } else {
            self.errors as f64 / self.requests as f64
        }
    }
}

/// Where the figures at the target load are.
enum AtTarget<'a> {
    /// Measured at the target.
    Figures(Figures<'a>),
    /// The capacity search broke at this step, below the target.
    BrokeBelow(&'a CapacityStep),
    /// The run never held the target load.
    Short,
}

fn at_target(l: &LoadRun) -> AtTarget<'_> {
    if let Some(s) = l.steps.iter().find(|s| s.users == l.target_users) {
        return AtTarget::Figures(Figures::of_step(s));
    }
    if let Some(f) = l.steps.iter().find(|s| !s.passed)
        && f.users < l.target_users
        && l.capacity_users.is_none_or(|c| c < l.target_users)
    {
        return AtTarget::BrokeBelow(f);
    }
    if l.users >= l.target_users {
        AtTarget::Figures(Figures::of_run(l))
    } else {
        AtTarget::Short
    }
}

/// `503 × 12, timeout × 2` (statuses, then the kinds other than `status`).
fn error_breakdown(l: &LoadRun) -> String {
    l.errors_by_status
        .iter()
        .chain(l.errors_by_kind.iter().filter(|(k, _)| *k != "status"))
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} × {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The figures in both languages.
fn observed(l: &LoadRun, f: &Figures, spec: &Spec) -> Text {
    let lat = f.latency;
    let p99 = if spec.statistic == Some(LoadStatistic::P99) {
        format!(", p99 {} ms", plain(lat.p99))
    } else {
        String::new()
    };
    let stats = format!("p95 {} ms{p99}", plain(lat.p95));
    let breakdown = if f.step {
        String::new()
    } else {
        error_breakdown(l)
    };
    let breakdown = if breakdown.is_empty() {
        breakdown
    } else {
        format!(": {breakdown}")
    };
    let pct = plain(f.error_rate() * 100.0);
    let mut parts = vec![tr!(
        "{} người dùng đồng thời (mục tiêu {}), {} yêu cầu, {} yêu cầu/giây; thời gian phản hồi trung bình {} ms, {stats}, lớn nhất {} ms; tỷ lệ lỗi {pct} % ({} lỗi{breakdown})",
        "{} concurrent users (target {}), {} requests, {} requests/s; response time mean {} ms, {stats}, slowest {} ms; error rate {pct} % ({} errors{breakdown})",
        f.users,
        l.target_users,
        f.requests,
        plain(f.rps),
        plain(lat.mean),
        plain(lat.max),
        f.errors
    )];
    if spec.min_active_ratio.is_some() {
        let (done, tx) = transactional(l);
        let share = plain(active_ratio(l) * 100.0);
        parts.push(tr!(
            "; người dùng giao dịch {}/{} ({share} %), {done} lượt giao dịch hoàn tất trên {tx} hành trình giao dịch",
            "; transactional users {}/{} ({share} %), {done} transactional journeys completed over {tx} transactional journey types",
            l.active_users,
            l.target_users
        ));
    }
    if f.step {
        parts.push(tr!(
            " — bước {} người dùng của phép tìm năng lực",
            " — the {}-user step of the capacity search",
            f.users
        ));
    } else if l.segments > 1 {
        parts.push(tr!(
            " — gộp từ {} phân đoạn tải",
            " — merged from {} load segments",
            l.segments
        ));
    }
    Text::join(&parts, "")
}

/// (transactional journeys completed, transactional journey kinds).
fn transactional(l: &LoadRun) -> (u64, usize) {
    let tx: Vec<_> = l.journeys.iter().filter(|j| j.transactional).collect();
    (tx.iter().map(|j| j.completed).sum(), tx.len())
}

fn active_ratio(l: &LoadRun) -> f64 {
    if l.target_users == 0 {
        0.0
    } else {
        f64::from(l.active_users) / f64::from(l.target_users)
    }
}

/// Notes on how far the figures can be trusted (they do not change the verdict).
fn caveats(l: &LoadRun) -> Option<Text> {
    let mut out = Vec::new();
    for w in &l.warnings {
        match w {
            LoadWarning::CoordinatedOmission {
                late_requests,
                worst_delay_ms,
            } => out.push(tr!(
                "cảnh báo: {late_requests} yêu cầu bị gửi trễ sau phản hồi chậm (trễ nhất {} ms), các phân vị có thể thấp hơn thời gian người dân thực sự chờ",
                "warning: {late_requests} requests were sent late behind slow answers (up to {} ms late; coordinated omission), so the percentiles may understate what a citizen waits",
                plain(*worst_delay_ms)
            )),
            LoadWarning::ArrivalsDropped { dropped } => out.push(tr!(
                "cảnh báo: {dropped} lượt truy cập không bắt đầu đúng hạn",
                "warning: {dropped} arrivals could not start on time"
            )),
            LoadWarning::RequestBoundReached { max_requests } => out.push(tr!(
                "lần chạy dừng ở giới hạn {max_requests} yêu cầu",
                "the run stopped at its bound of {max_requests} requests"
            )),
            LoadWarning::Interrupted
            | LoadWarning::UsersShort { .. }
            | LoadWarning::EngineFailed { .. } => {}
        }
    }
    (!out.is_empty()).then(|| Text::join(&out, "; "))
}

fn with_caveats(message: Text, l: &LoadRun) -> Text {
    match caveats(l) {
        Some(c) => Text::new(
            format!("{}; {}", message.vi, c.vi),
            format!("{}; {}", message.en, c.en),
        ),
        None => message,
    }
}

fn load_json() -> EvidenceRef {
    EvidenceRef {
        label: "load.json".into(),
        url: None,
        file: Some("load.json".into()),
        sha256: None,
    }
}

/// PL5-1, PL5-2, PL5-3, PL5-4 (Phụ lục V): a load-test threshold at the scenario's target
/// load; `pending` when the load probe did not run.
pub(super) fn load_threshold(req: &Requirement, spec: &Spec, obs: &Observations) -> Outcome {
    let expected = expected(spec);
    let Some(l) = &obs.load else {
        return not_automated(req, expected, &Text::new("kiểm thử tải", "load"), obs);
    };
    let error = |observed: Text, message: Text| {
        Outcome::new(Status::Error, expected.clone(), observed, message)
            .with_evidence([load_json()])
    };
    let run_figures = observed(l, &Figures::of_run(l), spec);
    if l.target_users == 0 {
        return error(
            run_figures,
            Text::new(
                "Kịch bản không khai báo số truy cập đồng thời mục tiêu",
                "the scenario declares no target concurrency",
            ),
        );
    }
    if let Some(m) = l.warnings.iter().find_map(|w| match w {
        LoadWarning::EngineFailed { message } => Some(message),
        _ => None,
    }) {
        return error(
            run_figures,
            Text::new(
                format!("Công cụ kiểm thử tải không chạy được: {m}"),
                format!("the load engine failed: {m}"),
            ),
        );
    }
    if l.warnings.contains(&LoadWarning::Interrupted) {
        return error(
            run_figures,
            Text::new(
                "Lần chạy tải bị ngắt giữa chừng; số liệu chỉ phản ánh phần đã chạy",
                "the load run was interrupted; the figures cover only what ran",
            ),
        );
    }
    let f = match at_target(l) {
        AtTarget::Figures(f) => f,
        AtTarget::BrokeBelow(step) => {
            let broke = step
                .broke
                .as_deref()
                .filter(|b| !b.is_empty())
                .map_or_else(String::new, |b| format!(": {b}"));
            let observed = observed(l, &Figures::of_step(step), spec);
            let vi = format!(
                "Cổng không chịu được tải ở {} người dùng, dưới mức mục tiêu {}{broke}",
                step.users, l.target_users
            );
            let en = format!(
                "the portal broke at {} users, below the target {}{broke}",
                step.users, l.target_users
            );
            if spec.max_ms.is_some() || spec.max_error_rate.is_some() {
                return Outcome::fail(expected, observed, with_caveats(Text::new(vi, en), l))
                    .with_evidence([load_json()]);
            }
            return error(observed, Text::new(vi, en));
        }
        AtTarget::Short => {
            return error(
                run_figures,
                tr!(
                    "Lần chạy chỉ đạt {} trên {} người dùng mục tiêu: chưa có số liệu ở tải mục tiêu",
                    "the run reached {} of {} users: no figures at the target load",
                    l.users,
                    l.target_users
                ),
            );
        }
    };
    let observed = observed(l, &f, spec);
    if f.requests == 0 {
        return error(
            observed,
            Text::new(
                "Không có yêu cầu nào được gửi ở tải mục tiêu",
                "no request was sent at the target load",
            ),
        );
    }
    let mut broke: Vec<Text> = Vec::new();
    if let (Some(s), Some(max)) = (spec.statistic, spec.max_ms) {
        let v = stat_value(f.latency, s);
        if v >= max {
            let (sv, se) = stat_name(s);
            broke.push(tr!(
                "{sv} {} ms ≥ {} ms",
                "{se} {} ms ≥ {} ms",
                plain(v),
                plain(max)
            ));
        }
    }
    if let Some(max) = spec.max_error_rate {
        let rate = f.error_rate();
        if rate >= max {
            broke.push(tr!(
                "tỷ lệ lỗi {} % ≥ {} %",
                "error rate {} % ≥ {} %",
                plain(rate * 100.0),
                plain(max * 100.0)
            ));
        }
    }
    if let Some(min) = spec.min_active_ratio {
        let (done, kinds) = transactional(l);
        if kinds == 0 {
            return error(
                observed,
                Text::new(
                    "Kịch bản không có hành trình giao dịch nào (đánh dấu `transactional = true` cho hành trình nộp, tra cứu hoặc thanh toán)",
                    "the scenario has no transactional journey (mark the submit, look-up or payment journeys `transactional = true`)",
                ),
            );
        }
        if l.target_active_share < min {
            return error(
                observed,
                tr!(
                    "Kịch bản chỉ đưa {} % người dùng vào hành trình giao dịch ({kinds} hành trình giao dịch), dưới {} % cần kiểm: tăng tỷ lệ giao dịch của kịch bản",
                    "the scenario puts {} % of its users on transactional journeys ({kinds} transactional journeys), below the {} % to verify: raise the scenario's transactional share",
                    plain(l.target_active_share * 100.0),
                    plain(min * 100.0)
                ),
            );
        }
        if done == 0 {
            broke.push(Text::new(
                "không hành trình giao dịch nào hoàn tất",
                "no transactional journey completed",
            ));
        }
        let ratio = active_ratio(l);
        if ratio < min {
            broke.push(tr!(
                "người dùng giao dịch {} % < {} %",
                "transactional users {} % < {} %",
                plain(ratio * 100.0),
                plain(min * 100.0)
            ));
        }
    }
    let message = if broke.is_empty() {
        tr!(
            "Đạt ở tải mục tiêu ({} người dùng đồng thời)",
            "held at the target load ({} concurrent users)",
            f.users
        )
    } else {
        let b = Text::join(&broke, "; ");
        Text::new(format!("Chưa đạt: {}", b.vi), format!("not met: {}", b.en))
    };
    Outcome::new(
        if broke.is_empty() {
            Status::Pass
        } else {
            Status::Fail
        },
        expected,
        observed,
        with_caveats(message, l),
    )
    .with_evidence([load_json()])
}

#[cfg(test)]
mod tests;

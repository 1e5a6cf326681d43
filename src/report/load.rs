//! The report's "Kiểm thử tải / Load test" section (Phụ lục V): the headline figures of the
//! load run, its exact latency percentiles, each journey step, the journeys, the errors by
//! status and kind, the warnings on how far the figures can be trusted in plain words, and,
//! after a capacity search, the steps, the capacity headline and the curve as an inline SVG
//! ([`chart`]). Also the few console lines `kiemdinh load` prints ([`console`]).
//!
//! Every figure is formatted here, once, so the HTML, the Markdown and the console agree:
//! integers grouped by spaces (`123 456`),
//! milliseconds with the precision the HDR histogram gives (`0.42`, `12.3`, `1 234`).

pub mod chart;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use serde::Serialize;

use super::labels;
use crate::observation::{CapacityStep, LoadMode, LoadRun, LoadWarning};
use crate::text::{Lang, Text};

/// The latency figures of one set of requests, formatted (ms, no unit).
#[derive(Debug, Clone, Serialize)]
pub struct LatencyView {
    /// Requests measured.
    pub count: String,
    /// Mean.
    pub mean: String,
    /// Fastest.
    pub min: String,
    /// Median.
    pub p50: String,
    /// 90th percentile.
    pub p90: String,
    /// 95th percentile.
    pub p95: String,
    /// 99th percentile.
    pub p99: String,
    /// 99.9th percentile.
    pub p999: String,
    /// Slowest.
    pub max: String,
}

/// One journey step.
#[derive(Debug, Clone, Serialize)]
pub struct StepRow {
    /// Journey name (scenario text: escaped by the templates).
    pub journey: String,
    /// Step name.
    pub step: String,
    /// Requests sent.
    pub requests: String,
    /// Requests failed.
    pub errors: String,
    /// Whether some failed (the row is marked).
    pub has_errors: bool,
    /// Its latency.
    pub latency: LatencyView,
}

/// One journey.
#[derive(Debug, Clone, Serialize)]
pub struct JourneyRow {
    /// Name.
    pub name: String,
    /// Users that ran it.
    pub users: String,
    /// Journeys completed.
    pub completed: String,
    /// Journeys abandoned.
    pub failed: String,
    /// "Yes"/"No" in the report's language.
    pub transactional: String,
}

/// Failed requests of one status or kind.
#[derive(Debug, Clone, Serialize)]
pub struct CountRow {
    /// Status (`503`) or kind (`timeout`).
    pub key: String,
    /// The kind in words (the status itself for statuses).
    pub label: String,
    /// Requests.
    pub count: String,
    /// Share of all failed requests.
    pub share: String,
}

/// One step of the capacity search.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityRow {
    /// Concurrent users.
    pub users: String,
    /// Seconds held.
    pub duration: String,
    /// Requests answered.
    pub requests: String,
    /// Requests per second.
    pub rps: String,
    /// Mean, ms.
    pub mean: String,
    /// 95th percentile, ms.
    pub p95: String,
    /// Error rate.
    pub error_rate: String,
    /// `pass` or `fail` (the badge classes).
    pub status: String,
    /// Held or broke, in words.
    pub status_label: String,
    /// What broke.
    pub broke: String,
    /// Whether this is the capacity (the largest step that held).
    pub best: bool,
}

/// The capacity search.
#[derive(Debug, Clone, Serialize)]
pub struct CapacityView {
    /// "Năng lực: 300 người dùng đồng thời", or that no step held.
    pub headline: String,
    /// Whether some step held.
    pub found: bool,
    /// Whether every step held (the capacity may be higher: the report says so).
    pub all_held: bool,
    /// The steps, in the order they ran.
    pub steps: Vec<CapacityRow>,
    /// The curve, an SVG element built from numbers and the shipped labels only
    /// ([`chart::render`]); the template marks it safe.
    pub chart: String,
}

/// The load section.
#[derive(Debug, Clone, Serialize)]
pub struct LoadView {
    /// `closed` or `open`.
    pub mode: String,
    /// The model in words.
    pub mode_label: String,
    /// The portal loaded.
    pub target: String,
    /// Most users active at once.
    pub users: String,
    /// The scenario's target concurrency.
    pub target_users: String,
    /// Whether fewer users were reached than targeted.
    pub users_short: bool,
    /// Users on transactional journeys.
    pub active_users: String,
    /// Their share of the users reached.
    pub active_share: String,
    /// The scenario's target share.
    pub target_active_share: String,
    /// Seconds measured.
    pub duration: String,
    /// `start – end`, or empty.
    pub window: String,
    /// Requests.
    pub requests: String,
    /// Failed requests.
    pub errors: String,
    /// Requests per second.
    pub rps: String,
    /// Error rate.
    pub error_rate: String,
    /// Every request's latency.
    pub latency: LatencyView,
    /// Per journey step.
    pub steps: Vec<StepRow>,
    /// Per journey.
    pub journeys: Vec<JourneyRow>,
    /// Failed requests by HTTP status.
    pub errors_by_status: Vec<CountRow>,
    /// Failed requests by kind.
    pub errors_by_kind: Vec<CountRow>,
    /// The warnings in plain words.
    pub warnings: Vec<String>,
    /// "Merged from N segments …" when more than one; empty otherwise.
    pub segments: String,
    /// The capacity search, when it ran.
    pub capacity: Option<CapacityView>,
}

/// Groups the digits of an integer by spaces: `123456` → `123 456` (left alone below
/// 10 000, as the regulation's tables write four-digit numbers).
pub fn group(n: u64) -> String {
    let digits = n.to_string();
    if n < 10_000 {
        return digits;
    }
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(' ');
        }
        out.push(c);
    }
    out
}

/// Milliseconds as the histogram knows them (3 significant digits, no unit): `0.42`, `12.3`,
/// `812`, `12 400`. A value that is not a finite number is `—`.
pub fn ms(x: f64) -> String {
    if !x.is_finite() || x < 0.0 {
        "—".to_string()
    } else if x < 10.0 {
        format!("{x:.2}")
    } else if x < 100.0 {
        format!("{x:.1}")
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        group(x.round() as u64)
    }
}

/// A share as a percentage with `decimals` places (`0.0012` → `0.12 %`); a non-zero share
/// too small to show is `< 0.01 %`, never a misleading `0.00 %`.
pub fn percent(share: f64, decimals: usize) -> String {
    if !share.is_finite() {
        return "—".to_string();
    }
    let p = share * 100.0;
    let smallest = 10f64.powi(-i32::try_from(decimals).unwrap_or(2));
    if p == 0.0 {
        "0 %".to_string()
    } else if p < smallest {
        format!("< {smallest:.decimals$} %")
    } else {
        format!("{p:.decimals$} %")
    }
}

/// Requests per second: one decimal below 1 000, grouped integers above.
fn rate(x: f64) -> String {
    if !x.is_finite() || x < 0.0 {
        "—".to_string()
    } else if x < 1000.0 {
        format!("{x:.1}")
    } else {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        group(x.round() as u64)
    }
}

fn seconds(x: f64) -> String {
    if x.is_finite() && x >= 0.0 {
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let s = x.round() as u64;
        format!("{} s", group(s))
    } else {
        "—".to_string()
    }
}

fn ratio(part: u64, whole: u64) -> f64 {
    if whole == 0 {
        0.0
    } else {
        part as f64 / whole as f64
    }
}

/// The figures of a latency summary; nothing measured gives dashes, never a row of zeros.
fn latency(l: &crate::observation::Latency) -> LatencyView {
    let f = |x: f64| {
        if l.count == 0 {
            "—".to_string()
        } else {
            ms(x)
        }
    };
    LatencyView {
        count: group(l.count),
        mean: f(l.mean),
        min: f(l.min),
        p50: f(l.p50),
        p90: f(l.p90),
        p95: f(l.p95),
        p99: f(l.p99),
        p999: f(l.p999),
        max: f(l.max),
    }
}

fn label(key: &str, lang: Lang) -> String {
    labels::get(key).get(lang).to_string()
}

/// A failure kind in words; an unknown kind is shown as it is.
fn kind_label(kind: &str) -> Text {
    match kind {
        "status" => Text::new("mã trạng thái không như mong đợi", "unexpected HTTP status"),
        "timeout" => Text::new("hết thời gian chờ", "timed out"),
        "connect" => Text::new("không kết nối được", "could not connect"),
        "body" => Text::new(
            "nội dung trả về không như mong đợi",
            "unexpected response body",
        ),
        "capture" => Text::new(
            "không lấy được giá trị cần dùng ở bước sau",
            "a value for a later step was not found",
        ),
        other => Text::same(other),
    }
}

/// One warning in plain words.
pub fn warning(w: &LoadWarning, lang: Lang) -> String {
    match w {
        LoadWarning::CoordinatedOmission {
            late_requests,
            worst_delay_ms,
        } => label("load_warn_co", lang)
            .replace("{n}", &group(*late_requests))
            .replace("{ms}", &format!("{} ms", ms(*worst_delay_ms))),
        LoadWarning::ArrivalsDropped { dropped } => {
            label("load_warn_dropped", lang).replace("{n}", &group(*dropped))
        }
        LoadWarning::RequestBoundReached { max_requests } => {
            label("load_warn_bound", lang).replace("{n}", &group(*max_requests))
        }
        LoadWarning::Interrupted => label("load_warn_interrupted", lang),
        LoadWarning::EngineFailed { message } => {
            label("load_warn_engine", lang).replace("{message}", message)
        }
        LoadWarning::UsersShort { planned, reached } => label("load_warn_short", lang)
            .replace("{planned}", &group(u64::from(*planned)))
            .replace("{reached}", &group(u64::from(*reached))),
    }
}

fn counts(
    m: &std::collections::BTreeMap<String, u64>,
    errors: u64,
    words: impl Fn(&str) -> String,
) -> Vec<CountRow> {
    let total = errors.max(m.values().sum());
    let mut rows: Vec<(&String, &u64)> = m.iter().filter(|(_, n)| **n > 0).collect();
    rows.sort_by(|a, b| b.1.cmp(a.1).then_with(|| a.0.cmp(b.0)));
    rows.into_iter()
        .map(|(k, n)| CountRow {
            key: k.clone(),
            label: words(k),
            count: group(*n),
            share: percent(ratio(*n, total), 1),
        })
        .collect()
}

/// The capacity headline: "Năng lực: N người dùng đồng thời", or that no step held (naming
/// the first step); `None` when no capacity search ran.
pub fn capacity_headline(run: &LoadRun, lang: Lang) -> Option<String> {
    let first = run.steps.first()?;
    Some(match run.capacity_users {
        Some(n) => label("load_capacity_headline", lang).replace("{n}", &group(u64::from(n))),
        None => label("load_capacity_none", lang).replace("{n}", &group(u64::from(first.users))),
    })
}

fn capacity_row(s: &CapacityStep, best: bool, lang: Lang) -> CapacityRow {
    let l = latency(&s.latency_ms);
    CapacityRow {
        users: group(u64::from(s.users)),
        duration: seconds(s.duration_s),
        requests: group(s.requests),
        rps: rate(s.rps),
        mean: l.mean,
        p95: l.p95,
        error_rate: percent(ratio(s.errors, s.requests), 2),
        status: if s.passed { "pass" } else { "fail" }.to_string(),
        status_label: label(if s.passed { "load_held" } else { "load_broke" }, lang),
        broke: s.broke.clone().unwrap_or_default(),
        best,
    }
}

fn capacity(run: &LoadRun, lang: Lang) -> Option<CapacityView> {
    let headline = capacity_headline(run, lang)?;
    // The marked row: the last step that held with the capacity's users.
    let best = run
        .capacity_users
        .and_then(|n| run.steps.iter().rposition(|s| s.passed && s.users == n));
    Some(CapacityView {
        headline,
        found: run.capacity_users.is_some(),
        all_held: run.steps.iter().all(|s| s.passed),
        steps: run
            .steps
            .iter()
            .enumerate()
            .map(|(i, s)| capacity_row(s, Some(i) == best, lang))
            .collect(),
        chart: chart::render(&run.steps, run.capacity_users, lang),
    })
}

/// The section's view of a load run, in one language.
pub fn build(run: &LoadRun, lang: Lang) -> LoadView {
    let yes_no = |b: bool| label(if b { "yes" } else { "no" }, lang);
    LoadView {
        mode: match run.mode {
            LoadMode::Closed => "closed",
            LoadMode::Open => "open",
        }
        .to_string(),
        mode_label: label(
            match run.mode {
                LoadMode::Closed => "load_mode_closed",
                LoadMode::Open => "load_mode_open",
            },
            lang,
        ),
        target: run.target.clone(),
        users: group(u64::from(run.users)),
        target_users: group(u64::from(run.target_users)),
        users_short: run.users < run.target_users,
        active_users: group(u64::from(run.active_users)),
        active_share: percent(ratio(u64::from(run.active_users), u64::from(run.users)), 1),
        target_active_share: percent(run.target_active_share, 0),
        duration: seconds(run.duration_s),
        window: if run.started_at.is_empty() {
            String::new()
        } else {
            format!("{} – {}", run.started_at, run.finished_at)
        },
        requests: group(run.requests),
        errors: group(run.errors),
        rps: rate(run.rps),
        error_rate: percent(run.error_rate(), 2),
        latency: latency(&run.latency_ms),
        steps: run
            .by_step
            .iter()
            .map(|s| StepRow {
                journey: s.journey.clone(),
                step: s.step.clone(),
                requests: group(s.requests),
                errors: group(s.errors),
                has_errors: s.errors > 0,
                latency: latency(&s.latency_ms),
            })
            .collect(),
        journeys: run
            .journeys
            .iter()
            .map(|j| JourneyRow {
                name: j.name.clone(),
                users: group(u64::from(j.users)),
                completed: group(j.completed),
                failed: group(j.failed),
                transactional: yes_no(j.transactional),
            })
            .collect(),
        errors_by_status: counts(&run.errors_by_status, run.errors, str::to_string),
        errors_by_kind: counts(&run.errors_by_kind, run.errors, |k| {
            kind_label(k).get(lang).to_string()
        }),
        warnings: run.warnings.iter().map(|w| warning(w, lang)).collect(),
        segments: if run.segments > 1 {
            label("load_segments", lang).replace("{n}", &run.segments.to_string())
        } else {
            String::new()
        },
        capacity: capacity(run, lang),
    }
}

/// The few aligned lines `kiemdinh load` prints after a run (the PL5 verdicts follow them):
///
/// ```text
/// Load test — closed model — http://127.0.0.1:8080/
///   users          480 / 500 (transactional 120, 25.0 %; target 25 %)
///   requests       123 456 in 300 s — 411.5/s — errors 148 (0.12 %)
///   latency (ms)   mean 210 · p50 180 · p95 812 · p99 1 530 · max 4 210
///   capacity       Capacity: 300 concurrent users
///   warning        Only 480 of the 500 planned concurrent users were reached; …
/// ```
pub fn console(run: &LoadRun, lang: Lang) -> String {
    let v = build(run, lang);
    let t = |vi: &str, en: &str| Text::new(vi, en).get(lang).to_string();
    let mode = match run.mode {
        LoadMode::Closed => t("mô hình đóng", "closed model"),
        LoadMode::Open => t("mô hình mở", "open model"),
    };
    let mut rows: Vec<(String, String)> = vec![
        (
            t("người dùng", "users"),
            format!(
                "{} / {} ({} {}, {}; {} {})",
                v.users,
                v.target_users,
                t("giao dịch", "transactional"),
                v.active_users,
                v.active_share,
                t("mục tiêu", "target"),
                v.target_active_share
            ),
        ),
        (
            t("yêu cầu", "requests"),
            format!(
                "{} {} {} — {}/s — {} {} ({})",
                v.requests,
                t("trong", "in"),
                v.duration,
                v.rps,
                t("lỗi", "errors"),
                v.errors,
                v.error_rate
            ),
        ),
        (
            t("thời gian (ms)", "latency (ms)"),
            format!(
                "{} {} · p50 {} · p95 {} · p99 {} · max {}",
                t("trung bình", "mean"),
                v.latency.mean,
                v.latency.p50,
                v.latency.p95,
                v.latency.p99,
                v.latency.max
            ),
        ),
    ];
    if let Some(c) = &v.capacity {
        rows.push((t("năng lực", "capacity"), c.headline.clone()));
    }
    if !v.segments.is_empty() {
        rows.push((t("phân đoạn", "segments"), run.segments.to_string()));
    }
    for w in &v.warnings {
        rows.push((t("lưu ý", "warning"), w.clone()));
    }
    let width = rows
        .iter()
        .map(|(k, _)| k.chars().count())
        .max()
        .unwrap_or(0);
    let mut s = format!("{} — {mode} — {}", label("load", lang), run.target);
    for (k, val) in rows {
        let pad = width - k.chars().count();
        let _ = write!(s, "\n  {k}{}  {val}", " ".repeat(pad));
    }
    s
}

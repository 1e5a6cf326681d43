//! The availability section of the reports: the monitor's figures over the evaluation period
//! (per target), a timeline of daily uptime (inline SVG, [`timeline`]), the outage table with
//! whether a qualifying planned suspension excused each outage, the planned suspensions with
//! their notice, and the gaps in monitoring. Built from the observations only; the notice
//! threshold is the one the evaluation's `availability` checks used.

#[cfg(test)]
mod tests;
mod timeline;

use serde::Serialize;

use crate::evaluation::Evaluation;
use crate::judge::availability::{Notice, human_duration, notices, overlap_s, vietnam_time};
use crate::observation::{Availability, Monitoring, Outage, Suspension};
use crate::text::Lang;

use super::labels;

/// One monitored target.
#[derive(Debug, Clone, Serialize)]
pub struct TargetRow {
    /// `home`, `dvcqg-status`, ….
    pub target: String,
    /// The URL probed.
    pub url: String,
    /// Probes.
    pub probes: u64,
    /// Failed probes.
    pub failed: u64,
    /// Share of the period monitored (`97.6%`).
    pub monitored: String,
    /// Raw uptime over the monitored time, before suspensions (`99.249%`).
    pub uptime: String,
    /// Median and 95th-percentile latency of successful probes (`120 / 310 ms`).
    pub latency: String,
}

/// One outage.
#[derive(Debug, Clone, Serialize)]
pub struct OutageRow {
    /// Target.
    pub target: String,
    /// Start, Vietnam time.
    pub start: String,
    /// End, Vietnam time (or "ongoing").
    pub end: String,
    /// Duration.
    pub duration: String,
    /// The first failure as recorded (portal text: escaped by the templates).
    pub first_error: String,
    /// `yes`, `partly`, `no` or `unknown` (no notice threshold in this evaluation).
    pub excused: String,
    /// The same, as a label.
    pub excused_label: String,
}

/// One planned suspension.
#[derive(Debug, Clone, Serialize)]
pub struct SuspensionRow {
    /// Start, Vietnam time.
    pub from: String,
    /// End, Vietnam time.
    pub to: String,
    /// Day announced.
    pub announced: String,
    /// Full working days of notice (or why they cannot be counted).
    pub notice: String,
    /// Whether it excuses downtime (`yes`/`no`/`unknown`), as a label.
    pub qualifies_label: String,
    /// `yes`, `no` or `unknown`.
    pub qualifies: String,
    /// Its note (scenario text: escaped by the templates).
    pub note: String,
}

/// The availability section.
#[derive(Debug, Clone, Serialize)]
pub struct AvailabilityView {
    /// The monitor's portal id.
    pub portal: String,
    /// The store, as the scenario names it.
    pub db: String,
    /// The period, Vietnam time.
    pub period: String,
    /// The probe interval.
    pub interval: String,
    /// Why the store could not be read; the rest is then empty.
    pub error: Option<String>,
    /// Per target.
    pub targets: Vec<TargetRow>,
    /// Every outage, by start.
    pub outages: Vec<OutageRow>,
    /// The planned suspensions.
    pub suspensions: Vec<SuspensionRow>,
    /// The notice threshold in force (`7`), when an `availability` check was judged.
    pub notice_days: Option<String>,
    /// Gaps in monitoring: count and total (`1 (12 h 0 min)`).
    pub gaps: String,
    /// The timeline (inline SVG of numbers and shipped labels; portal text escaped).
    pub timeline: String,
}

/// The notice threshold the evaluation's `availability` checks used.
fn notice_threshold(e: &Evaluation) -> Option<u32> {
    e.requirements
        .iter()
        .flat_map(|j| j.thresholds.iter())
        .find(|t| t.check == "availability" && t.key == "min-notice-working-days")
        .and_then(|t| t.value.as_u64())
        .and_then(|v| u32::try_from(v).ok())
}

fn label(key: &str, lang: Lang) -> String {
    labels::get(key).get(lang).to_string()
}

/// A share as a percentage with `decimals` (`99.795%`).
fn pct(share: f64, decimals: usize) -> String {
    if share.is_finite() {
        format!("{:.decimals$}%", share * 100.0)
    } else {
        "—".into()
    }
}

fn period_s(a: &Availability) -> f64 {
    use crate::judge::availability::parse;
    match (parse(&a.period.from), parse(&a.period.to)) {
        (Some(f), Some(t)) if t > f => (t - f).as_seconds_f64(),
        _ => 0.0,
    }
}

fn yes_no(v: Option<bool>, lang: Lang) -> (String, String) {
    let key = match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "unknown",
    };
    (key.to_string(), label(&format!("avail_{key}"), lang))
}

fn outage_row(o: &Outage, qualifying: Option<&[&Suspension]>, lang: Lang) -> OutageRow {
    let (excused, excused_label) = match qualifying {
        None => yes_no(None, lang),
        Some(q) => {
            let covered = overlap_s(o, q);
            if covered <= 0.0 {
                yes_no(Some(false), lang)
            } else if covered + 1.0 >= o.duration_s {
                yes_no(Some(true), lang)
            } else {
                ("partly".into(), label("avail_partly", lang))
            }
        }
    };
    OutageRow {
        target: o.target.as_str().to_string(),
        start: vietnam_time(&o.start),
        end: if o.ongoing {
            label("avail_ongoing", lang)
        } else {
            vietnam_time(&o.end)
        },
        duration: human_duration(o.duration_s).get(lang).to_string(),
        first_error: o.first_error.clone(),
        excused,
        excused_label,
    }
}

fn suspension_row(n: &Notice, judged: bool, lang: Lang) -> SuspensionRow {
    let notice = match n.working_days {
        Ok(d) => d.to_string(),
        Err(year) => format!("{} {year}", label("avail_no_holidays", lang)),
    };
    let (qualifies, qualifies_label) = yes_no(judged.then_some(n.qualifies), lang);
    SuspensionRow {
        from: vietnam_time(&n.suspension.from),
        to: vietnam_time(&n.suspension.to),
        announced: n.suspension.announced.clone(),
        notice,
        qualifies,
        qualifies_label,
        note: n.suspension.note.clone(),
    }
}

/// The section, when the observations hold monitor figures or a store that failed.
pub fn build(eval: &Evaluation, lang: Lang) -> Option<AvailabilityView> {
    let obs = &eval.observations;
    let monitoring: Option<&Monitoring> = obs.monitoring.as_deref();
    let Some(avail) = obs.availability.as_ref() else {
        let mon = monitoring?;
        let error = mon.error.clone()?;
        return Some(AvailabilityView {
            portal: mon.portal.clone(),
            db: mon.db.clone(),
            period: format!(
                "{} – {}",
                vietnam_time(&mon.period.from),
                vietnam_time(&mon.period.to)
            ),
            interval: "—".into(),
            error: Some(error),
            targets: Vec::new(),
            outages: Vec::new(),
            suspensions: Vec::new(),
            notice_days: None,
            gaps: "—".into(),
            timeline: String::new(),
        });
    };
    let threshold = notice_threshold(eval);
    let all = notices(monitoring, threshold.unwrap_or(u32::MAX));
    let qualifying: Vec<&Suspension> = all
        .iter()
        .filter(|n| threshold.is_some() && n.qualifies)
        .map(|n| &n.suspension)
        .collect();
    let span = period_s(avail);
    let targets = avail
        .targets
        .iter()
        .map(|t| TargetRow {
            target: t.target.as_str().to_string(),
            url: t.url.clone(),
            probes: t.probes,
            failed: t.failed,
            monitored: if span > 0.0 {
                pct(t.monitored_s / span, 1)
            } else {
                "—".into()
            },
            uptime: if t.monitored_s > 0.0 {
                pct((t.monitored_s - t.down_s) / t.monitored_s, 3)
            } else {
                "—".into()
            },
            latency: format!(
                "{} / {} ms",
                super::load::ms(t.latency_ms.p50),
                super::load::ms(t.latency_ms.p95)
            ),
        })
        .collect();
    let gap_s: f64 = avail
        .gaps
        .iter()
        .filter_map(|g| {
            let (f, t) = (
                crate::judge::availability::parse(&g.from)?,
                crate::judge::availability::parse(&g.to)?,
            );
            Some((t - f).as_seconds_f64())
        })
        .sum();
    Some(AvailabilityView {
        portal: avail.portal.clone(),
        db: avail.db.clone(),
        period: format!(
            "{} – {}",
            vietnam_time(&avail.period.from),
            vietnam_time(&avail.period.to)
        ),
        interval: human_duration(avail.interval_s).get(lang).to_string(),
        error: None,
        targets,
        outages: avail
            .outages
            .iter()
            .map(|o| outage_row(o, threshold.map(|_| qualifying.as_slice()), lang))
            .collect(),
        suspensions: all
            .iter()
            .map(|n| suspension_row(n, threshold.is_some(), lang))
            .collect(),
        notice_days: threshold.map(|t| t.to_string()),
        gaps: format!("{} ({})", avail.gaps.len(), human_duration(gap_s).get(lang)),
        timeline: timeline::svg(avail, lang),
    })
}

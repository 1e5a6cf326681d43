//! `[availability]`: where the monitor's figures are (`db`, a contract key), which of the
//! monitor's portals this scenario is (`portal`), the evaluation period (`from`/`to`) and the
//! planned suspensions announced by the owner (`[[availability.suspension]]`). Validated into
//! [`AvailabilitySettings`]; the judges are `judge::availability`.
//!
//! ```toml
//! [availability]
//! db = "kiemdinh.db"          # relative to this file
//! portal = "lam-son"          # default: this file's stem
//! from = "2026-01-01"         # Vietnam dates, both inclusive; default: the 365 days before the run
//! to = "2026-12-31"
//!
//! [[availability.suspension]]
//! from = "2026-03-14T22:00:00+07:00"   # RFC 3339, or a local date-time read as Vietnam time
//! to = "2026-03-15 02:00"
//! announced = "2026-03-02"
//! note = "Nâng cấp máy chủ cơ sở dữ liệu"
//! ```

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::Deserialize;
use time::format_description::well_known::Rfc3339;
use time::macros::{format_description, offset};
use time::{Date, Duration, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

use crate::error::Problem;
use crate::input::{Source, relative_to};
use crate::observation::{Monitoring, Span, Suspension};

/// Vietnam time (UTC+7, no daylight saving): the local dates and times of the section.
pub const VIETNAM: UtcOffset = offset!(+7);

/// Length of the default evaluation period, in days.
pub const DEFAULT_PERIOD_DAYS: i64 = 365;

/// `[availability]` as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawAvailability {
    /// The monitor's database (`kiemdinh monitor --db`), relative to the scenario file.
    pub db: String,
    /// The monitor's portal id (default: the scenario file's stem).
    #[serde(default)]
    pub portal: Option<String>,
    /// First day of the evaluation period (`YYYY-MM-DD`, Vietnam time). Default: 365 days
    /// before `to`, or before the run.
    #[serde(default)]
    pub from: Option<String>,
    /// Last day of the evaluation period, included (`YYYY-MM-DD`, Vietnam time). Default: up
    /// to the run.
    #[serde(default)]
    pub to: Option<String>,
    /// Planned suspensions announced in advance (NĐ 224/2026 Đ13.1.a).
    #[serde(default)]
    pub suspension: Vec<RawSuspension>,
}

/// `[[availability.suspension]]` as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSuspension {
    /// Start: RFC 3339 (`2026-03-14T22:00:00+07:00`) or a local date-time read as Vietnam
    /// time (`2026-03-14 22:00`, `2026-03-14T22:00:00`).
    pub from: String,
    /// End, after `from`; same forms.
    pub to: String,
    /// The day the suspension was announced (`YYYY-MM-DD`), not after its start.
    pub announced: String,
    /// What it was for.
    #[serde(default)]
    pub note: Option<String>,
}

/// `[availability]`, validated.
#[derive(Debug, Clone, serde::Serialize)]
pub struct AvailabilitySettings {
    /// The store, resolved against the scenario's directory.
    pub db: PathBuf,
    /// The store as written (shown in reports).
    pub db_label: String,
    /// The monitor's portal id.
    pub portal: String,
    /// First day of the period, when given.
    pub from: Option<Date>,
    /// Last day of the period (included), when given.
    pub to: Option<Date>,
    /// Planned suspensions, by start.
    pub suspensions: Vec<Suspension>,
}

impl AvailabilitySettings {
    /// The evaluation period at `now`: from 00:00 Vietnam time of `from` to 24:00 of `to`;
    /// without `to`, up to `now`; without `from`, the [`DEFAULT_PERIOD_DAYS`] days before the
    /// end.
    pub fn period(&self, now: OffsetDateTime) -> Span {
        let day_start = |d: Date| PrimitiveDateTime::new(d, Time::MIDNIGHT).assume_offset(VIETNAM);
        let end = self
            .to
            .and_then(Date::next_day)
            .map_or(now, day_start)
            .to_offset(UtcOffset::UTC);
        let start = self
            .from
            .map_or(end - Duration::days(DEFAULT_PERIOD_DAYS), day_start)
            .to_offset(UtcOffset::UTC);
        Span {
            from: rfc3339(start),
            to: rfc3339(end),
        }
    }

    /// What the judges read, at `now`; `error` when the store could not be read.
    pub fn monitoring(&self, now: OffsetDateTime, error: Option<String>) -> Monitoring {
        Monitoring {
            db: self.db_label.clone(),
            portal: self.portal.clone(),
            period: self.period(now),
            suspensions: self.suspensions.clone(),
            error,
        }
    }
}

/// An instant as RFC 3339 in UTC, seconds precision.
pub fn rfc3339(t: OffsetDateTime) -> String {
    let t = t.to_offset(UtcOffset::UTC);
    t.replace_nanosecond(0)
        .unwrap_or(t)
        .format(&Rfc3339)
        .unwrap_or_default()
}

/// An instant written as RFC 3339 or as a local date-time in Vietnam time.
pub fn parse_instant(s: &str) -> Option<OffsetDateTime> {
    if let Ok(t) = OffsetDateTime::parse(s.trim(), &Rfc3339) {
        return Some(t);
    }
    let s = s.trim().replacen(' ', "T", 1);
    [
        format_description!("[year]-[month]-[day]T[hour]:[minute]:[second]"),
        format_description!("[year]-[month]-[day]T[hour]:[minute]"),
    ]
    .iter()
    .find_map(|f| PrimitiveDateTime::parse(&s, f).ok())
    .map(|t| t.assume_offset(VIETNAM))
}

/// The scenario's `[availability]` section validated, when it has one.
pub(super) fn section(
    raw: &super::RawScenario,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> Option<Box<AvailabilitySettings>> {
    let a = raw.availability.as_ref()?;
    Some(Box::new(validate(a, source, problems)))
}

/// Validates `[availability]`, adding every problem to `problems`.
pub fn validate(
    raw: &RawAvailability,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> AvailabilitySettings {
    let mut problem = |key: String, message: String| {
        problems.push(source.problem_at(None, Some(key), message));
    };
    if raw.db.trim().is_empty() {
        problem(
            "availability.db".into(),
            "must name the monitor's database file".into(),
        );
    }
    let portal = raw.portal.clone().unwrap_or_else(|| {
        source
            .path
            .file_stem()
            .map_or_else(|| "portal".into(), |s| s.to_string_lossy().to_string())
    });
    if portal.trim().is_empty() {
        problem("availability.portal".into(), "must not be empty".into());
    }
    let mut date = |key: &str, v: &Option<String>| {
        let v = v.as_ref()?;
        let d = crate::clock::parse_date(v);
        if d.is_none() {
            problem(
                format!("availability.{key}"),
                format!("`{v}` is not a date: expected YYYY-MM-DD"),
            );
        }
        d
    };
    let from = date("from", &raw.from);
    let to = date("to", &raw.to);
    let mut problem = |key: String, message: String| {
        problems.push(source.problem_at(None, Some(key), message));
    };
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        problem(
            "availability.to".into(),
            format!("the period ends ({t}) before it starts ({f})"),
        );
    }
    let mut suspensions = Vec::new();
    for (i, s) in raw.suspension.iter().enumerate() {
        let key = |k: &str| format!("availability.suspension[{i}].{k}");
        let instant = |k: &str, v: &str, problem: &mut dyn FnMut(String, String)| {
            let t = parse_instant(v);
            if t.is_none() {
                problem(
                    key(k),
                    format!(
                        "`{v}` is not a date-time: expected RFC 3339 (2026-03-14T22:00:00+07:00) \
                         or a Vietnam-time YYYY-MM-DD HH:MM"
                    ),
                );
            }
            t
        };
        let start = instant("from", &s.from, &mut problem);
        let end = instant("to", &s.to, &mut problem);
        let announced = crate::clock::parse_date(&s.announced);
        if announced.is_none() {
            problem(
                key("announced"),
                format!("`{}` is not a date: expected YYYY-MM-DD", s.announced),
            );
        }
        if let (Some(a), Some(b)) = (start, end)
            && b <= a
        {
            problem(key("to"), "the suspension must end after it starts".into());
        }
        if let (Some(a), Some(d)) = (start, announced)
            && d > a.to_offset(VIETNAM).date()
        {
            problem(
                key("announced"),
                format!(
                    "announced {d}, after the suspension started ({}, Vietnam time)",
                    a.to_offset(VIETNAM).date()
                ),
            );
        }
        if let (Some(a), Some(b), Some(d)) = (start, end, announced) {
            suspensions.push(Suspension {
                from: rfc3339(a),
                to: rfc3339(b),
                announced: d.to_string(),
                note: s.note.clone().unwrap_or_default(),
            });
        }
    }
    suspensions.sort_by(|a, b| a.from.cmp(&b.from));
    AvailabilitySettings {
        db: relative_to(&source.path, &raw.db),
        db_label: raw.db.clone(),
        portal,
        from,
        to,
        suspensions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;
    use crate::scenario::Scenario;
    use crate::scenario::tests::{OK, src};
    use time::macros::datetime;

    fn problems(section: &str) -> Vec<Problem> {
        match Scenario::from_source(&src(&format!("{OK}{section}"))) {
            Err(Error::Invalid { problems, .. }) => problems,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_full_section_is_carried_into_the_scenario() {
        let s = Scenario::from_source(&src(&format!(
            "{OK}[availability]\ndb = \"mon/kiemdinh.db\"\nfrom = \"2026-01-01\"\nto = \"2026-06-30\"\n\
             [[availability.suspension]]\nfrom = \"2026-03-14 22:00\"\nto = \"2026-03-15T02:00:00+07:00\"\n\
             announced = \"2026-03-02\"\nnote = \"Nâng cấp\"\n"
        )))
        .unwrap();
        let a = s.availability.unwrap();
        assert_eq!(a.portal, "s", "the file stem by default");
        assert_eq!(a.db, std::path::Path::new("mon/kiemdinh.db"));
        assert_eq!(a.db_label, "mon/kiemdinh.db");
        assert_eq!(a.suspensions.len(), 1);
        assert_eq!(a.suspensions[0].from, "2026-03-14T15:00:00Z");
        assert_eq!(a.suspensions[0].to, "2026-03-14T19:00:00Z");
        assert_eq!(a.suspensions[0].announced, "2026-03-02");
        let p = a.period(datetime!(2026-11-30 09:00 UTC));
        assert_eq!(p.from, "2025-12-31T17:00:00Z");
        assert_eq!(p.to, "2026-06-30T17:00:00Z");
    }

    #[test]
    fn the_default_period_is_the_365_days_before_the_run() {
        let s = Scenario::from_source(&src(&format!(
            "{OK}[availability]\ndb = \"k.db\"\nportal = \"lam-son\"\n"
        )))
        .unwrap();
        let a = s.availability.unwrap();
        assert_eq!(a.portal, "lam-son");
        let p = a.period(datetime!(2026-11-30 09:00:30.5 UTC));
        assert_eq!(p.to, "2026-11-30T09:00:30Z");
        assert_eq!(p.from, "2025-11-30T09:00:30Z");
        let m = a.monitoring(datetime!(2026-11-30 09:00 UTC), Some("locked".into()));
        assert_eq!(m.error.as_deref(), Some("locked"));
        assert_eq!(m.db, "k.db");
    }

    #[test]
    fn without_the_section_there_is_nothing_to_monitor() {
        assert!(
            Scenario::from_source(&src(OK))
                .unwrap()
                .availability
                .is_none()
        );
    }

    #[test]
    fn every_problem_is_reported_at_its_line_and_key() {
        let p = problems(
            "[availability]\ndb = \"\"\nfrom = \"2026-07-01\"\nto = \"2026-01-01\"\n\
             [[availability.suspension]]\nfrom = \"2026-03-14 22:00\"\nto = \"2026-03-14 21:00\"\nannounced = \"2026-03-20\"\n\
             [[availability.suspension]]\nfrom = \"tomorrow\"\nto = \"2026-03-14 21:00\"\nannounced = \"2/3/2026\"\n",
        );
        let shown: Vec<String> = p.iter().map(ToString::to_string).collect();
        let has = |needle: &str| shown.iter().any(|s| s.contains(needle));
        assert!(has("s.toml:7:6: key `availability.db`"), "{shown:#?}");
        assert!(
            has("s.toml:9:6: key `availability.to`: the period ends"),
            "{shown:#?}"
        );
        assert!(
            has("key `availability.suspension[0].to`: the suspension must end after"),
            "{shown:#?}"
        );
        assert!(
            has(
                "s.toml:13:13: key `availability.suspension[0].announced`: announced 2026-03-20, after"
            ),
            "{shown:#?}"
        );
        assert!(
            has("key `availability.suspension[1].from`: `tomorrow` is not a date-time"),
            "{shown:#?}"
        );
        assert!(
            has("key `availability.suspension[1].announced`: `2/3/2026` is not a date"),
            "{shown:#?}"
        );
        assert_eq!(p.len(), 6, "{shown:#?}");
    }

    #[test]
    fn unknown_keys_and_a_missing_db_are_structural_problems() {
        let shown = problems("[availability]\ndatabase = \"k.db\"\n")
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("\n");
        assert!(
            shown.contains("database") && shown.contains("s.toml:7"),
            "{shown}"
        );
        assert!(shown.contains("db"), "{shown}");
    }

    #[test]
    fn instants_take_rfc3339_or_vietnam_local_time() {
        assert_eq!(
            parse_instant("2026-03-14T22:00:00+07:00"),
            Some(datetime!(2026-03-14 15:00 UTC))
        );
        assert_eq!(
            parse_instant("2026-03-14 22:00"),
            Some(datetime!(2026-03-14 15:00 UTC))
        );
        assert_eq!(
            parse_instant("2026-03-14T22:00:05"),
            Some(datetime!(2026-03-14 15:00:05 UTC))
        );
        assert_eq!(parse_instant("2026-03-14"), None);
        assert_eq!(parse_instant("22:00"), None);
    }
}

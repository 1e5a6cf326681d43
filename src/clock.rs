//! Wall-clock time, in one place: RFC 3339 timestamps for observations and journals, and the
//! date used in default output directory names. Reports take their time as a value
//! (`Evaluation::generated_at`), so snapshots stay stable.

use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The current UTC time as RFC 3339 (seconds precision).
pub fn now_rfc3339() -> String {
    let now = OffsetDateTime::now_utc();
    let now = now.replace_nanosecond(0).unwrap_or(now);
    now.format(&Rfc3339).unwrap_or_default()
}

/// Today's UTC date as `YYYY-MM-DD`.
pub fn today() -> String {
    let d = OffsetDateTime::now_utc().date();
    format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
}

/// Parses a `YYYY-MM-DD` date (the form scenarios write dates in); `None` when it is not one.
pub fn parse_date(s: &str) -> Option<time::Date> {
    time::Date::parse(s, time::macros::format_description!("[year]-[month]-[day]")).ok()
}

#[cfg(test)]
mod tests {
    #[test]
    fn dates_parse_only_in_the_scenario_form() {
        assert!(super::parse_date("2026-11-29").is_some());
        assert!(super::parse_date("2026-02-30").is_none());
        assert!(super::parse_date("29/11/2026").is_none());
    }

    #[test]
    fn today_is_the_date_of_now() {
        assert_eq!(super::today(), super::now_rfc3339()[..10]);
    }
}

//! Vietnamese working days, from `data/holidays-vn.toml` (compiled in): Monday to Friday,
//! except the public holidays and swapped days off of Bộ luật Lao động 2019 Điều 111–112 and
//! the Government's yearly notices, plus the Saturdays worked in exchange. Pure: no clock, no
//! I/O. A year the data does not cover is reported, never guessed.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use serde::Deserialize;
use time::{Date, Weekday};

/// The shipped holiday data.
pub const DATA: &str = include_str!("../../../data/holidays-vn.toml");

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawCalendar {
    #[allow(dead_code)]
    basis: String,
    weekend: Vec<String>,
    year: Vec<RawYear>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawYear {
    year: i32,
    days_off: Vec<RawDay>,
    working_saturdays: Vec<RawDay>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDay {
    date: String,
    name: String,
    #[serde(default)]
    unconfirmed: bool,
}

/// Working days of the years the data covers.
#[derive(Debug, Clone)]
pub struct Calendar {
    years: BTreeSet<i32>,
    days_off: BTreeMap<Date, String>,
    working_saturdays: BTreeSet<Date>,
    /// Days off the data marks as not yet confirmed by an official notice.
    unconfirmed: BTreeSet<Date>,
}

/// The calendar of `data/holidays-vn.toml`.
pub fn vietnam() -> &'static Calendar {
    static CAL: LazyLock<Calendar> =
        LazyLock::new(|| Calendar::parse(DATA).expect("shipped holiday data is valid"));
    &CAL
}

impl Calendar {
    /// Reads holiday data; every problem is an `Err` (a day-off on a weekend, a worked day that
    /// is no Saturday, a date outside its year, a weekend other than Saturday and Sunday).
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawCalendar = toml::from_str(text).map_err(|e| e.to_string())?;
        if raw.weekend != ["saturday", "sunday"] {
            return Err("`weekend` must be [\"saturday\", \"sunday\"]".into());
        }
        let mut cal = Self {
            years: BTreeSet::new(),
            days_off: BTreeMap::new(),
            working_saturdays: BTreeSet::new(),
            unconfirmed: BTreeSet::new(),
        };
        for y in raw.year {
            if !cal.years.insert(y.year) {
                return Err(format!("year {} given twice", y.year));
            }
            let date = |d: &RawDay| {
                crate::clock::parse_date(&d.date)
                    .filter(|x| x.year() == y.year)
                    .ok_or_else(|| format!("`{}` is not a date of {}", d.date, y.year))
            };
            for d in &y.days_off {
                let x = date(d)?;
                if is_weekend(x) {
                    return Err(format!("day off {} falls on a weekend", d.date));
                }
                cal.days_off.insert(x, d.name.clone());
                if d.unconfirmed {
                    cal.unconfirmed.insert(x);
                }
            }
            for d in &y.working_saturdays {
                let x = date(d)?;
                if x.weekday() != Weekday::Saturday {
                    return Err(format!("worked day {} is not a Saturday", d.date));
                }
                cal.working_saturdays.insert(x);
            }
        }
        Ok(cal)
    }

    /// Whether `d` is a working day; `Err(year)` when the data does not cover its year.
    pub fn is_working_day(&self, d: Date) -> Result<bool, i32> {
        if !self.years.contains(&d.year()) {
            return Err(d.year());
        }
        Ok(self.working_saturdays.contains(&d)
            || (!is_weekend(d) && !self.days_off.contains_key(&d)))
    }

    /// Full working days strictly between `announced` and `start` (neither day counts: a
    /// notice given on Monday for Thursday gave 2 working days, Tuesday and Wednesday). Zero
    /// when `start` is not after `announced`; `Err(year)` when a day between lies in a year the
    /// data does not cover.
    pub fn working_days_between(&self, announced: Date, start: Date) -> Result<u32, i32> {
        let mut n = 0;
        let mut d = announced;
        // Bounded: one step per day between two dates of the scenario (validated years).
        while let Some(next) = d.next_day() {
            if next >= start {
                break;
            }
            if self.is_working_day(next)? {
                n += 1;
            }
            d = next;
        }
        Ok(n)
    }

    /// Days off strictly between `announced` and `start` that the data marks unconfirmed (a
    /// count that relies on them may change when the official notice is published).
    pub fn unconfirmed_between(&self, announced: Date, start: Date) -> Vec<Date> {
        self.unconfirmed
            .iter()
            .copied()
            .filter(|d| *d > announced && *d < start)
            .collect()
    }

    /// The years covered.
    pub fn years(&self) -> impl Iterator<Item = i32> + '_ {
        self.years.iter().copied()
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Date {
        crate::clock::parse_date(s).unwrap()
    }

    fn between(a: &str, b: &str) -> u32 {
        vietnam().working_days_between(d(a), d(b)).unwrap()
    }

    #[test]
    fn shipped_data_covers_2024_to_2027_with_every_statutory_holiday() {
        let cal = vietnam();
        assert_eq!(cal.years().collect::<Vec<_>>(), [2024, 2025, 2026, 2027]);
        for y in 2024..=2027 {
            // 1/1, 5 Tết days, Giỗ Tổ, 30/4, 1/5, 2 Quốc khánh days: 11 weekdays off at least
            // (a holiday on a weekend is taken the next working day, so still 11).
            let n = cal.days_off.keys().filter(|x| x.year() == y).count();
            assert!(n >= 11, "{y}: {n}");
        }
        assert_eq!(
            cal.is_working_day(d("2026-02-17")),
            Ok(false),
            "mùng 1 Tết 2026"
        );
        assert_eq!(
            cal.is_working_day(d("2026-01-10")),
            Ok(true),
            "swap Saturday"
        );
        assert_eq!(
            cal.is_working_day(d("2026-01-17")),
            Ok(false),
            "ordinary Saturday"
        );
        assert_eq!(
            cal.is_working_day(d("2026-03-04")),
            Ok(true),
            "ordinary Wednesday"
        );
        assert_eq!(cal.is_working_day(d("2023-12-29")), Err(2023));
        assert_eq!(
            cal.unconfirmed_between(d("2026-08-25"), d("2026-09-10")),
            [d("2026-09-01")]
        );
        assert!(
            cal.unconfirmed_between(d("2026-03-01"), d("2026-04-01"))
                .is_empty()
        );
    }

    #[test]
    fn across_a_weekend_exactly_six_then_seven() {
        // Announced Thursday 5/3/2026: Fri 6, Mon 9 … Fri 13 are 6 working days before Monday.
        assert_eq!(between("2026-03-05", "2026-03-16"), 6);
        assert_eq!(between("2026-03-05", "2026-03-17"), 7);
        assert_eq!(between("2026-03-05", "2026-03-05"), 0);
        assert_eq!(between("2026-03-05", "2026-03-01"), 0);
    }

    #[test]
    fn across_tet_the_holiday_week_does_not_count() {
        // Announced Friday 13/2/2026; 14–22/2 is the Tết break: only Mon 23/2 counts.
        assert_eq!(between("2026-02-13", "2026-02-24"), 1);
        // Eleven calendar days, seven working days elsewhere in the year.
        assert_eq!(between("2026-03-13", "2026-03-24"), 6);
        // Seven working days after 13/2 means 4/3 at the earliest (23/2 … 3/3 between).
        assert_eq!(between("2026-02-13", "2026-03-04"), 7);
    }

    #[test]
    fn a_swapped_saturday_counts_and_its_friday_does_not() {
        // 2026: Friday 2/1 off, Saturday 10/1 worked.
        assert_eq!(between("2025-12-31", "2026-01-05"), 0);
        // Tue 6 … Fri 9, Sat 10, Mon 12 … Wed 14.
        assert_eq!(between("2026-01-05", "2026-01-15"), 8);
        // The same span a week later has no swap: 7.
        assert_eq!(between("2026-01-12", "2026-01-22"), 7);
    }

    #[test]
    fn a_year_without_data_is_reported_not_guessed() {
        assert_eq!(
            vietnam().working_days_between(d("2027-12-20"), d("2028-01-10")),
            Err(2028)
        );
    }

    #[test]
    fn inconsistent_data_is_refused() {
        let base = "basis = \"x\"\nweekend = [\"saturday\", \"sunday\"]\n";
        let ok = format!(
            "{base}[[year]]\nyear = 2026\ndays-off = [{{ date = \"2026-01-01\", name = \"x\" }}]\nworking-saturdays = []\n"
        );
        assert!(Calendar::parse(&ok).is_ok());
        for (bad, why) in [
            (ok.replace("2026-01-01", "2026-01-03"), "weekend"),
            (ok.replace("2026-01-01", "2025-01-01"), "not a date of 2026"),
            (
                ok.replace(
                    "working-saturdays = []",
                    "working-saturdays = [{ date = \"2026-01-09\", name = \"x\" }]",
                ),
                "not a Saturday",
            ),
            (ok.replace("\"sunday\"", "\"friday\""), "weekend"),
            (
                format!("{ok}[[year]]\nyear = 2026\ndays-off = []\nworking-saturdays = []\n"),
                "twice",
            ),
        ] {
            let e = Calendar::parse(&bad).unwrap_err();
            assert!(e.contains(why), "{e}");
        }
    }
}

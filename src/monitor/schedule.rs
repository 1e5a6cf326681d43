//! What the monitor probes and when: the targets of a portal taken from its scenario, the
//! durations and instants of the command line, and each portal's place in the interval (the
//! portals' start times are spread evenly over it, so a hundred portals never burst together).

use std::time::Duration;

use globset::{Glob, GlobMatcher};
use url::Url;

use crate::observation::Target;
use crate::scenario::Scenario;

/// Parses `200ms`, `60s`, `5m`, `2h`, `30d` or a bare number of seconds.
///
/// # Errors
/// Not a positive duration in one of these forms.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    let t = s.trim();
    let split = t.find(|c: char| !c.is_ascii_digit()).unwrap_or(t.len());
    let (number, unit) = t.split_at(split);
    let bad = || format!("`{s}` is not a duration: write 200ms, 60s, 5m, 2h, 30d or seconds");
    let n: u64 = number.parse().map_err(|_| bad())?;
    let ms = match unit {
        "ms" => Some(n),
        "" | "s" => n.checked_mul(1_000),
        "m" => n.checked_mul(60_000),
        "h" => n.checked_mul(3_600_000),
        "d" => n.checked_mul(86_400_000),
        _ => None,
    }
    .ok_or_else(bad)?;
    if ms == 0 {
        return Err(format!("`{s}`: a duration must be more than zero"));
    }
    Ok(Duration::from_millis(ms))
}

/// Parses an instant: RFC 3339 (`2026-12-31T17:00:00Z`) or a date (`2026-12-31`, midnight at
/// the start of that day in Vietnam, UTC+7), as Unix milliseconds.
///
/// # Errors
/// Neither form.
pub fn parse_instant(s: &str) -> Result<i64, String> {
    if let Some(ms) = super::figures::parse_instant(s) {
        return Ok(ms);
    }
    let date = crate::clock::parse_date(s)
        .ok_or_else(|| format!("`{s}` is neither a date (2026-12-31) nor an RFC 3339 instant"))?;
    let utc = date.midnight().assume_utc().unix_timestamp() - 7 * 3_600;
    Ok(utc * 1_000)
}

/// The first offset of portal `i` of `n` into the interval: evenly spread.
pub fn offset(i: usize, n: usize, interval: Duration) -> Duration {
    if n == 0 {
        return Duration::ZERO;
    }
    let ms = interval.as_millis() * i as u128 / n as u128;
    Duration::from_millis(u64::try_from(ms).unwrap_or(u64::MAX))
}

/// The probe timeout: the one asked for, never more than 80 % of the interval (a round ends
/// before the next one is due).
pub fn timeout(asked: Option<Duration>, interval: Duration) -> Duration {
    let cap = interval.mul_f64(0.8).max(Duration::from_millis(50));
    asked.unwrap_or(Duration::from_secs(10)).min(cap)
}

/// A portal's targets as its scenario declares them.
#[derive(Debug, Clone)]
pub struct Targets {
    /// The targets with a known URL, in report order.
    pub known: Vec<(Target, Url)>,
    /// When no procedure page is declared: the catalogue to find one on and the
    /// `service-pages` glob its links must match.
    pub find_procedure: Option<(Url, GlobMatcher)>,
}

/// Home (`base-url`), the catalogue (`[functions] catalogue`), a procedure page (the first
/// `[pages] sample` entry or function URL matching `service-pages`; else found on the
/// catalogue at run time) and the DVCQG status endpoint (`[dvcqg] status-url`).
pub fn targets(scenario: &Scenario) -> Targets {
    let mut known = vec![(Target::Home, scenario.base_url.clone())];
    let catalogue = scenario.functions.get("catalogue").cloned();
    if let Some(c) = &catalogue {
        known.push((Target::Catalogue, c.clone()));
    }
    let glob = scenario
        .service_pages
        .as_deref()
        .and_then(|g| Glob::new(g).ok())
        .map(|g| g.compile_matcher());
    let mut find_procedure = None;
    if let Some(glob) = glob {
        let declared = scenario
            .sample
            .iter()
            .chain(scenario.functions.values())
            .find(|u| same_site(u, &scenario.base_url) && glob.is_match(u.path()));
        match (declared, catalogue) {
            (Some(u), _) => known.push((Target::Procedure, u.clone())),
            (None, Some(c)) => find_procedure = Some((c, glob)),
            (None, None) => {}
        }
    }
    if let Some(s) = &scenario.status_url {
        known.push((Target::DvcqgStatus, s.clone()));
    }
    Targets {
        known,
        find_procedure,
    }
}

fn same_site(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// The first link of a catalogue page to a procedure page (same origin, path matching the
/// glob), in document order.
pub fn procedure_link(catalogue: &Url, html: &str, glob: &GlobMatcher) -> Option<Url> {
    let doc = scraper::Html::parse_document(html);
    let a = scraper::Selector::parse("a[href]").ok()?;
    doc.select(&a)
        .filter_map(|e| e.value().attr("href"))
        .filter_map(|h| catalogue.join(h).ok())
        .find(|u| same_site(u, catalogue) && glob.is_match(u.path()) && u != catalogue)
        .map(|mut u| {
            u.set_fragment(None);
            u
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn demo() -> Scenario {
        let source = crate::input::Source {
            path: std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/demo.toml"),
            text: crate::scenario::DEMO.into(),
        };
        Scenario::from_source(&source).unwrap()
    }

    #[test]
    fn durations_take_units_and_bare_seconds() {
        assert_eq!(parse_duration("200ms"), Ok(Duration::from_millis(200)));
        assert_eq!(parse_duration("60s"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("60"), Ok(Duration::from_secs(60)));
        assert_eq!(parse_duration("5m"), Ok(Duration::from_secs(300)));
        assert_eq!(parse_duration("2h"), Ok(Duration::from_secs(7200)));
        assert_eq!(parse_duration("30d"), Ok(Duration::from_secs(30 * 86_400)));
        for bad in [
            "",
            "m",
            "5 weeks",
            "-5s",
            "1.5s",
            "5w",
            "0s",
            "99999999999999999999d",
        ] {
            assert!(parse_duration(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn instants_are_rfc3339_or_vietnam_dates() {
        assert_eq!(
            parse_instant("2026-12-01"),
            parse_instant("2026-11-30T17:00:00Z")
        );
        assert!(parse_instant("2026-12-01T08:00:00+07:00").is_ok());
        assert!(parse_instant("01/12/2026").is_err());
    }

    #[test]
    fn portals_are_spread_over_the_interval_and_timeouts_fit_in_it() {
        let i = Duration::from_secs(60);
        let offsets: Vec<u64> = (0..4).map(|k| offset(k, 4, i).as_secs()).collect();
        assert_eq!(offsets, [0, 15, 30, 45]);
        assert_eq!(offset(0, 0, i), Duration::ZERO);
        assert_eq!(timeout(None, i), Duration::from_secs(10));
        assert_eq!(
            timeout(Some(Duration::from_secs(3)), i),
            Duration::from_secs(3)
        );
        assert_eq!(
            timeout(None, Duration::from_millis(200)),
            Duration::from_millis(160)
        );
    }

    #[test]
    fn the_demo_declares_home_catalogue_and_status_and_its_procedure_is_found_on_the_catalogue() {
        let s = demo();
        let t = targets(&s);
        let names: Vec<&str> = t.known.iter().map(|(t, _)| t.as_str()).collect();
        assert_eq!(names, ["home", "catalogue", "dvcqg-status"]);
        let (cat, glob) = t.find_procedure.expect("a catalogue to search");
        assert_eq!(cat.path(), "/thu-tuc/");
        let html = r##"<a href="#main">skip</a><a href="/thu-tuc/">all</a>
            <a href="https://other.example/thu-tuc/1.1">elsewhere</a>
            <a href="/thu-tuc/1.000046#top">Đăng ký khai sinh</a>"##;
        assert_eq!(
            procedure_link(&cat, html, &glob).map(|u| u.path().to_string()),
            Some("/thu-tuc/1.000046".into())
        );
        assert_eq!(procedure_link(&cat, "<p>none</p>", &glob), None);
        // A sample page matching the glob is used as it is.
        let mut s2 = s.clone();
        s2.sample.push(s.base_url.join("/thu-tuc/2.001").unwrap());
        let t2 = targets(&s2);
        assert!(t2.find_procedure.is_none());
        assert_eq!(t2.known[2].1.path(), "/thu-tuc/2.001");
        // No glob, no catalogue, no status: home alone.
        let mut bare = s;
        bare.service_pages = None;
        bare.functions.clear();
        bare.status_url = None;
        let t3 = targets(&bare);
        assert_eq!(t3.known.len(), 1);
        assert!(t3.find_procedure.is_none());
    }
}

//! Lab page-load metrics for a few URLs, the way `kiemdinh assess` measures them: each URL
//! loaded `N` times cold under a throttling profile, medians printed as a table or JSON.
//! `benches/lighthouse-compare/run.sh` holds these figures against Lighthouse's.
//!
//! ```sh
//! cargo run --release --example lab -- URL... [--profile mobile|desktop|none] [--runs N] [--json]
//! ```

use std::process::ExitCode;

use kiemdinh::observation::{PageMetrics, ThrottlingProfile};
use kiemdinh::probe::browser::measure::{self, MeasureOptions};
use kiemdinh::probe::browser::{Driver, LaunchOptions};
use url::Url;

/// What the command line asked for.
#[derive(Debug, PartialEq)]
struct Args {
    urls: Vec<Url>,
    profile: ThrottlingProfile,
    runs: u32,
    json: bool,
}

const USAGE: &str =
    "usage: lab URL... [--profile mobile|desktop|none] [--runs N (1-50, default 3)] [--json]";

fn parse(args: impl IntoIterator<Item = String>) -> Result<Args, String> {
    let mut out = Args {
        urls: Vec::new(),
        profile: ThrottlingProfile::Mobile,
        runs: 3,
        json: false,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--profile" => {
                let value = args.next().ok_or("--profile needs a value")?;
                out.profile = serde_json::from_value(serde_json::Value::String(value.clone()))
                    .map_err(|_| format!("unknown profile `{value}` (mobile, desktop, none)"))?;
            }
            "--runs" => {
                let value = args.next().ok_or("--runs needs a value")?;
                out.runs = value
                    .parse()
                    .ok()
                    .filter(|n| (1..=50).contains(n))
                    .ok_or(format!("--runs must be 1 to 50, not `{value}`"))?;
            }
            "--json" => out.json = true,
            "-h" | "--help" => return Err(USAGE.to_string()),
            flag if flag.starts_with("--") => return Err(format!("unknown option `{flag}`")),
            url => out
                .urls
                .push(Url::parse(url).map_err(|e| format!("`{url}` is not a URL: {e}"))?),
        }
    }
    if out.urls.is_empty() {
        return Err(format!("no URL given\n{USAGE}"));
    }
    Ok(out)
}

/// One table row: the medians, `-` where no run measured the metric.
fn row(m: &PageMetrics) -> String {
    let ms = |s: Option<kiemdinh::observation::MetricSpread>| {
        s.map_or_else(|| "-".to_string(), |s| format!("{:.0}", s.median))
    };
    let cls = m
        .cls
        .map_or_else(|| "-".to_string(), |s| format!("{:.3}", s.median));
    format!(
        "{:>7} {:>7} {:>7} {:>7} {:>6}  {}",
        ms(m.fcp),
        ms(m.lcp),
        ms(m.speed_index),
        ms(m.ttfb),
        cls,
        m.url
    )
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("lab: {e}");
            return ExitCode::from(2);
        }
    };
    let driver = match Driver::launch(&LaunchOptions::default()).await {
        Ok(driver) => driver,
        Err(e) => {
            eprintln!("lab: {}", e.chain());
            return ExitCode::FAILURE;
        }
    };
    let options = MeasureOptions {
        profile: args.profile,
        ..MeasureOptions::default()
    };
    let mut pages = Vec::new();
    let mut failed = false;
    for url in &args.urls {
        let mut runs = Vec::new();
        let mut ttfb_source = None;
        for i in 1..=args.runs {
            let run = measure::page(&driver, url, &options).await;
            if let Some(e) = &run.error {
                eprintln!("lab: {url} run {i}: {e}");
                failed = true;
            }
            ttfb_source = Some(run.ttfb_source);
            runs.push(run.metric_run());
        }
        let source = ttfb_source.expect("at least one run");
        pages.push(PageMetrics::from_runs(
            url.as_str(),
            args.profile,
            source,
            runs,
        ));
    }
    drop(driver);
    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&pages).expect("metrics serialise")
        );
    } else {
        println!(
            "lab, applied throttling: profile {}, median of {} cold runs (ms; CLS unitless)",
            args.profile, args.runs
        );
        println!(
            "{:>7} {:>7} {:>7} {:>7} {:>6}  url",
            "FCP", "LCP", "SI", "TTFB", "CLS"
        );
        for page in &pages {
            println!("{}", row(page));
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn args(list: &[&str]) -> Result<Args, String> {
        parse(list.iter().map(ToString::to_string))
    }

    #[test]
    fn parses_urls_and_options() {
        let a = args(&[
            "http://127.0.0.1:8000/a",
            "--profile",
            "desktop",
            "--runs",
            "5",
            "--json",
            "http://127.0.0.1:8000/b",
        ])
        .unwrap();
        assert_eq!(a.urls.len(), 2);
        assert_eq!(a.profile, ThrottlingProfile::Desktop);
        assert_eq!((a.runs, a.json), (5, true));
        let a = args(&["http://127.0.0.1/"]).unwrap();
        assert_eq!(
            (a.profile, a.runs, a.json),
            (ThrottlingProfile::Mobile, 3, false)
        );
    }

    #[test]
    fn rejects_bad_input() {
        assert!(args(&[]).unwrap_err().contains("no URL"));
        assert!(args(&["not a url"]).unwrap_err().contains("not a URL"));
        assert!(
            args(&["http://x/", "--profile", "tablet"])
                .unwrap_err()
                .contains("unknown profile")
        );
        assert!(args(&["http://x/", "--runs", "0"]).is_err());
        assert!(args(&["http://x/", "--runs"]).is_err());
        assert!(
            args(&["http://x/", "--fast"])
                .unwrap_err()
                .contains("--fast")
        );
    }

    #[test]
    fn rows_show_medians_and_gaps() {
        let run = kiemdinh::observation::MetricRun {
            fcp_ms: Some(1234.4),
            cls: Some(0.0123),
            ..Default::default()
        };
        let m = PageMetrics::from_runs(
            "http://x/",
            ThrottlingProfile::Mobile,
            kiemdinh::observation::TtfbDefinition::NavigationResponseEnd,
            vec![run],
        );
        let r = row(&m);
        assert!(r.starts_with("   1234       -"), "{r}");
        assert!(r.contains("0.012  http://x/"), "{r}");
    }
}

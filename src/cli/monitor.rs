//! `kiemdinh monitor` arguments: watch portals into the store, or (`--summary`) print the
//! figures the store holds.

use std::path::PathBuf;

use kiemdinh::error::Error;
use kiemdinh::exit::ExitCode;
use kiemdinh::monitor::{self, MonitorOptions, schedule, summary};

/// `kiemdinh monitor` options.
#[derive(Debug, clap::Args)]
#[command(after_long_help = "\
Every portal (one scenario file; its id is the file stem) is probed once per interval: the \
home page, the catalogue, one procedure page and the DVCQG status endpoint when the scenario \
declares them. A probe fails on a non-2xx status, a timeout, a certificate that does not \
verify, or a page that does not name the portal (a proxy's error page, a parked domain). \
Restarting with the same --db continues each portal's series; the time it was stopped is a \
gap, not an outage. Stops at --until/--duration, Ctrl-C or SIGTERM (exit 0) and prints the \
run's figures. DURATION: 200ms, 60s, 5m, 2h, 30d; a bare number is seconds. DATE: 2026-12-31 \
(midnight, Vietnam time) or RFC 3339.")]
pub struct MonitorArgs {
    /// Scenario file, or a folder: every `*.toml` of it.
    #[arg(long, required_unless_present = "summary", value_name = "FILE|DIR")]
    pub scenario: Option<PathBuf>,
    /// The database (`SQLite`, created when missing).
    #[arg(long, default_value = "kiemdinh.db", value_name = "FILE")]
    pub db: PathBuf,
    /// Time between two probes of a target.
    #[arg(long, default_value = "60s", value_parser = schedule::parse_duration, value_name = "DURATION")]
    pub interval: std::time::Duration,
    /// Per-probe timeout (default 10 s; never more than 80 % of the interval).
    #[arg(long, value_parser = schedule::parse_duration, value_name = "DURATION")]
    pub timeout: Option<std::time::Duration>,
    /// Stop at this instant.
    #[arg(long, value_parser = schedule::parse_instant, value_name = "DATE", conflicts_with = "duration")]
    pub until: Option<i64>,
    /// Stop after this long.
    #[arg(long, value_parser = schedule::parse_duration, value_name = "DURATION")]
    pub duration: Option<std::time::Duration>,
    /// Requests in flight at most, over all portals.
    #[arg(long, default_value_t = 16, value_name = "N")]
    pub concurrency: usize,
    /// Time between two summary lines on stderr.
    #[arg(long, default_value = "1h", value_parser = schedule::parse_duration, value_name = "DURATION")]
    pub summary_every: std::time::Duration,
    /// Probe nothing: print the figures the database holds (uptime per target, day and
    /// week, outages, gaps, latency percentiles) for `--portal` (default: every portal) from
    /// `--from` (default: its first probe) to `--to` (default: now).
    #[arg(long, conflicts_with_all = ["scenario", "until", "duration"])]
    pub summary: bool,
    /// With `--summary`: this portal id (repeatable).
    #[arg(long = "portal", requires = "summary", value_name = "ID")]
    pub portals: Vec<String>,
    /// With `--summary`: the start of the period.
    #[arg(long, requires = "summary", value_parser = schedule::parse_instant, value_name = "DATE")]
    pub from: Option<i64>,
    /// With `--summary`: the end of the period.
    #[arg(long, requires = "summary", value_parser = schedule::parse_instant, value_name = "DATE")]
    pub to: Option<i64>,
    /// Print the figures as JSON (the `availability` object of `evaluation.json`, one per
    /// portal, in an array) instead of the table.
    #[arg(long)]
    pub json: bool,
}

/// Runs `kiemdinh monitor`.
pub fn run(a: MonitorArgs) -> Result<ExitCode, Error> {
    let figures = if a.summary {
        monitor::summarise(&a.db, &a.portals, a.from, a.to)?
    } else {
        let until_ms = a.until.or_else(|| {
            a.duration.map(|d| {
                monitor::figures::now_ms()
                    .saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
            })
        });
        let opts = MonitorOptions {
            scenarios: a.scenario.unwrap_or_default(),
            db: a.db,
            interval: a.interval,
            timeout: a.timeout,
            until_ms,
            concurrency: a.concurrency,
            summary_every: a.summary_every,
        };
        let rt = super::runtime()?;
        rt.block_on(monitor::run(&opts, interrupted()))?.figures
    };
    if a.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&figures).expect("figures serialise")
        );
    } else {
        for f in &figures {
            print!("{}", summary::render(f));
        }
    }
    Ok(ExitCode::Success)
}

/// Completes on Ctrl-C or `SIGTERM` (how systemd and Docker stop a service).
async fn interrupted() {
    use tokio::signal::unix::{SignalKind, signal};
    match signal(SignalKind::terminate()) {
        Ok(mut term) => {
            tokio::select! {
                _ = tokio::signal::ctrl_c() => {}
                _ = term.recv() => {}
            }
        }
        Err(_) => {
            let _ = tokio::signal::ctrl_c().await;
        }
    }
}

//! The load probe (Phụ lục V): goose embedded as a library sends the scenario's journeys
//! (`[[load.journeys]]`, or default citizen journeys) at the planned users; kiemdinh times
//! every request itself into exact HDR histograms ([`record`]) and returns the raw
//! [`Segment`]. Nothing here decides: the summary and the verdicts come later, after any
//! merge of segments. Safety: a non-loopback target needs the scenario's written
//! authorisation, valid today ([`authorised`]); every run is bounded in time and requests.

use std::sync::Arc;
use std::time::{Duration, Instant};

use goose::GooseAttack;
use goose::config::{GooseConfiguration, GooseDefault, GooseDefaultType as _};
use goose::goose::{GooseUser, Scenario as GooseScenario, Transaction, TransactionFunction};

use crate::error::Error;
use crate::load::{SEGMENT_FORMAT, Segment};
use crate::observation::{LoadWarning, Observations};
use crate::scenario::Scenario;
use crate::scenario::load::{Journey, LoadSettings, Stage};

pub mod defaults;
mod progress;
pub mod record;
mod user;

/// One attack at a time per process: goose's stop switch is process-wide.
static ATTACK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// How long a run may outlast its plan before it is stopped (answers in flight, think times).
const GRACE: Duration = Duration::from_secs(30);

/// How to run.
#[derive(Debug, Clone)]
pub struct Options {
    /// This process's segment, 0-based, and the number of segments.
    pub segment: (u32, u32),
    /// Show the live line on a terminal.
    pub progress: bool,
    /// Write every measured latency (µs, one per line) to this file.
    pub samples: Option<std::path::PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            segment: (0, 1),
            progress: false,
            samples: None,
        }
    }
}

/// Whether load may be sent to the scenario's portal today (`YYYY-MM-DD`): always on
/// loopback; elsewhere only with `[load.authorization]` covering today.
pub fn authorised(scenario: &Scenario, settings: &LoadSettings, today: &str) -> Result<(), String> {
    let loopback = match scenario.base_url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    };
    if loopback {
        return Ok(());
    }
    let host = scenario.base_url.host_str().unwrap_or_default();
    let Some(a) = &settings.authorization else {
        return Err(format!(
            "refusing to send load to `{host}`: it is not loopback and the scenario has no \
             `[load.authorization]` (who allowed it, the document, from and until when). A load \
             test on a production government system needs the owner's written consent."
        ));
    };
    if today < a.from.as_str() || today > a.until.as_str() {
        return Err(format!(
            "refusing to send load to `{host}`: the authorisation ({}) covers {} to {}, not today ({today})",
            a.reference, a.from, a.until
        ));
    }
    Ok(())
}

/// Users of segment `index` (0-based) of `of` when the whole run has `users`.
pub fn segment_users(users: u32, (index, of): (u32, u32)) -> u32 {
    users / of + u32::from(index < users % of)
}

/// The measured windows, ms after the start, of `stages` where `measured[i]`.
fn windows(stages: &[Stage], measured: &[bool]) -> Vec<(u64, u64)> {
    let mut t = 0;
    let mut out = Vec::new();
    for (s, m) in stages.iter().zip(measured) {
        let end = t + u64::from(s.duration_s) * 1000;
        if *m {
            out.push((t, end));
        }
        t = end;
    }
    out
}

/// The journeys users run: the scenario's, else the defaults.
pub fn journeys(
    scenario: &Scenario,
    settings: &LoadSettings,
    obs: Option<&Observations>,
) -> Vec<Journey> {
    if settings.journeys.is_empty() {
        defaults::journeys(scenario, obs)
    } else {
        settings.journeys.clone()
    }
}

fn client(scenario: &Scenario, settings: &LoadSettings) -> Result<reqwest::Client, Error> {
    let origin = scenario.base_url.origin();
    let mut builder = reqwest::Client::builder()
        .user_agent(concat!(
            "kiemdinh/",
            env!("CARGO_PKG_VERSION"),
            " (load test)"
        ))
        .timeout(Duration::from_millis(settings.timeout_ms))
        .connect_timeout(Duration::from_millis(settings.timeout_ms.min(10_000)))
        .pool_max_idle_per_host(usize::MAX)
        // Redirects are followed only on the portal's own origin: load never spills over.
        .redirect(reqwest::redirect::Policy::custom(move |a| {
            if a.previous().len() >= 5 || a.url().origin() != origin {
                a.stop()
            } else {
                a.follow()
            }
        }));
    builder = crate::probe::http::trust_scenario_ca(builder, scenario)?;
    builder.build().map_err(|e| Error::Client(e.to_string()))
}

/// Runs one attack: `stages` (whole-run users, scaled to this segment) with `measured`
/// windows. Returns the raw figures with the run's identity filled in.
pub async fn attack(
    scenario: &Scenario,
    settings: &LoadSettings,
    journeys: &[Journey],
    stages: &[Stage],
    measured: &[bool],
    opts: &Options,
) -> Result<Segment, Error> {
    let _one = ATTACK.lock().await;
    let (index, of) = opts.segment;
    let target_users = stages.iter().map(|s| s.users).max().unwrap_or(0);
    let planned_users = segment_users(target_users, opts.segment);
    let names: Vec<(String, bool, Vec<String>)> = journeys
        .iter()
        .map(|j| {
            (
                j.name.clone(),
                j.transactional,
                j.steps.iter().map(|s| s.name.clone()).collect(),
            )
        })
        .collect();
    let samples = match &opts.samples {
        Some(p) => Some(std::fs::File::create(p).map_err(|e| Error::Output {
            path: p.clone(),
            source: e,
        })?),
        None => None,
    };
    let recorder = Arc::new(record::Recorder::new(
        &names,
        windows(stages, measured),
        settings.max_requests,
        samples,
    ));
    let plan = Duration::from_secs(stages.iter().map(|s| u64::from(s.duration_s)).sum());
    let started_at = crate::clock::now_rfc3339();
    let mut warnings = Vec::new();
    if planned_users > 0 && !journeys.is_empty() {
        let mut offsets = Vec::new();
        let mut n = 0;
        for j in journeys {
            offsets.push(n);
            n += j.steps.len();
        }
        let shared = Arc::new(user::Shared {
            client: client(scenario, settings)?,
            journeys: journeys.to_vec(),
            step_offset: offsets,
            assignment: defaults::assignment(journeys, target_users, settings.active_share),
            recorder: recorder.clone(),
            think_ms: settings.think_ms,
            mode: settings.mode,
            rate: settings.rate,
            total_users: target_users,
            segment: opts.segment,
            data: settings.data.clone(),
            plan,
        });
        // goose holds the last step's users until stopped unless the plan ends at 0 users.
        let plan_text = stages
            .iter()
            .map(|s| format!("{},{}s", segment_users(s.users, opts.segment), s.duration_s))
            .chain(std::iter::once("0,0s".to_string()))
            .collect::<Vec<_>>()
            .join(";");
        let interrupted = run_goose(shared, &scenario.base_url, &plan_text, plan, opts).await?;
        // The request bound stops goose through the same switch as Ctrl-C.
        if interrupted && !recorder.bound_hit() {
            warnings.push(LoadWarning::Interrupted);
        }
    }
    if recorder.bound_hit() {
        warnings.push(LoadWarning::RequestBoundReached {
            max_requests: settings.max_requests,
        });
    }
    let end = Instant::now();
    let recorder = Arc::try_unwrap(recorder)
        .map_err(|_| Error::Load("a load user outlived its attack".into()))?;
    let mut seg = recorder.into_segment(end);
    seg.format = SEGMENT_FORMAT;
    seg.tool_version = env!("CARGO_PKG_VERSION").to_string();
    seg.index = index + 1;
    seg.of = of;
    seg.mode = settings.mode;
    seg.target = scenario.base_url.to_string();
    seg.target_users = target_users;
    seg.target_active_share = settings.active_share;
    seg.planned_users = planned_users;
    seg.warnings = warnings;
    seg.started_at = started_at;
    seg.finished_at = crate::clock::now_rfc3339();
    Ok(seg)
}

/// While alive, what is written to stdout is dropped (goose's own lines; kiemdinh writes
/// nothing there during an attack).
struct StdoutSilenced(Option<std::os::fd::OwnedFd>);

impl StdoutSilenced {
    fn new() -> Self {
        use std::io::Write as _;
        use std::os::fd::AsFd as _;
        let _ = std::io::stdout().flush();
        let null = std::fs::OpenOptions::new().write(true).open("/dev/null");
        let saved = nix::unistd::dup(std::io::stdout().as_fd()).ok();
        if let (Some(_), Ok(null)) = (&saved, &null) {
            let _ = nix::unistd::dup2_stdout(null.as_fd());
        }
        Self(saved)
    }
}

impl Drop for StdoutSilenced {
    fn drop(&mut self) {
        use std::io::Write as _;
        let _ = std::io::stdout().flush();
        if let Some(fd) = self.0.take() {
            let _ = nix::unistd::dup2_stdout(fd);
        }
    }
}

/// Runs goose to the end of the plan (or a stop); `true` when it was interrupted (Ctrl-C).
async fn run_goose(
    shared: Arc<user::Shared>,
    base: &url::Url,
    plan_text: &str,
    plan: Duration,
    opts: &Options,
) -> Result<bool, Error> {
    let goose_err = |e: goose::GooseError| Error::Load(format!("the load engine refused: {e}"));
    let tick_shared = shared.clone();
    let tick: TransactionFunction = Arc::new(move |user: &mut GooseUser| {
        let s = tick_shared.clone();
        Box::pin(async move {
            s.tick(user).await;
            Ok(())
        })
    });
    let stop_shared = shared.clone();
    let stop: TransactionFunction = Arc::new(move |user: &mut GooseUser| {
        stop_shared.stop(user);
        Box::pin(async move { Ok(()) })
    });
    let scenario = GooseScenario::new("kiemdinh")
        .register_transaction(Transaction::new(tick).set_name("step"))
        .register_transaction(Transaction::new(stop).set_name("stop").set_on_stop());
    let attack = GooseAttack::initialize_with_config(GooseConfiguration::default())
        .map_err(goose_err)?
        .register_scenario(scenario)
        .set_default(GooseDefault::Host, base.as_str())
        .and_then(|a| a.set_default(GooseDefault::TestPlan, plan_text))
        .and_then(|a| a.set_default(GooseDefault::NoTelnet, true))
        .and_then(|a| a.set_default(GooseDefault::NoPrintMetrics, true))
        .and_then(|a| a.set_default(GooseDefault::NoErrorSummary, true))
        .and_then(|a| a.set_default(GooseDefault::Quiet, 1))
        // kiemdinh times every request itself; goose's own metrics would only cost.
        .and_then(|a| a.set_default(GooseDefault::NoMetrics, true))
        .and_then(|a| {
            a.set_client_builder_without_cookies(
                goose::client::GooseClientBuilder::new().without_cookies(),
            )
        })
        .map_err(goose_err)?;
    goose::reset_killswitch();
    // goose prints "N users launched." on stdout whatever it is told: stdout is kiemdinh's.
    let _stdout = StdoutSilenced::new();
    shared.recorder.start();
    let live = opts
        .progress
        .then(|| progress::spawn(shared.recorder.clone(), plan));
    // Boxed: goose's run is a large future.
    let mut exec = Box::pin(attack.execute());
    let mut overtime = false;
    let result = tokio::select! {
        r = &mut exec => r,
        () = tokio::time::sleep(plan + GRACE) => {
            overtime = true;
            goose::trigger_killswitch("kiemdinh: the run outlasted its plan");
            match tokio::time::timeout(GRACE, &mut exec).await {
                Ok(r) => r,
                Err(_) => return Err(Error::Load("the load engine did not stop".into())),
            }
        }
    };
    if let Some(live) = live {
        live.finish().await;
    }
    let stopped = goose::is_killswitch_triggered();
    goose::reset_killswitch();
    match result {
        Ok(_) | Err(goose::GooseError::ThresholdsFailed { .. }) => {}
        Err(e) => return Err(goose_err(e)),
    }
    drop(shared);
    Ok(stopped && !overtime)
}

#[cfg(test)]
mod tests;

//! Running a validated campaign: one child `assess` per portal, in order, the manifest
//! written at every change, progress on the terminal, the index page and the exit code.

use std::path::Path;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use super::manifest::{self, Entry, Manifest, Status};
use super::{Campaign, Portal};
use crate::error::Error;
use crate::evaluation::Conformance;
use crate::exit::ExitCode;

/// How long a child may take to stop (its browser and driver closed) once told to.
const STOP_GRACE: Duration = Duration::from_secs(30);

/// Runs the campaign and returns its exit code: the worst of its portals (3 when a portal is
/// incomplete or failed to run, else 1 when one is non-conformant, else 0). Ctrl-C (or
/// `SIGTERM`) stops the running portal's assessment the way Ctrl-C stops `assess` and
/// returns [`Error::Interrupted`]; the manifest then says where to resume.
pub async fn run(campaign: &Campaign) -> Result<ExitCode, Error> {
    crate::plan::prepare_out(&campaign.out)?;
    let exe = std::env::current_exe()?;
    let previous = Manifest::read(&campaign.out)?;
    let mut manifest = Manifest {
        version: 1,
        folder: campaign.folder.clone(),
        portals: Vec::new(),
    };
    let mut skip = Vec::new();
    let mut resume = Vec::new();
    for p in &campaign.portals {
        let mut entry = new_entry(p, &campaign.options);
        let earlier = previous
            .as_ref()
            .and_then(|m| m.portals.iter().find(|e| e.stem == p.stem));
        let done = earlier
            .is_some_and(|e| manifest::already_assessed(e, &entry, &campaign.out.join(&p.stem)));
        if let Some(e) = earlier {
            if done {
                entry = Entry {
                    scenario: entry.scenario,
                    name: entry.name,
                    organisation: entry.organisation,
                    kind: entry.kind,
                    vendor: entry.vendor,
                    ..e.clone()
                };
            } else {
                entry.attempts = e.attempts;
            }
        }
        skip.push(done);
        resume.push(
            earlier.is_some_and(|e| manifest::resumable(e, &entry, &campaign.out.join(&p.stem))),
        );
        manifest.portals.push(entry);
    }
    manifest.write(&campaign.out)?;

    let mut signals = Signals::new()?;
    let n = campaign.portals.len();
    let bar = progress(n as u64, campaign.quiet);
    let say = |line: String| {
        if campaign.quiet {
        } else if bar.is_hidden() {
            eprintln!("{line}");
        } else {
            bar.println(line);
        }
    };
    for (i, p) in campaign.portals.iter().enumerate() {
        let dir = campaign.out.join(&p.stem);
        let log = dir.join("assess.log");
        if skip[i] {
            note_in_log(&log);
            say(format!(
                "[{}/{n}] {}: already assessed — {}",
                i + 1,
                p.scenario.name,
                result(&manifest.portals[i], &log)
            ));
            bar.inc(1);
            continue;
        }
        bar.set_message(format!("portal {}/{n}: {}", i + 1, p.scenario.name));
        {
            let e = &mut manifest.portals[i];
            e.status = Status::Running;
            e.attempts += 1;
            e.started = Some(crate::clock::now_rfc3339());
            (e.finished, e.exit_code, e.verdict, e.score, e.note) = (None, None, None, None, None);
        }
        manifest.write(&campaign.out)?;
        crate::plan::prepare_out(&dir)?;
        // A stale evaluation must never stand for this attempt (nor be ranked).
        let _ = std::fs::remove_file(dir.join("evaluation.json"));
        // A portal interrupted in an earlier run goes on from its journal: what it observed
        // is not fetched again.
        let mut options = campaign.options.clone();
        if resume[i] {
            options.push("--resume".into());
        }
        let ended = assess_one(&exe, p, &dir, &options, &mut signals).await?;
        let e = &mut manifest.portals[i];
        e.finished = Some(crate::clock::now_rfc3339());
        // A child that exits 130 (or died of SIGINT before it could handle it) was
        // interrupted itself: Ctrl-C on a terminal reaches the whole process group, so the
        // campaign stops as well.
        let ended = ended.filter(|s| {
            use std::os::unix::process::ExitStatusExt as _;
            s.code() != Some(i32::from(ExitCode::Interrupted.code())) && s.signal() != Some(2)
        });
        let Some(status) = ended else {
            e.status = Status::Pending;
            e.note = Some("interrupted".into());
            manifest.write(&campaign.out)?;
            bar.abandon();
            super::index::write(&manifest, &campaign.out, campaign.lang)?;
            return Err(Error::Interrupted);
        };
        record(e, status, &dir);
        let line = format!("[{}/{n}] {}: {}", i + 1, p.scenario.name, result(e, &log));
        manifest.write(&campaign.out)?;
        say(line);
        bar.inc(1);
    }
    bar.finish_and_clear();
    super::index::write(&manifest, &campaign.out, campaign.lang)?;
    let exit = worst(&manifest.portals);
    println!(
        "{}",
        super::index::summary(&manifest, &campaign.out, exit, campaign.quiet)
    );
    Ok(exit)
}

/// Appends to a portal's log that this run of the campaign did not assess it again.
fn note_in_log(log: &Path) {
    use std::io::Write as _;
    if let Ok(mut f) = std::fs::OpenOptions::new().append(true).open(log) {
        let _ = writeln!(
            f,
            "kiemdinh campaign {}: already assessed (same scenario content and options), not run again",
            crate::clock::now_rfc3339()
        );
    }
}

/// The manifest entry of a portal not assessed yet.
fn new_entry(p: &Portal, options: &[String]) -> Entry {
    Entry {
        stem: p.stem.clone(),
        scenario: p.file.clone(),
        digest: p.digest.clone(),
        options: options.to_vec(),
        name: p.scenario.name.clone(),
        organisation: p.scenario.organisation.clone(),
        kind: p.scenario.organisation_kind.as_str().to_string(),
        vendor: p.scenario.vendor.clone(),
        status: Status::Pending,
        exit_code: None,
        verdict: None,
        score: None,
        started: None,
        finished: None,
        attempts: 0,
        note: None,
    }
}

/// The campaign's exit code: the worst portal by 3 > 1 > 0 (a portal that failed to run
/// counts as 3, incomplete).
pub fn worst(portals: &[Entry]) -> ExitCode {
    let code = |e: &Entry| match (e.status, e.exit_code) {
        (Status::Done, Some(1)) => 1,
        (Status::Done, Some(0)) => 0,
        _ => 3,
    };
    match portals.iter().map(code).max() {
        Some(3) => ExitCode::Incomplete,
        Some(1) => ExitCode::NonConformant,
        _ => ExitCode::Success,
    }
}

/// One portal's result line: verdict, score, exit code, log.
fn result(e: &Entry, log: &Path) -> String {
    let exit = e
        .exit_code
        .map_or_else(|| "—".to_string(), |c| c.to_string());
    let what = match (e.status, e.verdict) {
        (Status::Done, Some(v)) => format!(
            "{} — score {}",
            v.as_str(),
            e.score.map_or_else(|| "—".into(), |s| format!("{s:.1}"))
        ),
        _ => format!(
            "failed to run ({})",
            e.note.as_deref().unwrap_or("no evaluation")
        ),
    };
    format!("{what} — exit {exit} — log {}", log.display())
}

/// Records how a child ended: `done` with its verdict and score when it exited with a
/// verdict's code (0, 1, 3) and wrote `evaluation.json`, else `failed` with the reason.
fn record(e: &mut Entry, status: ExitStatus, dir: &Path) {
    use std::os::unix::process::ExitStatusExt as _;
    e.exit_code = status.code();
    let evaluation = read_verdict(&dir.join("evaluation.json"));
    match (status.code(), evaluation) {
        (Some(0 | 1 | 3), Ok((verdict, score))) => {
            e.status = Status::Done;
            e.verdict = Some(verdict);
            e.score = score;
        }
        (Some(0 | 1 | 3), Err(why)) => {
            e.status = Status::Failed;
            e.note = Some(why);
        }
        (Some(c), _) => {
            e.status = Status::Failed;
            e.note = Some(format!("assess exited with {c}"));
        }
        (None, _) => {
            e.status = Status::Failed;
            e.note = Some(format!(
                "assess was killed by signal {}",
                status.signal().unwrap_or(0)
            ));
        }
    }
}

/// The verdict and score an `evaluation.json` states.
fn read_verdict(path: &Path) -> Result<(Conformance, Option<f64>), String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("no evaluation.json: {e}"))?;
    let v: serde_json::Value =
        serde_json::from_str(&text).map_err(|e| format!("evaluation.json unreadable: {e}"))?;
    let verdict = serde_json::from_value(v["verdict"].clone())
        .map_err(|e| format!("evaluation.json has no verdict: {e}"))?;
    Ok((verdict, v["score"].as_f64()))
}

/// Ctrl-C and `SIGTERM`, listened to for the whole campaign (none is missed between portals).
struct Signals {
    interrupt: tokio::signal::unix::Signal,
    terminate: tokio::signal::unix::Signal,
}

impl Signals {
    fn new() -> Result<Self, Error> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Self {
            interrupt: signal(SignalKind::interrupt())?,
            terminate: signal(SignalKind::terminate())?,
        })
    }

    async fn recv(&mut self) {
        tokio::select! {
            _ = self.interrupt.recv() => {}
            _ = self.terminate.recv() => {}
        }
    }
}

/// Assesses one portal in a child process whose stdout and stderr go to `assess.log`. `None`
/// when the campaign was interrupted: the child was told to stop (its stdin closed, as when
/// the campaign dies) and waited for, within [`STOP_GRACE`], then killed.
async fn assess_one(
    exe: &Path,
    portal: &Portal,
    dir: &Path,
    options: &[String],
    signals: &mut Signals,
) -> Result<Option<ExitStatus>, Error> {
    use std::io::Write as _;
    let log_path = dir.join("assess.log");
    let err = |source| Error::Output {
        path: log_path.clone(),
        source,
    };
    let mut log = std::fs::File::create(&log_path).map_err(err)?;
    let _ = writeln!(
        log,
        "kiemdinh campaign {}: assess --scenario {} --out {} {}",
        crate::clock::now_rfc3339(),
        portal.file.display(),
        dir.display(),
        options.join(" ")
    );
    let mut child = tokio::process::Command::new(exe)
        .arg("assess")
        .arg("--scenario")
        .arg(&portal.file)
        .arg("--out")
        .arg(dir)
        .arg("--exit-with-parent")
        .args(options)
        .stdin(Stdio::piped())
        .stdout(log.try_clone().map_err(err)?)
        .stderr(log)
        .kill_on_drop(true)
        .spawn()
        .map_err(|e| {
            Error::Io(std::io::Error::new(
                e.kind(),
                format!("cannot start `{}`: {e}", exe.display()),
            ))
        })?;
    let stdin = child.stdin.take();
    tokio::select! {
        status = child.wait() => Ok(Some(status?)),
        () = signals.recv() => {
            drop(stdin);
            if tokio::time::timeout(STOP_GRACE, child.wait()).await.is_err() {
                let _ = child.kill().await;
            }
            Ok(None)
        }
    }
}

/// The overall progress line (portal i/N, the current portal, elapsed time); hidden when
/// stderr is not a terminal (indicatif's rule), under `CI`, and with `--quiet`.
fn progress(n: u64, quiet: bool) -> ProgressBar {
    if quiet || std::env::var_os("CI").is_some() {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(n), ProgressDrawTarget::stderr());
    bar.set_style(
        ProgressStyle::with_template("{elapsed_precise} [{bar:20}] {pos}/{len} done · {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> "),
    );
    bar.enable_steady_tick(Duration::from_secs(1));
    bar
}

#[cfg(test)]
mod tests {
    use std::os::unix::process::ExitStatusExt as _;

    use super::*;

    fn entry(status: Status, exit_code: Option<i32>) -> Entry {
        Entry {
            stem: "a".into(),
            scenario: "a.toml".into(),
            digest: String::new(),
            options: vec![],
            name: "A".into(),
            organisation: String::new(),
            kind: "province".into(),
            vendor: None,
            status,
            exit_code,
            verdict: None,
            score: None,
            started: None,
            finished: None,
            attempts: 1,
            note: None,
        }
    }

    #[test]
    fn the_worst_portal_decides_three_over_one_over_zero() {
        let ok = entry(Status::Done, Some(0));
        let nc = entry(Status::Done, Some(1));
        let inc = entry(Status::Done, Some(3));
        let failed = entry(Status::Failed, Some(4));
        assert_eq!(worst(&[ok.clone(), ok.clone()]), ExitCode::Success);
        assert_eq!(worst(&[ok.clone(), nc.clone()]), ExitCode::NonConformant);
        assert_eq!(worst(&[nc.clone(), inc, ok.clone()]), ExitCode::Incomplete);
        assert_eq!(worst(&[nc, failed]), ExitCode::Incomplete);
        assert_eq!(
            worst(&[ok, entry(Status::Running, None)]),
            ExitCode::Incomplete
        );
    }

    #[test]
    fn a_portal_is_done_only_with_a_verdict_code_and_its_evaluation() {
        let dir = tempfile::tempdir().unwrap();
        let code = |c: i32| ExitStatus::from_raw(c << 8);
        let mut e = entry(Status::Running, None);
        record(&mut e, code(1), dir.path());
        assert_eq!(e.status, Status::Failed);
        assert!(
            e.note.as_deref().unwrap().contains("no evaluation.json"),
            "{e:?}"
        );
        std::fs::write(
            dir.path().join("evaluation.json"),
            r#"{"verdict": "non-conformant", "score": 41.5}"#,
        )
        .unwrap();
        let mut e = entry(Status::Running, None);
        record(&mut e, code(1), dir.path());
        assert_eq!(
            (e.status, e.verdict, e.score, e.exit_code),
            (
                Status::Done,
                Some(Conformance::NonConformant),
                Some(41.5),
                Some(1)
            )
        );
        let mut e = entry(Status::Running, None);
        record(&mut e, code(4), dir.path());
        assert_eq!(e.status, Status::Failed);
        assert_eq!(e.note.as_deref(), Some("assess exited with 4"));
        let mut e = entry(Status::Running, None);
        record(&mut e, ExitStatus::from_raw(9), dir.path());
        assert_eq!((e.status, e.exit_code), (Status::Failed, None));
        assert_eq!(e.note.as_deref(), Some("assess was killed by signal 9"));
        assert!(result(&e, Path::new("l")).starts_with("failed to run (assess was killed"));
    }
}

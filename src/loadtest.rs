//! `kiemdinh load`: the load probe alone — one run at the scenario's target, a capacity search
//! (`--find-capacity`), or one segment of a run spread over several machines (`--segment
//! I/N`, raw histograms only: judging a part is wrong) — and `kiemdinh load merge`, which
//! merges segments and only then summarises and judges Phụ lục V. Also the load step of
//! `assess`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::checklist::{Check, Checklist};
use crate::error::Error;
use crate::evaluation::Judged;
use crate::exit::ExitCode;
use crate::journal::Journal;
use crate::load::capacity::{self, Limits};
use crate::load::{Segment, summarise};
use crate::observation::{CapacityStep, LoadRun, LoadWarning, Observations};
use crate::probe::load as engine;
use crate::scenario::Scenario;
use crate::scenario::load::{LoadSettings, Stage};
use crate::text::Lang;

/// Options of `kiemdinh load`.
#[derive(Debug, Clone, Default)]
pub struct LoadOptions {
    /// Scenario file.
    pub scenario: Option<PathBuf>,
    /// Load the built-in reference portal instead.
    pub demo: bool,
    /// Reference-portal defects.
    pub defects: Vec<String>,
    /// Checklist ids or files (thresholds; default: the scenario's).
    pub checklists: Vec<String>,
    /// Output directory.
    pub out: Option<PathBuf>,
    /// This process's segment (0-based index, count).
    pub segment: Option<(u32, u32)>,
    /// Step the users up until a threshold breaks.
    pub find_capacity: bool,
    /// Write every measured latency (µs) to `samples.txt`.
    pub samples: bool,
    /// Language of the console lines.
    pub lang: Lang,
    /// Print only the verdict lines.
    pub quiet: bool,
}

/// What a load command produced.
#[derive(Debug)]
pub struct LoadOutcome {
    /// The summary (`load.json`); `None` for a segment (not judged).
    pub run: Option<LoadRun>,
    /// Verdicts of the load requirements.
    pub verdicts: Vec<Judged>,
    /// Where the files are.
    pub out: PathBuf,
    /// Exit code.
    pub exit: ExitCode,
}

/// Parses `I/N` (I from 0, as Kubernetes' `JOB_COMPLETION_INDEX`).
pub fn parse_segment(s: &str) -> Result<(u32, u32), Error> {
    let bad = || {
        Error::Usage(format!(
            "--segment `{s}`: expected I/N with 0 ≤ I < N ≤ 1000 (I counts from 0, as JOB_COMPLETION_INDEX)"
        ))
    };
    let (i, n) = s.split_once('/').ok_or_else(bad)?;
    let (i, n): (u32, u32) = (
        i.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if n == 0 || n > 1000 || i >= n {
        return Err(bad());
    }
    Ok((i, n))
}

/// Ids of the requirements judged from a load run (those with a `load-threshold` check).
fn load_ids(checklists: &[Checklist]) -> Vec<String> {
    checklists
        .iter()
        .flat_map(|c| &c.requirements)
        .filter(|r| {
            r.checks
                .iter()
                .any(|c| matches!(c, Check::LoadThreshold { .. }))
        })
        .map(|r| r.id.to_string())
        .collect()
}

/// Judges the load requirements from `run`.
pub fn judge(checklists: &[Checklist], run: &LoadRun, kind: &str) -> Vec<Judged> {
    let ids = load_ids(checklists);
    let obs = Observations {
        load: Some(run.clone()),
        ..Observations::default()
    };
    crate::judge::judge_all(checklists, &obs, kind, &ids, &[], |_| {})
        .into_iter()
        .filter(|j| ids.iter().any(|i| i == j.verdict.id.as_str()))
        .collect()
}

fn exit_for(verdicts: &[Judged]) -> ExitCode {
    use crate::evaluation::Status;
    if verdicts
        .iter()
        .any(|j| j.mandatory && j.verdict.status == Status::Fail)
    {
        ExitCode::NonConformant
    } else if verdicts.iter().any(|j| j.verdict.status == Status::Error) {
        ExitCode::Incomplete
    } else {
        ExitCode::Success
    }
}

fn write_json(path: &Path, value: &impl serde::Serialize) -> Result<(), Error> {
    let text = serde_json::to_string_pretty(value).expect("serialises");
    let tmp = path.with_extension("json.tmp");
    fs_err::write(&tmp, crate::redact::text(&text))?;
    fs_err::rename(&tmp, path)?;
    Ok(())
}

/// One load measurement: the run the scenario plans, or the capacity search. Shared by
/// `kiemdinh load` and `assess`.
pub struct Measure<'a> {
    /// The portal.
    pub scenario: &'a Scenario,
    /// Its `[load]`.
    pub settings: &'a LoadSettings,
    /// What the HTTP probe saw (default journeys use its search and lookup requests).
    pub obs: Option<&'a Observations>,
    /// Thresholds for the capacity search.
    pub checklists: &'a [Checklist],
    /// Step the users up instead.
    pub find_capacity: bool,
    /// Engine options.
    pub engine: engine::Options,
    /// Every step is journaled.
    pub journal: &'a Journal,
    /// No step lines on stderr.
    pub quiet: bool,
}

impl Measure<'_> {
    /// Runs it and returns the summary and the raw segments.
    pub async fn run(&self) -> Result<(LoadRun, Vec<Segment>), Error> {
        measure(self).await
    }
}

async fn measure(m: &Measure<'_>) -> Result<(LoadRun, Vec<Segment>), Error> {
    let Measure {
        scenario,
        settings,
        obs,
        checklists,
        find_capacity,
        engine: ref opts,
        journal,
        quiet,
    } = *m;
    let journeys = engine::journeys(scenario, settings, obs);
    journal.write(&serde_json::json!({"event": "load-start", "at": crate::clock::now_rfc3339(),
        "users": settings.users, "mode": settings.mode, "journeys": journeys.iter().map(|j| &j.name).collect::<Vec<_>>(),
        "segment": opts.segment, "find_capacity": find_capacity}));
    if !find_capacity {
        let seg = Box::pin(engine::attack(
            scenario,
            settings,
            &journeys,
            &settings.stages,
            &settings.measured,
            opts,
        ))
        .await?;
        let run = summarise(&seg);
        journal.write(&serde_json::json!({"event": "load-end", "run": run}));
        return Ok((run, vec![seg]));
    }
    let c = settings.capacity.as_ref().ok_or_else(|| {
        Error::Usage(
            "--find-capacity needs `[load.capacity]` in the scenario (start, step, max, hold-s)"
                .into(),
        )
    })?;
    let mut limits = Limits::from_checklists(checklists);
    if let Some(p) = c.max_p95_ms {
        limits.p95_ms = Some(limits.p95_ms.map_or(p, |l| l.min(p)));
    }
    let plan = capacity::plan(c.start, c.step, c.max).map_err(Error::Usage)?;
    let mut steps: Vec<CapacityStep> = Vec::new();
    let mut segs: Vec<(u32, Segment)> = Vec::new();
    for users in plan {
        let stages = [
            Stage {
                users,
                duration_s: c.ramp_s,
            },
            Stage {
                users,
                duration_s: c.hold_s,
            },
        ];
        let seg = Box::pin(engine::attack(
            scenario,
            settings,
            &journeys,
            &stages,
            &[false, true],
            opts,
        ))
        .await?;
        let run = summarise(&seg);
        let broke = capacity::breaks(&run.latency_ms, run.requests, run.errors, &limits);
        let step = CapacityStep {
            users,
            duration_s: run.duration_s,
            requests: run.requests,
            errors: run.errors,
            rps: run.rps,
            latency_ms: run.latency_ms.clone(),
            passed: broke.is_none(),
            broke: broke.clone(),
        };
        journal.write(&serde_json::json!({"event": "load-step", "step": step}));
        if !quiet {
            eprintln!(
                "  {users} users: {:.0} req/s, p95 {:.1} ms, {} errors{}",
                run.rps,
                run.latency_ms.p95,
                run.errors,
                broke
                    .as_ref()
                    .map_or(String::new(), |b| format!(" — broke: {b}"))
            );
        }
        let interrupted = seg.warnings.contains(&LoadWarning::Interrupted);
        steps.push(step);
        segs.push((users, seg));
        if broke.is_some() || interrupted {
            break;
        }
    }
    // The figures at the target when the search reached it, else the last step's.
    let at = segs
        .iter()
        .position(|(u, _)| *u == settings.users)
        .unwrap_or(segs.len() - 1);
    let mut run = summarise(&segs[at].1);
    run.target_users = settings.users;
    run.capacity_users = capacity::capacity(&steps);
    run.steps = steps;
    journal.write(&serde_json::json!({"event": "load-end", "run": run}));
    Ok((run, segs.into_iter().map(|(_, s)| s).collect()))
}

/// The run recorded when the load engine itself failed: nothing was measured, so the load
/// requirements are judged `error`, never a confident verdict.
pub fn failed_run(scenario: &Scenario, settings: &LoadSettings, e: &Error) -> LoadRun {
    LoadRun {
        mode: settings.mode,
        target: scenario.base_url.to_string(),
        target_users: settings.users,
        target_active_share: settings.active_share,
        segments: 1,
        warnings: vec![LoadWarning::EngineFailed {
            message: e.to_string(),
        }],
        started_at: crate::clock::now_rfc3339(),
        finished_at: crate::clock::now_rfc3339(),
        ..LoadRun::default()
    }
}

/// `kiemdinh load`.
pub async fn run(opts: LoadOptions) -> Result<LoadOutcome, Error> {
    if opts.find_capacity && opts.segment.is_some() {
        return Err(Error::Usage(
            "--find-capacity runs on one machine: it cannot be combined with --segment".into(),
        ));
    }
    let defects = crate::demo::Defects::parse(&opts.defects)?;
    let (scenario, _demo) = crate::plan::scenario_or_demo(
        opts.demo,
        opts.scenario.as_deref(),
        defects,
        crate::demo::Theme::default(),
    )
    .await?;
    let settings = scenario.load.clone().ok_or_else(|| {
        Error::Usage(format!(
            "`{}` has no `[load]` section: nothing to run",
            scenario.source.display()
        ))
    })?;
    engine::authorised(&scenario, &settings, &crate::clock::today())
        .map_err(Error::NotAuthorised)?;
    let ids = crate::plan::checklist_specs(&opts.checklists, Some(&scenario));
    let (checklists, _) = crate::plan::prepare_checklists(&ids, Some(&scenario), &[])?;
    let out = opts.out.clone().unwrap_or_else(|| {
        PathBuf::from("out").join(format!(
            "{}-load-{}",
            scenario.slug(),
            crate::clock::today()
        ))
    });
    crate::plan::prepare_out(&out)?;
    let segment = opts.segment.unwrap_or((0, 1));
    let journal = if opts.segment.is_some() {
        Journal::create_named(
            &out,
            &format!("journal-{}-of-{}.jsonl", segment.0 + 1, segment.1),
        )?
    } else {
        Journal::create(&out)?
    };
    let engine_opts = engine::Options {
        segment,
        progress: !opts.quiet,
        samples: opts
            .samples
            .then(|| out.join(format!("samples-{}-of-{}.txt", segment.0 + 1, segment.1))),
    };
    if !opts.quiet {
        eprintln!(
            "kiemdinh: load on {} ({} users{})",
            scenario.base_url,
            settings.users,
            if segment.1 > 1 {
                format!(", segment {} of {}", segment.0 + 1, segment.1)
            } else {
                String::new()
            }
        );
    }
    let (run, segs) = Box::pin(
        Measure {
            scenario: &scenario,
            settings: &settings,
            obs: None,
            checklists: &checklists,
            find_capacity: opts.find_capacity,
            engine: engine_opts,
            journal: &journal,
            quiet: opts.quiet,
        }
        .run(),
    )
    .await?;
    if opts.segment.is_some() {
        let seg = segs.into_iter().next().expect("one segment");
        write_json(
            &out.join(format!("segment-{}-of-{}.json", seg.index, seg.of)),
            &seg,
        )?;
        if !opts.quiet {
            eprintln!("{}", crate::report::load::console(&run, opts.lang));
            eprintln!("(a segment is not judged: merge every segment with `kiemdinh load merge`)");
        }
        return Ok(LoadOutcome {
            run: None,
            verdicts: Vec::new(),
            out,
            exit: ExitCode::Success,
        });
    }
    if let Some(seg) = segs.last() {
        write_json(&out.join("segment-1-of-1.json"), seg)?;
    }
    finish(
        run,
        &checklists,
        scenario.organisation_kind.as_str(),
        out,
        &journal,
        &opts,
    )
}

fn finish(
    run: LoadRun,
    checklists: &[Checklist],
    kind: &str,
    out: PathBuf,
    journal: &Journal,
    opts: &LoadOptions,
) -> Result<LoadOutcome, Error> {
    write_json(&out.join("load.json"), &run)?;
    let verdicts = judge(checklists, &run, kind);
    for j in &verdicts {
        journal.write(&serde_json::json!({"event": "verdict", "id": j.verdict.id,
            "status": j.verdict.status, "message": j.verdict.message.get(opts.lang)}));
    }
    let mut md = format!(
        "```\n{}\n```\n\n",
        crate::report::load::console(&run, opts.lang)
    );
    for j in &verdicts {
        let _ = writeln!(
            md,
            "- **{}** {}: {}",
            j.verdict.id,
            j.verdict.status.as_str(),
            j.verdict.message.get(opts.lang).replace('\n', " ")
        );
    }
    fs_err::write(out.join("summary.md"), crate::redact::text(&md))?;
    if !opts.quiet {
        eprintln!("{}", crate::report::load::console(&run, opts.lang));
    }
    for j in &verdicts {
        println!(
            "{} {}: {}",
            j.verdict.id,
            j.verdict.status.as_str(),
            j.verdict.message.get(opts.lang)
        );
    }
    let exit = exit_for(&verdicts);
    Ok(LoadOutcome {
        run: Some(run),
        verdicts,
        out,
        exit,
    })
}

/// `kiemdinh load merge DIR...`: merges every segment, then summarises and judges.
pub fn merge(
    dirs: &[PathBuf],
    out: Option<PathBuf>,
    checklists: &[String],
    lang: Lang,
    quiet: bool,
) -> Result<LoadOutcome, Error> {
    let segments = crate::load::read_dirs(dirs).map_err(|e| Error::Usage(e.to_string()))?;
    let merged = crate::load::merge(segments).map_err(|e| Error::Usage(e.to_string()))?;
    let run = summarise(&merged);
    let ids = crate::plan::checklist_specs(checklists, None);
    let (checklists, _) = crate::plan::prepare_checklists(&ids, None, &[])?;
    let out = out.unwrap_or_else(|| dirs[0].clone());
    crate::plan::prepare_out(&out)?;
    let journal = Journal::create(&out)?;
    journal.write(&serde_json::json!({"event": "load-merge", "segments": merged.of, "run": run}));
    let opts = LoadOptions {
        lang,
        quiet,
        ..LoadOptions::default()
    };
    // Phụ lục V applies to every kind of portal; the kind only filters other requirements.
    finish(run, &checklists, "province", out, &journal, &opts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn segments_count_from_zero_like_kubernetes() {
        assert_eq!(parse_segment("0/4").unwrap(), (0, 4));
        assert_eq!(parse_segment("3/4").unwrap(), (3, 4));
        for bad in ["4/4", "1/0", "a/2", "2", "-1/3"] {
            let e = parse_segment(bad).unwrap_err().to_string();
            assert!(e.contains("JOB_COMPLETION_INDEX"), "{e}");
        }
    }
}

//! The main job: load inputs, observe the portal, judge every requirement, write the reports.
//! Inputs and the output directory are checked before anything touches the network
//! ([`crate::plan`]), and every page and verdict is journaled as it arrives
//! ([`crate::journal`]); with `--resume` the journal's observations are handed back to the
//! probes ([`crate::probe::tape`]) so an interrupted run goes on where it stopped. `rejudge`
//! runs the second half again on stored observations;
//! `validate_files` is `kiemdinh check`.

use std::path::{Path, PathBuf};

use crate::checklist::Checklist;
use crate::error::Error;
use crate::evaluation::baseline::Baseline;
use crate::evaluation::{Conformance, Evaluation, FailOn, PortalInfo};
use crate::exit::ExitCode;
use crate::input::Source;
use crate::journal::{self, Journal};
use crate::judge::judge_all;
use crate::observation::Page;
use crate::plan;
use crate::report::Format;
use crate::scenario::Scenario;
use crate::text::Lang;

/// Report and exit-code options shared by `assess` and `rejudge`.
#[derive(Debug, Clone)]
pub struct ReportOptions {
    /// Formats.
    pub formats: Vec<Format>,
    /// Report language.
    pub lang: Lang,
    /// Failure policy.
    pub fail_on: FailOn,
    /// Exit 3 for a provisional evaluation too.
    pub require_complete: bool,
    /// Ranking policies switched off (`--without-ranking-policy`).
    pub without_ranking_policies: Vec<String>,
    /// Print only the summary line.
    pub quiet: bool,
    /// An earlier `evaluation.json` to report regressions and fixes against (`--baseline`).
    pub baseline: Option<PathBuf>,
}

/// Options of one assessment.
#[derive(Debug, Clone)]
pub struct AssessOptions {
    /// Scenario file.
    pub scenario: Option<PathBuf>,
    /// Assess the built-in reference portal.
    pub demo: bool,
    /// Reference-portal defects.
    pub defects: Vec<String>,
    /// Reference-portal markup theme (`semantic` when empty).
    pub theme: String,
    /// Checklist ids or files.
    pub checklists: Vec<String>,
    /// Output directory.
    pub out: Option<PathBuf>,
    /// Continue the interrupted run in `out` from its journal (`--resume`).
    pub resume: bool,
    /// Write into an output directory holding another portal's finished run (`--force`).
    pub force: bool,
    /// Only these ids/categories.
    pub only: Vec<String>,
    /// Skip these ids/categories.
    pub skip: Vec<String>,
    /// Threshold overrides `ID.key=value` (`--set`).
    pub set: Vec<String>,
    /// Browser probe switches.
    pub browser: BrowserOptions,
    /// Do not run the scenario's `[load]` (the load requirements stay pending).
    pub no_load: bool,
    /// Run the consent-gated active security checks (`--active-security`).
    pub active_security: bool,
    /// Reports and exit code.
    pub report: ReportOptions,
}

pub use crate::probe::BrowserOptions;

/// What an assessment (or a rejudgement) produced.
#[derive(Debug)]
pub struct Outcome {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// Where the reports are.
    pub out: PathBuf,
    /// The process exit code.
    pub exit: ExitCode,
}

impl Outcome {
    fn new(evaluation: Evaluation, out: PathBuf, report: &ReportOptions) -> Self {
        let exit = match (&evaluation.baseline, report.fail_on) {
            // The gate is the regressions alone; `--require-complete` still asks for a
            // conclusion.
            (Some(c), FailOn::Regression) if !c.regressions.is_empty() => ExitCode::NonConformant,
            (Some(_), FailOn::Regression) => match evaluation.verdict {
                Conformance::Incomplete | Conformance::Provisional if report.require_complete => {
                    ExitCode::Incomplete
                }
                _ => ExitCode::Success,
            },
            _ => ExitCode::for_verdict(evaluation.verdict, report.require_complete),
        };
        Self {
            evaluation,
            out,
            exit,
        }
    }
}

/// Switches off ranking policies, compares with the baseline, then writes the reports.
fn finish(
    evaluation: &mut Evaluation,
    out: &Path,
    report: &ReportOptions,
    baseline: Option<&Baseline>,
    rank: Option<&crate::report::cover::RankView>,
) -> Result<(), Error> {
    evaluation
        .without_policies(&report.without_ranking_policies)
        .map_err(Error::Usage)?;
    if let (Some(b), Some(file)) = (baseline, &report.baseline) {
        evaluation.baseline = Some(b.compare(
            &file.display().to_string(),
            &evaluation.portal.name,
            &evaluation.requirements,
        ));
    }
    crate::report::write_all_ranked(evaluation, out, &report.formats, report.lang, rank)
        .map_err(Error::after_probe)
}

/// Redacts observations before they are judged and written ([`crate::redact`]). A failed
/// round trip leaves the headers redacted, and the writers' text pass still applies: it is a
/// warning, not a lost run.
fn redact_observations(obs: &mut crate::observation::Observations) {
    if let Err(e) = crate::redact::active().observations(obs) {
        eprintln!("warning: observations only partly redacted: {e}");
    }
}

/// Runs one assessment end to end. Ctrl-C stops it: everything it started (the browser, its
/// driver, the reference portal) is dropped, and so stopped, before it returns
/// [`Error::Interrupted`].
pub async fn run(opts: AssessOptions) -> Result<Outcome, Error> {
    Box::pin(run_until(opts, std::future::pending())).await
}

/// [`run`], also stopped the way Ctrl-C stops it when `stop` completes (a campaign's child
/// whose parent is gone: [`crate::campaign::parent_gone`]).
pub async fn run_until(
    opts: AssessOptions,
    stop: impl std::future::Future<Output = ()>,
) -> Result<Outcome, Error> {
    tokio::select! {
        outcome = run_inner(opts) => outcome,
        _ = tokio::signal::ctrl_c() => Err(Error::Interrupted),
        () = stop => Err(Error::Interrupted),
    }
}

async fn run_inner(opts: AssessOptions) -> Result<Outcome, Error> {
    // Shipped editions and policies are checked before the portal starts: a typo costs nothing.
    for spec in &opts.checklists {
        Checklist::resolve(spec)?;
    }
    crate::evaluation::validate_policy_ids(&opts.report.without_ranking_policies)
        .map_err(Error::Usage)?;
    let baseline = plan::read_baseline(&opts.report)?;
    crate::report::pdf::check_formats(&opts.report.formats)?;
    let defects = crate::demo::Defects::parse(&opts.defects)?;
    let theme = crate::demo::Theme::parse(&opts.theme)?;
    let (scenario, demo) =
        plan::scenario_or_demo(opts.demo, opts.scenario.as_deref(), defects, theme).await?;
    // Before anything is probed or written: every writer and the console redact them.
    crate::redact::remember(crate::redact::scenario_secrets(&scenario));
    if let Some(load) = scenario.load.as_ref().filter(|_| !opts.no_load) {
        crate::probe::load::authorised(&scenario, load, &crate::clock::today())
            .map_err(Error::NotAuthorised)?;
    }
    let ids = plan::checklist_specs(&opts.checklists, Some(&scenario));
    let (checklists, overrides) = plan::prepare_checklists(&ids, Some(&scenario), &opts.set)?;
    plan::validate_filters(&opts.only, "--only", &checklists)?;
    plan::validate_filters(&opts.skip, "--skip", &checklists)?;
    plan::validate_evidence_ids(&scenario, &checklists)?;
    plan::validate_evidence_files(&scenario, &checklists)?;
    if let Some(runs) = opts.browser.runs
        && !(1..=20).contains(&runs)
    {
        return Err(Error::Usage(format!("--runs {runs}: between 1 and 20")));
    }
    let out = opts.out.clone().unwrap_or_else(|| {
        PathBuf::from("out").join(format!("{}-{}", scenario.slug(), crate::clock::today()))
    });
    plan::check_out_owner(&out, &scenario, opts.force)?;
    let editions = checklists.iter().map(|c| c.edition.clone()).collect();
    let stamp = if demo.is_some() {
        journal::Stamp::for_demo(&opts.defects, theme.name(), editions)
    } else {
        journal::Stamp::for_file(&Source::read(&scenario.source)?.text, editions)
    };
    let resumed = if opts.resume {
        let read = journal::read(&out)?;
        journal::check_stamp(&read, &stamp)?;
        let replay = journal::replay(&read, &scenario.base_url, &scenario.http_url)?;
        Some((read, replay))
    } else {
        None
    };
    // The browser is started before anything is probed or written: a missing browser costs
    // nothing.
    let browser = crate::probe::browser_driver(&scenario, &opts.browser).await?;
    plan::prepare_out(&out)?;

    let quiet = opts.report.quiet;
    let (journal, replay) = if let Some((read, replay)) = resumed {
        let journal = Journal::append(&read)?;
        journal.write(
            &serde_json::json!({"event": "resume", "at": crate::clock::now_rfc3339(),
                "portal": scenario.base_url.as_str(), "http": scenario.http_url.as_str(),
                "observations": replay.len(), "dropped-line": read.dropped}),
        );
        if !quiet {
            eprintln!(
                "kiemdinh: resuming {}: {} observations from the journal{}",
                journal::FILE,
                replay.len(),
                read.dropped
                    .map_or_else(String::new, |n| format!(" (its cut last line {n} dropped)"))
            );
        }
        (journal, replay)
    } else {
        let journal = Journal::create(&out)?;
        journal.write(
            &serde_json::json!({"event": "start", "at": crate::clock::now_rfc3339(),
                "portal": scenario.base_url.as_str(), "http": scenario.http_url.as_str(),
                "checklists": ids, "defects": opts.defects, "theme": theme.name(), "stamp": stamp}),
        );
        (journal, crate::probe::tape::Replay::default())
    };
    let journal = std::sync::Arc::new(journal);
    let tape = std::sync::Arc::new(crate::probe::tape::Tape::new(replay, {
        let journal = journal.clone();
        move |r| journal.write(&journal::event(&r))
    }));
    let fetched = std::sync::atomic::AtomicUsize::new(0);
    let on_page = |p: &Page| {
        journal.write(&serde_json::json!({"event": "page", "url": p.url, "status": p.fetch.status,
            "ms": (p.fetch.total_ms * 10.0).round() / 10.0, "error": p.fetch.error.as_ref().map(|e| &e.message)}));
        let n = fetched.fetch_add(1, std::sync::atomic::Ordering::Relaxed) + 1;
        if !quiet && n.is_multiple_of(25) {
            eprintln!("  fetched {n} pages…");
        }
    };
    if !quiet {
        eprintln!(
            "kiemdinh: assessing {} ({})",
            scenario.name, scenario.base_url
        );
    }
    let mut obs = crate::probe::observe(&scenario, Some(&tape), &on_page).await?;
    let on_browser = |p: crate::probe::browser::run::Progress<'_>| {
        use crate::probe::browser::run::Progress;
        match p {
            Progress::Timed(run) => {
                journal.write(&serde_json::json!({"event": "browser-load", "run": run}));
                if !quiet {
                    eprintln!(
                        "  timed {} ({}): LCP {}",
                        crate::redact::text(&run.url),
                        run.profile,
                        run.lcp_ms
                            .map_or_else(|| "—".to_string(), |v| format!("{v:.0} ms"))
                    );
                }
            }
            Progress::Rendered(url, rendered) => journal
                .write(&serde_json::json!({"event": "rendered", "url": url, "page": rendered})),
            Progress::Mobile(url, view) => journal
                .write(&serde_json::json!({"event": "rendered-mobile", "url": url, "view": view})),
        }
    };
    let session = crate::probe::observe_browser(
        browser,
        (&scenario, Some(&tape)),
        &opts.browser,
        &out,
        &mut obs,
        &on_browser,
        &on_page,
    )
    .await;
    crate::probe::finish(&scenario, Some(&tape), &mut obs, &on_page).await?;
    crate::probe::render_active(session.as_ref(), &mut obs, &on_browser).await;
    let on_flow = |f: &crate::observation::FlowRun| {
        if !quiet {
            eprintln!(
                "  flow \"{}\": {}",
                f.name,
                match f.status {
                    crate::observation::FlowStatus::Passed => "passed".to_string(),
                    crate::observation::FlowStatus::Failed => format!(
                        "failed at {}",
                        crate::redact::text(
                            f.steps
                                .iter()
                                .find(|s| s.status == crate::observation::StepStatus::Failed)
                                .map_or("?", |s| s.description.as_str())
                        )
                    ),
                    crate::observation::FlowStatus::Error => "not run".to_string(),
                }
            );
        }
        journal.write(&serde_json::json!({"event": "flow", "flow": f}));
    };
    crate::probe::run_flows(session, (&scenario, Some(&tape)), &mut obs, &on_flow).await;
    let settings = scenario.load.as_ref().filter(|_| !opts.no_load);
    if let Some(run) = settings.and_then(|_| tape.take_load()) {
        // Measured to its end before the run was interrupted: not loaded again.
        if !quiet {
            eprintln!(
                "  load: measured before the interruption ({} users)",
                run.users
            );
        }
        obs.load = Some(run);
    } else if let Some(settings) = settings {
        // After the browser: timed page loads and load never overlap.
        if !quiet {
            eprintln!("  load: {} users…", settings.users);
        }
        let engine = crate::probe::load::Options {
            progress: !quiet,
            ..crate::probe::load::Options::default()
        };
        let measured = Box::pin(
            crate::loadtest::Measure {
                scenario: &scenario,
                settings,
                obs: Some(&obs),
                checklists: &checklists,
                find_capacity: false,
                engine,
                journal: &journal,
                quiet,
            }
            .run(),
        )
        .await;
        obs.load = Some(match measured {
            Ok((run, _)) => run,
            Err(e) => crate::loadtest::failed_run(&scenario, settings, &e),
        });
    }
    let active = crate::probe::active::from_env(&scenario, opts.active_security, &checklists);
    obs.active = Some(Box::new(active.await));
    let (files, attestations) =
        crate::probe::evidence::collect(&scenario, &out).map_err(Error::after_probe)?;
    obs.evidence = files;
    obs.attestations = attestations;
    let now = time::OffsetDateTime::now_utc();
    crate::probe::availability::attach(&scenario, &mut obs, now, crate::probe::availability::STORE);
    if let Some(d) = demo {
        d.shutdown();
    }
    redact_observations(&mut obs);
    let portal = PortalInfo::from(&scenario);
    let requirements = judge_all(
        &checklists,
        &obs,
        &portal.organisation_kind,
        &opts.only,
        &opts.skip,
        |j| {
            journal.write(&serde_json::json!({"event": "verdict", "id": j.verdict.id,
                "status": j.verdict.status, "message": j.verdict.message.get(opts.report.lang)}));
        },
    );
    let mut evaluation = Evaluation::new(
        portal,
        &checklists,
        requirements,
        obs,
        opts.report.fail_on,
        crate::clock::now_rfc3339(),
    );
    evaluation.overrides = overrides;
    journal.write(
        &serde_json::json!({"event": "end", "verdict": evaluation.verdict,
        "score": evaluation.score, "replayed": tape.replayed()}),
    );
    finish(&mut evaluation, &out, &opts.report, baseline.as_ref(), None)?;
    Ok(Outcome::new(evaluation, out, &opts.report))
}

/// `kiemdinh check`: validates every checklist and scenario under the paths (strictly, then
/// against the JSON Schemas). Returns how many files were valid, or every invalid file's error.
pub fn validate_files(paths: &[PathBuf]) -> Result<usize, Vec<Error>> {
    let defaults = [PathBuf::from("checklists"), PathBuf::from("scenarios")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = fs_err::read_dir(p)
                .map_err(|e| vec![Error::from(e)])?
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "toml"))
                .collect();
            entries.sort();
            files.extend(entries);
        } else {
            files.push(p.clone());
        }
    }
    let mut errors = Vec::new();
    for f in &files {
        if let Err(e) = validate_file(f) {
            errors.push(e);
        }
    }
    if errors.is_empty() {
        Ok(files.len())
    } else {
        Err(errors)
    }
}

fn validate_file(f: &Path) -> Result<(), Error> {
    let source = Source::read(f)?;
    let is_scenario = !source.is_checklist();
    let which = if is_scenario {
        crate::schema::Which::Scenario
    } else {
        crate::schema::Which::Checklist
    };
    if is_scenario {
        // A scenario's overrides and evidence ids are checked against its checklists.
        let s = Scenario::from_source(&source)?;
        let ids = plan::checklist_specs(&[], Some(&s));
        let (checklists, _) = plan::prepare_checklists(&ids, Some(&s), &[])?;
        plan::validate_evidence_ids(&s, &checklists)?;
        plan::validate_evidence_files(&s, &checklists)?;
    } else {
        Checklist::from_source(&source)?;
    }
    let problems = crate::schema::validate_toml(which, &source);
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: if is_scenario { "scenario" } else { "checklist" },
            file: f.to_path_buf(),
            problems,
        })
    }
}

/// Options of `kiemdinh rejudge`.
#[derive(Debug, Clone)]
pub struct RejudgeOptions {
    /// The `evaluation.json` whose observations are judged again.
    pub evaluation: PathBuf,
    /// Checklist ids or files (default: the editions the evaluation used).
    pub checklists: Vec<String>,
    /// New threshold overrides (on top of the evaluation's own).
    pub set: Vec<String>,
    /// Output directory (default: `rejudged/` beside the evaluation).
    pub out: Option<PathBuf>,
    /// A `ranking.json` that ranked this evaluation: its place goes on the report's cover.
    pub ranking: Option<PathBuf>,
    /// Reports and exit code.
    pub report: ReportOptions,
}

/// `kiemdinh rejudge`: judges the observations stored in an `evaluation.json` again — against
/// another checklist edition or new thresholds — without touching the portal. Observations of
/// an older format give `error` for the checks that need what they lack, never a `fail`.
pub fn rejudge(opts: &RejudgeOptions) -> Result<Outcome, Error> {
    let baseline = plan::read_baseline(&opts.report)?;
    crate::report::pdf::check_formats(&opts.report.formats)?;
    let ranking = opts
        .ranking
        .as_deref()
        .map(crate::rank::cover::read)
        .transpose()?;
    let source = Source::read(&opts.evaluation)?;
    let mut evaluation = rejudge_str(
        &source.text,
        &opts.evaluation,
        &opts.checklists,
        &opts.set,
        opts.report.fail_on,
    )?;
    let here = opts
        .evaluation
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let out = opts.out.clone().unwrap_or_else(|| here.join("rejudged"));
    plan::prepare_out(&out)?;
    // Evidence files keep their links: copy them beside the new reports.
    let evidence = here.join("evidence");
    if evidence.is_dir() && out.join("evidence") != evidence {
        fs_err::create_dir_all(out.join("evidence"))?;
        for entry in fs_err::read_dir(&evidence)?.filter_map(Result::ok) {
            if entry.path().is_file() {
                fs_err::copy(entry.path(), out.join("evidence").join(entry.file_name()))?;
            }
        }
    }
    let rank = ranking
        .as_ref()
        .map(|r| crate::rank::cover::rank_view(r, &evaluation.portal, opts.report.lang))
        .transpose()?
        .flatten();
    finish(
        &mut evaluation,
        &out,
        &opts.report,
        baseline.as_ref(),
        rank.as_ref(),
    )?;
    Ok(Outcome::new(evaluation, out, &opts.report))
}

/// The pure half of [`rejudge`]: parses the text of an `evaluation.json` (`file` names it in
/// errors) and judges its observations again against `checklists` (empty: the editions it
/// names), with its own overrides and then `set`. Writes nothing; reads only checklist files
/// named by path. The fuzz target `rejudge` calls it.
pub fn rejudge_str(
    text: &str,
    file: &Path,
    checklists: &[String],
    set: &[String],
    fail_on: FailOn,
) -> Result<Evaluation, Error> {
    let source = Source {
        path: file.to_path_buf(),
        text: text.to_string(),
    };
    let doc: crate::report::json::EvaluationJson =
        source.parse_json("evaluation", "not a kiemdinh evaluation.json")?;
    let ids: Vec<String> = if checklists.is_empty() {
        doc.checklists.iter().map(|c| c.edition.clone()).collect()
    } else {
        checklists.to_vec()
    };
    let (mut checklists, _) = plan::prepare_checklists(&ids, None, &[])?;
    // The evaluation's own overrides still hold, then the new ones.
    let mut overrides = Vec::new();
    for o in &doc.overrides {
        let r = crate::checklist::overrides::apply(
            &mut checklists,
            &o.id,
            &o.key,
            o.to.clone(),
            &o.source,
        )
        .map_err(|m| Error::Usage(format!("override recorded in the evaluation: {m}")))?;
        overrides.push(r);
    }
    overrides.extend(crate::checklist::overrides::apply_all(
        &mut checklists,
        set,
    )?);
    let mut observations = doc.observations;
    if observations.tool_version.is_empty() {
        observations.tool_version.clone_from(&doc.tool_version);
    }
    // Observations written before redaction existed are redacted before they are written again.
    redact_observations(&mut observations);
    let requirements = judge_all(
        &checklists,
        &observations,
        &doc.portal.organisation_kind,
        &[],
        &[],
        |_| {},
    );
    let mut evaluation = Evaluation::new(
        doc.portal.clone(),
        &checklists,
        requirements,
        observations,
        fail_on,
        crate::clock::now_rfc3339(),
    );
    evaluation.overrides = overrides;
    Ok(evaluation)
}

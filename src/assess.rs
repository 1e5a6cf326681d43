//! The main job: load inputs, observe the portal, judge every requirement, write the reports.
//! Inputs and the output directory are checked before anything touches the network, and
//! every page and verdict is journaled as it arrives.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use crate::checklist::overrides::Override;
use crate::checklist::{Category, Checklist};
use crate::error::{Error, Problem};
use crate::evaluation::{
    self, ChecklistInfo, Evaluation, FailOn, Judged, PortalInfo, Status, Verdict,
};
use crate::input::{Source, did_you_mean};
use crate::observation::{Observations, Page};
use crate::scenario::Scenario;
use crate::text::{Lang, Text};

/// A report format.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// `report.html`.
    Html,
    /// `evaluation.json`.
    Json,
    /// `junit.xml`.
    Junit,
    /// `summary.md`.
    Md,
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
    /// Only these ids/categories.
    pub only: Vec<String>,
    /// Skip these ids/categories.
    pub skip: Vec<String>,
    /// Formats.
    pub formats: Vec<Format>,
    /// Report language.
    pub lang: Lang,
    /// Failure policy.
    pub fail_on: FailOn,
    /// Print only the summary line.
    pub quiet: bool,
    /// Threshold overrides `ID.key=value` (`--set`).
    pub set: Vec<String>,
}

/// What an assessment produced.
#[derive(Debug)]
pub struct Outcome {
    /// The evaluation.
    pub evaluation: Evaluation,
    /// Where the reports are.
    pub out: PathBuf,
    /// The process exit code.
    pub exit_code: u8,
}

/// Appends JSON lines to `journal.jsonl`, flushing each one.
struct Journal(Mutex<std::io::BufWriter<fs_err::File>>);

impl Journal {
    fn create(dir: &Path) -> Result<Self, Error> {
        let f = fs_err::File::create(dir.join("journal.jsonl"))?;
        Ok(Self(Mutex::new(std::io::BufWriter::new(f))))
    }

    fn write(&self, event: &serde_json::Value) {
        let mut w = self.0.lock().expect("not poisoned");
        // A journal line lost to a full disk must not stop the assessment.
        let _ = serde_json::to_writer(&mut *w, event);
        let _ = w.write_all(b"\n");
        let _ = w.flush();
    }
}

/// Checks `--only`/`--skip` entries against the checklists' ids and categories.
fn check_filters(filters: &[String], flag: &str, checklists: &[Checklist]) -> Result<(), Error> {
    let ids: Vec<&str> = checklists
        .iter()
        .flat_map(|c| c.requirements.iter().map(|r| r.id.as_str()))
        .collect();
    for f in filters {
        if Category::parse(f).is_none() && !ids.contains(&f.as_str()) {
            let candidates = ids
                .iter()
                .copied()
                .chain(Category::ALL.iter().map(|c| c.as_str()));
            let hint = did_you_mean(f, candidates)
                .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
            return Err(Error::Usage(format!(
                "`{flag} {f}` is neither a requirement id nor a category{hint}"
            )));
        }
    }
    Ok(())
}

fn selected(r: &crate::checklist::Requirement, only: &[String], skip: &[String]) -> bool {
    let hit = |f: &String| f == r.id.as_str() || f == r.category.as_str();
    (only.is_empty() || only.iter().any(hit)) && !skip.iter().any(hit)
}

/// Ids of every shipped checklist: a scenario may name them even when a run selects fewer.
/// Requirement id → the shipped edition that defines it.
fn shipped_ids() -> std::collections::HashMap<String, String> {
    crate::checklist::SHIPPED
        .iter()
        .filter_map(|(e, _)| Checklist::resolve(e).ok())
        .flat_map(|c| {
            let edition = c.edition;
            c.requirements
                .into_iter()
                .map(move |r| (r.id.0, edition.clone()))
        })
        .collect()
}

fn check_evidence_ids(scenario: &Scenario, checklists: &[Checklist]) -> Result<(), Error> {
    let shipped = shipped_ids();
    let known =
        |id: &str| shipped.contains_key(id) || checklists.iter().any(|c| c.get(id).is_some());
    let ids: Vec<&str> = checklists
        .iter()
        .flat_map(|c| c.requirements.iter().map(|r| r.id.as_str()))
        .collect();
    let problems: Vec<Problem> = scenario
        .evidence
        .keys()
        .map(|k| ("evidence", k))
        .chain(scenario.attestations.keys().map(|k| ("attestations", k)))
        .filter(|(_, id)| !known(id))
        .map(|(table, id)| Problem {
            file: scenario.source.clone(),
            line: None,
            column: None,
            key: Some(format!("{table}.{id}")),
            message: match did_you_mean(id, ids.iter().copied()) {
                Some(s) => format!("unknown requirement id `{id}`, did you mean `{s}`?"),
                None => format!("unknown requirement id `{id}` in the selected checklists"),
            },
        })
        .collect();
    if problems.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid {
            what: "scenario",
            file: scenario.source.clone(),
            problems,
        })
    }
}

/// Creates the output directory and proves it writable, before any probe runs.
fn prepare_out(out: &Path) -> Result<(), Error> {
    let err = |source| Error::Output {
        path: out.to_path_buf(),
        source,
    };
    std::fs::create_dir_all(out).map_err(err)?;
    let probe = out.join(".kiemdinh-write-test");
    std::fs::write(&probe, b"").map_err(err)?;
    let _ = std::fs::remove_file(probe);
    Ok(())
}

/// Judges every requirement (or marks it skipped), in checklist order. Requirements whose
/// checks refer to other requirements (`same-as`) are judged after those, whatever `--only`
/// says about the referenced ones.
pub fn judge_all(
    checklists: &[Checklist],
    obs: &Observations,
    only: &[String],
    skip: &[String],
    mut on_verdict: impl FnMut(&Judged),
) -> Vec<Judged> {
    let all: Vec<(&Checklist, &crate::checklist::Requirement)> = checklists
        .iter()
        .flat_map(|c| c.requirements.iter().map(move |r| (c, r)))
        .collect();
    let mut verdicts: std::collections::HashMap<String, Verdict> = std::collections::HashMap::new();
    let skipped = |r: &crate::checklist::Requirement| Verdict {
        id: r.id.clone(),
        status: Status::Skipped,
        expected: Text::default(),
        observed: Text::default(),
        message: Text::new("Bỏ qua theo --only/--skip", "skipped by --only/--skip"),
        evidence: Vec::new(),
        credit: 0.0,
    };
    for (_, r) in all
        .iter()
        .filter(|(_, r)| !crate::judge::depends_on_others(r))
    {
        let v = if selected(r, only, skip) {
            crate::judge::judge(r, obs)
        } else {
            skipped(r)
        };
        verdicts.insert(r.id.to_string(), v);
    }
    let by_id: std::collections::HashMap<&str, &crate::checklist::Requirement> =
        all.iter().map(|(_, r)| (r.id.as_str(), *r)).collect();
    for (_, r) in all
        .iter()
        .filter(|(_, r)| crate::judge::depends_on_others(r))
    {
        let v = if selected(r, only, skip) {
            let others = |id: &str| match verdicts.get(id) {
                // Left out by --only: judged for this one. Left out by --skip: stays skipped
                // (and is not counted by this one).
                Some(v) if v.status == Status::Skipped => by_id.get(id).map(|q| {
                    if selected(q, &[], skip) {
                        crate::judge::judge(q, obs)
                    } else {
                        v.clone()
                    }
                }),
                Some(v) => Some(v.clone()),
                None => None,
            };
            crate::judge::judge_with(r, obs, &others)
        } else {
            skipped(r)
        };
        verdicts.insert(r.id.to_string(), v);
    }
    let mut out = Vec::new();
    for (c, r) in all {
        let verdict = verdicts.remove(r.id.as_str()).unwrap_or_else(|| skipped(r));
        let j = Judged {
            checklist: c.edition.clone(),
            title: r.title.clone(),
            basis: r.basis.clone(),
            provenance: r.provenance,
            category: r.category,
            weight: r.weight,
            mandatory: r.mandatory,
            method: r.method.clone(),
            verdict,
        };
        on_verdict(&j);
        out.push(j);
    }
    out
}

/// Builds the evaluation from judged requirements.
pub fn evaluate(
    scenario_portal: PortalInfo,
    checklists: &[Checklist],
    requirements: Vec<Judged>,
    observations: Observations,
    fail_on: FailOn,
) -> Evaluation {
    let verdict = evaluation::conformance(&requirements, fail_on);
    let (rankable, not_rankable_reason) = Evaluation::rankability(&requirements, verdict);
    Evaluation {
        tool_version: env!("CARGO_PKG_VERSION").to_string(),
        generated_at: crate::now_rfc3339(),
        portal: scenario_portal,
        checklists: checklists.iter().map(ChecklistInfo::from).collect(),
        verdict,
        score: evaluation::score(&requirements),
        rankable,
        not_rankable_reason,
        fail_on,
        requirements,
        observations,
        overrides: Vec::new(),
        coverage: crate::checklist::coverage::coverage(checklists),
    }
}

/// Portal facts for reports.
pub fn portal_info(s: &Scenario) -> PortalInfo {
    PortalInfo {
        name: s.name.clone(),
        organisation: s.organisation.clone(),
        organisation_kind: format!("{:?}", s.organisation_kind).to_lowercase(),
        vendor: s.vendor.clone(),
        base_url: s.base_url.to_string(),
        public_host: s.public_host.clone(),
    }
}

/// Loads the checklists and applies the scenario's and the command line's overrides. Checks
/// that no id is in two checklists and that every `same-as` reference can be judged.
pub fn prepare_checklists(
    specs: &[String],
    scenario: Option<&Scenario>,
    set: &[String],
) -> Result<(Vec<Checklist>, Vec<Override>), Error> {
    let mut checklists = specs
        .iter()
        .map(|s| Checklist::resolve(s))
        .collect::<Result<Vec<_>, _>>()?;
    let mut owner: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    for c in &checklists {
        for r in &c.requirements {
            if let Some(other) = owner.insert(r.id.to_string(), c.edition.clone()) {
                return Err(Error::Usage(format!(
                    "`{}` is in both `{other}` and `{}`: assess with one edition of a text at a time",
                    r.id, c.edition
                )));
            }
        }
    }
    for c in &checklists {
        for r in &c.requirements {
            for check in &r.checks {
                if let crate::checklist::Check::SameAs { requirements } = check
                    && let Some(id) = requirements.iter().find(|id| !owner.contains_key(*id))
                {
                    let home = shipped_ids()
                        .get(id)
                        .map_or_else(String::new, |e| format!(": add `--checklist {e}`"));
                    return Err(Error::Usage(format!(
                        "`{}` ({}) refers to `{id}`, which is not in the selected checklists{home}",
                        r.id, c.edition
                    )));
                }
            }
        }
    }
    let mut applied = Vec::new();
    if let Some(s) = scenario {
        let mut problems = Vec::new();
        let shipped = shipped_ids();
        // An override of a requirement this run does not select is kept for the runs that do.
        let selected = |id: &str| owner.contains_key(id);
        for o in s
            .overrides
            .iter()
            .filter(|o| selected(&o.id) || !shipped.contains_key(&o.id))
        {
            match crate::checklist::overrides::apply(
                &mut checklists,
                &o.id,
                &o.key,
                o.value.clone(),
                &format!("{}:{}", s.source.display(), o.line),
            ) {
                Ok(r) => applied.push(r),
                Err(m) => problems.push(Problem {
                    file: s.source.clone(),
                    line: Some(o.line),
                    column: None,
                    key: Some(format!("overrides.{}.{}", o.id, o.key)),
                    message: m,
                }),
            }
        }
        if !problems.is_empty() {
            return Err(Error::Invalid {
                what: "scenario",
                file: s.source.clone(),
                problems,
            });
        }
    }
    for spec in set {
        let (id, key, value) =
            crate::checklist::overrides::parse_set(spec).map_err(Error::Usage)?;
        let r = crate::checklist::overrides::apply(&mut checklists, &id, &key, value, "--set")
            .map_err(|m| Error::Usage(format!("`--set {spec}`: {m}")))?;
        applied.push(r);
    }
    Ok((checklists, applied))
}

/// Runs one assessment end to end.
pub async fn run(opts: AssessOptions) -> Result<Outcome, Error> {
    // Shipped editions are checked before the portal starts, so a typo costs nothing.
    for spec in &opts.checklists {
        Checklist::resolve(spec)?;
    }
    let defects = crate::demo::Defects::parse(&opts.defects)?;
    let theme = crate::demo::Theme::parse(&opts.theme)?;
    let (scenario, demo) = if opts.demo {
        let portal = crate::demo::start_themed(0, 0, defects, theme).await?;
        let scenario = portal.scenario()?;
        (scenario, Some(portal))
    } else {
        let path = opts
            .scenario
            .as_ref()
            .ok_or_else(|| Error::Usage("`--scenario FILE` or `--demo` is required".into()))?;
        (Scenario::load(path)?, None)
    };
    let ids: Vec<String> = if !opts.checklists.is_empty() {
        opts.checklists.clone()
    } else if !scenario.checklists.is_empty() {
        scenario.checklists.clone()
    } else {
        crate::checklist::DEFAULT
            .iter()
            .map(|s| (*s).to_string())
            .collect()
    };
    let (checklists, overrides) = prepare_checklists(&ids, Some(&scenario), &opts.set)?;
    check_filters(&opts.only, "--only", &checklists)?;
    check_filters(&opts.skip, "--skip", &checklists)?;
    check_evidence_ids(&scenario, &checklists)?;
    let date = crate::now_rfc3339()
        .get(..10)
        .unwrap_or("today")
        .to_string();
    let out = opts
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("out").join(format!("{}-{date}", scenario.slug())));
    prepare_out(&out)?;

    let journal = Journal::create(&out)?;
    journal.write(&serde_json::json!({"event": "start", "at": crate::now_rfc3339(), "portal": scenario.base_url.as_str(),
        "checklists": ids, "defects": opts.defects, "theme": theme.name()}));
    let quiet = opts.quiet;
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
    let mut obs = crate::probe::observe(&scenario, &on_page).await?;
    let (files, attestations) = crate::probe::evidence::collect(&scenario, &out)?;
    obs.evidence = files;
    obs.attestations = attestations;
    if let Some(d) = demo {
        d.shutdown();
    }
    let requirements = judge_all(&checklists, &obs, &opts.only, &opts.skip, |j| {
        journal.write(
            &serde_json::json!({"event": "verdict", "id": j.verdict.id, "status": j.verdict.status,
            "message": j.verdict.message.get(opts.lang)}),
        );
    });
    let mut evaluation = evaluate(
        portal_info(&scenario),
        &checklists,
        requirements,
        obs,
        opts.fail_on,
    );
    evaluation.overrides = overrides;
    journal.write(&serde_json::json!({"event": "end", "verdict": evaluation.verdict, "score": evaluation.score}));
    crate::report::write_all(&evaluation, &out, &opts.formats, opts.lang)?;
    print_summary(&evaluation, &scenario.name, &out, opts.lang, opts.quiet);
    let exit_code = evaluation.verdict.exit_code();
    Ok(Outcome {
        evaluation,
        out,
        exit_code,
    })
}

/// `kiemdinh check`: validates every checklist and scenario under the paths (strictly, then
/// against the JSON Schemas). Returns how many files were valid.
pub fn check(paths: &[PathBuf]) -> Result<usize, Error> {
    let defaults = [PathBuf::from("checklists"), PathBuf::from("scenarios")];
    let paths = if paths.is_empty() {
        &defaults[..]
    } else {
        paths
    };
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut entries: Vec<PathBuf> = fs_err::read_dir(p)?
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
        let source = Source::read(f)?;
        let is_scenario = source.text.lines().any(|l| l.trim() == "[portal]");
        let which = if is_scenario {
            crate::schema::Which::Scenario
        } else {
            crate::schema::Which::Checklist
        };
        let result = if is_scenario {
            // A scenario's overrides and evidence ids are checked against its checklists.
            Scenario::from_source(&source).and_then(|s| {
                let ids: Vec<String> = if s.checklists.is_empty() {
                    crate::checklist::DEFAULT
                        .iter()
                        .map(|c| (*c).to_string())
                        .collect()
                } else {
                    s.checklists.clone()
                };
                let (checklists, _) = prepare_checklists(&ids, Some(&s), &[])?;
                check_evidence_ids(&s, &checklists)
            })
        } else {
            Checklist::from_source(&source).map(|_| ())
        };
        match result {
            Ok(()) => {
                let problems = crate::schema::validate_toml(which, &source);
                if !problems.is_empty() {
                    errors.push(Error::Invalid {
                        what: if is_scenario { "scenario" } else { "checklist" },
                        file: f.clone(),
                        problems,
                    });
                }
            }
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        return Ok(files.len());
    }
    let n = errors.len();
    for e in errors.iter().skip(1) {
        crate::cli::print_error(e);
    }
    let first = errors.into_iter().next().expect("non-empty");
    if n > 1 {
        crate::cli::print_error(&first);
        return Err(Error::Usage(format!("{n} files are invalid")));
    }
    Err(first)
}

/// Prints the summary line, then (unless quiet) each failed or errored requirement.
fn print_summary(evaluation: &Evaluation, name: &str, out: &Path, lang: Lang, quiet: bool) {
    let counts = evaluation.counts();
    let count = |s: Status| counts.get(&s).copied().unwrap_or(0);
    println!(
        "{name}: {} — score {:.1}/100 — {} pass, {} fail, {} error, {} delegated, {} pending, {} attested\nreport: {}",
        evaluation.verdict.as_str(),
        evaluation.score,
        count(Status::Pass),
        count(Status::Fail),
        count(Status::Error),
        count(Status::Delegated),
        count(Status::Pending),
        count(Status::Attested),
        out.join("report.html").display()
    );
    if quiet {
        return;
    }
    for r in evaluation
        .requirements
        .iter()
        .filter(|r| matches!(r.verdict.status, Status::Fail | Status::Error))
    {
        println!(
            "  {} {} {}: {}",
            r.verdict.status.as_str(),
            r.verdict.id,
            if r.mandatory {
                "(mandatory)"
            } else {
                "(optional)"
            },
            r.verdict.message.get(lang)
        );
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
    /// Formats.
    pub formats: Vec<Format>,
    /// Report language.
    pub lang: Lang,
    /// Failure policy.
    pub fail_on: FailOn,
    /// Print only the summary line.
    pub quiet: bool,
}

/// `kiemdinh rejudge`: judges the observations stored in an `evaluation.json` again — against
/// another checklist edition or new thresholds — without touching the portal.
pub fn rejudge(opts: &RejudgeOptions) -> Result<Outcome, Error> {
    let source = Source::read(&opts.evaluation)?;
    let doc: crate::report::json::EvaluationJson =
        serde_json::from_str(&source.text).map_err(|e| Error::Invalid {
            what: "evaluation",
            file: opts.evaluation.clone(),
            problems: vec![Problem {
                file: opts.evaluation.clone(),
                line: Some(e.line()),
                column: Some(e.column()),
                key: None,
                message: format!("not a kiemdinh evaluation.json: {e}"),
            }],
        })?;
    let ids: Vec<String> = if opts.checklists.is_empty() {
        doc.checklists.iter().map(|c| c.edition.clone()).collect()
    } else {
        opts.checklists.clone()
    };
    let (mut checklists, _) = prepare_checklists(&ids, None, &[])?;
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
    for spec in &opts.set {
        let (id, key, value) =
            crate::checklist::overrides::parse_set(spec).map_err(Error::Usage)?;
        let r = crate::checklist::overrides::apply(&mut checklists, &id, &key, value, "--set")
            .map_err(|m| Error::Usage(format!("`--set {spec}`: {m}")))?;
        overrides.push(r);
    }
    let here = opts
        .evaluation
        .parent()
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    let out = opts.out.clone().unwrap_or_else(|| here.join("rejudged"));
    prepare_out(&out)?;
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
    let requirements = judge_all(&checklists, &doc.observations, &[], &[], |_| {});
    let mut evaluation = evaluate(
        doc.portal.clone(),
        &checklists,
        requirements,
        doc.observations,
        opts.fail_on,
    );
    evaluation.overrides = overrides;
    crate::report::write_all(&evaluation, &out, &opts.formats, opts.lang)?;
    let name = format!("{} (rejudged)", evaluation.portal.name);
    print_summary(&evaluation, &name, &out, opts.lang, opts.quiet);
    let exit_code = evaluation.verdict.exit_code();
    Ok(Outcome {
        evaluation,
        out,
        exit_code,
    })
}

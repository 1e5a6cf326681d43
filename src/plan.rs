//! Planning, before anything touches the network: which checklists apply (with the scenario's
//! and the command line's overrides), which requirements `--only`/`--skip` select, whether the
//! scenario's evidence ids exist, and whether the output directory is writable. Every problem
//! here is the user's input (exit 2).

use std::path::Path;

use crate::checklist::check::FileKind;
use crate::checklist::overrides::Override;
use crate::checklist::{Category, Check, Checklist, SHIPPED_EDITION_BY_ID};
use crate::error::{Error, Problem};
use crate::input::did_you_mean;
use crate::scenario::Scenario;

/// The portal to work on: the reference portal started on loopback (kept running while the
/// returned guard lives) or the scenario file.
pub async fn scenario_or_demo(
    demo: bool,
    scenario: Option<&Path>,
    defects: crate::demo::Defects,
    theme: crate::demo::Theme,
) -> Result<(Scenario, Option<crate::demo::RunningPortal>), Error> {
    if demo {
        let portal = crate::demo::start_themed(0, 0, defects, theme).await?;
        Ok((portal.scenario()?, Some(portal)))
    } else {
        let path = scenario
            .ok_or_else(|| Error::Usage("`--scenario FILE` or `--demo` is required".into()))?;
        Ok((Scenario::load(path)?, None))
    }
}

/// The checklist specs of a run: `--checklist` when given, else the scenario's `[portal]
/// checklists`, else the defaults.
pub fn checklist_specs(cli: &[String], scenario: Option<&Scenario>) -> Vec<String> {
    if !cli.is_empty() {
        return cli.to_vec();
    }
    match scenario {
        Some(s) if !s.checklists.is_empty() => s.checklists.clone(),
        _ => crate::checklist::DEFAULT
            .iter()
            .map(|s| (*s).to_string())
            .collect(),
    }
}

/// Checks `--only`/`--skip` entries against the checklists' ids and categories.
pub fn validate_filters(
    filters: &[String],
    flag: &str,
    checklists: &[Checklist],
) -> Result<(), Error> {
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

/// Checks that every evidence and attestation id of the scenario is a requirement of the
/// selected checklists or of another shipped checklist (a run may select fewer).
pub fn validate_evidence_ids(scenario: &Scenario, checklists: &[Checklist]) -> Result<(), Error> {
    let known = |id: &str| {
        SHIPPED_EDITION_BY_ID.contains_key(id) || checklists.iter().any(|c| c.get(id).is_some())
    };
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
    scenario_problems(scenario, problems)
}

/// Checks that every evidence file is of a kind its requirement accepts (by content: an image
/// named `.pdf` is an image). Evidence for a requirement of no selected checklist is not
/// checked here (its checklist's run checks it).
pub fn validate_evidence_files(scenario: &Scenario, checklists: &[Checklist]) -> Result<(), Error> {
    let mut problems = Vec::new();
    for (id, path) in &scenario.evidence {
        let Some(req) = checklists.iter().find_map(|c| c.get(id)) else {
            continue;
        };
        let accept: Vec<FileKind> = req
            .checks
            .iter()
            .filter_map(|c| match c {
                Check::Evidence { accept, .. } => Some(accept.clone()),
                _ => None,
            })
            .flatten()
            .collect();
        if accept.is_empty() {
            continue;
        }
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().to_string())
            .unwrap_or_default();
        let kind = std::fs::read(path)
            .ok()
            .and_then(|b| crate::probe::evidence::sniff(&b, &name));
        if kind.is_some_and(|k| accept.contains(&k)) {
            continue;
        }
        let wanted: Vec<&str> = accept.iter().map(|k| k.as_str()).collect();
        problems.push(Problem {
            file: scenario.source.clone(),
            line: None,
            column: None,
            key: Some(format!("evidence.{id}")),
            message: match kind {
                Some(k) => format!(
                    "`{}` holds {}, but `{id}` accepts {} (the `accept` list of its evidence check)",
                    path.display(),
                    k.describe(),
                    wanted.join(", ")
                ),
                None => format!(
                    "`{}` is empty or of an unrecognised kind; `{id}` accepts {}",
                    path.display(),
                    wanted.join(", ")
                ),
            },
        });
    }
    scenario_problems(scenario, problems)
}

/// Creates the output directory and proves it writable, before any probe runs.
pub fn prepare_out(out: &Path) -> Result<(), Error> {
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

/// Refuses an output directory that holds another portal's finished run (an
/// `evaluation.json` of another portal name or public host, or one that cannot be read),
/// unless `force`: its reports would be overwritten by this portal's. A finished run of the
/// same portal is replaced, as running the same command twice does.
pub fn check_out_owner(out: &Path, scenario: &Scenario, force: bool) -> Result<(), Error> {
    let file = out.join("evaluation.json");
    if force || !file.is_file() {
        return Ok(());
    }
    let found = std::fs::read_to_string(&file)
        .ok()
        .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
        .and_then(|v| {
            let p = &v["portal"];
            Some((
                p["name"].as_str()?.to_string(),
                p["public_host"].as_str()?.to_string(),
            ))
        });
    let refuse = |whose: String| {
        Err(Error::Usage(format!(
            "`--out {}` holds {whose}: choose another directory, or add `--force` to replace it",
            out.display()
        )))
    };
    match found {
        Some((name, host)) if name == scenario.name && host == scenario.public_host => Ok(()),
        Some((name, host)) => refuse(format!(
            "the finished run of another portal ({name}, {host})"
        )),
        None => refuse(format!(
            "an `evaluation.json` kiemdinh cannot read ({})",
            file.display()
        )),
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
                    let home = SHIPPED_EDITION_BY_ID
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
        // An override of a requirement this run does not select is kept for the runs that do.
        let selected = |id: &str| owner.contains_key(id);
        for o in s
            .overrides
            .iter()
            .filter(|o| selected(&o.id) || !SHIPPED_EDITION_BY_ID.contains_key(&o.id))
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
        scenario_problems(s, problems)?;
    }
    applied.extend(crate::checklist::overrides::apply_all(
        &mut checklists,
        set,
    )?);
    Ok((checklists, applied))
}

/// `Ok` when no problem was found, else every problem as one invalid-scenario error.
fn scenario_problems(scenario: &Scenario, problems: Vec<Problem>) -> Result<(), Error> {
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

/// Reads `--baseline` before anything runs; `--fail-on regression` without one is a usage
/// error (there would be nothing to compare with).
///
/// # Errors
/// A missing or unreadable file, or one that is not an `evaluation.json` (file, line, column).
pub fn read_baseline(
    report: &crate::assess::ReportOptions,
) -> Result<Option<crate::evaluation::baseline::Baseline>, Error> {
    let Some(path) = &report.baseline else {
        if report.fail_on == crate::evaluation::FailOn::Regression {
            return Err(Error::Usage(
                "--fail-on regression needs --baseline EVALUATION.json (the run to compare with)"
                    .into(),
            ));
        }
        return Ok(None);
    };
    crate::input::Source::read(path)?
        .parse_json("baseline", "--baseline: not a kiemdinh evaluation.json")
        .map(Some)
}

//! Campaigns: `kiemdinh assess --scenario DIR` assesses every `*.toml` scenario of a folder
//! (sorted by file name; subfolders such as evidence folders are not scenarios) in turn.
//!
//! - Every scenario is validated first ([`plan_campaign`]): one invalid file and nothing runs.
//! - Each portal is assessed by a child process of the same binary (`assess --scenario FILE
//!   --out OUT/<stem>/ --exit-with-parent` and the per-portal options), strictly one after the
//!   other, so browser and load work never overlap and a crash of one portal never stops the
//!   others. Its output goes to `OUT/<stem>/assess.log`.
//! - The child's stdin is a pipe from the campaign: when it closes (the campaign ended in any
//!   way, even `SIGKILL`), the child stops the way Ctrl-C stops it ([`parent_gone`]), so no
//!   browser or driver is left behind. Ctrl-C on the campaign closes the pipe too.
//! - `OUT/campaign.json` ([`manifest`]) makes a campaign resumable: a portal `done` with the
//!   same scenario content and options is not assessed again.
//! - `OUT/index.html` ([`index`]) links every portal's reports; the exit code is the worst of
//!   the portals' (3 incomplete or failed to run > 1 non-conformant > 0).

pub mod index;
pub mod manifest;
mod run;

use std::path::{Path, PathBuf};

use std::fmt::Write as _;

use clap::ValueEnum as _;

use crate::assess::AssessOptions;
use crate::checklist::Checklist;
use crate::error::Error;
use crate::evaluation::FailOn;
use crate::input::Source;
use crate::plan;
use crate::report::Format;
use crate::scenario::Scenario;

pub use run::run;

/// One portal of a validated campaign.
#[derive(Debug, Clone)]
pub struct Portal {
    /// The scenario file.
    pub file: PathBuf,
    /// Its file stem (the portal's folder in the output directory).
    pub stem: String,
    /// The digest of its content ([`manifest::digest`]).
    pub digest: String,
    /// The validated scenario.
    pub scenario: Scenario,
}

/// A validated campaign: the portals in order and where their reports go.
#[derive(Debug, Clone)]
pub struct Campaign {
    /// The scenario folder.
    pub folder: PathBuf,
    /// The output directory.
    pub out: PathBuf,
    /// The portals, sorted by scenario file name.
    pub portals: Vec<Portal>,
    /// The per-portal options of `assess` ([`portal_args`]).
    pub options: Vec<String>,
    /// Language of the index page.
    pub lang: crate::text::Lang,
    /// Print only the final summary.
    pub quiet: bool,
}

/// The `*.toml` files directly in a folder, sorted by file name.
pub fn scenario_files(folder: &Path) -> Result<Vec<PathBuf>, Error> {
    let mut files: Vec<PathBuf> = fs_err::read_dir(folder)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Ok(files)
}

/// Validates every scenario of the folder against the options, before anything runs: every
/// invalid file is reported in one error (exit 2), and an empty folder is an error too.
pub fn plan_campaign(folder: &Path, opts: &AssessOptions) -> Result<Campaign, Error> {
    for spec in &opts.checklists {
        Checklist::resolve(spec)?;
    }
    crate::evaluation::validate_policy_ids(&opts.report.without_ranking_policies)
        .map_err(Error::Usage)?;
    if opts.report.baseline.is_some() || opts.report.fail_on == FailOn::Regression {
        return Err(Error::Usage(
            "--baseline and --fail-on regression compare one portal with its earlier run:              give them with a scenario file, not a folder"
                .into(),
        ));
    }
    if let Some(runs) = opts.browser.runs
        && !(1..=20).contains(&runs)
    {
        return Err(Error::Usage(format!("--runs {runs}: between 1 and 20")));
    }
    if opts.resume {
        return Err(Error::Usage(
            "--resume continues one portal's run; a campaign resumes by itself: run the same command again without it"
                .into(),
        ));
    }
    let files = scenario_files(folder)?;
    if files.is_empty() {
        return Err(Error::Usage(format!(
            "no scenario in `{}`: a campaign assesses every `*.toml` file of the folder \
             (subfolders are not searched)",
            folder.display()
        )));
    }
    let mut portals = Vec::new();
    let mut errors = Vec::new();
    for file in &files {
        match validate(file, opts) {
            Ok(p) => portals.push(p),
            Err(e) => errors.push(describe(&e)),
        }
    }
    if !errors.is_empty() {
        return Err(Error::Usage(format!(
            "{} of the {} scenarios in `{}` are invalid; nothing was run:\n{}",
            errors.len(),
            files.len(),
            folder.display(),
            errors.join("\n")
        )));
    }
    let out = opts.out.clone().unwrap_or_else(|| {
        let name = folder
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().to_string()))
            .unwrap_or_else(|| "campaign".into());
        // No date in it: a campaign interrupted today resumes tomorrow with the same command.
        PathBuf::from("out").join(format!("campaign-{name}"))
    });
    Ok(Campaign {
        folder: folder.to_path_buf(),
        out,
        portals,
        options: portal_args(opts),
        lang: opts.report.lang,
        quiet: opts.report.quiet,
    })
}

/// An error with its causes on one line each, as `error:` lines print them.
fn describe(e: &Error) -> String {
    let mut text = format!("error: {e}");
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        let _ = write!(text, "\n  caused by: {s}");
        source = s.source();
    }
    text
}

/// The checks `assess` makes before it touches the network, for one scenario.
fn validate(file: &Path, opts: &AssessOptions) -> Result<Portal, Error> {
    let source = Source::read(file)?;
    let scenario = Scenario::from_source(&source)?;
    let problems = crate::schema::validate_toml(crate::schema::Which::Scenario, &source);
    if !problems.is_empty() {
        return Err(Error::Invalid {
            what: "scenario",
            file: file.to_path_buf(),
            problems,
        });
    }
    let ids = plan::checklist_specs(&opts.checklists, Some(&scenario));
    let (checklists, _) = plan::prepare_checklists(&ids, Some(&scenario), &opts.set)?;
    plan::validate_filters(&opts.only, "--only", &checklists)?;
    plan::validate_filters(&opts.skip, "--skip", &checklists)?;
    plan::validate_evidence_ids(&scenario, &checklists)?;
    plan::validate_evidence_files(&scenario, &checklists)?;
    if let Some(load) = scenario.load.as_ref().filter(|_| !opts.no_load) {
        crate::probe::load::authorised(&scenario, load, &crate::clock::today()).map_err(|m| {
            Error::Usage(format!(
                "{}: {m} (or run the campaign with --no-load)",
                file.display()
            ))
        })?;
    }
    Ok(Portal {
        file: file.to_path_buf(),
        stem: file
            .file_stem()
            .map(|s| s.to_string_lossy().to_string())
            .unwrap_or_default(),
        digest: manifest::digest(source.text.as_bytes()),
        scenario,
    })
}

/// The options of `assess` the user gave that apply to each portal, as arguments of the
/// child's command line (the scenario, the output directory and `--quiet` excepted: each
/// portal's log keeps everything). `evaluation.json` is always written: the campaign reads
/// each portal's verdict from it, and `kiemdinh rank` ranks the campaign from them.
pub fn portal_args(opts: &AssessOptions) -> Vec<String> {
    let mut args = Vec::new();
    let mut push = |flag: &str, value: &str| {
        args.push(flag.to_string());
        args.push(value.to_string());
    };
    for c in &opts.checklists {
        push("--checklist", c);
    }
    for o in &opts.only {
        push("--only", o);
    }
    for s in &opts.skip {
        push("--skip", s);
    }
    for s in &opts.set {
        push("--set", s);
    }
    let mut formats = opts.report.formats.clone();
    if !formats.contains(&Format::Json) {
        formats.push(Format::Json);
    }
    let formats: Vec<String> = formats
        .iter()
        .filter_map(|f| f.to_possible_value().map(|v| v.get_name().to_string()))
        .collect();
    push("--format", &formats.join(","));
    if let Some(lang) = opts.report.lang.to_possible_value() {
        push("--lang", lang.get_name());
    }
    if let Some(fail_on) = opts.report.fail_on.to_possible_value() {
        push("--fail-on", fail_on.get_name());
    }
    for p in &opts.report.without_ranking_policies {
        push("--without-ranking-policy", p);
    }
    if let Some(w) = &opts.browser.webdriver {
        push("--webdriver", w.as_str());
    }
    if let Some(p) = opts.browser.profile {
        push("--profile", p.as_str());
    }
    if let Some(r) = opts.browser.runs {
        push("--runs", &r.to_string());
    }
    if opts.report.require_complete {
        args.push("--require-complete".into());
    }
    if opts.browser.disabled {
        args.push("--no-browser".into());
    }
    if opts.no_load {
        args.push("--no-load".into());
    }
    args
}

/// Completes when this process's stdin reaches its end or fails: the campaign that started
/// it (holding the other end of the pipe) is gone. Read on a plain thread, not the runtime's
/// blocking pool, so a pending read never holds up the runtime's shutdown.
pub async fn parent_gone() {
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    std::thread::spawn(move || {
        use std::io::Read as _;
        let mut stdin = std::io::stdin().lock();
        let mut buf = [0u8; 512];
        loop {
            match stdin.read(&mut buf) {
                Ok(0) => break,
                Ok(_) => {}
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(_) => break,
            }
        }
        let _ = tx.send(());
    });
    let _ = rx.await;
}

#[cfg(test)]
mod tests;

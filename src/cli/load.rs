//! `kiemdinh load` arguments.

use std::path::PathBuf;

use clap::Subcommand;

use kiemdinh::error::Error;
use kiemdinh::exit::ExitCode;
use kiemdinh::loadtest::{LoadOptions, LoadOutcome};
use kiemdinh::text::Lang;

/// `kiemdinh load` options.
#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct LoadArgs {
    /// Merge segments instead of running load.
    #[command(subcommand)]
    pub action: Option<LoadAction>,
    /// Scenario file with a `[load]` section.
    #[arg(long, conflicts_with = "demo")]
    pub scenario: Option<PathBuf>,
    /// Load the built-in reference portal on loopback (its scenario's `[load]`).
    #[arg(long)]
    pub demo: bool,
    /// Faults to switch on in the reference portal (e.g. `overload=6`).
    #[arg(long, value_delimiter = ',', requires = "demo", value_name = "NAME,…")]
    pub defects: Vec<String>,
    /// Checklist edition id or file whose thresholds apply (default: the scenario's).
    #[arg(long = "checklist")]
    pub checklists: Vec<String>,
    /// Output directory (default `out/<portal>-load-<date>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Run segment I of N of the load (I from 0, as Kubernetes' `JOB_COMPLETION_INDEX`): this
    /// process runs its share of the users and writes raw histograms; `load merge` judges.
    #[arg(long, value_name = "I/N")]
    pub segment: Option<String>,
    /// Step the users up (`[load.capacity]`) until a threshold or the error budget breaks.
    #[arg(long)]
    pub find_capacity: bool,
    /// Also write every measured latency (µs, one per line) to `samples-I-of-N.txt`.
    #[arg(long)]
    pub samples: bool,
    /// Language of the messages.
    #[arg(long, value_enum, default_value = "vi")]
    pub lang: Lang,
    /// Print only the verdict lines.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `kiemdinh load` actions.
#[derive(Debug, Subcommand)]
pub enum LoadAction {
    /// Merge the segments written by `load --segment` (files or folders), then judge.
    Merge {
        /// Folders (or segment files).
        #[arg(required = true)]
        dirs: Vec<PathBuf>,
        /// Output directory (default: the first folder).
        #[arg(long)]
        out: Option<PathBuf>,
        /// Checklist edition id or file whose thresholds apply.
        #[arg(long = "checklist")]
        checklists: Vec<String>,
        /// Language of the messages.
        #[arg(long, value_enum, default_value = "vi")]
        lang: Lang,
        /// Print only the verdict lines.
        #[arg(long, short)]
        quiet: bool,
    },
}

/// Runs `kiemdinh load`.
pub fn run(a: LoadArgs) -> Result<ExitCode, Error> {
    let outcome = match a.action {
        Some(LoadAction::Merge {
            dirs,
            out,
            checklists,
            lang,
            quiet,
        }) => kiemdinh::loadtest::merge(&dirs, out, &checklists, lang, quiet)?,
        None => {
            let segment = a
                .segment
                .as_deref()
                .map(kiemdinh::loadtest::parse_segment)
                .transpose()?;
            if a.scenario.is_none() && !a.demo {
                return Err(Error::Usage(
                    "`--scenario FILE` or `--demo` is required".into(),
                ));
            }
            super::runtime()?.block_on(kiemdinh::loadtest::run(LoadOptions {
                scenario: a.scenario,
                demo: a.demo,
                defects: a.defects,
                checklists: a.checklists,
                out: a.out,
                segment,
                find_capacity: a.find_capacity,
                samples: a.samples,
                lang: a.lang,
                quiet: a.quiet,
            }))?
        }
    };
    Ok(report(&outcome))
}

fn report(o: &LoadOutcome) -> ExitCode {
    eprintln!("kiemdinh: load files in {}", o.out.display());
    o.exit
}

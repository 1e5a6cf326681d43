//! The command line (part of the binary, not the library): the contract in `DESIGN.md` of
//! the project's shared documents — a verb, then options — parsed with clap, dispatched to the
//! library, and everything a person reads printed here. Exit codes come from
//! [`kiemdinh::ExitCode`].

use std::path::PathBuf;

use clap::{Parser, Subcommand};

mod history;
mod load;
mod monitor;
mod rank;
mod tls_scan;

use kiemdinh::assess::{AssessOptions, ReportOptions};
use kiemdinh::checklist::Checklist;
use kiemdinh::error::Error;
use kiemdinh::evaluation::FailOn;
use kiemdinh::exit::ExitCode;
use kiemdinh::report::Format;
use kiemdinh::text::Lang;

/// Conformance and load-testing harness for Vietnamese public-service portals (TT 21/2023).
#[derive(Debug, Parser)]
#[command(name = "kiemdinh", version, about, long_about = None)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Assess a portal (or the built-in reference portal with --demo) and write the reports.
    Assess(Box<AssessArgs>),
    /// Judge the observations of an `evaluation.json` again (another checklist edition, new
    /// thresholds) without touching the portal.
    Rejudge(RejudgeArgs),
    /// Run the built-in reference portal.
    Demo {
        /// Demo action.
        #[command(subcommand)]
        action: DemoAction,
    },
    /// Validate checklists and scenarios (files or folders); run nothing.
    Check {
        /// Files or folders (default: `checklists` and `scenarios`).
        paths: Vec<PathBuf>,
    },
    /// Inspect the shipped checklists.
    Checklist {
        /// Checklist action.
        #[command(subcommand)]
        action: ChecklistAction,
    },
    /// Load-test the portal (Phụ lục V): the scenario's `[load]` alone, a capacity search, or
    /// one segment of a multi-machine run; `load merge` merges segments and judges.
    Load(Box<load::LoadArgs>),
    /// Rank a year's evaluations (Điều 11): per organisation kind, tiers, vendors, change
    /// against `--previous`, the excluded with their reason, the methodology.
    Rank(Box<rank::RankArgs>),
    /// Every past evaluation of a portal recorded in the store (`assess --db`), with the
    /// score trend; without `--portal`, every portal with its latest evaluation.
    History(history::HistoryArgs),
    /// Watch portals' availability (24/7 requirements) into a database, or summarise it.
    Monitor(Box<monitor::MonitorArgs>),
    /// Print the JSON Schema of an input or output format.
    Schema {
        /// Which schema.
        #[arg(value_enum)]
        which: kiemdinh::schema::Which,
    },
    /// Scan one endpoint's TLS (protocol versions, suites, certificate) as SEC-1 does.
    #[command(hide = true)]
    TlsScan(tls_scan::TlsScanArgs),
}

/// `kiemdinh assess` options.
#[derive(Debug, clap::Args)]
#[command(after_long_help = kiemdinh::demo::help())]
pub struct AssessArgs {
    /// Scenario file describing the portal, or a folder of scenarios: a campaign assessing
    /// every `*.toml` of it in turn (reports in `--out/<scenario>/`, `campaign.json`,
    /// `index.html`; re-running it resumes).
    #[arg(long, required_unless_present = "demo", conflicts_with = "demo")]
    pub scenario: Option<PathBuf>,
    /// Start the built-in reference portal on loopback and assess it.
    #[arg(long)]
    pub demo: bool,
    /// Faults to switch on in the reference portal (comma-separated; listed below).
    #[arg(
        long,
        value_delimiter = ',',
        conflicts_with = "scenario",
        value_name = "NAME,…"
    )]
    pub defects: Vec<String>,
    /// Markup theme of the reference portal (listed below).
    #[arg(
        long,
        conflicts_with = "scenario",
        default_value = "semantic",
        value_name = "NAME"
    )]
    pub theme: String,
    /// Checklist edition id or file (repeatable; default: the scenario's `checklists`, else
    /// `tt21-2023` and `qd31-2021-dvcqg`).
    #[arg(long = "checklist")]
    pub checklists: Vec<String>,
    /// Output directory (default `out/<portal>-<date>/`). One holding another portal's
    /// finished run (its `evaluation.json`) is refused unless `--force`.
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Continue the interrupted run in `--out DIR` from its `journal.jsonl`: what it observed
    /// is not fetched again (HTTP pages, script files, the TLS handshake), the rest is
    /// observed, then everything is judged. Refused for a journal of another scenario,
    /// checklist set or kiemdinh version.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Write into an `--out` directory that holds another portal's finished run.
    #[arg(long)]
    pub force: bool,
    /// Only these requirement ids or categories (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub only: Vec<String>,
    /// Skip these requirement ids or categories (repeatable, comma-separated).
    #[arg(long, value_delimiter = ',')]
    pub skip: Vec<String>,
    /// Reports and exit code.
    #[command(flatten)]
    pub report: ReportArgs,
    /// Override a threshold for this run, e.g. `--set PL4-2.max-ms=3000` (repeatable;
    /// recorded in every report).
    #[arg(long = "set", value_name = "ID.KEY=VALUE")]
    pub set: Vec<String>,
    /// Browser probe.
    #[command(flatten)]
    pub browser: BrowserArgs,
    /// Do not run the scenario's `[load]`: the load requirements (Phụ lục V) stay pending.
    #[arg(long)]
    pub no_load: bool,
    /// Record the evaluation in this store (created when missing) for `history` and `rank
    /// --db`, under the scenario file stem (`demo`); a failure to record is a warning.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// Run the consent-gated active security checks (SEC-3 session renewal, SEC-4 idle
    /// timeout, SEC-5 lockout) with the `[security.active]` test account; needs
    /// `[security.authorization]` unless the portal is on loopback.
    #[arg(long)]
    pub active_security: bool,
    /// Stop as Ctrl-C does when stdin closes (a campaign's child whose campaign is gone).
    #[arg(long, hide = true)]
    pub exit_with_parent: bool,
}

/// Browser probe options of `assess`.
#[derive(Debug, clap::Args)]
pub struct BrowserArgs {
    /// Run the HTTP probe alone: requirements that need a browser are `skipped` with the
    /// reason (the evaluation is then provisional).
    #[arg(long, conflicts_with_all = ["webdriver", "profile", "runs"])]
    pub no_browser: bool,
    /// Drive a remote WebDriver / Selenium Grid (e.g. `http://grid:4444/wd/hub`) instead of
    /// starting the local `chromedriver`.
    #[arg(long, value_name = "URL")]
    pub webdriver: Option<url::Url>,
    /// Throttling of the timed page loads (default: the scenario's `[browser] profile`, else
    /// `mobile`): `mobile` = Lighthouse's mobile profile as DevTools applies it, `desktop`,
    /// `none`.
    #[arg(long, value_parser = ["mobile", "desktop", "none"])]
    pub profile: Option<String>,
    /// Cold loads per timed page, 1–20 (default: the scenario's `[browser] runs`, else 3).
    #[arg(long, value_name = "N")]
    pub runs: Option<u32>,
}

impl BrowserArgs {
    fn options(self) -> kiemdinh::assess::BrowserOptions {
        use kiemdinh::observation::ThrottlingProfile;
        kiemdinh::assess::BrowserOptions {
            disabled: self.no_browser,
            webdriver: self.webdriver,
            profile: self.profile.as_deref().map(|p| match p {
                "desktop" => ThrottlingProfile::Desktop,
                "none" => ThrottlingProfile::None,
                _ => ThrottlingProfile::Mobile,
            }),
            runs: self.runs,
        }
    }
}

/// Report options shared by `assess` and `rejudge`.
#[derive(Debug, clap::Args)]
pub struct ReportArgs {
    /// Report formats to write. `pdf` (report.html printed by headless Chromium) is never a
    /// default: add it (`--format html,json,junit,md,pdf`); without Chromium it is an error
    /// before the portal is touched.
    #[arg(long, value_delimiter = ',', default_value = "html,json,junit,md")]
    pub format: Vec<Format>,
    /// Report language.
    #[arg(long, value_enum, default_value = "vi")]
    pub lang: Lang,
    /// Which failures make the exit code 1.
    #[arg(long, value_enum, default_value = "mandatory")]
    pub fail_on: FailOn,
    /// Exit 3 (incomplete) also when the evaluation is provisional: some mandatory
    /// requirement is still pending (evidence, browser or load checks not yet done).
    #[arg(long)]
    pub require_complete: bool,
    /// Switch off a ranking policy for this evaluation (e.g. `emc-connected`, which keeps a
    /// portal failing PL6-1 out of the ranking); stated in every report.
    #[arg(
        long = "without-ranking-policy",
        value_name = "ID",
        value_delimiter = ','
    )]
    pub without_ranking_policies: Vec<String>,
    /// Print only the final summary line.
    #[arg(long, short)]
    pub quiet: bool,
    /// An earlier `evaluation.json` of the portal: the reports list what regressed and what
    /// was fixed since, and `--fail-on regression` gates on the regressions alone.
    #[arg(long, value_name = "EVALUATION.json")]
    pub baseline: Option<PathBuf>,
}

impl ReportArgs {
    fn options(self) -> ReportOptions {
        ReportOptions {
            formats: self.format,
            lang: self.lang,
            fail_on: self.fail_on,
            require_complete: self.require_complete,
            without_ranking_policies: self.without_ranking_policies,
            quiet: self.quiet,
            baseline: self.baseline,
        }
    }
}

/// `kiemdinh rejudge` options.
#[derive(Debug, clap::Args)]
pub struct RejudgeArgs {
    /// The `evaluation.json` to judge again.
    pub evaluation: PathBuf,
    /// Checklist edition id or file (repeatable; default: the editions the evaluation used).
    #[arg(long = "checklist")]
    pub checklists: Vec<String>,
    /// Override a threshold, e.g. `--set PL4-2.max-ms=3000` (repeatable).
    #[arg(long = "set", value_name = "ID.KEY=VALUE")]
    pub set: Vec<String>,
    /// Output directory (default: `rejudged/` beside the evaluation).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// The year's `ranking.json` (`kiemdinh rank`): the portal's rank and tier go on the
    /// cover of `report.html`/`report.pdf`.
    #[arg(long, value_name = "RANKING.json")]
    pub ranking: Option<PathBuf>,
    /// Reports and exit code.
    #[command(flatten)]
    pub report: ReportArgs,
}

/// `kiemdinh demo` actions.
#[derive(Debug, Subcommand)]
pub enum DemoAction {
    /// Serve the reference portal until interrupted.
    #[command(after_long_help = kiemdinh::demo::help())]
    Serve {
        /// HTTPS port (0 = any free port).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// Plain-HTTP port that redirects to HTTPS (0 = any free port).
        #[arg(long, default_value_t = 0)]
        http_port: u16,
        /// Faults to switch on (comma-separated; listed below).
        #[arg(long, value_delimiter = ',', value_name = "NAME,…")]
        defects: Vec<String>,
        /// Markup theme (listed below).
        #[arg(long, default_value = "semantic", value_name = "NAME")]
        theme: String,
    },
}

/// `kiemdinh checklist` actions.
#[derive(Debug, Subcommand)]
pub enum ChecklistAction {
    /// List the shipped checklists.
    List,
    /// Show one checklist's requirements.
    Show {
        /// Edition id or file.
        id: String,
        /// Print every key of every check in full (lists, synonyms, figures), not the summary.
        #[arg(long)]
        full: bool,
    },
    /// How each checklist's requirements are judged: over HTTP, by a browser, load or
    /// monitoring probe, by evidence, by attestation (per category).
    Coverage {
        /// Edition ids or files (default: every shipped checklist).
        ids: Vec<String>,
        /// Print JSON instead of a table.
        #[arg(long)]
        json: bool,
    },
}

/// Prints an error the house way: `error: …` then one `caused by: …` per source.
pub fn print_error(e: &Error) {
    // Messages may quote URLs with tokens or a portal's answer: redacted like every output.
    eprintln!("error: {}", kiemdinh::redact::text(&e.to_string()));
    let mut source = std::error::Error::source(e);
    while let Some(s) = source {
        eprintln!("  caused by: {}", kiemdinh::redact::text(&s.to_string()));
        source = s.source();
    }
}

/// Runs a parsed command line and returns the process exit code.
pub fn run(cli: Cli) -> ExitCode {
    let result = match cli.command {
        Command::Assess(a) => runtime().and_then(|rt| {
            let a = *a;
            let report = a.report.options();
            let exit_with_parent = a.exit_with_parent;
            let (db, portal) = history::check_store(a.db, a.scenario.as_deref())?;
            let opts = AssessOptions {
                scenario: a.scenario,
                demo: a.demo,
                defects: a.defects,
                theme: a.theme,
                checklists: a.checklists,
                out: a.out,
                resume: a.resume,
                force: a.force,
                only: a.only,
                skip: a.skip,
                set: a.set,
                browser: a.browser.options(),
                no_load: a.no_load,
                active_security: a.active_security,
                report: report.clone(),
            };
            if let Some(folder) = opts.scenario.as_deref().filter(|p| p.is_dir()) {
                return kiemdinh::campaign::plan_campaign(folder, &opts)
                    .and_then(|c| rt.block_on(kiemdinh::campaign::run(&history::with_db(c, db))));
            }
            rt.block_on(kiemdinh::assess::run_until(opts, async move {
                if exit_with_parent {
                    kiemdinh::campaign::parent_gone().await;
                } else {
                    std::future::pending::<()>().await;
                }
            }))
            .inspect(|o| history::record(db.as_deref(), &portal, o, report.lang))
            .map(|o| summarise(&o, &o.evaluation.portal.name, &report))
        }),
        Command::Rejudge(a) => {
            let report = a.report.options();
            kiemdinh::assess::rejudge(&kiemdinh::assess::RejudgeOptions {
                evaluation: a.evaluation,
                checklists: a.checklists,
                set: a.set,
                out: a.out,
                ranking: a.ranking,
                report: report.clone(),
            })
            .map(|o| {
                summarise(
                    &o,
                    &format!("{} (rejudged)", o.evaluation.portal.name),
                    &report,
                )
            })
        }
        Command::Demo {
            action:
                DemoAction::Serve {
                    port,
                    http_port,
                    defects,
                    theme,
                },
        } => runtime().and_then(|rt| {
            rt.block_on(kiemdinh::demo::serve_forever(
                port, http_port, &defects, &theme,
            ))
            .map(|()| ExitCode::Success)
        }),
        Command::Load(a) => load::run(*a),
        Command::Rank(a) => rank::run(*a),
        Command::History(a) => history::run(&a),
        Command::TlsScan(a) => tls_scan::run(&a),
        Command::Monitor(a) => monitor::run(*a),
        Command::Check { paths } => match kiemdinh::assess::validate_files(&paths) {
            Ok(n) => {
                println!("ok: {n} files valid");
                Ok(ExitCode::Success)
            }
            Err(errors) => {
                for e in &errors {
                    print_error(e);
                }
                if errors.len() > 1 {
                    eprintln!("error: {} files are invalid", errors.len());
                }
                Ok(ExitCode::Usage)
            }
        },
        Command::Checklist { action } => checklist(action).map(|()| ExitCode::Success),
        Command::Schema { which } => {
            println!("{}", kiemdinh::schema::render(which));
            Ok(ExitCode::Success)
        }
    };
    result.unwrap_or_else(|e| {
        print_error(&e);
        ExitCode::for_error(&e)
    })
}

/// Prints the console summary of an assessment or rejudgement and returns its exit code.
fn summarise(o: &kiemdinh::assess::Outcome, name: &str, report: &ReportOptions) -> ExitCode {
    println!(
        "{}",
        kiemdinh::report::console::render(
            &o.evaluation,
            name,
            &o.out,
            &report.formats,
            report.lang,
            report.quiet
        )
    );
    o.exit
}

pub(crate) fn runtime() -> Result<tokio::runtime::Runtime, Error> {
    Ok(tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?)
}

fn checklist(action: ChecklistAction) -> Result<(), Error> {
    match action {
        ChecklistAction::List => {
            for (id, _) in kiemdinh::checklist::SHIPPED {
                let c = Checklist::resolve(id)?;
                println!(
                    "{id}\t{} requirements\t{}",
                    c.requirements.len(),
                    c.title.vi
                );
            }
        }
        ChecklistAction::Coverage { ids, json } => {
            let ids: Vec<String> = if ids.is_empty() {
                kiemdinh::checklist::SHIPPED
                    .iter()
                    .map(|(id, _)| (*id).to_string())
                    .collect()
            } else {
                ids
            };
            let checklists = ids
                .iter()
                .map(|i| Checklist::resolve(i))
                .collect::<Result<Vec<_>, _>>()?;
            let rows = kiemdinh::checklist::coverage::coverage(&checklists);
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows).expect("rows serialise")
                );
            } else {
                print!("{}", kiemdinh::checklist::coverage::render(&rows));
                println!(
                    "\nautomated = judged by kiemdinh itself today (browser checks need Chromium; `--no-browser`\nmakes them `skipped`; load checks run when the scenario has `[load]`, else `pending`);\nmonitoring checks are `pending` until their probe runs or evidence is supplied."
                );
            }
        }
        ChecklistAction::Show { id, full } => {
            let c = Checklist::resolve(&id)?;
            println!("{} — {}\n{}", c.edition, c.title.vi, c.basis);
            if let Some(parent) = &c.extends {
                println!("extends {parent}");
            }
            println!();
            for r in &c.requirements {
                println!(
                    "{:<9} {:<11} {:<12} w{:<3} {:<9} {}",
                    r.id.as_str(),
                    r.category.as_str(),
                    format!(
                        "{}{}",
                        r.provenance.as_str(),
                        if r.provenance.is_uncertain() {
                            "†"
                        } else {
                            ""
                        }
                    ),
                    r.weight,
                    if r.mandatory { "mandatory" } else { "optional" },
                    r.title.vi
                );
                for check in &r.checks {
                    let line = if full {
                        check.describe()
                    } else {
                        describe_check(check)
                    };
                    println!("          └ {line}");
                }
                for t in r.thresholds() {
                    println!(
                        "            threshold {} = {} ({}{})",
                        t.key,
                        number(&t.value),
                        t.provenance.as_str(),
                        if t.provenance.is_uncertain() {
                            "†"
                        } else {
                            ""
                        }
                    );
                }
            }
            println!(
                "\n† inferred or placeholder: wording or threshold rebuilt by kiemdinh (override with --set ID.KEY=VALUE)"
            );
        }
    }
    Ok(())
}

/// One check as `kind key=value …`, leaving out long lists and texts.
fn describe_check(check: &kiemdinh::checklist::Check) -> String {
    let Ok(serde_json::Value::Object(obj)) = serde_json::to_value(check) else {
        return check.kind().to_string();
    };
    let mut parts = vec![check.kind().to_string()];
    for (k, v) in obj.iter().filter(|(k, _)| *k != "kind") {
        let shown = match v {
            serde_json::Value::Null => continue,
            serde_json::Value::Array(a) if a.iter().all(serde_json::Value::is_string) => {
                let items: Vec<&str> = a.iter().filter_map(|x| x.as_str()).collect();
                format!("[{}]", items.join(", "))
            }
            serde_json::Value::Array(a) => format!("[{} items]", a.len()),
            serde_json::Value::Object(o) => match o.get("vi").and_then(|v| v.as_str()) {
                Some(vi) if vi.chars().count() > 70 => {
                    format!("“{}…”", vi.chars().take(70).collect::<String>())
                }
                Some(vi) => format!("“{vi}”"),
                None => "{…}".to_string(),
            },
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(_) => number(v),
            other @ serde_json::Value::Bool(_) => other.to_string(),
        };
        parts.push(format!("{k}={shown}"));
    }
    parts.join(" ")
}

/// A number as people read it: `2500`, not `2500.0`.
fn number(v: &serde_json::Value) -> String {
    v.as_f64()
        .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
        .map_or_else(|| v.to_string(), |f| format!("{f:.0}"))
}

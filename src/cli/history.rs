//! `kiemdinh history` (every past evaluation of a portal, with the score trend) and the
//! recording of an assessment in the store (`assess --db`).

use std::path::{Path, PathBuf};

use kiemdinh::error::Error;
use kiemdinh::exit::ExitCode;
use kiemdinh::store::evaluations::open_existing;
use kiemdinh::store::history;

/// Output format of `kiemdinh history`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum HistoryFormat {
    /// Aligned columns and a sparkline.
    Text,
    /// Machine-readable.
    Json,
    /// A Markdown table (for a CI summary or a ticket).
    Md,
}

/// `kiemdinh history` options.
#[derive(Debug, clap::Args)]
pub struct HistoryArgs {
    /// The portal: its id (the scenario file stem, `demo` for the reference portal) or its
    /// published host. Without it, every portal with its latest evaluation.
    #[arg(long, value_name = "ID")]
    pub portal: Option<String>,
    /// The store the evaluations were recorded in (`assess --db`, `rank ... --db`).
    #[arg(long, value_name = "FILE")]
    pub db: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value = "text")]
    pub format: HistoryFormat,
}

fn usage(e: impl std::fmt::Display) -> Error {
    Error::Usage(e.to_string())
}

/// Runs `kiemdinh history`: a missing store or an unknown portal is exit 2.
pub fn run(a: &HistoryArgs) -> Result<ExitCode, Error> {
    let store = open_existing(&a.db).map_err(usage)?;
    let Some(given) = a.portal.as_deref() else {
        let portals = store.portals().map_err(usage)?;
        let out = match a.format {
            HistoryFormat::Json => json(&serde_json::json!({ "portals": portals })),
            _ if portals.is_empty() => format!(
                "no evaluation recorded in `{}` (record them with `kiemdinh assess --db`)\n",
                a.db.display()
            ),
            HistoryFormat::Text => history::portals_text(&portals),
            HistoryFormat::Md => history::portals_markdown(&portals),
        };
        print!("{out}");
        return Ok(ExitCode::Success);
    };
    let Some(portal) = store.resolve_portal(given).map_err(usage)? else {
        let known: Vec<String> = store
            .portals()
            .map_err(usage)?
            .into_iter()
            .map(|p| p.latest.portal)
            .collect();
        return Err(Error::Usage(unknown_portal(given, &a.db, &known)));
    };
    let rows = store.history(&portal).map_err(usage)?;
    let h = history::portal_history(&portal, &rows);
    let out = match a.format {
        HistoryFormat::Text => history::text(&h),
        HistoryFormat::Md => history::markdown(&h),
        HistoryFormat::Json => json(&h),
    };
    print!("{out}");
    Ok(ExitCode::Success)
}

fn json(v: &impl serde::Serialize) -> String {
    serde_json::to_string_pretty(v).expect("the history serialises") + "\n"
}

/// The message for a portal the store does not know: the closest id, and every id.
fn unknown_portal(given: &str, db: &Path, known: &[String]) -> String {
    if known.is_empty() {
        return format!(
            "no evaluation of portal `{given}` in `{}`: it holds none yet (record them with \
             `kiemdinh assess --db`)",
            db.display()
        );
    }
    let hint = kiemdinh::input::did_you_mean(given, known.iter().map(String::as_str))
        .map(|m| format!(" (did you mean `{m}`?)"))
        .unwrap_or_default();
    format!(
        "no evaluation of portal `{given}` in `{}`{hint}; known portals: {}",
        db.display(),
        known.join(", ")
    )
}

/// The portal id an assessment is recorded under: the scenario file stem, `demo` for the
/// reference portal.
pub fn portal_id(scenario: Option<&Path>) -> String {
    scenario
        .and_then(Path::file_stem)
        .map_or_else(|| "demo".to_string(), |s| s.to_string_lossy().into_owned())
}

/// Checks before an assessment that its store can be opened (created when missing): a bad
/// `--db` is exit 2 before the portal is touched. Returns the store and the portal id.
pub fn check_store(
    db: Option<PathBuf>,
    scenario: Option<&Path>,
) -> Result<(Option<PathBuf>, String), Error> {
    // Without `--db`, a scenario's `[availability] db` (the monitor's store) is where its
    // evaluations go too, under the monitor's portal id. A scenario that does not load is
    // left to `assess`, which reports it.
    let from_scenario = db
        .is_none()
        .then(|| scenario.and_then(|p| kiemdinh::scenario::Scenario::load(p).ok()))
        .flatten()
        .and_then(|s| s.availability.map(|a| (a.db, a.portal)))
        // A store that does not exist yet is not created here: `assess` says it is missing.
        .filter(|(db, _)| db.exists());
    if let Some((db, portal)) = from_scenario {
        kiemdinh::store::Store::open(&db).map_err(usage)?;
        return Ok((Some(db), portal));
    }
    if let Some(db) = &db {
        kiemdinh::store::Store::open(db).map_err(usage)?;
    }
    Ok((db, portal_id(scenario)))
}

/// A campaign with `--db`: every portal's `assess` records in the store.
pub fn with_db(
    mut c: kiemdinh::campaign::Campaign,
    db: Option<PathBuf>,
) -> kiemdinh::campaign::Campaign {
    if let Some(db) = db {
        c.options
            .extend(["--db".to_string(), db.display().to_string()]);
    }
    c
}

/// Records a finished assessment in the store. The reports are written first, so a failure
/// here loses nothing: it is reported on stderr with the way to record the evaluation later,
/// and the exit code stays the verdict's.
pub fn record(
    db: Option<&Path>,
    portal: &str,
    o: &kiemdinh::assess::Outcome,
    lang: kiemdinh::text::Lang,
) {
    let Some(db) = db else { return };
    if let Err(e) =
        kiemdinh::store::evaluations::record_written(db, portal, &o.evaluation, &o.out, lang)
    {
        eprintln!(
            "warning: the evaluation was not recorded in the store: {}\n  \
             (its reports are in `{}`; record it later with `kiemdinh rank {} --db {}`)",
            kiemdinh::redact::text(&e.to_string()),
            o.out.display(),
            o.out.join("evaluation.json").display(),
            db.display()
        );
    }
}

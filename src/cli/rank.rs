//! `kiemdinh rank` arguments and console output.

use std::path::PathBuf;

use kiemdinh::error::Error;
use kiemdinh::exit::ExitCode;
use kiemdinh::rank::{RankOptions, RankOutcome};
use kiemdinh::text::Lang;

/// `kiemdinh rank` options.
#[derive(Debug, clap::Args)]
pub struct RankArgs {
    /// `evaluation.json` files, or folders searched for them (recursively).
    /// With `--db`: recorded in the store (the ranking is of the files); without files,
    /// `--db` ranks the store.
    #[arg(required_unless_present = "db", value_name = "EVALUATION.json|DIR")]
    pub paths: Vec<PathBuf>,
    /// The evaluation history (`assess --db`): without files, rank the latest evaluation of
    /// each portal in the year from it (and, without `--previous`, compare with the previous
    /// year ranked from it); with files, record them in it.
    #[arg(long, value_name = "FILE")]
    pub db: Option<PathBuf>,
    /// The year to rank (default: the year of the latest evaluation); evaluations of other
    /// years are listed as excluded.
    #[arg(long, value_name = "YYYY", value_parser = clap::value_parser!(i32).range(1900..=9999))]
    pub year: Option<i32>,
    /// An earlier year's `ranking.json`: each portal's change in score and rank.
    #[arg(long, value_name = "RANKING.json")]
    pub previous: Option<PathBuf>,
    /// Output directory (default `out/ranking-<year>/`).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Rank evaluations of other checklist editions together (the methodology says so).
    #[arg(long)]
    pub allow_mixed: bool,
    /// Rank partial evaluations too (mandatory requirements left out, e.g. `assess
    /// --no-browser`): each is marked with its count of skipped items and the methodology says
    /// so. Without it they are listed as not rankable.
    #[arg(long)]
    pub allow_partial: bool,
    /// Do not print `ranking.pdf` (printed by default when Chromium is installed).
    #[arg(long)]
    pub no_pdf: bool,
    /// Tiers file replacing the shipped placeholder tiers (`ranking/tiers.toml`).
    #[arg(long, value_name = "FILE")]
    pub tiers: Option<PathBuf>,
    /// Language of the texts.
    #[arg(long, value_enum, default_value = "vi")]
    pub lang: Lang,
}

/// Runs `kiemdinh rank` and prints one line per table and the files written.
pub fn run(a: RankArgs) -> Result<ExitCode, Error> {
    let outcome = kiemdinh::rank::run(&RankOptions {
        paths: a.paths,
        year: a.year,
        previous: a.previous,
        out: a.out,
        allow_mixed: a.allow_mixed,
        allow_partial: a.allow_partial,
        pdf: !a.no_pdf,
        tiers: a.tiers,
        lang: a.lang,
        db: a.db,
    })?;
    print!("{}", summary(&outcome));
    Ok(ExitCode::Success)
}

/// The console summary: per kind, ranked and excluded; the vendors; the files.
fn summary(o: &RankOutcome) -> String {
    use std::fmt::Write as _;
    let r = &o.ranking;
    let mut kinds: Vec<&str> = r
        .entries
        .iter()
        .map(|e| e.organisation_kind.as_str())
        .collect();
    kinds.sort_unstable();
    kinds.dedup();
    let mut s = format!("ranking {}:\n", r.year);
    for kind in kinds {
        let of_kind = r.entries.iter().filter(|e| e.organisation_kind == kind);
        let ranked = of_kind.clone().filter(|e| e.rank.is_some()).count();
        let excluded = of_kind.filter(|e| e.rank.is_none()).count();
        let _ = writeln!(s, "  {kind}: {ranked} ranked, {excluded} excluded");
    }
    let ranked_vendors = r.vendors.iter().filter(|v| v.rank.is_some()).count();
    let _ = writeln!(
        s,
        "  vendors: {ranked_vendors} ranked, {} without a ranked deployment",
        r.vendors.len() - ranked_vendors
    );
    if let Some(n) = o.recorded {
        let _ = writeln!(s, "recorded {n} new evaluations in the store");
    }
    for p in &o.written {
        let _ = writeln!(s, "wrote {}", p.display());
    }
    if !o.written.iter().any(|p| p.ends_with("ranking.pdf")) {
        let _ = writeln!(
            s,
            "ranking.pdf not printed (--no-pdf, or no Chromium in PATH: scripts/setup)"
        );
    }
    s
}

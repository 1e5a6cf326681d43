//! Reading the inputs of `kiemdinh rank`: `evaluation.json` files (given, or found under the
//! directories given), read with a lean struct of only what the ranking needs — the
//! observations, which make most of the file, are ignored.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::checklist::{Category, Threshold};
use crate::error::Error;
use crate::evaluation::{Conformance, RankingPolicy, Status};

/// What the ranking reads of one `evaluation.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct RankInput {
    /// The portal.
    pub portal: PortalRef,
    /// Overall verdict.
    pub verdict: Conformance,
    /// Composite score 0–100.
    pub score: f64,
    /// Whether the evaluation may be ranked.
    pub rankable: bool,
    /// Why not (the evaluation's language).
    #[serde(default)]
    pub not_rankable_reason: Option<String>,
    /// Ranking policies as the evaluation applied them.
    #[serde(default)]
    pub ranking_policies: Vec<RankingPolicy>,
    /// Mandatory requirements still pending.
    #[serde(default)]
    pub mandatory_pending: usize,
    /// The checklists applied.
    pub checklists: Vec<EditionRef>,
    /// When the evaluation was made (RFC 3339).
    pub generated_at: String,
    /// The requirements' verdicts.
    pub requirements: Vec<RequirementRef>,
    /// The file, as given on the command line (set after reading).
    #[serde(skip)]
    pub source: String,
}

/// The portal facts the ranking needs.
#[derive(Debug, Clone, Deserialize)]
pub struct PortalRef {
    /// Name.
    pub name: String,
    /// Organisation.
    #[serde(default)]
    pub organisation: String,
    /// `province` or `ministry`.
    pub organisation_kind: String,
    /// Vendor.
    #[serde(default)]
    pub vendor: Option<String>,
    /// Published host (the identity across years).
    #[serde(default)]
    pub public_host: String,
}

/// A checklist applied.
#[derive(Debug, Clone, Deserialize)]
pub struct EditionRef {
    /// Edition id.
    pub edition: String,
}

/// One requirement's verdict, as far as the ranking needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct RequirementRef {
    /// Id.
    pub id: String,
    /// Category.
    pub category: Category,
    /// Mandatory.
    pub mandatory: bool,
    /// Weight.
    pub weight: f64,
    /// Status.
    pub status: Status,
    /// Share of the weight earned.
    pub credit: f64,
    /// Thresholds applied.
    #[serde(default)]
    pub thresholds: Vec<Threshold>,
}

impl RankInput {
    /// Stable identity across years: the published host, else the name (NFC).
    pub fn id(&self) -> String {
        let host = self.portal.public_host.trim();
        if host.is_empty() {
            crate::unicode::nfc(self.portal.name.trim())
        } else {
            host.to_ascii_lowercase()
        }
    }

    /// The sorted, deduplicated checklist editions.
    pub fn editions(&self) -> Vec<String> {
        let mut e: Vec<String> = self.checklists.iter().map(|c| c.edition.clone()).collect();
        e.sort();
        e.dedup();
        e
    }

    /// Mandatory requirements failed.
    pub fn skipped_mandatory(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.mandatory && r.status == Status::Skipped)
            .count()
    }

    /// Mandatory requirements failed.
    pub fn failed_mandatory(&self) -> usize {
        self.requirements
            .iter()
            .filter(|r| r.mandatory && r.status == Status::Fail)
            .count()
    }

    /// The year of `generated_at`.
    pub fn year(&self) -> i32 {
        self.local_date().map_or(0, time::Date::year)
    }

    /// The date of `generated_at` in Vietnam (UTC+7): an evaluation made on 1 January at
    /// 05:00 in Hà Nội belongs to the new year although its UTC time is still 31 December.
    pub fn local_date(&self) -> Option<time::Date> {
        let vietnam = time::UtcOffset::from_hms(7, 0, 0).ok()?;
        time::OffsetDateTime::parse(
            &self.generated_at,
            &time::format_description::well_known::Rfc3339,
        )
        .ok()
        .map(|t| t.to_offset(vietnam).date())
    }
}

/// The `evaluation.json` files named by the arguments: files as given, directories searched
/// recursively for files named `evaluation.json` (sorted, so the order never depends on the
/// file system).
pub fn find(paths: &[PathBuf]) -> Result<Vec<PathBuf>, Error> {
    let mut out = Vec::new();
    for p in paths {
        if p.is_dir() {
            let mut found = Vec::new();
            walk(p, &mut found, 0)?;
            if found.is_empty() {
                return Err(Error::Usage(format!(
                    "no `evaluation.json` under `{}`",
                    p.display()
                )));
            }
            found.sort();
            out.extend(found);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            return Err(Error::Usage(format!(
                "`{}` does not exist (give evaluation.json files or folders holding them)",
                p.display()
            )));
        }
    }
    if out.is_empty() {
        return Err(Error::Usage(
            "no evaluation to rank: give evaluation.json files or folders".into(),
        ));
    }
    Ok(out)
}

/// Folders deeper than this are not searched (a symlink loop ends here).
const MAX_DEPTH: usize = 16;

fn walk(dir: &Path, found: &mut Vec<PathBuf>, depth: usize) -> Result<(), Error> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for entry in fs_err::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            walk(&path, found, depth + 1)?;
        } else if path.file_name().is_some_and(|n| n == "evaluation.json") {
            found.push(path);
        }
    }
    Ok(())
}

/// Reads one `evaluation.json`; a file that is not one is an error naming it (and the line
/// and column where reading stopped).
pub fn read(path: &Path) -> Result<RankInput, Error> {
    let source = crate::input::Source::read(path)?;
    parse(&source, &path.display().to_string())
}

/// Parses the text of an `evaluation.json` (read from a file, or from the store) as [`read`]
/// does; `name` is what the ranking calls it (its `source`).
pub fn parse(text: &crate::input::Source, name: &str) -> Result<RankInput, Error> {
    let path = text.path.as_path();
    let mut input: RankInput = text.parse_json(
        "evaluation",
        "not an evaluation.json written by `kiemdinh assess`",
    )?;
    if time::OffsetDateTime::parse(
        &input.generated_at,
        &time::format_description::well_known::Rfc3339,
    )
    .is_err()
    {
        return Err(Error::in_file(
            "evaluation",
            path,
            None,
            format!(
                "`generated_at` is `{}`, not an RFC 3339 time",
                input.generated_at
            ),
        ));
    }
    if !(0.0..=100.0).contains(&input.score) {
        return Err(Error::in_file(
            "evaluation",
            path,
            None,
            format!("`score` is {}, outside 0–100", input.score),
        ));
    }
    input.source = name.to_string();
    input.portal.name = crate::unicode::nfc(&input.portal.name);
    input.portal.organisation = crate::unicode::nfc(&input.portal.organisation);
    input.portal.vendor = input
        .portal
        .vendor
        .map(|v| crate::unicode::nfc(v.trim()))
        .filter(|v| !v.is_empty());
    Ok(input)
}

/// Reads every evaluation the arguments name.
pub fn read_all(paths: &[PathBuf]) -> Result<Vec<RankInput>, Error> {
    find(paths)?.iter().map(|p| read(p)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const MINIMAL: &str = r#"{
      "portal": {"name": "Cổng A", "organisation": "UBND", "organisation_kind": "province",
                 "vendor": " ", "public_host": "A.gov.vn"},
      "verdict": "conformant", "score": 90.0, "rankable": true,
      "checklists": [{"edition": "tt21-2023"}, {"edition": "qd31-2021-dvcqg"}],
      "generated_at": "2026-03-01T10:00:00Z",
      "requirements": [{"id": "X-1", "category": "layout", "mandatory": true, "weight": 1.0,
                        "status": "fail", "credit": 0.0}],
      "observations": {"huge": "ignored"}
    }"#;

    #[test]
    fn reads_only_what_ranking_needs() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("evaluation.json");
        std::fs::write(&p, MINIMAL).unwrap();
        let e = read(&p).unwrap();
        assert_eq!(e.id(), "a.gov.vn");
        assert_eq!(e.editions(), ["qd31-2021-dvcqg", "tt21-2023"]);
        assert_eq!(e.failed_mandatory(), 1);
        assert_eq!(e.year(), 2026);
        assert_eq!(e.portal.vendor, None, "a blank vendor is no vendor");
    }

    #[test]
    fn a_file_that_is_not_an_evaluation_is_named_with_its_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.json");
        std::fs::write(&p, "{\n \"portal\": 3\n}").unwrap();
        let msg = read(&p).unwrap_err().to_string();
        assert!(msg.contains("x.json:2:"), "{msg}");
        std::fs::write(&p, MINIMAL.replace("2026-03-01T10:00:00Z", "yesterday")).unwrap();
        let msg = read(&p).unwrap_err().to_string();
        assert!(msg.contains("generated_at"), "{msg}");
    }

    #[test]
    fn folders_are_searched_recursively_in_sorted_order() {
        let dir = tempfile::tempdir().unwrap();
        for sub in ["b/x", "a", "c"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
        }
        std::fs::write(dir.path().join("b/x/evaluation.json"), MINIMAL).unwrap();
        std::fs::write(dir.path().join("a/evaluation.json"), MINIMAL).unwrap();
        std::fs::write(dir.path().join("c/other.json"), MINIMAL).unwrap();
        let found = find(&[dir.path().to_path_buf()]).unwrap();
        let rel: Vec<_> = found
            .iter()
            .map(|p| p.strip_prefix(dir.path()).unwrap().display().to_string())
            .collect();
        assert_eq!(rel, ["a/evaluation.json", "b/x/evaluation.json"]);
        let empty = dir.path().join("c");
        assert!(
            find(&[empty])
                .unwrap_err()
                .to_string()
                .contains("no `evaluation.json`")
        );
        assert!(find(&[dir.path().join("missing")]).is_err());
        assert!(find(&[]).is_err());
    }
}

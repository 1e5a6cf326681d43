//! `--previous RANKING.json`: an earlier year's ranking, read with a lean struct (only what the
//! year-over-year comparison needs, so rankings of older formats still compare).

use std::path::Path;

use serde::Deserialize;

use crate::error::Error;

/// An earlier ranking, as far as the comparison needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct Previous {
    /// Its year.
    pub year: i32,
    /// Its entries.
    pub entries: Vec<PreviousEntry>,
    /// The file, as given (set after reading).
    #[serde(skip)]
    pub file: String,
}

/// One entry of an earlier ranking.
#[derive(Debug, Clone, Deserialize)]
pub struct PreviousEntry {
    /// Identity across years.
    pub id: String,
    /// Its score then.
    pub score: f64,
    /// Its rank then (`None` when excluded).
    pub rank: Option<u32>,
}

impl Previous {
    /// The entry with an id.
    pub fn get(&self, id: &str) -> Option<&PreviousEntry> {
        self.entries.iter().find(|e| e.id == id)
    }
}

/// Reads a previous ranking and checks that it is of an earlier year than `year`.
pub fn read(path: &Path, year: i32) -> Result<Previous, Error> {
    let mut p: Previous = crate::input::Source::read(path)?.parse_json(
        "previous ranking",
        "not a ranking.json written by `kiemdinh rank`",
    )?;
    if p.year >= year {
        return Err(Error::in_file(
            "previous ranking",
            path,
            None,
            format!(
                "it ranks {}; `--previous` takes an earlier year's ranking than {year}",
                p.year
            ),
        ));
    }
    p.file = path.display().to_string();
    Ok(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_earlier_year_is_read_a_same_or_later_one_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("ranking.json");
        std::fs::write(
            &p,
            r#"{"year": 2025, "entries": [{"id": "a", "score": 70.5, "rank": 2, "more": 1}]}"#,
        )
        .unwrap();
        let prev = read(&p, 2026).unwrap();
        assert_eq!(prev.get("a").unwrap().rank, Some(2));
        assert!(prev.get("b").is_none());
        let e = read(&p, 2025).unwrap_err().to_string();
        assert!(e.contains("earlier year"), "{e}");
        std::fs::write(&p, "[]").unwrap();
        assert!(
            read(&p, 2026)
                .unwrap_err()
                .to_string()
                .contains("ranking.json")
        );
    }
}

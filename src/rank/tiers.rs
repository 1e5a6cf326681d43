//! Tiers (score bands) as data: `ranking/tiers.toml` compiled in, replaced by `--tiers FILE`.
//! No legal text sets them; the shipped ones are placeholders and say so.

use std::path::Path;

use serde::Deserialize;

use super::model::Tier;
use crate::checklist::Provenance;
use crate::error::Error;
use crate::input::Source;
use crate::text::Text;

/// The shipped tiers file.
pub const DEFAULT_TIERS: &str = include_str!("../../ranking/tiers.toml");

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTiers {
    tier: Vec<RawTier>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawTier {
    id: String,
    label: Text,
    min_score: f64,
    provenance: Provenance,
}

/// Parses a tiers file: strict TOML (unknown keys are errors naming line and key), unique
/// non-empty ids, `min-score` within 0–100 and unique. Tiers come back highest first.
pub fn parse(source: &Source) -> Result<Vec<Tier>, Error> {
    let raw: RawTiers = source.parse("tiers")?;
    let invalid = |key: String, message: String| Error::Invalid {
        what: "tiers",
        file: source.path.clone(),
        problems: vec![source.problem_at(None, Some(key), message)],
    };
    if raw.tier.is_empty() {
        return Err(invalid(
            "tier".into(),
            "at least one `[[tier]]` is needed".into(),
        ));
    }
    let mut tiers: Vec<Tier> = Vec::with_capacity(raw.tier.len());
    for (i, t) in raw.tier.into_iter().enumerate() {
        if t.id.trim().is_empty() {
            return Err(invalid(format!("tier.{i}.id"), "the id is empty".into()));
        }
        if !(0.0..=100.0).contains(&t.min_score) {
            return Err(invalid(
                format!("tier.{i}.min-score"),
                format!("`{}` is outside 0–100", t.min_score),
            ));
        }
        if tiers.iter().any(|o| o.id == t.id) {
            return Err(invalid(
                format!("tier.{i}.id"),
                format!("`{}` is used twice", t.id),
            ));
        }
        if tiers
            .iter()
            .any(|o| (o.min_score - t.min_score).abs() < f64::EPSILON)
        {
            return Err(invalid(
                format!("tier.{i}.min-score"),
                format!("two tiers start at {}", t.min_score),
            ));
        }
        tiers.push(Tier {
            id: t.id,
            label: Text::new(
                crate::unicode::nfc(&t.label.vi),
                crate::unicode::nfc(&t.label.en),
            ),
            min_score: t.min_score,
            provenance: t.provenance,
        });
    }
    tiers.sort_by(|a, b| b.min_score.total_cmp(&a.min_score));
    Ok(tiers)
}

/// The tiers in force: the file given, else the shipped ones.
pub fn load(file: Option<&Path>) -> Result<Vec<Tier>, Error> {
    let source = match file {
        Some(p) => Source::read(p)?,
        None => Source {
            path: "<embedded>/ranking/tiers.toml".into(),
            text: DEFAULT_TIERS.to_string(),
        },
    };
    parse(&source)
}

/// The tier of a score: the highest whose `min_score` it reaches (`tiers` highest first).
pub fn tier_of(tiers: &[Tier], score: f64) -> Option<&Tier> {
    tiers.iter().find(|t| score >= t.min_score)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn src(text: &str) -> Source {
        Source {
            path: "t.toml".into(),
            text: text.into(),
        }
    }

    #[test]
    fn shipped_tiers_are_placeholders_highest_first() {
        let t = load(None).unwrap();
        let ids: Vec<&str> = t.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, ["xuat-sac", "tot", "kha", "trung-binh", "yeu"]);
        assert!(t.iter().all(|t| t.provenance == Provenance::Placeholder));
        assert_eq!(tier_of(&t, 90.0).unwrap().id, "xuat-sac");
        assert_eq!(tier_of(&t, 89.9).unwrap().id, "tot");
        assert_eq!(tier_of(&t, 0.0).unwrap().id, "yeu");
    }

    #[test]
    fn a_score_below_every_tier_has_none() {
        let t = parse(&src(
            "[[tier]]\nid = \"a\"\nlabel = { vi = \"A\", en = \"A\" }\nmin-score = 50\nprovenance = \"primary\"\n",
        ))
        .unwrap();
        assert!(tier_of(&t, 49.9).is_none());
    }

    #[test]
    fn errors_name_line_and_key() {
        let e = parse(&src(
            "[[tier]]\nid = \"a\"\nlabel = { vi = \"A\", en = \"A\" }\nmin-score = 50\nprovenance = \"primary\"\ncolour = \"red\"\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("t.toml:6") && e.contains("colour"), "{e}");
        let e = parse(&src(
            "[[tier]]\nid = \"a\"\nlabel = { vi = \"A\", en = \"A\" }\nmin-score = 150\nprovenance = \"primary\"\n",
        ))
        .unwrap_err()
        .to_string();
        assert!(e.contains("tier.0.min-score"), "{e}");
        let twice = "[[tier]]\nid = \"a\"\nlabel = { vi = \"A\", en = \"A\" }\nmin-score = 50\nprovenance = \"primary\"\n";
        let e = parse(&src(&format!("{twice}{}", twice.replace("50", "40"))))
            .unwrap_err()
            .to_string();
        assert!(e.contains("used twice"), "{e}");
        assert!(parse(&src("tier = []\n")).is_err());
    }
}

//! Thresholds: the numbers in a requirement's checks that decide its verdict (`max-ms`,
//! `min-services`, `min-ratio`, …), each with its provenance. No judge holds such a number in
//! code; `checklist show` and every report list them, and a threshold that no legal text gives
//! is marked `placeholder` or `inferred` through the requirement's `threshold-provenance`
//! table (default: the requirement's own provenance).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Check, Provenance, Requirement};

/// One verdict-deciding number of a check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Threshold {
    /// Check kind it belongs to (`page-metric`).
    pub check: String,
    /// Key (`max-ms`).
    pub key: String,
    /// Value in force (after overrides).
    pub value: serde_json::Value,
    /// Where the number comes from.
    pub provenance: Provenance,
}

/// The numeric keys of a check and their values, in key order: top-level keys by name
/// (`max-ms`), nested ones by path, list entries named by their `name` or `function`
/// (`items.rating.holds.0.min-items`). `kind` and non-numeric keys (lists of words, texts,
/// switches) are not thresholds.
pub fn numeric_keys(check: &Check) -> Vec<(String, serde_json::Value)> {
    let Ok(value) = serde_json::to_value(check) else {
        return Vec::new();
    };
    let mut keys = Vec::new();
    walk(&value, "", &mut keys);
    keys.sort_by(|a, b| a.0.cmp(&b.0));
    keys
}

fn walk(v: &serde_json::Value, path: &str, out: &mut Vec<(String, serde_json::Value)>) {
    let join = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match v {
        serde_json::Value::Object(obj) => {
            for (k, v) in obj.iter().filter(|(k, _)| *k != "kind") {
                if v.is_number() {
                    out.push((join(k), v.clone()));
                } else {
                    walk(v, &join(k), out);
                }
            }
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let name = ["name", "function"]
                    .iter()
                    .find_map(|k| item.get(k).and_then(|n| n.as_str()))
                    .map_or_else(|| i.to_string(), str::to_string);
                walk(item, &join(&name), out);
            }
        }
        _ => {}
    }
}

/// The last segment of a threshold path (`min-items` of `items.rating.holds.0.min-items`).
fn leaf(key: &str) -> &str {
    key.rsplit('.').next().unwrap_or(key)
}

/// The kind of a check as written in the checklist (`page-metric`).
pub fn kind_of(check: &Check) -> String {
    serde_json::to_value(check)
        .ok()
        .and_then(|v| v.get("kind").and_then(|k| k.as_str()).map(str::to_string))
        .unwrap_or_default()
}

impl Requirement {
    /// Every threshold of the requirement's checks with its provenance: the
    /// `threshold-provenance` entry for its key, else the requirement's provenance.
    pub fn thresholds(&self) -> Vec<Threshold> {
        self.checks
            .iter()
            .flat_map(|c| {
                let kind = kind_of(c);
                numeric_keys(c)
                    .into_iter()
                    .map(move |(key, value)| Threshold {
                        provenance: self
                            .threshold_provenance
                            .get(&key)
                            .or_else(|| self.threshold_provenance.get(leaf(&key)))
                            .copied()
                            .unwrap_or(self.provenance),
                        check: kind.clone(),
                        key,
                        value,
                    })
            })
            .collect()
    }
}

/// Problems with a `threshold-provenance` table: keys that are no threshold of the checks.
pub fn problems(table: &BTreeMap<String, Provenance>, checks: &[Check]) -> Vec<(String, String)> {
    let mut known: Vec<String> = checks
        .iter()
        .flat_map(|c| numeric_keys(c).into_iter().map(|(k, _)| k))
        .collect();
    // A nested threshold may be named by its path or by its last segment (all of them).
    let leaves: Vec<String> = known.iter().map(|k| leaf(k).to_string()).collect();
    known.extend(leaves);
    known.sort();
    known.dedup();
    table
        .keys()
        .filter(|k| !known.contains(k))
        .map(|k| {
            let hint = crate::input::did_you_mean(k, known.iter().map(String::as_str))
                .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
            let list = if known.is_empty() {
                "the checks have no numeric threshold".to_string()
            } else {
                format!("thresholds: {}", known.join(", "))
            };
            (
                k.clone(),
                format!("`{k}` is not a threshold of this requirement's checks{hint} ({list})"),
            )
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::checklist::Checklist;
    use crate::input::Source;

    const HEAD: &str = "edition = \"t\"\ntitle = { vi = \"a\", en = \"b\" }\nbasis = \"x\"\n";
    const REQ: &str = "[[requirement]]\nid = \"PL4-2\"\ntitle = { vi = \"a\", en = \"b\" }\nbasis = \"x\"\nprovenance = \"draft\"\ncategory = \"performance\"\nweight = 1\nmandatory = true\nmethod = [\"browser\"]\nchecks = [{ kind = \"page-metric\", metric = \"lcp\", max-ms = 2500 }]\n";

    fn load(extra: &str) -> Result<Checklist, crate::Error> {
        Checklist::from_source(&Source {
            path: "t.toml".into(),
            text: format!("{HEAD}{REQ}{extra}"),
        })
    }

    #[test]
    fn thresholds_carry_their_own_provenance() {
        let c = load("threshold-provenance = { max-ms = \"placeholder\" }\n").unwrap();
        let t = c.get("PL4-2").unwrap().thresholds();
        assert_eq!(t.len(), 1);
        assert_eq!(
            (t[0].check.as_str(), t[0].key.as_str()),
            ("page-metric", "max-ms")
        );
        assert_eq!(t[0].provenance, crate::checklist::Provenance::Placeholder);
        let plain = load("").unwrap();
        assert_eq!(
            plain.get("PL4-2").unwrap().thresholds()[0].provenance,
            crate::checklist::Provenance::Draft
        );
    }

    #[test]
    fn an_unknown_threshold_key_is_named() {
        let msg = load("threshold-provenance = { max-sm = \"placeholder\" }\n")
            .unwrap_err()
            .to_string();
        assert!(msg.contains("threshold-provenance.max-sm"), "{msg}");
        assert!(msg.contains("did you mean `max-ms`?"), "{msg}");
    }

    #[test]
    fn nested_thresholds_are_listed_by_path_and_marked_by_name() {
        let c = Checklist::resolve("tt21-2023").unwrap();
        let t = c.get("PL1-9").unwrap().thresholds();
        assert!(
            t.iter().any(|t| t.key == "items.guide.holds.0.min-items"
                && t.provenance == crate::checklist::Provenance::Placeholder),
            "{t:?}"
        );
    }

    #[test]
    fn every_shipped_threshold_is_listed_with_a_provenance() {
        for (id, _) in crate::checklist::SHIPPED {
            let c = Checklist::resolve(id).unwrap();
            for r in &c.requirements {
                for t in r.thresholds() {
                    assert!(t.value.is_number(), "{id} {} {}", r.id, t.key);
                }
            }
        }
    }
}

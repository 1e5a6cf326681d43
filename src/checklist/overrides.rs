//! Threshold overrides: `--set PL4-2.max-ms=3000` on the command line, or `[overrides."PL4-2"]`
//! in a scenario. An override changes one key of a requirement's checks (or its `weight` /
//! `mandatory`), is validated like the checklist itself, and is recorded in the evaluation so
//! every report shows what was changed, from what, and by whom.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Check, Checklist};

/// One applied override, as recorded in the evaluation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Override {
    /// Requirement id.
    pub id: String,
    /// Key changed (`max-ms`, `weight`, …).
    pub key: String,
    /// Value in the checklist.
    pub from: serde_json::Value,
    /// Value used.
    pub to: serde_json::Value,
    /// Where it came from: `--set` or `scenario <file>:<line>`.
    pub source: String,
}

/// Parses `ID.key=value` (the id may contain dots: `PL1-2.1.min-ratio=0.8`). The value is read
/// as a TOML value (`3000`, `0.8`, `true`, `["a"]`), or as a string when it is not one.
pub fn parse_set(spec: &str) -> Result<(String, String, serde_json::Value), String> {
    let (lhs, value) = spec
        .split_once('=')
        .ok_or_else(|| format!("`--set {spec}`: expected `ID.key=value`"))?;
    let (id, key) = lhs
        .trim()
        .rsplit_once('.')
        .filter(|(id, key)| !id.is_empty() && !key.is_empty())
        .ok_or_else(|| {
            format!("`--set {spec}`: expected `ID.key=value` (e.g. `PL4-2.max-ms=3000`)")
        })?;
    Ok((id.to_string(), key.to_string(), parse_value(value.trim())))
}

fn parse_value(raw: &str) -> serde_json::Value {
    toml::from_str::<toml::Table>(&format!("v = {raw}"))
        .ok()
        .and_then(|t| t.get("v").cloned())
        .and_then(|v| serde_json::to_value(v).ok())
        .unwrap_or_else(|| serde_json::Value::String(raw.to_string()))
}

/// Applies one override to whichever checklist has the id; returns the record.
pub fn apply(
    checklists: &mut [Checklist],
    id: &str,
    key: &str,
    value: serde_json::Value,
    source: &str,
) -> Result<Override, String> {
    let Some(req) = checklists
        .iter_mut()
        .flat_map(|c| c.requirements.iter_mut())
        .find(|r| r.id.as_str() == id)
    else {
        let ids: Vec<String> = checklists
            .iter()
            .flat_map(|c| c.requirements.iter().map(|r| r.id.to_string()))
            .collect();
        let hint = crate::input::did_you_mean(id, ids.iter().map(String::as_str))
            .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
        return Err(format!("unknown requirement id `{id}`{hint}"));
    };
    let record = |from: serde_json::Value, to: serde_json::Value| Override {
        id: id.to_string(),
        key: key.to_string(),
        from,
        to,
        source: source.to_string(),
    };
    match key {
        "weight" => {
            let w = value
                .as_f64()
                .filter(|w| w.is_finite() && *w > 0.0)
                .ok_or_else(|| format!("`{id}.weight` must be a positive number, got `{value}`"))?;
            let from = serde_json::json!(req.weight);
            req.weight = w;
            return Ok(record(from, value));
        }
        "mandatory" => {
            let m = value.as_bool().ok_or_else(|| {
                format!("`{id}.mandatory` must be `true` or `false`, got `{value}`")
            })?;
            let from = serde_json::json!(req.mandatory);
            req.mandatory = m;
            return Ok(record(from, value));
        }
        _ => {}
    }
    let mut keys: Vec<String> = vec!["weight".into(), "mandatory".into()];
    for check in &mut req.checks {
        let Ok(serde_json::Value::Object(mut obj)) = serde_json::to_value(&*check) else {
            continue;
        };
        keys.extend(obj.keys().filter(|k| *k != "kind").cloned());
        let Some(from) = obj.get(key).cloned() else {
            continue;
        };
        obj.insert(key.to_string(), value.clone());
        let new: Check = serde_json::from_value(serde_json::Value::Object(obj))
            .map_err(|e| format!("`{id}.{key}` = `{value}`: {e}"))?;
        let problems = new.problems();
        if !problems.is_empty() {
            return Err(format!("`{id}.{key}` = `{value}`: {}", problems.join("; ")));
        }
        *check = new;
        return Ok(record(from, value));
    }
    keys.sort();
    keys.dedup();
    let hint = crate::input::did_you_mean(key, keys.iter().map(String::as_str))
        .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
    Err(format!(
        "`{id}` has no key `{key}`{hint} (keys: {})",
        keys.join(", ")
    ))
}

/// Applies `--set ID.key=value` specs in order; a bad one is a usage error naming it.
pub fn apply_all(
    checklists: &mut [Checklist],
    specs: &[String],
) -> Result<Vec<Override>, crate::error::Error> {
    let mut applied = Vec::new();
    for spec in specs {
        let (id, key, value) = parse_set(spec).map_err(crate::error::Error::Usage)?;
        let r = apply(checklists, &id, &key, value, "--set")
            .map_err(|m| crate::error::Error::Usage(format!("`--set {spec}`: {m}")))?;
        applied.push(r);
    }
    Ok(applied)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_specs_parse_ids_with_dots_and_typed_values() {
        let (id, key, v) = parse_set("PL1-2.1.min-ratio=0.8").unwrap();
        assert_eq!((id.as_str(), key.as_str()), ("PL1-2.1", "min-ratio"));
        assert_eq!(v, serde_json::json!(0.8));
        assert_eq!(
            parse_set("PL4-2.max-ms=3000").unwrap().2,
            serde_json::json!(3000)
        );
        assert_eq!(
            parse_set("X-1.a=hello").unwrap().2,
            serde_json::json!("hello")
        );
        assert!(parse_set("PL4-2=3").is_err());
    }

    #[test]
    fn overrides_change_a_check_and_are_validated() {
        let mut c = vec![Checklist::resolve("tt21-2023").unwrap()];
        let o = apply(&mut c, "PL4-2", "max-ms", serde_json::json!(3000), "--set").unwrap();
        assert_eq!(o.from, serde_json::json!(2500.0));
        let Check::PageMetric { max_ms, .. } = &c[0].get("PL4-2").unwrap().checks[0] else {
            panic!("PL4-2 is a page metric")
        };
        assert!((max_ms - 3000.0).abs() < 1e-9);
        let err = apply(&mut c, "PL4-2", "max-ms", serde_json::json!(-1), "--set").unwrap_err();
        assert!(err.contains("must be positive"), "{err}");
        let err = apply(&mut c, "PL4-2", "max-sm", serde_json::json!(1), "--set").unwrap_err();
        assert!(err.contains("did you mean `max-ms`?"), "{err}");
        let err = apply(&mut c, "PL4-9", "max-ms", serde_json::json!(1), "--set").unwrap_err();
        assert!(err.contains("unknown requirement id"), "{err}");
    }
}

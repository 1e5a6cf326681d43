//! JSON Schemas generated from the types (`kiemdinh schema …`), and validation of TOML inputs
//! against them with the `jsonschema` crate.

use crate::error::Problem;
use crate::input::Source;

/// Which schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Which {
    /// Checklist TOML files.
    Checklist,
    /// Scenario TOML files.
    Scenario,
    /// `evaluation.json`.
    Evaluation,
    /// `ranking.json` (`kiemdinh rank`).
    Ranking,
}

/// The schema as JSON.
pub fn schema_of(which: Which) -> serde_json::Value {
    let s = match which {
        Which::Checklist => schemars::schema_for!(crate::checklist::RawChecklist),
        Which::Scenario => schemars::schema_for!(crate::scenario::RawScenario),
        Which::Evaluation => schemars::schema_for!(crate::report::json::EvaluationJson),
        Which::Ranking => schemars::schema_for!(crate::rank::Ranking),
    };
    serde_json::to_value(s).expect("schemas serialise")
}

/// The schema, pretty-printed.
pub fn render(which: Which) -> String {
    serde_json::to_string_pretty(&schema_of(which)).expect("schemas serialise")
}

/// Validates a TOML source against a schema; every violation becomes a problem keyed by its
/// path in the document.
pub fn validate_toml(which: Which, source: &Source) -> Vec<Problem> {
    let value: toml::Value = match toml::from_str(&source.text) {
        Ok(v) => v,
        Err(e) => return vec![source.problem_at(e.span(), None, e.message().to_string())],
    };
    let Ok(instance) = serde_json::to_value(value) else {
        return vec![source.problem_at(None, None, "the document cannot be represented as JSON")];
    };
    validate_json(which, &instance)
        .into_iter()
        .map(|(path, message)| source.problem_at(None, Some(path), message))
        .collect()
}

/// Validates a JSON value against a schema: (instance path as dotted key, message) per error.
pub fn validate_json(which: Which, instance: &serde_json::Value) -> Vec<(String, String)> {
    let schema = schema_of(which);
    let validator = match jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
    {
        Ok(v) => v,
        Err(e) => return vec![(String::new(), format!("schema does not compile: {e}"))],
    };
    validator
        .iter_errors(instance)
        .map(|e| {
            let path = e.instance_path().to_string();
            let key = path.trim_start_matches('/').replace('/', ".");
            (key, e.to_string())
        })
        .collect()
}

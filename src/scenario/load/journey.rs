//! `[[load.journeys]]`: weighted journeys of HTTP steps with templates (`{{name}}`: a value
//! captured by an earlier step, a `[load.data]` list cycled per iteration, or the built-ins
//! `user` and `iteration`), expected statuses, think times and captures.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use url::Url;

use crate::error::Problem;
use crate::input::Source;

/// Built-in template values.
pub const BUILTINS: &[&str] = &["user", "iteration"];
/// Most journeys and steps per journey.
const MAX_JOURNEYS: usize = 50;
const MAX_STEPS: usize = 50;

/// A journey as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawJourney {
    /// Name (reports, histograms).
    pub name: String,
    /// Relative weight among journeys of the same kind.
    #[serde(default = "one")]
    pub weight: u32,
    /// Whether it is a transactional journey (submits, looks up, pays: PL5-4).
    #[serde(default)]
    pub transactional: bool,
    /// The steps, in order.
    pub steps: Vec<RawLoadStep>,
}

fn one() -> u32 {
    1
}

/// A step as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawLoadStep {
    /// Name in reports (default: `METHOD path`).
    #[serde(default)]
    pub name: Option<String>,
    /// Path on the portal (template).
    #[serde(default)]
    pub path: Option<String>,
    /// Absolute URL on the portal's origin (template).
    #[serde(default)]
    pub url: Option<String>,
    /// HTTP method (default GET).
    #[serde(default)]
    pub method: Option<String>,
    /// Raw body (template).
    #[serde(default)]
    pub body: Option<String>,
    /// Form body: field → value (templates).
    #[serde(default)]
    pub form: Option<BTreeMap<String, String>>,
    /// JSON body (string values are templates).
    #[serde(default)]
    pub json: Option<serde_json::Value>,
    /// Extra request headers (values are templates).
    #[serde(default)]
    pub headers: BTreeMap<String, String>,
    /// Expected status (default: any 2xx or 3xx).
    #[serde(default)]
    pub expect_status: Option<u16>,
    /// Think time after this step, ms (default `[load] think-ms`).
    #[serde(default)]
    pub think_ms: Option<u64>,
    /// Values taken from the answer for later steps.
    #[serde(default)]
    pub capture: Vec<RawCapture>,
}

/// A capture as written: `name` and exactly one of `regex` (first group, or the whole match),
/// `json` (a JSON Pointer such as `/data/0/ma`) or `header`.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawCapture {
    /// Template name it sets.
    pub name: String,
    /// Regular expression over the body.
    #[serde(default)]
    pub regex: Option<String>,
    /// JSON Pointer into a JSON body.
    #[serde(default)]
    pub json: Option<String>,
    /// Response header.
    #[serde(default)]
    pub header: Option<String>,
}

/// A string with `{{name}}` placeholders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Template(Vec<Piece>);

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
enum Piece {
    Lit(String),
    Var(String),
}

impl Template {
    /// Parses `text`; an unclosed `{{` is an error.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut pieces = Vec::new();
        let mut rest = text;
        while let Some(i) = rest.find("{{") {
            if i > 0 {
                pieces.push(Piece::Lit(rest[..i].to_string()));
            }
            let after = &rest[i + 2..];
            let j = after
                .find("}}")
                .ok_or_else(|| format!("`{{{{` without `}}}}` in `{text}`"))?;
            let name = after[..j].trim();
            if name.is_empty()
                || !name
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                return Err(format!(
                    "`{{{{{name}}}}}` is not a value name (a-z, 0-9, `_`, `-`)"
                ));
            }
            pieces.push(Piece::Var(name.to_string()));
            rest = &after[j + 2..];
        }
        if !rest.is_empty() {
            pieces.push(Piece::Lit(rest.to_string()));
        }
        Ok(Self(pieces))
    }

    /// A template with no placeholder.
    pub fn literal(text: &str) -> Self {
        Self(vec![Piece::Lit(text.to_string())])
    }

    /// `prefix` followed by this template.
    #[must_use]
    pub fn with_prefix(mut self, prefix: &str) -> Self {
        match self.0.first_mut() {
            Some(Piece::Lit(s)) => s.insert_str(0, prefix),
            _ => self.0.insert(0, Piece::Lit(prefix.to_string())),
        }
        self
    }

    /// The names it uses.
    pub fn vars(&self) -> impl Iterator<Item = &str> {
        self.0.iter().filter_map(|p| match p {
            Piece::Var(v) => Some(v.as_str()),
            Piece::Lit(_) => None,
        })
    }

    /// The text before the first placeholder.
    pub fn prefix(&self) -> &str {
        match self.0.first() {
            Some(Piece::Lit(s)) => s,
            _ => "",
        }
    }

    /// Fills the placeholders (`encode` applies to each value, e.g. URL encoding); a missing
    /// value leaves the name's placeholder out and is reported.
    pub fn render(
        &self,
        value: impl Fn(&str) -> Option<String>,
        encode: impl Fn(&str) -> String,
    ) -> Result<String, String> {
        let mut out = String::new();
        for p in &self.0 {
            match p {
                Piece::Lit(s) => out.push_str(s),
                Piece::Var(v) => {
                    let val = value(v).ok_or_else(|| format!("no value for `{{{{{v}}}}}`"))?;
                    out.push_str(&encode(&val));
                }
            }
        }
        Ok(out)
    }
}

/// Where a capture reads.
#[derive(Debug, Clone, Serialize)]
pub enum CaptureFrom {
    /// A regular expression over the body (first group, or the whole match).
    #[serde(serialize_with = "regex_str")]
    Regex(regex::Regex),
    /// A JSON Pointer.
    Json(String),
    /// A response header.
    Header(String),
}

fn regex_str<S: serde::Serializer>(r: &regex::Regex, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(r.as_str())
}

/// A capture.
#[derive(Debug, Clone, Serialize)]
pub struct Capture {
    /// Name set.
    pub name: String,
    /// Where it reads.
    pub from: CaptureFrom,
}

/// A request body.
#[derive(Debug, Clone, Serialize)]
pub enum Body {
    /// None.
    None,
    /// Raw text.
    Raw(Template),
    /// URL-encoded form.
    Form(Vec<(String, Template)>),
    /// JSON text with templates inside string values.
    Json(Template),
}

/// A validated step.
#[derive(Debug, Clone, Serialize)]
pub struct LoadStep {
    /// Name, unique within its journey.
    pub name: String,
    /// Method, upper case.
    pub method: String,
    /// Absolute URL template.
    pub url: Template,
    /// Body.
    pub body: Body,
    /// Extra headers.
    pub headers: Vec<(String, Template)>,
    /// Expected status (`None`: any 2xx/3xx).
    pub expect_status: Option<u16>,
    /// Think time after it, ms (`None`: the profile's).
    pub think_ms: Option<u64>,
    /// Captures.
    pub captures: Vec<Capture>,
}

/// A validated journey.
#[derive(Debug, Clone, Serialize)]
pub struct Journey {
    /// Name.
    pub name: String,
    /// Weight.
    pub weight: u32,
    /// Transactional (PL5-4).
    pub transactional: bool,
    /// Steps.
    pub steps: Vec<LoadStep>,
}

const METHODS: &[&str] = &["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"];

/// Validates the journeys.
pub(super) fn validate(
    raw: &[RawJourney],
    data: &BTreeMap<String, Vec<String>>,
    base: Option<&Url>,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> Vec<Journey> {
    let mut bad = |key: String, msg: String| problems.push(source.problem_at(None, Some(key), msg));
    if raw.len() > MAX_JOURNEYS {
        bad(
            "load.journeys".into(),
            format!("at most {MAX_JOURNEYS} journeys"),
        );
    }
    let origin = base.map(|b| b.origin().ascii_serialization());
    let mut journeys = Vec::new();
    let mut names = Vec::new();
    for (i, j) in raw.iter().enumerate() {
        let key = |k: &str| format!("load.journeys[{i}].{k}");
        if j.name.trim().is_empty() {
            bad(key("name"), "give the journey a name".into());
        } else if names.contains(&j.name) {
            bad(key("name"), format!("`{}` names two journeys", j.name));
        }
        names.push(j.name.clone());
        if j.weight == 0 || j.weight > 1000 {
            bad(key("weight"), "value out of range (1–1000)".into());
        }
        if j.steps.is_empty() || j.steps.len() > MAX_STEPS {
            bad(
                key("steps"),
                format!("a journey has 1 to {MAX_STEPS} steps"),
            );
        }
        let mut known: Vec<String> = BUILTINS.iter().map(|s| (*s).to_string()).collect();
        known.extend(data.keys().cloned());
        let mut steps = Vec::new();
        for (n, s) in j.steps.iter().enumerate() {
            let key = |k: &str| format!("load.journeys[{i}].steps[{n}].{k}");
            let mut templates: Vec<Template> = Vec::new();
            let mut parse =
                |k: &str, text: &str, bad: &mut dyn FnMut(String, String)| match Template::parse(
                    text,
                ) {
                    Ok(t) => {
                        templates.push(t.clone());
                        Some(t)
                    }
                    Err(e) => {
                        bad(key(k), e);
                        None
                    }
                };
            let url = match (&s.path, &s.url) {
                (Some(p), None) if p.starts_with('/') || p.starts_with("{{") => {
                    parse("path", p, &mut bad)
                }
                (Some(_), None) => {
                    bad(
                        key("path"),
                        "a path starts with `/` (or a captured `{{value}}`)".into(),
                    );
                    None
                }
                (None, Some(u)) => {
                    let t = parse("url", u, &mut bad);
                    if let (Some(t), Some(o)) = (&t, &origin)
                        && !(t.prefix().starts_with(&format!("{o}/")) || t.prefix() == o)
                    {
                        bad(
                            key("url"),
                            format!(
                                "`{u}` is not on the portal ({o}): load goes only to the authorised target"
                            ),
                        );
                    }
                    t
                }
                _ => {
                    bad(key("path"), "give `path` or `url` (one of them)".into());
                    None
                }
            };
            let method = s.method.as_deref().unwrap_or("GET").to_ascii_uppercase();
            if !METHODS.contains(&method.as_str()) {
                bad(
                    key("method"),
                    format!("`{method}` is not one of {}", METHODS.join(", ")),
                );
            }
            let bodies = [s.body.is_some(), s.form.is_some(), s.json.is_some()];
            if bodies.iter().filter(|b| **b).count() > 1 {
                bad(
                    key("body"),
                    "give at most one of `body`, `form`, `json`".into(),
                );
            }
            let body = if let Some(b) = &s.body {
                parse("body", b, &mut bad).map_or(Body::None, Body::Raw)
            } else if let Some(f) = &s.form {
                Body::Form(
                    f.iter()
                        .filter_map(|(k, v)| parse("form", v, &mut bad).map(|t| (k.clone(), t)))
                        .collect(),
                )
            } else if let Some(js) = &s.json {
                parse("json", &js.to_string(), &mut bad).map_or(Body::None, Body::Json)
            } else {
                Body::None
            };
            let headers = s
                .headers
                .iter()
                .filter_map(|(k, v)| parse("headers", v, &mut bad).map(|t| (k.clone(), t)))
                .collect();
            if let Some(st) = s.expect_status
                && !(100..=599).contains(&st)
            {
                bad(key("expect-status"), "an HTTP status (100–599)".into());
            }
            if s.think_ms.is_some_and(|t| t > 600_000) {
                bad(key("think-ms"), "value out of range (0–600000)".into());
            }
            for t in &templates {
                for v in t.vars() {
                    if !known.iter().any(|k| k == v) {
                        bad(
                            key("path"),
                            format!(
                                "`{{{{{v}}}}}` has no value here: capture it in an earlier step, list it in `[load.data]`, or use {}",
                                BUILTINS.join(", ")
                            ),
                        );
                    }
                }
            }
            let mut captures = Vec::new();
            for (c, cap) in s.capture.iter().enumerate() {
                let ck = format!("load.journeys[{i}].steps[{n}].capture[{c}]");
                let from = match (&cap.regex, &cap.json, &cap.header) {
                    (Some(r), None, None) => match regex::Regex::new(r) {
                        Ok(r) => Some(CaptureFrom::Regex(r)),
                        Err(e) => {
                            bad(
                                format!("{ck}.regex"),
                                format!("not a regular expression: {e}"),
                            );
                            None
                        }
                    },
                    (None, Some(p), None) if p.is_empty() || p.starts_with('/') => {
                        Some(CaptureFrom::Json(p.clone()))
                    }
                    (None, Some(_), None) => {
                        bad(
                            format!("{ck}.json"),
                            "a JSON Pointer starts with `/`".into(),
                        );
                        None
                    }
                    (None, None, Some(h)) => Some(CaptureFrom::Header(h.clone())),
                    _ => {
                        bad(
                            ck.clone(),
                            "give exactly one of `regex`, `json`, `header`".into(),
                        );
                        None
                    }
                };
                if cap.name.is_empty() || BUILTINS.contains(&cap.name.as_str()) {
                    bad(
                        format!("{ck}.name"),
                        "give a name that is not a built-in".into(),
                    );
                }
                if let Some(from) = from {
                    captures.push(Capture {
                        name: cap.name.clone(),
                        from,
                    });
                }
                known.push(cap.name.clone());
            }
            let name = s.name.clone().unwrap_or_else(|| {
                format!(
                    "{} {} {}",
                    n + 1,
                    method,
                    s.path.as_deref().or(s.url.as_deref()).unwrap_or("")
                )
            });
            if let (Some(url), Some(b)) = (url, base) {
                let url = if s.path.is_some() {
                    // Join the path to the base's origin, keeping the template.
                    url.with_prefix(&b.origin().ascii_serialization())
                } else {
                    url
                };
                steps.push(LoadStep {
                    name,
                    method: method.clone(),
                    url,
                    body,
                    headers,
                    expect_status: s.expect_status,
                    think_ms: s.think_ms,
                    captures,
                });
            }
        }
        journeys.push(Journey {
            name: j.name.clone(),
            weight: j.weight,
            transactional: j.transactional,
            steps,
        });
    }
    journeys
}

//! Citizen journeys (`[[flows]]`): scripted browser steps with the requirement ids they serve,
//! as written and as validated. The browser probe runs them (`probe/browser/flow.rs`); the
//! judges read what each step did.
//!
//! ```toml
//! [[flows]]
//! name = "Nộp hồ sơ: kiểm tra dữ liệu"
//! requirements = ["PL1-3.3"]
//! steps = [
//!   { goto = "/nop-ho-so/1.001" },
//!   { fill = "label=Số định danh cá nhân", value = "12ab" },
//!   { click = "text=Nộp hồ sơ" },
//!   { expect-invalid = "12 chữ số" },
//! ]
//! ```
//!
//! Selectors: `css=…` (the default when no prefix is given), `text=…` (visible text, NFC,
//! case-insensitive; interactive elements first), `label=…` (the field a `<label>`,
//! `aria-label` or placeholder names). Credentials come only from environment variables
//! (`value-env`, or `secret = "account.password"` for an `[accounts]` entry) and are redacted
//! from every output.

use std::path::PathBuf;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use url::Url;

use crate::error::Problem;
use crate::input::{Source, relative_to};

/// Default time a step waits for its element, text or URL, ms.
pub const DEFAULT_STEP_TIMEOUT_MS: u64 = 5000;

/// Most steps in one flow, and most flows in one scenario (each step is bounded in time).
const MAX_STEPS: usize = 60;
const MAX_FLOWS: usize = 30;

/// `[[flows]]` as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawFlow {
    /// What the journey is, shown in the report.
    pub name: String,
    /// Requirement ids the journey serves (`PL1-3.3`, …): their judges read it.
    #[serde(default)]
    pub requirements: Vec<String>,
    /// How long each step waits for its element, text or URL (default 5000 ms).
    #[serde(default)]
    pub step_timeout_ms: Option<u64>,
    /// The steps, in order; the first failing step ends the journey.
    #[schemars(with = "Vec<RawStep>")]
    pub steps: Vec<Spanned<RawStep>>,
}

/// One step as written: exactly one action key, with its companions.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawStep {
    /// Open a path on the portal or a URL.
    pub goto: Option<String>,
    /// Click the element.
    pub click: Option<String>,
    /// Type `value` (or `value-env`, `secret`) into the field.
    pub fill: Option<String>,
    /// Choose the option whose visible text (or value) is `value` in a `<select>`.
    pub select: Option<String>,
    /// Attach `file` (default: a small PDF kiemdinh writes) to a file input.
    pub upload: Option<String>,
    /// Wait until the element is visible.
    pub wait_for: Option<String>,
    /// Wait until the page shows this text (NFC, case-insensitive).
    pub expect_text: Option<String>,
    /// Wait until the address matches: a path glob on the portal (`/nop-ho-so/*`) or a URL
    /// glob (`https://*.gov.vn/*`).
    pub expect_url: Option<String>,
    /// Wait until the page shows a validation message (`role=alert`, `aria-invalid`, an
    /// error-styled message or the browser's own) containing this text (`""`: any).
    pub expect_invalid: Option<String>,
    /// Save a screenshot under this name.
    pub screenshot: Option<String>,
    /// `fill`/`select`: the value.
    pub value: Option<String>,
    /// `fill`: an environment variable holding the value (a secret: never written anywhere).
    pub value_env: Option<String>,
    /// `fill`: `account.username` or `account.password` of an `[accounts]` entry.
    pub secret: Option<String>,
    /// `upload`: the file (relative to the scenario).
    pub file: Option<String>,
    /// This step's own wait, ms.
    pub timeout_ms: Option<u64>,
}

/// Where a flow comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "kebab-case")]
pub enum FlowOrigin {
    /// Declared in the scenario.
    Declared,
    /// Built by kiemdinh from what the crawl found (no flow declared for its requirements).
    Default,
}

/// How a step finds its element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "by", content = "value", rename_all = "kebab-case")]
pub enum Selector {
    /// A CSS selector.
    Css(String),
    /// Visible text.
    Text(String),
    /// A field's label, `aria-label` or placeholder.
    Label(String),
}

impl Selector {
    /// Parses `css=…`, `text=…`, `label=…` or a bare CSS selector.
    pub fn parse(s: &str) -> Result<Self, String> {
        let (kind, rest) = match s.split_once('=') {
            Some((k @ ("css" | "text" | "label"), rest)) => (k, rest),
            _ => ("css", s),
        };
        let rest = rest.trim();
        if rest.is_empty() {
            return Err(format!("selector `{s}` is empty"));
        }
        Ok(match kind {
            "text" => Self::Text(crate::unicode::nfc(rest)),
            "label" => Self::Label(crate::unicode::nfc(rest)),
            _ => Self::Css(rest.to_string()),
        })
    }
}

impl std::fmt::Display for Selector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Css(s) => write!(f, "css={s}"),
            Self::Text(s) => write!(f, "text={s}"),
            Self::Label(s) => write!(f, "label={s}"),
        }
    }
}

/// A value typed into a field.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "from", content = "value", rename_all = "kebab-case")]
pub enum Value {
    /// Written in the scenario (not a secret).
    Literal(String),
    /// Read from this environment variable at run time (a secret).
    Env(String),
}

/// What a step does.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// Open a URL.
    Goto {
        /// Where.
        url: Url,
    },
    /// Click an element.
    Click {
        /// Which.
        target: Selector,
    },
    /// Type into a field.
    Fill {
        /// Which field.
        target: Selector,
        /// What.
        value: Value,
    },
    /// Choose an option.
    Select {
        /// Which `<select>`.
        target: Selector,
        /// The option's text or value.
        value: String,
    },
    /// Attach a file.
    Upload {
        /// Which file input.
        target: Selector,
        /// The file (`None`: kiemdinh's test PDF).
        file: Option<PathBuf>,
    },
    /// Wait for an element.
    WaitFor {
        /// Which.
        target: Selector,
    },
    /// Wait for a text.
    ExpectText {
        /// The text.
        text: String,
    },
    /// Wait for the address.
    ExpectUrl {
        /// The glob.
        pattern: String,
    },
    /// Wait for a validation message.
    ExpectInvalid {
        /// Text it contains (`""`: any).
        text: String,
    },
    /// Save a screenshot.
    Screenshot {
        /// Its name.
        name: String,
    },
}

impl Action {
    /// The kebab-case kind (`fill`), as the scenario writes it and the checklist names it.
    pub fn kind(&self) -> &'static str {
        match self {
            Self::Goto { .. } => "goto",
            Self::Click { .. } => "click",
            Self::Fill { .. } => "fill",
            Self::Select { .. } => "select",
            Self::Upload { .. } => "upload",
            Self::WaitFor { .. } => "wait-for",
            Self::ExpectText { .. } => "expect-text",
            Self::ExpectUrl { .. } => "expect-url",
            Self::ExpectInvalid { .. } => "expect-invalid",
            Self::Screenshot { .. } => "screenshot",
        }
    }

    /// What the step does, for reports: never a secret's value (an environment variable
    /// is shown by its name).
    pub fn describe(&self) -> String {
        match self {
            Self::Goto { url } => format!("goto {url}"),
            Self::Click { target } => format!("click {target}"),
            Self::Fill {
                target,
                value: Value::Literal(v),
            } => format!("fill {target} ← \"{v}\""),
            Self::Fill {
                target,
                value: Value::Env(name),
            } => format!("fill {target} ← ${name} (secret)"),
            Self::Select { target, value } => format!("select {target} ← \"{value}\""),
            Self::Upload { target, file } => format!(
                "upload {target} ← {}",
                file.as_ref()
                    .and_then(|f| f.file_name())
                    .map_or_else(|| "kiemdinh-tep-thu.pdf".into(), |f| f.to_string_lossy())
            ),
            Self::WaitFor { target } => format!("wait-for {target}"),
            Self::ExpectText { text } => format!("expect-text \"{text}\""),
            Self::ExpectUrl { pattern } => format!("expect-url {pattern}"),
            Self::ExpectInvalid { text } if text.is_empty() => "expect-invalid".into(),
            Self::ExpectInvalid { text } => format!("expect-invalid \"{text}\""),
            Self::Screenshot { name } => format!("screenshot {name}"),
        }
    }
}

/// One validated step.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Step {
    /// What it does.
    #[serde(flatten)]
    pub action: Action,
    /// Its wait, ms.
    pub timeout_ms: u64,
}

/// One validated journey.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Flow {
    /// Its name.
    pub name: String,
    /// The requirement ids it serves.
    pub requirements: Vec<String>,
    /// Declared or built by kiemdinh.
    pub origin: FlowOrigin,
    /// Why kiemdinh built it (default journeys): what it was built from.
    pub basis: Option<String>,
    /// The steps.
    pub steps: Vec<Step>,
}

impl Flow {
    /// The environment variables this flow reads (its secrets).
    pub fn secret_vars(&self) -> Vec<String> {
        self.steps
            .iter()
            .filter_map(|s| match &s.action {
                Action::Fill {
                    value: Value::Env(v),
                    ..
                } => Some(v.clone()),
                _ => None,
            })
            .collect()
    }
}

/// Validates `[[flows]]`, adding every problem (file, line, key) to `problems`.
pub(super) fn validate(
    raw: &[RawFlow],
    accounts: &std::collections::BTreeMap<String, super::RawAccount>,
    base: Option<&Url>,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> Vec<Flow> {
    if raw.len() > MAX_FLOWS {
        problems.push(source.problem_at(
            None,
            Some("flows".into()),
            format!("at most {MAX_FLOWS} flows (found {})", raw.len()),
        ));
    }
    let mut flows = Vec::new();
    for (i, f) in raw.iter().enumerate() {
        let key = |k: &str| Some(format!("flows[{i}].{k}"));
        if f.name.trim().is_empty() {
            problems.push(source.problem_at(None, key("name"), "give the flow a name"));
        }
        for id in &f.requirements {
            if !is_requirement_id(id) {
                problems.push(source.problem_at(
                    None,
                    key("requirements"),
                    format!("`{id}` is not a requirement id (like `PL1-3.3` or `SSO-1`)"),
                ));
            }
        }
        let step_timeout = f.step_timeout_ms.unwrap_or(DEFAULT_STEP_TIMEOUT_MS);
        if !(100..=120_000).contains(&step_timeout) {
            problems.push(source.problem_at(
                None,
                key("step-timeout-ms"),
                "value out of range (100–120000)",
            ));
        }
        if f.steps.is_empty() || f.steps.len() > MAX_STEPS {
            problems.push(source.problem_at(
                None,
                key("steps"),
                format!("a flow has 1 to {MAX_STEPS} steps"),
            ));
        }
        let mut steps = Vec::new();
        for (j, s) in f.steps.iter().enumerate() {
            let at = |m: String| {
                source.problem_at(Some(s.span()), Some(format!("flows[{i}].steps[{j}]")), m)
            };
            match step(s.get_ref(), accounts, base, source) {
                Ok(mut st) => {
                    st.timeout_ms = s.get_ref().timeout_ms.unwrap_or(step_timeout);
                    if !(100..=120_000).contains(&st.timeout_ms) {
                        problems.push(at("`timeout-ms` out of range (100–120000)".into()));
                    }
                    steps.push(st);
                }
                Err(m) => problems.push(at(m)),
            }
        }
        flows.push(Flow {
            name: f.name.trim().to_string(),
            requirements: f.requirements.clone(),
            origin: FlowOrigin::Declared,
            basis: None,
            steps,
        });
    }
    flows
}

fn is_requirement_id(id: &str) -> bool {
    let mut parts = id.splitn(2, '-');
    let (Some(head), Some(tail)) = (parts.next(), parts.next()) else {
        return false;
    };
    !head.is_empty()
        && head.chars().all(|c| c.is_ascii_alphanumeric())
        && !tail.is_empty()
        && tail.chars().all(|c| c.is_ascii_digit() || c == '.')
}

/// One step: exactly one action, the companions it needs and no others.
fn step(
    raw: &RawStep,
    accounts: &std::collections::BTreeMap<String, super::RawAccount>,
    base: Option<&Url>,
    source: &Source,
) -> Result<Step, String> {
    let actions: Vec<(&str, &String)> = [
        ("goto", &raw.goto),
        ("click", &raw.click),
        ("fill", &raw.fill),
        ("select", &raw.select),
        ("upload", &raw.upload),
        ("wait-for", &raw.wait_for),
        ("expect-text", &raw.expect_text),
        ("expect-url", &raw.expect_url),
        ("expect-invalid", &raw.expect_invalid),
        ("screenshot", &raw.screenshot),
    ]
    .into_iter()
    .filter_map(|(k, v)| v.as_ref().map(|v| (k, v)))
    .collect();
    let (kind, arg) = match actions.as_slice() {
        [one] => *one,
        [] => return Err("a step needs one action: goto, click, fill, select, upload, wait-for, expect-text, expect-url, expect-invalid or screenshot".into()),
        many => {
            return Err(format!(
                "a step has one action, this one has {}",
                many.iter().map(|(k, _)| format!("`{k}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    };
    let allowed: &[&str] = match kind {
        "fill" => &["value", "value-env", "secret"],
        "select" => &["value"],
        "upload" => &["file"],
        _ => &[],
    };
    for (k, present) in [
        ("value", raw.value.is_some()),
        ("value-env", raw.value_env.is_some()),
        ("secret", raw.secret.is_some()),
        ("file", raw.file.is_some()),
    ] {
        if present && !allowed.contains(&k) {
            return Err(format!("`{k}` does not go with `{kind}`"));
        }
    }
    let target = || Selector::parse(arg);
    let action = match kind {
        "goto" => {
            let base = base.ok_or("the portal's base-url is invalid")?;
            let url = base
                .join(arg)
                .map_err(|e| format!("`{arg}` is not a path or URL: {e}"))?;
            if !matches!(url.scheme(), "http" | "https") {
                return Err(format!("`{arg}` is not an http(s) address"));
            }
            Action::Goto { url }
        }
        "click" => Action::Click { target: target()? },
        "fill" => Action::Fill {
            target: target()?,
            value: fill_value(raw, accounts)?,
        },
        "select" => Action::Select {
            target: target()?,
            value: raw
                .value
                .clone()
                .ok_or("`select` needs `value` (the option's text or value)")?,
        },
        "upload" => Action::Upload {
            target: target()?,
            file: match &raw.file {
                Some(f) => {
                    let p = relative_to(&source.path, f);
                    if !p.is_file() {
                        return Err(format!("`file`: `{}` does not exist", p.display()));
                    }
                    Some(p)
                }
                None => None,
            },
        },
        "wait-for" => Action::WaitFor { target: target()? },
        "expect-text" if arg.trim().is_empty() => return Err("`expect-text` is empty".into()),
        "expect-text" => Action::ExpectText {
            text: crate::unicode::nfc(arg.trim()),
        },
        "expect-url" => {
            glob(arg)?;
            Action::ExpectUrl {
                pattern: arg.clone(),
            }
        }
        "expect-invalid" => Action::ExpectInvalid {
            text: crate::unicode::nfc(arg.trim()),
        },
        _ => {
            if arg.trim().is_empty()
                || !arg
                    .chars()
                    .all(|c| c.is_alphanumeric() || c == '-' || c == '_')
            {
                return Err(format!(
                    "screenshot name `{arg}` must be letters, digits, `-` or `_`"
                ));
            }
            Action::Screenshot { name: arg.clone() }
        }
    };
    Ok(Step {
        action,
        timeout_ms: DEFAULT_STEP_TIMEOUT_MS,
    })
}

fn fill_value(
    raw: &RawStep,
    accounts: &std::collections::BTreeMap<String, super::RawAccount>,
) -> Result<Value, String> {
    match (&raw.value, &raw.value_env, &raw.secret) {
        (Some(v), None, None) => Ok(Value::Literal(v.clone())),
        (None, Some(var), None) => {
            if var.is_empty()
                || !var
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
            {
                return Err(format!(
                    "`value-env`: `{var}` must be an environment-variable name (A-Z, 0-9, `_`)"
                ));
            }
            Ok(Value::Env(var.clone()))
        }
        (None, None, Some(s)) => {
            let (name, field) = s.split_once('.').unwrap_or((s, ""));
            let account = accounts
                .get(name)
                .ok_or_else(|| format!("`secret`: no account `{name}` in `[accounts]`"))?;
            match field {
                "username" => Ok(Value::Env(account.username_env.clone())),
                "password" => Ok(Value::Env(account.password_env.clone())),
                _ => Err(format!(
                    "`secret`: write `{name}.username` or `{name}.password`"
                )),
            }
        }
        (None, None, None) => Err("`fill` needs `value`, `value-env` or `secret`".into()),
        _ => Err("`fill` takes one of `value`, `value-env` and `secret`".into()),
    }
}

/// The matcher of an `expect-url` pattern (`*` crosses `/`).
pub fn glob(pattern: &str) -> Result<globset::GlobMatcher, String> {
    globset::GlobBuilder::new(pattern)
        .literal_separator(false)
        .build()
        .map(|g| g.compile_matcher())
        .map_err(|e| format!("`{pattern}` is not a valid pattern: {e}"))
}

#[cfg(test)]
mod tests;

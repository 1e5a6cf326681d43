//! Secrets kept out of every output: the journal, `evaluation.json`, the HTML, Markdown,
//! `JUnit` and PDF reports, the load reports and the console.
//!
//! Three rules, applied by [`Redactor`]:
//!
//! 1. **Headers** ([`SECRET_HEADERS`]): the values of `Authorization`, `Proxy-Authorization`
//!    and `Cookie` (request) and `Set-Cookie` (response), wherever observations keep headers.
//!    What judges read is kept: an authorisation scheme (`Bearer`), every cookie's name and
//!    every `Set-Cookie` attribute (`Secure`, `HttpOnly`, `SameSite`, `Path`, `Expires`…), so
//!    SEC-3 judges a redacted cookie exactly as the original.
//! 2. **Token parameters** ([`TOKEN_PARAMS`]) in any URL, and any text that holds one: the
//!    value after `?name=`, `&name=`, `;name=` (`;jsessionid=` path parameters, `&amp;` in
//!    markup) or `#name=` (tokens in a fragment) becomes [`MARKER`]; the name stays. `code` is
//!    an OAuth authorisation code only on an SSO callback: it is redacted when the same URL
//!    has `state`/`session_state` or a path with `callback`, and kept elsewhere (procedure
//!    codes). `state`, `nonce` and `code_challenge` are not secrets and are kept (SSO-1 reads
//!    them). A value equal to a credential of rule 3 is redacted under any name.
//! 3. **Credentials from environment variables** (the `[accounts]` entries and `value-env` of
//!    the scenario's journeys): each value is replaced wherever it appears, also URL-encoded,
//!    JSON-escaped, HTML- or Markdown-escaped and in either Unicode normal form. Values shorter
//!    than [`MIN_SECRET_CHARS`] characters are not searched for in free text (they would blank
//!    ordinary words) but are still redacted as a parameter value (rule 2).
//!
//! Observations are redacted once, before they are judged ([`Redactor::observations`]), so
//! the verdicts, `evaluation.json` and `rejudge` all see the same redacted facts; the shared
//! writers ([`crate::report::write_atomic`], [`crate::journal::Journal`]) and the console then
//! pass every text through the process's [`active`] redactor as a last line of defence.
//! Secrets are added with [`remember`] as soon as a run knows them; they are never removed.

use std::borrow::Cow;
use std::sync::{LazyLock, RwLock};

use serde_json::Value;
use unicode_normalization::UnicodeNormalization;

use crate::observation::Observations;

/// What a redacted value is replaced with.
pub const MARKER: &str = "[redacted]";

/// Shortest credential (in characters) searched for in free text.
pub const MIN_SECRET_CHARS: usize = 4;

/// Headers whose values are secrets (names lowercase).
pub const SECRET_HEADERS: &[&str] = &[
    "authorization",
    "proxy-authorization",
    "cookie",
    "set-cookie",
];

/// Query, path (`;name=`) and fragment parameters whose values are redacted (matched without
/// regard to case). `code` is handled apart (see the module documentation).
pub const TOKEN_PARAMS: &[&str] = &[
    "access_token",
    "refresh_token",
    "id_token",
    "token",
    "auth_token",
    "api_key",
    "apikey",
    "client_secret",
    "password",
    "passwd",
    "pwd",
    "secret",
    "sig",
    "signature",
    "session",
    "sessionid",
    "session_id",
    "sid",
    "jsessionid",
    "phpsessid",
    "ticket",
    "samlresponse",
];

/// Redacts the three kinds of secret (see the module documentation). Cheap to clone.
#[derive(Debug, Clone, Default)]
pub struct Redactor {
    /// The credentials as given (any length): a parameter value equal to one is redacted.
    values: Vec<String>,
    /// Every written form of the long-enough credentials, longest first.
    forms: Vec<String>,
}

impl Redactor {
    /// A redactor for these credential values (empty ones are ignored).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut r = Self::default();
        r.add(secrets);
        r
    }

    /// Adds credential values.
    pub fn add(&mut self, secrets: impl IntoIterator<Item = String>) {
        for s in secrets {
            if s.is_empty() || self.values.contains(&s) {
                continue;
            }
            if s.chars().count() >= MIN_SECRET_CHARS {
                for f in forms(&s) {
                    if !self.forms.contains(&f) {
                        self.forms.push(f);
                    }
                }
            }
            self.values.push(s);
        }
        // Longest first, so a secret containing another is replaced whole.
        self.forms
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    }

    /// How many credentials it holds.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether it holds no credential (token parameters are still redacted).
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// `text` with every credential (rule 3) and every token parameter's value (rule 2)
    /// replaced by [`MARKER`].
    pub fn text<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out = Cow::Borrowed(text);
        for f in &self.forms {
            if out.contains(f.as_str()) {
                out = Cow::Owned(out.replace(f.as_str(), MARKER));
            }
        }
        match params(&out, &self.values) {
            Cow::Borrowed(_) => out,
            Cow::Owned(s) => Cow::Owned(s),
        }
    }

    /// The redacted value of a header, or `None` when the header is not a secret one. The
    /// other text rules apply to every header by [`Self::json`].
    pub fn header(name: &str, value: &str) -> Option<String> {
        match name.to_ascii_lowercase().as_str() {
            "set-cookie" => Some(set_cookie(value)),
            "cookie" => Some(cookie(value)),
            "authorization" | "proxy-authorization" => Some(authorization(value)),
            _ => None,
        }
    }

    /// Redacts a JSON document in place: headers as `[name, value]` pairs (the lowercase names
    /// observations store, a cookie's value with its `=`: a two-cell table row is not a
    /// header) or `{name: value}` members (rule 1), then every string and every member name
    /// (rules 2 and 3).
    pub fn json(&self, v: &mut Value) {
        match v {
            Value::String(s) => {
                if let Cow::Owned(r) = self.text(s) {
                    *s = r;
                }
            }
            Value::Array(items) => {
                if let [Value::String(name), Value::String(value)] = items.as_mut_slice()
                    && header_pair(name, value)
                    && let Some(r) = Self::header(name, value)
                {
                    *value = r;
                }
                for item in items.iter_mut() {
                    self.json(item);
                }
            }
            Value::Object(map) => {
                let old = std::mem::take(map);
                for (k, mut item) in old {
                    if let Value::String(s) = &mut item
                        && let Some(r) = Self::header(&k, s)
                    {
                        *s = r;
                    }
                    self.json(&mut item);
                    map.insert(self.text(&k).into_owned(), item);
                }
            }
            Value::Null | Value::Bool(_) | Value::Number(_) => {}
        }
    }

    /// Redacts observations in place, before they are judged or written: the pages' secret
    /// headers (rule 1), then every text they hold (rules 2 and 3, through their JSON form).
    /// When that round trip fails the headers are still redacted and the error is returned
    /// (the writers' text pass still applies rules 2 and 3).
    pub fn observations(&self, obs: &mut Observations) -> Result<(), serde_json::Error> {
        for p in &mut obs.pages {
            for (name, value) in &mut p.fetch.headers {
                if let Some(r) = Self::header(name, value) {
                    *value = r;
                }
            }
        }
        let mut doc = serde_json::to_value(&*obs)?;
        self.json(&mut doc);
        *obs = serde_json::from_value(doc)?;
        Ok(())
    }
}

/// Whether `[name, value]` is a stored header (see [`Redactor::json`]).
fn header_pair(name: &str, value: &str) -> bool {
    match name {
        "authorization" | "proxy-authorization" => true,
        "cookie" | "set-cookie" => value.contains('='),
        _ => false,
    }
}

/// The forms a credential may be written in.
fn forms(s: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut push = |f: String| {
        if !f.is_empty() && !out.contains(&f) {
            out.push(f);
        }
    };
    for base in [s.to_string(), s.nfc().collect(), s.nfd().collect()] {
        let form: String = url::form_urlencoded::byte_serialize(base.as_bytes()).collect();
        push(form.replace('+', "%20"));
        push(form);
        let json = serde_json::to_string(&base).unwrap_or_default();
        push(json.trim_matches('"').to_string());
        let mut html = Vec::new();
        if tera::escape_html(&base, &mut html).is_ok() {
            push(String::from_utf8_lossy(&html).into_owned());
        }
        push(crate::report::escape_md(&base));
        push(base.to_lowercase());
        push(base.to_uppercase());
        push(base);
    }
    out
}

/// `Set-Cookie: name=value; attrs` → `name=[redacted]; attrs` (an empty value stays empty).
fn set_cookie(v: &str) -> String {
    let (pair, attrs) = v.split_once(';').map_or((v, None), |(p, a)| (p, Some(a)));
    let pair = match pair.split_once('=') {
        Some((name, value)) if !value.trim().is_empty() => format!("{name}={MARKER}"),
        Some(_) => pair.to_string(),
        None => MARKER.to_string(),
    };
    match attrs {
        Some(a) => format!("{pair};{a}"),
        None => pair,
    }
}

/// `Cookie: a=1; b=2` → `a=[redacted]; b=[redacted]`.
fn cookie(v: &str) -> String {
    v.split(';')
        .map(|c| match c.split_once('=') {
            Some((name, _)) => format!("{name}={MARKER}"),
            None if c.trim().is_empty() => c.to_string(),
            None => MARKER.to_string(),
        })
        .collect::<Vec<_>>()
        .join(";")
}

/// `Authorization: Bearer xyz` → `Bearer [redacted]` (the scheme is kept).
fn authorization(v: &str) -> String {
    match v.trim().split_once(' ') {
        Some((scheme, _))
            if scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-') =>
        {
            format!("{scheme} {MARKER}")
        }
        _ => MARKER.to_string(),
    }
}

fn is_name(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.')
}

/// Where a parameter's value ends.
fn is_end(b: u8) -> bool {
    b.is_ascii_whitespace()
        || matches!(
            b,
            b'&' | b'#'
                | b';'
                | b'?'
                | b'"'
                | b'\''
                | b'<'
                | b'>'
                | b'\\'
                | b')'
                | b']'
                | b'}'
                | b','
                | b'|'
                | b'`'
        )
}

/// Where a URL written in text ends (what surrounds it).
fn is_outside(b: u8) -> bool {
    b.is_ascii_whitespace() || matches!(b, b'"' | b'\'' | b'<' | b'>' | b'`' | b'(' | b')')
}

/// Rule 2 over a text: token parameters' values, and any parameter whose (decoded) value is a
/// credential, become [`MARKER`].
fn params<'a>(text: &'a str, credentials: &[String]) -> Cow<'a, str> {
    let bytes = text.as_bytes();
    let mut out = String::new();
    let mut copied = 0;
    let mut at = 0;
    while at < bytes.len() {
        if !matches!(bytes[at], b'?' | b'&' | b';' | b'#') {
            at += 1;
            continue;
        }
        let name_start = at + 1;
        let mut eq = name_start;
        while eq < bytes.len() && is_name(bytes[eq]) {
            eq += 1;
        }
        if eq == name_start || eq >= bytes.len() || bytes[eq] != b'=' {
            at += 1;
            continue;
        }
        if text[eq + 1..].starts_with(MARKER) {
            at = eq + 1 + MARKER.len();
            continue;
        }
        let mut value_end = eq + 1;
        while value_end < bytes.len() && !is_end(bytes[value_end]) {
            value_end += 1;
        }
        // Separators and names are ASCII: these are character boundaries.
        let (name, value) = (&text[name_start..eq], &text[eq + 1..value_end]);
        if !value.is_empty() && sensitive(name, value, text, at, credentials) {
            out.push_str(&text[copied..=eq]);
            out.push_str(MARKER);
            copied = value_end;
        }
        at = value_end.max(at + 1);
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(&text[copied..]);
    Cow::Owned(out)
}

fn sensitive(name: &str, value: &str, s: &str, at: usize, credentials: &[String]) -> bool {
    let lower = name.to_ascii_lowercase();
    if TOKEN_PARAMS.contains(&lower.as_str()) {
        return true;
    }
    if lower == "code" && sso_callback(s, at) {
        return true;
    }
    if credentials.is_empty() {
        return false;
    }
    let decoded: String = url::form_urlencoded::parse(format!("v={value}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())
        .unwrap_or_default();
    credentials
        .iter()
        .any(|c| *c == decoded || *c == value || c.nfc().eq(decoded.nfc()))
}

/// Whether the URL around byte `at` of `s` is an SSO callback: a `state`/`session_state`
/// parameter, or `callback` in it.
fn sso_callback(s: &str, at: usize) -> bool {
    let b = s.as_bytes();
    let from = b[..at]
        .iter()
        .rposition(|c| is_outside(*c))
        .map_or(0, |p| p + 1);
    let to = b[at..]
        .iter()
        .position(|c| is_outside(*c))
        .map_or(b.len(), |p| at + p);
    let url = s[from..to].to_ascii_lowercase();
    url.contains("callback")
        || ["?", "&", ";", "#"].iter().any(|sep| {
            url.contains(&format!("{sep}state=")) || url.contains(&format!("{sep}session_state="))
        })
}

static ACTIVE: LazyLock<RwLock<Redactor>> = LazyLock::new(|| RwLock::new(Redactor::default()));

/// Adds credentials to the process's redactor (used by every writer and the console). They
/// stay for the life of the process.
pub fn remember(secrets: impl IntoIterator<Item = String>) {
    let mut r = ACTIVE
        .write()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    r.add(secrets);
}

/// Runs `f` with the process's redactor.
pub fn with_active<R>(f: impl FnOnce(&Redactor) -> R) -> R {
    let r = ACTIVE
        .read()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    f(&r)
}

/// A copy of the process's redactor.
pub fn active() -> Redactor {
    with_active(Redactor::clone)
}

/// `text` through the process's redactor (for console lines and error messages).
pub fn text(text: &str) -> String {
    with_active(|r| r.text(text).into_owned())
}

/// The credentials a scenario reads from environment variables: the variables its journeys
/// type (`value-env`, `secret = "account.…"`) and every `[accounts]` entry's, when set.
pub fn scenario_secrets(scenario: &crate::scenario::Scenario) -> Vec<String> {
    let mut vars: Vec<String> = scenario
        .flows
        .iter()
        .flat_map(crate::scenario::flows::Flow::secret_vars)
        .chain(scenario.account_vars.iter().cloned())
        .collect();
    vars.sort();
    vars.dedup();
    vars.iter().filter_map(|v| std::env::var(v).ok()).collect()
}

#[cfg(test)]
mod tests;

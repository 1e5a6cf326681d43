//! `[security]`: the severities the scenario gives security findings (`[security.severity]`,
//! like ZAP baseline's rules file) and the consent-gated active checks (`[security.active]`,
//! `[security.authorization]`). Validated into [`SecuritySettings`]; the probe is
//! `probe::active`, the severities are applied by `judge` (see
//! [`crate::evaluation::finding`]).
//!
//! ```toml
//! [security.severity]
//! "SEC-9" = "warn"                      # a requirement id
//! "10038" = "ignore"                    # a ZAP rule id
//! "SEC-2/security-headers" = "fail"     # a finding id (reports/security-findings.toml)
//!
//! [security.active]                     # run only with `assess --active-security`
//! account = "tester"                    # an [accounts] entry: a dedicated test account
//! login-url = "/dang-nhap/mat-khau"     # the login form's action (POST), on the portal
//! protected-path = "/tai-khoan/phien"   # 200 only to a logged-in session
//! idle-timeout-s = 900                  # the portal's declared idle timeout (SEC-4)
//!
//! [security.authorization]              # required unless the portal is on loopback
//! by = "…"
//! reference = "Công văn số …"
//! from = "2026-11-01"
//! until = "2026-11-30"
//! ```

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use url::Url;

use super::load::Authorization;
use crate::error::Problem;
use crate::evaluation::finding::{Severity, SeverityRule, plausible_key};
use crate::input::Source;

/// The longest idle wait the active checks accept, seconds (an hour).
pub const MAX_IDLE_WAIT_S: u64 = 3600;
/// The most wrong passwords a lockout check may send.
pub const MAX_ATTEMPTS: u32 = 20;

/// `[security]` as written.
#[derive(Debug, Clone, Default, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawSecurity {
    /// Finding id, ZAP rule id or requirement id → `fail` | `warn` | `ignore`.
    #[serde(default)]
    pub severity: BTreeMap<String, Severity>,
    /// The active checks' settings.
    #[serde(default)]
    pub active: Option<RawActive>,
    /// Written consent for the active checks; required unless the portal is on loopback.
    #[serde(default)]
    pub authorization: Option<Authorization>,
}

/// `[security.active]` as written.
#[derive(Debug, Clone, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct RawActive {
    /// The `[accounts]` entry of the dedicated test account.
    pub account: String,
    /// The login form's action (POST), a path or URL on the portal.
    pub login_url: String,
    /// The page that shows the form (GET before login: the pre-login session); default:
    /// `login-url`.
    #[serde(default)]
    pub login_page: Option<String>,
    /// The form field of the user name.
    #[serde(default = "default_user_field")]
    pub username_field: String,
    /// The form field of the password.
    #[serde(default = "default_password_field")]
    pub password_field: String,
    /// The session cookie's name.
    pub session_cookie: String,
    /// A page that answers 200 only to a logged-in session.
    pub protected_path: String,
    /// The idle timeout the portal declares, seconds; no SEC-4 check without it.
    #[serde(default)]
    pub idle_timeout_s: Option<u64>,
    /// Seconds waited beyond `idle-timeout-s`.
    #[serde(default = "default_margin")]
    pub idle_margin_s: u64,
    /// Budget of one request, ms.
    #[serde(default = "default_timeout")]
    pub timeout_ms: u64,
}

fn default_user_field() -> String {
    "username".into()
}
fn default_password_field() -> String {
    "password".into()
}
fn default_margin() -> u64 {
    30
}
fn default_timeout() -> u64 {
    10_000
}

/// `[security]`, validated.
#[derive(Debug, Clone, Default, Serialize)]
pub struct SecuritySettings {
    /// The severities, sorted by key.
    pub severity: Vec<SeverityRule>,
    /// The active checks' settings, when declared.
    pub active: Option<Box<ActiveSettings>>,
    /// The written consent, when given.
    pub authorization: Option<Box<Authorization>>,
}

/// `[security.active]`, validated.
#[derive(Debug, Clone, Serialize)]
pub struct ActiveSettings {
    /// The test account's `[accounts]` name.
    pub account: String,
    /// Its user-name and password variables.
    pub env: (String, String),
    /// Where the credentials are posted.
    pub login_url: Url,
    /// The page fetched before login.
    pub login_page: Url,
    /// Form fields: user name, password.
    pub fields: (String, String),
    /// The session cookie's name.
    pub session_cookie: String,
    /// The page that needs a session.
    pub protected: Url,
    /// Declared idle timeout and the margin, seconds.
    pub idle: Option<(u64, u64)>,
    /// Budget of one request, ms.
    pub timeout_ms: u64,
}

/// Validates `[security]`: severities are `fail`/`warn`/`ignore` on plausible keys, the
/// account exists, every address is on the portal, the wait and the authorisation are sane.
pub fn validate(
    raw: &RawSecurity,
    accounts: &BTreeMap<String, super::RawAccount>,
    base: Option<&Url>,
    source: &Source,
    problems: &mut Vec<Problem>,
) -> SecuritySettings {
    let mut bad = |key: &str, msg: String| {
        problems.push(source.problem_at(None, Some(format!("security.{key}")), msg));
    };
    for k in raw.severity.keys() {
        if !plausible_key(k) {
            bad(
                &format!("severity.{k}"),
                "name a finding id (`SEC-2/security-headers`), a ZAP rule id (`10038`) or a \
                 requirement id (`SEC-9`)"
                    .into(),
            );
        }
    }
    if let Some(a) = &raw.authorization {
        a.check(&mut bad);
    }
    let active = raw.active.as_ref().and_then(|a| {
        let account = accounts.get(&a.account);
        if account.is_none() {
            bad(
                "active.account",
                format!("no account `{}` in `[accounts]`", a.account),
            );
        }
        if let Some((wait, _)) = a.idle_timeout_s.map(|s| (s + a.idle_margin_s, s))
            && wait > MAX_IDLE_WAIT_S
        {
            bad(
                "active.idle-timeout-s",
                format!("the wait (idle-timeout-s + idle-margin-s = {wait} s) exceeds {MAX_IDLE_WAIT_S} s"),
            );
        }
        if !(100..=120_000).contains(&a.timeout_ms) {
            bad("active.timeout-ms", "value out of range (100–120000)".into());
        }
        for (k, v) in [
            ("username-field", &a.username_field),
            ("password-field", &a.password_field),
            ("session-cookie", &a.session_cookie),
        ] {
            if v.trim().is_empty() {
                bad(&format!("active.{k}"), "must not be empty".into());
            }
        }
        let base = base?;
        let mut at = |key: &str, s: &str| match base.join(s) {
            Ok(u) if u.host_str() == base.host_str() && u.port_or_known_default() == base.port_or_known_default() && u.username().is_empty() && u.password().is_none() => Some(u),
            _ => {
                bad(
                    &format!("active.{key}"),
                    format!(
                        "must be a path or URL on the portal's host `{}`: credentials are sent only there",
                        base.host_str().unwrap_or_default()
                    ),
                );
                None
            }
        };
        let login_url = at("login-url", &a.login_url);
        let login_page = at("login-page", a.login_page.as_deref().unwrap_or(&a.login_url));
        let protected = at("protected-path", &a.protected_path);
        let account = account?;
        Some(Box::new(ActiveSettings {
            account: a.account.clone(),
            env: (account.username_env.clone(), account.password_env.clone()),
            login_url: login_url?,
            login_page: login_page?,
            fields: (a.username_field.clone(), a.password_field.clone()),
            session_cookie: a.session_cookie.clone(),
            protected: protected?,
            idle: a.idle_timeout_s.map(|s| (s, a.idle_margin_s)),
            timeout_ms: a.timeout_ms,
        }))
    });
    SecuritySettings {
        severity: raw
            .severity
            .iter()
            .map(|(k, s)| SeverityRule {
                key: k.clone(),
                severity: *s,
            })
            .collect(),
        active,
        authorization: raw.authorization.clone().map(Box::new),
    }
}

#[cfg(test)]
mod tests {
    use crate::evaluation::finding::Severity;
    use crate::scenario::Scenario;
    use crate::scenario::tests::{OK, src};

    const ACCOUNT: &str =
        "[accounts]\ntester = { username-env = \"T_USER\", password-env = \"T_PASS\" }\n";

    fn load(extra: &str) -> Result<Scenario, Vec<String>> {
        match Scenario::from_source(&src(&format!("{OK}{extra}"))) {
            Ok(s) => Ok(s),
            Err(crate::error::Error::Invalid { problems, .. }) => Err(problems
                .iter()
                .map(|p| format!("{} {}", p.key.clone().unwrap_or_default(), p.message))
                .collect()),
            Err(e) => Err(vec![e.to_string()]),
        }
    }

    #[test]
    fn a_full_security_section_validates() {
        let s = load(&format!(
            "{ACCOUNT}[security.severity]\n\"SEC-9\" = \"warn\"\n\"10038\" = \"ignore\"\n\
             [security.active]\naccount = \"tester\"\nlogin-url = \"/dang-nhap\"\nsession-cookie = \"JSESSIONID\"\n\
             protected-path = \"/ca-nhan\"\nidle-timeout-s = 300\n\
             [security.authorization]\nby = \"A\"\nreference = \"CV 1\"\nfrom = \"2026-11-01\"\nuntil = \"2026-11-30\"\n"
        ))
        .unwrap();
        let sec = &s.security;
        assert_eq!(sec.severity.len(), 2);
        assert_eq!(sec.severity[1].key, "SEC-9");
        assert_eq!(sec.severity[1].severity, Severity::Warn);
        let a = sec.active.as_deref().unwrap();
        assert_eq!(a.env, ("T_USER".into(), "T_PASS".into()));
        assert_eq!(a.login_url.as_str(), "https://dvc.example.gov.vn/dang-nhap");
        assert_eq!(a.login_page, a.login_url);
        assert_eq!(a.idle, Some((300, 30)));
        assert!(sec.authorization.is_some());
        assert!(load("").unwrap().security.active.is_none());
    }

    #[test]
    fn credentials_go_only_to_the_portal_and_every_problem_is_named() {
        let all = load(&format!(
            "{ACCOUNT}[security.severity]\n\"SEC 9\" = \"warn\"\n\
             [security.active]\naccount = \"nobody\"\nlogin-url = \"https://evil.example/login\"\nsession-cookie = \"\"\n\
             protected-path = \"/ca-nhan\"\nidle-timeout-s = 4000\n\
             [security.authorization]\nby = \"\"\nreference = \"CV 1\"\nfrom = \"2026-12-01\"\nuntil = \"hôm qua\"\n"
        ))
        .unwrap_err()
        .join("\n");
        for want in [
            "security.severity.SEC 9",
            "security.active.account no account `nobody`",
            "security.active.login-url must be a path or URL on the portal's host",
            "security.active.session-cookie must not be empty",
            "security.active.idle-timeout-s",
            "security.authorization.by",
            "security.authorization.until `hôm qua` is not a date",
        ] {
            assert!(all.contains(want), "{want} in\n{all}");
        }
        let bad = load("[security.severity]\n\"SEC-9\" = \"maybe\"\n").unwrap_err();
        assert!(!bad.is_empty());
    }
}

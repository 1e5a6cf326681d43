//! What the consent-gated active security checks saw (SEC-3 session renewal, SEC-4 idle
//! timeout, SEC-5 login lockout): `Observations.active`. No session id or password is ever
//! recorded, only whether ids differed and how the portal answered.

use serde::{Deserialize, Serialize};

use crate::text::Text;

/// One run of the active checks.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct ActiveRun {
    /// Why the checks did not run (no `--active-security`, no authorisation, no test
    /// account), when they did not; every active verdict is then `skipped` with this reason.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub skipped: Option<Text>,
    /// The login form's address (where the credentials went: the portal's own host).
    #[serde(default)]
    pub login_url: String,
    /// Requests the checks sent, all together.
    #[serde(default)]
    pub requests: u32,
    /// Why a check could not be carried out (the test account's login failed, the portal did
    /// not answer), when one could not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// Session renewal at login; `None` when not observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<Renewal>,
    /// Idle timeout; `None` when not observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub idle: Option<Idle>,
    /// Lockout after wrong passwords; `None` when not observed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lockout: Option<Lockout>,
}

/// Whether the session id changed at login (session fixation when not).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Renewal {
    /// The session cookie's name.
    pub cookie_name: String,
    /// Whether the portal issued the session before login (otherwise kiemdinh planted one).
    pub issued_before: bool,
    /// Whether the session id after login differs from the one before.
    pub renewed: bool,
}

/// Whether an idle session was refused after the wait.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Idle {
    /// The idle timeout the scenario declares, seconds.
    pub declared_s: u64,
    /// How long the session was left idle, seconds (declared + margin).
    pub waited_s: u64,
    /// Whether the session opened the protected page right after login.
    pub valid_after_login: bool,
    /// The protected page's status after the wait.
    pub status_after_wait: u16,
    /// Whether the session was refused after the wait.
    pub refused_after_wait: bool,
}

/// What the portal did with wrong passwords, then the right one.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
#[serde(default)]
pub struct Lockout {
    /// Wrong-password attempts sent.
    pub wrong_attempts: u32,
    /// The attempt (1-based) whose answer first said the account is locked, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub locked_message_at: Option<u32>,
    /// Whether the right password was then refused.
    pub right_password_refused: bool,
}

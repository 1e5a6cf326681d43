//! The consent-gated active security checks (`assess --active-security`): with the scenario's
//! dedicated test account, over the login form `[security.active]` names, on the portal's own
//! host only:
//!
//! 1. **Session renewal** (SEC-3): the session id before login (issued by the login page, or
//!    planted by kiemdinh) is compared with the one after — the same id is session fixation.
//! 2. **Idle timeout** (SEC-4, when the scenario declares `idle-timeout-s`): the protected page
//!    opens right after login, then again after `idle-timeout-s + idle-margin-s` of silence,
//!    when it must be refused.
//! 3. **Lockout** (SEC-5): at most `N` wrong passwords (`N` = the checklist's `max-failures`),
//!    stopping at a lockout message, then the right password once: it must be refused.
//!
//! Bounded: at most `N + 6` requests and one wait. Nothing runs without all three of the
//! flag, an authorisation covering today (`[security.authorization]`, not needed on loopback)
//! and the account's variables; the run then records which are missing
//! ([`ActiveRun::skipped`]). Credentials go only to the portal's host, redirects are never
//! followed, and no session id or password is recorded.

use std::time::Duration;

use reqwest::header::{COOKIE, SET_COOKIE};

use crate::checklist::{Check, Checklist};
use crate::observation::{ActiveRun, Idle, Lockout, Renewal};
use crate::scenario::Scenario;
use crate::scenario::security::{ActiveSettings, MAX_ATTEMPTS};
use crate::text::Text;

/// Words of an answer that say the account is locked (NFC, lower case).
const LOCKED_WORDS: &[&str] = &["bị khóa", "bị tạm khóa", "đã khóa", "locked", "lockout"];

/// `N`: the checklists' `login-lockout` `max-failures` (the smallest), else 5.
pub fn max_failures(checklists: &[Checklist]) -> u32 {
    checklists
        .iter()
        .flat_map(|c| &c.requirements)
        .flat_map(|r| &r.checks)
        .filter_map(|c| match c {
            Check::LoginLockout { max_failures } => Some(*max_failures),
            _ => None,
        })
        .min()
        .unwrap_or(5)
        .clamp(1, MAX_ATTEMPTS)
}

fn loopback(scenario: &Scenario) -> bool {
    match scenario.base_url.host() {
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

/// What the run may use, or why it may not run (every missing condition named).
pub fn gate<'a>(
    scenario: &'a Scenario,
    enabled: bool,
    today: &str,
    env: &dyn Fn(&str) -> Option<String>,
) -> Result<(&'a ActiveSettings, (String, String)), Text> {
    let mut vi: Vec<String> = Vec::new();
    let mut en: Vec<String> = Vec::new();
    if !enabled {
        vi.push("không có cờ --active-security".into());
        en.push("no --active-security flag".into());
    }
    let settings = scenario.security.active.as_deref();
    if settings.is_none() {
        vi.push("kịch bản không có [security.active]".into());
        en.push("the scenario has no [security.active]".into());
    }
    if !loopback(scenario) {
        match scenario.security.authorization.as_deref() {
            None => {
                vi.push("không có văn bản đồng ý [security.authorization]".into());
                en.push("no written authorisation [security.authorization]".into());
            }
            Some(a) if today < a.from.as_str() || today > a.until.as_str() => {
                vi.push(format!(
                    "văn bản {} không áp dụng hôm nay ({today})",
                    a.reference
                ));
                en.push(format!(
                    "the authorisation {} does not cover today ({today})",
                    a.reference
                ));
            }
            Some(_) => {}
        }
    }
    let creds = settings.and_then(|s| {
        let user = env(&s.env.0).filter(|v| !v.is_empty());
        let pass = env(&s.env.1).filter(|v| !v.is_empty());
        if user.is_none() || pass.is_none() {
            vi.push(format!(
                "chưa đặt biến môi trường của tài khoản thử `{}` ({}, {})",
                s.account, s.env.0, s.env.1
            ));
            en.push(format!(
                "the test account `{}`'s variables are not set ({}, {})",
                s.account, s.env.0, s.env.1
            ));
        }
        user.zip(pass)
    });
    match (settings, creds) {
        (Some(s), Some(c)) if vi.is_empty() => Ok((s, c)),
        _ => Err(Text::new(
            format!("Kiểm tra chủ động không chạy: {}", vi.join("; ")),
            format!("active checks not run: {}", en.join("; ")),
        )),
    }
}

/// The value of cookie `name` in a response's `Set-Cookie` headers.
fn set_cookie(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers()
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next()?.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_string())
}

fn chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

struct Client<'a> {
    http: reqwest::Client,
    s: &'a ActiveSettings,
    host: Option<String>,
    requests: u32,
}

impl Client<'_> {
    fn on_portal(&self, u: &url::Url) -> Result<(), String> {
        if u.host_str().map(str::to_string) == self.host {
            Ok(())
        } else {
            Err(format!(
                "refusing to send credentials to `{u}`: not the portal's host"
            ))
        }
    }

    async fn get(
        &mut self,
        u: &url::Url,
        session: Option<&str>,
    ) -> Result<reqwest::Response, String> {
        self.requests += 1;
        let mut req = self.http.get(u.clone());
        if let Some(id) = session {
            req = req.header(COOKIE, format!("{}={id}", self.s.session_cookie));
        }
        req.send()
            .await
            .map_err(|e| format!("GET {}: {}", u.path(), chain(&e)))
    }

    /// Posts the login form; the answer and the session cookie it sets, if any.
    async fn login(
        &mut self,
        user: &str,
        password: &str,
        session: Option<&str>,
    ) -> Result<(reqwest::Response, Option<String>), String> {
        self.on_portal(&self.s.login_url)?;
        self.requests += 1;
        let mut req = self.http.post(self.s.login_url.clone()).form(&[
            (self.s.fields.0.as_str(), user),
            (self.s.fields.1.as_str(), password),
        ]);
        if let Some(id) = session {
            req = req.header(COOKIE, format!("{}={id}", self.s.session_cookie));
        }
        let resp = req
            .send()
            .await
            .map_err(|e| format!("POST {}: {}", self.s.login_url.path(), chain(&e)))?;
        let id = set_cookie(&resp, &self.s.session_cookie);
        Ok((resp, id))
    }

    async fn opens(&mut self, session: &str) -> Result<u16, String> {
        let u = self.s.protected.clone();
        Ok(self.get(&u, Some(session)).await?.status().as_u16())
    }
}

/// [`run`] as `assess` calls it: `N` from the checklists, the account from the process's
/// environment.
pub async fn from_env(scenario: &Scenario, enabled: bool, checklists: &[Checklist]) -> ActiveRun {
    let env = |k: &str| std::env::var(k).ok();
    run(scenario, enabled, max_failures(checklists), &env).await
}

/// Runs the active checks (or records why not). `env` reads the account's variables.
pub async fn run(
    scenario: &Scenario,
    enabled: bool,
    max_failures: u32,
    env: &dyn Fn(&str) -> Option<String>,
) -> ActiveRun {
    let (s, (user, password)) = match gate(scenario, enabled, &crate::clock::today(), env) {
        Ok(g) => g,
        Err(why) => {
            return ActiveRun {
                skipped: Some(why),
                ..ActiveRun::default()
            };
        }
    };
    let mut run = ActiveRun {
        login_url: s.login_url.to_string(),
        ..ActiveRun::default()
    };
    let http = crate::probe::http::trust_scenario_ca(
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(Duration::from_millis(s.timeout_ms))
            .user_agent(concat!(
                "kiemdinh/",
                env!("CARGO_PKG_VERSION"),
                " (active security checks)"
            )),
        scenario,
    )
    .and_then(|b| b.build().map_err(|e| crate::Error::Client(e.to_string())));
    let http = match http {
        Ok(h) => h,
        Err(e) => {
            run.error = Some(e.to_string());
            return run;
        }
    };
    let mut c = Client {
        http,
        s,
        host: scenario.base_url.host_str().map(str::to_string),
        requests: 0,
    };
    if let Err(e) = steps(
        &mut c,
        &mut run,
        (&user, &password),
        max_failures.clamp(1, MAX_ATTEMPTS),
    )
    .await
    {
        run.error = Some(e);
    }
    run.requests = c.requests;
    run
}

async fn steps(
    c: &mut Client<'_>,
    run: &mut ActiveRun,
    (user, password): (&str, &str),
    n: u32,
) -> Result<(), String> {
    // 1. The session before login, then after.
    let page = c.s.login_page.clone();
    let first = c.get(&page, None).await?;
    let issued = set_cookie(&first, &c.s.session_cookie);
    let before = issued.clone().unwrap_or_else(|| {
        format!(
            "kiemdinh-planted-{}",
            crate::clock::today().replace('-', "")
        )
    });
    let (resp, after) = c.login(user, password, Some(&before)).await?;
    let after = after.unwrap_or_else(|| before.clone());
    let status = c.opens(&after).await?;
    if status != 200 {
        return Err(format!(
            "the test account's login did not open the protected page (login HTTP {}, page HTTP {status})",
            resp.status().as_u16()
        ));
    }
    run.renewal = Some(Renewal {
        cookie_name: c.s.session_cookie.clone(),
        issued_before: issued.is_some(),
        renewed: after != before,
    });
    // 2. Idle: silence, then the same session again.
    if let Some((declared, margin)) = c.s.idle {
        let waited = declared + margin;
        tokio::time::sleep(Duration::from_secs(waited)).await;
        let after_wait = c.opens(&after).await?;
        run.idle = Some(Idle {
            declared_s: declared,
            waited_s: waited,
            valid_after_login: true,
            status_after_wait: after_wait,
            refused_after_wait: after_wait != 200,
        });
    }
    // 3. Lockout: at most n wrong passwords, then the right one.
    let mut lockout = Lockout::default();
    for i in 1..=n {
        let wrong = format!("kiemdinh-sai-{i}-{}", password.len());
        let (resp, _) = c.login(user, &wrong, None).await?;
        lockout.wrong_attempts = i;
        let body = crate::unicode::nfc(&resp.text().await.unwrap_or_default()).to_lowercase();
        if LOCKED_WORDS.iter().any(|w| body.contains(w)) {
            lockout.locked_message_at = Some(i);
            break;
        }
    }
    let (_, id) = c.login(user, password, None).await?;
    lockout.right_password_refused = match id {
        Some(id) => c.opens(&id).await? != 200,
        None => true,
    };
    run.lockout = Some(lockout);
    Ok(())
}

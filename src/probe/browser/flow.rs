//! Citizen journeys in the browser: each flow in a fresh session (no cookies carried over),
//! each step waiting for its element, text or address up to its timeout, a screenshot of every
//! failed step, the first failure ending the flow. Values from environment variables are typed
//! but never recorded: every recorded text and address is scrubbed of them, and fields holding
//! them are masked before a screenshot.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use serde_json::json;

use super::steps::Runner;
use super::{BrowserError, Driver, Session, SessionOptions};
use crate::observation::{FlowRun, FlowStatus, StepRun, StepStatus};
use crate::scenario::flows::Flow;

/// The test file's name.
pub const TEST_FILE: &str = "kiemdinh-tep-thu.pdf";

/// How flows run.
#[derive(Debug, Clone)]
pub struct FlowOptions {
    /// Trusted keys of the session.
    pub session: SessionOptions,
    /// Budget of one WebDriver command (a session start, a navigation).
    pub command_timeout: Duration,
    /// Tracker hosts blocked in flows (no EMC hits from kiemdinh's journeys).
    pub tracker_hosts: Vec<String>,
    /// Output directory: screenshots go to `flows/` under it.
    pub out: PathBuf,
}

/// Runs `flows` one after another; `on` sees each record as it is done. A driver that stops
/// answering ends the run: the remaining flows are recorded as `error`.
pub async fn run(
    driver: &Driver,
    flows: &[Flow],
    options: &FlowOptions,
    on: &(dyn Fn(&FlowRun) + Sync),
    replayed: &(dyn Fn(&Flow) -> Option<FlowRun> + Sync),
) -> Vec<FlowRun> {
    let mut out = Vec::new();
    let mut down: Option<String> = None;
    for (i, flow) in flows.iter().enumerate() {
        // A flow an interrupted run finished (`assess --resume`) is not run again; its
        // screenshots are already in the output directory under the same index.
        if let Some(record) = replayed(flow) {
            out.push(record);
            continue;
        }
        let record = if let Some(why) = &down {
            not_run(flow, format!("the browser stopped answering: {why}"))
        } else {
            let (record, hung) = run_one(driver, flow, i, options).await;
            if hung {
                down = record.error.clone().or(Some("timeout".into()));
            }
            record
        };
        on(&record);
        out.push(record);
    }
    out
}

/// A flow recorded without running (`error`).
pub fn not_run(flow: &Flow, why: String) -> FlowRun {
    FlowRun {
        name: flow.name.clone(),
        requirements: flow.requirements.clone(),
        origin: origin(flow),
        basis: flow.basis.clone(),
        status: FlowStatus::Error,
        steps: flow
            .steps
            .iter()
            .map(|s| StepRun {
                action: s.action.kind().into(),
                description: s.action.describe(),
                status: StepStatus::Skipped,
                message: None,
                url: None,
                elapsed_ms: 0,
                screenshot: None,
            })
            .collect(),
        visited: Vec::new(),
        elapsed_ms: 0,
        error: Some(why),
    }
}

fn origin(flow: &Flow) -> String {
    match flow.origin {
        crate::scenario::flows::FlowOrigin::Declared => "declared".into(),
        crate::scenario::flows::FlowOrigin::Default => "default".into(),
    }
}

/// Replaces every secret (and its URL-encoded forms) with `[redacted]`.
#[derive(Debug, Default, Clone)]
pub struct Redactor(Vec<String>);

impl Redactor {
    /// Redacts these values (empty ones are ignored).
    pub fn new(secrets: impl IntoIterator<Item = String>) -> Self {
        let mut forms = Vec::new();
        for s in secrets.into_iter().filter(|s| !s.is_empty()) {
            let form: String = url::form_urlencoded::byte_serialize(s.as_bytes()).collect();
            let path = form.replace('+', "%20");
            for f in [s, form, path] {
                if !forms.contains(&f) {
                    forms.push(f);
                }
            }
        }
        // Longest first, so a secret containing another is replaced whole.
        forms.sort_by_key(|f| std::cmp::Reverse(f.len()));
        Self(forms)
    }

    /// `text` with every secret replaced.
    pub fn scrub(&self, text: &str) -> String {
        let mut out = text.to_string();
        for s in &self.0 {
            out = out.replace(s.as_str(), "[redacted]");
        }
        out
    }
}

async fn run_one(
    driver: &Driver,
    flow: &Flow,
    index: usize,
    options: &FlowOptions,
) -> (FlowRun, bool) {
    let started = Instant::now();
    let mut secrets = Vec::new();
    for var in flow.secret_vars() {
        match std::env::var(&var) {
            Ok(v) if !v.is_empty() => secrets.push(v),
            _ => {
                return (
                    not_run(
                        flow,
                        format!(
                            "the environment variable `{var}` (a secret this flow types) is not set"
                        ),
                    ),
                    false,
                );
            }
        }
    }
    let redactor = Redactor::new(secrets);
    let session = match open(driver, options).await {
        Ok(s) => s,
        Err(e) => {
            let hung = e.driver_down();
            return (not_run(flow, e.chain()), hung);
        }
    };
    let runner = Runner {
        session: &session,
        options,
        redactor: &redactor,
        prefix: format!("{:02}-{}", index + 1, slug(&flow.name)),
    };
    let mut record = not_run(flow, String::new());
    record.error = None;
    record.status = FlowStatus::Passed;
    let mut hung = false;
    for (k, step) in flow.steps.iter().enumerate() {
        let began = Instant::now();
        let result = runner
            .step(&step.action, Duration::from_millis(step.timeout_ms))
            .await;
        let url = runner.url().await;
        let rec = &mut record.steps[k];
        rec.elapsed_ms = began.elapsed().as_millis() as u64;
        rec.url.clone_from(&url);
        if let Some(u) = url
            && record.visited.last() != Some(&u)
        {
            record.visited.push(u);
        }
        match result {
            Ok(found) => {
                rec.status = StepStatus::Passed;
                rec.message = found.message.map(|m| redactor.scrub(&m));
                rec.screenshot = found.screenshot;
            }
            Err(failure) => {
                rec.status = StepStatus::Failed;
                rec.message = Some(redactor.scrub(&failure.message));
                rec.screenshot = runner.screenshot(&format!("buoc-{}-loi", k + 1)).await.ok();
                record.status = if failure.browser {
                    FlowStatus::Error
                } else {
                    FlowStatus::Failed
                };
                hung = failure.hung;
                break;
            }
        }
    }
    let _ = session.close().await;
    record.elapsed_ms = started.elapsed().as_millis() as u64;
    (record, hung)
}

async fn open(driver: &Driver, options: &FlowOptions) -> Result<Session, BrowserError> {
    let session = Session::start_with(driver, &options.session, options.command_timeout).await?;
    let prepare = async {
        session
            .cdp(
                "Emulation.setDeviceMetricsOverride",
                json!({ "width": 1350, "height": 940, "deviceScaleFactor": 1, "mobile": false }),
            )
            .await?;
        session.cdp("Network.enable", json!({})).await?;
        session
            .cdp(
                "Network.setBlockedURLs",
                json!({ "urls": super::tracker::blocked_patterns(&options.tracker_hosts) }),
            )
            .await
    };
    if let Err(e) = prepare.await {
        let _ = session.close().await;
        return Err(e);
    }
    Ok(session)
}

/// A file-name-safe ASCII slug (Vietnamese letters lose their marks).
pub fn slug(s: &str) -> String {
    let folded = crate::unicode::fold(s);
    let mut out = String::new();
    for c in folded.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out = out.trim_matches('-');
    out.chars()
        .take(40)
        .collect::<String>()
        .trim_end_matches('-')
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_are_redacted_in_every_encoding() {
        let r = Redactor::new(["mật khẩu&1".to_string(), String::new()]);
        let url = "https://x/?q=m%E1%BA%ADt+kh%E1%BA%A9u%261&p=m%E1%BA%ADt%20kh%E1%BA%A9u%261";
        assert_eq!(r.scrub(url), "https://x/?q=[redacted]&p=[redacted]");
        assert_eq!(r.scrub("say mật khẩu&1!"), "say [redacted]!");
        assert_eq!(Redactor::default().scrub("abc"), "abc");
    }

    #[test]
    fn slugs_are_ascii() {
        assert_eq!(
            slug("Nộp hồ sơ: kiểm tra dữ liệu"),
            "nop-ho-so-kiem-tra-du-lieu"
        );
        assert_eq!(slug("Đăng nhập"), "dang-nhap");
    }
}

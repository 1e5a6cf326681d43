//! PL6-2, PL6-3 (Phụ lục VI) from the pages the browser rendered: what each page pushed to the
//! EMC tracker queue after load and what it tried to send (the browser blocks the tracker
//! hosts, so nothing reaches the real tracker). Also the shared walk over rendered pages used
//! by the mobile and layout judges: a page whose render failed is undetermined (`error`),
//! never a confident `fail`.

use super::functions::{no_glob, service_matcher};
use super::{Outcome, list, short};
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::{Observations, Page, Rendered, TrackerFacts};
use crate::text::Text;
use crate::tr;

/// Pages named at most in a list of `observed`.
const NAMED: usize = 5;

/// The site's HTML pages as the browser rendered them.
pub(super) struct RenderedPages<'a> {
    /// Pages rendered without error.
    pub ok: Vec<(&'a Page, &'a Rendered)>,
    /// Pages whose render failed: short URL and why.
    pub failed: Vec<String>,
    /// Pages of the selection the browser did not render (over the bound).
    pub not_rendered: usize,
}

impl RenderedPages<'_> {
    /// Whether no page of the selection was rendered.
    pub fn is_empty(&self) -> bool {
        self.ok.is_empty()
    }

    /// The `error` outcome when no page was rendered, saying why.
    pub fn none(&self, expected: Text) -> Outcome {
        let why = if self.failed.is_empty() {
            tr!(
                "Không có trang nào được hiển thị trên trình duyệt ({} trang không được hiển thị)",
                "no page was rendered in the browser ({} pages not rendered)",
                self.not_rendered
            )
        } else {
            tr!(
                "Không hiển thị được trang nào trên trình duyệt: {}",
                "no page could be rendered in the browser: {}",
                list(&self.failed, 3)
            )
        };
        Outcome::error(expected, why)
    }
}

/// A rendered page with its tracker record and the commands its queue held.
pub(super) struct Queued<'a> {
    /// Short URL.
    pub page: String,
    /// The page.
    pub p: &'a Page,
    /// As rendered.
    pub r: &'a Rendered,
    /// Its tracker record.
    pub tracker: &'a TrackerFacts,
    /// The queue's commands.
    pub commands: Vec<&'a [serde_json::Value]>,
}

impl<'a> RenderedPages<'a> {
    /// Each rendered page's tracker commands; pages without a usable record go to the
    /// undetermined list (with the render failures) instead.
    pub fn queued(&self, queue: &str, obs: &Observations) -> (Vec<Queued<'a>>, Vec<String>) {
        let mut out = Vec::new();
        let mut undetermined = self.failed.clone();
        for (p, r) in &self.ok {
            let page = short(&p.url, obs);
            let Some(t) = &r.tracker else {
                undetermined.push(format!("{page} (tracker requests not recorded)"));
                continue;
            };
            match commands(t, queue) {
                Ok(commands) => out.push(Queued {
                    page,
                    p,
                    r,
                    tracker: t,
                    commands,
                }),
                Err(why) => undetermined.push(format!("{page} ({why})")),
            }
        }
        (out, undetermined)
    }
}

/// The site's HTML pages (those `keep` selects) with their rendered state.
pub(super) fn rendered_pages<'a>(
    obs: &'a Observations,
    keep: &dyn Fn(&Page) -> bool,
) -> RenderedPages<'a> {
    let mut out = RenderedPages {
        ok: Vec::new(),
        failed: Vec::new(),
        not_rendered: 0,
    };
    for (p, _) in obs.http_html_pages().filter(|(p, _)| keep(p)) {
        match obs.rendered(p) {
            Some(r) => match &r.error {
                Some(e) => out.failed.push(format!("{} ({e})", short(&p.url, obs))),
                None => out.ok.push((p, r)),
            },
            None => out.not_rendered += 1,
        }
    }
    out
}

/// A link to a page's screenshot (desktop or mobile), when the probe saved one.
pub(super) fn screenshot(
    page: &Page,
    r: &Rendered,
    mobile: bool,
    obs: &Observations,
) -> Option<EvidenceRef> {
    let view = if mobile {
        r.mobile.as_ref()
    } else {
        r.desktop.as_ref()
    }?;
    // Only a plain path inside the output directory becomes a link.
    let file = view.screenshot.clone().filter(|f| {
        !f.is_empty()
            && !f.contains(':')
            && !f.starts_with(['/', '\\'])
            && !f.split(['/', '\\']).any(|s| s == "..")
    })?;
    let which = if mobile { "mobile" } else { "desktop" };
    Some(EvidenceRef {
        label: format!("{} ({which})", short(&page.url, obs)),
        url: None,
        file: Some(file),
        sha256: None,
    })
}

/// The commands of the queue named `queue`, each as its arguments' JSON values; `Err` with
/// why when the probe did not record that queue.
fn commands<'a>(t: &'a TrackerFacts, queue: &str) -> Result<Vec<&'a [serde_json::Value]>, String> {
    if t.queue_name != queue {
        return Err(format!(
            "the probe recorded `{}`, the check reads `{queue}`",
            t.queue_name
        ));
    }
    Ok(t.queue
        .iter()
        .flatten()
        .filter_map(|c| c.as_array().map(Vec::as_slice))
        .collect())
}

fn is(cmd: &[serde_json::Value], name: &str) -> bool {
    cmd.first().and_then(|v| v.as_str()) == Some(name)
}

/// The outcome from pages that fail, pages undetermined, and pages that pass.
pub(super) fn decide(
    expected: Text,
    observed: Text,
    failing: &[String],
    undetermined: &[String],
    pass: Text,
    fail: Text,
) -> Outcome {
    if !failing.is_empty() {
        Outcome::fail(expected, observed, fail)
    } else if !undetermined.is_empty() {
        Outcome::new(
            Status::Error,
            expected,
            observed,
            tr!(
                "Không xác định được trên: {}",
                "undetermined on: {}",
                list(undetermined, NAMED)
            ),
        )
    } else {
        Outcome::pass(expected, observed, pass)
    }
}

/// PL6-2: on every rendered page the tracker queue holds `command` after load, and the page
/// made at least one request to a tracker host that the browser blocked (it tried to send).
pub fn emc_page_view(queue: &str, command: &str, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Mọi trang hiển thị có lệnh `{command}` trong `{queue}` sau khi tải và gửi yêu cầu tới máy chủ theo dõi (bị chặn, chỉ ghi nhận)"
        ),
        format!(
            "every rendered page has `{command}` in `{queue}` after load and sends a request to the tracker (blocked, recorded)"
        ),
    );
    let pages = rendered_pages(obs, &|_| true);
    if pages.is_empty() {
        return pages.none(expected);
    }
    let (mut no_command, mut not_sent) = (Vec::new(), Vec::new());
    let (queued, mut undetermined) = pages.queued(queue, obs);
    let mut evidence = Vec::new();
    for Queued {
        page,
        p,
        r,
        tracker: t,
        commands: cmds,
    } in &queued
    {
        let (p, r) = (*p, *r);
        let mut bad = false;
        if !cmds.iter().any(|c| is(c, command)) {
            no_command.push(page.clone());
            bad = true;
        }
        if !t.requests.iter().any(|q| q.blocked) {
            if let Some(e) = &t.error {
                undetermined.push(format!("{page} ({e})"));
            } else {
                not_sent.push(page.clone());
                bad = true;
            }
        }
        if bad && evidence.len() < NAMED {
            evidence.extend(screenshot(p, r, false, obs));
            evidence.push(EvidenceRef::url(page, &p.url));
        }
    }
    if evidence.is_empty()
        && let Some((p, r)) = pages.ok.first()
    {
        evidence.extend(screenshot(p, r, false, obs));
    }
    let ok = pages.ok.len();
    let observed = Text::new(
        format!(
            "{ok} trang hiển thị: {} thiếu `{command}`{}, {} không gửi yêu cầu nào tới máy chủ theo dõi{}; {} trang lỗi hiển thị, {} trang không hiển thị",
            no_command.len(),
            names(&no_command),
            not_sent.len(),
            names(&not_sent),
            pages.failed.len(),
            pages.not_rendered
        ),
        format!(
            "{ok} rendered pages: {} without `{command}`{}, {} sent no request to the tracker{}; {} failed to render, {} not rendered",
            no_command.len(),
            names(&no_command),
            not_sent.len(),
            names(&not_sent),
            pages.failed.len(),
            pages.not_rendered
        ),
    );
    let failing: Vec<String> = no_command.iter().chain(&not_sent).cloned().collect();
    decide(
        expected,
        observed,
        &failing,
        &undetermined,
        tr!(
            "Mọi trang hiển thị đều gửi lượt xem",
            "every rendered page sends its page view"
        ),
        tr!(
            "Trang không gửi lượt xem: {}",
            "pages that send no page view: {}",
            list(&failing, NAMED)
        ),
    )
    .with_evidence(evidence)
}

fn names(pages: &[String]) -> String {
    if pages.is_empty() {
        String::new()
    } else {
        format!(" ({})", list(pages, NAMED))
    }
}

/// PL6-3: on every rendered procedure page (the scenario's `service-pages`) the tracker queue
/// holds `command` with a non-empty service code as its first argument.
pub fn emc_service_event(queue: &str, command: &str, obs: &Observations) -> Outcome {
    let expected = Text::new(
        format!(
            "Mọi trang thủ tục hiển thị có lệnh `{command}` với mã dịch vụ không rỗng trong `{queue}`"
        ),
        format!(
            "every rendered procedure page has `{command}` with a non-empty service code in `{queue}`"
        ),
    );
    let Some(is_service) = service_matcher(obs) else {
        return no_glob(expected);
    };
    let pages = rendered_pages(obs, &|p| is_service(&p.url));
    if pages.is_empty() {
        let mut out = pages.none(expected);
        out.message = Text::new(
            format!(
                "Không có trang thủ tục nào được hiển thị: {}",
                out.message.vi
            ),
            format!("no procedure page was rendered: {}", out.message.en),
        );
        return out;
    }
    let (mut no_event, mut no_code, mut codes) = (Vec::new(), Vec::new(), Vec::new());
    let (queued, undetermined) = pages.queued(queue, obs);
    let mut evidence = Vec::new();
    for Queued {
        page,
        p,
        r,
        commands: cmds,
        ..
    } in &queued
    {
        let (p, r) = (*p, *r);
        let events: Vec<_> = cmds.iter().filter(|c| is(c, command)).collect();
        let code = events.iter().find_map(|c| match c.get(1) {
            Some(serde_json::Value::String(s)) if !s.trim().is_empty() => {
                Some(s.trim().to_string())
            }
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        });
        let bad = match (events.is_empty(), code) {
            (true, _) => {
                no_event.push(page.clone());
                true
            }
            (false, None) => {
                no_code.push(page.clone());
                true
            }
            (false, Some(c)) => {
                codes.push(format!("{page} {c}"));
                false
            }
        };
        if bad && evidence.len() < NAMED {
            evidence.extend(screenshot(p, r, false, obs));
            evidence.push(EvidenceRef::url(page, &p.url));
        }
    }
    let observed = Text::new(
        format!(
            "{} trang thủ tục hiển thị: có mã {}{}; thiếu `{command}` {}{}; mã rỗng {}{}",
            pages.ok.len(),
            codes.len(),
            names(&codes),
            no_event.len(),
            names(&no_event),
            no_code.len(),
            names(&no_code)
        ),
        format!(
            "{} rendered procedure pages: with a code {}{}; without `{command}` {}{}; empty code {}{}",
            pages.ok.len(),
            codes.len(),
            names(&codes),
            no_event.len(),
            names(&no_event),
            no_code.len(),
            names(&no_code)
        ),
    );
    let failing: Vec<String> = no_event.iter().chain(&no_code).cloned().collect();
    decide(
        expected,
        observed,
        &failing,
        &undetermined,
        tr!(
            "Mọi trang thủ tục hiển thị gửi `{command}` có mã dịch vụ",
            "every rendered procedure page sends `{command}` with a service code"
        ),
        tr!(
            "Trang thủ tục không gửi `{command}` có mã dịch vụ: {}",
            "procedure pages without `{command}` and a service code: {}",
            list(&failing, NAMED)
        ),
    )
    .with_evidence(evidence)
}

#[cfg(test)]
mod tests;

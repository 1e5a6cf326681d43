//! PL1-1, PL1-3.x, PL1-4, PL1-5, PL1-5.1, PL1-7, PL1-9: what the citizen journeys did, and
//! PL1-12: the pages in other browsers.

use url::Url;

use super::{Outcome, host_in};
use crate::checklist::check::Reach;
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::{FlowRun, FlowStatus, Observations, StepStatus};
use crate::text::Text;
use crate::tr;

/// Whether some journey serves `id`.
pub fn serves(id: &str, obs: &Observations) -> bool {
    obs.flows
        .iter()
        .any(|f| f.requirements.iter().any(|r| r == id))
}

/// PL1-1, PL1-3.x, PL1-4, PL1-5, PL1-7, PL1-9: every journey serving `id` completed, did the
/// `steps` demanded and arrived where `reach` says over HTTPS.
pub fn flow(
    id: &str,
    steps: &[String],
    reach: Option<Reach>,
    hosts: &[String],
    obs: &Observations,
) -> Outcome {
    let mut allowed = hosts.to_vec();
    match reach {
        Some(Reach::IdentityProvider) => allowed.extend(obs.sso_idp_hosts.iter().cloned()),
        Some(Reach::Payment) => allowed.extend(obs.payment_hosts.iter().cloned()),
        None => {}
    }
    let expected = expected(steps, reach, &allowed);
    let serving: Vec<&FlowRun> = obs
        .flows
        .iter()
        .filter(|f| f.requirements.iter().any(|r| r == id))
        .collect();
    if serving.is_empty() {
        let why = obs
            .flows_not_built
            .iter()
            .find(|(r, _)| r == id)
            .map(|(_, w)| format!(" ({w})"))
            .unwrap_or_default();
        return Outcome::new(
            Status::Pending,
            expected,
            Text::new("(không có hành trình)", "(no journey)"),
            tr!(
                "Chưa có hành trình nào phục vụ {id}{why}: khai báo `[[flows]]` với requirements = [\"{id}\"]",
                "no journey serves {id}{why}: declare a `[[flows]]` entry with requirements = [\"{id}\"]"
            ),
        );
    }
    let mut outcomes: Vec<Outcome> = serving
        .iter()
        .map(|f| one(f, steps, reach, &allowed, &expected))
        .collect();
    let worst = [Status::Fail, Status::Error]
        .into_iter()
        .find_map(|s| outcomes.iter().position(|o| o.status == s));
    let evidence: Vec<EvidenceRef> = serving.iter().flat_map(|f| evidence(f)).collect();
    let mut out = if let Some(i) = worst {
        outcomes.swap_remove(i)
    } else {
        let names: Vec<String> = serving.iter().map(|f| format!("«{}»", f.name)).collect();
        Outcome::pass(
            expected,
            Text::same(names.join(", ")),
            tr!(
                "Hành trình hoàn tất: {}",
                "journey completed: {}",
                names.join(", ")
            ),
        )
    };
    out.evidence = evidence;
    out
}

fn expected(steps: &[String], reach: Option<Reach>, allowed: &[String]) -> Text {
    let (svi, sen) = if steps.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(", có bước {}", steps.join(", ")),
            format!(", including {}", steps.join(", ")),
        )
    };
    let hosts = allowed.join(", ");
    let (rvi, ren) = match reach {
        Some(Reach::IdentityProvider) => (
            format!(" và tới nhà cung cấp định danh qua HTTPS ({hosts})"),
            format!(" and reaches the identity provider over HTTPS ({hosts})"),
        ),
        Some(Reach::Payment) => (
            format!(" và tới nền tảng thanh toán qua HTTPS ({hosts}), không thanh toán thật"),
            format!(" and reaches the payment platform over HTTPS ({hosts}), never paying"),
        ),
        None => (String::new(), String::new()),
    };
    Text::new(
        format!("Hành trình trên trình duyệt hoàn tất từng bước{svi}{rvi}"),
        format!("a browser journey completes every step{sen}{ren}"),
    )
}

fn one(
    f: &FlowRun,
    steps: &[String],
    reach: Option<Reach>,
    allowed: &[String],
    expected: &Text,
) -> Outcome {
    let name = &f.name;
    match f.status {
        FlowStatus::Error => {
            let why = f.error.clone().unwrap_or_default();
            return Outcome::error(
                expected.clone(),
                tr!(
                    "Không chạy được hành trình «{name}»: {why}",
                    "journey «{name}» could not run: {why}"
                ),
            );
        }
        FlowStatus::Failed => {
            let (k, s) = f
                .steps
                .iter()
                .enumerate()
                .find(|(_, s)| s.status == StepStatus::Failed)
                .map_or((0, None), |(k, s)| (k + 1, Some(s)));
            let what = s.map_or_else(String::new, |s| s.description.clone());
            let why = s.and_then(|s| s.message.clone()).unwrap_or_default();
            return Outcome::fail(
                expected.clone(),
                tr!(
                    "«{name}» dừng ở bước {k} ({what}): {why}",
                    "«{name}» stopped at step {k} ({what}): {why}"
                ),
                tr!(
                    "Hành trình «{name}» không hoàn tất: bước {k} không đạt",
                    "journey «{name}» did not complete: step {k} failed"
                ),
            );
        }
        FlowStatus::Passed => {}
    }
    let done: Vec<&str> = f
        .steps
        .iter()
        .filter(|s| s.status == StepStatus::Passed)
        .map(|s| s.action.as_str())
        .collect();
    let lacking: Vec<&String> = steps
        .iter()
        .filter(|k| !done.contains(&k.as_str()))
        .collect();
    if !lacking.is_empty() {
        let l = lacking
            .iter()
            .map(|k| format!("`{k}`"))
            .collect::<Vec<_>>()
            .join(", ");
        return Outcome::error(
            expected.clone(),
            tr!(
                "Hành trình «{name}» thiếu bước {l}: không đủ để đánh giá",
                "journey «{name}» has no {l} step: not enough to judge"
            ),
        );
    }
    let Some(reach) = reach else {
        return Outcome::pass(
            expected.clone(),
            Text::same(format!("«{name}»")),
            tr!("«{name}» hoàn tất", "«{name}» completed"),
        );
    };
    let urls: Vec<Url> = f
        .visited
        .iter()
        .filter_map(|u| Url::parse(u).ok())
        .collect();
    let on_allowed: Vec<&Url> = urls
        .iter()
        .filter(|u| u.host_str().is_some_and(|h| host_in(h, allowed)))
        .collect();
    let (pvi, pen) = match reach {
        Reach::IdentityProvider => ("nhà cung cấp định danh", "the identity provider"),
        Reach::Payment => ("nền tảng thanh toán", "the payment platform"),
    };
    if let Some(plain) = on_allowed.iter().find(|u| u.scheme() != "https") {
        return Outcome::fail(
            expected.clone(),
            Text::same(plain.to_string()),
            tr!(
                "«{name}» tới {pvi} qua HTTP không mã hóa",
                "«{name}» reached {pen} over plain HTTP"
            ),
        );
    }
    if let Some(u) = on_allowed.first() {
        let host = u.host_str().unwrap_or_default();
        let back = urls
            .iter()
            .skip_while(|v| v != u)
            .skip(1)
            .any(|v| !v.host_str().is_some_and(|h| host_in(h, allowed)));
        let tail_vi = if back {
            ", rồi trở về cổng"
        } else {
            ""
        };
        let tail_en = if back {
            ", then came back to the portal"
        } else {
            ""
        };
        return Outcome::pass(
            expected.clone(),
            Text::same(u.to_string()),
            tr!(
                "«{name}» tới {pvi} qua HTTPS: {host}{tail_vi}",
                "«{name}» reached {pen} over HTTPS: {host}{tail_en}"
            ),
        );
    }
    let seen: Vec<String> = urls
        .iter()
        .filter_map(|u| u.host_str().map(String::from))
        .fold(Vec::new(), |mut v, h| {
            if !v.contains(&h) {
                v.push(h);
            }
            v
        });
    let saw = seen.join(", ");
    Outcome::fail(
        expected.clone(),
        Text::same(saw.clone()),
        tr!(
            "«{name}» không tới {pvi} được phép (chỉ thấy {saw})",
            "«{name}» never reached an allow-listed {pen} (saw only {saw})"
        ),
    )
}

/// The journey's screenshots (a plain path inside the output directory only).
fn evidence(f: &FlowRun) -> Vec<EvidenceRef> {
    f.steps
        .iter()
        .enumerate()
        .filter_map(|(k, s)| {
            let file = s.screenshot.clone().filter(|p| {
                !p.is_empty()
                    && !p.contains(':')
                    && !p.starts_with(['/', '\\'])
                    && !p.split(['/', '\\']).any(|x| x == "..")
            })?;
            Some(EvidenceRef {
                label: format!("«{}» bước/step {}: {}", f.name, k + 1, s.description),
                url: None,
                file: Some(file),
                sha256: None,
            })
        })
        .collect()
}

/// PL1-12: the smoke pages in each other browser: a title and at least `min_chars` visible
/// characters, no error. No other browser installed: `skipped` with the reason.
pub fn other_browsers(min_chars: u64, obs: &Observations) -> Outcome {
    let expected = tr!(
        "Các trang mẫu hiển thị đúng trong Chromium và Firefox (tiêu đề, ít nhất {min_chars} ký tự nội dung)",
        "the sampled pages display in Chromium and Firefox (a title, at least {min_chars} characters of text)"
    );
    if obs.other_browsers.is_empty() {
        return Outcome::error(
            expected,
            Text::new(
                "Không có kết quả kiểm tra trên trình duyệt khác",
                "no other-browser check was recorded",
            ),
        );
    }
    let mut bad = Vec::new();
    let mut ran = Vec::new();
    let mut not_run = Vec::new();
    for b in &obs.other_browsers {
        if let Some(why) = &b.not_run {
            not_run.push(format!("{}: {why}", b.browser));
            continue;
        }
        ran.push(
            format!("{} {}", b.browser, b.version.clone().unwrap_or_default())
                .trim()
                .to_string(),
        );
        for p in &b.pages {
            let problem = match (&p.error, &p.title) {
                (Some(e), _) => Some(e.clone()),
                (None, None) => Some("no title".into()),
                (None, Some(_)) if p.text_chars < min_chars => {
                    Some(format!("{} characters of text", p.text_chars))
                }
                _ => None,
            };
            if let Some(pr) = problem {
                bad.push(format!("{} in {}: {pr}", p.url, b.browser));
            }
        }
    }
    if ran.is_empty() {
        return Outcome::new(
            Status::Skipped,
            expected,
            Text::same(not_run.join("; ")),
            tr!(
                "Chỉ kiểm tra được trên Chromium; trình duyệt khác chưa cài: {}",
                "checked in Chromium only; no other browser available: {}",
                not_run.join("; ")
            ),
        );
    }
    Outcome::either(
        bad.is_empty(),
        expected,
        Text::same(if bad.is_empty() {
            ran.join(", ")
        } else {
            bad.join("; ")
        }),
        tr!(
            "Hiển thị đúng trong Chromium và {}",
            "displays in Chromium and {}",
            ran.join(", ")
        ),
        tr!(
            "Có trang lỗi trên trình duyệt khác: {}",
            "pages broken in another browser: {}",
            bad.join("; ")
        ),
    )
}

#[cfg(test)]
mod tests;

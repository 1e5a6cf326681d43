//! The vendor's action list: what to fix, in the order it matters — failed mandatory
//! requirements first, then other failures, then checks that ended in error — each with what
//! was expected, what was seen, the evidence and what to change.

use serde::Serialize;

use crate::evaluation::{Evaluation, EvidenceRef, Judged, Status};
use crate::text::{Lang, Text};

/// Why an item is on the list, in list order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Priority {
    /// A mandatory requirement failed: the portal is non-conformant until it is fixed.
    MandatoryFail,
    /// A requirement that is not mandatory failed: it costs score.
    Fail,
    /// The check could not be completed: nothing is known until it runs.
    Error,
}

/// One thing for the vendor to do.
#[derive(Debug, Clone, Serialize)]
pub struct ActionView {
    /// 1-based position in the list.
    pub n: usize,
    /// Priority id (`mandatory-fail`, `fail`, `error`).
    pub priority: Priority,
    /// Priority label.
    pub priority_label: String,
    /// Requirement id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Title.
    pub title: String,
    /// Legal basis.
    pub basis: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Status id.
    pub status: String,
    /// Status label.
    pub status_label: String,
    /// What was expected.
    pub expected: String,
    /// What was seen.
    pub observed: String,
    /// The verdict's message.
    pub message: String,
    /// Evidence links.
    pub evidence: Vec<EvidenceRef>,
    /// What to fix: the checklist's remedy, or the generic text.
    pub remedy: String,
    /// Whether `remedy` is the generic text (the checklist gives none).
    pub generic: bool,
    /// For an error: what to do so that the check can run.
    pub unblock: String,
    /// The failure rests on a placeholder threshold (the evaluator reviews it).
    pub placeholder_fail: bool,
    /// The requirement's provenance footnote, when its wording or a threshold is uncertain.
    pub footnote: Option<usize>,
}

fn priority(r: &Judged) -> Option<Priority> {
    match r.verdict.status {
        Status::Fail if r.mandatory => Some(Priority::MandatoryFail),
        Status::Fail => Some(Priority::Fail),
        Status::Error => Some(Priority::Error),
        _ => None,
    }
}

impl Priority {
    fn label(self) -> Text {
        match self {
            Priority::MandatoryFail => Text::new("Bắt buộc — không đạt", "Mandatory — failed"),
            Priority::Fail => Text::new("Không đạt", "Failed"),
            Priority::Error => Text::new("Chưa kiểm tra được", "Could not be checked"),
        }
    }
}

/// The text shown when the checklist gives no remedy.
pub fn generic_remedy(expected: &str) -> Text {
    Text::new(
        format!(
            "Sửa hệ thống để đáp ứng điều được yêu cầu ({expected}), rồi đánh giá lại; xem căn cứ \
             pháp lý của tiêu chí để biết đầy đủ yêu cầu."
        ),
        format!(
            "Change the system so that it meets what is expected ({expected}), then assess \
             again; the requirement's legal basis gives the full text."
        ),
    )
}

/// What to do about a check that ended in error.
fn unblock(message: &str) -> Text {
    Text::new(
        format!(
            "Kiểm tra không hoàn thành ({message}). Khắc phục nguyên nhân — trang không truy cập \
             được, máy chủ trả lỗi, hoặc kịch bản thiếu cấu hình — rồi đánh giá lại; chưa có kết \
             luận cho tiêu chí này."
        ),
        format!(
            "The check did not complete ({message}). Remove the cause — a page that cannot be \
             reached, a server error, or a setting the scenario lacks — and assess again; there \
             is no conclusion on this requirement yet."
        ),
    )
}

/// Builds the action list (empty when nothing failed or errored).
pub fn build(e: &Evaluation, lang: Lang) -> Vec<ActionView> {
    let (_, footnotes) = super::notes::build(e, lang);
    let mut items: Vec<(Priority, usize, &Judged)> = e
        .requirements
        .iter()
        .enumerate()
        .filter_map(|(i, r)| priority(r).map(|p| (p, i, r)))
        .collect();
    items.sort_by_key(|(p, i, _)| (*p, *i));
    items
        .into_iter()
        .enumerate()
        .map(|(n, (p, i, r))| {
            let expected = r.verdict.expected.get(lang).to_string();
            let message = r.verdict.message.get(lang).to_string();
            let (remedy, generic) = match &r.remedy {
                Some(t) => (t.get(lang).to_string(), false),
                None => (generic_remedy(&expected).get(lang).to_string(), true),
            };
            ActionView {
                n: n + 1,
                priority: p,
                priority_label: p.label().get(lang).to_string(),
                id: r.verdict.id.to_string(),
                checklist: r.checklist.clone(),
                title: r.title.get(lang).to_string(),
                basis: r.basis.clone(),
                mandatory: r.mandatory,
                status: r.verdict.status.as_str().to_string(),
                status_label: r.verdict.status.label().get(lang).to_string(),
                observed: r.verdict.observed.get(lang).to_string(),
                unblock: if p == Priority::Error {
                    unblock(&message).get(lang).to_string()
                } else {
                    String::new()
                },
                message,
                expected,
                evidence: r.verdict.evidence.clone(),
                remedy,
                generic,
                placeholder_fail: r.fails_on_placeholder(),
                footnote: footnotes.get(i).copied().flatten(),
            }
        })
        .collect()
}

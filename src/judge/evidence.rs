//! Evidence and attestation items: `pending` until the evaluator supplies a file or the owner a
//! statement, then `attested`.

use super::Outcome;
use crate::checklist::{Check, Requirement};
use crate::evaluation::{EvidenceRef, Status};
use crate::observation::Observations;
use crate::text::Text;

/// The `attested` outcome when evidence or an attestation was supplied for the requirement.
pub(crate) fn supplied(req: &Requirement, expected: &Text, obs: &Observations) -> Option<Outcome> {
    let id = req.id.as_str();
    let files: Vec<_> = obs
        .evidence
        .iter()
        .filter(|e| e.requirement == id)
        .collect();
    let statements: Vec<_> = obs
        .attestations
        .iter()
        .filter(|a| a.requirement == id)
        .collect();
    if files.is_empty() && statements.is_empty() {
        return None;
    }
    let mut observed = Vec::new();
    let mut evidence = Vec::new();
    for f in &files {
        observed.push(Text::same(format!(
            "{} ({} B, SHA-256 {}…)",
            f.original,
            f.bytes,
            &f.sha256[..12.min(f.sha256.len())]
        )));
        evidence.push(EvidenceRef {
            label: f.original.clone(),
            url: None,
            file: Some(f.stored_as.clone()),
            sha256: Some(f.sha256.clone()),
        });
    }
    for a in &statements {
        observed.push(Text::same(format!(
            "\u{201c}{}\u{201d} — {}, {}",
            a.statement, a.by, a.date
        )));
    }
    Some(
        Outcome::new(
            Status::Attested,
            expected.clone(),
            Text::join(&observed, "; "),
            Text::new("Đã có minh chứng", "Evidence supplied"),
        )
        .with_evidence(evidence),
    )
}

/// Evidence and attestation items: `pending` until supplied, then `attested`.
pub(super) fn manual(
    req: &Requirement,
    check: &Check,
    description: &Text,
    obs: &Observations,
) -> Outcome {
    let expected = if matches!(check, Check::Evidence { .. }) {
        Text::new(
            format!("Minh chứng (tệp): {}", description.vi),
            format!("Evidence file: {}", description.en),
        )
    } else {
        Text::new(
            format!("Xác nhận của chủ quản hệ thống: {}", description.vi),
            format!("Owner's attestation: {}", description.en),
        )
    };
    // Either kind is satisfied by a file or a statement; the report shows which.
    supplied(req, &expected, obs).unwrap_or_else(|| {
        Outcome::new(
            Status::Pending,
            expected,
            Text::new("Chưa cung cấp", "Not supplied"),
            Text::new(
                "Chờ đơn vị cung cấp minh chứng",
                "Awaiting evidence from the evaluator",
            ),
        )
    })
}

//! Provenance footnotes: every requirement whose wording or threshold is inferred or a
//! placeholder (the † of earlier reports) gets a numbered note saying which part is uncertain
//! and what that provenance means.

use serde::Serialize;

use crate::checklist::Provenance;
use crate::evaluation::Evaluation;
use crate::text::{Lang, Text};

/// One footnote.
#[derive(Debug, Clone, Serialize)]
pub struct FootnoteView {
    /// Its number (1-based, in report order).
    pub n: usize,
    /// The requirement it belongs to.
    pub id: String,
    /// What is uncertain, one entry per part (`wording: inferred — …`, `max-ms = 2500: …`).
    pub parts: Vec<String>,
}

/// A threshold whose number is inferred or a placeholder (the methodology lists them all).
#[derive(Debug, Clone, Serialize)]
pub struct UncertainThreshold {
    /// Requirement id.
    pub id: String,
    /// Key.
    pub key: String,
    /// Value in force.
    pub value: String,
    /// Provenance in the report's language.
    pub provenance: String,
    /// Its requirement's footnote.
    pub footnote: usize,
}

/// The footnotes and the uncertain thresholds.
#[derive(Debug, Clone, Serialize)]
pub struct Notes {
    /// Footnotes, numbered in report order.
    pub list: Vec<FootnoteView>,
    /// Every inferred or placeholder threshold applied.
    pub thresholds: Vec<UncertainThreshold>,
}

/// What a provenance means, for the footnote.
pub fn meaning(p: Provenance) -> Text {
    match p {
        Provenance::Inferred => Text::new(
            "suy luận — dựng lại từ văn bản trước đó hoặc thực tiễn mua sắm vì phụ lục của văn bản \
             chưa được công bố; cần đối chiếu khi có văn bản chính thức",
            "inferred — rebuilt from a predecessor text or procurement practice because the \
             text's appendix is not public; check it against the official text when available",
        ),
        Provenance::Placeholder => Text::new(
            "giá trị tạm — không văn bản nào quy định con số này; kiemdinh dùng một giá trị hợp lý \
             mà đơn vị đánh giá cần xem xét (có thể thay bằng [overrides] hoặc --set)",
            "placeholder — no legal text gives this number; kiemdinh uses a sensible default the \
             evaluator should review (change it with [overrides] or --set)",
        ),
        other => other.label(),
    }
}

/// The footnotes, and for each requirement (in evaluation order) its footnote number.
pub fn build(e: &Evaluation, lang: Lang) -> (Notes, Vec<Option<usize>>) {
    let mut notes = Vec::new();
    let mut thresholds = Vec::new();
    let numbers = e
        .requirements
        .iter()
        .map(|r| {
            if !r.is_uncertain() {
                return None;
            }
            let mut parts = Vec::new();
            if r.provenance.is_uncertain() {
                parts.push(format!(
                    "{}: {}",
                    Text::new("nội dung", "wording").get(lang),
                    meaning(r.provenance).get(lang)
                ));
            }
            let n = notes.len() + 1;
            for t in r.thresholds.iter().filter(|t| t.provenance.is_uncertain()) {
                let value = super::view::fmt_value(&t.value);
                parts.push(format!(
                    "{} = {value}: {}",
                    t.key,
                    meaning(t.provenance).get(lang)
                ));
                thresholds.push(UncertainThreshold {
                    id: r.verdict.id.to_string(),
                    key: t.key.clone(),
                    value,
                    provenance: t.provenance.label().get(lang).to_string(),
                    footnote: n,
                });
            }
            notes.push(FootnoteView {
                n,
                id: r.verdict.id.to_string(),
                parts,
            });
            Some(n)
        })
        .collect();
    (
        Notes {
            list: notes,
            thresholds,
        },
        numbers,
    )
}

//! PL3-6: the home page footer shows copyright, owner, person responsible, address, phone and
//! e-mail.

use super::super::{Outcome, home_page};
use super::truncate;
use crate::checklist::check::PatternItem;
use crate::evaluation::EvidenceRef;
use crate::observation::Observations;
use crate::text::Text;

/// PL3-6: the home page footer shows each field.
pub fn footer_fields(fields: &[PatternItem], obs: &Observations) -> Outcome {
    let labels: Vec<Text> = fields
        .iter()
        .map(|f| {
            f.label
                .clone()
                .unwrap_or_else(|| Text::same(f.name.clone()))
        })
        .collect();
    let expected = Text::new(
        format!("Chân trang có: {}", Text::join(&labels, ", ").vi),
        format!("footer shows: {}", Text::join(&labels, ", ").en),
    );
    let (home, h) = match home_page(obs, &expected) {
        Ok(x) => x,
        Err(o) => return o,
    };
    let Some(footer) = &h.footer else {
        return Outcome::fail(
            expected,
            Text::new("Trang chủ không có chân trang", "home page has no footer"),
            Text::new("Thiếu chân trang", "no footer"),
        );
    };
    let haystack = format!(
        "{} {}",
        footer.text,
        footer
            .links
            .iter()
            .map(|l| l.href.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut missing = Vec::new();
    for (f, l) in fields.iter().zip(&labels) {
        let found = regex::RegexBuilder::new(&f.pattern)
            .case_insensitive(true)
            .build()
            .is_ok_and(|re| re.is_match(&haystack));
        if !found {
            missing.push(l.clone());
        }
    }
    Outcome::either(
        missing.is_empty(),
        expected,
        Text::new(
            format!(
                "Chân trang: \u{201c}{}\u{201d}",
                truncate(&footer.text, 200)
            ),
            format!("footer: \u{201c}{}\u{201d}", truncate(&footer.text, 200)),
        ),
        Text::new("Chân trang đủ thông tin", "footer complete"),
        Text::new(
            format!("Chân trang thiếu: {}", Text::join(&missing, ", ").vi),
            format!("footer lacks: {}", Text::join(&missing, ", ").en),
        ),
    )
    .with_evidence([EvidenceRef::url("home page", &home.url)])
    .with_credit((fields.len() - missing.len()) as f64 / fields.len().max(1) as f64)
}

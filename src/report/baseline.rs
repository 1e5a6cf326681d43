//! The `--baseline` comparison as the reports show it: the score and verdict then and now, the
//! regressions (with what is seen now) and the fixes.

use serde::Serialize;

use crate::evaluation::baseline::{Change, Comparison};
use crate::evaluation::{Evaluation, Status};
use crate::text::Lang;

/// The comparison, ready for templates.
#[derive(Debug, Clone, Serialize)]
pub struct BaselineView {
    /// The baseline file.
    pub file: String,
    /// When it was produced.
    pub generated_at: String,
    /// Its verdict, labelled.
    pub verdict_label: String,
    /// Its score.
    pub score_before: f64,
    /// Score now minus score then, signed (`+3.2`, `−1.0`, `±0`).
    pub score_delta: String,
    /// The baseline's portal name when it differs from this one.
    pub other_portal: Option<String>,
    /// Regressions.
    pub regressions: Vec<ChangeView>,
    /// Fixes.
    pub fixes: Vec<ChangeView>,
}

/// One changed requirement.
#[derive(Debug, Clone, Serialize)]
pub struct ChangeView {
    /// Id.
    pub id: String,
    /// Title now.
    pub title: String,
    /// Mandatory.
    pub mandatory: bool,
    /// Status then, labelled ("—" when the baseline did not have it).
    pub before: String,
    /// Status now, labelled.
    pub after: String,
    /// What is seen now (for a regression: why it fails).
    pub observed: String,
}

/// Builds the view; `None` without `--baseline`.
pub fn build(e: &Evaluation, lang: Lang) -> Option<BaselineView> {
    let c: &Comparison = e.baseline.as_ref()?;
    let change = |ch: &Change| {
        let now = e
            .requirements
            .iter()
            .find(|r| r.verdict.id.as_str() == ch.id && r.checklist == ch.checklist);
        ChangeView {
            id: ch.id.clone(),
            title: now
                .map(|r| r.title.get(lang).to_string())
                .unwrap_or_default(),
            mandatory: ch.mandatory,
            before: ch
                .before
                .map_or_else(|| "—".to_string(), |s| label(s, lang)),
            after: label(ch.after, lang),
            observed: now
                .map(|r| r.verdict.observed.get(lang).to_string())
                .unwrap_or_default(),
        }
    };
    let delta = ((e.score - c.score) * 10.0).round() / 10.0;
    Some(BaselineView {
        file: c.file.clone(),
        generated_at: c.generated_at.clone(),
        verdict_label: c.verdict.label().get(lang).to_string(),
        score_before: c.score,
        score_delta: if delta > 0.0 {
            format!("+{delta:.1}")
        } else if delta < 0.0 {
            format!("−{:.1}", -delta)
        } else {
            "±0".to_string()
        },
        other_portal: c.other_portal.clone(),
        regressions: c.regressions.iter().map(change).collect(),
        fixes: c.fixes.iter().map(change).collect(),
    })
}

fn label(s: Status, lang: Lang) -> String {
    s.label().get(lang).to_string()
}

#[cfg(test)]
mod tests {
    use crate::checklist::Checklist;
    use crate::evaluation::baseline::Baseline;
    use crate::evaluation::{Evaluation, FailOn, PortalInfo, Status};
    use crate::observation::Observations;
    use crate::text::{Lang, Text};

    /// Every shipped requirement of tt21-2023, each failing with a long observation.
    fn failing_everywhere(observed_len: usize) -> Evaluation {
        let checklists = vec![Checklist::resolve("tt21-2023").expect("shipped")];
        let obs = Observations::default();
        let mut requirements =
            crate::judge::judge_all(&checklists, &obs, "province", &[], &[], |_| {});
        for r in &mut requirements {
            r.verdict.status = Status::Fail;
            r.verdict.observed = Text::same("ắ|<b>".repeat(observed_len / 5));
        }
        Evaluation::new(
            PortalInfo {
                name: "Cổng <script>x</script> Ượ".into(),
                organisation: "UBND".into(),
                organisation_kind: "province".into(),
                vendor: None,
                evaluator: None,
                base_url: "https://127.0.0.1:1/".into(),
                public_host: "dvc.example".into(),
            },
            &checklists,
            requirements,
            obs,
            FailOn::Mandatory,
            "2026-11-30T00:00:00Z".into(),
        )
    }

    #[test]
    fn a_summary_too_long_for_a_pull_request_comment_is_shortened() {
        let e = failing_everywhere(2000);
        let md = crate::report::markdown(&e, Lang::Vi).unwrap();
        assert!(
            md.chars().count() <= crate::report::SUMMARY_MAX_CHARS,
            "{}",
            md.chars().count()
        );
        assert!(md.contains("rút gọn"), "says it was shortened");
        assert!(md.contains("ắ\\|&lt;b&gt;"), "clipped cells stay escaped");
        let short = failing_everywhere(20);
        let md = crate::report::markdown(&short, Lang::En).unwrap();
        assert!(!md.contains("shortened") && md.contains("<details>"));
    }

    #[test]
    fn the_summary_lists_regressions_and_fixes_against_the_baseline() {
        let mut e = failing_everywhere(20);
        e.requirements[1].verdict.status = Status::Pass;
        let first = e.requirements[0].verdict.id.to_string();
        let second = e.requirements[1].verdict.id.to_string();
        let baseline = Baseline::parse(&format!(
            r#"{{"generated_at": "2026-01-01T00:00:00Z", "verdict": "non-conformant",
                "score": 40.0, "portal": {{"name": "Cổng cũ", "base_url": "https://x/"}},
                "requirements": [{{"id": "{first}", "checklist": "tt21-2023", "status": "pass"}},
                                 {{"id": "{second}", "checklist": "tt21-2023", "status": "fail"}}]}}"#
        ))
        .unwrap();
        e.baseline =
            Some(baseline.compare("prev/evaluation.json", &e.portal.name, &e.requirements));
        let md = crate::report::markdown(&e, Lang::En).unwrap();
        let section = md.split("<details>").next().unwrap();
        assert!(
            section.contains("Compared with the previous evaluation"),
            "{section}"
        );
        assert!(
            section.contains(&format!("| {first} |")),
            "regression listed"
        );
        assert!(section.contains(&format!("| {second} |")), "fix listed");
        assert!(section.contains("Cổng cũ"), "another portal is named");
        assert!(section.contains("40.0/100 → 0.0/100 (−40.0)"), "{section}");
        let view = super::build(&e, Lang::En).unwrap();
        assert_eq!(view.fixes[0].before, "Fail");
        assert!(view.score_delta.starts_with('−'), "{}", view.score_delta);
    }
}

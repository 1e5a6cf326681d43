//! The citizen-journeys section of the report: each journey with its steps, the step that
//! failed and its screenshot, and which requirements had no journey (and why).

use serde::Serialize;

use crate::observation::{FlowStatus, Observations, StepStatus};
use crate::text::{Lang, Text};

/// One step, for the template.
#[derive(Debug, Clone, Serialize)]
pub struct StepView {
    /// 1-based.
    pub n: usize,
    /// What it does.
    pub description: String,
    /// `passed`, `failed`, `skipped`.
    pub status: String,
    /// The status in the report's language.
    pub status_label: String,
    /// Why it failed, or what it found.
    pub message: String,
    /// The address after it.
    pub url: String,
    /// Its screenshot (relative path), or empty.
    pub screenshot: String,
    /// Time taken.
    pub elapsed: String,
}

/// One journey.
#[derive(Debug, Clone, Serialize)]
pub struct FlowView {
    /// Its name.
    pub name: String,
    /// Requirement ids it serves.
    pub requirements: String,
    /// Declared or default, in the report's language.
    pub origin: String,
    /// What a default journey was built from.
    pub basis: String,
    /// `pass`, `fail`, `error` (the verdict badge classes).
    pub status: String,
    /// The status in the report's language.
    pub status_label: String,
    /// Why it could not run.
    pub error: String,
    /// Wall time.
    pub elapsed: String,
    /// The steps.
    pub steps: Vec<StepView>,
}

/// The section.
#[derive(Debug, Clone, Serialize)]
pub struct FlowsView {
    /// The journeys, in the order they ran.
    pub flows: Vec<FlowView>,
    /// Whether some journey was built by kiemdinh (the report says so).
    pub any_default: bool,
    /// Requirements no journey could be built for.
    pub not_built: Vec<NotBuiltView>,
}

/// A requirement no journey could be built for.
#[derive(Debug, Clone, Serialize)]
pub struct NotBuiltView {
    /// Its id.
    pub id: String,
    /// Why.
    pub reason: String,
}

/// The section, when journeys ran or some could not be built.
pub fn build(obs: &Observations, lang: Lang) -> Option<FlowsView> {
    if obs.flows.is_empty() && obs.flows_not_built.is_empty() {
        return None;
    }
    let flows = obs
        .flows
        .iter()
        .map(|f| {
            let (status, label) = match f.status {
                FlowStatus::Passed => ("pass", Text::new("hoàn tất", "completed")),
                FlowStatus::Failed => ("fail", Text::new("không hoàn tất", "failed")),
                FlowStatus::Error => ("error", Text::new("không chạy được", "could not run")),
            };
            let origin = if f.origin == "default" {
                Text::new("kiemdinh tự dựng", "built by kiemdinh")
            } else {
                Text::new("khai báo trong kịch bản", "declared in the scenario")
            };
            FlowView {
                name: f.name.clone(),
                requirements: f.requirements.join(", "),
                origin: origin.get(lang).to_string(),
                basis: f.basis.clone().unwrap_or_default(),
                status: status.into(),
                status_label: label.get(lang).to_string(),
                error: f.error.clone().unwrap_or_default(),
                elapsed: format!("{:.1} s", f.elapsed_ms as f64 / 1000.0),
                steps: f
                    .steps
                    .iter()
                    .enumerate()
                    .map(|(k, s)| {
                        let (st, l) = match s.status {
                            StepStatus::Passed => ("pass", Text::new("đạt", "done")),
                            StepStatus::Failed => ("fail", Text::new("lỗi", "failed")),
                            StepStatus::Skipped => ("skipped", Text::new("bỏ qua", "skipped")),
                        };
                        StepView {
                            n: k + 1,
                            description: s.description.clone(),
                            status: st.into(),
                            status_label: l.get(lang).to_string(),
                            message: s.message.clone().unwrap_or_default(),
                            url: s.url.clone().unwrap_or_default(),
                            screenshot: s
                                .screenshot
                                .as_deref()
                                .map_or_else(String::new, super::browser::rel_path),
                            elapsed: format!("{} ms", s.elapsed_ms),
                        }
                    })
                    .collect(),
            }
        })
        .collect();
    Some(FlowsView {
        flows,
        any_default: obs.flows.iter().any(|f| f.origin == "default"),
        not_built: obs
            .flows_not_built
            .iter()
            .map(|(id, reason)| NotBuiltView {
                id: id.clone(),
                reason: reason.clone(),
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::observation::{FlowRun, StepRun};

    #[test]
    fn a_failed_step_keeps_its_message_and_only_a_plain_screenshot_path() {
        let step = |status, shot: &str| StepRun {
            action: "click".into(),
            description: "click text=Gửi".into(),
            status,
            message: Some("nothing matches `text=Gửi`".into()),
            url: Some("https://dvc.mau.gov.vn/danh-gia".into()),
            elapsed_ms: 5000,
            screenshot: Some(shot.into()),
        };
        let obs = Observations {
            flows: vec![FlowRun {
                name: "Đánh giá".into(),
                requirements: vec!["PL1-7".into()],
                origin: "default".into(),
                basis: Some("the rating form".into()),
                status: FlowStatus::Failed,
                steps: vec![
                    step(StepStatus::Failed, "flows/01-danh-gia-buoc-1-loi.jpg"),
                    step(StepStatus::Skipped, "javascript:alert(1)"),
                ],
                visited: vec![],
                elapsed_ms: 5100,
                error: None,
            }],
            ..Observations::default()
        };
        let v = build(&obs, Lang::En).unwrap();
        assert!(v.any_default);
        let f = &v.flows[0];
        assert_eq!(
            (f.status.as_str(), f.origin.as_str()),
            ("fail", "built by kiemdinh")
        );
        assert_eq!(f.steps[0].screenshot, "flows/01-danh-gia-buoc-1-loi.jpg");
        assert_eq!(
            f.steps[1].screenshot, "",
            "a URL is never a screenshot path"
        );
        assert!(build(&Observations::default(), Lang::Vi).is_none());
    }
}

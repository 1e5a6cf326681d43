//! Ranking policies: named rules, each with its provenance, that keep an evaluation out of the
//! ranking (by default `emc-connected`: a system with no EMC embed on any page is not ranked).
//! A partial run (`--only`/`--skip` leaving out a mandatory requirement) is never ranked either.
//! Every report
//! states them in its methodology; `--without-ranking-policy ID` switches one off.

use serde::{Deserialize, Serialize};

use super::{Conformance, Evaluation, Judged, Status};
use crate::checklist::Provenance;
use crate::text::Text;

/// A rule that keeps an evaluation out of the ranking, stated with its provenance in every
/// report's methodology and switchable by the evaluator (`--without-ranking-policy ID`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct RankingPolicy {
    /// Stable id (`emc-connected`).
    pub id: String,
    /// The requirement whose failure triggers it.
    pub requirement: String,
    /// It triggers when that requirement fails with at most this credit (0 = on no page at
    /// all: one page without the embed is a PL6-1 failure, not "not connected").
    #[serde(default)]
    pub max_credit: f64,
    /// What it says.
    pub description: Text,
    /// Where it comes from.
    pub basis: Text,
    /// How sure we are of it.
    pub provenance: Provenance,
    /// Whether it was applied in this evaluation.
    pub enabled: bool,
}

/// The ranking policies kiemdinh knows, all enabled by default.
pub fn ranking_policies() -> Vec<RankingPolicy> {
    vec![RankingPolicy {
        id: "emc-connected".into(),
        requirement: "PL6-1".into(),
        max_credit: 0.0,
        description: Text::new(
            "Hệ thống chưa kết nối EMC (không trang nào có mã nhúng EMC, PL6-1) không được xếp hạng",
            "a system not connected to EMC (no page carries the EMC embed, PL6-1) is not ranked",
        ),
        basis: Text::new(
            "tin tức pháp luật về đợt đánh giá năm 2024 (Điều 11 không quy định điều này)",
            "legal-news reports of the 2024 evaluation (Article 11 does not say it)",
        ),
        provenance: Provenance::Secondary,
        enabled: true,
    }]
}

/// Checks ranking-policy ids given on the command line.
pub fn validate_policy_ids(ids: &[String]) -> Result<(), String> {
    let known = ranking_policies();
    for id in ids {
        if !known.iter().any(|p| &p.id == id) {
            let names: Vec<&str> = known.iter().map(|p| p.id.as_str()).collect();
            let hint = crate::input::did_you_mean(id, names.iter().copied())
                .map_or_else(String::new, |s| format!(", did you mean `{s}`?"));
            return Err(format!(
                "unknown ranking policy `{id}`{hint} (known: {})",
                names.join(", ")
            ));
        }
    }
    Ok(())
}

impl Evaluation {
    /// Switches ranking policies off by id and recomputes rankability. Unknown ids are a
    /// usage error naming the known ones.
    pub fn without_policies(&mut self, ids: &[String]) -> Result<(), String> {
        validate_policy_ids(ids)?;
        for p in &mut self.ranking_policies {
            if ids.contains(&p.id) {
                p.enabled = false;
            }
        }
        let (rankable, reason) =
            Evaluation::rankability(&self.requirements, self.verdict, &self.ranking_policies);
        self.rankable = rankable;
        self.not_rankable_reason = reason;
        Ok(())
    }

    /// Ranking rule (Điều 11): incomplete evaluations are not ranked, nor those an enabled
    /// ranking policy excludes (by default: not connected to EMC, PL6-1 failing).
    pub fn rankability(
        requirements: &[Judged],
        verdict: Conformance,
        policies: &[RankingPolicy],
    ) -> (bool, Option<Text>) {
        for p in policies.iter().filter(|p| p.enabled) {
            if requirements.iter().any(|r| {
                r.verdict.id.as_str() == p.requirement
                    && r.verdict.status == Status::Fail
                    && r.verdict.credit <= p.max_credit + 1e-9
            }) {
                return (
                    false,
                    Some(Text::new(
                        format!(
                            "{} (chính sách xếp hạng {}, nguồn: {})",
                            p.description.vi,
                            p.id,
                            p.provenance.label().vi
                        ),
                        format!(
                            "{} (ranking policy {}, {})",
                            p.description.en,
                            p.id,
                            p.provenance.as_str()
                        ),
                    )),
                );
            }
        }
        let skipped = super::mandatory_skipped(requirements);
        if skipped > 0 {
            return (
                false,
                Some(Text::new(
                    format!(
                        "Đánh giá từng phần: {skipped} tiêu chí bắt buộc bị bỏ qua (--only/--skip/--no-browser)"
                    ),
                    format!(
                        "partial evaluation: {skipped} mandatory requirements skipped (--only/--skip/--no-browser)"
                    ),
                )),
            );
        }
        if verdict == Conformance::Incomplete {
            return (
                false,
                Some(Text::new(
                    "Có tiêu chí không kiểm tra được (lỗi), kết quả chưa đủ để xếp hạng",
                    "some checks ended in error; the evaluation is incomplete",
                )),
            );
        }
        (true, None)
    }
}

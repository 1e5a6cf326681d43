//! Judging a whole run: every requirement of the selected checklists, in checklist order,
//! `same-as` requirements after the ones they rest on, and `--only`/`--skip` applied.

use std::collections::HashMap;

use crate::checklist::{Checklist, Requirement};
use crate::evaluation::{Judged, Status, Verdict};
use crate::observation::Observations;
use crate::text::Text;

/// Judges every requirement (or marks it skipped), in checklist order. Requirements whose
/// checks refer to other requirements (`same-as`) are judged after those, whatever `--only`
/// says about the referenced ones.
///
/// A requirement whose `applies-to` does not name `kind` (the portal's organisation kind) is
/// `not-applicable`; a check that needs a fact the observations predate is `error`.
pub fn judge_all(
    checklists: &[Checklist],
    obs: &Observations,
    kind: &str,
    only: &[String],
    skip: &[String],
    mut on_verdict: impl FnMut(&Judged),
) -> Vec<Judged> {
    let all: Vec<(&Checklist, &Requirement)> = checklists
        .iter()
        .flat_map(|c| c.requirements.iter().map(move |r| (c, r)))
        .collect();
    let mut verdicts: HashMap<String, Verdict> = HashMap::new();
    let skipped = |r: &Requirement| Verdict {
        id: r.id.clone(),
        status: Status::Skipped,
        expected: Text::default(),
        observed: Text::default(),
        message: Text::new("Bỏ qua theo --only/--skip", "skipped by --only/--skip"),
        evidence: Vec::new(),
        credit: 0.0,
        findings: Vec::new(),
    };
    for (_, r) in all.iter().filter(|(_, r)| !super::depends_on_others(r)) {
        let v = if Requirement::selected(r, only, skip) {
            judge_one(r, obs, &|_| None)
        } else {
            skipped(r)
        };
        verdicts.insert(r.id.to_string(), v);
    }
    let by_id: HashMap<&str, &Requirement> = all.iter().map(|(_, r)| (r.id.as_str(), *r)).collect();
    for (_, r) in all.iter().filter(|(_, r)| super::depends_on_others(r)) {
        let v = if Requirement::selected(r, only, skip) {
            let others = |id: &str| match verdicts.get(id) {
                // Left out by --only: judged for this one. Left out by --skip: stays skipped
                // (and is not counted by this one).
                Some(v) if v.status == Status::Skipped => by_id.get(id).map(|q| {
                    if Requirement::selected(q, &[], skip) {
                        judge_one(q, obs, &|_| None)
                    } else {
                        v.clone()
                    }
                }),
                Some(v) => Some(v.clone()),
                None => None,
            };
            judge_one(r, obs, &others)
        } else {
            skipped(r)
        };
        verdicts.insert(r.id.to_string(), v);
    }
    let mut out = Vec::new();
    let not_applicable = |r: &Requirement, v: Verdict| {
        if r.applies_to_kind(kind) || v.status == Status::Skipped {
            return v;
        }
        Verdict {
            status: Status::NotApplicable,
            observed: Text::same(kind),
            message: Text::new(
                format!(
                    "Chỉ áp dụng cho hệ thống {}",
                    r.applies_to
                        .iter()
                        .map(|k| kind_vi(k))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                format!("applies only to {} systems", r.applies_to.join(", ")),
            ),
            evidence: Vec::new(),
            credit: 0.0,
            ..v
        }
    };
    for (c, r) in all {
        let verdict = verdicts.remove(r.id.as_str()).unwrap_or_else(|| skipped(r));
        let verdict = not_applicable(r, verdict);
        let j = Judged {
            checklist: c.edition.clone(),
            title: r.title.clone(),
            basis: r.basis.clone(),
            provenance: r.provenance,
            category: r.category,
            weight: r.weight,
            mandatory: r.mandatory,
            method: r.method.clone(),
            thresholds: r.thresholds(),
            verdict,
            remedy: r.remedy.clone(),
        };
        on_verdict(&j);
        out.push(j);
    }
    out
}

/// Judges one requirement, unless a check needs a fact these observations predate: then the
/// verdict is `error` with what is missing.
fn judge_one(
    r: &Requirement,
    obs: &Observations,
    others: &dyn Fn(&str) -> Option<Verdict>,
) -> Verdict {
    if let Some(fact) = r.checks.iter().find_map(|c| super::needs::lacking(c, obs)) {
        let message = super::needs::message(&fact, obs);
        return Verdict {
            id: r.id.clone(),
            status: Status::Error,
            expected: r.title.clone(),
            observed: message.clone(),
            message,
            evidence: Vec::new(),
            credit: 0.0,
            findings: Vec::new(),
        };
    }
    super::judge_with(r, obs, others)
}

fn kind_vi(kind: &str) -> &str {
    match kind {
        "province" => "cấp tỉnh",
        "ministry" => "cấp bộ",
        "national" => "cấp quốc gia (Cổng DVCQG, Cổng thông tin một cửa quốc gia)",
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_requirement_for_national_portals_is_not_applicable_to_a_province() {
        let c = Checklist::resolve("qd31-2021-dvcqg").unwrap();
        let obs = Observations::default();
        let status = |kind: &str| {
            judge_all(std::slice::from_ref(&c), &obs, kind, &[], &[], |_| {})
                .into_iter()
                .find(|j| j.verdict.id.as_str() == "DVCQG-5")
                .unwrap()
                .verdict
        };
        let v = status("province");
        assert_eq!(v.status, Status::NotApplicable);
        assert!(v.message.vi.contains("cấp quốc gia"));
        assert_eq!(status("national").status, Status::Pending);
    }
}

//! The methodology every ranking states: editions, period, how the score is made, the
//! tie-breakers, category weights, tiers, ranking policies, placeholder thresholds relied on,
//! and the previous ranking compared with.

use std::collections::{BTreeMap, BTreeSet};

use super::compute::Params;
use super::input::RankInput;
use super::model::{CategoryWeight, Entry, Methodology, PlaceholderUse, PreviousRef};
use crate::checklist::{Category, Provenance};
use crate::evaluation::RankingPolicy;
use crate::text::{Lang, Text};

/// A threshold value as people read it: `2500`, not `2500.0`.
fn value_text(v: &serde_json::Value) -> String {
    match v {
        serde_json::Value::String(s) => s.clone(),
        _ => v
            .as_f64()
            .filter(|f| f.fract() == 0.0 && f.abs() < 1e15)
            .map_or_else(|| v.to_string(), |f| format!("{f:.0}")),
    }
}

fn score_text(lang: Lang) -> String {
    Text::new(
        "Điểm tổng hợp (0–100) là điểm của mỗi lần đánh giá: Σ(trọng số × mức đạt) / Σ trọng số \
         của các tiêu chí được tính điểm; tiêu chí chờ xác minh không được điểm, tiêu chí không \
         áp dụng hoặc bỏ qua không được tính. Điểm nhóm tính cùng cách trên các tiêu chí của nhóm.",
        "The composite score (0–100) is each evaluation's score: Σ(weight × credit) / Σ weight \
         over the requirements counted; a pending requirement earns nothing, one not applicable \
         or skipped is not counted. Category scores are computed the same way within a category.",
    )
    .get(lang)
    .to_string()
}

fn tie_breaker_texts(lang: Lang) -> Vec<String> {
    [
        Text::new("điểm tổng hợp cao hơn", "higher composite score"),
        Text::new(
            "ít tiêu chí bắt buộc không đạt hơn",
            "fewer failed mandatory requirements",
        ),
        Text::new(
            "ít tiêu chí bắt buộc chờ xác minh hơn",
            "fewer mandatory requirements pending",
        ),
        Text::new(
            "vẫn bằng nhau: đồng hạng (1, 2, 2, 4), hiển thị theo tên",
            "still equal: shared rank (1, 2, 2, 4), shown by name",
        ),
        Text::new(
            "bảng nhà cung cấp: điểm trung bình các triển khai được xếp hạng cao hơn, rồi độ \
             phân tán (độ lệch chuẩn) nhỏ hơn, rồi nhiều triển khai hơn; cổng không ghi nhà \
             cung cấp không có trong bảng này",
            "vendor table: higher mean score of the ranked deployments, then smaller spread \
             (standard deviation), then more deployments; portals that name no vendor are left \
             out of this table",
        ),
    ]
    .iter()
    .map(|t| t.get(lang).to_string())
    .collect()
}

/// Category weights as the first ranked evaluation applied them (requirements counted).
fn weights(first: Option<&RankInput>) -> Vec<CategoryWeight> {
    let Some(e) = first else {
        return Vec::new();
    };
    Category::ALL
        .iter()
        .filter_map(|&category| {
            let counted: Vec<f64> = e
                .requirements
                .iter()
                .filter(|r| r.category == category && r.status.counts_in_score())
                .map(|r| r.weight)
                .collect();
            (!counted.is_empty()).then(|| CategoryWeight {
                category,
                weight: counted.iter().sum(),
                requirements: counted.len(),
            })
        })
        .collect()
}

/// Every policy found, once per id and enabled flag, by id.
fn policies(inputs: &[RankInput]) -> Vec<RankingPolicy> {
    let mut out: Vec<RankingPolicy> = Vec::new();
    for p in inputs.iter().flat_map(|e| &e.ranking_policies) {
        if !out.iter().any(|o| o.id == p.id && o.enabled == p.enabled) {
            out.push(p.clone());
        }
    }
    out.sort_by(|a, b| a.id.cmp(&b.id).then(b.enabled.cmp(&a.enabled)));
    out
}

/// Placeholder thresholds the ranked evaluations applied, one row per requirement and key.
fn placeholders(ranked: &[&RankInput]) -> Vec<PlaceholderUse> {
    let mut uses: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for r in ranked.iter().flat_map(|e| &e.requirements) {
        for t in r
            .thresholds
            .iter()
            .filter(|t| t.provenance == Provenance::Placeholder)
        {
            uses.entry((r.id.clone(), t.key.clone()))
                .or_default()
                .insert(value_text(&t.value));
        }
    }
    uses.into_iter()
        .map(|((requirement, key), values)| PlaceholderUse {
            requirement,
            key,
            value: values.into_iter().collect::<Vec<_>>().join(", "),
        })
        .collect()
}

/// Builds the methodology of a ranking whose entries are computed.
pub fn build(inputs: &[RankInput], entries: &[Entry], p: &Params<'_>) -> Methodology {
    let input_of = |e: &Entry| inputs.iter().find(|i| i.source == e.source);
    let ranked: Vec<&RankInput> = entries
        .iter()
        .filter(|e| e.rank.is_some())
        .filter_map(input_of)
        .collect();
    let editions: BTreeSet<String> = ranked.iter().flat_map(|e| e.editions()).collect();
    let dates: BTreeSet<String> = ranked
        .iter()
        .filter_map(|e| e.local_date())
        .map(|d| format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day()))
        .collect();
    Methodology {
        editions: editions.into_iter().collect(),
        allow_mixed: p.allow_mixed,
        allow_partial: p.allow_partial,
        period: dates
            .first()
            .zip(dates.last())
            .map(|(a, b)| (a.clone(), b.clone())),
        score: score_text(p.lang),
        tie_breakers: tie_breaker_texts(p.lang),
        weights: weights(ranked.first().copied()),
        tiers: p.tiers.to_vec(),
        policies: policies(inputs),
        placeholders: placeholders(&ranked),
        previous: p.previous.map(|prev| PreviousRef {
            year: prev.year,
            file: prev.file.clone(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threshold_values_read_as_people_write_them() {
        assert_eq!(value_text(&serde_json::json!(2500.0)), "2500");
        assert_eq!(value_text(&serde_json::json!(0.1)), "0.1");
        assert_eq!(value_text(&serde_json::json!("x")), "x");
    }

    #[test]
    fn texts_follow_the_language() {
        assert!(score_text(Lang::En).starts_with("The composite"));
        assert!(score_text(Lang::Vi).starts_with("Điểm tổng hợp"));
        assert_eq!(tie_breaker_texts(Lang::En).len(), 5);
    }
}

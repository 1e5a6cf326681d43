//! A ranking built by hand for the tests of its outputs: two kinds, three vendors, every
//! exclusion kind, provisional entries, deltas, with and without `--previous`, and a portal
//! whose name is markup with Vietnamese letters.

use super::*;
use crate::checklist::{Category, Provenance};
use crate::evaluation::{Conformance, RankingPolicy};
use crate::text::Text;

/// A portal name that is markup and Vietnamese at once.
pub(crate) const HOSTILE: &str = "<script>alert(1)</script> Cổng ắ ộ ữ ỹ Ượ";

fn cats(v: [Option<f64>; 3]) -> Vec<CategoryScore> {
    [Category::Functions, Category::Layout, Category::Security]
        .into_iter()
        .zip(v)
        .map(|(category, score)| CategoryScore { category, score })
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn entry(
    id: &str,
    portal: &str,
    kind: &str,
    vendor: Option<&str>,
    score: f64,
    rank: Option<u32>,
    tier: Option<&str>,
    verdict: Conformance,
) -> Entry {
    Entry {
        id: id.into(),
        portal: portal.into(),
        organisation: format!("UBND {portal}"),
        organisation_kind: kind.into(),
        vendor: vendor.map(Into::into),
        score,
        categories: cats([Some(score), Some((score - 10.0).max(0.0)), None]),
        rank,
        tier: tier.map(Into::into),
        excluded: None,
        exclusion: None,
        delta: None,
        previous_rank: None,
        previous_score: None,
        verdict,
        pending: 0,
        failed_mandatory: 0,
        skipped: 0,
        editions: vec!["tt21-2023".into()],
        evaluated_at: "2026-05-01T00:00:00Z".into(),
        source: format!("{id}.json"),
    }
}

fn excluded(id: &str, kind: &str, why: Exclusion, verdict: Conformance) -> Entry {
    let mut e = entry(
        id,
        &format!("Cổng {id}"),
        kind,
        Some("Công ty C"),
        40.0,
        None,
        None,
        verdict,
    );
    e.excluded = Some(format!("lý do gốc {id}"));
    e.exclusion = Some(why);
    e
}

/// The fixture: 3 ministries, 4 provinces (one provisional, one hostile name), 5 excluded.
pub(crate) fn fixture(previous: bool) -> Ranking {
    use Conformance::{Conformant, Incomplete, NonConformant, Provisional};
    let mut entries = vec![
        entry(
            "bo-a",
            "Cổng Bộ A",
            "ministry",
            Some("Công ty A"),
            91.0,
            Some(1),
            Some("xuat-sac"),
            Conformant,
        ),
        entry(
            "bo-b",
            "Cổng Bộ B",
            "ministry",
            Some("Công ty B"),
            72.5,
            Some(2),
            Some("kha"),
            NonConformant,
        ),
        entry(
            "bo-c",
            "Cổng Bộ C",
            "ministry",
            None,
            72.5,
            Some(2),
            Some("kha"),
            NonConformant,
        ),
        entry(
            "tinh-a",
            HOSTILE,
            "province",
            Some("Công ty A"),
            88.0,
            Some(1),
            Some("tot"),
            Conformant,
        ),
        entry(
            "tinh-b",
            "Cổng tỉnh Lâm Sơn",
            "province",
            Some("Công ty A"),
            64.25,
            Some(2),
            Some("trung-binh"),
            Provisional,
        ),
        entry(
            "tinh-c",
            "Cổng tỉnh Mẫu",
            "province",
            Some("Công ty B"),
            55.0,
            Some(3),
            Some("trung-binh"),
            NonConformant,
        ),
        entry(
            "tinh-d",
            "Cổng tỉnh Đông",
            "province",
            Some("Công ty C"),
            12.0,
            Some(4),
            Some("yeu"),
            NonConformant,
        ),
        excluded(
            "x-incomplete",
            "province",
            Exclusion::Incomplete,
            Incomplete,
        ),
        excluded(
            "x-emc",
            "province",
            Exclusion::NotRankable {
                policy: Some("emc-connected".into()),
            },
            NonConformant,
        ),
        excluded(
            "x-partial",
            "ministry",
            Exclusion::NotRankable { policy: None },
            NonConformant,
        ),
        excluded(
            "x-edition",
            "ministry",
            Exclusion::Edition {
                editions: vec!["tt21-2030".into()],
            },
            Conformant,
        ),
        excluded(
            "x-year",
            "province",
            Exclusion::Year { year: 2024 },
            Conformant,
        ),
        excluded(
            "x-old",
            "province",
            Exclusion::Superseded {
                by: "tinh-b-2.json".into(),
            },
            Conformant,
        ),
    ];
    entries[4].pending = 3;
    if previous {
        let set = |e: &mut Entry, prev: f64, rank: Option<u32>| {
            e.previous_score = Some(prev);
            e.previous_rank = rank;
            e.delta = Some(e.score - prev);
        };
        set(&mut entries[0], 85.0, Some(1));
        set(&mut entries[1], 80.0, Some(2));
        set(&mut entries[3], 88.0, Some(2));
        set(&mut entries[4], 60.0, Some(3));
        // Ranked last year, excluded this year: a score then, no delta.
        entries[8].previous_score = Some(70.0);
        entries[8].previous_rank = Some(1);
        // Present last year but not ranked then: no delta.
        entries[5].previous_score = Some(50.0);
    }
    let tier = |id: &str, vi: &str, en: &str, min: f64| Tier {
        id: id.into(),
        label: Text::new(vi, en),
        min_score: min,
        provenance: Provenance::Placeholder,
    };
    Ranking {
        schema_version: RANKING_VERSION,
        tool_version: "0.2.0".into(),
        generated_at: "2026-11-30T00:00:00Z".into(),
        year: 2026,
        entries,
        vendors: vec![
            VendorEntry {
                vendor: "Công ty A".into(),
                deployments: 3,
                mean: 81.08,
                spread: 11.7,
                min: 64.25,
                max: 91.0,
                rank: Some(1),
                portals: vec!["bo-a".into(), "tinh-a".into(), "tinh-b".into()],
            },
            VendorEntry {
                vendor: "Công ty B".into(),
                deployments: 2,
                mean: 63.75,
                spread: 8.75,
                min: 55.0,
                max: 72.5,
                rank: Some(2),
                portals: vec!["bo-b".into(), "tinh-c".into()],
            },
            VendorEntry {
                vendor: "Công ty C".into(),
                deployments: 1,
                mean: 12.0,
                spread: 0.0,
                min: 12.0,
                max: 12.0,
                rank: Some(3),
                portals: vec!["tinh-d".into(), "x-incomplete".into()],
            },
        ],
        methodology: Methodology {
            editions: vec!["tt21-2023".into()],
            allow_mixed: false,
            allow_partial: false,
            period: Some(("2026-03-01".into(), "2026-10-31".into())),
            score: "Điểm tổng hợp = tổng trọng số yêu cầu đạt / tổng trọng số.".into(),
            tie_breakers: vec![
                "ít yêu cầu bắt buộc không đạt hơn".into(),
                "ít mục chờ hơn".into(),
            ],
            weights: vec![
                CategoryWeight {
                    category: Category::Functions,
                    weight: 40.0,
                    requirements: 12,
                },
                CategoryWeight {
                    category: Category::Security,
                    weight: 12.5,
                    requirements: 8,
                },
            ],
            tiers: vec![
                tier("trung-binh", "Trung bình", "Fair", 50.0),
                tier("xuat-sac", "Xuất sắc", "Excellent", 90.0),
                tier("tot", "Tốt", "Good", 80.0),
                tier("kha", "Khá", "Satisfactory", 65.0),
                tier("yeu", "Yếu", "Poor", 0.0),
            ],
            policies: vec![RankingPolicy {
                id: "emc-connected".into(),
                requirement: "PL6-1".into(),
                max_credit: 0.0,
                description: Text::new(
                    "Hệ thống chưa kết nối EMC không được xếp hạng",
                    "A system not connected to EMC is not ranked",
                ),
                basis: Text::new(
                    "Tin pháp luật về đợt đánh giá 2024",
                    "Legal news on the 2024 evaluation",
                ),
                provenance: Provenance::Secondary,
                enabled: true,
            }],
            placeholders: vec![PlaceholderUse {
                requirement: "PL4-1".into(),
                key: "max-ms".into(),
                value: "2500".into(),
            }],
            previous: previous.then(|| PreviousRef {
                year: 2025,
                file: "ranking-2025.json".into(),
            }),
        },
    }
}

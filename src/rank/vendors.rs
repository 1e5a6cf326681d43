//! The vendor table: each vendor's solution judged by its ranked deployments — mean score,
//! spread (population standard deviation), lowest and highest — ranked by mean (higher first),
//! then spread (smaller first), then deployments (more first); full ties share a rank. A vendor
//! whose deployments were all excluded is listed without a rank; portals that name no vendor
//! are not in the table.

use std::cmp::Ordering;
use std::collections::BTreeMap;

use super::model::{Entry, VendorEntry};

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn order(a: &VendorEntry, b: &VendorEntry) -> Ordering {
    b.mean
        .total_cmp(&a.mean)
        .then(a.spread.total_cmp(&b.spread))
        .then(b.deployments.cmp(&a.deployments))
}

/// Builds the vendor table from the entries (in entry order, so `portals` follow it).
pub fn table(entries: &[Entry]) -> Vec<VendorEntry> {
    let mut by_vendor: BTreeMap<&str, Vec<&Entry>> = BTreeMap::new();
    for e in entries {
        if let Some(v) = e.vendor.as_deref() {
            by_vendor.entry(v).or_default().push(e);
        }
    }
    let (mut ranked, mut unranked): (Vec<VendorEntry>, Vec<VendorEntry>) = by_vendor
        .into_iter()
        .map(|(vendor, list)| {
            let scores: Vec<f64> = list
                .iter()
                .filter(|e| e.rank.is_some())
                .map(|e| e.score)
                .collect();
            #[allow(clippy::cast_precision_loss)] // a count of portals
            let n = scores.len() as f64;
            let (mean, spread, min, max) = if scores.is_empty() {
                (0.0, 0.0, 0.0, 0.0)
            } else {
                let mean = scores.iter().sum::<f64>() / n;
                let var = scores.iter().map(|s| (s - mean).powi(2)).sum::<f64>() / n;
                (
                    round2(mean),
                    round2(var.sqrt()),
                    scores.iter().copied().fold(f64::INFINITY, f64::min),
                    scores.iter().copied().fold(f64::NEG_INFINITY, f64::max),
                )
            };
            VendorEntry {
                vendor: vendor.to_string(),
                deployments: scores.len(),
                mean,
                spread,
                min,
                max,
                rank: None,
                portals: list.iter().map(|e| e.id.clone()).collect(),
            }
        })
        .partition(|v| v.deployments > 0);
    ranked.sort_by(|a, b| order(a, b).then_with(|| a.vendor.cmp(&b.vendor)));
    for i in 0..ranked.len() {
        let shared = i > 0 && order(&ranked[i - 1], &ranked[i]) == Ordering::Equal;
        ranked[i].rank = if shared {
            ranked[i - 1].rank
        } else {
            u32::try_from(i + 1).ok()
        };
    }
    unranked.sort_by(|a, b| a.vendor.cmp(&b.vendor));
    ranked.extend(unranked);
    ranked
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::evaluation::Conformance;

    fn e(id: &str, vendor: Option<&str>, score: f64, rank: Option<u32>) -> Entry {
        Entry {
            id: id.into(),
            portal: id.into(),
            organisation: String::new(),
            organisation_kind: "province".into(),
            vendor: vendor.map(Into::into),
            score,
            categories: Vec::new(),
            rank,
            tier: None,
            excluded: None,
            exclusion: None,
            delta: None,
            previous_rank: None,
            previous_score: None,
            verdict: Conformance::Conformant,
            pending: 0,
            failed_mandatory: 0,
            skipped: 0,
            editions: Vec::new(),
            evaluated_at: String::new(),
            source: String::new(),
        }
    }

    #[test]
    fn vendors_rank_by_mean_then_spread_then_deployments() {
        let entries = [
            e("a1", Some("A"), 80.0, Some(1)),
            e("a2", Some("A"), 60.0, Some(3)),
            e("b1", Some("B"), 70.0, Some(2)),
            e("c1", Some("C"), 70.0, Some(2)),
            e("c2", Some("C"), 70.0, Some(2)),
            e("d1", Some("D"), 95.0, None),
            e("n1", None, 99.0, Some(1)),
        ];
        let t = table(&entries);
        let rows: Vec<(&str, Option<u32>, usize)> = t
            .iter()
            .map(|v| (v.vendor.as_str(), v.rank, v.deployments))
            .collect();
        // All means 70; C and B have no spread (C has more deployments), A spreads 10.
        assert_eq!(
            rows,
            [
                ("C", Some(1), 2),
                ("B", Some(2), 1),
                ("A", Some(3), 2),
                ("D", None, 0)
            ]
        );
        let a = &t[2];
        assert!((a.mean - 70.0).abs() < 1e-9 && (a.spread - 10.0).abs() < 1e-9);
        assert!((a.min - 60.0).abs() < 1e-9 && (a.max - 80.0).abs() < 1e-9);
        assert_eq!(a.portals, ["a1", "a2"]);
        assert_eq!(t[3].portals, ["d1"], "an excluded deployment is listed");
        assert!(t.iter().all(|v| v.portals != ["n1"]), "no vendor, no row");
    }

    #[test]
    fn full_ties_share_a_rank() {
        let entries = [
            e("a", Some("A"), 70.0, Some(1)),
            e("b", Some("B"), 70.0, Some(1)),
            e("c", Some("C"), 60.0, Some(3)),
        ];
        let ranks: Vec<Option<u32>> = table(&entries).iter().map(|v| v.rank).collect();
        assert_eq!(ranks, [Some(1), Some(1), Some(3)]);
    }
}

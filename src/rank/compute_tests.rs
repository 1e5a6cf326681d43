//! Unit tests of the ranking computation (kept beside `compute.rs`).

// Portals named a, b, c… read best as one-letter bindings here.
#![allow(clippy::many_single_char_names)]

use super::*;
use crate::checklist::Threshold;
use crate::evaluation::Status;
use crate::rank::input::{EditionRef, PortalRef, RequirementRef};
use crate::rank::previous::PreviousEntry;

fn req(id: &str, category: Category, status: Status, credit: f64) -> RequirementRef {
    RequirementRef {
        id: id.into(),
        category,
        mandatory: true,
        weight: 2.0,
        status,
        credit,
        thresholds: Vec::new(),
    }
}

fn eval(name: &str, kind: &str, score: f64, at: &str) -> RankInput {
    RankInput {
        portal: PortalRef {
            name: name.into(),
            organisation: format!("UBND {name}"),
            organisation_kind: kind.into(),
            vendor: Some("V".into()),
            public_host: format!("{name}.gov.vn"),
        },
        verdict: Conformance::Conformant,
        score,
        rankable: true,
        not_rankable_reason: None,
        ranking_policies: crate::evaluation::ranking_policies(),
        mandatory_pending: 0,
        checklists: vec![EditionRef {
            edition: "tt21-2023".into(),
        }],
        generated_at: at.into(),
        requirements: vec![
            req("PL3-1", Category::Layout, Status::Pass, 1.0),
            req("PL6-1", Category::Emc, Status::Pass, 1.0),
        ],
        source: format!("{name}/evaluation.json"),
    }
}

fn params(tiers: &[Tier]) -> Params<'_> {
    Params {
        year: None,
        allow_mixed: false,
        allow_partial: false,
        tiers,
        previous: None,
        lang: Lang::En,
        generated_at: "2026-12-31T00:00:00Z".into(),
        tool_version: "0".into(),
    }
}

fn rows(r: &Ranking) -> Vec<(String, Option<u32>)> {
    r.entries
        .iter()
        .map(|e| (e.portal.clone(), e.rank))
        .collect()
}

fn row(name: &str, rank: Option<u32>) -> (String, Option<u32>) {
    (name.into(), rank)
}

#[test]
fn ranks_per_kind_with_tie_breakers_and_shared_ranks() {
    let t = tiers::load(None).unwrap();
    let mut a = eval("a", "province", 80.0, "2026-05-01T00:00:00Z");
    a.requirements[0] = req("PL3-1", Category::Layout, Status::Fail, 0.0);
    let b = eval("b", "province", 80.0, "2026-05-01T00:00:00Z");
    let mut c = eval("c", "province", 80.0, "2026-05-01T00:00:00Z");
    c.mandatory_pending = 2;
    let mut d = eval("d", "province", 70.0, "2026-05-01T00:00:00Z");
    d.portal.name = "e".into(); // shown by name among equals: "e" after "d2"
    let d2 = eval("d2", "province", 70.0, "2026-05-01T00:00:00Z");
    let m = eval("m", "ministry", 50.0, "2026-05-01T00:00:00Z");
    let r = rank(&[a, b, c, d, d2, m], &params(&t));
    assert_eq!(
        rows(&r),
        [
            row("m", Some(1)),
            row("b", Some(1)),
            row("c", Some(2)),
            row("a", Some(3)),
            row("d2", Some(4)),
            row("e", Some(4)),
        ]
    );
    let tiers: Vec<Option<&str>> = r.entries.iter().map(|e| e.tier.as_deref()).collect();
    assert_eq!(tiers[0], Some("trung-binh"));
    assert_eq!(tiers[1], Some("tot"));
    assert_eq!(r.year, 2026);
}

#[test]
fn exclusions_apply_in_order_with_reasons() {
    let t = tiers::load(None).unwrap();
    let old = eval("old", "province", 99.0, "2025-12-31T15:00:00Z");
    let first = eval("dup", "province", 60.0, "2026-01-01T00:00:00Z");
    let mut later = eval("dup", "province", 65.0, "2026-06-01T00:00:00Z");
    later.source = "later/evaluation.json".into();
    let mut inc = eval("inc", "province", 90.0, "2026-02-01T00:00:00Z");
    inc.verdict = Conformance::Incomplete;
    inc.rankable = false;
    let mut emc = eval("emc", "province", 90.0, "2026-02-01T00:00:00Z");
    emc.rankable = false;
    emc.requirements[1] = req("PL6-1", Category::Emc, Status::Fail, 0.0);
    let mut partial = eval("partial", "province", 90.0, "2026-02-01T00:00:00Z");
    partial.rankable = false;
    partial.not_rankable_reason = Some("2 skipped".into());
    let mut other = eval("other", "province", 90.0, "2026-02-01T00:00:00Z");
    other.checklists[0].edition = "tt21-2025".into();
    let ok = eval("ok", "province", 70.0, "2026-03-01T00:00:00Z");
    let r = rank(
        &[old, first, later, inc, emc, partial, other, ok],
        &params(&t),
    );
    let by: BTreeMap<(&str, &str), &Entry> = r
        .entries
        .iter()
        .map(|e| ((e.portal.as_str(), e.source.as_str()), e))
        .collect();
    let x = |n: &str, s: &str| by[&(n, s)].exclusion.clone();
    assert_eq!(
        x("old", "old/evaluation.json"),
        Some(Exclusion::Year { year: 2025 })
    );
    assert_eq!(
        x("dup", "dup/evaluation.json"),
        Some(Exclusion::Superseded {
            by: "later/evaluation.json".into()
        })
    );
    assert_eq!(x("dup", "later/evaluation.json"), None);
    assert_eq!(x("inc", "inc/evaluation.json"), Some(Exclusion::Incomplete));
    assert_eq!(
        x("emc", "emc/evaluation.json"),
        Some(Exclusion::NotRankable {
            policy: Some("emc-connected".into())
        })
    );
    assert_eq!(
        x("partial", "partial/evaluation.json"),
        Some(Exclusion::NotRankable { policy: None })
    );
    assert_eq!(
        x("other", "other/evaluation.json"),
        Some(Exclusion::Edition {
            editions: vec!["tt21-2025".into()]
        })
    );
    let emc = by[&("emc", "emc/evaluation.json")];
    assert!(emc.excluded.as_deref().unwrap().contains("EMC"), "{emc:?}");
    assert!(emc.rank.is_none() && emc.tier.is_none());
    let partial = by[&("partial", "partial/evaluation.json")];
    assert!(partial.excluded.as_deref().unwrap().contains("2 skipped"));
    // Ranked first, then the excluded by name.
    assert_eq!(r.entries[0].portal, "ok");
    assert_eq!(r.entries[1].portal, "dup");
    let names: Vec<&str> = r.entries[2..].iter().map(|e| e.portal.as_str()).collect();
    assert_eq!(names, ["dup", "emc", "inc", "old", "other", "partial"]);
    assert_eq!(
        r.methodology.period,
        Some(("2026-03-01".into(), "2026-06-01".into()))
    );
}

#[test]
fn the_majority_edition_set_is_ranked_unless_mixed_is_allowed() {
    let t = tiers::load(None).unwrap();
    let a = eval("a", "province", 70.0, "2026-03-01T00:00:00Z");
    let mut b = eval("b", "province", 60.0, "2026-03-01T00:00:00Z");
    b.checklists[0].edition = "tt21-2025".into();
    // One each: a tie, so the lexicographically first set (`tt21-2023`) is ranked.
    let r = rank(&[b.clone(), a.clone()], &params(&t));
    assert_eq!(rows(&r), [row("a", Some(1)), row("b", None)]);
    assert_eq!(r.methodology.editions, ["tt21-2023"]);
    let mut c = b.clone();
    c.portal.public_host = "c.gov.vn".into();
    let r = rank(&[a.clone(), b.clone(), c], &params(&t));
    assert_eq!(r.entries[0].portal, "b", "two of three use tt21-2025");
    let mut mixed = params(&t);
    mixed.allow_mixed = true;
    let r = rank(&[a, b], &mixed);
    assert_eq!(rows(&r), [row("a", Some(1)), row("b", Some(2))]);
    assert_eq!(r.methodology.editions, ["tt21-2023", "tt21-2025"]);
    assert!(r.methodology.allow_mixed);
}

#[test]
fn the_year_asked_for_is_ranked() {
    let t = tiers::load(None).unwrap();
    let a = eval("a", "province", 70.0, "2025-03-01T00:00:00Z");
    let b = eval("b", "province", 60.0, "2026-03-01T00:00:00Z");
    let mut p = params(&t);
    p.year = Some(2025);
    let r = rank(&[a, b], &p);
    assert_eq!(r.year, 2025);
    assert_eq!(rows(&r), [row("a", Some(1)), row("b", None)]);
}

#[test]
fn category_scores_count_only_what_the_score_counts() {
    let mut e = eval("a", "province", 70.0, "2026-03-01T00:00:00Z");
    e.requirements = vec![
        req("L1", Category::Layout, Status::Pass, 1.0),
        req("L2", Category::Layout, Status::Pending, 0.0),
        req("L3", Category::Layout, Status::NotApplicable, 0.0),
        req("L4", Category::Layout, Status::Fail, 0.5),
        req("S1", Category::Security, Status::Skipped, 0.0),
    ];
    let s = category_scores(&e);
    assert_eq!(s.len(), Category::ALL.len());
    let layout = s.iter().find(|c| c.category == Category::Layout).unwrap();
    assert_eq!(layout.score, Some(50.0));
    let security = s.iter().find(|c| c.category == Category::Security).unwrap();
    assert_eq!(security.score, None);
}

#[test]
fn previous_year_gives_deltas_for_portals_ranked_both_years() {
    let t = tiers::load(None).unwrap();
    let a = eval("a", "province", 72.3, "2026-03-01T00:00:00Z");
    let mut b = eval("b", "province", 60.0, "2026-03-01T00:00:00Z");
    b.verdict = Conformance::Incomplete;
    let c = eval("c", "province", 50.0, "2026-03-01T00:00:00Z");
    let d = eval("d", "province", 40.0, "2026-03-01T00:00:00Z");
    let prev = Previous {
        year: 2025,
        file: "prev.json".into(),
        entries: vec![
            PreviousEntry {
                id: "a.gov.vn".into(),
                score: 70.1,
                rank: Some(2),
            },
            PreviousEntry {
                id: "b.gov.vn".into(),
                score: 55.0,
                rank: Some(1),
            },
            PreviousEntry {
                id: "c.gov.vn".into(),
                score: 45.0,
                rank: None,
            },
        ],
    };
    let mut p = params(&t);
    p.previous = Some(&prev);
    let r = rank(&[a, b, c, d], &p);
    let get = |id: &str| r.entries.iter().find(|e| e.id == id).unwrap();
    assert_eq!(get("a.gov.vn").delta, Some(2.2));
    assert_eq!(get("a.gov.vn").previous_rank, Some(2));
    assert_eq!(get("b.gov.vn").delta, None, "excluded this year");
    assert_eq!(get("b.gov.vn").previous_score, Some(55.0));
    assert_eq!(get("c.gov.vn").delta, None, "excluded last year");
    assert_eq!(get("c.gov.vn").previous_score, Some(45.0));
    assert_eq!(get("d.gov.vn").previous_score, None, "new");
    let m = r.methodology.previous.unwrap();
    assert_eq!((m.year, m.file.as_str()), (2025, "prev.json"));
}

#[test]
fn methodology_lists_weights_policies_and_placeholders_of_ranked_evaluations() {
    let t = tiers::load(None).unwrap();
    let threshold = |v: f64| Threshold {
        check: "page-metric".into(),
        key: "max-ms".into(),
        value: serde_json::json!(v),
        provenance: crate::checklist::Provenance::Placeholder,
    };
    let mut a = eval("a", "province", 70.0, "2026-03-01T00:00:00Z");
    a.requirements[0].thresholds = vec![threshold(2500.0)];
    let mut b = eval("b", "province", 60.0, "2026-03-01T00:00:00Z");
    b.requirements[0].thresholds = vec![threshold(3000.0)];
    b.ranking_policies[0].enabled = false;
    let mut c = eval("c", "province", 60.0, "2026-03-01T00:00:00Z");
    c.verdict = Conformance::Incomplete;
    c.requirements[0].thresholds = vec![threshold(9999.0)];
    let r = rank(&[a, b, c], &params(&t));
    let m = &r.methodology;
    assert_eq!(m.placeholders.len(), 1);
    assert_eq!(m.placeholders[0].requirement, "PL3-1");
    assert_eq!(
        m.placeholders[0].value, "2500, 3000",
        "not the excluded 9999"
    );
    let flags: Vec<(&str, bool)> = m
        .policies
        .iter()
        .map(|p| (p.id.as_str(), p.enabled))
        .collect();
    assert_eq!(flags, [("emc-connected", true), ("emc-connected", false)]);
    let w: Vec<(Category, f64, usize)> = m
        .weights
        .iter()
        .map(|w| (w.category, w.weight, w.requirements))
        .collect();
    assert_eq!(w, [(Category::Layout, 2.0, 1), (Category::Emc, 2.0, 1)]);
    assert_eq!(m.tiers.len(), 5);
    assert_eq!(m.editions, ["tt21-2023"]);
}

#[test]
fn nothing_ranked_still_gives_a_ranking() {
    let t = tiers::load(None).unwrap();
    let mut a = eval("a", "ministry", 70.0, "2026-03-01T00:00:00Z");
    a.verdict = Conformance::Incomplete;
    let r = rank(&[a], &params(&t));
    assert_eq!(rows(&r), [row("a", None)]);
    assert!(r.methodology.period.is_none() && r.methodology.weights.is_empty());
    assert_eq!(r.vendors.len(), 1);
    assert_eq!(r.vendors[0].rank, None);
}

#[test]
fn partial_runs_are_ranked_only_when_allowed_and_marked_and_a_policy_still_excludes() {
    let t = tiers::load(None).unwrap();
    let a = eval("a", "province", 80.0, "2026-05-01T00:00:00Z");
    let mut partial = eval("p", "province", 90.0, "2026-05-02T00:00:00Z");
    partial.rankable = false;
    partial.not_rankable_reason = Some("partial".into());
    partial
        .requirements
        .push(req("PL4-2", Category::Performance, Status::Skipped, 0.0));
    let mut emc = partial.clone();
    emc.portal.name = "e".into();
    emc.portal.public_host = "e.gov.vn".into();
    emc.requirements[1] = req("PL6-1", Category::Emc, Status::Fail, 0.0);

    let inputs = [a, partial, emc];
    let r = rank(&inputs, &params(&t));
    assert_eq!(
        rows(&r),
        [row("a", Some(1)), row("e", None), row("p", None)]
    );
    assert!(matches!(
        r.entries[2].exclusion,
        Some(Exclusion::NotRankable { policy: None })
    ));
    assert!(!r.methodology.allow_partial);

    let mut allow = params(&t);
    allow.allow_partial = true;
    let r = rank(&inputs, &allow);
    assert_eq!(
        rows(&r),
        [row("p", Some(1)), row("a", Some(2)), row("e", None)]
    );
    assert_eq!(r.entries[0].skipped, 1, "marked with its skipped items");
    assert_eq!(r.entries[1].skipped, 0);
    assert!(matches!(
        &r.entries[2].exclusion,
        Some(Exclusion::NotRankable { policy: Some(p) }) if p == "emc-connected"
    ));
    assert!(r.methodology.allow_partial);
}

#[test]
fn an_evaluation_belongs_to_the_year_of_its_date_in_vietnam() {
    let t = tiers::load(None).unwrap();
    // 31 December 2026, 18:30 UTC is 1 January 2027, 01:30 in Hà Nội.
    let new_year = eval("n", "province", 70.0, "2026-12-31T18:30:00Z");
    let old_year = eval("o", "province", 80.0, "2026-12-31T16:30:00Z");
    assert_eq!(new_year.year(), 2027);
    assert_eq!(old_year.year(), 2026);
    let mut p = params(&t);
    p.year = Some(2026);
    let r = rank(&[new_year, old_year], &p);
    assert_eq!(rows(&r), [row("o", Some(1)), row("n", None)]);
    assert_eq!(
        r.methodology.period,
        Some(("2026-12-31".to_string(), "2026-12-31".to_string()))
    );
}

//! PL3-1: header, main content and footer on every page, with the rule that found each.

use std::collections::BTreeMap;

use super::super::{Outcome, list, no_pages, short};
use super::{region_of, region_vi};
use crate::checklist::check::RegionName;
use crate::evaluation::EvidenceRef;
use crate::observation::{FoundBy, Observations};
use crate::text::Text;
use crate::tr;

/// PL3-1: every sampled page has the required regions.
pub fn regions_present(regions: &[RegionName], obs: &Observations) -> Outcome {
    let names_en: Vec<&str> = regions.iter().map(|r| r.as_str()).collect();
    let names_vi: Vec<&str> = regions.iter().map(|r| region_vi(*r)).collect();
    let expected = Text::new(
        format!(
            "Mọi trang có đủ {} (thẻ định vị, vai trò ARIA, quy ước giao diện hoặc vị trí khối)",
            names_vi.join(", ")
        ),
        format!(
            "every page has {} (landmark, ARIA role, theme convention or block position)",
            names_en.join(", ")
        ),
    );
    let pages: Vec<_> = obs.html_pages().collect();
    if pages.is_empty() {
        return no_pages(expected, obs);
    }
    let mut bad = Vec::new();
    let mut evidence = Vec::new();
    for (p, h) in &pages {
        let missing: Vec<&str> = regions
            .iter()
            .filter(|r| region_of(h, **r).is_none())
            .map(|r| r.as_str())
            .collect();
        if !missing.is_empty() {
            bad.push(format!("{} ({})", short(&p.url, obs), missing.join(", ")));
            evidence.push(EvidenceRef::url(
                format!("missing {}", missing.join(", ")),
                &p.url,
            ));
        }
    }
    let n = pages.len();
    let ok = n - bad.len();
    let (rules_vi, rules_en) = rules(regions, obs);
    let observed = if bad.is_empty() {
        Text::new(
            format!("{ok}/{n} trang đủ bố cục; tìm thấy qua: {rules_vi}"),
            format!("{ok}/{n} pages complete; found by: {rules_en}"),
        )
    } else {
        Text::new(
            format!(
                "{ok}/{n} trang đủ bố cục; thiếu: {}; tìm thấy qua: {rules_vi}",
                list(&bad, 5)
            ),
            format!(
                "{ok}/{n} pages complete; missing: {}; found by: {rules_en}",
                list(&bad, 5)
            ),
        )
    };
    Outcome::either(
        bad.is_empty(),
        expected,
        observed,
        tr!(
            "Tất cả {n} trang có đủ ba phần",
            "all {n} pages have the three parts"
        ),
        Text::new(
            format!("{} trang thiếu phần bố cục bắt buộc", bad.len()),
            format!("{} pages lack a required part", bad.len()),
        ),
    )
    .with_evidence(evidence)
    .with_credit(ok as f64 / n as f64)
}

/// A rule in both languages, with its selector.
fn rule(by: FoundBy, selector: Option<&str>) -> (String, String) {
    let sel = selector.map_or_else(String::new, |s| format!(" `{s}`"));
    let (vi, en) = match by {
        FoundBy::Landmark => ("thẻ định vị", "landmark"),
        FoundBy::Role => ("vai trò ARIA", "ARIA role"),
        FoundBy::Convention => ("quy ước giao diện", "theme convention"),
        FoundBy::FirstBlock => ("vị trí: khối đầu", "position: first block"),
        FoundBy::MiddleBlocks => ("vị trí: các khối giữa", "position: blocks between"),
        FoundBy::LastBlock => ("vị trí: khối cuối", "position: last block"),
    };
    (format!("{vi}{sel}"), format!("{en}{sel}"))
}

/// Which rule found each region, with the number of pages (`header — landmark `header` (12)`).
fn rules(regions: &[RegionName], obs: &Observations) -> (String, String) {
    let mut vi = Vec::new();
    let mut en = Vec::new();
    for r in regions {
        let mut counts: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (_, h) in obs.html_pages() {
            if let Some(g) = region_of(h, *r) {
                *counts
                    .entry(rule(g.found_by, g.selector.as_deref()))
                    .or_insert(0) += 1;
            }
        }
        if counts.is_empty() {
            continue;
        }
        let mut counts: Vec<_> = counts.into_iter().collect();
        counts.sort_by_key(|c| std::cmp::Reverse(c.1));
        let shown = |en: bool| {
            counts
                .iter()
                .take(3)
                .map(|((v, e), k)| format!("{} ({k})", if en { e } else { v }))
                .collect::<Vec<_>>()
                .join(", ")
        };
        vi.push(format!("{} — {}", region_vi(*r), shown(false)));
        en.push(format!("{} — {}", r.as_str(), shown(true)));
    }
    (vi.join("; "), en.join("; "))
}

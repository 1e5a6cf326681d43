//! PL3-1: header, main content and footer on every page, with the rule that found each; where
//! the browser drew the page (rendered boxes), the header above the main content above the
//! footer, the header and footer visible and nearly as wide as the viewport.

use std::collections::BTreeMap;

use super::super::{Outcome, list, no_pages, short};
use super::{region_of, region_vi};
use crate::checklist::check::RegionName;
use crate::evaluation::EvidenceRef;
use crate::observation::{FoundBy, Observations, Part, RegionBox, View};
use crate::text::Text;
use crate::tr;

fn part(r: RegionName) -> Part {
    match r {
        RegionName::Header => Part::Header,
        RegionName::Main => Part::Main,
        RegionName::Footer => Part::Footer,
    }
}

/// What is wrong with where the browser drew the required regions of one page (empty: the
/// layout holds). Regions whose box was not found are left to the markup check.
fn geometry(regions: &[RegionName], view: &View, min_width_ratio: f64) -> Vec<String> {
    let found = |r: RegionName| -> Option<&RegionBox> {
        view.boxes.iter().find(|b| b.part == part(r) && b.found)
    };
    let mut problems = Vec::new();
    let order = [RegionName::Header, RegionName::Main, RegionName::Footer];
    let drawn: Vec<(RegionName, &RegionBox)> = order
        .iter()
        .filter(|r| regions.contains(r))
        .filter_map(|r| Some((*r, found(*r)?)))
        .collect();
    for w in drawn.windows(2) {
        if w[0].1.y >= w[1].1.y {
            problems.push(format!(
                "{} (y {:.0}) not above {} (y {:.0})",
                w[0].0.as_str(),
                w[0].1.y,
                w[1].0.as_str(),
                w[1].1.y
            ));
        }
    }
    let least = min_width_ratio * f64::from(view.width);
    for (r, b) in drawn
        .iter()
        .filter(|(r, _)| matches!(r, RegionName::Header | RegionName::Footer))
    {
        if !b.visible {
            problems.push(format!("{} hidden", r.as_str()));
        } else if b.width < least {
            problems.push(format!(
                "{} {:.0} px wide of {} px",
                r.as_str(),
                b.width,
                view.width
            ));
        }
    }
    problems
}

/// PL3-1: every sampled page has the required regions; on pages the browser rendered with
/// region boxes, they are drawn in order, the header and footer visible and at least
/// `min_width_ratio` of the viewport wide.
pub fn regions_present(
    regions: &[RegionName],
    min_width_ratio: f64,
    obs: &Observations,
) -> Outcome {
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
    let mut drawn_pages = 0;
    for (p, h) in &pages {
        let mut missing: Vec<String> = regions
            .iter()
            .filter(|r| region_of(h, **r).is_none())
            .map(|r| r.as_str().to_string())
            .collect();
        let rendered = obs.rendered(p);
        let view = rendered
            .and_then(|r| r.desktop.as_ref())
            .filter(|v| v.error.is_none() && !v.boxes.is_empty() && v.width > 0);
        if let Some(view) = view {
            drawn_pages += 1;
            missing.extend(geometry(regions, view, min_width_ratio));
        }
        if !missing.is_empty() {
            bad.push(format!("{} ({})", short(&p.url, obs), missing.join(", ")));
            evidence.push(EvidenceRef::url(
                format!("layout: {}", missing.join(", ")),
                &p.url,
            ));
            if let Some(r) = rendered {
                evidence.extend(crate::judge::browser::screenshot(p, r, false, obs));
            }
        }
    }
    let n = pages.len();
    let ok = n - bad.len();
    let (mut rules_vi, mut rules_en) = rules(regions, obs);
    if drawn_pages > 0 {
        rules_vi =
            format!("{rules_vi}; vị trí hiển thị kiểm tra trên {drawn_pages} trang (trình duyệt)");
        rules_en = format!("{rules_en}; drawn layout checked on {drawn_pages} pages (browser)");
    }
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
            format!(
                "{} trang thiếu phần bố cục bắt buộc hoặc hiển thị sai vị trí",
                bad.len()
            ),
            format!(
                "{} pages lack a required part or draw it out of place",
                bad.len()
            ),
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

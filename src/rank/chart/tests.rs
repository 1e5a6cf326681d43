//! The charts over the hand-built ranking ([`crate::rank::fixture`]).

use super::*;
use crate::rank::fixture::{HOSTILE, fixture};

/// The `y` of every `<text x="{x}" …>` in order.
fn text_ys(svg: &str, x: &str) -> Vec<f64> {
    let needle = format!(r#"<text x="{x}" y=""#);
    svg.match_indices(&needle)
        .map(|(i, _)| {
            let rest = &svg[i + needle.len()..];
            rest[..rest.find('"').unwrap()].parse().unwrap()
        })
        .collect()
}

#[test]
fn scores_fall_in_ten_point_bins_with_100_in_the_last() {
    assert_eq!(bin(0.0), Some(0));
    assert_eq!(bin(9.99), Some(0));
    assert_eq!(bin(10.0), Some(1));
    assert_eq!(bin(89.9), Some(8));
    assert_eq!(bin(100.0), Some(9));
    assert_eq!(bin(130.0), Some(9));
    assert_eq!(bin(-5.0), Some(0));
    assert_eq!(bin(f64::NAN), None);
    assert_eq!(bin_label(9), "90–100");
}

#[test]
fn the_distribution_has_a_panel_per_kind_and_a_bar_per_non_empty_bin() {
    let svg = distribution(&fixture(false), Lang::Vi);
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>"));
    assert_eq!(svg.matches(r#"<g class="panel">"#).count(), 2);
    // Ministries 91, 72.5, 72.5 → bins 90 and 70; provinces 88, 64.25, 55, 12 → four bins.
    assert_eq!(svg.matches(r#"<rect class="bar""#).count(), 6);
    assert!(svg.contains(">Bộ, cơ quan ngang bộ</text>"));
    assert!(svg.contains(
        "<desc id=\"chart-distribution-desc\">Bộ, cơ quan ngang bộ: điểm 70–80: 2, điểm 90–100: 1;"
    ));
    // The bar of two reaches the top of its panel, its count written above it.
    assert!(svg.contains(r#"font-weight="600">2</text>"#));
    let mut r = fixture(false);
    r.entries.retain(|e| e.organisation_kind == "province");
    assert_eq!(
        distribution(&r, Lang::En)
            .matches(r#"<g class="panel">"#)
            .count(),
        1
    );
    r.entries.retain(|e| e.rank.is_none());
    assert_eq!(distribution(&r, Lang::En), "");
}

#[test]
fn the_heatmap_has_a_cell_per_ranked_portal_and_scored_category_with_its_value() {
    let r = fixture(false);
    assert_eq!(
        scored_categories(&r),
        [Category::Functions, Category::Layout]
    );
    let svg = heatmap(&r, Lang::Vi);
    assert_eq!(svg.matches(r#"<g class="row">"#).count(), 7);
    assert_eq!(svg.matches(r#"<rect class="cell""#).count(), 7 * 2);
    assert_eq!(svg.matches(r#"<text class="group""#).count(), 2);
    // The value is written in the cell, white on the darkest shades.
    assert!(svg.contains(r##"fill="#fff">91.0</text>"##));
    assert!(svg.contains(r##"fill="#101828">2.0</text>"##));
    assert!(svg.contains(">1. Cổng Bộ A</text>"));
    assert!(svg.contains(">Bố cục giao diện</text>") || svg.contains(">Bố cục</text>"));
    // A sub-score missing for one portal is a dash, not a zero.
    let mut r = fixture(false);
    r.entries[0].categories[1].score = None;
    let svg = heatmap(&r, Lang::En);
    assert!(svg.contains(r##"fill="#101828">—</text>"##));
    assert_eq!(svg.matches(r#"<rect class="cell""#).count(), 14);
    // No category counted anywhere: no heat-map.
    for e in &mut r.entries {
        for c in &mut e.categories {
            c.score = None;
        }
    }
    assert_eq!(heatmap(&r, Lang::En), "");
}

#[test]
fn a_long_name_is_cut_in_the_heatmap_and_whole_in_its_tooltip() {
    let mut r = fixture(false);
    let long = format!("{HOSTILE} — Cổng Dịch vụ công và Hệ thống thông tin một cửa điện tử");
    r.entries[3].portal.clone_from(&long);
    let svg = heatmap(&r, Lang::Vi);
    assert!(!svg.contains("<script>"));
    assert!(svg.contains(&format!("<title>1. {}</title>", escape(&long))));
    assert!(svg.contains("Cổng ắ ộ ữ ỹ Ượ —…</text>"), "{svg}");
}

#[test]
fn category_headers_wrap_on_the_space_nearest_the_middle() {
    assert_eq!(two_lines("Chức năng"), ("Chức năng".to_string(), None));
    assert_eq!(
        two_lines("Kết nối, tích hợp"),
        ("Kết nối,".to_string(), Some("tích hợp".to_string()))
    );
    assert_eq!(
        two_lines("Khôngcókhoảngtrắng"),
        ("Khôngcókhoảngtrắng".to_string(), None)
    );
}

#[test]
fn the_slope_chart_draws_a_line_per_portal_ranked_in_both_years() {
    assert_eq!(slope(&fixture(false), Lang::Vi), "", "no --previous");
    let r = fixture(true);
    let svg = slope(&r, Lang::Vi);
    // Bộ A +6, Bộ B −7.5, the hostile name ±0, Lâm Sơn +4.25; not the excluded x-emc.
    assert_eq!(svg.matches(r#"<g class="slope">"#).count(), 4);
    assert_eq!(
        svg.matches(r#"stroke-dasharray="6 3""#).count(),
        1,
        "one fall"
    );
    assert_eq!(
        svg.matches(r#"stroke-dasharray="2 3""#).count(),
        1,
        "one unchanged"
    );
    assert!(svg.contains(">Cổng Bộ B: 80.0 → 72.5 (▼ −7.5)</text>"));
    assert!(svg.contains(&format!(">{}: 88.0 → 88.0 (= 0.0)</text>", escape(HOSTILE))));
    assert!(svg.contains(r#"font-weight="700">2025</text>"#));
    assert!(svg.contains(r#"font-weight="700">2026</text>"#));
    assert!(svg.contains("Điểm năm 2025 (trục trái) và năm 2026 (trục phải) của 4 hệ thống"));
    // The axis spans the decades around the scores: 60 to 100.
    assert!(svg.contains(r#"text-anchor="end">60</text>"#));
    assert!(!svg.contains(r#"text-anchor="end">50</text>"#));
    let mut r = fixture(true);
    for e in &mut r.entries {
        e.delta = None;
    }
    assert_eq!(slope(&r, Lang::Vi), "", "nobody in both years");
}

#[test]
fn slope_labels_never_overlap_and_stay_inside_the_chart() {
    let mut r = fixture(true);
    let template = r.entries[0].clone();
    for i in 0..40 {
        let mut e = template.clone();
        e.id = format!("p{i}");
        e.portal = format!("Cổng số {i}");
        r.entries.push(e);
    }
    let svg = slope(&r, Lang::En);
    assert_eq!(svg.matches(r#"<g class="slope">"#).count(), 44);
    let ys = text_ys(&svg, "272");
    assert_eq!(ys.len(), 44);
    for w in ys.windows(2) {
        assert!(w[1] - w[0] >= 16.0 - 1e-6, "{ys:?}");
    }
    let height: f64 = {
        let i = svg.find(r#"height=""#).unwrap() + 8;
        svg[i..i + svg[i..].find('"').unwrap()].parse().unwrap()
    };
    assert!(ys[0] > 0.0 && ys[43] < height, "{ys:?} in {height}");
}

#[test]
fn every_chart_is_the_same_twice_and_has_no_non_number() {
    for r in [fixture(true), fixture(false)] {
        for lang in [Lang::Vi, Lang::En] {
            for f in [distribution, heatmap, slope] {
                let a = f(&r, lang);
                assert_eq!(a, f(&r, lang));
                assert!(!a.contains("NaN") && !a.contains("inf"), "{a}");
            }
        }
    }
}

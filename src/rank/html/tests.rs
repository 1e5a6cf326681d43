//! The page over the hand-built ranking ([`crate::rank::fixture`]).

use super::{fmt_delta, fmt_score, html};
use crate::rank::chart;
use crate::rank::fixture::{HOSTILE, fixture};
use crate::text::Lang;

#[test]
fn numbers_are_formatted_once_with_one_decimal_and_a_true_minus() {
    assert_eq!(fmt_score(64.25), "64.2");
    assert_eq!(fmt_score(f64::NAN), "—");
    assert_eq!(fmt_delta(3.04), "+3.0");
    assert_eq!(fmt_delta(-8.0), "−8.0");
    assert_eq!(fmt_delta(0.01), "0.0");
    assert_eq!(chart::arrow_text(6.0), "▲ +6.0");
    assert_eq!(chart::arrow_text(-7.5), "▼ −7.5");
    assert_eq!(chart::arrow_text(0.0), "= 0.0");
}

#[test]
fn a_hostile_name_is_escaped_and_intact_in_the_page_and_in_every_chart() {
    let page = html(&fixture(true), Lang::Vi).unwrap();
    assert!(!page.contains("<script>"), "raw markup leaked");
    let plain = "&lt;script&gt;alert(1)&lt;/script&gt; Cổng ắ ộ ữ ỹ Ượ";
    assert_eq!(crate::report::svg::escape(HOSTILE), plain);
    // In the province table, the vendor list and the charts; read back, it is the name.
    assert!(page.matches(plain).count() >= 4, "table");
    assert!(text_of(&page, "#rank-province tbody tr").contains(HOSTILE));
    for chart in [
        chart::heatmap(&fixture(true), Lang::Vi),
        chart::slope(&fixture(true), Lang::Vi),
    ] {
        assert!(!chart.contains("<script>"));
        assert!(chart.contains(plain), "{chart}");
    }
    // NFC in, NFC out: the composed letters are there as composed letters.
    assert_eq!(crate::unicode::nfc(&page), page);
    assert!(page.contains("Ượ") && page.contains("Cổng tỉnh Lâm Sơn"));
}

/// The text of the first element matching `css` (its descendants' text joined).
fn text_of(page: &str, css: &str) -> String {
    let doc = scraper::Html::parse_document(page);
    let sel = scraper::Selector::parse(css).unwrap();
    let found = doc.select(&sel).next();
    found.map_or_else(|| panic!("no `{css}`"), |e| e.text().collect::<String>())
}

fn count(page: &str, css: &str) -> usize {
    let doc = scraper::Html::parse_document(page);
    doc.select(&scraper::Selector::parse(css).unwrap()).count()
}

#[test]
fn both_languages_render_every_section_with_no_missing_label() {
    for (lang, title, kinds) in [
        (
            Lang::Vi,
            "Bảng xếp hạng Hệ thống thông tin giải quyết thủ tục hành chính năm 2026",
            [
                "Bộ, cơ quan ngang bộ",
                "Tỉnh, thành phố trực thuộc trung ương",
            ],
        ),
        (
            Lang::En,
            "Ranking of administrative-procedure information systems, 2026",
            ["Ministries", "Provinces"],
        ),
    ] {
        for previous in [true, false] {
            let page = html(&fixture(previous), lang).unwrap();
            assert!(page.starts_with("<!doctype html>") && page.ends_with("</html>\n"));
            assert!(page.contains(&format!(r#"<html lang="{}">"#, lang.tag())));
            assert_eq!(text_of(&page, "title"), title);
            assert_eq!(text_of(&page, "h1"), title);
            for k in kinds {
                assert!(
                    text_of(&page, "#rank-ministry h2").contains(kinds[0]),
                    "{k}"
                );
                assert!(
                    text_of(&page, "#rank-province h2").contains(kinds[1]),
                    "{k}"
                );
            }
            for id in ["summary", "vendors", "excluded", "charts", "methodology"] {
                assert_eq!(count(&page, &format!("section#{id}")), 1, "{id}");
            }
            // An unknown label key renders as itself: none may reach the page.
            assert!(!page.contains("rank_"), "a label is missing");
            assert_eq!(count(&page, "#rank-ministry tbody tr"), 3);
            assert_eq!(count(&page, "#rank-province tbody tr"), 4);
            assert_eq!(count(&page, "#excluded tbody tr"), 6);
            assert_eq!(count(&page, "#vendors tbody tr"), 3);
        }
    }
}

#[test]
fn the_same_ranking_renders_the_same_bytes() {
    for lang in [Lang::Vi, Lang::En] {
        assert_eq!(
            html(&fixture(true), lang).unwrap(),
            html(&fixture(true), lang).unwrap()
        );
    }
    assert_ne!(
        html(&fixture(true), Lang::Vi).unwrap(),
        html(&fixture(true), Lang::En).unwrap()
    );
}

#[test]
fn rows_show_rank_tier_score_sub_scores_and_the_provisional_marker() {
    let page = html(&fixture(false), Lang::Vi).unwrap();
    let first = text_of(&page, "#rank-ministry tbody tr");
    for part in [
        "1",
        "Xuất sắc",
        "Cổng Bộ A",
        "UBND Cổng Bộ A",
        "Công ty A",
        "91.0",
        "81.0",
    ] {
        assert!(first.contains(part), "{part} in {first}");
    }
    // Tiers are ordered by their lowest score whatever the order given.
    assert!(page.contains(r#"<span class="badge tier-0">Xuất sắc</span>"#));
    assert!(page.contains(r#"<span class="badge tier-4">Yếu</span>"#));
    // Ties share a rank; a missing vendor is a dash.
    let rows: Vec<String> = {
        let doc = scraper::Html::parse_document(&page);
        let sel = scraper::Selector::parse("#rank-ministry td.rank-no").unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(rows, ["1", "2", "2"]);
    // Only the provisional entry carries the marker, with its pending count.
    assert_eq!(page.matches("tạm thời: 3 mục chờ").count(), 1);
    assert!(text_of(&page, "#rank-province tbody tr:nth-child(2)").contains("tạm thời: 3 mục chờ"));
    let en = html(&fixture(false), Lang::En).unwrap();
    assert!(en.contains("provisional: 3 pending"));
    // Categories with no sub-score anywhere get no column; the others one each.
    assert_eq!(count(&page, "#rank-ministry th.cat"), 2);
    assert!(!page.contains("An toàn thông tin</th>"));
    // A tier the methodology does not list is shown as given; no tier is a dash.
    let mut r = fixture(false);
    r.entries[0].tier = Some("bi-an".into());
    r.entries[1].tier = None;
    let page = html(&r, Lang::En).unwrap();
    assert!(page.contains(r#"<span class="badge tier-none">bi-an</span>"#));
    assert_eq!(
        text_of(
            &page,
            "#rank-ministry tbody tr:nth-child(2) td:nth-child(2)"
        ),
        "—"
    );
}

#[test]
fn year_over_year_change_is_shown_in_symbols_and_words_only_with_a_previous_ranking() {
    let page = html(&fixture(true), Lang::Vi).unwrap();
    let cells: Vec<String> = {
        let doc = scraper::Html::parse_document(&page);
        let sel = scraper::Selector::parse("td.delta").unwrap();
        doc.select(&sel).map(|e| e.text().collect()).collect()
    };
    assert_eq!(
        cells,
        [
            "tăng ▲ +6.0",
            "giảm ▼ −7.5",
            "mới",
            "không đổi = 0.0",
            "tăng ▲ +4.2",
            "không so sánh được (không xếp hạng ở một trong hai năm) —",
            "mới"
        ]
    );
    assert!(text_of(&page, "#rank-province thead").contains("Hạng năm trước"));
    assert!(text_of(&page, "#previous").contains("năm 2025 (ranking-2025.json)"));
    let none = html(&fixture(false), Lang::Vi).unwrap();
    assert_eq!(count(&none, "td.delta"), 0);
    assert!(!none.contains("Hạng năm trước"));
    assert!(text_of(&none, "#previous").contains("không có --previous"));
}

#[test]
fn every_exclusion_is_listed_with_its_reason_in_the_report_language() {
    let page = html(&fixture(false), Lang::Vi).unwrap();
    let excluded = text_of(&page, "#excluded tbody");
    for reason in [
        "Theo bộ tiêu chí khác (tt21-2030); không dùng --allow-mixed",
        "Không đủ điều kiện xếp hạng theo chính sách emc-connected: Hệ thống chưa kết nối EMC không được xếp hạng",
        "Đánh giá chưa hoàn tất: có kiểm tra kết thúc do lỗi",
        "Có đánh giá mới hơn của cùng hệ thống được xếp hạng thay thế (tinh-b-2.json)",
        "Không đủ điều kiện xếp hạng: lần đánh giá chỉ chạy một phần",
        "Đánh giá năm 2024, không thuộc năm xếp hạng 2026",
        "lý do gốc x-emc",
    ] {
        assert!(excluded.contains(reason), "{reason}");
    }
    let en = html(&fixture(false), Lang::En).unwrap();
    assert!(
        text_of(&en, "#excluded tbody")
            .contains("Incomplete evaluation: some check ended in error")
    );
    // Without a machine reason the stored text is the reason.
    let mut r = fixture(false);
    r.entries[7].exclusion = None;
    let page = html(&r, Lang::En).unwrap();
    assert!(text_of(&page, "#excluded tbody").contains("lý do gốc x-incomplete"));
}

#[test]
fn vendors_list_their_deployments_marking_those_not_ranked() {
    let page = html(&fixture(false), Lang::Vi).unwrap();
    let c = text_of(&page, "#vendors tbody tr:nth-child(3)");
    for part in [
        "3",
        "Công ty C",
        "12.0",
        "0.0",
        "12.0–12.0",
        "Cổng tỉnh Đông",
        "Cổng x-incomplete (không xếp hạng)",
    ] {
        assert!(c.contains(part), "{part} in {c}");
    }
    assert!(text_of(&page, "#vendors tbody tr").contains("64.2–91.0"));
    assert_eq!(count(&page, "#vendors li.unranked"), 1);
    let mut r = fixture(false);
    r.vendors.truncate(1);
    r.vendors[0].deployments = 0;
    r.vendors[0].rank = None;
    let page = html(&r, Lang::Vi).unwrap();
    let row = text_of(&page, "#vendors tbody tr");
    assert!(!row.contains("81.1") && row.contains('—'), "{row}");
    r.vendors.clear();
    let page = html(&r, Lang::Vi).unwrap();
    assert!(text_of(&page, "#vendors").contains("Không đánh giá nào ghi đơn vị cung cấp."));
}

#[test]
fn the_methodology_states_editions_tiers_policies_and_placeholders_with_provenance() {
    let page = html(&fixture(true), Lang::Vi).unwrap();
    let m = text_of(&page, "#methodology");
    for part in [
        "tt21-2023",
        "Không: đánh giá theo bộ tiêu chí khác được liệt kê, không xếp hạng",
        "2026-03-01 – 2026-10-31",
        "Điểm tổng hợp = tổng trọng số yêu cầu đạt / tổng trọng số.",
        "≥ 90.0",
        "† giá trị tạm",
        "emc-connected",
        "nguồn thứ cấp",
        "áp dụng trong bảng xếp hạng này",
        "max-ms",
        "† 2500",
        "12.5",
    ] {
        assert!(m.contains(part), "{part}");
    }
    assert_eq!(count(&page, "#tie-breakers li"), 2);
    assert!(text_of(&page, "#tie-breakers li").contains("ít yêu cầu bắt buộc"));
    assert_eq!(count(&page, "#tiers tbody tr"), 5);
    assert_eq!(count(&page, "#dagger-note"), 1);
    let mut r = fixture(false);
    r.methodology.allow_mixed = true;
    r.methodology.policies[0].enabled = false;
    r.methodology.placeholders.clear();
    r.methodology.period = None;
    let page = html(&r, Lang::En).unwrap();
    assert!(text_of(&page, "#mixed").starts_with("Yes (--allow-mixed)"));
    assert!(text_of(&page, "#policies").contains("not in force"));
    assert!(text_of(&page, "#methodology").contains("No placeholder threshold was used."));
}

#[test]
fn a_kind_with_no_ranked_portal_keeps_its_heading_and_says_so() {
    let mut r = fixture(true);
    r.entries.retain(|e| e.organisation_kind != "ministry");
    let page = html(&r, Lang::Vi).unwrap();
    assert_eq!(count(&page, "#rank-ministry table"), 0);
    assert!(
        text_of(&page, "#rank-ministry")
            .contains("Không có hệ thống nào thuộc nhóm này được xếp hạng.")
    );
    assert_eq!(count(&page, "#rank-province tbody tr"), 4);
    assert!(!text_of(&page, "#summary").contains("0 hệ thống được xếp hạng (trong"));
    // Another kind gets a table of its own.
    let mut r = fixture(false);
    r.entries[0].organisation_kind = "agency".into();
    let page = html(&r, Lang::En).unwrap();
    assert!(text_of(&page, "#rank-agency h2").contains("agency"));
    assert_eq!(count(&page, "#rank-agency tbody tr"), 1);
    // Nothing ranked at all: no chart, a sentence each.
    let mut r = fixture(false);
    r.entries.retain(|e| e.rank.is_none());
    r.vendors.clear();
    let page = html(&r, Lang::Vi).unwrap();
    assert_eq!(count(&page, "svg"), 0);
    assert_eq!(
        page.matches("Không có hệ thống nào được xếp hạng.").count(),
        2
    );
    assert_eq!(count(&page, "#excluded tbody tr"), 6);
}

#[test]
fn the_charts_are_inline_and_the_slope_chart_needs_a_previous_ranking() {
    let page = html(&fixture(true), Lang::Vi).unwrap();
    for id in ["chart-distribution", "chart-heatmap", "chart-slope"] {
        assert_eq!(count(&page, &format!("svg#{id}")), 1, "{id}");
        assert_eq!(count(&page, &format!("svg#{id} > title")), 1, "{id}");
        assert_eq!(count(&page, &format!("svg#{id} > desc")), 1, "{id}");
    }
    assert!(
        !page.contains("<script") && !page.contains("<img"),
        "self-contained"
    );
    let none = html(&fixture(false), Lang::Vi).unwrap();
    assert_eq!(count(&none, "svg#chart-slope"), 0);
    assert_eq!(
        text_of(&none, "#no-slope"),
        "Không có bảng xếp hạng năm trước (--previous) để so sánh, nên không có biểu đồ thay đổi qua các năm."
    );
    let mut r = fixture(true);
    for e in &mut r.entries {
        e.delta = None;
    }
    let page = html(&r, Lang::En).unwrap();
    assert_eq!(
        text_of(&page, "#no-slope"),
        "No system is ranked in both years."
    );
}

#[test]
fn snapshot_of_the_page_without_its_style() {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s.add_filter(r"(?s)<style>.*?</style>", "<style>…</style>");
    s.bind(|| {
        insta::assert_snapshot!("ranking-vi.html", html(&fixture(true), Lang::Vi).unwrap());
    });
}

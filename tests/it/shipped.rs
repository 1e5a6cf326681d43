//! Every shipped checklist and scenario is valid; the JSON Schemas are current; the legal texts
//! (titles, bases, provenance) say what ../shared/regulation/ says.

use crate::{ExitCode, assert_exit, kiemdinh};
use kiemdinh::checklist::{Check, Checklist, Provenance, Requirement};
use std::fmt::Write as _;

#[test]
fn shipped_files_pass_check() {
    let root = env!("CARGO_MANIFEST_DIR");
    let o = kiemdinh(&[
        "check",
        &format!("{root}/checklists"),
        &format!("{root}/scenarios"),
    ]);
    assert_exit(&o, ExitCode::Success);
}

#[test]
fn committed_schemas_are_current() {
    let root = env!("CARGO_MANIFEST_DIR");
    for which in ["checklist", "scenario", "evaluation", "ranking"] {
        let o = kiemdinh(&["schema", which]);
        let generated = String::from_utf8(o.stdout).unwrap();
        let path = format!("{root}/schemas/{which}.schema.json");
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed.trim() == generated.trim(),
            "{path} is stale: run `cargo run -- schema {which} > schemas/{which}.schema.json`"
        );
    }
}

#[test]
fn evaluation_json_matches_its_schema() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    kiemdinh(&[
        "assess",
        "--no-browser",
        "--demo",
        "--defects",
        "no-csp",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    let e = crate::evaluation(&out);
    let problems = kiemdinh::schema::validate_json(kiemdinh::schema::Which::Evaluation, &e);
    assert!(problems.is_empty(), "{problems:?}");
}

/// Every requirement id of ../shared/regulation/REQUIREMENTS.md, by checklist. Kept here by
/// hand on purpose: a checklist edit that drops or renames an id fails this test.
pub const ALL_IDS: &[(&str, &str)] = &[
    ("tt21-2023", "D4-1"),
    ("tt21-2023", "D4-2"),
    ("tt21-2023", "D4-3"),
    ("tt21-2023", "D4-4"),
    ("tt21-2023", "D4-5"),
    ("tt21-2023", "D4-6"),
    ("tt21-2023", "PL1-1"),
    ("tt21-2023", "PL1-1.1"),
    ("tt21-2023", "PL1-2"),
    ("tt21-2023", "PL1-2.1"),
    ("tt21-2023", "PL1-3.1"),
    ("tt21-2023", "PL1-3.2"),
    ("tt21-2023", "PL1-3.3"),
    ("tt21-2023", "PL1-3.4"),
    ("tt21-2023", "PL1-3.5"),
    ("tt21-2023", "PL1-3.6"),
    ("tt21-2023", "PL1-3.7"),
    ("tt21-2023", "PL1-4"),
    ("tt21-2023", "PL1-5"),
    ("tt21-2023", "PL1-5.1"),
    ("tt21-2023", "PL1-6"),
    ("tt21-2023", "PL1-7"),
    ("tt21-2023", "PL1-8"),
    ("tt21-2023", "PL1-9"),
    ("tt21-2023", "PL1-10"),
    ("tt21-2023", "PL1-11"),
    ("tt21-2023", "PL1-12"),
    ("tt21-2023", "PL1-13"),
    ("tt21-2023", "PL2-1"),
    ("tt21-2023", "PL2-2"),
    ("tt21-2023", "PL2-3"),
    ("tt21-2023", "PL2-4"),
    ("tt21-2023", "PL2-5"),
    ("tt21-2023", "PL2-6"),
    ("tt21-2023", "PL2-7"),
    ("tt21-2023", "PL2-8"),
    ("tt21-2023", "PL2-9"),
    ("tt21-2023", "PL2-10"),
    ("tt21-2023", "PL2-11"),
    ("tt21-2023", "PL2-12"),
    ("tt21-2023", "PL2-13"),
    ("tt21-2023", "PL3-1"),
    ("tt21-2023", "PL3-2"),
    ("tt21-2023", "PL3-3"),
    ("tt21-2023", "PL3-4"),
    ("tt21-2023", "PL3-5"),
    ("tt21-2023", "PL3-6"),
    ("tt21-2023", "PL3-7"),
    ("tt21-2023", "PL3-8"),
    ("tt21-2023", "PL3-9"),
    ("tt21-2023", "PL4-1"),
    ("tt21-2023", "PL4-2"),
    ("tt21-2023", "PL4-3"),
    ("tt21-2023", "PL4-4"),
    ("tt21-2023", "PL5-1"),
    ("tt21-2023", "PL5-2"),
    ("tt21-2023", "PL5-3"),
    ("tt21-2023", "PL5-4"),
    ("tt21-2023", "PL5-5"),
    ("tt21-2023", "PL5-6"),
    ("tt21-2023", "SEC-1"),
    ("tt21-2023", "SEC-2"),
    ("tt21-2023", "SEC-3"),
    ("tt21-2023", "SEC-4"),
    ("tt21-2023", "SEC-5"),
    ("tt21-2023", "SEC-7"),
    ("tt21-2023", "SEC-8"),
    ("tt21-2023", "SEC-9"),
    ("tt21-2023", "SEC-10"),
    ("tt21-2023", "SEC-11"),
    ("tt21-2023", "SSO-1"),
    ("tt21-2023", "PL6-1"),
    ("tt21-2023", "PL6-2"),
    ("tt21-2023", "PL6-3"),
    ("tt21-2023", "PL6-4"),
    ("tt21-2023", "PL6-5"),
    ("tt21-2023", "PL6-6"),
    ("tt21-2023", "PL7-1"),
    ("tt21-2023", "PL8-2"),
    ("tt21-2023", "PL8-3"),
    ("tt21-2023", "PL8-4"),
    ("tt21-2023", "PL8-5"),
    ("tt21-2023", "PL8-6"),
    ("tt21-2023", "PL8-9"),
    ("qd31-2021-dvcqg", "DVCQG-1"),
    ("qd31-2021-dvcqg", "DVCQG-2"),
    ("qd31-2021-dvcqg", "DVCQG-3"),
    ("qd31-2021-dvcqg", "DVCQG-4"),
    ("qd31-2021-dvcqg", "DVCQG-5"),
    ("qd31-2021-dvcqg", "DVCQG-6"),
    ("nsw", "NSW-1"),
    ("nsw", "NSW-2"),
    ("nsw", "NSW-3"),
];

#[test]
fn every_catalogue_id_is_in_exactly_one_shipped_checklist() {
    let mut shipped: Vec<(String, String)> = Vec::new();
    for (edition, _) in kiemdinh::checklist::SHIPPED {
        let c = kiemdinh::checklist::Checklist::resolve(edition).unwrap();
        for r in &c.requirements {
            shipped.push((c.edition.clone(), r.id.to_string()));
        }
    }
    let want: Vec<(String, String)> = ALL_IDS
        .iter()
        .map(|(c, i)| ((*c).to_string(), (*i).to_string()))
        .collect();
    let missing: Vec<_> = want.iter().filter(|w| !shipped.contains(w)).collect();
    let extra: Vec<_> = shipped.iter().filter(|s| !want.contains(s)).collect();
    assert!(
        missing.is_empty(),
        "missing from the checklists: {missing:?}"
    );
    assert!(extra.is_empty(), "not in the catalogue list: {extra:?}");
    let mut ids: Vec<&str> = shipped.iter().map(|(_, i)| i.as_str()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "an id is in two shipped checklists");
}

// ---------------------------------------------------------------- legal texts
//
// The wording that ../shared/regulation/REQUIREMENTS.md and the texts under
// ../shared/regulation/sources/ fix. Each assertion pins a correction that an evaluator would
// otherwise dispute.

fn shipped(edition: &str) -> Checklist {
    Checklist::resolve(edition).unwrap()
}

fn req<'a>(c: &'a Checklist, id: &str) -> &'a Requirement {
    c.requirements
        .iter()
        .find(|r| r.id.0 == id)
        .unwrap_or_else(|| panic!("{id} not in {}", c.edition))
}

fn all_shipped() -> Vec<Checklist> {
    kiemdinh::checklist::SHIPPED
        .iter()
        .map(|(e, _)| shipped(e))
        .collect()
}

/// Every text of a requirement: title, basis and check descriptions, both languages.
fn texts(r: &Requirement) -> String {
    let mut s = format!("{} | {} | {} | ", r.title.vi, r.title.en, r.basis);
    for c in &r.checks {
        if let Check::Evidence { description, .. }
        | Check::Attestation { description, .. }
        | Check::Planned { description, .. } = c
        {
            let _ = write!(s, "{} | {} | ", description.vi, description.en);
        }
    }
    s
}

#[test]
fn nsw_applies_to_the_single_window_itself_on_secondary_sources() {
    let c = shipped("nsw");
    assert!(c.basis.contains("89/2016/TTLT-BTC-BCT"), "{}", c.basis);
    let notes = c.notes.clone().unwrap();
    assert!(
        notes.vi.contains("chỉ áp dụng") && notes.vi.contains("vnsw.gov.vn"),
        "{}",
        notes.vi
    );
    assert!(
        notes
            .en
            .contains("only when the system under test is the National Single Window")
    );
    for r in &c.requirements {
        assert_eq!(r.provenance, Provenance::Secondary, "{}", r.id);
        if r.basis.contains("89/2016") {
            assert!(
                r.basis.contains("89/2016/TTLT-BTC-BCT"),
                "{}: {}",
                r.id,
                r.basis
            );
        }
    }
    // The joint circular is of the Ministries of Finance and of Industry and Trade.
    for (edition, text) in kiemdinh::checklist::SHIPPED {
        assert!(
            !text.contains("BTC-BTTTT"),
            "{edition}: 89/2016 is TTLT-BTC-BCT"
        );
    }
    assert!(req(&c, "NSW-2").basis.contains("Đ8.1"));
    assert!(req(&c, "NSW-3").basis.contains("Đ9"));
}

#[test]
fn nsw_3_rests_on_sec_1_only() {
    let c = shipped("nsw");
    let same: Vec<&Vec<String>> = req(&c, "NSW-3")
        .checks
        .iter()
        .filter_map(|k| match k {
            Check::SameAs { requirements, .. } => Some(requirements),
            _ => None,
        })
        .collect();
    assert_eq!(same, vec![&vec!["SEC-1".to_string()]]);
    assert!(c.notes.unwrap().vi.contains("SEC-1"));
}

#[test]
fn pl4_2_uses_the_drafts_words() {
    let c = shipped("tt21-2023");
    let r = req(&c, "PL4-2");
    assert!(
        r.title.vi.contains("Thời gian hiển thị nội dung lâu nhất"),
        "{}",
        r.title.vi
    );
    assert!(!r.title.vi.contains("lớn nhất"), "{}", r.title.vi);
    assert!(r.title.en.contains("Largest Contentful Paint"));
}

#[test]
fn dvcqg_5_is_the_government_offices_duty_not_the_provinces() {
    let c = shipped("qd31-2021-dvcqg");
    let r = req(&c, "DVCQG-5");
    assert!(r.title.vi.contains("Văn phòng Chính phủ"), "{}", r.title.vi);
    assert!(
        r.title
            .vi
            .contains("không áp dụng cho hệ thống cấp bộ, cấp tỉnh")
    );
    assert!(
        r.title
            .en
            .contains("not-applicable to ministry/province systems")
    );
    let notes = c.notes.unwrap();
    assert!(notes.vi.contains("DVCQG-5") && notes.vi.contains("not-applicable"));
    assert!(
        notes
            .en
            .contains("DVCQG-5 is a duty of the Government Office")
    );
}

#[test]
fn dvcqg_1_rests_on_the_secure_server_rule_not_the_portals_own_principle() {
    let c = shipped("qd31-2021-dvcqg");
    let r = req(&c, "DVCQG-1");
    assert!(r.title.vi.contains("Máy chủ bảo mật"), "{}", r.title.vi);
    assert!(
        r.title
            .vi
            .contains("thông suốt 24 giờ tất cả các ngày trong tuần")
    );
    assert!(r.basis.contains("Chương VII") && !r.basis.contains("Đ4.3"));
    assert!(r.basis.contains("tạm đặt"), "uptime is a placeholder");
}

#[test]
fn pl5_6_rests_on_nd_224_and_says_the_uptime_is_a_placeholder() {
    let c = shipped("tt21-2023");
    let r = req(&c, "PL5-6");
    assert!(r.basis.starts_with("NĐ 224/2026 Đ13.1.a"), "{}", r.basis);
    assert!(r.basis.contains("bãi bỏ") && r.basis.contains("tạm đặt"));
    assert_eq!(r.provenance, Provenance::Primary);
}

#[test]
fn esign_gateway_is_named_as_the_draft_names_it() {
    let c = shipped("tt21-2023");
    for id in ["D4-5", "PL1-4"] {
        let t = &req(&c, id).title;
        assert!(
            t.vi.contains("Cổng kết nối dịch vụ chứng thực chữ ký số công cộng")
                && t.vi.contains("Cổng eSign"),
            "{id}: {}",
            t.vi
        );
        assert!(!t.vi.contains("ký số tập trung"), "{id}: {}", t.vi);
    }
}

#[test]
fn procedure_fields_include_conditions_and_delivery() {
    let c = shipped("tt21-2023");
    let r = req(&c, "PL1-2.1");
    let fields = r
        .checks
        .iter()
        .find_map(|k| match k {
            Check::ProcedureFields { fields, .. } => Some(fields),
            _ => None,
        })
        .expect("procedure-fields check");
    let label = |name: &str| {
        fields
            .iter()
            .find(|f| f.name == name)
            .and_then(|f| f.label.clone())
            .unwrap_or_else(|| panic!("field {name}"))
            .vi
    };
    assert_eq!(label("conditions"), "Yêu cầu, điều kiện");
    assert_eq!(label("delivery"), "Hình thức nhận hồ sơ, trả kết quả");
    // TT 32/2017's wording is borrowed from a repealed text: inferred, and said so.
    assert_eq!(r.provenance, Provenance::Inferred);
    assert!(r.basis.contains("Đ5.1.b") && r.basis.contains("bãi bỏ"));
}

#[test]
fn repealed_articles_are_cited_as_repealed_and_inferred() {
    // TT 21/2023 Đ16.2 (draft) repeals TT 22/2019 and Articles 5–14 of TT 32/2017; NĐ 43/2011 is
    // superseded by NĐ 42/2022.
    for c in all_shipped() {
        for r in &c.requirements {
            let b = &r.basis;
            let tt32 = b
                .split("TT 32/2017 Đ")
                .skip(1)
                .filter_map(|rest| {
                    rest.chars()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                        .parse::<u32>()
                        .ok()
                })
                .any(|article| (5..=14).contains(&article));
            if tt32 || b.contains("TT 22/2019") || b.contains("NĐ 43/2011") {
                assert!(b.contains("bãi bỏ"), "{}: {b}", r.id);
                let primary_elsewhere = b.starts_with("NĐ 224/2026");
                assert!(
                    r.provenance == Provenance::Inferred || primary_elsewhere,
                    "{}: {:?}",
                    r.id,
                    r.provenance
                );
            }
        }
    }
}

#[test]
fn wording_follows_the_draft() {
    let c = shipped("tt21-2023");
    assert!(
        req(&c, "PL1-3.5")
            .title
            .vi
            .contains("bưu chính, bưu chính công ích")
    );
    for id in ["PL1-10", "PL2-8"] {
        assert!(
            req(&c, id)
                .title
                .vi
                .contains("Kho quản lý dữ liệu điện tử của tổ chức, cá nhân"),
            "{id}"
        );
    }
    assert!(req(&c, "PL3-1").title.vi.contains("phần thông tin chính"));
    // PL3-5: the listed items are examples ("như"), the requirement is the main sections.
    let menu = &req(&c, "PL3-5").title;
    assert!(menu.vi.contains("các mục chính") && menu.vi.contains("như:"));
    assert!(menu.en.contains("e.g."));
    // PL2-7: the draft says "Quản trị hệ thống" and no more; the admin UI is SEC-8's.
    let admin = req(&c, "PL2-7");
    assert!(admin.title.vi.starts_with("Quản trị hệ thống"));
    assert!(!texts(admin).contains("tên miền công khai"));
    // PL3-8: inferred from Đ5.1, not TT 32/2017 Đ16.2.
    let home = req(&c, "PL3-8");
    assert_eq!(home.provenance, Provenance::Inferred);
    assert!(home.basis.starts_with("Suy luận từ các chức năng tại Đ5.1"));
}

/// Old-style tone placement on an open "oa"/"oe" syllable ("hoá", "khoẻ"): the checklists
/// spell these new-style ("hóa", "khỏe") and consistently.
fn old_style_tone(word: &str) -> bool {
    let w: Vec<char> = word.to_lowercase().chars().collect();
    let n = w.len();
    n >= 2 && w[n - 2] == 'o' && "áàảãạéèẻẽẹ".contains(w[n - 1])
}

#[test]
fn one_spelling_of_hoa_in_every_checklist() {
    assert!(old_style_tone("hoá") && old_style_tone("Khoẻ") && !old_style_tone("hóa"));
    for (edition, text) in kiemdinh::checklist::SHIPPED {
        assert!(
            kiemdinh::unicode::nfc(text) == *text,
            "{edition} is not stored in NFC"
        );
        let old: Vec<&str> = text
            .split(|c: char| !c.is_alphabetic())
            .filter(|w| old_style_tone(w))
            .collect();
        assert!(old.is_empty(), "{edition}: old-style tone marks {old:?}");
    }
}

//! Defaults of check-spec keys: every number and list a checklist may leave out. Each is
//! documented on the key it fills (see `Check`), and `checklist show` prints the value in force
//! with its provenance.

#![allow(clippy::wildcard_imports)]

use super::parts::*;
use crate::text::Text;

pub(super) fn default_regions() -> Vec<RegionName> {
    vec![RegionName::Header, RegionName::Main, RegionName::Footer]
}
pub(super) fn yes() -> bool {
    true
}
pub(super) fn five() -> u32 {
    5
}
pub(super) fn three() -> u32 {
    3
}
pub(super) fn seven() -> u32 {
    7
}
pub(super) fn home_target() -> crate::observation::Target {
    crate::observation::Target::Home
}
pub(super) fn forty() -> u32 {
    40
}
pub(super) fn emblem_min_px() -> u32 {
    24
}
pub(super) fn emblem_words() -> Vec<String> {
    [
        "quốc huy",
        "quoc-huy",
        "quoc_huy",
        "quochuy",
        "quoc huy",
        "biểu trưng",
        "bieu-trung",
        "logo",
        "emblem",
        "huy hiệu",
    ]
    .map(String::from)
    .to_vec()
}
pub(super) fn menu_exclude() -> Vec<String> {
    [
        "đăng nhập",
        "đăng ký",
        "đăng xuất",
        "login",
        "log in",
        "sign in",
        "quốc huy",
        "logo",
    ]
    .map(String::from)
    .to_vec()
}
/// Texts that change from page to page without the region changing: visitor counters, clocks,
/// dates and weekdays (PL3-2/PL3-3).
pub(super) fn volatile_text() -> Vec<String> {
    [
        r"(số )?(lượt truy cập|lượt xem|người truy cập|đang truy cập|đang trực tuyến|trực tuyến|online|hôm nay|hôm qua|tuần này|tháng này|tổng số|tổng|visitors?|visits?|page ?views?)\s*:?\s*\d[\d.,\s]*",
        r"ngày\s*\d{1,2}\s*tháng\s*\d{1,2}\s*năm\s*\d{4}",
        r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b",
        r"\b\d{4}-\d{2}-\d{2}(t\d{2}:\d{2}(:\d{2})?)?\b",
        r"\b\d{1,2}:\d{2}(:\d{2})?(\s*(am|pm|sa|ch))?\b",
        r"\b\d{1,2}\s*giờ\s*\d{1,2}(\s*phút)?",
        r"(thứ\s*(hai|ba|tư|năm|sáu|bảy|[2-7])|chủ nhật)",
    ]
    .map(String::from)
    .to_vec()
}
/// Query and `;path` parameters that carry a session or a CSRF token (PL3-2/PL3-3).
pub(super) fn session_params() -> Vec<String> {
    [
        "jsessionid",
        "p_auth",
        "p_p_auth",
        "sid",
        "sessionid",
        "session_id",
        "phpsessid",
        "_csrf",
        "csrf_token",
        "csrfmiddlewaretoken",
        "token",
        "__requestverificationtoken",
        "cfid",
        "cftoken",
    ]
    .map(String::from)
    .to_vec()
}
pub(super) fn one() -> f64 {
    1.0
}
pub(super) fn one_u32() -> u32 {
    1
}
pub(super) fn thirty() -> u32 {
    30
}
pub(super) fn sitemap_xml() -> String {
    "/sitemap.xml".into()
}
pub(super) fn govaq() -> String {
    "_govaq".into()
}
pub(super) fn track_page_view() -> String {
    "trackPageView".into()
}
pub(super) fn track_dvc() -> String {
    "trackDVC".into()
}
pub(super) fn width_360() -> u32 {
    360
}
/// Core Web Vitals' "good" CLS (web.dev/articles/cls).
pub(super) fn cls_good() -> f64 {
    0.1
}
pub(super) fn ninety_percent() -> f64 {
    0.9
}
pub(super) fn gov_vn() -> String {
    ".gov.vn".into()
}
pub(super) fn session_cookie_names() -> Vec<String> {
    ["sess", "sid", "auth", "token", "jwt", "login"]
        .map(String::from)
        .to_vec()
}
pub(super) fn dvcqg_hosts() -> Vec<String> {
    vec!["dichvucong.gov.vn".into()]
}
pub(super) fn default_levels() -> Vec<Synonyms> {
    vec![
        Synonyms {
            name: "full".into(),
            label: Some(Text::new("Toàn trình", "full online")),
            synonyms: vec!["toàn trình".into()],
            paths: Vec::new(),
        },
        Synonyms {
            name: "partial".into(),
            label: Some(Text::new("Một phần", "partly online")),
            synonyms: vec!["một phần".into()],
            paths: Vec::new(),
        },
    ]
}
pub(super) fn outdated_levels() -> Vec<String> {
    ["mức độ 4", "mức độ 3", "mức 4", "mức 3"]
        .map(String::from)
        .to_vec()
}
pub(super) fn catalogue_synonyms() -> Vec<String> {
    vec!["danh mục thủ tục".into(), "thủ tục hành chính".into()]
}
pub(super) fn two_u32() -> u32 {
    2
}
pub(super) fn three_u32() -> u32 {
    3
}
pub(super) fn figure(
    name: &str,
    vi: &str,
    en: &str,
    synonyms: &[&str],
    share: bool,
    at_most: &[&str],
) -> Figure {
    Figure {
        name: name.into(),
        label: Some(Text::new(vi, en)),
        synonyms: synonyms.iter().map(|s| (*s).to_string()).collect(),
        share,
        at_most: at_most.iter().map(|s| (*s).to_string()).collect(),
    }
}
/// The figures PL1-8 looks for by default.
pub(crate) fn statistics_figures() -> Vec<Figure> {
    vec![
        figure(
            "received",
            "Tiếp nhận",
            "received",
            &["tiếp nhận", "hồ sơ nhận", "received"],
            false,
            &[],
        ),
        figure(
            "resolved",
            "Đã giải quyết",
            "resolved",
            &["đã giải quyết", "giải quyết xong", "đã xử lý", "resolved"],
            false,
            &["received"],
        ),
        figure(
            "on-time",
            "Đúng hạn",
            "on time",
            &["đúng hạn", "trước hạn", "on time"],
            false,
            &["resolved"],
        ),
        figure(
            "overdue",
            "Quá hạn",
            "overdue",
            &["quá hạn", "trễ hạn", "overdue"],
            false,
            &["received"],
        ),
        figure(
            "on-time-share",
            "Tỷ lệ đúng hạn",
            "on-time share",
            &[
                "tỷ lệ đúng hạn",
                "tỷ lệ giải quyết đúng hạn",
                "đúng hạn (%)",
                "on-time rate",
            ],
            true,
            &[],
        ),
        figure(
            "online-share",
            "Tỷ lệ trực tuyến",
            "online share",
            &[
                "tỷ lệ trực tuyến",
                "tỷ lệ hồ sơ trực tuyến",
                "trực tuyến",
                "online",
            ],
            true,
            &[],
        ),
    ]
}
pub(super) fn sri_exempt_hosts() -> Vec<String> {
    [
        "f-emc.ngsp.gov.vn",
        "www.google.com",
        "www.gstatic.com",
        "www.recaptcha.net",
        "www.googletagmanager.com",
        "www.google-analytics.com",
        "maps.googleapis.com",
        "connect.facebook.net",
        "sp.zalo.me",
    ]
    .map(String::from)
    .to_vec()
}
pub(super) fn not_found_phrases() -> Vec<String> {
    vec![
        "không tìm thấy".into(),
        "không có hồ sơ".into(),
        "không tồn tại".into(),
        "not found".into(),
    ]
}
pub(super) fn code_labels() -> Vec<String> {
    vec!["mã thủ tục".into(), "mã số thủ tục".into()]
}
pub(super) fn name_labels() -> Vec<String> {
    vec!["tên thủ tục".into()]
}
pub(super) fn level_labels() -> Vec<String> {
    vec!["mức độ".into()]
}
pub(super) fn field_labels() -> Vec<String> {
    vec!["lĩnh vực".into()]
}
pub(super) fn agency_labels() -> Vec<String> {
    vec!["cơ quan thực hiện".into(), "cơ quan giải quyết".into()]
}
pub(super) fn compare_all() -> Vec<CatalogueColumn> {
    vec![CatalogueColumn::Name, CatalogueColumn::Level]
}
pub(super) fn security_txt_fields() -> Vec<String> {
    vec!["contact".into(), "expires".into()]
}
/// RFC 9116 §2.5.5: `Expires` less than a year ahead is recommended.
pub(super) fn security_txt_max_days() -> u32 {
    366
}

/// The axe-core impacts that fail PL8-5 by default: critical and serious.
pub(super) fn blocking_impacts() -> Vec<AxeImpact> {
    vec![AxeImpact::Critical, AxeImpact::Serious]
}

/// Documents: what most evidence items (decisions, reports, exports) are.
pub(super) fn default_evidence_kinds() -> Vec<FileKind> {
    vec![FileKind::Pdf, FileKind::Office, FileKind::Text]
}

pub(super) fn two_hundred() -> u64 {
    200
}

//! The view model every renderer shares: sorted, rounded, in one language, versioned.

use serde::Serialize;

use crate::checklist::Category;
use crate::evaluation::{Evaluation, EvidenceRef, Status};
use crate::text::{Lang, Text};

/// Interface strings, in both languages: (key, vi, en).
const LABELS: &[(&str, &str, &str)] = &[
    (
        "report_title",
        "Báo cáo đánh giá Hệ thống thông tin giải quyết thủ tục hành chính",
        "Evaluation report: administrative-procedure information system",
    ),
    ("portal", "Hệ thống", "Portal"),
    ("organisation", "Cơ quan chủ quản", "Organisation"),
    ("vendor", "Đơn vị cung cấp", "Vendor"),
    ("address", "Địa chỉ", "Address"),
    ("checklist", "Bộ tiêu chí", "Checklist"),
    ("verdict", "Kết luận", "Verdict"),
    ("score", "Điểm", "Score"),
    ("rankable", "Đủ điều kiện xếp hạng", "Rankable"),
    ("yes", "Có", "Yes"),
    ("no", "Không", "No"),
    ("summary", "Tóm tắt", "Summary"),
    (
        "by_category",
        "Kết quả theo nhóm tiêu chí",
        "Results by category",
    ),
    ("category", "Nhóm", "Category"),
    ("total", "Tổng", "Total"),
    (
        "failures",
        "Tiêu chí không đạt hoặc lỗi",
        "Failed or errored requirements",
    ),
    (
        "no_failures",
        "Không có tiêu chí nào không đạt.",
        "No requirement failed.",
    ),
    (
        "requirements",
        "Chi tiết từng tiêu chí",
        "Every requirement",
    ),
    ("id", "Mã", "Id"),
    ("requirement", "Tiêu chí", "Requirement"),
    ("status", "Trạng thái", "Status"),
    ("expected", "Yêu cầu", "Expected"),
    ("observed", "Quan sát", "Observed"),
    ("evidence", "Minh chứng", "Evidence"),
    ("basis", "Căn cứ", "Basis"),
    ("provenance", "Nguồn gốc", "Provenance"),
    ("weight", "Trọng số", "Weight"),
    ("mandatory", "Bắt buộc", "Mandatory"),
    ("optional", "Khuyến nghị", "Optional"),
    ("method", "Phương pháp", "Method"),
    ("pages", "Các trang đã quan sát", "Pages observed"),
    ("url", "Địa chỉ", "URL"),
    ("title", "Tiêu đề", "Title"),
    ("time_ms", "Thời gian (ms)", "Time (ms)"),
    ("methodology", "Phương pháp đánh giá", "Methodology"),
    ("generated", "Lập lúc", "Generated"),
    (
        "uncertain_note",
        "Tiêu chí đánh dấu † có nội dung hoặc ngưỡng suy luận (inferred) hoặc tạm đặt (placeholder) vì các phụ lục của Thông tư chưa được công bố; đơn vị đánh giá cần xem xét.",
        "Requirements marked † have wording or thresholds that are inferred or placeholders, because the circular's appendices are not public; the evaluator should review them.",
    ),
    (
        "scoring_note",
        "Điểm = Σ(trọng số × mức đạt) / Σ(trọng số) × 100, không tính tiêu chí bị bỏ qua hoặc không áp dụng; tiêu chí lỗi hoặc chờ minh chứng được 0. Kết luận \"Không đáp ứng\" khi một tiêu chí bắt buộc không đạt; \"Chưa đủ dữ liệu\" khi có tiêu chí lỗi kiểm tra. Hệ thống chưa kết nối EMC (PL6-1) không được xếp hạng (Điều 11).",
        "Score = Σ(weight × credit) / Σ(weight) × 100 over requirements not skipped or not applicable; errors and pending evidence earn 0. Non-conformant when a mandatory requirement fails; incomplete when a check ended in error. A system not connected to EMC (PL6-1) is not ranked (Article 11).",
    ),
    (
        "http_note",
        "Kiểm tra qua HTTP/TLS: mỗi địa chỉ được tải một lần; các trang được thu thập theo chiều rộng từ trang chủ trong giới hạn của kịch bản.",
        "HTTP/TLS checks: each URL fetched once; pages crawled breadth-first from the home page within the scenario's limits.",
    ),
    (
        "lab_note",
        "Đây là kết quả đo trong phòng thí nghiệm, không phải điểm Lighthouse.",
        "These are lab measurements, not Lighthouse scores.",
    ),
    ("tool", "Công cụ", "Tool"),
    (
        "crawl_truncated",
        "Đã dừng thu thập khi đạt giới hạn số trang.",
        "The crawl stopped at the page limit.",
    ),
];

/// One status count.
#[derive(Debug, Clone, Serialize)]
pub struct CountView {
    /// Status name.
    pub status: String,
    /// Label.
    pub label: String,
    /// Count.
    pub count: usize,
}

/// One category row.
#[derive(Debug, Clone, Serialize)]
pub struct CategoryView {
    /// Category id.
    pub id: String,
    /// Title.
    pub title: String,
    /// Requirements in it.
    pub total: usize,
    /// Passed (pass, attested, delegated).
    pub pass: usize,
    /// Failed.
    pub fail: usize,
    /// Errored.
    pub error: usize,
    /// Pending.
    pub pending: usize,
    /// Neither passed, failed nor errored (pending, skipped, not applicable).
    pub skipped: usize,
    /// Score within the category, one decimal.
    pub score: String,
}

/// One requirement row.
#[derive(Debug, Clone, Serialize)]
pub struct RequirementView {
    /// Id.
    pub id: String,
    /// Checklist edition.
    pub checklist: String,
    /// Title.
    pub title: String,
    /// Category id.
    pub category: String,
    /// Category title.
    pub category_title: String,
    /// Basis.
    pub basis: String,
    /// Provenance.
    pub provenance: String,
    /// Whether provenance is inferred or placeholder (a † in reports).
    pub uncertain: bool,
    /// Mandatory.
    pub mandatory: bool,
    /// Weight, formatted.
    pub weight: String,
    /// Methods.
    pub method: String,
    /// Status id.
    pub status: String,
    /// Status label.
    pub status_label: String,
    /// Expected.
    pub expected: String,
    /// Observed.
    pub observed: String,
    /// Message.
    pub message: String,
    /// Evidence.
    pub evidence: Vec<EvidenceRef>,
}

/// One observed page.
#[derive(Debug, Clone, Serialize)]
pub struct PageView {
    /// URL.
    pub url: String,
    /// Status or `—`.
    pub status: String,
    /// Title or error.
    pub title: String,
    /// Depth from home.
    pub depth: String,
    /// Time, formatted.
    pub ms: String,
}

/// Checklist facts.
#[derive(Debug, Clone, Serialize)]
pub struct ChecklistView {
    /// Edition.
    pub edition: String,
    /// Title.
    pub title: String,
    /// Basis.
    pub basis: String,
    /// Notes.
    pub notes: String,
}

/// The whole report.
#[derive(Debug, Clone, Serialize)]
pub struct View {
    /// Version of the view (follows `evaluation.json`).
    pub schema_version: u32,
    /// Language tag.
    pub lang: String,
    /// Interface strings.
    pub t: serde_json::Map<String, serde_json::Value>,
    /// Tool version.
    pub tool_version: String,
    /// When generated.
    pub generated_at: String,
    /// Portal name.
    pub portal_name: String,
    /// Organisation.
    pub organisation: String,
    /// Vendor.
    pub vendor: String,
    /// Home page.
    pub base_url: String,
    /// Checklists.
    pub checklists: Vec<ChecklistView>,
    /// Verdict id.
    pub verdict: String,
    /// Verdict label.
    pub verdict_label: String,
    /// Score, one decimal.
    pub score: String,
    /// Rankable.
    pub rankable: bool,
    /// Why not rankable.
    pub not_rankable_reason: String,
    /// Counts by status (non-zero only).
    pub counts: Vec<CountView>,
    /// Categories.
    pub categories: Vec<CategoryView>,
    /// Failed or errored requirements.
    pub failures: Vec<RequirementView>,
    /// Every requirement.
    pub requirements: Vec<RequirementView>,
    /// Pages observed.
    pub pages: Vec<PageView>,
    /// Whether the crawl hit the page limit.
    pub crawl_truncated: bool,
    /// Whether any requirement is marked uncertain.
    pub any_uncertain: bool,
    /// Requirements in all.
    pub total: usize,
    /// Failed requirements.
    pub total_fail: usize,
    /// Errored requirements.
    pub total_error: usize,
    /// Pending, skipped or not applicable.
    pub total_skipped: usize,
}

fn fmt1(x: f64) -> String {
    format!("{x:.1}")
}

fn fmt_weight(w: f64) -> String {
    if w.fract() == 0.0 {
        format!("{w:.0}")
    } else {
        format!("{w}")
    }
}

/// Builds the view of an evaluation in one language.
pub fn build(e: &Evaluation, lang: Lang) -> View {
    let t = LABELS
        .iter()
        .map(|(k, vi, en)| {
            (
                (*k).to_string(),
                serde_json::Value::String(Text::new(*vi, *en).get(lang).to_string()),
            )
        })
        .collect();
    let requirements: Vec<RequirementView> = e
        .requirements
        .iter()
        .map(|r| RequirementView {
            id: r.verdict.id.to_string(),
            checklist: r.checklist.clone(),
            title: r.title.get(lang).to_string(),
            category: r.category.as_str().to_string(),
            category_title: r.category.title().get(lang).to_string(),
            basis: r.basis.clone(),
            provenance: r.provenance.as_str().to_string(),
            uncertain: r.provenance.is_uncertain(),
            mandatory: r.mandatory,
            weight: fmt_weight(r.weight),
            method: r
                .method
                .iter()
                .map(|m| format!("{m:?}").to_lowercase())
                .collect::<Vec<_>>()
                .join(", "),
            status: r.verdict.status.as_str().to_string(),
            status_label: r.verdict.status.label().get(lang).to_string(),
            expected: r.verdict.expected.get(lang).to_string(),
            observed: r.verdict.observed.get(lang).to_string(),
            message: r.verdict.message.get(lang).to_string(),
            evidence: r.verdict.evidence.clone(),
        })
        .collect();
    let counts = e.counts();
    let categories = Category::ALL
        .iter()
        .filter_map(|c| {
            let rs: Vec<_> = e.requirements.iter().filter(|r| r.category == *c).collect();
            if rs.is_empty() {
                return None;
            }
            let n = |f: &dyn Fn(Status) -> bool| rs.iter().filter(|r| f(r.verdict.status)).count();
            let owned: Vec<_> = rs.iter().map(|r| (*r).clone()).collect();
            Some(CategoryView {
                id: c.as_str().to_string(),
                title: c.title().get(lang).to_string(),
                total: rs.len(),
                pass: n(&|s| matches!(s, Status::Pass | Status::Attested | Status::Delegated)),
                fail: n(&|s| s == Status::Fail),
                error: n(&|s| s == Status::Error),
                pending: n(&|s| s == Status::Pending),
                skipped: n(&|s| {
                    matches!(s, Status::Pending | Status::Skipped | Status::NotApplicable)
                }),
                score: fmt1(crate::evaluation::score(&owned)),
            })
        })
        .collect();
    let pages = e
        .observations
        .pages
        .iter()
        .map(|p| PageView {
            url: p.url.clone(),
            status: p.fetch.status.map_or_else(|| "—".into(), |s| s.to_string()),
            title: p
                .fetch
                .error
                .as_ref()
                .map(|er| er.message.clone())
                .or_else(|| p.fetch.html.as_ref().and_then(|h| h.title.clone()))
                .map(|t| {
                    if p.fetch.truncated {
                        format!("{t} (truncated at {} bytes)", p.fetch.bytes)
                    } else {
                        t
                    }
                })
                .unwrap_or_default(),
            depth: p.depth.map_or_else(String::new, |d| d.to_string()),
            ms: format!("{:.0}", p.fetch.total_ms),
        })
        .collect();
    View {
        schema_version: crate::evaluation::SCHEMA_VERSION,
        lang: lang.tag().to_string(),
        t,
        tool_version: e.tool_version.clone(),
        generated_at: e.generated_at.clone(),
        portal_name: e.portal.name.clone(),
        organisation: e.portal.organisation.clone(),
        vendor: e.portal.vendor.clone().unwrap_or_default(),
        base_url: e.portal.base_url.clone(),
        checklists: e
            .checklists
            .iter()
            .map(|c| ChecklistView {
                edition: c.edition.clone(),
                title: c.title.get(lang).to_string(),
                basis: c.basis.clone(),
                notes: c
                    .notes
                    .as_ref()
                    .map(|n| n.get(lang).to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        verdict: e.verdict.as_str().to_string(),
        verdict_label: e.verdict.label().get(lang).to_string(),
        score: fmt1(e.score),
        rankable: e.rankable,
        not_rankable_reason: e
            .not_rankable_reason
            .as_ref()
            .map(|t| t.get(lang).to_string())
            .unwrap_or_default(),
        counts: Status::ALL
            .iter()
            .filter_map(|s| {
                let n = counts.get(s).copied().unwrap_or(0);
                (n > 0).then(|| CountView {
                    status: s.as_str().to_string(),
                    label: s.label().get(lang).to_string(),
                    count: n,
                })
            })
            .collect(),
        categories,
        failures: requirements
            .iter()
            .filter(|r| r.status == "fail" || r.status == "error")
            .cloned()
            .collect(),
        any_uncertain: requirements.iter().any(|r| r.uncertain),
        total: requirements.len(),
        total_fail: requirements.iter().filter(|r| r.status == "fail").count(),
        total_error: requirements.iter().filter(|r| r.status == "error").count(),
        total_skipped: requirements
            .iter()
            .filter(|r| matches!(r.status.as_str(), "pending" | "skipped" | "not-applicable"))
            .count(),
        requirements,
        pages,
        crawl_truncated: e.observations.crawl_truncated,
    }
}

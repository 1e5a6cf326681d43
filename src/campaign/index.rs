//! The campaign's `OUT/index.html` (one row per portal: organisation, kind, vendor, verdict,
//! score, status, links to its reports and log; auto-escaped, readable on a phone) and the
//! console summary.

use std::fmt::Write as _;
use std::path::Path;

use serde::Serialize;

use super::manifest::{Entry, Manifest, Status};
use crate::error::Error;
use crate::exit::ExitCode;
use crate::text::{Lang, Text};

/// One row of the index page.
#[derive(Debug, Serialize)]
struct Row {
    name: String,
    organisation: String,
    kind: String,
    vendor: String,
    verdict: Option<&'static str>,
    verdict_label: String,
    score: String,
    status: &'static str,
    status_label: String,
    note: Option<String>,
    report: Option<String>,
    json: Option<String>,
    log: Option<String>,
}

/// A path segment percent-encoded for a relative link (a file stem may hold any character).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(char::from(b));
        } else {
            let _ = write!(out, "%{b:02X}");
        }
    }
    out
}

fn status_label(s: Status) -> Text {
    match s {
        Status::Pending => Text::new("Chưa đánh giá", "Not assessed yet"),
        Status::Running => Text::new("Bị ngắt khi đang đánh giá", "Interrupted while running"),
        Status::Done => Text::new("Đã đánh giá", "Assessed"),
        Status::Failed => Text::new("Không chạy được", "Failed to run"),
    }
}

fn row(e: &Entry, out: &Path, lang: Lang) -> Row {
    let dir = out.join(&e.stem);
    let link = |file: &str| {
        dir.join(file)
            .is_file()
            .then(|| format!("{}/{file}", encode_segment(&e.stem)))
    };
    Row {
        name: e.name.clone(),
        organisation: e.organisation.clone(),
        kind: e.kind.clone(),
        vendor: e.vendor.clone().unwrap_or_default(),
        verdict: e.verdict.map(crate::evaluation::Conformance::as_str),
        verdict_label: e
            .verdict
            .map(|v| v.label().get(lang).to_string())
            .unwrap_or_default(),
        score: e
            .score
            .map_or_else(|| "—".to_string(), |s| format!("{s:.1}")),
        status: e.status.as_str(),
        status_label: status_label(e.status).get(lang).to_string(),
        note: e.note.clone(),
        report: link("report.html"),
        json: link("evaluation.json"),
        log: link("assess.log"),
    }
}

fn labels(lang: Lang) -> serde_json::Value {
    let t = |vi: &str, en: &str| Text::new(vi, en).get(lang).to_string();
    serde_json::json!({
        "title": t("Đợt đánh giá", "Assessment campaign"),
        "folder": t("Thư mục kịch bản", "Scenario folder"),
        "generated": t("cập nhật", "updated"),
        "portals": t("Số cổng", "Portals"),
        "exit": t("mã thoát", "exit code"),
        "portal": t("Cổng", "Portal"),
        "organisation": t("Cơ quan", "Organisation"),
        "kind": t("Cấp", "Kind"),
        "vendor": t("Đơn vị cung cấp", "Vendor"),
        "verdict": t("Kết luận", "Verdict"),
        "score": t("Điểm", "Score"),
        "status": t("Trạng thái", "Status"),
        "links": t("Báo cáo", "Reports"),
        "exit_note": t(
            "Mã thoát của đợt là mã xấu nhất của các cổng: 3 (chưa đủ dữ liệu hoặc không chạy được) > 1 (không đáp ứng) > 0.",
            "The campaign's exit code is the worst of its portals': 3 (incomplete or failed to run) > 1 (non-conformant) > 0."
        ),
    })
}

/// Renders `index.html`.
pub fn render(manifest: &Manifest, out: &Path, lang: Lang) -> Result<String, Error> {
    let rows: Vec<Row> = manifest.portals.iter().map(|e| row(e, out, lang)).collect();
    let mut ctx = tera::Context::new();
    ctx.insert("lang", lang.tag());
    ctx.insert("t", &labels(lang));
    ctx.insert("folder", &manifest.folder.display().to_string());
    ctx.insert("generated", &crate::clock::now_rfc3339());
    ctx.insert("exit", &super::run::worst(&manifest.portals).code());
    ctx.insert("rows", &rows);
    crate::report::render_context("campaign.html", &ctx)
}

/// Writes `OUT/index.html` (atomically, like the manifest).
pub fn write(manifest: &Manifest, out: &Path, lang: Lang) -> Result<(), Error> {
    let html = render(manifest, out, lang)?;
    crate::report::write_atomic(out, "index.html", &html).map(|_| ())
}

/// The console summary: one line per portal, the index page, the campaign's exit code
/// (`quiet`: the last line only).
pub fn summary(manifest: &Manifest, out: &Path, exit: ExitCode, quiet: bool) -> String {
    let mut s = String::new();
    if !quiet {
        for e in &manifest.portals {
            let _ = writeln!(
                s,
                "{:<7} {:<15} {:>6}  {}",
                e.status.as_str(),
                e.verdict
                    .map_or("—", crate::evaluation::Conformance::as_str),
                e.score.map_or_else(|| "—".into(), |v| format!("{v:.1}")),
                e.name
            );
        }
    }
    let done = manifest
        .portals
        .iter()
        .filter(|e| e.status == Status::Done)
        .count();
    let _ = write!(
        s,
        "campaign: {done}/{} portals assessed — exit {} — index: {}",
        manifest.portals.len(),
        exit.code(),
        out.join("index.html").display()
    );
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(stem: &str, name: &str, status: Status) -> Entry {
        Entry {
            stem: stem.into(),
            scenario: format!("{stem}.toml").into(),
            digest: String::new(),
            options: vec![],
            name: name.into(),
            organisation: "Bộ <i>X</i>".into(),
            kind: "ministry".into(),
            vendor: Some("A & B".into()),
            status,
            exit_code: None,
            verdict: None,
            score: None,
            started: None,
            finished: None,
            attempts: 1,
            note: Some("assess exited with 4".into()),
        }
    }

    #[test]
    fn the_index_escapes_portal_text_and_links_only_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("a b")).unwrap();
        for f in ["report.html", "evaluation.json", "assess.log"] {
            std::fs::write(dir.path().join("a b").join(f), "").unwrap();
        }
        std::fs::create_dir_all(dir.path().join("c")).unwrap();
        std::fs::write(dir.path().join("c/assess.log"), "").unwrap();
        let mut done = entry("a b", "Cổng <script>x</script> Ượ", Status::Done);
        (done.verdict, done.score, done.exit_code, done.note) = (
            Some(crate::evaluation::Conformance::NonConformant),
            Some(41.26),
            Some(1),
            None,
        );
        let m = Manifest {
            version: 1,
            folder: "s".into(),
            portals: vec![done, entry("c", "C", Status::Failed)],
        };
        let html = render(&m, dir.path(), Lang::En).unwrap();
        assert!(!html.contains("<script>x"), "{html}");
        assert!(html.contains("Cổng &lt;script&gt;x&lt;"), "{html}");
        assert!(html.contains("Bộ &lt;i&gt;X") && html.contains("A &amp; B"));
        assert!(html.contains("href=\"a%20b/report.html\""), "{html}");
        assert!(html.contains("href=\"c/assess.log\""));
        assert!(!html.contains("c/report.html") && !html.contains("c/evaluation.json"));
        assert!(html.contains("Non-conformant") && html.contains("41.3"));
        assert!(html.contains("Failed to run") && html.contains("assess exited with 4"));
        let vi = render(&m, dir.path(), Lang::Vi).unwrap();
        assert!(vi.contains("Không chạy được") && vi.contains("lang=\"vi\""));
        let s = summary(&m, dir.path(), ExitCode::Incomplete, false);
        assert!(
            s.ends_with(&format!(
                "campaign: 1/2 portals assessed — exit 3 — index: {}",
                dir.path().join("index.html").display()
            )),
            "{s}"
        );
        assert_eq!(s.lines().count(), 3);
        assert_eq!(
            summary(&m, dir.path(), ExitCode::Incomplete, true)
                .lines()
                .count(),
            1
        );
    }

    #[test]
    fn link_segments_are_percent_encoded() {
        assert_eq!(encode_segment("tinh-mau_2026.v1"), "tinh-mau_2026.v1");
        assert_eq!(encode_segment("a b#?"), "a%20b%23%3F");
        assert_eq!(encode_segment("Mẫu"), "M%E1%BA%ABu");
    }
}

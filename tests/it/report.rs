//! The per-portal report: the cover, the vendor's action list, the PDF, hostile and Vietnamese
//! text in HTML and PDF, and screenshots at desktop and phone width (no page overflow).
//! Browser work (PDF, screenshots) takes the browser lock and checks that no Chromium is left;
//! without Chromium it is skipped, unless `CI` is set.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use scraper::{Html, Selector};
use unicode_normalization::UnicodeNormalization;

use crate::browser::{ONE_BROWSER, browser_present, run_browser};
use crate::{ExitCode, assert_exit, assess_demo, kiemdinh};

const HOSTILE: &str = "<script>alert(1)</script> Cổng ắ ộ ữ ỹ Ượ";

fn page(out: &Path) -> Html {
    Html::parse_document(&std::fs::read_to_string(out.join("report.html")).expect("report.html"))
}

fn text(doc: &Html, css: &str) -> String {
    let sel = Selector::parse(css).expect("selector");
    doc.select(&sel)
        .next()
        .unwrap_or_else(|| panic!("`{css}` in the report"))
        .text()
        .collect::<String>()
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// The action list as (id, priority, remedy) in order.
fn actions(doc: &Html) -> Vec<(String, String, String)> {
    let item = Selector::parse("ol#action-list > li").expect("selector");
    let remedy = Selector::parse("dd.remedy").expect("selector");
    doc.select(&item)
        .map(|li| {
            let v = li.value();
            (
                v.attr("data-id").unwrap_or_default().to_string(),
                v.attr("data-priority").unwrap_or_default().to_string(),
                li.select(&remedy)
                    .next()
                    .map(|r| r.text().collect::<String>())
                    .unwrap_or_default(),
            )
        })
        .collect()
}

#[test]
fn the_action_list_puts_failed_mandatory_items_first_with_what_to_fix() {
    let (_d, out, o) = assess_demo(&["--defects", "no-hsts,footer-differs"]);
    assert_exit(&o, ExitCode::NonConformant);
    let doc = page(&out);
    let list = actions(&doc);
    let ids: Vec<&str> = list.iter().map(|(id, _, _)| id.as_str()).collect();
    // D4-1 and D4-2 restate PL3-3 and SEC-2; checklist order within one priority.
    assert_eq!(ids, ["D4-1", "D4-2", "PL3-3", "SEC-2"]);
    assert!(
        list.iter().all(|(_, p, _)| p == "mandatory-fail"),
        "{list:?}"
    );
    let sec2 = &list[3].2;
    assert!(
        sec2.contains("Strict-Transport-Security") && sec2.contains("add_header"),
        "{sec2}"
    );
    assert!(
        !doc.select(&Selector::parse("dd.remedy.generic").unwrap())
            .any(|_| true),
        "every failed requirement here has a checklist remedy"
    );
    // What was expected, what was seen, and the evidence of the footer that differs.
    let pl33 = text(&doc, "li#action-PL3-3");
    assert!(pl33.contains("/thong-ke"), "{pl33}");
    let links = Selector::parse("li#action-PL3-3 a[href^='https://127.0.0.1']").unwrap();
    assert!(doc.select(&links).next().is_some(), "evidence links");
    let sec = text(&doc, "li#action-SEC-2");
    assert!(sec.contains("Strict-Transport-Security"), "{sec}");
}

#[test]
fn the_clean_portal_has_an_empty_action_list_and_a_full_cover() {
    let (_d, out, o) = assess_demo(&[]);
    assert_exit(&o, ExitCode::Success);
    let doc = page(&out);
    assert!(actions(&doc).is_empty());
    assert!(text(&doc, "#no-actions").contains("Không có việc cần làm"));
    assert_eq!(text(&doc, "#cover-portal"), "Cổng Dịch vụ công tỉnh Mẫu");
    assert_eq!(
        text(&doc, "#cover-organisation"),
        "Ủy ban nhân dân tỉnh Mẫu"
    );
    assert!(text(&doc, "#cover-editions").contains("tt21-2023"));
    assert!(text(&doc, "#cover-editions").contains("qd31-2021-dvcqg"));
    let period = text(&doc, "#cover-period");
    assert!(
        period.starts_with("20") && period.contains("UTC"),
        "{period}"
    );
    assert_eq!(text(&doc, "#cover-evaluator"), "không ghi");
    // Provisional, and it says how many mandatory requirements are pending.
    assert_eq!(text(&doc, "#verdict"), "Chưa đủ căn cứ kết luận");
    assert!(text(&doc, "#headline").contains("tiêu chí bắt buộc"));
    // No ranking known: no rank on the cover.
    assert!(
        doc.select(&Selector::parse("#cover-rank").unwrap())
            .next()
            .is_none()
    );
    // The chart writes each category's value as text.
    let chart = text(&doc, "#category-chart");
    assert!(
        chart.contains("Bố cục giao diện") && chart.contains('.'),
        "{chart}"
    );
}

/// Output of `assess --demo` with evaluation.json edited (portal name, evaluator) and rejudged.
fn hostile_rejudged(formats: &str) -> (tempfile::TempDir, PathBuf, std::process::Output) {
    let (dir, out, o) = assess_demo(&["--format", "json"]);
    assert_exit(&o, ExitCode::Success);
    let path = out.join("evaluation.json");
    let mut e: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    e["portal"]["name"] = HOSTILE.into();
    e["portal"]["evaluator"] = "Sở KH&CN <b>tỉnh</b> Mẫu".into();
    std::fs::write(&path, serde_json::to_string(&e).unwrap()).unwrap();
    let args = ["rejudge", path.to_str().unwrap(), "--format", formats];
    if formats.contains("pdf") {
        let (d2, out2, o2) = run_browser(&args);
        // Keep both temp dirs alive: the second holds the outputs.
        std::mem::forget(dir);
        return (d2, out2, o2);
    }
    let out2 = dir.path().join("r");
    let mut all = args.to_vec();
    all.extend(["--out", out2.to_str().unwrap(), "-q"]);
    let o2 = kiemdinh(&all);
    (dir, out2, o2)
}

#[test]
fn a_hostile_vietnamese_name_renders_escaped_and_intact_in_html() {
    let (_d, out, o) = hostile_rejudged("html");
    assert_exit(&o, ExitCode::Success);
    let html = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!html.contains("<script>alert(1)"), "unescaped");
    assert!(!html.contains("<b>tỉnh</b>"), "unescaped");
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;&#x2F;script&gt; Cổng ắ ộ ữ ỹ Ượ")
            || html.contains("&lt;script&gt;alert(1)&lt;/script&gt; Cổng ắ ộ ữ ỹ Ượ")
    );
    let doc = Html::parse_document(&html);
    assert_eq!(text(&doc, "#cover-portal"), HOSTILE);
    assert_eq!(text(&doc, "#cover-evaluator"), "Sở KH&CN <b>tỉnh</b> Mẫu");
}

#[test]
fn report_pdf_keeps_every_diacritic_and_prints_within_the_deadline() {
    if !browser_present() || !have("pdftotext") {
        return;
    }
    let start = Instant::now();
    let (_d, out, o) = hostile_rejudged("html,pdf");
    assert_exit(&o, ExitCode::Success);
    assert!(
        start.elapsed() < kiemdinh::report::pdf::TIMEOUT,
        "{:?}",
        start.elapsed()
    );
    let pdf = out.join("report.pdf");
    let bytes = std::fs::read(&pdf).expect("report.pdf written");
    assert!(bytes.starts_with(b"%PDF-"));
    let info = tool("pdfinfo", &[pdf.as_os_str()]);
    let pages: u32 = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 3, "{info}");
    assert!(info.contains("(A4)"), "{info}");
    let text: String = tool("pdftotext", &[pdf.as_os_str(), "-".as_ref()])
        .nfc()
        .collect();
    assert!(text.contains(HOSTILE), "{}", &text[..text.len().min(800)]);
    assert!(text.contains("Sở KH&CN <b>tỉnh</b> Mẫu"));
    assert!(text.contains("Phụ lục"), "the appendix is printed");
    assert!(!out.join(".report.pdf.tmp").exists());
}

#[test]
fn pdf_without_chromium_is_a_usage_error_before_the_network() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_kiemdinh"))
        .args([
            "assess",
            "--demo",
            "--no-browser",
            "--no-load",
            "--format",
            "html,pdf",
        ])
        .args(["--out", out.to_str().unwrap(), "-q"])
        .env("PATH", dir.path())
        .output()
        .unwrap();
    assert_exit(&o, ExitCode::Usage);
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.contains("--format pdf needs Chromium"), "{err}");
    assert!(!out.exists(), "nothing written, nothing probed");
}

pub(crate) fn have(program: &str) -> bool {
    let found = std::process::Command::new(program)
        .arg("-v")
        .output()
        .is_ok();
    assert!(
        found || std::env::var_os("CI").is_none(),
        "CI is set and {program} is missing: install poppler-utils (scripts/setup)"
    );
    if !found {
        eprintln!("skipped: {program} (poppler-utils) not installed");
    }
    found
}

pub(crate) fn tool(program: &str, args: &[&std::ffi::OsStr]) -> String {
    let o = std::process::Command::new(program)
        .args(args)
        .output()
        .expect("tool runs");
    assert!(
        o.status.success(),
        "{program}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).expect("UTF-8")
}

/// Where test artefacts go: `target/artefacts/`.
pub(crate) fn artefacts() -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("target dir")
        .join("artefacts");
    std::fs::create_dir_all(&dir).expect("artefact dir");
    dir
}

/// One screenshot: viewport width, the page's `scrollWidth` and `innerWidth`, the PNG.
type Shot = (u32, u64, u64, Vec<u8>);

/// Opens `html` in headless Chromium (through chromedriver, with the device metrics emulated
/// exactly: a headless window cannot be narrower than 500 px) at 1366 px and 390 px wide,
/// asserts the page is no wider than the viewport (`scrollWidth <= innerWidth`: wide tables
/// scroll inside their own box), and saves a screenshot of each (the top 6 000 px) as
/// `target/artefacts/{name}-{width}.png`. Takes the browser lock; the driver and its Chromium
/// are killed on return. Returns the screenshots; empty when Chromium is missing (outside CI).
pub(crate) fn screenshots(html: &Path, name: &str) -> Vec<PathBuf> {
    use base64::Engine as _;
    use kiemdinh::probe::browser::{Driver, LaunchOptions, Session};
    if !browser_present() {
        return Vec::new();
    }
    let _one = ONE_BROWSER
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let url = url::Url::from_file_path(std::fs::canonicalize(html).expect("HTML exists"))
        .expect("file URL")
        .to_string();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let shots: Result<Vec<Shot>, String> = rt.block_on(async {
        let driver = Driver::launch(&LaunchOptions::default())
            .await
            .map_err(|e| e.to_string())?;
        let session = Session::start(&driver, Duration::from_secs(60))
            .await
            .map_err(|e| e.to_string())?;
        let mut shots = Vec::new();
        let run = async {
            for (width, height, mobile) in [(1366u32, 900u32, false), (390, 844, true)] {
                session
                    .cdp(
                        "Emulation.setDeviceMetricsOverride",
                        serde_json::json!({ "width": width, "height": height,
                            "deviceScaleFactor": 1, "mobile": mobile }),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                session
                    .client()
                    .goto(&url)
                    .await
                    .map_err(|e| e.to_string())?;
                let w = session
                    .client()
                    .execute(
                        "return [document.documentElement.scrollWidth, window.innerWidth, \
                         document.documentElement.scrollHeight]",
                        vec![],
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                let n = |i: usize| w[i].as_u64().unwrap_or(u64::MAX);
                let shot = session
                    .cdp(
                        "Page.captureScreenshot",
                        serde_json::json!({ "format": "png", "captureBeyondViewport": true,
                            "clip": { "x": 0, "y": 0, "width": width,
                                "height": n(2).min(6000), "scale": 1 } }),
                    )
                    .await
                    .map_err(|e| e.to_string())?;
                let png = base64::engine::general_purpose::STANDARD
                    .decode(shot["data"].as_str().unwrap_or_default())
                    .map_err(|e| e.to_string())?;
                shots.push((width, n(0), n(1), png));
            }
            Ok::<_, String>(())
        };
        let result = run.await;
        let _ = session.close().await;
        drop(driver);
        result.map(|()| shots)
    });
    let shots = shots.expect("the browser opens the page");
    shots
        .into_iter()
        .map(|(width, scroll, inner, png)| {
            assert_eq!(inner, u64::from(width), "viewport width");
            assert!(
                scroll <= inner,
                "{name} at {width} px: the page is {scroll} px wide"
            );
            assert!(png.starts_with(b"\x89PNG"));
            let path = artefacts().join(format!("{name}-{width}.png"));
            std::fs::write(&path, png).expect("artefact written");
            path
        })
        .collect()
}

#[test]
fn report_html_is_readable_at_desktop_and_phone_width() {
    let (_d, out, o) = assess_demo(&["--defects", "no-hsts,footer-differs"]);
    assert_exit(&o, ExitCode::NonConformant);
    let shots = screenshots(&out.join("report.html"), "report");
    if browser_present() {
        assert_eq!(shots.len(), 2);
    }
}

#[test]
fn the_overflow_check_catches_a_page_wider_than_the_window() {
    if !browser_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let html = dir.path().join("wide.html");
    std::fs::write(
        &html,
        "<!doctype html><meta name=viewport content='width=device-width'><body>\
         <table><tr><td style='white-space:nowrap'>"
            .to_string()
            + &"wide ".repeat(400)
            + "</td></tr></table></body>",
    )
    .unwrap();
    let caught = std::panic::catch_unwind(|| screenshots(&html, "overflow-check"));
    let msg = caught.expect_err("a wide page fails");
    let msg = msg.downcast_ref::<String>().cloned().unwrap_or_default();
    assert!(msg.contains("the page is"), "{msg}");
}

#[test]
fn every_requirement_an_automated_check_can_fail_has_a_remedy() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut missing = Vec::new();
    for edition in ["tt21-2023", "qd31-2021-dvcqg", "nsw"] {
        let text = std::fs::read_to_string(format!("{root}/checklists/{edition}.toml")).unwrap();
        let doc: toml::Value = toml::from_str(&text).unwrap();
        for r in doc["requirement"].as_array().unwrap() {
            let automated = r["method"]
                .as_array()
                .unwrap()
                .iter()
                .any(|m| ["http", "browser", "load"].contains(&m.as_str().unwrap()));
            let judged = r
                .get("checks")
                .and_then(toml::Value::as_array)
                .is_some_and(|cs| cs.iter().any(|c| c["kind"].as_str() != Some("planned")));
            match r.get("remedy") {
                Some(t) => {
                    let (vi, en) = (t["vi"].as_str().unwrap(), t["en"].as_str().unwrap());
                    assert!(vi.len() > 20 && en.len() > 20, "{}: {t}", r["id"]);
                }
                None if automated && judged => missing.push(r["id"].to_string()),
                None => {}
            }
        }
    }
    assert!(missing.is_empty(), "no remedy: {missing:?}");
}

//! PL8-4 (Phụ lục VIII): mobile access, judged on the pages the browser rendered at the mobile
//! viewport — the viewport meta and no sideways scrolling at the checklist's width.

use super::browser::{decide, rendered_pages, screenshot};
use super::{Outcome, list, short};
use crate::evaluation::EvidenceRef;
use crate::observation::Observations;
use crate::text::Text;
use crate::tr;

/// Pages named at most in a list of `observed`.
const NAMED: usize = 5;

/// Whether a viewport meta's content sets `width=device-width` (spaces and case ignored).
fn device_width(meta: &str) -> bool {
    meta.split([',', ';'])
        .filter_map(|kv| kv.split_once('='))
        .any(|(k, v)| {
            k.trim().eq_ignore_ascii_case("width") && v.trim().eq_ignore_ascii_case("device-width")
        })
}

/// PL8-4: every rendered page's mobile view has a viewport meta (with `width=device-width`
/// when `require_device_width`) and is no wider than `width_px` + `tolerance_px`.
pub fn mobile_viewport(
    width_px: u32,
    tolerance_px: u32,
    require_device_width: bool,
    obs: &Observations,
) -> Outcome {
    let meta_rule = if require_device_width {
        "width=device-width"
    } else {
        "viewport"
    };
    let expected = Text::new(
        format!(
            "Mọi trang có thẻ viewport ({meta_rule}) và không cuộn ngang ở {width_px} px (dung sai {tolerance_px} px)"
        ),
        format!(
            "every page has a viewport meta ({meta_rule}) and no horizontal scrolling at {width_px} px (tolerance {tolerance_px} px)"
        ),
    );
    let pages = rendered_pages(obs, &|_| true);
    if pages.is_empty() {
        return pages.none(expected);
    }
    let limit = width_px.saturating_add(tolerance_px);
    let (mut bad_meta, mut wide, mut undetermined) = (Vec::new(), Vec::new(), pages.failed.clone());
    let mut evidence = Vec::new();
    for (p, r) in &pages.ok {
        let page = short(&p.url, obs);
        let Some(view) = r.mobile_view() else {
            let why = r
                .mobile
                .as_ref()
                .and_then(|v| v.error.clone())
                .unwrap_or_else(|| "no mobile view recorded".into());
            undetermined.push(format!("{page} ({why})"));
            continue;
        };
        if view.width != width_px {
            undetermined.push(format!(
                "{page} (seen at {} px, the check asks for {width_px} px)",
                view.width
            ));
            continue;
        }
        let mut bad = false;
        match view.viewport_meta.as_deref() {
            None => {
                bad_meta.push(format!("{page}: no viewport meta"));
                bad = true;
            }
            Some(m) if require_device_width && !device_width(m) => {
                bad_meta.push(format!("{page}: \"{m}\""));
                bad = true;
            }
            Some(_) => {}
        }
        match view.scroll_width {
            Some(w) if w > limit => {
                let culprit = view
                    .overflowing
                    .iter()
                    .max_by(|a, b| a.right.total_cmp(&b.right))
                    .map_or_else(String::new, |o| {
                        format!(", widest {} to {:.0} px", o.element, o.right)
                    });
                wide.push(format!("{page}: {w} px{culprit}"));
                bad = true;
            }
            Some(_) => {}
            None => undetermined.push(format!("{page} (page width not recorded)")),
        }
        if bad && evidence.len() < 2 * NAMED {
            evidence.extend(screenshot(p, r, true, obs));
            evidence.push(EvidenceRef::url(page, &p.url));
        }
    }
    if evidence.is_empty()
        && let Some((p, r)) = pages.ok.first()
    {
        // Nothing to point at: the first page's 360 px view shows what was judged.
        evidence.extend(screenshot(p, r, true, obs));
    }
    let observed = Text::new(
        format!(
            "{} trang hiển thị ở {width_px} px: thẻ viewport sai {}{}; cuộn ngang {}{}; {} trang lỗi hiển thị, {} trang không hiển thị",
            pages.ok.len(),
            bad_meta.len(),
            detail(&bad_meta),
            wide.len(),
            detail(&wide),
            pages.failed.len(),
            pages.not_rendered
        ),
        format!(
            "{} pages rendered at {width_px} px: wrong viewport meta {}{}; horizontal scrolling {}{}; {} failed to render, {} not rendered",
            pages.ok.len(),
            bad_meta.len(),
            detail(&bad_meta),
            wide.len(),
            detail(&wide),
            pages.failed.len(),
            pages.not_rendered
        ),
    );
    let failing: Vec<String> = bad_meta.iter().chain(&wide).cloned().collect();
    let outcome = decide(
        expected,
        observed,
        &failing,
        &undetermined,
        tr!(
            "Mọi trang hiển thị vừa {width_px} px với thẻ viewport",
            "every page fits {width_px} px with a viewport meta"
        ),
        tr!(
            "Chưa phù hợp thiết bị di động: {}",
            "not fit for mobile: {}",
            list(&failing, 3)
        ),
    );
    outcome.with_evidence(evidence)
}

fn detail(items: &[String]) -> String {
    if items.is_empty() {
        String::new()
    } else {
        format!(" ({})", list(items, NAMED))
    }
}

#[cfg(test)]
mod tests {
    use crate::evaluation::Status;
    use crate::judge::tests::*;
    use crate::observation::{BrowserStatus, Overflow};

    fn verdict(id: &str, o: &crate::observation::Observations) -> crate::evaluation::Verdict {
        let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
        crate::judge::judge(c.get(id).unwrap(), o)
    }

    #[test]
    fn pl8_4_passes_with_device_width_and_no_overflow() {
        let o = rendered_obs(vec![sample_page("gioi-thieu", "<main>Giới thiệu</main>")]);
        let v = verdict("PL8-4", &o);
        assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
        assert_eq!(
            v.evidence[0].file.as_deref(),
            Some("screenshots/0-mobile.png")
        );
        assert!(
            v.observed.en.contains("2 pages rendered at 360 px"),
            "{}",
            v.observed.en
        );
    }

    #[test]
    fn pl8_4_fails_on_a_wide_table_and_names_it() {
        let mut o = rendered_obs(vec![sample_page("thong-ke", "<main>Thống kê</main>")]);
        let m = o
            .rendered
            .get_mut(&format!("{BASE}thong-ke"))
            .unwrap()
            .mobile
            .as_mut()
            .unwrap();
        m.scroll_width = Some(720);
        m.overflowing = vec![
            Overflow {
                element: "div.row".into(),
                right: 400.0,
            },
            Overflow {
                element: "table#stats".into(),
                right: 720.0,
            },
        ];
        let v = verdict("PL8-4", &o);
        assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
        assert!(
            v.observed
                .en
                .contains("/thong-ke: 720 px, widest table#stats to 720 px"),
            "{}",
            v.observed.en
        );
        assert!(
            v.evidence
                .iter()
                .any(|e| e.file.as_deref() == Some("screenshots/1-mobile.png")),
            "{:?}",
            v.evidence
        );
        // 361 px is within the 1 px tolerance.
        o.rendered
            .get_mut(&format!("{BASE}thong-ke"))
            .unwrap()
            .mobile
            .as_mut()
            .unwrap()
            .scroll_width = Some(361);
        assert_eq!(verdict("PL8-4", &o).status, Status::Pass);
    }

    #[test]
    fn pl8_4_fails_without_a_device_width_viewport_meta() {
        let mut o = rendered_obs(vec![]);
        let home = o.rendered.get_mut(BASE).unwrap().mobile.as_mut().unwrap();
        home.viewport_meta = Some("width=1024".into());
        let v = verdict("PL8-4", &o);
        assert_eq!(v.status, Status::Fail);
        assert!(
            v.observed.en.contains("/: \"width=1024\""),
            "{}",
            v.observed.en
        );
        o.rendered
            .get_mut(BASE)
            .unwrap()
            .mobile
            .as_mut()
            .unwrap()
            .viewport_meta = None;
        let v = verdict("PL8-4", &o);
        assert!(
            v.observed.en.contains("no viewport meta"),
            "{}",
            v.observed.en
        );
        assert!(super::device_width("initial-scale=1, WIDTH = Device-Width"));
        assert!(!super::device_width("width=360"));
    }

    #[test]
    fn pl8_4_is_an_error_when_a_page_failed_to_render_and_skipped_without_a_browser() {
        let mut o = rendered_obs(vec![]);
        o.rendered.get_mut(BASE).unwrap().error = Some("timeout after 30 s".into());
        let v = verdict("PL8-4", &o);
        assert_eq!(v.status, Status::Error);
        assert!(
            v.message.en.contains("timeout after 30 s"),
            "{}",
            v.message.en
        );
        // The mobile view alone failed.
        let mut o = rendered_obs(vec![]);
        let r = o.rendered.get_mut(BASE).unwrap();
        r.mobile.as_mut().unwrap().error = Some("emulation failed".into());
        assert_eq!(verdict("PL8-4", &o).status, Status::Error);
        let mut o = rendered_obs(vec![]);
        o.rendered.clear();
        o.browser = Some(browser_run(BrowserStatus::Skipped, Some("--no-browser")));
        let v = verdict("PL8-4", &o);
        assert_eq!(v.status, Status::Skipped);
        assert!(v.message.en.contains("--no-browser"));
        o.browser = Some(browser_run(BrowserStatus::Failed, Some("no chromedriver")));
        assert_eq!(verdict("PL8-4", &o).status, Status::Error);
    }
}

//! PL6-2, PL6-3 and SEC-10 (rendered part) on synthetic rendered pages: a clean run passes,
//! each fault fails, a page that failed to render or a skipped browser never fails.

use crate::evaluation::{Status, Verdict};
use crate::judge::tests::*;
use crate::observation::{BrowserStatus, Observations};

fn verdict(id: &str, o: &Observations) -> Verdict {
    let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
    crate::judge::judge(c.get(id).unwrap(), o)
}

const SERVICE: &str = "thu-tuc/1.001";

/// The fixture with one procedure page whose queue has `trackDVC` with `code`.
fn with_service(code: &serde_json::Value) -> Observations {
    let mut o = rendered_obs(vec![sample_page(SERVICE, "<main>Đăng ký khai sinh</main>")]);
    o.service_pages = Some("/thu-tuc/*".into());
    let t = o
        .rendered
        .get_mut(&format!("{BASE}{SERVICE}"))
        .unwrap()
        .tracker
        .as_mut()
        .unwrap();
    t.queue = Some(vec![
        serde_json::json!(["trackPageView"]),
        serde_json::json!(["trackDVC", code.clone(), "Đăng ký khai sinh"]),
    ]);
    o
}

#[test]
fn pl6_2_passes_when_every_rendered_page_queues_and_sends_its_page_view() {
    let o = rendered_obs(vec![sample_page("gioi-thieu", "<main>x</main>")]);
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
    assert!(
        v.observed.en.starts_with("2 rendered pages: 0 without"),
        "{}",
        v.observed.en
    );
}

#[test]
fn pl6_2_fails_naming_the_page_without_page_view_or_request() {
    let mut o = rendered_obs(vec![sample_page("gioi-thieu", "<main>x</main>")]);
    let page = format!("{BASE}gioi-thieu");
    o.rendered
        .get_mut(&page)
        .unwrap()
        .tracker
        .as_mut()
        .unwrap()
        .queue = Some(vec![]);
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Fail);
    assert!(v.message.en.contains("/gioi-thieu"), "{}", v.message.en);
    assert!(
        v.evidence
            .iter()
            .any(|e| e.file.as_deref() == Some("screenshots/1-desktop.png"))
    );
    // Queued but nothing left the page: no tracker request at all.
    let mut o = rendered_obs(vec![]);
    o.rendered
        .get_mut(BASE)
        .unwrap()
        .tracker
        .as_mut()
        .unwrap()
        .requests
        .clear();
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.observed
            .en
            .contains("1 sent no request to the tracker (/)"),
        "{}",
        v.observed.en
    );
    // A request that was not blocked is no evidence the page tried through the block.
    let mut o = rendered_obs(vec![]);
    o.rendered
        .get_mut(BASE)
        .unwrap()
        .tracker
        .as_mut()
        .unwrap()
        .requests[0]
        .blocked = false;
    assert_eq!(verdict("PL6-2", &o).status, Status::Fail);
}

#[test]
fn pl6_2_is_an_error_on_render_failures_and_missing_records_never_a_fail() {
    let mut o = rendered_obs(vec![]);
    o.rendered.get_mut(BASE).unwrap().error = Some("tab crashed".into());
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Error);
    assert!(v.message.en.contains("tab crashed"), "{}", v.message.en);
    let mut o = rendered_obs(vec![]);
    let t = o.rendered.get_mut(BASE).unwrap().tracker.as_mut().unwrap();
    t.requests.clear();
    t.error = Some("request interception failed".into());
    assert_eq!(verdict("PL6-2", &o).status, Status::Error);
    let mut o = rendered_obs(vec![]);
    o.rendered
        .get_mut(BASE)
        .unwrap()
        .tracker
        .as_mut()
        .unwrap()
        .queue_name = "_paq".into();
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Error);
    assert!(v.message.en.contains("`_paq`"), "{}", v.message.en);
    let mut o = rendered_obs(vec![]);
    o.rendered.clear();
    assert_eq!(verdict("PL6-2", &o).status, Status::Error);
    o.browser = Some(browser_run(BrowserStatus::Skipped, Some("--no-browser")));
    let v = verdict("PL6-2", &o);
    assert_eq!(v.status, Status::Skipped);
    assert!(v.message.vi.contains("--no-browser"), "{}", v.message.vi);
}

#[test]
fn pl6_3_passes_with_a_service_code_on_every_rendered_procedure_page() {
    let v = verdict("PL6-3", &with_service(&serde_json::json!("1.00101")));
    assert_eq!(v.status, Status::Pass, "{}", v.observed.en);
    assert!(
        v.observed.en.contains("/thu-tuc/1.001 1.00101"),
        "{}",
        v.observed.en
    );
}

#[test]
fn pl6_3_fails_without_trackdvc_or_with_an_empty_code() {
    let v = verdict("PL6-3", &with_service(&serde_json::json!("  ")));
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.observed.en.contains("empty code 1 (/thu-tuc/1.001)"),
        "{}",
        v.observed.en
    );
    let mut o = with_service(&serde_json::json!("1.00101"));
    let t = o
        .rendered
        .get_mut(&format!("{BASE}{SERVICE}"))
        .unwrap()
        .tracker
        .as_mut()
        .unwrap();
    t.queue = Some(vec![serde_json::json!(["trackPageView"])]);
    let v = verdict("PL6-3", &o);
    assert_eq!(v.status, Status::Fail);
    assert!(v.message.en.contains("/thu-tuc/1.001"), "{}", v.message.en);
}

#[test]
fn pl6_3_without_rendered_procedure_pages_or_glob_is_an_error() {
    let mut o = with_service(&serde_json::json!("1.00101"));
    o.rendered.remove(&format!("{BASE}{SERVICE}"));
    let v = verdict("PL6-3", &o);
    assert_eq!(v.status, Status::Error);
    assert!(
        v.message.en.contains("no procedure page was rendered"),
        "{}",
        v.message.en
    );
    let mut o = with_service(&serde_json::json!("1.00101"));
    o.service_pages = None;
    assert_eq!(verdict("PL6-3", &o).status, Status::Error);
    let mut o = with_service(&serde_json::json!("1.00101"));
    o.browser = Some(browser_run(BrowserStatus::Failed, Some("chromium missing")));
    let v = verdict("PL6-3", &o);
    assert_eq!(v.status, Status::Error);
    assert!(v.message.en.contains("chromium missing"));
}

#[test]
fn sec_10_judges_scripts_added_at_run_time_exempting_the_emc_tracker() {
    let mut o = rendered_obs(vec![]);
    o.emc_tracker_hosts = vec!["emc.mau.gov.vn".into()];
    let clean = verdict("SEC-10", &o);
    assert_eq!(clean.status, Status::Pass, "{}", clean.observed.en);
    let html = o.rendered.get_mut(BASE).unwrap().html.as_mut().unwrap();
    html.resources.push(crate::observation::Resource {
        kind: "script".into(),
        url: "https://emc.mau.gov.vn/embed/tracker.js".into(),
        integrity: false,
    });
    assert_eq!(verdict("SEC-10", &o).status, Status::Pass);
    let html = o.rendered.get_mut(BASE).unwrap().html.as_mut().unwrap();
    html.resources.push(crate::observation::Resource {
        kind: "script".into(),
        url: "https://cdn.chat.example/widget.js".into(),
        integrity: false,
    });
    let v = verdict("SEC-10", &o);
    assert_eq!(v.status, Status::Fail, "{}", v.observed.en);
    assert!(
        v.message.en.contains("cdn.chat.example"),
        "{}",
        v.message.en
    );
    // The HTTP markup alone is clean: only the rendered part fails.
    assert!(
        v.observed
            .en
            .starts_with("1 pages: 0 http:// resources, 0 third-party"),
        "{}",
        v.observed.en
    );
    o.rendered.clear();
    o.browser = Some(browser_run(BrowserStatus::Skipped, Some("--no-browser")));
    // The HTTP part passes, the rendered part is skipped: the requirement is not judged whole.
    let v = verdict("SEC-10", &o);
    assert_eq!(v.status, Status::Skipped, "{}", v.observed.en);
    assert!(v.message.en.contains("--no-browser"), "{}", v.message.en);
}

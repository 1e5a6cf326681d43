//! The journey judges on synthetic flow records: a completed journey passes, a failed step
//! fails naming it with its screenshot, a journey that could not run or lacks the demanded step
//! is an error, no journey is pending (or silent for optional checks), and PL1-12 is skipped
//! without another browser.

use crate::evaluation::{Status, Verdict};
use crate::judge::tests::*;
use crate::observation::{
    BrowserStatus, FlowRun, FlowStatus, Observations, OtherBrowser, SmokePage, StepRun, StepStatus,
};

fn verdict(id: &str, o: &Observations) -> Verdict {
    let c = crate::checklist::Checklist::resolve("tt21-2023").unwrap();
    crate::judge::judge(c.get(id).unwrap(), o)
}

fn step(action: &str, status: StepStatus, url: &str) -> StepRun {
    StepRun {
        action: action.into(),
        description: format!("{action} #x"),
        status,
        message: (status == StepStatus::Failed).then(|| "nothing matches `#x`".into()),
        url: Some(url.into()),
        elapsed_ms: 10,
        screenshot: (status == StepStatus::Failed).then(|| "flows/01-x-buoc-2-loi.jpg".into()),
    }
}

fn journey(ids: &[&str], steps: Vec<StepRun>, visited: &[&str]) -> FlowRun {
    let status = if steps.iter().any(|s| s.status == StepStatus::Failed) {
        FlowStatus::Failed
    } else {
        FlowStatus::Passed
    };
    FlowRun {
        name: "Hành trình thử".into(),
        requirements: ids.iter().map(ToString::to_string).collect(),
        origin: "declared".into(),
        basis: None,
        status,
        steps,
        visited: visited.iter().map(ToString::to_string).collect(),
        elapsed_ms: 100,
        error: None,
    }
}

fn with(flows: Vec<FlowRun>) -> Observations {
    let mut o = rendered_obs(vec![]);
    o.flows = flows;
    o
}

const FORM: &str = "https://dvc.mau.gov.vn/nop-ho-so/1.001";

#[test]
fn pl1_3_4_passes_when_the_upload_journey_completes() {
    let o = with(vec![journey(
        &["PL1-3.4"],
        vec![
            step("goto", StepStatus::Passed, FORM),
            step("upload", StepStatus::Passed, FORM),
        ],
        &[FORM],
    )]);
    let v = verdict("PL1-3.4", &o);
    assert_eq!(v.status, Status::Pass, "{v:?}");
}

#[test]
fn pl1_3_4_fails_naming_the_failed_step_and_its_screenshot() {
    let o = with(vec![journey(
        &["PL1-3.4"],
        vec![
            step("goto", StepStatus::Passed, FORM),
            step("upload", StepStatus::Failed, FORM),
        ],
        &[FORM],
    )]);
    let v = verdict("PL1-3.4", &o);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.observed.en.contains("step 2 (upload #x)"),
        "{:?}",
        v.observed
    );
    assert!(
        v.observed.en.contains("nothing matches"),
        "{:?}",
        v.observed
    );
    assert!(
        v.evidence
            .iter()
            .any(|e| e.file.as_deref() == Some("flows/01-x-buoc-2-loi.jpg"))
    );
}

#[test]
fn a_journey_without_the_demanded_step_or_that_could_not_run_is_an_error() {
    let o = with(vec![journey(
        &["PL1-3.4"],
        vec![step("goto", StepStatus::Passed, FORM)],
        &[FORM],
    )]);
    let v = verdict("PL1-3.4", &o);
    assert_eq!(v.status, Status::Error);
    assert!(v.message.en.contains("`upload`"), "{:?}", v.message);
    let mut broken = journey(&["PL1-3.4"], vec![], &[]);
    broken.status = FlowStatus::Error;
    broken.error = Some("the environment variable `KD_PASS` is not set".into());
    let v = verdict("PL1-3.4", &with(vec![broken]));
    assert_eq!(v.status, Status::Error);
    assert!(v.message.en.contains("KD_PASS"));
}

#[test]
fn no_journey_is_pending_with_the_reason_none_was_built() {
    let mut o = with(vec![]);
    o.flows_not_built = vec![("PL1-3.3".into(), "not found: an e-form".into())];
    let v = verdict("PL1-3.3", &o);
    assert_eq!(v.status, Status::Pending);
    assert!(
        v.message.en.contains("not found: an e-form"),
        "{:?}",
        v.message
    );
}

#[test]
fn pl1_3_6_needs_the_payment_platform_over_https() {
    let pay = |url: &str| {
        with(vec![journey(
            &["PL1-3.6"],
            vec![step("click", StepStatus::Passed, url)],
            &[FORM, url],
        )])
    };
    assert_eq!(
        verdict(
            "PL1-3.6",
            &pay("https://thanhtoan.dichvucong.gov.vn/pay?x=1")
        )
        .status,
        Status::Pass
    );
    let v = verdict("PL1-3.6", &pay("http://thanhtoan.dichvucong.gov.vn/pay"));
    assert_eq!(v.status, Status::Fail);
    assert!(v.message.en.contains("plain HTTP"), "{:?}", v.message);
    let v = verdict("PL1-3.6", &pay("https://pay.example.com/"));
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.message
            .en
            .contains("saw only dvc.mau.gov.vn, pay.example.com"),
        "{:?}",
        v.message
    );
    // The scenario's `[payment] hosts` extends the checklist's list.
    let mut o = pay("https://pay.example.com/");
    o.payment_hosts = vec!["example.com".into()];
    assert_eq!(verdict("PL1-3.6", &o).status, Status::Pass);
}

#[test]
fn an_optional_journey_check_counts_only_when_a_journey_serves_it() {
    let without = verdict("PL1-5.1", &with(vec![]));
    let failed = verdict(
        "PL1-5.1",
        &with(vec![journey(
            &["PL1-5.1"],
            vec![step("fill", StepStatus::Failed, FORM)],
            &[FORM],
        )]),
    );
    assert_ne!(without.status, Status::Pending, "{without:?}");
    assert_eq!(failed.status, Status::Fail, "{failed:?}");
}

#[test]
fn journeys_are_skipped_without_a_browser() {
    let mut o = with(vec![]);
    o.browser = Some(browser_run(BrowserStatus::Skipped, Some("--no-browser")));
    assert_eq!(verdict("PL1-3.3", &o).status, Status::Skipped);
}

#[test]
fn pl1_12_needs_another_browser_and_the_pages_in_it() {
    let page = |error: Option<&str>, chars: u64| SmokePage {
        url: "https://dvc.mau.gov.vn/".into(),
        title: Some("Cổng".into()),
        text_chars: chars,
        error: error.map(String::from),
    };
    let firefox = |pages: Vec<SmokePage>, not_run: Option<&str>| OtherBrowser {
        browser: "firefox".into(),
        version: Some("140.0".into()),
        not_run: not_run.map(String::from),
        pages,
    };
    let mut o = with(vec![]);
    assert_eq!(
        verdict("PL1-12", &o).status,
        Status::Error,
        "nothing recorded"
    );
    o.other_browsers = vec![firefox(vec![], Some("Firefox is not installed"))];
    let v = verdict("PL1-12", &o);
    assert_eq!(v.status, Status::Skipped);
    assert!(v.message.en.contains("not installed"));
    o.other_browsers = vec![firefox(vec![page(None, 5000)], None)];
    assert_eq!(verdict("PL1-12", &o).status, Status::Pass);
    o.other_browsers = vec![firefox(vec![page(None, 20)], None)];
    assert_eq!(verdict("PL1-12", &o).status, Status::Fail);
    o.other_browsers = vec![firefox(vec![page(Some("connection reset"), 0)], None)];
    assert_eq!(verdict("PL1-12", &o).status, Status::Fail);
}

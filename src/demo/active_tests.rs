//! The consent-gated active checks (SEC-3 session renewal, SEC-4 idle timeout, SEC-5 lockout)
//! against the reference portal over loopback TLS: they pass on the clean portal, fail with
//! `session-fixation` and `no-lockout`, stay within `N + 6` requests (counted by the portal),
//! and send nothing without the flag, the authorisation or the account.

use std::time::Duration;

use super::routes::session::{STAFF_PASSWORD, STAFF_USER};
use super::{Defects, RunningPortal, start};
use crate::checklist::Checklist;
use crate::evaluation::{Status, Verdict};
use crate::observation::{ActiveRun, Observations};
use crate::probe::active::{gate, max_failures, run};
use crate::scenario::Scenario;

fn env(k: &str) -> Option<String> {
    match k {
        "KIEMDINH_DEMO_STAFF_USER" => Some(STAFF_USER.into()),
        "KIEMDINH_DEMO_STAFF_PASSWORD" => Some(STAFF_PASSWORD.into()),
        _ => None,
    }
}

async fn portal(defects: &[&str]) -> (RunningPortal, Scenario) {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    let p = start(0, 0, Defects::parse(&names).unwrap()).await.unwrap();
    p.local_login().set_idle_timeout(Duration::from_millis(800));
    let mut s = p.scenario().unwrap();
    // Declared 1 s, waited 2 s: the portal's 0.8 s timeout is within it.
    s.security.active.as_mut().unwrap().idle = Some((1, 1));
    (p, s)
}

fn verdict(id: &str, run: &ActiveRun) -> Verdict {
    let c = Checklist::resolve("tt21-2023").unwrap();
    let r = c.requirements.iter().find(|r| r.id.as_str() == id).unwrap();
    let obs = Observations {
        active: Some(Box::new(run.clone())),
        ..Observations::default()
    };
    crate::judge::judge(r, &obs)
}

fn renewal_status(run: &ActiveRun) -> Status {
    verdict("SEC-3", run)
        .findings
        .iter()
        .find(|f| f.id == "SEC-3/session-renewed")
        .unwrap()
        .status
}

/// Runs the checks with the checklist's N; asserts the portal counted what the run says it
/// sent, within the bound.
async fn checked(p: &RunningPortal, s: &Scenario) -> ActiveRun {
    let n = max_failures(&[Checklist::resolve("tt21-2023").unwrap()]);
    assert_eq!(n, 5, "N comes from the checklist");
    let before = p.requests();
    let r = run(s, true, n, &env).await;
    let sent = p.requests() - before;
    assert_eq!(u64::from(r.requests), sent, "{r:?}");
    assert!(sent <= u64::from(n) + 6, "bounded: {sent} requests");
    r
}

#[tokio::test]
async fn sec_3_sec_4_sec_5_pass_on_the_clean_portal() {
    let (p, s) = portal(&[]).await;
    let r = checked(&p, &s).await;
    assert_eq!(r.error, None, "{r:?}");
    assert!(r.renewal.as_ref().unwrap().renewed);
    assert!(r.renewal.as_ref().unwrap().issued_before);
    let idle = r.idle.as_ref().unwrap();
    assert_eq!((idle.waited_s, idle.status_after_wait), (2, 401));
    let lock = r.lockout.as_ref().unwrap();
    assert_eq!(lock.locked_message_at, Some(5));
    assert!(lock.right_password_refused);
    assert_eq!(renewal_status(&r), Status::Pass);
    assert_eq!(verdict("SEC-4", &r).status, Status::Pass);
    assert_eq!(verdict("SEC-5", &r).status, Status::Pass);
    let json = serde_json::to_string(&r).unwrap();
    assert!(!json.contains(STAFF_PASSWORD), "no password recorded");
}

#[tokio::test]
async fn session_fixation_fails_sec_3() {
    let (p, s) = portal(&["session-fixation"]).await;
    let r = checked(&p, &s).await;
    assert!(!r.renewal.as_ref().unwrap().renewed, "{r:?}");
    assert_eq!(renewal_status(&r), Status::Fail);
    assert_eq!(verdict("SEC-3", &r).status, Status::Fail);
    assert_eq!(
        verdict("SEC-5", &r).status,
        Status::Pass,
        "only SEC-3 breaks"
    );
}

#[tokio::test]
async fn no_lockout_fails_sec_5_after_exactly_n_wrong_passwords() {
    let (p, mut s) = portal(&["no-lockout"]).await;
    s.security.active.as_mut().unwrap().idle = None;
    let r = checked(&p, &s).await;
    let lock = r.lockout.as_ref().unwrap();
    assert_eq!((lock.wrong_attempts, lock.locked_message_at), (5, None));
    assert!(!lock.right_password_refused);
    // GET login page, login, protected page, 5 wrong, 1 right, protected page.
    assert_eq!(r.requests, 10);
    assert_eq!(r.idle, None, "no idle-timeout-s: no wait");
    let v = verdict("SEC-5", &r);
    assert_eq!(v.status, Status::Fail);
    assert!(
        v.message.en.contains("no lockout after 5"),
        "{:?}",
        v.message
    );
    assert_eq!(
        verdict("SEC-4", &r).status,
        Status::Pending,
        "SEC-4 waits for a declared timeout"
    );
}

#[tokio::test]
async fn nothing_is_sent_without_the_flag_or_the_account() {
    let (p, s) = portal(&[]).await;
    let before = p.requests();
    let r = run(&s, false, 5, &env).await;
    let why = r.skipped.clone().unwrap();
    assert!(why.en.contains("no --active-security flag"), "{why:?}");
    assert_eq!(verdict("SEC-5", &r).status, Status::Pending);
    assert!(
        verdict("SEC-5", &r)
            .message
            .en
            .contains("--active-security")
    );
    let r = run(&s, true, 5, &|_| None).await;
    let why = r.skipped.unwrap();
    assert!(
        why.en.contains("KIEMDINH_DEMO_STAFF_USER") && !why.en.contains("flag"),
        "{why:?}"
    );
    assert_eq!(p.requests(), before, "nothing sent");
}

#[tokio::test]
async fn a_non_loopback_portal_needs_an_authorisation_covering_today() {
    let (_p, mut s) = portal(&[]).await;
    s.base_url = url::Url::parse("https://dvc.example.gov.vn/").unwrap();
    let why = gate(&s, true, "2026-11-30", &env).unwrap_err();
    assert!(why.en.contains("no written authorisation"), "{why:?}");
    assert!(!why.en.contains("flag"));
    let why = gate(&s, false, "2026-11-30", &|_| None).unwrap_err();
    for missing in ["flag", "authorisation", "variables"] {
        assert!(why.en.contains(missing), "{missing}: {why:?}");
    }
    s.security.authorization = Some(Box::new(crate::scenario::load::Authorization {
        by: "Trần Văn B".into(),
        reference: "CV 12/STTTT".into(),
        from: "2026-11-01".into(),
        until: "2026-11-30".into(),
    }));
    assert!(gate(&s, true, "2026-11-30", &env).is_ok());
    let why = gate(&s, true, "2026-12-01", &env).unwrap_err();
    assert!(why.en.contains("does not cover today"), "{why:?}");
}

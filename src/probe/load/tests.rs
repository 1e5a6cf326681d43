use super::*;
use crate::input::Source;
use crate::scenario::RawScenario;

/// The demo scenario with `load` appended (and its addresses replaced).
async fn demo_with(load: &str) -> (crate::demo::RunningPortal, Scenario) {
    let portal = crate::demo::start_themed(
        0,
        0,
        crate::demo::Defects::default(),
        crate::demo::Theme::default(),
    )
    .await
    .unwrap();
    let base = portal.scenario().unwrap();
    let text = crate::scenario::DEMO
        .replace("https://127.0.0.1:8443/", base.base_url.as_str())
        .replace("http://127.0.0.1:8080/", base.http_url.as_str());
    let text = match text.find("\n[load]") {
        Some(i) => text[..i].to_string(),
        None => text,
    };
    let source = Source {
        path: base.source.clone(),
        text: format!("{text}\n{load}"),
    };
    let raw: RawScenario = source.parse("scenario").unwrap();
    let mut s = Scenario::validate(raw, &source).unwrap_or_else(|e| panic!("{e}"));
    s.ca_pem = base.ca_pem.clone();
    (portal, s)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_short_closed_run_measures_every_step_and_captures() {
    let (_portal, s) = demo_with(
        "[load]\nusers = 3\nduration-s = 2\nthink-ms = 50\n\
         [[load.journeys]]\nname = \"xem\"\nsteps = [{ path = \"/\" }, { path = \"/thu-tuc/\", capture = [{ name = \"p\", regex = 'href=\"(/thu-tuc/[0-9][^\"]*)\"' }] }, { path = \"{{p}}\" }]\n\
         [[load.journeys]]\nname = \"sai\"\ntransactional = true\nsteps = [{ path = \"/khong-co-trang-nay\" }]\n",
    )
    .await;
    let l = s.load.clone().unwrap();
    let js = journeys(&s, &l, None);
    let seg = attack(&s, &l, &js, &l.stages, &l.measured, &Options::default())
        .await
        .unwrap();
    assert_eq!(seg.planned_users, 3);
    assert_eq!(seg.users, 3);
    assert!(seg.requests > 10, "{seg:?}");
    assert!((seg.measured_s - 2.0).abs() < 0.5, "{}", seg.measured_s);
    let step = |j: &str, n: usize| seg.steps.iter().filter(|s| s.journey == j).nth(n).unwrap();
    assert!(
        step("xem", 2).requests > 0,
        "the captured path was followed"
    );
    assert_eq!(step("xem", 2).errors, 0, "{:?}", seg.errors_by_kind);
    // 1 user of 3 on the transactional journey (the default share, at least one user).
    assert_eq!(seg.active_users, 1);
    assert_eq!(step("sai", 0).errors, step("sai", 0).requests);
    assert!(seg.errors_by_status["404"] > 0);
    assert_eq!(seg.overall.count(), seg.requests);
    assert!(seg.warnings.is_empty(), "{:?}", seg.warnings);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_request_bound_stops_the_run() {
    let (_portal, s) =
        demo_with("[load]\nusers = 2\nduration-s = 30\nthink-ms = 0\nmax-requests = 40\n").await;
    let l = s.load.clone().unwrap();
    let js = journeys(&s, &l, None);
    let t = Instant::now();
    let seg = attack(&s, &l, &js, &l.stages, &l.measured, &Options::default())
        .await
        .unwrap();
    assert!(t.elapsed() < Duration::from_secs(15), "{:?}", t.elapsed());
    assert!(seg.requests <= 40, "{}", seg.requests);
    assert!(
        seg.warnings
            .contains(&LoadWarning::RequestBoundReached { max_requests: 40 }),
        "{:?}",
        seg.warnings
    );
    assert!(!seg.warnings.contains(&LoadWarning::Interrupted));
}

#[test]
fn load_goes_only_to_loopback_or_an_authorised_target() {
    let text = |auth: &str| {
        format!(
            "[portal]\nname = \"x\"\norganisation = \"UBND\"\norganisation-kind = \"province\"\nbase-url = \"https://dvc.example.gov.vn/\"\n[load]\nusers = 1\nduration-s = 1\n{auth}"
        )
    };
    let load = |t: &str| {
        let s = Scenario::from_source(&Source {
            path: "s.toml".into(),
            text: t.into(),
        })
        .unwrap();
        let l = s.load.clone().unwrap();
        (s, l)
    };
    let (s, l) = load(&text(""));
    let e = authorised(&s, &l, "2026-11-29").unwrap_err();
    assert!(
        e.contains("dvc.example.gov.vn") && e.contains("[load.authorization]"),
        "{e}"
    );
    let (s, l) = load(&text(
        "[load.authorization]\nby = \"A\"\nreference = \"CV 1\"\nfrom = \"2026-11-01\"\nuntil = \"2026-11-30\"\n",
    ));
    assert!(authorised(&s, &l, "2026-11-29").is_ok());
    assert!(
        authorised(&s, &l, "2026-12-01")
            .unwrap_err()
            .contains("not today")
    );
    let (s, l) = load(&text("").replace("https://dvc.example.gov.vn/", "http://127.0.0.1:9/"));
    assert!(authorised(&s, &l, "2026-11-29").is_ok());
}

#[test]
fn segments_share_the_users_exactly() {
    assert_eq!(
        (0..4)
            .map(|i| segment_users(10, (i, 4)))
            .collect::<Vec<_>>(),
        [3, 3, 2, 2]
    );
    assert_eq!(segment_users(1, (1, 2)), 0);
}

//! The load-bearing JSON API and the `overload=N` defect: in-process against the router, and
//! over loopback TLS with a few closed-loop users.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use axum::body::Body;
use axum::http::Request;
use futures_util::FutureExt;
use futures_util::future::join_all;
use tower::ServiceExt;

use super::tests::state;
use super::{Defects, State, Theme, router};

/// Sends one request in-process: status, `Retry-After`, body, how long it took.
async fn send(st: &Arc<State>, req: Request<Body>) -> (u16, Option<String>, String, Duration) {
    let started = Instant::now();
    let resp = router::router(st.clone()).oneshot(req).await.unwrap();
    let status = resp.status().as_u16();
    let retry = resp
        .headers()
        .get("retry-after")
        .map(|v| v.to_str().unwrap().to_string());
    let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
        .await
        .unwrap();
    let took = started.elapsed();
    (
        status,
        retry,
        String::from_utf8(bytes.to_vec()).unwrap(),
        took,
    )
}

async fn get_json(st: &Arc<State>, path: &str) -> (u16, serde_json::Value) {
    let (status, _, body, _) = send(st, Request::get(path).body(Body::empty()).unwrap()).await;
    (status, serde_json::from_str(&body).unwrap())
}

async fn post(st: &Arc<State>, kind: &str, body: &str) -> (u16, serde_json::Value) {
    let req = Request::post("/api/tra-cuu")
        .header("content-type", kind)
        .body(Body::from(body.to_string()))
        .unwrap();
    let (status, _, body, _) = send(st, req).await;
    (status, serde_json::from_str(&body).unwrap())
}

#[tokio::test]
async fn the_search_api_folds_like_the_search_page() {
    let st = state(Theme::Semantic, &[]);
    for q in [
        "khai%20sinh",
        "KHAI%20SINH",
        "%C4%91%C4%83ng%20k%C3%BD%20khai%20sinh",
    ] {
        let (status, list) = get_json(&st, &format!("/api/thu-tuc?q={q}")).await;
        assert_eq!(status, 200, "{q}");
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 1, "{q}: {list:?}");
        assert_eq!(list[0]["ten"], "Đăng ký khai sinh");
        assert_eq!(list[0]["linh-vuc"], "Hộ tịch");
        assert_eq!(list[0]["muc-do"], "Toàn trình");
        assert!(list[0]["ma"].as_str().unwrap().starts_with("1.00"));
    }
    let (_, all) = get_json(&st, "/api/thu-tuc").await;
    assert_eq!(all.as_array().unwrap().len(), st.procedures.len());
    let (status, none) = get_json(&st, "/api/thu-tuc?q=zzz").await;
    assert_eq!((status, none), (200, serde_json::json!([])));
}

#[tokio::test]
async fn the_api_keeps_the_portal_defects() {
    let st = state(Theme::Semantic, &["search-broken", "no-service-level"]);
    let (status, body) = get_json(&st, "/api/thu-tuc?q=khai").await;
    assert_eq!(
        (status, body["loi"].as_str()),
        (500, Some("Hệ thống đang bận"))
    );
    let (status, all) = get_json(&st, "/api/thu-tuc").await;
    assert_eq!(status, 200);
    assert!(all[0].get("muc-do").is_none(), "{all}");
    let st = state(Theme::Semantic, &["lookup-silent"]);
    assert_eq!(
        post(&st, "application/json", r#"{"ma":"X1"}"#).await,
        (200, serde_json::json!({}))
    );
}

#[tokio::test]
async fn one_procedure_or_404() {
    let st = state(Theme::Semantic, &[]);
    let code = st.procedures[2].code.clone();
    let (status, p) = get_json(&st, &format!("/api/thu-tuc/{code}")).await;
    assert_eq!(status, 200);
    assert_eq!(p["ma"], code.as_str());
    assert_eq!(p["ten"], st.procedures[2].name);
    assert_eq!(p["co-quan"], st.procedures[2].agency);
    assert_eq!(p["thoi-han-ngay"], st.procedures[2].days);
    assert_eq!(
        p["trang"],
        format!("https://127.0.0.1:8443/thu-tuc/{code}").as_str()
    );
    let (status, e) = get_json(&st, "/api/thu-tuc/9.999999").await;
    assert_eq!(status, 404);
    assert!(e["loi"].as_str().unwrap().contains("9.999999"), "{e}");
}

#[tokio::test]
async fn the_dossier_lookup_takes_a_form_or_json() {
    let st = state(Theme::Semantic, &[]);
    let known = "H55.12-260315-0042";
    let form = post(
        &st,
        "application/x-www-form-urlencoded",
        &format!("ma={known}"),
    )
    .await;
    let json = post(
        &st,
        "application/json",
        &format!(r#"{{"ma": " {known} "}}"#),
    )
    .await;
    assert_eq!(form, json);
    assert_eq!(form.0, 200);
    assert_eq!(form.1["ma"], known);
    assert_eq!(form.1["trang-thai"], "dang-xu-ly");
    let (status, unknown) = post(&st, "application/json", r#"{"ma":"X1"}"#).await;
    assert_eq!(
        (status, &unknown["trang-thai"]),
        (404, &serde_json::json!("khong-tim-thay"))
    );
    for (kind, body) in [
        ("application/json", "{\"ma\": 12"),
        ("application/json", "{}"),
        ("application/x-www-form-urlencoded", "ho-so=H55.1"),
        ("application/x-www-form-urlencoded", "ma=%20"),
    ] {
        let (status, e) = post(&st, kind, body).await;
        assert_eq!(status, 400, "{body}");
        assert!(e["loi"].is_string(), "{body}: {e}");
    }
    let (status, ..) = send(
        &st,
        Request::get("/api/tra-cuu").body(Body::empty()).unwrap(),
    )
    .await;
    assert_eq!(status, 405);
}

#[tokio::test]
async fn the_delay_answers_after_exactly_what_it_is_asked() {
    let st = state(Theme::Semantic, &[]);
    for ms in [0_u64, 40, 120] {
        let req = Request::get(format!("/api/tre?ms={ms}"))
            .body(Body::empty())
            .unwrap();
        let (status, _, body, took) = send(&st, req).await;
        assert_eq!((status, body), (200, format!("{{\"ms\":{ms}}}")));
        assert!(took >= Duration::from_millis(ms), "{ms}: {took:?}");
        assert!(took < Duration::from_millis(ms + 50), "{ms}: {took:?}");
    }
    for bad in ["?ms=10001", "?ms=-1", "?ms=abc", "?ms=1.5", ""] {
        let (status, e) = get_json(&st, &format!("/api/tre{bad}")).await;
        assert_eq!(status, 400, "{bad}");
        assert!(e["loi"].as_str().unwrap().contains("10000"), "{bad}: {e}");
    }
}

/// One request's outcome in a burst: status, `Retry-After`, time taken, completion rank.
type Outcome = (u16, Option<String>, Duration, usize);

/// Sends `n` requests at once (one task, polled in turn).
async fn burst(st: &Arc<State>, n: usize) -> Vec<Outcome> {
    let done = AtomicUsize::new(0);
    let all = (0..n).map(|_| async {
        let req = Request::get("/api/thu-tuc/1.00101")
            .body(Body::empty())
            .unwrap();
        let (status, retry, _, took) = send(st, req).await;
        (status, retry, took, done.fetch_add(1, Ordering::SeqCst))
    });
    join_all(all).await
}

#[tokio::test]
async fn overload_serves_n_holds_them_then_refuses() {
    let st = state(Theme::Semantic, &["overload=4"]);
    let served = burst(&st, 4).await;
    for (status, retry, took, _) in &served {
        assert_eq!((*status, retry), (200, &None));
        assert!(*took >= Duration::from_millis(20), "{took:?}");
    }
    assert_eq!(st.in_flight.load(Ordering::SeqCst), 0);
    let mixed = burst(&st, 8).await;
    let ok: Vec<&Outcome> = mixed.iter().filter(|r| r.0 == 200).collect();
    let refused: Vec<&Outcome> = mixed.iter().filter(|r| r.0 == 503).collect();
    assert_eq!((ok.len(), refused.len()), (5, 3), "{mixed:?}");
    assert!(
        ok.iter().all(|r| r.2 >= Duration::from_millis(20)),
        "{ok:?}"
    );
    let slow: Vec<&&Outcome> = ok
        .iter()
        .filter(|r| r.2 >= Duration::from_millis(70))
        .collect();
    assert_eq!(slow.len(), 1, "the (N+1)-th is held 50 ms longer: {ok:?}");
    assert!(
        ok.iter().all(|r| r.3 <= slow[0].3),
        "and answers last: {ok:?}"
    );
    for r in refused {
        assert_eq!(r.1.as_deref(), Some("1"));
        assert!(r.3 < 3, "503 at once, before any held answer: {mixed:?}");
    }
    assert_eq!(
        st.in_flight.load(Ordering::SeqCst),
        0,
        "every slot is given back"
    );
}

#[tokio::test]
async fn without_overload_nothing_is_held_or_counted() {
    let st = state(Theme::Semantic, &[]);
    let all = burst(&st, 12).await;
    assert!(all.iter().all(|r| r.0 == 200 && r.1.is_none()), "{all:?}");
    assert_eq!(st.in_flight.load(Ordering::SeqCst), 0);
    // Nothing waits: a request is answered on its first poll, and held under `overload`.
    let req = || {
        Request::get("/api/thu-tuc/1.00101")
            .body(Body::empty())
            .unwrap()
    };
    assert_eq!(send(&st, req()).now_or_never().map(|r| r.0), Some(200));
    let held = state(Theme::Semantic, &["overload=4"]);
    assert!(send(&held, req()).now_or_never().is_none());
    assert_eq!(
        held.in_flight.load(Ordering::SeqCst),
        0,
        "a dropped request gives its slot back"
    );
}

/// `users` closed-loop users with no think time against a running portal for `run`:
/// (answers, 503s, other statuses).
async fn closed_loop(
    portal: &super::RunningPortal,
    users: usize,
    run: Duration,
) -> (usize, usize, usize) {
    let certs = reqwest::Certificate::from_pem_bundle(portal.ca_pem.as_bytes()).unwrap();
    let client = reqwest::Client::builder()
        .tls_certs_merge(certs)
        .timeout(Duration::from_secs(5))
        .http1_only()
        .pool_max_idle_per_host(users)
        .build()
        .unwrap();
    let url = format!("{}api/tra-cuu", portal.base_url());
    let until = Instant::now() + run;
    let one = |client: reqwest::Client, url: String| async move {
        let (mut ok, mut busy, mut other) = (0, 0, 0);
        // Bounded: at most one request per 20 ms hold plus the 503s, which come at once.
        for _ in 0..10_000 {
            if Instant::now() >= until {
                break;
            }
            let r = client
                .post(&url)
                .form(&[("ma", "H55.12-260315-0042")])
                .send()
                .await;
            match r.map(|r| r.status().as_u16()) {
                Ok(200) => ok += 1,
                Ok(503) => {
                    busy += 1;
                    tokio::time::sleep(Duration::from_millis(2)).await;
                }
                _ => other += 1,
            }
        }
        (ok, busy, other)
    };
    let runs = (0..users).map(|_| tokio::spawn(one(client.clone(), url.clone())));
    join_all(runs)
        .await
        .into_iter()
        .map(Result::unwrap)
        .fold((0, 0, 0), |a, b| (a.0 + b.0, a.1 + b.1, a.2 + b.2))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn over_loopback_n_users_hold_and_n_plus_2_break_the_error_budget() {
    let defects = Defects::parse(&["overload=3".into()]).unwrap();
    let portal = super::start(0, 0, defects).await.unwrap();
    let (ok, busy, other) = closed_loop(&portal, 3, Duration::from_millis(600)).await;
    assert_eq!((busy, other), (0, 0), "{ok} served");
    assert!(
        ok >= 3 * 5,
        "each user is held ≥ 20 ms, not much more: {ok}"
    );
    let (ok, busy, other) = closed_loop(&portal, 5, Duration::from_millis(600)).await;
    assert_eq!(other, 0);
    let errors = busy as f64 / (ok + busy) as f64;
    assert!(errors > 0.01, "{ok} served, {busy} refused");
    assert_eq!(portal.state.in_flight.load(Ordering::SeqCst), 0);
}

/// A scenario for the running portal whose journeys drive the JSON API with no think time,
/// and whose capacity plan steps 2 users at a time from 2.
fn api_scenario(
    portal: &super::RunningPortal,
    dir: &std::path::Path,
    max: u32,
) -> std::path::PathBuf {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &portal.ca_pem).unwrap();
    let text = format!(
        r#"[portal]
name = "Cổng Dịch vụ công tỉnh Mẫu"
organisation = "Ủy ban nhân dân tỉnh Mẫu"
organisation-kind = "province"
base-url = "{base}"
ca-file = "{ca}"
checklists = ["tt21-2023"]

[load]
users = 4
active-share = 0.5
duration-s = 1
think-ms = 0

[load.data]
term = ["khai sinh", "đất đai"]

[[load.journeys]]
name = "tim-thu-tuc"
steps = [
  {{ path = "/api/thu-tuc?q={{{{term}}}}", capture = [{{ name = "ma", json = "/0/ma" }}] }},
  {{ path = "/api/thu-tuc/{{{{ma}}}}", expect-status = 200 }},
]

[[load.journeys]]
name = "tra-cuu-ho-so"
transactional = true
steps = [
  {{ method = "post", path = "/api/tra-cuu", json = {{ ma = "H55.12-260315-0042" }}, expect-status = 200 }},
  {{ method = "post", path = "/api/tra-cuu", form = {{ ma = "H55.12-260315-0042" }}, expect-status = 200 }},
]

[load.capacity]
start = 2
step = 2
max = {max}
hold-s = 1
"#,
        base = portal.base_url(),
        ca = ca.display(),
    );
    let path = dir.join("api.toml");
    std::fs::write(&path, text).unwrap();
    path
}

async fn load(
    scenario: std::path::PathBuf,
    out: std::path::PathBuf,
    capacity: bool,
) -> crate::observation::LoadRun {
    let outcome = crate::loadtest::run(crate::loadtest::LoadOptions {
        scenario: Some(scenario),
        demo: false,
        defects: Vec::new(),
        checklists: Vec::new(),
        out: Some(out),
        segment: None,
        find_capacity: capacity,
        samples: false,
        lang: crate::text::Lang::En,
        quiet: true,
    })
    .await
    .unwrap();
    outcome.run.unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_capacity_search_on_the_api_finds_the_overload_n() {
    let dir = tempfile::tempdir().unwrap();
    let portal = super::start(0, 0, Defects::parse(&["overload=4".into()]).unwrap())
        .await
        .unwrap();
    let scenario = api_scenario(&portal, dir.path(), 10);
    let run = load(scenario, dir.path().join("cap"), true).await;
    let steps: Vec<(u32, bool)> = run.steps.iter().map(|s| (s.users, s.passed)).collect();
    assert_eq!(run.capacity_users, Some(4), "{steps:?}");
    assert_eq!(steps, [(2, true), (4, true), (6, false)]);
    assert!(run.steps[1].errors == 0 && run.steps[2].errors * 100 > run.steps[2].requests);
    // Each answer held ≥ 20 ms: a user sends at most about 50 requests a second.
    assert!(
        run.steps[1].latency_ms.p50 >= 20.0,
        "{:?}",
        run.steps[1].latency_ms
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_overload_the_api_journeys_run_clean_and_fast() {
    let dir = tempfile::tempdir().unwrap();
    let portal = super::start(0, 0, Defects::default()).await.unwrap();
    let scenario = api_scenario(&portal, dir.path(), 10);
    let run = load(scenario, dir.path().join("plain"), false).await;
    assert_eq!(run.errors, 0, "{:?}", run.errors_by_kind);
    assert!(run.requests > 100, "{}", run.requests);
    assert_eq!(run.users, 4);
    assert!(
        run.latency_ms.p50 < 20.0,
        "nothing held: {:?}",
        run.latency_ms
    );
    let steps: Vec<&str> = run.by_step.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(steps.len(), 4, "{steps:?}");
}

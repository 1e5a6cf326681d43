//! The probe against the reference portal in-process: up, an outage switched on, a page that
//! is not the portal, an untrusted certificate, a timeout; and how portals are found.

use std::time::Duration;

use super::probe::Prober;
use super::*;
use crate::observation::Target;

async fn demo(defects: &[&str]) -> (crate::demo::RunningPortal, Scenario) {
    let names: Vec<String> = defects.iter().map(|d| (*d).to_string()).collect();
    let portal = crate::demo::start(0, 0, crate::demo::Defects::parse(&names).unwrap())
        .await
        .unwrap();
    let s = portal.scenario().unwrap();
    (portal, s)
}

#[tokio::test]
async fn the_probe_tells_up_from_an_outage_from_another_site() {
    let (portal, s) = demo(&[]).await;
    let prober = Prober::new(&s, Duration::from_secs(5)).unwrap();
    let home = s.base_url.clone();
    let up = prober.probe(Target::Home, &home).await;
    assert!(up.ok, "{up:?}");
    assert_eq!(up.status, Some(200));
    assert!(up.tls_days_left.is_some_and(|d| d >= 0), "{up:?}");
    assert!(up.latency_ms.is_some() && up.error.is_none());
    let status = s.status_url.clone().unwrap();
    assert!(prober.probe(Target::DvcqgStatus, &status).await.ok);

    portal.set_outage(true);
    let down = prober.probe(Target::Home, &home).await;
    assert!(!down.ok);
    assert_eq!(down.status, Some(503));
    assert_eq!(down.error.as_deref(), Some("HTTP 503"));
    assert!(!prober.probe(Target::DvcqgStatus, &status).await.ok);
    portal.set_outage(false);
    assert!(prober.probe(Target::Home, &home).await.ok);

    // The same answer judged for another portal: a 200 that is not that portal's page.
    let mut other = s.clone();
    other.name = "Cổng Dịch vụ công tỉnh Lâm Sơn".into();
    other.organisation = "Ủy ban nhân dân tỉnh Lâm Sơn".into();
    let parked = Prober::new(&other, Duration::from_secs(5)).unwrap();
    let wrong = parked.probe(Target::Home, &home).await;
    assert!(!wrong.ok);
    assert_eq!(wrong.status, Some(200));
    let e = wrong.error.unwrap();
    assert!(e.starts_with("not the portal: “"), "{e}");
    assert!(e.contains("Lâm Sơn"), "{e}");
    // The status endpoint's JSON names nobody: only its status counts.
    assert!(parked.probe(Target::DvcqgStatus, &status).await.ok);
    // The portal's name in decomposed form is the same name.
    let mut nfd = s.clone();
    nfd.name = unicode_normalization::UnicodeNormalization::nfd(s.name.as_str()).collect();
    nfd.organisation = "Ủy ban khác".into();
    let p = Prober::new(&nfd, Duration::from_secs(5)).unwrap();
    assert!(p.probe(Target::Home, &home).await.ok);
}

#[tokio::test]
async fn an_untrusted_certificate_and_a_slow_answer_are_failures_with_their_reason() {
    let (_portal, s) = demo(&["slow=400"]).await;
    let mut untrusted = s.clone();
    untrusted.ca_pem = None;
    let p = Prober::new(&untrusted, Duration::from_secs(5)).unwrap();
    let o = p.probe(Target::Home, &s.base_url).await;
    assert!(!o.ok);
    assert_eq!(o.status, None);
    assert!(o.error.as_deref().unwrap().starts_with("TLS: "), "{o:?}");

    let p = Prober::new(&s, Duration::from_millis(150)).unwrap();
    let o = p.probe(Target::Home, &s.base_url).await;
    assert!(!o.ok);
    assert_eq!(o.error.as_deref(), Some("timeout after 150 ms"));
    assert!(
        o.latency_ms.is_some_and(|l| (140.0..1_000.0).contains(&l)),
        "{o:?}"
    );
    assert_eq!(p.page(&s.base_url).await, None);
}

#[tokio::test]
async fn a_refused_connection_is_a_failure_not_an_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    drop(listener);
    let (_portal, mut s) = demo(&[]).await;
    s.base_url = format!("https://127.0.0.1:{port}/").parse().unwrap();
    let p = Prober::new(&s, Duration::from_secs(2)).unwrap();
    let o = p.probe(Target::Home, &s.base_url).await;
    assert!(!o.ok);
    assert!(
        o.error.as_deref().unwrap().starts_with("cannot connect"),
        "{o:?}"
    );
}

#[test]
fn portals_are_the_scenarios_of_a_folder_by_file_stem() {
    let dir = tempfile::tempdir().unwrap();
    let e = portals(dir.path()).unwrap_err().to_string();
    assert!(e.contains("no scenario in"), "{e}");
    let ok = crate::scenario::tests::OK;
    std::fs::write(dir.path().join("lam-son.toml"), ok).unwrap();
    std::fs::write(dir.path().join("ha-giang.toml"), ok).unwrap();
    std::fs::create_dir(dir.path().join("evidence")).unwrap();
    let ids: Vec<String> = portals(dir.path())
        .unwrap()
        .into_iter()
        .map(|p| p.id)
        .collect();
    assert_eq!(ids, ["ha-giang", "lam-son"]);
    let one = portals(&dir.path().join("lam-son.toml")).unwrap();
    assert_eq!(one[0].id, "lam-son");
    std::fs::write(dir.path().join("broken.toml"), "[portal]\nname = 3\n").unwrap();
    let e = portals(dir.path()).unwrap_err();
    assert!(e.is_input());
    assert!(e.to_string().contains("1 of the 3 scenarios"), "{e}");
    let e = portals(&dir.path().join("broken.toml")).unwrap_err();
    assert!(e.to_string().contains("broken.toml"), "{e}");
}

#[tokio::test]
async fn a_run_in_the_past_or_without_concurrency_probes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("p.toml"), crate::scenario::tests::OK).unwrap();
    let mut opts = MonitorOptions {
        scenarios: dir.path().join("p.toml"),
        db: dir.path().join("k.db"),
        interval: Duration::from_secs(60),
        timeout: None,
        until_ms: Some(1),
        concurrency: 4,
        summary_every: Duration::from_secs(3600),
    };
    let e = run(&opts, std::future::pending()).await.unwrap_err();
    assert!(e.to_string().contains("in the past"), "{e}");
    opts.until_ms = None;
    opts.concurrency = 0;
    assert!(run(&opts, std::future::pending()).await.is_err());
    assert!(!dir.path().join("k.db").exists(), "no store created");
    let e = summarise(&dir.path().join("k.db"), &[], None, None).unwrap_err();
    assert!(e.to_string().contains("no database"), "{e}");
}

/// The demo scenario pointed at a running portal, written as `<dir>/<stem>.toml`.
fn scenario_file(dir: &std::path::Path, stem: &str, portal: &crate::demo::RunningPortal) {
    let ca = dir.join("ca.pem");
    std::fs::write(&ca, &portal.ca_pem).unwrap();
    let shipped = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let text = crate::scenario::DEMO
        .replace(
            "base-url = \"https://127.0.0.1:8443/\"",
            &format!(
                "base-url = \"{}\"\nca-file = \"{}\"",
                portal.base_url(),
                ca.display()
            ),
        )
        .replace(
            "http://127.0.0.1:8080/",
            &format!("http://{}/", portal.http),
        )
        .replace(
            "\"demo-evidence/",
            &format!("\"{}/demo-evidence/", shipped.display()),
        );
    std::fs::write(dir.join(format!("{stem}.toml")), text).unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_portals_in_one_process_are_spread_over_the_interval_until_the_end() {
    let (portal, _) = demo(&[]).await;
    let dir = tempfile::tempdir().unwrap();
    scenario_file(dir.path(), "a", &portal);
    scenario_file(dir.path(), "b", &portal);
    let opts = MonitorOptions {
        scenarios: dir.path().to_path_buf(),
        db: dir.path().join("k.db"),
        interval: Duration::from_millis(600),
        timeout: None,
        until_ms: Some(figures::now_ms() + 3_000),
        concurrency: 2,
        summary_every: Duration::from_secs(3600),
    };
    let report = run(&opts, std::future::pending()).await.unwrap();
    assert_eq!(report.lost, 0);
    let ids: Vec<&str> = report.figures.iter().map(|f| f.portal.as_str()).collect();
    assert_eq!(ids, ["a", "b"]);
    for f in &report.figures {
        let home = f.target(Target::Home).unwrap();
        // (On a loaded machine a probe may time out: only the count is certain.)
        assert!(home.probes >= 2, "{f:?}");
        assert_eq!(
            f.targets.len(),
            4,
            "procedure found on the catalogue: {f:?}"
        );
    }
    assert_eq!(
        report.written,
        report
            .figures
            .iter()
            .flat_map(|f| &f.targets)
            .map(|t| t.probes)
            .sum::<u64>()
    );
    // b starts half an interval after a.
    let store = crate::store::Store::open(&opts.db).unwrap();
    let first = |p: &str| store::extent(&store, p).unwrap().unwrap().0;
    let spread = first("b") - first("a");
    assert!((200..=450).contains(&spread), "{spread} ms");
    // The same database again: the series continue.
    let again = MonitorOptions {
        until_ms: Some(figures::now_ms() + 700),
        ..opts.clone()
    };
    let before = store::count(&store, "a").unwrap();
    run(&again, std::future::pending()).await.unwrap();
    assert!(store::count(&store, "a").unwrap() > before);
}

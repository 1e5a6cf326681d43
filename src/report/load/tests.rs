use std::collections::BTreeMap;

use super::*;
use crate::evaluation::{Evaluation, FailOn, PortalInfo};
use crate::observation::{JourneyStats, Latency, Observations, StepStats};

const HOSTILE: &str = "<script>alert('x')</script> | *đậm* `code`";

fn lat(mean: f64, p95: f64, count: u64) -> Latency {
    Latency {
        count,
        mean,
        min: 0.42,
        p50: mean * 0.85,
        p90: p95 * 0.7,
        p95,
        p99: p95 * 1.9,
        p999: p95 * 4.9,
        max: p95 * 5.2,
    }
}

fn cap_step(users: u32, p95: f64, errors: u64, broke: Option<&str>) -> CapacityStep {
    CapacityStep {
        users,
        duration_s: 60.0,
        requests: u64::from(users) * 48,
        errors,
        rps: f64::from(users) * 0.8,
        latency_ms: lat(p95 / 3.0, p95, u64::from(users) * 48),
        passed: broke.is_none(),
        broke: broke.map(str::to_string),
    }
}

/// A closed run with two journeys (one named to inject markup), errors, two warnings, three
/// segments and a capacity search that broke at 400 users.
fn run_with_capacity() -> LoadRun {
    LoadRun {
        mode: LoadMode::Closed,
        target: "http://127.0.0.1:8080/".into(),
        target_users: 500,
        target_active_share: 0.25,
        users: 480,
        active_users: 120,
        duration_s: 300.0,
        requests: 123_456,
        errors: 148,
        rps: 411.52,
        latency_ms: lat(210.4, 812.0, 123_456),
        by_step: vec![
            StepStats {
                journey: "Tra cứu hồ sơ".into(),
                step: "1 GET /".into(),
                requests: 61_000,
                errors: 0,
                latency_ms: lat(95.2, 310.0, 61_000),
            },
            StepStats {
                journey: HOSTILE.into(),
                step: "2 GET /tra-cuu?ma=<img src=x onerror=alert(1)>".into(),
                requests: 62_456,
                errors: 148,
                latency_ms: lat(320.7, 1530.0, 62_456),
            },
        ],
        journeys: vec![
            JourneyStats {
                name: "Tra cứu hồ sơ".into(),
                transactional: false,
                users: 360,
                completed: 30_500,
                failed: 0,
            },
            JourneyStats {
                name: HOSTILE.into(),
                transactional: true,
                users: 120,
                completed: 31_080,
                failed: 148,
            },
        ],
        errors_by_status: BTreeMap::from([("503".into(), 120), ("500".into(), 20)]),
        errors_by_kind: BTreeMap::from([("status".into(), 140), ("timeout".into(), 8)]),
        warnings: vec![
            LoadWarning::CoordinatedOmission {
                late_requests: 3210,
                worst_delay_ms: 2450.0,
            },
            LoadWarning::UsersShort {
                planned: 500,
                reached: 480,
            },
        ],
        segments: 3,
        capacity_users: Some(300),
        steps: vec![
            cap_step(100, 180.0, 0, None),
            cap_step(200, 420.0, 0, None),
            cap_step(300, 2900.0, 3, None),
            cap_step(400, 12_400.0, 610, Some("p95 12 400 ms > 10 000 ms")),
        ],
        started_at: "2026-11-29T23:00:00Z".into(),
        finished_at: "2026-11-29T23:05:00Z".into(),
    }
}

/// An open run, no errors, no capacity search, the other three warnings.
fn run_without_capacity() -> LoadRun {
    let mut run = run_with_capacity();
    for s in &mut run.by_step {
        s.errors = 0;
    }
    for j in &mut run.journeys {
        j.failed = 0;
    }
    LoadRun {
        mode: LoadMode::Open,
        errors: 0,
        errors_by_status: BTreeMap::new(),
        errors_by_kind: BTreeMap::new(),
        warnings: vec![
            LoadWarning::ArrivalsDropped { dropped: 12 },
            LoadWarning::RequestBoundReached {
                max_requests: 200_000,
            },
            LoadWarning::Interrupted,
        ],
        segments: 1,
        capacity_users: None,
        steps: Vec::new(),
        ..run
    }
}

fn evaluation(load: Option<LoadRun>) -> Evaluation {
    Evaluation::new(
        PortalInfo {
            name: "Cổng Mẫu".into(),
            organisation: "UBND tỉnh Mẫu".into(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: "http://127.0.0.1:8080/".into(),
            public_host: "dvc.mau.gov.vn".into(),
        },
        &[],
        Vec::new(),
        Observations {
            load,
            ..Observations::default()
        },
        FailOn::Mandatory,
        "2026-11-29T00:00:00Z".into(),
    )
}

/// The load section of the HTML report.
fn html_section(run: Option<LoadRun>, lang: Lang) -> Option<String> {
    let html = crate::report::html(&evaluation(run), lang).unwrap();
    let start = html.find("<section id=\"load\">")?;
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    Some(html[start..end].to_string())
}

/// The load block of the Markdown summary.
fn md_block(run: Option<LoadRun>, lang: Lang) -> Option<String> {
    let md = crate::report::markdown(&evaluation(run), lang).unwrap();
    let heading = format!("### {}", labels::get("load").get(lang));
    let start = md.find(&heading)?;
    let end = start
        + md[start..]
            .find(&format!(
                "<details><summary>{}",
                labels::get("all_requirements").get(lang)
            ))
            .unwrap();
    Some(md[start..end].to_string())
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn figures_are_formatted_once_for_every_renderer() {
    assert_eq!(group(0), "0");
    assert_eq!(group(9999), "9999");
    assert_eq!(group(123_456), "123 456");
    assert_eq!(group(1_234_567), "1 234 567");
    assert_eq!(ms(0.4242), "0.42");
    assert_eq!(ms(12.34), "12.3");
    assert_eq!(ms(812.4), "812");
    assert_eq!(ms(12_400.0), "12 400");
    assert_eq!(ms(f64::NAN), "—");
    let none = latency(&Latency::default());
    assert_eq!(
        (none.count.as_str(), none.p95.as_str()),
        ("0", "—"),
        "no zeros for nothing"
    );
    assert_eq!(latency(&lat(1.0, 2.0, 1)).p95, "2.00");
    assert_eq!(percent(0.0, 2), "0 %");
    assert_eq!(percent(0.0012, 2), "0.12 %");
    assert_eq!(
        percent(0.000_01, 2),
        "< 0.01 %",
        "never a misleading 0.00 %"
    );
    assert_eq!(percent(0.25, 0), "25 %");
    assert_eq!(percent(f64::INFINITY, 1), "—");
}

#[test]
fn the_view_has_every_figure_and_the_capacity() {
    let v = build(&run_with_capacity(), Lang::En);
    assert_eq!((v.users.as_str(), v.target_users.as_str()), ("480", "500"));
    assert!(v.users_short);
    assert_eq!(v.active_share, "25.0 %");
    assert_eq!(v.error_rate, "0.12 %");
    assert_eq!(v.requests, "123 456");
    assert_eq!(v.latency.p999, "3979");
    let status: Vec<(&str, &str)> = v
        .errors_by_status
        .iter()
        .map(|r| (r.key.as_str(), r.share.as_str()))
        .collect();
    assert_eq!(status, [("503", "81.1 %"), ("500", "13.5 %")], "most first");
    assert_eq!(v.errors_by_kind[1].label, "timed out");
    assert!(v.segments.contains("3 segments"));
    let c = v.capacity.unwrap();
    assert_eq!(c.headline, "Capacity: 300 concurrent users");
    assert!(c.found && !c.all_held);
    let best: Vec<bool> = c.steps.iter().map(|s| s.best).collect();
    assert_eq!(best, [false, false, true, false]);
    assert_eq!(c.steps[3].status, "fail");
    assert_eq!(c.steps[3].error_rate, "3.18 %");
    assert!(c.chart.starts_with("<svg "));
    assert!(build(&run_without_capacity(), Lang::En).capacity.is_none());
}

#[test]
fn no_step_held_and_every_step_held_are_said_plainly() {
    let mut run = run_with_capacity();
    run.capacity_users = None;
    for s in &mut run.steps {
        s.passed = false;
    }
    let c = build(&run, Lang::Vi).capacity.unwrap();
    assert_eq!(
        c.headline,
        "Năng lực: không bước nào đạt, kể cả bước đầu tiên (100 người dùng)"
    );
    assert!(!c.found && c.steps.iter().all(|s| !s.best));
    run.capacity_users = Some(400);
    for s in &mut run.steps {
        s.passed = true;
    }
    let c = build(&run, Lang::En).capacity.unwrap();
    assert!(c.all_held && c.steps[3].best);
    let html = html_section(Some(run), Lang::En).unwrap();
    assert!(html.contains("the real capacity may be higher"));
}

#[test]
fn every_warning_is_in_plain_words_in_both_languages() {
    let mut all = run_with_capacity().warnings;
    all.extend(run_without_capacity().warnings);
    for lang in [Lang::Vi, Lang::En] {
        for w in &all {
            let text = warning(w, lang);
            assert!(!text.contains('{'), "placeholder left in {text}");
            assert!(text.len() > 40, "{text}");
        }
    }
    let co = warning(&all[0], Lang::En);
    assert!(
        co.contains("3210 requests") && co.contains("2450 ms"),
        "{co}"
    );
    assert!(co.contains("open model"), "suggests the open mode: {co}");
    assert!(warning(&all[0], Lang::Vi).contains("mô hình mở"));
    assert!(warning(&all[1], Lang::En).contains("Only 480 of the 500"));
    assert!(warning(&all[3], Lang::En).contains("200 000 requests"));
}

#[test]
fn journey_names_with_markup_come_out_escaped() {
    let html = html_section(Some(run_with_capacity()), Lang::En).unwrap();
    assert!(
        !html.contains("<script>") && !html.contains("<img src=x"),
        "{html}"
    );
    assert!(html.contains("&lt;script&gt;"), "{html}");
    let md = md_block(Some(run_with_capacity()), Lang::En).unwrap();
    assert!(!md.contains("<script>") && !md.contains("<img"), "{md}");
    assert!(
        md.contains("&lt;script&gt;alert('x')&lt;/script&gt; \\| \\*đậm\\* 'code'"),
        "{md}"
    );
}

#[test]
fn no_load_run_means_no_section() {
    assert!(html_section(None, Lang::Vi).is_none());
    assert!(md_block(None, Lang::En).is_none());
    let html = crate::report::html(&evaluation(None), Lang::En).unwrap();
    assert!(!html.contains("load-chart\""), "no chart either");
}

#[test]
fn console_lines_are_aligned_and_name_the_capacity() {
    let s = console(&run_with_capacity(), Lang::En);
    let lines: Vec<&str> = s.lines().collect();
    assert_eq!(
        lines[0],
        "Load test — closed model — http://127.0.0.1:8080/"
    );
    // The column (in characters) where each value starts: after the key and 2+ spaces.
    let value_col: Vec<usize> = lines[1..]
        .iter()
        .map(|l| {
            let c: Vec<char> = l.chars().collect();
            let gap = (2..c.len())
                .find(|&i| c[i] == ' ' && c[i + 1] == ' ')
                .unwrap();
            (gap..c.len()).find(|&i| c[i] != ' ').unwrap()
        })
        .collect();
    assert!(value_col.windows(2).all(|w| w[0] == w[1]), "{s}");
    assert!(
        s.contains("capacity      Capacity: 300 concurrent users"),
        "{s}"
    );
    assert!(
        s.contains("123 456 in 300 s — 411.5/s — errors 148 (0.12 %)"),
        "{s}"
    );
    assert!(!console(&run_without_capacity(), Lang::Vi).contains("năng lực"));
    settings().bind(|| {
        insta::assert_snapshot!("load-console-vi", console(&run_with_capacity(), Lang::Vi));
    });
}

#[test]
fn snapshots_of_the_html_section_and_the_markdown_block() {
    settings().bind(|| {
        insta::assert_snapshot!(
            "load-section-capacity-vi.html",
            html_section(Some(run_with_capacity()), Lang::Vi).unwrap()
        );
        insta::assert_snapshot!(
            "load-section-en.html",
            html_section(Some(run_without_capacity()), Lang::En).unwrap()
        );
        insta::assert_snapshot!(
            "load-capacity-vi.md",
            md_block(Some(run_with_capacity()), Lang::Vi).unwrap()
        );
        insta::assert_snapshot!(
            "load-en.md",
            md_block(Some(run_without_capacity()), Lang::En).unwrap()
        );
    });
}

use super::*;
use crate::checklist::Checklist;
use crate::evaluation::{FailOn, PortalInfo};
use crate::judge::availability::tests::{fixture, monitoring};
use crate::observation::Observations;

const HOSTILE: &str = "<script>alert('x')</script> | *đậm*";

/// An evaluation of the fixture's figures against tt21-2023's PL5-6 (notice threshold 7).
fn evaluation(a: Option<Availability>, m: Option<Monitoring>, with_pl5_6: bool) -> Evaluation {
    let obs = Observations {
        availability: a,
        monitoring: m.map(Box::new),
        ..Observations::default()
    };
    let checklists = if with_pl5_6 {
        vec![Checklist::resolve("tt21-2023").unwrap()]
    } else {
        Vec::new()
    };
    let requirements = crate::judge::judge_all(
        &checklists,
        &obs,
        "province",
        &["PL5-6".to_string()],
        &[],
        |_| {},
    );
    Evaluation::new(
        PortalInfo {
            name: "Cổng Mẫu".into(),
            organisation: "UBND tỉnh Mẫu".into(),
            organisation_kind: "province".into(),
            vendor: None,
            evaluator: None,
            base_url: "https://dvc.example.gov.vn/".into(),
            public_host: "dvc.example.gov.vn".into(),
        },
        &checklists,
        requirements,
        obs,
        FailOn::Mandatory,
        "2026-04-01T00:00:00Z".into(),
    )
}

/// The fixture with an outage whose first error is markup.
fn hostile() -> Availability {
    let mut a = fixture();
    a.outages[1].first_error = HOSTILE.into();
    a
}

fn html_section(e: &Evaluation, lang: Lang) -> Option<String> {
    let html = crate::report::html(e, lang).unwrap();
    let start = html.find("<section id=\"availability\">")?;
    let end = start + html[start..].find("</section>").unwrap() + "</section>".len();
    Some(html[start..end].to_string())
}

fn md_block(e: &Evaluation, lang: Lang) -> Option<String> {
    let md = crate::report::markdown(e, lang).unwrap();
    let heading = format!("### {}", labels::get("avail").get(lang));
    let start = md.find(&heading)?;
    let end = start
        + md[start..]
            .find(&format!(
                "<details><summary>{}",
                labels::get("all_requirements").get(lang)
            ))
            .unwrap_or(md.len() - start);
    Some(md[start..end].to_string())
}

fn settings() -> insta::Settings {
    let mut s = insta::Settings::clone_current();
    s.set_snapshot_path("snapshots");
    s.set_prepend_module_to_snapshot(false);
    s
}

#[test]
fn the_view_marks_which_outages_a_suspension_excused() {
    let e = evaluation(Some(fixture()), Some(monitoring()), true);
    let v = build(&e, Lang::En).unwrap();
    assert_eq!(v.notice_days.as_deref(), Some("7"));
    let excused: Vec<&str> = v.outages.iter().map(|o| o.excused.as_str()).collect();
    assert_eq!(excused, ["yes", "no", "no"]);
    assert_eq!(v.outages[0].start, "2026-03-14 22:00");
    assert_eq!(v.outages[0].duration, "4 h 0 min");
    let q: Vec<(&str, &str)> = v
        .suspensions
        .iter()
        .map(|s| (s.notice.as_str(), s.qualifies.as_str()))
        .collect();
    assert_eq!(q, [("9", "yes"), ("2", "no")]);
    assert_eq!(v.targets[0].uptime, "99.249%");
    assert_eq!(v.targets[0].monitored, "98.4%");
    assert_eq!(v.gaps, "1 (12 h 0 min)");
    // Without an availability check judged, nothing claims an outage was excused.
    let e = evaluation(Some(fixture()), Some(monitoring()), false);
    let v = build(&e, Lang::En).unwrap();
    assert!(v.notice_days.is_none());
    assert!(v.outages.iter().all(|o| o.excused == "unknown"));
    assert!(v.suspensions.iter().all(|s| s.qualifies == "unknown"));
}

#[test]
fn no_figures_no_section_and_a_failed_store_says_why() {
    let e = evaluation(None, None, true);
    assert!(build(&e, Lang::En).is_none());
    assert!(html_section(&e, Lang::En).is_none());
    assert!(md_block(&e, Lang::En).is_none());
    let mut m = monitoring();
    m.error = Some("store `k.db`: <locked>".into());
    let e = evaluation(None, Some(m), true);
    let html = html_section(&e, Lang::En).unwrap();
    assert!(html.contains("store `k.db`: &lt;locked&gt;"), "{html}");
    assert!(!html.contains("<svg"), "{html}");
    let md = md_block(&e, Lang::Vi).unwrap();
    assert!(md.contains("Không đọc được dữ liệu giám sát"), "{md}");
}

#[test]
fn the_timeline_has_a_bar_per_day_marks_every_outage_and_escapes_text() {
    let svg = timeline::svg(&hostile(), Lang::En);
    assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
    assert!(svg.contains(r#"role="img" aria-labelledby="avail-title avail-desc""#));
    // 31 day slots, 31 monitored bars, 3 outage marks.
    assert_eq!(svg.matches(r##"fill="#f2f4f7"/>"##).count(), 31);
    assert_eq!(
        svg.matches(r##"fill="#8b0000"><title>"##).count(),
        3 + 2,
        "{svg}"
    );
    assert!(svg.contains("2026-03-14: 83.333% (&lt; 95%)"), "{svg}");
    assert!(!svg.contains("<script>") && svg.contains("&lt;script&gt;"));
    assert!(svg.contains("lowest day 2026-03-14 (83.333%)"), "{svg}");
    // The half-monitored 7 March is half as tall.
    assert!(svg.contains(r#"y="72.00" width="#), "{svg}");
    let mut empty = fixture();
    empty.daily.clear();
    assert!(timeline::svg(&empty, Lang::Vi).contains("Chưa có số liệu theo ngày."));
}

#[test]
fn availability_section_snapshots() {
    let e = evaluation(Some(hostile()), Some(monitoring()), true);
    settings().bind(|| {
        insta::assert_snapshot!(
            "availability-section-en.html",
            html_section(&e, Lang::En).unwrap()
        );
        insta::assert_snapshot!(
            "availability-section-vi.html",
            html_section(&e, Lang::Vi).unwrap()
        );
        insta::assert_snapshot!("availability-en.md", md_block(&e, Lang::En).unwrap());
        insta::assert_snapshot!("availability-vi.md", md_block(&e, Lang::Vi).unwrap());
    });
}

#[test]
fn pl5_6_rejudge_applies_a_new_notice_rule_to_the_stored_suspensions() {
    // 10/3 for 14/3: 3 working days — counted as downtime, PL5-6 fails.
    let mut m = monitoring();
    m.suspensions[0].announced = "2026-03-10".into();
    let e = evaluation(Some(fixture()), Some(m), true);
    let status = |e: &Evaluation| {
        e.requirements
            .iter()
            .find(|j| j.verdict.id.as_str() == "PL5-6")
            .map(|j| j.verdict.status)
    };
    assert_eq!(status(&e), Some(crate::evaluation::Status::Fail));
    let json = crate::report::render(&e, crate::report::Format::Json, Lang::En).unwrap();
    let path = std::path::Path::new("evaluation.json");
    let again = crate::assess::rejudge_str(&json, path, &[], &[], FailOn::Mandatory).unwrap();
    assert_eq!(status(&again), Some(crate::evaluation::Status::Fail));
    // A checklist that asks 3 working days excuses it: the same observations now pass.
    let set = ["PL5-6.min-notice-working-days=3".to_string()];
    let again = crate::assess::rejudge_str(&json, path, &[], &set, FailOn::Mandatory).unwrap();
    assert_eq!(status(&again), Some(crate::evaluation::Status::Pass));
    let v = build(&again, Lang::En).unwrap();
    assert_eq!(v.notice_days.as_deref(), Some("3"));
    assert_eq!(v.outages[0].excused, "yes");
}

use super::*;
use crate::load::Hist;
use crate::load::summary::summarise;
use crate::observation::LoadMode;

/// A small seeded generator (Knuth's MMIX LCG): reproducible samples without a dependency.
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    /// A latency in µs spread over six orders of magnitude (1 µs … ~4 s), as real runs are.
    fn latency_us(&mut self) -> u64 {
        let scale = 10_u64.pow((self.next() % 7) as u32);
        1 + self.next() % (4 * scale)
    }
}

fn segment(index: u32, of: u32, samples: &[u64]) -> Segment {
    let mut overall = Hist::new();
    for s in samples {
        overall.record_us(*s);
    }
    Segment {
        format: SEGMENT_FORMAT,
        tool_version: "0.4.0".into(),
        index,
        of,
        mode: LoadMode::Closed,
        target: "http://127.0.0.1:8080/".into(),
        target_users: 4 * of,
        target_active_share: 0.25,
        planned_users: 4,
        users: 4,
        active_users: 1,
        measured_s: 10.0 + f64::from(index),
        requests: samples.len() as u64,
        errors: 0,
        steps: vec![StepRecord {
            journey: "citizen".into(),
            step: "1 GET /".into(),
            requests: samples.len() as u64,
            errors: 0,
            hist: overall.clone(),
        }],
        overall,
        journeys: vec![JourneyStats {
            name: "citizen".into(),
            transactional: false,
            users: 4,
            completed: 10,
            failed: 1,
        }],
        started_at: format!("2026-11-29T23:00:0{index}Z"),
        finished_at: format!("2026-11-29T23:01:0{index}Z"),
        ..Segment::default()
    }
}

fn segments(of: u32) -> Vec<Segment> {
    (1..=of).map(|i| segment(i, of, &[1_000, 2_000])).collect()
}

#[test]
fn merged_percentiles_equal_one_histogram_fed_every_sample() {
    let mut rng = Lcg(0x6b69_656d_6469_6e68);
    for (round, of) in [1_u32, 2, 3, 5, 8, 13].into_iter().enumerate() {
        let n = 2_000 + 1_500 * round;
        let samples: Vec<u64> = (0..n).map(|_| rng.latency_us()).collect();
        let mut whole = Hist::new();
        let mut parts = vec![Vec::new(); of as usize];
        for s in &samples {
            whole.record_us(*s);
            parts[(rng.next() % u64::from(of)) as usize].push(*s);
        }
        // Each part goes through its JSON file format, as separate processes write it;
        // the order they arrive in does not matter.
        let mut read: Vec<Segment> = parts
            .iter()
            .enumerate()
            .map(|(i, p)| {
                let json = serde_json::to_string(&segment(i as u32 + 1, of, p)).unwrap();
                serde_json::from_str(&json).unwrap()
            })
            .collect();
        read.reverse();
        let merged = merge(read).unwrap();
        let want = whole.latency();
        assert_eq!(merged.overall.latency(), want, "{of} segments");
        assert_eq!(merged.steps.len(), 1);
        assert_eq!(merged.steps[0].hist.latency(), want, "{of} segments, step");
        assert_eq!(merged.requests, n as u64);
        let run = summarise(&merged);
        assert_eq!(run.latency_ms, want);
        for q in [0.5, 0.9, 0.95, 0.99, 0.999, 1.0] {
            assert_eq!(merged.overall.quantile_us(q), whole.quantile_us(q), "q {q}");
        }
        assert_eq!(run.segments, of);
        // The merge changes nothing measurable when redone.
        assert!(want.count > 0 && want.max >= want.p999 && want.p50 >= want.min);
    }
}

#[test]
fn merge_sums_counters_and_keeps_the_run_window() {
    let mut s = segments(3);
    s[0].errors = 2;
    s[0].errors_by_status = [("503".to_string(), 2)].into();
    s[1].errors = 1;
    s[1].errors_by_status = [("503".to_string(), 1)].into();
    s[1].errors_by_kind = [("timeout".to_string(), 1)].into();
    s[1].late_requests = 4;
    s[1].worst_delay_us = 900;
    s[2].late_requests = 1;
    s[2].worst_delay_us = 2_500;
    s[2].dropped_arrivals = 7;
    s[2].users = 3;
    s[2].steps.push(StepRecord {
        journey: "lookup".into(),
        step: "1 GET /tra-cuu".into(),
        requests: 5,
        errors: 0,
        hist: Hist::new(),
    });
    s[2].journeys.push(JourneyStats {
        name: "lookup".into(),
        transactional: true,
        users: 1,
        completed: 5,
        failed: 0,
    });
    s[0].warnings = vec![LoadWarning::Interrupted];
    s[2].warnings = vec![
        LoadWarning::Interrupted,
        LoadWarning::UsersShort {
            planned: 4,
            reached: 3,
        },
    ];
    let m = merge(s).unwrap();
    assert_eq!((m.index, m.of), (0, 3));
    assert_eq!((m.users, m.planned_users, m.active_users), (11, 12, 3));
    assert_eq!((m.requests, m.errors), (6, 3));
    assert!((m.measured_s - 13.0).abs() < 1e-12, "the longest window");
    assert_eq!(m.errors_by_status["503"], 3);
    assert_eq!(m.errors_by_kind["timeout"], 1);
    assert_eq!((m.late_requests, m.worst_delay_us), (5, 2_500));
    assert_eq!(m.dropped_arrivals, 7);
    let names: Vec<&str> = m.steps.iter().map(|s| s.step.as_str()).collect();
    assert_eq!(names, ["1 GET /", "1 GET /tra-cuu"]);
    assert_eq!(m.steps[0].requests, 6);
    assert_eq!(m.journeys.len(), 2);
    assert_eq!((m.journeys[0].users, m.journeys[0].completed), (12, 30));
    assert!(m.journeys[1].transactional);
    // Per-segment copies of derived warnings go; summarising recomputes them from the sums.
    assert_eq!(m.warnings, vec![LoadWarning::Interrupted]);
    assert_eq!(m.started_at, "2026-11-29T23:00:01Z");
    assert_eq!(m.finished_at, "2026-11-29T23:01:03Z");
    let run = summarise(&m);
    assert!(run.warnings.contains(&LoadWarning::UsersShort {
        planned: 12,
        reached: 11
    }));
    assert!(run.warnings.contains(&LoadWarning::CoordinatedOmission {
        late_requests: 5,
        worst_delay_ms: 2.5
    }));
    assert!((run.rps - 6.0 / 13.0).abs() < 1e-12);
}

#[test]
fn a_single_process_merges_to_itself() {
    let m = merge(segments(1)).unwrap();
    assert_eq!((m.index, m.of, m.requests), (0, 1, 2));
    assert_eq!(summarise(&m).segments, 1);
}

#[test]
fn refuses_nothing_to_merge() {
    let e = merge(Vec::new()).unwrap_err();
    assert!(matches!(e, MergeError::Empty), "{e}");
}

#[test]
fn refuses_missing_segments_naming_them() {
    let mut s = segments(4);
    s.remove(3);
    s.remove(1);
    let e = merge(s).unwrap_err().to_string();
    assert_eq!(
        e,
        "segments 2, 4 of 4 are missing: a partial load must not be judged"
    );
    let mut s = segments(3);
    s.remove(0);
    let e = merge(s).unwrap_err().to_string();
    assert_eq!(
        e,
        "segment 1 of 3 is missing: a partial load must not be judged"
    );
}

#[test]
fn refuses_a_duplicate_index() {
    let mut s = segments(3);
    s[2].index = 2;
    let e = merge(s).unwrap_err();
    assert!(
        matches!(e, MergeError::Duplicate { index: 2, of: 3 }),
        "{e}"
    );
    assert!(e.to_string().contains("appears twice"));
}

#[test]
fn refuses_an_index_out_of_range() {
    for bad in [0, 4] {
        let mut s = segments(3);
        s[1].index = bad;
        let e = merge(s).unwrap_err();
        assert!(matches!(e, MergeError::Index { .. }), "{bad}: {e}");
    }
}

#[test]
fn refuses_another_format() {
    let mut s = segments(2);
    s[1].format = SEGMENT_FORMAT + 1;
    let e = merge(s).unwrap_err();
    assert!(matches!(e, MergeError::Format { index: 2, .. }), "{e}");
    assert!(e.to_string().contains("kiemdinh 0.4.0"), "{e}");
}

#[test]
fn refuses_segments_of_different_runs() {
    type Edit = fn(&mut Segment);
    let cases: [(&str, Edit); 5] = [
        ("of", |s| s.of = 4),
        ("target", |s| s.target = "http://127.0.0.1:9/".into()),
        ("mode", |s| s.mode = LoadMode::Open),
        ("target_users", |s| s.target_users = 99),
        ("target_active_share", |s| s.target_active_share = 0.5),
    ];
    for (field, edit) in cases {
        let mut s = segments(3);
        edit(&mut s[2]);
        let e = merge(s).unwrap_err();
        assert!(
            matches!(&e, MergeError::Disagree { field: f, index: 3, first: 1, .. } if *f == field),
            "{field}: {e}"
        );
        assert!(e.to_string().contains("not parts of the same run"), "{e}");
    }
}

/// A scratch directory removed on drop.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Self {
        let p = std::env::temp_dir().join(format!("kiemdinh-merge-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Self(p)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn write(dir: &Path, name: &str, s: &Segment) -> PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, serde_json::to_string(s).unwrap()).unwrap();
    p
}

#[test]
fn reads_segment_files_from_directories_and_file_arguments() {
    let a = Scratch::new("read-a");
    let b = Scratch::new("read-b");
    let s = segments(3);
    write(&a.0, "segment-1-of-3.json", &s[0]);
    write(&a.0, "segment-2-of-3.json", &s[1]);
    std::fs::write(a.0.join("load.json"), "{}").unwrap();
    std::fs::write(a.0.join("notes.txt"), "not a segment").unwrap();
    let third = write(&b.0, "segment-3-of-3.json", &s[2]);
    let read = read_dirs(&[a.0.clone(), third]).unwrap();
    assert_eq!(read.iter().map(|s| s.index).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(merge(read).unwrap().requests, 6);
}

#[test]
fn reading_names_the_bad_file() {
    let d = Scratch::new("read-bad");
    write(&d.0, "segment-1-of-2.json", &segments(2)[0]);
    let bad = d.0.join("segment-2-of-2.json");
    std::fs::write(&bad, "{\"format\": 1").unwrap();
    let e = read_dirs(std::slice::from_ref(&d.0)).unwrap_err();
    assert!(
        matches!(&e, MergeError::Parse { path, .. } if *path == bad),
        "{e}"
    );
    assert!(e.to_string().contains("segment-2-of-2.json"), "{e}");

    let empty = Scratch::new("read-empty");
    let e = read_dirs(std::slice::from_ref(&empty.0)).unwrap_err();
    assert!(matches!(e, MergeError::NoSegments { .. }), "{e}");

    let gone = empty.0.join("nowhere");
    let e = read_dirs(std::slice::from_ref(&gone)).unwrap_err();
    assert!(
        matches!(&e, MergeError::Read { path, .. } if *path == gone),
        "{e}"
    );
    assert!(e.to_string().contains("nowhere"), "{e}");
}

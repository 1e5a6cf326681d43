//! The whole HTTP assessment of the reference portal (start, crawl ~65 pages, judge, report;
//! no browser, no load).

use criterion::{Criterion, criterion_group, criterion_main};
use kiemdinh::assess::{AssessOptions, ReportOptions};
use kiemdinh::report::Format;

fn bench(c: &mut Criterion) {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut group = c.benchmark_group("assess");
    group.sample_size(10);
    group.bench_function("assess --demo (http)", |b| {
        b.iter(|| {
            rt.block_on(kiemdinh::assess::run(AssessOptions {
                browser: kiemdinh::assess::BrowserOptions {
                    disabled: true,
                    ..Default::default()
                },
                scenario: None,
                demo: true,
                defects: vec![],
                theme: String::new(),
                checklists: vec![],
                out: Some(dir.path().join("out")),
                resume: false,
                force: false,
                only: vec![],
                skip: vec![],
                set: vec![],
                no_load: true,
                active_security: false,
                report: ReportOptions {
                    formats: vec![Format::Json, Format::Html],
                    lang: kiemdinh::text::Lang::Vi,
                    fail_on: kiemdinh::evaluation::FailOn::Mandatory,
                    require_complete: false,
                    without_ranking_policies: vec![],
                    quiet: true,
                    baseline: None,
                },
            }))
            .unwrap()
        });
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

//! A year of one-minute probes of one portal's home page (525,600 rows, a few outages and a
//! restart gap) summarised by `figures::availability`: the target is under a second.

use criterion::{Criterion, criterion_group, criterion_main};
use kiemdinh::monitor::figures::{availability, rfc3339};
use kiemdinh::observation::Span;
use kiemdinh::store::Store;

/// 2026-01-01T00:00:00+07:00.
const START: i64 = 1_767_200_400_000;
const MINUTE: i64 = 60_000;
const ROWS: i64 = 525_600;

/// Builds the store once: minute `i` fails inside the outages, nothing is recorded in the gap.
fn year(path: &std::path::Path) -> Store {
    let store = Store::open(path).unwrap();
    let outages = [
        (10_000, 10_020),
        (90_000, 90_300),
        (250_000, 250_005),
        (400_000, 400_090),
    ];
    let gap = 300_000..300_180;
    let tx = store.conn().unchecked_transaction().unwrap();
    {
        let mut st = tx
            .prepare(
                "INSERT INTO probe (portal, target, url, at_ms, interval_ms, ok, status,
                                    latency_ms, tls_days_left, error)
                 VALUES ('lam-son', 'home', 'https://dichvucong.lamson.gov.vn/', ?1, 60000, ?2, ?3,
                         ?4, 80, ?5)",
            )
            .unwrap();
        for i in (0..ROWS).filter(|i| !gap.contains(i)) {
            let down = outages.iter().any(|(a, b)| (*a..*b).contains(&i));
            st.execute(rusqlite::params![
                START + i * MINUTE,
                !down,
                if down { 503 } else { 200 },
                80.0 + (i % 97) as f64,
                down.then_some("HTTP 503"),
            ])
            .unwrap();
        }
    }
    tx.commit().unwrap();
    store
}

fn bench(c: &mut Criterion) {
    let dir = tempfile::tempdir().unwrap();
    let store = year(&dir.path().join("year.db"));
    let period = Span {
        from: rfc3339(START),
        to: rfc3339(START + ROWS * MINUTE),
    };
    let a = availability(&store, "lam-son", &period, "year.db").unwrap();
    assert_eq!(a.outages.len(), 4);
    assert_eq!(a.gaps.len(), 1);
    assert_eq!(a.daily.len(), 365);
    assert_eq!(a.targets[0].probes, 525_420);
    let mut group = c.benchmark_group("availability");
    group.sample_size(10);
    group.bench_function("year of one-minute probes", |b| {
        b.iter(|| availability(&store, "lam-son", &period, "year.db").unwrap());
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);

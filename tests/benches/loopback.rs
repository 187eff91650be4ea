//! What the generated client costs over a hand-written `reqwest` call: the same request
//! (`GET /signature_request/list` with Basic auth, a JSON answer decoded into the same model) to
//! the same minimal HTTP/1.1 server on 127.0.0.1, through the same kind of `reqwest::Client`.
//!
//! `cargo bench -p workspace-tests --bench loopback`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use tokio::runtime::Runtime;
use workspace_tests::loopback::{Clients, serve};

fn loopback(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let clients = Clients::new(&runtime.block_on(serve()));
    let mut group = c.benchmark_group("signature_request_list");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async { black_box(clients.hand_written().await) })
    });
    group.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async { black_box(clients.generated().await) })
    });
    group.finish();
}

criterion_group!(benches, loopback);
criterion_main!(benches);

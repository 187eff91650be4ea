//! What the generated client costs over a hand-written `reqwest` call: the same request
//! (`GET /signature_request/list` with Basic auth, a JSON answer decoded into the same model) to
//! the same minimal HTTP/1.1 server on 127.0.0.1, through the same kind of `reqwest::Client`.
//!
//! `cargo bench -p workspace-tests --bench loopback`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use dropbox_sign::models::SignatureRequestListResponse;
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{Client, RetryPolicy};
use tokio::runtime::Runtime;
use workspace_tests::loopback::serve;

fn loopback(c: &mut Criterion) {
    let runtime = Runtime::new().unwrap();
    let url = runtime.block_on(serve());
    let http = reqwest::Client::builder().user_agent("bench").build().unwrap();
    let generated = Client::builder()
        .base_url(&url)
        .api_key("BENCH-KEY")
        .http_client(http.clone())
        .retry(RetryPolicy::default())
        .build()
        .unwrap();
    let list_url = format!("{url}/signature_request/list");
    let mut group = c.benchmark_group("signature_request_list");
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            let response = http.get(&list_url).basic_auth("BENCH-KEY", Some("")).send().await.unwrap();
            let status = response.status();
            let bytes = response.bytes().await.unwrap();
            assert!(status.is_success());
            black_box(serde_json::from_slice::<SignatureRequestListResponse>(&bytes).unwrap())
        })
    });
    group.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async {
            black_box(generated.signature_request_list(&SignatureRequestListParams::default()).await.unwrap())
        })
    });
    group.finish();
}

criterion_group!(benches, loopback);
criterion_main!(benches);

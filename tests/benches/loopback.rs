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
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::runtime::Runtime;

/// The answer: a page of two signature requests, as the API documents it.
const BODY: &str = r#"{"list_info":{"num_pages":1,"num_results":2,"page":1,"page_size":20},"signature_requests":[{"signature_request_id":"fa5c8a0b0f492d768749333ad6fcc214c111e967","title":"NDA","is_complete":false,"signatures":[{"signature_id":"78caf2a1d01cd39cea2bc1cbb340dac3","signer_email_address":"jack@example.com","status_code":"awaiting_signature"}]},{"signature_request_id":"d10338cad145e1cb68afc828","title":"FHA","is_complete":true,"signatures":[]}]}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`; returns its URL.
async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut pending = Vec::new();
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else { return };
                    if read == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buffer[..read]);
                    // Requests without bodies: one answer per header block.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

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

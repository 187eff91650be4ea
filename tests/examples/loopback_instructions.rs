//! `N` loopback requests, by the generated client or by hand-written `reqwest`, on one thread:
//! for counting instructions with callgrind, which is repeatable where wall time is not.
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/loopback_instructions generated 2000
//! ```
//!
//! The per-request cost is the difference between two counts (2000 and 1000 requests, say)
//! divided by the difference in requests, which cancels out start-up. `scripts/bench.sh` does it.

use dropbox_sign::models::SignatureRequestListResponse;
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{Client, RetryPolicy};
use workspace_tests::loopback::serve;

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let requests: u32 =
        args.next().and_then(|n| n.parse().ok()).expect("usage: loopback_instructions generated|hand N");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let url = serve().await;
        let http = reqwest::Client::builder().user_agent("bench").build().unwrap();
        let generated = Client::builder()
            .base_url(&url)
            .api_key("BENCH-KEY")
            .http_client(http.clone())
            .retry(RetryPolicy::default())
            .build()
            .unwrap();
        let list_url = format!("{url}/signature_request/list");
        for _ in 0..requests {
            let decoded = match mode.as_str() {
                "generated" => {
                    generated.signature_request_list(&SignatureRequestListParams::default()).await.unwrap().into_body()
                }
                "hand" => {
                    let response = http.get(&list_url).basic_auth("BENCH-KEY", Some("")).send().await.unwrap();
                    assert!(response.status().is_success());
                    serde_json::from_slice::<SignatureRequestListResponse>(&response.bytes().await.unwrap()).unwrap()
                }
                other => panic!("unknown mode {other:?}: generated or hand"),
            };
            std::hint::black_box(decoded);
        }
    });
}

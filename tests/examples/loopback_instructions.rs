//! `N` loopback requests, by the generated client or by hand-written `reqwest`, on one thread:
//! for counting instructions with callgrind, which is repeatable where wall time is not.
//!
//! ```text
//! valgrind --tool=callgrind target/release/examples/loopback_instructions generated 2000
//! ```
//!
//! The per-request cost is the difference between two counts (2000 and 1000 requests, say)
//! divided by the difference in requests, which cancels out start-up. `scripts/bench.sh` does it.

use workspace_tests::loopback::{Clients, serve};

fn main() {
    let mut args = std::env::args().skip(1);
    let mode = args.next().unwrap_or_default();
    let requests: u32 =
        args.next().and_then(|n| n.parse().ok()).expect("usage: loopback_instructions generated|hand|hooked|options N");
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    runtime.block_on(async {
        let clients = Clients::new(&serve().await);
        for _ in 0..requests {
            let decoded = match mode.as_str() {
                "generated" => clients.generated().await,
                "hand" => clients.hand_written().await,
                "hooked" => clients.hooked().await,
                "options" => clients.with_call_options().await,
                other => panic!("unknown mode {other:?}: generated, hand, hooked or options"),
            };
            std::hint::black_box(decoded);
        }
    });
}

#!/usr/bin/env bash
# What an application that calls four operations of the official Dropbox Sign client pays on
# every change to its own code: the client generated from the official description, an
# application crate beside it calling `account_get`, `account_verify`, `signature_request_get`
# and `signature_request_list`, built once; then `touch src/main.rs` and the debug rebuild timed
# (`/usr/bin/time`), five times with cargo's default incremental cache and three without.
# Usage: scripts/app_rebuild.sh   (DROPBOX_SPEC overrides ../shared/specs/dropbox-sign-openapi.yaml)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
spec="${DROPBOX_SPEC:-../shared/specs/dropbox-sign-openapi.yaml}"
work="${TMPDIR:-/tmp}/openapi-gen-app-rebuild"
rm -rf "$work/ws" && mkdir -p "$work/ws/app/src"
cargo build --release --quiet -p openapi-gen
target/release/openapi-gen generate --spec "$spec" --out "$work/ws/client" --crate-name dropbox-sign-official \
    --runtime "$root/runtime" -q
cat > "$work/ws/app/Cargo.toml" <<'TOML'
[package]
name = "app"
version = "0.1.0"
edition = "2024"

[dependencies]
dropbox-sign-official = { path = "../client" }
tokio = { version = "1", features = ["macros", "rt-multi-thread"] }
TOML
cat > "$work/ws/app/src/main.rs" <<'RUST'
use dropbox_sign_official::Client;
use dropbox_sign_official::models::AccountVerifyRequest;
use dropbox_sign_official::operations::{AccountGetParams, SignatureRequestGetParams, SignatureRequestListParams};

#[tokio::main]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::builder().api_key("key").build()?;
    println!("{}", client.account_get(&AccountGetParams::default()).await.is_ok());
    println!("{}", client.account_verify(&AccountVerifyRequest::new("a@example.com")).await.is_ok());
    println!("{}", client.signature_request_get(&SignatureRequestGetParams::new("id")).await.is_ok());
    println!("{}", client.signature_request_list(&SignatureRequestListParams::default()).await.is_ok());
    Ok(())
}
RUST
printf '[workspace]\nresolver = "3"\nmembers = ["client", "app"]\n' > "$work/ws/Cargo.toml"
cp Cargo.lock "$work/ws/Cargo.lock"
export CARGO_TARGET_DIR="$work/target"
cd "$work/ws"
cargo build --offline --quiet -p app
echo "## rebuild after touching main.rs (incremental, cargo's default)"
for _ in 1 2 3 4 5; do
    touch app/src/main.rs
    /usr/bin/time -f "  %e s, %M KB peak" cargo build --offline --quiet -p app 2>&1 | tail -1
done
echo "## the same without the incremental cache"
CARGO_INCREMENTAL=0 cargo build --offline --quiet -p app
for _ in 1 2 3; do
    touch app/src/main.rs
    CARGO_INCREMENTAL=0 /usr/bin/time -f "  %e s, %M KB peak" cargo build --offline --quiet -p app 2>&1 | tail -1
done

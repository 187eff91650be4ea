#!/usr/bin/env bash
# What `--features-per-tag` saves a user of a big API: GitHub's description (npm
# `@octokit/openapi`, installed by scripts/bench.sh) generated with a feature per tag, then the
# debug build of the generated crate alone (its dependencies built first, `cargo clean -p`
# before each), with all tags (the default), with one tag, and with none; wall time and the
# peak memory of the biggest process (`/usr/bin/time`).
# Usage: scripts/tag_features.sh [tag ...]   (default: repos issues actions)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
spec=target/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
[ -f "$spec" ] || npm install --no-audit --no-fund --no-save --loglevel=error --prefix target/bench/npm @octokit/openapi@23.0.2
work="${TMPDIR:-/tmp}/openapi-gen-tag-features"
rm -rf "$work/github" && mkdir -p "$work"
cargo run --release --quiet -p openapi-gen -- generate --spec "$spec" --out "$work/github" \
    --crate-name github --features-per-tag --runtime "$root/runtime"
# Outside this workspace: a workspace of its own.
printf '\n[workspace]\n' >> "$work/github/Cargo.toml"
export CARGO_TARGET_DIR="$work/target"
cd "$work/github"
cargo build --quiet --no-default-features --features rustls
build() {
    local label=$1
    shift
    cargo clean --quiet -p github
    printf '  %-8s ' "$label"
    /usr/bin/time -f "%e s, %M KB peak" cargo build --quiet "$@" 2>&1 | tail -1
}
echo "## debug build of the generated GitHub crate alone"
build all
tags=("$@")
[ ${#tags[@]} -gt 0 ] || tags=(repos issues actions)
for tag in "${tags[@]}"; do
    build "$tag" --no-default-features --features "rustls,$tag"
done
build none --no-default-features --features rustls

#!/usr/bin/env bash
# What GitHub's description (npm `@octokit/openapi`) costs to compile once generated: the lines
# of Rust, then `cargo check` and the debug `cargo build` of the generated crate alone, all tags
# on (its dependencies built first, `cargo clean -p` before each, no incremental cache), wall
# time and the peak memory of the biggest process (`/usr/bin/time`). Never a timed test.
# Extra arguments go to `openapi-gen generate` (`--keep-identical-types` shows what merging
# identical inline schemas saves; `--split-crates` puts the models in crates of their own, which
# are measured with the client).
# Usage: scripts/github_build.sh [generate arguments ...]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
spec=target/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json
[ -f "$spec" ] || npm install --no-audit --no-fund --no-save --loglevel=error --prefix target/bench/npm @octokit/openapi@23.0.2
work="${TMPDIR:-/tmp}/openapi-gen-github-build"
rm -rf "$work/github" && mkdir -p "$work"
cargo build --release --quiet -p openapi-gen
echo "## generate"
/usr/bin/time -f "  %e s, %M KB peak" target/release/openapi-gen generate --spec "$spec" --out "$work/github" \
    --crate-name github --runtime "$root/runtime" "$@" 2>&1 | grep -E "KB peak|^error" || true
# Outside this workspace: a workspace of its own.
printf '\n[workspace]\n' >> "$work/github/Cargo.toml"
echo "## the generated crate: $(find "$work/github" -name '*.rs' -print0 | xargs -0 cat | wc -l) lines of Rust"
# The client's package and, when split, its model crates'.
packages=(-p github)
for model_crate in "$work"/github/crates/*/; do
    [ -d "$model_crate" ] && packages+=(-p "$(basename "$model_crate")")
done
export CARGO_TARGET_DIR="$work/target" CARGO_INCREMENTAL=0
cd "$work/github"
cargo build --quiet
cargo check --quiet  # the dependencies as `check` reads them, too
measure() {
    local label=$1
    shift
    cargo clean --quiet "${packages[@]}"
    printf '  %-12s ' "$label"
    /usr/bin/time -f "%e s, %M KB peak" cargo "$@" --quiet 2>&1 | tail -1
}
echo "## the generated crate alone (and its model crates), all tags"
measure "cargo check" check
measure "cargo build" build

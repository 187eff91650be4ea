#!/usr/bin/env bash
# Speed and footprint, measured with public tools (never in tests):
#   1. the whole `openapi-gen generate` process: wall time and peak memory (`/usr/bin/time -v`),
#      and wall time over repeated runs (`hyperfine`, when installed), on our spec, on the
#      official Dropbox Sign description (when it is beside the checkout, or at $DROPBOX_SPEC),
#      and on GitHub's description (13 MB of JSON, npm `@octokit/openapi`, installed here);
#   2. the debug build time of the generated crate: cold with its dependencies, and the crate
#      alone from scratch (dependencies built, no incremental cache);
#   3. instructions per loopback request, generated client against hand-written reqwest
#      (`valgrind --tool=callgrind`, when installed: repeatable where wall time is not);
#   4. `cargo bench`: generation stage by stage, and the client against hand-written reqwest;
#   5. GitHub's generated crate: lines, `cargo check` and debug build alone (scripts/github_build.sh),
#      with its models in crates of their own (the default) and as one crate.
# The same measurements for oas3-gen, progenitor and OpenAPI Generator: scripts/anchors.sh;
# `generate` on GitHub's and Microsoft Graph's descriptions beside oas3-gen: scripts/generate_ratio.sh.
# Usage: scripts/bench.sh [--no-cargo-bench]
set -euo pipefail
cd "$(dirname "$0")/.."

prefix=target/bench/npm
octokit=@octokit/openapi@23.0.2
if [ ! -f "$prefix/node_modules/@octokit/openapi/package.json" ]; then
    npm install --no-audit --no-fund --no-save --loglevel=error --prefix "$prefix" "$octokit"
fi
github_spec="$prefix/node_modules/@octokit/openapi/generated/api.github.com.json"
dropbox_spec="${DROPBOX_SPEC:-../shared/specs/dropbox-sign-openapi.yaml}"

cargo build --release --quiet -p openapi-gen
bin=target/release/openapi-gen
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "## generate: the whole process"
for spec in spec/openapi.yaml "$dropbox_spec" "$github_spec"; do
    if [ ! -f "$spec" ]; then
        echo "skipping $spec: not there"
        continue
    fi
    echo "### $spec ($(du -h "$spec" | cut -f1))"
    /usr/bin/time -v "$bin" generate --spec "$spec" --out "$work/client" 2>&1 >/dev/null |
        grep -E "Elapsed \(wall clock\)|Maximum resident set size" | sed 's/^\s*/  /'
    if command -v hyperfine >/dev/null; then
        hyperfine --style basic --warmup 2 --runs 10 \
            "$bin generate --spec $spec --out $work/client 2>/dev/null" | grep -E "Time|Range" | sed 's/^\s*/  /'
    fi
done

echo "## build time of the generated crate (debug)"
for spec in spec/openapi.yaml "$dropbox_spec"; do
    [ -f "$spec" ] || continue
    rm -rf "$work/ws"
    mkdir -p "$work/ws"
    "$bin" generate --spec "$spec" --out "$work/ws/client" --crate-name bench-client 2>/dev/null
    printf '[workspace]\nresolver = "3"\nmembers = ["client"]\n' > "$work/ws/Cargo.toml"
    cp Cargo.lock "$work/ws/Cargo.lock"
    export CARGO_TARGET_DIR="$work/ws/target"
    start=$(date +%s.%N)
    (cd "$work/ws" && cargo build --offline --quiet)
    cold=$(echo "$(date +%s.%N) - $start" | bc)
    # The crate alone, from scratch (no incremental cache), its dependencies already built.
    (cd "$work/ws" && cargo clean --offline --quiet -p bench-client)
    start=$(date +%s.%N)
    (cd "$work/ws" && cargo build --offline --quiet)
    alone=$(echo "$(date +%s.%N) - $start" | bc)
    unset CARGO_TARGET_DIR
    printf '### %s\n  cold, with dependencies: %.1f s\n  the crate alone: %.1f s\n' "$spec" "$cold" "$alone"
done

if command -v valgrind >/dev/null; then
    echo "## instructions per loopback request (callgrind)"
    cargo build --release --quiet -p workspace-tests --example loopback_instructions
    count() {
        valgrind --tool=callgrind --callgrind-out-file=/dev/null \
            target/release/examples/loopback_instructions "$1" "$2" 2>&1 | awk '/Collected/ {print $4}'
    }
    # hooked: a hook that adds a header; options: a header, a timeout and a retry policy on the call.
    for mode in hand generated hooked options; do
        # The difference between 2000 and 1000 requests cancels out start-up.
        per_request=$(( ($(count $mode 2000) - $(count $mode 1000)) / 1000 ))
        printf '  %s: %d instructions per request\n' "$mode" "$per_request"
    done
fi

if [ "${1:-}" != "--no-cargo-bench" ]; then
    echo "## cargo bench"
    cargo bench --quiet -p openapi-gen --bench generate 2>&1 | grep -E "^[a-z].*/|time:"
    cargo bench --quiet -p workspace-tests --bench loopback 2>&1 | grep -E "^signature|time:"
fi

echo "## GitHub's generated crate (its models in crates of their own, the default for a big API)"
scripts/github_build.sh
echo "## GitHub's generated crate as one crate"
scripts/github_build.sh --split-crates never

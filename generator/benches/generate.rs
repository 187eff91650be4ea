//! Generation speed, stage by stage (load, IR, emit) and whole, on our spec, on the official
//! Dropbox Sign description when it is beside the checkout, and on a large public description
//! (GitHub's, 13 MB of JSON, from the npm package `@octokit/openapi`; `scripts/bench.sh`
//! installs it).
//!
//! Synthetic descriptions of 2,000 to 32,000 schemas (a chain, and a wide flat set) show how
//! the IR and the whole run scale with the number of types.
//!
//! `cargo bench -p openapi-gen --bench generate`

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use openapi_gen::{Options, emit, ir, load};

fn workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

/// The documents to measure: name and path; the ones not on this machine are skipped.
fn documents() -> Vec<(&'static str, PathBuf)> {
    let root = workspace();
    let candidates = [
        ("ours", root.join("spec/openapi.yaml")),
        ("dropbox-sign-official", root.join("../shared/specs/dropbox-sign-openapi.yaml")),
        ("github-13mb", root.join("target/bench/npm/node_modules/@octokit/openapi/generated/api.github.com.json")),
    ];
    candidates
        .into_iter()
        .filter(|(name, path)| {
            let present = path.exists();
            if !present {
                eprintln!("skipping {name}: {} is not there (scripts/bench.sh installs it)", path.display());
            }
            present
        })
        .collect()
}

fn options() -> Options {
    Options {
        crate_name: "bench".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "bench".to_owned(),
        example_tests: false,
        regenerate_command: "cargo bench".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: None },
        tag_features: false,
        ..Options::default()
    }
}

fn stages(c: &mut Criterion) {
    for (name, path) in documents() {
        let large = std::fs::metadata(&path).map(|m| m.len() > 5_000_000).unwrap_or(false);
        let mut group = c.benchmark_group(name);
        if large {
            group.sample_size(10).measurement_time(Duration::from_secs(30));
        }
        let document = load::load_file(&path).expect("the document loads");
        let (api, _) = ir::build(&document).expect("the IR builds");
        group.bench_function("load", |b| b.iter(|| load::load_file(black_box(&path)).unwrap()));
        group.bench_function("ir", |b| b.iter(|| ir::build(black_box(&document)).unwrap()));
        group.bench_function("emit", |b| b.iter(|| emit::emit(black_box(&api), &options()).unwrap()));
        group.bench_function("whole", |b| b.iter(|| openapi_gen::generate(black_box(&path), &options()).unwrap()));
        group.finish();
    }
}

/// A description of `count` component schemas: a chain (each holds the next, the shape that
/// made the recursion pass quadratic) or a wide, flat set of unrelated objects.
fn synthetic(chain: bool, count: usize) -> String {
    let schemas: Vec<String> = (0..count)
        .map(|n| {
            let next = if chain && n + 1 < count {
                format!(r##","next":{{"$ref":"#/components/schemas/S{}"}}"##, n + 1)
            } else {
                String::new()
            };
            format!(
                r#""S{n}":{{"type":"object","properties":{{"id":{{"type":"string"}},"count":{{"type":"integer"}},"tags":{{"type":"array","items":{{"type":"string"}}}}{next}}}}}"#
            )
        })
        .collect();
    format!(
        r##"{{"openapi":"3.0.3","info":{{"title":"Synthetic","version":"1"}},"paths":{{"/root":{{"get":{{"operationId":"root","responses":{{"200":{{"description":"ok","content":{{"application/json":{{"schema":{{"$ref":"#/components/schemas/S0"}}}}}}}}}}}}}}}},"components":{{"schemas":{{{}}}}}}}"##,
        schemas.join(",")
    )
}

/// How IR time and whole generation grow with the number of schemas: compare the ratios
/// between sizes (8,000 against 2,000, 32,000 against 8,000), not the times.
fn scaling(c: &mut Criterion) {
    for (shape, chain) in [("chain", true), ("wide", false)] {
        let mut group = c.benchmark_group(format!("synthetic-{shape}"));
        group.sample_size(10).measurement_time(Duration::from_secs(10));
        for count in [2_000, 8_000, 32_000] {
            let document = load::load_str(&synthetic(chain, count), "synthetic.json").expect("the document loads");
            group.bench_function(format!("ir-{count}"), |b| b.iter(|| ir::build(black_box(&document)).unwrap()));
            if count <= 8_000 {
                group.bench_function(format!("whole-{count}"), |b| {
                    b.iter(|| openapi_gen::generate_from_document(black_box(&document), &options()).unwrap())
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, stages, scaling);
criterion_main!(benches);

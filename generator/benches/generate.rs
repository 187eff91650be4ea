//! Generation speed, stage by stage (load, IR, emit) and whole, on our spec, on the official
//! Dropbox Sign description when it is beside the checkout, and on a large public description
//! (GitHub's, 13 MB of JSON, from the npm package `@octokit/openapi`; `scripts/bench.sh`
//! installs it).
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

criterion_group!(benches, stages);
criterion_main!(benches);

//! Where `generate`'s time goes on one document: the wall time of each stage, run once each,
//! in the order `generate` runs them. For profiling, not a benchmark (`cargo bench` is that).
//!
//! `cargo run --release -p openapi-gen --example stage_times -- path/to/openapi.json`

use std::time::Instant;

fn main() {
    let path = std::env::args().nth(1).expect("a document");
    let path = std::path::Path::new(&path);
    let options = openapi_gen::Options {
        crate_name: "stage-times".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "stage-times".to_owned(),
        example_tests: false,
        regenerate_command: "cargo run --example stage_times".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: None },
        tag_features: false,
        ..openapi_gen::Options::default()
    };
    let started = Instant::now();
    let text = std::fs::read_to_string(path).unwrap();
    let tree = openapi_gen::load::parse_text(&text).unwrap();
    let parsed = started.elapsed();
    drop(tree);
    let started = Instant::now();
    let document = openapi_gen::load::load_file(path).unwrap();
    let loaded = started.elapsed();
    let started = Instant::now();
    let (api, _) = openapi_gen::ir::build(&document).unwrap();
    let built = started.elapsed();
    drop(document);
    let started = Instant::now();
    let generated = openapi_gen::emit::emit(&api, &options).unwrap();
    let emitted = started.elapsed();
    println!("parse text to a JSON tree: {:6.3} s", parsed.as_secs_f64());
    println!("load (parse, bundle, normalize, check): {:6.3} s", loaded.as_secs_f64());
    println!("IR: {:6.3} s", built.as_secs_f64());
    println!("emit: {:6.3} s ({} files)", emitted.as_secs_f64(), generated.files.len());
}

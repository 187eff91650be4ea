//! The generator's modules depend only downward: each may use the modules below it in [`LAYERS`]
//! and none above, so that there is no import circle (a test in the manner of rust-analyzer's
//! `tidy.rs`, which turns such conventions into tests). `lib.rs` and `main.rs` are above them all.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The generator's top-level modules, lowest first.
const LAYERS: &[&str] = &[
    "diagnostics",
    "fingerprint",
    "load",
    "view",
    "ir",
    "options",
    "output",
    "emit",
    "diff",
    "write",
    "settings",
    "build_script",
];

fn source_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|ext| ext == "rs") {
            out.push(path);
        }
    }
}

/// The top-level module a file belongs to (`ir` for `src/ir/schemas.rs`), `None` for the crate
/// root and the binary.
fn module_of(file: &Path) -> Option<String> {
    let relative = file.strip_prefix(source_dir()).unwrap();
    let first = relative.components().next()?.as_os_str().to_string_lossy().into_owned();
    let name = first.trim_end_matches(".rs").to_owned();
    (name != "lib" && name != "main").then_some(name)
}

/// The generator modules a file's code names through `crate::` (comments are not code; names
/// that are no module of ours, such as the generated crate's own `crate::models` in emitted
/// tokens, are not ours to check).
fn modules_used(text: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in text.lines().map(str::trim_start).filter(|line| !line.starts_with("//")) {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            let names: Vec<&str> = match rest.strip_prefix('{') {
                Some(group) => group.split('}').next().unwrap_or_default().split(',').collect(),
                None => vec![rest],
            };
            for name in names {
                let name: String = name.trim().chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
                if LAYERS.contains(&name.as_str()) {
                    used.insert(name);
                }
            }
        }
    }
    used
}

#[test]
fn every_module_uses_only_the_modules_below_it() {
    let mut files = Vec::new();
    rust_files(&source_dir(), &mut files);
    let layer = |name: &str| LAYERS.iter().position(|layer| *layer == name);
    let mut upward = Vec::new();
    for file in &files {
        let Some(module) = module_of(file) else { continue };
        let own = layer(&module).unwrap_or_else(|| panic!("`{module}` has no place in LAYERS: give it one"));
        for used in modules_used(&std::fs::read_to_string(file).unwrap()) {
            if layer(&used).unwrap() > own {
                upward.push(format!("{} uses `{used}`, which is above `{module}`", file.display()));
            }
        }
    }
    assert!(upward.is_empty(), "modules that use modules above them:\n{}", upward.join("\n"));
}

#[test]
fn the_check_finds_what_it_is_for() {
    let used = modules_used(
        "use crate::diagnostics::Error;\n// crate::emit in a comment\nuse crate::{ir::Api, load};\nquote!(crate::models::X)",
    );
    assert_eq!(used.into_iter().collect::<Vec<_>>(), ["diagnostics", "ir", "load"]);
}

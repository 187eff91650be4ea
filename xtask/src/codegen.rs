//! Regenerating the committed client, or checking that it is current.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use openapi_gen::{GeneratedCrate, Options};

use crate::workspace_root;

/// The document the client is generated from, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";
/// The settings of our client, read when the file is there.
pub const SETTINGS: &str = "spec/openapi-gen.toml";
/// The committed client crate, relative to the workspace root.
pub const CLIENT_DIR: &str = "generated-client";
/// How many diff lines `--check` prints before it stops.
const MAX_DIFF_LINES: usize = 200;

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Write,
    Check,
}

pub fn options() -> Options {
    Options {
        crate_name: "dropbox-sign".to_owned(),
        crate_version: "0.1.0".to_owned(),
        source_label: SPEC.to_owned(),
        // Our spec's examples are tests of the committed client.
        example_tests: true,
        regenerate_command: "cargo xtask codegen".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: Some("../generator/runtime".to_owned()) },
        tag_features: false,
        ..Options::default()
    }
}

/// Generates the client in memory from the spec.
pub fn generate_in_memory(root: &Path) -> Result<GeneratedCrate, String> {
    let mut options = options();
    let settings_path = root.join(SETTINGS);
    if settings_path.exists() {
        let settings = openapi_gen::settings::Settings::read(&settings_path).map_err(|err| err.to_string())?;
        settings.apply(&mut options, SETTINGS);
    }
    openapi_gen::generate(&root.join(SPEC), &options).map_err(|err| err.to_string())
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let generated = generate_in_memory(&root)?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    for note in &generated.notes {
        eprintln!("{note}");
    }
    let out = root.join(CLIENT_DIR);
    match mode {
        Mode::Write => {
            openapi_gen::write::write_crate(&generated, &out).map_err(|err| err.to_string())?;
            eprintln!("regenerated {CLIENT_DIR}/ ({} files) from {SPEC}", generated.files.len());
            Ok(())
        }
        Mode::Check => {
            let drift = drift(&generated, &out)?;
            if drift.is_empty() {
                eprintln!("{CLIENT_DIR}/ is up to date with {SPEC}");
                Ok(())
            } else {
                eprintln!("{drift}");
                Err(format!("{CLIENT_DIR}/ is stale: run `cargo xtask codegen` and commit the result"))
            }
        }
    }
}

/// A readable diff between what the spec gives and what is on disk; empty when they agree.
pub fn drift(generated: &GeneratedCrate, dir: &Path) -> Result<String, String> {
    let on_disk = read_tree(dir)?;
    let mut report = String::new();
    let mut lines = 0;
    let paths: std::collections::BTreeSet<&String> = generated.files.keys().chain(on_disk.keys()).collect();
    for path in paths {
        let (expected, actual) = (generated.files.get(path), on_disk.get(path));
        let diff = match (expected, actual) {
            (Some(expected), Some(actual)) if expected == actual => continue,
            (Some(_), None) => format!("missing file (the generator makes it): {CLIENT_DIR}/{path}\n"),
            (None, Some(_)) => format!("extra file (the generator does not make it): {CLIENT_DIR}/{path}\n"),
            (Some(expected), Some(actual)) => similar::TextDiff::from_lines(actual, expected)
                .unified_diff()
                .context_radius(2)
                .header(&format!("committed/{path}"), &format!("generated/{path}"))
                .to_string(),
            (None, None) => continue,
        };
        for line in diff.lines() {
            if lines == MAX_DIFF_LINES {
                report.push_str("... (diff cut here)\n");
            }
            if lines < MAX_DIFF_LINES {
                report.push_str(line);
                report.push('\n');
            }
            lines += 1;
        }
    }
    Ok(report)
}

/// Every file under `dir`, by path relative to it, with `/` separators.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current).map_err(|err| format!("cannot list {}: {err}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|err| err.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).map_err(|err| err.to_string())?;
                let key = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let contents = fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
                files.insert(key, String::from_utf8_lossy(&contents).into_owned());
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` fails when the committed client is not what the spec gives.
    #[test]
    fn committed_client_is_current() {
        let root = workspace_root();
        let generated = generate_in_memory(&root).expect("the spec generates");
        let drift = drift(&generated, &root.join(CLIENT_DIR)).expect("the client directory is readable");
        assert!(drift.is_empty(), "{CLIENT_DIR}/ is stale; run `cargo xtask codegen`:\n{drift}");
    }

    #[test]
    fn drift_names_changed_added_and_deleted_files() {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old\n").unwrap();
        fs::write(dir.join("src/stray.rs"), "stray\n").unwrap();
        let mut generated = GeneratedCrate::default();
        generated.files.insert("src/lib.rs".to_owned(), "new\n".to_owned());
        generated.files.insert("Cargo.toml".to_owned(), "[package]\n".to_owned());
        let report = drift(&generated, &dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert!(report.contains("-old") && report.contains("+new"), "{report}");
        assert!(report.contains("missing file (the generator makes it): generated-client/Cargo.toml"), "{report}");
        assert!(
            report.contains("extra file (the generator does not make it): generated-client/src/stray.rs"),
            "{report}"
        );
    }
}

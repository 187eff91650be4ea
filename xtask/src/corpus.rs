//! `cargo xtask corpus`: the generator over public example specs (the npm package
//! `@readme/oas-examples`: Swagger 2.0, OpenAPI 3.0 and 3.1, and the 3.1 ones again as 3.2) and
//! our construct specs. Every spec is generated in process (a panic is caught and counted), every generated crate goes into one throwaway
//! workspace, and one `cargo check` with `-D warnings` over a shared target directory tells which
//! compile. Prints `generated N/M, compiled N/M`; fails on a panic or on a crate that was
//! generated but does not compile. A spec the generator refuses with a located error is
//! reported, not failed: refusing clearly is allowed, generating broken code is not.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_gen::emit::Options;

use crate::tools::{self, files_in};
use crate::workspace_root;

/// The pinned version of the example specs, so that the count only changes when we change it.
const OAS_EXAMPLES: &str = "@readme/oas-examples@8.2.2";

pub fn run() -> Result<(), String> {
    let root = workspace_root();
    let corpus_dir = root.join("target").join("corpus");
    let examples = install_examples(&corpus_dir)?;
    let mut specs = Vec::new();
    for version in ["2.0", "3.0", "3.1"] {
        specs.extend(files_in(&examples.join(version).join("json"), "json")?.into_iter().map(|path| {
            let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
            (format!("oas-{}-{stem}", version.replace('.', "-")), path)
        }));
    }
    specs.extend(as_openapi_3_2(&examples.join("3.1").join("json"), &corpus_dir.join("oas-3.2"))?);
    specs.extend(files_in(&root.join("tests").join("specs"), "yaml")?.into_iter().map(|path| {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().replace('_', "-");
        (format!("construct-{stem}"), path)
    }));

    let workspace = corpus_dir.join("workspace");
    let _ = std::fs::remove_dir_all(&workspace);
    let mut generated = Vec::new();
    let mut problems = Vec::new();
    let mut panicked = false;
    for (name, spec) in &specs {
        let options = Options {
            crate_name: name.clone(),
            crate_version: "0.0.0".to_owned(),
            source_label: spec.display().to_string(),
            // Example tests only compile under `cargo test`; `cargo check` would not see them.
            example_tests: false,
            regenerate_command: "cargo xtask corpus".to_owned(),
            runtime: openapi_gen::emit::Runtime::Crate {
                path: Some(crate::workspace_root().join("runtime").display().to_string()),
            },
            tag_features: false,
            ..Options::default()
        };
        match std::panic::catch_unwind(|| openapi_gen::generate(spec, &options)) {
            Ok(Ok(crate_files)) => {
                let dir = workspace.join("crates").join(name);
                for (path, contents) in &crate_files.files {
                    let path = dir.join(path);
                    std::fs::create_dir_all(path.parent().unwrap_or(&dir)).map_err(|err| err.to_string())?;
                    std::fs::write(&path, contents).map_err(|err| format!("cannot write {}: {err}", path.display()))?;
                }
                generated.push(name.clone());
            }
            Ok(Err(err)) => problems.push(format!("{name}: refused with an error: {err}")),
            Err(_) => {
                panicked = true;
                problems.push(format!("{name}: the generator PANICKED on {}", spec.display()));
            }
        }
    }
    let compiled = check_workspace(&root, &workspace, &corpus_dir.join("target"), &generated)?;
    for name in generated.iter().filter(|name| !compiled.contains(*name)) {
        problems.push(format!("{name}: generated but does not compile cleanly (see the cargo output above)"));
    }
    for problem in &problems {
        eprintln!("  {problem}");
    }
    println!(
        "generated {}/{}, compiled {}/{} (specs: {OAS_EXAMPLES} 2.0, 3.0 and 3.1 JSON, its 3.1 ones as 3.2, and tests/specs)",
        generated.len(),
        specs.len(),
        compiled.len(),
        generated.len()
    );
    if panicked || compiled.len() < generated.len() {
        return Err("the corpus check failed".to_owned());
    }
    // The API report on two pairs of releases of GitHub's description, against snapshots.
    crate::release_diff::run()
}

/// Installs the example specs under `corpus_dir/npm` unless they are there, and returns their
/// directory.
fn install_examples(corpus_dir: &Path) -> Result<PathBuf, String> {
    let prefix = corpus_dir.join("npm");
    let examples = prefix.join("node_modules").join("@readme").join("oas-examples");
    tools::npm_install(&prefix, OAS_EXAMPLES, &examples.join("package.json"))?;
    Ok(examples)
}

/// The 3.1 examples as OpenAPI 3.2 documents (3.2 reads every 3.1 document the same way), written
/// to `out`: the corpus's 3.2 documents, beside `tests/specs/openapi_32.yaml`'s constructs.
fn as_openapi_3_2(examples_3_1: &Path, out: &Path) -> Result<Vec<(String, PathBuf)>, String> {
    std::fs::create_dir_all(out).map_err(|err| format!("cannot create {}: {err}", out.display()))?;
    let mut specs = Vec::new();
    for path in files_in(examples_3_1, "json")? {
        let text = std::fs::read_to_string(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
        let mut document: serde_json::Value =
            serde_json::from_str(&text).map_err(|err| format!("{} is not JSON: {err}", path.display()))?;
        document["openapi"] = serde_json::Value::from("3.2.0");
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().into_owned();
        let converted = out.join(format!("{stem}.json"));
        std::fs::write(&converted, document.to_string())
            .map_err(|err| format!("cannot write {}: {err}", converted.display()))?;
        specs.push((format!("oas-3-2-{stem}"), converted));
    }
    Ok(specs)
}

/// Runs `cargo check` over `crates`, once as they are and once with every model implementing
/// both serde traits (the `serialize` and `deserialize` features), and returns the names of
/// those that compiled both times.
fn check_workspace(
    root: &Path,
    workspace: &Path,
    target: &Path,
    crates: &[String],
) -> Result<BTreeSet<String>, String> {
    let members: Vec<String> = crates.iter().map(|name| format!("    \"crates/{name}\",")).collect();
    let manifest = format!("[workspace]\nresolver = \"3\"\nmembers = [\n{}\n]\n", members.join("\n"));
    std::fs::create_dir_all(workspace).map_err(|err| err.to_string())?;
    std::fs::write(workspace.join("Cargo.toml"), manifest).map_err(|err| err.to_string())?;
    // Our lock file pins the same dependency versions the committed client uses, and lets the
    // check run offline.
    std::fs::copy(root.join("Cargo.lock"), workspace.join("Cargo.lock")).map_err(|err| err.to_string())?;
    let as_generated = check_crates(workspace, target, crates, &[])?;
    let both_directions = check_crates(workspace, target, crates, &["--features", "serialize,deserialize"])?;
    Ok(as_generated.intersection(&both_directions).cloned().collect())
}

/// One `cargo check --keep-going` with `extra` arguments; the crates that compiled.
fn check_crates(
    workspace: &Path,
    target: &Path,
    crates: &[String],
    extra: &[&str],
) -> Result<BTreeSet<String>, String> {
    let how = if extra.is_empty() { "as generated".to_owned() } else { extra.join(" ") };
    eprintln!("==> cargo check of {} generated crates ({how})", crates.len());
    let output = Command::new(env!("CARGO"))
        .args(["check", "--workspace", "--offline", "--keep-going", "--message-format=json-diagnostic-short"])
        .args(extra)
        .current_dir(workspace)
        .env("CARGO_TARGET_DIR", target)
        .env("RUSTFLAGS", "-D warnings")
        .output()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut compiled = BTreeSet::new();
    for line in stdout.lines() {
        let Ok(message) = serde_json::from_str::<serde_json::Value>(line) else { continue };
        let name = message.pointer("/target/name").and_then(|n| n.as_str()).unwrap_or_default().replace('_', "-");
        match message.get("reason").and_then(|r| r.as_str()) {
            Some("compiler-artifact") if crates.contains(&name) => {
                compiled.insert(name);
            }
            Some("compiler-message") if crates.contains(&name) => {
                if let Some(rendered) = message.pointer("/message/rendered").and_then(|r| r.as_str()) {
                    eprint!("{name}: {rendered}");
                }
            }
            _ => {}
        }
    }
    if !output.status.success() && compiled.is_empty() {
        return Err(format!(
            "cargo check failed before any crate compiled:\n{}",
            String::from_utf8_lossy(&output.stderr)
        ));
    }
    Ok(compiled)
}

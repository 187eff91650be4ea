//! `cargo xtask ci`: every check, in the order that fails fastest.

use std::process::Command;

use crate::workspace_root;

pub fn run() -> Result<(), String> {
    let runtime_templates = runtime_templates()?;
    let mut runtime_format: Vec<String> = ["fmt", "--all", "--check", "--"].map(str::to_owned).to_vec();
    runtime_format.extend(runtime_templates);
    let steps: Vec<(&str, Vec<String>)> = vec![
        ("format", args(&["fmt", "--all", "--check"])),
        // The runtime templates are copied into clients, not compiled here: check them by hand.
        ("format of the runtime templates", runtime_format),
        ("drift check", args(&["xtask", "codegen", "--check"])),
        ("clippy", args(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"])),
        (
            "clippy of the client with every optional feature but native TLS",
            args(&[
                "clippy",
                "-p",
                "dropbox-sign",
                "--all-targets",
                "--locked",
                "--features",
                "serialize,deserialize,tracing",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        ("tests", args(&["test", "--workspace", "--locked"])),
        ("public and construct specs", args(&["xtask", "corpus"])),
        ("contract test against Prism", args(&["xtask", "contract"])),
    ];
    for (name, args) in steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let status = Command::new(env!("CARGO"))
            .args(&args)
            .current_dir(workspace_root())
            .status()
            .map_err(|err| format!("cannot run cargo: {err}"))?;
        if !status.success() {
            return Err(format!("{name} failed"));
        }
    }
    eprintln!("==> all checks passed");
    Ok(())
}

fn args(words: &[&str]) -> Vec<String> {
    words.iter().map(|word| (*word).to_owned()).collect()
}

/// Every `.rs` file of `generator/runtime`, sorted, relative to the workspace root.
fn runtime_templates() -> Result<Vec<String>, String> {
    let files = crate::tools::files_in(&workspace_root().join("generator/runtime"), "rs")?;
    Ok(files
        .iter()
        .filter_map(|path| path.file_name())
        .map(|name| format!("generator/runtime/{}", name.to_string_lossy()))
        .collect())
}

//! `cargo xtask ci`: every check, in the order that fails fastest.

use std::process::Command;

use crate::workspace_root;

pub fn run() -> Result<(), String> {
    let steps: Vec<(&str, Vec<String>)> = vec![
        ("format", args(&["fmt", "--all", "--check"])),
        ("drift check", args(&["xtask", "codegen", "--check"])),
        ("clippy", args(&["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"])),
        // The runtime compiles only what a client needs: each feature alone must build cleanly.
        (
            "clippy of the runtime with no optional feature",
            args(&[
                "clippy",
                "-p",
                "openapi-gen-runtime",
                "--all-targets",
                "--locked",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        (
            "clippy of the runtime with every feature",
            args(&[
                "clippy",
                "-p",
                "openapi-gen-runtime",
                "--all-targets",
                "--locked",
                "--all-features",
                "--",
                "-D",
                "warnings",
            ]),
        ),
        (
            "runtime documentation",
            args(&["doc", "-p", "openapi-gen-runtime", "--all-features", "--no-deps", "--locked"]),
        ),
        (
            "runtime package",
            args(&["package", "-p", "openapi-gen-runtime", "--locked", "--allow-dirty", "--no-verify"]),
        ),
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
            // Documentation warnings (broken links, missing docs) fail the build.
            .env("RUSTDOCFLAGS", "-D warnings")
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

//! `cargo xtask ci`: every check, in the order that fails fastest.

use std::process::Command;

use crate::workspace_root;

pub fn run() -> Result<(), String> {
    let steps: &[(&str, &[&str])] = &[
        ("format", &["fmt", "--all", "--check"]),
        // The runtime templates are copied into clients, not compiled here: check them by hand.
        (
            "format of the runtime templates",
            &[
                "fmt",
                "--all",
                "--check",
                "--",
                "generator/runtime/mod.rs",
                "generator/runtime/client.rs",
                "generator/runtime/encode.rs",
                "generator/runtime/error.rs",
                "generator/runtime/nullable.rs",
                "generator/runtime/response.rs",
                "generator/runtime/secret.rs",
                "generator/runtime/upload.rs",
            ],
        ),
        ("drift check", &["xtask", "codegen", "--check"]),
        ("clippy", &["clippy", "--workspace", "--all-targets", "--locked", "--", "-D", "warnings"]),
        ("tests", &["test", "--workspace", "--locked"]),
    ];
    for (name, args) in steps {
        eprintln!("==> {name}: cargo {}", args.join(" "));
        let status = Command::new(env!("CARGO"))
            .args(*args)
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

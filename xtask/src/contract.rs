//! `cargo xtask contract`: the generated client against Stoplight Prism, an independent mock
//! server that validates every request against our spec (see `tests/tests/contract_prism.rs`).
//! Installs the pinned `@stoplight/prism-cli` under `target/contract/npm` when it is not there.

use std::path::PathBuf;
use std::process::Command;

use crate::workspace_root;

/// Pinned, so that a new Prism release cannot change what passes.
const PRISM: &str = "@stoplight/prism-cli@5.16.0";

pub fn run() -> Result<(), String> {
    let prism = install_prism()?;
    eprintln!("==> contract test against {PRISM}");
    let status = Command::new(env!("CARGO"))
        .args(["test", "--locked", "-p", "workspace-tests", "--test", "contract_prism", "--", "--include-ignored"])
        .env("PRISM_BIN", &prism)
        .current_dir(workspace_root())
        .status()
        .map_err(|err| format!("cannot run cargo: {err}"))?;
    if status.success() { Ok(()) } else { Err("the contract test against Prism failed".to_owned()) }
}

/// The `prism` executable, installed first if needed.
pub fn install_prism() -> Result<PathBuf, String> {
    let prefix = workspace_root().join("target").join("contract").join("npm");
    let bin = prefix.join("node_modules").join(".bin").join("prism");
    crate::tools::npm_install(&prefix, PRISM, &bin)?;
    Ok(bin)
}

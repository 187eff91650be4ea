//! Tools the checks need from outside the Rust toolchain, installed when missing.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Installs the npm `package` (pinned, `name@version`) under `prefix` unless `installed` (a file
/// the package brings) is there already.
pub fn npm_install(prefix: &Path, package: &str, installed: &Path) -> Result<(), String> {
    if installed.exists() {
        return Ok(());
    }
    std::fs::create_dir_all(prefix).map_err(|err| err.to_string())?;
    ensure_npm()?;
    eprintln!("==> installing {package}");
    let status = Command::new("npm")
        .args(["install", "--no-audit", "--no-fund", "--no-save", "--loglevel=error", "--prefix"])
        .arg(prefix)
        .arg(package)
        .status()
        .map_err(|err| format!("cannot run npm: {err}"))?;
    if !status.success() || !installed.exists() {
        return Err(format!("npm could not install {package}"));
    }
    Ok(())
}

/// The files with extension `ext` in `dir`, sorted.
pub fn files_in(dir: &Path, ext: &str) -> Result<Vec<PathBuf>, String> {
    let entries = std::fs::read_dir(dir).map_err(|err| format!("cannot list {}: {err}", dir.display()))?;
    let mut files: Vec<PathBuf> =
        entries.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == ext)).collect();
    files.sort();
    Ok(files)
}

/// Makes sure `npm` runs, installing Debian's `npm` package when it does not and we may.
pub fn ensure_npm() -> Result<(), String> {
    if runs("npm") {
        return Ok(());
    }
    eprintln!("==> npm is missing: installing the Debian package");
    let sudo: &[&str] = if is_root() { &[] } else { &["sudo", "-n"] };
    for args in [&["apt-get", "update", "-qq"][..], &["apt-get", "install", "-y", "-qq", "npm"][..]] {
        let command: Vec<&str> = sudo.iter().chain(args).copied().collect();
        let status = Command::new(command[0]).args(&command[1..]).env("DEBIAN_FRONTEND", "noninteractive").status();
        if !status.is_ok_and(|s| s.success()) {
            return Err(format!("`{}` failed; install Node.js and npm, then run again", command.join(" ")));
        }
    }
    if runs("npm") { Ok(()) } else { Err("npm is still not runnable after installing it".to_owned()) }
}

fn runs(program: &str) -> bool {
    Command::new(program).arg("--version").output().is_ok_and(|output| output.status.success())
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|output| output.stdout.trim_ascii() == b"0")
}

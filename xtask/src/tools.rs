//! Tools the checks need from outside the Rust toolchain, installed when missing.

use std::process::Command;

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

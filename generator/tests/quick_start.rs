//! The README's quick start, run as written: every shell line and every file of its section, in
//! order, in a temporary directory outside this repository, through the user's own `cargo test`
//! and `cargo run` (against a loopback server standing in for the API). Only the install line is
//! not run: the `openapi-gen` this test was built with stands in for the installed one.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::mpsc;

const README: &str = include_str!("../../README.md");
const SECTION: &str = "## Quick start";
const INSTALL: &str = "cargo install --path openapi-gen/generator";

/// One step of the quick start.
#[derive(Debug)]
enum Step {
    /// A line of a `sh` block.
    Shell(String),
    /// A file block, which names its path on its first line (`# todo.yaml`, `// src/main.rs`).
    File { path: String, text: String },
}

/// The quick start's steps, in the README's order; the install line is checked to be there and
/// left out.
fn quick_start_steps() -> Vec<Step> {
    let start = README.find(SECTION).expect("the README has a quick start");
    let section = &README[start + SECTION.len()..];
    let section = &section[..section.find("\n## ").unwrap_or(section.len())];
    let mut steps = Vec::new();
    let mut installs = false;
    let mut lines = section.lines();
    while let Some(line) = lines.next() {
        let Some(info) = line.strip_prefix("```") else { continue };
        let block: Vec<&str> = lines.by_ref().take_while(|line| *line != "```").collect();
        if info == "sh" {
            for line in block {
                if line == INSTALL {
                    installs = true;
                } else {
                    steps.push(Step::Shell(line.to_owned()));
                }
            }
            continue;
        }
        let first = block.first().copied().unwrap_or_default();
        let path = first.strip_prefix("# ").or_else(|| first.strip_prefix("// "));
        let path =
            path.unwrap_or_else(|| panic!("a `{info}` block of the quick start does not name its file: {first:?}"));
        steps.push(Step::File { path: path.to_owned(), text: block.join("\n") + "\n" });
    }
    assert!(installs, "the quick start installs the generator with `{INSTALL}`");
    steps
}

/// A POSIX shell script that takes the steps in order, stopping at the first that fails.
fn script(steps: &[Step]) -> String {
    let mut script = String::from("set -eu\n");
    for step in steps {
        match step {
            Step::Shell(line) => script.push_str(&format!("{line}\n")),
            Step::File { path, text } => script.push_str(&format!(
                "mkdir -p \"$(dirname '{path}')\"\ncat > '{path}' <<'QUICK_START_FILE'\n{text}QUICK_START_FILE\n"
            )),
        }
    }
    script
}

/// A loopback server that answers every request with one open todo, and hands the head of each
/// request it got to the receiver.
fn todo_server() -> (String, mpsc::Receiver<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let (heads, received) = mpsc::channel();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut head = Vec::new();
            let mut byte = [0u8; 1];
            while !head.ends_with(b"\r\n\r\n") && stream.read(&mut byte).is_ok_and(|n| n == 1) {
                head.push(byte[0]);
            }
            let _ = heads.send(String::from_utf8_lossy(&head).into_owned());
            let body = r#"[{"id":7,"title":"Buy milk","done":false}]"#;
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(response.as_bytes());
        }
    });
    (url, received)
}

/// `PATH` with `first` before the rest, so the script finds this build's `openapi-gen` and cargo.
fn path_with(first: &[&Path]) -> std::ffi::OsString {
    let rest = std::env::var_os("PATH").unwrap_or_default();
    let dirs: Vec<PathBuf> = first.iter().map(|dir| dir.to_path_buf()).chain(std::env::split_paths(&rest)).collect();
    std::env::join_paths(dirs).unwrap()
}

#[test]
fn the_quick_start_works_as_written() {
    let steps = quick_start_steps();
    let generator = Path::new(env!("CARGO_BIN_EXE_openapi-gen"));
    let cargo = Path::new(env!("CARGO"));
    let workspace = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
    let home = tempfile::tempdir().unwrap();
    let (url, requests) = todo_server();

    let output = Command::new("sh")
        .args(["-c", &script(&steps)])
        .current_dir(home.path())
        .env("PATH", path_with(&[generator.parent().unwrap(), cargo.parent().unwrap()]))
        .env("TODO_API_URL", &url)
        // The dependencies this workspace has already downloaded, built once in a target
        // directory of their own across runs; no debug information, which is most of the disk.
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TARGET_DIR", workspace.join("target").join("quick-start"))
        .env("CARGO_PROFILE_DEV_DEBUG", "false")
        .output()
        .unwrap();

    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "the quick start failed:\n{stdout}\n{stderr}");
    // The user's test passed, and the program listed what the server holds.
    assert!(stdout.contains("test lists_the_titles_of_open_todos ... ok"), "{stdout}");
    assert!(stdout.contains("to do: Buy milk\n"), "{stdout}");
    let head = requests.try_recv().expect("the program called the API");
    assert!(head.starts_with("GET /todos?done=false HTTP/1.1\r\n"), "{head}");
    assert!(head.to_ascii_lowercase().contains("\r\nauthorization: bearer your-token\r\n"), "{head}");
}

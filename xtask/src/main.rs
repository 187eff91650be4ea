//! Project automation: `cargo xtask codegen [--check]` and `cargo xtask ci`.

mod ci;
mod codegen;
mod contract;
mod contract_any;
mod corpus;
mod release_diff;
mod tools;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage:
  cargo xtask codegen           regenerate generated-client/ from spec/openapi.yaml (refused when it was edited by hand)
  cargo xtask codegen --force   regenerate it even over hand edits
  cargo xtask codegen --check   fail if generated-client/ is not what the spec gives: why, the API changes, the diff
  cargo xtask corpus            generate and `cargo check` every public example spec and construct spec, then release-diff
  cargo xtask release-diff      the API report on releases of GitHub's description, against its snapshots
  cargo xtask contract          call every operation of our client against Stoplight Prism (our spec)
  cargo xtask contract --spec F generate a client for F, call each JSON/no-body operation against Prism on F
  cargo xtask ci                every check: fmt, the drift check, clippy -D warnings, every test, the corpus";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let result = match args.as_slice() {
        ["codegen"] => codegen::run(codegen::Mode::Write),
        ["codegen", "--force"] => codegen::run(codegen::Mode::Overwrite),
        ["codegen", "--check"] => codegen::run(codegen::Mode::Check),
        ["corpus"] => corpus::run(),
        ["release-diff"] => release_diff::run(),
        ["contract"] => contract::run(),
        ["contract", "--spec", spec] => contract_any::run(std::path::Path::new(spec)),
        ["ci"] => ci::run(),
        _ => {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
pub fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").to_path_buf()
}

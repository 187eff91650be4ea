//! The `openapi-gen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_gen::{Options, generate, load, write::write_crate};

#[derive(Parser)]
#[command(version, about = "Generates typed async Rust clients from OpenAPI 3.0 and 3.1 descriptions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate into a directory (replaced only when generation succeeds).
    Generate {
        /// The OpenAPI document (YAML or JSON).
        #[arg(long)]
        spec: PathBuf,
        /// The crate directory to write.
        #[arg(long)]
        out: PathBuf,
        /// The package name; defaults to the API title in kebab case.
        #[arg(long)]
        crate_name: Option<String>,
        /// The package version.
        #[arg(long, default_value = "0.1.0")]
        crate_version: String,
        /// Also emit `src/example_tests.rs`: every example in the document decoded into its type
        /// and encoded back, as a test of the generated crate.
        #[arg(long)]
        example_tests: bool,
    },
    /// Check that a document loads and builds, printing warnings, without writing anything.
    Check {
        /// The OpenAPI document.
        spec: PathBuf,
    },
    /// Print the intermediate representation (every type and operation with its Rust name) as JSON.
    Ir {
        /// The OpenAPI document.
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    match run(Cli::parse().command) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run(command: Command) -> Result<(), String> {
    match command {
        Command::Generate { spec, out, crate_name, crate_version, example_tests } => {
            let document = load::load_file(&spec).map_err(|e| e.to_string())?;
            let crate_name = crate_name.unwrap_or_else(|| default_crate_name(&document.api.info.title));
            let options =
                Options { crate_name, crate_version, source_label: spec.display().to_string(), example_tests };
            let generated = openapi_gen::generate_from_document(&document, &options).map_err(|e| e.to_string())?;
            for warning in &generated.warnings {
                eprintln!("{warning}");
            }
            write_crate(&generated, &out).map_err(|e| e.to_string())?;
            eprintln!("wrote {} files to {}", generated.files.len(), out.display());
            // The process ends here: taking apart the document's trees and the files, node by
            // node, would be a tenth of the run, and the operating system frees it all at once.
            std::mem::forget(document);
            std::mem::forget(generated);
            Ok(())
        }
        Command::Check { spec } => {
            let options = Options {
                crate_name: "check".to_owned(),
                crate_version: "0.0.0".to_owned(),
                source_label: spec.display().to_string(),
                example_tests: false,
            };
            let generated = generate(&spec, &options).map_err(|e| e.to_string())?;
            for warning in &generated.warnings {
                eprintln!("{warning}");
            }
            eprintln!("ok: {} warnings", generated.warnings.len());
            Ok(())
        }
        Command::Ir { spec } => {
            let document = load::load_file(&spec).map_err(|e| e.to_string())?;
            let (api, warnings) =
                openapi_gen::ir::build(&document).map_err(|e| e.in_file(&document.source_name).to_string())?;
            for warning in &warnings {
                eprintln!("{warning}");
            }
            let json = serde_json::to_string_pretty(&api).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(())
        }
    }
}

fn default_crate_name(title: &str) -> String {
    use heck::ToKebabCase;
    let name: String = title.chars().filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || *c == '-').collect();
    let name = name.to_kebab_case();
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("api-{name}").trim_end_matches('-').to_owned()
    } else {
        name
    }
}

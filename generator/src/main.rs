//! The `openapi-gen` command line.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use openapi_gen::emit::Runtime;
use openapi_gen::ir::formats::{DateTimeCrate, FormatOptions, Offsets};
use openapi_gen::output::Verbosity;
use openapi_gen::settings::Settings;
use openapi_gen::write::{Foreign, write_checked_crate};
use openapi_gen::{Options, SplitCrates, generate, load};

/// The allocator of the command. The generator allocates many small, short-lived values (JSON
/// nodes, names, tokens), and glibc's malloc and free were a third of the samples of a run on
/// GitHub's description (`perf record`); with mimalloc, `generate` takes a quarter less CPU time
/// there (figures in docs/big-apis.md). The library leaves the choice to its user.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// mimalloc's `mi_option_purge_delay`, by its number in mimalloc 3.3's `mi_option_e` (the sys
/// crate names only the options of its 2.x API; both crates are pinned, and a test checks the
/// version).
const MI_OPTION_PURGE_DELAY: libmimalloc_sys::mi_option_t = 15;

/// Tunes mimalloc so that a description costs little more memory than with glibc's malloc:
/// freed memory goes back to the system after 100 ms rather than a second (and, from the
/// `no_thp` feature, no transparent huge pages, which made a page touched cost 2 MiB). With
/// mimalloc's defaults the official Dropbox Sign description peaked at 53 MB instead of 19 MB.
/// 100 ms, not less: at 10 ms memory went back and was faulted in again all through a run (a
/// fifth of GitHub's samples in the kernel, `madvise` and page faults); measured in
/// docs/big-apis.md ("The command's allocator").
fn tune_allocator() {
    // SAFETY: `mi_option_set` only stores a value in mimalloc's option table, which it reads
    // when it next purges memory.
    unsafe { libmimalloc_sys::mi_option_set(MI_OPTION_PURGE_DELAY, PURGE_DELAY_MS) }
}

/// How long freed memory stays with mimalloc before it goes back to the system (see
/// [`tune_allocator`]).
const PURGE_DELAY_MS: std::ffi::c_long = 100;

#[derive(Parser)]
#[command(version, about = "Generates typed async Rust clients from OpenAPI 3.0, 3.1 and 3.2 descriptions")]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Print errors only: no warnings, notes or progress.
    #[arg(short, long, global = true)]
    quiet: bool,
    /// Print every note, also those a normal run sums up in one line (each merge of identical
    /// schemas).
    #[arg(short, long, global = true, conflicts_with = "quiet")]
    verbose: bool,
}

/// Prints what a run said about the description, as much as `verbosity` asks for.
fn print_diagnostics(generated: &openapi_gen::GeneratedCrate, verbosity: Verbosity) {
    let said = openapi_gen::output::said(&generated.warnings, &generated.notes, &generated.details, verbosity);
    for line in said {
        eprintln!("{line}");
    }
    if generated.acknowledged > 0 && verbosity != Verbosity::Quiet {
        eprintln!("({} warnings acknowledged in the settings are not shown)", generated.acknowledged);
    }
}

#[derive(Subcommand)]
enum Command {
    /// Generate a client crate into a directory (replaced only when generation succeeds).
    Generate(GenerateArgs),
    /// Check that a document loads and builds, printing warnings, without writing anything.
    Check {
        /// The OpenAPI document.
        spec: PathBuf,
    },
    /// Print the intermediate representation (every type and operation with its Rust name) as JSON.
    ///
    /// A reference to a named type (`{"Named": 12}`) is the type's index in `types`.
    Ir {
        /// The OpenAPI document.
        spec: PathBuf,
    },
    /// What changed from one description to another, and what it breaks: for callers on the
    /// wire and for code that uses the generated crate. Exits 0 when nothing changed, 2 when
    /// nothing breaks, 3 when something does.
    Diff(DiffArgs),
}

/// What `diff` is told.
#[derive(clap::Args)]
struct DiffArgs {
    /// The old description, or a generated crate's `openapi-summary.json`.
    old: PathBuf,
    /// The new description, or a generated crate's `openapi-summary.json`.
    new: PathBuf,
    /// Settings to build both with (renames and selections change the Rust names compared).
    #[arg(long)]
    config: Option<PathBuf>,
    /// `text`, `markdown` (for a pull-request comment) or `json`.
    #[arg(long, default_value = "text")]
    format: String,
    /// List at most this many changes (text and Markdown; the counts are of all of them).
    #[arg(long, default_value_t = usize::MAX)]
    limit: usize,
}

/// What `generate` is told.
#[derive(clap::Args)]
struct GenerateArgs {
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
    #[arg(long, default_value = DEFAULT_VERSION)]
    crate_version: String,
    /// Also emit `src/example_tests.rs`: every example in the document decoded into its type
    /// and encoded back, as a test of the generated crate.
    #[arg(long)]
    example_tests: bool,
    /// A Cargo feature per tag (all on by default), so that users of a big API compile only
    /// the operations they call and the types those need.
    #[arg(long)]
    features_per_tag: bool,
    /// Keep a type for every inline schema, even those identical to another (by default they
    /// share one type, with a note for each merge).
    #[arg(long)]
    keep_identical_types: bool,
    /// The model types in crates of their own (`crates/`), which cargo builds in parallel, each
    /// a smaller compilation: `auto` for a big API (GitHub's), `always`, or `never`.
    #[arg(long, default_value = "auto", value_name = "auto|always|never")]
    split_crates: String,
    /// Replace the directory even when it holds files openapi-gen did not write
    /// (version-control directories, `target/` and `Cargo.lock` are still kept).
    #[arg(long)]
    force: bool,
    /// Where the crate's runtime comes from: `vendored` (a copy in `runtime/`, depending on
    /// nothing of ours), `crate` (the `openapi-gen-runtime` crate from crates.io), or the path
    /// of a checkout of that crate (`runtime` in openapi-gen's repository).
    #[arg(long, default_value = "vendored", value_name = "vendored|crate|PATH")]
    runtime: String,
    /// Where date-time formats (`date-time`, `date`, `time`) come from: `chrono`,
    /// `jiff`, `time` (as the runtime's `Rfc3339<time::OffsetDateTime>`), or `string` for plain
    /// strings.
    #[arg(long, default_value = "chrono", value_name = "chrono|jiff|time|string")]
    date_time: String,
    /// What a received date-time's offset becomes: `utc` (the instant, sent back in UTC) or
    /// `keep` (as received, sent back as it came: `chrono::DateTime<FixedOffset>`).
    #[arg(long, default_value = "utc", value_name = "utc|keep")]
    offsets: String,
    /// A format to keep as `String` whatever its type would be (`uuid`, `date`, `ipv4`, ...);
    /// may be given more than once.
    #[arg(long, value_name = "FORMAT")]
    string_format: Vec<String>,
    /// A YAML or JSON file that maps `operationId`s to paging declarations, in the form of the
    /// `x-speakeasy-pagination` extension (`{type: offsetLimit | cursor | url | link, inputs,
    /// outputs}`), for listings the description does not declare; they win over its own.
    #[arg(long, value_name = "FILE")]
    pagination: Option<PathBuf>,
    /// A settings file (`openapi-gen.toml`: crate, formats, select, pagination); what it says
    /// wins over the flags.
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,
}

/// The `--pagination` file: a mapping of `operationId` to a paging declaration.
fn pagination_declarations(path: Option<&Path>) -> Result<openapi_gen::ir::pagination::Declarations, String> {
    let Some(path) = path else { return Ok(Default::default()) };
    let value = load::parse_file(path)?;
    let serde_json::Value::Object(map) = value else {
        return Err(format!("{}: a mapping of operationId to a paging declaration was expected", path.display()));
    };
    for (operation, declaration) in &map {
        openapi_gen::ir::pagination::check_declaration(declaration)
            .map_err(|problem| format!("{}: the paging of `{operation}`: {problem}", path.display()))?;
    }
    Ok(map.into_iter().collect())
}

fn main() -> ExitCode {
    tune_allocator();
    let cli = Cli::parse();
    let verbosity = match (cli.quiet, cli.verbose) {
        (true, _) => Verbosity::Quiet,
        (_, true) => Verbosity::Verbose,
        _ => Verbosity::Normal,
    };
    match run(cli.command, verbosity) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::FAILURE
        }
    }
}

/// Runs `command`; its exit code (`diff` has codes of its own, the others succeed with 0).
fn run(command: Command, verbosity: Verbosity) -> Result<u8, String> {
    match command {
        Command::Generate(args) => {
            refuse_url(&args.spec)?;
            let date_time = DateTimeCrate::from_name(&args.date_time).ok_or_else(|| {
                format!("--date-time {:?}: the choices are chrono, jiff, time and string", args.date_time)
            })?;
            let offsets = Offsets::from_name(&args.offsets)
                .ok_or_else(|| format!("--offsets {:?}: the choices are utc and keep", args.offsets))?;
            let formats = FormatOptions { date_time, offsets, as_string: args.string_format.iter().cloned().collect() };
            formats.check().map_err(|problem| format!("--offsets: {problem}"))?;
            let foreign = if args.force { Foreign::Replace } else { Foreign::Refuse };
            // The target directory is checked while the description loads (both only read), and
            // a wrong `--out` is said first, before anything the description or settings do wrong.
            let (checked, loaded) = std::thread::scope(|scope| {
                let checked = scope.spawn(|| openapi_gen::write::check_target(&args.out, foreign));
                let loaded = (|| {
                    let runtime = runtime_option(&args.runtime, &args.out)?;
                    let settings = args.config.as_deref().map(Settings::read).transpose().map_err(|e| e.to_string())?;
                    let patches = settings.as_ref().map_or(&[][..], |settings| &settings.patches[..]);
                    let document = load::load_file_patched(&args.spec, patches).map_err(|e| e.to_string())?;
                    Ok::<_, String>((runtime, settings, document))
                })();
                (checked.join(), loaded)
            });
            let checked = checked
                .map_err(|_| "internal error: checking --out panicked".to_owned())?
                .map_err(|e| e.to_string())?;
            let (runtime, settings, document) = loaded?;
            let regenerate_command = generate_command_line(&args);
            let crate_name = args.crate_name.clone().unwrap_or_else(|| default_crate_name(document.title()));
            let options = Options {
                crate_name,
                crate_version: args.crate_version.clone(),
                source_label: args.spec.display().to_string(),
                example_tests: args.example_tests,
                regenerate_command,
                runtime,
                tag_features: args.features_per_tag,
                keep_identical_types: args.keep_identical_types,
                split_crates: SplitCrates::named(&args.split_crates).ok_or_else(|| {
                    format!("--split-crates {:?}: the choices are {}", args.split_crates, SplitCrates::NAMES.join(", "))
                })?,
                formats,
                pagination: pagination_declarations(args.pagination.as_deref())?,
                ..Options::default()
            };
            let mut options = options;
            if let Some(path) = &args.pagination {
                let origin = format!("`--pagination {}`", path.display());
                options.pagination_origins = options.pagination.keys().map(|id| (id.clone(), origin.clone())).collect();
            }
            let mut options = options;
            if let (Some(settings), Some(path)) = (&settings, &args.config) {
                settings.apply(&mut options, &path.display().to_string());
            }
            let generated = openapi_gen::generate_owned(document, &options).map_err(|e| e.to_string())?;
            print_diagnostics(&generated, verbosity);
            write_checked_crate(&generated, &args.out, checked).map_err(|e| e.to_string())?;
            if verbosity != Verbosity::Quiet {
                eprintln!("wrote {} files to {}", generated.files.len(), args.out.display());
            }
            // The process ends here: taking apart the files one by one would only cost time, and the
            // operating system frees them all at once.
            std::mem::forget(generated);
            Ok(0)
        }
        Command::Check { spec } => {
            refuse_url(&spec)?;
            let options = Options {
                crate_name: "check".to_owned(),
                crate_version: "0.0.0".to_owned(),
                source_label: spec.display().to_string(),
                example_tests: false,
                regenerate_command: String::new(),
                runtime: Runtime::Vendored,
                tag_features: false,
                ..Options::default()
            };
            let generated = generate(&spec, &options).map_err(|e| e.to_string())?;
            print_diagnostics(&generated, verbosity);
            if verbosity != Verbosity::Quiet {
                eprintln!("ok: {} warnings", generated.warnings.len());
            }
            Ok(0)
        }
        Command::Diff(args) => diff(&args),
        Command::Ir { spec } => {
            refuse_url(&spec)?;
            let document = load::load_file(&spec).map_err(|e| e.to_string())?;
            let (api, warnings) =
                openapi_gen::ir::build(&document).map_err(|e| e.in_file(&document.source_name).to_string())?;
            for warning in &warnings {
                eprintln!("{warning}");
            }
            let json = serde_json::to_string_pretty(&api).map_err(|e| e.to_string())?;
            println!("{json}");
            Ok(0)
        }
    }
}

/// `openapi-gen diff`: the report on standard output; the exit code says how bad it is.
fn diff(args: &DiffArgs) -> Result<u8, String> {
    let format = openapi_gen::diff::report::Format::from_name(&args.format)
        .ok_or_else(|| format!("--format {:?}: the choices are text, markdown and json", args.format))?;
    let mut options = Options::default();
    if let Some(path) = &args.config {
        Settings::read(path).map_err(|e| e.to_string())?.apply(&mut options, &path.display().to_string());
    }
    let summarize = |path: &Path| {
        refuse_url(path)?;
        openapi_gen::diff::summarize_file(path, &options).map_err(|e| e.to_string())
    };
    let changes = openapi_gen::diff::compare(&summarize(&args.old)?, &summarize(&args.new)?);
    print!("{}", openapi_gen::diff::report::render(&changes, format, args.limit));
    Ok(openapi_gen::diff::report::exit_code(&changes))
}

/// Descriptions are read from files: this tool makes no network requests, so that generation
/// is reproducible and works offline. Say so, rather than "No such file or directory".
fn refuse_url(spec: &Path) -> Result<(), String> {
    let text = spec.to_string_lossy();
    let scheme = text.split_once("://").map(|(scheme, _)| scheme.to_ascii_lowercase());
    if matches!(scheme.as_deref(), Some("http" | "https" | "ftp" | "file")) {
        return Err(format!(
            "--spec {text}: descriptions are read from files, not URLs; download it first \
             (for example `curl -fLo openapi.yaml '{text}'`) and pass the file, next to the files its \
             relative $refs point to"
        ));
    }
    Ok(())
}

/// The command line that regenerates the crate, as the files' headers name it.
fn generate_command_line(args: &GenerateArgs) -> String {
    let quoted = |text: &str| {
        if text.chars().all(|c| c.is_ascii_alphanumeric() || "-_./:@+=".contains(c)) {
            text.to_owned()
        } else {
            format!("'{}'", text.replace('\'', "'\\''"))
        }
    };
    let mut command = format!(
        "openapi-gen generate --spec {} --out {}",
        quoted(&args.spec.to_string_lossy()),
        quoted(&args.out.to_string_lossy())
    );
    if let Some(name) = &args.crate_name {
        command.push_str(&format!(" --crate-name {}", quoted(name)));
    }
    if args.crate_version != DEFAULT_VERSION {
        command.push_str(&format!(" --crate-version {}", quoted(&args.crate_version)));
    }
    if args.example_tests {
        command.push_str(" --example-tests");
    }
    if args.features_per_tag {
        command.push_str(" --features-per-tag");
    }
    if args.keep_identical_types {
        command.push_str(" --keep-identical-types");
    }
    if args.split_crates != "auto" {
        command.push_str(&format!(" --split-crates {}", quoted(&args.split_crates)));
    }
    if args.runtime != "vendored" {
        command.push_str(&format!(" --runtime {}", quoted(&args.runtime)));
    }
    if args.date_time != "chrono" {
        command.push_str(&format!(" --date-time {}", quoted(&args.date_time)));
    }
    if args.offsets != "utc" {
        command.push_str(&format!(" --offsets {}", quoted(&args.offsets)));
    }
    if let Some(path) = &args.config {
        command.push_str(&format!(" --config {}", quoted(&path.to_string_lossy())));
    }
    if let Some(path) = &args.pagination {
        command.push_str(&format!(" --pagination {}", quoted(&path.to_string_lossy())));
    }
    for format in &args.string_format {
        command.push_str(&format!(" --string-format {}", quoted(format)));
    }
    command
}

const DEFAULT_VERSION: &str = "0.1.0";

/// The runtime `--runtime` names. A path is where the command runs from: it must be a checkout of
/// the runtime crate, and it is written into the generated `Cargo.toml` relative to `out`, where
/// cargo reads it from.
fn runtime_option(value: &str, out: &Path) -> Result<Runtime, String> {
    let Runtime::Crate { path: Some(path) } = Runtime::named(value) else { return Ok(Runtime::named(value)) };
    let given = Path::new(&path);
    let manifest = std::fs::read_to_string(given.join("Cargo.toml")).map_err(|err| {
        format!("--runtime {path}: cannot read {}: {err}; give the path of a checkout of the runtime crate (openapi-gen's `runtime/`), `vendored` or `crate`", given.join("Cargo.toml").display())
    })?;
    if !manifest.contains(&format!("name = \"{}\"", openapi_gen::emit::RUNTIME_CRATE)) {
        return Err(format!(
            "--runtime {path}: {} is not the `{}` crate",
            given.display(),
            openapi_gen::emit::RUNTIME_CRATE
        ));
    }
    let absolute = std::path::absolute(given).map_err(|err| format!("--runtime {path}: {err}"))?;
    let out = std::path::absolute(out).map_err(|err| format!("--out {}: {err}", out.display()))?;
    Ok(Runtime::Crate { path: Some(relative_to(&absolute, &out).display().to_string().replace('\\', "/")) })
}

/// `target` as a path from the directory `from` (both absolute): `../runtime` from
/// `/work/client` to `/work/runtime`; `target` itself when they share no root.
fn relative_to(target: &Path, from: &Path) -> PathBuf {
    let (target_parts, from_parts): (Vec<_>, Vec<_>) = (target.components().collect(), from.components().collect());
    let shared = target_parts.iter().zip(&from_parts).take_while(|(a, b)| a == b).count();
    if shared == 0 {
        return target.to_path_buf();
    }
    let mut relative = PathBuf::new();
    for _ in shared..from_parts.len() {
        relative.push("..");
    }
    for part in &target_parts[shared..] {
        relative.push(part);
    }
    relative
}

/// The API title in kebab case, when that is a valid crate name; `api-...` otherwise.
fn default_crate_name(title: &str) -> String {
    use heck::ToKebabCase;
    let name: String = title.chars().filter(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || *c == '-').collect();
    let name = name.to_kebab_case();
    let name: String = name.chars().take(60).collect();
    let name = name.trim_end_matches('-').to_owned();
    if openapi_gen::emit::check_crate_name(&name).is_ok() {
        name
    } else {
        format!("api-{name}").trim_end_matches('-').to_owned()
    }
}

#[cfg(test)]
mod allocator_tests {
    use super::*;

    /// `MI_OPTION_PURGE_DELAY` is a number of mimalloc 3.3's option enum: another mimalloc
    /// must be checked before it is taken.
    #[test]
    fn the_purge_delay_is_set_on_the_mimalloc_it_was_numbered_for() {
        // SAFETY: reads mimalloc's version and option table.
        let (version, purge_delay) = unsafe {
            tune_allocator();
            (libmimalloc_sys::mi_version(), libmimalloc_sys::mi_option_get(MI_OPTION_PURGE_DELAY))
        };
        // `MI_MALLOC_VERSION`: major, then two digits of minor and two of patch (30302).
        assert_eq!(version / 10_000, 3, "mimalloc {version}: check the option numbers in its mimalloc.h");
        assert_eq!(purge_delay, PURGE_DELAY_MS);
    }
}

//! What a run of the generator is asked for: the crate's name and package fields, where its
//! runtime comes from, and what the IR is built with (formats, selection, paging, patches,
//! customizations). Below `emit`, which reads the crate's part, and above `load` and `ir`, whose
//! inputs it carries.

use crate::diagnostics::Error;
use crate::ir::customize::Customizations;
use crate::ir::formats::FormatOptions;
use crate::ir::pagination::Declarations;
use crate::ir::select::Selection;
use crate::load::patch::Patch;

/// How to name and describe the generated crate.
#[derive(Debug, Clone)]
pub struct Options {
    /// The package name (`dropbox-sign`); the library is its snake-case form.
    pub crate_name: String,
    /// The package version.
    pub crate_version: String,
    /// How the header of each file names the document it came from.
    pub source_label: String,
    /// Emits `example_tests.rs`: every example of the document as a round-trip test.
    pub example_tests: bool,
    /// The command that regenerates the crate where it was generated, named in every file's
    /// header (`cargo xtask codegen`, or the `openapi-gen generate ...` command line).
    pub regenerate_command: String,
    /// Where the generated crate's runtime comes from.
    pub runtime: Runtime,
    /// What the client is emitted as: a crate's files, or one module for a build script.
    pub target: Target,
    /// A Cargo feature per tag, so that users of a big API compile only the operations they call
    /// and the types those need (see [`crate::ir::features`]). All are on by default.
    pub tag_features: bool,
    /// A type for every inline schema, rather than one for those that are identical (see
    /// [`crate::ir::merge`]).
    pub keep_identical_types: bool,
    /// Whether the model types go in crates of their own beside the client's, which cargo
    /// builds in parallel (for big APIs).
    pub split_crates: SplitCrates,
    /// How formats map to types (the date-time crate, formats kept as strings).
    pub formats: FormatOptions,
    /// Paging declarations by `operationId` (`x-speakeasy-pagination` objects).
    pub pagination: Declarations,
    /// Where each paging declaration was given (`--pagination paging.yaml`, the settings'
    /// `[pagination.listPets]` in `openapi-gen.toml`), by `operationId`, for messages and notes.
    pub pagination_origins: std::collections::BTreeMap<String, String>,
    /// The settings file the options came from (as the user named it), whose name labels the
    /// errors in what it says.
    pub settings_file: Option<String>,
    /// The operations to generate; the schemas nothing kept reaches are pruned.
    pub select: Selection,
    /// Patches applied to the description before it is loaded (by [`crate::generate`]).
    pub patches: Vec<Patch>,
    /// The package's `description` and `license`, instead of the generator's.
    pub package: PackageFields,
    /// Replacements, derives, attributes and renames (applied to the IR).
    pub customize: Customizations,
    /// More `[dependencies]` of the generated crate, by name, each its TOML value (for the
    /// types that replace schemas and the traits derived).
    pub dependencies: Vec<(String, String)>,
    /// More `[features]` of the generated crate, by name.
    pub features: Vec<(String, Vec<String>)>,
    /// Warnings the user has seen and accepts, by the JSON pointer of their place (or of a
    /// place that holds it, `#/tags`): not printed, only counted.
    pub acknowledged_warnings: Vec<String>,
    /// The fingerprint of the settings file the options came from, for the API summary.
    pub settings_fingerprint: Option<String>,
}

impl Default for Options {
    /// A crate named `api`, version 0.1.0, with a vendored runtime and every other choice the
    /// generator's own: what callers change with `..Options::default()`.
    fn default() -> Self {
        Options {
            crate_name: "api".to_owned(),
            crate_version: "0.1.0".to_owned(),
            source_label: String::new(),
            example_tests: false,
            regenerate_command: String::new(),
            runtime: Runtime::Vendored,
            target: Target::Crate,
            tag_features: false,
            keep_identical_types: false,
            split_crates: SplitCrates::Auto,
            formats: Default::default(),
            pagination: Default::default(),
            pagination_origins: Default::default(),
            settings_file: None,
            select: Default::default(),
            patches: Vec::new(),
            package: Default::default(),
            customize: Default::default(),
            dependencies: Vec::new(),
            features: Vec::new(),
            acknowledged_warnings: Vec::new(),
            settings_fingerprint: None,
        }
    }
}

/// Whether a client's model types go in crates of their own (`crates/{name}-models*`), which
/// cargo builds in parallel, beside the client's crate, which re-exports them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SplitCrates {
    /// When the API is big enough for the parallel builds to outweigh the cost of more crates
    /// (GitHub's description, not Dropbox Sign's), and enough of its types are reached by one
    /// tag only to make crates that build in parallel.
    #[default]
    Auto,
    /// Whatever the API's size.
    Always,
    /// One crate, whatever the API's size.
    Never,
}

impl SplitCrates {
    /// The choices, as the command line and the settings name them.
    pub const NAMES: &[&str] = &["auto", "always", "never"];

    /// The choice named `name` (`auto`, `always`, `never`).
    pub fn named(name: &str) -> Option<Self> {
        match name {
            "auto" => Some(SplitCrates::Auto),
            "always" => Some(SplitCrates::Always),
            "never" => Some(SplitCrates::Never),
            _ => None,
        }
    }

    /// The choice's name.
    pub fn name(self) -> &'static str {
        match self {
            SplitCrates::Auto => "auto",
            SplitCrates::Always => "always",
            SplitCrates::Never => "never",
        }
    }
}

/// What the client is emitted as.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Target {
    /// The files of a crate (`Cargo.toml`, `src/lib.rs`, `src/models.rs`, ...).
    #[default]
    Crate,
    /// One module, `pub mod {name} { ... }`, for a build script to write into `OUT_DIR` and the
    /// user's crate to `include!`: the crate's files as inline modules, its paths from the
    /// module, its own Cargo features decided.
    Module(ModuleTarget),
}

/// How a client is emitted as one module ([`Target::Module`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ModuleTarget {
    /// The module's name.
    pub name: String,
    /// The generated crate's features, as the module has them.
    pub features: ModuleFeatures,
    /// The comment the module's file starts with.
    pub header: String,
}

/// The generated crate's features, as a module has them: the user's crate does not have them,
/// so they are decided when the module is emitted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ModuleFeatures {
    /// `ClientBuilder::middleware_client` (the runtime's `middleware` feature must be on).
    pub middleware: bool,
    /// `Serialize` on every model, also those the API only receives.
    pub serialize: bool,
    /// `Deserialize` on every model, also those the API only sends.
    pub deserialize: bool,
}

/// `Cargo.toml` fields a user may set for the generated crate.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PackageFields {
    /// `description`; by default "Typed async client for {title} {version}, ...".
    pub description: Option<String>,
    /// `license`; by default `MIT OR Apache-2.0`.
    pub license: Option<String>,
}

impl Options {
    /// Checks what goes into `Cargo.toml` as cargo will, so that a bad name or version is
    /// refused here rather than by cargo later, in a file the user never wrote.
    pub fn validate(&self) -> Result<(), Error> {
        check_crate_name(&self.crate_name).map_err(|problem| {
            Error::general(format!(
                "invalid crate name {:?}: {problem}; a crate name is ASCII letters, digits, `-` and `_`, \
                 starting with a letter, at most 64 characters",
                self.crate_name
            ))
        })?;
        semver::Version::parse(&self.crate_version).map_err(|err| {
            Error::general(format!(
                "invalid crate version {:?}: {err}; a version is semantic, such as 0.1.0 or 1.2.3-beta.1",
                self.crate_version
            ))
        })?;
        if matches!(self.target, Target::Module(_)) && (self.runtime == Runtime::Vendored || self.tag_features) {
            return Err(Error::general(
                "a client emitted as a module uses the runtime crate, and has no Cargo features of its own",
            ));
        }
        if matches!(self.target, Target::Module(_)) && self.split_crates == SplitCrates::Always {
            return Err(Error::general(
                "a client emitted as a module is one module: its models cannot be crates of their own",
            ));
        }
        if let Some((name, _)) = self.features.iter().find(|(name, _)| OWN_FEATURES.contains(&name.as_str())) {
            return Err(Error::general(format!(
                "settings: features.{name}: the generated crate has that feature itself"
            )));
        }
        if let Some((name, _)) = self.dependencies.iter().find(|(name, _)| OWN_DEPENDENCIES.contains(&name.as_str())) {
            return Err(Error::general(format!(
                "settings: dependencies.{name}: the generated crate depends on it itself"
            )));
        }
        Ok(())
    }
}

/// Cargo's rules for a package name, with crates.io's (ASCII, at most 64 characters); the
/// library is the snake-case form, which must not be a keyword or the name of a built-in crate.
pub fn check_crate_name(name: &str) -> Result<(), String> {
    let Some(first) = name.chars().next() else { return Err("it is empty".to_owned()) };
    if !first.is_ascii_alphabetic() {
        return Err(format!("it starts with {first:?}"));
    }
    if let Some(bad) = name.chars().find(|c| !c.is_ascii_alphanumeric() && *c != '-' && *c != '_') {
        return Err(format!("{bad:?} is not allowed"));
    }
    if name.len() > 64 {
        return Err(format!("it is {} characters long", name.len()));
    }
    let library = name.replace('-', "_");
    if crate::ir::naming::is_keyword(&library)
        || ["std", "core", "alloc", "proc_macro", "test"].contains(&library.as_str())
    {
        return Err(format!("the library would be `{library}`, which Rust reserves"));
    }
    Ok(())
}

/// Where the generated crate's runtime comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Runtime {
    /// The `openapi-gen-runtime` crate of the version this generator writes (`emit::RUNTIME_VERSION`): from crates.io when `path` is
    /// `None`, else from the crate at `path` (relative to the generated crate, or absolute).
    Crate {
        /// A checkout of the runtime crate.
        path: Option<String>,
    },
    /// A copy of the runtime crate in `runtime/`, so that the generated crate has no dependency
    /// on openapi-gen's crates.
    Vendored,
}

impl Runtime {
    /// The runtime a setting or flag names: `vendored`, `crate`, or the path of a checkout of
    /// the runtime crate.
    pub fn named(value: &str) -> Runtime {
        match value {
            "vendored" => Runtime::Vendored,
            "crate" => Runtime::Crate { path: None },
            path => Runtime::Crate { path: Some(path.to_owned()) },
        }
    }
}

/// Features and dependencies the generated `Cargo.toml` has of its own.
pub(crate) const OWN_FEATURES: &[&str] =
    &["default", "rustls", "native-tls", "middleware", "tracing", "serialize", "deserialize"];
pub(crate) const OWN_DEPENDENCIES: &[&str] = &["openapi-gen-runtime", "serde", "serde_json"];

impl Options {
    /// What the IR is built with.
    pub(crate) fn build_options(&self) -> crate::ir::BuildOptions {
        crate::ir::BuildOptions {
            examples: self.example_tests,
            formats: self.formats.clone(),
            pagination: self.pagination.clone(),
            pagination_origins: self.pagination_origins.clone(),
            select: self.select.clone(),
            customize: self.customize.clone(),
            keep_identical_types: self.keep_identical_types,
        }
    }
}

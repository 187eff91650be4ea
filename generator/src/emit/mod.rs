//! Stage 3: the IR to the files of a crate, as tokens (`quote`) formatted by `prettyplease`.
//! Every file is a pure function of the IR and the options, so output is byte-for-byte stable.

mod client;
mod docs;
mod examples;
mod gates;
mod models;
pub mod module;
mod oauth;
mod operations;
mod pages;
mod runtime;
mod types;
mod webhooks;

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use crate::diagnostics::{Error, Warning};
use crate::ir::Api;
pub use runtime::{RUNTIME_CRATE, RUNTIME_VERSION, Runtime};

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
    /// A Cargo feature per tag, so that users of a big API compile only the operations they call
    /// and the types those need (see [`crate::ir::features`]). All are on by default.
    pub tag_features: bool,
    /// How formats map to types (the date-time crate, formats kept as strings).
    pub formats: crate::ir::formats::FormatOptions,
    /// Paging declarations by `operationId` (`x-speakeasy-pagination` objects).
    pub pagination: crate::ir::pagination::Declarations,
    /// The operations to generate; the schemas nothing kept reaches are pruned.
    pub select: crate::ir::select::Selection,
    /// Patches applied to the description before it is loaded (by [`crate::generate`]).
    pub patches: Vec<crate::load::patch::Patch>,
    /// The package's `description` and `license`, instead of the generator's.
    pub package: PackageFields,
    /// Replacements, derives, attributes and renames (applied to the IR).
    pub customize: crate::ir::customize::Customizations,
    /// More `[dependencies]` of the generated crate, by name, each its TOML value (for the
    /// types that replace schemas and the traits derived).
    pub dependencies: Vec<(String, String)>,
    /// More `[features]` of the generated crate, by name.
    pub features: Vec<(String, Vec<String>)>,
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
            tag_features: false,
            formats: Default::default(),
            pagination: Default::default(),
            select: Default::default(),
            patches: Vec::new(),
            package: Default::default(),
            customize: Default::default(),
            dependencies: Vec::new(),
            features: Vec::new(),
            settings_fingerprint: None,
        }
    }
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

/// The files of a generated crate, by path relative to the crate root, in memory.
#[derive(Debug, Clone, Default)]
pub struct GeneratedCrate {
    /// Path → contents.
    pub files: BTreeMap<String, String>,
    /// What was approximated.
    pub warnings: Vec<Warning>,
    /// What was recognized that the description does not say in so many words (listings that
    /// come in pages), for the generator to print.
    pub notes: Vec<String>,
    /// The API in brief, also in the files as `openapi-summary.json`: what the drift check and
    /// `openapi-gen diff` compare.
    pub summary: Option<crate::diff::Summary>,
}

impl GeneratedCrate {
    /// Records `summary`, with the fingerprint of the other files, as `openapi-summary.json`.
    pub fn add_summary(&mut self, mut summary: crate::diff::Summary) {
        summary.output = crate::diff::summary::output_fingerprint(&self.files);
        self.files.insert(crate::diff::SUMMARY_FILE.to_owned(), summary.to_file_text());
        self.summary = Some(summary);
    }
}

/// Emits every file of the client crate for `api`.
pub fn emit(api: &Api, options: &Options) -> Result<GeneratedCrate, Error> {
    let header = format!(
        "// @generated by openapi-gen from {}. Do not edit: change the spec or the generator and run `{}`.\n\n",
        options.source_label, options.regenerate_command
    );
    let gates = options.tag_features.then(|| crate::ir::features::gates(api));
    let gates = gates.as_ref();
    let mut files = BTreeMap::new();
    files.insert("Cargo.toml".to_owned(), cargo_toml(api, options, gates));
    // The files are laid out by prettyplease; rustfmt would lay them out differently and make
    // every `cargo fmt` a drift from what the generator writes.
    files.insert("rustfmt.toml".to_owned(), "# @generated by openapi-gen\ndisable_all_formatting = true\n".to_owned());
    let example_tests = options.example_tests && !api.examples.is_empty();
    // Each file is made by a function of the IR, so that files can be made and formatted on
    // threads of their own (tokens cannot cross threads).
    type FileMaker<'a> = Box<dyn Fn() -> TokenStream + Send + Sync + 'a>;
    // The biggest first, so that the threads that take them in turn finish together.
    let mut rust_files: Vec<(&str, FileMaker<'_>)> = Vec::new();
    for part in 0..models::model_parts(api) {
        rust_files.push(("src/models.rs", Box::new(move || models::models_part(api, part, gates))));
    }
    for part in 0..operations::operation_parts(api) {
        rust_files.push(("src/operations.rs", Box::new(move || operations::operations_part(api, part, gates))));
    }
    rust_files.push(("src/client.rs", Box::new(|| client::client_file(api, gates))));
    rust_files.push(("src/lib.rs", Box::new(move || lib_file(api, example_tests, gates))));
    if api.oauth.is_some() {
        rust_files.push(("src/oauth.rs", Box::new(|| oauth::oauth_file(api, api.oauth.as_ref().expect("checked")))));
    }
    if !api.webhooks.is_empty() {
        rust_files.push(("src/webhooks.rs", Box::new(|| webhooks::webhooks_file(api))));
    }
    if example_tests {
        rust_files.push(("src/example_tests.rs", Box::new(|| examples::example_tests_file(api, gates))));
    }
    // Formatting is most of the emit time, and the files (and parts of `models.rs`) are
    // independent: as many threads as the machine has cores take them in turn. Parts of one file
    // are joined in order, whichever thread made them.
    let workers = std::thread::available_parallelism().map_or(1, usize::from).min(rust_files.len()).max(1);
    let next = std::sync::atomic::AtomicUsize::new(0);
    let take_in_turn = || {
        let mut made = Vec::new();
        loop {
            let index = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some((path, make)) = rust_files.get(index) else { break made };
            made.push((index, format_file(path, make())));
        }
    };
    // The calling thread is one of the workers: its allocator arena holds what the dropped
    // document freed, which the other threads' arenas could not reuse.
    let mut done: Vec<(usize, Result<String, Error>)> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = (1..workers).map(|_| scope.spawn(take_in_turn)).collect();
            let mut done = take_in_turn();
            for handle in handles {
                done.extend(handle.join().unwrap_or_else(|_| {
                    vec![(usize::MAX, Err(Error::general("internal error: formatting panicked")))]
                }));
            }
            done
        });
    done.sort_by_key(|(index, _)| *index);
    let formatted = done.into_iter().map(|(index, text)| (rust_files.get(index).map_or("?", |(path, _)| *path), text));
    for (path, text) in formatted {
        files.entry(path.to_owned()).or_insert_with(|| header.clone()).push_str(&text?);
    }
    if options.runtime == Runtime::Vendored {
        files.extend(runtime::vendored_files(&header, &options.crate_name));
    }
    let notes = api
        .operations
        .iter()
        .filter_map(|op| op.pagination.as_ref().map(|pagination| pagination.describe(op)))
        .collect();
    Ok(GeneratedCrate { files, warnings: Vec::new(), notes, summary: None })
}

fn format_file(path: &str, tokens: TokenStream) -> Result<String, Error> {
    let file = syn::parse2::<syn::File>(tokens)
        .map_err(|err| Error::general(format!("internal error: emitted {path} is not valid Rust: {err}")))?;
    let text = prettyplease::unparse(&file);
    Ok(if path == "src/models.rs" || path == "src/operations.rs" {
        models::lay_out_runtime_macros(&text)
    } else {
        text
    })
}

fn cargo_toml(api: &Api, options: &Options, gates: Option<&crate::ir::features::FeatureGates>) -> String {
    let (tag_features, mut default) = gates.map(gates::cargo_features).unwrap_or_default();
    let formats: String = crate::ir::formats::dependencies(api.type_refs())
        .into_iter()
        .map(|dependency| dependency.cargo_line())
        .collect();
    default.insert(0, "rustls".to_owned());
    // One name per line once there are tag features: GitHub's description has 49 tags.
    let default = if default.len() > 1 {
        let lines: String = default.iter().map(|name| format!("\n    {name:?},")).collect();
        format!("{lines}\n")
    } else {
        default.iter().map(|name| format!("{name:?}")).collect::<Vec<_>>().join(", ")
    };
    let toml_text = |text: &str| text.replace('\\', "\\\\").replace('"', "\\\"");
    let description = toml_text(&options.package.description.clone().unwrap_or_else(|| {
        format!("Typed async client for {} {}, generated from its OpenAPI description", api.title, api.version)
    }));
    let license = toml_text(options.package.license.as_deref().unwrap_or("MIT OR Apache-2.0"));
    format!(
        r#"# @generated by openapi-gen from {source}. Do not edit: run `{command}`.
[package]
name = "{name}"
version = "{version}"
edition = "2024"
rust-version = "1.85"
description = "{description}"
license = "{license}"
publish = false

[features]
default = [{default}]
# TLS through rustls (aws-lc-rs, the platform's certificate verifier): no OpenSSL; a C compiler.
rustls = ["{runtime}/rustls"]
# TLS through the platform's library (OpenSSL, SChannel, Security.framework) instead.
native-tls = ["{runtime}/native-tls"]
# `ClientBuilder::middleware_client`: requests through a `reqwest-middleware` chain.
middleware = ["{runtime}/middleware"]
# A `tracing` span per request (operation, method, path template, status, attempts, duration;
# never a header, a body or a parameter value) and an event per retry.
tracing = ["{runtime}/tracing"]
# By default a model implements only the serde trait the API needs: `Serialize` for what is sent,
# `Deserialize` for what is received, which halves the serde code to build. These add the other
# direction to every model (to store responses, or to decode requests in a test server).
serialize = []
deserialize = []
{tag_features}{user_features}
[dependencies]
# The transport, encoding, errors and secrets every generated client shares.
{dependency}serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
{formats}{user_dependencies}"#,
        source = options.source_label,
        command = options.regenerate_command,
        name = options.crate_name,
        version = options.crate_version,
        runtime = RUNTIME_CRATE,
        dependency = runtime::dependency(api, &options.runtime, &options.crate_name),
        user_features = settings_features(&options.features),
        user_dependencies = settings_dependencies(&options.dependencies),
    )
}

/// The `[features]` lines the settings add.
fn settings_features(features: &[(String, Vec<String>)]) -> String {
    if features.is_empty() {
        return String::new();
    }
    let lines: String = features
        .iter()
        .map(|(name, enables)| {
            let enables: Vec<String> = enables.iter().map(|item| format!("{item:?}")).collect();
            format!("{name} = [{}]\n", enables.join(", "))
        })
        .collect();
    format!("# From the settings.\n{lines}")
}

/// The `[dependencies]` lines the settings add.
fn settings_dependencies(dependencies: &[(String, String)]) -> String {
    if dependencies.is_empty() {
        return String::new();
    }
    let lines: String = dependencies.iter().map(|(name, value)| format!("{name} = {value}\n")).collect();
    format!("# From the settings.\n{lines}")
}

/// Features and dependencies the generated `Cargo.toml` has of its own.
const OWN_FEATURES: &[&str] = &["default", "rustls", "native-tls", "middleware", "tracing", "serialize", "deserialize"];
const OWN_DEPENDENCIES: &[&str] = &[RUNTIME_CRATE, "serde", "serde_json"];

fn lib_file(api: &Api, example_tests: bool, gates: Option<&crate::ir::features::FeatureGates>) -> TokenStream {
    let title = format!(" {} {}", api.title, api.version);
    let intro = docs::paragraphs([
        api.description.as_deref(),
        Some(
            "Build a [`Client`] with [`Client::builder`], set credentials on the builder, and call one \
             method per operation. Every method returns a [`ResponseFuture`] of the decoded body in an \
             [`ApiResponse`] (status and headers included) or an [`Error`] that tells transport failures, undecodable bodies \
             and documented API errors apart.",
        ),
    ]);
    let intro_lines: Vec<String> =
        intro.unwrap_or_default().lines().map(|l| if l.is_empty() { String::new() } else { format!(" {l}") }).collect();
    let oauth_mod = api.oauth.is_some().then(|| {
        quote!(
            pub mod oauth;
        )
    });
    let webhooks_mod = (!api.webhooks.is_empty()).then(|| {
        let cfg = gates::cfg_attr(gates, gates.map_or(&crate::ir::features::Gate::Always, |g| &g.webhooks));
        quote!(
            #cfg
            pub mod webhooks;
        )
    });
    let byte_stream = api.operations.iter().any(|op| matches!(op.success, crate::ir::ResponseBody::Bytes)).then(|| {
        quote!(
            pub use runtime::ByteStream;
        )
    });
    let pages = api.operations.iter().any(|op| op.pagination.is_some()).then(|| {
        quote!(
            pub use runtime::{Items, Pages};
        )
    });
    // The `Stream` trait of downloads and page streams.
    let streams = (byte_stream.is_some() || pages.is_some()).then(|| {
        quote!(
            pub use runtime::futures_core;
        )
    });
    let base64 = api.type_refs().any(|ty| uses_extern(ty, crate::ir::formats::BASE64)).then(|| {
        quote!(
            pub use runtime::Base64;
        )
    });
    // The crates of format types, so that users name them without matching our versions.
    let format_crates = crate::ir::formats::dependencies(api.type_refs()).into_iter().map(|dependency| {
        let name = types::ident(dependency.crate_name());
        if dependency.through_runtime() { quote!(pub use runtime::{#name, Rfc3339};) } else { quote!(pub use #name;) }
    });
    let example_tests_mod = example_tests.then(|| {
        quote!(
            #[cfg(test)]
            mod example_tests;
        )
    });
    quote! {
        #![doc = #title]
        #![doc = ""]
        #( #![doc = #intro_lines] )*
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]

        mod client;
        pub mod models;
        #oauth_mod
        pub mod operations;
        #webhooks_mod
        #example_tests_mod

        use openapi_gen_runtime as runtime;

        pub use client::{Client, ClientBuilder, headers, servers};
        pub use runtime::{
            ApiResponse, BuildError, Error, RedirectPolicy, RedirectRefusal, ResponseFuture, RetryPolicy, SecretString,
            Upload, reqwest,
        };
        pub use runtime::{TokenError, TokenFuture, TokenProvider};
        /// The middleware crate `ClientBuilder::middleware_client` takes, of the version the
        /// runtime uses.
        #[cfg(feature = "middleware")]
        pub use runtime::reqwest_middleware;
        pub use runtime::{CallInfo, Hook, HookError, HookFuture, ResponseHead, TransportError, TransportErrorKind};
        #byte_stream
        #pages
        #streams
        #base64
        #( #format_crates )*
    }
}

/// Whether `ty` is, or holds, the extern type `rust`.
fn uses_extern(ty: &crate::ir::TypeRef, rust: &str) -> bool {
    matches!(ty.innermost(), crate::ir::TypeRef::Extern(ext) if ext.rust == rust)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A description with `count` operations, each returning a schema of its own.
    fn many_operations(count: usize) -> String {
        let mut text = String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n");
        for i in 0..count {
            text.push_str(&format!(
                "  /items{i}:\n    get:\n      operationId: getItem{i}\n      parameters:\n        - {{name: page, in: query, schema: {{type: integer}}}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Item{i}'}}\n"
            ));
        }
        text.push_str("components:\n  schemas:\n");
        for i in 0..count {
            text.push_str(&format!("    Item{i}: {{type: object, properties: {{id: {{type: string}}}}}}\n"));
        }
        text
    }

    fn options() -> Options {
        Options {
            crate_name: "many".to_owned(),
            crate_version: "0.0.0".to_owned(),
            source_label: "many".to_owned(),
            example_tests: false,
            regenerate_command: "cargo test".to_owned(),
            runtime: Runtime::Crate { path: None },
            tag_features: false,
            ..Options::default()
        }
    }

    #[test]
    fn files_formatted_in_parts_are_the_files_formatted_whole() {
        let document = crate::load::load_str(&many_operations(600), "many").unwrap();
        let (api, _) = crate::ir::build(&document).unwrap();
        assert!(models::model_parts(&api) > 1 && operations::operation_parts(&api) > 1);
        let generated = emit(&api, &options()).unwrap();
        let whole = |parts: Vec<TokenStream>| {
            let mut tokens = TokenStream::new();
            tokens.extend(parts);
            tokens
        };
        let models = whole((0..models::model_parts(&api)).map(|part| models::models_part(&api, part, None)).collect());
        let models_whole = format_file("src/models.rs", models).unwrap();
        assert!(generated.files["src/models.rs"].ends_with(&models_whole));
        let operations = whole(
            (0..operations::operation_parts(&api)).map(|part| operations::operations_part(&api, part, None)).collect(),
        );
        let operations_whole = format_file("src/operations.rs", operations).unwrap();
        assert!(generated.files["src/operations.rs"].ends_with(&operations_whole));
        // A `Client` impl block per part, with every operation's method.
        let file = syn::parse_file(&generated.files["src/operations.rs"]).unwrap();
        let methods: usize = file
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Impl(block) if quote::ToTokens::to_token_stream(&block.self_ty).to_string() == "Client" => {
                    Some(block.items.len())
                }
                _ => None,
            })
            .sum();
        assert_eq!(methods, 600);
        assert_eq!(generated.files["src/operations.rs"].matches("\nimpl Client {").count(), 3);
    }
}

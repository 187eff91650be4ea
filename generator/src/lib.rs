//! `openapi-gen` turns an OpenAPI 3.0, 3.1 or 3.2 (or Swagger 2.0) description into a typed
//! async Rust client crate.
//!
//! Three stages, each in its own module: [`load`] reads and normalizes the document, [`ir`]
//! decides every type, operation and name (reading the document through the crate's own typed
//! views), [`emit`] writes the client for its target. [`generate`] runs them all;
//! [`write`](mod@write) puts the result on disk without ever leaving a half-written crate.
//! Modules depend only downward, in this order: `diagnostics`, `fingerprint`, `load`, `view`,
//! `ir`, `options`, `output`, `emit`, `diff`, `write`, `settings`, `build_script` (a test keeps
//! it so); `fingerprint` and `view` are the crate's own.

pub mod build_script;
pub mod diagnostics;
pub mod diff;
pub mod emit;
pub(crate) mod fingerprint;
pub mod ir;
pub mod load;
pub mod options;
pub mod output;
pub mod settings;
pub(crate) mod view;
pub mod write;

use std::borrow::Borrow;
use std::path::Path;

pub use build_script::BuildScript;
pub use diagnostics::{Error, Pointer, Warning};
pub use options::{Options, SplitCrates};
pub use output::GeneratedCrate;

/// Loads the document at `spec`, builds its IR and emits the client crate in memory.
pub fn generate(spec: &Path, options: &Options) -> Result<GeneratedCrate, Error> {
    generate_owned(load::load_file_patched(spec, &options.patches)?, options)
}

/// [`generate`] for a document that is already loaded, which is dropped as soon as the IR is
/// built: emitting needs only the IR, and the document's tree is most of the memory, so the
/// emitter's allocations reuse it (with the emitter formatting on the calling thread too).
pub fn generate_owned(document: load::Document, options: &Options) -> Result<GeneratedCrate, Error> {
    pipeline(document, options)
}

/// [`generate`] for a document that is already loaded.
pub fn generate_from_document(document: &load::Document, options: &Options) -> Result<GeneratedCrate, Error> {
    pipeline(document, options)
}

/// The pipeline: the IR of `document`, then the crate and its API summary. An owned document is
/// dropped as soon as the IR is built; a borrowed one is the caller's to keep.
fn pipeline<D: Borrow<load::Document>>(document: D, options: &Options) -> Result<GeneratedCrate, Error> {
    options.validate()?;
    let (source_name, fingerprint) = (document.borrow().source_name.clone(), document.borrow().fingerprint.clone());
    let built = ir::build_with(document.borrow(), &options.build_options());
    drop(document);
    // What the settings say wrong (`settings: select.tags names ...`) is said of their file.
    let label = |err: Error| match &options.settings_file {
        Some(settings) if err.message.starts_with("settings: ") => err.in_file(settings),
        _ => err.in_file(&source_name),
    };
    let (api, warnings) = built.map_err(label)?;
    // The API's summary is made while the files are (it reads only the IR).
    let (generated, summary) = std::thread::scope(|scope| {
        let summary = scope.spawn(|| output::Summary::of(&api, &fingerprint, options.settings_fingerprint.as_deref()));
        (emit::emit(&api, options), summary.join())
    });
    let mut generated = generated.map_err(|err| err.in_file(&source_name))?;
    let summary = summary.map_err(|_| Error::general("internal error: summing up the API panicked"))?;
    (generated.acknowledged, generated.warnings) = acknowledge(warnings, &options.acknowledged_warnings);
    generated.add_summary(summary);
    Ok(generated)
}

/// `warnings` without those at or under an `acknowledged` pointer, and how many those were; an
/// acknowledgement that matches no warning becomes one (the warning it was for is gone, so the
/// settings can say less).
fn acknowledge(warnings: Vec<Warning>, acknowledged: &[String]) -> (usize, Vec<Warning>) {
    let stale: Vec<Warning> = acknowledged
        .iter()
        .filter(|entry| !warnings.iter().any(|warning| warning.pointer.is_within(entry)))
        .map(|entry| Warning {
            pointer: Pointer::root(),
            message: format!("the settings acknowledge warnings at `{entry}`, and there are none there now"),
        })
        .collect();
    let before = warnings.len();
    let mut kept: Vec<Warning> = warnings
        .into_iter()
        .filter(|warning| !acknowledged.iter().any(|entry| warning.pointer.is_within(entry)))
        .collect();
    let count = before - kept.len();
    kept.extend(stale);
    (count, kept)
}

//! What changed in an API, and what it breaks: a [`Summary`] of each side (written into every
//! generated crate, or made from a description), [`compare()`]d into [`Changes`] that are
//! classified for the wire and for the Rust API, and [`report`]ed as text, Markdown or JSON.

pub mod change;
pub mod compare;
pub mod report;

use std::path::Path;

pub use crate::output::summary;
pub use crate::output::summary::{SUMMARY_FILE, Summary};
pub use change::{Change, ChangeKind, Semver, Wire};
pub use compare::{Changes, compare};

use crate::diagnostics::Error;

/// The summary of `path`: a summary file (`openapi-summary.json` of a generated crate), or a
/// description, built as `options` say.
pub fn summarize_file(path: &Path, options: &crate::options::Options) -> Result<Summary, Error> {
    let name = path.display().to_string();
    if path.extension().is_some_and(|ext| ext == "json") {
        let text = std::fs::read_to_string(path)
            .map_err(|err| Error::general(format!("cannot read it: {err}")).in_file(&name))?;
        if text.contains("\"generator\": \"openapi-gen") {
            return Summary::from_file_text(&text).map_err(|err| Error::general(err).in_file(&name));
        }
    }
    let document = crate::load::load_file_patched(path, &options.patches)?;
    summarize(&document, options)
}

/// The summary of a loaded description, built as `options` say.
pub fn summarize(document: &crate::load::Document, options: &crate::options::Options) -> Result<Summary, Error> {
    let (api, _) =
        crate::ir::build_with(document, &options.build_options()).map_err(|err| err.in_file(&document.source_name))?;
    Ok(Summary::of(&api, &document.fingerprint, options.settings_fingerprint.as_deref()))
}

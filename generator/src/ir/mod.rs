//! Stage 2: the loaded document to the [`Api`] IR, every Rust name decided, in two steps run by
//! [`build_with`]: lowering (`ir/lower/`) reads the document through its views into an `Api`,
//! and the passes (`ir/passes/`) take the `Api` to the `Api` (replacements, merging, recursion,
//! derives, renames).

pub mod model;
pub mod naming;
mod type_ids;

pub mod customize;
pub mod formats;
mod graph;
mod lower;
mod passes;

// The modules of the two steps, by the names the rest of the generator knows them by.
pub use lower::pagination;
pub(crate) use lower::{Builder, operations, schemas, security};
pub use passes::{features, merge, select};
pub(crate) use passes::{rename, usage};

use std::collections::BTreeMap;

use crate::diagnostics::{Error, Warning};
use crate::load::Document;
pub use model::*;
pub use type_ids::TypeId;

/// What the IR is built with.
#[derive(Debug, Clone, Default)]
pub struct BuildOptions {
    /// Also collect every example with its type (reading example files), for the example tests.
    pub examples: bool,
    /// How formats map to types.
    pub formats: formats::FormatOptions,
    /// Paging declarations by `operationId`, as `x-speakeasy-pagination` objects, which win over
    /// the description's.
    pub pagination: pagination::Declarations,
    /// Where each declaration of `pagination` was given (`--pagination paging.yaml`), by
    /// `operationId`, for the messages and notes about it.
    pub pagination_origins: BTreeMap<String, String>,
    /// The operations to generate.
    pub select: select::Selection,
    /// Replacements, derives, attributes and renames.
    pub customize: customize::Customizations,
    /// Keeps a type for every inline schema, instead of one for those that are identical
    /// (see [`merge`]).
    pub keep_identical_types: bool,
}

/// Builds the IR of `doc`, without its examples. Warnings name what was approximated; errors
/// stop generation.
pub fn build(doc: &Document) -> Result<(Api, Vec<Warning>), Error> {
    build_with(doc, &BuildOptions::default())
}

/// [`build`], also collecting every example with its type (reading example files), for the
/// example tests.
pub fn build_with_examples(doc: &Document) -> Result<(Api, Vec<Warning>), Error> {
    build_with(doc, &BuildOptions { examples: true, ..BuildOptions::default() })
}

/// Builds the IR of `doc` as `options` say: lowering, then the passes.
pub fn build_with(doc: &Document, options: &BuildOptions) -> Result<(Api, Vec<Warning>), Error> {
    let lower::Lowered { mut api, warnings: mut lowered_warnings, left_out_places } = lower::lower(doc, options)?;
    passes::run(&mut api, options, &mut lowered_warnings)?;
    let about_the_client = |warning: &Warning| !left_out_places.iter().any(|place| warning.pointer.is_within(place));
    let mut warnings: Vec<Warning> = doc.warnings.iter().filter(|warning| about_the_client(warning)).cloned().collect();
    warnings.append(&mut lowered_warnings);
    Ok((api, warnings))
}

/// Whether a constructor whose arguments have these types would be swap-prone: more than two of
/// one type (`new(client_id, code, state)`), or more than seven in all.
pub(crate) fn needs_named_arguments<'t>(arguments: impl Iterator<Item = &'t TypeRef>) -> bool {
    let arguments: Vec<&TypeRef> = arguments.collect();
    arguments.len() > 7 || arguments.iter().any(|ty| arguments.iter().filter(|other| *other == ty).count() > 2)
}

/// `Some(text)` when `text` has anything but white space in it.
pub(crate) fn non_empty(text: Option<&str>) -> Option<String> {
    text.map(str::trim).filter(|t| !t.is_empty()).map(str::to_owned)
}

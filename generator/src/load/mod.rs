//! Stage 1: read a YAML or JSON OpenAPI document, check its version, bring OpenAPI 3.1 and
//! Swagger 2.0 constructs into the 3.0 shapes the views read, and check its structure.
//!
//! The result is the JSON tree itself: the IR reads it through the crate's typed views
//! (`view/`), which carry the place of every value, and error pointers refer to it.

mod callbacks;
mod check;
mod external;
mod normalize;
mod parse;
pub mod patch;
pub(crate) mod swagger2;
mod yaml_scan;

pub use parse::parse_text;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::diagnostics::{Error, Pointer, Warning};

/// The fields of a path item that hold an operation, in the order operations are read (3.2's
/// `query` among them; its `additionalOperations` come after).
pub const OPERATION_FIELDS: [&str; 9] = ["get", "put", "post", "delete", "options", "head", "patch", "trace", "query"];

/// The OpenAPI major.minor version a document declares.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpecVersion {
    /// Swagger 2.0, converted to OpenAPI 3.0 as it is loaded.
    V2_0,
    /// OpenAPI 3.0.x.
    V3_0,
    /// OpenAPI 3.1.x.
    V3_1,
    /// OpenAPI 3.2.x: read as 3.1 is, with the 3.2 constructs listed in the README's support
    /// table.
    V3_2,
}

/// A loaded and normalized OpenAPI document.
#[derive(Debug, Clone)]
pub struct Document {
    /// The name errors and generated headers use for the document (usually its path).
    pub source_name: String,
    /// The file it was read from, which external references and example files are relative to.
    pub path: Option<PathBuf>,
    /// The version the document declared before normalization.
    pub version: SpecVersion,
    /// The normalized document as a JSON tree, for resolving `$ref`s and reading extensions.
    pub raw: Value,
    /// What normalization had to approximate.
    pub warnings: Vec<Warning>,
    /// The other files its external `$ref`s read, for a build script to watch.
    pub external_files: Vec<PathBuf>,
    /// A fingerprint of the document as parsed, before patches: its JSON, so that layout,
    /// comments, key quoting and line endings do not change it (see the drift report's summary).
    pub fingerprint: String,
}

/// The fingerprint of a parsed document (its compact JSON).
fn fingerprint_of(raw: &Value) -> String {
    let mut hasher = crate::fingerprint::Fingerprint::default();
    // Writing to the hasher cannot fail, and a JSON tree always serializes.
    let _ = serde_json::to_writer(&mut hasher, raw);
    hasher.hex()
}

/// Reads and loads the document at `path`.
pub fn load_file(path: &Path) -> Result<Document, Error> {
    load_file_patched(path, &[])
}

/// Reads the document at `path`, applies `patches` to it, and loads it.
pub fn load_file_patched(path: &Path, patches: &[patch::Patch]) -> Result<Document, Error> {
    let name = path.display().to_string();
    let text = std::fs::read_to_string(path)
        .map_err(|err| Error::general(format!("cannot read the document: {err}")).in_file(&name))?;
    let mut raw = parse::parse_text(&text).map_err(|err| err.in_file(&name))?;
    let fingerprint = fingerprint_of(&raw);
    patch::apply_all(&mut raw, patches).map_err(|err| err.in_file(&name))?;
    // The text is a tenth of what loading holds at its peak (the tree and the typed model
    // beside it): free it before the model is made.
    drop(text);
    load_tree(raw, &name, Some(path), fingerprint)
}

/// Loads a document from its text; `source_name` is used in errors.
/// External references cannot be resolved without a file: they are left, with a warning.
pub fn load_str(text: &str, source_name: &str) -> Result<Document, Error> {
    let raw = parse::parse_text(text).map_err(|err| err.in_file(source_name))?;
    let fingerprint = fingerprint_of(&raw);
    load_tree(raw, source_name, None, fingerprint)
}

fn load_tree(mut raw: Value, source_name: &str, path: Option<&Path>, fingerprint: String) -> Result<Document, Error> {
    let version = check_version(&raw).map_err(|err| err.in_file(source_name))?;
    let mut warnings = Vec::new();
    if version == SpecVersion::V2_0 {
        // From here on, pointers are into the converted document: `#/definitions/Pet` is
        // `#/components/schemas/Pet`, and a body parameter is the operation's `requestBody`.
        raw = swagger2::convert(&raw, &mut warnings);
    }
    let external_files = external::bundle(&mut raw, path, &mut warnings);
    // The files its `$ref`s read are part of the description.
    let fingerprint = if external_files.is_empty() {
        fingerprint
    } else {
        let mut hasher = crate::fingerprint::Fingerprint::default();
        hasher.update(fingerprint.as_bytes());
        for file in &external_files {
            hasher.update(std::fs::read_to_string(file).unwrap_or_default().replace("\r\n", "\n").as_bytes());
        }
        hasher.hex()
    };
    callbacks::inline_callback_refs(&mut raw, &mut warnings);
    normalize::normalize_document(&mut raw, &mut warnings);
    check::check_document(&raw).map_err(|err| err.in_file(source_name))?;
    Ok(Document {
        source_name: source_name.to_owned(),
        path: path.map(Path::to_path_buf),
        version,
        raw,
        warnings,
        external_files,
        fingerprint,
    })
}

impl Document {
    /// `info.title` (the check makes sure there is one).
    pub fn title(&self) -> &str {
        self.raw.get("info").and_then(|info| info.get("title")).and_then(Value::as_str).unwrap_or_default()
    }

    /// The value in the example file `reference` (an `externalValue`, or the `$ref` of an example),
    /// read relative to the document; the error says why it cannot be read. Reading files is the
    /// loader's job: the IR asks for example values only when it writes example tests, so files
    /// are read only then.
    pub fn example_file(&self, reference: &str) -> Result<Value, String> {
        if reference.contains("://") {
            return Err(format!("example {reference:?} is a URL (there is no network)"));
        }
        let base = self
            .path
            .as_deref()
            .and_then(Path::parent)
            .ok_or("the document has no file path to read the example relative to")?;
        let file = reference.split('#').next().unwrap_or(reference);
        parse_file(&base.join(file)).map_err(|err| format!("cannot read example {reference:?}: {err}"))
    }
}

/// Reads and parses a YAML or JSON file that is not the document itself (an example value).
/// JSON that is not quite JSON (a trailing comma, as in some of Dropbox Sign's example files) is
/// read as YAML, which allows it: these files only document.
pub fn parse_file(path: &Path) -> Result<Value, String> {
    let text = std::fs::read_to_string(path).map_err(|err| format!("{}: {err}", path.display()))?;
    parse::parse_text(&text)
        .or_else(|json_error| yaml_serde::from_str::<serde_json::Value>(&text).map_err(|_| json_error.to_string()))
}

fn check_version(raw: &Value) -> Result<SpecVersion, Error> {
    let root = Pointer::root();
    let Some(object) = raw.as_object() else {
        return Err(Error::at(&root, "the document is not a mapping of OpenAPI fields"));
    };
    if let Some(swagger) = object.get("swagger") {
        let declared = display_scalar(swagger);
        if declared == "2.0" {
            return Ok(SpecVersion::V2_0);
        }
        return Err(Error::at(
            &root.push("swagger"),
            format!("unsupported Swagger version {declared:?}; supported are 2.0, OpenAPI 3.0.x, 3.1.x and 3.2.x"),
        ));
    }
    let Some(declared) = object.get("openapi") else {
        return Err(Error::at(&root, "missing the `openapi` version field"));
    };
    let declared = display_scalar(declared);
    if declared == "3.0" || declared.starts_with("3.0.") {
        Ok(SpecVersion::V3_0)
    } else if declared == "3.1" || declared.starts_with("3.1.") {
        Ok(SpecVersion::V3_1)
    } else if declared == "3.2" || declared.starts_with("3.2.") {
        Ok(SpecVersion::V3_2)
    } else {
        Err(Error::at(
            &root.push("openapi"),
            format!("unsupported OpenAPI version {declared:?}; supported are 3.0.x, 3.1.x and 3.2.x"),
        ))
    }
}

fn display_scalar(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

//! External `$ref`s (`common.yaml#/components/schemas/Error`, `Pet.json`) are brought into the
//! document: each target is read relative to the file that refers to it, stored under the root
//! document's `components` with a free name, and the reference rewritten to point there. The
//! rest of the generator then only ever sees local references.
//!
//! References only documentation uses (in examples, extensions and descriptions) are left alone:
//! the example collector reads example files itself, and the others mean nothing to a client.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

use super::parse;
use crate::diagnostics::{Pointer, Warning};

/// Bundles every external reference of `root` (read from `path`) into it; returns the files
/// read, sorted.
pub fn bundle(root: &mut Value, path: Option<&Path>, warnings: &mut Vec<Warning>) -> Vec<PathBuf> {
    let mut bundler = Bundler {
        files: HashMap::new(),
        imported: HashMap::new(),
        taken: taken_names(root),
        new_components: Vec::new(),
        warnings,
    };
    let base = path.map(|p| p.to_path_buf());
    let base = base.as_deref().and_then(Path::parent);
    bundler.walk(root, &Pointer::root(), base, None);
    let new_components = std::mem::take(&mut bundler.new_components);
    let mut files: Vec<PathBuf> =
        bundler.files.iter().filter(|(_, parsed)| parsed.is_some()).map(|(file, _)| file.clone()).collect();
    files.sort();
    let Some(root) = root.as_object_mut() else { return files };
    for (kind, name, value) in new_components {
        let components = root.entry("components").or_insert_with(|| Value::Object(Map::new()));
        let Some(components) = components.as_object_mut() else { continue };
        let section = components.entry(kind).or_insert_with(|| Value::Object(Map::new()));
        if let Some(section) = section.as_object_mut() {
            section.insert(name, value);
        }
    }
    files
}

struct Bundler<'w> {
    /// Parsed files by canonical path (`None`: could not be read).
    files: HashMap<PathBuf, Option<Value>>,
    /// (file, fragment) → the local reference it was given.
    imported: HashMap<(PathBuf, String), String>,
    /// Component names in use, by section.
    taken: BTreeMap<String, Vec<String>>,
    new_components: Vec<(String, String, Value)>,
    warnings: &'w mut Vec<Warning>,
}

/// What an external reference becomes.
enum Imported {
    /// A reference to the component the target was stored as.
    Local(String),
    /// The target itself, for path items (which 3.0 components cannot hold).
    Inline(Value),
}

impl Bundler<'_> {
    /// Rewrites the references in `value`, which is at `at` in the root document, or comes from
    /// `file` when that is `Some` (then its local references point into `file` too).
    fn walk(&mut self, value: &mut Value, at: &Pointer, base: Option<&Path>, file: Option<&Path>) {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let reference = reference.clone();
                    if !reference.starts_with('#') || file.is_some() {
                        match self.import(&reference, at, base, file) {
                            Some(Imported::Local(local)) => {
                                object.insert("$ref".to_owned(), Value::String(local));
                            }
                            Some(Imported::Inline(target)) => *value = target,
                            None => {}
                        }
                        return;
                    }
                }
                for (key, child) in object.iter_mut() {
                    if key.starts_with("x-") || key == "example" || key == "examples" {
                        continue;
                    }
                    if (key == "description" || key == "summary") && !child.is_string() {
                        continue;
                    }
                    self.walk(child, &at.push(key), base, file);
                }
            }
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    self.walk(item, &at.push(index.to_string()), base, file);
                }
            }
            _ => {}
        }
    }

    /// What `reference` (made at `at`) becomes, importing its target if needed; `None` leaves
    /// it as it is (with a warning).
    fn import(&mut self, reference: &str, at: &Pointer, base: Option<&Path>, file: Option<&Path>) -> Option<Imported> {
        let (file_part, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        if file_part.contains("://") {
            self.warn(at, format!("$ref {reference:?} is a URL; only files are resolved (there is no network)"));
            return None;
        }
        let target_file = if file_part.is_empty() {
            file?.to_path_buf()
        } else if let Some(base) = base {
            base.join(file_part)
        } else {
            self.warn(at, format!("external $ref {reference:?} cannot be resolved: the document has no file path"));
            return None;
        };
        let target_file = target_file.canonicalize().unwrap_or(target_file);
        let key = (target_file.clone(), fragment.to_owned());
        if let Some(local) = self.imported.get(&key) {
            return Some(Imported::Local(local.clone()));
        }
        let document = self.read(&target_file, at, reference)?;
        let target_pointer = Pointer::from_fragment(&format!("#{fragment}"));
        let Some(mut target) = target_pointer.lookup(&document).cloned() else {
            self.warn(
                at,
                format!("external $ref {reference:?} does not resolve: nothing is at #{fragment} in that file"),
            );
            return None;
        };
        let tokens: Vec<String> = target_pointer.tokens().collect();
        let (section, wanted_name) = match tokens.as_slice() {
            [components, section, name] if components == "components" => (section.clone(), name.clone()),
            _ => {
                let stem = target_file.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
                (section_for(at), tokens.last().cloned().unwrap_or(stem))
            }
        };
        let target_base = target_file.parent().map(Path::to_path_buf);
        if section == "paths" {
            self.walk(&mut target, at, target_base.as_deref(), Some(&target_file));
            return Some(Imported::Inline(target));
        }
        let name = self.free_name(&section, &wanted_name);
        let local = format!("#/components/{section}/{}", name.replace('~', "~0").replace('/', "~1"));
        // Recorded before the target is walked, so that a cycle through it ends here.
        self.imported.insert(key, local.clone());
        let local_at = Pointer::root().push("components").push(&section).push(&name);
        self.walk(&mut target, &local_at, target_base.as_deref(), Some(&target_file));
        self.new_components.push((section, name, target));
        Some(Imported::Local(local))
    }

    /// The parsed file at `path`, read once.
    fn read(&mut self, path: &Path, at: &Pointer, reference: &str) -> Option<Value> {
        if !self.files.contains_key(path) {
            let parsed = std::fs::read_to_string(path)
                .map_err(|err| err.to_string())
                .and_then(|text| parse::parse_text(&text).map_err(|err| err.to_string()));
            let parsed = match parsed {
                Ok(value) => Some(value),
                Err(message) => {
                    self.warn(at, format!("external $ref {reference:?}: cannot read {}: {message}", path.display()));
                    None
                }
            };
            self.files.insert(path.to_path_buf(), parsed);
        }
        self.files.get(path).cloned().flatten()
    }

    /// `wanted`, or `wanted2`, `wanted3`, ... if the section has it already.
    fn free_name(&mut self, section: &str, wanted: &str) -> String {
        let taken = self.taken.entry(section.to_owned()).or_default();
        let mut name = wanted.to_owned();
        let mut counter = 1;
        while taken.contains(&name) {
            counter += 1;
            name = format!("{wanted}{counter}");
        }
        taken.push(name.clone());
        name
    }

    fn warn(&mut self, at: &Pointer, message: String) {
        self.warnings.push(Warning { pointer: at.clone(), message: format!("{message}; it is left as it is") });
    }
}

/// The component section a reference at `at` needs its target in, from where it is.
fn section_for(at: &Pointer) -> String {
    let tokens: Vec<String> = at.tokens().collect();
    let parent = tokens.iter().rev().nth(1).map(String::as_str);
    let last = tokens.last().map(String::as_str);
    let section = match (parent, last) {
        (Some("paths"), _) => "paths",
        (Some("parameters"), Some(index)) if index.parse::<usize>().is_ok() => "parameters",
        (Some("responses"), _) if tokens.iter().rev().nth(2).is_some_and(|t| t != "properties") => "responses",
        (_, Some("requestBody")) => "requestBodies",
        (Some("headers"), _) => "headers",
        (Some("callbacks"), _) => "callbacks",
        (Some("links"), _) => "links",
        _ => "schemas",
    };
    section.to_owned()
}

/// The names each component section of `root` already uses.
fn taken_names(root: &Value) -> BTreeMap<String, Vec<String>> {
    let mut taken = BTreeMap::new();
    if let Some(Value::Object(components)) = root.get("components") {
        for (section, items) in components {
            if let Value::Object(items) = items {
                taken.insert(section.clone(), items.keys().cloned().collect());
            }
        }
    }
    taken
}

//! External `$ref`s (`common.yaml#/components/schemas/Error`, `Pet.json`) are brought into the
//! document: each target is read relative to the file that refers to it, stored under the root
//! document's `components` with a free name, and the reference rewritten to point there. The
//! rest of the generator then only ever sees local references.
//!
//! References only documentation uses (in examples, extensions and descriptions) are left alone:
//! the example collector reads example files itself, and the others mean nothing to a client.
//!
//! An OpenAPI 3.2 document's `$self` is its base URI: relative references resolve against it, and
//! a reference by URL to the document itself (`https://example.com/api.yaml#/components/...`) is
//! a local one. Since the document was read from a file, a URL on `$self`'s host is read from the
//! file at the same place relative to the document's file (`https://example.com/common.yaml` beside
//! `$self` `https://example.com/api.yaml` is `common.yaml` beside the document).

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
        root: None,
        warnings,
    };
    let self_uri = root.get("$self").and_then(Value::as_str).map(str::to_owned);
    let file = path.map(Path::to_path_buf);
    // A relative `$self` is the document's place relative to where it was read from. One that
    // starts at a root (`/api/openapi.yaml`) would move the base out of the document's directory
    // tree, to the file system's root: it is not followed.
    let located = match (&self_uri, &file) {
        (Some(self_uri), Some(file)) if !self_uri.contains("://") && !self_uri.starts_with('/') => {
            file.parent().map(|dir| dir.join(self_uri))
        }
        _ => file,
    };
    let base = located.as_deref().and_then(Path::parent).map(Path::to_path_buf);
    bundler.root = base.clone().zip(self_uri.filter(|uri| uri.contains("://")));
    bundler.walk(root, &Pointer::root(), base.as_deref(), None);
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
    /// The root document's directory and its `$self`, when that is a URL.
    root: Option<(PathBuf, String)>,
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
        let on_self_host = self.root.as_ref().and_then(|(dir, self_uri)| {
            if file_part.trim_end_matches('/') == self_uri.trim_end_matches('/') {
                return Some(None);
            }
            relative_url(self_uri, file_part).map(|relative| Some(dir.join(relative)))
        });
        let target_file = match on_self_host {
            // The document itself, by its `$self`.
            Some(None) => return Some(Imported::Local(format!("#{fragment}"))),
            Some(Some(file)) => file,
            None if file_part.contains("://") => {
                self.warn(at, format!("$ref {reference:?} is a URL; only files are resolved (there is no network)"));
                return None;
            }
            None => self.target_file(file_part, reference, at, base, file)?,
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

    /// The file a reference's file part (not empty, or the referring file's own) names, relative
    /// to `base`, the referring file's directory.
    fn target_file(
        &mut self,
        file_part: &str,
        reference: &str,
        at: &Pointer,
        base: Option<&Path>,
        file: Option<&Path>,
    ) -> Option<PathBuf> {
        if file_part.is_empty() {
            return Some(file?.to_path_buf());
        }
        match base {
            Some(base) => Some(base.join(file_part)),
            None => {
                self.warn(at, format!("external $ref {reference:?} cannot be resolved: the document has no file path"));
                None
            }
        }
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

/// The path of `url` relative to the directory of `self_uri` (`../common/pet.yaml`), when both
/// are on the same scheme, host and port.
fn relative_url(self_uri: &str, url: &str) -> Option<String> {
    let split = |url: &str| {
        let host_start = url.find("://")? + 3;
        let path_start = url[host_start..].find('/').map_or(url.len(), |i| host_start + i);
        Some((
            url[..path_start].to_ascii_lowercase(),
            url[path_start..].split('?').next().unwrap_or_default().to_owned(),
        ))
    };
    let ((self_origin, self_path), (origin, path)) = (split(self_uri)?, split(url)?);
    if self_origin != origin || path.is_empty() {
        return None;
    }
    let self_dir: Vec<&str> = self_path.split('/').filter(|s| !s.is_empty()).collect();
    let self_dir = &self_dir[..self_dir.len().saturating_sub(1)];
    let target: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
    let shared = self_dir.iter().zip(&target).take_while(|(a, b)| a == b).count();
    let ups = std::iter::repeat_n("..", self_dir.len() - shared);
    Some(ups.chain(target[shared..].iter().copied()).collect::<Vec<_>>().join("/"))
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

#[cfg(test)]
mod tests {
    use super::{bundle, relative_url};

    /// A relative `$self` moves the base the document's relative references resolve against; one
    /// from a root does not.
    #[test]
    fn a_relative_self_is_the_base_of_relative_references() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("v2")).unwrap();
        let pet = "{\"type\": \"object\", \"title\": \"in v2\"}";
        std::fs::write(dir.path().join("v2").join("pet.json"), pet).unwrap();
        let path = dir.path().join("api.json");
        let bundled = |self_uri: &str| {
            let mut root = serde_json::json!({
                "$self": self_uri,
                "paths": {"/pets": {"get": {"responses": {"200": {"description": "ok",
                    "content": {"application/json": {"schema": {"$ref": "pet.json"}}}}}}}}
            });
            let mut warnings = Vec::new();
            bundle(&mut root, Some(&path), &mut warnings);
            (root, warnings)
        };
        let (root, warnings) = bundled("v2/api.json");
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(root["components"]["schemas"]["pet"]["title"], "in v2");
        let (root, warnings) = bundled("/v2/api.json");
        assert!(root.get("components").is_none());
        assert!(warnings.iter().any(|w| w.message.contains("cannot read")), "{warnings:?}");
    }

    #[test]
    fn a_url_on_the_host_of_self_is_a_path_relative_to_it() {
        let self_uri = "https://specs.example.com/apis/v2/openapi.yaml";
        let relative = |url: &str| relative_url(self_uri, url);
        assert_eq!(relative("https://specs.example.com/apis/v2/common.yaml").as_deref(), Some("common.yaml"));
        assert_eq!(relative("https://SPECS.example.com/apis/shared/pet.yaml").as_deref(), Some("../shared/pet.yaml"));
        assert_eq!(relative("https://specs.example.com/top.yaml").as_deref(), Some("../../top.yaml"));
        assert_eq!(relative("https://other.example.com/apis/v2/common.yaml"), None);
        assert_eq!(relative("http://specs.example.com/apis/v2/common.yaml"), None, "another scheme");
        assert_eq!(relative("https://specs.example.com"), None);
    }
}

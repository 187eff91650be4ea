//! The settings file (`openapi-gen.toml`): what a user shapes without editing the description.
//! Every key is checked: an unknown one is an error that names it and suggests the nearest
//! known key, and a selection that matches nothing is refused when the IR is built.
//!
//! ```toml
//! [crate]
//! name = "dropbox-sign"
//! version = "0.1.0"
//! license = "MIT"
//! runtime = "vendored"      # vendored | crate | a path
//! tag-features = false
//! keep-identical-types = false  # true: a type for every inline schema
//! split-crates = "auto"     # always | never: the models in crates of their own, built in parallel
//!
//! [servers]
//! default = "https://api.hellosign.com/v3"
//!
//! [formats]
//! date-time = "jiff"        # chrono | jiff | time | string
//! offsets = "utc"           # utc | keep: a received date-time's offset (chrono)
//! strings = ["uuid"]        # formats kept as String
//!
//! [select]
//! tags = ["Signature Request"]
//! operations = ["accountVerify"]
//! paths = ["/template/*"]
//! exclude-operations = ["signatureRequestRemove"]
//!
//! [pagination.templateList]  # as x-speakeasy-pagination
//! type = "offsetLimit"
//! inputs = [{ name = "page", in = "parameters", type = "page" }]
//! outputs = { results = "$.templates", numPages = "$.list_info.num_pages" }
//!
//! [warnings]
//! acknowledged = ["#/tags"]  # warnings at or under these pointers are counted, not printed
//!
//! [[patches]]              # RFC 7396 merge patch, RFC 6902 JSON Patch, or a file of either
//! json = [{ op = "remove", path = "/paths/~1fax~1list" }]
//! ```

use crate::diagnostics::{Error, nearest};
use crate::ir::customize::Customizations;
use crate::ir::formats::{DateTimeCrate, FormatOptions, Offsets};
use crate::ir::pagination::Declarations;
use crate::ir::select::Selection;
use crate::load::patch::Patch;
use crate::options::{Options, PackageFields, Runtime, SplitCrates, check_crate_name};

/// A TOML value as JSON (dates become their text).
fn toml_to_json(value: &toml::Value) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}

/// What a settings file says; `None` and empty values leave the generator's own choice.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Settings {
    /// `crate.name`.
    pub crate_name: Option<String>,
    /// `crate.version`.
    pub crate_version: Option<String>,
    /// `crate.description` and `crate.license`.
    pub package: PackageFields,
    /// `crate.runtime`: `vendored`, `crate` or a path.
    pub runtime: Option<String>,
    /// `crate.tag-features`: a Cargo feature per tag.
    pub tag_features: Option<bool>,
    /// `crate.keep-identical-types`: a type for every inline schema, identical or not.
    pub keep_identical_types: Option<bool>,
    /// `crate.split-crates`: the model types in crates of their own, built in parallel.
    pub split_crates: Option<SplitCrates>,
    /// `formats`.
    pub formats: Option<FormatOptions>,
    /// `select`.
    pub select: Selection,
    /// `pagination`.
    pub pagination: Declarations,
    /// `[[patches]]`, in order.
    pub patches: Vec<Patch>,
    /// `replace`, `derive`, `attributes` and `rename`.
    pub customize: Customizations,
    /// `dependencies`: lines for the generated `Cargo.toml` (`rust_decimal = { ... }`).
    pub dependencies: Vec<(String, String)>,
    /// `features`: Cargo features of the generated crate.
    pub features: Vec<(String, Vec<String>)>,
    /// `warnings.acknowledged`: pointers of warnings seen and accepted.
    pub acknowledged_warnings: Vec<String>,
    /// The patch files it names, for a build script to watch.
    pub files: Vec<std::path::PathBuf>,
    /// A fingerprint of the settings, recorded in every generated file's header so that the
    /// drift check notices a change of settings as well as of the description.
    pub fingerprint: String,
}

const TOP: &[&str] = &[
    "crate",
    "formats",
    "select",
    "pagination",
    "patches",
    "servers",
    "replace",
    "derive",
    "attributes",
    "rename",
    "dependencies",
    "features",
    "warnings",
];
const RENAME: &[&str] = &["operations", "types", "fields", "variants"];
const PATCH: &[&str] = &["merge", "json", "file"];
const CRATE: &[&str] =
    &["name", "version", "description", "license", "runtime", "tag-features", "keep-identical-types", "split-crates"];
const SERVERS: &[&str] = &["default"];
const WARNINGS: &[&str] = &["acknowledged"];
const FORMATS: &[&str] = &["date-time", "offsets", "strings"];
const SELECT: &[&str] = &["tags", "operations", "paths", "exclude-tags", "exclude-operations", "exclude-paths"];

impl Settings {
    /// The settings in `text`, the TOML of the file `file` (for messages).
    pub fn parse(text: &str, file: &str) -> Result<Settings, Error> {
        let table: toml::Table =
            text.parse().map_err(|err: toml::de::Error| Error::general(err.to_string().trim_end()).in_file(file))?;
        let error = |message: String| Error::general(format!("settings: {message}")).in_file(file);
        check_keys(&table, TOP, "").map_err(error)?;
        let mut settings = Settings { fingerprint: fingerprint(text), ..Settings::default() };
        if let Some(section) = table_at(&table, "crate").map_err(error)? {
            check_keys(section, CRATE, "crate.").map_err(error)?;
            settings.crate_name = string_at(section, "crate.", "name").map_err(error)?;
            settings.crate_version = string_at(section, "crate.", "version").map_err(error)?;
            settings.package.description = string_at(section, "crate.", "description").map_err(error)?;
            settings.package.license = string_at(section, "crate.", "license").map_err(error)?;
            settings.runtime = string_at(section, "crate.", "runtime").map_err(error)?;
            settings.tag_features = bool_at(section, "crate.", "tag-features").map_err(error)?;
            settings.keep_identical_types = bool_at(section, "crate.", "keep-identical-types").map_err(error)?;
            if let Some(name) = string_at(section, "crate.", "split-crates").map_err(error)? {
                settings.split_crates = Some(SplitCrates::named(&name).ok_or_else(|| {
                    error(format!("crate.split-crates is {name:?}; the choices are {}", SplitCrates::NAMES.join(", ")))
                })?);
            }
        }
        if let Some(section) = table_at(&table, "formats").map_err(error)? {
            check_keys(section, FORMATS, "formats.").map_err(error)?;
            let mut formats = FormatOptions::default();
            if let Some(name) = string_at(section, "formats.", "date-time").map_err(error)? {
                formats.date_time = DateTimeCrate::from_name(&name).ok_or_else(|| {
                    error(format!("formats.date-time is {name:?}; the choices are chrono, jiff, time and string"))
                })?;
            }
            if let Some(name) = string_at(section, "formats.", "offsets").map_err(error)? {
                formats.offsets = Offsets::from_name(&name)
                    .ok_or_else(|| error(format!("formats.offsets is {name:?}; the choices are utc and keep")))?;
            }
            formats.check().map_err(|problem| error(format!("formats: {problem}")))?;
            formats.as_string = strings_at(section, "formats.", "strings").map_err(error)?.into_iter().collect();
            settings.formats = Some(formats);
        }
        if let Some(section) = table_at(&table, "select").map_err(error)? {
            check_keys(section, SELECT, "select.").map_err(error)?;
            let list = |key: &str| strings_at(section, "select.", key).map_err(error);
            settings.select = Selection {
                tags: list("tags")?,
                operations: list("operations")?,
                paths: list("paths")?,
                exclude_tags: list("exclude-tags")?,
                exclude_operations: list("exclude-operations")?,
                exclude_paths: list("exclude-paths")?,
            };
        }
        if let Some(section) = table_at(&table, "pagination").map_err(error)? {
            for (operation, declaration) in section {
                let value = serde_json::to_value(declaration)
                    .map_err(|err| error(format!("pagination.{operation} cannot be read: {err}")))?;
                crate::ir::pagination::check_declaration(&value)
                    .map_err(|problem| error(format!("[pagination.{operation}]: {problem}")))?;
                settings.pagination.insert(operation.clone(), value);
            }
        }
        if let Some(section) = table_at(&table, "servers").map_err(error)? {
            check_keys(section, SERVERS, "servers.").map_err(error)?;
            // The description's default server, replaced before it is loaded: a merge patch.
            if let Some(url) = string_at(section, "servers.", "default").map_err(error)? {
                let merge = serde_json::json!({"servers": [{"url": url}]});
                settings.patches.push(Patch::from_value("servers.default".to_owned(), merge).map_err(error)?);
            }
        }
        if let Some(section) = table_at(&table, "warnings").map_err(error)? {
            check_keys(section, WARNINGS, "warnings.").map_err(error)?;
            settings.acknowledged_warnings = strings_at(section, "warnings.", "acknowledged").map_err(error)?;
            if let Some(entry) = settings.acknowledged_warnings.iter().find(|entry| !entry.starts_with('#')) {
                return Err(error(format!(
                    "warnings.acknowledged: `{entry}` is not a JSON pointer as warnings print them (`#/tags/0`)"
                )));
            }
        }
        read_customizations(&table, &mut settings).map_err(error)?;
        if let Some(entries) = table.get("patches") {
            let toml::Value::Array(entries) = entries else {
                return Err(error("`patches` must be a list of tables (`[[patches]]`)".to_owned()));
            };
            let base = std::path::Path::new(file).parent().unwrap_or(std::path::Path::new(""));
            for (index, entry) in entries.iter().enumerate() {
                let label = format!("patch {}", index + 1);
                let toml::Value::Table(entry) = entry else {
                    return Err(error(format!("{label} must be a table")));
                };
                check_keys(entry, PATCH, &format!("patches[{index}].")).map_err(error)?;
                let patch = match (entry.get("merge"), entry.get("json"), entry.get("file")) {
                    (Some(merge), None, None) => Patch::from_value(label, toml_to_json(merge)),
                    (None, Some(json), None) => Patch::from_value(label, toml_to_json(json)),
                    (None, None, Some(toml::Value::String(path))) => {
                        settings.files.push(base.join(path));
                        let value = crate::load::parse_file(&base.join(path))
                            .map_err(|err| error(format!("{label}: {err}")))?;
                        Patch::from_value(format!("{label} ({path})"), value)
                    }
                    _ => Err(format!(
                        "{label} needs exactly one of `merge` (a table), `json` (a list) or `file` (a path)"
                    )),
                }
                .map_err(error)?;
                settings.patches.push(patch);
            }
        }
        // The patch files it names are part of the settings.
        for file in &settings.files {
            let text = std::fs::read_to_string(file).unwrap_or_default();
            settings.fingerprint = fingerprint(&format!("{}\n{text}", settings.fingerprint));
        }
        Ok(settings)
    }

    /// Reads and parses the settings file at `path`.
    pub fn read(path: &std::path::Path) -> Result<Settings, Error> {
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path)
            .map_err(|err| Error::general(format!("cannot read the settings: {err}")).in_file(&file))?;
        Settings::parse(&text, &file)
    }

    /// `options` with what the settings say; the settings win where they say something.
    pub fn apply(&self, options: &mut Options, file: &str) {
        if let Some(name) = &self.crate_name {
            options.crate_name = name.clone();
        }
        if let Some(version) = &self.crate_version {
            options.crate_version = version.clone();
        }
        if self.package.description.is_some() {
            options.package.description.clone_from(&self.package.description);
        }
        if self.package.license.is_some() {
            options.package.license.clone_from(&self.package.license);
        }
        if let Some(runtime) = &self.runtime {
            options.runtime = Runtime::named(runtime);
        }
        if let Some(on) = self.tag_features {
            options.tag_features = on;
        }
        if let Some(keep) = self.keep_identical_types {
            options.keep_identical_types = keep;
        }
        if let Some(split) = self.split_crates {
            options.split_crates = split;
        }
        if let Some(formats) = &self.formats {
            options.formats = formats.clone();
        }
        options.select = self.select.clone();
        options.customize = self.customize.clone();
        options.dependencies = self.dependencies.clone();
        options.features = self.features.clone();
        options.acknowledged_warnings = self.acknowledged_warnings.clone();
        options.patches = self.patches.clone();
        for (operation, declaration) in &self.pagination {
            options.pagination.insert(operation.clone(), declaration.clone());
            options.pagination_origins.insert(operation.clone(), format!("`[pagination.{operation}]` of {file}"));
        }
        options.settings_file = Some(file.to_owned());
        options.source_label = format!("{} with settings {file} ({})", options.source_label, self.fingerprint);
        options.settings_fingerprint = Some(self.fingerprint.clone());
    }
}

/// `replace`, `derive`, `attributes`, `rename`, `dependencies` and `features`, each value
/// checked as the Rust or TOML it will be.
fn read_customizations(table: &toml::Table, settings: &mut Settings) -> Result<(), String> {
    for (key, rust) in string_map(table, "replace")? {
        syn::parse_str::<syn::Type>(&rust)
            .map_err(|err| format!("replace.{key} = {rust:?} is not a Rust type: {err}"))?;
        settings.customize.replacements.insert(key, rust);
    }
    for (pattern, traits) in list_map(table, "derive")? {
        for path in &traits {
            syn::parse_str::<syn::Path>(path)
                .map_err(|err| format!("derive.{pattern:?} lists {path:?}, which is not a trait path: {err}"))?;
        }
        settings.customize.derives.push((pattern, traits));
    }
    for (pattern, attributes) in list_map(table, "attributes")? {
        for attribute in &attributes {
            let parsed = syn::parse::Parser::parse_str(syn::Attribute::parse_outer, attribute);
            if !matches!(parsed.as_deref(), Ok([_])) {
                return Err(format!(
                    "attributes.{pattern:?} lists {attribute:?}, which is not one outer attribute (`#[...]`)"
                ));
            }
        }
        settings.customize.attributes.push((pattern, attributes));
    }
    if let Some(section) = table_at(table, "rename")? {
        check_keys(section, RENAME, "rename.")?;
        let renames = &mut settings.customize.renames;
        renames.operations = string_map(section, "operations")?.into_iter().collect();
        renames.types = string_map(section, "types")?.into_iter().collect();
        renames.fields = string_map(section, "fields")?.into_iter().collect();
        renames.variants = string_map(section, "variants")?.into_iter().collect();
    }
    if let Some(section) = table_at(table, "dependencies")? {
        for (name, value) in section {
            check_crate_name(name).map_err(|problem| format!("dependencies.{name}: {problem}"))?;
            settings.dependencies.push((name.clone(), value.to_string()));
        }
    }
    settings.features = list_map(table, "features")?;
    Ok(())
}

/// The table `key` of strings by name; empty when there is none.
fn string_map(table: &toml::Table, key: &str) -> Result<Vec<(String, String)>, String> {
    let Some(section) = table_at(table, key)? else { return Ok(Vec::new()) };
    section
        .iter()
        .map(|(name, value)| match value {
            toml::Value::String(text) => Ok((name.clone(), text.clone())),
            _ => Err(format!("`{key}.{name}` must be a string")),
        })
        .collect()
}

/// The table `key` of string lists by name; empty when there is none.
fn list_map(table: &toml::Table, key: &str) -> Result<Vec<(String, Vec<String>)>, String> {
    let Some(section) = table_at(table, key)? else { return Ok(Vec::new()) };
    section.keys().map(|name| Ok((name.clone(), strings_at(section, &format!("{key}."), name)?))).collect()
}

/// 64 bits of FNV-1a over the text with its line endings made `\n`, in hex: a checkout with
/// CRLF line endings has the same settings.
fn fingerprint(text: &str) -> String {
    crate::fingerprint::fingerprint(text.replace("\r\n", "\n").as_bytes())
}

fn check_keys(table: &toml::Table, known: &[&str], prefix: &str) -> Result<(), String> {
    for key in table.keys() {
        if !known.contains(&key.as_str()) {
            let hint = nearest(key, known.iter().copied())
                .map(|name| format!("; did you mean `{prefix}{name}`?"))
                .unwrap_or_else(|| format!("; the keys are {}", known.join(", ")));
            return Err(format!("unknown key `{prefix}{key}`{hint}"));
        }
    }
    Ok(())
}

fn table_at<'t>(table: &'t toml::Table, key: &str) -> Result<Option<&'t toml::Table>, String> {
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::Table(section)) => Ok(Some(section)),
        Some(_) => Err(format!("`{key}` must be a table (`[{key}]`)")),
    }
}

fn string_at(table: &toml::Table, prefix: &str, key: &str) -> Result<Option<String>, String> {
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::String(text)) => Ok(Some(text.clone())),
        Some(_) => Err(format!("`{prefix}{key}` must be a string")),
    }
}

fn bool_at(table: &toml::Table, prefix: &str, key: &str) -> Result<Option<bool>, String> {
    match table.get(key) {
        None => Ok(None),
        Some(toml::Value::Boolean(on)) => Ok(Some(*on)),
        Some(_) => Err(format!("`{prefix}{key}` must be true or false")),
    }
}

fn strings_at(table: &toml::Table, prefix: &str, key: &str) -> Result<Vec<String>, String> {
    match table.get(key) {
        None => Ok(Vec::new()),
        Some(toml::Value::Array(items)) => items
            .iter()
            .map(|item| item.as_str().map(str::to_owned).ok_or_else(|| format!("`{prefix}{key}` must list strings")))
            .collect(),
        Some(_) => Err(format!("`{prefix}{key}` must be a list of strings")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_key_is_read() {
        let settings = Settings::parse(
            r#"
[crate]
name = "sign"
version = "2.0.0"
split-crates = "never"
[formats]
date-time = "jiff"
strings = ["uuid"]
[select]
tags = ["Account"]
exclude-paths = ["/account/verify"]
[pagination.accountList]
type = "link"
"#,
            "openapi-gen.toml",
        )
        .unwrap();
        assert_eq!(settings.crate_name.as_deref(), Some("sign"));
        assert_eq!(settings.crate_version.as_deref(), Some("2.0.0"));
        assert_eq!(settings.split_crates, Some(SplitCrates::Never));
        assert_eq!(settings.formats.as_ref().unwrap().date_time, DateTimeCrate::Jiff);
        assert!(settings.formats.as_ref().unwrap().as_string.contains("uuid"));
        assert_eq!(settings.select.tags, ["Account"]);
        assert_eq!(settings.select.exclude_paths, ["/account/verify"]);
        assert_eq!(settings.pagination["accountList"], serde_json::json!({"type": "link"}));
        assert_eq!(settings.fingerprint.len(), 16);
    }

    #[test]
    fn an_unknown_key_is_named_with_the_nearest_known_one() {
        let err = Settings::parse("[select]\ntag = [\"Account\"]\n", "s.toml").unwrap_err().to_string();
        assert_eq!(err, "s.toml: settings: unknown key `select.tag`; did you mean `select.tags`?");
        let err = Settings::parse("[formatz]\n", "s.toml").unwrap_err().to_string();
        assert_eq!(err, "s.toml: settings: unknown key `formatz`; did you mean `formats`?");
        let err = Settings::parse("[crate]\nauthors = []\n", "s.toml").unwrap_err().to_string();
        assert_eq!(
            err,
            "s.toml: settings: unknown key `crate.authors`; the keys are name, version, description, license, runtime, \
             tag-features, keep-identical-types, split-crates"
        );
        let err = Settings::parse("[formats]\ndate-time = \"chrona\"\n", "s.toml").unwrap_err().to_string();
        assert!(err.contains("the choices are chrono, jiff, time and string"), "{err}");
        let err = Settings::parse("[crate]\nsplit-crates = \"sometimes\"\n", "s.toml").unwrap_err().to_string();
        assert_eq!(err, "s.toml: settings: crate.split-crates is \"sometimes\"; the choices are auto, always, never");
        assert!(Settings::parse("[select\n", "s.toml").unwrap_err().to_string().starts_with("s.toml: "));
    }

    #[test]
    fn customizations_dependencies_and_features_are_read() {
        let settings = Settings::parse(
            r##"
[replace]
Money = "rust_decimal::Decimal"
[derive]
"*" = ["Hash", "Eq"]
[attributes]
Pet = ["#[non_exhaustive]"]
[rename.operations]
listPets = "pets"
[rename.variants]
"Kind.dog" = "Hound"
[dependencies]
rust_decimal = { version = "1", features = ["serde-with-str"] }
[features]
decimal = ["dep:rust_decimal"]
"##,
            "s.toml",
        )
        .unwrap();
        let customize = &settings.customize;
        assert_eq!(customize.replacements["Money"], "rust_decimal::Decimal");
        assert_eq!(customize.derives, [("*".to_owned(), vec!["Hash".to_owned(), "Eq".to_owned()])]);
        assert_eq!(customize.attributes, [("Pet".to_owned(), vec!["#[non_exhaustive]".to_owned()])]);
        assert_eq!(customize.renames.operations["listPets"], "pets");
        assert_eq!(customize.renames.variants["Kind.dog"], "Hound");
        assert_eq!(
            settings.dependencies,
            [("rust_decimal".to_owned(), "{ version = \"1\", features = [\"serde-with-str\"] }".to_owned())]
        );
        assert_eq!(settings.features, [("decimal".to_owned(), vec!["dep:rust_decimal".to_owned()])]);
        let err = Settings::parse("[rename]\nmethods = {}\n", "s.toml").unwrap_err().to_string();
        assert!(
            err.ends_with("unknown key `rename.methods`; the keys are operations, types, fields, variants"),
            "{err}"
        );
        let err = Settings::parse("[derive]\nPet = [\"Hash +\"]\n", "s.toml").unwrap_err().to_string();
        assert!(err.contains("which is not a trait path"), "{err}");
    }

    #[test]
    fn line_endings_do_not_change_the_fingerprint() {
        assert_eq!(fingerprint("a = 1\r\nb = 2\r\n"), fingerprint("a = 1\nb = 2\n"));
        assert_ne!(fingerprint("a = 1\n"), fingerprint("a = 2\n"));
    }
}

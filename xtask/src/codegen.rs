//! Regenerating the committed client, or checking that it is current.

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use openapi_gen::write::Foreign;
use openapi_gen::{GeneratedCrate, Options};

use crate::workspace_root;

/// The document the client is generated from, relative to the workspace root.
pub const SPEC: &str = "spec/openapi.yaml";
/// The settings of our client, read when the file is there.
pub const SETTINGS: &str = "spec/openapi-gen.toml";
/// The committed client crate, relative to the workspace root.
pub const CLIENT_DIR: &str = "generated-client";
/// How many diff lines `--check` prints before it stops.
const MAX_DIFF_LINES: usize = 200;

/// Write the files, or only compare them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Regenerate, refusing to overwrite hand edits.
    Write,
    /// Regenerate over hand edits too (`--force`).
    Overwrite,
    Check,
}

pub fn options() -> Options {
    Options {
        crate_name: "dropbox-sign".to_owned(),
        crate_version: "0.1.0".to_owned(),
        source_label: SPEC.to_owned(),
        // Our spec's examples are tests of the committed client.
        example_tests: true,
        regenerate_command: "cargo xtask codegen".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: Some("../runtime".to_owned()) },
        tag_features: false,
        ..Options::default()
    }
}

/// Generates the client in memory from the spec.
pub fn generate_in_memory(root: &Path) -> Result<GeneratedCrate, String> {
    let mut options = options();
    let settings_path = root.join(SETTINGS);
    if settings_path.exists() {
        let settings = openapi_gen::settings::Settings::read(&settings_path).map_err(|err| err.to_string())?;
        settings.apply(&mut options, SETTINGS);
    }
    openapi_gen::generate(&root.join(SPEC), &options).map_err(|err| err.to_string())
}

pub fn run(mode: Mode) -> Result<(), String> {
    let root = workspace_root();
    let generated = generate_in_memory(&root)?;
    for warning in &generated.warnings {
        eprintln!("{warning}");
    }
    for note in &generated.notes {
        eprintln!("{note}");
    }
    let out = root.join(CLIENT_DIR);
    match mode {
        Mode::Write | Mode::Overwrite => {
            let foreign = if matches!(mode, Mode::Overwrite) { Foreign::Replace } else { Foreign::Refuse };
            openapi_gen::write::write_crate_with(&generated, &out, foreign)
                .map_err(|err| err.to_string().replace("--force", "`cargo xtask codegen --force`"))?;
            eprintln!("regenerated {CLIENT_DIR}/ ({} files) from {SPEC}", generated.files.len());
            Ok(())
        }
        Mode::Check => {
            let drift = drift(&generated, &out)?;
            if drift.is_empty() {
                eprintln!("{CLIENT_DIR}/ is up to date with {SPEC}");
                Ok(())
            } else {
                eprintln!("{drift}");
                Err(format!("{CLIENT_DIR}/ is stale: run `cargo xtask codegen` and commit the result"))
            }
        }
    }
}

/// A readable account of how what is on disk differs from what the spec gives: first why (the
/// description, the settings, the generator, or hand edits) and what changed in the API, with
/// what it breaks, then the text diff; empty when they agree. Line endings do not count: a
/// checkout with CRLF endings (`core.autocrlf`) has the same files.
pub fn drift(generated: &GeneratedCrate, dir: &Path) -> Result<String, String> {
    let on_disk = read_tree(dir)?;
    if generated.files == on_disk {
        return Ok(String::new());
    }
    let mut report = why(generated, &on_disk);
    report.push('\n');
    let mut lines = 0;
    let paths: std::collections::BTreeSet<&String> = generated.files.keys().chain(on_disk.keys()).collect();
    // The summary's own diff says again what the report above says.
    for path in paths.into_iter().filter(|path| path.as_str() != openapi_gen::diff::SUMMARY_FILE) {
        let (expected, actual) = (generated.files.get(path), on_disk.get(path));
        let diff = match (expected, actual) {
            (Some(expected), Some(actual)) if expected == actual => continue,
            (Some(_), None) => format!("missing file (the generator makes it): {CLIENT_DIR}/{path}\n"),
            (None, Some(_)) => format!("extra file (the generator does not make it): {CLIENT_DIR}/{path}\n"),
            (Some(expected), Some(actual)) => similar::TextDiff::from_lines(actual, expected)
                .unified_diff()
                .context_radius(2)
                .header(&format!("committed/{path}"), &format!("generated/{path}"))
                .to_string(),
            (None, None) => continue,
        };
        for line in diff.lines() {
            if lines == MAX_DIFF_LINES {
                report.push_str("... (diff cut here)\n");
            }
            if lines < MAX_DIFF_LINES {
                report.push_str(line);
                report.push('\n');
            }
            lines += 1;
        }
    }
    Ok(report)
}

/// Why the committed client differs, and what changed in its API, from the summaries the
/// generator records in the crate.
fn why(generated: &GeneratedCrate, on_disk: &BTreeMap<String, String>) -> String {
    use openapi_gen::diff::{SUMMARY_FILE, Summary, summary::output_matches};
    let Some(new) = &generated.summary else { return String::new() };
    let Some(old) = on_disk.get(SUMMARY_FILE).and_then(|text| Summary::from_file_text(text).ok()) else {
        return format!(
            "{CLIENT_DIR}/{SUMMARY_FILE} is missing or unreadable (a generator before the API summary made the \
             crate), so the API changes cannot be listed.\n"
        );
    };
    let mut causes = Vec::new();
    if old.description != new.description {
        causes.push(format!("the description changed ({SPEC})"));
    }
    if old.settings != new.settings {
        causes.push(format!("the settings changed ({SETTINGS})"));
    }
    let edited = !output_matches(on_disk, &old.output);
    if edited {
        causes.push(format!("files of {CLIENT_DIR}/ were edited by hand: they are not what the generator wrote"));
    }
    if old.description == new.description && old.settings == new.settings && !edited {
        let versions = if old.generator == new.generator {
            format!("{} then and now", new.generator)
        } else {
            format!("{} then, {} now", old.generator, new.generator)
        };
        causes.push(format!("the generator changed ({versions}): the same description and settings give other code"));
    }
    let changes = openapi_gen::diff::compare(&old, new);
    let mut report = format!("{CLIENT_DIR}/ is not what {SPEC} gives, because {}.\n", causes.join("; "));
    report.push_str(&openapi_gen::diff::report::render(&changes, openapi_gen::diff::report::Format::Text, 50));
    report
}

/// Every file under `dir`, by path relative to it, with `/` separators and line endings made
/// `\n`.
fn read_tree(dir: &Path) -> Result<BTreeMap<String, String>, String> {
    let mut files = BTreeMap::new();
    if !dir.exists() {
        return Ok(files);
    }
    let mut pending = vec![dir.to_path_buf()];
    while let Some(current) = pending.pop() {
        let entries = fs::read_dir(&current).map_err(|err| format!("cannot list {}: {err}", current.display()))?;
        for entry in entries {
            let path = entry.map_err(|err| err.to_string())?.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                let relative = path.strip_prefix(dir).map_err(|err| err.to_string())?;
                let key = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
                let contents = fs::read(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
                files.insert(key, String::from_utf8_lossy(&contents).replace("\r\n", "\n"));
            }
        }
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain `cargo test` fails when the committed client is not what the spec gives.
    #[test]
    fn committed_client_is_current() {
        let root = workspace_root();
        let generated = generate_in_memory(&root).expect("the spec generates");
        let drift = drift(&generated, &root.join(CLIENT_DIR)).expect("the client directory is readable");
        assert!(drift.is_empty(), "{CLIENT_DIR}/ is stale; run `cargo xtask codegen`:\n{drift}");
    }

    /// The `--check` flow on a copy of our spec: the committed client is written, then the spec
    /// loses a field, is edited by hand, or the output changes with neither.
    #[test]
    fn drift_says_why_and_what_changed_in_the_api_before_the_diff() {
        let root = workspace_root();
        let dir = std::env::temp_dir().join(format!("xtask-why-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        let committed = generate_in_memory(&root).unwrap();
        openapi_gen::write::write_crate(&committed, &dir).unwrap();
        // A checkout with CRLF line endings has the same client.
        for (path, text) in &committed.files {
            fs::write(dir.join(path), text.replace('\n', "\r\n")).unwrap();
        }
        assert_eq!(drift(&committed, &dir).unwrap(), "");

        let spec = fs::read_to_string(root.join(SPEC)).unwrap();
        let field = "        is_locked:\n          type: boolean\n          description: Returns `true` if the user has been locked out of their account by a team admin.\n";
        assert_eq!(spec.matches(field).count(), 1, "the field the test removes");
        let copy = dir.with_extension("without-is-locked.yaml");
        fs::write(&copy, spec.replace(field, "")).unwrap();
        let regenerated = openapi_gen::generate(&copy, &options()).unwrap();
        let report = drift(&regenerated, &dir).unwrap();
        let (why, diff) = report.split_once("\n--- ").expect("the text diff follows");
        assert_eq!(
            why.lines().take(4).collect::<Vec<_>>(),
            [
                "generated-client/ is not what spec/openapi.yaml gives, because the description changed (spec/openapi.yaml).",
                "1 change to the API: 0 breaking on the wire, 1 that may break, 0 compatible, 0 not on the wire; the Rust \
                 API needs a major version (code that uses it may not compile)",
                "  may break   major  field-removed: `AccountResponse.is_locked` was removed (received)",
                "              models::AccountResponse::is_locked at #/components/schemas/AccountResponse/properties/is_locked",
            ],
            "{report}"
        );
        assert!(diff.contains("-        \"is_locked\" optional => pub is_locked: Option<bool>,"), "{diff}");

        // A hand edit, and a change of the output with the same description and settings.
        let models = dir.join("src/models.rs");
        let edited = fs::read_to_string(&models).unwrap().replacen("pub struct", "pub  struct", 1);
        fs::write(&models, edited).unwrap();
        assert!(drift(&committed, &dir).unwrap().contains("were edited by hand"));
        let refused = openapi_gen::write::write_crate(&committed, &dir).unwrap_err().to_string();
        assert!(refused.contains("was edited since openapi-gen wrote it"), "{refused}");
        openapi_gen::write::write_crate_with(&committed, &dir, Foreign::Replace).unwrap();
        let other_output =
            openapi_gen::generate(&root.join(SPEC), &Options { crate_version: "0.2.0".to_owned(), ..options() })
                .unwrap();
        let report = drift(&other_output, &dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        fs::remove_file(&copy).unwrap();
        assert!(report.contains("because the generator changed"), "{report}");
        assert!(report.contains("no change to the API"), "{report}");
    }

    /// A patch file that the settings name is part of the settings: changing only its text
    /// changes the settings' fingerprint, and the drift report blames the settings.
    #[test]
    fn a_changed_patch_file_is_a_change_of_the_settings() {
        let root = workspace_root();
        let dir = tempfile::tempdir().unwrap();
        let patch = dir.path().join("hide-account-create.json");
        let settings_path = dir.path().join("openapi-gen.toml");
        fs::write(&settings_path, format!("[[patches]]\nfile = {:?}\n", patch.display().to_string())).unwrap();
        let generate_with_patch = |operations: &str| {
            fs::write(&patch, format!(r#"[{{"op": "remove", "path": "/paths/{operations}"}}]"#)).unwrap();
            let settings = openapi_gen::settings::Settings::read(&settings_path).unwrap();
            let mut options = options();
            settings.apply(&mut options, SETTINGS);
            openapi_gen::generate(&root.join(SPEC), &options).unwrap()
        };
        let committed = generate_with_patch("~1account~1create");
        let client = dir.path().join("client");
        openapi_gen::write::write_crate(&committed, &client).unwrap();
        assert_eq!(drift(&committed, &client).unwrap(), "");
        let settings_of = |generated: &GeneratedCrate| generated.summary.as_ref().unwrap().settings.clone();

        let regenerated = generate_with_patch("~1account~1verify");
        assert_ne!(settings_of(&regenerated), settings_of(&committed), "only the patch file changed");
        let report = drift(&regenerated, &client).unwrap();
        let why = report.lines().next().unwrap();
        assert!(why.contains("because") && why.contains("the settings changed (spec/openapi-gen.toml)"), "{report}");
    }

    #[test]
    fn drift_names_changed_added_and_deleted_files() {
        let dir = std::env::temp_dir().join(format!("xtask-drift-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(dir.join("src")).unwrap();
        fs::write(dir.join("src/lib.rs"), "old\n").unwrap();
        fs::write(dir.join("src/stray.rs"), "stray\n").unwrap();
        let mut generated = GeneratedCrate::default();
        generated.files.insert("src/lib.rs".to_owned(), "new\n".to_owned());
        generated.files.insert("Cargo.toml".to_owned(), "[package]\n".to_owned());
        let report = drift(&generated, &dir).unwrap();
        fs::remove_dir_all(&dir).unwrap();
        assert!(report.contains("-old") && report.contains("+new"), "{report}");
        assert!(report.contains("missing file (the generator makes it): generated-client/Cargo.toml"), "{report}");
        assert!(
            report.contains("extra file (the generator does not make it): generated-client/src/stray.rs"),
            "{report}"
        );
    }
}

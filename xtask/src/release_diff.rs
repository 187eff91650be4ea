//! The API report on releases of a real description from the npm registry, GitHub's
//! (`@octokit/openapi`), compared with snapshots that were checked by hand:
//!
//! - 23.0.0 → 23.0.1, whole: 23.0.1 drops the request body (no schema, only examples) that
//!   23.0.0 wrongly gave `GET /repos/{owner}/{repo}/contents/{path}`, the one change besides the
//!   version (checked with a JSON diff of the two files);
//! - 22.0.0 → 23.0.0, a major release: the headline, the count of each class of change, and
//!   every change that breaks callers on the wire (spot-checked against the two files).
//!
//! `UPDATE_SNAPSHOTS=1 cargo xtask corpus` rewrites them.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapi_gen::diff::{Changes, Wire, compare, report};

use crate::tools;
use crate::workspace_root;

const PACKAGE: &str = "@octokit/openapi";
const SNAPSHOTS: &str = "tests/release-reports";

pub fn run() -> Result<(), String> {
    let root = workspace_root();
    let dir = root.join("target").join("corpus");
    let spec = |version: &str| -> Result<PathBuf, String> {
        let prefix = dir.join(format!("octokit-{version}"));
        let file = prefix.join("node_modules/@octokit/openapi/generated/api.github.com.json");
        tools::npm_install(&prefix, &format!("{PACKAGE}@{version}"), &file)?;
        Ok(file)
    };
    let (v22, v23, v23_1) = (spec("22.0.0")?, spec("23.0.0")?, spec("23.0.1")?);
    let patch_release = changes(&v23, &v23_1)?;
    check(
        &root,
        "octokit-openapi-23.0.0-to-23.0.1.txt",
        &report::render(&patch_release, report::Format::Text, usize::MAX),
    )?;
    let major_release = changes(&v22, &v23)?;
    check(&root, "octokit-openapi-22.0.0-to-23.0.0.txt", &major_summary(&major_release))?;
    eprintln!("{PACKAGE} 23.0.0 → 23.0.1: {}", report::headline(&patch_release));
    eprintln!("{PACKAGE} 22.0.0 → 23.0.0: {}", report::headline(&major_release));
    Ok(())
}

fn changes(old: &Path, new: &Path) -> Result<Changes, String> {
    let options = openapi_gen::Options::default();
    let summarize = |path: &Path| openapi_gen::diff::summarize_file(path, &options).map_err(|err| err.to_string());
    Ok(compare(&summarize(old)?, &summarize(new)?))
}

/// The headline, the count of each class, and the changes that break callers on the wire.
fn major_summary(changes: &Changes) -> String {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for change in &changes.changes {
        *counts.entry(change.class.as_str()).or_default() += 1;
    }
    let mut text = format!("{}\n\nBy class:\n", report::headline(changes));
    for (class, count) in &counts {
        text.push_str(&format!("  {count:>5}  {class}\n"));
    }
    let breaking = Changes { changes: changes.changes.iter().filter(|c| c.wire == Wire::Breaking).cloned().collect() };
    text.push_str("\nBreaking on the wire:\n");
    text.push_str(&report::render(&breaking, report::Format::Text, usize::MAX));
    text
}

/// Compares `text` with the snapshot `name`, or writes it with `UPDATE_SNAPSHOTS=1`.
fn check(root: &Path, name: &str, text: &str) -> Result<(), String> {
    let path = root.join(SNAPSHOTS).join(name);
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        return std::fs::write(&path, text).map_err(|err| format!("cannot write {}: {err}", path.display()));
    }
    let kept = std::fs::read_to_string(&path).map_err(|err| format!("cannot read {}: {err}", path.display()))?;
    if kept.replace("\r\n", "\n") == text {
        return Ok(());
    }
    let diff = similar::TextDiff::from_lines(kept.as_str(), text).unified_diff().context_radius(2).to_string();
    Err(format!("the report differs from {}:\n{diff}", path.display()))
}

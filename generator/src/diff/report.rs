//! The changes as text (a terminal, `codegen --check`), Markdown (a pull-request comment) and
//! JSON (tools), and the exit code that lets CI gate on breaking changes only.

use super::change::{Semver, Wire};
use super::compare::Changes;

/// The output formats of `openapi-gen diff`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Plain text.
    Text,
    /// A Markdown table.
    Markdown,
    /// JSON.
    Json,
}

impl Format {
    /// `text`, `markdown` or `json`.
    pub fn from_name(name: &str) -> Option<Format> {
        match name {
            "text" => Some(Format::Text),
            "markdown" | "md" => Some(Format::Markdown),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// The exit code of `openapi-gen diff`: 0 when nothing changed, 2 when nothing breaks (neither
/// callers on the wire nor code that uses the crate), 3 when something does; 1 is left to errors.
pub fn exit_code(changes: &Changes) -> u8 {
    if changes.changes.is_empty() {
        0
    } else if changes.is_breaking() {
        3
    } else {
        2
    }
}

/// One line that says how much changed and what it needs.
pub fn headline(changes: &Changes) -> String {
    if changes.changes.is_empty() {
        return "no change to the API".to_owned();
    }
    let count = |wire: Wire| changes.changes.iter().filter(|c| c.wire == wire).count();
    let semver = match changes.semver() {
        Some(Semver::Major) => "a major version (code that uses it may not compile)",
        Some(Semver::Minor) => "a minor version (additions)",
        _ => "a patch version (docs)",
    };
    format!(
        "{} change{} to the API: {} breaking on the wire, {} that may break, {} compatible, {} not on the wire; \
         the Rust API needs {semver}",
        changes.changes.len(),
        if changes.changes.len() == 1 { "" } else { "s" },
        count(Wire::Breaking),
        count(Wire::Warning),
        count(Wire::Compatible),
        count(Wire::None),
    )
}

fn wire_word(wire: Wire) -> &'static str {
    match wire {
        Wire::Breaking => "breaking",
        Wire::Warning => "may break",
        Wire::Compatible => "compatible",
        Wire::None => "not on wire",
    }
}

fn semver_word(semver: Semver) -> &'static str {
    match semver {
        Semver::Major => "major",
        Semver::Minor => "minor",
        Semver::Patch => "patch",
    }
}

/// The report in `format`, with at most `limit` changes listed (the count says how many more).
pub fn render(changes: &Changes, format: Format, limit: usize) -> String {
    match format {
        Format::Text => text(changes, limit),
        Format::Markdown => markdown(changes, limit),
        Format::Json => {
            serde_json::to_string_pretty(&serde_json::json!({
                "wire": changes.wire(),
                "semver": changes.semver(),
                "breaking": changes.is_breaking(),
                "changes": changes.changes,
            }))
            .unwrap_or_default()
                + "\n"
        }
    }
}

fn text(changes: &Changes, limit: usize) -> String {
    let mut out = format!("{}\n", headline(changes));
    for change in changes.changes.iter().take(limit) {
        out.push_str(&format!(
            "  {:<11} {:<5}  {}: {}\n              {} at {}\n",
            wire_word(change.wire),
            semver_word(change.semver),
            change.class,
            change.message,
            change.rust_item,
            change.pointer
        ));
        if let Some(note) = &change.note {
            out.push_str(&format!("              ({note})\n"));
        }
    }
    more(changes, limit, &mut out);
    out
}

fn markdown(changes: &Changes, limit: usize) -> String {
    let mut out = format!("**{}**\n\n", headline(changes));
    if changes.changes.is_empty() {
        return out;
    }
    out.push_str("| wire | Rust | change | Rust item | where |\n| --- | --- | --- | --- | --- |\n");
    for change in changes.changes.iter().take(limit) {
        let note = change.note.as_ref().map(|note| format!(" ({note})")).unwrap_or_default();
        out.push_str(&format!(
            "| {} | {} | {}{} | `{}` | `{}` |\n",
            wire_word(change.wire),
            semver_word(change.semver),
            cell(&change.message),
            cell(&note),
            change.rust_item,
            change.pointer
        ));
    }
    more(changes, limit, &mut out);
    out
}

/// Text for a table cell: a `|` would end it.
fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn more(changes: &Changes, limit: usize, out: &mut String) {
    if changes.changes.len() > limit {
        out.push_str(&format!("... and {} more\n", changes.changes.len() - limit));
    }
}

//! Descriptions to doc attributes that rustdoc renders and never runs.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for `text`; nothing when there is no text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #[doc = #lines] )* }
}

/// The text of each `#[doc]` line for `text` (a space after the `///` when the line has text).
pub fn doc_lines(text: Option<&str>) -> Vec<String> {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return Vec::new();
    };
    sanitize(text).into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") }).collect()
}

/// Joins paragraphs that are present, with a blank line between them.
pub fn paragraphs<'a>(parts: impl IntoIterator<Item = Option<&'a str>>) -> Option<String> {
    let joined: Vec<&str> = parts.into_iter().flatten().map(str::trim).filter(|p| !p.is_empty()).collect();
    if joined.is_empty() { None } else { Some(joined.join("\n\n")) }
}

/// Markdown from a spec is not Rust: fenced blocks become `text` blocks and deep indentation is
/// cut back, so rustdoc never compiles a description as a doctest.
fn sanitize(text: &str) -> Vec<String> {
    let mut in_fence = false;
    // A carriage return alone ends a line too (rustc refuses a bare CR in a doc comment).
    let text: std::borrow::Cow<'_, str> =
        if text.contains('\r') { text.replace("\r\n", "\n").replace('\r', "\n").into() } else { text.into() };
    let mut lines: Vec<String> = text
        .lines()
        // Tabs render at a width of rustdoc's choosing (and `clippy::tabs_in_doc_comments`
        // refuses them): four spaces, as clippy suggests.
        .map(|line| if line.contains('\t') { line.replace('\t', "    ") } else { line.to_owned() })
        .map(|line| {
            let line = line.as_str();
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                let fence = &trimmed[..3];
                let opening = !in_fence;
                in_fence = !in_fence;
                if opening { format!("{fence}text") } else { fence.to_owned() }
            } else if in_fence {
                line.trim_end().to_owned()
            } else {
                let indent = line.len() - trimmed.len();
                format!("{}{}", " ".repeat(indent.min(3)), trimmed.trim_end())
            }
        })
        .collect();
    if in_fence {
        lines.push("```".to_owned());
    }
    indent_lazy_continuations(&mut lines);
    lines
}

/// A line right after a list item or a quote line, without a blank line between, continues that
/// item or quote in Markdown ("lazy continuation"); it is indented (or quoted) to say so, which
/// renders the same and is what `clippy::doc_lazy_continuation` asks for. A continuation
/// indented past the item's text is brought back to it (the paragraph ignores the extra spaces,
/// and `clippy::doc_overindented_list_items` refuses them).
fn indent_lazy_continuations(lines: &mut [String]) {
    // The column a continuation of the current list item starts at, or that a quote goes on.
    enum Context {
        None,
        ListItem(usize),
        Quote,
    }
    let mut context = Context::None;
    let mut in_fence = false;
    for line in lines.iter_mut() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            in_fence = !in_fence;
            context = Context::None;
            continue;
        }
        if in_fence || trimmed.is_empty() {
            context = Context::None;
            continue;
        }
        if let Some(marker) = list_marker_width(trimmed) {
            context = Context::ListItem(indent + marker);
            continue;
        }
        if trimmed.starts_with('>') {
            context = Context::Quote;
            continue;
        }
        match context {
            Context::ListItem(column) if indent != column => *line = format!("{}{trimmed}", " ".repeat(column)),
            Context::Quote => *line = format!("> {trimmed}"),
            _ => {}
        }
    }
}

/// The width of the list marker `text` starts with (`- `, `*   `, `+ `, `1. `, `2) `) with the
/// spaces after it, which is where the item's text starts; `None` when it is not a list item.
fn list_marker_width(text: &str) -> Option<usize> {
    let bullet = text.starts_with(['-', '*', '+']).then_some(1);
    let ordered = || {
        let digits = text.bytes().take_while(u8::is_ascii_digit).count();
        (digits > 0 && digits < 10 && text[digits..].starts_with(['.', ')'])).then_some(digits + 1)
    };
    let marker = bullet.or_else(ordered)?;
    let spaces = text[marker..].bytes().take_while(|&b| b == b' ').count();
    // Five or more spaces start an indented code block inside the item: its text starts after one.
    match spaces {
        0 => None,
        1..=4 => Some(marker + spaces),
        _ => Some(marker + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn lazy_continuations_of_lists_and_quotes_are_indented() {
        let lines =
            sanitize("Roles:\n- `reader`: reads\nNote: users cannot write.\n\nAfter.\n10. ten\nmore\n> quoted\nstill");
        assert_eq!(
            lines,
            [
                "Roles:",
                "- `reader`: reads",
                "  Note: users cannot write.",
                "",
                "After.",
                "10. ten",
                "    more",
                "> quoted",
                "> still"
            ]
        );
        assert_eq!(sanitize("*   wide item\nits continuation"), ["*   wide item", "    its continuation"]);
        assert_eq!(sanitize("**Bold** start\nnext"), ["**Bold** start", "next"]);
        assert_eq!(sanitize("one\rtwo\r\nthree"), ["one", "two", "three"], "a bare CR ends a line");
        // Past the item's text: brought back to it (rubrikinc.github.io's description).
        assert_eq!(
            sanitize(" * Used by:\n     `GET /v1/fileset`,\n   `GET /v1/fileset/{id}`."),
            [" * Used by:", "   `GET /v1/fileset`,", "   `GET /v1/fileset/{id}`."]
        );
    }

    #[test]
    fn tabs_become_spaces() {
        assert_eq!(sanitize("| a\t| b |\n```\n\tcode\n```"), ["| a    | b |", "```text", "    code", "```"]);
    }

    #[test]
    fn code_in_descriptions_never_becomes_a_doctest() {
        let lines = sanitize("Example:\n\n```\ncurl -X POST\n```\n\n        indented code\n```json\n{}");
        assert_eq!(
            lines,
            ["Example:", "", "```text", "curl -X POST", "```", "", "   indented code", "```text", "{}", "```"]
        );
    }
}

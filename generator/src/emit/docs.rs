//! Descriptions to doc attributes that rustdoc renders and never runs.

use proc_macro2::TokenStream;
use quote::quote;

/// `#[doc = "..."]` lines for `text`; nothing when there is no text.
pub fn doc_attrs(text: Option<&str>) -> TokenStream {
    let Some(text) = text.map(str::trim).filter(|t| !t.is_empty()) else {
        return TokenStream::new();
    };
    let lines = sanitize(text).into_iter().map(|line| if line.is_empty() { line } else { format!(" {line}") });
    quote! { #( #[doc = #lines] )* }
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
    let mut lines: Vec<String> = text
        .lines()
        .map(|line| {
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
    lines
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn code_in_descriptions_never_becomes_a_doctest() {
        let lines = sanitize("Example:\n\n```\ncurl -X POST\n```\n\n        indented code\n```json\n{}");
        assert_eq!(
            lines,
            ["Example:", "", "```text", "curl -X POST", "```", "", "   indented code", "```text", "{}", "```"]
        );
    }
}

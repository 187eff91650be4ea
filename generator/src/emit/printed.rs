//! The model items a big client has thousands of (type aliases and string enums; structs are
//! `object_serde!` calls, see `object.rs`), and the pieces of text the other text paths share,
//! written straight to text, exactly as prettyplease lays out their syntax trees. Building those
//! trees, and parsing the tokens of the rest, then printing them was most of the emit stage (a
//! fifth of `generate`'s CPU time for GitHub's description); the text is the same, byte for byte.
//!
//! The layout follows prettyplease's rules for these shapes: a line longer than its margin is
//! broken at the argument list or the outermost generic arguments (an argument a line, each
//! broken in turn). What is not written here is left to the syntax tree path (these functions
//! return `None`): unions, the settings' derives and attributes, feature gates, wire names with
//! quotes, backslashes or non-ASCII text. Tests print the construct specs' types, and types made
//! to sit at each limit, both ways.

use std::fmt::Write as _;

use super::docs::doc_lines;
use crate::ir::{Api, StringEnum, TypeDef, TypeKind, TypeRef};

/// prettyplease's margin: a line longer than this is broken where it can be (generic arguments,
/// argument lists, before `for` in an `impl`), and one at most this long is not.
pub(super) const MARGIN: usize = 89;

/// The text of a model type's items, when its shape is one written here (a struct is written by
/// `object.rs`, whatever its shape).
pub fn type_text(api: &Api, def: &TypeDef) -> Option<String> {
    if !def.derives.is_empty() || !def.attributes.is_empty() {
        return None;
    }
    let docs = doc_lines(def.description.as_deref());
    let mut out = String::new();
    match &def.kind {
        TypeKind::Enum(string_enum) => enum_text(&mut out, &def.name, docs, string_enum)?,
        TypeKind::Alias(ty) => {
            let docs =
                if def.description.is_some() { docs } else { default_docs(&format!("The `{}` schema.", def.name)) };
            doc_comments(&mut out, "", &docs)?;
            typed_line(&mut out, "", &format!("pub type {} = ", def.name), &plain_type(api, ty)?, ";")?;
        }
        TypeKind::Struct(_) | TypeKind::Union(_) => return None,
    }
    Some(out)
}

/// The doc lines of a type without a description.
fn default_docs(text: &str) -> Vec<String> {
    doc_lines(Some(text))
}

/// Where a line may be broken.
#[derive(Clone, Copy, PartialEq)]
pub(super) enum Breaks {
    /// Inside its generic arguments or parentheses, if it has any.
    AtBrackets,
    /// Somewhere, whatever it holds.
    Somewhere,
}

/// `line` and a newline, when prettyplease would not break it: it fits, or has nowhere to break.
pub(super) fn line_that_fits(out: &mut String, line: String, breaks: Breaks) -> Option<()> {
    if line.len() > MARGIN && (breaks == Breaks::Somewhere || line.contains(['<', '('])) {
        return None;
    }
    out.push_str(&line);
    out.push('\n');
    Some(())
}

/// `{indent}{prefix}{ty}{suffix}` and a newline, where `ty` (a [`plain_type`]) is broken as
/// prettyplease breaks it when the line is too long: after its outermost `<`, an argument a line
/// (each broken the same way in turn), then `>` back at the line's indent.
pub(super) fn typed_line(out: &mut String, indent: &str, prefix: &str, ty: &str, suffix: &str) -> Option<()> {
    typed_line_within(out, indent, prefix, ty, suffix, suffix.len())
}

/// [`typed_line`], where only `counted` columns of `suffix` count against the margin: the last
/// generic argument's `,` is printed only because the line broke, and prettyplease does not
/// count it when it decides whether the argument fits (the others' commas it counts).
pub(super) fn typed_line_within(
    out: &mut String,
    indent: &str,
    prefix: &str,
    ty: &str,
    suffix: &str,
    counted: usize,
) -> Option<()> {
    if indent.len() + prefix.len() + ty.len() + counted <= MARGIN {
        writeln!(out, "{indent}{prefix}{ty}{suffix}").ok()?;
        return Some(());
    }
    let Some(open) = ty.find('<') else {
        // Nowhere to break: prettyplease leaves it long too.
        writeln!(out, "{indent}{prefix}{ty}{suffix}").ok()?;
        return Some(());
    };
    let arguments = ty[open + 1..].strip_suffix('>')?;
    writeln!(out, "{indent}{prefix}{}<", &ty[..open]).ok()?;
    let inner = format!("{indent}    ");
    let arguments = top_level_arguments(arguments)?;
    for (at, argument) in arguments.iter().enumerate() {
        // The comma after the last argument is printed only because the line broke.
        let counted = usize::from(at + 1 < arguments.len());
        typed_line_within(out, &inner, "", argument, ",", counted)?;
    }
    writeln!(out, "{indent}>{suffix}").ok()?;
    Some(())
}

/// A function's signature and the `{` of its body: `{indent}{head}(a, b) -> {ret} {` on one line
/// when it fits; else an argument a line, and the return type broken in turn if its line is
/// still too long (prettyplease breaks the leftmost place first).
pub(super) fn signature_text(
    out: &mut String,
    indent: &str,
    head: &str,
    arguments: &[String],
    ret: &str,
) -> Option<()> {
    let one_line = format!("{indent}{head}({}) -> {ret} {{", arguments.join(", "));
    if one_line.len() <= MARGIN {
        out.push_str(&one_line);
        out.push('\n');
        return Some(());
    }
    writeln!(out, "{indent}{head}(").ok()?;
    for argument in arguments {
        line_that_fits(out, format!("{indent}    {argument},"), Breaks::AtBrackets)?;
    }
    typed_line(out, indent, ") -> ", ret, " {")
}

/// The generic arguments of `arguments` (the text between a type's outermost `<` and `>`), split
/// at the `, ` outside nested ones; `None` when the brackets do not pair.
fn top_level_arguments(arguments: &str) -> Option<Vec<&str>> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (at, c) in arguments.char_indices() {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                parts.push(&arguments[start..at]);
                start = at + ", ".len();
            }
            _ => {}
        }
    }
    (depth == 0).then_some(())?;
    parts.push(&arguments[start..]);
    Some(parts)
}

/// `///` lines, as prettyplease prints `#[doc = "..."]` (trailing spaces trimmed); a line that it
/// would print otherwise (one that starts with `/`) is not written here.
pub(super) fn doc_comments(out: &mut String, indent: &str, lines: &[String]) -> Option<()> {
    for line in lines {
        if line.starts_with('/') || line.contains('\n') {
            return None;
        }
        out.push_str(indent);
        out.push_str("///");
        out.push_str(line.trim_end_matches(' '));
        out.push('\n');
    }
    Some(())
}

/// `ty` as Rust text, when prettyplease prints it the same: names, paths and generic arguments
/// separated by `, ` (a type from the settings may be spelled otherwise).
pub(super) fn plain_type(api: &Api, ty: &TypeRef) -> Option<String> {
    plain_text(ty.rust(&api.types).to_string())
}

/// `text`, a type's Rust text, when prettyplease prints its tokens the same (see [`plain_type`]).
pub(super) fn plain_text(text: String) -> Option<String> {
    let plain = text.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | ':' | '<' | '>' | ',' | ' '))
        && text.match_indices(' ').all(|(at, _)| at > 0 && text.as_bytes()[at - 1] == b',')
        && text.match_indices(',').all(|(at, _)| text.as_bytes().get(at + 1) == Some(&b' '));
    plain.then_some(text)
}

/// A string literal as the token prints (`proc_macro2`'s escapes), when the runtime macros'
/// layout leaves it alone: printable ASCII without quotes or backslashes.
pub(super) fn plain_literal(text: &str) -> Option<String> {
    text.chars().all(|c| (' '..='~').contains(&c) && c != '"' && c != '\\').then(|| format!("\"{text}\""))
}

/// A string enum (see `models::enum_def`): one `string_enum!` call that declares it, each value
/// once.
fn enum_text(out: &mut String, name: &str, docs: Vec<String>, string_enum: &StringEnum) -> Option<()> {
    let docs = if docs.is_empty() { default_docs(&format!("The values of `{name}`.")) } else { docs };
    out.push_str("crate::runtime::string_enum! {\n");
    doc_comments(out, "    ", &docs)?;
    let default = if string_enum.default_variant.is_some() { ", Default" } else { "" };
    writeln!(out, "    #[derive(Debug, Clone{default})]\n    #[non_exhaustive]").ok()?;
    if string_enum.variants.is_empty() {
        writeln!(out, "    pub enum {name} {{}}").ok()?;
    } else {
        writeln!(out, "    pub enum {name} {{").ok()?;
        for variant in &string_enum.variants {
            if string_enum.default_variant.as_ref() == Some(&variant.name) {
                out.push_str("        #[default]\n");
            }
            writeln!(out, "        {} => {},", plain_literal(&variant.wire_value)?, variant.name).ok()?;
        }
        out.push_str("    }\n");
    }
    writeln!(out, "    unknown {}\n}}", string_enum.unknown_variant).ok()?;
    Some(())
}

/// The construct specs and our own description, each with its path: what the tests of the text
/// paths print both ways.
#[cfg(test)]
pub(super) fn construct_specs() -> Vec<(String, String)> {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut paths: Vec<_> = std::fs::read_dir(root.join("tests/specs"))
        .expect("the construct specs")
        .map(|entry| entry.expect("an entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "yaml" || ext == "json"))
        .collect();
    paths.push(root.join("spec/openapi.yaml"));
    paths.iter().map(|path| (path.display().to_string(), std::fs::read_to_string(path).expect("the spec"))).collect()
}

/// The API of the description `yaml` (named `source`), for the tests of the text paths; `None`
/// for one the generator refuses (some construct specs are refused on purpose).
#[cfg(test)]
pub(super) fn api_of(yaml: &str, source: &str) -> Option<Api> {
    let document = crate::load::load_str(yaml, source).expect("the description loads");
    crate::ir::build(&document).ok().map(|(api, _)| api)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::models::{lay_out_runtime_macros, type_def};
    use crate::emit::syntax::FileSyntax;

    /// What prettyplease prints for the type's syntax tree, laid out as `models.rs` is.
    fn through_prettyplease(api: &Api, def: &TypeDef) -> String {
        let mut syntax = FileSyntax::default();
        syntax.extend(type_def(api, def).expect("the type's syntax"));
        syntax.print(|text| lay_out_runtime_macros(&text)).expect("the type prints")
    }

    /// Every type of `yaml` written here is written as prettyplease prints it; the names of
    /// those that were. Structs and string enums are calls of the runtime's macros
    /// (`object_serde!`, `string_enum!`) that declare them, whose bodies prettyplease leaves as
    /// they are (see `object.rs`).
    fn prints_as_prettyplease(yaml: &str, source: &str) -> Vec<String> {
        let Some(api) = api_of(yaml, source) else { return Vec::new() };
        let mut printed = Vec::new();
        for def in api.types.iter().filter(|def| !matches!(def.kind, TypeKind::Struct(_) | TypeKind::Enum(_))) {
            if let Some(text) = type_text(&api, def) {
                assert_eq!(text, through_prettyplease(&api, def), "{source}: {}", def.name);
                printed.push(def.name.clone());
            }
        }
        printed
    }

    /// A string enum is one `string_enum!` call that lists each value once, its default marked.
    #[test]
    fn a_string_enum_is_declared_in_its_macro_call_each_value_once() {
        let yaml = "openapi: 3.0.3\ninfo: {title: E, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    \
                    Status: {type: string, description: A pet's status., enum: [available, sold], default: sold}\n";
        let api = api_of(yaml, "enum").expect("the API");
        let status = api.types.iter().find(|def| def.name == "Status").expect("the enum");
        let expected = "crate::runtime::string_enum! {
    /// A pet's status.
    #[derive(Debug, Clone, Default)]
    #[non_exhaustive]
    pub enum Status {
        \"available\" => Available,
        #[default]
        \"sold\" => Sold,
    }
    unknown Unknown
}
";
        assert_eq!(type_text(&api, status).expect("written as text"), expected);
    }

    /// The construct specs and our own description: every type written here prints as its
    /// syntax tree does.
    #[test]
    fn the_construct_specs_types_print_as_prettyplease_prints_them() {
        let printed: usize =
            construct_specs().iter().map(|(path, text)| prints_as_prettyplease(text, path).len()).sum();
        assert!(printed > 20, "only {printed} types were written as text");
    }

    /// Lines around prettyplease's margin: aliases whose names, or whose enums' names, grow a
    /// column at a time, and generic arguments that cross the margin at each depth.
    #[test]
    fn layouts_at_prettypleases_limits_are_the_same() {
        let mut yaml =
            String::from("openapi: 3.0.3\ninfo: {title: Limits, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
        yaml.push_str("    Colour: {type: string, enum: [red, green]}\n");
        let wide = format!("Colour{}", "Wide".repeat(15));
        yaml.push_str(&format!("    {wide}: {{type: string, enum: [red, green]}}\n"));
        let wide_ref = format!("{{$ref: '#/components/schemas/{wide}'}}");
        // Names from 60 to 119 columns: nested generic arguments cross the margin one by one.
        let growing = |n: usize| format!("Growing{}", "g".repeat(52 + n));
        for n in 1..60 {
            let long = "x".repeat(n);
            yaml.push_str(&format!("    A{long}: {{type: array, items: {{$ref: '#/components/schemas/Colour'}}}}\n"));
            yaml.push_str(&format!("    B{long}{long}: {{type: array, items: {wide_ref}}}\n"));
            // Nested generic arguments crossing the margin at each depth.
            yaml.push_str(&format!("    W{long}: {{type: array, items: {{type: array, items: {wide_ref}}}}}\n"));
            let grown = growing(n);
            yaml.push_str(&format!("    {grown}: {{type: string, enum: [red, green]}}\n"));
            yaml.push_str(&format!(
                "    V{n}: {{type: array, items: {{type: array, items: {{$ref: '#/components/schemas/{grown}'}}}}}}\n"
            ));
        }
        let printed = prints_as_prettyplease(&yaml, "limits");
        assert!(printed.len() > 200, "{printed:?}");
        // Those whose types cross the margin are written here, broken as prettyplease breaks
        // them, not left to the syntax tree path.
        for n in 1..60 {
            let long = "x".repeat(n);
            assert!(printed.contains(&format!("W{long}")), "W{long} in {printed:?}");
            assert!(printed.contains(&format!("V{n}")), "V{n} in {printed:?}");
        }
    }
}

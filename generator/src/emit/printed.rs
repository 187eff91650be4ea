//! The model items a big client has thousands of (type aliases, string enums, structs with their
//! constructors and serde tables), written straight to text, exactly as prettyplease lays out
//! their syntax trees. Building those trees, and parsing the tokens of the rest, then printing
//! them was most of the emit stage (a fifth of `generate`'s CPU time for GitHub's description);
//! the text is the same, byte for byte.
//!
//! The layout follows prettyplease's rules for these shapes: a line longer than its margin is
//! broken at the argument list, the pattern or the outermost generic arguments (an argument a
//! line, each broken in turn), and a struct literal wider than 34 columns gets a line per field.
//! What is not written here is left to the syntax tree path (these functions return `None`):
//! unions, the settings' derives and attributes, feature gates, defaults other than strings,
//! booleans and enum values, wire names with quotes, backslashes or non-ASCII text, and the rare
//! long lines whose layout is not modelled here (a constructor argument or a field initializer
//! past the margin, `impl ... for` past it). Tests print the construct specs' types, and types
//! made to sit at each limit, both ways.

use std::fmt::Write as _;

use serde_json::Value;

use super::docs::doc_lines;
use super::models::{SerdeTraits, constructor_doc, field_doc, required_struct_doc, serde_kind, struct_is_eq};
use super::types::default_expr;
use crate::ir::{Api, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef};

/// prettyplease's margin: a line longer than this is broken where it can be (generic arguments,
/// argument lists, before `for` in an `impl`), and one at most this long is not.
pub(super) const MARGIN: usize = 89;

/// The widest struct literal prettyplease keeps on one line.
const STRUCT_LITERAL_WIDTH: usize = 34;

/// How a line with places to break is laid out.
enum Layout {
    OneLine,
    Broken,
}

/// The layout of a line of `length` columns.
fn layout(length: usize) -> Layout {
    if length <= MARGIN { Layout::OneLine } else { Layout::Broken }
}

/// The text of a model type's items, when its shape is one written here.
pub fn type_text(api: &Api, def: &TypeDef) -> Option<String> {
    if !def.derives.is_empty() || !def.attributes.is_empty() {
        return None;
    }
    let docs = doc_lines(def.description.as_deref());
    let mut out = String::new();
    match &def.kind {
        TypeKind::Struct(body) => struct_text(&mut out, api, &def.name, docs, body, SerdeTraits::of(api, def.usage))?,
        TypeKind::Enum(string_enum) => enum_text(&mut out, &def.name, docs, string_enum)?,
        TypeKind::Alias(ty) => {
            let docs =
                if def.description.is_some() { docs } else { default_docs(&format!("The `{}` schema.", def.name)) };
            doc_comments(&mut out, "", &docs)?;
            typed_line(&mut out, "", &format!("pub type {} = ", def.name), &plain_type(api, ty)?, ";")?;
        }
        TypeKind::Union(_) => return None,
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

/// A struct (see `models::struct_def`): its declaration, `new` (and `Default` when `new` takes
/// nothing) and the `object_serde!` call.
pub fn struct_text(
    out: &mut String,
    api: &Api,
    name: &str,
    docs: Vec<String>,
    body: &Struct,
    serde: SerdeTraits,
) -> Option<()> {
    let docs = if docs.is_empty() { default_docs(&format!("The `{name}` object.")) } else { docs };
    doc_comments(out, "", &docs)?;
    let eq = if struct_is_eq(body) { ", Eq" } else { "" };
    writeln!(out, "#[derive(Debug, Clone, PartialEq{eq})]").ok()?;
    let mut fields = Vec::with_capacity(body.fields.len() + 1);
    for field in &body.fields {
        let field_docs = doc_lines(field_doc(field).as_deref());
        fields.push((field_docs, field.deprecated, field.name.as_str(), plain_type(api, &field.rust_type())?));
    }
    if let Some(extra) = &body.additional_properties {
        let ty = format!("BTreeMap<String, {}>", plain_type(api, extra)?);
        fields.push((vec![" Properties not listed above.".to_owned()], false, "additional_properties", ty));
    }
    if fields.is_empty() {
        writeln!(out, "pub struct {name} {{}}").ok()?;
    } else {
        writeln!(out, "pub struct {name} {{").ok()?;
        for (docs, deprecated, field, ty) in &fields {
            doc_comments(out, "    ", docs)?;
            if *deprecated {
                out.push_str("    #[deprecated]\n");
            }
            typed_line(out, "    ", &format!("pub {field}: "), ty, ",")?;
        }
        out.push_str("}\n");
    }
    match &body.required_fields {
        Some(required) => named_constructor_text(out, api, name, required, body)?,
        None => constructor_text(out, api, name, body)?,
    }
    object_serde_text(out, api, name, body, serde)
}

/// `impl X { pub fn new(...) -> Self { Self { ... } } }`, and `Default` when it takes nothing.
fn constructor_text(out: &mut String, api: &Api, name: &str, body: &Struct) -> Option<()> {
    let mut arguments = Vec::new();
    let mut initializers = Vec::new();
    for field in &body.fields {
        let field_name = field.name.as_str();
        if let Some(value) = preset(api, field)? {
            initializers.push(format!("{field_name}: {value}"));
            continue;
        }
        match &field.ty {
            TypeRef::String => arguments.push(format!("{field_name}: impl Into<String>")),
            TypeRef::Secret => arguments.push(format!("{field_name}: impl Into<SecretString>")),
            other => {
                arguments.push(format!("{field_name}: {}", plain_type(api, other)?));
                initializers.push(field_name.to_owned());
                continue;
            }
        }
        initializers.push(format!("{field_name}: {field_name}.into()"));
    }
    if body.additional_properties.is_some() {
        initializers.push("additional_properties: BTreeMap::new()".to_owned());
    }
    writeln!(out, "impl {name} {{").ok()?;
    doc_comments(out, "    ", &[constructor_doc(name, !arguments.is_empty())])?;
    if arguments.len() > 7 {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    if body.fields.iter().any(|f| f.deprecated) {
        out.push_str("    #[allow(deprecated)]\n");
    }
    out.push_str("    #[inline]\n");
    let signature = format!("    pub fn new({}) -> Self {{", arguments.join(", "));
    match if arguments.is_empty() { Layout::OneLine } else { layout(signature.len()) } {
        Layout::OneLine => out.push_str(&signature),
        Layout::Broken => {
            out.push_str("    pub fn new(\n");
            for argument in &arguments {
                line_that_fits(out, format!("        {argument},"), Breaks::AtBrackets)?;
            }
            out.push_str("    ) -> Self {");
        }
    }
    out.push('\n');
    struct_literal(out, &initializers)?;
    out.push_str("\n    }\n}\n");
    if arguments.is_empty() {
        // (prettyplease breaks a long `impl Trait for Type` before `for`.)
        line_that_fits(out, format!("impl Default for {name} {{"), Breaks::Somewhere)?;
        out.push_str("    #[inline]\n    fn default() -> Self {\n        Self::new()\n    }\n}\n");
    }
    Some(())
}

/// `new` taking the required fields as a struct of their own (see
/// `models::named_constructor`): that struct, `new` and `From`.
fn named_constructor_text(out: &mut String, api: &Api, name: &str, required: &str, body: &Struct) -> Option<()> {
    let mut fields = String::new();
    let mut names = Vec::new();
    let mut initializers = Vec::new();
    for field in &body.fields {
        let field_name = field.name.as_str();
        if let Some(value) = preset(api, field)? {
            initializers.push(format!("{field_name}: {value}"));
            continue;
        }
        let fallback = format!("The `{}` field.", field.wire_name);
        doc_comments(&mut fields, "    ", &doc_lines(field.description.as_deref().or(Some(&fallback))))?;
        if field.deprecated {
            fields.push_str("    #[deprecated]\n");
        }
        typed_line(&mut fields, "    ", &format!("pub {field_name}: "), &plain_type(api, &field.ty)?, ",")?;
        names.push(field_name);
        initializers.push(field_name.to_owned());
    }
    if body.additional_properties.is_some() {
        initializers.push("additional_properties: BTreeMap::new()".to_owned());
    }
    doc_comments(out, "", &[required_struct_doc(name, required)])?;
    out.push_str("#[derive(Debug, Clone)]\n");
    if fields.is_empty() {
        writeln!(out, "pub struct {required} {{}}").ok()?;
    } else {
        writeln!(out, "pub struct {required} {{\n{fields}}}").ok()?;
    }
    writeln!(out, "impl {name} {{").ok()?;
    doc_comments(out, "    ", &[constructor_doc(name, true)])?;
    if body.fields.iter().any(|f| f.deprecated) {
        out.push_str("    #[allow(deprecated)]\n");
    }
    out.push_str("    #[inline]\n");
    line_that_fits(out, format!("    pub fn new(required: {required}) -> Self {{"), Breaks::AtBrackets)?;
    // `let Required { a, b } = required;`: the pattern's line ends at ` = ` (the value after it
    // is never moved to a line of its own).
    let pattern = format!("        let {required} {{ {} }}", names.join(", "));
    match layout(pattern.len() + " = ".len()) {
        Layout::OneLine => writeln!(out, "{pattern} = required;").ok()?,
        // (A pattern of one field broken is a shape the tests do not cover.)
        Layout::Broken if names.len() < 2 => return None,
        Layout::Broken => {
            writeln!(out, "        let {required} {{").ok()?;
            for field_name in &names {
                writeln!(out, "            {field_name},").ok()?;
            }
            out.push_str("        } = required;\n");
        }
    }
    struct_literal(out, &initializers)?;
    out.push_str("\n    }\n}\n");
    line_that_fits(out, format!("impl From<{required}> for {name} {{"), Breaks::Somewhere)?;
    writeln!(
        out,
        "    #[inline]\n    fn from(required: {required}) -> Self {{\n        Self::new(required)\n    }}\n}}"
    )
    .ok()?;
    Some(())
}

/// What `new` sets a field to without taking it (`Some(None)` when it takes it): `None` unless
/// it is required and not nullable, else its default when it has one; `None` when that default
/// is one not written here.
fn preset(api: &Api, field: &Field) -> Option<Option<String>> {
    if !field.required || field.nullable {
        return Some(Some("None".to_owned()));
    }
    default_value(api, field)
}

/// The expression a required field starts at when it has a default (see `types::default_expr`):
/// `Some(None)` when it has none, and `None` when it is one not written here.
fn default_value(api: &Api, field: &Field) -> Option<Option<String>> {
    let Some(default) = &field.default else { return Some(None) };
    if default_expr(api, &field.ty, default).is_none() {
        return Some(None);
    }
    match (&field.ty, default) {
        (TypeRef::String, Value::String(text)) => Some(Some(format!("{}.to_owned()", plain_literal(text)?))),
        (TypeRef::Bool, Value::Bool(flag)) => Some(Some(flag.to_string())),
        (TypeRef::Named(id), Value::String(wire)) => {
            let def = api.def(*id);
            let TypeKind::Enum(string_enum) = &def.kind else { return None };
            let variant = string_enum.variants.iter().find(|v| &v.wire_value == wire)?;
            Some(Some(format!("{}::{}", def.name, variant.name)))
        }
        _ => None,
    }
}

/// `Self { ... }` at the depth of a function body, without the last newline.
fn struct_literal(out: &mut String, initializers: &[String]) -> Option<()> {
    // prettyplease keeps a struct literal on one line only when `Self { a, b ` is at most 34
    // columns wide (`end_with_max_width(34)`).
    let joined = initializers.join(", ");
    let width = "Self { ".len() + joined.len() + " ".len();
    match initializers.is_empty() {
        true => out.push_str("        Self {}"),
        false if width <= STRUCT_LITERAL_WIDTH => write!(out, "        Self {{ {joined} }}").ok()?,
        false => {
            out.push_str("        Self {\n");
            for initializer in initializers {
                line_that_fits(out, format!("            {initializer},"), Breaks::AtBrackets)?;
            }
            out.push_str("        }");
        }
    }
    Some(())
}

/// The `object_serde!` call (see `models::object_serde`), laid out as `lay_out_runtime_macros`
/// lays it out.
fn object_serde_text(out: &mut String, api: &Api, name: &str, body: &Struct, serde: SerdeTraits) -> Option<()> {
    writeln!(out, "crate::runtime::object_serde! {{").ok()?;
    if body.fields.is_empty() {
        writeln!(out, "    {name} {{}}").ok()?;
    } else {
        writeln!(out, "    {name} {{").ok()?;
        for field in &body.fields {
            let wire = plain_literal(&field.wire_name)?;
            let ty = plain_type(api, &field.ty)?;
            writeln!(out, "        {wire} => {}: {} {ty},", field.name, serde_kind(field)).ok()?;
        }
        out.push_str("    }\n");
    }
    if body.additional_properties.is_some() {
        out.push_str("    additional additional_properties\n");
    }
    for (trait_name, condition) in
        [("Serialize", serde.serialize_condition()), ("Deserialize", serde.deserialize_condition())]
    {
        match condition {
            Some(condition) => writeln!(out, "    impl {trait_name} if {condition};").ok()?,
            None => writeln!(out, "    impl {trait_name};").ok()?,
        }
    }
    out.push_str("}\n");
    Some(())
}

/// A string enum (see `models::enum_def`) and its `string_enum!` call.
fn enum_text(out: &mut String, name: &str, docs: Vec<String>, string_enum: &StringEnum) -> Option<()> {
    let docs = if docs.is_empty() { default_docs(&format!("The values of `{name}`.")) } else { docs };
    doc_comments(out, "", &docs)?;
    let default = if string_enum.default_variant.is_some() { ", Default" } else { "" };
    writeln!(out, "#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord{default})]\n#[non_exhaustive]").ok()?;
    writeln!(out, "pub enum {name} {{").ok()?;
    for variant in &string_enum.variants {
        doc_comments(out, "    ", &[format!(" `{}`", variant.wire_value)])?;
        if string_enum.default_variant.as_ref() == Some(&variant.name) {
            out.push_str("    #[default]\n");
        }
        writeln!(out, "    {},", variant.name).ok()?;
    }
    let unknown = &string_enum.unknown_variant;
    writeln!(out, "    /// A value this version of the client does not know.\n    {unknown}(String),\n}}").ok()?;
    writeln!(out, "crate::runtime::string_enum! {{").ok()?;
    if string_enum.variants.is_empty() {
        writeln!(out, "    {name} {{}}").ok()?;
    } else {
        writeln!(out, "    {name} {{").ok()?;
        for variant in &string_enum.variants {
            writeln!(out, "        {} => {},", plain_literal(&variant.wire_value)?, variant.name).ok()?;
        }
        out.push_str("    }\n");
    }
    writeln!(out, "    unknown {unknown}\n}}").ok()?;
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
    /// those that were.
    fn prints_as_prettyplease(yaml: &str, source: &str) -> Vec<String> {
        let Some(api) = api_of(yaml, source) else { return Vec::new() };
        let mut printed = Vec::new();
        for def in &api.types {
            if let Some(text) = type_text(&api, def) {
                assert_eq!(text, through_prettyplease(&api, def), "{source}: {}", def.name);
                printed.push(def.name.clone());
            }
        }
        printed
    }

    /// The construct specs and our own description: every type written here prints as its
    /// syntax tree does.
    #[test]
    fn the_construct_specs_types_print_as_prettyplease_prints_them() {
        let printed: usize =
            construct_specs().iter().map(|(path, text)| prints_as_prettyplease(text, path).len()).sum();
        assert!(printed > 200, "only {printed} types were written as text");
    }

    /// Lines around prettyplease's margin and struct literals around its width of 34: objects
    /// whose names and fields grow a column at a time, with positional and named constructors,
    /// defaults, `impl Default` and field types that cross the margin.
    #[test]
    fn layouts_at_prettypleases_limits_are_the_same() {
        let mut yaml =
            String::from("openapi: 3.0.3\ninfo: {title: Limits, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n");
        yaml.push_str("    Colour: {type: string, enum: [red, green]}\n");
        let wide = format!("Colour{}", "Wide".repeat(15));
        yaml.push_str(&format!("    {wide}: {{type: string, enum: [red, green]}}\n"));
        // Names from 60 to 119 columns: nested generic arguments cross the margin one by one.
        let growing = |n: usize| format!("Growing{}", "g".repeat(52 + n));
        for n in 1..60 {
            let long = "x".repeat(n);
            let name = format!("Type{}", "Long".repeat(n / 4));
            // Positional: an integer and a string (`Self { a, xx: xx.into() }`).
            yaml.push_str(&format!(
                "    P{n}: {{type: object, required: [a, b{long}], properties: {{a: {{type: integer}}, b{long}: {{type: string}}}}}}\n"
            ));
            // One argument whose line crosses the margin.
            yaml.push_str(&format!(
                "    Q{n}: {{type: object, required: [b{long}{long}], properties: {{b{long}{long}: {{type: integer}}}}}}\n"
            ));
            // Two integers: a shorthand literal around 34 columns.
            yaml.push_str(&format!(
                "    S{n}: {{type: object, required: [a, b{long}], properties: {{a: {{type: integer}}, b{long}: {{type: integer}}}}}}\n"
            ));
            // Three strings: a named constructor, its pattern around the margin; a default.
            yaml.push_str(&format!(
                "    N{n}: {{type: object, required: [a{long}, b, c, d, e, f], properties: {{a{long}: {{type: string}}, b: {{type: string}}, c: {{type: string}}, d: {{type: string, enum: [red, green], default: green}}, e: {{type: string, default: hi}}, f: {{type: boolean, default: true}}}}}}\n"
            ));
            // Nothing required: `impl Default for` around the margin; an optional field whose
            // type crosses it.
            yaml.push_str(&format!(
                "    {name}{n}: {{type: object, properties: {{f{long}: {{type: array, items: {{$ref: '#/components/schemas/Colour'}}}}}}}}\n"
            ));
            yaml.push_str(&format!("    A{long}: {{type: array, items: {{$ref: '#/components/schemas/P{n}'}}}}\n"));
            // Nested generic arguments, and a map's two, crossing the margin at each depth.
            let wide_ref = format!("{{$ref: '#/components/schemas/{wide}'}}");
            yaml.push_str(&format!(
                "    W{n}: {{type: object, properties: {{g{long}: {{type: array, items: {{type: array, items: {wide_ref}}}}}, h{long}: {{type: object, additionalProperties: {{type: array, items: {wide_ref}}}}}, i{long}: {{type: array, items: {{$ref: '#/components/schemas/Colour'}}}}}}}}\n"
            ));
            yaml.push_str(&format!("    B{long}{long}: {{type: array, items: {wide_ref}}}\n"));
            let grown = growing(n);
            yaml.push_str(&format!("    {grown}: {{type: string, enum: [red, green]}}\n"));
            yaml.push_str(&format!(
                "    V{n}: {{type: object, properties: {{vvvvvvvvvvvvvvvvvvvvvvvvv: {{type: array, items: {{type: array, items: {{$ref: '#/components/schemas/{grown}'}}}}}}}}}}\n"
            ));
        }
        let printed = prints_as_prettyplease(&yaml, "limits");
        assert!(printed.len() > 300, "{printed:?}");
        // Those whose field types cross the margin are written here, broken as prettyplease
        // breaks them, not left to the syntax tree path.
        for n in 1..60 {
            assert!(printed.contains(&format!("W{n}")), "W{n} in {printed:?}");
            assert!(printed.contains(&format!("V{n}")), "V{n} in {printed:?}");
        }
    }
}

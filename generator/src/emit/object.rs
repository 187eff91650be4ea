//! A struct as one call of the runtime's `object_serde!`: its declaration, `new` (and `Default`
//! when `new` takes nothing), the struct of its required fields when `new` takes one, and its
//! serde impls, all from one list of fields. A field is written once, with its wire name and
//! kind beside it, instead of again in a constructor and in a serde table: GitHub's client was
//! 312k lines, a quarter of them the same field names written again.
//!
//! The serde impls are the macro's, not derives: a derive also makes a field enum and a
//! sequence visitor for every type, which JSON never uses and which were a third of the
//! generated crate's build time. Responses are never `deny_unknown_fields`: a server may add
//! fields at any time.
//!
//! prettyplease and rustfmt leave a macro call's body as it is, so the text is written here,
//! whatever the struct holds (settings' attributes, odd wire names, defaults), one field a line.

use std::fmt::Write as _;

use proc_macro2::Literal;
use serde_json::Value;

use super::docs::doc_lines;
use super::models::{SerdeTraits, constructor_doc, field_doc, required_struct_doc, serde_kind, struct_is_eq};
use super::printed::MARGIN;
use crate::ir::{Api, Field, Struct, TypeDef, TypeKind, TypeRef};

/// What a struct is declared with besides its body: its docs and the settings' attributes and
/// derives.
pub struct Declaration<'a> {
    /// The struct's name.
    pub name: &'a str,
    /// Its doc lines (as `docs::doc_lines` gives them); a line naming it when there are none.
    pub docs: Vec<String>,
    /// Attributes from the settings, as Rust text (`#[non_exhaustive]`).
    pub attributes: &'a [String],
    /// Derives from the settings, as paths.
    pub derives: &'a [String],
}

impl<'a> Declaration<'a> {
    /// The declaration of the model type `def`.
    pub fn of(def: &'a TypeDef) -> Self {
        Declaration {
            name: &def.name,
            docs: doc_lines(def.description.as_deref()),
            attributes: &def.attributes,
            derives: &def.derives,
        }
    }
}

/// The `object_serde!` call of a model struct, after `gate` (a `#[cfg]` line, or nothing).
pub fn model_text(api: &Api, def: &TypeDef, gate: &str) -> Option<String> {
    let TypeKind::Struct(body) = &def.kind else { return None };
    let mut out = gate.to_owned();
    object_text(&mut out, api, &Declaration::of(def), body, SerdeTraits::of(api, def.usage));
    Some(out)
}

/// The `object_serde!` call of `body`, declared as `declaration` says.
pub fn object_text(out: &mut String, api: &Api, declaration: &Declaration<'_>, body: &Struct, serde: SerdeTraits) {
    let name = declaration.name;
    out.push_str("crate::runtime::object_serde! {\n");
    if declaration.docs.is_empty() {
        doc_text(out, "    ", &doc_lines(Some(&format!("The `{name}` object."))));
    } else {
        doc_text(out, "    ", &declaration.docs);
    }
    for attribute in declaration.attributes {
        let _ = writeln!(out, "    {}", attribute.trim());
    }
    // The settings' derives, but for `Eq` when the generator derives it (the IR leaves out the
    // others it always derives).
    let eq = struct_is_eq(body);
    let theirs: Vec<&str> = declaration
        .derives
        .iter()
        .map(String::as_str)
        .filter(|path| !(eq && path.rsplit("::").next() == Some("Eq")))
        .collect();
    if !theirs.is_empty() {
        let _ = writeln!(out, "    #[derive({})]", theirs.join(", "));
    }
    out.push_str("    #[derive(Debug, Clone, PartialEq)]\n");
    fields_text(out, api, name, body);
    if let Some(extra) = &body.additional_properties {
        let _ = writeln!(out, "    additional additional_properties: BTreeMap<String, {}>;", type_text(api, extra));
    }
    constructor_text(out, api, name, body);
    for (trait_name, condition) in
        [("Serialize", serde.serialize_condition()), ("Deserialize", serde.deserialize_condition())]
    {
        let _ = match condition {
            Some(condition) => writeln!(out, "    impl {trait_name} if {condition};"),
            None => writeln!(out, "    impl {trait_name};"),
        };
    }
    // `Eq` from the macro, not derived: the derive's check that every field is `Eq` (a function
    // per type) was 1.7% of the instructions of the official Dropbox Sign crate's build, for
    // types whose fields are strings, numbers and the like (`struct_is_eq`).
    if eq {
        out.push_str("    impl Eq;\n");
    }
    out.push_str("}\n");
}

/// `pub struct X { ... }`: each field's docs, then `"wire" kind => pub field: Type`, and ` =
/// preset` for a required field that `new` sets to its default.
fn fields_text(out: &mut String, api: &Api, name: &str, body: &Struct) {
    if body.fields.is_empty() {
        let _ = writeln!(out, "    pub struct {name} {{}}");
        return;
    }
    let _ = writeln!(out, "    pub struct {name} {{");
    for field in &body.fields {
        doc_text(out, "        ", &doc_lines(field_doc(field).as_deref()));
        if field.deprecated {
            out.push_str("        #[deprecated]\n");
        }
        let preset = preset_text(api, field).map(|value| format!(" = {value}")).unwrap_or_default();
        let _ = writeln!(
            out,
            "        {} {} => pub {}: {}{preset},",
            Literal::string(&field.wire_name),
            serde_kind(field),
            field.name,
            type_text(api, &field.rust_type()),
        );
    }
    out.push_str("    }\n");
}

/// `fn new(...);` with its doc (and a body that converts the arguments taken as `impl Into`),
/// and the struct of the required fields when `new` takes that instead of the fields one by one.
fn constructor_text(out: &mut String, api: &Api, name: &str, body: &Struct) {
    let arguments: Vec<&Field> = body.fields.iter().filter(|f| is_argument(api, f)).collect();
    doc_text(out, "    ", &[constructor_doc(name, !arguments.is_empty())]);
    if body.fields.iter().any(|f| f.deprecated) {
        out.push_str("    #[allow(deprecated)]\n");
    }
    match &body.required_fields {
        None => positional_constructor_text(out, api, &arguments),
        Some(required) => named_constructor_text(out, api, name, required, &arguments),
    }
}

/// `fn new(a: impl Into<String>, b: i64) { let a = a.into(); }`, or `fn new(b: i64);` when
/// nothing is converted; an argument a line past the margin.
fn positional_constructor_text(out: &mut String, api: &Api, arguments: &[&Field]) {
    if arguments.len() > 7 {
        out.push_str("    #[allow(clippy::too_many_arguments)]\n");
    }
    let converted: Vec<&str> =
        arguments.iter().filter(|field| takes_into(&field.ty)).map(|field| field.name.as_str()).collect();
    let arguments: Vec<String> = arguments.iter().map(|field| argument_text(api, field)).collect();
    let end = if converted.is_empty() { ";" } else { " {" };
    let line = format!("    fn new({}){end}", arguments.join(", "));
    if line.len() <= MARGIN {
        let _ = writeln!(out, "{line}");
    } else {
        let _ = writeln!(out, "    fn new(\n        {},\n    ){end}", arguments.join(",\n        "));
    }
    if !converted.is_empty() {
        for name in converted {
            let _ = writeln!(out, "        let {name} = {name}.into();");
        }
        out.push_str("    }\n");
    }
}

/// `fn new(required: XRequired);` and the struct `XRequired` of the `arguments`.
fn named_constructor_text(out: &mut String, api: &Api, name: &str, required: &str, arguments: &[&Field]) {
    let _ = writeln!(out, "    fn new(required: {required});");
    doc_text(out, "    ", &[required_struct_doc(name, required)]);
    out.push_str("    #[derive(Debug, Clone)]\n");
    if arguments.is_empty() {
        let _ = writeln!(out, "    pub struct {required} {{}}");
        return;
    }
    let _ = writeln!(out, "    pub struct {required} {{");
    for field in arguments {
        let fallback = format!("The `{}` field.", field.wire_name);
        doc_text(out, "        ", &doc_lines(field.description.as_deref().or(Some(&fallback))));
        if field.deprecated {
            out.push_str("        #[deprecated]\n");
        }
        let _ = writeln!(out, "        pub {}: {},", field.name, type_text(api, &field.ty));
    }
    out.push_str("    }\n");
}

/// Whether `new` takes the field: required, not nullable, and without a default it can write.
fn is_argument(api: &Api, field: &Field) -> bool {
    field.required && !field.nullable && preset_text(api, field).is_none()
}

/// `name: Type` of a constructor argument; a string is taken as anything `Into` it.
fn argument_text(api: &Api, field: &Field) -> String {
    match &field.ty {
        TypeRef::String => format!("{}: impl Into<String>", field.name),
        TypeRef::Secret => format!("{}: impl Into<SecretString>", field.name),
        other => format!("{}: {}", field.name, type_text(api, other)),
    }
}

/// Whether `new` takes a field of type `ty` as `impl Into<...>` (and converts it in its body).
fn takes_into(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String | TypeRef::Secret)
}

/// The value `new` gives a required, non-nullable field that has a default, when one can be
/// written (see [`default_text`]).
fn preset_text(api: &Api, field: &Field) -> Option<String> {
    if !field.required || field.nullable {
        return None;
    }
    default_text(api, &field.ty, field.default.as_ref()?)
}

/// A Rust expression of type `ty` for the description's `default`, when one can be written.
/// Other formats' defaults (a date, a UUID) are documented but not filled in: writing them would
/// mean parsing at run time, which could fail where the generator could not check.
fn default_text(api: &Api, ty: &TypeRef, default: &Value) -> Option<String> {
    let text = match (ty, default) {
        (TypeRef::String, Value::String(text)) => format!("{}.to_owned()", Literal::string(text)),
        (TypeRef::Secret, Value::String(text)) => format!("SecretString::from({})", Literal::string(text)),
        (TypeRef::Bool, Value::Bool(flag)) => flag.to_string(),
        (TypeRef::I32, Value::Number(n)) => Literal::i32_suffixed(i32::try_from(n.as_i64()?).ok()?).to_string(),
        (TypeRef::I64, Value::Number(n)) => Literal::i64_suffixed(n.as_i64()?).to_string(),
        // (A literal cannot be infinite: `1e300` as an `f32` is left to the server.)
        (TypeRef::F32, Value::Number(n)) => {
            Literal::f32_suffixed(Some(n.as_f64()? as f32).filter(|n| n.is_finite())?).to_string()
        }
        (TypeRef::F64, Value::Number(n)) => Literal::f64_suffixed(n.as_f64().filter(|n| n.is_finite())?).to_string(),
        (TypeRef::Extern(ext), Value::Number(n)) if ext.integer => integer_text(&ext.rust, n)?,
        (TypeRef::Named(id), Value::String(wire)) => {
            let def = api.def(*id);
            let TypeKind::Enum(string_enum) = &def.kind else { return None };
            let variant = string_enum.variants.iter().find(|v| &v.wire_value == wire)?;
            format!("{}::{}", def.name, variant.name)
        }
        _ => return None,
    };
    Some(text)
}

/// `n` as a literal of the integer type `rust` (`u64`, `i8`, ...), when it is in its range.
fn integer_text(rust: &str, n: &serde_json::Number) -> Option<String> {
    let (min, max): (i128, i128) = match rust {
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        _ => return None,
    };
    let value: i128 = n.as_u64().map(i128::from).or_else(|| n.as_i64().map(i128::from))?;
    (min..=max).contains(&value).then(|| value.to_string())
}

/// A type as Rust text. The IR writes every name and path it holds, so the text parses; inside a
/// macro call nothing lays it out again.
fn type_text(api: &Api, ty: &TypeRef) -> String {
    ty.rust(&api.types).to_string()
}

/// Doc lines at `indent`: `///` lines, or `#[doc = "..."]` for a line that `///` would not keep
/// (one that starts with `/`, which would make a plain comment).
pub(super) fn doc_text(out: &mut String, indent: &str, lines: &[String]) {
    for line in lines {
        if line.starts_with('/') || line.contains('\n') {
            let _ = writeln!(out, "{indent}#[doc = {}]", Literal::string(line));
        } else {
            let _ = writeln!(out, "{indent}///{}", line.trim_end_matches(' '));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::printed::api_of;

    /// The text of the struct `name` in the components of `schemas` (YAML at an indent of 4).
    fn text_of(schemas: &str, name: &str) -> String {
        let yaml = format!(
            "openapi: 3.0.3\ninfo: {{title: T, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
        );
        let api = api_of(&yaml, "test").expect("the description");
        let def = api.types.iter().find(|def| def.name == name).expect("the type");
        model_text(&api, def, "").expect("a struct")
    }

    #[test]
    fn a_struct_is_one_call_that_names_each_field_once() {
        let text = text_of(
            "    Pet:
      description: A pet.
      type: object
      required: [name, legs, size, title, owner]
      additionalProperties: {type: integer}
      properties:
        name: {type: string, description: Its name.}
        legs: {type: integer}
        size: {type: string, enum: [small, large], default: large}
        title: {type: string, default: 'Mr \"Pet\"'}
        owner: {type: string, nullable: true}
        tag: {type: string, deprecated: true}
        note: {type: string, nullable: true}
        id: {type: integer, readOnly: true}
        \"naïve \\\"key\\\"\": {type: boolean}
",
            "Pet",
        );
        let expected = r#"crate::runtime::object_serde! {
    /// A pet.
    #[derive(Debug, Clone, PartialEq)]
    pub struct Pet {
        /// Its name.
        "name" required => pub name: String,
        /// The `legs` property.
        "legs" required => pub legs: i64,
        /// The `size` property.
        ///
        /// Defaults to `large`.
        "size" required => pub size: PetSize = PetSize::Large,
        /// The `title` property.
        ///
        /// Defaults to `Mr "Pet"`.
        "title" required => pub title: String = "Mr \"Pet\"".to_owned(),
        /// The `owner` property.
        "owner" required_nullable => pub owner: Option<String>,
        /// The `tag` property.
        #[deprecated]
        "tag" optional => pub tag: Option<String>,
        /// The `note` property.
        "note" nullable => pub note: Option<Option<String>>,
        /// The `id` property.
        ///
        /// Read-only: set by the server.
        "id" read_only => pub id: Option<i64>,
        /// The `naïve "key"` property.
        "naïve \"key\"" optional => pub na_ve_key: Option<bool>,
    }
    additional additional_properties: BTreeMap<String, i64>;
    /// A `Pet` from its required fields; the other fields are unset or at their defaults.
    #[allow(deprecated)]
    fn new(name: impl Into<String>, legs: i64) {
        let name = name.into();
    }
    impl Serialize;
    impl Deserialize;
}
"#;
        assert_eq!(text, expected);
    }

    #[test]
    fn a_default_an_f32_cannot_hold_is_not_preset() {
        let text = text_of(
            "    Big: {type: object, required: [r], properties: {r: {type: number, format: float, default: 1e300}}}\n",
            "Big",
        );
        assert!(text.contains("\"r\" required => pub r: f32,\n") && text.contains("fn new(r: f32);"), "{text}");
    }

    #[test]
    fn required_fields_alike_are_taken_by_name_and_new_takes_nothing_without_them() {
        let schemas = "    Move:
      type: object
      required: [from, to, by]
      properties:
        from: {type: string}
        to: {type: string}
        by: {type: string}
        why: {type: string}
    Filter: {type: object, properties: {q: {type: string}}}
";
        let text = text_of(schemas, "Move");
        assert!(text.contains("    fn new(required: MoveRequired);\n"), "{text}");
        assert!(text.contains("    #[derive(Debug, Clone)]\n    pub struct MoveRequired {\n"), "{text}");
        assert!(text.contains("        /// The `from` field.\n        pub from: String,\n"), "{text}");
        assert!(!text.contains("pub why: Option<String>,\n    }\n    impl"), "{text}");
        let text = text_of(schemas, "Filter");
        assert!(
            text.contains("    /// A `Filter` with every field unset or at its default.\n    fn new();\n"),
            "{text}"
        );
    }

    #[test]
    fn the_settings_attributes_and_derives_come_before_the_generators_own() {
        let api = api_of("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\n", "test").expect("the API");
        let body = Struct { fields: Vec::new(), additional_properties: None, required_fields: None };
        let (attributes, derives) = (["#[non_exhaustive]".to_owned()], ["Hash".to_owned(), "Eq".to_owned()]);
        let declaration = Declaration { name: "Empty", docs: Vec::new(), attributes: &attributes, derives: &derives };
        let mut text = String::new();
        object_text(&mut text, &api, &declaration, &body, SerdeTraits::features_only());
        let head = "crate::runtime::object_serde! {\n    /// The `Empty` object.\n    #[non_exhaustive]\n    \
                    #[derive(Hash)]\n    #[derive(Debug, Clone, PartialEq)]\n    pub struct Empty {}\n";
        assert!(text.starts_with(head), "{text}");
        // The settings' `Eq` is the generator's own, which the macro implements.
        assert!(text.ends_with("    impl Eq;\n}\n"), "{text}");
    }

    #[test]
    fn a_long_constructor_takes_an_argument_a_line() {
        let (text_name, count_name) =
            ("the_text_of_this_rather_long_argument", "the_count_of_this_rather_long_argument");
        let schemas = format!(
            "    Wide: {{type: object, required: [{text_name}, {count_name}], properties: {{{text_name}: {{type: string}}, \
             {count_name}: {{type: integer}}}}}}\n"
        );
        let text = text_of(&schemas, "Wide");
        let expected = format!(
            "    fn new(\n        {text_name}: impl Into<String>,\n        {count_name}: i64,\n    ) {{\n        let \
             {text_name} = {text_name}.into();\n    }}\n"
        );
        assert!(text.contains(&expected), "{text}");
        let short = text_of(
            "    Narrow: {type: object, required: [a, b], properties: {a: {type: string}, b: {type: integer}}}\n",
            "Narrow",
        );
        assert!(
            short.contains("    fn new(a: impl Into<String>, b: i64) {\n        let a = a.into();\n    }\n"),
            "{short}"
        );
        let concrete = text_of("    Count: {type: object, required: [n], properties: {n: {type: integer}}}\n", "Count");
        assert!(concrete.contains("    fn new(n: i64);\n"), "{concrete}");
    }
}

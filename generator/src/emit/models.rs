//! `models.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::{doc_attrs, paragraphs};
use super::gates::{cfg_attr, cfg_text, gated, when_ungated};
use super::object;
use super::printed;
use super::syntax::{self, FileSyntax, Piece};
use super::types::{default_doc, ident, rust_type};
use crate::ir::features::{FeatureGates, Gate};
use crate::ir::{Api, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union, Usage};

/// Parts `models.rs` is made and formatted in, which the emit threads take in turn: at least
/// 8, and one per 200 types for big APIs, so that a part's tokens and syntax tree (many times
/// its text) stay small; with GitHub's 6,930 types, 8 parts of 870 types held most of the emit
/// stage's memory. The count depends on the IR only, never on the machine, and the parts are
/// concatenated, which gives the same text as formatting the file whole.
pub fn model_parts(api: &Api) -> usize {
    parts_of(api.types.len())
}

/// Parts of a `models.rs` of `count` types.
pub fn parts_of(count: usize) -> usize {
    count.div_ceil(TYPES_PER_MODEL_PART).max(MIN_MODEL_PARTS)
}

const MIN_MODEL_PARTS: usize = 8;
const TYPES_PER_MODEL_PART: usize = 200;

/// The syntax of part `part` (of [`model_parts`]) of `models.rs`: the first part has the module
/// documentation and the `use` lines, and every part a contiguous run of the types.
pub fn models_part(api: &Api, part: usize, gates: Option<&FeatureGates>) -> syn::Result<FileSyntax> {
    let all: Vec<usize> = (0..api.types.len()).collect();
    models_part_of(api, &ModelsFile { types: &all, shared: None }, part, gates)
}

/// The types one `models.rs` holds: all of them, or those of one crate of a split client (see
/// `emit/split.rs`).
pub struct ModelsFile<'a> {
    /// The types, as indices into [`Api::types`], in order.
    pub types: &'a [usize],
    /// The library of the crate whose types these use and do not hold (the split client's
    /// shared models), imported whole.
    pub shared: Option<&'a str>,
}

/// The syntax of part `part` (of [`parts_of`] its types) of `file`.
pub fn models_part_of(
    api: &Api,
    file: &ModelsFile<'_>,
    part: usize,
    gates: Option<&FeatureGates>,
) -> syn::Result<FileSyntax> {
    let chunk = file.types.len().div_ceil(parts_of(file.types.len())).max(1);
    let mut out = if part > 0 {
        FileSyntax::default()
    } else {
        let mentioned: Vec<TypeRef> = file.types.iter().flat_map(|&index| types_in(&api.types[index].kind)).collect();
        let uses = gated(&allow_unused_when_gated(gates), uses_for(mentioned.iter()));
        // Not every crate of a split client uses a shared type.
        let shared = file.shared.map(|library| {
            let library = ident(library);
            quote! {
                #[allow(unused_imports)]
                use #library::*;
            }
        });
        FileSyntax::from(quote! {
            //! The types of the API's schemas: request and response bodies and everything in them.
            #uses
            #shared
        })
    };
    for &index in file.types.iter().skip(part * chunk).take(chunk) {
        let gate = gates.map_or(&Gate::Always, |gates| &gates.types[index]);
        let cfg = cfg_attr(gates, gate);
        let def = &api.types[index];
        if let Some(text) = object::model_text(api, def, &cfg_text(&cfg, "")?) {
            out.extend([Piece::Text(text)]);
            continue;
        }
        match when_ungated(&cfg, || printed::type_text(api, def)) {
            Some(text) => out.extend([Piece::Text(text)]),
            None => out.extend(syntax::gated(&cfg, type_def(api, def)?)?),
        }
    }
    Ok(out)
}

/// The `use` lines a file needs for the types it mentions, an item each.
pub fn uses_for<'a>(types: impl Iterator<Item = &'a TypeRef>) -> Vec<TokenStream> {
    let (mut map, mut secret, mut upload) = (false, false, false);
    fn visit(ty: &TypeRef, map: &mut bool, secret: &mut bool, upload: &mut bool) {
        match ty {
            TypeRef::Map(inner) => {
                *map = true;
                visit(inner, map, secret, upload);
            }
            TypeRef::Vec(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => visit(inner, map, secret, upload),
            TypeRef::Secret => *secret = true,
            TypeRef::Upload => *upload = true,
            _ => {}
        }
    }
    for ty in types {
        visit(ty, &mut map, &mut secret, &mut upload);
    }
    let map = map.then(|| {
        quote!(
            use std::collections::BTreeMap;
        )
    });
    let secret = secret.then(|| {
        quote!(
            use crate::runtime::SecretString;
        )
    });
    let upload = upload.then(|| {
        quote!(
            use crate::runtime::Upload;
        )
    });
    [map, secret, upload].into_iter().flatten().collect()
}

/// `#[allow(unused_imports)]` for the imports of a file whose items are gated: what they import
/// may be used only by items that are not compiled.
pub fn allow_unused_when_gated(gates: Option<&FeatureGates>) -> TokenStream {
    if gates.is_some_and(|gates| !gates.features.is_empty()) {
        quote!(#[allow(unused_imports)])
    } else {
        TokenStream::new()
    }
}

/// The types a definition mentions; additional properties are held in a map.
fn types_in(kind: &TypeKind) -> Vec<TypeRef> {
    match kind {
        TypeKind::Struct(body) => body
            .fields
            .iter()
            .map(|f| f.ty.clone())
            .chain(body.additional_properties.iter().map(|extra| TypeRef::Map(Box::new(extra.clone()))))
            .collect(),
        TypeKind::Union(union) => union.variants.iter().map(|v| v.ty.clone()).collect(),
        TypeKind::Alias(ty) => vec![ty.clone()],
        TypeKind::Enum(_) => Vec::new(),
    }
}

/// The items of a type: its definition and its impls.
pub(super) fn type_def(api: &Api, def: &TypeDef) -> syn::Result<Vec<Piece>> {
    let mut docs = doc_attrs(def.description.as_deref());
    if !def.derives.is_empty() || !def.attributes.is_empty() {
        if docs.is_empty() {
            docs = doc_attrs(Some(&default_doc_of(def)));
        }
        docs.extend(settings_attributes(def));
    }
    let name = ident(&def.name);
    let items = match &def.kind {
        TypeKind::Struct(_) => return Ok(object::model_text(api, def, "").map(Piece::Text).into_iter().collect()),
        TypeKind::Enum(string_enum) => enum_def(&def.name, docs, string_enum),
        TypeKind::Union(union) => union_def(api, &def.name, docs, union, SerdeTraits::of(api, def.usage)),
        TypeKind::Alias(ty) => {
            let ty = rust_type(api, ty);
            let docs =
                if def.description.is_some() { docs } else { doc_attrs(Some(&format!("The `{}` schema.", def.name))) };
            vec![quote! {
                #docs
                pub type #name = #ty;
            }]
        }
    };
    Ok(items.into_iter().map(Piece::Tokens).collect())
}

/// The doc a type without a description gets, as its kind's `def` function writes it.
fn default_doc_of(def: &TypeDef) -> String {
    match &def.kind {
        TypeKind::Struct(_) => format!("The `{}` object.", def.name),
        TypeKind::Enum(_) => format!("The values of `{}`.", def.name),
        TypeKind::Union(_) => format!("One of the types `{}` may hold.", def.name),
        TypeKind::Alias(_) => format!("The `{}` schema.", def.name),
    }
}

/// The settings' derives (without those the generator makes for this kind of type) and
/// attributes. Both were checked when the settings were read, so they parse.
fn settings_attributes(def: &TypeDef) -> TokenStream {
    let made: &[&str] = match &def.kind {
        TypeKind::Enum(_) => &["Eq", "Hash", "PartialOrd", "Ord"],
        TypeKind::Struct(body) if struct_is_eq(body) => &["Eq"],
        _ => &[],
    };
    let derives: Vec<TokenStream> = def
        .derives
        .iter()
        .filter(|path| !made.contains(&path.rsplit("::").next().unwrap_or(path)))
        .filter_map(|path| path.parse().ok())
        .collect();
    let derive = (!derives.is_empty()).then(|| quote!(#[derive( #( #derives ),* )]));
    let attributes = def.attributes.iter().filter_map(|attribute| attribute.parse::<TokenStream>().ok());
    quote! {
        #( #attributes )*
        #derive
    }
}

/// Whether the generator derives `Eq` on an object: when every field type has it.
pub(super) fn struct_is_eq(body: &Struct) -> bool {
    body.fields.iter().all(|f| is_eq_type(&f.ty)) && body.additional_properties.as_ref().is_none_or(is_eq_type)
}

/// The serde traits of one model. Each is derived always when the API needs it, and otherwise
/// only with the crate feature of the same name, or in the crate's own tests when it has
/// example tests (an example round trip needs both).
#[derive(Clone, Copy)]
pub struct SerdeTraits {
    serialize: bool,
    deserialize: bool,
    tests: bool,
}

impl SerdeTraits {
    pub(super) fn of(api: &Api, usage: Usage) -> Self {
        SerdeTraits { serialize: usage.sent, deserialize: usage.received, tests: !api.examples.is_empty() }
    }

    /// Parameter structs: the client sends their fields one by one, so neither trait is needed;
    /// both come with the crate features (to read parameters from a file, or log them).
    pub fn features_only() -> Self {
        SerdeTraits { serialize: false, deserialize: false, tests: false }
    }

    /// The condition under which a trait the API does not need is implemented.
    fn gate(&self, feature: &str) -> TokenStream {
        if self.tests { quote!(any(test, feature = #feature)) } else { quote!(feature = #feature) }
    }

    /// The condition under which `Serialize` is implemented, as text; `None` when always.
    pub(super) fn serialize_condition(&self) -> Option<String> {
        self.condition_text(self.serialize, "serialize")
    }

    /// The condition under which `Deserialize` is implemented, as text; `None` when always.
    pub(super) fn deserialize_condition(&self) -> Option<String> {
        self.condition_text(self.deserialize, "deserialize")
    }

    /// [`Self::gate`] as text, when the trait of `feature` is not `needed` always.
    fn condition_text(&self, needed: bool, feature: &str) -> Option<String> {
        (!needed).then(|| {
            if self.tests { format!("any(test, feature = \"{feature}\")") } else { format!("feature = \"{feature}\"") }
        })
    }

    /// The serde derives that are always there, for the `derive` list.
    fn always(&self) -> TokenStream {
        let serialize = self.serialize.then(|| quote!(serde::Serialize,));
        let deserialize = self.deserialize.then(|| quote!(serde::Deserialize,));
        quote!(#serialize #deserialize)
    }

    /// `cfg_attr` derives for the traits the API does not need.
    fn gated(&self) -> TokenStream {
        let serialize = (!self.serialize).then(|| {
            let gate = self.gate("serialize");
            quote!(#[cfg_attr(#gate, derive(serde::Serialize))])
        });
        let deserialize = (!self.deserialize).then(|| {
            let gate = self.gate("deserialize");
            quote!(#[cfg_attr(#gate, derive(serde::Deserialize))])
        });
        quote!(#serialize #deserialize)
    }
}

/// The kind of a field in an `object_serde!` table (see there).
pub(super) fn serde_kind(field: &Field) -> &'static str {
    match (field.required, field.nullable && !field.null_is_absent, field.read_only) {
        (true, false, _) => "required",
        (true, true, _) => "required_nullable",
        // A `readOnly` property is never sent in a request.
        (false, false, true) => "read_only",
        (false, true, true) => "read_only_nullable",
        (false, false, false) => "optional",
        (false, true, false) => "nullable",
    }
}

fn is_eq_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 | TypeRef::Json | TypeRef::Named(_) => false,
        TypeRef::Extern(ext) => !ext.replacement,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => is_eq_type(inner),
        _ => true,
    }
}

/// A field's documentation: its description (or a line naming it), then what the schema says
/// of it besides (its default, read-only, write-only).
pub(super) fn field_doc(field: &Field) -> Option<String> {
    let mut notes: Vec<String> = Vec::new();
    let says_default = field.description.as_deref().is_some_and(|d| d.to_ascii_lowercase().contains("default"));
    if let (Some(default), false) = (&field.default, says_default) {
        notes.push(default_doc(default));
    }
    if field.read_only {
        notes.push("Read-only: set by the server.".to_owned());
    }
    if field.write_only {
        notes.push("Write-only: never returned by the server.".to_owned());
    }
    let notes = notes.join(" ");
    let fallback = format!("The `{}` property.", field.wire_name);
    paragraphs([field.description.as_deref().or(Some(&fallback)), Some(notes.as_str())])
}

/// The doc line of a struct's `new`: from its required fields when it `takes_some`, else with
/// every field unset.
pub(super) fn constructor_doc(name: &str, takes_some: bool) -> String {
    if takes_some {
        format!(" A `{name}` from its required fields; the other fields are unset or at their defaults.")
    } else {
        format!(" A `{name}` with every field unset or at its default.")
    }
}

/// The doc line of the struct of `name`'s required fields, named `required`.
pub(super) fn required_struct_doc(name: &str, required: &str) -> String {
    format!(
        " The required fields of [`{name}`], by name so that none can be swapped for another: \
         `{name}::new({required} {{ .. }})`."
    )
}

/// A string enum that keeps unknown values in a catch-all variant instead of failing: one call
/// of the runtime's `string_enum!`, which declares the enum from its wire values and writes its
/// serde impls as a string match (a derive with an `untagged` catch-all buffers every value and
/// tries each variant, which is slow to build and to run), and its comparisons by wire value
/// (derived `Hash`, `PartialOrd` and `Ord` cost the compiler several times as much).
fn enum_def(name: &str, docs: TokenStream, string_enum: &StringEnum) -> Vec<TokenStream> {
    let type_ident = ident(name);
    let docs = if docs.is_empty() { doc_attrs(Some(&format!("The values of `{name}`."))) } else { docs };
    let unknown = ident(&string_enum.unknown_variant);
    let variants = string_enum.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let wire = &variant.wire_value;
        let default = (string_enum.default_variant.as_ref() == Some(&variant.name)).then(|| quote!(#[default]));
        quote!(#default #wire => #variant_ident,)
    });
    let derive_default = string_enum.default_variant.as_ref().map(|_| quote!(Default,));
    vec![quote! {
        crate::runtime::string_enum! {
            #docs
            #[derive(Debug, Clone, #derive_default)]
            #[non_exhaustive]
            pub enum #type_ident { #( #variants )* }
            unknown #unknown
        }
    }]
}

/// `oneOf`/`anyOf`: untagged, tried in order; with a discriminator, the tag picks the variant.
/// A union is an enum of its variants' types as the document gives them. Their sizes can differ
/// widely (GitHub's `CommitAuthor`: a 496-byte user or an empty object); boxing the large ones
/// would change the API by size, which the document does not speak of, so the size lint is
/// allowed on unions.
fn union_def(api: &Api, name: &str, docs: TokenStream, union: &Union, serde: SerdeTraits) -> Vec<TokenStream> {
    let type_ident = ident(name);
    let docs = if docs.is_empty() { doc_attrs(Some(&format!("One of the types `{name}` may hold."))) } else { docs };
    let variants = union.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let ty = rust_type(api, &variant.ty);
        let doc = match &variant.ty {
            TypeRef::Named(inner) => format!(" A [`{}`].", api.def(*inner).name),
            _ => format!(" A `{}` value.", variant.name),
        };
        quote! {
            #[doc = #doc]
            #variant_ident(#ty),
        }
    });
    let Some(tag) = &union.tag else {
        let (always, gated) = (serde.always(), serde.gated());
        return vec![quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #always)]
            #gated
            #[serde(untagged)]
            #[allow(clippy::large_enum_variant)]
            pub enum #type_ident {
                #( #variants )*
            }
        }];
    };
    let arms = union.variants.iter().filter(|variant| !variant.tag_values.is_empty()).map(|variant| {
        let variant_ident = ident(&variant.name);
        let values = &variant.tag_values;
        quote! {
            #( Some(#values) )|* => serde_json::from_value(value).map(Self::#variant_ident).map_err(serde::de::Error::custom),
        }
    });
    let missing = format!("missing `{tag}`: it tells which kind of `{name}` this is");
    let (unknown_variant, unknown_arm) = match &union.unknown_variant {
        Some(unknown) => {
            let unknown = ident(unknown);
            let doc = format!(" A value whose `{tag}` this client does not know, kept as JSON.");
            (
                quote! {
                    #[doc = #doc]
                    #unknown(serde_json::Value),
                },
                quote!(Some(_) => Ok(Self::#unknown(value)),),
            )
        }
        None => (TokenStream::new(), TokenStream::new()),
    };
    // A value whose tag is missing or unknown: the `defaultMapping`'s variant, or an error.
    let last_arm = match union.default_variant.and_then(|index| union.variants.get(index)) {
        Some(default) => {
            let default = ident(&default.name);
            quote!(_ => serde_json::from_value(value).map(Self::#default).map_err(serde::de::Error::custom),)
        }
        None => quote!(_ => Err(serde::de::Error::custom(#missing)),),
    };
    // Serialized untagged (each variant already holds its tag); decoded by the tag's value.
    let (serialize_derive, serialize_gated, untagged) = if serde.serialize {
        (quote!(serde::Serialize), TokenStream::new(), quote!(#[serde(untagged)]))
    } else {
        let gate = serde.gate("serialize");
        (
            TokenStream::new(),
            quote!(#[cfg_attr(#gate, derive(serde::Serialize))]),
            quote!(#[cfg_attr(#gate, serde(untagged))]),
        )
    };
    let deserialize_gate = (!serde.deserialize).then(|| {
        let gate = serde.gate("deserialize");
        quote!(#[cfg(#gate)])
    });
    vec![
        quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #serialize_derive)]
            #serialize_gated
            #untagged
            #[allow(clippy::large_enum_variant)]
            pub enum #type_ident {
                #( #variants )*
                #unknown_variant
            }
        },
        quote! {
            #deserialize_gate
            impl<'de> serde::Deserialize<'de> for #type_ident {
                fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                    let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                    match value.get(#tag).and_then(serde_json::Value::as_str) {
                        #( #arms )*
                        #unknown_arm
                        #last_arm
                    }
                }
            }
        },
    ]
}

/// prettyplease prints the tokens of a macro call as one run of text; this lays out the calls of
/// the runtime's macros one field or variant per line, as a person would write them: the
/// `string_enum!` calls of the syntax tree path, and in a client bundled into one module (which
/// prints everything through prettyplease), the `object_serde!` calls too. Only whitespace
/// outside string literals changes.
pub(super) fn lay_out_runtime_macros(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut lines = text.split_inclusive('\n');
    while let Some(line) = lines.next() {
        out.push_str(line);
        // At the top of a file, or indented in a module (a build script's one-file client).
        let code = line.trim_start();
        let indent = &line[..line.len() - code.len()];
        let is_call =
            (code.starts_with("crate::runtime::") || code.starts_with("super::runtime::")) && code.ends_with("! {\n");
        if !is_call {
            continue;
        }
        let mut body = String::new();
        for inner in lines.by_ref() {
            if inner.trim_end() == format!("{indent}}}") {
                break;
            }
            body.push_str(inner.trim());
            body.push(' ');
        }
        let is_table = code.contains("::operation_specs!") || code.contains("::mock_operations!");
        let laid_out = if is_table { lay_out_table(body.trim()) } else { lay_out_macro_body(body.trim()) };
        for laid_out in laid_out.lines() {
            out.push_str(indent);
            out.push_str(laid_out);
            out.push('\n');
        }
        out.push_str(indent);
        out.push_str("}\n");
    }
    out
}

/// `Name { "a" => a : required Vec < T >, ... } unknown X` (or `... pub struct Name { ... } fn
/// new(...); impl Serialize; ...`) → the head, one field a line, then one statement a line.
fn lay_out_macro_body(body: &str) -> String {
    let Some((open, close)) = outer_braces(body) else { return format!("    {body}\n") };
    let name = body[..open].trim();
    let after = body[close + 1..].trim();
    let fields = split_outside_strings(&body[open + 1..close], ',');
    let mut out = if fields.is_empty() {
        format!("    {name} {{}}\n")
    } else {
        let mut out = format!("    {name} {{\n");
        for field in fields {
            out.push_str("        ");
            out.push_str(&tidy_field(&field));
            out.push_str(",\n");
        }
        out.push_str("    }\n");
        out
    };
    // What follows the braces (`unknown X`, or `fn new(...);` and the `impl ...;` lines), a
    // statement a line.
    let end = if after.contains(';') { ";" } else { "" };
    for statement in split_outside_strings(after, ';') {
        out.push_str(&format!("    {statement}{end}\n"));
    }
    out
}

/// The body of a table (`operation_specs!`, `mock_operations!`): a line an entry, with the spaces
/// prettyplease puts in paths, types and after names (`NAME : GET`, `Vec < T >`) taken out.
fn lay_out_table(body: &str) -> String {
    split_outside_strings(body, ';').iter().map(|entry| format!("    {};\n", tidy_outside_strings(entry))).collect()
}

/// `text` with ` :: `, ` < `, ` >` and ` : ` tightened outside its string literals.
fn tidy_outside_strings(text: &str) -> String {
    let tidy = |code: &str| {
        code.replace(" :: ", "::").replace(" ::", "::").replace(" < ", "<").replace(" >", ">").replace(" : ", ": ")
    };
    let (mut out, mut start) = (String::with_capacity(text.len()), 0);
    let (mut in_string, mut escaped) = (false, false);
    for (at, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' if in_string => {
                out.push_str(&text[start..=at]);
                (start, in_string) = (at + 1, false);
            }
            '"' => {
                out.push_str(&tidy(&text[start..at]));
                (start, in_string) = (at, true);
            }
            _ => {}
        }
    }
    out.push_str(&if in_string { text[start..].to_owned() } else { tidy(&text[start..]) });
    out
}

/// Where the first `{` outside string literals is, and the `}` that closes it.
fn outer_braces(text: &str) -> Option<(usize, usize)> {
    let (mut open, mut depth) = (None, 0usize);
    for (at, c) in outside_strings(text) {
        match c {
            '{' => {
                open.get_or_insert(at);
                depth += 1;
            }
            '}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some((open?, at));
                }
            }
            _ => {}
        }
    }
    None
}

/// `text` split at each `separator` outside string literals and `<...>`, each part trimmed,
/// empty parts left out.
fn split_outside_strings(text: &str, separator: char) -> Vec<String> {
    let (mut parts, mut start, mut depth) = (Vec::new(), 0, 0usize);
    for (at, c) in outside_strings(text) {
        match c {
            '<' => depth += 1,
            '>' => depth = depth.saturating_sub(1),
            c if c == separator && depth == 0 => {
                parts.push(text[start..at].trim().to_owned());
                start = at + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim().to_owned());
    parts.retain(|part| !part.is_empty());
    parts
}

/// The characters of `text` outside its string literals, with their offsets.
fn outside_strings(text: &str) -> impl Iterator<Item = (usize, char)> + '_ {
    let (mut in_string, mut escaped) = (false, false);
    text.char_indices().filter(move |&(_, c)| {
        let outside = !in_string && c != '"';
        match c {
            _ if escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            _ => {}
        }
        outside
    })
}

/// `"a" => Variant` and `"a" optional => pub a : Option < T >` → `... pub a: Option<T>`: the
/// spaces prettyplease puts in a type taken out, after the arrow only, and only where no string
/// literal follows it (a preset is left as it is).
fn tidy_field(field: &str) -> String {
    let Some(arrow) = field.rfind(" => ") else { return field.to_owned() };
    let (head, rest) = field.split_at(arrow);
    if rest.contains('"') {
        return field.to_owned();
    }
    // (prettyplease writes a path that starts with `crate` as `crate ::x`.)
    let rest =
        rest.replace(" :: ", "::").replace(" ::", "::").replace(" < ", "<").replace(" >", ">").replace(" : ", ": ");
    format!("{head}{rest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A bundled client's `object_serde!` call as prettyplease prints it, with the separators the
    /// layout splits at (`{`, `,`, `;`, ` => `) inside its string literals.
    #[test]
    fn a_macro_call_is_laid_out_a_field_a_line_and_its_strings_are_left_as_they_are() {
        let printed = "    super::runtime::object_serde! {\n        #[doc = \" A { b, c; d } => e\"] \
                       #[derive(Debug)] pub struct X { #[doc = \" x, y; z\"] \"a,b\" optional => pub a : \
                       Option < Vec < String > >, \"c\" required => pub c : String = \"p , q\" . to_owned (), } \
                       #[doc = \" new; it\"] fn new(); impl Serialize; impl Deserialize;\n    }\n";
        let expected = "    super::runtime::object_serde! {
        #[doc = \" A { b, c; d } => e\"] #[derive(Debug)] pub struct X {
            #[doc = \" x, y; z\"] \"a,b\" optional => pub a: Option<Vec<String>>,
            \"c\" required => pub c : String = \"p , q\" . to_owned (),
        }
        #[doc = \" new; it\"] fn new();
        impl Serialize;
        impl Deserialize;
    }
";
        assert_eq!(lay_out_runtime_macros(printed), expected);
    }

    /// The tables of specs and of expectations, a line an entry, with `;`, ` : `, ` :: ` and an
    /// escaped quote inside their string literals.
    #[test]
    fn a_table_is_laid_out_a_line_a_statement() {
        let printed = "    super::runtime::operation_specs! {\n        default server super :: servers :: DEFAULT; \
                       #[cfg(feature = \"a\")] A : GET \"/a;b : c\", id \"a\", statuses[200]; B : POST \"/b\", id \
                       \"b\", statuses[], query \"x;y \\\" :: \";\n    }\n";
        let expected = "    super::runtime::operation_specs! {
        default server super::servers::DEFAULT;
        #[cfg(feature = \"a\")] A: GET \"/a;b : c\", id \"a\", statuses[200];
        B: POST \"/b\", id \"b\", statuses[], query \"x;y \\\" :: \";
    }
";
        assert_eq!(lay_out_runtime_macros(printed), expected);
        let printed = "super::runtime::mock_operations! {\n    server MockServer; #[doc = \" Expects `GET /a` : it.\"] \
                       expect_a : A, params (AParams { id : path \"id\" }), ok Vec < super::models::Pet >, error \
                       serde_json :: Value;\n}\n";
        let expected = "super::runtime::mock_operations! {
    server MockServer;
    #[doc = \" Expects `GET /a` : it.\"] expect_a: A, params (AParams { id: path \"id\" }), ok Vec<super::models::Pet>, error serde_json::Value;
}
";
        assert_eq!(lay_out_runtime_macros(printed), expected);
    }
}

//! `models.rs`: one Rust type per named schema.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::types::{default_doc, default_expr, ident, rust_type};
use crate::ir::{Api, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, Union, Usage};

/// How many parts `models.rs` is made and formatted in, on threads of their own. A constant, so
/// that the output never depends on the machine (the parts are concatenated, which gives the
/// same text as formatting the file whole).
pub const MODEL_PARTS: usize = 4;

/// The tokens of part `part` (of [`MODEL_PARTS`]) of `models.rs`: the first part has the module
/// documentation and the `use` lines, and every part a contiguous run of the types.
pub fn models_part(api: &Api, part: usize) -> TokenStream {
    let chunk = api.types.len().div_ceil(MODEL_PARTS).max(1);
    let types = api.types.iter().skip(part * chunk).take(chunk).map(|def| type_def(api, def));
    if part > 0 {
        return quote! { #( #types )* };
    }
    let mentioned: Vec<TypeRef> = api.types.iter().flat_map(|def| types_in(&def.kind)).collect();
    let uses = uses_for(mentioned.iter());
    quote! {
        //! The types of the API's schemas: request and response bodies and everything in them.
        #uses
        #( #types )*
    }
}

/// The `use` lines a file needs for the types it mentions.
pub fn uses_for<'a>(types: impl Iterator<Item = &'a TypeRef>) -> TokenStream {
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
    quote! {
        #map
        #secret
        #upload
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

fn type_def(api: &Api, def: &TypeDef) -> TokenStream {
    let docs = doc_attrs(def.description.as_deref());
    let name = ident(&def.name);
    match &def.kind {
        TypeKind::Struct(body) => struct_def(api, &def.name, docs, body, Some(SerdeTraits::of(api, def.usage))),
        TypeKind::Enum(string_enum) => enum_def(&def.name, docs, string_enum),
        TypeKind::Union(union) => union_def(&def.name, docs, union, SerdeTraits::of(api, def.usage)),
        TypeKind::Alias(ty) => {
            let ty = rust_type(ty);
            let docs =
                if def.description.is_some() { docs } else { doc_attrs(Some(&format!("The `{}` schema.", def.name))) };
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
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
    fn of(api: &Api, usage: Usage) -> Self {
        SerdeTraits { serialize: usage.sent, deserialize: usage.received, tests: !api.examples.is_empty() }
    }

    /// The condition under which a trait the API does not need is implemented.
    fn gate(&self, feature: &str) -> TokenStream {
        if self.tests { quote!(any(test, feature = #feature)) } else { quote!(feature = #feature) }
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

/// A struct with public fields, a `new` taking the required fields, and `Default` when there
/// are none. Responses are never `deny_unknown_fields`: a server may add fields at any time.
/// Without `serde` (parameter structs) it has neither serde derives nor field attributes.
pub fn struct_def(api: &Api, name: &str, docs: TokenStream, body: &Struct, serde: Option<SerdeTraits>) -> TokenStream {
    let type_ident = ident(name);
    let docs = if docs.is_empty() { doc_attrs(Some(&format!("The `{name}` object."))) } else { docs };
    let fields = body.fields.iter().map(field_def);
    let additional = body.additional_properties.as_ref().map(|ty| {
        let ty = rust_type(ty);
        quote! {
            /// Properties not listed above.
            pub additional_properties: BTreeMap<String, #ty>,
        }
    });
    let constructor = constructor(api, name, body);
    let eq = (body.fields.iter().all(|f| is_eq_type(&f.ty))
        && body.additional_properties.as_ref().is_none_or(is_eq_type))
    .then(|| quote!(Eq,));
    let serde_impls = serde.map(|serde| {
        let serialize = serialize_struct(name, body);
        let deserialize = deserialize_struct(name, body);
        let serialize_gate = (!serde.serialize).then(|| serde.gate("serialize")).map(|gate| quote!(#[cfg(#gate)]));
        let deserialize_gate =
            (!serde.deserialize).then(|| serde.gate("deserialize")).map(|gate| quote!(#[cfg(#gate)]));
        quote! {
            #serialize_gate
            #serialize
            #deserialize_gate
            #deserialize
        }
    });
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #eq)]
        pub struct #type_ident {
            #( #fields )*
            #additional
        }
        #constructor
        #serde_impls
    }
}

/// `Serialize` for an object: a map of its fields, absent optional fields left out, and the
/// additional properties after them. Written out rather than derived, like [`deserialize_struct`].
fn serialize_struct(name: &str, body: &Struct) -> TokenStream {
    let type_ident = ident(name);
    let entries = body.fields.iter().map(|field| {
        let field_ident = ident(&field.name);
        let wire = &field.wire_name;
        if field.required {
            quote!(map.serialize_entry(#wire, &self.#field_ident)?;)
        } else {
            quote! {
                if let Some(value) = &self.#field_ident {
                    map.serialize_entry(#wire, value)?;
                }
            }
        }
    });
    let additional = body.additional_properties.as_ref().map(|_| {
        quote! {
            for (key, value) in &self.additional_properties {
                map.serialize_entry(key, value)?;
            }
        }
    });
    let allow_deprecated = body.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]));
    quote! {
        #allow_deprecated
        impl serde::Serialize for #type_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                use serde::ser::SerializeMap;
                let mut map = serializer.serialize_map(None)?;
                #( #entries )*
                #additional
                map.end()
            }
        }
    }
}

/// `Deserialize` for an object: one pass over its keys, unknown keys ignored (or kept as
/// additional properties), a repeated key an error, a missing required field an error that
/// names it, `null` kept apart from absent for optional nullable fields. Written out rather than
/// derived: the derive also makes a field enum and a sequence visitor per type, which JSON never
/// uses and which were a third of the generated crate's build time.
fn deserialize_struct(name: &str, body: &Struct) -> TokenStream {
    let type_ident = ident(name);
    let slot = |index: usize| format_ident!("field_{index}");
    let slots = body.fields.iter().enumerate().map(|(index, field)| {
        let slot = slot(index);
        let ty = rust_type(&field.ty);
        // The slot holds what the key's value decodes into: `T` for a required field that may
        // not be null, `Option<T>` (where `null` is `None`) for every other field.
        if field.required && !field.nullable {
            quote!(let mut #slot: Option<#ty> = None;)
        } else {
            quote!(let mut #slot: Option<Option<#ty>> = None;)
        }
    });
    let arms = body.fields.iter().enumerate().map(|(index, field)| {
        let slot = slot(index);
        let wire = &field.wire_name;
        quote!(#wire => field(&mut access, &mut #slot, #wire)?,)
    });
    let values = body.fields.iter().enumerate().map(|(index, field)| {
        let slot = slot(index);
        let field_ident = ident(&field.name);
        let wire = &field.wire_name;
        match (field.required, field.nullable) {
            (true, false) => quote!(#field_ident: required(#slot, #wire)?,),
            // Absent is `None` and present `Some(value)`, `null` included.
            (false, true) => quote!(#field_ident: #slot,),
            _ => quote!(#field_ident: #slot.flatten(),),
        }
    });
    let (additional_slot, unknown, additional_value) = match &body.additional_properties {
        Some(_) => (
            quote!(let mut additional = BTreeMap::new();),
            quote!(additional.insert(key.into_string(), access.next_value()?);),
            quote!(additional_properties: additional,),
        ),
        None => (TokenStream::new(), quote!(access.next_value::<serde::de::IgnoredAny>()?;), TokenStream::new()),
    };
    let dispatch = if body.fields.is_empty() {
        quote!(#unknown)
    } else {
        quote! {
            match key.as_str() {
                #( #arms )*
                _ => { #unknown }
            }
        }
    };
    let expecting = format!("a `{name}` object");
    let allow_deprecated = body.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]));
    let uses = if body.fields.iter().any(|f| f.required && !f.nullable) {
        quote!(
            use crate::runtime::object::{Key, field, required};
        )
    } else if body.fields.is_empty() {
        quote!(
            use crate::runtime::object::Key;
        )
    } else {
        quote!(
            use crate::runtime::object::{Key, field};
        )
    };
    quote! {
        impl<'de> serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                struct Visitor;
                impl<'de> serde::de::Visitor<'de> for Visitor {
                    type Value = #type_ident;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(#expecting)
                    }

                    #allow_deprecated
                    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut access: A) -> Result<Self::Value, A::Error> {
                        #uses
                        #( #slots )*
                        #additional_slot
                        while let Some(key) = access.next_key::<Key<'de>>()? {
                            #dispatch
                        }
                        Ok(#type_ident {
                            #( #values )*
                            #additional_value
                        })
                    }
                }
                deserializer.deserialize_map(Visitor)
            }
        }
    }
}

fn is_eq_type(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::F32 | TypeRef::F64 | TypeRef::Json | TypeRef::Named(_) => false,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => is_eq_type(inner),
        _ => true,
    }
}

fn field_def(field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let ty = rust_type(&field.rust_type());
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
    let text = paragraphs([field.description.as_deref().or(Some(&fallback)), Some(notes.as_str())]);
    let docs = doc_attrs(text.as_deref());
    let deprecated = field.deprecated.then(|| quote!(#[deprecated]));
    quote! {
        #docs
        #deprecated
        pub #name: #ty,
    }
}

fn constructor(api: &Api, name: &str, body: &Struct) -> TokenStream {
    let type_ident = ident(name);
    let mut arguments = Vec::new();
    let mut initializers = Vec::new();
    for field in &body.fields {
        let field_ident = ident(&field.name);
        let default = field.default.as_ref().and_then(|d| default_expr(api, &field.ty, d));
        let value = match (field.required, field.nullable, default) {
            (true, false, Some(default)) => default,
            (true, false, None) => {
                let (argument, conversion) = match &field.ty {
                    TypeRef::String => (quote!(#field_ident: impl Into<String>), quote!(#field_ident.into())),
                    TypeRef::Secret => (quote!(#field_ident: impl Into<SecretString>), quote!(#field_ident.into())),
                    other => {
                        let ty = rust_type(other);
                        arguments.push(quote!(#field_ident: #ty));
                        initializers.push(quote!(#field_ident,));
                        continue;
                    }
                };
                arguments.push(argument);
                conversion
            }
            _ => quote!(None),
        };
        initializers.push(quote!(#field_ident: #value,));
    }
    if body.additional_properties.is_some() {
        initializers.push(quote!(additional_properties: BTreeMap::new(),));
    }
    let allow_deprecated = body.fields.iter().any(|f| f.deprecated).then(|| quote!(#[allow(deprecated)]));
    let default_impl = arguments.is_empty().then(|| {
        quote! {
            impl Default for #type_ident {
                fn default() -> Self {
                    Self::new()
                }
            }
        }
    });
    let too_many = (arguments.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = if arguments.is_empty() {
        format!(" A `{name}` with every field unset or at its default.")
    } else {
        format!(" A `{name}` from its required fields; the other fields are unset or at their defaults.")
    };
    quote! {
        impl #type_ident {
            #[doc = #doc]
            #too_many
            #allow_deprecated
            pub fn new(#( #arguments ),*) -> Self {
                Self { #( #initializers )* }
            }
        }
        #default_impl
    }
}

/// A string enum that keeps unknown values in a catch-all variant instead of failing. Its serde
/// impls are written out: a derive with an `untagged` catch-all buffers every value and tries
/// each variant, which is slow to build and to run, while a string match is neither.
fn enum_def(name: &str, docs: TokenStream, string_enum: &StringEnum) -> TokenStream {
    let type_ident = ident(name);
    let docs = if docs.is_empty() { doc_attrs(Some(&format!("The values of `{name}`."))) } else { docs };
    let unknown = ident(&string_enum.unknown_variant);
    let variants = string_enum.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let doc = format!(" `{}`", variant.wire_value);
        let default = (string_enum.default_variant.as_ref() == Some(&variant.name)).then(|| quote!(#[default]));
        quote! {
            #[doc = #doc]
            #default
            #variant_ident,
        }
    });
    let to_wire = string_enum.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let wire = &variant.wire_value;
        quote!(Self::#variant_ident => #wire,)
    });
    let from_wire = string_enum.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let wire = &variant.wire_value;
        quote!(#wire => Self::#variant_ident,)
    });
    let derive_default = string_enum.default_variant.as_ref().map(|_| quote!(Default,));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, #derive_default)]
        #[non_exhaustive]
        pub enum #type_ident {
            #( #variants )*
            /// A value this version of the client does not know.
            #unknown(String),
        }

        impl #type_ident {
            /// The value as sent on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #( #to_wire )*
                    Self::#unknown(value) => value,
                }
            }

            fn from_wire(value: &str) -> Self {
                match value {
                    #( #from_wire )*
                    _ => Self::#unknown(value.to_owned()),
                }
            }
        }

        impl From<&str> for #type_ident {
            /// The known value `value` is, or the catch-all variant holding it.
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl std::fmt::Display for #type_ident {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for #type_ident {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::runtime::string_enum::deserialize(deserializer, Self::from_wire)
            }
        }
    }
}

/// `oneOf`/`anyOf`: untagged, tried in order; with a discriminator, the tag picks the variant.
fn union_def(name: &str, docs: TokenStream, union: &Union, serde: SerdeTraits) -> TokenStream {
    let type_ident = ident(name);
    let docs = if docs.is_empty() { doc_attrs(Some(&format!("One of the types `{name}` may hold."))) } else { docs };
    let variants = union.variants.iter().map(|variant| {
        let variant_ident = ident(&variant.name);
        let ty = rust_type(&variant.ty);
        let doc = match &variant.ty {
            TypeRef::Named(inner) => format!(" A [`{inner}`]."),
            _ => format!(" A `{}` value.", variant.name),
        };
        quote! {
            #[doc = #doc]
            #variant_ident(#ty),
        }
    });
    let Some(tag) = &union.tag else {
        let (always, gated) = (serde.always(), serde.gated());
        return quote! {
            #docs
            #[derive(Debug, Clone, PartialEq, #always)]
            #gated
            #[serde(untagged)]
            pub enum #type_ident {
                #( #variants )*
            }
        };
    };
    let arms = union.variants.iter().map(|variant| {
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
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #serialize_derive)]
        #serialize_gated
        #untagged
        pub enum #type_ident {
            #( #variants )*
            #unknown_variant
        }

        #deserialize_gate
        impl<'de> serde::Deserialize<'de> for #type_ident {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#tag).and_then(serde_json::Value::as_str) {
                    #( #arms )*
                    #unknown_arm
                    _ => Err(serde::de::Error::custom(#missing)),
                }
            }
        }
    }
}

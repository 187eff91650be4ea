//! IR types to Rust type tokens and default-value expressions.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Api, TypeKind, TypeRef};

/// An identifier, raw (`r#type`) where the IR made it so.
pub fn ident(name: &str) -> Ident {
    match name.strip_prefix("r#") {
        Some(raw) => Ident::new_raw(raw, Span::call_site()),
        None => Ident::new(name, Span::call_site()),
    }
}

/// The Rust type of `ty`, as [`TypeRef::rust`] prints it.
pub fn rust_type(api: &Api, ty: &TypeRef) -> TokenStream {
    // The IR writes every name and path it holds, so the text always parses.
    ty.rust(&api.types).to_string().parse().unwrap_or_else(|_| quote!(serde_json::Value))
}

/// A Rust expression of type `ty` for the spec's `default`, when one can be written.
pub fn default_expr(api: &Api, ty: &TypeRef, default: &Value) -> Option<TokenStream> {
    match (ty, default) {
        (TypeRef::String, Value::String(text)) => Some(quote!(#text.to_owned())),
        (TypeRef::Secret, Value::String(text)) => Some(quote!(SecretString::from(#text))),
        (TypeRef::Bool, Value::Bool(flag)) => Some(quote!(#flag)),
        (TypeRef::I32, Value::Number(n)) => n.as_i64().and_then(|n| i32::try_from(n).ok()).map(|n| quote!(#n)),
        (TypeRef::I64, Value::Number(n)) => n.as_i64().map(|n| quote!(#n)),
        (TypeRef::F32, Value::Number(n)) => n.as_f64().map(|n| {
            let n = n as f32;
            quote!(#n)
        }),
        (TypeRef::F64, Value::Number(n)) => n.as_f64().map(|n| quote!(#n)),
        (TypeRef::Extern(ext), Value::Number(n)) if ext.integer => integer_literal(&ext.rust, n),
        (TypeRef::Named(id), Value::String(wire)) => {
            let def = api.def(*id);
            let TypeKind::Enum(string_enum) = &def.kind else {
                return None;
            };
            let variant = string_enum.variants.iter().find(|v| &v.wire_value == wire)?;
            let (type_ident, variant_ident) = (ident(&def.name), ident(&variant.name));
            Some(quote!(#type_ident::#variant_ident))
        }
        _ => None,
    }
}

/// `n` as a literal of the integer type `rust` (`u64`, `i8`, ...), when it is in its range. Other
/// formats' defaults (a date, a UUID) are documented but not filled in: writing them would mean
/// parsing at run time, which could fail where the generator could not check.
fn integer_literal(rust: &str, n: &serde_json::Number) -> Option<TokenStream> {
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
    if value < min || value > max {
        return None;
    }
    let magnitude = proc_macro2::Literal::u128_unsuffixed(value.unsigned_abs());
    Some(if value < 0 { quote!(-#magnitude) } else { quote!(#magnitude) })
}

/// `default` as it reads in documentation.
pub fn default_doc(default: &Value) -> String {
    match default {
        Value::String(text) => format!("Defaults to `{text}`."),
        other => format!("Defaults to `{other}`."),
    }
}

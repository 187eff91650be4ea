//! IR types to Rust type tokens, and defaults as documentation.

use proc_macro2::{Ident, Span, TokenStream};
use quote::quote;
use serde_json::Value;

use crate::ir::{Api, TypeRef};

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

/// `default` as it reads in documentation.
pub fn default_doc(default: &Value) -> String {
    match default {
        Value::String(text) => format!("Defaults to `{text}`."),
        other => format!("Defaults to `{other}`."),
    }
}

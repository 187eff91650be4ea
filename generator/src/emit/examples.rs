//! `example_tests.rs`: one test per example of the document, that decodes it into the type the
//! document gives it and encodes it back to the same JSON.

use proc_macro2::TokenStream;
use quote::quote;

use super::gates::cfg_attr;
use super::types::{ident, rust_type};
use crate::ir::features::FeatureGates;
use crate::ir::{Api, TypeRef};

/// The tokens of `example_tests.rs`.
pub fn example_tests_file(api: &Api, gates: Option<&FeatureGates>) -> TokenStream {
    let tests = api.examples.iter().map(|example| {
        let cfg = gates.map(|gates| cfg_attr(Some(gates), &gates.of_type_ref(&example.ty))).unwrap_or_default();
        let name = ident(&example.test_name);
        let ty = rust_type(api, &example.ty);
        let json = example.value.to_string();
        let doc = format!(" `{}`", example.pointer);
        let check = if received_only(api, &example.ty) { quote!(round_trip_received) } else { quote!(round_trip) };
        quote! {
            #cfg
            #[doc = #doc]
            #[test]
            fn #name() {
                #check::<#ty>(#json);
            }
        }
    });
    quote! {
        //! The document's examples, each decoded into its type and encoded back to the same JSON.
        #![allow(unused_imports)]
        use std::collections::BTreeMap;
        use crate::models::*;
        use crate::runtime::examples::{round_trip, round_trip_received};

        #( #tests )*
    }
}

/// Whether the named type in `ty` is only received, so that its optional nullable fields are
/// `Option<T>` and a `null` in an example comes back absent.
fn received_only(api: &Api, ty: &TypeRef) -> bool {
    match ty.innermost() {
        TypeRef::Named(id) => api.def(*id).usage.received && !api.def(*id).usage.sent,
        _ => false,
    }
}

//! `#[cfg(feature = ...)]` on the items of gated operations and types (see
//! [`crate::ir::features`]), and the `[features]` they need in `Cargo.toml`.

use proc_macro2::{Delimiter, TokenStream, TokenTree};
use quote::quote;

use crate::ir::features::{FeatureGates, Gate};

/// The `#[cfg(...)]` attribute of `gate`; nothing for an item that is always compiled.
pub fn cfg_attr(gates: Option<&FeatureGates>, gate: &Gate) -> TokenStream {
    let (Some(gates), Gate::AnyOf(features)) = (gates, gate) else { return TokenStream::new() };
    let names: Vec<&str> = features.iter().map(|&i| gates.features[i].name.as_str()).collect();
    match names.as_slice() {
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any( #( feature = #many ),* ))]),
    }
}

/// `items` with `attr` put before each of them. An item ends at a `;`, or at a `{ ... }` that no
/// `;` follows (a `const` whose value is a struct literal ends at the `;` after it), which holds
/// for every item the emitter writes: structs, enums, impls, functions, consts, type aliases
/// and the runtime's `object_serde! { ... }` calls.
pub fn gate_items(attr: &TokenStream, items: TokenStream) -> TokenStream {
    if attr.is_empty() {
        return items;
    }
    let mut out = TokenStream::new();
    let mut item = TokenStream::new();
    let mut tokens = items.into_iter().peekable();
    while let Some(token) = tokens.next() {
        let ends = match &token {
            TokenTree::Punct(punct) => punct.as_char() == ';',
            TokenTree::Group(group) => {
                group.delimiter() == Delimiter::Brace
                    && !matches!(tokens.peek(), Some(TokenTree::Punct(next)) if next.as_char() == ';')
            }
            _ => false,
        };
        item.extend([token]);
        if ends {
            out.extend(attr.clone());
            out.extend(std::mem::take(&mut item));
        }
    }
    if !item.is_empty() {
        out.extend(attr.clone());
        out.extend(item);
    }
    out
}

/// The `[features]` lines of the tag features, and the names `default` turns on (all of them:
/// a user who wants fewer says `default-features = false` and names theirs).
pub fn cargo_features(gates: &FeatureGates) -> (String, Vec<String>) {
    let mut lines = String::new();
    for feature in &gates.features {
        let what = match &feature.tag {
            Some(tag) => format!("The operations tagged `{tag}`, and the types they need"),
            None => "The webhook payload parsers, and the types they need".to_owned(),
        };
        let description = feature
            .description
            .as_deref()
            .and_then(|text| text.lines().map(str::trim).find(|line| !line.is_empty()))
            .map(|line| format!(": {line}"))
            .unwrap_or_default();
        let implies: Vec<String> = feature.implies.iter().map(|name| format!("{name:?}")).collect();
        lines.push_str(&format!("# {what}{description}\n{} = [{}]\n", feature.name, implies.join(", ")));
    }
    (lines, gates.features.iter().map(|feature| feature.name.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn gated(items: TokenStream) -> String {
        gate_items(&quote!(#[cfg(feature = "a")]), items).to_string()
    }

    #[test]
    fn every_item_gets_the_attribute() {
        let items = quote! {
            #[doc = "A pet."]
            pub struct Pet { pub name: String }
            impl Pet { pub fn new() -> Self { todo!() } }
            pub struct Unit;
            const SPEC: Spec = Spec { a: 1 };
            crate::runtime::object_serde! { Pet { "name" => name: required String, } }
            pub type Alias = Vec<Pet>;
        };
        let text = gated(items);
        assert_eq!(text.matches("# [cfg (feature = \"a\")]").count(), 6, "{text}");
        assert!(text.starts_with("# [cfg (feature = \"a\")] # [doc = \"A pet.\"] pub struct Pet"), "{text}");
        assert!(text.contains("# [cfg (feature = \"a\")] const SPEC : Spec = Spec { a : 1 } ;"), "{text}");
    }

    #[test]
    fn always_compiled_items_are_left_alone() {
        let items = quote!(
            pub struct Pet;
        );
        assert_eq!(gate_items(&TokenStream::new(), items.clone()).to_string(), items.to_string());
    }
}

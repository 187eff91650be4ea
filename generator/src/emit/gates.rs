//! `#[cfg(feature = ...)]` on the items of gated operations and types (see
//! [`crate::ir::features`]), and the `[features]` they need in `Cargo.toml`.

use proc_macro2::TokenStream;
use quote::quote;

use super::split::Split;
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

/// What `text` writes of an item that is always compiled (`attr` empty); `None`, without making
/// it, for a gated one: the text paths write no gates, so a gated item keeps its tokens.
pub fn when_ungated<T>(attr: &TokenStream, text: impl FnOnce() -> Option<T>) -> Option<T> {
    if attr.is_empty() { text() } else { None }
}

/// `attr` (a [`cfg_attr`], or nothing) as prettyplease prints it before an item, each line
/// after `indent` and ended: for an item written as text, or a line of a runtime macro's table.
pub fn cfg_text(attr: &TokenStream, indent: &str) -> syn::Result<String> {
    if attr.is_empty() {
        return Ok(String::new());
    }
    let printed = prettyplease::unparse(&syn::parse2(quote!(#attr struct Gated;))?);
    let gate = printed.strip_suffix("struct Gated;\n").unwrap_or(&printed);
    Ok(gate.lines().map(|line| format!("{indent}{line}\n")).collect())
}

/// `items` with `attr` put before each of them (nothing, for what is always compiled). Every
/// function that emits gated code returns its items one by one, so that the attribute goes before
/// each item and never inside one.
pub fn gated(attr: &TokenStream, items: Vec<TokenStream>) -> TokenStream {
    quote! { #( #attr #items )* }
}

/// The `[features]` lines of the tag features, and the names `default` turns on (all of them:
/// a user who wants fewer says `default-features = false` and names theirs). A split client's
/// feature turns on the same feature of each model crate whose types it gates.
pub fn cargo_features(gates: &FeatureGates, split: Option<&Split>) -> (String, Vec<String>) {
    let mut lines = String::new();
    for (index, feature) in gates.features.iter().enumerate() {
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
        let forwarded = split.into_iter().flat_map(|split| &split.crates).filter(|c| c.features.contains(&index));
        let implies: Vec<String> = feature
            .implies
            .iter()
            .cloned()
            .chain(forwarded.map(|model_crate| format!("{}/{}", model_crate.package, feature.name)))
            .map(|name| format!("{name:?}"))
            .collect();
        lines.push_str(&format!("# {what}{description}\n{} = [{}]\n", feature.name, implies.join(", ")));
    }
    (lines, gates.features.iter().map(|feature| feature.name.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_gets_the_attribute_and_always_compiled_items_none() {
        let items = vec![
            quote!(
                pub struct Pet;
            ),
            quote!(impl Pet {}),
            quote!(
                const SPEC: Spec = Spec { a: 1 };
            ),
        ];
        let text = gated(&quote!(#[cfg(feature = "a")]), items.clone()).to_string();
        assert_eq!(text.matches("# [cfg (feature = \"a\")]").count(), 3, "{text}");
        assert!(text.contains("# [cfg (feature = \"a\")] const SPEC : Spec = Spec { a : 1 } ;"), "{text}");
        assert_eq!(
            gated(&TokenStream::new(), items).to_string(),
            "pub struct Pet ; impl Pet { } const SPEC : Spec = Spec { a : 1 } ;"
        );
    }
}

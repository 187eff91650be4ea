//! The client emitted as one module ([`Target::Module`](crate::options::Target::Module)), for a
//! build script to write into `OUT_DIR` and the user's crate to `include!`: the tokens of the
//! crate's files become inline modules of `pub mod {name} { ... }`, paths from the crate root
//! (`crate::models::Pet`, in code, macro calls and doc links) become paths from the module
//! (`super::models::Pet`), and the crate's own features, which the user's crate does not have,
//! are decided here: their `cfg`s become true or false, and what is false is left out. All of it
//! on tokens and syntax trees, then printed once: no printed text is read back.

use proc_macro2::{Delimiter, Group, Ident, Literal, Punct, Spacing, Span, TokenStream, TokenTree};
use quote::{ToTokens, quote};
use syn::punctuated::Punctuated;

use super::FileMaker;
use super::syntax::FileSyntax;
use crate::diagnostics::Error;
use crate::options::{ModuleFeatures, ModuleTarget};

/// A module has no mock server: the `mock` feature is the generated crate's (a build script's
/// client is tested against a server of its own).
const MODULE_MOCK: bool = false;

/// Whether the generated crate's `feature` is on in the module; `None` for a feature it does
/// not have (the including crate's own, in an attribute of the settings).
fn is_on(features: ModuleFeatures, feature: &str) -> Option<bool> {
    match feature {
        "middleware" => Some(features.middleware),
        "serialize" => Some(features.serialize),
        "deserialize" => Some(features.deserialize),
        "mock" => Some(MODULE_MOCK),
        _ => None,
    }
}

/// The marker the IR puts in place of `crate` in a replacement type's path (`crate::Money`,
/// a type of the user's crate), so that it is not taken for a path of the generated crate.
pub const USER_CRATE: &str = "__openapi_gen_user_crate";

/// Where a module target's text is in the [`GeneratedCrate`](crate::output::GeneratedCrate).
pub const MODULE_FILE: &str = "module.rs";

/// The Rust files of the client (`rust_files`, made here) as one `pub mod {name} { ... }`,
/// formatted once, under the target's header.
pub(super) fn bundle(rust_files: &[(String, FileMaker<'_>)], target: &ModuleTarget) -> Result<String, Error> {
    let parse = |path: &str| -> Result<syn::File, Error> {
        let invalid =
            |err: syn::Error| Error::general(format!("internal error: emitted {path} is not valid Rust: {err}"));
        let mut parts = rust_files.iter().filter(|(file, _)| file == path).peekable();
        if parts.peek().is_none() {
            return Err(Error::general(format!("internal error: the client has no {path}")));
        }
        let mut whole = FileSyntax::default();
        for (_, make) in parts {
            whole.append(make().map_err(invalid)?);
        }
        whole.into_file().map_err(invalid)
    };
    let mut lib = parse("src/lib.rs")?;
    for item in &mut lib.items {
        let syn::Item::Mod(module) = item else { continue };
        if module.content.is_some() {
            continue;
        }
        let file = parse(&format!("src/{}.rs", module.ident))?;
        module.attrs.extend(file.attrs);
        module.content = Some((Default::default(), file.items));
        module.semi = None;
    }
    let tokens = rewrite(lib.into_token_stream(), 0, target.features)?;
    let mut file: syn::File = syn::parse2(tokens)
        .map_err(|err| Error::general(format!("internal error: the bundled module does not parse: {err}")))?;
    leave_out_what_is_off(&mut file.items);
    let inner = std::mem::take(&mut file.attrs);
    let items = std::mem::take(&mut file.items);
    let name = Ident::new(&target.name, Span::call_site());
    let wrapped: syn::File = syn::parse2(quote! {
        pub mod #name {
            #( #inner )*
            #( #items )*
        }
    })
    .map_err(|err| Error::general(format!("internal error: the module does not parse: {err}")))?;
    let text = super::models::lay_out_runtime_macros(&prettyplease::unparse(&wrapped));
    Ok(format!("{}{text}", target.header))
}

/// `tokens` at module depth `depth` below the generated root, with `crate::` paths made
/// relative, the user's crate's paths (the marker's) made `crate::` and feature predicates
/// decided.
fn rewrite(tokens: TokenStream, depth: usize, features: ModuleFeatures) -> Result<TokenStream, Error> {
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    let mut out: Vec<TokenTree> = Vec::with_capacity(trees.len());
    let mut i = 0;
    while i < trees.len() {
        match &trees[i] {
            // `crate::` (not `$crate::`) → `self::` or `super::super::`.
            TokenTree::Ident(ident)
                if ident == "crate"
                    && is_path_separator(&trees, i + 1)
                    && !matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == '$') =>
            {
                out.extend(root_path(depth));
                i += 1;
            }
            // The generated crate's `feature = "name"` → `all()` (on) or `any()` (off); another
            // feature (in an attribute of the settings) is the including crate's, and stays.
            TokenTree::Ident(ident)
                if ident == "feature"
                    && is_feature_predicate(&trees, i)
                    && is_on(features, &literal_text(&trees[i + 2])).is_some() =>
            {
                let on = is_on(features, &literal_text(&trees[i + 2])).unwrap_or(false);
                let word = if on { "all" } else { "any" };
                out.push(TokenTree::Ident(Ident::new(word, ident.span())));
                out.push(TokenTree::Group(Group::new(Delimiter::Parenthesis, TokenStream::new())));
                i += 3;
            }
            // A path of the user's crate, the marker's until now.
            TokenTree::Ident(ident) if ident == USER_CRATE => {
                out.push(TokenTree::Ident(Ident::new("crate", ident.span())));
                i += 1;
            }
            // A doc string's links from the crate root.
            TokenTree::Ident(ident) if ident == "doc" && is_doc_string(&trees, i) => {
                let TokenTree::Literal(literal) = &trees[i + 2] else { unreachable!("checked") };
                let root: String = root_path(depth).into_iter().map(|tree| tree.to_string()).collect();
                let text = replace_crate_paths(&literal.to_string(), &format!("{root}::")).replace(USER_CRATE, "crate");
                out.push(trees[i].clone());
                out.push(trees[i + 1].clone());
                out.push(TokenTree::Literal(text.parse::<Literal>().unwrap_or_else(|_| literal.clone())));
                i += 3;
            }
            // `mod name { ... }` is one level deeper.
            TokenTree::Group(group) => {
                let deeper = matches!(
                    (out.len().checked_sub(2).map(|at| &out[at]), group.delimiter()),
                    (Some(TokenTree::Ident(keyword)), Delimiter::Brace) if keyword == "mod"
                );
                let inner = rewrite(group.stream(), depth + usize::from(deeper), features)?;
                let mut rewritten = Group::new(group.delimiter(), inner);
                rewritten.set_span(group.span());
                out.push(TokenTree::Group(rewritten));
                i += 1;
            }
            other => {
                out.push(other.clone());
                i += 1;
            }
        }
    }
    Ok(out.into_iter().collect())
}

/// The text of a string literal token, without its quotes.
fn literal_text(tree: &TokenTree) -> String {
    tree.to_string().trim_matches('"').to_owned()
}

/// `text` with every `crate::` that starts a path (not `my_crate::`, `$crate::`, nor the
/// marker of the user's crate) made `with`.
pub fn replace_crate_paths(text: &str, with: &str) -> String {
    let is_part_of_a_name = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("crate::") {
        out.push_str(&rest[..at]);
        let starts_a_path = !out.ends_with(is_part_of_a_name);
        out.push_str(if starts_a_path { with } else { "crate::" });
        rest = &rest[at + "crate::".len()..];
    }
    out.push_str(rest);
    out
}

fn is_path_separator(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at), trees.get(at + 1)),
        (Some(TokenTree::Punct(a)), Some(TokenTree::Punct(b)))
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':'
    )
}

fn is_feature_predicate(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at + 1), trees.get(at + 2)),
        (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(name))) if eq.as_char() == '=' && name.to_string().starts_with('"')
    )
}

/// `doc = "..."`, or `doc = r"..."` as `quote!` writes a `///` comment.
fn is_doc_string(trees: &[TokenTree], at: usize) -> bool {
    matches!(
        (trees.get(at + 1), trees.get(at + 2)),
        (Some(TokenTree::Punct(eq)), Some(TokenTree::Literal(text)))
            if eq.as_char() == '=' && text.to_string().trim_start_matches('r').trim_start_matches('#').starts_with('"')
    )
}

/// `self` at the root, `super` one module down, `super::super` two down; without the final `::`,
/// which the path that follows has.
fn root_path(depth: usize) -> Vec<TokenTree> {
    let mut path = Vec::new();
    if depth == 0 {
        path.push(TokenTree::Ident(Ident::new("self", Span::call_site())));
    }
    for level in 0..depth {
        if level > 0 {
            path.push(TokenTree::Punct(Punct::new(':', Spacing::Joint)));
            path.push(TokenTree::Punct(Punct::new(':', Spacing::Alone)));
        }
        path.push(TokenTree::Ident(Ident::new("super", Span::call_site())));
    }
    path
}

/// Drops the items whose `cfg` is now false (`cfg(any())`) and the `cfg`s now true
/// (`cfg(all())`), in modules and impl blocks.
fn leave_out_what_is_off(items: &mut Vec<syn::Item>) {
    items.retain(|item| !item_attrs(item).iter().any(is_false_cfg));
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    leave_out_what_is_off(items);
                }
            }
            syn::Item::Impl(block) => {
                block.items.retain(|item| match item {
                    syn::ImplItem::Fn(function) => !function.attrs.iter().any(is_false_cfg),
                    syn::ImplItem::Const(constant) => !constant.attrs.iter().any(is_false_cfg),
                    _ => true,
                });
                for item in &mut block.items {
                    if let syn::ImplItem::Fn(function) = item {
                        function.attrs.retain(|attr| !is_true_cfg(attr));
                    }
                }
            }
            _ => {}
        }
        if let Some(attrs) = item_attrs_mut(item) {
            attrs.retain(|attr| !is_true_cfg(attr));
            decide_cfg_attrs(attrs);
        }
    }
}

/// `#[cfg_attr(any(), ...)]` is dropped, `#[cfg_attr(all(), x)]` becomes `#[x]`; others stay.
fn decide_cfg_attrs(attrs: &mut Vec<syn::Attribute>) {
    attrs.retain_mut(|attr| {
        let syn::Meta::List(list) = &attr.meta else { return true };
        if !list.path.is_ident("cfg_attr") {
            return true;
        }
        let Ok(arguments) = list.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated) else {
            return true;
        };
        let mut arguments = arguments.into_iter();
        match arguments.next().as_ref().and_then(decided) {
            Some(false) => false,
            Some(true) => {
                if let (Some(meta), None) = (arguments.next(), arguments.next()) {
                    attr.meta = meta;
                }
                true
            }
            None => true,
        }
    });
}

/// Whether a predicate is decided: `all()` is true, `any()` false; `None` for another.
fn decided(predicate: &syn::Meta) -> Option<bool> {
    let syn::Meta::List(list) = predicate else { return None };
    if !list.tokens.is_empty() {
        return None;
    }
    if list.path.is_ident("all") {
        Some(true)
    } else if list.path.is_ident("any") {
        Some(false)
    } else {
        None
    }
}

/// Whether `attr` is a `#[cfg(...)]` decided to be `on`.
fn is_cfg_decided(attr: &syn::Attribute, on: bool) -> bool {
    let syn::Meta::List(list) = &attr.meta else { return false };
    list.path.is_ident("cfg") && list.parse_args::<syn::Meta>().ok().as_ref().and_then(decided) == Some(on)
}

fn is_false_cfg(attr: &syn::Attribute) -> bool {
    is_cfg_decided(attr, false)
}

fn is_true_cfg(attr: &syn::Attribute) -> bool {
    is_cfg_decided(attr, true)
}

fn item_attrs(item: &syn::Item) -> &[syn::Attribute] {
    match item {
        syn::Item::Use(item) => &item.attrs,
        syn::Item::Mod(item) => &item.attrs,
        syn::Item::Struct(item) => &item.attrs,
        syn::Item::Enum(item) => &item.attrs,
        syn::Item::Impl(item) => &item.attrs,
        syn::Item::Fn(item) => &item.attrs,
        syn::Item::Const(item) => &item.attrs,
        syn::Item::Static(item) => &item.attrs,
        syn::Item::Type(item) => &item.attrs,
        syn::Item::Macro(item) => &item.attrs,
        _ => &[],
    }
}

fn item_attrs_mut(item: &mut syn::Item) -> Option<&mut Vec<syn::Attribute>> {
    match item {
        syn::Item::Use(item) => Some(&mut item.attrs),
        syn::Item::Mod(item) => Some(&mut item.attrs),
        syn::Item::Struct(item) => Some(&mut item.attrs),
        syn::Item::Enum(item) => Some(&mut item.attrs),
        syn::Item::Impl(item) => Some(&mut item.attrs),
        syn::Item::Fn(item) => Some(&mut item.attrs),
        syn::Item::Const(item) => Some(&mut item.attrs),
        syn::Item::Static(item) => Some(&mut item.attrs),
        syn::Item::Type(item) => Some(&mut item.attrs),
        syn::Item::Macro(item) => Some(&mut item.attrs),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rewritten(tokens: TokenStream, features: ModuleFeatures) -> String {
        rewrite(tokens, 0, features).unwrap().to_string()
    }

    #[test]
    fn crate_paths_become_paths_from_the_module_at_every_depth() {
        let tokens = quote! {
            use crate::runtime::Client;
            pub mod models {
                #[doc = "See [`crate::Client`]."]
                pub struct Pet(crate::runtime::Upload);
                /// As `quote!` writes a comment: [`crate::Client`].
                pub struct Money(__openapi_gen_user_crate::Money);
                mod deeper {
                    crate::runtime::object_serde! {
                        pub struct X { "a" required => pub a: crate::Base64, }
                        fn new(a: crate::Base64);
                        impl Serialize;
                        impl Deserialize;
                    }
                }
            }
            macro_rules! m { () => { $crate::x() } }
            pub(crate) fn f() {}
        };
        let text = rewritten(tokens, ModuleFeatures::default());
        assert!(text.starts_with("use self :: runtime :: Client ;"), "{text}");
        assert!(text.contains("\"See [`super::Client`].\""), "{text}");
        assert!(text.contains("pub struct Pet (super :: runtime :: Upload)"), "{text}");
        assert!(text.contains("r\" As `quote!` writes a comment: [`super::Client`].\""), "{text}");
        assert!(text.contains("pub struct Money (crate :: Money)"), "the user's crate is `crate`: {text}");
        assert!(text.contains("super :: super :: runtime :: object_serde !"), "{text}");
        assert!(text.contains("pub a : super :: super :: Base64"), "macro bodies too: {text}");
        assert!(text.contains("$ crate :: x ()"), "`$crate` is left alone: {text}");
        assert!(text.contains("pub (crate) fn f"), "{text}");
    }

    #[test]
    fn the_crate_features_are_decided() {
        let tokens = quote! {
            #[cfg(feature = "middleware")]
            pub use runtime::reqwest_middleware;
            #[cfg_attr(feature = "serialize", derive(serde::Serialize))]
            pub struct A;
        };
        let on = ModuleFeatures { middleware: true, serialize: false, deserialize: false };
        let text = rewritten(tokens.clone(), on);
        assert!(text.contains("# [cfg (all ())] pub use"), "{text}");
        assert!(text.contains("# [cfg_attr (any () , derive"), "{text}");
        let mut file: syn::File = syn::parse_str(&text).unwrap();
        leave_out_what_is_off(&mut file.items);
        let decided = file.into_token_stream().to_string();
        assert_eq!(decided, "pub use runtime :: reqwest_middleware ; pub struct A ;");
        let mut off: syn::File = syn::parse_str(&rewritten(tokens, ModuleFeatures::default())).unwrap();
        leave_out_what_is_off(&mut off.items);
        assert_eq!(off.into_token_stream().to_string(), "pub struct A ;");
        // A feature the generated crate does not have is the including crate's.
        let theirs = rewrite(
            quote!(
                #[cfg_attr(feature = "schemars", derive(X))]
                struct B;
            ),
            0,
            ModuleFeatures::default(),
        );
        assert!(theirs.unwrap().to_string().contains("feature = \"schemars\""));
    }

    #[test]
    fn only_paths_that_start_with_crate_are_rewritten() {
        assert_eq!(replace_crate_paths("Vec<crate::Money>", "X::"), "Vec<X::Money>");
        assert_eq!(
            replace_crate_paths("crate::a::B and my_crate::C, $crate::d", "super::"),
            "super::a::B and my_crate::C, $crate::d"
        );
        assert_eq!(replace_crate_paths("__openapi_gen_user_crate::Money", "self::"), "__openapi_gen_user_crate::Money");
    }
}

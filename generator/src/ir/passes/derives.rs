//! `derive` and `attributes`: traits and attributes the settings add to models, by type name
//! pattern (`*` is any text: `"*"`, `"Account*"`). A derive is also added to every type the
//! matched ones hold, or the derive could not compile; and where a standard trait cannot hold
//! (`Hash` on a struct with an `f64`), generation stops and names the field, rather than the
//! generated crate failing to build.

use crate::diagnostics::Error;
use crate::ir::customize::no_such;
use crate::ir::{Api, TypeId, TypeKind, TypeRef};

/// Derives the generator makes itself, on every model: asked for, they change nothing.
const ALWAYS: &[&str] = &["Debug", "Clone", "PartialEq"];

/// Applies the settings' `derive` and `attributes` (pattern → items) to `api`'s models.
pub fn apply(
    api: &mut Api,
    derives: &[(String, Vec<String>)],
    attributes: &[(String, Vec<String>)],
) -> Result<(), Error> {
    for (pattern, items) in attributes {
        for index in matching(api, pattern, "attributes")? {
            // A type alias takes no attributes of a type; a pattern passes over aliases, a name
            // of one is refused.
            if matches!(api.types[index].kind, TypeKind::Alias(_)) {
                if pattern.contains('*') {
                    continue;
                }
                return Err(Error::general(format!(
                    "settings: attributes.{pattern:?}: `{}` is a type alias, which takes no attributes; name the \
                     type it stands for",
                    api.types[index].name
                )));
            }
            for attribute in items {
                if !api.types[index].attributes.contains(attribute) {
                    api.types[index].attributes.push(attribute.clone());
                }
            }
        }
    }
    let mut wanted: Vec<Vec<String>> = vec![Vec::new(); api.types.len()];
    for (pattern, traits) in derives {
        for name in traits {
            if let Some(refused) = refused(name) {
                return Err(Error::general(format!("settings: derive.{pattern:?} lists `{name}`: {refused}")));
            }
        }
        let traits: Vec<&String> = traits.iter().filter(|name| !ALWAYS.contains(&last_segment(name))).collect();
        let matched = matching(api, pattern, "derive")?;
        let roots: Vec<TypeRef> = matched.iter().map(|&i| TypeRef::Named(TypeId::at(i))).collect();
        let roots: Vec<&TypeRef> = roots.iter().collect();
        let reached = crate::ir::usage::reachable(&api.types, &roots);
        for (i, reached) in reached.into_iter().enumerate() {
            if !reached {
                continue;
            }
            for name in &traits {
                if !wanted[i].contains(name) {
                    wanted[i].push((*name).clone());
                }
            }
        }
    }
    for (def, traits) in api.types.iter_mut().zip(wanted) {
        // An alias has nothing to derive on; what it names got the traits.
        if !matches!(def.kind, TypeKind::Alias(_)) {
            def.derives = traits;
        }
    }
    check_standard_traits(api)
}

/// The positions of the types `pattern` matches, by name or by their schema's name.
fn matching(api: &Api, pattern: &str, setting: &str) -> Result<Vec<usize>, Error> {
    let schema_pointer = format!("#/components/schemas/{pattern}");
    let matched: Vec<usize> = api
        .types
        .iter()
        .enumerate()
        .filter(|(_, def)| {
            crate::ir::select::path_matches(pattern, &def.name) || def.pointer.as_str() == schema_pointer
        })
        .map(|(i, _)| i)
        .collect();
    if matched.is_empty() {
        return Err(no_such(setting, "type pattern", pattern, api.types.iter().map(|def| def.name.as_str())));
    }
    Ok(matched)
}

fn last_segment(path: &str) -> &str {
    path.rsplit("::").next().unwrap_or(path).trim()
}

/// Why a trait cannot be derived by the settings, for those the generator implements itself.
fn refused(path: &str) -> Option<&'static str> {
    match last_segment(path) {
        "Serialize" | "Deserialize" => Some(
            "models implement serde's traits through the runtime's macros; the generated crate's `serialize` and \
             `deserialize` features add the direction the API does not need",
        ),
        "Default" => Some("objects without required fields implement `Default` already, and the others cannot"),
        "Copy" => Some("models hold `String`s and `Vec`s, which are not `Copy`"),
        _ => None,
    }
}

/// `Eq`, `Hash`, `PartialOrd` and `Ord` need every field to have them: the types the generator
/// knows that lack one are refused by name, with the field that holds them.
fn check_standard_traits(api: &Api) -> Result<(), Error> {
    for def in &api.types {
        let has = |name: &str| def.derives.iter().any(|derive| last_segment(derive) == name);
        if has("Ord") && !matches!(def.kind, TypeKind::Enum(_)) && !(has("PartialOrd") && has("Eq")) {
            return Err(Error::general(format!(
                "settings: `Ord` is derived on `{}` without `PartialOrd` and `Eq`, which it needs: list them too",
                def.name
            )));
        }
        for name in &def.derives {
            let wanted = last_segment(name);
            if !["Eq", "Hash", "PartialOrd", "Ord"].contains(&wanted) {
                continue;
            }
            let held: Vec<(String, &TypeRef)> = match &def.kind {
                TypeKind::Struct(body) => body
                    .fields
                    .iter()
                    .map(|f| (f.name.clone(), &f.ty))
                    .chain(body.additional_properties.iter().map(|ty| ("additional_properties".to_owned(), ty)))
                    .collect(),
                TypeKind::Union(union) => union
                    .variants
                    .iter()
                    .map(|v| (v.name.clone(), &v.ty))
                    // A tagged union keeps a value of an unknown kind as JSON.
                    .chain(union.unknown_variant.iter().map(|name| (name.clone(), &TypeRef::Json)))
                    .collect(),
                TypeKind::Alias(_) | TypeKind::Enum(_) => Vec::new(),
            };
            for (member, ty) in held {
                if let Some(lacking) = lacks(through_aliases(api, ty), wanted) {
                    return Err(Error::general(format!(
                        "settings: `{name}` cannot be derived on `{}`: `{}.{member}` is {lacking}, which does not \
                         implement it",
                        def.name, def.name
                    )));
                }
            }
        }
    }
    Ok(())
}

/// The innermost type of `ty`, through aliases (`type Amount = f64` is an `f64`).
fn through_aliases<'a>(api: &'a Api, ty: &'a TypeRef) -> &'a TypeRef {
    let mut ty = ty.innermost();
    for _ in 0..api.types.len() {
        let TypeRef::Named(id) = ty else { break };
        match &api.def(*id).kind {
            TypeKind::Alias(target) => ty = target.innermost(),
            _ => break,
        }
    }
    ty
}

/// The type, in words, when `ty` does not implement the standard trait `wanted`.
fn lacks(ty: &TypeRef, wanted: &str) -> Option<&'static str> {
    let ordered = matches!(wanted, "PartialOrd" | "Ord");
    match ty {
        TypeRef::F32 | TypeRef::F64 if wanted != "PartialOrd" => Some("a floating-point number"),
        TypeRef::Json if ordered => Some("any JSON (`serde_json::Value`)"),
        TypeRef::Upload if wanted != "Eq" => Some("a file to upload"),
        TypeRef::Secret if wanted != "Eq" => Some("a secret (`SecretString`)"),
        TypeRef::Extern(ext) if ext.rust == crate::ir::formats::BASE64 && ordered => Some("base64 bytes"),
        _ => None,
    }
}

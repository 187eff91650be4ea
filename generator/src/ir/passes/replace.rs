//! `replace`: a schema, or one field, replaced by a Rust type of the user's choice
//! (`Money` → `rust_decimal::Decimal`, or a type of their own crate). The type replaced is not
//! generated, every use of it names the replacement, and the types that only it held are
//! pruned. The replacement must implement what models need of their fields: `Debug`, `Clone`,
//! `PartialEq` and the serde traits.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Error, Warning};
use crate::ir::customize::{find_type, no_such, split_member};
use crate::ir::formats::ExternType;
use crate::ir::{Api, BodyEncoding, TokenCall, TypeId, TypeKind, TypeRef};

/// Applies `replacements` (key → Rust type) to `api`.
pub fn apply(api: &mut Api, replacements: &BTreeMap<String, String>, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    if replacements.is_empty() {
        return Ok(());
    }
    let used_before = crate::ir::select::reached_by_api(&api.types, &api.operations, &api.webhooks, api.oauth.as_ref());
    let mut replaced_types: HashMap<TypeId, ExternType> = HashMap::new();
    for (key, rust) in replacements {
        let replacement = ExternType { rust: rust.clone(), dependency: None, integer: false, replacement: true };
        match find_type(api, key, "replace") {
            Ok(index) => {
                replaced_types.insert(TypeId::at(index), replacement);
            }
            Err(not_a_type) => match split_member(key) {
                Some((type_key, field)) => replace_field(api, key, type_key, field, replacement)?,
                None => return Err(not_a_type),
            },
        }
    }
    refuse_what_the_client_fills_itself(api, &replaced_types)?;
    api.visit_type_refs_mut(&mut |ty| substitute(ty, &replaced_types));
    drop_paging_through_replacements(api, warnings);
    // What the API used before and only a replaced type held is no longer used (nothing refers
    // to a replaced type now, so nothing reaches through it).
    let used_after = crate::ir::select::reached_by_api(&api.types, &api.operations, &api.webhooks, api.oauth.as_ref());
    let no_longer_used = |index: usize| used_before[index] && !used_after[index];
    let kept = |id: TypeId| !replaced_types.contains_key(&id) && !no_longer_used(id.index());
    // An example of a type that is gone would test nothing the crate has.
    api.examples.retain(|example| match example.ty.innermost() {
        TypeRef::Named(id) => kept(*id),
        TypeRef::Extern(ext) => !ext.replacement,
        _ => true,
    });
    api.retain_types(|id, _| kept(id))
}

fn replace_field(api: &mut Api, key: &str, type_key: &str, field: &str, replacement: ExternType) -> Result<(), Error> {
    let index = find_type(api, type_key, "replace")?;
    let def = &mut api.types[index];
    let TypeKind::Struct(body) = &mut def.kind else {
        return Err(Error::general(format!("settings: replace names `{key}`, but `{}` is not an object", def.name)));
    };
    let names: Vec<String> = body.fields.iter().map(|f| f.name.clone()).collect();
    let Some(target) = body.fields.iter_mut().find(|f| f.name == field || f.wire_name == field) else {
        return Err(no_such("replace", "field", key, names.iter().map(String::as_str)));
    };
    target.ty = TypeRef::Extern(replacement);
    Ok(())
}

/// The OAuth token request and multipart bodies are filled field by field by the generated
/// code, which a type of the user's cannot be.
fn refuse_what_the_client_fills_itself(api: &Api, replaced: &HashMap<TypeId, ExternType>) -> Result<(), Error> {
    let flows = api.oauth.iter().flat_map(|flow| [&flow.exchange, &flow.refresh]);
    for call in flows {
        if let TokenCall::Operation { body_type, operation_id, .. } = call
            && replaced.contains_key(body_type)
        {
            let body_type = &api.def(*body_type).name;
            return Err(Error::general(format!(
                "settings: replace names `{body_type}`, the body of the OAuth token request `{operation_id}`, \
                 which the client fills itself"
            )));
        }
    }
    for op in &api.operations {
        for body in op.methods.iter().filter_map(|method| method.body.as_ref()) {
            if let (BodyEncoding::Multipart(_), TypeRef::Named(id)) = (&body.encoding, body.ty.innermost())
                && replaced.contains_key(id)
            {
                let name = &api.def(*id).name;
                return Err(Error::general(format!(
                    "settings: replace names `{name}`, the multipart body of `{}`, which the client sends part \
                     by part",
                    op.operation_id
                )));
            }
        }
    }
    Ok(())
}

/// A listing whose page fields run through a replacement (a replaced type on the way, a
/// replaced field, or a replacement where the number of pages, the cursor or the items are)
/// cannot be walked: it keeps its method, loses its page streams, and says so.
fn drop_paging_through_replacements(api: &mut Api, warnings: &mut Vec<Warning>) {
    let types = &api.types;
    for op in &mut api.operations {
        let Some(pagination) = &op.pagination else { continue };
        let Some(start) = op.success_body_types().first().map(|ty| (*ty).clone()) else { continue };
        let paths = std::iter::once(&pagination.items).chain(pagination.kind.body_paths());
        let through = paths.into_iter().find(|path| match crate::ir::rename::field_type_at(types, &start, path) {
            None => !path.is_empty(),
            Some(ty) => matches!(ty.innermost(), TypeRef::Extern(ext) if ext.replacement),
        });
        if let Some(path) = through {
            warnings.push(Warning {
                pointer: op.pointer.clone(),
                message: format!(
                    "the pages of `{}` are read through `{}`, which the settings replace: it has no page streams",
                    op.operation_id,
                    path.join(".")
                ),
            });
            op.pagination = None;
        }
    }
}

fn substitute(ty: &mut TypeRef, replaced: &HashMap<TypeId, ExternType>) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(replacement) = replaced.get(id) {
                *ty = TypeRef::Extern(replacement.clone());
            }
        }
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
            substitute(inner, replaced)
        }
        _ => {}
    }
}

//! `rename`: new Rust names for operations (methods), types, fields and enum variants, for
//! descriptions whose names are poor. Every key names what it renames as the generator names
//! it without renames, so a key never depends on another rename; a new name must be an
//! identifier of the case Rust expects, and one that is already taken is refused, never
//! numbered. What refers to a renamed item by name (paths, page fields, multipart parts, the
//! OAuth calls, the parameters struct and enums named after an operation) follows it.

use std::collections::BTreeMap;

use crate::diagnostics::Error;
use crate::ir::customize::{Renames, find_type, no_such, split_member};
use crate::ir::operations::CLIENT_METHODS;
use crate::ir::{
    Api, PathSegment, ResponseBody, TokenCall, TypeDef, TypeId, TypeKind, TypeRef, UNDECLARED_PROPERTIES_FIELD, naming,
};

/// Applies `renames` to `api`: operations, fields and variants first (their keys name types by
/// their old names), then types.
pub fn apply(api: &mut Api, renames: &Renames) -> Result<(), Error> {
    let mut type_renames: BTreeMap<String, String> = BTreeMap::new();
    for (key, new) in &renames.operations {
        rename_operation(api, key, new, &mut type_renames)?;
    }
    for (key, new) in &renames.fields {
        rename_field(api, key, new)?;
    }
    for (key, new) in &renames.variants {
        rename_variant(api, key, new)?;
    }
    for (key, new) in &renames.types {
        let old = type_named_by(api, key)?;
        check_type_name(new, &format!("rename.types.{key}"))?;
        if type_renames.insert(old.clone(), new.clone()).is_some() {
            return Err(Error::general(format!("settings: `{old}` is renamed twice")));
        }
    }
    rename_types(api, &type_renames)
}

fn rename_operation(
    api: &mut Api,
    key: &str,
    new: &str,
    type_renames: &mut BTreeMap<String, String>,
) -> Result<(), Error> {
    let setting = format!("rename.operations.{key}");
    let new = method_name(new, &setting)?;
    let index = api
        .operations
        .iter()
        .position(|op| op.operation_id == key)
        .or_else(|| api.operations.iter().position(|op| op.methods.iter().any(|m| m.name == key)))
        .ok_or_else(|| {
            no_such("rename.operations", "operation", key, api.operations.iter().map(|op| op.operation_id.as_str()))
        })?;
    // The first method has the plain name; the others the base name (which a numbered first
    // name, `list_pets2`, does not start with) and a media type suffix.
    let op = &api.operations[index];
    let first = op.methods[0].name.clone();
    let base = naming::snake(&op.operation_id, "operation");
    let renamed: Vec<String> = op
        .methods
        .iter()
        .enumerate()
        .map(|(position, method)| {
            let suffix = method
                .name
                .strip_prefix(&format!("{base}_"))
                .or_else(|| method.name.strip_prefix(&format!("{first}_")));
            match suffix {
                Some(suffix) if position > 0 => format!("{new}_{suffix}"),
                _ if position > 0 => format!("{new}_{position}"),
                _ => new.clone(),
            }
        })
        .collect();
    if renamed.iter().enumerate().any(|(i, name)| renamed[..i].contains(name)) {
        return Err(Error::general(format!("settings: {setting} = {new:?} would give two of its methods one name")));
    }
    let pages = |name: &str| [format!("{name}_pages"), format!("{name}_items")];
    for name in &renamed {
        if CLIENT_METHODS.contains(&name.as_str()) {
            return Err(Error::general(format!(
                "settings: {setting} = {new:?}: the client has a method `{name}` of its own"
            )));
        }
    }
    for (_, other) in api.operations.iter().enumerate().filter(|(other, _)| *other != index) {
        let paged = other.pagination.is_some().then(|| pages(&other.methods[0].name)).into_iter().flatten();
        let names: Vec<String> = other.methods.iter().map(|m| m.name.clone()).chain(paged).collect();
        if let Some(taken) = names.iter().find(|name| renamed.contains(name)) {
            return Err(Error::general(format!(
                "settings: {setting} = {new:?} is the method of `{}` already ({taken})",
                other.operation_id
            )));
        }
        if op.pagination.is_some() && pages(&new).iter().any(|name| names.contains(name)) {
            return Err(Error::general(format!(
                "settings: {setting} = {new:?}: its page streams would have the name of a method of `{}`",
                other.operation_id
            )));
        }
    }
    let olds: Vec<String> = op.methods.iter().map(|m| m.name.clone()).collect();
    let op = &mut api.operations[index];
    for (method, name) in op.methods.iter_mut().zip(&renamed) {
        method.name.clone_from(name);
    }
    // The types named after the operation follow it, when they have the name it gave them.
    let (old_base, new_base) = (naming::camel(&op.operation_id, "Operation"), naming::camel(&new, "Operation"));
    let mut follow = |name: &str| {
        if let Some(rest) = name.strip_prefix(old_base.as_str())
            && ["Params", "ParamsRequired", "Error", "Response"].contains(&rest)
        {
            type_renames.insert(name.to_owned(), format!("{new_base}{rest}"));
        }
    };
    if let Some(params) = &op.params {
        follow(&params.name);
        params.required_fields.iter().for_each(|name| follow(name));
    }
    if let Some(error_enum) = &op.error_enum {
        follow(&error_enum.name);
    }
    if let ResponseBody::ByStatus(by_status) = &op.success {
        follow(&by_status.name);
    }
    // The OAuth calls name the method of the media type they send.
    let operation_id = op.operation_id.clone();
    for call in api.oauth.iter_mut().flat_map(|flow| [&mut flow.exchange, &mut flow.refresh]) {
        if let TokenCall::Operation { operation_id: called, method, .. } = call
            && *called == operation_id
            && let Some(position) = olds.iter().position(|old| old == method)
        {
            method.clone_from(&renamed[position]);
        }
    }
    Ok(())
}

fn rename_field(api: &mut Api, key: &str, new: &str) -> Result<(), Error> {
    let setting = format!("rename.fields.{key}");
    let Some((type_key, field)) = split_member(key) else {
        return Err(Error::general(format!("settings: {setting}: a field is named `Type.field`")));
    };
    let new = field_name(new, &setting)?;
    // A parameter: of the parameters struct named, or of the operation.
    if let Some(op) = api
        .operations
        .iter_mut()
        .find(|op| op.params.as_ref().is_some_and(|params| params.name == type_key) || op.operation_id == type_key)
    {
        let Some(params) = op.params.as_mut() else {
            return Err(Error::general(format!("settings: {setting}: `{type_key}` has no parameters")));
        };
        let names: Vec<String> = params.params.iter().map(|p| p.name.clone()).collect();
        let Some(param) = params.params.iter_mut().find(|p| p.name == field || p.wire_name == field) else {
            return Err(no_such("rename.fields", "parameter", key, names.iter().map(String::as_str)));
        };
        if names.contains(&new) {
            return Err(Error::general(format!("settings: {setting} = {new:?} is another parameter's name")));
        }
        let old = std::mem::replace(&mut param.name, new.clone());
        for segment in &mut op.path {
            if matches!(segment, PathSegment::Param(name) if *name == old) {
                *segment = PathSegment::Param(new.clone());
            }
        }
        if let Some(pagination) = &mut op.pagination {
            pagination
                .kind
                .params_mut()
                .into_iter()
                .filter(|param| **param == old)
                .for_each(|param| param.clone_from(&new));
        }
        return Ok(());
    }
    let index = find_type(api, type_key, "rename.fields")?;
    let (type_id, type_name) = (TypeId::at(index), api.types[index].name.clone());
    let TypeKind::Struct(body) = &mut api.types[index].kind else {
        return Err(Error::general(format!("settings: {setting}: `{type_name}` is not an object")));
    };
    let names: Vec<String> = body.fields.iter().map(|f| f.name.clone()).collect();
    let Some(target) = body.fields.iter_mut().find(|f| f.name == field || f.wire_name == field) else {
        return Err(no_such("rename.fields", "field", key, names.iter().map(|n| n.as_str())));
    };
    if names.contains(&new) || (new == UNDECLARED_PROPERTIES_FIELD && body.additional_properties.is_some()) {
        return Err(Error::general(format!("settings: {setting} = {new:?} is another field's name")));
    }
    let old = std::mem::replace(&mut target.name, new.clone());
    // The page fields read through the type, and the parts of a multipart body of it.
    for op in &mut api.operations {
        for body in op.methods.iter_mut().filter_map(|method| method.body.as_mut()) {
            if let (crate::ir::BodyEncoding::Multipart(parts), TypeRef::Named(id)) =
                (&mut body.encoding, body.ty.innermost())
                && *id == type_id
            {
                parts.iter_mut().filter(|part| part.field == old).for_each(|part| part.field.clone_from(&new));
            }
        }
        let start = op.success_body_types().first().map(|ty| (*ty).clone());
        if let (Some(pagination), Some(start)) = (&mut op.pagination, start) {
            let mut paths = pagination.kind.body_paths_mut();
            paths.push(&mut pagination.items);
            for path in paths {
                let along = types_along(&api.types, &start, path);
                for (step, through) in along.iter().enumerate() {
                    if *through == type_id && path[step] == old {
                        path[step].clone_from(&new);
                    }
                }
            }
        }
    }
    Ok(())
}

fn rename_variant(api: &mut Api, key: &str, new: &str) -> Result<(), Error> {
    let setting = format!("rename.variants.{key}");
    let Some((type_key, variant)) = split_member(key) else {
        return Err(Error::general(format!("settings: {setting}: a variant is named `Type.Variant`")));
    };
    check_camel_case(new, &setting)?;
    let index = find_type(api, type_key, "rename.variants")?;
    let def = &mut api.types[index];
    let (names, target): (Vec<String>, Option<&mut String>) = match &mut def.kind {
        TypeKind::Enum(string_enum) => {
            let mut names: Vec<String> = string_enum.variants.iter().map(|v| v.name.clone()).collect();
            names.push(string_enum.unknown_variant.clone());
            let found = string_enum.variants.iter().position(|v| v.name == variant || v.wire_value == variant);
            if let Some(found) = found {
                if string_enum.default_variant.as_deref() == Some(string_enum.variants[found].name.as_str()) {
                    string_enum.default_variant = Some(new.to_owned());
                }
                (names, Some(&mut string_enum.variants[found].name))
            } else if string_enum.unknown_variant == variant {
                (names, Some(&mut string_enum.unknown_variant))
            } else {
                (names, None)
            }
        }
        TypeKind::Union(union) => {
            let mut names: Vec<String> = union.variants.iter().map(|v| v.name.clone()).collect();
            names.extend(union.unknown_variant.iter().cloned());
            let found = union
                .variants
                .iter_mut()
                .find(|v| v.name == variant || v.tag_values.iter().any(|value| value == variant))
                .map(|v| &mut v.name);
            let found = match found {
                Some(found) => Some(found),
                None => union.unknown_variant.as_mut().filter(|unknown| *unknown == variant),
            };
            (names, found)
        }
        _ => return Err(Error::general(format!("settings: {setting}: `{}` is not an enum", def.name))),
    };
    let Some(target) = target else {
        return Err(no_such("rename.variants", "variant", key, names.iter().map(String::as_str)));
    };
    if names.iter().any(|name| name == new) {
        return Err(Error::general(format!("settings: {setting} = {new:?} is another variant's name")));
    }
    *target = new.to_owned();
    Ok(())
}

/// Every type name of the API: models (but those `leave_out` says), parameters structs, status
/// enums and the structs of required fields.
pub(super) fn all_type_names(api: &Api, leave_out: &dyn Fn(TypeId) -> bool) -> Vec<String> {
    let models =
        || api.types.iter().enumerate().filter(|(index, _)| !leave_out(TypeId::at(*index))).map(|(_, def)| def);
    let mut names: Vec<String> = models().map(|def| def.name.clone()).collect();
    for def in models() {
        if let TypeKind::Struct(body) = &def.kind {
            names.extend(body.required_fields.iter().cloned());
        }
    }
    for op in &api.operations {
        if let Some(params) = &op.params {
            names.push(params.name.clone());
            names.extend(params.required_fields.iter().cloned());
        }
        names.extend(op.error_enum.iter().map(|e| e.name.clone()));
        if let ResponseBody::ByStatus(by_status) = &op.success {
            names.push(by_status.name.clone());
        }
    }
    names
}

/// The type `key` names, as the generator named it.
fn type_named_by(api: &Api, key: &str) -> Result<String, Error> {
    match find_type(api, key, "rename.types") {
        Ok(index) => Ok(api.types[index].name.clone()),
        Err(err) => all_type_names(api, &|_| false).into_iter().find(|name| name == key).ok_or(err),
    }
}

fn rename_types(api: &mut Api, renames: &BTreeMap<String, String>) -> Result<(), Error> {
    if renames.is_empty() {
        return Ok(());
    }
    let mut renames = renames.clone();
    // A struct's required fields are named after it, and follow it when they still can.
    for def in &api.types {
        if let (TypeKind::Struct(body), Some(new)) = (&def.kind, renames.get(&def.name))
            && let Some(required) = &body.required_fields
            && *required == format!("{}Required", def.name)
        {
            let new = format!("{new}Required");
            renames.entry(required.clone()).or_insert(new);
        }
    }
    let names = all_type_names(api, &|_| false);
    let mut after: Vec<&str> = names.iter().map(|name| renames.get(name).unwrap_or(name).as_str()).collect();
    after.sort_unstable();
    if let Some(twice) = after.windows(2).find(|pair| pair[0] == pair[1]) {
        let from: Vec<&str> =
            names.iter().filter(|name| renames.get(*name).unwrap_or(name) == twice[0]).map(String::as_str).collect();
        return Err(Error::general(format!(
            "settings: rename.types would name two types `{}`: `{}`",
            twice[0],
            from.join("` and `"),
        )));
    }
    let rename = |name: &mut String| {
        if let Some(new) = renames.get(name.as_str()) {
            name.clone_from(new);
        }
    };
    // The types by id are renamed in their definitions alone; the types generated beside
    // operations and structs are named where they are used too.
    api.visit_type_refs_mut(&mut |ty| {
        if let TypeRef::Companion(name) = ty.innermost_mut() {
            rename(name);
        }
    });
    for def in &mut api.types {
        rename(&mut def.name);
        if let TypeKind::Struct(body) = &mut def.kind {
            body.required_fields.iter_mut().for_each(rename);
        }
    }
    for op in &mut api.operations {
        if let Some(params) = &mut op.params {
            rename(&mut params.name);
            params.required_fields.iter_mut().for_each(rename);
        }
        op.error_enum.iter_mut().for_each(|e| rename(&mut e.name));
        if let ResponseBody::ByStatus(by_status) = &mut op.success {
            rename(&mut by_status.name);
        }
    }
    api.sort_types();
    Ok(())
}

/// The types a field path runs through from `start`, one per step (`items` of a page,
/// `list_info.num_pages`): the struct whose field each step names. `types` is indexed by id.
fn types_along(types: &[TypeDef], start: &TypeRef, path: &[String]) -> Vec<TypeId> {
    let mut along = Vec::with_capacity(path.len());
    let mut current = start.clone();
    for step in path {
        let Some((id, def)) = bare_struct(types, &current) else { break };
        let TypeKind::Struct(body) = &def.kind else { break };
        along.push(id);
        let Some(field) = body.fields.iter().find(|field| field.name == *step) else { break };
        current = field.ty.clone();
    }
    along
}

/// The type of the field at the end of `path` from `start`; `None` when a step is not a field
/// of an object (the body is the list when `path` is empty: its type is `start`).
pub(crate) fn field_type_at(types: &[TypeDef], start: &TypeRef, path: &[String]) -> Option<TypeRef> {
    let mut current = start.clone();
    for step in path {
        let TypeKind::Struct(body) = &bare_struct(types, &current)?.1.kind else { return None };
        current = body.fields.iter().find(|field| field.name == *step)?.ty.clone();
    }
    Some(current)
}

/// The named type `ty` is, through options, boxes and aliases.
fn bare_struct<'t>(types: &'t [TypeDef], ty: &'t TypeRef) -> Option<(TypeId, &'t TypeDef)> {
    let mut ty = ty;
    for _ in 0..types.len() + 1 {
        match ty {
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(id) => {
                let def = types.get(id.index())?;
                match &def.kind {
                    TypeKind::Alias(inner) => ty = inner,
                    _ => return Some((*id, def)),
                }
            }
            _ => return None,
        }
    }
    None
}

/// A method name: snake case; a keyword becomes a raw identifier.
fn method_name(new: &str, setting: &str) -> Result<String, Error> {
    field_name(new, setting)
}

/// A field or method name: an identifier in snake case; a keyword becomes a raw identifier.
fn field_name(new: &str, setting: &str) -> Result<String, Error> {
    let snake = naming::snake(new, "field");
    let valid = new.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && new.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(Error::general(format!(
            "settings: {setting} = {new:?} is not a snake_case identifier; did you mean {:?}?",
            snake.trim_start_matches("r#")
        )));
    }
    Ok(snake)
}

/// A variant name: an identifier that starts with an upper-case letter and has no underscore.
fn check_camel_case(new: &str, setting: &str) -> Result<(), Error> {
    let valid = new.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && new.chars().all(|c| c.is_ascii_alphanumeric())
        && new != "Self";
    if valid {
        Ok(())
    } else {
        Err(Error::general(format!(
            "settings: {setting} = {new:?} is not an UpperCamelCase identifier; did you mean {:?}?",
            naming::camel(new, "Type")
        )))
    }
}

/// A type name: as a variant's, and not one the generated modules use themselves.
fn check_type_name(new: &str, setting: &str) -> Result<(), Error> {
    check_camel_case(new, setting)?;
    if naming::is_reserved_type_name(new) {
        return Err(Error::general(format!(
            "settings: {setting} = {new:?}: the generated client uses that name itself"
        )));
    }
    Ok(())
}

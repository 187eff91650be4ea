//! Rewrites OpenAPI 3.1 (JSON Schema 2020-12) constructs, and common deviations found in
//! real documents, into the OpenAPI 3.0 shapes the typed views (`view/`) read.
//!
//! Only schema positions are rewritten: examples and extensions are arbitrary JSON and a key such
//! as `type` inside them means nothing to us.

use serde_json::{Map, Value, json};

use super::OPERATION_FIELDS;
use crate::diagnostics::{Pointer, Warning};

/// Normalizes every schema in the document, in place.
pub fn normalize_document(doc: &mut Value, warnings: &mut Vec<Warning>) {
    if let Some(object) = doc.as_object_mut() {
        if object.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.2")) {
            // 3.2 makes a response's `description` optional, beside its new `summary`.
            describe_responses(object);
        }
        if object.get("openapi").and_then(Value::as_str).is_some_and(|v| v.starts_with("3.1") || v.starts_with("3.2")) {
            // The views read 3.0 shapes; after normalization this document has them.
            object.insert("openapi".to_owned(), json!("3.0.3"));
            // 3.1 makes `paths` optional (a document may hold only webhooks or components).
            object.entry("paths").or_insert_with(|| json!({}));
        }
        relax_structure(object, warnings);
        if let Some(version) = object.get("openapi").filter(|v| !v.is_string()) {
            let text = version.to_string();
            object.insert("openapi".to_owned(), Value::String(text));
        }
    }
    walk_document(doc, &Pointer::root(), warnings);
}

/// Gives every response without a `description` its `summary` as one (or an empty one), as 3.2
/// allows: the responses of every operation under `paths` and `webhooks` (fixed fields,
/// `additionalOperations`, callbacks), and `components.responses`.
fn describe_responses(object: &mut Map<String, Value>) {
    for key in ["paths", "webhooks"] {
        let items = object.get_mut(key).and_then(Value::as_object_mut);
        for item in items.into_iter().flat_map(|items| items.values_mut()) {
            describe_item(item);
        }
    }
    if let Some(responses) = object.get_mut("components").and_then(|components| components.get_mut("responses")) {
        describe(responses);
    }
}

fn describe_item(item: &mut Value) {
    let Some(item) = item.as_object_mut() else { return };
    for (key, value) in item.iter_mut() {
        let operations: Vec<&mut Value> = match key.as_str() {
            "additionalOperations" => value.as_object_mut().into_iter().flat_map(|more| more.values_mut()).collect(),
            field if OPERATION_FIELDS.contains(&field) => vec![value],
            _ => Vec::new(),
        };
        for operation in operations.into_iter().filter_map(Value::as_object_mut) {
            if let Some(responses) = operation.get_mut("responses") {
                describe(responses);
            }
            let callbacks = operation.get_mut("callbacks").and_then(Value::as_object_mut);
            for callback in callbacks.into_iter().flat_map(|callbacks| callbacks.values_mut()) {
                for item in callback.as_object_mut().into_iter().flat_map(|callback| callback.values_mut()) {
                    describe_item(item);
                }
            }
        }
    }
}

fn describe(responses: &mut Value) {
    for response in responses.as_object_mut().into_iter().flat_map(|responses| responses.values_mut()) {
        if let Value::Object(response) = response
            && !response.contains_key("description")
            && !response.contains_key("$ref")
        {
            let summary = response.get("summary").filter(|summary| summary.is_string()).cloned();
            response.insert("description".to_owned(), summary.unwrap_or_else(|| json!("")));
        }
    }
}

/// Fills in or drops what real documents leave out or use beyond the 3.0 model: operations
/// without `responses` (optional in 3.1, forgotten in 3.0) and security scheme types the 3.0
/// model does not have (`mutualTLS`).
fn relax_structure(object: &mut Map<String, Value>, warnings: &mut Vec<Warning>) {
    let without_responses = |operation: &mut Value, at: Pointer, warnings: &mut Vec<Warning>| {
        if let Value::Object(operation) = operation
            && !operation.contains_key("responses")
        {
            operation.insert("responses".to_owned(), json!({}));
            warnings.push(Warning {
                pointer: at,
                message: "no `responses`; the operation is taken to answer with no body".to_owned(),
            });
        }
    };
    if let Some(Value::Object(paths)) = object.get_mut("paths") {
        for (path, item) in paths.iter_mut() {
            let Some(item) = item.as_object_mut() else { continue };
            let item_at = Pointer::root().push("paths").push(path);
            for method in OPERATION_FIELDS {
                if let Some(operation) = item.get_mut(method) {
                    without_responses(operation, item_at.push(method), warnings);
                }
            }
            // OpenAPI 3.2: operations of any other method, by its name.
            if let Some(Value::Object(more)) = item.get_mut("additionalOperations") {
                for (method, operation) in more.iter_mut() {
                    without_responses(operation, item_at.push("additionalOperations").push(method), warnings);
                }
            }
        }
    }
    let schemes = object
        .get_mut("components")
        .and_then(|components| components.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut);
    if let Some(schemes) = schemes {
        let known = ["apiKey", "http", "oauth2", "openIdConnect"];
        let unknown: Vec<String> = schemes
            .iter()
            .filter(|(_, scheme)| {
                scheme.get("$ref").is_none()
                    && !scheme.get("type").and_then(Value::as_str).is_some_and(|t| known.contains(&t))
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in unknown {
            let kind = schemes[&name].get("type").map(Value::to_string).unwrap_or_else(|| "no type".to_owned());
            schemes.shift_remove(&name);
            warnings.push(Warning {
                pointer: Pointer::root().push("components").push("securitySchemes").push(&name),
                message: format!("security scheme type {kind} is not supported; the scheme is left out"),
            });
        }
    }
}

/// Keys under which the document holds arbitrary JSON rather than OpenAPI objects.
fn is_opaque_key(key: &str) -> bool {
    key.starts_with("x-") || key == "example" || key == "examples"
}

/// Whether the object at `at` maps user-chosen names to objects (`responses`, `properties`, ...),
/// where a key such as `description` is a name, not the documentation field.
fn is_named_map(at: &Pointer) -> bool {
    let last = at.tokens().last().unwrap_or_default();
    matches!(
        last.as_str(),
        "paths"
            | "responses"
            | "schemas"
            | "parameters"
            | "headers"
            | "requestBodies"
            | "securitySchemes"
            | "links"
            | "callbacks"
            | "content"
            | "encoding"
            | "variables"
            | "webhooks"
            | "scopes"
            | "mapping"
    )
}

fn walk_document(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                let child_at = at.push(key);
                if is_opaque_key(key) {
                    continue;
                }
                if (key == "description" || key == "summary") && !child.is_string() && !is_named_map(at) {
                    // Seen in the wild: `{$ref: docs.md}` as a description. It only documents.
                    warnings.push(Warning {
                        pointer: child_at.clone(),
                        message: format!("`{key}` is not a string; ignored"),
                    });
                    *child = Value::Null;
                } else if key == "schema" || key == "itemSchema" {
                    // `itemSchema` (3.2): the schema of each item of a sequential media type.
                    normalize_schema(child, &child_at, warnings);
                } else if key == "schemas" && at.as_str() == "#/components" {
                    if let Some(schemas) = child.as_object_mut() {
                        for (name, schema) in schemas.iter_mut() {
                            normalize_schema(schema, &child_at.push(name), warnings);
                        }
                    }
                } else {
                    walk_document(child, &child_at, warnings);
                }
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter_mut().enumerate() {
                walk_document(child, &at.push(index.to_string()), warnings);
            }
        }
        _ => {}
    }
}

/// Normalizes one schema and, recursively, the schemas inside it.
pub fn normalize_schema(value: &mut Value, at: &Pointer, warnings: &mut Vec<Warning>) {
    // JSON Schema allows `true` (anything) and `false` (nothing) as schemas.
    if let Value::Bool(accepts_anything) = value {
        *value = if *accepts_anything { json!({}) } else { json!({"not": {}}) };
        return;
    }
    let Some(schema) = value.as_object_mut() else {
        warnings.push(Warning {
            pointer: at.clone(),
            message: "a schema must be an object; treated as any JSON value".to_owned(),
        });
        *value = json!({});
        return;
    };
    if schema.contains_key("$ref") {
        // A 3.1 `$ref` may have siblings; they only document, and the views read only the `$ref`.
        return;
    }
    if schema.get("x-int-or-string") == Some(&Value::Bool(true)) && schema.get("type") == Some(&json!("string")) {
        // Dropbox Sign's extension: a string field that also takes an integer (`signer: 1`).
        schema.insert("type".to_owned(), json!(["integer", "string"]));
    }
    normalize_type(schema, at, warnings);
    normalize_keywords(schema, at, warnings);
    normalize_children(schema, at, warnings);
    absorb_null_members(schema);
}

/// `type: [string, 'null']` → `type: string, nullable: true`; several non-null types → `anyOf`.
fn normalize_type(schema: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    let Some(declared) = schema.get("type").cloned() else {
        return;
    };
    let mut types: Vec<String> = match declared {
        Value::String(single) => vec![single],
        Value::Array(many) => many.into_iter().filter_map(|t| t.as_str().map(str::to_owned)).collect(),
        _ => {
            warnings.push(Warning {
                pointer: at.push("type"),
                message: "`type` must be a string or an array of strings; ignored".to_owned(),
            });
            schema.remove("type");
            return;
        }
    };
    if types.iter().any(|t| t == "null") {
        types.retain(|t| t != "null");
        schema.insert("nullable".to_owned(), json!(true));
    }
    // Swagger 2's `file` type survives in many hand-converted documents.
    for declared_type in &mut types {
        if declared_type == "file" {
            *declared_type = "string".to_owned();
            schema.insert("format".to_owned(), json!("binary"));
        }
    }
    types.dedup();
    match types.len() {
        0 => {
            schema.remove("type");
        }
        1 => {
            schema.insert("type".to_owned(), Value::String(types.remove(0)));
        }
        _ => {
            schema.remove("type");
            let members: Vec<Value> = types.into_iter().map(|t| json!({ "type": t })).collect();
            if schema.contains_key("anyOf") || schema.contains_key("oneOf") {
                warnings.push(Warning {
                    pointer: at.push("type"),
                    message: "several types beside anyOf/oneOf; the type list is ignored".to_owned(),
                });
            } else {
                schema.insert("anyOf".to_owned(), Value::Array(members));
            }
        }
    }
}

fn normalize_keywords(schema: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    if let Some(constant) = schema.remove("const") {
        schema.entry("enum").or_insert_with(|| Value::Array(vec![constant]));
    }
    if let Some(Value::Array(mut examples)) = schema.remove("examples") {
        if !schema.contains_key("example") && !examples.is_empty() {
            schema.insert("example".to_owned(), examples.swap_remove(0));
        }
    }
    for (bound, exclusive) in [("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")] {
        if let Some(limit) = schema.get(exclusive).filter(|v| v.is_number()).cloned() {
            schema.insert(bound.to_owned(), limit);
            schema.insert(exclusive.to_owned(), json!(true));
        }
    }
    if schema.get("type").and_then(Value::as_str) == Some("string") && !schema.contains_key("format") {
        if schema.get("contentEncoding").and_then(Value::as_str) == Some("base64") {
            schema.insert("format".to_owned(), json!("byte"));
        } else if schema.contains_key("contentMediaType") {
            schema.insert("format".to_owned(), json!("binary"));
        }
    }
    if schema.get("required").is_some_and(|r| !r.is_array()) {
        warnings.push(Warning {
            pointer: at.push("required"),
            message: "`required` in a schema must list property names; ignored".to_owned(),
        });
        schema.remove("required");
    }
    normalize_enum(schema, at, warnings);
}

/// Enum values must match the declared type (as the 3.0 model has them); `null` among them
/// means nullable.
fn normalize_enum(schema: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    let declared = schema.get("type").and_then(Value::as_str).map(str::to_owned);
    let Some(Value::Array(values)) = schema.get_mut("enum") else {
        return;
    };
    let had_null = values.iter().any(Value::is_null);
    values.retain(|v| !v.is_null());
    let mut dropped = false;
    match declared.as_deref() {
        Some("string") => {
            for value in values.iter_mut() {
                match value {
                    Value::String(_) => {}
                    Value::Number(n) => *value = Value::String(n.to_string()),
                    Value::Bool(b) => *value = Value::String(b.to_string()),
                    _ => dropped = true,
                }
            }
            values.retain(Value::is_string);
        }
        Some("integer") => {
            values.retain(|v| {
                let keep = v.is_i64() || v.is_u64();
                dropped |= !keep;
                keep
            });
        }
        Some("number") => {
            values.retain(|v| {
                dropped |= !v.is_number();
                v.is_number()
            });
        }
        Some("boolean") => {
            values.retain(|v| {
                dropped |= !v.is_boolean();
                v.is_boolean()
            });
        }
        _ => {}
    }
    let now_empty = values.is_empty();
    if dropped {
        warnings.push(Warning {
            pointer: at.push("enum"),
            message: "enum values that do not match the schema's type were left out".to_owned(),
        });
    }
    if now_empty {
        schema.remove("enum");
    }
    if had_null {
        schema.insert("nullable".to_owned(), json!(true));
    }
}

fn normalize_children(schema: &mut Map<String, Value>, at: &Pointer, warnings: &mut Vec<Warning>) {
    for key in ["properties", "patternProperties", "$defs", "definitions"] {
        if let Some(Value::Object(children)) = schema.get_mut(key) {
            let key_at = at.push(key);
            for (name, child) in children.iter_mut() {
                normalize_schema(child, &key_at.push(name), warnings);
            }
        }
    }
    if let Some(items) = schema.get_mut("items") {
        if items.is_array() {
            // Draft-4 tuple form; OpenAPI has no tuples, so accept any item.
            warnings.push(Warning {
                pointer: at.push("items"),
                message: "tuple `items` are not supported; items are any JSON value".to_owned(),
            });
            *items = json!({});
        } else {
            normalize_schema(items, &at.push("items"), warnings);
        }
    }
    if schema.contains_key("prefixItems") {
        schema.remove("prefixItems");
        schema.entry("items").or_insert_with(|| json!({}));
        warnings.push(Warning {
            pointer: at.push("prefixItems"),
            message: "tuple `prefixItems` are not supported; items are any JSON value".to_owned(),
        });
    }
    if let Some(extra) = schema.get_mut("additionalProperties") {
        if extra.is_object() {
            normalize_schema(extra, &at.push("additionalProperties"), warnings);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get_mut(key) {
            let key_at = at.push(key);
            for (index, member) in members.iter_mut().enumerate() {
                normalize_schema(member, &key_at.push(index.to_string()), warnings);
            }
        }
    }
    for key in ["not", "contentSchema"] {
        if let Some(inner) = schema.get_mut(key).filter(|inner| inner.is_object()) {
            normalize_schema(inner, &at.push(key), warnings);
        }
    }
}

/// `oneOf: [{$ref: X}, {type: 'null'}]` is how 3.1 spells a nullable reference.
fn absorb_null_members(schema: &mut Map<String, Value>) {
    for key in ["oneOf", "anyOf"] {
        let Some(Value::Array(members)) = schema.get_mut(key) else {
            continue;
        };
        let before = members.len();
        members.retain(|member| !is_null_only(member));
        if members.len() != before {
            schema.insert("nullable".to_owned(), json!(true));
        }
    }
}

fn is_null_only(schema: &Value) -> bool {
    let Some(object) = schema.as_object() else {
        return false;
    };
    // After normalize_type, `{type: 'null'}` has become `{nullable: true}` with no type.
    object.get("nullable") == Some(&json!(true))
        && !object.contains_key("type")
        && !object.contains_key("$ref")
        && !object.contains_key("properties")
        && !object.contains_key("allOf")
        && !object.contains_key("oneOf")
        && !object.contains_key("anyOf")
        && !object.contains_key("enum")
}

//! Event callbacks: the `webhooks` of a 3.1 document (or `x-webhooks`, as 3.0 documents such as
//! Dropbox Sign's write them), the type of their payload, and how they are signed.

use openapiv3::{PathItem, ReferenceOr, RequestBody, Response, StatusCode};
use serde_json::{Map, Value};

use super::naming::{self, Namespace};
use super::{Builder, TypeRef, Webhook, WebhookSignature, non_empty};
use crate::diagnostics::Pointer;
use crate::load::Document;

/// Every webhook operation, in document order. What cannot be understood is left out with a
/// warning: webhooks never stop generation.
pub fn webhooks(builder: &mut Builder<'_>) -> Vec<Webhook> {
    let mut names = Namespace::default();
    let mut webhooks = Vec::new();
    for key in ["webhooks", "x-webhooks"] {
        let Some(Value::Object(items)) = builder.doc.raw.get(key) else { continue };
        let base = Pointer::root().push(key);
        for (name, raw_item) in items {
            webhooks.extend(path_item_webhooks(builder, &mut names, name, raw_item, &base.push(name)));
        }
    }
    // Callbacks are the same thing declared beside the operation that subscribes to them: what
    // the API sends to a URL given in the request. (Referenced callbacks were inlined by the
    // loader.)
    for (callback_at, name, callback) in callbacks(builder.doc) {
        for (expression, raw_item) in callback.iter().filter(|(key, _)| !key.starts_with("x-")) {
            let item_at = callback_at.push(expression);
            webhooks.extend(path_item_webhooks(builder, &mut names, name, raw_item, &item_at));
        }
    }
    webhooks
}

/// Every callback of every operation: where it is, its name, and its map of path items.
fn callbacks(doc: &Document) -> Vec<(Pointer, &str, &Map<String, Value>)> {
    let Some(Value::Object(paths)) = doc.raw.get("paths") else { return Vec::new() };
    let mut found = Vec::new();
    for (path, item) in paths {
        let Some(item) = item.as_object() else { continue };
        for (method, operation) in item {
            let Some(Value::Object(callbacks)) = operation.get("callbacks") else { continue };
            let at = Pointer::root().push("paths").push(path).push(method).push("callbacks");
            for (name, callback) in callbacks {
                if let Value::Object(callback) = callback {
                    found.push((at.push(name), name.as_str(), callback));
                }
            }
        }
    }
    found
}

/// The webhooks of one path item (one per method), named `name` unless an operation has an id.
fn path_item_webhooks(
    builder: &mut Builder<'_>,
    names: &mut Namespace,
    name: &str,
    raw_item: &Value,
    item_at: &Pointer,
) -> Vec<Webhook> {
    let item = match serde_json::from_value::<ReferenceOr<PathItem>>(without_rich_texts(raw_item))
        .map_err(|err| err.to_string())
        .and_then(|item| builder.resolve(&item, item_at).map_err(|err| err.message))
    {
        Ok((item, _)) => item,
        Err(message) => {
            builder.warn(item_at, format!("this webhook cannot be read ({message}); it is left out"));
            return Vec::new();
        }
    };
    item.iter()
        .filter_map(|(method, operation)| webhook(builder, names, name, operation, &item_at.push(method)))
        .collect()
}

/// The path item without `description`s and `summary`s that are not strings (Dropbox Sign's are
/// `{$ref: ...md}` maps), which only documentation uses, and with the `responses` the typed model
/// requires.
fn without_rich_texts(item: &Value) -> Value {
    let mut item = item.clone();
    let strip = |node: &mut Value| {
        if let Value::Object(map) = node {
            for key in ["description", "summary"] {
                if map.get(key).is_some_and(|text| !text.is_string()) {
                    map.remove(key);
                }
            }
        }
    };
    strip(&mut item);
    if let Value::Object(map) = &mut item {
        map.values_mut().for_each(strip);
        // `responses` is optional in 3.1 and says nothing about the payload.
        for operation in map.values_mut().filter_map(Value::as_object_mut) {
            if operation.contains_key("requestBody") || operation.contains_key("operationId") {
                operation.entry("responses").or_insert_with(|| Value::Object(Map::new()));
            }
        }
    }
    item
}

fn webhook(
    builder: &mut Builder<'_>,
    names: &mut Namespace,
    name: &str,
    operation: &openapiv3::Operation,
    at: &Pointer,
) -> Option<Webhook> {
    let Some(body) = &operation.request_body else {
        builder.warn(at, "this webhook has no request body; it is left out");
        return None;
    };
    let (body, body_at) = match builder.resolve::<RequestBody>(body, &at.push("requestBody")) {
        Ok(resolved) => resolved,
        Err(err) => {
            builder.warn(at, format!("{}; this webhook is left out", err.message));
            return None;
        }
    };
    let (content_type, media) = body.content.first()?;
    let media_at = body_at.push("content").push(content_type);
    let schema = media.schema.as_ref()?;
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let is_form = essence.starts_with("multipart/") || essence == "application/x-www-form-urlencoded";
    // A form whose one field carries the JSON payload (`json=...`) is read through that field.
    let mut payload_field = None;
    let mut payload_schema = (schema.clone(), media_at.push("schema"));
    if is_form {
        if let Ok((object, object_at)) = builder.resolve(schema, &media_at.push("schema")) {
            if let openapiv3::SchemaKind::Type(openapiv3::Type::Object(object)) = &object.schema_kind {
                if object.properties.len() == 1 {
                    let (field, field_schema) = object.properties.first()?;
                    payload_field = Some(field.clone());
                    let field_schema = match field_schema {
                        ReferenceOr::Reference { reference } => ReferenceOr::ref_(reference),
                        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
                    };
                    payload_schema = (field_schema, object_at.push("properties").push(field));
                }
            }
        }
    }
    let fn_name = names.claim(&naming::snake(operation.operation_id.as_deref().unwrap_or(name), "webhook"));
    let payload = match builder.type_of(
        &payload_schema.0,
        &payload_schema.1,
        &naming::type_name(&format!("{fn_name}_payload")),
    ) {
        Ok(typed) => typed.ty,
        Err(err) => {
            builder.warn(&payload_schema.1, format!("{}; the payload is typed as any JSON value", err.message));
            TypeRef::Json
        }
    };
    let signature = signature(builder, at);
    Some(Webhook {
        name: name.to_owned(),
        pointer: at.to_string(),
        fn_name,
        summary: non_empty(operation.summary.as_deref()),
        description: non_empty(operation.description.as_deref()),
        payload,
        payload_field,
        content_type: content_type.clone(),
        signature,
        acknowledgement: acknowledgement(builder, operation, at),
    })
}

/// `x-webhook-signature`: `{algorithm: hmac-sha256, message: [pointers], signature: pointer,
/// encoding: hex | base64, key: description}`.
fn signature(builder: &mut Builder<'_>, at: &Pointer) -> Option<WebhookSignature> {
    let at = at.push("x-webhook-signature");
    let raw = builder.raw_at(&at)?;
    let text = |key: &str| raw.get(key).and_then(Value::as_str).map(str::to_owned);
    let algorithm = text("algorithm").unwrap_or_else(|| "hmac-sha256".to_owned());
    let encoding = text("encoding").unwrap_or_else(|| "hex".to_owned());
    let message: Option<Vec<String>> = raw
        .get("message")
        .and_then(Value::as_array)
        .map(|items| items.iter().filter_map(|i| i.as_str().map(str::to_owned)).collect());
    let problem = if !algorithm.eq_ignore_ascii_case("hmac-sha256") {
        Some(format!("algorithm {algorithm:?} is not supported (only hmac-sha256)"))
    } else if !matches!(encoding.as_str(), "hex" | "base64") {
        Some(format!("encoding {encoding:?} is not supported (hex or base64)"))
    } else if message.as_ref().is_none_or(|m| m.is_empty() || m.iter().any(|p| !p.starts_with('/'))) {
        Some("`message` must be a list of JSON pointers such as \"/event/event_time\"".to_owned())
    } else if text("signature").is_none_or(|p| !p.starts_with('/')) {
        Some("`signature` must be a JSON pointer such as \"/event/event_hash\"".to_owned())
    } else {
        None
    };
    if let Some(problem) = problem {
        builder.warn(&at, format!("{problem}; callbacks are decoded without checking their signature"));
        return None;
    }
    Some(WebhookSignature {
        message: message.unwrap_or_default(),
        signature: text("signature").unwrap_or_default(),
        encoding,
        key_description: non_empty(text("key").as_deref()),
    })
}

/// The text the receiver must answer with: the `text/plain` example or default of the success
/// response.
fn acknowledgement(builder: &Builder<'_>, operation: &openapiv3::Operation, at: &Pointer) -> Option<String> {
    let (code, response) = operation.responses.responses.iter().find(|(code, _)| match code {
        StatusCode::Code(code) => (200..300).contains(code),
        StatusCode::Range(range) => *range == 2,
    })?;
    let (response, _) = builder.resolve::<Response>(response, &at.push("responses").push(code.to_string())).ok()?;
    let (_, media) = response.content.iter().find(|(media_type, _)| media_type.starts_with("text/"))?;
    if let Some(Value::String(text)) = &media.example {
        return Some(text.clone());
    }
    let schema = match media.schema.as_ref()? {
        ReferenceOr::Item(schema) => schema.clone(),
        reference => builder.resolve(reference, at).ok()?.0,
    };
    match &schema.schema_data.default {
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    }
}

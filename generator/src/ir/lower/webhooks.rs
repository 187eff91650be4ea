//! Event callbacks: the `webhooks` of a 3.1 document (or `x-webhooks`, as 3.0 documents such as
//! Dropbox Sign's write them), the type of their payload, and how they are signed.

use serde_json::{Map, Value};

use crate::diagnostics::Pointer;
use crate::ir::naming::{self, Namespace};
use crate::ir::{Builder, TypeRef, Webhook, WebhookSignature, non_empty};
use crate::load::Document;
use crate::view::{self, Node, SchemaKind};

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
fn path_item_webhooks<'a>(
    builder: &mut Builder<'a>,
    names: &mut Namespace,
    name: &str,
    raw_item: &'a Value,
    item_at: &Pointer,
) -> Vec<Webhook> {
    let item = match builder.view().resolve(Node::new(raw_item, item_at.clone())) {
        Ok(item) => view::PathItem(item),
        Err(err) => {
            builder.warn(item_at, format!("this webhook cannot be read ({}); it is left out", err.message));
            return Vec::new();
        }
    };
    item.operations()
        .into_iter()
        .filter_map(|found| {
            let at = match found.additional {
                true => item_at.push("additionalOperations").push(found.method),
                false => item_at.push(found.method),
            };
            webhook(builder, names, name, &found.operation, &at)
        })
        .collect()
}

fn webhook<'a>(
    builder: &mut Builder<'a>,
    names: &mut Namespace,
    name: &str,
    operation: &view::Operation<'a>,
    at: &Pointer,
) -> Option<Webhook> {
    let Some(body) = operation.request_body() else {
        builder.warn(at, "this webhook has no request body; it is left out");
        return None;
    };
    let body = match builder.view().resolve(body) {
        Ok(body) => body,
        Err(err) => {
            builder.warn(at, format!("{}; this webhook is left out", err.message));
            return None;
        }
    };
    let (content_type, media) = builder.view().content(&body).ok()?.into_iter().next()?;
    let schema = view::Schema(media.get("schema")?);
    let essence = content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let is_form = essence.starts_with("multipart/") || essence == "application/x-www-form-urlencoded";
    // A form whose one field carries the JSON payload (`json=...`) is read through that field.
    let mut payload_field = None;
    let mut payload_schema = schema.clone();
    if is_form
        && let Ok(object) = builder.view().resolve(schema.0.clone()).map(view::Schema)
        && object.kind() == SchemaKind::Object
        && let [(field, field_schema)] = object.properties().as_slice()
    {
        payload_field = Some((*field).to_owned());
        payload_schema = field_schema.clone();
    }
    let fn_name = names.claim(&naming::snake(operation.operation_id().unwrap_or(name), "webhook"));
    let payload = match builder.type_of(&payload_schema, &naming::type_name(&format!("{fn_name}_payload"))) {
        Ok(typed) => typed.ty,
        Err(err) => {
            builder.warn(payload_schema.at(), format!("{}; the payload is typed as any JSON value", err.message));
            TypeRef::Json
        }
    };
    let signature = signature(builder, at);
    Some(Webhook {
        name: name.to_owned(),
        pointer: at.clone(),
        fn_name,
        summary: non_empty(operation.summary()),
        description: non_empty(operation.description()),
        payload,
        payload_field,
        content_type: content_type.to_owned(),
        signature,
        acknowledgement: acknowledgement(builder, operation),
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
fn acknowledgement(builder: &Builder<'_>, operation: &view::Operation<'_>) -> Option<String> {
    let doc = builder.view();
    let (_, response) = operation.responses().into_iter().find(|(code, _)| view::is_success_status(code))?;
    let response = doc.resolve(response).ok()?;
    let (_, media) =
        doc.content(&response).ok()?.into_iter().find(|(media_type, _)| media_type.starts_with("text/"))?;
    if let Some(Value::String(text)) = media.value().get("example") {
        return Some(text.clone());
    }
    let schema = view::Schema(doc.resolve(media.get("schema")?).ok()?);
    match schema.default() {
        Some(Value::String(text)) => Some(text.clone()),
        _ => None,
    }
}

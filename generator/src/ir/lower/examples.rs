//! The examples of a document, each with the type it must decode into: request bodies, the
//! success response, error responses and webhook payloads. They become tests of the generated
//! crate (see `emit::examples`).

use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::ir::naming::{self, Namespace};
use crate::ir::{BodyEncoding, Builder, Example, Operation, ResponseBody, StatusEnum, StatusMatch, TypeRef, Webhook};

/// Every example whose type is known, in document order.
pub fn examples(builder: &mut Builder<'_>, operations: &[Operation], webhooks: &[Webhook]) -> Vec<Example> {
    let mut names = Namespace::default();
    let mut examples = Vec::new();
    for op in operations {
        let at = op.pointer.clone();
        let base = naming::snake(&op.operation_id, "operation");
        for method in &op.methods {
            let Some(body) = &method.body else { continue };
            if !matches!(body.encoding, BodyEncoding::Json) {
                continue;
            }
            let Some(media_at) = follow(builder, &at.push("requestBody"), &["content", body.content_type.as_str()])
            else {
                continue;
            };
            collect(builder, &mut names, &mut examples, &media_at, &format!("{base}_request"), &body.ty);
        }
        let Some(Value::Object(responses)) = builder.raw_at(&at.push("responses")).cloned() else { continue };
        let mut success_codes: Vec<&String> = responses.keys().filter(|code| code.starts_with('2')).collect();
        success_codes
            .sort_by_key(|code| if code.eq_ignore_ascii_case("2XX") { "299".to_owned() } else { (*code).clone() });
        for code in responses.keys() {
            let ty = match &op.success {
                ResponseBody::ByStatus(by_status) if code.starts_with('2') => match case_type(by_status, code) {
                    Some(ty) => ty,
                    None => continue,
                },
                ResponseBody::Json(ty) if success_codes.first() == Some(&code) => ty.clone(),
                _ if code.starts_with('2') => continue,
                _ => match error_body_type(op, code) {
                    Some(ty) => ty,
                    None => continue,
                },
            };
            if ty == TypeRef::Json {
                continue;
            }
            let response_at = at.push("responses").push(code);
            let Some(content) = follow(builder, &response_at, &["content"]) else { continue };
            let Some(Value::Object(media_types)) = builder.raw_at(&content).cloned() else { continue };
            for media_type in media_types.keys().filter(|m| is_json(m)) {
                let prefix = format!("{base}_response_{}", code.to_ascii_lowercase());
                collect(builder, &mut names, &mut examples, &content.push(media_type), &prefix, &ty);
            }
        }
    }
    for webhook in webhooks {
        let at = webhook.pointer.clone();
        let Some(media_at) = follow(builder, &at.push("requestBody"), &["content", webhook.content_type.as_str()])
        else {
            continue;
        };
        let prefix = format!("{}_payload", webhook.fn_name.trim_start_matches("r#"));
        let start = examples.len();
        collect(builder, &mut names, &mut examples, &media_at, &prefix, &webhook.payload);
        // A form example may give the field that carries the payload, or the payload itself.
        if let Some(field) = &webhook.payload_field {
            for example in &mut examples[start..] {
                if let Some(inner) =
                    example.value.get(field).filter(|_| example.value.as_object().is_some_and(|o| o.len() == 1))
                {
                    example.value = inner.clone();
                }
            }
        }
    }
    examples
}

/// The type of the error body documented for the response key `code` (`404`, `4XX`, `default`).
fn error_body_type(op: &Operation, code: &str) -> Option<TypeRef> {
    match &op.error_enum {
        Some(error_enum) => case_type(error_enum, code),
        None => Some(op.error_type.clone()),
    }
}

/// The body type of the case of `by_status` for the response key `code`.
fn case_type(by_status: &StatusEnum, code: &str) -> Option<TypeRef> {
    let status = if code == "default" {
        StatusMatch::Default
    } else if let Some(range) = code.strip_suffix("XX").or_else(|| code.strip_suffix("xx")) {
        StatusMatch::Range(range.parse().ok()?)
    } else {
        StatusMatch::Code(code.parse().ok()?)
    };
    by_status.cases.iter().find(|case| case.status == status)?.ty.clone()
}

fn is_json(media_type: &str) -> bool {
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The pointer reached from `at` through `path`, following a `$ref` at `at` first.
fn follow(builder: &Builder<'_>, at: &Pointer, path: &[&str]) -> Option<Pointer> {
    let mut at = at.clone();
    for _ in 0..16 {
        match builder.raw_at(&at)?.get("$ref").and_then(Value::as_str) {
            Some(reference) if reference.starts_with('#') => at = Pointer::from_fragment(reference),
            _ => break,
        }
    }
    for token in path {
        at = at.push(token);
    }
    builder.raw_at(&at).map(|_| at)
}

/// The examples of the media type object at `media_at`, as `ty`.
fn collect(
    builder: &mut Builder<'_>,
    names: &mut Namespace,
    out: &mut Vec<Example>,
    media_at: &Pointer,
    prefix: &str,
    ty: &TypeRef,
) {
    let Some(media) = builder.raw_at(media_at).cloned() else { return };
    let mut found = Vec::new();
    if let Some(value) = media.get("example") {
        found.push(("example".to_owned(), media_at.push("example"), Ok(Some(value.clone()))));
    }
    if let Some(Value::Object(examples)) = media.get("examples") {
        for (key, example) in examples {
            let example_at = media_at.push("examples").push(key);
            found.push((key.clone(), example_at, example_value(builder, example)));
        }
    }
    for (key, at, value) in found {
        match value {
            Ok(Some(value)) => out.push(Example {
                test_name: names.claim(&naming::snake(&format!("{prefix}_{key}"), "example")),
                pointer: at.clone(),
                ty: ty.clone(),
                value,
            }),
            Ok(None) => {}
            Err(message) => builder.warn(&at, format!("{message}; this example is not tested")),
        }
    }
}

/// The value of an Example Object (following local `$ref`s, and reading `externalValue` or a
/// `$ref`'d value from a file relative to the document); `None` when it has none.
fn example_value(builder: &Builder<'_>, example: &Value) -> Result<Option<Value>, String> {
    let mut example = example.clone();
    for _ in 0..16 {
        let Some(reference) = example.get("$ref").and_then(Value::as_str) else { break };
        if !reference.starts_with('#') {
            return read_external(builder, reference).map(Some);
        }
        example = builder
            .raw_at(&Pointer::from_fragment(reference))
            .cloned()
            .ok_or_else(|| format!("$ref {reference:?} does not resolve"))?;
    }
    if let Some(value) = example.get("value") {
        if let (Some(reference), 1) =
            (value.get("$ref").and_then(Value::as_str), value.as_object().map_or(0, |o| o.len()))
        {
            if !reference.starts_with('#') {
                return read_external(builder, reference).map(Some);
            }
        }
        return Ok(Some(value.clone()));
    }
    if let Some(external) = example.get("externalValue").and_then(Value::as_str) {
        return read_external(builder, external).map(Some);
    }
    Ok(None)
}

fn read_external(builder: &Builder<'_>, reference: &str) -> Result<Value, String> {
    builder.doc.example_file(reference)
}

//! `openapiv3` flattens maps into its structs, and serde loses the path of an error inside a
//! flattened map (`#/paths` instead of `#/paths/~1x/get/parameters/0`). When the whole document
//! fails, this retries the pieces one by one to find the innermost piece that fails on its own.

use openapiv3::{Header, Operation, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme};
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::diagnostics::{Error, Pointer};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// The innermost piece of `raw` that does not deserialize, if one can be found.
pub fn locate(raw: &Value) -> Option<Error> {
    let root = Pointer::root();
    if let Some(paths) = raw.get("paths").and_then(Value::as_object) {
        for (path, item) in paths {
            if let Some(err) = locate_path_item(item, &root.push("paths").push(path)) {
                return Some(err);
            }
        }
    }
    let components = raw.get("components")?.as_object()?;
    let at = root.push("components");
    for (kind, entries) in components {
        let Some(entries) = entries.as_object() else {
            continue;
        };
        for (name, entry) in entries {
            let entry_at = at.push(kind).push(name);
            let failure = match kind.as_str() {
                "schemas" => try_at::<ReferenceOr<Schema>>(entry, &entry_at),
                "responses" => try_at::<ReferenceOr<Response>>(entry, &entry_at),
                "parameters" => try_at::<ReferenceOr<Parameter>>(entry, &entry_at),
                "requestBodies" => try_at::<ReferenceOr<RequestBody>>(entry, &entry_at),
                "headers" => try_at::<ReferenceOr<Header>>(entry, &entry_at),
                "securitySchemes" => try_at::<ReferenceOr<SecurityScheme>>(entry, &entry_at),
                _ => None,
            };
            if failure.is_some() {
                return failure;
            }
        }
    }
    None
}

fn locate_path_item(item: &Value, at: &Pointer) -> Option<Error> {
    let failure = try_at::<ReferenceOr<PathItem>>(item, at)?;
    for (index, parameter) in item.get("parameters").and_then(Value::as_array).into_iter().flatten().enumerate() {
        if let Some(err) = try_at::<ReferenceOr<Parameter>>(parameter, &at.push("parameters").push(index.to_string())) {
            return Some(err);
        }
    }
    for method in METHODS {
        let Some(operation) = item.get(*method) else {
            continue;
        };
        let op_at = at.push(method);
        let Some(op_failure) = try_at::<Operation>(operation, &op_at) else {
            continue;
        };
        let parameters = operation.get("parameters").and_then(Value::as_array).into_iter().flatten();
        for (index, parameter) in parameters.enumerate() {
            if let Some(err) =
                try_at::<ReferenceOr<Parameter>>(parameter, &op_at.push("parameters").push(index.to_string()))
            {
                return Some(err);
            }
        }
        if let Some(body) = operation.get("requestBody") {
            if let Some(err) = try_at::<ReferenceOr<RequestBody>>(body, &op_at.push("requestBody")) {
                return Some(err);
            }
        }
        for (code, response) in operation.get("responses").and_then(Value::as_object).into_iter().flatten() {
            if let Some(err) = try_at::<ReferenceOr<Response>>(response, &op_at.push("responses").push(code)) {
                return Some(err);
            }
        }
        return Some(op_failure);
    }
    Some(failure)
}

/// The error of deserializing `value` as `T`, located below `at`.
fn try_at<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Option<Error> {
    deserialize_at::<T>(value, at).err()
}

/// `value` as `T`, or the error located below `at`.
pub fn deserialize_at<T: DeserializeOwned>(value: &Value, at: &Pointer) -> Result<T, Error> {
    let err = match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(parsed) => return Ok(parsed),
        Err(err) => err,
    };
    let mut pointer = at.clone();
    for segment in err.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer = pointer.push(index.to_string()),
            Segment::Map { key } => pointer = pointer.push(key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    Err(Error::at(&pointer, super::describe_model_error(err.inner())))
}

//! Callbacks given as Reference Objects (`callbacks: {onEvent: {$ref: '#/components/callbacks/X'}}`)
//! are valid OpenAPI, but the typed model only reads inline ones: each reference is replaced by
//! a copy of what it points to. A callback that cannot be read (a reference to nothing, or a
//! value that is not a map of path items) is left out with a warning, and the rest of the
//! document still loads.

use serde_json::{Map, Value};

use crate::diagnostics::{Pointer, Warning};

const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// How many references may lead to one another before a callback counts as a cycle.
const MAX_HOPS: usize = 16;

/// Inlines every referenced callback of every operation under `paths`.
pub fn inline_callback_refs(doc: &mut Value, warnings: &mut Vec<Warning>) {
    let Some(paths) = doc.get("paths").and_then(Value::as_object) else { return };
    let mut replacements: Vec<(Pointer, Option<Value>)> = Vec::new();
    for (path, item) in paths {
        for method in METHODS {
            let Some(callbacks) = item.get(*method).and_then(|op| op.get("callbacks")) else { continue };
            let at = Pointer::root().push("paths").push(path).push(method).push("callbacks");
            let Some(callbacks) = callbacks.as_object() else {
                warnings.push(left_out(&at, "`callbacks` is not a map of callbacks"));
                replacements.push((at, None));
                continue;
            };
            for (name, callback) in callbacks {
                let callback_at = at.push(name);
                match resolve(doc, callback) {
                    Ok(Some(target)) => replacements.push((callback_at, Some(target.clone()))),
                    Ok(None) => {}
                    Err(problem) => {
                        warnings.push(left_out(&callback_at, &problem));
                        replacements.push((callback_at, None));
                    }
                }
            }
        }
    }
    apply(doc, replacements);
    fill_responses(doc);
}

/// Replaces (or, for `None`, removes) the value at each pointer.
fn apply(doc: &mut Value, replacements: Vec<(Pointer, Option<Value>)>) {
    for (at, replacement) in replacements {
        let mut tokens: Vec<String> = at.tokens().collect();
        let Some(last) = tokens.pop() else { continue };
        let Some(parent) = tokens.iter().try_fold(&mut *doc, |node, token| node.get_mut(token.as_str())) else {
            continue;
        };
        let Some(parent) = parent.as_object_mut() else { continue };
        match replacement {
            Some(value) => {
                parent.insert(last, value);
            }
            None => {
                // `shift_remove` keeps the document order of what stays.
                parent.shift_remove(&last);
            }
        }
    }
}

/// Gives every callback operation the `responses` the typed model requires: they are what the
/// subscriber's server answers, optional in 3.1 and nothing the client reads.
fn fill_responses(doc: &mut Value) {
    let Some(paths) = doc.get_mut("paths").and_then(Value::as_object_mut) else { return };
    let callbacks = paths
        .values_mut()
        .filter_map(Value::as_object_mut)
        .flat_map(|item| item.values_mut())
        .filter_map(|operation| operation.get_mut("callbacks")?.as_object_mut())
        .flat_map(|callbacks| callbacks.values_mut())
        .filter_map(Value::as_object_mut);
    for callback in callbacks {
        let operations = callback
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|path_item| path_item.iter_mut())
            .filter(|(method, _)| METHODS.contains(&method.as_str()))
            .filter_map(|(_, operation)| operation.as_object_mut());
        for operation in operations {
            operation.entry("responses").or_insert_with(|| Value::Object(Map::new()));
        }
    }
}

/// The callback a value stands for: `Ok(None)` when it is already inline and readable, the
/// target of its reference chain otherwise.
fn resolve<'a>(doc: &'a Value, callback: &'a Value) -> Result<Option<&'a Value>, String> {
    let mut current = callback;
    for hop in 0..MAX_HOPS {
        let Some(object) = current.as_object() else {
            return Err("this callback is not a map of runtime expressions to path items".to_owned());
        };
        match object.get("$ref") {
            None => {
                check_path_items(object)?;
                return Ok((hop > 0).then_some(current));
            }
            Some(Value::String(reference)) => {
                let Some(fragment) = reference.strip_prefix('#') else {
                    return Err(format!("the callback reference {reference:?} is not local to the document"));
                };
                current = Pointer::from_fragment(&format!("#{fragment}"))
                    .lookup(doc)
                    .ok_or_else(|| format!("the callback reference {reference:?} points to nothing"))?;
            }
            Some(other) => return Err(format!("`$ref` must be a string, found {other}")),
        }
    }
    Err("the callback's references form a cycle".to_owned())
}

fn check_path_items(callback: &Map<String, Value>) -> Result<(), String> {
    match callback.iter().find(|(key, item)| !key.starts_with("x-") && !item.is_object()) {
        Some((expression, _)) => Err(format!("the path item of {expression:?} is not a mapping")),
        None => Ok(()),
    }
}

fn left_out(at: &Pointer, problem: &str) -> Warning {
    Warning { pointer: at.clone(), message: format!("{problem}; the callback is left out") }
}

//! Text to JSON tree: JSON is read with `serde_json`, everything else as YAML with `yaml_serde`
//! (the YAML organization's maintained continuation of `serde_yaml`).
//!
//! YAML is read straight into a JSON tree, without a YAML tree between: one tree instead of
//! two. Merge keys (`<<`) are then applied to the JSON tree. Tags outside the core schema
//! (`!custom {..}`) cannot become JSON that way; for them the YAML tree, which drops tags, is
//! the fallback.

use serde_json::{Map, Number, Value};

use super::yaml_scan::{self, MAX_FLOW_DEPTH};
use crate::diagnostics::Error;

/// Parses YAML or JSON text into a JSON tree, keeping mapping order.
pub fn parse_text(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(Error::general("the document is empty"));
    }
    if trimmed.starts_with('{') {
        // serde_json stops at 128 levels of nesting, in linear time.
        return serde_json::from_str(trimmed).map_err(|err| Error {
            line_column: Some((err.line(), err.column())),
            ..Error::general(format!("invalid JSON: {err}"))
        });
    }
    let scan = yaml_scan::scan(text).map_err(|(line, column)| Error {
        line_column: Some((line, column)),
        ..Error::general(format!(
            "invalid YAML: flow collections (`[`, `{{`) nested more than {MAX_FLOW_DEPTH} levels deep; \
             no OpenAPI document needs that many, and the YAML parser's time grows with the square of the depth"
        ))
    })?;
    match yaml_serde::from_str::<Value>(text) {
        Ok(mut value) => {
            if text.contains("<<") {
                apply_merge_keys(&mut value);
            }
            Ok(value)
        }
        Err(direct) => match yaml_serde::from_str::<yaml_serde::Value>(text) {
            Ok(mut yaml) => {
                yaml.apply_merge().map_err(|err| Error::general(format!("invalid YAML merge key: {err}")))?;
                Ok(yaml_to_json(yaml))
            }
            Err(_) => Err(yaml_error(&direct, &scan)),
        },
    }
}

fn yaml_error(err: &yaml_serde::Error, scan: &yaml_scan::Scan) -> Error {
    let message = err.to_string();
    let location = err.location().map(|at| (at.line(), at.column()));
    // The alias-bomb guard reports no place; the first alias is where to look.
    if message.contains("repetition limit exceeded") {
        if let Some((line, column)) = scan.first_alias {
            return Error {
                line_column: Some((line, column)),
                ..Error::general(format!(
                    "invalid YAML: {message}: its aliases expand to too many nodes (an alias bomb?); \
                     the first alias is here"
                ))
            };
        }
    }
    Error { line_column: location, ..Error::general(format!("invalid YAML: {message}")) }
}

/// YAML merge keys (`<<: *base` or `<<: [*a, *b]`): the merged mappings' entries join the
/// mapping, where it does not set them itself (earlier merged mappings win over later ones).
fn apply_merge_keys(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for child in map.values_mut() {
                apply_merge_keys(child);
            }
            let Some(merged) = map.shift_remove("<<") else { return };
            let sources = match merged {
                Value::Array(items) => items,
                other => vec![other],
            };
            for source in sources {
                let Value::Object(source) = source else { continue };
                for (key, item) in source {
                    map.entry(key).or_insert(item);
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(apply_merge_keys),
        _ => {}
    }
}

fn yaml_to_json(value: yaml_serde::Value) -> Value {
    match value {
        yaml_serde::Value::Null => Value::Null,
        yaml_serde::Value::Bool(flag) => Value::Bool(flag),
        yaml_serde::Value::Number(number) => yaml_number(&number),
        yaml_serde::Value::String(text) => Value::String(text),
        yaml_serde::Value::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        yaml_serde::Value::Mapping(mapping) => {
            let mut object = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                object.insert(yaml_key(key), yaml_to_json(value));
            }
            Value::Object(object)
        }
        yaml_serde::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn yaml_number(number: &yaml_serde::Number) -> Value {
    if let Some(int) = number.as_i64() {
        Value::Number(int.into())
    } else if let Some(uint) = number.as_u64() {
        Value::Number(uint.into())
    } else {
        number.as_f64().and_then(Number::from_f64).map_or(Value::Null, Value::Number)
    }
}

/// YAML allows non-string keys (`200:` for a status code); OpenAPI means their text.
fn yaml_key(key: yaml_serde::Value) -> String {
    match key {
        yaml_serde::Value::String(text) => text,
        yaml_serde::Value::Null => "null".to_owned(),
        yaml_serde::Value::Bool(flag) => flag.to_string(),
        yaml_serde::Value::Number(number) => number.to_string(),
        other => yaml_to_json(other).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn merge_keys_fill_what_the_mapping_does_not_set() {
        let text = "base: &base {a: 1, b: 2}\nmore: &more {c: 3}\nx:\n  <<: [*base, *more]\n  b: 9\n";
        assert_eq!(parse_text(text).unwrap()["x"], json!({"b": 9, "a": 1, "c": 3}));
    }

    #[test]
    fn keys_are_text_and_custom_tags_are_dropped() {
        let value = parse_text("a: {200: x, true: y}\nb: !custom {x: 1}\n").unwrap();
        assert_eq!(value, json!({"a": {"200": "x", "true": "y"}, "b": {"x": 1}}));
    }
}

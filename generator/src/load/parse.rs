//! Text to JSON tree: JSON is read with `serde_json`, everything else as YAML.

use serde_json::{Map, Number, Value};

use crate::diagnostics::Error;

/// Parses YAML or JSON text into a JSON tree, keeping mapping order.
pub fn parse_text(text: &str) -> Result<Value, Error> {
    let trimmed = text.trim_start_matches('\u{feff}').trim_start();
    if trimmed.is_empty() {
        return Err(Error::general("the document is empty"));
    }
    if trimmed.starts_with('{') {
        return serde_json::from_str(trimmed).map_err(|err| Error {
            line_column: Some((err.line(), err.column())),
            ..Error::general(format!("invalid JSON: {err}"))
        });
    }
    let mut yaml: serde_yaml::Value = serde_yaml::from_str(text).map_err(|err| {
        let location = err.location().map(|at| (at.line(), at.column()));
        Error { line_column: location, ..Error::general(format!("invalid YAML: {err}")) }
    })?;
    yaml.apply_merge().map_err(|err| Error::general(format!("invalid YAML merge key: {err}")))?;
    Ok(yaml_to_json(yaml))
}

fn yaml_to_json(value: serde_yaml::Value) -> Value {
    match value {
        serde_yaml::Value::Null => Value::Null,
        serde_yaml::Value::Bool(flag) => Value::Bool(flag),
        serde_yaml::Value::Number(number) => yaml_number(&number),
        serde_yaml::Value::String(text) => Value::String(text),
        serde_yaml::Value::Sequence(items) => Value::Array(items.into_iter().map(yaml_to_json).collect()),
        serde_yaml::Value::Mapping(mapping) => {
            let mut object = Map::with_capacity(mapping.len());
            for (key, value) in mapping {
                object.insert(yaml_key(key), yaml_to_json(value));
            }
            Value::Object(object)
        }
        serde_yaml::Value::Tagged(tagged) => yaml_to_json(tagged.value),
    }
}

fn yaml_number(number: &serde_yaml::Number) -> Value {
    if let Some(int) = number.as_i64() {
        Value::Number(int.into())
    } else if let Some(uint) = number.as_u64() {
        Value::Number(uint.into())
    } else {
        number.as_f64().and_then(Number::from_f64).map_or(Value::Null, Value::Number)
    }
}

/// YAML allows non-string keys (`200:` for a status code); OpenAPI means their text.
fn yaml_key(key: serde_yaml::Value) -> String {
    match key {
        serde_yaml::Value::String(text) => text,
        serde_yaml::Value::Null => "null".to_owned(),
        serde_yaml::Value::Bool(flag) => flag.to_string(),
        serde_yaml::Value::Number(number) => number.to_string(),
        other => yaml_to_json(other).to_string(),
    }
}

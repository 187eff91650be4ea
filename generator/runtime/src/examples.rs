//! The check behind the example tests: an example decodes into its type and encodes back to the
//! same JSON, with an absent field and a `null` one kept apart.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `json` as `T`, encodes it back, and panics with every difference.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    let expected: Value = serde_json::from_str(json).expect("the example is JSON");
    let decoded: T = match serde_json::from_value(expected.clone()) {
        Ok(decoded) => decoded,
        Err(err) => panic!("the example does not decode as {}: {err}", std::any::type_name::<T>()),
    };
    let encoded = serde_json::to_value(&decoded).expect("a decoded value encodes");
    let mut differences = Vec::new();
    compare(&expected, &encoded, "", &mut differences);
    assert!(differences.is_empty(), "the example does not round-trip:\n  {}", differences.join("\n  "));
}

/// Every difference between `expected` and `actual`, by JSON pointer.
fn compare(expected: &Value, actual: &Value, at: &str, out: &mut Vec<String>) {
    match (expected, actual) {
        (Value::Object(expected), Value::Object(actual)) => {
            for (key, value) in expected {
                let here = format!("{at}/{key}");
                match actual.get(key) {
                    Some(other) => compare(value, other, &here, out),
                    None if value.is_null() => out.push(format!("{here}: null in the example, absent when encoded")),
                    None => out.push(format!("{here}: in the example, absent when encoded (not in the schema?)")),
                }
            }
            for (key, value) in actual {
                if !expected.contains_key(key) {
                    out.push(format!("{at}/{key}: absent in the example, encoded as {value}"));
                }
            }
        }
        (Value::Array(expected), Value::Array(actual)) if expected.len() == actual.len() => {
            for (index, (left, right)) in expected.iter().zip(actual).enumerate() {
                compare(left, right, &format!("{at}/{index}"), out);
            }
        }
        // `1` and `1.0` are the same number to JSON.
        (Value::Number(left), Value::Number(right)) if left.as_f64() == right.as_f64() => {}
        (left, right) if left == right => {}
        (left, right) => {
            out.push(format!("{}: {left} in the example, {right} when encoded", if at.is_empty() { "/" } else { at }))
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    #[test]
    fn differences_name_their_place() {
        let mut out = Vec::new();
        super::compare(
            &json!({"a": null, "b": [1, 2.0], "c": "x"}),
            &json!({"b": [1.0, 2], "c": "y", "d": true}),
            "",
            &mut out,
        );
        assert_eq!(
            out,
            [
                "/a: null in the example, absent when encoded",
                "/c: \"x\" in the example, \"y\" when encoded",
                "/d: absent in the example, encoded as true",
            ]
        );
    }
}

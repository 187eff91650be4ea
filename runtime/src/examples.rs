//! The check behind the example tests: an example decodes into its type and encodes back to the
//! same JSON, with an absent field and a `null` one kept apart.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Decodes `json` as `T`, encodes it back, and panics with every difference.
pub fn round_trip<T: DeserializeOwned + Serialize>(json: &str) {
    check_round_trip::<T>(json, false);
}

/// [`round_trip`] for a type that is only received, where an optional field's `null` decodes as
/// absent (`None`): `null` in the example and absent when encoded are the same.
pub fn round_trip_received<T: DeserializeOwned + Serialize>(json: &str) {
    check_round_trip::<T>(json, true);
}

fn check_round_trip<T: DeserializeOwned + Serialize>(json: &str, null_is_absent: bool) {
    let expected: Value = serde_json::from_str(json).expect("the example is JSON");
    let decoded: T = match serde_json::from_value(expected.clone()) {
        Ok(decoded) => decoded,
        Err(err) => panic!("the example does not decode as {}: {err}", std::any::type_name::<T>()),
    };
    let encoded = serde_json::to_value(&decoded).expect("a decoded value encodes");
    let mut differences = Vec::new();
    compare(&expected, &encoded, "", &mut differences);
    if null_is_absent {
        differences.retain(|difference| !difference.ends_with(": null in the example, absent when encoded"));
    }
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
        // A date-time type writes its instant back in its own canonical form (`+00:00` and
        // `.000` become `Z`, an offset becomes UTC).
        (Value::String(left), Value::String(right)) if same_instant(left, right) => {}
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

/// Whether both are RFC 3339 date-times of the same instant.
fn same_instant(left: &str, right: &str) -> bool {
    matches!((instant(left), instant(right)), (Some(left), Some(right)) if left == right)
}

/// An RFC 3339 date-time (`2024-01-02T03:04:05.678+01:00`) as seconds since 0000-03-01 in UTC
/// and nanoseconds, or `None` when `text` is not one.
fn instant(text: &str) -> Option<(i64, u32)> {
    let bytes = text.as_bytes();
    let digits = |range: std::ops::Range<usize>| -> Option<i64> {
        let part = text.get(range)?;
        if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        part.parse().ok()
    };
    if bytes.len() < 20 || bytes[4] != b'-' || bytes[7] != b'-' || !matches!(bytes[10], b'T' | b't' | b' ') {
        return None;
    }
    if bytes[13] != b':' || bytes[16] != b':' {
        return None;
    }
    let (year, month, day) = (digits(0..4)?, digits(5..7)?, digits(8..10)?);
    let (hour, minute, second) = (digits(11..13)?, digits(14..16)?, digits(17..19)?);
    let mut rest = &text[19..];
    let mut nanos = 0u32;
    if let Some(fraction) = rest.strip_prefix('.') {
        let length = fraction.bytes().take_while(u8::is_ascii_digit).count();
        if length == 0 {
            return None;
        }
        let padded = format!("{:0<9}", &fraction[..length.min(9)]);
        nanos = padded.parse().ok()?;
        rest = &fraction[length..];
    }
    let offset_seconds = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.as_bytes().first()? {
                b'+' => 1,
                b'-' => -1,
                _ => return None,
            };
            let offset = rest.get(1..)?;
            if offset.len() != 5 || offset.as_bytes()[2] != b':' {
                return None;
            }
            sign * (offset[..2].parse::<i64>().ok()? * 3600 + offset[3..].parse::<i64>().ok()? * 60)
        }
    };
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) || hour > 23 || minute > 59 || second > 60 {
        return None;
    }
    // Days from the civil date (Howard Hinnant's algorithm, with years starting in March).
    let (year, month) = if month <= 2 { (year - 1, month + 9) } else { (year, month - 3) };
    let days = 365 * year + year / 4 - year / 100 + year / 400 + (153 * month + 2) / 5 + day - 1;
    Some((days * 86_400 + hour * 3600 + minute * 60 + second - offset_seconds, nanos))
}

#[cfg(test)]
mod date_time_tests {
    use super::*;

    #[test]
    fn date_times_of_one_instant_are_the_same_example() {
        assert!(same_instant("2024-01-02T03:04:05Z", "2024-01-02T03:04:05.000Z"));
        assert!(same_instant("2024-01-02T03:04:05+01:00", "2024-01-02T02:04:05Z"));
        assert!(same_instant("2024-03-01T00:30:00+01:00", "2024-02-29T23:30:00Z"));
        assert!(same_instant("2024-01-02t03:04:05.5z", "2024-01-02T03:04:05.500Z"));
        assert!(!same_instant("2024-01-02T03:04:05Z", "2024-01-02T03:04:06Z"));
        assert!(!same_instant("2024-01-02T03:04:05.1Z", "2024-01-02T03:04:05.2Z"));
        assert!(!same_instant("2024-01-02", "2024-01-02"), "a date is not a date-time");
        assert!(!same_instant("not a date", "not a date"));
    }

    #[test]
    fn a_date_time_that_changes_is_a_difference() {
        let mut differences = Vec::new();
        compare(
            &serde_json::json!({"at": "2024-01-02T03:04:05Z"}),
            &serde_json::json!({"at": "2024-01-02T03:04:06Z"}),
            "",
            &mut differences,
        );
        assert_eq!(differences.len(), 1);
    }
}

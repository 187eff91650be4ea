//! Values to the wire: path segments, query pairs, headers, form and multipart bodies, following
//! OpenAPI's `style` and `explode` rules. Every value goes through `serde_json::Value` first, so one
//! encoder serves every type.

use serde::Serialize;
use serde_json::Value;

use super::error::RequestError;

/// OpenAPI's `style` of a parameter or form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[doc(hidden)]
pub enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    /// Swagger 2.0's `collectionFormat: tsv`, which OpenAPI 3 has no style for: tab-separated.
    TabDelimited,
    DeepObject,
}

/// `value` as JSON, each number exactly as its own type writes it. `serde_json::to_value` would
/// hold an `f32` as the `f64` it widens to (`0.07` becomes `0.07000000029802322`); JSON text
/// has the `f32`'s own shortest form, which reads back (with `float_roundtrip`) as the `f64`
/// whose shortest form is the same text.
/// It is a request's, so `readOnly` properties are left out (see [`crate::object::sending`]), and
/// a date that RFC 3339 cannot write is refused.
pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, RequestError> {
    crate::rfc3339_check::check(value).map_err(RequestError::Invalid)?;
    let text =
        crate::object::sending(|| serde_json::to_vec(value)).map_err(|err| RequestError::Invalid(err.to_string()))?;
    serde_json::from_slice(&text).map_err(|err| RequestError::Invalid(err.to_string()))
}

/// The text of a scalar; `None` for arrays and objects.
fn scalar_text(value: &Value) -> Option<String> {
    match value {
        Value::String(text) => Some(text.clone()),
        Value::Number(number) => Some(number.to_string()),
        Value::Bool(flag) => Some(flag.to_string()),
        Value::Null => Some(String::new()),
        Value::Array(_) | Value::Object(_) => None,
    }
}

/// Every scalar inside `value` with its `[key]`/`[index]` suffix: `deepObject` naming.
fn deep_pairs(prefix: &str, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                deep_pairs(&format!("{prefix}[{index}]"), item, out);
            }
        }
        Value::Object(map) => {
            for (key, item) in map {
                deep_pairs(&format!("{prefix}[{key}]"), item, out);
            }
        }
        Value::Null => {}
        scalar => out.push((prefix.to_owned(), scalar_text(scalar).unwrap_or_default())),
    }
}

/// Name–value pairs of a query parameter (also used for form bodies). `Null` sends nothing.
pub(crate) fn query_pairs(name: &str, value: &Value, style: Style, explode: bool, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Array(items) => {
            let texts: Vec<String> =
                items.iter().map(|item| scalar_text(item).unwrap_or_else(|| item.to_string())).collect();
            match style {
                Style::DeepObject => deep_pairs(name, value, out),
                Style::SpaceDelimited | Style::PipeDelimited | Style::TabDelimited if !explode => {
                    out.push((name.to_owned(), texts.join(delimiter(style))));
                }
                _ if explode => out.extend(texts.into_iter().map(|text| (name.to_owned(), text))),
                _ => out.push((name.to_owned(), texts.join(","))),
            }
        }
        Value::Object(map) => match style {
            Style::DeepObject => deep_pairs(name, value, out),
            _ if explode => {
                for (key, item) in map {
                    out.push((key.clone(), scalar_text(item).unwrap_or_else(|| item.to_string())));
                }
            }
            _ => {
                let joined: Vec<String> = map
                    .iter()
                    .flat_map(|(key, item)| [key.clone(), scalar_text(item).unwrap_or_else(|| item.to_string())])
                    .collect();
                out.push((name.to_owned(), joined.join(",")));
            }
        },
        scalar => out.push((name.to_owned(), scalar_text(scalar).unwrap_or_default())),
    }
}

/// A path parameter, percent-encoded, by `simple`, `label` or `matrix` style.
pub(crate) fn path_segment(name: &str, value: &Value, style: Style, explode: bool) -> String {
    // A path's own commas stay commas; other delimiters go percent-encoded.
    let separator = match style {
        Style::SpaceDelimited | Style::PipeDelimited | Style::TabDelimited => percent_encode(delimiter(style)),
        _ => ",".to_owned(),
    };
    let joined = match value {
        Value::Array(items) => items
            .iter()
            .map(|item| percent_encode(&scalar_text(item).unwrap_or_else(|| item.to_string())))
            .collect::<Vec<_>>()
            .join(&separator),
        Value::Object(map) => map
            .iter()
            .map(|(key, item)| {
                let text = percent_encode(&scalar_text(item).unwrap_or_else(|| item.to_string()));
                if explode {
                    format!("{}={text}", percent_encode(key))
                } else {
                    format!("{},{text}", percent_encode(key))
                }
            })
            .collect::<Vec<_>>()
            .join(","),
        scalar => percent_encode(&scalar_text(scalar).unwrap_or_default()),
    };
    match style {
        Style::Label => format!(".{joined}"),
        Style::Matrix => format!(";{}={joined}", percent_encode(name)),
        _ => joined,
    }
}

/// Refuses a path parameter that makes its path segment `.`, `..` or empty. URL parsing removes
/// dot segments (`%2E` too, so escaping cannot help: `/files/../versions/7` goes out as
/// `/versions/7`) and servers merge empty ones, so the request would reach another resource.
pub(crate) fn check_path_segment(path: &str, param: std::ops::Range<usize>, name: &str) -> Result<(), RequestError> {
    let start = path[..param.start].rfind('/').map_or(0, |slash| slash + 1);
    let end = path[param.end..].find('/').map_or(path.len(), |slash| param.end + slash);
    let segment = &path[start..end];
    // Parameter text is percent-encoded with `.` kept and `%` escaped, so `.` is the only spelling
    // of a dot that can reach here.
    if matches!(segment, "" | "." | "..") {
        return Err(RequestError::Invalid(format!(
            "path parameter `{name}` makes the path segment {segment:?}, which would send the request to \
             another resource; it must be a non-empty value other than `.` and `..`"
        )));
    }
    Ok(())
}

/// What separates a list's values in `style`: a space, `|`, a tab, or (every other style) `,`.
pub(crate) fn delimiter(style: Style) -> &'static str {
    match style {
        Style::SpaceDelimited => " ",
        Style::PipeDelimited => "|",
        Style::TabDelimited => "\t",
        _ => ",",
    }
}

/// The texts of `items` joined by `separator`.
pub(crate) fn joined_text(items: &[Value], separator: &str) -> String {
    items.iter().map(|item| scalar_text(item).unwrap_or_else(|| item.to_string())).collect::<Vec<_>>().join(separator)
}

/// A header parameter by the `simple` style; `None` for `null`.
pub(crate) fn header_text(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(joined_text(items, ",")),
        Value::Object(map) => Some(
            map.iter()
                .map(|(key, item)| {
                    let text = scalar_text(item).unwrap_or_else(|| item.to_string());
                    if explode { format!("{key}={text}") } else { format!("{key},{text}") }
                })
                .collect::<Vec<_>>()
                .join(","),
        ),
        scalar => scalar_text(scalar),
    }
}

/// A form (`application/x-www-form-urlencoded`) body: the properties named in `fields` by their
/// style and `explode`, the others as `form` pairs, nested objects in `deepObject` brackets.
pub(crate) fn form_body(value: &Value, fields: &[(&str, Style, bool)]) -> Result<String, RequestError> {
    let Value::Object(map) = value else {
        return Err(RequestError::Invalid("a form body must be an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (key, item) in map {
        let (style, explode) = match fields.iter().find(|(name, ..)| name == key) {
            Some((_, style, explode)) => (*style, *explode),
            None if item.is_object() => (Style::DeepObject, true),
            None => (Style::Form, true),
        };
        query_pairs(key, item, style, explode, &mut pairs);
    }
    Ok(encode_pairs(&pairs))
}

/// `name=value&...`, each side percent-encoded.
pub(crate) fn encode_pairs(pairs: &[(String, String)]) -> String {
    pairs
        .iter()
        .map(|(name, value)| format!("{}={}", percent_encode(name), percent_encode(value)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes everything but RFC 3986's unreserved characters.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn query_styles_follow_the_openapi_table() {
        let mut pairs = Vec::new();
        query_pairs("id", &json!([3, 4]), Style::Form, true, &mut pairs);
        query_pairs("ids", &json!([3, 4]), Style::Form, false, &mut pairs);
        query_pairs("p", &json!({"a": 1}), Style::DeepObject, true, &mut pairs);
        query_pairs("pipes", &json!(["x", "y"]), Style::PipeDelimited, false, &mut pairs);
        query_pairs("absent", &Value::Null, Style::Form, true, &mut pairs);
        query_pairs("tabs", &json!(["x", "y"]), Style::TabDelimited, false, &mut pairs);
        assert_eq!(encode_pairs(&pairs), "id=3&id=4&ids=3%2C4&p%5Ba%5D=1&pipes=x%7Cy&tabs=x%09y");
        assert_eq!(path_segment("ids", &json!([3, 4]), Style::TabDelimited, false), "3%094");
        assert_eq!(path_segment("ids", &json!([3, 4]), Style::PipeDelimited, false), "3%7C4");
        assert_eq!(path_segment("ids", &json!([3, 4]), Style::SpaceDelimited, false), "3%204");
    }

    #[test]
    fn form_fields_follow_their_encoding() {
        let body = json!({"tags": ["a", "b"], "ids": [1, 2], "tabs": ["x", "y"], "filter": {"k": "v"}});
        let fields = [("tags", Style::Form, false), ("tabs", Style::TabDelimited, false)];
        // In the order of the keys, which `serde_json`'s `preserve_order` feature decides.
        let form = form_body(&body, &fields).unwrap();
        let mut pairs: Vec<&str> = form.split('&').collect();
        pairs.sort_unstable();
        assert_eq!(pairs, ["filter%5Bk%5D=v", "ids=1", "ids=2", "tabs=x%09y", "tags=a%2Cb"]);
    }

    #[test]
    fn numbers_go_out_and_come_back_exactly() {
        // An `f32` as its own shortest text, in every place a parameter goes.
        let single = to_value(&0.07f32).unwrap();
        assert_eq!(header_text(&single, false).as_deref(), Some("0.07"));
        let mut pairs = Vec::new();
        query_pairs("ratio", &to_value(&vec![0.07f32, 1.1f32]).unwrap(), Style::Form, false, &mut pairs);
        assert_eq!(encode_pairs(&pairs), "ratio=0.07%2C1.1");
        assert_eq!(path_segment("ratio", &single, Style::Simple, false), "0.07");
        // A double with the most digits, there and back.
        let double = 2.5976931e-101f64;
        assert_eq!(header_text(&to_value(&double).unwrap(), false).as_deref(), Some("2.5976931e-101"));
        let decoded: f64 = serde_json::from_str("2.5976931e-101").unwrap();
        assert_eq!(decoded.to_bits(), double.to_bits(), "decoded {decoded:e}");
        let decoded: Value = serde_json::from_str("[1.7976931348623157e308, 5e-324, 0.1]").unwrap();
        assert_eq!(decoded.to_string(), "[1.7976931348623157e+308,5e-324,0.1]");
    }

    #[test]
    fn dot_and_empty_path_segments_are_refused() {
        let check = |path: &str, param: std::ops::Range<usize>| check_path_segment(path, param, "id").is_ok();
        // `/files/{id}/versions` with `..`, `.`, nothing, and a value that only looks like one.
        assert!(!check("/files/../versions", 7..9));
        assert!(!check("/files/./versions", 7..8));
        assert!(!check("/files//versions", 7..7));
        assert!(check("/files/...", 7..10));
        assert!(check("/files/a..b/versions", 7..11));
        // Two parameters in one segment (`/{a}{b}`) that together make `..`.
        assert!(!check("/..", 1..2) && !check("/..", 2..3));
        // A parameter inside a longer segment (`/v{n}`) cannot make a dot segment.
        assert!(check("/v..", 2..4));
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(path_segment("id", &json!("a b/c"), Style::Simple, false), "a%20b%2Fc");
        assert_eq!(path_segment("id", &json!([1, 2]), Style::Label, false), ".1,2");
        assert_eq!(path_segment("id", &json!(5), Style::Matrix, false), ";id=5");
    }
}

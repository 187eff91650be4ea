//! Values to the wire: path segments, query pairs, headers, form and multipart bodies, following
//! OpenAPI's `style` and `explode` rules. Every value goes through `serde_json::Value` first, so one
//! encoder serves every type.

use bytes::Bytes;
use serde::Serialize;
use serde_json::Value;

use super::error::RequestError;
use super::upload::Upload;

/// OpenAPI's `style` of a parameter or form field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Style {
    Form,
    Simple,
    Label,
    Matrix,
    SpaceDelimited,
    PipeDelimited,
    DeepObject,
}

pub(crate) fn to_value<T: Serialize + ?Sized>(value: &T) -> Result<Value, RequestError> {
    serde_json::to_value(value).map_err(|err| RequestError::Invalid(err.to_string()))
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
                Style::SpaceDelimited if !explode => out.push((name.to_owned(), texts.join(" "))),
                Style::PipeDelimited if !explode => out.push((name.to_owned(), texts.join("|"))),
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
    let joined = match value {
        Value::Array(items) => items
            .iter()
            .map(|item| percent_encode(&scalar_text(item).unwrap_or_else(|| item.to_string())))
            .collect::<Vec<_>>()
            .join(","),
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

/// A header parameter by the `simple` style; `None` for `null`.
pub(crate) fn header_text(value: &Value, explode: bool) -> Option<String> {
    match value {
        Value::Null => None,
        Value::Array(items) => Some(
            items
                .iter()
                .map(|item| scalar_text(item).unwrap_or_else(|| item.to_string()))
                .collect::<Vec<_>>()
                .join(","),
        ),
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

/// A form (`application/x-www-form-urlencoded`) body: top-level properties as `form` pairs,
/// nested objects in `deepObject` brackets.
pub(crate) fn form_body(value: &Value) -> Result<String, RequestError> {
    let Value::Object(map) = value else {
        return Err(RequestError::Invalid("a form body must be an object".to_owned()));
    };
    let mut pairs = Vec::new();
    for (key, item) in map {
        let style = if item.is_object() { Style::DeepObject } else { Style::Form };
        query_pairs(key, item, style, true, &mut pairs);
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

/// A `multipart/form-data` body, built field by field as the operation's `encoding` says.
///
/// It keeps its parts rather than a `reqwest` form, so that a retried request can send it again.
#[derive(Clone, Default)]
pub(crate) struct Multipart {
    parts: Vec<PartData>,
}

/// One part: its name, its bytes, and for files the file name and media type.
#[derive(Clone)]
struct PartData {
    name: String,
    data: Bytes,
    content_type: Option<String>,
    file_name: Option<String>,
}

impl Multipart {
    /// A non-file field. Scalars are text parts; with `deepObject` style, arrays and objects become
    /// one text part per scalar (`signers[0][name]`); otherwise arrays of scalars repeat the part
    /// (or join with commas when not exploded) and objects are one JSON part.
    pub(crate) fn field(
        &mut self,
        name: &str,
        value: Value,
        style: Style,
        explode: bool,
        content_type: Option<&'static str>,
    ) -> Result<(), RequestError> {
        let has_objects = match &value {
            Value::Object(_) => true,
            Value::Array(items) => items.iter().any(|item| item.is_object() || item.is_array()),
            _ => false,
        };
        let json_part =
            content_type.is_some_and(|ct| ct.contains("json")) || (style != Style::DeepObject && has_objects);
        if value.is_null() {
            return Ok(());
        }
        if json_part {
            let content_type = content_type.unwrap_or("application/json");
            return self.push(name.to_owned(), Bytes::from(value.to_string()), Some(content_type.to_owned()), None);
        }
        let mut pairs = Vec::new();
        query_pairs(name, &value, style, explode, &mut pairs);
        for (part_name, text) in pairs {
            self.push(part_name, Bytes::from(text), None, None)?;
        }
        Ok(())
    }

    /// A field of files. A list is sent as `name[0]`, `name[1]`, ... with `deepObject` style, and
    /// as repeated `name` parts otherwise.
    pub(crate) fn files(
        &mut self,
        name: &str,
        is_list: bool,
        uploads: &[&Upload],
        style: Style,
    ) -> Result<(), RequestError> {
        for (index, upload) in uploads.iter().enumerate() {
            let part_name =
                if is_list && style == Style::DeepObject { format!("{name}[{index}]") } else { name.to_owned() };
            let file_name = upload.file_name().unwrap_or(name).to_owned();
            let content_type = Some(upload.content_type().to_owned());
            self.push(part_name, upload.bytes().clone(), content_type, Some(file_name))?;
        }
        Ok(())
    }

    /// Adds a part, checking its media type now so that building the form later cannot fail.
    fn push(
        &mut self,
        name: String,
        data: Bytes,
        content_type: Option<String>,
        file_name: Option<String>,
    ) -> Result<(), RequestError> {
        let part = PartData { name, data, content_type, file_name };
        part.to_part()?;
        self.parts.push(part);
        Ok(())
    }

    /// The `reqwest` form to send; called once per attempt.
    ///
    /// Names and file names go out as browsers send them (WHATWG `multipart/form-data`): as
    /// UTF-8 in `name="..."`, with only `"`, CR and LF escaped (`%22`, `%0D`, `%0A`). `reqwest`'s
    /// default, RFC 8187 `name*=utf-8''...` for any name with a space or a non-ASCII letter, is
    /// not read by PHP, Rails or Go, which would drop such fields.
    pub(crate) fn to_form(&self) -> Result<reqwest::multipart::Form, RequestError> {
        let mut form = reqwest::multipart::Form::new().percent_encode_noop();
        for part in &self.parts {
            form = form.part(form_data_escape(&part.name), part.to_part()?);
        }
        Ok(form)
    }
}

impl PartData {
    fn to_part(&self) -> Result<reqwest::multipart::Part, RequestError> {
        let mut part = reqwest::multipart::Part::stream(self.data.clone());
        if let Some(content_type) = &self.content_type {
            part = part.mime_str(content_type).map_err(|err| RequestError::Invalid(err.to_string()))?;
        }
        if let Some(file_name) = &self.file_name {
            part = part.file_name(form_data_escape(file_name));
        }
        Ok(part)
    }
}

/// A name or file name for a `Content-Disposition: form-data` header, escaped as the WHATWG
/// HTML standard says browsers do.
fn form_data_escape(text: &str) -> String {
    if !text.contains(['"', '\r', '\n']) {
        return text.to_owned();
    }
    text.replace('"', "%22").replace('\r', "%0D").replace('\n', "%0A")
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
        assert_eq!(encode_pairs(&pairs), "id=3&id=4&ids=3%2C4&p%5Ba%5D=1&pipes=x%7Cy");
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
    fn form_data_names_are_escaped_as_browsers_do() {
        assert_eq!(form_data_escape("metadata[Straße]"), "metadata[Straße]");
        assert_eq!(form_data_escape("a\"b\r\nc"), "a%22b%0D%0Ac");
    }

    #[test]
    fn path_segments_are_percent_encoded() {
        assert_eq!(path_segment("id", &json!("a b/c"), Style::Simple, false), "a%20b%2Fc");
        assert_eq!(path_segment("id", &json!([1, 2]), Style::Label, false), ".1,2");
        assert_eq!(path_segment("id", &json!(5), Style::Matrix, false), ";id=5");
    }
}

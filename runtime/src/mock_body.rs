//! The request bodies the mock server reads back into an operation's own body type (feature
//! `mock`): JSON; forms and `multipart/form-data`, files included; text; bytes; and streams of
//! JSON items. Each is read the way the client writes it, so that a test sees the value its code
//! sent.
//!
//! Forms and multipart bodies are text keyed by names such as `signers[0][name]`: they become a
//! tree of named nodes, and a deserializer over that tree reads each text as the field's type
//! asks (a number, a boolean, a string), as a server framework would.

use bytes::Bytes;
use serde::de::value::{Error, MapDeserializer, SeqDeserializer};
use serde::de::{self, DeserializeOwned, Deserializer, IntoDeserializer, Visitor};
use serde_json::Value;

use crate::upload::{UPLOAD_TYPE_NAME, Upload};

/// `body`, sent with `content_type`, as a `B`.
pub(crate) fn decode<B: DeserializeOwned>(content_type: Option<&str>, body: &[u8]) -> Result<B, String> {
    let media_type = content_type.unwrap_or_default();
    let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    // An optional body left out is `None`, whatever the operation's media type.
    if body.is_empty() {
        return serde_json::from_value(Value::Null).map_err(|err| format!("the body is empty: {err}"));
    }
    let node = match essence.as_str() {
        "multipart/form-data" => Node::from_parts(multipart_parts(media_type, body)?)?,
        "application/x-www-form-urlencoded" => Node::from_parts(form_parts(body))?,
        "application/jsonl" | "application/x-ndjson" | "application/json-seq" => {
            return json_items(&essence, body);
        }
        "" => return json(body),
        _ if essence.contains("json") => return json(body),
        _ if essence.starts_with("text/") => Node::Text(text(body)?),
        _ => Node::File(received_file(Bytes::copy_from_slice(body), None, "", media_type)),
    };
    B::deserialize(node).map_err(|err| format!("the body does not decode: {err}"))
}

/// A parameter sent as `name[key]=value` pairs (`deepObject`), as a `T`.
pub(crate) fn from_fields<T: DeserializeOwned>(name: &str, pairs: Vec<(String, String)>) -> Result<T, String> {
    let mut fields = fields_of(text_parts(pairs))?;
    let value = fields.pop().map(|(_, value)| value).ok_or_else(|| format!("`{name}` is missing"))?;
    T::deserialize(value).map_err(|err| format!("`{name}` does not decode: {err}"))
}

/// A parameter made of every pair of the query, as a `T` (`None`, for an optional one, when the
/// query is empty).
pub(crate) fn from_pairs<T: DeserializeOwned>(name: &str, pairs: Vec<(String, String)>) -> Result<T, String> {
    let decoded = match pairs.is_empty() {
        true => serde_json::from_value(Value::Null).map_err(|err| err.to_string()),
        false => T::deserialize(Node::Fields(fields_of(text_parts(pairs))?)).map_err(|err| err.to_string()),
    };
    decoded.map_err(|why| format!("`{name}` (the query's pairs) does not decode: {why}"))
}

fn json<B: DeserializeOwned>(body: &[u8]) -> Result<B, String> {
    let body = if body.iter().all(u8::is_ascii_whitespace) { b"null".as_slice() } else { body };
    serde_json::from_slice(body).map_err(|err| format!("the body does not decode: {err}"))
}

/// A JSON Lines or JSON text sequence body as the list of its items.
fn json_items<B: DeserializeOwned>(essence: &str, body: &[u8]) -> Result<B, String> {
    let separator = if essence == "application/json-seq" { 0x1E } else { b'\n' };
    let mut items = Vec::new();
    for (index, record) in body.split(|byte| *byte == separator).enumerate() {
        if record.iter().all(u8::is_ascii_whitespace) {
            continue;
        }
        let item: Value =
            serde_json::from_slice(record).map_err(|err| format!("item {index} of the body is not JSON: {err}"))?;
        items.push(item);
    }
    serde_json::from_value(Value::Array(items)).map_err(|err| format!("the body's items do not decode: {err}"))
}

fn text(body: &[u8]) -> Result<String, String> {
    String::from_utf8(body.to_vec()).map_err(|_| "the body is not UTF-8 text".to_owned())
}

/// One field of a form or multipart body, as it came.
struct Part {
    name: String,
    value: Node,
}

/// The pairs of a form body.
fn form_parts(body: &[u8]) -> Vec<Part> {
    text_parts(url_pairs(body))
}

/// Named texts (a form's or a query's pairs) as parts.
fn text_parts(pairs: impl IntoIterator<Item = (String, String)>) -> Vec<Part> {
    pairs.into_iter().map(|(name, value)| Part { name, value: Node::Text(value) }).collect()
}

fn url_pairs(body: &[u8]) -> impl Iterator<Item = (String, String)> + '_ {
    body.split(|byte| *byte == b'&').filter(|pair| !pair.is_empty()).map(|pair| {
        let (name, value) = match pair.iter().position(|byte| *byte == b'=') {
            Some(at) => (&pair[..at], &pair[at + 1..]),
            None => (pair, &[][..]),
        };
        (form_decode(name), form_decode(value))
    })
}

/// A form's text: `+` is a space, `%XX` a byte.
fn form_decode(text: &[u8]) -> String {
    let spaced: Vec<u8> = text.iter().map(|byte| if *byte == b'+' { b' ' } else { *byte }).collect();
    percent_decode(&spaced)
}

/// `%XX` escapes as the bytes they stand for, read as UTF-8 (lossily).
pub(crate) fn percent_decode(bytes: &[u8]) -> String {
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|b| (*b as char).to_digit(16));
        match (bytes[i], hex(i + 1), hex(i + 2)) {
            (b'%', Some(high), Some(low)) => {
                out.push((high * 16 + low) as u8);
                i += 3;
            }
            (byte, ..) => {
                out.push(byte);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// The parts of a `multipart/form-data` body (RFC 7578), each a text, a JSON value (a part whose
/// media type is JSON) or a file (a part with a file name).
fn multipart_parts(media_type: &str, body: &[u8]) -> Result<Vec<Part>, String> {
    let boundary = media_type
        .split(';')
        .skip(1)
        .filter_map(|parameter| parameter.split_once('='))
        .find(|(name, _)| name.trim().eq_ignore_ascii_case("boundary"))
        .map(|(_, value)| value.trim().trim_matches('"').to_owned())
        .ok_or("the multipart body's media type has no boundary")?;
    let delimiter = format!("--{boundary}").into_bytes();
    let mut rest = match find(body, &delimiter) {
        Some(at) => &body[at + delimiter.len()..],
        None => return Err("the multipart body has no part".to_owned()),
    };
    let mut parts = Vec::new();
    let closing: Vec<u8> = [b"\r\n".as_slice(), &delimiter].concat();
    while !rest.starts_with(b"--") {
        rest = rest.strip_prefix(b"\r\n").ok_or("a multipart delimiter is not followed by a line break")?;
        let head_end = find(rest, b"\r\n\r\n").ok_or("a multipart part has no blank line after its headers")?;
        let head = std::str::from_utf8(&rest[..head_end]).map_err(|_| "a multipart part's headers are not UTF-8")?;
        let content = &rest[head_end + 4..];
        let end = find(content, &closing).ok_or("the multipart body ends inside a part")?;
        parts.push(read_part(head, Bytes::copy_from_slice(&content[..end]))?);
        rest = &content[end + closing.len()..];
    }
    Ok(parts)
}

fn read_part(head: &str, data: Bytes) -> Result<Part, String> {
    let mut disposition = None;
    let mut content_type = None;
    for line in head.split("\r\n") {
        let Some((name, value)) = line.split_once(':') else { continue };
        match name.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => disposition = Some(value.trim()),
            "content-type" => content_type = Some(value.trim()),
            _ => {}
        }
    }
    let disposition = disposition.ok_or("a multipart part has no Content-Disposition")?;
    let parameter = |wanted: &str| disposition_parameter(disposition, wanted);
    let name = parameter("name").ok_or("a multipart part has no name")?;
    let value = match (parameter("filename"), content_type) {
        (Some(file_name), _) => {
            let field = name.split('[').next().unwrap_or_default();
            Node::File(received_file(data, Some(file_name), field, content_type.unwrap_or_default()))
        }
        (None, Some(media_type)) if media_type.to_ascii_lowercase().contains("json") => Node::Json(
            serde_json::from_slice(&data).map_err(|err| format!("the JSON part `{name}` does not read: {err}"))?,
        ),
        (None, _) => Node::Text(text(&data).map_err(|_| format!("the part `{name}` is not UTF-8 text"))?),
    };
    Ok(Part { name, value })
}

/// A parameter of a `Content-Disposition: form-data` header: quoted and escaped as browsers
/// write it (`%22` for `"`, `%0D`, `%0A`), or `name*=utf-8''...` (RFC 8187).
fn disposition_parameter(disposition: &str, wanted: &str) -> Option<String> {
    let mut rest = disposition;
    while let Some(at) = rest.find(';') {
        rest = rest[at + 1..].trim_start();
        let (name, value) = rest.split_once('=')?;
        let name = name.trim();
        let (value, after) = match value.strip_prefix('"') {
            Some(quoted) => {
                let end = quoted.find('"')?;
                (&quoted[..end], &quoted[end + 1..])
            }
            None => {
                let end = value.find(';').unwrap_or(value.len());
                (value[..end].trim(), &value[end..])
            }
        };
        if name.eq_ignore_ascii_case(wanted) {
            return Some(value.replace("%22", "\"").replace("%0D", "\r").replace("%0A", "\n"));
        }
        if name.strip_suffix('*').is_some_and(|name| name.eq_ignore_ascii_case(wanted)) {
            let encoded = value.split_once("''").map_or(value, |(_, text)| text);
            return Some(percent_decode(encoded.as_bytes()));
        }
        rest = after;
    }
    None
}

/// A received file as the test wrote it: the client sends the field's name for a file without
/// one and the media type guessed from the file name for a file without one, so those read back
/// as unset, and an upload compares equal to the one the test sent.
fn received_file(data: Bytes, file_name: Option<String>, field: &str, content_type: &str) -> ReceivedFile {
    let file_name = file_name.filter(|file_name| file_name != field);
    let guessed = match &file_name {
        Some(file_name) => Upload::from_bytes(Bytes::new()).with_file_name(file_name.clone()).content_type().to_owned(),
        None => Upload::from_bytes(Bytes::new()).content_type().to_owned(),
    };
    let content_type = Some(content_type)
        .filter(|content_type| !content_type.is_empty() && !content_type.eq_ignore_ascii_case(&guessed));
    ReceivedFile { data, file_name, content_type: content_type.map(str::to_owned) }
}

/// A file part: its bytes, and its file name and media type where they are not the defaults.
#[derive(Debug)]
struct ReceivedFile {
    data: Bytes,
    file_name: Option<String>,
    content_type: Option<String>,
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

/// A value of a form or multipart body: a text, a JSON part, a file, fields by name (from names
/// such as `metadata[key]`) or a list (a repeated name).
#[derive(Debug)]
enum Node {
    Text(String),
    Json(Value),
    File(ReceivedFile),
    Fields(Vec<(String, Node)>),
    List(Vec<Node>),
}

impl Node {
    /// The tree of `parts`, by the segments of their names: `signers[0][name]` is the field
    /// `name` of item `0` of `signers`.
    fn from_parts(parts: Vec<Part>) -> Result<Node, String> {
        fields_of(parts).map(Node::Fields)
    }

    fn kind(&self) -> &'static str {
        match self {
            Node::Text(_) => "a text",
            Node::Json(_) => "a JSON part",
            Node::File(_) => "a file",
            Node::Fields(_) => "fields",
            Node::List(_) => "a list",
        }
    }
}

/// The fields `parts` make, by name.
fn fields_of(parts: Vec<Part>) -> Result<Vec<(String, Node)>, String> {
    let mut fields = Vec::new();
    for part in parts {
        let segments = name_segments(&part.name);
        insert(&mut fields, &segments, part.value).map_err(|why| format!("the part `{}` {why}", part.name))?;
    }
    Ok(fields)
}

/// `a[b][0]` as `a`, `b`, `0`.
fn name_segments(name: &str) -> Vec<&str> {
    let Some(open) = name.find('[') else { return vec![name] };
    if !name.ends_with(']') {
        return vec![name];
    }
    let mut segments = vec![&name[..open]];
    segments.extend(name[open + 1..name.len() - 1].split("]["));
    segments
}

fn insert(fields: &mut Vec<(String, Node)>, segments: &[&str], value: Node) -> Result<(), String> {
    let (first, rest) = segments.split_first().ok_or("has no name")?;
    let at = fields.iter().position(|(name, _)| name == first);
    match (at, rest.is_empty()) {
        (None, true) => fields.push(((*first).to_owned(), value)),
        (None, false) => {
            let mut inner = Vec::new();
            insert(&mut inner, rest, value)?;
            fields.push(((*first).to_owned(), Node::Fields(inner)));
        }
        // A name sent again is a list (an exploded array, or files under one name).
        (Some(at), true) => {
            let slot = &mut fields[at].1;
            match slot {
                Node::List(items) => items.push(value),
                Node::Fields(_) => return Err("is sent both as a value and with fields".to_owned()),
                _ => {
                    let first = std::mem::replace(slot, Node::List(Vec::new()));
                    *slot = Node::List(vec![first, value]);
                }
            }
        }
        (Some(at), false) => match &mut fields[at].1 {
            Node::Fields(inner) => insert(inner, rest, value)?,
            _ => return Err("is sent both as a value and with fields".to_owned()),
        },
    }
    Ok(())
}

fn invalid(what: &str, text: &str) -> Error {
    de::Error::custom(format!("`{text}` is not {what}"))
}

fn from_json(err: serde_json::Error) -> Error {
    de::Error::custom(err)
}

/// A number in a text, read as the field's type asks.
macro_rules! parse_text {
    ($method:ident $visit:ident $what:literal) => {
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            match self {
                Node::Text(text) => match text.trim().parse() {
                    Ok(number) => visitor.$visit(number),
                    Err(_) => Err(invalid($what, &text)),
                },
                Node::Json(value) => value.$method(visitor).map_err(from_json),
                other => other.deserialize_any(visitor),
            }
        }
    };
}

impl<'de> Deserializer<'de> for Node {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Text(text) => visitor.visit_string(text),
            Node::Json(value) => value.deserialize_any(visitor).map_err(from_json),
            Node::File(file) => visitor.visit_byte_buf(file.data.to_vec()),
            Node::Fields(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
            Node::List(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Text(text) => match text.trim() {
                "true" => visitor.visit_bool(true),
                "false" => visitor.visit_bool(false),
                _ => Err(invalid("a boolean", &text)),
            },
            Node::Json(value) => value.deserialize_bool(visitor).map_err(from_json),
            other => other.deserialize_any(visitor),
        }
    }

    parse_text!(deserialize_i8 visit_i8 "an integer");
    parse_text!(deserialize_i16 visit_i16 "an integer");
    parse_text!(deserialize_i32 visit_i32 "an integer");
    parse_text!(deserialize_i64 visit_i64 "an integer");
    parse_text!(deserialize_i128 visit_i128 "an integer");
    parse_text!(deserialize_u8 visit_u8 "an integer");
    parse_text!(deserialize_u16 visit_u16 "an integer");
    parse_text!(deserialize_u32 visit_u32 "an integer");
    parse_text!(deserialize_u64 visit_u64 "an integer");
    parse_text!(deserialize_u128 visit_u128 "an integer");
    parse_text!(deserialize_f32 visit_f32 "a number");
    parse_text!(deserialize_f64 visit_f64 "a number");
    parse_text!(deserialize_char visit_char "a character");

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Json(value) => value.deserialize_option(visitor).map_err(from_json),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        match self {
            // A file part is an `Upload` with its file name and media type.
            Node::File(file) if name == UPLOAD_TYPE_NAME => visitor.visit_map(upload_fields(file)),
            other => visitor.visit_newtype_struct(other),
        }
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::List(items) => visitor.visit_seq(SeqDeserializer::new(items.into_iter())),
            // `files[0]`, `files[1]`: the items in the order of their indexes.
            Node::Fields(fields) => {
                let mut indexed = Vec::with_capacity(fields.len());
                for (name, node) in fields {
                    let index: usize = name.parse().map_err(|_| invalid("a list index", &name))?;
                    indexed.push((index, node));
                }
                indexed.sort_by_key(|(index, _)| *index);
                visitor.visit_seq(SeqDeserializer::new(indexed.into_iter().map(|(_, node)| node)))
            }
            Node::Json(value) => value.deserialize_seq(visitor).map_err(from_json),
            // A list of one item sent once.
            one => visitor.visit_seq(SeqDeserializer::new(std::iter::once(one))),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Fields(fields) => visitor.visit_map(MapDeserializer::new(fields.into_iter())),
            Node::Json(value) => value.deserialize_map(visitor).map_err(from_json),
            // An object sent as a text part without its media type.
            Node::Text(text) => match serde_json::from_str::<Value>(&text) {
                Ok(value @ Value::Object(_)) => value.deserialize_map(visitor).map_err(from_json),
                _ => Err(invalid("an object", &text)),
            },
            other => Err(de::Error::custom(format!("{} is not an object", other.kind()))),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Node::Text(text) => visitor.visit_enum(text.into_deserializer()),
            Node::Json(value) => value.deserialize_enum(name, variants, visitor).map_err(from_json),
            other => Err(de::Error::custom(format!("{} is not one of {variants:?}", other.kind()))),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Node::Json(value) => value.deserialize_unit(visitor).map_err(from_json),
            _ => visitor.visit_unit(),
        }
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    serde::forward_to_deserialize_any! {
        str string bytes byte_buf unit_struct identifier
    }
}

impl<'de> IntoDeserializer<'de, Error> for Node {
    type Deserializer = Node;

    fn into_deserializer(self) -> Node {
        self
    }
}

/// A received file as the fields `Upload`'s `Deserialize` reads: its bytes (a file node, which
/// hands them over whole), and its file name and media type when it has them.
fn upload_fields(file: ReceivedFile) -> MapDeserializer<'static, std::vec::IntoIter<(String, Node)>, Error> {
    let ReceivedFile { data, file_name, content_type } = file;
    let bytes = Node::File(ReceivedFile { data, file_name: None, content_type: None });
    let mut fields = vec![("bytes".to_owned(), bytes)];
    fields.extend(file_name.map(|name| ("file_name".to_owned(), Node::Text(name))));
    fields.extend(content_type.map(|media_type| ("content_type".to_owned(), Node::Text(media_type))));
    MapDeserializer::new(fields.into_iter())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    crate::object_serde! {
        /// A form of every kind of part.
        #[derive(Debug, PartialEq)]
        pub struct Form {
            "name" required => pub name: String,
            "count" optional => pub count: Option<u32>,
            "ratio" optional => pub ratio: Option<f64>,
            "done" optional => pub done: Option<bool>,
            "tags" optional => pub tags: Option<Vec<String>>,
            "files" optional => pub files: Option<Vec<Upload>>,
            "extra" optional => pub extra: Option<BTreeMap<String, String>>,
        }
        /// Unused: the tests decode forms.
        #[allow(dead_code)]
        fn new(name: impl Into<String>) {
            let name = name.into();
        }
        impl Serialize;
        impl Deserialize;
    }

    fn multipart(parts: &[(&str, Option<&str>, &str)]) -> Vec<u8> {
        let mut body = Vec::new();
        for (disposition, content_type, data) in parts {
            body.extend(format!("--XyZ\r\nContent-Disposition: form-data; {disposition}\r\n").bytes());
            if let Some(content_type) = content_type {
                body.extend(format!("Content-Type: {content_type}\r\n").bytes());
            }
            body.extend(format!("\r\n{data}\r\n").bytes());
        }
        body.extend(b"--XyZ--\r\n");
        body
    }

    #[test]
    fn multipart_parts_are_read_as_the_fields_types_ask() {
        let body = multipart(&[
            ("name=\"name\"", None, "a \"quoted\"\r\nname"),
            ("name=\"count\"", None, "12"),
            ("name=\"ratio\"", None, "0.5"),
            ("name=\"done\"", None, "true"),
            ("name=\"tags\"", None, "x"),
            ("name=\"tags\"", None, "y"),
            ("name=\"files[10]\"; filename=\"b.pdf\"", Some("application/pdf"), "B"),
            ("name=\"files[2]\"; filename*=utf-8''%C3%A9t%C3%A9.txt", Some("text/csv"), "A"),
            ("name=\"extra[k%22ey]\"", None, "v"),
        ]);
        let form: Form = decode(Some("multipart/form-data; boundary=\"XyZ\""), &body).unwrap();
        assert_eq!(form.name, "a \"quoted\"\r\nname");
        assert_eq!((form.count, form.ratio, form.done), (Some(12), Some(0.5), Some(true)));
        assert_eq!(form.tags, Some(vec!["x".to_owned(), "y".to_owned()]));
        // Files in the order of their indexes, with the media type only where it is not the
        // one the file name implies.
        let files = form.files.unwrap();
        assert_eq!(files[0], Upload::from_bytes(&b"A"[..]).with_file_name("été.txt").with_content_type("text/csv"));
        assert_eq!(files[1], Upload::from_bytes(&b"B"[..]).with_file_name("b.pdf"));
        assert_eq!(form.extra, Some(BTreeMap::from([("k\"ey".to_owned(), "v".to_owned())])));
    }

    #[test]
    fn a_form_body_is_read_with_its_escapes() {
        let form: Form = decode(Some("application/x-www-form-urlencoded"), b"name=a+b%26c&count=3&tags=t").unwrap();
        assert_eq!(form.name, "a b&c");
        assert_eq!(form.count, Some(3));
        assert_eq!(form.tags, Some(vec!["t".to_owned()]));
    }

    #[test]
    fn a_text_that_is_not_its_fields_type_says_which() {
        let err = decode::<Form>(Some("application/x-www-form-urlencoded"), b"name=a&count=many").unwrap_err();
        assert!(err.contains("`many` is not an integer"), "{err}");
        let err = decode::<Form>(Some("multipart/form-data; boundary=XyZ"), b"--XyZ\r\nbroken").unwrap_err();
        assert!(err.contains("no blank line after its headers"), "{err}");
        let err = decode::<Form>(Some("application/x-www-form-urlencoded"), b"name=a&name[x]=b").unwrap_err();
        assert!(err.contains("`name[x]` is sent both as a value and with fields"), "{err}");
    }

    #[test]
    fn streams_of_items_text_bytes_and_empty_bodies() {
        let items: Vec<u32> = decode(Some("application/jsonl"), b"1\n2\n\n3\n").unwrap();
        assert_eq!(items, [1, 2, 3]);
        let items: Vec<u32> = decode(Some("application/json-seq"), b"\x1e1\n\x1e2\n").unwrap();
        assert_eq!(items, [1, 2]);
        let text: String = decode(Some("text/plain; charset=utf-8"), b"hello").unwrap();
        assert_eq!(text, "hello");
        let file: Upload = decode(Some("application/zip"), b"PK").unwrap();
        assert_eq!(file, Upload::from_bytes(&b"PK"[..]).with_content_type("application/zip"));
        let absent: Option<Form> = decode(Some("application/json"), b"").unwrap();
        assert_eq!(absent, None);
    }
}

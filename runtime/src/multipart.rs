//! `multipart/form-data` bodies (feature `multipart`), kept as parts so that a retried request
//! can send them again.

use bytes::Bytes;
use serde_json::Value;

use super::encode::{Style, query_pairs};
use super::error::RequestError;
use super::upload::{SendBody, Upload};

/// A `multipart/form-data` body, built field by field as the operation's `encoding` says.
///
/// It keeps its parts rather than a `reqwest` form, so that a retried request can send it again.
#[derive(Clone, Default)]
pub(crate) struct Multipart {
    parts: Vec<PartData>,
}

/// One part: its name, its bytes (or a file to take them from), and for files the file name and
/// media type.
#[derive(Clone)]
struct PartData {
    name: String,
    data: PartBytes,
    content_type: Option<String>,
    file_name: Option<String>,
}

#[derive(Clone)]
enum PartBytes {
    Text(Bytes),
    File(Upload),
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
            let data = PartBytes::Text(Bytes::from(value.to_string()));
            return self.push(name.to_owned(), data, Some(content_type.to_owned()), None);
        }
        let mut pairs = Vec::new();
        query_pairs(name, &value, style, explode, &mut pairs);
        for (part_name, text) in pairs {
            self.push(part_name, PartBytes::Text(Bytes::from(text)), None, None)?;
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
            self.push(part_name, PartBytes::File((*upload).clone()), content_type, Some(file_name))?;
        }
        Ok(())
    }

    /// Adds a part, checking its media type now so that building the form later fails only
    /// for a stream sent already.
    fn push(
        &mut self,
        name: String,
        data: PartBytes,
        content_type: Option<String>,
        file_name: Option<String>,
    ) -> Result<(), RequestError> {
        if let Some(content_type) = &content_type {
            reqwest::multipart::Part::bytes(Vec::new())
                .mime_str(content_type)
                .map_err(|err| RequestError::Invalid(err.to_string()))?;
        }
        self.parts.push(PartData { name, data, content_type, file_name });
        Ok(())
    }

    /// Whether a part is a stream that can be sent once.
    pub(crate) fn is_one_shot(&self) -> bool {
        self.parts.iter().any(|part| matches!(&part.data, PartBytes::File(upload) if upload.is_one_shot()))
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
        let body = match &self.data {
            PartBytes::Text(bytes) => SendBody::Whole(bytes.clone()),
            PartBytes::File(upload) => upload.take_body()?,
        };
        let mut part = match body {
            SendBody::Whole(bytes) => reqwest::multipart::Part::stream(bytes),
            SendBody::Stream { body, length: Some(length) } => {
                reqwest::multipart::Part::stream_with_length(body, length)
            }
            SendBody::Stream { body, length: None } => reqwest::multipart::Part::stream(body),
        };
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
    use super::*;

    #[test]
    fn form_data_names_are_escaped_as_browsers_do() {
        assert_eq!(form_data_escape("metadata[Straße]"), "metadata[Straße]");
        assert_eq!(form_data_escape("a\"b\r\nc"), "a%22b%0D%0Ac");
    }
}

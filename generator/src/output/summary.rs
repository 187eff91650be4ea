//! The API a generated crate was made from, in brief: every operation and type with its Rust
//! name, its place in the description and what crosses the wire, and fingerprints of the
//! description, the settings and the generated files. The generator writes it into every crate
//! (`openapi-summary.json`), so that the drift check can say what changed in the API since the
//! committed client was generated, and `openapi-gen diff` compares two of them.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::fingerprint::{Fingerprint, WordFingerprint, fingerprint};
use std::borrow::Cow;
use std::collections::HashMap;

use crate::ir::merge::{MergedSchema, MergedTypes};
use crate::ir::{Api, ParamLocation, ResponseBody, StreamFormat, TypeId, TypeKind};

/// The file a generated crate keeps its summary in.
pub const SUMMARY_FILE: &str = "openapi-summary.json";

/// The brief of one API.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// The generator's name and version.
    pub generator: String,
    /// A fingerprint of the description as parsed (before settings patch it), so that its
    /// layout, comments and line endings do not count.
    pub description: String,
    /// A fingerprint of the settings file, when there was one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<String>,
    /// A fingerprint of every other generated file, to tell hand edits from a generator change.
    #[serde(default)]
    pub output: String,
    /// The servers, the default first.
    pub servers: Vec<String>,
    /// The security schemes: name and the builder method that sets the credential.
    pub security_schemes: Vec<(String, String)>,
    /// Every operation, in document order.
    pub operations: Vec<OperationSummary>,
    /// Every named type, by name.
    pub types: Vec<TypeSummary>,
    /// The event callbacks the API sends.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub webhooks: Vec<WebhookSummary>,
}

/// One event callback.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct WebhookSummary {
    /// Its name under `webhooks`.
    pub name: String,
    /// Where it is in the description.
    pub pointer: String,
    /// The Rust functions' name (`parse_{function}`, `verify_{function}`).
    pub function: String,
    /// The payload's Rust type.
    pub payload: String,
    /// The media type it is posted with.
    pub media_type: String,
}

/// One operation.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OperationSummary {
    /// `operationId`.
    pub id: String,
    /// Where it is in the description.
    pub pointer: String,
    /// The HTTP method.
    pub method: String,
    /// The path template.
    pub path: String,
    /// The Rust methods, one per request media type.
    pub methods: Vec<String>,
    /// The server it is sent to, when it is not the default one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// Alternatives of security schemes.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub security: Vec<Vec<String>>,
    /// `deprecated`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// A fingerprint of its summary and description.
    pub docs: String,
    /// The parameters struct, when it has parameters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub params_struct: Option<String>,
    /// Its parameters.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub params: Vec<ParamSummary>,
    /// Its request bodies, one per media type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bodies: Vec<BodySummary>,
    /// Its documented responses.
    pub responses: Vec<ResponseSummary>,
    /// The Rust type of a success.
    pub success: String,
    /// The Rust type of an error body.
    pub error: String,
}

/// One parameter.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ParamSummary {
    /// The field in the parameters struct.
    pub name: String,
    /// Its name on the wire.
    pub wire: String,
    /// `path`, `query`, `header` or `cookie`.
    pub location: String,
    /// Its Rust type, before optionality.
    pub ty: String,
    /// `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// `deprecated`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// A fingerprint of its description.
    pub docs: String,
}

/// One request body media type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct BodySummary {
    /// The media type.
    pub media_type: String,
    /// Its Rust type.
    pub ty: String,
    /// `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
}

/// One documented response.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ResponseSummary {
    /// The status (`200`, `4XX`, `default`).
    pub status: String,
    /// Its media types.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub media_types: Vec<String>,
}

/// One named type.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TypeSummary {
    /// The Rust name.
    pub name: String,
    /// Where its schema is.
    pub pointer: String,
    /// `struct`, `enum`, `union` or `alias`.
    pub kind: String,
    /// It is sent in requests (by an operation that uses it).
    #[serde(default, skip_serializing_if = "is_false")]
    pub sent: bool,
    /// It is received in responses or webhooks.
    #[serde(default, skip_serializing_if = "is_false")]
    pub received: bool,
    /// A fingerprint of its description.
    pub docs: String,
    /// An object's fields.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldSummary>,
    /// A string enum's values.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub values: Vec<String>,
    /// A union's variants: name and Rust type.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub variants: Vec<(String, String)>,
    /// What an alias names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alias: Option<String>,
}

/// One field of an object.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct FieldSummary {
    /// The Rust name.
    pub name: String,
    /// The JSON name.
    pub wire: String,
    /// Its Rust type, before optionality.
    pub ty: String,
    /// `required`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub required: bool,
    /// May be `null`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub nullable: bool,
    /// `default`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<Value>,
    /// `deprecated`.
    #[serde(default, skip_serializing_if = "is_false")]
    pub deprecated: bool,
    /// A fingerprint of its description.
    pub docs: String,
}

fn is_false(value: &bool) -> bool {
    !*value
}

impl Summary {
    /// The summary of `api`, with the description's and the settings' fingerprints.
    pub fn of(api: &Api, description: &str, settings: Option<&str>) -> Summary {
        let servers = std::iter::once(&api.default_server).chain(&api.extra_servers);
        let server_url = |name: &Option<String>| {
            name.as_ref()
                .and_then(|name| api.extra_servers.iter().find(|s| &s.const_name == name))
                .map(|s| s.url.clone())
        };
        // A type no operation, webhook or OAuth call uses is not on the wire, whatever the
        // serde traits it implements for the user.
        let used = crate::ir::select::reached_by_api(&api.types, &api.operations, &api.webhooks, api.oauth.as_ref());
        let merged: MergedSchemas<'_> = api
            .merged_types
            .iter()
            .flat_map(|merged| merged.schemas.iter().map(move |schema| (schema.ty, (merged, schema))))
            .collect();
        Summary {
            generator: format!("openapi-gen {}", env!("CARGO_PKG_VERSION")),
            description: description.to_owned(),
            settings: settings.map(str::to_owned),
            output: String::new(),
            servers: servers.map(|server| server.url.clone()).collect(),
            security_schemes: api.security_schemes.iter().map(|s| (s.name.clone(), s.setter.clone())).collect(),
            operations: api
                .operations
                .iter()
                .map(|op| OperationSummary {
                    id: op.operation_id.clone(),
                    pointer: op.pointer.to_string(),
                    method: op.http_method.to_string(),
                    path: op.path_template.clone(),
                    methods: op.methods.iter().map(|m| m.name.clone()).collect(),
                    server: server_url(&op.server),
                    security: op.security.clone(),
                    deprecated: op.deprecated,
                    docs: docs(&[op.summary.as_deref(), op.description.as_deref()]),
                    params_struct: op.params.as_ref().map(|p| p.name.clone()),
                    params: op
                        .params
                        .iter()
                        .flat_map(|p| &p.params)
                        .map(|param| ParamSummary {
                            name: param.name.clone(),
                            wire: param.wire_name.clone(),
                            location: location(param.location).to_owned(),
                            ty: param.ty.rust(&api.types).to_string(),
                            required: param.required,
                            default: param.default.clone(),
                            deprecated: param.deprecated,
                            docs: docs(&[param.description.as_deref()]),
                        })
                        .collect(),
                    bodies: op
                        .methods
                        .iter()
                        .filter_map(|m| m.body.as_ref())
                        .map(|body| BodySummary {
                            media_type: body.content_type.clone(),
                            ty: body.ty.rust(&api.types).to_string(),
                            required: body.required,
                        })
                        .collect(),
                    responses: op
                        .documented_responses
                        .iter()
                        .map(|(status, media_types)| ResponseSummary {
                            status: status.clone(),
                            media_types: media_types.clone(),
                        })
                        .collect(),
                    success: success_text(api, &op.success),
                    error: op.error_type.rust(&api.types).to_string(),
                })
                .collect(),
            types: api
                .types
                .iter()
                .enumerate()
                .zip(used)
                .map(|((index, def), used)| type_summary(api, &as_schema(api, &merged, TypeId::at(index), def), used))
                .collect(),
            webhooks: api
                .webhooks
                .iter()
                .map(|webhook| WebhookSummary {
                    name: webhook.name.clone(),
                    pointer: webhook.pointer.to_string(),
                    function: webhook.fn_name.clone(),
                    payload: webhook.payload.rust(&api.types).to_string(),
                    media_type: webhook.content_type.clone(),
                })
                .collect(),
        }
    }

    /// The summary as the file holds it: JSON with one operation or type per line, so that a
    /// change of one is a change of one line in a review.
    pub fn to_file_text(&self) -> String {
        let line = |value: &dyn erased_line::Line| value.line();
        // The marker on the first line says the generator wrote the file (see `write`).
        let mut text = format!(
            "{{\"comment\": \"{} from the description: the API in brief, which `codegen --check` and `openapi-gen diff` \
             compare. Do not edit.\",\n",
            super::GENERATED_MARKER
        );
        let head = [
            ("generator", serde_json::json!(self.generator)),
            ("description", serde_json::json!(self.description)),
            ("settings", serde_json::json!(self.settings)),
            ("output", serde_json::json!(self.output)),
            ("servers", serde_json::json!(self.servers)),
            ("security_schemes", serde_json::json!(self.security_schemes)),
        ];
        for (key, value) in head.iter().filter(|(_, value)| !value.is_null()) {
            text.push_str(&format!("{key:?}: {value},\n"));
        }
        let items = |name: &str, lines: Vec<String>, last: bool| {
            let mut out = format!("{name:?}: [\n");
            out.push_str(&lines.join(",\n"));
            out.push_str(if lines.is_empty() { "]" } else { "\n]" });
            out.push_str(if last { "\n" } else { ",\n" });
            out
        };
        text.push_str(&items("operations", self.operations.iter().map(|op| line(op)).collect(), false));
        let has_webhooks = !self.webhooks.is_empty();
        text.push_str(&items("types", self.types.iter().map(|def| line(def)).collect(), !has_webhooks));
        if has_webhooks {
            text.push_str(&items("webhooks", self.webhooks.iter().map(|webhook| line(webhook)).collect(), true));
        }
        text.push_str("}\n");
        text
    }

    /// A summary from its file's text.
    pub fn from_file_text(text: &str) -> Result<Summary, String> {
        serde_json::from_str(text).map_err(|err| format!("not an openapi-gen summary: {err}"))
    }
}

/// What [`output_fingerprint`] writes before the fingerprint's hex digits: the kind of
/// fingerprint. Summaries written before it record FNV-1a's digits alone.
const WORD_FINGERPRINT_PREFIX: &str = "w1:";

/// The fingerprint of a crate's generated files but the summary, with line endings made `\n`:
/// what the summary's `output` records, to tell hand edits from a generator change.
pub fn output_fingerprint(files: &std::collections::BTreeMap<String, String>) -> String {
    let mut hasher = WordFingerprint::default();
    add_output(files, |bytes| hasher.update(bytes));
    format!("{WORD_FINGERPRINT_PREFIX}{}", hasher.hex())
}

/// Whether `files` are what a summary's `output` fingerprint `recorded` says they were, whichever
/// kind of fingerprint an earlier generator recorded.
pub fn output_matches(files: &std::collections::BTreeMap<String, String>, recorded: &str) -> bool {
    if recorded.starts_with(WORD_FINGERPRINT_PREFIX) {
        return output_fingerprint(files) == recorded;
    }
    let mut hasher = Fingerprint::default();
    add_output(files, |bytes| hasher.update(bytes));
    hasher.hex() == recorded
}

/// Gives `add` the generated files but the summary, each as its path, a zero byte, its text with
/// `\r\n` made `\n`, and a zero byte.
fn add_output(files: &std::collections::BTreeMap<String, String>, mut add: impl FnMut(&[u8])) {
    for (path, text) in files.iter().filter(|(path, _)| path.as_str() != SUMMARY_FILE) {
        add(path.as_bytes());
        add(&[0]);
        if text.contains('\r') {
            for (at, line) in text.split("\r\n").enumerate() {
                if at > 0 {
                    add(b"\n");
                }
                add(line.as_bytes());
            }
        } else {
            add(text.as_bytes());
        }
        add(&[0]);
    }
}

mod erased_line {
    /// One item as one line of JSON.
    pub trait Line {
        fn line(&self) -> String;
    }

    impl<T: serde::Serialize> Line for T {
        fn line(&self) -> String {
            serde_json::to_string(self).unwrap_or_default()
        }
    }
}

/// The merged schemas by the type that has their name now.
type MergedSchemas<'a> = HashMap<TypeId, (&'a MergedTypes, &'a MergedSchema)>;

/// The type `id` (`def`) as its schema says it: an alias that keeps the name of a merged schema
/// (see [`crate::ir::merge`]) with the shape and description of that schema, so that what the
/// drift check compares does not depend on which schemas happen to be identical.
fn as_schema<'a>(
    api: &'a Api,
    merged: &MergedSchemas<'_>,
    id: TypeId,
    def: &'a crate::ir::TypeDef,
) -> Cow<'a, crate::ir::TypeDef> {
    let Some((merged, schema)) = merged.get(&id) else { return Cow::Borrowed(def) };
    let one = api.def(merged.one);
    let mut kind = one.kind.clone();
    if let (TypeKind::Struct(body), Some(required)) = (&mut kind, &schema.required_fields) {
        body.required_fields = Some(required.clone());
    }
    Cow::Owned(crate::ir::TypeDef { description: schema.description.clone(), kind, usage: one.usage, ..def.clone() })
}

fn type_summary(api: &Api, def: &crate::ir::TypeDef, used: bool) -> TypeSummary {
    let mut summary = TypeSummary {
        name: def.name.clone(),
        pointer: def.pointer.to_string(),
        sent: used && def.usage.sent,
        received: used && def.usage.received,
        docs: docs(&[def.description.as_deref()]),
        ..TypeSummary::default()
    };
    match &def.kind {
        TypeKind::Struct(body) => {
            summary.kind = "struct".to_owned();
            summary.fields = body
                .fields
                .iter()
                .map(|field| FieldSummary {
                    name: field.name.clone(),
                    wire: field.wire_name.clone(),
                    ty: field.ty.rust(&api.types).to_string(),
                    required: field.required,
                    nullable: field.nullable,
                    default: field.default.clone(),
                    deprecated: field.deprecated,
                    docs: docs(&[field.description.as_deref()]),
                })
                .collect();
        }
        TypeKind::Enum(string_enum) => {
            summary.kind = "enum".to_owned();
            summary.values = string_enum.variants.iter().map(|v| v.wire_value.clone()).collect();
        }
        TypeKind::Union(union) => {
            summary.kind = "union".to_owned();
            summary.variants =
                union.variants.iter().map(|v| (v.name.clone(), v.ty.rust(&api.types).to_string())).collect();
        }
        TypeKind::Alias(ty) => {
            summary.kind = "alias".to_owned();
            summary.alias = Some(ty.rust(&api.types).to_string());
        }
    }
    summary
}

fn location(location: ParamLocation) -> &'static str {
    match location {
        ParamLocation::Path => "path",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "querystring",
    }
}

fn success_text(api: &Api, body: &ResponseBody) -> String {
    match body {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Json(ty) => ty.rust(&api.types).to_string(),
        ResponseBody::Text => "String".to_owned(),
        ResponseBody::Bytes => "ByteStream".to_owned(),
        ResponseBody::ByStatus(by_status) => by_status.name.clone(),
        ResponseBody::Stream(stream) => match stream.format {
            StreamFormat::EventStream => format!("EventStream<{}>", stream.item.rust(&api.types)),
            StreamFormat::JsonLines | StreamFormat::JsonSequence => {
                format!("JsonStream<{}>", stream.item.rust(&api.types))
            }
        },
    }
}

/// A fingerprint of documentation text; empty when there is none.
fn docs(texts: &[Option<&str>]) -> String {
    let joined: Vec<&str> = texts.iter().flatten().copied().collect();
    if joined.is_empty() { String::new() } else { fingerprint(joined.join("\n").as_bytes()) }
}

#[cfg(test)]
mod tests {
    use super::{SUMMARY_FILE, output_fingerprint, output_matches};
    use std::collections::BTreeMap;

    fn files(client: &str) -> BTreeMap<String, String> {
        let mut files = BTreeMap::new();
        files.insert("src/lib.rs".to_string(), client.to_string());
        files.insert(SUMMARY_FILE.to_string(), "{\"output\": \"...\"}".to_string());
        files
    }

    #[test]
    fn an_output_matches_its_own_fingerprint_whatever_its_line_endings() {
        let recorded = output_fingerprint(&files("x\ny\n"));
        assert!(recorded.starts_with("w1:"), "{recorded}");
        assert!(output_matches(&files("x\ny\n"), &recorded));
        assert!(output_matches(&files("x\r\ny\r\n"), &recorded), "checked out with CRLF");
        assert!(!output_matches(&files("x\ny\n// an edit\n"), &recorded));
    }

    /// Summaries written before the word fingerprint record FNV-1a's digits: an unedited output
    /// of such a generator still matches (the digits are FNV-1a of `src/lib.rs\0x\ny\n\0`,
    /// computed apart), and an edited one does not.
    #[test]
    fn an_earlier_generators_fingerprint_is_still_read() {
        assert!(output_matches(&files("x\ny\n"), "8cb4293a0c3a6841"));
        assert!(output_matches(&files("x\r\ny\r\n"), "8cb4293a0c3a6841"));
        assert!(!output_matches(&files("x\ny\nz\n"), "8cb4293a0c3a6841"));
    }
}

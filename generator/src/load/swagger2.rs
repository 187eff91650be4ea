//! Swagger 2.0 documents, converted to the OpenAPI 3.0 tree the rest of the loader reads:
//! definitions, parameters and responses to components; `body` and `formData` parameters to
//! request bodies, in the media types `consumes` names; `produces` to response content;
//! `securityDefinitions` (OAuth2 flows included) to security schemes; `host`, `basePath` and
//! `schemes` to servers; `x-nullable` to `nullable`; `collectionFormat` to `style` and
//! `explode`; `type: file` to binary strings. What has no 3.0 equivalent gets a warning at its
//! 2.0 pointer.

use serde_json::{Map, Value, json};

use crate::diagnostics::{Pointer, Warning};

/// The methods a 2.0 path item may have.
const METHODS: &[&str] = &["get", "put", "post", "delete", "options", "head", "patch"];

/// The 3.0 document for the 2.0 document `doc`.
pub fn convert(doc: &Value, warnings: &mut Vec<Warning>) -> Value {
    let mut converter = Converter { doc, warnings };
    converter.document()
}

struct Converter<'a> {
    doc: &'a Value,
    warnings: &'a mut Vec<Warning>,
}

fn object(value: Option<&Value>) -> Map<String, Value> {
    value.and_then(Value::as_object).cloned().unwrap_or_default()
}

fn strings(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .map(|list| list.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
        .unwrap_or_default()
}

impl Converter<'_> {
    fn warn(&mut self, at: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: at.clone(), message: message.into() });
    }

    fn document(&mut self) -> Value {
        let doc = self.doc;
        let root = Pointer::root();
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        for (key, value) in doc.as_object().into_iter().flatten() {
            match key.as_str() {
                "info" | "tags" | "externalDocs" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                _ if key.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        out.insert("servers".into(), Value::Array(self.servers()));
        let mut components = Map::new();
        let definitions = object(doc.get("definitions"));
        if !definitions.is_empty() {
            let schemas = definitions
                .iter()
                .map(|(name, schema)| (name.clone(), self.schema(schema, &root.push("definitions").push(name))))
                .collect();
            components.insert("schemas".into(), Value::Object(schemas));
        }
        let mut parameters = Map::new();
        for (name, parameter) in object(doc.get("parameters")) {
            // Body and form parameters become request bodies where operations use them.
            if !matches!(parameter.get("in").and_then(Value::as_str), Some("body" | "formData")) {
                let at = root.push("parameters").push(&name);
                parameters.insert(name, self.parameter(&parameter, &at));
            }
        }
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        let produces = strings(doc.get("produces"));
        let responses: Map<String, Value> = object(doc.get("responses"))
            .iter()
            .map(|(name, response)| {
                (name.clone(), self.response(response, &produces, &root.push("responses").push(name)))
            })
            .collect();
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        let schemes = self.security_schemes();
        if !schemes.is_empty() {
            components.insert("securitySchemes".into(), Value::Object(schemes));
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out.insert("paths".into(), Value::Object(self.paths()));
        Value::Object(out)
    }

    /// `schemes`, `host` and `basePath` as servers: one per scheme, `https` when none is given.
    fn servers(&mut self) -> Vec<Value> {
        let doc = self.doc;
        let base_path = doc.get("basePath").and_then(Value::as_str).unwrap_or("").trim_end_matches('/');
        let Some(host) = doc.get("host").and_then(Value::as_str) else {
            // Relative to where the document is served: the client needs a base URL.
            return if base_path.is_empty() { Vec::new() } else { vec![json!({"url": base_path})] };
        };
        let mut schemes = strings(doc.get("schemes"));
        if schemes.is_empty() {
            schemes.push("https".into());
        }
        // `https` first: it is the one a client should use when both are offered.
        schemes.sort_by_key(|scheme| scheme != "https");
        schemes
            .iter()
            .filter(|scheme| matches!(scheme.as_str(), "http" | "https"))
            .map(|scheme| json!({"url": format!("{scheme}://{host}{base_path}")}))
            .collect()
    }

    fn security_schemes(&mut self) -> Map<String, Value> {
        let root = Pointer::root().push("securityDefinitions");
        let mut schemes = Map::new();
        for (name, definition) in object(self.doc.get("securityDefinitions")) {
            let at = root.push(&name);
            let description = definition.get("description").cloned();
            let mut scheme = match definition.get("type").and_then(Value::as_str) {
                Some("basic") => json!({"type": "http", "scheme": "basic"}),
                Some("apiKey") => json!({"type": "apiKey", "name": definition.get("name"), "in": definition.get("in")}),
                Some("oauth2") => {
                    let flow = match definition.get("flow").and_then(Value::as_str) {
                        Some("implicit") => "implicit",
                        Some("password") => "password",
                        Some("application") => "clientCredentials",
                        Some("accessCode") => "authorizationCode",
                        other => {
                            self.warn(
                                &at.push("flow"),
                                format!("OAuth2 flow {other:?} has no OpenAPI 3.0 equivalent; the scheme is left out"),
                            );
                            continue;
                        }
                    };
                    let mut body = Map::new();
                    for key in ["authorizationUrl", "tokenUrl"] {
                        if let Some(url) = definition.get(key) {
                            body.insert(key.into(), url.clone());
                        }
                    }
                    body.insert("scopes".into(), definition.get("scopes").cloned().unwrap_or_else(|| json!({})));
                    json!({"type": "oauth2", "flows": {flow: body}})
                }
                other => {
                    self.warn(
                        &at.push("type"),
                        format!("security scheme type {other:?} is not a Swagger 2.0 type; the scheme is left out"),
                    );
                    continue;
                }
            };
            if let (Some(description), Some(scheme)) = (description, scheme.as_object_mut()) {
                scheme.insert("description".into(), description);
            }
            schemes.insert(name, scheme);
        }
        schemes
    }

    fn paths(&mut self) -> Map<String, Value> {
        let root = Pointer::root().push("paths");
        let consumes = strings(self.doc.get("consumes"));
        let produces = strings(self.doc.get("produces"));
        let mut paths = Map::new();
        for (path, item) in object(self.doc.get("paths")) {
            let at = root.push(&path);
            if path.starts_with("x-") {
                continue;
            }
            let Some(item) = item.as_object() else { continue };
            let mut out = Map::new();
            let shared: Vec<(Value, Pointer)> = item
                .get("parameters")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(i, p)| (p.clone(), at.push("parameters").push(i.to_string())))
                .collect();
            // Path-level parameters that are not bodies stay at the path level.
            let mut kept = Vec::new();
            let mut shared_bodies = Vec::new();
            for (parameter, parameter_at) in shared {
                let resolved = self.resolve_parameter(&parameter);
                if matches!(resolved.get("in").and_then(Value::as_str), Some("body" | "formData")) {
                    shared_bodies.push((resolved, parameter_at));
                } else {
                    kept.push(self.parameter_or_ref(&parameter, &parameter_at));
                }
            }
            if !kept.is_empty() {
                out.insert("parameters".into(), Value::Array(kept));
            }
            for (key, value) in item {
                if METHODS.contains(&key.as_str()) {
                    let operation = self.operation(value, &at.push(key), &consumes, &produces, &shared_bodies);
                    out.insert(key.clone(), operation);
                } else if key.starts_with("x-") {
                    out.insert(key.clone(), value.clone());
                } else if key == "$ref" {
                    self.warn(
                        &at.push("$ref"),
                        "a path item `$ref` is not converted from Swagger 2.0; the path is left out",
                    );
                }
            }
            paths.insert(path, Value::Object(out));
        }
        paths
    }

    /// A parameter, through its `$ref` to the document's `parameters` when it is one.
    fn resolve_parameter(&self, parameter: &Value) -> Value {
        match parameter.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/parameters/")) {
            Some(name) => self
                .doc
                .get("parameters")
                .and_then(|all| all.get(unescape(name).as_str()))
                .cloned()
                .unwrap_or(Value::Null),
            None => parameter.clone(),
        }
    }

    fn parameter_or_ref(&mut self, parameter: &Value, at: &Pointer) -> Value {
        match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => json!({"$ref": reference.replacen("#/parameters/", "#/components/parameters/", 1)}),
            None => self.parameter(parameter, at),
        }
    }

    fn operation(
        &mut self,
        operation: &Value,
        at: &Pointer,
        consumes: &[String],
        produces: &[String],
        shared_bodies: &[(Value, Pointer)],
    ) -> Value {
        let mut out = Map::new();
        for (key, value) in operation.as_object().into_iter().flatten() {
            match key.as_str() {
                "tags" | "summary" | "description" | "externalDocs" | "operationId" | "deprecated" | "security" => {
                    out.insert(key.clone(), value.clone());
                }
                _ if key.starts_with("x-") => {
                    out.insert(key.clone(), value.clone());
                }
                _ => {}
            }
        }
        let consumes = match operation.get("consumes") {
            Some(own) => strings(Some(own)),
            None => consumes.to_vec(),
        };
        let produces = match operation.get("produces") {
            Some(own) => strings(Some(own)),
            None => produces.to_vec(),
        };
        let mut parameters = Vec::new();
        let mut body: Option<(Value, Pointer)> = None;
        let mut form: Vec<(Value, Pointer)> = Vec::new();
        let own = operation
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, p)| (p.clone(), at.push("parameters").push(i.to_string())));
        for (parameter, parameter_at) in shared_bodies.iter().cloned().chain(own) {
            let resolved = self.resolve_parameter(&parameter);
            match resolved.get("in").and_then(Value::as_str) {
                Some("body") => body = Some((resolved, parameter_at)),
                Some("formData") => form.push((resolved, parameter_at)),
                _ => parameters.push(self.parameter_or_ref(&parameter, &parameter_at)),
            }
        }
        if !parameters.is_empty() {
            out.insert("parameters".into(), Value::Array(parameters));
        }
        if let Some((body, body_at)) = body {
            out.insert("requestBody".into(), self.body(&body, &body_at, &consumes));
        } else if !form.is_empty() {
            out.insert("requestBody".into(), self.form(&form, &consumes));
        }
        let responses: Map<String, Value> = object(operation.get("responses"))
            .iter()
            .map(|(code, response)| {
                let converted = match response.get("$ref").and_then(Value::as_str) {
                    Some(reference) => {
                        json!({"$ref": reference.replacen("#/responses/", "#/components/responses/", 1)})
                    }
                    None => self.response(response, &produces, &at.push("responses").push(code)),
                };
                (code.clone(), converted)
            })
            .collect();
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// A `body` parameter: a request body in each media type the operation consumes.
    fn body(&mut self, parameter: &Value, at: &Pointer, consumes: &[String]) -> Value {
        let schema = self.schema(parameter.get("schema").unwrap_or(&json!({})), &at.push("schema"));
        let media: Vec<&str> = consumes.iter().map(String::as_str).filter(|m| !m.contains("form")).collect();
        let media = if media.is_empty() { vec!["application/json"] } else { media };
        let content: Map<String, Value> = media.iter().map(|m| ((*m).to_owned(), json!({"schema": schema}))).collect();
        let mut out = json!({"content": content, "required": parameter.get("required").and_then(Value::as_bool).unwrap_or(false)});
        if let Some(description) = parameter.get("description") {
            out["description"] = description.clone();
        }
        out
    }

    /// `formData` parameters: one object schema, multipart when a file is among them or the
    /// operation consumes it, URL-encoded otherwise.
    fn form(&mut self, parameters: &[(Value, Pointer)], consumes: &[String]) -> Value {
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut encoding = Map::new();
        let mut has_file = false;
        for (parameter, at) in parameters {
            let Some(name) = parameter.get("name").and_then(Value::as_str) else { continue };
            has_file |= parameter.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.simple_schema(parameter, at);
            if let (Some(description), Some(object)) = (parameter.get("description"), schema.as_object_mut()) {
                object.insert("description".into(), description.clone());
            }
            properties.insert(name.to_owned(), schema);
            if parameter.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
            if let Some(field) = self.collection_format(parameter, at, "query") {
                encoding.insert(name.to_owned(), Value::Object(field));
            }
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let multipart = has_file || consumes.iter().any(|m| m == "multipart/form-data");
        let urlencoded =
            !has_file && (consumes.is_empty() || consumes.iter().any(|m| m == "application/x-www-form-urlencoded"));
        let mut content = Map::new();
        // Each array field's `collectionFormat`, as the field's Encoding Object, in either form.
        let media = || {
            let mut media = json!({"schema": schema});
            if !encoding.is_empty() {
                media["encoding"] = Value::Object(encoding.clone());
            }
            media
        };
        if urlencoded {
            content.insert("application/x-www-form-urlencoded".into(), media());
        }
        if multipart {
            content.insert("multipart/form-data".into(), media());
        }
        let any_required = parameters.iter().any(|(p, _)| p.get("required").and_then(Value::as_bool) == Some(true));
        json!({"content": content, "required": any_required})
    }

    /// A query, header or path parameter, with its type as a schema.
    fn parameter(&mut self, parameter: &Value, at: &Pointer) -> Value {
        let mut out = Map::new();
        for key in ["name", "in", "description", "required", "deprecated", "allowEmptyValue"] {
            if let Some(value) = parameter.get(key) {
                out.insert(key.into(), value.clone());
            }
        }
        for (key, value) in parameter.as_object().into_iter().flatten().filter(|(key, _)| key.starts_with("x-")) {
            out.insert(key.clone(), value.clone());
        }
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("query");
        if parameter.get("type").and_then(Value::as_str) == Some("file") {
            self.warn(at, "a file parameter outside `formData` has no OpenAPI 3.0 equivalent; it is a binary string");
        }
        out.insert("schema".into(), self.simple_schema(parameter, at));
        if let Some(style) = self.collection_format(parameter, at, location) {
            out.extend(style);
        }
        Value::Object(out)
    }

    /// `collectionFormat` as `style` and `explode` (and [`COLLECTION_FORMAT`] where no 3.0 style
    /// says it), for array parameters: the keys of a parameter or of an Encoding Object.
    fn collection_format(&mut self, parameter: &Value, at: &Pointer, location: &str) -> Option<Map<String, Value>> {
        if parameter.get("type").and_then(Value::as_str) != Some("array") {
            return None;
        }
        let simple = matches!(location, "path" | "header");
        let format = parameter.get("collectionFormat").and_then(Value::as_str).unwrap_or("csv");
        let (style, explode, extension) = match format {
            "csv" if simple => ("simple", false, None),
            "csv" => ("form", false, None),
            // No 3.0 style for these in a path or header, nor for `tsv` anywhere: the extension
            // beside the style says the separator.
            "ssv" | "pipes" | "tsv" if simple => ("simple", false, Some(format)),
            "ssv" => ("spaceDelimited", false, None),
            "pipes" => ("pipeDelimited", false, None),
            "multi" => ("form", true, None),
            "tsv" => ("form", false, Some(format)),
            other => {
                self.warn(
                    &at.push("collectionFormat"),
                    format!(
                        "collectionFormat {other:?} has no OpenAPI 3.0 equivalent; the values are sent comma-separated"
                    ),
                );
                (if simple { "simple" } else { "form" }, false, None)
            }
        };
        let mut keys = Map::new();
        keys.insert("style".into(), json!(style));
        keys.insert("explode".into(), json!(explode));
        if let Some(format) = extension {
            keys.insert(COLLECTION_FORMAT.into(), json!(format));
        }
        Some(keys)
    }

    /// The schema of a non-body parameter, form field, header or items: its `type`, `format`,
    /// `items`, `enum` and constraints.
    fn simple_schema(&mut self, parameter: &Value, at: &Pointer) -> Value {
        const KEYS: &[&str] = &[
            "type",
            "format",
            "default",
            "enum",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "multipleOf",
        ];
        let mut schema = Map::new();
        for key in KEYS {
            if let Some(value) = parameter.get(*key) {
                schema.insert((*key).into(), value.clone());
            }
        }
        if parameter.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".into(), json!("string"));
            schema.insert("format".into(), json!("binary"));
        }
        if let Some(items) = parameter.get("items") {
            schema.insert("items".into(), self.simple_schema(items, &at.push("items")));
        }
        if parameter.get("x-nullable").and_then(Value::as_bool) == Some(true) {
            schema.insert("nullable".into(), json!(true));
        }
        Value::Object(schema)
    }

    fn response(&mut self, response: &Value, produces: &[String], at: &Pointer) -> Value {
        let mut out = Map::new();
        out.insert("description".into(), response.get("description").cloned().unwrap_or_else(|| json!("")));
        let headers: Map<String, Value> = object(response.get("headers"))
            .iter()
            .map(|(name, header)| {
                let header_at = at.push("headers").push(name);
                let mut converted = json!({"schema": self.simple_schema(header, &header_at)});
                if let Some(description) = header.get("description") {
                    converted["description"] = description.clone();
                }
                (name.clone(), converted)
            })
            .collect();
        if !headers.is_empty() {
            out.insert("headers".into(), Value::Object(headers));
        }
        if let Some(schema) = response.get("schema") {
            let is_file = schema.get("type").and_then(Value::as_str) == Some("file");
            let schema = self.schema(schema, &at.push("schema"));
            let media: Vec<String> = if produces.is_empty() {
                vec![if is_file { "application/octet-stream".to_owned() } else { "application/json".to_owned() }]
            } else {
                produces.to_vec()
            };
            let examples = object(response.get("examples"));
            let content: Map<String, Value> = media
                .iter()
                .map(|media| {
                    let mut entry = json!({"schema": schema});
                    if let Some(example) = examples.get(media) {
                        entry["example"] = example.clone();
                    }
                    (media.clone(), entry)
                })
                .collect();
            out.insert("content".into(), Value::Object(content));
        }
        for (key, value) in response.as_object().into_iter().flatten().filter(|(key, _)| key.starts_with("x-")) {
            out.insert(key.clone(), value.clone());
        }
        Value::Object(out)
    }

    /// A schema: references to `#/definitions` moved to `#/components/schemas`, `x-nullable`
    /// to `nullable`, `type: file` to a binary string, a discriminator name to an object.
    fn schema(&mut self, schema: &Value, at: &Pointer) -> Value {
        let Some(object) = schema.as_object() else { return schema.clone() };
        let mut out = Map::new();
        for (key, value) in object {
            let converted = match key.as_str() {
                "$ref" => match value.as_str() {
                    Some(reference) => json!(reference.replacen("#/definitions/", "#/components/schemas/", 1)),
                    None => value.clone(),
                },
                "x-nullable" => {
                    if value.as_bool() == Some(true) {
                        out.insert("nullable".into(), json!(true));
                    }
                    continue;
                }
                "type" if value.as_str() == Some("file") => {
                    out.insert("format".into(), json!("binary"));
                    json!("string")
                }
                "discriminator" => match value.as_str() {
                    Some(name) => json!({"propertyName": name}),
                    None => value.clone(),
                },
                "properties" | "patternProperties" | "definitions" => Value::Object(
                    value
                        .as_object()
                        .into_iter()
                        .flatten()
                        .map(|(name, property)| (name.clone(), self.schema(property, &at.push(key).push(name))))
                        .collect(),
                ),
                "items" | "additionalProperties" | "not" => self.schema(value, &at.push(key)),
                "allOf" | "anyOf" | "oneOf" => Value::Array(
                    value
                        .as_array()
                        .into_iter()
                        .flatten()
                        .enumerate()
                        .map(|(i, member)| self.schema(member, &at.push(key).push(i.to_string())))
                        .collect(),
                ),
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        Value::Object(out)
    }
}

/// The extension that carries a `collectionFormat` no 3.0 style can say where it is (`tsv`;
/// `ssv` and `pipes` in a path or header) to the IR, beside the style.
pub const COLLECTION_FORMAT: &str = "x-collection-format";

/// A JSON pointer token unescaped (`~1` is `/`, `~0` is `~`).
fn unescape(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn converted(doc: Value) -> (Value, Vec<String>) {
        let mut warnings = Vec::new();
        let out = convert(&doc, &mut warnings);
        (out, warnings.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn servers_come_from_schemes_host_and_base_path() {
        let (doc, _) =
            converted(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "host": "api.example.com",
            "basePath": "/v2/", "schemes": ["http", "https"], "paths": {}}));
        assert_eq!(
            doc["servers"],
            json!([{"url": "https://api.example.com/v2"}, {"url": "http://api.example.com/v2"}])
        );
        assert_eq!(doc["openapi"], "3.0.3");
    }

    #[test]
    fn body_and_form_parameters_become_request_bodies() {
        let (doc, warnings) = converted(json!({
            "swagger": "2.0", "info": {"title": "t", "version": "1"}, "consumes": ["application/json"],
            "parameters": {"Pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}},
                           "Limit": {"name": "limit", "in": "query", "type": "integer"}},
            "paths": {"/pets": {
                "post": {"parameters": [{"$ref": "#/parameters/Pet"}, {"$ref": "#/parameters/Limit"}],
                         "responses": {"200": {"description": "ok", "schema": {"type": "array", "items": {"$ref": "#/definitions/Pet"}}}}},
                "put": {"consumes": ["multipart/form-data"], "parameters": [
                    {"name": "file", "in": "formData", "type": "file", "required": true},
                    {"name": "tags", "in": "formData", "type": "array", "items": {"type": "string"}, "collectionFormat": "multi"},
                    {"name": "ids", "in": "query", "type": "array", "items": {"type": "integer"}, "collectionFormat": "tsv"}],
                    "responses": {"204": {"description": "stored"}}}}},
            "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string", "x-nullable": true}}}}
        }));
        let post = &doc["paths"]["/pets"]["post"];
        assert_eq!(
            post["requestBody"],
            json!({"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}, "required": true})
        );
        assert_eq!(post["parameters"], json!([{"$ref": "#/components/parameters/Limit"}]));
        assert_eq!(
            post["responses"]["200"]["content"]["application/json"]["schema"]["items"]["$ref"],
            "#/components/schemas/Pet"
        );
        let put = &doc["paths"]["/pets"]["put"]["requestBody"]["content"]["multipart/form-data"];
        assert_eq!(put["schema"]["properties"]["file"], json!({"type": "string", "format": "binary"}));
        assert_eq!(put["schema"]["required"], json!(["file"]));
        assert_eq!(put["encoding"]["tags"], json!({"style": "form", "explode": true}));
        assert_eq!(
            doc["components"]["schemas"]["Pet"]["properties"]["name"],
            json!({"type": "string", "nullable": true})
        );
        assert!(doc["components"]["parameters"].get("Pet").is_none(), "a body parameter is not a 3.0 parameter");
        // `tsv` has no 3.0 style: the extension beside the style says tab-separated.
        let ids = &doc["paths"]["/pets"]["put"]["parameters"][0];
        assert_eq!(
            (&ids["style"], &ids["explode"], &ids["x-collection-format"]),
            (&json!("form"), &json!(false), &json!("tsv"))
        );
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn security_definitions_become_schemes_with_their_flows() {
        let (doc, _) = converted(json!({"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {},
            "securityDefinitions": {
                "basic": {"type": "basic"},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "oauth": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a/auth", "tokenUrl": "https://a/token", "scopes": {"read": "Read"}}}}));
        let schemes = &doc["components"]["securitySchemes"];
        assert_eq!(schemes["basic"], json!({"type": "http", "scheme": "basic"}));
        assert_eq!(schemes["key"], json!({"type": "apiKey", "name": "X-Key", "in": "header"}));
        assert_eq!(schemes["oauth"]["flows"]["authorizationCode"]["tokenUrl"], "https://a/token");
    }
}

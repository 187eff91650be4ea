//! The structural check of a loaded (normalized) document: every field the generator reads has
//! the JSON type OpenAPI gives it, and the fields OpenAPI requires are there, so that the views
//! the IR reads through never meet a wrong shape and no value is dropped for having one. The
//! first problem stops loading, named by its place (`#/paths/~1x/get/parameters/0/in`).
//!
//! It checks what the typed `openapiv3` model used to refuse, no more: a document that loaded
//! then loads now. Fields the generator does not read (`externalDocs`, `links`, `contact`) are
//! not looked at.

use serde_json::Value;

use crate::diagnostics::{Error, Pointer};

/// The check of a document's tree.
pub fn check_document(raw: &Value) -> Result<(), Error> {
    let root = At { value: raw, at: Pointer::root() };
    root.object()?;
    root.required("openapi")?.text()?;
    let info = root.required("info")?;
    info.object()?;
    info.required("title")?.text()?;
    info.required("version")?.text()?;
    info.optional_text("description")?;
    root.optional_list("servers", server)?;
    let paths = root.required("paths")?;
    paths.map(|_, item| item.ref_or(path_item))?;
    if let Some(components) = root.optional("components") {
        components.object()?;
        components.optional_map("schemas", |_, schema| schema.ref_or(self::schema))?;
        components.optional_map("responses", |_, response| response.ref_or(self::response))?;
        components.optional_map("parameters", |_, parameter| parameter.ref_or(self::parameter))?;
        components.optional_map("examples", |_, example| example.ref_or(self::example))?;
        components.optional_map("requestBodies", |_, body| body.ref_or(request_body))?;
        components.optional_map("headers", |_, header| header.ref_or(self::header))?;
        components.optional_map("securitySchemes", |_, scheme| scheme.ref_or(security_scheme))?;
        components.optional_map("callbacks", |_, callback| callback.ref_or(self::callback))?;
        components.optional_map("mediaTypes", |_, media| media.ref_or(media_type))?;
    }
    root.optional_list("security", security_requirement)?;
    root.optional_list("tags", |tag| {
        tag.object()?;
        tag.required("name")?.text()?;
        tag.optional_text("description")
    })
}

/// A value of the document and its place.
struct At<'a> {
    value: &'a Value,
    at: Pointer,
}

type Check = fn(&At<'_>) -> Result<(), Error>;

impl<'a> At<'a> {
    fn child(&self, key: &str, value: &'a Value) -> At<'a> {
        At { value, at: self.at.push(key) }
    }

    /// A field; `null` counts as absent, as for the model's optional fields.
    fn optional(&self, key: &str) -> Option<At<'a>> {
        self.value.get(key).filter(|value| !value.is_null()).map(|value| self.child(key, value))
    }

    fn required(&self, key: &str) -> Result<At<'a>, Error> {
        self.optional(key).ok_or_else(|| Error::at(&self.at, format!("missing field `{key}`")))
    }

    fn wrong(&self, expected: &str) -> Error {
        let found = match self.value {
            Value::Null => "null".to_owned(),
            Value::Bool(flag) => format!("boolean `{flag}`"),
            Value::Number(number) => format!("number `{number}`"),
            Value::String(text) => format!("string {text:?}"),
            Value::Array(_) => "a sequence".to_owned(),
            Value::Object(_) => "a map".to_owned(),
        };
        Error::at(&self.at, format!("invalid type: {found}, expected {expected}"))
    }

    fn object(&self) -> Result<(), Error> {
        if self.value.is_object() { Ok(()) } else { Err(self.wrong("a map")) }
    }

    fn text(&self) -> Result<(), Error> {
        if self.value.is_string() { Ok(()) } else { Err(self.wrong("a string")) }
    }

    fn one_of(&self, values: &[&str]) -> Result<(), Error> {
        self.text()?;
        let text = self.value.as_str().unwrap_or_default();
        if values.contains(&text) {
            return Ok(());
        }
        let expected: Vec<String> = values.iter().map(|value| format!("`{value}`")).collect();
        Err(Error::at(&self.at, format!("unknown variant `{text}`, expected one of {}", expected.join(", "))))
    }

    fn optional_text(&self, key: &str) -> Result<(), Error> {
        self.optional(key).map_or(Ok(()), |field| field.text())
    }

    fn optional_flag(&self, key: &str) -> Result<(), Error> {
        match self.optional(key) {
            Some(field) if !field.value.is_boolean() => Err(field.wrong("a boolean")),
            _ => Ok(()),
        }
    }

    fn optional_number(&self, key: &str) -> Result<(), Error> {
        match self.optional(key) {
            Some(field) if !field.value.is_number() => Err(field.wrong("a number")),
            _ => Ok(()),
        }
    }

    fn optional_count(&self, key: &str) -> Result<(), Error> {
        match self.optional(key) {
            Some(field) if !field.value.is_u64() => Err(field.wrong("a count (an integer, 0 or more)")),
            _ => Ok(()),
        }
    }

    fn optional_one_of(&self, key: &str, values: &[&str]) -> Result<(), Error> {
        self.optional(key).map_or(Ok(()), |field| field.one_of(values))
    }

    /// A map: `each` checks every entry but extensions (`x-...`).
    fn map(&self, each: impl Fn(&str, &At<'a>) -> Result<(), Error>) -> Result<(), Error> {
        let Some(entries) = self.value.as_object() else { return Err(self.wrong("a map")) };
        for (key, value) in entries.iter().filter(|(key, _)| !key.starts_with("x-")) {
            each(key, &self.child(key, value))?;
        }
        Ok(())
    }

    fn optional_map(&self, key: &str, each: impl Fn(&str, &At<'a>) -> Result<(), Error>) -> Result<(), Error> {
        self.optional(key).map_or(Ok(()), |field| field.map(each))
    }

    fn list(&self, each: impl Fn(&At<'a>) -> Result<(), Error>) -> Result<(), Error> {
        let Some(items) = self.value.as_array() else { return Err(self.wrong("a sequence")) };
        for (index, item) in items.iter().enumerate() {
            each(&self.child(&index.to_string(), item))?;
        }
        Ok(())
    }

    fn optional_list(&self, key: &str, each: impl Fn(&At<'a>) -> Result<(), Error>) -> Result<(), Error> {
        self.optional(key).map_or(Ok(()), |field| field.list(each))
    }

    fn optional_texts(&self, key: &str) -> Result<(), Error> {
        self.optional_list(key, At::text)
    }

    /// A `$ref` (its other fields are not read) or what `check` accepts.
    fn ref_or(&self, check: Check) -> Result<(), Error> {
        match self.value.get("$ref") {
            Some(reference) if !reference.is_null() => self.child("$ref", reference).text(),
            _ => check(self),
        }
    }
}

fn server(server: &At<'_>) -> Result<(), Error> {
    server.object()?;
    server.required("url")?.text()?;
    server.optional_text("description")?;
    server.optional_map("variables", |_, variable| {
        variable.object()?;
        variable.required("default")?.text()?;
        variable.optional_texts("enum")?;
        variable.optional_text("description")
    })
}

fn path_item(item: &At<'_>) -> Result<(), Error> {
    item.object()?;
    item.optional_text("summary")?;
    item.optional_text("description")?;
    for field in super::OPERATION_FIELDS {
        if let Some(operation) = item.optional(field) {
            self::operation(&operation)?;
        }
    }
    // OpenAPI 3.2: operations of any other method, by its name.
    item.optional_map("additionalOperations", |_, operation| self::operation(operation))?;
    item.optional_list("servers", server)?;
    item.optional_list("parameters", |parameter| parameter.ref_or(self::parameter))
}

fn operation(operation: &At<'_>) -> Result<(), Error> {
    operation.object()?;
    operation.optional_texts("tags")?;
    operation.optional_text("summary")?;
    operation.optional_text("description")?;
    operation.optional_text("operationId")?;
    operation.optional_list("parameters", |parameter| parameter.ref_or(self::parameter))?;
    if let Some(body) = operation.optional("requestBody") {
        body.ref_or(request_body)?;
    }
    operation.required("responses")?.map(|key, response| {
        if key != "default" && !is_status(key) {
            return Err(Error::at(&response.at, format!("{key:?} is not a status: a code (`200`) or range (`2XX`)")));
        }
        response.ref_or(self::response)
    })?;
    operation.optional_map("callbacks", |_, callback| self::callback(callback))?;
    operation.optional_flag("deprecated")?;
    operation.optional_list("security", security_requirement)?;
    operation.optional_list("servers", server)
}

/// A response key that is a status: three digits, or a digit and `XX`.
fn is_status(key: &str) -> bool {
    match key.as_bytes() {
        [first, b'X' | b'x', b'X' | b'x'] => first.is_ascii_digit(),
        [_, _, _] => key.bytes().all(|byte| byte.is_ascii_digit()),
        _ => false,
    }
}

fn callback(callback: &At<'_>) -> Result<(), Error> {
    callback.map(|_, item| path_item(item))
}

fn security_requirement(requirement: &At<'_>) -> Result<(), Error> {
    requirement.map(|_, scopes| scopes.list(At::text))
}

fn parameter(parameter: &At<'_>) -> Result<(), Error> {
    parameter.object()?;
    parameter.required("name")?.text()?;
    let location = parameter.required("in")?;
    location.one_of(&["query", "header", "path", "cookie", "querystring"])?;
    let styles: &[&str] = match location.value.as_str() {
        Some("query") => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
        Some("path") => &["matrix", "label", "simple"],
        Some("header") => &["simple"],
        Some("querystring") => &[],
        _ => &["form", "cookie"],
    };
    parameter.optional_one_of("style", styles)?;
    parameter.optional_text("description")?;
    parameter.optional_flag("required")?;
    parameter.optional_flag("deprecated")?;
    parameter.optional_flag("explode")?;
    parameter.optional_flag("allowReserved")?;
    parameter.optional_flag("allowEmptyValue")?;
    schema_or_content(parameter)
}

fn header(header: &At<'_>) -> Result<(), Error> {
    header.object()?;
    header.optional_text("description")?;
    header.optional_one_of("style", &["simple"])?;
    header.optional_flag("required")?;
    header.optional_flag("deprecated")?;
    schema_or_content(header)
}

/// A parameter's or header's type: a `schema`, or a `content` with one media type.
fn schema_or_content(owner: &At<'_>) -> Result<(), Error> {
    owner.optional_map("examples", |_, example| example.ref_or(self::example))?;
    match (owner.optional("schema"), owner.optional("content")) {
        (Some(schema), _) => schema.ref_or(self::schema),
        (None, Some(content)) => content.map(|_, media| media.ref_or(media_type)),
        (None, None) => Err(Error::at(&owner.at, "it has neither a `schema` nor a `content`")),
    }
}

fn request_body(body: &At<'_>) -> Result<(), Error> {
    body.object()?;
    body.optional_text("description")?;
    body.optional_flag("required")?;
    body.optional_map("content", |_, media| media.ref_or(media_type))
}

fn response(response: &At<'_>) -> Result<(), Error> {
    response.object()?;
    response.required("description")?.text()?;
    response.optional_map("headers", |_, header| header.ref_or(self::header))?;
    response.optional_map("content", |_, media| media.ref_or(media_type))
}

fn media_type(media: &At<'_>) -> Result<(), Error> {
    media.object()?;
    for key in ["schema", "itemSchema"] {
        if let Some(schema) = media.optional(key) {
            schema.ref_or(self::schema)?;
        }
    }
    media.optional_map("examples", |_, example| example.ref_or(self::example))?;
    media.optional_map("encoding", |_, encoding| {
        encoding.object()?;
        encoding.optional_text("contentType")?;
        encoding.optional_map("headers", |_, header| header.ref_or(self::header))?;
        encoding.optional_one_of("style", &["form", "spaceDelimited", "pipeDelimited", "deepObject"])?;
        encoding.optional_flag("explode")?;
        encoding.optional_flag("allowReserved")
    })
}

fn example(example: &At<'_>) -> Result<(), Error> {
    example.object()?;
    example.optional_text("summary")?;
    example.optional_text("description")?;
    example.optional_text("externalValue")
}

fn security_scheme(scheme: &At<'_>) -> Result<(), Error> {
    scheme.object()?;
    scheme.optional_text("description")?;
    scheme.optional_flag("deprecated")?;
    let kind = scheme.required("type")?;
    kind.one_of(&["apiKey", "http", "oauth2", "openIdConnect"])?;
    match kind.value.as_str() {
        Some("apiKey") => {
            scheme.required("in")?.one_of(&["query", "header", "cookie"])?;
            scheme.required("name")?.text()
        }
        Some("http") => {
            scheme.required("scheme")?.text()?;
            scheme.optional_text("bearerFormat")
        }
        Some("oauth2") => {
            let flows = scheme.required("flows")?;
            flows.object()?;
            for (flow, needs) in [
                ("implicit", &["authorizationUrl"][..]),
                ("password", &["tokenUrl"]),
                ("clientCredentials", &["tokenUrl"]),
                ("authorizationCode", &["authorizationUrl", "tokenUrl"]),
            ] {
                let Some(flow) = flows.optional(flow) else { continue };
                flow.object()?;
                for url in needs {
                    flow.required(url)?.text()?;
                }
                flow.optional_text("refreshUrl")?;
                flow.required("scopes")?.map(|_, description| description.text())?;
            }
            Ok(())
        }
        _ => scheme.required("openIdConnectUrl")?.text(),
    }
}

fn schema(schema: &At<'_>) -> Result<(), Error> {
    schema.object()?;
    for key in ["type", "title", "description", "format", "pattern"] {
        schema.optional_text(key)?;
    }
    for key in
        ["nullable", "readOnly", "writeOnly", "deprecated", "uniqueItems", "exclusiveMinimum", "exclusiveMaximum"]
    {
        schema.optional_flag(key)?;
    }
    for key in ["multipleOf", "minimum", "maximum"] {
        schema.optional_number(key)?;
    }
    for key in ["minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"] {
        schema.optional_count(key)?;
    }
    schema.optional_texts("required")?;
    schema.optional_list("enum", |_| Ok(()))?;
    schema.optional_map("properties", |_, property| property.ref_or(self::schema))?;
    if let Some(additional) = schema.optional("additionalProperties")
        && !additional.value.is_boolean()
    {
        additional.ref_or(self::schema)?;
    }
    for key in ["items", "not"] {
        if let Some(inner) = schema.optional(key) {
            inner.ref_or(self::schema)?;
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        schema.optional_list(key, |member| member.ref_or(self::schema))?;
    }
    if let Some(discriminator) = schema.optional("discriminator") {
        discriminator.object()?;
        discriminator.required("propertyName")?.text()?;
        discriminator.optional_map("mapping", |_, target| target.text())?;
        discriminator.optional_text("defaultMapping")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn message(document: Value) -> String {
        check_document(&document).unwrap_err().to_string()
    }

    fn minimal(paths: Value) -> Value {
        json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths})
    }

    #[test]
    fn a_wrong_shape_is_named_by_its_place() {
        assert!(check_document(&minimal(json!({}))).is_ok());
        let no_paths = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}});
        assert_eq!(message(no_paths), "#: missing field `paths`");
        let parameter = minimal(json!({"/x": {"get": {"parameters": [{"name": "q", "in": "body"}], "responses": {}}}}));
        assert_eq!(
            message(parameter),
            "#/paths/~1x/get/parameters/0/in: unknown variant `body`, expected one of `query`, `header`, `path`, `cookie`, \
             `querystring`"
        );
        let schema = minimal(json!({"/x": {"get": {"responses": {"200": {"description": "ok", "content": {
            "application/json": {"schema": {"properties": {"a": {"required": "yes"}}}}}}}}}}));
        assert_eq!(
            message(schema),
            "#/paths/~1x/get/responses/200/content/application~1json/schema/properties/a/required: invalid type: \
             string \"yes\", expected a sequence"
        );
        let status = minimal(json!({"/x": {"get": {"responses": {"2000": {"description": "ok"}}}}}));
        assert!(message(status).contains("\"2000\" is not a status"));
    }

    #[test]
    fn references_and_extensions_are_not_looked_into() {
        let document = minimal(json!({
            "x-anything": 5,
            "/x": {"$ref": "#/components/pathItems/x", "get": 7},
        }));
        assert!(check_document(&document).is_ok());
    }
}

//! Paths and operations to methods: parameters, request bodies per media type, the response
//! to decode, the server to send to and the credentials to send.

use std::collections::BTreeSet;

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::{Error, Pointer};
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    BodyEncoding, Builder, EventEnum, EventVariant, FormField, HeaderName, HttpMethod, MultipartField, Operation,
    OperationMethod, Param, ParamLocation, ParamsStruct, PathSegment, RequestBody, ResponseBody, SecurityScheme,
    Server, StatusCase, StatusEnum, StatusMatch, StreamBody, StreamFormat, Style, TypeKind, TypeRef, non_empty,
    security,
};
use crate::load::swagger2::COLLECTION_FORMAT;
use crate::view::{self, Node, SchemaKind};

/// Methods the generated `Client` has already; operations may not take these names.
pub(crate) const CLIENT_METHODS: &[&str] =
    &["builder", "clone", "exchange_code", "fmt", "new", "refresh_access_token", "request"];

/// Builds every operation, in document order, with the document's default server.
pub fn build_all(builder: &mut Builder<'_>, schemes: &[SecurityScheme]) -> Result<(Server, Vec<Operation>), Error> {
    let default_server = default_server(builder);
    let mut method_names = Namespace::with_reserved(CLIENT_METHODS.iter().copied());
    let mut operation_ids = BTreeSet::new();
    let mut operations = Vec::new();
    let doc = builder.view();
    let paths = doc.get("paths");
    for (path, item_node) in paths.iter().flat_map(|paths| paths.entries()) {
        if path.starts_with("x-") {
            continue;
        }
        let item_at = item_node.at().clone();
        let item = view::PathItem(doc.resolve(item_node)?);
        for view::ItemOperation { method: field, additional, operation } in item.operations() {
            let path_at = match additional {
                true => item_at.push("additionalOperations").push(field),
                false => item_at.push(field),
            };
            let Some(method) = operation_method(builder, field, additional, &path_at) else { continue };
            // A method without an operationId is named from its method in lower case.
            let http_method = field.to_ascii_lowercase();
            let http_method = http_method.as_str();
            let at = operation.0.at().clone();
            let context = OperationContext {
                path,
                http_method,
                method,
                item: &item,
                operation: &operation,
                at: &at,
                path_at: &path_at,
                default_server: &default_server,
                schemes,
            };
            let built = context.build(builder, &mut method_names, &mut operation_ids)?;
            operations.push(built);
        }
    }
    yield_page_method_names(builder, &mut operations);
    Ok((default_server, operations))
}

/// A server's description, or else its `name` (OpenAPI 3.2) said as one.
fn server_description(server: &view::Server<'_>) -> Option<String> {
    non_empty(server.description()).or_else(|| non_empty(server.name()).map(|name| format!("The `{name}` server.")))
}

/// The method of an operation under the path item field `field` (or the `additionalOperations`
/// entry of that name); `None`, with a warning, for an additional method that a fixed field has
/// (which 3.2 forbids) or that is not an HTTP token.
fn operation_method(builder: &mut Builder<'_>, field: &str, additional: bool, at: &Pointer) -> Option<HttpMethod> {
    if !additional {
        return HttpMethod::of_field(field);
    }
    if view::METHODS.iter().any(|fixed| fixed.eq_ignore_ascii_case(field)) {
        let why = format!(
            "`{field}` is a fixed field of the path item, not an additional method; this operation is left out"
        );
        builder.warn(at, why);
        return None;
    }
    // RFC 9110's `token`: what a method name may be made of.
    let is_tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if field.is_empty() || !field.chars().all(is_tchar) {
        builder.warn(at, format!("{field:?} is not an HTTP method name (a token); this operation is left out"));
        return None;
    }
    Some(HttpMethod::Other(field.to_owned()))
}

/// The page methods the generator adds to a listing (`{method}_pages`, `{method}_items`) yield
/// to the description's operations: when one of them has such a name, the listing keeps its
/// method and is not walked in pages, with a warning that says why.
fn yield_page_method_names(builder: &mut Builder<'_>, operations: &mut [Operation]) {
    let names: BTreeSet<String> =
        operations.iter().flat_map(|op| op.methods.iter().map(|method| method.name.clone())).collect();
    for op in operations.iter_mut().filter(|op| op.pagination.is_some()) {
        let base = op.methods[0].name.trim_start_matches("r#");
        let Some(taken) =
            ["pages", "items"].map(|suffix| format!("{base}_{suffix}")).into_iter().find(|name| names.contains(name))
        else {
            continue;
        };
        op.pagination = None;
        builder.warn(
            &op.pointer,
            format!("not walked as pages: its page method `{taken}` would take the name of another operation's method"),
        );
    }
}

fn default_server(builder: &mut Builder<'_>) -> Server {
    let servers = builder.view().get("servers").map(|servers| servers.items().map(view::Server).collect::<Vec<_>>());
    let (url, description) = match servers.unwrap_or_default().first() {
        Some(server) => (server.url(), server_description(server)),
        None => {
            builder.warn(&Pointer::root(), "no `servers`; the client needs a base URL from `ClientBuilder::base_url`");
            ("/".to_owned(), None)
        }
    };
    Server { const_name: "DEFAULT".to_owned(), url, description }
}

struct OperationContext<'o, 'a> {
    path: &'o str,
    /// The path item's field the operation is in (`get`).
    http_method: &'o str,
    method: HttpMethod,
    /// The path item, where it is written (under `paths`, or where a `$ref` path item points).
    item: &'o view::PathItem<'a>,
    operation: &'o view::Operation<'a>,
    /// Where the operation's object is.
    at: &'o Pointer,
    /// Where it is under `paths`, which names the operation for selections and warnings.
    path_at: &'o Pointer,
    default_server: &'o Server,
    schemes: &'o [SecurityScheme],
}

impl<'a> OperationContext<'_, 'a> {
    fn build(
        &self,
        builder: &mut Builder<'a>,
        method_names: &mut Namespace,
        operation_ids: &mut BTreeSet<String>,
    ) -> Result<Operation, Error> {
        let operation = self.operation;
        let operation_id = match operation.operation_id().map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => {
                if !operation_ids.insert(id.to_owned()) {
                    builder.warn(
                        &self.at.push("operationId"),
                        format!("operationId {id:?} is used twice; the method gets a numbered name"),
                    );
                }
                id.to_owned()
            }
            None => {
                let made_up = format!("{} {}", self.http_method, self.path.replace(['{', '}'], ""));
                builder.warn(self.at, format!("no operationId; the method is named from {made_up:?}"));
                made_up
            }
        };
        let base_name = naming::snake(&operation_id, "operation");
        let type_base = naming::camel(&operation_id, "Operation");

        let (path_part, fixed_query) = match self.path.split_once('?') {
            Some((path, query)) => (path, Some(query.to_owned()).filter(|q| !q.is_empty())),
            None => (self.path, None),
        };
        let mut params = self.parameters(builder, &type_base)?;
        let fixed_query = self.query_templates(builder, fixed_query, path_part, params.as_mut());
        let path = self.path_segments(path_part, params.as_ref())?;
        self.drop_unplaced_path_params(builder, &path, &mut params);
        let params = params.map(|params| {
            let name = builder.type_names.claim(&format!("{type_base}Params"));
            let arguments = params.iter().filter(|p| p.required && p.default.is_none()).map(|p| &p.ty);
            let required_fields = crate::ir::needs_named_arguments(arguments)
                .then(|| builder.type_names.claim(&format!("{name}Required")));
            ParamsStruct { name, params, required_fields }
        });
        let server = self.server(builder);
        // The operation's own requirements, or the document's.
        let requirements = builder.view().at(&self.at.push("security")).or_else(|| builder.view().get("security"));
        let security = match requirements {
            Some(requirements) => security::requirement(builder, &requirements, self.schemes),
            None => Vec::new(),
        };
        let methods = self.methods(builder, method_names, &base_name, &type_base)?;
        let (success, error_type, error_enum) = self.responses(builder, &type_base)?;
        let documented_responses = self.documented_responses(builder);
        let mut built = Operation {
            operation_id,
            pointer: self.path_at.clone(),
            http_method: self.method.clone(),
            path_template: self.path.to_owned(),
            path,
            fixed_query,
            summary: non_empty(operation.summary()),
            description: non_empty(operation.description()),
            deprecated: operation.deprecated(),
            tags: operation.tags(),
            server,
            security,
            params: params.filter(|p| !p.params.is_empty()),
            methods,
            success,
            pagination: None,
            error_type,
            error_enum,
            documented_responses,
        };
        let declared = builder.pagination.get(&built.operation_id).cloned();
        built.pagination = crate::ir::pagination::recognize(builder, &built, operation, self.at, declared.as_ref());
        Ok(built)
    }

    /// Path-item parameters, overridden by the operation's own with the same name and location.
    fn parameters(&self, builder: &mut Builder<'a>, type_base: &str) -> Result<Option<Vec<Param>>, Error> {
        let mut merged: IndexMap<(String, String), view::Parameter<'a>> = IndexMap::new();
        for parameter in self.item.parameters().into_iter().chain(self.operation.parameters()) {
            let parameter = view::Parameter(builder.view().resolve(parameter)?);
            let key = (parameter.name().to_owned(), parameter.location().to_owned());
            merged.insert(key, parameter);
        }
        if merged.is_empty() {
            return Ok(None);
        }
        let mut field_names = Namespace::default();
        let mut params = Vec::with_capacity(merged.len());
        for ((wire_name, _), parameter) in merged {
            let at = parameter.0.at().clone();
            let (location, style, default_explode) = match parameter.location() {
                "query" => {
                    let style = match parameter.style() {
                        Some("spaceDelimited") => Style::SpaceDelimited,
                        Some("pipeDelimited") => Style::PipeDelimited,
                        Some("deepObject") => Style::DeepObject,
                        _ => Style::Form,
                    };
                    (ParamLocation::Query, style, style == Style::Form)
                }
                "path" => {
                    let style = match parameter.style() {
                        Some("matrix") => Style::Matrix,
                        Some("label") => Style::Label,
                        _ => Style::Simple,
                    };
                    (ParamLocation::Path, style, false)
                }
                "header" => (ParamLocation::Header, Style::Simple, false),
                "cookie" => (ParamLocation::Cookie, Style::Form, true),
                // OpenAPI 3.2: the whole query string, one value of its media type. A form-encoded
                // object is what an exploded `form` query parameter writes: its properties are the
                // pairs.
                "querystring" if is_form_query(builder, &parameter)? => (ParamLocation::Query, Style::Form, true),
                // Of JSON: the value's JSON, percent-encoded, is the query string.
                "querystring" if is_json_query(builder, &parameter)? => {
                    (ParamLocation::QueryString, Style::Form, false)
                }
                "querystring" => {
                    let why = "a `querystring` parameter (OpenAPI 3.2) is supported as an \
                               `application/x-www-form-urlencoded` object or as JSON; this one is left out, and \
                               the operation sends no query of its own";
                    builder.warn(&at, why);
                    continue;
                }
                other => {
                    builder.warn(&at, format!("a parameter in {other:?} is not supported; it is left out"));
                    continue;
                }
            };
            // Swagger 2.0 has no cookie parameters: a path, a query or a header says it.
            let extension = parameter.0.str(COLLECTION_FORMAT);
            let style = match extension.and_then(delimited_style) {
                Some(delimited) if location != ParamLocation::Cookie => delimited,
                _ => style,
            };
            let hint = format!("{type_base}{}", naming::camel(&wire_name, "Param"));
            let (ty, default) = match (parameter.schema(), builder.view().content(&parameter.0)?.into_iter().next()) {
                (Some(schema), _) => {
                    let typed = builder.type_of(&schema, &hint)?;
                    let default = match schema.reference() {
                        None => schema.default().cloned(),
                        Some(_) => None,
                    };
                    (typed.with_null_as_option(), default)
                }
                (None, Some((_, media))) => match media.get("schema") {
                    Some(schema) => (builder.type_of(&view::Schema(schema), &hint)?.with_null_as_option(), None),
                    None => (TypeRef::String, None),
                },
                (None, None) => (TypeRef::String, None),
            };
            let ty = if ty == TypeRef::String && crate::ir::schemas::is_secret_name(&wire_name) {
                TypeRef::Secret
            } else {
                ty
            };
            if location == ParamLocation::Query && parameter.location() == "querystring" && !is_object(builder, &ty) {
                let why = "a `querystring` parameter (OpenAPI 3.2) is supported as an object of query pairs only; \
                           this one is left out, and the operation sends no query of its own";
                builder.warn(&at, why);
                continue;
            }
            let required = parameter.required() || location == ParamLocation::Path;
            params.push(Param {
                name: field_names.claim(&naming::snake(&wire_name, "param")),
                wire_name,
                location,
                ty,
                required,
                default,
                style,
                explode: parameter.explode().unwrap_or(default_explode),
                description: non_empty(parameter.description()),
                deprecated: parameter.deprecated(),
            });
        }
        Ok(Some(params))
    }

    /// The query part of a path key (`/export?filename={filename}`) with its templates taken out:
    /// each `key={name}` makes the parameter `name` the query parameter `key`, so that its value
    /// is encoded and sent like any query parameter's (a path parameter is moved; a query
    /// parameter takes the key as its name). What is left is sent as written. A template this
    /// cannot fill (`{name}.csv`, a name nothing declares, a path parameter the path uses too) is
    /// not sent, with a warning.
    fn query_templates(
        &self,
        builder: &mut Builder<'a>,
        query: Option<String>,
        path: &str,
        mut params: Option<&mut Vec<Param>>,
    ) -> Option<String> {
        let query = query?;
        if !query.contains('{') {
            return Some(query);
        }
        let mut literal = Vec::new();
        for pair in query.split('&') {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let whole =
                value.strip_prefix('{').and_then(|rest| rest.strip_suffix('}')).filter(|name| !name.contains('{'));
            let Some(name) = whole else {
                if pair.contains('{') {
                    let reason = "its template is not the whole value, which a parameter cannot fill";
                    builder
                        .warn(self.at, format!("the query part of the path has {pair:?}; {reason}, so it is not sent"));
                } else {
                    literal.push(pair);
                }
                continue;
            };
            let in_path = path.contains(&format!("{{{name}}}"));
            let declared = params.as_deref_mut().into_iter().flatten().find(|param| match param.location {
                ParamLocation::Path => param.wire_name == name && !in_path,
                ParamLocation::Query => param.wire_name == name || param.wire_name == key,
                _ => false,
            });
            let Some(param) = declared else {
                let reason = match in_path {
                    true => "its parameter fills the path already",
                    false => "no path or query parameter of that name is declared",
                };
                builder.warn(self.at, format!("the query part of the path has {pair:?}; {reason}, so it is not sent"));
                continue;
            };
            if param.location == ParamLocation::Path {
                (param.location, param.style, param.explode) = (ParamLocation::Query, Style::Form, true);
            }
            param.wire_name = key.to_owned();
        }
        Some(literal.join("&")).filter(|rest| !rest.is_empty())
    }

    /// Leaves out, with a warning, the path parameters that the path does not use: nothing
    /// would send them.
    fn drop_unplaced_path_params(
        &self,
        builder: &mut Builder<'a>,
        path: &[PathSegment],
        params: &mut Option<Vec<Param>>,
    ) {
        let Some(list) = params else { return };
        let placed = |param: &Param| {
            path.iter().any(|segment| matches!(segment, PathSegment::Param(name) if *name == param.name))
        };
        let (kept, unplaced): (Vec<Param>, Vec<Param>) =
            std::mem::take(list).into_iter().partition(|param| param.location != ParamLocation::Path || placed(param));
        for param in unplaced {
            builder.warn(
                self.at,
                format!(
                    "the path parameter {:?} is not in the path {:?}, so it is not sent",
                    param.wire_name, self.path
                ),
            );
        }
        *list = kept;
        if list.is_empty() {
            *params = None;
        }
    }

    /// Splits the path template into literal text and parameters; a `{name}` without a declared
    /// parameter is an error, since the request could not be built.
    fn path_segments(&self, path: &str, params: Option<&Vec<Param>>) -> Result<Vec<PathSegment>, Error> {
        let mut segments = Vec::new();
        let mut rest = path;
        while let Some(open) = rest.find('{') {
            let Some(close) = rest[open..].find('}').map(|c| open + c) else {
                break;
            };
            if open > 0 {
                segments.push(PathSegment::Literal(rest[..open].to_owned()));
            }
            let wire = &rest[open + 1..close];
            let param = params
                .into_iter()
                .flatten()
                .find(|p| p.location == ParamLocation::Path && p.wire_name == wire)
                .ok_or_else(|| {
                    Error::at(
                        self.at,
                        format!("the path has {{{wire}}} but no path parameter named {wire:?} is declared"),
                    )
                })?;
            segments.push(PathSegment::Param(param.name.clone()));
            rest = &rest[close + 1..];
        }
        if !rest.is_empty() {
            segments.push(PathSegment::Literal(rest.to_owned()));
        }
        Ok(segments)
    }

    /// The operation's own server (or its path item's), as a constant name; `None` for the default.
    fn server(&self, builder: &mut Builder<'a>) -> Option<String> {
        let operation_servers = view::servers(&self.operation.0);
        let item_servers = view::servers(&self.item.0);
        let server = operation_servers.first().or_else(|| item_servers.first())?;
        let url = server.url();
        if url == self.default_server.url {
            return None;
        }
        if let Some(known) = builder.extra_servers.iter().find(|s| s.url == url) {
            return Some(known.const_name.clone());
        }
        let mut names = Namespace::with_reserved(
            std::iter::once("DEFAULT").chain(builder.extra_servers.iter().map(|s| s.const_name.as_str())),
        );
        // Named for its `name` (OpenAPI 3.2), or else for its host and path.
        let host_and_path = url.split_once("://").map_or(url.as_str(), |(_, rest)| rest);
        let const_name = names.claim(&naming::shouty(server.name().unwrap_or(host_and_path), "SERVER"));
        builder.extra_servers.push(Server {
            const_name: const_name.clone(),
            url,
            description: server_description(server),
        });
        Some(const_name)
    }

    /// One method per request media type: JSON first under the plain name, others suffixed.
    fn methods(
        &self,
        builder: &mut Builder<'a>,
        method_names: &mut Namespace,
        base_name: &str,
        type_base: &str,
    ) -> Result<Vec<OperationMethod>, Error> {
        let Some(body) = self.operation.request_body() else {
            return Ok(vec![OperationMethod { name: method_names.claim(base_name), body: None }]);
        };
        let body = view::Body(builder.view().resolve(body)?);
        let mut bodies = Vec::new();
        for (media_type, media) in builder.view().content(&body.0)? {
            if let Some(request_body) = self.request_body(builder, &body, media_type, &media, type_base)? {
                bodies.push(request_body);
            }
        }
        bodies.sort_by_key(|b| !matches!(b.encoding, BodyEncoding::Json));
        if bodies.is_empty() {
            return Ok(vec![OperationMethod { name: method_names.claim(base_name), body: None }]);
        }
        let mut methods = Vec::with_capacity(bodies.len());
        for (index, body) in bodies.into_iter().enumerate() {
            let name = if index == 0 {
                method_names.claim(base_name)
            } else {
                let suffix = match body.encoding {
                    BodyEncoding::Json => "json",
                    BodyEncoding::FormUrlEncoded(_) => "form",
                    BodyEncoding::Multipart(_) => "multipart",
                    BodyEncoding::Bytes => "bytes",
                    BodyEncoding::Text => "text",
                    BodyEncoding::Stream(_) => "stream",
                };
                method_names.claim(&format!("{base_name}_{suffix}"))
            };
            methods.push(OperationMethod { name, body: Some(body) });
        }
        Ok(methods)
    }

    fn request_body(
        &self,
        builder: &mut Builder<'a>,
        body: &view::Body<'a>,
        media_type: &str,
        media: &Node<'a>,
        type_base: &str,
    ) -> Result<Option<RequestBody>, Error> {
        let media_at = media.at();
        let schema = media.get("schema").map(view::Schema);
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        let schema_type = |builder: &mut Builder<'a>| -> Result<TypeRef, Error> {
            match &schema {
                Some(schema) => Ok(builder.type_of(schema, &format!("{type_base}Request"))?.with_null_as_option()),
                None => Ok(TypeRef::Json),
            }
        };
        let (encoding, ty) = if essence == "application/json" || essence.ends_with("+json") || essence == "text/json" {
            (BodyEncoding::Json, schema_type(builder)?)
        } else if essence == "application/x-www-form-urlencoded" {
            (BodyEncoding::FormUrlEncoded(form_fields(builder, media_at)), schema_type(builder)?)
        } else if essence.starts_with("multipart/") {
            let ty = schema_type(builder)?;
            match self.multipart_fields(builder, &ty, media_at) {
                Some(fields) => (BodyEncoding::Multipart(fields), ty),
                None => {
                    builder.warn(media_at, "a multipart body must be an object schema; this media type is left out");
                    return Ok(None);
                }
            }
        } else if let Some(format) = StreamFormat::of_media_type(&essence).filter(|f| *f != StreamFormat::EventStream) {
            // The schema of a sequential media type is one item's.
            let item = match &view::item_schema(media) {
                Some(schema) => builder.type_of(schema, &format!("{type_base}Item"))?.with_null_as_option(),
                None => TypeRef::Json,
            };
            (BodyEncoding::Stream(format), item)
        } else if essence.starts_with("text/") {
            (BodyEncoding::Text, TypeRef::String)
        } else {
            (BodyEncoding::Bytes, TypeRef::Upload)
        };
        Ok(Some(RequestBody {
            content_type: media_type.to_owned(),
            encoding,
            ty,
            required: body.required(),
            description: non_empty(body.description()),
        }))
    }

    /// How each property of a multipart body becomes parts, from the media type's `encoding`.
    fn multipart_fields(&self, builder: &Builder<'_>, ty: &TypeRef, media_at: &Pointer) -> Option<Vec<MultipartField>> {
        let TypeKind::Struct(body) = &builder.types.named(ty)?.kind else {
            return None;
        };
        let encodings = builder.raw_at(&media_at.push("encoding"));
        let fields = body
            .fields
            .iter()
            // A `readOnly` property is never sent.
            .filter(|field| !field.read_only)
            .map(|field| {
                let encoding = encodings.and_then(|e| e.get(&field.wire_name));
                let text = |key: &str| encoding.and_then(|e| e.get(key)).and_then(Value::as_str).map(str::to_owned);
                let (style, explode) = field_encoding(encoding);
                MultipartField {
                    field: field.name.clone(),
                    wire_name: field.wire_name.clone(),
                    is_file: field.ty.contains_upload(),
                    style,
                    explode,
                    content_type: text("contentType"),
                }
            })
            .collect();
        Some(fields)
    }

    /// The statuses and media types of the documented responses (a reference that does not
    /// resolve, which `responses` reports, has none).
    fn documented_responses(&self, builder: &Builder<'a>) -> Vec<(String, Vec<String>)> {
        let mut documented = Vec::new();
        for (status, response) in self.all_responses() {
            let media = match builder.view().resolve(response) {
                Ok(response) => view::content(&response).into_iter().map(|(media, _)| media.to_owned()).collect(),
                Err(_) => Vec::new(),
            };
            documented.push((status, media));
        }
        documented
    }

    /// Every response by its status (`2XX` for a range, whatever its case) and `default` last.
    fn all_responses(&self) -> Vec<(String, Node<'a>)> {
        let by_status = self.statuses().into_iter().map(|(status, response)| (status.to_string(), response));
        let default = self.operation.0.get("responses").and_then(|responses| responses.get("default"));
        by_status.chain(default.map(|response| ("default".to_owned(), response))).collect()
    }

    /// The responses by status, in document order.
    fn statuses(&self) -> Vec<(view::Status, Node<'a>)> {
        let responses = self.operation.responses().into_iter();
        responses.filter_map(|(key, response)| Some((view::Status::parse(key)?, response))).collect()
    }

    fn responses(
        &self,
        builder: &mut Builder<'a>,
        type_base: &str,
    ) -> Result<(ResponseBody, TypeRef, Option<StatusEnum>), Error> {
        let statuses = self.statuses();
        let mut success_codes: Vec<(view::Status, Node<'a>)> =
            statuses.iter().filter(|(status, _)| status.is_success()).cloned().collect();
        success_codes.sort_by_key(|(status, _)| match status {
            view::Status::Code(code) => *code,
            view::Status::Range(_) => 299,
        });
        // A response to `HEAD` has no body, whatever the description says of its content.
        let head = self.method == HttpMethod::Head;
        let success = match head {
            true => ResponseBody::Empty,
            false => self.success_body(builder, type_base, &success_codes)?,
        };
        let mut cases: Vec<StatusCase> = Vec::new();
        // Whether an error status the description names exactly has no body at all (a `HEAD`'s
        // `404`). A text or binary body, and a range or `default` without content (which says
        // nothing of what a server sends, a proxy's HTML page say), stay raw in
        // `Error::UnexpectedResponse` rather than lost in a variant without data.
        let mut bodiless = false;
        let default = self.operation.0.get("responses").and_then(|responses| responses.get("default"));
        let failures = statuses
            .iter()
            .filter(|(status, _)| !success_codes.iter().any(|(success, _)| success == status))
            .map(|(status, response)| (status_match(*status), response.clone()))
            .chain(default.map(|response| (StatusMatch::Default, response)));
        for (status, response) in failures {
            let response = view::Body(builder.view().resolve(response)?);
            self.collect_headers(builder, &response);
            let ty = match self.response_body(builder, &response, &format!("{type_base}Error"))? {
                ResponseBody::Json(ty) if !head => Some(ty),
                _ => None,
            };
            bodiless |= matches!(status, StatusMatch::Code(_)) && (head || response.content().is_empty());
            cases.push(StatusCase {
                variant: String::new(),
                status,
                ty,
                description: non_empty(response.description()),
            });
        }
        let mut schemas: Vec<&TypeRef> = Vec::new();
        for ty in cases.iter().filter_map(|case| case.ty.as_ref()) {
            if !schemas.contains(&ty) {
                schemas.push(ty);
            }
        }
        // A documented status without a body is still documented: beside one that has a body,
        // it needs a variant of its own, or it would read as an unexpected response.
        Ok(match schemas.len() {
            0 => (success, TypeRef::Json, None),
            1 if !bodiless => (success, schemas[0].clone(), None),
            _ => {
                let error_enum = status_enum(builder.type_names.claim(&format!("{type_base}Error")), cases);
                (success, TypeRef::Companion(error_enum.name.clone()), Some(error_enum))
            }
        })
    }

    /// The success body: the first one's type when all success statuses say the same (or there
    /// is one), an enum by status when they give different JSON bodies or none; with text or
    /// binary among different bodies, the first one's, and a warning at each other.
    fn success_body(
        &self,
        builder: &mut Builder<'a>,
        type_base: &str,
        success_codes: &[(view::Status, Node<'a>)],
    ) -> Result<ResponseBody, Error> {
        let mut resolved = Vec::with_capacity(success_codes.len());
        for (code, response) in success_codes {
            let written_at = response.at().clone();
            let response = view::Body(builder.view().resolve(response.clone())?);
            self.collect_headers(builder, &response);
            let signature = body_signature(&builder.view().content(&response.0)?);
            resolved.push((*code, response, written_at, signature));
        }
        let Some((first_code, first, _, first_signature)) = resolved.first() else {
            return Ok(ResponseBody::Empty);
        };
        let all_alike = resolved.iter().all(|(.., signature)| signature == first_signature);
        let only_json_or_empty =
            resolved.iter().all(|(.., signature)| matches!(signature, BodySignature::Json(_) | BodySignature::Empty));
        if all_alike || !only_json_or_empty {
            for (code, _, written_at, signature) in resolved.iter().skip(1) {
                if signature != first_signature {
                    builder.warn(
                        written_at,
                        format!(
                            "the method returns the {first_code} response's body; this {code} response's body \
                             differs and is not typed (it is decoded as the {first_code} body would be)"
                        ),
                    );
                }
            }
            return self.response_body(builder, first, &format!("{type_base}Response"));
        }
        let name = builder.type_names.claim(&format!("{type_base}Response"));
        let mut cases = Vec::with_capacity(resolved.len());
        for (code, response, _, _) in &resolved {
            let ty = match self.response_body(builder, response, &format!("{type_base}Response{code}"))? {
                ResponseBody::Json(ty) => Some(ty),
                _ => None,
            };
            let description = non_empty(response.description());
            cases.push(StatusCase { variant: String::new(), status: status_match(*code), ty, description });
        }
        Ok(ResponseBody::ByStatus(status_enum(name, cases)))
    }

    fn response_body(
        &self,
        builder: &mut Builder<'a>,
        response: &view::Body<'a>,
        hint: &str,
    ) -> Result<ResponseBody, Error> {
        let content = builder.view().content(&response.0)?;
        let stream = content
            .iter()
            .find_map(|(media_type, media)| Some((*media_type, media, StreamFormat::of_media_type(media_type)?)));
        if let Some((media_type, media)) = content.iter().find(|(media, _)| is_json_media(media)) {
            if let Some((stream_type, stream_media, _)) = stream {
                builder.warn(
                    stream_media.at(),
                    format!(
                        "the response comes as `{media_type}` or as the stream `{stream_type}`; the method returns \
                         the `{media_type}` body, and the stream is not offered"
                    ),
                );
            }
            let ty = match media.get("schema") {
                Some(schema) => builder.type_of(&view::Schema(schema), hint)?.with_null_as_option(),
                None => TypeRef::Json,
            };
            return Ok(ResponseBody::Json(ty));
        }
        if let Some((media_type, media, format)) = stream {
            // In OpenAPI 3.0 and 3.1 the schema of a sequential media type describes one item:
            // an event's data for server-sent events (text unless it is structured), a JSON text
            // for the others.
            let base = hint.strip_suffix("Response").unwrap_or(hint);
            let item_hint = format!("{base}Item");
            let (item, events) = match view::item_schema(media) {
                Some(schema) => match format {
                    StreamFormat::EventStream => event_data_type(builder, &schema, base)?,
                    _ => (builder.type_of(&schema, &item_hint)?.with_null_as_option(), None),
                },
                None if format == StreamFormat::EventStream => (TypeRef::String, None),
                None => (TypeRef::Json, None),
            };
            return Ok(ResponseBody::Stream(StreamBody { format, media_type: media_type.to_owned(), item, events }));
        }
        if content.is_empty() {
            Ok(ResponseBody::Empty)
        } else if content.iter().all(|(media, _)| media.starts_with("text/")) {
            Ok(ResponseBody::Text)
        } else {
            Ok(ResponseBody::Bytes)
        }
    }

    fn collect_headers(&self, builder: &mut Builder<'a>, response: &view::Body<'a>) {
        for (name, header) in response.headers() {
            let key = name.to_ascii_lowercase();
            if builder.response_headers.contains_key(&key) || key == "content-type" {
                continue;
            }
            let description =
                builder.view().resolve(header).ok().and_then(|header| non_empty(header.str("description")));
            let const_name = naming::shouty(&key, "HEADER");
            builder.response_headers.insert(
                key,
                // Header names are case-insensitive, so their case says nothing about words:
                // `X-RateLimit-Remaining` and `X-Ratelimit-Reset` both split at `-` only.
                HeaderName { const_name, wire_name: name.to_owned(), description },
            );
        }
    }
}

/// Whether a `querystring` parameter's one media type is `application/x-www-form-urlencoded`.
fn is_form_query(builder: &Builder<'_>, parameter: &view::Parameter<'_>) -> Result<bool, Error> {
    let content = builder.view().content(&parameter.0)?;
    Ok(matches!(content.as_slice(), [(media, _)] if media.split(';').next().is_some_and(|essence| {
        essence.trim().eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })))
}

/// Whether a `querystring` parameter's one media type is JSON (`application/json`, `+json`).
fn is_json_query(builder: &Builder<'_>, parameter: &view::Parameter<'_>) -> Result<bool, Error> {
    let content = builder.view().content(&parameter.0)?;
    Ok(matches!(content.as_slice(), [(media, _)] if is_json_media(media)))
}

fn is_object(builder: &Builder<'_>, ty: &TypeRef) -> bool {
    ty.is_object(builder.types.defs())
}

/// The style of a Swagger 2.0 `collectionFormat` carried in `x-collection-format`.
fn delimited_style(format: &str) -> Option<Style> {
    match format {
        "tsv" => Some(Style::TabDelimited),
        "ssv" => Some(Style::SpaceDelimited),
        "pipes" => Some(Style::PipeDelimited),
        _ => None,
    }
}

/// The `style` and `explode` of a form or multipart field's Encoding Object (`form`, exploded,
/// when it says neither).
fn field_encoding(encoding: Option<&Value>) -> (Style, bool) {
    let text = |key: &str| encoding.and_then(|e| e.get(key)).and_then(Value::as_str);
    let style = match text("style") {
        Some("deepObject") => Style::DeepObject,
        Some("spaceDelimited") => Style::SpaceDelimited,
        Some("pipeDelimited") => Style::PipeDelimited,
        _ => text(COLLECTION_FORMAT).and_then(delimited_style).unwrap_or(Style::Form),
    };
    let explode = encoding
        .and_then(|e| e.get("explode"))
        .and_then(Value::as_bool)
        .unwrap_or(style == Style::Form || style == Style::DeepObject);
    (style, explode)
}

/// The fields of a form body whose Encoding Object gives a style or `explode` (Swagger 2.0's
/// `collectionFormat` of `formData` arrays becomes one): the others are written as `form`,
/// exploded (objects in `deepObject` brackets), as the runtime does without being told.
fn form_fields(builder: &Builder<'_>, media_at: &Pointer) -> Vec<FormField> {
    let encodings = builder.raw_at(&media_at.push("encoding")).and_then(Value::as_object);
    encodings
        .into_iter()
        .flatten()
        .filter(|(_, encoding)| ["style", "explode", COLLECTION_FORMAT].iter().any(|key| encoding.get(*key).is_some()))
        .map(|(wire_name, encoding)| {
            let (style, explode) = field_encoding(Some(encoding));
            FormField { wire_name: wire_name.clone(), style, explode }
        })
        .collect()
}

/// What a response body is, as far as decoding goes: nothing, text, bytes, or JSON of a schema
/// (`Some` with the `$ref` it names or the place of an inline one, `None` without a schema).
#[derive(PartialEq)]
enum BodySignature {
    Empty,
    Text,
    Bytes,
    Json(Option<String>),
    Stream(StreamFormat, Option<String>),
}

/// An inline schema is its own: two of them count as different, since they are different types.
fn body_signature(content: &[(&str, Node<'_>)]) -> BodySignature {
    // The `$ref` a schema names, or the place of an inline one's media type.
    let named = |media: &Node<'_>, schema: Option<view::Schema<'_>>| {
        schema.map(|schema| match schema.reference() {
            Some(reference) => reference.to_owned(),
            None => media.at().to_string(),
        })
    };
    if let Some((_, media)) = content.iter().find(|(media, _)| is_json_media(media)) {
        return BodySignature::Json(named(media, media.get("schema").map(view::Schema)));
    }
    let stream = content.iter().find_map(|(media_type, media)| {
        let format = StreamFormat::of_media_type(media_type)?;
        Some(BodySignature::Stream(format, named(media, view::item_schema(media))))
    });
    if let Some(stream) = stream {
        return stream;
    }
    if content.is_empty() {
        BodySignature::Empty
    } else if content.iter().all(|(media, _)| media.starts_with("text/")) {
        BodySignature::Text
    } else {
        BodySignature::Bytes
    }
}

/// The type of an event's data, from the schema of a `text/event-stream`: the data's own schema
/// when the schema describes the event (an object of `data` and the other event fields, `event`,
/// `id`, `retry`, as descriptions write it and as OpenAPI 3.2's `itemSchema` does), else the
/// schema itself. Data that is a string is text as it came, not JSON. Events that differ by
/// their `event` name (a `oneOf` of event objects, or with a discriminator on `event`) are an
/// enum of them, `{base}Event`.
fn event_data_type<'a>(
    builder: &mut Builder<'a>,
    schema: &view::Schema<'a>,
    base: &str,
) -> Result<(TypeRef, Option<EventEnum>), Error> {
    let resolved = view::Schema(builder.view().resolve(schema.0.clone())?);
    let keyword = match resolved.kind() {
        SchemaKind::OneOf => Some("oneOf"),
        SchemaKind::AnyOf => Some("anyOf"),
        _ => None,
    };
    if let Some(keyword) = keyword
        && let Some(events) = event_enum(builder, &resolved, &resolved.members(keyword), base)?
    {
        return Ok((TypeRef::Companion(events.name.clone()), Some(events)));
    }
    let data = match event_envelope(&resolved) {
        Some((data, _)) => data,
        None => schema.clone(),
    };
    Ok((data_type(builder, &data, &format!("{base}Item"))?, None))
}

/// The data of an event object (`data` beside `event`, `id`, `retry` and nothing else), and the
/// names its `event` property allows.
fn event_envelope<'a>(schema: &view::Schema<'a>) -> Option<(view::Schema<'a>, Vec<String>)> {
    if schema.kind() != SchemaKind::Object {
        return None;
    }
    let properties = schema.properties();
    if !properties.iter().all(|(key, _)| ["data", "event", "id", "retry"].contains(key)) {
        return None;
    }
    let property = |name: &str| properties.iter().find(|(key, _)| *key == name).map(|(_, schema)| schema.clone());
    let data = property("data")?;
    // Data that is JSON in the event's text: its `contentSchema` (3.1, 3.2) is the data's schema.
    let json_content = data.raw("contentMediaType").and_then(Value::as_str).is_some_and(|media| media.contains("json"));
    let data = match data.0.get("contentSchema") {
        Some(content) if json_content => view::Schema(content),
        _ => data,
    };
    let names = match property("event") {
        Some(event) if event.reference().is_none() && event.kind() == SchemaKind::String => event.string_values(),
        _ => Vec::new(),
    };
    Some((data, names))
}

/// The type of an event's data: `String` (text as it came) for a string, else its JSON type.
fn data_type<'a>(builder: &mut Builder<'a>, data: &view::Schema<'a>, hint: &str) -> Result<TypeRef, Error> {
    let resolved = view::Schema(builder.view().resolve(data.0.clone())?);
    if resolved.kind() == SchemaKind::String {
        return Ok(TypeRef::String);
    }
    Ok(builder.type_of(data, hint)?.with_null_as_option())
}

/// The enum of events that differ by name, when every member of `members` names its events: by
/// the discriminator's mapping (on `event`), or by its own `event` property.
fn event_enum<'a>(
    builder: &mut Builder<'a>,
    schema: &view::Schema<'a>,
    members: &[view::Schema<'a>],
    base: &str,
) -> Result<Option<EventEnum>, Error> {
    let on_event = schema.discriminator_property() == Some("event");
    let mapping = schema.discriminator_mapping();
    let mut named = Vec::new();
    for member in members {
        let member_schema = view::Schema(builder.view().resolve(member.0.clone())?);
        let envelope = event_envelope(&member_schema);
        let mut names: Vec<String> = match (on_event, member.reference()) {
            (true, Some(reference)) => mapping
                .iter()
                .filter(|(_, target)| *target == reference || reference.ends_with(&format!("/{target}")))
                .map(|(name, _)| (*name).to_owned())
                .collect(),
            _ => Vec::new(),
        };
        if names.is_empty() {
            names = envelope.as_ref().map(|(_, names)| names.clone()).unwrap_or_default();
        }
        if names.is_empty() {
            return Ok(None);
        }
        let data = match envelope {
            Some((data, _)) => data,
            None => member.clone(),
        };
        named.push((names, data));
    }
    let name = builder.type_names.claim(&format!("{base}Event"));
    let mut variant_names = Namespace::default();
    let mut variants = Vec::new();
    for (names, data) in named {
        let hint = format!("{base}{}", naming::camel(&names[0], "Event"));
        let data = data_type(builder, &data, &hint)?;
        for event in names {
            let variant = variant_names.claim(&naming::camel(&event, "Event"));
            variants.push(EventVariant { event, name: variant, data: data.clone() });
        }
    }
    let unknown_variant = variant_names.claim("Unknown");
    Ok(Some(EventEnum { name, variants, unknown_variant }))
}

fn is_json_media(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json") || essence == "text/json"
}

/// The statuses a response key is for.
fn status_match(status: view::Status) -> StatusMatch {
    match status {
        view::Status::Code(code) => StatusMatch::Code(code),
        view::Status::Range(range) => StatusMatch::Range(range),
    }
}

/// The enum `name` of an operation's bodies by status: a variant per status, named for it, in
/// the order statuses are matched (exact statuses, then ranges, then `default`).
fn status_enum(name: String, mut cases: Vec<StatusCase>) -> StatusEnum {
    cases.sort_by_key(|case| match case.status {
        StatusMatch::Code(code) => (0, code),
        StatusMatch::Range(range) => (1, range),
        StatusMatch::Default => (2, 0),
    });
    let mut variants = Namespace::default();
    for case in &mut cases {
        case.variant = variants.claim(&status_variant(case.status));
    }
    StatusEnum { name, cases }
}

/// A variant name for a status: its reason phrase (`NotFound`), its class (`ClientError`), or
/// `Other` for `default`.
fn status_variant(status: StatusMatch) -> String {
    let name = match status {
        StatusMatch::Default => "Other",
        StatusMatch::Range(1) => "Informational",
        StatusMatch::Range(2) => "Success",
        StatusMatch::Range(3) => "Redirection",
        StatusMatch::Range(4) => "ClientError",
        StatusMatch::Range(5) => "ServerError",
        StatusMatch::Range(range) => return format!("Status{range}XX"),
        StatusMatch::Code(code) => match code {
            200 => "Ok",
            201 => "Created",
            202 => "Accepted",
            203 => "NonAuthoritativeInformation",
            204 => "NoContent",
            205 => "ResetContent",
            206 => "PartialContent",
            207 => "MultiStatus",
            300 => "MultipleChoices",
            301 => "MovedPermanently",
            302 => "Found",
            303 => "SeeOther",
            304 => "NotModified",
            307 => "TemporaryRedirect",
            308 => "PermanentRedirect",
            400 => "BadRequest",
            401 => "Unauthorized",
            402 => "PaymentRequired",
            403 => "Forbidden",
            404 => "NotFound",
            405 => "MethodNotAllowed",
            406 => "NotAcceptable",
            408 => "RequestTimeout",
            409 => "Conflict",
            410 => "Gone",
            411 => "LengthRequired",
            412 => "PreconditionFailed",
            413 => "PayloadTooLarge",
            414 => "UriTooLong",
            415 => "UnsupportedMediaType",
            416 => "RangeNotSatisfiable",
            417 => "ExpectationFailed",
            421 => "MisdirectedRequest",
            422 => "UnprocessableEntity",
            423 => "Locked",
            424 => "FailedDependency",
            425 => "TooEarly",
            426 => "UpgradeRequired",
            428 => "PreconditionRequired",
            429 => "TooManyRequests",
            431 => "RequestHeaderFieldsTooLarge",
            451 => "UnavailableForLegalReasons",
            500 => "InternalServerError",
            501 => "NotImplemented",
            502 => "BadGateway",
            503 => "ServiceUnavailable",
            504 => "GatewayTimeout",
            507 => "InsufficientStorage",
            _ => return format!("Status{code}"),
        },
    };
    name.to_owned()
}

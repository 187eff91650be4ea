//! Listings that come in pages, recognized so that the client can walk them: from the
//! operation's `x-speakeasy-pagination` extension, from a declaration the user gives the
//! generator (the same object, by `operationId`), or from a shape that says it unambiguously.
//! Every recognized listing is reported ([`Pagination::describe`]); a listing that looks paged
//! but is not recognized gets a warning that says what to declare.

use std::collections::BTreeMap;

use serde::Serialize;
use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::ir::{Builder, Operation, ParamLocation, ResponseBody, TypeKind, TypeRef};
use crate::view;

/// The extension a description declares a listing's paging with (Speakeasy's, the one in use
/// in public descriptions).
pub const EXTENSION: &str = "x-speakeasy-pagination";

/// How an operation's pages are walked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Pagination {
    /// Where the next page is.
    pub kind: PageKind,
    /// The fields (Rust names) from the response body to the list of items; empty when the
    /// body is the list.
    pub items: Vec<String>,
    /// The items' type.
    pub item_type: TypeRef,
    /// Why the generator believes it.
    pub source: Source,
}

/// Where the next page is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PageKind {
    /// A page number parameter, and maybe the number of pages in the body.
    PageNumber {
        /// The parameter (its field in the parameters struct).
        param: String,
        /// The fields to the number of pages, when the body has it.
        total_pages: Option<Vec<String>>,
    },
    /// An offset parameter, and maybe a limit parameter.
    Offset {
        /// The offset parameter's field.
        param: String,
        /// The limit parameter's field.
        limit: Option<String>,
    },
    /// A cursor parameter, with the next cursor in the body.
    Cursor {
        /// The cursor parameter's field.
        param: String,
        /// The fields to the next cursor.
        next: Vec<String>,
    },
    /// The next page's URL in the body.
    NextUrl {
        /// The fields to the URL.
        next: Vec<String>,
    },
    /// The `Link` header's `rel="next"`.
    LinkHeader,
}

/// Why a listing is believed to be paged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Source {
    /// The description's `x-speakeasy-pagination`.
    Extension,
    /// A declaration given to the generator, with where it was given (`--pagination
    /// paging.yaml`, or the settings file's `[pagination.listPets]`).
    Declared(String),
    /// The parameters and body say it unambiguously.
    Shape,
}

impl PageKind {
    /// The paths of fields in the response body it reads (the number of pages, the next
    /// cursor or URL), besides the items.
    pub fn body_paths_mut(&mut self) -> Vec<&mut Vec<String>> {
        match self {
            PageKind::PageNumber { total_pages, .. } => total_pages.iter_mut().collect(),
            PageKind::Cursor { next, .. } | PageKind::NextUrl { next } => vec![next],
            PageKind::Offset { .. } | PageKind::LinkHeader => Vec::new(),
        }
    }

    /// [`PageKind::body_paths_mut`], to read.
    pub fn body_paths(&self) -> Vec<&Vec<String>> {
        match self {
            PageKind::PageNumber { total_pages, .. } => total_pages.iter().collect(),
            PageKind::Cursor { next, .. } | PageKind::NextUrl { next } => vec![next],
            PageKind::Offset { .. } | PageKind::LinkHeader => Vec::new(),
        }
    }

    /// The parameter fields it sets (page number, offset, limit, cursor).
    pub fn params_mut(&mut self) -> Vec<&mut String> {
        match self {
            PageKind::PageNumber { param, .. } | PageKind::Cursor { param, .. } => vec![param],
            PageKind::Offset { param, limit } => std::iter::once(param).chain(limit.as_mut()).collect(),
            PageKind::NextUrl { .. } | PageKind::LinkHeader => Vec::new(),
        }
    }
}

impl Pagination {
    /// What was recognized, for the note the generator prints.
    pub fn describe(&self, operation: &Operation) -> String {
        let items = if self.items.is_empty() { "the body".to_owned() } else { format!("`{}`", self.items.join(".")) };
        let kind = match &self.kind {
            PageKind::PageNumber { param, total_pages: Some(total) } => {
                format!("page number `{param}`, up to `{}` pages", total.join("."))
            }
            PageKind::PageNumber { param, total_pages: None } => {
                format!("page number `{param}`, until a page is empty")
            }
            PageKind::Offset { param, limit: Some(limit) } => format!("offset `{param}` and limit `{limit}`"),
            PageKind::Offset { param, limit: None } => format!("offset `{param}`"),
            PageKind::Cursor { param, next } => format!("cursor `{param}` from `{}`", next.join(".")),
            PageKind::NextUrl { next } => format!("next page URL from `{}`", next.join(".")),
            PageKind::LinkHeader => "the `Link` header's rel=\"next\"".to_owned(),
        };
        let source = match &self.source {
            Source::Extension => EXTENSION,
            Source::Declared(origin) => origin.as_str(),
            Source::Shape => "its parameters and body",
        };
        format!(
            "note: {}: `{}` is paged by {kind}; items in {items} (from {source})",
            operation.pointer, operation.operation_id
        )
    }
}

/// Where the paging of `operation_id` was declared, for messages and notes.
pub(crate) fn declared_in(builder: &Builder<'_>, operation_id: &str) -> String {
    builder.pagination_origins.get(operation_id).cloned().unwrap_or_else(|| "a paging declaration".to_owned())
}

/// The paging of `operation`, from a declaration (`declared`, else the extension at `at`) or
/// from its shape.
pub(crate) fn recognize(
    builder: &mut Builder<'_>,
    operation: &Operation,
    raw: &view::Operation<'_>,
    at: &Pointer,
    declared: Option<&Value>,
) -> Option<Pagination> {
    let single_method = operation.methods.len() == 1 && operation.methods[0].body.is_none();
    let ResponseBody::Json(body) = &operation.success else { return None };
    let origin = || declared_in(builder, &operation.operation_id);
    let declaration = declared.map(|value| (value.clone(), Source::Declared(origin()), at.clone())).or_else(|| {
        let extension_at = at.push(EXTENSION);
        builder.raw_at(&extension_at).map(|value| (value.clone(), Source::Extension, extension_at))
    });
    if let Some((declaration, source, declaration_at)) = declaration {
        let from = match &source {
            Source::Declared(origin) => format!(" (from {origin})"),
            _ => String::new(),
        };
        let parsed = if single_method {
            from_declaration(builder, operation, body, &declaration, source)
        } else {
            Err("it has a request body, and only listings without one are walked".to_owned())
        };
        return match parsed {
            Ok(pagination) => Some(pagination),
            Err(reason) => {
                builder.warn(&declaration_at, format!("the paging declaration{from} is not used: {reason}"));
                None
            }
        };
    }
    if !single_method {
        return None;
    }
    from_shape(builder, operation, raw, at, body)
}

/// The query parameter (its field) whose wire name is one of `names`, when it is of a type
/// that `accepts`.
fn query_param<'o>(operation: &'o Operation, names: &[&str], accepts: fn(&TypeRef) -> bool) -> Option<&'o str> {
    operation.params.iter().flat_map(|params| &params.params).find_map(|param| {
        let matches = param.location == ParamLocation::Query
            && names.iter().any(|name| name.eq_ignore_ascii_case(&param.wire_name))
            && accepts(&param.ty);
        matches.then_some(param.name.as_str())
    })
}

fn is_integer(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::I32 | TypeRef::I64) || matches!(ty, TypeRef::Extern(ext) if ext.integer)
}

fn is_string(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::String)
}

/// `ty` without `Option` and `Box`, and through aliases. Each alias is followed at most once,
/// so a cycle of aliases that no pass has broken yet ends the walk instead of looping.
fn bare<'t>(builder: &'t Builder<'_>, ty: &'t TypeRef) -> &'t TypeRef {
    let mut ty = ty;
    let mut aliases_left = builder.types.defs().len();
    loop {
        match ty {
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => ty = inner,
            TypeRef::Named(id) if aliases_left > 0 => match &builder.types.get(*id).kind {
                TypeKind::Alias(aliased) => {
                    aliases_left -= 1;
                    ty = aliased;
                }
                _ => return ty,
            },
            _ => return ty,
        }
    }
}

/// The fields of the struct `ty` is, if it is one: (Rust name, wire name, type).
fn fields<'t>(builder: &'t Builder<'_>, ty: &'t TypeRef) -> Vec<(&'t str, &'t str, &'t TypeRef)> {
    match builder.types.named(bare(builder, ty)).map(|def| &def.kind) {
        Some(TypeKind::Struct(body)) => {
            body.fields.iter().map(|field| (field.name.as_str(), field.wire_name.as_str(), &field.ty)).collect()
        }
        _ => Vec::new(),
    }
}

/// The list of items in `body`: the body itself, or its one array field.
fn items_of(builder: &Builder<'_>, body: &TypeRef) -> Result<(Vec<String>, TypeRef), String> {
    if let TypeRef::Vec(item) = bare(builder, body) {
        return Ok((Vec::new(), (**item).clone()));
    }
    let arrays: Vec<(&str, &TypeRef)> = fields(builder, body)
        .into_iter()
        .filter_map(|(name, _, ty)| match bare(builder, ty) {
            TypeRef::Vec(item) => Some((name, &**item)),
            _ => None,
        })
        .collect();
    match arrays.as_slice() {
        [(name, item)] => Ok((vec![(*name).to_owned()], (*item).clone())),
        [] => Err("the response has no list of items".to_owned()),
        _ => Err(format!(
            "the response has several lists ({})",
            arrays.iter().map(|(name, _)| format!("`{name}`")).collect::<Vec<_>>().join(", ")
        )),
    }
}

/// The field path to a field named one of `names` (wire names), at the top of `body` or one
/// level down, of a type that `accepts`.
fn find_field(
    builder: &Builder<'_>,
    body: &TypeRef,
    names: &[&str],
    accepts: fn(&TypeRef) -> bool,
) -> Option<Vec<String>> {
    let wanted =
        |wire: &str, ty: &TypeRef| names.iter().any(|n| n.eq_ignore_ascii_case(wire)) && accepts(bare(builder, ty));
    let top = fields(builder, body);
    if let Some((name, ..)) = top.iter().find(|(_, wire, ty)| wanted(wire, ty)) {
        return Some(vec![(*name).to_owned()]);
    }
    top.iter().find_map(|(outer, _, ty)| {
        let (inner, ..) = fields(builder, ty).into_iter().find(|(_, wire, ty)| wanted(wire, ty))?;
        Some(vec![(*outer).to_owned(), inner.to_owned()])
    })
}

const PAGE_PARAMS: &[&str] = &["page", "page_number", "pageNumber"];
const TOTAL_PAGES: &[&str] = &["num_pages", "total_pages", "totalPages", "page_count", "pageCount", "numPages"];
const OFFSET_PARAMS: &[&str] = &["offset"];
const LIMIT_PARAMS: &[&str] = &["limit", "page_size", "pageSize", "per_page", "perPage"];
const CURSOR_PARAMS: &[&str] = &[
    "cursor",
    "page_token",
    "pageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
    "starting_after",
];
const NEXT_CURSOR: &[&str] = &[
    "next_cursor",
    "nextCursor",
    "next_page_token",
    "nextPageToken",
    "next_token",
    "nextToken",
    "continuation_token",
    "continuationToken",
];

/// Whether the first success response documents a `Link` header.
fn documents_link_header(builder: &Builder<'_>, raw: &view::Operation<'_>) -> bool {
    let responses = raw.responses();
    let Some((_, response)) = responses.into_iter().find(|(code, _)| code.starts_with('2')) else { return false };
    let Ok(response) = builder.view().resolve(response) else { return false };
    view::Body(response).headers().iter().any(|(name, _)| name.eq_ignore_ascii_case("link"))
}

fn from_shape(
    builder: &mut Builder<'_>,
    operation: &Operation,
    raw: &view::Operation<'_>,
    at: &Pointer,
    body: &TypeRef,
) -> Option<Pagination> {
    let link = documents_link_header(builder, raw);
    let page = query_param(operation, PAGE_PARAMS, is_integer);
    let offset = query_param(operation, OFFSET_PARAMS, is_integer);
    let cursor = query_param(operation, CURSOR_PARAMS, is_string);
    let next_cursor = find_field(builder, body, NEXT_CURSOR, is_string);
    let cursor = cursor.zip(next_cursor);
    // A listing is a page when something says where the next one is.
    let mut kinds = Vec::new();
    if link {
        kinds.push(PageKind::LinkHeader);
    }
    if let Some((param, next)) = cursor {
        kinds.push(PageKind::Cursor { param: param.to_owned(), next });
    }
    if let Some(param) = page {
        let total_pages = find_field(builder, body, TOTAL_PAGES, is_integer);
        kinds.push(PageKind::PageNumber { param: param.to_owned(), total_pages });
    }
    if let Some(param) = offset {
        let limit = query_param(operation, LIMIT_PARAMS, is_integer).map(str::to_owned);
        kinds.push(PageKind::Offset { param: param.to_owned(), limit });
    }
    // The `Link` header is what such APIs follow themselves (GitHub documents `page` beside it).
    let kind = match kinds.len() {
        0 => return None,
        1 => kinds.remove(0),
        _ if link => PageKind::LinkHeader,
        _ => {
            builder.warn(
                at,
                format!(
                    "not walked as pages: it has {} parameters, which say different things; declare its paging with \
                     `{EXTENSION}` or `--pagination`",
                    kinds.iter().map(kind_name).collect::<Vec<_>>().join(" and ")
                ),
            );
            return None;
        }
    };
    match items_of(builder, body) {
        Ok((items, item_type)) => Some(Pagination { kind, items, item_type, source: Source::Shape }),
        // A `Link` header on a response that holds no list (GitHub documents it on a few) does
        // not make it a listing; the header stays readable.
        Err(_) if matches!(kind, PageKind::LinkHeader) && page.is_none() && offset.is_none() => None,
        Err(reason) => {
            builder.warn(
                at,
                format!(
                    "not walked as pages although it has {} paging: {reason}; declare its paging with `{EXTENSION}` \
                     (`outputs.results`) or `--pagination`",
                    kind_name(&kind)
                ),
            );
            None
        }
    }
}

fn kind_name(kind: &PageKind) -> &'static str {
    match kind {
        PageKind::PageNumber { .. } => "page number",
        PageKind::Offset { .. } => "offset",
        PageKind::Cursor { .. } => "cursor",
        PageKind::NextUrl { .. } => "next URL",
        PageKind::LinkHeader => "`Link` header",
    }
}

/// A `$.a.b` path of the response body, as field names.
fn body_path(
    builder: &Builder<'_>,
    body: &TypeRef,
    path: &str,
    accepts: fn(&TypeRef) -> bool,
) -> Result<Vec<String>, String> {
    let Some(rest) = path.strip_prefix('$') else { return Err(format!("{path:?} is not a `$.field` path")) };
    let mut ty = body;
    let mut names = Vec::new();
    for wire in rest.split('.').filter(|part| !part.is_empty()) {
        let found = fields(builder, ty).into_iter().find(|(_, field_wire, _)| *field_wire == wire);
        let Some((name, _, field_ty)) = found else {
            return Err(format!("the response has no field `{wire}` (in {path:?})"));
        };
        names.push(name.to_owned());
        ty = field_ty;
    }
    if accepts(bare(builder, ty)) { Ok(names) } else { Err(format!("{path:?} is not of the type it needs to be")) }
}

/// A paging declaration: Speakeasy's object, `{type: offsetLimit | cursor | url, inputs:
/// [{name, in: parameters, type: page | offset | limit | cursor}], outputs: {results, numPages,
/// nextCursor, nextUrl}}`.
fn from_declaration(
    builder: &Builder<'_>,
    operation: &Operation,
    body: &TypeRef,
    declaration: &Value,
    source: Source,
) -> Result<Pagination, String> {
    let kind_text = declaration.get("type").and_then(Value::as_str).ok_or("it has no `type`")?;
    let inputs = declaration.get("inputs").and_then(Value::as_array).cloned().unwrap_or_default();
    let outputs = declaration.get("outputs").cloned().unwrap_or(Value::Null);
    let input = |role: &str, accepts: fn(&TypeRef) -> bool| -> Result<Option<String>, String> {
        let Some(input) = inputs.iter().find(|input| input.get("type").and_then(Value::as_str) == Some(role)) else {
            return Ok(None);
        };
        let name = input.get("name").and_then(Value::as_str).ok_or(format!("the `{role}` input has no `name`"))?;
        query_param(operation, &[name], accepts)
            .map(|field| Some(field.to_owned()))
            .ok_or(format!("the `{role}` input names `{name}`, which is not a query parameter of the right type"))
    };
    let output = |name: &str, accepts: fn(&TypeRef) -> bool| -> Result<Option<Vec<String>>, String> {
        match outputs.get(name).and_then(Value::as_str) {
            Some(path) => body_path(builder, body, path, accepts).map(Some),
            None => Ok(None),
        }
    };
    let kind = match kind_text {
        "offsetLimit" => match (input("page", is_integer)?, input("offset", is_integer)?) {
            (Some(param), _) => PageKind::PageNumber { param, total_pages: output("numPages", is_integer)? },
            (None, Some(param)) => PageKind::Offset { param, limit: input("limit", is_integer)? },
            (None, None) => return Err("an `offsetLimit` paging needs a `page` or an `offset` input".to_owned()),
        },
        "cursor" => PageKind::Cursor {
            param: input("cursor", is_string)?.ok_or("a `cursor` paging needs a `cursor` input")?,
            next: output("nextCursor", is_string)?.ok_or("a `cursor` paging needs `outputs.nextCursor`")?,
        },
        "url" => {
            PageKind::NextUrl { next: output("nextUrl", is_string)?.ok_or("a `url` paging needs `outputs.nextUrl`")? }
        }
        // Not Speakeasy's: for an API that pages by the `Link` header alone.
        "link" => PageKind::LinkHeader,
        other => return Err(format!("its `type` {other:?} is not offsetLimit, cursor, url or link")),
    };
    let (items, item_type) = match outputs.get("results").and_then(Value::as_str) {
        Some(path) => {
            let items = body_path(builder, body, path, |ty| matches!(ty, TypeRef::Vec(_)))?;
            let item_type = item_type_at(builder, body, &items).ok_or("`outputs.results` is not a list")?;
            (items, item_type)
        }
        None => items_of(builder, body)?,
    };
    Ok(Pagination { kind, items, item_type, source })
}

/// The item type of the list at `path` in `body`.
fn item_type_at(builder: &Builder<'_>, body: &TypeRef, path: &[String]) -> Option<TypeRef> {
    let mut ty = body.clone();
    for name in path {
        let (_, _, field_ty) = fields(builder, &ty).into_iter().find(|(field, ..)| field == name)?;
        ty = field_ty.clone();
    }
    match bare(builder, &ty) {
        TypeRef::Vec(item) => Some((**item).clone()),
        _ => None,
    }
}

/// The keys of a paging declaration, of its inputs, and of its outputs, and the values its
/// `type`s take: everything else is a mistake, said with the nearest known word.
const DECLARATION_KEYS: &[&str] = &["type", "inputs", "outputs"];
const KINDS: &[&str] = &["offsetLimit", "cursor", "url", "link"];
const INPUT_KEYS: &[&str] = &["name", "in", "type"];
const INPUT_ROLES: &[&str] = &["page", "offset", "limit", "cursor"];
const OUTPUT_KEYS: &[&str] = &["results", "numPages", "nextCursor", "nextUrl"];

/// Checks every key and word of a paging declaration given to the generator (in the settings or
/// a `--pagination` file), so that a typo (`num_pages`, `type = "limt"`) is an error that names
/// it rather than a paging that quietly does something else. The error names the key from the
/// declaration's own top (`outputs.num_pages`).
pub fn check_declaration(declaration: &Value) -> Result<(), String> {
    let Value::Object(top) = declaration else { return Err("it must be a table".to_owned()) };
    check_words(top.keys().map(String::as_str), DECLARATION_KEYS, "")?;
    match top.get("type") {
        Some(Value::String(kind)) => check_words(std::iter::once(kind.as_str()), KINDS, "type = ")?,
        Some(_) => return Err("`type` must be a string".to_owned()),
        None => return Err(format!("it has no `type` (one of {})", KINDS.join(", "))),
    }
    if let Some(inputs) = top.get("inputs") {
        let Value::Array(inputs) = inputs else { return Err("`inputs` must be a list of tables".to_owned()) };
        for (index, input) in inputs.iter().enumerate() {
            let Value::Object(input) = input else { return Err(format!("`inputs[{index}]` must be a table")) };
            check_words(input.keys().map(String::as_str), INPUT_KEYS, &format!("inputs[{index}]."))?;
            if let Some(role) = input.get("type") {
                let role = role.as_str().ok_or(format!("`inputs[{index}].type` must be a string"))?;
                check_words(std::iter::once(role), INPUT_ROLES, &format!("inputs[{index}].type = "))?;
            }
        }
    }
    if let Some(outputs) = top.get("outputs") {
        let Value::Object(outputs) = outputs else { return Err("`outputs` must be a table".to_owned()) };
        check_words(outputs.keys().map(String::as_str), OUTPUT_KEYS, "outputs.")?;
    }
    Ok(())
}

/// An error for the first of `given` that is not one of `known`, with the nearest known one.
fn check_words<'g>(given: impl Iterator<Item = &'g str>, known: &[&str], prefix: &str) -> Result<(), String> {
    for word in given {
        if known.contains(&word) {
            continue;
        }
        let hint = crate::diagnostics::nearest(word, known.iter().copied())
            .map(|near| format!("; did you mean `{prefix}{near}`?"))
            .unwrap_or_else(|| format!("; it is one of {}", known.join(", ")));
        return Err(format!("unknown `{prefix}{word}`{hint}"));
    }
    Ok(())
}

/// The user's declarations, by `operationId`.
pub type Declarations = BTreeMap<String, Value>;

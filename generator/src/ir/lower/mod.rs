//! Lowering: the loaded document, read through its views, to the [`Api`]: every type and
//! operation, with its Rust name decided.
//!
//! Component schemas are named first, in document order, so that they keep their own names;
//! inline schemas that need a type of their own are named from their place (`{Parent}{Property}`)
//! as they are met. Types are stored by name, so output order never depends on hash order.

pub(crate) mod examples;
pub(crate) mod hierarchy;
pub(crate) mod oauth;
pub(crate) mod operations;
pub mod pagination;
pub(crate) mod schemas;
pub(crate) mod security;
mod type_table;
pub(crate) mod webhooks;

use std::collections::{BTreeMap, HashMap};

use serde_json::Value;

use crate::diagnostics::{Error, Pointer, Warning};
use crate::ir::naming::Namespace;
use crate::ir::passes::{recursion, select};
use crate::ir::{Api, BuildOptions, HeaderName, Operation, ParamLocation, Server, Tag, formats, non_empty};
use crate::load::Document;

/// What lowering gives: the `Api`, the warnings about it, and the places of the description a
/// selection left out (what is said about them is not about the client).
pub(crate) struct Lowered {
    pub api: Api,
    pub warnings: Vec<Warning>,
    pub left_out_places: Vec<String>,
}

/// Lowers `doc` as `options` say.
pub(crate) fn lower(doc: &Document, options: &BuildOptions) -> Result<Lowered, Error> {
    let with_examples = options.examples;
    let mut builder = Builder::new(doc, options.formats.clone());
    builder.pagination = options.pagination.clone();
    builder.pagination_origins = options.pagination_origins.clone();
    builder.declare_component_schemas();
    builder.read_hierarchies();
    builder.define_component_schemas()?;
    // Before anything walks through aliases (paging, renames, derives): every walk then ends.
    builder.break_alias_cycles();
    let mut security_schemes = security::schemes(&mut builder);
    let (default_server, mut operations) = operations::build_all(&mut builder, &security_schemes)?;
    check_declared_operations(&builder, &operations)?;
    let selecting = !options.select.is_empty();
    // The places of the description a selection leaves out: what was said about them (the
    // operations, and the tags no kept operation has) is not about the client.
    let mut left_out_places: Vec<String> = Vec::new();
    if selecting {
        options.select.check(&operations)?;
        let (kept, left_out): (Vec<Operation>, Vec<Operation>) =
            operations.into_iter().partition(|op| options.select.keeps(op));
        operations = kept;
        left_out_places.extend(left_out.iter().map(|op| op.pointer.to_string()));
        let unused_tags = builder
            .view()
            .tags()
            .into_iter()
            .filter(|(_, name, _)| !operations.iter().any(|op| op.tags.iter().any(|tag| tag == name)));
        left_out_places.extend(unused_tags.map(|(tag, ..)| tag.at().to_string()));
    }
    builder.warnings.retain(|warning| !left_out_places.iter().any(|place| warning.pointer.is_within(place)));
    let servers: Vec<Server> = std::iter::once(&default_server).chain(&builder.extra_servers).cloned().collect();
    let oauth = oauth::flow(&mut builder, &servers, &operations);
    let device_flow = oauth::device_flow(&mut builder, &servers);
    oauth::metadata(&mut builder, &servers, &mut security_schemes, &operations);
    let webhooks = webhooks::webhooks(&mut builder);
    let rate_limit_reset_header = rate_limit_reset_header(&builder);
    let idempotency_header = idempotency_header(&operations);
    let examples = if with_examples { examples::examples(&mut builder, &operations, &webhooks) } else { Vec::new() };
    let types = std::mem::take(&mut builder.types).finish()?;
    let tags = tags(&builder, &operations);
    let view = builder.view();
    let mut api = Api {
        title: view.info("title").unwrap_or_default().to_owned(),
        version: view.info("version").unwrap_or_default().to_owned(),
        description: view.info("description").map(str::to_owned),
        default_server,
        extra_servers: builder.extra_servers.clone(),
        security_schemes,
        response_headers: builder.response_headers.clone().into_values().collect(),
        types,
        operations,
        oauth,
        device_flow,
        webhooks,
        rate_limit_reset_header,
        idempotency_header,
        examples,
        tags,
        merged_types: Vec::new(),
    };
    if selecting {
        select::prune(&mut api)?;
    }
    api.sort_types();
    Ok(Lowered { api, warnings: builder.warnings, left_out_places })
}

/// Every operation a paging declaration names is one of the description's (before any selection,
/// which may leave it out): a name that is none is an error with the nearest operationId, as a
/// selection that matches nothing is.
fn check_declared_operations(builder: &Builder<'_>, operations: &[Operation]) -> Result<(), Error> {
    let declared = &builder.pagination;
    let Some(id) = declared.keys().find(|id| !operations.iter().any(|op| &op.operation_id == *id)) else {
        return Ok(());
    };
    let ids = operations.iter().map(|op| op.operation_id.as_str());
    let hint = crate::diagnostics::nearest(id, ids).map(|near| format!("; did you mean `{near}`?")).unwrap_or_default();
    let origin = pagination::declared_in(builder, id);
    Err(Error::general(format!(
        "the paging declared for `{id}` in {origin} names no operationId of the description{hint}"
    )))
}

/// The declared tags, then those operations use without declaring them.
fn tags(builder: &Builder<'_>, operations: &[Operation]) -> Vec<Tag> {
    let mut tags: Vec<Tag> = builder
        .view()
        .tags()
        .into_iter()
        .map(|(tag, name, description)| Tag {
            name: name.to_owned(),
            description: non_empty(description),
            summary: non_empty(tag.str("summary")),
            parent: tag.str("parent").map(str::to_owned),
        })
        .collect();
    for name in operations.iter().flat_map(|op| &op.tags) {
        if !tags.iter().any(|tag| &tag.name == name) {
            tags.push(Tag { name: name.clone(), description: None, summary: None, parent: None });
        }
    }
    tags
}

/// The documented response header that tells when a rate limit resets (`X-RateLimit-Reset`,
/// `RateLimit-Reset`), for the retry policy to wait for.
fn rate_limit_reset_header(builder: &Builder<'_>) -> Option<String> {
    builder
        .response_headers
        .iter()
        .find(|(lower, _)| lower.replace(['-', '_'], "").ends_with("ratelimitreset"))
        .map(|(_, header)| header.wire_name.clone())
}

/// The header parameter that carries idempotency keys (`Idempotency-Key`, as Stripe and the
/// IETF draft name it, or `X-Idempotency-Key`), as the first operation that has one spells it.
fn idempotency_header(operations: &[Operation]) -> Option<String> {
    operations
        .iter()
        .flat_map(|op| op.params.iter().flat_map(|params| &params.params))
        .filter(|param| param.location == ParamLocation::Header)
        .find(|param| {
            let lower = param.wire_name.to_ascii_lowercase();
            lower == "idempotency-key" || lower == "x-idempotency-key"
        })
        .map(|param| param.wire_name.clone())
}

/// The state of one IR build.
pub(crate) struct Builder<'a> {
    pub doc: &'a Document,
    /// Every named type, by id.
    pub types: type_table::TypeTable,
    /// Schema pointer → the type made for it.
    pub named_schemas: HashMap<String, crate::ir::TypeId>,
    /// Type names (models and parameter structs share one namespace).
    pub type_names: Namespace,
    pub warnings: Vec<Warning>,
    pub extra_servers: Vec<Server>,
    /// Response headers by lower-case name.
    pub response_headers: BTreeMap<String, HeaderName>,
    /// The `allOf` members whose map values are being typed, to stop at one that contains itself.
    pub borrowed_maps: Vec<Pointer>,
    /// How formats map to types.
    pub formats: formats::FormatOptions,
    /// The user's paging declarations.
    pub pagination: pagination::Declarations,
    /// Where each of them was given.
    pub pagination_origins: BTreeMap<String, String>,
    /// The `allOf` inheritance among the component schemas.
    pub hierarchies: hierarchy::Hierarchies,
}

impl<'a> Builder<'a> {
    fn new(doc: &'a Document, formats: formats::FormatOptions) -> Self {
        Builder {
            doc,
            types: type_table::TypeTable::default(),
            named_schemas: HashMap::new(),
            type_names: Namespace::default(),
            warnings: Vec::new(),
            extra_servers: Vec::new(),
            response_headers: BTreeMap::new(),
            borrowed_maps: Vec::new(),
            formats,
            pagination: pagination::Declarations::new(),
            pagination_origins: BTreeMap::new(),
            hierarchies: hierarchy::Hierarchies::default(),
        }
    }

    /// Breaks the cycles made only of aliases among the types defined so far (see
    /// [`recursion::break_alias_cycles`]).
    fn break_alias_cycles(&mut self) {
        recursion::break_alias_cycles(self.types.defs_mut(), &mut self.warnings);
    }

    pub fn warn(&mut self, pointer: &Pointer, message: impl Into<String>) {
        self.warnings.push(Warning { pointer: pointer.clone(), message: message.into() });
    }

    /// The document, read through views.
    pub fn view(&self) -> crate::view::Document<'a> {
        crate::view::Document::new(&self.doc.raw)
    }

    /// The raw JSON at `pointer`, if there is any.
    pub fn raw_at(&self, pointer: &Pointer) -> Option<&'a Value> {
        pointer.lookup(&self.doc.raw)
    }
}

//! Typed views of the loaded document: the one model the IR reads.
//!
//! A view is a place in the document's JSON tree, [`Node`], with the pointer of where it is, and
//! accessors named after the OpenAPI object it is (a security scheme, an OAuth flow). Nothing is
//! copied or deserialized again: a view borrows the tree, so a value read through it and the
//! place an error names cannot drift apart. Views read OpenAPI 3.0 shapes (3.1 and 3.2
//! documents are normalized to them, Swagger 2.0 converted, when they are loaded) and 3.2's own
//! fields (`itemSchema`, `components.mediaTypes`, `query`, `additionalOperations`); a field a view
//! does not read yet is still in its node for the IR to warn about.

mod node;
mod operation;
mod schema;
mod security;

pub use node::{Document, Node, local_target};
pub use operation::{
    Body, ItemOperation, METHODS, Operation, Parameter, PathItem, Server, Status, content, is_success_status,
    item_schema, servers,
};
pub use schema::{Additional, Schema, SchemaKind};
pub use security::{ApiKeyLocation, OAuthFlow, SchemeKind, SecurityRequirement, SecurityScheme};

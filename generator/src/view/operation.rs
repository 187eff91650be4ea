//! Path items, operations, request bodies and responses.

use super::Node;

/// The methods a path item holds an operation for, in the order operations are read. OpenAPI
/// 3.2's `query` and `additionalOperations` are not read yet.
pub const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// A path item: the operations on one path.
#[derive(Debug, Clone)]
pub struct PathItem<'a>(pub Node<'a>);

impl<'a> PathItem<'a> {
    /// Its operations, by method, in [`METHODS`] order.
    pub fn operations(&self) -> Vec<(&'static str, Operation<'a>)> {
        METHODS
            .iter()
            .filter_map(|method| {
                let node = self.0.get(method).filter(|node| node.value().is_object())?;
                Some((*method, Operation(node)))
            })
            .collect()
    }
}

/// An operation.
#[derive(Debug, Clone)]
pub struct Operation<'a>(pub Node<'a>);

impl<'a> Operation<'a> {
    /// `operationId`.
    pub fn operation_id(&self) -> Option<&'a str> {
        self.0.str("operationId")
    }

    /// `summary`, when it is text.
    pub fn summary(&self) -> Option<&'a str> {
        self.0.str("summary")
    }

    /// `description`, when it is text.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `requestBody` (a body, or a `$ref` to one).
    pub fn request_body(&self) -> Option<Node<'a>> {
        self.0.get("requestBody")
    }

    /// The responses by status (`default` left out), in document order: each a response or a
    /// `$ref` to one.
    pub fn responses(&self) -> Vec<(&'a str, Node<'a>)> {
        let Some(responses) = self.0.get("responses") else { return Vec::new() };
        responses.entries().filter(|(code, _)| *code != "default" && !code.starts_with("x-")).collect()
    }
}

/// Whether a response's key is a success status: `2xx` codes and the `2XX` range.
pub fn is_success_status(code: &str) -> bool {
    let bytes = code.as_bytes();
    match bytes {
        [b'2', b'X' | b'x', b'X' | b'x'] => true,
        [b'2', second, third] => second.is_ascii_digit() && third.is_ascii_digit(),
        _ => false,
    }
}

/// The members of a `content` map (a body's or a response's): media type and media type object.
pub fn content<'a>(owner: &Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    owner.get("content").map(|content| content.entries().collect()).unwrap_or_default()
}

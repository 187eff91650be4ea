//! Path items, operations, request bodies and responses.

use super::Node;

/// The fixed fields of a path item that hold an operation, in the order operations are read.
pub use crate::load::OPERATION_FIELDS as METHODS;

/// An operation of a path item, and how it is reached.
#[derive(Debug, Clone)]
pub struct ItemOperation<'a> {
    /// A fixed field's name (`get`, `query`), or the method name an `additionalOperations` entry
    /// is under (`COPY`).
    pub method: &'a str,
    /// Whether it is an entry of `additionalOperations` (3.2).
    pub additional: bool,
    pub operation: Operation<'a>,
}

/// A path item: the operations on one path.
#[derive(Debug, Clone)]
pub struct PathItem<'a>(pub Node<'a>);

impl<'a> PathItem<'a> {
    /// `parameters` (each a parameter, or a `$ref` to one).
    pub fn parameters(&self) -> Vec<Node<'a>> {
        self.0.get("parameters").map(|parameters| parameters.items().collect()).unwrap_or_default()
    }

    /// Its operations: the fixed fields in [`METHODS`] order, then `additionalOperations` in
    /// document order.
    pub fn operations(&self) -> Vec<ItemOperation<'a>> {
        let fixed = METHODS.iter().filter_map(|method| {
            let node = self.0.get(method).filter(|node| node.value().is_object())?;
            Some(ItemOperation { method, additional: false, operation: Operation(node) })
        });
        let additional = self.0.get("additionalOperations").into_iter().flat_map(|more| {
            let entries: Vec<(&'a str, Node<'a>)> = more.entries().collect();
            entries.into_iter().filter(|(_, node)| node.value().is_object()).map(|(method, node)| ItemOperation {
                method,
                additional: true,
                operation: Operation(node),
            })
        });
        fixed.chain(additional).collect()
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

    /// `deprecated`.
    pub fn deprecated(&self) -> bool {
        self.0.bool("deprecated").unwrap_or(false)
    }

    /// `tags`.
    pub fn tags(&self) -> Vec<String> {
        let tags = self.0.value().get("tags").and_then(|tags| tags.as_array());
        tags.into_iter().flatten().filter_map(|tag| tag.as_str()).map(str::to_owned).collect()
    }

    /// `parameters` (each a parameter, or a `$ref` to one).
    pub fn parameters(&self) -> Vec<Node<'a>> {
        self.0.get("parameters").map(|parameters| parameters.items().collect()).unwrap_or_default()
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
    Status::parse(code).is_some_and(Status::is_success)
}

/// The members of a `content` map (a body's or a response's): media type and media type object.
pub fn content<'a>(owner: &Node<'a>) -> Vec<(&'a str, Node<'a>)> {
    owner.get("content").map(|content| content.entries().collect()).unwrap_or_default()
}

/// A response's status key: a code, or a range (`2XX`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Code(u16),
    /// The first digit of a range.
    Range(u16),
}

impl Status {
    /// The status a response key names (`200`, `2XX`, `2xx`); `None` for `default`, extensions
    /// and anything else.
    pub fn parse(key: &str) -> Option<Status> {
        match key.as_bytes() {
            [first @ b'0'..=b'9', b'X' | b'x', b'X' | b'x'] => Some(Status::Range(u16::from(first - b'0'))),
            [_, _, _] => key.parse().ok().map(Status::Code),
            _ => None,
        }
    }

    /// Whether it is a success status.
    pub fn is_success(self) -> bool {
        match self {
            Status::Code(code) => (200..300).contains(&code),
            Status::Range(range) => range == 2,
        }
    }
}

impl std::fmt::Display for Status {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Status::Code(code) => write!(f, "{code}"),
            Status::Range(range) => write!(f, "{range}XX"),
        }
    }
}

/// The schema of each item of a sequential media type (`text/event-stream`, JSON Lines, JSON
/// text sequences): 3.2's `itemSchema`, or in 3.0 and 3.1 the `schema`, which describes one item.
pub fn item_schema<'a>(media: &Node<'a>) -> Option<super::Schema<'a>> {
    media.get("itemSchema").or_else(|| media.get("schema")).map(super::Schema)
}

/// A parameter.
#[derive(Debug, Clone)]
pub struct Parameter<'a>(pub Node<'a>);

impl<'a> Parameter<'a> {
    /// `name`.
    pub fn name(&self) -> &'a str {
        self.0.str("name").unwrap_or_default()
    }

    /// `in`: `query`, `header`, `path` or `cookie`.
    pub fn location(&self) -> &'a str {
        self.0.str("in").unwrap_or_default()
    }

    /// `style`.
    pub fn style(&self) -> Option<&'a str> {
        self.0.str("style")
    }

    /// `explode`.
    pub fn explode(&self) -> Option<bool> {
        self.0.bool("explode")
    }

    /// `required`.
    pub fn required(&self) -> bool {
        self.0.bool("required").unwrap_or(false)
    }

    /// `deprecated`.
    pub fn deprecated(&self) -> bool {
        self.0.bool("deprecated").unwrap_or(false)
    }

    /// `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `schema`.
    pub fn schema(&self) -> Option<super::Schema<'a>> {
        self.0.get("schema").map(super::Schema)
    }
}

/// A request body or a response: what both have.
#[derive(Debug, Clone)]
pub struct Body<'a>(pub Node<'a>);

impl<'a> Body<'a> {
    /// `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `required` (of a request body).
    pub fn required(&self) -> bool {
        self.0.bool("required").unwrap_or(false)
    }

    /// The `content` map: media type, and the media type object.
    pub fn content(&self) -> Vec<(&'a str, Node<'a>)> {
        content(&self.0)
    }

    /// The `headers` map (of a response): name, and the header or a `$ref` to one.
    pub fn headers(&self) -> Vec<(&'a str, Node<'a>)> {
        self.0.get("headers").map(|headers| headers.entries().collect()).unwrap_or_default()
    }
}

/// A server.
#[derive(Debug, Clone)]
pub struct Server<'a>(pub Node<'a>);

impl<'a> Server<'a> {
    /// The URL with every `{variable}` replaced by its default, without a trailing slash.
    pub fn url(&self) -> String {
        let mut url = self.0.str("url").unwrap_or_default().to_owned();
        if let Some(variables) = self.0.get("variables") {
            for (name, variable) in variables.entries() {
                url = url.replace(&format!("{{{name}}}"), variable.str("default").unwrap_or_default());
            }
        }
        url.trim_end_matches('/').to_owned()
    }

    /// `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `name` (OpenAPI 3.2): a name for the server.
    pub fn name(&self) -> Option<&'a str> {
        self.0.str("name")
    }
}

/// The servers of an owner (the document, a path item, an operation), in order.
pub fn servers<'a>(owner: &Node<'a>) -> Vec<Server<'a>> {
    owner.get("servers").map(|servers| servers.items().map(Server).collect()).unwrap_or_default()
}

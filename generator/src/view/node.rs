//! [`Node`]: a JSON value of the document with its pointer; [`Document`]: the root, and local
//! `$ref`s followed to what they point at.

use serde_json::Value;

use crate::diagnostics::{Error, Pointer};

/// How many `$ref`s may be followed in a chain before it counts as a cycle.
const MAX_REF_CHAIN: usize = 32;

/// A value of the document and where it is.
#[derive(Debug, Clone)]
pub struct Node<'a> {
    value: &'a Value,
    at: Pointer,
}

impl<'a> Node<'a> {
    /// The node of `value`, which is at `at`.
    pub fn new(value: &'a Value, at: Pointer) -> Self {
        Node { value, at }
    }

    /// The JSON value.
    pub fn value(&self) -> &'a Value {
        self.value
    }

    /// Where it is.
    pub fn at(&self) -> &Pointer {
        &self.at
    }

    /// The member `key` of an object (`null` counts as absent, as for every optional field).
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.value.get(key).filter(|value| !value.is_null()).map(|value| Node { value, at: self.at.push(key) })
    }

    /// The member `key`, when it is a string.
    pub fn str(&self, key: &str) -> Option<&'a str> {
        self.value.get(key).and_then(Value::as_str)
    }

    /// The member `key`, when it is a boolean.
    pub fn bool(&self, key: &str) -> Option<bool> {
        self.value.get(key).and_then(Value::as_bool)
    }

    /// The members of an object, in document order (none for anything else).
    pub fn entries(&self) -> impl Iterator<Item = (&'a str, Node<'a>)> + '_ {
        self.value
            .as_object()
            .into_iter()
            .flatten()
            .map(|(key, value)| (key.as_str(), Node { value, at: self.at.push(key) }))
    }

    /// The items of an array, in order (none for anything else).
    pub fn items(&self) -> impl Iterator<Item = Node<'a>> + '_ {
        self.value
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(index, value)| Node { value, at: self.at.push(index.to_string()) })
    }

    /// The `$ref` it is, if it is one.
    pub fn reference(&self) -> Option<&'a str> {
        self.str("$ref")
    }
}

/// The loaded document, read through views.
#[derive(Debug, Clone, Copy)]
pub struct Document<'a> {
    root: &'a Value,
}

impl<'a> Document<'a> {
    /// The views of the document whose (normalized) tree is `root`.
    pub fn new(root: &'a Value) -> Self {
        Document { root }
    }

    /// The node at `at`, if there is one.
    pub fn at(&self, at: &Pointer) -> Option<Node<'a>> {
        at.lookup(self.root).map(|value| Node::new(value, at.clone()))
    }

    /// The member `key` of the document's root.
    pub fn get(&self, key: &str) -> Option<Node<'a>> {
        self.at(&Pointer::root().push(key))
    }

    /// The entries of `components.{kind}`, in document order.
    pub fn components(&self, kind: &str) -> Vec<(&'a str, Node<'a>)> {
        let Some(components) = self.get("components").and_then(|components| components.get(kind)) else {
            return Vec::new();
        };
        components.entries().collect()
    }

    /// `info.{key}`, when it is text (`title`, `version`, `description`).
    pub fn info(&self, key: &str) -> Option<&'a str> {
        self.get("info")?.str(key)
    }

    /// The document's `tags`, in order: each its node (for its place and 3.2's `parent`), name
    /// and description.
    pub fn tags(&self) -> Vec<(Node<'a>, &'a str, Option<&'a str>)> {
        let Some(tags) = self.get("tags") else { return Vec::new() };
        tags.items()
            .filter_map(|tag| {
                let name = tag.str("name")?;
                let description = tag.str("description");
                Some((tag, name, description))
            })
            .collect()
    }

    /// The `content` map of `owner` (a body, a response, a parameter): media type, and the
    /// media type object, a `$ref` to one (`components.mediaTypes`, OpenAPI 3.2) followed.
    pub fn content(&self, owner: &Node<'a>) -> Result<Vec<(&'a str, Node<'a>)>, Error> {
        let entries = super::content(owner);
        entries.into_iter().map(|(media_type, media)| Ok((media_type, self.resolve(media)?))).collect()
    }

    /// `node`, or what its chain of local `$ref`s ends at.
    pub fn resolve(&self, node: Node<'a>) -> Result<Node<'a>, Error> {
        let Some(mut reference) = node.reference() else { return Ok(node) };
        let mut from = node.at;
        for _ in 0..MAX_REF_CHAIN {
            let target = local_target(reference, &from)?;
            let found = self.at(&target).ok_or_else(|| {
                Error::at(&from, format!("$ref {reference:?} does not resolve: nothing is at {target}"))
            })?;
            match found.reference() {
                Some(next) => {
                    reference = next;
                    from = target;
                }
                None => return Ok(found),
            }
        }
        Err(Error::at(&from, format!("$ref chain through {reference:?} does not end (a cycle?)")))
    }
}

/// The pointer a local `$ref` names; external references are an error here (loading inlines
/// the ones it can read).
pub fn local_target(reference: &str, at: &Pointer) -> Result<Pointer, Error> {
    match reference.strip_prefix('#') {
        Some(fragment) if fragment.is_empty() || fragment.starts_with('/') => {
            Ok(Pointer::from_fragment(&format!("#{}", percent_decode(fragment))))
        }
        _ => Err(Error::at(
            at,
            format!("external $ref {reference:?} is not supported here; only local `#/...` references are"),
        )),
    }
}

/// JSON pointers inside URI fragments may percent-encode characters (`%7B` for `{`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn nodes_carry_their_pointers_and_references_are_followed() {
        let root = json!({
            "components": {
                "schemas": {
                    "a/b": { "$ref": "#/components/schemas/C" },
                    "C": { "items": [1, 2] },
                    "Loop": { "$ref": "#/components/schemas/Loop" },
                }
            }
        });
        let doc = Document::new(&root);
        let schemas = doc.components("schemas");
        assert_eq!(schemas[0].1.at().as_str(), "#/components/schemas/a~1b");
        let resolved = doc.resolve(schemas[0].1.clone()).unwrap();
        assert_eq!(resolved.at().as_str(), "#/components/schemas/C");
        let items: Vec<String> = resolved.get("items").unwrap().items().map(|n| n.at().to_string()).collect();
        assert_eq!(items, ["#/components/schemas/C/items/0", "#/components/schemas/C/items/1"]);
        let err = doc.resolve(schemas[2].1.clone()).unwrap_err();
        assert!(err.message.contains("does not end"), "{}", err.message);
    }
}

//! Schema objects: what kind of schema one is, and its keywords, each a view with its place.
//!
//! [`Schema::kind`] classifies a schema as the IR has always read it (the classification of the
//! `openapiv3` model it replaces, kept so that the output does not change): a schema is of its
//! `type` only when it has no keyword of another type (`minimum` beside `type: string` makes it
//! a schema of any kind), and a `oneOf`, `allOf`, `anyOf` or `not` is that composition only
//! when it stands alone. A keyword whose value is `null` counts as absent.

use serde_json::Value;

use super::Node;
use crate::diagnostics::Pointer;

/// A schema, or a `$ref` to one.
#[derive(Debug, Clone)]
pub struct Schema<'a>(pub Node<'a>);

/// What kind of schema one is (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SchemaKind {
    String,
    Number,
    Integer,
    Boolean,
    Object,
    Array,
    OneOf,
    AllOf,
    AnyOf,
    Not,
    /// A type with keywords of another, no type, or keywords together that no single kind has.
    Any,
}

/// `additionalProperties`.
#[derive(Debug, Clone)]
pub enum Additional<'a> {
    /// `true` or `false`.
    Allowed(bool),
    /// A schema for the values.
    Schema(Schema<'a>),
}

/// The keywords that decide a schema's kind.
const KIND_KEYWORDS: &[&str] = &[
    "type",
    "pattern",
    "multipleOf",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minimum",
    "maximum",
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "enum",
    "format",
    "minLength",
    "maxLength",
    "oneOf",
    "allOf",
    "anyOf",
    "not",
];

/// The keywords each `type` may have beside it and stay of that type.
fn keywords_of(typ: &str) -> Option<&'static [&'static str]> {
    const NUMERIC: &[&str] =
        &["type", "multipleOf", "exclusiveMinimum", "exclusiveMaximum", "minimum", "maximum", "enum", "format"];
    Some(match typ {
        "string" => &["type", "pattern", "enum", "format", "minLength", "maxLength"],
        "number" | "integer" => NUMERIC,
        "boolean" => &["type", "enum"],
        "object" => &["type", "properties", "required", "additionalProperties", "minProperties", "maxProperties"],
        "array" => &["type", "items", "minItems", "maxItems", "uniqueItems"],
        _ => return None,
    })
}

impl<'a> Schema<'a> {
    /// Where it is.
    pub fn at(&self) -> &Pointer {
        self.0.at()
    }

    /// The `$ref` it is, if it is one (its other keywords are not read).
    pub fn reference(&self) -> Option<&'a str> {
        self.0.reference()
    }

    /// What kind of schema it is.
    pub fn kind(&self) -> SchemaKind {
        // The schema's own keys, a few, each checked against the list: not a lookup of each of
        // the 24 keywords in the map (a SipHash each; `kind` is asked for again and again).
        let present: Vec<&str> = match self.0.value().as_object() {
            Some(map) => map
                .iter()
                .filter(|(key, value)| !value.is_null() && KIND_KEYWORDS.contains(&key.as_str()))
                .map(|(key, _)| key.as_str())
                .collect(),
            None => Vec::new(),
        };
        if let Some(typ) = self.typ() {
            let fits = keywords_of(typ).is_some_and(|allowed| present.iter().all(|keyword| allowed.contains(keyword)));
            let enum_fits = |check: fn(&Value) -> bool| {
                self.enum_values().is_none_or(|values| values.iter().all(|value| value.is_null() || check(value)))
            };
            let int_or_absent =
                |keyword: &str| self.0.value().get(keyword).is_none_or(|value| value.is_null() || value.is_i64());
            return match typ {
                "string" if fits && enum_fits(Value::is_string) => SchemaKind::String,
                "number" if fits && enum_fits(Value::is_number) => SchemaKind::Number,
                "integer"
                    if fits
                        && enum_fits(Value::is_i64)
                        && ["multipleOf", "minimum", "maximum"].iter().all(|keyword| int_or_absent(keyword)) =>
                {
                    SchemaKind::Integer
                }
                "boolean" if fits && enum_fits(Value::is_boolean) => SchemaKind::Boolean,
                "object" if fits => SchemaKind::Object,
                "array" if fits => SchemaKind::Array,
                _ => SchemaKind::Any,
            };
        }
        match present.as_slice() {
            ["oneOf"] => SchemaKind::OneOf,
            ["allOf"] => SchemaKind::AllOf,
            ["anyOf"] => SchemaKind::AnyOf,
            ["not"] => SchemaKind::Not,
            _ => SchemaKind::Any,
        }
    }

    /// Whether it only annotates (`description`, `title`, `example`, `nullable`, ...) and
    /// constrains nothing: no keyword of a kind, or only empty ones (`properties: {}`).
    pub fn is_annotation_only(&self) -> bool {
        self.reference().is_none()
            && self.kind() == SchemaKind::Any
            && KIND_KEYWORDS.iter().all(|keyword| match self.0.value().get(*keyword) {
                None | Some(Value::Null) => true,
                Some(Value::Object(map)) => map.is_empty() && matches!(*keyword, "properties"),
                Some(Value::Array(items)) => {
                    items.is_empty() && matches!(*keyword, "required" | "enum" | "oneOf" | "allOf" | "anyOf")
                }
                Some(_) => false,
            })
    }

    /// `type`, when it is one name.
    pub fn typ(&self) -> Option<&'a str> {
        self.0.str("type")
    }

    /// `format`.
    pub fn format(&self) -> Option<&'a str> {
        self.0.str("format")
    }

    /// `enum`.
    pub fn enum_values(&self) -> Option<&'a Vec<Value>> {
        self.0.value().get("enum").and_then(Value::as_array)
    }

    /// The string values of `enum`, `null` left out.
    pub fn string_values(&self) -> Vec<String> {
        self.enum_values().into_iter().flatten().filter_map(Value::as_str).map(str::to_owned).collect()
    }

    /// `nullable` (3.0; 3.1's `null` type is brought to it when the document is loaded).
    pub fn nullable(&self) -> bool {
        self.0.bool("nullable").unwrap_or(false)
    }

    /// `readOnly`.
    pub fn read_only(&self) -> bool {
        self.0.bool("readOnly").unwrap_or(false)
    }

    /// `writeOnly`.
    pub fn write_only(&self) -> bool {
        self.0.bool("writeOnly").unwrap_or(false)
    }

    /// `deprecated`.
    pub fn deprecated(&self) -> bool {
        self.0.bool("deprecated").unwrap_or(false)
    }

    /// `title`.
    pub fn title(&self) -> Option<&'a str> {
        self.0.str("title")
    }

    /// `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `default`.
    pub fn default(&self) -> Option<&'a Value> {
        self.0.value().get("default").filter(|value| !value.is_null())
    }

    /// `discriminator.propertyName`, when it has a `discriminator`.
    pub fn discriminator_property(&self) -> Option<&'a str> {
        self.0.value().get("discriminator")?.get("propertyName")?.as_str()
    }

    /// `discriminator.mapping`, in document order.
    pub fn discriminator_mapping(&self) -> Vec<(&'a str, &'a str)> {
        let mapping = self.0.value().get("discriminator").and_then(|d| d.get("mapping")).and_then(Value::as_object);
        mapping.into_iter().flatten().filter_map(|(value, target)| Some((value.as_str(), target.as_str()?))).collect()
    }

    /// `discriminator.defaultMapping` (OpenAPI 3.2): the schema of a value whose discriminating
    /// value is missing or not in the mapping.
    pub fn discriminator_default(&self) -> Option<&'a str> {
        self.0.value().get("discriminator")?.get("defaultMapping")?.as_str()
    }

    /// `properties`, in document order.
    pub fn properties(&self) -> Vec<(&'a str, Schema<'a>)> {
        let Some(properties) = self.0.get("properties") else { return Vec::new() };
        properties.entries().map(|(name, node)| (name, Schema(node))).collect()
    }

    /// `required`.
    pub fn required(&self) -> Vec<&'a str> {
        let required = self.0.value().get("required").and_then(Value::as_array);
        required.into_iter().flatten().filter_map(Value::as_str).collect()
    }

    /// `additionalProperties`.
    pub fn additional_properties(&self) -> Option<Additional<'a>> {
        let node = self.0.get("additionalProperties")?;
        match node.value() {
            Value::Bool(allowed) => Some(Additional::Allowed(*allowed)),
            Value::Null => None,
            _ => Some(Additional::Schema(Schema(node))),
        }
    }

    /// `items`.
    pub fn items(&self) -> Option<Schema<'a>> {
        self.0.get("items").filter(|node| !node.value().is_null()).map(Schema)
    }

    /// The members of `keyword` (`oneOf`, `allOf`, `anyOf`).
    pub fn members(&self, keyword: &str) -> Vec<Schema<'a>> {
        let Some(members) = self.0.get(keyword) else { return Vec::new() };
        members.items().map(Schema).collect()
    }

    /// The member `keyword` of the schema object, for reading a keyword the view has no
    /// accessor for (an extension).
    pub fn raw(&self, keyword: &str) -> Option<&'a Value> {
        self.0.value().get(keyword)
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn kind(value: Value) -> SchemaKind {
        Schema(Node::new(&value, Pointer::root())).kind()
    }

    #[test]
    fn a_schema_is_of_its_type_only_without_keywords_of_another() {
        assert_eq!(kind(json!({"type": "string", "enum": ["a", null], "maxLength": 3})), SchemaKind::String);
        assert_eq!(kind(json!({"type": "string", "minimum": 1})), SchemaKind::Any);
        assert_eq!(kind(json!({"type": "string", "enum": [1]})), SchemaKind::Any);
        assert_eq!(kind(json!({"type": "integer", "maximum": 2.5})), SchemaKind::Any);
        assert_eq!(kind(json!({"type": "integer", "maximum": 2, "pattern": null})), SchemaKind::Integer);
        assert_eq!(kind(json!({"type": "object", "properties": {}, "oneOf": []})), SchemaKind::Any);
        assert_eq!(kind(json!({"oneOf": [], "description": "x"})), SchemaKind::OneOf);
        assert_eq!(kind(json!({"oneOf": [], "allOf": []})), SchemaKind::Any);
        assert_eq!(kind(json!({"type": "file"})), SchemaKind::Any);
    }

    #[test]
    fn a_schema_of_annotations_only_constrains_nothing() {
        let annotation = |value: Value| Schema(Node::new(&value, Pointer::root())).is_annotation_only();
        assert!(annotation(json!({"description": "d", "nullable": true, "properties": {}})));
        assert!(!annotation(json!({"description": "d", "minLength": 1})));
        assert!(!annotation(json!({"oneOf": []})));
        assert!(!annotation(json!({"$ref": "#/x"})));
    }
}

//! Schemas to types: which schemas get a named type, how objects, enums, unions, `allOf`
//! compositions, arrays, maps and primitives map to Rust.

use indexmap::IndexMap;
use serde_json::Value;

use crate::diagnostics::{Error, Pointer};
use crate::ir::formats;
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    Builder, EnumVariant, Field, StringEnum, Struct, TypeKind, TypeRef, UNDECLARED_PROPERTIES_FIELD, Union,
    UnionVariant, non_empty,
};
use crate::view::{self, Additional, Node, Schema, SchemaKind};

use super::type_table::TypeTable;

/// A schema's Rust type, and whether the schema also allows `null`.
#[derive(Debug, Clone)]
pub struct Typed {
    pub ty: TypeRef,
    pub nullable: bool,
}

impl Typed {
    fn plain(ty: TypeRef) -> Self {
        Typed { ty, nullable: false }
    }

    /// The type with `null` folded in as `Option`.
    pub fn with_null_as_option(self) -> TypeRef {
        if self.nullable { TypeRef::Option(Box::new(self.ty)) } else { self.ty }
    }
}

/// The properties of an object schema, gathered through `allOf`.
#[derive(Default)]
struct ObjectView<'a> {
    /// Property name → its schema.
    properties: IndexMap<String, Schema<'a>>,
    required: Vec<String>,
    /// `additionalProperties`, and the schema it belongs to.
    additional: Option<(Additional<'a>, Pointer)>,
    /// Set when an `allOf` member is not an object, so the merge would not be honest.
    has_non_object_member: bool,
}

/// What a schema becomes.
enum Shape<'a> {
    Struct,
    Enum(Vec<String>),
    /// A `oneOf` or `anyOf` of its members.
    Union(Vec<Schema<'a>>),
    /// `allOf` whose only member that says anything is this one: that member's type.
    Member(Schema<'a>),
    Array(Option<Schema<'a>>),
    /// An object without properties: a map of its `additionalProperties` (any JSON when it has
    /// none), which the pointer is the owner of.
    Map(Option<Additional<'a>>, Pointer),
    Primitive(TypeRef),
    Any(Option<&'static str>),
}

impl<'a> Builder<'a> {
    /// Claims a type name for every component schema before any is built, so that references
    /// between them resolve and component schemas keep their own names.
    pub fn declare_component_schemas(&mut self) {
        for (name, node) in self.view().components("schemas") {
            let rust_name = self.type_names.claim(&naming::type_name(name));
            let id = self.types.declare(rust_name, node.at().clone());
            self.named_schemas.insert(node.at().as_str().to_owned(), id);
        }
    }

    /// Builds the type of every component schema.
    pub fn define_component_schemas(&mut self) -> Result<(), Error> {
        for (_, node) in self.view().components("schemas") {
            let schema = Schema(node);
            let at = schema.at().clone();
            let id = self.named_schemas[at.as_str()];
            if schema.reference().is_none() {
                self.define(id, &schema)?;
                continue;
            }
            let rust_name = self.types.name(id).to_owned();
            let target = self.type_of(&schema, &rust_name)?;
            let description = self.description_of(schema.0.value());
            self.types.define(id, at, description, TypeKind::Alias(target.with_null_as_option()));
        }
        Ok(())
    }

    /// The type of a schema that may be a reference; `hint` names an inline type it needs.
    pub fn type_of(&mut self, schema: &Schema<'a>, hint: &str) -> Result<Typed, Error> {
        match schema.reference() {
            None => self.inline_type(schema, hint),
            Some(reference) => self.referenced_type(reference, schema.at()),
        }
    }

    fn referenced_type(&mut self, reference: &str, at: &Pointer) -> Result<Typed, Error> {
        let target = match view::local_target(reference, at) {
            Ok(target) => target,
            Err(err) => {
                self.warn(at, format!("{}; typed as any JSON value", err.message));
                return Ok(Typed::plain(TypeRef::Json));
            }
        };
        let Some(raw) = self.raw_at(&target) else {
            return Err(Error::at(at, format!("$ref {reference:?} does not resolve: nothing is at {target}")));
        };
        // Nullable where the schema is, or where it is used: `nullable` (or Swagger 2.0's
        // `x-nullable`, which the conversion makes `nullable`) beside the `$ref`.
        let nullable_here = self.raw_at(at).is_some_and(|here| {
            ["nullable", "x-nullable"].iter().any(|key| here.get(*key) == Some(&Value::Bool(true)))
        });
        let nullable = nullable_here || raw.get("nullable") == Some(&Value::Bool(true));
        if let Some(id) = self.named_schemas.get(target.as_str()) {
            return Ok(Typed { ty: TypeRef::Named(*id), nullable });
        }
        // A reference to a schema outside `components/schemas` (inside another schema, a
        // parameter, ...): it gets a named type of its own, named from its place.
        let schema = Schema(self.view().resolve(Node::new(raw, target))?);
        let target = schema.at().clone();
        let hint = target.tokens().filter(|t| t != "properties" && t != "items").last().unwrap_or_default();
        let name = self.type_names.claim(&naming::type_name(&hint));
        let id = self.types.declare(name, target.clone());
        self.named_schemas.insert(target.as_str().to_owned(), id);
        self.define(id, &schema)?;
        Ok(Typed { ty: TypeRef::Named(id), nullable: nullable_here || schema.nullable() })
    }

    fn inline_type(&mut self, schema: &Schema<'a>, hint: &str) -> Result<Typed, Error> {
        let at = schema.at();
        let nullable = schema.nullable();
        if let Some(id) = self.named_schemas.get(at.as_str()) {
            return Ok(Typed { ty: TypeRef::Named(*id), nullable });
        }
        let ty = match self.shape(schema) {
            Shape::Union(members) if members.len() == 1 => {
                // A one-member `oneOf` (or `anyOf`) only wraps the member, usually to give it a
                // description or make it nullable.
                let member = self.type_of(&members[0], hint)?;
                return Ok(Typed { ty: member.ty, nullable: nullable || member.nullable });
            }
            Shape::Member(member) => {
                let member = self.type_of(&member, hint)?;
                return Ok(Typed { ty: member.ty, nullable: nullable || member.nullable });
            }
            Shape::Struct | Shape::Enum(_) | Shape::Union(..) => {
                let name = self.type_names.claim(&naming::type_name(hint));
                let id = self.types.declare(name, at.clone());
                self.named_schemas.insert(at.as_str().to_owned(), id);
                self.define(id, schema)?;
                TypeRef::Named(id)
            }
            Shape::Array(items) => self.array_type(items.as_ref(), hint)?,
            Shape::Map(additional, owner) if owner != *at => {
                // The values' schema belongs to an `allOf` member elsewhere, which may lead back
                // here (`S: {additionalProperties: {allOf: [$ref S, $ref S]}}`).
                if self.borrowed_maps.contains(&owner) {
                    self.warn(at, "an `allOf` of maps that contains itself; its values are typed as any JSON value");
                    TypeRef::Map(Box::new(TypeRef::Json))
                } else {
                    self.borrowed_maps.push(owner.clone());
                    let map = self.map_type(additional.as_ref(), hint);
                    self.borrowed_maps.pop();
                    map?
                }
            }
            Shape::Map(additional, _) => self.map_type(additional.as_ref(), hint)?,
            Shape::Primitive(ty) => ty,
            Shape::Any(reason) => {
                if let Some(reason) = reason {
                    self.warn(at, format!("{reason}; typed as any JSON value"));
                }
                TypeRef::Json
            }
        };
        Ok(Typed { ty, nullable })
    }

    fn array_type(&mut self, items: Option<&Schema<'a>>, hint: &str) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => self.type_of(items, &format!("{hint}Item"))?.with_null_as_option(),
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn map_type(&mut self, additional: Option<&Additional<'a>>, hint: &str) -> Result<TypeRef, Error> {
        let value = match additional {
            Some(Additional::Schema(schema)) => self.type_of(schema, &format!("{hint}Value"))?.with_null_as_option(),
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// Builds the declared type `id` for `schema`.
    fn define(&mut self, id: crate::ir::TypeId, schema: &Schema<'a>) -> Result<(), Error> {
        let at = schema.at();
        let name = &self.types.name(id).to_owned();
        let kind = match self.shape(schema) {
            Shape::Struct => match self.base_union(schema)? {
                Some(union) => union,
                None => TypeKind::Struct(self.struct_type(name, schema)?),
            },
            Shape::Enum(values) => TypeKind::Enum(string_enum(&values, schema.default())),
            Shape::Union(members) => self.union_type(name, schema, &members)?,
            Shape::Member(member) => TypeKind::Alias(self.type_of(&member, name)?.with_null_as_option()),
            Shape::Array(items) => TypeKind::Alias(self.array_type(items.as_ref(), name)?),
            Shape::Map(additional, _) => TypeKind::Alias(self.map_type(additional.as_ref(), name)?),
            Shape::Primitive(ty) => TypeKind::Alias(ty),
            Shape::Any(reason) => {
                if let Some(reason) = reason {
                    self.warn(at, format!("{reason}; typed as any JSON value"));
                }
                TypeKind::Alias(TypeRef::Json)
            }
        };
        let description = self.description_of(schema.0.value()).or_else(|| non_empty(schema.title()));
        self.types.define(id, at.clone(), description, kind);
        Ok(())
    }

    /// The `description` written in `raw` (for a `$ref`, the one beside it, as 3.1 allows). The
    /// values of an `enum` that a format's type wins over are said after it. (From the node in
    /// hand, not its pointer: looking each pointer up again from the root was a twentieth of
    /// lowering GitHub's description.)
    pub fn description_of(&self, raw: &Value) -> Option<String> {
        let description = non_empty(raw.get("description").and_then(Value::as_str));
        let Some(values) = self.enum_of_typed_format(raw) else { return description };
        let values = format!("One of: {values}.");
        Some(description.map_or_else(|| values.clone(), |text| format!("{text}\n\n{values}")))
    }

    /// The values of `raw`'s `enum`, in code spans, when it is a string whose `format` has a
    /// type of its own (which wins over the `enum`).
    fn enum_of_typed_format(&self, raw: &Value) -> Option<String> {
        let values = raw.get("enum")?.as_array()?;
        let format = raw.get("format")?.as_str()?;
        let typed = formats::string_format(format, &self.formats).unwrap_or(TypeRef::String);
        if typed == TypeRef::String || values.is_empty() {
            return None;
        }
        let values: Vec<String> = values
            .iter()
            .map(|value| format!("`{}`", value.as_str().map_or_else(|| value.to_string(), str::to_owned)))
            .collect();
        Some(values.join(", "))
    }

    /// Whether `schema` is typed as a struct (or, with a discriminator, a union of its
    /// hierarchy), not as another schema, a map or a primitive.
    pub(super) fn defines_struct(&mut self, schema: &Schema<'a>) -> bool {
        matches!(self.shape(schema), Shape::Struct)
    }

    fn shape(&mut self, schema: &Schema<'a>) -> Shape<'a> {
        let at = schema.at();
        match schema.kind() {
            SchemaKind::String => {
                let values = schema.string_values();
                let typed = string_type(schema.format(), &self.formats);
                // A format's type wins over an `enum` of its values (date-times that the API
                // accepts): the values are not variant names, and decoding them as a string
                // enum would lose the type. They are documented instead (`description_at`).
                if values.is_empty() || typed != TypeRef::String {
                    Shape::Primitive(typed)
                } else {
                    Shape::Enum(values)
                }
            }
            SchemaKind::Integer => Shape::Primitive(match schema.format() {
                Some("int32") => TypeRef::I32,
                None | Some("int64") => TypeRef::I64,
                Some(format) => formats::integer_format(format).unwrap_or(TypeRef::I64),
            }),
            SchemaKind::Number => {
                Shape::Primitive(if schema.format() == Some("float") { TypeRef::F32 } else { TypeRef::F64 })
            }
            SchemaKind::Boolean => Shape::Primitive(TypeRef::Bool),
            SchemaKind::Array => Shape::Array(schema.items()),
            SchemaKind::Object => {
                if schema.properties().is_empty() {
                    Shape::Map(schema.additional_properties(), at.clone())
                } else {
                    Shape::Struct
                }
            }
            SchemaKind::OneOf => union_or_single(schema.members("oneOf")),
            SchemaKind::AnyOf => union_or_single(schema.members("anyOf")),
            SchemaKind::AllOf => self.all_of_shape(schema),
            SchemaKind::Not => Shape::Any(Some("`not` schemas are not supported")),
            SchemaKind::Any => {
                let one_of = schema.members("oneOf");
                let any_of = schema.members("anyOf");
                if !one_of.is_empty() {
                    union_or_single(one_of)
                } else if !any_of.is_empty() {
                    union_or_single(any_of)
                } else if !schema.members("allOf").is_empty() {
                    self.all_of_shape(schema)
                } else if !schema.properties().is_empty() {
                    Shape::Struct
                } else if let Some(items) = schema.items() {
                    Shape::Array(Some(items))
                } else if let additional @ Some(_) = schema.additional_properties() {
                    Shape::Map(additional, at.clone())
                } else if schema.typ() == Some("object") {
                    Shape::Map(None, at.clone())
                } else {
                    let values = schema.enum_values().map_or(&[][..], Vec::as_slice);
                    let strings = schema.string_values();
                    if !strings.is_empty() && strings.len() == values.len() {
                        Shape::Enum(strings)
                    } else {
                        Shape::Any(None)
                    }
                }
            }
        }
    }

    /// `allOf` of objects is one struct with every member's properties; `allOf` with a single
    /// member (often used to attach a description to a `$ref`) is that member.
    fn all_of_shape(&mut self, schema: &Schema<'a>) -> Shape<'a> {
        let members = schema.members("allOf");
        let own_properties = schema.kind() == SchemaKind::Any && !schema.properties().is_empty();
        // Members that only annotate (`{description: ...}` beside a `$ref`) add nothing to the type.
        let mut substantive = members.into_iter().filter(|member| !member.is_annotation_only());
        if let (Some(member), None, false) = (substantive.next(), substantive.next(), own_properties) {
            // The one member that says anything, at its own place in the document.
            return Shape::Member(member);
        }
        let at = schema.at();
        match self.object_view(schema, 0) {
            // No properties through all the members: the same map a direct object without
            // properties is, so that both spellings of one schema agree.
            Ok(view) if !view.has_non_object_member && view.properties.is_empty() => match view.additional {
                Some((additional, owner)) => Shape::Map(Some(additional), owner),
                None => Shape::Map(None, at.clone()),
            },
            Ok(view) if !view.has_non_object_member => Shape::Struct,
            _ => Shape::Any(Some("`allOf` with members that are not objects is not supported")),
        }
    }

    fn object_view(&self, schema: &Schema<'a>, depth: usize) -> Result<ObjectView<'a>, Error> {
        let mut view = ObjectView::default();
        if depth > 32 {
            view.has_non_object_member = true;
            return Ok(view);
        }
        let own_keywords = match schema.kind() {
            SchemaKind::Object | SchemaKind::Any => true,
            SchemaKind::AllOf => false,
            _ => {
                view.has_non_object_member = true;
                return Ok(view);
            }
        };
        for member in schema.members("allOf") {
            let member = Schema(self.view().resolve(member.0)?);
            let member_view = self.object_view(&member, depth + 1)?;
            view.has_non_object_member |= member_view.has_non_object_member;
            for (name, property) in member_view.properties {
                view.properties.insert(name, property);
            }
            view.required.extend(member_view.required);
            if member_view.additional.is_some() {
                view.additional = member_view.additional;
            }
        }
        if own_keywords {
            for (name, property) in schema.properties() {
                view.properties.insert(name.to_owned(), property);
            }
            view.required.extend(schema.required().into_iter().map(str::to_owned));
            if let Some(additional) = schema.additional_properties() {
                view.additional = Some((additional, schema.at().clone()));
            }
        }
        Ok(view)
    }

    fn struct_type(&mut self, name: &str, schema: &Schema<'a>) -> Result<Struct, Error> {
        let view = self.object_view(schema, 0)?;
        // The field that holds undeclared properties is the generator's own: a property of that
        // name yields it (`additional_properties_2`), as a keyword does.
        let keeps_undeclared = matches!(&view.additional, Some((Additional::Schema(_) | Additional::Allowed(true), _)));
        let mut field_names = if keeps_undeclared {
            Namespace::with_reserved([UNDECLARED_PROPERTIES_FIELD])
        } else {
            Namespace::default()
        };
        let mut fields = Vec::with_capacity(view.properties.len());
        for (wire_name, property) in &view.properties {
            let hint = format!("{name}{}", naming::camel(wire_name, "Field"));
            let typed = self.type_of(property, &hint)?;
            let resolved = match property.reference() {
                None => Some(property.clone()),
                Some(_) => self.view().resolve(property.0.clone()).ok().map(Schema),
            };
            let mut read_only = resolved.as_ref().is_some_and(Schema::read_only);
            let mut write_only = resolved.as_ref().is_some_and(Schema::write_only);
            // `readOnly` and `writeOnly` beside a `$ref` (as 3.1 allows, and 3.0 and 2.0
            // documents write anyway) say it of the property, whatever the schema says.
            if property.reference().is_some() {
                read_only |= property.0.bool("readOnly") == Some(true);
                write_only |= property.0.bool("writeOnly") == Some(true);
            }
            let ty = if typed.ty == TypeRef::String && is_secret(wire_name, property.0.value()) {
                TypeRef::Secret
            } else {
                typed.ty
            };
            let description = self
                .description_of(property.0.value())
                .or_else(|| non_empty(resolved.as_ref().and_then(Schema::description)));
            fields.push(Field {
                name: field_names.claim(&naming::snake(wire_name, "field")),
                wire_name: wire_name.clone(),
                ty,
                // `required` on a read-only property holds for responses only (and on a
                // write-only one for requests only); one type serves both, so it is optional.
                required: view.required.contains(wire_name) && !read_only && !write_only,
                nullable: typed.nullable,
                null_is_absent: false,
                default: resolved.as_ref().and_then(Schema::default).cloned(),
                description,
                read_only,
                write_only,
                deprecated: resolved.as_ref().is_some_and(Schema::deprecated),
            });
        }
        let additional_properties = match &view.additional {
            Some((Additional::Schema(schema), _)) => {
                let hint = format!("{name}Value");
                Some(self.type_of(schema, &hint)?.with_null_as_option())
            }
            Some((Additional::Allowed(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        let arguments = fields.iter().filter(|f| f.required && !f.nullable && f.default.is_none()).map(|f| &f.ty);
        let required_fields =
            crate::ir::needs_named_arguments(arguments).then(|| self.type_names.claim(&format!("{name}Required")));
        Ok(Struct { fields, additional_properties, required_fields })
    }

    fn union_type(&mut self, name: &str, schema: &Schema<'a>, members: &[Schema<'a>]) -> Result<TypeKind, Error> {
        if members.len() == 1 {
            let only = self.type_of(&members[0], name)?;
            return Ok(TypeKind::Alias(only.with_null_as_option()));
        }
        let discriminator = schema.discriminator_property();
        let mapping = schema.discriminator_mapping();
        let mut variant_names = Namespace::default();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let typed = self.type_of(member, &format!("{name}Variant{}", index + 1))?;
            let variant_name = variant_names.claim(&variant_name(&self.types, &typed.ty));
            let tag_values = match (discriminator, member.reference()) {
                (Some(_), Some(reference)) => {
                    let mapped: Vec<String> = mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || reference.ends_with(&format!("/{target}")))
                        .map(|(value, _)| (*value).to_owned())
                        .collect();
                    if mapped.is_empty() {
                        reference.rsplit('/').next().map(str::to_owned).into_iter().collect()
                    } else {
                        mapped
                    }
                }
                _ => Vec::new(),
            };
            variants.push(UnionVariant { name: variant_name, ty: typed.with_null_as_option(), tag_values });
        }
        let tag = discriminator.filter(|_| variants.iter().all(|v| !v.tag_values.is_empty())).map(str::to_owned);
        // 3.2's `defaultMapping`: what a value whose tag is missing or unmapped is. It takes the
        // place of the variant that keeps such a value as JSON.
        let default_variant = match (&tag, schema.discriminator_default()) {
            (Some(_), Some(target)) => {
                Some(self.default_variant(schema, target, members, &mut variants, &mut variant_names)?)
            }
            _ => None,
        };
        let unknown_variant =
            tag.as_ref().filter(|_| default_variant.is_none()).map(|_| variant_names.claim("Unknown"));
        Ok(TypeKind::Union(Union { variants, tag, unknown_variant, default_variant }))
    }

    /// The index of the variant a union's `defaultMapping` names: a member's, or one added for
    /// a schema that is not a member.
    fn default_variant(
        &mut self,
        schema: &Schema<'a>,
        target: &str,
        members: &[Schema<'a>],
        variants: &mut Vec<UnionVariant>,
        variant_names: &mut Namespace,
    ) -> Result<usize, Error> {
        let names = |reference: &str| target == reference || reference.ends_with(&format!("/{target}"));
        if let Some(index) = members.iter().position(|member| member.reference().is_some_and(names)) {
            return Ok(index);
        }
        let reference =
            if target.starts_with('#') { target.to_owned() } else { format!("#/components/schemas/{target}") };
        let typed = self.referenced_type(&reference, &schema.at().push("discriminator").push("defaultMapping"))?;
        let name = variant_names.claim(&variant_name(&self.types, &typed.ty));
        variants.push(UnionVariant { name, ty: typed.with_null_as_option(), tag_values: Vec::new() });
        Ok(variants.len() - 1)
    }

    /// A schema of a discriminated hierarchy (see [`crate::ir::hierarchy`]): a base with properties
    /// and a `discriminator` whose subtypes extend it through `allOf` (as in Dropbox Sign's
    /// `*Base` schemas), or a schema in the middle. Where it is used, any schema below it may
    /// come, told apart by the discriminator: it becomes a tagged union of every object below it,
    /// at any depth (and, in the middle, of its own object). `None` when it is neither.
    fn base_union(&mut self, schema: &Schema<'a>) -> Result<Option<TypeKind>, Error> {
        let at = schema.at().clone();
        let Some(base_name) = at.as_str().strip_prefix("#/components/schemas/") else { return Ok(None) };
        let Some((tag, members)) = self.hierarchy_members(at.as_str()) else { return Ok(None) };
        if members.is_empty() {
            return Ok(None);
        }
        if let Some(own) = self.hierarchies.own_object(at.as_str()) {
            let own_name = self.types.name(own).to_owned();
            let body = self.struct_type(&own_name, schema)?;
            let description = self.description_of(schema.0.value()).or_else(|| non_empty(schema.title()));
            self.types.define(own, at.clone(), description, TypeKind::Struct(body));
        }
        let prefix = base_name.strip_suffix("Base").unwrap_or(base_name);
        let mut variant_names = Namespace::default();
        let mut variants: Vec<UnionVariant> = Vec::new();
        let mapping_at = at.push("discriminator").push("mapping");
        for member in members {
            // A schema in the middle is a member through its own object; its name is the union.
            let ty = match self.hierarchies.own_object(&member.target) {
                Some(own) => TypeRef::Named(own),
                None => self.referenced_type(&member.target, &mapping_at)?.ty,
            };
            if let Some(existing) = variants.iter_mut().find(|v| v.ty == ty) {
                existing.tag_values.extend(member.tag_values);
                continue;
            }
            let full = match self.named_schemas.get(&member.target) {
                Some(id) => self.types.name(*id).to_owned(),
                None => variant_name(&self.types, &ty),
            };
            let short = full.strip_prefix(prefix).filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
            let variant = variant_names.claim(short.unwrap_or(&full));
            variants.push(UnionVariant { name: variant, ty, tag_values: member.tag_values });
        }
        let unknown_variant = Some(variant_names.claim("Unknown"));
        Ok(Some(TypeKind::Union(Union { variants, tag: Some(tag), unknown_variant, default_variant: None })))
    }
}

fn union_or_single(members: Vec<Schema<'_>>) -> Shape<'_> {
    if members.is_empty() { Shape::Any(None) } else { Shape::Union(members) }
}

/// The type of a string of `format`.
fn string_type(format: Option<&str>, options: &formats::FormatOptions) -> TypeRef {
    match format {
        Some("binary") => TypeRef::Upload,
        None | Some("password") => TypeRef::String,
        Some(format) => formats::string_format(format, options).unwrap_or(TypeRef::String),
    }
}

fn string_enum(values: &[String], default: Option<&Value>) -> StringEnum {
    let mut names = Namespace::default();
    let mut variants = Vec::with_capacity(values.len());
    for value in values {
        if variants.iter().any(|v: &EnumVariant| v.wire_value == *value) {
            continue;
        }
        variants.push(EnumVariant { name: names.claim(&naming::variant(value, "Value")), wire_value: value.clone() });
    }
    let unknown_variant = ["Unknown", "UnknownValue", "Other"]
        .into_iter()
        .find(|candidate| !names.contains(candidate))
        .map_or_else(|| names.claim("Unknown"), str::to_owned);
    let default_variant = default
        .and_then(Value::as_str)
        .and_then(|wire| variants.iter().find(|v| v.wire_value == wire))
        .map(|v| v.name.clone());
    StringEnum { variants, unknown_variant, default_variant }
}

fn variant_name(types: &TypeTable, ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(id) => types.name(*id).to_owned(),
        TypeRef::Companion(name) => name.clone(),
        TypeRef::String | TypeRef::Secret => "String".to_owned(),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::Upload => "File".to_owned(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(types, inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(types, inner)),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => variant_name(types, inner),
        TypeRef::Extern(ext) => extern_variant_name(&ext.rust),
    }
}

/// A union variant's name for a format's type: `DateTime<Utc>` → `DateTime`, `u64` → `Integer`.
fn extern_variant_name(rust: &str) -> String {
    if rust.chars().next().is_some_and(|c| c.is_ascii_lowercase()) && !rust.contains("::") {
        return "Integer".to_owned();
    }
    let last = rust.split('<').next().unwrap_or(rust).rsplit("::").next().unwrap_or(rust);
    naming::camel(last, "Value")
}

/// Whether the property `raw` (named `wire_name`) holds a secret, kept out of `Debug` output:
/// its `x-secret` decides when present; otherwise `format: password` or a name that says so
/// (tokens, secrets, passwords and keys).
fn is_secret(wire_name: &str, raw: &Value) -> bool {
    if let Some(flag) = raw.get("x-secret").and_then(Value::as_bool) {
        return flag;
    }
    raw.get("format").and_then(Value::as_str) == Some("password") || is_secret_name(wire_name)
}

/// Property names that hold credentials: `*_token`, `*_secret`, `password`, `api_key`, ...
pub fn is_secret_name(wire_name: &str) -> bool {
    let snake = naming::snake(wire_name, "field");
    let last = snake.rsplit('_').next().unwrap_or_default();
    matches!(last, "token" | "secret" | "password" | "passwd")
        || matches!(snake.as_str(), "api_key" | "apikey" | "private_key" | "secret_key")
}

//! Schemas to types: which schemas get a named type, how objects, enums, unions, `allOf`
//! compositions, arrays, maps and primitives map to Rust.

use indexmap::IndexMap;
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, StringFormat, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::formats;
use super::naming::{self, Namespace};
use super::{
    Builder, EnumVariant, Field, StringEnum, Struct, TypeDef, TypeKind, TypeRef, UNDECLARED_PROPERTIES_FIELD, Union,
    UnionVariant, Usage, non_empty,
};
use crate::diagnostics::{Error, Pointer};

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
struct ObjectView {
    /// Property name → (schema, where it is).
    properties: IndexMap<String, (ReferenceOr<Schema>, Pointer)>,
    required: Vec<String>,
    additional: Option<(AdditionalProperties, Pointer)>,
    /// Set when an `allOf` member is not an object, so the merge would not be honest.
    has_non_object_member: bool,
}

/// What a schema becomes.
enum Shape {
    Struct,
    Enum(Vec<String>),
    Union(Vec<ReferenceOr<Schema>>, &'static str),
    /// `allOf` whose only member that says anything is the one at this index: that member's type.
    Member(usize, Box<ReferenceOr<Schema>>),
    Array(Option<Box<ReferenceOr<Schema>>>),
    /// An object without properties: a map of its `additionalProperties` (any JSON when it has
    /// none), which the pointer is the owner of.
    Map(Option<AdditionalProperties>, Pointer),
    Primitive(TypeRef),
    Any(Option<&'static str>),
}

impl Builder<'_> {
    /// Claims a type name for every component schema before any is built, so that references
    /// between them resolve and component schemas keep their own names.
    pub fn declare_component_schemas(&mut self) {
        let Some(components) = &self.doc.api.components else {
            return;
        };
        let base = Pointer::root().push("components").push("schemas");
        for name in components.schemas.keys() {
            let rust_name = self.type_names.claim(&naming::type_name(name));
            self.named_schemas.insert(base.push(name).as_str().to_owned(), rust_name);
        }
    }

    /// Builds the type of every component schema.
    pub fn define_component_schemas(&mut self) -> Result<(), Error> {
        let Some(components) = &self.doc.api.components else {
            return Ok(());
        };
        let base = Pointer::root().push("components").push("schemas");
        for (name, schema) in &components.schemas {
            let at = base.push(name);
            let rust_name = self.named_schemas[at.as_str()].clone();
            match schema {
                ReferenceOr::Item(schema) => self.define(&rust_name, schema, &at)?,
                ReferenceOr::Reference { .. } => {
                    let target = self.type_of(schema, &at, &rust_name)?;
                    let description = self.description_at(&at);
                    self.insert_type(TypeDef {
                        name: rust_name,
                        pointer: at.to_string(),
                        description,
                        kind: TypeKind::Alias(target.with_null_as_option()),
                        usage: Usage::default(),
                        derives: Vec::new(),
                        attributes: Vec::new(),
                    });
                }
            }
        }
        Ok(())
    }

    /// The type of a schema that may be a reference; `hint` names an inline type it needs.
    pub fn type_of(&mut self, schema: &ReferenceOr<Schema>, at: &Pointer, hint: &str) -> Result<Typed, Error> {
        match schema {
            ReferenceOr::Item(schema) => self.inline_type(schema, at, hint),
            ReferenceOr::Reference { reference } => self.referenced_type(reference, at),
        }
    }

    fn referenced_type(&mut self, reference: &str, at: &Pointer) -> Result<Typed, Error> {
        let target = match self.local_target(reference, at) {
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
        if let Some(name) = self.named_schemas.get(target.as_str()) {
            return Ok(Typed { ty: TypeRef::Named(name.clone()), nullable });
        }
        // A reference to a schema outside `components/schemas` (inside another schema, a
        // parameter, ...): it gets a named type of its own, named from its place.
        let (schema, target) = self.resolve::<Schema>(&ReferenceOr::ref_(reference), at)?;
        let hint = target.tokens().filter(|t| t != "properties" && t != "items").last().unwrap_or_default();
        let name = self.type_names.claim(&naming::type_name(&hint));
        self.named_schemas.insert(target.as_str().to_owned(), name.clone());
        self.define(&name, &schema, &target)?;
        Ok(Typed { ty: TypeRef::Named(name), nullable: nullable_here || schema.schema_data.nullable })
    }

    fn inline_type(&mut self, schema: &Schema, at: &Pointer, hint: &str) -> Result<Typed, Error> {
        let nullable = schema.schema_data.nullable;
        if let Some(name) = self.named_schemas.get(at.as_str()) {
            return Ok(Typed { ty: TypeRef::Named(name.clone()), nullable });
        }
        let ty = match self.shape(schema, at) {
            Shape::Union(members, keyword) if members.len() == 1 => {
                // A one-member `oneOf` (or `anyOf`) only wraps the member, usually to give it a
                // description or make it nullable.
                let member = self.type_of(&members[0], &at.push(keyword).push("0"), hint)?;
                return Ok(Typed { ty: member.ty, nullable: nullable || member.nullable });
            }
            Shape::Member(index, member) => {
                let member = self.type_of(&member, &at.push("allOf").push(index.to_string()), hint)?;
                return Ok(Typed { ty: member.ty, nullable: nullable || member.nullable });
            }
            Shape::Struct | Shape::Enum(_) | Shape::Union(..) => {
                let name = self.type_names.claim(&naming::type_name(hint));
                self.named_schemas.insert(at.as_str().to_owned(), name.clone());
                self.define(&name, schema, at)?;
                TypeRef::Named(name)
            }
            Shape::Array(items) => self.array_type(items.as_deref(), at, hint)?,
            Shape::Map(additional, owner) if owner != *at => {
                // The values' schema belongs to an `allOf` member elsewhere, which may lead back
                // here (`S: {additionalProperties: {allOf: [$ref S, $ref S]}}`).
                if self.borrowed_maps.contains(&owner) {
                    self.warn(at, "an `allOf` of maps that contains itself; its values are typed as any JSON value");
                    TypeRef::Map(Box::new(TypeRef::Json))
                } else {
                    self.borrowed_maps.push(owner.clone());
                    let map = self.map_type(additional.as_ref(), &owner, hint);
                    self.borrowed_maps.pop();
                    map?
                }
            }
            Shape::Map(additional, owner) => self.map_type(additional.as_ref(), &owner, hint)?,
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

    fn array_type(&mut self, items: Option<&ReferenceOr<Schema>>, at: &Pointer, hint: &str) -> Result<TypeRef, Error> {
        let item = match items {
            Some(items) => self.type_of(items, &at.push("items"), &format!("{hint}Item"))?.with_null_as_option(),
            None => TypeRef::Json,
        };
        Ok(TypeRef::Vec(Box::new(item)))
    }

    fn map_type(
        &mut self,
        additional: Option<&AdditionalProperties>,
        at: &Pointer,
        hint: &str,
    ) -> Result<TypeRef, Error> {
        let value = match additional {
            Some(AdditionalProperties::Schema(schema)) => {
                self.type_of(schema, &at.push("additionalProperties"), &format!("{hint}Value"))?.with_null_as_option()
            }
            _ => TypeRef::Json,
        };
        Ok(TypeRef::Map(Box::new(value)))
    }

    /// Builds the named type `name` for `schema` and stores it.
    fn define(&mut self, name: &str, schema: &Schema, at: &Pointer) -> Result<(), Error> {
        let kind = match self.shape(schema, at) {
            Shape::Struct => match self.base_union(name, schema, at)? {
                Some(union) => union,
                None => TypeKind::Struct(self.struct_type(name, schema, at)?),
            },
            Shape::Enum(values) => TypeKind::Enum(string_enum(&values, schema.schema_data.default.as_ref())),
            Shape::Union(members, keyword) => self.union_type(name, schema, &members, &at.push(keyword))?,
            Shape::Member(index, member) => {
                let member_at = at.push("allOf").push(index.to_string());
                TypeKind::Alias(self.type_of(&member, &member_at, name)?.with_null_as_option())
            }
            Shape::Array(items) => TypeKind::Alias(self.array_type(items.as_deref(), at, name)?),
            Shape::Map(additional, owner) => TypeKind::Alias(self.map_type(additional.as_ref(), &owner, name)?),
            Shape::Primitive(ty) => TypeKind::Alias(ty),
            Shape::Any(reason) => {
                if let Some(reason) = reason {
                    self.warn(at, format!("{reason}; typed as any JSON value"));
                }
                TypeKind::Alias(TypeRef::Json)
            }
        };
        let description = self.description_at(at).or_else(|| non_empty(schema.schema_data.title.as_deref()));
        self.insert_type(TypeDef {
            name: name.to_owned(),
            pointer: at.to_string(),
            description,
            kind,
            usage: Usage::default(),
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        Ok(())
    }

    fn insert_type(&mut self, def: TypeDef) {
        self.types.insert(def.name.clone(), def);
    }

    /// The `description` written at `at` (for a `$ref`, the one beside it, as 3.1 allows).
    /// The values of an `enum` that a format's type wins over are said after it.
    pub fn description_at(&self, at: &Pointer) -> Option<String> {
        let raw = self.raw_at(at);
        let description = non_empty(raw.and_then(|raw| raw.get("description")).and_then(Value::as_str));
        let Some(values) = raw.and_then(|raw| self.enum_of_typed_format(raw)) else { return description };
        let values = format!("One of: {values}.");
        Some(description.map_or_else(|| values.clone(), |text| format!("{text}\n\n{values}")))
    }

    /// The values of `raw`'s `enum`, in code spans, when it is a string whose `format` has a
    /// type of its own (which wins over the `enum`).
    fn enum_of_typed_format(&self, raw: &Value) -> Option<String> {
        let values = raw.get("enum")?.as_array()?;
        let format = raw.get("format")?.as_str()?;
        let typed = string_type(&VariantOrUnknownOrEmpty::Unknown(format.to_owned()), &self.formats);
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
    pub(super) fn defines_struct(&mut self, schema: &Schema, at: &Pointer) -> bool {
        matches!(self.shape(schema, at), Shape::Struct)
    }

    fn shape(&mut self, schema: &Schema, at: &Pointer) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(string)) => {
                let values: Vec<String> = string.enumeration.iter().flatten().cloned().collect();
                let typed = string_type(&string.format, &self.formats);
                // A format's type wins over an `enum` of its values (date-times that the API
                // accepts): the values are not variant names, and decoding them as a string
                // enum would lose the type. They are documented instead (`description_at`).
                if values.is_empty() || typed != TypeRef::String {
                    Shape::Primitive(typed)
                } else {
                    Shape::Enum(values)
                }
            }
            SchemaKind::Type(Type::Integer(integer)) => Shape::Primitive(match &integer.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                VariantOrUnknownOrEmpty::Unknown(format) => formats::integer_format(format).unwrap_or(TypeRef::I64),
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(number)) => Shape::Primitive(match number.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Primitive(TypeRef::Bool),
            SchemaKind::Type(Type::Array(array)) => {
                Shape::Array(array.items.as_ref().map(|items| Box::new(unbox(items))))
            }
            SchemaKind::Type(Type::Object(object)) => {
                if object.properties.is_empty() {
                    Shape::Map(object.additional_properties.clone(), at.clone())
                } else {
                    Shape::Struct
                }
            }
            SchemaKind::OneOf { one_of: members } => union_or_single(members, "oneOf"),
            SchemaKind::AnyOf { any_of: members } => union_or_single(members, "anyOf"),
            SchemaKind::AllOf { .. } => self.all_of_shape(schema, at),
            SchemaKind::Not { .. } => Shape::Any(Some("`not` schemas are not supported")),
            SchemaKind::Any(any) => {
                if !any.one_of.is_empty() {
                    union_or_single(&any.one_of, "oneOf")
                } else if !any.any_of.is_empty() {
                    union_or_single(&any.any_of, "anyOf")
                } else if !any.all_of.is_empty() {
                    self.all_of_shape(schema, at)
                } else if !any.properties.is_empty() {
                    Shape::Struct
                } else if let Some(items) = &any.items {
                    Shape::Array(Some(Box::new(unbox(items))))
                } else if any.additional_properties.is_some() || any.typ.as_deref() == Some("object") {
                    Shape::Map(any.additional_properties.clone(), at.clone())
                } else {
                    let strings: Vec<String> =
                        any.enumeration.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect();
                    if !strings.is_empty() && strings.len() == any.enumeration.len() {
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
    fn all_of_shape(&mut self, schema: &Schema, at: &Pointer) -> Shape {
        let members = all_of_members(schema);
        let own_properties = matches!(&schema.schema_kind, SchemaKind::Any(any) if !any.properties.is_empty());
        // Members that only annotate (`{description: ...}` beside a `$ref`) add nothing to the type.
        let substantive: Vec<(usize, &ReferenceOr<Schema>)> =
            members.iter().enumerate().filter(|(_, member)| !is_annotation_only(member)).collect();
        if let ([(index, member)], false) = (substantive.as_slice(), own_properties) {
            // The one member that says anything, at its own place in the document.
            return Shape::Member(*index, Box::new((*member).clone()));
        }
        match self.object_view(schema, at, 0) {
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

    fn object_view(&self, schema: &Schema, at: &Pointer, depth: usize) -> Result<ObjectView, Error> {
        let mut view = ObjectView::default();
        if depth > 32 {
            view.has_non_object_member = true;
            return Ok(view);
        }
        let (properties, required, additional) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(object)) => {
                (Some(&object.properties), object.required.as_slice(), object.additional_properties.as_ref())
            }
            SchemaKind::Any(any) => {
                (Some(&any.properties), any.required.as_slice(), any.additional_properties.as_ref())
            }
            SchemaKind::AllOf { .. } => (None, &[][..], None),
            _ => {
                view.has_non_object_member = true;
                return Ok(view);
            }
        };
        for (index, member) in all_of_members(schema).iter().enumerate() {
            let member_at = at.push("allOf").push(index.to_string());
            let (member, member_at) = self.resolve(member, &member_at)?;
            let member_view = self.object_view(&member, &member_at, depth + 1)?;
            view.has_non_object_member |= member_view.has_non_object_member;
            for (name, property) in member_view.properties {
                view.properties.insert(name, property);
            }
            view.required.extend(member_view.required);
            if member_view.additional.is_some() {
                view.additional = member_view.additional;
            }
        }
        if let Some(properties) = properties {
            for (name, property) in properties {
                view.properties.insert(name.clone(), (unbox(property), at.push("properties").push(name)));
            }
        }
        view.required.extend(required.iter().cloned());
        if let Some(additional) = additional {
            view.additional = Some((additional.clone(), at.clone()));
        }
        Ok(view)
    }

    fn struct_type(&mut self, name: &str, schema: &Schema, at: &Pointer) -> Result<Struct, Error> {
        let view = self.object_view(schema, at, 0)?;
        // The field that holds undeclared properties is the generator's own: a property of that
        // name yields it (`additional_properties_2`), as a keyword does.
        let keeps_undeclared =
            matches!(&view.additional, Some((AdditionalProperties::Schema(_) | AdditionalProperties::Any(true), _)));
        let mut field_names = if keeps_undeclared {
            Namespace::with_reserved([UNDECLARED_PROPERTIES_FIELD])
        } else {
            Namespace::default()
        };
        let mut fields = Vec::with_capacity(view.properties.len());
        for (wire_name, (property, property_at)) in &view.properties {
            let hint = format!("{name}{}", naming::camel(wire_name, "Field"));
            let typed = self.type_of(property, property_at, &hint)?;
            let resolved = match property {
                ReferenceOr::Item(schema) => Some(schema.clone()),
                ReferenceOr::Reference { .. } => self.resolve(property, property_at).ok().map(|(s, _)| s),
            };
            let mut data = resolved.as_ref().map(|s| s.schema_data.clone()).unwrap_or_default();
            // `readOnly` and `writeOnly` beside a `$ref` (as 3.1 allows, and 3.0 and 2.0
            // documents write anyway) say it of the property, whatever the schema says.
            if let ReferenceOr::Reference { .. } = property {
                let here = self.raw_at(property_at);
                let says = |key: &str| here.and_then(|raw| raw.get(key)) == Some(&Value::Bool(true));
                data.read_only |= says("readOnly");
                data.write_only |= says("writeOnly");
            }
            let ty = if typed.ty == TypeRef::String && self.is_secret(wire_name, property_at) {
                TypeRef::Secret
            } else {
                typed.ty
            };
            let description = self.description_at(property_at).or_else(|| non_empty(data.description.as_deref()));
            fields.push(Field {
                name: field_names.claim(&naming::snake(wire_name, "field")),
                wire_name: wire_name.clone(),
                ty,
                // `required` on a read-only property holds for responses only (and on a
                // write-only one for requests only); one type serves both, so it is optional.
                required: view.required.contains(wire_name) && !data.read_only && !data.write_only,
                nullable: typed.nullable,
                null_is_absent: false,
                default: data.default.clone(),
                description,
                read_only: data.read_only,
                write_only: data.write_only,
                deprecated: data.deprecated,
            });
        }
        let additional_properties = match &view.additional {
            Some((AdditionalProperties::Schema(schema), additional_at)) => {
                let hint = format!("{name}Value");
                Some(self.type_of(schema, &additional_at.push("additionalProperties"), &hint)?.with_null_as_option())
            }
            Some((AdditionalProperties::Any(true), _)) => Some(TypeRef::Json),
            _ => None,
        };
        let arguments = fields.iter().filter(|f| f.required && !f.nullable && f.default.is_none()).map(|f| &f.ty);
        let required_fields =
            super::needs_named_arguments(arguments).then(|| self.type_names.claim(&format!("{name}Required")));
        Ok(Struct { fields, additional_properties, required_fields })
    }

    /// Tokens, secrets, passwords and keys are kept out of `Debug` output. `x-secret` decides
    /// when present; otherwise `format: password` or a name that says so.
    fn is_secret(&self, wire_name: &str, at: &Pointer) -> bool {
        let raw = self.raw_at(at);
        if let Some(flag) = raw.and_then(|r| r.get("x-secret")).and_then(Value::as_bool) {
            return flag;
        }
        if raw.and_then(|r| r.get("format")).and_then(Value::as_str) == Some("password") {
            return true;
        }
        is_secret_name(wire_name)
    }

    fn union_type(
        &mut self,
        name: &str,
        schema: &Schema,
        members: &[ReferenceOr<Schema>],
        at: &Pointer,
    ) -> Result<TypeKind, Error> {
        if members.len() == 1 {
            let only = self.type_of(&members[0], &at.push("0"), name)?;
            return Ok(TypeKind::Alias(only.with_null_as_option()));
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut variant_names = Namespace::default();
        let mut variants = Vec::with_capacity(members.len());
        for (index, member) in members.iter().enumerate() {
            let member_at = at.push(index.to_string());
            let typed = self.type_of(member, &member_at, &format!("{name}Variant{}", index + 1))?;
            let variant_name = variant_names.claim(&variant_name(&typed.ty));
            let tag_values = match (discriminator, member) {
                (Some(discriminator), ReferenceOr::Reference { reference }) => {
                    let mapped: Vec<String> = discriminator
                        .mapping
                        .iter()
                        .filter(|(_, target)| *target == reference || reference.ends_with(&format!("/{target}")))
                        .map(|(value, _)| value.clone())
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
        let tag = discriminator
            .filter(|_| variants.iter().all(|v| !v.tag_values.is_empty()))
            .map(|d| d.property_name.clone());
        let unknown_variant = tag.as_ref().map(|_| variant_names.claim("Unknown"));
        Ok(TypeKind::Union(Union { variants, tag, unknown_variant }))
    }

    /// A schema of a discriminated hierarchy (see [`super::hierarchy`]): a base with properties
    /// and a `discriminator` whose subtypes extend it through `allOf` (as in Dropbox Sign's
    /// `*Base` schemas), or a schema in the middle. Where it is used, any schema below it may
    /// come, told apart by the discriminator: it becomes a tagged union of every object below it,
    /// at any depth (and, in the middle, of its own object). `None` when it is neither.
    fn base_union(&mut self, name: &str, schema: &Schema, at: &Pointer) -> Result<Option<TypeKind>, Error> {
        let Some(base_name) = at.as_str().strip_prefix("#/components/schemas/") else { return Ok(None) };
        let Some((tag, members)) = self.hierarchy_members(at.as_str()) else { return Ok(None) };
        if members.is_empty() {
            return Ok(None);
        }
        if let Some(own) = self.hierarchies.own_object(at.as_str()).map(str::to_owned) {
            let body = self.struct_type(&own, schema, at)?;
            let description = self.description_at(at).or_else(|| non_empty(schema.schema_data.title.as_deref()));
            self.insert_type(TypeDef {
                name: own,
                pointer: at.to_string(),
                description,
                kind: TypeKind::Struct(body),
                usage: Usage::default(),
                derives: Vec::new(),
                attributes: Vec::new(),
            });
        }
        let prefix = base_name.strip_suffix("Base").unwrap_or(base_name);
        let mut variant_names = Namespace::default();
        let mut variants: Vec<UnionVariant> = Vec::new();
        for member in members {
            // A schema in the middle is a member through its own object; its name is the union.
            let ty = match self.hierarchies.own_object(&member.target) {
                Some(own) => TypeRef::Named(own.to_owned()),
                None => {
                    let reference = ReferenceOr::ref_(&member.target);
                    self.type_of(&reference, &at.push("discriminator").push("mapping"), name)?.ty
                }
            };
            if let Some(existing) = variants.iter_mut().find(|v| v.ty == ty) {
                existing.tag_values.extend(member.tag_values);
                continue;
            }
            let full = match self.named_schemas.get(&member.target) {
                Some(schema_name) => schema_name.clone(),
                None => variant_name(&ty),
            };
            let short = full.strip_prefix(prefix).filter(|rest| rest.starts_with(|c: char| c.is_ascii_uppercase()));
            let variant = variant_names.claim(short.unwrap_or(&full));
            variants.push(UnionVariant { name: variant, ty, tag_values: member.tag_values });
        }
        let unknown_variant = Some(variant_names.claim("Unknown"));
        Ok(Some(TypeKind::Union(Union { variants, tag: Some(tag), unknown_variant })))
    }
}

pub(super) fn unbox(schema: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match schema {
        ReferenceOr::Item(schema) => ReferenceOr::Item((**schema).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference { reference: reference.clone() },
    }
}

fn all_of_members(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(any) => &any.all_of,
        _ => &[],
    }
}

/// Whether a schema only annotates (`description`, `title`, `example`, `nullable`, ...) and
/// constrains nothing.
fn is_annotation_only(member: &ReferenceOr<Schema>) -> bool {
    matches!(member, ReferenceOr::Item(Schema { schema_kind: SchemaKind::Any(any), .. }) if *any == Default::default())
}

fn union_or_single(members: &[ReferenceOr<Schema>], keyword: &'static str) -> Shape {
    if members.is_empty() { Shape::Any(None) } else { Shape::Union(members.to_vec(), keyword) }
}

fn string_type(format: &VariantOrUnknownOrEmpty<StringFormat>, options: &formats::FormatOptions) -> TypeRef {
    let name = match format {
        VariantOrUnknownOrEmpty::Item(StringFormat::Binary) => return TypeRef::Upload,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "date",
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "date-time",
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => "byte",
        VariantOrUnknownOrEmpty::Unknown(format) => format.as_str(),
        _ => return TypeRef::String,
    };
    formats::string_format(name, options).unwrap_or(TypeRef::String)
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

fn variant_name(ty: &TypeRef) -> String {
    match ty {
        TypeRef::Named(name) => name.clone(),
        TypeRef::String | TypeRef::Secret => "String".to_owned(),
        TypeRef::Bool => "Boolean".to_owned(),
        TypeRef::I32 | TypeRef::I64 => "Integer".to_owned(),
        TypeRef::F32 | TypeRef::F64 => "Number".to_owned(),
        TypeRef::Json => "Value".to_owned(),
        TypeRef::Upload => "File".to_owned(),
        TypeRef::Vec(inner) => format!("{}List", variant_name(inner)),
        TypeRef::Map(inner) => format!("{}Map", variant_name(inner)),
        TypeRef::Option(inner) | TypeRef::Boxed(inner) => variant_name(inner),
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

/// Property names that hold credentials: `*_token`, `*_secret`, `password`, `api_key`, ...
pub fn is_secret_name(wire_name: &str) -> bool {
    let snake = naming::snake(wire_name, "field");
    let last = snake.rsplit('_').next().unwrap_or_default();
    matches!(last, "token" | "secret" | "password" | "passwd")
        || matches!(snake.as_str(), "api_key" | "apikey" | "private_key" | "secret_key")
}

//! What the settings change in the IR once it is built: types replaced by Rust types of the
//! user's choice (`ir::replace`), extra derives and attributes (`ir::derives`), and renames
//! (`ir::rename`). Every key names a type, field, variant or operation as the
//! generator names it without these settings (a type also by its schema's name), and one that
//! matches nothing is an error that suggests the nearest name.

use std::collections::BTreeMap;

/// The settings' changes to the IR, in the order they are applied.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Customizations {
    /// `replace`: a type (`Money`) or a field (`Invoice.total`) → the Rust type put in its place.
    pub replacements: BTreeMap<String, String>,
    /// `derive`: a type name pattern (`*`, `Account*`) → traits every type it matches derives,
    /// and so every type those hold.
    pub derives: Vec<(String, Vec<String>)>,
    /// `attributes`: a type name pattern → attributes (`#[non_exhaustive]`) on the types it
    /// matches.
    pub attributes: Vec<(String, Vec<String>)>,
    /// `rename`.
    pub renames: Renames,
}

impl Customizations {
    /// Whether it changes nothing.
    pub fn is_empty(&self) -> bool {
        *self == Customizations::default()
    }

    /// The type names the settings' keys name exactly (patterns with `*` name none), which the
    /// merging of identical types leaves alone so that each key still finds its type.
    pub(crate) fn named_types(&self) -> std::collections::BTreeSet<String> {
        let whole = self.replacements.keys().chain(self.renames.types.keys());
        let members = self.renames.fields.keys().chain(self.renames.variants.keys());
        let patterns = self.derives.iter().chain(&self.attributes).map(|(pattern, _)| pattern);
        whole
            .chain(patterns.filter(|pattern| !pattern.contains('*')))
            .map(|key| split_member(key).map_or(key.as_str(), |(ty, _)| ty).to_owned())
            .chain(members.filter_map(|key| split_member(key)).map(|(ty, _)| ty.to_owned()))
            .collect()
    }
}

/// New Rust names, by the generator's own.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Renames {
    /// `operationId` (or method name) → method name; the parameters struct and the error and
    /// response enums named after the operation follow it.
    pub operations: BTreeMap<String, String>,
    /// Type (or schema) name → type name.
    pub types: BTreeMap<String, String>,
    /// `Type.field` (the field by its Rust or JSON name; a parameters struct's too) → field name.
    pub fields: BTreeMap<String, String>,
    /// `Type.Variant` (the variant by its Rust name or its value) → variant name.
    pub variants: BTreeMap<String, String>,
}

/// The `Type` and `member` of a `Type.member` key.
pub(crate) fn split_member(key: &str) -> Option<(&str, &str)> {
    key.split_once('.').filter(|(ty, member)| !ty.is_empty() && !member.is_empty())
}

/// The position in `api.types` of the type `key` names: by its Rust name, or by the name of its
/// schema under `components/schemas`. `what` is the setting, for the message when there is none.
pub(crate) fn find_type(api: &super::Api, key: &str, what: &str) -> Result<usize, crate::diagnostics::Error> {
    let schema_pointer = format!("#/components/schemas/{key}");
    api.id_named(key)
        .map(super::TypeId::index)
        .or_else(|| api.types.iter().position(|def| def.pointer.as_str() == schema_pointer))
        .ok_or_else(|| no_such(what, "type", key, api.types.iter().map(|def| def.name.as_str())))
}

/// The error for a key that names nothing, with the nearest of `known`.
pub(crate) fn no_such<'k>(
    what: &str,
    kind: &str,
    key: &str,
    known: impl Iterator<Item = &'k str>,
) -> crate::diagnostics::Error {
    // A member (`Type.field`) is compared with the members' names.
    let given = super::customize::split_member(key).filter(|_| kind != "type" && !kind.contains("pattern"));
    let given = given.map_or(key, |(_, member)| member);
    let hint =
        crate::diagnostics::nearest(given, known).map(|name| format!("; did you mean `{name}`?")).unwrap_or_default();
    crate::diagnostics::Error::general(format!(
        "settings: {what} names {kind} `{key}`, which the API does not have{hint}"
    ))
}

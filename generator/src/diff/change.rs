//! The vocabulary of a comparison: what a change does on the wire ([`Wire`]) and to the Rust
//! API ([`Semver`]), the kinds of change ([`ChangeKind`]) with the impact each usually has, and one
//! [`Change`].

use std::fmt;

use serde::{Serialize, Serializer};

/// What a change does to existing callers of the HTTP API.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Wire {
    /// Nothing a caller sends or receives changes (docs, Rust names, schema names).
    None,
    /// Existing callers keep working.
    Compatible,
    /// Existing callers may break (oasdiff's warnings: an optional response field removed, a
    /// new value of a received enum).
    Warning,
    /// Existing callers break (oasdiff's errors).
    Breaking,
}

/// What a change does to code that uses the generated crate, as a semver bump.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Semver {
    /// Docs only.
    Patch,
    /// Additions.
    Minor,
    /// Code that compiled may not compile.
    Major,
}

/// The kinds of change, each with the name the reports, the JSON output and the tests use.
macro_rules! change_kinds {
    ($( $(#[doc = $doc:literal])* $kind:ident => $class:literal, )*) => {
        /// The kind of a change (`field-removed`).
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum ChangeKind {
            $( $(#[doc = $doc])* $kind, )*
        }

        impl ChangeKind {
            /// Every kind.
            pub const ALL: &[ChangeKind] = &[ $( ChangeKind::$kind, )* ];

            /// Its name (`field-removed`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $( ChangeKind::$kind => $class, )*
                }
            }
        }
    };
}

change_kinds! {
    // The API as a whole.
    /// The default server's URL changed.
    ServerChanged => "server-changed",
    /// A security scheme, and the builder method that takes its credentials, is gone.
    SecuritySchemeRemoved => "security-scheme-removed",
    /// A new security scheme, with a builder method of its own.
    SecuritySchemeAdded => "security-scheme-added",
    // Operations.
    /// An operation (and its method) is gone.
    OperationRemoved => "operation-removed",
    /// A new operation, with a method of its own.
    OperationAdded => "operation-added",
    /// An operation's `operationId` changed, and so may the names of its methods and types.
    OperationIdChanged => "operation-id-changed",
    /// An operation moved to another method or path.
    OperationPathChanged => "operation-path-changed",
    /// One of an operation's methods (one per request media type) is gone.
    MethodRemoved => "method-removed",
    /// An operation has a new method (a new request media type).
    MethodAdded => "method-added",
    /// An operation is sent to another server.
    OperationServerChanged => "operation-server-changed",
    /// An operation accepts fewer ways of authenticating, or needs credentials it did not.
    OperationSecurityChanged => "operation-security-changed",
    /// An operation accepts more ways of authenticating, or none.
    OperationSecurityRelaxed => "operation-security-relaxed",
    /// An operation is deprecated.
    OperationDeprecated => "operation-deprecated",
    /// An operation's summary or description changed.
    OperationDocsChanged => "operation-docs-changed",
    // Parameters.
    /// A parameter is gone.
    ParameterRemoved => "parameter-removed",
    /// A new required parameter.
    RequiredParameterAdded => "required-parameter-added",
    /// A new optional parameter.
    OptionalParameterAdded => "optional-parameter-added",
    /// A parameter's type changed.
    ParameterTypeChanged => "parameter-type-changed",
    /// A parameter became required.
    ParameterBecameRequired => "parameter-became-required",
    /// A parameter became optional.
    ParameterBecameOptional => "parameter-became-optional",
    /// A parameter's Rust field has another name.
    ParameterFieldRenamed => "parameter-field-renamed",
    /// A parameter's default changed.
    ParameterDefaultChanged => "parameter-default-changed",
    /// A parameter is deprecated.
    ParameterDeprecated => "parameter-deprecated",
    /// A parameter's description changed.
    ParameterDocsChanged => "parameter-docs-changed",
    // Request bodies.
    /// A request media type (and its method) is gone.
    RequestMediaTypeRemoved => "request-media-type-removed",
    /// A new request media type.
    RequestMediaTypeAdded => "request-media-type-added",
    /// A request body's type changed.
    RequestBodyTypeChanged => "request-body-type-changed",
    /// A request body became required.
    RequestBodyBecameRequired => "request-body-became-required",
    /// A request body became optional.
    RequestBodyBecameOptional => "request-body-became-optional",
    // Responses.
    /// A success status is no longer documented.
    SuccessStatusRemoved => "success-status-removed",
    /// A new success status.
    SuccessStatusAdded => "success-status-added",
    /// An error status is no longer documented.
    ErrorStatusRemoved => "error-status-removed",
    /// A new error status.
    ErrorStatusAdded => "error-status-added",
    /// A response media type is gone.
    ResponseMediaTypeRemoved => "response-media-type-removed",
    /// A new response media type.
    ResponseMediaTypeAdded => "response-media-type-added",
    /// What an operation returns changed.
    ResponseTypeChanged => "response-type-changed",
    /// The type of an operation's error bodies changed.
    ErrorTypeChanged => "error-type-changed",
    // Event callbacks.
    /// The API no longer sends an event.
    WebhookRemoved => "webhook-removed",
    /// The API sends a new event.
    WebhookAdded => "webhook-added",
    /// An event's payload type changed.
    WebhookPayloadChanged => "webhook-payload-changed",
    /// An event comes in another media type.
    WebhookMediaTypeChanged => "webhook-media-type-changed",
    /// An event's parse and verify functions have other names.
    WebhookFunctionRenamed => "webhook-function-renamed",
    // Types.
    /// A type has another name.
    TypeRenamed => "type-renamed",
    /// A type is gone.
    TypeRemoved => "type-removed",
    /// A new type.
    TypeAdded => "type-added",
    /// A type became another kind of type (a struct became an enum).
    TypeKindChanged => "type-kind-changed",
    /// A type's description changed.
    TypeDocsChanged => "type-docs-changed",
    /// What a type alias stands for changed.
    AliasChanged => "alias-changed",
    /// A value of a string enum is gone.
    EnumValueRemoved => "enum-value-removed",
    /// A new value of a string enum.
    EnumValueAdded => "enum-value-added",
    /// A variant of a union is gone.
    UnionVariantRemoved => "union-variant-removed",
    /// A new variant of a union.
    UnionVariantAdded => "union-variant-added",
    // Fields.
    /// A field's JSON name changed.
    FieldRenamed => "field-renamed",
    /// A field is gone.
    FieldRemoved => "field-removed",
    /// A new field that `new` takes (required, not nullable, no default).
    RequiredFieldAdded => "required-field-added",
    /// A new field that `new` leaves unset.
    OptionalFieldAdded => "optional-field-added",
    /// A field's type changed.
    FieldTypeChanged => "field-type-changed",
    /// A field's Rust name changed.
    FieldRustNameChanged => "field-rust-name-changed",
    /// A field became required.
    FieldBecameRequired => "field-became-required",
    /// A field became optional.
    FieldBecameOptional => "field-became-optional",
    /// A field may now be null.
    FieldBecameNullable => "field-became-nullable",
    /// A field may no longer be null.
    FieldBecameNotNullable => "field-became-not-nullable",
    /// A field's default changed.
    FieldDefaultChanged => "field-default-changed",
    /// A field is deprecated.
    FieldDeprecated => "field-deprecated",
    /// A field's description changed.
    FieldDocsChanged => "field-docs-changed",
}

impl ChangeKind {
    /// What a change of this kind does on the wire and to the Rust API, as the rules (oasdiff's
    /// for the wire) have it. Where the wire impact depends on the change (which way a field
    /// travels, what a type became) or the semver bump does (an operationId whose methods keep
    /// their names), the comparison gives it with [`Change::wire`] or [`Change::semver`].
    pub fn impact(self) -> (Wire, Semver) {
        match self {
            Self::ServerChanged => (Wire::Breaking, Semver::Patch),
            Self::SecuritySchemeRemoved => (Wire::Breaking, Semver::Major),
            Self::SecuritySchemeAdded => (Wire::Compatible, Semver::Minor),
            Self::OperationRemoved => (Wire::Breaking, Semver::Major),
            Self::OperationAdded => (Wire::Compatible, Semver::Minor),
            Self::WebhookRemoved => (Wire::Warning, Semver::Major),
            Self::WebhookAdded => (Wire::Compatible, Semver::Minor),
            Self::WebhookPayloadChanged => (Wire::Breaking, Semver::Major),
            Self::WebhookMediaTypeChanged => (Wire::Breaking, Semver::Patch),
            Self::WebhookFunctionRenamed => (Wire::None, Semver::Major),
            Self::OperationIdChanged => (Wire::None, Semver::Major),
            Self::OperationPathChanged => (Wire::Breaking, Semver::Patch),
            Self::MethodRemoved => (Wire::None, Semver::Major),
            Self::MethodAdded => (Wire::None, Semver::Minor),
            Self::OperationServerChanged => (Wire::Breaking, Semver::Patch),
            Self::OperationDeprecated => (Wire::None, Semver::Minor),
            Self::OperationDocsChanged => (Wire::None, Semver::Patch),
            Self::ParameterRemoved => (Wire::Warning, Semver::Major),
            Self::RequiredParameterAdded => (Wire::Breaking, Semver::Major),
            Self::OptionalParameterAdded => (Wire::Compatible, Semver::Minor),
            Self::ParameterTypeChanged => (Wire::Breaking, Semver::Major),
            Self::ParameterBecameRequired => (Wire::Breaking, Semver::Major),
            Self::ParameterBecameOptional => (Wire::Compatible, Semver::Major),
            Self::ParameterFieldRenamed => (Wire::None, Semver::Major),
            Self::ParameterDefaultChanged => (Wire::Warning, Semver::Patch),
            Self::ParameterDeprecated => (Wire::None, Semver::Minor),
            Self::ParameterDocsChanged => (Wire::None, Semver::Patch),
            Self::RequestMediaTypeRemoved => (Wire::Breaking, Semver::Major),
            Self::RequestBodyTypeChanged => (Wire::Breaking, Semver::Major),
            Self::RequestBodyBecameRequired => (Wire::Breaking, Semver::Major),
            Self::RequestBodyBecameOptional => (Wire::Compatible, Semver::Major),
            Self::RequestMediaTypeAdded => (Wire::Breaking, Semver::Major),
            Self::SuccessStatusRemoved => (Wire::Breaking, Semver::Patch),
            Self::ErrorStatusRemoved => (Wire::Compatible, Semver::Patch),
            Self::ResponseMediaTypeRemoved => (Wire::Breaking, Semver::Patch),
            Self::ResponseMediaTypeAdded => (Wire::Compatible, Semver::Patch),
            Self::ResponseTypeChanged => (Wire::Breaking, Semver::Major),
            Self::ErrorTypeChanged => (Wire::Warning, Semver::Major),
            Self::TypeRenamed => (Wire::None, Semver::Major),
            Self::TypeRemoved => (Wire::None, Semver::Major),
            Self::TypeAdded => (Wire::None, Semver::Minor),
            Self::TypeKindChanged => (Wire::Breaking, Semver::Major),
            Self::TypeDocsChanged => (Wire::None, Semver::Patch),
            Self::AliasChanged => (Wire::Breaking, Semver::Major),
            Self::EnumValueRemoved => (Wire::Breaking, Semver::Major),
            Self::EnumValueAdded => (Wire::Breaking, Semver::Minor),
            Self::UnionVariantRemoved => (Wire::Breaking, Semver::Major),
            Self::UnionVariantAdded => (Wire::Breaking, Semver::Major),
            Self::FieldRenamed => (Wire::Breaking, Semver::Major),
            Self::FieldRemoved => (Wire::Breaking, Semver::Major),
            Self::FieldTypeChanged => (Wire::Breaking, Semver::Major),
            Self::FieldRustNameChanged => (Wire::None, Semver::Major),
            Self::FieldDefaultChanged => (Wire::Breaking, Semver::Patch),
            Self::FieldDeprecated => (Wire::None, Semver::Minor),
            Self::FieldDocsChanged => (Wire::None, Semver::Patch),
            Self::OperationSecurityChanged => (Wire::Breaking, Semver::Patch),
            Self::OperationSecurityRelaxed => (Wire::Compatible, Semver::Patch),
            Self::SuccessStatusAdded => (Wire::Compatible, Semver::Patch),
            Self::ErrorStatusAdded => (Wire::Compatible, Semver::Patch),
            Self::RequiredFieldAdded => (Wire::Breaking, Semver::Major),
            Self::OptionalFieldAdded => (Wire::Breaking, Semver::Minor),
            Self::FieldBecameRequired => (Wire::Breaking, Semver::Major),
            Self::FieldBecameOptional => (Wire::Breaking, Semver::Major),
            Self::FieldBecameNullable => (Wire::Breaking, Semver::Major),
            Self::FieldBecameNotNullable => (Wire::Breaking, Semver::Major),
        }
    }
}

impl fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for ChangeKind {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One change.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The kind of change (`field-removed`); `class` in the JSON output.
    pub class: ChangeKind,
    /// Where it is in the new description (the old one's for what was removed).
    pub pointer: String,
    /// The Rust item it affects (`models::Pet::name`, `Client::list_pets`).
    pub rust_item: String,
    /// What changed, in words.
    pub message: String,
    /// For the wire.
    pub wire: Wire,
    /// For the Rust API.
    pub semver: Semver,
    /// Why the generated types make it safe, or what to watch for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Change {
    /// A change of `class` at `pointer` to `rust_item`, with the impact its kind has.
    pub fn new(
        class: ChangeKind,
        pointer: impl Into<String>,
        rust_item: impl Into<String>,
        message: impl Into<String>,
    ) -> Change {
        let (wire, semver) = class.impact();
        Change {
            class,
            pointer: pointer.into(),
            rust_item: rust_item.into(),
            message: message.into(),
            wire,
            semver,
            note: None,
        }
    }

    /// The change with the wire impact that this one has.
    pub fn wire(mut self, wire: Wire) -> Change {
        self.wire = wire;
        self
    }

    /// The change with the semver bump that this one needs.
    pub fn semver(mut self, semver: Semver) -> Change {
        self.semver = semver;
        self
    }

    /// The change with a note on why it is safe or what to watch for.
    pub fn note<'a>(mut self, note: impl Into<Option<&'a str>>) -> Change {
        self.note = note.into().map(str::to_owned);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_has_its_own_lowercase_hyphenated_name() {
        let names: std::collections::BTreeSet<&str> = ChangeKind::ALL.iter().map(|kind| kind.as_str()).collect();
        assert_eq!(names.len(), ChangeKind::ALL.len());
        for name in names {
            assert!(
                name.split('-').all(|word| !word.is_empty() && word.chars().all(|c| c.is_ascii_lowercase())),
                "{name}"
            );
        }
        assert_eq!(serde_json::to_string(&ChangeKind::FieldRemoved).unwrap(), "\"field-removed\"");
    }
}

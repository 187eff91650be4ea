//! The intermediate representation: every type and operation of the API with its final Rust name,
//! independent of how the document was written. The emitter reads only this.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::type_ids::TypeId;
pub use crate::diagnostics::Pointer;

/// The whole API, ready to emit.
#[derive(Debug, Clone, Serialize)]
pub struct Api {
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// The document-level server every operation without its own uses.
    pub default_server: Server,
    /// Servers that some operations use instead of the default, in order of first use.
    pub extra_servers: Vec<Server>,
    /// Authentication methods, in the order of `components.securitySchemes`.
    pub security_schemes: Vec<SecurityScheme>,
    /// Named response headers, for typed access to them.
    pub response_headers: Vec<HeaderName>,
    /// Every named type, sorted by name.
    pub types: Vec<TypeDef>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// The OAuth 2.0 authorization code flow, when a security scheme describes one.
    pub oauth: Option<OAuthFlow>,
    /// The OAuth 2.0 device authorization flow (RFC 8628), when a security scheme describes one.
    pub device_flow: Option<DeviceFlow>,
    /// Event callbacks the API sends (`webhooks`, or `x-webhooks` in 3.0 documents).
    pub webhooks: Vec<Webhook>,
    /// The documented response header that says when a rate limit resets, for retries.
    pub rate_limit_reset_header: Option<String>,
    /// The request header an operation documents for idempotency keys (`Idempotency-Key`).
    pub idempotency_header: Option<String>,
    /// The document's examples with the types they must decode into.
    pub examples: Vec<Example>,
    /// The document's `tags` with their descriptions, then tags operations use that it does not
    /// declare, in the order they are first used.
    pub tags: Vec<Tag>,
    /// The identical inline schemas that became one type, for the notes that say so.
    pub merged_types: Vec<super::merge::MergedTypes>,
}

impl Api {
    /// Calls `visit` on every type reference of the API, at its top level (a caller that looks
    /// inside `Vec`s and `Option`s recurses itself): in its types, parameters, request bodies,
    /// success and error bodies, page items, webhooks and examples. What [`Api::type_refs`]
    /// reads, and the page items and examples besides.
    pub fn visit_type_refs_mut(&mut self, visit: &mut dyn FnMut(&mut TypeRef)) {
        for def in &mut self.types {
            match &mut def.kind {
                TypeKind::Struct(body) => {
                    body.fields.iter_mut().for_each(|field| visit(&mut field.ty));
                    body.additional_properties.iter_mut().for_each(&mut *visit);
                }
                TypeKind::Union(union) => union.variants.iter_mut().for_each(|variant| visit(&mut variant.ty)),
                TypeKind::Alias(ty) => visit(ty),
                TypeKind::Enum(_) => {}
            }
        }
        for op in &mut self.operations {
            op.params.iter_mut().flat_map(|p| &mut p.params).for_each(|param| visit(&mut param.ty));
            op.methods.iter_mut().filter_map(|m| m.body.as_mut()).for_each(|body| visit(&mut body.ty));
            match &mut op.success {
                ResponseBody::Json(ty) => visit(ty),
                ResponseBody::Stream(stream) => {
                    visit(&mut stream.item);
                    stream.events.iter_mut().flat_map(|events| &mut events.variants).for_each(|v| visit(&mut v.data));
                }
                ResponseBody::ByStatus(by_status) => {
                    by_status.cases.iter_mut().filter_map(|c| c.ty.as_mut()).for_each(&mut *visit)
                }
                _ => {}
            }
            visit(&mut op.error_type);
            if let Some(error_enum) = &mut op.error_enum {
                error_enum.cases.iter_mut().filter_map(|c| c.ty.as_mut()).for_each(&mut *visit);
            }
            if let Some(pagination) = &mut op.pagination {
                visit(&mut pagination.item_type);
            }
        }
        self.webhooks.iter_mut().for_each(|webhook| visit(&mut webhook.payload));
        self.examples.iter_mut().for_each(|example| visit(&mut example.ty));
    }

    /// Every type reference in the API: in its types, parameters, bodies, responses and webhooks.
    pub fn type_refs(&self) -> impl Iterator<Item = &TypeRef> {
        let in_types = self.types.iter().flat_map(|def| def.kind.type_refs());
        let in_operations = self.operations.iter().flat_map(|op| {
            let params = op.params.iter().flat_map(|p| &p.params).map(|param| &param.ty);
            let bodies = op.methods.iter().filter_map(|m| m.body.as_ref()).map(|body| &body.ty);
            let success = op.success_body_types();
            params.chain(bodies).chain(success).chain(op.error_body_types())
        });
        in_types.chain(in_operations).chain(self.webhooks.iter().map(|webhook| &webhook.payload))
    }
}

/// One example of a body, with the type it is an example of.
#[derive(Debug, Clone, Serialize)]
pub struct Example {
    /// The name of the generated test.
    pub test_name: String,
    /// Where it is in the document.
    pub pointer: Pointer,
    /// The type it must decode into and encode back from.
    pub ty: TypeRef,
    /// The example.
    pub value: Value,
}

/// An `authorizationCode` flow of an `oauth2` security scheme.
#[derive(Debug, Clone, Serialize)]
pub struct OAuthFlow {
    /// The security scheme's name.
    pub scheme: String,
    /// `authorizationUrl`.
    pub authorization_url: String,
    /// `tokenUrl`, absolute.
    pub token_url: String,
    /// `refreshUrl`, absolute, when it differs from the token URL.
    pub refresh_url: Option<String>,
    /// `scopes`, in document order.
    pub scopes: Vec<OAuthScope>,
    /// How an authorization code is exchanged for tokens.
    pub exchange: TokenCall,
    /// How tokens are refreshed.
    pub refresh: TokenCall,
    /// Whether the flow's scheme is the description's only `oauth2` scheme, whose token-provider
    /// methods are then named for OAuth 2 (`oauth2_token_provider`) rather than for the scheme.
    pub only_oauth2_scheme: bool,
}

/// A `deviceAuthorization` flow of an `oauth2` security scheme (OpenAPI 3.2, RFC 8628).
#[derive(Debug, Clone, Serialize)]
pub struct DeviceFlow {
    /// The security scheme's name.
    pub scheme: String,
    /// `deviceAuthorizationUrl`, absolute.
    pub device_authorization_url: String,
    /// `tokenUrl`, absolute.
    pub token_url: String,
    /// `scopes`, in document order.
    pub scopes: Vec<OAuthScope>,
    /// The device authorization request: always a standard form request.
    pub device_authorization: TokenCall,
    /// The device access token request: always a standard form request.
    pub token: TokenCall,
}

/// One scope of an OAuth flow.
#[derive(Debug, Clone, Serialize)]
pub struct OAuthScope {
    /// The constant's name.
    pub const_name: String,
    /// The scope as sent.
    pub value: String,
    /// What it grants.
    pub description: Option<String>,
}

/// How a token request is sent.
#[derive(Debug, Clone, Serialize)]
pub enum TokenCall {
    /// Through a generated operation method whose body type is made of RFC 6749 parameters.
    Operation {
        /// The operation's `operationId`.
        operation_id: String,
        /// The method to call.
        method: String,
        /// The body type.
        body_type: TypeId,
        /// The wire names of the body's properties the request fills.
        fields: Vec<String>,
        /// Whether the body is required; an optional one is passed as `Some(&body)`.
        body_required: bool,
    },
    /// A standard `application/x-www-form-urlencoded` POST to this URL.
    Standard {
        /// The token endpoint.
        url: String,
        /// The URL of the client's server it is on (a server of the description, or its own
        /// origin added to them), so that the builder's server overrides move it too.
        server: String,
        /// Its path on that server.
        path: String,
        /// Its literal query, if any (`refresh` in `/oauth/token?refresh`).
        query: Option<String>,
    },
}

/// An event callback the API sends to your server.
#[derive(Debug, Clone, Serialize)]
pub struct Webhook {
    /// Its name under `webhooks`.
    pub name: String,
    /// Where it is in the document.
    pub pointer: Pointer,
    /// The Rust name of the function that checks and decodes it (without `verify_`/`parse_`).
    pub fn_name: String,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// The payload's type.
    pub payload: TypeRef,
    /// The form field that carries the JSON payload, when it comes as a form.
    pub payload_field: Option<String>,
    /// The media type it is posted with.
    pub content_type: String,
    /// How it is signed (`x-webhook-signature`).
    pub signature: Option<WebhookSignature>,
    /// The text body your server must answer with, when the document gives one.
    pub acknowledgement: Option<String>,
}

/// An HMAC-SHA256 signature over some of the payload's fields.
#[derive(Debug, Clone, Serialize)]
pub struct WebhookSignature {
    /// JSON pointers of the fields whose texts, concatenated, are signed.
    pub message: Vec<String>,
    /// JSON pointer of the signature.
    pub signature: String,
    /// `hex` or `base64`.
    pub encoding: String,
    /// What the key is.
    pub key_description: Option<String>,
}

/// A server URL, with its variables already replaced by their defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Server {
    /// The constant that names the server in the generated `servers` module.
    pub const_name: String,
    /// The URL.
    pub url: String,
    /// `description`.
    pub description: Option<String>,
}

/// How a security scheme puts its credential on a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum AuthKind {
    /// `Authorization: Basic base64(user:password)`.
    Basic,
    /// `Authorization: Bearer token` (http bearer, oauth2, openIdConnect).
    Bearer,
    /// An API key in a header.
    ApiKeyHeader(String),
    /// An API key in the query string.
    ApiKeyQuery(String),
    /// An API key in a cookie.
    ApiKeyCookie(String),
}

/// One entry of `components.securitySchemes`.
#[derive(Debug, Clone, Serialize)]
pub struct SecurityScheme {
    /// The scheme's name in the document, also its key at run time.
    pub name: String,
    /// The builder method that sets its credential.
    pub setter: String,
    /// How the credential is sent.
    pub kind: AuthKind,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated` (OpenAPI 3.2).
    pub deprecated: bool,
    /// Where its authorization server publishes what it is: an `oauth2` scheme's
    /// `oauth2MetadataUrl` (OpenAPI 3.2) or an `openIdConnect` scheme's `openIdConnectUrl`.
    pub metadata: Option<SchemeMetadata>,
}

/// The metadata document of a security scheme's authorization server: RFC 8414 authorization
/// server metadata, or an OpenID Connect discovery document (a superset of it).
#[derive(Debug, Clone, Serialize)]
pub struct SchemeMetadata {
    /// The document's URL, absolute.
    pub url: String,
    /// Whether it is an OpenID Connect discovery document (`openIdConnectUrl`).
    pub openid_connect: bool,
    /// The client method that fetches it.
    pub method: String,
    /// The `GET` request, on one of the client's servers.
    pub call: TokenCall,
}

/// A response header declared in the document.
#[derive(Debug, Clone, Serialize)]
pub struct HeaderName {
    /// The constant's name.
    pub const_name: String,
    /// The header as written in the document.
    pub wire_name: String,
    /// `description`.
    pub description: Option<String>,
}

/// A Rust type as used in a field, parameter or body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum TypeRef {
    /// `String`.
    String,
    /// `bool`.
    Bool,
    /// `i32`.
    I32,
    /// `i64`.
    I64,
    /// `f32`.
    F32,
    /// `f64`.
    F64,
    /// `serde_json::Value`: any JSON, and what the generator cannot express yet.
    Json,
    /// A file to upload (`format: binary`).
    Upload,
    /// A string that must not be printed: tokens, secrets, passwords.
    Secret,
    /// A type defined in `models`, by its id (its place in [`Api::types`]).
    Named(TypeId),
    /// A type generated beside another item rather than in [`Api::types`], by its name: an
    /// operation's enum of error statuses or of named events (named in its `StatusEnum` or
    /// `EventEnum`), a struct's struct of required fields.
    Companion(String),
    /// `Vec<T>`.
    Vec(Box<TypeRef>),
    /// `BTreeMap<String, T>`.
    Map(Box<TypeRef>),
    /// `Option<T>`.
    Option(Box<TypeRef>),
    /// `Box<T>`, to break a recursive type.
    Boxed(Box<TypeRef>),
    /// A type from outside the crate, for a `format`: `chrono::DateTime<chrono::Utc>`, `u64`.
    Extern(super::formats::ExternType),
}

impl TypeRef {
    /// The type inside every `Vec`, map, `Option` and `Box` of this one (`Pet` in
    /// `Option<Vec<Pet>>`): each of those holds exactly one type.
    pub fn innermost(&self) -> &TypeRef {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                inner.innermost()
            }
            other => other,
        }
    }

    /// [`TypeRef::innermost`], to change it.
    pub fn innermost_mut(&mut self) -> &mut TypeRef {
        match self {
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                inner.innermost_mut()
            }
            other => other,
        }
    }

    /// Whether this type, or something inside it, is a file upload.
    pub fn contains_upload(&self) -> bool {
        matches!(self.innermost(), TypeRef::Upload)
    }

    /// Whether its values are JSON objects: a map, or a struct (through aliases; alias cycles
    /// are broken before anything asks). `types` is indexed by [`TypeId`].
    pub fn is_object(&self, types: &[TypeDef]) -> bool {
        match self {
            TypeRef::Map(_) => true,
            TypeRef::Option(inner) | TypeRef::Boxed(inner) => inner.is_object(types),
            TypeRef::Named(id) => match types.get(id.index()).map(|def| &def.kind) {
                Some(TypeKind::Struct(_)) => true,
                Some(TypeKind::Alias(target)) => target.is_object(types),
                _ => false,
            },
            _ => false,
        }
    }

    /// The type as the generated crate spells it (`Option<Vec<Pet>>`, `Upload`,
    /// `BTreeMap<String, serde_json::Value>`), its named types by their names in `types`: the
    /// one printer of types, which the emitted code, the API summary and the tools that write
    /// code against a generated crate share.
    pub fn rust<'a>(&'a self, types: &'a [TypeDef]) -> RustType<'a> {
        RustType { ty: self, types, outside: None }
    }

    /// The type as code outside the generated crate `crate_path` spells it, with the crate's
    /// models in scope: what the crate re-exports (`Upload`, `SecretString`, the crates of its
    /// format types) and its own paths (`crate::`) are named through it.
    pub fn rust_outside<'a>(&'a self, types: &'a [TypeDef], crate_path: &'a str) -> RustType<'a> {
        RustType { ty: self, types, outside: Some(crate_path) }
    }
}

/// A [`TypeRef`] printed as Rust source ([`TypeRef::rust`]).
#[derive(Debug, Clone, Copy)]
pub struct RustType<'a> {
    ty: &'a TypeRef,
    /// The API's types, by id.
    types: &'a [TypeDef],
    /// The generated crate's path, for code outside it.
    outside: Option<&'a str>,
}

impl fmt::Display for RustType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let wrapped = |ty| RustType { ty, types: self.types, outside: self.outside };
        let reexported = |f: &mut fmt::Formatter<'_>, name: &str| match self.outside {
            Some(crate_path) => write!(f, "{crate_path}::{name}"),
            None => f.write_str(name),
        };
        match self.ty {
            TypeRef::String => f.write_str("String"),
            TypeRef::Bool => f.write_str("bool"),
            TypeRef::I32 => f.write_str("i32"),
            TypeRef::I64 => f.write_str("i64"),
            TypeRef::F32 => f.write_str("f32"),
            TypeRef::F64 => f.write_str("f64"),
            TypeRef::Json => f.write_str("serde_json::Value"),
            TypeRef::Upload => reexported(f, "Upload"),
            TypeRef::Secret => reexported(f, "SecretString"),
            TypeRef::Named(id) => f.write_str(&self.types[id.index()].name),
            TypeRef::Companion(name) => f.write_str(name),
            TypeRef::Vec(inner) => write!(f, "Vec<{}>", wrapped(inner)),
            TypeRef::Map(inner) => write!(f, "BTreeMap<String, {}>", wrapped(inner)),
            TypeRef::Option(inner) => write!(f, "Option<{}>", wrapped(inner)),
            TypeRef::Boxed(inner) => write!(f, "Box<{}>", wrapped(inner)),
            TypeRef::Extern(ext) => match (self.outside, &ext.dependency) {
                (None, _) => f.write_str(&ext.rust),
                (Some(crate_path), Some(dependency)) => {
                    let name = dependency.crate_name();
                    f.write_str(&ext.rust.replace(&format!("{name}::"), &format!("{crate_path}::{name}::")))
                }
                (Some(crate_path), None) => f.write_str(&ext.rust.replace("crate::", &format!("{crate_path}::"))),
            },
        }
    }
}

/// A named type.
#[derive(Debug, Clone, Serialize)]
pub struct TypeDef {
    /// The Rust name.
    pub name: String,
    /// Where the schema is, for messages and doc comments.
    pub pointer: Pointer,
    /// `description` (or `title`).
    pub description: Option<String>,
    /// What kind of type.
    pub kind: TypeKind,
    /// Which way it crosses the wire, which decides the serde traits it derives.
    pub usage: Usage,
    /// Traits the settings derive on it, besides the generator's own (`Hash`, `Eq`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub derives: Vec<String>,
    /// Attributes the settings put on it (`#[non_exhaustive]`), as Rust text.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<String>,
}

/// Which way a type crosses the wire.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Usage {
    /// It is sent (in a request body or a parameter): it needs `Serialize`.
    pub sent: bool,
    /// It is received (in a response or a webhook): it needs `Deserialize`.
    pub received: bool,
}

/// The shapes a named type can have.
#[derive(Debug, Clone, Serialize)]
pub enum TypeKind {
    /// An object with known properties.
    Struct(Struct),
    /// A string enum that keeps values it does not know.
    Enum(StringEnum),
    /// `oneOf`/`anyOf`: one of several types.
    Union(Union),
    /// A name for another type (`type X = Vec<Y>`).
    Alias(TypeRef),
}

impl TypeKind {
    /// The types this one holds: field, additional property, variant or aliased types.
    pub fn type_refs(&self) -> Vec<&TypeRef> {
        match self {
            TypeKind::Struct(body) => {
                body.fields.iter().map(|f| &f.ty).chain(body.additional_properties.as_ref()).collect()
            }
            TypeKind::Union(union) => union.variants.iter().map(|v| &v.ty).collect(),
            TypeKind::Alias(ty) => vec![ty],
            TypeKind::Enum(_) => Vec::new(),
        }
    }
}

/// The name of the field that holds an object's undeclared properties (its `additionalProperties`).
pub const UNDECLARED_PROPERTIES_FIELD: &str = "additional_properties";

/// An object type.
#[derive(Debug, Clone, Serialize)]
pub struct Struct {
    /// Properties in document order.
    pub fields: Vec<Field>,
    /// The value type of properties not listed, when `additionalProperties` allows them.
    pub additional_properties: Option<TypeRef>,
    /// The struct of required fields that `new` takes, when they are too many or too alike
    /// (three `String`s) to be passed by position without being swapped.
    pub required_fields: Option<String>,
}

/// A property of an object.
#[derive(Debug, Clone, Serialize)]
pub struct Field {
    /// The Rust field name.
    pub name: String,
    /// The JSON property name.
    pub wire_name: String,
    /// The schema's type, before optionality is added.
    pub ty: TypeRef,
    /// Listed in `required`.
    pub required: bool,
    /// May be `null`.
    pub nullable: bool,
    /// Optional and nullable in a type that is only received: absent and `null` both decode as
    /// `None`, so it is an `Option<T>`, not an `Option<Option<T>>` (see `usage`).
    pub null_is_absent: bool,
    /// `default`.
    pub default: Option<Value>,
    /// `description`.
    pub description: Option<String>,
    /// `readOnly`: only in responses.
    pub read_only: bool,
    /// `writeOnly`: only in requests.
    pub write_only: bool,
    /// `deprecated`.
    pub deprecated: bool,
}

impl Field {
    /// The field's full Rust type: `T`, `Option<T>` or `Option<Option<T>>`.
    pub fn rust_type(&self) -> TypeRef {
        match (self.required, self.nullable) {
            (true, false) => self.ty.clone(),
            (true, true) | (false, false) => TypeRef::Option(Box::new(self.ty.clone())),
            (false, true) if self.null_is_absent => TypeRef::Option(Box::new(self.ty.clone())),
            (false, true) => TypeRef::Option(Box::new(TypeRef::Option(Box::new(self.ty.clone())))),
        }
    }

    /// Whether the constructor must take this field (required and without a default).
    pub fn is_constructor_argument(&self) -> bool {
        self.required && !self.nullable && self.default.is_none()
    }
}

/// A string enum.
#[derive(Debug, Clone, Serialize)]
pub struct StringEnum {
    /// Known values.
    pub variants: Vec<EnumVariant>,
    /// The name of the variant that holds unknown values.
    pub unknown_variant: String,
    /// `default`, as the name of its variant.
    pub default_variant: Option<String>,
}

/// One known value of an enum.
#[derive(Debug, Clone, Serialize)]
pub struct EnumVariant {
    /// The Rust variant name.
    pub name: String,
    /// The value on the wire.
    pub wire_value: String,
}

/// A union of types.
#[derive(Debug, Clone, Serialize)]
pub struct Union {
    /// The alternatives.
    pub variants: Vec<UnionVariant>,
    /// The discriminator property, when the union is internally tagged.
    pub tag: Option<String>,
    /// For tagged unions: the variant that keeps, as JSON, a value whose tag is not known, so
    /// that a new kind on the server does not break decoding.
    pub unknown_variant: Option<String>,
    /// For tagged unions with a `defaultMapping` (OpenAPI 3.2): the index of the variant that a
    /// value whose tag is missing or unmapped is decoded as (there is no unknown variant then).
    pub default_variant: Option<usize>,
}

/// One alternative of a union.
#[derive(Debug, Clone, Serialize)]
pub struct UnionVariant {
    /// The Rust variant name.
    pub name: String,
    /// The type it holds.
    pub ty: TypeRef,
    /// The discriminator values that select it (tagged unions only).
    pub tag_values: Vec<String>,
}

/// A tag that groups operations.
#[derive(Debug, Clone, Serialize)]
pub struct Tag {
    /// The tag as the document writes it.
    pub name: String,
    /// Its `description`.
    pub description: Option<String>,
    /// Its `summary` (OpenAPI 3.2): a short title.
    pub summary: Option<String>,
    /// The tag it is nested under (`parent`, OpenAPI 3.2).
    pub parent: Option<String>,
}

/// The HTTP method of an operation: a fixed field of a Path Item Object, 3.2's `query`, or one of
/// 3.2's `additionalOperations` by its name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HttpMethod {
    Get,
    Put,
    Post,
    Delete,
    Options,
    Head,
    Patch,
    Trace,
    /// `QUERY` (safe and idempotent, with a body: the HTTP QUERY method draft).
    Query,
    /// Another method, spelled as the description spells it (an HTTP token).
    Other(String),
}

impl HttpMethod {
    /// The method of a path item's field (`get`, ...).
    pub fn of_field(field: &str) -> Option<HttpMethod> {
        Some(match field {
            "get" => HttpMethod::Get,
            "put" => HttpMethod::Put,
            "post" => HttpMethod::Post,
            "delete" => HttpMethod::Delete,
            "options" => HttpMethod::Options,
            "head" => HttpMethod::Head,
            "patch" => HttpMethod::Patch,
            "trace" => HttpMethod::Trace,
            "query" => HttpMethod::Query,
            _ => return None,
        })
    }

    /// Whether it is one of the methods with a constant of their own in the `http` crate (all
    /// but `QUERY` and the other extension methods).
    pub fn is_standard(&self) -> bool {
        !matches!(self, HttpMethod::Query | HttpMethod::Other(_))
    }

    /// Its name on the wire (`GET`, `QUERY`, `COPY`).
    pub fn as_str(&self) -> &str {
        match self {
            HttpMethod::Get => "GET",
            HttpMethod::Put => "PUT",
            HttpMethod::Post => "POST",
            HttpMethod::Delete => "DELETE",
            HttpMethod::Options => "OPTIONS",
            HttpMethod::Head => "HEAD",
            HttpMethod::Patch => "PATCH",
            HttpMethod::Trace => "TRACE",
            HttpMethod::Query => "QUERY",
            HttpMethod::Other(name) => name,
        }
    }
}

/// Written as its name on the wire (`GET`), as the IR's dumps show it.
impl Serialize for HttpMethod {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl fmt::Display for HttpMethod {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An HTTP operation.
#[derive(Debug, Clone, Serialize)]
pub struct Operation {
    /// `operationId`, or the one the generator made up.
    pub operation_id: String,
    /// Where it is in the document.
    pub pointer: Pointer,
    /// The HTTP method.
    pub http_method: HttpMethod,
    /// The path template as written in the document (including a literal query, if any).
    pub path_template: String,
    /// The path split into literal text and parameters.
    pub path: Vec<PathSegment>,
    /// A literal query string that is part of the path key (`/oauth/token?refresh` → `refresh`).
    pub fixed_query: Option<String>,
    /// `summary`.
    pub summary: Option<String>,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
    /// The constant name of the server this operation is sent to; `None` is the default server.
    pub server: Option<String>,
    /// Alternatives of schemes that authenticate it; empty means it takes no credentials.
    pub security: Vec<Vec<String>>,
    /// The parameters struct, if the operation has parameters.
    pub params: Option<ParamsStruct>,
    /// One method per request media type; a single one when there is no body.
    pub methods: Vec<OperationMethod>,
    /// What a successful response carries.
    pub success: ResponseBody,
    /// How its pages are walked, when it is a listing that comes in pages.
    pub pagination: Option<super::pagination::Pagination>,
    /// The type of error response bodies: the one schema they share, the operation's
    /// [`StatusEnum`] when they differ, or any JSON.
    pub error_type: TypeRef,
    /// The error bodies by status, when their schemas differ.
    pub error_enum: Option<StatusEnum>,
    /// `tags`, as the document lists them.
    pub tags: Vec<String>,
    /// Every documented response: its status (`200`, `4XX`, `default`) and media types, in
    /// the document's order, for the API summary that tells what changed.
    pub documented_responses: Vec<(String, Vec<String>)>,
}

impl Operation {
    /// The types of its success bodies: the one, or the cases of its [`ResponseBody::ByStatus`].
    pub fn success_body_types(&self) -> Vec<&TypeRef> {
        match &self.success {
            ResponseBody::Json(ty) => vec![ty],
            ResponseBody::Stream(stream) => match &stream.events {
                Some(events) => events.variants.iter().map(|variant| &variant.data).collect(),
                None => vec![&stream.item],
            },
            ResponseBody::ByStatus(by_status) => by_status.cases.iter().filter_map(|case| case.ty.as_ref()).collect(),
            _ => Vec::new(),
        }
    }

    /// The types of its error bodies: the cases of its [`StatusEnum`], or its one error type.
    pub fn error_body_types(&self) -> Vec<&TypeRef> {
        match &self.error_enum {
            Some(error_enum) => error_enum.cases.iter().filter_map(|case| case.ty.as_ref()).collect(),
            None => vec![&self.error_type],
        }
    }
}

/// An operation's bodies by status, when they differ: its error bodies, when its error statuses
/// have different schemas, or its success bodies, when its success statuses do. An enum with a
/// variant per documented status.
#[derive(Debug, Clone, Serialize)]
pub struct StatusEnum {
    /// The enum's name.
    pub name: String,
    /// One case per documented status, in the order a status is matched: exact statuses, then
    /// ranges, then `default`.
    pub cases: Vec<StatusCase>,
}

/// One documented status of a [`StatusEnum`].
#[derive(Debug, Clone, Serialize)]
pub struct StatusCase {
    /// The variant's name (`NotFound`, `ClientError`, `Other`).
    pub variant: String,
    /// The statuses it is for.
    pub status: StatusMatch,
    /// The body's type; `None` when the status documents no JSON body.
    pub ty: Option<TypeRef>,
    /// The response's `description`.
    pub description: Option<String>,
}

/// Which statuses a documented response is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StatusMatch {
    /// One status (`404`).
    Code(u16),
    /// A range (`4XX`): the first digit.
    Range(u16),
    /// `default`: every status not documented otherwise.
    Default,
}

/// A piece of a path template.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum PathSegment {
    /// Literal text.
    Literal(String),
    /// A path parameter, by its field name in the parameters struct.
    Param(String),
}

/// The parameters of an operation, as one struct.
#[derive(Debug, Clone, Serialize)]
pub struct ParamsStruct {
    /// The struct's name.
    pub name: String,
    /// The parameters.
    pub params: Vec<Param>,
    /// As [`Struct::required_fields`].
    pub required_fields: Option<String>,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum ParamLocation {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// In a header.
    Header,
    /// In the `Cookie` header.
    Cookie,
    /// The whole query string, the value's JSON percent-encoded (OpenAPI 3.2's `querystring` of
    /// `application/json`).
    QueryString,
}

/// How a parameter or form field value is serialized (OpenAPI `style`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Style {
    /// `form`.
    Form,
    /// `simple`.
    Simple,
    /// `label`.
    Label,
    /// `matrix`.
    Matrix,
    /// `spaceDelimited`.
    SpaceDelimited,
    /// `pipeDelimited`.
    PipeDelimited,
    /// Swagger 2.0's `collectionFormat: tsv` (`x-collection-format: tsv` once converted):
    /// tab-separated.
    TabDelimited,
    /// `deepObject`.
    DeepObject,
}

/// One parameter.
#[derive(Debug, Clone, Serialize)]
pub struct Param {
    /// The field name in the parameters struct.
    pub name: String,
    /// The name on the wire.
    pub wire_name: String,
    /// Where it goes.
    pub location: ParamLocation,
    /// Its type, before optionality.
    pub ty: TypeRef,
    /// `required`.
    pub required: bool,
    /// `default`.
    pub default: Option<Value>,
    /// `style`, defaulted by location.
    pub style: Style,
    /// `explode`, defaulted by style.
    pub explode: bool,
    /// `description`.
    pub description: Option<String>,
    /// `deprecated`.
    pub deprecated: bool,
}

/// One generated method of an operation: the operation sent with one request media type.
#[derive(Debug, Clone, Serialize)]
pub struct OperationMethod {
    /// The method name.
    pub name: String,
    /// The request body, if any.
    pub body: Option<RequestBody>,
}

/// A request body in one media type.
#[derive(Debug, Clone, Serialize)]
pub struct RequestBody {
    /// The media type, as written.
    pub content_type: String,
    /// How the body is encoded.
    pub encoding: BodyEncoding,
    /// The body's type.
    pub ty: TypeRef,
    /// `required`; an optional body is an `Option` argument.
    pub required: bool,
    /// `description`.
    pub description: Option<String>,
}

/// How a request body is put on the wire.
#[derive(Debug, Clone, Serialize)]
pub enum BodyEncoding {
    /// JSON (`application/json` and `+json` types).
    Json,
    /// `application/x-www-form-urlencoded`, with the fields whose media type `encoding` gives a
    /// style or `explode` (the others go as `form`, exploded).
    FormUrlEncoded(Vec<FormField>),
    /// `multipart/form-data`, part by part.
    Multipart(Vec<MultipartField>),
    /// Raw bytes (`application/octet-stream` and anything else).
    Bytes,
    /// Text (`text/*`).
    Text,
    /// A sequence of JSON items sent as they come (JSON Lines, JSON text sequences); the body's
    /// type is one item's.
    Stream(StreamFormat),
}

/// How one property of a form body is written, as its media type's `encoding` says.
#[derive(Debug, Clone, Serialize)]
pub struct FormField {
    /// The name on the wire.
    pub wire_name: String,
    /// The encoding's `style`.
    pub style: Style,
    /// The encoding's `explode`.
    pub explode: bool,
}

/// How one property of a multipart body becomes parts.
#[derive(Debug, Clone, Serialize)]
pub struct MultipartField {
    /// The struct field.
    pub field: String,
    /// The part name on the wire.
    pub wire_name: String,
    /// Whether the field holds files.
    pub is_file: bool,
    /// The encoding's `style` (`form` when absent).
    pub style: Style,
    /// The encoding's `explode`.
    pub explode: bool,
    /// The encoding's `contentType`, if given.
    pub content_type: Option<String>,
}

/// What a response body is decoded into.
#[derive(Debug, Clone, Serialize)]
pub enum ResponseBody {
    /// No body: `()`.
    Empty,
    /// JSON into this type.
    Json(TypeRef),
    /// Text.
    Text,
    /// Raw bytes (files, downloads).
    Bytes,
    /// JSON bodies (or none) that differ by status: the operation's enum of them.
    ByStatus(StatusEnum),
    /// A sequence of items, each decoded as it arrives (server-sent events, JSON Lines).
    Stream(StreamBody),
}

/// A response body that is a sequence of items.
#[derive(Debug, Clone, Serialize)]
pub struct StreamBody {
    /// How the items are framed.
    pub format: StreamFormat,
    /// The media type the description gives (sent as `Accept`).
    pub media_type: String,
    /// One item's type: an event's data for server-sent events (`String` when it is text, not
    /// JSON), a JSON text for the others; the enum of `events` when there is one.
    pub item: TypeRef,
    /// For server-sent events that differ by their `event` name: the operation's enum of them.
    pub events: Option<EventEnum>,
}

/// The events of a stream whose events differ by their `event` name (a `oneOf` with a
/// discriminator on `event`, or of event objects each with its own `event` value): an enum
/// with a variant per name and one for names the client does not know.
#[derive(Debug, Clone, Serialize)]
pub struct EventEnum {
    /// The enum's name.
    pub name: String,
    /// One variant per event name, in the description's order.
    pub variants: Vec<EventVariant>,
    /// The variant of events it does not name: their name and data as they came.
    pub unknown_variant: String,
}

/// One named event of an [`EventEnum`].
#[derive(Debug, Clone, Serialize)]
pub struct EventVariant {
    /// The `event` name on the wire.
    pub event: String,
    /// The variant's name.
    pub name: String,
    /// The type of the event's data (`String`: text as it came, not JSON).
    pub data: TypeRef,
}

/// How the items of a sequential media type are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum StreamFormat {
    /// `text/event-stream`: server-sent events.
    EventStream,
    /// `application/jsonl`, `application/x-ndjson` and their aliases: a JSON text per line.
    JsonLines,
    /// `application/json-seq` (RFC 7464): JSON texts after record separators.
    JsonSequence,
}

impl StreamFormat {
    /// The format of `media_type` (parameters and case aside), when it is sequential.
    pub fn of_media_type(media_type: &str) -> Option<StreamFormat> {
        let essence = media_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
        match essence.as_str() {
            "text/event-stream" => Some(StreamFormat::EventStream),
            "application/jsonl"
            | "application/x-jsonl"
            | "application/jsonlines"
            | "application/x-jsonlines"
            | "application/x-ndjson"
            | "application/ndjson" => Some(StreamFormat::JsonLines),
            "application/json-seq" => Some(StreamFormat::JsonSequence),
            _ => None,
        }
    }
}

//! The HTTP client: configuration, credentials, servers, and sending one request.

// `Error` carries the response's status, headers and body by design, and is made once per call.
#![allow(clippy::result_large_err)]

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::header::{
    ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE, COOKIE, HeaderMap, HeaderName, HeaderValue,
    PROXY_AUTHORIZATION,
};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::call::{CallInfo, CallOptions, Hook, ResponseHead, new_idempotency_key};
use super::download::{ByteStream, Payload};
use super::encode::{self, Style};
use super::error::{BuildError, Error, ErrorBody, RequestError, SendError, SuccessBody, decode_success_body};
use super::future::{Exchange, ResponseFuture};
#[cfg(feature = "multipart")]
use super::multipart::Multipart;
use super::redirect::{Redirect, RedirectPolicy, SentRequest, same_origin};
use super::response::ApiResponse;
use super::retry::{Failure, RetryPolicy};
use super::secret::SecretString;
use super::stream::{
    EncodeItems, EventData, EventStream, JsonFraming, JsonStream, json_event, named_event, text_event,
};
use super::token::TokenProvider;
use super::transport_error::{NoResponse, TransportError};
#[cfg(feature = "multipart")]
use super::upload::FileParts;
use super::upload::{SendBody, Upload};

/// What the runtime needs to know about the API a generated client is for; the generated crate
/// hands it to [`ClientBuilder::new`].
#[derive(Debug)]
pub struct ApiDescription {
    /// The URL of the server operations go to unless they name their own.
    pub default_server: &'static str,
    /// The default `User-Agent`: the generated crate's name and version.
    pub user_agent: &'static str,
    /// The response header that says when a rate limit resets, which retries wait for on a 429.
    pub rate_limit_reset_header: Option<&'static str>,
    /// The request header that carries an idempotency key, when the description documents one
    /// (an `Idempotency-Key` header parameter).
    pub idempotency_header: Option<&'static str>,
    /// Every server URL of the description, which [`ClientBuilder::every_server_url`] moves.
    pub servers: &'static [&'static str],
}

/// What the generated code knows about one operation.
#[doc(hidden)]
pub struct OperationSpec {
    /// `operationId`.
    pub id: &'static str,
    pub method: Method,
    /// The path as the document writes it (`/users/{id}`): what traces show, never the values.
    pub path_template: &'static str,
    /// The default URL of the server the operation goes to.
    pub server: &'static str,
    /// A literal query that is part of the path key (`refresh` in `/oauth/token?refresh`).
    pub fixed_query: Option<&'static str>,
    /// Alternatives of security schemes; empty means the operation takes no credentials.
    pub security: &'static [&'static [&'static str]],
    /// The statuses the description documents, which responses are held to: a status (`200`),
    /// a class (`2` for `2XX`), or `0` for `default`. Empty when nothing is known (any `2xx` is
    /// a success).
    pub statuses: &'static [u16],
}

/// The request method `name`, an extension method (`QUERY`, `COPY`) that the `http` crate has no
/// constant for, for an operation's spec. The generator writes only HTTP tokens here, which are
/// always methods; `GET` stands in for one that is not.
pub fn extension_method(name: &'static str) -> Method {
    Method::from_bytes(name.as_bytes()).unwrap_or(Method::GET)
}

impl OperationSpec {
    /// Whether the operation documents `status`: exactly, by its class, or by `default` (or it
    /// documents nothing, which holds it to nothing).
    pub(crate) fn documents(&self, status: StatusCode) -> bool {
        self.statuses.is_empty() || self.statuses.contains(&0) || self.names(status)
    }

    /// Whether the operation names `status`, exactly or by its class.
    fn names(&self, status: StatusCode) -> bool {
        let code = status.as_u16();
        self.statuses.iter().any(|&documented| documented == code || documented == code / 100)
    }

    /// Whether `status` is a success the operation documents: a `2xx` it names, exactly or by
    /// its class. `default` is a success only for an operation that documents no success of its
    /// own (`responses: {default: ...}`); beside a documented success it describes the errors.
    pub(crate) fn documents_success(&self, status: StatusCode) -> bool {
        let is_success = |documented: &u16| (200..300).contains(documented) || *documented == 2;
        status.is_success() && (!self.statuses.iter().any(is_success) || self.names(status))
    }
}

/// The specs of a client's operations, one line each (`NAME: METHOD "path", id "operationId",
/// statuses [...]`, then what differs from the usual: `server`, the `query` that is part of the
/// path key, the `security` alternatives), each a `pub(crate) const` [`OperationSpec`]; a line
/// may carry attributes (a feature gate). The default server comes first, once.
///
/// ```text
/// default server crate::servers::DEFAULT;
/// PET_GET: GET "/pets/{id}", id "getPet", statuses [200, 404];
/// TOKEN: POST "/oauth/token", id "token", statuses [200], query "refresh", security [["api_key"]];
/// ```
///
/// A table, not a struct literal of nine lines per operation: GitHub's client has 1,100 of them.
#[doc(hidden)]
#[macro_export]
macro_rules! operation_specs {
    (
        default server $default:path;
        $(
            $( #[$attr:meta] )*
            $name:ident: $method:ident $path:literal, id $id:literal, statuses [$( $status:literal ),* $(,)?]
            $( , server $server:path )?
            $( , query $query:literal )?
            $( , security [$( [$( $scheme:literal ),*] ),* $(,)?] )?;
        )*
    ) => {
        $(
            $( #[$attr] )*
            pub(crate) const $name: $crate::OperationSpec = $crate::OperationSpec {
                id: $id,
                method: $crate::reqwest::Method::$method,
                path_template: $path,
                server: $crate::operation_specs!(@server $( $server, )? $default),
                fixed_query: $crate::operation_specs!(@query $( $query )?),
                security: &[$( $( &[$( $scheme ),*] ),* )?],
                statuses: &[$( $status ),*],
            };
        )*
    };
    (@server $server:path $(, $default:path )?) => { $server };
    (@query) => { None };
    (@query $query:literal) => { Some($query) };
}

/// How a configured credential is put on a request.
#[doc(hidden)]
#[derive(Clone)]
pub enum Credential {
    Basic {
        username: SecretString,
        password: SecretString,
    },
    Bearer(SecretString),
    /// A bearer token asked for before every attempt (an OAuth token holder that refreshes).
    BearerProvider(Arc<dyn TokenProvider>),
    /// A fixed `Authorization` value, made once when the client is built from `Basic` or
    /// `Bearer` (marked sensitive, so `Debug` of the header map hides it).
    Authorization(HeaderValue),
    ApiKeyHeader {
        name: &'static str,
        key: SecretString,
    },
    ApiKeyQuery {
        name: &'static str,
        key: SecretString,
    },
    ApiKeyCookie {
        name: &'static str,
        key: SecretString,
    },
}

/// The API client. Cheap to clone; clones share connections and configuration.
#[derive(Clone)]
pub struct Client {
    inner: Arc<ClientInner>,
}

#[derive(Clone)]
struct ClientInner {
    /// Builds every request, and sends it unless a middleware client does.
    http: reqwest::Client,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    /// Default server URL → the URL to use instead.
    server_overrides: BTreeMap<&'static str, String>,
    /// Security scheme name → credential.
    credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    /// For a retry policy set on one call.
    rate_limit_reset_header: Option<&'static str>,
    idempotency_header: Option<HeaderName>,
    hooks: Vec<Arc<dyn Hook>>,
    redirects: RedirectPolicy,
    /// Whether a success status the operation does not document is a success all the same.
    undocumented_success: bool,
}

impl Client {
    #[doc(hidden)]
    pub fn request(&self, operation: &'static OperationSpec) -> Request<'_> {
        Request {
            client: &self.inner,
            operation,
            path: String::new(),
            path_params: Vec::new(),
            query: Vec::new(),
            query_string: None,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: Body::Empty,
            invalid: None,
            stream_success: false,
            unbounded_body: false,
            options: None,
            page_url: None,
        }
    }
}

impl ClientInner {
    /// Sends one attempt: through the middleware client when there is one.
    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response, NoResponse> {
        #[cfg(feature = "middleware")]
        if let Some(middleware) = &self.middleware {
            return middleware.execute(request).await.map_err(|err| match err {
                reqwest_middleware::Error::Reqwest(err) => NoResponse::from(err),
                reqwest_middleware::Error::Middleware(err) => NoResponse::Middleware(err.into()),
            });
        }
        Ok(self.http.execute(request).await?)
    }
}

impl Client {
    /// This client, sharing its connections and settings, with `credential` for `scheme`.
    #[doc(hidden)]
    pub fn with_credential(&self, scheme: &'static str, credential: Credential) -> Client {
        let mut inner = ClientInner::clone(&self.inner);
        inner.credentials.insert(scheme, credential);
        Client { inner: Arc::new(inner) }
    }
}

impl fmt::Debug for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Client")
            .field("server_overrides", &self.inner.server_overrides)
            .field("credentials", &self.inner.credentials.keys().collect::<Vec<_>>())
            .field("retry", &self.inner.retry)
            .field("redirects", &self.inner.redirects)
            .field("idempotency_header", &self.inner.idempotency_header)
            .field("hooks", &self.inner.hooks.len())
            .finish_non_exhaustive()
    }
}

/// Configures a [`Client`]. The generated code adds one method per security scheme.
pub struct ClientBuilder {
    http: Option<reqwest::Client>,
    #[cfg(feature = "middleware")]
    middleware: Option<reqwest_middleware::ClientWithMiddleware>,
    timeout: Option<Duration>,
    connect_timeout: Duration,
    user_agent: String,
    server_overrides: BTreeMap<&'static str, String>,
    pub(crate) credentials: BTreeMap<&'static str, Credential>,
    retry: RetryPolicy,
    redirects: RedirectPolicy,
    undocumented_success: bool,
    idempotency_header: Option<&'static str>,
    hooks: Vec<Arc<dyn Hook>>,
    api: &'static ApiDescription,
}

impl ClientBuilder {
    /// A builder for a client of `api`. Defaults: a 60 s timeout per attempt, a 10 s connect
    /// timeout, the API's `User-Agent` (the generated crate's name and version),
    /// [`RetryPolicy::default`] and [`RedirectPolicy::default`].
    pub fn new(api: &'static ApiDescription) -> Self {
        ClientBuilder {
            http: None,
            #[cfg(feature = "middleware")]
            middleware: None,
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Duration::from_secs(10),
            user_agent: api.user_agent.to_owned(),
            server_overrides: BTreeMap::new(),
            credentials: BTreeMap::new(),
            retry: RetryPolicy::default(),
            redirects: RedirectPolicy::default(),
            undocumented_success: false,
            idempotency_header: api.idempotency_header,
            hooks: Vec::new(),
            api,
        }
    }

    /// Sends every operation, whichever server the description gives it, to `url`: for a mock
    /// server in tests, or a proxy. A [`ClientBuilder::server_url`] given before or after wins
    /// for its server.
    pub fn every_server_url(mut self, url: impl Into<String>) -> Self {
        let url = url.into().trim_end_matches('/').to_owned();
        for server in self.api.servers {
            self.server_overrides.entry(server).or_insert_with(|| url.clone());
        }
        self
    }

    /// Sends operations that use the document's default server to `url` instead.
    pub fn base_url(self, url: impl Into<String>) -> Self {
        let server = self.api.default_server;
        self.server_url(server, url)
    }

    /// Sends operations that use `server` (a constant of the generated crate's `servers`) to
    /// `url` instead: for tests, proxies and regional endpoints.
    pub fn server_url(mut self, server: &'static str, url: impl Into<String>) -> Self {
        self.server_overrides.insert(server, url.into().trim_end_matches('/').to_owned());
        self
    }

    /// The time one attempt may take, from connecting to reading the last byte of the body.
    /// `None` waits for ever. [`RetryPolicy::max_elapsed`] bounds all attempts together.
    pub fn timeout(mut self, timeout: Option<Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    /// The time connecting may take.
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = timeout;
        self
    }

    /// The `User-Agent` header.
    pub fn user_agent(mut self, user_agent: impl Into<String>) -> Self {
        self.user_agent = user_agent.into();
        self
    }

    /// Uses a `reqwest::Client` you configured (proxies, TLS roots, middleware); the timeout and
    /// user agent settings of this builder are then not applied. Build it with
    /// `.redirect(reqwest::redirect::Policy::none())`: reqwest's default follows redirects the
    /// way browsers do (a `POST` answered `302` sent again as a `GET`) before this client sees
    /// them, so that [`ClientBuilder::redirects`] would not apply.
    pub fn http_client(mut self, http: reqwest::Client) -> Self {
        self.http = Some(http);
        self
    }

    /// Sends every request through `client`, a `reqwest-middleware` chain (retries, caching,
    /// tracing, signing from crates.io), feature `middleware`. Its middlewares run on every
    /// attempt, after this client's hooks; this client's retries still apply (turn them off
    /// with [`RetryPolicy::none`] to leave retrying to a middleware). The timeout and user
    /// agent settings of this builder are then not applied: the middleware client's own are.
    /// Its `reqwest::Client` should follow no redirect, as for [`ClientBuilder::http_client`].
    #[cfg(feature = "middleware")]
    pub fn middleware_client(mut self, client: reqwest_middleware::ClientWithMiddleware) -> Self {
        self.middleware = Some(client);
        self
    }

    /// How failed requests are retried; [`RetryPolicy::none`] turns retries off.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = policy;
        self
    }

    /// Which redirects are followed; [`RedirectPolicy::none`] follows none, so that each is an
    /// `Error::Redirect` with its status and `Location`.
    ///
    /// By default up to 10 in a row: `307` and `308` with the same method and body, `301`, `302`
    /// and `303` for `GET` and `HEAD` only, never turning a write into a read (reqwest, as
    /// browsers, would send a `POST` answered `302` again as a `GET`). Credentials go only to the
    /// origin (scheme, host and port) of the request; a streamed upload, which can be sent once,
    /// does not follow a `307` or `308`. Any redirect not followed ends the call with
    /// `Error::Redirect`. See [`RedirectPolicy`].
    pub fn redirects(mut self, policy: RedirectPolicy) -> Self {
        self.redirects = policy;
        self
    }

    /// Whether a success status that the description does not document for the operation (a
    /// `201` where only `200` is) is a success all the same: decoded as the documented success
    /// body. Off by default: such a response is `Error::UnexpectedResponse`, as the description
    /// says nothing of it. Turn it on for an API whose description lists fewer statuses than the
    /// server sends.
    pub fn accept_undocumented_success(mut self, accept: bool) -> Self {
        self.undocumented_success = accept;
        self
    }

    /// The request header that carries idempotency keys, instead of the one the description
    /// documents (`None` sends none). With one, every `POST` and `PATCH` call sends a key made
    /// once per call (or the one given with [`ResponseFuture::idempotency_key`], or the
    /// operation's own parameter) unchanged on every attempt, and is then retried as safely as
    /// a `GET`: the server carries it out once.
    pub fn idempotency_header(mut self, header: Option<&'static str>) -> Self {
        self.idempotency_header = header;
        self
    }

    /// Adds a hook that sees every attempt of every call, retries included (see [`Hook`]).
    /// Hooks run in the order they were added.
    pub fn hook(mut self, hook: impl Hook) -> Self {
        self.hooks.push(Arc::new(hook));
        self
    }

    #[doc(hidden)]
    pub fn credential(mut self, scheme: &'static str, credential: Credential) -> Self {
        self.credentials.insert(scheme, credential);
        self
    }

    /// Builds the client; fails when a server URL is not a valid URL or TLS cannot be set up.
    pub fn build(self) -> Result<Client, BuildError> {
        for url in self.server_overrides.values() {
            reqwest::Url::parse(url).map_err(|err| BuildError(format!("invalid server URL {url:?}: {err}")))?;
        }
        let http = match self.http {
            Some(http) => http,
            None => {
                // Redirects are followed by the send loop, by `self.redirects`: reqwest's own
                // policy would send a `POST` answered `302` again as a `GET`.
                let mut builder = reqwest::Client::builder()
                    .user_agent(self.user_agent)
                    .connect_timeout(self.connect_timeout)
                    .redirect(reqwest::redirect::Policy::none());
                if let Some(timeout) = self.timeout {
                    builder = builder.timeout(timeout);
                }
                builder.build().map_err(|err| BuildError(err.to_string()))?
            }
        };
        let mut credentials = self.credentials;
        for credential in credentials.values_mut() {
            let value = match credential {
                Credential::Basic { username, password } => {
                    let pair = format!("{}:{}", username.expose_secret(), password.expose_secret());
                    format!("Basic {}", base64(pair.as_bytes()))
                }
                Credential::Bearer(token) => format!("Bearer {}", token.expose_secret()),
                _ => continue,
            };
            let mut value = HeaderValue::from_str(&value)
                .map_err(|_| BuildError("a credential is not a valid header value".to_owned()))?;
            value.set_sensitive(true);
            *credential = Credential::Authorization(value);
        }
        let idempotency_header = match self.idempotency_header {
            Some(name) => Some(
                HeaderName::from_bytes(name.as_bytes())
                    .map_err(|_| BuildError(format!("{name:?} is not a valid header name")))?,
            ),
            None => None,
        };
        Ok(Client {
            inner: Arc::new(ClientInner {
                http,
                #[cfg(feature = "middleware")]
                middleware: self.middleware,
                server_overrides: self.server_overrides,
                credentials,
                retry: self.retry.for_api(self.api.rate_limit_reset_header),
                rate_limit_reset_header: self.api.rate_limit_reset_header,
                idempotency_header,
                hooks: self.hooks,
                redirects: self.redirects,
                undocumented_success: self.undocumented_success,
            }),
        })
    }
}

impl fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .field("user_agent", &self.user_agent)
            .field("server_overrides", &self.server_overrides)
            .field("credentials", &self.credentials.keys().collect::<Vec<_>>())
            .field("retry", &self.retry)
            .field("redirects", &self.redirects)
            .field("idempotency_header", &self.idempotency_header)
            .field("hooks", &self.hooks.len())
            .finish_non_exhaustive()
    }
}

/// A request body, kept so that it can be sent again by a retry.
enum Body {
    Empty,
    Json(Bytes),
    Form(Bytes),
    #[cfg(feature = "multipart")]
    Multipart(Multipart),
    Raw {
        upload: Upload,
        content_type: String,
    },
}

impl Body {
    /// Whether the body holds a stream that can be sent once, so that the request cannot be
    /// retried.
    fn is_one_shot(&self) -> bool {
        match self {
            Body::Raw { upload, .. } => upload.is_one_shot(),
            #[cfg(feature = "multipart")]
            Body::Multipart(form) => form.is_one_shot(),
            _ => false,
        }
    }
}

/// One request being put together by a generated operation method. Adding a value that cannot
/// be encoded does not fail there: the first such error is kept and returned when the request is
/// sent, so that an operation method is straight-line code that returns the sending future.
#[doc(hidden)]
pub struct Request<'c> {
    client: &'c ClientInner,
    operation: &'static OperationSpec,
    path: String,
    /// Where each path parameter's text is in `path`, and its name.
    path_params: Vec<(std::ops::Range<usize>, &'static str)>,
    query: Vec<(String, String)>,
    /// The whole query string, percent-encoded (OpenAPI 3.2's `querystring`), after any pairs.
    query_string: Option<String>,
    headers: HeaderMap,
    cookies: Vec<(String, String)>,
    body: Body,
    invalid: Option<RequestError>,
    /// The success body is handed out as it arrives (a download) instead of read whole.
    stream_success: bool,
    /// Whether the body may take longer than the client's timeout (a stream of items).
    unbounded_body: bool,
    /// What the caller set on this call; boxed, and only when set.
    options: Option<Box<CallOptions>>,
    /// A listing's next page, at the URL the previous page gave, instead of the path and query.
    page_url: Option<String>,
}

impl<'c> Request<'c> {
    /// Sends the request to `url` (absolute, or relative to the operation's server), a listing's
    /// next page, instead of its path and query.
    pub(crate) fn set_page_url(&mut self, url: String) {
        self.page_url = Some(url);
    }

    /// The options of this call, made when the first is set.
    pub(crate) fn options_mut(&mut self) -> &mut CallOptions {
        self.options.get_or_insert_with(Box::default)
    }

    /// Keeps the first error met while building the request.
    pub(crate) fn check(&mut self, result: Result<(), RequestError>) {
        if let (Err(err), None) = (result, &self.invalid) {
            self.invalid = Some(err);
        }
    }

    /// Literal path text.
    pub fn path(&mut self, literal: &str) {
        self.path.push_str(literal);
    }

    /// A path parameter.
    pub fn path_param<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style, explode: bool) {
        match encode::to_value(value) {
            Ok(value) => {
                let start = self.path.len();
                self.path.push_str(&encode::path_segment(name, &value, style, explode));
                self.path_params.push((start..self.path.len(), name));
            }
            Err(err) => self.check(Err(err)),
        }
    }

    /// A query parameter; `None` sends nothing.
    pub fn query<T: Serialize + ?Sized>(&mut self, name: &str, value: &T, style: Style, explode: bool) {
        match encode::to_value(value) {
            Ok(value) => encode::query_pairs(name, &value, style, explode, &mut self.query),
            Err(err) => self.check(Err(err)),
        }
    }

    /// The whole query string: `value`'s JSON, percent-encoded (OpenAPI 3.2's `querystring` of
    /// `application/json`); `None` sends nothing.
    pub fn query_string_json<T: Serialize + ?Sized>(&mut self, value: &T) {
        let json = crate::rfc3339_check::check(value).map_err(RequestError::Invalid).and_then(|()| {
            crate::object::sending(|| serde_json::to_string(value))
                .map_err(|err| RequestError::Invalid(err.to_string()))
        });
        match json {
            Ok(json) if json != "null" => self.query_string = Some(encode::percent_encode(&json)),
            Ok(_) => {}
            Err(err) => self.check(Err(err)),
        }
    }

    /// A header parameter; `None` sends nothing.
    pub fn header<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, explode: bool) {
        let result = encode::to_value(value).and_then(|value| self.header_value(name, &value, explode));
        self.check(result);
    }

    /// A header parameter whose list is separated by `style`'s delimiter: Swagger 2.0's
    /// `collectionFormat` `ssv`, `pipes` or `tsv` (RFC 9110 allows a space or a tab inside a
    /// field value); `None` sends nothing.
    pub fn header_delimited<T: Serialize + ?Sized>(&mut self, name: &'static str, value: &T, style: Style) {
        let result = encode::to_value(value).and_then(|value| {
            let joined = match &value {
                serde_json::Value::Array(items) => {
                    serde_json::Value::String(encode::joined_text(items, encode::delimiter(style)))
                }
                _ => value,
            };
            self.header_value(name, &joined, false)
        });
        self.check(result);
    }

    fn header_value(
        &mut self,
        name: &'static str,
        value: &serde_json::Value,
        explode: bool,
    ) -> Result<(), RequestError> {
        if let Some(text) = encode::header_text(value, explode) {
            let value = HeaderValue::from_str(&text)
                .map_err(|_| RequestError::Invalid(format!("header {name} cannot hold the value given")))?;
            let name = HeaderName::from_bytes(name.as_bytes())
                .map_err(|_| RequestError::Invalid(format!("{name:?} is not a valid header name")))?;
            self.headers.insert(name, value);
        }
        Ok(())
    }

    /// A cookie parameter; `None` sends nothing.
    pub fn cookie<T: Serialize + ?Sized>(&mut self, name: &str, value: &T) {
        match encode::to_value(value) {
            Ok(value) => {
                if let Some(text) = encode::header_text(&value, false) {
                    self.cookies.push((name.to_owned(), encode::percent_encode(&text)));
                }
            }
            Err(err) => self.check(Err(err)),
        }
    }

    pub fn json<T: Serialize + ?Sized>(&mut self, body: &T) {
        if let Err(reason) = crate::rfc3339_check::check(body) {
            return self.check(Err(RequestError::Invalid(reason)));
        }
        // A request: its `readOnly` properties are left out.
        match crate::object::sending(|| serde_json::to_vec(body)) {
            Ok(bytes) => self.body = Body::Json(Bytes::from(bytes)),
            Err(err) => self.check(Err(RequestError::Invalid(err.to_string()))),
        }
    }

    pub fn form<T: Serialize + ?Sized>(&mut self, body: &T) {
        self.form_with(body, &[]);
    }

    /// A form body whose `fields` (wire name, style, `explode`) are written as their Encoding
    /// Objects say; the others as `form`, exploded (objects in `deepObject` brackets).
    pub fn form_with<T: Serialize + ?Sized>(&mut self, body: &T, fields: &[(&str, Style, bool)]) {
        match encode::to_value(body).and_then(|value| encode::form_body(&value, fields)) {
            Ok(text) => self.body = Body::Form(Bytes::from(text)),
            Err(err) => self.check(Err(err)),
        }
    }

    #[cfg(feature = "multipart")]
    /// Starts a `multipart/form-data` body; [`Self::part`] and [`Self::files`] add to it.
    pub fn multipart(&mut self) {
        self.body = Body::Multipart(Multipart::default());
    }

    #[cfg(feature = "multipart")]
    /// A non-file field of the multipart body (see [`Multipart::field`]).
    pub fn part<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: &T,
        style: Style,
        explode: bool,
        content_type: Option<&'static str>,
    ) {
        if let Body::Multipart(form) = &mut self.body {
            let result =
                encode::to_value(value).and_then(|value| form.field(name, value, style, explode, content_type));
            self.check(result);
        }
    }

    #[cfg(feature = "multipart")]
    /// A field of files of the multipart body (see [`Multipart::files`]).
    pub fn files<F: FileParts>(&mut self, name: &str, files: &F, style: Style) {
        if let Body::Multipart(form) = &mut self.body {
            let (is_list, uploads) = files.files();
            let result = form.files(name, is_list, &uploads, style);
            self.check(result);
        }
    }

    pub fn upload(&mut self, upload: &Upload, declared_type: &str) {
        let content_type = if declared_type.contains('*') { upload.content_type() } else { declared_type };
        self.body = Body::Raw { upload: upload.clone(), content_type: content_type.to_owned() };
    }

    /// A body of `items` as they come, each as JSON: a line each (JSON Lines), or after a record
    /// separator when `sequence` (a JSON text sequence). Sent once, like any streamed upload.
    pub fn json_stream<S>(&mut self, items: S, sequence: bool, content_type: &str)
    where
        S: futures_core::Stream + Send + 'static,
        S::Item: Serialize,
    {
        let upload = Upload::from_stream(EncodeItems::new(items, sequence), None);
        self.body = Body::Raw { upload, content_type: content_type.to_owned() };
    }

    pub fn text(&mut self, text: &str, content_type: &str) {
        let upload = Upload::from_bytes(Bytes::copy_from_slice(text.as_bytes()));
        self.body = Body::Raw { upload, content_type: content_type.to_owned() };
    }

    /// Sends the request and decodes a JSON body (`null` when the body is empty).
    pub fn send_json<T: DeserializeOwned, E: ErrorBody>(self) -> ResponseFuture<'c, T, E> {
        ResponseFuture::new(self, decode_json)
    }

    /// Sends the request; the body of the success response is ignored.
    pub fn send_empty<E: ErrorBody>(self) -> ResponseFuture<'c, (), E> {
        ResponseFuture::new(self, |exchange| exchange_with(exchange, |_| ()))
    }

    /// Sends the request and returns the body as text.
    pub fn send_text<E: ErrorBody>(self) -> ResponseFuture<'c, String, E> {
        ResponseFuture::new(self, |exchange| {
            exchange_with(exchange, |body| String::from_utf8_lossy(&body).into_owned())
        })
    }

    /// Sends the request and decodes the success body by its status (`T` is the operation's
    /// enum of them).
    pub fn send_by_status<T: SuccessBody, E: ErrorBody>(self) -> ResponseFuture<'c, T, E> {
        ResponseFuture::new(self, decode_by_status)
    }

    /// Sends the request and returns the body as it arrives (downloads): the success body is not
    /// read until the caller reads the [`ByteStream`].
    pub fn send_stream<E: ErrorBody>(mut self) -> ResponseFuture<'c, ByteStream, E> {
        self.stream_success = true;
        ResponseFuture::new(self, |exchange| {
            let (status, headers, payload) = exchange.map_err(SendError::into_error)?;
            let stream = ByteStream::new(payload, &headers);
            Ok(ApiResponse::new(status, headers, stream))
        })
    }

    /// Sends the request and decodes the success body as server-sent events whose data is the
    /// JSON of `T`, each as it arrives.
    pub fn send_event_stream<T: DeserializeOwned, E: ErrorBody>(self) -> ResponseFuture<'c, EventStream<T>, E> {
        ResponseFuture::new(self.streaming("text/event-stream"), |exchange| {
            streamed(exchange, |body| EventStream::new(body, json_event::<T>))
        })
    }

    /// Sends the request and decodes the success body as server-sent events whose data is text.
    pub fn send_text_event_stream<E: ErrorBody>(self) -> ResponseFuture<'c, EventStream<String>, E> {
        ResponseFuture::new(self.streaming("text/event-stream"), |exchange| {
            streamed(exchange, |body| EventStream::new(body, text_event))
        })
    }

    /// Sends the request and decodes the success body as server-sent events that differ by
    /// their `event` name, into the operation's enum of them.
    pub fn send_event_enum_stream<T: EventData, E: ErrorBody>(self) -> ResponseFuture<'c, EventStream<T>, E> {
        ResponseFuture::new(self.streaming("text/event-stream"), |exchange| {
            streamed(exchange, |body| EventStream::new(body, named_event::<T>))
        })
    }

    /// Sends the request and decodes the success body, of the JSON Lines `media_type`, as
    /// JSON Lines of `T`, each as it arrives.
    pub fn send_json_lines<T: DeserializeOwned, E: ErrorBody>(
        self,
        media_type: &'static str,
    ) -> ResponseFuture<'c, JsonStream<T>, E> {
        ResponseFuture::new(self.streaming(media_type), |exchange| {
            streamed(exchange, |body| JsonStream::new(body, JsonFraming::Lines))
        })
    }

    /// Sends the request and decodes the success body, of the media type `media_type`, as a
    /// JSON text sequence (RFC 7464) of `T`, each as it arrives.
    pub fn send_json_seq<T: DeserializeOwned, E: ErrorBody>(
        self,
        media_type: &'static str,
    ) -> ResponseFuture<'c, JsonStream<T>, E> {
        ResponseFuture::new(self.streaming(media_type), |exchange| {
            streamed(exchange, |body| JsonStream::new(body, JsonFraming::Sequence))
        })
    }

    /// The request with its success body handed out as it arrives, without a total timeout
    /// unless the call sets one (see the `stream` module), and asking for `media_type` unless a
    /// parameter says what to accept.
    fn streaming(mut self, media_type: &'static str) -> Self {
        self.stream_success = true;
        self.unbounded_body = true;
        if !self.headers.contains_key(ACCEPT)
            && let Ok(value) = HeaderValue::from_str(media_type)
        {
            self.headers.insert(ACCEPT, value);
        }
        self
    }

    /// Sends the request, retrying as the client's [`RetryPolicy`] allows. Not generic, so that
    /// it is compiled once for all operations: the callers decode the body, and
    /// [`SendError::into_error`] the error body, for their own types.
    pub(crate) async fn execute(mut self) -> Exchange {
        if let Some(invalid) = self.invalid.take() {
            return Err(SendError::Request(invalid));
        }
        #[cfg(feature = "tracing")]
        {
            use tracing::Instrument;
            let operation = self.operation;
            let span = tracing::info_span!(
                "http_request",
                operation = operation.id,
                method = %operation.method,
                path = operation.path_template,
                status = tracing::field::Empty,
                attempts = tracing::field::Empty,
                redirects = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            self.execute_with_retries().instrument(span).await
        }
        #[cfg(not(feature = "tracing"))]
        self.execute_with_retries().await
    }

    async fn execute_with_retries(mut self) -> Result<(StatusCode, HeaderMap, Payload), SendError> {
        let started = Instant::now();
        let call_policy = self.options.as_mut().and_then(|options| options.retry.take());
        let call_policy = call_policy.map(|policy| policy.for_api(self.client.rate_limit_reset_header));
        let keyed = self.set_idempotency_key()?;
        let policy = call_policy.as_ref().unwrap_or(&self.client.retry);
        let first_url = self.url()?;
        let mut target = Target { url: first_url.clone(), credentials: true };
        let mut attempt = 1;
        // Redirects followed: each is a request sent, but not a retry, so they use up no attempt.
        let mut hops = 0;
        let mut renewed_token = false;
        let mut refused_redirect = None;
        // A streamed upload is gone once sent: such a request is sent once.
        let one_shot = self.body.is_one_shot();
        let outcome = loop {
            let (headers, bearer) = self.attempt_headers(target.credentials).await?;
            let result = self.send_once(target.url.clone(), headers, attempt + hops).await?;
            let sent = SentRequest { method: &self.operation.method, url: &target.url, replayable: !one_shot, hops };
            match redirect_of(&self.client.redirects, &sent, &result) {
                Some(Redirect::Follow(next)) => {
                    target = self.redirect_target(&first_url, &target, next)?;
                    trace_redirect(&result, target.credentials);
                    hops += 1;
                    continue;
                }
                Some(Redirect::Refuse(refused)) => {
                    refused_redirect = Some(refused);
                    break result;
                }
                None => {}
            }
            // A token from a provider that the API refuses gets replaced once, whatever the method:
            // a 401 means the request was not carried out.
            let refused = matches!(&result, Ok((status, ..)) if *status == StatusCode::UNAUTHORIZED);
            if let (true, false, Some((provider, token))) = (refused, renewed_token, &bearer) {
                if one_shot {
                    trace_skipped_retry("401 Unauthorized: the access token is not renewed");
                    break result;
                }
                renewed_token = true;
                provider.invalidate(token).await;
                trace_retry(attempt, Duration::ZERO, "401 Unauthorized: renewing the access token");
                attempt += 1;
                continue;
            }
            let failure = match &result {
                Ok((status, headers, _)) if !status.is_success() => Some(Failure::Status(*status, headers)),
                Ok(_) => None,
                Err(err) if err.was_not_sent() => Some(Failure::NotSent),
                Err(_) => Some(Failure::Transport),
            };
            let Some(failure) = failure.filter(|f| policy.should_retry(&self.operation.method, keyed, attempt, *f))
            else {
                break result;
            };
            if one_shot {
                trace_skipped_retry(&describe(&result));
                break result;
            }
            let delay = policy.delay(attempt, failure);
            if started.elapsed() + delay > policy.budget() {
                break result;
            }
            trace_retry(attempt, delay, &describe(&result));
            tokio::time::sleep(delay).await;
            attempt += 1;
        };
        #[cfg(feature = "tracing")]
        {
            let span = tracing::Span::current();
            span.record("attempts", attempt);
            span.record("redirects", hops);
            span.record("duration_ms", started.elapsed().as_millis() as u64);
            match &outcome {
                Ok((status, ..)) => {
                    span.record("status", status.as_u16());
                    tracing::debug!(status = status.as_u16(), attempts = attempt, "response");
                }
                Err(err) => tracing::debug!(error = %err, attempts = attempt, "request failed"),
            }
        }
        match (outcome, refused_redirect) {
            (Ok((_, headers, _)), Some(refused)) => Err(SendError::Redirect(refused, headers)),
            // A success status the operation does not document is unexpected, like any other.
            (Ok((status, headers, body)), _) if self.is_success(status) => Ok((status, headers, body)),
            (Ok((status, headers, body)), _) => {
                let documented = self.operation.documents(status);
                Err(SendError::Status { status, headers, body: body.whole(), documented })
            }
            (Err(err), _) => {
                let operation = self.operation;
                let url = &target.url;
                let error = TransportError::new(err, operation.id, &operation.method, operation.path_template, url);
                Err(SendError::Transport(error))
            }
        }
    }

    /// Whether `status` answers the call with its success body: a documented success, or any
    /// `2xx` when the client accepts undocumented ones.
    fn is_success(&self, status: StatusCode) -> bool {
        self.operation.documents_success(status) || (self.client.undocumented_success && status.is_success())
    }

    /// Where a followed redirect sends the request next: to `next`, with credentials while the
    /// chain stays on the origin of the call's `first` URL. Once it has left, it gets none again,
    /// so that another server cannot send an authenticated request back to the API on its behalf.
    fn redirect_target(
        &self,
        first: &reqwest::Url,
        current: &Target,
        next: reqwest::Url,
    ) -> Result<Target, RequestError> {
        let credentials = current.credentials && same_origin(first, &next);
        Ok(Target { url: self.with_query_keys(next, credentials)?, credentials })
    }

    /// Puts the call's idempotency key on the request, once for all its attempts: the one the
    /// caller gave, or the operation's parameter, or for a `POST` or `PATCH` a new one. Whether
    /// the request carries one.
    fn set_idempotency_key(&mut self) -> Result<bool, RequestError> {
        let given = self.options.as_mut().and_then(|options| options.idempotency_key.take());
        let Some(header) = &self.client.idempotency_header else {
            return match given {
                Some(_) => Err(RequestError::Invalid(format!(
                    "an idempotency key was set on a call of `{}`, but the API documents no idempotency \
                     header: name one with ClientBuilder::idempotency_header",
                    self.operation.id
                ))),
                None => Ok(false),
            };
        };
        let key = match given {
            Some(key) => key,
            None if self.headers.contains_key(header) => return Ok(true),
            None if matches!(self.operation.method, Method::POST | Method::PATCH) => new_idempotency_key(),
            None => return Ok(false),
        };
        let value = HeaderValue::try_from(key)
            .map_err(|_| RequestError::Invalid("the idempotency key is not a valid header value".to_owned()))?;
        self.headers.insert(header.clone(), value);
        Ok(true)
    }

    /// One attempt: the status, headers and whole body (a download's success body as it
    /// arrives), or why there were none; the outer error when the body cannot be sent (a
    /// streamed upload sent already).
    async fn send_once(&self, url: reqwest::Url, headers: HeaderMap, attempt: u32) -> Result<Attempt, RequestError> {
        // Made directly rather than through a `RequestBuilder`, which would merge the headers
        // into an empty map and keep a `Result` until `build`: the loopback benchmark counts it.
        let mut request = reqwest::Request::new(self.operation.method.clone(), url);
        *request.headers_mut() = headers;
        let call_timeout = self.options.as_ref().and_then(|options| options.timeout);
        *request.timeout_mut() = call_timeout.or(self.unbounded_body.then_some(NO_TOTAL_TIMEOUT));
        let content_type = |request: &mut reqwest::Request, value: HeaderValue| {
            request.headers_mut().insert(CONTENT_TYPE, value);
        };
        match &self.body {
            Body::Empty => {}
            Body::Json(bytes) => {
                content_type(&mut request, HeaderValue::from_static("application/json"));
                *request.body_mut() = Some(bytes.clone().into());
            }
            Body::Form(bytes) => {
                content_type(&mut request, HeaderValue::from_static("application/x-www-form-urlencoded"));
                *request.body_mut() = Some(bytes.clone().into());
            }
            #[cfg(feature = "multipart")]
            Body::Multipart(form) => {
                let form = form.to_form()?;
                match reqwest::RequestBuilder::from_parts(self.client.http.clone(), request).multipart(form).build() {
                    Ok(built) => request = built,
                    Err(err) => return Ok(Err(err.into())),
                }
            }
            Body::Raw { upload, content_type: media_type } => {
                let value = HeaderValue::from_str(media_type).map_err(|_| {
                    RequestError::Invalid(format!("the media type {media_type:?} is not a valid header value"))
                })?;
                content_type(&mut request, value);
                *request.body_mut() = Some(match upload.take_body()? {
                    SendBody::Whole(bytes) => bytes.into(),
                    SendBody::Stream { body, length } => {
                        if let Some(length) = length {
                            request.headers_mut().insert(CONTENT_LENGTH, HeaderValue::from(length));
                        }
                        body
                    }
                });
            }
        }
        let operation = self.operation;
        let call = CallInfo {
            operation_id: operation.id,
            method: &operation.method,
            path_template: operation.path_template,
            attempt,
        };
        for hook in &self.client.hooks {
            hook.on_request(&mut request, &call).await.map_err(RequestError::Hook)?;
        }
        let mut response = match self.client.execute(request).await {
            Ok(response) => response,
            Err(err) => return Ok(Err(err)),
        };
        let mut head = ResponseHead { status: response.status(), headers: std::mem::take(response.headers_mut()) };
        for hook in &self.client.hooks {
            hook.on_response(&mut head, &call).await.map_err(RequestError::Hook)?;
        }
        Ok(self.read_body(head, response).await)
    }

    /// The body of the response to one attempt: read whole, or for a download's success handed
    /// out as it arrives.
    async fn read_body(&self, head: ResponseHead, response: reqwest::Response) -> Attempt {
        let ResponseHead { status, headers } = head;
        if self.stream_success && self.is_success(status) {
            return Ok((status, headers, Payload::Streaming(response)));
        }
        let body = response.bytes().await?;
        Ok((status, headers, Payload::Whole(body)))
    }

    /// The headers of one attempt: the parameters' plus the credentials, asked for anew each time
    /// because a token provider may hand out a fresh token. Also returns the provider and token
    /// used, if any, so that a 401 can renew it. Without `credentials` (a redirect to another
    /// origin) there are none, and no cookie or header marked sensitive either.
    async fn attempt_headers(
        &self,
        credentials: bool,
    ) -> Result<(HeaderMap, Option<(Arc<dyn TokenProvider>, SecretString)>), RequestError> {
        let mut headers = self.headers.clone();
        let mut cookies = self.cookies.clone();
        let call_headers = self.options.as_ref().map(|options| &options.headers).filter(|headers| !headers.is_empty());
        let mut bearer = None;
        if !credentials {
            if let Some(call_headers) = call_headers {
                headers.extend(call_headers.clone());
            }
            remove_credentials(&mut headers);
            return Ok((headers, None));
        }
        for credential in self.credentials()? {
            match credential {
                Credential::Authorization(value) => {
                    headers.insert(AUTHORIZATION, value.clone());
                }
                // Turned into `Authorization` when the client was built.
                Credential::Basic { .. } | Credential::Bearer(_) => {}
                Credential::BearerProvider(provider) => {
                    let token = provider.access_token().await.map_err(RequestError::Token)?;
                    set_authorization(&mut headers, &format!("Bearer {}", token.expose_secret()))?;
                    bearer = Some((Arc::clone(provider), token));
                }
                Credential::ApiKeyHeader { name, key } => {
                    let mut value = HeaderValue::from_str(key.expose_secret()).map_err(|_| {
                        RequestError::Invalid(format!("the API key for header {name} is not a valid header value"))
                    })?;
                    value.set_sensitive(true);
                    let name = HeaderName::from_bytes(name.as_bytes())
                        .map_err(|_| RequestError::Invalid(format!("{name:?} is not a valid header name")))?;
                    headers.insert(name, value);
                }
                // Query keys were put on the URL by `url`.
                Credential::ApiKeyQuery { .. } => {}
                Credential::ApiKeyCookie { name, key } => {
                    cookies.push(((*name).to_owned(), encode::percent_encode(key.expose_secret())));
                }
            }
        }
        if !cookies.is_empty() {
            let cookies = cookies.iter().map(|(name, value)| format!("{name}={value}")).collect::<Vec<_>>().join("; ");
            let mut value = HeaderValue::from_str(&cookies)
                .map_err(|_| RequestError::Invalid("invalid cookie value".to_owned()))?;
            value.set_sensitive(true);
            headers.insert(COOKIE, value);
        }
        // Last, so that a header set on the call replaces the operation's, credentials included.
        if let Some(call_headers) = call_headers {
            headers.extend(call_headers.clone());
        }
        Ok((headers, bearer))
    }

    fn url(&self) -> Result<reqwest::Url, RequestError> {
        for (range, name) in &self.path_params {
            encode::check_path_segment(&self.path, range.clone(), name)?;
        }
        let server = self.operation.server;
        let base = self.client.server_overrides.get(server).map_or(server, String::as_str);
        if let Some(page_url) = &self.page_url {
            return self.page_url(base, page_url);
        }
        let mut url = String::with_capacity(base.len() + self.path.len() + 64);
        url.push_str(base);
        url.push_str(&self.path);
        let mut separator = '?';
        if let Some(fixed) = self.operation.fixed_query {
            url.push(separator);
            url.push_str(fixed);
            separator = '&';
        }
        let keys = self.query_keys()?;
        for (name, value) in self.query.iter().map(|(name, value)| (name.as_str(), value.as_str())).chain(keys) {
            url.push(separator);
            url.push_str(&encode::percent_encode(name));
            url.push('=');
            url.push_str(&encode::percent_encode(value));
            separator = '&';
        }
        if let Some(query_string) = &self.query_string {
            url.push(separator);
            url.push_str(query_string);
        }
        // Say which operation and server, never the full URL: it may carry an API key.
        reqwest::Url::parse(&url).map_err(|err| {
            RequestError::Invalid(format!("cannot make a URL for `{}` from server {base:?}: {err}", self.operation.id))
        })
    }

    /// The URL of a listing's next page as the previous page gave it, on the operation's server
    /// only: credentials go nowhere else. Query API keys are put on it as on every request.
    fn page_url(&self, base: &str, page_url: &str) -> Result<reqwest::Url, RequestError> {
        let invalid =
            |reason: String| RequestError::Invalid(format!("the next page of `{}` {reason}", self.operation.id));
        let server =
            reqwest::Url::parse(&format!("{base}/")).map_err(|err| invalid(format!("has no server URL: {err}")))?;
        let url = server.join(page_url).map_err(|err| invalid(format!("has an invalid URL: {err}")))?;
        if url.origin() != server.origin() {
            return Err(invalid(format!(
                "is on another server ({}), which is not followed so that credentials stay with {}",
                url.host_str().unwrap_or("no host"),
                server.host_str().unwrap_or("the API's server")
            )));
        }
        self.with_query_keys(url, true)
    }

    /// `url`, which a response gave (a next page, a redirect), with the API keys that go in the
    /// query put on it in place of any parameter of their names; without `keys`, for another
    /// origin, with those parameters removed, so that a key the server echoed goes no further.
    fn with_query_keys(&self, mut url: reqwest::Url, keys: bool) -> Result<reqwest::Url, RequestError> {
        let ours: Vec<(&str, &str)> = self.query_keys()?.collect();
        let is_ours = |name: &str| ours.iter().any(|(key, _)| *key == name);
        if ours.is_empty() || (!keys && !url.query_pairs().any(|(name, _)| is_ours(&name))) {
            return Ok(url);
        }
        let kept: Vec<(String, String)> = url
            .query_pairs()
            .filter(|(name, _)| !is_ours(name))
            .map(|(name, value)| (name.into_owned(), value.into_owned()))
            .collect();
        if kept.is_empty() && !keys {
            url.set_query(None);
            return Ok(url);
        }
        url.query_pairs_mut().clear().extend_pairs(kept).extend_pairs(ours.iter().filter(|_| keys));
        Ok(url)
    }

    /// The API keys that go in the query: name and secret value.
    fn query_keys(&self) -> Result<impl Iterator<Item = (&str, &str)>, RequestError> {
        Ok(self.credentials()?.filter_map(|credential| match credential {
            Credential::ApiKeyQuery { name, key } => Some((*name, key.expose_secret())),
            _ => None,
        }))
    }

    /// The credentials of the first satisfiable security alternative; none when the operation
    /// takes none or accepts anonymous calls and none is configured.
    fn credentials(&self) -> Result<impl Iterator<Item = &Credential>, RequestError> {
        let security = self.operation.security;
        let credentials = &self.client.credentials;
        let chosen: &[&str] = match security
            .iter()
            .find(|alternative| !alternative.is_empty() && alternative.iter().all(|s| credentials.contains_key(s)))
        {
            Some(alternative) => alternative,
            None if security.is_empty() || security.iter().any(|alternative| alternative.is_empty()) => &[],
            None => {
                return Err(RequestError::MissingCredentials {
                    operation: self.operation.id,
                    schemes: security.iter().flat_map(|a| a.iter().copied()).collect(),
                });
            }
        };
        Ok(chosen.iter().map(move |scheme| &credentials[scheme]))
    }
}

/// Sets the one `Authorization` header: credentials replace, never add.
fn set_authorization(headers: &mut HeaderMap, value: &str) -> Result<(), RequestError> {
    let mut value = HeaderValue::from_str(value)
        .map_err(|_| RequestError::Invalid("the credential is not a valid header value".to_owned()))?;
    value.set_sensitive(true);
    headers.insert(AUTHORIZATION, value);
    Ok(())
}

/// Removes what authenticates a request from `headers`, for a redirect to another origin:
/// `Authorization`, `Proxy-Authorization`, `Cookie`, and every value marked sensitive (the API
/// key headers, and credentials set on the call).
fn remove_credentials(headers: &mut HeaderMap) {
    for name in [AUTHORIZATION, PROXY_AUTHORIZATION, COOKIE] {
        headers.remove(name);
    }
    let sensitive: Vec<HeaderName> =
        headers.iter().filter(|(_, value)| value.is_sensitive()).map(|(name, _)| name.clone()).collect();
    for name in sensitive {
        headers.remove(name);
    }
}

/// Where an attempt goes, and whether credentials go with it.
struct Target {
    url: reqwest::Url,
    /// False once a redirect has left the origin of the call's first request.
    credentials: bool,
}

/// What `policy` does with the answer to `sent`; `None` when it is not a redirect (or there was
/// no answer).
fn redirect_of(policy: &RedirectPolicy, sent: &SentRequest<'_>, result: &Attempt) -> Option<Redirect> {
    match result {
        Ok((status, headers, _)) => policy.next(sent, *status, headers),
        Err(_) => None,
    }
}

/// A JSON success body decoded into `T` (an empty body as `null`), or the error.
fn decode_json<T: DeserializeOwned, E: ErrorBody>(exchange: Exchange) -> Result<ApiResponse<T>, Error<E>> {
    let (status, headers, body) = exchange.map_err(SendError::into_error)?;
    let body = body.whole();
    match decode_success_body(&body) {
        Ok(value) => Ok(ApiResponse::new(status, headers, value)),
        Err(source) => {
            let path = decode_error_path::<T>(&body);
            Err(Error::Decode { status, headers, body, path, source })
        }
    }
}

/// A success body decoded by its status into `T`, or the error.
fn decode_by_status<T: SuccessBody, E: ErrorBody>(exchange: Exchange) -> Result<ApiResponse<T>, Error<E>> {
    let (status, headers, body) = exchange.map_err(SendError::into_error)?;
    let body = body.whole();
    match T::from_response(status, &body) {
        Some(Ok(value)) => Ok(ApiResponse::new(status, headers, value)),
        Some(Err(source)) => Err(Error::Decode { status, headers, body, path: String::new(), source }),
        None => Err(Error::UnexpectedResponse { status, headers, body }),
    }
}

/// Where decoding `body` as `T` fails, found by decoding it once more with the path tracked: only
/// a failed decode pays for tracking, not every response.
fn decode_error_path<T: DeserializeOwned>(body: &[u8]) -> String {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => String::new(),
        Err(err) => err.path().to_string(),
    }
}

/// A streamed success body made into the stream of its items by `items`, or the error.
fn streamed<S, E: ErrorBody>(
    exchange: Exchange,
    items: impl FnOnce(ByteStream) -> S,
) -> Result<ApiResponse<S>, Error<E>> {
    let (status, headers, payload) = exchange.map_err(SendError::into_error)?;
    let body = ByteStream::new(payload, &headers);
    Ok(ApiResponse::new(status, headers, items(body)))
}

/// A success body turned into `T` by `body`, or the error.
fn exchange_with<T, E: ErrorBody>(exchange: Exchange, body: fn(Bytes) -> T) -> Result<ApiResponse<T>, Error<E>> {
    let (status, headers, bytes) = exchange.map_err(SendError::into_error)?;
    Ok(ApiResponse::new(status, headers, body(bytes.whole())))
}

/// The per-request timeout of a streaming call that sets none: longer than any stream, since a
/// request's timeout replaces the client's (which would cut a stream short) and covers its body.
const NO_TOTAL_TIMEOUT: Duration = Duration::from_secs(100 * 365 * 24 * 60 * 60);

/// What one attempt gave: a response, or the transport's failure.
type Attempt = Result<(StatusCode, HeaderMap, Payload), NoResponse>;

/// What failed, for the retry trace: a status or the transport error (which carries no URL).
fn describe(result: &Attempt) -> String {
    match result {
        Ok((status, ..)) => status.to_string(),
        Err(err) => err.to_string(),
    }
}

/// A retry the policy allowed that is not made, because the body was a one-shot stream.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn trace_skipped_retry(reason: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!(reason, "not retried: the request body was a streamed upload, which can be sent once");
}

/// A redirect followed: its status, and whether credentials went along; never the location,
/// which may carry a secret.
#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn trace_redirect(result: &Attempt, credentials: bool) {
    #[cfg(feature = "tracing")]
    if let Ok((status, ..)) = result {
        tracing::debug!(status = status.as_u16(), credentials, "following a redirect");
    }
}

#[cfg_attr(not(feature = "tracing"), allow(unused_variables))]
fn trace_retry(attempt: u32, delay: Duration, reason: &str) {
    #[cfg(feature = "tracing")]
    tracing::warn!(attempt, delay_ms = delay.as_millis() as u64, reason, "retrying");
}

/// Standard base64 with padding, for HTTP Basic credentials.
fn base64(input: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(input.len().div_ceil(3) * 4);
    for chunk in input.chunks(3) {
        let bytes = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(bytes[0]) << 16) | (u32::from(bytes[1]) << 8) | u32::from(bytes[2]);
        for (index, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if index <= chunk.len() {
                out.push(ALPHABET[((n >> shift) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    use super::*;
    use crate::{PageCursor, RedirectRefusal};

    #[test]
    fn base64_matches_rfc_4648_vectors() {
        for (input, expected) in [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foobar", "Zm9vYmFy")] {
            assert_eq!(super::base64(input.as_bytes()), expected);
        }
    }

    const SERVER: &str = "https://api.example.test/v1";
    const KEY: &str = "SECRET-KEY-0042";

    static API: ApiDescription = ApiDescription {
        default_server: SERVER,
        user_agent: "runtime-tests/0",
        rate_limit_reset_header: None,
        idempotency_header: None,
        servers: &[SERVER],
    };

    static LIST: OperationSpec = OperationSpec {
        id: "listItems",
        method: Method::GET,
        path_template: "/items",
        server: SERVER,
        fixed_query: None,
        security: &[&["api_key"]],
        statuses: &[],
    };

    static CREATE: OperationSpec = OperationSpec {
        id: "createItem",
        method: Method::POST,
        path_template: "/items",
        server: SERVER,
        fixed_query: None,
        security: &[&["api_key"]],
        statuses: &[],
    };

    const SANDBOX: &str = "https://sandbox.example.test";

    crate::operation_specs! {
        default server SERVER;
        TABLE_GET: GET "/pets/{id}", id "getPet", statuses [200, 404];
        #[allow(dead_code)]
        TABLE_TOKEN: POST "/oauth/token", id "token", statuses [], server SANDBOX, query "refresh", security [["a", "b"], []];
    }

    #[test]
    fn a_table_line_is_the_spec_it_says() {
        assert_eq!(
            (TABLE_GET.id, TABLE_GET.method.clone(), TABLE_GET.path_template),
            ("getPet", Method::GET, "/pets/{id}")
        );
        assert_eq!((TABLE_GET.server, TABLE_GET.fixed_query, TABLE_GET.statuses), (SERVER, None, &[200, 404][..]));
        assert!(TABLE_GET.security.is_empty());
        assert_eq!(
            (TABLE_TOKEN.method.clone(), TABLE_TOKEN.server, TABLE_TOKEN.fixed_query),
            (Method::POST, SANDBOX, Some("refresh"))
        );
        assert_eq!(TABLE_TOKEN.security, &[&["a", "b"][..], &[][..]][..]);
        assert!(TABLE_TOKEN.statuses.is_empty());
    }

    /// A loopback HTTP/1.1 server that answers every request with `answer` (a status line and
    /// headers, to which it adds an empty body), keeps connections open, and records each
    /// request's head.
    struct Loopback {
        url: String,
        requests: Arc<Mutex<Vec<String>>>,
        connections: Arc<AtomicUsize>,
    }

    impl Loopback {
        async fn start(answer: fn(&str, &str) -> String) -> Loopback {
            let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
            let url = format!("http://{}", listener.local_addr().unwrap());
            let requests = Arc::new(Mutex::new(Vec::new()));
            let connections = Arc::new(AtomicUsize::new(0));
            let (recorded, counted, base) = (Arc::clone(&requests), Arc::clone(&connections), url.clone());
            tokio::spawn(async move {
                while let Ok((socket, _)) = listener.accept().await {
                    counted.fetch_add(1, Ordering::SeqCst);
                    tokio::spawn(serve(socket, Arc::clone(&recorded), base.clone(), answer));
                }
            });
            Loopback { url, requests, connections }
        }

        fn requests(&self) -> Vec<String> {
            self.requests.lock().unwrap().clone()
        }

        fn connections(&self) -> usize {
            self.connections.load(Ordering::SeqCst)
        }
    }

    /// Answers the requests of one connection until the client closes it.
    async fn serve(
        mut socket: TcpStream,
        requests: Arc<Mutex<Vec<String>>>,
        base: String,
        answer: fn(&str, &str) -> String,
    ) {
        let mut buffer = Vec::new();
        let mut chunk = [0u8; 4096];
        loop {
            let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") else {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                }
                continue;
            };
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .map_or(0, |value| value.parse().unwrap());
            while buffer.len() < end + 4 + length {
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(read) => buffer.extend_from_slice(&chunk[..read]),
                }
            }
            buffer.drain(..end + 4 + length);
            let response = format!("{}\r\ncontent-length: 0\r\n\r\n", answer(&head, &base));
            requests.lock().unwrap().push(head);
            if socket.write_all(response.as_bytes()).await.is_err() {
                return;
            }
        }
    }

    fn client(server: &Loopback, redirects: RedirectPolicy) -> Client {
        let key = Credential::ApiKeyHeader { name: "X-Api-Key", key: SecretString::from(KEY) };
        ClientBuilder::new(&API)
            .base_url(format!("{}/v1", server.url))
            .credential("api_key", key)
            .retry(RetryPolicy::none())
            .redirects(redirects)
            .build()
            .unwrap()
    }

    async fn call(client: &Client, operation: &'static OperationSpec, page: Option<String>) -> Result<(), Error> {
        let mut request = client.request(operation);
        request.path("/items");
        if operation.method == Method::POST {
            request.json(&serde_json::json!({"name": "a"}));
        }
        let future = request.send_empty::<serde_json::Value>();
        match page {
            Some(url) => future.at_page(&PageCursor::Url(url)).await.map(drop),
            None => future.await.map(drop),
        }
    }

    #[test]
    fn a_json_query_string_is_the_whole_query_percent_encoded() {
        static SEARCH: OperationSpec = OperationSpec {
            id: "searchItems",
            method: Method::GET,
            path_template: "/items",
            server: SERVER,
            fixed_query: None,
            security: &[],
            statuses: &[],
        };
        let client = ClientBuilder::new(&API).retry(RetryPolicy::none()).build().unwrap();
        let url = |value: Option<serde_json::Value>| {
            let mut request = client.request(&SEARCH);
            request.path("/items");
            request.query("page", &2, Style::Form, true);
            request.query_string_json(&value);
            request.url().unwrap().to_string()
        };
        let filter = serde_json::json!({"name": "a b&c=1+ü"});
        assert_eq!(
            url(Some(filter)),
            "https://api.example.test/v1/items?page=2&%7B%22name%22%3A%22a%20b%26c%3D1%2B%C3%BC%22%7D"
        );
        assert_eq!(url(None), "https://api.example.test/v1/items?page=2");
    }

    /// Waits a moment, so that a connection the client would have opened has been accepted.
    async fn settle() {
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    #[tokio::test]
    async fn a_next_page_on_another_port_or_host_of_the_same_scheme_gets_nothing() {
        let api = Loopback::start(|_, _| "HTTP/1.1 200 OK".to_owned()).await;
        let elsewhere = Loopback::start(|_, _| "HTTP/1.1 200 OK".to_owned()).await;
        let client = client(&api, RedirectPolicy::default());

        // The control: a next page on the API's origin is asked for, with the credentials.
        call(&client, &LIST, Some(format!("{}/v1/items?page=2", api.url))).await.expect("same origin");
        let requests = api.requests();
        assert_eq!(requests.len(), 1);
        assert!(requests[0].starts_with("GET /v1/items?page=2 "), "{}", requests[0]);
        assert!(requests[0].contains(KEY), "the API's own server gets the key");

        // Same scheme (http), another port; and the API's port under another host name.
        let port = api.url.rsplit(':').next().unwrap();
        for next in [format!("{}/v1/items?page=2", elsewhere.url), format!("http://localhost:{port}/v1/items?page=2")] {
            let err = call(&client, &LIST, Some(next.clone())).await.unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest(reason) if reason.contains("another server")),
                "{next}: {err:?}"
            );
            assert!(!err.to_string().contains(KEY), "{err}");
        }
        settle().await;
        assert_eq!(elsewhere.connections(), 0, "the other port was not even connected to");
        assert_eq!(api.requests().len(), 1, "the other host name did not reach the API's server either");
    }

    #[tokio::test]
    async fn with_redirects_none_every_redirect_is_an_error_with_its_status_and_location() {
        let target = Loopback::start(|_, _| "HTTP/1.1 200 OK".to_owned()).await;
        // Where the redirect points is the target's URL, with a secret in its query.
        static TARGET: Mutex<String> = Mutex::new(String::new());
        *TARGET.lock().unwrap() = format!("{}/files/1?sig=SECRET-SIG", target.url);
        let api = Loopback::start(|head, _| {
            let status = if head.starts_with("POST") { "307 Temporary Redirect" } else { "302 Found" };
            format!("HTTP/1.1 {status}\r\nlocation: {}", TARGET.lock().unwrap())
        })
        .await;
        let client = client(&api, RedirectPolicy::none());

        for (operation, status) in [(&LIST, 302), (&CREATE, 307)] {
            let err = call(&client, operation, None).await.unwrap_err();
            let Error::Redirect { status: got, location, reason, .. } = &err else { panic!("{err:?}") };
            assert_eq!((got.as_u16(), reason), (status, &RedirectRefusal::Disabled));
            assert_eq!(location, &*TARGET.lock().unwrap());
            assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
            let (shown, debug) = (err.to_string(), format!("{err:?}"));
            assert!(shown.contains(&target.url), "the location's origin is shown: {shown}");
            for text in [&shown, &debug] {
                assert!(!text.contains("SECRET-SIG") && !text.contains("/files/1"), "{text}");
            }
        }
        settle().await;
        assert_eq!(api.requests().len(), 2);
        assert_eq!(target.connections(), 0, "no redirect was followed");
    }

    #[tokio::test]
    async fn the_default_policy_follows_a_get_and_refuses_to_turn_a_post_into_one() {
        let api = Loopback::start(|head, base| {
            if head.starts_with("GET /v1/moved") {
                "HTTP/1.1 200 OK".to_owned()
            } else {
                format!("HTTP/1.1 302 Found\r\nlocation: {base}/v1/moved")
            }
        })
        .await;
        let client = client(&api, RedirectPolicy::default());

        call(&client, &LIST, None).await.expect("a GET follows a 302");
        let requests = api.requests();
        assert!(requests[1].starts_with("GET /v1/moved ") && requests[1].contains(KEY), "{requests:?}");

        let err = call(&client, &CREATE, None).await.unwrap_err();
        assert!(
            matches!(&err, Error::Redirect { reason: RedirectRefusal::MethodWouldChange, .. }),
            "a POST answered 302 is not sent again as a GET: {err:?}"
        );
        assert_eq!(api.requests().len(), 3, "the POST, and no GET after it");
    }
}

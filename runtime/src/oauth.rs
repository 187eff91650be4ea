//! The OAuth 2.0 authorization code flow: the authorization URL with an unguessable `state` and
//! a PKCE code challenge (RFC 7636), the callback check, the app's authentication to the token
//! endpoint (RFC 6749 section 2.3.1), tokens with their expiry, and a holder that refreshes them
//! for a service ([`TokenHolder`], in a module of its own).
//!
//! The URLs come from the document's `authorizationCode` flow, which the generated crate
//! describes with an [`AuthorizationFlow`] (its `oauth::OAuthApp` is an [`OAuthApp`] of it); the
//! code exchange and the refresh go through the generated client, a [`TokenEndpoint`], which
//! uses the API's own token operations when the document describes them.

use std::fmt;
use std::marker::PhantomData;
use std::sync::Arc;
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{AUTHORIZATION, HeaderValue};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::base64::Base64;
use super::client::{Client, OperationSpec};
use super::encode::percent_encode;
use super::error::Error;
use super::future::ResponseFuture;
use super::secret::SecretString;
use super::token::{RefusalReason, TokenError};
pub use super::token_holder::{StoreError, StoreFuture, TokenEndpoint, TokenHolder, TokenHolderBuilder, TokensFuture};

/// An API's OAuth authorization code flow, as its description gives it. The generated crate
/// implements it on a type of its own.
pub trait AuthorizationFlow: 'static {
    /// Where users are sent to authorize an app.
    const AUTHORIZATION_URL: &'static str;

    /// Whether the flow uses PKCE (RFC 7636): the authorization URL carries a code challenge
    /// and the code exchange its verifier. `false` when the code exchange goes through a token
    /// operation of the description whose body has no `code_verifier`: a challenge whose
    /// verifier cannot be sent would make a server that enforces PKCE refuse every code.
    const PKCE: bool = true;
}

/// How your app proves who it is to the token endpoint (RFC 6749 section 2.3.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClientAuth {
    /// HTTP Basic authentication (`client_secret_basic`): the client id and secret, each
    /// form-encoded, as user name and password of an `Authorization` header. Every
    /// authorization server must support it, and the secret stays out of request bodies.
    Basic,
    /// `client_id` and `client_secret` in the request body (`client_secret_post`), which
    /// RFC 6749 does not recommend but some servers (and descriptions) ask for.
    Body,
}

/// Your app as the authorization server of the flow `F` knows it: its client id and secret, and
/// optionally the redirect URI, the scopes to ask for, and how it authenticates to the token
/// endpoint.
pub struct OAuthApp<F> {
    client_id: String,
    client_secret: SecretString,
    redirect_uri: Option<String>,
    scopes: Vec<String>,
    client_auth: Option<ClientAuth>,
    flow: PhantomData<fn() -> F>,
}

impl<F> Clone for OAuthApp<F> {
    fn clone(&self) -> Self {
        OAuthApp {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scopes: self.scopes.clone(),
            client_auth: self.client_auth,
            flow: PhantomData,
        }
    }
}

impl<F> fmt::Debug for OAuthApp<F> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuthApp")
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("redirect_uri", &self.redirect_uri)
            .field("scopes", &self.scopes)
            .field("client_auth", &self.client_auth)
            .finish()
    }
}

impl<F: AuthorizationFlow> OAuthApp<F> {
    /// An app with its client id and client secret.
    pub fn new(client_id: impl Into<String>, client_secret: impl Into<SecretString>) -> Self {
        OAuthApp {
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            redirect_uri: None,
            scopes: Vec::new(),
            client_auth: None,
            flow: PhantomData,
        }
    }

    /// The URI users are sent back to; it must match the one registered for the app. Without
    /// it, the authorization server uses the app's default callback URL.
    pub fn with_redirect_uri(mut self, redirect_uri: impl Into<String>) -> Self {
        self.redirect_uri = Some(redirect_uri.into());
        self
    }

    /// The scopes to ask for (the generated crate's `oauth::scopes`), sent space-separated as
    /// `scope`.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// How the app authenticates to the token endpoint, where the description leaves the choice
    /// (its token request body has an optional `client_secret`, or the standard request is
    /// used). Without it, the generated `exchange_code` and `refresh_access_token` use what
    /// their documentation says: [`ClientAuth::Body`] when the description's token operation
    /// has a `client_secret` property, [`ClientAuth::Basic`] for the standard request. A token
    /// operation whose body requires `client_secret` always sends it there, and one whose body
    /// has none always uses Basic: that is what the description says the server takes.
    pub fn with_client_auth(mut self, client_auth: ClientAuth) -> Self {
        self.client_auth = Some(client_auth);
        self
    }

    /// The client authentication chosen with [`OAuthApp::with_client_auth`], if any.
    pub fn client_auth(&self) -> Option<ClientAuth> {
        self.client_auth
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    /// The client secret.
    pub fn client_secret(&self) -> &SecretString {
        &self.client_secret
    }

    /// The redirect URI, if set.
    pub fn redirect_uri(&self) -> Option<&str> {
        self.redirect_uri.as_deref()
    }

    /// The client secret for the token request body: `None` unless `client_auth` puts it there.
    #[doc(hidden)]
    pub fn body_secret(&self, client_auth: ClientAuth) -> Option<&str> {
        match client_auth {
            ClientAuth::Body => Some(self.client_secret.expose_secret()),
            ClientAuth::Basic => None,
        }
    }

    /// The `Authorization` value of HTTP Basic client authentication: the client id and secret
    /// form-encoded first (RFC 6749 section 2.3.1), so that a `:` in the id cannot move the
    /// split. Marked sensitive, so that no `Debug` of a header map shows it.
    fn basic_authorization(&self) -> Result<HeaderValue, TokenError> {
        let pair =
            format!("{}:{}", percent_encode(&self.client_id), percent_encode(self.client_secret.expose_secret()));
        let mut value = HeaderValue::try_from(format!("Basic {}", Base64(pair.into_bytes()).encode()))
            .map_err(|_| TokenError::InvalidResponse("the client credentials are not a valid header".to_owned()))?;
        value.set_sensitive(true);
        Ok(value)
    }

    /// Starts the flow at the document's authorization URL: the URL to send the user to, and
    /// the fresh random `state` (and, with PKCE, the code verifier) to keep in the user's session
    /// until the callback.
    pub fn authorize(&self) -> std::io::Result<AuthorizationRequest> {
        self.authorize_at(F::AUTHORIZATION_URL)
    }

    /// [`OAuthApp::authorize`] with another authorization URL (a regional or test server).
    pub fn authorize_at(&self, authorization_url: &str) -> std::io::Result<AuthorizationRequest> {
        let state = State::generate()?;
        let code_verifier = if F::PKCE { Some(CodeVerifier::generate()?) } else { None };
        let mut url = reqwest::Url::parse(authorization_url)
            .map_err(|err| std::io::Error::new(std::io::ErrorKind::InvalidInput, err))?;
        {
            let mut query = url.query_pairs_mut();
            query.append_pair("response_type", "code").append_pair("client_id", &self.client_id);
            query.append_pair("state", state.as_str());
            if let Some(redirect_uri) = &self.redirect_uri {
                query.append_pair("redirect_uri", redirect_uri);
            }
            if !self.scopes.is_empty() {
                query.append_pair("scope", &self.scopes.join(" "));
            }
            if let Some(verifier) = &code_verifier {
                query.append_pair("code_challenge", &verifier.challenge());
                query.append_pair("code_challenge_method", "S256");
            }
        }
        Ok(AuthorizationRequest { url: url.into(), state, code_verifier })
    }

    /// Checks the callback the user was redirected to: `callback` is the full callback URL or
    /// just its query string. The `state` must be the one [`OAuthApp::authorize`] gave (compared
    /// in constant time) before anything else in the callback is trusted.
    ///
    /// With PKCE, give the code the verifier kept with the state
    /// ([`AuthorizationCode::with_code_verifier`]) before exchanging it.
    pub fn callback(&self, expected_state: &State, callback: &str) -> Result<AuthorizationCode, CallbackError> {
        let query = match callback.split_once('?') {
            Some((_, query)) => query,
            None if callback.contains("://") => "",
            None => callback,
        };
        let query = query.split('#').next().unwrap_or_default();
        let mut pairs = std::collections::BTreeMap::new();
        let parsed = reqwest::Url::parse(&format!("http://callback.invalid/?{query}"))
            .map_err(|err| CallbackError::Malformed(err.to_string()))?;
        for (name, value) in parsed.query_pairs() {
            pairs.entry(name.into_owned()).or_insert_with(|| value.into_owned());
        }
        let Some(state) = pairs.remove("state") else {
            return Err(CallbackError::MissingState);
        };
        let state = State(SecretString::new(state));
        if state != *expected_state {
            return Err(CallbackError::StateMismatch);
        }
        match pairs.remove("code").filter(|code| !code.is_empty()) {
            Some(code) if !pairs.contains_key("error") => {
                Ok(AuthorizationCode { code: SecretString::new(code), state, code_verifier: None })
            }
            _ => Err(CallbackError::AccessDenied {
                error: pairs.remove("error"),
                description: pairs.remove("error_description"),
            }),
        }
    }
}

/// The URL to send the user to, the `state` that ties the callback to this request, and with
/// PKCE the code verifier the code exchange proves it with. `Debug` shows the URL with its
/// `state` redacted (the code challenge may show: it reveals nothing of the verifier).
pub struct AuthorizationRequest {
    url: String,
    state: State,
    code_verifier: Option<CodeVerifier>,
}

impl AuthorizationRequest {
    /// The authorization URL, with `response_type`, `client_id`, `state` and, when set,
    /// `redirect_uri` and `scope` in its query, and with PKCE `code_challenge` and
    /// `code_challenge_method=S256`.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The state to keep until the callback.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The PKCE code verifier to keep with the state until the callback (`None` when the flow
    /// does not use PKCE): the code exchange needs it.
    pub fn code_verifier(&self) -> Option<&CodeVerifier> {
        self.code_verifier.as_ref()
    }

    /// The URL, the state and the code verifier, apart.
    pub fn into_parts(self) -> (String, State, Option<CodeVerifier>) {
        (self.url, self.state, self.code_verifier)
    }

    /// The URL with the value of its `state` parameter redacted.
    fn redacted_url(&self) -> String {
        let Ok(mut url) = reqwest::Url::parse(&self.url) else { return "[REDACTED]".to_owned() };
        let pairs: Vec<(String, String)> = url
            .query_pairs()
            .map(|(name, value)| {
                let value = if name == "state" { "[REDACTED]".into() } else { value };
                (name.into_owned(), value.into_owned())
            })
            .collect();
        url.query_pairs_mut().clear().extend_pairs(pairs);
        url.into()
    }
}

impl fmt::Debug for AuthorizationRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthorizationRequest")
            .field("url", &self.redacted_url())
            .field("state", &self.state)
            .field("code_verifier", &self.code_verifier)
            .finish()
    }
}

/// The `state` of one authorization request: 256 random bits from the operating system, hex
/// encoded. Compared in constant time; redacted in `Debug` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct State(SecretString);

impl State {
    fn generate() -> std::io::Result<State> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
        let hex = bytes.iter().map(|byte| format!("{byte:02x}")).collect::<String>();
        Ok(State(SecretString::new(hex)))
    }

    /// A state kept between requests (in a session store, say), to check a callback against.
    pub fn from_stored(state: impl Into<String>) -> State {
        State(SecretString::new(state.into()))
    }

    /// The state, to store in the user's session.
    pub fn as_str(&self) -> &str {
        self.0.expose_secret()
    }
}

/// A PKCE code verifier (RFC 7636): 256 random bits from the operating system, base64url
/// encoded (43 characters). The authorization URL carries its S256 challenge, and the code
/// exchange the verifier itself, which proves that the app exchanging the code is the one that
/// asked for it. Kept secret like the state: redacted in `Debug` output.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CodeVerifier(SecretString);

impl CodeVerifier {
    fn generate() -> std::io::Result<CodeVerifier> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|err| std::io::Error::other(err.to_string()))?;
        Ok(CodeVerifier(SecretString::new(base64url(&bytes))))
    }

    /// A verifier kept between requests (beside the state, in a session store), to exchange
    /// the code of the callback with.
    pub fn from_stored(code_verifier: impl Into<String>) -> CodeVerifier {
        CodeVerifier(SecretString::new(code_verifier.into()))
    }

    /// The verifier, to store in the user's session.
    pub fn as_str(&self) -> &str {
        self.0.expose_secret()
    }

    /// The `S256` code challenge: the base64url SHA-256 of the verifier. Not a secret.
    pub fn challenge(&self) -> String {
        base64url(&Sha256::digest(self.as_str().as_bytes()))
    }
}

/// Base64url without padding (RFC 4648 section 5), as PKCE writes verifiers and challenges.
fn base64url(bytes: &[u8]) -> String {
    let standard = Base64(bytes.to_vec()).encode();
    standard.trim_end_matches('=').replace('+', "-").replace('/', "_")
}

/// What a successful callback carries: the code to exchange, its (checked) state, and the PKCE
/// code verifier once it is given back to it.
#[derive(Clone, Debug)]
pub struct AuthorizationCode {
    code: SecretString,
    state: State,
    code_verifier: Option<CodeVerifier>,
}

impl AuthorizationCode {
    /// A code obtained some other way.
    pub fn new(code: impl Into<SecretString>, state: State) -> Self {
        AuthorizationCode { code: code.into(), state, code_verifier: None }
    }

    /// The code with the PKCE verifier of its authorization request (the one
    /// [`AuthorizationRequest::code_verifier`] gave, kept with the state), which the code
    /// exchange sends. A server that enforces PKCE refuses a code exchanged without it.
    pub fn with_code_verifier(mut self, code_verifier: CodeVerifier) -> Self {
        self.code_verifier = Some(code_verifier);
        self
    }

    /// The PKCE code verifier, once given.
    pub fn code_verifier(&self) -> Option<&CodeVerifier> {
        self.code_verifier.as_ref()
    }

    /// The authorization code.
    pub fn code(&self) -> &SecretString {
        &self.code
    }

    /// The state the callback carried.
    pub fn state(&self) -> &State {
        &self.state
    }
}

/// Why a callback does not carry a usable authorization code.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum CallbackError {
    /// The user denied access (no `code`, or an `error` parameter).
    AccessDenied {
        /// The `error` parameter, if any (`access_denied`).
        error: Option<String>,
        /// The `error_description` parameter, if any.
        description: Option<String>,
    },
    /// The `state` is not the one of this authorization request: a forged or crossed callback.
    StateMismatch,
    /// The callback has no `state`.
    MissingState,
    /// The callback URL cannot be parsed.
    Malformed(String),
}

impl fmt::Display for CallbackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CallbackError::AccessDenied { error, description } => {
                write!(f, "the user denied access")?;
                if let Some(error) = error {
                    write!(f, " ({error})")?;
                }
                if let Some(description) = description {
                    write!(f, ": {description}")?;
                }
                Ok(())
            }
            CallbackError::StateMismatch => {
                f.write_str("the callback's state does not match the authorization request; it is rejected")
            }
            CallbackError::MissingState => f.write_str("the callback has no state parameter; it is rejected"),
            CallbackError::Malformed(reason) => write!(f, "malformed callback: {reason}"),
        }
    }
}

impl std::error::Error for CallbackError {}

/// An access token, the refresh token that renews it, and when it expires.
#[derive(Clone, Debug)]
pub struct Tokens {
    pub(crate) access_token: SecretString,
    pub(crate) refresh_token: Option<SecretString>,
    token_type: Option<String>,
    pub(crate) expires_at: Option<Instant>,
    scope: Option<String>,
}

impl Tokens {
    /// An access token that does not expire, without a refresh token.
    pub fn new(access_token: impl Into<SecretString>) -> Self {
        Tokens {
            access_token: access_token.into(),
            refresh_token: None,
            token_type: None,
            expires_at: None,
            scope: None,
        }
    }

    /// Sets the refresh token (one stored from an earlier run, say).
    pub fn with_refresh_token(mut self, refresh_token: impl Into<SecretString>) -> Self {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// Sets the lifetime of the access token, counted from now.
    pub fn with_expires_in(mut self, expires_in: Duration) -> Self {
        self.expires_at = Instant::now().checked_add(expires_in);
        self
    }

    /// Reads a token response (RFC 6749 section 5.1): `access_token`, `refresh_token`,
    /// `expires_in` (seconds, from now), `token_type` and `scope`. Takes any type that serializes
    /// to that JSON, such as the API's own token response model.
    pub fn from_response<T: Serialize + ?Sized>(response: &T) -> Result<Tokens, TokenError> {
        let value = serde_json::to_value(response).map_err(|err| TokenError::InvalidResponse(err.to_string()))?;
        let text = |name: &str| value.get(name).and_then(Value::as_str).filter(|s| !s.is_empty()).map(str::to_owned);
        let access_token = text("access_token")
            .ok_or_else(|| TokenError::InvalidResponse("the response has no access_token".to_owned()))?;
        let expires_in = match value.get("expires_in") {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        Ok(Tokens {
            access_token: SecretString::new(access_token),
            refresh_token: text("refresh_token").map(SecretString::new),
            token_type: text("token_type"),
            expires_at: expires_in
                .filter(|seconds| seconds.is_finite() && *seconds >= 0.0)
                .and_then(|seconds| Instant::now().checked_add(Duration::try_from_secs_f64(seconds).ok()?)),
            scope: text("scope"),
        })
    }

    /// The access token.
    pub fn access_token(&self) -> &SecretString {
        &self.access_token
    }

    /// The refresh token: store it to renew access without asking the user again.
    pub fn refresh_token(&self) -> Option<&SecretString> {
        self.refresh_token.as_ref()
    }

    /// `token_type`, as the server sent it (`Bearer`).
    pub fn token_type(&self) -> Option<&str> {
        self.token_type.as_deref()
    }

    /// The scopes granted, if the server said.
    pub fn scope(&self) -> Option<&str> {
        self.scope.as_deref()
    }

    /// When the access token expires, if the server said.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// Whether the access token expires within `margin` from now (or has expired).
    pub fn expires_within(&self, margin: Duration) -> bool {
        self.expires_at.is_some_and(|at| Instant::now() + margin >= at)
    }
}

/// The fields of a token request body, by their RFC 6749 names, made into the operation's body
/// type. The generator checked that the type needs no other field.
#[doc(hidden)]
pub fn token_request_body<B: DeserializeOwned>(params: &[(&str, Option<&str>)]) -> Result<B, TokenError> {
    serde_json::from_value(Value::Object(form_fields(params)))
        .map_err(|err| TokenError::InvalidResponse(err.to_string()))
}

/// The fields of a token request's form that have a value.
fn form_fields(params: &[(&str, Option<&str>)]) -> Map<String, Value> {
    params.iter().filter_map(|(name, value)| Some(((*name).to_owned(), Value::String((*value)?.to_owned())))).collect()
}

/// A standard request to the authorization server: a form POST of the fields of `params` that
/// have a value to `endpoint` (its path on one of the client's servers), answered with JSON. The
/// token requests here and the device flow's (`device.rs`) are all made so.
pub(crate) fn form_request<'c>(
    client: &'c Client,
    endpoint: &'static OperationSpec,
    params: &[(&str, Option<&str>)],
) -> ResponseFuture<'c, Value, Value> {
    let mut request = client.request(endpoint);
    request.path(endpoint.path_template);
    request.form(&form_fields(params));
    request.send_json()
}

/// What a failed token request means: a refusal (`refused(status, reason)`) for 4xx answers
/// other than 408 and 429, with the server's RFC 6749 error (read from the decoded error body
/// by `reason_of`, or from a raw body the error type did not match); a bad response for a body
/// that does not decode; and "unavailable" otherwise.
#[doc(hidden)]
pub fn token_error<E>(
    err: Error<E>,
    refused: fn(StatusCode, Option<RefusalReason>) -> TokenError,
    reason_of: fn(&E) -> Option<RefusalReason>,
) -> TokenError
where
    E: fmt::Debug + Send + Sync + 'static,
{
    match err {
        Error::Token(err) => err,
        Error::Decode { source, .. } => TokenError::InvalidResponse(source.to_string()),
        err => match err.status() {
            Some(status)
                if status.is_client_error()
                    && status != StatusCode::REQUEST_TIMEOUT
                    && status != StatusCode::TOO_MANY_REQUESTS =>
            {
                let reason = match &err {
                    Error::Api { body, .. } => reason_of(body),
                    Error::UnexpectedResponse { body, .. } => RefusalReason::from_body(body),
                    _ => None,
                };
                refused(status, reason)
            }
            _ => TokenError::Unavailable(Arc::new(err)),
        },
    }
}

/// The refusal reason in the fields of a decoded error body (`error`, `error_description`,
/// `error_uri`; `&()` for one the body type does not have). Each may be a string, a string
/// enum, or an `Option` of them.
#[doc(hidden)]
pub fn refusal_reason_of<A, B, C>(error: &A, error_description: &B, error_uri: &C) -> Option<RefusalReason>
where
    A: Serialize + ?Sized,
    B: Serialize + ?Sized,
    C: Serialize + ?Sized,
{
    let field = |value: serde_json::Result<Value>| value.unwrap_or(Value::Null);
    let mut body = Map::new();
    body.insert("error".to_owned(), field(serde_json::to_value(error)));
    body.insert("error_description".to_owned(), field(serde_json::to_value(error_description)));
    body.insert("error_uri".to_owned(), field(serde_json::to_value(error_uri)));
    RefusalReason::from_json(&Value::Object(body))
}

/// `call` (a token request) with the app's credentials in an `Authorization` header when
/// `client_auth` is [`ClientAuth::Basic`]; with [`ClientAuth::Body`] they are in its body
/// already ([`OAuthApp::body_secret`]).
#[doc(hidden)]
pub fn authenticated<'c, T, E, F: AuthorizationFlow>(
    call: ResponseFuture<'c, T, E>,
    app: &OAuthApp<F>,
    client_auth: ClientAuth,
) -> Result<ResponseFuture<'c, T, E>, TokenError> {
    Ok(match client_auth {
        ClientAuth::Basic => call.header(AUTHORIZATION, app.basic_authorization()?),
        ClientAuth::Body => call,
    })
}

/// A token request as RFC 6749 describes it: a form POST of `params` to `endpoint`, answered
/// with a JSON token response, the app authenticated as `client_auth` says. For documents that
/// do not describe their token endpoint as an operation. The endpoint's server is one of the
/// client's servers, so that `every_server_url` and `server_url` move it like any operation.
#[doc(hidden)]
pub async fn standard_token_request<F: AuthorizationFlow>(
    client: &Client,
    endpoint: &'static OperationSpec,
    app: &OAuthApp<F>,
    client_auth: ClientAuth,
    params: &[(&str, Option<&str>)],
    refused: fn(StatusCode, Option<RefusalReason>) -> TokenError,
) -> Result<Tokens, TokenError> {
    let secret = ("client_secret", app.body_secret(client_auth));
    let params: Vec<(&str, Option<&str>)> = params.iter().copied().chain([secret]).collect();
    let call = authenticated(form_request(client, endpoint, &params), app, client_auth)?;
    let response = call.await.map_err(|err| token_error(err, refused, RefusalReason::from_json))?;
    Tokens::from_response(response.body())
}

#[cfg(test)]
mod tests {
    use super::*;

    struct Flow;

    impl AuthorizationFlow for Flow {
        const AUTHORIZATION_URL: &'static str = "https://auth.example/oauth/authorize";
    }

    fn app() -> OAuthApp<Flow> {
        OAuthApp::new("client 1", "secret").with_redirect_uri("https://example.com/cb?x=1")
    }

    /// A flow whose code exchange cannot carry a PKCE verifier.
    struct FlowWithoutPkce;

    impl AuthorizationFlow for FlowWithoutPkce {
        const AUTHORIZATION_URL: &'static str = "https://auth.example/oauth/authorize";
        const PKCE: bool = false;
    }

    #[test]
    fn authorization_url_is_encoded_and_state_is_random() {
        let first = app().authorize_at("https://auth.example/oauth/authorize").unwrap();
        let second = app().authorize_at("https://auth.example/oauth/authorize").unwrap();
        assert_ne!(first.state(), second.state());
        assert_eq!(first.state().as_str().len(), 64);
        let verifier = first.code_verifier().expect("PKCE by default");
        let expected = format!(
            "https://auth.example/oauth/authorize?response_type=code&client_id=client+1&state={}&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1&code_challenge={}&code_challenge_method=S256",
            first.state().as_str(),
            verifier.challenge()
        );
        assert_eq!(first.url(), expected);
    }

    #[test]
    fn the_code_verifier_is_random_and_its_challenge_is_s256() {
        let request = app().authorize().unwrap();
        let verifier = request.code_verifier().unwrap();
        // 256 bits, base64url without padding: RFC 7636 asks for 43 to 128 unreserved characters.
        assert_eq!(verifier.as_str().len(), 43);
        assert!(verifier.as_str().bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(Some(verifier), app().authorize().unwrap().code_verifier());
        // RFC 7636 appendix B.
        let example = CodeVerifier::from_stored("dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
        assert_eq!(example.challenge(), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
    }

    #[test]
    fn a_flow_without_pkce_asks_for_no_challenge() {
        let app = OAuthApp::<FlowWithoutPkce>::new("client", "secret");
        let request = app.authorize().unwrap();
        assert!(request.code_verifier().is_none());
        assert!(!request.url().contains("code_challenge"), "{}", request.url());
    }

    #[test]
    fn debug_shows_neither_the_state_nor_the_verifier() {
        let request = app().authorize().unwrap();
        let debug = format!("{request:?}");
        let state = request.state().as_str();
        let verifier = request.code_verifier().unwrap();
        assert!(!debug.contains(state), "{debug}");
        assert!(!debug.contains(verifier.as_str()), "{debug}");
        assert!(debug.contains("state=%5BREDACTED%5D"), "{debug}");
        assert!(debug.contains(&verifier.challenge()), "the challenge reveals nothing: {debug}");
        let code = AuthorizationCode::new("the-code", request.state().clone()).with_code_verifier(verifier.clone());
        let debug = format!("{code:?}");
        assert!(!debug.contains("the-code") && !debug.contains(state) && !debug.contains(verifier.as_str()), "{debug}");
    }

    #[test]
    fn basic_client_authentication_form_encodes_the_id_and_secret() {
        let app = OAuthApp::<Flow>::new("client 1", "s:cr+t");
        let value = app.basic_authorization().unwrap();
        assert!(value.is_sensitive());
        let expected = format!("Basic {}", Base64(b"client%201:s%3Acr%2Bt".to_vec()).encode());
        assert_eq!(value.to_str().unwrap(), expected);
        assert_eq!(app.body_secret(ClientAuth::Basic), None);
        assert_eq!(app.body_secret(ClientAuth::Body), Some("s:cr+t"));
        assert_eq!(app.client_auth(), None);
        assert_eq!(app.with_client_auth(ClientAuth::Body).client_auth(), Some(ClientAuth::Body));
    }

    #[test]
    fn a_refusal_keeps_the_servers_reason_from_any_error_body() {
        let refused = |status, reason| TokenError::CodeRejected { status, reason };
        let rfc = serde_json::json!({"error": "invalid_grant", "error_description": "Code already used"});
        let api = Error::Api { status: StatusCode::BAD_REQUEST, headers: Default::default(), body: rfc.clone() };
        let err = token_error(api, refused, RefusalReason::from_json);
        assert!(err.to_string().contains("(400 Bad Request: invalid_grant: Code already used)"), "{err}");
        // A body the documented error type did not match is read raw.
        let raw = Error::<()>::UnexpectedResponse {
            status: StatusCode::BAD_REQUEST,
            headers: Default::default(),
            body: rfc.to_string().into(),
        };
        let err = token_error(raw, refused, |_| None);
        assert_eq!(err.reason().and_then(|reason| reason.error_description.as_deref()), Some("Code already used"));
        // The fields of a typed error body.
        let reason = refusal_reason_of("invalid_grant", &Some("redirect_uri mismatch"), &()).unwrap();
        assert_eq!(reason.to_string(), "invalid_grant: redirect_uri mismatch");
        assert_eq!(refusal_reason_of(&None::<String>, &(), &()), None);
    }

    #[test]
    fn callback_tells_denial_from_state_mismatch() {
        let state = State::from_stored("abc");
        let code = app().callback(&state, "https://example.com/cb?code=xyz&state=abc").unwrap();
        assert_eq!(code.code().expose_secret(), "xyz");
        let denied = app().callback(&state, "state=abc").unwrap_err();
        assert_eq!(denied, CallbackError::AccessDenied { error: None, description: None });
        assert_eq!(app().callback(&state, "?code=xyz&state=abd").unwrap_err(), CallbackError::StateMismatch);
        assert_eq!(app().callback(&state, "code=xyz").unwrap_err(), CallbackError::MissingState);
        let denied = app().callback(&state, "?error=access_denied&state=abc").unwrap_err();
        assert_eq!(denied, CallbackError::AccessDenied { error: Some("access_denied".into()), description: None });
    }

    #[test]
    fn token_response_fields_are_read() {
        let tokens = Tokens::from_response(&serde_json::json!({
            "access_token": "a", "refresh_token": "r", "expires_in": 3600, "token_type": "Bearer"
        }))
        .unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "a");
        assert_eq!(tokens.refresh_token().map(SecretString::expose_secret), Some("r"));
        assert!(!tokens.expires_within(Duration::from_secs(3000)));
        assert!(tokens.expires_within(Duration::from_secs(3601)));
        assert!(Tokens::from_response(&serde_json::json!({"error": "x"})).is_err());
        // A lifetime no `Duration` holds is no expiry, not a panic.
        let forever = Tokens::from_response(&serde_json::json!({"access_token": "a", "expires_in": 1e30})).unwrap();
        assert_eq!(forever.expires_at(), None);
    }
}

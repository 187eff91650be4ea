//! The OAuth 2.0 authorization code flow: the authorization URL with an unguessable `state`, the
//! callback check, tokens with their expiry, and a holder that refreshes them for a service
//! ([`TokenHolder`], in a module of its own).
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
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::client::{Client, OperationSpec};
use super::error::Error;
use super::secret::SecretString;
use super::token::TokenError;
pub use super::token_holder::{StoreError, StoreFuture, TokenEndpoint, TokenHolder, TokenHolderBuilder, TokensFuture};

/// An API's OAuth authorization code flow, as its description gives it. The generated crate
/// implements it on a type of its own.
pub trait AuthorizationFlow: 'static {
    /// Where users are sent to authorize an app.
    const AUTHORIZATION_URL: &'static str;
}

/// Your app as the authorization server of the flow `F` knows it: its client id and secret, and
/// optionally the redirect URI and the scopes to ask for.
pub struct OAuthApp<F> {
    client_id: String,
    client_secret: SecretString,
    redirect_uri: Option<String>,
    scopes: Vec<String>,
    flow: PhantomData<fn() -> F>,
}

impl<F> Clone for OAuthApp<F> {
    fn clone(&self) -> Self {
        OAuthApp {
            client_id: self.client_id.clone(),
            client_secret: self.client_secret.clone(),
            redirect_uri: self.redirect_uri.clone(),
            scopes: self.scopes.clone(),
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

    /// Starts the flow at the document's authorization URL: the URL to send the user to, and
    /// the fresh random `state` to keep (in the user's session) until the callback.
    pub fn authorize(&self) -> std::io::Result<AuthorizationRequest> {
        self.authorize_at(F::AUTHORIZATION_URL)
    }

    /// [`OAuthApp::authorize`] with another authorization URL (a regional or test server).
    pub fn authorize_at(&self, authorization_url: &str) -> std::io::Result<AuthorizationRequest> {
        let state = State::generate()?;
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
        }
        Ok(AuthorizationRequest { url: url.into(), state })
    }

    /// Checks the callback the user was redirected to: `callback` is the full callback URL or
    /// just its query string. The `state` must be the one [`OAuthApp::authorize`] gave (compared
    /// in constant time) before anything else in the callback is trusted.
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
                Ok(AuthorizationCode { code: SecretString::new(code), state })
            }
            _ => Err(CallbackError::AccessDenied {
                error: pairs.remove("error"),
                description: pairs.remove("error_description"),
            }),
        }
    }
}

/// The URL to send the user to, and the `state` that ties the callback to this request.
#[derive(Debug)]
pub struct AuthorizationRequest {
    url: String,
    state: State,
}

impl AuthorizationRequest {
    /// The authorization URL, with `response_type`, `client_id`, `state` and, when set,
    /// `redirect_uri` and `scope` in its query.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// The state to keep until the callback.
    pub fn state(&self) -> &State {
        &self.state
    }

    /// The URL and the state, apart.
    pub fn into_parts(self) -> (String, State) {
        (self.url, self.state)
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

/// What a successful callback carries: the code to exchange, and its (checked) state.
#[derive(Clone, Debug)]
pub struct AuthorizationCode {
    code: SecretString,
    state: State,
}

impl AuthorizationCode {
    /// A code obtained some other way.
    pub fn new(code: impl Into<SecretString>, state: State) -> Self {
        AuthorizationCode { code: code.into(), state }
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
                .and_then(|seconds| Instant::now().checked_add(Duration::from_secs_f64(seconds))),
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
    let map: Map<String, Value> = params
        .iter()
        .filter_map(|(name, value)| Some(((*name).to_owned(), Value::String((*value)?.to_owned()))))
        .collect();
    serde_json::from_value(Value::Object(map)).map_err(|err| TokenError::InvalidResponse(err.to_string()))
}

/// What a failed token request means: a refusal (`refused(status)`) for 4xx answers other than
/// 408 and 429, a bad response for a body that does not decode, and "unavailable" otherwise.
#[doc(hidden)]
pub fn token_error<E>(err: Error<E>, refused: fn(StatusCode) -> TokenError) -> TokenError
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
                refused(status)
            }
            _ => TokenError::Unavailable(Arc::new(err)),
        },
    }
}

/// A token request as RFC 6749 describes it: a form POST of `params` to `endpoint`, answered
/// with a JSON token response. For documents that do not describe their token endpoint as an
/// operation.
#[doc(hidden)]
pub async fn standard_token_request(
    client: &Client,
    endpoint: &'static OperationSpec,
    params: &[(&str, Option<&str>)],
    refused: fn(StatusCode) -> TokenError,
) -> Result<Tokens, TokenError> {
    let form: Map<String, Value> = params
        .iter()
        .filter_map(|(name, value)| Some(((*name).to_owned(), Value::String((*value)?.to_owned()))))
        .collect();
    let mut request = client.request(endpoint);
    request.form(&form);
    let response = request.send_json::<Value, Value>().await.map_err(|err| token_error(err, refused))?;
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

    #[test]
    fn authorization_url_is_encoded_and_state_is_random() {
        let first = app().authorize_at("https://auth.example/oauth/authorize").unwrap();
        let second = app().authorize_at("https://auth.example/oauth/authorize").unwrap();
        assert_ne!(first.state(), second.state());
        assert_eq!(first.state().as_str().len(), 64);
        let expected = format!(
            "https://auth.example/oauth/authorize?response_type=code&client_id=client+1&state={}&redirect_uri=https%3A%2F%2Fexample.com%2Fcb%3Fx%3D1",
            first.state().as_str()
        );
        assert_eq!(first.url(), expected);
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
    }
}

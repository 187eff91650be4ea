//! The OAuth 2.0 device authorization grant (RFC 8628), for apps on devices that have no browser
//! or little input (a command-line tool, a TV): the app asks for a device code, shows the user a
//! short code and a URL to enter it at on another device, and polls the token endpoint until the
//! user approves or denies, or the code expires.
//!
//! The endpoints come from the document's `deviceAuthorization` flow (OpenAPI 3.2); the
//! generated crate's `device_flow` module calls these functions through the generated client,
//! so the requests go to one of its servers (which `every_server_url` moves, as in tests).

use std::time::{Duration, Instant};

use serde_json::Value;

use super::client::{Client, OperationSpec};
use super::oauth::{Tokens, TokensFuture, form_request, token_error};
use super::secret::SecretString;
use super::token::{RefusalReason, TokenError};

/// The `grant_type` of a device access token request (RFC 8628 section 3.4).
const DEVICE_CODE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// How long to wait between token requests when the server does not say (RFC 8628 section 3.2).
const DEFAULT_INTERVAL: Duration = Duration::from_secs(5);

/// How much longer to wait after each `slow_down` answer (RFC 8628 section 3.5).
const SLOW_DOWN_STEP: Duration = Duration::from_secs(5);

/// What a `TokenHolder` made with `TokenHolder::device_builder` refreshes through: the
/// generated client, whose `refresh_device_tokens` sends the refresh to the flow's token endpoint.
pub trait DeviceTokenEndpoint: Send + Sync + 'static {
    /// New tokens for `refresh_token`, asked for as `app`.
    fn refresh_device_tokens<'a>(&'a self, app: &'a DeviceApp, refresh_token: &'a SecretString) -> TokensFuture<'a>;
}

/// Your app as the authorization server knows it: its client id, the scopes to ask for, and a
/// client secret for the servers that want one in the body (most device clients are public and
/// have none).
#[derive(Clone, Debug)]
pub struct DeviceApp {
    client_id: String,
    client_secret: Option<SecretString>,
    scopes: Vec<String>,
}

impl DeviceApp {
    /// An app without a client secret, asking for the server's default scopes.
    pub fn new(client_id: impl Into<String>) -> Self {
        DeviceApp { client_id: client_id.into(), client_secret: None, scopes: Vec::new() }
    }

    /// Sends `client_secret` in the body of each request (`client_secret_post`), for servers
    /// that ask for it of device clients too.
    pub fn with_client_secret(mut self, client_secret: impl Into<SecretString>) -> Self {
        self.client_secret = Some(client_secret.into());
        self
    }

    /// The scopes to ask for (the module's `scopes` constants), sent space-separated.
    pub fn with_scopes<S: Into<String>>(mut self, scopes: impl IntoIterator<Item = S>) -> Self {
        self.scopes = scopes.into_iter().map(Into::into).collect();
        self
    }

    /// The client id.
    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    fn client_secret(&self) -> Option<&str> {
        self.client_secret.as_ref().map(SecretString::expose_secret)
    }
}

/// The server's answer to a device authorization request (RFC 8628 section 3.2): what to show
/// the user, and the device code to poll with, which stays out of `Debug` (a [`SecretString`]).
#[derive(Clone, Debug)]
pub struct DeviceAuthorization {
    device_code: SecretString,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_at: Instant,
    interval: Duration,
}

impl DeviceAuthorization {
    /// Reads the answer's JSON: `device_code`, `user_code`, `verification_uri` (or
    /// `verification_url`, as some servers spell it), `expires_in`, and the optional
    /// `verification_uri_complete` and `interval`.
    pub fn from_response(response: &Value) -> Result<DeviceAuthorization, TokenError> {
        let text = |name: &str| response.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
        let missing = |name: &str| TokenError::InvalidResponse(format!("the device authorization has no {name}"));
        let seconds = |name: &str| match response.get(name) {
            Some(Value::Number(n)) => n.as_f64(),
            Some(Value::String(s)) => s.trim().parse().ok(),
            _ => None,
        };
        // A number no `Duration` holds (`1e30`) is refused, not a panic.
        let duration = |seconds: f64| Duration::try_from_secs_f64(seconds).ok();
        let expires_in = seconds("expires_in").and_then(duration).ok_or_else(|| missing("expires_in"))?;
        Ok(DeviceAuthorization {
            device_code: SecretString::new(text("device_code").ok_or_else(|| missing("device_code"))?),
            user_code: text("user_code").ok_or_else(|| missing("user_code"))?.to_owned(),
            verification_uri: text("verification_uri")
                .or_else(|| text("verification_url"))
                .ok_or_else(|| missing("verification_uri"))?
                .to_owned(),
            verification_uri_complete: text("verification_uri_complete").map(str::to_owned),
            expires_at: Instant::now().checked_add(expires_in).unwrap_or_else(Instant::now),
            interval: seconds("interval").and_then(duration).unwrap_or(DEFAULT_INTERVAL),
        })
    }

    /// The code the user enters at [`verification_uri`](Self::verification_uri).
    pub fn user_code(&self) -> &str {
        &self.user_code
    }

    /// Where the user enters the code, on another device.
    pub fn verification_uri(&self) -> &str {
        &self.verification_uri
    }

    /// The verification URI with the code in it, when the server gives one (for a QR code).
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.verification_uri_complete.as_deref()
    }

    /// When the device code expires; polling stops then.
    pub fn expires_at(&self) -> Instant {
        self.expires_at
    }

    /// How long to wait between token requests, as the server said (5 seconds when it did not).
    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// The device code, which the app polls with.
    pub fn device_code(&self) -> &SecretString {
        &self.device_code
    }
}

/// The JSON answer of a standard form request to `endpoint`.
async fn post_form(
    client: &Client,
    endpoint: &'static OperationSpec,
    params: &[(&str, Option<&str>)],
) -> Result<Value, super::error::Error<Value>> {
    Ok(form_request(client, endpoint, params).await?.into_body())
}

/// Asks the authorization server for a device code (RFC 8628 section 3.1).
#[doc(hidden)]
pub async fn request_device_authorization(
    client: &Client,
    endpoint: &'static OperationSpec,
    app: &DeviceApp,
) -> Result<DeviceAuthorization, TokenError> {
    let scope = (!app.scopes.is_empty()).then(|| app.scopes.join(" "));
    let params =
        [("client_id", Some(app.client_id())), ("scope", scope.as_deref()), ("client_secret", app.client_secret())];
    let refused = |status, reason| TokenError::DeviceAuthorizationRefused { status, reason };
    let response = post_form(client, endpoint, &params)
        .await
        .map_err(|err| token_error(err, refused, RefusalReason::from_json))?;
    DeviceAuthorization::from_response(&response)
}

/// Polls the token endpoint (RFC 8628 section 3.4) every [`DeviceAuthorization::interval`],
/// five seconds longer after each `slow_down`, while the answer is `authorization_pending`:
/// the tokens once the user approves, [`TokenError::DeviceAccessDenied`] when the user
/// declines, [`TokenError::DeviceCodeExpired`] when the code expires first, and the first other
/// failure as it is (a refusal, or the endpoint unavailable: polling again with the same
/// authorization is safe until it expires).
#[doc(hidden)]
pub async fn poll_device_tokens(
    client: &Client,
    endpoint: &'static OperationSpec,
    app: &DeviceApp,
    authorization: &DeviceAuthorization,
) -> Result<Tokens, TokenError> {
    let params = [
        ("grant_type", Some(DEVICE_CODE_GRANT)),
        ("device_code", Some(authorization.device_code.expose_secret())),
        ("client_id", Some(app.client_id())),
        ("client_secret", app.client_secret()),
    ];
    let refused = |status, reason| TokenError::DeviceAuthorizationRefused { status, reason };
    let mut interval = authorization.interval;
    loop {
        if Instant::now().checked_add(interval).is_none_or(|next| next >= authorization.expires_at) {
            return Err(TokenError::DeviceCodeExpired);
        }
        tokio::time::sleep(interval).await;
        let err = match post_form(client, endpoint, &params).await {
            Ok(response) => return Tokens::from_response(&response),
            Err(err) => token_error(err, refused, RefusalReason::from_json),
        };
        match Answer::of(&err) {
            Answer::Pending => {}
            Answer::SlowDown => interval = interval.saturating_add(SLOW_DOWN_STEP),
            Answer::Denied => return Err(TokenError::DeviceAccessDenied),
            Answer::Expired => return Err(TokenError::DeviceCodeExpired),
            Answer::Other => return Err(err),
        }
    }
}

/// Exchanges a refresh token from the device flow for new tokens (RFC 6749 section 6) at the
/// flow's token endpoint; a refusal (the user revoked the device's access) is
/// [`TokenError::ReauthorizationRequired`].
#[doc(hidden)]
pub async fn refresh_device_tokens(
    client: &Client,
    endpoint: &'static OperationSpec,
    app: &DeviceApp,
    refresh_token: &SecretString,
) -> Result<Tokens, TokenError> {
    let params = [
        ("grant_type", Some("refresh_token")),
        ("refresh_token", Some(refresh_token.expose_secret())),
        ("client_id", Some(app.client_id())),
        ("client_secret", app.client_secret()),
    ];
    let refused = |status, reason| TokenError::ReauthorizationRequired { status, reason };
    let response = post_form(client, endpoint, &params)
        .await
        .map_err(|err| token_error(err, refused, RefusalReason::from_json))?;
    Tokens::from_response(&response)
}

/// What a failed device access token request says (RFC 8628 section 3.5).
#[derive(Debug, PartialEq)]
enum Answer {
    Pending,
    SlowDown,
    Denied,
    Expired,
    Other,
}

impl Answer {
    fn of(err: &TokenError) -> Answer {
        let TokenError::DeviceAuthorizationRefused { reason: Some(reason), .. } = err else { return Answer::Other };
        match reason.error.as_str() {
            "authorization_pending" => Answer::Pending,
            "slow_down" => Answer::SlowDown,
            "access_denied" => Answer::Denied,
            "expired_token" => Answer::Expired,
            _ => Answer::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_authorization_is_read_with_its_defaults_and_keeps_the_device_code_out_of_debug() {
        let authorization = DeviceAuthorization::from_response(&serde_json::json!({
            "device_code": "GmRhmhcxhwAzkoEqiMEg_DnyEysNkuNhszIySk9eS",
            "user_code": "WDJB-MJHT",
            "verification_url": "https://example.com/device",
            "expires_in": "1800",
        }))
        .unwrap();
        assert_eq!(authorization.user_code(), "WDJB-MJHT");
        assert_eq!(authorization.verification_uri(), "https://example.com/device");
        assert_eq!(authorization.verification_uri_complete(), None);
        assert_eq!(authorization.interval(), DEFAULT_INTERVAL);
        assert!(authorization.expires_at() > Instant::now() + Duration::from_secs(1700));
        let debug = format!("{authorization:?}");
        assert!(!debug.contains("GmRhmhcxhwAzkoEqiMEg"), "{debug}");
        assert!(debug.contains("WDJB-MJHT"), "{debug}");
        // Numbers beyond a `Duration` are refused or fall back, never a panic.
        let huge = serde_json::json!({"device_code": "d", "user_code": "u", "verification_uri": "v", "expires_in": 60, "interval": 1e30});
        assert_eq!(DeviceAuthorization::from_response(&huge).unwrap().interval(), DEFAULT_INTERVAL);
        let huge =
            serde_json::json!({"device_code": "d", "user_code": "u", "verification_uri": "v", "expires_in": 1e30});
        assert!(DeviceAuthorization::from_response(&huge).is_err());
        let missing = serde_json::json!({"device_code": "d", "user_code": "u", "expires_in": 60});
        let missing = DeviceAuthorization::from_response(&missing);
        assert!(matches!(missing, Err(TokenError::InvalidResponse(reason)) if reason.contains("verification_uri")));
    }

    #[test]
    fn the_answers_of_a_pending_authorization_are_told_apart() {
        let refusal = |error: &str| TokenError::DeviceAuthorizationRefused {
            status: reqwest::StatusCode::BAD_REQUEST,
            reason: RefusalReason::from_json(&serde_json::json!({ "error": error })),
        };
        assert_eq!(Answer::of(&refusal("authorization_pending")), Answer::Pending);
        assert_eq!(Answer::of(&refusal("slow_down")), Answer::SlowDown);
        assert_eq!(Answer::of(&refusal("access_denied")), Answer::Denied);
        assert_eq!(Answer::of(&refusal("expired_token")), Answer::Expired);
        assert_eq!(Answer::of(&refusal("invalid_client")), Answer::Other);
        assert_eq!(Answer::of(&TokenError::InvalidResponse("x".to_owned())), Answer::Other);
    }

    #[test]
    fn the_app_secret_stays_out_of_debug() {
        let app = DeviceApp::new("cli").with_client_secret("s3cret").with_scopes(["repo", "user"]);
        let debug = format!("{app:?}");
        assert!(!debug.contains("s3cret") && debug.contains("cli"), "{debug}");
        assert_eq!(app.client_secret(), Some("s3cret"));
    }
}

//! Access tokens that change over time: where a request's bearer token comes from when it is not
//! fixed, and why getting one failed.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::StatusCode;
use serde_json::Value;

use super::secret::SecretString;

/// A future that resolves to an access token.
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<SecretString, TokenError>> + Send + 'a>>;

/// A source of bearer tokens that may change: an OAuth token holder that refreshes expired
/// tokens, or your own cache. The client asks it for a token before every attempt.
pub trait TokenProvider: Send + Sync + 'static {
    /// A token that is valid now, refreshed first if needed.
    fn access_token(&self) -> TokenFuture<'_>;

    /// The API answered `401 Unauthorized` to `rejected`: stop handing it out, so that the next
    /// [`TokenProvider::access_token`] gets a new one. The request is then retried once.
    fn invalidate(&self, rejected: &SecretString) -> Pin<Box<dyn Future<Output = ()> + Send + '_>> {
        let _ = rejected;
        Box::pin(async {})
    }
}

/// Why no access token could be had.
///
/// Cheap to clone: when one refresh fails, every caller that waited for it gets the same error.
#[derive(Clone)]
#[non_exhaustive]
pub enum TokenError {
    /// The authorization server refused the refresh token: the user revoked the app's access or
    /// the scopes changed. The user must go through the authorization flow again.
    ReauthorizationRequired {
        /// The status of the refusal.
        status: StatusCode,
        /// What the server said, when its answer was an RFC 6749 error response.
        reason: Option<RefusalReason>,
    },
    /// The authorization server refused the authorization code (used, expired, unknown, issued
    /// for another redirect URI or PKCE verifier, or not for this app).
    CodeRejected {
        /// The status of the refusal.
        status: StatusCode,
        /// What the server said, when its answer was an RFC 6749 error response.
        reason: Option<RefusalReason>,
    },
    /// The access token expired and there is no refresh token to get a new one.
    NoRefreshToken,
    /// The authorization server refused a request of the device flow (RFC 8628): the device
    /// authorization (an unknown client, a scope it may not have) or a token request, with an
    /// error other than the ones polling waits out.
    DeviceAuthorizationRefused {
        /// The status of the refusal.
        status: StatusCode,
        /// What the server said, when its answer was an RFC 6749 error response.
        reason: Option<RefusalReason>,
    },
    /// The user declined the device's request for access (`access_denied`).
    DeviceAccessDenied,
    /// The device code expired before the user approved; start the device flow again.
    DeviceCodeExpired,
    /// The token endpoint could not be reached or failed (network, 5xx); trying later may work.
    Unavailable(Arc<dyn std::error::Error + Send + Sync>),
    /// The token endpoint answered with something that is not a token response.
    InvalidResponse(String),
}

impl TokenError {
    /// Whether the user must authorize the app again before calls can be made for them.
    pub fn requires_reauthorization(&self) -> bool {
        matches!(self, TokenError::ReauthorizationRequired { .. } | TokenError::NoRefreshToken)
    }

    /// What the authorization server said when it refused the code or the refresh token.
    pub fn reason(&self) -> Option<&RefusalReason> {
        match self {
            TokenError::ReauthorizationRequired { reason, .. }
            | TokenError::CodeRejected { reason, .. }
            | TokenError::DeviceAuthorizationRefused { reason, .. } => reason.as_ref(),
            _ => None,
        }
    }
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::ReauthorizationRequired { status, reason } => write!(
                f,
                "the refresh token was refused ({status}{}): the user revoked access or the scopes changed, \
                 so the user must authorize the app again",
                Because(reason.as_ref())
            ),
            TokenError::CodeRejected { status, reason } => write!(
                f,
                "the authorization code was refused ({status}{}); start the authorization flow again",
                Because(reason.as_ref())
            ),
            TokenError::NoRefreshToken => {
                f.write_str("the access token expired and there is no refresh token; the user must authorize again")
            }
            TokenError::DeviceAuthorizationRefused { status, reason } => write!(
                f,
                "the authorization server refused the device flow's request ({status}{})",
                Because(reason.as_ref())
            ),
            TokenError::DeviceAccessDenied => f.write_str("the user declined the device's request for access"),
            TokenError::DeviceCodeExpired => {
                f.write_str("the device code expired before the user approved; start the device flow again")
            }
            TokenError::Unavailable(source) => write!(f, "the token endpoint is unavailable: {source}"),
            TokenError::InvalidResponse(reason) => write!(f, "invalid token response: {reason}"),
        }
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::ReauthorizationRequired { status, reason } => {
                f.debug_struct("ReauthorizationRequired").field("status", status).field("reason", reason).finish()
            }
            TokenError::CodeRejected { status, reason } => {
                f.debug_struct("CodeRejected").field("status", status).field("reason", reason).finish()
            }
            TokenError::NoRefreshToken => f.write_str("NoRefreshToken"),
            TokenError::DeviceAuthorizationRefused { status, reason } => {
                f.debug_struct("DeviceAuthorizationRefused").field("status", status).field("reason", reason).finish()
            }
            TokenError::DeviceAccessDenied => f.write_str("DeviceAccessDenied"),
            TokenError::DeviceCodeExpired => f.write_str("DeviceCodeExpired"),
            TokenError::Unavailable(source) => f.debug_tuple("Unavailable").field(&source.to_string()).finish(),
            TokenError::InvalidResponse(reason) => f.debug_tuple("InvalidResponse").field(reason).finish(),
        }
    }
}

impl std::error::Error for TokenError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            TokenError::Unavailable(source) => Some(source.as_ref()),
            _ => None,
        }
    }
}

/// What an authorization server said when it refused a token request: the `error` code of an
/// RFC 6749 (section 5.2) error response, with its `error_description` and `error_uri` when it
/// sent them. The server writes these for the app's developers, never with a secret in them, so
/// they are shown in `Display`; control characters are dropped and long texts cut, so that a
/// server cannot forge log lines.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct RefusalReason {
    /// The error code: `invalid_grant` (a code used, expired, unknown or sent with another
    /// `redirect_uri` or PKCE verifier; a revoked refresh token), `invalid_client`,
    /// `invalid_request`, `unauthorized_client`, `unsupported_grant_type`, `invalid_scope`, or
    /// the server's own.
    pub error: String,
    /// `error_description`: what went wrong, for the developer.
    pub error_description: Option<String>,
    /// `error_uri`: a page about the error.
    pub error_uri: Option<String>,
}

/// The longest text of a refusal reason that is kept, in characters.
const REASON_TEXT_LIMIT: usize = 300;

impl RefusalReason {
    /// The reason in an error response's JSON body: `None` unless it has a string `error`.
    pub fn from_json(body: &Value) -> Option<RefusalReason> {
        let text = |name: &str| body.get(name).and_then(Value::as_str).map(clean).filter(|text| !text.is_empty());
        Some(RefusalReason {
            error: text("error")?,
            error_description: text("error_description"),
            error_uri: text("error_uri"),
        })
    }

    /// The reason in an error response's raw body, if it is JSON with a string `error`.
    // Token requests are sent only with the `oauth` feature.
    #[cfg_attr(not(feature = "oauth"), allow(dead_code))]
    pub(crate) fn from_body(body: &[u8]) -> Option<RefusalReason> {
        Self::from_json(&serde_json::from_slice(body).ok()?)
    }
}

/// `text` without control characters (a newline would start a forged log line), and cut to
/// [`REASON_TEXT_LIMIT`] characters.
fn clean(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).take(REASON_TEXT_LIMIT).collect()
}

impl fmt::Display for RefusalReason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.error)?;
        if let Some(description) = &self.error_description {
            write!(f, ": {description}")?;
        }
        if let Some(uri) = &self.error_uri {
            write!(f, " (see {uri})")?;
        }
        Ok(())
    }
}

/// `: reason` after a refusal's status, or nothing when the server gave no reason.
struct Because<'a>(Option<&'a RefusalReason>);

impl fmt::Display for Because<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(reason) => write!(f, ": {reason}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refusal_shows_the_servers_error_description_and_uri() {
        let body = br#"{"error": "invalid_grant", "error_description": "Code already used", "error_uri": "https://auth.example/errors#code"}"#;
        let reason = RefusalReason::from_body(body);
        let err = TokenError::CodeRejected { status: StatusCode::BAD_REQUEST, reason };
        assert_eq!(
            err.to_string(),
            "the authorization code was refused (400 Bad Request: invalid_grant: Code already used \
             (see https://auth.example/errors#code)); start the authorization flow again"
        );
        assert_eq!(err.reason().map(|reason| reason.error.as_str()), Some("invalid_grant"));
    }

    #[test]
    fn a_body_that_is_not_an_rfc_6749_error_gives_no_reason() {
        let err = TokenError::ReauthorizationRequired { status: StatusCode::BAD_REQUEST, reason: None };
        assert!(err.to_string().starts_with("the refresh token was refused (400 Bad Request):"), "{err}");
        for body in [&b"<html>Bad Request</html>"[..], br#"{"error": {"error_name": "invalid_grant"}}"#, b"{}"] {
            assert_eq!(RefusalReason::from_body(body), None);
        }
    }

    #[test]
    fn control_characters_cannot_forge_a_log_line() {
        let body = br#"{"error": "invalid_grant", "error_description": "used\nINFO forged line"}"#;
        let reason = RefusalReason::from_body(body).unwrap();
        assert_eq!(reason.error_description.as_deref(), Some("usedINFO forged line"));
    }
}

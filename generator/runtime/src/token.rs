//! Access tokens that change over time: where a request's bearer token comes from when it is not
//! fixed, and why getting one failed.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;

use reqwest::StatusCode;

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
    },
    /// The authorization server refused the authorization code (used, expired, or not for this
    /// app).
    CodeRejected {
        /// The status of the refusal.
        status: StatusCode,
    },
    /// The access token expired and there is no refresh token to get a new one.
    NoRefreshToken,
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
}

impl fmt::Display for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::ReauthorizationRequired { status } => write!(
                f,
                "the refresh token was refused ({status}): the user revoked access or the scopes changed, \
                 so the user must authorize the app again"
            ),
            TokenError::CodeRejected { status } => {
                write!(f, "the authorization code was refused ({status}); start the authorization flow again")
            }
            TokenError::NoRefreshToken => {
                f.write_str("the access token expired and there is no refresh token; the user must authorize again")
            }
            TokenError::Unavailable(source) => write!(f, "the token endpoint is unavailable: {source}"),
            TokenError::InvalidResponse(reason) => write!(f, "invalid token response: {reason}"),
        }
    }
}

impl fmt::Debug for TokenError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenError::ReauthorizationRequired { status } => {
                f.debug_struct("ReauthorizationRequired").field("status", status).finish()
            }
            TokenError::CodeRejected { status } => f.debug_struct("CodeRejected").field("status", status).finish(),
            TokenError::NoRefreshToken => f.write_str("NoRefreshToken"),
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

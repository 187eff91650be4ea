//! The one error type of every operation.

use std::fmt;

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use serde::de::DeserializeOwned;

use super::redirect::{RedirectRefusal, RefusedRedirect, shown_origin};
use super::token::TokenError;
use super::transport_error::TransportError;

/// Why an operation failed. `E` is the type of the error responses the API describes.
///
/// Transport failures, responses that cannot be decoded, and API errors are told apart, and
/// none of them prints a credential: `Display` and `Debug` never show request headers, and
/// response bodies are shown only as their length.
#[non_exhaustive]
pub enum Error<E = serde_json::Value> {
    /// The request could not be built: a value that cannot be encoded, or an invalid URL.
    InvalidRequest(String),
    /// The operation needs credentials and none of the accepted kinds was configured.
    MissingCredentials {
        /// The operation's `operationId`.
        operation: &'static str,
        /// The security schemes, any of which would do.
        schemes: Vec<&'static str>,
    },
    /// Connecting, TLS, a timeout, or reading the response failed (after the retries the
    /// client's `RetryPolicy` allows): [`TransportError::kind`] says which, and its `Display`
    /// names the call.
    Transport(TransportError),
    /// A [`crate::Hook`] stopped the call.
    Hook(crate::HookError),
    /// No access token could be had for the request: the refresh failed, or the user must
    /// authorize the app again ([`TokenError::requires_reauthorization`]).
    Token(TokenError),
    /// A success response whose body does not match the documented type.
    Decode {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
        /// Where in the body it went wrong, as serde paths it (`signatures[0].signed_at`); empty
        /// when the body as a whole does not match (or is not JSON).
        path: String,
        /// What did not match.
        source: serde_json::Error,
    },
    /// An error response with the documented error body.
    Api {
        /// The response status.
        status: StatusCode,
        /// The response headers (rate limits, request ids).
        headers: HeaderMap,
        /// The decoded error body.
        body: E,
    },
    /// A response the description does not document for the operation (a status it does not
    /// name, a success status among them: see `ClientBuilder::accept_undocumented_success`), or
    /// an error response whose body is not the documented error type (a proxy's HTML page, say).
    UnexpectedResponse {
        /// The response status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The raw body.
        body: Bytes,
    },
    /// A redirect the client's `RedirectPolicy` does not follow: a `301`, `302` or `303` to a
    /// request other than `GET` or `HEAD` (following it would turn the request into a `GET`),
    /// a `307` or `308` to a streamed upload sent already, too many redirects in a row, or any
    /// redirect with `RedirectPolicy::none`. `Display` and `Debug` show only the origin of the
    /// location, whose path and query may carry a secret.
    Redirect {
        /// The redirect's status.
        status: StatusCode,
        /// The response headers (`Location` among them).
        headers: HeaderMap,
        /// Where it pointed: the `Location` resolved against the request's URL (as sent, when it
        /// is not a URL).
        location: String,
        /// Why it was not followed.
        reason: RedirectRefusal,
    },
}

impl<E> Error<E> {
    /// The response status, when there was a response.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Decode { status, .. }
            | Error::Api { status, .. }
            | Error::UnexpectedResponse { status, .. }
            | Error::Redirect { status, .. } => Some(*status),
            Error::Transport(err) => err.status(),
            Error::InvalidRequest(_) | Error::MissingCredentials { .. } | Error::Token(_) | Error::Hook(_) => None,
        }
    }

    /// The response headers, when there was a response.
    pub fn headers(&self) -> Option<&HeaderMap> {
        match self {
            Error::Decode { headers, .. }
            | Error::Api { headers, .. }
            | Error::UnexpectedResponse { headers, .. }
            | Error::Redirect { headers, .. } => Some(headers),
            _ => None,
        }
    }

    /// The response header `name` parsed as `V` (a documented header's constant in the generated
    /// crate's `headers` module names it), as `ApiResponse::header` gives it on success; `None`
    /// when there was no response, or the header is absent or not a `V`.
    pub fn header<V: std::str::FromStr>(&self, name: &str) -> Option<V> {
        self.headers()?.get(name)?.to_str().ok()?.trim().parse().ok()
    }

    /// The documented error body, for [`Error::Api`].
    pub fn api_error(&self) -> Option<&E> {
        match self {
            Error::Api { body, .. } => Some(body),
            _ => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
            Error::MissingCredentials { operation, schemes } => write!(
                f,
                "operation `{operation}` needs credentials for one of {schemes:?}; set them on the ClientBuilder"
            ),
            Error::Transport(err) => write!(f, "transport error: {err}"),
            Error::Hook(err) => write!(f, "a hook stopped the call: {err}"),
            Error::Token(err) => write!(f, "cannot get an access token: {err}"),
            Error::Decode { status, body, path, source, .. } if path.is_empty() || path == "." => {
                write!(f, "cannot decode the {status} response body ({} bytes): {source}", body.len())
            }
            Error::Decode { status, body, path, source, .. } => {
                write!(f, "cannot decode the {status} response body ({} bytes) at `{path}`: {source}", body.len())
            }
            Error::Api { status, body, .. } => {
                let shown = format!("{body:?}");
                match message_in(&shown) {
                    Some(message) => write!(f, "API error {status}: {message}"),
                    None => write!(f, "API error {status}: {shown}"),
                }
            }
            Error::UnexpectedResponse { status, body, .. } => {
                write!(f, "unexpected {status} response ({} bytes)", body.len())
            }
            Error::Redirect { status, location, reason, .. } => {
                write!(f, "redirect {status} to {} not followed: {reason}", shown_origin(location))
            }
        }
    }
}

impl<E: fmt::Debug> fmt::Debug for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(reason) => f.debug_tuple("InvalidRequest").field(reason).finish(),
            Error::MissingCredentials { operation, schemes } => {
                f.debug_struct("MissingCredentials").field("operation", operation).field("schemes", schemes).finish()
            }
            Error::Transport(err) => f.debug_tuple("Transport").field(err).finish(),
            Error::Hook(err) => f.debug_tuple("Hook").field(err).finish(),
            Error::Token(err) => f.debug_tuple("Token").field(err).finish(),
            Error::Decode { status, body, path, source, .. } => f
                .debug_struct("Decode")
                .field("status", status)
                .field("body_len", &body.len())
                .field("path", path)
                .field("source", source)
                .finish_non_exhaustive(),
            Error::Api { status, body, .. } => {
                f.debug_struct("Api").field("status", status).field("body", body).finish_non_exhaustive()
            }
            Error::UnexpectedResponse { status, body, .. } => f
                .debug_struct("UnexpectedResponse")
                .field("status", status)
                .field("body_len", &body.len())
                .finish_non_exhaustive(),
            Error::Redirect { status, location, reason, .. } => f
                .debug_struct("Redirect")
                .field("status", status)
                .field("location_origin", &shown_origin(location))
                .field("reason", reason)
                .finish_non_exhaustive(),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(err) => Some(err),
            Error::Hook(err) => Some(err.as_ref()),
            Error::Token(err) => Some(err),
            Error::Decode { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl<E> From<RequestError> for Error<E> {
    fn from(err: RequestError) -> Self {
        match err {
            RequestError::Invalid(reason) => Error::InvalidRequest(reason),
            RequestError::MissingCredentials { operation, schemes } => Error::MissingCredentials { operation, schemes },
            RequestError::Token(err) => Error::Token(err),
            RequestError::Hook(err) => Error::Hook(err),
        }
    }
}

/// Why a request failed, before the error body type is known. Sending, retrying and reading the
/// response do not depend on that type, so they are compiled once rather than once per error
/// type; only [`SendError::into_error`] is.
#[derive(Debug)]
pub(crate) enum SendError {
    Request(RequestError),
    Transport(TransportError),
    /// A response whose status is not a success (or not a documented one), and whether the
    /// operation documents its status.
    Status {
        status: StatusCode,
        headers: HeaderMap,
        body: Bytes,
        documented: bool,
    },
    /// A redirect that is not followed, and its headers.
    Redirect(RefusedRedirect, HeaderMap),
}

impl From<RequestError> for SendError {
    fn from(err: RequestError) -> Self {
        SendError::Request(err)
    }
}

impl SendError {
    /// The [`Error`]: a documented error status becomes [`Error::Api`] when its body is the
    /// documented error type; an undocumented status, or a body that is not the documented one,
    /// is [`Error::UnexpectedResponse`] (an error type that reads any JSON would otherwise take
    /// any status for a documented one).
    pub(crate) fn into_error<E: ErrorBody>(self) -> Error<E> {
        match self {
            SendError::Request(err) => err.into(),
            SendError::Transport(err) => Error::Transport(err),
            SendError::Status { status, headers, body, documented } => {
                match documented.then(|| E::from_response(status, &body)).flatten() {
                    Some(decoded) => Error::Api { status, headers, body: decoded },
                    None => Error::UnexpectedResponse { status, headers, body },
                }
            }
            SendError::Redirect(RefusedRedirect { status, location, reason }, headers) => {
                Error::Redirect { status, headers, location, reason }
            }
        }
    }
}

/// The documented body of an error response, decoded knowing its status: `None` when the
/// status is not documented or the body is not what the description says for it (the error is
/// then [`Error::UnexpectedResponse`], with the raw body).
///
/// Every type serde can decode is one, whatever the status: an operation whose errors share one
/// schema takes it as its error type. Generated crates implement it for the enums of operations
/// whose error statuses have different schemas, matching the status exactly first, then its
/// range (`4XX`), then `default`.
pub trait ErrorBody: Sized {
    /// The body of a `status` response, when it is a documented error body.
    fn from_response(status: StatusCode, body: &[u8]) -> Option<Self>;
}

impl<T: DeserializeOwned> ErrorBody for T {
    fn from_response(_status: StatusCode, body: &[u8]) -> Option<Self> {
        decode_error_body(body)
    }
}

/// The body of a success response, decoded knowing its status, for operations whose success
/// statuses have different bodies (`200` a job, `202` a queue position, `204` nothing):
/// generated crates implement it for their enums of those bodies. `None` when the status is not
/// documented (the error is then [`Error::UnexpectedResponse`]), an error when the body is not
/// what the description says for it ([`Error::Decode`]).
pub trait SuccessBody: Sized {
    /// The body of a `status` response.
    fn from_response(status: StatusCode, body: &[u8]) -> Option<Result<Self, DecodeFailure>>;
}

/// Why a body does not decode: serde's error.
pub type DecodeFailure = serde_json::Error;

/// `body` as the JSON of `T` (an empty body as `null`), for the success enums of generated crates.
#[doc(hidden)]
pub fn decode_success_body<T: DeserializeOwned>(body: &[u8]) -> Result<T, DecodeFailure> {
    if body.iter().all(u8::is_ascii_whitespace) {
        serde_json::from_slice(b"null")
    } else {
        serde_json::from_slice(body)
    }
}

/// `body` as the JSON of `T`, for the error enums of generated crates.
#[doc(hidden)]
pub fn decode_error_body<T: DeserializeOwned>(body: &[u8]) -> Option<T> {
    decode_success_body(body).ok()
}

/// Why a request could not be built, before the error body type is known.
#[derive(Debug)]
pub(crate) enum RequestError {
    Invalid(String),
    MissingCredentials { operation: &'static str, schemes: Vec<&'static str> },
    Token(TokenError),
    Hook(crate::HookError),
}

/// Why a [`crate::Client`] could not be built.
#[derive(Debug)]
pub struct BuildError(pub(crate) String);

impl fmt::Display for BuildError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "cannot build the client: {}", self.0)
    }
}

impl std::error::Error for BuildError {}

/// The fields an error body says what went wrong in, most telling first (`message` for GitHub
/// and most APIs, `error_msg` for Dropbox Sign, `error_description` for OAuth 2, `detail` and
/// `title` for RFC 9457 problem details).
const MESSAGE_FIELDS: &[&str] =
    &["message", "error_msg", "error_message", "error_description", "detail", "title", "msg"];

/// The text of the first message field in `shown`, an error body's `Debug` text (a generated
/// struct's `error_msg: "Not found"`, or `serde_json::Value`'s `"message": String("Not found")`,
/// at any depth): what a person reads first. Secrets stay out, as `Debug` already redacts them.
fn message_in(shown: &str) -> Option<String> {
    MESSAGE_FIELDS.iter().find_map(|field| {
        let typed = [format!("{{ {field}: "), format!(", {field}: ")];
        let json = format!("\"{field}\": String(");
        let after = typed
            .iter()
            .find_map(|key| shown.find(key.as_str()).map(|at| &shown[at + key.len()..]))
            .map(|rest| rest.strip_prefix("Some(").unwrap_or(rest))
            .or_else(|| shown.find(&json).map(|at| &shown[at + json.len()..]))?;
        debug_string(after).filter(|message| !message.trim().is_empty())
    })
}

/// The string a `Debug` string literal at the start of `text` holds (`"a \"b\""` → `a "b"`).
fn debug_string(text: &str) -> Option<String> {
    let mut chars = text.strip_prefix('"')?.chars();
    let mut value = String::new();
    while let Some(c) = chars.next() {
        match c {
            '"' => return Some(value),
            '\\' => match chars.next()? {
                'n' => value.push('\n'),
                't' => value.push('\t'),
                'r' => value.push('\r'),
                other => value.push(other),
            },
            c => value.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_error<E>(body: E) -> Error<E> {
        Error::Api { status: StatusCode::NOT_FOUND, headers: HeaderMap::new(), body }
    }

    #[derive(Debug)]
    struct ErrorResponse {
        #[allow(dead_code)]
        error: ErrorResponseError,
    }

    #[derive(Debug)]
    #[allow(dead_code)]
    struct ErrorResponseError {
        error_name: String,
        error_msg: String,
        error_path: Option<String>,
    }

    #[test]
    fn an_api_error_shows_the_message_of_its_body_as_a_person_reads_it() {
        let body = ErrorResponse {
            error: ErrorResponseError {
                error_name: "not_found".to_owned(),
                error_msg: "No \"signature request\" with that id".to_owned(),
                error_path: None,
            },
        };
        assert_eq!(api_error(body).to_string(), "API error 404 Not Found: No \"signature request\" with that id");
        let json = serde_json::json!({"documentation_url": "https://docs", "message": "Bad credentials"});
        assert_eq!(api_error(json).to_string(), "API error 404 Not Found: Bad credentials");
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Problem {
            title: Option<String>,
        }
        assert_eq!(api_error(Problem { title: Some("Gone".to_owned()) }).to_string(), "API error 404 Not Found: Gone");
    }

    #[test]
    fn an_api_error_without_a_message_field_shows_its_body() {
        #[derive(Debug)]
        #[allow(dead_code)]
        struct Codes {
            code: u16,
            some_message_id: u32,
        }
        let shown = api_error(Codes { code: 7, some_message_id: 3 }).to_string();
        assert_eq!(shown, "API error 404 Not Found: Codes { code: 7, some_message_id: 3 }");
        assert_eq!(
            api_error(serde_json::json!({"message": ""})).to_string(),
            "API error 404 Not Found: Object {\"message\": String(\"\")}"
        );
    }
}

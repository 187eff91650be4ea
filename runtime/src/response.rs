//! A successful response: the decoded body with its status and headers.

use std::fmt;
use std::ops::Deref;
use std::str::FromStr;

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

/// A successful response. Derefs to the body; [`ApiResponse::header`] reads headers such as
/// rate limits as typed values.
pub struct ApiResponse<T> {
    status: StatusCode,
    headers: HeaderMap,
    body: T,
}

impl<T> ApiResponse<T> {
    pub(crate) fn new(status: StatusCode, headers: HeaderMap, body: T) -> Self {
        ApiResponse { status, headers, body }
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// All response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The header `name` parsed as `V`; `None` when absent or not a `V`.
    pub fn header<V: FromStr>(&self, name: &str) -> Option<V> {
        self.headers.get(name)?.to_str().ok()?.trim().parse().ok()
    }

    /// The decoded body.
    pub fn body(&self) -> &T {
        &self.body
    }

    /// The decoded body, leaving status and headers behind.
    pub fn into_body(self) -> T {
        self.body
    }
}

impl<T> Deref for ApiResponse<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.body
    }
}

impl<T: fmt::Debug> fmt::Debug for ApiResponse<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiResponse")
            .field("status", &self.status)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body", &self.body)
            .finish()
    }
}

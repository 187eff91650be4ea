//! Why a request got no response: the kind of failure, and the call it happened to.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use reqwest::Method;

/// A request that got no response, or whose response could not be read, after the retries the
/// client's `RetryPolicy` allowed.
///
/// It displays the kind of failure and the call: `connection refused: GET
/// /signature_request/list on 127.0.0.1:9 (operation signatureRequestList): tcp connect error:
/// Connection refused (os error 111)`, never a header, a parameter value or the query. The
/// `reqwest` error is its source.
pub struct TransportError {
    source: reqwest::Error,
    operation: &'static str,
    method: &'static Method,
    path_template: &'static str,
    host: String,
}

/// What kind of transport failure it was.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum TransportErrorKind {
    /// The server refused the connection: nothing listens there.
    ConnectionRefused,
    /// The connection could not be made for another reason: the name did not resolve, TLS
    /// failed, the network is unreachable. The server never saw the request.
    Connect,
    /// The attempt took longer than the timeout.
    Timeout,
    /// The connection was reset or closed before the response was complete.
    ConnectionReset,
    /// The response's body could not be read.
    Body,
    /// Anything else (redirects, protocol errors).
    Other,
}

impl TransportErrorKind {
    fn describe(self) -> &'static str {
        match self {
            TransportErrorKind::ConnectionRefused => "connection refused",
            TransportErrorKind::Connect => "cannot connect",
            TransportErrorKind::Timeout => "timed out",
            TransportErrorKind::ConnectionReset => "connection reset or closed",
            TransportErrorKind::Body => "cannot read the response body",
            TransportErrorKind::Other => "request failed",
        }
    }
}

impl TransportError {
    pub(crate) fn new(
        source: reqwest::Error,
        operation: &'static str,
        method: &'static Method,
        path_template: &'static str,
        url: &reqwest::Url,
    ) -> Self {
        let host = match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_owned(),
            (None, _) => String::new(),
        };
        TransportError { source, operation, method, path_template, host }
    }

    /// What kind of failure it was.
    pub fn kind(&self) -> TransportErrorKind {
        let io_kind = causes(&self.source).find_map(|cause| cause.downcast_ref::<io::Error>()).map(io::Error::kind);
        match io_kind {
            _ if self.source.is_timeout() => TransportErrorKind::Timeout,
            Some(io::ErrorKind::TimedOut) => TransportErrorKind::Timeout,
            Some(io::ErrorKind::ConnectionRefused) => TransportErrorKind::ConnectionRefused,
            _ if self.source.is_connect() => TransportErrorKind::Connect,
            Some(
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof,
            ) => TransportErrorKind::ConnectionReset,
            _ if self.source.is_body() || self.source.is_decode() => TransportErrorKind::Body,
            _ if causes(&self.source).any(is_incomplete_message) => TransportErrorKind::ConnectionReset,
            _ => TransportErrorKind::Other,
        }
    }

    /// Whether the attempt timed out.
    pub fn is_timeout(&self) -> bool {
        self.kind() == TransportErrorKind::Timeout
    }

    /// Whether the connection could not be made (the server never saw the request).
    pub fn is_connect(&self) -> bool {
        self.source.is_connect()
    }

    /// The `operationId` of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The `reqwest` error (also [`std::error::Error::source`]).
    pub fn inner(&self) -> &reqwest::Error {
        &self.source
    }

    /// The status, for a failure that came with one (a redirect loop).
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.source.status()
    }
}

/// The error and its sources, outermost first.
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&cause| cause.source())
}

/// hyper's "connection closed before message completed", which carries no `io::Error`.
fn is_incomplete_message(cause: &(dyn StdError + 'static)) -> bool {
    cause.to_string().contains("closed before message completed")
}

impl fmt::Display for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} {} on {} (operation {})",
            self.kind().describe(),
            self.method,
            self.path_template,
            self.host,
            self.operation
        )?;
        // The innermost cause says most ("Connection refused (os error 111)"); reqwest's own
        // message ("error sending request") says least. Neither carries the URL: it was removed.
        let innermost = causes(&self.source).last().filter(|cause| !std::ptr::addr_eq(*cause, &self.source));
        match innermost {
            Some(cause) => write!(f, ": {cause}"),
            None => write!(f, ": {}", self.source),
        }
    }
}

impl fmt::Debug for TransportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TransportError")
            .field("kind", &self.kind())
            .field("operation", &self.operation)
            .field("method", self.method)
            .field("path_template", &self.path_template)
            .field("host", &self.host)
            .field("source", &self.source)
            .finish()
    }
}

impl StdError for TransportError {
    fn source(&self) -> Option<&(dyn StdError + 'static)> {
        Some(&self.source)
    }
}

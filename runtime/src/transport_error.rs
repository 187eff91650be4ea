//! Why a request got no response: the kind of failure, and the call it happened to.

use std::error::Error as StdError;
use std::fmt;
use std::io;

use reqwest::Method;

/// Why one attempt got no response: `reqwest`'s error, or a middleware's (feature `middleware`).
#[derive(Debug)]
pub(crate) enum NoResponse {
    Reqwest(reqwest::Error),
    #[cfg_attr(not(feature = "middleware"), allow(dead_code))]
    Middleware(Box<dyn StdError + Send + Sync>),
}

impl NoResponse {
    /// Whether the connection could not be made, so that the server never saw the request.
    pub(crate) fn is_connect(&self) -> bool {
        match self {
            NoResponse::Reqwest(err) => err.is_connect(),
            NoResponse::Middleware(err) => causes(err.as_ref())
                .any(|cause| cause.downcast_ref::<reqwest::Error>().is_some_and(reqwest::Error::is_connect)),
        }
    }

    /// Whether the request provably never reached the server, so that sending it again is safe
    /// whatever its method: the connection could not be made, or hyper closed it before writing
    /// a byte of the request.
    ///
    /// hyper says the second by handing the request back with a "canceled" error
    /// (`hyper::Error::is_canceled`). hyper-util's pool resends such a request itself when the
    /// connection was a reused one (`retry_canceled_requests`), so what reaches us is the same
    /// on a new connection, or on a second closed one. A request whose bytes were written before
    /// the connection closed ("connection closed before message completed", a reset) is not one
    /// of them: the server may have read it and acted, and hyper cannot tell.
    pub(crate) fn was_not_sent(&self) -> bool {
        self.is_connect() || causes(self.as_error()).any(is_canceled_before_sent)
    }

    fn as_error(&self) -> &(dyn StdError + 'static) {
        match self {
            NoResponse::Reqwest(err) => err,
            NoResponse::Middleware(err) => err.as_ref(),
        }
    }
}

impl From<reqwest::Error> for NoResponse {
    fn from(err: reqwest::Error) -> Self {
        NoResponse::Reqwest(err.without_url())
    }
}

impl fmt::Display for NoResponse {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_error(), f)
    }
}

/// A request that got no response, or whose response could not be read, after the retries the
/// client's `RetryPolicy` allowed.
///
/// It displays the kind of failure and the call: `connection refused: GET
/// /signature_request/list on 127.0.0.1:9 (operation signatureRequestList): tcp connect error:
/// Connection refused (os error 111)`, never a header, a parameter value or the query. The
/// `reqwest` error (or a middleware's) is its source.
pub struct TransportError {
    source: NoResponse,
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
    /// Anything else (protocol errors; the redirect errors of a `reqwest::Client` given to
    /// `http_client` that follows redirects itself).
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
        source: NoResponse,
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
        let chain = || causes(self.source.as_error());
        let io_kind = chain().find_map(|cause| cause.downcast_ref::<io::Error>()).map(io::Error::kind);
        let reqwest = chain().find_map(|cause| cause.downcast_ref::<reqwest::Error>());
        let flag = |test: fn(&reqwest::Error) -> bool| reqwest.is_some_and(test);
        match io_kind {
            _ if flag(reqwest::Error::is_timeout) => TransportErrorKind::Timeout,
            Some(io::ErrorKind::TimedOut) => TransportErrorKind::Timeout,
            Some(io::ErrorKind::ConnectionRefused) => TransportErrorKind::ConnectionRefused,
            _ if flag(reqwest::Error::is_connect) => TransportErrorKind::Connect,
            Some(
                io::ErrorKind::ConnectionReset
                | io::ErrorKind::ConnectionAborted
                | io::ErrorKind::BrokenPipe
                | io::ErrorKind::UnexpectedEof,
            ) => TransportErrorKind::ConnectionReset,
            _ if flag(reqwest::Error::is_body) || flag(reqwest::Error::is_decode) => TransportErrorKind::Body,
            _ if chain().any(is_incomplete_message) => TransportErrorKind::ConnectionReset,
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

    /// Whether the request provably never reached the server: the connection could not be made,
    /// or it was closed before a byte of the request was written. Such a request is retried
    /// whatever its method; one that failed after it was written (a reset, or "connection closed
    /// before message completed") may have been carried out, and is not, for a `POST` or `PATCH`.
    pub fn is_not_sent(&self) -> bool {
        self.source.was_not_sent()
    }

    /// Whether a middleware, rather than `reqwest`, failed the request (feature `middleware`).
    pub fn is_middleware(&self) -> bool {
        matches!(self.source, NoResponse::Middleware(_))
    }

    /// The `operationId` of the call.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The `reqwest` error, when `reqwest` failed (the source, also through a middleware).
    pub fn inner(&self) -> Option<&reqwest::Error> {
        causes(self.source.as_error()).find_map(|cause| cause.downcast_ref::<reqwest::Error>())
    }

    /// The status, for a failure that came with one: a redirect loop of a `reqwest::Client` given
    /// to `http_client` that follows redirects itself (the client's own follows none: its
    /// redirects are `Error::Redirect`).
    pub fn status(&self) -> Option<reqwest::StatusCode> {
        self.inner().and_then(reqwest::Error::status)
    }
}

/// The error and its sources, outermost first.
fn causes<'a>(error: &'a (dyn StdError + 'static)) -> impl Iterator<Item = &'a (dyn StdError + 'static)> {
    std::iter::successors(Some(error), |&cause| cause.source())
}

/// hyper's "connection closed before message completed", which carries no `io::Error`.
fn is_incomplete_message(cause: &(dyn StdError + 'static)) -> bool {
    cause.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_incomplete_message)
}

/// hyper's "operation was canceled": a request handed back before a byte of it was written
/// (the connection closed, or was not ready), which hyper only does for a request it never
/// started to send.
fn is_canceled_before_sent(cause: &(dyn StdError + 'static)) -> bool {
    cause.downcast_ref::<hyper::Error>().is_some_and(hyper::Error::is_canceled)
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
        let source = self.source.as_error();
        let innermost = causes(source).last().filter(|cause| !std::ptr::addr_eq(*cause, source));
        match innermost {
            Some(cause) => write!(f, ": {cause}"),
            None => write!(f, ": {source}"),
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
        Some(self.source.as_error())
    }
}

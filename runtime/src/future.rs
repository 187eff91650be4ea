//! The future every operation method returns, and what a call can change before it is sent.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use super::call::call_header;
use super::client::Request;
use super::download::Payload;
use super::error::{Error, RequestError, SendError};
use super::response::ApiResponse;
use super::retry::RetryPolicy;

/// A finished exchange: the success status, headers and body, or why there were none.
pub(crate) type Exchange = Result<(StatusCode, HeaderMap, Payload), SendError>;

/// Turns a finished exchange into the operation's result.
pub(crate) type Decode<T, E> = fn(Exchange) -> Result<ApiResponse<T>, Error<E>>;

/// The future an operation method returns: it sends the request (with the client's retries)
/// and decodes the answer into `T`, or an error response into `E`.
///
/// Before it is awaited, a call can be given options of its own, without a second client:
///
/// ```ignore
/// let sent = client
///     .signature_request_send(&request)
///     .header("X-Correlation-Id", "order-1042")
///     .timeout(Duration::from_secs(120))
///     .retry(RetryPolicy::none())
///     .idempotency_key("order-1042")
///     .await?;
/// ```
///
/// It borrows the client only: the method's arguments were encoded when it was made. Sending
/// is the same code for every operation, so it is boxed when the future is first polled, and
/// only the decoding is particular to the operation: one allocation per call keeps the
/// generated crate quick to build, however many operations the API has.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ResponseFuture<'c, T, E> {
    state: State<'c>,
    decode: Decode<T, E>,
    output: PhantomData<fn() -> (T, E)>,
}

// The request inline rather than boxed: boxing it would be a second allocation per call, and
// the future is moved only while its options are set.
#[allow(clippy::large_enum_variant)]
enum State<'c> {
    /// Not polled yet: options can still be set.
    Unsent(Request<'c>),
    Sending(Pin<Box<dyn Future<Output = Exchange> + Send + 'c>>),
    /// Between the two, for the moment of the swap.
    Taken,
}

impl<'c, T, E> ResponseFuture<'c, T, E> {
    pub(crate) fn new(request: Request<'c>, decode: Decode<T, E>) -> Self {
        ResponseFuture { state: State::Unsent(request), decode, output: PhantomData }
    }

    /// The request, while it can still be changed; options set after the first poll would not
    /// be seen, and a future is not polled before it is awaited.
    fn unsent(&mut self) -> Option<&mut Request<'c>> {
        match &mut self.state {
            State::Unsent(request) => Some(request),
            _ => None,
        }
    }

    /// Sends the header `name: value` on every attempt of this call, replacing a header of that
    /// name the operation or the client would send (a credential too). A name or value that is
    /// not valid HTTP makes the call fail with `Error::InvalidRequest`, before anything is sent.
    /// `Authorization`, `Proxy-Authorization` and `Cookie` values are kept out of `Debug`.
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        HeaderName: TryFrom<K>,
        HeaderValue: TryFrom<V>,
    {
        if let Some(request) = self.unsent() {
            match call_header(name, value) {
                Ok((name, value)) => {
                    request.options_mut().headers.append(name, value);
                }
                Err(reason) => request.check(Err(RequestError::Invalid(reason))),
            }
        }
        self
    }

    /// The time each attempt of this call may take, instead of the client's timeout.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        if let Some(request) = self.unsent() {
            request.options_mut().timeout = Some(timeout);
        }
        self
    }

    /// How this call is retried, instead of the client's policy; [`RetryPolicy::none`] sends
    /// it once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        if let Some(request) = self.unsent() {
            request.options_mut().retry = Some(policy);
        }
        self
    }

    /// The idempotency key of this call, instead of one the client makes: sent unchanged on
    /// every attempt, in the header the description documents (or the client's
    /// `idempotency_header`). Give the same key to a call you repeat yourself (after a crash,
    /// say) so that the server carries it out once. Without an idempotency header the call
    /// fails with `Error::InvalidRequest`, since the key could not be sent.
    pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
        if let Some(request) = self.unsent() {
            request.options_mut().idempotency_key = Some(key.into());
        }
        self
    }
}

impl<T, E> ResponseFuture<'_, T, E> {
    /// Asks for the page `cursor` names when it is a URL (the generated code sets page numbers,
    /// offsets and cursors on the parameters).
    #[doc(hidden)]
    pub fn at_page(mut self, cursor: &crate::PageCursor) -> Self {
        if let (Some(request), crate::PageCursor::Url(url)) = (self.unsent(), cursor) {
            request.set_page_url(url.clone());
        }
        self
    }
}

impl<T, E> Future for ResponseFuture<'_, T, E> {
    type Output = Result<ApiResponse<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        if let State::Unsent(_) = &self.state {
            let State::Unsent(request) = std::mem::replace(&mut self.state, State::Taken) else { unreachable!() };
            self.state = State::Sending(Box::pin(request.execute()));
        }
        let decode = self.decode;
        match &mut self.state {
            State::Sending(exchange) => exchange.as_mut().poll(cx).map(decode),
            _ => unreachable!("the request was turned into its exchange above"),
        }
    }
}

impl<T, E> fmt::Debug for ResponseFuture<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

//! The future every operation method returns.

use std::fmt;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::task::{Context, Poll};

use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use super::download::Payload;
use super::error::{Error, SendError};
use super::response::ApiResponse;

/// A finished exchange: the success status, headers and body, or why there were none.
pub(crate) type Exchange = Result<(StatusCode, HeaderMap, Payload), SendError>;

/// Turns a finished exchange into the operation's result.
pub(crate) type Decode<T, E> = fn(Exchange) -> Result<ApiResponse<T>, Error<E>>;

/// The future an operation method returns: it sends the request (with the client's retries)
/// and decodes the answer into `T`, or an error response into `E`.
///
/// It borrows the client only: the method's arguments were encoded when it was made. Sending
/// is the same code for every operation, so the future holds it boxed, and only the decoding
/// is particular to the operation: one allocation per call keeps the generated crate quick to
/// build, however many operations the API has.
#[must_use = "futures do nothing unless you `.await` or poll them"]
pub struct ResponseFuture<'c, T, E> {
    exchange: Pin<Box<dyn Future<Output = Exchange> + Send + 'c>>,
    decode: Decode<T, E>,
    output: PhantomData<fn() -> (T, E)>,
}

impl<'c, T, E> ResponseFuture<'c, T, E> {
    pub(crate) fn new(exchange: impl Future<Output = Exchange> + Send + 'c, decode: Decode<T, E>) -> Self {
        ResponseFuture { exchange: Box::pin(exchange), decode, output: PhantomData }
    }
}

impl<T, E> Future for ResponseFuture<'_, T, E> {
    type Output = Result<ApiResponse<T>, Error<E>>;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let decode = self.decode;
        self.exchange.as_mut().poll(cx).map(decode)
    }
}

impl<T, E> fmt::Debug for ResponseFuture<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseFuture").finish_non_exhaustive()
    }
}

//! Binary response bodies (files, archives) as they arrive: a [`ByteStream`] of chunks, never the
//! whole body in memory unless asked for.

use std::fmt;
use std::future::Future;
use std::path::Path;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE, HeaderMap};
use tokio::io::{AsyncWrite, AsyncWriteExt};

/// What a received body is: still arriving, or already whole (an error body, read to be
/// decoded, or a body a retry read).
pub(crate) enum Payload {
    Whole(Bytes),
    Streaming(reqwest::Response),
}

impl Payload {
    /// The whole body. Only success bodies of downloads stream, and those are never asked for
    /// whole here, so a streaming body gives nothing rather than blocking.
    pub(crate) fn whole(self) -> Bytes {
        match self {
            Payload::Whole(bytes) => bytes,
            Payload::Streaming(_) => Bytes::new(),
        }
    }
}

type NextChunk = Pin<Box<dyn Future<Output = (reqwest::Response, Result<Option<Bytes>, reqwest::Error>)> + Send>>;

enum State {
    /// Waiting for nothing: the next poll asks for a chunk.
    Idle(reqwest::Response),
    /// A chunk is being read.
    Reading(NextChunk),
    /// A body that was already whole, handed out as one chunk.
    Whole(Option<Bytes>),
    Done,
}

/// A response body that arrives in chunks: a download. Read it chunk by chunk with
/// [`ByteStream::chunk`] or as a [`Stream`], write it to a file with [`ByteStream::save_to`] or
/// to any [`AsyncWrite`] with [`ByteStream::write_to`] without holding it whole, or gather it
/// with [`ByteStream::collect`].
///
/// The client's timeout covers the whole exchange, reading the body included.
pub struct ByteStream {
    state: State,
    content_type: Option<String>,
    content_length: Option<u64>,
}

impl ByteStream {
    pub(crate) fn new(payload: Payload, headers: &HeaderMap) -> Self {
        let content_type = headers.get(CONTENT_TYPE).and_then(|value| value.to_str().ok()).map(str::to_owned);
        let declared_length =
            headers.get(CONTENT_LENGTH).and_then(|value| value.to_str().ok()).and_then(|text| text.parse().ok());
        let (state, content_length) = match payload {
            Payload::Streaming(response) => (State::Idle(response), declared_length),
            Payload::Whole(bytes) => {
                let length = bytes.len() as u64;
                (State::Whole(Some(bytes)), Some(length))
            }
        };
        ByteStream { state, content_type, content_length }
    }

    /// The body's `Content-Type`, when the response has one.
    pub fn content_type(&self) -> Option<&str> {
        self.content_type.as_deref()
    }

    /// The body's length in bytes, when the response declares it (`Content-Length`).
    pub fn content_length(&self) -> Option<u64> {
        self.content_length
    }

    /// The next chunk as it arrives, `None` at the end of the body.
    pub async fn chunk(&mut self) -> Result<Option<Bytes>, reqwest::Error> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await.transpose()
    }

    /// The rest of the body, gathered in memory.
    pub async fn collect(mut self) -> Result<Bytes, reqwest::Error> {
        let mut whole = Vec::with_capacity(self.content_length.unwrap_or(0).min(64 << 20) as usize);
        while let Some(chunk) = self.chunk().await? {
            if whole.is_empty() && self.is_done() {
                // One chunk in all: no copy.
                return Ok(chunk);
            }
            whole.extend_from_slice(&chunk);
        }
        Ok(Bytes::from(whole))
    }

    /// Writes the rest of the body to `writer` chunk by chunk, and returns how many bytes it wrote.
    pub async fn write_to<W: AsyncWrite + Unpin + ?Sized>(mut self, writer: &mut W) -> std::io::Result<u64> {
        let mut written = 0;
        while let Some(chunk) = self.chunk().await.map_err(std::io::Error::other)? {
            writer.write_all(&chunk).await?;
            written += chunk.len() as u64;
        }
        writer.flush().await?;
        Ok(written)
    }

    /// Writes the rest of the body to a new file at `path` (replacing one that is there), without
    /// blocking the async runtime, and returns how many bytes it wrote.
    pub async fn save_to(self, path: impl AsRef<Path>) -> std::io::Result<u64> {
        let mut file = tokio::fs::File::create(path).await?;
        let written = self.write_to(&mut file).await?;
        file.sync_all().await?;
        Ok(written)
    }

    fn is_done(&self) -> bool {
        matches!(self.state, State::Done | State::Whole(None))
    }
}

impl Stream for ByteStream {
    type Item = Result<Bytes, reqwest::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Whole(bytes) => return Poll::Ready(bytes.map(Ok)),
                State::Idle(mut response) => {
                    self.state = State::Reading(Box::pin(async move {
                        let chunk = response.chunk().await;
                        (response, chunk)
                    }));
                }
                State::Reading(mut reading) => match reading.as_mut().poll(cx) {
                    Poll::Pending => {
                        self.state = State::Reading(reading);
                        return Poll::Pending;
                    }
                    Poll::Ready((response, Ok(Some(chunk)))) => {
                        self.state = State::Idle(response);
                        return Poll::Ready(Some(Ok(chunk)));
                    }
                    Poll::Ready((_, Ok(None))) => return Poll::Ready(None),
                    Poll::Ready((_, Err(err))) => return Poll::Ready(Some(Err(err.without_url()))),
                },
            }
        }
    }
}

impl fmt::Debug for ByteStream {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ByteStream")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

//! The runtime of the API clients that [openapi-gen] generates: HTTP transport with retries,
//! redirects and timeouts, request encoding (paths, queries, headers, cookies, JSON, forms and
//! multipart), response decoding (bodies that arrive as they are read: downloads, server-sent
//! events, JSON Lines), errors that tell transport, decoding and API failures apart,
//! secrets that never print, file uploads, and, behind features, the OAuth authorization code
//! flow and event callback (webhook) signature checks.
//!
//! A generated crate depends on this one and wraps it in its own `Client`, with one method per
//! operation; you rarely use this crate directly. What you do use is re-exported by the
//! generated crate ([`RetryPolicy`], [`SecretString`], [`Upload`], [`TokenProvider`], the
//! errors), and, since every generated client takes these same types, one `RetryPolicy` or one
//! `TokenProvider` serves every client in a program.
//!
//! The generated code hands the runtime what it needs to know about its API
//! ([`ApiDescription`], [`OperationSpec`]); nothing here depends on a particular API. Items
//! marked hidden are the interface of generated code, not a stable API of their own.
//!
//! # Features
//!
//! - `rustls` (default) or `native-tls`: the TLS implementation.
//! - `multipart`: `multipart/form-data` request bodies.
//! - `middleware`: `ClientBuilder::middleware_client`, requests through a `reqwest-middleware`
//!   chain.
//! - `oauth`: the `oauth` module, the authorization code flow and the refreshing token holder,
//!   and the `device` module, the device authorization flow.
//! - `webhooks`: the `webhook` module, event callback signature checks.
//! - `time`: `Rfc3339`, the `time` crate's date-times, dates and times as RFC 3339 text.
//! - `mock`: the `mock` module, a mock server for the tests of code that uses a generated client.
//!
//! (Named, not linked: a build with some features off, such as the copy a generated crate
//! vendors, has no such item to link to.)
//! - `tracing`: a span per request and an event per retry, never with a header, a body or a
//!   parameter value.
//!
//! [openapi-gen]: https://crates.io/crates/openapi-gen
#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod base64;
mod call;
mod client;
#[cfg(feature = "oauth")]
pub mod device;
mod discovery;
mod download;
mod encode;
mod error;
#[doc(hidden)]
pub mod examples;
mod future;
#[cfg(feature = "mock")]
pub mod mock;
#[cfg(feature = "mock")]
mod mock_body;
#[cfg(feature = "multipart")]
mod multipart;
#[cfg(feature = "oauth")]
pub mod oauth;
#[doc(hidden)]
pub mod object;
mod pages;
mod redirect;
mod response;
mod retry;
#[cfg(feature = "time")]
mod rfc3339;
mod rfc3339_check;
mod secret;
pub mod stream;
#[doc(hidden)]
pub mod string_enum;
mod token;
#[cfg(feature = "oauth")]
mod token_holder;
mod transport_error;
mod upload;
#[cfg(feature = "webhooks")]
pub mod webhook;

pub use base64::Base64;
pub use call::{CallInfo, Hook, HookError, HookFuture, ResponseHead};
pub use client::{ApiDescription, Client, ClientBuilder};
#[doc(hidden)]
pub use client::{Credential, OperationSpec, Request, extension_method};
pub use discovery::AuthorizationServerMetadata;
pub use download::ByteStream;
#[doc(hidden)]
pub use encode::Style;
pub use error::{BuildError, DecodeFailure, Error, ErrorBody, SuccessBody};
#[doc(hidden)]
pub use error::{decode_error_body, decode_success_body};
pub use future::ResponseFuture;
pub use pages::{Items, Pages};
#[doc(hidden)]
pub use pages::{PageCursor, PageFacts, Paging};
pub use redirect::{RedirectPolicy, RedirectRefusal};
pub use response::ApiResponse;
pub use retry::RetryPolicy;
#[cfg(feature = "time")]
pub use rfc3339::{Rfc3339, Rfc3339Text};
pub use secret::SecretString;
pub use stream::{Event, EventStream, JsonStream, StreamError};
#[doc(hidden)]
pub use stream::{EventData, decode_json_item};
pub use token::{RefusalReason, TokenError, TokenFuture, TokenProvider};
pub use transport_error::{TransportError, TransportErrorKind};
#[doc(hidden)]
#[cfg(feature = "multipart")]
pub use upload::FileParts;
pub use upload::Upload;

/// The HTTP client the runtime is built on, re-exported so that a `reqwest::Client` given to a
/// generated builder's `http_client` is of the version the runtime uses.
pub use reqwest;

/// The middleware crate [`ClientBuilder::middleware_client`] takes, of the version this runtime
/// uses.
#[cfg(feature = "middleware")]
pub use reqwest_middleware;

/// Zero-copy byte buffers, as download chunks are returned.
pub use bytes;

/// The `Stream` trait a [`ByteStream`] implements.
pub use futures_core;

/// The date-time crate of [`Rfc3339`] values.
#[cfg(feature = "time")]
pub use time;

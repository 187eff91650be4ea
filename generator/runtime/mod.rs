//! The hand-written part of the client that every generated client shares: HTTP transport,
//! retries, request encoding, response decoding, errors, secrets and file uploads. The OAuth flow
//! and event callback checks are added by the generator when the document describes them.
//!
//! It is the same for every API, and an API uses only part of it (a spec without form bodies
//! never calls the form encoder), so unused items here are expected and not warned about.
#![allow(dead_code, unused_imports, unused_macros)]

mod client;
mod encode;
mod error;
mod future;
pub mod object;
mod response;
mod retry;
mod secret;
pub mod string_enum;
mod token;
mod upload;

pub use client::{Client, ClientBuilder};
pub(crate) use client::{Credential, OperationSpec, Request};
pub(crate) use encode::{Multipart, Style};
pub use error::{BuildError, Error};
pub use future::ResponseFuture;
pub use response::ApiResponse;
pub use retry::RetryPolicy;
pub use secret::SecretString;
pub use token::{TokenError, TokenFuture, TokenProvider};
pub use upload::Upload;

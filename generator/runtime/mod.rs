//! The hand-written part of the client that every generated client shares: HTTP transport,
//! request encoding, response decoding, errors, secrets and file uploads.
//!
//! It is the same for every API, and an API uses only part of it (a spec without form bodies
//! never calls the form encoder), so unused items here are expected and not warned about.
#![allow(dead_code, unused_imports)]

mod client;
mod encode;
mod error;
pub mod nullable;
mod response;
mod secret;
mod upload;

pub use client::{Client, ClientBuilder};
pub(crate) use client::{Credential, OperationSpec, Request};
pub(crate) use encode::{Multipart, Style};
pub use error::{BuildError, Error};
pub use response::ApiResponse;
pub use secret::SecretString;
pub use upload::Upload;

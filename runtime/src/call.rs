//! What one call can change without a second client (headers, a timeout, a retry policy, an
//! idempotency key), and the hooks that see every attempt.

use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, Hasher};
use std::pin::Pin;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, StatusCode};

use super::retry::RetryPolicy;

/// The options of one call, set on its [`crate::ResponseFuture`] before it is awaited. Boxed in
/// the request only when one is set, so that a call without options pays nothing.
#[derive(Default)]
pub(crate) struct CallOptions {
    /// Sent on every attempt, after the operation's own headers and credentials (so they win).
    pub(crate) headers: HeaderMap,
    /// The time one attempt may take, instead of the client's.
    pub(crate) timeout: Option<Duration>,
    /// Instead of the client's.
    pub(crate) retry: Option<RetryPolicy>,
    /// The idempotency key to send instead of a generated one.
    pub(crate) idempotency_key: Option<String>,
}

/// What a hook knows of the call an attempt belongs to.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct CallInfo {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    /// The HTTP method.
    pub method: &'static Method,
    /// The path as the description writes it (`/signature_request/{signature_request_id}`),
    /// without the values.
    pub path_template: &'static str,
    /// Which attempt this is, from 1; retries, the resend after a renewed access token and
    /// redirects followed count.
    pub attempt: u32,
}

/// The status and headers of a response, which a hook may read and change before the client
/// decodes the response and decides on a retry. The body is not here: a download's body is
/// handed to the caller as it arrives.
#[derive(Debug)]
#[non_exhaustive]
pub struct ResponseHead {
    /// The status.
    pub status: StatusCode,
    /// The headers.
    pub headers: HeaderMap,
}

/// Why a hook stopped a call: its own error, kept as the source of `Error::Hook`.
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// The future a hook returns.
pub type HookFuture<'a> = Pin<Box<dyn Future<Output = Result<(), HookError>> + Send + 'a>>;

/// Code that runs on every attempt of every call of a client, retries included: to sign a
/// request, add a correlation id, count calls or time them. Both methods do nothing unless
/// implemented; an error from either ends the call with `Error::Hook`, and the request is not
/// sent (or its response not used).
///
/// Hooks run in the order they were added. `on_request` sees the request as it will go out,
/// credentials included: a hook must not log its headers.
pub trait Hook: Send + Sync + 'static {
    /// Before an attempt is sent.
    fn on_request<'a>(&'a self, request: &'a mut reqwest::Request, call: &'a CallInfo) -> HookFuture<'a> {
        let _ = (request, call);
        Box::pin(async { Ok(()) })
    }

    /// When an attempt has a response, before it is decoded, retried or (a redirect) followed.
    fn on_response<'a>(&'a self, response: &'a mut ResponseHead, call: &'a CallInfo) -> HookFuture<'a> {
        let _ = (response, call);
        Box::pin(async { Ok(()) })
    }
}

/// A fresh idempotency key: 128 bits in the text form of a version 4 UUID, which every API that
/// takes keys accepts. The bits come from the standard library's per-process random hash keys,
/// a counter and the clock: unique, which is what an idempotency key needs to be, though not a
/// secret.
pub(crate) fn new_idempotency_key() -> String {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let count = COUNTER.fetch_add(1, Ordering::Relaxed);
    let nanos = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_nanos());
    let half = |salt: u64| {
        let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
        hasher.write_u64(salt);
        hasher.write_u64(count);
        hasher.write_u128(nanos);
        hasher.finish()
    };
    let bits = (u128::from(half(1)) << 64) | u128::from(half(2));
    // Version 4, variant 10xx.
    let bits = (((bits & !(0xf << 76)) | (0x4 << 76)) & !(0x3 << 62)) | (0x2 << 62);
    let hex = format!("{bits:032x}");
    format!("{}-{}-{}-{}-{}", &hex[..8], &hex[8..12], &hex[12..16], &hex[16..20], &hex[20..])
}

/// A header set on one call, checked when it is set: a name or value that is not valid HTTP is
/// an `InvalidRequest` error when the call is sent.
pub(crate) fn call_header<K, V>(name: K, value: V) -> Result<(HeaderName, HeaderValue), String>
where
    HeaderName: TryFrom<K>,
    HeaderValue: TryFrom<V>,
{
    let name = HeaderName::try_from(name).map_err(|_| "a header set on the call has an invalid name".to_owned())?;
    let mut value = HeaderValue::try_from(value)
        .map_err(|_| format!("the value of header {name} set on the call is not a valid header value"))?;
    // A credential given per call is as secret as one given to the builder.
    if matches!(name.as_str(), "authorization" | "proxy-authorization" | "cookie") {
        value.set_sensitive(true);
    }
    Ok((name, value))
}

impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("idempotency_key", &self.idempotency_key.is_some())
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn idempotency_keys_are_distinct_version_4_uuids() {
        let keys: std::collections::BTreeSet<String> = (0..1000).map(|_| new_idempotency_key()).collect();
        assert_eq!(keys.len(), 1000);
        for key in &keys {
            let groups: Vec<&str> = key.split('-').collect();
            assert_eq!(groups.iter().map(|g| g.len()).collect::<Vec<_>>(), [8, 4, 4, 4, 12], "{key}");
            assert!(groups[2].starts_with('4'), "{key}");
            assert!(matches!(groups[3].as_bytes()[0], b'8' | b'9' | b'a' | b'b'), "{key}");
        }
    }

    #[test]
    fn a_credential_set_on_a_call_is_marked_sensitive() {
        let (name, value) = call_header("Authorization", "Bearer t").unwrap();
        assert_eq!(name, "authorization");
        assert!(value.is_sensitive());
        assert!(!call_header("X-Request-Id", "1").unwrap().1.is_sensitive());
        assert!(call_header("bad name", "1").is_err());
        assert!(call_header("X-A", "line\nbreak").is_err());
    }
}

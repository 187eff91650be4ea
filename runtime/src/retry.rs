//! When and how long to wait before sending a request again.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How failed requests are retried: with exponential backoff and jitter, on connection failures,
/// timeouts, `408 Request Timeout`, `429 Too Many Requests` and `5xx` answers (not `501` or
/// `505`), waiting as long as the server asks (`Retry-After`, or the API's rate-limit reset
/// header on a 429).
///
/// Requests whose method is not idempotent (`POST`, `PATCH`) are retried only when the request
/// provably never reached the server (the connection could not be made, or it was closed before
/// a byte of the request was written), unless [`RetryPolicy::retry_non_idempotent`] allows it
/// or the request carries an idempotency key. A retry is given up, and the last error
/// returned, when the attempts are used up or when waiting would go past
/// [`RetryPolicy::max_elapsed`].
#[derive(Debug, Clone)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    max_elapsed: Duration,
    jitter: bool,
    honor_retry_after: bool,
    rate_limit_reset_header: ResetHeader,
    retry_non_idempotent: bool,
}

/// Which header tells when a rate limit resets.
#[derive(Debug, Clone, Copy)]
enum ResetHeader {
    /// The one the client's API documents ([`crate::ApiDescription::rate_limit_reset_header`]).
    OfTheApi,
    /// This one, or none.
    Chosen(Option<&'static str>),
}

impl Default for RetryPolicy {
    /// 4 attempts, backoff from 250 ms doubling up to 8 s with jitter, at most 60 s in all,
    /// honoring `Retry-After` and the rate-limit reset header the API documents.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 4,
            initial_backoff: Duration::from_millis(250),
            max_backoff: Duration::from_secs(8),
            max_elapsed: Duration::from_secs(60),
            jitter: true,
            honor_retry_after: true,
            rate_limit_reset_header: ResetHeader::OfTheApi,
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// Never retry: every request is sent once.
    pub fn none() -> Self {
        RetryPolicy { max_attempts: 1, ..RetryPolicy::default() }
    }

    /// How many times a request may be sent in all, the first time included (at least 1).
    pub fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// The wait before the first retry; it doubles with every further retry.
    pub fn initial_backoff(mut self, backoff: Duration) -> Self {
        self.initial_backoff = backoff;
        self
    }

    /// The longest backoff between two attempts (a server's `Retry-After` may ask for longer).
    pub fn max_backoff(mut self, backoff: Duration) -> Self {
        self.max_backoff = backoff;
        self
    }

    /// The time budget of one call, all attempts and waits included: a retry that could not
    /// start within it is not made.
    pub fn max_elapsed(mut self, budget: Duration) -> Self {
        self.max_elapsed = budget;
        self
    }

    /// Randomizes each backoff between half and all of its length, so that many clients that
    /// failed together do not retry together. On by default.
    pub fn jitter(mut self, jitter: bool) -> Self {
        self.jitter = jitter;
        self
    }

    /// Waits as long as the `Retry-After` header (seconds or an HTTP date) or, on a 429, the
    /// rate-limit reset header asks. On by default.
    pub fn honor_retry_after(mut self, honor: bool) -> Self {
        self.honor_retry_after = honor;
        self
    }

    /// The header that gives, on a 429, when the rate limit resets: a Unix time, or a number of
    /// seconds when it is small. `None` ignores it. The default is the header the API documents.
    pub fn rate_limit_reset_header(mut self, header: Option<&'static str>) -> Self {
        self.rate_limit_reset_header = ResetHeader::Chosen(header);
        self
    }

    /// The policy a client of an API that documents `header` uses: the reset header the caller
    /// chose, or else the API's.
    pub(crate) fn for_api(mut self, header: Option<&'static str>) -> Self {
        if let ResetHeader::OfTheApi = self.rate_limit_reset_header {
            self.rate_limit_reset_header = ResetHeader::Chosen(header);
        }
        self
    }

    /// Also retries `POST` and `PATCH` requests after a response or a failure mid-request, which
    /// may repeat their effect. Off by default.
    pub fn retry_non_idempotent(mut self, allow: bool) -> Self {
        self.retry_non_idempotent = allow;
        self
    }

    /// The time budget of a call.
    pub(crate) fn budget(&self) -> Duration {
        self.max_elapsed
    }

    /// Whether `failure` of attempt number `attempt` (from 1) may be retried at all. A request
    /// that carries an idempotency key is as safe to repeat as a `GET`: the server carries it
    /// out once.
    pub(crate) fn should_retry(&self, method: &Method, keyed: bool, attempt: u32, failure: Failure<'_>) -> bool {
        if attempt >= self.max_attempts {
            return false;
        }
        let idempotent = is_idempotent(method) || keyed || self.retry_non_idempotent;
        match failure {
            Failure::NotSent => true,
            Failure::Transport => idempotent,
            Failure::Status(status, _) => idempotent && is_transient(status),
        }
    }

    /// How long to wait before attempt `attempt + 1`.
    pub(crate) fn delay(&self, attempt: u32, failure: Failure<'_>) -> Duration {
        if let (true, Failure::Status(status, headers)) = (self.honor_retry_after, failure) {
            if let Some(wait) = self.server_delay(status, headers) {
                return wait;
            }
        }
        let exponent = attempt.saturating_sub(1).min(20);
        let backoff = self.initial_backoff.saturating_mul(1 << exponent).min(self.max_backoff);
        if self.jitter { backoff / 2 + backoff.mul_f64(random_fraction() / 2.0) } else { backoff }
    }

    /// The wait the server asked for, if it did.
    fn server_delay(&self, status: StatusCode, headers: &HeaderMap) -> Option<Duration> {
        if let Some(value) = headers.get(RETRY_AFTER).and_then(|value| value.to_str().ok()) {
            return parse_retry_after(value.trim(), SystemTime::now());
        }
        if status != StatusCode::TOO_MANY_REQUESTS {
            return None;
        }
        let ResetHeader::Chosen(header) = self.rate_limit_reset_header else { return None };
        let value = headers.get(header?)?.to_str().ok()?;
        parse_reset(value.trim(), SystemTime::now())
    }
}

/// What went wrong with one attempt, as far as retrying is concerned.
#[derive(Clone, Copy)]
pub(crate) enum Failure<'a> {
    /// The request never reached the server: the connection could not be made, or it was
    /// closed before a byte of the request was written.
    NotSent,
    /// The connection broke or timed out after the request may have been sent.
    Transport,
    /// The server answered with this status.
    Status(StatusCode, &'a HeaderMap),
}

/// Whether sending `method` again has the effect of sending it once (RFC 9110, section 9.2.2):
/// `GET`, `HEAD`, `PUT`, `DELETE`, `OPTIONS`, `TRACE`, and `QUERY` (safe, like `GET`); an
/// extension method the runtime does not know is taken not to be.
fn is_idempotent(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE)
        || method.as_str() == "QUERY"
}

/// The statuses that say "try again": 408 (the server gave up waiting for the request, and did
/// not act on it), 429, and the 5xx ones but 501 Not Implemented and 505, which will not change.
fn is_transient(status: StatusCode) -> bool {
    status == StatusCode::REQUEST_TIMEOUT
        || status == StatusCode::TOO_MANY_REQUESTS
        || (status.is_server_error()
            && status != StatusCode::NOT_IMPLEMENTED
            && status != StatusCode::HTTP_VERSION_NOT_SUPPORTED)
}

/// `Retry-After`: a number of seconds or an HTTP date.
fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(at.duration_since(now).unwrap_or_default())
}

/// A rate-limit reset header: a Unix time (`X-RateLimit-Reset: 1700000000`), or a number of
/// seconds to wait when it is too small to be a recent Unix time (`RateLimit-Reset: 30`).
fn parse_reset(value: &str, now: SystemTime) -> Option<Duration> {
    let number = value.parse::<f64>().ok().filter(|n| n.is_finite() && *n >= 0.0)?;
    const ONE_YEAR: f64 = 365.0 * 24.0 * 3600.0;
    // `try_from`: a number beyond what a `Duration` holds (`1e30`) is no wait the client can
    // honour, not a reason to panic.
    if number < ONE_YEAR {
        return Duration::try_from_secs_f64(number).ok();
    }
    let since_epoch = now.duration_since(UNIX_EPOCH).ok()?.as_secs_f64();
    Duration::try_from_secs_f64((number - since_epoch).max(0.0)).ok()
}

/// A number in `[0, 1)`, random enough for jitter (not for secrets).
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut hasher = std::collections::hash_map::RandomState::new().build_hasher();
    hasher.write_u128(SystemTime::now().duration_since(UNIX_EPOCH).unwrap_or_default().as_nanos());
    (hasher.finish() >> 11) as f64 / (1u64 << 53) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_takes_seconds_and_http_dates() {
        let now = UNIX_EPOCH + Duration::from_secs(1_445_412_480);
        assert_eq!(parse_retry_after("7", now), Some(Duration::from_secs(7)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:28:10 GMT", now), Some(Duration::from_secs(10)));
        assert_eq!(parse_retry_after("Wed, 21 Oct 2015 07:27:00 GMT", now), Some(Duration::ZERO));
        assert_eq!(parse_retry_after("soon", now), None);
    }

    #[test]
    fn reset_is_a_unix_time_or_a_delay() {
        let now = UNIX_EPOCH + Duration::from_secs(1_700_000_000);
        assert_eq!(parse_reset("1700000005", now), Some(Duration::from_secs(5)));
        assert_eq!(parse_reset("1699999990", now), Some(Duration::ZERO));
        assert_eq!(parse_reset("30", now), Some(Duration::from_secs(30)));
        assert_eq!(parse_reset("-1", now), None);
        assert_eq!(parse_reset("1e30", now), None, "no wait a Duration cannot hold, and no panic");
    }

    #[test]
    fn post_is_retried_only_when_it_was_not_sent_or_allowed() {
        let policy = RetryPolicy::default();
        let headers = HeaderMap::new();
        let busy = Failure::Status(StatusCode::SERVICE_UNAVAILABLE, &headers);
        assert!(policy.should_retry(&Method::GET, false, 1, busy));
        assert!(!policy.should_retry(&Method::POST, false, 1, busy));
        assert!(policy.should_retry(&Method::POST, false, 1, Failure::NotSent));
        assert!(policy.should_retry(&Method::POST, true, 1, busy), "an idempotency key makes a POST safe to repeat");
        assert!(policy.clone().retry_non_idempotent(true).should_retry(&Method::POST, false, 1, busy));
        assert!(!policy.should_retry(&Method::GET, false, 4, busy));
        // QUERY is safe, like GET; an extension method the runtime does not know is not retried.
        assert!(policy.should_retry(&crate::client::extension_method("QUERY"), false, 1, busy));
        assert!(!policy.should_retry(&crate::client::extension_method("COPY"), false, 1, busy));
        let not_found = Failure::Status(StatusCode::NOT_FOUND, &headers);
        assert!(!policy.should_retry(&Method::GET, false, 1, not_found));
    }

    #[test]
    fn a_408_is_retried_as_a_429_or_a_503_is() {
        let policy = RetryPolicy::default();
        let headers = HeaderMap::new();
        for status in [StatusCode::REQUEST_TIMEOUT, StatusCode::TOO_MANY_REQUESTS, StatusCode::SERVICE_UNAVAILABLE] {
            let failure = Failure::Status(status, &headers);
            assert!(policy.should_retry(&Method::GET, false, 1, failure), "{status}");
            assert!(!policy.should_retry(&Method::POST, false, 1, failure), "{status}: a POST may have had its effect");
        }
        for status in [StatusCode::BAD_REQUEST, StatusCode::NOT_IMPLEMENTED, StatusCode::HTTP_VERSION_NOT_SUPPORTED] {
            assert!(!policy.should_retry(&Method::GET, false, 1, Failure::Status(status, &headers)), "{status}");
        }
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let policy = RetryPolicy::default().jitter(false).initial_backoff(Duration::from_millis(100));
        let policy = policy.max_backoff(Duration::from_millis(350));
        let delays: Vec<_> = (1..=4).map(|attempt| policy.delay(attempt, Failure::Transport).as_millis()).collect();
        assert_eq!(delays, [100, 200, 350, 350]);
    }
}

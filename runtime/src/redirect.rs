//! Which redirects a client follows, where to, and with which credentials.
//!
//! reqwest's own redirects are off in the client the runtime builds: reqwest follows them as
//! browsers do, sending a `PUT`, `POST` or `PATCH` answered `301`, `302` or `303` again as a `GET`
//! without its body, so that the caller would get the answer of a read to a write. The runtime
//! follows them itself instead, in the loop that retries, by a [`RedirectPolicy`].

use std::fmt;

use reqwest::header::{HeaderMap, LOCATION};
use reqwest::{Method, StatusCode, Url};

/// Which redirects a client follows; set with `ClientBuilder::redirects`.
///
/// - `307` and `308` are followed with the same method and body. A request whose body is a
///   stream that was sent already (`Upload::from_stream`) cannot be sent again, and gets
///   [`RedirectRefusal::BodyNotReplayable`].
/// - `301`, `302` and `303` are followed for `GET` and `HEAD` only. Following one for another
///   method would mean a `GET` in its place (what browsers do), which turns a write into a read:
///   [`RedirectRefusal::MethodWouldChange`] instead.
/// - Any other redirect (`300`, `305`, ...) gets [`RedirectRefusal::UnsupportedStatus`].
///
/// Credentials (`Authorization`, API key headers and query parameters, cookies, and any header
/// marked sensitive) go only to the origin (scheme, host and port) the request was made for:
/// once a redirect leaves it, the rest of the chain gets none. A redirect not followed ends
/// the call with `Error::Redirect`, which carries its status and `Location`. A `304 Not
/// Modified`, or a `3xx` without a `Location`, is not a redirect: it is handled as any other
/// answer.
///
/// The default follows up to 10 redirects in a row; [`RedirectPolicy::none`] follows none, so
/// that every redirect is an `Error::Redirect`.
#[derive(Debug, Clone)]
pub struct RedirectPolicy {
    max_hops: u32,
}

impl Default for RedirectPolicy {
    /// Up to 10 redirects in a row, as reqwest's and Go's clients follow.
    fn default() -> Self {
        RedirectPolicy { max_hops: 10 }
    }
}

impl RedirectPolicy {
    /// Follows no redirect: each is an `Error::Redirect` with its status and `Location`.
    pub fn none() -> Self {
        RedirectPolicy { max_hops: 0 }
    }

    /// Follows at most `hops` redirects in a row for one call; the next one is refused with
    /// [`RedirectRefusal::TooManyHops`].
    pub fn max_hops(mut self, hops: u32) -> Self {
        self.max_hops = hops;
        self
    }

    /// What to do with an answer of `status` with `headers` to `request`: `None` when it is
    /// not a redirect.
    pub(crate) fn next(&self, request: &SentRequest<'_>, status: StatusCode, headers: &HeaderMap) -> Option<Redirect> {
        if !status.is_redirection() || status == StatusCode::NOT_MODIFIED {
            return None;
        }
        let location = headers.get(LOCATION)?;
        let refuse = |location: String, reason| Some(Redirect::Refuse(RefusedRedirect { status, location, reason }));
        let target = match location.to_str().ok().and_then(|text| request.url.join(text.trim()).ok()) {
            Some(target) if is_http(&target) => target,
            _ => {
                return refuse(
                    String::from_utf8_lossy(location.as_bytes()).into_owned(),
                    RedirectRefusal::InvalidLocation,
                );
            }
        };
        match self.refusal(request, status) {
            Some(reason) => refuse(target.into(), reason),
            None => Some(Redirect::Follow(target)),
        }
    }

    /// Why a redirect of `status` to `request` is not followed, if it is not.
    fn refusal(&self, request: &SentRequest<'_>, status: StatusCode) -> Option<RedirectRefusal> {
        if request.hops >= self.max_hops {
            return Some(if self.max_hops == 0 { RedirectRefusal::Disabled } else { RedirectRefusal::TooManyHops });
        }
        match status {
            StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT => {}
            StatusCode::MOVED_PERMANENTLY | StatusCode::FOUND | StatusCode::SEE_OTHER => {
                if !matches!(*request.method, Method::GET | Method::HEAD) {
                    return Some(RedirectRefusal::MethodWouldChange);
                }
            }
            _ => return Some(RedirectRefusal::UnsupportedStatus),
        }
        // Followed with the same method and body, which must then be sent again.
        (!request.replayable).then_some(RedirectRefusal::BodyNotReplayable)
    }
}

/// What the redirect decision needs to know of the request that was answered.
pub(crate) struct SentRequest<'a> {
    /// Its method, which a followed redirect keeps.
    pub(crate) method: &'a Method,
    /// Where it went, which a relative `Location` is resolved against.
    pub(crate) url: &'a Url,
    /// Whether its body can be sent again (it is not a stream sent already).
    pub(crate) replayable: bool,
    /// How many redirects the call followed before it.
    pub(crate) hops: u32,
}

/// A redirect answer and what to do with it.
pub(crate) enum Redirect {
    /// Send the same request (method and body) to this URL.
    Follow(Url),
    /// Stop: the call ends with `Error::Redirect`.
    Refuse(RefusedRedirect),
}

/// A redirect not followed: what `Error::Redirect` is made of, besides the headers.
#[derive(Debug)]
pub(crate) struct RefusedRedirect {
    pub(crate) status: StatusCode,
    pub(crate) location: String,
    pub(crate) reason: RedirectRefusal,
}

/// Why a redirect was not followed (see [`RedirectPolicy`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum RedirectRefusal {
    /// The client follows no redirect ([`RedirectPolicy::none`]).
    Disabled,
    /// The call followed as many redirects in a row as the policy allows
    /// ([`RedirectPolicy::max_hops`]).
    TooManyHops,
    /// A `301`, `302` or `303` answered a request other than `GET` or `HEAD`: following it would
    /// mean sending a `GET` in its place, a read instead of the write that was asked for.
    MethodWouldChange,
    /// A `307` or `308` answered a request whose body was a stream, sent already, which cannot
    /// be sent again.
    BodyNotReplayable,
    /// A redirect that names no one place to go (`300 Multiple Choices`, `305 Use Proxy`).
    UnsupportedStatus,
    /// The `Location` is not an `http` or `https` URL.
    InvalidLocation,
}

impl fmt::Display for RedirectRefusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            RedirectRefusal::Disabled => "the client follows no redirect",
            RedirectRefusal::TooManyHops => "too many redirects in a row",
            RedirectRefusal::MethodWouldChange => {
                "following it would send a GET instead of the request's method; only 307 and 308 keep it"
            }
            RedirectRefusal::BodyNotReplayable => "the request body was a stream, which can be sent once",
            RedirectRefusal::UnsupportedStatus => "the status names no one place to go",
            RedirectRefusal::InvalidLocation => "the location is not an http or https URL",
        })
    }
}

/// Whether two URLs have the same origin: scheme, host and port (the scheme's default port when
/// none is written), which is where credentials may go.
pub(crate) fn same_origin(a: &Url, b: &Url) -> bool {
    a.origin() == b.origin()
}

/// The origin of `location` (`https://files.example.com:8443`), which is all of a redirect's
/// target that errors show: its path and query may carry a secret (a signed download URL).
pub(crate) fn shown_origin(location: &str) -> String {
    match Url::parse(location) {
        Ok(url) if is_http(&url) => url.origin().ascii_serialization(),
        _ => "an invalid location".to_owned(),
    }
}

fn is_http(url: &Url) -> bool {
    matches!(url.scheme(), "http" | "https")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answer(policy: &RedirectPolicy, method: Method, hops: u32, status: u16, location: &str) -> Option<Redirect> {
        let url = Url::parse("https://api.example.com/v3/files/1?page=2").unwrap();
        let request = SentRequest { method: &method, url: &url, replayable: true, hops };
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, location.parse().unwrap());
        policy.next(&request, StatusCode::from_u16(status).unwrap(), &headers)
    }

    fn followed(redirect: Option<Redirect>) -> Option<String> {
        match redirect {
            Some(Redirect::Follow(url)) => Some(url.into()),
            _ => None,
        }
    }

    fn refusal(redirect: Option<Redirect>) -> Option<RedirectRefusal> {
        match redirect {
            Some(Redirect::Refuse(refused)) => Some(refused.reason),
            _ => None,
        }
    }

    #[test]
    fn only_307_and_308_are_followed_for_writes() {
        let policy = RedirectPolicy::default();
        for method in [Method::POST, Method::PUT, Method::PATCH, Method::DELETE] {
            for status in [301, 302, 303] {
                let redirect = answer(&policy, method.clone(), 0, status, "/v3/moved");
                assert_eq!(refusal(redirect), Some(RedirectRefusal::MethodWouldChange), "{method} {status}");
            }
            for status in [307, 308] {
                let redirect = answer(&policy, method.clone(), 0, status, "/v3/moved");
                assert_eq!(
                    followed(redirect).as_deref(),
                    Some("https://api.example.com/v3/moved"),
                    "{method} {status}"
                );
            }
        }
        for method in [Method::GET, Method::HEAD] {
            for status in [301, 302, 303, 307, 308] {
                assert!(followed(answer(&policy, method.clone(), 0, status, "moved")).is_some(), "{method} {status}");
            }
        }
    }

    #[test]
    fn a_stream_sent_already_is_not_sent_again() {
        let url = Url::parse("https://api.example.com/upload").unwrap();
        let request = SentRequest { method: &Method::PUT, url: &url, replayable: false, hops: 0 };
        let mut headers = HeaderMap::new();
        headers.insert(LOCATION, "/elsewhere".parse().unwrap());
        let redirect = RedirectPolicy::default().next(&request, StatusCode::TEMPORARY_REDIRECT, &headers);
        assert_eq!(refusal(redirect), Some(RedirectRefusal::BodyNotReplayable));
    }

    #[test]
    fn hops_are_counted_and_none_follows_nothing() {
        let policy = RedirectPolicy::default().max_hops(2);
        assert!(followed(answer(&policy, Method::GET, 1, 302, "/a")).is_some());
        assert_eq!(refusal(answer(&policy, Method::GET, 2, 302, "/a")), Some(RedirectRefusal::TooManyHops));
        assert_eq!(
            refusal(answer(&RedirectPolicy::none(), Method::GET, 0, 307, "/a")),
            Some(RedirectRefusal::Disabled)
        );
    }

    #[test]
    fn what_is_not_a_redirect_is_left_alone_and_odd_ones_are_refused() {
        let policy = RedirectPolicy::default();
        assert!(answer(&policy, Method::GET, 0, 304, "/a").is_none(), "304 is an answer, not a redirect");
        let url = Url::parse("https://api.example.com/").unwrap();
        let request = SentRequest { method: &Method::GET, url: &url, replayable: true, hops: 0 };
        assert!(policy.next(&request, StatusCode::FOUND, &HeaderMap::new()).is_none(), "no Location");
        assert_eq!(refusal(answer(&policy, Method::GET, 0, 300, "/a")), Some(RedirectRefusal::UnsupportedStatus));
        assert_eq!(refusal(answer(&policy, Method::GET, 0, 305, "/a")), Some(RedirectRefusal::UnsupportedStatus));
        assert_eq!(
            refusal(answer(&policy, Method::GET, 0, 302, "ftp://files.example.com/a")),
            Some(RedirectRefusal::InvalidLocation)
        );
    }

    #[test]
    fn origins_are_scheme_host_and_port() {
        let url = |text: &str| Url::parse(text).unwrap();
        assert!(same_origin(&url("https://api.example.com/a"), &url("https://api.example.com:443/b?c")));
        assert!(!same_origin(&url("https://api.example.com/a"), &url("http://api.example.com/a")));
        assert!(!same_origin(&url("http://127.0.0.1:8080/a"), &url("http://127.0.0.1:8081/a")));
        assert!(!same_origin(&url("http://127.0.0.1:8080/a"), &url("http://localhost:8080/a")));
        assert_eq!(shown_origin("https://files.example.com/d/SECRET?sig=SECRET"), "https://files.example.com");
        assert_eq!(shown_origin("not a url"), "an invalid location");
    }
}

//! A mock server of an API for the tests of code that uses its generated client (feature
//! `mock`), on [wiremock](https://crates.io/crates/wiremock): a real HTTP server on 127.0.0.1.
//!
//! A generated crate's `mock::MockServer` has a method per operation that starts an
//! [`Expectation`], typed with the operation's own parameter, body, success and error types.
//! An expectation matches the operation's method and path, and what the test asks of the
//! parameters and the body (equality, or a closure over the decoded, typed values); it answers
//! with the operation's success body, a documented error body, any status, headers, a delay, or
//! a dropped connection. Each request that reaches it is kept, decoded ([`Expected::requests`]).
//!
//! When the test ends (the server is dropped, or [`MockServer::verify`] is called), every
//! expectation met fewer times than it asked for and every request that no expectation matched
//! fails the test, with the expectation that came closest and why it did not match.

use std::fmt;
use std::marker::PhantomData;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;
use wiremock::{Match, Mock, Request, ResponseTemplate};

use crate::client::OperationSpec;
use crate::mock_body::percent_decode;

/// What a generated crate tells the mock of one operation: its spec and how to decode the
/// parameters and the body of a request to it.
#[doc(hidden)]
pub struct MockOperation<P, B> {
    pub spec: &'static OperationSpec,
    pub params: fn(&Received<'_>) -> Result<P, String>,
    pub body: fn(&Received<'_>) -> Result<B, String>,
    /// The media type of its success body when that is a stream of items.
    pub stream: Option<&'static str>,
}

/// A request's parts as the generated decoders read them.
#[doc(hidden)]
pub struct Received<'r> {
    request: &'r Request,
    path_template: &'static str,
}

impl Received<'_> {
    /// The path parameter `name`, from the segment the template puts it in.
    pub fn path<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let wanted = format!("{{{name}}}");
        let template = self.path_template.split('/');
        let actual = self.request.url.path().split('/');
        for (pattern, segment) in template.zip(actual) {
            if let Some(at) = pattern.find(&wanted) {
                let prefix = &pattern[..at];
                let suffix = &pattern[at + wanted.len()..];
                let value = segment.strip_prefix(prefix).and_then(|rest| rest.strip_suffix(suffix)).unwrap_or(segment);
                return from_texts(name, &[percent_decode(value.as_bytes())], false);
            }
        }
        Err(format!("the path has no `{name}`"))
    }

    /// The query parameter `name` (every value it has, for a list; its `name[key]` pairs, for a
    /// `deepObject` one).
    pub fn query<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let values: Vec<String> = self
            .request
            .url
            .query_pairs()
            .filter(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
            .collect();
        let deep_object = format!("{name}[");
        let fields: Vec<(String, String)> = self
            .request
            .url
            .query_pairs()
            .filter(|(key, _)| key.starts_with(&deep_object))
            .map(|(key, value)| (key.into_owned(), value.into_owned()))
            .collect();
        if values.is_empty() && !fields.is_empty() {
            return crate::mock_body::from_fields(name, fields);
        }
        from_texts(name, &values, true)
    }

    /// A parameter that is an object whose properties are the query's pairs (an exploded `form`
    /// object, or 3.2's `querystring` of a form-encoded object): every pair of the query.
    pub fn query_object<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let pairs: Vec<(String, String)> =
            self.request.url.query_pairs().map(|(key, value)| (key.into_owned(), value.into_owned())).collect();
        crate::mock_body::from_pairs(name, pairs)
    }

    /// The whole query string, percent-decoded, as the JSON of parameter `name` (OpenAPI 3.2's
    /// `querystring` of `application/json`); no query is `null`.
    pub fn query_string_json<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let json = percent_decode(self.request.url.query().unwrap_or("null").as_bytes());
        serde_json::from_str(&json).map_err(|err| format!("the query string is not the JSON of `{name}`: {err}"))
    }

    /// The header `name` (a list is comma-separated).
    pub fn header<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let values: Vec<String> = self
            .request
            .headers
            .get_all(name)
            .iter()
            .filter_map(|value| value.to_str().ok())
            .map(str::to_owned)
            .collect();
        from_texts(name, &values, true)
    }

    /// The cookie `name`.
    pub fn cookie<T: DeserializeOwned>(&self, name: &str) -> Result<T, String> {
        let values: Vec<String> = self
            .request
            .headers
            .get_all("cookie")
            .iter()
            .filter_map(|value| value.to_str().ok())
            .flat_map(|value| value.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
            .filter(|(key, _)| *key == name)
            .map(|(_, value)| percent_decode(value.as_bytes()))
            .collect();
        from_texts(name, &values, true)
    }
}

/// A request's body, as the operation's body type: JSON, a form or a multipart body (files
/// included), text, bytes, or the items of a JSON Lines or JSON text sequence body, as its
/// `Content-Type` says.
#[doc(hidden)]
pub fn request_body<B: DeserializeOwned>(received: &Received<'_>) -> Result<B, String> {
    let content_type = received.request.headers.get("content-type").and_then(|value| value.to_str().ok());
    crate::mock_body::decode(content_type, &received.request.body)
}

/// `values` as a `T`: text is read as the parameter's type reads it (a string, or a number or
/// boolean written as text), one value or a list (repeated, or comma-separated when `lists`).
fn from_texts<T: DeserializeOwned>(name: &str, values: &[String], lists: bool) -> Result<T, String> {
    let scalar = |text: &str| match serde_json::from_str::<Value>(text) {
        Ok(value @ (Value::Number(_) | Value::Bool(_))) => value,
        _ => Value::String(text.to_owned()),
    };
    let strings = |texts: &[String]| Value::Array(texts.iter().map(|t| Value::String(t.clone())).collect());
    let scalars = |texts: &[String]| Value::Array(texts.iter().map(|t| scalar(t)).collect());
    let mut candidates = Vec::new();
    match values {
        [] => candidates.push(Value::Null),
        [one] => {
            candidates.extend([Value::String(one.clone()), scalar(one), strings(values), scalars(values)]);
            if lists && one.contains(',') {
                let parts: Vec<String> = one.split(',').map(str::to_owned).collect();
                candidates.extend([strings(&parts), scalars(&parts)]);
            }
        }
        many => candidates.extend([strings(many), scalars(many)]),
    }
    let mut first_error = None;
    for candidate in candidates {
        match serde_json::from_value::<T>(candidate) {
            Ok(value) => return Ok(value),
            Err(err) => {
                first_error.get_or_insert(err);
            }
        }
    }
    let why = first_error.map(|err| err.to_string()).unwrap_or_default();
    Err(match values {
        [] => format!("`{name}` is missing: {why}"),
        _ => format!("`{name}` = {values:?} does not decode: {why}"),
    })
}

/// What a token endpoint answers (RFC 6749, section 5.1), for a mock's token request: a bearer
/// access token, and the refresh token and lifetime you give it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TokenAnswer {
    access_token: String,
    refresh_token: Option<String>,
    expires_in: Option<u64>,
}

impl TokenAnswer {
    /// A bearer `access_token` that does not expire.
    pub fn new(access_token: impl Into<String>) -> TokenAnswer {
        TokenAnswer { access_token: access_token.into(), refresh_token: None, expires_in: None }
    }

    /// With the refresh token `refresh_token`.
    pub fn refresh_token(mut self, refresh_token: impl Into<String>) -> TokenAnswer {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// Expiring after `lifetime` (whole seconds).
    pub fn expires_in(mut self, lifetime: Duration) -> TokenAnswer {
        self.expires_in = Some(lifetime.as_secs());
        self
    }
}

impl Serialize for TokenAnswer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut answer = serde_json::Map::new();
        answer.insert("access_token".to_owned(), Value::from(self.access_token.clone()));
        answer.insert("token_type".to_owned(), Value::from("Bearer"));
        if let Some(refresh_token) = &self.refresh_token {
            answer.insert("refresh_token".to_owned(), Value::from(refresh_token.clone()));
        }
        if let Some(expires_in) = self.expires_in {
            answer.insert("expires_in".to_owned(), Value::from(expires_in));
        }
        Value::Object(answer).serialize(serializer)
    }
}

/// Whether `path` is an instance of `template` (`/pets/7` of `/pets/{id}`).
fn path_matches(template: &str, path: &str) -> bool {
    let (template, path): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    template.len() == path.len()
        && template.iter().zip(&path).all(|(pattern, segment)| match pattern.find('{') {
            None => pattern == segment,
            Some(open) => {
                let close = pattern.rfind('}').unwrap_or(pattern.len() - 1);
                segment.len() > open + (pattern.len() - close - 1)
                    && segment.starts_with(&pattern[..open])
                    && segment.ends_with(&pattern[close + 1..])
            }
        })
}

/// Whether every pair of the operation's literal query (`refresh`, `a=1&b`) is in the request's.
fn has_fixed_query(fixed_query: Option<&str>, request: &Request) -> bool {
    let Some(fixed_query) = fixed_query else { return true };
    let pairs: Vec<(String, String)> =
        request.url.query_pairs().map(|(k, v)| (k.into_owned(), v.into_owned())).collect();
    fixed_query.split('&').filter(|pair| !pair.is_empty()).all(|pair| match pair.split_once('=') {
        Some((key, value)) => pairs.iter().any(|(k, v)| k == key && v == value),
        None => pairs.iter().any(|(k, _)| k == pair),
    })
}

/// The server: a wiremock server that knows the expectations mounted on it and the requests
/// none of them matched.
pub struct MockServer {
    server: wiremock::MockServer,
    state: Arc<ServerState>,
}

#[derive(Default)]
struct ServerState {
    expectations: Mutex<Vec<Arc<dyn Kept>>>,
    unexpected: Mutex<Vec<String>>,
    verified: AtomicBool,
}

impl MockServer {
    /// A server on 127.0.0.1, on a port of its own.
    pub async fn start() -> MockServer {
        let server = wiremock::MockServer::start().await;
        let state = Arc::new(ServerState::default());
        let unmatched = Arc::clone(&state);
        // Below every expectation: what reaches it matched none, and is kept with the reason.
        Mock::given(AnyRequest)
            .respond_with(move |request: &Request| {
                let report = unmatched.explain(request);
                unmatched.unexpected.lock().unwrap_or_else(PoisonError::into_inner).push(report.clone());
                ResponseTemplate::new(404).set_body_string(format!("no expectation matched: {report}"))
            })
            .with_priority(u8::MAX)
            .mount(&server)
            .await;
        MockServer { server, state }
    }

    /// The server's URL (`http://127.0.0.1:PORT`), for every server of the API.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The start of an expectation of `operation`; the generated methods call it.
    #[doc(hidden)]
    pub fn expect<P: 'static, B: 'static, T, E>(
        &self,
        operation: &'static MockOperation<P, B>,
    ) -> Expectation<'_, P, B, T, E> {
        Expectation {
            server: self,
            operation,
            params: None,
            body: None,
            times: Times::AtLeastOnce,
            headers: Vec::new(),
            delay: None,
            answer: PhantomData,
        }
    }

    /// Checks now what the end of the test would: every expectation met as often as it asked,
    /// and no request that none matched.
    pub fn verify(&self) -> Result<(), MockFailure> {
        self.state.verified.store(true, Ordering::Relaxed);
        self.state.failure().map_or(Ok(()), Err)
    }
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer").field("uri", &self.server.uri()).finish_non_exhaustive()
    }
}

impl Drop for MockServer {
    fn drop(&mut self) {
        if self.state.verified.load(Ordering::Relaxed) || std::thread::panicking() {
            return;
        }
        if let Some(failure) = self.state.failure() {
            panic!("{failure}");
        }
    }
}

impl ServerState {
    fn failure(&self) -> Option<MockFailure> {
        let expectations = self.expectations.lock().unwrap_or_else(PoisonError::into_inner);
        let unmet: Vec<String> = expectations.iter().filter_map(|expectation| expectation.unmet()).collect();
        let unexpected = self.unexpected.lock().unwrap_or_else(PoisonError::into_inner).clone();
        (!unmet.is_empty() || !unexpected.is_empty()).then_some(MockFailure { unmet, unexpected })
    }

    /// A request that matched no expectation, and the closest one: of its operation when there
    /// is one, and why it did not match. Not its query as sent, which may hold a credential:
    /// the parameters show in the reason, decoded, with secrets redacted.
    fn explain(&self, request: &Request) -> String {
        let what = format!("{} {}", request.method, request.url.path());
        let expectations = self.expectations.lock().unwrap_or_else(PoisonError::into_inner);
        let closest = expectations
            .iter()
            .filter_map(|expectation| Some((expectation, expectation.why_not(request).err()?)))
            .min_by_key(|(_, why)| why.distance);
        match closest {
            Some((expectation, why)) => {
                format!("{what}; the closest expectation, {}, {}", expectation.name(), why.reason)
            }
            None => format!("{what}; no expectation was set"),
        }
    }
}

/// How often an expectation must be met.
#[derive(Debug, Clone, Copy)]
enum Times {
    AtLeastOnce,
    Exactly(u64),
    Any,
}

/// Why a request does not match an expectation, and how far off it is (its operation's
/// method and path count most).
struct Mismatch {
    distance: u8,
    reason: String,
}

/// An expectation of the operation `P`, `B`, `T`, `E` are the types of: its parameters (`()`
/// without), its request body (`()` without, or when the mock does not decode it), its success
/// body and its error body. Say what the request must be, then how to answer.
#[must_use = "an expectation does nothing until one of its `respond_*` methods mounts it"]
pub struct Expectation<'s, P: 'static, B: 'static, T, E> {
    server: &'s MockServer,
    operation: &'static MockOperation<P, B>,
    params: Option<Check<P>>,
    body: Option<Check<B>>,
    times: Times,
    headers: Vec<(String, String)>,
    delay: Option<Duration>,
    answer: PhantomData<fn() -> (T, E)>,
}

/// A condition on a decoded value, and what it is when it does not hold.
type Check<V> = Box<dyn Fn(&V) -> Result<(), String> + Send + Sync>;

impl<P, B, T, E> Expectation<'_, P, B, T, E>
where
    P: Send + Sync + 'static,
    B: Send + Sync + 'static,
{
    /// Matches only parameters equal to `expected`.
    pub fn params(mut self, expected: P) -> Self
    where
        P: PartialEq + fmt::Debug,
    {
        self.params = Some(Box::new(move |got: &P| match got == &expected {
            true => Ok(()),
            false => Err(format!("its parameters are {got:?}, not {expected:?}")),
        }));
        self
    }

    /// Matches only parameters for which `check` is true.
    pub fn params_where(mut self, check: impl Fn(&P) -> bool + Send + Sync + 'static) -> Self
    where
        P: fmt::Debug,
    {
        self.params = Some(Box::new(move |got: &P| match check(got) {
            true => Ok(()),
            false => Err(format!("its parameters {got:?} fail the expectation's condition")),
        }));
        self
    }

    /// Matches only a request body equal to `expected`.
    pub fn body(mut self, expected: B) -> Self
    where
        B: PartialEq + fmt::Debug,
    {
        self.body = Some(Box::new(move |got: &B| match got == &expected {
            true => Ok(()),
            false => Err(format!("its body is {got:?}, not {expected:?}")),
        }));
        self
    }

    /// Matches only a request body for which `check` is true.
    pub fn body_where(mut self, check: impl Fn(&B) -> bool + Send + Sync + 'static) -> Self
    where
        B: fmt::Debug,
    {
        self.body = Some(Box::new(move |got: &B| match check(got) {
            true => Ok(()),
            false => Err(format!("its body {got:?} fails the expectation's condition")),
        }));
        self
    }

    /// Expects exactly `count` matching requests (by default: at least one).
    pub fn times(mut self, count: u64) -> Self {
        self.times = Times::Exactly(count);
        self
    }

    /// Expects any number of matching requests, none included: a stub.
    pub fn any_times(mut self) -> Self {
        self.times = Times::Any;
        self
    }

    /// Answers with the header `name: value` too (a rate limit, `Retry-After`).
    pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }

    /// Answers after `delay`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers with the operation's success body, at its documented success status.
    pub async fn respond_ok(self, body: T) -> Expected<P, B>
    where
        T: Serialize,
    {
        let status = self.success_status();
        self.respond_json(status, &body).await
    }

    /// Answers the requests it matches with `replies` in turn, the last one again after them:
    /// the pages of a listing, the tokens of successive refreshes, a `401` and then the
    /// answer once the client has renewed its token, a `503` and then the body.
    pub async fn respond_in_turn(self, replies: Vec<Reply<T, E>>) -> Expected<P, B>
    where
        T: Serialize,
        E: Serialize,
    {
        let success = self.success_status();
        let templates = replies
            .into_iter()
            .map(|reply| match reply {
                Reply::Ok(body) => json_template(success, &body),
                Reply::Error(status, body) => json_template(status, &body),
                Reply::Status(status) => ResponseTemplate::new(status),
            })
            .collect();
        self.mount(Answer::InTurn(templates)).await
    }

    /// The first success status the operation documents; `200` when it documents none.
    fn success_status(&self) -> u16 {
        self.operation.spec.statuses.iter().copied().find(|s| (200..300).contains(s)).unwrap_or(200)
    }

    /// Answers with `status` and the operation's error body.
    pub async fn respond_error(self, status: u16, body: E) -> Expected<P, B>
    where
        E: Serialize,
    {
        self.respond_json(status, &body).await
    }

    /// Answers with `status` and `body` as JSON: for an operation whose bodies differ by status,
    /// the body of that status.
    pub async fn respond_json<V: Serialize + ?Sized>(self, status: u16, body: &V) -> Expected<P, B> {
        self.mount(Answer::InTurn(vec![json_template(status, body)])).await
    }

    /// Answers with `status` and `body` of `content_type` (text, a file, an event stream).
    pub async fn respond_bytes(self, status: u16, content_type: &str, body: impl Into<Vec<u8>>) -> Expected<P, B> {
        let template = ResponseTemplate::new(status).set_body_raw(body.into(), content_type);
        self.mount(Answer::InTurn(vec![template])).await
    }

    /// Answers with the success status and `items` as the operation's stream sends them
    /// (server-sent events whose data is each item, or a JSON text per line or record).
    pub async fn respond_stream(self, items: Vec<T::Item>) -> Expected<P, B>
    where
        T: MockStream,
    {
        let status = self.success_status();
        let media_type = self.operation.stream.unwrap_or(T::MEDIA_TYPE);
        self.respond_bytes(status, media_type, T::encode(&items, media_type)).await
    }

    /// Answers with `status` and no body.
    pub async fn respond_status(self, status: u16) -> Expected<P, B> {
        self.mount(Answer::InTurn(vec![ResponseTemplate::new(status)])).await
    }

    /// Closes the connection without an answer.
    pub async fn drop_connection(self) -> Expected<P, B> {
        self.mount(Answer::Drop).await
    }

    async fn mount(self, answer: Answer) -> Expected<P, B> {
        let kept = {
            let mut expectations = self.server.state.expectations.lock().unwrap_or_else(PoisonError::into_inner);
            let kept = Arc::new(KeptExpectation {
                operation: self.operation,
                params: self.params,
                body: self.body,
                times: self.times,
                number: expectations.len() + 1,
                hits: AtomicU64::new(0),
                requests: Mutex::new(Vec::new()),
            });
            expectations.push(Arc::clone(&kept) as Arc<dyn Kept>);
            kept
        };
        let matcher = Matches(Arc::clone(&kept));
        let recorder = Arc::clone(&kept);
        let mock = Mock::given(matcher);
        let mock = match answer {
            Answer::InTurn(templates) => {
                let templates: Vec<ResponseTemplate> = templates
                    .into_iter()
                    .map(|mut template| {
                        for (name, value) in &self.headers {
                            template = template.insert_header(name.as_str(), value.as_str());
                        }
                        match self.delay {
                            Some(delay) => template.set_delay(delay),
                            None => template,
                        }
                    })
                    .collect();
                let next = AtomicUsize::new(0);
                mock.respond_with(move |request: &Request| {
                    recorder.record(request);
                    let turn = next.fetch_add(1, Ordering::Relaxed).min(templates.len().saturating_sub(1));
                    templates.get(turn).cloned().unwrap_or_else(|| ResponseTemplate::new(500))
                })
            }
            Answer::Drop => mock.respond_with_err(move |request: &Request| {
                recorder.record(request);
                std::io::Error::new(std::io::ErrorKind::ConnectionReset, "the expectation drops the connection")
            }),
        };
        mock.mount(&self.server.server).await;
        Expected { kept }
    }
}

/// An answer of `status` with `body` as JSON.
fn json_template<V: Serialize + ?Sized>(status: u16, body: &V) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(serde_json::to_vec(body).unwrap_or_default(), "application/json")
}

enum Answer {
    /// These answers in turn, the last one again after them.
    InTurn(Vec<ResponseTemplate>),
    Drop,
}

/// A stream of items the mock can send ([`Expectation::respond_stream`]).
pub trait MockStream {
    /// One item.
    type Item;
    /// The media type of the body, when the operation does not say.
    const MEDIA_TYPE: &'static str;
    /// The body of `media_type` that carries `items`.
    fn encode(items: &[Self::Item], media_type: &str) -> Vec<u8>;
}

/// An event the mock sends in an event stream: its `event` name (`None`: the default type) and
/// its data. Text is sent as it is and anything else as JSON; a generated enum of events named by
/// `event` sends each variant under its name.
pub trait MockEvent {
    /// The event's name and data.
    fn event(&self) -> (Option<&str>, String);
}

impl<T: Serialize> MockEvent for T {
    fn event(&self) -> (Option<&str>, String) {
        let data = match serde_json::to_value(self) {
            Ok(Value::String(text)) => text,
            Ok(value) => value.to_string(),
            Err(_) => String::new(),
        };
        (None, data)
    }
}

impl<T: MockEvent> MockStream for crate::stream::EventStream<T> {
    type Item = T;
    const MEDIA_TYPE: &'static str = "text/event-stream";

    fn encode(items: &[T], _: &str) -> Vec<u8> {
        let mut body = String::new();
        for item in items {
            let (event, data) = item.event();
            if let Some(event) = event {
                body.push_str("event: ");
                body.push_str(event);
                body.push('\n');
            }
            // A line break in the data starts another data line.
            for line in data.split('\n') {
                body.push_str("data: ");
                body.push_str(line);
                body.push('\n');
            }
            body.push('\n');
        }
        body.into_bytes()
    }
}

impl<T: Serialize> MockStream for crate::stream::JsonStream<T> {
    type Item = T;
    const MEDIA_TYPE: &'static str = "application/jsonl";

    fn encode(items: &[T], media_type: &str) -> Vec<u8> {
        // A JSON text sequence puts a record separator before each text (RFC 7464).
        let sequence = media_type.to_ascii_lowercase().starts_with("application/json-seq");
        let mut body = Vec::new();
        for item in items {
            if sequence {
                body.push(0x1E);
            }
            body.extend(serde_json::to_vec(item).unwrap_or_default());
            body.push(b'\n');
        }
        body
    }
}

/// One answer of [`Expectation::respond_in_turn`], in the operation's own types.
#[derive(Debug, Clone, PartialEq)]
pub enum Reply<T, E> {
    /// The success body, at the operation's documented success status.
    Ok(T),
    /// A status and the operation's error body.
    Error(u16, E),
    /// A status without a body.
    Status(u16),
}

/// A mounted expectation: how often it was met, and the requests that met it, decoded.
pub struct Expected<P: 'static, B: 'static> {
    kept: Arc<KeptExpectation<P, B>>,
}

impl<P: Clone + 'static, B: Clone + 'static> Expected<P, B> {
    /// The parameters and bodies of the requests that met it, in order (those the mock could
    /// decode).
    pub fn requests(&self) -> Vec<(P, B)> {
        self.kept.requests.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

impl<P: 'static, B: 'static> Expected<P, B> {
    /// How many requests met it.
    pub fn hits(&self) -> u64 {
        self.kept.hits.load(Ordering::Relaxed)
    }
}

impl<P: Send + Sync + 'static, B: Send + Sync + 'static> fmt::Debug for Expected<P, B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Expected").field("expectation", &self.kept.name()).field("hits", &self.hits()).finish()
    }
}

struct KeptExpectation<P: 'static, B: 'static> {
    operation: &'static MockOperation<P, B>,
    params: Option<Check<P>>,
    body: Option<Check<B>>,
    times: Times,
    /// Its place among the server's expectations, from 1, for messages.
    number: usize,
    /// How many requests it answered.
    hits: AtomicU64,
    /// Those whose parameters and body decoded.
    requests: Mutex<Vec<(P, B)>>,
}

impl<P: 'static, B: 'static> KeptExpectation<P, B> {
    /// Whether `request` is to this expectation's operation, and its parameters and body,
    /// decoded (what the mock cannot decode matches only an expectation that asks nothing of
    /// it).
    fn decode(&self, request: &Request) -> Result<Decoded<P, B>, Mismatch> {
        let spec = self.operation.spec;
        if request.method.as_str() != spec.method.as_str() {
            return Err(Mismatch { distance: 3, reason: format!("expects {} {}", spec.method, spec.path_template) });
        }
        // A path key may hold a literal query (`/oauth/token?refresh`): the path before it must
        // match, and its pairs be in the request's query.
        let path_template = spec.path_template.split('?').next().unwrap_or_default();
        if !path_matches(path_template, request.url.path()) || !has_fixed_query(spec.fixed_query, request) {
            return Err(Mismatch { distance: 3, reason: format!("expects the path {}", spec.path_template) });
        }
        let received = Received { request, path_template };
        Ok(((self.operation.params)(&received), (self.operation.body)(&received)))
    }

    fn check(&self, request: &Request) -> Result<(), Mismatch> {
        let (params, body) = self.decode(request)?;
        if let Some(check) = &self.params {
            let params =
                params.map_err(|why| Mismatch { distance: 2, reason: format!("cannot read its parameters: {why}") })?;
            check(&params).map_err(|reason| Mismatch { distance: 1, reason })?;
        }
        if let Some(check) = &self.body {
            let body = body.map_err(|reason| Mismatch { distance: 1, reason })?;
            check(&body).map_err(|reason| Mismatch { distance: 0, reason })?;
        }
        Ok(())
    }

    fn record(&self, request: &Request) {
        self.hits.fetch_add(1, Ordering::Relaxed);
        if let Ok((Ok(params), Ok(body))) = self.decode(request) {
            self.requests.lock().unwrap_or_else(PoisonError::into_inner).push((params, body));
        }
    }
}

/// A request's parameters and body, each decoded or why not.
type Decoded<P, B> = (Result<P, String>, Result<B, String>);

/// What the server keeps of an expectation, whatever its types.
trait Kept: Send + Sync {
    fn name(&self) -> String;
    fn why_not(&self, request: &Request) -> Result<(), Mismatch>;
    fn unmet(&self) -> Option<String>;
}

impl<P: Send + Sync + 'static, B: Send + Sync + 'static> Kept for KeptExpectation<P, B> {
    fn name(&self) -> String {
        format!(
            "#{} ({} {}, `{}`)",
            self.number, self.operation.spec.method, self.operation.spec.path_template, self.operation.spec.id
        )
    }

    fn why_not(&self, request: &Request) -> Result<(), Mismatch> {
        self.check(request)
    }

    fn unmet(&self) -> Option<String> {
        let hits = self.hits.load(Ordering::Relaxed);
        let wanted = match self.times {
            Times::AtLeastOnce if hits == 0 => "at least once",
            Times::Exactly(count) if hits != count => {
                return Some(format!("{} was expected {count} times and met {hits}", self.name()));
            }
            _ => return None,
        };
        Some(format!("{} was expected {wanted} and met {hits} times", self.name()))
    }
}

/// The wiremock matcher of an expectation.
struct Matches<P: 'static, B: 'static>(Arc<KeptExpectation<P, B>>);

impl<P: Send + Sync + 'static, B: Send + Sync + 'static> Match for Matches<P, B> {
    fn matches(&self, request: &Request) -> bool {
        self.0.check(request).is_ok()
    }
}

struct AnyRequest;

impl Match for AnyRequest {
    fn matches(&self, _: &Request) -> bool {
        true
    }
}

/// What failed: the expectations met fewer (or more) times than they asked, and the requests
/// that none matched, each with the closest expectation and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MockFailure {
    /// One line per expectation not met as asked.
    pub unmet: Vec<String>,
    /// One line per request that no expectation matched.
    pub unexpected: Vec<String>,
}

impl fmt::Display for MockFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "the mock server's expectations were not met:")?;
        for line in &self.unmet {
            writeln!(f, "- {line}")?;
        }
        for line in &self.unexpected {
            writeln!(f, "- unexpected request {line}")?;
        }
        Ok(())
    }
}

impl std::error::Error for MockFailure {}

/// A client's expectations, one entry per operation: an `expect_{method}` on the generated
/// `MockServer`, typed with the operation's parameter, body, success and error types, and the
/// [`MockOperation`] it expects, with the decoder of its parameters. Each entry says where each
/// parameter is read from (a method of [`Received`]: `path`, `query`, `query_object`, `header`,
/// `cookie`, `query_string_json`), then, when there are, the body the mock decodes and the media
/// type of a success that is a stream of items; its attributes (docs, a feature gate) go on both.
///
/// ```text
/// server MockServer;
/// /// Expects `GET /pets/{id}` ([`crate::Client::get_pet`]).
/// expect_get_pet: GET_PET, params (GetPetParams { id: path "id" }), ok Pet, error Problem;
/// expect_add_pet: ADD_PET, params (), body Pet, ok (), error serde_json::Value;
/// ```
///
/// A table, not a method, a static and a decoder function of some twenty lines per operation:
/// GitHub's client has 1,100 operations.
#[doc(hidden)]
#[macro_export]
macro_rules! mock_operations {
    (
        server $server:ident;
        $(
            $( #[$attr:meta] )*
            $expect:ident: $spec:ident, params ($( $params:tt )*)
            $( , body $body:ty )?
            $( , stream $stream:literal )?
            , ok $success:ty, error $error:ty;
        )*
    ) => {
        impl $server {
            $(
                $( #[$attr] )*
                pub fn $expect(
                    &self,
                ) -> $crate::mock::Expectation<
                    '_,
                    $crate::mock_operations!(@params_type $( $params )*),
                    $crate::mock_operations!(@body_type $( $body )?),
                    $success,
                    $error,
                > {
                    // The operation's `MockOperation`, a static so that the expectation can hold it.
                    // A deprecated parameter is still decoded.
                    #[allow(deprecated)]
                    static OPERATION: $crate::mock::MockOperation<
                        $crate::mock_operations!(@params_type $( $params )*),
                        $crate::mock_operations!(@body_type $( $body )?),
                    > = $crate::mock::MockOperation {
                        spec: &$spec,
                        params: $crate::mock_operations!(@decode $( $params )*),
                        body: $crate::mock_operations!(@body $( $body )?),
                        stream: $crate::mock_operations!(@stream $( $stream )?),
                    };
                    self.inner.expect(&OPERATION)
                }
            )*
        }
    };
    (@params_type) => { () };
    (@params_type $params:ident { $( $fields:tt )* }) => { $params };
    (@decode) => { |_| Ok(()) };
    (@decode $params:ident { $( $field:ident: $read:ident $wire:literal ),* $(,)? }) => {
        |request| Ok($params { $( $field: request.$read($wire)?, )* })
    };
    (@body_type) => { () };
    (@body_type $body:ty) => { $body };
    (@body) => { |_| Ok(()) };
    (@body $body:ty) => { $crate::mock::request_body::<$body> };
    (@stream) => { None };
    (@stream $stream:literal) => { Some($stream) };
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_templates_segment_by_segment() {
        assert!(path_matches("/pets/{id}", "/pets/7"));
        assert!(path_matches("/files/{name}.csv", "/files/a.csv"));
        assert!(!path_matches("/pets/{id}", "/pets/7/toys"));
        assert!(!path_matches("/pets/{id}", "/pets/"));
        assert!(!path_matches("/files/{name}.csv", "/files/a.txt"));
    }

    #[test]
    fn texts_are_read_as_the_type_reads_them() {
        let one = |text: &str| vec![text.to_owned()];
        assert_eq!(from_texts::<String>("a", &one("42"), true), Ok("42".to_owned()));
        assert_eq!(from_texts::<i64>("a", &one("42"), true), Ok(42));
        assert_eq!(from_texts::<Option<bool>>("a", &one("true"), true), Ok(Some(true)));
        assert_eq!(from_texts::<Option<bool>>("a", &[], true), Ok(None));
        assert_eq!(from_texts::<Vec<i64>>("a", &one("1,2"), true), Ok(vec![1, 2]));
        assert_eq!(
            from_texts::<Vec<String>>("a", &["x".to_owned(), "y".to_owned()], true),
            Ok(vec!["x".into(), "y".into()])
        );
        assert!(
            from_texts::<i64>("limit", &one("ten"), true)
                .unwrap_err()
                .starts_with("`limit` = [\"ten\"] does not decode")
        );
        assert!(from_texts::<i64>("limit", &[], true).unwrap_err().starts_with("`limit` is missing"));
        assert_eq!(percent_decode(b"a%20b%2Fc"), "a b/c");
    }
}

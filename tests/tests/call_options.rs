//! What one call can change (headers, timeout, retries, idempotency key), the hooks that see
//! every attempt, and the one call that points every server at a mock: the generated Dropbox
//! Sign client against loopback servers.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use dropbox_sign::models::{AccountVerifyRequest, OAuthTokenGenerateRequest};
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{CallInfo, Client, ClientBuilder, Error, Hook, HookFuture, ResponseHead, RetryPolicy};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "SECRET-API-KEY-0002";

fn list_response() -> Value {
    json!({
        "list_info": {"num_pages": 1, "num_results": 0, "page": 1, "page_size": 20},
        "signature_requests": []
    })
}

async fn answer(server: &MockServer, status: u16, body: Value) {
    Mock::given(any()).respond_with(ResponseTemplate::new(status).set_body_json(body)).mount(server).await;
}

/// A server that answers 503 to the first request and a list to every other.
async fn busy_once_then_a_list(server: &MockServer) {
    let calls = AtomicU32::new(0);
    Mock::given(any())
        .respond_with(move |_: &Request| {
            if calls.fetch_add(1, Ordering::SeqCst) == 0 {
                ResponseTemplate::new(503)
            } else {
                ResponseTemplate::new(200).set_body_json(list_response())
            }
        })
        .mount(server)
        .await;
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("requests are recorded")
}

fn header(request: &Request, name: &str) -> Option<String> {
    request.headers.get(name).map(|value| value.to_str().expect("ASCII").to_owned())
}

/// Quick retries of everything a `GET` may retry.
fn builder(server: &MockServer) -> ClientBuilder {
    Client::builder()
        .every_server_url(server.uri())
        .api_key(API_KEY)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)).jitter(false))
}

async fn list(client: &Client) -> Result<(), Error<dropbox_sign::models::ErrorResponse>> {
    client.signature_request_list(&SignatureRequestListParams::default()).await.map(drop)
}

#[tokio::test]
async fn a_header_set_on_a_call_goes_on_every_attempt_of_that_call_only() {
    let server = MockServer::start().await;
    answer(&server, 503, json!({})).await;
    let client = builder(&server).build().unwrap();

    let err = client
        .signature_request_list(&SignatureRequestListParams::default())
        .header("X-Correlation-Id", "order-1042")
        .header("Authorization", "Bearer SECRET-PER-CALL")
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let requests = received(&server).await;
    assert_eq!(requests.len(), 4, "the client's policy: four attempts");
    for request in &requests {
        assert_eq!(header(request, "x-correlation-id").as_deref(), Some("order-1042"));
        // A header set on the call replaces the client's credential.
        assert_eq!(header(request, "authorization").as_deref(), Some("Bearer SECRET-PER-CALL"));
    }
    list(&client).await.unwrap_err();
    assert_eq!(header(received(&server).await.last().unwrap(), "x-correlation-id"), None, "not on the next call");

    // A header that is not valid HTTP fails the call before anything is sent.
    let before = received(&server).await.len();
    let err = client
        .signature_request_list(&SignatureRequestListParams::default())
        .header("X-Note", "two\nlines")
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::InvalidRequest(reason) if reason.contains("X-Note") || reason.contains("x-note")),
        "{err:?}"
    );
    assert_eq!(received(&server).await.len(), before);
}

#[tokio::test]
async fn a_retry_policy_and_a_timeout_set_on_a_call_replace_the_clients() {
    let server = MockServer::start().await;
    answer(&server, 503, json!({})).await;
    let client = builder(&server).build().unwrap();
    let err = client
        .signature_request_list(&SignatureRequestListParams::default())
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1, "RetryPolicy::none on the call: one attempt");

    let slow = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()).set_delay(Duration::from_secs(3)))
        .mount(&slow)
        .await;
    // The client waits 60 s per attempt; this call 100 ms, once.
    let client = builder(&slow).build().unwrap();
    let started = std::time::Instant::now();
    let err = client
        .signature_request_list(&SignatureRequestListParams::default())
        .timeout(Duration::from_millis(100))
        .retry(RetryPolicy::none())
        .await
        .unwrap_err();
    let Error::Transport(source) = &err else { panic!("expected a timeout, got {err:?}") };
    assert!(source.is_timeout(), "{source:?}");
    assert!(started.elapsed() < Duration::from_secs(2), "{:?}", started.elapsed());
}

#[tokio::test]
async fn an_idempotency_key_is_made_once_per_call_and_makes_a_post_retryable() {
    let server = MockServer::start().await;
    answer(&server, 503, json!({})).await;
    let client = builder(&server).idempotency_header(Some("Idempotency-Key")).build().unwrap();
    let verify = AccountVerifyRequest::new("jack@example.com");

    client.account_verify(&verify).await.unwrap_err();
    let first: Vec<Option<String>> = received(&server).await.iter().map(|r| header(r, "idempotency-key")).collect();
    assert_eq!(first.len(), 4, "a POST with a key is retried as a GET is");
    let key = first[0].clone().expect("a key is sent");
    assert!(first.iter().all(|sent| sent.as_deref() == Some(key.as_str())), "one key for every attempt: {first:?}");
    assert_eq!(key.len(), 36, "{key}");

    client.account_verify(&verify).await.unwrap_err();
    let second = header(&received(&server).await[4], "idempotency-key").unwrap();
    assert_ne!(second, key, "each call has a key of its own");

    // The caller's key, for a call they repeat themselves.
    client.account_verify(&verify).idempotency_key("order-1042").retry(RetryPolicy::none()).await.unwrap_err();
    assert_eq!(header(received(&server).await.last().unwrap(), "idempotency-key").as_deref(), Some("order-1042"));

    // A GET carries none.
    list(&client).await.unwrap_err();
    assert_eq!(header(received(&server).await.last().unwrap(), "idempotency-key"), None);
}

#[tokio::test]
async fn without_an_idempotency_header_posts_carry_no_key_and_are_not_retried() {
    let server = MockServer::start().await;
    answer(&server, 503, json!({})).await;
    // The Dropbox Sign description documents no idempotency header.
    let client = builder(&server).build().unwrap();
    client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.unwrap_err();
    let requests = received(&server).await;
    assert_eq!(requests.len(), 1, "a POST without a key is not repeated after a response");
    assert_eq!(header(&requests[0], "idempotency-key"), None);

    let err = client
        .account_verify(&AccountVerifyRequest::new("jack@example.com"))
        .idempotency_key("order-1042")
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::InvalidRequest(reason) if reason.contains("idempotency_header")), "{err:?}");
    assert_eq!(received(&server).await.len(), 1, "nothing sent");
}

/// Adds a header, and writes down what it saw of every attempt.
#[derive(Default, Clone)]
struct Recorder {
    seen: Arc<Mutex<Vec<String>>>,
}

impl Hook for Recorder {
    fn on_request<'a>(&'a self, request: &'a mut dropbox_sign::reqwest::Request, call: &'a CallInfo) -> HookFuture<'a> {
        Box::pin(async move {
            tokio::task::yield_now().await;
            let value = format!("attempt-{}", call.attempt).parse().unwrap();
            request.headers_mut().insert("x-attempt", value);
            self.seen
                .lock()
                .unwrap()
                .push(format!("{} {} {} #{}", call.operation_id, call.method, call.path_template, call.attempt));
            Ok(())
        })
    }

    fn on_response<'a>(&'a self, response: &'a mut ResponseHead, call: &'a CallInfo) -> HookFuture<'a> {
        Box::pin(async move {
            self.seen.lock().unwrap().push(format!("{} -> {}", call.attempt, response.status.as_u16()));
            response.headers.insert("x-seen-by-hook", "yes".parse().unwrap());
            Ok(())
        })
    }
}

/// Fails every request it sees.
struct Refuse;

impl Hook for Refuse {
    fn on_request<'a>(
        &'a self,
        _request: &'a mut dropbox_sign::reqwest::Request,
        _call: &'a CallInfo,
    ) -> HookFuture<'a> {
        Box::pin(async { Err("the signing key is not loaded".into()) })
    }
}

#[tokio::test]
async fn hooks_see_and_change_every_attempt_retries_included() {
    let server = MockServer::start().await;
    busy_once_then_a_list(&server).await;
    let recorder = Recorder::default();
    let client = builder(&server).hook(recorder.clone()).build().unwrap();

    let response = client.signature_request_list(&SignatureRequestListParams::default()).await.unwrap();

    assert_eq!(response.headers().get("x-seen-by-hook").unwrap(), "yes", "a hook may change the response head");
    let attempts: Vec<Option<String>> = received(&server).await.iter().map(|r| header(r, "x-attempt")).collect();
    assert_eq!(attempts, [Some("attempt-1".to_owned()), Some("attempt-2".to_owned())]);
    assert_eq!(
        *recorder.seen.lock().unwrap(),
        [
            "signatureRequestList GET /signature_request/list #1",
            "1 -> 503",
            "signatureRequestList GET /signature_request/list #2",
            "2 -> 200",
        ]
    );
}

#[tokio::test]
async fn a_hook_that_fails_stops_the_call_before_it_is_sent() {
    let server = MockServer::start().await;
    answer(&server, 200, list_response()).await;
    let client = builder(&server).hook(Refuse).build().unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::Hook(_)), "{err:?}");
    assert_eq!(err.to_string(), "a hook stopped the call: the signing key is not loaded");
    assert!(received(&server).await.is_empty());
}

#[tokio::test]
async fn one_call_points_every_server_at_a_mock() {
    let server = MockServer::start().await;
    // One body both operations decode: a token response, and an account check without an account.
    answer(&server, 200, json!({"access_token": "a", "token_type": "bearer", "refresh_token": "r", "expires_in": 60}))
        .await;
    let client = Client::builder().every_server_url(server.uri()).api_key(API_KEY).build().unwrap();
    // The token operation goes to app.hellosign.com, the others to api.hellosign.com: both here.
    let body = OAuthTokenGenerateRequest::new("client", "SECRET", "code", "state");
    client.oauth_token_generate(&body).await.unwrap();
    client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.unwrap();
    let paths: Vec<String> = received(&server).await.iter().map(|r| r.url.path().to_owned()).collect();
    assert_eq!(paths, ["/oauth/token", "/account/verify"]);

    // A server given on its own wins over the blanket one, in either order.
    let other = MockServer::start().await;
    answer(&other, 200, list_response()).await;
    let client = Client::builder()
        .server_url(dropbox_sign::servers::DEFAULT, other.uri())
        .every_server_url(server.uri())
        .api_key(API_KEY)
        .build()
        .unwrap();
    list(&client).await.unwrap();
    assert_eq!(received(&other).await.len(), 1);
}

#[tokio::test]
async fn a_reqwest_middleware_chain_from_crates_io_carries_every_request() {
    let server = MockServer::start().await;
    busy_once_then_a_list(&server).await;
    // reqwest-retry's middleware retries the 503, below this client, which retries nothing.
    let backoff = reqwest_retry::policies::ExponentialBackoff::builder()
        .retry_bounds(Duration::from_millis(1), Duration::from_millis(2))
        .build_with_max_retries(2);
    let middleware = reqwest_middleware::ClientBuilder::new(dropbox_sign::reqwest::Client::new())
        .with(reqwest_retry::RetryTransientMiddleware::new_with_policy(backoff))
        .build();
    let recorder = Recorder::default();
    let client = builder(&server)
        .retry(RetryPolicy::none())
        .middleware_client(middleware)
        .hook(recorder.clone())
        .build()
        .unwrap();

    list(&client).await.expect("the middleware's retry succeeds");

    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    for request in &requests {
        assert!(header(request, "authorization").is_some_and(|value| value.starts_with("Basic ")), "credentials");
        assert_eq!(header(request, "x-attempt").as_deref(), Some("attempt-1"), "hooks run above the middleware");
    }
    assert_eq!(recorder.seen.lock().unwrap().len(), 2, "one attempt of this client: a request and its response");
}

/// A middleware that refuses every request, as a signing middleware without its key would.
struct Unsigned;

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Unsigned {
    async fn handle(
        &self,
        _request: dropbox_sign::reqwest::Request,
        _extensions: &mut http::Extensions,
        _next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<dropbox_sign::reqwest::Response> {
        Err(reqwest_middleware::Error::middleware(std::io::Error::other("no signing key")))
    }
}

#[tokio::test]
async fn a_middleware_error_is_a_transport_error_that_says_so() {
    let server = MockServer::start().await;
    answer(&server, 200, list_response()).await;
    let middleware =
        reqwest_middleware::ClientBuilder::new(dropbox_sign::reqwest::Client::new()).with(Unsigned).build();
    let client = builder(&server).retry(RetryPolicy::none()).middleware_client(middleware).build().unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Transport(source) = &err else { panic!("expected a transport error, got {err:?}") };
    assert!(source.is_middleware());
    assert!(source.inner().is_none(), "not reqwest's");
    let shown = err.to_string();
    assert!(shown.contains("request failed: GET /signature_request/list on 127.0.0.1:"), "{shown}");
    assert!(shown.ends_with("(operation signatureRequestList): no signing key"), "{shown}");
    assert!(received(&server).await.is_empty());
}

// ---------------------------------------------------------------------------------------------
// Redirects: followed by the client's `RedirectPolicy` (reqwest's own are off), never turning a
// write into a read, and with credentials for the request's origin only.
// ---------------------------------------------------------------------------------------------

fn account_verify_body() -> Value {
    json!({"email_address": "jack@example.com"})
}

/// The body of a request, as JSON.
fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("a JSON body")
}

/// The `RedirectRefusal` of an `Error::Redirect`, by name.
fn redirect_refusal(err: &Error<dropbox_sign::models::ErrorResponse>) -> String {
    match err {
        Error::Redirect { reason, .. } => format!("{reason:?}"),
        other => panic!("expected Error::Redirect, got {other:?}"),
    }
}

#[tokio::test]
async fn a_post_answered_301_302_or_303_is_an_error_and_never_sent_again_as_a_get() {
    for status in [301, 302, 303] {
        let server = MockServer::start().await;
        let location = format!("{}/account/moved?sig=SECRET-SIGNATURE", server.uri());
        Mock::given(wiremock::matchers::method("POST"))
            .respond_with(ResponseTemplate::new(status).insert_header("location", location.as_str()))
            .mount(&server)
            .await;
        // What a browser-style client would get by sending a GET to the location instead.
        Mock::given(wiremock::matchers::method("GET"))
            .respond_with(ResponseTemplate::new(200).set_body_json(json!({"account": {"email_address": "x"}})))
            .mount(&server)
            .await;
        let client = builder(&server).build().unwrap();

        let err = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.unwrap_err();

        assert_eq!(redirect_refusal(&err), "MethodWouldChange", "{status}");
        let Error::Redirect { status: got, location: given, .. } = &err else { unreachable!() };
        assert_eq!((got.as_u16(), given.as_str()), (status, location.as_str()));
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        let shown = err.to_string();
        assert!(shown.contains(&server.uri()) && shown.contains(&status.to_string()), "{shown}");
        assert!(!shown.contains("SECRET-SIGNATURE") && !format!("{err:?}").contains("SECRET-SIGNATURE"), "{shown}");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 1, "{status}: the POST only, no GET after it (and no retry)");
        assert_eq!(requests[0].method.as_str(), "POST");
    }
}

#[tokio::test]
async fn a_307_and_a_308_keep_the_method_and_body_and_credentials_stay_with_their_origin() {
    let api = MockServer::start().await;
    let other = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/account/verify"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/account/verify/here"))
        .mount(&api)
        .await;
    let away = format!("{}/landing", other.uri());
    Mock::given(wiremock::matchers::path("/account/verify/here"))
        .respond_with(ResponseTemplate::new(308).insert_header("location", away.as_str()))
        .mount(&api)
        .await;
    answer(&other, 200, json!({"account": {"email_address": "jack@example.com"}})).await;
    let client = builder(&api).build().unwrap();

    let verified = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect("followed");

    assert_eq!(verified.account.as_ref().and_then(|a| a.email_address.as_deref()), Some("jack@example.com"));
    let at_api = received(&api).await;
    let at_other = received(&other).await;
    assert_eq!(at_api.len() + at_other.len(), 3, "the POST and two redirects followed, nothing retried");
    for request in at_api.iter().chain(&at_other) {
        assert_eq!(request.method.as_str(), "POST", "{}", request.url);
        assert_eq!(json_body(request), account_verify_body(), "{}", request.url);
    }
    // The 307 stayed on the API's origin: the credentials went along.
    assert!(at_api.iter().all(|request| header(request, "authorization").is_some()));
    // The 308 went to another origin (same scheme and host, another port): none.
    assert_eq!(at_other[0].url.path(), "/landing");
    assert_eq!(header(&at_other[0], "authorization"), None, "credentials stay with their origin");
}

#[tokio::test]
async fn a_get_follows_a_302_and_a_loop_ends_after_ten_hops_with_the_redirect() {
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/signature_request/list"))
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/elsewhere/list"))
        .mount(&server)
        .await;
    Mock::given(wiremock::matchers::path("/elsewhere/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    list(&client).await.expect("a GET follows a 302");
    let requests = received(&server).await;
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[1].url.path(), "/elsewhere/list");
    assert!(header(&requests[1], "authorization").is_some(), "same origin: credentials go along");

    let looping = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(302).insert_header("location", "/signature_request/list"))
        .mount(&looping)
        .await;
    let err = list(&builder(&looping).build().unwrap()).await.unwrap_err();
    assert_eq!(redirect_refusal(&err), "TooManyHops");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(302));
    assert_eq!(received(&looping).await.len(), 11, "the request and ten redirects followed, then it stops");
}

#[tokio::test]
async fn a_streamed_upload_does_not_follow_a_307_since_it_cannot_be_sent_again() {
    use dropbox_sign::Upload;
    use dropbox_sign::models::{SignatureRequestSendRequest, SubSignatureRequestSigner};
    let server = MockServer::start().await;
    Mock::given(wiremock::matchers::path("/signature_request/send"))
        .respond_with(ResponseTemplate::new(307).insert_header("location", "/signature_request/send/again"))
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    let file = Upload::stream_from(std::io::Cursor::new(b"%PDF-1.7".to_vec()), Some(8)).with_file_name("NDA.pdf");
    let mut body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    body.file = Some(vec![file]);

    let err = client.signature_request_send_multipart(&body).await.unwrap_err();

    assert_eq!(redirect_refusal(&err), "BodyNotReplayable");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(307));
    assert_eq!(received(&server).await.len(), 1, "sent once, to the first location only");
}

#[tokio::test]
async fn a_408_is_retried_for_a_get_as_a_503_is() {
    let server = MockServer::start().await;
    let calls = AtomicU32::new(0);
    Mock::given(any())
        .respond_with(move |_: &Request| match calls.fetch_add(1, Ordering::SeqCst) {
            0 => ResponseTemplate::new(408),
            _ => ResponseTemplate::new(200).set_body_json(list_response()),
        })
        .mount(&server)
        .await;
    let client = builder(&server).build().unwrap();
    list(&client).await.expect("the retry after the 408 succeeds");
    assert_eq!(received(&server).await.len(), 2);
}

//! The OAuth flow, the token holder, event callbacks and the retrying transport of the generated
//! Dropbox Sign client, against real HTTP servers on 127.0.0.1.
//!
//! Every test captures the `tracing` output of the client (the `tracing` feature is on in this
//! workspace) and checks, besides what it is about, that no secret it used appears in a log
//! line or in the `Debug` output of what it handled.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use dropbox_sign::models::{
    AccountCreateRequest, AccountVerifyRequest, ErrorResponse, EventCallbackRequestEventEventType,
    SignatureRequestListResponse, SignatureRequestSendRequest, SubSignatureRequestSigner,
};
use dropbox_sign::oauth::{
    AuthorizationCode, CallbackError, ClientAuth, OAuthApp, State, TokenError, TokenHolder, Tokens,
};
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::webhooks::{self, WebhookError};
use dropbox_sign::{ApiResponse, Client, ClientBuilder, Error, RetryPolicy, SecretString, servers};
use hmac::{Hmac, Mac};
use serde_json::{Value, json};
use sha2::Sha256;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use wiremock::matchers::{header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, Respond, ResponseTemplate};

const API_KEY: &str = "SECRET-API-KEY-0001";
const CLIENT_ID: &str = "cc91c61d00f8bb2ece1428035716b";
const CLIENT_SECRET: &str = "SECRET-CLIENT-SECRET-0002";
const CODE: &str = "SECRET-AUTH-CODE-0003";
const ACCESS_TOKEN: &str = "SECRET-ACCESS-TOKEN-0004";
const REFRESH_TOKEN: &str = "SECRET-REFRESH-TOKEN-0005";
const NEW_ACCESS_TOKEN: &str = "SECRET-ACCESS-TOKEN-0006";
const NEW_REFRESH_TOKEN: &str = "SECRET-REFRESH-TOKEN-0007";

const SECRETS: &[&str] =
    &[API_KEY, CLIENT_SECRET, CODE, ACCESS_TOKEN, REFRESH_TOKEN, NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN];

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// Everything the client logs on this thread while the guard lives.
struct Logs {
    buffer: Arc<Mutex<Vec<u8>>>,
    _guard: tracing::subscriber::DefaultGuard,
}

impl Logs {
    fn capture() -> Logs {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let writer = SharedWriter(Arc::clone(&buffer));
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_ansi(false)
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_writer(move || writer.clone())
            .finish();
        Logs { buffer, _guard: tracing::subscriber::set_default(subscriber) }
    }

    fn text(&self) -> String {
        String::from_utf8_lossy(&self.buffer.lock().unwrap()).into_owned()
    }

    /// Fails when any secret is in the logs or in any of `debug_outputs`.
    fn assert_no_secret(&self, debug_outputs: &[String]) {
        let logs = self.text();
        for secret in SECRETS {
            assert!(!logs.contains(secret), "secret {secret} in the logs:\n{logs}");
            for output in debug_outputs {
                assert!(!output.contains(secret), "secret {secret} in Debug output {output}");
            }
        }
    }
}

#[derive(Clone)]
struct SharedWriter(Arc<Mutex<Vec<u8>>>);

impl Write for SharedWriter {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

struct Servers {
    api: MockServer,
    oauth: MockServer,
}

impl Servers {
    async fn start() -> Self {
        Servers { api: MockServer::start().await, oauth: MockServer::start().await }
    }

    /// Fast retries, so that tests that exercise them stay short.
    fn builder(&self) -> ClientBuilder {
        Client::builder()
            .base_url(self.api.uri())
            .server_url(servers::APP_HELLOSIGN_COM, self.oauth.uri())
            .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(20)))
    }

    fn app_client(&self) -> Client {
        self.builder().build().expect("client builds")
    }
}

fn app() -> OAuthApp {
    OAuthApp::new(CLIENT_ID, CLIENT_SECRET).with_redirect_uri("https://example.com/oauth/callback?from=sign")
}

fn token_response(access: &str, refresh: &str, expires_in: u64) -> Value {
    json!({"access_token": access, "token_type": "Bearer", "refresh_token": refresh, "expires_in": expires_in})
}

fn list_response() -> Value {
    json!({
        "list_info": {"num_pages": 1, "num_results": 0, "page": 1, "page_size": 20},
        "signature_requests": []
    })
}

fn send_response() -> Value {
    json!({"signature_request": {"signature_request_id": "fa5c8a0b0f492d768749333ad6fcc214c111e967", "title": "NDA"}})
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("wiremock records requests")
}

fn authorization(request: &Request) -> String {
    request.headers.get("authorization").map(|v| v.to_str().unwrap().to_owned()).unwrap_or_default()
}

type ListResult = Result<ApiResponse<SignatureRequestListResponse>, Error<ErrorResponse>>;

async fn list(client: &Client) -> ListResult {
    client.signature_request_list(&SignatureRequestListParams::default()).await
}

/// A holder of `tokens` whose refreshes go to `servers.oauth`.
/// `callers` list calls on tasks of their own, started together; their statuses, in order.
async fn list_at_once(
    client: &Client,
    callers: usize,
) -> Vec<Result<dropbox_sign::reqwest::StatusCode, Error<ErrorResponse>>> {
    let calls: Vec<_> = (0..callers)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move { list(&client).await.map(|r| r.status()) })
        })
        .collect();
    let mut statuses = Vec::with_capacity(callers);
    for call in calls {
        statuses.push(call.await.expect("the task does not panic"));
    }
    statuses
}

/// The OAuth server grants the new tokens, to exactly one refresh.
async fn grant_new_tokens_once(servers: &Servers) {
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response(
            NEW_ACCESS_TOKEN,
            NEW_REFRESH_TOKEN,
            3600,
        )))
        .expect(1)
        .mount(&servers.oauth)
        .await;
}

fn holder(servers: &Servers, tokens: Tokens) -> TokenHolder {
    TokenHolder::builder(servers.app_client(), app(), tokens).refresh_margin(Duration::ZERO).build()
}

fn user_client(servers: &Servers, holder: &TokenHolder) -> Client {
    servers.builder().oauth2_token_provider(holder.clone()).build().expect("client builds")
}

// ---------------------------------------------------------------------------------------------
// The walkthrough
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn walkthrough_from_authorize_url_to_a_signature_request_sent_with_the_users_token() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response(ACCESS_TOKEN, REFRESH_TOKEN, 3600)))
        .expect(1)
        .mount(&servers.oauth)
        .await;
    Mock::given(method("POST"))
        .and(path("/signature_request/send"))
        .and(header("authorization", format!("Bearer {ACCESS_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(send_response()))
        .expect(1)
        .mount(&servers.api)
        .await;

    // 1. The authorization URL, with a fresh random state.
    let request = app().authorize().expect("the OS has randomness");
    let url = reqwest::Url::parse(request.url()).unwrap();
    assert_eq!(url.origin().ascii_serialization(), "https://app.hellosign.com");
    assert_eq!(url.path(), "/oauth/authorize");
    let query: Vec<(String, String)> = url.query_pairs().map(|(k, v)| (k.into(), v.into())).collect();
    assert_eq!(
        query,
        [
            ("response_type".to_owned(), "code".to_owned()),
            ("client_id".to_owned(), CLIENT_ID.to_owned()),
            ("state".to_owned(), request.state().as_str().to_owned()),
            ("redirect_uri".to_owned(), "https://example.com/oauth/callback?from=sign".to_owned()),
        ]
    );
    assert!(request.url().contains("redirect_uri=https%3A%2F%2Fexample.com%2Foauth%2Fcallback%3Ffrom%3Dsign"));
    assert_eq!(request.state().as_str().len(), 64, "256 bits, hex");
    assert_ne!(request.state(), app().authorize().unwrap().state(), "every request gets its own state");
    assert!(request.code_verifier().is_none(), "the description's token body has no code_verifier: no PKCE");
    assert!(!format!("{request:?}").contains(request.state().as_str()), "{request:?}");

    // 2. The user accepts; the callback carries the code and the state.
    let stored_state = State::from_stored(request.state().as_str());
    let callback = format!("https://example.com/oauth/callback?from=sign&code={CODE}&state={}", stored_state.as_str());
    let code = app().callback(&stored_state, &callback).expect("a valid callback");

    // 3. The code is exchanged through `oauthTokenGenerate`, on the OAuth server.
    let app_client = servers.app_client();
    let tokens = app_client.exchange_code(&app(), &code).await.expect("tokens");
    assert_eq!(tokens.access_token().expose_secret(), ACCESS_TOKEN);
    assert_eq!(tokens.refresh_token().map(SecretString::expose_secret), Some(REFRESH_TOKEN));
    let exchange = &received(&servers.oauth).await[0];
    assert!(exchange.headers.get("authorization").is_none(), "the token operation sends no credentials");
    let body: Value = serde_json::from_slice(&exchange.body).unwrap();
    assert_eq!(
        body,
        json!({
            "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "code": CODE,
            "grant_type": "authorization_code", "state": stored_state.as_str()
        })
    );

    // 4. A holder keeps the tokens; the user's client sends with them.
    let stored = Arc::new(Mutex::new(Vec::new()));
    let holder = TokenHolder::builder(app_client.clone(), app(), tokens.clone())
        .on_refresh({
            let stored = Arc::clone(&stored);
            move |tokens: &Tokens| stored.lock().unwrap().push(tokens.refresh_token().cloned())
        })
        .build();
    let user = user_client(&servers, &holder);
    let mut body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    body.file_urls = Some(vec!["https://example.com/nda.pdf".to_owned()]);
    body.title = Some("NDA".to_owned());
    let sent = user.signature_request_send(&body).await.expect("sent on behalf of the user");
    assert_eq!(sent.status(), 200);
    assert!(stored.lock().unwrap().is_empty(), "a valid token is not refreshed");

    let logs_text = logs.text();
    assert!(logs_text.contains("oauthTokenGenerate") && logs_text.contains("signatureRequestSend"), "{logs_text}");
    assert!(
        logs_text.contains("path=\"/signature_request/send\"") || logs_text.contains("path=/signature_request/send")
    );
    assert!(logs_text.contains("status=200"), "{logs_text}");
    logs.assert_no_secret(&[
        format!("{:?}", app()),
        format!("{request:?}"),
        format!("{code:?}"),
        format!("{tokens:?}"),
        format!("{holder:?}"),
        format!("{user:?}"),
        format!("{sent:?}"),
    ]);
}

#[tokio::test]
async fn user_denial_and_forged_state_are_told_apart() {
    let state = State::from_stored("900e06e2");
    let denied = app().callback(&state, "https://example.com/oauth/callback?state=900e06e2").unwrap_err();
    assert_eq!(denied, CallbackError::AccessDenied { error: None, description: None });
    let forged = app().callback(&state, &format!("code={CODE}&state=900e06e3")).unwrap_err();
    assert_eq!(forged, CallbackError::StateMismatch);
    // A forged callback that also looks like a denial is still reported as forged.
    assert_eq!(app().callback(&state, "?state=deadbeef").unwrap_err(), CallbackError::StateMismatch);
    assert_eq!(app().callback(&state, &format!("?code={CODE}")).unwrap_err(), CallbackError::MissingState);
    assert!(forged.to_string().contains("does not match"));
    assert!(!format!("{forged:?}{denied:?}").contains(CODE));
}

/// Where the description leaves the choice (the refresh body's `client_secret` is optional), an
/// app that chooses HTTP Basic sends its secret in the header and not in the body; where the
/// description requires `client_secret` in the body (the code exchange), it stays there.
#[tokio::test]
async fn an_app_that_chooses_basic_authentication_gets_it_where_the_description_allows() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(token_response(ACCESS_TOKEN, REFRESH_TOKEN, 3600)))
        .expect(2)
        .mount(&servers.oauth)
        .await;
    let app = app().with_client_auth(ClientAuth::Basic);
    let client = servers.app_client();
    let code = AuthorizationCode::new(CODE, State::from_stored("900e06e2"));
    client.exchange_code(&app, &code).await.expect("tokens");
    client.refresh_access_token(&app, &SecretString::new(REFRESH_TOKEN)).await.expect("refreshed");

    let requests = received(&servers.oauth).await;
    let exchange: Value = serde_json::from_slice(&requests[0].body).unwrap();
    assert_eq!(exchange["client_secret"], CLIENT_SECRET, "the description requires it in the body");
    assert_eq!(authorization(&requests[0]), "", "one client authentication method per request");
    let refresh: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(refresh, json!({"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN, "client_id": CLIENT_ID}));
    // base64("cc91c61d00f8bb2ece1428035716b:SECRET-CLIENT-SECRET-0002"), both form-encoded first.
    let basic = "Basic Y2M5MWM2MWQwMGY4YmIyZWNlMTQyODAzNTcxNmI6U0VDUkVULUNMSUVOVC1TRUNSRVQtMDAwMg==";
    assert_eq!(authorization(&requests[1]), basic);
    logs.assert_no_secret(&[format!("{app:?}"), format!("{code:?}")]);
}

/// A refusal keeps what the server said (RFC 6749 section 5.2), so that a used code, an unknown
/// one and a redirect URI mismatch read apart.
#[tokio::test]
async fn a_refused_code_says_why_in_the_servers_words() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_grant",
            "error_description": "The authorization code was already used",
            "error_uri": "https://developers.hellosign.com/api/reference/oauth"
        })))
        .expect(1)
        .mount(&servers.oauth)
        .await;
    let code = AuthorizationCode::new(CODE, State::from_stored("900e06e2"));
    let err = servers.app_client().exchange_code(&app(), &code).await.unwrap_err();

    let TokenError::CodeRejected { status, reason: Some(reason) } = &err else { panic!("{err:?}") };
    assert_eq!(*status, 400);
    assert_eq!(reason.error, "invalid_grant");
    assert_eq!(reason.error_description.as_deref(), Some("The authorization code was already used"));
    assert_eq!(reason.error_uri.as_deref(), Some("https://developers.hellosign.com/api/reference/oauth"));
    assert_eq!(
        err.to_string(),
        "the authorization code was refused (400 Bad Request: invalid_grant: The authorization code was already \
         used (see https://developers.hellosign.com/api/reference/oauth)); start the authorization flow again"
    );
    logs.assert_no_secret(&[format!("{err:?}"), err.to_string()]);
}

#[tokio::test]
async fn account_flow_verify_then_create_then_call_with_its_token() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/account/verify"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({})))
        .mount(&servers.api)
        .await;
    Mock::given(method("POST"))
        .and(path("/account/create"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "account": {"account_id": "a57b2d2c1fee9c3d2d4e1ae4a0bde6c3df2b4a5b", "email_address": "new@example.com"},
            "oauth_data": token_response(ACCESS_TOKEN, REFRESH_TOKEN, 3600)
        })))
        .mount(&servers.api)
        .await;
    Mock::given(method("GET"))
        .and(path("/signature_request/list"))
        .and(header("authorization", format!("Bearer {ACCESS_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .expect(1)
        .mount(&servers.api)
        .await;

    let app_client = servers.builder().api_key(API_KEY).build().unwrap();
    // No account yet: the app creates one and gets a token for it at once.
    let verified = app_client.account_verify(&AccountVerifyRequest::new("new@example.com")).await.unwrap();
    assert!(verified.account.is_none());
    let mut create = AccountCreateRequest::new("new@example.com");
    create.client_id = Some(CLIENT_ID.to_owned());
    create.client_secret = Some(SecretString::new(CLIENT_SECRET));
    let created = app_client.account_create(&create).await.unwrap();
    let tokens = Tokens::from_response(created.oauth_data.as_ref().expect("oauth_data")).unwrap();
    assert_eq!(tokens.access_token().expose_secret(), ACCESS_TOKEN);

    let user = user_client(&servers, &holder(&servers, tokens));
    list(&user).await.expect("listed with the new account's token");
    let requests = received(&servers.api).await;
    let create_body: Value = serde_json::from_slice(&requests[1].body).unwrap();
    assert_eq!(create_body["client_secret"], CLIENT_SECRET);
    logs.assert_no_secret(&[format!("{created:?}"), format!("{create:?}"), format!("{user:?}")]);
}

// ---------------------------------------------------------------------------------------------
// The token holder
// ---------------------------------------------------------------------------------------------

/// Answers the refresh slowly, so that every concurrent caller is waiting when it arrives.
struct SlowRefresh;

impl Respond for SlowRefresh {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        ResponseTemplate::new(200)
            .set_body_json(token_response(NEW_ACCESS_TOKEN, NEW_REFRESH_TOKEN, 3600))
            .set_delay(Duration::from_millis(300))
    }
}

#[tokio::test]
async fn an_access_token_that_expires_mid_run_is_refreshed_once_while_100_calls_wait() {
    refreshed_once_while_100_calls_wait().await;
}

/// The same on four worker threads, where the 100 callers really run at once and race for the
/// holder's lock. (The log capture is per thread there, so the single-threaded test is the one
/// that sees every log line.)
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_multi_threaded_runtime_an_expired_token_is_refreshed_once_for_100_callers() {
    refreshed_once_while_100_calls_wait().await;
}

async fn refreshed_once_while_100_calls_wait() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .and(query_param("refresh", ""))
        .respond_with(SlowRefresh)
        .expect(1)
        .mount(&servers.oauth)
        .await;
    Mock::given(method("GET"))
        .and(path("/signature_request/list"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .mount(&servers.api)
        .await;

    let tokens =
        Tokens::new(ACCESS_TOKEN).with_refresh_token(REFRESH_TOKEN).with_expires_in(Duration::from_millis(400));
    let stored = Arc::new(Mutex::new(Vec::new()));
    let holder = TokenHolder::builder(servers.app_client(), app(), tokens)
        .refresh_margin(Duration::ZERO)
        .on_refresh({
            let stored = Arc::clone(&stored);
            move |tokens: &Tokens| {
                stored.lock().unwrap().push(tokens.refresh_token().map(|t| t.expose_secret().to_owned()))
            }
        })
        .build();
    let user = user_client(&servers, &holder);

    list(&user).await.expect("the first call uses the first token");
    tokio::time::sleep(Duration::from_millis(450)).await;
    for status in list_at_once(&user, 100).await {
        assert_eq!(status.expect("every waiting call succeeds"), 200);
    }

    let refreshes: Vec<Request> =
        received(&servers.oauth).await.into_iter().filter(|r| r.url.query() == Some("refresh")).collect();
    assert_eq!(refreshes.len(), 1, "one refresh for 100 callers");
    let body: Value = serde_json::from_slice(&refreshes[0].body).unwrap();
    assert_eq!(
        body,
        json!({"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN, "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET})
    );
    let api_requests = received(&servers.api).await;
    assert_eq!(api_requests.len(), 101);
    assert_eq!(authorization(&api_requests[0]), format!("Bearer {ACCESS_TOKEN}"));
    assert!(api_requests[1..].iter().all(|r| authorization(r) == format!("Bearer {NEW_ACCESS_TOKEN}")));
    assert_eq!(*stored.lock().unwrap(), [Some(NEW_REFRESH_TOKEN.to_owned())], "the new refresh token is handed over");
    assert_eq!(holder.tokens().await.refresh_token().map(SecretString::expose_secret), Some(NEW_REFRESH_TOKEN));
    logs.assert_no_secret(&[format!("{holder:?}"), format!("{:?}", holder.tokens().await)]);
}

#[tokio::test]
async fn a_revoked_refresh_token_asks_for_authorization_again_without_hammering_the_server() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": {"error_msg": "Invalid refresh token", "error_name": "invalid_grant"}})),
        )
        .expect(1)
        .mount(&servers.oauth)
        .await;
    let expired = Tokens::new(ACCESS_TOKEN).with_refresh_token(REFRESH_TOKEN).with_expires_in(Duration::ZERO);
    let holder = holder(&servers, expired);
    let user = user_client(&servers, &holder);

    for _ in 0..3 {
        let err = list(&user).await.unwrap_err();
        let Error::Token(token_error) = &err else { panic!("expected a token error, got {err:?}") };
        // Dropbox Sign's own error body is not an RFC 6749 one: no reason, only the status.
        assert!(matches!(token_error, TokenError::ReauthorizationRequired { status, reason: None } if *status == 400));
        assert!(token_error.requires_reauthorization());
        assert!(err.to_string().contains("must authorize the app again"), "{err}");
        logs.assert_no_secret(&[format!("{err:?}"), err.to_string()]);
    }
    assert!(received(&servers.api).await.is_empty(), "no API call is made without a token");

    // After the user authorized again, new tokens make the holder work again.
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .mount(&servers.api)
        .await;
    holder.set_tokens(Tokens::new(NEW_ACCESS_TOKEN)).await;
    list(&user).await.expect("works with the new tokens");
}

#[tokio::test]
async fn a_401_renews_the_token_once_and_sends_again() {
    let servers = Servers::start().await;
    grant_new_tokens_once(&servers).await;
    let user = client_whose_token_the_api_refuses(&servers, send_response()).await;
    let body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    user.signature_request_send(&body).await.expect("sent after renewing the token");
    assert_eq!(received(&servers.api).await.len(), 2);
}

/// A user client whose access token has not expired by the clock but that the API refuses
/// (401); the renewed token is answered with `answer`.
async fn client_whose_token_the_api_refuses(servers: &Servers, answer: Value) -> Client {
    Mock::given(header("authorization", format!("Bearer {ACCESS_TOKEN}").as_str()))
        .respond_with(
            ResponseTemplate::new(401)
                .set_body_json(json!({"error": {"error_msg": "Access token revoked", "error_name": "unauthorized"}})),
        )
        .mount(&servers.api)
        .await;
    Mock::given(header("authorization", format!("Bearer {NEW_ACCESS_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(answer))
        .mount(&servers.api)
        .await;
    let tokens = Tokens::new(ACCESS_TOKEN).with_refresh_token(REFRESH_TOKEN).with_expires_in(Duration::from_secs(3600));
    user_client(servers, &holder(servers, tokens))
}

/// 50 callers on four threads send with the same token at once and all get a 401: the token is
/// renewed once, not once per caller, and every call is sent again with the new token.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn on_a_multi_threaded_runtime_50_concurrent_401s_renew_the_token_once() {
    let servers = Servers::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(SlowRefresh)
        .expect(1)
        .mount(&servers.oauth)
        .await;
    let user = client_whose_token_the_api_refuses(&servers, list_response()).await;

    for status in list_at_once(&user, 50).await {
        assert_eq!(status.expect("every call succeeds after the renewal"), 200);
    }
    let refreshes = received(&servers.oauth).await.len();
    assert_eq!(refreshes, 1, "one renewal for 50 refused calls");
    let api_requests = received(&servers.api).await;
    let renewed = api_requests.iter().filter(|r| authorization(r) == format!("Bearer {NEW_ACCESS_TOKEN}")).count();
    assert_eq!(renewed, 50);
}

// ---------------------------------------------------------------------------------------------
// Retries and timeouts
// ---------------------------------------------------------------------------------------------

/// Answers the first `failures` requests with `failure`, then `success`.
struct FailThenSucceed {
    failures: usize,
    seen: AtomicUsize,
    failure: ResponseTemplate,
    success: ResponseTemplate,
}

impl Respond for FailThenSucceed {
    fn respond(&self, _: &Request) -> ResponseTemplate {
        if self.seen.fetch_add(1, Ordering::SeqCst) < self.failures {
            self.failure.clone()
        } else {
            self.success.clone()
        }
    }
}

fn rate_limited_then_ok(failure: ResponseTemplate) -> FailThenSucceed {
    FailThenSucceed {
        failures: 1,
        seen: AtomicUsize::new(0),
        failure,
        success: ResponseTemplate::new(200).set_body_json(list_response()),
    }
}

#[tokio::test]
async fn a_429_with_retry_after_is_waited_out_and_then_succeeds() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    let too_many = ResponseTemplate::new(429)
        .insert_header("Retry-After", "1")
        .set_body_json(json!({"error": {"error_msg": "Too many requests.", "error_name": "exceeded_rate"}}));
    Mock::given(method("GET")).respond_with(rate_limited_then_ok(too_many)).mount(&servers.api).await;
    let client = servers.builder().api_key(API_KEY).build().unwrap();

    let started = Instant::now();
    let response = list(&client).await.expect("succeeds after the wait");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(1), "waited {:?}, not the 1 s asked", started.elapsed());
    assert_eq!(received(&servers.api).await.len(), 2);
    assert!(logs.text().contains("retrying"), "the retry is traced:\n{}", logs.text());
    assert!(logs.text().contains("attempts=2"), "{}", logs.text());
    logs.assert_no_secret(&[format!("{response:?}")]);
}

#[tokio::test]
async fn a_429_with_a_rate_limit_reset_time_is_waited_out() {
    let servers = Servers::start().await;
    let reset = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs() + 2;
    let too_many = ResponseTemplate::new(429).insert_header("X-Ratelimit-Reset", reset.to_string().as_str());
    Mock::given(method("GET")).respond_with(rate_limited_then_ok(too_many)).mount(&servers.api).await;
    let client = servers.builder().api_key(API_KEY).build().unwrap();

    let started = Instant::now();
    list(&client).await.expect("succeeds after the reset");
    // The reset is a whole second, so the wait is between 1 and 2 s.
    assert!(started.elapsed() >= Duration::from_millis(900), "waited only {:?}", started.elapsed());
    assert_eq!(received(&servers.api).await.len(), 2);
}

#[tokio::test]
async fn a_wait_longer_than_the_budget_is_not_made() {
    let servers = Servers::start().await;
    let too_many = ResponseTemplate::new(429).insert_header("Retry-After", "3600");
    Mock::given(method("GET")).respond_with(rate_limited_then_ok(too_many)).mount(&servers.api).await;
    let client = servers.builder().api_key(API_KEY).build().unwrap();
    let started = Instant::now();
    let err = list(&client).await.unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(started.elapsed() < Duration::from_secs(5));
    assert_eq!(received(&servers.api).await.len(), 1);
}

#[tokio::test]
async fn a_503_storm_ends_in_a_clear_error_after_the_bound() {
    let logs = Logs::capture();
    let servers = Servers::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503).set_body_string("<html>Service Unavailable</html>"))
        .mount(&servers.api)
        .await;
    let client = servers
        .builder()
        .api_key(API_KEY)
        .retry(RetryPolicy::default().max_attempts(3).initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let err = list(&client).await.unwrap_err();
    assert!(matches!(err, Error::UnexpectedResponse { status, .. } if status == 503), "{err:?}");
    assert!(err.to_string().contains("503"), "{err}");
    assert_eq!(received(&servers.api).await.len(), 3, "three attempts, no more");
    assert!(logs.text().contains("attempts=3"), "{}", logs.text());
}

#[tokio::test]
async fn a_post_is_not_retried_unless_the_caller_opts_in() {
    let servers = Servers::start().await;
    Mock::given(method("POST")).respond_with(ResponseTemplate::new(503)).mount(&servers.api).await;
    let body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    let client = servers.builder().api_key(API_KEY).build().unwrap();
    client.signature_request_send(&body).await.unwrap_err();
    assert_eq!(received(&servers.api).await.len(), 1, "a POST may have had its effect: not sent again");

    let retrying = RetryPolicy::default().retry_non_idempotent(true).max_attempts(2).initial_backoff(Duration::ZERO);
    let client = servers.builder().api_key(API_KEY).retry(retrying).build().unwrap();
    client.signature_request_send(&body).await.unwrap_err();
    assert_eq!(received(&servers.api).await.len(), 3, "opted in: sent twice");

    let client = servers.builder().api_key(API_KEY).retry(RetryPolicy::none()).build().unwrap();
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(503)).mount(&servers.api).await;
    list(&client).await.unwrap_err();
    assert_eq!(received(&servers.api).await.len(), 4, "retries off: one attempt");
}

/// A server that resets the first connection after reading the request, and answers the second.
async fn reset_then_answer() -> (String, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let connections = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&connections);
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let number = counter.fetch_add(1, Ordering::SeqCst);
            let mut buffer = vec![0u8; 8192];
            let _ = socket.read(&mut buffer).await;
            if number == 0 {
                // SO_LINGER 0: closing sends a TCP RST instead of a FIN. (The deprecation is about
                // a non-zero linger blocking the thread on drop; zero never blocks.)
                #[allow(deprecated)]
                let _ = socket.set_linger(Some(Duration::ZERO));
                drop(socket);
                continue;
            }
            let body = list_response().to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
        }
    });
    (address, connections)
}

#[tokio::test]
async fn a_connection_reset_is_retried() {
    let (address, connections) = reset_then_answer().await;
    let client = Client::builder()
        .base_url(address)
        .api_key(API_KEY)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let response = list(&client).await.expect("the retry on a new connection succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(connections.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn a_connection_reset_without_retries_is_a_transport_error() {
    let (address, connections) = reset_then_answer().await;
    let client = Client::builder().base_url(address).api_key(API_KEY).retry(RetryPolicy::none()).build().unwrap();
    let err = list(&client).await.unwrap_err();
    let Error::Transport(source) = &err else { panic!("expected a transport error, got {err:?}") };
    assert_eq!(source.kind(), dropbox_sign::TransportErrorKind::ConnectionReset, "{source:?}");
    assert!(err.to_string().contains("connection reset or closed: GET /signature_request/list on "), "{err}");
    assert_eq!(connections.load(Ordering::SeqCst), 1);
}

/// One request read from `socket` (its head and body), or `None` when the client closed it.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Option<(String, Vec<u8>)> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    loop {
        if let Some(end) = buffer.windows(4).position(|window| window == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buffer[..end]).into_owned();
            let length: usize = head
                .lines()
                .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_owned()))
                .map_or(0, |value| value.parse().unwrap());
            if buffer.len() >= end + 4 + length {
                return Some((head, buffer[end + 4..end + 4 + length].to_vec()));
            }
        }
        match socket.read(&mut chunk).await {
            Ok(0) | Err(_) => return None,
            Ok(read) => buffer.extend_from_slice(&chunk[..read]),
        }
    }
}

/// A server that reads one request per connection, answers it (without `Connection: close`, so
/// that the client keeps the connection for the next request) and closes the connection right
/// after. With `close_every_other_at_once`, it also closes every other new connection as soon
/// as it accepts it, before a byte of a request can arrive. Returns its address and the
/// requests it read: method and body.
async fn one_answer_per_connection(close_every_other_at_once: bool) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = format!("http://{}", listener.local_addr().unwrap());
    let requests = Arc::new(Mutex::new(Vec::new()));
    let read = Arc::clone(&requests);
    tokio::spawn(async move {
        for number in 0.. {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            if close_every_other_at_once && number % 2 == 0 {
                drop(socket);
                continue;
            }
            let Some((head, body)) = read_request(&mut socket).await else { continue };
            let method = head.split(' ').next().unwrap_or_default().to_owned();
            read.lock().unwrap().push(format!("{method} {}", String::from_utf8_lossy(&body)));
            let body = match method.as_str() {
                "GET" => list_response(),
                _ => json!({"account": {"email_address": "jack@example.com"}}),
            }
            .to_string();
            let response = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
                body.len()
            );
            let _ = socket.write_all(response.as_bytes()).await;
            // Closed without a word: the client finds out when it next uses the connection.
            drop(socket);
        }
    });
    (address, requests)
}

const VERIFY_BODY: &str = r#"POST {"email_address":"jack@example.com"}"#;

#[tokio::test]
async fn a_post_after_the_server_closed_the_pooled_connection_goes_out_once_on_a_new_one() {
    let (address, requests) = one_answer_per_connection(false).await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(1));
    for round in 0..100 {
        let client = Client::builder().base_url(&address).api_key(API_KEY).retry(retry.clone()).build().unwrap();
        list(&client).await.unwrap_or_else(|err| panic!("round {round}: the first request: {err}"));
        // The connection the list came on is in the pool, and closed by the server.
        let verified = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await;
        verified.unwrap_or_else(|err| panic!("round {round}: the POST on the closed connection: {err}"));
    }
    let requests = requests.lock().unwrap();
    assert_eq!(requests.len(), 200, "each request read once");
    assert!(requests.iter().skip(1).step_by(2).all(|request| request == VERIFY_BODY), "{requests:?}");
}

#[tokio::test]
async fn a_post_on_a_connection_closed_before_a_byte_was_written_is_sent_again() {
    let (address, requests) = one_answer_per_connection(true).await;
    let retry = RetryPolicy::default().initial_backoff(Duration::from_millis(1));
    for round in 0..50 {
        let client = Client::builder().base_url(&address).api_key(API_KEY).retry(retry.clone()).build().unwrap();
        // The server closes the new connection before the request is written: hyper hands the
        // request back unsent ("canceled"), which is safe to send again although it is a POST.
        let verified = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await;
        verified.unwrap_or_else(|err| panic!("round {round}: {err} ({err:?})"));
    }
    let requests = requests.lock().unwrap();
    assert_eq!(requests.len(), 50, "each POST reached the server once: {requests:?}");
    assert!(requests.iter().all(|request| request == VERIFY_BODY), "{requests:?}");
}

#[tokio::test]
async fn a_post_cut_off_after_it_was_written_is_not_sent_again() {
    // The first connection is reset after the request was read: the server may have acted on it.
    let (address, connections) = reset_then_answer().await;
    let client = Client::builder()
        .base_url(address)
        .api_key(API_KEY)
        .retry(RetryPolicy::default().initial_backoff(Duration::from_millis(1)))
        .build()
        .unwrap();
    let err = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.unwrap_err();
    let Error::Transport(source) = &err else { panic!("expected a transport error, got {err:?}") };
    assert!(!source.is_not_sent(), "{source:?}");
    assert_eq!(connections.load(Ordering::SeqCst), 1, "not sent again");
}

#[tokio::test]
async fn a_slow_server_hits_the_timeout() {
    let servers = Servers::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()).set_delay(Duration::from_secs(5)))
        .mount(&servers.api)
        .await;
    let client = servers
        .builder()
        .api_key(API_KEY)
        .timeout(Some(Duration::from_millis(200)))
        .retry(RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(10)))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = list(&client).await.unwrap_err();
    let Error::Transport(source) = &err else { panic!("expected a transport error, got {err:?}") };
    assert!(source.is_timeout(), "{source:?}");
    assert!(
        err.to_string().starts_with("transport error: timed out: GET /signature_request/list on 127.0.0.1:"),
        "{err}"
    );
    assert!(started.elapsed() < Duration::from_secs(2), "took {:?}", started.elapsed());
    assert_eq!(received(&servers.api).await.len(), 2, "a timed-out GET is tried once more");
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_its_version() {
    let servers = Servers::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .mount(&servers.api)
        .await;
    list(&servers.builder().api_key(API_KEY).build().unwrap()).await.unwrap();
    let request = &received(&servers.api).await[0];
    assert_eq!(request.headers.get("user-agent").unwrap(), "dropbox-sign/0.1.0");
}

// ---------------------------------------------------------------------------------------------
// Event callbacks
// ---------------------------------------------------------------------------------------------

fn event_hash(key: &str, event_time: &str, event_type: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(key.as_bytes()).unwrap();
    mac.update(format!("{event_time}{event_type}").as_bytes());
    mac.finalize().into_bytes().iter().map(|b| format!("{b:02x}")).collect()
}

fn event(event_type: &str, hash: &str) -> String {
    json!({
        "event": {
            "event_time": "1348177752",
            "event_type": event_type,
            "event_hash": hash,
            "event_metadata": {"related_signature_id": null, "reported_for_account_id": "63522885f9261e2b04eea043933ee7313eb674fd"}
        },
        "signature_request": {"signature_request_id": "fa5c8a0b0f492d768749333ad6fcc214c111e967", "title": "NDA"}
    })
    .to_string()
}

#[test]
fn a_valid_event_callback_is_verified_and_decoded() {
    let payload = event("signature_request_signed", &event_hash(API_KEY, "1348177752", "signature_request_signed"));
    let callback = webhooks::verify_event_callback(&SecretString::new(API_KEY), &payload).expect("valid");
    assert_eq!(callback.event.event_type, EventCallbackRequestEventEventType::SignatureRequestSigned);
    let signature_request = callback.signature_request.expect("the signature request");
    assert_eq!(signature_request.title.as_deref(), Some("NDA"));
    assert_eq!(webhooks::EVENT_CALLBACK_ACKNOWLEDGEMENT, "Hello API Event Received");
    // Upper-case hex is the same signature.
    let upper = event("callback_test", &event_hash(API_KEY, "1348177752", "callback_test").to_uppercase());
    webhooks::verify_event_callback(&SecretString::new(API_KEY), &upper).expect("valid");
}

#[test]
fn a_forged_event_callback_is_rejected() {
    let key = SecretString::new(API_KEY);
    let genuine_hash = event_hash(API_KEY, "1348177752", "signature_request_sent");
    // The event type was changed after signing.
    let altered = event("signature_request_signed", &genuine_hash);
    assert!(matches!(webhooks::verify_event_callback(&key, &altered), Err(WebhookError::BadSignature)));
    // Signed with another key.
    let other_key = event("signature_request_sent", &event_hash("ANOTHER-KEY", "1348177752", "signature_request_sent"));
    assert!(matches!(webhooks::verify_event_callback(&key, &other_key), Err(WebhookError::BadSignature)));
    // No hash, a hash that is not hex, and not JSON at all.
    let unsigned = json!({"event": {"event_time": "1", "event_type": "callback_test"}}).to_string();
    assert!(matches!(
        webhooks::verify_event_callback(&key, &unsigned),
        Err(WebhookError::MissingField("/event/event_hash"))
    ));
    let not_hex = event("callback_test", "zz");
    assert!(matches!(webhooks::verify_event_callback(&key, &not_hex), Err(WebhookError::BadSignature)));
    assert!(matches!(webhooks::verify_event_callback(&key, "json=..."), Err(WebhookError::NotJson(_))));
    let err = webhooks::verify_event_callback(&key, &altered).unwrap_err();
    assert!(!format!("{err:?}{err}").contains(API_KEY));
}

#[tokio::test]
async fn a_holder_refreshes_through_the_client_that_uses_it_and_stores_rotated_tokens_asynchronously() {
    let servers = Servers::start().await;
    grant_new_tokens_once(&servers).await;
    Mock::given(method("GET"))
        .and(header("authorization", format!("Bearer {NEW_ACCESS_TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(200).set_body_json(list_response()))
        .mount(&servers.api)
        .await;
    // A store that is down for the first write.
    let writes = Arc::new(Mutex::new(Vec::new()));
    let store = {
        let writes = Arc::clone(&writes);
        move |tokens: Tokens| {
            let writes = Arc::clone(&writes);
            async move {
                tokio::task::yield_now().await;
                let mut writes = writes.lock().unwrap();
                writes.push(tokens.refresh_token().map(|t| t.expose_secret().to_owned()));
                if writes.len() == 1 { Err("the store is down") } else { Ok(()) }
            }
        }
    };
    // One client: the holder refreshes through it, and it takes its tokens from the holder.
    let client = servers.app_client();
    let expired = Tokens::new(ACCESS_TOKEN).with_refresh_token(REFRESH_TOKEN).with_expires_in(Duration::ZERO);
    let holder = TokenHolder::builder(client.clone(), app(), expired).on_refresh_async(store).build();
    let user = client.with_oauth2_token_provider(holder.clone());

    list(&user).await.expect("the call goes out with the refreshed token although the store failed");
    assert!(holder.is_unstored().await);
    list(&user).await.expect("the next call stores the tokens first");
    assert!(!holder.is_unstored().await);
    let rotated = Some(NEW_REFRESH_TOKEN.to_owned());
    assert_eq!(*writes.lock().unwrap(), [rotated.clone(), rotated], "written again after the failure, then not again");
    assert_eq!(received(&servers.oauth).await.len(), 1, "one refresh");
    list(&user).await.unwrap();
    assert_eq!(writes.lock().unwrap().len(), 2, "a stored token is not written again");
}

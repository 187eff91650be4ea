//! The generated Dropbox Sign client against real HTTP servers on 127.0.0.1.
//!
//! Every test starts two wiremock servers, one standing in for the API server
//! (`https://api.hellosign.com/v3`) and one for the OAuth server (`https://app.hellosign.com`),
//! answers every request with a canned response, and then inspects what arrived on the wire
//! (method, path, query, headers, body) from the recorded requests, so that a failure says
//! exactly what was wrong rather than "no mock matched".

use std::collections::BTreeMap;

use dropbox_sign::models::{
    AccountCreateRequest, AccountVerifyRequest, ErrorResponse, ErrorResponseError, OAuthTokenGenerateRequest,
    OAuthTokenRefreshRequest, SignatureRequestResponseSignaturesStatusCode, SignatureRequestSendRequest,
    SubSignatureRequestSigner,
};
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{Client, ClientBuilder, Error, RetryPolicy, Upload, headers, servers};
use serde_json::{Value, json};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "SECRET-API-KEY-123";
/// base64("SECRET-API-KEY-123:"): the API key as user name, an empty password.
const API_KEY_BASIC: &str = "U0VDUkVULUFQSS1LRVktMTIzOg==";
const ACCESS_TOKEN: &str = "SECRET-ACCESS-TOKEN-456";
const REFRESH_TOKEN: &str = "SECRET-REFRESH-TOKEN-789";
const CLIENT_SECRET: &str = "SECRET-CLIENT-SECRET-000";
const CLIENT_ID: &str = "cc91c61d00f8bb2ece1428035716b";

/// Bytes of an uploaded file, with CR LF, NUL and non-ASCII bytes that a sloppy encoder would
/// mangle.
const NDA_PDF: &[u8] = b"%PDF-1.4\r\n%\xe2\xe3\xcf\xd3\r\n1 0 obj\n<< /Type /Catalog >>\x00\xffendobj\r\n%%EOF";
const APPENDIX_PDF: &[u8] = b"%PDF-1.7\n\x01\x02\x03 appendix A \xf0\x9f\x93\x84\r\n%%EOF\n";

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The two servers the client talks to.
struct Servers {
    api: MockServer,
    oauth: MockServer,
}

impl Servers {
    async fn start() -> Self {
        Servers { api: MockServer::start().await, oauth: MockServer::start().await }
    }

    /// A builder whose default server is `api` and whose OAuth server is `oauth`.
    fn builder(&self) -> ClientBuilder {
        Client::builder().base_url(self.api.uri()).server_url(servers::APP_HELLOSIGN_COM, self.oauth.uri())
    }

    /// A client holding both an API key and an OAuth access token.
    fn client_with_both_credentials(&self) -> Client {
        self.builder().api_key(API_KEY).oauth2(ACCESS_TOKEN).build().expect("client builds")
    }
}

/// Answers every request `server` receives with `response`.
async fn reply(server: &MockServer, response: ResponseTemplate) {
    Mock::given(any()).respond_with(response).mount(server).await;
}

fn reply_json(status: u16, body: Value) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_json(body)
}

async fn received(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.expect("wiremock records requests")
}

/// The one request `server` received.
async fn only_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "expected exactly one request, got {:?}",
        requests.iter().map(|r| format!("{} {}", r.method, r.url)).collect::<Vec<_>>()
    );
    requests.remove(0)
}

async fn assert_no_request(server: &MockServer, which: &str) {
    let requests = received(server).await;
    assert!(
        requests.is_empty(),
        "the {which} server should have received nothing, got {:?}",
        requests.iter().map(|r| format!("{} {}", r.method, r.url)).collect::<Vec<_>>()
    );
}

fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("header value is ASCII").to_owned())
        .collect()
}

/// The value of a header that must be present exactly once.
fn single_header(request: &Request, name: &str) -> String {
    let values = header_values(request, name);
    assert_eq!(values.len(), 1, "expected exactly one {name} header, got {values:?}");
    values.into_iter().next().unwrap_or_default()
}

fn json_body(request: &Request) -> Value {
    serde_json::from_slice(&request.body)
        .unwrap_or_else(|err| panic!("body is not JSON ({err}): {:?}", String::from_utf8_lossy(&request.body)))
}

fn assert_line(request: &Request, method: &str, path: &str, query: Option<&str>) {
    assert_eq!(request.method.as_str(), method, "method of {}", request.url);
    assert_eq!(request.url.path(), path, "path of {}", request.url);
    assert_eq!(request.url.query(), query, "query of {}", request.url);
}

/// Fails when `text` (a `Debug` or `Display` rendering) shows any credential.
fn assert_no_secret(what: &str, text: &str) {
    for secret in [API_KEY, API_KEY_BASIC, ACCESS_TOKEN, REFRESH_TOKEN, CLIENT_SECRET] {
        assert!(!text.contains(secret), "{what} shows the secret {secret:?}: {text}");
    }
}

fn assert_error_redacted<E: std::fmt::Debug>(err: &Error<E>) {
    assert_no_secret("the error's Display", &err.to_string());
    assert_no_secret("the error's Debug", &format!("{err:?}"));
}

fn signer(name: &str, email_address: &str, order: i64) -> SubSignatureRequestSigner {
    let mut signer = SubSignatureRequestSigner::new(name, email_address);
    signer.order = Some(Some(order));
    signer
}

/// One part of a multipart/form-data body.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    /// The content with every byte outside printable ASCII escaped: exact, yet readable in a diff.
    content: String,
}

fn text_part(name: &str, value: &str) -> Part {
    Part { name: name.to_owned(), file_name: None, content_type: None, content: value.escape_default().to_string() }
}

fn file_part(name: &str, file_name: &str, content_type: &str, content: &[u8]) -> Part {
    Part {
        name: name.to_owned(),
        file_name: Some(file_name.to_owned()),
        content_type: Some(content_type.to_owned()),
        content: content.escape_ascii().to_string(),
    }
}

fn find(haystack: &[u8], needle: &[u8]) -> Option<usize> {
    haystack.windows(needle.len()).position(|window| window == needle)
}

fn split_on<'a>(haystack: &'a [u8], needle: &[u8]) -> Vec<&'a [u8]> {
    let mut pieces = Vec::new();
    let mut rest = haystack;
    while let Some(at) = find(rest, needle) {
        pieces.push(&rest[..at]);
        rest = &rest[at + needle.len()..];
    }
    pieces.push(rest);
    pieces
}

/// The parts of a multipart/form-data request (RFC 7578), sorted by name.
fn multipart_parts(request: &Request) -> Vec<Part> {
    let content_type = single_header(request, "content-type");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("not multipart/form-data with a boundary: {content_type:?}"));
    // Every delimiter, the first included, is CR LF "--" boundary.
    let mut body = b"\r\n".to_vec();
    body.extend_from_slice(&request.body);
    let mut segments = split_on(&body, format!("\r\n--{boundary}").as_bytes());
    let preamble = segments.remove(0);
    assert!(preamble.is_empty(), "bytes before the first boundary: {:?}", preamble.escape_ascii().to_string());
    let epilogue = segments.pop().expect("a closing delimiter");
    assert!(
        epilogue == b"--" || epilogue == b"--\r\n",
        "the body does not end with the closing delimiter: {:?}",
        epilogue.escape_ascii().to_string()
    );
    let mut parts: Vec<Part> = segments.into_iter().map(parse_part).collect();
    parts.sort();
    parts
}

fn parse_part(segment: &[u8]) -> Part {
    let segment = segment.strip_prefix(b"\r\n").expect("CR LF after a boundary");
    let end = find(segment, b"\r\n\r\n").expect("a blank line after the part headers");
    let head = std::str::from_utf8(&segment[..end]).expect("part headers are UTF-8");
    let content = &segment[end + 4..];
    let (mut name, mut file_name, mut content_type) = (None, None, None);
    for line in head.split("\r\n") {
        let (header, value) = line.split_once(':').unwrap_or_else(|| panic!("malformed part header {line:?}"));
        match header.trim().to_ascii_lowercase().as_str() {
            "content-disposition" => {
                let mut params = value.split(';').map(str::trim);
                assert_eq!(params.next(), Some("form-data"), "disposition of {line:?}");
                for param in params {
                    let (key, raw) = param.split_once('=').unwrap_or_else(|| panic!("bad parameter in {line:?}"));
                    let unquoted = raw
                        .strip_prefix('"')
                        .and_then(|raw| raw.strip_suffix('"'))
                        .unwrap_or_else(|| panic!("unquoted parameter {param:?} in {line:?}"))
                        .to_owned();
                    match key {
                        "name" => name = Some(unquoted),
                        "filename" => file_name = Some(unquoted),
                        other => panic!("unexpected Content-Disposition parameter {other:?} in {line:?}"),
                    }
                }
            }
            "content-type" => content_type = Some(value.trim().to_owned()),
            other => panic!("unexpected part header {other:?} in {head:?}"),
        }
    }
    let name: String = name.unwrap_or_else(|| panic!("part without a name: {head:?}"));
    let content = if file_name.is_some() {
        content.escape_ascii().to_string()
    } else {
        std::str::from_utf8(content).expect("text parts are UTF-8").escape_default().to_string()
    };
    Part { name, file_name, content_type, content }
}

fn sorted(mut parts: Vec<Part>) -> Vec<Part> {
    parts.sort();
    parts
}

// ---------------------------------------------------------------------------------------------
// OAuth
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn oauth_token_generate_posts_json_to_the_oauth_server_without_credentials() {
    let servers = Servers::start().await;
    reply(
        &servers.oauth,
        reply_json(
            200,
            json!({
                "access_token": ACCESS_TOKEN,
                "token_type": "Bearer",
                "refresh_token": REFRESH_TOKEN,
                "expires_in": 86400,
                "state": null,
            }),
        ),
    )
    .await;
    // Credentials are configured, but the operation is `security: []`: none may be sent.
    let client = servers.client_with_both_credentials();
    let body = OAuthTokenGenerateRequest::new(CLIENT_ID, CLIENT_SECRET, "1b0d28d90c86c141", "900e06e2");

    let response = client.oauth_token_generate(&body).await.expect("token generated");

    assert_no_request(&servers.api, "API").await;
    let request = only_request(&servers.oauth).await;
    assert_line(&request, "POST", "/oauth/token", None);
    assert_eq!(header_values(&request, "authorization"), Vec::<String>::new(), "no credentials on a security: [] call");
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
            "code": "1b0d28d90c86c141",
            "grant_type": "authorization_code",
            "state": "900e06e2",
        })
    );

    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.access_token.as_ref().map(|token| token.expose_secret()), Some(ACCESS_TOKEN));
    assert_eq!(response.token_type.as_deref(), Some("Bearer"));
    assert_eq!(response.refresh_token.as_ref().map(|token| token.expose_secret()), Some(REFRESH_TOKEN));
    assert_eq!(response.expires_in, Some(86400));
    assert_eq!(response.state, Some(None), "a present `null` state is Some(None)");
}

#[tokio::test]
async fn oauth_token_refresh_sends_the_literal_refresh_query_and_needs_no_credentials() {
    let servers = Servers::start().await;
    reply(
        &servers.oauth,
        reply_json(
            200,
            json!({
                "access_token": ACCESS_TOKEN,
                "expires_in": 3600,
                "refresh_token": REFRESH_TOKEN,
                "token_type": "Bearer",
            }),
        ),
    )
    .await;
    // No credentials at all: the token calls must still work.
    let client = servers.builder().build().expect("client builds");
    let mut body = OAuthTokenRefreshRequest::new(REFRESH_TOKEN);
    body.client_id = Some(CLIENT_ID.to_owned());
    body.client_secret = Some(CLIENT_SECRET.into());

    let response = client.oauth_token_refresh(&body).await.expect("token refreshed");

    assert_no_request(&servers.api, "API").await;
    let request = only_request(&servers.oauth).await;
    assert_line(&request, "POST", "/oauth/token", Some("refresh"));
    assert_eq!(header_values(&request, "authorization"), Vec::<String>::new());
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({
            "grant_type": "refresh_token",
            "refresh_token": REFRESH_TOKEN,
            "client_id": CLIENT_ID,
            "client_secret": CLIENT_SECRET,
        })
    );

    assert_eq!(response.access_token.as_ref().map(|token| token.expose_secret()), Some(ACCESS_TOKEN));
    assert_eq!(response.refresh_token.as_ref().map(|token| token.expose_secret()), Some(REFRESH_TOKEN));
    assert_eq!(response.token_type.as_deref(), Some("Bearer"));
    assert_eq!(response.expires_in, Some(3600));
    assert_eq!(response.state, None, "an absent state is None");
}

#[tokio::test]
async fn oauth_token_refresh_without_optional_fields_sends_only_grant_type_and_refresh_token() {
    let servers = Servers::start().await;
    reply(&servers.oauth, reply_json(200, json!({"access_token": ACCESS_TOKEN, "state": "900e06e2"}))).await;
    let client = servers.builder().build().expect("client builds");

    let response = client.oauth_token_refresh(&OAuthTokenRefreshRequest::new(REFRESH_TOKEN)).await.expect("refreshed");

    let request = only_request(&servers.oauth).await;
    assert_line(&request, "POST", "/oauth/token", Some("refresh"));
    assert_eq!(json_body(&request), json!({"grant_type": "refresh_token", "refresh_token": REFRESH_TOKEN}));
    assert_eq!(response.state, Some(Some("900e06e2".to_owned())), "a state value is Some(Some(..))");
    assert_eq!(response.token_type, None);
}

// ---------------------------------------------------------------------------------------------
// Account
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn account_verify_sends_one_basic_authorization_with_the_api_key_when_both_credentials_are_set() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, json!({"account": {"email_address": "jack@example.com"}}))).await;
    let client = servers.client_with_both_credentials();

    let response = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect("verified");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/account/verify", None);
    assert_eq!(request.headers.get_all("authorization").iter().count(), 1, "exactly one Authorization header");
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(single_header(&request, "user-agent"), "dropbox-sign/0.1.0");
    assert_eq!(json_body(&request), json!({"email_address": "jack@example.com"}));

    let account = response.account.as_ref().expect("an account");
    assert_eq!(account.email_address.as_deref(), Some("jack@example.com"));
    assert_eq!(response.warnings, None);
}

#[tokio::test]
async fn account_verify_sends_a_bearer_token_when_only_oauth2_is_set_and_decodes_no_account() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, json!({}))).await;
    let client = servers.builder().oauth2(ACCESS_TOKEN).build().expect("client builds");

    let response = client.account_verify(&AccountVerifyRequest::new("nobody@example.com")).await.expect("verified");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/account/verify", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Bearer {ACCESS_TOKEN}")]);
    assert_eq!(json_body(&request), json!({"email_address": "nobody@example.com"}));
    assert_eq!(response.account, None, "`{{}}` means no account");
    assert_eq!(response.warnings, None);
}

#[tokio::test]
async fn account_verify_multipart_sends_the_email_address_as_a_form_part() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, json!({"account": {"email_address": "jack@example.com"}}))).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");

    let response =
        client.account_verify_multipart(&AccountVerifyRequest::new("jack@example.com")).await.expect("verified");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/account/verify", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    assert_eq!(multipart_parts(&request), vec![text_part("email_address", "jack@example.com")]);
    assert_eq!(
        response.account.as_ref().and_then(|account| account.email_address.as_deref()),
        Some("jack@example.com")
    );
}

#[tokio::test]
async fn a_base_url_with_a_path_prefix_keeps_the_prefix() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, json!({}))).await;
    // Like the real default server, `https://api.hellosign.com/v3`; a trailing slash is dropped.
    let client = Client::builder()
        .base_url(format!("{}/v3/", servers.api.uri()))
        .server_url(servers::APP_HELLOSIGN_COM, servers.oauth.uri())
        .api_key(API_KEY)
        .build()
        .expect("client builds");

    client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect("verified");

    assert_line(&only_request(&servers.api).await, "POST", "/v3/account/verify", None);
}

fn account_create_oauth_response() -> Value {
    json!({
        "account": {
            "account_id": "b4680b45053c7601ca1eee3b126eca6b2b0a0219",
            "email_address": "jill@example.com",
            "is_locked": false,
            "quotas": null,
            "callback_url": null,
            "role_code": null,
            "locale": "en-US",
        },
        "oauth_data": {
            "access_token": ACCESS_TOKEN,
            "token_type": "Bearer",
            "refresh_token": REFRESH_TOKEN,
            "expires_in": 86400,
        },
    })
}

#[tokio::test]
async fn account_create_posts_json_and_decodes_the_oauth_data() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, account_create_oauth_response())).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let mut body = AccountCreateRequest::new("jill@example.com");
    body.client_id = Some(CLIENT_ID.to_owned());
    body.client_secret = Some(CLIENT_SECRET.into());

    let response = client.account_create(&body).await.expect("created");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/account/create", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({"email_address": "jill@example.com", "client_id": CLIENT_ID, "client_secret": CLIENT_SECRET}),
        "an unset locale is not sent"
    );

    let account = &response.account;
    assert_eq!(account.account_id.as_deref(), Some("b4680b45053c7601ca1eee3b126eca6b2b0a0219"));
    assert_eq!(account.email_address.as_deref(), Some("jill@example.com"));
    assert_eq!(account.is_locked, Some(false));
    assert_eq!(account.is_paid_hs, None);
    assert_eq!(account.quotas, None);
    assert_eq!(account.callback_url, None);
    assert_eq!(account.role_code, None);
    assert_eq!(account.team_id, None);
    assert_eq!(account.locale, Some("en-US".to_owned()));
    let oauth = response.oauth_data.as_ref().expect("oauth_data");
    assert_eq!(oauth.access_token.as_ref().map(|token| token.expose_secret()), Some(ACCESS_TOKEN));
    assert_eq!(oauth.refresh_token.as_ref().map(|token| token.expose_secret()), Some(REFRESH_TOKEN));
    assert_eq!(oauth.token_type.as_deref(), Some("Bearer"));
    assert_eq!(oauth.expires_in, Some(86400));
    assert_eq!(oauth.state, None);
    assert_eq!(response.warnings, None);
}

#[tokio::test]
async fn account_create_multipart_sends_each_set_field_as_a_part() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, account_create_oauth_response())).await;
    let client = servers.builder().oauth2(ACCESS_TOKEN).build().expect("client builds");
    let mut body = AccountCreateRequest::new("jill@example.com");
    body.client_id = Some(CLIENT_ID.to_owned());
    body.client_secret = Some(CLIENT_SECRET.into());
    body.locale = Some("en-US".to_owned());

    let response = client.account_create_multipart(&body).await.expect("created");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/account/create", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Bearer {ACCESS_TOKEN}")]);
    assert_eq!(
        multipart_parts(&request),
        sorted(vec![
            text_part("email_address", "jill@example.com"),
            text_part("client_id", CLIENT_ID),
            text_part("client_secret", CLIENT_SECRET),
            text_part("locale", "en-US"),
        ])
    );
    assert_eq!(response.account.account_id.as_deref(), Some("b4680b45053c7601ca1eee3b126eca6b2b0a0219"));
    assert_eq!(
        response.oauth_data.as_ref().and_then(|oauth| oauth.access_token.as_ref()).map(|token| token.expose_secret()),
        Some(ACCESS_TOKEN)
    );
}

// ---------------------------------------------------------------------------------------------
// Signature request list
// ---------------------------------------------------------------------------------------------

fn empty_list() -> Value {
    json!({"signature_requests": [], "list_info": {"page": 1, "num_pages": 0, "num_results": 0, "page_size": 20}})
}

#[tokio::test]
async fn signature_request_list_sends_set_params_as_query_and_reads_rate_limit_headers() {
    let servers = Servers::start().await;
    reply(
        &servers.api,
        reply_json(200, empty_list())
            .insert_header("X-RateLimit-Limit", "100")
            .insert_header("X-RateLimit-Remaining", "99")
            .insert_header("X-Ratelimit-Reset", "1430170900"),
    )
    .await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let params = SignatureRequestListParams { page: Some(2), page_size: Some(50), ..Default::default() };

    let response = client.signature_request_list(&params).await.expect("listed");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "GET", "/signature_request/list", Some("page=2&page_size=50"));
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    assert_eq!(header_values(&request, "content-type"), Vec::<String>::new(), "a GET has no body type");
    assert_eq!(request.body, Vec::<u8>::new());

    assert_eq!(response.header::<u32>(headers::X_RATELIMIT_REMAINING), Some(99));
    assert_eq!(response.header::<u32>(headers::X_RATELIMIT_LIMIT), Some(100));
    assert_eq!(response.header::<u64>(headers::X_RATELIMIT_RESET), Some(1_430_170_900));
    assert!(response.signature_requests.is_empty());
    assert_eq!(response.list_info.num_results, Some(0));
}

#[tokio::test]
async fn signature_request_list_with_default_params_sends_no_query() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, empty_list())).await;
    let client = servers.builder().oauth2(ACCESS_TOKEN).build().expect("client builds");

    let response = client.signature_request_list(&SignatureRequestListParams::default()).await.expect("listed");

    let request = only_request(&servers.api).await;
    assert_line(&request, "GET", "/signature_request/list", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Bearer {ACCESS_TOKEN}")]);
    assert_eq!(response.header::<u32>(headers::X_RATELIMIT_REMAINING), None, "absent header");
}

#[tokio::test]
async fn signature_request_list_percent_encodes_query_values() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, empty_list())).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let params = SignatureRequestListParams {
        account_id: Some("all".to_owned()),
        query: Some("title:NDA & co/2".to_owned()),
        ..Default::default()
    };

    client.signature_request_list(&params).await.expect("listed");

    let request = only_request(&servers.api).await;
    assert_line(&request, "GET", "/signature_request/list", Some("account_id=all&query=title%3ANDA%20%26%20co%2F2"));
    let pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    assert_eq!(pairs, vec![("account_id".into(), "all".into()), ("query".into(), "title:NDA & co/2".into())]);
}

#[tokio::test]
async fn signature_request_list_keeps_unknown_status_codes_and_ignores_unknown_fields() {
    let servers = Servers::start().await;
    reply(
        &servers.api,
        reply_json(
            200,
            json!({
                "list_info": {"page": 2, "num_pages": 3, "num_results": null, "page_size": 50, "next_cursor": "x"},
                "signature_requests": [{
                    "signature_request_id": "d10338cad145e1cb68afc828",
                    "title": "FHA",
                    "is_complete": false,
                    "signing_redirect_url": null,
                    "a_field_added_later": {"nested": [1, 2, 3]},
                    "signatures": [
                        {
                            "signature_id": "78caf2a1d01cd39cea2bc1cbb340dac3",
                            "signer_email_address": "george-jetson@example.com",
                            "signer_role": null,
                            "order": 0,
                            "status_code": "on_hold",
                            "another_new_field": true,
                        },
                        {
                            "signature_id": "5687fb7bd5aaacb1689728762b600c74",
                            "order": null,
                            "status_code": "signed",
                            "signed_at": 1346521550,
                        },
                    ],
                }],
                "top_level_novelty": "ignored",
            }),
        )
        .insert_header("X-RateLimit-Remaining", "7"),
    )
    .await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");

    let response = client.signature_request_list(&SignatureRequestListParams::default()).await.expect("decoded");

    assert_eq!(response.header::<u32>(dropbox_sign::headers::X_RATELIMIT_REMAINING), Some(7));
    assert_eq!(response.list_info.page, Some(2));
    assert_eq!(response.list_info.num_pages, Some(3));
    assert_eq!(response.list_info.num_results, None);
    assert_eq!(response.list_info.page_size, Some(50));
    assert_eq!(response.signature_requests.len(), 1);
    let sent = &response.signature_requests[0];
    assert_eq!(sent.signature_request_id.as_deref(), Some("d10338cad145e1cb68afc828"));
    assert_eq!(sent.title.as_deref(), Some("FHA"));
    assert_eq!(sent.is_complete, Some(false));
    assert_eq!(sent.signing_redirect_url, None);
    assert_eq!(sent.signing_url, None);
    let signatures = sent.signatures.as_ref().expect("signatures");
    assert_eq!(signatures.len(), 2);
    assert_eq!(
        signatures[0].status_code,
        Some(SignatureRequestResponseSignaturesStatusCode::Unknown("on_hold".to_owned()))
    );
    assert_eq!(signatures[0].status_code.as_ref().map(|code| code.as_str()), Some("on_hold"));
    assert_eq!(signatures[0].signer_email_address.as_deref(), Some("george-jetson@example.com"));
    assert_eq!(signatures[0].signer_role, None);
    assert_eq!(signatures[0].order, Some(0));
    assert_eq!(signatures[1].status_code, Some(SignatureRequestResponseSignaturesStatusCode::Signed));
    assert_eq!(signatures[1].order, None);
    assert_eq!(signatures[1].signed_at, Some(1_346_521_550));
    assert_eq!(signatures[1].signer_email_address, None);
}

#[tokio::test]
async fn a_missing_required_field_or_a_repeated_key_is_a_decode_error_that_names_the_field() {
    let servers = Servers::start().await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let cases = [
        (r#"{"signature_requests": []}"#, "missing field `list_info`"),
        (r#"{"list_info": {}, "list_info": {}, "signature_requests": []}"#, "duplicate field `list_info`"),
    ];
    for (body, expected) in cases {
        servers.api.reset().await;
        reply(&servers.api, ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

        let err = client.signature_request_list(&SignatureRequestListParams::default()).await.expect_err(body);

        match &err {
            Error::Decode { source, .. } => assert!(source.to_string().contains(expected), "{source} for {body}"),
            other => panic!("expected Error::Decode for {body}, got {other:?}"),
        }
    }
}

#[tokio::test]
async fn a_decode_error_names_the_path_of_the_value_that_does_not_match() {
    let servers = Servers::start().await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let body = r#"{"list_info": {"page": 1}, "signature_requests": [{}, {"signatures": [{"order": "first"}]}]}"#;
    reply(&servers.api, ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;

    let err = client.signature_request_list(&SignatureRequestListParams::default()).await.expect_err(body);

    match &err {
        Error::Decode { path, source, .. } => {
            assert_eq!(path, "signature_requests[1].signatures[0].order", "{source}");
            assert!(err.to_string().contains("at `signature_requests[1].signatures[0].order`: invalid type"), "{err}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
}

#[tokio::test]
async fn an_operation_future_borrows_the_client_only() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, empty_list())).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");

    // The parameters are encoded when the method is called and dropped before the future runs.
    let future = {
        let params = SignatureRequestListParams { page: Some(2), ..Default::default() };
        client.signature_request_list(&params)
    };
    let response = future.await.expect("listed");

    assert_eq!(response.signature_requests.len(), 0);
    assert_line(&only_request(&servers.api).await, "GET", "/signature_request/list", Some("page=2"));
}

// ---------------------------------------------------------------------------------------------
// Signature request send
// ---------------------------------------------------------------------------------------------

fn sent_signature_request() -> Value {
    json!({
        "signature_request": {
            "signature_request_id": "2b388914e3ae3b738bd4e2ee2850c677e6dc53d2",
            "title": "NDA with Acme Co.",
            "test_mode": true,
            "metadata": {"custom_id": 1234, "custom_text": "NDA #9"},
            "signatures": [
                {"signature_id": "78caf2a1d01cd39cea2bc1cbb340dac3", "status_code": "awaiting_signature", "order": 0},
            ],
            "template_ids": null,
        },
        "warnings": [{"warning_msg": "Text tags are disabled", "warning_name": "text_tags"}],
    })
}

fn assert_sent_signature_request(response: &dropbox_sign::models::SignatureRequestGetResponse) {
    let sent = &response.signature_request;
    assert_eq!(sent.signature_request_id.as_deref(), Some("2b388914e3ae3b738bd4e2ee2850c677e6dc53d2"));
    assert_eq!(sent.title.as_deref(), Some("NDA with Acme Co."));
    assert_eq!(sent.test_mode, Some(true));
    assert_eq!(
        sent.metadata,
        Some(BTreeMap::from([("custom_id".to_owned(), json!(1234)), ("custom_text".to_owned(), json!("NDA #9"))]))
    );
    assert_eq!(sent.template_ids, None);
    let signatures = sent.signatures.as_ref().expect("signatures");
    assert_eq!(signatures.len(), 1);
    assert_eq!(signatures[0].status_code, Some(SignatureRequestResponseSignaturesStatusCode::AwaitingSignature));
    let warnings = response.warnings.as_ref().expect("warnings");
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0].warning_name, "text_tags");
    assert_eq!(warnings[0].warning_msg, "Text tags are disabled");
}

#[tokio::test]
async fn signature_request_send_posts_json_with_set_fields_and_explicit_nulls() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");
    let mut body = SignatureRequestSendRequest::new(vec![
        signer("Jack", "jack@example.com", 0),
        SubSignatureRequestSigner::new("Jill", "jill@example.com"),
    ]);
    body.title = Some("NDA with Acme Co.".to_owned());
    body.subject = Some("The NDA we talked about".to_owned());
    body.message = Some("Please sign this NDA.".to_owned());
    body.cc_email_addresses = Some(vec!["lawyer1@dropboxsign.com".to_owned(), "lawyer2@dropboxsign.com".to_owned()]);
    body.file_urls = Some(vec!["https://www.dropbox.com/s/ad9qnhbrjjn64tu/mutual-NDA-example.pdf?dl=1".to_owned()]);
    body.metadata =
        Some(BTreeMap::from([("custom_id".to_owned(), json!(1234)), ("custom_text".to_owned(), json!("NDA #9"))]));
    body.test_mode = Some(true);
    body.allow_decline = Some(false);
    body.expires_at = Some(None);

    let response = client.signature_request_send(&body).await.expect("sent");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/signature_request/send", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    assert_eq!(single_header(&request, "content-type"), "application/json");
    assert_eq!(
        json_body(&request),
        json!({
            "file_urls": ["https://www.dropbox.com/s/ad9qnhbrjjn64tu/mutual-NDA-example.pdf?dl=1"],
            "signers": [
                {"name": "Jack", "email_address": "jack@example.com", "order": 0},
                {"name": "Jill", "email_address": "jill@example.com"},
            ],
            "cc_email_addresses": ["lawyer1@dropboxsign.com", "lawyer2@dropboxsign.com"],
            "title": "NDA with Acme Co.",
            "subject": "The NDA we talked about",
            "message": "Please sign this NDA.",
            "metadata": {"custom_id": 1234, "custom_text": "NDA #9"},
            "test_mode": true,
            "allow_decline": false,
            "expires_at": null,
        }),
        "unset fields are absent, Some(None) is an explicit null"
    );
    assert_sent_signature_request(&response);
}

#[tokio::test]
async fn signature_request_send_with_files_goes_as_multipart_since_json_cannot_carry_them() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    let client = servers.client_with_both_credentials();
    let mut body = SignatureRequestSendRequest::new(vec![signer("Jack", "jack@example.com", 0)]);
    body.file = Some(vec![Upload::from_bytes(NDA_PDF).with_file_name("NDA.pdf")]);

    let response = client.signature_request_send(&body).await.expect("sent as multipart");

    assert_sent_signature_request(&response);
    let request = only_request(&servers.api).await;
    let content_type = header_values(&request, "content-type");
    assert!(content_type[0].starts_with("multipart/form-data; boundary="), "{content_type:?}");
    assert!(multipart_parts(&request).contains(&file_part("file[0]", "NDA.pdf", "application/pdf", NDA_PDF)));

    // Without files (an empty list is none), the same method sends JSON.
    servers.api.reset().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    body.file = Some(Vec::new());
    client.signature_request_send(&body).await.expect("sent as JSON");
    let request = only_request(&servers.api).await;
    assert_eq!(header_values(&request, "content-type"), vec!["application/json".to_owned()]);
}

#[tokio::test]
async fn signature_request_send_multipart_sends_the_walkthrough_form_fields_and_files() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    let client = servers.client_with_both_credentials();
    let dir = tempfile::tempdir().expect("temp dir");
    let appendix = dir.path().join("AppendixA.pdf");
    std::fs::write(&appendix, APPENDIX_PDF).expect("temp file written");
    let mut body = SignatureRequestSendRequest::new(vec![
        signer("Jack", "jack@example.com", 0),
        signer("Jill", "jill@example.com", 1),
    ]);
    body.title = Some("NDA with Acme Co.".to_owned());
    body.subject = Some("The NDA we talked about".to_owned());
    body.message =
        Some("Please sign this NDA and then we can discuss more. Let me know if you have any questions.".to_owned());
    body.cc_email_addresses = Some(vec!["lawyer@example.com".to_owned(), "lawyer2@example.com".to_owned()]);
    body.file = Some(vec![
        Upload::from_bytes(NDA_PDF).with_file_name("NDA.pdf"),
        Upload::from_path(&appendix).expect("temp file read"),
    ]);
    body.test_mode = Some(true);

    let response = client.signature_request_send_multipart(&body).await.expect("sent");

    assert_no_request(&servers.oauth, "OAuth").await;
    let request = only_request(&servers.api).await;
    assert_line(&request, "POST", "/signature_request/send", None);
    assert_eq!(header_values(&request, "authorization"), vec![format!("Basic {API_KEY_BASIC}")]);
    let parts = multipart_parts(&request);
    assert_eq!(
        parts,
        sorted(vec![
            text_part("title", "NDA with Acme Co."),
            text_part("subject", "The NDA we talked about"),
            text_part(
                "message",
                "Please sign this NDA and then we can discuss more. Let me know if you have any questions."
            ),
            text_part("signers[0][email_address]", "jack@example.com"),
            text_part("signers[0][name]", "Jack"),
            text_part("signers[0][order]", "0"),
            text_part("signers[1][email_address]", "jill@example.com"),
            text_part("signers[1][name]", "Jill"),
            text_part("signers[1][order]", "1"),
            text_part("cc_email_addresses[0]", "lawyer@example.com"),
            text_part("cc_email_addresses[1]", "lawyer2@example.com"),
            file_part("file[0]", "NDA.pdf", "application/pdf", NDA_PDF),
            file_part("file[1]", "AppendixA.pdf", "application/pdf", APPENDIX_PDF),
            text_part("test_mode", "true"),
        ])
    );
    for unset in [
        "file_urls",
        "metadata",
        "allow_decline",
        "signing_redirect_url",
        "client_id",
        "use_text_tags",
        "hide_text_tags",
        "expires_at",
    ] {
        assert!(!parts.iter().any(|part| part.name.starts_with(unset)), "unset field {unset} was sent");
    }
    assert_sent_signature_request(&response);
}

/// A client that retries every failure at once, `POST` included.
fn eager_retries(servers: &Servers) -> Client {
    let retry = RetryPolicy::default().retry_non_idempotent(true).initial_backoff(std::time::Duration::from_millis(1));
    servers.builder().api_key(API_KEY).retry(retry).build().expect("client builds")
}

#[tokio::test]
async fn a_streamed_upload_goes_out_whole_once_and_is_never_retried() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(503, json!({"error": {"error_msg": "busy", "error_name": "unavailable"}}))).await;
    let client = eager_retries(&servers);
    let reader = std::io::Cursor::new(NDA_PDF.to_vec());
    let streamed = Upload::stream_from(reader, Some(NDA_PDF.len() as u64)).with_file_name("NDA.pdf");
    let mut body = SignatureRequestSendRequest::new(vec![signer("Jack", "jack@example.com", 0)]);
    body.file = Some(vec![streamed]);

    let err = client.signature_request_send_multipart(&body).await.expect_err("503");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let requests = received(&servers.api).await;
    assert_eq!(requests.len(), 1, "a one-shot stream is sent once although the policy retries 503s");
    assert!(multipart_parts(&requests[0]).contains(&file_part("file[0]", "NDA.pdf", "application/pdf", NDA_PDF)));

    // The stream is spent: sending it again is refused before anything goes out.
    let again = client.signature_request_send_multipart(&body).await.expect_err("spent");
    assert!(matches!(&again, Error::InvalidRequest(reason) if reason.contains("sent already")), "{again:?}");
    assert_eq!(received(&servers.api).await.len(), 1);

    // The same file held whole is retried, and resent identical every time.
    body.file = Some(vec![Upload::from_bytes(NDA_PDF).with_file_name("NDA.pdf")]);
    client.signature_request_send_multipart(&body).await.expect_err("503");
    let requests = received(&servers.api).await;
    assert_eq!(requests.len(), 1 + 4, "the default policy's four attempts");
    // Each attempt has a boundary of its own; the parts are the same.
    assert!(requests[1..].iter().all(|request| multipart_parts(request) == multipart_parts(&requests[1])));
}

#[tokio::test]
async fn signature_request_send_multipart_sends_metadata_and_file_urls_as_deep_object_parts() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    let client = servers.builder().oauth2(ACCESS_TOKEN).build().expect("client builds");
    let mut body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    body.file_urls = Some(vec!["https://example.com/a.pdf".to_owned()]);
    body.metadata =
        Some(BTreeMap::from([("custom_id".to_owned(), json!(1234)), ("custom_text".to_owned(), json!("NDA #9"))]));
    body.allow_decline = Some(false);
    body.expires_at = Some(Some(1_700_000_000));

    client.signature_request_send_multipart(&body).await.expect("sent");

    let request = only_request(&servers.api).await;
    assert_eq!(header_values(&request, "authorization"), vec![format!("Bearer {ACCESS_TOKEN}")]);
    assert_eq!(
        multipart_parts(&request),
        sorted(vec![
            text_part("file_urls[0]", "https://example.com/a.pdf"),
            text_part("signers[0][name]", "Jack"),
            text_part("signers[0][email_address]", "jack@example.com"),
            text_part("metadata[custom_id]", "1234"),
            text_part("metadata[custom_text]", "NDA #9"),
            text_part("allow_decline", "false"),
            text_part("expires_at", "1700000000"),
        ])
    );
}

#[tokio::test]
async fn multipart_names_with_spaces_quotes_and_non_ascii_go_out_as_browsers_send_them() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, sent_signature_request())).await;
    let client = servers.builder().oauth2(ACCESS_TOKEN).build().expect("client builds");
    let mut body = SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner::new("Jack", "jack@example.com")]);
    body.metadata = Some(BTreeMap::from([
        ("order id".to_owned(), json!(7)),
        ("Straße".to_owned(), json!("ß")),
        ("say \"hi\"\r\n".to_owned(), json!("x")),
    ]));
    body.file = Some(vec![Upload::from_bytes(&b"%PDF"[..]).with_file_name("Vertrag Straße \"v2\".pdf")]);

    client.signature_request_send_multipart(&body).await.expect("sent");

    // `name*=utf-8''...` (RFC 8187) would fail to parse here: only `name="..."` is accepted.
    let parts = multipart_parts(&only_request(&servers.api).await);
    let names: Vec<&str> = parts.iter().map(|part| part.name.as_str()).collect();
    for expected in ["metadata[order id]", "metadata[Straße]", "metadata[say %22hi%22%0D%0A]", "file[0]"] {
        assert!(names.contains(&expected), "{expected:?} not in {names:?}");
    }
    let file = parts.iter().find(|part| part.name == "file[0]").unwrap();
    assert_eq!(file.file_name.as_deref(), Some("Vertrag Straße %22v2%22.pdf"));
}

// ---------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_401_with_the_documented_body_is_an_api_error_with_the_typed_body() {
    let servers = Servers::start().await;
    reply(
        &servers.api,
        reply_json(401, json!({"error": {"error_msg": "Unauthorized api key", "error_name": "unauthorized"}}))
            .insert_header("X-RateLimit-Remaining", "0"),
    )
    .await;
    let client = servers.client_with_both_credentials();

    let err = client.signature_request_list(&SignatureRequestListParams::default()).await.expect_err("401");

    assert_eq!(err.status().map(|status| status.as_u16()), Some(401));
    assert_eq!(
        err.api_error().map(|body| &body.error),
        Some(&ErrorResponseError::new("Unauthorized api key", "unauthorized"))
    );
    match &err {
        Error::Api { status, headers, body } => {
            assert_eq!(status.as_u16(), 401);
            assert_eq!(headers.get("x-ratelimit-remaining").and_then(|v| v.to_str().ok()), Some("0"));
            assert_eq!(body, &ErrorResponse::new(ErrorResponseError::new("Unauthorized api key", "unauthorized")));
            assert_eq!(body.error.error_path, None);
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_error_redacted(&err);
    assert_eq!(only_request(&servers.api).await.url.path(), "/signature_request/list");
}

#[tokio::test]
async fn a_400_keeps_the_error_path() {
    let servers = Servers::start().await;
    reply(
        &servers.api,
        reply_json(
            400,
            json!({"error": {
                "error_msg": "This value should not be blank",
                "error_path": "cc_email_addresses[0]",
                "error_name": "bad_request",
            }}),
        ),
    )
    .await;
    let client = servers.client_with_both_credentials();
    let mut body = AccountCreateRequest::new("jill@example.com");
    body.client_secret = Some(CLIENT_SECRET.into());

    let err = client.account_create(&body).await.expect_err("400");

    let mut expected = ErrorResponseError::new("This value should not be blank", "bad_request");
    expected.error_path = Some("cc_email_addresses[0]".to_owned());
    match &err {
        Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body, &ErrorResponse::new(expected));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_error_redacted(&err);
}

#[tokio::test]
async fn documented_headers_are_typed_on_an_error_as_on_a_success() {
    let servers = Servers::start().await;
    let body = json!({"error": {"error_msg": "Not allowed", "error_name": "forbidden"}});
    reply(&servers.api, reply_json(403, body).insert_header("X-RateLimit-Remaining", " 17 ")).await;
    let client = servers.builder().api_key(API_KEY).build().expect("client builds");

    let err = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect_err("403");

    assert!(matches!(err, Error::Api { .. }), "{err:?}");
    assert_eq!(err.header::<u32>(headers::X_RATELIMIT_REMAINING), Some(17));
    assert_eq!(err.header::<u32>(headers::X_RATELIMIT_LIMIT), None, "absent header");
    assert_eq!(err.header::<u32>("content-type"), None, "not a number");
}

#[tokio::test]
async fn a_4xx_from_the_oauth_server_is_an_api_error() {
    let servers = Servers::start().await;
    reply(
        &servers.oauth,
        reply_json(400, json!({"error": {"error_msg": "Invalid grant", "error_name": "invalid_grant"}})),
    )
    .await;
    let client = servers.builder().build().expect("client builds");

    let err = client.oauth_token_refresh(&OAuthTokenRefreshRequest::new(REFRESH_TOKEN)).await.expect_err("400");

    match &err {
        Error::Api { status, body, .. } => {
            assert_eq!(status.as_u16(), 400);
            assert_eq!(body, &ErrorResponse::new(ErrorResponseError::new("Invalid grant", "invalid_grant")));
        }
        other => panic!("expected Error::Api, got {other:?}"),
    }
    assert_error_redacted(&err);
    assert_no_request(&servers.api, "API").await;
}

#[tokio::test]
async fn a_500_with_an_html_body_is_an_unexpected_response() {
    let servers = Servers::start().await;
    // A proxy page that even echoes the credential back: the error must not print it.
    let html = format!("<html><body>502 Bad Gateway for Basic {API_KEY_BASIC} ({API_KEY})</body></html>");
    reply(&servers.api, ResponseTemplate::new(500).set_body_raw(html.clone(), "text/html")).await;
    let client = servers.client_with_both_credentials();

    let err = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect_err("500");

    match &err {
        Error::UnexpectedResponse { status, headers, body } => {
            assert_eq!(status.as_u16(), 500);
            assert_eq!(headers.get("content-type").and_then(|v| v.to_str().ok()), Some("text/html"));
            assert_eq!(body.as_ref(), html.as_bytes());
        }
        other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
    }
    assert_eq!(err.status().map(|status| status.as_u16()), Some(500));
    assert!(err.api_error().is_none());
    assert_error_redacted(&err);
}

#[tokio::test]
async fn a_success_body_that_does_not_match_is_a_decode_error() {
    let servers = Servers::start().await;
    let body = r#"{"signature_requests": "not a list", "list_info": {}}"#;
    reply(&servers.api, ResponseTemplate::new(200).set_body_raw(body, "application/json")).await;
    let client = servers.client_with_both_credentials();

    let err = client.signature_request_list(&SignatureRequestListParams::default()).await.expect_err("bad body");

    match &err {
        Error::Decode { status, body: raw, source, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(raw.as_ref(), body.as_bytes());
            assert!(source.is_data(), "a type mismatch, not a syntax error: {source}");
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_error_redacted(&err);
}

#[tokio::test]
async fn a_token_response_that_does_not_decode_does_not_print_the_tokens() {
    let servers = Servers::start().await;
    let body =
        format!(r#"{{"access_token":"{ACCESS_TOKEN}","refresh_token":"{REFRESH_TOKEN}","expires_in":"tomorrow"}}"#);
    reply(&servers.oauth, ResponseTemplate::new(200).set_body_raw(body.clone(), "application/json")).await;
    let client = servers.builder().build().expect("client builds");
    let request = OAuthTokenGenerateRequest::new(CLIENT_ID, CLIENT_SECRET, "code", "state");

    let err = client.oauth_token_generate(&request).await.expect_err("bad body");

    match &err {
        Error::Decode { status, body: raw, .. } => {
            assert_eq!(status.as_u16(), 200);
            assert_eq!(raw.as_ref(), body.as_bytes());
        }
        other => panic!("expected Error::Decode, got {other:?}"),
    }
    assert_error_redacted(&err);
}

#[tokio::test]
async fn connection_refused_is_a_transport_error() {
    let port = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
        listener.local_addr().expect("address").port()
    };
    let client = Client::builder()
        .base_url(format!("http://127.0.0.1:{port}"))
        .api_key(API_KEY)
        .oauth2(ACCESS_TOKEN)
        .build()
        .expect("client builds");

    let err = client.account_verify(&AccountVerifyRequest::new("jack@example.com")).await.expect_err("refused");

    match &err {
        Error::Transport(source) => {
            assert!(source.is_connect(), "a connect error: {source:?}");
            assert_eq!(source.kind(), dropbox_sign::TransportErrorKind::ConnectionRefused);
            assert_eq!(source.inner().expect("a reqwest error").url(), None, "the URL is left out of the error");
            // The kind and the call, then the cause; and the chain is kept.
            let shown = err.to_string();
            assert!(
                shown.starts_with(&format!(
                    "transport error: connection refused: POST /account/verify on 127.0.0.1:{port} (operation accountVerify): "
                )),
                "{shown}"
            );
            assert!(shown.to_lowercase().contains("connection refused (os error"), "{shown}");
            assert!(std::error::Error::source(&err).and_then(std::error::Error::source).is_some());
        }
        other => panic!("expected Error::Transport, got {other:?}"),
    }
    assert_eq!(err.status(), None);
    assert_error_redacted(&err);
}

#[tokio::test]
async fn operations_that_need_credentials_fail_without_sending_when_none_are_configured() {
    let servers = Servers::start().await;
    reply(&servers.api, reply_json(200, json!({}))).await;
    let client = servers.builder().build().expect("client builds");
    let mut send = SignatureRequestSendRequest::new(vec![signer("Jack", "jack@example.com", 0)]);
    send.title = Some("NDA".to_owned());
    let verify = AccountVerifyRequest::new("jack@example.com");
    let create = AccountCreateRequest::new("jill@example.com");

    let errors = [
        ("accountVerify", client.account_verify(&verify).await.map(|_| ())),
        ("accountVerify", client.account_verify_multipart(&verify).await.map(|_| ())),
        ("accountCreate", client.account_create(&create).await.map(|_| ())),
        ("accountCreate", client.account_create_multipart(&create).await.map(|_| ())),
        ("signatureRequestList", client.signature_request_list(&Default::default()).await.map(|_| ())),
        ("signatureRequestSend", client.signature_request_send(&send).await.map(|_| ())),
        ("signatureRequestSend", client.signature_request_send_multipart(&send).await.map(|_| ())),
    ];

    for (expected_operation, result) in errors {
        let err = result.expect_err("no credentials");
        match &err {
            Error::MissingCredentials { operation, schemes } => {
                assert_eq!(*operation, expected_operation);
                assert_eq!(schemes, &vec!["api_key", "oauth2"]);
            }
            other => panic!("expected Error::MissingCredentials for {expected_operation}, got {other:?}"),
        }
        assert_eq!(err.status(), None);
        assert_error_redacted(&err);
    }
    assert_no_request(&servers.api, "API").await;
    assert_no_request(&servers.oauth, "OAuth").await;
}

// ---------------------------------------------------------------------------------------------
// Secrets
// ---------------------------------------------------------------------------------------------

#[tokio::test]
async fn debug_output_of_clients_requests_and_token_responses_shows_no_secret() {
    let servers = Servers::start().await;
    reply(
        &servers.oauth,
        reply_json(
            200,
            json!({"access_token": ACCESS_TOKEN, "refresh_token": REFRESH_TOKEN, "token_type": "Bearer", "state": "s"}),
        ),
    )
    .await;
    let builder = servers.builder().api_key(API_KEY).oauth2(ACCESS_TOKEN);
    assert_no_secret("ClientBuilder Debug", &format!("{builder:?}"));
    let client = builder.build().expect("client builds");
    assert_no_secret("Client Debug", &format!("{client:?}"));
    let basic_with_password = servers.builder().api_key_with_password(API_KEY, CLIENT_SECRET).build().expect("builds");
    assert_no_secret("Client Debug", &format!("{basic_with_password:?}"));

    let generate = OAuthTokenGenerateRequest::new(CLIENT_ID, CLIENT_SECRET, "code", "state");
    let generate_debug = format!("{generate:?}");
    assert_no_secret("OAuthTokenGenerateRequest Debug", &generate_debug);
    assert!(generate_debug.contains("[REDACTED]"), "{generate_debug}");
    let mut refresh = OAuthTokenRefreshRequest::new(REFRESH_TOKEN);
    refresh.client_secret = Some(CLIENT_SECRET.into());
    assert_no_secret("OAuthTokenRefreshRequest Debug", &format!("{refresh:?}"));
    let mut create = AccountCreateRequest::new("jill@example.com");
    create.client_secret = Some(CLIENT_SECRET.into());
    assert_no_secret("AccountCreateRequest Debug", &format!("{create:?}"));

    let response = client.oauth_token_generate(&generate).await.expect("token generated");
    assert_eq!(response.access_token.as_ref().map(|token| token.expose_secret()), Some(ACCESS_TOKEN));
    assert_no_secret("ApiResponse<OAuthTokenResponse> Debug", &format!("{response:?}"));
    let token = response.into_body();
    let token_debug = format!("{token:?}");
    assert_no_secret("OAuthTokenResponse Debug", &token_debug);
    assert!(token_debug.contains("[REDACTED]"), "{token_debug}");
    assert_no_secret("OAuthTokenResponse {:#?}", &format!("{token:#?}"));
}

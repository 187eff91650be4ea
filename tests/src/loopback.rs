//! A minimal keep-alive HTTP/1.1 server on 127.0.0.1 for the request benchmarks
//! (`benches/loopback.rs`, `examples/loopback_instructions.rs`): it answers every request with
//! the same page of signature requests, so that what is measured is the client.

use dropbox_sign::models::SignatureRequestListResponse;
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{Client, RetryPolicy};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The two ways of making the same request to a [`serve`] server, through the same kind of
/// `reqwest::Client`: `GET /signature_request/list` with Basic auth, the answer decoded into
/// the same model.
pub struct Clients {
    http: reqwest::Client,
    generated: Client,
    /// The same client with a hook that adds a header to every attempt.
    hooked: Client,
    list_url: String,
}

/// A hook that adds one header, the cost of the simplest hook.
struct CorrelationId;

impl dropbox_sign::Hook for CorrelationId {
    fn on_request<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
        _call: &'a dropbox_sign::CallInfo,
    ) -> dropbox_sign::HookFuture<'a> {
        request.headers_mut().insert("x-correlation-id", reqwest::header::HeaderValue::from_static("bench"));
        Box::pin(async { Ok(()) })
    }
}

impl Clients {
    /// Both clients, for the server at `url`.
    pub fn new(url: &str) -> Self {
        let http = reqwest::Client::builder().user_agent("bench").build().unwrap();
        let builder = || {
            Client::builder().base_url(url).api_key("BENCH-KEY").http_client(http.clone()).retry(RetryPolicy::default())
        };
        let generated = builder().build().unwrap();
        let hooked = builder().hook(CorrelationId).build().unwrap();
        Clients { http, generated, hooked, list_url: format!("{url}/signature_request/list") }
    }

    /// The request written by hand with `reqwest`.
    pub async fn hand_written(&self) -> SignatureRequestListResponse {
        let response = self.http.get(&self.list_url).basic_auth("BENCH-KEY", Some("")).send().await.unwrap();
        let status = response.status();
        let bytes = response.bytes().await.unwrap();
        assert!(status.is_success());
        serde_json::from_slice(&bytes).unwrap()
    }

    /// The request through the generated client.
    pub async fn generated(&self) -> SignatureRequestListResponse {
        self.generated.signature_request_list(&SignatureRequestListParams::default()).await.unwrap().into_body()
    }

    /// The generated client with a hook that adds a header.
    pub async fn hooked(&self) -> SignatureRequestListResponse {
        self.hooked.signature_request_list(&SignatureRequestListParams::default()).await.unwrap().into_body()
    }

    /// The generated client with a header, a timeout and a retry policy set on the call.
    pub async fn with_call_options(&self) -> SignatureRequestListResponse {
        self.generated
            .signature_request_list(&SignatureRequestListParams::default())
            .header("x-correlation-id", "bench")
            .timeout(std::time::Duration::from_secs(30))
            .retry(RetryPolicy::none())
            .await
            .unwrap()
            .into_body()
    }
}

/// The answer: a page of two signature requests, as the API documents it.
pub const BODY: &str = r#"{"list_info":{"num_pages":1,"num_results":2,"page":1,"page_size":20},"signature_requests":[{"signature_request_id":"fa5c8a0b0f492d768749333ad6fcc214c111e967","title":"NDA","is_complete":false,"signatures":[{"signature_id":"78caf2a1d01cd39cea2bc1cbb340dac3","signer_email_address":"jack@example.com","status_code":"awaiting_signature"}]},{"signature_request_id":"d10338cad145e1cb68afc828","title":"FHA","is_complete":true,"signatures":[]}]}"#;

/// A keep-alive HTTP/1.1 server that answers every request with `BODY`; returns its URL.
pub async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let response =
        format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{BODY}", BODY.len());
    tokio::spawn(async move {
        loop {
            let Ok((mut socket, _)) = listener.accept().await else { return };
            let response = response.clone();
            tokio::spawn(async move {
                let mut buffer = vec![0u8; 16 * 1024];
                let mut pending = Vec::new();
                loop {
                    let Ok(read) = socket.read(&mut buffer).await else { return };
                    if read == 0 {
                        return;
                    }
                    pending.extend_from_slice(&buffer[..read]);
                    // Requests without bodies: one answer per header block.
                    while let Some(end) = pending.windows(4).position(|w| w == b"\r\n\r\n") {
                        pending.drain(..end + 4);
                        if socket.write_all(response.as_bytes()).await.is_err() {
                            return;
                        }
                    }
                }
            });
        }
    });
    url
}

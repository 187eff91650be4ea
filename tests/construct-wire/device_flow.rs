//! The device authorization flow (RFC 8628) and the authorization server's metadata (RFC 8414)
//! on the wire: the client of `tests/specs/openapi_32.yaml`, whose `device` scheme has a
//! `deviceAuthorization` flow and an `oauth2MetadataUrl`, against a loopback authorization server
//! that answers each request with the next scripted answer.
//! Compiled and run in the construct workspace by `tests/tests/generator_constructs.rs`.

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::{Duration, Instant};

    use construct_openapi_32::device_flow::{DeviceApp, TokenError, TokenHolder, Tokens, scopes};
    use construct_openapi_32::{Client, RetryPolicy, SecretString};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    type Requests = Arc<Mutex<Vec<String>>>;

    /// A server that answers the requests it gets with `answers` in turn (status and JSON body):
    /// a client of it (every server of the description moved there), and the requests it got.
    async fn serve(answers: Vec<(&'static str, &'static str)>) -> (Client, Requests) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Requests::default();
        let seen = Arc::clone(&requests);
        tokio::spawn(async move {
            for (status, body) in answers {
                let Ok((mut socket, _)) = listener.accept().await else { return };
                let request = read_request(&mut socket).await;
                seen.lock().unwrap().push(request);
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            }
        });
        let client = Client::builder().every_server_url(url).retry(RetryPolicy::none()).build().unwrap();
        (client, requests)
    }

    /// One request, read up to the end of the body its `content-length` announces.
    async fn read_request(socket: &mut TcpStream) -> String {
        let mut request = Vec::new();
        let mut buffer = [0u8; 4096];
        loop {
            let read = socket.read(&mut buffer).await.unwrap_or(0);
            if read == 0 {
                break;
            }
            request.extend_from_slice(&buffer[..read]);
            let text = String::from_utf8_lossy(&request).into_owned();
            let Some(end) = text.find("\r\n\r\n") else { continue };
            let length = text[..end]
                .lines()
                .find_map(|line| {
                    line.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().parse().unwrap_or(0))
                })
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
        String::from_utf8_lossy(&request).into_owned()
    }

    /// A device authorization that may be polled at once, for `expires_in` seconds.
    const AUTHORIZATION: &str = r#"{"device_code": "dev-code-1", "user_code": "WDJB-MJHT", "verification_uri": "https://auth.example.com/activate", "verification_uri_complete": "https://auth.example.com/activate?user_code=WDJB-MJHT", "expires_in": 60, "interval": 0}"#;
    const PENDING: (&str, &str) = ("400 Bad Request", r#"{"error": "authorization_pending"}"#);
    const TOKENS: (&str, &str) =
        ("200 OK", r#"{"access_token": "at-1", "refresh_token": "rt-1", "token_type": "Bearer", "expires_in": 3600}"#);

    fn app() -> DeviceApp {
        DeviceApp::new("cli app").with_scopes([scopes::RECORDS])
    }

    #[tokio::test]
    async fn the_device_polls_until_the_user_approves() {
        let (client, requests) = serve(vec![("200 OK", AUTHORIZATION), PENDING, PENDING, TOKENS]).await;
        let authorization = client.start_device_authorization(&app()).await.unwrap();
        assert_eq!(authorization.user_code(), "WDJB-MJHT");
        assert_eq!(authorization.verification_uri(), "https://auth.example.com/activate");
        assert_eq!(
            authorization.verification_uri_complete(),
            Some("https://auth.example.com/activate?user_code=WDJB-MJHT")
        );
        assert!(!format!("{authorization:?}").contains("dev-code-1"));
        let tokens = client.poll_device_authorization(&app(), &authorization).await.unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "at-1");
        assert_eq!(tokens.refresh_token().map(|token| token.expose_secret()), Some("rt-1"));
        let requests = requests.lock().unwrap();
        assert_eq!(requests.len(), 4, "{requests:#?}");
        assert!(requests[0].starts_with("POST /device "), "{}", requests[0]);
        assert!(requests[0].contains("content-type: application/x-www-form-urlencoded"), "{}", requests[0]);
        assert!(requests[0].ends_with("client_id=cli%20app&scope=records"), "{}", requests[0]);
        for poll in &requests[1..] {
            assert!(poll.starts_with("POST /token "), "{poll}");
            let body = poll.rsplit("\r\n\r\n").next().unwrap();
            let mut fields: Vec<&str> = body.split('&').collect();
            fields.sort_unstable();
            assert_eq!(
                fields,
                [
                    "client_id=cli%20app",
                    "device_code=dev-code-1",
                    "grant_type=urn%3Aietf%3Aparams%3Aoauth%3Agrant-type%3Adevice_code"
                ],
                "{poll}"
            );
        }
    }

    #[tokio::test]
    async fn slow_down_adds_five_seconds_to_the_interval() {
        let slow_down = ("400 Bad Request", r#"{"error": "slow_down"}"#);
        let (client, requests) = serve(vec![("200 OK", AUTHORIZATION), slow_down, TOKENS]).await;
        let authorization = client.start_device_authorization(&app()).await.unwrap();
        let started = Instant::now();
        let tokens = client.poll_device_authorization(&app(), &authorization).await.unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "at-1");
        assert!(started.elapsed() >= Duration::from_secs(5), "{:?}", started.elapsed());
        assert_eq!(requests.lock().unwrap().len(), 3);
    }

    #[tokio::test]
    async fn a_declined_or_expired_authorization_ends_the_polling() {
        let denied = ("400 Bad Request", r#"{"error": "access_denied"}"#);
        let (client, _) = serve(vec![("200 OK", AUTHORIZATION), PENDING, denied]).await;
        let authorization = client.start_device_authorization(&app()).await.unwrap();
        let err = client.poll_device_authorization(&app(), &authorization).await.unwrap_err();
        assert!(matches!(err, TokenError::DeviceAccessDenied), "{err:?}");

        let expired = ("400 Bad Request", r#"{"error": "expired_token"}"#);
        let (client, _) = serve(vec![("200 OK", AUTHORIZATION), expired]).await;
        let authorization = client.start_device_authorization(&app()).await.unwrap();
        let err = client.poll_device_authorization(&app(), &authorization).await.unwrap_err();
        assert!(matches!(err, TokenError::DeviceCodeExpired), "{err:?}");

        // A code that expires before the first poll is never sent.
        let short = r#"{"device_code": "d", "user_code": "u", "verification_uri": "https://a.example/d", "expires_in": 0}"#;
        let (client, requests) = serve(vec![("200 OK", short)]).await;
        let authorization = client.start_device_authorization(&app()).await.unwrap();
        let err = client.poll_device_authorization(&app(), &authorization).await.unwrap_err();
        assert!(matches!(err, TokenError::DeviceCodeExpired), "{err:?}");
        assert_eq!(requests.lock().unwrap().len(), 1);
    }

    #[tokio::test]
    async fn the_device_s_tokens_are_refreshed_and_kept_fresh_by_a_holder() {
        let (client, requests) = serve(vec![TOKENS]).await;
        let tokens = client.refresh_device_tokens(&app(), &SecretString::new("rt-0")).await.unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "at-1");
        let body = requests.lock().unwrap()[0].rsplit("\r\n\r\n").next().unwrap().to_owned();
        let mut fields: Vec<&str> = body.split('&').collect();
        fields.sort_unstable();
        assert_eq!(fields, ["client_id=cli%20app", "grant_type=refresh_token", "refresh_token=rt-0"]);

        // A refused refresh token: the user must approve the device again.
        let refused = ("400 Bad Request", r#"{"error": "invalid_grant"}"#);
        let (client, _) = serve(vec![refused]).await;
        let err = client.refresh_device_tokens(&app(), &SecretString::new("rt-0")).await.unwrap_err();
        assert!(err.requires_reauthorization(), "{err:?}");

        // A holder of expired tokens refreshes them through the client before handing one out.
        let (client, requests) = serve(vec![TOKENS]).await;
        let expired = Tokens::new("at-0").with_refresh_token("rt-0").with_expires_in(Duration::ZERO);
        let holder = TokenHolder::device_builder(client, app(), expired).build();
        assert_eq!(holder.access_token().await.unwrap().expose_secret(), "at-1");
        assert!(requests.lock().unwrap()[0].contains("grant_type=refresh_token"));
    }

    #[tokio::test]
    async fn the_authorization_servers_metadata_is_fetched_from_its_url() {
        let metadata = r#"{"issuer": "https://auth.example.com", "token_endpoint": "https://auth.example.com/token", "device_authorization_endpoint": "https://auth.example.com/device", "grant_types_supported": ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]}"#;
        let (client, requests) = serve(vec![("200 OK", metadata)]).await;
        let metadata = client.device_metadata().await.unwrap().into_body();
        assert_eq!(metadata.issuer(), Some("https://auth.example.com"));
        assert_eq!(metadata.device_authorization_endpoint(), Some("https://auth.example.com/device"));
        assert_eq!(metadata.grant_types_supported(), ["urn:ietf:params:oauth:grant-type:device_code", "refresh_token"]);
        let request = requests.lock().unwrap()[0].clone();
        assert!(request.starts_with("GET /.well-known/oauth-authorization-server "), "{request}");
        // An OpenID Connect provider's discovery document, the same way.
        let discovery = r#"{"issuer": "https://id.example.com", "userinfo_endpoint": "https://id.example.com/me"}"#;
        let (client, requests) = serve(vec![("200 OK", discovery)]).await;
        let discovery = client.oidc_metadata().await.unwrap().into_body();
        assert_eq!(discovery.userinfo_endpoint(), Some("https://id.example.com/me"));
        let request = requests.lock().unwrap()[0].clone();
        assert!(request.starts_with("GET /.well-known/openid-configuration "), "{request}");
    }

    #[tokio::test]
    async fn a_refusal_keeps_the_servers_reason_and_a_secret_goes_in_the_body() {
        let refusal = ("401 Unauthorized", r#"{"error": "invalid_client", "error_description": "Unknown client"}"#);
        let (client, requests) = serve(vec![refusal]).await;
        let app = DeviceApp::new("cli").with_client_secret("s3cret");
        let err = client.start_device_authorization(&app).await.unwrap_err();
        assert!(matches!(err, TokenError::DeviceAuthorizationRefused { .. }), "{err:?}");
        assert_eq!(err.reason().map(|reason| reason.error.as_str()), Some("invalid_client"));
        assert!(err.to_string().contains("invalid_client: Unknown client"), "{err}");
        assert!(requests.lock().unwrap()[0].ends_with("client_id=cli&client_secret=s3cret"));
    }
}

//! The generated client against an independent implementation of our spec: Stoplight Prism
//! (npm `@stoplight/prism-cli`) mocks `spec/openapi.yaml` on 127.0.0.1, validates every request
//! against the spec and answers from its examples, which the client must decode. A request Prism
//! rejects, or accepts with a violation (`sl-violations`), fails the test.
//!
//! `cargo xtask contract` (part of `cargo xtask ci`) installs Prism and runs this test with
//! `PRISM_BIN` set; plain `cargo test` skips it (it is `#[ignore]`d) because Prism is an npm
//! package, not a Rust dependency.
//!
//! Two known limits of Prism 5 are handled explicitly, and nothing else is relaxed:
//!
//! - It drops the query of a path key when it routes, so `POST /oauth/token?refresh` is
//!   validated against `oauthTokenGenerate` (whatever the order of the path items), and a path
//!   key with a query never matches on its own. The refresh request therefore goes to a second
//!   Prism, started on a copy of our spec whose only change is that the refresh path item is
//!   keyed `/oauth/token` in place of the generate one, so the refresh is validated against its
//!   own operation.
//! - It cannot read arrays of objects sent `deepObject`-style in `multipart/form-data`
//!   (`signers[0][email_address]`, which is how Dropbox Sign's own curl example sends signers and
//!   what our spec's `encoding` says): it answers 415 "Cannot deserialize JSON object array in
//!   form data". For the multipart signature request the test asserts exactly that answer and no
//!   other violation; `client_wire.rs` asserts each part of that request against the seed.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use dropbox_sign::models::{
    AccountCreateRequest, AccountVerifyRequest, OAuthTokenGenerateRequest, OAuthTokenRefreshRequest,
    SignatureRequestSendRequest, SubSignatureRequestSigner,
};
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{ApiResponse, Client, Error, RetryPolicy, Upload, servers};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml");

/// A running Prism, stopped when dropped.
struct Prism {
    child: Child,
    url: String,
}

impl Prism {
    fn start(spec: &str, port: u16) -> Prism {
        let bin = std::env::var("PRISM_BIN").expect("PRISM_BIN: run this test with `cargo xtask contract`");
        let mut child = Command::new(bin)
            .args(["mock", spec, "--host", "127.0.0.1", "--port", &port.to_string()])
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("Prism starts");
        let stdout = child.stdout.take().expect("Prism's output");
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut seen = Vec::new();
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if line.contains("Prism is listening") {
                    let _ = ready_tx.send(Ok(()));
                }
                seen.push(line);
                if seen.len() > 2000 {
                    seen.remove(0);
                }
            }
            let _ = ready_tx.send(Err(seen.join("\n")));
        });
        match ready_rx.recv_timeout(Duration::from_secs(90)) {
            Ok(Ok(())) => {}
            Ok(Err(output)) => panic!("Prism stopped before listening:\n{output}"),
            Err(_) => panic!("Prism did not start listening within 90 s"),
        }
        Prism { child, url: format!("http://127.0.0.1:{port}") }
    }

    /// A client whose servers are all this Prism. No retries: every request is sent once.
    fn client(&self) -> Client {
        Client::builder()
            .base_url(&self.url)
            .server_url(servers::APP_HELLOSIGN_COM, &self.url)
            .api_key("PRISM-CONTRACT-KEY")
            .retry(RetryPolicy::none())
            .build()
            .expect("client builds")
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// Our spec with the refresh path item keyed `/oauth/token`, in place of the generate one.
fn refresh_only_spec(dir: &std::path::Path) -> String {
    let text = std::fs::read_to_string(SPEC).unwrap();
    let mut spec: yaml_serde::Mapping = yaml_serde::from_str(&text).unwrap();
    let paths = spec.get_mut("paths").and_then(yaml_serde::Value::as_mapping_mut).unwrap();
    let refresh = paths.remove("/oauth/token?refresh").expect("the refresh path item");
    *paths.get_mut("/oauth/token").expect("the generate path item") = refresh;
    let path = dir.join("openapi-refresh-only.yaml");
    std::fs::write(&path, yaml_serde::to_string(&spec).unwrap()).unwrap();
    path.display().to_string()
}

/// What one call came to: `None` when Prism accepted it without violations and the client
/// decoded the answer.
fn verdict<T: std::fmt::Debug, E: std::fmt::Debug>(result: &Result<ApiResponse<T>, Error<E>>) -> Option<String> {
    match result {
        Ok(response) => response
            .headers()
            .get("sl-violations")
            .map(|violations| format!("accepted with violations: {}", violations.to_str().unwrap_or("?"))),
        Err(Error::UnexpectedResponse { status, body, .. }) | Err(Error::Decode { status, body, .. }) => {
            Some(format!("{status}: {}", String::from_utf8_lossy(body)))
        }
        Err(other) => {
            let violations = other.headers().and_then(|h| h.get("sl-violations")).and_then(|v| v.to_str().ok());
            Some(format!("{:?}: {}", other.status(), violations.unwrap_or("(no sl-violations header)")))
        }
    }
}

fn signers() -> Vec<SubSignatureRequestSigner> {
    vec![
        SubSignatureRequestSigner::new("Jack", "jack@example.com"),
        SubSignatureRequestSigner::new("Jill", "jill@example.com"),
    ]
}

#[tokio::test]
#[ignore = "needs Prism: `cargo xtask contract` installs it and runs this test"]
async fn every_operation_is_accepted_by_prism_and_its_answers_decode() {
    let prism = Prism::start(SPEC, free_port());
    let dir = tempfile::tempdir().unwrap();
    let refresh_prism = Prism::start(&refresh_only_spec(dir.path()), free_port());
    let client = prism.client();
    let mut failures = Vec::new();
    let mut check = |name: &str, verdict: Option<String>| {
        println!("{name}: {}", verdict.as_deref().unwrap_or("ok"));
        if let Some(problem) = verdict {
            failures.push(format!("{name}: {problem}"));
        }
    };

    let generate =
        OAuthTokenGenerateRequest::new("cc91c61d00f8bb2ece1428035716b", "secret", "1b0d28d90c86c141", "900e06e2");
    check("oauthTokenGenerate", verdict(&client.oauth_token_generate(&generate).await));
    let mut refresh = OAuthTokenRefreshRequest::new("hNTI2MTFmM2VmZDQxZTZjOWRmZmFjZmVmMGMyNGFjMzI2MGI5YzgzNmE3");
    refresh.client_id = Some("cc91c61d00f8bb2ece1428035716b".to_owned());
    check(
        "oauthTokenRefresh (on the Prism whose /oauth/token is the refresh)",
        verdict(&refresh_prism.client().oauth_token_refresh(&refresh).await),
    );

    let verify = AccountVerifyRequest::new("jack@example.com");
    check("accountVerify", verdict(&client.account_verify(&verify).await));
    check("accountVerify multipart", verdict(&client.account_verify_multipart(&verify).await));

    let mut create = AccountCreateRequest::new("new@example.com");
    create.client_id = Some("cc91c61d00f8bb2ece1428035716b".to_owned());
    create.client_secret = Some("secret".into());
    check("accountCreate", verdict(&client.account_create(&create).await));
    check("accountCreate multipart", verdict(&client.account_create_multipart(&create).await));

    let params = SignatureRequestListParams { page: Some(1), page_size: Some(20), ..Default::default() };
    check("signatureRequestList", verdict(&client.signature_request_list(&params).await));

    let mut send = SignatureRequestSendRequest::new(signers());
    send.title = Some("NDA".to_owned());
    send.file_urls = Some(vec!["https://example.com/nda.pdf".to_owned()]);
    send.cc_email_addresses = Some(vec!["lawyer@example.com".to_owned()]);
    send.test_mode = Some(true);
    check("signatureRequestSend", verdict(&client.signature_request_send(&send).await));
    let mut send_files = SignatureRequestSendRequest::new(signers());
    send_files.title = Some("NDA".to_owned());
    send_files.file = Some(vec![Upload::from_bytes(&b"%PDF-1.4\n%%EOF\n"[..]).with_file_name("nda.pdf")]);
    send_files.test_mode = Some(true);
    let multipart = client.signature_request_send_multipart(&send_files).await;
    let expected_limit = r#"[{"location":["request"],"severity":"Error","code":415,"message":"Cannot deserialize JSON object array in form data request body. Make sure the array is in JSON"}]"#;
    let answer =
        multipart.as_ref().err().and_then(|err| Some((err.status()?, err.headers()?.get("sl-violations")?.clone())));
    let limited = answer.as_ref().is_some_and(|(status, violations)| *status == 415 && violations == expected_limit);
    check(
        "signatureRequestSend multipart (Prism's deepObject limit, and nothing else)",
        (!limited).then(|| format!("expected only Prism's deepObject limit, got {:?}", verdict(&multipart))),
    );

    assert!(failures.is_empty(), "Prism rejected or flagged:\n  {}", failures.join("\n  "));
}

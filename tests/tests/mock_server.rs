//! Our client's generated mock server (`dropbox_sign::mock`, crate feature `mock`), used as a
//! user of the client would in their own tests: a listing walked across pages the mock answers in
//! turn, an access token that expires and is rotated through the refresh operation (with the new
//! refresh token handed to the store), and an event callback signed as Dropbox Sign signs it.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dropbox_sign::mock::{MockServer, Reply};
use dropbox_sign::models::{
    EventCallbackRequest, EventCallbackRequestEvent, EventCallbackRequestEventEventType, ListInfoResponse,
    OAuthTokenRefreshRequest, OAuthTokenResponse, SignatureRequestListResponse, SignatureRequestResponse,
};
use dropbox_sign::oauth::{OAuthApp, TokenHolder, Tokens};
use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{SecretString, webhooks};
use futures::StreamExt;

/// A page of the listing with requests titled `titles`, page `page` of `pages`.
fn page(titles: &[&str], page: i64, pages: i64) -> SignatureRequestListResponse {
    let requests = titles
        .iter()
        .map(|title| SignatureRequestResponse { title: Some((*title).to_owned()), ..SignatureRequestResponse::new() });
    let info = ListInfoResponse { page: Some(page), num_pages: Some(pages), ..ListInfoResponse::new() };
    SignatureRequestListResponse::new(requests.collect(), info)
}

#[tokio::test]
async fn a_listing_is_walked_across_the_pages_the_mock_answers_in_turn() {
    let server = MockServer::start().await;
    let listing = server
        .expect_signature_request_list()
        .times(2)
        .respond_in_turn(vec![Reply::Ok(page(&["NDA", "Lease"], 1, 2)), Reply::Ok(page(&["Offer"], 2, 2))])
        .await;
    let client = server.client_builder().api_key("test-key").build().unwrap();

    let titles: Vec<String> = client
        .signature_request_list_items(&SignatureRequestListParams::default())
        .map(|request| request.unwrap().title.unwrap_or_default())
        .collect()
        .await;
    assert_eq!(titles, ["NDA", "Lease", "Offer"]);
    // The pages were asked for by number, as the typed parameters say.
    let pages: Vec<Option<i64>> = listing.requests().into_iter().map(|(params, ())| params.page).collect();
    assert_eq!(pages, [None, Some(2)]);
}

#[tokio::test]
async fn an_expired_token_is_refreshed_through_the_mock_and_the_new_one_stored() {
    let server = MockServer::start().await;
    let refreshed = OAuthTokenResponse {
        access_token: Some(SecretString::from("access-2")),
        refresh_token: Some(SecretString::from("refresh-2")),
        expires_in: Some(3600),
        ..OAuthTokenResponse::new()
    };
    let refresh = server
        .expect_oauth_token_refresh()
        .body_where(|body: &OAuthTokenRefreshRequest| body.refresh_token.expose_secret() == "refresh-1")
        .respond_ok(refreshed)
        .await;
    server.expect_signature_request_list().respond_ok(page(&["NDA"], 1, 1)).await;

    let app_client = server.client_builder().build().unwrap();
    let stored = Arc::new(Mutex::new(Vec::new()));
    let store = Arc::clone(&stored);
    let expired = Tokens::new("access-1").with_refresh_token("refresh-1").with_expires_in(Duration::ZERO);
    let holder = TokenHolder::builder(app_client.clone(), OAuthApp::new("client-id", "client-secret"), expired)
        .on_refresh(move |tokens| {
            let refresh_token = tokens.refresh_token().map(|token| token.expose_secret().to_owned());
            store.lock().unwrap().push(refresh_token);
        })
        .build();
    let user = app_client.with_oauth2_token_provider(holder);

    let listed = user.signature_request_list(&SignatureRequestListParams::default()).await.unwrap();
    assert_eq!(listed.into_body().signature_requests.len(), 1);
    assert_eq!(refresh.hits(), 1, "the expired token was refreshed once, before the call");
    assert_eq!(*stored.lock().unwrap(), [Some("refresh-2".to_owned())]);
    server.verify().unwrap();
}

#[test]
fn an_event_callback_signed_by_the_mock_is_verified_and_one_signed_with_another_key_is_not() {
    let key = SecretString::from("api-key");
    // The hash is what signing sets.
    let event = EventCallbackRequest::new(EventCallbackRequestEvent::new(
        "1700000000",
        EventCallbackRequestEventEventType::SignatureRequestSigned,
        "",
    ));
    let payload = webhooks::sign_event_callback(&key, &event);
    let received = webhooks::verify_event_callback(&key, &payload).unwrap();
    assert_eq!(received.event.event_type, EventCallbackRequestEventEventType::SignatureRequestSigned);
    assert!(webhooks::verify_event_callback(&SecretString::from("other-key"), &payload).is_err());
}

#[tokio::test]
async fn a_signature_request_with_files_is_read_back_as_the_request_that_was_sent() {
    use dropbox_sign::Upload;
    use dropbox_sign::models::{SignatureRequestGetResponse, SignatureRequestSendRequest, SubSignatureRequestSigner};

    let server = MockServer::start().await;
    let sent = server
        .expect_signature_request_send()
        .body_where(|request: &SignatureRequestSendRequest| request.file.as_ref().is_some_and(|files| files.len() == 2))
        .respond_ok(SignatureRequestGetResponse::new(SignatureRequestResponse {
            title: Some("NDA".to_owned()),
            ..SignatureRequestResponse::new()
        }))
        .await;
    let client = server.client_builder().api_key("test-key").build().unwrap();

    // Files make the call multipart, with the signers as `signers[0][name]` fields: the mock
    // reads all of it back into the request type.
    let request = SignatureRequestSendRequest {
        file: Some(vec![
            Upload::from_bytes(&b"%PDF-1.7 contract"[..]).with_file_name("nda.pdf"),
            Upload::from_bytes(&b"appendix"[..]).with_file_name("appendix.txt"),
        ]),
        title: Some("NDA".to_owned()),
        test_mode: Some(true),
        metadata: Some([("deal".to_owned(), serde_json::json!("42"))].into()),
        ..SignatureRequestSendRequest::new(vec![SubSignatureRequestSigner {
            order: Some(Some(0)),
            ..SubSignatureRequestSigner::new("Ana", "ana@example.com")
        }])
    };
    let response = client.signature_request_send(&request).await.unwrap();
    assert_eq!(response.into_body().signature_request.title.as_deref(), Some("NDA"));
    assert_eq!(sent.requests(), [((), request)]);
    server.verify().unwrap();
}

//! The client a build script generated (`tests/build-script`, with `BuildScript` and a
//! settings file) on the wire: renamed methods, a type of the including crate in place of a
//! schema, and the operations it left out absent.

use build_script_client::ApiWarning;
use build_script_client::sign::models::AccountVerifyRequest;
use build_script_client::sign::{Client, operations::SignatureRequestListParams};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn a_client_generated_by_a_build_script_calls_the_api_with_the_settings_applied() {
    let server = MockServer::start().await;
    let warning = serde_json::json!({"warning_name": "unverified", "warning_msg": "Not verified yet."});
    Mock::given(method("POST"))
        .and(path("/account/verify"))
        .and(header("authorization", "Basic a2V5Og=="))
        .and(body_json(serde_json::json!({"email_address": "a@example.com"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"warnings": [warning]})))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/signature_request/list"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"signature_requests": [], "list_info": {"num_pages": 1, "num_results": 0, "page": 2, "page_size": 20}})))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder().base_url(server.uri()).api_key("key").build().unwrap();

    // `accountVerify` is `verify_account`, and its warnings are this crate's `ApiWarning`.
    let verified = client.verify_account(&AccountVerifyRequest::new("a@example.com")).await.unwrap().into_body();
    let warnings: Vec<ApiWarning> = verified.warnings.unwrap();
    assert_eq!(
        warnings,
        [ApiWarning { warning_name: "unverified".to_owned(), warning_msg: "Not verified yet.".to_owned() }]
    );
    let params = SignatureRequestListParams { page: Some(2), ..SignatureRequestListParams::new() };
    let listed = client.signature_request_list(&params).await.unwrap().into_body();
    assert!(listed.signature_requests.is_empty());
}

#[test]
fn the_operations_the_settings_leave_out_are_not_generated() {
    let module = build_script_client::GENERATED;
    assert!(module.contains("pub fn verify_account("));
    for left_out in ["pub fn account_create(", "pub fn signature_request_send(", "pub fn account_verify("] {
        assert!(!module.contains(left_out), "{left_out}");
    }
    assert!(!module.contains("pub struct WarningResponse"), "replaced by the crate's own type");
}

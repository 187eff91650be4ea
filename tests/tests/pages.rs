//! Listings walked across their pages: the generated Dropbox Sign client's
//! `signature_request_list_pages` and `_items` against a loopback server that serves three pages.

use dropbox_sign::operations::SignatureRequestListParams;
use dropbox_sign::{Client, Error, RetryPolicy};
use futures::StreamExt;
use serde_json::{Value, json};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const API_KEY: &str = "SECRET-API-KEY-0003";

/// Page `page` of three, with two signature requests each (`p1-a`, `p1-b`, ...).
fn page(page: u64) -> Value {
    let request = |id: String| json!({"signature_request_id": id, "title": "NDA", "signatures": []});
    json!({
        "list_info": {"num_pages": 3, "num_results": 6, "page": page, "page_size": 2},
        "signature_requests": [request(format!("p{page}-a")), request(format!("p{page}-b"))],
        "warnings": []
    })
}

async fn serve_pages(server: &MockServer, pages: &[(u64, ResponseTemplate)]) {
    for (number, response) in pages {
        Mock::given(method("GET"))
            .and(path("/signature_request/list"))
            .and(query_param("page", number.to_string()))
            .respond_with(response.clone())
            .mount(server)
            .await;
    }
}

/// The three pages, each answered with success.
async fn serve_three_pages(server: &MockServer) {
    let pages: Vec<(u64, ResponseTemplate)> =
        (1..=3).map(|n| (n, ResponseTemplate::new(200).set_body_json(page(n)))).collect();
    serve_pages(server, &pages).await;
}

fn client(server: &MockServer) -> Client {
    Client::builder().base_url(server.uri()).api_key(API_KEY).retry(RetryPolicy::none()).build().unwrap()
}

fn queries(requests: &[Request]) -> Vec<String> {
    requests.iter().map(|request| request.url.query().unwrap_or_default().to_owned()).collect()
}

#[tokio::test]
async fn the_items_of_three_pages_come_in_order_and_each_page_is_asked_for_once() {
    let server = MockServer::start().await;
    serve_three_pages(&server).await;
    let client = client(&server);
    let params = SignatureRequestListParams { page: Some(1), page_size: Some(2), ..Default::default() };

    let ids: Vec<String> = client
        .signature_request_list_items(&params)
        .map(|item| item.expect("every page answers").signature_request_id.expect("an id"))
        .collect()
        .await;

    assert_eq!(ids, ["p1-a", "p1-b", "p2-a", "p2-b", "p3-a", "p3-b"]);
    let requests = server.received_requests().await.unwrap();
    // The caller's parameters on every page; only the page number changes; none after the last.
    assert_eq!(queries(&requests), ["page=1&page_size=2", "page=2&page_size=2", "page=3&page_size=2"]);
    assert!(requests.iter().all(|request| request.headers.get("authorization").is_some()), "credentials on each");
}

#[tokio::test]
async fn pages_are_asked_for_only_as_the_stream_is_read() {
    let server = MockServer::start().await;
    serve_three_pages(&server).await;
    let client = client(&server);
    let params = SignatureRequestListParams { page: Some(1), ..Default::default() };
    let mut pages = client.signature_request_list_pages(&params);
    let first = pages.next().await.unwrap().unwrap();
    assert_eq!(first.list_info.page, Some(1));
    assert_eq!(first.status(), 200, "a page is the whole response, status and headers too");
    assert_eq!(server.received_requests().await.unwrap().len(), 1, "nothing is asked for ahead");
    let mut items = client.signature_request_list_items(&params).take(3);
    while items.next().await.is_some() {}
    assert_eq!(server.received_requests().await.unwrap().len(), 3, "three items need two pages");
}

#[tokio::test]
async fn an_error_on_page_two_is_yielded_and_ends_the_stream() {
    let server = MockServer::start().await;
    let failure = json!({"error": {"error_msg": "Too many requests", "error_name": "exceeded_rate"}});
    let pages = [
        (1, ResponseTemplate::new(200).set_body_json(page(1))),
        (2, ResponseTemplate::new(429).set_body_json(failure)),
        (3, ResponseTemplate::new(200).set_body_json(page(3))),
    ];
    serve_pages(&server, &pages).await;
    let client = client(&server);
    let params = SignatureRequestListParams { page: Some(1), ..Default::default() };

    let results: Vec<_> = client.signature_request_list_items(&params).collect().await;

    assert_eq!(results.len(), 3, "two items, then the error, then nothing: {results:?}");
    assert!(results[..2].iter().all(Result::is_ok));
    match &results[2] {
        Err(Error::Api { status, body, .. }) => {
            assert_eq!(status.as_u16(), 429);
            assert_eq!(body.error.error_name, "exceeded_rate");
        }
        other => panic!("expected the 429 of page 2, got {other:?}"),
    }
    assert_eq!(queries(&server.received_requests().await.unwrap()), ["page=1", "page=2"], "page 3 is not asked for");
}

#[tokio::test]
async fn without_a_page_the_first_is_the_servers_default_and_the_walk_stops_at_an_empty_page() {
    let server = MockServer::start().await;
    let empty = json!({"list_info": {"page": 2}, "signature_requests": []});
    // No page count in the body: the walk ends at the first empty page.
    let first = json!({"list_info": {"page": 1}, "signature_requests": [{"signature_request_id": "only"}]});
    Mock::given(method("GET"))
        .and(query_param("page", "2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(empty))
        .mount(&server)
        .await;
    Mock::given(method("GET")).respond_with(ResponseTemplate::new(200).set_body_json(first)).mount(&server).await;
    let client = client(&server);
    let ids: Vec<_> = client
        .signature_request_list_items(&SignatureRequestListParams::default())
        .map(|item| item.unwrap().signature_request_id)
        .collect()
        .await;
    assert_eq!(ids, [Some("only".to_owned())]);
    assert_eq!(queries(&server.received_requests().await.unwrap()), ["", "page=2"]);
}

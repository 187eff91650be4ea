//! The generator on small specs, one per family of constructs (`tests/specs/*.yaml`): what the
//! IR decides, snapshots of the emitted code, determinism, and a check that every generated
//! crate compiles without a clippy warning.

use std::path::{Path, PathBuf};
use std::process::Command;

use openapi_gen::emit::Runtime;
use openapi_gen::ir::features::Gate;
use openapi_gen::ir::formats::{DateTimeCrate, FormatOptions, Offsets};
use openapi_gen::ir::{self, Api, BodyEncoding, ParamLocation, ResponseBody, Style, TypeDef, TypeKind, TypeRef};
use openapi_gen::{GeneratedCrate, Options, load};

fn specs_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("specs")
}

fn construct_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(specs_dir())
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|e| e == "yaml" || e == "json"))
        .collect();
    specs.sort();
    specs
}

fn crate_name(spec: &Path) -> String {
    format!("construct-{}", spec.file_stem().unwrap().to_string_lossy().replace('_', "-"))
}

fn generate(spec: &Path) -> GeneratedCrate {
    generate_with(spec, &crate_name(spec), runtime_crate())
}

/// The construct spec generated with a Cargo feature per tag.
const TAG_FEATURES_SPEC: &str = "tag_features.yaml";
/// The crate `TAG_FEATURES_SPEC` makes with its models split into crates (`--split-crates`).
const TAG_FEATURES_SPLIT: &str = "tag-features-split";

/// The runtime crate of this repository, by path.
fn runtime_crate() -> Runtime {
    Runtime::Crate { path: Some(concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime").to_owned()) }
}

/// A hand-written crate of tests in the construct workspace: its package `name`, the lines of its
/// `[dependencies]`, and its `src/lib.rs`.
fn write_test_crate(dir: &Path, name: &str, dependencies: &str, source: &str) {
    std::fs::create_dir_all(dir.join("src")).unwrap();
    let manifest = format!(
        "[package]\nname = \"{name}\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n[dependencies]\n{dependencies}"
    );
    std::fs::write(dir.join("Cargo.toml"), manifest).unwrap();
    std::fs::write(dir.join("src/lib.rs"), source).unwrap();
}

/// Downloads arrive as they are sent: a loopback server sends the first half of a body bigger
/// than any buffer on the way, and the second half only after the client has read a chunk.
const DOWNLOADS: &str = r##"
#[cfg(test)]
mod tests {
    use construct_downloads::futures_core::Stream;
    use construct_downloads::operations::DownloadFileParams;
    use construct_downloads::operations::{DownloadFileError, StartJobResponse};
    use construct_downloads::{Client, Error};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;

    const HALF: usize = 4 << 20;

    /// Serves one response: its head and the first half of the body, then the rest once
    /// `go_on` fires. Returns the request line.
    async fn serve(
        listener: TcpListener,
        head: String,
        body: Vec<u8>,
        go_on: tokio::sync::oneshot::Receiver<()>,
    ) -> String {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = Vec::new();
        let mut buffer = [0u8; 1024];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            let read = socket.read(&mut buffer).await.unwrap();
            request.extend_from_slice(&buffer[..read]);
        }
        socket.write_all(head.as_bytes()).await.unwrap();
        let split = body.len().min(HALF);
        socket.write_all(&body[..split]).await.unwrap();
        let _ = go_on.await;
        socket.write_all(&body[split..]).await.unwrap();
        socket.shutdown().await.unwrap();
        String::from_utf8_lossy(&request).lines().next().unwrap_or_default().to_owned()
    }

    /// A client of the server at `listener`, without retries: each server answers once.
    fn client(listener: &TcpListener) -> Client {
        let url = format!("http://{}", listener.local_addr().unwrap());
        Client::builder().base_url(url).retry(construct_downloads::RetryPolicy::none()).build().unwrap()
    }

    /// The head of a `status` response of `length` bytes, of `content_type` when given.
    fn head(status: &str, content_type: Option<&str>, length: usize) -> String {
        let content_type = content_type.map(|media| format!("content-type: {media}\r\n")).unwrap_or_default();
        format!("HTTP/1.1 {status}\r\n{content_type}content-length: {length}\r\n\r\n")
    }

    /// A client of a server that answers one request with `status` and the whole `body`, and the
    /// server's task, which returns the request line.
    async fn answer_once(
        status: &str,
        content_type: Option<&str>,
        body: &[u8],
    ) -> (Client, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = client(&listener);
        let (go_on, wait) = tokio::sync::oneshot::channel();
        go_on.send(()).unwrap();
        let server = tokio::spawn(serve(listener, head(status, content_type, body.len()), body.to_vec(), wait));
        (client, server)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_download_arrives_in_chunks_before_the_server_has_sent_it_all() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let client = client(&listener);
        let body: Vec<u8> = (0..2 * HALF).map(|i| (i % 251) as u8).collect();
        let head = head("200 OK", Some("application/pdf"), body.len());
        let (go_on, wait) = tokio::sync::oneshot::channel();
        let server = tokio::spawn(serve(listener, head, body.clone(), wait));

        let params = DownloadFileParams::new("f 1");
        let mut stream = client.download_file(&params).await.unwrap().into_body();
        assert_eq!(stream.content_type(), Some("application/pdf"));
        assert_eq!(stream.content_length(), Some(body.len() as u64));
        // The server holds back the second half until the client has a chunk of the first.
        let first = stream.chunk().await.unwrap().expect("a first chunk");
        assert!(!first.is_empty() && first.len() < body.len());
        go_on.send(()).unwrap();
        let mut received = first.to_vec();
        let mut chunks = 1;
        while let Some(chunk) = stream.chunk().await.unwrap() {
            received.extend_from_slice(&chunk);
            chunks += 1;
        }
        assert!(chunks > 1, "{chunks} chunks");
        assert!(received == body, "the body arrives whole and in order");
        assert_eq!(server.await.unwrap(), "GET /files/f%201 HTTP/1.1");
    }

    #[tokio::test]
    async fn a_download_can_be_saved_to_a_file_or_collected() {
        for save in [true, false] {
            let body = b"%PDF-1.7 not really".to_vec();
            let (client, server) = answer_once("200 OK", Some("application/pdf"), &body).await;
            let stream = client.download_file(&DownloadFileParams::new("a")).await.unwrap().into_body();
            if save {
                let path = std::env::temp_dir().join(format!("openapi-gen-download-{}.pdf", std::process::id()));
                assert_eq!(stream.save_to(&path).await.unwrap(), body.len() as u64);
                assert_eq!(std::fs::read(&path).unwrap(), body);
                std::fs::remove_file(&path).unwrap();
            } else {
                let _: &dyn Stream<Item = _> = &stream;
                assert_eq!(stream.collect().await.unwrap(), body);
            }
            server.await.unwrap();
        }
    }

    #[tokio::test]
    async fn a_success_status_picks_its_body() {
        type Expected = fn(&Result<StartJobResponse, Error<serde_json::Value>>) -> bool;
        let cases: [(&str, &str, Expected); 4] = [
            ("200 OK", r#"{"id": "j1"}"#, |r| matches!(r, Ok(StartJobResponse::Ok(job)) if job.id == "j1")),
            ("202 Accepted", r#"{"position": 3}"#, |r| matches!(r, Ok(StartJobResponse::Accepted(q)) if q.position == 3)),
            ("204 No Content", "", |r| matches!(r, Ok(StartJobResponse::NoContent))),
            // A documented status whose body is not the documented one.
            ("202 Accepted", r#"{"id": "j1"}"#, |r| matches!(r, Err(Error::Decode { status, .. }) if status.as_u16() == 202)),
        ];
        for (status, body, expected) in cases {
            let (client, server) = answer_once(status, Some("application/json"), body.as_bytes()).await;
            let result = client.start_job().await.map(|response| response.into_body());
            assert!(expected(&result), "{status} {body}: {result:?}");
            server.await.unwrap();
        }
        // An undocumented success status keeps its raw body.
        let (client, server) = answer_once("201 Created", None, b"{}").await;
        match client.start_job().await {
            Err(Error::UnexpectedResponse { status, body, .. }) => assert_eq!((status.as_u16(), &body[..]), (201, &b"{}"[..])),
            other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
        }
        server.await.unwrap();
    }

    #[tokio::test]
    async fn an_error_status_picks_its_variant_exact_then_range() {
        type Expected = fn(&Error<DownloadFileError>) -> bool;
        let cases: [(&str, &str, Expected); 4] = [
            ("404 Not Found", r#"{"detail": "no such file"}"#, |err| {
                matches!(err, Error::Api { body: DownloadFileError::NotFound(problem), .. }
                    if problem.detail.as_deref() == Some("no such file"))
            }),
            ("410 Gone", "", |err| matches!(err, Error::Api { body: DownloadFileError::Gone, .. })),
            ("422 Unprocessable Entity", r#"{"errors": ["bad id"]}"#, |err| {
                matches!(err, Error::Api { body: DownloadFileError::ClientError(invalid), .. }
                    if invalid.errors.as_deref() == Some(&["bad id".to_owned()][..]))
            }),
            // Not documented (no 5XX, no default): the raw body is kept.
            ("500 Internal Server Error", "oops", |err| {
                matches!(err, Error::UnexpectedResponse { status, body, .. } if status.as_u16() == 500 && &body[..] == b"oops")
            }),
        ];
        for (status, body, expected) in cases {
            let (client, server) = answer_once(status, Some("application/json"), body.as_bytes()).await;
            let err = client.download_file(&DownloadFileParams::new("gone")).await.expect_err(status);
            assert!(expected(&err), "{status}: {err:?}");
            server.await.unwrap();
        }
    }
}
"##;

/// What must arrive as the description says, against a loopback server: values that must not
/// change on the way, responses held to the documented statuses, and discriminated hierarchies.
const ON_THE_WIRE: &str = r##"
/// The loopback server the tests share.
#[cfg(test)]
mod server {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, Request, ResponseTemplate};

    /// A server that answers every request with `status` and the JSON text `body`.
    pub async fn answering(status: u16, body: &str) -> MockServer {
        let server = MockServer::start().await;
        let response = ResponseTemplate::new(status).set_body_raw(body.to_owned(), "application/json");
        Mock::given(any()).respond_with(response).mount(&server).await;
        server
    }

    /// What `server` received, in order.
    pub async fn requests(server: &MockServer) -> Vec<Request> {
        server.received_requests().await.unwrap()
    }
}

/// Values that must not change on the way: `f32`s in every place, doubles with every digit,
/// date-times refused when RFC 3339 cannot write them (or, with `offsets = "keep"`, sent back
/// with the offset they came with), `readOnly` properties left out of a body sent back, and
/// Swagger 2.0's `x-nullable` beside a `$ref` and `tsv` arrays.
#[cfg(test)]
mod values {
    use construct_wire_values::models::{Item, Reading};
    use construct_wire_values::operations::{GetItemParams, PutItemParams, PutReadingParams};
    use construct_wire_values::{Client, Error, RetryPolicy};
    use wiremock::MockServer;

    use super::server::{answering, requests};

    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).retry(RetryPolicy::none()).build().unwrap()
    }

    const READING: &str = r#"{"value": 0.07, "precise": 2.5976931e-101, "at": "2024-01-01T00:00:00Z"}"#;

    #[tokio::test]
    async fn floats_go_out_as_their_type_writes_them_and_come_back_exactly() {
        let server = answering(200, READING).await;
        let mut params = PutReadingParams::new(0.07);
        params.ratios = Some(vec![0.07, 1.1]);
        params.x_ratio = Some(0.07);
        let reading = Reading::new(0.07, 2.5976931e-101, "2024-01-01T00:00:00Z".parse().unwrap());
        let stored = client(&server).put_reading(&params, &reading).await.unwrap().into_body();
        assert_eq!(stored.precise.to_bits(), 2.5976931e-101f64.to_bits(), "{:e}", stored.precise);
        assert_eq!(stored.value.to_bits(), 0.07f32.to_bits());
        let sent = &requests(&server).await[0];
        assert_eq!(sent.url.path(), "/readings/0.07");
        assert_eq!(sent.url.query(), Some("ratios=0.07&ratios=1.1"));
        assert_eq!(sent.headers["x-ratio"], "0.07");
        let body = String::from_utf8(sent.body.clone()).unwrap();
        assert!(body.contains(r#""value":0.07,"#) && body.contains(r#""precise":2.5976931e-101,"#), "{body}");
    }

    #[tokio::test]
    async fn a_date_time_rfc_3339_cannot_write_is_refused_before_anything_is_sent() {
        let server = answering(200, READING).await;
        let received: chrono::DateTime<chrono::FixedOffset> = "9999-12-31T23:59:59.999-14:00".parse().unwrap();
        let in_utc = received.with_timezone(&chrono::Utc);
        let reading = Reading::new(0.5, 0.5, in_utc);
        match client(&server).put_reading(&PutReadingParams::new(0.5), &reading).await {
            Err(Error::InvalidRequest(reason)) => assert!(reason.contains("RFC 3339"), "{reason}"),
            other => panic!("expected Error::InvalidRequest, got {other:?}"),
        }
        let mut params = PutReadingParams::new(0.5);
        params.since = Some(in_utc);
        let reading = Reading::new(0.5, 0.5, "2024-01-01T00:00:00Z".parse().unwrap());
        let refused = client(&server).put_reading(&params, &reading).await;
        assert!(matches!(refused, Err(Error::InvalidRequest(_))), "{refused:?}");
        assert!(requests(&server).await.is_empty(), "nothing was sent");
    }

    #[tokio::test]
    async fn an_enum_of_date_times_is_of_the_format_s_type() {
        let body = r#"{"value": 1, "precise": 1, "at": "2024-01-01T00:00:00Z", "moment": "2025-06-30T12:00:00+02:00"}"#;
        let server = answering(200, body).await;
        let reading = Reading::new(1.0, 1.0, "2024-01-01T00:00:00Z".parse().unwrap());
        let stored = client(&server).put_reading(&PutReadingParams::new(1.0), &reading).await.unwrap().into_body();
        let expected: chrono::DateTime<chrono::Utc> = "2025-06-30T10:00:00Z".parse().unwrap();
        assert_eq!(stored.moment, Some(expected));
    }

    #[tokio::test]
    async fn read_only_properties_are_read_and_never_sent_back() {
        let item = r#"{"id": "1234", "name": "lamp", "created": "2024-01-01T00:00:00Z", "owner": {"name": "Ann"}}"#;
        let server = answering(200, item).await;
        let client = client(&server);
        let mut item = client.get_item(&GetItemParams::new("1234")).await.unwrap().into_body();
        assert_eq!(item.id.as_deref(), Some("1234"), "a readOnly property is read");
        assert!(item.owner.is_some(), "readOnly beside a $ref too");
        item.name = "desk lamp".to_owned();
        item.password = Some("hunter2".into());
        // The server answers 200 with a body for a PUT that documents 204: the call fails, the
        // body it was sent is what counts here.
        let _ = client.put_item(&PutItemParams::new("1234"), &item).await;
        let sent: serde_json::Value = serde_json::from_slice(&requests(&server).await[1].body).unwrap();
        assert_eq!(sent, serde_json::json!({"name": "desk lamp", "password": "hunter2"}));
        // Serialized anywhere else (to be stored), the model keeps what it read.
        let stored = serde_json::to_value(&item).unwrap();
        assert_eq!(stored["id"], "1234");
        let _: Item = serde_json::from_value(stored).unwrap();
    }

    #[tokio::test]
    async fn offsets_are_kept_as_received_when_asked() {
        use wire_values_offsets::models::Reading;
        use wire_values_offsets::operations::PutReadingParams;
        let body = r#"{"value": 1, "precise": 1, "at": "9999-12-31T23:59:59.999-14:00"}"#;
        let server = answering(200, body).await;
        let client = wire_values_offsets::Client::builder()
            .base_url(server.uri())
            .retry(wire_values_offsets::RetryPolicy::none())
            .build()
            .unwrap();
        let reading = Reading::new(1.0, 1.0, "2024-01-01T00:00:00Z".parse().unwrap());
        let stored = client.put_reading(&PutReadingParams::new(1.0), &reading).await.unwrap().into_body();
        assert_eq!(stored.at.offset().local_minus_utc(), -14 * 3600);
        // Sent back as it came.
        let _ = client.put_reading(&PutReadingParams::new(1.0), &stored).await.unwrap();
        let sent = String::from_utf8(requests(&server).await[1].body.clone()).unwrap();
        assert!(sent.contains(r#""at":"9999-12-31T23:59:59.999-14:00""#), "{sent}");
    }

    #[tokio::test]
    async fn swagger_2_nullable_references_and_tab_separated_arrays() {
        use construct_swagger2_values::operations::ListProductsParams;
        let server = answering(200, r#"[{"name": "lamp"}, null]"#).await;
        let client = construct_swagger2_values::Client::builder()
            .base_url(server.uri())
            .retry(construct_swagger2_values::RetryPolicy::none())
            .build()
            .unwrap();
        let mut params = ListProductsParams::new();
        params.ids = Some(vec![1, 2]);
        params.x_tags = Some(vec!["a".to_owned(), "b".to_owned()]);
        let products = client.list_products(&params).await.unwrap().into_body();
        assert_eq!(products.len(), 2);
        assert!(products[0].is_some() && products[1].is_none());
        assert_eq!(requests(&server).await[0].url.query(), Some("ids=1%092"));
        assert_eq!(requests(&server).await[0].headers["x-tags"], "a\tb");
        // `pipes` in a path and `ssv` in a header, which OpenAPI 3 has no style for.
        use construct_swagger2_values::operations::GetProductsBySkuParams;
        let mut by_sku = GetProductsBySkuParams::new(vec!["a".to_owned(), "b".to_owned()]);
        by_sku.x_codes = Some(vec!["c".to_owned(), "d".to_owned()]);
        let _ = client.get_products_by_sku(&by_sku).await;
        let sent = requests(&server).await.pop().unwrap();
        assert_eq!(sent.url.path(), "/products/a%7Cb");
        assert_eq!(sent.headers["x-codes"], "c d");
        // Form fields as their `collectionFormat` says: `csv` (the default), `tsv`, `multi`.
        let order = construct_swagger2_values::models::PlaceOrderRequest {
            tags: Some(vec!["a".to_owned(), "b".to_owned()]),
            ids: Some(vec![1, 2]),
            notes: Some(vec!["x".to_owned(), "y".to_owned()]),
        };
        let _ = client.place_order(Some(&order)).await;
        let form = String::from_utf8(requests(&server).await.pop().unwrap().body.clone()).unwrap();
        let mut fields: Vec<&str> = form.split('&').collect();
        fields.sort_unstable();
        assert_eq!(fields, ["ids=1%092", "notes=x", "notes=y", "tags=a%2Cb"]);
        let catalog: construct_swagger2_values::models::Catalog =
            serde_json::from_str(r#"{"featured": null, "by_sku": {"a": null, "b": {"name": "desk"}}}"#).unwrap();
        let by_sku = catalog.by_sku.unwrap();
        assert!(by_sku["a"].is_none() && by_sku["b"].is_some());
    }
}

/// Responses held to the statuses their operation documents, and discriminated hierarchies of
/// three levels decoded and sent.
#[cfg(test)]
mod statuses_and_hierarchies {
    use construct_statuses::operations::{GetThingError, GetThingParams, GetThingResponse, ThingExistsParams};
    use construct_statuses::{Client, Error, RetryPolicy};
    use wiremock::MockServer;

    use super::server::answering;

    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(server.uri()).retry(RetryPolicy::none()).build().unwrap()
    }

    #[tokio::test]
    async fn an_undocumented_success_status_is_unexpected() {
        let server = answering(202, r#"{"id": "1"}"#).await;
        match client(&server).only_ok().await {
            Err(Error::UnexpectedResponse { status, .. }) => assert_eq!(status.as_u16(), 202),
            other => panic!("expected Error::UnexpectedResponse, got {other:?}"),
        }
        let server = answering(200, r#"{"id": "1"}"#).await;
        assert_eq!(client(&server).only_ok().await.unwrap().into_body().id, "1");
        // Unless the client is told to accept one, for a description that lists too few.
        let server = answering(202, r#"{"id": "2"}"#).await;
        let lenient = Client::builder().base_url(server.uri()).accept_undocumented_success(true).build().unwrap();
        assert_eq!(lenient.only_ok().await.unwrap().into_body().id, "2");
        // With `default` documented beside `200`, a `202` is still not a documented success.
        let server = answering(202, r#"{"title": "queued"}"#).await;
        match client(&server).with_default().await {
            Err(Error::Api { status, body, .. }) => assert_eq!((status.as_u16(), body.title.as_str()), (202, "queued")),
            other => panic!("expected Error::Api, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn a_documented_status_without_a_body_is_never_unexpected() {
        let server = answering(404, "").await;
        match client(&server).thing_exists(&ThingExistsParams::new("a")).await {
            Err(Error::Api { status, .. }) => assert_eq!(status.as_u16(), 404),
            other => panic!("expected Error::Api, got {other:?}"),
        }
        match client(&server).get_thing(&GetThingParams::new("a")).await {
            Err(Error::Api { body: GetThingError::NotFound, .. }) => {}
            other => panic!("expected GetThingError::NotFound, got {other:?}"),
        }
    }

    #[tokio::test]
    async fn an_exact_status_wins_over_its_range_on_both_sides() {
        type Expected = fn(&Result<GetThingResponse, Error<GetThingError>>) -> bool;
        let cases: [(u16, &str, Expected); 4] = [
            (200, r#"{"id": "1"}"#, |r| matches!(r, Ok(GetThingResponse::Ok(thing)) if thing.id == "1")),
            (201, r#"{"note": "made"}"#, |r| matches!(r, Ok(GetThingResponse::Success(note)) if note.note == "made")),
            (404, r#"{"title": "gone"}"#, |r| matches!(r, Err(Error::Api { body: GetThingError::NotFound, .. }))),
            (409, r#"{"title": "busy"}"#, |r| {
                matches!(r, Err(Error::Api { body: GetThingError::ClientError(problem), .. }) if problem.title == "busy")
            }),
        ];
        for (status, body, expected) in cases {
            let server = answering(status, body).await;
            let result = client(&server).get_thing(&GetThingParams::new("a")).await.map(|r| r.into_body());
            assert!(expected(&result), "{status}: {result:?}");
        }
    }

    #[test]
    fn every_fish_below_the_base_is_a_variant_and_round_trips() {
        use construct_discriminator_hierarchies::models::{Fish, Salmon, Shark};
        let sawshark = serde_json::json!({
            "fishtype": "sawshark", "length": 1.5, "birthday": "2000-01-01", "picture": "AAEC",
            "siblings": [{"fishtype": "smart_salmon", "length": 2.0, "college_degree": "MIT", "iswild": true}]
        });
        let fish: Fish = serde_json::from_value(sawshark.clone()).unwrap();
        let Fish::Sawshark(shark) = &fish else { panic!("a sawshark: {fish:?}") };
        assert_eq!(shark.picture.as_ref().map(|p| p.as_bytes().to_vec()), Some(vec![0, 1, 2]));
        let siblings = shark.siblings.as_ref().unwrap();
        assert!(matches!(&siblings[0], Fish::SmartSalmon(salmon) if salmon.college_degree.as_deref() == Some("MIT")));
        assert_eq!(serde_json::to_value(&fish).unwrap(), sawshark, "sent as it came");
        // A schema in the middle is its own object or anything below it.
        let salmon: Salmon = serde_json::from_value(serde_json::json!({"fishtype": "salmon", "length": 1, "location": "river"})).unwrap();
        assert!(matches!(&salmon, Salmon::Salmon(own) if own.location.as_deref() == Some("river")));
        let smart: Salmon = serde_json::from_value(serde_json::json!({"fishtype": "smart_salmon", "length": 1, "college_degree": "MIT"})).unwrap();
        assert!(matches!(smart, Salmon::SmartSalmon(_)));
        let goblin: Shark = serde_json::from_value(serde_json::json!({"fishtype": "goblin", "length": 1, "birthday": "b", "jawsize": 5})).unwrap();
        assert!(matches!(goblin, Shark::Goblinshark(g) if g.jawsize == Some(5)));
        // A fish below a fish, held by a fish: the hierarchy is recursive.
        let mated: Fish = serde_json::from_value(serde_json::json!({
            "fishtype": "shark", "length": 3, "birthday": "b",
            "mate": {"fishtype": "cookiecuttershark", "length": 1, "birthday": "c"}
        })).unwrap();
        let Fish::Shark(shark) = mated else { panic!("a shark") };
        assert!(matches!(shark.mate.as_deref(), Some(Fish::Cookiecuttershark(_))));
        // A tag that selects a schema renaming another is not known: kept, not looped on.
        let trout: Fish = serde_json::from_value(serde_json::json!({"fishtype": "trout", "length": 1})).unwrap();
        assert!(matches!(trout, Fish::Unknown(_)));
        let orca: Fish = serde_json::from_value(serde_json::json!({"fishtype": "Orca", "length": 1, "pod": "J"})).unwrap();
        assert!(matches!(orca, Fish::Orca(o) if o.pod.as_deref() == Some("J")));
        // A base its mapping names is a value of its own beside its subtypes.
        use construct_discriminator_hierarchies::models::Pet;
        let pet: Pet = serde_json::from_value(serde_json::json!({"petType": "pet", "name": "Rex"})).unwrap();
        assert!(matches!(&pet, Pet::Pet(own) if own.name.as_deref() == Some("Rex")));
        assert_eq!(serde_json::to_value(&pet).unwrap(), serde_json::json!({"petType": "pet", "name": "Rex"}));
    }
}
"##;

/// The other kinds of paging than Dropbox Sign's page numbers, walked against a loopback server.
const PAGING: &str = r##"
#[cfg(test)]
mod tests {
    use construct_pagination::operations::{ListByCursorParams, ListByOffsetParams, ListIssuesParams, ListMaybeParams};
    use construct_pagination::{Client, Error, RetryPolicy};
    use futures::StreamExt;
    use serde_json::{Value, json};
    use wiremock::matchers::{method, path, query_param, query_param_is_missing};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    fn items(ids: &[&str]) -> Value {
        Value::Array(ids.iter().map(|id| json!({"id": id})).collect())
    }

    async fn answer(server: &MockServer, route: &str, query: Option<(&str, &str)>, response: ResponseTemplate) {
        let mock = Mock::given(method("GET")).and(path(format!("/v1{route}")));
        match query {
            Some((name, value)) => mock.and(query_param(name, value)).respond_with(response).mount(server).await,
            None => mock.respond_with(response).with_priority(10).mount(server).await,
        }
    }

    /// A client of the server, which stands in for `https://pages.example.test/v1`.
    fn client(server: &MockServer) -> Client {
        Client::builder().base_url(format!("{}/v1", server.uri())).retry(RetryPolicy::none()).build().unwrap()
    }

    async fn queries(server: &MockServer) -> Vec<String> {
        let requests = server.received_requests().await.unwrap();
        requests.iter().map(|r| format!("{}?{}", r.url.path(), r.url.query().unwrap_or_default())).collect()
    }

    #[tokio::test]
    async fn offsets_advance_by_the_items_seen_until_a_short_page() {
        let server = MockServer::start().await;
        let page = |ids: &[&str]| ResponseTemplate::new(200).set_body_json(json!({"data": items(ids)}));
        answer(&server, "/items/offset", Some(("offset", "2")), page(&["c", "d"])).await;
        answer(&server, "/items/offset", Some(("offset", "4")), page(&["e"])).await;
        answer(&server, "/items/offset", None, page(&["a", "b"])).await;
        let ids: Vec<String> = client(&server)
            .list_by_offset_items(&ListByOffsetParams::default())
            .map(|item| item.unwrap().id)
            .collect()
            .await;
        assert_eq!(ids, ["a", "b", "c", "d", "e"]);
        // The limit's default (2) tells a short page; a page of one is the last.
        assert_eq!(queries(&server).await, ["/v1/items/offset?", "/v1/items/offset?offset=2", "/v1/items/offset?offset=4"]);
    }

    #[tokio::test]
    async fn a_cursor_from_the_body_asks_for_the_next_page_until_there_is_none() {
        let server = MockServer::start().await;
        let first = json!({"items": items(&["a", "b"]), "meta": {"next_cursor": "c2"}});
        let last = json!({"items": items(&["c"]), "meta": {"next_cursor": null}});
        answer(&server, "/items/cursor", Some(("cursor", "c2")), ResponseTemplate::new(200).set_body_json(last)).await;
        answer(&server, "/items/cursor", None, ResponseTemplate::new(200).set_body_json(first)).await;
        let pages: Vec<_> = client(&server).list_by_cursor_pages(&ListByCursorParams::default()).collect().await;
        assert_eq!(pages.len(), 2);
        assert_eq!(queries(&server).await, ["/v1/items/cursor?", "/v1/items/cursor?cursor=c2"]);
    }

    #[tokio::test]
    async fn a_page_that_may_be_null_is_walked_and_null_is_an_empty_last_page() {
        let server = MockServer::start().await;
        let page = |ids: &[&str]| json!({"itemArray": items(ids), "totalPages": 3});
        answer(&server, "/items/maybe", Some(("pageNumber", "2")), ResponseTemplate::new(200).set_body_json(page(&["c"])))
            .await;
        let null = ResponseTemplate::new(200).set_body_json(json!(null));
        answer(&server, "/items/maybe", Some(("pageNumber", "3")), null).await;
        answer(&server, "/items/maybe", None, ResponseTemplate::new(200).set_body_json(page(&["a", "b"]))).await;
        let ids: Vec<String> = client(&server)
            .list_maybe_items(&ListMaybeParams::default())
            .map(|item| item.unwrap().id)
            .collect()
            .await;
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(
            queries(&server).await,
            ["/v1/items/maybe?", "/v1/items/maybe?pageNumber=2", "/v1/items/maybe?pageNumber=3"]
        );
    }

    #[tokio::test]
    async fn a_next_url_in_the_body_is_followed_on_the_same_server() {
        let server = MockServer::start().await;
        let first = json!({"results": items(&["a"]), "next": "/v1/items/url?after=a"});
        let last = json!({"results": items(&["b"]), "next": null});
        answer(&server, "/items/url", Some(("after", "a")), ResponseTemplate::new(200).set_body_json(last)).await;
        answer(&server, "/items/url", None, ResponseTemplate::new(200).set_body_json(first)).await;
        let ids: Vec<String> = client(&server).list_by_url_items().map(|item| item.unwrap().id).collect().await;
        assert_eq!(ids, ["a", "b"]);
        assert_eq!(queries(&server).await, ["/v1/items/url?", "/v1/items/url?after=a"]);
    }

    #[tokio::test]
    async fn the_link_header_is_followed_and_another_host_is_refused() {
        let server = MockServer::start().await;
        let uri = server.uri();
        let next = format!(r#"<{uri}/v1/repos/issues?per_page=2&page=2>; rel="next", <{uri}/v1/repos/issues?page=9>; rel="last""#);
        let first = ResponseTemplate::new(200).set_body_json(items(&["a", "b"])).insert_header("link", next.as_str());
        answer(&server, "/repos/issues", Some(("page", "2")), ResponseTemplate::new(200).set_body_json(items(&["c"]))).await;
        Mock::given(path("/v1/repos/issues")).and(query_param_is_missing("page")).respond_with(first).mount(&server).await;
        let params = ListIssuesParams { per_page: Some(2), ..Default::default() };
        let ids: Vec<String> = client(&server).list_issues_items(&params).map(|item| item.unwrap().id).collect().await;
        assert_eq!(ids, ["a", "b", "c"]);
        assert_eq!(queries(&server).await, ["/v1/repos/issues?per_page=2", "/v1/repos/issues?per_page=2&page=2"]);

        // A next link to another host is not followed: credentials stay with the API's server.
        let elsewhere = MockServer::start().await;
        let away = ResponseTemplate::new(200)
            .set_body_json(items(&["x"]))
            .insert_header("link", r#"<https://elsewhere.example.test/v1/repos/issues?page=2>; rel="next""#);
        Mock::given(method("GET")).respond_with(away).mount(&elsewhere).await;
        let results: Vec<_> = client(&elsewhere).list_issues_items(&ListIssuesParams::default()).collect().await;
        assert_eq!(results.len(), 2, "{results:?}");
        assert!(
            matches!(&results[1], Err(Error::InvalidRequest(reason)) if reason.contains("another server")),
            "{:?}",
            results[1]
        );
        assert_eq!(elsewhere.received_requests().await.unwrap().len(), 1);
    }
}
"##;

/// A crate that calls a generated operation with path values that are dot segments or empty:
/// each is refused before anything is sent, where an ordinary value is sent (and, with nothing
/// listening on the port, fails to connect).
const PATH_VALUES: &str = r#"//! Path values that URL parsing would rewrite.

#[cfg(test)]
mod tests {
    use construct_names::operations::GetItemParams;
    use construct_names::{Client, Error, RetryPolicy};

    #[tokio::test]
    async fn dot_segments_and_empty_values_are_refused_before_sending() {
        // Port 9 (discard): nothing listens, so a request that is sent fails to connect.
        let client = Client::builder().base_url("http://127.0.0.1:9").retry(RetryPolicy::none()).build().unwrap();
        for value in ["..", ".", ""] {
            let err = client.get_item(&GetItemParams::new(value)).await.unwrap_err();
            assert!(
                matches!(&err, Error::InvalidRequest(reason) if reason.contains("`item-id`")),
                "{value:?}: {err:?}"
            );
        }
        let sent = client.get_item(&GetItemParams::new("a..b")).await.unwrap_err();
        assert!(matches!(sent, Error::Transport(_)), "an ordinary value is sent: {sent:?}");
    }
}
"#;

/// The OAuth flow of a client whose token endpoint is not an operation (the standard RFC 6749
/// form request), against loopback servers: `every_server_url` moves the token request too, the
/// description's real token URL (resolved to a second loopback server) gets nothing, the request
/// carries the PKCE verifier and HTTP Basic client authentication, a refusal keeps the server's
/// reason, and a transport error names the token endpoint's path.
const OAUTH_LOOPBACK: &str = r##"
#[cfg(test)]
mod tests {
    use std::net::SocketAddr;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::sync::{Arc, Mutex};

    use construct_oauth_and_webhooks::oauth::{ClientAuth, CodeVerifier, OAuthApp, State, TokenError};
    use construct_oauth_and_webhooks::{Client, RetryPolicy, reqwest};
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::{TcpListener, TcpStream};

    type Requests = Arc<Mutex<Vec<String>>>;

    /// A server that answers every request with `status` and the JSON `body`: its URL, and the
    /// requests it got (head and body).
    async fn serve(status: &'static str, body: &'static str) -> (String, Requests) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let requests = Requests::default();
        let seen = Arc::clone(&requests);
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let request = read_request(&mut socket).await;
                seen.lock().unwrap().push(request);
                let response = format!(
                    "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = socket.write_all(response.as_bytes()).await;
            }
        });
        (url, requests)
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
                .find_map(|line| line.to_ascii_lowercase().strip_prefix("content-length:").map(|n| n.trim().parse().unwrap_or(0)))
                .unwrap_or(0);
            if request.len() >= end + 4 + length {
                break;
            }
        }
        String::from_utf8_lossy(&request).into_owned()
    }

    /// A server that only counts the connections made to it.
    async fn count_connections() -> (SocketAddr, Arc<AtomicUsize>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let address = listener.local_addr().unwrap();
        let connections = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&connections);
        tokio::spawn(async move {
            while listener.accept().await.is_ok() {
                counter.fetch_add(1, Ordering::SeqCst);
            }
        });
        (address, connections)
    }

    /// A client whose every server is `url`, and whose name resolution sends the description's
    /// own token server (`api.widgets.example`) to `real` instead of the internet.
    fn client(url: &str, real: SocketAddr) -> Client {
        let http = reqwest::Client::builder().resolve("api.widgets.example", real).build().unwrap();
        Client::builder().http_client(http).every_server_url(url).retry(RetryPolicy::none()).build().unwrap()
    }

    fn app() -> OAuthApp {
        OAuthApp::new("client 1", "s3cret:x").with_redirect_uri("https://app.example/cb")
    }

    /// The `name=value` pairs of a form body, as sent.
    fn form(request: &str) -> Vec<String> {
        let body = request.split("\r\n\r\n").nth(1).unwrap_or_default();
        let mut pairs: Vec<String> = body.split('&').map(str::to_owned).collect();
        pairs.sort();
        pairs
    }

    #[tokio::test]
    async fn the_code_goes_where_every_server_url_says_with_pkce_and_basic_authentication() {
        let tokens = r#"{"access_token": "at", "token_type": "Bearer", "refresh_token": "rt", "expires_in": 3600}"#;
        let (url, requests) = serve("200 OK", tokens).await;
        let (real, real_connections) = count_connections().await;
        let client = client(&url, real);

        // The app keeps the state and the verifier between the authorization and the callback.
        let (authorization_url, state, verifier) = app().authorize().unwrap().into_parts();
        let verifier = verifier.expect("PKCE");
        assert!(authorization_url.contains(&format!("&code_challenge={}&code_challenge_method=S256", verifier.challenge())));
        let (stored_state, stored_verifier) = (state.as_str().to_owned(), verifier.as_str().to_owned());
        let callback = format!("https://app.example/cb?code=the-code&state={stored_state}");
        let code = app()
            .callback(&State::from_stored(stored_state), &callback)
            .unwrap()
            .with_code_verifier(CodeVerifier::from_stored(stored_verifier.clone()));
        let tokens = client.exchange_code(&app(), &code).await.expect("tokens from the loopback server");
        assert_eq!(tokens.access_token().expose_secret(), "at");

        assert_eq!(real_connections.load(Ordering::SeqCst), 0, "the description's token URL got nothing");
        let request = requests.lock().unwrap()[0].clone();
        assert!(request.starts_with("POST /oauth/token HTTP/1.1\r\n"), "{request}");
        // base64("client%201:s3cret%3Ax"): the id and secret form-encoded first (RFC 6749 2.3.1).
        assert!(request.to_ascii_lowercase().contains("\r\nauthorization: basic y2xpzw50jtiwmtpzm2nyzxqlm0f4\r\n"), "{request}");
        let expected = [
            "client_id=client%201".to_owned(),
            "code=the-code".to_owned(),
            format!("code_verifier={stored_verifier}"),
            "grant_type=authorization_code".to_owned(),
            "redirect_uri=https%3A%2F%2Fapp.example%2Fcb".to_owned(),
        ];
        assert_eq!(form(&request), expected, "no client_secret in the body");
    }

    #[tokio::test]
    async fn a_refusal_keeps_the_servers_reason_and_body_authentication_is_a_choice() {
        let refusal = r#"{"error": "invalid_grant", "error_description": "redirect_uri mismatch"}"#;
        let (url, requests) = serve("400 Bad Request", refusal).await;
        let (real, real_connections) = count_connections().await;
        let app = app().with_client_auth(ClientAuth::Body);
        let refresh_token = construct_oauth_and_webhooks::SecretString::new("the-refresh-token");
        let err = client(&url, real).refresh_access_token(&app, &refresh_token).await.unwrap_err();
        let TokenError::ReauthorizationRequired { reason: Some(reason), .. } = &err else { panic!("{err:?}") };
        assert_eq!((reason.error.as_str(), reason.error_description.as_deref()), ("invalid_grant", Some("redirect_uri mismatch")));
        assert!(err.to_string().contains("(400 Bad Request: invalid_grant: redirect_uri mismatch)"), "{err}");
        assert_eq!(real_connections.load(Ordering::SeqCst), 0);
        let request = requests.lock().unwrap()[0].clone();
        assert!(!request.to_ascii_lowercase().contains("\r\nauthorization:"), "{request}");
        let pairs = form(&request);
        assert!(pairs.contains(&"client_secret=s3cret%3Ax".to_owned()), "{pairs:?}");
        assert!(pairs.contains(&"refresh_token=the-refresh-token".to_owned()), "{pairs:?}");
    }

    #[tokio::test]
    async fn a_transport_error_names_the_token_endpoints_path() {
        let (real, _) = count_connections().await;
        let code = app().callback(&State::from_stored("s"), "code=c&state=s").unwrap();
        let err = client("http://127.0.0.1:9", real).exchange_code(&app(), &code).await.unwrap_err();
        assert!(matches!(err, TokenError::Unavailable(_)), "{err:?}");
        assert!(err.to_string().contains("POST /oauth/token on 127.0.0.1:9 (operation oauth2TokenRequest)"), "{err}");
    }
}
"##;

/// A crate that depends on two generated clients and gives both one `RetryPolicy` and one
/// token holder (a `TokenProvider`) made with one of them.
const TWO_CLIENTS: &str = r#"//! Two generated clients in one program.

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use construct_oauth_and_webhooks as widgets;
    use construct_openapi as dropbox;

    #[test]
    fn one_retry_policy_and_one_token_provider_serve_both_clients() {
        let policy: openapi_gen_runtime::RetryPolicy =
            dropbox::RetryPolicy::default().max_attempts(2).initial_backoff(Duration::from_millis(10));
        let app_client = dropbox::Client::builder().retry(policy.clone()).build().unwrap();
        let app = dropbox::oauth::OAuthApp::new("client id", "client secret");
        let holder: dropbox::oauth::TokenHolder =
            dropbox::oauth::TokenHolder::builder(app_client, app, dropbox::oauth::Tokens::new("token")).build();
        // The same types, whichever crate names them.
        let shared: widgets::oauth::TokenHolder = holder.clone();
        let widgets_policy: widgets::RetryPolicy = policy.clone();
        let secret: widgets::SecretString = dropbox::SecretString::new("s");
        assert_eq!(format!("{secret:?}"), "[REDACTED]");
        dropbox::Client::builder().retry(policy).oauth2_token_provider(holder).build().unwrap();
        widgets::Client::builder().retry(widgets_policy).widgets_oauth_token_provider(shared).build().unwrap();
    }
}
"#;

fn generate_with(spec: &Path, crate_name: &str, runtime: Runtime) -> GeneratedCrate {
    generate_with_formats(spec, crate_name, runtime, FormatOptions::default())
}

fn generate_with_formats(spec: &Path, crate_name: &str, runtime: Runtime, formats: FormatOptions) -> GeneratedCrate {
    let options = Options { runtime, formats, ..construct_options(spec, crate_name) };
    openapi_gen::generate(spec, &options).unwrap_or_else(|err| panic!("{err}"))
}

/// `spec` generated with a feature per tag and its models in crates of their own.
fn generate_split(spec: &Path, crate_name: &str) -> GeneratedCrate {
    let options = Options {
        runtime: runtime_crate(),
        tag_features: true,
        split_crates: openapi_gen::SplitCrates::Always,
        ..construct_options(spec, crate_name)
    };
    openapi_gen::generate(spec, &options).unwrap_or_else(|err| panic!("{err}"))
}

/// The options a construct spec is generated with: example tests, a feature per tag for the
/// `tag_features*` specs.
fn construct_options(spec: &Path, crate_name: &str) -> Options {
    Options {
        crate_name: crate_name.to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: format!("tests/specs/{}", spec.file_name().unwrap().to_string_lossy()),
        example_tests: true,
        regenerate_command: "cargo test -p workspace-tests --test generator_constructs".to_owned(),
        tag_features: spec.file_stem().is_some_and(|stem| stem.to_string_lossy().starts_with("tag_features")),
        ..Options::default()
    }
}

fn api_of(name: &str) -> (Api, Vec<String>) {
    let document = load::load_file(&specs_dir().join(name)).unwrap();
    let (api, warnings) = ir::build_with_examples(&document).unwrap();
    (api, warnings.iter().map(ToString::to_string).collect())
}

fn type_named<'a>(api: &'a Api, name: &str) -> &'a TypeDef {
    api.types.iter().find(|def| def.name == name).unwrap_or_else(|| panic!("no type {name}"))
}

/// The reference to the type of `api` named `name`.
fn named(api: &Api, name: &str) -> TypeRef {
    TypeRef::Named(api.id_named(name).unwrap_or_else(|| panic!("no type {name}")))
}

fn field_of<'a>(api: &'a Api, type_name: &str, field: &str) -> &'a ir::Field {
    let TypeKind::Struct(body) = &type_named(api, type_name).kind else { panic!("{type_name} is not a struct") };
    body.fields.iter().find(|f| f.wire_name == field).unwrap_or_else(|| panic!("no field {field}"))
}

#[test]
fn openapi_31_null_const_and_type_lists() {
    let (api, _) = api_of("nullable_31.yaml");
    let label = field_of(&api, "Thing", "label");
    assert!(label.required && label.nullable && label.ty == TypeRef::String);
    assert_eq!(label.rust_type(), TypeRef::Option(Box::new(TypeRef::String)));
    let note = field_of(&api, "Thing", "note");
    // Optional and nullable; `Thing` is only received, where absent and `null` are both `None`.
    assert!(note.nullable && note.null_is_absent);
    assert_eq!(note.rust_type(), TypeRef::Option(Box::new(TypeRef::String)));
    let count = field_of(&api, "Thing", "count");
    assert_eq!(count.rust_type(), TypeRef::Option(Box::new(TypeRef::I64)));
    let parent = field_of(&api, "Thing", "parent");
    assert!(parent.nullable, "oneOf with a null member is nullable");
    assert_eq!(parent.ty, named(&api, "Ref"));
    let TypeKind::Enum(kind) = &type_named(&api, "ThingKind").kind else { panic!("const is a one-value enum") };
    assert_eq!(kind.variants[0].wire_value, "thing");
    let TypeKind::Union(score) = &type_named(&api, "ThingScore").kind else { panic!("a type list is a union") };
    assert_eq!(score.variants.iter().map(|v| v.ty.clone()).collect::<Vec<_>>(), [TypeRef::F64, TypeRef::String]);
}

#[test]
fn composition_merges_tags_and_boxes() {
    let (api, warnings) = api_of("composition.yaml");
    let TypeKind::Struct(cat) = &type_named(&api, "Cat").kind else { panic!("allOf of objects is a struct") };
    let names: Vec<&str> = cat.fields.iter().map(|f| f.wire_name.as_str()).collect();
    assert_eq!(names, ["name", "pet_type", "indoor"]);
    assert!(cat.fields[0].required && cat.fields[1].required && !cat.fields[2].required);
    let TypeKind::Union(pet) = &type_named(&api, "Pet").kind else { panic!("oneOf is a union") };
    assert_eq!(pet.tag.as_deref(), Some("pet_type"));
    assert_eq!(pet.variants[0].tag_values, ["cat"]);
    let TypeKind::Union(id_or_name) = &type_named(&api, "IdOrName").kind else { panic!("anyOf is a union") };
    assert_eq!(id_or_name.tag, None);
    // Vec already allocates; a direct self-reference must be boxed, and so must one side of a
    // mutual recursion.
    assert_eq!(field_of(&api, "Tree", "children").ty, TypeRef::Vec(Box::new(named(&api, "Tree"))));
    assert_eq!(field_of(&api, "Tree", "next").ty, TypeRef::Boxed(Box::new(named(&api, "Tree"))));
    assert!(matches!(field_of(&api, "Ping", "pong").ty, TypeRef::Boxed(_)));
    assert_eq!(
        warnings,
        ["warning: #/components/schemas/Unsupported: `not` schemas are not supported; typed as any JSON value"]
    );
    assert!(matches!(type_named(&api, "Unsupported").kind, TypeKind::Alias(TypeRef::Json)));
}

#[test]
fn discriminated_base_schemas_are_unions_of_their_subtypes() {
    let (api, _) = api_of("composition.yaml");
    let TypeKind::Union(fields) = &type_named(&api, "FieldBase").kind else { panic!("FieldBase is a union") };
    assert_eq!(fields.tag.as_deref(), Some("type"));
    let variants: Vec<_> = fields.variants.iter().map(|v| (v.name.as_str(), v.tag_values.clone())).collect();
    assert_eq!(
        variants,
        [("Text", vec!["text".to_owned()]), ("Checkbox", vec!["checkbox".to_owned(), "check".to_owned()])]
    );
    assert_eq!(fields.unknown_variant.as_deref(), Some("Unknown"));
    // The subtypes keep the base's properties.
    assert!(field_of(&api, "FieldText", "x").required);
    assert_eq!(field_of(&api, "FieldCheckbox", "checked").ty, ir::TypeRef::Bool);

    let TypeKind::Union(shape) = &type_named(&api, "Shape").kind else { panic!("Shape is a union") };
    let values: Vec<_> = shape.variants.iter().map(|v| v.tag_values.clone()).collect();
    assert_eq!(values, [vec!["Circle".to_owned()], vec!["Square".to_owned()]], "implicit mapping by schema name");
}

#[test]
fn external_refs_are_brought_in_relative_to_their_file() {
    let (api, warnings) = api_of("external_refs.yaml");
    let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    assert_eq!(names, ["Error2", "ErrorModel", "Node", "Pet", "Tag"], "{warnings:#?}");
    // A local reference inside an external file points into that file.
    assert_eq!(field_of(&api, "Pet", "tag").ty, named(&api, "Tag"));
    // A cycle through files ends in one type that refers to itself.
    assert_eq!(field_of(&api, "Node", "next").ty, ir::TypeRef::Boxed(Box::new(named(&api, "Node"))));
    // The external `Error` does not replace ours.
    assert!(field_of(&api, "ErrorModel", "ours").ty == ir::TypeRef::Bool);
    assert!(field_of(&api, "Error2", "message").required);
    let list_pets = api.operations.iter().find(|op| op.operation_id == "listPets").unwrap();
    assert_eq!(list_pets.params.as_ref().unwrap().params[0].wire_name, "limit");
    assert_eq!(list_pets.error_type, named(&api, "Error2"));
    assert!(api.operations.iter().any(|op| op.operation_id == "listNodes"), "a path item from another file");
    // An example in another file is read relative to the document, and typed by its response.
    let example = api.examples.iter().find(|e| e.test_name == "list_pets_response_200_one").expect("the example");
    assert_eq!(example.value, serde_json::json!([{"name": "Rex", "tag": "dog"}]));
    assert_eq!(example.ty, ir::TypeRef::Vec(Box::new(named(&api, "Pet"))));
    assert!(warnings.is_empty(), "{warnings:#?}");

    // Without a file to be relative to, external references are left with a warning, and the
    // one a parameter needs stops the build with its place named.
    let text = std::fs::read_to_string(specs_dir().join("external_refs.yaml")).unwrap();
    let document = load::load_str(&text, "inline.yaml").unwrap();
    let warnings: Vec<String> = document.warnings.iter().map(ToString::to_string).collect();
    assert!(warnings.iter().any(|w| w.contains("external $ref") && w.contains("no file path")), "{warnings:#?}");
    let err = ir::build(&document).unwrap_err().to_string();
    assert!(err.contains("#/paths/~1pets/get/parameters/0") && err.contains("external $ref"), "{err}");
}

/// OpenAPI 3.2's `$self` is the document's base URI: a reference by URL to the document itself
/// is local, a URL on its host is the file at the same place relative to the document, and a URL
/// elsewhere is left with a warning at its place.
#[test]
fn references_resolve_against_self() {
    let (api, warnings) = api_of("self_uri.yaml");
    let names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    assert_eq!(names, ["Node", "Owned", "Pet", "Tag"], "{warnings:#?}");
    let list_pets = &api.operations[0];
    assert!(
        matches!(&list_pets.success, ir::ResponseBody::Json(ir::TypeRef::Vec(item)) if **item == named(&api, "Owned"))
    );
    assert_eq!(list_pets.params.as_ref().unwrap().params[0].wire_name, "limit", "from external/common.yaml");
    assert_eq!(field_of(&api, "Owned", "pet").ty, named(&api, "Pet"));
    let elsewhere = "#/components/schemas/Owned/properties/elsewhere";
    assert!(!warnings.is_empty() && warnings.iter().all(|w| w.contains(&format!(": {elsewhere}: "))), "{warnings:#?}");
    assert!(warnings.iter().any(|w| w.contains("is a URL; only files are resolved")), "{warnings:#?}");
}

#[test]
fn names_are_rust_identifiers_without_collisions() {
    let (api, _) = api_of("names.yaml");
    let type_names: Vec<&str> = api.types.iter().map(|def| def.name.as_str()).collect();
    assert!(type_names.contains(&"ErrorModel") && type_names.contains(&"ErrorModel2"), "{type_names:?}");
    assert!(type_names.contains(&"OptionModel"), "{type_names:?}");
    let TypeKind::Struct(error) = &type_named(&api, "ErrorModel").kind else { panic!() };
    let fields: Vec<&str> = error.fields.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(fields, ["r#type", "self_", "field_3d", "id", "field", "date_format", "nested"]);
    let TypeKind::Enum(formats) = &type_named(&api, "ErrorModelDateFormat").kind else { panic!() };
    let variants: Vec<&str> = formats.variants.iter().map(|v| v.name.as_str()).collect();
    assert_eq!(variants, ["MmDdYyyy", "MmDdYyyy2", "MmDdYyyy3", "Value", "Value1st", "Unknown"]);
    assert_eq!(formats.unknown_variant, "UnknownValue");
    assert!(type_names.contains(&"ErrorModelNestedDeep"), "nested inline objects are named from their place");
    let operation = &api.operations[0];
    assert_eq!(operation.methods[0].name, "get_item");
    let params = &operation.params.as_ref().unwrap().params;
    assert_eq!(params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["item_id", "r#type"]);
}

#[test]
fn operations_parameters_bodies_and_responses() {
    let (api, warnings) = api_of("operations.yaml");
    assert_eq!(api.default_server.url, "https://eu.example.test/v2", "server variables take their defaults");
    let download = &api.operations[0];
    let params = &download.params.as_ref().unwrap().params;
    let summary: Vec<(&str, ParamLocation, Style, bool)> =
        params.iter().map(|p| (p.wire_name.as_str(), p.location, p.style, p.explode)).collect();
    assert_eq!(
        summary,
        [
            ("file_id", ParamLocation::Path, Style::Simple, false),
            ("tags", ParamLocation::Query, Style::Form, false),
            ("filter", ParamLocation::Query, Style::DeepObject, false),
            ("X-Request-Id", ParamLocation::Header, Style::Simple, false),
            ("session", ParamLocation::Cookie, Style::Form, true),
        ]
    );
    assert!(matches!(download.success, ResponseBody::Bytes));
    assert_eq!(download.security, [vec!["header_key".to_owned()], vec![]]);
    let problem = api
        .types
        .iter()
        .find(|def| def.pointer.as_str() == "#/components/responses/Problem/content/application~1problem+json/schema")
        .expect("the Problem response's inline schema is a named type");
    assert_eq!(download.error_type, named(&api, &problem.name));
    let upload = &api.operations[1];
    assert_eq!(upload.security, [vec!["query_key".to_owned()]]);
    assert!(matches!(upload.methods[0].body.as_ref().unwrap().encoding, BodyEncoding::Bytes));
    assert!(matches!(upload.success, ResponseBody::Empty));
    let notes = &api.operations[2];
    let method_names: Vec<&str> = notes.methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(method_names, ["post_notes", "post_notes_form"]);
    assert!(matches!(notes.success, ResponseBody::Text), "2XX range is the success response");
    let duplicate: Vec<&str> = api.operations[3..5].iter().map(|op| op.methods[0].name.as_str()).collect();
    assert_eq!(duplicate, ["delete_note", "delete_note_2"]);
    // A JSON method whose body may hold a file sends it through the multipart method.
    let logo: Vec<&str> = api.operations[5].methods.iter().map(|m| m.name.as_str()).collect();
    assert_eq!(logo, ["set_logo", "set_logo_multipart"]);
    let operations = generate(&specs_dir().join("operations.yaml")).files["src/operations.rs"].clone();
    assert!(operations.contains("if body.is_some_and(|body| body.file.is_some()) {"), "no closure for one file");
    assert!(matches!(api.operations[4].methods[0].body.as_ref().unwrap().encoding, BodyEncoding::Json));
    assert_eq!(api.response_headers.iter().map(|h| h.wire_name.as_str()).collect::<Vec<_>>(), ["X-Checksum"]);
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    assert!(warnings[0].contains("#/paths/~1notes/post: no operationId"), "{warnings:?}");
    assert!(warnings[1].contains("\"deleteNote\" is used twice"), "{warnings:?}");
}

#[test]
fn maps_formats_and_secrets() {
    let (api, _) = api_of("maps_and_formats.yaml");
    let TypeKind::Struct(record) = &type_named(&api, "Record").kind else { panic!() };
    assert_eq!(record.additional_properties, Some(TypeRef::I64));
    let ty = |name: &str| field_of(&api, "Record", name).ty.clone();
    assert_eq!(ty("attributes"), TypeRef::Map(Box::new(TypeRef::String)));
    assert_eq!(ty("metadata"), TypeRef::Map(Box::new(TypeRef::Json)));
    assert_eq!(ty("password"), TypeRef::Secret, "format: password is kept out of Debug");
    assert_eq!(ty("ratio"), TypeRef::F32);
    assert_eq!(ty("weight"), TypeRef::F64);
    assert_eq!(ty("small"), TypeRef::I32);
    assert_eq!(ty("matrix"), TypeRef::Vec(Box::new(TypeRef::Vec(Box::new(TypeRef::Option(Box::new(TypeRef::F64)))))));
    assert!(field_of(&api, "Record", "id").read_only);
    assert!(!field_of(&api, "Record", "id").required, "a required read-only field is not needed in requests");
    assert!(field_of(&api, "Record", "attributes").required);
    assert!(field_of(&api, "Record", "password").write_only);
    let TypeKind::Enum(color) = &type_named(&api, "RecordColor").kind else { panic!() };
    assert_eq!(color.default_variant.as_deref(), Some("Green"));
}

#[test]
fn oauth_flows_webhooks_and_rate_limit_headers() {
    let (api, warnings) = api_of("oauth_and_webhooks.yaml");
    let flow = api.oauth.as_ref().expect("the authorizationCode flow");
    assert_eq!(flow.scheme, "widgets_oauth");
    assert_eq!(flow.authorization_url, "https://auth.widgets.example/authorize");
    assert_eq!(flow.token_url, "https://api.widgets.example/oauth/token", "relative to the server's origin");
    assert!(matches!(&flow.exchange, ir::TokenCall::Standard { url, .. } if url == &flow.token_url));
    let scopes: Vec<_> = flow.scopes.iter().map(|s| (s.const_name.as_str(), s.value.as_str())).collect();
    assert_eq!(scopes, [("WIDGETS_READ", "widgets.read"), ("WIDGETS_WRITE", "widgets.write")]);
    assert!(warnings.iter().any(|w| w.contains("#/components/securitySchemes/partner_oauth")), "{warnings:#?}");

    let names: Vec<_> = api.webhooks.iter().map(|w| w.fn_name.as_str()).collect();
    assert_eq!(names, ["widget_changed", "widget_deleted"]);
    let changed = &api.webhooks[0];
    assert_eq!(changed.payload, named(&api, "WidgetEvent"));
    let signature = changed.signature.as_ref().expect("signed");
    assert_eq!(
        (signature.message.as_slice(), signature.encoding.as_str()),
        (&["/id".to_owned(), "/changed_at".to_owned()][..], "base64")
    );
    let deleted = &api.webhooks[1];
    assert_eq!(deleted.payload_field.as_deref(), Some("payload"), "a form's one field carries the JSON");
    assert!(deleted.signature.is_none());
    assert_eq!(deleted.acknowledgement.as_deref(), Some("ok"));
    assert!(
        warnings.iter().any(|w| w.contains("#/x-webhooks/widgetDeleted/post/x-webhook-signature") && w.contains("md5")),
        "{warnings:#?}"
    );
    assert_eq!(api.rate_limit_reset_header.as_deref(), Some("RateLimit-Reset"));
}

/// Our spec's flow goes through its own token operations, not a generic request.
#[test]
fn our_spec_binds_the_oauth_flow_to_its_token_operations() {
    let document = load::load_file(&specs_dir().join("../../spec/openapi.yaml")).unwrap();
    let (api, _) = ir::build(&document).unwrap();
    let flow = api.oauth.expect("our spec has an authorizationCode flow");
    let ir::TokenCall::Operation { operation_id, fields, .. } = &flow.exchange else { panic!("{:?}", flow.exchange) };
    assert_eq!(operation_id, "oauthTokenGenerate");
    assert_eq!(fields, &["client_id", "client_secret", "code", "grant_type", "state"]);
    let ir::TokenCall::Operation { operation_id, .. } = &flow.refresh else { panic!("{:?}", flow.refresh) };
    assert_eq!(operation_id, "oauthTokenRefresh");
    assert_eq!(flow.refresh_url.as_deref(), Some("https://app.hellosign.com/oauth/token?refresh"));
    assert_eq!(api.rate_limit_reset_header.as_deref(), Some("X-Ratelimit-Reset"));
    assert!(api.webhooks[0].signature.is_some());
}

#[test]
fn absent_and_null_stay_apart_only_in_what_is_sent() {
    let document = load::load_file(&specs_dir().join("../../spec/openapi.yaml")).unwrap();
    let (api, _) = ir::build(&document).unwrap();
    let option = |ty: TypeRef| TypeRef::Option(Box::new(ty));
    // Sent: `expires_at: null` clears the expiry, absent leaves it alone.
    let expires_at = field_of(&api, "SignatureRequestSendRequest", "expires_at");
    assert!(!expires_at.null_is_absent);
    assert_eq!(expires_at.rust_type(), option(option(TypeRef::I64)));
    // Only received: `signer_role` absent or `null` is `None` alike.
    let signer_role = field_of(&api, "SignatureRequestResponseSignatures", "signer_role");
    assert!(signer_role.nullable && signer_role.null_is_absent);
    assert_eq!(signer_role.rust_type(), option(TypeRef::String));
    let generated = generate(&specs_dir().join("../../spec/openapi.yaml"));
    assert!(generated.files["src/models.rs"].contains("\"signer_role\" optional => pub signer_role: Option<String>,"));
    assert!(
        generated.files["src/example_tests.rs"]
            .contains("round_trip_received::<\n        SignatureRequestGetResponse,\n    >")
    );
}

#[test]
fn a_patch_body_keeps_null_apart_from_absent() {
    let (api, _) = api_of("patch_nullable.yaml");
    let option = |ty: TypeRef| TypeRef::Option(Box::new(ty));
    assert_eq!(field_of(&api, "ProfilePatch", "nickname").rust_type(), option(option(TypeRef::String)));
    assert_eq!(field_of(&api, "Profile", "nickname").rust_type(), option(TypeRef::String));
    let generated = generate(&specs_dir().join("patch_nullable.yaml"));
    let models = &generated.files["src/models.rs"];
    assert!(models.contains("\"nickname\" nullable => pub nickname: Option<Option<String>>,"), "{models}");
    assert!(models.contains("\"nickname\" optional => pub nickname: Option<String>,"), "{models}");
    // The request example's `null` must come back `null`, the response example's may come back absent.
    let tests = &generated.files["src/example_tests.rs"];
    assert!(tests.contains("round_trip::<ProfilePatch>"), "{tests}");
    assert!(tests.contains("round_trip_received::<Profile>"), "{tests}");
}

#[test]
fn credentials_are_secret_and_alike_required_fields_are_passed_by_name() {
    let document = load::load_file(&specs_dir().join("../../spec/openapi.yaml")).unwrap();
    let (api, _) = ir::build(&document).unwrap();
    // The authorization code is a credential like the client secret, though its name says nothing.
    assert_eq!(field_of(&api, "OAuthTokenGenerateRequest", "code").ty, TypeRef::Secret);
    assert_eq!(field_of(&api, "OAuthTokenRefreshRequest", "refresh_token").ty, TypeRef::Secret);
    // Two `String`s and two secrets: positional arguments, two of a kind at most.
    let TypeKind::Struct(token_request) = &type_named(&api, "OAuthTokenGenerateRequest").kind else { panic!() };
    assert_eq!(token_request.required_fields, None);
    // Three required `String`s: `new` takes them by name.
    let TypeKind::Struct(attachment) = &type_named(&api, "SignatureRequestResponseAttachment").kind else { panic!() };
    assert_eq!(attachment.required_fields.as_deref(), Some("SignatureRequestResponseAttachmentRequired"));
    let generated = generate(&specs_dir().join("../../spec/openapi.yaml"));
    let models = &generated.files["src/models.rs"];
    // (`object_serde!` makes `new` destructure it, and `From` it.)
    assert!(models.contains("    fn new(required: SignatureRequestResponseAttachmentRequired);\n"), "{models}");
    assert!(models.contains("    pub struct SignatureRequestResponseAttachmentRequired {\n"), "{models}");
}

#[test]
fn models_implement_the_serde_direction_they_cross_the_wire_in() {
    let document = load::load_file(&specs_dir().join("../../spec/openapi.yaml")).unwrap();
    let (api, _) = ir::build(&document).unwrap();
    let usage = |name: &str| {
        let usage = type_named(&api, name).usage;
        (usage.sent, usage.received)
    };
    assert_eq!(usage("SignatureRequestSendRequest"), (true, false), "a request body");
    assert_eq!(usage("SubSignatureRequestSigner"), (true, false), "inside a request body");
    assert_eq!(usage("SignatureRequestListResponse"), (false, true), "a response body");
    assert_eq!(usage("ListInfoResponse"), (false, true), "inside a response body");
    assert_eq!(usage("ErrorResponse"), (false, true), "an error body");
    assert_eq!(usage("EventCallbackRequest"), (false, true), "a webhook payload");
    // The token calls decode their body from RFC 6749 parameters and read the token response
    // by serializing it.
    assert_eq!(usage("OAuthTokenGenerateRequest"), (true, true));
    assert_eq!(usage("OAuthTokenResponse"), (true, true));

    let unused = "openapi: 3.1.0\ninfo: {title: T, version: '1'}\npaths:\n  /things:\n    get:\n      \
                  operationId: listThings\n      responses:\n        '200':\n          description: ok\n          \
                  content:\n            application/json:\n              schema: {$ref: '#/components/schemas/Thing'}\n\
                  components:\n  schemas:\n    Thing:\n      type: object\n      properties:\n        \
                  part: {$ref: '#/components/schemas/Part'}\n    Part:\n      type: object\n      \
                  properties: {name: {type: string}}\n    Spare:\n      type: object\n      properties:\n        \
                  part: {$ref: '#/components/schemas/Part'}\n";
    let (api, _) = ir::build(&load::load_str(unused, "unused.yaml").unwrap()).unwrap();
    let usage = |name: &str| {
        let usage = type_named(&api, name).usage;
        (usage.sent, usage.received)
    };
    assert_eq!(usage("Thing"), (false, true));
    assert_eq!(usage("Spare"), (true, true), "nothing uses it: the user may need either way");
    assert_eq!(usage("Part"), (true, true), "held by a type that gets both");
}

#[test]
fn keywords_in_every_spelling_are_identifiers() {
    let (api, _) = api_of("keywords.yaml");
    let TypeKind::Enum(values) = &type_named(&api, "SelfModel").kind else { panic!("`Self` is a string enum") };
    let variant = |wire: &str| values.variants.iter().find(|v| v.wire_value == wire).unwrap().name.clone();
    assert_eq!([variant("self"), variant("SELF"), variant("Self")], ["Self_", "Self2", "Self3"]);
    assert_eq!([variant("type"), variant("crate"), variant("_")], ["Type", "Crate", "Value"]);
    assert_eq!(field_of(&api, "SelfModel2", "self").name, "self_");
    assert_eq!(field_of(&api, "SelfModel2", "SELF").name, "self_2");
    assert_eq!(field_of(&api, "SelfModel2", "Self").name, "self_3");
    assert_eq!(field_of(&api, "SelfModel2", "type").name, "r#type");
    assert_eq!(field_of(&api, "SelfModel2", "gen").name, "r#gen");
    let methods: Vec<&str> = api.operations.iter().map(|op| op.methods[0].name.as_str()).collect();
    assert_eq!(methods, ["self_", "self_2", "super_", "crate_", "r#type", "r#gen"]);
    let path_param = &api.operations[0].params.as_ref().unwrap().params[0];
    assert_eq!((path_param.name.as_str(), path_param.wire_name.as_str()), ("self_", "self"));
}

#[test]
fn reference_shapes_load_and_compile() {
    let (api, warnings) = api_of("reference_shapes.yaml");
    // An object without properties is one open map, reached directly or through `allOf`.
    let map = TypeRef::Map(Box::new(TypeRef::Json));
    assert!(matches!(&type_named(&api, "Empty").kind, TypeKind::Alias(ty) if *ty == map));
    assert_eq!(field_of(&api, "Subscription", "direct").ty, named(&api, "Empty"));
    assert_eq!(field_of(&api, "Subscription", "composed").ty, named(&api, "Empty"));
    assert_eq!(field_of(&api, "Subscription", "closed").ty, map);
    // A cycle made only of references is any JSON value, with a warning at each schema on it.
    for name in ["Loop", "LoopBack", "Ring1", "Ring2", "Ring3"] {
        assert!(matches!(type_named(&api, name).kind, TypeKind::Alias(TypeRef::Json)), "{name}");
        let at =
            format!("warning: #/components/schemas/{name}: this schema leads back to itself only through references");
        assert!(warnings.iter().any(|w| w.starts_with(&at)), "{name}: {warnings:?}");
    }
    assert_eq!(field_of(&api, "HoldsRing", "ring").ty, named(&api, "Ring1"));
    // Callbacks, inline and referenced, are payload parsers like webhooks; one that points to
    // nothing is left out with a warning that names it.
    let callbacks: Vec<(&str, &str)> = api.webhooks.iter().map(|w| (w.name.as_str(), w.fn_name.as_str())).collect();
    assert_eq!(callbacks, [("onEvent", "event_happened"), ("onBare", "on_bare"), ("onInline", "on_inline")]);
    // Maps whose values are the map itself (through `allOf`) end in JSON values, not in a loop.
    assert!(matches!(&type_named(&api, "SelfMap").kind, TypeKind::Alias(ty) if *ty == map));
    assert!(matches!(&type_named(&api, "TwiceSelfMap").kind, TypeKind::Alias(TypeRef::Map(_))));
    assert!(warnings.iter().any(|w| w.contains("an `allOf` of maps that contains itself")), "{warnings:?}");
    assert!(api.webhooks.iter().all(|w| w.payload == named(&api, "Notice")));
    assert!(
        warnings.iter().any(|w| w.starts_with("warning: #/paths/~1subscriptions/post/callbacks/onMissing: ")
            && w.contains("points to nothing; the callback is left out")),
        "{warnings:?}"
    );
}

/// The standard token request goes to one of the client's servers, so that `every_server_url`
/// and `server_url` move it (and the client secret and code it carries) like any operation; its
/// path is its own, for the traces and transport errors that name it.
#[test]
fn the_standard_token_request_is_on_a_server_the_builder_moves() {
    let (api, _) = api_of("oauth_and_webhooks.yaml");
    let flow = api.oauth.as_ref().expect("the authorizationCode flow");
    let ir::TokenCall::Standard { server, path, query, .. } = &flow.exchange else { panic!("{:?}", flow.exchange) };
    assert_eq!((server.as_str(), path.as_str(), query), ("https://api.widgets.example", "/oauth/token", &None));
    let token_server = api.extra_servers.iter().find(|s| &s.url == server).expect("the token URL's origin is a server");
    assert_eq!(token_server.const_name, "API_WIDGETS_EXAMPLE");
    let generated = generate(&specs_dir().join("oauth_and_webhooks.yaml"));
    assert!(generated.files["src/client.rs"].contains("servers: &[servers::DEFAULT, servers::API_WIDGETS_EXAMPLE]"));
    let oauth = &generated.files["src/oauth.rs"];
    assert!(
        oauth.contains("path_template: \"/oauth/token\",\n    server: \"https://api.widgets.example\","),
        "{oauth}"
    );
    assert!(oauth.contains("const PKCE: bool = true;"), "the standard request carries the verifier");

    // A token URL under a server of the description stays on it, its literal query apart.
    let dir = tempfile::tempdir().unwrap();
    let spec = dir.path().join("token_under_server.yaml");
    std::fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: T, version: '1'}\nservers: [{url: 'https://api.example.test/v2'}]\n\
         paths: {}\ncomponents:\n  securitySchemes:\n    oauth:\n      type: oauth2\n      flows:\n        \
         authorizationCode:\n          authorizationUrl: https://api.example.test/authorize\n          \
         tokenUrl: https://api.example.test/v2/oauth/token?grant\n          scopes: {}\n",
    )
    .unwrap();
    let (api, _) = ir::build(&load::load_file(&spec).unwrap()).unwrap();
    let flow = api.oauth.as_ref().expect("the flow");
    let ir::TokenCall::Standard { server, path, query, .. } = &flow.exchange else { panic!("{:?}", flow.exchange) };
    assert_eq!((server.as_str(), path.as_str()), ("https://api.example.test/v2", "/oauth/token"));
    assert_eq!(query.as_deref(), Some("grant"));
    assert!(api.extra_servers.is_empty(), "{:?}", api.extra_servers);
}

/// With one `oauth2` scheme, whatever its name, the token-provider methods are
/// `oauth2_token_provider` and `with_oauth2_token_provider`, as the README writes them; with two,
/// each keeps the scheme's name, so that neither is ambiguous.
#[test]
fn the_token_provider_of_the_only_oauth2_scheme_is_named_for_oauth2() {
    let client = &generate(&specs_dir().join("oauth_optional_body.yaml")).files["src/client.rs"];
    assert!(client.contains("pub fn oauth2_token_provider("), "{client}");
    assert!(client.contains("pub fn with_oauth2_token_provider("), "{client}");
    assert!(client.contains("pub fn oauth(self, token: impl Into<SecretString>)"), "the token setter keeps its name");
    let two_schemes = &generate(&specs_dir().join("oauth_and_webhooks.yaml")).files["src/client.rs"];
    for method in ["fn with_widgets_oauth_token_provider(", "fn with_partner_oauth_token_provider("] {
        assert!(two_schemes.contains(method), "{method}");
    }
    assert!(!two_schemes.contains("oauth2_token_provider"));
}

/// The token operation of our spec takes the client secret in its body (a required property) and
/// has no `code_verifier`: the exchange authenticates in the body and the flow does without PKCE.
#[test]
fn a_token_operation_decides_client_authentication_and_pkce_by_its_body() {
    let oauth = &generate(&specs_dir().join("../../spec/openapi.yaml")).files["src/oauth.rs"];
    assert!(oauth.contains("const PKCE: bool = false;"), "{oauth}");
    assert!(oauth.contains("let client_auth = ClientAuth::Body;"), "the exchange body requires client_secret");
    assert!(
        oauth.contains("let client_auth = app.client_auth().unwrap_or(ClientAuth::Body);"),
        "the refresh's is optional"
    );
    let optional = &generate(&specs_dir().join("oauth_optional_body.yaml")).files["src/oauth.rs"];
    assert!(optional.contains("const PKCE: bool = false;"), "{optional}");
}

/// A cycle of references used from every place a reference can stand: generation ends (a
/// walk that followed it for ever would hang, or overflow the stack), with a warning at each
/// schema on the cycle, and the uses are any JSON value.
#[test]
fn reference_cycles_used_from_every_place_end_with_a_warning() {
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(move || done.send(api_of("reference_cycles.yaml")).unwrap())
        .unwrap();
    let (api, warnings) = finished.recv_timeout(std::time::Duration::from_secs(60)).expect("generation ends");
    for name in ["A", "B", "C", "D", "E", "SelfList", "SelfMap", "SelfMapAlias"] {
        let at =
            format!("warning: #/components/schemas/{name}: this schema leads back to itself only through references");
        assert!(warnings.iter().any(|w| w.starts_with(&at)), "{name}: {warnings:?}");
    }
    assert!(matches!(type_named(&api, "A").kind, TypeKind::Alias(TypeRef::Json)));
    let operation = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap();
    assert!(
        matches!(&operation("listThings").success, ResponseBody::Json(TypeRef::Named(id)) if api.def(*id).name == "A")
    );
    assert_eq!(api.webhooks.len(), 2, "the callback and the webhook");
}

/// Names the generator uses itself yield to the description's: a property named
/// `additionalProperties`, schemas named after what the generated modules import, and the
/// runtime macros' generic parameters (proved by the crate compiling); a path key's query
/// templates are filled from the parameters.
#[test]
fn names_the_generator_uses_itself_yield_to_the_descriptions() {
    let (api, warnings) = api_of("generated_names.yaml");
    let list_pets = api.operations.iter().find(|op| op.operation_id == "listPets").unwrap();
    assert!(list_pets.pagination.is_none(), "`list_pets_pages` is the description's");
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("warning: #/paths/~1pets/get: not walked as pages")
                && w.contains("`list_pets_pages`")),
        "{warnings:?}"
    );
    let a = field_of(&api, "A", "additionalProperties");
    assert_eq!((a.name.as_str(), a.wire_name.as_str()), ("additional_properties_2", "additionalProperties"));
    for (schema, name) in
        [("Style", "StyleModel"), ("Method", "MethodModel"), ("OperationSpec", "OperationSpecModel"), ("A", "A")]
    {
        let def =
            api.types.iter().find(|def| def.pointer.as_str() == format!("#/components/schemas/{schema}")).unwrap();
        assert_eq!(def.name, name);
    }
    let export = api.operations.iter().find(|op| op.operation_id == "exportHistory").unwrap();
    let filename = &export.params.as_ref().unwrap().params[0];
    assert_eq!((filename.wire_name.as_str(), filename.location), ("filename", ParamLocation::Query));
    assert_eq!(export.fixed_query.as_deref(), Some("format=csv"));
    let search = api.operations.iter().find(|op| op.operation_id == "search").unwrap();
    assert_eq!(search.fixed_query, None, "the declared query parameter is sent as such");
    let operations = &generate(&specs_dir().join("generated_names.yaml")).files["src/operations.rs"];
    assert!(operations.contains("request.query(\"filename\", &params.filename, Style::Form, true);"), "{operations}");
}

/// A template in a path key's query part that no parameter can fill is not sent, and a warning
/// at its operation says so; a path parameter the path does not use is left out the same way.
#[test]
fn query_templates_that_cannot_be_filled_are_not_sent_and_said() {
    let spec = r#"
openapi: 3.0.3
info: {title: t, version: '1'}
paths:
  /export?name={name}:
    get: {operationId: undeclared, responses: {'200': {description: ok}}}
  /files/{id}?ref={id}:
    get:
      operationId: twice
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
  /report?file={file}.csv&kind=full:
    get:
      operationId: partial
      parameters: [{name: file, in: path, required: true, schema: {type: string}}]
      responses: {'200': {description: ok}}
"#;
    let document = load::load_str(spec, "templates.yaml").unwrap();
    let (api, warnings) = ir::build(&document).unwrap();
    let said = |at: &str, text: &str| warnings.iter().any(|w| w.pointer.as_str() == at && w.message.contains(text));
    assert!(said("#/paths/~1export?name={name}/get", "no path or query parameter of that name"), "{warnings:?}");
    assert!(said("#/paths/~1files~1{id}?ref={id}/get", "fills the path already"), "{warnings:?}");
    assert!(said("#/paths/~1report?file={file}.csv&kind=full/get", "not the whole value"), "{warnings:?}");
    assert!(said("#/paths/~1report?file={file}.csv&kind=full/get", "\"file\" is not in the path"), "{warnings:?}");
    let operation = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap();
    assert!(operation("partial").params.is_none(), "nothing would send `file`");
    assert_eq!(operation("partial").fixed_query.as_deref(), Some("kind=full"));
    assert_eq!(operation("twice").params.as_ref().unwrap().params[0].location, ParamLocation::Path);
}

/// Every schema below a discriminated base, at any depth, is a variant of it; a schema in the
/// middle is a union of its own object and what is below it.
#[test]
fn discriminated_hierarchies_of_any_depth_are_unions_of_every_schema_below() {
    let (api, _) = api_of("discriminator_hierarchies.yaml");
    let variants = |name: &str| match &type_named(&api, name).kind {
        TypeKind::Union(union) => {
            union.variants.iter().map(|variant| (variant.name.clone(), variant.tag_values.clone())).collect::<Vec<_>>()
        }
        other => panic!("{name} is not a union: {other:?}"),
    };
    let named = |pairs: &[(&str, &str)]| -> Vec<(String, Vec<String>)> {
        pairs.iter().map(|(name, tag)| ((*name).to_owned(), vec![(*tag).to_owned()])).collect()
    };
    assert_eq!(
        variants("Fish"),
        named(&[
            ("Sawshark", "sawshark"),
            ("Salmon", "salmon"),
            ("Shark", "shark"),
            ("Whale", "Whale"),
            ("SmartSalmon", "smart_salmon"),
            ("Goblinshark", "goblin"),
            ("Cookiecuttershark", "cookiecuttershark"),
            ("Orca", "Orca"),
        ])
    );
    // Declaring the discriminator again, a schema in the middle is a union all the same.
    assert_eq!(variants("Whale"), named(&[("Whale", "Whale"), ("Orca", "Orca")]));
    // A schema that renames another is that schema, not a variant.
    assert!(matches!(&type_named(&api, "Trout").kind, TypeKind::Alias(_)));
    // A base its own mapping names holds its own object.
    assert_eq!(variants("Pet"), named(&[("Pet", "pet"), ("Dog", "dog")]));
    assert_eq!(variants("Salmon"), named(&[("Salmon", "salmon"), ("SmartSalmon", "smart_salmon")]));
    assert_eq!(
        variants("Shark"),
        named(&[
            ("Shark", "shark"),
            ("Sawshark", "sawshark"),
            ("Goblinshark", "goblin"),
            ("Cookiecuttershark", "cookiecuttershark")
        ])
    );
    // The middle's own object holds everything it inherits.
    let own: Vec<&str> = match &type_named(&api, "SharkObject").kind {
        TypeKind::Struct(body) => body.fields.iter().map(|f| f.wire_name.as_str()).collect(),
        other => panic!("{other:?}"),
    };
    assert_eq!(own, ["fishtype", "species", "length", "siblings", "age", "birthday", "mate"]);
    assert_eq!(field_of(&api, "Sawshark", "picture").wire_name, "picture");
}

/// Each operation tells the runtime the statuses it documents; a range beside an exact status
/// of its class leaves that status to the exact arm.
#[test]
fn operations_carry_their_documented_statuses() {
    let operations = &generate(&specs_dir().join("statuses.yaml")).files["src/operations.rs"];
    assert!(operations.contains("statuses [200, 404]"), "{operations}");
    assert!(operations.contains("statuses [200, 2, 404, 4]"), "{operations}");
    assert!(operations.contains("statuses [200, 0]"), "{operations}");
    assert!(operations.contains("201..=299 => {"), "{operations}");
    assert!(operations.contains("400..=403 | 405..=499 => {"), "{operations}");
}

#[test]
fn an_optional_token_request_body_is_passed_as_some() {
    let (api, _) = api_of("oauth_optional_body.yaml");
    let flow = api.oauth.as_ref().expect("an OAuth flow");
    let ir::TokenCall::Operation { body_required, .. } = &flow.exchange else { panic!("through issueToken") };
    assert!(!body_required);
    let generated = generate(&specs_dir().join("oauth_optional_body.yaml"));
    let oauth = &generated.files["src/oauth.rs"];
    assert!(oauth.contains(".issue_token(&crate::operations::IssueTokenParams::new(), Some(&body))"), "{oauth}");
}

#[test]
fn required_defaults_are_filled_by_new_and_empty_security_sends_no_credentials() {
    let (api, _) = api_of("defaults_and_security.yaml");
    let security = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap().security.clone();
    assert!(security("health").is_empty(), "`security: []` opts out of the global requirement");
    assert_eq!(security("createGrant"), [vec!["key".to_owned()]]);
    let generated = generate(&specs_dir().join("defaults_and_security.yaml"));
    let operations = &generated.files["src/operations.rs"];
    // A line of the table of specs says what is not the usual: no `security` where none is sent.
    let spec_line = |name: &str| operations.lines().find(|line| line.starts_with(&format!("    {name}: "))).unwrap();
    assert!(!spec_line("HEALTH").contains("security"), "{operations}");
    assert!(spec_line("CREATE_GRANT").ends_with(r#", security [["key"]];"#), "{operations}");
    let models = &generated.files["src/models.rs"];
    // `new` takes the required field without a default and sets the others to their defaults
    // (`object_serde!` writes it from the presets after `=`; the runtime's tests check that).
    assert!(
        models.contains("    fn new(audience: impl Into<String>) {\n        let audience = audience.into();\n    }\n"),
        "{models}"
    );
    for filled in [
        "=> pub grant_type: GrantGrantType = GrantGrantType::AuthorizationCode,",
        "=> pub scope: String = \"basic\".to_owned(),",
        "=> pub retries: i64 = 3i64,",
        "\"audience\" required => pub audience: String,",
        "\"note\" optional => pub note: Option<String>,",
    ] {
        assert!(models.contains(filled), "{filled} in {models}");
    }
}

#[test]
fn a_feature_per_tag_gates_operations_and_the_types_they_reach() {
    let (api, _) = api_of(TAG_FEATURES_SPEC);
    let gates = ir::features::gates(&api);
    let names: Vec<&str> = gates.features.iter().map(|f| f.name.as_str()).collect();
    // No feature for the tag no operation has, nor for the one only the OAuth flow's operation has;
    // `tracing` is the crate's own feature, so the tag gets a number.
    assert_eq!(names, ["webhooks", "pets", "store-orders", "tracing-2", "undeclared"]);
    assert_eq!(gates.features[1].description.as_deref(), Some("Pets in the store.\n\nMore about pets."));
    let feature = |name: &str| names.iter().position(|n| *n == name).unwrap();
    let any_of = |features: &[&str]| {
        let mut indices: Vec<usize> = features.iter().map(|name| feature(name)).collect();
        indices.sort_unstable();
        Gate::AnyOf(indices)
    };
    let operation = |id: &str| &gates.operations[api.operations.iter().position(|op| op.operation_id == id).unwrap()];
    assert_eq!(operation("listPets"), &any_of(&["pets"]));
    assert_eq!(operation("placeOrder"), &any_of(&["pets", "store-orders"]));
    assert_eq!(operation("listSpans"), &any_of(&["tracing-2", "undeclared"]));
    assert_eq!(operation("health"), &Gate::Always, "an operation without tags");
    assert_eq!(operation("issueToken"), &Gate::Always, "the OAuth flow calls it");
    // A type is compiled when anything that needs it is: the union of their features.
    let of_type = |name: &str| &gates.types[api.id_named(name).unwrap().index()];
    assert_eq!(of_type("Problem"), &any_of(&["pets"]));
    assert_eq!(of_type("Order"), &any_of(&["pets", "store-orders"]));
    assert_eq!(of_type("Pet"), &any_of(&["webhooks", "pets", "store-orders"]));
    assert_eq!(of_type("Kind"), &any_of(&["webhooks", "pets", "store-orders"]), "inside Pet, and a parameter");
    assert_eq!(of_type("Note"), &any_of(&["webhooks"]));
    assert_eq!(of_type("Span"), &any_of(&["tracing-2", "undeclared"]));
    assert_eq!(gates.webhooks, any_of(&["webhooks"]));
    // What nothing reaches is always there, with what it holds; so is what the OAuth flow needs.
    for always in ["Catalog", "Featured", "TokenRequest", "TokenResponse"] {
        assert_eq!(of_type(always), &Gate::Always, "{always}");
    }
    let generated = generate(&specs_dir().join(TAG_FEATURES_SPEC));
    let cargo_toml = &generated.files["Cargo.toml"];
    assert!(
        cargo_toml.contains("# The operations tagged `Pets`, and the types they need: Pets in the store.\npets = []\n")
    );
    assert!(cargo_toml.contains("\"rustls\",\n    \"webhooks\",\n    \"pets\",\n"), "{cargo_toml}");
    assert!(generated.files["src/lib.rs"].contains("#[cfg(feature = \"webhooks\")]\npub mod webhooks;"));
    let operations = &generated.files["src/operations.rs"];
    assert!(
        operations.contains("    #[cfg(any(feature = \"pets\", feature = \"store-orders\"))]\n    /// "),
        "{operations}"
    );
}

#[test]
fn formats_are_types_from_the_chosen_crate() {
    let spec = specs_dir().join("formats.yaml");
    let field_types = |formats: FormatOptions| {
        let document = load::load_file(&spec).unwrap();
        let options = ir::BuildOptions { examples: false, formats, ..Default::default() };
        let (api, _) = ir::build_with(&document, &options).unwrap();
        let TypeKind::Struct(event) = &type_named(&api, "Event").kind else { panic!("Event is a struct") };
        let rust = |ty: &TypeRef| match ty {
            TypeRef::Extern(ext) => ext.rust.clone(),
            TypeRef::Vec(inner) => format!(
                "Vec<{}>",
                match inner.as_ref() {
                    TypeRef::Extern(ext) => ext.rust.clone(),
                    other => format!("{other:?}"),
                }
            ),
            other => format!("{other:?}"),
        };
        event.fields.iter().map(|f| (f.wire_name.clone(), rust(&f.ty))).collect::<std::collections::BTreeMap<_, _>>()
    };
    let chrono = field_types(FormatOptions::default());
    for (field, rust) in [
        ("id", "uuid::Uuid"),
        ("at", "chrono::DateTime<chrono::Utc>"),
        ("day", "chrono::NaiveDate"),
        ("opens", "chrono::NaiveTime"),
        ("lasts", "String"),
        ("address", "std::net::Ipv4Addr"),
        ("address6", "std::net::Ipv6Addr"),
        ("count", "u64"),
        ("small", "i8"),
        ("tiny", "u8"),
        ("id32", "u32"),
        ("moments", "Vec<chrono::DateTime<chrono::Utc>>"),
        ("maybe_at", "chrono::DateTime<chrono::Utc>"),
        ("email", "String"),
        ("blob", "crate::Base64"),
    ] {
        assert_eq!(chrono[field], rust, "{field}");
    }
    let strings = field_types(FormatOptions {
        date_time: DateTimeCrate::String,
        as_string: ["uuid".to_owned()].into(),
        ..FormatOptions::default()
    });
    assert_eq!(strings["at"], "String");
    assert_eq!(strings["id"], "String", "--string-format uuid");
    assert_eq!(strings["count"], "u64", "integer widths are not date-times");
    // The generated crate depends on, and re-exports, exactly the crates its types need.
    let generated = generate(&spec);
    let cargo_toml = &generated.files["Cargo.toml"];
    assert!(
        cargo_toml.contains(
            "\nchrono = { version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }\n"
        )
    );
    assert!(cargo_toml.contains("\nuuid = { version = \"1\", features = [\"serde\"] }\n"));
    assert!(!cargo_toml.contains("jiff"));
    assert!(generated.files["src/lib.rs"].contains("pub use runtime::Base64;\npub use chrono;\npub use uuid;\n"));
    let operations = generate(&specs_dir().join("operations.yaml"));
    assert!(!operations.files["Cargo.toml"].contains("chrono"), "no date-time, no chrono");
    // The documented idempotency header is the client's, for keys made per call.
    assert!(operations.files["src/client.rs"].contains("idempotency_header: Some(\"Idempotency-Key\"),"));
}

#[test]
fn bodies_that_differ_by_status_are_enums_by_status() {
    let (api, warnings) = api_of("responses.yaml");
    // A binary body beside a JSON one is not typed yet: a warning at its place, not a silent drop.
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1report/get/responses/206: the method returns the 200 response's body; this 206 response's \
          body differs and is not typed (it is decoded as the 200 body would be)"
        ]
    );
    let operation = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap();
    let start = operation("startJob");
    assert_eq!(start.error_type, TypeRef::Companion("StartJobError".to_owned()));
    let cases: Vec<(&str, ir::StatusMatch, Option<&TypeRef>)> = start
        .error_enum
        .as_ref()
        .unwrap()
        .cases
        .iter()
        .map(|case| (case.variant.as_str(), case.status, case.ty.as_ref()))
        .collect();
    let named = |name: &str| named(&api, name);
    assert_eq!(
        cases,
        [
            ("NotFound", ir::StatusMatch::Code(404), Some(&named("NotFound"))),
            ("UnprocessableEntity", ir::StatusMatch::Code(422), Some(&named("Invalid"))),
            ("Other", ir::StatusMatch::Default, Some(&named("NotFound"))),
        ]
    );
    // One error schema for every error status (and a 201 like the 200) is typed, without a word.
    assert_eq!(operation("getJob").error_type, named("NotFound"));
    assert!(operation("getJob").error_enum.is_none());
    // Both error types are received, so they decode.
    assert!(type_named(&api, "Invalid").usage.received);
    // Success bodies: 200 and 201 a job, 202 a queue position, so an enum of the three.
    let ResponseBody::ByStatus(success) = &start.success else { panic!("{:?}", start.success) };
    assert_eq!(success.name, "StartJobResponse");
    let cases: Vec<(&str, ir::StatusMatch, Option<&TypeRef>)> =
        success.cases.iter().map(|case| (case.variant.as_str(), case.status, case.ty.as_ref())).collect();
    assert_eq!(
        cases,
        [
            ("Ok", ir::StatusMatch::Code(200), Some(&named("Job"))),
            ("Created", ir::StatusMatch::Code(201), Some(&named("Job"))),
            ("Accepted", ir::StatusMatch::Code(202), Some(&named("Queued"))),
        ]
    );
    assert!(type_named(&api, "Queued").usage.received);
    assert!(matches!(operation("getJob").success, ResponseBody::Json(_)));
}

#[test]
fn emitted_code_matches_snapshots() {
    for spec in construct_specs() {
        let generated = generate(&spec);
        let stem = spec.file_stem().unwrap().to_string_lossy().into_owned();
        for file in ["src/models.rs", "src/operations.rs", "src/client.rs", "src/oauth.rs", "src/webhooks.rs"] {
            if !generated.files.contains_key(file) {
                continue;
            }
            let name = format!("{stem}__{}", file.trim_start_matches("src/").trim_end_matches(".rs"));
            insta::assert_snapshot!(name, generated.files[file]);
        }
    }
}

#[test]
fn types_are_ordered_by_name_and_found_by_it() {
    for spec in construct_specs() {
        let document = load::load_file(&spec).unwrap();
        let (api, _) = ir::build(&document).unwrap();
        assert!(api.types.windows(2).all(|pair| pair[0].name < pair[1].name), "{}", spec.display());
        for def in &api.types {
            assert_eq!(api.type_named(&def.name).map(|found| &found.pointer), Some(&def.pointer));
        }
        assert!(api.type_named("NoSuchType").is_none());
    }
}

#[test]
fn same_input_same_bytes() {
    for spec in construct_specs() {
        assert_eq!(generate(&spec).files, generate(&spec).files, "{}", spec.display());
    }
}

/// Generates every construct spec and our own spec into one throwaway workspace, runs
/// `cargo clippy -D warnings` over it (snapshots prove nothing if the code does not compile),
/// then the crates' own tests.
#[test]
fn generated_crates_compile_without_warnings() {
    let workspace_root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf();
    let check_dir = workspace_root.join("target").join("construct-check");
    let crates_dir = check_dir.join("crates");
    let _ = std::fs::remove_dir_all(&crates_dir);
    let mut specs = construct_specs();
    specs.push(workspace_root.join("spec/openapi.yaml"));
    let mut members = Vec::new();
    for spec in &specs {
        let name = crate_name(spec);
        openapi_gen::write::write_crate(&generate(spec), &crates_dir.join(&name)).unwrap();
        members.push(format!("\"crates/{name}\""));
    }
    // The same client with a copy of the runtime inside (`--runtime vendored`), which must build
    // and pass the runtime's own tests on its own.
    let vendored = generate_with(&specs_dir().join("oauth_and_webhooks.yaml"), "vendored-widgets", Runtime::Vendored);
    assert!(
        vendored.files["Cargo.toml"]
            .contains("openapi-gen-runtime = { package = \"vendored-widgets-runtime\", path = \"runtime\"")
    );
    openapi_gen::write::write_crate(&vendored, &crates_dir.join("vendored-widgets")).unwrap();
    members.push("\"crates/vendored-widgets\"".to_owned());
    // Formats as jiff's types instead of chrono's, with the same example round trips.
    let jiff = FormatOptions { date_time: DateTimeCrate::Jiff, ..FormatOptions::default() };
    let formats_jiff = generate_with_formats(&specs_dir().join("formats.yaml"), "formats-jiff", runtime_crate(), jiff);
    assert!(formats_jiff.files["src/models.rs"].contains("pub at: jiff::Timestamp,"));
    openapi_gen::write::write_crate(&formats_jiff, &crates_dir.join("formats-jiff")).unwrap();
    members.push("\"crates/formats-jiff\"".to_owned());
    // And as the time crate's, wrapped so that they are RFC 3339 on the wire, through the runtime.
    let time = FormatOptions { date_time: DateTimeCrate::Time, ..FormatOptions::default() };
    let formats_time = generate_with_formats(&specs_dir().join("formats.yaml"), "formats-time", runtime_crate(), time);
    assert!(formats_time.files["src/models.rs"].contains("pub at: crate::Rfc3339<crate::time::OffsetDateTime>,"));
    assert!(formats_time.files["src/lib.rs"].contains("pub use runtime::{time, Rfc3339};"));
    assert!(formats_time.files["Cargo.toml"].contains("\"time\"]"), "the runtime's time feature");
    assert!(!formats_time.files["Cargo.toml"].contains("\ntime = "), "no time dependency of its own");
    openapi_gen::write::write_crate(&formats_time, &crates_dir.join("formats-time")).unwrap();
    members.push("\"crates/formats-time\"".to_owned());
    // Two clients in one program share the runtime's types.
    let runtime = concat!(env!("CARGO_MANIFEST_DIR"), "/../runtime");
    let dependencies = format!(
        "construct-openapi = {{ path = \"../construct-openapi\" }}\n\
         construct-oauth-and-webhooks = {{ path = \"../construct-oauth-and-webhooks\" }}\n\
         openapi-gen-runtime = {{ path = \"{runtime}\" }}\n"
    );
    write_test_crate(&crates_dir.join("two-clients"), "two-clients", &dependencies, TWO_CLIENTS);
    members.push("\"crates/two-clients\"".to_owned());
    // The OAuth flow of a client that uses the standard token request, on loopback servers.
    let dependencies = "construct-oauth-and-webhooks = { path = \"../construct-oauth-and-webhooks\" }\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\"] }\n";
    write_test_crate(&crates_dir.join("oauth-loopback"), "oauth-loopback", dependencies, OAUTH_LOOPBACK);
    members.push("\"crates/oauth-loopback\"".to_owned());
    // A generated client refuses path values that would change the request target.
    let dependencies = "construct-names = { path = \"../construct-names\" }\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    write_test_crate(&crates_dir.join("path-values"), "path-values", dependencies, PATH_VALUES);
    members.push("\"crates/path-values\"".to_owned());
    // Downloads arrive as they are sent.
    let dependencies = "construct-downloads = { path = \"../construct-downloads\" }\nserde_json = \"1\"\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"sync\"] }\n";
    write_test_crate(&crates_dir.join("downloads"), "downloads", dependencies, DOWNLOADS);
    members.push("\"crates/downloads\"".to_owned());
    // The generated mock server, used as a user would.
    let dependencies = "construct-mock-server = { path = \"../construct-mock-server\", features = [\"mock\"] }\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    write_test_crate(
        &crates_dir.join("mocking"),
        "mocking",
        dependencies,
        include_str!("../construct-wire/mock_server.rs"),
    );
    members.push("\"crates/mocking\"".to_owned());
    // Streams of items arrive one by one.
    let dependencies = "construct-streams = { path = \"../construct-streams\", features = [\"mock\"] }\n\
                        construct-openapi-32 = { path = \"../construct-openapi-32\", features = [\"mock\"] }\nfutures = \"0.3\"\nserde_json = \"1\"\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\", \"net\", \"io-util\", \"sync\", \"time\"] }\n";
    write_test_crate(
        &crates_dir.join("streams"),
        "streams",
        dependencies,
        include_str!("../construct-wire/streams.rs"),
    );
    members.push("\"crates/streams\"".to_owned());
    // The device authorization flow against a loopback authorization server.
    let dependencies = "construct-openapi-32 = { path = \"../construct-openapi-32\" }\n\
                        tokio = { version = \"1\", features = [\"macros\", \"rt\", \"net\", \"io-util\", \"time\"] }\n";
    write_test_crate(
        &crates_dir.join("device-flow"),
        "device-flow",
        dependencies,
        include_str!("../construct-wire/device_flow.rs"),
    );
    members.push("\"crates/device-flow\"".to_owned());
    // A subset of a description, with what nothing kept reaches pruned, still compiles.
    let selected = generate_with_settings(SELECTED_PETS, "selected-pets").unwrap();
    openapi_gen::write::write_crate(&selected, &crates_dir.join("selected-pets")).unwrap();
    members.push("\"crates/selected-pets\"".to_owned());
    // Replacements, derives, attributes and renames: the generated crate, the user's crate whose
    // type replaces a schema, and a crate that uses what the settings made (each use fails to
    // compile if its setting was ignored).
    write_test_crate(
        &crates_dir.join("money"),
        "money",
        "serde = { version = \"1\", features = [\"derive\"] }\n",
        MONEY,
    );
    members.push("\"crates/money\"".to_owned());
    let customized = generate_spec_with_settings("customize.yaml", CUSTOMIZED, "customized").unwrap();
    openapi_gen::write::write_crate(&customized, &crates_dir.join("customized")).unwrap();
    members.push("\"crates/customized\"".to_owned());
    let dependencies = "customized = { path = \"../customized\" }\nmoney = { path = \"../money\" }\n";
    write_test_crate(&crates_dir.join("customized-use"), "customized-use", dependencies, CUSTOMIZED_USE);
    members.push("\"crates/customized-use\"".to_owned());
    // Split into crates of models (`--split-crates`): the settings' dependency found from the
    // model crate's directory, and the same code compiling against the split client.
    let settings = format!("[crate]\nsplit-crates = \"always\"\n{CUSTOMIZED}");
    let customized_split = generate_spec_with_settings("customize.yaml", &settings, "customized-split").unwrap();
    assert!(
        customized_split.files["crates/customized-split-models/Cargo.toml"]
            .contains("money = { path = \"../../../money\" }\n"),
        "{:?}",
        customized_split.files.keys()
    );
    openapi_gen::write::write_crate(&customized_split, &crates_dir.join("customized-split")).unwrap();
    members.push("\"crates/customized-split\"".to_owned());
    let dependencies = "customized = { package = \"customized-split\", path = \"../customized-split\" }\n\
                        money = { path = \"../money\" }\n";
    write_test_crate(&crates_dir.join("customized-split-use"), "customized-split-use", dependencies, CUSTOMIZED_USE);
    members.push("\"crates/customized-split-use\"".to_owned());
    // A feature per tag and crates of models by tag, together.
    let tagged_split = generate_split(&specs_dir().join(TAG_FEATURES_SPEC), TAG_FEATURES_SPLIT);
    openapi_gen::write::write_crate(&tagged_split, &crates_dir.join(TAG_FEATURES_SPLIT)).unwrap();
    members.push(format!("\"crates/{TAG_FEATURES_SPLIT}\""));
    // Values that must not change on the way, with offsets kept in a second client of the spec.
    let keep = FormatOptions { offsets: Offsets::Keep, ..FormatOptions::default() };
    let offsets =
        generate_with_formats(&specs_dir().join("wire_values.yaml"), "wire-values-offsets", runtime_crate(), keep);
    assert!(offsets.files["src/models.rs"].contains("pub at: chrono::DateTime<chrono::FixedOffset>,"));
    openapi_gen::write::write_crate(&offsets, &crates_dir.join("wire-values-offsets")).unwrap();
    members.push("\"crates/wire-values-offsets\"".to_owned());
    let dependencies = "construct-wire-values = { path = \"../construct-wire-values\" }\n\
                        construct-swagger2-values = { path = \"../construct-swagger2-values\" }\n\
                        wire-values-offsets = { path = \"../wire-values-offsets\" }\n\
                        construct-statuses = { path = \"../construct-statuses\" }\n\
                        construct-discriminator-hierarchies = { path = \"../construct-discriminator-hierarchies\" }\n\
                        chrono = { version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }\n\
                        serde_json = \"1\"\nwiremock = \"0.6\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    write_test_crate(&crates_dir.join("on-the-wire"), "on-the-wire", dependencies, ON_THE_WIRE);
    members.push("\"crates/on-the-wire\"".to_owned());
    // Listings are walked across their pages.
    let dependencies = "construct-pagination = { path = \"../construct-pagination\" }\nfutures = \"0.3\"\n\
                        serde_json = \"1\"\nwiremock = \"0.6\"\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";
    write_test_crate(&crates_dir.join("paging"), "paging", dependencies, PAGING);
    members.push("\"crates/paging\"".to_owned());
    std::fs::write(
        check_dir.join("Cargo.toml"),
        format!("[workspace]\nresolver = \"3\"\nmembers = [{}]\n", members.join(", ")),
    )
    .unwrap();
    // The same versions as the main workspace, so nothing new is downloaded.
    std::fs::copy(workspace_root.join("Cargo.lock"), check_dir.join("Cargo.lock")).unwrap();
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--all-targets", "--offline", "--", "-D", "warnings"])
        .current_dir(&check_dir)
        .env("CARGO_TARGET_DIR", check_dir.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    let failed: Vec<&String> = members
        .iter()
        .filter(|m| {
            stderr.contains(&format!("could not compile `{}", m.trim_matches('"').trim_start_matches("crates/")))
        })
        .collect();
    println!("generated {}/{}, compiled {}/{}", specs.len(), specs.len(), specs.len() - failed.len(), specs.len());
    assert!(output.status.success(), "clippy failed on the generated crates:\n{stderr}");
    // Every construct crate's mock server (and our spec's) builds cleanly too.
    let mut mock_features: Vec<String> = specs.iter().map(|spec| format!("{}/mock", crate_name(spec))).collect();
    mock_features.push(format!("{TAG_FEATURES_SPLIT}/mock"));
    let output = Command::new(env!("CARGO"))
        .args(["clippy", "--workspace", "--all-targets", "--offline", "--features", &mock_features.join(",")])
        .args(["--", "-D", "warnings"])
        .current_dir(&check_dir)
        .env("CARGO_TARGET_DIR", check_dir.join("target"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "clippy failed on the generated mock servers:\n{stderr}");
    // Their documentation builds without a warning (a broken or redundant link, a missing doc).
    let output = Command::new(env!("CARGO"))
        .args(["doc", "--workspace", "--no-deps", "--offline", "--features", &mock_features.join(",")])
        .current_dir(&check_dir)
        .env("CARGO_TARGET_DIR", check_dir.join("target"))
        .env("RUSTDOCFLAGS", "-D warnings")
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "rustdoc warned on the generated crates:\n{stderr}");
    // The crate with a feature per tag builds without warnings with no feature, and with each
    // feature alone (with all of them it was built above).
    let tagged = crate_name(&specs_dir().join(TAG_FEATURES_SPEC));
    let all_tagged = crate_name(&specs_dir().join("tag_features_all_tagged.yaml"));
    let features = ["webhooks", "pets", "store-orders", "tracing-2", "undeclared"];
    let split = TAG_FEATURES_SPLIT.to_owned();
    let subsets = std::iter::once((&all_tagged, "rustls".to_owned()))
        .chain([&tagged, &split].map(|tagged| (tagged, "rustls".to_owned())))
        .chain(features.iter().flat_map(|f| [&tagged, &split].map(|tagged| (tagged, format!("rustls,{f}")))));
    for (tagged, features) in subsets {
        let output = Command::new(env!("CARGO"))
            .args(["clippy", "-p", tagged, "--all-targets", "--offline", "--no-default-features"])
            .args(["--features", &features, "--", "-D", "warnings"])
            .current_dir(&check_dir)
            .env("CARGO_TARGET_DIR", check_dir.join("target"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "clippy failed on {tagged} with features {features}:\n{stderr}");
    }
    // Their own tests too: the runtime's unit tests and each crate's example round trips.
    let tests = Command::new(env!("CARGO"))
        .args(["test", "--workspace", "--offline", "--quiet"])
        .current_dir(&check_dir)
        .env("CARGO_TARGET_DIR", check_dir.join("target"))
        .output()
        .unwrap();
    let report = format!("{}{}", String::from_utf8_lossy(&tests.stdout), String::from_utf8_lossy(&tests.stderr));
    assert!(tests.status.success(), "the generated crates' own tests failed:\n{report}");
    let passed: usize = report
        .lines()
        .filter_map(|line| line.strip_prefix("test result: ok. "))
        .filter_map(|rest| rest.split(' ').next()?.parse::<usize>().ok())
        .sum();
    assert!(passed > 0, "the generated crates ran no test:\n{report}");
}

#[test]
fn listings_in_pages_are_recognized_said_and_refused_with_a_reason() {
    use openapi_gen::ir::pagination::{PageKind, Source};
    let (api, warnings) = api_of("pagination.yaml");
    let paging = |id: &str| {
        let op = api.operations.iter().find(|op| op.operation_id == id).unwrap();
        op.pagination.as_ref().map(|p| (p.kind.clone(), p.items.clone(), p.source.clone()))
    };
    let strings = |parts: &[&str]| parts.iter().map(|part| (*part).to_owned()).collect::<Vec<_>>();
    assert_eq!(
        paging("listByOffset"),
        Some((
            PageKind::Offset { param: "offset".to_owned(), limit: Some("limit".to_owned()) },
            strings(&["data"]),
            Source::Shape
        ))
    );
    assert_eq!(
        paging("listByCursor"),
        Some((
            PageKind::Cursor { param: "cursor".to_owned(), next: strings(&["meta", "next_cursor"]) },
            strings(&["items"]),
            Source::Shape
        ))
    );
    assert_eq!(
        paging("listByUrl"),
        Some((PageKind::NextUrl { next: strings(&["next"]) }, strings(&["results"]), Source::Extension))
    );
    // GitHub's shape: `page` beside a documented `Link` header, which is what is followed.
    assert_eq!(paging("listIssues"), Some((PageKind::LinkHeader, Vec::new(), Source::Shape)));
    let open = paging("listOpenObjects").unwrap();
    assert!(matches!(open.0, PageKind::Offset { .. }) && open.1 == strings(&["data"]), "{open:?}");
    let maybe = paging("listMaybe").unwrap();
    assert!(matches!(maybe.0, PageKind::PageNumber { .. }) && maybe.1 == strings(&["item_array"]), "{maybe:?}");
    for refused in ["listAmbiguous", "listTwoLists", "listDeclaredBadly"] {
        assert_eq!(paging(refused), None, "{refused}");
    }
    assert_eq!(
        warnings,
        [
            "warning: #/paths/~1ambiguous/get: not walked as pages: it has cursor and page number parameters, which say \
             different things; declare its paging with `x-speakeasy-pagination` or `--pagination`",
            "warning: #/paths/~1two-lists/get: not walked as pages although it has page number paging: the response has \
             several lists (`items`, `notes`); declare its paging with `x-speakeasy-pagination` (`outputs.results`) or \
             `--pagination`",
            "warning: #/paths/~1declared-badly/get/x-speakeasy-pagination: the paging declaration is not used: the \
             `offset` input names `start`, which is not a query parameter of the right type",
        ]
    );
    // What was recognized is said, one note per listing.
    let notes = generate(&specs_dir().join("pagination.yaml")).notes;
    assert_eq!(notes.len(), 6);
    assert_eq!(
        notes[4],
        "note: #/paths/~1repos~1issues/get: `listIssues` is paged by the `Link` header's rel=\"next\"; items in the body \
         (from its parameters and body)"
    );
}

#[test]
fn a_paging_declared_to_the_generator_wins_and_one_for_no_operation_is_an_error() {
    let document = load::load_file(&specs_dir().join("pagination.yaml")).unwrap();
    let declared = serde_json::json!({
        "listTwoLists": {"type": "offsetLimit", "inputs": [{"name": "page", "in": "parameters", "type": "page"}],
                         "outputs": {"results": "$.items"}},
    });
    let options = ir::BuildOptions {
        pagination: declared.as_object().unwrap().clone().into_iter().collect(),
        pagination_origins: [("listTwoLists".to_owned(), "`--pagination paging.yaml`".to_owned())].into(),
        ..Default::default()
    };
    let (api, warnings) = ir::build_with(&document, &options).unwrap();
    let op = api.operations.iter().find(|op| op.operation_id == "listTwoLists").unwrap();
    let pagination = op.pagination.as_ref().expect("declared");
    let origin = "`--pagination paging.yaml`".to_owned();
    assert_eq!(pagination.source, openapi_gen::ir::pagination::Source::Declared(origin));
    assert!(pagination.describe(op).ends_with("(from `--pagination paging.yaml`)"), "{}", pagination.describe(op));
    assert_eq!(pagination.items, ["items"]);
    let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
    assert!(!warnings.iter().any(|w| w.contains("two-lists")), "the declaration answers the warning: {warnings:?}");
    // A declaration for no operation is an error that suggests the nearest one.
    let typo = serde_json::json!({"listTwoLsits": {"type": "link"}});
    let options = ir::BuildOptions {
        pagination: typo.as_object().unwrap().clone().into_iter().collect(),
        pagination_origins: [("listTwoLsits".to_owned(), "`[pagination.listTwoLsits]` of s.toml".to_owned())].into(),
        ..Default::default()
    };
    let err = ir::build_with(&document, &options).unwrap_err().to_string();
    assert!(err.contains("`listTwoLsits` in `[pagination.listTwoLsits]` of s.toml"), "names where: {err}");
    assert!(err.contains("did you mean `listTwoLists`?"), "{err}");
}

/// Every key and word of a paging declaration in the settings is checked, with the nearest
/// known one: a typo is an error that names it, not a paging that quietly does something else.
#[test]
fn paging_declarations_in_the_settings_are_checked_key_by_key() {
    let refused = |table: &str| match openapi_gen::settings::Settings::parse(table, "openapi-gen.toml") {
        Ok(_) => panic!("accepted: {table}"),
        Err(err) => err.to_string(),
    };
    let cases = [
        (
            "[pagination.list]\ntype = \"offsetLimit\"\noutputs = { results = \"$.items\", num_pages = \"$.n\" }\n",
            "unknown `outputs.num_pages`; did you mean `outputs.numPages`?",
        ),
        ("[pagination.list]\ntype = \"limt\"\n", "unknown `type = limt`"),
        ("[pagination.list]\ntype = \"link\"\nresult = \"$.items\"\n", "unknown `result`"),
        (
            "[pagination.list]\ntype = \"cursor\"\ninputs = [{ name = \"c\", in = \"parameters\", type = \"curser\" }]\n",
            "did you mean `inputs[0].type = cursor`?",
        ),
        ("[pagination.list]\ninputs = []\n", "it has no `type`"),
    ];
    for (table, said) in cases {
        let err = refused(table);
        assert!(err.contains("openapi-gen.toml") && err.contains("[pagination.list]") && err.contains(said), "{err}");
    }
}

#[test]
fn swagger_2_descriptions_are_read_as_their_openapi_3_equivalent() {
    let (api, warnings) = api_of("swagger2.yaml");
    assert!(warnings.is_empty(), "{warnings:?}");
    assert_eq!(api.default_server.url, "https://two.example.test/api", "schemes, host and basePath");
    let operation = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap();
    // `body` parameters are request bodies in the `consumes` media types, `formData` ones
    // multipart with a file among them and URL-encoded without.
    let encoding = |id: &str| operation(id).methods[0].body.as_ref().map(|body| body.encoding.clone());
    assert!(matches!(encoding("addPet"), Some(BodyEncoding::Json)));
    assert!(matches!(encoding("uploadPhoto"), Some(BodyEncoding::Multipart(_))));
    assert!(matches!(encoding("login"), Some(BodyEncoding::FormUrlEncoded(_))));
    assert!(matches!(operation("getPhoto").success, ResponseBody::Bytes), "a file response");
    // collectionFormat: `multi` is form and exploded, `pipes` pipe-delimited; `#/parameters` refs.
    let params = &operation("listPets").params.as_ref().unwrap().params;
    let style = |name: &str| params.iter().find(|p| p.name == name).map(|p| (p.style, p.explode)).unwrap();
    assert_eq!(style("tags"), (Style::Form, true));
    assert_eq!(style("ids"), (Style::PipeDelimited, false));
    assert!(params.iter().any(|p| p.name == "limit" && p.location == ParamLocation::Query));
    // `#/responses` refs and `x-nullable`.
    assert_eq!(operation("getPet").error_type, named(&api, "Problem"));
    let TypeKind::Struct(pet) = &type_named(&api, "Pet").kind else { panic!("Pet is a struct") };
    assert!(pet.fields.iter().find(|f| f.name == "tag").unwrap().nullable);
    // Security definitions, the OAuth2 flow among them.
    let kinds: Vec<(&str, &ir::AuthKind)> = api.security_schemes.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
    assert_eq!(kinds.len(), 3);
    assert!(matches!(kinds[1], ("key", ir::AuthKind::ApiKeyHeader(name)) if name == "X-Api-Key"));
    assert!(matches!(kinds[2], ("oauth", ir::AuthKind::Bearer)));
    assert!(api.oauth.is_some(), "the accessCode flow is an authorization code flow");
}

/// `tag_features.yaml` generated with the settings in `toml`, as `cargo xtask codegen` and
/// `--config` apply them.
fn generate_with_settings(toml: &str, crate_name: &str) -> Result<GeneratedCrate, String> {
    generate_spec_with_settings(TAG_FEATURES_SPEC, toml, crate_name)
}

/// The construct spec `spec` generated with the settings in `toml`.
fn generate_spec_with_settings(spec: &str, toml: &str, crate_name: &str) -> Result<GeneratedCrate, String> {
    let spec = specs_dir().join(spec);
    let settings = openapi_gen::settings::Settings::parse(toml, "openapi-gen.toml").map_err(|err| err.to_string())?;
    let mut options = Options {
        crate_name: crate_name.to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: format!("tests/specs/{}", spec.file_name().unwrap().to_string_lossy()),
        example_tests: true,
        regenerate_command: "cargo test -p workspace-tests --test generator_constructs".to_owned(),
        runtime: runtime_crate(),
        tag_features: false,
        ..Options::default()
    };
    settings.apply(&mut options, "openapi-gen.toml");
    openapi_gen::generate(&spec, &options).map_err(|err| err.to_string())
}

/// The settings that `generated_crates_compile_without_warnings` builds: one tag, one of its
/// operations left out.
const SELECTED_PETS: &str = r#"
[select]
tags = ["Pets"]
exclude-operations = ["placeOrder"]
"#;

#[test]
fn a_selection_keeps_its_operations_and_prunes_what_nothing_kept_reaches() {
    let generated = generate_with_settings(SELECTED_PETS, "selected-pets").unwrap();
    let operations = &generated.files["src/operations.rs"];
    let models = &generated.files["src/models.rs"];
    assert!(operations.contains("pub fn list_pets("), "the tag's operation");
    for gone in ["pub fn place_order(", "pub fn list_spans(", "pub fn health("] {
        assert!(!operations.contains(gone), "{gone} is not selected");
    }
    // `Order` only `placeOrder` used, `Span` only `listSpans`: pruned; `Pet` and `Kind`, which
    // `listPets` reaches, and the webhook's `Adoption` stay.
    for kept in ["pub struct Pet {", "pub enum Kind {", "pub struct Adoption {"] {
        assert!(models.contains(kept), "{kept}");
    }
    for pruned in ["pub struct Order {", "pub struct Span {"] {
        assert!(!models.contains(pruned), "{pruned} is reached by nothing kept");
    }
    // The settings are in every file's header, so that the drift check sees them change.
    assert!(operations.starts_with(
        "// @generated by openapi-gen from tests/specs/tag_features.yaml with settings openapi-gen.toml ("
    ));
    let other = generate_with_settings(&format!("{SELECTED_PETS}\n# a comment\n"), "selected-pets").unwrap();
    assert_ne!(other.files["src/operations.rs"].lines().next(), operations.lines().next());

    // By path pattern, and by operationId, with everything else excluded.
    let by_path = generate_with_settings("[select]\npaths = [\"/sp*\"]\n", "by-path").unwrap();
    assert!(by_path.files["src/operations.rs"].contains("pub fn list_spans("));
    assert!(!by_path.files["src/operations.rs"].contains("pub fn list_pets("));
    let by_id = generate_with_settings("[select]\noperations = [\"health\"]\n", "by-id").unwrap();
    assert!(by_id.files["src/operations.rs"].contains("pub fn health("));
    assert!(!by_id.files["src/models.rs"].contains("pub struct Order {"));
    assert!(by_id.files["src/models.rs"].contains("pub struct Pet {"), "the webhook's `Adoption` holds a `Pet`");
}

#[test]
fn a_selection_that_matches_nothing_is_refused_with_the_nearest_name() {
    let err = generate_with_settings("[select]\ntags = [\"Petz\"]\n", "x").unwrap_err();
    assert!(
        err.ends_with(
            "openapi-gen.toml: settings: select.tags names \"Petz\", which matches no tag of the description; did \
             you mean \"Pets\"?"
        ),
        "an error in the settings is said of their file: {err}"
    );
    let err = generate_with_settings("[select]\nexclude-operations = [\"listPet\"]\n", "x").unwrap_err();
    assert!(err.contains("did you mean \"listPets\"?"), "{err}");
    let err = generate_with_settings("[select]\npaths = [\"/nowhere/*\"]\n", "x").unwrap_err();
    assert!(err.contains("matches no path of the description"), "{err}");
}

#[test]
fn settings_name_the_crate_and_choose_the_formats_and_pagination() {
    let settings = r#"
[crate]
name = "my-pets"
version = "3.1.4"
description = "Pets, \"typed\""
license = "MIT"
runtime = "vendored"
tag-features = true
[servers]
default = "https://eu.pets.example.test/v2"
[formats]
date-time = "string"
[pagination.listPets]
type = "link"
"#;
    let generated = generate_with_settings(settings, "ignored").unwrap();
    let cargo_toml = &generated.files["Cargo.toml"];
    assert!(cargo_toml.contains("name = \"my-pets\"") && cargo_toml.contains("version = \"3.1.4\""), "{cargo_toml}");
    assert!(cargo_toml.contains("description = \"Pets, \\\"typed\\\"\""), "{cargo_toml}");
    assert!(cargo_toml.contains("\nlicense = \"MIT\"\n"), "{cargo_toml}");
    assert!(generated.files.contains_key("runtime/src/client.rs"), "the vendored runtime");
    assert!(cargo_toml.contains("\npets = ["), "a feature per tag: {cargo_toml}");
    assert!(
        generated.files["src/client.rs"].contains("pub const DEFAULT: &str = \"https://eu.pets.example.test/v2\";")
    );
    let err = generate_with_settings(
        "[servers]
other = \"x\"\n",
        "x",
    )
    .unwrap_err();
    assert!(err.ends_with("unknown key `servers.other`; the keys are default"), "{err}");
    assert!(generated.files["src/operations.rs"].contains("pub fn list_pets_pages("), "declared paging");
    assert!(
        generated
            .notes
            .iter()
            .any(|note| note.contains("`listPets` is paged by") && note.contains("(from `[pagination.listPets]` of ")),
        "the note says the settings declared it: {:?}",
        generated.notes
    );
}

#[test]
fn patches_change_the_description_before_it_is_loaded_and_one_that_does_not_apply_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("drop-health.yaml");
    std::fs::write(&file, "- {op: remove, path: /paths/~1health}\n").unwrap();
    let settings = format!(
        r#"
[[patches]]
merge = {{ components = {{ schemas = {{ Pet = {{ properties = {{ nickname = {{ type = "string" }} }} }} }} }} }}
[[patches]]
json = [{{ op = "test", path = "/info/title", value = "Tag Features" }}]
[[patches]]
file = "{}"
"#,
        file.display()
    );
    let generated = generate_with_settings(&settings, "patched").unwrap();
    assert!(generated.files["src/models.rs"].contains("pub nickname: Option<String>,"), "the merge patch");
    assert!(!generated.files["src/operations.rs"].contains("pub fn health("), "the patch file's remove");
    assert!(generated.files["src/operations.rs"].contains("pub fn list_pets("));

    let failing = "[[patches]]\njson = [{ op = \"remove\", path = \"/components/schemas/Gone\" }]\n";
    let err = generate_with_settings(failing, "x").unwrap_err();
    assert!(
        err.ends_with(
            "tag_features.yaml: patch 1 does not apply: operation 0 at #/components/schemas/Gone: path is invalid"
        ) || err.contains("patch 1 does not apply: operation 0 at #/components/schemas/Gone"),
        "{err}"
    );
    let err = generate_with_settings("[[patches]]\nmerge = {}\njson = []\n", "x").unwrap_err();
    assert!(err.contains("patch 1 needs exactly one of `merge`"), "{err}");
}

/// The settings `customize.yaml` is generated with in the construct workspace, beside the
/// `money` crate whose type replaces its `Money` schema.
const CUSTOMIZED: &str = r##"
[replace]
Money = "money::Money"
"Line.unit_price" = "serde_json::Number"
[dependencies]
money = { path = "../money" }
[features]
strict = []
[derive]
Line = ["Hash", "Eq"]
Label = ["Hash", "Eq", "PartialOrd", "Ord"]
[attributes]
Invoice = ["#[non_exhaustive]"]
[rename.operations]
listInvoices = "invoices"
getInvoice = "invoice"
[rename.types]
InvStatus = "InvoiceStatus"
InvoicePagePageInfo = "PageInfo"
[rename.fields]
"InvoicePage.page_info" = "info"
"listInvoices.cust_id" = "customer_id"
"getInvoice.inv_id" = "invoice_id"
"Attachment.note_txt" = "note"
[rename.variants]
"InvStatus.paid_in_full" = "Paid"
"##;

#[test]
fn settings_replace_derive_attribute_and_rename() {
    let generated = generate_spec_with_settings("customize.yaml", CUSTOMIZED, "customized").unwrap();
    let models = &generated.files["src/models.rs"];
    let operations = &generated.files["src/operations.rs"];
    // `Money` is the user's type, and `Currency`, which only `Money` held, went with it.
    assert!(models.contains("pub total: money::Money,"), "{models}");
    assert!(!models.contains("pub struct Money") && !models.contains("pub enum Currency"), "{models}");
    assert!(models.contains("pub unit_price: Option<serde_json::Number>,"));
    assert!(generated.files["Cargo.toml"].contains("# From the settings.\nmoney = { path = \"../money\" }\n"));
    assert!(generated.files["Cargo.toml"].contains("# From the settings.\nstrict = []\n"), "the feature");
    // Derives on what was asked for, never twice; the attribute.
    // `Line` holds the replacement, so the generator does not assume `Eq`: the settings derive it.
    assert!(
        models.contains("    #[derive(Hash, Eq)]\n    #[derive(Debug, Clone, PartialEq)]\n    pub struct Line {"),
        "{models}"
    );
    // `Label`'s fields are all `Eq`: the generator's `Eq` (from the macro) is not derived again.
    let label = &models[models
        .find("    #[derive(Hash, PartialOrd, Ord)]\n    #[derive(Debug, Clone, PartialEq)]\n    pub struct Label {")
        .unwrap()..];
    assert!(label[..label.find("\n}\n").unwrap()].ends_with("\n    impl Eq;"), "{models}");
    assert!(
        models.contains("    #[non_exhaustive]\n    #[derive(Debug, Clone, PartialEq)]\n    pub struct Invoice {"),
        "{models}"
    );
    // Renames, and what refers to the renamed things.
    assert!(operations.contains("pub fn invoices(") && operations.contains("pub fn invoices_pages("), "{operations}");
    assert!(operations.contains("pub fn invoice(") && operations.contains("pub struct InvoiceParams {"));
    assert!(operations.contains("pub customer_id: Option<String>,") && operations.contains("pub invoice_id: String,"));
    assert!(operations.contains("\"cust_id\"") && operations.contains("\"inv_id\""), "wire names stay");
    assert!(models.contains("pub enum InvoiceStatus {") && models.contains(" => Paid,\n"), "{models}");
    assert!(models.contains("pub status: Option<InvoiceStatus>,"));
    assert!(models.contains("pub info: Option<PageInfo>,") && models.contains("\"page_info\" optional => pub info"));
    assert!(models.contains("pub struct PageInfo {"), "an inline type, by the name the generator gave it");
    assert!(models.contains("pub note: Option<String>,"));
    assert!(operations.contains("\"note_txt\""), "the part keeps its name");
    let note = generated.notes.iter().find(|note| note.contains("`listInvoices`")).unwrap();
    assert!(note.contains("up to `info.num_pages` pages"), "the page fields follow the rename: {note}");
}

#[test]
fn a_setting_that_matches_nothing_or_cannot_hold_is_refused() {
    let refused = |settings: &str| generate_spec_with_settings("customize.yaml", settings, "x").unwrap_err();
    let err = refused("[replace]\nMony = \"money::Money\"\n");
    assert!(err.ends_with("replace names type `Mony`, which the API does not have; did you mean `Money`?"), "{err}");
    let err = refused("[replace]\n\"Line.unit_prise\" = \"f64\"\n");
    assert!(err.contains("field `Line.unit_prise`") && err.ends_with("did you mean `unit_price`?"), "{err}");
    let err = refused("[replace]\nAttachment = \"my::Attachment\"\n");
    assert!(err.contains("the multipart body of `addAttachment`"), "{err}");
    let err = refused("[derive]\nInvoice = [\"Hash\"]\n");
    assert!(err.ends_with("`Hash` cannot be derived on `Invoice`: `Invoice.weight` is a floating-point number, which does not implement it"), "{err}");
    let err = refused("[derive]\nLine = [\"Hash\"]\n");
    assert!(err.contains("`Line.unit_price` is a floating-point number"), "{err}");
    let err = refused("[derive]\nLabel = [\"Ord\"]\n");
    assert!(err.contains("without `PartialOrd` and `Eq`"), "{err}");
    let err = refused("[derive]\n\"Nothing*\" = [\"Hash\"]\n");
    assert!(err.contains("derive names type pattern `Nothing*`"), "{err}");
    let err = refused("[derive]\nLabel = [\"serde::Serialize\"]\n");
    assert!(err.contains("the generated crate's `serialize`"), "{err}");
    let err = refused("[rename.operations]\nlistInvoice = \"invoices\"\n");
    assert!(err.ends_with("did you mean `listInvoices`?"), "{err}");
    let err = refused("[rename.operations]\nlistInvoices = \"get_invoice\"\n");
    assert!(err.contains("is the method of `getInvoice` already"), "{err}");
    let err = refused("[rename.operations]\nlistInvoices = \"listAll\"\n");
    assert!(err.contains("is not a snake_case identifier; did you mean \"list_all\"?"), "{err}");
    let err = refused("[rename.types]\nInvStatus = \"Invoice\"\n");
    assert!(err.contains("would name two types `Invoice`: `InvStatus` and `Invoice`"), "{err}");
    let err = refused("[rename.types]\nInvStatus = \"invoice_status\"\n");
    assert!(err.contains("did you mean \"InvoiceStatus\"?"), "{err}");
    let err = refused("[rename.fields]\n\"Invoice.weight\" = \"lines\"\n");
    assert!(err.contains("is another field's name"), "{err}");
    let err = refused("[rename.variants]\n\"InvStatus.paid\" = \"Paid\"\n");
    assert!(err.ends_with("did you mean `Draft`?") || err.contains("variant `InvStatus.paid`"), "{err}");
    let err = refused("[rename]\nmethods = {}\n");
    assert!(
        err.ends_with("unknown key `rename.methods`; did you mean `rename.operations`?")
            || err.contains("unknown key `rename.methods`"),
        "{err}"
    );
    let err = refused("[attributes]\nLabel = [\"derive(Hash)\"]\n");
    assert!(err.contains("is not one outer attribute"), "{err}");
    let err = refused("[replace]\nMoney = \"not a type!\"\n");
    assert!(err.contains("is not a Rust type"), "{err}");
    // Through an alias, and an alias named for attributes.
    let weight_alias = "[[patches]]\nmerge = { components = { schemas = { Weight = { type = \"number\" }, Line = { properties = { unit_price = { type = \"string\" }, qty = { \"$ref\" = \"#/components/schemas/Weight\" } } } } } }\n";
    let err = refused(&format!("{weight_alias}[derive]\nLine = [\"Hash\"]\n"));
    assert!(err.contains("`Line.qty` is a floating-point number"), "{err}");
    let err = refused(&format!("{weight_alias}[attributes]\nWeight = [\"#[non_exhaustive]\"]\n"));
    assert!(err.contains("`Weight` is a type alias, which takes no attributes"), "{err}");
    let err = refused("[rename.operations]\nlistInvoices = \"new\"\n");
    assert!(err.contains("the client has a method `new` of its own"), "{err}");
    let err = refused("[rename.operations]\ngetInvoice = \"list_invoices_pages\"\n");
    assert!(err.contains("is the method of `listInvoices` already"), "{err}");
    let err = refused("[features]\ntracing = []\n");
    assert!(err.contains("features.tracing: the generated crate has that feature itself"), "{err}");
}

/// The user's own money type, which replaces the `Money` schema of `customize.yaml`.
const MONEY: &str = r##"
//! A type of the user's, which a generated client uses in place of a schema.

/// An amount in a currency.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Money {
    /// The amount, in the currency's smallest unit.
    pub amount: String,
    /// The ISO 4217 code.
    pub currency: String,
}
"##;

/// What the settings of [`CUSTOMIZED`] made of `customize.yaml`, used: each function names
/// something a setting made, so the crate does not compile if the setting was ignored.
const CUSTOMIZED_USE: &str = r##"
//! Uses the renamed, replaced and derived items of the `customized` client.

use std::collections::{BTreeSet, HashSet};

use customized::models::{Invoice, InvoicePage, InvoiceStatus, Label, Line, PageInfo};
use customized::operations::{InvoiceParams, InvoicesParams};

/// An invoice of the user's money type.
pub fn invoice(total: money::Money) -> Invoice {
    Invoice::new("inv-1", total)
}

/// The renamed variant.
pub fn is_paid(status: &InvoiceStatus) -> bool {
    matches!(status, InvoiceStatus::Paid)
}

/// `Line` derives `Hash` and `Eq`.
pub fn distinct(lines: Vec<Line>) -> HashSet<Line> {
    lines.into_iter().collect()
}

/// `Label` derives `Ord`.
pub fn sorted(labels: Vec<Label>) -> BTreeSet<Label> {
    labels.into_iter().collect()
}

/// The renamed field, of the renamed inline type.
pub fn page_count(page: &InvoicePage) -> Option<i64> {
    page.info.as_ref().and_then(|info: &PageInfo| info.num_pages)
}

/// The renamed methods and parameters.
pub async fn first_invoice(client: &customized::Client, customer: &str) -> Option<Invoice> {
    let params = InvoicesParams { customer_id: Some(customer.to_owned()), ..InvoicesParams::new() };
    let _pages = client.invoices_pages(&params);
    let first = client.invoices(&params).await.ok()?.into_body().invoices?.into_iter().next()?;
    client.invoice(&InvoiceParams::new(first.inv_id.clone())).await.ok().map(|response| response.into_body())
}
"##;

/// Inline schemas of one shape (and one direction on the wire) are one type; every name they
/// had stays, as an alias of it that keeps its description, so fields, parameters and bodies
/// read as before. Objects that become identical once their enums are merged are merged too;
/// a component is never merged, and the setting keeps every type apart.
#[test]
fn identical_inline_schemas_are_one_type_and_their_names_stay() {
    let document = load::load_file(&specs_dir().join("identical_schemas.yaml")).unwrap();
    let (api, _) = ir::build_with_examples(&document).unwrap();
    let alias_of = |name: &str| match &type_named(&api, name).kind {
        TypeKind::Alias(target) => target.rust(&api.types).to_string(),
        other => panic!("{name} is not an alias: {other:?}"),
    };
    assert!(matches!(type_named(&api, "ListDirection").kind, TypeKind::Enum(_)));
    assert_eq!(alias_of("ListReposDirection"), "ListDirection");
    assert_eq!(alias_of("ListTeamsDirection"), "ListDirection");
    // Merged a second time round, once the `kind` enums are one.
    assert!(matches!(type_named(&api, "Owner").kind, TypeKind::Struct(_)));
    assert_eq!((alias_of("RepoOwner"), alias_of("TeamOwner")), ("Owner".to_owned(), "Owner".to_owned()));
    assert_eq!(alias_of("TeamOwnerKind"), "OwnerKind");
    // `Visibility` is the component's: the inline enums keep apart from it and take a member's name.
    assert!(matches!(type_named(&api, "Visibility").kind, TypeKind::Enum(_)));
    assert_eq!(alias_of("TeamVisibility"), "RepoVisibility");
    let team_visibility = type_named(&api, "TeamVisibility").description.clone().unwrap();
    assert!(team_visibility.starts_with("Who sees the team."), "{team_visibility}");
    assert_eq!(type_named(&api, "RepoVisibility").description, None, "their descriptions differ");
    // The required-fields struct of a merged object keeps its name too.
    assert_eq!(alias_of("CreateOrgTeamRequestRequired"), "CreateTeamRequestRequired");
    // Fields keep the names they had.
    let team = type_named(&api, "Team");
    let TypeKind::Struct(body) = &team.kind else { panic!() };
    assert_eq!(body.fields[1].ty, named(&api, "TeamVisibility"));
    let generated = generate(&specs_dir().join("identical_schemas.yaml"));
    assert_eq!(generated.notes.len(), 1, "six merges are one note: {:?}", generated.notes);
    assert!(
        generated
            .details
            .iter()
            .any(|n| n.starts_with("note: #/components/schemas/Repo/properties/owner: `Owner` is one type")),
        "{:?}",
        generated.details
    );

    let options = ir::BuildOptions { keep_identical_types: true, ..Default::default() };
    let (kept, _) = ir::build_with(&document, &options).unwrap();
    assert!(kept.merged_types.is_empty());
    assert!(kept.types.iter().all(|def| !matches!(def.kind, TypeKind::Alias(_))), "no aliases when kept apart");
    assert!(kept.types.iter().all(|def| def.name != "Owner" && def.name != "ListDirection"));
}

/// An OpenAPI 3.2 document is read: streams described by `itemSchema` (events whose `data` is
/// JSON by `contentSchema`, JSON Lines both ways), a media type from `components.mediaTypes`,
/// `query` and `additionalOperations` methods, a `querystring` of a form-encoded object and one
/// of JSON, and OAuth's metadata URL and device flow, which get helpers of their own.
#[test]
fn openapi_3_2_streams_by_item_schema_and_what_is_not_supported_yet_is_said_where_it_is() {
    let document = load::load_file(&specs_dir().join("openapi_32.yaml")).unwrap();
    assert_eq!(document.version, load::SpecVersion::V3_2);
    let (api, warnings) = ir::build(&document).unwrap();
    let operation = |id: &str| api.operations.iter().find(|op| op.operation_id == id).unwrap();
    let named = |name: &str| named(&api, name);
    let ir::ResponseBody::Stream(events) = &operation("watchChanges").success else { panic!("a stream of events") };
    assert_eq!((events.format, &events.item), (ir::StreamFormat::EventStream, &named("Change")));
    let ir::ResponseBody::Stream(lines) = &operation("exportRecords").success else { panic!("JSON Lines") };
    assert_eq!((lines.format, &lines.item), (ir::StreamFormat::JsonLines, &named("Record")));
    let upload = operation("importRecords").methods[0].body.as_ref().unwrap();
    assert!(matches!(upload.encoding, ir::BodyEncoding::Stream(ir::StreamFormat::JsonLines)));
    assert_eq!(upload.ty, named("Record"));
    assert!(matches!(&operation("getRecord").success, ir::ResponseBody::Json(ty) if *ty == named("Record")));
    assert_eq!(operation("queryRecords").http_method, ir::HttpMethod::Query);
    assert_eq!(operation("copyRecords").http_method, ir::HttpMethod::Other("COPY".to_owned()));
    assert_eq!(operation("copyRecords").pointer.as_str(), "#/paths/~1records/additionalOperations/COPY");
    let search = &operation("searchRecords").params.as_ref().unwrap().params[0];
    assert_eq!((search.location, search.style, search.explode), (ParamLocation::Query, Style::Form, true));
    // A `querystring` of JSON: the value's JSON is the whole query.
    let filter = &operation("searchRecordsByJson").params.as_ref().unwrap().params[0];
    assert_eq!(
        (filter.location, filter.required, &filter.ty),
        (ParamLocation::QueryString, true, &named("RecordQuery"))
    );
    // The OAuth 2.0 scheme's tokens are sent as bearer tokens; its authorization server's
    // metadata is fetched by a method of its own.
    let device = api.security_schemes.iter().find(|s| s.name == "device").unwrap();
    assert_eq!(device.kind, ir::AuthKind::Bearer);
    let metadata = device.metadata.as_ref().expect("the oauth2MetadataUrl");
    assert_eq!(
        (metadata.url.as_str(), metadata.method.as_str(), metadata.openid_connect),
        ("https://auth.example.com/.well-known/oauth-authorization-server", "device_metadata", false)
    );
    // An OpenID Connect scheme's discovery document, at a URL relative to the default server's
    // (an absolute path: at the root of its host, as RFC 3986 resolves it).
    let oidc = api.security_schemes.iter().find(|s| s.name == "oidc").unwrap();
    let discovery = oidc.metadata.as_ref().expect("the openIdConnectUrl");
    assert_eq!(
        (discovery.url.as_str(), discovery.method.as_str(), discovery.openid_connect),
        ("https://api.example.test/.well-known/openid-configuration", "oidc_metadata", true)
    );
    assert!(warnings.is_empty(), "the fields that only document are read without complaint: {warnings:?}");
    // The device authorization flow gets its helpers, its requests on a server the client knows.
    let flow = api.device_flow.as_ref().expect("the device flow");
    assert_eq!(
        (flow.scheme.as_str(), flow.device_authorization_url.as_str(), flow.token_url.as_str()),
        ("device", "https://auth.example.com/device", "https://auth.example.com/token")
    );
    assert_eq!(flow.scopes.iter().map(|scope| scope.value.as_str()).collect::<Vec<_>>(), ["records"]);
    let ir::TokenCall::Standard { server, path, .. } = &flow.token else { panic!("a standard request") };
    assert_eq!((server.as_str(), path.as_str()), ("https://auth.example.com", "/token"));
    assert!(api.extra_servers.iter().any(|s| s.url == "https://auth.example.com"));
    // `defaultMapping` names the variant a missing or unmapped tag decodes as, in place of the
    // variant that would keep it as JSON.
    let TypeKind::Union(shape) = &api.type_named("Shape").unwrap().kind else { panic!("Shape is a union") };
    let default = shape.default_variant.map(|index| shape.variants[index].name.as_str());
    assert_eq!((default, shape.unknown_variant.as_deref()), (Some("Blob"), None));
    let legacy = api.security_schemes.iter().find(|scheme| scheme.name == "legacyKey").unwrap();
    assert!(legacy.deprecated);
    assert_eq!(operation("getRecord").server.as_deref(), Some("EU"), "a server is named for its `name`");
    assert_eq!(api.default_server.description.as_deref(), Some("The `production` server."));
    let get_shape = operation("getShape");
    assert_eq!(get_shape.documented_responses, [("200".to_owned(), vec!["application/json".to_owned()])]);
}

/// A scheme whose metadata URL is empty gets no method for it, and a warning where it is.
#[test]
fn an_empty_metadata_url_is_said_where_it_is() {
    let spec = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  securitySchemes:\n\
                \x20   o: {type: oauth2, oauth2MetadataUrl: '', flows: {clientCredentials: {tokenUrl: /t, scopes: {}}}}\n";
    let document = load::load_str(spec, "empty.yaml").unwrap();
    let (api, warnings) = ir::build(&document).unwrap();
    assert!(api.security_schemes[0].metadata.is_none());
    let at = "#/components/securitySchemes/o/oauth2MetadataUrl";
    assert!(
        warnings.iter().any(|w| w.pointer.as_str() == at && w.message.contains("empty metadata URL")),
        "{warnings:?}"
    );
}

/// A tag nested under another (3.2's `parent`): with `--features-per-tag`, the parent's feature
/// turns the child's on, and a parent no operation uses gets a feature for that alone; a tag's
/// `summary` describes its feature.
#[test]
fn a_nested_tag_s_feature_is_turned_on_by_its_parent_s() {
    let spec = "openapi: 3.2.0\ninfo: {title: t, version: '1'}\n\
                tags:\n  - {name: records, summary: Records, description: Every record.}\n  - {name: live, parent: records}\n  - {name: archive, parent: shelves}\n\
                paths:\n\
                \x20 /a: {get: {operationId: a, tags: [records], responses: {'204': {description: ok}}}}\n\
                \x20 /b: {get: {operationId: b, tags: [live], responses: {'204': {description: ok}}}}\n\
                \x20 /c: {get: {operationId: c, tags: [archive], responses: {'204': {description: ok}}}}\n";
    let document = load::load_str(spec, "nested.yaml").unwrap();
    let (api, _) = ir::build(&document).unwrap();
    let gates = ir::features::gates(&api);
    let implies = |name: &str| gates.features.iter().find(|feature| feature.name == name).unwrap().implies.clone();
    assert_eq!(implies("records"), ["live"]);
    assert_eq!(implies("shelves"), ["archive"], "a parent no operation uses gets a feature of its own");
    assert!(implies("live").is_empty());
    let options = Options {
        crate_name: "nested".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "nested.yaml".to_owned(),
        regenerate_command: "cargo test".to_owned(),
        runtime: runtime_crate(),
        tag_features: true,
        ..Options::default()
    };
    let cargo_toml = &openapi_gen::generate_from_document(&document, &options).unwrap().files["Cargo.toml"];
    assert!(cargo_toml.contains("\nrecords = [\"live\"]\n"), "{cargo_toml}");
    // A tag's `summary`, its short title, says what its feature is.
    assert!(
        cargo_toml.contains("# The operations tagged `records`, and the types they need: Records\n"),
        "{cargo_toml}"
    );
}

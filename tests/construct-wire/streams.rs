//! Streams of items on the wire: the client of `tests/specs/streams.yaml` against loopback
//! servers that send server-sent events, JSON Lines and JSON text sequences a piece at a time.
//! Compiled and run in the construct workspace by `tests/tests/generator_constructs.rs`.

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use construct_streams::models::{Change, ChangeKind, CreateCompletionRequest};
    use construct_streams::operations::WatchEventsParams;
    use construct_streams::{Client, Error, RetryPolicy, StreamError};
    use futures::StreamExt;
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    use tokio::net::TcpListener;
    use tokio::sync::oneshot;

    /// What the server does next.
    enum Step {
        /// Writes these bytes.
        Send(Vec<u8>),
        /// Waits until the test says so.
        Wait(oneshot::Receiver<()>),
        /// Waits this long.
        Sleep(Duration),
    }

    /// A chunk of a `transfer-encoding: chunked` body.
    fn chunk(text: &str) -> Step {
        Step::Send(format!("{:x}\r\n{text}\r\n", text.len()).into_bytes())
    }

    /// The last chunk of a chunked body.
    fn last_chunk() -> Step {
        Step::Send(b"0\r\n\r\n".to_vec())
    }

    /// A chunked `200 OK` of `content_type`.
    fn chunked_head(content_type: &str) -> Step {
        Step::Send(format!("HTTP/1.1 200 OK\r\ncontent-type: {content_type}\r\ntransfer-encoding: chunked\r\n\r\n").into_bytes())
    }

    /// A client of a server that answers one request with `steps` and then closes the
    /// connection; the server's task gives the request it read (head and body).
    async fn serve(steps: Vec<Step>) -> (Client, tokio::task::JoinHandle<String>) {
        serve_with(steps, |builder| builder).await
    }

    async fn serve_with(
        steps: Vec<Step>,
        build: impl FnOnce(construct_streams::ClientBuilder) -> construct_streams::ClientBuilder,
    ) -> (Client, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/v1", listener.local_addr().unwrap());
        let client = build(Client::builder().base_url(url).retry(RetryPolicy::none())).build().unwrap();
        let server = tokio::spawn(async move {
            let (mut socket, _) = listener.accept().await.unwrap();
            let mut request = Vec::new();
            let mut buffer = [0u8; 4096];
            while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                let read = socket.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..read]);
            }
            let text = String::from_utf8_lossy(&request).to_ascii_lowercase();
            let length = text
                .lines()
                .find_map(|line| line.strip_prefix("content-length: "))
                .and_then(|n| n.trim().parse::<usize>().ok())
                .unwrap_or(0);
            let head_end = request.windows(4).position(|w| w == b"\r\n\r\n").unwrap() + 4;
            while request.len() < head_end + length {
                let read = socket.read(&mut buffer).await.unwrap();
                request.extend_from_slice(&buffer[..read]);
            }
            // A body sent as it comes is chunked: read to its last chunk, and keep it unchunked.
            if text.contains("transfer-encoding: chunked") {
                while !request.ends_with(b"0\r\n\r\n") {
                    let read = socket.read(&mut buffer).await.unwrap();
                    request.extend_from_slice(&buffer[..read]);
                }
                let mut body = Vec::new();
                let mut rest = &request[head_end..];
                while let Some(line_end) = rest.windows(2).position(|w| w == b"\r\n") {
                    let size = usize::from_str_radix(std::str::from_utf8(&rest[..line_end]).unwrap(), 16).unwrap();
                    if size == 0 {
                        break;
                    }
                    body.extend_from_slice(&rest[line_end + 2..line_end + 2 + size]);
                    rest = &rest[line_end + 2 + size + 2..];
                }
                request.truncate(head_end);
                request.extend_from_slice(&body);
            }
            for step in steps {
                match step {
                    Step::Send(bytes) => socket.write_all(&bytes).await.unwrap(),
                    Step::Wait(go_on) => {
                        let _ = go_on.await;
                    }
                    Step::Sleep(duration) => tokio::time::sleep(duration).await,
                }
            }
            socket.shutdown().await.unwrap();
            String::from_utf8_lossy(&request).into_owned()
        });
        (client, server)
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn events_reach_the_caller_one_by_one_before_the_server_has_finished() {
        let (go_on, wait) = oneshot::channel();
        let (client, server) = serve(vec![
            chunked_head("text/event-stream"),
            chunk(": the first event\ndata: {\"id\": 1, \"kind\": \"created\"}\n\n"),
            Step::Wait(wait),
            // Split inside a line, `\r\n` line ends, data over two lines, and every field.
            chunk("id: 2\r\nevent: change\r\nretry: 1500\r\ndata: {\"id\": 2,\r\nda"),
            chunk("ta: \"kind\": \"deleted\"}\r\n\r\n"),
            chunk("data: {\"id\": \"three\", \"kind\": \"created\"}\n\n"),
            chunk("data: {\"id\": 4, \"kind\": \"archived\"}\n\n"),
            last_chunk(),
        ])
        .await;

        let params = WatchEventsParams { topic: Some("pets".to_owned()) };
        let mut events = client.watch_events(&params).await.unwrap().into_body();
        // The server holds back the rest until the client has the first event.
        let first = events.next().await.unwrap().unwrap();
        assert_eq!((first.data.id, first.data.kind.clone()), (1, ChangeKind::Created));
        assert_eq!((first.event.as_deref(), first.id.as_deref(), first.retry), (None, None, None));
        go_on.send(()).unwrap();
        let second = events.next().await.unwrap().unwrap();
        assert_eq!((second.data.id, second.data.kind.clone()), (2, ChangeKind::Deleted));
        assert_eq!(second.event.as_deref(), Some("change"));
        assert_eq!(second.id.as_deref(), Some("2"));
        assert_eq!(second.retry, Some(Duration::from_millis(1500)));
        // An event that does not decode is an error item naming it and its path; the stream goes on.
        match events.next().await.unwrap() {
            Err(StreamError::Decode { item: 3, path, .. }) => assert_eq!(path, "id"),
            other => panic!("expected the third event to fail to decode: {other:?}"),
        }
        // A value the enum does not list is kept, not an error.
        let fourth = events.next().await.unwrap().unwrap();
        assert_eq!(fourth.data.kind, ChangeKind::Unknown("archived".to_owned()));
        assert!(events.next().await.is_none(), "the stream ended normally");
        assert_eq!(events.last_event_id(), Some("2"));
        assert_eq!(events.retry(), Some(Duration::from_millis(1500)));

        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(request.starts_with("get /v1/events?topic=pets http/1.1\r\n"), "{request}");
        assert!(request.contains("\r\naccept: text/event-stream\r\n"), "{request}");
    }

    #[tokio::test]
    async fn events_that_differ_by_name_are_an_enum_with_an_unknown_variant() {
        use construct_streams::operations::FeedEvent;

        let (client, _server) = serve(vec![
            chunked_head("text/event-stream"),
            chunk("event: change\ndata: {\"id\": 1, \"kind\": \"created\"}\n\n"),
            chunk("event: note\ndata: hello\ndata: world\n\n"),
            chunk("event: ping\ndata: {}\n\n"),
            chunk("event: change\ndata: {\"id\": \"x\"}\n\n"),
            last_chunk(),
        ])
        .await;
        let events: Vec<_> = client.feed().await.unwrap().into_body().collect().await;
        assert_eq!(events.len(), 4, "{events:?}");
        let data = |index: usize| events[index].as_ref().unwrap().data.clone();
        assert_eq!(data(0), FeedEvent::Change(Change::new(1, ChangeKind::Created)));
        assert_eq!(data(1), FeedEvent::Note("hello\nworld".to_owned()));
        assert_eq!(data(2), FeedEvent::Unknown { event: Some("ping".to_owned()), data: "{}".to_owned() });
        assert!(matches!(&events[3], Err(StreamError::Decode { item: 4, .. })), "{:?}", events[3]);
    }

    #[tokio::test]
    async fn a_request_body_of_json_lines_is_sent_item_by_item() {
        use construct_streams::models::Record;

        let (client, server) =
            serve(vec![Step::Send(b"HTTP/1.1 204 No Content\r\ncontent-length: 0\r\n\r\n".to_vec())]).await;
        let records = futures::stream::iter(vec![Record::new(1), Record { name: Some("b".to_owned()), ..Record::new(2) }]);
        let response = client.import_records(records).await.unwrap();
        assert_eq!(response.status().as_u16(), 204);
        let request = server.await.unwrap();
        assert!(request.starts_with("POST /v1/import HTTP/1.1\r\n"), "{request}");
        assert!(request.to_ascii_lowercase().contains("\r\ncontent-type: application/x-ndjson\r\n"), "{request}");
        assert!(request.ends_with("\r\n\r\n{\"id\":1}\n{\"id\":2,\"name\":\"b\"}\n"), "{request}");
    }

    #[tokio::test]
    async fn a_posted_stream_sends_its_body_and_decodes_inline_items() {
        let (client, server) = serve(vec![
            chunked_head("text/event-stream; charset=utf-8"),
            chunk("data: {\"text\": \"Hel\"}\n\ndata: {\"text\": \"lo\", \"done\": true}\n\n"),
            last_chunk(),
        ])
        .await;
        let events = client.create_completion(&CreateCompletionRequest::new("Say hello")).await.unwrap().into_body();
        let pieces: Vec<_> = events.map(|event| event.unwrap().data).collect().await;
        let text: String = pieces.iter().map(|piece| piece.text.as_str()).collect();
        assert_eq!(text, "Hello");
        assert_eq!(pieces.last().unwrap().done, Some(true));
        let request = server.await.unwrap();
        assert!(request.starts_with("POST /v1/completions HTTP/1.1\r\n"), "{request}");
        assert!(request.ends_with("{\"prompt\":\"Say hello\"}"), "{request}");
    }

    #[tokio::test]
    async fn a_schema_of_the_whole_event_types_its_data() {
        let (client, _server) = serve(vec![
            chunked_head("text/event-stream"),
            chunk("event: change\nid: n-1\ndata: {\"id\": 5, \"kind\": \"deleted\"}\n\n"),
            last_chunk(),
        ])
        .await;
        let mut notifications = client.notifications().await.unwrap().into_body();
        let event = notifications.next().await.unwrap().unwrap();
        assert_eq!((event.data.id, event.data.kind), (5, ChangeKind::Deleted));
        assert_eq!((event.event.as_deref(), event.id.as_deref()), (Some("change"), Some("n-1")));
        assert!(notifications.next().await.is_none());
    }

    #[tokio::test]
    async fn a_stream_cut_short_ends_with_an_error_and_a_finished_one_without() {
        // The connection drops inside a chunk: a transport error, then the end.
        let (client, _server) = serve(vec![
            chunked_head("text/event-stream"),
            chunk("data: one\n\n"),
            Step::Send(b"20\r\ndata: tw".to_vec()),
        ])
        .await;
        let mut ticks = client.ticks().await.unwrap().into_body();
        assert_eq!(ticks.next().await.unwrap().unwrap().data, "one");
        assert!(matches!(ticks.next().await, Some(Err(StreamError::Transport(_)))));
        assert!(ticks.next().await.is_none());

        // The body ends (the connection closes) before the blank line that ends an event.
        let (client, _server) =
            serve(vec![Step::Send(b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\n\r\ndata: one\n\ndata: tw".to_vec())])
                .await;
        let mut ticks = client.ticks().await.unwrap().into_body();
        assert_eq!(ticks.next().await.unwrap().unwrap().data, "one");
        let error = ticks.next().await.unwrap().unwrap_err();
        assert!(matches!(error, StreamError::Incomplete { item: 2 }), "{error:?}");
        assert_eq!(error.to_string(), "the stream ended inside item 2, before the end of that item");
        assert!(ticks.next().await.is_none());
    }

    #[tokio::test]
    async fn a_stream_outlives_the_client_timeout() {
        let (client, _server) = serve_with(
            vec![
                chunked_head("text/event-stream"),
                chunk("data: one\n\n"),
                Step::Sleep(Duration::from_millis(700)),
                chunk("data: two\n\n"),
                last_chunk(),
            ],
            |builder| builder.timeout(Some(Duration::from_millis(300))),
        )
        .await;
        let ticks: Vec<String> = client.ticks().await.unwrap().into_body().map(|tick| tick.unwrap().data).collect().await;
        assert_eq!(ticks, ["one", "two"]);
    }

    #[tokio::test]
    async fn a_per_call_timeout_bounds_the_whole_stream() {
        let (client, _server) = serve(vec![
            chunked_head("text/event-stream"),
            chunk("data: one\n\n"),
            Step::Sleep(Duration::from_millis(1500)),
            chunk("data: two\n\n"),
            last_chunk(),
        ])
        .await;
        let mut ticks = client.ticks().timeout(Duration::from_millis(400)).await.unwrap().into_body();
        assert_eq!(ticks.next().await.unwrap().unwrap().data, "one");
        assert!(matches!(ticks.next().await, Some(Err(StreamError::Transport(err))) if err.is_timeout()));
    }

    #[tokio::test]
    async fn json_lines_arrive_one_by_one_and_go_on_after_a_bad_line() {
        let (client, server) = serve(vec![
            chunked_head("application/x-ndjson"),
            chunk("{\"id\": 1, \"name\": \"a\"}\r\n{\"id\": \"x\"}\n"),
            chunk("\n{\"id\": 3"),
            chunk("}"),
            last_chunk(),
        ])
        .await;
        let records: Vec<_> = client.export_records().await.unwrap().into_body().collect().await;
        assert_eq!(records.len(), 3, "{records:?}");
        assert_eq!(records[0].as_ref().unwrap().name.as_deref(), Some("a"));
        assert!(matches!(&records[1], Err(StreamError::Decode { item: 2, path, .. }) if path == "id"), "{records:?}");
        assert_eq!(records[2].as_ref().unwrap().id, 3);
        let request = server.await.unwrap().to_ascii_lowercase();
        assert!(request.contains("\r\naccept: application/x-ndjson\r\n"), "{request}");
    }

    #[tokio::test]
    async fn a_json_text_sequence_is_read_record_by_record() {
        let (client, _server) = serve(vec![
            chunked_head("application/json-seq"),
            chunk("\u{1e}{\"id\": 1}\n\u{1e}{\"id\""),
            chunk(": 2}\n"),
            last_chunk(),
        ])
        .await;
        let records: Vec<i64> =
            client.record_sequence().await.unwrap().into_body().map(|record| record.unwrap().id).collect().await;
        assert_eq!(records, [1, 2]);
    }

    #[tokio::test]
    async fn the_mock_server_sends_typed_items_as_each_operation_streams_them() {
        use construct_streams::mock::MockServer;
        use construct_streams::models::Record;
        use construct_streams::operations::FeedEvent;

        let server = MockServer::start().await;
        let changes = vec![Change::new(1, ChangeKind::Created), Change::new(2, ChangeKind::Deleted)];
        server.expect_watch_events().respond_stream(changes).await;
        server.expect_record_sequence().respond_stream(vec![Record::new(1), Record::new(2)]).await;
        server.expect_export_records().respond_stream(vec![Record::new(3)]).await;
        server.expect_ticks().respond_stream(vec!["two\nlines".to_owned()]).await;
        let feed = vec![
            FeedEvent::Change(Change::new(5, ChangeKind::Created)),
            FeedEvent::Note("a\nnote".to_owned()),
            FeedEvent::Unknown { event: Some("ping".to_owned()), data: "{}".to_owned() },
        ];
        server.expect_feed().respond_stream(feed.clone()).await;
        // A request stream is read back as the list of its items.
        let imported = server.expect_import_records().respond_status(204).await;
        let client = server.client_builder().build().unwrap();

        let events = client.watch_events(&WatchEventsParams::default()).await.unwrap().into_body();
        let ids: Vec<i64> = events.map(|event| event.unwrap().data.id).collect().await;
        assert_eq!(ids, [1, 2]);
        let records = client.record_sequence().await.unwrap().into_body();
        assert_eq!(records.map(|record| record.unwrap().id).collect::<Vec<_>>().await, [1, 2]);
        let lines = client.export_records().await.unwrap().into_body();
        assert_eq!(lines.map(|record| record.unwrap().id).collect::<Vec<_>>().await, [3]);
        let ticks = client.ticks().await.unwrap().into_body();
        assert_eq!(ticks.map(|tick| tick.unwrap().data).collect::<Vec<_>>().await, ["two\nlines"]);
        let events = client.feed().await.unwrap().into_body();
        let names: Vec<_> = events.map(|event| event.unwrap()).collect().await;
        assert_eq!(names.iter().map(|event| event.data.clone()).collect::<Vec<_>>(), feed);
        assert_eq!(names[0].event.as_deref(), Some("change"));
        let records = vec![Record::new(7), Record { name: Some("b".to_owned()), ..Record::new(8) }];
        client.import_records(futures::stream::iter(records.clone())).await.unwrap();
        assert_eq!(imported.requests(), [((), records)]);
        server.verify().unwrap();
    }

    /// The same streams described in OpenAPI 3.2, by `itemSchema`: events whose `data` is JSON by
    /// `contentSchema`, JSON Lines both ways, and a media type from `components.mediaTypes`; and
    /// 3.2's methods, `QUERY` with its body and `COPY` from `additionalOperations`, sent as such.
    #[tokio::test]
    async fn streams_described_by_item_schemas_in_openapi_3_2() {
        use construct_openapi_32::mock::{MockServer, Reply};
        use construct_openapi_32::models::{Change, ChangeKind, Record, RecordQuery};
        use construct_openapi_32::models::{Blob, Circle, Shape};
        use construct_openapi_32::operations::{
            GetRecordParams, GetShapeParams, SearchRecordsByJsonParams, SearchRecordsParams,
        };

        let server = MockServer::start().await;
        let changes = vec![Change::new(1, ChangeKind::Created), Change::new(2, ChangeKind::Deleted)];
        server.expect_watch_changes().respond_stream(changes.clone()).await;
        server.expect_export_records().respond_stream(vec![Record::new(3)]).await;
        let imported = server.expect_import_records().respond_status(204).await;
        server.expect_get_record().respond_ok(Record { name: Some("four".to_owned()), ..Record::new(4) }).await;
        let query = RecordQuery { name_prefix: Some("fo".to_owned()) };
        let queried = server.expect_query_records().body(query.clone()).respond_ok(vec![Record::new(4)]).await;
        let copied = server.expect_copy_records().respond_status(204).await;
        // A `querystring` of a form-encoded object: its properties are the query's pairs.
        let search = SearchRecordsParams { filter: Some([("name".to_owned(), "four & more".to_owned())].into()) };
        let searched = server.expect_search_records().params(search.clone()).respond_ok(Record::new(4)).await;
        // A `querystring` of JSON: the query is the value's JSON.
        let by_json = SearchRecordsByJsonParams::new(RecordQuery { name_prefix: Some("a&b c".to_owned()) });
        let searched_by_json = server.expect_search_records_by_json().params(by_json.clone()).respond_status(204).await;
        // A discriminator's `defaultMapping`: a kind the mapping does not name is a `Blob`.
        let shapes = server
            .expect_get_shape()
            .times(2)
            .respond_in_turn(vec![
                Reply::Ok(Shape::Circle(Circle::new("circle", 1.5))),
                Reply::Ok(Shape::Blob(Blob::new("triangle"))),
            ])
            .await;
        let client = server.client_builder().key("test-key").build().unwrap();

        let circle = client.get_shape(&GetShapeParams::new(1)).await.unwrap().into_body();
        assert_eq!(circle, Shape::Circle(Circle::new("circle", 1.5)));
        let other = client.get_shape(&GetShapeParams::new(2)).await.unwrap().into_body();
        assert_eq!(other, Shape::Blob(Blob::new("triangle")));
        assert_eq!(shapes.hits(), 2);

        let events = client.watch_changes().await.unwrap().into_body();
        let received: Vec<Change> = events.map(|event| event.unwrap().data).collect().await;
        assert_eq!(received, changes);
        let records = client.export_records().await.unwrap().into_body();
        assert_eq!(records.map(|record| record.unwrap().id).collect::<Vec<_>>().await, [3]);
        let sent = vec![Record::new(5), Record::new(6)];
        client.import_records(futures::stream::iter(sent.clone())).await.unwrap();
        assert_eq!(imported.requests(), [((), sent)]);
        let record = client.get_record(&GetRecordParams::new(4)).await.unwrap().into_body();
        assert_eq!(record.name.as_deref(), Some("four"));
        assert_eq!(client.query_records(&query).await.unwrap().into_body(), [Record::new(4)]);
        assert_eq!(queried.hits(), 1, "the mock matched the request's method, QUERY");
        assert_eq!(client.copy_records().await.unwrap().status().as_u16(), 204);
        assert_eq!(copied.hits(), 1);
        assert_eq!(client.search_records(&search).await.unwrap().into_body(), Record::new(4));
        assert_eq!(searched.requests(), [(search, ())]);
        assert_eq!(client.search_records_by_json(&by_json).await.unwrap().status().as_u16(), 204);
        assert_eq!(searched_by_json.requests(), [(by_json, ())]);
        server.verify().unwrap();
    }

    /// The generated mock server answers the device flow's requests and the metadata fetch, as
    /// a test of code that signs a device in would use it.
    #[tokio::test]
    async fn the_mock_server_answers_the_device_flow() {
        use construct_openapi_32::device_flow::DeviceApp;
        use construct_openapi_32::mock::{MockServer, Reply, TokenAnswer};

        let server = MockServer::start().await;
        let authorization = serde_json::json!({
            "device_code": "d-1", "user_code": "ABCD-EFGH", "verification_uri": "https://auth.example.com/activate",
            "expires_in": 60, "interval": 0,
        });
        let started = server.expect_device_authorization().respond_ok(authorization).await;
        let polled = server
            .expect_device_token_request()
            .times(2)
            .respond_in_turn(vec![
                Reply::Error(400, serde_json::json!({"error": "authorization_pending"})),
                Reply::Ok(TokenAnswer::new("at-1")),
            ])
            .await;
        let metadata = serde_json::from_value(serde_json::json!({"issuer": "https://auth.example.com"})).unwrap();
        server.expect_device_metadata().respond_ok(metadata).await;
        let client = server.client_builder().build().unwrap();

        let app = DeviceApp::new("cli");
        let authorization = client.start_device_authorization(&app).await.unwrap();
        assert_eq!(authorization.user_code(), "ABCD-EFGH");
        let tokens = client.poll_device_authorization(&app, &authorization).await.unwrap();
        assert_eq!(tokens.access_token().expose_secret(), "at-1");
        assert_eq!(started.requests()[0].1["client_id"], "cli");
        assert_eq!(polled.requests()[1].1["device_code"], "d-1");
        let metadata = client.device_metadata().await.unwrap().into_body();
        assert_eq!(metadata.issuer(), Some("https://auth.example.com"));
        server.verify().unwrap();
    }

    #[tokio::test]
    async fn an_error_status_is_the_documented_error_not_a_stream() {
        let body = "{\"message\": \"no such topic\"}";
        let (client, _server) = serve(vec![Step::Send(
            format!("HTTP/1.1 404 Not Found\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}", body.len())
                .into_bytes(),
        )])
        .await;
        match client.watch_events(&WatchEventsParams::default()).await {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status.as_u16(), 404);
                assert_eq!(body.message.as_deref(), Some("no such topic"));
            }
            other => panic!("expected the documented error: {other:?}"),
        }
    }
}

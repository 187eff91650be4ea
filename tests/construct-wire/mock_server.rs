//! The generated mock server, used as a user would to test code that calls the client of
//! `tests/specs/mock_server.yaml` (`--features mock`): typed expectations, typed answers, the
//! requests as they arrived, and the failures a test ends with. Compiled and run in the
//! construct workspace by `tests/tests/generator_constructs.rs`.

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use construct_mock_server::mock::MockServer;
    use construct_mock_server::models::{Kind, ListPetsFilter, NewPet, Pet, Problem};
    use construct_mock_server::operations::{GetPetParams, ListPetsParams};
    use construct_mock_server::{Client, Error};

    fn client(server: &MockServer) -> Client {
        server.client_builder().key("test-key").build().unwrap()
    }

    #[tokio::test]
    async fn an_expectation_matches_typed_parameters_and_answers_with_the_typed_body() {
        let server = MockServer::start().await;
        let wanted = ListPetsParams {
            limit: Some(2),
            tags: Some(vec!["small".to_owned(), "calm".to_owned()]),
            kind: Some(Kind::Cat),
            x_request_id: Some("r-1".to_owned()),
            filter: Some(ListPetsFilter { min_age: Some(2), color: Some("black & white".to_owned()) }),
            ..ListPetsParams::new()
        };
        let listing = server
            .expect_list_pets()
            .params(wanted.clone())
            .header("x-rate-limit-remaining", "0")
            .respond_ok(vec![Pet { kind: Some(Kind::Cat), ..Pet::new(7, "Tom") }])
            .await;

        let response = client(&server).list_pets(&wanted).await.unwrap();
        assert_eq!(response.header::<u32>("x-rate-limit-remaining"), Some(0));
        let pets = response.into_body();
        assert_eq!(pets, [Pet { kind: Some(Kind::Cat), ..Pet::new(7, "Tom") }]);
        // What reached the expectation, decoded with the crate's own types.
        assert_eq!(listing.hits(), 1);
        assert_eq!(listing.requests(), [(wanted, ())]);
        server.verify().unwrap();
    }

    #[tokio::test]
    async fn multipart_form_and_file_bodies_are_read_back_typed_files_included() {
        use std::collections::BTreeMap;

        use construct_mock_server::Upload;
        use construct_mock_server::models::{AddNoteRequest, UploadPhotosRequest, UploadPhotosRequestDetails};
        use construct_mock_server::operations::{AddNoteParams, SetAvatarParams, UploadPhotosParams};

        let server = MockServer::start().await;
        let photos = server.expect_upload_photos().respond_status(204).await;
        let notes = server
            .expect_add_note()
            .body_where(|note: &AddNoteRequest| note.priority == Some(2))
            .respond_status(204)
            .await;
        let avatars = server.expect_set_avatar().respond_status(204).await;
        let client = client(&server);

        // Files with and without a name or a media type of their own, text fields read as their
        // types (a list, a number, a boolean, an enum), a deepObject field and a JSON part.
        let upload = UploadPhotosRequest {
            caption: Some("Tom & Jerry = \"friends\"".to_owned()),
            tags: Some(vec!["small".to_owned(), "calm".to_owned()]),
            weight: Some(4.25),
            vaccinated: Some(true),
            kind: Some(Kind::Cat),
            details: Some(UploadPhotosRequestDetails { color: Some("grey".to_owned()), age: Some(3) }),
            meta: Some(BTreeMap::from([("camera".to_owned(), "x100".to_owned())])),
            ..UploadPhotosRequest::new(vec![
                Upload::from_bytes(&b"\x89PNG\r\n--not-a-boundary"[..]).with_file_name("tom.png"),
                Upload::from_bytes(&b"raw bytes"[..]),
                Upload::from_bytes(&b"{}"[..]).with_file_name("meta.bin").with_content_type("application/x-meta"),
            ])
        };
        let params = UploadPhotosParams::new(7);
        client.upload_photos(&params, &upload).await.unwrap();
        assert_eq!(photos.requests(), [(params, upload)]);

        let note = AddNoteRequest { priority: Some(2), urgent: Some(false), ..AddNoteRequest::new("eats + sleeps") };
        client.add_note(&AddNoteParams::new(7), &note).await.unwrap();
        assert_eq!(notes.requests()[0].1, note);

        let avatar = Upload::from_bytes(&b"\x89PNG avatar"[..]);
        client.set_avatar(&SetAvatarParams::new(7), &avatar).await.unwrap();
        let (_, received) = &avatars.requests()[0];
        assert_eq!(received.bytes(), avatar.bytes());
        assert_eq!(received.content_type(), "image/png");
        server.verify().unwrap();
    }

    #[tokio::test]
    async fn a_body_condition_and_a_documented_error() {
        let server = MockServer::start().await;
        server
            .expect_create_pet()
            .body_where(|pet: &NewPet| pet.name.is_empty())
            .respond_error(422, Problem::new("a pet needs a name"))
            .await;
        let created = server.expect_create_pet().body(NewPet::new("Rex")).respond_ok(Pet::new(1, "Rex")).await;

        let client = client(&server);
        match client.create_pet(&NewPet::new("")).await {
            Err(Error::Api { status, body, .. }) => {
                assert_eq!(status.as_u16(), 422);
                assert_eq!(body.message, "a pet needs a name");
            }
            other => panic!("expected the documented error: {other:?}"),
        }
        let rex = client.create_pet(&NewPet::new("Rex")).await.unwrap();
        // The documented success status is the one answered.
        assert_eq!(rex.status().as_u16(), 201);
        assert_eq!(rex.into_body(), Pet::new(1, "Rex"));
        assert_eq!(created.requests(), [((), NewPet::new("Rex"))]);
        server.verify().unwrap();
    }

    #[tokio::test]
    async fn path_parameters_a_delay_a_status_and_a_dropped_connection() {
        let server = MockServer::start().await;
        server
            .expect_get_pet()
            .params_where(|params: &GetPetParams| params.pet_id == 5)
            .delay(Duration::from_millis(50))
            .respond_error(404, Problem::new("no pet 5"))
            .await;
        server.expect_get_pet().params(GetPetParams::new(6)).drop_connection().await;
        server.expect_delete_pet().respond_status(204).await;

        let client = client(&server);
        assert!(matches!(client.get_pet(&GetPetParams::new(5)).await, Err(Error::Api { body, .. }) if body.message == "no pet 5"));
        assert!(matches!(client.get_pet(&GetPetParams::new(6)).await, Err(Error::Transport(_))));
        client.delete_pet(&construct_mock_server::operations::DeletePetParams::new(5)).await.unwrap();
        server.verify().unwrap();
    }

    #[tokio::test]
    async fn an_unmet_expectation_and_an_unexpected_request_are_reported_with_the_closest_expectation() {
        let server = MockServer::start().await;
        server.expect_get_pet().params(GetPetParams::new(1)).respond_ok(Pet::new(1, "One")).await;
        server.expect_create_pet().times(2).respond_ok(Pet::new(2, "Two")).await;

        // Pet 3 is not what the first expectation asks for.
        let client = client(&server);
        assert!(client.get_pet(&GetPetParams::new(3)).await.is_err());
        client.create_pet(&NewPet::new("Two")).await.unwrap();

        let failure = server.verify().unwrap_err();
        assert_eq!(
            failure.to_string(),
            "the mock server's expectations were not met:\n\
             - #1 (GET /pets/{petId}, `getPet`) was expected at least once and met 0 times\n\
             - #2 (POST /pets, `createPet`) was expected 2 times and met 1\n\
             - unexpected request GET /pets/3; the closest expectation, #1 (GET /pets/{petId}, `getPet`), its \
             parameters are GetPetParams { pet_id: 3 }, not GetPetParams { pet_id: 1 }\n"
        );
    }

    #[tokio::test]
    async fn the_standard_token_endpoint_rotates_an_expired_token() {
        use std::sync::{Arc, Mutex};

        use construct_mock_server::mock::TokenAnswer;
        use construct_mock_server::oauth::{OAuthApp, TokenHolder, Tokens};

        let server = MockServer::start().await;
        let refresh = server
            .expect_token_request()
            .body_where(|form| form.get("grant_type").map(String::as_str) == Some("refresh_token"))
            .respond_ok(TokenAnswer::new("access-2").refresh_token("refresh-2").expires_in(Duration::from_secs(3600)))
            .await;
        server.expect_get_pet().respond_ok(Pet::new(1, "One")).await;

        let app_client = server.client_builder().build().unwrap();
        let stored = Arc::new(Mutex::new(Vec::new()));
        let store = Arc::clone(&stored);
        let expired = Tokens::new("access-1").with_refresh_token("refresh-1").with_expires_in(Duration::ZERO);
        let holder = TokenHolder::builder(app_client.clone(), OAuthApp::new("pets-app", "app-secret"), expired)
            .on_refresh(move |tokens| {
                let refresh_token = tokens.refresh_token().map(|token| token.expose_secret().to_owned());
                store.lock().unwrap().push(refresh_token);
            })
            .build();
        let user = app_client.with_oauth2_token_provider(holder);

        assert_eq!(user.get_pet(&GetPetParams::new(1)).await.unwrap().into_body(), Pet::new(1, "One"));
        let (_, form) = &refresh.requests()[0];
        assert_eq!(form.get("refresh_token").map(String::as_str), Some("refresh-1"));
        assert_eq!(*stored.lock().unwrap(), [Some("refresh-2".to_owned())]);
        server.verify().unwrap();
    }

    #[test]
    fn an_event_callback_signed_as_the_api_signs_it_is_accepted_by_the_verifier() {
        use construct_mock_server::SecretString;
        use construct_mock_server::models::AdoptionEvent;
        use construct_mock_server::webhooks::{sign_pet_adopted, verify_pet_adopted};

        let key = SecretString::from("whsec-test");
        let event = AdoptionEvent::new(7, "2026-12-06T10:00:00Z");
        let payload = sign_pet_adopted(&key, &event);
        let received = verify_pet_adopted(&key, &payload).unwrap();
        assert_eq!((received.pet_id, received.adopted_at.as_str()), (7, "2026-12-06T10:00:00Z"));
        assert!(received.signature.is_some_and(|signature| signature.len() == 64));
        assert!(verify_pet_adopted(&SecretString::from("another"), &payload).is_err());
    }

    #[tokio::test]
    async fn a_server_dropped_with_unmet_expectations_fails_the_test() {
        let server = MockServer::start().await;
        server.expect_delete_pet().respond_status(204).await;
        let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(move || drop(server)));
        let message = dropped.unwrap_err();
        let message = message.downcast_ref::<String>().expect("a message");
        assert!(message.contains("#1 (DELETE /pets/{petId}, `deletePet`) was expected at least once and met 0 times"), "{message}");
    }
}

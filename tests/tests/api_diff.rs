//! `openapi_gen::diff` on pairs of descriptions, one per class of change: each asserts the
//! exact findings, with the Rust item, the wire classification and the semver one.

use openapi_gen::diff::{Semver, Wire, compare, summarize};
use openapi_gen::load::patch::Patch;
use openapi_gen::{Options, load};
use serde_json::{Value, json};

use Semver::{Major, Minor, Patch as Docs};
use Wire::{Breaking, Compatible, None as NotOnWire, Warning};

const BASE: &str = r##"
openapi: 3.1.0
info: {title: Diff, version: '1'}
servers: [{url: 'https://api.example.test'}]
security: [{key: []}]
paths:
  /pets:
    get:
      operationId: listPets
      parameters:
        - {name: limit, in: query, schema: {type: integer}}
        - {name: owner, in: query, required: true, schema: {type: string}}
      responses:
        '200': {description: ok, content: {application/json: {schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}}}}
        '404': {description: none, content: {application/json: {schema: {$ref: '#/components/schemas/Problem'}}}}
    post:
      operationId: createPet
      requestBody: {required: true, content: {application/json: {schema: {$ref: '#/components/schemas/NewPet'}}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /pets/{id}:
    delete:
      operationId: deletePet
      parameters: [{name: id, in: path, required: true, schema: {type: string}}]
      responses: {'204': {description: gone}}
components:
  securitySchemes: {key: {type: apiKey, in: header, name: X-Key}}
  schemas:
    Pet:
      type: object
      description: A pet.
      required: [id, name]
      properties:
        id: {type: string}
        name: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
        tag: {type: string}
        age: {type: integer, default: 1}
    NewPet:
      type: object
      required: [name]
      properties:
        name: {type: string}
        kind: {$ref: '#/components/schemas/Kind'}
    Kind: {type: string, enum: [dog, cat]}
    Problem: {type: object, properties: {detail: {type: string}}}
    Animal:
      description: No operation uses it, nor the types it holds.
      oneOf: [{$ref: '#/components/schemas/Cat'}, {$ref: '#/components/schemas/Dog'}]
    Cat: {type: object, properties: {lives: {type: integer}}}
    Dog: {type: object, properties: {good: {type: boolean}}}
    Names: {type: array, items: {type: string}}
"##;

/// The findings from the base description to the base with the JSON Patch `ops` applied: class,
/// Rust item, wire, semver.
fn findings(ops: Value) -> Vec<(&'static str, String, Wire, Semver)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.yaml");
    std::fs::write(&path, BASE).unwrap();
    let options = Options::default();
    let old = summarize(&load::load_file(&path).unwrap(), &options).unwrap();
    let patch = Patch::from_value("case".to_owned(), ops).unwrap();
    let new = summarize(&load::load_file_patched(&path, &[patch]).unwrap(), &options).unwrap();
    let changes = compare(&old, &new);
    changes.changes.into_iter().map(|c| (c.class.as_str(), c.rust_item, c.wire, c.semver)).collect()
}

/// The findings from the base with `old_ops` applied to the base with `new_ops` applied, the
/// new side built with `new_options`.
fn findings_between(
    old_ops: Value,
    new_ops: Value,
    new_options: &Options,
) -> Vec<(&'static str, String, Wire, Semver)> {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.yaml");
    std::fs::write(&path, BASE).unwrap();
    let side = |ops: Value, options: &Options| {
        let patch = Patch::from_value("side".to_owned(), ops).unwrap();
        summarize(&load::load_file_patched(&path, &[patch]).unwrap(), options).unwrap()
    };
    let changes = compare(&side(old_ops, &Options::default()), &side(new_ops, new_options));
    changes.changes.into_iter().map(|c| (c.class.as_str(), c.rust_item, c.wire, c.semver)).collect()
}

fn one(class: &'static str, item: &str, wire: Wire, semver: Semver) -> Vec<(&'static str, String, Wire, Semver)> {
    vec![(class, item.to_owned(), wire, semver)]
}

const PET: &str = "/components/schemas/Pet";

#[test]
fn the_same_description_has_no_change() {
    assert_eq!(findings(json!([])), []);
}

#[test]
fn operations_removed_added_moved_and_renamed() {
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/paths/~1pets~1{id}"}])),
        one("operation-removed", "Client::delete_pet", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets~1{id}/get", "value":
            {"operationId": "getPet", "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
             "responses": {"200": {"description": "ok"}}}}])),
        one("operation-added", "Client::get_pet", Compatible, Minor)
    );
    assert_eq!(
        findings(json!([{"op": "move", "from": "/paths/~1pets~1{id}", "path": "/paths/~1animals~1{id}"}])),
        one("operation-path-changed", "Client::delete_pet", Breaking, Docs)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets~1{id}/delete/operationId", "value": "removePet"}])),
        one("operation-id-changed", "Client::remove_pet", NotOnWire, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/deprecated", "value": true}])),
        one("operation-deprecated", "Client::list_pets", NotOnWire, Minor)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/description", "value": "All pets."}])),
        one("operation-docs-changed", "Client::list_pets", NotOnWire, Docs)
    );
}

#[test]
fn servers_and_security() {
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/servers/0/url", "value": "https://eu.example.test"}])),
        one("server-changed", "servers::DEFAULT", Breaking, Docs)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/security", "value": []}])),
        one("operation-security-relaxed", "Client::list_pets", Compatible, Docs)
    );
    assert_eq!(
        findings(json!([
            {"op": "add", "path": "/components/securitySchemes/token", "value": {"type": "http", "scheme": "bearer"}},
            {"op": "add", "path": "/paths/~1pets/get/security", "value": [{"token": []}]}
        ])),
        [
            ("operation-security-changed", "Client::list_pets".to_owned(), Breaking, Docs),
            ("security-scheme-added", "ClientBuilder::token".to_owned(), Compatible, Minor),
        ]
    );
}

#[test]
fn parameters_added_removed_required_and_retyped() {
    let query = |name: &str, required: bool, ty: &str| json!({"name": name, "in": "query", "required": required, "schema": {"type": ty}});
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/paths/~1pets/get/parameters/-", "value": query("sort", true, "string")}])
        ),
        one("required-parameter-added", "operations::ListPetsParams::sort", Breaking, Major)
    );
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/paths/~1pets/get/parameters/-", "value": query("sort", false, "string")}])
        ),
        one("optional-parameter-added", "operations::ListPetsParams::sort", Compatible, Minor)
    );
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/paths/~1pets/get/parameters/0"}])),
        one("parameter-removed", "operations::ListPetsParams::limit", Warning, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/parameters/0/required", "value": true}])),
        one("parameter-became-required", "operations::ListPetsParams::limit", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets/get/parameters/1/required", "value": false}])),
        one("parameter-became-optional", "operations::ListPetsParams::owner", Compatible, Major)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets/get/parameters/0/schema/type", "value": "string"}])),
        one("parameter-type-changed", "operations::ListPetsParams::limit", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/parameters/0/schema/default", "value": 20}])),
        one("parameter-default-changed", "operations::ListPetsParams::limit", Warning, Docs)
    );
}

#[test]
fn request_bodies_responses_and_statuses() {
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/post/requestBody/content/multipart~1form-data",
            "value": {"schema": {"$ref": "#/components/schemas/NewPet"}}}])),
        [
            ("request-media-type-added", "Client::create_pet".to_owned(), Compatible, Minor),
            ("method-added", "Client::create_pet_multipart".to_owned(), NotOnWire, Minor),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets/post/requestBody/required", "value": false}])),
        one("request-body-became-optional", "Client::create_pet", Compatible, Major)
    );
    assert_eq!(
        findings(
            json!([{"op": "move", "from": "/paths/~1pets/post/responses/201", "path": "/paths/~1pets/post/responses/200"}])
        ),
        [
            ("success-status-removed", "Client::create_pet".to_owned(), Breaking, Docs),
            ("success-status-added", "Client::create_pet".to_owned(), Compatible, Docs),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/paths/~1pets/get/responses/404"}])),
        [
            ("error-type-changed", "Client::list_pets".to_owned(), Warning, Major),
            ("error-status-removed", "Client::list_pets".to_owned(), Compatible, Docs),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets/post/responses/201/content/application~1json/schema",
            "value": {"$ref": "#/components/schemas/NewPet"}}])),
        one("response-type-changed", "Client::create_pet", Breaking, Major)
    );
}

/// A stream's item type is compared as a body's type is: through its wrapper, by the
/// differences of the two types; a body that becomes a stream breaks.
#[test]
fn stream_item_types_are_compared_as_bodies_are() {
    let stream_of = |media: &str, schema: Value| {
        json!([{"op": "add", "path": "/paths/~1watch", "value": {"get": {"operationId": "watchPets", "responses": {
            "200": {"description": "ok", "content": {media: {"schema": schema}}}}}}}])
    };
    let pet = json!({"$ref": "#/components/schemas/Pet"});
    let same_shape = json!({"type": "object", "description": "A pet, inline.", "required": ["id", "name"], "properties": {
        "id": {"type": "string"}, "name": {"type": "string"}, "kind": {"$ref": "#/components/schemas/Kind"},
        "tag": {"type": "string"}, "age": {"type": "integer", "default": 1}}});
    let options = Options::default();
    assert_eq!(
        findings_between(
            stream_of("text/event-stream", pet.clone()),
            stream_of("text/event-stream", same_shape),
            &options
        ),
        [
            ("response-type-changed", "Client::watch_pets".to_owned(), NotOnWire, Major),
            ("type-added", "models::WatchPetsItem".to_owned(), NotOnWire, Minor),
        ]
    );
    assert_eq!(
        findings_between(
            stream_of("text/event-stream", pet.clone()),
            stream_of("text/event-stream", json!({"$ref": "#/components/schemas/Problem"})),
            &options
        )[0],
        ("response-type-changed", "Client::watch_pets".to_owned(), Breaking, Major)
    );
    assert_eq!(
        findings_between(stream_of("application/json", pet.clone()), stream_of("application/x-ndjson", pet), &options),
        [
            ("response-type-changed", "Client::watch_pets".to_owned(), Breaking, Major),
            ("response-media-type-removed", "Client::watch_pets".to_owned(), Breaking, Docs),
            ("response-media-type-added", "Client::watch_pets".to_owned(), Compatible, Docs),
        ]
    );
}

#[test]
fn fields_added_removed_renamed_retyped_and_made_optional_or_nullable() {
    let field = |name: &str| format!("{PET}/properties/{name}");
    assert_eq!(
        findings(json!([{"op": "remove", "path": field("tag")}])),
        one("field-removed", "models::Pet::tag", Warning, Major)
    );
    assert_eq!(
        findings(
            json!([{"op": "remove", "path": field("id")}, {"op": "replace", "path": format!("{PET}/required"), "value": ["name"]}])
        ),
        one("field-removed", "models::Pet::id", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": field("color"), "value": {"type": "string"}}])),
        one("optional-field-added", "models::Pet::color", Compatible, Minor)
    );
    assert_eq!(
        findings(json!([
            {"op": "add", "path": "/components/schemas/NewPet/properties/owner", "value": {"type": "string"}},
            {"op": "add", "path": "/components/schemas/NewPet/required/-", "value": "owner"}
        ])),
        one("required-field-added", "models::NewPet::owner", Breaking, Major)
    );
    // A rename when the type is the field's alone; with another field of the type, it is as
    // likely one removed and another added.
    assert_eq!(
        findings(json!([{"op": "move", "from": field("age"), "path": field("years")}])),
        one("field-renamed", "models::Pet::years", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "move", "from": field("tag"), "path": field("label")}])),
        [
            ("field-removed", "models::Pet::tag".to_owned(), Warning, Major),
            ("optional-field-added", "models::Pet::label".to_owned(), Compatible, Minor),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": format!("{}/type", field("age")), "value": "string"}])),
        one("field-type-changed", "models::Pet::age", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": format!("{PET}/required"), "value": ["id"]}])),
        one("field-became-optional", "models::Pet::name", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": format!("{}/type", field("tag")), "value": ["string", "null"]}])),
        one("field-became-nullable", "models::Pet::tag", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": format!("{}/default", field("age")), "value": 2}])),
        one("field-default-changed", "models::Pet::age", Compatible, Docs)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": format!("{}/deprecated", field("tag")), "value": true}])),
        one("field-deprecated", "models::Pet::tag", NotOnWire, Minor)
    );
}

#[test]
fn types_and_enum_values() {
    assert_eq!(
        findings(json!([{"op": "add", "path": "/components/schemas/Kind/enum/-", "value": "bird"}])),
        one("enum-value-added", "models::Kind", Warning, Minor)
    );
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/components/schemas/Kind/enum/1"}])),
        one("enum-value-removed", "models::Kind", Breaking, Major)
    );
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/components/schemas/Unused", "value": {"type": "object", "properties": {"a": {"type": "string"}}}}])
        ),
        one("type-added", "models::Unused", NotOnWire, Minor)
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": format!("{PET}/description"), "value": "A pet of the store."}])),
        one("type-docs-changed", "models::Pet", NotOnWire, Docs)
    );
    // A schema renamed: the type, and the error type of the operation that used it.
    assert_eq!(
        findings(json!([
            {"op": "move", "from": "/components/schemas/Problem", "path": "/components/schemas/ApiProblem"},
            {"op": "replace", "path": "/paths/~1pets/get/responses/404/content/application~1json/schema/$ref",
             "value": "#/components/schemas/ApiProblem"}
        ])),
        [
            ("error-type-changed", "Client::list_pets".to_owned(), Warning, Major),
            ("type-renamed", "models::ApiProblem".to_owned(), NotOnWire, Major),
        ]
    );
}

#[test]
fn a_schema_moved_inline_with_the_same_shape_changes_nothing_on_the_wire() {
    // `NewPet` stays, as every component schema does, now used by nothing.
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/paths/~1pets/post/requestBody/content/application~1json/schema",
            "value": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"},
                "kind": {"$ref": "#/components/schemas/Kind"}}}}])),
        [
            ("request-body-type-changed", "Client::create_pet".to_owned(), NotOnWire, Major),
            ("type-added", "models::CreatePetRequest".to_owned(), NotOnWire, Minor),
        ]
    );
}

#[test]
fn a_new_enum_value_is_safe_in_rust_and_the_note_says_why() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("base.yaml");
    std::fs::write(&path, BASE).unwrap();
    let old = summarize(&load::load_file(&path).unwrap(), &Options::default()).unwrap();
    let patch = Patch::from_value(
        "bird".to_owned(),
        json!([{"op": "add", "path": "/components/schemas/Kind/enum/-", "value": "bird"}]),
    )
    .unwrap();
    let new = summarize(&load::load_file_patched(&path, &[patch]).unwrap(), &Options::default()).unwrap();
    let changes = compare(&old, &new);
    assert_eq!(changes.changes[0].pointer, "#/components/schemas/Kind/enum");
    assert!(changes.changes[0].note.as_deref().unwrap().contains("`#[non_exhaustive]`"));
    assert!(!changes.is_breaking());
    assert_eq!(openapi_gen::diff::report::exit_code(&changes), 2);
}

#[test]
fn servers_media_types_and_statuses_of_an_operation() {
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/paths/~1pets~1{id}/delete/servers", "value": [{"url": "https://admin.example.test"}]}])
        ),
        one("operation-server-changed", "Client::delete_pet", Breaking, Docs)
    );
    let multipart = json!({"schema": {"$ref": "#/components/schemas/NewPet"}});
    assert_eq!(
        findings(json!([
            {"op": "add", "path": "/paths/~1pets/post/requestBody/content/multipart~1form-data", "value": multipart},
            {"op": "remove", "path": "/paths/~1pets/post/requestBody/content/application~1json"}
        ])),
        [
            ("request-media-type-removed", "Client::create_pet".to_owned(), Breaking, Major),
            ("request-media-type-added", "Client::create_pet".to_owned(), Compatible, Minor),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets~1{id}/delete/requestBody",
            "value": {"required": true, "content": {"application/json": {"schema": {"type": "object"}}}}}])),
        one("request-media-type-added", "Client::delete_pet", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "add", "path": "/paths/~1pets/get/responses/200/content/text~1csv", "value": {}}])),
        one("response-media-type-added", "Client::list_pets", Compatible, Docs)
    );
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/paths/~1pets~1{id}/delete/responses/409", "value": {"description": "busy"}}])
        ),
        one("error-status-added", "Client::delete_pet", Compatible, Docs)
    );
}

#[test]
fn schemes_kinds_unions_aliases_and_docs() {
    assert_eq!(
        findings(
            json!([{"op": "remove", "path": "/security"}, {"op": "remove", "path": "/components/securitySchemes/key"}])
        ),
        [
            ("security-scheme-removed", "ClientBuilder::key".to_owned(), Breaking, Major),
            ("operation-security-relaxed", "Client::list_pets".to_owned(), Compatible, Docs),
            ("operation-security-relaxed", "Client::create_pet".to_owned(), Compatible, Docs),
            ("operation-security-relaxed", "Client::delete_pet".to_owned(), Compatible, Docs),
        ]
    );
    assert_eq!(
        findings(
            json!([{"op": "replace", "path": "/components/schemas/Kind", "value": {"type": "object", "properties": {"name": {"type": "string"}}}}])
        ),
        one("type-kind-changed", "models::Kind", Breaking, Major)
    );
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/components/schemas/Animal"}])),
        one("type-removed", "models::Animal", NotOnWire, Major)
    );
    assert_eq!(
        findings(json!([
            {"op": "add", "path": "/components/schemas/Bird", "value": {"type": "object", "properties": {"wings": {"type": "integer"}}}},
            {"op": "add", "path": "/components/schemas/Animal/oneOf/-", "value": {"$ref": "#/components/schemas/Bird"}}
        ])),
        [
            ("union-variant-added", "models::Animal::Bird".to_owned(), NotOnWire, Major),
            ("type-added", "models::Bird".to_owned(), NotOnWire, Minor),
        ]
    );
    assert_eq!(
        findings(json!([{"op": "remove", "path": "/components/schemas/Animal/oneOf/1"}])),
        [("type-kind-changed", "models::Animal".to_owned(), NotOnWire, Major)],
        "a union of one is an alias of it; no operation uses it"
    );
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/components/schemas/Names/items/type", "value": "integer"}])),
        one("alias-changed", "models::Names", NotOnWire, Major),
        "no operation uses it"
    );
    assert_eq!(
        findings(
            json!([{"op": "add", "path": "/components/schemas/Pet/properties/tag/description", "value": "A tag."}])
        ),
        one("field-docs-changed", "models::Pet::tag", NotOnWire, Docs)
    );
    assert_eq!(
        findings(json!([
            {"op": "add", "path": "/paths/~1pets/get/parameters/0/description", "value": "At most this many."},
            {"op": "add", "path": "/paths/~1pets/get/parameters/1/deprecated", "value": true}
        ])),
        [
            ("parameter-deprecated", "operations::ListPetsParams::owner".to_owned(), NotOnWire, Minor),
            ("parameter-docs-changed", "operations::ListPetsParams::limit".to_owned(), NotOnWire, Docs),
        ]
    );
}

#[test]
fn fields_made_required_or_not_nullable_by_direction() {
    // `NewPet` is sent: a field made required breaks its senders.
    assert_eq!(
        findings(json!([{"op": "add", "path": "/components/schemas/NewPet/required/-", "value": "kind"}])),
        one("field-became-required", "models::NewPet::kind", Breaking, Major)
    );
    // `Pet` is received: a field that may no longer be null is safe to receive.
    assert_eq!(
        findings(json!([{"op": "replace", "path": "/components/schemas/Pet/properties/tag/type", "value": ["string", "null"]}]))
            .len(),
        1
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nullable.yaml");
    std::fs::write(&path, BASE.replace("tag: {type: string}", "tag: {type: [string, 'null']}")).unwrap();
    let options = Options::default();
    let old = summarize(&load::load_file(&path).unwrap(), &options).unwrap();
    let new = summarize(&load::load_str(BASE, "base").unwrap(), &options).unwrap();
    let found: Vec<_> =
        compare(&old, &new).changes.into_iter().map(|c| (c.class.as_str(), c.rust_item, c.wire, c.semver)).collect();
    assert_eq!(found, one("field-became-not-nullable", "models::Pet::tag", Compatible, Major));
}

#[test]
fn what_the_old_side_had_and_the_new_side_lost() {
    let plain = Options::default();
    let multipart = json!({"schema": {"$ref": "#/components/schemas/NewPet"}});
    let two_media =
        json!({"op": "add", "path": "/paths/~1pets/post/requestBody/content/multipart~1form-data", "value": multipart});
    assert_eq!(
        findings_between(json!([two_media]), json!([]), &plain),
        [
            ("request-media-type-removed", "Client::create_pet".to_owned(), Breaking, Major),
            ("method-removed", "Client::create_pet_multipart".to_owned(), NotOnWire, Major),
        ]
    );
    assert_eq!(
        findings_between(
            json!([{"op": "replace", "path": "/paths/~1pets/post/requestBody/required", "value": false}]),
            json!([]),
            &plain
        ),
        one("request-body-became-required", "Client::create_pet", Breaking, Major)
    );
    assert_eq!(
        findings_between(
            json!([{"op": "add", "path": "/paths/~1pets/get/responses/200/content/text~1csv", "value": {}}]),
            json!([]),
            &plain
        ),
        one("response-media-type-removed", "Client::list_pets", Breaking, Docs)
    );
    let bird = json!([
        {"op": "add", "path": "/components/schemas/Bird", "value": {"type": "object", "properties": {"wings": {"type": "integer"}}}},
        {"op": "add", "path": "/components/schemas/Animal/oneOf/-", "value": {"$ref": "#/components/schemas/Bird"}}
    ]);
    assert_eq!(
        findings_between(bird, json!([]), &plain),
        [
            ("union-variant-removed", "models::Animal::Bird".to_owned(), NotOnWire, Major),
            ("type-removed", "models::Bird".to_owned(), NotOnWire, Major),
        ]
    );
}

#[test]
fn renames_of_the_settings_change_the_rust_api_only() {
    let settings = openapi_gen::settings::Settings::parse(
        "[rename.fields]\n\"Pet.tag\" = \"label\"\n\"listPets.limit\" = \"max\"\n",
        "openapi-gen.toml",
    )
    .unwrap();
    let mut renamed = Options::default();
    settings.apply(&mut renamed, "openapi-gen.toml");
    assert_eq!(
        findings_between(json!([]), json!([]), &renamed),
        [
            ("field-rust-name-changed", "models::Pet::label".to_owned(), NotOnWire, Major),
            ("parameter-field-renamed", "operations::ListPetsParams::max".to_owned(), NotOnWire, Major),
        ]
    );
}

#[test]
fn a_new_way_to_authenticate_is_compatible_and_a_lost_one_breaks() {
    let token = json!({"op": "add", "path": "/components/securitySchemes/token", "value": {"type": "http", "scheme": "bearer"}});
    let either = json!({"op": "add", "path": "/paths/~1pets/get/security", "value": [{"key": []}, {"token": []}]});
    assert_eq!(
        findings_between(json!([token.clone()]), json!([token.clone(), either.clone()]), &Options::default()),
        one("operation-security-relaxed", "Client::list_pets", Compatible, Docs)
    );
    assert_eq!(
        findings_between(json!([token.clone(), either]), json!([token]), &Options::default()),
        one("operation-security-changed", "Client::list_pets", Breaking, Docs)
    );
}

#[test]
fn an_operation_id_used_twice_does_not_pair_two_operations_with_one() {
    let twice = json!([{"op": "replace", "path": "/paths/~1pets~1{id}/delete/operationId", "value": "listPets"}]);
    assert_eq!(findings_between(twice.clone(), twice, &Options::default()), []);
}

#[test]
fn webhooks_added_removed_and_their_payloads() {
    let adopted = json!({"op": "add", "path": "/webhooks", "value": {"petAdopted": {"post": {
        "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/Pet"}}}},
        "responses": {"200": {"description": "ok"}}}}}});
    let plain = Options::default();
    assert_eq!(
        findings_between(json!([]), json!([adopted.clone()]), &plain),
        one("webhook-added", "webhooks::parse_pet_adopted", Compatible, Minor)
    );
    assert_eq!(
        findings_between(json!([adopted.clone()]), json!([]), &plain),
        one("webhook-removed", "webhooks::parse_pet_adopted", Warning, Major)
    );
    let problem = json!({"op": "replace", "path": "/webhooks/petAdopted/post/requestBody/content/application~1json/schema/$ref",
        "value": "#/components/schemas/Problem"});
    assert_eq!(
        findings_between(json!([adopted.clone()]), json!([adopted.clone(), problem]), &plain),
        one("webhook-payload-changed", "webhooks::parse_pet_adopted", Breaking, Major)
    );
    let as_form = json!({"op": "move", "from": "/webhooks/petAdopted/post/requestBody/content/application~1json",
        "path": "/webhooks/petAdopted/post/requestBody/content/application~1x-www-form-urlencoded"});
    assert_eq!(
        findings_between(json!([adopted.clone()]), json!([adopted.clone(), as_form]), &plain),
        one("webhook-media-type-changed", "webhooks::parse_pet_adopted", Breaking, Docs)
    );
    let named = json!({"op": "add", "path": "/webhooks/petAdopted/post/operationId", "value": "onAdoption"});
    assert_eq!(
        findings_between(json!([adopted.clone()]), json!([adopted, named]), &plain),
        one("webhook-function-renamed", "webhooks::parse_on_adoption", NotOnWire, Major)
    );
}

//! Property tests that feed the loader and the IR builder arbitrary and mutated documents: the
//! generator may refuse a document (with an error), but it never panics, and whatever it
//! generates is valid Rust (the emitter parses every file it writes).
//!
//! CI runs a few hundred cases. For a longer run:
//! `PROPTEST_CASES=20000 cargo test --release -p workspace-tests --test fuzz_generator`.

use openapi_gen::{Options, generate_from_document, load};
use proptest::prelude::*;
use serde_json::{Map, Value, json};

fn options() -> Options {
    Options {
        crate_name: "fuzzed".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "fuzzed.json".to_owned(),
        example_tests: true,
        regenerate_command: "cargo test".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: None },
        tag_features: false,
        ..Options::default()
    }
}

/// How long one document may take: a few milliseconds is usual, so this only catches a walk
/// that never ends (a hang would otherwise stall the test run instead of failing it).
const DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Loads and generates `text`; a panic fails, and so does a generation that does not finish.
fn generate(text: &str) {
    let text = text.to_owned();
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        if let Ok(document) = load::load_str(&text, "fuzzed.json") {
            let _ = generate_from_document(&document, &options());
        }
        let _ = done.send(());
    });
    match finished.recv_timeout(DEADLINE) {
        Ok(()) => {}
        Err(std::sync::mpsc::RecvTimeoutError::Disconnected) => panic!("the generator panicked"),
        Err(std::sync::mpsc::RecvTimeoutError::Timeout) => panic!("the generator did not finish in {DEADLINE:?}"),
    }
}

/// Names that make trouble: keywords, digits first, symbols only, collisions by case, unicode.
fn awkward_name() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("type".to_owned()),
        Just("self".to_owned()),
        Just("Self".to_owned()),
        Just("SELF".to_owned()),
        Just("super".to_owned()),
        Just("crate".to_owned()),
        Just("gen".to_owned()),
        Just("_".to_owned()),
        Just("123abc".to_owned()),
        Just("$%&".to_owned()),
        Just("".to_owned()),
        Just("Error".to_owned()),
        Just("error".to_owned()),
        Just("MM / DD / YYYY".to_owned()),
        Just("naïve_ünïcode".to_owned()),
        Just("a~b/c".to_owned()),
        "[a-zA-Z_][a-zA-Z0-9_ -]{0,12}",
    ]
}

/// Schemas that lead back to themselves only through references, arrays and maps, which every
/// document defines beside its arbitrary ones so that references use them from every place.
fn reference_cycles() -> Value {
    json!({
        "Cycle0": {"$ref": "#/components/schemas/Cycle1"},
        "Cycle1": {"$ref": "#/components/schemas/Cycle0"},
        "SelfList": {"type": "array", "items": {"$ref": "#/components/schemas/SelfList"}},
        "SelfMap": {"type": "object", "additionalProperties": {"$ref": "#/components/schemas/SelfMap"}},
        "SelfAllOf": {"allOf": [{"$ref": "#/components/schemas/SelfAllOf"}]},
    })
}

/// A reference to one of the schemas the document defines (its cycles included), or to nothing.
fn schema_ref() -> impl Strategy<Value = Value> {
    prop_oneof![
        (0..4usize).prop_map(|i| json!({"$ref": format!("#/components/schemas/S{i}")})),
        prop_oneof![Just("Cycle0"), Just("Cycle1"), Just("SelfList"), Just("SelfMap"), Just("SelfAllOf")]
            .prop_map(|name| json!({"$ref": format!("#/components/schemas/{name}")})),
        Just(json!({"$ref": "#/components/schemas/Missing"})),
        Just(json!({"$ref": "other.yaml#/components/schemas/X"})),
        Just(json!({"$ref": "#/paths"})),
    ]
}

/// Arbitrary schemas, in 3.0 and 3.1 spellings, nested.
fn schema() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(json!({"type": "string"})),
        Just(json!({"type": "string", "format": "binary"})),
        Just(json!({"type": "string", "format": "date-time", "nullable": true})),
        Just(json!({"type": ["string", "null"]})),
        Just(json!({"type": ["integer", "string", "boolean"]})),
        Just(json!({"type": "integer", "format": "int32", "enum": [1, 2, 3]})),
        Just(json!({"type": "number", "exclusiveMinimum": 0})),
        Just(json!({"const": "fixed"})),
        Just(json!({"type": "string", "x-int-or-string": true})),
        Just(json!({"type": "boolean", "default": "not a boolean"})),
        Just(json!(true)),
        Just(json!(false)),
        Just(json!({})),
        Just(json!({"not": {}})),
        Just(json!({"type": "object", "properties": {}})),
        Just(json!({"allOf": [{"$ref": "#/components/schemas/S0"}, {"description": "beside a $ref"}]})),
        Just(json!("not a schema")),
        Just(json!(42)),
        prop::collection::vec(awkward_name(), 0..4).prop_map(|values| json!({"type": "string", "enum": values})),
        schema_ref(),
    ];
    leaf.prop_recursive(4, 32, 4, |inner| {
        prop_oneof![
            prop::collection::vec((awkward_name(), inner.clone()), 0..4).prop_map(|props| {
                let required: Vec<&String> = props.iter().map(|(name, _)| name).take(2).collect();
                let required = json!(required);
                let properties: Map<String, Value> = props.into_iter().collect();
                json!({"type": "object", "properties": properties, "required": required})
            }),
            inner.clone().prop_map(|items| json!({"type": "array", "items": items})),
            inner.clone().prop_map(|value| json!({"type": "object", "additionalProperties": value})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|members| json!({"allOf": members})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|members| json!({"oneOf": members})),
            prop::collection::vec(inner.clone(), 0..4).prop_map(|members| json!({"anyOf": members})),
            (prop::collection::vec(schema_ref(), 1..4), awkward_name())
                .prop_map(|(members, tag)| { json!({"oneOf": members, "discriminator": {"propertyName": tag}}) }),
            (awkward_name(), prop::collection::vec((awkward_name(), 0..4usize), 0..3)).prop_map(|(tag, mapping)| {
                let mapping: Map<String, Value> =
                    mapping.into_iter().map(|(k, i)| (k, json!(format!("#/components/schemas/S{i}")))).collect();
                json!({"type": "object", "properties": {"kind": {"type": "string"}},
                       "discriminator": {"propertyName": tag, "mapping": mapping}})
            }),
        ]
    })
}

fn parameter() -> impl Strategy<Value = Value> {
    (
        // The names of paging parameters too, so that listings are looked for in every response.
        prop_oneof![awkward_name(), Just("limit".to_owned()), Just("offset".to_owned()), Just("cursor".to_owned())],
        prop_oneof![Just("query"), Just("path"), Just("header"), Just("cookie"), Just("body")],
        prop_oneof![Just("form"), Just("deepObject"), Just("pipeDelimited"), Just("simple"), Just("matrix")],
        any::<bool>(),
        schema(),
    )
        .prop_map(|(name, location, style, required, schema)| {
            json!({"name": name, "in": location, "style": style, "required": required, "schema": schema})
        })
}

/// A callback: inline, a Reference Object (to a callback, to nothing, to itself), or not one.
fn callback() -> impl Strategy<Value = Value> {
    prop_oneof![
        schema().prop_map(|schema| json!({"{$request.body#/url}": {"post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "ok"}}}}})),
        Just(json!({"$ref": "#/components/callbacks/C"})),
        Just(json!({"$ref": "#/components/callbacks/Loop"})),
        Just(json!({"$ref": "#/components/callbacks/Missing"})),
        Just(json!({"$ref": 7})),
        Just(json!({"{$url}": "not a path item"})),
        Just(json!([])),
    ]
}

fn operation() -> impl Strategy<Value = Value> {
    (
        prop::option::of(awkward_name()),
        prop::collection::vec(parameter(), 0..3),
        prop::option::of((
            prop_oneof![
                Just("application/json"),
                Just("multipart/form-data"),
                Just("application/x-www-form-urlencoded"),
                Just("application/octet-stream"),
                Just("text/plain"),
                Just("application/vnd.api+json"),
            ],
            schema(),
        )),
        prop::collection::vec(
            (prop_oneof![Just("200"), Just("201"), Just("2XX"), Just("4XX"), Just("default"), Just("999")], schema()),
            0..3,
        ),
        any::<bool>(),
        prop::collection::vec((awkward_name(), callback()), 0..3),
    )
        .prop_map(|(id, parameters, body, responses, body_required, callbacks)| {
            let mut operation = json!({"parameters": parameters, "responses": {}});
            if let Some(id) = id {
                operation["operationId"] = json!(id);
            }
            if let Some((media_type, schema)) = body {
                operation["requestBody"] = json!({"required": body_required,
                    "content": {media_type: {"schema": schema, "example": {"a": 1}}}});
            }
            if !callbacks.is_empty() {
                let callbacks: Map<String, Value> = callbacks.into_iter().collect();
                operation["callbacks"] = Value::Object(callbacks);
            }
            for (code, schema) in responses {
                operation["responses"][code] =
                    json!({"description": "r", "content": {"application/json": {"schema": schema}}});
            }
            operation
        })
}

fn document() -> impl Strategy<Value = Value> {
    (
        prop_oneof![Just("3.0.3"), Just("3.1.0"), Just("3.1.1"), Just("3.2.0")],
        prop::collection::vec(schema(), 0..5),
        prop::collection::vec(
            (
                prop_oneof![Just("/items"), Just("/items/{id}"), Just("/{a}/{b}"), Just("/x?refresh"), Just("/x?name={a}&k=v"), Just("weird path")],
                prop_oneof![Just("get"), Just("post"), Just("delete"), Just("patch")],
                operation(),
            ),
            0..4,
        ),
    )
        .prop_map(|(version, schemas, operations)| {
            let mut schemas: Map<String, Value> =
                schemas.into_iter().enumerate().map(|(i, schema)| (format!("S{i}"), schema)).collect();
            if let Value::Object(cycles) = reference_cycles() {
                schemas.extend(cycles);
            }
            let mut paths = Map::new();
            for (path, method, operation) in operations {
                let item = paths.entry(path.to_owned()).or_insert_with(|| json!({}));
                item[method] = operation;
            }
            let mut media_types = Map::new();
            if version.starts_with("3.2") {
                add_openapi_32_constructs(&mut paths, &mut media_types);
            }
            let mut document = json!({
                "openapi": version,
                "info": {"title": "Fuzzed", "version": "1"},
                "servers": [{"url": "https://api.example.com/{v}", "variables": {"v": {"default": "v1"}}}],
                "paths": paths,
                "components": {
                    "schemas": schemas,
                    "mediaTypes": media_types,
                    "callbacks": {
                        "C": {"{$request.body#/url}": {"post": {"operationId": "self",
                            "requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S1"}}}},
                            "responses": {"200": {"description": "ok"}}}}},
                        "Loop": {"$ref": "#/components/callbacks/Loop"}
                    },
                    "securitySchemes": {
                        "key": {"type": "apiKey", "in": "header", "name": "X-Key"},
                        "oauth": {"type": "oauth2", "flows": {"authorizationCode": {
                            "authorizationUrl": "/authorize", "tokenUrl": "/items", "scopes": {"a b": "c"}}}}
                    }
                },
                "security": [{"key": []}, {"oauth": []}],
                "webhooks": {"hook": {"post": {"requestBody": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/S0"}}}}}}}
            });
            if version.starts_with("3.2") {
                // The device flow and the authorization server's metadata (on a host of its own).
                document["components"]["securitySchemes"]["device"] = json!({"type": "oauth2",
                    "oauth2MetadataUrl": "https://auth.example.com/.well-known/oauth-authorization-server",
                    "flows": {"deviceAuthorization": {"deviceAuthorizationUrl": "https://auth.example.com/device",
                        "tokenUrl": "/token", "scopes": {"read": "r"}}}});
            }
            document
        })
}

/// OpenAPI 3.2's own constructs: streams by `itemSchema` (events whose data has a
/// `contentSchema`, JSON Lines from `components.mediaTypes`), `query`, `additionalOperations`
/// and `querystring` parameters, form-encoded and JSON.
fn add_openapi_32_constructs(paths: &mut Map<String, Value>, media_types: &mut Map<String, Value>) {
    let item = json!({"type": "object", "properties": {"id": {"type": "integer"}}});
    media_types.insert("Lines".to_owned(), json!({"itemSchema": item}));
    let event = json!({"type": "object", "properties": {"event": {"type": "string"},
        "data": {"type": "string", "contentMediaType": "application/json", "contentSchema": item}}});
    paths.insert(
        "/stream".to_owned(),
        json!({
            "get": {"operationId": "stream", "responses": {"200": {"description": "s", "summary": "events",
                "content": {"text/event-stream": {"itemSchema": event}}}}},
            "post": {"operationId": "upload", "parameters": [{"name": "q", "in": "querystring",
                "content": {"application/x-www-form-urlencoded": {"schema": {"type": "object"}}}}],
                "requestBody": {"content": {"application/jsonl": {"$ref": "#/components/mediaTypes/Lines"}}},
                "responses": {"204": {"description": "ok"}}},
            "query": {"parameters": [{"name": "filter", "in": "querystring",
                "content": {"application/json": {"schema": item}}}],
                "responses": {"200": {"description": "ok"}}},
            "additionalOperations": {"LINK": {"responses": {"204": {"description": "ok"}}}}
        }),
    );
}

/// Every node of `value` by JSON pointer tokens, for mutation.
fn node_paths(value: &Value, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    out.push(prefix.clone());
    match value {
        Value::Object(map) => {
            for (key, child) in map {
                prefix.push(key.clone());
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        Value::Array(items) => {
            for (index, child) in items.iter().enumerate() {
                prefix.push(index.to_string());
                node_paths(child, prefix, out);
                prefix.pop();
            }
        }
        _ => {}
    }
}

fn node_mut<'v>(value: &'v mut Value, path: &[String]) -> Option<&'v mut Value> {
    path.iter().try_fold(value, |node, token| match node {
        Value::Object(map) => map.get_mut(token),
        Value::Array(items) => token.parse::<usize>().ok().and_then(|i| items.get_mut(i)),
        _ => None,
    })
}

fn our_spec() -> Value {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml")).unwrap();
    let yaml: yaml_serde::Value = yaml_serde::from_str(&text).unwrap();
    serde_json::to_value(yaml).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Generated documents of every shape.
    #[test]
    fn arbitrary_documents_never_panic(document in document()) {
        generate(&document.to_string());
    }

    /// Our spec with nodes replaced by wrong kinds of values, or removed.
    #[test]
    fn mutated_spec_never_panics(
        picks in prop::collection::vec((any::<prop::sample::Index>(), 0..6u8), 1..6),
    ) {
        let mut spec = our_spec();
        for (pick, replacement) in picks {
            let mut paths = Vec::new();
            node_paths(&spec, &mut Vec::new(), &mut paths);
            let path = pick.get(&paths).clone();
            let Some(node) = node_mut(&mut spec, &path) else { continue };
            *node = match replacement {
                0 => Value::Null,
                1 => json!("text"),
                2 => json!(-1),
                3 => json!([]),
                4 => json!({}),
                _ => json!({"$ref": "#/components/schemas/SignatureRequestResponse"}),
            };
        }
        generate(&spec.to_string());
    }

    /// YAML nested in flow collections up to three times past the refused depth, block
    /// sequences on one line, and alias chains that expand to more nodes than the guard allows.
    #[test]
    fn deep_and_aliased_yaml_never_panics(depth in 0usize..3_000, style in 0..3u8, fan_out in 1usize..12) {
        let head = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";
        let text = match style {
            0 => format!("{head}paths: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
            1 => format!("{head}paths:\n  {}x\n", "- ".repeat(depth)),
            _ => {
                let mut text = format!("{head}x-0: &a0 [x]\n");
                for level in 1..=depth % 12 {
                    let items = vec![format!("*a{}", level - 1); fan_out].join(", ");
                    text.push_str(&format!("x-{level}: &a{level} [{items}]\n"));
                }
                text + "paths: {}\n"
            }
        };
        generate(&text);
        if style == 0 && depth > 1_000 {
            let err = load::load_str(&text, "deep.yaml").unwrap_err().to_string();
            prop_assert!(err.contains("nested more than 1000 levels"), "{}", err);
        }
    }

    /// Arbitrary text, and truncations of our spec's text.
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,200}", cut in 0usize..40_000) {
        generate(&text);
        let spec = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../spec/openapi.yaml")).unwrap();
        let cut = spec.char_indices().map(|(i, _)| i).take_while(|i| *i <= cut).last().unwrap_or(0);
        generate(&spec[..cut]);
    }
}

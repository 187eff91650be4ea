//! Broken documents stop the generator with an error that names the file, the place and the
//! problem: never a panic, never a half-written client.

use openapi_gen::{Options, generate_from_document, load};

fn options() -> Options {
    Options {
        crate_name: "broken".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: "broken.yaml".to_owned(),
        example_tests: false,
        regenerate_command: "cargo test".to_owned(),
        runtime: openapi_gen::emit::Runtime::Crate { path: None },
        tag_features: false,
        ..Options::default()
    }
}

/// Loads and generates `text`, returning the error message.
fn error_of(text: &str) -> String {
    let document = match load::load_str(text, "broken.yaml") {
        Ok(document) => document,
        Err(err) => return err.to_string(),
    };
    match generate_from_document(&document, &options()) {
        Ok(_) => panic!("expected an error for:\n{text}"),
        Err(err) => err.to_string(),
    }
}

const MINIMAL_HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

#[test]
fn invalid_yaml_names_line_and_column() {
    let message = error_of("openapi: 3.0.3\ninfo:\n  title: [unclosed\n  version: 1\n");
    assert!(message.starts_with("broken.yaml:"), "{message}");
    assert!(message.contains("invalid YAML"), "{message}");
    assert!(message.contains(":3:") || message.contains(":4:"), "line of the problem: {message}");
}

#[test]
fn invalid_json_names_line_and_column() {
    let message = error_of("{\"openapi\": \"3.0.3\",\n \"info\": }");
    assert!(message.starts_with("broken.yaml:2:"), "{message}");
    assert!(message.contains("invalid JSON"), "{message}");
}

#[test]
fn dangling_ref_names_where_it_is_and_what_it_points_at() {
    let text = format!(
        "{MINIMAL_HEAD}paths:\n  /x:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema:\n                $ref: '#/components/schemas/Missing'\n"
    );
    let message = error_of(&text);
    assert!(
        message.contains("#/paths/~1x/get/responses/200/content/application~1json/schema"),
        "pointer to the $ref: {message}"
    );
    assert!(message.contains("#/components/schemas/Missing") && message.contains("does not resolve"), "{message}");
}

#[test]
fn swagger_versions_other_than_2_0_are_refused_by_name() {
    let message = error_of("swagger: '1.2'\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(
        message,
        "broken.yaml: #/swagger: unsupported Swagger version \"1.2\"; supported are 2.0, OpenAPI 3.0.x, 3.1.x and 3.2.x"
    );
}

#[test]
fn unknown_openapi_version_is_refused() {
    let message = error_of("openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    assert_eq!(
        message,
        "broken.yaml: #/openapi: unsupported OpenAPI version \"4.0.0\"; supported are 3.0.x, 3.1.x and 3.2.x"
    );
}

#[test]
fn missing_paths_is_named() {
    let message = error_of(MINIMAL_HEAD);
    assert!(message.starts_with("broken.yaml: #"), "{message}");
    assert!(message.contains("missing field `paths`"), "{message}");
}

#[test]
fn wrong_shape_is_located() {
    let text = format!(
        "{MINIMAL_HEAD}paths:\n  /x:\n    get:\n      parameters:\n        - name: q\n          in: body\n      responses: {{}}\n"
    );
    let message = error_of(&text);
    assert!(message.contains("#/paths/~1x/get/parameters/0"), "{message}");
}

#[test]
fn undeclared_path_parameter_is_an_error() {
    let text = format!(
        "{MINIMAL_HEAD}paths:\n  /items/{{id}}:\n    get:\n      operationId: getItem\n      responses:\n        '204':\n          description: none\n"
    );
    let message = error_of(&text);
    assert!(message.contains("#/paths/~1items~1{id}/get"), "{message}");
    assert!(message.contains("no path parameter named \"id\""), "{message}");
}

#[test]
fn empty_and_non_mapping_documents_are_errors() {
    assert_eq!(error_of(""), "broken.yaml: the document is empty");
    assert_eq!(error_of("- a\n- b\n"), "broken.yaml: #: the document is not a mapping of OpenAPI fields");
}

#[test]
fn arbitrary_garbage_never_panics() {
    // A small deterministic sample of mutations of a valid document: every one must come back
    // as Ok or Err, never as a panic (which would abort this test).
    let valid = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/specs/operations.yaml")).unwrap();
    let lines: Vec<&str> = valid.lines().collect();
    for cut in 0..lines.len() {
        let mut mutated: Vec<&str> = lines.clone();
        mutated.remove(cut);
        let text = mutated.join("\n");
        if let Ok(document) = load::load_str(&text, "mutated.yaml") {
            let _ = generate_from_document(&document, &options());
        }
    }
}

/// What real documents leave out or add beyond the 3.0 model is a warning, not an error.
#[test]
fn missing_responses_paths_and_unknown_scheme_types_are_warnings() {
    let text = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\n\
                webhooks: {}\n\
                components:\n  securitySchemes:\n    tls: {type: mutualTLS}\n";
    let document = load::load_str(text, "lenient.yaml").expect("3.1 documents need no paths");
    let generated = generate_from_document(&document, &options()).expect("generates");
    let warnings: Vec<String> = generated.warnings.iter().chain(&document.warnings).map(ToString::to_string).collect();
    assert!(
        warnings.iter().any(|w| w.contains("#/components/securitySchemes/tls") && w.contains("mutualTLS")),
        "{warnings:?}"
    );

    let text = format!("{MINIMAL_HEAD}paths:\n  /ping:\n    get: {{operationId: ping}}\n");
    let document = load::load_str(&text, "lenient.yaml").expect("loads");
    assert!(
        document
            .warnings
            .iter()
            .any(|w| w.to_string().contains("#/paths/~1ping/get") && w.to_string().contains("no `responses`"))
    );
    let generated = generate_from_document(&document, &options()).expect("generates");
    assert!(generated.files["src/operations.rs"].contains("pub fn ping(&self)"));

    let without_paths = format!("{MINIMAL_HEAD}components: {{}}\n");
    assert!(error_of(&without_paths).contains("paths"), "3.0 still requires `paths`");
}

/// 100,000 levels of flow nesting (the parser alone would take minutes) are refused at the
/// level that passes the limit, with its line and column.
#[test]
fn deeply_nested_yaml_is_refused_with_line_and_column() {
    let levels = 100_000;
    let text = format!("{MINIMAL_HEAD}paths: {}{}\n", "[".repeat(levels), "]".repeat(levels));
    let message = error_of(&text);
    assert!(message.starts_with("broken.yaml:3:1008:"), "{message}");
    assert!(message.contains("nested more than 1000 levels deep"), "{message}");
    let blocks = format!("{MINIMAL_HEAD}paths:\n  {}x\n", "- ".repeat(levels));
    assert!(error_of(&blocks).contains("recursion limit exceeded"), "block nesting is linear: the parser's own limit");
}

#[test]
fn an_alias_bomb_names_the_line_of_its_first_alias() {
    let mut text = format!("{MINIMAL_HEAD}x-a: &a [x, x, x, x, x, x, x, x, x]\n");
    let mut previous = "a".to_owned();
    for name in ["b", "c", "d", "e", "f", "g", "h", "i"] {
        let items = vec![format!("*{previous}"); 9].join(", ");
        text.push_str(&format!("x-{name}: &{name} [{items}]\n"));
        previous = name.to_owned();
    }
    text.push_str("paths: {}\n");
    let message = error_of(&text);
    assert!(message.starts_with("broken.yaml:4:10:"), "{message}");
    assert!(message.contains("alias bomb"), "{message}");
}

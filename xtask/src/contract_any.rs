//! `cargo xtask contract --spec PATH`: any document against Stoplight Prism. Generates a client
//! for it in a temporary workspace, with a small program that calls every operation that takes
//! a JSON body or none, with inputs from the document's examples (or made from its schemas when
//! it has none); starts Prism on the document; runs the program against it; and reports passed
//! and failed per operation. Prism validates each request and answers from the examples, which
//! the client must decode.

use std::fmt::Write as _;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

use openapi_gen::ir::{self, Api, BodyEncoding};
use openapi_gen::{Options, Pointer, load};
use serde_json::{Map, Value, json};

pub fn run(spec: &Path) -> Result<(), String> {
    let prism = crate::contract::install_prism()?;
    let document = load::load_file(spec).map_err(|err| err.to_string())?;
    let (api, _) = ir::build_with_examples(&document).map_err(|err| err.to_string())?;
    let work = tempfile::tempdir().map_err(|err| err.to_string())?;
    let options = Options {
        crate_name: "contract-client".to_owned(),
        crate_version: "0.0.0".to_owned(),
        source_label: spec.display().to_string(),
        example_tests: false,
        regenerate_command: format!("cargo xtask contract --spec {}", spec.display()),
        runtime: openapi_gen::emit::Runtime::Crate {
            path: Some(crate::workspace_root().join("runtime").display().to_string()),
        },
        tag_features: false,
        ..Options::default()
    };
    let generated = openapi_gen::generate_from_document(&document, &options).map_err(|err| err.to_string())?;
    openapi_gen::write::write_crate(&generated, &work.path().join("client")).map_err(|err| err.to_string())?;
    let (program, calls) = harness(&api, &document.raw);
    write_harness(work.path(), &program)?;

    let target = crate::workspace_root().join("target").join("contract").join("any-spec-target");
    eprintln!("==> building the calls of {calls} operations");
    let status = Command::new(env!("CARGO"))
        .args(["build", "--offline", "--quiet", "-p", "contract-harness"])
        .current_dir(work.path())
        .env("CARGO_TARGET_DIR", &target)
        .status()
        .map_err(|err| err.to_string())?;
    if !status.success() {
        return Err("the generated client or its calls do not compile".to_owned());
    }
    let port =
        std::net::TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map_err(|e| e.to_string())?.port();
    let prism_spec = prism_copy(spec, work.path())?;
    let mut child = Command::new(&prism)
        .args(["mock"])
        .arg(&prism_spec)
        .args(["--host", "127.0.0.1", "--port", &port.to_string()])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|err| format!("cannot start Prism: {err}"))?;
    let stdout = child.stdout.take().ok_or("no Prism output")?;
    let (ready, listening) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if line.contains("Prism is listening") {
                let _ = ready.send(true);
            }
        }
        let _ = ready.send(false);
    });
    let started = listening.recv_timeout(Duration::from_secs(120)).unwrap_or(false);
    let result = if started {
        Command::new(target.join("debug").join("contract-harness"))
            .env("PRISM_URL", format!("http://127.0.0.1:{port}"))
            .output()
            .map_err(|err| err.to_string())
    } else {
        Err("Prism did not start (it fails on documents it cannot resolve)".to_owned())
    };
    let _ = child.kill();
    let _ = child.wait();
    let output = result?;
    let report = String::from_utf8_lossy(&output.stdout);
    print!("{report}");
    let passed = report.lines().filter(|l| l.starts_with("PASS")).count();
    let failed = report.lines().filter(|l| l.starts_with("FAIL")).count();
    println!("passed {passed}/{}, failed {failed}", passed + failed);
    Ok(())
}

/// The document as Prism gets it: external references made absolute (the copy lives elsewhere),
/// and those that point at missing files replaced by a note where only documentation uses them
/// (code samples, descriptions), because Prism resolves every reference and stops at the first
/// missing file. Nothing an operation's validation uses is changed.
fn prism_copy(spec: &Path, dir: &Path) -> Result<std::path::PathBuf, String> {
    fn walk(value: &mut Value, base: &Path, documentation: bool) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref")
                    && !reference.starts_with('#')
                    && !reference.contains("://")
                {
                    let (file, fragment) = reference.split_once('#').unwrap_or((reference, ""));
                    let path = base.join(file);
                    if path.exists() {
                        let absolute = path.canonicalize().unwrap_or(path);
                        let fragment = if fragment.is_empty() { String::new() } else { format!("#{fragment}") };
                        map.insert("$ref".to_owned(), Value::String(format!("{}{fragment}", absolute.display())));
                    } else if documentation {
                        *value = Value::String(format!("(not available: {file})"));
                    }
                    return;
                }
                for (key, child) in map.iter_mut() {
                    let documentation =
                        documentation || key.starts_with("x-") || key == "description" || key == "summary";
                    walk(child, base, documentation);
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|item| walk(item, base, documentation)),
            _ => {}
        }
    }
    let mut document = load::parse_file(spec)?;
    let base = spec.parent().unwrap_or(Path::new("."));
    walk(&mut document, base, false);
    let copy = dir.join("prism-openapi.json");
    std::fs::write(&copy, document.to_string()).map_err(|err| err.to_string())?;
    Ok(copy)
}

fn write_harness(dir: &Path, program: &str) -> Result<(), String> {
    let write = |path: &Path, text: &str| -> Result<(), String> {
        std::fs::create_dir_all(path.parent().unwrap_or(dir)).map_err(|e| e.to_string())?;
        std::fs::write(path, text).map_err(|e| e.to_string())
    };
    write(&dir.join("Cargo.toml"), "[workspace]\nresolver = \"3\"\nmembers = [\"client\", \"harness\"]\n")?;
    write(
        &dir.join("harness/Cargo.toml"),
        "[package]\nname = \"contract-harness\"\nversion = \"0.0.0\"\nedition = \"2024\"\npublish = false\n\n\
         [dependencies]\n\
         # The inputs are read from the examples into request types, which then need `Deserialize`.\n\
         contract-client = { path = \"../client\", features = [\"deserialize\"] }\nserde_json = \"1\"\n\
         tokio = { version = \"1\", features = [\"macros\", \"rt-multi-thread\"] }\n",
    )?;
    write(&dir.join("harness/src/main.rs"), program)?;
    std::fs::copy(crate::workspace_root().join("Cargo.lock"), dir.join("Cargo.lock")).map_err(|e| e.to_string())?;
    Ok(())
}

/// The calls program, and how many operations it calls.
fn harness(api: &Api, raw: &Value) -> (String, usize) {
    let mut calls = String::new();
    let mut count = 0;
    for op in &api.operations {
        let Some(method) =
            op.methods.iter().find(|m| m.body.as_ref().is_none_or(|b| matches!(b.encoding, BodyEncoding::Json)))
        else {
            continue;
        };
        count += 1;
        let op_at = op.pointer.clone();
        let mut args = Vec::new();
        let mut inputs = String::new();
        if let Some(params) = &op.params {
            let mut values = Map::new();
            for param in &params.params {
                if let Some(value) = parameter_sample(raw, &op_at, &param.wire_name) {
                    values.insert(param.name.trim_start_matches("r#").to_owned(), value);
                }
            }
            let _ = writeln!(
                inputs,
                "let params: Result<{}, _> = serde_json::from_str({:?});",
                params.name,
                Value::Object(values).to_string()
            );
            args.push("&params?");
        }
        if let Some(body) = &method.body {
            // The same name the IR gave the example tests (`ir::examples`).
            let prefix = format!("{}_request", ir::naming::snake(&op.operation_id, "operation"));
            let example = api.examples.iter().find(|e| e.test_name.starts_with(&prefix)).map(|e| e.value.clone());
            let media_at = op_at.push("requestBody").push("content").push(&body.content_type).push("schema");
            let value = example.or_else(|| at(raw, &media_at).map(|s| sample(raw, s, 0))).unwrap_or(Value::Null);
            let _ = writeln!(
                inputs,
                "let body: Result<{}, _> = serde_json::from_str({:?});",
                body.ty.rust_outside(&api.types, "contract_client"),
                value.to_string()
            );
            args.push(if body.required { "&body?" } else { "Some(&body?)" });
        }
        let _ = writeln!(
            calls,
            "    report({id:?}, async {{\n        {inputs}\n        let result = client.{method}({args}).await;\n        Ok::<_, serde_json::Error>(verdict(&result))\n    }}.await);",
            id = op.operation_id,
            inputs = inputs.replace('\n', "\n        "),
            method = method.name,
            args = args.join(", "),
        );
    }
    let mut builder = String::from("contract_client::Client::builder().base_url(&url)");
    for server in &api.extra_servers {
        let _ = write!(builder, ".server_url(contract_client::servers::{}, &url)", server.const_name);
    }
    for scheme in &api.security_schemes {
        let _ = write!(builder, ".{}(\"contract\")", scheme.setter);
    }
    let program = format!(
        r#"//! Calls every operation of the generated client against Prism (see `cargo xtask contract --spec`).
#![allow(unused_imports, unused_mut, clippy::all)]
use std::collections::BTreeMap;
use contract_client::models::*;
use contract_client::operations::*;

fn verdict<T, E: std::fmt::Debug>(result: &Result<contract_client::ApiResponse<T>, contract_client::Error<E>>) -> Option<String> {{
    match result {{
        Ok(response) => response.headers().get("sl-violations").map(|v| format!("accepted with violations: {{}}", v.to_str().unwrap_or("?"))),
        Err(err) => {{
            let violations = err.headers().and_then(|h| h.get("sl-violations")).and_then(|v| v.to_str().ok()).unwrap_or("");
            Some(format!("{{:?}} {{err}} {{violations}}", err.status()))
        }}
    }}
}}

fn report(id: &str, outcome: Result<Option<String>, serde_json::Error>) {{
    match outcome {{
        Ok(None) => println!("PASS {{id}}"),
        Ok(Some(problem)) => println!("FAIL {{id}}: {{problem}}"),
        Err(err) => println!("FAIL {{id}}: no inputs could be made from the document: {{err}}"),
    }}
}}

#[tokio::main]
async fn main() {{
    let url = std::env::var("PRISM_URL").expect("PRISM_URL");
    let client = {builder}.retry(contract_client::RetryPolicy::none()).build().expect("client");
{calls}}}
"#
    );
    (program, count)
}

fn at<'v>(raw: &'v Value, pointer: &Pointer) -> Option<&'v Value> {
    let mut node = raw;
    for token in pointer.tokens() {
        node = match node {
            Value::Object(map) => map.get(&token)?,
            Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
        for _ in 0..16 {
            match node.get("$ref").and_then(Value::as_str) {
                Some(reference) if reference.starts_with('#') => node = at(raw, &Pointer::from_fragment(reference))?,
                _ => break,
            }
        }
    }
    Some(node)
}

/// The example of parameter `name` of the operation at `op_at` (operation or path-item level),
/// or a value made from its schema.
fn parameter_sample(raw: &Value, op_at: &Pointer, name: &str) -> Option<Value> {
    let item_at = Pointer::from_fragment(op_at.as_str().rsplit_once('/').map_or("#", |(item, _)| item));
    for list_at in [op_at.push("parameters"), item_at.push("parameters")] {
        let Some(Value::Array(list)) = at(raw, &list_at) else { continue };
        for (index, _) in list.iter().enumerate() {
            let Some(parameter) = at(raw, &list_at.push(index.to_string())) else { continue };
            if parameter.get("name").and_then(Value::as_str) != Some(name) {
                continue;
            }
            if let Some(example) = parameter.get("example") {
                return Some(example.clone());
            }
            if let Some(Value::Object(examples)) = parameter.get("examples")
                && let Some(value) = examples.values().find_map(|e| e.get("value"))
            {
                return Some(value.clone());
            }
            let required = parameter.get("required") == Some(&Value::Bool(true));
            let schema = at(raw, &list_at.push(index.to_string()).push("schema"))?;
            if !required && schema.get("example").is_none() {
                return None;
            }
            return Some(sample(raw, schema, 0));
        }
    }
    None
}

/// A value a schema accepts: its example, default or first enum value, else one made from its
/// type (required properties only).
fn sample(raw: &Value, schema: &Value, depth: usize) -> Value {
    let resolve = |schema: &Value| -> Value {
        match schema.get("$ref").and_then(Value::as_str) {
            Some(reference) if reference.starts_with('#') => {
                at(raw, &Pointer::from_fragment(reference)).cloned().unwrap_or(Value::Null)
            }
            _ => schema.clone(),
        }
    };
    let schema = resolve(schema);
    if depth > 8 {
        return Value::Null;
    }
    for key in ["example", "default", "const"] {
        if let Some(value) = schema.get(key) {
            return value.clone();
        }
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && let Some(first) = values.iter().find(|v| !v.is_null())
    {
        return first.clone();
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(Value::Array(members)) = schema.get(key)
            && let Some(first) = members.first()
        {
            return sample(raw, first, depth + 1);
        }
    }
    if let Some(Value::Array(members)) = schema.get("allOf") {
        let mut merged = Map::new();
        for member in members {
            if let Value::Object(part) = sample(raw, member, depth + 1) {
                merged.extend(part);
            }
        }
        return Value::Object(merged);
    }
    let kind = match schema.get("type") {
        Some(Value::String(kind)) => kind.clone(),
        Some(Value::Array(kinds)) => {
            kinds.iter().filter_map(Value::as_str).find(|k| *k != "null").unwrap_or("null").to_owned()
        }
        _ if schema.get("properties").is_some() => "object".to_owned(),
        _ => String::new(),
    };
    match kind.as_str() {
        "string" => match schema.get("format").and_then(Value::as_str) {
            Some("email") => json!("jack@example.com"),
            Some("date-time") => json!("2024-01-01T00:00:00Z"),
            Some("date") => json!("2024-01-01"),
            Some("time") => json!("10:00:00"),
            Some("duration") => json!("P1D"),
            Some("ipv4") => json!("192.0.2.1"),
            Some("ipv6") => json!("2001:db8::1"),
            Some("uuid") => json!("123e4567-e89b-12d3-a456-426614174000"),
            Some("uri" | "url") => json!("https://example.com/"),
            _ => json!("string"),
        },
        "integer" => schema.get("minimum").cloned().unwrap_or(json!(1)),
        "number" => schema.get("minimum").cloned().unwrap_or(json!(1.5)),
        "boolean" => json!(true),
        "array" => json!([schema.get("items").map(|items| sample(raw, items, depth + 1)).unwrap_or(Value::Null)]),
        "object" => {
            let required: Vec<&str> = schema
                .get("required")
                .and_then(Value::as_array)
                .map(|r| r.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let mut object = Map::new();
            if let Some(Value::Object(properties)) = schema.get("properties") {
                for (name, property) in properties {
                    if required.contains(&name.as_str()) {
                        object.insert(name.clone(), sample(raw, property, depth + 1));
                    }
                }
            }
            Value::Object(object)
        }
        _ => Value::Null,
    }
}

//! The CLI never leaves a half-written client: a failed run keeps the old one, a successful run
//! replaces it exactly (stale files gone).

use std::fs;
use std::path::Path;
use std::process::Command;

fn run_generate(spec: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_openapi-gen"))
        .args(["generate", "--spec"])
        .arg(spec)
        .arg("--out")
        .arg(out)
        .output()
        .expect("the CLI runs")
}

#[test]
fn failed_generation_keeps_the_existing_client() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("src/lib.rs"), "// the good client\n").unwrap();
    let spec = dir.path().join("broken.yaml");
    fs::write(
        &spec,
        "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /x/{id}:\n    get:\n      responses: {}\n",
    )
    .unwrap();

    let output = run_generate(&spec, &out);

    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("broken.yaml: #/paths/~1x~1{id}/get"), "{stderr}");
    assert_eq!(fs::read_to_string(out.join("src/lib.rs")).unwrap(), "// the good client\n");
    let leftovers: Vec<_> = fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name()).collect();
    assert_eq!(leftovers.len(), 2, "no staging directory left behind: {leftovers:?}");
}

#[test]
fn successful_generation_replaces_the_whole_crate() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("client");
    fs::create_dir_all(out.join("src")).unwrap();
    fs::write(out.join("src/stale.rs"), "// from an older spec\n").unwrap();
    let spec = dir.path().join("tiny.yaml");
    fs::write(
        &spec,
        "openapi: 3.1.0\ninfo: {title: Tiny API, version: '1'}\nservers: [{url: 'https://tiny.test'}]\npaths:\n  /ping:\n    get:\n      operationId: ping\n      responses:\n        '204': {description: pong}\n",
    )
    .unwrap();

    let output = run_generate(&spec, &out);

    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(!out.join("src/stale.rs").exists());
    let manifest = fs::read_to_string(out.join("Cargo.toml")).unwrap();
    assert!(manifest.contains("name = \"tiny-api\""), "{manifest}");
    assert!(
        fs::read_to_string(out.join("src/operations.rs"))
            .unwrap()
            .contains("pub fn ping(&self) -> ResponseFuture<'_, (), serde_json::Value>")
    );
}

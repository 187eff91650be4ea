//! Generates the Dropbox Sign client into `OUT_DIR/sign.rs`, as a user's build script would.

fn main() {
    openapi_gen::BuildScript::new("../../spec/openapi.yaml")
        .settings("openapi-gen.toml")
        .write()
        .unwrap_or_else(|err| panic!("{err}"));
}

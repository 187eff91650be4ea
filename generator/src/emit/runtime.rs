//! How a generated crate gets its runtime: as a dependency on the `openapi-gen-runtime` crate
//! (from crates.io, or from a path), or as a copy of that crate inside the generated one
//! (`runtime/`, a path dependency), for a crate that depends on nothing of ours. Either way the
//! generated code is the same, and so are the runtime features it turns on.

use std::collections::BTreeMap;

use crate::ir::{Api, BodyEncoding};
use crate::options::Runtime;

/// The runtime crate's name and version, which generated crates depend on.
pub const RUNTIME_CRATE: &str = "openapi-gen-runtime";
/// Kept equal to `runtime/Cargo.toml` by a test.
pub const RUNTIME_VERSION: &str = "0.1.0";

/// The runtime crate's sources, for the vendored copy.
const SOURCES: &[(&str, &str)] = &[
    ("src/lib.rs", include_str!("../../../runtime/src/lib.rs")),
    ("src/base64.rs", include_str!("../../../runtime/src/base64.rs")),
    ("src/call.rs", include_str!("../../../runtime/src/call.rs")),
    ("src/client.rs", include_str!("../../../runtime/src/client.rs")),
    ("src/device.rs", include_str!("../../../runtime/src/device.rs")),
    ("src/discovery.rs", include_str!("../../../runtime/src/discovery.rs")),
    ("src/download.rs", include_str!("../../../runtime/src/download.rs")),
    ("src/encode.rs", include_str!("../../../runtime/src/encode.rs")),
    ("src/error.rs", include_str!("../../../runtime/src/error.rs")),
    ("src/examples.rs", include_str!("../../../runtime/src/examples.rs")),
    ("src/future.rs", include_str!("../../../runtime/src/future.rs")),
    ("src/mock.rs", include_str!("../../../runtime/src/mock.rs")),
    ("src/mock_body.rs", include_str!("../../../runtime/src/mock_body.rs")),
    ("src/multipart.rs", include_str!("../../../runtime/src/multipart.rs")),
    ("src/oauth.rs", include_str!("../../../runtime/src/oauth.rs")),
    ("src/object.rs", include_str!("../../../runtime/src/object.rs")),
    ("src/pages.rs", include_str!("../../../runtime/src/pages.rs")),
    ("src/redirect.rs", include_str!("../../../runtime/src/redirect.rs")),
    ("src/response.rs", include_str!("../../../runtime/src/response.rs")),
    ("src/retry.rs", include_str!("../../../runtime/src/retry.rs")),
    ("src/rfc3339.rs", include_str!("../../../runtime/src/rfc3339.rs")),
    ("src/rfc3339_check.rs", include_str!("../../../runtime/src/rfc3339_check.rs")),
    ("src/secret.rs", include_str!("../../../runtime/src/secret.rs")),
    ("src/stream.rs", include_str!("../../../runtime/src/stream.rs")),
    ("src/string_enum.rs", include_str!("../../../runtime/src/string_enum.rs")),
    ("src/token.rs", include_str!("../../../runtime/src/token.rs")),
    ("src/token_holder.rs", include_str!("../../../runtime/src/token_holder.rs")),
    ("src/transport_error.rs", include_str!("../../../runtime/src/transport_error.rs")),
    ("src/upload.rs", include_str!("../../../runtime/src/upload.rs")),
    ("src/webhook.rs", include_str!("../../../runtime/src/webhook.rs")),
];

/// The runtime crate's manifest, which inherits from our workspace.
const MANIFEST: &str = include_str!("../../../runtime/Cargo.toml");

/// The runtime features `api` needs, besides the TLS one the generated crate's features choose.
pub fn features(api: &Api) -> Vec<&'static str> {
    let multipart = api
        .operations
        .iter()
        .flat_map(|op| &op.methods)
        .any(|method| matches!(method.body.as_ref().map(|body| &body.encoding), Some(BodyEncoding::Multipart(_))));
    let time = crate::ir::formats::dependencies(api.type_refs()).contains(&crate::ir::formats::Dependency::Time);
    [
        (multipart, "multipart"),
        (api.oauth.is_some() || api.device_flow.is_some(), "oauth"),
        (!api.webhooks.is_empty(), "webhooks"),
        (time, "time"),
    ]
    .into_iter()
    .filter_map(|(needed, feature)| needed.then_some(feature))
    .collect()
}

/// The package name of the vendored copy in the crate `crate_name`: a name of its own, so that
/// two vendored clients in one workspace do not collide in its lock file.
fn vendored_package(crate_name: &str) -> String {
    format!("{crate_name}-runtime")
}

/// The `[dependencies]` line of the runtime; the generated code names it `openapi_gen_runtime`
/// whichever package it is.
pub fn dependency(api: &Api, runtime: &Runtime, crate_name: &str) -> String {
    dependency_from(api, runtime, crate_name, "")
}

/// The runtime's `[dependencies]` line for a crate in a directory `up` (`../../`) below the
/// client's: a relative path starts with it.
pub fn dependency_from(api: &Api, runtime: &Runtime, crate_name: &str, up: &str) -> String {
    let features: Vec<String> = features(api).iter().map(|f| format!("\"{f}\"")).collect();
    let source = match runtime {
        Runtime::Crate { path: None } => format!("version = \"{RUNTIME_VERSION}\""),
        Runtime::Crate { path: Some(path) } => {
            let up = if std::path::Path::new(path).is_absolute() { "" } else { up };
            format!("version = \"{RUNTIME_VERSION}\", path = \"{up}{}\"", path.replace('\\', "/"))
        }
        Runtime::Vendored => {
            format!("package = \"{}\", path = \"{up}runtime\"", vendored_package(crate_name))
        }
    };
    format!("{RUNTIME_CRATE} = {{ {source}, default-features = false, features = [{}] }}\n", features.join(", "))
}

/// The files of the vendored copy, by path in the generated crate, each with `header` (a Rust
/// comment) first.
pub fn vendored_files(header: &str, crate_name: &str) -> BTreeMap<String, String> {
    let mut files: BTreeMap<String, String> =
        SOURCES.iter().map(|(path, source)| (format!("runtime/{path}"), format!("{header}{source}"))).collect();
    files.insert("runtime/Cargo.toml".to_owned(), standalone_manifest(&header.replace("//", "#"), crate_name));
    files
}

/// The runtime's manifest with what it inherits from our workspace written out, so that the
/// copy builds anywhere, and not publishable: it is part of the generated crate.
fn standalone_manifest(header: &str, crate_name: &str) -> String {
    let manifest = MANIFEST
        .replace(&format!("name = \"{RUNTIME_CRATE}\""), &format!("name = \"{}\"", vendored_package(crate_name)))
        .replace("edition.workspace = true", "edition = \"2024\"")
        .replace("rust-version.workspace = true", "rust-version = \"1.85\"")
        .replace("license.workspace = true", "license = \"MIT OR Apache-2.0\"\npublish = false")
        .replace("readme = \"README.md\"\n", "");
    format!("{header}{manifest}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_version_is_the_runtime_crates() {
        assert!(MANIFEST.contains(&format!("\nversion = \"{RUNTIME_VERSION}\"\n")));
        assert!(MANIFEST.contains(&format!("name = \"{RUNTIME_CRATE}\"")));
    }

    #[test]
    fn the_vendored_manifest_stands_alone() {
        let manifest = standalone_manifest("# header\n", "pets");
        assert!(!manifest.contains(".workspace"), "{manifest}");
        assert!(manifest.contains("name = \"pets-runtime\""), "{manifest}");
        assert!(manifest.starts_with("# header\n[package]"));
    }

    #[test]
    fn every_runtime_source_is_vendored() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../runtime/src");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|entry| format!("src/{}", entry.unwrap().file_name().to_string_lossy()))
            .collect();
        on_disk.sort();
        let mut vendored: Vec<String> = SOURCES.iter().map(|(path, _)| (*path).to_owned()).collect();
        vendored.sort();
        assert_eq!(on_disk, vendored);
    }
}

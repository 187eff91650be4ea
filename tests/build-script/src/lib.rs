//! A client generated in `build.rs` and included here: `sign` is the module the build script
//! wrote into `OUT_DIR`.

include!(concat!(env!("OUT_DIR"), "/sign.rs"));

/// A warning the API returns beside a result, as this crate wants it: it replaces the
/// description's `WarningResponse` schema in the generated module.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ApiWarning {
    /// What the warning is about.
    pub warning_name: String,
    /// The warning.
    pub warning_msg: String,
}

/// The text of the generated module, for the tests that check what the settings left out.
pub const GENERATED: &str = include_str!(concat!(env!("OUT_DIR"), "/sign.rs"));

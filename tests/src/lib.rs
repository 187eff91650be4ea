//! Workspace-level tests live in `tests/`; this library compiles the examples of the README and
//! of the pages under `docs/` as doctests, and holds the loopback server that the request
//! benchmarks share.
#![doc = include_str!("../../README.md")]

pub mod loopback;

/// The pages under `docs/`, here so that their examples are compiled and run as doctests.
pub mod docs {
    #[doc = include_str!("../../docs/client.md")]
    pub mod client {}
    #[doc = include_str!("../../docs/generator.md")]
    pub mod generator {}
    #[doc = include_str!("../../docs/big-apis.md")]
    pub mod big_apis {}
    #[doc = include_str!("../../docs/drift.md")]
    pub mod drift {}
    #[doc = include_str!("../../docs/development.md")]
    pub mod development {}
}

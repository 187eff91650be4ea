//! Workspace-level tests live in `tests/`; this library compiles the README's example, and holds
//! the loopback server that the request benchmarks share.
#![doc = include_str!("../../README.md")]

pub mod loopback;

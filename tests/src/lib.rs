//! Workspace-level tests live in `tests/`; this library only compiles the README's example.
#![doc = include_str!("../../README.md")]

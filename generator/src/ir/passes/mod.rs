//! Passes: the [`Api`] to the `Api`, each one job, run in order by [`run`] after lowering:
//! replacements by the user's types, merging identical types, breaking recursion, marking which
//! way each type crosses the wire, derives, renames. Selection's pruning and the per-tag feature
//! gates are passes too, run where they are needed.

pub(crate) mod derives;
pub mod features;
pub mod merge;
pub(crate) mod recursion;
pub(crate) mod rename;
pub(crate) mod replace;
pub mod select;
pub(crate) mod usage;

use crate::diagnostics::{Error, Warning};
use crate::ir::{Api, BuildOptions};

/// Runs the passes over a lowered `api`, in order; their warnings join `warnings`.
pub(crate) fn run(api: &mut Api, options: &BuildOptions, warnings: &mut Vec<Warning>) -> Result<(), Error> {
    replace::apply(api, &options.customize.replacements, warnings)?;
    if !options.keep_identical_types {
        // Which way each type crosses the wire is part of its shape: a type only received
        // decodes a nullable optional field as `Option<T>`, one also sent as `Option<Option<T>>`.
        usage::mark(api);
        merge::apply(api, &options.customize.named_types())?;
    }
    recursion::break_alias_cycles(&mut api.types, warnings);
    recursion::box_recursive_fields(&mut api.types);
    usage::mark(api);
    derives::apply(api, &options.customize.derives, &options.customize.attributes)?;
    rename::apply(api, &options.customize.renames)?;
    Ok(())
}

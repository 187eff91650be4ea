//! `--split-crates`: a big API's model types in crates of their own, beside the client's crate
//! (`crates/{name}-models*/`), so that cargo compiles them in parallel and each compilation is a
//! fraction of the whole. The client depends on them and re-exports every type in its `models`
//! module, so code written against one crate compiles against the split one.
//!
//! The compiler's front end is most of what a big generated crate costs, and one crate is one
//! front end on one core. The types divide by the tags whose operations reach them (the reach
//! `--features-per-tag` computes): the types only one tag's operations (or only the webhooks)
//! reach go to the group crates, in connected pieces packed into groups of about the same
//! weight, and every other type (shared, reached by nothing, or by the untagged operations) to
//! the shared crate, which the group crates depend on. A shared type only holds shared types
//! (whatever holds a type reaches it too), so the crates form a tree.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::quote;

use super::runtime;
use super::types::ident;
use crate::ir::features::{FeatureGates, Gate};
use crate::ir::{Api, TypeKind, TypeRef};
use crate::options::Options;

/// How many group crates the types are packed into at most. Each crate costs a compiler start
/// and the reading of its dependencies' metadata (a few hundred milliseconds); four keep two to
/// four cores busy after the shared crate. A constant, not the machine's cores: the output is
/// the same everywhere.
const MAX_GROUPS: usize = 4;

/// The weight of an API's types (see [`weight`]) from which `--split-crates auto` splits them.
/// Measured (`cargo check` of the client and its model crates, dependencies built, 2 cores):
/// telnyx.com's description weighs 5,500 and checks in 4.5 s split instead of 7.3 s, zoom.us's
/// (10,800) in 7.9 s instead of 11.3 s, GitHub's (27,500) in 14 s instead of 27 s; the official
/// Dropbox Sign description (1,800) in 1.72 s instead of 1.85 s, not worth five crates.
const AUTO_SPLIT_WEIGHT: usize = 5_000;

/// The share of the types' weight that the group crates must hold for `--split-crates auto`
/// to split, in quarters: the groups are what cargo checks in parallel, while the shared crate
/// and the client are checked one after the other. Measured (`cargo check`, 2 cores): with 39%
/// in the groups (here.com's tracking API) 5.1-5.5 s instead of 6.3-6.4 s; with 6% (docusign.net)
/// or none (Amazon QuickSight, whose operations have no tags) the same time as one crate, for
/// crates the user would have to carry for nothing.
const AUTO_SPLIT_GROUPED_QUARTERS: usize = 1;

/// Whether `--split-crates auto` plans a split of `api`'s models: when they weigh enough. The
/// plan is then kept if [`Split::pays_off`].
pub fn heavy_enough(api: &Api) -> bool {
    api.types.iter().map(|def| weight(&def.kind)).sum::<usize>() >= AUTO_SPLIT_WEIGHT
}

/// The crates of a split client's models.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Split {
    /// The client's package name.
    pub client: String,
    /// The crates, the shared one first when it holds any type.
    pub crates: Vec<ModelCrate>,
}

/// One crate of model types.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ModelCrate {
    /// The package name (`github-models`, `github-models-repos`).
    pub package: String,
    /// Its types, as indices into [`Api::types`], in order.
    pub types: Vec<usize>,
    /// Whether this is the shared crate, which every other one depends on.
    pub shared: bool,
    /// The tag features whose operations reach its types (indices into
    /// [`FeatureGates::features`]); a group's are those of its tags.
    pub features: BTreeSet<usize>,
    /// What the crate holds, for its documentation.
    pub description: String,
}

impl ModelCrate {
    /// The library name the code uses (`github_models_repos`).
    pub fn library(&self) -> String {
        self.package.replace('-', "_")
    }

    /// The directory of the crate in the client's.
    pub fn directory(&self) -> String {
        format!("crates/{}", self.package)
    }
}

impl Split {
    /// The shared crate, when it holds any type.
    pub fn shared(&self) -> Option<&ModelCrate> {
        self.crates.first().filter(|model_crate| model_crate.shared)
    }

    /// Whether `--split-crates auto` keeps this plan: its group crates hold a quarter of the
    /// types' weight or more (see [`AUTO_SPLIT_GROUPED_QUARTERS`]).
    pub fn pays_off(&self, api: &Api) -> bool {
        let weight_of = |model_crate: &ModelCrate| -> usize {
            model_crate.types.iter().map(|&index| weight(&api.types[index].kind)).sum()
        };
        let total: usize = self.crates.iter().map(weight_of).sum();
        let grouped: usize = self.crates.iter().filter(|model_crate| !model_crate.shared).map(weight_of).sum();
        grouped * 4 >= total * AUTO_SPLIT_GROUPED_QUARTERS && grouped > 0
    }
}

/// The crates of the client `crate_name` for `api`, whose types reach as `reach` says.
pub fn plan(api: &Api, reach: &FeatureGates, crate_name: &str) -> Split {
    let single_feature = |index: usize| match &reach.types[index] {
        Gate::AnyOf(features) if features.len() == 1 => Some(features[0]),
        _ => None,
    };
    // The types one tag reaches, in connected pieces: a type only refers to types its tags reach
    // too, so a piece is one tag's, and the pieces are independent of each other (GitHub's
    // webhooks, most of its types, are many small pieces, one or a few per event, once the
    // types they all hold are hoisted).
    let count = api.types.len();
    let references = references(api);
    // Which types go to the groups: those one tag reaches, but for the hubs hoisted to the
    // shared crate.
    let mut grouped: Vec<bool> = (0..count).map(|index| single_feature(index).is_some()).collect();
    hoist_hubs(api, &references, &mut grouped);
    let mut pieces = Pieces::of(&references, &grouped);
    // Each piece's weight, feature and first type, by its representative.
    let mut piece_of: BTreeMap<usize, (usize, usize, usize)> = BTreeMap::new();
    for index in (0..count).filter(|&index| grouped[index]) {
        if let Some(feature) = single_feature(index) {
            let piece = piece_of.entry(pieces.find(index)).or_insert((0, feature, index));
            piece.0 += weight(&api.types[index].kind);
        }
    }
    // The heaviest pieces first, each into the lightest group so far (ties: the earlier piece,
    // the first group): groups of about the same weight, so that the order in which cargo
    // starts them does not matter, decided by the IR only.
    let mut by_weight: Vec<(usize, (usize, usize, usize))> = piece_of.into_iter().collect();
    by_weight.sort_by_key(|&(_, (weight, _, first))| (std::cmp::Reverse(weight), first));
    let group_count = by_weight.len().min(MAX_GROUPS);
    // Per group: its weight, and its weight per feature.
    let mut groups: Vec<(usize, BTreeMap<usize, usize>)> = vec![(0, BTreeMap::new()); group_count];
    let mut group_of_piece: BTreeMap<usize, usize> = BTreeMap::new();
    for (representative, (weight, feature, _)) in by_weight {
        let lightest = (0..group_count).min_by_key(|&group| (groups[group].0, group)).unwrap_or(0);
        groups[lightest].0 += weight;
        *groups[lightest].1.entry(feature).or_default() += weight;
        group_of_piece.insert(representative, lightest);
    }
    let mut shared = ModelCrate {
        package: format!("{crate_name}-models"),
        types: Vec::new(),
        shared: true,
        features: BTreeSet::new(),
        description: format!(
            "The model types of the `{crate_name}` client that several of its parts use, that many types of one part hold, or that no operation reaches."
        ),
    };
    let mut taken = BTreeSet::new();
    let mut group_crates: Vec<ModelCrate> = groups
        .iter()
        .enumerate()
        .map(|(group, (_, features))| {
            let mut parts: Vec<String> = features
                .keys()
                .map(|&feature| match &reach.features[feature].tag {
                    Some(tag) => format!("the `{tag}` operations"),
                    None => "the webhooks".to_owned(),
                })
                .collect();
            parts.sort();
            // Named after the feature most of its types are for (the first of equals).
            let heaviest = features.iter().max_by_key(|&(&feature, &weight)| (weight, std::cmp::Reverse(feature)));
            let name = heaviest.map_or("group", |(&feature, _)| reach.features[feature].name.as_str());
            ModelCrate {
                package: group_package(crate_name, name, group, &mut taken),
                types: Vec::new(),
                shared: false,
                features: features.keys().copied().collect(),
                description: format!(
                    "Model types of the `{crate_name}` client that only one of its parts uses, here those of {}.",
                    parts.join(", ")
                ),
            }
        })
        .collect();
    for (index, &is_grouped) in grouped.iter().enumerate() {
        match is_grouped.then(|| group_of_piece.get(&pieces.find(index))).flatten() {
            Some(&group) => group_crates[group].types.push(index),
            None => {
                if let Gate::AnyOf(features) = &reach.types[index] {
                    shared.features.extend(features.iter().copied());
                }
                shared.types.push(index);
            }
        }
    }
    let crates = std::iter::once(shared).filter(|shared| !shared.types.is_empty()).chain(group_crates).collect();
    Split { client: crate_name.to_owned(), crates }
}

/// How many hubs are hoisted at most (see [`hoist_hubs`]).
const MAX_HOISTS: usize = 64;

/// How many of a piece's most held types are tried as hubs, each round.
const HUB_CANDIDATES: usize = 16;

/// The types each type refers to: those it holds, and for a merged schema's aliases, the one type
/// (its required-fields alias names the one type's required-fields struct, by name).
fn references(api: &Api) -> Vec<Vec<usize>> {
    let mut references: Vec<Vec<usize>> = api
        .types
        .iter()
        .map(|def| {
            def.kind
                .type_refs()
                .into_iter()
                .filter_map(|ty| match ty.innermost() {
                    TypeRef::Named(id) => Some(id.index()),
                    _ => None,
                })
                .collect()
        })
        .collect();
    for merged in &api.merged_types {
        for alias in &merged.aliases {
            references[alias.index()].push(merged.one.index());
        }
    }
    for (index, referred) in references.iter_mut().enumerate() {
        referred.sort_unstable();
        referred.dedup();
        referred.retain(|&other| other != index);
    }
    references
}

/// Hoists to the shared crate the hubs of a piece too heavy for one group: one tag's types are
/// often tied together by a few types many of them hold (each of GitHub's webhook payloads holds
/// the repository, the sender and the installation as webhooks send them), which makes them one
/// piece and one crate that the others wait for. A hub goes with everything it holds, and only
/// when that is a small part of the piece; after each, the pieces are found again.
fn hoist_hubs(api: &Api, references: &[Vec<usize>], grouped: &mut [bool]) {
    let weights: Vec<usize> = api.types.iter().map(|def| weight(&def.kind)).collect();
    for _ in 0..MAX_HOISTS {
        let mut pieces = Pieces::of(references, grouped);
        let mut piece_weights: BTreeMap<usize, usize> = BTreeMap::new();
        for index in (0..grouped.len()).filter(|&index| grouped[index]) {
            *piece_weights.entry(pieces.find(index)).or_default() += weights[index];
        }
        let total: usize = piece_weights.values().sum();
        let Some((&heaviest, &heaviest_weight)) =
            piece_weights.iter().max_by_key(|&(&piece, &weight)| (weight, std::cmp::Reverse(piece)))
        else {
            return;
        };
        if heaviest_weight <= total / MAX_GROUPS {
            return;
        }
        // The types of the heaviest piece by how many of its types hold them.
        let mut holders = vec![0usize; grouped.len()];
        for index in (0..grouped.len()).filter(|&index| grouped[index] && pieces.find(index) == heaviest) {
            for &held in references[index].iter().filter(|&&held| grouped[held]) {
                holders[held] += 1;
            }
        }
        let mut hubs: Vec<usize> = (0..grouped.len()).filter(|&index| holders[index] >= 2).collect();
        hubs.sort_by_key(|&index| (std::cmp::Reverse(holders[index]), index));
        // The closures of a few candidates only: each is a walk of the piece.
        let hoisted = hubs.into_iter().take(HUB_CANDIDATES).find_map(|hub| {
            let closure = closure_of(hub, references, grouped);
            let closure_weight: usize = closure.iter().map(|&index| weights[index]).sum();
            (closure_weight * 8 <= heaviest_weight).then_some(closure)
        });
        let Some(closure) = hoisted else { return };
        for index in closure {
            grouped[index] = false;
        }
    }
}

/// `start` and the grouped types it holds, directly or not.
fn closure_of(start: usize, references: &[Vec<usize>], grouped: &[bool]) -> Vec<usize> {
    let mut seen = BTreeSet::from([start]);
    let mut stack = vec![start];
    while let Some(index) = stack.pop() {
        for &held in &references[index] {
            if grouped[held] && seen.insert(held) {
                stack.push(held);
            }
        }
    }
    seen.into_iter().collect()
}

/// The `[features]` list of the client's feature `name` (`serialize`): the same feature of every
/// model crate, quoted, or nothing when the client is one crate.
pub fn forward(split: Option<&Split>, name: &str) -> String {
    let Some(split) = split else { return String::new() };
    let names: Vec<String> = split.crates.iter().map(|model_crate| format!("{}/{name}", model_crate.package)).collect();
    super::toml_list(&names)
}

/// The settings' features of the client, each also turning on the same feature of every model
/// crate (an attribute the settings put on a type may be gated by it).
pub fn forward_features(features: &[(String, Vec<String>)], split: Option<&Split>) -> Vec<(String, Vec<String>)> {
    let Some(split) = split else { return features.to_vec() };
    features
        .iter()
        .map(|(name, enables)| {
            let forwarded = split.crates.iter().map(|model_crate| format!("{}/{name}", model_crate.package));
            (name.clone(), enables.iter().cloned().chain(forwarded).collect())
        })
        .collect()
}

/// The client's `[dependencies]` lines of its model crates, and its `[dev-dependencies]` with
/// both serde traits when it has example tests (each encodes and decodes a model).
pub fn dependencies(split: &Split, options: &Options, api: &Api) -> String {
    let version = &options.crate_version;
    let mut text =
        String::from("# The model types, in crates of their own that cargo builds in parallel (`--split-crates`).\n");
    for model_crate in &split.crates {
        text.push_str(&format!(
            "{} = {{ version = \"{version}\", path = \"{}\" }}\n",
            model_crate.package,
            model_crate.directory()
        ));
    }
    if options.example_tests && !api.examples.is_empty() {
        text.push_str("\n[dev-dependencies]\n# The example tests encode and decode the models both ways.\n");
        for model_crate in &split.crates {
            text.push_str(&format!(
                "{} = {{ version = \"{version}\", path = \"{}\", features = [\"serialize\", \"deserialize\"] }}\n",
                model_crate.package,
                model_crate.directory()
            ));
        }
    }
    text
}

/// The `Cargo.toml` of `model_crate`: the client's package fields, the serde and tag features
/// the client forwards, and the dependencies its types need (the settings' ones too, their
/// paths from the crate's directory).
pub fn manifest(api: &Api, options: &Options, reach: &FeatureGates, split: &Split, model_crate: &ModelCrate) -> String {
    const UP: &str = "../../";
    let tag_features: String = if options.tag_features {
        model_crate.features.iter().map(|&feature| format!("{} = []\n", reach.features[feature].name)).collect()
    } else {
        String::new()
    };
    let user_dependencies: Vec<(String, String)> =
        options.dependencies.iter().map(|(name, value)| (name.clone(), from_subdirectory(value, UP))).collect();
    let user_features: String = options
        .features
        .iter()
        .map(|(name, enables)| {
            // What a dependency of the settings turns on; the client's own features stay there.
            let on_dependency = |item: &&String| {
                let dependency = item.strip_prefix("dep:").unwrap_or_else(|| {
                    item.split('/').next().filter(|_| item.contains('/')).unwrap_or("").trim_end_matches('?')
                });
                user_dependencies.iter().any(|(name, _)| name == dependency)
            };
            let enables: Vec<String> = enables.iter().filter(on_dependency).map(|item| format!("{item:?}")).collect();
            format!("{name} = [{}]\n", enables.join(", "))
        })
        .collect();
    let user_dependencies: String =
        user_dependencies.iter().map(|(name, value)| format!("{name} = {value}\n")).collect();
    let shared = split.shared().filter(|shared| *shared != model_crate).map(|shared| {
        format!(
            "{} = {{ version = \"{}\", path = \"../{}\" }}\n",
            shared.package, options.crate_version, shared.package
        )
    });
    format!(
        r#"{package}
[features]
# Both serde traits on every model: turned on by the `{client}` features of the same names.
serialize = []
deserialize = []
{tag_features}{user_features}
[dependencies]
{runtime}{shared}serde = {{ version = "1", features = ["derive"] }}
serde_json = "1"
{formats}{user_dependencies}"#,
        package = super::package_section(options, &model_crate.package, &super::toml_text(&model_crate.description)),
        formats = super::format_dependencies(api),
        client = options.crate_name,
        runtime = runtime::dependency_from(api, &options.runtime, &options.crate_name, UP),
        shared = shared.unwrap_or_default(),
    )
}

/// A dependency's TOML value with its relative `path` made relative to a directory `up` below the
/// client's (`{ path = "../money" }` -> `{ path = "../../../money" }`).
fn from_subdirectory(value: &str, up: &str) -> String {
    let Ok(mut table) = format!("v = {value}").parse::<toml::Table>() else { return value.to_owned() };
    let Some(toml::Value::Table(dependency)) = table.get_mut("v") else { return value.to_owned() };
    let Some(toml::Value::String(path)) = dependency.get_mut("path") else { return value.to_owned() };
    if std::path::Path::new(path.as_str()).is_absolute() {
        return value.to_owned();
    }
    *path = format!("{up}{path}");
    table.get("v").map_or_else(|| value.to_owned(), ToString::to_string)
}

/// The `lib.rs` of `model_crate`: its documentation, its types (from `models.rs`) at its root,
/// and the paths from the crate root that the generated types use (`crate::runtime`, and the
/// format types the runtime wraps), as the client has them.
pub fn lib_file(api: &Api, split: &Split, model_crate: &ModelCrate, gates: Option<&FeatureGates>) -> TokenStream {
    // With a feature per tag, a crate's types may all be left out.
    let allow_unused = super::models::allow_unused_when_gated(gates);
    let intro = format!(" {}", model_crate.description);
    let part_of = format!(
        " Part of the `{}` crate, which re-exports every type in its `models` module: depend on it, not on this crate.",
        split.client
    );
    let root_uses = super::format_uses(api, &quote!(pub(crate)));
    quote! {
        #![doc = #intro]
        #![doc = ""]
        #![doc = #part_of]
        #![forbid(unsafe_code)]
        #![warn(missing_docs)]
        // The descriptions' Markdown is the API's, indented as its authors wrote it (nested lists
        // after paragraphs, which the sanitizer cannot always tell apart), and its types are as
        // deep as its schemas: clippy's lints of doc indentation and type complexity say nothing
        // the generated code could act on.
        #![allow(clippy::doc_lazy_continuation, clippy::doc_overindented_list_items, clippy::type_complexity)]

        mod models;
        #allow_unused
        pub use models::*;

        #[allow(unused_imports)]
        use openapi_gen_runtime as runtime;
        #(
            #[allow(unused_imports)]
            #root_uses
        )*
    }
}

/// The client's `models.rs`: every model crate's types, re-exported.
pub fn reexports_file(split: &Split, gates: Option<&FeatureGates>) -> TokenStream {
    let allow_unused = super::models::allow_unused_when_gated(gates);
    let libraries = split.crates.iter().map(|model_crate| ident(&model_crate.library()));
    let doc = format!(
        " The types of the API's schemas: request and response bodies and everything in them, from the crates that hold them ({}).",
        split.crates.iter().map(|model_crate| format!("`{}`", model_crate.package)).collect::<Vec<_>>().join(", ")
    );
    quote! {
        #![doc = #doc]
        #(
            #allow_unused
            pub use #libraries::*;
        )*
    }
}

/// The package of a group crate: named after the feature of most of its types (`-2` after a
/// name another group has), or numbered when that name would make an unwieldy package name.
fn group_package(crate_name: &str, feature: &str, group: usize, taken: &mut BTreeSet<String>) -> String {
    let named = format!("{crate_name}-models-{feature}");
    let fits = named.len() <= 60 && feature.chars().all(|c| c.is_ascii_alphanumeric() || c == '-');
    let base = if fits { named } else { format!("{crate_name}-models-{}", group + 1) };
    let package =
        (1..).map(|n| if n == 1 { base.clone() } else { format!("{base}-{n}") }).find(|name| !taken.contains(name));
    let package = package.unwrap_or(base);
    taken.insert(package.clone());
    package
}

/// Disjoint sets of types (union-find), for the connected pieces of the types one tag reaches.
struct Pieces {
    parent: Vec<usize>,
}

impl Pieces {
    /// The connected pieces of the `grouped` types, by their `references` to each other.
    fn of(references: &[Vec<usize>], grouped: &[bool]) -> Self {
        let mut pieces = Pieces { parent: (0..grouped.len()).collect() };
        for index in (0..grouped.len()).filter(|&index| grouped[index]) {
            for &held in references[index].iter().filter(|&&held| grouped[held]) {
                pieces.join(index, held);
            }
        }
        pieces
    }

    /// The representative of `index`'s piece (the least index in it).
    fn find(&mut self, mut index: usize) -> usize {
        while self.parent[index] != index {
            self.parent[index] = self.parent[self.parent[index]];
            index = self.parent[index];
        }
        index
    }

    fn join(&mut self, a: usize, b: usize) {
        let (a, b) = (self.find(a), self.find(b));
        let (low, high) = (a.min(b), a.max(b));
        self.parent[high] = low;
    }
}

/// What a type costs to compile, roughly: its fields or variants, each a trait resolution in
/// every impl, and the type itself.
fn weight(kind: &TypeKind) -> usize {
    1 + match kind {
        TypeKind::Struct(body) => body.fields.len(),
        TypeKind::Enum(string_enum) => string_enum.variants.len(),
        TypeKind::Union(union) => union.variants.len(),
        TypeKind::Alias(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn api_of(yaml: &str) -> Api {
        let document = crate::load::load_str(yaml, "split").unwrap();
        crate::ir::build(&document).unwrap().0
    }

    const TAGGED: &str = r"
openapi: 3.0.3
info: {title: Split, version: '1'}
paths:
  /pets:
    get:
      operationId: listPets
      tags: [pets]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Pet'}}}}
  /stores:
    get:
      operationId: listStores
      tags: [stores]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Store'}}}}
  /owners:
    get:
      operationId: listOwners
      tags: [owners, stores]
      responses:
        '200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Owner'}}}}
components:
  schemas:
    Pet: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}, name: {type: string}}}
    Store: {type: object, properties: {owner: {$ref: '#/components/schemas/Owner'}, a: {type: string}, b: {type: string}}}
    Owner: {type: object, properties: {name: {type: string}}}
    Unused: {type: object, properties: {name: {type: string}}}
";

    #[test]
    fn a_type_one_tag_reaches_goes_to_its_group_and_the_rest_to_the_shared_crate() {
        let api = api_of(TAGGED);
        let reach = crate::ir::features::gates(&api);
        let split = plan(&api, &reach, "pets-api");
        let names = |model_crate: &ModelCrate| -> Vec<&str> {
            model_crate.types.iter().map(|&index| api.types[index].name.as_str()).collect()
        };
        let packages: Vec<&str> = split.crates.iter().map(|c| c.package.as_str()).collect();
        // `Store` (3 fields) is heavier than `Pet` (2), so its tag names the first group.
        assert_eq!(packages, ["pets-api-models", "pets-api-models-stores", "pets-api-models-pets"]);
        assert_eq!(names(&split.crates[0]), ["Owner", "Unused"]);
        assert_eq!(names(&split.crates[1]), ["Store"]);
        assert_eq!(names(&split.crates[2]), ["Pet"]);
        assert_eq!(split.shared().map(|c| c.library()), Some("pets_api_models".to_owned()));
        let feature_names = |model_crate: &ModelCrate| -> Vec<&str> {
            model_crate.features.iter().map(|&f| reach.features[f].name.as_str()).collect()
        };
        assert_eq!(feature_names(&split.crates[0]), ["pets", "stores", "owners"]);
        assert_eq!(feature_names(&split.crates[1]), ["stores"]);
        assert_eq!(split, plan(&api, &reach, "pets-api"), "the same plan every time");
    }

    /// `auto` keeps a plan whose groups hold a quarter of the weight or more, not one whose
    /// types are all shared (operations without tags, as Amazon's descriptions have) or nearly.
    #[test]
    fn a_plan_pays_off_when_its_groups_hold_a_quarter_of_the_weight() {
        let api = api_of(TAGGED);
        let reach = crate::ir::features::gates(&api);
        assert!(plan(&api, &reach, "pets-api").pays_off(&api), "7 of 11 in the groups");

        let untagged = TAGGED.replace("tags: [pets]", "tags: []").replace("tags: [stores]", "tags: []");
        let api = api_of(&untagged);
        let reach = crate::ir::features::gates(&api);
        let split = plan(&api, &reach, "pets-api");
        assert_eq!(split.crates.len(), 1, "only the shared crate: {split:?}");
        assert!(!split.pays_off(&api));

        // One small type of one tag beside heavy shared ones (`Pet` is untagged now): under a
        // quarter.
        let mostly_shared = TAGGED
            .replace("tags: [pets]", "tags: []")
            .replace("Owner: {type: object, properties: {name: {type: string}}}", "Owner: {type: object, properties: {a: {type: string}, b: {type: string}, c: {type: string}, d: {type: string}, e: {type: string}, f: {type: string}, g: {type: string}, h: {type: string}, i: {type: string}, j: {type: string}, k: {type: string}, l: {type: string}, m: {type: string}, n: {type: string}, o: {type: string}, p: {type: string}}}");
        let api = api_of(&mostly_shared);
        let reach = crate::ir::features::gates(&api);
        let split = plan(&api, &reach, "pets-api");
        assert!(split.crates.len() > 1, "a group for `stores`: {split:?}");
        assert!(!split.pays_off(&api), "Store's 4 of 26");
    }

    #[test]
    fn tags_beyond_the_group_count_share_the_lightest_group() {
        let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Many, version: '1'}\npaths:\n");
        for tag in 0..6 {
            yaml.push_str(&format!(
                "  /t{tag}:\n    get:\n      operationId: get{tag}\n      tags: [t{tag}]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{x{tag}: {{type: string}}}}}}}}}}}}\n"
            ));
        }
        let api = api_of(&yaml);
        let split = plan(&api, &crate::ir::features::gates(&api), "many");
        assert!(split.shared().is_none(), "no shared type, no shared crate");
        assert_eq!(split.crates.len(), MAX_GROUPS);
        let types: usize = split.crates.iter().map(|c| c.types.len()).sum();
        assert_eq!(types, api.types.len(), "every type in one crate");
        assert!(split.crates.iter().all(|c| !c.types.is_empty()));
    }

    #[test]
    fn the_independent_pieces_of_one_tag_spread_over_groups() {
        let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: One, version: '1'}\npaths:\n");
        for op in 0..5 {
            yaml.push_str(&format!(
                "  /o{op}:\n    get:\n      operationId: get{op}\n      tags: [hooks]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{type: object, properties: {{x{op}: {{type: object, properties: {{y{op}: {{type: string}}}}}}}}}}}}}}}}\n"
            ));
        }
        let api = api_of(&yaml);
        let split = plan(&api, &crate::ir::features::gates(&api), "one");
        let packages: Vec<&str> = split.crates.iter().map(|c| c.package.as_str()).collect();
        assert_eq!(packages, ["one-models-hooks", "one-models-hooks-2", "one-models-hooks-3", "one-models-hooks-4"]);
        // A response type and the type of its property stay together.
        for model_crate in &split.crates {
            for &index in &model_crate.types {
                for ty in api.types[index].kind.type_refs() {
                    if let TypeRef::Named(id) = ty.innermost() {
                        assert!(model_crate.types.contains(&id.index()), "{} apart", api.types[index].name);
                    }
                }
            }
        }
    }

    #[test]
    fn a_type_that_ties_one_tags_types_together_goes_to_the_shared_crate() {
        let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Hub, version: '1'}\npaths:\n");
        for op in 0..8 {
            yaml.push_str(&format!(
                "  /o{op}:\n    get:\n      operationId: get{op}\n      tags: [hooks]\n      responses:\n        '200': {{description: ok, content: {{application/json: {{schema: {{$ref: '#/components/schemas/Payload{op}'}}}}}}}}\n"
            ));
        }
        yaml.push_str("components:\n  schemas:\n    Sender: {type: object, properties: {login: {type: string}}}\n");
        for op in 0..8 {
            yaml.push_str(&format!(
                "    Payload{op}: {{type: object, properties: {{sender: {{$ref: '#/components/schemas/Sender'}}, a{op}: {{type: string}}, b{op}: {{type: string}}}}}}\n"
            ));
        }
        let api = api_of(&yaml);
        let split = plan(&api, &crate::ir::features::gates(&api), "hub");
        let names = |model_crate: &ModelCrate| -> Vec<&str> {
            model_crate.types.iter().map(|&index| api.types[index].name.as_str()).collect()
        };
        assert_eq!(names(split.shared().unwrap()), ["Sender"]);
        assert_eq!(split.crates.len(), 1 + MAX_GROUPS);
        assert!(split.crates[1..].iter().all(|group| group.types.len() == 2), "{split:?}");
    }

    #[test]
    fn a_long_or_odd_feature_name_gives_a_numbered_package() {
        let mut taken = BTreeSet::new();
        assert_eq!(group_package("gh", "repos", 0, &mut taken), "gh-models-repos");
        assert_eq!(group_package("gh", "repos", 1, &mut taken), "gh-models-repos-2", "a name taken");
        assert_eq!(group_package("gh", &"x".repeat(60), 2, &mut taken), "gh-models-3");
    }
}

//! Cargo features per tag, for big APIs: each operation is compiled only when a feature of one of
//! its tags is on, and each type only when something that is compiled needs it, so that a user of
//! GitHub's 1,000 operations who calls the `repos` ones builds those and the types they reach.
//!
//! What is always compiled: operations without tags, the operations the OAuth flow calls, the
//! types they reach, and the types nothing reaches (they are there for the user, who may name
//! them), with everything inside those types. Webhook parsers and the types only they reach get
//! a `webhooks` feature. The aliases that keep the names of merged schemas (see
//! [`crate::ir::merge`]) are compiled with the type they name.

use std::collections::{BTreeSet, HashMap};

use heck::ToKebabCase;

use crate::ir::{Api, TokenCall, TypeId, TypeRef};

/// The feature names the generated `Cargo.toml` already uses for other things.
const TAKEN: &[&str] = &["default", "rustls", "native-tls", "tracing", "serialize", "deserialize"];

/// One Cargo feature of the generated crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    /// The feature's name in `Cargo.toml`.
    pub name: String,
    /// The tag it turns on, `None` for the webhooks feature.
    pub tag: Option<String>,
    /// The tag's description.
    pub description: Option<String>,
    /// The features it turns on with it: those of the tags nested under its tag (3.2's `parent`).
    pub implies: Vec<String>,
}

/// When an item is compiled.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Gate {
    /// Whatever features are on.
    Always,
    /// When any of these features (indices into [`FeatureGates::features`]) is on.
    AnyOf(Vec<usize>),
}

/// The features, and the gate of every operation, type and example of an [`Api`].
#[derive(Debug, Clone)]
pub struct FeatureGates {
    /// The features, the webhooks feature first when there are webhooks, then one per tag that
    /// an operation uses, in the document's order of tags.
    pub features: Vec<Feature>,
    /// The gate of each of [`Api::operations`], by index.
    pub operations: Vec<Gate>,
    /// The gate of each of [`Api::types`], by id.
    pub types: Vec<Gate>,
    /// The gate of the `webhooks` module.
    pub webhooks: Gate,
}

impl FeatureGates {
    /// The gate of a type reference: that of the named type in it (`Vec<Pet>` is `Pet`'s).
    pub fn of_type_ref(&self, ty: &TypeRef) -> Gate {
        named_in(ty).map_or(Gate::Always, |index| self.types[index].clone())
    }
}

/// The features and gates of `api`.
pub fn gates(api: &Api) -> FeatureGates {
    let mut features = Vec::new();
    let mut taken: BTreeSet<String> = TAKEN.iter().map(|name| (*name).to_owned()).collect();
    let webhooks_feature = (!api.webhooks.is_empty()).then(|| {
        features.push(Feature {
            name: claim(&mut taken, "webhooks"),
            tag: None,
            description: None,
            implies: Vec::new(),
        });
        features.len() - 1
    });
    let token_operations: BTreeSet<&str> = api
        .oauth
        .iter()
        .flat_map(|flow| [&flow.exchange, &flow.refresh])
        .filter_map(|call| match call {
            TokenCall::Operation { operation_id, .. } => Some(operation_id.as_str()),
            _ => None,
        })
        .collect();
    let mut tag_feature = HashMap::new();
    for tag in &api.tags {
        let used = api
            .operations
            .iter()
            .any(|op| !token_operations.contains(op.operation_id.as_str()) && op.tags.contains(&tag.name));
        if used && !tag_feature.contains_key(&tag.name) {
            features.push(Feature {
                name: claim(&mut taken, &feature_name(&tag.name)),
                tag: Some(tag.name.clone()),
                description: tag.summary.clone().or_else(|| tag.description.clone()),
                implies: Vec::new(),
            });
            tag_feature.insert(tag.name.clone(), features.len() - 1);
        }
    }
    nest_tag_features(api, &mut features, &mut tag_feature, &mut taken);
    let operations: Vec<Gate> = api
        .operations
        .iter()
        .map(|op| {
            let mut of_tags: Vec<usize> = op.tags.iter().filter_map(|tag| tag_feature.get(tag).copied()).collect();
            of_tags.sort_unstable();
            of_tags.dedup();
            if of_tags.is_empty() || token_operations.contains(op.operation_id.as_str()) {
                Gate::Always
            } else {
                Gate::AnyOf(of_tags)
            }
        })
        .collect();

    let mut reach = Reach { api, always: vec![false; api.types.len()], labels: vec![BTreeSet::new(); api.types.len()] };
    for (op, gate) in api.operations.iter().zip(&operations) {
        let mut roots: Vec<&TypeRef> = op.params.iter().flat_map(|p| &p.params).map(|param| &param.ty).collect();
        roots.extend(op.methods.iter().filter_map(|m| m.body.as_ref()).map(|body| &body.ty));
        roots.extend(op.success_body_types());
        roots.extend(op.error_body_types());
        for root in roots {
            reach.mark(root, gate);
        }
    }
    for call in api.oauth.iter().flat_map(|flow| [&flow.exchange, &flow.refresh]) {
        if let TokenCall::Operation { body_type, .. } = call {
            reach.mark(&TypeRef::Named(*body_type), &Gate::Always);
        }
    }
    let webhooks = webhooks_feature.map_or(Gate::Always, |feature| Gate::AnyOf(vec![feature]));
    for webhook in &api.webhooks {
        reach.mark(&webhook.payload, &webhooks);
    }
    // The aliases that keep the names of merged schemas are compiled with the type they name.
    let aliases: Vec<(usize, usize)> = api
        .merged_types
        .iter()
        .flat_map(|merged| merged.aliases.iter().map(move |alias| (alias.index(), merged.one.index())))
        .collect();
    let is_alias: BTreeSet<usize> = aliases.iter().map(|&(alias, _)| alias).collect();
    let unreached: Vec<usize> = (0..api.types.len())
        .filter(|&i| !reach.always[i] && reach.labels[i].is_empty() && !is_alias.contains(&i))
        .collect();
    for i in unreached {
        reach.mark(&TypeRef::Named(TypeId::at(i)), &Gate::Always);
    }
    for (alias, target) in aliases {
        reach.always[alias] = reach.always[target];
        reach.labels[alias] = reach.labels[target].clone();
    }
    let types = reach
        .always
        .iter()
        .zip(&reach.labels)
        .map(|(&always, labels)| if always { Gate::Always } else { Gate::AnyOf(labels.iter().copied().collect()) })
        .collect();
    FeatureGates { features, operations, types, webhooks }
}

/// What reaches each type: something always compiled, or these features.
struct Reach<'a> {
    api: &'a Api,
    always: Vec<bool>,
    labels: Vec<BTreeSet<usize>>,
}

impl Reach<'_> {
    /// Adds `gate` to the type `root` and to every type inside it; a type is visited again only
    /// when it gained something, so each is visited at most once per feature.
    fn mark(&mut self, root: &TypeRef, gate: &Gate) {
        let mut stack: Vec<usize> = named_in(root).into_iter().collect();
        while let Some(i) = stack.pop() {
            let gained = match gate {
                Gate::Always => !std::mem::replace(&mut self.always[i], true),
                Gate::AnyOf(_) if self.always[i] => false,
                Gate::AnyOf(features) => {
                    // Every feature is added, so no short-circuiting `any`.
                    let before = self.labels[i].len();
                    self.labels[i].extend(features.iter().copied());
                    self.labels[i].len() > before
                }
            };
            if gained {
                let inner: Vec<usize> = self.api.types[i].kind.type_refs().into_iter().filter_map(named_in).collect();
                stack.extend(inner);
            }
        }
    }
}

/// A tag nested under another (3.2's `parent`): the parent's feature turns the child's on too,
/// so that `--features records` compiles what is tagged `records` and what is nested under it. A
/// parent that no operation uses gets a feature for that alone; a nesting that would make the
/// features a circle is left out (Cargo refuses one).
fn nest_tag_features(
    api: &Api,
    features: &mut Vec<Feature>,
    tag_feature: &mut HashMap<String, usize>,
    taken: &mut BTreeSet<String>,
) {
    for tag in &api.tags {
        let (Some(parent), Some(&child)) = (&tag.parent, tag_feature.get(&tag.name)) else { continue };
        let parent_feature = match tag_feature.get(parent) {
            Some(&index) => index,
            None => {
                let description = api
                    .tags
                    .iter()
                    .find(|other| &other.name == parent)
                    .and_then(|t| t.summary.clone().or_else(|| t.description.clone()));
                features.push(Feature {
                    name: claim(taken, &feature_name(parent)),
                    tag: Some(parent.clone()),
                    description,
                    implies: Vec::new(),
                });
                tag_feature.insert(parent.clone(), features.len() - 1);
                features.len() - 1
            }
        };
        if parent_feature == child || implies(features, child, &features[parent_feature].name) {
            continue;
        }
        let child_name = features[child].name.clone();
        features[parent_feature].implies.push(child_name);
    }
}

/// Whether the feature at `from` turns on `wanted`, directly or through others.
fn implies(features: &[Feature], from: usize, wanted: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from];
    while let Some(index) = stack.pop() {
        for name in &features[index].implies {
            if name == wanted {
                return true;
            }
            if let Some(next) = features.iter().position(|feature| &feature.name == name)
                && seen.insert(next)
            {
                stack.push(next);
            }
        }
    }
    false
}

/// The index of the named type in `ty`, if there is one.
fn named_in(ty: &TypeRef) -> Option<usize> {
    match ty.innermost() {
        TypeRef::Named(id) => Some(id.index()),
        _ => None,
    }
}

/// A tag as a Cargo feature name: kebab case, ASCII letters, digits and `-`, starting with a
/// letter (`Api App` → `api-app`, `2fa` → `tag-2fa`).
fn feature_name(tag: &str) -> String {
    let kebab: String = tag
        .to_kebab_case()
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect();
    let kebab = kebab.split('-').filter(|part| !part.is_empty()).collect::<Vec<_>>().join("-");
    match kebab.chars().next() {
        None => "tag".to_owned(),
        Some(first) if !first.is_ascii_alphabetic() => format!("tag-{kebab}"),
        Some(_) => kebab,
    }
}

/// `name`, or `name-2`, `name-3`, ... when it is taken.
fn claim(taken: &mut BTreeSet<String>, name: &str) -> String {
    let mut candidate = name.to_owned();
    let mut number = 2;
    while taken.contains(&candidate) {
        candidate = format!("{name}-{number}");
        number += 1;
    }
    taken.insert(candidate.clone());
    candidate
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_become_cargo_feature_names() {
        assert_eq!(feature_name("repos"), "repos");
        assert_eq!(feature_name("Api App"), "api-app");
        assert_eq!(feature_name("Signature Request"), "signature-request");
        assert_eq!(feature_name("code-scanning"), "code-scanning");
        assert_eq!(feature_name("2fa"), "tag-2fa");
        assert_eq!(feature_name("日本"), "tag");
        assert_eq!(feature_name("a/b.c"), "a-b-c");
    }

    #[test]
    fn a_taken_name_gets_a_number() {
        let mut taken: BTreeSet<String> = TAKEN.iter().map(|name| (*name).to_owned()).collect();
        assert_eq!(claim(&mut taken, "tracing"), "tracing-2");
        assert_eq!(claim(&mut taken, "tracing"), "tracing-3");
        assert_eq!(claim(&mut taken, "repos"), "repos");
    }
}

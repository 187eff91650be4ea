//! A subset of a big API: the operations to generate, by tag, `operationId` or path pattern,
//! and the pruning of every schema that nothing kept reaches. A name or pattern that matches
//! nothing is an error that suggests the nearest one, so that a typo does not silently empty
//! the client.

use std::collections::BTreeSet;

use crate::diagnostics::Error;
use crate::ir::{Api, OAuthFlow, Operation, TokenCall, TypeDef, TypeRef, Webhook};

/// Which operations to generate. Empty `include` lists keep every operation; an operation is
/// kept when an `include` list names it (by one of its tags, its `operationId`, or a pattern
/// of its path) and no `exclude` list does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Selection {
    /// Tags whose operations are kept.
    pub tags: Vec<String>,
    /// `operationId`s kept.
    pub operations: Vec<String>,
    /// Path patterns whose operations are kept: `*` is any text within a segment, `**` any
    /// text across segments (`/signature_request/*`, `/repos/**`).
    pub paths: Vec<String>,
    /// Tags whose operations are left out.
    pub exclude_tags: Vec<String>,
    /// `operationId`s left out.
    pub exclude_operations: Vec<String>,
    /// Path patterns whose operations are left out.
    pub exclude_paths: Vec<String>,
}

impl Selection {
    /// Whether it keeps everything.
    pub fn is_empty(&self) -> bool {
        *self == Selection::default()
    }

    fn includes_all(&self) -> bool {
        self.tags.is_empty() && self.operations.is_empty() && self.paths.is_empty()
    }

    fn names(op: &Operation) -> (&[String], &str, &str) {
        (&op.tags, &op.operation_id, op.path_template.split('?').next().unwrap_or(&op.path_template))
    }

    /// Whether `op` is generated.
    pub fn keeps(&self, op: &Operation) -> bool {
        let (tags, id, path) = Selection::names(op);
        let named = |tag_list: &[String], id_list: &[String], patterns: &[String]| {
            tags.iter().any(|tag| tag_list.contains(tag))
                || id_list.iter().any(|listed| listed == id)
                || patterns.iter().any(|pattern| path_matches(pattern, path))
        };
        let included = self.includes_all() || named(&self.tags, &self.operations, &self.paths);
        included && !named(&self.exclude_tags, &self.exclude_operations, &self.exclude_paths)
    }

    /// Every tag, `operationId` and pattern must match an operation of the description.
    pub fn check(&self, operations: &[Operation]) -> Result<(), Error> {
        let tags: BTreeSet<&str> = operations.iter().flat_map(|op| op.tags.iter().map(String::as_str)).collect();
        let ids: BTreeSet<&str> = operations.iter().map(|op| op.operation_id.as_str()).collect();
        let paths: BTreeSet<&str> = operations.iter().map(|op| Selection::names(op).2).collect();
        for (key, list) in [("tags", &self.tags), ("exclude-tags", &self.exclude_tags)] {
            if let Some(tag) = list.iter().find(|tag| !tags.contains(tag.as_str())) {
                return Err(unmatched(key, tag, "tag", &tags));
            }
        }
        for (key, list) in [("operations", &self.operations), ("exclude-operations", &self.exclude_operations)] {
            if let Some(id) = list.iter().find(|id| !ids.contains(id.as_str())) {
                return Err(unmatched(key, id, "operationId", &ids));
            }
        }
        for (key, list) in [("paths", &self.paths), ("exclude-paths", &self.exclude_paths)] {
            if let Some(pattern) = list.iter().find(|pattern| !paths.iter().any(|path| path_matches(pattern, path))) {
                return Err(unmatched(key, pattern, "path", &paths));
            }
        }
        Ok(())
    }
}

fn unmatched(key: &str, given: &str, what: &str, known: &BTreeSet<&str>) -> Error {
    let nearest = crate::diagnostics::nearest(given, known.iter().copied());
    let hint = nearest.map(|name| format!("; did you mean {name:?}?")).unwrap_or_default();
    Error::general(format!("settings: select.{key} names {given:?}, which matches no {what} of the description{hint}"))
}

/// Whether `path` matches `pattern`: `*` stands for any text without `/`, `**` for any text.
pub fn path_matches(pattern: &str, path: &str) -> bool {
    fn matches(pattern: &[u8], path: &[u8]) -> bool {
        match pattern {
            [] => path.is_empty(),
            [b'*', b'*', rest @ ..] => (0..=path.len()).any(|skip| matches(rest, &path[skip..])),
            [b'*', rest @ ..] => {
                let segment = path.iter().position(|&b| b == b'/').unwrap_or(path.len());
                (0..=segment).any(|skip| matches(rest, &path[skip..]))
            }
            [first, rest @ ..] => path.first() == Some(first) && matches(rest, &path[1..]),
        }
    }
    matches(pattern.as_bytes(), path.as_bytes())
}

/// The types that the kept operations, the webhooks and the OAuth calls reach, directly or
/// through other types; the others are dropped.
/// The examples of the types dropped go with them.
pub fn prune(api: &mut Api) -> Result<(), Error> {
    let reached = reached_by_api(&api.types, &api.operations, &api.webhooks, api.oauth.as_ref());
    api.examples.retain(|example| match example.ty.innermost() {
        TypeRef::Named(id) => reached[id.index()],
        _ => true,
    });
    api.retain_types(|id, _| reached[id.index()])
}

/// For each of `types`, whether the operations, the webhooks or the OAuth calls reach it.
pub(crate) fn reached_by_api(
    types: &[TypeDef],
    operations: &[Operation],
    webhooks: &[Webhook],
    oauth: Option<&OAuthFlow>,
) -> Vec<bool> {
    let token_bodies: Vec<TypeRef> = oauth
        .into_iter()
        .flat_map(|flow| [&flow.exchange, &flow.refresh])
        .filter_map(|call| match call {
            TokenCall::Operation { body_type, .. } => Some(TypeRef::Named(*body_type)),
            _ => None,
        })
        .collect();
    let mut roots: Vec<&TypeRef> = Vec::new();
    for op in operations {
        roots.extend(op.params.iter().flat_map(|p| &p.params).map(|param| &param.ty));
        roots.extend(op.methods.iter().filter_map(|m| m.body.as_ref()).map(|body| &body.ty));
        roots.extend(op.success_body_types());
        roots.extend(op.error_body_types());
        roots.extend(op.pagination.as_ref().map(|pagination| &pagination.item_type));
    }
    roots.extend(webhooks.iter().map(|webhook| &webhook.payload));
    roots.extend(&token_bodies);
    crate::ir::usage::reachable(types, &roots)
}

#[cfg(test)]
mod tests {
    use super::path_matches;

    #[test]
    fn path_patterns_match_within_and_across_segments() {
        assert!(path_matches("/signature_request/*", "/signature_request/list"));
        assert!(path_matches("/signature_request/*", "/signature_request/{signature_request_id}"));
        assert!(!path_matches("/signature_request/*", "/signature_request/files/{id}"));
        assert!(path_matches("/signature_request/**", "/signature_request/files/{id}"));
        assert!(path_matches("/account", "/account"));
        assert!(!path_matches("/account", "/account/verify"));
        assert!(path_matches("**/list", "/template/list"));
    }
}

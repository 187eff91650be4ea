//! One type for identical inline schemas. Big descriptions repeat inline shapes (GitHub's has
//! thousands of copies of a few hundred enums: `visibility`, `state`, `direction`), and each copy
//! was a type of its own, with its code to compile. Inline schemas whose types have the same
//! shape (the same fields with their documentation, the same variants, the same direction on
//! the wire) become one type, named
//! from what their names share (`DependabotAlertSecurityAdvisorySeverity` and
//! `DependabotAlertSecurityVulnerabilitySeverity` give `DependabotAlertSecuritySeverity`). The
//! pass repeats until nothing merges, since merging two enums can make the objects that hold
//! them identical.
//!
//! Nothing is lost: each name the schemas had stays, as a type alias of the one type documented
//! with its schema's own description, and what referred to it still names it (so code written
//! against the names compiles, `Alias::Variant` and `Alias { .. }` included); each merge is a
//! note at its first schema.
//! Schemas the description names (components) are never merged, with each other or with inline
//! ones: the description names them apart, and they may evolve apart. The settings'
//! `crate.keep-identical-types` (and `--keep-identical-types`) turns the pass off, and a type
//! the settings name (in `replace`, `rename`, `derive` or `attributes`) is left alone.

use std::collections::{BTreeSet, HashMap, HashSet};
use std::fmt::Write as _;

use crate::diagnostics::Error;
use crate::ir::rename::all_type_names;
use crate::ir::{Api, Pointer, TypeDef, TypeId, TypeKind, TypeRef, Usage, naming};

/// Inline schemas that the pass made one type.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergedTypes {
    /// The type that stands for all of them.
    pub one: TypeId,
    /// The schemas, the one whose definition stays first.
    pub schemas: Vec<MergedSchema>,
    /// The type aliases that keep their names: the schemas' own, and those of their
    /// required-fields structs.
    pub aliases: Vec<TypeId>,
}

/// One schema of [`MergedTypes`], as it was before the merge.
#[derive(Debug, Clone, serde::Serialize)]
pub struct MergedSchema {
    /// The type that has its name: while merging, its own type; then its alias, or the one
    /// type when that has its name.
    pub ty: TypeId,
    /// The name of its type.
    pub name: String,
    /// Where it is.
    pub pointer: String,
    /// Its type's description.
    pub description: Option<String>,
    /// The name of its type's required-fields struct, if it had one.
    pub required_fields: Option<String>,
}

impl MergedTypes {
    /// The note the generator prints.
    pub fn describe(&self, api: &Api) -> String {
        let others: Vec<String> =
            self.schemas[1..].iter().take(3).map(|schema| format!("`{}`", schema.pointer)).collect();
        let more = self.schemas.len().saturating_sub(4);
        let more = if more > 0 { format!(" and {more} more") } else { String::new() };
        format!(
            "note: {}: `{}` is one type for {} identical schemas (also {}{more}), their names aliases of it \
             (`crate.keep-identical-types` keeps them apart)",
            self.schemas[0].pointer,
            api.def(self.one).name,
            self.schemas.len(),
            others.join(", ")
        )
    }
}

/// One note for many merges: how many, and how to see them or keep the types apart.
pub fn sum_up(merged: &[MergedTypes]) -> String {
    let schemas: usize = merged.iter().map(|merged| merged.schemas.len()).sum();
    format!(
        "note: {schemas} identical inline schemas share {} types, their names aliases of them (`--verbose` lists \
         them; `crate.keep-identical-types` keeps them apart)",
        merged.len()
    )
}

/// Merges the identical inline types of `api`, except those named in `protected`, and keeps
/// what was merged in [`Api::merged_types`]. What refers to a merged type keeps its name, which
/// becomes an alias of the one type, so fields, parameters and bodies read as before.
pub fn apply(api: &mut Api, protected: &BTreeSet<String>) -> Result<(), Error> {
    // The schemas each staying type stands for (a type that stands for itself only is not in it).
    let mut merged: HashMap<TypeId, Vec<MergedSchema>> = HashMap::new();
    // Each type merged away → the type that stands for it now. A merged-away type keeps its
    // place, and what refers to it its id, until it becomes an alias at the end.
    let mut resolve: HashMap<TypeId, TypeId> = HashMap::new();
    // The names that went (a merged-away type's, or the one a staying type had before): each
    // comes back as an alias, so none may be given again.
    let mut retired: BTreeSet<String> = BTreeSet::new();
    loop {
        let round = plan_round(api, protected, &resolve, &retired);
        if round.is_empty() {
            break;
        }
        for merge in &round {
            let mut schemas = Vec::new();
            for member in &merge.members {
                schemas.extend(merged.remove(member).unwrap_or_else(|| vec![schema_of(api, *member)]));
            }
            let stays = merge.members[0];
            merged.insert(stays, schemas);
            for target in resolve.values_mut().filter(|target| merge.members.contains(target)) {
                *target = stays;
            }
            for member in &merge.members[1..] {
                resolve.insert(*member, stays);
            }
            let names = merge.members.iter().map(|member| &api.def(*member).name);
            retired.extend(names.filter(|name| **name != merge.name).cloned());
        }
        for merge in &round {
            let def = api.def_mut(merge.members[0]);
            if !merge.same_description {
                def.description = None;
            }
            if def.name != merge.name {
                if let TypeKind::Struct(body) = &mut def.kind
                    && body.required_fields.is_some()
                {
                    body.required_fields = Some(format!("{}Required", merge.name));
                }
                def.name.clone_from(&merge.name);
            }
        }
    }
    let mut groups: Vec<(TypeId, Vec<MergedSchema>)> = merged.into_iter().collect();
    groups.sort_by(|(a, _), (b, _)| api.def(*a).name.cmp(&api.def(*b).name));
    let aliases = Aliases::of(api, &mut groups);
    // What referred to the staying type by its old name refers to the alias of that name, and
    // what referred to a merged-away type whose name the one type took refers to the one type.
    api.redirect_types(&aliases.redirect);
    api.merged_types = groups
        .into_iter()
        .map(|(one, schemas)| {
            let of_one = aliases.defs.iter().filter(|alias| alias.of == one).map(|alias| alias.id).collect();
            MergedTypes { one, schemas, aliases: of_one }
        })
        .collect();
    for alias in aliases.defs {
        if alias.id.index() < api.types.len() {
            *api.def_mut(alias.id) = alias.def;
        } else {
            // New ids were given in this order, past the API's types.
            debug_assert_eq!(alias.id.index(), api.types.len());
            api.types.push(alias.def);
        }
    }
    api.retain_types(|id, _| !aliases.dropped.contains(&id))?;
    if let Some(twice) = api.types.windows(2).find(|pair| pair[0].name == pair[1].name) {
        return Err(Error::general(format!("merging identical schemas named two types `{}`", twice[0].name)));
    }
    Ok(())
}

/// The type aliases that keep the names of merged schemas, and what changes around them.
struct Aliases {
    /// The aliases, in the order of their ids past the API's types.
    defs: Vec<Alias>,
    /// References to move: see [`apply`].
    redirect: HashMap<TypeId, TypeId>,
    /// The merged-away types whose names the one type took: no alias keeps them.
    dropped: HashSet<TypeId>,
}

/// One alias that keeps a name.
struct Alias {
    /// Its id: that of the merged-away type whose place it takes, or a new one.
    id: TypeId,
    def: TypeDef,
    /// The one type it is a name of.
    of: TypeId,
}

impl Aliases {
    /// The aliases of `groups` (each staying type with its schemas), whose schemas learn which
    /// type has their name now.
    fn of(api: &Api, groups: &mut [(TypeId, Vec<MergedSchema>)]) -> Aliases {
        let mut aliases = Aliases { defs: Vec::new(), redirect: HashMap::new(), dropped: HashSet::new() };
        let mut next_id = api.types.len();
        let mut new_id = || {
            next_id += 1;
            TypeId::at(next_id - 1)
        };
        for (stays, schemas) in groups.iter_mut() {
            let name = &api.def(*stays).name;
            let required = required_struct(api.def(*stays));
            for schema in schemas.iter_mut() {
                if schema.name != *name {
                    let own = schema.description.as_deref().map_or_else(
                        || format!("The `{}` schema at `{}`.", schema.name, schema.pointer),
                        str::to_owned,
                    );
                    let description =
                        format!("{own}\n\nThe same type as [`{name}`]: identical schemas share one type.");
                    let def = alias(&schema.name, &schema.pointer, TypeRef::Named(*stays), description);
                    let id = if schema.ty == *stays {
                        let id = new_id();
                        aliases.redirect.insert(*stays, id);
                        id
                    } else {
                        schema.ty
                    };
                    aliases.defs.push(Alias { id, def, of: *stays });
                    schema.ty = id;
                } else {
                    if schema.ty != *stays {
                        aliases.redirect.insert(schema.ty, *stays);
                        aliases.dropped.insert(schema.ty);
                    }
                    schema.ty = *stays;
                }
                if let (Some(theirs), Some(required)) = (&schema.required_fields, required)
                    && theirs != required
                {
                    let description =
                        format!("The required fields of [`{}`], the same type as [`{required}`].", schema.name);
                    let target = TypeRef::Companion(required.clone());
                    let def = alias(theirs, &schema.pointer, target, description);
                    aliases.defs.push(Alias { id: new_id(), def, of: *stays });
                }
            }
        }
        aliases
    }
}

/// A type alias that keeps the name `name` of a merged schema for the type `target`.
fn alias(name: &str, pointer: &str, target: TypeRef, description: String) -> TypeDef {
    TypeDef {
        name: name.to_owned(),
        pointer: Pointer::from_fragment(pointer),
        description: Some(description),
        kind: TypeKind::Alias(target),
        usage: Usage::default(),
        derives: Vec::new(),
        attributes: Vec::new(),
    }
}

/// Types of one shape that a round makes one.
struct Merge {
    /// The types; the first one's definition stays.
    members: Vec<TypeId>,
    /// The name of the one type.
    name: String,
    /// Whether they all have the same description, which the one type then keeps.
    same_description: bool,
}

fn plan_round(
    api: &Api,
    protected: &BTreeSet<String>,
    resolve: &HashMap<TypeId, TypeId>,
    retired: &BTreeSet<String>,
) -> Vec<Merge> {
    let mut live: Vec<TypeId> = (0..api.types.len()).map(TypeId::at).filter(|id| !resolve.contains_key(id)).collect();
    live.sort_by(|a, b| api.def(*a).name.cmp(&api.def(*b).name));
    // Groups in the order of their first member, by name, so this is stable.
    let mut group_of: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<Vec<TypeId>> = Vec::new();
    for &id in &live {
        let def = api.def(id);
        if is_named_by_description(def.pointer.as_str()) || protected.contains(&def.name) {
            continue;
        }
        let Some(key) = shape_key(def, resolve) else { continue };
        let next = groups.len();
        let group = *group_of.entry(key).or_insert(next);
        if group == next {
            groups.push(Vec::new());
        }
        groups[group].push(id);
    }
    // Every name that went stays taken: each comes back as an alias.
    let merged_away = |id: TypeId| resolve.contains_key(&id);
    let mut taken: BTreeSet<String> =
        all_type_names(api, &merged_away).into_iter().chain(retired.iter().cloned()).collect();
    let mut round = Vec::new();
    for members in groups.into_iter().filter(|group| group.len() > 1) {
        let names: Vec<String> = members.iter().map(|&id| api.def(id).name.clone()).collect();
        let kept = api.def(members[0]);
        // A member's name, or that of its required-fields struct, may be the one type's.
        let own: BTreeSet<&str> = members
            .iter()
            .flat_map(|&id| std::iter::once(&api.def(id).name).chain(required_struct(api.def(id))))
            .map(String::as_str)
            .collect();
        let free = |name: &str| !taken.contains(name) || own.contains(name);
        let name = shared_name(&names)
            .filter(|name| free(name) && !naming::is_reserved_type_name(name))
            .filter(|name| required_struct(kept).is_none() || free(&format!("{name}Required")))
            .unwrap_or_else(|| names[0].clone());
        taken.insert(name.clone());
        if required_struct(kept).is_some() {
            taken.insert(format!("{name}Required"));
        }
        let descriptions: BTreeSet<&Option<String>> = members.iter().map(|&id| &api.def(id).description).collect();
        round.push(Merge { members, name, same_description: descriptions.len() == 1 });
    }
    round
}

fn schema_of(api: &Api, id: TypeId) -> MergedSchema {
    let def = api.def(id);
    MergedSchema {
        ty: id,
        name: def.name.clone(),
        pointer: def.pointer.to_string(),
        description: def.description.clone(),
        required_fields: required_struct(def).cloned(),
    }
}

/// The name of the struct of required fields that `def`'s `new` takes, if it has one.
fn required_struct(def: &TypeDef) -> Option<&String> {
    match &def.kind {
        TypeKind::Struct(body) => body.required_fields.as_ref(),
        _ => None,
    }
}

/// Whether the schema at `pointer` is one the description names itself: a component schema
/// (`#/components/schemas/Pet`, Swagger's `#/definitions/Pet`), or the schema of a named
/// parameter, header, response or request body. Everything else is an inline schema.
fn is_named_by_description(pointer: &str) -> bool {
    let segments: Vec<&str> = pointer.trim_start_matches('#').split('/').skip(1).collect();
    matches!(
        segments.as_slice(),
        ["components", "schemas", _]
            | ["definitions", _]
            | ["components", "parameters" | "headers", _, "schema"]
            | ["components", "responses" | "requestBodies", _, "content", _, "schema"]
    )
}

/// The shape of `def` as text: which way it crosses the wire, and its kind, with the types it holds by the name of the type that
/// stands for them now (`resolve`) and the name of its required-fields struct left out (it is
/// named after the type). `None` for an alias, which is only a name for another type.
fn shape_key(def: &TypeDef, resolve: &HashMap<TypeId, TypeId>) -> Option<String> {
    let mut kind = def.kind.clone();
    match &mut kind {
        TypeKind::Alias(_) => return None,
        TypeKind::Struct(body) => {
            if body.required_fields.is_some() {
                body.required_fields = Some(String::new());
            }
            body.fields.iter_mut().for_each(|field| resolved(&mut field.ty, resolve));
            body.additional_properties.iter_mut().for_each(|ty| resolved(ty, resolve));
        }
        TypeKind::Union(union) => union.variants.iter_mut().for_each(|variant| resolved(&mut variant.ty, resolve)),
        TypeKind::Enum(_) => {}
    }
    let mut key = serde_json::to_string(&kind).ok()?;
    let usage = def.usage;
    write!(key, "\u{0}{}{}", usage.sent, usage.received).ok()?;
    Some(key)
}

/// `ty` with the type it names replaced by the one that stands for it.
fn resolved(ty: &mut TypeRef, resolve: &HashMap<TypeId, TypeId>) {
    if let TypeRef::Named(id) = ty.innermost_mut()
        && let Some(target) = resolve.get(id)
    {
        *id = *target;
    }
}

/// The name `members` share: the words all their names begin with, then the words all end
/// with (`Repos` `List` ... `Direction`), when that says more than a structural word alone
/// (`Item`, `Variant1`) or a short one (`At` of `CreatedAt` and `PushedAt`).
fn shared_name(members: &[String]) -> Option<String> {
    let words: Vec<Vec<&str>> = members.iter().map(|name| camel_words(name)).collect();
    let shortest = words.iter().map(Vec::len).min()?;
    let prefix = (0..shortest).take_while(|&i| words.iter().all(|w| w[i] == words[0][i])).count();
    let suffix = (0..shortest - prefix)
        .take_while(|&i| words.iter().all(|w| w[w.len() - 1 - i] == words[0][words[0].len() - 1 - i]))
        .count();
    let first = &words[0];
    let chosen: Vec<&str> = first[..prefix].iter().chain(&first[first.len() - suffix..]).copied().collect();
    let structural = |word: &&str| {
        let stem = word.trim_end_matches(|c: char| c.is_ascii_digit());
        ["Item", "Items", "Variant", "Value", "Key", "Request", "Response", "Error", "Object"].contains(&stem)
    };
    let too_short = chosen.len() == 1 && chosen[0].len() < 4;
    if too_short || chosen.iter().all(structural) || !chosen[0].starts_with(|c: char| c.is_ascii_uppercase()) {
        return None;
    }
    Some(chosen.concat())
}

/// The words of a CamelCase name: each starts at an upper-case letter (digits stay with the
/// word before them).
fn camel_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (index, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..index]);
            start = index;
        }
    }
    words.push(&name[start..]);
    words
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shared_names_keep_the_common_words_at_both_ends() {
        let name = |names: &[&str]| shared_name(&names.iter().map(|n| n.to_string()).collect::<Vec<_>>());
        assert_eq!(
            name(&["DependabotAlertSecurityAdvisorySeverity", "DependabotAlertSecurityVulnerabilitySeverity"]),
            Some("DependabotAlertSecuritySeverity".to_owned())
        );
        assert_eq!(name(&["ReposListForUserDirection", "AgentTasksListTasksDirection"]), Some("Direction".to_owned()));
        assert_eq!(name(&["PetTagsItem", "OwnerNamesItem"]), None, "a structural word alone says nothing");
        assert_eq!(name(&["Pet", "Owner"]), None);
        assert_eq!(name(&["RepoCreatedAt", "RepoPushedAt"]), Some("RepoAt".to_owned()));
        assert_eq!(name(&["CreatedAt", "PushedAt"]), None, "one short word says nothing");
    }

    #[test]
    fn only_inline_schemas_are_merged_away() {
        assert!(is_named_by_description("#/components/schemas/Pet"));
        assert!(is_named_by_description("#/definitions/Pet"));
        assert!(is_named_by_description("#/components/parameters/sort/schema"));
        assert!(is_named_by_description("#/components/responses/NotFound/content/application~1json/schema"));
        assert!(!is_named_by_description("#/components/schemas/Pet/properties/status"));
        assert!(!is_named_by_description("#/paths/~1pets/get/parameters/0/schema"));
    }
}

//! Discriminated hierarchies of component schemas: a schema with a `discriminator` (the base),
//! the schemas that extend it through `allOf`, the schemas that extend those, and so on.
//!
//! Where a schema of such a hierarchy is used, a value of any schema below it may come, told
//! apart by the discriminator's value. So the base is a tagged union of every schema below it at
//! any depth, and a schema in the middle (`Shark`, which extends `Fish` and is extended by
//! `Sawshark`) is a tagged union of its own object and everything below it. Its own object is a
//! struct of its own, named here before any type is built so that every union can name it.
//!
//! The walks follow `allOf` references between components, each schema at most once, so a
//! hierarchy whose schemas extend each other in a circle ends.

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde_json::Value;

use super::Builder;
use crate::diagnostics::Pointer;

/// The `allOf` inheritance among the component schemas, by schema pointer.
#[derive(Debug, Default)]
pub(crate) struct Hierarchies {
    /// Schema pointer → the pointers of the component schemas whose `allOf` names it, in
    /// document order.
    children: HashMap<String, Vec<String>>,
    /// Schema pointer → the component schemas its `allOf` names, in order.
    parents: HashMap<String, Vec<String>>,
    /// Schema pointer → the Rust name of its own object, for the schemas in the middle of a
    /// hierarchy, whose own name is the union of their object and the schemas below.
    own_objects: HashMap<String, String>,
}

/// One schema that a discriminated union holds: the values of the discriminator that select it,
/// and its pointer.
pub(crate) struct Member {
    pub tag_values: Vec<String>,
    pub target: String,
}

impl Hierarchies {
    /// The Rust name of the own object of the schema at `pointer`, when it is in the middle of a
    /// hierarchy.
    pub fn own_object(&self, pointer: &str) -> Option<&str> {
        self.own_objects.get(pointer).map(String::as_str)
    }

    /// Every component schema below `pointer` (not itself), nearest first, each once.
    pub fn descendants(&self, pointer: &str) -> Vec<String> {
        self.walk(pointer, &self.children)
    }

    /// Every component schema above `pointer` (not itself), nearest first, each once.
    fn ancestors(&self, pointer: &str) -> Vec<String> {
        self.walk(pointer, &self.parents)
    }

    fn walk(&self, start: &str, edges: &HashMap<String, Vec<String>>) -> Vec<String> {
        let mut seen = BTreeSet::from([start.to_owned()]);
        let mut queue = VecDeque::from([start.to_owned()]);
        let mut found = Vec::new();
        while let Some(next) = queue.pop_front() {
            for neighbour in edges.get(&next).into_iter().flatten() {
                if seen.insert(neighbour.clone()) {
                    found.push(neighbour.clone());
                    queue.push_back(neighbour.clone());
                }
            }
        }
        found
    }
}

impl Builder<'_> {
    /// Reads the `allOf` inheritance among the component schemas and names the own object of
    /// every schema in the middle of a discriminated hierarchy (after every component schema has
    /// its name, so that none of theirs changes).
    pub(crate) fn read_hierarchies(&mut self) {
        let base = Pointer::root().push("components").push("schemas");
        let schemas = self.raw_at(&base).and_then(Value::as_object);
        let mut hierarchies = Hierarchies::default();
        for (name, raw) in schemas.into_iter().flatten() {
            let at = base.push(name);
            let parents: Vec<String> = raw
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|member| member.get("$ref").and_then(Value::as_str))
                .filter_map(|reference| self.local_target(reference, &at).ok())
                .map(|target| target.as_str().to_owned())
                .filter(|target| self.named_schemas.contains_key(target) && *target != at.as_str())
                .collect();
            for parent in &parents {
                hierarchies.children.entry(parent.clone()).or_default().push(at.as_str().to_owned());
            }
            hierarchies.parents.insert(at.as_str().to_owned(), parents);
        }
        let middles: Vec<String> = self
            .named_schemas
            .keys()
            .filter(|pointer| self.is_middle_of_hierarchy(&hierarchies, pointer))
            .cloned()
            .collect::<BTreeSet<String>>()
            .into_iter()
            .collect();
        for pointer in middles {
            let own = self.type_names.claim(&format!("{}Object", self.named_schemas[&pointer]));
            hierarchies.own_objects.insert(pointer, own);
        }
        self.hierarchies = hierarchies;
    }

    /// A schema in the middle: an object of its own, below a discriminator it does not declare
    /// itself, with an object of its own below it.
    fn is_middle_of_hierarchy(&self, hierarchies: &Hierarchies, pointer: &str) -> bool {
        let at = Pointer::from_fragment(pointer);
        let Some(raw) = self.raw_at(&at) else { return false };
        raw.get("discriminator").is_none()
            && self.is_object_of_its_own(pointer)
            && self.inherited_discriminator(hierarchies, pointer).is_some()
            && hierarchies.descendants(pointer).iter().any(|below| self.is_object_of_its_own(below))
    }

    /// The discriminator of the nearest schema above `pointer` that declares one.
    fn inherited_discriminator(&self, hierarchies: &Hierarchies, pointer: &str) -> Option<&Value> {
        hierarchies
            .ancestors(pointer)
            .into_iter()
            .find_map(|above| self.raw_at(&Pointer::from_fragment(&above)).and_then(|raw| raw.get("discriminator")))
    }

    /// Whether the schema at `pointer` is an object with properties of its own (not only another
    /// schema under a new name): only such a schema can be a member of a union of its hierarchy,
    /// or the union would contain itself.
    pub(crate) fn is_object_of_its_own(&self, pointer: &str) -> bool {
        self.raw_at(&Pointer::from_fragment(pointer)).is_some_and(|raw| {
            raw.get("properties").is_some()
                || raw.get("allOf").and_then(Value::as_array).is_some_and(|members| members.len() > 1)
        })
    }

    /// The members of the union that the schema at `pointer` is, with the discriminator property
    /// they are told apart by: for a base (a schema that declares `discriminator`), its mapping
    /// and every object below it; for a schema in the middle, its own object and every object
    /// below it. `None` when the schema is neither.
    pub(crate) fn hierarchy_members(&self, pointer: &str) -> Option<(String, Vec<Member>)> {
        let hierarchies = &self.hierarchies;
        let raw = self.raw_at(&Pointer::from_fragment(pointer))?;
        let (discriminator, mut members) = match raw.get("discriminator") {
            Some(own) => (own, Vec::new()),
            None if hierarchies.own_object(pointer).is_some() => {
                let inherited = self.inherited_discriminator(hierarchies, pointer)?;
                let own = Member { tag_values: self.tag_values(inherited, pointer), target: pointer.to_owned() };
                (inherited, vec![own])
            }
            None => return None,
        };
        let property = discriminator.get("propertyName").and_then(Value::as_str)?.to_owned();
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        let descendants = hierarchies.descendants(pointer);
        // A base's mapping may name any schema; an inherited one names the whole hierarchy's,
        // of which a schema in the middle holds only those below it.
        let holds = |target: &str| {
            raw.get("discriminator").is_some() || target == pointer || descendants.iter().any(|d| d == target)
        };
        // The mapping first, in its order (a value may name a schema outside the hierarchy), then
        // every object below that it does not name, by the schema's name.
        for (value, target) in mapping.into_iter().flatten() {
            let Some(target) = target.as_str() else { continue };
            let target =
                if target.starts_with('#') { target.to_owned() } else { format!("#/components/schemas/{target}") };
            let target = Pointer::from_fragment(&target).as_str().to_owned();
            if !holds(&target) {
                continue;
            }
            match members.iter_mut().find(|member| member.target == target) {
                Some(member) if !member.tag_values.contains(value) => member.tag_values.push(value.clone()),
                Some(_) => {}
                None => members.push(Member { tag_values: vec![value.clone()], target }),
            }
        }
        if raw.get("discriminator").is_some() && members.iter().any(|member| !self.is_object_of_its_own(&member.target))
        {
            return None;
        }
        for below in descendants {
            if self.is_object_of_its_own(&below) && !members.iter().any(|member| member.target == below) {
                members.push(Member { tag_values: self.tag_values(discriminator, &below), target: below });
            }
        }
        members.retain(|member| member.target != pointer || raw.get("discriminator").is_none());
        Some((property, members))
    }

    /// The discriminator values that select the schema at `pointer`: the keys of `discriminator`'s
    /// mapping that name it, else the value the schema declares for itself
    /// (`x-ms-discriminator-value`, `x-discriminator-value`), else the schema's name.
    fn tag_values(&self, discriminator: &Value, pointer: &str) -> Vec<String> {
        let mapped: Vec<String> = discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, target)| {
                target.as_str().is_some_and(|target| {
                    let target = if target.starts_with('#') {
                        target.to_owned()
                    } else {
                        format!("#/components/schemas/{target}")
                    };
                    Pointer::from_fragment(&target).as_str() == pointer
                })
            })
            .map(|(value, _)| value.clone())
            .collect();
        if !mapped.is_empty() {
            return mapped;
        }
        // Beside the `allOf` or in its own member, as both are found.
        let raw = self.raw_at(&Pointer::from_fragment(pointer));
        let members = raw.and_then(|raw| raw.get("allOf")).and_then(Value::as_array).into_iter().flatten();
        let declared = raw.into_iter().chain(members).find_map(|raw| {
            ["x-ms-discriminator-value", "x-discriminator-value"]
                .iter()
                .find_map(|key| raw.get(*key).and_then(Value::as_str))
        });
        let name = Pointer::from_fragment(pointer).tokens().last().unwrap_or_default();
        vec![declared.map_or(name, str::to_owned)]
    }
}

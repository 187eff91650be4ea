//! Discriminated hierarchies of component schemas: a schema with a `discriminator` (the base),
//! the schemas that extend it through `allOf`, the schemas that extend those, and so on.
//!
//! Where a schema of such a hierarchy is used, a value of any schema below it may come, told
//! apart by the discriminator's value. So the base is a tagged union of every schema below it at
//! any depth, and a schema in the middle (`Shark`, which extends `Fish` and is extended by
//! `Sawshark`) is a tagged union of its own object and everything below it, whether it declares
//! the discriminator again or not; so is a base whose own mapping names it. Its own object is a
//! struct of its own (`SharkObject`), named here before any type is built so that every union
//! can name it. Only schemas typed as structs are members: one that merely renames another
//! (`allOf: [$ref: Salmon]`) is that other, and as a member it would make a union contain itself.
//!
//! The walks follow `allOf` references between components, each schema at most once, so a
//! hierarchy whose schemas extend each other in a circle ends.

use std::collections::{BTreeSet, HashMap, VecDeque};

use serde_json::Value;

use crate::diagnostics::Pointer;
use crate::ir::Builder;

/// A mapping value as a pointer: a reference, or the name of a component schema.
fn mapping_target(target: &str) -> String {
    let target = if target.starts_with('#') { target.to_owned() } else { format!("#/components/schemas/{target}") };
    Pointer::from_fragment(&target).as_str().to_owned()
}

/// The `allOf` inheritance among the component schemas, by schema pointer.
#[derive(Debug, Default)]
pub(crate) struct Hierarchies {
    /// Schema pointer → the pointers of the component schemas whose `allOf` names it, in
    /// document order.
    children: HashMap<String, Vec<String>>,
    /// Schema pointer → the component schemas its `allOf` names, in order.
    parents: HashMap<String, Vec<String>>,
    /// Schema pointer → the type of its own object, for the schemas whose own name is the
    /// union of their object and others of their hierarchy.
    own_objects: HashMap<String, crate::ir::TypeId>,
    /// The component schemas typed as structs.
    structs: BTreeSet<String>,
}

/// One schema that a discriminated union holds: the values of the discriminator that select it,
/// and its pointer.
pub(crate) struct Member {
    pub tag_values: Vec<String>,
    pub target: String,
}

impl Hierarchies {
    /// The type of the own object of the schema at `pointer`, when it has one.
    pub fn own_object(&self, pointer: &str) -> Option<crate::ir::TypeId> {
        self.own_objects.get(pointer).copied()
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
    /// every schema that needs one (after every component schema has its name, so that none of
    /// theirs changes).
    pub(crate) fn read_hierarchies(&mut self) {
        let base = Pointer::root().push("components").push("schemas");
        let schemas = self.raw_at(&base).and_then(Value::as_object);
        let mut hierarchies = Hierarchies::default();
        // The schemas a hierarchy may hold: those in `allOf` inheritance, with a discriminator,
        // or named by a mapping. Only their types matter here, and typing every schema twice
        // would cost a big description time for nothing.
        let mut candidates = BTreeSet::new();
        for (name, raw) in schemas.into_iter().flatten() {
            let at = base.push(name);
            if let Some(discriminator) = raw.get("discriminator") {
                candidates.insert(at.as_str().to_owned());
                let mapping = discriminator.get("mapping").and_then(Value::as_object).into_iter().flatten();
                candidates.extend(mapping.filter_map(|(_, target)| target.as_str().map(mapping_target)));
            }
            let parents: Vec<String> = raw
                .get("allOf")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|member| member.get("$ref").and_then(Value::as_str))
                .filter_map(|reference| crate::view::local_target(reference, &at).ok())
                .map(|target| target.as_str().to_owned())
                .filter(|target| self.named_schemas.contains_key(target) && *target != at.as_str())
                .collect();
            for parent in &parents {
                hierarchies.children.entry(parent.clone()).or_default().push(at.as_str().to_owned());
                candidates.insert(parent.clone());
            }
            if !parents.is_empty() {
                candidates.insert(at.as_str().to_owned());
            }
            hierarchies.parents.insert(at.as_str().to_owned(), parents);
        }
        for (_, node) in self.view().components("schemas") {
            let schema = crate::view::Schema(node);
            if schema.reference().is_none() && candidates.contains(schema.at().as_str()) && self.defines_struct(&schema)
            {
                hierarchies.structs.insert(schema.at().as_str().to_owned());
            }
        }
        self.hierarchies = hierarchies;
        let needing: BTreeSet<String> =
            self.named_schemas.keys().filter(|pointer| self.needs_own_object(pointer)).cloned().collect();
        for pointer in &needing {
            let own = self.type_names.claim(&format!("{}Object", self.types.name(self.named_schemas[pointer])));
            let id = self.types.declare(own, crate::diagnostics::Pointer::from_fragment(pointer));
            self.hierarchies.own_objects.insert(pointer.clone(), id);
        }
    }

    /// Whether the schema at `pointer` is a union of its hierarchy that holds its own object as
    /// one of its members: an object of its own, that a discriminator value selects, with other
    /// objects of the hierarchy beside it. That is a schema in the middle (below a
    /// discriminator, with objects below it), whether it declares the discriminator again or not,
    /// and a base whose own mapping names it.
    fn needs_own_object(&self, pointer: &str) -> bool {
        let Some(raw) = self.raw_at(&Pointer::from_fragment(pointer)) else { return false };
        if !self.is_object_of_its_own(pointer) {
            return false;
        }
        let inherited = self.inherited_discriminator(pointer).is_some();
        match raw.get("discriminator") {
            Some(own) => inherited || self.mapped_values(own, pointer).next().is_some(),
            None => {
                inherited && self.hierarchies.descendants(pointer).iter().any(|below| self.is_object_of_its_own(below))
            }
        }
    }

    /// The discriminator of the nearest schema above `pointer` that declares one.
    fn inherited_discriminator(&self, pointer: &str) -> Option<&Value> {
        self.discriminators_above(pointer).next()
    }

    /// The discriminators declared above `pointer`, nearest first.
    fn discriminators_above(&self, pointer: &str) -> impl Iterator<Item = &Value> {
        self.hierarchies
            .ancestors(pointer)
            .into_iter()
            .filter_map(|above| self.raw_at(&Pointer::from_fragment(&above)).and_then(|raw| raw.get("discriminator")))
    }

    /// Whether the schema at `pointer` is typed as a struct of its own (not another schema under
    /// a new name, nor a map): only such a schema can be a member of a union of its hierarchy, or
    /// the union would contain itself.
    pub(crate) fn is_object_of_its_own(&self, pointer: &str) -> bool {
        self.hierarchies.structs.contains(pointer)
    }

    /// The members of the union that the schema at `pointer` is, with the discriminator property
    /// they are told apart by: for a base (a schema that declares `discriminator`), its mapping
    /// and every object below it; for a schema with an own object, that object too. `None` when
    /// the schema is neither.
    pub(crate) fn hierarchy_members(&self, pointer: &str) -> Option<(String, Vec<Member>)> {
        let raw = self.raw_at(&Pointer::from_fragment(pointer))?;
        let declared = raw.get("discriminator");
        let discriminator = declared.or_else(|| self.inherited_discriminator(pointer))?;
        if declared.is_none() && self.hierarchies.own_object(pointer).is_none() {
            return None;
        }
        let mut members = Vec::new();
        if self.hierarchies.own_object(pointer).is_some() {
            members.push(Member { tag_values: self.tag_values(discriminator, pointer), target: pointer.to_owned() });
        }
        let property = discriminator.get("propertyName").and_then(Value::as_str)?.to_owned();
        let mapping = discriminator.get("mapping").and_then(Value::as_object);
        let descendants = self.hierarchies.descendants(pointer);
        // A base's mapping may name any schema; an inherited one names the whole hierarchy's,
        // of which a schema in the middle holds only those below it.
        let holds = |target: &str| declared.is_some() || descendants.iter().any(|d| d == target);
        // The mapping first, in its order, then every object below that it does not name.
        for (value, target) in mapping.into_iter().flatten() {
            let Some(target) = target.as_str().map(mapping_target) else { continue };
            if target == pointer || !holds(&target) {
                continue;
            }
            match members.iter_mut().find(|member| member.target == target) {
                Some(member) if !member.tag_values.contains(value) => member.tag_values.push(value.clone()),
                Some(_) => {}
                None => members.push(Member { tag_values: vec![value.clone()], target }),
            }
        }
        if declared.is_some() && members.iter().any(|member| !self.is_object_of_its_own(&member.target)) {
            return None;
        }
        for below in descendants {
            if self.is_object_of_its_own(&below) && !members.iter().any(|member| member.target == below) {
                members.push(Member { tag_values: self.tag_values(discriminator, &below), target: below });
            }
        }
        Some((property, members))
    }

    /// The keys of `discriminator`'s mapping that name the schema at `pointer`.
    fn mapped_values<'d>(&self, discriminator: &'d Value, pointer: &str) -> impl Iterator<Item = &'d String> {
        let pointer = pointer.to_owned();
        discriminator
            .get("mapping")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(move |(_, target)| target.as_str().is_some_and(|target| mapping_target(target) == pointer))
            .map(|(value, _)| value)
    }

    /// The discriminator values that select the schema at `pointer`: the keys of a mapping that
    /// names it (`discriminator`'s, then its own, then those above it), else the value the
    /// schema declares for itself (`x-ms-discriminator-value`, `x-discriminator-value`), else the
    /// schema's name.
    fn tag_values(&self, discriminator: &Value, pointer: &str) -> Vec<String> {
        let raw = self.raw_at(&Pointer::from_fragment(pointer));
        let own = raw.and_then(|raw| raw.get("discriminator"));
        let mappings = std::iter::once(discriminator).chain(own).chain(self.discriminators_above(pointer));
        for mapping in mappings {
            let mapped: Vec<String> = self.mapped_values(mapping, pointer).cloned().collect();
            if !mapped.is_empty() {
                return mapped;
            }
        }
        // Beside the `allOf` or in its own member, as both are found.
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

//! Types by id. A [`TypeRef::Named`] holds the [`TypeId`] of its type: the type's index in
//! [`Api::types`]. A type's name is data of the type, so a rename is one write and no reference
//! is ever matched by name. The types are kept in name order (the order `models.rs` lists them
//! in, and what lets a setting find a type by name): a pass that renames, removes or merges
//! types puts them back in that order with [`Api::sort_types`] or [`Api::retain_types`], which
//! renumber every reference in one visit and refuse to leave one dangling.

use std::collections::HashMap;

use serde::Serialize;

use crate::diagnostics::Error;
use crate::ir::{Api, TokenCall, TypeDef, TypeRef};

/// The id of a named type: its index in [`Api::types`] (or, while lowering, in the table of
/// the types declared so far).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(transparent)]
pub struct TypeId(u32);

impl TypeId {
    /// The id of the type at `index`.
    pub fn at(index: usize) -> TypeId {
        TypeId(u32::try_from(index).expect("fewer than 2^32 types"))
    }

    /// The type's index in [`Api::types`].
    pub fn index(self) -> usize {
        self.0 as usize
    }
}

impl Api {
    /// The type `id` names.
    pub fn def(&self, id: TypeId) -> &TypeDef {
        &self.types[id.index()]
    }

    /// [`Api::def`], to change it.
    pub fn def_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.types[id.index()]
    }

    /// The id of the type named `name`: types are in name order, so this is a binary search.
    pub fn id_named(&self, name: &str) -> Option<TypeId> {
        self.types.binary_search_by(|def| def.name.as_str().cmp(name)).ok().map(TypeId::at)
    }

    /// The type named `name`.
    pub fn type_named(&self, name: &str) -> Option<&TypeDef> {
        self.id_named(name).map(|id| self.def(id))
    }

    /// The type `ty` is, when it is a named type of the API.
    pub fn named(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match ty {
            TypeRef::Named(id) => Some(self.def(*id)),
            _ => None,
        }
    }

    /// Puts the types in name order again after a pass renamed or added some.
    pub(crate) fn sort_types(&mut self) {
        let mut order: Vec<usize> = (0..self.types.len()).collect();
        order.sort_by(|a, b| self.types[*a].name.cmp(&self.types[*b].name));
        if order.iter().enumerate().all(|(new, old)| new == *old) {
            return;
        }
        let mut new_ids = vec![None; self.types.len()];
        for (new, old) in order.iter().enumerate() {
            new_ids[*old] = Some(TypeId::at(new));
        }
        let mut slots: Vec<Option<TypeDef>> = std::mem::take(&mut self.types).into_iter().map(Some).collect();
        self.types = order.iter().filter_map(|old| slots[*old].take()).collect();
        self.renumber(&new_ids).expect("a reordering keeps every type");
    }

    /// Keeps the types `keep` says to keep, in name order. A type left out that something still
    /// refers to is an internal error: a pass that removes a type first moves what refers to it.
    pub(crate) fn retain_types(&mut self, mut keep: impl FnMut(TypeId, &TypeDef) -> bool) -> Result<(), Error> {
        let kept: Vec<bool> = self.types.iter().enumerate().map(|(index, def)| keep(TypeId::at(index), def)).collect();
        let mut next = 0;
        let new_ids: Vec<Option<TypeId>> = kept
            .iter()
            .map(|kept| {
                kept.then(|| {
                    next += 1;
                    TypeId::at(next - 1)
                })
            })
            .collect();
        // The types left out go before the renumbering: their own references may name other
        // types left out, and must not count as dangling. Their names stay for the message.
        let old_names: Vec<String> = self.types.iter().map(|def| def.name.clone()).collect();
        let mut index = 0;
        self.types.retain(|_| {
            index += 1;
            kept[index - 1]
        });
        self.renumber(&new_ids).map_err(|old| {
            Error::general(format!(
                "internal error: `{}` was removed while something still refers to it",
                old_names[old]
            ))
        })?;
        self.sort_types();
        Ok(())
    }

    /// Makes every reference to a type that `to` maps refer to the type it maps it to.
    pub(crate) fn redirect_types(&mut self, to: &HashMap<TypeId, TypeId>) {
        self.visit_type_ids_mut(&mut |id| {
            if let Some(target) = to.get(id) {
                *id = *target;
            }
        });
    }

    /// Gives every reference the id `new_ids` maps its old id to; `Err` holds the index of an old
    /// type that has none, when something refers to it.
    fn renumber(&mut self, new_ids: &[Option<TypeId>]) -> Result<(), usize> {
        let mut dangling = None;
        self.visit_type_ids_mut(&mut |id| match new_ids[id.index()] {
            Some(new) => *id = new,
            None => dangling = Some(id.index()),
        });
        dangling.map_or(Ok(()), Err)
    }

    /// Calls `visit` on every type id the API holds: in its type references, the OAuth calls'
    /// body types and the record of merged types.
    fn visit_type_ids_mut(&mut self, visit: &mut dyn FnMut(&mut TypeId)) {
        self.visit_type_refs_mut(&mut |ty| {
            if let TypeRef::Named(id) = ty.innermost_mut() {
                visit(id);
            }
        });
        for call in self.oauth.iter_mut().flat_map(|flow| [&mut flow.exchange, &mut flow.refresh]) {
            if let TokenCall::Operation { body_type, .. } = call {
                visit(body_type);
            }
        }
        for merged in &mut self.merged_types {
            visit(&mut merged.one);
            merged.aliases.iter_mut().for_each(&mut *visit);
            merged.schemas.iter_mut().for_each(|schema| visit(&mut schema.ty));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ir::{TypeKind, Usage};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            pointer: crate::diagnostics::Pointer::root(),
            description: None,
            kind,
            usage: Usage::default(),
            derives: Vec::new(),
            attributes: Vec::new(),
        }
    }

    fn api(types: Vec<TypeDef>) -> Api {
        let doc =
            crate::load::load_str("openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\n", "t.yaml").unwrap();
        let (mut api, _) = crate::ir::build(&doc).unwrap();
        api.types = types;
        api
    }

    fn alias_of(api: &Api, name: &str) -> String {
        let TypeKind::Alias(target) = &api.type_named(name).unwrap().kind else { panic!("{name} is no alias") };
        target.rust(&api.types).to_string()
    }

    #[test]
    fn sorting_renumbers_every_reference() {
        // Zebra → Apple, Apple → Vec<Zebra>: ids 0 and 1 swap when sorted.
        let mut api = api(vec![
            def("Zebra", TypeKind::Alias(TypeRef::Named(TypeId::at(1)))),
            def("Apple", TypeKind::Alias(TypeRef::Vec(Box::new(TypeRef::Named(TypeId::at(0)))))),
        ]);
        api.sort_types();
        assert_eq!(api.types.iter().map(|def| def.name.as_str()).collect::<Vec<_>>(), ["Apple", "Zebra"]);
        assert_eq!(alias_of(&api, "Zebra"), "Apple");
        assert_eq!(alias_of(&api, "Apple"), "Vec<Zebra>");
    }

    #[test]
    fn removing_a_type_something_refers_to_is_refused() {
        let mut api = api(vec![
            def("A", TypeKind::Alias(TypeRef::String)),
            def("B", TypeKind::Alias(TypeRef::Named(TypeId::at(0)))),
            def("C", TypeKind::Alias(TypeRef::Named(TypeId::at(1)))),
        ]);
        api.retain_types(|_, def| def.name != "C").unwrap();
        assert_eq!(alias_of(&api, "B"), "A");
        let err = api.retain_types(|_, def| def.name != "A").unwrap_err();
        assert!(err.to_string().contains("`A` was removed"), "{err}");
    }
}

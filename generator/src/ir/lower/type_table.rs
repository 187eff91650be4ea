//! The types of one lowering, by id. A type gets its id when its name is claimed, before its
//! schema is read, because component schemas refer to each other in any order (and to
//! themselves); reading the schema then defines it. At the end every declared type must be
//! defined: the table becomes [`crate::ir::Api::types`], whose ids are the same.

use crate::diagnostics::{Error, Pointer};
use crate::ir::{TypeDef, TypeId, TypeKind, TypeRef, Usage};

/// Every type declared so far, indexed by [`TypeId`].
#[derive(Debug, Default)]
pub(crate) struct TypeTable {
    defs: Vec<TypeDef>,
    /// Whether each type's schema has been read yet.
    defined: Vec<bool>,
}

impl TypeTable {
    /// A new type named `name` for the schema at `pointer`, to be defined later.
    pub fn declare(&mut self, name: String, pointer: Pointer) -> TypeId {
        let id = TypeId::at(self.defs.len());
        // What the type is until its schema is read: nothing refers into it before then.
        let kind = TypeKind::Alias(TypeRef::Json);
        let usage = Usage::default();
        self.defs.push(TypeDef {
            name,
            pointer,
            description: None,
            kind,
            usage,
            derives: Vec::new(),
            attributes: Vec::new(),
        });
        self.defined.push(false);
        id
    }

    /// Gives the declared type `id` its definition (its name stays the declared one).
    pub fn define(&mut self, id: TypeId, pointer: Pointer, description: Option<String>, kind: TypeKind) {
        let def = &mut self.defs[id.index()];
        def.pointer = pointer;
        def.description = description;
        def.kind = kind;
        self.defined[id.index()] = true;
    }

    pub fn get(&self, id: TypeId) -> &TypeDef {
        &self.defs[id.index()]
    }

    pub fn get_mut(&mut self, id: TypeId) -> &mut TypeDef {
        &mut self.defs[id.index()]
    }

    /// The Rust name of the type `id`.
    pub fn name(&self, id: TypeId) -> &str {
        &self.defs[id.index()].name
    }

    /// The named type `ty` is, if it is one.
    pub fn named(&self, ty: &TypeRef) -> Option<&TypeDef> {
        match ty {
            TypeRef::Named(id) => Some(self.get(*id)),
            _ => None,
        }
    }

    /// Every type, indexed by id.
    pub fn defs(&self) -> &[TypeDef] {
        &self.defs
    }

    /// [`TypeTable::defs`], for a pass that changes types in place.
    pub fn defs_mut(&mut self) -> &mut [TypeDef] {
        &mut self.defs
    }

    /// The types, indexed by id; a type declared and never defined is an internal error.
    pub fn finish(self) -> Result<Vec<TypeDef>, Error> {
        match self.defined.iter().position(|defined| !defined) {
            Some(index) => Err(Error::general(format!(
                "internal error: the type `{}` for {} was named and never defined",
                self.defs[index].name, self.defs[index].pointer
            ))),
            None => Ok(self.defs),
        }
    }
}

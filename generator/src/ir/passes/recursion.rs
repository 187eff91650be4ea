//! Passes over the finished types that keep them finite.
//!
//! - A struct that contains itself, directly or through other structs and unions, needs a `Box`
//!   somewhere on the cycle or it would have infinite size. `Vec` and maps already allocate, so
//!   only direct and `Option` containment count: a field is boxed when its type and its holder
//!   are in one strongly connected component of that containment graph.
//! - A type alias can never be recursive in Rust (`type A = B; type B = A;` and
//!   `type A = Vec<A>` are E0391). A cycle made only of aliases (`A: {$ref: B}`, `B: {$ref: A}`)
//!   says nothing about the value, so each reference that closes it becomes any JSON value, with
//!   a warning at the alias.

use crate::diagnostics::Warning;
use crate::ir::graph::{components, on_cycle};
use crate::ir::{TypeDef, TypeKind, TypeRef};

/// Boxes every field or union variant whose type leads back to the type that holds it.
/// `types` is indexed by id.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let successors: Vec<Vec<usize>> = types.iter().map(|def| direct_children(&def.kind).collect()).collect();
    let component = components(&successors);
    let leads_back =
        |holder: usize, ty: &TypeRef| direct_named(ty).is_some_and(|child| on_cycle(&component, holder, child));
    let boxed: Vec<(usize, usize)> = types
        .iter()
        .enumerate()
        .flat_map(|(holder, def)| {
            member_types(&def.kind)
                .enumerate()
                .filter(move |(_, ty)| leads_back(holder, ty))
                .map(move |(n, _)| (holder, n))
        })
        .collect();
    for (holder, member) in boxed {
        let ty = match &mut types[holder].kind {
            TypeKind::Struct(body) => &mut body.fields[member].ty,
            TypeKind::Union(union) => &mut union.variants[member].ty,
            TypeKind::Enum(_) | TypeKind::Alias(_) => continue,
        };
        *ty = TypeRef::Boxed(Box::new(ty.clone()));
    }
}

/// Turns every reference that closes a cycle of aliases into any JSON value. `types` is indexed
/// by id.
pub fn break_alias_cycles(types: &mut [TypeDef], warnings: &mut Vec<Warning>) {
    let is_alias = |index: usize| matches!(types[index].kind, TypeKind::Alias(_));
    let successors: Vec<Vec<usize>> = types
        .iter()
        .map(|def| match &def.kind {
            TypeKind::Alias(ty) => {
                let mut targets = Vec::new();
                named_anywhere(ty, &mut targets);
                targets.into_iter().filter(|&target| is_alias(target)).collect()
            }
            _ => Vec::new(),
        })
        .collect();
    let component = components(&successors);
    let closes_cycle: Vec<(usize, Vec<usize>)> = successors
        .iter()
        .enumerate()
        .filter(|(alias, targets)| targets.iter().any(|&target| on_cycle(&component, *alias, target)))
        .map(|(alias, targets)| {
            let targets = targets.iter().copied().filter(|&target| on_cycle(&component, alias, target)).collect();
            (alias, targets)
        })
        .collect();
    for (alias, targets) in closes_cycle {
        let names: Vec<String> = targets.iter().map(|&target| types[target].name.clone()).collect();
        let def = &mut types[alias];
        if let TypeKind::Alias(ty) = &mut def.kind {
            replace_named(ty, &targets);
        }
        warnings.push(Warning {
            pointer: def.pointer.clone(),
            message: format!(
                "this schema leads back to itself only through references, arrays or maps (through `{}`), \
                 which no Rust type alias can express; that reference is typed as any JSON value",
                names.join("`, `")
            ),
        });
    }
}

/// The types of a struct's fields or a union's variants, in order.
fn member_types(kind: &TypeKind) -> Box<dyn Iterator<Item = &TypeRef> + '_> {
    match kind {
        TypeKind::Struct(body) => Box::new(body.fields.iter().map(|f| &f.ty)),
        TypeKind::Union(union) => Box::new(union.variants.iter().map(|v| &v.ty)),
        TypeKind::Alias(ty) => Box::new(std::iter::once(ty)),
        TypeKind::Enum(_) => Box::new(std::iter::empty()),
    }
}

/// The index of the named type held by value (directly or in an `Option`), if any.
fn direct_named(ty: &TypeRef) -> Option<usize> {
    match ty {
        TypeRef::Named(id) => Some(id.index()),
        TypeRef::Option(inner) => direct_named(inner),
        _ => None,
    }
}

fn direct_children(kind: &TypeKind) -> impl Iterator<Item = usize> {
    member_types(kind).filter_map(direct_named)
}

/// The index of every named type `ty` mentions, through any container.
fn named_anywhere(ty: &TypeRef, targets: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => targets.push(id.index()),
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
            named_anywhere(inner, targets);
        }
        _ => {}
    }
}

fn replace_named(ty: &mut TypeRef, targets: &[usize]) {
    match ty {
        TypeRef::Named(id) if targets.contains(&id.index()) => *ty = TypeRef::Json,
        TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
            replace_named(inner, targets);
        }
        _ => {}
    }
}

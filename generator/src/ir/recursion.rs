//! A pass over the finished types: a struct that contains itself, directly or through other
//! structs and unions, needs a `Box` somewhere on the cycle or it would have infinite size.
//! `Vec` and maps already allocate, so only direct and `Option` containment count.

use std::collections::{BTreeMap, BTreeSet};

use super::{TypeDef, TypeKind, TypeRef};

/// Boxes every field or union variant whose type leads back to the type that holds it.
pub fn box_recursive_fields(types: &mut [TypeDef]) {
    let edges: BTreeMap<String, BTreeSet<String>> =
        types.iter().map(|def| (def.name.clone(), direct_children(&def.kind))).collect();
    for def in types.iter_mut() {
        let name = def.name.clone();
        let leads_back = |ty: &TypeRef| direct_named(ty).is_some_and(|child| reaches(&edges, &child, &name));
        match &mut def.kind {
            TypeKind::Struct(body) => {
                for field in &mut body.fields {
                    if leads_back(&field.ty) {
                        field.ty = TypeRef::Boxed(Box::new(field.ty.clone()));
                    }
                }
            }
            TypeKind::Union(union) => {
                for variant in &mut union.variants {
                    if leads_back(&variant.ty) {
                        variant.ty = TypeRef::Boxed(Box::new(variant.ty.clone()));
                    }
                }
            }
            TypeKind::Enum(_) | TypeKind::Alias(_) => {}
        }
    }
}

/// The named type held by value (directly or in an `Option`), if any.
fn direct_named(ty: &TypeRef) -> Option<String> {
    match ty {
        TypeRef::Named(name) => Some(name.clone()),
        TypeRef::Option(inner) => direct_named(inner),
        _ => None,
    }
}

fn direct_children(kind: &TypeKind) -> BTreeSet<String> {
    match kind {
        TypeKind::Struct(body) => body.fields.iter().filter_map(|f| direct_named(&f.ty)).collect(),
        TypeKind::Union(union) => union.variants.iter().filter_map(|v| direct_named(&v.ty)).collect(),
        TypeKind::Alias(ty) => direct_named(ty).into_iter().collect(),
        TypeKind::Enum(_) => BTreeSet::new(),
    }
}

fn reaches(edges: &BTreeMap<String, BTreeSet<String>>, from: &str, target: &str) -> bool {
    let mut seen = BTreeSet::new();
    let mut stack = vec![from.to_owned()];
    while let Some(current) = stack.pop() {
        if current == target {
            return true;
        }
        if seen.insert(current.clone()) {
            stack.extend(edges.get(&current).into_iter().flatten().cloned());
        }
    }
    false
}

//! Which way each named type crosses the wire: sent (it needs `Serialize`), received (it needs
//! `Deserialize`), or both. Implementing only what the API needs halves the serde code of a
//! typical client, and serde impls are most of the generated crate's build time; the generated
//! crate's `serialize` and `deserialize` features add the other direction to every type.

use std::collections::HashSet;

use crate::ir::{Api, ResponseBody, TokenCall, TypeDef, TypeId, TypeKind, TypeRef, Usage};

/// Sets [`TypeDef::usage`] on every type from the operations, webhooks and OAuth calls that use
/// it, directly or through other types. A type nothing uses gets both directions, and so does
/// everything in it: it is there for the user, who may need either.
pub fn mark(api: &mut Api) {
    // The aliases that keep the names of merged schemas are not types of their own: the one
    // type they name is used as what refers to them uses it.
    let aliases: HashSet<TypeId> = api.merged_types.iter().flat_map(|merged| merged.aliases.iter().copied()).collect();
    let (types, operations, webhooks, oauth) = (&mut api.types, &api.operations, &api.webhooks, api.oauth.as_ref());
    let mut sent = Vec::new();
    let mut received = Vec::new();
    for op in operations {
        let params = op.params.iter().flat_map(|p| &p.params);
        sent.extend(params.map(|param| &param.ty));
        sent.extend(op.methods.iter().filter_map(|m| m.body.as_ref()).map(|body| &body.ty));
        received.extend(op.success_body_types());
        received.extend(op.error_body_types());
    }
    received.extend(webhooks.iter().map(|webhook| &webhook.payload));
    // A token call decodes its body type from the token parameters, and reads the token
    // response by serializing it to JSON (`Tokens::from_response`).
    let token_operations = oauth.into_iter().flat_map(|flow| [&flow.exchange, &flow.refresh]);
    let mut token_bodies = Vec::new();
    for call in token_operations {
        if let TokenCall::Operation { operation_id, body_type, .. } = call {
            token_bodies.push(TypeRef::Named(*body_type));
            let op = operations.iter().find(|op| &op.operation_id == operation_id);
            if let Some(ResponseBody::Json(ty)) = op.map(|op| &op.success) {
                sent.push(ty);
            }
        }
    }
    received.extend(&token_bodies);

    let reached = |roots: &[&TypeRef]| reachable(types, roots);
    let (reached_sent, reached_received) = (reached(&sent), reached(&received));
    // Types nothing uses, and what they hold, get both directions.
    let unused: Vec<TypeRef> = (0..types.len())
        .filter(|&i| !reached_sent[i] && !reached_received[i] && !aliases.contains(&TypeId::at(i)))
        .map(|i| TypeRef::Named(TypeId::at(i)))
        .collect();
    let (sent, received) = if unused.is_empty() {
        (reached_sent, reached_received)
    } else {
        sent.extend(&unused);
        received.extend(&unused);
        (reached(&sent), reached(&received))
    };
    for (def, (sent, received)) in types.iter_mut().zip(sent.into_iter().zip(received)) {
        def.usage = Usage { sent, received };
    }
    received_nullables_are_options(types);
}

/// An optional, nullable property is `Option<Option<T>>` where absent and `null` can mean
/// different things: in what is sent (a PATCH that clears a field with `null` and leaves an
/// absent one alone). In what is only received, no API gives them different meanings, and
/// every reader of `Some(None)` would write `Option::flatten`: there it is `Option<T>`, `None`
/// for absent and `null` alike (and, encoded with the `serialize` feature, left out).
fn received_nullables_are_options(types: &mut [TypeDef]) {
    for def in types.iter_mut().filter(|def| def.usage.received && !def.usage.sent) {
        if let TypeKind::Struct(body) = &mut def.kind {
            for field in body.fields.iter_mut().filter(|field| !field.required && field.nullable) {
                field.null_is_absent = true;
            }
        }
    }
}

/// Which of `types` (indexed by id) the `roots` reach, directly or through other types.
pub(crate) fn reachable(types: &[TypeDef], roots: &[&TypeRef]) -> Vec<bool> {
    let mut seen = vec![false; types.len()];
    let mut stack: Vec<&TypeRef> = roots.to_vec();
    while let Some(ty) = stack.pop() {
        match ty {
            TypeRef::Named(id) => {
                let i = id.index();
                if !std::mem::replace(&mut seen[i], true) {
                    stack.extend(types[i].kind.type_refs());
                }
            }
            TypeRef::Vec(inner) | TypeRef::Map(inner) | TypeRef::Option(inner) | TypeRef::Boxed(inner) => {
                stack.push(inner)
            }
            _ => {}
        }
    }
    seen
}

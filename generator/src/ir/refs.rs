//! Resolving local `$ref`s to the objects they point at.

use indexmap::IndexMap;
use openapiv3::{
    Components, Example, Header, Parameter, PathItem, ReferenceOr, RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;

use super::Builder;
use crate::diagnostics::{Error, Pointer};

/// How many `$ref`s may be followed in a chain before it counts as a cycle.
const MAX_REF_CHAIN: usize = 32;

impl Builder<'_> {
    /// Follows `item` through any chain of local `$ref`s to the object, returning it with the
    /// pointer of where it actually is.
    pub fn resolve<T: DeserializeOwned + Clone + Component>(
        &self,
        item: &ReferenceOr<T>,
        at: &Pointer,
    ) -> Result<(T, Pointer), Error> {
        let mut reference = match item {
            ReferenceOr::Item(value) => return Ok((value.clone(), at.clone())),
            ReferenceOr::Reference { reference } => reference.clone(),
        };
        let mut from = at.clone();
        for _ in 0..MAX_REF_CHAIN {
            let target = self.local_target(&reference, &from)?;
            let raw = self.raw_at(&target).ok_or_else(|| {
                Error::at(&from, format!("$ref {reference:?} does not resolve: nothing is at {target}"))
            })?;
            if let Some(next) = raw.get("$ref").and_then(|r| r.as_str()) {
                reference = next.to_owned();
                from = target;
                continue;
            }
            // A component the typed model already holds is copied, not deserialized again.
            if let Some(value) = self.typed_component::<T>(&target) {
                return Ok((value.clone(), target));
            }
            let value = T::deserialize(raw).map_err(|err| {
                Error::at(&target, format!("the object {reference:?} points at is not valid here: {err}"))
            })?;
            return Ok((value, target));
        }
        Err(Error::at(at, format!("$ref chain through {reference:?} does not end (a cycle?)")))
    }

    /// The typed model's `#/components/{kind}/{name}`, when `target` is one and it is not itself
    /// a reference.
    fn typed_component<T: Component>(&self, target: &Pointer) -> Option<&T> {
        let mut tokens = target.tokens();
        let (Some(components), Some(kind), Some(name), None) =
            (tokens.next(), tokens.next(), tokens.next(), tokens.next())
        else {
            return None;
        };
        if components != "components" || kind != T::KIND {
            return None;
        }
        match T::in_components(self.doc.api.components.as_ref()?).get(&name)? {
            ReferenceOr::Item(value) => Some(value),
            ReferenceOr::Reference { .. } => None,
        }
    }

    /// The pointer a local `$ref` names; external references are an error here.
    pub fn local_target(&self, reference: &str, at: &Pointer) -> Result<Pointer, Error> {
        match reference.strip_prefix('#') {
            Some(fragment) if fragment.is_empty() || fragment.starts_with('/') => {
                Ok(Pointer::from_fragment(&format!("#{}", percent_decode(fragment))))
            }
            _ => Err(Error::at(
                at,
                format!("external $ref {reference:?} is not supported here; only local `#/...` references are"),
            )),
        }
    }
}

/// An object that may be a component: where the typed model keeps those of its kind.
pub trait Component: Sized {
    /// Its key under `components`.
    const KIND: &'static str;
    /// The components of its kind.
    fn in_components(components: &Components) -> &IndexMap<String, ReferenceOr<Self>>;
}

macro_rules! components {
    ($( $ty:ty => $kind:literal $field:ident ),* $(,)?) => {
        $(
            impl Component for $ty {
                const KIND: &'static str = $kind;
                fn in_components(components: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
                    &components.$field
                }
            }
        )*
    };
}

components! {
    Schema => "schemas" schemas,
    Parameter => "parameters" parameters,
    RequestBody => "requestBodies" request_bodies,
    Response => "responses" responses,
    Header => "headers" headers,
    SecurityScheme => "securitySchemes" security_schemes,
    Example => "examples" examples,
}

/// Path items are not components in the 3.0 model: always read from the tree.
impl Component for PathItem {
    const KIND: &'static str = "pathItems";
    fn in_components(_: &Components) -> &IndexMap<String, ReferenceOr<Self>> {
        static NONE: std::sync::OnceLock<IndexMap<String, ReferenceOr<PathItem>>> = std::sync::OnceLock::new();
        NONE.get_or_init(IndexMap::new)
    }
}

/// JSON pointers inside URI fragments may percent-encode characters (`%7B` for `{`).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        if bytes[index] == b'%' && index + 2 < bytes.len() {
            if let Ok(byte) = u8::from_str_radix(&text[index + 1..index + 3], 16) {
                out.push(byte);
                index += 3;
                continue;
            }
        }
        out.push(bytes[index]);
        index += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

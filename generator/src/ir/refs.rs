//! Resolving local `$ref`s to the objects they point at.

use openapiv3::ReferenceOr;
use serde::de::DeserializeOwned;

use super::Builder;
use crate::diagnostics::{Error, Pointer};

/// How many `$ref`s may be followed in a chain before it counts as a cycle.
const MAX_REF_CHAIN: usize = 32;

impl Builder<'_> {
    /// Follows `item` through any chain of local `$ref`s to the object, returning it with the
    /// pointer of where it actually is.
    pub fn resolve<T: DeserializeOwned + Clone>(
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
            let value = T::deserialize(raw).map_err(|err| {
                Error::at(&target, format!("the object {reference:?} points at is not valid here: {err}"))
            })?;
            return Ok((value, target));
        }
        Err(Error::at(at, format!("$ref chain through {reference:?} does not end (a cycle?)")))
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

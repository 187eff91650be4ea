//! Patches to a description, applied to its tree before it is loaded: a user fixes a vendor's
//! mistake (an example that contradicts its schema, a wrong type) without editing the vendor's
//! file. RFC 6902 JSON Patch and RFC 7396 JSON Merge Patch, from `json-patch`.

use serde_json::Value;

use crate::diagnostics::Error;

/// One patch, with what names it in messages (`patch 2 (fixes.yaml)`).
#[derive(Debug, Clone, PartialEq)]
pub struct Patch {
    /// How messages name it.
    pub label: String,
    /// What it does.
    pub kind: PatchKind,
}

/// The two kinds of patch.
#[derive(Debug, Clone, PartialEq)]
pub enum PatchKind {
    /// RFC 7396: an object merged into the document (`null` removes a member). It always applies.
    Merge(Value),
    /// RFC 6902: a list of operations (`add`, `remove`, `replace`, `move`, `copy`, `test`); all
    /// apply or none does.
    Json(Value),
}

impl Patch {
    /// A patch of the kind its JSON says: a list is a JSON Patch, an object a merge patch.
    pub fn from_value(label: String, value: Value) -> Result<Patch, String> {
        match value {
            Value::Array(_) => Ok(Patch { label, kind: PatchKind::Json(value) }),
            Value::Object(_) => Ok(Patch { label, kind: PatchKind::Merge(value) }),
            _ => Err(format!("{label} is neither a JSON Patch (a list) nor a merge patch (an object)")),
        }
    }
}

/// Applies `patches` to `doc` in order; the first that does not apply is an error naming the
/// patch, its operation and the pointer.
pub fn apply_all(doc: &mut Value, patches: &[Patch]) -> Result<(), Error> {
    for patch in patches {
        match &patch.kind {
            PatchKind::Merge(merge) => json_patch::merge(doc, merge),
            PatchKind::Json(operations) => {
                let operations: json_patch::Patch = serde_json::from_value(operations.clone())
                    .map_err(|err| Error::general(format!("{} is not a JSON Patch: {err}", patch.label)))?;
                json_patch::patch(doc, &operations).map_err(|err| {
                    let pointer = if err.path.is_root() { "#".to_owned() } else { format!("#{}", err.path) };
                    Error::general(format!(
                        "{} does not apply: operation {} at {pointer}: {}",
                        patch.label, err.operation, err.kind
                    ))
                })?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn merge_and_json_patches_apply_in_order_and_a_failure_names_its_place() {
        let mut doc = json!({"info": {"title": "Old", "x-drop": 1}, "paths": {}});
        let patches = [
            Patch::from_value("patch 1".into(), json!({"info": {"title": "New", "x-drop": null}})).unwrap(),
            Patch::from_value("patch 2".into(), json!([{"op": "add", "path": "/info/version", "value": "2"}])).unwrap(),
        ];
        apply_all(&mut doc, &patches).unwrap();
        assert_eq!(doc, json!({"info": {"title": "New", "version": "2"}, "paths": {}}));
        let failing = Patch::from_value(
            "patch 3 (fix.json)".into(),
            json!([{"op": "remove", "path": "/components/schemas/Gone"}]),
        )
        .unwrap();
        let err = apply_all(&mut doc, &[failing]).unwrap_err().to_string();
        assert!(
            err.starts_with("patch 3 (fix.json) does not apply: operation 0 at #/components/schemas/Gone: "),
            "{err}"
        );
        assert!(Patch::from_value("patch 4".into(), json!("text")).is_err());
    }
}

//! Errors and warnings that name the place in the document they are about.

use std::fmt;

/// A JSON pointer into the OpenAPI document, such as `#/components/schemas/Foo/properties/bar`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Pointer(String);

/// Written as its text (`#/paths/~1pets/get`), as the IR's dumps show it.
impl serde::Serialize for Pointer {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl Pointer {
    /// The pointer to the whole document, `#`.
    pub fn root() -> Self {
        Pointer("#".to_owned())
    }

    /// Parses a local reference such as `#/components/schemas/Foo`.
    pub fn from_fragment(fragment: &str) -> Self {
        Pointer(fragment.to_owned())
    }

    /// The pointer one level deeper, escaping `~` and `/` as RFC 6901 requires.
    pub fn push(&self, token: impl AsRef<str>) -> Self {
        let token = token.as_ref();
        let mut pointer = String::with_capacity(self.0.len() + 1 + token.len());
        pointer.push_str(&self.0);
        pointer.push('/');
        // Most tokens need no escape: copied as they are, without two passes of `replace`.
        if token.contains(['~', '/']) {
            pointer.push_str(&token.replace('~', "~0").replace('/', "~1"));
        } else {
            pointer.push_str(token);
        }
        Pointer(pointer)
    }

    /// The pointer as written, starting with `#`.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether it points at `place` (a pointer as written) or inside it: `#/tags/0/description`
    /// is within `#/tags` and `#/tags/0`, not within `#/ta`.
    pub fn is_within(&self, place: &str) -> bool {
        self.0.strip_prefix(place).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    }

    /// The unescaped reference tokens after `#`.
    pub fn tokens(&self) -> impl Iterator<Item = String> + '_ {
        self.0.trim_start_matches('#').split('/').skip(1).map(|token| token.replace("~1", "/").replace("~0", "~"))
    }
}

impl Pointer {
    /// What the pointer points at in `root`, without following `$ref`s.
    pub fn lookup<'v>(&self, root: &'v serde_json::Value) -> Option<&'v serde_json::Value> {
        use serde_json::Value;
        let mut node = root;
        // Tokens are unescaped only when they have an escape: lookups are many (every
        // `$ref`, description and property), and most tokens have none.
        for raw in self.0.trim_start_matches('#').split('/').skip(1) {
            let token = match raw.contains('~') {
                true => std::borrow::Cow::Owned(raw.replace("~1", "/").replace("~0", "~")),
                false => std::borrow::Cow::Borrowed(raw),
            };
            node = match node {
                Value::Object(map) => map.get(token.as_ref())?,
                Value::Array(items) => items.get(token.parse::<usize>().ok()?)?,
                _ => return None,
            };
        }
        Some(node)
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why generation stopped. Always names the file and, where there is one, the place in it.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", self.render())]
pub struct Error {
    /// The document the error is in.
    pub file: Option<String>,
    /// Line and column, for syntax errors found before there is a document tree.
    pub line_column: Option<(usize, usize)>,
    /// The place in the document.
    pub pointer: Option<Pointer>,
    /// What is wrong, in one sentence.
    pub message: String,
}

impl Error {
    /// An error about the place `pointer` names.
    pub fn at(pointer: &Pointer, message: impl Into<String>) -> Self {
        Error { file: None, line_column: None, pointer: Some(pointer.clone()), message: message.into() }
    }

    /// An error about the document or the run as a whole.
    pub fn general(message: impl Into<String>) -> Self {
        Error { file: None, line_column: None, pointer: None, message: message.into() }
    }

    /// The same error, said of `file`.
    pub fn in_file(mut self, file: impl Into<String>) -> Self {
        if self.file.is_none() {
            self.file = Some(file.into());
        }
        self
    }

    fn render(&self) -> String {
        let mut place = String::new();
        if let Some(file) = &self.file {
            place.push_str(file);
            if let Some((line, column)) = self.line_column {
                place.push_str(&format!(":{line}:{column}"));
            }
        }
        if let Some(pointer) = &self.pointer {
            if !place.is_empty() {
                place.push_str(": ");
            }
            place.push_str(pointer.as_str());
        }
        if place.is_empty() { self.message.clone() } else { format!("{place}: {}", self.message) }
    }
}

/// Something the generator could not express exactly and replaced by the nearest honest type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Warning {
    /// The place in the document.
    pub pointer: Pointer,
    /// What was done instead.
    pub message: String,
}

impl fmt::Display for Warning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "warning: {}: {}", self.pointer, self.message)
    }
}

/// The known name nearest to `given` by edit distance, when it is near enough to be a typo
/// (at most a third of its length, and at least one edit).
pub fn nearest<'k>(given: &str, known: impl Iterator<Item = &'k str>) -> Option<&'k str> {
    let given_lower = given.to_lowercase();
    let limit = (given.chars().count() / 3).max(1);
    known
        .map(|name| (distance(&given_lower, &name.to_lowercase()), name))
        .filter(|(d, _)| *d <= limit)
        .min()
        .map(|(_, name)| name)
}

/// Levenshtein distance.
fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut previous = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = previous + usize::from(ca != *cb);
            previous = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(previous + 1);
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_escaped_when_pushed_and_unescaped_when_looked_up() {
        let pointer = Pointer::root().push("paths").push("/a/{b}").push("x~y").push("0");
        assert_eq!(pointer.as_str(), "#/paths/~1a~1{b}/x~0y/0");
        let document = serde_json::json!({"paths": {"/a/{b}": {"x~y": ["found"]}}});
        assert_eq!(pointer.lookup(&document), Some(&serde_json::json!("found")));
        assert_eq!(pointer.tokens().collect::<Vec<_>>(), ["paths", "/a/{b}", "x~y", "0"]);
        assert_eq!(Pointer::root().push("plain").lookup(&document), None);
    }
}

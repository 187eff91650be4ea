//! Rust names for OpenAPI names: case conversion, keywords, names that start with digits or are
//! made only of symbols, and collisions.

use std::collections::BTreeSet;

/// Keywords that a raw identifier (`r#type`) can stand in for.
const RAW_KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "do", "dyn", "else", "enum",
    "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "macro", "match", "mod", "move",
    "mut", "override", "priv", "pub", "ref", "return", "static", "struct", "trait", "true", "try", "type", "typeof",
    "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that cannot be raw identifiers.
const NON_RAW_KEYWORDS: &[&str] = &["self", "Self", "super", "crate", "_"];

/// Type names the generated modules use themselves; a schema with such a name gets a suffix.
/// The modules that import every model (`use crate::models::*`) import these by name too, and a
/// name imported by name hides the model of that name, so each of them is here.
const RESERVED_TYPE_NAMES: &[&str] = &[
    "ApiResponse",
    "BTreeMap",
    "Box",
    "Bytes",
    "Client",
    "ClientBuilder",
    "Default",
    "Deserialize",
    "Duration",
    "Err",
    "Error",
    // Prelude traits the generated code and the runtime's macros name bare (`impl From<&str>`,
    // `impl Into<String>`): a type alias `From` (nexmo.com's reports API) hid the trait.
    "From",
    "HeaderMap",
    "Into",
    "Map",
    "Method",
    "None",
    "Ok",
    "OperationSpec",
    "Option",
    "ResponseFuture",
    "Result",
    "SecretString",
    "Self",
    "Serialize",
    "SignatureEncoding",
    "SignatureScheme",
    "Some",
    "StatusCode",
    "String",
    "Style",
    "Upload",
    "Url",
    "Value",
    "Vec",
    "WebhookError",
];

/// The words of `raw`: runs of ASCII letters and digits (every other character breaks a word),
/// each split where heck 0.5 splits it (see [`split_words`]).
fn ascii_words(raw: &str) -> Vec<&str> {
    let mut words = Vec::new();
    for run in raw.split(|c: char| !c.is_ascii_alphanumeric()) {
        split_words(run, &mut words);
    }
    words
}

/// The case of the last letter of a word so far.
#[derive(Clone, Copy, PartialEq)]
enum LastCase {
    /// No letter yet.
    None,
    Lower,
    Upper,
}

/// Splits `run` (ASCII letters and digits) into words as heck 0.5 does: after a lower-case letter
/// (or the digits after it) that an upper-case one follows (`petName`: `pet`, `Name`), and before
/// the last capital of a run of them that a lower-case letter follows (`HTTPServer`: `HTTP`,
/// `Server`). Names are made a few hundred thousand times for a big description: done on bytes,
/// this is a tenth of what heck's `char` and formatter machinery took (a twentieth of `generate`).
fn split_words<'a>(run: &'a str, words: &mut Vec<&'a str>) {
    let bytes = run.as_bytes();
    let (mut start, mut last) = (0, LastCase::None);
    for (at, &byte) in bytes.iter().enumerate() {
        let Some(&next) = bytes.get(at + 1) else {
            words.push(&run[start..]);
            break;
        };
        let case = match byte {
            b'a'..=b'z' => LastCase::Lower,
            b'A'..=b'Z' => LastCase::Upper,
            _ => last,
        };
        if case == LastCase::Lower && next.is_ascii_uppercase() {
            words.push(&run[start..=at]);
            (start, last) = (at + 1, LastCase::None);
        } else if last == LastCase::Upper && byte.is_ascii_uppercase() && next.is_ascii_lowercase() {
            words.push(&run[start..at]);
            (start, last) = (at, LastCase::None);
        } else {
            last = case;
        }
    }
}

/// The words of `raw` in `UpperCamelCase`: each capitalized, the rest of it in lower case.
fn upper_camel_case(raw: &str) -> String {
    let mut name = String::with_capacity(raw.len());
    for word in ascii_words(raw) {
        let mut chars = word.chars();
        if let Some(first) = chars.next() {
            name.push(first.to_ascii_uppercase());
            name.extend(chars.map(|c| c.to_ascii_lowercase()));
        }
    }
    name
}

/// The words of `raw` in `snake_case` (`upper` false) or `SHOUTY_SNAKE_CASE` (`upper` true).
fn snake_case(raw: &str, upper: bool) -> String {
    let mut name = String::with_capacity(raw.len() + 4);
    for (index, word) in ascii_words(raw).into_iter().enumerate() {
        if index > 0 {
            name.push('_');
        }
        name.extend(word.chars().map(|c| if upper { c.to_ascii_uppercase() } else { c.to_ascii_lowercase() }));
    }
    name
}

/// `UpperCamelCase` name, to be a type name or part of one; `fallback` when `raw` has no letters
/// or digits.
pub fn camel(raw: &str, fallback: &str) -> String {
    let name = upper_camel_case(raw);
    let name = if name.is_empty() { fallback.to_owned() } else { name };
    if name.starts_with(|c: char| c.is_ascii_digit()) { format!("{fallback}{name}") } else { name }
}

/// An enum variant name for `raw`. `Self` (from `self`, `SELF`, ...) is the one keyword in this
/// case, and it cannot be a raw identifier: it becomes `Self_`.
pub fn variant(raw: &str, fallback: &str) -> String {
    escape_keyword(camel(raw, fallback))
}

/// Whether the generated modules use `name` themselves, so that no type may have it.
pub fn is_reserved_type_name(name: &str) -> bool {
    RESERVED_TYPE_NAMES.contains(&name)
}

/// A type name for `raw`, never a reserved one.
pub fn type_name(raw: &str) -> String {
    let name = camel(raw, "Type");
    if RESERVED_TYPE_NAMES.contains(&name.as_str()) { format!("{name}Model") } else { name }
}

/// A `snake_case` identifier for a field, parameter or method; keywords become raw identifiers.
pub fn snake(raw: &str, fallback: &str) -> String {
    let mut name = snake_case(raw, false);
    if name.is_empty() {
        name = fallback.to_owned();
    }
    if name.starts_with(|c: char| c.is_ascii_digit()) {
        name = format!("{fallback}_{name}");
    }
    escape_keyword(name)
}

/// A `SHOUTY_SNAKE_CASE` constant name.
pub fn shouty(raw: &str, fallback: &str) -> String {
    let name = snake_case(raw, true);
    if name.is_empty() || name.starts_with(|c: char| c.is_ascii_digit()) {
        format!("{fallback}_{name}").trim_end_matches('_').to_owned()
    } else {
        name
    }
}

/// Whether `name` is a Rust keyword or reserved word (raw-able or not).
pub fn is_keyword(name: &str) -> bool {
    NON_RAW_KEYWORDS.contains(&name) || RAW_KEYWORDS.contains(&name)
}

fn escape_keyword(name: String) -> String {
    if NON_RAW_KEYWORDS.contains(&name.as_str()) {
        format!("{name}_")
    } else if RAW_KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

/// Names already taken in one namespace; `claim` hands out the name or a numbered variant of it.
#[derive(Debug, Default, Clone)]
pub struct Namespace {
    taken: BTreeSet<String>,
}

impl Namespace {
    /// A namespace in which `reserved` are already taken.
    pub fn with_reserved<'a>(reserved: impl IntoIterator<Item = &'a str>) -> Self {
        Namespace { taken: reserved.into_iter().map(str::to_owned).collect() }
    }

    /// `name` if it is free, else `name2`, `name3`, ... (raw identifiers keep their `r#`; an
    /// escaped keyword loses its `_`: `self_`, `self_2`).
    pub fn claim(&mut self, name: &str) -> String {
        let bare = name.trim_start_matches("r#");
        if self.taken.insert(bare.to_owned()) {
            return name.to_owned();
        }
        let bare = match bare.trim_end_matches('_') {
            "" => bare,
            trimmed => trimmed,
        };
        let separator = if bare.contains('_') || bare.chars().all(|c| !c.is_uppercase()) { "_" } else { "" };
        (2..)
            .map(|n| format!("{bare}{separator}{n}"))
            .find(|candidate| self.taken.insert(candidate.clone()))
            .unwrap_or_else(|| bare.to_owned())
    }

    /// Whether `name` is taken.
    pub fn contains(&self, name: &str) -> bool {
        self.taken.contains(name.trim_start_matches("r#"))
    }
}

#[cfg(test)]
mod tests {
    use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};

    /// Every string of up to seven characters over letters of both cases, a digit, a space and
    /// a hyphen is split and cased as heck 0.5 does it.
    #[test]
    fn names_are_cased_as_heck_cases_them() {
        let alphabet = ['a', 'B', 'c', 'D', '1', ' ', '-'];
        let mut checked = 0;
        for length in 0..=7u32 {
            for mut index in 0..alphabet.len().pow(length) {
                let mut raw = String::new();
                for _ in 0..length {
                    raw.push(alphabet[index % alphabet.len()]);
                    index /= alphabet.len();
                }
                let words: String = raw.chars().map(|c| if c.is_ascii_alphanumeric() { c } else { ' ' }).collect();
                assert_eq!(super::upper_camel_case(&raw), words.to_upper_camel_case(), "{raw:?}");
                assert_eq!(super::snake_case(&raw, false), words.to_snake_case(), "{raw:?}");
                assert_eq!(super::snake_case(&raw, true), words.to_shouty_snake_case(), "{raw:?}");
                checked += 1;
            }
        }
        assert!(checked > 900_000);
    }
    use super::*;

    #[test]
    fn symbols_digits_and_keywords_become_identifiers() {
        assert_eq!(camel("MM / DD / YYYY", "Value"), "MmDdYyyy");
        assert_eq!(camel("---", "Value"), "Value");
        assert_eq!(camel("3d_model", "Type"), "Type3dModel");
        assert_eq!(type_name("Error"), "ErrorModel");
        // Prelude traits the generated code names bare (nexmo.com's `From`, vtex.local's `from`).
        assert_eq!(type_name("from"), "FromModel");
        assert_eq!(type_name("Into"), "IntoModel");
        assert_eq!(snake("type", "field"), "r#type");
        assert_eq!(snake("self", "field"), "self_");
        assert_eq!(snake("2fa", "field"), "field_2fa");
        assert_eq!(snake("X-RateLimit-Limit", "field"), "x_rate_limit_limit");
        assert_eq!(shouty("app.hellosign.com", "SERVER"), "APP_HELLOSIGN_COM");
    }

    /// Every strict, reserved and weak keyword of Rust 2024.
    const RUST_2024_KEYWORDS: &[&str] = &[
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "pub",
        "ref",
        "return",
        "self",
        "Self",
        "static",
        "struct",
        "super",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
        "abstract",
        "become",
        "box",
        "do",
        "final",
        "gen",
        "macro",
        "override",
        "priv",
        "try",
        "typeof",
        "unsized",
        "virtual",
        "yield",
        "union",
        "macro_rules",
        "raw",
        "safe",
        "_",
    ];

    #[test]
    fn every_keyword_in_every_spelling_becomes_an_identifier() {
        for keyword in RUST_2024_KEYWORDS {
            let capitalized = format!("{}{}", &keyword[..1].to_uppercase(), &keyword[1..]);
            for spelling in [keyword.to_string(), keyword.to_uppercase(), capitalized, format!("_{keyword}_")] {
                for name in [
                    variant(&spelling, "Value"),
                    Namespace::with_reserved(["Self_"]).claim(&variant(&spelling, "Value")),
                    type_name(&spelling),
                    snake(&spelling, "field"),
                    shouty(&spelling, "CONST"),
                    Namespace::with_reserved([snake(&spelling, "field").trim_start_matches("r#")])
                        .claim(&snake(&spelling, "field")),
                ] {
                    assert!(syn::parse_str::<syn::Ident>(&name).is_ok(), "{spelling:?} gave {name:?}");
                }
            }
        }
        assert_eq!(variant("self", "Value"), "Self_");
        assert_eq!(variant("SELF", "Value"), "Self_");
        let mut names = Namespace::default();
        assert_eq!(
            [names.claim("self_"), names.claim("self_"), names.claim("Self_"), names.claim("Self_")],
            ["self_", "self_2", "Self_", "Self2"]
        );
    }

    #[test]
    fn namespace_numbers_collisions() {
        let mut names = Namespace::default();
        assert_eq!(names.claim("Pet"), "Pet");
        assert_eq!(names.claim("Pet"), "Pet2");
        assert_eq!(names.claim("pet_id"), "pet_id");
        assert_eq!(names.claim("pet_id"), "pet_id_2");
        assert_eq!(names.claim("r#type"), "r#type");
        assert_eq!(names.claim("r#type"), "type_2");
    }
}

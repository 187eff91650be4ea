//! `format` to Rust types: date-times, dates and times from the date-time crate the user chose,
//! `uuid::Uuid`, `std::net` addresses, and integers of the declared width. A crate is a
//! dependency of the generated crate only when a type needs it ([`Dependency`]).

use std::collections::BTreeSet;

use serde::Serialize;

use super::TypeRef;

/// Which crate date-time formats (`date-time`, `date`, `time`) come from.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum DateTimeCrate {
    /// `chrono`, which the ecosystem and both Rust anchors (progenitor, OpenAPI Generator) use.
    #[default]
    Chrono,
    /// `jiff`.
    Jiff,
    /// `time`, through the runtime's `Rfc3339` wrapper: `time`'s own serde impls do not write
    /// RFC 3339, and its `serde(with)` adapters serve single fields only.
    Time,
    /// Plain `String`s, as before formats had types.
    String,
}

impl DateTimeCrate {
    /// The crate named on the command line: `chrono`, `jiff`, `time` or `string`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "chrono" => Some(DateTimeCrate::Chrono),
            "jiff" => Some(DateTimeCrate::Jiff),
            "time" => Some(DateTimeCrate::Time),
            "string" => Some(DateTimeCrate::String),
            _ => None,
        }
    }
}

/// What a date-time's offset becomes when it is received (`2024-05-01T10:00:00-14:00`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub enum Offsets {
    /// Normalized to UTC: the value is the instant (`chrono::DateTime<Utc>`, `jiff::Timestamp`),
    /// and is sent back in UTC.
    #[default]
    Utc,
    /// Kept as received and sent back as it came (`chrono::DateTime<FixedOffset>`), for APIs
    /// that give the offset a meaning (a user's local time). `time`'s `OffsetDateTime` always
    /// keeps it; `jiff`'s `Timestamp` cannot.
    Keep,
}

impl Offsets {
    /// The choice named in the settings or on the command line: `utc` or `keep`.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "utc" => Some(Offsets::Utc),
            "keep" => Some(Offsets::Keep),
            _ => None,
        }
    }
}

/// How formats map to types.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormatOptions {
    /// The date-time crate.
    pub date_time: DateTimeCrate,
    /// What a received date-time's offset becomes.
    pub offsets: Offsets,
    /// Formats kept as `String` whatever their type would be (`uuid`, `date`, ...).
    pub as_string: BTreeSet<String>,
}

impl FormatOptions {
    /// Whether the choices go together: `jiff`'s `Timestamp` has no offset to keep.
    pub fn check(&self) -> Result<(), String> {
        if self.offsets == Offsets::Keep && self.date_time == DateTimeCrate::Jiff {
            return Err(
                "jiff's `Timestamp` cannot keep a date-time's offset; keep offsets with chrono or time".to_owned()
            );
        }
        Ok(())
    }
}

/// A crate a format's type comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Dependency {
    /// `chrono`, with serde.
    Chrono,
    /// `jiff`, with serde.
    Jiff,
    /// `time`, which comes with the runtime's `time` feature.
    Time,
    /// `uuid`, with serde.
    Uuid,
}

impl Dependency {
    /// The crate's name, which the generated crate also re-exports it as.
    pub fn crate_name(self) -> &'static str {
        match self {
            Dependency::Chrono => "chrono",
            Dependency::Jiff => "jiff",
            Dependency::Time => "time",
            Dependency::Uuid => "uuid",
        }
    }

    /// Whether it comes through the runtime (re-exported there) rather than as a dependency of
    /// the generated crate.
    pub fn through_runtime(self) -> bool {
        self == Dependency::Time
    }

    /// The line of the generated `Cargo.toml` that brings it, with a comment that says why;
    /// empty for a crate that comes through the runtime.
    pub fn cargo_line(self) -> &'static str {
        match self {
            Dependency::Chrono => {
                "# `date-time`, `date` and `time` formats (RFC 3339 on the wire).\nchrono = { version = \"0.4.38\", default-features = false, features = [\"serde\", \"std\"] }\n"
            }
            Dependency::Jiff => {
                "# `date-time`, `date` and `time` formats (RFC 3339 on the wire).\njiff = { version = \"0.2\", features = [\"serde\"] }\n"
            }
            Dependency::Time => "",
            Dependency::Uuid => "# The `uuid` format.\nuuid = { version = \"1\", features = [\"serde\"] }\n",
        }
    }
}

/// A Rust type from outside the generated crate: a format's type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ExternType {
    /// The type as a Rust path (`chrono::DateTime<chrono::Utc>`, `std::net::Ipv4Addr`, `u64`).
    pub rust: String,
    /// The crate it comes from, when it is not `std`.
    pub dependency: Option<Dependency>,
    /// An integer primitive, so that a numeric `default` can be written as a literal.
    pub integer: bool,
    /// A type the settings put in place of a schema or a field (`rust_decimal::Decimal`): only
    /// what every model needs of its fields is assumed of it (`Debug`, `Clone`, `PartialEq` and
    /// the serde traits), so a model that holds it is `Eq` only when the settings derive it.
    pub replacement: bool,
}

impl ExternType {
    fn std(rust: &str) -> TypeRef {
        TypeRef::Extern(ExternType { rust: rust.to_owned(), dependency: None, integer: false, replacement: false })
    }

    fn integer(rust: &str) -> TypeRef {
        TypeRef::Extern(ExternType { rust: rust.to_owned(), dependency: None, integer: true, replacement: false })
    }

    fn from(dependency: Dependency, rust: &str) -> TypeRef {
        TypeRef::Extern(ExternType {
            rust: rust.to_owned(),
            dependency: Some(dependency),
            integer: false,
            replacement: false,
        })
    }
}

/// The runtime's type of base64 bytes, as generated code and users name it.
pub const BASE64: &str = "crate::Base64";

/// The runtime's RFC 3339 wrapper of `time` values, as generated code and users name it.
pub const RFC3339: &str = "crate::Rfc3339";

/// The type of a `type: string` schema with `format`, when the format has one.
pub fn string_format(format: &str, options: &FormatOptions) -> Option<TypeRef> {
    if options.as_string.contains(format) {
        return None;
    }
    let date_time = |chrono: &str, jiff: &str, time: &str| match options.date_time {
        DateTimeCrate::Chrono => Some(ExternType::from(Dependency::Chrono, chrono)),
        DateTimeCrate::Jiff => Some(ExternType::from(Dependency::Jiff, jiff)),
        DateTimeCrate::Time => Some(ExternType::from(Dependency::Time, &format!("{RFC3339}<crate::time::{time}>"))),
        DateTimeCrate::String => None,
    };
    match format {
        // An instant: what a date-time with any offset denotes (written back in UTC by chrono
        // and jiff; `time` keeps the offset it was given), or with its offset kept.
        "date-time" => match options.offsets {
            Offsets::Utc => date_time("chrono::DateTime<chrono::Utc>", "jiff::Timestamp", "OffsetDateTime"),
            Offsets::Keep => date_time("chrono::DateTime<chrono::FixedOffset>", "jiff::Timestamp", "OffsetDateTime"),
        },
        "date" => date_time("chrono::NaiveDate", "jiff::civil::Date", "Date"),
        "time" => date_time("chrono::NaiveTime", "jiff::civil::Time", "Time"),
        // `duration` stays a string: chrono reads no ISO 8601 durations, jiff's `Span` has no
        // equality (which every model derives) and its `SignedDuration` refuses the calendar
        // units (`P1D`) that RFC 3339 durations allow.
        "uuid" => Some(ExternType::from(Dependency::Uuid, "uuid::Uuid")),
        // The runtime's, re-exported by the generated crate when a type needs it.
        "byte" => Some(ExternType::std(BASE64)),
        "ipv4" => Some(ExternType::std("std::net::Ipv4Addr")),
        "ipv6" => Some(ExternType::std("std::net::Ipv6Addr")),
        _ => None,
    }
}

/// The type of a `type: integer` schema with a `format` other than `int32` and `int64`.
pub fn integer_format(format: &str) -> Option<TypeRef> {
    let rust = match format {
        "int8" => "i8",
        "int16" => "i16",
        "uint8" => "u8",
        "uint16" => "u16",
        "uint32" => "u32",
        "uint64" => "u64",
        _ => return None,
    };
    Some(ExternType::integer(rust))
}

/// The crates the types in `types` need.
pub fn dependencies<'a>(types: impl Iterator<Item = &'a TypeRef>) -> BTreeSet<Dependency> {
    types
        .filter_map(|ty| match ty.innermost() {
            TypeRef::Extern(ExternType { dependency: Some(dependency), .. }) => Some(*dependency),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rust_of(ty: Option<TypeRef>) -> Option<String> {
        ty.map(|ty| match ty {
            TypeRef::Extern(ext) => ext.rust,
            other => format!("{other:?}"),
        })
    }

    #[test]
    fn each_date_time_crate_gives_its_types() {
        let chrono = FormatOptions::default();
        let jiff = FormatOptions { date_time: DateTimeCrate::Jiff, ..FormatOptions::default() };
        let strings = FormatOptions { date_time: DateTimeCrate::String, ..FormatOptions::default() };
        assert_eq!(rust_of(string_format("date-time", &chrono)).as_deref(), Some("chrono::DateTime<chrono::Utc>"));
        assert_eq!(rust_of(string_format("date", &chrono)).as_deref(), Some("chrono::NaiveDate"));
        assert_eq!(rust_of(string_format("duration", &chrono)), None);
        assert_eq!(rust_of(string_format("date-time", &jiff)).as_deref(), Some("jiff::Timestamp"));
        assert_eq!(rust_of(string_format("duration", &jiff)), None);
        assert_eq!(rust_of(string_format("date-time", &strings)), None);
        let time = FormatOptions { date_time: DateTimeCrate::Time, ..FormatOptions::default() };
        assert_eq!(
            rust_of(string_format("date-time", &time)).as_deref(),
            Some("crate::Rfc3339<crate::time::OffsetDateTime>")
        );
        assert_eq!(rust_of(string_format("date", &time)).as_deref(), Some("crate::Rfc3339<crate::time::Date>"));
        // Formats that are not dates do not depend on the date-time crate.
        assert_eq!(rust_of(string_format("uuid", &strings)).as_deref(), Some("uuid::Uuid"));
        assert_eq!(rust_of(string_format("ipv6", &jiff)).as_deref(), Some("std::net::Ipv6Addr"));
        assert_eq!(rust_of(string_format("email", &chrono)), None);
        assert_eq!(rust_of(string_format("byte", &strings)).as_deref(), Some("crate::Base64"));
    }

    #[test]
    fn received_offsets_are_kept_when_asked() {
        let keep = FormatOptions { offsets: Offsets::Keep, ..FormatOptions::default() };
        assert_eq!(
            rust_of(string_format("date-time", &keep)).as_deref(),
            Some("chrono::DateTime<chrono::FixedOffset>")
        );
        assert_eq!(rust_of(string_format("date", &keep)).as_deref(), Some("chrono::NaiveDate"));
    }

    #[test]
    fn a_format_can_be_kept_as_a_string() {
        let options = FormatOptions { as_string: BTreeSet::from(["uuid".to_owned()]), ..FormatOptions::default() };
        assert_eq!(rust_of(string_format("uuid", &options)), None);
        assert!(string_format("date-time", &options).is_some());
    }

    #[test]
    fn integers_keep_their_declared_width() {
        assert_eq!(rust_of(integer_format("uint64")).as_deref(), Some("u64"));
        assert_eq!(rust_of(integer_format("int8")).as_deref(), Some("i8"));
        assert_eq!(rust_of(integer_format("int128")), None);
    }
}

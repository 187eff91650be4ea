//! Decoding support for the generated object types. Their `Deserialize` impls are written out by
//! the generator as one loop over the keys, with these helpers, rather than derived: a derive
//! also makes a field enum and a sequence visitor for every type, which JSON never uses.

use std::borrow::Cow;
use std::cell::Cell;
use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::{Deserialize, Deserializer, Error, IgnoredAny, MapAccess, Visitor};

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

/// An object that decodes in one pass over the keys of a map: what
/// [`object_serde!`](crate::object_serde) implements for a `Deserialize` object, which
/// [`deserialize`] then decodes through one visitor shared by every object. A visitor of its own
/// per object was three function bodies an object to check (`deserialize`, `expecting`,
/// `visit_map`) instead of two, 2% of the instructions of the official Dropbox Sign client's
/// build.
pub trait FromMap<'de>: Sized {
    /// What a value of another shape was expected to be (``a `Pet` object``), for errors.
    const EXPECTING: &'static str;

    /// Decodes the object from the keys and values of `access`.
    fn from_map<A: MapAccess<'de>>(access: A) -> Result<Self, A::Error>;
}

/// Decodes an object through [`FromMap`]: the body of its `Deserialize::deserialize`.
#[inline]
pub fn deserialize<'de, D: Deserializer<'de>, T: FromMap<'de>>(deserializer: D) -> Result<T, D::Error> {
    deserializer.deserialize_map(ObjectVisitor(PhantomData))
}

/// The visitor of every object: a map, decoded by the object's [`FromMap`].
struct ObjectVisitor<T>(PhantomData<fn() -> T>);

impl<'de, T: FromMap<'de>> Visitor<'de> for ObjectVisitor<T> {
    type Value = T;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str(T::EXPECTING)
    }

    #[inline]
    fn visit_map<A: MapAccess<'de>>(self, access: A) -> Result<T, A::Error> {
        T::from_map(access)
    }
}

/// The next key of an object, or `None` after the last.
#[inline]
pub fn next_key<'de, A: MapAccess<'de>>(access: &mut A) -> Result<Option<Key<'de>>, A::Error> {
    access.next_key()
}

/// Reads past the value of a key the object does not know.
#[inline]
pub fn skip<'de, A: MapAccess<'de>>(access: &mut A) -> Result<(), A::Error> {
    access.next_value::<IgnoredAny>().map(drop)
}

/// Reads the value of a key the object does not list into its additional properties.
#[inline]
pub fn additional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
    access: &mut A,
    properties: &mut BTreeMap<String, T>,
    key: Key<'de>,
) -> Result<(), A::Error> {
    let value = access.next_value()?;
    properties.insert(key.into_string(), value);
    Ok(())
}

/// Reads a present key's value into the slot of its field, by the kind of the field (see
/// [`object_serde!`](crate::object_serde)). A repeated key is an error, as with serde's derive,
/// except after a `null` for an optional field, whose slot is then still empty.
#[allow(non_camel_case_types)]
pub mod read {
    use serde::de::{Deserialize, Error, MapAccess};

    pub use self::optional as read_only;
    pub use self::optional as required_nullable;
    pub use self::required as nullable;
    pub use self::required as read_only_nullable;

    /// A `required` field, or a nullable one: the value, `Some`, in a slot that absent leaves
    /// `None` (for a nullable field's `Option<Option<T>>`, `null` is `Some(None)`).
    #[inline]
    pub fn required<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        access: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        vacant::<_, A::Error>(slot, name)?;
        *slot = Some(access.next_value()?);
        Ok(())
    }

    /// An `optional` field (or `read_only`, or `required_nullable`, which absent leaves `None`
    /// too): the field's own `Option<T>` is the slot, `null` and absent both `None`.
    #[inline]
    pub fn optional<'de, A: MapAccess<'de>, T: Deserialize<'de>>(
        access: &mut A,
        slot: &mut Option<T>,
        name: &'static str,
    ) -> Result<(), A::Error> {
        vacant::<_, A::Error>(slot, name)?;
        *slot = access.next_value()?;
        Ok(())
    }

    /// A slot already filled means the key came twice.
    #[inline]
    fn vacant<T, E: Error>(slot: &Option<T>, name: &'static str) -> Result<(), E> {
        match slot {
            Some(_) => Err(E::duplicate_field(name)),
            None => Ok(()),
        }
    }
}

/// What a field's value is decoded into, by the kind of its field, for a field of type `T`:
/// `Option<T>` for a `required` field, which is missing while it is `None`; the field's own type
/// for every other kind, so that the slot is the value with nothing to unwrap (an `Option<T>`
/// to flatten for each optional field was 1.7% of the official Dropbox Sign client's build).
/// Type aliases, not a macro: a macro call per field of every generated type was a measurable
/// part of the crate's macro expansion.
#[allow(non_camel_case_types)]
pub mod slot {
    /// The slot of a `required` field.
    pub type required<T> = Option<T>;
    /// The slot of a `required_nullable` field: its type.
    pub type required_nullable<T> = T;
    /// The slot of an `optional` field: its type.
    pub type optional<T> = T;
    /// The slot of a `read_only` field: its type.
    pub type read_only<T> = T;
    /// The slot of a `nullable` field: its type.
    pub type nullable<T> = T;
    /// The slot of a `read_only_nullable` field: its type.
    pub type read_only_nullable<T> = T;
}

/// Writes a field into the map of its object, by the kind of the field (see
/// [`object_serde!`](crate::object_serde)): a value always, or an optional field only when it is
/// there. Functions named by the kind, not a macro, for the same reason as [`slot`].
pub mod entry {
    use std::collections::BTreeMap;

    use serde::ser::SerializeMap;
    use serde::{Serialize, Serializer};

    // A nullable field's `None` is `null` when it is written at all: written as its non-nullable
    // kind is, `Option<T>` serializes it.
    pub use self::optional as nullable;
    pub use self::read_only as read_only_nullable;
    pub use self::required as required_nullable;

    /// The map of an object being written, and the first error writing it met. The fields are
    /// written one after another without a `?` each: every `?` is a trait-resolved conversion
    /// that type and borrow checking pay for, and a `?` per field was 8% of the instructions
    /// of the official Dropbox Sign client's build. After an error the remaining fields are
    /// skipped, and [`end`](Self::end) returns it.
    pub struct Entries<M: SerializeMap> {
        /// The map, until writing it fails; then the error.
        map: Result<M, M::Error>,
    }

    /// Begins the map of an object. A serializer that cannot begin one is an error that
    /// [`Entries::end`] returns, so that the object's code has no `?` at all.
    #[inline]
    pub fn begin<S: Serializer>(serializer: S) -> Entries<S::SerializeMap> {
        Entries { map: serializer.serialize_map(None) }
    }

    impl<M: SerializeMap> Entries<M> {
        /// Writes one entry, unless an earlier one failed.
        #[inline]
        pub fn entry<K: Serialize + ?Sized, V: Serialize + ?Sized>(&mut self, key: &K, value: &V) {
            if let Ok(map) = &mut self.map
                && let Err(error) = map.serialize_entry(key, value)
            {
                self.map = Err(error);
            }
        }

        /// Ends the map, or returns the first error met writing it.
        #[inline]
        pub fn end(self) -> Result<M::Ok, M::Error> {
            match self.map {
                Ok(map) => map.end(),
                Err(error) => Err(error),
            }
        }
    }

    /// The additional properties of an object, after its fields.
    #[inline]
    pub fn additional<M: SerializeMap, T: Serialize>(map: &mut Entries<M>, properties: &BTreeMap<String, T>) {
        for (key, value) in properties {
            map.entry(key, value);
        }
    }

    /// A `required` field: always written.
    #[inline]
    pub fn required<M: SerializeMap, T: Serialize>(map: &mut Entries<M>, wire: &'static str, value: &T) {
        map.entry(wire, value);
    }

    /// An `optional` field: written when it is there.
    #[inline]
    pub fn optional<M: SerializeMap, T: Serialize>(map: &mut Entries<M>, wire: &'static str, value: &Option<T>) {
        if let Some(value) = value {
            map.entry(wire, value);
        }
    }

    /// A `read_only` field: written when it is there, except into a request being sent.
    #[inline]
    pub fn read_only<M: SerializeMap, T: Serialize>(map: &mut Entries<M>, wire: &'static str, value: &Option<T>) {
        if !super::is_sending() {
            optional(map, wire, value);
        }
    }
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

/// A generated object type: its declaration, its constructor, and its `Serialize` and
/// `Deserialize` impls, each implemented always or only under a `cfg` predicate (`impl
/// Deserialize if feature = "deserialize";`). One list of fields gives all four, so that a field
/// is written once, not again in a constructor and in a serde table (GitHub's client was 312k
/// lines, a quarter of them field names written again).
///
/// ```text
/// /// Docs and attributes of the struct.
/// #[derive(Debug, Clone, PartialEq)]
/// pub struct Pet {
///     /// Docs and attributes of the field.
///     "wire name" kind => pub field: Type,
///     "wire name" required => pub field: Type = preset,
/// }
/// additional additional_properties: BTreeMap<String, serde_json::Value>;
/// /// Docs and attributes of `new`.
/// fn new(name: impl Into<String>, kind: PetKind) {
///     let name = name.into();
/// }
/// /// Docs and attributes of the struct of the required fields, when `new` takes one.
/// pub struct PetRequired { /* the required fields, as plain fields */ }
/// impl Serialize;
/// impl Deserialize if feature = "deserialize";
/// impl Eq;
/// ```
///
/// `impl Eq;` (for a type whose fields are all `Eq`) implements `Eq` without the derive's check
/// of every field's type, a function per type that every build paid for; the crate's own tests
/// (`cfg(test)`) make that check instead.
///
/// A field's kind is `required` (`T`), `required_nullable` (`Option<T>`, `null` when `None`),
/// `optional` (`Option<T>`) or `nullable` (`Option<Option<T>>`: absent, `null` or a value);
/// `read_only` and `read_only_nullable` are `optional` and `nullable` fields that a request never
/// carries (`readOnly`). The type is the field's whole type.
///
/// `new` takes the required fields without a preset, after the statements of its body (which
/// convert those taken as `impl Into<String>`), or else the struct of them (`fn new(required:
/// PetRequired);`, with `From<PetRequired>` too); it sets a required field with a preset to it,
/// and every other field to `None`. A type whose `new` takes nothing is also `Default`. Only
/// what is taken as `impl Into` is converted: an `Into::into` of every field, most of them
/// conversions of a type to itself, was 2% more instructions for `cargo check` of GitHub's
/// crates.
///
/// Serializing writes a map of the fields in order, absent optional fields left out, then the
/// additional properties. Deserializing is one pass over the keys: unknown keys are ignored (or
/// kept in the additional properties), and a repeated key or a missing required field is an error
/// that names it.
///
/// The code is written for the compiler's front end, which is most of the cost of a big
/// generated crate. The expansion has no `?` at all: every `?` is a trait-resolved conversion
/// that type and borrow checking pay for again (one `?` per field made `cargo check` of GitHub's
/// crate 84 s instead of 65 s). In decoding, each arm of the key `match` yields a `Result` that
/// one `if let Err` returns, and a missing required field returns through a `match`; in
/// encoding, the fields go through [`entry::Entries`], which keeps the first error. Reading a
/// key and skipping a value are runtime functions ([`next_key`], [`skip`]), not method calls on
/// the generic `MapAccess` in place: with the `?`s of the loop they were 3% of the official
/// Dropbox Sign client's build. The visitor is one for every object ([`FromMap`]). What depends
/// on a field's kind is a path named by the kind where it can be ([`slot`], [`read`],
/// [`entry`]), and a macro rule only where it must be code in place (a `return`, a constructor's
/// argument): each macro call is work for the expander, and there are several per field.
///
/// The generic parameters have names that start with `__`, which no generated type has: a schema
/// named `A`, `D` or `S` would otherwise be taken for them inside the expansion (macro hygiene
/// covers local variables, not types).
#[doc(hidden)]
#[macro_export]
macro_rules! object_serde {
    (
        $( #$attr:tt )*
        pub struct $name:ident {
            $( $( #$field_attr:tt )* $wire:literal $kind:ident => pub $field:ident : $ty:ty $( = $preset:expr )? ),* $(,)?
        }
        $( additional $extra:ident : $extra_ty:ty; )?
        $( #$new_attr:tt )*
        fn new $parameters:tt $body:tt
        $(
            $( #$required_attr:tt )*
            pub struct $required:ident {
                $( $( #$required_field_attr:tt )* pub $required_field:ident : $required_ty:ty ),* $(,)?
            }
        )?
        impl Serialize $( if $serialize:meta )?;
        impl Deserialize $( if $deserialize:meta )?;
        $( impl $eq:ident; )?
    ) => {
        $( #$attr )*
        pub struct $name {
            $( $( #$field_attr )* pub $field: $ty, )*
            $(
                /// Properties not listed above.
                pub $extra: $extra_ty,
            )?
        }

        $(
            $( #$required_attr )*
            pub struct $required {
                $( $( #$required_field_attr )* pub $required_field: $required_ty, )*
            }
        )?

        $crate::object_serde!(@eq $name [$( $eq )?] { $( $ty, )* $( $extra_ty, )? });

        $crate::object_serde!(@new $name [$( #$new_attr )*] $parameters $body [$( $required { $( $required_field )* } )?] {
            $( $field $kind $( = $preset )?, )* $( $extra additional, )?
        });

        $( #[cfg($serialize)] )?
        #[allow(deprecated)]
        impl serde::Serialize for $name {
            fn serialize<__S: serde::Serializer>(&self, serializer: __S) -> Result<__S::Ok, __S::Error> {
                let mut map = $crate::object::entry::begin(serializer);
                // Borrowed once, as in decoding. A type without fields or additional properties
                // writes only the empty map.
                #[allow(unused_variables)]
                let entries = &mut map;
                $( $crate::object::entry::$kind(entries, $wire, &self.$field); )*
                $( $crate::object::entry::additional(entries, &self.$extra); )?
                map.end()
            }
        }

        $( #[cfg($deserialize)] )?
        impl<'de> $crate::object::FromMap<'de> for $name {
            const EXPECTING: &'static str = concat!("a `", stringify!($name), "` object");

            // `if let Err(error) = ... { return Err(error) }`, not `?`: see above.
            #[allow(deprecated, clippy::question_mark)]
            fn from_map<__A: serde::de::MapAccess<'de>>(mut access: __A) -> Result<$name, __A::Error> {
                // Borrowed once: a borrow per use was a temporary more per field to check.
                let access = &mut access;
                $( let mut $field: $crate::object::slot::$kind<$ty> = None; )*
                $( let mut $extra = std::collections::BTreeMap::new(); )?
                loop {
                    let key = match $crate::object::next_key(access) {
                        Ok(Some(key)) => key,
                        Ok(None) => break,
                        Err(error) => return Err(error),
                    };
                    if let Err(error) = match key.as_str() {
                        $( $wire => $crate::object::read::$kind(access, &mut $field, $wire), )*
                        _ => $crate::object_serde!(@unknown access key $( $extra )?),
                    } {
                        return Err(error);
                    }
                }
                Ok($name {
                    $( $field: $crate::object_serde!(@value $kind $field $wire), )*
                    $( $extra, )?
                })
            }
        }

        $( #[cfg($deserialize)] )?
        impl<'de> serde::Deserialize<'de> for $name {
            #[inline]
            fn deserialize<__D: serde::Deserializer<'de>>(deserializer: __D) -> Result<Self, __D::Error> {
                $crate::object::deserialize(deserializer)
            }
        }
    };
    // `new` taking nothing, and `Default`.
    (@new $name:ident [$( $attr:tt )*] () ; [] { $( $field:ident $kind:ident $( = $preset:expr )?, )* }) => {
        impl $name {
            $( $attr )*
            #[inline]
            pub fn new() -> Self {
                Self { $( $field: $crate::object_serde!(@init $kind $field $( = $preset )?), )* }
            }
        }

        impl Default for $name {
            #[inline]
            fn default() -> Self {
                Self::new()
            }
        }
    };
    // `new` taking the required fields, each as it is.
    (@new $name:ident [$( $attr:tt )*] $parameters:tt ; [] { $( $field:ident $kind:ident $( = $preset:expr )?, )* }) => {
        impl $name {
            $( $attr )*
            #[inline]
            pub fn new $parameters -> Self {
                Self { $( $field: $crate::object_serde!(@init $kind $field $( = $preset )?), )* }
            }
        }
    };
    // `new` taking the required fields, some of them converted first (`let name = name.into();`).
    (
        @new $name:ident [$( $attr:tt )*] $parameters:tt { $( let $variable:ident = $value:expr; )* } []
        { $( $field:ident $kind:ident $( = $preset:expr )?, )* }
    ) => {
        impl $name {
            $( $attr )*
            #[inline]
            pub fn new $parameters -> Self {
                $( let $variable = $value; )*
                Self { $( $field: $crate::object_serde!(@init $kind $field $( = $preset )?), )* }
            }
        }
    };
    // `new` taking the struct of the required fields, and `From` it.
    (
        @new $name:ident [$( $attr:tt )*] (required: $parameter:ident) ;
        [$required:ident { $( $required_field:ident )* }]
        { $( $field:ident $kind:ident $( = $preset:expr )?, )* }
    ) => {
        impl $name {
            $( $attr )*
            #[inline]
            pub fn new(required: $required) -> Self {
                let $required { $( $required_field, )* } = required;
                Self { $( $field: $crate::object_serde!(@init $kind $field $( = $preset )?), )* }
            }
        }

        impl From<$required> for $name {
            #[inline]
            fn from(required: $required) -> Self {
                Self::new(required)
            }
        }
    };
    // `Eq`, for a type whose fields' types are all `Eq`, which the crate's own tests check (what
    // the derive checks in every build).
    (@eq $name:ident [] { $( $ty:ty, )* }) => {};
    (@eq $name:ident [Eq] { $( $ty:ty, )* }) => {
        impl Eq for $name {}

        #[cfg(test)]
        const _: () = {
            fn is_eq<__T: Eq + ?Sized>() {}
            #[allow(dead_code)]
            fn every_field_is_eq() {
                $( is_eq::<$ty>(); )*
            }
        };
    };
    (@init $kind:ident $field:ident = $preset:expr) => { $preset };
    (@init required $field:ident) => { $field };
    (@init additional $field:ident) => { ::std::collections::BTreeMap::new() };
    (@init $kind:ident $field:ident) => { None };
    // A missing required field is an error that names it.
    (@value required $slot:ident $wire:literal) => {
        match $slot {
            Some(value) => value,
            None => return Err(<__A::Error as serde::de::Error>::missing_field($wire)),
        }
    };
    // Every other kind's slot is its value.
    (@value $kind:ident $slot:ident $wire:literal) => { $slot };
    (@unknown $access:ident $key:ident) => {
        $crate::object::skip($access)
    };
    (@unknown $access:ident $key:ident $extra:ident) => {
        $crate::object::additional($access, &mut $extra, $key)
    };
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    crate::object_serde! {
        /// Every kind of field, a preset, a deprecated field and additional properties.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Pet {
            /// Required.
            "name" required => pub name: String,
            /// Required, not a `String`.
            "legs" required => pub legs: u8,
            /// Required, with a preset.
            "size" required => pub size: String = "small".to_owned(),
            /// Required, `null` allowed.
            "owner" required_nullable => pub owner: Option<String>,
            /// Optional.
            #[deprecated]
            "tag" optional => pub tag: Option<String>,
            /// Absent, `null` or a value.
            "note" nullable => pub note: Option<Option<String>>,
            /// Never sent.
            "id" read_only => pub id: Option<u64>,
        }
        additional additional_properties: BTreeMap<String, serde_json::Value>;
        /// A pet from its required fields.
        #[allow(deprecated)]
        fn new(name: impl Into<String>, legs: u8) {
            let name = name.into();
        }
        impl Serialize;
        impl Deserialize;
    }

    crate::object_serde! {
        /// Nothing required.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Filter {
            /// Optional.
            "q" optional => pub q: Option<String>,
        }
        additional additional_properties: BTreeMap<String, Vec<u8>>;
        /// An empty filter.
        fn new();
        impl Serialize;
        impl Deserialize;
        impl Eq;
    }

    /// `Filter` is `Eq` (and so a key of a set that needs it).
    fn needs_eq<T: Eq>(_: &T) -> bool {
        true
    }

    crate::object_serde! {
        /// Required fields taken by name.
        #[derive(Debug, Clone, PartialEq)]
        pub struct Move {
            /// From.
            "from" required => pub from: String,
            /// To.
            "to" required => pub to: String,
            /// Why.
            "why" optional => pub why: Option<String>,
        }
        /// A move from its required fields.
        fn new(required: MoveRequired);
        /// The required fields of a move.
        #[derive(Debug, Clone)]
        pub struct MoveRequired {
            /// From.
            pub from: String,
            /// To.
            pub to: String,
        }
        impl Serialize;
        impl Deserialize;
    }

    /// A value that cannot be serialized.
    #[derive(Debug)]
    pub struct Unwritable;

    impl serde::Serialize for Unwritable {
        fn serialize<S: serde::Serializer>(&self, _: S) -> Result<S::Ok, S::Error> {
            Err(serde::ser::Error::custom("cannot be written"))
        }
    }

    crate::object_serde! {
        /// A field that fails between two that do not.
        #[derive(Debug)]
        pub struct Report {
            /// Written.
            "before" required => pub before: u8,
            /// Fails.
            "bad" required => pub bad: Unwritable,
            /// Never reached.
            "after" required => pub after: u8,
        }
        /// A report.
        fn new(before: u8, bad: Unwritable, after: u8);
        impl Serialize;
        impl Deserialize if any();
    }

    #[test]
    fn a_field_that_fails_to_encode_is_the_error_and_ends_the_object() {
        let mut written = Vec::new();
        let error = serde_json::to_writer(&mut written, &Report::new(1, Unwritable, 2)).unwrap_err();
        assert!(error.to_string().contains("cannot be written"), "{error}");
        assert_eq!(String::from_utf8(written).expect("UTF-8"), r#"{"before":1,"bad":"#);
    }

    /// Writes its object as the key of a map, where JSON allows only strings: the serializer
    /// refuses to begin the object's map.
    struct AsKey<'a, T>(&'a T);

    impl<T: serde::Serialize> serde::Serialize for AsKey<'_, T> {
        fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
            use serde::ser::SerializeMap;
            let mut map = serializer.serialize_map(Some(1))?;
            map.serialize_entry(self.0, &1)?;
            map.end()
        }
    }

    #[test]
    fn a_serializer_that_cannot_begin_the_map_is_the_error() {
        let mut written = Vec::new();
        let error = serde_json::to_writer(&mut written, &AsKey(&Report::new(1, Unwritable, 2))).unwrap_err();
        assert!(error.to_string().contains("key must be a string"), "{error}");
        assert_eq!(String::from_utf8(written).expect("UTF-8"), "{");
    }

    #[test]
    #[allow(deprecated)]
    fn new_takes_the_required_fields_and_sets_the_others() {
        let pet = Pet::new("Rex", 4);
        assert_eq!((pet.name.as_str(), pet.legs, pet.size.as_str()), ("Rex", 4, "small"));
        assert_eq!((pet.owner, pet.tag, pet.note, pet.id), (None, None, None, None));
        assert!(pet.additional_properties.is_empty());
        assert_eq!(Filter::default(), Filter::new());
        assert!(needs_eq(&Filter::new()));
        assert_eq!(Filter::new().q, None);
        let by_name = Move::new(MoveRequired { from: "a".into(), to: "b".into() });
        assert_eq!((by_name.from.as_str(), by_name.to.as_str(), by_name.why), ("a", "b", None));
        assert_eq!(Move::from(MoveRequired { from: "a".into(), to: "b".into() }).to, "b");
    }

    #[test]
    fn each_kind_decodes_and_encodes_as_it_says() {
        let json = r#"{"name":"Rex","legs":4,"size":"large","owner":null,"note":null,"id":7,"x":1}"#;
        let pet: Pet = serde_json::from_str(json).expect("a pet");
        assert_eq!(pet.owner, None);
        assert_eq!(pet.note, Some(None), "a nullable field's `null` is kept apart from absent");
        assert_eq!(pet.id, Some(7));
        assert_eq!(pet.additional_properties["x"], 1);
        let back = serde_json::to_value(&pet).expect("encodes");
        assert_eq!(
            back,
            serde_json::json!({"name":"Rex","legs":4,"size":"large","owner":null,"note":null,"id":7,"x":1})
        );
        let absent: Pet = serde_json::from_str(r#"{"name":"Rex","legs":4,"size":"s"}"#).expect("a pet");
        assert_eq!(absent.note, None);
        let missing = serde_json::from_str::<Pet>(r#"{"name":"Rex","size":"s"}"#).unwrap_err();
        assert!(missing.to_string().contains("missing field `legs`"), "{missing}");
    }

    #[test]
    fn a_repeated_key_is_an_error_unless_it_follows_an_optional_fields_null() {
        let pet = r#"{"name":"Rex","legs":4,"size":"s""#;
        for (repeated, field) in
            [(r#""legs":5"#, "legs"), (r#""tag":"a","tag":"b""#, "tag"), (r#""note":null,"note":"a""#, "note")]
        {
            let error = serde_json::from_str::<Pet>(&format!("{pet},{repeated}}}")).unwrap_err();
            assert!(error.to_string().contains(&format!("duplicate field `{field}`")), "{error}");
        }
        let retagged: Pet = serde_json::from_str(&format!(r#"{pet},"tag":null,"tag":"b"}}"#)).expect("a pet");
        #[allow(deprecated)]
        let tag = retagged.tag;
        assert_eq!(tag.as_deref(), Some("b"));
        let untagged: Pet = serde_json::from_str(&format!(r#"{pet},"tag":null}}"#)).expect("a pet");
        #[allow(deprecated)]
        let tag = untagged.tag;
        assert_eq!(tag, None);
    }

    #[test]
    fn a_value_of_another_shape_names_the_object_expected() {
        let error = serde_json::from_str::<Pet>(r#""Rex""#).unwrap_err();
        assert!(error.to_string().contains("expected a `Pet` object"), "{error}");
        let error = serde_json::from_str::<Vec<Filter>>("[1]").unwrap_err();
        assert!(error.to_string().contains("expected a `Filter` object"), "{error}");
    }
}

//! Serde support for fields that are optional *and* nullable (`Option<Option<T>>`): absent is
//! `None`, `null` is `Some(None)`, a value is `Some(Some(value))`.

use serde::{Deserialize, Deserializer};

/// Deserializes a present field, `null` included, as `Some(..)`; serde's `default` handles absence.
pub fn deserialize<'de, T, D>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    T: Deserialize<'de>,
    D: Deserializer<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}

//! Credentials and tokens: never printed, zeroed when dropped.

use std::fmt;

use secrecy::ExposeSecret;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A string that is a secret: an API key, a client secret, an access or refresh token.
///
/// `Debug` prints `[REDACTED]`, the memory is zeroed on drop (by `secrecy`), and the value is
/// only read through [`SecretString::expose_secret`]. It serializes as the plain string, because
/// it must go over the wire.
#[derive(Clone)]
pub struct SecretString(secrecy::SecretString);

impl SecretString {
    /// Wraps `value`.
    pub fn new(value: impl Into<String>) -> Self {
        SecretString(secrecy::SecretString::from(value.into()))
    }

    /// The secret itself. Keep it out of logs.
    pub fn expose_secret(&self) -> &str {
        self.0.expose_secret()
    }
}

impl Default for SecretString {
    fn default() -> Self {
        SecretString::new(String::new())
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl PartialEq for SecretString {
    /// Compares in time that depends only on the lengths, not on where the values differ.
    fn eq(&self, other: &Self) -> bool {
        constant_time_eq(self.expose_secret().as_bytes(), other.expose_secret().as_bytes())
    }
}

/// Whether `left` and `right` are equal, looking at every byte whatever the earlier ones were,
/// so that the time taken does not tell an attacker how much of a guess was right. (`==` on
/// slices stops at the first difference.)
#[inline(never)]
pub(crate) fn constant_time_eq(left: &[u8], right: &[u8]) -> bool {
    if left.len() != right.len() {
        return false;
    }
    let difference = left.iter().zip(right).fold(0u8, |acc, (a, b)| acc | (a ^ b));
    // Keeps the optimizer from turning the fold back into an early exit.
    std::hint::black_box(difference) == 0
}

impl Eq for SecretString {}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        SecretString::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        SecretString::new(value)
    }
}

impl Serialize for SecretString {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.expose_secret())
    }
}

impl<'de> Deserialize<'de> for SecretString {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(SecretString::new)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn constant_time_eq_is_equality() {
        assert!(constant_time_eq(b"", b""));
        assert!(constant_time_eq(b"state-1234", b"state-1234"));
        assert!(!constant_time_eq(b"state-1234", b"state-1235"), "last byte differs");
        assert!(!constant_time_eq(b"xtate-1234", b"state-1234"), "first byte differs");
        assert!(!constant_time_eq(b"state", b"state-1234"), "prefix");
        assert!(!constant_time_eq(&[0x80], &[0x00]), "high bit");
        assert_eq!(SecretString::new("a"), SecretString::new("a"));
        assert_ne!(SecretString::new("a"), SecretString::new("b"));
    }
}

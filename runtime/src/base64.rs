//! Bytes that travel as base64 text: the `byte` format.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// Binary data that a JSON body carries as base64 (`format: byte`): the bytes themselves in
/// Rust, standard base64 with padding on the wire. Decoding also takes the URL-safe alphabet and
/// missing padding, which some servers send.
#[derive(Clone, Default, PartialEq, Eq, Hash)]
pub struct Base64(pub Vec<u8>);

impl Base64 {
    /// The bytes.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }

    /// The bytes, taken out.
    pub fn into_bytes(self) -> Vec<u8> {
        self.0
    }

    /// The base64 text of the bytes.
    pub fn encode(&self) -> String {
        const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut text = String::with_capacity(self.0.len().div_ceil(3) * 4);
        for chunk in self.0.chunks(3) {
            let bytes = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
            let group = u32::from(bytes[0]) << 16 | u32::from(bytes[1]) << 8 | u32::from(bytes[2]);
            for index in 0..4 {
                if index <= chunk.len() {
                    text.push(char::from(ALPHABET[(group >> (18 - 6 * index) & 0x3f) as usize]));
                } else {
                    text.push('=');
                }
            }
        }
        text
    }

    /// The bytes of base64 `text`, or why it is not base64.
    pub fn decode(text: &str) -> Result<Self, String> {
        let sextet = |c: u8| match c {
            b'A'..=b'Z' => Some(c - b'A'),
            b'a'..=b'z' => Some(c - b'a' + 26),
            b'0'..=b'9' => Some(c - b'0' + 52),
            b'+' | b'-' => Some(62),
            b'/' | b'_' => Some(63),
            _ => None,
        };
        let data = text.trim_end_matches('=').as_bytes();
        if data.len() % 4 == 1 {
            return Err(format!("{} base64 characters cannot make whole bytes", data.len()));
        }
        let mut bytes = Vec::with_capacity(data.len() * 3 / 4);
        for chunk in data.chunks(4) {
            let mut group = 0u32;
            for (index, &c) in chunk.iter().enumerate() {
                let value = sextet(c).ok_or_else(|| format!("{:?} is not a base64 character", char::from(c)))?;
                group |= u32::from(value) << (18 - 6 * index);
            }
            let whole = chunk.len() - 1;
            bytes.extend_from_slice(&group.to_be_bytes()[1..=whole]);
        }
        Ok(Base64(bytes))
    }
}

impl From<Vec<u8>> for Base64 {
    fn from(bytes: Vec<u8>) -> Self {
        Base64(bytes)
    }
}

impl From<&[u8]> for Base64 {
    fn from(bytes: &[u8]) -> Self {
        Base64(bytes.to_vec())
    }
}

/// The length only: the bytes may be large, and are often files.
impl fmt::Debug for Base64 {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Base64({} bytes)", self.0.len())
    }
}

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.encode())
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = <std::borrow::Cow<'de, str>>::deserialize(deserializer)?;
        Base64::decode(&text).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::Base64;

    #[test]
    fn bytes_round_trip_through_standard_base64() {
        for (bytes, text) in [
            (&b""[..], ""),
            (b"f", "Zg=="),
            (b"fo", "Zm8="),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg=="),
            (b"fooba", "Zm9vYmE="),
            (b"foobar", "Zm9vYmFy"),
            (&[0xfb, 0xff], "+/8="),
        ] {
            assert_eq!(Base64::from(bytes).encode(), text);
            assert_eq!(Base64::decode(text).unwrap().as_bytes(), bytes, "{text}");
        }
    }

    #[test]
    fn decoding_takes_url_safe_text_and_missing_padding_and_refuses_the_rest() {
        assert_eq!(Base64::decode("-_8").unwrap().as_bytes(), &[0xfb, 0xff]);
        assert_eq!(Base64::decode("Zm9vYg").unwrap().as_bytes(), b"foob");
        assert!(Base64::decode("Zm9!").unwrap_err().contains("'!'"));
        assert!(Base64::decode("Z").is_err());
        let json: Base64 = serde_json::from_str("\"Zm9v\"").unwrap();
        assert_eq!(serde_json::to_string(&json).unwrap(), "\"Zm9v\"");
        assert_eq!(format!("{json:?}"), "Base64(3 bytes)");
    }
}

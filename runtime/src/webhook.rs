//! Checking that an event callback comes from the API: an HMAC-SHA256 of some of the payload's
//! fields, keyed by a secret you share with the API, compared in constant time.

use std::fmt;

use hmac::{Hmac, Mac};
use serde::de::DeserializeOwned;
use serde_json::Value;
use sha2::Sha256;

use super::secret::SecretString;

/// How an API signs its callbacks (the document's `x-webhook-signature`).
#[doc(hidden)]
pub struct SignatureScheme {
    /// JSON pointers of the fields whose text, concatenated, is signed.
    pub message: &'static [&'static str],
    /// JSON pointer of the field that holds the signature.
    pub signature: &'static str,
    /// How the signature is written.
    pub encoding: SignatureEncoding,
}

/// How a signature is written in the payload.
#[derive(Clone, Copy)]
#[doc(hidden)]
pub enum SignatureEncoding {
    /// Lower- or upper-case hexadecimal.
    Hex,
    /// Standard base64.
    Base64,
}

/// Why an event callback is rejected.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The payload is not JSON.
    NotJson(serde_json::Error),
    /// A field the signature covers, or the signature itself, is missing or not text.
    MissingField(&'static str),
    /// The signature does not match: the callback is forged, altered, or signed with another key.
    BadSignature,
    /// The signature is valid but the payload does not have the documented shape.
    Decode(serde_json::Error),
}

impl fmt::Display for WebhookError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WebhookError::NotJson(err) => write!(f, "the event callback is not JSON: {err}"),
            WebhookError::MissingField(pointer) => write!(f, "the event callback has no text at {pointer}"),
            WebhookError::BadSignature => f.write_str("the event callback's signature does not match; it is rejected"),
            WebhookError::Decode(err) => write!(f, "the event callback does not match its documented type: {err}"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::NotJson(err) | WebhookError::Decode(err) => Some(err),
            _ => None,
        }
    }
}

/// Verifies the signature of `payload` with `key`, then decodes it as `T`. Nothing in the payload
/// is decoded into the caller's type before the signature is checked.
#[doc(hidden)]
pub fn verify<T: DeserializeOwned>(
    scheme: &SignatureScheme,
    key: &SecretString,
    payload: &str,
) -> Result<T, WebhookError> {
    let value: Value = serde_json::from_str(payload).map_err(WebhookError::NotJson)?;
    let text_at = |pointer: &'static str| -> Result<String, WebhookError> {
        match value.pointer(pointer) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(Value::Number(number)) => Ok(number.to_string()),
            _ => Err(WebhookError::MissingField(pointer)),
        }
    };
    let signature = text_at(scheme.signature)?;
    let signature = match scheme.encoding {
        SignatureEncoding::Hex => decode_hex(signature.trim()),
        SignatureEncoding::Base64 => decode_base64(signature.trim()),
    }
    .ok_or(WebhookError::BadSignature)?;
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes()).map_err(|_| WebhookError::BadSignature)?;
    for pointer in scheme.message {
        mac.update(text_at(pointer)?.as_bytes());
    }
    // `verify_slice` compares in constant time.
    mac.verify_slice(&signature).map_err(|_| WebhookError::BadSignature)?;
    serde_json::from_value(value).map_err(WebhookError::Decode)
}

/// `payload` as the JSON text of a callback signed as the API signs it with `key`: the signature
/// field set to the HMAC-SHA256 of the message fields, for tests of the code that receives
/// callbacks (feature `mock`). A message field that is missing is signed as empty text.
#[cfg(feature = "mock")]
#[doc(hidden)]
pub fn sign<T: serde::Serialize>(scheme: &SignatureScheme, key: &SecretString, payload: &T) -> String {
    let mut value = serde_json::to_value(payload).unwrap_or(Value::Null);
    let mut mac =
        Hmac::<Sha256>::new_from_slice(key.expose_secret().as_bytes()).expect("HMAC takes keys of any length");
    for pointer in scheme.message {
        match value.pointer(pointer) {
            Some(Value::String(text)) => mac.update(text.as_bytes()),
            Some(Value::Number(number)) => mac.update(number.to_string().as_bytes()),
            _ => {}
        }
    }
    let digest = mac.finalize().into_bytes();
    let signature = match scheme.encoding {
        SignatureEncoding::Hex => digest.iter().map(|byte| format!("{byte:02x}")).collect(),
        SignatureEncoding::Base64 => crate::Base64::from(digest.as_slice()).encode(),
    };
    let (parent, field) = scheme.signature.rsplit_once('/').unwrap_or(("", scheme.signature));
    if let Some(Value::Object(object)) = value.pointer_mut(parent) {
        object.insert(field.replace("~1", "/").replace("~0", "~"), Value::String(signature));
    }
    value.to_string()
}

/// Decodes `payload` as `T`, for callbacks the document gives no signature scheme for.
#[doc(hidden)]
pub fn parse<T: DeserializeOwned>(payload: &str) -> Result<T, WebhookError> {
    let value: Value = serde_json::from_str(payload).map_err(WebhookError::NotJson)?;
    serde_json::from_value(value).map_err(WebhookError::Decode)
}

fn decode_hex(text: &str) -> Option<Vec<u8>> {
    if text.len() % 2 != 0 {
        return None;
    }
    (0..text.len()).step_by(2).map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok()).collect()
}

fn decode_base64(text: &str) -> Option<Vec<u8>> {
    let mut bits = 0u32;
    let mut count = 0;
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    for byte in text.trim_end_matches('=').bytes() {
        let sextet = match byte {
            b'A'..=b'Z' => byte - b'A',
            b'a'..=b'z' => byte - b'a' + 26,
            b'0'..=b'9' => byte - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            _ => return None,
        };
        bits = (bits << 6) | u32::from(sextet);
        count += 6;
        if count >= 8 {
            count -= 8;
            out.push((bits >> count) as u8);
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(feature = "mock")]
    #[test]
    fn a_signed_payload_verifies_with_its_key_only() {
        for encoding in [SignatureEncoding::Hex, SignatureEncoding::Base64] {
            let scheme =
                SignatureScheme { message: &["/event/time", "/event/type"], signature: "/event/hash", encoding };
            let payload = serde_json::json!({"event": {"time": "1700000000", "type": "signature_request_sent"}});
            let key = SecretString::from("key-1");
            let signed = sign(&scheme, &key, &payload);
            let verified: Value = verify(&scheme, &key, &signed).unwrap();
            assert_eq!(verified["event"]["type"], "signature_request_sent");
            assert!(matches!(
                verify::<Value>(&scheme, &SecretString::from("key-2"), &signed),
                Err(WebhookError::BadSignature)
            ));
        }
    }

    #[test]
    fn decoders_read_what_encoders_write() {
        assert_eq!(decode_hex("00ffA0"), Some(vec![0, 255, 160]));
        assert_eq!(decode_hex("0g"), None);
        assert_eq!(decode_base64("Zm9vYmFy"), Some(b"foobar".to_vec()));
        assert_eq!(decode_base64("Zm8="), Some(b"fo".to_vec()));
    }
}

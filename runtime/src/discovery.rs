//! The metadata an OAuth 2.0 authorization server publishes about itself (RFC 8414), or an
//! OpenID Connect provider's discovery document (a superset of it): its endpoints, the scopes
//! and grant types it supports. A generated client fetches it with the method of the security
//! scheme that names it (`oauth2MetadataUrl`, `openIdConnectUrl`).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// An authorization server's metadata document, read field by field: the RFC 8414 and OpenID
/// Connect fields by name, any other with [`get`](Self::get).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct AuthorizationServerMetadata {
    fields: Map<String, Value>,
}

impl AuthorizationServerMetadata {
    /// A document of these fields.
    pub fn new(fields: Map<String, Value>) -> Self {
        AuthorizationServerMetadata { fields }
    }

    /// `issuer`: the server's identifier (an `https` URL). RFC 8414 asks a client that found the
    /// document from an issuer to check that it is that issuer.
    pub fn issuer(&self) -> Option<&str> {
        self.text("issuer")
    }

    /// `authorization_endpoint`.
    pub fn authorization_endpoint(&self) -> Option<&str> {
        self.text("authorization_endpoint")
    }

    /// `token_endpoint`.
    pub fn token_endpoint(&self) -> Option<&str> {
        self.text("token_endpoint")
    }

    /// `device_authorization_endpoint` (RFC 8628).
    pub fn device_authorization_endpoint(&self) -> Option<&str> {
        self.text("device_authorization_endpoint")
    }

    /// `revocation_endpoint` (RFC 7009).
    pub fn revocation_endpoint(&self) -> Option<&str> {
        self.text("revocation_endpoint")
    }

    /// `introspection_endpoint` (RFC 7662).
    pub fn introspection_endpoint(&self) -> Option<&str> {
        self.text("introspection_endpoint")
    }

    /// `registration_endpoint` (dynamic client registration, RFC 7591).
    pub fn registration_endpoint(&self) -> Option<&str> {
        self.text("registration_endpoint")
    }

    /// `jwks_uri`: the server's signing keys.
    pub fn jwks_uri(&self) -> Option<&str> {
        self.text("jwks_uri")
    }

    /// `userinfo_endpoint` (OpenID Connect).
    pub fn userinfo_endpoint(&self) -> Option<&str> {
        self.text("userinfo_endpoint")
    }

    /// `scopes_supported`.
    pub fn scopes_supported(&self) -> Vec<&str> {
        self.texts("scopes_supported")
    }

    /// `grant_types_supported` (when absent, RFC 8414 says `authorization_code` and `implicit`).
    pub fn grant_types_supported(&self) -> Vec<&str> {
        self.texts("grant_types_supported")
    }

    /// `code_challenge_methods_supported`: the PKCE methods (`S256`).
    pub fn code_challenge_methods_supported(&self) -> Vec<&str> {
        self.texts("code_challenge_methods_supported")
    }

    /// Any field, by its name.
    pub fn get(&self, name: &str) -> Option<&Value> {
        self.fields.get(name)
    }

    /// Every field.
    pub fn fields(&self) -> &Map<String, Value> {
        &self.fields
    }

    fn text(&self, name: &str) -> Option<&str> {
        self.fields.get(name).and_then(Value::as_str)
    }

    fn texts(&self, name: &str) -> Vec<&str> {
        let items = self.fields.get(name).and_then(Value::as_array).map(Vec::as_slice).unwrap_or_default();
        items.iter().filter_map(Value::as_str).collect()
    }
}

impl<'de> Deserialize<'de> for AuthorizationServerMetadata {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Map::deserialize(deserializer).map(AuthorizationServerMetadata::new)
    }
}

impl Serialize for AuthorizationServerMetadata {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        self.fields.serialize(serializer)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_are_read_by_name_and_the_rest_kept() {
        let metadata: AuthorizationServerMetadata = serde_json::from_value(serde_json::json!({
            "issuer": "https://auth.example.com",
            "token_endpoint": "https://auth.example.com/token",
            "device_authorization_endpoint": "https://auth.example.com/device",
            "scopes_supported": ["records", 7, "admin"],
            "ui_locales_supported": ["en"],
        }))
        .unwrap();
        assert_eq!(metadata.issuer(), Some("https://auth.example.com"));
        assert_eq!(metadata.token_endpoint(), Some("https://auth.example.com/token"));
        assert_eq!(metadata.device_authorization_endpoint(), Some("https://auth.example.com/device"));
        assert_eq!(metadata.authorization_endpoint(), None);
        assert_eq!(metadata.scopes_supported(), ["records", "admin"]);
        assert!(metadata.grant_types_supported().is_empty());
        assert_eq!(metadata.get("ui_locales_supported"), Some(&serde_json::json!(["en"])));
        assert_eq!(serde_json::to_value(&metadata).unwrap()["issuer"], "https://auth.example.com");
        assert!(serde_json::from_str::<AuthorizationServerMetadata>("[1]").is_err());
    }
}

//! Security schemes, their OAuth flows, and security requirements.

use super::Node;

/// A security scheme (`components.securitySchemes.{name}`).
#[derive(Debug, Clone)]
pub struct SecurityScheme<'a>(pub Node<'a>);

/// What a security scheme asks of a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind<'a> {
    /// `http`, with its `scheme` (`basic`, `bearer`, ...).
    Http { scheme: &'a str },
    /// `apiKey`: a key named `name` in a header, the query or a cookie.
    ApiKey { name: &'a str, location: ApiKeyLocation },
    /// `oauth2`.
    OAuth2,
    /// `openIdConnect`.
    OpenIdConnect,
    /// A type this generator does not read, or a scheme without what its type needs: why.
    Unsupported(String),
}

/// Where an API key goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiKeyLocation {
    Header,
    Query,
    Cookie,
}

impl<'a> SecurityScheme<'a> {
    /// What the scheme asks of a request.
    pub fn kind(&self) -> SchemeKind<'a> {
        let node = &self.0;
        match node.str("type") {
            Some("http") => match node.str("scheme") {
                Some(scheme) => SchemeKind::Http { scheme },
                None => SchemeKind::Unsupported("an `http` scheme without its `scheme`".to_owned()),
            },
            Some("apiKey") => {
                let location = match node.str("in") {
                    Some("header") => ApiKeyLocation::Header,
                    Some("query") => ApiKeyLocation::Query,
                    Some("cookie") => ApiKeyLocation::Cookie,
                    other => return SchemeKind::Unsupported(format!("an API key in {other:?}")),
                };
                match node.str("name") {
                    Some(name) => SchemeKind::ApiKey { name, location },
                    None => SchemeKind::Unsupported("an API key without its `name`".to_owned()),
                }
            }
            Some("oauth2") => SchemeKind::OAuth2,
            Some("openIdConnect") => SchemeKind::OpenIdConnect,
            other => SchemeKind::Unsupported(format!("security scheme type {other:?}")),
        }
    }

    /// Its `description`.
    pub fn description(&self) -> Option<&'a str> {
        self.0.str("description")
    }

    /// `deprecated` (OpenAPI 3.2).
    pub fn deprecated(&self) -> bool {
        self.0.bool("deprecated").unwrap_or(false)
    }

    /// Where the scheme's authorization server publishes its metadata: an `oauth2` scheme's
    /// `oauth2MetadataUrl` (OpenAPI 3.2), or an `openIdConnect` scheme's `openIdConnectUrl`
    /// (then `true`).
    pub fn metadata_url(&self) -> Option<(Node<'a>, bool)> {
        match self.0.str("type") {
            Some("oauth2") => Some((self.0.get("oauth2MetadataUrl")?, false)),
            Some("openIdConnect") => Some((self.0.get("openIdConnectUrl")?, true)),
            _ => None,
        }
    }

    /// Its `authorizationCode` flow, for an `oauth2` scheme.
    pub fn authorization_code(&self) -> Option<OAuthFlow<'a>> {
        self.flow("authorizationCode")
    }

    /// Its `deviceAuthorization` flow (OpenAPI 3.2), for an `oauth2` scheme.
    pub fn device_authorization(&self) -> Option<OAuthFlow<'a>> {
        self.flow("deviceAuthorization")
    }

    fn flow(&self, name: &str) -> Option<OAuthFlow<'a>> {
        if self.0.str("type") != Some("oauth2") {
            return None;
        }
        self.0.get("flows")?.get(name).map(OAuthFlow)
    }
}

/// An OAuth 2.0 flow of an `oauth2` scheme.
#[derive(Debug, Clone)]
pub struct OAuthFlow<'a>(pub Node<'a>);

impl<'a> OAuthFlow<'a> {
    /// `authorizationUrl`.
    pub fn authorization_url(&self) -> &'a str {
        self.0.str("authorizationUrl").unwrap_or_default()
    }

    /// `deviceAuthorizationUrl` (a `deviceAuthorization` flow).
    pub fn device_authorization_url(&self) -> &'a str {
        self.0.str("deviceAuthorizationUrl").unwrap_or_default()
    }

    /// `tokenUrl`.
    pub fn token_url(&self) -> &'a str {
        self.0.str("tokenUrl").unwrap_or_default()
    }

    /// `refreshUrl`.
    pub fn refresh_url(&self) -> Option<&'a str> {
        self.0.str("refreshUrl")
    }

    /// The `scopes` and their descriptions, in document order.
    pub fn scopes(&self) -> Vec<(&'a str, &'a str)> {
        let Some(scopes) = self.0.value().get("scopes").and_then(|scopes| scopes.as_object()) else {
            return Vec::new();
        };
        scopes.iter().map(|(scope, description)| (scope.as_str(), description.as_str().unwrap_or_default())).collect()
    }
}

/// One alternative of a `security` list: the schemes a request uses together.
#[derive(Debug, Clone)]
pub struct SecurityRequirement<'a>(pub Node<'a>);

impl<'a> SecurityRequirement<'a> {
    /// The names of the schemes, in document order.
    pub fn schemes(&self) -> impl Iterator<Item = &'a str> + use<'a> {
        self.0.value().as_object().into_iter().flatten().map(|(name, _)| name.as_str())
    }
}

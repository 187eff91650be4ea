//! `components.securitySchemes` to the credentials the client builder accepts.

use openapiv3::{APIKeyLocation, SecurityScheme as OasScheme};

use super::naming::{self, Namespace};
use super::{AuthKind, Builder, SecurityScheme, non_empty};
use crate::diagnostics::Pointer;

/// Builder methods the generated `ClientBuilder` has already; a scheme may not take these names.
const BUILDER_METHODS: &[&str] =
    &["base_url", "build", "connect_timeout", "http_client", "new", "server_url", "timeout", "user_agent"];

/// Every security scheme the client can authenticate with, in document order.
pub fn schemes(builder: &mut Builder<'_>) -> Vec<SecurityScheme> {
    let Some(components) = &builder.doc.api.components else {
        return Vec::new();
    };
    let base = Pointer::root().push("components").push("securitySchemes");
    let mut setters = Namespace::with_reserved(BUILDER_METHODS.iter().copied());
    let mut schemes = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let at = base.push(name);
        let scheme = match builder.resolve(scheme, &at) {
            Ok((scheme, _)) => scheme,
            Err(err) => {
                builder.warn(&at, format!("{}; this scheme is left out", err.message));
                continue;
            }
        };
        let (kind, description) = match &scheme {
            OasScheme::HTTP { scheme: http, description, .. } => match http.to_ascii_lowercase().as_str() {
                "basic" => (AuthKind::Basic, description),
                "bearer" => (AuthKind::Bearer, description),
                other => {
                    builder.warn(&at, format!("HTTP authentication scheme {other:?} is not supported; left out"));
                    continue;
                }
            },
            OasScheme::APIKey { location, name: key_name, description, .. } => (
                match location {
                    APIKeyLocation::Header => AuthKind::ApiKeyHeader(key_name.clone()),
                    APIKeyLocation::Query => AuthKind::ApiKeyQuery(key_name.clone()),
                    APIKeyLocation::Cookie => AuthKind::ApiKeyCookie(key_name.clone()),
                },
                description,
            ),
            OasScheme::OAuth2 { description, .. } | OasScheme::OpenIDConnect { description, .. } => {
                (AuthKind::Bearer, description)
            }
        };
        schemes.push(SecurityScheme {
            name: name.clone(),
            setter: setters.claim(&naming::snake(name, "auth")),
            kind,
            description: non_empty(description.as_deref()),
        });
    }
    schemes
}

/// The alternatives of an operation's security requirement, keeping only known schemes.
pub fn requirement(
    builder: &mut Builder<'_>,
    requirements: &[openapiv3::SecurityRequirement],
    known: &[SecurityScheme],
    at: &Pointer,
) -> Vec<Vec<String>> {
    let mut alternatives = Vec::new();
    for (index, requirement) in requirements.iter().enumerate() {
        let unknown: Vec<&String> = requirement.keys().filter(|name| !known.iter().any(|s| &s.name == *name)).collect();
        if !unknown.is_empty() {
            builder.warn(
                &at.push(index.to_string()),
                format!("security scheme(s) {unknown:?} are not defined or not supported; this alternative is skipped"),
            );
            continue;
        }
        alternatives.push(requirement.keys().cloned().collect());
    }
    alternatives
}

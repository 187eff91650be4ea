//! `components.securitySchemes` to the credentials the client builder accepts.

use crate::ir::naming::{self, Namespace};
use crate::ir::{AuthKind, Builder, SecurityScheme, non_empty};
use crate::view::{self, ApiKeyLocation, Node, SchemeKind};

/// Builder methods the generated `ClientBuilder` has already; a scheme may not take these names.
const BUILDER_METHODS: &[&str] =
    &["base_url", "build", "connect_timeout", "http_client", "new", "server_url", "timeout", "user_agent"];

/// Every security scheme the client can authenticate with, in document order.
pub fn schemes(builder: &mut Builder<'_>) -> Vec<SecurityScheme> {
    let doc = builder.view();
    let mut setters = Namespace::with_reserved(BUILDER_METHODS.iter().copied());
    let mut schemes = Vec::new();
    for (name, node) in doc.components("securitySchemes") {
        let at = node.at().clone();
        let scheme = match doc.resolve(node) {
            Ok(node) => view::SecurityScheme(node),
            Err(err) => {
                builder.warn(&at, format!("{}; this scheme is left out", err.message));
                continue;
            }
        };
        let kind = match scheme.kind() {
            SchemeKind::Http { scheme: http } => match http.to_ascii_lowercase().as_str() {
                "basic" => AuthKind::Basic,
                "bearer" => AuthKind::Bearer,
                other => {
                    builder.warn(&at, format!("HTTP authentication scheme {other:?} is not supported; left out"));
                    continue;
                }
            },
            SchemeKind::ApiKey { name: key_name, location } => match location {
                ApiKeyLocation::Header => AuthKind::ApiKeyHeader(key_name.to_owned()),
                ApiKeyLocation::Query => AuthKind::ApiKeyQuery(key_name.to_owned()),
                ApiKeyLocation::Cookie => AuthKind::ApiKeyCookie(key_name.to_owned()),
            },
            SchemeKind::OAuth2 | SchemeKind::OpenIdConnect => AuthKind::Bearer,
            SchemeKind::Unsupported(what) => {
                builder.warn(&at, format!("{what} is not supported; left out"));
                continue;
            }
        };
        let setter = setters.claim(&naming::snake(name, "auth"));
        schemes.push(SecurityScheme {
            name: name.to_owned(),
            setter,
            kind,
            description: non_empty(scheme.description()),
            deprecated: scheme.deprecated(),
            metadata: None,
        });
    }
    schemes
}

/// The alternatives of an operation's security requirement, keeping only known schemes.
pub fn requirement(builder: &mut Builder<'_>, requirements: &Node<'_>, known: &[SecurityScheme]) -> Vec<Vec<String>> {
    let mut alternatives = Vec::new();
    for requirement in requirements.items().map(view::SecurityRequirement) {
        let unknown: Vec<&str> = requirement.schemes().filter(|name| !known.iter().any(|s| s.name == *name)).collect();
        if !unknown.is_empty() {
            builder.warn(
                requirement.0.at(),
                format!("security scheme(s) {unknown:?} are not defined or not supported; this alternative is skipped"),
            );
            continue;
        }
        alternatives.push(requirement.schemes().map(str::to_owned).collect());
    }
    alternatives
}

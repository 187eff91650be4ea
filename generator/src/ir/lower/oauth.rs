//! The OAuth flows of `oauth2` security schemes: the `authorizationCode` flow (its URLs and scopes,
//! and which operations of the document exchange a code and refresh a token), the
//! `deviceAuthorization` flow, and where authorization servers publish their metadata.

use crate::diagnostics::Pointer;
use crate::ir::naming::{self, Namespace};
use crate::ir::{
    Builder, DeviceFlow, HttpMethod, OAuthFlow, OAuthScope, Operation, SchemeMetadata, SecurityScheme, Server,
    TokenCall, TypeId, TypeKind, TypeRef, non_empty,
};
use crate::view::{self, SchemeKind};

/// The parameters of RFC 6749 token requests and PKCE's verifier (RFC 7636): a token operation
/// whose body needs any other property cannot be called by the generated flow.
const TOKEN_PARAMETERS: &[&str] = &[
    "grant_type",
    "code",
    "code_verifier",
    "state",
    "client_id",
    "client_secret",
    "redirect_uri",
    "refresh_token",
    "scope",
];

/// The first `authorizationCode` flow of the document, with its token calls bound to operations.
pub fn flow(builder: &mut Builder<'_>, servers: &[Server], operations: &[Operation]) -> Option<OAuthFlow> {
    let doc = builder.view();
    let mut found = Vec::new();
    let mut oauth2_schemes = 0;
    // The schemes written in place: one that is a `$ref` is bearer-only.
    for (name, node) in doc.components("securitySchemes") {
        let scheme = view::SecurityScheme(node);
        if scheme.kind() != SchemeKind::OAuth2 {
            continue;
        }
        oauth2_schemes += 1;
        if let Some(code_flow) = scheme.authorization_code() {
            found.push((name, scheme.0.at().clone(), code_flow));
        }
    }
    let mut found = found.into_iter();
    let (scheme, _, code_flow) = found.next()?;
    for (_, other_at, _) in found {
        builder.warn(
            &other_at,
            "only the first authorizationCode flow gets OAuth helpers; this one is used for bearer tokens only",
        );
    }
    let at = code_flow.0.at().clone();
    let default_server = servers.first().map_or("", |server| server.url.as_str());
    let token_url = absolute(code_flow.token_url(), default_server);
    let refresh_url = code_flow.refresh_url().map(|url| absolute(url, default_server)).filter(|url| *url != token_url);
    let scopes = scopes_of(&code_flow);
    let exchange = token_call(builder, servers, operations, &token_url, &at.push("tokenUrl"));
    let refresh_target = refresh_url.clone().unwrap_or_else(|| token_url.clone());
    let refresh = token_call(builder, servers, operations, &refresh_target, &at.push("refreshUrl"));
    Some(OAuthFlow {
        scheme: scheme.to_owned(),
        authorization_url: absolute(code_flow.authorization_url(), default_server),
        token_url,
        refresh_url,
        scopes,
        exchange,
        refresh,
        only_oauth2_scheme: oauth2_schemes == 1,
    })
}

/// The first `deviceAuthorization` flow (OpenAPI 3.2) of the document, whose two requests are
/// standard form requests (RFC 8628) on the client's servers.
pub fn device_flow(builder: &mut Builder<'_>, servers: &[Server]) -> Option<DeviceFlow> {
    let doc = builder.view();
    let found: Vec<_> = doc
        .components("securitySchemes")
        .into_iter()
        .filter_map(|(name, node)| Some((name, view::SecurityScheme(node).device_authorization()?)))
        .collect();
    let mut found = found.into_iter();
    let (scheme, flow) = found.next()?;
    for (_, other) in found {
        builder.warn(
            other.0.at(),
            "only the first deviceAuthorization flow gets device flow helpers; this one is used for bearer tokens only",
        );
    }
    let at = flow.0.at().clone();
    let (device_authorization_url, token_url) = (flow.device_authorization_url(), flow.token_url());
    if device_authorization_url.is_empty() || token_url.is_empty() {
        builder.warn(
            &at,
            "a deviceAuthorization flow needs its deviceAuthorizationUrl and tokenUrl; it gets no helpers, and the \
             scheme is used for bearer tokens only",
        );
        return None;
    }
    let default_server = servers.first().map_or("", |server| server.url.as_str());
    let device_authorization_url = absolute(device_authorization_url, default_server);
    let token_url = absolute(token_url, default_server);
    let scopes = scopes_of(&flow);
    Some(DeviceFlow {
        scheme: scheme.to_owned(),
        device_authorization: standard(
            builder,
            servers,
            &device_authorization_url,
            "The OAuth authorization server's device authorization endpoint (`deviceAuthorizationUrl`) is on this server.",
        ),
        token: standard(builder, servers, &token_url, TOKEN_SERVER),
        device_authorization_url,
        token_url,
        scopes,
    })
}

/// The metadata documents of the schemes' authorization servers (`oauth2MetadataUrl`,
/// `openIdConnectUrl`), each fetched by a client method of its own (`{setter}_metadata`, a name no
/// operation's method has) from one of the client's servers.
pub fn metadata(
    builder: &mut Builder<'_>,
    servers: &[Server],
    schemes: &mut [SecurityScheme],
    operations: &[Operation],
) {
    let doc = builder.view();
    let mut methods =
        Namespace::with_reserved(operations.iter().flat_map(|op| op.methods.iter().map(|m| m.name.as_str())));
    let found: Vec<_> = doc
        .components("securitySchemes")
        .into_iter()
        .filter_map(|(name, node)| Some((name, view::SecurityScheme(node).metadata_url()?)))
        .collect();
    let default_server = servers.first().map_or("", |server| server.url.as_str());
    for (name, (node, openid_connect)) in found {
        let Some(scheme) = schemes.iter_mut().find(|scheme| scheme.name == name) else { continue };
        let Some(url) = node.value().as_str().filter(|url| !url.is_empty()) else {
            builder.warn(node.at(), "an empty metadata URL; the scheme gets no method that fetches its metadata");
            continue;
        };
        let url = absolute(url, default_server);
        let method = methods.claim(&format!("{}_metadata", scheme.setter.trim_start_matches("r#")));
        let what = if openid_connect {
            "The OpenID Connect provider's discovery document (`openIdConnectUrl`) is on this server."
        } else {
            "The OAuth authorization server's metadata (`oauth2MetadataUrl`) is on this server."
        };
        scheme.metadata =
            Some(SchemeMetadata { call: standard(builder, servers, &url, what), url, openid_connect, method });
    }
}

/// A flow's scopes, each with the name of its constant.
fn scopes_of(flow: &view::OAuthFlow<'_>) -> Vec<OAuthScope> {
    let mut names = Namespace::default();
    flow.scopes()
        .into_iter()
        .map(|(value, description)| OAuthScope {
            const_name: names.claim(&naming::shouty(value, "SCOPE")),
            value: value.to_owned(),
            description: non_empty(Some(description)),
        })
        .collect()
}

/// A URL relative to the default server made absolute.
fn absolute(url: &str, default_server: &str) -> String {
    if url.contains("://") {
        return url.trim_end_matches('/').to_owned();
    }
    let origin = match default_server.find("://").map(|i| i + 3) {
        Some(start) if url.starts_with('/') => {
            let end = default_server[start..].find('/').map_or(default_server.len(), |i| start + i);
            &default_server[..end]
        }
        _ => default_server,
    };
    format!("{}/{}", origin.trim_end_matches('/'), url.trim_start_matches('/'))
}

/// The operation that is `POST url`, when its body is made of token parameters only; otherwise
/// a standard form POST, with a warning when an operation was there but cannot be used.
fn token_call(
    builder: &mut Builder<'_>,
    servers: &[Server],
    operations: &[Operation],
    url: &str,
    at: &Pointer,
) -> TokenCall {
    let Some(operation) = operations.iter().find(|op| {
        let server = op.server.as_deref().unwrap_or("DEFAULT");
        let server_url = servers.iter().find(|s| s.const_name == server).map_or("", |s| s.url.as_str());
        op.http_method == HttpMethod::Post && format!("{server_url}{}", op.path_template) == url
    }) else {
        return standard(builder, servers, url, TOKEN_SERVER);
    };
    // The flow fills the body only: a required parameter (authentiq.io's token operation has an
    // optional `Authorization` header parameter, which is left unset) it could not fill.
    let required_parameter = operation
        .params
        .as_ref()
        .and_then(|params| params.params.iter().find(|param| param.required))
        .map(|param| param.wire_name.clone());
    if let Some(parameter) = required_parameter {
        builder.warn(
            at,
            format!(
                "operation `{}` at {url} has the required parameter `{parameter}`, which the OAuth helpers cannot \
                 fill; they send a standard form request there instead",
                operation.operation_id
            ),
        );
        return standard(builder, servers, url, TOKEN_SERVER);
    }
    let usable = operation.methods.iter().find_map(|method| {
        let request_body = method.body.as_ref()?;
        let TypeRef::Named(body_type) = request_body.ty else { return None };
        let TypeKind::Struct(body) = &builder.types.get(body_type).kind else { return None };
        let unknown_required =
            body.fields.iter().any(|f| f.required && !TOKEN_PARAMETERS.contains(&f.wire_name.as_str()));
        let fields: Vec<String> = body
            .fields
            .iter()
            .filter(|f| TOKEN_PARAMETERS.contains(&f.wire_name.as_str()))
            .filter(|f| is_text(builder, &f.ty))
            .map(|f| f.wire_name.clone())
            .collect();
        (!unknown_required && body.fields.iter().all(|f| !f.required || fields.contains(&f.wire_name)))
            .then(|| (method.name.clone(), body_type, fields, request_body.required))
    });
    if let Some((_, body_type, ..)) = &usable {
        keep_token_parameters_secret(builder, *body_type);
    }
    match usable {
        Some((method, body_type, fields, body_required)) => TokenCall::Operation {
            operation_id: operation.operation_id.clone(),
            method,
            body_type,
            fields,
            body_required,
        },
        None => {
            builder.warn(
                at,
                format!(
                    "operation `{}` at {url} needs body properties beyond the standard token parameters; \
                     the OAuth helpers send a standard form request there instead",
                    operation.operation_id
                ),
            );
            standard(builder, servers, url, TOKEN_SERVER)
        }
    }
}

/// The description of a server added for a token endpoint.
const TOKEN_SERVER: &str = "The OAuth authorization server's token endpoint (`tokenUrl`) is on this server.";

/// The standard form request to `url`, on the server of the description it is under, or else on
/// its origin, added to the client's servers: a server the client knows is one its builder's
/// `every_server_url` and `server_url` move, and the token request carries the client secret
/// and the authorization code, which must go where the builder says.
fn standard(builder: &mut Builder<'_>, servers: &[Server], url: &str, server_description: &str) -> TokenCall {
    let (location, query) = match url.split_once('?') {
        Some((location, query)) => (location, Some(query.to_owned())),
        None => (url, None),
    };
    let known = servers.iter().chain(&builder.extra_servers).map(|server| server.url.as_str());
    let under = known.filter(|server| is_under(location, server)).max_by_key(|server| server.len());
    let server = match under {
        Some(server) => server.to_owned(),
        // A relative URL in a description without an absolute server: the default server's.
        None if origin(location).is_empty() => return on_default_server(servers, url, location, query),
        None => add_server(builder, servers, origin(location), server_description),
    };
    let path = location[server.len()..].to_owned();
    TokenCall::Standard { url: url.to_owned(), server, path, query }
}

/// The standard request to a `location` that has no origin, sent to the default server.
fn on_default_server(servers: &[Server], url: &str, location: &str, query: Option<String>) -> TokenCall {
    let server = servers.first().map_or_else(String::new, |server| server.url.clone());
    TokenCall::Standard { url: url.to_owned(), server, path: location.to_owned(), query }
}

/// Whether `location` is `server` (without a trailing `/`, as servers are kept) or a path below it.
fn is_under(location: &str, server: &str) -> bool {
    !server.is_empty() && location.strip_prefix(server).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// The scheme, host and port of an absolute URL (the URL itself when it has no path).
fn origin(url: &str) -> &str {
    let host_start = url.find("://").map_or(0, |i| i + 3);
    url[host_start..].find('/').map_or(url, |i| &url[..host_start + i])
}

/// Adds `url` to the client's servers (unless it is one already), named like the servers of
/// operations; returns it.
fn add_server(builder: &mut Builder<'_>, servers: &[Server], url: &str, description: &str) -> String {
    if servers.iter().chain(&builder.extra_servers).any(|server| server.url == url) {
        return url.to_owned();
    }
    let mut names =
        Namespace::with_reserved(servers.iter().chain(&builder.extra_servers).map(|server| server.const_name.as_str()));
    let host_and_port = url.split_once("://").map_or(url, |(_, rest)| rest);
    builder.extra_servers.push(Server {
        const_name: names.claim(&naming::shouty(host_and_port, "SERVER")),
        url: url.to_owned(),
        description: Some(description.to_owned()),
    });
    url.to_owned()
}

/// The token parameters that are credentials, kept out of `Debug` in the token request body: the
/// authorization code and PKCE verifier as much as the client secret and refresh token.
const SECRET_TOKEN_PARAMETERS: &[&str] =
    &["code", "code_verifier", "client_secret", "refresh_token", "password", "assertion", "client_assertion"];

fn keep_token_parameters_secret(builder: &mut Builder<'_>, body_type: TypeId) {
    let TypeKind::Struct(body) = &mut builder.types.get_mut(body_type).kind else { return };
    for field in &mut body.fields {
        if field.ty == TypeRef::String && SECRET_TOKEN_PARAMETERS.contains(&field.wire_name.as_str()) {
            field.ty = TypeRef::Secret;
        }
    }
    // The constructor's arguments changed types, which may make them distinct enough to pass by
    // position after all.
    let arguments = body.fields.iter().filter(|f| f.required && !f.nullable && f.default.is_none()).map(|f| &f.ty);
    if !crate::ir::needs_named_arguments(arguments) {
        body.required_fields = None;
    }
}

/// Whether a value of `ty` can be made from a string: strings, secrets and string enums.
fn is_text(builder: &Builder<'_>, ty: &TypeRef) -> bool {
    match ty {
        TypeRef::String | TypeRef::Secret => true,
        TypeRef::Named(id) => matches!(builder.types.get(*id).kind, TypeKind::Enum(_)),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    /// A token operation with a required parameter cannot be called by the flow, which fills
    /// the body only: the flow sends a standard request there, with a warning at the scheme.
    #[test]
    fn a_token_operation_with_a_required_parameter_is_not_called() {
        let yaml = r"
openapi: 3.0.3
info: {title: Token, version: '1'}
servers: [{url: 'https://auth.example.test'}]
paths:
  /token:
    post:
      operationId: issueToken
      parameters: [{name: realm, in: query, required: true, schema: {type: string}}]
      requestBody:
        content:
          application/x-www-form-urlencoded:
            schema: {type: object, properties: {grant_type: {type: string}, code: {type: string}}}
      responses: {'200': {description: A token.}}
components:
  securitySchemes:
    oauth:
      type: oauth2
      flows: {authorizationCode: {authorizationUrl: 'https://auth.example.test/authorize', tokenUrl: 'https://auth.example.test/token', scopes: {}}}
security: [{oauth: []}]
";
        let document = crate::load::load_str(yaml, "token").unwrap();
        let (api, warnings) = crate::ir::build(&document).unwrap();
        let flow = api.oauth.as_ref().expect("an OAuth flow");
        assert!(matches!(flow.exchange, crate::ir::TokenCall::Standard { .. }), "{:?}", flow.exchange);
        let warnings: Vec<String> = warnings.iter().map(ToString::to_string).collect();
        assert!(
            warnings
                .iter()
                .any(|w| w.contains("has the required parameter `realm`, which the OAuth helpers cannot fill")),
            "{warnings:?}"
        );
    }

    #[test]
    fn relative_urls_are_made_absolute() {
        assert_eq!(super::absolute("https://a.example/token", "https://api.example/v3"), "https://a.example/token");
        assert_eq!(super::absolute("/oauth/token", "https://api.example/v3"), "https://api.example/oauth/token");
        assert_eq!(super::absolute("oauth/token", "https://api.example/v3"), "https://api.example/v3/oauth/token");
    }

    #[test]
    fn a_token_url_is_under_a_server_only_at_a_path_boundary() {
        assert!(super::is_under("https://api.example/v1/oauth/token", "https://api.example/v1"));
        assert!(!super::is_under("https://api.example/v10/oauth/token", "https://api.example/v1"));
        assert!(!super::is_under("https://auth.example/token", "https://api.example"));
        assert_eq!(super::origin("https://auth.example:8443/oauth/token"), "https://auth.example:8443");
        assert_eq!(super::origin("https://auth.example"), "https://auth.example");
    }
}

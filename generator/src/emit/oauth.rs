//! `oauth.rs`: the authorization code flow of the document's `oauth2` scheme: its URLs and
//! scopes, and the code exchange and refresh, through the document's own token operations when
//! it describes them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::ident;
use crate::ir::{Api, OAuthFlow, OAuthScope, Operation, SecurityScheme, TokenCall, TypeKind, TypeRef};

/// The tokens of `oauth.rs`.
pub fn oauth_file(api: &Api, flow: &OAuthFlow) -> TokenStream {
    let authorization_url = &flow.authorization_url;
    let token_url = &flow.token_url;
    let refresh_url = flow.refresh_url.as_ref().map(|url| {
        quote! {
            /// Where refresh tokens are exchanged for new access tokens (`refreshUrl`).
            pub const REFRESH_URL: &str = #url;
        }
    });
    let scopes = scope_consts(&flow.scopes);
    let exchange = token_request(api, &flow.exchange, Grant::AuthorizationCode, "TOKEN_ENDPOINT");
    let refresh = token_request(api, &flow.refresh, Grant::RefreshToken, "REFRESH_ENDPOINT");
    let endpoints = [endpoint(&flow.exchange, "TOKEN_ENDPOINT"), endpoint(&flow.refresh, "REFRESH_ENDPOINT")];
    let pkce = uses_pkce(&flow.exchange);
    let exchange_docs = doc_attrs(Some(&call_docs(
        api,
        &flow.exchange,
        Grant::AuthorizationCode,
        "Exchanges the authorization code from the callback for tokens",
    )));
    let refresh_docs = doc_attrs(Some(&call_docs(
        api,
        &flow.refresh,
        Grant::RefreshToken,
        "Exchanges a refresh token for a new access token (and usually a new refresh token). A refusal \
         (the user revoked the app's access) is [`TokenError::ReauthorizationRequired`]",
    )));
    let module_docs = module_docs(api, flow, pkce);
    quote! {
        #![doc = #module_docs]
        use crate::runtime::SecretString;
        use crate::Client;

        pub use crate::runtime::oauth::{
            AuthorizationCode, AuthorizationRequest, CallbackError, ClientAuth, CodeVerifier, State, TokenHolder,
            TokenHolderBuilder, Tokens,
        };
        pub use crate::runtime::{RefusalReason, TokenError, TokenFuture, TokenProvider};

        /// Your app as this API's authorization server knows it: its client id and secret, and
        /// optionally the redirect URI, the scopes to ask for, and how it authenticates to the
        /// token endpoint.
        pub type OAuthApp = crate::runtime::oauth::OAuthApp<Flow>;

        /// This API's authorization code flow, which [`OAuthApp`] starts at its authorization URL.
        #[derive(Clone, Copy, Debug)]
        pub struct Flow;

        impl crate::runtime::oauth::AuthorizationFlow for Flow {
            const AUTHORIZATION_URL: &'static str = AUTHORIZATION_URL;
            const PKCE: bool = #pkce;
        }

        /// A [`TokenHolder`] refreshes through the client's [`Client::refresh_access_token`].
        impl crate::runtime::oauth::TokenEndpoint<Flow> for Client {
            fn refresh<'a>(&'a self, app: &'a OAuthApp, refresh_token: &'a SecretString) -> crate::runtime::oauth::TokensFuture<'a> {
                Box::pin(self.refresh_access_token(app, refresh_token))
            }
        }

        /// Where users are sent to authorize your app (`authorizationUrl`).
        pub const AUTHORIZATION_URL: &str = #authorization_url;
        /// Where authorization codes are exchanged for tokens (`tokenUrl`).
        pub const TOKEN_URL: &str = #token_url;
        #refresh_url

        /// The scopes an app can ask for.
        pub mod scopes {
            #( #scopes )*
        }

        #( #endpoints )*

        impl Client {
            #exchange_docs
            pub async fn exchange_code(&self, app: &OAuthApp, code: &AuthorizationCode) -> Result<Tokens, TokenError> {
                #exchange
            }

            #refresh_docs
            pub async fn refresh_access_token(&self, app: &OAuthApp, refresh_token: &SecretString) -> Result<Tokens, TokenError> {
                #refresh
            }
        }
    }
}

/// A constant per scope of a flow, with what it grants as its doc.
pub(super) fn scope_consts(scopes: &[OAuthScope]) -> Vec<TokenStream> {
    scopes
        .iter()
        .map(|scope| {
            let name = format_ident!("{}", scope.const_name);
            let value = &scope.value;
            let docs = doc_attrs(Some(scope.description.as_deref().unwrap_or(&format!("The `{value}` scope."))));
            quote! {
                #docs
                pub const #name: &str = #value;
            }
        })
        .collect()
}

/// The name in a bearer scheme's token-provider methods (`{name}_token_provider` on the client
/// builder, `with_{name}_token_provider` on the client): `oauth2` for the scheme of the OAuth
/// flow when it is the description's only `oauth2` scheme, so that such clients all have the
/// same methods whatever the scheme is called; the scheme's own builder-method name otherwise,
/// since with two `oauth2` schemes one name would not say which, or when another scheme's
/// builder method is `oauth2` already.
pub(super) fn token_provider_name(api: &Api, scheme: &SecurityScheme) -> String {
    let own = scheme.setter.trim_start_matches("r#");
    let only_oauth2_scheme =
        api.oauth.as_ref().is_some_and(|flow| flow.only_oauth2_scheme && flow.scheme == scheme.name);
    let taken = api.security_schemes.iter().any(|other| other.name != scheme.name && other.setter == "oauth2");
    if only_oauth2_scheme && !taken { "oauth2".to_owned() } else { own.to_owned() }
}

/// The module's documentation: the steps of the flow, with the method a token holder is given to.
fn module_docs(api: &Api, flow: &OAuthFlow, pkce: bool) -> String {
    let scheme = &flow.scheme;
    let provider = match api.security_schemes.iter().find(|s| s.name == flow.scheme) {
        Some(security_scheme) => {
            let name = token_provider_name(api, security_scheme);
            format!(
                "[`Client::with_{name}_token_provider`](crate::Client::with_{name}_token_provider) (or the \
                 builder's [`{name}_token_provider`](crate::ClientBuilder::{name}_token_provider))"
            )
        }
        None => "the client builder's token-provider method of the scheme".to_owned(),
    };
    let (keep, check) = if pkce {
        (
            "a random `state` and a PKCE code verifier to keep",
            "gives the code, to which [`AuthorizationCode::with_code_verifier`] gives back the verifier",
        )
    } else {
        ("a random `state` to keep", "gives the code")
    };
    format!(
        " The OAuth 2.0 authorization code flow of the `{scheme}` scheme.\n\n 1. [`OAuthApp::authorize`] gives the \
         URL to send the user to, and {keep}.\n 2. [`OAuthApp::callback`] checks the callback (`state` first) and \
         {check}.\n 3. [`Client::exchange_code`] turns the code into [`Tokens`].\n 4. A [`TokenHolder`] keeps them \
         fresh for a long-running service; give it to {provider}."
    )
}

/// The operation of the standard token request to `call`'s URL, on one of the client's servers.
fn endpoint(call: &TokenCall, name: &str) -> Option<TokenStream> {
    standard_endpoint(call, name, "oauth2TokenRequest", "POST")
}

/// The operation `id` of a standard request (OAuth's token request, the device flow's, a
/// metadata document's) by `method` to `call`'s URL, on one of the client's servers.
pub(super) fn standard_endpoint(call: &TokenCall, name: &str, id: &str, method: &str) -> Option<TokenStream> {
    let TokenCall::Standard { server, path, query, .. } = call else { return None };
    let method = format_ident!("{method}");
    let name = format_ident!("{name}");
    let fixed_query = match query {
        Some(query) => quote!(Some(#query)),
        None => quote!(None),
    };
    Some(quote! {
        pub(crate) const #name: crate::runtime::OperationSpec = crate::runtime::OperationSpec {
            id: #id,
            method: crate::runtime::reqwest::Method::#method,
            path_template: #path,
            server: #server,
            fixed_query: #fixed_query,
            security: &[],
            statuses: &[],
        };
    })
}

/// Whether the code exchange can send a PKCE `code_verifier`: the standard request always can,
/// an operation of the description when its body has that property.
fn uses_pkce(exchange: &TokenCall) -> bool {
    match exchange {
        TokenCall::Standard { .. } => true,
        TokenCall::Operation { fields, .. } => fields.iter().any(|field| field == "code_verifier"),
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Grant {
    AuthorizationCode,
    RefreshToken,
}

/// Where a token request's body holds the client secret, which decides how the app
/// authenticates (RFC 6749 section 2.3.1).
#[derive(Clone, Copy, PartialEq)]
enum SecretInBody {
    /// A required property: the server takes the secret there (`client_secret_post`).
    Required,
    /// An optional property: the app chooses, the body by default since the description offers it.
    Optional,
    /// No such property (or the standard request): HTTP Basic, unless the app chooses otherwise
    /// where it can.
    Absent,
}

fn secret_in_body(api: &Api, call: &TokenCall) -> SecretInBody {
    let TokenCall::Operation { body_type, fields, .. } = call else { return SecretInBody::Absent };
    if !fields.iter().any(|field| field == "client_secret") {
        return SecretInBody::Absent;
    }
    let required = match &api.def(*body_type).kind {
        TypeKind::Struct(body) => body.fields.iter().any(|f| f.wire_name == "client_secret" && f.required),
        _ => false,
    };
    if required { SecretInBody::Required } else { SecretInBody::Optional }
}

fn call_docs(api: &Api, call: &TokenCall, grant: Grant, what: &str) -> String {
    let pkce = match (grant, uses_pkce(call)) {
        (Grant::RefreshToken, _) => "",
        (Grant::AuthorizationCode, true) => " The code's PKCE verifier, when it has one, is sent as `code_verifier`.",
        (Grant::AuthorizationCode, false) => {
            " The body has no `code_verifier`, so this flow does not use PKCE (the authorization URL asks for no \
             code challenge)."
        }
    };
    let client_auth = match (call, secret_in_body(api, call)) {
        (TokenCall::Standard { .. }, _) => {
            "The app authenticates with HTTP Basic, or with `client_secret` in the body when \
             [`OAuthApp::with_client_auth`] says [`ClientAuth::Body`]."
        }
        (_, SecretInBody::Required) => {
            "The app authenticates with `client_secret` in the body, which the description requires \
             ([`OAuthApp::with_client_auth`] does not change it)."
        }
        (_, SecretInBody::Optional) => {
            "The app authenticates with `client_secret` in the body, as the description offers, or with HTTP \
             Basic when [`OAuthApp::with_client_auth`] says [`ClientAuth::Basic`]."
        }
        (_, SecretInBody::Absent) => {
            "The app authenticates with HTTP Basic, since the description's body has no `client_secret`."
        }
    };
    let refusal = "A refusal keeps the server's RFC 6749 `error` and `error_description` ([`TokenError::reason`]).";
    match call {
        TokenCall::Operation { operation_id, method, .. } => {
            format!("{what}.\n\nSent through `{operation_id}` ([`Client::{method}`]).{pkce} {client_auth} {refusal}")
        }
        TokenCall::Standard { url, .. } => format!(
            "{what}.\n\nSent as a standard RFC 6749 form request to `{url}` (on one of the client's servers, so the \
             builder's `every_server_url` and `server_url` move it).{pkce} {client_auth} {refusal}"
        ),
    }
}

/// The body of `exchange_code` or `refresh_access_token`.
fn token_request(api: &Api, call: &TokenCall, grant: Grant, endpoint: &str) -> TokenStream {
    let (grant_type, refused) = match grant {
        Grant::AuthorizationCode => {
            ("authorization_code", quote!(|status, reason| TokenError::CodeRejected { status, reason }))
        }
        Grant::RefreshToken => {
            ("refresh_token", quote!(|status, reason| TokenError::ReauthorizationRequired { status, reason }))
        }
    };
    let value = |name: &str| -> TokenStream {
        match (name, grant) {
            ("grant_type", _) => quote!(Some(#grant_type)),
            ("client_id", _) => quote!(Some(app.client_id())),
            ("client_secret", _) => quote!(app.body_secret(client_auth)),
            ("redirect_uri", Grant::AuthorizationCode) => quote!(app.redirect_uri()),
            ("code", Grant::AuthorizationCode) => quote!(Some(code.code().expose_secret())),
            ("code_verifier", Grant::AuthorizationCode) => quote!(code.code_verifier().map(CodeVerifier::as_str)),
            ("state", Grant::AuthorizationCode) => quote!(Some(code.state().as_str())),
            ("refresh_token", Grant::RefreshToken) => quote!(Some(refresh_token.expose_secret())),
            _ => quote!(None),
        }
    };
    let client_auth = match secret_in_body(api, call) {
        SecretInBody::Required => quote!(ClientAuth::Body),
        SecretInBody::Optional => quote!(app.client_auth().unwrap_or(ClientAuth::Body)),
        SecretInBody::Absent if matches!(call, TokenCall::Standard { .. }) => {
            quote!(app.client_auth().unwrap_or(ClientAuth::Basic))
        }
        SecretInBody::Absent => quote!(ClientAuth::Basic),
    };
    match call {
        TokenCall::Operation { operation_id, method, body_type, fields, body_required } => {
            let method = ident(method);
            let body_type = ident(&api.def(*body_type).name);
            let params = fields.iter().map(|name| {
                let value = value(name);
                quote!((#name, #value))
            });
            // A body that does not take the code or the refresh token leaves an argument unused;
            // say so explicitly.
            let uses = |names: &[&str]| fields.iter().any(|f| names.contains(&f.as_str()));
            let unused_input = match grant {
                Grant::AuthorizationCode => (!uses(&["code", "code_verifier", "state"])).then(|| quote!(let _ = code;)),
                Grant::RefreshToken => (!uses(&["refresh_token"])).then(|| quote!(let _ = refresh_token;)),
            };
            // An optional request body is an `Option<&T>` argument of the operation method; the
            // operation's parameters, when it has any, are all optional (the IR made sure) and
            // left unset.
            let body_argument = if *body_required { quote!(&body) } else { quote!(Some(&body)) };
            let operation = api.operations.iter().find(|op| op.operation_id == *operation_id);
            let params_argument = operation.and_then(|op| op.params.as_ref()).map(|params| {
                let params = ident(&params.name);
                quote!(&crate::operations::#params::new(),)
            });
            let reason_of = operation.map_or_else(|| quote!(|_| None), |operation| reason_of(api, operation));
            quote! {
                #unused_input
                let client_auth = #client_auth;
                let body: crate::models::#body_type = crate::runtime::oauth::token_request_body(&[ #( #params ),* ])?;
                let call = crate::runtime::oauth::authenticated(self.#method(#params_argument #body_argument), app, client_auth)?;
                let response = call
                    .await
                    .map_err(|err| crate::runtime::oauth::token_error(err, #refused, #reason_of))?;
                Tokens::from_response(response.body())
            }
        }
        TokenCall::Standard { .. } => {
            let names: &[&str] = match grant {
                Grant::AuthorizationCode => &["grant_type", "code", "redirect_uri", "code_verifier", "client_id"],
                Grant::RefreshToken => &["grant_type", "refresh_token", "client_id"],
            };
            let params = names.iter().map(|name| {
                let value = value(name);
                quote!((#name, #value))
            });
            let endpoint = format_ident!("{endpoint}");
            quote! {
                let client_auth = #client_auth;
                crate::runtime::oauth::standard_token_request(
                    self.runtime(), &#endpoint, app, client_auth, &[ #( #params ),* ], #refused,
                )
                .await
            }
        }
    }
}

/// How the RFC 6749 refusal reason is read from the token operation's decoded error body: the
/// JSON itself when the description leaves it untyped, the fields of a struct that has a text
/// `error` (and maybe `error_description` and `error_uri`), and nothing otherwise (a body of
/// another shape is still read raw when it does not decode as the documented type).
fn reason_of(api: &Api, operation: &Operation) -> TokenStream {
    let nothing = quote!(|_| None);
    let name = match &operation.error_type {
        TypeRef::Json => return quote!(crate::runtime::RefusalReason::from_json),
        TypeRef::Named(id) => *id,
        _ => return nothing,
    };
    let TypeKind::Struct(body) = &api.def(name).kind else { return nothing };
    let is_text = |ty: &TypeRef| match ty {
        TypeRef::String => true,
        TypeRef::Named(id) => matches!(api.def(*id).kind, TypeKind::Enum(_)),
        _ => false,
    };
    let field = |wire: &str| body.fields.iter().find(|f| f.wire_name == wire && is_text(&f.ty)).map(|f| ident(&f.name));
    let Some(error) = field("error") else { return nothing };
    let access = |field: Option<proc_macro2::Ident>| match field {
        Some(name) => quote!(&body.#name),
        None => quote!(&()),
    };
    let (description, uri) = (access(field("error_description")), access(field("error_uri")));
    quote!(|body| crate::runtime::oauth::refusal_reason_of(&body.#error, #description, #uri))
}

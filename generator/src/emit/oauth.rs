//! `oauth.rs`: the authorization code flow of the document's `oauth2` scheme: its URLs and
//! scopes, and the code exchange and refresh, through the document's own token operations when
//! it describes them.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::ident;
use crate::ir::{OAuthFlow, TokenCall};

/// The tokens of `oauth.rs`.
pub fn oauth_file(flow: &OAuthFlow) -> TokenStream {
    let authorization_url = &flow.authorization_url;
    let token_url = &flow.token_url;
    let scheme = &flow.scheme;
    let refresh_url = flow.refresh_url.as_ref().map(|url| {
        quote! {
            /// Where refresh tokens are exchanged for new access tokens (`refreshUrl`).
            pub const REFRESH_URL: &str = #url;
        }
    });
    let scopes = flow.scopes.iter().map(|scope| {
        let name = format_ident!("{}", scope.const_name);
        let value = &scope.value;
        let docs = doc_attrs(Some(scope.description.as_deref().unwrap_or(&format!("The `{value}` scope."))));
        quote! {
            #docs
            pub const #name: &str = #value;
        }
    });
    let exchange = token_request(&flow.exchange, Grant::AuthorizationCode, "TOKEN_ENDPOINT");
    let refresh = token_request(&flow.refresh, Grant::RefreshToken, "REFRESH_ENDPOINT");
    let endpoint = |call: &TokenCall, name: &str| match call {
        TokenCall::Standard { url } => {
            let name = format_ident!("{name}");
            Some(quote! {
                const #name: crate::runtime::OperationSpec = crate::runtime::OperationSpec {
                    id: "oauth2TokenRequest",
                    method: crate::runtime::reqwest::Method::POST,
                    path_template: "",
                    server: #url,
                    fixed_query: None,
                    security: &[],
                };
            })
        }
        TokenCall::Operation { .. } => None,
    };
    let endpoints = [endpoint(&flow.exchange, "TOKEN_ENDPOINT"), endpoint(&flow.refresh, "REFRESH_ENDPOINT")];
    let uses_models = [&flow.exchange, &flow.refresh].iter().any(|call| matches!(call, TokenCall::Operation { .. }));
    let uses_models = uses_models.then(|| {
        quote!(
            use crate::models::*;
        )
    });
    let exchange_docs =
        doc_attrs(Some(&call_docs(&flow.exchange, "Exchanges the authorization code from the callback for tokens")));
    let refresh_docs = doc_attrs(Some(&call_docs(
        &flow.refresh,
        "Exchanges a refresh token for a new access token (and usually a new refresh token). A refusal \
         (the user revoked the app's access) is [`TokenError::ReauthorizationRequired`]",
    )));
    let module_docs = format!(
        " The OAuth 2.0 authorization code flow of the `{scheme}` scheme.\n\n 1. [`OAuthApp::authorize`] gives the \
         URL to send the user to and a random `state` to keep.\n 2. [`OAuthApp::callback`] checks the callback \
         (`state` first) and gives the code.\n 3. [`Client::exchange_code`] turns the code into [`Tokens`].\n 4. \
         A [`TokenHolder`] keeps them fresh for a long-running service; give it to \
         [`ClientBuilder`](crate::ClientBuilder)'s token-provider method of the scheme."
    );
    quote! {
        #![doc = #module_docs]
        #uses_models
        use crate::runtime::SecretString;
        use crate::Client;

        pub use crate::runtime::oauth::{
            AuthorizationCode, AuthorizationRequest, CallbackError, State, TokenHolder, TokenHolderBuilder, Tokens,
        };
        pub use crate::runtime::{TokenError, TokenFuture, TokenProvider};

        /// Your app as this API's authorization server knows it: its client id and secret, and
        /// optionally the redirect URI and the scopes to ask for.
        pub type OAuthApp = crate::runtime::oauth::OAuthApp<Flow>;

        /// This API's authorization code flow, which [`OAuthApp`] starts at its authorization URL.
        #[derive(Clone, Copy, Debug)]
        pub struct Flow;

        impl crate::runtime::oauth::AuthorizationFlow for Flow {
            const AUTHORIZATION_URL: &'static str = AUTHORIZATION_URL;
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

#[derive(Clone, Copy, PartialEq)]
enum Grant {
    AuthorizationCode,
    RefreshToken,
}

fn call_docs(call: &TokenCall, what: &str) -> String {
    match call {
        TokenCall::Operation { operation_id, method, .. } => {
            format!("{what}.\n\nSent through `{operation_id}` ([`Client::{method}`]).")
        }
        TokenCall::Standard { url } => format!("{what}.\n\nSent as a standard RFC 6749 form request to `{url}`."),
    }
}

/// The body of `exchange_code` or `refresh_access_token`.
fn token_request(call: &TokenCall, grant: Grant, endpoint: &str) -> TokenStream {
    let (grant_type, refused) = match grant {
        Grant::AuthorizationCode => ("authorization_code", quote!(|status| TokenError::CodeRejected { status })),
        Grant::RefreshToken => ("refresh_token", quote!(|status| TokenError::ReauthorizationRequired { status })),
    };
    let value = |name: &str| -> TokenStream {
        match (name, grant) {
            ("grant_type", _) => quote!(Some(#grant_type)),
            ("client_id", _) => quote!(Some(app.client_id())),
            ("client_secret", _) => quote!(Some(app.client_secret().expose_secret())),
            ("redirect_uri", Grant::AuthorizationCode) => quote!(app.redirect_uri()),
            ("code", Grant::AuthorizationCode) => quote!(Some(code.code().expose_secret())),
            ("state", Grant::AuthorizationCode) => quote!(Some(code.state().as_str())),
            ("refresh_token", Grant::RefreshToken) => quote!(Some(refresh_token.expose_secret())),
            _ => quote!(None),
        }
    };
    match call {
        TokenCall::Operation { method, body_type, fields, body_required, .. } => {
            let method = ident(method);
            let body_type = format_ident!("{}", body_type);
            let params = fields.iter().map(|name| {
                let value = value(name);
                quote!((#name, #value))
            });
            // A body that does not take every input leaves an argument unused; say so explicitly.
            let uses = |names: &[&str]| fields.iter().any(|f| names.contains(&f.as_str()));
            let unused_app = (!uses(&["client_id", "client_secret", "redirect_uri"])).then(|| quote!(let _ = app;));
            let unused_input = match grant {
                Grant::AuthorizationCode => (!uses(&["code", "state"])).then(|| quote!(let _ = code;)),
                Grant::RefreshToken => (!uses(&["refresh_token"])).then(|| quote!(let _ = refresh_token;)),
            };
            // An optional request body is an `Option<&T>` argument of the operation method.
            let body_argument = if *body_required { quote!(&body) } else { quote!(Some(&body)) };
            quote! {
                #unused_app
                #unused_input
                let body: #body_type = crate::runtime::oauth::token_request_body(&[ #( #params ),* ])?;
                let response =
                    self.#method(#body_argument).await.map_err(|err| crate::runtime::oauth::token_error(err, #refused))?;
                Tokens::from_response(response.body())
            }
        }
        TokenCall::Standard { .. } => {
            let names: &[&str] = match grant {
                Grant::AuthorizationCode => &["grant_type", "code", "redirect_uri", "client_id", "client_secret"],
                Grant::RefreshToken => &["grant_type", "refresh_token", "client_id", "client_secret"],
            };
            let params = names.iter().map(|name| {
                let value = value(name);
                quote!((#name, #value))
            });
            let endpoint = format_ident!("{endpoint}");
            quote! {
                crate::runtime::oauth::standard_token_request(self.runtime(), &#endpoint, &[ #( #params ),* ], #refused).await
            }
        }
    }
}

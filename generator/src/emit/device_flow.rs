//! `device_flow.rs`: the device authorization flow (RFC 8628) of the document's `oauth2` scheme
//! (OpenAPI 3.2's `deviceAuthorization`): its URLs and scopes, and the client's two calls, which
//! the runtime's `device` module makes.

use proc_macro2::TokenStream;
use quote::quote;

use super::docs::doc_attrs;
use super::oauth::{scope_consts, standard_endpoint};
use crate::ir::{Api, DeviceFlow};

/// The tokens of `device_flow.rs`.
pub fn device_flow_file(api: &Api, flow: &DeviceFlow) -> TokenStream {
    let (device_authorization_url, token_url) = (&flow.device_authorization_url, &flow.token_url);
    let scopes = scope_consts(&flow.scopes);
    let endpoints = [
        standard_endpoint(
            &flow.device_authorization,
            "DEVICE_AUTHORIZATION_ENDPOINT",
            "oauth2DeviceAuthorization",
            "POST",
        ),
        standard_endpoint(&flow.token, "TOKEN_ENDPOINT", "oauth2DeviceTokenRequest", "POST"),
    ];
    let module_docs = module_docs(api, flow);
    let where_sent = |url: &str| {
        format!(
            "Sent as a standard form request to `{url}` (on one of the client's servers, so the builder's \
             `every_server_url` and `server_url` move it)."
        )
    };
    let start_docs = doc_attrs(Some(&format!(
        "Starts the device flow: asks for a device code for `app` (RFC 8628 section 3.1). Show the user its \
         [`user_code`](DeviceAuthorization::user_code) and [`verification_uri`](DeviceAuthorization::verification_uri), \
         then call [`Client::poll_device_authorization`] with it.\n\n{} A refusal (an unknown client, a scope it may \
         not have) is [`TokenError::DeviceAuthorizationRefused`], with the server's RFC 6749 `error` \
         ([`TokenError::reason`]).",
        where_sent(device_authorization_url)
    )));
    let poll_docs = doc_attrs(Some(&format!(
        "Waits for the user to approve the device (RFC 8628 section 3.4): asks the token endpoint every \
         [`interval`](DeviceAuthorization::interval), five seconds longer after each `slow_down`, until it answers \
         with [`Tokens`]. [`TokenError::DeviceAccessDenied`] when the user declines, \
         [`TokenError::DeviceCodeExpired`] when the code expires first; any other failure is returned as it is \
         (polling again with the same authorization is safe until it expires).\n\n{}",
        where_sent(token_url)
    )));
    let refresh_docs = doc_attrs(Some(&format!(
        "Exchanges a refresh token the device flow gave for new tokens (RFC 6749 section 6). A refusal (the user \
         revoked the device's access) is [`TokenError::ReauthorizationRequired`]. A [`TokenHolder`] made with \
         [`TokenHolder::device_builder`] calls it before the access token expires.\n\n{}",
        where_sent(token_url)
    )));
    quote! {
        #![doc = #module_docs]
        use crate::Client;
        use crate::runtime::SecretString;

        pub use crate::runtime::device::{DeviceApp, DeviceAuthorization};
        pub use crate::runtime::oauth::{TokenHolder, TokenHolderBuilder, Tokens};
        pub use crate::runtime::{RefusalReason, TokenError};

        /// A [`TokenHolder`] made with [`TokenHolder::device_builder`] refreshes through the
        /// client's [`Client::refresh_device_tokens`].
        impl crate::runtime::device::DeviceTokenEndpoint for Client {
            fn refresh_device_tokens<'a>(
                &'a self,
                app: &'a DeviceApp,
                refresh_token: &'a SecretString,
            ) -> crate::runtime::oauth::TokensFuture<'a> {
                Box::pin(Client::refresh_device_tokens(self, app, refresh_token))
            }
        }

        /// Where a device asks for a device code and a user code (`deviceAuthorizationUrl`).
        pub const DEVICE_AUTHORIZATION_URL: &str = #device_authorization_url;
        /// Where the device polls for its tokens (`tokenUrl`).
        pub const TOKEN_URL: &str = #token_url;

        /// The scopes a device can ask for.
        pub mod scopes {
            #( #scopes )*
        }

        #( #endpoints )*

        impl Client {
            #start_docs
            pub async fn start_device_authorization(&self, app: &DeviceApp) -> Result<DeviceAuthorization, TokenError> {
                crate::runtime::device::request_device_authorization(self.runtime(), &DEVICE_AUTHORIZATION_ENDPOINT, app)
                    .await
            }

            #poll_docs
            pub async fn poll_device_authorization(
                &self,
                app: &DeviceApp,
                authorization: &DeviceAuthorization,
            ) -> Result<Tokens, TokenError> {
                crate::runtime::device::poll_device_tokens(self.runtime(), &TOKEN_ENDPOINT, app, authorization).await
            }

            #refresh_docs
            pub async fn refresh_device_tokens(
                &self,
                app: &DeviceApp,
                refresh_token: &SecretString,
            ) -> Result<Tokens, TokenError> {
                crate::runtime::device::refresh_device_tokens(self.runtime(), &TOKEN_ENDPOINT, app, refresh_token).await
            }
        }
    }
}

/// The module's documentation: the steps of the flow, with the builder method the access token
/// is given to.
fn module_docs(api: &Api, flow: &DeviceFlow) -> String {
    let scheme = &flow.scheme;
    let (give_to, holder_to) = match api.security_schemes.iter().find(|s| s.name == flow.scheme) {
        Some(security_scheme) => {
            let setter = security_scheme.setter.trim_start_matches("r#");
            let provider = format!("{}_token_provider", super::oauth::token_provider_name(api, security_scheme));
            (
                format!("give [`Tokens::access_token`] to [`ClientBuilder::{setter}`](crate::ClientBuilder::{setter})"),
                format!("[`ClientBuilder::{provider}`](crate::ClientBuilder::{provider})"),
            )
        }
        None => (
            "give [`Tokens::access_token`] to the client builder's method of the scheme".to_owned(),
            "the client builder's token-provider method of the scheme".to_owned(),
        ),
    };
    format!(
        " The OAuth 2.0 device authorization flow (RFC 8628) of the `{scheme}` scheme, for apps on devices without a \
         browser or with little input (a command-line tool, a TV): the user approves on another device.\n\n 1. \
         [`Client::start_device_authorization`] gives the code to show the user and where to enter it.\n 2. \
         [`Client::poll_device_authorization`] waits for the user's answer and gives [`Tokens`].\n 3. Then {give_to}; \
         or, when the server gave a refresh token, keep the tokens fresh with a [`TokenHolder`] \
         ([`TokenHolder::device_builder`]) given to {holder_to}."
    )
}

//! `client.rs`: what the document says about reaching and authenticating to the API: its
//! servers, its security schemes (one builder method each) and its response headers.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::types::ident;
use crate::ir::{Api, AuthKind, SchemeMetadata, SecurityScheme, Server};

/// The tokens of `client.rs`.
pub fn client_file(api: &Api, gates: Option<&crate::ir::features::FeatureGates>) -> TokenStream {
    let servers = std::iter::once(&api.default_server).chain(&api.extra_servers).map(server_const);
    let setters =
        api.security_schemes.iter().map(|scheme| setter(scheme, &super::oauth::token_provider_name(api, scheme)));
    let setters = (!api.security_schemes.is_empty()).then(|| quote!(impl ClientBuilder { #( #setters )* }));
    let provider_swaps: Vec<TokenStream> = api
        .security_schemes
        .iter()
        .filter_map(|scheme| provider_swap(scheme, &super::oauth::token_provider_name(api, scheme)))
        .collect();
    let provider_swaps = (!provider_swaps.is_empty()).then(|| quote!(impl Client { #( #provider_swaps )* }));
    let metadata = metadata_methods(api);
    // A document without operations (only webhooks or components) sends no request.
    // With a feature per tag and no operation outside them, no method may be compiled at all.
    let every_operation_gated = gates
        .is_some_and(|gates| gates.operations.iter().all(|gate| !matches!(gate, crate::ir::features::Gate::Always)));
    let allow_unused = every_operation_gated.then(|| quote!(#[allow(dead_code)]));
    let request = (!api.operations.is_empty()).then(|| {
        quote! {
            #allow_unused
            pub(crate) fn request(&self, operation: &'static crate::runtime::OperationSpec) -> crate::runtime::Request<'_> {
                self.inner.request(operation)
            }
        }
    });
    let credential_helper = (!api.security_schemes.is_empty()).then(|| {
        quote! {
            fn credential(self, scheme: &'static str, credential: Credential) -> Self {
                ClientBuilder { inner: self.inner.credential(scheme, credential) }
            }
        }
    });
    let headers = api.response_headers.iter().map(|header| {
        let name = format_ident!("{}", header.const_name);
        let wire = &header.wire_name;
        let fallback = format!("The `{wire}` response header.");
        let docs = doc_attrs(
            paragraphs([
                header.description.as_deref().or(Some(&fallback)),
                Some("Read it with `ApiResponse::header`."),
            ])
            .as_deref(),
        );
        quote! {
            #docs
            pub const #name: &str = #wire;
        }
    });
    let uses_credentials = (!api.security_schemes.is_empty()).then(|| {
        quote!(
            use crate::runtime::{Credential, SecretString};
        )
    });
    let optional = |header: &Option<String>| match header {
        Some(header) => quote!(Some(#header)),
        None => quote!(None),
    };
    let reset_header = optional(&api.rate_limit_reset_header);
    let idempotency_header = optional(&api.idempotency_header);
    let server_names = std::iter::once(&api.default_server).chain(&api.extra_servers).map(|server| {
        let name = format_ident!("{}", server.const_name);
        quote!(servers::#name)
    });
    quote! {
        //! The client, its builder, and what the document says about reaching and authenticating
        //! to the API: servers, credentials and response headers.
        use std::time::Duration;

        use crate::runtime::{ApiDescription, BuildError, RedirectPolicy, RetryPolicy};
        #uses_credentials

        /// What the runtime needs to know about this API.
        static API: ApiDescription = ApiDescription {
            default_server: servers::DEFAULT,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            rate_limit_reset_header: #reset_header,
            idempotency_header: #idempotency_header,
            servers: &[#( #server_names ),*],
        };

        /// The API client: one method per operation. Cheap to clone; clones share connections and
        /// configuration.
        #[derive(Clone, Debug)]
        pub struct Client {
            inner: crate::runtime::Client,
        }

        impl Client {
            /// A builder with the default servers, no credentials, and the default timeouts.
            pub fn builder() -> ClientBuilder {
                ClientBuilder { inner: crate::runtime::ClientBuilder::new(&API) }
            }

            /// The runtime client this one wraps.
            pub fn runtime(&self) -> &crate::runtime::Client {
                &self.inner
            }

            #request
        }

        /// Configures a [`Client`]: servers, timeouts, retries, and one method per security scheme
        /// for its credentials.
        #[derive(Debug)]
        pub struct ClientBuilder {
            inner: crate::runtime::ClientBuilder,
        }

        impl ClientBuilder {
            /// Sends operations that use the default server ([`servers::DEFAULT`]) to `url` instead.
            pub fn base_url(self, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.base_url(url) }
            }

            /// Sends operations that use `server` (a constant of [`servers`]) to `url` instead: for
            /// tests, proxies and regional endpoints.
            pub fn server_url(self, server: &'static str, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.server_url(server, url) }
            }

            /// Sends every operation, whichever of [`servers`] it goes to, to `url`: one call to
            /// point a client at a mock server or a proxy. A [`ClientBuilder::server_url`] wins for
            /// its server.
            pub fn every_server_url(self, url: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.every_server_url(url) }
            }

            /// The request header that carries idempotency keys, instead of the one the
            /// description documents (`None` sends none). With one, every `POST` and `PATCH` call
            /// sends a key made once per call (or the one given to the call's
            /// `.idempotency_key(..)`) unchanged on every attempt, and is then retried as safely
            /// as a `GET`.
            pub fn idempotency_header(self, header: Option<&'static str>) -> Self {
                ClientBuilder { inner: self.inner.idempotency_header(header) }
            }

            /// Adds a hook that sees, and may change, every attempt of every call (its request
            /// before it is sent, its response's status and headers), retries included.
            pub fn hook(self, hook: impl crate::runtime::Hook) -> Self {
                ClientBuilder { inner: self.inner.hook(hook) }
            }

            /// The time one attempt may take, from connecting to reading the last byte of the body
            /// (60 s by default). `None` waits for ever. [`RetryPolicy::max_elapsed`] bounds all
            /// attempts together.
            pub fn timeout(self, timeout: Option<Duration>) -> Self {
                ClientBuilder { inner: self.inner.timeout(timeout) }
            }

            /// The time connecting may take (10 s by default).
            pub fn connect_timeout(self, timeout: Duration) -> Self {
                ClientBuilder { inner: self.inner.connect_timeout(timeout) }
            }

            /// The `User-Agent` header (this crate's name and version by default).
            pub fn user_agent(self, user_agent: impl Into<String>) -> Self {
                ClientBuilder { inner: self.inner.user_agent(user_agent) }
            }

            /// Uses a `reqwest::Client` you configured (proxies, TLS roots); the timeout and user
            /// agent settings of this builder are then not applied. Build it with
            /// `.redirect(reqwest::redirect::Policy::none())`, so that this client's
            /// [`RedirectPolicy`] decides which redirects are followed.
            pub fn http_client(self, http: crate::runtime::reqwest::Client) -> Self {
                ClientBuilder { inner: self.inner.http_client(http) }
            }

            /// Sends every request through `client`, a `reqwest-middleware` chain (retries,
            /// caching, tracing, signing from crates.io). Its middlewares run on every attempt,
            /// after this client's hooks, and this client's retries still apply
            /// ([`RetryPolicy::none`] leaves retrying to a middleware). The timeout and user
            /// agent settings of this builder are then not applied: the middleware client's are.
            #[cfg(feature = "middleware")]
            pub fn middleware_client(self, client: crate::reqwest_middleware::ClientWithMiddleware) -> Self {
                ClientBuilder { inner: self.inner.middleware_client(client) }
            }

            /// How failed requests are retried; [`RetryPolicy::none`] turns retries off.
            pub fn retry(self, policy: RetryPolicy) -> Self {
                ClientBuilder { inner: self.inner.retry(policy) }
            }

            /// Which redirects are followed: by default up to 10 in a row, `307` and `308` with
            /// the same method and body, `301`, `302` and `303` for `GET` and `HEAD` only (a write
            /// is never turned into a read), and credentials only to the request's origin.
            /// [`RedirectPolicy::none`] makes every redirect an [`Error::Redirect`](crate::Error::Redirect).
            pub fn redirects(self, policy: RedirectPolicy) -> Self {
                ClientBuilder { inner: self.inner.redirects(policy) }
            }

            /// Whether a success status the description does not document for the operation (a
            /// `201` where only `200` is) is decoded as its documented success body instead of
            /// being an [`Error::UnexpectedResponse`](crate::Error::UnexpectedResponse); off by
            /// default. For an API whose description lists fewer statuses than its server sends.
            pub fn accept_undocumented_success(self, accept: bool) -> Self {
                ClientBuilder { inner: self.inner.accept_undocumented_success(accept) }
            }

            /// Builds the client; fails when a server URL is not a valid URL or TLS cannot be set up.
            pub fn build(self) -> Result<Client, BuildError> {
                Ok(Client { inner: self.inner.build()? })
            }

            #credential_helper
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                Client::builder()
            }
        }

        /// The servers operations are sent to. Override any of them with
        /// [`ClientBuilder::server_url`](crate::ClientBuilder::server_url).
        pub mod servers {
            #( #servers )*
        }

        /// Names of the response headers the API documents.
        pub mod headers {
            #( #headers )*
        }

        #setters

        #provider_swaps
        #metadata
    }
}

/// For a bearer scheme, a copy of the client that takes its tokens from a provider: the OAuth
/// token holder refreshes through the client it was given, so it can be given the very client
/// (connections, servers, hooks) that then uses it. `provider` names the methods (see
/// `oauth::token_provider_name`).
fn provider_swap(scheme: &SecurityScheme, provider: &str) -> Option<TokenStream> {
    if !matches!(scheme.kind, AuthKind::Bearer) {
        return None;
    }
    let name = format_ident!("with_{}_token_provider", provider);
    let scheme_name = &scheme.name;
    let docs = doc_attrs(Some(&format!(
        "This client, sharing its connections and settings, with its bearer token (`{scheme_name}`) \
         from `provider` instead: give an `oauth::TokenHolder` the client it refreshes through, then \
         call the API with the client this returns. The builder's `{provider}_token_provider` does the \
         same for a client being built."
    )));
    Some(quote! {
        #docs
        pub fn #name(&self, provider: impl crate::runtime::TokenProvider) -> Client {
            let credential = crate::runtime::Credential::BearerProvider(std::sync::Arc::new(provider));
            Client { inner: self.inner.with_credential(#scheme_name, credential) }
        }
    })
}

fn server_const(server: &Server) -> TokenStream {
    let name = format_ident!("{}", server.const_name);
    let url = &server.url;
    let role = if server.const_name == "DEFAULT" {
        "The server of every operation that does not name its own."
    } else {
        "A server some operations are sent to instead of the default one."
    };
    let docs = doc_attrs(paragraphs([server.description.as_deref(), Some(role), Some(&format!("`{url}`"))]).as_deref());
    quote! {
        #docs
        pub const #name: &str = #url;
    }
}

fn setter(scheme: &SecurityScheme, provider: &str) -> TokenStream {
    let name = ident(&scheme.setter);
    let scheme_name = &scheme.name;
    let description = scheme.description.as_deref();
    // A scheme the description deprecates (OpenAPI 3.2): its setters say so where they are called.
    let deprecated = scheme.deprecated.then(|| {
        let note = format!("the API description deprecates the `{scheme_name}` security scheme");
        quote!(#[deprecated = #note])
    });
    match &scheme.kind {
        AuthKind::Basic => {
            let with_password = format_ident!("{}_with_password", scheme.setter.trim_start_matches("r#"));
            let docs = doc_attrs(
                paragraphs([
                    description,
                    Some(&format!(
                        "HTTP Basic authentication (`{scheme_name}`) with `username` and an empty password."
                    )),
                ])
                .as_deref(),
            );
            let docs_password = doc_attrs(Some(&format!(
                "HTTP Basic authentication (`{scheme_name}`) with a user name and a password."
            )));
            quote! {
                #docs
                #deprecated
                pub fn #name(self, username: impl Into<SecretString>) -> Self {
                    self.credential(#scheme_name, Credential::Basic { username: username.into(), password: SecretString::default() })
                }

                #docs_password
                #deprecated
                pub fn #with_password(self, username: impl Into<SecretString>, password: impl Into<SecretString>) -> Self {
                    self.credential(#scheme_name, Credential::Basic { username: username.into(), password: password.into() })
                }
            }
        }
        AuthKind::Bearer => {
            let docs = doc_attrs(
                paragraphs([
                    description,
                    Some(&format!("Sends `token` as `Authorization: Bearer` (`{scheme_name}`).")),
                ])
                .as_deref(),
            );
            let provider = format_ident!("{}_token_provider", provider);
            let provider_docs = doc_attrs(Some(&format!(
                "Asks `provider` for the bearer token (`{scheme_name}`) before every request, such as an \
                 `oauth::TokenHolder` that refreshes expiring tokens. When the API answers 401, the token \
                 is invalidated and the request sent once more with a new one."
            )));
            quote! {
                #docs
                #deprecated
                pub fn #name(self, token: impl Into<SecretString>) -> Self {
                    self.credential(#scheme_name, Credential::Bearer(token.into()))
                }

                #provider_docs
                #deprecated
                pub fn #provider(self, provider: impl crate::runtime::TokenProvider) -> Self {
                    self.credential(#scheme_name, Credential::BearerProvider(std::sync::Arc::new(provider)))
                }
            }
        }
        AuthKind::ApiKeyHeader(header) | AuthKind::ApiKeyQuery(header) | AuthKind::ApiKeyCookie(header) => {
            let (variant, place) = match &scheme.kind {
                AuthKind::ApiKeyHeader(_) => (quote!(ApiKeyHeader), "header"),
                AuthKind::ApiKeyQuery(_) => (quote!(ApiKeyQuery), "query parameter"),
                _ => (quote!(ApiKeyCookie), "cookie"),
            };
            let docs = doc_attrs(
                paragraphs([description, Some(&format!("Sends `key` in the `{header}` {place} (`{scheme_name}`)."))])
                    .as_deref(),
            );
            quote! {
                #docs
                #deprecated
                pub fn #name(self, key: impl Into<SecretString>) -> Self {
                    self.credential(#scheme_name, Credential::#variant { name: #header, key: key.into() })
                }
            }
        }
    }
}

/// The name of the operation (`DEVICE_METADATA`) of the request that fetches `metadata`, which
/// the mock server's expectation of it names too.
pub(super) fn metadata_spec_name(metadata: &SchemeMetadata) -> String {
    metadata.method.trim_start_matches("r#").to_ascii_uppercase()
}

/// The methods that fetch the security schemes' metadata documents (`oauth2MetadataUrl`,
/// `openIdConnectUrl`), with the operation of each request.
fn metadata_methods(api: &Api) -> Option<TokenStream> {
    let schemes: Vec<_> =
        api.security_schemes.iter().filter_map(|scheme| Some((scheme, scheme.metadata.as_ref()?))).collect();
    if schemes.is_empty() {
        return None;
    }
    let (specs, methods): (Vec<_>, Vec<_>) = schemes
        .into_iter()
        .map(|(scheme, metadata)| {
            let spec_name = metadata_spec_name(metadata);
            let id = if metadata.openid_connect { "openIdConnectDiscovery" } else { "oauth2Metadata" };
            let spec = super::oauth::standard_endpoint(&metadata.call, &spec_name, id, "GET");
            let (what, field) = if metadata.openid_connect {
                ("OpenID Connect discovery document", "openIdConnectUrl")
            } else {
                ("authorization server metadata (RFC 8414)", "oauth2MetadataUrl")
            };
            let docs = doc_attrs(Some(&format!(
                "The `{}` scheme's {what}, from `{}` (`{field}`): the authorization server's endpoints, and the \
                 scopes and grant types it supports.\n\nSent to one of the client's servers, so the builder's \
                 `every_server_url` and `server_url` move it.",
                scheme.name, metadata.url
            )));
            let (method, spec_ident) = (ident(&metadata.method), format_ident!("{spec_name}"));
            let method = quote! {
                #docs
                #[inline]
                pub fn #method(&self) -> crate::runtime::ResponseFuture<'_, crate::runtime::AuthorizationServerMetadata, serde_json::Value> {
                    let mut request = self.inner.request(&#spec_ident);
                    request.path(#spec_ident.path_template);
                    request.send_json()
                }
            };
            (spec, method)
        })
        .unzip();
    Some(quote! {
        #( #specs )*

        impl Client {
            #( #methods )*
        }
    })
}

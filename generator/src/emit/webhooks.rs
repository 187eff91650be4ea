//! `webhooks.rs`: one function per event callback the API sends, that checks its signature (when
//! the document says how it is signed) and decodes its payload.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, paragraphs};
use super::types::rust_type;
use crate::ir::{Api, Webhook};

/// The tokens of `webhooks.rs`.
pub fn webhooks_file(api: &Api) -> TokenStream {
    let items = api.webhooks.iter().map(|hook| webhook(api, hook));
    let signed = api.webhooks.iter().any(|w| w.signature.is_some());
    let signed_uses = signed.then(|| {
        quote!(
            use crate::runtime::webhook::{SignatureEncoding, SignatureScheme};
        )
    });
    let secret_use = signed.then(|| {
        quote!(
            use crate::runtime::SecretString;
        )
    });
    quote! {
        //! Event callbacks the API sends to your server: functions that check where a callback comes
        //! from and decode it into its documented type.
        #[allow(unused_imports)]
        use crate::models::*;
        #secret_use
        #signed_uses
        pub use crate::runtime::webhook::WebhookError;

        #( #items )*
    }
}

fn webhook(api: &Api, webhook: &Webhook) -> TokenStream {
    let payload_type = rust_type(api, &webhook.payload);
    let carrier = match &webhook.payload_field {
        Some(field) => {
            format!("`payload` is the JSON text of the `{field}` field of the `{}` body.", webhook.content_type)
        }
        None => format!("`payload` is the JSON body (sent as `{}`).", webhook.content_type),
    };
    let acknowledgement = webhook.acknowledgement.as_ref().map(|text| {
        let name = format_ident!("{}_ACKNOWLEDGEMENT", webhook.fn_name.trim_start_matches("r#").to_uppercase());
        let docs = doc_attrs(Some(&format!(
            "The body your server must answer `{}` callbacks with (as `text/plain`), or the API counts the \
             delivery as failed.",
            webhook.name
        )));
        quote! {
            #docs
            pub const #name: &str = #text;
        }
    });
    let function = match &webhook.signature {
        Some(signature) => {
            let name = format_ident!("verify_{}", webhook.fn_name.trim_start_matches("r#"));
            let message = &signature.message;
            let signature_at = &signature.signature;
            let encoding = if signature.encoding == "base64" { quote!(Base64) } else { quote!(Hex) };
            let check = format!(
                "Checks the signature first: `{signature_at}` must be the {} HMAC-SHA256 of {} keyed by `key`, \
                 compared in constant time. Nothing is decoded into the payload type before that.",
                signature.encoding,
                message.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" + "),
            );
            let docs = doc_attrs(
                paragraphs([
                    webhook.summary.as_deref(),
                    webhook.description.as_deref(),
                    Some(&check),
                    signature.key_description.as_deref().map(|key| format!("`key`: {key}")).as_deref(),
                    Some(&carrier),
                ])
                .as_deref(),
            );
            // `#[inline]`: the payload's decoder (often the API's biggest types) is compiled into
            // the programs that call this, not into every build of the client.
            let sign = format_ident!("sign_{}", webhook.fn_name.trim_start_matches("r#"));
            let sign_doc = format!(
                " `payload` as the JSON text of a `{}` callback signed with `key` as the API signs it, for the \
                 tests of the code that receives callbacks (crate feature `mock`); [`{name}`] accepts it.",
                webhook.name
            );
            quote! {
                #docs
                #[inline]
                pub fn #name(key: &SecretString, payload: &str) -> Result<#payload_type, WebhookError> {
                    const SIGNATURE: SignatureScheme = SignatureScheme {
                        message: &[ #( #message ),* ],
                        signature: #signature_at,
                        encoding: SignatureEncoding::#encoding,
                    };
                    crate::runtime::webhook::verify(&SIGNATURE, key, payload)
                }

                #[doc = #sign_doc]
                #[cfg(feature = "mock")]
                pub fn #sign(key: &SecretString, payload: &#payload_type) -> String {
                    const SIGNATURE: SignatureScheme = SignatureScheme {
                        message: &[ #( #message ),* ],
                        signature: #signature_at,
                        encoding: SignatureEncoding::#encoding,
                    };
                    crate::runtime::webhook::sign(&SIGNATURE, key, payload)
                }
            }
        }
        None => {
            let name = format_ident!("parse_{}", webhook.fn_name.trim_start_matches("r#"));
            let warning = "The document does not say how these callbacks are signed, so this does not check \
                           where it comes from.";
            let docs = doc_attrs(
                paragraphs([webhook.summary.as_deref(), webhook.description.as_deref(), Some(warning), Some(&carrier)])
                    .as_deref(),
            );
            quote! {
                #docs
                #[inline]
                pub fn #name(payload: &str) -> Result<#payload_type, WebhookError> {
                    crate::runtime::webhook::parse(payload)
                }
            }
        }
    };
    quote! {
        #acknowledgement
        #function
    }
}

//! `src/mock.rs` (crate feature `mock`): a mock server of the API for the tests of code that
//! uses the client, with an `expect_{method}` per operation typed with the operation's own
//! parameter, body, success and error types, on the runtime's `mock` module (wiremock).

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::gates::cfg_attr;
use super::operations::{spec_ident, success_type};
use super::syntax::{self, FileSyntax, Piece};
use super::types::{ident, rust_type};
use crate::ir::features::{FeatureGates, Gate};
use crate::ir::{
    Api, BodyEncoding, EventEnum, Operation, Param, ParamLocation, ResponseBody, StreamBody, Style, TokenCall, TypeRef,
};

/// Parts `mock.rs` is made and formatted in, as `operations.rs` is (see
/// [`super::operations::operation_parts`]): the mock of Microsoft Graph's 11,422 operations in
/// one piece was 16 MB of text whose tokens and syntax trees held twice the memory of the rest
/// of `generate`.
pub fn mock_parts(api: &Api) -> usize {
    super::operations::operation_parts(api)
}

/// Part `part` (of [`mock_parts`]) of the module of the mock server: the expectations of its
/// operations, a table of the runtime's `mock_operations!` (see [`mock_entry`]); the first part
/// has the module documentation, the server and its own methods, the last the OAuth flow's token
/// requests. Those, and the expectations of extension methods, are tokens, their methods printed
/// apart and put in an `impl MockServer` block's text.
pub fn mock_part(api: &Api, part: usize, gates: Option<&FeatureGates>) -> syn::Result<FileSyntax> {
    let parts = mock_parts(api);
    let chunk = api.operations.len().div_ceil(parts).max(1);
    // The requests no operation makes (to the authorization server) are expected in the last part.
    let last = part + 1 == parts;
    // The `expect_` methods, printed at the depth of the impl block.
    let mut methods = Vec::new();
    let mut items = Vec::new();
    let mut table = String::new();
    for (index, op) in api.operations.iter().enumerate().skip(part * chunk).take(chunk) {
        let gate = gates.map_or(&Gate::Always, |gates| &gates.operations[index]);
        let cfg = cfg_attr(gates, gate);
        match mock_entry(api, op, &cfg)? {
            Some(entry) => table.push_str(&entry),
            None => {
                let (method, item) = extension_method_mock(api, op, &cfg);
                methods.push(printed_in_impl(method)?);
                items.push(Piece::Tokens(item));
            }
        }
        if let ResponseBody::Stream(StreamBody { events: Some(events), .. }) = &op.success {
            items.push(Piece::Tokens(mock_event_impl(events, &cfg)));
        }
    }
    // The standard token requests of the OAuth flow, which no operation of the description
    // makes: the code exchange's endpoint, and the refresh's when it is another one.
    if let (Some(flow), true) = (&api.oauth, last) {
        let exchange = matches!(flow.exchange, TokenCall::Standard { .. });
        let refresh = matches!(&flow.refresh, TokenCall::Standard { url, .. }
            if !matches!(&flow.exchange, TokenCall::Standard { url: exchange_url, .. } if exchange_url == url));
        for (wanted, method, endpoint, what) in [
            (
                exchange,
                "expect_token_request",
                "TOKEN_ENDPOINT",
                "the code exchange (and refreshes, on the same endpoint)",
            ),
            (refresh, "expect_refresh_request", "REFRESH_ENDPOINT", "refreshes"),
        ] {
            if wanted {
                let doc = format!(
                    " Expects the OAuth flow's standard token request (RFC 6749) for {what}: its body is the form's \
                     fields (`grant_type`, `code`, `refresh_token`, ...), its answer a [`TokenAnswer`]."
                );
                let endpoint = format_ident!("{endpoint}");
                let (method, item) = auth_server_mock(
                    method,
                    (quote!(crate::oauth::#endpoint), &endpoint.to_string()),
                    &doc,
                    true,
                    quote!(crate::runtime::mock::TokenAnswer),
                );
                methods.push(printed_in_impl(method)?);
                items.push(Piece::Tokens(item));
            }
        }
    }
    // The device flow's two requests, and the schemes' metadata documents.
    if let (Some(_), true) = (&api.device_flow, last) {
        let form = " its body is the form's fields";
        let (method, item) = auth_server_mock(
            "expect_device_authorization",
            (quote!(crate::device_flow::DEVICE_AUTHORIZATION_ENDPOINT), "DEVICE_AUTHORIZATION_ENDPOINT"),
            &format!(
                " Expects the device flow's device authorization request (RFC 8628 section 3.1):{form} (`client_id`, \
                 `scope`), its answer the JSON of a device authorization (`device_code`, `user_code`, \
                 `verification_uri`, `expires_in`, `interval`)."
            ),
            true,
            quote!(serde_json::Value),
        );
        methods.push(printed_in_impl(method)?);
        items.push(Piece::Tokens(item));
        let (method, item) = auth_server_mock(
            "expect_device_token_request",
            (quote!(crate::device_flow::TOKEN_ENDPOINT), "DEVICE_TOKEN_ENDPOINT"),
            &format!(
                " Expects the device flow's token requests (RFC 8628 section 3.4):{form} (`grant_type`, \
                 `device_code`, `client_id`), its answer a [`TokenAnswer`], or an \
                 error body such as `{{\"error\": \"authorization_pending\"}}` (`respond_in_turn` answers each poll)."
            ),
            true,
            quote!(crate::runtime::mock::TokenAnswer),
        );
        methods.push(printed_in_impl(method)?);
        items.push(Piece::Tokens(item));
    }
    if last {
        for scheme in &api.security_schemes {
            let Some(metadata) = &scheme.metadata else { continue };
            let name = metadata.method.trim_start_matches("r#");
            let spec_name = super::client::metadata_spec_name(metadata);
            let spec = format_ident!("{spec_name}");
            let (method, item) = auth_server_mock(
                &format!("expect_{name}"),
                (quote!(crate::client::#spec), &spec_name),
                &format!(
                    " Expects the fetch of the `{}` scheme's metadata document ([`crate::Client::{name}`]).",
                    scheme.name
                ),
                false,
                quote!(crate::runtime::AuthorizationServerMetadata),
            );
            methods.push(printed_in_impl(method)?);
            items.push(Piece::Tokens(item));
        }
    }
    let methods = methods.concat();
    if !table.is_empty() {
        items.insert(
            0,
            Piece::Text(format!("crate::runtime::mock_operations! {{\n    server MockServer;\n{table}}}\n")),
        );
    }
    if part > 0 {
        let mut file = FileSyntax::default();
        if !methods.is_empty() {
            file.extend([Piece::Text(syntax::impl_block_text("impl MockServer ", &methods))]);
        }
        file.extend(items);
        return Ok(file);
    }
    let any_operation = !api.operations.is_empty() || !items.is_empty();
    let imports = any_operation.then(|| {
        quote! {
            #[allow(unused_imports)]
            use crate::models::*;
            #[allow(unused_imports)]
            use crate::operations::*;
            #[allow(unused_imports)]
            use crate::runtime::Upload;
            #[allow(unused_imports)]
            use std::collections::BTreeMap;
            // For the expectations outside the table (extension methods, the OAuth flow's requests).
            #[allow(unused_imports)]
            use crate::runtime::mock::{Expectation, MockOperation, Received};
        }
    });
    let header = quote! {
        //! A mock server of the API, for the tests of code that uses this client (crate feature
        //! `mock`): a real HTTP server on 127.0.0.1 ([wiremock](https://crates.io/crates/wiremock)),
        //! with an `expect_{method}` per operation, typed with the operation's own parameter,
        //! body, success and error types. Point a client at it with [`MockServer::client_builder`].
        //!
        //! An expectation matches its operation's method and path, and what the test asks of
        //! the parameters (`params`, `params_where`) and the body (`body`, `body_where`); it
        //! answers with the success body (`respond_ok`), a documented error (`respond_error`),
        //! any status, headers, a delay, or a dropped connection. When the server is dropped (or [`MockServer::verify`] is called), every
        //! expectation met fewer times than it asked (at least once, by default) and every
        //! request no expectation matched fail the test, with the closest expectation and why.
        #imports
        pub use crate::runtime::mock::{Expected, MockFailure, Reply, TokenAnswer};

        /// A mock server of the API on 127.0.0.1.
        #[derive(Debug)]
        pub struct MockServer {
            inner: crate::runtime::mock::MockServer,
        }
    };
    let server_impl = quote! {
        impl MockServer {
            /// Starts a server on a port of its own.
            pub async fn start() -> MockServer {
                MockServer { inner: crate::runtime::mock::MockServer::start().await }
            }

            /// The server's URL (`http://127.0.0.1:PORT`).
            pub fn uri(&self) -> String {
                self.inner.uri()
            }

            /// A client builder whose every server is this one, without retries (an answer is
            /// what the test says it is); set credentials on it as usual.
            pub fn client_builder(&self) -> crate::ClientBuilder {
                crate::Client::builder().every_server_url(self.uri()).retry(crate::RetryPolicy::none())
            }

            /// Checks now what the end of the test would: every expectation met as often as it
            /// asked, and no request that none matched.
            pub fn verify(&self) -> Result<(), MockFailure> {
                self.inner.verify()
            }
        }
    };
    // The server's own methods as prettyplease prints them, then the expectations, in one block.
    let mut file = FileSyntax::from(header);
    let server_impl: syn::ItemImpl = syn::parse2(server_impl)?;
    let own_methods = syntax::printed_in_impl(server_impl.items)?;
    file.extend([Piece::Text(syntax::impl_block_text("impl MockServer ", &(own_methods + &methods)))]);
    file.extend(items);
    Ok(file)
}

/// A method (its tokens) printed as prettyplease prints it inside an `impl` block.
fn printed_in_impl(method: TokenStream) -> syn::Result<String> {
    syntax::printed_in_impl(vec![syn::parse2(method)?])
}

/// How the mock sends each event of an enum of events named by `event`: under its name, with
/// its data as text or JSON (an unknown one as it came).
fn mock_event_impl(events: &EventEnum, cfg: &TokenStream) -> TokenStream {
    let name = ident(&events.name);
    let unknown = ident(&events.unknown_variant);
    let arms = events.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let event = &variant.event;
        match variant.data {
            TypeRef::String => quote!(Self::#variant_name(data) => (Some(#event), data.clone()),),
            _ => quote!(Self::#variant_name(data) => (Some(#event), serde_json::to_string(data).unwrap_or_default()),),
        }
    });
    quote! {
        #cfg
        impl crate::runtime::mock::MockEvent for #name {
            fn event(&self) -> (Option<&str>, String) {
                match self {
                    #( #arms )*
                    Self::#unknown { event, data } => (event.as_deref(), data.clone()),
                }
            }
        }
    }
}

/// The expectation of a request to the authorization server that no operation of the
/// description makes (`spec`): a form body (`form`) or none, answered with `success`.
fn auth_server_mock(
    method: &str,
    (spec, spec_name): (TokenStream, &str),
    doc: &str,
    form: bool,
    success: TokenStream,
) -> (TokenStream, TokenStream) {
    let mock = format_ident!("MOCK_{spec_name}");
    let method = format_ident!("{method}");
    let (body_type, body_decoder) = if form {
        (quote!(BTreeMap<String, String>), quote!(crate::runtime::mock::request_body::<BTreeMap<String, String>>))
    } else {
        (quote!(()), quote!(|_| Ok(())))
    };
    let method = quote! {
        #[doc = #doc]
        pub fn #method(&self) -> Expectation<'_, (), #body_type, #success, serde_json::Value> {
            self.inner.expect(&#mock)
        }
    };
    let item = quote! {
        static #mock: MockOperation<(), #body_type> = MockOperation {
            spec: &#spec,
            params: |_| Ok(()),
            body: #body_decoder,
            stream: None,
        };
    };
    (method, item)
}

/// The `expect_{method}` of `op`, an operation whose method is an extension method (`QUERY`),
/// and its `MockOperation` with the decoder of its parameters, made when first used as the
/// operation's spec is. The other operations are entries of the table (see [`mock_entry`]).
fn extension_method_mock(api: &Api, op: &Operation, cfg: &TokenStream) -> (TokenStream, TokenStream) {
    let method_name = op.methods[0].name.trim_start_matches("r#");
    let expect = format_ident!("expect_{}", method_name);
    let spec = spec_ident(op);
    // Prefixed, so that a name made of a keyword (`self_`) does not end in `__`.
    let mock = format_ident!("MOCK_{}", spec.to_string());
    let decode_params = format_ident!("decode_{}", method_name);
    let params_type = match &op.params {
        Some(params) => {
            let name = ident(&params.name);
            quote!(#name)
        }
        None => quote!(()),
    };
    // The body the mock decodes, whatever its media type (JSON, form, multipart, text, bytes,
    // a stream of items): the type of the operation's first method with one.
    let body = op.methods.iter().find_map(|method| method.body.as_ref());
    let (body_type, body_decoder) = match body {
        Some(body) => {
            let ty = rust_type(api, &body.ty);
            let ty = match (&body.encoding, body.required) {
                (BodyEncoding::Stream(_), _) => quote!(Vec<#ty>),
                (_, true) => ty,
                (_, false) => quote!(Option<#ty>),
            };
            (ty.clone(), quote!(crate::runtime::mock::request_body::<#ty>))
        }
        None => (quote!(()), quote!(|_| Ok(()))),
    };
    let success_type = success_type(api, &op.success);
    let stream = match &op.success {
        ResponseBody::Stream(stream) => {
            let media_type = &stream.media_type;
            quote!(Some(#media_type))
        }
        _ => quote!(None),
    };
    let error_type = rust_type(api, &op.error_type);
    let doc = format!(" Expects `{} {}` ([`crate::Client::{method_name}`]).", op.http_method, op.path_template);
    let method = quote! {
        #[doc = #doc]
        #cfg
        pub fn #expect(&self) -> Expectation<'_, #params_type, #body_type, #success_type, #error_type> {
            self.inner.expect(&#mock)
        }
    };
    let params_decoder = match &op.params {
        Some(params) => {
            let name = ident(&params.name);
            let fields = params.params.iter().map(|param| {
                let field = ident(&param.name);
                let wire = &param.wire_name;
                let read = format_ident!("{}", param_reader(api, param));
                quote!(#field: request.#read(#wire)?,)
            });
            // A deprecated parameter is still decoded.
            let deprecated = params.params.iter().any(|param| param.deprecated).then(|| quote!(#[allow(deprecated)]));
            quote! {
                #cfg
                #deprecated
                fn #decode_params(request: &Received<'_>) -> Result<#name, String> {
                    Ok(#name { #( #fields )* })
                }
            }
        }
        None => quote! {
            #cfg
            fn #decode_params(_: &Received<'_>) -> Result<(), String> {
                Ok(())
            }
        },
    };
    let operation = quote! {
        MockOperation {
            spec: &crate::operations::#spec,
            params: #decode_params,
            body: #body_decoder,
            stream: #stream,
        }
    };
    let item = quote! {
        #cfg
        static #mock: std::sync::LazyLock<MockOperation<#params_type, #body_type>> =
            std::sync::LazyLock::new(|| #operation);
        #params_decoder
    };
    (method, item)
}

/// The entry of `op` in the runtime's `mock_operations!` table (its docs and feature gate, then
/// a line), or `None` for an extension method, whose spec is made when first used (a
/// `LazyLock`, left to [`extension_method_mock`]):
///
/// ```text
/// /// Expects `GET /pets/{id}` ([`crate::Client::get_pet`]).
/// expect_get_pet: GET_PET, params (GetPetParams { id: path "id" }), ok Pet, error Problem;
/// ```
///
/// with `body T` (what the mock decodes, whatever its media type) and `stream "media/type"` (a
/// success that is a stream of items) between the parameters and `ok` when there are.
fn mock_entry(api: &Api, op: &Operation, cfg: &TokenStream) -> syn::Result<Option<String>> {
    if !op.http_method.is_standard() {
        return Ok(None);
    }
    let string = |text: &str| proc_macro2::Literal::string(text).to_string();
    let method_name = op.methods[0].name.trim_start_matches("r#");
    let mut entry = String::new();
    let doc = format!(" Expects `{} {}` ([`crate::Client::{method_name}`]).", op.http_method, op.path_template);
    super::object::doc_text(&mut entry, "    ", &[doc]);
    entry.push_str(&super::gates::cfg_text(cfg, "    ")?);
    let params = match &op.params {
        Some(params) => {
            let fields: Vec<String> = params
                .params
                .iter()
                .map(|param| format!("{}: {} {}", param.name, param_reader(api, param), string(&param.wire_name)))
                .collect();
            format!("{} {{ {} }}", params.name, fields.join(", "))
        }
        None => String::new(),
    };
    let _ = write!(entry, "    expect_{method_name}: {}, params ({params})", spec_ident(op));
    // The body the mock decodes: the type of the operation's first method with one.
    if let Some(body) = op.methods.iter().find_map(|method| method.body.as_ref()) {
        let ty = body.ty.rust(&api.types);
        let _ = match (&body.encoding, body.required) {
            (BodyEncoding::Stream(_), _) => write!(entry, ", body Vec<{ty}>"),
            (_, true) => write!(entry, ", body {ty}"),
            (_, false) => write!(entry, ", body Option<{ty}>"),
        };
    }
    if let ResponseBody::Stream(stream) = &op.success {
        let _ = write!(entry, ", stream {}", string(&stream.media_type));
    }
    let success = super::operations::success_type_rust(api, &op.success);
    let _ = writeln!(entry, ", ok {success}, error {};", op.error_type.rust(&api.types));
    Ok(Some(entry))
}

/// The method of the received request that reads `param` (`request.query("limit")`).
fn param_reader(api: &Api, param: &Param) -> &'static str {
    let object = param.ty.is_object(&api.types);
    match param.location {
        ParamLocation::Path => "path",
        // An exploded `form` object's properties are pairs of their own.
        ParamLocation::Query if object && param.style == Style::Form && param.explode => "query_object",
        ParamLocation::Query => "query",
        ParamLocation::Header => "header",
        ParamLocation::Cookie => "cookie",
        ParamLocation::QueryString => "query_string_json",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The table entries of the operations of `yaml`.
    fn entries(yaml: &str) -> Vec<String> {
        let api = super::super::printed::api_of(yaml, "mock").expect("the API");
        api.operations.iter().map(|op| mock_entry(&api, op, &TokenStream::new()).unwrap().expect("an entry")).collect()
    }

    /// An entry names what its expectation is typed with: the parameters with where each is
    /// read from, the body the mock decodes, the success and error types.
    #[test]
    fn an_entry_lists_the_parameters_where_they_are_read_and_the_types() {
        let yaml = r#"
openapi: 3.0.3
info: {title: Mock, version: '1'}
paths:
  /pets/{id}:
    parameters:
      - {name: id, in: path, required: true, schema: {type: string}}
      - {name: max-age, in: query, schema: {type: integer}}
      - {name: "X-Trace \"id\"", in: header, schema: {type: string}}
    put:
      operationId: putPet
      requestBody:
        content:
          application/json:
            schema: {$ref: '#/components/schemas/Pet'}
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {type: array, items: {$ref: '#/components/schemas/Pet'}}
  /health:
    get:
      operationId: health
      responses:
        '204': {description: fine}
components:
  schemas:
    Pet: {type: object, properties: {id: {type: string}}}
"#;
        let entries = entries(yaml);
        assert_eq!(
            entries[0],
            "    /// Expects `PUT /pets/{id}` ([`crate::Client::put_pet`]).\n    expect_put_pet: PUT_PET, params (PutPetParams \
             { id: path \"id\", max_age: query \"max-age\", x_trace_id: header \"X-Trace \\\"id\\\"\" }), body \
             Option<Pet>, ok Vec<Pet>, error serde_json::Value;\n"
        );
        assert_eq!(
            entries[1],
            "    /// Expects `GET /health` ([`crate::Client::health`]).\n    expect_health: HEALTH, params (), ok (), \
             error serde_json::Value;\n"
        );
    }
}

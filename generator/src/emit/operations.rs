//! `operations.rs`: the parameter structs and one `Client` method per operation and request
//! media type. Each method only lists what is particular to its operation; the runtime does the
//! encoding, sending and decoding.

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_attrs, doc_lines};
use super::gates::{cfg_attr, cfg_text, gated, when_ungated};
use super::method::Method;
use super::models::{SerdeTraits, allow_unused_when_gated, uses_for};
use super::object::{Declaration, object_text};
use super::printed;
use super::syntax::{self, FileSyntax, Piece};
use super::types::{ident, rust_type};
use crate::ir::features::{FeatureGates, Gate};
use crate::ir::{Api, BodyEncoding, Field, Operation, ParamLocation, ResponseBody, StatusEnum, StatusMatch, Struct};
use crate::ir::{EventEnum, StatusCase, StreamBody, StreamFormat, TypeRef};

/// Parts `operations.rs` is made and formatted in, as `models.rs` is (see
/// [`super::models::model_parts`]): one for most APIs, one per 250 operations for big
/// ones, each with the parameter structs, specs and a `Client` impl block of its operations.
pub fn operation_parts(api: &Api) -> usize {
    api.operations.len().div_ceil(OPERATIONS_PER_PART).max(1)
}

const OPERATIONS_PER_PART: usize = 250;

/// The tokens of part `part` (of [`operation_parts`]) of `operations.rs`; the first part has the
/// module documentation and the `use` lines.
pub fn operations_part(api: &Api, part: usize, gates: Option<&FeatureGates>) -> syn::Result<FileSyntax> {
    let chunk = api.operations.len().div_ceil(operation_parts(api)).max(1);
    let first = part * chunk;
    let operations = || api.operations.iter().enumerate().skip(first).take(chunk);
    let cfg_of = |index: usize| cfg_attr(gates, gates.map_or(&Gate::Always, |gates| &gates.operations[index]));
    let mut params_structs = Vec::new();
    for (index, op) in operations() {
        let cfg = cfg_of(index);
        if let Some(piece) = params_struct(api, op, &cfg) {
            params_structs.push(piece?);
        }
    }
    // The status enums, text where their shape allows (see `printed.rs`), then the specs: one
    // table of a line each, and the specs of extension methods after it.
    let mut status_enums = Vec::new();
    let (mut spec_table, mut specs) = (String::new(), Vec::new());
    for (index, op) in operations() {
        let cfg = cfg_of(index);
        let enum_of = |by_status: &StatusEnum, bodies: Bodies| match when_ungated(&cfg, || {
            status_enum_text(api, op, by_status, bodies)
        }) {
            Some(text) => Piece::Text(text),
            None => Piece::Tokens(gated(&cfg, status_enum_def(api, op, by_status, bodies))),
        };
        match &op.success {
            ResponseBody::ByStatus(by_status) => status_enums.push(enum_of(by_status, Bodies::Success)),
            ResponseBody::Stream(StreamBody { events: Some(events), .. }) => {
                status_enums.push(Piece::Tokens(gated(&cfg, event_enum_def(api, op, events))));
            }
            _ => {}
        }
        if let Some(error_enum) = &op.error_enum {
            status_enums.push(enum_of(error_enum, Bodies::Error));
        }
        match spec_line(op, &cfg)? {
            Some(line) => spec_table.push_str(&line),
            None => specs.push(Piece::Tokens(gated(&cfg, vec![extension_method_spec(op)]))),
        }
    }
    if !spec_table.is_empty() {
        specs.insert(0, Piece::Text(spec_table_text(&spec_table)));
    }
    // The methods as text where their shape allows (see `method.rs`); the others printed from
    // their syntax trees, a run at a time, into the same block.
    let (mut methods, mut pending) = (String::new(), Vec::new());
    for (index, op) in operations() {
        let cfg = cfg_of(index);
        for method in &op.methods {
            let method = Method::of(api, op, method);
            match when_ungated(&cfg, || method.text()) {
                Some(text) => {
                    methods.push_str(&syntax::printed_in_impl(std::mem::take(&mut pending))?);
                    methods.push_str(&text);
                }
                None => {
                    let mut method = method.syntax()?;
                    method.attrs.splice(0..0, syntax::parse_attributes(cfg.clone())?);
                    pending.push(syn::ImplItem::Fn(method));
                }
            }
        }
        for page_method in super::pages::page_methods(api, op).into_iter().flatten() {
            pending.push(syn::parse2(quote!(#cfg #page_method))?);
        }
    }
    methods.push_str(&syntax::printed_in_impl(pending)?);
    // Deprecated parameters are still sent when set; only their users are warned.
    let client_impl = (!methods.is_empty())
        .then(|| Piece::Text(syntax::impl_block_text("#[allow(deprecated)]\nimpl Client ", &methods)));
    // The parameter structs, the status enums and specs, and the `Client` impl block.
    let items = |syntax: &mut FileSyntax| {
        syntax.extend(params_structs);
        syntax.extend(status_enums);
        syntax.extend(specs);
        syntax.extend(client_impl);
    };
    if part > 0 {
        let mut syntax = FileSyntax::default();
        items(&mut syntax);
        return Ok(syntax);
    }
    let success_types = api.operations.iter().flat_map(|op| op.success_body_types());
    let mentioned = api
        .operations
        .iter()
        .flat_map(|op| {
            op.params
                .iter()
                .flat_map(|p| p.params.iter().map(|p| &p.ty))
                .chain(op.methods.iter().filter_map(|m| m.body.as_ref()).map(|b| &b.ty))
                .chain(op.error_body_types())
                // A listing's item type is named by its `_items` stream (`BTreeMap<..>` when the
                // items are open objects, as callfire.com's are).
                .chain(op.pagination.as_ref().map(|pagination| &pagination.item_type))
        })
        .chain(success_types);
    let uses = uses_for(mentioned);
    // Cookie and header parameters take no style; path and query parameters and multipart do.
    let needs_style = api.operations.iter().any(|op| {
        op.params.as_ref().is_some_and(|params| {
            params.params.iter().any(|p| matches!(p.location, ParamLocation::Path | ParamLocation::Query))
        }) || op
            .methods
            .iter()
            .any(|m| matches!(m.body.as_ref().map(|b| &b.encoding), Some(BodyEncoding::Multipart(_))))
    });
    // The table of specs names its types by `$crate` paths; an extension method's spec, its type.
    let extension_methods = api.operations.iter().any(|op| !op.http_method.is_standard());
    let runtime_uses = [
        extension_methods.then(|| quote!(OperationSpec)),
        Some(quote!(ResponseFuture)),
        needs_style.then(|| quote!(Style)),
    ]
    .into_iter()
    .flatten();
    // A document with only webhooks or components has no operation to import anything for.
    let imports = (!api.operations.is_empty()).then(|| {
        let allow = allow_unused_when_gated(gates);
        let uses = gated(&allow, uses);
        let imports = vec![
            quote!(
                use crate::Client;
            ),
            quote!(use crate::runtime::{ #( #runtime_uses ),* };),
        ];
        let imports = gated(&allow, imports);
        quote! {
            #uses
            #[allow(unused_imports)]
            use crate::models::*;
            #imports
        }
    });
    // Without operations nothing is imported, and the links name their items by path.
    let (client, response_future) = match api.operations.is_empty() {
        true => ("[`Client`](crate::Client)", "[`ResponseFuture`](crate::ResponseFuture)"),
        false => ("[`Client`]", "[`ResponseFuture`]"),
    };
    let docs = [
        format!(" One method per operation on {client}, and the parameter structs they take."),
        String::new(),
        format!(" A method encodes its arguments at once and returns a {response_future} that sends the"),
        " request: it borrows the client only, so the arguments may be dropped before it is awaited.".to_owned(),
    ];
    let tokens = quote! {
        #( #![doc = #docs] )*
        #imports
    };
    let mut syntax = FileSyntax::from(tokens);
    items(&mut syntax);
    Ok(syntax)
}

/// Which bodies a status enum holds.
#[derive(Clone, Copy, PartialEq)]
enum Bodies {
    Success,
    Error,
}

impl Bodies {
    /// The doc line of the status enum of `method`'s bodies.
    fn enum_doc(self, method: &str) -> String {
        match self {
            Bodies::Success => format!(" The success bodies of [`Client::{method}`], by status."),
            Bodies::Error => format!(" The error bodies of [`Client::{method}`], by status."),
        }
    }
}

/// The documentation of a status enum's variant: its status, and what the description says of it.
fn case_doc(case: &StatusCase) -> String {
    let status = match case.status {
        StatusMatch::Code(code) => format!("`{code}`"),
        StatusMatch::Range(range) => format!("`{range}XX`"),
        StatusMatch::Default => "Any other status (`default`)".to_owned(),
    };
    match &case.description {
        Some(description) => format!("{status}: {description}"),
        None => status,
    }
}

/// The enum of an operation's success or error bodies, when they differ by status, and how a
/// status picks its variant: the exact status, then its range, then `default`. A status none of
/// them names is an `Error::UnexpectedResponse`; an error body that is not its documented one
/// too, and a success body that is not, an `Error::Decode`.
fn status_enum_def(api: &Api, op: &Operation, by_status: &StatusEnum, bodies: Bodies) -> Vec<TokenStream> {
    let name = ident(&by_status.name);
    let method = op.methods[0].name.trim_start_matches("r#");
    let doc = bodies.enum_doc(method);
    let variants = by_status.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let docs = doc_attrs(Some(&case_doc(case)));
        match &case.ty {
            Some(ty) => {
                let ty = rust_type(api, ty);
                quote!(#docs #variant(#ty),)
            }
            None => quote!(#docs #variant,),
        }
    });
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let arms = by_status.cases.iter().map(|case| {
        let variant = ident(&case.variant);
        let pattern = match case.status {
            StatusMatch::Code(code) => {
                let code = literal(code);
                quote!(#code)
            }
            StatusMatch::Range(range) => {
                let exact: Vec<u16> = by_status
                    .cases
                    .iter()
                    .filter_map(|case| match case.status {
                        StatusMatch::Code(code) => Some(code),
                        _ => None,
                    })
                    .collect();
                range_pattern(range, &exact)
            }
            StatusMatch::Default => quote!(_),
        };
        match (&case.ty, bodies) {
            (Some(_), Bodies::Error) => {
                quote!(#pattern => crate::runtime::decode_error_body(body).map(Self::#variant),)
            }
            (Some(_), Bodies::Success) => {
                quote!(#pattern => Some(crate::runtime::decode_success_body(body).map(Self::#variant)),)
            }
            (None, Bodies::Error) => quote!(#pattern => Some(Self::#variant),),
            (None, Bodies::Success) => quote!(#pattern => Some(Ok(Self::#variant)),),
        }
    });
    let fallback =
        (!by_status.cases.iter().any(|case| case.status == StatusMatch::Default)).then(|| quote!(_ => None,));
    // `#[inline]`, as the operation methods are: the decoders of the bodies are compiled only
    // into the programs that call the operation.
    let body_impl = match bodies {
        Bodies::Error => quote! {
            impl crate::runtime::ErrorBody for #name {
                #[inline]
                fn from_response(status: crate::runtime::reqwest::StatusCode, body: &[u8]) -> Option<Self> {
                    match status.as_u16() {
                        #( #arms )*
                        #fallback
                    }
                }
            }
        },
        Bodies::Success => quote! {
            impl crate::runtime::SuccessBody for #name {
                #[inline]
                fn from_response(
                    status: crate::runtime::reqwest::StatusCode,
                    body: &[u8],
                ) -> Option<Result<Self, crate::runtime::DecodeFailure>> {
                    match status.as_u16() {
                        #( #arms )*
                        #fallback
                    }
                }
            }
        },
    };
    // A body is decoded once and handed to the caller, who matches on it: boxing the big
    // variants would cost every caller a `Box` to look through for nothing.
    let definition = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
        }
    };
    vec![definition, body_impl]
}

/// The enum of the events of `op`'s stream, by their `event` name, and how each is decoded.
fn event_enum_def(api: &Api, op: &Operation, events: &EventEnum) -> Vec<TokenStream> {
    let name = ident(&events.name);
    let method = op.methods[0].name.trim_start_matches("r#");
    let doc = format!(" The events of [`Client::{method}`], by their `event` name.");
    let unknown = ident(&events.unknown_variant);
    let variants = events.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let ty = rust_type(api, &variant.data);
        let doc = format!(" `{}` events: their data.", variant.event);
        quote!(#[doc = #doc] #variant_name(#ty),)
    });
    let arms = events.variants.iter().map(|variant| {
        let variant_name = ident(&variant.name);
        let event = &variant.event;
        match variant.data {
            TypeRef::String => quote!(Some(#event) => Ok(Self::#variant_name(data.to_owned())),),
            _ => quote!(Some(#event) => crate::runtime::decode_json_item(data).map(Self::#variant_name),),
        }
    });
    // Each event is decoded once and handed to the caller, as the bodies by status are.
    let definition = quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #( #variants )*
            /// An event this client does not know: its name (`None` for the default type) and
            /// data as they came.
            #unknown {
                /// The `event` name.
                event: Option<String>,
                /// The event's data.
                data: String,
            },
        }
    };
    let decode = quote! {
        impl crate::runtime::EventData for #name {
            fn decode(event: Option<&str>, data: &str) -> Result<Self, (String, serde_json::Error)> {
                match event {
                    #( #arms )*
                    _ => Ok(Self::#unknown { event: event.map(str::to_owned), data: data.to_owned() }),
                }
            }
        }
    };
    vec![definition, decode]
}

/// The struct of an operation's parameters, an `object_serde!` call (see `object.rs`) after its
/// gate (`cfg`).
fn params_struct(api: &Api, op: &Operation, cfg: &TokenStream) -> Option<syn::Result<Piece>> {
    let params = op.params.as_ref()?;
    let fields = params
        .params
        .iter()
        .map(|param| Field {
            name: param.name.clone(),
            wire_name: param.wire_name.clone(),
            ty: param.ty.clone(),
            required: param.required,
            nullable: false,
            null_is_absent: false,
            default: param.default.clone(),
            description: param.description.clone(),
            read_only: false,
            write_only: false,
            deprecated: param.deprecated,
        })
        .collect();
    let doc = format!("The parameters of [`Client::{}`].", op.methods[0].name.trim_start_matches("r#"));
    let body = Struct { fields, additional_properties: None, required_fields: params.required_fields.clone() };
    let declaration = Declaration { name: &params.name, docs: doc_lines(Some(&doc)), attributes: &[], derives: &[] };
    Some(cfg_text(cfg, "").map(|mut text| {
        object_text(&mut text, api, &declaration, &body, SerdeTraits::features_only());
        Piece::Text(text)
    }))
}

pub(super) fn spec_ident(op: &Operation) -> proc_macro2::Ident {
    format_ident!("{}", crate::ir::naming::shouty(op.methods[0].name.trim_start_matches("r#"), "OPERATION"))
}

/// The spec of an operation whose method is an extension method (`QUERY`, `COPY`), which the
/// `http` crate has no constant for: made the first time it is used. The other operations' specs
/// are lines of the table (see [`spec_line`]).
fn extension_method_spec(op: &Operation) -> TokenStream {
    let name = spec_ident(op);
    let id = &op.operation_id;
    let server = match &op.server {
        Some(server) => {
            let server = format_ident!("{}", server);
            quote!(crate::servers::#server)
        }
        None => quote!(crate::servers::DEFAULT),
    };
    let fixed_query = match &op.fixed_query {
        Some(query) => quote!(Some(#query)),
        None => quote!(None),
    };
    let alternatives = op.security.iter().map(|alternative| quote!(&[ #( #alternative ),* ]));
    let path_template = &op.path_template;
    let statuses = op.documented_responses.iter().filter_map(|(status, _)| status_number(status));
    let method = op.http_method.as_str();
    quote! {
        pub(crate) static #name: std::sync::LazyLock<OperationSpec> = std::sync::LazyLock::new(|| OperationSpec {
            id: #id,
            method: crate::runtime::extension_method(#method),
            path_template: #path_template,
            server: #server,
            fixed_query: #fixed_query,
            security: &[ #( #alternatives ),* ],
            statuses: &[ #( #statuses ),* ],
        });
    }
}

/// The line of the runtime's `operation_specs!` table for `op` (with its feature gate before
/// it), or `None` for an extension method: `NAME: GET "/path", id "operationId", statuses [..]`,
/// then the server, the query in the path key and the security alternatives when there are any.
fn spec_line(op: &Operation, cfg: &TokenStream) -> syn::Result<Option<String>> {
    if !op.http_method.is_standard() {
        return Ok(None);
    }
    let string = |text: &str| proc_macro2::Literal::string(text).to_string();
    let mut line = cfg_text(cfg, "    ")?;
    let statuses: Vec<String> =
        op.documented_responses.iter().filter_map(|(status, _)| status_number(status)).map(|n| n.to_string()).collect();
    let _ = write!(
        line,
        "    {}: {} {}, id {}, statuses [{}]",
        spec_ident(op),
        op.http_method.as_str(),
        string(&op.path_template),
        string(&op.operation_id),
        statuses.join(", ")
    );
    if let Some(server) = &op.server {
        let _ = write!(line, ", server crate::servers::{server}");
    }
    if let Some(query) = &op.fixed_query {
        let _ = write!(line, ", query {}", string(query));
    }
    if !op.security.is_empty() {
        let alternatives: Vec<String> = op
            .security
            .iter()
            .map(|schemes| format!("[{}]", schemes.iter().map(|scheme| string(scheme)).collect::<Vec<_>>().join(", ")))
            .collect();
        let _ = write!(line, ", security [{}]", alternatives.join(", "));
    }
    line.push_str(";\n");
    Ok(Some(line))
}

/// The `operation_specs!` call of the table's `lines`.
fn spec_table_text(lines: &str) -> String {
    format!("crate::runtime::operation_specs! {{\n    default server crate::servers::DEFAULT;\n{lines}}}\n")
}

/// The statuses of the class `range` (`4` for `4XX`) without the `exact` ones, which have arms
/// of their own: `400..=403 | 405..=499` beside `404`, so that no arm overlaps another.
fn range_pattern(range: u16, exact: &[u16]) -> TokenStream {
    let literal = proc_macro2::Literal::u16_unsuffixed;
    let (low, high) = (range * 100, range * 100 + 99);
    let mut inside: Vec<u16> = exact.iter().copied().filter(|code| (low..=high).contains(code)).collect();
    inside.sort_unstable();
    inside.dedup();
    let mut pieces = Vec::new();
    let mut from = low;
    for code in inside.into_iter().chain(std::iter::once(high + 1)) {
        if code > from {
            let (start, end) = (literal(from), literal(code - 1));
            pieces.push(if code - 1 == from { quote!(#start) } else { quote!(#start..=#end) });
        }
        from = code + 1;
    }
    match pieces.is_empty() {
        // Every status of the class has an arm of its own: this one is never reached.
        true => quote!(_ if false),
        false => quote!(#( #pieces )|*),
    }
}

/// A documented status as the runtime's `OperationSpec::statuses` holds it: the code, the class
/// (`2` for `2XX`), or `0` for `default`.
fn status_number(status: &str) -> Option<proc_macro2::Literal> {
    let number = match status {
        "default" => 0,
        _ => match status.strip_suffix("XX").or_else(|| status.strip_suffix("xx")) {
            Some(class) => class.parse().ok()?,
            None => status.parse().ok()?,
        },
    };
    Some(proc_macro2::Literal::u16_unsuffixed(number))
}

/// The type of `success`, as an operation's method returns it: its Rust text.
pub(super) fn success_type_rust(api: &Api, success: &ResponseBody) -> String {
    match success {
        ResponseBody::Empty => "()".to_owned(),
        ResponseBody::Json(ty) => ty.rust(&api.types).to_string(),
        ResponseBody::Text => "String".to_owned(),
        ResponseBody::Bytes => "crate::ByteStream".to_owned(),
        ResponseBody::ByStatus(by_status) => by_status.name.clone(),
        ResponseBody::Stream(stream) => {
            let item = stream.item.rust(&api.types);
            match stream.format {
                StreamFormat::EventStream => format!("crate::EventStream<{item}>"),
                StreamFormat::JsonLines | StreamFormat::JsonSequence => format!("crate::JsonStream<{item}>"),
            }
        }
    }
}

/// The type of `success`, as an operation's method returns it.
pub(super) fn success_type(api: &Api, success: &ResponseBody) -> TokenStream {
    // The IR writes every name and path it holds, so the text always parses.
    success_type_rust(api, success).parse().unwrap_or_else(|_| quote!(serde_json::Value))
}

/// [`success_type`] as text, when prettyplease prints it so (see `printed.rs`).
pub(super) fn success_type_text(api: &Api, success: &ResponseBody) -> Option<String> {
    match success {
        ResponseBody::Empty => Some("()".to_owned()),
        _ => printed::plain_text(success_type_rust(api, success)),
    }
}

/// [`status_enum_def`] written as text (see `printed.rs`), when its shape is one written there:
/// no status ranges, and no line past the margin with a place to break.
fn status_enum_text(api: &Api, op: &Operation, by_status: &StatusEnum, bodies: Bodies) -> Option<String> {
    let method = op.methods[0].name.trim_start_matches("r#");
    let name = &by_status.name;
    let mut out = String::new();
    let doc = bodies.enum_doc(method);
    printed::doc_comments(&mut out, "", &[doc])?;
    writeln!(out, "#[derive(Debug, Clone, PartialEq)]\n#[allow(clippy::large_enum_variant)]").ok()?;
    writeln!(out, "pub enum {name} {{").ok()?;
    let mut arms = Vec::with_capacity(by_status.cases.len() + 1);
    for case in &by_status.cases {
        if let StatusMatch::Range(_) = case.status {
            return None;
        }
        printed::doc_comments(&mut out, "    ", &super::docs::doc_lines(Some(&case_doc(case))))?;
        let variant = &case.variant;
        match &case.ty {
            Some(ty) => printed::line_that_fits(
                &mut out,
                format!("    {variant}({}),", printed::plain_type(api, ty)?),
                printed::Breaks::AtBrackets,
            )?,
            None => writeln!(out, "    {variant},").ok()?,
        }
        let pattern = match case.status {
            StatusMatch::Code(code) => code.to_string(),
            _ => "_".to_owned(),
        };
        arms.push(match (&case.ty, bodies) {
            (Some(_), Bodies::Error) => {
                format!("{pattern} => crate::runtime::decode_error_body(body).map(Self::{variant}),")
            }
            (Some(_), Bodies::Success) => {
                format!("{pattern} => Some(crate::runtime::decode_success_body(body).map(Self::{variant})),")
            }
            (None, Bodies::Error) => format!("{pattern} => Some(Self::{variant}),"),
            (None, Bodies::Success) => format!("{pattern} => Some(Ok(Self::{variant})),"),
        });
    }
    if !by_status.cases.iter().any(|case| case.status == StatusMatch::Default) {
        arms.push("_ => None,".to_owned());
    }
    out.push_str("}\n");
    let (body_trait, returned) = match bodies {
        Bodies::Error => ("ErrorBody", "Option<Self>"),
        Bodies::Success => ("SuccessBody", "Option<Result<Self, crate::runtime::DecodeFailure>>"),
    };
    printed::line_that_fits(
        &mut out,
        format!("impl crate::runtime::{body_trait} for {name} {{"),
        printed::Breaks::Somewhere,
    )?;
    out.push_str("    #[inline]\n");
    let arguments = ["status: crate::runtime::reqwest::StatusCode".to_owned(), "body: &[u8]".to_owned()];
    printed::signature_text(&mut out, "    ", "fn from_response", &arguments, returned)?;
    out.push_str("        match status.as_u16() {\n");
    for arm in &arms {
        printed::line_that_fits(&mut out, format!("            {arm}"), printed::Breaks::Somewhere)?;
    }
    out.push_str("        }\n    }\n}\n");
    Some(out)
}

#[cfg(test)]
mod printed_tests {
    use super::*;

    /// Every status enum of `yaml` written as text is written as prettyplease prints its tokens;
    /// how many were.
    fn prints_as_prettyplease(yaml: &str, source: &str) -> usize {
        let Some(api) = printed::api_of(yaml, source) else { return 0 };
        let print = |tokens: TokenStream| FileSyntax::from(tokens).print(|text| text).unwrap();
        let mut printed = 0;
        for op in &api.operations {
            let name = &op.methods[0].name;
            let enums = [(op.error_enum.as_ref(), Bodies::Error)].into_iter().chain(match &op.success {
                ResponseBody::ByStatus(by_status) => Some((Some(by_status), Bodies::Success)),
                _ => None,
            });
            for (by_status, bodies) in enums {
                let Some(by_status) = by_status else { continue };
                if let Some(text) = status_enum_text(&api, op, by_status, bodies) {
                    let tokens = gated(&TokenStream::new(), status_enum_def(&api, op, by_status, bodies));
                    assert_eq!(text, print(tokens), "{source}: {name}");
                    printed += 1;
                }
            }
        }
        printed
    }

    /// The construct specs and our own description.
    #[test]
    fn the_construct_specs_status_enums_print_as_prettyplease_prints_them() {
        let printed: usize =
            printed::construct_specs().iter().map(|(path, text)| prints_as_prettyplease(text, path)).sum();
        assert!(printed > 0, "none was written as text");
    }

    /// Operations whose names and body types grow a character at a time, so that the
    /// signatures, the variants and the match arms cross the margin.
    #[test]
    fn status_enums_at_prettypleases_limits_are_the_same() {
        let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Limits, version: '1'}\npaths:\n");
        let mut schemas = String::from("components:\n  schemas:\n");
        for n in 1..70 {
            let long = "x".repeat(n);
            yaml.push_str(&format!(
                "  /a{n}:\n    get:\n      operationId: get{long}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Ok{long}'}}\n        '201':\n          description: made\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Ok{long}'}}\n        '404':\n          description: gone\n          content:\n            application/json:\n              schema: {{$ref: '#/components/schemas/Problem{long}'}}\n        '409': {{description: conflict}}\n"
            ));
            schemas.push_str(&format!("    Ok{long}: {{type: object, properties: {{id: {{type: string}}}}}}\n"));
            schemas.push_str(&format!("    Problem{long}: {{type: object, properties: {{why: {{type: string}}}}}}\n"));
        }
        yaml.push_str(&schemas);
        let printed = prints_as_prettyplease(&yaml, "limits");
        assert!(printed > 40, "only {printed} of 138 were written as text");
    }
}

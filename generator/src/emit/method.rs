//! An operation's `Client` method, for one request media type: its documentation, signature and
//! the calls that build its request. What it does is decided once ([`Method::of`]); it is then
//! written as text, as prettyplease lays it out ([`Method::text`], see `printed.rs`), or built as
//! a syntax tree for the shapes the text does not model ([`Method::syntax`]).

use std::fmt::Write as _;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::{doc_lines, paragraphs};
use super::operations::{success_type, success_type_text};
use super::printed;
use super::syntax;
use super::types::{ident, rust_type};
use crate::ir::{
    Api, BodyEncoding, FormField, MultipartField, Operation, OperationMethod, Param, ParamLocation, PathSegment,
    RequestBody, ResponseBody, StreamFormat, Style, TypeKind, TypeRef,
};

/// What an operation's method is made of.
pub(super) struct Method<'a> {
    api: &'a Api,
    op: &'a Operation,
    name: &'a str,
    /// The lines of its documentation (as `docs::doc_lines` gives them).
    docs: Vec<String>,
    /// The parameters struct it takes, if any.
    params: Option<&'a str>,
    /// Its request body, if any.
    body: Option<&'a RequestBody>,
    /// For a JSON or form body that may hold files: the multipart method that sends them, and
    /// the test of whether it does.
    files_go_multipart: Option<(String, TokenStream)>,
    /// The calls that build the request after it is made from the operation's spec.
    steps: Vec<Step<'a>>,
}

/// A statement of a method's body.
enum Step<'a> {
    /// `request.method(arguments);`
    Call(&'static str, Vec<Argument<'a>>),
    /// `if let Some(body) = body { steps }`: what an optional body needs when it is there.
    WhenBody(Vec<Step<'a>>),
}

/// An argument of a call on the request.
enum Argument<'a> {
    /// A string literal.
    Str(&'a str),
    /// `body`.
    Body,
    /// `&params.name` or `&body.name`.
    FieldOf(&'static str, &'a str),
    /// `Style::Form`, ...
    Style(Style),
    /// `true` or `false`.
    Bool(bool),
    /// `Some("text/plain")` or `None`: a multipart part's content type.
    ContentType(Option<&'a str>),
    /// `&[("name", Style::Form, true), ...]`: a form's fields with their encoding.
    FormFields(&'a [FormField]),
    /// `&NAME`: a reference to a constant (the operation's spec).
    ReferenceTo(String),
}

impl Argument<'_> {
    fn expr(&self) -> syn::Expr {
        match self {
            Argument::Str(text) => syntax::string(text),
            Argument::Body => syntax::path(&["body"]),
            Argument::FieldOf(base, name) => syntax::reference(syntax::field(syntax::path(&[base]), name)),
            Argument::Style(style) => style_expr(*style),
            Argument::Bool(value) => syntax::boolean(*value),
            Argument::ContentType(Some(content_type)) => syntax::call(&["Some"], [syntax::string(content_type)]),
            Argument::ContentType(None) => syntax::path(&["None"]),
            Argument::ReferenceTo(name) => syntax::reference(syntax::path(&[name])),
            Argument::FormFields(fields) => syntax::array_reference(fields.iter().map(|field| {
                syntax::tuple([
                    syntax::string(&field.wire_name),
                    style_expr(field.style),
                    syntax::boolean(field.explode),
                ])
            })),
        }
    }

    /// The argument as prettyplease prints it, when it is printed as written here.
    fn text(&self) -> Option<String> {
        Some(match self {
            Argument::Str(text) => printed::plain_literal(text)?,
            Argument::Body => "body".to_owned(),
            Argument::FieldOf(base, name) => format!("&{base}.{name}"),
            Argument::Style(style) => format!("Style::{}", style_variant(*style)),
            Argument::Bool(value) => value.to_string(),
            Argument::ContentType(Some(content_type)) => format!("Some({})", printed::plain_literal(content_type)?),
            Argument::ContentType(None) => "None".to_owned(),
            Argument::ReferenceTo(name) => format!("&{name}"),
            Argument::FormFields(fields) => {
                let mut tuples = Vec::with_capacity(fields.len());
                for field in fields.iter() {
                    let (wire, style) = (printed::plain_literal(&field.wire_name)?, style_variant(field.style));
                    tuples.push(format!("({wire}, Style::{style}, {})", field.explode));
                }
                format!("&[{}]", tuples.join(", "))
            }
        })
    }
}

impl Step<'_> {
    fn syntax(&self) -> syn::Stmt {
        match self {
            Step::Call(method, arguments) => syntax::statement(syntax::method_call(
                syntax::path(&["request"]),
                method,
                arguments.iter().map(Argument::expr),
            )),
            Step::WhenBody(steps) => {
                syntax::if_let_some("body", syntax::path(&["body"]), steps.iter().map(Step::syntax).collect())
            }
        }
    }

    /// The step's lines at `indent`, as prettyplease lays them out (see [`call_text`]).
    fn text(&self, out: &mut String, indent: &str) -> Option<()> {
        match self {
            Step::Call(method, arguments) => call_text(out, indent, ("", "request"), (method, arguments), ";"),
            Step::WhenBody(steps) => {
                writeln!(out, "{indent}if let Some(body) = body {{").ok()?;
                let inner = format!("{indent}    ");
                for step in steps {
                    step.text(out, &inner)?;
                }
                writeln!(out, "{indent}}}").ok()
            }
        }
    }
}

/// `{lead}{receiver}.method(arguments){end}` at `indent` (`lead` is a `let` or nothing), as
/// prettyplease lays a method call on a path out: on one line when it fits the margin (its `;`
/// counted); else broken before `.method`, and when that line is still too long, an argument a
/// line too. An argument too long for its own line is left long when nothing in it can break (a
/// literal, a constant, a style); one that can (a field access, a form's fields, `Some(..)`) is
/// not written here.
fn call_text(
    out: &mut String,
    indent: &str,
    (lead, receiver): (&str, &str),
    (method, arguments): (&str, &[Argument<'_>]),
    end: &str,
) -> Option<()> {
    let texts = arguments.iter().map(Argument::text).collect::<Option<Vec<_>>>()?;
    let joined = texts.join(", ");
    let one_line = format!("{indent}{lead}{receiver}.{method}({joined}){end}");
    if one_line.len() <= printed::MARGIN {
        return writeln!(out, "{one_line}").ok();
    }
    let chained = format!("{indent}    .{method}({joined}){end}");
    if chained.len() <= printed::MARGIN {
        return writeln!(out, "{indent}{lead}{receiver}\n{chained}").ok();
    }
    if arguments.is_empty() {
        // Nothing to break inside: not a layout measured here.
        return None;
    }
    writeln!(out, "{indent}{lead}{receiver}\n{indent}    .{method}(").ok()?;
    for (argument, text) in arguments.iter().zip(&texts) {
        let line = format!("{indent}        {text},");
        let breakable =
            matches!(argument, Argument::FormFields(_) | Argument::ContentType(Some(_)) | Argument::FieldOf(..));
        if line.len() > printed::MARGIN && breakable {
            return None;
        }
        writeln!(out, "{line}").ok()?;
    }
    writeln!(out, "{indent}    ){end}").ok()
}

impl<'a> Method<'a> {
    /// The method of `op` for `method`'s request body.
    pub(super) fn of(api: &'a Api, op: &'a Operation, method: &'a OperationMethod) -> Method<'a> {
        let params_of = |name: &str| op.params.iter().flat_map(|p| p.params.iter()).find(|p| p.name == name);
        let param_value = |param: &'a Param| Argument::FieldOf("params", &param.name);
        let mut steps = Vec::new();
        for segment in &op.path {
            match segment {
                PathSegment::Literal(text) => steps.push(Step::Call("path", vec![Argument::Str(text)])),
                PathSegment::Param(name) => {
                    let param = params_of(name).expect("path parameters are declared");
                    steps.push(Step::Call(
                        "path_param",
                        vec![
                            Argument::Str(&param.wire_name),
                            param_value(param),
                            Argument::Style(param.style),
                            Argument::Bool(param.explode),
                        ],
                    ));
                }
            }
        }
        for param in op.params.iter().flat_map(|p| p.params.iter()) {
            // An unset optional parameter is passed as it is: the runtime sends nothing for
            // `None` (one call per parameter, not an `if let` each: GitHub's client had 1,063).
            let (wire, value) = (Argument::Str(&param.wire_name), param_value(param));
            let (style, explode) = (Argument::Style(param.style), Argument::Bool(param.explode));
            steps.push(match param.location {
                ParamLocation::Path => continue,
                ParamLocation::Query => Step::Call("query", vec![wire, value, style, explode]),
                ParamLocation::Header
                    if matches!(param.style, Style::SpaceDelimited | Style::PipeDelimited | Style::TabDelimited) =>
                {
                    Step::Call("header_delimited", vec![wire, value, style])
                }
                ParamLocation::Header => Step::Call("header", vec![wire, value, explode]),
                ParamLocation::Cookie => Step::Call("cookie", vec![wire, value]),
                ParamLocation::QueryString => Step::Call("query_string_json", vec![value]),
            });
        }
        let files_go_multipart = files_go_multipart(api, op, method);
        let body = method.body.as_ref();
        if let Some(body) = body {
            let encode = encode_body(&body.encoding, &body.content_type);
            match body.encoding {
                BodyEncoding::Stream(_) => steps.extend(encode),
                _ if body.required => steps.extend(encode),
                _ => steps.push(Step::WhenBody(encode)),
            }
        }
        let docs = doc_lines(Self::doc_text(op, body, files_go_multipart.as_ref()).as_deref());
        Method {
            api,
            op,
            name: &method.name,
            docs,
            params: op.params.as_ref().map(|params| params.name.as_str()),
            body,
            files_go_multipart,
            steps,
        }
    }

    /// The method's documentation: the operation's, how the body is sent, the route, the
    /// server and the credentials.
    fn doc_text(
        op: &Operation,
        body: Option<&RequestBody>,
        files_go_multipart: Option<&(String, TokenStream)>,
    ) -> Option<String> {
        let body_doc = body.map(|body| {
            let content_type = &body.content_type;
            match files_go_multipart {
                Some((multipart, _)) => format!(
                    "The request body is sent as `{content_type}`; when it holds files, which `{content_type}` \
                     cannot carry, as `multipart/form-data` (by [`Client::{}`]).",
                    multipart.trim_start_matches("r#")
                ),
                None if matches!(body.encoding, BodyEncoding::Stream(_)) => format!(
                    "The request body is sent as `{content_type}`, an item at a time as `body` gives them; a \
                     request whose body is a stream is sent once, never retried."
                ),
                None => format!("The request body is sent as `{content_type}`."),
            }
        });
        let route = format!("`{} {}`", op.http_method, op.path_template);
        let server_note = match &op.server {
            Some(server) => format!("Sent to [`crate::servers::{server}`]."),
            None => String::new(),
        };
        let auth_note = if op.security.is_empty() {
            "Sends no credentials.".to_owned()
        } else {
            let alternatives: Vec<String> =
                op.security.iter().map(|a| if a.is_empty() { "none".to_owned() } else { a.join(" + ") }).collect();
            format!("Authenticates with {}.", alternatives.join(" or "))
        };
        let footer = format!("{route}. {server_note} {auth_note}").replace("  ", " ");
        paragraphs([op.summary.as_deref(), op.description.as_deref(), body_doc.as_deref(), Some(footer.as_str())])
    }

    /// The runtime's call that sends the request and decodes the success body: its name and
    /// the media type it checks, if any.
    fn send(&self) -> (&'static str, Option<&'a str>) {
        match &self.op.success {
            ResponseBody::Empty => ("send_empty", None),
            ResponseBody::Json(_) => ("send_json", None),
            ResponseBody::Text => ("send_text", None),
            ResponseBody::Bytes => ("send_stream", None),
            ResponseBody::ByStatus(_) => ("send_by_status", None),
            ResponseBody::Stream(stream) => {
                let media_type = Some(stream.media_type.as_str());
                match stream.format {
                    StreamFormat::EventStream if stream.events.is_some() => ("send_event_enum_stream", None),
                    StreamFormat::EventStream if stream.item == TypeRef::String => ("send_text_event_stream", None),
                    StreamFormat::EventStream => ("send_event_stream", None),
                    StreamFormat::JsonLines => ("send_json_lines", media_type),
                    StreamFormat::JsonSequence => ("send_json_seq", media_type),
                }
            }
        }
    }

    /// The method as a syntax tree (see [`syntax`]).
    pub(super) fn syntax(&self) -> syn::Result<syn::ImplItemFn> {
        let (api, op) = (self.api, self.op);
        let method_ident = ident(self.name);
        let error_type = rust_type(api, &op.error_type);
        let response_type = success_type(api, &op.success);
        let mut arguments = Vec::new();
        if let Some(params) = self.params {
            let params_type = ident(params);
            arguments.push(quote!(params: &#params_type));
        }
        if let Some(body) = self.body {
            let body_type = match &body.encoding {
                BodyEncoding::Text => quote!(str),
                _ => rust_type(api, &body.ty),
            };
            arguments.push(match body.encoding {
                // Taken by value: the items are sent as they come, after the method has returned.
                BodyEncoding::Stream(_) => {
                    quote!(body: impl crate::runtime::futures_core::Stream<Item = #body_type> + Send + 'static)
                }
                _ if body.required => quote!(body: &#body_type),
                _ => quote!(body: Option<&#body_type>),
            });
        }
        let mut attrs = syntax::doc_attributes(self.docs.iter().cloned());
        if op.deprecated {
            attrs.push(syntax::word_attribute("deprecated"));
        }
        // `#[inline]`: the method is compiled, with the decoder of its response type, only into
        // the programs that call it, not into every build of the client.
        attrs.push(syntax::word_attribute("inline"));
        let mut stmts = match &self.files_go_multipart {
            Some((multipart, has_files)) => {
                let multipart = ident(multipart);
                let params = op.params.as_ref().map(|_| quote!(params,));
                syntax::parse_statements(quote! {
                    if #has_files {
                        return self.#multipart(#params body);
                    }
                })?
            }
            None => Vec::new(),
        };
        let spec = super::operations::spec_ident(op).to_string();
        let new_request = syntax::method_call(syntax::path(&["self"]), "request", [Argument::ReferenceTo(spec).expr()]);
        stmts.push(syntax::let_statement("request", !self.steps.is_empty(), new_request));
        stmts.extend(self.steps.iter().map(Step::syntax));
        let (send, media_type) = self.send();
        stmts.push(syn::Stmt::Expr(
            syntax::method_call(syntax::path(&["request"]), send, media_type.map(syntax::string)),
            None,
        ));
        Ok(syn::ImplItemFn {
            attrs,
            vis: syn::Visibility::Public(Default::default()),
            defaultness: None,
            sig: syn::parse2(quote! {
                fn #method_ident(&self, #( #arguments ),*) -> ResponseFuture<'_, #response_type, #error_type>
            })?,
            block: syn::Block { brace_token: Default::default(), stmts },
        })
    }

    /// The method as prettyplease prints it inside the `Client` impl block, when its shape is
    /// one written here (see `printed.rs` and [`call_text`]): no multipart fallback, no stream
    /// body, no type that prettyplease spells otherwise.
    pub(super) fn text(&self) -> Option<String> {
        if self.files_go_multipart.is_some() {
            return None;
        }
        let api = self.api;
        let mut arguments = vec!["&self".to_owned()];
        if let Some(params) = self.params {
            arguments.push(format!("params: &{params}"));
        }
        if let Some(body) = self.body {
            let body_type = match &body.encoding {
                BodyEncoding::Text => "str".to_owned(),
                BodyEncoding::Stream(_) => return None,
                _ => printed::plain_type(api, &body.ty)?,
            };
            arguments.push(match body.required {
                true => format!("body: &{body_type}"),
                false => format!("body: Option<&{body_type}>"),
            });
        }
        let returned = format!(
            "ResponseFuture<'_, {}, {}>",
            success_type_text(api, &self.op.success)?,
            printed::plain_type(api, &self.op.error_type)?
        );
        let mut out = String::new();
        printed::doc_comments(&mut out, "    ", &self.docs)?;
        if self.op.deprecated {
            out.push_str("    #[deprecated]\n");
        }
        out.push_str("    #[inline]\n");
        printed::signature_text(&mut out, "    ", &format!("pub fn {}", self.name), &arguments, &returned)?;
        let spec = super::operations::spec_ident(self.op);
        let binding = if self.steps.is_empty() { "request" } else { "mut request" };
        let spec = [Argument::ReferenceTo(spec.to_string())];
        call_text(&mut out, "        ", (&format!("let {binding} = "), "self"), ("request", &spec), ";")?;
        for step in &self.steps {
            step.text(&mut out, "        ")?;
        }
        let (send, media_type) = self.send();
        let media_type: Vec<Argument<'_>> = media_type.map(Argument::Str).into_iter().collect();
        call_text(&mut out, "        ", ("", "request"), (send, &media_type), "")?;
        out.push_str("    }\n");
        Some(out)
    }
}

/// The calls that put a request body (`body`) on `request`.
fn encode_body<'a>(encoding: &'a BodyEncoding, content_type: &'a str) -> Vec<Step<'a>> {
    match encoding {
        BodyEncoding::Json => vec![Step::Call("json", vec![Argument::Body])],
        BodyEncoding::FormUrlEncoded(fields) if fields.is_empty() => vec![Step::Call("form", vec![Argument::Body])],
        BodyEncoding::FormUrlEncoded(fields) => {
            vec![Step::Call("form_with", vec![Argument::Body, Argument::FormFields(fields)])]
        }
        BodyEncoding::Bytes => vec![Step::Call("upload", vec![Argument::Body, Argument::Str(content_type)])],
        BodyEncoding::Text => vec![Step::Call("text", vec![Argument::Body, Argument::Str(content_type)])],
        BodyEncoding::Stream(format) => {
            let sequence = *format == StreamFormat::JsonSequence;
            vec![Step::Call("json_stream", vec![Argument::Body, Argument::Bool(sequence), Argument::Str(content_type)])]
        }
        BodyEncoding::Multipart(fields) => {
            std::iter::once(Step::Call("multipart", Vec::new())).chain(fields.iter().map(multipart_part)).collect()
        }
    }
}

/// The call that adds `part` of a multipart body.
fn multipart_part(part: &MultipartField) -> Step<'_> {
    let (wire, value) = (Argument::Str(&part.wire_name), Argument::FieldOf("body", &part.field));
    if part.is_file {
        Step::Call("files", vec![wire, value, Argument::Style(part.style)])
    } else {
        let content_type = Argument::ContentType(part.content_type.as_deref());
        Step::Call("part", vec![wire, value, Argument::Style(part.style), Argument::Bool(part.explode), content_type])
    }
}

/// For a JSON or form method whose body type the operation also takes as `multipart/form-data`
/// with files in it: that method's name, and the test of whether `body` holds a file, so that
/// the method sends files the only way they can go instead of failing at run time.
fn files_go_multipart(api: &Api, op: &Operation, method: &OperationMethod) -> Option<(String, TokenStream)> {
    let body = method.body.as_ref()?;
    if !matches!(body.encoding, BodyEncoding::Json | BodyEncoding::FormUrlEncoded(_)) {
        return None;
    }
    let (multipart, fields) = op.methods.iter().find_map(|other| {
        let other_body = other.body.as_ref()?;
        match &other_body.encoding {
            BodyEncoding::Multipart(fields) if other_body.ty == body.ty && other_body.required == body.required => {
                Some((other.name.clone(), fields))
            }
            _ => None,
        }
    })?;
    let TypeKind::Struct(body_struct) = &api.named(&body.ty)?.kind else { return None };
    let tests: Vec<FileTest> = fields
        .iter()
        .filter(|field| field.is_file)
        .filter_map(|field| {
            let ty = body_struct.fields.iter().find(|f| f.name == field.field)?.rust_type();
            let field = ident(&field.field);
            holds_a_file(&ty, quote!(body.#field), 0)
        })
        .collect();
    if tests.is_empty() {
        return None;
    }
    // A required file field holds a file whatever the body says: an optional body then holds
    // files when it is there, with no closure whose argument goes unused (motaword.com's
    // glossary upload).
    let always = tests.iter().any(|test| matches!(test, FileTest::Always));
    let tests: Vec<&TokenStream> = tests
        .iter()
        .filter_map(|test| match test {
            FileTest::When(condition) => Some(condition),
            FileTest::Always => None,
        })
        .collect();
    let has_files = match (body.required, always) {
        (true, true) => quote!(true),
        (true, false) => quote!(#( #tests )||*),
        (false, true) => quote!(body.is_some()),
        (false, false) => quote!(body.is_some_and(|body| #( #tests )||*)),
    };
    Some((multipart, has_files))
}

/// When a field's value holds a file.
enum FileTest {
    /// Always: it is an `Upload`.
    Always,
    /// When this expression is true.
    When(TokenStream),
}

/// Whether `value`, of type `ty`, holds a file: an `Upload`, a non-empty `Vec` of them, or
/// either inside `Option`s; `None` for a type that holds no file.
fn holds_a_file(ty: &TypeRef, value: TokenStream, depth: usize) -> Option<FileTest> {
    match ty {
        TypeRef::Upload => Some(FileTest::Always),
        TypeRef::Vec(item) if **item == TypeRef::Upload => Some(FileTest::When(quote!(!#value.is_empty()))),
        TypeRef::Option(inner) => {
            let binding = format_ident!("inner{depth}");
            Some(FileTest::When(match holds_a_file(inner, quote!(#binding), depth + 1)? {
                // `Some(file)` holds one whatever it is: no closure whose argument goes unused.
                FileTest::Always => quote!(#value.is_some()),
                FileTest::When(test) => quote!(#value.as_ref().is_some_and(|#binding| #test)),
            }))
        }
        _ => None,
    }
}

fn style_expr(style: Style) -> syn::Expr {
    syntax::path(&["Style", style_variant(style)])
}

fn style_variant(style: Style) -> &'static str {
    match style {
        Style::Form => "Form",
        Style::Simple => "Simple",
        Style::Label => "Label",
        Style::Matrix => "Matrix",
        Style::SpaceDelimited => "SpaceDelimited",
        Style::PipeDelimited => "PipeDelimited",
        Style::TabDelimited => "TabDelimited",
        Style::DeepObject => "DeepObject",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every method of `yaml` written as text is written as prettyplease prints its syntax tree;
    /// how many were.
    fn methods_print_as_prettyplease(yaml: &str, source: &str) -> usize {
        let Some(api) = printed::api_of(yaml, source) else { return 0 };
        let mut printed = 0;
        for op in &api.operations {
            for method in &op.methods {
                let method = Method::of(&api, op, method);
                if let Some(text) = method.text() {
                    let item = syn::ImplItem::Fn(method.syntax().expect("the method's syntax"));
                    let through_prettyplease = syntax::printed_in_impl(vec![item]).expect("the method prints");
                    assert_eq!(text, through_prettyplease, "{source}: {}", method.name);
                    printed += 1;
                }
            }
        }
        printed
    }

    #[test]
    fn the_construct_specs_methods_print_as_prettyplease_prints_them() {
        let printed: usize =
            printed::construct_specs().iter().map(|(path, text)| methods_print_as_prettyplease(text, path)).sum();
        assert!(printed > 100, "only {printed} methods were written as text");
    }

    /// Operations whose names, parameters, form fields, multipart parts and media types grow a
    /// character at a time, so that each call, the `let`, the signature and the send cross the
    /// margin, then the margin again once broken.
    #[test]
    fn methods_at_prettypleases_limits_are_the_same() {
        let mut yaml = String::from("openapi: 3.0.3\ninfo: {title: Limits, version: '1'}\npaths:\n");
        for n in 1..80 {
            let long = "x".repeat(n);
            yaml.push_str(&format!(
                "  /a{n}/{{p{long}}}:\n    post:\n      operationId: post{long}\n      parameters:\n        - {{name: p{long}, in: path, required: true, schema: {{type: string}}}}\n        - {{name: q{long}, in: query, schema: {{type: array, items: {{type: integer}}}}, style: pipeDelimited}}\n        - {{name: h{long}, in: header, schema: {{type: string}}}}\n      requestBody:\n        content:\n          application/x-www-form-urlencoded:\n            schema: {{type: object, properties: {{f{long}: {{type: string}}, g: {{type: string}}}}}}\n            encoding: {{f{long}: {{style: form}}}}\n          multipart/form-data:\n            schema: {{type: object, properties: {{m{long}: {{type: string, format: binary}}, n{long}: {{type: string}}}}}}\n            encoding: {{n{long}: {{contentType: text/x-{long}}}}}\n          text/x-{long}:\n            schema: {{type: string}}\n      responses:\n        '200':\n          description: ok\n          content:\n            application/jsonl:\n              itemSchema: {{type: object, properties: {{id: {{type: string}}}}}}\n            application/x-{long}+jsonl:\n              itemSchema: {{type: object, properties: {{id: {{type: string}}}}}}\n"
            ));
        }
        let printed = methods_print_as_prettyplease(&yaml, "limits");
        assert!(printed > 150, "only {printed} methods were written as text");
    }
}

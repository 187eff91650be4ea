//! The two methods of a listing that comes in pages: `{method}_pages`, a stream of whole pages,
//! and `{method}_items`, a stream of their items. What is particular to the listing (which
//! parameter to set, where the items and the next page are in the body) is written here; the
//! walking is the runtime's `Pages`.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::docs::doc_attrs;
use super::types::{ident, rust_type};
use crate::ir::pagination::{PageKind, Pagination};
use crate::ir::{Api, Operation, Param, ResponseBody, TypeKind, TypeRef};

/// The listing's two methods, for the `Client` impl block.
pub fn page_methods(api: &Api, op: &Operation) -> Option<Vec<TokenStream>> {
    let pagination = op.pagination.as_ref()?;
    let ResponseBody::Json(body) = &op.success else { return None };
    let method = op.methods.first()?;
    let method_ident = ident(&method.name);
    let base = method.name.trim_start_matches("r#");
    let (pages_ident, items_ident) = (format_ident!("{base}_pages"), format_ident!("{base}_items"));
    let page_type = rust_type(api, body);
    let item_type = rust_type(api, &pagination.item_type);
    let error_type = rust_type(api, &op.error_type);
    let param = |name: &str| op.params.iter().flat_map(|p| &p.params).find(|p| p.name == name);
    let (paging, set_param) = paging(api, pagination, &param)?;
    let facts = facts(api, body, pagination)?;
    let items = Path::walk(api, body, &pagination.items)?.owned_list();
    let (argument, call, clone) = match &op.params {
        Some(params) => {
            let params_type = ident(&params.name);
            (quote!(params: &#params_type), quote!(self.#method_ident(&params)), quote!(let params = params.clone();))
        }
        None => (TokenStream::new(), quote!(self.#method_ident()), TokenStream::new()),
    };
    let reuse = match &op.params {
        Some(_) => quote!(params),
        None => TokenStream::new(),
    };
    // Only a cursor put on the parameters needs a copy of them per page.
    let fetch_params = if op.params.is_some() && !set_param.is_empty() {
        quote!(let mut params = params.clone();)
    } else {
        TokenStream::new()
    };
    let pages_doc = doc_attrs(Some(&format!(
        "The pages of [`Client::{base}`], one response each, asked for as the stream is read, from the page the \
         parameters name: {}. An error (after the client's retries) is yielded and ends the stream.",
        how(pagination)
    )));
    let items_doc = doc_attrs(Some(&format!(
        "The items of every page of [`Client::{base}`], in order, asked for page by page as the stream is read \
         (see [`Client::{base}_pages`]). An error on any page is yielded and ends the stream."
    )));
    // `#[inline]`, as the operation methods are: the page stream, with the decoders of its page
    // and item types, is compiled only into the programs that call it, not into every build of
    // the client (for the official Dropbox Sign client, five in six of the LLVM lines it had).
    let pages = quote! {
        #pages_doc
        #[inline]
        pub fn #pages_ident(&self, #argument) -> crate::runtime::Pages<'_, #page_type, #error_type> {
            #clone
            #paging
            crate::runtime::Pages::new(paging, |page: &#page_type| #facts, move |cursor| {
                #fetch_params
                #set_param
                #call.at_page(cursor)
            })
        }
    };
    let items_method = quote! {
        #items_doc
        #[inline]
        pub fn #items_ident(&self, #argument) -> crate::runtime::Items<'_, #page_type, #item_type, #error_type> {
            self.#pages_ident(#reuse).items(|page: #page_type| #items)
        }
    };
    Some(vec![pages, items_method])
}

/// How the pages are found, for the documentation.
fn how(pagination: &Pagination) -> String {
    match &pagination.kind {
        PageKind::PageNumber { param, .. } => format!("the next page number in `{param}`"),
        PageKind::Offset { param, .. } => format!("the next offset in `{param}`"),
        PageKind::Cursor { param, next } => format!("`{param}` set to the `{}` of the page before", next.join(".")),
        PageKind::NextUrl { next } => format!("the URL in the `{}` of the page before", next.join(".")),
        PageKind::LinkHeader => "the `Link` header's `rel=\"next\"` URL of the page before".to_owned(),
    }
}

/// The `let paging = ...;` statement, and the statement that puts the cursor on `params`.
fn paging<'o>(
    api: &Api,
    pagination: &Pagination,
    param: &dyn Fn(&str) -> Option<&'o Param>,
) -> Option<(TokenStream, TokenStream)> {
    Some(match &pagination.kind {
        PageKind::PageNumber { param: name, .. } => {
            let param = param(name)?;
            let first = integer_of(param, 1);
            let set = set_integer(api, param, quote!(cursor.number()));
            (quote!(let paging = crate::runtime::Paging::PageNumber { first: #first };), set)
        }
        PageKind::Offset { param: name, limit } => {
            let offset = param(name)?;
            let start = integer_of(offset, 0);
            let limit = match limit.as_deref().and_then(param) {
                Some(limit) => optional_integer_of(limit),
                None => quote!(None),
            };
            let set = set_integer(api, offset, quote!(cursor.offset()));
            (quote!(let paging = crate::runtime::Paging::Offset { start: #start, limit: #limit };), set)
        }
        PageKind::Cursor { param: name, .. } => {
            let param = param(name)?;
            let field = ident(&param.name);
            let value = if param.required { quote!(token.to_owned()) } else { quote!(Some(token.to_owned())) };
            let set = quote! {
                if let Some(token) = cursor.token() {
                    params.#field = #value;
                }
            };
            (quote!(let paging = crate::runtime::Paging::Cursor;), set)
        }
        PageKind::NextUrl { .. } => (quote!(let paging = crate::runtime::Paging::NextUrl;), TokenStream::new()),
        PageKind::LinkHeader => (quote!(let paging = crate::runtime::Paging::LinkHeader;), TokenStream::new()),
    })
}

fn is_u64(param: &Param) -> bool {
    is_u64_type(&param.ty)
}

/// Whether `ty` is exactly `u64` (a format's type), which needs no conversion to count pages.
fn is_u64_type(ty: &TypeRef) -> bool {
    matches!(ty, TypeRef::Extern(ext) if ext.rust == "u64")
}

/// The parameter's value (or its default, or `fallback`) as a `u64`.
fn integer_of(param: &Param, fallback: u64) -> TokenStream {
    let field = ident(&param.name);
    let fallback = param.default.as_ref().and_then(serde_json::Value::as_u64).unwrap_or(fallback);
    match (param.required, is_u64(param)) {
        (true, true) => quote!(params.#field),
        (true, false) => quote!(u64::try_from(params.#field).unwrap_or(#fallback)),
        (false, true) => quote!(params.#field.unwrap_or(#fallback)),
        (false, false) => quote!(params.#field.map_or(#fallback, |value| u64::try_from(value).unwrap_or(#fallback))),
    }
}

/// The parameter's value (or its default) as an `Option<u64>`.
fn optional_integer_of(param: &Param) -> TokenStream {
    let field = ident(&param.name);
    let default = match param.default.as_ref().and_then(serde_json::Value::as_u64) {
        Some(default) => quote!(.or(Some(#default))),
        None => TokenStream::new(),
    };
    match (param.required, is_u64(param)) {
        (true, true) => quote!(Some(params.#field)),
        (true, false) => quote!(u64::try_from(params.#field).ok()),
        (false, true) => quote!(params.#field #default),
        (false, false) => quote!(params.#field.and_then(|value| u64::try_from(value).ok()) #default),
    }
}

/// `if let Some(n) = cursor; { params.field = n; }`, converted to the parameter's type.
fn set_integer(api: &Api, param: &Param, cursor: TokenStream) -> TokenStream {
    let field = ident(&param.name);
    let ty = rust_type(api, &param.ty);
    let converted = if is_u64(param) { quote!(value) } else { quote!(#ty::try_from(value).unwrap_or(#ty::MAX)) };
    let value = if param.required { converted } else { quote!(Some(#converted)) };
    quote! {
        if let Some(value) = #cursor {
            params.#field = #value;
        }
    }
}

/// The `PageFacts` of a page, `page` being a reference to it.
fn facts(api: &Api, body: &TypeRef, pagination: &Pagination) -> Option<TokenStream> {
    let items = Path::walk(api, body, &pagination.items)?.len();
    let (total_pages, next) = match &pagination.kind {
        PageKind::PageNumber { total_pages: Some(path), .. } => (Path::walk(api, body, path)?.as_u64(), quote!(None)),
        PageKind::Cursor { next, .. } | PageKind::NextUrl { next } => {
            (quote!(None), Path::walk(api, body, next)?.cloned_string())
        }
        _ => (quote!(None), quote!(None)),
    };
    Some(quote!(crate::runtime::PageFacts { items: #items, total_pages: #total_pages, next: #next }))
}

/// A walk through fields from the page: each step's Rust field name, how many `Option`s wrap
/// it, and whether it is boxed.
struct Path {
    /// How many `Option`s wrap the page itself (a response that may be `null`).
    page_options: usize,
    steps: Vec<(proc_macro2::Ident, usize, bool)>,
    /// The type at the end, without `Option`s and `Box`.
    end: TypeRef,
}

impl Path {
    fn walk(api: &Api, body: &TypeRef, fields: &[String]) -> Option<Path> {
        let mut ty = body.clone();
        let mut steps = Vec::new();
        for name in fields {
            let TypeKind::Struct(body) = &api.named(strip(&ty).0)?.kind else { return None };
            let field = body.fields.iter().find(|field| &field.name == name)?;
            let rust = field.rust_type();
            let (inner, options, boxed) = strip(&rust);
            steps.push((ident(&field.name), options, boxed));
            ty = inner.clone();
        }
        Some(Path { page_options: strip(body).1, steps, end: ty })
    }

    /// The expression for the value at the end, read from `page` by reference (`by_ref`, for
    /// the facts of a page) or by value (its items); and whether it is an `Option`. Without
    /// `Option`s on the way it is a place (`page.list_info.num_pages`).
    fn expression(&self, by_ref: bool) -> (TokenStream, bool) {
        let (mut expression, mut optional) = match (self.page_options, by_ref) {
            (0, _) => (quote!(page), false),
            (1, true) => (quote!(page.as_ref()), true),
            (_, true) => (quote!(page.as_ref().and_then(Option::as_ref)), true),
            (1, false) => (quote!(page), true),
            (_, false) => (quote!(page.flatten()), true),
        };
        for (field, options, boxed) in &self.steps {
            let unbox = *boxed && !by_ref;
            let read = |from: TokenStream| match (by_ref, options) {
                (true, 0) => quote!(&#from.#field),
                (true, 1) => quote!(#from.#field.as_ref()),
                (true, _) => quote!(#from.#field.as_ref().and_then(Option::as_ref)),
                (false, 0) if unbox => quote!((*#from.#field)),
                (false, 0 | 1) => quote!(#from.#field),
                (false, _) => quote!(#from.#field.flatten()),
            };
            let unbox_option = (unbox && *options > 0).then(|| quote!(.map(|boxed| *boxed)));
            expression = match (optional, options) {
                (false, 0) if by_ref => quote!(#expression.#field),
                (false, _) => {
                    let read = read(expression);
                    quote!(#read #unbox_option)
                }
                (true, 0) => {
                    let read = read(quote!(value));
                    quote!(#expression.map(|value| #read))
                }
                (true, _) => {
                    let read = read(quote!(value));
                    quote!(#expression.and_then(|value| #read) #unbox_option)
                }
            };
            optional = optional || *options > 0;
        }
        (expression, optional)
    }

    /// The number of items of the list at the end.
    fn len(&self) -> TokenStream {
        match self.expression(true) {
            (list, false) => quote!(#list.len()),
            (list, true) => quote!(#list.map_or(0, |items| items.len())),
        }
    }

    /// The list at the end, by value (empty when a field on the way is absent).
    fn owned_list(&self) -> TokenStream {
        match self.expression(false) {
            (list, false) => list,
            (list, true) => quote!(#list.unwrap_or_default()),
        }
    }

    /// The integer at the end as an `Option<u64>`.
    fn as_u64(&self) -> TokenStream {
        let is_u64 = is_u64_type(&self.end);
        match (self.expression(true), is_u64) {
            ((number, false), true) => quote!(Some(#number)),
            ((number, false), false) => quote!(u64::try_from(#number).ok()),
            ((number, true), true) => quote!(#number.copied()),
            ((number, true), false) => quote!(#number.and_then(|number| u64::try_from(*number).ok())),
        }
    }

    /// The string at the end as an `Option<String>`.
    fn cloned_string(&self) -> TokenStream {
        match self.expression(true) {
            (text, false) => quote!(Some(#text.clone())),
            (text, true) => quote!(#text.cloned()),
        }
    }
}

/// `ty` without its `Option`s and `Box`: the type, how many `Option`s, and whether boxed.
fn strip(ty: &TypeRef) -> (&TypeRef, usize, bool) {
    match ty {
        TypeRef::Option(inner) => {
            let (ty, options, boxed) = strip(inner);
            (ty, options + 1, boxed)
        }
        TypeRef::Boxed(inner) => {
            let (ty, options, _) = strip(inner);
            (ty, options, true)
        }
        _ => (ty, 0, false),
    }
}

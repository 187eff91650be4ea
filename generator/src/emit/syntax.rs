//! Syntax trees built directly, for the items a big client has thousands of (the operations'
//! methods, the structs, their constructors): `prettyplease` prints syntax trees, and parsing
//! tokens back into them with `syn::parse2` was the biggest part of `generate` (29% of GitHub's
//! description, 40% of Microsoft Graph's). What is built here prints exactly as its tokens would
//! after parsing; the rest of a file stays tokens, parsed in runs ([`FileSyntax`]).

use proc_macro2::{Span, TokenStream};
use syn::punctuated::Punctuated;
use syn::{Attribute, Expr, Stmt, Token};

use super::types::ident;

/// The syntax of one Rust file (or of a part of one), in order: runs of tokens, which are parsed,
/// and items whose syntax trees were built directly.
#[derive(Default)]
pub(crate) struct FileSyntax {
    pieces: Vec<Piece>,
}

/// A run of a file's tokens, an item built as a syntax tree, or items already printed as
/// prettyplease prints them (see `printed.rs`).
pub(crate) enum Piece {
    Tokens(TokenStream),
    Text(String),
}

impl From<TokenStream> for FileSyntax {
    fn from(tokens: TokenStream) -> Self {
        FileSyntax { pieces: vec![Piece::Tokens(tokens)] }
    }
}

impl FileSyntax {
    /// Adds `pieces` after what the file has.
    pub fn extend(&mut self, pieces: impl IntoIterator<Item = Piece>) {
        for piece in pieces {
            match (self.pieces.last_mut(), piece) {
                // One parse for a run of tokens, however many items it has.
                (Some(Piece::Tokens(run)), Piece::Tokens(tokens)) => run.extend(tokens),
                (_, piece) => self.pieces.push(piece),
            }
        }
    }

    /// Adds the pieces of `other` after what the file has.
    pub fn append(&mut self, other: FileSyntax) {
        self.extend(other.pieces);
    }

    /// The file's syntax tree: its runs of tokens parsed, in order with the items built directly.
    /// Only the first run may have the file's inner attributes (`//!` docs).
    pub fn into_file(self) -> syn::Result<syn::File> {
        let mut file = syn::File { shebang: None, attrs: Vec::new(), items: Vec::new() };
        for (index, piece) in self.pieces.into_iter().enumerate() {
            match piece {
                Piece::Tokens(tokens) => {
                    let parsed: syn::File = syn::parse2(tokens)?;
                    if index > 0
                        && let Some(attribute) = parsed.attrs.first()
                    {
                        return Err(syn::Error::new_spanned(
                            attribute,
                            "an inner attribute after the file's first items",
                        ));
                    }
                    file.attrs.extend(parsed.attrs);
                    file.items.extend(parsed.items);
                }
                // Only a client bundled into one module, which rewrites its tokens, parses
                // what was printed.
                Piece::Text(text) => file.items.extend(syn::parse_file(&text)?.items),
            }
        }
        Ok(file)
    }

    /// The file's text: its syntax printed by prettyplease (each run then passed through
    /// `lay_out`), and the text pieces as they are.
    pub fn print(self, lay_out: impl Fn(String) -> String) -> syn::Result<String> {
        let mut text = String::new();
        let mut run = FileSyntax::default();
        let flush = |run: &mut FileSyntax, text: &mut String| -> syn::Result<()> {
            if !run.pieces.is_empty() {
                text.push_str(&lay_out(prettyplease::unparse(&std::mem::take(run).into_file()?)));
            }
            Ok(())
        };
        for piece in self.pieces {
            match piece {
                Piece::Text(printed) => {
                    flush(&mut run, &mut text)?;
                    text.push_str(&printed);
                }
                piece => run.extend([piece]),
            }
        }
        flush(&mut run, &mut text)?;
        Ok(text)
    }
}

/// `items` as prettyplease prints them inside an `impl` block, without the block's own lines:
/// to go into the text of a block whose other items are written as text. No items, no text.
pub fn printed_in_impl(items: Vec<syn::ImplItem>) -> syn::Result<String> {
    if items.is_empty() {
        return Ok(String::new());
    }
    let mut block: syn::ItemImpl = syn::parse_quote!(impl Block {});
    block.items = items;
    let printed = prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![block.into()] });
    printed
        .strip_prefix("impl Block {\n")
        .and_then(|text| text.strip_suffix("}\n"))
        .map(str::to_owned)
        .ok_or_else(|| syn::Error::new(span(), "items printed outside their impl block"))
}

/// An `impl` block's text as prettyplease prints it: `head` (its attributes and `impl Name `),
/// then `items`, the text of its items at their depth (see [`printed_in_impl`]).
pub fn impl_block_text(head: &str, items: &str) -> String {
    if items.is_empty() { format!("{head}{{}}\n") } else { format!("{head}{{\n{items}}}\n") }
}

/// `pieces` with the attributes `attrs` (a `#[cfg(...)]`, or nothing) before each of them.
pub fn gated(attrs: &TokenStream, pieces: Vec<Piece>) -> syn::Result<Vec<Piece>> {
    if attrs.is_empty() {
        return Ok(pieces);
    }
    pieces
        .into_iter()
        .map(|piece| match piece {
            Piece::Tokens(tokens) => Ok(Piece::Tokens(quote::quote!(#attrs #tokens))),
            Piece::Text(_) => Err(syn::Error::new(span(), "a printed item cannot be gated")),
        })
        .collect()
}

fn span() -> Span {
    Span::call_site()
}

/// `#[doc = "..."]` attributes, one per line of `lines` (as `docs::doc_lines` gives them).
pub fn doc_attributes(lines: impl IntoIterator<Item = String>) -> Vec<Attribute> {
    lines
        .into_iter()
        .map(|line| {
            outer_attribute(syn::Meta::NameValue(syn::MetaNameValue {
                path: word_path("doc"),
                eq_token: Token![=](span()),
                value: string(&line),
            }))
        })
        .collect()
}

/// Outer attributes (`#[...]`, `///` docs) parsed from tokens.
pub fn parse_attributes(tokens: TokenStream) -> syn::Result<Vec<Attribute>> {
    syn::parse::Parser::parse2(Attribute::parse_outer, tokens)
}

/// `#[name]`.
pub fn word_attribute(name: &str) -> Attribute {
    outer_attribute(syn::Meta::Path(word_path(name)))
}

fn outer_attribute(meta: syn::Meta) -> Attribute {
    Attribute { pound_token: Token![#](span()), style: syn::AttrStyle::Outer, bracket_token: Default::default(), meta }
}

fn word_path(name: &str) -> syn::Path {
    syn::Path::from(ident(name))
}

/// A path expression: `request`, `Style::Form`.
pub fn path(segments: &[&str]) -> Expr {
    let segments: Punctuated<syn::PathSegment, Token![::]> =
        segments.iter().map(|segment| syn::PathSegment::from(ident(segment))).collect();
    Expr::Path(syn::ExprPath { attrs: Vec::new(), qself: None, path: syn::Path { leading_colon: None, segments } })
}

/// A string literal.
pub fn string(text: &str) -> Expr {
    literal(syn::Lit::Str(syn::LitStr::new(text, span())))
}

/// `true` or `false`.
pub fn boolean(value: bool) -> Expr {
    literal(syn::Lit::Bool(syn::LitBool::new(value, span())))
}

fn literal(lit: syn::Lit) -> Expr {
    Expr::Lit(syn::ExprLit { attrs: Vec::new(), lit })
}

/// `&expr`.
pub fn reference(expr: Expr) -> Expr {
    Expr::Reference(syn::ExprReference {
        attrs: Vec::new(),
        and_token: Token![&](span()),
        mutability: None,
        expr: Box::new(expr),
    })
}

/// `base.name`.
pub fn field(base: Expr, name: &str) -> Expr {
    Expr::Field(syn::ExprField {
        attrs: Vec::new(),
        base: Box::new(base),
        dot_token: Token![.](span()),
        member: syn::Member::Named(ident(name)),
    })
}

/// `receiver.method(arguments)`.
pub fn method_call(receiver: Expr, method: &str, arguments: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::MethodCall(syn::ExprMethodCall {
        attrs: Vec::new(),
        receiver: Box::new(receiver),
        dot_token: Token![.](span()),
        method: ident(method),
        turbofish: None,
        paren_token: Default::default(),
        args: arguments.into_iter().collect(),
    })
}

/// `expr;`.
pub fn statement(expr: Expr) -> Stmt {
    Stmt::Expr(expr, Some(Token![;](span())))
}

/// `let name = init;` (`let mut` when `mutable`).
pub fn let_statement(name: &str, mutable: bool, init: Expr) -> Stmt {
    Stmt::Local(syn::Local {
        attrs: Vec::new(),
        let_token: Token![let](span()),
        pat: syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: mutable.then(|| Token![mut](span())),
            ident: ident(name),
            subpat: None,
        }),
        init: Some(syn::LocalInit { eq_token: Token![=](span()), expr: Box::new(init), diverge: None }),
        semi_token: Token![;](span()),
    })
}

/// `function(arguments)`: a call of a function by its path (`BTreeMap::new()`).
pub fn call(function: &[&str], arguments: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Call(syn::ExprCall {
        attrs: Vec::new(),
        func: Box::new(path(function)),
        paren_token: Default::default(),
        args: arguments.into_iter().collect(),
    })
}

/// `if let Some(binding) = value { stmts }`.
pub fn if_let_some(binding: &str, value: Expr, stmts: Vec<Stmt>) -> Stmt {
    let some = syn::Pat::TupleStruct(syn::PatTupleStruct {
        attrs: Vec::new(),
        qself: None,
        path: word_path("Some"),
        paren_token: Default::default(),
        elems: std::iter::once(syn::Pat::Ident(syn::PatIdent {
            attrs: Vec::new(),
            by_ref: None,
            mutability: None,
            ident: ident(binding),
            subpat: None,
        }))
        .collect(),
    });
    let condition = Expr::Let(syn::ExprLet {
        attrs: Vec::new(),
        let_token: Token![let](span()),
        pat: Box::new(some),
        eq_token: Token![=](span()),
        expr: Box::new(value),
    });
    Stmt::Expr(
        Expr::If(syn::ExprIf {
            attrs: Vec::new(),
            if_token: Token![if](span()),
            cond: Box::new(condition),
            then_branch: syn::Block { brace_token: Default::default(), stmts },
            else_branch: None,
        }),
        None,
    )
}

/// `&[a, b, ...]`: a reference to an array of `elements`.
pub fn array_reference(elements: impl IntoIterator<Item = Expr>) -> Expr {
    reference(Expr::Array(syn::ExprArray {
        attrs: Vec::new(),
        bracket_token: Default::default(),
        elems: elements.into_iter().collect(),
    }))
}

/// `(a, b, ...)`.
pub fn tuple(elements: impl IntoIterator<Item = Expr>) -> Expr {
    Expr::Tuple(syn::ExprTuple {
        attrs: Vec::new(),
        paren_token: Default::default(),
        elems: elements.into_iter().collect(),
    })
}

/// Statements parsed from tokens, for the rare ones not worth building by hand.
pub fn parse_statements(tokens: TokenStream) -> syn::Result<Vec<Stmt>> {
    syn::parse::Parser::parse2(syn::Block::parse_within, tokens)
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::quote;

    /// What is built prints as the same tokens parsed would.
    fn prints_as(built: Vec<Stmt>, tokens: TokenStream) {
        let print = |stmts: Vec<Stmt>| {
            let block = syn::Block { brace_token: Default::default(), stmts };
            let item: syn::ItemFn = syn::ItemFn {
                attrs: doc_attributes([" A \"quoted\" doc.".to_owned()]),
                vis: syn::Visibility::Inherited,
                sig: syn::parse2(quote!(fn f())).expect("a signature"),
                block: Box::new(block),
            };
            prettyplease::unparse(&syn::File { shebang: None, attrs: Vec::new(), items: vec![syn::Item::Fn(item)] })
        };
        let parsed = parse_statements(tokens).expect("statements");
        assert_eq!(print(built), print(parsed));
    }

    #[test]
    fn built_statements_print_as_parsed_ones() {
        let request = || path(&["request"]);
        prints_as(
            vec![
                statement(method_call(request(), "path", [string("/pets/")])),
                statement(method_call(
                    request(),
                    "query",
                    [
                        string("r#type"),
                        reference(field(path(&["params"]), "r#type")),
                        path(&["Style", "Form"]),
                        boolean(true),
                    ],
                )),
            ],
            quote! {
                request.path("/pets/");
                request.query("r#type", &params.r#type, Style::Form, true);
            },
        );
    }
}

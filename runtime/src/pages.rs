//! Listings that come in pages: a [`Pages`] stream of whole pages and an [`Items`] stream of
//! their items, whichever way the API says where the next page is (a page number, an offset, a
//! cursor or a URL in the body, or the `Link` header).

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use futures_core::Stream;
use reqwest::header::{HeaderMap, LINK};

use super::error::Error;
use super::future::ResponseFuture;
use super::response::ApiResponse;

/// Which page to ask for next, as the generated code puts it on the request.
#[doc(hidden)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PageCursor {
    /// The first page: the parameters as the caller gave them.
    First,
    /// This page number.
    Number(u64),
    /// Items from this offset.
    Offset(u64),
    /// The page this cursor or token names.
    Token(String),
    /// The page at this URL (from a `Link` header or the body), on the operation's server.
    Url(String),
}

impl PageCursor {
    /// The page number to send, for page-number listings.
    pub fn number(&self) -> Option<u64> {
        match self {
            PageCursor::Number(number) => Some(*number),
            _ => None,
        }
    }

    /// The offset to send, for offset listings.
    pub fn offset(&self) -> Option<u64> {
        match self {
            PageCursor::Offset(offset) => Some(*offset),
            _ => None,
        }
    }

    /// The cursor to send, for cursor listings.
    pub fn token(&self) -> Option<&str> {
        match self {
            PageCursor::Token(token) => Some(token),
            _ => None,
        }
    }
}

/// How a listing says where its next page is, as the generator recognized it.
#[doc(hidden)]
#[derive(Debug, Clone, Copy)]
pub enum Paging {
    /// `page=1, 2, ...` from `first`, until a page is empty or the last one (when the body says
    /// how many there are).
    PageNumber { first: u64 },
    /// `offset=start, start+n, ...`, until a page is empty or shorter than `limit`.
    Offset { start: u64, limit: Option<u64> },
    /// The cursor the body gives, until it gives none.
    Cursor,
    /// The URL the body gives, until it gives none.
    NextUrl,
    /// The `Link` header's `rel="next"` URL (RFC 8288), until there is none.
    LinkHeader,
}

/// What the generated code reads from a page to find the next one.
#[doc(hidden)]
#[derive(Debug, Default)]
pub struct PageFacts {
    /// How many items the page holds.
    pub items: usize,
    /// How many pages there are, when the body says.
    pub total_pages: Option<u64>,
    /// The next page's cursor or URL, when the body gives one.
    pub next: Option<String>,
}

type Fetch<'c, P, E> = Box<dyn FnMut(&PageCursor) -> ResponseFuture<'c, P, E> + Send + 'c>;

// The unsent request inline, as in `ResponseFuture`: it is moved once per page.
#[allow(clippy::large_enum_variant)]
enum State<'c, P, E> {
    Ask(PageCursor),
    Fetching(ResponseFuture<'c, P, E>, PageCursor),
    Done,
}

/// The pages of a listing, one response each, asked for one at a time as the stream is read.
/// An error ends the stream after it is yielded: a page that failed (after the client's
/// retries) is not skipped.
#[must_use = "streams do nothing unless polled"]
pub struct Pages<'c, P, E> {
    fetch: Fetch<'c, P, E>,
    facts: fn(&P) -> PageFacts,
    paging: Paging,
    state: State<'c, P, E>,
}

impl<'c, P, E> Pages<'c, P, E> {
    #[doc(hidden)]
    pub fn new(
        paging: Paging,
        facts: fn(&P) -> PageFacts,
        fetch: impl FnMut(&PageCursor) -> ResponseFuture<'c, P, E> + Send + 'c,
    ) -> Self {
        Pages { fetch: Box::new(fetch), facts, paging, state: State::Ask(PageCursor::First) }
    }

    /// The items of every page, in order, instead of the pages.
    pub fn items<T>(self, items: fn(P) -> Vec<T>) -> Items<'c, P, T, E> {
        Items { pages: self, items, current: Vec::new().into_iter() }
    }

    /// Where the page after `page`, asked for with `cursor`, is; `None` after the last.
    fn next_cursor(&self, page: &ApiResponse<P>, cursor: &PageCursor) -> Option<PageCursor> {
        let facts = (self.facts)(page.body());
        match self.paging {
            Paging::PageNumber { first } => {
                let number = cursor.number().unwrap_or(first);
                let last = facts.items == 0 || facts.total_pages.is_some_and(|total| number >= total);
                (!last).then(|| PageCursor::Number(number + 1))
            }
            Paging::Offset { start, limit } => {
                let offset = cursor.offset().unwrap_or(start);
                let last = facts.items == 0 || limit.is_some_and(|limit| (facts.items as u64) < limit);
                (!last).then(|| PageCursor::Offset(offset + facts.items as u64))
            }
            // The same cursor again would ask for the same page for ever.
            Paging::Cursor => {
                facts.next.filter(|next| !next.is_empty() && cursor.token() != Some(next)).map(PageCursor::Token)
            }
            Paging::NextUrl => facts.next.filter(|next| !next.is_empty()).map(PageCursor::Url),
            Paging::LinkHeader => next_link(page.headers()).map(PageCursor::Url),
        }
    }
}

impl<P, E> Stream for Pages<'_, P, E> {
    type Item = Result<ApiResponse<P>, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            match std::mem::replace(&mut self.state, State::Done) {
                State::Done => return Poll::Ready(None),
                State::Ask(cursor) => {
                    let future = (self.fetch)(&cursor);
                    self.state = State::Fetching(future, cursor);
                }
                State::Fetching(mut future, cursor) => match Pin::new(&mut future).poll(cx) {
                    Poll::Pending => {
                        self.state = State::Fetching(future, cursor);
                        return Poll::Pending;
                    }
                    Poll::Ready(Err(err)) => return Poll::Ready(Some(Err(err))),
                    Poll::Ready(Ok(page)) => {
                        if let Some(next) = self.next_cursor(&page, &cursor) {
                            self.state = State::Ask(next);
                        }
                        return Poll::Ready(Some(Ok(page)));
                    }
                },
            }
        }
    }
}

impl<P, E> fmt::Debug for Pages<'_, P, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Pages").field("paging", &self.paging).finish_non_exhaustive()
    }
}

/// The items of a listing across its pages, in order; pages are asked for as the items are
/// read. An error (on any page) is yielded and ends the stream.
#[must_use = "streams do nothing unless polled"]
pub struct Items<'c, P, T, E> {
    pages: Pages<'c, P, E>,
    items: fn(P) -> Vec<T>,
    current: std::vec::IntoIter<T>,
}

impl<P, T: Unpin, E> Stream for Items<'_, P, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            if let Some(item) = self.current.next() {
                return Poll::Ready(Some(Ok(item)));
            }
            match Pin::new(&mut self.pages).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(None) => return Poll::Ready(None),
                Poll::Ready(Some(Err(err))) => return Poll::Ready(Some(Err(err))),
                Poll::Ready(Some(Ok(page))) => {
                    let items = (self.items)(page.into_body());
                    self.current = items.into_iter();
                }
            }
        }
    }
}

impl<P, T, E> fmt::Debug for Items<'_, P, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Items").field("pages", &self.pages).field("buffered", &self.current.len()).finish()
    }
}

/// The `rel="next"` target of the `Link` headers (RFC 8288): `<https://...>; rel="next"`,
/// with `rel` holding one or more relation types, quoted or not.
fn next_link(headers: &HeaderMap) -> Option<String> {
    headers.get_all(LINK).iter().filter_map(|value| value.to_str().ok()).flat_map(split_links).find_map(|link| {
        let (target, params) = link.trim().strip_prefix('<')?.split_once('>')?;
        let is_next = params.split(';').filter_map(|param| param.trim().split_once('=')).any(|(name, value)| {
            name.trim().eq_ignore_ascii_case("rel")
                && value.trim().trim_matches('"').split_ascii_whitespace().any(|rel| rel.eq_ignore_ascii_case("next"))
        });
        is_next.then(|| target.to_owned())
    })
}

/// The links of one `Link` value, split at the commas between them (not those inside `<>`).
fn split_links(value: &str) -> Vec<&str> {
    let mut links = Vec::new();
    let (mut start, mut in_target, mut in_quotes) = (0, false, false);
    for (index, byte) in value.bytes().enumerate() {
        match byte {
            b'<' if !in_quotes => in_target = true,
            b'>' if !in_quotes => in_target = false,
            b'"' if !in_target => in_quotes = !in_quotes,
            b',' if !in_target && !in_quotes => {
                links.push(&value[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    links.push(&value[start..]);
    links
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(value: &str) -> Option<String> {
        let mut headers = HeaderMap::new();
        headers.insert(LINK, value.parse().unwrap());
        next_link(&headers)
    }

    #[test]
    fn the_next_link_is_found_among_others() {
        let github = "<https://api.github.com/repositories/1/issues?page=2>; rel=\"next\", \
                      <https://api.github.com/repositories/1/issues?page=5>; rel=\"last\"";
        assert_eq!(link(github).as_deref(), Some("https://api.github.com/repositories/1/issues?page=2"));
        assert_eq!(
            link("<https://x.test/a?b=1,2>; rel=\"prev\", <https://x.test/c>; rel=next").as_deref(),
            Some("https://x.test/c")
        );
        assert_eq!(link("<https://x.test/c>; title=\"a, b\"; rel=\"last next\"").as_deref(), Some("https://x.test/c"));
        assert_eq!(link("<https://x.test/c>; rel=\"last\""), None);
        assert_eq!(link("garbage"), None);
    }
}

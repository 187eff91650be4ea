//! Response bodies that are a sequence of items, decoded one item at a time as the body arrives
//! (never held whole): server-sent events (`text/event-stream`, an [`EventStream`] of
//! [`Event`]s) and JSON Lines (`application/jsonl`, `application/x-ndjson`) or JSON text
//! sequences (`application/json-seq`, RFC 7464), a [`JsonStream`] of items.
//!
//! # What a stream does when something goes wrong
//!
//! - An item that does not decode into its type is an error item ([`StreamError::Decode`],
//!   naming the item's position and the JSON path), and the stream goes on with the next one.
//! - A connection that fails while the body arrives is an error item
//!   ([`StreamError::Transport`]), and the stream ends.
//! - A body that ends inside an item (an event without the blank line that ends it, which the
//!   standard discards, or a JSON text sequence record cut short) is an error item
//!   ([`StreamError::Incomplete`]), so that a stream cut short never reads as one that ended;
//!   then the stream ends. A stream that ends with `None` and no error item ended normally.
//!
//! # Reconnection
//!
//! A stream never reconnects by itself: a request is sent once, whatever its method (a `POST`
//! that starts a generation must not be sent twice behind the caller's back). What the server
//! said for a reconnection is kept: [`EventStream::last_event_id`] (the `id` field) and
//! [`EventStream::retry`] (the `retry` field). To resume, call the operation again with the
//! `Last-Event-ID` header (a per-call header) after waiting that long.
//!
//! # Timeouts
//!
//! The client's timeout (60 s by default) would cut a long stream short, so a streaming call
//! has no total timeout unless the call sets one (a per-call timeout bounds the whole exchange,
//! stream included); the connect timeout applies as always. Drop the stream to stop reading it.

use std::collections::VecDeque;
use std::fmt;
use std::pin::Pin;
use std::task::{Context, Poll};
use std::time::Duration;

use futures_core::Stream;
use serde::de::DeserializeOwned;

use crate::download::ByteStream;

/// One server-sent event: its data decoded into `T`, and its other fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event<T> {
    /// The event's `data` (its `data` lines joined with line feeds), decoded.
    pub data: T,
    /// The `event` field: the event's type; `None` for the default type (`message`).
    pub event: Option<String>,
    /// The last `id` the stream gave, at or before this event (the event stream's last event
    /// ID, which a reconnection sends as `Last-Event-ID`); `None` when none was given.
    pub id: Option<String>,
    /// The `retry` field of this event, when it had one: how long to wait before reconnecting.
    pub retry: Option<Duration>,
}

/// What went wrong with one item of a stream, or with the rest of it.
#[derive(Debug)]
#[non_exhaustive]
pub enum StreamError {
    /// The connection failed while the body was arriving; the stream ends.
    Transport(reqwest::Error),
    /// An item does not decode into its type; the stream goes on.
    Decode {
        /// The item's position in the stream, from 1.
        item: usize,
        /// Where in the item's JSON decoding failed (`choices[0].delta`); empty at its top.
        path: String,
        /// Why, as serde says it.
        source: serde_json::Error,
    },
    /// The body ended inside an item; the stream ends.
    Incomplete {
        /// The position the unfinished item would have had, from 1.
        item: usize,
    },
}

impl fmt::Display for StreamError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StreamError::Transport(err) => write!(f, "the stream's connection failed: {err}"),
            StreamError::Decode { item, path, source } if path.is_empty() => {
                write!(f, "item {item} of the stream does not decode: {source}")
            }
            StreamError::Decode { item, path, source } => {
                write!(f, "item {item} of the stream does not decode at `{path}`: {source}")
            }
            StreamError::Incomplete { item } => {
                write!(f, "the stream ended inside item {item}, before the end of that item")
            }
        }
    }
}

impl std::error::Error for StreamError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            StreamError::Transport(err) => Some(err),
            StreamError::Decode { source, .. } => Some(source),
            StreamError::Incomplete { .. } => None,
        }
    }
}

/// How an event's data (with the event's name) becomes `T`.
type DecodeItem<T> = fn(Option<&str>, &str) -> Result<T, (String, serde_json::Error)>;

/// The events of an operation whose events differ by their `event` name: a generated enum with
/// a variant per name, and one for names it does not know.
#[doc(hidden)]
pub trait EventData: Sized {
    /// The event named `event` (`None`: the default type) with `data`.
    fn decode(event: Option<&str>, data: &str) -> Result<Self, (String, serde_json::Error)>;
}

/// An event's data as the JSON of `T`, whatever its name.
pub(crate) fn json_event<T: DeserializeOwned>(_: Option<&str>, data: &str) -> Result<T, (String, serde_json::Error)> {
    decode_json_item(data)
}

/// An event's data as text, whatever its name.
pub(crate) fn text_event(_: Option<&str>, data: &str) -> Result<String, (String, serde_json::Error)> {
    Ok(data.to_owned())
}

/// An event of an operation whose events differ by name.
pub(crate) fn named_event<T: EventData>(event: Option<&str>, data: &str) -> Result<T, (String, serde_json::Error)> {
    T::decode(event, data)
}

/// An item as JSON, with the path where it fails; only a failed decode pays for the path.
#[doc(hidden)]
pub fn decode_json_item<T: DeserializeOwned>(text: &str) -> Result<T, (String, serde_json::Error)> {
    serde_json::from_str(text).map_err(|err| {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let path = match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
            Ok(_) => String::new(),
            Err(tracked) => tracked.path().to_string(),
        };
        (path, err)
    })
}

/// The parts of a stream that every format shares: the body, the items parsed and not yet
/// handed out, and the count of items so far.
struct Items<T> {
    body: ByteStream,
    ready: VecDeque<Result<T, StreamError>>,
    /// Items handed to the queue so far (decoded or not).
    count: usize,
    /// Set once the body has ended or failed.
    finished: bool,
}

impl<T> Items<T> {
    fn new(body: ByteStream) -> Self {
        Items { body, ready: VecDeque::new(), count: 0, finished: false }
    }

    /// Queues the next item as it decoded, or the error that names its position and path.
    fn push_decoded(&mut self, decoded: Result<T, (String, serde_json::Error)>) {
        self.count += 1;
        let item = self.count;
        self.ready.push_back(decoded.map_err(|(path, source)| StreamError::Decode { item, path, source }));
    }

    /// Polls the body for bytes and hands them to `framing`, until an item is ready, the body
    /// is pending, or the stream is over.
    fn poll_next(
        &mut self,
        framing: &mut impl Framing<T>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<T, StreamError>>> {
        loop {
            if let Some(item) = self.ready.pop_front() {
                return Poll::Ready(Some(item));
            }
            if self.finished {
                return Poll::Ready(None);
            }
            match Pin::new(&mut self.body).poll_next(cx) {
                Poll::Pending => return Poll::Pending,
                Poll::Ready(Some(Ok(chunk))) => framing.feed(self, &chunk),
                Poll::Ready(Some(Err(err))) => {
                    self.finished = true;
                    self.ready.push_back(Err(StreamError::Transport(err)));
                }
                Poll::Ready(None) => {
                    self.finished = true;
                    framing.finish(self);
                }
            }
        }
    }
}

/// How a body's bytes are cut into items.
trait Framing<T> {
    /// Takes the next bytes of the body, and queues the items they complete.
    fn feed(&mut self, items: &mut Items<T>, bytes: &[u8]);
    /// The body ended: queues what is left, or the error that it was cut short.
    fn finish(&mut self, items: &mut Items<T>);
}

/// A `text/event-stream` body as it arrives: a [`Stream`] of [`Event`]s whose data is decoded
/// into `T`, parsed as the WHATWG HTML standard says (`data`, `event`, `id` and `retry` fields,
/// data over several lines, comments, `\r\n`, `\n` or `\r` line ends, a byte order mark). See
/// the [module](self) for errors, reconnection and timeouts.
pub struct EventStream<T> {
    items: Items<Event<T>>,
    events: EventFraming<T>,
}

/// The event parser and how an event's data becomes `T`.
struct EventFraming<T> {
    parser: EventParser,
    decode: DecodeItem<T>,
}

impl<T> EventStream<T> {
    pub(crate) fn new(body: ByteStream, decode: DecodeItem<T>) -> Self {
        EventStream { items: Items::new(body), events: EventFraming { parser: EventParser::default(), decode } }
    }

    /// The last event ID the stream gave (its last `id` field), to send as `Last-Event-ID` when
    /// resuming it.
    pub fn last_event_id(&self) -> Option<&str> {
        self.events.parser.last_event_id.as_deref()
    }

    /// How long the server asked a client to wait before reconnecting (its last `retry` field).
    pub fn retry(&self) -> Option<Duration> {
        self.events.parser.retry
    }
}

impl<T> fmt::Debug for EventStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("EventStream")
            .field("events", &self.items.count)
            .field("last_event_id", &self.events.parser.last_event_id)
            .field("retry", &self.events.parser.retry)
            .finish_non_exhaustive()
    }
}

impl<T> Unpin for EventStream<T> {}

impl<T> Stream for EventStream<T> {
    type Item = Result<Event<T>, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.items.poll_next(&mut this.events, cx)
    }
}

impl<T> Framing<Event<T>> for EventFraming<T> {
    fn feed(&mut self, items: &mut Items<Event<T>>, bytes: &[u8]) {
        for raw in self.parser.feed(bytes) {
            let data = (self.decode)(raw.event.as_deref(), &raw.data);
            items.push_decoded(data.map(|data| Event { data, event: raw.event, id: raw.id, retry: raw.retry }));
        }
    }

    fn finish(&mut self, items: &mut Items<Event<T>>) {
        if self.parser.finish() {
            items.ready.push_back(Err(StreamError::Incomplete { item: items.count + 1 }));
        }
    }
}

/// An event as the parser dispatches it, its data not yet decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
struct RawEvent {
    data: String,
    event: Option<String>,
    id: Option<String>,
    retry: Option<Duration>,
}

/// The WHATWG event stream interpretation, fed bytes as they arrive.
#[derive(Debug, Default)]
struct EventParser {
    /// The bytes of the line being read (a line never ends inside a UTF-8 sequence, since its
    /// ends are ASCII).
    line: Vec<u8>,
    /// The last byte fed was a `\r`: a `\n` right after it ends nothing more.
    after_cr: bool,
    /// Whether the byte order mark has been looked for.
    started: bool,
    data: String,
    event: Option<String>,
    retry_of_event: Option<Duration>,
    /// Whether the event being read has any field yet.
    pending: bool,
    last_event_id: Option<String>,
    retry: Option<Duration>,
}

impl EventParser {
    /// The events that `bytes` completes.
    fn feed(&mut self, mut bytes: &[u8]) -> Vec<RawEvent> {
        if !self.started {
            // The BOM may come split over chunks; wait for three bytes (or fewer at the end).
            self.line.extend_from_slice(bytes);
            if self.line.len() < 3 && b"\xEF\xBB\xBF".starts_with(&self.line) {
                return Vec::new();
            }
            self.started = true;
            let buffered = std::mem::take(&mut self.line);
            let rest = buffered.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buffered);
            return self.feed_lines(rest);
        }
        if bytes.is_empty() {
            return Vec::new();
        }
        let mut events = Vec::new();
        if self.after_cr && bytes.first() == Some(&b'\n') {
            bytes = &bytes[1..];
        }
        self.after_cr = false;
        events.extend(self.feed_lines(bytes));
        events
    }

    fn feed_lines(&mut self, bytes: &[u8]) -> Vec<RawEvent> {
        let mut events = Vec::new();
        let mut rest = bytes;
        while let Some(end) = rest.iter().position(|&b| b == b'\r' || b == b'\n') {
            self.line.extend_from_slice(&rest[..end]);
            let line = std::mem::take(&mut self.line);
            events.extend(self.line_done(&String::from_utf8_lossy(&line)));
            let crlf = rest[end] == b'\r' && rest.get(end + 1) == Some(&b'\n');
            if rest[end] == b'\r' && end + 1 == rest.len() {
                self.after_cr = true;
            }
            rest = &rest[end + if crlf { 2 } else { 1 }..];
        }
        self.line.extend_from_slice(rest);
        events
    }

    /// One whole line: a field, a comment, or the blank line that dispatches the event.
    fn line_done(&mut self, line: &str) -> Option<RawEvent> {
        if line.is_empty() {
            return self.dispatch();
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((field, value)) => (field, value.strip_prefix(' ').unwrap_or(value)),
            None => (line, ""),
        };
        match field {
            "data" => {
                self.data.push_str(value);
                self.data.push('\n');
                self.pending = true;
            }
            "event" => {
                self.event = Some(value.to_owned());
                self.pending = true;
            }
            "id" if !value.contains('\0') => {
                self.last_event_id = Some(value.to_owned()).filter(|id| !id.is_empty());
                self.pending = true;
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                if let Ok(millis) = value.parse::<u64>() {
                    self.retry = Some(Duration::from_millis(millis));
                    self.retry_of_event = self.retry;
                }
                self.pending = true;
            }
            _ => {}
        }
        None
    }

    /// The event read so far, when it has data; the standard dispatches nothing without data.
    fn dispatch(&mut self) -> Option<RawEvent> {
        self.pending = false;
        let event = std::mem::take(&mut self.event).filter(|name| !name.is_empty());
        let retry = self.retry_of_event.take();
        if self.data.is_empty() {
            return None;
        }
        let mut data = std::mem::take(&mut self.data);
        data.pop();
        Some(RawEvent { data, event, id: self.last_event_id.clone(), retry })
    }

    /// The body ended: whether an event was left unfinished (its fields read, the blank line
    /// that dispatches it not), which the standard discards.
    fn finish(&mut self) -> bool {
        if !self.started {
            let buffered = std::mem::take(&mut self.line);
            self.started = true;
            self.feed_lines(buffered.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&buffered));
        }
        let line = std::mem::take(&mut self.line);
        if !line.is_empty() {
            // A last line without its line end is still a field of the unfinished event.
            let _ = self.line_done(&String::from_utf8_lossy(&line));
        }
        self.pending && !self.data.is_empty()
    }
}

/// How the items of a [`JsonStream`] are delimited.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum JsonFraming {
    /// One JSON text per line (`application/jsonl`, `application/x-ndjson`); blank lines are
    /// skipped.
    Lines,
    /// Each JSON text after a record separator (`0x1E`) and before a line feed
    /// (`application/json-seq`, RFC 7464).
    Sequence,
}

/// A JSON Lines or JSON text sequence body as it arrives: a [`Stream`] of items decoded into
/// `T`. See the [module](self) for errors.
pub struct JsonStream<T> {
    items: Items<T>,
    framing: JsonFramer,
}

/// Where the items of a JSON stream end.
struct JsonFramer {
    framing: JsonFraming,
    /// The bytes of the item being read.
    partial: Vec<u8>,
}

impl<T> JsonStream<T> {
    pub(crate) fn new(body: ByteStream, framing: JsonFraming) -> Self {
        JsonStream { items: Items::new(body), framing: JsonFramer { framing, partial: Vec::new() } }
    }
}

impl<T> fmt::Debug for JsonStream<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("JsonStream").field("items", &self.items.count).finish_non_exhaustive()
    }
}

impl<T> Unpin for JsonStream<T> {}

impl<T: DeserializeOwned> Stream for JsonStream<T> {
    type Item = Result<T, StreamError>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        this.items.poll_next(&mut this.framing, cx)
    }
}

impl<T: DeserializeOwned> Framing<T> for JsonFramer {
    fn feed(&mut self, items: &mut Items<T>, bytes: &[u8]) {
        self.partial.extend_from_slice(bytes);
        let delimiter = match self.framing {
            JsonFraming::Lines => b'\n',
            JsonFraming::Sequence => 0x1E,
        };
        let mut start = 0;
        while let Some(end) = self.partial[start..].iter().position(|&b| b == delimiter) {
            push_json(items, &self.partial[start..start + end]);
            start += end + 1;
        }
        self.partial.drain(..start);
    }

    fn finish(&mut self, items: &mut Items<T>) {
        let rest = std::mem::take(&mut self.partial);
        match self.framing {
            // The last line needs no line feed.
            JsonFraming::Lines => push_json(items, &rest),
            // A record ends with a line feed; one without it was cut short (RFC 7464).
            JsonFraming::Sequence if rest.iter().all(u8::is_ascii_whitespace) => {}
            JsonFraming::Sequence if rest.ends_with(b"\n") => push_json(items, &rest),
            JsonFraming::Sequence => items.ready.push_back(Err(StreamError::Incomplete { item: items.count + 1 })),
        }
    }
}

/// One delimited item: skipped when blank, else decoded.
fn push_json<T: DeserializeOwned>(items: &mut Items<T>, bytes: &[u8]) {
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return;
    }
    let text = String::from_utf8_lossy(bytes);
    items.push_decoded(decode_json_item(text.trim()));
}

/// Items sent as a request body as they come: each as JSON, on a line of its own (JSON Lines),
/// or after a record separator (a JSON text sequence).
pub(crate) struct EncodeItems<S> {
    items: Pin<Box<S>>,
    sequence: bool,
}

impl<S> EncodeItems<S> {
    pub(crate) fn new(items: S, sequence: bool) -> Self {
        EncodeItems { items: Box::pin(items), sequence }
    }
}

impl<S: Stream> Stream for EncodeItems<S>
where
    S::Item: serde::Serialize,
{
    type Item = Result<bytes::Bytes, std::io::Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let sequence = self.sequence;
        self.items.as_mut().poll_next(cx).map(|item| {
            item.map(|item| {
                let mut text = if sequence { vec![0x1E] } else { Vec::new() };
                serde_json::to_writer(&mut text, &item).map_err(std::io::Error::other)?;
                text.push(b'\n');
                Ok(bytes::Bytes::from(text))
            })
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(parts: &[&[u8]]) -> (Vec<RawEvent>, bool) {
        let mut parser = EventParser::default();
        let mut out = Vec::new();
        for part in parts {
            out.extend(parser.feed(part));
        }
        let unfinished = parser.finish();
        (out, unfinished)
    }

    fn raw(data: &str, event: Option<&str>, id: Option<&str>) -> RawEvent {
        RawEvent { data: data.to_owned(), event: event.map(str::to_owned), id: id.map(str::to_owned), retry: None }
    }

    const STREAM: &str = "\u{FEFF}: a comment\ndata: {\"n\": 1}\n\nevent: update\ndata:first\ndata: second\nid: 7\n\n\
                          data\n\nretry: 2500\nid\ndata: x\n\n";

    fn expected() -> Vec<RawEvent> {
        vec![
            raw("{\"n\": 1}", None, None),
            raw("first\nsecond", Some("update"), Some("7")),
            raw("", None, Some("7")),
            RawEvent { retry: Some(Duration::from_millis(2500)), ..raw("x", None, None) },
        ]
    }

    #[test]
    fn fields_comments_and_multi_line_data_as_the_standard_says() {
        let (got, unfinished) = events(&[STREAM.as_bytes()]);
        // `data` alone is an empty data line: an event with empty data, dispatched.
        assert_eq!(got, expected());
        assert!(!unfinished);
    }

    #[test]
    fn every_line_end_and_every_split_gives_the_same_events() {
        for line_end in ["\n", "\r\n", "\r"] {
            let text = STREAM.replace('\n', line_end);
            let bytes = text.as_bytes();
            let (whole, _) = events(&[bytes]);
            assert_eq!(whole, expected(), "line end {line_end:?}");
            for split in 0..=bytes.len() {
                let (parts, unfinished) = events(&[&bytes[..split], &bytes[split..]]);
                assert_eq!(parts, whole, "line end {line_end:?}, split at byte {split}");
                assert!(!unfinished);
            }
            let one_by_one: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(events(&one_by_one).0, whole, "byte by byte, line end {line_end:?}");
        }
    }

    #[test]
    fn an_event_without_its_blank_line_is_not_dispatched_but_reported() {
        let (got, unfinished) = events(&[b"data: 1\n\ndata: 2\n"]);
        assert_eq!(got, vec![raw("1", None, None)]);
        assert!(unfinished);
        let (got, unfinished) = events(&[b"data: 1\n\ndata: 2"]);
        assert_eq!(got, vec![raw("1", None, None)]);
        assert!(unfinished, "a last line without its line end too");
        assert!(!events(&[b"data: 1\n\n: bye\n"]).1, "a comment at the end leaves nothing unfinished");
    }

    #[test]
    fn an_id_with_a_null_is_ignored_and_an_empty_id_resets_it() {
        let (got, _) = events(&[b"id: 1\ndata: a\n\nid: 2\0\ndata: b\n\nid:\ndata: c\n\n"]);
        let ids: Vec<Option<String>> = got.into_iter().map(|e| e.id).collect();
        assert_eq!(ids, [Some("1".to_owned()), Some("1".to_owned()), None]);
    }

    /// The items `framing` makes of `parts`, fed one after the other, then the end.
    fn json_items(framing: JsonFraming, parts: &[&[u8]]) -> Vec<Result<Vec<u32>, String>> {
        let body = ByteStream::new(crate::download::Payload::Whole(bytes::Bytes::new()), &Default::default());
        let mut items = Items::new(body);
        let mut framer = JsonFramer { framing, partial: Vec::new() };
        for part in parts {
            Framing::<Vec<u32>>::feed(&mut framer, &mut items, part);
        }
        Framing::<Vec<u32>>::finish(&mut framer, &mut items);
        items.ready.into_iter().map(|item| item.map_err(|err| err.to_string())).collect()
    }

    #[test]
    fn json_lines_skip_blank_lines_and_go_on_after_a_bad_one() {
        let text = b"[1]\r\n\n[2, \"x\"]\n  \n[3]";
        let expected: Vec<Result<Vec<u32>, String>> = vec![
            Ok(vec![1]),
            Err("item 2 of the stream does not decode at `[1]`: invalid type: string \"x\", expected u32 at line 1 column 7"
                .to_owned()),
            Ok(vec![3]),
        ];
        assert_eq!(json_items(JsonFraming::Lines, &[text]), expected);
        for split in 0..=text.len() {
            assert_eq!(json_items(JsonFraming::Lines, &[&text[..split], &text[split..]]), expected, "split at {split}");
        }
    }

    #[test]
    fn a_json_text_sequence_cut_short_is_incomplete() {
        let whole = b"\x1e[1]\n\x1e[2]\n";
        assert_eq!(json_items(JsonFraming::Sequence, &[whole]), vec![Ok(vec![1]), Ok(vec![2])]);
        let cut = b"\x1e[1]\n\x1e[2";
        assert_eq!(
            json_items(JsonFraming::Sequence, &[cut]),
            vec![Ok(vec![1]), Err("the stream ended inside item 2, before the end of that item".to_owned())]
        );
    }

    #[test]
    fn decode_failures_name_the_path() {
        type Items = Vec<std::collections::BTreeMap<String, u32>>;
        let (path, err) = decode_json_item::<Items>("[{\"n\": 1}, {\"n\": \"x\"}]").unwrap_err();
        assert_eq!(path, "[1].n");
        assert!(err.to_string().contains("invalid type"), "{err}");
    }
}

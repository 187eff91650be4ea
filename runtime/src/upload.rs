//! Files to send: multipart parts and raw request bodies.

use std::fmt;
use std::path::Path;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use serde::de::{self, MapAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::error::RequestError;

/// A file to upload, from a path ([`Upload::read_path`] in async code, [`Upload::from_path`]
/// elsewhere), from an async reader ([`Upload::read_from`]) or from bytes in memory
/// ([`Upload::from_bytes`] with [`Upload::with_file_name`]), all held whole; or streamed as it
/// is sent, once ([`Upload::from_stream`], [`Upload::stream_from`]). Its media type is guessed
/// from the file name unless set with [`Upload::with_content_type`].
#[derive(Clone, PartialEq, Eq)]
pub struct Upload {
    data: Data,
    file_name: Option<String>,
    content_type: Option<String>,
}

/// What an upload sends.
#[derive(Clone)]
enum Data {
    /// Bytes in memory, which every attempt sends again.
    Whole(Bytes),
    /// A stream that can be sent once: the first request that sends it takes it.
    OneShot { body: Arc<Mutex<Option<reqwest::Body>>>, length: Option<u64> },
}

impl PartialEq for Data {
    fn eq(&self, other: &Self) -> bool {
        match (self, other) {
            (Data::Whole(a), Data::Whole(b)) => a == b,
            // A stream equals only itself (and its clones, which share it).
            (Data::OneShot { body: a, .. }, Data::OneShot { body: b, .. }) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl Eq for Data {}

/// The body of one attempt, as the transport sends it.
pub(crate) enum SendBody {
    Whole(Bytes),
    Stream { body: reqwest::Body, length: Option<u64> },
}

impl Upload {
    /// A file made of `data`, with no file name.
    pub fn from_bytes(data: impl Into<Bytes>) -> Self {
        Upload { data: Data::Whole(data.into()), file_name: None, content_type: None }
    }

    /// A file sent as `stream` gives it, without holding it in memory: a file too big to read
    /// whole, or bytes produced as they are sent. `length`, when known, is sent as the
    /// `Content-Length` (of a raw body; multipart parts are framed by their boundary).
    ///
    /// A stream can be sent once. A request whose body holds one is never retried, whatever the
    /// client's `RetryPolicy` (with `tracing` on, a warning says that a retry was skipped), and
    /// a 401 does not renew the access token and send again. Sending the same `Upload` (or a
    /// clone of it) a second time is an `InvalidRequest` error. Use [`Upload::read_path`] or
    /// [`Upload::read_from`] for a file that retries may send again.
    pub fn from_stream<S>(stream: S, length: Option<u64>) -> Self
    where
        S: futures_core::TryStream + Send + 'static,
        S::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
        Bytes: From<S::Ok>,
    {
        let body = Arc::new(Mutex::new(Some(reqwest::Body::wrap_stream(stream))));
        Upload { data: Data::OneShot { body, length }, file_name: None, content_type: None }
    }

    /// A file sent as `reader` gives it (an open file, a pipe, a decompressor), read in chunks
    /// as the request goes out: [`Upload::from_stream`] over the reader, with what it says on
    /// retries.
    pub fn stream_from<R: tokio::io::AsyncRead + Send + 'static>(reader: R, length: Option<u64>) -> Self {
        Upload::from_stream(tokio_util::io::ReaderStream::new(reader), length)
    }

    /// Opens the file at `path` to be streamed as it is sent ([`Upload::stream_from`]), with its
    /// length and file name.
    pub async fn stream_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let file = tokio::fs::File::open(path).await.map_err(|err| naming(path, err))?;
        let length = file.metadata().await.map_err(|err| naming(path, err))?.len();
        let upload = Upload::stream_from(file, Some(length));
        Ok(upload.named_after(path))
    }

    /// Reads the file at `path`; its file name is sent along.
    pub fn from_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let data = std::fs::read(path).map_err(|err| naming(path, err))?;
        let upload = Upload::from_bytes(data);
        Ok(upload.named_after(path))
    }

    /// Reads the file at `path` without blocking the async runtime (on `tokio::fs`); its file name
    /// is sent along. [`Upload::from_path`] does the same with a blocking read, for code that is
    /// not async.
    pub async fn read_path(path: impl AsRef<Path>) -> std::io::Result<Self> {
        let path = path.as_ref();
        let data = tokio::fs::read(path).await.map_err(|err| naming(path, err))?;
        let upload = Upload::from_bytes(data);
        Ok(upload.named_after(path))
    }

    /// Reads everything `reader` gives (a socket, a decompressor, a file opened elsewhere) without
    /// blocking the async runtime. The file is held whole, so that a retried request sends it
    /// again unchanged and its length is always sent.
    pub async fn read_from<R: tokio::io::AsyncRead + Unpin>(mut reader: R) -> std::io::Result<Self> {
        use tokio::io::AsyncReadExt;
        let mut data = Vec::new();
        reader.read_to_end(&mut data).await?;
        Ok(Upload::from_bytes(data))
    }

    /// The upload with the file name of `path`, when it has one that is UTF-8.
    fn named_after(self, path: &Path) -> Self {
        match path.file_name().and_then(|name| name.to_str()) {
            Some(name) => self.with_file_name(name),
            None => self,
        }
    }

    /// Sets the file name sent with the file.
    pub fn with_file_name(mut self, file_name: impl Into<String>) -> Self {
        self.file_name = Some(file_name.into());
        self
    }

    /// Sets the media type; without one it is guessed from the file name's extension.
    pub fn with_content_type(mut self, content_type: impl Into<String>) -> Self {
        self.content_type = Some(content_type.into());
        self
    }

    /// The file's bytes; `None` for a stream, which is not held.
    pub fn bytes(&self) -> Option<&Bytes> {
        match &self.data {
            Data::Whole(bytes) => Some(bytes),
            Data::OneShot { .. } => None,
        }
    }

    /// The file's length, when it is known: always for bytes, for a stream when it was given.
    pub fn length(&self) -> Option<u64> {
        match &self.data {
            Data::Whole(bytes) => Some(bytes.len() as u64),
            Data::OneShot { length, .. } => *length,
        }
    }

    /// Whether the file is a stream that can be sent once ([`Upload::from_stream`]).
    pub fn is_one_shot(&self) -> bool {
        matches!(self.data, Data::OneShot { .. })
    }

    /// What one attempt sends: the bytes again, or the stream, taken from the upload.
    pub(crate) fn take_body(&self) -> Result<SendBody, RequestError> {
        match &self.data {
            Data::Whole(bytes) => Ok(SendBody::Whole(bytes.clone())),
            Data::OneShot { body, length } => {
                let taken = body.lock().unwrap_or_else(std::sync::PoisonError::into_inner).take();
                match taken {
                    Some(body) => Ok(SendBody::Stream { body, length: *length }),
                    None => Err(RequestError::Invalid(
                        "a streamed upload can be sent once, and this one was sent already".to_owned(),
                    )),
                }
            }
        }
    }

    /// The file name, if one was given.
    pub fn file_name(&self) -> Option<&str> {
        self.file_name.as_deref()
    }

    /// The media type: the one set, or one guessed from the file name, or
    /// `application/octet-stream`.
    pub fn content_type(&self) -> &str {
        if let Some(content_type) = &self.content_type {
            return content_type;
        }
        let extension = self
            .file_name
            .as_deref()
            .and_then(|name| name.rsplit_once('.'))
            .map(|(_, extension)| extension.to_ascii_lowercase());
        match extension.as_deref() {
            Some("pdf") => "application/pdf",
            Some("doc") => "application/msword",
            Some("docx") => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            Some("png") => "image/png",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("gif") => "image/gif",
            Some("txt") => "text/plain",
            Some("html" | "htm") => "text/html",
            Some("json") => "application/json",
            Some("zip") => "application/zip",
            _ => "application/octet-stream",
        }
    }
}

impl fmt::Debug for Upload {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Upload")
            .field("file_name", &self.file_name)
            .field("content_type", &self.content_type())
            .field("len", &self.length())
            .field("one_shot", &self.is_one_shot())
            .finish()
    }
}

/// Files cannot be sent in JSON; the multipart method of the operation sends them.
impl Serialize for Upload {
    fn serialize<S: Serializer>(&self, _serializer: S) -> Result<S::Ok, S::Error> {
        Err(serde::ser::Error::custom("a file upload cannot be sent as JSON; use the operation's `_multipart` method"))
    }
}

/// The name `Upload` asks its deserializer for: the mock server's reader of multipart bodies
/// (feature `mock`) answers it with the file part's bytes, file name and media type.
#[cfg_attr(not(feature = "mock"), allow(dead_code))]
pub(crate) const UPLOAD_TYPE_NAME: &str = "$openapi_gen_runtime::Upload";

/// A file in a JSON document can only be its text; a file part of a multipart body read by the
/// mock server is the file it was.
impl<'de> Deserialize<'de> for Upload {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_newtype_struct(UPLOAD_TYPE_NAME, UploadVisitor)
    }
}

struct UploadVisitor;

impl<'de> Visitor<'de> for UploadVisitor {
    type Value = Upload;

    fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
        formatter.write_str("a file's text")
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, deserializer: D) -> Result<Upload, D::Error> {
        String::deserialize(deserializer).map(|text| Upload::from_bytes(text.into_bytes()))
    }

    fn visit_str<E: de::Error>(self, text: &str) -> Result<Upload, E> {
        Ok(Upload::from_bytes(text.to_owned().into_bytes()))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut fields: A) -> Result<Upload, A::Error> {
        let mut upload = Upload::from_bytes(Bytes::new());
        while let Some(key) = fields.next_key::<String>()? {
            match key.as_str() {
                "bytes" => upload.data = Data::Whole(Bytes::from(fields.next_value::<FileBytes>()?.0)),
                "file_name" => upload.file_name = fields.next_value()?,
                "content_type" => upload.content_type = fields.next_value()?,
                _ => return Err(de::Error::unknown_field(&key, &["bytes", "file_name", "content_type"])),
            }
        }
        Ok(upload)
    }
}

/// A file's bytes as its reader hands them over.
struct FileBytes(Vec<u8>);

impl<'de> Deserialize<'de> for FileBytes {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct BytesVisitor;
        impl Visitor<'_> for BytesVisitor {
            type Value = FileBytes;

            fn expecting(&self, formatter: &mut fmt::Formatter<'_>) -> fmt::Result {
                formatter.write_str("a file's bytes")
            }

            fn visit_bytes<E: de::Error>(self, bytes: &[u8]) -> Result<FileBytes, E> {
                Ok(FileBytes(bytes.to_vec()))
            }

            fn visit_byte_buf<E: de::Error>(self, bytes: Vec<u8>) -> Result<FileBytes, E> {
                Ok(FileBytes(bytes))
            }
        }
        deserializer.deserialize_byte_buf(BytesVisitor)
    }
}

/// The files a multipart field holds: one file, a list of files, or none.
#[doc(hidden)]
#[cfg(feature = "multipart")]
pub trait FileParts {
    /// The files, and whether the field is a list (which numbers the part names).
    fn files(&self) -> (bool, Vec<&Upload>);
}

#[cfg(feature = "multipart")]
impl FileParts for Upload {
    fn files(&self) -> (bool, Vec<&Upload>) {
        (false, vec![self])
    }
}

#[cfg(feature = "multipart")]
impl FileParts for Vec<Upload> {
    fn files(&self) -> (bool, Vec<&Upload>) {
        (true, self.iter().collect())
    }
}

#[cfg(feature = "multipart")]
impl<T: FileParts> FileParts for Option<T> {
    fn files(&self) -> (bool, Vec<&Upload>) {
        self.as_ref().map_or((false, Vec::new()), FileParts::files)
    }
}

/// `err` with the path it is about, which `std::io::Error` does not say ("No such file or
/// directory (os error 2)" alone leaves the reader to guess which file); the kind is kept, so
/// code that matches on it still can.
fn naming(path: &Path, err: std::io::Error) -> std::io::Error {
    std::io::Error::new(err.kind(), format!("{}: {err}", path.display()))
}

#[cfg(feature = "multipart")]
impl<T: FileParts> FileParts for Box<T> {
    fn files(&self) -> (bool, Vec<&Upload>) {
        (**self).files()
    }
}

#[cfg(test)]
mod async_reads {
    use super::Upload;

    #[tokio::test]
    async fn a_path_and_a_reader_are_read_without_blocking_as_from_path_reads() {
        let path = std::env::temp_dir().join(format!("openapi-gen-upload-{}.pdf", std::process::id()));
        std::fs::write(&path, b"%PDF-1.7").unwrap();
        let blocking = Upload::from_path(&path).unwrap();
        assert_eq!(Upload::read_path(&path).await.unwrap(), blocking);
        assert_eq!(blocking.file_name(), Some(path.file_name().unwrap().to_str().unwrap()));
        assert_eq!(blocking.content_type(), "application/pdf");
        let file = tokio::fs::File::open(&path).await.unwrap();
        let read = Upload::read_from(file).await.unwrap();
        assert_eq!(read.bytes(), blocking.bytes());
        assert_eq!(read.length(), Some(8));
        assert_eq!(read.file_name(), None);
        std::fs::remove_file(&path).unwrap();
        // A missing file is an io error of its kind, and says which file.
        for err in [
            Upload::read_path(&path).await.unwrap_err(),
            Upload::from_path(&path).unwrap_err(),
            Upload::stream_path(&path).await.unwrap_err(),
        ] {
            assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
            assert!(err.to_string().starts_with(&format!("{}: ", path.display())), "{err}");
        }
    }

    #[tokio::test]
    async fn a_stream_is_taken_by_the_first_send_only() {
        let path = std::env::temp_dir().join(format!("openapi-gen-stream-{}.txt", std::process::id()));
        std::fs::write(&path, b"streamed").unwrap();
        let upload = Upload::stream_path(&path).await.unwrap();
        std::fs::remove_file(&path).unwrap();
        assert!(upload.is_one_shot());
        assert_eq!((upload.length(), upload.bytes(), upload.content_type()), (Some(8), None, "text/plain"));
        let clone = upload.clone();
        assert_eq!(clone, upload, "clones share the stream");
        assert!(matches!(upload.take_body(), Ok(super::SendBody::Stream { length: Some(8), .. })));
        let again = clone.take_body().err().expect("the stream was taken");
        assert!(matches!(&again, crate::error::RequestError::Invalid(reason) if reason.contains("sent already")));
        assert!(matches!(Upload::from_bytes("x").take_body(), Ok(super::SendBody::Whole(_))));
    }
}

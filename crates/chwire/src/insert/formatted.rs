//! Inserts of data already in one of ClickHouse's input formats (CSV, TSV, JSONEachRow,
//! Parquet, …), streamed from an `AsyncRead` or a stream of `Bytes`: read a chunk at a time
//! into one buffer, compressed as the client compresses (on the blocking pool), and sent as
//! the body of one request, so memory stays at a chunk or two whatever the input's size.

use std::fmt::Display;
use std::io;
use std::sync::Arc;

use bytes::Bytes;
use chwire_proto::CompressedBlockWriter;
use chwire_rt::RuntimeExt;
use futures_core::Stream;
use futures_util::{AsyncRead, AsyncReadExt, StreamExt};

use super::request::InsertRequest;
use crate::error::{Error, Result};
use crate::handle::Client;
use crate::request::RequestIdentity;
use crate::settings::Settings;
use crate::summary::QuerySummary;

/// An insert of preformatted data into a table ([`Client::insert_formatted`]): the body is
/// sent as given, in the format named, for the server to parse.
///
/// The data is read a chunk (`offload_chunk_size`, default 1 MiB) at a time and each chunk is
/// sent before the next is read, so a slow server slows the reading and memory stays bounded.
/// With the client's compression on (the default, LZ4) each chunk is compressed into
/// ClickHouse blocks first. Nothing is committed before the whole input has been sent and the
/// server has answered; a read error (an [`Error::Input`]) or a drop abandons the request the
/// way a dropped [`BlockInsert`](crate::BlockInsert) does.
///
/// Over ClickHouse's HTTP interface only: a transport that has no way to send preformatted
/// data (the native protocol sends Native blocks) answers with an error saying so.
#[must_use = "a formatted insert does nothing until given its data"]
#[derive(Debug, Clone)]
pub struct FormattedInsert {
    client: Client,
    table: String,
    format: String,
    settings: Settings,
    identity: RequestIdentity,
}

impl Client {
    /// An insert into `table` of data already in the input `format` (`"CSV"`,
    /// `"TabSeparated"`, `"JSONEachRow"`, `"Parquet"`, any format the server reads), given
    /// with [`FormattedInsert::from_reader`] or [`FormattedInsert::from_stream`].
    pub fn insert_formatted(
        &self,
        table: impl Into<String>,
        format: impl Into<String>,
    ) -> FormattedInsert {
        FormattedInsert {
            client: self.clone(),
            table: table.into(),
            format: format.into(),
            settings: Settings::new(),
            identity: RequestIdentity::default(),
        }
    }
}

impl FormattedInsert {
    /// A ClickHouse setting for this insert (e.g. `input_format_skip_unknown_fields`,
    /// `format_csv_delimiter`, `input_format_allow_errors_num`).
    pub fn setting(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.settings.set(name, value);
        self
    }

    /// A custom header for this insert, over the client's (the rules of
    /// [`Query::header`](crate::Query::header)).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        http::HeaderName: TryFrom<K>,
        http::HeaderValue: TryFrom<V>,
    {
        self.identity.header(name, value);
        self
    }

    /// Runs this insert with `role`, instead of the client's roles (as
    /// [`Query::role`](crate::Query::role)).
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.identity.role(role);
        self
    }

    /// Sends everything `reader` yields (to its end) and returns the server's summary. Takes
    /// any `futures_io::AsyncRead` (a file or socket of any runtime, through its futures-io
    /// compatibility, or `futures::io::Cursor` for bytes in memory).
    pub async fn from_reader<R: AsyncRead + Unpin + Send>(self, reader: R) -> Result<QuerySummary> {
        let chunk_size = self.client.inner.config.offload().chunk_size;
        self.send(ReaderSource { reader, chunk_size }).await
    }

    /// Sends every piece of `stream` (to its end) and returns the server's summary. Pieces
    /// are gathered up to a chunk, so many small pieces cost one write; an `Err` piece
    /// abandons the insert with [`Error::Input`].
    pub async fn from_stream<S, E>(self, stream: S) -> Result<QuerySummary>
    where
        S: Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
        E: Into<Box<dyn std::error::Error + Send + Sync>>,
    {
        let chunk_size = self.client.inner.config.offload().chunk_size;
        let stream = stream.fuse();
        self.send(StreamSource { stream, chunk_size }).await
    }

    /// The `INSERT … FORMAT …` statement; the format must be a name (it is not quoted).
    fn sql(&self) -> Result<String> {
        let name_ok = !self.format.is_empty()
            && self
                .format
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !name_ok {
            return Err(Error::Config(format!(
                "{:?} is not a format name",
                self.format
            )));
        }
        Ok(format!("INSERT INTO {} FORMAT {}", self.table, self.format))
    }

    /// Sends chunks that `fill` appends to an empty buffer (it says whether more may follow)
    /// until the input ends; the first opens the request.
    async fn send(self, mut source: impl Source) -> Result<QuerySummary> {
        let sql = self.sql()?;
        let inner = &self.client.inner;
        let span = inner.span(&sql, Some(&self.table));
        let outcome = async {
            let request = InsertRequest {
                sql: &sql,
                settings: &self.settings,
                query_id: None,
                running: None,
                span: &span,
                delivered_unanswered: None,
                session: self.client.session.as_deref(),
                identity: Some(&self.identity),
                events: None,
            };
            let mut chunks = Chunks::new(&self.client);
            let mut more = source.fill(&mut chunks.plain).await?;
            let mut sink = request.open(inner, &[chunks.encode().await?]).await?;
            while more {
                more = source.fill(&mut chunks.plain).await?;
                let payload = chunks.encode().await?;
                if payload.is_empty() {
                    continue;
                }
                if let Err(e) = sink.write(&[payload]).await {
                    return Err(sink.failure(e).await);
                }
            }
            sink.finish().await
        }
        .await;
        match &outcome {
            Ok(summary) => {
                span.set_summary(summary);
                span.end_ok();
            }
            Err(e) => span.end_err(e),
        }
        outcome
    }
}

/// Where a formatted insert's data comes from: `fill` appends up to a chunk to `buf`
/// (empty when called) and says whether more may follow.
trait Source {
    fn fill(&mut self, buf: &mut Vec<u8>) -> impl Future<Output = Result<bool>> + Send;
}

struct ReaderSource<R> {
    reader: R,
    chunk_size: usize,
}

impl<R: AsyncRead + Unpin + Send> Source for ReaderSource<R> {
    async fn fill(&mut self, buf: &mut Vec<u8>) -> Result<bool> {
        let chunk_size = self.chunk_size;
        buf.resize(chunk_size, 0);
        let mut filled = 0;
        while filled < chunk_size {
            match self.reader.read(&mut buf[filled..]).await {
                Ok(0) => {
                    buf.truncate(filled);
                    return Ok(false);
                }
                Ok(n) => filled += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(e) => {
                    buf.truncate(filled);
                    return Err(Error::Input(e));
                }
            }
        }
        Ok(true)
    }
}

struct StreamSource<S> {
    stream: S,
    chunk_size: usize,
}

impl<S, E> Source for StreamSource<futures_util::stream::Fuse<S>>
where
    S: Stream<Item = std::result::Result<Bytes, E>> + Unpin + Send,
    E: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    async fn fill(&mut self, buf: &mut Vec<u8>) -> Result<bool> {
        while buf.len() < self.chunk_size {
            match self.stream.next().await {
                Some(Ok(piece)) => buf.extend_from_slice(&piece),
                Some(Err(e)) => return Err(Error::Input(io::Error::other(e))),
                None => return Ok(false),
            }
        }
        Ok(true)
    }
}

/// The insert's two buffers: the plain chunk being read, and its compressed form; both kept
/// and reused from chunk to chunk.
struct Chunks {
    rt: Arc<dyn chwire_rt::Runtime>,
    writer: Option<CompressedBlockWriter>,
    plain: Vec<u8>,
    compressed: Vec<u8>,
}

impl Chunks {
    fn new(client: &Client) -> Chunks {
        let inner = &client.inner;
        Chunks {
            rt: Arc::clone(&inner.rt),
            writer: inner.body_compression().map(CompressedBlockWriter::new),
            plain: Vec::with_capacity(inner.config.offload().chunk_size),
            compressed: Vec::new(),
        }
    }

    /// The chunk read as it is sent (compressed on the blocking pool when the client
    /// compresses); the plain buffer is emptied for the next one.
    async fn encode(&mut self) -> Result<&[u8]> {
        let Some(writer) = self.writer.take() else {
            std::mem::swap(&mut self.plain, &mut self.compressed);
            self.plain.clear();
            return Ok(&self.compressed);
        };
        let mut plain = std::mem::take(&mut self.plain);
        let mut out = std::mem::take(&mut self.compressed);
        let (writer, plain, out) = self
            .rt
            .run_blocking(move || {
                let mut writer = writer;
                out.clear();
                let r = writer.write(&plain, &mut out);
                plain.clear();
                r.map(|()| (writer, plain, out))
            })
            .await
            .map_err(|e| Error::pipeline(format!("compressor: {e}")))??;
        self.writer = Some(writer);
        self.plain = plain;
        self.compressed = out;
        Ok(&self.compressed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send<T: Send>(_: &T) {}

    /// A formatted insert can be spawned on a multi-threaded runtime.
    #[allow(dead_code, clippy::diverging_sub_expression)]
    fn inserts_are_send(insert: FormattedInsert) {
        let reader = futures_util::io::Cursor::new(Vec::<u8>::new());
        assert_send(&insert.clone().from_reader(reader));
        let stream = futures_util::stream::iter([Ok::<_, io::Error>(Bytes::new())]);
        assert_send(&insert.from_stream(stream));
    }
}

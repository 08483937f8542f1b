//! [`Query`]: one SQL statement with its parameters and settings, and the ways to run it and
//! read its result (summary only, raw bytes, Native blocks, dynamic rows).

use std::fmt::Display;
use std::pin::Pin;
use std::task::{Context, Poll};

use bytes::Bytes;
use chwire_proto::{Block, DataType, Value};
use futures_core::Stream;
use futures_util::StreamExt;

use crate::cancel::{CancelHandle, KillOnDrop};
use crate::config::Format;
use crate::coop::Budget;
use crate::error::{Error, Result};
use crate::events::{EventCallbacks, LogPriority, ProfileEvent, ServerLog};
use crate::handle::Client;
use crate::offload::{
    self, Decode, DiscardDecode, ItemStream, NativeDecode, PipelineStats, RawDecode, RowItem,
};
use crate::progress::{Progress, ProgressFn};
use crate::request::RequestIdentity;
use crate::request::{Request, RunningQuery};
use crate::row::Row;
use crate::row_cursor::RowCursor;
use crate::settings::Settings;
use crate::sql::{self, Bindings};
use crate::summary::QuerySummary;
use crate::telemetry::Span;
use crate::transport::{Head, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

/// A query being built. Nothing is sent until one of the `execute`/`fetch*` methods.
///
/// Every attempt gets a fresh random query id unless one is set with
/// [`query_id`](Self::query_id).
#[derive(Clone)]
#[must_use = "a query does nothing until executed or fetched"]
pub struct Query {
    client: Client,
    sql: String,
    params: Vec<(String, String)>,
    /// Values for the SQL's `?` placeholders (rendered into it when sent).
    bindings: Bindings,
    settings: Settings,
    query_id: Option<String>,
    /// Run on this endpoint only.
    pub(crate) endpoint: Option<usize>,
    /// Whether a drop sends `KILL QUERY` (the client's `kill_query_on_drop`; never for the
    /// `KILL QUERY` itself).
    pub(crate) kill_on_drop: bool,
    running: RunningQuery,
    progress: Option<ProgressFn>,
    /// Logs, profile events, totals and extremes (native).
    events: EventCallbacks,
    /// Custom headers over the client's, roles instead of the client's.
    identity: RequestIdentity,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Query")
            .field("sql", &self.sql)
            .field("params", &self.params)
            .field("settings", &self.settings)
            .field("query_id", &self.query_id)
            .finish_non_exhaustive()
    }
}

impl Query {
    pub(crate) fn new(client: Client, sql: String) -> Query {
        Query {
            kill_on_drop: client.inner.config.kill_query_on_drop(),
            client,
            sql,
            params: Vec::new(),
            bindings: Bindings::default(),
            settings: Settings::new(),
            query_id: None,
            endpoint: None,
            running: RunningQuery::default(),
            progress: None,
            events: EventCallbacks::default(),
            identity: RequestIdentity::default(),
        }
    }

    /// The client this query runs on (its runtime offloads work of extension crates).
    pub fn client(&self) -> &Client {
        &self.client
    }

    /// Calls `f` with the server's cumulative progress (rows and bytes read so far, total
    /// rows to read, elapsed time) each time an `X-ClickHouse-Progress` header arrives, every
    /// `interval` (sets `send_progress_in_http_headers=1` and
    /// `http_headers_progress_interval_ms`).
    ///
    /// The server sends progress headers only until it starts the response body, i.e. until
    /// the first output buffer is flushed. Add `.setting("wait_end_of_query", 1)` to get
    /// progress for the whole query; the server then buffers the complete result (in memory up
    /// to `http_response_buffer_size`, then on disk) before sending it. `f` runs on the task
    /// reading the response and must be quick.
    pub fn on_progress(
        mut self,
        interval: std::time::Duration,
        f: impl Fn(&Progress) + Send + Sync + 'static,
    ) -> Self {
        self.settings.set("send_progress_in_http_headers", 1);
        let ms = interval.as_millis().clamp(1, u64::MAX as u128);
        self.settings.set("http_headers_progress_interval_ms", ms);
        self.progress = Some(std::sync::Arc::new(f));
        self
    }

    /// Calls `f` with each server log line of the query of priority `level` or more severe,
    /// as the server sends them while the query runs (native protocol; sets
    /// `send_logs_level` to the level that includes `level`, unless given). Over HTTP, which
    /// has no logs, the query fails with [`Error::NotAvailable`] before it is sent. `f` runs on
    /// the task or blocking thread decoding the answer and must be quick.
    ///
    /// ```no_run
    /// # async fn run(client: chwire::Client) -> chwire::Result<()> {
    /// use chwire::LogPriority;
    /// client
    ///     .query("SELECT count() FROM numbers(1000)")
    ///     .on_log(LogPriority::Debug, |line| println!("{:?} {}: {}", line.priority, line.source, line.text))
    ///     .execute()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn on_log(
        mut self,
        level: LogPriority,
        f: impl Fn(&ServerLog) + Send + Sync + 'static,
    ) -> Self {
        self.events
            .set_log(&mut self.settings, level, std::sync::Arc::new(f));
        self
    }

    /// Calls `f` with the counters of each ProfileEvents packet (native protocol; the server
    /// sends them during and at the end of the query, per thread and for the query as a whole,
    /// thread 0). Over HTTP the query fails with [`Error::NotAvailable`]. `f` must be quick.
    ///
    /// ```no_run
    /// # async fn run(client: chwire::Client) -> chwire::Result<()> {
    /// client
    ///     .query("SELECT sum(number) FROM numbers(1000)")
    ///     .on_profile_events(|events| {
    ///         for e in events.iter().filter(|e| e.name == "SelectedRows") {
    ///             println!("thread {}: {} rows", e.thread_id, e.value);
    ///         }
    ///     })
    ///     .execute()
    ///     .await?;
    /// # Ok(()) }
    /// ```
    pub fn on_profile_events(
        mut self,
        f: impl Fn(&[ProfileEvent]) + Send + Sync + 'static,
    ) -> Self {
        self.events.profile = Some(std::sync::Arc::new(f));
        self
    }

    /// Calls `f` with the totals row of a `GROUP BY … WITH TOTALS` query, a one-row block with
    /// the result's columns, after the data (native protocol). The totals never appear among
    /// the result's rows or blocks, with or without this callback. Over HTTP, where the server
    /// drops them from Native and RowBinary results, the query fails with
    /// [`Error::NotAvailable`].
    ///
    /// ```no_run
    /// # async fn run(client: chwire::Client) -> chwire::Result<()> {
    /// let rows = client
    ///     .query("SELECT number % 2 AS k, count() AS c FROM numbers(10) GROUP BY k WITH TOTALS")
    ///     .on_totals(|totals| println!("total: {:?}", totals.column("c").map(|c| c.get(0))))
    ///     .fetch_all::<(u8, u64)>()
    ///     .await?;
    /// assert_eq!(rows.len(), 2); // the totals are not a row
    /// # Ok(()) }
    /// ```
    pub fn on_totals(mut self, f: impl Fn(&Block) + Send + Sync + 'static) -> Self {
        self.events.totals = Some(std::sync::Arc::new(f));
        self
    }

    /// Calls `f` with the result's extremes, a two-row block (minimums, then maximums) with
    /// the result's columns, after the data (native protocol; sets `extremes = 1`). They never
    /// appear among the result's rows or blocks. Over HTTP the query fails with
    /// [`Error::NotAvailable`] (see [`on_totals`](Self::on_totals)).
    pub fn on_extremes(mut self, f: impl Fn(&Block) + Send + Sync + 'static) -> Self {
        self.settings.set("extremes", 1);
        self.events.extremes = Some(std::sync::Arc::new(f));
        self
    }

    /// A handle that kills this query on the server ([`CancelHandle::kill`]) once it has been
    /// sent, e.g. from another task while this one waits for the result.
    pub fn cancel_handle(&self) -> CancelHandle {
        CancelHandle {
            client: self.client.clone(),
            running: self.running.clone(),
        }
    }

    /// Binds the server-side parameter `{name:Type}` to any serde-serialisable value: numbers,
    /// strings, bools, `Option` (`None` is NULL), sequences (`Array`), tuples and structs
    /// (`Tuple`), maps (`Map`), UUIDs, `serde_bytes` byte strings, the `serde_helpers` dates
    /// and times, decimals as strings ("1.25"), an [`Identifier`](crate::Identifier) for
    /// `{name:Identifier}` (a fixed-size Rust array is a tuple to serde: use a slice or `Vec`
    /// for an `Array`). The value travels apart from the SQL text (over HTTP as
    /// `param_<name>`) in the text form the server parses for the declared type, with
    /// ClickHouse's escaping, so there is no SQL injection. A value with no such form (an enum
    /// variant with data) fails the query with [`Error::Bind`] before it is sent.
    pub fn param(mut self, name: impl Into<String>, value: impl Serialize) -> Self {
        let name = name.into();
        match sql::param_text(&value) {
            Ok(text) => self.params.push((name, text)),
            Err(e) => self.bindings.fail(format!("param `{name}`: {e}")),
        }
        self
    }

    /// Binds the next `?` placeholder of the SQL to `value`, written into the SQL text as an
    /// escaped literal when the query is sent: strings (and `serde_bytes` byte strings) quoted,
    /// numbers, `true`/`false`, `None` as `NULL`, sequences as arrays, tuples and structs as
    /// tuples, maps as `map(…)`, UUIDs and decimals as strings, the `serde_helpers` dates and
    /// times as their text, an [`Identifier`](crate::Identifier) back-quoted. `??` is a
    /// literal `?`; `?fields` becomes the column list of the row type a typed fetch
    /// (`fetch::<T>()` …) reads. Placeholders and values must match in number, or the query
    /// fails with [`Error::Bind`] without being sent. Prefer [`param`](Self::param) for
    /// values: the server parses those apart from the SQL.
    pub fn bind(mut self, value: impl Serialize) -> Self {
        self.bindings.bind(&value);
        self
    }

    /// `?fields` names `T`'s columns.
    fn with_fields<T: Row>(mut self) -> Self {
        self.bindings.set_fields(T::COLUMN_NAMES);
        self
    }

    /// A ClickHouse setting for this query.
    pub fn setting(mut self, name: impl Into<String>, value: impl Display) -> Self {
        self.settings.set(name, value);
        self
    }

    /// Runs under this query id (also used by `KILL QUERY` on drop) instead of a random one.
    pub fn query_id(mut self, id: impl Into<String>) -> Self {
        self.query_id = Some(id.into());
        self
    }

    /// A custom header for this query, over the client's
    /// ([`ClientBuilder::header`](crate::ClientBuilder::header): same rules; an invalid or
    /// reserved header fails the query with [`Error::Config`] before anything is sent).
    pub fn header<K, V>(mut self, name: K, value: V) -> Self
    where
        http::HeaderName: TryFrom<K>,
        http::HeaderValue: TryFrom<V>,
    {
        self.identity.header(name, value);
        self
    }

    /// Runs this query with `role` (`role=`, like `SET ROLE` for this query only). The
    /// query's roles replace the client's ([`ClientBuilder::role`](crate::ClientBuilder::role));
    /// call it repeatedly for several.
    pub fn role(mut self, role: impl Into<String>) -> Self {
        self.identity.role(role);
        self
    }

    /// Sends the query; `bytes`: the caller wants the server's bytes in `format` as they are
    /// (`fetch_bytes`), not decoded results.
    async fn send(
        &self,
        format: Option<&str>,
        bytes: bool,
        extra: Option<(&str, &str)>,
        span: &Span,
    ) -> Result<Response> {
        let sql = self.bindings.render(&self.sql)?;
        let mut settings = self.settings.clone();
        if let Some((n, v)) = extra {
            if settings.get(n).is_none() {
                settings.set(n, v);
            }
        }
        let mut req = Request::query()
            .session(self.client.session.as_deref())
            .settings(&settings)
            .params(&self.params)
            .format(format)
            .bytes_of_format(bytes)
            .query_id(self.query_id.as_deref())
            .on_endpoint(self.endpoint)
            .running(&self.running)
            .progress(self.progress.as_ref())
            .events(&self.events)
            .span(span);
        self.identity.apply(&mut req)?;
        self.client.inner.send(&req, sql.as_bytes()).await
    }

    fn kill_guard(&self) -> Option<KillOnDrop> {
        if !self.kill_on_drop {
            return None;
        }
        KillOnDrop::new(&self.client, &self.running)
    }

    async fn stream<D: Decode>(
        self,
        format: &str,
        decoder: D,
    ) -> Result<(ItemStream<D::Item>, Head, String)> {
        let span = self.client.inner.span(&self.sql, None);
        let guard = self.kill_guard();
        let response = match self.send(Some(format), D::BYTES, None, &span).await {
            Ok(r) => r,
            Err(e) => return Err(settle(guard, span, e)),
        };
        let Response {
            head,
            mut body,
            query_id,
        } = response;
        span.set_summary(&QuerySummary::from_head(&head, &query_id));
        let inner = &self.client.inner;
        let filter = body.filter();
        let mut items = offload::start(&inner.rt, inner.config.offload(), body, filter, decoder);
        items.attach(guard, span);
        Ok((items, head, query_id))
    }

    /// Runs the query, discarding any result, and returns the server's summary. Sets
    /// `wait_end_of_query=1` (unless given) so the summary is the final one.
    pub async fn execute(self) -> Result<QuerySummary> {
        let span = self.client.inner.span(&self.sql, None);
        let guard = self.kill_guard();
        let outcome = async {
            let Response {
                head,
                mut body,
                query_id,
            } = self
                .send(None, false, Some(("wait_end_of_query", "1")), &span)
                .await?;
            let inner = &self.client.inner;
            let filter = body.filter();
            let mut items = offload::start(
                &inner.rt,
                inner.config.offload(),
                body,
                filter,
                DiscardDecode,
            );
            while let Some(chunk) = items.next().await {
                chunk?;
            }
            Ok(QuerySummary::from_head(&head, &query_id))
        }
        .await;
        match outcome {
            Ok(summary) => {
                if let Some(g) = guard {
                    g.disarm();
                }
                span.set_summary(&summary);
                span.end_ok();
                Ok(summary)
            }
            Err(e) => Err(settle(guard, span, e)),
        }
    }

    /// The result as raw bytes in `format` (any ClickHouse output format), decompressed.
    pub async fn fetch_bytes(self, format: &str) -> Result<ByteStream> {
        let (items, head, query_id) = self.stream(format, RawDecode).await?;
        Ok(ByteStream {
            items,
            summary: QuerySummary::from_head(&head, &query_id),
        })
    }

    /// The result as `Native` blocks, decoded off the event loop when large.
    pub async fn fetch_blocks(self) -> Result<BlockStream> {
        let (items, head, query_id) = self.stream("Native", NativeDecode::default()).await?;
        Ok(BlockStream {
            items,
            summary: QuerySummary::from_head(&head, &query_id),
        })
    }

    /// Every block of the result (decoded off-loop when large).
    pub async fn fetch_all_blocks(self) -> Result<Vec<Block>> {
        let mut stream = self.fetch_blocks().await?;
        let mut out = Vec::new();
        while let Some(b) = stream.next().await {
            out.push(b?);
        }
        Ok(out)
    }

    /// The result as dynamic rows (`RowBinaryWithNamesAndTypes`); the columns are known before
    /// the first row.
    pub async fn fetch_rows(self) -> Result<RowStream> {
        let (mut items, head, query_id) = self
            .stream("RowBinaryWithNamesAndTypes", offload::RowsDecode::default())
            .await?;
        let columns = match items.next().await {
            Some(Ok(RowItem::Header(cols))) => cols,
            Some(Ok(row @ RowItem::Row(_))) => {
                items.push_front(row);
                return Err(Error::pipeline("rows before the header"));
            }
            Some(Err(e)) => return Err(e),
            None => Vec::new(),
        };
        Ok(RowStream {
            items,
            columns,
            summary: QuerySummary::from_head(&head, &query_id),
        })
    }

    /// The result as typed rows `T` (see [`Row`](crate::Row)), checked against `T`'s columns before
    /// the first row.
    ///
    /// The wire format follows the client's [`default_format`](crate::ClientBuilder::default_format):
    /// with `Native` (the default) the server writes Native blocks, several times more cheaply
    /// than RowBinary, and they are re-laid as RowBinary rows off-loop; an empty result then
    /// has no columns to check `T` against. With `RowBinary` the server writes
    /// `RowBinaryWithNamesAndTypes`, whose header is checked even for an empty result.
    ///
    /// Off-loop (when large), the body is read, decompressed, scanned for exceptions and cut
    /// into runs of complete rows; each row becomes a `T` as the cursor yields it, on the
    /// consuming task's thread (one row's work per poll), so its strings are allocated where
    /// they will be freed.
    pub async fn fetch<T>(self) -> Result<RowCursor<T>>
    where
        T: Row,
        T::Value<'static>: Row + Send + 'static,
    {
        let wire = self.client.inner.config.default_format();
        let budget = Budget::new(crate::coop::ROWS_PER_CHECK, &self.client.inner.rt);
        // The batches only need the row type's columns, the same for every lifetime of a
        // borrowing row type.
        let batches = offload::RowBatches::<T::Value<'static>>::for_format(wire);
        let (items, head, query_id) = self
            .with_fields::<T>()
            .json_as_text(wire)
            .stream(batches.format(), batches)
            .await?;
        Ok(RowCursor::new(
            items,
            budget,
            QuerySummary::from_head(&head, &query_id),
        ))
    }

    /// The result as `T`s materialised off-loop, for the calls that collect them.
    async fn typed_items<T>(self) -> Result<ItemStream<T>>
    where
        T: Row + DeserializeOwned + Send + 'static,
    {
        let wire = self.client.inner.config.default_format();
        let batches = offload::RowBatches::<T>::for_format(wire);
        let format = batches.format();
        let (items, _, _) = self
            .with_fields::<T>()
            .json_as_text(wire)
            .stream(format, offload::TypedDecode::new(batches))
            .await?;
        Ok(items)
    }

    /// Typed rows read a `JSON` column as its text (a `String`): the server sends it so in
    /// `format` with this format's setting (a setting the caller gave wins). Only the one
    /// setting is sent, so a server that predates the other one still answers. The native
    /// protocol brings Native blocks whatever the client's format, so a RowBinary client with
    /// native endpoints among HTTP ones sends both.
    fn json_as_text(mut self, format: Format) -> Self {
        const NATIVE: &str = "output_format_native_write_json_as_string";
        const BINARY: &str = "output_format_binary_write_json_as_string";
        let endpoints = &self.client.inner.endpoints;
        let settings: &[&str] = match format {
            Format::Native => &[NATIVE],
            Format::RowBinary if endpoints.all_native() => &[NATIVE],
            Format::RowBinary if endpoints.any_native() => &[BINARY, NATIVE],
            Format::RowBinary => &[BINARY],
        };
        for setting in settings {
            if self.settings.get(setting).is_none() {
                self.settings.set(*setting, 1);
            }
        }
        self
    }

    /// Every row of the result as `T`, materialised off-loop.
    pub async fn fetch_all<T>(self) -> Result<Vec<T>>
    where
        T: Row + DeserializeOwned + Send + 'static,
    {
        let mut stream = self.typed_items::<T>().await?;
        let mut out = Vec::new();
        while let Some(r) = stream.next().await {
            out.push(r?);
        }
        Ok(out)
    }

    /// The first row of the result as `T`; [`Error::RowNotFound`] when there is none. The rest
    /// of the result is still read (and dropped), so an exception the server sends after the
    /// first row is reported and the connection stays reusable.
    pub async fn fetch_one<T>(self) -> Result<T>
    where
        T: Row + DeserializeOwned + Send + 'static,
    {
        self.fetch_optional::<T>()
            .await?
            .ok_or(crate::error::Error::RowNotFound)
    }

    /// The first row of the result as `T`, or `None` when there is none (see
    /// [`fetch_one`](Self::fetch_one)).
    pub async fn fetch_optional<T>(self) -> Result<Option<T>>
    where
        T: Row + DeserializeOwned + Send + 'static,
    {
        let mut stream = self.typed_items::<T>().await?;
        let first = match stream.next().await {
            Some(row) => Some(row?),
            None => return Ok(None),
        };
        while let Some(row) = stream.next().await {
            row?;
        }
        Ok(first)
    }

    /// Every row of the result with its columns.
    pub async fn fetch_all_rows(self) -> Result<(Vec<(String, DataType)>, Vec<Vec<Value>>)> {
        let mut stream = self.fetch_rows().await?;
        let mut rows = Vec::new();
        while let Some(r) = stream.next().await {
            rows.push(r?);
        }
        Ok((stream.columns, rows))
    }
}

/// A request failed with `e`: ends its span, and kills the query unless the server already
/// ended it.
fn settle(guard: Option<KillOnDrop>, span: Span, e: Error) -> Error {
    span.end_err(&e);
    if let Some(g) = guard {
        if !e.may_still_run() {
            g.disarm();
        }
    }
    e
}

macro_rules! result_stream {
    ($(#[$doc:meta])* $name:ident, $item:ty) => {
        $(#[$doc])*
        #[derive(Debug)]
        pub struct $name {
            items: ItemStream<$item>,
            summary: QuerySummary,
        }

        impl $name {
            /// The query id the server ran the query under.
            pub fn query_id(&self) -> &str {
                &self.summary.query_id
            }

            /// The `X-ClickHouse-Summary` sent with the response head (progress at the time
            /// the first bytes were sent, not final counts).
            pub fn head_summary(&self) -> &QuerySummary {
                &self.summary
            }

            /// Counters of the decoding pipeline (bounded buffering, inline/off-loop).
            pub fn stats(&self) -> PipelineStats {
                self.items.stats()
            }
        }

        impl Stream for $name {
            type Item = Result<$item>;
            fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
                Pin::new(&mut self.items).poll_next(cx)
            }
        }
    };
}

result_stream!(
    /// Raw result bytes ([`Query::fetch_bytes`]). Dropping it before the end closes the
    /// connection (and kills the query with `kill_query_on_drop`).
    ByteStream,
    Bytes
);
result_stream!(
    /// Native blocks ([`Query::fetch_blocks`]). Dropping it before the end closes the
    /// connection (and kills the query with `kill_query_on_drop`).
    BlockStream,
    Block
);

/// Dynamic rows ([`Query::fetch_rows`]).
#[derive(Debug)]
pub struct RowStream {
    items: ItemStream<RowItem>,
    columns: Vec<(String, DataType)>,
    summary: QuerySummary,
}

impl RowStream {
    /// Names and types of the result's columns.
    pub fn columns(&self) -> &[(String, DataType)] {
        &self.columns
    }

    /// The query id the server ran the query under.
    pub fn query_id(&self) -> &str {
        &self.summary.query_id
    }

    /// Counters of the decoding pipeline (bounded buffering, inline/off-loop).
    pub fn stats(&self) -> PipelineStats {
        self.items.stats()
    }
}

impl Stream for RowStream {
    type Item = Result<Vec<Value>>;
    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            return match Pin::new(&mut self.items).poll_next(cx) {
                Poll::Ready(Some(Ok(RowItem::Row(r)))) => Poll::Ready(Some(Ok(r))),
                Poll::Ready(Some(Ok(RowItem::Header(_)))) => continue,
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    }
}

/// `next()` on every result type without importing a stream trait: the same as
/// `futures_util::StreamExt::next` (an inherent method is found first, so code that imports the
/// trait keeps working), and as cancellation-safe: dropping the future loses no item.
macro_rules! inherent_next {
    ($([$($generics:tt)*] $ty:ty => $item:ty, $what:literal;)*) => {$(
        impl<$($generics)*> $ty {
            #[doc = concat!("The next ", $what, ", or `None` after the last one (an error ends the result).")]
            pub async fn next(&mut self) -> Option<Result<$item>> {
                StreamExt::next(self).await
            }
        }
    )*};
}

inherent_next! {
    [] ByteStream => Bytes, "piece of the result's bytes";
    [] BlockStream => Block, "block";
    [] RowStream => Vec<Value>, "row";
}

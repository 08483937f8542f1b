//! The integration test binary: every case runs against the real server given by
//! `CHWIRE_HTTP_URL`/`CHWIRE_TCP_ADDR` (run `cargo xtask test`), once per runtime.

mod adopt;
mod cancel;
mod codec_roundtrip;
mod defects;
mod detection;
mod errors;
mod fault;
mod insert;
mod inserter;
mod multihost;
mod native_values;
mod peer;
mod progress;
mod query;
mod smoke;
mod stream;
mod telemetry;
mod tls;
mod type_mappings;
mod typed;

chwire_tests::each_runtime! {
    smoke: [reaches_http, reaches_tcp],
    query: [execute_ddl, select_types, raw_bytes, server_params],
    errors: [
        server_exceptions,
        wrong_password,
        mid_stream_exception,
        no_server,
        timeouts,
        receive_timeout_is_inactivity_not_duration,
    ],
    insert: [roundtrip_blocks, dropped_insert, pipelined_blocks],
    stream: [ten_million_bounded, concurrent_pool, drop_kills_query, ticker_keeps_ticking],
    fault: [killed_and_restarted],
    detection: [
        slow_blocks_arrive_one_by_one,
        first_result_before_the_rest_is_sent,
        corrupt_bodies_fail_when_their_bytes_arrive,
        trickled_head_meets_the_head_timeout,
        head_timeout_on_the_real_server,
        unsolicited_response_is_refused,
    ],
    tls: [
        select_over_https,
        insert_over_https,
        custom_ca_file,
        wrong_ca_fails,
        server_name_override,
        expired_certificate_fails,
        mutual_tls,
        tls_config_errors,
        handshake_timeout,
    ],
    inserter: [
        million_rows_sixteen_producers,
        memory_bounded_under_fast_producers,
        non_retryable_goes_to_dead_letter,
        back_pressure_retries_then_succeeds,
        retryable_until_dead_letter,
        killed_mid_ingest_no_duplicates_no_silent_loss,
        async_settings_reach_server,
        dropped_without_end,
    ],
    defects: [
        datetime64_helpers_follow_the_column_precision,
        plain_values_insert_into_nullable_columns,
        json_columns_as_strings,
        url_path_and_user_info,
    ],
    typed: [
        typed_roundtrip,
        schema_cache_follows_alter,
        stale_schema_is_rejected_by_the_server,
        fetch_one_and_optional,
        streamed_rows_are_built_by_the_cursor,
        byte_strings_read_into_vec_u8,
        cancelled_write_is_never_silent_loss,
    ],
    type_mappings: [
        fixed_size_arrays,
        named_tuples_insert_by_name,
        shared_dynamic_values_in_blocks,
    ],
    telemetry: [spans_and_parent_links, traceparent_header, metrics_exported],
    multihost: [failover_and_round_robin, all_endpoints_down],
    progress: [progress_updates, many_progress_headers],
    cancel: [dropped_future_kills_query, dropped_insert_kills_query, cancel_handle_kills_query],
}

/// The ticker proof on a current-thread tokio runtime, where the reader task, the ticker and
/// the consumer all share one thread.
#[test]
fn tokio_current_thread_ticker() {
    chwire_tests::on_tokio_current_thread(stream::ticker_keeps_ticking);
}

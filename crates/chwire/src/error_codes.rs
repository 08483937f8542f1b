//! ClickHouse's error codes as named constants, for comparing with
//! [`Error::server_code`](crate::Error::server_code) or [`ServerError::code`](crate::ServerError::code).
//!
//! ```
//! # fn check(e: &chwire::Error) -> bool {
//! use chwire::error_codes;
//! e.server_code() == Some(error_codes::UNKNOWN_TABLE)
//! # }
//! assert_eq!(chwire::error_codes::name(60), Some("UNKNOWN_TABLE"));
//! ```
//!
//! Generated from the server's `system.errors` by `cargo xtask error-codes`; do not edit.
//! The integration tests check it against the server they run on.

/// The server's error 1, `UNSUPPORTED_METHOD`.
pub const UNSUPPORTED_METHOD: i32 = 1;
/// The server's error 2, `UNSUPPORTED_PARAMETER`.
pub const UNSUPPORTED_PARAMETER: i32 = 2;
/// The server's error 3, `UNEXPECTED_END_OF_FILE`.
pub const UNEXPECTED_END_OF_FILE: i32 = 3;
/// The server's error 4, `EXPECTED_END_OF_FILE`.
pub const EXPECTED_END_OF_FILE: i32 = 4;
/// The server's error 6, `CANNOT_PARSE_TEXT`.
pub const CANNOT_PARSE_TEXT: i32 = 6;
/// The server's error 7, `INCORRECT_NUMBER_OF_COLUMNS`.
pub const INCORRECT_NUMBER_OF_COLUMNS: i32 = 7;
/// The server's error 8, `THERE_IS_NO_COLUMN`.
pub const THERE_IS_NO_COLUMN: i32 = 8;
/// The server's error 9, `SIZES_OF_COLUMNS_DOESNT_MATCH`.
pub const SIZES_OF_COLUMNS_DOESNT_MATCH: i32 = 9;
/// The server's error 10, `NOT_FOUND_COLUMN_IN_BLOCK`.
pub const NOT_FOUND_COLUMN_IN_BLOCK: i32 = 10;
/// The server's error 11, `POSITION_OUT_OF_BOUND`.
pub const POSITION_OUT_OF_BOUND: i32 = 11;
/// The server's error 12, `PARAMETER_OUT_OF_BOUND`.
pub const PARAMETER_OUT_OF_BOUND: i32 = 12;
/// The server's error 13, `SIZES_OF_COLUMNS_IN_TUPLE_DOESNT_MATCH`.
pub const SIZES_OF_COLUMNS_IN_TUPLE_DOESNT_MATCH: i32 = 13;
/// The server's error 15, `DUPLICATE_COLUMN`.
pub const DUPLICATE_COLUMN: i32 = 15;
/// The server's error 16, `NO_SUCH_COLUMN_IN_TABLE`.
pub const NO_SUCH_COLUMN_IN_TABLE: i32 = 16;
/// The server's error 19, `SIZE_OF_FIXED_STRING_DOESNT_MATCH`.
pub const SIZE_OF_FIXED_STRING_DOESNT_MATCH: i32 = 19;
/// The server's error 20, `NUMBER_OF_COLUMNS_DOESNT_MATCH`.
pub const NUMBER_OF_COLUMNS_DOESNT_MATCH: i32 = 20;
/// The server's error 23, `CANNOT_READ_FROM_ISTREAM`.
pub const CANNOT_READ_FROM_ISTREAM: i32 = 23;
/// The server's error 24, `CANNOT_WRITE_TO_OSTREAM`.
pub const CANNOT_WRITE_TO_OSTREAM: i32 = 24;
/// The server's error 25, `CANNOT_PARSE_ESCAPE_SEQUENCE`.
pub const CANNOT_PARSE_ESCAPE_SEQUENCE: i32 = 25;
/// The server's error 26, `CANNOT_PARSE_QUOTED_STRING`.
pub const CANNOT_PARSE_QUOTED_STRING: i32 = 26;
/// The server's error 27, `CANNOT_PARSE_INPUT_ASSERTION_FAILED`.
pub const CANNOT_PARSE_INPUT_ASSERTION_FAILED: i32 = 27;
/// The server's error 28, `CANNOT_PRINT_FLOAT_OR_DOUBLE_NUMBER`.
pub const CANNOT_PRINT_FLOAT_OR_DOUBLE_NUMBER: i32 = 28;
/// The server's error 32, `ATTEMPT_TO_READ_AFTER_EOF`.
pub const ATTEMPT_TO_READ_AFTER_EOF: i32 = 32;
/// The server's error 33, `CANNOT_READ_ALL_DATA`.
pub const CANNOT_READ_ALL_DATA: i32 = 33;
/// The server's error 34, `TOO_MANY_ARGUMENTS_FOR_FUNCTION`.
pub const TOO_MANY_ARGUMENTS_FOR_FUNCTION: i32 = 34;
/// The server's error 35, `TOO_FEW_ARGUMENTS_FOR_FUNCTION`.
pub const TOO_FEW_ARGUMENTS_FOR_FUNCTION: i32 = 35;
/// The server's error 36, `BAD_ARGUMENTS`.
pub const BAD_ARGUMENTS: i32 = 36;
/// The server's error 37, `UNKNOWN_ELEMENT_IN_AST`.
pub const UNKNOWN_ELEMENT_IN_AST: i32 = 37;
/// The server's error 38, `CANNOT_PARSE_DATE`.
pub const CANNOT_PARSE_DATE: i32 = 38;
/// The server's error 39, `TOO_LARGE_SIZE_COMPRESSED`.
pub const TOO_LARGE_SIZE_COMPRESSED: i32 = 39;
/// The server's error 40, `CHECKSUM_DOESNT_MATCH`.
pub const CHECKSUM_DOESNT_MATCH: i32 = 40;
/// The server's error 41, `CANNOT_PARSE_DATETIME`.
pub const CANNOT_PARSE_DATETIME: i32 = 41;
/// The server's error 42, `NUMBER_OF_ARGUMENTS_DOESNT_MATCH`.
pub const NUMBER_OF_ARGUMENTS_DOESNT_MATCH: i32 = 42;
/// The server's error 43, `ILLEGAL_TYPE_OF_ARGUMENT`.
pub const ILLEGAL_TYPE_OF_ARGUMENT: i32 = 43;
/// The server's error 44, `ILLEGAL_COLUMN`.
pub const ILLEGAL_COLUMN: i32 = 44;
/// The server's error 46, `UNKNOWN_FUNCTION`.
pub const UNKNOWN_FUNCTION: i32 = 46;
/// The server's error 47, `UNKNOWN_IDENTIFIER`.
pub const UNKNOWN_IDENTIFIER: i32 = 47;
/// The server's error 48, `NOT_IMPLEMENTED`.
pub const NOT_IMPLEMENTED: i32 = 48;
/// The server's error 49, `LOGICAL_ERROR`.
pub const LOGICAL_ERROR: i32 = 49;
/// The server's error 50, `UNKNOWN_TYPE`.
pub const UNKNOWN_TYPE: i32 = 50;
/// The server's error 51, `EMPTY_LIST_OF_COLUMNS_QUERIED`.
pub const EMPTY_LIST_OF_COLUMNS_QUERIED: i32 = 51;
/// The server's error 52, `COLUMN_QUERIED_MORE_THAN_ONCE`.
pub const COLUMN_QUERIED_MORE_THAN_ONCE: i32 = 52;
/// The server's error 53, `TYPE_MISMATCH`.
pub const TYPE_MISMATCH: i32 = 53;
/// The server's error 55, `STORAGE_REQUIRES_PARAMETER`.
pub const STORAGE_REQUIRES_PARAMETER: i32 = 55;
/// The server's error 56, `UNKNOWN_STORAGE`.
pub const UNKNOWN_STORAGE: i32 = 56;
/// The server's error 57, `TABLE_ALREADY_EXISTS`.
pub const TABLE_ALREADY_EXISTS: i32 = 57;
/// The server's error 58, `TABLE_METADATA_ALREADY_EXISTS`.
pub const TABLE_METADATA_ALREADY_EXISTS: i32 = 58;
/// The server's error 59, `ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER`.
pub const ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER: i32 = 59;
/// The server's error 60, `UNKNOWN_TABLE`.
pub const UNKNOWN_TABLE: i32 = 60;
/// The server's error 62, `SYNTAX_ERROR`.
pub const SYNTAX_ERROR: i32 = 62;
/// The server's error 63, `UNKNOWN_AGGREGATE_FUNCTION`.
pub const UNKNOWN_AGGREGATE_FUNCTION: i32 = 63;
/// The server's error 68, `CANNOT_GET_SIZE_OF_FIELD`.
pub const CANNOT_GET_SIZE_OF_FIELD: i32 = 68;
/// The server's error 69, `ARGUMENT_OUT_OF_BOUND`.
pub const ARGUMENT_OUT_OF_BOUND: i32 = 69;
/// The server's error 70, `CANNOT_CONVERT_TYPE`.
pub const CANNOT_CONVERT_TYPE: i32 = 70;
/// The server's error 71, `CANNOT_WRITE_AFTER_END_OF_BUFFER`.
pub const CANNOT_WRITE_AFTER_END_OF_BUFFER: i32 = 71;
/// The server's error 72, `CANNOT_PARSE_NUMBER`.
pub const CANNOT_PARSE_NUMBER: i32 = 72;
/// The server's error 73, `UNKNOWN_FORMAT`.
pub const UNKNOWN_FORMAT: i32 = 73;
/// The server's error 74, `CANNOT_READ_FROM_FILE_DESCRIPTOR`.
pub const CANNOT_READ_FROM_FILE_DESCRIPTOR: i32 = 74;
/// The server's error 75, `CANNOT_WRITE_TO_FILE_DESCRIPTOR`.
pub const CANNOT_WRITE_TO_FILE_DESCRIPTOR: i32 = 75;
/// The server's error 76, `CANNOT_OPEN_FILE`.
pub const CANNOT_OPEN_FILE: i32 = 76;
/// The server's error 77, `CANNOT_CLOSE_FILE`.
pub const CANNOT_CLOSE_FILE: i32 = 77;
/// The server's error 78, `UNKNOWN_TYPE_OF_QUERY`.
pub const UNKNOWN_TYPE_OF_QUERY: i32 = 78;
/// The server's error 79, `INCORRECT_FILE_NAME`.
pub const INCORRECT_FILE_NAME: i32 = 79;
/// The server's error 80, `INCORRECT_QUERY`.
pub const INCORRECT_QUERY: i32 = 80;
/// The server's error 81, `UNKNOWN_DATABASE`.
pub const UNKNOWN_DATABASE: i32 = 81;
/// The server's error 82, `DATABASE_ALREADY_EXISTS`.
pub const DATABASE_ALREADY_EXISTS: i32 = 82;
/// The server's error 83, `DIRECTORY_DOESNT_EXIST`.
pub const DIRECTORY_DOESNT_EXIST: i32 = 83;
/// The server's error 84, `DIRECTORY_ALREADY_EXISTS`.
pub const DIRECTORY_ALREADY_EXISTS: i32 = 84;
/// The server's error 85, `FORMAT_IS_NOT_SUITABLE_FOR_INPUT`.
pub const FORMAT_IS_NOT_SUITABLE_FOR_INPUT: i32 = 85;
/// The server's error 86, `RECEIVED_ERROR_FROM_REMOTE_IO_SERVER`.
pub const RECEIVED_ERROR_FROM_REMOTE_IO_SERVER: i32 = 86;
/// The server's error 87, `CANNOT_SEEK_THROUGH_FILE`.
pub const CANNOT_SEEK_THROUGH_FILE: i32 = 87;
/// The server's error 88, `CANNOT_TRUNCATE_FILE`.
pub const CANNOT_TRUNCATE_FILE: i32 = 88;
/// The server's error 89, `UNKNOWN_COMPRESSION_METHOD`.
pub const UNKNOWN_COMPRESSION_METHOD: i32 = 89;
/// The server's error 90, `EMPTY_LIST_OF_COLUMNS_PASSED`.
pub const EMPTY_LIST_OF_COLUMNS_PASSED: i32 = 90;
/// The server's error 91, `SIZES_OF_MARKS_FILES_ARE_INCONSISTENT`.
pub const SIZES_OF_MARKS_FILES_ARE_INCONSISTENT: i32 = 91;
/// The server's error 92, `EMPTY_DATA_PASSED`.
pub const EMPTY_DATA_PASSED: i32 = 92;
/// The server's error 93, `UNKNOWN_AGGREGATED_DATA_VARIANT`.
pub const UNKNOWN_AGGREGATED_DATA_VARIANT: i32 = 93;
/// The server's error 94, `CANNOT_MERGE_DIFFERENT_AGGREGATED_DATA_VARIANTS`.
pub const CANNOT_MERGE_DIFFERENT_AGGREGATED_DATA_VARIANTS: i32 = 94;
/// The server's error 95, `CANNOT_READ_FROM_SOCKET`.
pub const CANNOT_READ_FROM_SOCKET: i32 = 95;
/// The server's error 96, `CANNOT_WRITE_TO_SOCKET`.
pub const CANNOT_WRITE_TO_SOCKET: i32 = 96;
/// The server's error 99, `UNKNOWN_PACKET_FROM_CLIENT`.
pub const UNKNOWN_PACKET_FROM_CLIENT: i32 = 99;
/// The server's error 100, `UNKNOWN_PACKET_FROM_SERVER`.
pub const UNKNOWN_PACKET_FROM_SERVER: i32 = 100;
/// The server's error 101, `UNEXPECTED_PACKET_FROM_CLIENT`.
pub const UNEXPECTED_PACKET_FROM_CLIENT: i32 = 101;
/// The server's error 102, `UNEXPECTED_PACKET_FROM_SERVER`.
pub const UNEXPECTED_PACKET_FROM_SERVER: i32 = 102;
/// The server's error 104, `TOO_SMALL_BUFFER_SIZE`.
pub const TOO_SMALL_BUFFER_SIZE: i32 = 104;
/// The server's error 107, `FILE_DOESNT_EXIST`.
pub const FILE_DOESNT_EXIST: i32 = 107;
/// The server's error 108, `NO_DATA_TO_INSERT`.
pub const NO_DATA_TO_INSERT: i32 = 108;
/// The server's error 109, `CANNOT_BLOCK_SIGNAL`.
pub const CANNOT_BLOCK_SIGNAL: i32 = 109;
/// The server's error 110, `CANNOT_UNBLOCK_SIGNAL`.
pub const CANNOT_UNBLOCK_SIGNAL: i32 = 110;
/// The server's error 111, `CANNOT_MANIPULATE_SIGSET`.
pub const CANNOT_MANIPULATE_SIGSET: i32 = 111;
/// The server's error 112, `CANNOT_WAIT_FOR_SIGNAL`.
pub const CANNOT_WAIT_FOR_SIGNAL: i32 = 112;
/// The server's error 113, `THERE_IS_NO_SESSION`.
pub const THERE_IS_NO_SESSION: i32 = 113;
/// The server's error 114, `CANNOT_CLOCK_GETTIME`.
pub const CANNOT_CLOCK_GETTIME: i32 = 114;
/// The server's error 115, `UNKNOWN_SETTING`.
pub const UNKNOWN_SETTING: i32 = 115;
/// The server's error 116, `THERE_IS_NO_DEFAULT_VALUE`.
pub const THERE_IS_NO_DEFAULT_VALUE: i32 = 116;
/// The server's error 117, `INCORRECT_DATA`.
pub const INCORRECT_DATA: i32 = 117;
/// The server's error 119, `ENGINE_REQUIRED`.
pub const ENGINE_REQUIRED: i32 = 119;
/// The server's error 120, `CANNOT_INSERT_VALUE_OF_DIFFERENT_SIZE_INTO_TUPLE`.
pub const CANNOT_INSERT_VALUE_OF_DIFFERENT_SIZE_INTO_TUPLE: i32 = 120;
/// The server's error 121, `UNSUPPORTED_JOIN_KEYS`.
pub const UNSUPPORTED_JOIN_KEYS: i32 = 121;
/// The server's error 122, `INCOMPATIBLE_COLUMNS`.
pub const INCOMPATIBLE_COLUMNS: i32 = 122;
/// The server's error 123, `UNKNOWN_TYPE_OF_AST_NODE`.
pub const UNKNOWN_TYPE_OF_AST_NODE: i32 = 123;
/// The server's error 124, `INCORRECT_ELEMENT_OF_SET`.
pub const INCORRECT_ELEMENT_OF_SET: i32 = 124;
/// The server's error 125, `INCORRECT_RESULT_OF_SCALAR_SUBQUERY`.
pub const INCORRECT_RESULT_OF_SCALAR_SUBQUERY: i32 = 125;
/// The server's error 127, `ILLEGAL_INDEX`.
pub const ILLEGAL_INDEX: i32 = 127;
/// The server's error 128, `TOO_LARGE_ARRAY_SIZE`.
pub const TOO_LARGE_ARRAY_SIZE: i32 = 128;
/// The server's error 129, `FUNCTION_IS_SPECIAL`.
pub const FUNCTION_IS_SPECIAL: i32 = 129;
/// The server's error 130, `CANNOT_READ_ARRAY_FROM_TEXT`.
pub const CANNOT_READ_ARRAY_FROM_TEXT: i32 = 130;
/// The server's error 131, `TOO_LARGE_STRING_SIZE`.
pub const TOO_LARGE_STRING_SIZE: i32 = 131;
/// The server's error 133, `AGGREGATE_FUNCTION_DOESNT_ALLOW_PARAMETERS`.
pub const AGGREGATE_FUNCTION_DOESNT_ALLOW_PARAMETERS: i32 = 133;
/// The server's error 134, `PARAMETERS_TO_AGGREGATE_FUNCTIONS_MUST_BE_LITERALS`.
pub const PARAMETERS_TO_AGGREGATE_FUNCTIONS_MUST_BE_LITERALS: i32 = 134;
/// The server's error 135, `ZERO_ARRAY_OR_TUPLE_INDEX`.
pub const ZERO_ARRAY_OR_TUPLE_INDEX: i32 = 135;
/// The server's error 137, `UNKNOWN_ELEMENT_IN_CONFIG`.
pub const UNKNOWN_ELEMENT_IN_CONFIG: i32 = 137;
/// The server's error 138, `EXCESSIVE_ELEMENT_IN_CONFIG`.
pub const EXCESSIVE_ELEMENT_IN_CONFIG: i32 = 138;
/// The server's error 139, `NO_ELEMENTS_IN_CONFIG`.
pub const NO_ELEMENTS_IN_CONFIG: i32 = 139;
/// The server's error 141, `SAMPLING_NOT_SUPPORTED`.
pub const SAMPLING_NOT_SUPPORTED: i32 = 141;
/// The server's error 142, `NOT_FOUND_NODE`.
pub const NOT_FOUND_NODE: i32 = 142;
/// The server's error 145, `UNKNOWN_OVERFLOW_MODE`.
pub const UNKNOWN_OVERFLOW_MODE: i32 = 145;
/// The server's error 152, `UNKNOWN_DIRECTION_OF_SORTING`.
pub const UNKNOWN_DIRECTION_OF_SORTING: i32 = 152;
/// The server's error 153, `ILLEGAL_DIVISION`.
pub const ILLEGAL_DIVISION: i32 = 153;
/// The server's error 156, `DICTIONARIES_WAS_NOT_LOADED`.
pub const DICTIONARIES_WAS_NOT_LOADED: i32 = 156;
/// The server's error 158, `TOO_MANY_ROWS`.
pub const TOO_MANY_ROWS: i32 = 158;
/// The server's error 159, `TIMEOUT_EXCEEDED`.
pub const TIMEOUT_EXCEEDED: i32 = 159;
/// The server's error 160, `TOO_SLOW`.
pub const TOO_SLOW: i32 = 160;
/// The server's error 161, `TOO_MANY_COLUMNS`.
pub const TOO_MANY_COLUMNS: i32 = 161;
/// The server's error 162, `TOO_DEEP_SUBQUERIES`.
pub const TOO_DEEP_SUBQUERIES: i32 = 162;
/// The server's error 164, `READONLY`.
pub const READONLY: i32 = 164;
/// The server's error 165, `TOO_MANY_TEMPORARY_COLUMNS`.
pub const TOO_MANY_TEMPORARY_COLUMNS: i32 = 165;
/// The server's error 166, `TOO_MANY_TEMPORARY_NON_CONST_COLUMNS`.
pub const TOO_MANY_TEMPORARY_NON_CONST_COLUMNS: i32 = 166;
/// The server's error 167, `TOO_DEEP_AST`.
pub const TOO_DEEP_AST: i32 = 167;
/// The server's error 168, `TOO_BIG_AST`.
pub const TOO_BIG_AST: i32 = 168;
/// The server's error 169, `BAD_TYPE_OF_FIELD`.
pub const BAD_TYPE_OF_FIELD: i32 = 169;
/// The server's error 170, `BAD_GET`.
pub const BAD_GET: i32 = 170;
/// The server's error 172, `CANNOT_CREATE_DIRECTORY`.
pub const CANNOT_CREATE_DIRECTORY: i32 = 172;
/// The server's error 173, `CANNOT_ALLOCATE_MEMORY`.
pub const CANNOT_ALLOCATE_MEMORY: i32 = 173;
/// The server's error 174, `CYCLIC_ALIASES`.
pub const CYCLIC_ALIASES: i32 = 174;
/// The server's error 179, `MULTIPLE_EXPRESSIONS_FOR_ALIAS`.
pub const MULTIPLE_EXPRESSIONS_FOR_ALIAS: i32 = 179;
/// The server's error 180, `THERE_IS_NO_PROFILE`.
pub const THERE_IS_NO_PROFILE: i32 = 180;
/// The server's error 181, `ILLEGAL_FINAL`.
pub const ILLEGAL_FINAL: i32 = 181;
/// The server's error 182, `ILLEGAL_PREWHERE`.
pub const ILLEGAL_PREWHERE: i32 = 182;
/// The server's error 183, `UNEXPECTED_EXPRESSION`.
pub const UNEXPECTED_EXPRESSION: i32 = 183;
/// The server's error 184, `ILLEGAL_AGGREGATION`.
pub const ILLEGAL_AGGREGATION: i32 = 184;
/// The server's error 186, `UNSUPPORTED_COLLATION_LOCALE`.
pub const UNSUPPORTED_COLLATION_LOCALE: i32 = 186;
/// The server's error 187, `COLLATION_COMPARISON_FAILED`.
pub const COLLATION_COMPARISON_FAILED: i32 = 187;
/// The server's error 190, `SIZES_OF_ARRAYS_DONT_MATCH`.
pub const SIZES_OF_ARRAYS_DONT_MATCH: i32 = 190;
/// The server's error 191, `SET_SIZE_LIMIT_EXCEEDED`.
pub const SET_SIZE_LIMIT_EXCEEDED: i32 = 191;
/// The server's error 192, `UNKNOWN_USER`.
pub const UNKNOWN_USER: i32 = 192;
/// The server's error 193, `WRONG_PASSWORD`.
pub const WRONG_PASSWORD: i32 = 193;
/// The server's error 194, `REQUIRED_PASSWORD`.
pub const REQUIRED_PASSWORD: i32 = 194;
/// The server's error 195, `IP_ADDRESS_NOT_ALLOWED`.
pub const IP_ADDRESS_NOT_ALLOWED: i32 = 195;
/// The server's error 196, `UNKNOWN_ADDRESS_PATTERN_TYPE`.
pub const UNKNOWN_ADDRESS_PATTERN_TYPE: i32 = 196;
/// The server's error 198, `DNS_ERROR`.
pub const DNS_ERROR: i32 = 198;
/// The server's error 199, `UNKNOWN_QUOTA`.
pub const UNKNOWN_QUOTA: i32 = 199;
/// The server's error 201, `QUOTA_EXCEEDED`.
pub const QUOTA_EXCEEDED: i32 = 201;
/// The server's error 202, `TOO_MANY_SIMULTANEOUS_QUERIES`.
pub const TOO_MANY_SIMULTANEOUS_QUERIES: i32 = 202;
/// The server's error 203, `NO_FREE_CONNECTION`.
pub const NO_FREE_CONNECTION: i32 = 203;
/// The server's error 204, `CANNOT_FSYNC`.
pub const CANNOT_FSYNC: i32 = 204;
/// The server's error 206, `ALIAS_REQUIRED`.
pub const ALIAS_REQUIRED: i32 = 206;
/// The server's error 207, `AMBIGUOUS_IDENTIFIER`.
pub const AMBIGUOUS_IDENTIFIER: i32 = 207;
/// The server's error 208, `EMPTY_NESTED_TABLE`.
pub const EMPTY_NESTED_TABLE: i32 = 208;
/// The server's error 209, `SOCKET_TIMEOUT`.
pub const SOCKET_TIMEOUT: i32 = 209;
/// The server's error 210, `NETWORK_ERROR`.
pub const NETWORK_ERROR: i32 = 210;
/// The server's error 211, `EMPTY_QUERY`.
pub const EMPTY_QUERY: i32 = 211;
/// The server's error 212, `UNKNOWN_LOAD_BALANCING`.
pub const UNKNOWN_LOAD_BALANCING: i32 = 212;
/// The server's error 213, `UNKNOWN_TOTALS_MODE`.
pub const UNKNOWN_TOTALS_MODE: i32 = 213;
/// The server's error 214, `CANNOT_STATVFS`.
pub const CANNOT_STATVFS: i32 = 214;
/// The server's error 215, `NOT_AN_AGGREGATE`.
pub const NOT_AN_AGGREGATE: i32 = 215;
/// The server's error 216, `QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING`.
pub const QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING: i32 = 216;
/// The server's error 217, `CLIENT_HAS_CONNECTED_TO_WRONG_PORT`.
pub const CLIENT_HAS_CONNECTED_TO_WRONG_PORT: i32 = 217;
/// The server's error 218, `TABLE_IS_DROPPED`.
pub const TABLE_IS_DROPPED: i32 = 218;
/// The server's error 219, `DATABASE_NOT_EMPTY`.
pub const DATABASE_NOT_EMPTY: i32 = 219;
/// The server's error 220, `DUPLICATE_INTERSERVER_IO_ENDPOINT`.
pub const DUPLICATE_INTERSERVER_IO_ENDPOINT: i32 = 220;
/// The server's error 221, `NO_SUCH_INTERSERVER_IO_ENDPOINT`.
pub const NO_SUCH_INTERSERVER_IO_ENDPOINT: i32 = 221;
/// The server's error 223, `UNEXPECTED_AST_STRUCTURE`.
pub const UNEXPECTED_AST_STRUCTURE: i32 = 223;
/// The server's error 224, `REPLICA_IS_ALREADY_ACTIVE`.
pub const REPLICA_IS_ALREADY_ACTIVE: i32 = 224;
/// The server's error 225, `NO_ZOOKEEPER`.
pub const NO_ZOOKEEPER: i32 = 225;
/// The server's error 226, `NO_FILE_IN_DATA_PART`.
pub const NO_FILE_IN_DATA_PART: i32 = 226;
/// The server's error 227, `UNEXPECTED_FILE_IN_DATA_PART`.
pub const UNEXPECTED_FILE_IN_DATA_PART: i32 = 227;
/// The server's error 228, `BAD_SIZE_OF_FILE_IN_DATA_PART`.
pub const BAD_SIZE_OF_FILE_IN_DATA_PART: i32 = 228;
/// The server's error 229, `QUERY_IS_TOO_LARGE`.
pub const QUERY_IS_TOO_LARGE: i32 = 229;
/// The server's error 230, `NOT_FOUND_EXPECTED_DATA_PART`.
pub const NOT_FOUND_EXPECTED_DATA_PART: i32 = 230;
/// The server's error 231, `TOO_MANY_UNEXPECTED_DATA_PARTS`.
pub const TOO_MANY_UNEXPECTED_DATA_PARTS: i32 = 231;
/// The server's error 232, `NO_SUCH_DATA_PART`.
pub const NO_SUCH_DATA_PART: i32 = 232;
/// The server's error 233, `BAD_DATA_PART_NAME`.
pub const BAD_DATA_PART_NAME: i32 = 233;
/// The server's error 234, `NO_REPLICA_HAS_PART`.
pub const NO_REPLICA_HAS_PART: i32 = 234;
/// The server's error 235, `DUPLICATE_DATA_PART`.
pub const DUPLICATE_DATA_PART: i32 = 235;
/// The server's error 236, `ABORTED`.
pub const ABORTED: i32 = 236;
/// The server's error 237, `NO_REPLICA_NAME_GIVEN`.
pub const NO_REPLICA_NAME_GIVEN: i32 = 237;
/// The server's error 238, `FORMAT_VERSION_TOO_OLD`.
pub const FORMAT_VERSION_TOO_OLD: i32 = 238;
/// The server's error 239, `CANNOT_MUNMAP`.
pub const CANNOT_MUNMAP: i32 = 239;
/// The server's error 240, `CANNOT_MREMAP`.
pub const CANNOT_MREMAP: i32 = 240;
/// The server's error 241, `MEMORY_LIMIT_EXCEEDED`.
pub const MEMORY_LIMIT_EXCEEDED: i32 = 241;
/// The server's error 242, `TABLE_IS_READ_ONLY`.
pub const TABLE_IS_READ_ONLY: i32 = 242;
/// The server's error 243, `NOT_ENOUGH_SPACE`.
pub const NOT_ENOUGH_SPACE: i32 = 243;
/// The server's error 244, `UNEXPECTED_ZOOKEEPER_ERROR`.
pub const UNEXPECTED_ZOOKEEPER_ERROR: i32 = 244;
/// The server's error 246, `CORRUPTED_DATA`.
pub const CORRUPTED_DATA: i32 = 246;
/// The server's error 248, `INVALID_PARTITION_VALUE`.
pub const INVALID_PARTITION_VALUE: i32 = 248;
/// The server's error 251, `NO_SUCH_REPLICA`.
pub const NO_SUCH_REPLICA: i32 = 251;
/// The server's error 252, `TOO_MANY_PARTS`.
pub const TOO_MANY_PARTS: i32 = 252;
/// The server's error 253, `REPLICA_ALREADY_EXISTS`.
pub const REPLICA_ALREADY_EXISTS: i32 = 253;
/// The server's error 254, `NO_ACTIVE_REPLICAS`.
pub const NO_ACTIVE_REPLICAS: i32 = 254;
/// The server's error 255, `TOO_MANY_RETRIES_TO_FETCH_PARTS`.
pub const TOO_MANY_RETRIES_TO_FETCH_PARTS: i32 = 255;
/// The server's error 256, `PARTITION_ALREADY_EXISTS`.
pub const PARTITION_ALREADY_EXISTS: i32 = 256;
/// The server's error 257, `PARTITION_DOESNT_EXIST`.
pub const PARTITION_DOESNT_EXIST: i32 = 257;
/// The server's error 258, `UNION_ALL_RESULT_STRUCTURES_MISMATCH`.
pub const UNION_ALL_RESULT_STRUCTURES_MISMATCH: i32 = 258;
/// The server's error 260, `CLIENT_OUTPUT_FORMAT_SPECIFIED`.
pub const CLIENT_OUTPUT_FORMAT_SPECIFIED: i32 = 260;
/// The server's error 261, `UNKNOWN_BLOCK_INFO_FIELD`.
pub const UNKNOWN_BLOCK_INFO_FIELD: i32 = 261;
/// The server's error 262, `BAD_COLLATION`.
pub const BAD_COLLATION: i32 = 262;
/// The server's error 263, `CANNOT_COMPILE_CODE`.
pub const CANNOT_COMPILE_CODE: i32 = 263;
/// The server's error 264, `INCOMPATIBLE_TYPE_OF_JOIN`.
pub const INCOMPATIBLE_TYPE_OF_JOIN: i32 = 264;
/// The server's error 265, `NO_AVAILABLE_REPLICA`.
pub const NO_AVAILABLE_REPLICA: i32 = 265;
/// The server's error 266, `MISMATCH_REPLICAS_DATA_SOURCES`.
pub const MISMATCH_REPLICAS_DATA_SOURCES: i32 = 266;
/// The server's error 269, `INFINITE_LOOP`.
pub const INFINITE_LOOP: i32 = 269;
/// The server's error 270, `CANNOT_COMPRESS`.
pub const CANNOT_COMPRESS: i32 = 270;
/// The server's error 271, `CANNOT_DECOMPRESS`.
pub const CANNOT_DECOMPRESS: i32 = 271;
/// The server's error 272, `CANNOT_IO_SUBMIT`.
pub const CANNOT_IO_SUBMIT: i32 = 272;
/// The server's error 273, `CANNOT_IO_GETEVENTS`.
pub const CANNOT_IO_GETEVENTS: i32 = 273;
/// The server's error 274, `AIO_READ_ERROR`.
pub const AIO_READ_ERROR: i32 = 274;
/// The server's error 275, `AIO_WRITE_ERROR`.
pub const AIO_WRITE_ERROR: i32 = 275;
/// The server's error 277, `INDEX_NOT_USED`.
pub const INDEX_NOT_USED: i32 = 277;
/// The server's error 279, `ALL_CONNECTION_TRIES_FAILED`.
pub const ALL_CONNECTION_TRIES_FAILED: i32 = 279;
/// The server's error 280, `NO_AVAILABLE_DATA`.
pub const NO_AVAILABLE_DATA: i32 = 280;
/// The server's error 281, `DICTIONARY_IS_EMPTY`.
pub const DICTIONARY_IS_EMPTY: i32 = 281;
/// The server's error 282, `INCORRECT_INDEX`.
pub const INCORRECT_INDEX: i32 = 282;
/// The server's error 283, `UNKNOWN_DISTRIBUTED_PRODUCT_MODE`.
pub const UNKNOWN_DISTRIBUTED_PRODUCT_MODE: i32 = 283;
/// The server's error 284, `WRONG_GLOBAL_SUBQUERY`.
pub const WRONG_GLOBAL_SUBQUERY: i32 = 284;
/// The server's error 285, `TOO_FEW_LIVE_REPLICAS`.
pub const TOO_FEW_LIVE_REPLICAS: i32 = 285;
/// The server's error 286, `UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE`.
pub const UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE: i32 = 286;
/// The server's error 287, `UNKNOWN_FORMAT_VERSION`.
pub const UNKNOWN_FORMAT_VERSION: i32 = 287;
/// The server's error 288, `DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED`.
pub const DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED: i32 = 288;
/// The server's error 289, `REPLICA_IS_NOT_IN_QUORUM`.
pub const REPLICA_IS_NOT_IN_QUORUM: i32 = 289;
/// The server's error 290, `LIMIT_EXCEEDED`.
pub const LIMIT_EXCEEDED: i32 = 290;
/// The server's error 291, `DATABASE_ACCESS_DENIED`.
pub const DATABASE_ACCESS_DENIED: i32 = 291;
/// The server's error 293, `MONGODB_CANNOT_AUTHENTICATE`.
pub const MONGODB_CANNOT_AUTHENTICATE: i32 = 293;
/// The server's error 294, `CANNOT_WRITE_TO_FILE`.
pub const CANNOT_WRITE_TO_FILE: i32 = 294;
/// The server's error 295, `RECEIVED_EMPTY_DATA`.
pub const RECEIVED_EMPTY_DATA: i32 = 295;
/// The server's error 297, `SHARD_HAS_NO_CONNECTIONS`.
pub const SHARD_HAS_NO_CONNECTIONS: i32 = 297;
/// The server's error 298, `CANNOT_PIPE`.
pub const CANNOT_PIPE: i32 = 298;
/// The server's error 299, `CANNOT_FORK`.
pub const CANNOT_FORK: i32 = 299;
/// The server's error 300, `CANNOT_DLSYM`.
pub const CANNOT_DLSYM: i32 = 300;
/// The server's error 301, `CANNOT_CREATE_CHILD_PROCESS`.
pub const CANNOT_CREATE_CHILD_PROCESS: i32 = 301;
/// The server's error 302, `CHILD_WAS_NOT_EXITED_NORMALLY`.
pub const CHILD_WAS_NOT_EXITED_NORMALLY: i32 = 302;
/// The server's error 303, `CANNOT_SELECT`.
pub const CANNOT_SELECT: i32 = 303;
/// The server's error 304, `CANNOT_WAITPID`.
pub const CANNOT_WAITPID: i32 = 304;
/// The server's error 305, `TABLE_WAS_NOT_DROPPED`.
pub const TABLE_WAS_NOT_DROPPED: i32 = 305;
/// The server's error 306, `TOO_DEEP_RECURSION`.
pub const TOO_DEEP_RECURSION: i32 = 306;
/// The server's error 307, `TOO_MANY_BYTES`.
pub const TOO_MANY_BYTES: i32 = 307;
/// The server's error 308, `UNEXPECTED_NODE_IN_ZOOKEEPER`.
pub const UNEXPECTED_NODE_IN_ZOOKEEPER: i32 = 308;
/// The server's error 309, `FUNCTION_CANNOT_HAVE_PARAMETERS`.
pub const FUNCTION_CANNOT_HAVE_PARAMETERS: i32 = 309;
/// The server's error 318, `INVALID_CONFIG_PARAMETER`.
pub const INVALID_CONFIG_PARAMETER: i32 = 318;
/// The server's error 319, `UNKNOWN_STATUS_OF_INSERT`.
pub const UNKNOWN_STATUS_OF_INSERT: i32 = 319;
/// The server's error 321, `VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE`.
pub const VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE: i32 = 321;
/// The server's error 336, `UNKNOWN_DATABASE_ENGINE`.
pub const UNKNOWN_DATABASE_ENGINE: i32 = 336;
/// The server's error 341, `UNFINISHED`.
pub const UNFINISHED: i32 = 341;
/// The server's error 342, `METADATA_MISMATCH`.
pub const METADATA_MISMATCH: i32 = 342;
/// The server's error 344, `SUPPORT_IS_DISABLED`.
pub const SUPPORT_IS_DISABLED: i32 = 344;
/// The server's error 345, `TABLE_DIFFERS_TOO_MUCH`.
pub const TABLE_DIFFERS_TOO_MUCH: i32 = 345;
/// The server's error 346, `CANNOT_CONVERT_CHARSET`.
pub const CANNOT_CONVERT_CHARSET: i32 = 346;
/// The server's error 347, `CANNOT_LOAD_CONFIG`.
pub const CANNOT_LOAD_CONFIG: i32 = 347;
/// The server's error 349, `CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN`.
pub const CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN: i32 = 349;
/// The server's error 352, `AMBIGUOUS_COLUMN_NAME`.
pub const AMBIGUOUS_COLUMN_NAME: i32 = 352;
/// The server's error 353, `INDEX_OF_POSITIONAL_ARGUMENT_IS_OUT_OF_RANGE`.
pub const INDEX_OF_POSITIONAL_ARGUMENT_IS_OUT_OF_RANGE: i32 = 353;
/// The server's error 354, `ZLIB_INFLATE_FAILED`.
pub const ZLIB_INFLATE_FAILED: i32 = 354;
/// The server's error 355, `ZLIB_DEFLATE_FAILED`.
pub const ZLIB_DEFLATE_FAILED: i32 = 355;
/// The server's error 358, `INTO_OUTFILE_NOT_ALLOWED`.
pub const INTO_OUTFILE_NOT_ALLOWED: i32 = 358;
/// The server's error 359, `TABLE_SIZE_EXCEEDS_MAX_DROP_SIZE_LIMIT`.
pub const TABLE_SIZE_EXCEEDS_MAX_DROP_SIZE_LIMIT: i32 = 359;
/// The server's error 360, `CANNOT_CREATE_CHARSET_CONVERTER`.
pub const CANNOT_CREATE_CHARSET_CONVERTER: i32 = 360;
/// The server's error 361, `SEEK_POSITION_OUT_OF_BOUND`.
pub const SEEK_POSITION_OUT_OF_BOUND: i32 = 361;
/// The server's error 362, `CURRENT_WRITE_BUFFER_IS_EXHAUSTED`.
pub const CURRENT_WRITE_BUFFER_IS_EXHAUSTED: i32 = 362;
/// The server's error 363, `CANNOT_CREATE_IO_BUFFER`.
pub const CANNOT_CREATE_IO_BUFFER: i32 = 363;
/// The server's error 364, `RECEIVED_ERROR_TOO_MANY_REQUESTS`.
pub const RECEIVED_ERROR_TOO_MANY_REQUESTS: i32 = 364;
/// The server's error 366, `SIZES_OF_NESTED_COLUMNS_ARE_INCONSISTENT`.
pub const SIZES_OF_NESTED_COLUMNS_ARE_INCONSISTENT: i32 = 366;
/// The server's error 369, `ALL_REPLICAS_ARE_STALE`.
pub const ALL_REPLICAS_ARE_STALE: i32 = 369;
/// The server's error 370, `DATA_TYPE_CANNOT_BE_USED_IN_TABLES`.
pub const DATA_TYPE_CANNOT_BE_USED_IN_TABLES: i32 = 370;
/// The server's error 371, `INCONSISTENT_CLUSTER_DEFINITION`.
pub const INCONSISTENT_CLUSTER_DEFINITION: i32 = 371;
/// The server's error 372, `SESSION_NOT_FOUND`.
pub const SESSION_NOT_FOUND: i32 = 372;
/// The server's error 373, `SESSION_IS_LOCKED`.
pub const SESSION_IS_LOCKED: i32 = 373;
/// The server's error 374, `INVALID_SESSION_TIMEOUT`.
pub const INVALID_SESSION_TIMEOUT: i32 = 374;
/// The server's error 375, `CANNOT_DLOPEN`.
pub const CANNOT_DLOPEN: i32 = 375;
/// The server's error 376, `CANNOT_PARSE_UUID`.
pub const CANNOT_PARSE_UUID: i32 = 376;
/// The server's error 377, `ILLEGAL_SYNTAX_FOR_DATA_TYPE`.
pub const ILLEGAL_SYNTAX_FOR_DATA_TYPE: i32 = 377;
/// The server's error 378, `DATA_TYPE_CANNOT_HAVE_ARGUMENTS`.
pub const DATA_TYPE_CANNOT_HAVE_ARGUMENTS: i32 = 378;
/// The server's error 380, `CANNOT_KILL`.
pub const CANNOT_KILL: i32 = 380;
/// The server's error 381, `HTTP_LENGTH_REQUIRED`.
pub const HTTP_LENGTH_REQUIRED: i32 = 381;
/// The server's error 382, `CANNOT_LOAD_CATBOOST_MODEL`.
pub const CANNOT_LOAD_CATBOOST_MODEL: i32 = 382;
/// The server's error 383, `CANNOT_APPLY_CATBOOST_MODEL`.
pub const CANNOT_APPLY_CATBOOST_MODEL: i32 = 383;
/// The server's error 384, `PART_IS_TEMPORARILY_LOCKED`.
pub const PART_IS_TEMPORARILY_LOCKED: i32 = 384;
/// The server's error 385, `MULTIPLE_STREAMS_REQUIRED`.
pub const MULTIPLE_STREAMS_REQUIRED: i32 = 385;
/// The server's error 386, `NO_COMMON_TYPE`.
pub const NO_COMMON_TYPE: i32 = 386;
/// The server's error 387, `DICTIONARY_ALREADY_EXISTS`.
pub const DICTIONARY_ALREADY_EXISTS: i32 = 387;
/// The server's error 388, `CANNOT_ASSIGN_OPTIMIZE`.
pub const CANNOT_ASSIGN_OPTIMIZE: i32 = 388;
/// The server's error 389, `INSERT_WAS_DEDUPLICATED`.
pub const INSERT_WAS_DEDUPLICATED: i32 = 389;
/// The server's error 390, `CANNOT_GET_CREATE_TABLE_QUERY`.
pub const CANNOT_GET_CREATE_TABLE_QUERY: i32 = 390;
/// The server's error 391, `EXTERNAL_LIBRARY_ERROR`.
pub const EXTERNAL_LIBRARY_ERROR: i32 = 391;
/// The server's error 392, `QUERY_IS_PROHIBITED`.
pub const QUERY_IS_PROHIBITED: i32 = 392;
/// The server's error 393, `THERE_IS_NO_QUERY`.
pub const THERE_IS_NO_QUERY: i32 = 393;
/// The server's error 394, `QUERY_WAS_CANCELLED`.
pub const QUERY_WAS_CANCELLED: i32 = 394;
/// The server's error 395, `FUNCTION_THROW_IF_VALUE_IS_NON_ZERO`.
pub const FUNCTION_THROW_IF_VALUE_IS_NON_ZERO: i32 = 395;
/// The server's error 396, `TOO_MANY_ROWS_OR_BYTES`.
pub const TOO_MANY_ROWS_OR_BYTES: i32 = 396;
/// The server's error 397, `QUERY_IS_NOT_SUPPORTED_IN_MATERIALIZED_VIEW`.
pub const QUERY_IS_NOT_SUPPORTED_IN_MATERIALIZED_VIEW: i32 = 397;
/// The server's error 398, `UNKNOWN_MUTATION_COMMAND`.
pub const UNKNOWN_MUTATION_COMMAND: i32 = 398;
/// The server's error 399, `FORMAT_IS_NOT_SUITABLE_FOR_OUTPUT`.
pub const FORMAT_IS_NOT_SUITABLE_FOR_OUTPUT: i32 = 399;
/// The server's error 400, `CANNOT_STAT`.
pub const CANNOT_STAT: i32 = 400;
/// The server's error 401, `FEATURE_IS_NOT_ENABLED_AT_BUILD_TIME`.
pub const FEATURE_IS_NOT_ENABLED_AT_BUILD_TIME: i32 = 401;
/// The server's error 402, `CANNOT_IOSETUP`.
pub const CANNOT_IOSETUP: i32 = 402;
/// The server's error 403, `INVALID_JOIN_ON_EXPRESSION`.
pub const INVALID_JOIN_ON_EXPRESSION: i32 = 403;
/// The server's error 404, `BAD_ODBC_CONNECTION_STRING`.
pub const BAD_ODBC_CONNECTION_STRING: i32 = 404;
/// The server's error 406, `TOP_AND_LIMIT_TOGETHER`.
pub const TOP_AND_LIMIT_TOGETHER: i32 = 406;
/// The server's error 407, `DECIMAL_OVERFLOW`.
pub const DECIMAL_OVERFLOW: i32 = 407;
/// The server's error 408, `BAD_REQUEST_PARAMETER`.
pub const BAD_REQUEST_PARAMETER: i32 = 408;
/// The server's error 410, `EXTERNAL_SERVER_IS_NOT_RESPONDING`.
pub const EXTERNAL_SERVER_IS_NOT_RESPONDING: i32 = 410;
/// The server's error 411, `PTHREAD_ERROR`.
pub const PTHREAD_ERROR: i32 = 411;
/// The server's error 412, `NETLINK_ERROR`.
pub const NETLINK_ERROR: i32 = 412;
/// The server's error 413, `CANNOT_SET_SIGNAL_HANDLER`.
pub const CANNOT_SET_SIGNAL_HANDLER: i32 = 413;
/// The server's error 415, `ALL_REPLICAS_LOST`.
pub const ALL_REPLICAS_LOST: i32 = 415;
/// The server's error 416, `REPLICA_STATUS_CHANGED`.
pub const REPLICA_STATUS_CHANGED: i32 = 416;
/// The server's error 417, `EXPECTED_ALL_OR_ANY`.
pub const EXPECTED_ALL_OR_ANY: i32 = 417;
/// The server's error 418, `UNKNOWN_JOIN`.
pub const UNKNOWN_JOIN: i32 = 418;
/// The server's error 419, `MULTIPLE_ASSIGNMENTS_TO_COLUMN`.
pub const MULTIPLE_ASSIGNMENTS_TO_COLUMN: i32 = 419;
/// The server's error 420, `CANNOT_UPDATE_COLUMN`.
pub const CANNOT_UPDATE_COLUMN: i32 = 420;
/// The server's error 421, `CANNOT_ADD_DIFFERENT_AGGREGATE_STATES`.
pub const CANNOT_ADD_DIFFERENT_AGGREGATE_STATES: i32 = 421;
/// The server's error 422, `UNSUPPORTED_URI_SCHEME`.
pub const UNSUPPORTED_URI_SCHEME: i32 = 422;
/// The server's error 423, `CANNOT_GETTIMEOFDAY`.
pub const CANNOT_GETTIMEOFDAY: i32 = 423;
/// The server's error 424, `CANNOT_LINK`.
pub const CANNOT_LINK: i32 = 424;
/// The server's error 425, `SYSTEM_ERROR`.
pub const SYSTEM_ERROR: i32 = 425;
/// The server's error 427, `CANNOT_COMPILE_REGEXP`.
pub const CANNOT_COMPILE_REGEXP: i32 = 427;
/// The server's error 429, `FAILED_TO_GETPWUID`.
pub const FAILED_TO_GETPWUID: i32 = 429;
/// The server's error 430, `MISMATCHING_USERS_FOR_PROCESS_AND_DATA`.
pub const MISMATCHING_USERS_FOR_PROCESS_AND_DATA: i32 = 430;
/// The server's error 431, `ILLEGAL_SYNTAX_FOR_CODEC_TYPE`.
pub const ILLEGAL_SYNTAX_FOR_CODEC_TYPE: i32 = 431;
/// The server's error 432, `UNKNOWN_CODEC`.
pub const UNKNOWN_CODEC: i32 = 432;
/// The server's error 433, `ILLEGAL_CODEC_PARAMETER`.
pub const ILLEGAL_CODEC_PARAMETER: i32 = 433;
/// The server's error 434, `CANNOT_PARSE_PROTOBUF_SCHEMA`.
pub const CANNOT_PARSE_PROTOBUF_SCHEMA: i32 = 434;
/// The server's error 435, `NO_COLUMN_SERIALIZED_TO_REQUIRED_PROTOBUF_FIELD`.
pub const NO_COLUMN_SERIALIZED_TO_REQUIRED_PROTOBUF_FIELD: i32 = 435;
/// The server's error 436, `PROTOBUF_BAD_CAST`.
pub const PROTOBUF_BAD_CAST: i32 = 436;
/// The server's error 437, `PROTOBUF_FIELD_NOT_REPEATED`.
pub const PROTOBUF_FIELD_NOT_REPEATED: i32 = 437;
/// The server's error 438, `DATA_TYPE_CANNOT_BE_PROMOTED`.
pub const DATA_TYPE_CANNOT_BE_PROMOTED: i32 = 438;
/// The server's error 439, `CANNOT_SCHEDULE_TASK`.
pub const CANNOT_SCHEDULE_TASK: i32 = 439;
/// The server's error 440, `INVALID_LIMIT_EXPRESSION`.
pub const INVALID_LIMIT_EXPRESSION: i32 = 440;
/// The server's error 441, `CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING`.
pub const CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING: i32 = 441;
/// The server's error 442, `BAD_DATABASE_FOR_TEMPORARY_TABLE`.
pub const BAD_DATABASE_FOR_TEMPORARY_TABLE: i32 = 442;
/// The server's error 443, `NO_COLUMNS_SERIALIZED_TO_PROTOBUF_FIELDS`.
pub const NO_COLUMNS_SERIALIZED_TO_PROTOBUF_FIELDS: i32 = 443;
/// The server's error 444, `UNKNOWN_PROTOBUF_FORMAT`.
pub const UNKNOWN_PROTOBUF_FORMAT: i32 = 444;
/// The server's error 445, `CANNOT_MPROTECT`.
pub const CANNOT_MPROTECT: i32 = 445;
/// The server's error 446, `FUNCTION_NOT_ALLOWED`.
pub const FUNCTION_NOT_ALLOWED: i32 = 446;
/// The server's error 447, `HYPERSCAN_CANNOT_SCAN_TEXT`.
pub const HYPERSCAN_CANNOT_SCAN_TEXT: i32 = 447;
/// The server's error 448, `BROTLI_READ_FAILED`.
pub const BROTLI_READ_FAILED: i32 = 448;
/// The server's error 449, `BROTLI_WRITE_FAILED`.
pub const BROTLI_WRITE_FAILED: i32 = 449;
/// The server's error 450, `BAD_TTL_EXPRESSION`.
pub const BAD_TTL_EXPRESSION: i32 = 450;
/// The server's error 451, `BAD_TTL_FILE`.
pub const BAD_TTL_FILE: i32 = 451;
/// The server's error 452, `SETTING_CONSTRAINT_VIOLATION`.
pub const SETTING_CONSTRAINT_VIOLATION: i32 = 452;
/// The server's error 453, `MYSQL_CLIENT_INSUFFICIENT_CAPABILITIES`.
pub const MYSQL_CLIENT_INSUFFICIENT_CAPABILITIES: i32 = 453;
/// The server's error 454, `OPENSSL_ERROR`.
pub const OPENSSL_ERROR: i32 = 454;
/// The server's error 455, `SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY`.
pub const SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY: i32 = 455;
/// The server's error 456, `UNKNOWN_QUERY_PARAMETER`.
pub const UNKNOWN_QUERY_PARAMETER: i32 = 456;
/// The server's error 457, `BAD_QUERY_PARAMETER`.
pub const BAD_QUERY_PARAMETER: i32 = 457;
/// The server's error 458, `CANNOT_UNLINK`.
pub const CANNOT_UNLINK: i32 = 458;
/// The server's error 459, `CANNOT_SET_THREAD_PRIORITY`.
pub const CANNOT_SET_THREAD_PRIORITY: i32 = 459;
/// The server's error 460, `CANNOT_CREATE_TIMER`.
pub const CANNOT_CREATE_TIMER: i32 = 460;
/// The server's error 461, `CANNOT_SET_TIMER_PERIOD`.
pub const CANNOT_SET_TIMER_PERIOD: i32 = 461;
/// The server's error 463, `CANNOT_FCNTL`.
pub const CANNOT_FCNTL: i32 = 463;
/// The server's error 464, `CANNOT_PARSE_ELF`.
pub const CANNOT_PARSE_ELF: i32 = 464;
/// The server's error 465, `CANNOT_PARSE_DWARF`.
pub const CANNOT_PARSE_DWARF: i32 = 465;
/// The server's error 466, `INSECURE_PATH`.
pub const INSECURE_PATH: i32 = 466;
/// The server's error 467, `CANNOT_PARSE_BOOL`.
pub const CANNOT_PARSE_BOOL: i32 = 467;
/// The server's error 468, `CANNOT_PTHREAD_ATTR`.
pub const CANNOT_PTHREAD_ATTR: i32 = 468;
/// The server's error 469, `VIOLATED_CONSTRAINT`.
pub const VIOLATED_CONSTRAINT: i32 = 469;
/// The server's error 471, `INVALID_SETTING_VALUE`.
pub const INVALID_SETTING_VALUE: i32 = 471;
/// The server's error 472, `READONLY_SETTING`.
pub const READONLY_SETTING: i32 = 472;
/// The server's error 473, `DEADLOCK_AVOIDED`.
pub const DEADLOCK_AVOIDED: i32 = 473;
/// The server's error 474, `INVALID_TEMPLATE_FORMAT`.
pub const INVALID_TEMPLATE_FORMAT: i32 = 474;
/// The server's error 475, `INVALID_WITH_FILL_EXPRESSION`.
pub const INVALID_WITH_FILL_EXPRESSION: i32 = 475;
/// The server's error 476, `WITH_TIES_WITHOUT_ORDER_BY`.
pub const WITH_TIES_WITHOUT_ORDER_BY: i32 = 476;
/// The server's error 477, `INVALID_USAGE_OF_INPUT`.
pub const INVALID_USAGE_OF_INPUT: i32 = 477;
/// The server's error 478, `UNKNOWN_POLICY`.
pub const UNKNOWN_POLICY: i32 = 478;
/// The server's error 479, `UNKNOWN_DISK`.
pub const UNKNOWN_DISK: i32 = 479;
/// The server's error 480, `UNKNOWN_PROTOCOL`.
pub const UNKNOWN_PROTOCOL: i32 = 480;
/// The server's error 481, `PATH_ACCESS_DENIED`.
pub const PATH_ACCESS_DENIED: i32 = 481;
/// The server's error 482, `DICTIONARY_ACCESS_DENIED`.
pub const DICTIONARY_ACCESS_DENIED: i32 = 482;
/// The server's error 483, `TOO_MANY_REDIRECTS`.
pub const TOO_MANY_REDIRECTS: i32 = 483;
/// The server's error 484, `INTERNAL_REDIS_ERROR`.
pub const INTERNAL_REDIS_ERROR: i32 = 484;
/// The server's error 487, `CANNOT_GET_CREATE_DICTIONARY_QUERY`.
pub const CANNOT_GET_CREATE_DICTIONARY_QUERY: i32 = 487;
/// The server's error 489, `INCORRECT_DICTIONARY_DEFINITION`.
pub const INCORRECT_DICTIONARY_DEFINITION: i32 = 489;
/// The server's error 490, `CANNOT_FORMAT_DATETIME`.
pub const CANNOT_FORMAT_DATETIME: i32 = 490;
/// The server's error 491, `UNACCEPTABLE_URL`.
pub const UNACCEPTABLE_URL: i32 = 491;
/// The server's error 492, `ACCESS_ENTITY_NOT_FOUND`.
pub const ACCESS_ENTITY_NOT_FOUND: i32 = 492;
/// The server's error 493, `ACCESS_ENTITY_ALREADY_EXISTS`.
pub const ACCESS_ENTITY_ALREADY_EXISTS: i32 = 493;
/// The server's error 495, `ACCESS_STORAGE_READONLY`.
pub const ACCESS_STORAGE_READONLY: i32 = 495;
/// The server's error 496, `QUOTA_REQUIRES_CLIENT_KEY`.
pub const QUOTA_REQUIRES_CLIENT_KEY: i32 = 496;
/// The server's error 497, `ACCESS_DENIED`.
pub const ACCESS_DENIED: i32 = 497;
/// The server's error 498, `LIMIT_BY_WITH_TIES_IS_NOT_SUPPORTED`.
pub const LIMIT_BY_WITH_TIES_IS_NOT_SUPPORTED: i32 = 498;
/// The server's error 499, `S3_ERROR`.
pub const S3_ERROR: i32 = 499;
/// The server's error 500, `AZURE_BLOB_STORAGE_ERROR`.
pub const AZURE_BLOB_STORAGE_ERROR: i32 = 500;
/// The server's error 501, `CANNOT_CREATE_DATABASE`.
pub const CANNOT_CREATE_DATABASE: i32 = 501;
/// The server's error 502, `CANNOT_SIGQUEUE`.
pub const CANNOT_SIGQUEUE: i32 = 502;
/// The server's error 503, `AGGREGATE_FUNCTION_THROW`.
pub const AGGREGATE_FUNCTION_THROW: i32 = 503;
/// The server's error 504, `FILE_ALREADY_EXISTS`.
pub const FILE_ALREADY_EXISTS: i32 = 504;
/// The server's error 507, `UNABLE_TO_SKIP_UNUSED_SHARDS`.
pub const UNABLE_TO_SKIP_UNUSED_SHARDS: i32 = 507;
/// The server's error 508, `UNKNOWN_ACCESS_TYPE`.
pub const UNKNOWN_ACCESS_TYPE: i32 = 508;
/// The server's error 509, `INVALID_GRANT`.
pub const INVALID_GRANT: i32 = 509;
/// The server's error 510, `CACHE_DICTIONARY_UPDATE_FAIL`.
pub const CACHE_DICTIONARY_UPDATE_FAIL: i32 = 510;
/// The server's error 511, `UNKNOWN_ROLE`.
pub const UNKNOWN_ROLE: i32 = 511;
/// The server's error 512, `SET_NON_GRANTED_ROLE`.
pub const SET_NON_GRANTED_ROLE: i32 = 512;
/// The server's error 513, `UNKNOWN_PART_TYPE`.
pub const UNKNOWN_PART_TYPE: i32 = 513;
/// The server's error 514, `ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND`.
pub const ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND: i32 = 514;
/// The server's error 515, `INCORRECT_ACCESS_ENTITY_DEFINITION`.
pub const INCORRECT_ACCESS_ENTITY_DEFINITION: i32 = 515;
/// The server's error 516, `AUTHENTICATION_FAILED`.
pub const AUTHENTICATION_FAILED: i32 = 516;
/// The server's error 517, `CANNOT_ASSIGN_ALTER`.
pub const CANNOT_ASSIGN_ALTER: i32 = 517;
/// The server's error 518, `CANNOT_COMMIT_OFFSET`.
pub const CANNOT_COMMIT_OFFSET: i32 = 518;
/// The server's error 519, `NO_REMOTE_SHARD_AVAILABLE`.
pub const NO_REMOTE_SHARD_AVAILABLE: i32 = 519;
/// The server's error 520, `CANNOT_DETACH_DICTIONARY_AS_TABLE`.
pub const CANNOT_DETACH_DICTIONARY_AS_TABLE: i32 = 520;
/// The server's error 521, `ATOMIC_RENAME_FAIL`.
pub const ATOMIC_RENAME_FAIL: i32 = 521;
/// The server's error 523, `UNKNOWN_ROW_POLICY`.
pub const UNKNOWN_ROW_POLICY: i32 = 523;
/// The server's error 524, `ALTER_OF_COLUMN_IS_FORBIDDEN`.
pub const ALTER_OF_COLUMN_IS_FORBIDDEN: i32 = 524;
/// The server's error 525, `INCORRECT_DISK_INDEX`.
pub const INCORRECT_DISK_INDEX: i32 = 525;
/// The server's error 527, `NO_SUITABLE_FUNCTION_IMPLEMENTATION`.
pub const NO_SUITABLE_FUNCTION_IMPLEMENTATION: i32 = 527;
/// The server's error 528, `CASSANDRA_INTERNAL_ERROR`.
pub const CASSANDRA_INTERNAL_ERROR: i32 = 528;
/// The server's error 529, `NOT_A_LEADER`.
pub const NOT_A_LEADER: i32 = 529;
/// The server's error 530, `CANNOT_CONNECT_RABBITMQ`.
pub const CANNOT_CONNECT_RABBITMQ: i32 = 530;
/// The server's error 531, `CANNOT_FSTAT`.
pub const CANNOT_FSTAT: i32 = 531;
/// The server's error 532, `LDAP_ERROR`.
pub const LDAP_ERROR: i32 = 532;
/// The server's error 535, `UNKNOWN_RAID_TYPE`.
pub const UNKNOWN_RAID_TYPE: i32 = 535;
/// The server's error 536, `CANNOT_RESTORE_FROM_FIELD_DUMP`.
pub const CANNOT_RESTORE_FROM_FIELD_DUMP: i32 = 536;
/// The server's error 537, `ILLEGAL_MYSQL_VARIABLE`.
pub const ILLEGAL_MYSQL_VARIABLE: i32 = 537;
/// The server's error 538, `MYSQL_SYNTAX_ERROR`.
pub const MYSQL_SYNTAX_ERROR: i32 = 538;
/// The server's error 539, `CANNOT_BIND_RABBITMQ_EXCHANGE`.
pub const CANNOT_BIND_RABBITMQ_EXCHANGE: i32 = 539;
/// The server's error 540, `CANNOT_DECLARE_RABBITMQ_EXCHANGE`.
pub const CANNOT_DECLARE_RABBITMQ_EXCHANGE: i32 = 540;
/// The server's error 541, `CANNOT_CREATE_RABBITMQ_QUEUE_BINDING`.
pub const CANNOT_CREATE_RABBITMQ_QUEUE_BINDING: i32 = 541;
/// The server's error 542, `CANNOT_REMOVE_RABBITMQ_EXCHANGE`.
pub const CANNOT_REMOVE_RABBITMQ_EXCHANGE: i32 = 542;
/// The server's error 543, `UNKNOWN_MYSQL_DATATYPES_SUPPORT_LEVEL`.
pub const UNKNOWN_MYSQL_DATATYPES_SUPPORT_LEVEL: i32 = 543;
/// The server's error 544, `ROW_AND_ROWS_TOGETHER`.
pub const ROW_AND_ROWS_TOGETHER: i32 = 544;
/// The server's error 545, `FIRST_AND_NEXT_TOGETHER`.
pub const FIRST_AND_NEXT_TOGETHER: i32 = 545;
/// The server's error 546, `NO_ROW_DELIMITER`.
pub const NO_ROW_DELIMITER: i32 = 546;
/// The server's error 547, `INVALID_RAID_TYPE`.
pub const INVALID_RAID_TYPE: i32 = 547;
/// The server's error 548, `UNKNOWN_VOLUME`.
pub const UNKNOWN_VOLUME: i32 = 548;
/// The server's error 549, `DATA_TYPE_CANNOT_BE_USED_IN_KEY`.
pub const DATA_TYPE_CANNOT_BE_USED_IN_KEY: i32 = 549;
/// The server's error 552, `UNRECOGNIZED_ARGUMENTS`.
pub const UNRECOGNIZED_ARGUMENTS: i32 = 552;
/// The server's error 553, `LZMA_STREAM_ENCODER_FAILED`.
pub const LZMA_STREAM_ENCODER_FAILED: i32 = 553;
/// The server's error 554, `LZMA_STREAM_DECODER_FAILED`.
pub const LZMA_STREAM_DECODER_FAILED: i32 = 554;
/// The server's error 555, `ROCKSDB_ERROR`.
pub const ROCKSDB_ERROR: i32 = 555;
/// The server's error 556, `SYNC_MYSQL_USER_ACCESS_ERROR`.
pub const SYNC_MYSQL_USER_ACCESS_ERROR: i32 = 556;
/// The server's error 557, `UNKNOWN_UNION`.
pub const UNKNOWN_UNION: i32 = 557;
/// The server's error 558, `EXPECTED_ALL_OR_DISTINCT`.
pub const EXPECTED_ALL_OR_DISTINCT: i32 = 558;
/// The server's error 559, `INVALID_GRPC_QUERY_INFO`.
pub const INVALID_GRPC_QUERY_INFO: i32 = 559;
/// The server's error 560, `ZSTD_ENCODER_FAILED`.
pub const ZSTD_ENCODER_FAILED: i32 = 560;
/// The server's error 561, `ZSTD_DECODER_FAILED`.
pub const ZSTD_DECODER_FAILED: i32 = 561;
/// The server's error 562, `TLD_LIST_NOT_FOUND`.
pub const TLD_LIST_NOT_FOUND: i32 = 562;
/// The server's error 563, `CANNOT_READ_MAP_FROM_TEXT`.
pub const CANNOT_READ_MAP_FROM_TEXT: i32 = 563;
/// The server's error 564, `INTERSERVER_SCHEME_DOESNT_MATCH`.
pub const INTERSERVER_SCHEME_DOESNT_MATCH: i32 = 564;
/// The server's error 565, `TOO_MANY_PARTITIONS`.
pub const TOO_MANY_PARTITIONS: i32 = 565;
/// The server's error 566, `CANNOT_RMDIR`.
pub const CANNOT_RMDIR: i32 = 566;
/// The server's error 567, `DUPLICATED_PART_UUIDS`.
pub const DUPLICATED_PART_UUIDS: i32 = 567;
/// The server's error 568, `RAFT_ERROR`.
pub const RAFT_ERROR: i32 = 568;
/// The server's error 569, `MULTIPLE_COLUMNS_SERIALIZED_TO_SAME_PROTOBUF_FIELD`.
pub const MULTIPLE_COLUMNS_SERIALIZED_TO_SAME_PROTOBUF_FIELD: i32 = 569;
/// The server's error 570, `DATA_TYPE_INCOMPATIBLE_WITH_PROTOBUF_FIELD`.
pub const DATA_TYPE_INCOMPATIBLE_WITH_PROTOBUF_FIELD: i32 = 570;
/// The server's error 571, `DATABASE_REPLICATION_FAILED`.
pub const DATABASE_REPLICATION_FAILED: i32 = 571;
/// The server's error 572, `TOO_MANY_QUERY_PLAN_OPTIMIZATIONS`.
pub const TOO_MANY_QUERY_PLAN_OPTIMIZATIONS: i32 = 572;
/// The server's error 573, `EPOLL_ERROR`.
pub const EPOLL_ERROR: i32 = 573;
/// The server's error 574, `DISTRIBUTED_TOO_MANY_PENDING_BYTES`.
pub const DISTRIBUTED_TOO_MANY_PENDING_BYTES: i32 = 574;
/// The server's error 575, `UNKNOWN_SNAPSHOT`.
pub const UNKNOWN_SNAPSHOT: i32 = 575;
/// The server's error 576, `KERBEROS_ERROR`.
pub const KERBEROS_ERROR: i32 = 576;
/// The server's error 577, `INVALID_SHARD_ID`.
pub const INVALID_SHARD_ID: i32 = 577;
/// The server's error 578, `INVALID_FORMAT_INSERT_QUERY_WITH_DATA`.
pub const INVALID_FORMAT_INSERT_QUERY_WITH_DATA: i32 = 578;
/// The server's error 579, `INCORRECT_PART_TYPE`.
pub const INCORRECT_PART_TYPE: i32 = 579;
/// The server's error 580, `CANNOT_SET_ROUNDING_MODE`.
pub const CANNOT_SET_ROUNDING_MODE: i32 = 580;
/// The server's error 581, `TOO_LARGE_DISTRIBUTED_DEPTH`.
pub const TOO_LARGE_DISTRIBUTED_DEPTH: i32 = 581;
/// The server's error 582, `NO_SUCH_PROJECTION_IN_TABLE`.
pub const NO_SUCH_PROJECTION_IN_TABLE: i32 = 582;
/// The server's error 583, `ILLEGAL_PROJECTION`.
pub const ILLEGAL_PROJECTION: i32 = 583;
/// The server's error 584, `PROJECTION_NOT_USED`.
pub const PROJECTION_NOT_USED: i32 = 584;
/// The server's error 585, `CANNOT_PARSE_YAML`.
pub const CANNOT_PARSE_YAML: i32 = 585;
/// The server's error 586, `CANNOT_CREATE_FILE`.
pub const CANNOT_CREATE_FILE: i32 = 586;
/// The server's error 587, `CONCURRENT_ACCESS_NOT_SUPPORTED`.
pub const CONCURRENT_ACCESS_NOT_SUPPORTED: i32 = 587;
/// The server's error 588, `DISTRIBUTED_BROKEN_BATCH_INFO`.
pub const DISTRIBUTED_BROKEN_BATCH_INFO: i32 = 588;
/// The server's error 589, `DISTRIBUTED_BROKEN_BATCH_FILES`.
pub const DISTRIBUTED_BROKEN_BATCH_FILES: i32 = 589;
/// The server's error 590, `CANNOT_SYSCONF`.
pub const CANNOT_SYSCONF: i32 = 590;
/// The server's error 591, `SQLITE_ENGINE_ERROR`.
pub const SQLITE_ENGINE_ERROR: i32 = 591;
/// The server's error 592, `DATA_ENCRYPTION_ERROR`.
pub const DATA_ENCRYPTION_ERROR: i32 = 592;
/// The server's error 593, `ZERO_COPY_REPLICATION_ERROR`.
pub const ZERO_COPY_REPLICATION_ERROR: i32 = 593;
/// The server's error 594, `BZIP2_STREAM_DECODER_FAILED`.
pub const BZIP2_STREAM_DECODER_FAILED: i32 = 594;
/// The server's error 595, `BZIP2_STREAM_ENCODER_FAILED`.
pub const BZIP2_STREAM_ENCODER_FAILED: i32 = 595;
/// The server's error 596, `INTERSECT_OR_EXCEPT_RESULT_STRUCTURES_MISMATCH`.
pub const INTERSECT_OR_EXCEPT_RESULT_STRUCTURES_MISMATCH: i32 = 596;
/// The server's error 597, `NO_SUCH_ERROR_CODE`.
pub const NO_SUCH_ERROR_CODE: i32 = 597;
/// The server's error 598, `BACKUP_ALREADY_EXISTS`.
pub const BACKUP_ALREADY_EXISTS: i32 = 598;
/// The server's error 599, `BACKUP_NOT_FOUND`.
pub const BACKUP_NOT_FOUND: i32 = 599;
/// The server's error 600, `BACKUP_VERSION_NOT_SUPPORTED`.
pub const BACKUP_VERSION_NOT_SUPPORTED: i32 = 600;
/// The server's error 601, `BACKUP_DAMAGED`.
pub const BACKUP_DAMAGED: i32 = 601;
/// The server's error 602, `NO_BASE_BACKUP`.
pub const NO_BASE_BACKUP: i32 = 602;
/// The server's error 603, `WRONG_BASE_BACKUP`.
pub const WRONG_BASE_BACKUP: i32 = 603;
/// The server's error 604, `BACKUP_ENTRY_ALREADY_EXISTS`.
pub const BACKUP_ENTRY_ALREADY_EXISTS: i32 = 604;
/// The server's error 605, `BACKUP_ENTRY_NOT_FOUND`.
pub const BACKUP_ENTRY_NOT_FOUND: i32 = 605;
/// The server's error 606, `BACKUP_IS_EMPTY`.
pub const BACKUP_IS_EMPTY: i32 = 606;
/// The server's error 607, `CANNOT_RESTORE_DATABASE`.
pub const CANNOT_RESTORE_DATABASE: i32 = 607;
/// The server's error 608, `CANNOT_RESTORE_TABLE`.
pub const CANNOT_RESTORE_TABLE: i32 = 608;
/// The server's error 609, `FUNCTION_ALREADY_EXISTS`.
pub const FUNCTION_ALREADY_EXISTS: i32 = 609;
/// The server's error 610, `CANNOT_DROP_FUNCTION`.
pub const CANNOT_DROP_FUNCTION: i32 = 610;
/// The server's error 611, `CANNOT_CREATE_RECURSIVE_FUNCTION`.
pub const CANNOT_CREATE_RECURSIVE_FUNCTION: i32 = 611;
/// The server's error 614, `POSTGRESQL_CONNECTION_FAILURE`.
pub const POSTGRESQL_CONNECTION_FAILURE: i32 = 614;
/// The server's error 615, `CANNOT_ADVISE`.
pub const CANNOT_ADVISE: i32 = 615;
/// The server's error 616, `UNKNOWN_READ_METHOD`.
pub const UNKNOWN_READ_METHOD: i32 = 616;
/// The server's error 617, `LZ4_ENCODER_FAILED`.
pub const LZ4_ENCODER_FAILED: i32 = 617;
/// The server's error 618, `LZ4_DECODER_FAILED`.
pub const LZ4_DECODER_FAILED: i32 = 618;
/// The server's error 619, `POSTGRESQL_REPLICATION_INTERNAL_ERROR`.
pub const POSTGRESQL_REPLICATION_INTERNAL_ERROR: i32 = 619;
/// The server's error 620, `QUERY_NOT_ALLOWED`.
pub const QUERY_NOT_ALLOWED: i32 = 620;
/// The server's error 621, `CANNOT_NORMALIZE_STRING`.
pub const CANNOT_NORMALIZE_STRING: i32 = 621;
/// The server's error 622, `CANNOT_PARSE_CAPN_PROTO_SCHEMA`.
pub const CANNOT_PARSE_CAPN_PROTO_SCHEMA: i32 = 622;
/// The server's error 623, `CAPN_PROTO_BAD_CAST`.
pub const CAPN_PROTO_BAD_CAST: i32 = 623;
/// The server's error 624, `BAD_FILE_TYPE`.
pub const BAD_FILE_TYPE: i32 = 624;
/// The server's error 625, `IO_SETUP_ERROR`.
pub const IO_SETUP_ERROR: i32 = 625;
/// The server's error 626, `CANNOT_SKIP_UNKNOWN_FIELD`.
pub const CANNOT_SKIP_UNKNOWN_FIELD: i32 = 626;
/// The server's error 627, `BACKUP_ENGINE_NOT_FOUND`.
pub const BACKUP_ENGINE_NOT_FOUND: i32 = 627;
/// The server's error 628, `OFFSET_FETCH_WITHOUT_ORDER_BY`.
pub const OFFSET_FETCH_WITHOUT_ORDER_BY: i32 = 628;
/// The server's error 629, `HTTP_RANGE_NOT_SATISFIABLE`.
pub const HTTP_RANGE_NOT_SATISFIABLE: i32 = 629;
/// The server's error 630, `HAVE_DEPENDENT_OBJECTS`.
pub const HAVE_DEPENDENT_OBJECTS: i32 = 630;
/// The server's error 631, `UNKNOWN_FILE_SIZE`.
pub const UNKNOWN_FILE_SIZE: i32 = 631;
/// The server's error 632, `UNEXPECTED_DATA_AFTER_PARSED_VALUE`.
pub const UNEXPECTED_DATA_AFTER_PARSED_VALUE: i32 = 632;
/// The server's error 634, `MONGODB_ERROR`.
pub const MONGODB_ERROR: i32 = 634;
/// The server's error 635, `CANNOT_POLL`.
pub const CANNOT_POLL: i32 = 635;
/// The server's error 636, `CANNOT_EXTRACT_TABLE_STRUCTURE`.
pub const CANNOT_EXTRACT_TABLE_STRUCTURE: i32 = 636;
/// The server's error 637, `INVALID_TABLE_OVERRIDE`.
pub const INVALID_TABLE_OVERRIDE: i32 = 637;
/// The server's error 638, `SNAPPY_UNCOMPRESS_FAILED`.
pub const SNAPPY_UNCOMPRESS_FAILED: i32 = 638;
/// The server's error 639, `SNAPPY_COMPRESS_FAILED`.
pub const SNAPPY_COMPRESS_FAILED: i32 = 639;
/// The server's error 640, `NO_HIVEMETASTORE`.
pub const NO_HIVEMETASTORE: i32 = 640;
/// The server's error 641, `CANNOT_APPEND_TO_FILE`.
pub const CANNOT_APPEND_TO_FILE: i32 = 641;
/// The server's error 642, `CANNOT_PACK_ARCHIVE`.
pub const CANNOT_PACK_ARCHIVE: i32 = 642;
/// The server's error 643, `CANNOT_UNPACK_ARCHIVE`.
pub const CANNOT_UNPACK_ARCHIVE: i32 = 643;
/// The server's error 645, `NUMBER_OF_DIMENSIONS_MISMATCHED`.
pub const NUMBER_OF_DIMENSIONS_MISMATCHED: i32 = 645;
/// The server's error 647, `CANNOT_BACKUP_TABLE`.
pub const CANNOT_BACKUP_TABLE: i32 = 647;
/// The server's error 648, `WRONG_DDL_RENAMING_SETTINGS`.
pub const WRONG_DDL_RENAMING_SETTINGS: i32 = 648;
/// The server's error 649, `INVALID_TRANSACTION`.
pub const INVALID_TRANSACTION: i32 = 649;
/// The server's error 650, `SERIALIZATION_ERROR`.
pub const SERIALIZATION_ERROR: i32 = 650;
/// The server's error 651, `CAPN_PROTO_BAD_TYPE`.
pub const CAPN_PROTO_BAD_TYPE: i32 = 651;
/// The server's error 652, `ONLY_NULLS_WHILE_READING_SCHEMA`.
pub const ONLY_NULLS_WHILE_READING_SCHEMA: i32 = 652;
/// The server's error 653, `CANNOT_PARSE_BACKUP_SETTINGS`.
pub const CANNOT_PARSE_BACKUP_SETTINGS: i32 = 653;
/// The server's error 654, `WRONG_BACKUP_SETTINGS`.
pub const WRONG_BACKUP_SETTINGS: i32 = 654;
/// The server's error 655, `FAILED_TO_SYNC_BACKUP_OR_RESTORE`.
pub const FAILED_TO_SYNC_BACKUP_OR_RESTORE: i32 = 655;
/// The server's error 659, `UNKNOWN_STATUS_OF_TRANSACTION`.
pub const UNKNOWN_STATUS_OF_TRANSACTION: i32 = 659;
/// The server's error 660, `HDFS_ERROR`.
pub const HDFS_ERROR: i32 = 660;
/// The server's error 661, `CANNOT_SEND_SIGNAL`.
pub const CANNOT_SEND_SIGNAL: i32 = 661;
/// The server's error 662, `FS_METADATA_ERROR`.
pub const FS_METADATA_ERROR: i32 = 662;
/// The server's error 663, `INCONSISTENT_METADATA_FOR_BACKUP`.
pub const INCONSISTENT_METADATA_FOR_BACKUP: i32 = 663;
/// The server's error 664, `ACCESS_STORAGE_DOESNT_ALLOW_BACKUP`.
pub const ACCESS_STORAGE_DOESNT_ALLOW_BACKUP: i32 = 664;
/// The server's error 665, `CANNOT_CONNECT_NATS`.
pub const CANNOT_CONNECT_NATS: i32 = 665;
/// The server's error 667, `NOT_INITIALIZED`.
pub const NOT_INITIALIZED: i32 = 667;
/// The server's error 668, `INVALID_STATE`.
pub const INVALID_STATE: i32 = 668;
/// The server's error 669, `NAMED_COLLECTION_DOESNT_EXIST`.
pub const NAMED_COLLECTION_DOESNT_EXIST: i32 = 669;
/// The server's error 670, `NAMED_COLLECTION_ALREADY_EXISTS`.
pub const NAMED_COLLECTION_ALREADY_EXISTS: i32 = 670;
/// The server's error 671, `NAMED_COLLECTION_IS_IMMUTABLE`.
pub const NAMED_COLLECTION_IS_IMMUTABLE: i32 = 671;
/// The server's error 672, `INVALID_SCHEDULER_NODE`.
pub const INVALID_SCHEDULER_NODE: i32 = 672;
/// The server's error 673, `RESOURCE_ACCESS_DENIED`.
pub const RESOURCE_ACCESS_DENIED: i32 = 673;
/// The server's error 674, `RESOURCE_NOT_FOUND`.
pub const RESOURCE_NOT_FOUND: i32 = 674;
/// The server's error 675, `CANNOT_PARSE_IPV4`.
pub const CANNOT_PARSE_IPV4: i32 = 675;
/// The server's error 676, `CANNOT_PARSE_IPV6`.
pub const CANNOT_PARSE_IPV6: i32 = 676;
/// The server's error 677, `THREAD_WAS_CANCELED`.
pub const THREAD_WAS_CANCELED: i32 = 677;
/// The server's error 678, `IO_URING_INIT_FAILED`.
pub const IO_URING_INIT_FAILED: i32 = 678;
/// The server's error 679, `IO_URING_SUBMIT_ERROR`.
pub const IO_URING_SUBMIT_ERROR: i32 = 679;
/// The server's error 690, `MIXED_ACCESS_PARAMETER_TYPES`.
pub const MIXED_ACCESS_PARAMETER_TYPES: i32 = 690;
/// The server's error 691, `UNKNOWN_ELEMENT_OF_ENUM`.
pub const UNKNOWN_ELEMENT_OF_ENUM: i32 = 691;
/// The server's error 692, `TOO_MANY_MUTATIONS`.
pub const TOO_MANY_MUTATIONS: i32 = 692;
/// The server's error 693, `AWS_ERROR`.
pub const AWS_ERROR: i32 = 693;
/// The server's error 694, `ASYNC_LOAD_CYCLE`.
pub const ASYNC_LOAD_CYCLE: i32 = 694;
/// The server's error 695, `ASYNC_LOAD_FAILED`.
pub const ASYNC_LOAD_FAILED: i32 = 695;
/// The server's error 696, `ASYNC_LOAD_CANCELED`.
pub const ASYNC_LOAD_CANCELED: i32 = 696;
/// The server's error 697, `CANNOT_RESTORE_TO_NONENCRYPTED_DISK`.
pub const CANNOT_RESTORE_TO_NONENCRYPTED_DISK: i32 = 697;
/// The server's error 698, `INVALID_REDIS_STORAGE_TYPE`.
pub const INVALID_REDIS_STORAGE_TYPE: i32 = 698;
/// The server's error 699, `INVALID_REDIS_TABLE_STRUCTURE`.
pub const INVALID_REDIS_TABLE_STRUCTURE: i32 = 699;
/// The server's error 700, `USER_SESSION_LIMIT_EXCEEDED`.
pub const USER_SESSION_LIMIT_EXCEEDED: i32 = 700;
/// The server's error 701, `CLUSTER_DOESNT_EXIST`.
pub const CLUSTER_DOESNT_EXIST: i32 = 701;
/// The server's error 702, `CLIENT_INFO_DOES_NOT_MATCH`.
pub const CLIENT_INFO_DOES_NOT_MATCH: i32 = 702;
/// The server's error 703, `INVALID_IDENTIFIER`.
pub const INVALID_IDENTIFIER: i32 = 703;
/// The server's error 704, `QUERY_CACHE_USED_WITH_NONDETERMINISTIC_FUNCTIONS`.
pub const QUERY_CACHE_USED_WITH_NONDETERMINISTIC_FUNCTIONS: i32 = 704;
/// The server's error 705, `TABLE_NOT_EMPTY`.
pub const TABLE_NOT_EMPTY: i32 = 705;
/// The server's error 706, `LIBSSH_ERROR`.
pub const LIBSSH_ERROR: i32 = 706;
/// The server's error 707, `GCP_ERROR`.
pub const GCP_ERROR: i32 = 707;
/// The server's error 708, `ILLEGAL_STATISTICS`.
pub const ILLEGAL_STATISTICS: i32 = 708;
/// The server's error 709, `CANNOT_GET_REPLICATED_DATABASE_SNAPSHOT`.
pub const CANNOT_GET_REPLICATED_DATABASE_SNAPSHOT: i32 = 709;
/// The server's error 710, `FAULT_INJECTED`.
pub const FAULT_INJECTED: i32 = 710;
/// The server's error 711, `FILECACHE_ACCESS_DENIED`.
pub const FILECACHE_ACCESS_DENIED: i32 = 711;
/// The server's error 712, `TOO_MANY_MATERIALIZED_VIEWS`.
pub const TOO_MANY_MATERIALIZED_VIEWS: i32 = 712;
/// The server's error 713, `BROKEN_PROJECTION`.
pub const BROKEN_PROJECTION: i32 = 713;
/// The server's error 714, `UNEXPECTED_CLUSTER`.
pub const UNEXPECTED_CLUSTER: i32 = 714;
/// The server's error 715, `CANNOT_DETECT_FORMAT`.
pub const CANNOT_DETECT_FORMAT: i32 = 715;
/// The server's error 716, `CANNOT_FORGET_PARTITION`.
pub const CANNOT_FORGET_PARTITION: i32 = 716;
/// The server's error 717, `EXPERIMENTAL_FEATURE_ERROR`.
pub const EXPERIMENTAL_FEATURE_ERROR: i32 = 717;
/// The server's error 718, `TOO_SLOW_PARSING`.
pub const TOO_SLOW_PARSING: i32 = 718;
/// The server's error 719, `QUERY_CACHE_USED_WITH_SYSTEM_TABLE`.
pub const QUERY_CACHE_USED_WITH_SYSTEM_TABLE: i32 = 719;
/// The server's error 720, `USER_EXPIRED`.
pub const USER_EXPIRED: i32 = 720;
/// The server's error 721, `DEPRECATED_FUNCTION`.
pub const DEPRECATED_FUNCTION: i32 = 721;
/// The server's error 722, `ASYNC_LOAD_WAIT_FAILED`.
pub const ASYNC_LOAD_WAIT_FAILED: i32 = 722;
/// The server's error 723, `PARQUET_EXCEPTION`.
pub const PARQUET_EXCEPTION: i32 = 723;
/// The server's error 724, `TOO_MANY_TABLES`.
pub const TOO_MANY_TABLES: i32 = 724;
/// The server's error 725, `TOO_MANY_DATABASES`.
pub const TOO_MANY_DATABASES: i32 = 725;
/// The server's error 726, `UNEXPECTED_HTTP_HEADERS`.
pub const UNEXPECTED_HTTP_HEADERS: i32 = 726;
/// The server's error 727, `UNEXPECTED_TABLE_ENGINE`.
pub const UNEXPECTED_TABLE_ENGINE: i32 = 727;
/// The server's error 728, `UNEXPECTED_DATA_TYPE`.
pub const UNEXPECTED_DATA_TYPE: i32 = 728;
/// The server's error 729, `ILLEGAL_TIME_SERIES_TAGS`.
pub const ILLEGAL_TIME_SERIES_TAGS: i32 = 729;
/// The server's error 730, `REFRESH_FAILED`.
pub const REFRESH_FAILED: i32 = 730;
/// The server's error 731, `QUERY_CACHE_USED_WITH_NON_THROW_OVERFLOW_MODE`.
pub const QUERY_CACHE_USED_WITH_NON_THROW_OVERFLOW_MODE: i32 = 731;
/// The server's error 733, `TABLE_IS_BEING_RESTARTED`.
pub const TABLE_IS_BEING_RESTARTED: i32 = 733;
/// The server's error 734, `CANNOT_WRITE_AFTER_BUFFER_CANCELED`.
pub const CANNOT_WRITE_AFTER_BUFFER_CANCELED: i32 = 734;
/// The server's error 735, `QUERY_WAS_CANCELLED_BY_CLIENT`.
pub const QUERY_WAS_CANCELLED_BY_CLIENT: i32 = 735;
/// The server's error 736, `DATALAKE_DATABASE_ERROR`.
pub const DATALAKE_DATABASE_ERROR: i32 = 736;
/// The server's error 737, `GOOGLE_CLOUD_ERROR`.
pub const GOOGLE_CLOUD_ERROR: i32 = 737;
/// The server's error 738, `PART_IS_LOCKED`.
pub const PART_IS_LOCKED: i32 = 738;
/// The server's error 739, `BUZZHOUSE`.
pub const BUZZHOUSE: i32 = 739;
/// The server's error 740, `POTENTIALLY_BROKEN_DATA_PART`.
pub const POTENTIALLY_BROKEN_DATA_PART: i32 = 740;
/// The server's error 741, `TABLE_UUID_MISMATCH`.
pub const TABLE_UUID_MISMATCH: i32 = 741;
/// The server's error 742, `DELTA_KERNEL_ERROR`.
pub const DELTA_KERNEL_ERROR: i32 = 742;
/// The server's error 743, `ICEBERG_SPECIFICATION_VIOLATION`.
pub const ICEBERG_SPECIFICATION_VIOLATION: i32 = 743;
/// The server's error 744, `SESSION_ID_EMPTY`.
pub const SESSION_ID_EMPTY: i32 = 744;
/// The server's error 745, `SERVER_OVERLOADED`.
pub const SERVER_OVERLOADED: i32 = 745;
/// The server's error 746, `DEPENDENCIES_NOT_FOUND`.
pub const DEPENDENCIES_NOT_FOUND: i32 = 746;
/// The server's error 747, `FILECACHE_CANNOT_WRITE_THROUGH_CACHE_WITH_CONCURRENT_READS`.
pub const FILECACHE_CANNOT_WRITE_THROUGH_CACHE_WITH_CONCURRENT_READS: i32 = 747;
/// The server's error 748, `AVRO_EXCEPTION`.
pub const AVRO_EXCEPTION: i32 = 748;
/// The server's error 749, `TCP_CONNECTION_LIMIT_REACHED`.
pub const TCP_CONNECTION_LIMIT_REACHED: i32 = 749;
/// The server's error 750, `ARROWFLIGHT_INTERNAL_ERROR`.
pub const ARROWFLIGHT_INTERNAL_ERROR: i32 = 750;
/// The server's error 751, `ARROWFLIGHT_CONNECTION_FAILURE`.
pub const ARROWFLIGHT_CONNECTION_FAILURE: i32 = 751;
/// The server's error 752, `ARROWFLIGHT_FETCH_SCHEMA_ERROR`.
pub const ARROWFLIGHT_FETCH_SCHEMA_ERROR: i32 = 752;
/// The server's error 753, `ARROWFLIGHT_WRITE_ERROR`.
pub const ARROWFLIGHT_WRITE_ERROR: i32 = 753;
/// The server's error 754, `UDF_EXECUTION_FAILED`.
pub const UDF_EXECUTION_FAILED: i32 = 754;
/// The server's error 755, `TOO_LARGE_LIGHTWEIGHT_UPDATES`.
pub const TOO_LARGE_LIGHTWEIGHT_UPDATES: i32 = 755;
/// The server's error 756, `CANNOT_PARSE_PROMQL_QUERY`.
pub const CANNOT_PARSE_PROMQL_QUERY: i32 = 756;
/// The server's error 757, `CANNOT_GET_THREAD_PRIORITY`.
pub const CANNOT_GET_THREAD_PRIORITY: i32 = 757;
/// The server's error 758, `TOO_MANY_NAMED_COLLECTIONS`.
pub const TOO_MANY_NAMED_COLLECTIONS: i32 = 758;
/// The server's error 759, `LICENSING_EXCEPTION`.
pub const LICENSING_EXCEPTION: i32 = 759;
/// The server's error 760, `UNICODE_ERROR`.
pub const UNICODE_ERROR: i32 = 760;
/// The server's error 761, `ACME_ERROR`.
pub const ACME_ERROR: i32 = 761;
/// The server's error 762, `HTTP_CONNECTION_LIMIT_REACHED`.
pub const HTTP_CONNECTION_LIMIT_REACHED: i32 = 762;
/// The server's error 763, `SESSION_REFUSED`.
pub const SESSION_REFUSED: i32 = 763;
/// The server's error 764, `DEDUPLICATION_IS_NOT_POSSIBLE`.
pub const DEDUPLICATION_IS_NOT_POSSIBLE: i32 = 764;
/// The server's error 765, `UNKNOWN_MASKING_POLICY`.
pub const UNKNOWN_MASKING_POLICY: i32 = 765;
/// The server's error 766, `INSTRUMENTATION_ERROR`.
pub const INSTRUMENTATION_ERROR: i32 = 766;
/// The server's error 767, `REQUIRED_SECOND_FACTOR`.
pub const REQUIRED_SECOND_FACTOR: i32 = 767;
/// The server's error 768, `CANNOT_EXECUTE_PROMQL_QUERY`.
pub const CANNOT_EXECUTE_PROMQL_QUERY: i32 = 768;
/// The server's error 769, `NAMED_COLLECTION_IS_USED`.
pub const NAMED_COLLECTION_IS_USED: i32 = 769;
/// The server's error 770, `WASM_ERROR`.
pub const WASM_ERROR: i32 = 770;
/// The server's error 771, `CACHE_CANNOT_WRITE_TO_CACHE_DISK`.
pub const CACHE_CANNOT_WRITE_TO_CACHE_DISK: i32 = 771;
/// The server's error 772, `INCOMPATIBLE_SCHEMA`.
pub const INCOMPATIBLE_SCHEMA: i32 = 772;
/// The server's error 773, `MALFORMED_AI_PROVIDER_RESPONSE`.
pub const MALFORMED_AI_PROVIDER_RESPONSE: i32 = 773;
/// The server's error 774, `TABLE_IS_PERMANENTLY_READ_ONLY`.
pub const TABLE_IS_PERMANENTLY_READ_ONLY: i32 = 774;
/// The server's error 775, `STATELESS_WORKER_DISCOVERY_ERROR`.
pub const STATELESS_WORKER_DISCOVERY_ERROR: i32 = 775;
/// The server's error 776, `RESOURCE_LIMIT_EXCEEDED`.
pub const RESOURCE_LIMIT_EXCEEDED: i32 = 776;
/// The server's error 777, `MEMORY_RESERVATION_KILLED`.
pub const MEMORY_RESERVATION_KILLED: i32 = 777;
/// The server's error 778, `MEMORY_RESERVATION_FAILED`.
pub const MEMORY_RESERVATION_FAILED: i32 = 778;
/// The server's error 779, `UNSUPPORTED_MEDIA_TYPE`.
pub const UNSUPPORTED_MEDIA_TYPE: i32 = 779;
/// The server's error 780, `SW_SERVER_NO_WORKERS_AVAILABLE`.
pub const SW_SERVER_NO_WORKERS_AVAILABLE: i32 = 780;
/// The server's error 781, `AI_PROVIDER_RESPONSE_TRUNCATED`.
pub const AI_PROVIDER_RESPONSE_TRUNCATED: i32 = 781;
/// The server's error 782, `AI_PROVIDER_RESPONSE_INCOMPLETE`.
pub const AI_PROVIDER_RESPONSE_INCOMPLETE: i32 = 782;
/// The server's error 783, `SSH_AGENT_ERROR`.
pub const SSH_AGENT_ERROR: i32 = 783;
/// The server's error 784, `OBJECT_STORAGE_QUEUE_POST_PROCESSING_FAILED`.
pub const OBJECT_STORAGE_QUEUE_POST_PROCESSING_FAILED: i32 = 784;
/// The server's error 800, `PY_EXCEPTION_OCCURED`.
pub const PY_EXCEPTION_OCCURED: i32 = 800;
/// The server's error 801, `PY_OBJECT_NOT_FOUND`.
pub const PY_OBJECT_NOT_FOUND: i32 = 801;
/// The server's error 900, `DISTRIBUTED_CACHE_ERROR`.
pub const DISTRIBUTED_CACHE_ERROR: i32 = 900;
/// The server's error 901, `CANNOT_USE_DISTRIBUTED_CACHE`.
pub const CANNOT_USE_DISTRIBUTED_CACHE: i32 = 901;
/// The server's error 902, `PROTOCOL_VERSION_MISMATCH`.
pub const PROTOCOL_VERSION_MISMATCH: i32 = 902;
/// The server's error 903, `DISTRIBUTED_CACHE_REGISTRY_SHUTDOWN`.
pub const DISTRIBUTED_CACHE_REGISTRY_SHUTDOWN: i32 = 903;
/// The server's error 904, `TOO_MANY_UNAVAILABLE_SHARDS`.
pub const TOO_MANY_UNAVAILABLE_SHARDS: i32 = 904;
/// The server's error 905, `DISTRIBUTED_CACHE_SERVER_IN_BACKOFF`.
pub const DISTRIBUTED_CACHE_SERVER_IN_BACKOFF: i32 = 905;
/// The server's error 906, `AST_FUZZER_ORACLE_MISMATCH`.
pub const AST_FUZZER_ORACLE_MISMATCH: i32 = 906;
/// The server's error 999, `KEEPER_EXCEPTION`.
pub const KEEPER_EXCEPTION: i32 = 999;
/// The server's error 1000, `POCO_EXCEPTION`.
pub const POCO_EXCEPTION: i32 = 1000;
/// The server's error 1001, `STD_EXCEPTION`.
pub const STD_EXCEPTION: i32 = 1001;
/// The server's error 1002, `UNKNOWN_EXCEPTION`.
pub const UNKNOWN_EXCEPTION: i32 = 1002;
/// The server's error 1003, `SSH_EXCEPTION`.
pub const SSH_EXCEPTION: i32 = 1003;
/// The server's error 1004, `STARTUP_SCRIPTS_ERROR`.
pub const STARTUP_SCRIPTS_ERROR: i32 = 1004;
/// The server's error 1005, `STALE_VERSION`.
pub const STALE_VERSION: i32 = 1005;
/// The server's error 1006, `INVALID_CURSOR_LOOKUP`.
pub const INVALID_CURSOR_LOOKUP: i32 = 1006;
/// The server's error 1007, `ILLEGAL_STREAM`.
pub const ILLEGAL_STREAM: i32 = 1007;
/// The server's error 1008, `TEMPORARY_DATA_NOT_IN_CACHE`.
pub const TEMPORARY_DATA_NOT_IN_CACHE: i32 = 1008;
/// The server's error 1009, `S3_OBJECT_CHANGED_DURING_READ`.
pub const S3_OBJECT_CHANGED_DURING_READ: i32 = 1009;
/// The server's error 1010, `UNIQUE_KEY_DENSE_INDEX_UNREADABLE`.
pub const UNIQUE_KEY_DENSE_INDEX_UNREADABLE: i32 = 1010;
/// The server's error 1011, `HANDLER_ALREADY_EXISTS`.
pub const HANDLER_ALREADY_EXISTS: i32 = 1011;
/// The server's error 1012, `HANDLER_DOESNT_EXIST`.
pub const HANDLER_DOESNT_EXIST: i32 = 1012;
/// The server's error 1013, `AMBIGUOUS_HANDLER`.
pub const AMBIGUOUS_HANDLER: i32 = 1013;
/// The server's error 1014, `TRANSACTION_ROLLBACK_PARTIAL_FAILURE`.
pub const TRANSACTION_ROLLBACK_PARTIAL_FAILURE: i32 = 1014;
/// The server's error 1015, `FILE_CHANGED_DURING_READ`.
pub const FILE_CHANGED_DURING_READ: i32 = 1015;
/// The server's error 1016, `TABLE_SIZE_LIMIT_EXCEEDED`.
pub const TABLE_SIZE_LIMIT_EXCEEDED: i32 = 1016;
/// The server's error 1017, `ASYNC_INSERT_FLUSH_TIMEOUT`.
pub const ASYNC_INSERT_FLUSH_TIMEOUT: i32 = 1017;
/// The server's error 1018, `EXCHANGE_PEER_DISCONNECTED`.
pub const EXCHANGE_PEER_DISCONNECTED: i32 = 1018;
/// The server's error 1019, `QUERY_SLOT_ACQUISITION_TIMEOUT`.
pub const QUERY_SLOT_ACQUISITION_TIMEOUT: i32 = 1019;
/// The server's error 1020, `MEMORY_RESERVATION_ACQUISITION_TIMEOUT`.
pub const MEMORY_RESERVATION_ACQUISITION_TIMEOUT: i32 = 1020;

/// The name of an error `code` (e.g. `UNKNOWN_TABLE` for 60), `None` for a code this
/// list does not know.
pub fn name(code: i32) -> Option<&'static str> {
    ALL.binary_search_by_key(&code, |&(c, _)| c)
        .ok()
        .map(|i| ALL[i].1)
}

/// Every code with its name, sorted by code.
#[rustfmt::skip]
pub const ALL: &[(i32, &str)] = &[
    (UNSUPPORTED_METHOD, "UNSUPPORTED_METHOD"),
    (UNSUPPORTED_PARAMETER, "UNSUPPORTED_PARAMETER"),
    (UNEXPECTED_END_OF_FILE, "UNEXPECTED_END_OF_FILE"),
    (EXPECTED_END_OF_FILE, "EXPECTED_END_OF_FILE"),
    (CANNOT_PARSE_TEXT, "CANNOT_PARSE_TEXT"),
    (INCORRECT_NUMBER_OF_COLUMNS, "INCORRECT_NUMBER_OF_COLUMNS"),
    (THERE_IS_NO_COLUMN, "THERE_IS_NO_COLUMN"),
    (SIZES_OF_COLUMNS_DOESNT_MATCH, "SIZES_OF_COLUMNS_DOESNT_MATCH"),
    (NOT_FOUND_COLUMN_IN_BLOCK, "NOT_FOUND_COLUMN_IN_BLOCK"),
    (POSITION_OUT_OF_BOUND, "POSITION_OUT_OF_BOUND"),
    (PARAMETER_OUT_OF_BOUND, "PARAMETER_OUT_OF_BOUND"),
    (SIZES_OF_COLUMNS_IN_TUPLE_DOESNT_MATCH, "SIZES_OF_COLUMNS_IN_TUPLE_DOESNT_MATCH"),
    (DUPLICATE_COLUMN, "DUPLICATE_COLUMN"),
    (NO_SUCH_COLUMN_IN_TABLE, "NO_SUCH_COLUMN_IN_TABLE"),
    (SIZE_OF_FIXED_STRING_DOESNT_MATCH, "SIZE_OF_FIXED_STRING_DOESNT_MATCH"),
    (NUMBER_OF_COLUMNS_DOESNT_MATCH, "NUMBER_OF_COLUMNS_DOESNT_MATCH"),
    (CANNOT_READ_FROM_ISTREAM, "CANNOT_READ_FROM_ISTREAM"),
    (CANNOT_WRITE_TO_OSTREAM, "CANNOT_WRITE_TO_OSTREAM"),
    (CANNOT_PARSE_ESCAPE_SEQUENCE, "CANNOT_PARSE_ESCAPE_SEQUENCE"),
    (CANNOT_PARSE_QUOTED_STRING, "CANNOT_PARSE_QUOTED_STRING"),
    (CANNOT_PARSE_INPUT_ASSERTION_FAILED, "CANNOT_PARSE_INPUT_ASSERTION_FAILED"),
    (CANNOT_PRINT_FLOAT_OR_DOUBLE_NUMBER, "CANNOT_PRINT_FLOAT_OR_DOUBLE_NUMBER"),
    (ATTEMPT_TO_READ_AFTER_EOF, "ATTEMPT_TO_READ_AFTER_EOF"),
    (CANNOT_READ_ALL_DATA, "CANNOT_READ_ALL_DATA"),
    (TOO_MANY_ARGUMENTS_FOR_FUNCTION, "TOO_MANY_ARGUMENTS_FOR_FUNCTION"),
    (TOO_FEW_ARGUMENTS_FOR_FUNCTION, "TOO_FEW_ARGUMENTS_FOR_FUNCTION"),
    (BAD_ARGUMENTS, "BAD_ARGUMENTS"),
    (UNKNOWN_ELEMENT_IN_AST, "UNKNOWN_ELEMENT_IN_AST"),
    (CANNOT_PARSE_DATE, "CANNOT_PARSE_DATE"),
    (TOO_LARGE_SIZE_COMPRESSED, "TOO_LARGE_SIZE_COMPRESSED"),
    (CHECKSUM_DOESNT_MATCH, "CHECKSUM_DOESNT_MATCH"),
    (CANNOT_PARSE_DATETIME, "CANNOT_PARSE_DATETIME"),
    (NUMBER_OF_ARGUMENTS_DOESNT_MATCH, "NUMBER_OF_ARGUMENTS_DOESNT_MATCH"),
    (ILLEGAL_TYPE_OF_ARGUMENT, "ILLEGAL_TYPE_OF_ARGUMENT"),
    (ILLEGAL_COLUMN, "ILLEGAL_COLUMN"),
    (UNKNOWN_FUNCTION, "UNKNOWN_FUNCTION"),
    (UNKNOWN_IDENTIFIER, "UNKNOWN_IDENTIFIER"),
    (NOT_IMPLEMENTED, "NOT_IMPLEMENTED"),
    (LOGICAL_ERROR, "LOGICAL_ERROR"),
    (UNKNOWN_TYPE, "UNKNOWN_TYPE"),
    (EMPTY_LIST_OF_COLUMNS_QUERIED, "EMPTY_LIST_OF_COLUMNS_QUERIED"),
    (COLUMN_QUERIED_MORE_THAN_ONCE, "COLUMN_QUERIED_MORE_THAN_ONCE"),
    (TYPE_MISMATCH, "TYPE_MISMATCH"),
    (STORAGE_REQUIRES_PARAMETER, "STORAGE_REQUIRES_PARAMETER"),
    (UNKNOWN_STORAGE, "UNKNOWN_STORAGE"),
    (TABLE_ALREADY_EXISTS, "TABLE_ALREADY_EXISTS"),
    (TABLE_METADATA_ALREADY_EXISTS, "TABLE_METADATA_ALREADY_EXISTS"),
    (ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER, "ILLEGAL_TYPE_OF_COLUMN_FOR_FILTER"),
    (UNKNOWN_TABLE, "UNKNOWN_TABLE"),
    (SYNTAX_ERROR, "SYNTAX_ERROR"),
    (UNKNOWN_AGGREGATE_FUNCTION, "UNKNOWN_AGGREGATE_FUNCTION"),
    (CANNOT_GET_SIZE_OF_FIELD, "CANNOT_GET_SIZE_OF_FIELD"),
    (ARGUMENT_OUT_OF_BOUND, "ARGUMENT_OUT_OF_BOUND"),
    (CANNOT_CONVERT_TYPE, "CANNOT_CONVERT_TYPE"),
    (CANNOT_WRITE_AFTER_END_OF_BUFFER, "CANNOT_WRITE_AFTER_END_OF_BUFFER"),
    (CANNOT_PARSE_NUMBER, "CANNOT_PARSE_NUMBER"),
    (UNKNOWN_FORMAT, "UNKNOWN_FORMAT"),
    (CANNOT_READ_FROM_FILE_DESCRIPTOR, "CANNOT_READ_FROM_FILE_DESCRIPTOR"),
    (CANNOT_WRITE_TO_FILE_DESCRIPTOR, "CANNOT_WRITE_TO_FILE_DESCRIPTOR"),
    (CANNOT_OPEN_FILE, "CANNOT_OPEN_FILE"),
    (CANNOT_CLOSE_FILE, "CANNOT_CLOSE_FILE"),
    (UNKNOWN_TYPE_OF_QUERY, "UNKNOWN_TYPE_OF_QUERY"),
    (INCORRECT_FILE_NAME, "INCORRECT_FILE_NAME"),
    (INCORRECT_QUERY, "INCORRECT_QUERY"),
    (UNKNOWN_DATABASE, "UNKNOWN_DATABASE"),
    (DATABASE_ALREADY_EXISTS, "DATABASE_ALREADY_EXISTS"),
    (DIRECTORY_DOESNT_EXIST, "DIRECTORY_DOESNT_EXIST"),
    (DIRECTORY_ALREADY_EXISTS, "DIRECTORY_ALREADY_EXISTS"),
    (FORMAT_IS_NOT_SUITABLE_FOR_INPUT, "FORMAT_IS_NOT_SUITABLE_FOR_INPUT"),
    (RECEIVED_ERROR_FROM_REMOTE_IO_SERVER, "RECEIVED_ERROR_FROM_REMOTE_IO_SERVER"),
    (CANNOT_SEEK_THROUGH_FILE, "CANNOT_SEEK_THROUGH_FILE"),
    (CANNOT_TRUNCATE_FILE, "CANNOT_TRUNCATE_FILE"),
    (UNKNOWN_COMPRESSION_METHOD, "UNKNOWN_COMPRESSION_METHOD"),
    (EMPTY_LIST_OF_COLUMNS_PASSED, "EMPTY_LIST_OF_COLUMNS_PASSED"),
    (SIZES_OF_MARKS_FILES_ARE_INCONSISTENT, "SIZES_OF_MARKS_FILES_ARE_INCONSISTENT"),
    (EMPTY_DATA_PASSED, "EMPTY_DATA_PASSED"),
    (UNKNOWN_AGGREGATED_DATA_VARIANT, "UNKNOWN_AGGREGATED_DATA_VARIANT"),
    (CANNOT_MERGE_DIFFERENT_AGGREGATED_DATA_VARIANTS, "CANNOT_MERGE_DIFFERENT_AGGREGATED_DATA_VARIANTS"),
    (CANNOT_READ_FROM_SOCKET, "CANNOT_READ_FROM_SOCKET"),
    (CANNOT_WRITE_TO_SOCKET, "CANNOT_WRITE_TO_SOCKET"),
    (UNKNOWN_PACKET_FROM_CLIENT, "UNKNOWN_PACKET_FROM_CLIENT"),
    (UNKNOWN_PACKET_FROM_SERVER, "UNKNOWN_PACKET_FROM_SERVER"),
    (UNEXPECTED_PACKET_FROM_CLIENT, "UNEXPECTED_PACKET_FROM_CLIENT"),
    (UNEXPECTED_PACKET_FROM_SERVER, "UNEXPECTED_PACKET_FROM_SERVER"),
    (TOO_SMALL_BUFFER_SIZE, "TOO_SMALL_BUFFER_SIZE"),
    (FILE_DOESNT_EXIST, "FILE_DOESNT_EXIST"),
    (NO_DATA_TO_INSERT, "NO_DATA_TO_INSERT"),
    (CANNOT_BLOCK_SIGNAL, "CANNOT_BLOCK_SIGNAL"),
    (CANNOT_UNBLOCK_SIGNAL, "CANNOT_UNBLOCK_SIGNAL"),
    (CANNOT_MANIPULATE_SIGSET, "CANNOT_MANIPULATE_SIGSET"),
    (CANNOT_WAIT_FOR_SIGNAL, "CANNOT_WAIT_FOR_SIGNAL"),
    (THERE_IS_NO_SESSION, "THERE_IS_NO_SESSION"),
    (CANNOT_CLOCK_GETTIME, "CANNOT_CLOCK_GETTIME"),
    (UNKNOWN_SETTING, "UNKNOWN_SETTING"),
    (THERE_IS_NO_DEFAULT_VALUE, "THERE_IS_NO_DEFAULT_VALUE"),
    (INCORRECT_DATA, "INCORRECT_DATA"),
    (ENGINE_REQUIRED, "ENGINE_REQUIRED"),
    (CANNOT_INSERT_VALUE_OF_DIFFERENT_SIZE_INTO_TUPLE, "CANNOT_INSERT_VALUE_OF_DIFFERENT_SIZE_INTO_TUPLE"),
    (UNSUPPORTED_JOIN_KEYS, "UNSUPPORTED_JOIN_KEYS"),
    (INCOMPATIBLE_COLUMNS, "INCOMPATIBLE_COLUMNS"),
    (UNKNOWN_TYPE_OF_AST_NODE, "UNKNOWN_TYPE_OF_AST_NODE"),
    (INCORRECT_ELEMENT_OF_SET, "INCORRECT_ELEMENT_OF_SET"),
    (INCORRECT_RESULT_OF_SCALAR_SUBQUERY, "INCORRECT_RESULT_OF_SCALAR_SUBQUERY"),
    (ILLEGAL_INDEX, "ILLEGAL_INDEX"),
    (TOO_LARGE_ARRAY_SIZE, "TOO_LARGE_ARRAY_SIZE"),
    (FUNCTION_IS_SPECIAL, "FUNCTION_IS_SPECIAL"),
    (CANNOT_READ_ARRAY_FROM_TEXT, "CANNOT_READ_ARRAY_FROM_TEXT"),
    (TOO_LARGE_STRING_SIZE, "TOO_LARGE_STRING_SIZE"),
    (AGGREGATE_FUNCTION_DOESNT_ALLOW_PARAMETERS, "AGGREGATE_FUNCTION_DOESNT_ALLOW_PARAMETERS"),
    (PARAMETERS_TO_AGGREGATE_FUNCTIONS_MUST_BE_LITERALS, "PARAMETERS_TO_AGGREGATE_FUNCTIONS_MUST_BE_LITERALS"),
    (ZERO_ARRAY_OR_TUPLE_INDEX, "ZERO_ARRAY_OR_TUPLE_INDEX"),
    (UNKNOWN_ELEMENT_IN_CONFIG, "UNKNOWN_ELEMENT_IN_CONFIG"),
    (EXCESSIVE_ELEMENT_IN_CONFIG, "EXCESSIVE_ELEMENT_IN_CONFIG"),
    (NO_ELEMENTS_IN_CONFIG, "NO_ELEMENTS_IN_CONFIG"),
    (SAMPLING_NOT_SUPPORTED, "SAMPLING_NOT_SUPPORTED"),
    (NOT_FOUND_NODE, "NOT_FOUND_NODE"),
    (UNKNOWN_OVERFLOW_MODE, "UNKNOWN_OVERFLOW_MODE"),
    (UNKNOWN_DIRECTION_OF_SORTING, "UNKNOWN_DIRECTION_OF_SORTING"),
    (ILLEGAL_DIVISION, "ILLEGAL_DIVISION"),
    (DICTIONARIES_WAS_NOT_LOADED, "DICTIONARIES_WAS_NOT_LOADED"),
    (TOO_MANY_ROWS, "TOO_MANY_ROWS"),
    (TIMEOUT_EXCEEDED, "TIMEOUT_EXCEEDED"),
    (TOO_SLOW, "TOO_SLOW"),
    (TOO_MANY_COLUMNS, "TOO_MANY_COLUMNS"),
    (TOO_DEEP_SUBQUERIES, "TOO_DEEP_SUBQUERIES"),
    (READONLY, "READONLY"),
    (TOO_MANY_TEMPORARY_COLUMNS, "TOO_MANY_TEMPORARY_COLUMNS"),
    (TOO_MANY_TEMPORARY_NON_CONST_COLUMNS, "TOO_MANY_TEMPORARY_NON_CONST_COLUMNS"),
    (TOO_DEEP_AST, "TOO_DEEP_AST"),
    (TOO_BIG_AST, "TOO_BIG_AST"),
    (BAD_TYPE_OF_FIELD, "BAD_TYPE_OF_FIELD"),
    (BAD_GET, "BAD_GET"),
    (CANNOT_CREATE_DIRECTORY, "CANNOT_CREATE_DIRECTORY"),
    (CANNOT_ALLOCATE_MEMORY, "CANNOT_ALLOCATE_MEMORY"),
    (CYCLIC_ALIASES, "CYCLIC_ALIASES"),
    (MULTIPLE_EXPRESSIONS_FOR_ALIAS, "MULTIPLE_EXPRESSIONS_FOR_ALIAS"),
    (THERE_IS_NO_PROFILE, "THERE_IS_NO_PROFILE"),
    (ILLEGAL_FINAL, "ILLEGAL_FINAL"),
    (ILLEGAL_PREWHERE, "ILLEGAL_PREWHERE"),
    (UNEXPECTED_EXPRESSION, "UNEXPECTED_EXPRESSION"),
    (ILLEGAL_AGGREGATION, "ILLEGAL_AGGREGATION"),
    (UNSUPPORTED_COLLATION_LOCALE, "UNSUPPORTED_COLLATION_LOCALE"),
    (COLLATION_COMPARISON_FAILED, "COLLATION_COMPARISON_FAILED"),
    (SIZES_OF_ARRAYS_DONT_MATCH, "SIZES_OF_ARRAYS_DONT_MATCH"),
    (SET_SIZE_LIMIT_EXCEEDED, "SET_SIZE_LIMIT_EXCEEDED"),
    (UNKNOWN_USER, "UNKNOWN_USER"),
    (WRONG_PASSWORD, "WRONG_PASSWORD"),
    (REQUIRED_PASSWORD, "REQUIRED_PASSWORD"),
    (IP_ADDRESS_NOT_ALLOWED, "IP_ADDRESS_NOT_ALLOWED"),
    (UNKNOWN_ADDRESS_PATTERN_TYPE, "UNKNOWN_ADDRESS_PATTERN_TYPE"),
    (DNS_ERROR, "DNS_ERROR"),
    (UNKNOWN_QUOTA, "UNKNOWN_QUOTA"),
    (QUOTA_EXCEEDED, "QUOTA_EXCEEDED"),
    (TOO_MANY_SIMULTANEOUS_QUERIES, "TOO_MANY_SIMULTANEOUS_QUERIES"),
    (NO_FREE_CONNECTION, "NO_FREE_CONNECTION"),
    (CANNOT_FSYNC, "CANNOT_FSYNC"),
    (ALIAS_REQUIRED, "ALIAS_REQUIRED"),
    (AMBIGUOUS_IDENTIFIER, "AMBIGUOUS_IDENTIFIER"),
    (EMPTY_NESTED_TABLE, "EMPTY_NESTED_TABLE"),
    (SOCKET_TIMEOUT, "SOCKET_TIMEOUT"),
    (NETWORK_ERROR, "NETWORK_ERROR"),
    (EMPTY_QUERY, "EMPTY_QUERY"),
    (UNKNOWN_LOAD_BALANCING, "UNKNOWN_LOAD_BALANCING"),
    (UNKNOWN_TOTALS_MODE, "UNKNOWN_TOTALS_MODE"),
    (CANNOT_STATVFS, "CANNOT_STATVFS"),
    (NOT_AN_AGGREGATE, "NOT_AN_AGGREGATE"),
    (QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING, "QUERY_WITH_SAME_ID_IS_ALREADY_RUNNING"),
    (CLIENT_HAS_CONNECTED_TO_WRONG_PORT, "CLIENT_HAS_CONNECTED_TO_WRONG_PORT"),
    (TABLE_IS_DROPPED, "TABLE_IS_DROPPED"),
    (DATABASE_NOT_EMPTY, "DATABASE_NOT_EMPTY"),
    (DUPLICATE_INTERSERVER_IO_ENDPOINT, "DUPLICATE_INTERSERVER_IO_ENDPOINT"),
    (NO_SUCH_INTERSERVER_IO_ENDPOINT, "NO_SUCH_INTERSERVER_IO_ENDPOINT"),
    (UNEXPECTED_AST_STRUCTURE, "UNEXPECTED_AST_STRUCTURE"),
    (REPLICA_IS_ALREADY_ACTIVE, "REPLICA_IS_ALREADY_ACTIVE"),
    (NO_ZOOKEEPER, "NO_ZOOKEEPER"),
    (NO_FILE_IN_DATA_PART, "NO_FILE_IN_DATA_PART"),
    (UNEXPECTED_FILE_IN_DATA_PART, "UNEXPECTED_FILE_IN_DATA_PART"),
    (BAD_SIZE_OF_FILE_IN_DATA_PART, "BAD_SIZE_OF_FILE_IN_DATA_PART"),
    (QUERY_IS_TOO_LARGE, "QUERY_IS_TOO_LARGE"),
    (NOT_FOUND_EXPECTED_DATA_PART, "NOT_FOUND_EXPECTED_DATA_PART"),
    (TOO_MANY_UNEXPECTED_DATA_PARTS, "TOO_MANY_UNEXPECTED_DATA_PARTS"),
    (NO_SUCH_DATA_PART, "NO_SUCH_DATA_PART"),
    (BAD_DATA_PART_NAME, "BAD_DATA_PART_NAME"),
    (NO_REPLICA_HAS_PART, "NO_REPLICA_HAS_PART"),
    (DUPLICATE_DATA_PART, "DUPLICATE_DATA_PART"),
    (ABORTED, "ABORTED"),
    (NO_REPLICA_NAME_GIVEN, "NO_REPLICA_NAME_GIVEN"),
    (FORMAT_VERSION_TOO_OLD, "FORMAT_VERSION_TOO_OLD"),
    (CANNOT_MUNMAP, "CANNOT_MUNMAP"),
    (CANNOT_MREMAP, "CANNOT_MREMAP"),
    (MEMORY_LIMIT_EXCEEDED, "MEMORY_LIMIT_EXCEEDED"),
    (TABLE_IS_READ_ONLY, "TABLE_IS_READ_ONLY"),
    (NOT_ENOUGH_SPACE, "NOT_ENOUGH_SPACE"),
    (UNEXPECTED_ZOOKEEPER_ERROR, "UNEXPECTED_ZOOKEEPER_ERROR"),
    (CORRUPTED_DATA, "CORRUPTED_DATA"),
    (INVALID_PARTITION_VALUE, "INVALID_PARTITION_VALUE"),
    (NO_SUCH_REPLICA, "NO_SUCH_REPLICA"),
    (TOO_MANY_PARTS, "TOO_MANY_PARTS"),
    (REPLICA_ALREADY_EXISTS, "REPLICA_ALREADY_EXISTS"),
    (NO_ACTIVE_REPLICAS, "NO_ACTIVE_REPLICAS"),
    (TOO_MANY_RETRIES_TO_FETCH_PARTS, "TOO_MANY_RETRIES_TO_FETCH_PARTS"),
    (PARTITION_ALREADY_EXISTS, "PARTITION_ALREADY_EXISTS"),
    (PARTITION_DOESNT_EXIST, "PARTITION_DOESNT_EXIST"),
    (UNION_ALL_RESULT_STRUCTURES_MISMATCH, "UNION_ALL_RESULT_STRUCTURES_MISMATCH"),
    (CLIENT_OUTPUT_FORMAT_SPECIFIED, "CLIENT_OUTPUT_FORMAT_SPECIFIED"),
    (UNKNOWN_BLOCK_INFO_FIELD, "UNKNOWN_BLOCK_INFO_FIELD"),
    (BAD_COLLATION, "BAD_COLLATION"),
    (CANNOT_COMPILE_CODE, "CANNOT_COMPILE_CODE"),
    (INCOMPATIBLE_TYPE_OF_JOIN, "INCOMPATIBLE_TYPE_OF_JOIN"),
    (NO_AVAILABLE_REPLICA, "NO_AVAILABLE_REPLICA"),
    (MISMATCH_REPLICAS_DATA_SOURCES, "MISMATCH_REPLICAS_DATA_SOURCES"),
    (INFINITE_LOOP, "INFINITE_LOOP"),
    (CANNOT_COMPRESS, "CANNOT_COMPRESS"),
    (CANNOT_DECOMPRESS, "CANNOT_DECOMPRESS"),
    (CANNOT_IO_SUBMIT, "CANNOT_IO_SUBMIT"),
    (CANNOT_IO_GETEVENTS, "CANNOT_IO_GETEVENTS"),
    (AIO_READ_ERROR, "AIO_READ_ERROR"),
    (AIO_WRITE_ERROR, "AIO_WRITE_ERROR"),
    (INDEX_NOT_USED, "INDEX_NOT_USED"),
    (ALL_CONNECTION_TRIES_FAILED, "ALL_CONNECTION_TRIES_FAILED"),
    (NO_AVAILABLE_DATA, "NO_AVAILABLE_DATA"),
    (DICTIONARY_IS_EMPTY, "DICTIONARY_IS_EMPTY"),
    (INCORRECT_INDEX, "INCORRECT_INDEX"),
    (UNKNOWN_DISTRIBUTED_PRODUCT_MODE, "UNKNOWN_DISTRIBUTED_PRODUCT_MODE"),
    (WRONG_GLOBAL_SUBQUERY, "WRONG_GLOBAL_SUBQUERY"),
    (TOO_FEW_LIVE_REPLICAS, "TOO_FEW_LIVE_REPLICAS"),
    (UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE, "UNSATISFIED_QUORUM_FOR_PREVIOUS_WRITE"),
    (UNKNOWN_FORMAT_VERSION, "UNKNOWN_FORMAT_VERSION"),
    (DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED, "DISTRIBUTED_IN_JOIN_SUBQUERY_DENIED"),
    (REPLICA_IS_NOT_IN_QUORUM, "REPLICA_IS_NOT_IN_QUORUM"),
    (LIMIT_EXCEEDED, "LIMIT_EXCEEDED"),
    (DATABASE_ACCESS_DENIED, "DATABASE_ACCESS_DENIED"),
    (MONGODB_CANNOT_AUTHENTICATE, "MONGODB_CANNOT_AUTHENTICATE"),
    (CANNOT_WRITE_TO_FILE, "CANNOT_WRITE_TO_FILE"),
    (RECEIVED_EMPTY_DATA, "RECEIVED_EMPTY_DATA"),
    (SHARD_HAS_NO_CONNECTIONS, "SHARD_HAS_NO_CONNECTIONS"),
    (CANNOT_PIPE, "CANNOT_PIPE"),
    (CANNOT_FORK, "CANNOT_FORK"),
    (CANNOT_DLSYM, "CANNOT_DLSYM"),
    (CANNOT_CREATE_CHILD_PROCESS, "CANNOT_CREATE_CHILD_PROCESS"),
    (CHILD_WAS_NOT_EXITED_NORMALLY, "CHILD_WAS_NOT_EXITED_NORMALLY"),
    (CANNOT_SELECT, "CANNOT_SELECT"),
    (CANNOT_WAITPID, "CANNOT_WAITPID"),
    (TABLE_WAS_NOT_DROPPED, "TABLE_WAS_NOT_DROPPED"),
    (TOO_DEEP_RECURSION, "TOO_DEEP_RECURSION"),
    (TOO_MANY_BYTES, "TOO_MANY_BYTES"),
    (UNEXPECTED_NODE_IN_ZOOKEEPER, "UNEXPECTED_NODE_IN_ZOOKEEPER"),
    (FUNCTION_CANNOT_HAVE_PARAMETERS, "FUNCTION_CANNOT_HAVE_PARAMETERS"),
    (INVALID_CONFIG_PARAMETER, "INVALID_CONFIG_PARAMETER"),
    (UNKNOWN_STATUS_OF_INSERT, "UNKNOWN_STATUS_OF_INSERT"),
    (VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE, "VALUE_IS_OUT_OF_RANGE_OF_DATA_TYPE"),
    (UNKNOWN_DATABASE_ENGINE, "UNKNOWN_DATABASE_ENGINE"),
    (UNFINISHED, "UNFINISHED"),
    (METADATA_MISMATCH, "METADATA_MISMATCH"),
    (SUPPORT_IS_DISABLED, "SUPPORT_IS_DISABLED"),
    (TABLE_DIFFERS_TOO_MUCH, "TABLE_DIFFERS_TOO_MUCH"),
    (CANNOT_CONVERT_CHARSET, "CANNOT_CONVERT_CHARSET"),
    (CANNOT_LOAD_CONFIG, "CANNOT_LOAD_CONFIG"),
    (CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN, "CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN"),
    (AMBIGUOUS_COLUMN_NAME, "AMBIGUOUS_COLUMN_NAME"),
    (INDEX_OF_POSITIONAL_ARGUMENT_IS_OUT_OF_RANGE, "INDEX_OF_POSITIONAL_ARGUMENT_IS_OUT_OF_RANGE"),
    (ZLIB_INFLATE_FAILED, "ZLIB_INFLATE_FAILED"),
    (ZLIB_DEFLATE_FAILED, "ZLIB_DEFLATE_FAILED"),
    (INTO_OUTFILE_NOT_ALLOWED, "INTO_OUTFILE_NOT_ALLOWED"),
    (TABLE_SIZE_EXCEEDS_MAX_DROP_SIZE_LIMIT, "TABLE_SIZE_EXCEEDS_MAX_DROP_SIZE_LIMIT"),
    (CANNOT_CREATE_CHARSET_CONVERTER, "CANNOT_CREATE_CHARSET_CONVERTER"),
    (SEEK_POSITION_OUT_OF_BOUND, "SEEK_POSITION_OUT_OF_BOUND"),
    (CURRENT_WRITE_BUFFER_IS_EXHAUSTED, "CURRENT_WRITE_BUFFER_IS_EXHAUSTED"),
    (CANNOT_CREATE_IO_BUFFER, "CANNOT_CREATE_IO_BUFFER"),
    (RECEIVED_ERROR_TOO_MANY_REQUESTS, "RECEIVED_ERROR_TOO_MANY_REQUESTS"),
    (SIZES_OF_NESTED_COLUMNS_ARE_INCONSISTENT, "SIZES_OF_NESTED_COLUMNS_ARE_INCONSISTENT"),
    (ALL_REPLICAS_ARE_STALE, "ALL_REPLICAS_ARE_STALE"),
    (DATA_TYPE_CANNOT_BE_USED_IN_TABLES, "DATA_TYPE_CANNOT_BE_USED_IN_TABLES"),
    (INCONSISTENT_CLUSTER_DEFINITION, "INCONSISTENT_CLUSTER_DEFINITION"),
    (SESSION_NOT_FOUND, "SESSION_NOT_FOUND"),
    (SESSION_IS_LOCKED, "SESSION_IS_LOCKED"),
    (INVALID_SESSION_TIMEOUT, "INVALID_SESSION_TIMEOUT"),
    (CANNOT_DLOPEN, "CANNOT_DLOPEN"),
    (CANNOT_PARSE_UUID, "CANNOT_PARSE_UUID"),
    (ILLEGAL_SYNTAX_FOR_DATA_TYPE, "ILLEGAL_SYNTAX_FOR_DATA_TYPE"),
    (DATA_TYPE_CANNOT_HAVE_ARGUMENTS, "DATA_TYPE_CANNOT_HAVE_ARGUMENTS"),
    (CANNOT_KILL, "CANNOT_KILL"),
    (HTTP_LENGTH_REQUIRED, "HTTP_LENGTH_REQUIRED"),
    (CANNOT_LOAD_CATBOOST_MODEL, "CANNOT_LOAD_CATBOOST_MODEL"),
    (CANNOT_APPLY_CATBOOST_MODEL, "CANNOT_APPLY_CATBOOST_MODEL"),
    (PART_IS_TEMPORARILY_LOCKED, "PART_IS_TEMPORARILY_LOCKED"),
    (MULTIPLE_STREAMS_REQUIRED, "MULTIPLE_STREAMS_REQUIRED"),
    (NO_COMMON_TYPE, "NO_COMMON_TYPE"),
    (DICTIONARY_ALREADY_EXISTS, "DICTIONARY_ALREADY_EXISTS"),
    (CANNOT_ASSIGN_OPTIMIZE, "CANNOT_ASSIGN_OPTIMIZE"),
    (INSERT_WAS_DEDUPLICATED, "INSERT_WAS_DEDUPLICATED"),
    (CANNOT_GET_CREATE_TABLE_QUERY, "CANNOT_GET_CREATE_TABLE_QUERY"),
    (EXTERNAL_LIBRARY_ERROR, "EXTERNAL_LIBRARY_ERROR"),
    (QUERY_IS_PROHIBITED, "QUERY_IS_PROHIBITED"),
    (THERE_IS_NO_QUERY, "THERE_IS_NO_QUERY"),
    (QUERY_WAS_CANCELLED, "QUERY_WAS_CANCELLED"),
    (FUNCTION_THROW_IF_VALUE_IS_NON_ZERO, "FUNCTION_THROW_IF_VALUE_IS_NON_ZERO"),
    (TOO_MANY_ROWS_OR_BYTES, "TOO_MANY_ROWS_OR_BYTES"),
    (QUERY_IS_NOT_SUPPORTED_IN_MATERIALIZED_VIEW, "QUERY_IS_NOT_SUPPORTED_IN_MATERIALIZED_VIEW"),
    (UNKNOWN_MUTATION_COMMAND, "UNKNOWN_MUTATION_COMMAND"),
    (FORMAT_IS_NOT_SUITABLE_FOR_OUTPUT, "FORMAT_IS_NOT_SUITABLE_FOR_OUTPUT"),
    (CANNOT_STAT, "CANNOT_STAT"),
    (FEATURE_IS_NOT_ENABLED_AT_BUILD_TIME, "FEATURE_IS_NOT_ENABLED_AT_BUILD_TIME"),
    (CANNOT_IOSETUP, "CANNOT_IOSETUP"),
    (INVALID_JOIN_ON_EXPRESSION, "INVALID_JOIN_ON_EXPRESSION"),
    (BAD_ODBC_CONNECTION_STRING, "BAD_ODBC_CONNECTION_STRING"),
    (TOP_AND_LIMIT_TOGETHER, "TOP_AND_LIMIT_TOGETHER"),
    (DECIMAL_OVERFLOW, "DECIMAL_OVERFLOW"),
    (BAD_REQUEST_PARAMETER, "BAD_REQUEST_PARAMETER"),
    (EXTERNAL_SERVER_IS_NOT_RESPONDING, "EXTERNAL_SERVER_IS_NOT_RESPONDING"),
    (PTHREAD_ERROR, "PTHREAD_ERROR"),
    (NETLINK_ERROR, "NETLINK_ERROR"),
    (CANNOT_SET_SIGNAL_HANDLER, "CANNOT_SET_SIGNAL_HANDLER"),
    (ALL_REPLICAS_LOST, "ALL_REPLICAS_LOST"),
    (REPLICA_STATUS_CHANGED, "REPLICA_STATUS_CHANGED"),
    (EXPECTED_ALL_OR_ANY, "EXPECTED_ALL_OR_ANY"),
    (UNKNOWN_JOIN, "UNKNOWN_JOIN"),
    (MULTIPLE_ASSIGNMENTS_TO_COLUMN, "MULTIPLE_ASSIGNMENTS_TO_COLUMN"),
    (CANNOT_UPDATE_COLUMN, "CANNOT_UPDATE_COLUMN"),
    (CANNOT_ADD_DIFFERENT_AGGREGATE_STATES, "CANNOT_ADD_DIFFERENT_AGGREGATE_STATES"),
    (UNSUPPORTED_URI_SCHEME, "UNSUPPORTED_URI_SCHEME"),
    (CANNOT_GETTIMEOFDAY, "CANNOT_GETTIMEOFDAY"),
    (CANNOT_LINK, "CANNOT_LINK"),
    (SYSTEM_ERROR, "SYSTEM_ERROR"),
    (CANNOT_COMPILE_REGEXP, "CANNOT_COMPILE_REGEXP"),
    (FAILED_TO_GETPWUID, "FAILED_TO_GETPWUID"),
    (MISMATCHING_USERS_FOR_PROCESS_AND_DATA, "MISMATCHING_USERS_FOR_PROCESS_AND_DATA"),
    (ILLEGAL_SYNTAX_FOR_CODEC_TYPE, "ILLEGAL_SYNTAX_FOR_CODEC_TYPE"),
    (UNKNOWN_CODEC, "UNKNOWN_CODEC"),
    (ILLEGAL_CODEC_PARAMETER, "ILLEGAL_CODEC_PARAMETER"),
    (CANNOT_PARSE_PROTOBUF_SCHEMA, "CANNOT_PARSE_PROTOBUF_SCHEMA"),
    (NO_COLUMN_SERIALIZED_TO_REQUIRED_PROTOBUF_FIELD, "NO_COLUMN_SERIALIZED_TO_REQUIRED_PROTOBUF_FIELD"),
    (PROTOBUF_BAD_CAST, "PROTOBUF_BAD_CAST"),
    (PROTOBUF_FIELD_NOT_REPEATED, "PROTOBUF_FIELD_NOT_REPEATED"),
    (DATA_TYPE_CANNOT_BE_PROMOTED, "DATA_TYPE_CANNOT_BE_PROMOTED"),
    (CANNOT_SCHEDULE_TASK, "CANNOT_SCHEDULE_TASK"),
    (INVALID_LIMIT_EXPRESSION, "INVALID_LIMIT_EXPRESSION"),
    (CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING, "CANNOT_PARSE_DOMAIN_VALUE_FROM_STRING"),
    (BAD_DATABASE_FOR_TEMPORARY_TABLE, "BAD_DATABASE_FOR_TEMPORARY_TABLE"),
    (NO_COLUMNS_SERIALIZED_TO_PROTOBUF_FIELDS, "NO_COLUMNS_SERIALIZED_TO_PROTOBUF_FIELDS"),
    (UNKNOWN_PROTOBUF_FORMAT, "UNKNOWN_PROTOBUF_FORMAT"),
    (CANNOT_MPROTECT, "CANNOT_MPROTECT"),
    (FUNCTION_NOT_ALLOWED, "FUNCTION_NOT_ALLOWED"),
    (HYPERSCAN_CANNOT_SCAN_TEXT, "HYPERSCAN_CANNOT_SCAN_TEXT"),
    (BROTLI_READ_FAILED, "BROTLI_READ_FAILED"),
    (BROTLI_WRITE_FAILED, "BROTLI_WRITE_FAILED"),
    (BAD_TTL_EXPRESSION, "BAD_TTL_EXPRESSION"),
    (BAD_TTL_FILE, "BAD_TTL_FILE"),
    (SETTING_CONSTRAINT_VIOLATION, "SETTING_CONSTRAINT_VIOLATION"),
    (MYSQL_CLIENT_INSUFFICIENT_CAPABILITIES, "MYSQL_CLIENT_INSUFFICIENT_CAPABILITIES"),
    (OPENSSL_ERROR, "OPENSSL_ERROR"),
    (SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY, "SUSPICIOUS_TYPE_FOR_LOW_CARDINALITY"),
    (UNKNOWN_QUERY_PARAMETER, "UNKNOWN_QUERY_PARAMETER"),
    (BAD_QUERY_PARAMETER, "BAD_QUERY_PARAMETER"),
    (CANNOT_UNLINK, "CANNOT_UNLINK"),
    (CANNOT_SET_THREAD_PRIORITY, "CANNOT_SET_THREAD_PRIORITY"),
    (CANNOT_CREATE_TIMER, "CANNOT_CREATE_TIMER"),
    (CANNOT_SET_TIMER_PERIOD, "CANNOT_SET_TIMER_PERIOD"),
    (CANNOT_FCNTL, "CANNOT_FCNTL"),
    (CANNOT_PARSE_ELF, "CANNOT_PARSE_ELF"),
    (CANNOT_PARSE_DWARF, "CANNOT_PARSE_DWARF"),
    (INSECURE_PATH, "INSECURE_PATH"),
    (CANNOT_PARSE_BOOL, "CANNOT_PARSE_BOOL"),
    (CANNOT_PTHREAD_ATTR, "CANNOT_PTHREAD_ATTR"),
    (VIOLATED_CONSTRAINT, "VIOLATED_CONSTRAINT"),
    (INVALID_SETTING_VALUE, "INVALID_SETTING_VALUE"),
    (READONLY_SETTING, "READONLY_SETTING"),
    (DEADLOCK_AVOIDED, "DEADLOCK_AVOIDED"),
    (INVALID_TEMPLATE_FORMAT, "INVALID_TEMPLATE_FORMAT"),
    (INVALID_WITH_FILL_EXPRESSION, "INVALID_WITH_FILL_EXPRESSION"),
    (WITH_TIES_WITHOUT_ORDER_BY, "WITH_TIES_WITHOUT_ORDER_BY"),
    (INVALID_USAGE_OF_INPUT, "INVALID_USAGE_OF_INPUT"),
    (UNKNOWN_POLICY, "UNKNOWN_POLICY"),
    (UNKNOWN_DISK, "UNKNOWN_DISK"),
    (UNKNOWN_PROTOCOL, "UNKNOWN_PROTOCOL"),
    (PATH_ACCESS_DENIED, "PATH_ACCESS_DENIED"),
    (DICTIONARY_ACCESS_DENIED, "DICTIONARY_ACCESS_DENIED"),
    (TOO_MANY_REDIRECTS, "TOO_MANY_REDIRECTS"),
    (INTERNAL_REDIS_ERROR, "INTERNAL_REDIS_ERROR"),
    (CANNOT_GET_CREATE_DICTIONARY_QUERY, "CANNOT_GET_CREATE_DICTIONARY_QUERY"),
    (INCORRECT_DICTIONARY_DEFINITION, "INCORRECT_DICTIONARY_DEFINITION"),
    (CANNOT_FORMAT_DATETIME, "CANNOT_FORMAT_DATETIME"),
    (UNACCEPTABLE_URL, "UNACCEPTABLE_URL"),
    (ACCESS_ENTITY_NOT_FOUND, "ACCESS_ENTITY_NOT_FOUND"),
    (ACCESS_ENTITY_ALREADY_EXISTS, "ACCESS_ENTITY_ALREADY_EXISTS"),
    (ACCESS_STORAGE_READONLY, "ACCESS_STORAGE_READONLY"),
    (QUOTA_REQUIRES_CLIENT_KEY, "QUOTA_REQUIRES_CLIENT_KEY"),
    (ACCESS_DENIED, "ACCESS_DENIED"),
    (LIMIT_BY_WITH_TIES_IS_NOT_SUPPORTED, "LIMIT_BY_WITH_TIES_IS_NOT_SUPPORTED"),
    (S3_ERROR, "S3_ERROR"),
    (AZURE_BLOB_STORAGE_ERROR, "AZURE_BLOB_STORAGE_ERROR"),
    (CANNOT_CREATE_DATABASE, "CANNOT_CREATE_DATABASE"),
    (CANNOT_SIGQUEUE, "CANNOT_SIGQUEUE"),
    (AGGREGATE_FUNCTION_THROW, "AGGREGATE_FUNCTION_THROW"),
    (FILE_ALREADY_EXISTS, "FILE_ALREADY_EXISTS"),
    (UNABLE_TO_SKIP_UNUSED_SHARDS, "UNABLE_TO_SKIP_UNUSED_SHARDS"),
    (UNKNOWN_ACCESS_TYPE, "UNKNOWN_ACCESS_TYPE"),
    (INVALID_GRANT, "INVALID_GRANT"),
    (CACHE_DICTIONARY_UPDATE_FAIL, "CACHE_DICTIONARY_UPDATE_FAIL"),
    (UNKNOWN_ROLE, "UNKNOWN_ROLE"),
    (SET_NON_GRANTED_ROLE, "SET_NON_GRANTED_ROLE"),
    (UNKNOWN_PART_TYPE, "UNKNOWN_PART_TYPE"),
    (ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND, "ACCESS_STORAGE_FOR_INSERTION_NOT_FOUND"),
    (INCORRECT_ACCESS_ENTITY_DEFINITION, "INCORRECT_ACCESS_ENTITY_DEFINITION"),
    (AUTHENTICATION_FAILED, "AUTHENTICATION_FAILED"),
    (CANNOT_ASSIGN_ALTER, "CANNOT_ASSIGN_ALTER"),
    (CANNOT_COMMIT_OFFSET, "CANNOT_COMMIT_OFFSET"),
    (NO_REMOTE_SHARD_AVAILABLE, "NO_REMOTE_SHARD_AVAILABLE"),
    (CANNOT_DETACH_DICTIONARY_AS_TABLE, "CANNOT_DETACH_DICTIONARY_AS_TABLE"),
    (ATOMIC_RENAME_FAIL, "ATOMIC_RENAME_FAIL"),
    (UNKNOWN_ROW_POLICY, "UNKNOWN_ROW_POLICY"),
    (ALTER_OF_COLUMN_IS_FORBIDDEN, "ALTER_OF_COLUMN_IS_FORBIDDEN"),
    (INCORRECT_DISK_INDEX, "INCORRECT_DISK_INDEX"),
    (NO_SUITABLE_FUNCTION_IMPLEMENTATION, "NO_SUITABLE_FUNCTION_IMPLEMENTATION"),
    (CASSANDRA_INTERNAL_ERROR, "CASSANDRA_INTERNAL_ERROR"),
    (NOT_A_LEADER, "NOT_A_LEADER"),
    (CANNOT_CONNECT_RABBITMQ, "CANNOT_CONNECT_RABBITMQ"),
    (CANNOT_FSTAT, "CANNOT_FSTAT"),
    (LDAP_ERROR, "LDAP_ERROR"),
    (UNKNOWN_RAID_TYPE, "UNKNOWN_RAID_TYPE"),
    (CANNOT_RESTORE_FROM_FIELD_DUMP, "CANNOT_RESTORE_FROM_FIELD_DUMP"),
    (ILLEGAL_MYSQL_VARIABLE, "ILLEGAL_MYSQL_VARIABLE"),
    (MYSQL_SYNTAX_ERROR, "MYSQL_SYNTAX_ERROR"),
    (CANNOT_BIND_RABBITMQ_EXCHANGE, "CANNOT_BIND_RABBITMQ_EXCHANGE"),
    (CANNOT_DECLARE_RABBITMQ_EXCHANGE, "CANNOT_DECLARE_RABBITMQ_EXCHANGE"),
    (CANNOT_CREATE_RABBITMQ_QUEUE_BINDING, "CANNOT_CREATE_RABBITMQ_QUEUE_BINDING"),
    (CANNOT_REMOVE_RABBITMQ_EXCHANGE, "CANNOT_REMOVE_RABBITMQ_EXCHANGE"),
    (UNKNOWN_MYSQL_DATATYPES_SUPPORT_LEVEL, "UNKNOWN_MYSQL_DATATYPES_SUPPORT_LEVEL"),
    (ROW_AND_ROWS_TOGETHER, "ROW_AND_ROWS_TOGETHER"),
    (FIRST_AND_NEXT_TOGETHER, "FIRST_AND_NEXT_TOGETHER"),
    (NO_ROW_DELIMITER, "NO_ROW_DELIMITER"),
    (INVALID_RAID_TYPE, "INVALID_RAID_TYPE"),
    (UNKNOWN_VOLUME, "UNKNOWN_VOLUME"),
    (DATA_TYPE_CANNOT_BE_USED_IN_KEY, "DATA_TYPE_CANNOT_BE_USED_IN_KEY"),
    (UNRECOGNIZED_ARGUMENTS, "UNRECOGNIZED_ARGUMENTS"),
    (LZMA_STREAM_ENCODER_FAILED, "LZMA_STREAM_ENCODER_FAILED"),
    (LZMA_STREAM_DECODER_FAILED, "LZMA_STREAM_DECODER_FAILED"),
    (ROCKSDB_ERROR, "ROCKSDB_ERROR"),
    (SYNC_MYSQL_USER_ACCESS_ERROR, "SYNC_MYSQL_USER_ACCESS_ERROR"),
    (UNKNOWN_UNION, "UNKNOWN_UNION"),
    (EXPECTED_ALL_OR_DISTINCT, "EXPECTED_ALL_OR_DISTINCT"),
    (INVALID_GRPC_QUERY_INFO, "INVALID_GRPC_QUERY_INFO"),
    (ZSTD_ENCODER_FAILED, "ZSTD_ENCODER_FAILED"),
    (ZSTD_DECODER_FAILED, "ZSTD_DECODER_FAILED"),
    (TLD_LIST_NOT_FOUND, "TLD_LIST_NOT_FOUND"),
    (CANNOT_READ_MAP_FROM_TEXT, "CANNOT_READ_MAP_FROM_TEXT"),
    (INTERSERVER_SCHEME_DOESNT_MATCH, "INTERSERVER_SCHEME_DOESNT_MATCH"),
    (TOO_MANY_PARTITIONS, "TOO_MANY_PARTITIONS"),
    (CANNOT_RMDIR, "CANNOT_RMDIR"),
    (DUPLICATED_PART_UUIDS, "DUPLICATED_PART_UUIDS"),
    (RAFT_ERROR, "RAFT_ERROR"),
    (MULTIPLE_COLUMNS_SERIALIZED_TO_SAME_PROTOBUF_FIELD, "MULTIPLE_COLUMNS_SERIALIZED_TO_SAME_PROTOBUF_FIELD"),
    (DATA_TYPE_INCOMPATIBLE_WITH_PROTOBUF_FIELD, "DATA_TYPE_INCOMPATIBLE_WITH_PROTOBUF_FIELD"),
    (DATABASE_REPLICATION_FAILED, "DATABASE_REPLICATION_FAILED"),
    (TOO_MANY_QUERY_PLAN_OPTIMIZATIONS, "TOO_MANY_QUERY_PLAN_OPTIMIZATIONS"),
    (EPOLL_ERROR, "EPOLL_ERROR"),
    (DISTRIBUTED_TOO_MANY_PENDING_BYTES, "DISTRIBUTED_TOO_MANY_PENDING_BYTES"),
    (UNKNOWN_SNAPSHOT, "UNKNOWN_SNAPSHOT"),
    (KERBEROS_ERROR, "KERBEROS_ERROR"),
    (INVALID_SHARD_ID, "INVALID_SHARD_ID"),
    (INVALID_FORMAT_INSERT_QUERY_WITH_DATA, "INVALID_FORMAT_INSERT_QUERY_WITH_DATA"),
    (INCORRECT_PART_TYPE, "INCORRECT_PART_TYPE"),
    (CANNOT_SET_ROUNDING_MODE, "CANNOT_SET_ROUNDING_MODE"),
    (TOO_LARGE_DISTRIBUTED_DEPTH, "TOO_LARGE_DISTRIBUTED_DEPTH"),
    (NO_SUCH_PROJECTION_IN_TABLE, "NO_SUCH_PROJECTION_IN_TABLE"),
    (ILLEGAL_PROJECTION, "ILLEGAL_PROJECTION"),
    (PROJECTION_NOT_USED, "PROJECTION_NOT_USED"),
    (CANNOT_PARSE_YAML, "CANNOT_PARSE_YAML"),
    (CANNOT_CREATE_FILE, "CANNOT_CREATE_FILE"),
    (CONCURRENT_ACCESS_NOT_SUPPORTED, "CONCURRENT_ACCESS_NOT_SUPPORTED"),
    (DISTRIBUTED_BROKEN_BATCH_INFO, "DISTRIBUTED_BROKEN_BATCH_INFO"),
    (DISTRIBUTED_BROKEN_BATCH_FILES, "DISTRIBUTED_BROKEN_BATCH_FILES"),
    (CANNOT_SYSCONF, "CANNOT_SYSCONF"),
    (SQLITE_ENGINE_ERROR, "SQLITE_ENGINE_ERROR"),
    (DATA_ENCRYPTION_ERROR, "DATA_ENCRYPTION_ERROR"),
    (ZERO_COPY_REPLICATION_ERROR, "ZERO_COPY_REPLICATION_ERROR"),
    (BZIP2_STREAM_DECODER_FAILED, "BZIP2_STREAM_DECODER_FAILED"),
    (BZIP2_STREAM_ENCODER_FAILED, "BZIP2_STREAM_ENCODER_FAILED"),
    (INTERSECT_OR_EXCEPT_RESULT_STRUCTURES_MISMATCH, "INTERSECT_OR_EXCEPT_RESULT_STRUCTURES_MISMATCH"),
    (NO_SUCH_ERROR_CODE, "NO_SUCH_ERROR_CODE"),
    (BACKUP_ALREADY_EXISTS, "BACKUP_ALREADY_EXISTS"),
    (BACKUP_NOT_FOUND, "BACKUP_NOT_FOUND"),
    (BACKUP_VERSION_NOT_SUPPORTED, "BACKUP_VERSION_NOT_SUPPORTED"),
    (BACKUP_DAMAGED, "BACKUP_DAMAGED"),
    (NO_BASE_BACKUP, "NO_BASE_BACKUP"),
    (WRONG_BASE_BACKUP, "WRONG_BASE_BACKUP"),
    (BACKUP_ENTRY_ALREADY_EXISTS, "BACKUP_ENTRY_ALREADY_EXISTS"),
    (BACKUP_ENTRY_NOT_FOUND, "BACKUP_ENTRY_NOT_FOUND"),
    (BACKUP_IS_EMPTY, "BACKUP_IS_EMPTY"),
    (CANNOT_RESTORE_DATABASE, "CANNOT_RESTORE_DATABASE"),
    (CANNOT_RESTORE_TABLE, "CANNOT_RESTORE_TABLE"),
    (FUNCTION_ALREADY_EXISTS, "FUNCTION_ALREADY_EXISTS"),
    (CANNOT_DROP_FUNCTION, "CANNOT_DROP_FUNCTION"),
    (CANNOT_CREATE_RECURSIVE_FUNCTION, "CANNOT_CREATE_RECURSIVE_FUNCTION"),
    (POSTGRESQL_CONNECTION_FAILURE, "POSTGRESQL_CONNECTION_FAILURE"),
    (CANNOT_ADVISE, "CANNOT_ADVISE"),
    (UNKNOWN_READ_METHOD, "UNKNOWN_READ_METHOD"),
    (LZ4_ENCODER_FAILED, "LZ4_ENCODER_FAILED"),
    (LZ4_DECODER_FAILED, "LZ4_DECODER_FAILED"),
    (POSTGRESQL_REPLICATION_INTERNAL_ERROR, "POSTGRESQL_REPLICATION_INTERNAL_ERROR"),
    (QUERY_NOT_ALLOWED, "QUERY_NOT_ALLOWED"),
    (CANNOT_NORMALIZE_STRING, "CANNOT_NORMALIZE_STRING"),
    (CANNOT_PARSE_CAPN_PROTO_SCHEMA, "CANNOT_PARSE_CAPN_PROTO_SCHEMA"),
    (CAPN_PROTO_BAD_CAST, "CAPN_PROTO_BAD_CAST"),
    (BAD_FILE_TYPE, "BAD_FILE_TYPE"),
    (IO_SETUP_ERROR, "IO_SETUP_ERROR"),
    (CANNOT_SKIP_UNKNOWN_FIELD, "CANNOT_SKIP_UNKNOWN_FIELD"),
    (BACKUP_ENGINE_NOT_FOUND, "BACKUP_ENGINE_NOT_FOUND"),
    (OFFSET_FETCH_WITHOUT_ORDER_BY, "OFFSET_FETCH_WITHOUT_ORDER_BY"),
    (HTTP_RANGE_NOT_SATISFIABLE, "HTTP_RANGE_NOT_SATISFIABLE"),
    (HAVE_DEPENDENT_OBJECTS, "HAVE_DEPENDENT_OBJECTS"),
    (UNKNOWN_FILE_SIZE, "UNKNOWN_FILE_SIZE"),
    (UNEXPECTED_DATA_AFTER_PARSED_VALUE, "UNEXPECTED_DATA_AFTER_PARSED_VALUE"),
    (MONGODB_ERROR, "MONGODB_ERROR"),
    (CANNOT_POLL, "CANNOT_POLL"),
    (CANNOT_EXTRACT_TABLE_STRUCTURE, "CANNOT_EXTRACT_TABLE_STRUCTURE"),
    (INVALID_TABLE_OVERRIDE, "INVALID_TABLE_OVERRIDE"),
    (SNAPPY_UNCOMPRESS_FAILED, "SNAPPY_UNCOMPRESS_FAILED"),
    (SNAPPY_COMPRESS_FAILED, "SNAPPY_COMPRESS_FAILED"),
    (NO_HIVEMETASTORE, "NO_HIVEMETASTORE"),
    (CANNOT_APPEND_TO_FILE, "CANNOT_APPEND_TO_FILE"),
    (CANNOT_PACK_ARCHIVE, "CANNOT_PACK_ARCHIVE"),
    (CANNOT_UNPACK_ARCHIVE, "CANNOT_UNPACK_ARCHIVE"),
    (NUMBER_OF_DIMENSIONS_MISMATCHED, "NUMBER_OF_DIMENSIONS_MISMATCHED"),
    (CANNOT_BACKUP_TABLE, "CANNOT_BACKUP_TABLE"),
    (WRONG_DDL_RENAMING_SETTINGS, "WRONG_DDL_RENAMING_SETTINGS"),
    (INVALID_TRANSACTION, "INVALID_TRANSACTION"),
    (SERIALIZATION_ERROR, "SERIALIZATION_ERROR"),
    (CAPN_PROTO_BAD_TYPE, "CAPN_PROTO_BAD_TYPE"),
    (ONLY_NULLS_WHILE_READING_SCHEMA, "ONLY_NULLS_WHILE_READING_SCHEMA"),
    (CANNOT_PARSE_BACKUP_SETTINGS, "CANNOT_PARSE_BACKUP_SETTINGS"),
    (WRONG_BACKUP_SETTINGS, "WRONG_BACKUP_SETTINGS"),
    (FAILED_TO_SYNC_BACKUP_OR_RESTORE, "FAILED_TO_SYNC_BACKUP_OR_RESTORE"),
    (UNKNOWN_STATUS_OF_TRANSACTION, "UNKNOWN_STATUS_OF_TRANSACTION"),
    (HDFS_ERROR, "HDFS_ERROR"),
    (CANNOT_SEND_SIGNAL, "CANNOT_SEND_SIGNAL"),
    (FS_METADATA_ERROR, "FS_METADATA_ERROR"),
    (INCONSISTENT_METADATA_FOR_BACKUP, "INCONSISTENT_METADATA_FOR_BACKUP"),
    (ACCESS_STORAGE_DOESNT_ALLOW_BACKUP, "ACCESS_STORAGE_DOESNT_ALLOW_BACKUP"),
    (CANNOT_CONNECT_NATS, "CANNOT_CONNECT_NATS"),
    (NOT_INITIALIZED, "NOT_INITIALIZED"),
    (INVALID_STATE, "INVALID_STATE"),
    (NAMED_COLLECTION_DOESNT_EXIST, "NAMED_COLLECTION_DOESNT_EXIST"),
    (NAMED_COLLECTION_ALREADY_EXISTS, "NAMED_COLLECTION_ALREADY_EXISTS"),
    (NAMED_COLLECTION_IS_IMMUTABLE, "NAMED_COLLECTION_IS_IMMUTABLE"),
    (INVALID_SCHEDULER_NODE, "INVALID_SCHEDULER_NODE"),
    (RESOURCE_ACCESS_DENIED, "RESOURCE_ACCESS_DENIED"),
    (RESOURCE_NOT_FOUND, "RESOURCE_NOT_FOUND"),
    (CANNOT_PARSE_IPV4, "CANNOT_PARSE_IPV4"),
    (CANNOT_PARSE_IPV6, "CANNOT_PARSE_IPV6"),
    (THREAD_WAS_CANCELED, "THREAD_WAS_CANCELED"),
    (IO_URING_INIT_FAILED, "IO_URING_INIT_FAILED"),
    (IO_URING_SUBMIT_ERROR, "IO_URING_SUBMIT_ERROR"),
    (MIXED_ACCESS_PARAMETER_TYPES, "MIXED_ACCESS_PARAMETER_TYPES"),
    (UNKNOWN_ELEMENT_OF_ENUM, "UNKNOWN_ELEMENT_OF_ENUM"),
    (TOO_MANY_MUTATIONS, "TOO_MANY_MUTATIONS"),
    (AWS_ERROR, "AWS_ERROR"),
    (ASYNC_LOAD_CYCLE, "ASYNC_LOAD_CYCLE"),
    (ASYNC_LOAD_FAILED, "ASYNC_LOAD_FAILED"),
    (ASYNC_LOAD_CANCELED, "ASYNC_LOAD_CANCELED"),
    (CANNOT_RESTORE_TO_NONENCRYPTED_DISK, "CANNOT_RESTORE_TO_NONENCRYPTED_DISK"),
    (INVALID_REDIS_STORAGE_TYPE, "INVALID_REDIS_STORAGE_TYPE"),
    (INVALID_REDIS_TABLE_STRUCTURE, "INVALID_REDIS_TABLE_STRUCTURE"),
    (USER_SESSION_LIMIT_EXCEEDED, "USER_SESSION_LIMIT_EXCEEDED"),
    (CLUSTER_DOESNT_EXIST, "CLUSTER_DOESNT_EXIST"),
    (CLIENT_INFO_DOES_NOT_MATCH, "CLIENT_INFO_DOES_NOT_MATCH"),
    (INVALID_IDENTIFIER, "INVALID_IDENTIFIER"),
    (QUERY_CACHE_USED_WITH_NONDETERMINISTIC_FUNCTIONS, "QUERY_CACHE_USED_WITH_NONDETERMINISTIC_FUNCTIONS"),
    (TABLE_NOT_EMPTY, "TABLE_NOT_EMPTY"),
    (LIBSSH_ERROR, "LIBSSH_ERROR"),
    (GCP_ERROR, "GCP_ERROR"),
    (ILLEGAL_STATISTICS, "ILLEGAL_STATISTICS"),
    (CANNOT_GET_REPLICATED_DATABASE_SNAPSHOT, "CANNOT_GET_REPLICATED_DATABASE_SNAPSHOT"),
    (FAULT_INJECTED, "FAULT_INJECTED"),
    (FILECACHE_ACCESS_DENIED, "FILECACHE_ACCESS_DENIED"),
    (TOO_MANY_MATERIALIZED_VIEWS, "TOO_MANY_MATERIALIZED_VIEWS"),
    (BROKEN_PROJECTION, "BROKEN_PROJECTION"),
    (UNEXPECTED_CLUSTER, "UNEXPECTED_CLUSTER"),
    (CANNOT_DETECT_FORMAT, "CANNOT_DETECT_FORMAT"),
    (CANNOT_FORGET_PARTITION, "CANNOT_FORGET_PARTITION"),
    (EXPERIMENTAL_FEATURE_ERROR, "EXPERIMENTAL_FEATURE_ERROR"),
    (TOO_SLOW_PARSING, "TOO_SLOW_PARSING"),
    (QUERY_CACHE_USED_WITH_SYSTEM_TABLE, "QUERY_CACHE_USED_WITH_SYSTEM_TABLE"),
    (USER_EXPIRED, "USER_EXPIRED"),
    (DEPRECATED_FUNCTION, "DEPRECATED_FUNCTION"),
    (ASYNC_LOAD_WAIT_FAILED, "ASYNC_LOAD_WAIT_FAILED"),
    (PARQUET_EXCEPTION, "PARQUET_EXCEPTION"),
    (TOO_MANY_TABLES, "TOO_MANY_TABLES"),
    (TOO_MANY_DATABASES, "TOO_MANY_DATABASES"),
    (UNEXPECTED_HTTP_HEADERS, "UNEXPECTED_HTTP_HEADERS"),
    (UNEXPECTED_TABLE_ENGINE, "UNEXPECTED_TABLE_ENGINE"),
    (UNEXPECTED_DATA_TYPE, "UNEXPECTED_DATA_TYPE"),
    (ILLEGAL_TIME_SERIES_TAGS, "ILLEGAL_TIME_SERIES_TAGS"),
    (REFRESH_FAILED, "REFRESH_FAILED"),
    (QUERY_CACHE_USED_WITH_NON_THROW_OVERFLOW_MODE, "QUERY_CACHE_USED_WITH_NON_THROW_OVERFLOW_MODE"),
    (TABLE_IS_BEING_RESTARTED, "TABLE_IS_BEING_RESTARTED"),
    (CANNOT_WRITE_AFTER_BUFFER_CANCELED, "CANNOT_WRITE_AFTER_BUFFER_CANCELED"),
    (QUERY_WAS_CANCELLED_BY_CLIENT, "QUERY_WAS_CANCELLED_BY_CLIENT"),
    (DATALAKE_DATABASE_ERROR, "DATALAKE_DATABASE_ERROR"),
    (GOOGLE_CLOUD_ERROR, "GOOGLE_CLOUD_ERROR"),
    (PART_IS_LOCKED, "PART_IS_LOCKED"),
    (BUZZHOUSE, "BUZZHOUSE"),
    (POTENTIALLY_BROKEN_DATA_PART, "POTENTIALLY_BROKEN_DATA_PART"),
    (TABLE_UUID_MISMATCH, "TABLE_UUID_MISMATCH"),
    (DELTA_KERNEL_ERROR, "DELTA_KERNEL_ERROR"),
    (ICEBERG_SPECIFICATION_VIOLATION, "ICEBERG_SPECIFICATION_VIOLATION"),
    (SESSION_ID_EMPTY, "SESSION_ID_EMPTY"),
    (SERVER_OVERLOADED, "SERVER_OVERLOADED"),
    (DEPENDENCIES_NOT_FOUND, "DEPENDENCIES_NOT_FOUND"),
    (FILECACHE_CANNOT_WRITE_THROUGH_CACHE_WITH_CONCURRENT_READS, "FILECACHE_CANNOT_WRITE_THROUGH_CACHE_WITH_CONCURRENT_READS"),
    (AVRO_EXCEPTION, "AVRO_EXCEPTION"),
    (TCP_CONNECTION_LIMIT_REACHED, "TCP_CONNECTION_LIMIT_REACHED"),
    (ARROWFLIGHT_INTERNAL_ERROR, "ARROWFLIGHT_INTERNAL_ERROR"),
    (ARROWFLIGHT_CONNECTION_FAILURE, "ARROWFLIGHT_CONNECTION_FAILURE"),
    (ARROWFLIGHT_FETCH_SCHEMA_ERROR, "ARROWFLIGHT_FETCH_SCHEMA_ERROR"),
    (ARROWFLIGHT_WRITE_ERROR, "ARROWFLIGHT_WRITE_ERROR"),
    (UDF_EXECUTION_FAILED, "UDF_EXECUTION_FAILED"),
    (TOO_LARGE_LIGHTWEIGHT_UPDATES, "TOO_LARGE_LIGHTWEIGHT_UPDATES"),
    (CANNOT_PARSE_PROMQL_QUERY, "CANNOT_PARSE_PROMQL_QUERY"),
    (CANNOT_GET_THREAD_PRIORITY, "CANNOT_GET_THREAD_PRIORITY"),
    (TOO_MANY_NAMED_COLLECTIONS, "TOO_MANY_NAMED_COLLECTIONS"),
    (LICENSING_EXCEPTION, "LICENSING_EXCEPTION"),
    (UNICODE_ERROR, "UNICODE_ERROR"),
    (ACME_ERROR, "ACME_ERROR"),
    (HTTP_CONNECTION_LIMIT_REACHED, "HTTP_CONNECTION_LIMIT_REACHED"),
    (SESSION_REFUSED, "SESSION_REFUSED"),
    (DEDUPLICATION_IS_NOT_POSSIBLE, "DEDUPLICATION_IS_NOT_POSSIBLE"),
    (UNKNOWN_MASKING_POLICY, "UNKNOWN_MASKING_POLICY"),
    (INSTRUMENTATION_ERROR, "INSTRUMENTATION_ERROR"),
    (REQUIRED_SECOND_FACTOR, "REQUIRED_SECOND_FACTOR"),
    (CANNOT_EXECUTE_PROMQL_QUERY, "CANNOT_EXECUTE_PROMQL_QUERY"),
    (NAMED_COLLECTION_IS_USED, "NAMED_COLLECTION_IS_USED"),
    (WASM_ERROR, "WASM_ERROR"),
    (CACHE_CANNOT_WRITE_TO_CACHE_DISK, "CACHE_CANNOT_WRITE_TO_CACHE_DISK"),
    (INCOMPATIBLE_SCHEMA, "INCOMPATIBLE_SCHEMA"),
    (MALFORMED_AI_PROVIDER_RESPONSE, "MALFORMED_AI_PROVIDER_RESPONSE"),
    (TABLE_IS_PERMANENTLY_READ_ONLY, "TABLE_IS_PERMANENTLY_READ_ONLY"),
    (STATELESS_WORKER_DISCOVERY_ERROR, "STATELESS_WORKER_DISCOVERY_ERROR"),
    (RESOURCE_LIMIT_EXCEEDED, "RESOURCE_LIMIT_EXCEEDED"),
    (MEMORY_RESERVATION_KILLED, "MEMORY_RESERVATION_KILLED"),
    (MEMORY_RESERVATION_FAILED, "MEMORY_RESERVATION_FAILED"),
    (UNSUPPORTED_MEDIA_TYPE, "UNSUPPORTED_MEDIA_TYPE"),
    (SW_SERVER_NO_WORKERS_AVAILABLE, "SW_SERVER_NO_WORKERS_AVAILABLE"),
    (AI_PROVIDER_RESPONSE_TRUNCATED, "AI_PROVIDER_RESPONSE_TRUNCATED"),
    (AI_PROVIDER_RESPONSE_INCOMPLETE, "AI_PROVIDER_RESPONSE_INCOMPLETE"),
    (SSH_AGENT_ERROR, "SSH_AGENT_ERROR"),
    (OBJECT_STORAGE_QUEUE_POST_PROCESSING_FAILED, "OBJECT_STORAGE_QUEUE_POST_PROCESSING_FAILED"),
    (PY_EXCEPTION_OCCURED, "PY_EXCEPTION_OCCURED"),
    (PY_OBJECT_NOT_FOUND, "PY_OBJECT_NOT_FOUND"),
    (DISTRIBUTED_CACHE_ERROR, "DISTRIBUTED_CACHE_ERROR"),
    (CANNOT_USE_DISTRIBUTED_CACHE, "CANNOT_USE_DISTRIBUTED_CACHE"),
    (PROTOCOL_VERSION_MISMATCH, "PROTOCOL_VERSION_MISMATCH"),
    (DISTRIBUTED_CACHE_REGISTRY_SHUTDOWN, "DISTRIBUTED_CACHE_REGISTRY_SHUTDOWN"),
    (TOO_MANY_UNAVAILABLE_SHARDS, "TOO_MANY_UNAVAILABLE_SHARDS"),
    (DISTRIBUTED_CACHE_SERVER_IN_BACKOFF, "DISTRIBUTED_CACHE_SERVER_IN_BACKOFF"),
    (AST_FUZZER_ORACLE_MISMATCH, "AST_FUZZER_ORACLE_MISMATCH"),
    (KEEPER_EXCEPTION, "KEEPER_EXCEPTION"),
    (POCO_EXCEPTION, "POCO_EXCEPTION"),
    (STD_EXCEPTION, "STD_EXCEPTION"),
    (UNKNOWN_EXCEPTION, "UNKNOWN_EXCEPTION"),
    (SSH_EXCEPTION, "SSH_EXCEPTION"),
    (STARTUP_SCRIPTS_ERROR, "STARTUP_SCRIPTS_ERROR"),
    (STALE_VERSION, "STALE_VERSION"),
    (INVALID_CURSOR_LOOKUP, "INVALID_CURSOR_LOOKUP"),
    (ILLEGAL_STREAM, "ILLEGAL_STREAM"),
    (TEMPORARY_DATA_NOT_IN_CACHE, "TEMPORARY_DATA_NOT_IN_CACHE"),
    (S3_OBJECT_CHANGED_DURING_READ, "S3_OBJECT_CHANGED_DURING_READ"),
    (UNIQUE_KEY_DENSE_INDEX_UNREADABLE, "UNIQUE_KEY_DENSE_INDEX_UNREADABLE"),
    (HANDLER_ALREADY_EXISTS, "HANDLER_ALREADY_EXISTS"),
    (HANDLER_DOESNT_EXIST, "HANDLER_DOESNT_EXIST"),
    (AMBIGUOUS_HANDLER, "AMBIGUOUS_HANDLER"),
    (TRANSACTION_ROLLBACK_PARTIAL_FAILURE, "TRANSACTION_ROLLBACK_PARTIAL_FAILURE"),
    (FILE_CHANGED_DURING_READ, "FILE_CHANGED_DURING_READ"),
    (TABLE_SIZE_LIMIT_EXCEEDED, "TABLE_SIZE_LIMIT_EXCEEDED"),
    (ASYNC_INSERT_FLUSH_TIMEOUT, "ASYNC_INSERT_FLUSH_TIMEOUT"),
    (EXCHANGE_PEER_DISCONNECTED, "EXCHANGE_PEER_DISCONNECTED"),
    (QUERY_SLOT_ACQUISITION_TIMEOUT, "QUERY_SLOT_ACQUISITION_TIMEOUT"),
    (MEMORY_RESERVATION_ACQUISITION_TIMEOUT, "MEMORY_RESERVATION_ACQUISITION_TIMEOUT"),
];

-- canonical.rs pairs (input, canonical): for each input type string T, the canonical form is the
-- type name in the header of (ClickHouse 26.9.2.1)
SELECT defaultValueOfTypeName('T') AS c LIMIT 0 FORMAT RowBinaryWithNamesAndTypes
-- or, for types without a default value, of
CREATE TABLE h_types.c (c T) ENGINE = Memory; SELECT c FROM h_types.c FORMAT RowBinaryWithNamesAndTypes
-- with settings allow_experimental_qbit_type=1, enable_time_time64_type=1,
-- allow_suspicious_low_cardinality_types=1, allow_suspicious_variant_types=1.
-- SERVER_ACCEPTS_UNCHANGED: strings printed by chwire for trees from the proptest strategy that
-- the same query returned byte-for-byte unchanged (3000 generated, 1235 accepted by the server,
-- 0 mismatches; the rest were semantically rejected, e.g. Nullable(Array(..))).

-- Tables read by the dynamic, json and simpleagg cases (run by `cargo xtask golden`).
CREATE DATABASE IF NOT EXISTS h_native;
DROP TABLE IF EXISTS h_native.dyn;
CREATE TABLE h_native.dyn (id UInt32, d Dynamic) ENGINE = Memory;
INSERT INTO h_native.dyn VALUES (1, 42::Int64), (2, 'hello'), (3, NULL), (4, [1, 2]::Array(Int64)),
    (5, 2.5::Float64), (6, 'x'), (7, toDate('2024-01-01'));
DROP TABLE IF EXISTS h_native.js;
CREATE TABLE h_native.js (id UInt32, j JSON(a UInt32, b.c String)) ENGINE = Memory;
INSERT INTO h_native.js VALUES (1, '{"a": 1, "b": {"c": "x"}, "d": 5, "e": [1, 2]}'),
    (2, '{"a": 2, "f": "str", "g": {"h": true}}'), (3, '{}');
DROP TABLE IF EXISTS h_native.sagg;
CREATE TABLE h_native.sagg (s SimpleAggregateFunction(sum, UInt64),
    a SimpleAggregateFunction(anyLast, Nullable(String))) ENGINE = Memory;
INSERT INTO h_native.sagg VALUES (1, 'a'), (2, NULL);
-- Beyond max_types / max_dynamic_paths the server keeps values in Dynamic's shared variant and
-- JSON paths in shared data (binary-encoded type + value): the dynamic_shared and json_shared cases.
DROP TABLE IF EXISTS h_native.dyn_shared;
CREATE TABLE h_native.dyn_shared (id UInt32, d Dynamic(max_types = 1)) ENGINE = Memory;
INSERT INTO h_native.dyn_shared VALUES (1, 42::Int64), (2, 'hello'), (3, NULL),
    (4, [1, 2]::Array(Int64)), (5, 2.5::Float64), (6, toDate('2024-01-01')),
    (7, (1, 'a')::Tuple(a UInt8, b String)), (8, map('k', 1::UInt8)), (9, 7::Int64),
    (10, toDecimal64(-1.25, 2)), (11, toUUID('01234567-89ab-cdef-0123-456789abcdef')),
    (12, toDateTime64('2024-01-01 00:00:00.123', 3, 'UTC')), (13, [NULL, 'x']::Array(Nullable(String)));
DROP TABLE IF EXISTS h_native.js_shared;
CREATE TABLE h_native.js_shared (id UInt32, j JSON(max_dynamic_paths = 1, a UInt32)) ENGINE = Memory;
INSERT INTO h_native.js_shared VALUES (1, '{"a": 1, "b": 5, "c": "x", "d": {"e": [1, 2]}}'),
    (2, '{"a": 2, "c": "y", "f": null, "g": true}'), (3, '{}'), (4, '{"b": 6, "k": [{"x": 1}]}');

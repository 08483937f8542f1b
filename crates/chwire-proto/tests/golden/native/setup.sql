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

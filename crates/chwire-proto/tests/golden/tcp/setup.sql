-- Tables the tcp scripts insert into (run by `cargo xtask golden tcp`).
CREATE DATABASE IF NOT EXISTS golden_tcp;
DROP TABLE IF EXISTS golden_tcp.t;
CREATE TABLE golden_tcp.t (i UInt64, s String) ENGINE = Memory;
DROP TABLE IF EXISTS golden_tcp.c;
CREATE TABLE golden_tcp.c (i UInt64, s String, CONSTRAINT small CHECK i < 1) ENGINE = Memory;

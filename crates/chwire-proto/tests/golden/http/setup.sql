-- Objects the http captures need (run by `cargo xtask golden http`).
CREATE DATABASE IF NOT EXISTS h_http;
CREATE TABLE IF NOT EXISTS h_http.t (x UInt32) ENGINE = Memory;

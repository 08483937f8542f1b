//! The timing harness both benches share: a case runs a few warm-up times, then a fixed number
//! of timed runs whose median is reported (stable enough on a shared 2-core machine, and no
//! bench dependency).

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Median of `iterations` timed runs of `f` after `warmup` untimed ones.
pub fn time(warmup: usize, iterations: usize, mut f: impl FnMut()) -> Duration {
    for _ in 0..warmup {
        f();
    }
    let mut samples: Vec<Duration> = (0..iterations)
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

/// Time of a `memcpy` of `bytes` into an owned buffer, with the same harness.
pub fn memcpy_time(warmup: usize, iterations: usize, bytes: &[u8]) -> Duration {
    let mut dst = vec![0u8; bytes.len()];
    time(warmup, iterations, || {
        dst.copy_from_slice(black_box(bytes));
        black_box(&mut dst);
    })
}

//! How long to wait between attempts, and the adaptive (AIMD) limit on batches in flight.
//! Which failures are worth retrying is [`Error::failure_class`](crate::Error::failure_class).

use std::time::Duration;

/// Retry schedule of one batch: exponential backoff with full jitter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (so `max_retries + 1` attempts at most).
    pub max_retries: u32,
    /// Upper bound of the first wait.
    pub initial_backoff: Duration,
    /// Cap of every wait.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 8,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(10),
        }
    }
}

impl RetryPolicy {
    /// No retries: a failed attempt fails the batch.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..Self::default()
        }
    }

    /// The wait before retry number `retry` (0-based): uniform in
    /// `[cap/2, cap]`, `cap = min(max_backoff, initial_backoff * 2^retry)`. Half the window is
    /// random so concurrent writers spread out; the other half keeps a minimum pause.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(30)).unwrap_or(u32::MAX);
        let cap = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        let cap_ns = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
        let half = cap_ns / 2;
        Duration::from_nanos(half + fastrand::u64(0..=cap_ns - half))
    }
}

/// The adaptive limit on batches in flight: additive increase (one slot per limit's worth of
/// successes) and multiplicative decrease (halved on back-pressure), between 1 and `max`.
#[derive(Debug, Clone)]
pub struct Aimd {
    limit: f64,
    max: f64,
}

impl Aimd {
    pub fn new(max: usize) -> Aimd {
        let max = max.max(1) as f64;
        Aimd { limit: max, max }
    }

    /// Batches allowed in flight now.
    pub fn slots(&self) -> usize {
        self.limit.floor().max(1.0) as usize
    }

    pub fn on_success(&mut self) {
        self.limit = (self.limit + 1.0 / self.limit).min(self.max);
    }

    pub fn on_back_pressure(&mut self) {
        self.limit = (self.limit / 2.0).max(1.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[test]
    fn backoff_grows_within_bounds() {
        let p = RetryPolicy {
            max_retries: 10,
            initial_backoff: Duration::from_millis(100),
            max_backoff: Duration::from_secs(1),
        };
        for _ in 0..100 {
            let b0 = p.backoff(0);
            assert!(b0 >= Duration::from_millis(50) && b0 <= Duration::from_millis(100));
            let b3 = p.backoff(3);
            assert!(b3 >= Duration::from_millis(400) && b3 <= Duration::from_millis(800));
            let b9 = p.backoff(40);
            assert!(b9 >= Duration::from_millis(500) && b9 <= Duration::from_secs(1));
        }
    }

    #[test]
    fn aimd() {
        let mut a = Aimd::new(8);
        assert_eq!(a.slots(), 8);
        a.on_back_pressure();
        assert_eq!(a.slots(), 4);
        for _ in 0..10 {
            a.on_back_pressure();
        }
        assert_eq!(a.slots(), 1);
        for _ in 0..3 {
            a.on_success();
        }
        assert!(a.slots() >= 2);
        for _ in 0..1000 {
            a.on_success();
        }
        assert_eq!(a.slots(), 8);
    }
}

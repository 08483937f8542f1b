//! The cooperative budget: result streams, cursors and insert writes give the executor back
//! regularly, even when their items are ready without waiting.
//!
//! A future only lets other tasks on its thread run when it returns `Pending`. A cursor whose
//! rows are already decoded, or an insert whose queue has room, never would: a consumer's
//! `while let Some(row) = cursor.next().await` then holds the thread for the whole result
//! (measured before this module: 14 s of a typed 1M-row stream in a debug build, with a
//! 1 ms ticker on the same task starved throughout). tokio's own resources solve this with a
//! budget per task (`tokio::task::coop`), which async-std and smol do not have, so chwire keeps
//! its own, runtime-neutral one: each stream or insert counts the time since it last returned
//! `Pending`, and once that passes [`SLICE`] it yields through the runtime
//! ([`Runtime::yield_now`], which lets the executor's timers and I/O run too) before taking
//! the next item, so nothing is consumed by the yield and a future dropped there loses
//! nothing.
//!
//! Time, not an item count, because items differ by orders of magnitude in cost (a `u64` row
//! against a 65 536-row block, a debug against a release build); the clock is read every
//! `check_every` items so that cheap items (typed rows: tens of nanoseconds) do not pay a clock
//! read each.

use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use chwire_rt::{BoxFuture, Runtime};
use std::time::{Duration, Instant};

/// How long a stream or insert keeps its task busy before yielding. Small against the
/// 10 ms a task sharing the thread may wait (the integration tests' bound), large against
/// what a yield costs (one executor round trip, about a microsecond).
pub(crate) const SLICE: Duration = Duration::from_millis(1);

/// Clock reads for cheap items (typed rows, dynamic rows): one every this many.
pub(crate) const ROWS_PER_CHECK: u32 = 64;

/// One stream's or insert's budget: the time it has kept its task busy without waiting.
pub(crate) struct Budget {
    /// When the current run of ready items started (`None`: at the next check).
    since: Option<Instant>,
    /// Items that may still pass before the clock is read again; 0 while a yield is under
    /// way too, so the common case is one decrement.
    left: u32,
    check_every: u32,
    /// Yields through the runtime ([`Runtime::yield_now`]): a plain self-wake lets a
    /// single-threaded tokio or smol executor poll the task again dozens of times before it
    /// fires the timers of the thread (measured: 83-104 ms between the fairness test's 1 ms
    /// ticks during an insert; through the runtime: 7 ms in most runs).
    rt: Arc<dyn Runtime>,
    /// The yield under way, polled to its end before the next item is taken. In a `Mutex`
    /// only so that the streams holding a budget stay `Sync`; reached through `get_mut`,
    /// never locked.
    yielding: Option<Mutex<BoxFuture<'static, ()>>>,
}

impl std::fmt::Debug for Budget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Budget")
            .field("since", &self.since)
            .field("yielding", &self.yielding.is_some())
            .finish_non_exhaustive()
    }
}

impl Budget {
    /// A budget that reads the clock every `check_every` items (at least 1) and yields
    /// through `rt`.
    pub(crate) fn new(check_every: u32, rt: &Arc<dyn Runtime>) -> Budget {
        Budget {
            since: None,
            left: check_every.max(1) - 1,
            check_every: check_every.max(1),
            rt: Arc::clone(rt),
            yielding: None,
        }
    }

    /// Called before taking an item: `Ready` to go on, or `Pending` (the task to be woken by
    /// the runtime's yield) when the slice is spent, so the caller returns `Pending` and the
    /// executor runs others.
    #[inline]
    pub(crate) fn poll_proceed(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if self.try_proceed() {
            return Poll::Ready(());
        }
        self.poll_proceed_slow(cx)
    }

    /// The common case of [`poll_proceed`](Self::poll_proceed), inlined into every row's
    /// step: `true` (an item counted) when no yield is under way and no clock read is due;
    /// `false` means "ask `poll_proceed`".
    #[inline]
    pub(crate) fn try_proceed(&mut self) -> bool {
        if self.left > 0 {
            self.left -= 1;
            return true;
        }
        false
    }

    /// [`poll_proceed`](Self::poll_proceed) when a yield is under way or the clock is due.
    #[inline(never)]
    fn poll_proceed_slow(&mut self, cx: &mut Context<'_>) -> Poll<()> {
        if let Some(yielding) = &mut self.yielding {
            let yielding = yielding.get_mut().unwrap_or_else(PoisonError::into_inner);
            if yielding.as_mut().poll(cx).is_pending() {
                return Poll::Pending;
            }
            self.yielding = None;
            self.left = self.check_every - 1;
            return Poll::Ready(());
        }
        self.left = self.check_every - 1;
        let now = Instant::now();
        match self.since {
            Some(since) if now.saturating_duration_since(since) >= SLICE => {
                self.since = None;
                let mut yielding = self.rt.yield_now();
                if yielding.as_mut().poll(cx).is_ready() {
                    return Poll::Ready(());
                }
                self.yielding = Some(Mutex::new(yielding));
                self.left = 0;
                Poll::Pending
            }
            Some(_) => Poll::Ready(()),
            None => {
                self.since = Some(now);
                Poll::Ready(())
            }
        }
    }

    /// Called when the caller's poll returned `Pending` on its own (it waits for input): its task yields anyway,
    /// so a new run starts.
    pub(crate) fn waited(&mut self) {
        self.since = None;
        if self.yielding.is_none() {
            self.left = self.check_every - 1;
        }
    }

    /// [`poll_proceed`](Self::poll_proceed) as a future for async methods: completes at once,
    /// or after one yield when the slice is spent. Await it before accepting anything, so a
    /// call cancelled there has taken nothing.
    pub(crate) fn proceed(&mut self) -> impl Future<Output = ()> + '_ {
        std::future::poll_fn(move |cx| self.poll_proceed(cx))
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::task::{Wake, Waker};

    use super::*;

    /// A runtime with the contract's default yield (a self-wake); nothing else is called.
    #[derive(Debug)]
    struct YieldOnly;

    impl Runtime for YieldOnly {
        fn connect_tcp(
            &self,
            _: std::net::SocketAddr,
        ) -> BoxFuture<'static, std::io::Result<Box<dyn chwire_rt::AsyncIo>>> {
            unreachable!("the budget only yields")
        }
        fn spawn(&self, _: BoxFuture<'static, ()>) {
            unreachable!("the budget only yields")
        }
        fn spawn_blocking(&self, _: Box<dyn FnOnce() + Send>) -> BoxFuture<'static, ()> {
            unreachable!("the budget only yields")
        }
        fn sleep_until(&self, _: Instant) -> BoxFuture<'static, ()> {
            unreachable!("the budget only yields")
        }
    }

    fn budget(check_every: u32) -> Budget {
        let rt: Arc<dyn Runtime> = Arc::new(YieldOnly);
        Budget::new(check_every, &rt)
    }

    #[derive(Default)]
    struct CountingWaker(AtomicUsize);

    impl Wake for CountingWaker {
        fn wake(self: Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
        fn wake_by_ref(self: &Arc<Self>) {
            self.0.fetch_add(1, Ordering::Relaxed);
        }
    }

    /// Ready items run until the slice is spent; then one `Pending` with the task woken (so
    /// it is polled again), then a new run.
    #[test]
    fn yields_once_the_slice_is_spent_and_wakes_the_task() {
        let wakes = Arc::new(CountingWaker::default());
        let waker = Waker::from(Arc::clone(&wakes));
        let mut cx = Context::from_waker(&waker);
        let mut budget = budget(1);
        assert!(budget.poll_proceed(&mut cx).is_ready());
        assert!(budget.poll_proceed(&mut cx).is_ready());
        std::thread::sleep(SLICE + Duration::from_millis(1));
        assert!(budget.poll_proceed(&mut cx).is_pending());
        assert_eq!(wakes.0.load(Ordering::Relaxed), 1);
        assert!(budget.poll_proceed(&mut cx).is_ready());
        assert_eq!(wakes.0.load(Ordering::Relaxed), 1);
    }

    /// A poll that waits on its own starts a new run: no yield right after it.
    #[test]
    fn waiting_starts_a_new_run() {
        let waker = Waker::from(Arc::new(CountingWaker::default()));
        let mut cx = Context::from_waker(&waker);
        let mut budget = budget(1);
        assert!(budget.poll_proceed(&mut cx).is_ready());
        std::thread::sleep(SLICE + Duration::from_millis(1));
        // The stream's own poll waited for input (its task yielded anyway): a new run, not
        // charged for the time before (without `waited` this poll would yield).
        budget.waited();
        assert!(budget.poll_proceed(&mut cx).is_ready());
    }

    /// With `check_every` n, the clock is read on every nth item only: a spent slice is seen
    /// there, not before.
    #[test]
    fn cheap_items_read_the_clock_every_nth_item() {
        let waker = Waker::from(Arc::new(CountingWaker::default()));
        let mut cx = Context::from_waker(&waker);
        let mut budget = budget(4);
        for _ in 0..4 {
            assert!(budget.poll_proceed(&mut cx).is_ready()); // the run starts at the 4th
        }
        std::thread::sleep(SLICE + Duration::from_millis(1));
        for _ in 0..3 {
            assert!(budget.poll_proceed(&mut cx).is_ready());
        }
        assert!(budget.poll_proceed(&mut cx).is_pending());
    }
}

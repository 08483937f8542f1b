//! The driver's resident memory over time: sampled from `/proc/self/status`, kept as the peak
//! per fixed-length interval, so a leak shows up as peaks that keep rising. Two series: all
//! of it (`VmRSS`), and its anonymous part (`RssAnon`: heap and stacks, without the binary's
//! pages, which page in as new code paths run, e.g. the first error path after a kill).

use std::time::Duration;

/// Peak RSS per interval since the sampler started.
#[derive(Debug, Clone, Default)]
pub struct RssTimeline {
    /// Interval length.
    pub interval: Duration,
    /// Peak RSS (KiB) of interval `i`, which starts at `i * interval`.
    pub peaks_kib: Vec<u64>,
}

impl RssTimeline {
    pub fn new(interval: Duration) -> RssTimeline {
        RssTimeline {
            interval,
            peaks_kib: Vec::new(),
        }
    }

    /// Records a sample taken `elapsed` after the start.
    pub fn record(&mut self, elapsed: Duration, rss_kib: u64) {
        let index = (elapsed.as_nanos() / self.interval.as_nanos().max(1)) as usize;
        if self.peaks_kib.len() <= index {
            // Intervals with no sample (a stalled sampler) repeat the previous peak.
            let last = self.peaks_kib.last().copied().unwrap_or(rss_kib);
            self.peaks_kib.resize(index + 1, last);
            self.peaks_kib[index] = rss_kib;
        }
        let peak = &mut self.peaks_kib[index];
        *peak = (*peak).max(rss_kib);
    }

    /// Whether memory stayed flat: the highest peak of the second half of the run is at most
    /// the first half's plus 25 % (and 4 MiB of allocator slack). The first interval, which
    /// holds start-up, counts for the first half only. `None` with fewer than two intervals.
    pub fn flat(&self) -> Option<FlatCheck> {
        if self.peaks_kib.len() < 2 {
            return None;
        }
        let half = self.peaks_kib.len() / 2;
        let early = self.peaks_kib[..half].iter().copied().max().unwrap_or(0);
        let late = self.peaks_kib[half..].iter().copied().max().unwrap_or(0);
        let allowed = early + (early / 4).max(4 * 1024);
        Some(FlatCheck {
            early_peak_kib: early,
            late_peak_kib: late,
            allowed_kib: allowed,
        })
    }
}

/// The figures behind [`RssTimeline::flat`].
#[derive(Debug, Clone, Copy)]
pub struct FlatCheck {
    pub early_peak_kib: u64,
    pub late_peak_kib: u64,
    pub allowed_kib: u64,
}

impl FlatCheck {
    pub fn ok(&self) -> bool {
        self.late_peak_kib <= self.allowed_kib
    }
}

/// One sample, in KiB.
#[derive(Debug, Clone, Copy)]
pub struct Sample {
    pub rss_kib: u64,
    pub anon_kib: u64,
}

/// This process's resident memory now (`None` where `/proc` is unavailable).
pub fn sample() -> Option<Sample> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let field = |name: &str| -> Option<u64> {
        status
            .lines()
            .find_map(|line| line.strip_prefix(name))?
            .split_whitespace()
            .next()?
            .parse()
            .ok()
    };
    Some(Sample {
        rss_kib: field("VmRSS:")?,
        anon_kib: field("RssAnon:")?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn timeline(peaks: &[u64]) -> RssTimeline {
        let mut t = RssTimeline::new(Duration::from_secs(1));
        for (i, kib) in peaks.iter().enumerate() {
            t.record(Duration::from_millis(i as u64 * 1000 + 500), *kib);
        }
        t
    }

    #[test]
    fn peaks_are_kept_per_interval() {
        let mut t = RssTimeline::new(Duration::from_secs(1));
        t.record(Duration::from_millis(100), 10);
        t.record(Duration::from_millis(900), 30);
        t.record(Duration::from_millis(950), 20);
        // Interval 1 had no sample: it repeats interval 0's peak.
        t.record(Duration::from_millis(2100), 5);
        assert_eq!(t.peaks_kib, [30, 30, 5]);
        assert!(timeline(&[1]).flat().is_none());
    }

    #[test]
    fn growth_beyond_the_slack_is_not_flat() {
        let steady = timeline(&[50_000, 60_000, 61_000, 60_500]);
        assert!(steady.flat().unwrap().ok(), "{:?}", steady.flat());
        let leaking = timeline(&[50_000, 60_000, 70_000, 80_000]);
        assert!(!leaking.flat().unwrap().ok(), "{:?}", leaking.flat());
        // Small processes get 4 MiB of slack, not 25 %.
        assert!(timeline(&[5_000, 5_000, 9_000, 9_000]).flat().unwrap().ok());
        assert!(!timeline(&[5_000, 5_000, 9_300, 9_000]).flat().unwrap().ok());
    }
}

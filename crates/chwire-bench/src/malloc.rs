//! glibc's malloc, pinned to fixed thresholds for a stable measurement.
//!
//! By default glibc raises its mmap threshold to the largest mmapped chunk freed so far and sets
//! the trim threshold to twice that. A process that allocates and frees a few MiB per result
//! block (as a columnar decoder does) then lands, depending on which chunk happened to be freed
//! first, either in a mode where freed blocks are reused or in one where every freed block at
//! the top of an arena is handed back to the kernel and faulted in again on the next block:
//! measured here, 400k page faults and twice the client CPU for the same ten 5M-row selects,
//! decided once per process. Fixing both thresholds takes that coin toss out of the numbers
//! for every client alike. Services on glibc can do the same (`M_MMAP_THRESHOLD`,
//! `M_TRIM_THRESHOLD`, or `GLIBC_TUNABLES`) or use jemalloc/mimalloc; `--glibc-malloc-defaults`
//! measures without it.

/// Applies the fixed thresholds; returns a description for the report, or `None` where the
/// platform's allocator is not glibc's.
pub fn pin_thresholds() -> Option<String> {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        const MMAP_THRESHOLD: i32 = 32 << 20;
        const TRIM_THRESHOLD: i32 = 128 << 20;
        // SAFETY: mallopt only changes allocator parameters; called before other threads start.
        let ok = unsafe {
            libc::mallopt(libc::M_MMAP_THRESHOLD, MMAP_THRESHOLD) == 1
                && libc::mallopt(libc::M_TRIM_THRESHOLD, TRIM_THRESHOLD) == 1
        };
        ok.then(|| "glibc malloc: mmap threshold 32 MiB, trim threshold 128 MiB".to_string())
    }
    #[cfg(not(all(target_os = "linux", target_env = "gnu")))]
    {
        None
    }
}

//! The error byte offsets of the Native decoder count from where parsing resumed, so they differ
//! between whole and split feeds (a known finding, open under issue 14). With
//! `CHWIRE_FUZZ_IGNORE_OFFSETS=1` the split-equality checks compare errors without their offsets,
//! so a long run keeps looking for other differences instead of stopping at this one.

/// `error` with `at byte N` replaced by `at byte _` when offsets are ignored.
pub fn comparable(error: Option<String>) -> Option<String> {
    if std::env::var_os("CHWIRE_FUZZ_IGNORE_OFFSETS").is_none() {
        return error;
    }
    error.map(|e| {
        let mut out = String::with_capacity(e.len());
        let mut rest = e.as_str();
        while let Some(i) = rest.find("at byte ") {
            out.push_str(&rest[..i + 8]);
            rest = rest[i + 8..].trim_start_matches(|c: char| c.is_ascii_digit());
            out.push('_');
        }
        out.push_str(rest);
        out
    })
}

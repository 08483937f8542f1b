//! Arbitrary text into `DataType::parse`; whatever parses must print to a string that parses back
//! to the same (canonical) tree, and printing must be a fixed point.
#![no_main]

use chwire_proto::DataType;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(ty) = DataType::parse(text) else {
        return;
    };
    let printed = ty.to_string();
    match DataType::parse(&printed) {
        Ok(again) => {
            assert_eq!(again, ty, "re-parse of {printed:?} (from {text:?}) differs");
            assert_eq!(again.to_string(), printed, "printing is not a fixed point");
        }
        Err(e) => panic!("printed form {printed:?} of {text:?} does not parse: {e}"),
    }
});

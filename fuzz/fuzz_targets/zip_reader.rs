//! The zip container reader alone (central directory, local headers,
//! streaming inflate), without the bag rules in front of it.
#![no_main]

use libfuzzer_sys::fuzz_target;

const CAP: u64 = 1 << 20;

fuzz_target!(|data: &[u8]| {
    if let Ok(entries) = hoso_package::zip_entries(data, CAP) {
        for (_, read) in entries {
            assert!(read.is_none_or(|n| n <= CAP), "read past the cap");
        }
    }
});

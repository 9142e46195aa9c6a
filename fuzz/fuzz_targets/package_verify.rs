//! `hoso verify` on arbitrary bytes: never panics, never allocates without
//! bound, and what it calls intact can be unpacked to exactly the bytes it
//! counted.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let report = hoso_package::verify_bytes(data);
    // The --json output is made for every report.
    let json = serde_json::to_value(&report).expect("a report serializes");
    assert_eq!(json["intact"].as_bool(), Some(report.is_intact()));
    if report.is_intact() {
        assert!(report.problems.is_empty() && report.messages().is_empty());
        let files = hoso_package::unpack(data).expect("an intact package unpacks");
        let total: u64 = files.iter().map(|f| f.bytes.len() as u64).sum();
        assert_eq!(total, report.payload_bytes(), "unpacked bytes = verified bytes");
        assert_eq!(files.len(), report.files.len(), "one unpacked file per verified file");
    } else {
        assert!(!report.messages().is_empty(), "a package that is not intact says why");
    }
});

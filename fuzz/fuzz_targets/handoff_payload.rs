//! The handoff decoder (mã hồ sơ khai trước) on anything a camera, a photo
//! or a `.hoso` file may bring: never panics, refuses with a message, and
//! whatever it accepts encodes and decodes back to the same handoff.
#![no_main]

use hoso_core::handoff::{self, Assembler};
use hoso_core::Catalog;
use libfuzzer_sys::fuzz_target;

fn round_trips(h: &handoff::Handoff) {
    let catalog = Catalog::embedded();
    // Accepted answers may be anything text; encoding must still work and
    // give the same handoff back (unless it is too long for the codes).
    if let Ok(parts) = handoff::encode(catalog, h) {
        let back = handoff::decode(catalog, parts.iter().map(String::as_str)).expect("our own codes decode");
        assert_eq!(&back, h);
    }
}

fuzz_target!(|data: &[u8]| {
    let catalog = Catalog::embedded();
    // 1. As text: a .hoso file, or the parts one a line as scanned.
    if let Ok(text) = std::str::from_utf8(data) {
        let mut a = Assembler::new();
        let _ = a.add_file(text);
        for line in text.lines() {
            let _ = a.add(line);
        }
        let p = a.progress();
        assert!(p.received <= p.total && a.missing().len() == p.total - p.received);
        if let Ok(h) = a.finish(catalog) {
            round_trips(&h);
        }
        if let Some(bytes) = handoff::unbase45(text) {
            assert_eq!(handoff::base45(&bytes), text, "base45 has one spelling per byte string");
        }
    }
    // 2. As a message whose checksum held: decompression and body parser.
    if let Ok(h) = handoff::decode_message(catalog, data) {
        round_trips(&h);
    }
});

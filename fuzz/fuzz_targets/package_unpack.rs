//! Unpacking (opening a package in the app) and backup import on arbitrary
//! bytes: errors with reasons, never a panic; nothing comes out of a package
//! that is not intact.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match hoso_package::unpack(data) {
        Ok(files) => assert!(hoso_package::verify_bytes(data).is_intact(), "{} files from a broken package", files.len()),
        Err(why) => assert!(!why.is_empty(), "a refusal says why"),
    }
    if let Err(why) = hoso_package::backup::import(data) {
        assert!(!why.is_empty(), "a refused backup says why");
    }
});

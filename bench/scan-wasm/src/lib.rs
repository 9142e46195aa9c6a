//! Runs the app's scan pipeline on RGBA already in wasm memory, so the
//! page times our code alone: no decoding, no copy across the JS boundary.

use std::cell::RefCell;
use wasm_bindgen::prelude::*;

thread_local! {
    static INPUT: RefCell<Vec<u8>> = const { RefCell::new(Vec::new()) };
}

/// Keeps a page's RGBA (as `createImageBitmap` + a canvas give it) for [`scan`].
#[wasm_bindgen]
pub fn load(rgba: &[u8]) {
    INPUT.with(|i| *i.borrow_mut() = rgba.to_vec());
}

/// The loaded page through `hoso_image::scan` (corner search, flattening,
/// profile) as the worker calls it; returns "profile bytes".
#[wasm_bindgen]
pub fn scan(width: u32, height: u32, profile: &str) -> String {
    let rgb = INPUT.with(|i| hoso_image::Rgb::from_rgba(&i.borrow(), width, height)).expect("RGBA size");
    let request = hoso_image::ScanRequest {
        options: hoso_image::ScanOptions { profile: hoso_image::Profile::parse(profile).expect("profile"), ..Default::default() },
        setup: hoso_image::PageSetup::default(),
        rotation: 0,
        corners: None,
        thumb_long: 0,
    };
    match hoso_image::scan(rgb, &request, |_| {}) {
        Ok(s) => format!("{} {}", s.page.profile.name(), s.page.bytes()),
        Err(e) => format!("error {e:?}"),
    }
}

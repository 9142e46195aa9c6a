//! Browser seams, run in headless Chromium by wasm-bindgen-test:
//! decoding through createImageBitmap + canvas, and object-URL downloads.
#![cfg(target_arch = "wasm32")]

use hoso_app::platform::{download::GeneratedFile, images};
use hoso_image::ImageError;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// A synthetic "photo": gradient with dark text-like bars, as JPEG.
fn photo(w: u32, h: u32) -> Vec<u8> {
    let rgba: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            let ink = (y / 40) % 3 == 0 && x % 97 > 10;
            let v = if ink { 30 } else { 200 + (x * 50 / w) as u8 };
            [v, v, v.saturating_sub(10), 255]
        })
        .collect();
    hoso_image::encode_page(&rgba, w, h, 72.0).unwrap().jpeg
}

#[wasm_bindgen_test]
async fn large_photo_becomes_an_a4_page_at_200_dpi() {
    let page = images::page_from_bytes(&photo(1800, 2400)).await.unwrap();
    assert_eq!((page.width_px, page.height_px), (1754, 2339));
    assert_eq!(page.dpi, 200.0);
    assert_eq!(&page.jpeg[..3], &[0xFF, 0xD8, 0xFF]);
}

#[wasm_bindgen_test]
async fn small_photo_is_not_upscaled() {
    let page = images::page_from_bytes(&photo(300, 400)).await.unwrap();
    assert_eq!((page.width_px, page.height_px), (300, 400));
}

#[wasm_bindgen_test]
async fn undecodable_files_give_reasons() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    assert_eq!(images::page_from_bytes(&heic).await, Err(ImageError::Heic));
    // A valid PNG header over garbage: passes the probe, the browser refuses it.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x40\0\0\0\x40\x08\x02\0\0\0\0\0\0\0".to_vec();
    png.extend_from_slice(&[0x55; 200]);
    assert!(matches!(images::page_from_bytes(&png).await, Err(ImageError::Corrupt(_))));
}

#[wasm_bindgen_test]
async fn generated_file_url_serves_the_same_bytes() {
    let bytes: Vec<u8> = (0..=255u8).cycle().take(5000).collect();
    let file = GeneratedFile::new("x.bin", bytes.clone(), "application/octet-stream");
    let window = web_sys::window().unwrap();
    let response: web_sys::Response = JsFuture::from(window.fetch_with_str(&file.href())).await.unwrap().unchecked_into();
    let buf = JsFuture::from(response.array_buffer().unwrap()).await.unwrap();
    assert_eq!(js_sys::Uint8Array::new(&buf).to_vec(), bytes);
}

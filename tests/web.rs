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

// ---- The background decoder's seam (platform/worker.rs) ----------------
// The real worker runs in the e2e tests; here the message protocol both
// ways and the handler the worker runs.

mod worker_seam {
    use hoso_app::platform::worker::{handle, Request, Response};
    use hoso_qr::QrError;
    use wasm_bindgen_test::*;

    /// RGBA pixels of a QR code for `text`, 4 px per module, quiet zone of 4.
    fn qr_rgba(text: &str) -> (Vec<u8>, u32, u32) {
        let code = qrcode::QrCode::new(text.as_bytes()).unwrap();
        let n = code.width();
        let colors = code.to_colors();
        let side = (n + 8) * 4;
        let mut rgba = Vec::with_capacity(side * side * 4);
        for y in 0..side {
            for x in 0..side {
                let (mx, my) = ((x / 4) as isize - 4, (y / 4) as isize - 4);
                let dark = mx >= 0 && my >= 0 && (mx as usize) < n && (my as usize) < n
                    && colors[my as usize * n + mx as usize] == qrcode::Color::Dark;
                let v = if dark { 0 } else { 255 };
                rgba.extend_from_slice(&[v, v, v, 255]);
            }
        }
        (rgba, side as u32, side as u32)
    }

    #[wasm_bindgen_test]
    fn request_survives_the_message_format() {
        let request = Request::DecodeQr { rgba: vec![1, 2, 3, 4, 5, 6, 7, 8], width: 2, height: 1, budget: 3_000_000 };
        let (msg, transfer) = request.to_js(42);
        assert_eq!(transfer.length(), 1, "the pixel buffer is transferred, not copied");
        assert_eq!(Request::from_js(&msg).unwrap(), (42, request));
        assert!(Request::from_js(&js_sys::Object::new().into()).is_err());
    }

    #[wasm_bindgen_test]
    fn every_response_survives_the_message_format() {
        for response in [
            Response::Qr(Ok(vec!["mã thứ nhất".into(), "001090012345||Nguyễn Văn Bình".into()])),
            Response::Qr(Ok(vec![])),
            Response::Qr(Err(QrError::NotFound)),
            Response::Qr(Err(QrError::TooLarge { width: 9000, height: 7000 })),
            Response::Qr(Err(QrError::BadBuffer { expected: 16, got: 10 })),
            Response::Failed("unknown request kind".into()),
        ] {
            assert_eq!(Response::from_js(&response.to_js(7)).unwrap(), (7, response));
        }
    }

    #[wasm_bindgen_test]
    fn the_worker_handler_decodes_in_wasm() {
        let text = "001090012345||Nguyễn Văn Bình|15031990|Nam|Thôn Đông Hưng|01022021";
        let (rgba, w, h) = qr_rgba(text);
        let (msg, _) = Request::DecodeQr { rgba, width: w, height: h, budget: 3_000_000 }.to_js(1);
        let (_, request) = Request::from_js(&msg).unwrap();
        assert_eq!(handle(request), Response::Qr(Ok(vec![text.to_string()])));
        let blank = Request::DecodeQr { rgba: vec![255; 64 * 64 * 4], width: 64, height: 64, budget: 3_000_000 };
        assert_eq!(handle(blank), Response::Qr(Err(QrError::NotFound)));
        let short = Request::DecodeQr { rgba: vec![0; 10], width: 4, height: 4, budget: 1 };
        assert_eq!(handle(short), Response::Qr(Err(QrError::BadBuffer { expected: 64, got: 10 })));
    }
}

/// In wasm, hoso-core normalizes with the browser's Unicode tables (text.rs);
/// they must agree with what the native build does with the Rust tables.
mod text_in_the_browser {
    use hoso_core::text::{clean, fold, nfc, nfd, person_name, slug};
    use wasm_bindgen_test::*;

    #[wasm_bindgen_test]
    fn nfc_and_nfd_round_trip_vietnamese() {
        let composed = "Nguyễn Thị Ánh Dương, Đắk Lắk, Hòa Bình";
        let decomposed = nfd(composed);
        assert_ne!(decomposed, composed);
        assert_eq!(decomposed.chars().count(), 51);
        assert_eq!(nfc(&decomposed), composed);
        assert_eq!(clean("  Nguye\u{0302}\u{0303}n  Va\u{0306}n\tAn "), "Nguyễn Văn An");
        assert_eq!(person_name("h'hen NIÊ"), "H'Hen Niê");
    }

    #[wasm_bindgen_test]
    fn folding_drops_every_mark() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold(&nfd("Ỷ Ẫ ỡ")), "y a o");
        assert_eq!(slug("Giấy chứng sinh"), "giay-chung-sinh");
    }
}

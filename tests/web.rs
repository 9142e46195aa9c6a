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
async fn photo_decodes_at_full_size_through_offscreen_canvas() {
    let rgb = images::decode_rgb(&photo(1800, 2400)).await.unwrap();
    assert_eq!((rgb.width, rgb.height), (1800, 2400));
    assert_eq!(rgb.data.len(), 1800 * 2400 * 3);
    // Ink bars stay dark, paper stays light (JPEG tolerance).
    assert!(rgb.data[20 * 3] < 60, "{}", rgb.data[20 * 3]);
    let paper = ((41 * 1800 + 5) * 3) as usize;
    assert!(rgb.data[paper] > 180, "{}", rgb.data[paper]);
}

#[wasm_bindgen_test]
async fn every_exif_orientation_comes_out_upright() {
    // Dark bar at the top left, mid-grey block at the bottom right: no symmetry.
    let (w, h) = (96u32, 64u32);
    let rgba: Vec<u8> = (0..w * h)
        .flat_map(|i| {
            let (x, y) = (i % w, i / w);
            let v = if y < 16 && x < 48 { 20 } else if y >= 40 && x >= 72 { 120 } else { 230 };
            [v, v, v, 255]
        })
        .collect();
    let plain = hoso_image::encode_page(&rgba, w, h, 72.0).unwrap().jpeg;
    let upright = images::decode_rgb(&plain).await.unwrap();
    // EXIF orientation → turned clockwise, then mirrored left to right.
    for (orientation, turn, mirror) in
        [(1, 0, false), (2, 0, true), (3, 180, false), (4, 180, true), (5, 90, true), (6, 90, false), (7, 270, true), (8, 270, false)]
    {
        let got = images::decode_rgb(&hoso_image::testpage::with_exif_orientation(&plain, orientation)).await.unwrap();
        let mut want = hoso_image::pipeline::rotate_quarters(upright.clone(), turn);
        if mirror {
            let row = want.width as usize * 3;
            for line in want.data.chunks_exact_mut(row) {
                let flipped: Vec<u8> = line.chunks_exact(3).rev().flatten().copied().collect();
                line.copy_from_slice(&flipped);
            }
        }
        assert_eq!((got.width, got.height), (want.width, want.height), "orientation {orientation}");
        let worst = got.data.iter().zip(&want.data).map(|(a, b)| a.abs_diff(*b)).max().unwrap();
        assert!(worst <= 2, "orientation {orientation}: a channel differs by {worst}");
    }
}

#[wasm_bindgen_test]
async fn undecodable_files_give_reasons() {
    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    assert_eq!(images::decode_rgb(&heic).await.err(), Some(ImageError::Heic));
    // A valid PNG header over garbage: passes the probe, the browser refuses it.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR\0\0\0\x40\0\0\0\x40\x08\x02\0\0\0\0\0\0\0".to_vec();
    png.extend_from_slice(&[0x55; 200]);
    assert!(matches!(images::decode_rgb(&png).await, Err(ImageError::Corrupt(_))));
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
    use hoso_app::platform::worker::{handle, progress_from_js, progress_to_js, Request, Response, ScanParams, ScannedPage};
    use wasm_bindgen::JsCast;
    use hoso_image::{EncodedPage, ImageError, JpegLayer, Paper, ProcessedPage, Profile, Stage};
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

    fn quiet(_: Stage) {}

    #[wasm_bindgen_test]
    async fn the_worker_handler_decodes_in_wasm() {
        let text = "001090012345||Nguyễn Văn Bình|15031990|Nam|Thôn Đông Hưng|01022021";
        let (rgba, w, h) = qr_rgba(text);
        let (msg, _) = Request::DecodeQr { rgba, width: w, height: h, budget: 3_000_000 }.to_js(1);
        let (_, request) = Request::from_js(&msg).unwrap();
        assert_eq!(handle(request, &quiet).await, Response::Qr(Ok(vec![text.to_string()])));
        let blank = Request::DecodeQr { rgba: vec![255; 64 * 64 * 4], width: 64, height: 64, budget: 3_000_000 };
        assert_eq!(handle(blank, &quiet).await, Response::Qr(Err(QrError::NotFound)));
        let short = Request::DecodeQr { rgba: vec![0; 10], width: 4, height: 4, budget: 1 };
        assert_eq!(handle(short, &quiet).await, Response::Qr(Err(QrError::BadBuffer { expected: 64, got: 10 })));
    }

    #[wasm_bindgen_test]
    fn scan_request_survives_the_message_format() {
        let corners = Some([(10.5, 20.0), (900.0, 15.25), (910.0, 1200.0), (5.0, 1190.0)]);
        for params in [
            ScanParams::default(),
            ScanParams { profile: Profile::Mixed, paper: Some(Paper::IdCard), rotation: 270, corners, page: 0 },
            ScanParams { profile: Profile::Text, paper: Some(Paper::A5), rotation: 90, corners: None, page: 11 },
        ] {
            let request = Request::ScanPage { file: vec![0xFF, 0xD8, 1, 2, 3], params };
            let (msg, transfer) = request.to_js(9);
            assert_eq!(transfer.length(), 1, "the file is transferred, not copied");
            assert_eq!(Request::from_js(&msg).unwrap(), (9, request));
        }
        // A rotation that is not a quarter turn, corners that are not eight numbers: refused.
        let (msg, _) = Request::ScanPage { file: vec![1], params: ScanParams::default() }.to_js(3);
        js_sys::Reflect::set(&msg, &"rotation".into(), &45.into()).unwrap();
        assert!(Request::from_js(&msg).is_err());
        let (msg, _) = Request::ScanPage { file: vec![1], params: ScanParams::default() }.to_js(3);
        let three: js_sys::Array = [1.0, 2.0, 3.0].iter().map(|v| wasm_bindgen::JsValue::from(*v)).collect();
        js_sys::Reflect::set(&msg, &"corners".into(), &three).unwrap();
        assert!(Request::from_js(&msg).is_err());
    }

    #[wasm_bindgen_test]
    fn scan_responses_and_progress_survive_the_message_format() {
        let page = ProcessedPage {
            width_px: 1654,
            height_px: 2339,
            dpi: 200.0,
            profile: Profile::Mixed,
            skew_degrees: 0.5,
            encoded: EncodedPage::Mrc {
                mask_g4: vec![7; 30],
                background: JpegLayer { jpeg: vec![0xFF, 0xD8, 9], width_px: 552, height_px: 780 },
                foreground: JpegLayer { jpeg: vec![0xFF, 0xD8, 8], width_px: 552, height_px: 780 },
            },
        };
        let made = ScannedPage {
            page,
            thumb_jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9],
            corners: Some([(1.0, 2.0), (3.0, 4.0), (5.0, 6.0), (7.0, 8.0)]),
            source_size: (4000, 3000),
            paper: Paper::A4,
            ms: 812,
        };
        let (msg, transfer) = Response::Scanned(Ok(made.clone())).to_js_transfer(5);
        assert_eq!(transfer.length(), 1, "the page travels as one transferred buffer");
        assert_eq!(Response::from_js(&msg).unwrap(), (5, Response::Scanned(Ok(made))));
        for error in [
            ImageError::Heic,
            ImageError::UnknownFormat,
            ImageError::TooLarge { width: 9000, height: 8000 },
            ImageError::Corrupt("trình duyệt không giải mã được ảnh".into()),
        ] {
            let response = Response::Scanned(Err(error));
            assert_eq!(Response::from_js(&response.to_js(6)).unwrap(), (6, response));
        }
        for stage in Stage::ALL {
            assert_eq!(progress_from_js(&progress_to_js(4, stage)), Some((4, stage)));
        }
        assert_eq!(progress_from_js(&Response::Failed("x".into()).to_js(4)), None);
    }

    /// A sealed A4 sheet photographed on a dark table, as a phone JPEG.
    fn sealed_photo() -> Vec<u8> {
        use hoso_image::testpage::{photograph, render, Background, Camera, Scene};
        let (sheet, _) = render(&Scene { width: 496, height: 702, dpi: 60.0, seal: true, ..Scene::default() });
        let camera = Camera { frame: (960, 720), mm: (210.0, 297.0), yaw: 5.0, pitch: 10.0, roll: -3.0, focal: 0.7, fill: 0.8, offset: (0.0, 0.0) };
        let (photo, _) = photograph(&sheet, &camera, Background::Dark, 0.2, 3, 7);
        let rgba: Vec<u8> = photo.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        hoso_image::encode_page(&rgba, photo.width, photo.height, 72.0).unwrap().jpeg
    }

    #[wasm_bindgen_test]
    async fn the_worker_handler_makes_a_page_of_a_photo() {
        let seen = std::cell::RefCell::new(Vec::new());
        let tell = |s: Stage| seen.borrow_mut().push(s);
        let (msg, _) = Request::ScanPage { file: sealed_photo(), params: ScanParams::default() }.to_js(1);
        let (_, request) = Request::from_js(&msg).unwrap();
        let Response::Scanned(Ok(made)) = handle(request, &tell).await else { panic!("no page") };
        assert_eq!(*seen.borrow(), Stage::ALL);
        assert_eq!(made.source_size, (960, 720));
        assert!(made.corners.is_some(), "the sheet is found on the table");
        assert_eq!(made.paper, Paper::A4);
        // At this photo's 50 dpi Auto may see a picture; either way the seal keeps its colour.
        assert!(matches!(made.page.profile, Profile::Mixed | Profile::Color), "{:?}", made.page.profile);
        let ratio = made.page.height_px as f32 / made.page.width_px as f32;
        assert!((ratio - 1.414).abs() < 0.02, "{} × {}", made.page.width_px, made.page.height_px);
        assert_eq!(&made.thumb_jpeg[..2], &[0xFF, 0xD8]);
        let file = [b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".as_slice(), &[0; 64]].concat();
        let heic = Request::ScanPage { file, params: ScanParams::default() };
        assert_eq!(handle(heic, &quiet).await, Response::Scanned(Err(ImageError::Heic)));
    }

    /// Multi-page files: the page index, counting and rendering cross the
    /// message format, and so do the refusals of a whole file.
    #[wasm_bindgen_test]
    fn multipage_messages_survive_the_message_format() {
        let request = Request::ScanPage { file: vec![1, 2], params: ScanParams { page: 7, ..ScanParams::default() } };
        let (msg, _) = request.to_js(2);
        assert_eq!(js_sys::Reflect::get(&msg, &"page".into()).unwrap().as_f64(), Some(7.0));
        assert_eq!(Request::from_js(&msg).unwrap(), (2, request));
        // From an app before multi-page files: no "page", the first.
        js_sys::Reflect::delete_property(msg.unchecked_ref::<js_sys::Object>(), &"page".into()).unwrap();
        let (_, Request::ScanPage { params, .. }) = Request::from_js(&msg).unwrap() else { panic!() };
        assert_eq!(params.page, 0);
        for request in [Request::CountPages { file: b"%PDF-1.4".to_vec() }, Request::RenderPage { file: vec![9; 4], page: 3, long: 2400 }] {
            let (msg, transfer) = request.to_js(8);
            assert_eq!(transfer.length(), 1, "the file is transferred, not copied");
            assert_eq!(Request::from_js(&msg).unwrap(), (8, request));
        }
        let (msg, _) = Request::RenderPage { file: vec![1], page: 0, long: 10 }.to_js(1);
        js_sys::Reflect::set(&msg, &"long".into(), &0.into()).unwrap();
        assert!(Request::from_js(&msg).is_err());
        let refusals = [
            ImageError::Encrypted,
            ImageError::NotScanned,
            ImageError::TooManyPages { pages: 501, max: 500 },
            ImageError::Corrupt("PDF: ảnh G4 hỏng".into()),
        ];
        for e in refusals.iter().cloned() {
            for response in [Response::PageCount(Err(e.clone())), Response::Rendered(Err(e.clone())), Response::Scanned(Err(e.clone()))] {
                assert_eq!(Response::from_js(&response.to_js(6)).unwrap(), (6, response));
            }
        }
        for response in [Response::PageCount(Ok(12)), Response::Rendered(Ok(vec![0xFF, 0xD8, 0xFF, 0xD9]))] {
            assert_eq!(Response::from_js(&response.to_js(3)).unwrap(), (3, response));
        }
        assert!(ImageError::TooManyPages { pages: 501, max: 500 }.msg().vi().contains("500 trang"));
    }

    /// A scanner-like PDF: page 1 the photo's JPEG (the browser decodes
    /// it), page 2 raw grey pixels (hoso-image decodes them).
    fn two_page_pdf() -> Vec<u8> {
        let jpeg = sealed_photo();
        let grey: Vec<u8> = (0..300 * 400).map(|i| if (i / 300) % 40 < 3 { 30 } else { 235 }).collect();
        let mut pdf = b"%PDF-1.4\n".to_vec();
        for (id, dict, data) in [
            (1, "/Width 960 /Height 720 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode", jpeg.as_slice()),
            (2, "/Width 300 /Height 400 /ColorSpace /DeviceGray /BitsPerComponent 8", grey.as_slice()),
        ] {
            pdf.extend(format!("{id} 0 obj\n<< /Type /XObject /Subtype /Image {dict} /Length {} >>\nstream\n", data.len()).bytes());
            pdf.extend_from_slice(data);
            pdf.extend_from_slice(b"\nendstream\nendobj\n");
        }
        pdf.extend_from_slice(b"trailer\n<< /Root 9 0 R >>\n%%EOF\n");
        pdf
    }

    #[wasm_bindgen_test]
    async fn the_worker_handler_makes_each_page_of_a_scanner_pdf() {
        let pdf = two_page_pdf();
        assert_eq!(handle(Request::CountPages { file: pdf.clone() }, &quiet).await, Response::PageCount(Ok(2)));
        let page = |i| Request::ScanPage { file: pdf.clone(), params: ScanParams { page: i, ..ScanParams::default() } };
        let Response::Scanned(Ok(first)) = handle(page(0), &quiet).await else { panic!("no page 1") };
        assert_eq!(first.source_size, (960, 720), "the JPEG page, decoded by the browser");
        let Response::Scanned(Ok(second)) = handle(page(1), &quiet).await else { panic!("no page 2") };
        assert_eq!(second.source_size, (300, 400), "the grey page, decoded by hoso-image");
        assert!(matches!(handle(page(2), &quiet).await, Response::Scanned(Err(ImageError::Corrupt(_)))));
        // The corner editor's picture of a page: a JPEG no longer than asked.
        let Response::Rendered(Ok(jpeg)) = handle(Request::RenderPage { file: pdf.clone(), page: 0, long: 480 }, &quiet).await else {
            panic!("no picture")
        };
        let probe = hoso_image::probe(&jpeg).unwrap();
        assert_eq!((probe.width, probe.height), (480, 360));
        let locked = [&pdf[..pdf.len() - 10], b" /Encrypt 5 0 R >>\n"].concat();
        assert_eq!(handle(Request::CountPages { file: locked }, &quiet).await, Response::PageCount(Err(ImageError::Encrypted)));
        let photo = Request::CountPages { file: sealed_photo() };
        assert_eq!(handle(photo, &quiet).await, Response::PageCount(Ok(1)));
    }

    /// A multi-page file kept in the worker: sent once (the only request
    /// that carries bytes), its pages made by id, forgotten on release; a
    /// file refused is not kept, and a page of a file not kept says so
    /// (the page then sends the file again).
    #[wasm_bindgen_test]
    async fn a_held_file_is_made_by_id_and_forgotten() {
        use hoso_app::platform::worker::NOT_HELD;
        use std::rc::Rc;
        let pdf = Rc::new(two_page_pdf());
        let held = |id, page| Request::ScanHeld { file_id: id, params: ScanParams { page, profile: Profile::Text, ..ScanParams::default() } };
        for request in [Request::HoldFile { file_id: 5, file: pdf.clone() }, held(5, 1), Request::ReleaseFile { file_id: 5 }, Request::WarmUp { profile: Profile::Mixed }] {
            let (msg, transfer) = request.to_js(4);
            assert_eq!(transfer.length(), u32::from(matches!(request, Request::HoldFile { .. })), "{request:?}");
            assert_eq!(Request::from_js(&msg).unwrap(), (4, request));
        }
        for response in [Response::Warmed(120), Response::Released(2), Response::Failed(NOT_HELD.into())] {
            assert_eq!(Response::from_js(&response.to_js(3)).unwrap(), (3, response));
        }
        assert_eq!(handle(Request::HoldFile { file_id: 5, file: pdf.clone() }, &quiet).await, Response::PageCount(Ok(2)));
        let Response::Scanned(Ok(second)) = handle(held(5, 1), &quiet).await else { panic!("no page 2") };
        assert_eq!(second.source_size, (300, 400), "page 2 of the kept file");
        let Response::Scanned(Ok(first)) = handle(held(5, 0), &quiet).await else { panic!("no page 1") };
        assert_eq!(first.source_size, (960, 720), "page 1 of the kept file");
        assert_eq!(handle(Request::ReleaseFile { file_id: 5 }, &quiet).await, Response::Released(0));
        assert_eq!(handle(held(5, 0), &quiet).await, Response::Failed(NOT_HELD.into()));
        let locked = [&pdf[..pdf.len() - 10], b" /Encrypt 5 0 R >>\n"].concat();
        let refused = handle(Request::HoldFile { file_id: 6, file: Rc::new(locked) }, &quiet).await;
        assert_eq!(refused, Response::PageCount(Err(ImageError::Encrypted)));
        assert_eq!(handle(held(6, 0), &quiet).await, Response::Failed(NOT_HELD.into()), "a refused file is not kept");
        assert!(matches!(handle(Request::WarmUp { profile: Profile::Auto }, &quiet).await, Response::Warmed(_)));
    }
}

/// In wasm, hoso-core normalizes with the browser's Unicode tables (text.rs);
/// they must agree with what the native build does with the Rust tables.
mod text_in_the_browser {
    use hoso_core::text::{clean, fold, lower, nfc, nfd, person_name, sentence_case, slug, upper};
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

    /// The browser's case mapping (no Rust case tables in the app) gives
    /// what Rust's does for every Latin and Vietnamese letter.
    #[wasm_bindgen_test]
    fn case_mapping_matches_rust_for_vietnamese() {
        let letters = (0x41..=0x24Fu32).chain(0x1E00..=0x1EFF).filter_map(char::from_u32).filter(|c| c.is_alphabetic());
        let mut checked = 0;
        for c in letters {
            let s = c.to_string();
            assert_eq!(upper(&s), s.to_uppercase(), "upper {c:?}");
            assert_eq!(lower(&s), s.to_lowercase(), "lower {c:?}");
            checked += 1;
        }
        assert!(checked > 500, "{checked} letters");
        assert_eq!(upper("Ủy ban nhân dân"), "ỦY BAN NHÂN DÂN");
        assert_eq!(sentence_case("ủy quyền"), "Ủy quyền");
        assert_eq!(person_name("ĐINH thị ỷ"), "Đinh Thị Ỷ");
    }

    #[wasm_bindgen_test]
    fn folding_drops_every_mark() {
        assert_eq!(fold("Nguyễn Văn Đức"), "nguyen van duc");
        assert_eq!(fold(&nfd("Ỷ Ẫ ỡ")), "y a o");
        assert_eq!(slug("Giấy chứng sinh"), "giay-chung-sinh");
    }
}

/// The ordered line (platform/queue.rs) that keeps pages, dropped files and
/// autosaves one at a time, in order.
mod line {
    use super::*;
    use gloo::timers::future::TimeoutFuture;
    use hoso_app::platform::queue::Line;
    use std::cell::RefCell;
    use std::rc::Rc;

    /// Lets every ready promise callback and spawned future run.
    async fn settle() {
        TimeoutFuture::new(20).await;
    }

    #[wasm_bindgen_test]
    async fn turns_come_in_the_order_asked_one_at_a_time() {
        let line = Rc::new(Line::new());
        let log = Rc::new(RefCell::new(Vec::<String>::new()));
        for i in 0..5u32 {
            // Asked for in this order; each holds its turn across awaits of
            // different lengths (the later ones shorter), so overlapping or
            // reordered turns would show in the log.
            let wait = line.turn();
            let log = log.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _turn = wait.await;
                log.borrow_mut().push(format!("start {i}"));
                TimeoutFuture::new(25 - i * 5).await;
                log.borrow_mut().push(format!("end {i}"));
            });
        }
        line.idle().await;
        let expected: Vec<String> = (0..5).flat_map(|i| [format!("start {i}"), format!("end {i}")]).collect();
        assert_eq!(*log.borrow(), expected);
    }

    #[wasm_bindgen_test]
    async fn a_turn_held_keeps_the_next_waiting_until_dropped() {
        let line = Line::new();
        let first = line.turn().await;
        let reached = Rc::new(RefCell::new(false));
        let next = line.turn();
        {
            let reached = reached.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _turn = next.await;
                *reached.borrow_mut() = true;
            });
        }
        settle().await;
        assert!(!*reached.borrow(), "the second turn came while the first was held");
        drop(first);
        settle().await;
        assert!(*reached.borrow(), "dropping the first turn did not let the second through");
    }

    /// An early return (`?`) drops the turn: the line goes on.
    #[wasm_bindgen_test]
    async fn a_turn_is_released_on_an_early_return() {
        async fn fails(line: &Line) -> Result<(), &'static str> {
            let _turn = line.turn().await;
            Err("stopped half way")?;
            unreachable!()
        }
        let line = Line::new();
        assert_eq!(fails(&line).await, Err("stopped half way"));
        let reached = Rc::new(RefCell::new(false));
        let next = line.turn();
        {
            let reached = reached.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _turn = next.await;
                *reached.borrow_mut() = true;
            });
        }
        settle().await;
        assert!(*reached.borrow(), "the line stalled after an early return");
    }

    /// A wait abandoned before its turn (a cancelled future) does not stall
    /// the line, and does not let the one after it jump the turn still held.
    #[wasm_bindgen_test]
    async fn an_abandoned_wait_passes_its_place_on() {
        let line = Line::new();
        let first = line.turn().await;
        let abandoned = line.turn();
        let third = line.turn();
        let reached = Rc::new(RefCell::new(false));
        {
            let reached = reached.clone();
            wasm_bindgen_futures::spawn_local(async move {
                let _turn = third.await;
                *reached.borrow_mut() = true;
            });
        }
        drop(abandoned);
        settle().await;
        assert!(!*reached.borrow(), "the third turn came while the first was still held");
        drop(first);
        settle().await;
        assert!(*reached.borrow(), "an abandoned wait stalled the line");
    }
}

/// A picked file sealed on the JS side (platform/crypto.rs `encrypt_blob`,
/// used when a file is kept under a PIN) opens with `decrypt` like bytes
/// sealed by `encrypt`: the same format, the inbox reads both.
mod sealed_files {
    use super::*;
    use hoso_app::platform::crypto;

    #[wasm_bindgen_test]
    async fn a_blob_sealed_in_js_opens_with_the_pin_key_only() {
        let plain: Vec<u8> = (0..200_000u32).map(|i| (i * 31 % 251) as u8).collect();
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&plain[..]));
        let file = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
        let key = crypto::derive_key("246810", b"salt-of-16-bytes", 1000).await.unwrap();
        let sealed = crypto::encrypt_blob(&key, &file, "application/x-hoso-sealed").await.unwrap();
        assert_eq!(sealed.type_(), "application/x-hoso-sealed");
        let buffer = JsFuture::from(sealed.array_buffer()).await.unwrap();
        let bytes = js_sys::Uint8Array::new(&buffer).to_vec();
        // IV (12) + ciphertext + GCM tag (16); the plain bytes are not in it.
        assert_eq!(bytes.len(), plain.len() + 12 + 16);
        assert!(bytes.windows(64).all(|w| w != &plain[1000..1064]), "plain text left in the sealed file");
        assert_eq!(crypto::decrypt(&key, &bytes).await.unwrap(), plain);
        let other = crypto::derive_key("135790", b"salt-of-16-bytes", 1000).await.unwrap();
        assert!(crypto::decrypt(&other, &bytes).await.is_err(), "opened with another PIN");
    }
}

/// A purge ("Xoá dữ liệu") landing while a dropped file is being sealed
/// under the PIN: the write that follows is refused, nothing is stored;
/// a dossier begun after the purge keeps its files as before.
mod purge_window {
    use super::*;
    use hoso_app::platform::crypto;
    use hoso_app::platform::idb::{InboxMeta, Store};

    #[wasm_bindgen_test]
    async fn a_copy_sealed_before_a_purge_is_not_written_after_it() {
        let store = Store::open_named("hoso-test-purge-window").await.unwrap();
        let key = crypto::derive_key("246810", b"salt-of-16-bytes", 1000).await.unwrap();
        store.set_key(Some(key));
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"a dropped photo"[..]));
        let file = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
        let meta = InboxMeta { component: "giay-chung-sinh".into(), name: "a.jpg".into(), ..InboxMeta::default() };
        // Kept before the purge: stored, then wiped by it.
        store.inbox_put_file("d1/in-0", &meta, &file).await.unwrap();
        assert_eq!(store.inbox_entries("d1").await.unwrap().len(), 1);
        let copy = store.inbox_copy(&file).await.unwrap();
        store.clear().await.unwrap();
        assert!(store.inbox_put_copy("d1/in-1", &meta, copy).await.is_err(), "written after the purge");
        assert!(store.inbox_put("d1/in-2", &meta, b"bytes").await.is_err(), "a late copy written after the purge");
        assert_eq!(store.inbox_entries("d1").await.unwrap().len(), 0);
        // A dossier begun after the purge (the next citizen) keeps its files.
        store.inbox_put_file("d2/in-0", &meta, &file).await.unwrap();
        assert_eq!(store.inbox_entries("d2").await.unwrap().len(), 1);
    }

    #[wasm_bindgen_test]
    async fn a_deleted_draft_takes_no_more_files_and_others_still_do() {
        let store = Store::open_named("hoso-test-purge-delete").await.unwrap();
        let meta = InboxMeta { component: "giay-chung-sinh".into(), name: "b.jpg".into(), ..InboxMeta::default() };
        let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(&b"another photo"[..]));
        let file = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
        let copy = store.inbox_copy(&file).await.unwrap();
        store.delete("d3").await.unwrap();
        assert!(store.inbox_put_copy("d3/in-0", &meta, copy).await.is_err(), "written after its draft was deleted");
        store.inbox_put_file("d4/in-0", &meta, &file).await.unwrap();
        assert_eq!(store.inbox_entries("d3").await.unwrap().len(), 0);
        assert_eq!(store.inbox_entries("d4").await.unwrap().len(), 1);
    }
}

//! Photos and scans into page images. The browser decodes (it knows JPEG,
//! PNG, WebP and applies EXIF orientation, off the Rust heap); hoso-image
//! does the checks, the sizing and the JPEG encoding, as in the CLI.

use hoso_image::{page_size, probe, ImageError, Page};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, ImageBitmapOptions, ImageOrientation};

/// Turns one image file into a page at 200 dpi (A4 assumed).
pub async fn page_from_bytes(bytes: &[u8]) -> Result<Page, ImageError> {
    let mut dpi = 0.0;
    let (rgba, w, h) = decode_scaled(bytes, |w, h| {
        let (pw, ph, d) = page_size(w, h);
        dpi = d;
        (pw, ph)
    })
    .await?;
    hoso_image::encode_page(&rgba, w, h, dpi)
}

/// RGBA pixels of an image file, scaled down so the long side is at most
/// `max_side` (what a QR decoder needs, not a page).
pub async fn rgba_from_bytes(bytes: &[u8], max_side: u32) -> Result<(Vec<u8>, u32, u32), ImageError> {
    decode_scaled(bytes, |w, h| {
        let scale = (max_side as f32 / w.max(h) as f32).min(1.0);
        (((w as f32 * scale).round() as u32).max(1), ((h as f32 * scale).round() as u32).max(1))
    })
    .await
}

/// Decodes with the browser (EXIF orientation applied) and draws at the
/// size `size(width, height)` picks.
async fn decode_scaled(bytes: &[u8], size: impl FnOnce(u32, u32) -> (u32, u32)) -> Result<(Vec<u8>, u32, u32), ImageError> {
    probe(bytes)?; // HEIC, unknown formats and bombs never reach the decoder
    let array = js_sys::Uint8Array::from(bytes);
    let parts = js_sys::Array::of1(&array);
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(js_error)?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let window = gloo::utils::window();
    let promise = window.create_image_bitmap_with_blob_and_image_bitmap_options(&blob, &options).map_err(js_error)?;
    let bitmap: ImageBitmap = JsFuture::from(promise)
        .await
        .map_err(|_| ImageError::Corrupt("trình duyệt không giải mã được ảnh".into()))?
        .unchecked_into();
    let (w, h) = size(bitmap.width(), bitmap.height());
    let rgba = draw_scaled(&bitmap, w, h);
    bitmap.close();
    Ok((rgba?, w, h))
}

fn draw_scaled(bitmap: &ImageBitmap, w: u32, h: u32) -> Result<Vec<u8>, ImageError> {
    let canvas: HtmlCanvasElement = gloo::utils::document().create_element("canvas").map_err(js_error)?.unchecked_into();
    canvas.set_width(w);
    canvas.set_height(h);
    let ctx: CanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or_else(|| ImageError::Corrupt("canvas 2d".into()))?
        .unchecked_into();
    // Not in web-sys' stable API; "high" gives a proper downscale filter.
    let _ = js_sys::Reflect::set(&ctx, &"imageSmoothingQuality".into(), &"high".into());
    ctx.draw_image_with_image_bitmap_and_dw_and_dh(bitmap, 0.0, 0.0, w.into(), h.into()).map_err(js_error)?;
    let data = ctx.get_image_data(0.0, 0.0, w.into(), h.into()).map_err(js_error)?;
    Ok(data.data().0)
}

fn js_error(e: JsValue) -> ImageError {
    ImageError::Corrupt(e.as_string().unwrap_or_else(|| format!("{e:?}")))
}

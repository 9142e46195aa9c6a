//! Photos and scans into pixels. The browser decodes (it knows JPEG, PNG,
//! WebP and applies EXIF orientation, off the Rust heap); hoso-image does
//! the checks first and, in the worker, the rest of the pipeline.

use hoso_image::{probe, ImageError, Rgb};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{CanvasRenderingContext2d, HtmlCanvasElement, ImageBitmap, ImageBitmapOptions, ImageOrientation};

/// An image file's pixels at full size, EXIF orientation applied. Runs in
/// the page processor (a worker: `createImageBitmap` and `OffscreenCanvas`,
/// both there and in a window); HEIC, unknown files and pixel bombs are
/// refused from the header, before any decoding.
pub async fn decode_rgb(bytes: &[u8]) -> Result<Rgb, ImageError> {
    let bitmap = bitmap_of(bytes).await?;
    let (w, h) = (bitmap.width(), bitmap.height());
    let rgba = draw_offscreen(&bitmap, w, h);
    bitmap.close();
    Rgb::from_rgba(&rgba?, w, h).ok_or_else(|| ImageError::Corrupt(format!("{w} × {h}")))
}

/// The browser's decoding of a probed file, from whichever global we run in.
async fn bitmap_of(bytes: &[u8]) -> Result<ImageBitmap, ImageError> {
    probe(bytes)?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).map_err(js_error)?;
    let options = ImageBitmapOptions::new();
    options.set_image_orientation(ImageOrientation::FromImage);
    let global = js_sys::global();
    let create: js_sys::Function = js_sys::Reflect::get(&global, &"createImageBitmap".into())
        .map_err(js_error)?
        .dyn_into()
        .map_err(|_| ImageError::Corrupt("createImageBitmap".into()))?;
    let promise: js_sys::Promise = create.call2(&global, &blob, &options).map_err(js_error)?.unchecked_into();
    Ok(JsFuture::from(promise).await.map_err(|_| ImageError::Corrupt("trình duyệt không giải mã được ảnh".into()))?.unchecked_into())
}

fn draw_offscreen(bitmap: &ImageBitmap, w: u32, h: u32) -> Result<Vec<u8>, ImageError> {
    let canvas = web_sys::OffscreenCanvas::new(w, h).map_err(js_error)?;
    let ctx: web_sys::OffscreenCanvasRenderingContext2d = canvas
        .get_context("2d")
        .map_err(js_error)?
        .ok_or_else(|| ImageError::Corrupt("canvas 2d".into()))?
        .unchecked_into();
    ctx.draw_image_with_image_bitmap(bitmap, 0.0, 0.0).map_err(js_error)?;
    let data = ctx.get_image_data(0.0, 0.0, w.into(), h.into()).map_err(js_error)?;
    Ok(data.data().0)
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
    let bitmap = bitmap_of(bytes).await?;
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

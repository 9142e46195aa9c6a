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
    decode_rgb_marked(bytes, &mut |_| ()).await
}

/// [`decode_rgb`] telling `mark` when each step is done: "bitmap" (the
/// browser decoded), "pixels" (drawn and read back), "rgb" (in our memory).
pub async fn decode_rgb_marked(bytes: &[u8], mark: &mut dyn FnMut(&'static str)) -> Result<Rgb, ImageError> {
    let bitmap = bitmap_of(bytes).await?;
    mark("bitmap");
    let (w, h) = (bitmap.width(), bitmap.height());
    if let Some(rgb) = frame_rgb(&bitmap, w, h, mark).await {
        bitmap.close();
        return Ok(rgb);
    }
    let rgba = draw_offscreen(&bitmap, w, h);
    bitmap.close();
    mark("pixels");
    let rgb = Rgb::from_rgba(&rgba?, w, h).ok_or_else(|| ImageError::Corrupt(format!("{w} × {h}")));
    mark("rgb");
    rgb
}

/// The bitmap's pixels through WebCodecs' `VideoFrame`: copied as the
/// decoder stored them (no drawing, no `getImageData`, which alone took
/// 200–350 ms of a 12-megapixel photo) and turned upright here. `None`
/// where the browser has no `VideoFrame`, does not say the orientation, or
/// stores another pixel format (alpha, high bit depth): the canvas then.
async fn frame_rgb(bitmap: &ImageBitmap, w: u32, h: u32, mark: &mut dyn FnMut(&'static str)) -> Option<Rgb> {
    let ctor: js_sys::Function = js_sys::Reflect::get(&js_sys::global(), &"VideoFrame".into()).ok()?.dyn_into().ok()?;
    let init = js_sys::Object::new();
    js_sys::Reflect::set(&init, &"timestamp".into(), &0.into()).ok()?;
    let frame = js_sys::Reflect::construct(&ctor, &js_sys::Array::of2(bitmap, &init)).ok()?;
    let rgb = copy_frame(&frame, w, h, mark).await;
    if let Ok(close) = js_sys::Reflect::get(&frame, &"close".into()).and_then(|f| f.dyn_into::<js_sys::Function>().map_err(JsValue::from)) {
        let _ = close.call0(&frame);
    }
    rgb
}

async fn copy_frame(frame: &JsValue, w: u32, h: u32, mark: &mut dyn FnMut(&'static str)) -> Option<Rgb> {
    use hoso_image::raster::{Orienter, PixelOrder};
    let get = |target: &JsValue, key: &str| js_sys::Reflect::get(target, &key.into()).ok();
    let order = match get(frame, "format")?.as_string()?.as_str() {
        "RGBX" => PixelOrder::Rgbx,
        "BGRX" => PixelOrder::Bgrx,
        _ => return None,
    };
    let rotation = get(frame, "rotation")?.as_f64()?;
    let flip = get(frame, "flip")?.as_bool()?;
    let rect = get(frame, "visibleRect")?;
    let (cw, ch) = (get(&rect, "width")?.as_f64()? as u32, get(&rect, "height")?.as_f64()? as u32);
    let upright = if rotation % 180.0 == 0.0 { (cw, ch) } else { (ch, cw) };
    let row = cw as usize * 4;
    let call = |name: &str, args: &js_sys::Array| -> Option<JsValue> {
        get(frame, name)?.dyn_into::<js_sys::Function>().ok()?.apply(frame, args).ok()
    };
    if upright != (w, h) || call("allocationSize", &js_sys::Array::new())?.as_f64()? != (row * ch as usize) as f64 {
        return None;
    }
    // Tightly packed rows (no layout asked), into a fresh JS buffer: wasm
    // memory may grow (and move) while the copy is awaited.
    let buffer = js_sys::Uint8Array::new_with_length((row * ch as usize) as u32);
    let copied: js_sys::Promise = call("copyTo", &js_sys::Array::of1(&buffer))?.dyn_into().ok()?;
    JsFuture::from(copied).await.ok()?;
    mark("pixels");
    let mut orienter = Orienter::new(cw, ch, order, rotation as u16, flip)?;
    // About a megabyte at a time: no second full-size copy in wasm memory.
    let band = (1 << 20) / row + 1;
    let mut scratch = vec![0u8; band * row];
    for first in (0..ch as usize).step_by(band) {
        let end = (first + band).min(ch as usize);
        let part = &mut scratch[..(end - first) * row];
        buffer.subarray((first * row) as u32, (end * row) as u32).copy_to(part);
        orienter.add_rows(part);
    }
    let rgb = orienter.finish();
    mark("rgb");
    rgb
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

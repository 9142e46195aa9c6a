//! Luồng nền — the background decoder: a second wasm binary
//! (`src/bin/hoso-worker.rs`) running in a dedicated web worker, so that
//! pixel work never freezes the page (a clerk keeps typing while a camera
//! frame is searched for a QR code).
//!
//! The worker is started on first use, not at page load: the main wasm
//! carries no decoder, and the worker's files come from the service
//! worker's cache like everything else, so it works offline.
//!
//! One request, one response, matched by id; a long request may post
//! `progress` messages with the same id before its answer. Messages are
//! plain JS objects with a `kind`; pixel and file buffers are transferred,
//! not copied. New kinds of work are new [`Request`]/[`Response`] variants.
//!
//! Kinds: `decode_qr` → `qr` (QR codes in a camera frame or a photo);
//! `scan_page` → `progress`… then `scanned` (one photo or scan file made
//! into a page by hoso-image's pipeline, as `hoso scan` does);
//! `count_pages` → `page_count` (pages of a TIFF or scanner PDF: each is
//! then a `scan_page` with its `page` index); `render_page` → `rendered`
//! (one page of such a file as a JPEG for the corner editor).

use hoso_core::i18n::Msg;
use hoso_image::{ImageError, Paper, ProcessedPage, Profile, Stage};
use hoso_qr::QrError;
use js_sys::{Array, Object, Promise, Reflect, Uint8Array};
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{DedicatedWorkerGlobalScope, ErrorEvent, MessageEvent, Worker};

use super::queue::Line;
pub use super::queue::Turn;

/// The worker's entry script: Trunk's loader shim for the `hoso-worker`
/// binary (unhashed: a worker's file name is fixed at run time).
pub const WORKER_URL: &str = "./hoso-worker_loader.js";

/// Pixel budget for one live camera frame: a quick look, the next frame comes soon.
pub const FRAME_BUDGET: u64 = 3_000_000;
/// A still photo gets the full search.
pub const STILL_BUDGET: u64 = hoso_qr::DEFAULT_BUDGET;
/// Time allowed for one still, including starting the worker on a slow PC.
pub const STILL_TIMEOUT_MS: u32 = 30_000;
/// Time allowed for one camera frame (the first one also starts the worker).
pub const FRAME_TIMEOUT_MS: u32 = 20_000;
/// Time allowed for one page (a 50-megapixel scan on an old PC), counted
/// from when it is its turn: pages are made one at a time.
pub const SCAN_TIMEOUT_MS: u32 = 180_000;
/// Long side of the colour thumbnail a page comes back with.
pub const THUMB_LONG: u32 = 360;

/// How one file is to become a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanParams {
    pub profile: Profile,
    /// `None`: from the sheet's proportions.
    pub paper: Option<Paper>,
    /// Clockwise quarter turns, degrees: 0, 90, 180, 270.
    pub rotation: u16,
    /// The sheet's corners in the file's pixels (EXIF orientation applied);
    /// `None`: found automatically.
    pub corners: Option<[(f32, f32); 4]>,
    /// Which page of the file, from 0 (a multi-page TIFF or scanner PDF).
    pub page: u32,
}

impl Default for ScanParams {
    fn default() -> ScanParams {
        ScanParams { profile: Profile::Auto, paper: None, rotation: 0, corners: None, page: 0 }
    }
}

/// A page made by the worker, with what the screen needs about it.
#[derive(Clone, Debug, PartialEq)]
pub struct ScannedPage {
    pub page: ProcessedPage,
    /// Colour JPEG of the flattened page, [`THUMB_LONG`] px on its long side.
    pub thumb_jpeg: Vec<u8>,
    /// Corners used (found or given), in the file's pixels.
    pub corners: Option<[(f32, f32); 4]>,
    /// The file's pixel size, EXIF orientation applied.
    pub source_size: (u32, u32),
    pub paper: Paper,
    /// Time the worker spent on it, decoding included.
    pub ms: u32,
}

/// Work for the background decoder.
#[derive(Clone, Debug, PartialEq)]
pub enum Request {
    /// Find QR codes in RGBA pixels (a canvas's `getImageData`), looking at
    /// no more than `budget` pixels in all.
    DecodeQr { rgba: Vec<u8>, width: u32, height: u32, budget: u64 },
    /// Make a page of an image file (its bytes, as picked).
    ScanPage { file: Vec<u8>, params: ScanParams },
    /// How many pages the file holds (1 for a photo), without decoding them.
    CountPages { file: Vec<u8> },
    /// Page `page` of the file as a JPEG at most `long` px on its long
    /// side: what the corner editor shows of a TIFF or PDF page.
    RenderPage { file: Vec<u8>, page: u32, long: u32 },
    /// Make a small synthetic photo into a page with `profile`, the way a
    /// dropped photo is (decoded by the browser, then the pipeline): the
    /// browser then has the hot loops compiled to optimised code before the
    /// first real page (làm nóng). Answered by [`Response::Warmed`].
    WarmUp { profile: Profile },
    /// Keep a TIFF or scanner PDF in the worker as `file_id` and count its
    /// pages (answered by [`Response::PageCount`]; a file refused is not
    /// kept): its pages are then [`Request::ScanHeld`], so a 70 MB file
    /// crosses to the worker once, not once per page.
    HoldFile { file_id: u32, file: Rc<Vec<u8>> },
    /// [`Request::ScanPage`] on a file kept by [`Request::HoldFile`];
    /// [`Response::Failed`] with [`NOT_HELD`] when the worker has no such
    /// file (it was restarted since).
    ScanHeld { file_id: u32, params: ScanParams },
    /// Forget a kept file; answered by [`Response::Released`].
    ReleaseFile { file_id: u32 },
}

/// What a worker answers a [`Request::ScanHeld`] for a file it does not keep.
pub const NOT_HELD: &str = "file not held";

/// The decoder's answer to one [`Request`].
#[derive(Clone, Debug, PartialEq)]
pub enum Response {
    Qr(Result<Vec<String>, QrError>),
    Scanned(Result<ScannedPage, ImageError>),
    PageCount(Result<u32, ImageError>),
    /// A JPEG of one page of a file.
    Rendered(Result<Vec<u8>, ImageError>),
    /// A warm-up done, in this many ms.
    Warmed(u32),
    /// A kept file forgotten; how many the worker still keeps.
    Released(u32),
    /// The worker could not read the request (a version mismatch after an
    /// update, say): its words, for the log.
    Failed(String),
}

/// What the worker does with a request; `progress` hears of each step of
/// a long one. Runs inside the worker only; the main binary never calls
/// it, so neither the decoders nor the encoders are linked into it.
pub async fn handle(request: Request, progress: &dyn Fn(Stage)) -> Response {
    match request {
        Request::DecodeQr { rgba, width, height, budget } => {
            Response::Qr(hoso_qr::decode_rgba_with_budget(&rgba, width, height, budget))
        }
        Request::ScanPage { file, params } => Response::Scanned(scan_file(&file, &params, progress).await),
        Request::CountPages { file } => Response::PageCount(hoso_image::page_count(&file).map(|n| n as u32)),
        Request::RenderPage { file, page, long } => Response::Rendered(render_jpeg(&file, page, long).await),
        Request::WarmUp { profile } => Response::Warmed(warm_up_page(profile).await),
        Request::HoldFile { file_id, file } => {
            let count = hoso_image::page_count(&file).map(|n| n as u32);
            if count.is_ok() {
                HELD.with(|h| h.borrow_mut().insert(file_id, file));
            }
            Response::PageCount(count)
        }
        Request::ScanHeld { file_id, params } => match HELD.with(|h| h.borrow().get(&file_id).cloned()) {
            Some(file) => Response::Scanned(scan_file(&file, &params, progress).await),
            None => Response::Failed(NOT_HELD.into()),
        },
        Request::ReleaseFile { file_id } => {
            HELD.with(|h| h.borrow_mut().remove(&file_id));
            Response::Released(held_count())
        }
    }
}

thread_local! {
    /// Multi-page files kept in the worker by id (see [`Request::HoldFile`]).
    static HELD: RefCell<HashMap<u32, Rc<Vec<u8>>>> = RefCell::new(HashMap::new());
}

/// How many files the worker keeps: every answer carries it as `held`.
fn held_count() -> u32 {
    HELD.with(|h| h.borrow().len() as u32)
}

/// Scans [`hoso_image::testpage::warm_up_photo`] as a dropped JPEG; the
/// result is thrown away (a failure only means less was warmed).
async fn warm_up_page(profile: Profile) -> u32 {
    let start = js_sys::Date::now();
    let photo = hoso_image::testpage::warm_up_photo();
    if let Ok(jpeg) = hoso_image::profile::encode_jpeg(&photo, 85, 72.0) {
        let params = ScanParams { profile, ..ScanParams::default() };
        let _ = scan_file_steps(&jpeg, &params, &|_| ()).await;
    }
    (js_sys::Date::now() - start).max(0.0) as u32
}

/// Page `page` of a file as pixels: a TIFF or PDF page decoded by
/// hoso-image (the CLI's code), a JPEG, PNG or WebP (a photo, a PDF's or
/// TIFF's JPEG page, the TIFF's orientation as EXIF) by the browser, EXIF
/// orientation applied.
async fn page_rgb(file: &[u8], page: u32, mark: &mut dyn FnMut(&'static str)) -> Result<hoso_image::Rgb, ImageError> {
    match hoso_image::page_image(file, page as usize)? {
        hoso_image::PageImage::Pixels(rgb) => {
            mark("page");
            Ok(rgb)
        }
        hoso_image::PageImage::Encoded(bytes) => super::images::decode_rgb_marked(&bytes, mark).await,
    }
}

/// JPEG quality of a rendered page: the corner editor's picture only.
const RENDER_QUALITY: u8 = 80;

async fn render_jpeg(file: &[u8], page: u32, long: u32) -> Result<Vec<u8>, ImageError> {
    let rgb = page_rgb(file, page, &mut |_| ()).await?;
    let scale = (long.max(1) as f32 / rgb.width.max(rgb.height) as f32).min(1.0);
    let rgb = if scale < 1.0 {
        let (w, h) = (((rgb.width as f32 * scale).round() as u32).max(1), ((rgb.height as f32 * scale).round() as u32).max(1));
        hoso_image::raster::resize(&rgb, w, h)
    } else {
        rgb
    };
    hoso_image::profile::encode_jpeg(&rgb, RENDER_QUALITY, 72.0)
}

/// Decodes with the browser (EXIF applied), then hoso-image's pipeline.
async fn scan_file(file: &[u8], params: &ScanParams, progress: &dyn Fn(Stage)) -> Result<ScannedPage, ImageError> {
    let (scanned, steps) = scan_file_steps(file, params, progress).await;
    // Where a page's time goes, for bench/scan-app.sh and the e2e log.
    gloo::console::log!(format!("hoso worker steps: {}", steps.line()));
    scanned
}

/// [`scan_file`] without the log line: the page and where its time went.
async fn scan_file_steps(file: &[u8], params: &ScanParams, progress: &dyn Fn(Stage)) -> (Result<ScannedPage, ImageError>, Steps) {
    let start = js_sys::Date::now();
    let mut steps = Steps::new(start);
    let scanned = scan_rgb(file, params, progress, &mut steps, start).await;
    (scanned, steps)
}

async fn scan_rgb(
    file: &[u8],
    params: &ScanParams,
    progress: &dyn Fn(Stage),
    steps: &mut Steps,
    start: f64,
) -> Result<ScannedPage, ImageError> {
    let rgb = page_rgb(file, params.page, &mut |step| steps.mark(step)).await?;
    progress(Stage::Decoded);
    let request = hoso_image::ScanRequest {
        options: hoso_image::ScanOptions { profile: params.profile, ..Default::default() },
        setup: hoso_image::PageSetup { paper: params.paper, ..Default::default() },
        rotation: params.rotation,
        corners: params.corners,
        thumb_long: THUMB_LONG,
    };
    let scanned = hoso_image::scan(rgb, &request, |stage| {
        steps.mark(stage.name());
        progress(stage)
    })?;
    Ok(ScannedPage {
        page: scanned.page,
        thumb_jpeg: scanned.thumb_jpeg,
        corners: scanned.corners,
        source_size: scanned.source_size,
        paper: scanned.paper,
        ms: (js_sys::Date::now() - start).max(0.0) as u32,
    })
}

/// Milliseconds spent between named steps of one request (in the worker)
/// or of one dropped file (on the page).
pub struct Steps {
    last: f64,
    done: Vec<(&'static str, f64)>,
}

impl Steps {
    pub fn new(start: f64) -> Steps {
        Steps { last: start, done: Vec::new() }
    }

    pub fn mark(&mut self, step: &'static str) {
        let now = js_sys::Date::now();
        self.done.push((step, now - self.last));
        self.last = now;
    }

    /// "bitmap 120 · pixels 80 · … ms".
    pub fn line(&self) -> String {
        let parts: Vec<String> = self.done.iter().map(|(step, ms)| format!("{step} {ms:.0}")).collect();
        format!("{} ms", parts.join(" · "))
    }
}

fn set(target: &Object, key: &str, value: impl Into<JsValue>) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(target, &key.into(), &value.into());
}

fn get(source: &JsValue, key: &str) -> JsValue {
    Reflect::get(source, &key.into()).unwrap_or(JsValue::UNDEFINED)
}

fn get_u32(source: &JsValue, key: &str) -> Option<u32> {
    get(source, key).as_f64().filter(|v| v.fract() == 0.0 && *v >= 0.0 && *v <= f64::from(u32::MAX)).map(|v| v as u32)
}

fn get_bytes(source: &JsValue, key: &str) -> Result<Vec<u8>, String> {
    get(source, key).dyn_into::<Uint8Array>().map(|a| a.to_vec()).map_err(|_| format!("{key} is not a Uint8Array"))
}

/// Bytes as a Uint8Array whose buffer goes into `transfer`.
fn transferred(bytes: &[u8], transfer: &Array) -> Uint8Array {
    let array = Uint8Array::from(bytes);
    transfer.push(&array.buffer());
    array
}

/// Corners as a flat array of eight numbers; `null` for none.
fn corners_to_js(corners: &Option<[(f32, f32); 4]>) -> JsValue {
    match corners {
        Some(c) => c.iter().flat_map(|&(x, y)| [x, y]).map(|v| JsValue::from(f64::from(v))).collect::<Array>().into(),
        None => JsValue::NULL,
    }
}

fn corners_from_js(value: JsValue) -> Result<Option<[(f32, f32); 4]>, String> {
    if value.is_null() || value.is_undefined() {
        return Ok(None);
    }
    let numbers: Vec<f32> = value
        .dyn_into::<Array>()
        .map_err(|_| "corners is not an array")?
        .iter()
        .map(|v| v.as_f64().filter(|v| v.is_finite()).map(|v| v as f32))
        .collect::<Option<_>>()
        .ok_or("corners are not numbers")?;
    match numbers[..] {
        [a, b, c, d, e, f, g, h] => Ok(Some([(a, b), (c, d), (e, f), (g, h)])),
        _ => Err(format!("{} corner numbers", numbers.len())),
    }
}

fn image_error_to_js(msg: &Object, e: &ImageError) {
    let (error, a, b, why) = match e {
        ImageError::Heic => ("heic", 0, 0, ""),
        ImageError::UnknownFormat => ("unknown_format", 0, 0, ""),
        ImageError::TooLarge { width, height } => ("too_large", *width, *height, ""),
        ImageError::Corrupt(why) => ("corrupt", 0, 0, why.as_str()),
        ImageError::Encrypted => ("encrypted", 0, 0, ""),
        ImageError::NotScanned => ("not_scanned", 0, 0, ""),
        ImageError::TooManyPages { pages, max } => ("too_many_pages", *pages, *max, ""),
    };
    set(msg, "error", error);
    set(msg, "a", a);
    set(msg, "b", b);
    set(msg, "message", why);
}

fn image_error_from_js(msg: &JsValue, error: &str) -> Result<ImageError, String> {
    Ok(match error {
        "heic" => ImageError::Heic,
        "unknown_format" => ImageError::UnknownFormat,
        "too_large" => ImageError::TooLarge { width: get_u32(msg, "a").unwrap_or(0), height: get_u32(msg, "b").unwrap_or(0) },
        "corrupt" => ImageError::Corrupt(get(msg, "message").as_string().unwrap_or_default()),
        "encrypted" => ImageError::Encrypted,
        "not_scanned" => ImageError::NotScanned,
        "too_many_pages" => ImageError::TooManyPages { pages: get_u32(msg, "a").unwrap_or(0), max: get_u32(msg, "b").unwrap_or(0) },
        other => return Err(format!("unknown image error {other:?}")),
    })
}

/// A `progress` message: step `stage` of request `id` is done.
pub fn progress_to_js(id: u32, stage: Stage) -> JsValue {
    let msg = Object::new();
    set(&msg, "id", id);
    set(&msg, "kind", "progress");
    set(&msg, "stage", stage.name());
    msg.into()
}

/// Reads a `progress` message: (id, stage); `None` for any other message.
pub fn progress_from_js(msg: &JsValue) -> Option<(u32, Stage)> {
    if get(msg, "kind").as_string().as_deref() != Some("progress") {
        return None;
    }
    Some((get_u32(msg, "id")?, Stage::parse(&get(msg, "stage").as_string()?)?))
}

/// A page's [`ScanParams`] into a request message.
fn set_params(msg: &Object, params: &ScanParams) {
    set(msg, "profile", params.profile.name());
    set(msg, "paper", params.paper.map(|p| JsValue::from(p.name())).unwrap_or(JsValue::NULL));
    set(msg, "rotation", params.rotation);
    set(msg, "corners", corners_to_js(&params.corners));
    set(msg, "page", params.page);
}

fn params_from_js(msg: &JsValue) -> Result<ScanParams, String> {
    let profile = get(msg, "profile").as_string().and_then(|p| Profile::parse(&p)).ok_or("no profile")?;
    let paper = match get(msg, "paper").as_string() {
        Some(p) => Some(Paper::parse(&p).ok_or_else(|| format!("unknown paper {p:?}"))?),
        None => None,
    };
    let rotation = get_u32(msg, "rotation").filter(|r| r % 90 == 0 && *r < 360).ok_or("bad rotation")? as u16;
    let corners = corners_from_js(get(msg, "corners"))?;
    // Absent (an app from before multi-page files): the first page.
    let page = if get(msg, "page").is_undefined() { 0 } else { get_u32(msg, "page").ok_or("bad page")? };
    Ok(ScanParams { profile, paper, rotation, corners, page })
}

impl Request {
    /// The message for `postMessage` and the buffers to transfer with it.
    pub fn to_js(&self, id: u32) -> (JsValue, Array) {
        let msg = Object::new();
        set(&msg, "id", id);
        let transfer = Array::new();
        match self {
            Request::DecodeQr { rgba, width, height, budget } => {
                set(&msg, "kind", "decode_qr");
                let pixels = Uint8Array::from(rgba.as_slice());
                transfer.push(&pixels.buffer());
                set(&msg, "rgba", pixels);
                set(&msg, "width", *width);
                set(&msg, "height", *height);
                set(&msg, "budget", *budget as f64);
            }
            Request::ScanPage { file, params } => {
                set(&msg, "kind", "scan_page");
                set(&msg, "file", transferred(file, &transfer));
                set_params(&msg, params);
            }
            Request::CountPages { file } => {
                set(&msg, "kind", "count_pages");
                set(&msg, "file", transferred(file, &transfer));
            }
            Request::RenderPage { file, page, long } => {
                set(&msg, "kind", "render_page");
                set(&msg, "file", transferred(file, &transfer));
                set(&msg, "page", *page);
                set(&msg, "long", *long);
            }
            Request::WarmUp { profile } => {
                set(&msg, "kind", "warm_up");
                set(&msg, "profile", profile.name());
            }
            Request::HoldFile { file_id, file } => {
                set(&msg, "kind", "hold_file");
                set(&msg, "file_id", *file_id);
                set(&msg, "file", transferred(file, &transfer));
            }
            Request::ScanHeld { file_id, params } => {
                set(&msg, "kind", "scan_held");
                set(&msg, "file_id", *file_id);
                set_params(&msg, params);
            }
            Request::ReleaseFile { file_id } => {
                set(&msg, "kind", "release_file");
                set(&msg, "file_id", *file_id);
            }
        }
        (msg.into(), transfer)
    }

    /// Reads a message built by [`Request::to_js`]: (id, request).
    pub fn from_js(msg: &JsValue) -> Result<(u32, Request), String> {
        let id = get_u32(msg, "id").ok_or("no id")?;
        let kind = get(msg, "kind").as_string().unwrap_or_default();
        match kind.as_str() {
            "decode_qr" => {
                let rgba = get(msg, "rgba").dyn_into::<Uint8Array>().map_err(|_| "rgba is not a Uint8Array")?.to_vec();
                let width = get_u32(msg, "width").ok_or("no width")?;
                let height = get_u32(msg, "height").ok_or("no height")?;
                let budget = get(msg, "budget").as_f64().filter(|b| *b >= 0.0).ok_or("no budget")? as u64;
                Ok((id, Request::DecodeQr { rgba, width, height, budget }))
            }
            "scan_page" => Ok((id, Request::ScanPage { file: get_bytes(msg, "file")?, params: params_from_js(msg)? })),
            "hold_file" => {
                let file_id = get_u32(msg, "file_id").ok_or("no file id")?;
                Ok((id, Request::HoldFile { file_id, file: Rc::new(get_bytes(msg, "file")?) }))
            }
            "scan_held" => {
                let file_id = get_u32(msg, "file_id").ok_or("no file id")?;
                Ok((id, Request::ScanHeld { file_id, params: params_from_js(msg)? }))
            }
            "release_file" => Ok((id, Request::ReleaseFile { file_id: get_u32(msg, "file_id").ok_or("no file id")? })),
            "count_pages" => Ok((id, Request::CountPages { file: get_bytes(msg, "file")? })),
            "render_page" => {
                let file = get_bytes(msg, "file")?;
                let page = get_u32(msg, "page").ok_or("bad page")?;
                let long = get_u32(msg, "long").filter(|l| *l > 0).ok_or("bad long side")?;
                Ok((id, Request::RenderPage { file, page, long }))
            }
            "warm_up" => {
                let profile = get(msg, "profile").as_string().and_then(|p| Profile::parse(&p)).ok_or("no profile")?;
                Ok((id, Request::WarmUp { profile }))
            }
            other => Err(format!("unknown request kind {other:?}")),
        }
    }
}

impl Response {
    /// The message for `postMessage`; a made page is packed into one
    /// buffer (hoso-image's container), transferred with it.
    pub fn to_js_transfer(&self, id: u32) -> (JsValue, Array) {
        let transfer = Array::new();
        let Response::Scanned(Ok(s)) = self else { return (self.to_js(id), transfer) };
        let msg = Object::new();
        set(&msg, "id", id);
        set(&msg, "kind", "scanned");
        set(&msg, "page", transferred(&hoso_image::container::pack(&s.page, &s.thumb_jpeg), &transfer));
        set(&msg, "corners", corners_to_js(&s.corners));
        set(&msg, "source_width", s.source_size.0);
        set(&msg, "source_height", s.source_size.1);
        set(&msg, "paper", s.paper.name());
        set(&msg, "ms", s.ms);
        // Plain facts for the log and the tests, without unpacking.
        set(&msg, "profile", s.page.profile.name());
        (msg.into(), transfer)
    }

    pub fn to_js(&self, id: u32) -> JsValue {
        let msg = Object::new();
        set(&msg, "id", id);
        match self {
            Response::Scanned(Ok(_)) => return self.to_js_transfer(id).0,
            Response::Scanned(Err(e)) => {
                set(&msg, "kind", "scanned");
                image_error_to_js(&msg, e);
            }
            Response::PageCount(result) => {
                set(&msg, "kind", "page_count");
                match result {
                    Ok(n) => set(&msg, "pages", *n),
                    Err(e) => image_error_to_js(&msg, e),
                }
            }
            Response::Rendered(result) => {
                set(&msg, "kind", "rendered");
                match result {
                    // Copied, not transferred: a corner editor's picture, once.
                    Ok(jpeg) => set(&msg, "jpeg", Uint8Array::from(jpeg.as_slice())),
                    Err(e) => image_error_to_js(&msg, e),
                }
            }
            Response::Qr(Ok(texts)) => {
                set(&msg, "kind", "qr");
                set(&msg, "texts", texts.iter().map(JsValue::from).collect::<Array>());
            }
            Response::Qr(Err(e)) => {
                set(&msg, "kind", "qr");
                let (error, a, b) = match e {
                    QrError::NotFound => ("not_found", 0.0, 0.0),
                    QrError::TooLarge { width, height } => ("too_large", f64::from(*width), f64::from(*height)),
                    QrError::BadBuffer { expected, got } => ("bad_buffer", *expected as f64, *got as f64),
                };
                set(&msg, "error", error);
                set(&msg, "a", a);
                set(&msg, "b", b);
            }
            Response::Warmed(ms) => {
                set(&msg, "kind", "warmed");
                set(&msg, "ms", *ms);
            }
            Response::Released(held) => {
                set(&msg, "kind", "released");
                set(&msg, "held", *held);
            }
            Response::Failed(why) => {
                set(&msg, "kind", "failed");
                set(&msg, "message", why.as_str());
            }
        }
        msg.into()
    }

    pub fn from_js(msg: &JsValue) -> Result<(u32, Response), String> {
        let id = get_u32(msg, "id").ok_or("no id")?;
        let kind = get(msg, "kind").as_string().unwrap_or_default();
        let response = match kind.as_str() {
            "qr" => match get(msg, "error").as_string() {
                None => {
                    let texts = get(msg, "texts").dyn_into::<Array>().map_err(|_| "texts is not an array")?;
                    Response::Qr(Ok(texts.iter().filter_map(|t| t.as_string()).collect()))
                }
                Some(error) => {
                    let (a, b) = (get(msg, "a").as_f64().unwrap_or(0.0), get(msg, "b").as_f64().unwrap_or(0.0));
                    Response::Qr(Err(match error.as_str() {
                        "not_found" => QrError::NotFound,
                        "too_large" => QrError::TooLarge { width: a as u32, height: b as u32 },
                        "bad_buffer" => QrError::BadBuffer { expected: a as u64, got: b as usize },
                        other => return Err(format!("unknown QR error {other:?}")),
                    }))
                }
            },
            "scanned" => match get(msg, "error").as_string() {
                Some(error) => Response::Scanned(Err(image_error_from_js(msg, &error)?)),
                None => {
                    let (page, thumb_jpeg) =
                        hoso_image::container::unpack(&get_bytes(msg, "page")?).map_err(|e| format!("page: {e:?}"))?;
                    let source_size = (get_u32(msg, "source_width").ok_or("no width")?, get_u32(msg, "source_height").ok_or("no height")?);
                    let paper = get(msg, "paper").as_string().and_then(|p| Paper::parse(&p)).ok_or("no paper")?;
                    Response::Scanned(Ok(ScannedPage {
                        page,
                        thumb_jpeg,
                        corners: corners_from_js(get(msg, "corners"))?,
                        source_size,
                        paper,
                        ms: get_u32(msg, "ms").unwrap_or(0),
                    }))
                }
            },
            "page_count" => Response::PageCount(match get(msg, "error").as_string() {
                Some(error) => Err(image_error_from_js(msg, &error)?),
                None => Ok(get_u32(msg, "pages").filter(|n| *n > 0).ok_or("no pages")?),
            }),
            "rendered" => Response::Rendered(match get(msg, "error").as_string() {
                Some(error) => Err(image_error_from_js(msg, &error)?),
                None => Ok(get_bytes(msg, "jpeg")?),
            }),
            "warmed" => Response::Warmed(get_u32(msg, "ms").ok_or("no ms")?),
            "released" => Response::Released(get_u32(msg, "held").ok_or("no held count")?),
            "failed" => Response::Failed(get(msg, "message").as_string().unwrap_or_default()),
            other => return Err(format!("unknown response kind {other:?}")),
        };
        Ok((id, response))
    }
}

// ---- Worker side -------------------------------------------------------

/// This wasm instance's linear memory in bytes. It only grows (the peak of
/// the largest page so far stays reserved): every answer of the worker
/// carries it as `memory`, for the log and bench/scan-memory.sh.
fn memory_bytes() -> f64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    f64::from(memory.buffer().unchecked_into::<js_sys::ArrayBuffer>().byte_length())
}

/// The worker binary's `main`: answer every request, then say "ready" so
/// the page knows nothing it posts from now on is lost.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let reply_to = scope.clone();
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let data = e.data();
        let reply_to = reply_to.clone();
        wasm_bindgen_futures::spawn_local(async move {
            let (id, response) = match Request::from_js(&data) {
                Ok((id, request)) => {
                    let tell = |stage: Stage| drop(reply_to.post_message(&progress_to_js(id, stage)));
                    (id, handle(request, &tell).await)
                }
                Err(why) => (get_u32(&data, "id").unwrap_or(0), Response::Failed(why)),
            };
            let packing = js_sys::Date::now();
            let (msg, transfer) = response.to_js_transfer(id);
            set(msg.unchecked_ref(), "memory", memory_bytes());
            set(msg.unchecked_ref(), "held", held_count());
            // Structured clone of strings and one buffer cannot fail.
            let _ = reply_to.post_message_with_transfer(&msg, &transfer);
            if matches!(response, Response::Scanned(Ok(_))) {
                gloo::console::log!(format!("hoso worker steps: pack {:.0} ms", js_sys::Date::now() - packing));
            }
        });
    });
    scope.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    // The handler lives as long as the worker.
    onmessage.forget();
    let ready = Object::new();
    set(&ready, "kind", "ready");
    let _ = scope.post_message(&ready);
}

// ---- Page side -------------------------------------------------------

type Settle = (js_sys::Function, js_sys::Function);

/// The running worker: requests wait in `queue` until it said "ready".
struct Client {
    generation: u32,
    worker: Worker,
    ready: Cell<bool>,
    queue: RefCell<Vec<(JsValue, Array)>>,
    pending: RefCell<HashMap<u32, Settle>>,
    /// Who hears of a long request's steps, by id.
    listeners: RefCell<HashMap<u32, Rc<dyn Fn(Stage)>>>,
}

thread_local! {
    static CLIENT: RefCell<Option<Rc<Client>>> = const { RefCell::new(None) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    static GENERATION: Cell<u32> = const { Cell::new(0) };
}

const TIMEOUT: &str = "timeout";
const FAILED: &str = "failed";

fn current(generation: u32) -> Option<Rc<Client>> {
    CLIENT.with(|c| c.borrow().clone()).filter(|c| c.generation == generation)
}

/// Stops the worker (stuck or broken) and fails whatever waits on it; the
/// next request starts a fresh one.
fn shut_down(generation: u32, reason: &str) {
    let Some(client) = current(generation) else { return };
    CLIENT.with(|c| c.borrow_mut().take());
    client.worker.terminate();
    for (_, (_, reject)) in client.pending.borrow_mut().drain() {
        let _ = reject.call1(&JsValue::NULL, &reason.into());
    }
}

fn client() -> Result<Rc<Client>, Msg> {
    if let Some(c) = CLIENT.with(|c| c.borrow().clone()) {
        return Ok(c);
    }
    let worker = Worker::new(WORKER_URL).map_err(|e| {
        gloo::console::error!("worker", e);
        Msg::QrDecoderFailed
    })?;
    let generation = GENERATION.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let onmessage = Closure::<dyn Fn(MessageEvent)>::new(move |e: MessageEvent| {
        let Some(client) = current(generation) else { return };
        let data = e.data();
        if get(&data, "kind").as_string().as_deref() == Some("ready") {
            client.ready.set(true);
            for (msg, transfer) in client.queue.borrow_mut().drain(..) {
                let _ = client.worker.post_message_with_transfer(&msg, &transfer);
            }
            return;
        }
        if let Some((id, stage)) = progress_from_js(&data) {
            let listener = client.listeners.borrow().get(&id).cloned();
            if let Some(listener) = listener {
                listener(stage);
            }
            return;
        }
        let Some(id) = get_u32(&data, "id") else { return };
        client.listeners.borrow_mut().remove(&id);
        let settle = client.pending.borrow_mut().remove(&id);
        if let Some((resolve, _)) = settle {
            let _ = resolve.call1(&JsValue::NULL, &data);
        }
    });
    // A script that did not load (offline without cache), a wasm that did
    // not instantiate, a trap inside the decoder.
    let onerror = Closure::<dyn Fn(ErrorEvent)>::new(move |e: ErrorEvent| {
        gloo::console::error!("hoso-worker:", e.message());
        shut_down(generation, FAILED);
    });
    worker.set_onmessage(Some(onmessage.as_ref().unchecked_ref()));
    worker.set_onerror(Some(onerror.as_ref().unchecked_ref()));
    // Both live as long as the worker; a new worker (after a failure, rare) gets new ones.
    onmessage.forget();
    onerror.forget();
    let client = Rc::new(Client {
        generation,
        worker,
        ready: Cell::new(false),
        queue: RefCell::new(Vec::new()),
        pending: RefCell::new(HashMap::new()),
        listeners: RefCell::new(HashMap::new()),
    });
    CLIENT.with(|c| *c.borrow_mut() = Some(client.clone()));
    Ok(client)
}

/// Sends one request and waits for its answer, at most `timeout_ms`
/// (then the worker is stopped: it may be stuck on this very request).
pub async fn call(request: &Request, timeout_ms: u32) -> Result<Response, Msg> {
    call_with(request, timeout_ms, None, (Msg::QrDecoderFailed, Msg::QrDecoderTimeout)).await
}

/// [`call`] with a listener for progress messages and the messages for a
/// worker that failed or did not answer in time.
async fn call_with(
    request: &Request,
    timeout_ms: u32,
    listener: Option<Rc<dyn Fn(Stage)>>,
    (failed, too_slow): (Msg, Msg),
) -> Result<Response, Msg> {
    let client = client().map_err(|_| failed.clone())?;
    let id = NEXT_ID.with(|n| {
        n.set(n.get().wrapping_add(1).max(1));
        n.get()
    });
    let promise = Promise::new(&mut |resolve, reject| {
        client.pending.borrow_mut().insert(id, (resolve, reject));
    });
    if let Some(listener) = listener {
        client.listeners.borrow_mut().insert(id, listener);
    }
    let (msg, transfer) = request.to_js(id);
    if client.ready.get() {
        if let Err(e) = client.worker.post_message_with_transfer(&msg, &transfer) {
            gloo::console::error!("postMessage", e);
            client.pending.borrow_mut().remove(&id);
            client.listeners.borrow_mut().remove(&id);
            return Err(failed);
        }
    } else {
        client.queue.borrow_mut().push((msg, transfer));
    }
    let generation = client.generation;
    drop(client);
    let timer = gloo::timers::callback::Timeout::new(timeout_ms, move || shut_down(generation, TIMEOUT));
    let answer = JsFuture::from(promise).await;
    timer.cancel();
    match answer {
        Ok(data) => Response::from_js(&data).map(|(_, r)| r).map_err(|why| {
            gloo::console::error!("hoso-worker answer:", why);
            failed
        }),
        Err(reason) if reason.as_string().as_deref() == Some(TIMEOUT) => Err(too_slow),
        Err(_) => Err(failed),
    }
}

thread_local! {
    /// Pages go to the worker one at a time, in line, so a page's time
    /// limit starts when its turn comes and memory holds one decoded
    /// photo, however many files were dropped at once.
    static SCAN_LINE: Line = const { Line::new() };
}

thread_local! {
    /// Batches of picked or dropped files: a batch's files are read into
    /// memory only when the batches before it are done, so fifty photos
    /// dropped one by one hold one original at a time, as fifty picked at
    /// once do (wasm memory never shrinks once grown).
    static FILE_LINE: Line = const { Line::new() };
}

async fn my_turn() -> Turn {
    page_coming();
    SCAN_LINE.with(Line::turn).await
}

/// Waits until the files picked or dropped before are all made into pages
/// (or failed); hold the turn while reading, storing and making a batch.
/// The place in line is taken at the call, not at the first await.
pub fn files_turn() -> impl std::future::Future<Output = Turn> {
    FILE_LINE.with(Line::turn)
}

/// Makes a page of an image file in the worker, after the pages before
/// it; `progress` hears of each step (decoded, sheet found, encoded);
/// `steps` gets "turn" (waited for the pages before) and "worker".
pub async fn scan_page(
    file: Vec<u8>,
    params: ScanParams,
    progress: Rc<dyn Fn(Stage)>,
    steps: &mut Steps,
) -> Result<ScannedPage, Msg> {
    let _turn = my_turn().await;
    steps.mark("turn");
    let request = Request::ScanPage { file, params };
    let answer = call_with(&request, SCAN_TIMEOUT_MS, Some(progress), (Msg::ScanFailed, Msg::ScanTimeout)).await;
    steps.mark("worker");
    scanned(answer?)
}

/// The page in a worker's answer to a page request.
fn scanned(answer: Response) -> Result<ScannedPage, Msg> {
    match answer {
        Response::Scanned(result) => result.map_err(|e| e.msg()),
        other => {
            gloo::console::error!("hoso-worker answered a page with", format!("{other:?}"));
            Err(Msg::ScanFailed)
        }
    }
}

/// How many pages a file holds (a TIFF's or scanner PDF's; 1 for a
/// photo), in the line of pages: counting waits for the page before it.
pub async fn count_pages(file: Vec<u8>) -> Result<u32, Msg> {
    let _turn = my_turn().await;
    page_count(call_with(&Request::CountPages { file }, SCAN_TIMEOUT_MS, None, (Msg::ScanFailed, Msg::ScanTimeout)).await?)
}

/// The worker's answer to a count (`count_pages`, `hold_file`), as [`scanned`] is to a page.
fn page_count(answer: Response) -> Result<u32, Msg> {
    match answer {
        Response::PageCount(result) => result.map_err(|e| e.msg()),
        other => {
            gloo::console::error!("hoso-worker answered a count with", format!("{other:?}"));
            Err(Msg::ScanFailed)
        }
    }
}

thread_local! {
    static NEXT_FILE: Cell<u32> = const { Cell::new(0) };
}

/// A TIFF or scanner PDF kept in the worker for its pages (see
/// [`Request::HoldFile`]); the worker forgets it when this is dropped
/// (all pages made, a failure, the dossier closed or purged).
pub struct HeldFile {
    id: u32,
    /// Sent again if the worker was restarted meanwhile (a page too slow).
    file: Rc<Vec<u8>>,
}

impl Drop for HeldFile {
    fn drop(&mut self) {
        // No worker, nothing to forget: never start one for this.
        if CLIENT.with(|c| c.borrow().is_none()) {
            return;
        }
        let request = Request::ReleaseFile { file_id: self.id };
        wasm_bindgen_futures::spawn_local(async move {
            let _ = call_with(&request, STILL_TIMEOUT_MS, None, (Msg::ScanFailed, Msg::ScanTimeout)).await;
        });
    }
}

/// Sends a multi-page file to the worker once, in the line of pages, and
/// counts its pages (1 for a photo); its pages are then made with
/// [`scan_held`].
pub async fn hold_file(file: Rc<Vec<u8>>) -> Result<(HeldFile, u32), Msg> {
    let _turn = my_turn().await;
    let held = HeldFile { id: NEXT_FILE.with(|n| n.replace(n.get().wrapping_add(1))), file };
    let count = send_held(&held).await?;
    Ok((held, count))
}

async fn send_held(held: &HeldFile) -> Result<u32, Msg> {
    let request = Request::HoldFile { file_id: held.id, file: held.file.clone() };
    page_count(call_with(&request, SCAN_TIMEOUT_MS, None, (Msg::ScanFailed, Msg::ScanTimeout)).await?)
}

/// [`scan_page`] for page `params.page` of a file sent by [`hold_file`].
pub async fn scan_held(held: &HeldFile, params: ScanParams, progress: Rc<dyn Fn(Stage)>, steps: &mut Steps) -> Result<ScannedPage, Msg> {
    let _turn = my_turn().await;
    steps.mark("turn");
    let request = Request::ScanHeld { file_id: held.id, params };
    let failure = (Msg::ScanFailed, Msg::ScanTimeout);
    let mut answer = call_with(&request, SCAN_TIMEOUT_MS, Some(progress.clone()), failure.clone()).await;
    if matches!(&answer, Ok(Response::Failed(why)) if why == NOT_HELD) {
        // A fresh worker (the one before was stopped): the file once more.
        send_held(held).await?;
        answer = call_with(&request, SCAN_TIMEOUT_MS, Some(progress), failure).await;
    }
    steps.mark("worker");
    scanned(answer?)
}

/// Long side of the picture the corner editor gets of a TIFF or PDF page.
pub const RENDER_LONG: u32 = 2400;

/// Page `page` of a TIFF or scanner PDF as a JPEG (the browser shows
/// neither), for the corner editor.
pub async fn render_page(file: Vec<u8>, page: u32) -> Result<Vec<u8>, Msg> {
    let _turn = my_turn().await;
    let request = Request::RenderPage { file, page, long: RENDER_LONG };
    match call_with(&request, SCAN_TIMEOUT_MS, None, (Msg::ScanFailed, Msg::ScanTimeout)).await? {
        Response::Rendered(result) => result.map_err(|e| e.msg()),
        other => {
            gloo::console::error!("hoso-worker answered a render with", format!("{other:?}"));
            Err(Msg::ScanFailed)
        }
    }
}

/// QR texts in RGBA pixels, decoded off the main thread.
pub async fn decode_qr(
    rgba: Vec<u8>,
    width: u32,
    height: u32,
    budget: u64,
    timeout_ms: u32,
) -> Result<Vec<String>, Msg> {
    match call(&Request::DecodeQr { rgba, width, height, budget }, timeout_ms).await? {
        Response::Qr(result) => result.map_err(|e| e.msg()),
        other => {
            gloo::console::error!("hoso-worker refused:", format!("{other:?}"));
            Err(Msg::QrDecoderFailed)
        }
    }
}

thread_local! {
    /// Whether a real page has been asked for (or a file dropped): the
    /// warm-up then stops at its next step.
    static PAGE_COMING: Cell<bool> = const { Cell::new(false) };
    /// The warm-up is done once per app run.
    static WARMING: Cell<bool> = const { Cell::new(false) };
}

/// A file was dropped or picked: no more warming up, the page goes first.
pub fn page_coming() {
    PAGE_COMING.with(|c| c.set(true));
}

/// Starts the page worker and has it make a small synthetic page with
/// each of `profiles` (see [`Request::WarmUp`]), one request at a time
/// in the line of pages, so the first real photo does not run in the
/// browser's baseline code (up to twice as slow). Stops as soon as a real
/// page is asked for: that page then waits at most for the one warm-up
/// page under way (tens of ms once the worker has started). Once per run.
pub fn warm_up(profiles: Vec<Profile>) {
    if WARMING.with(|w| w.replace(true)) || PAGE_COMING.with(Cell::get) {
        return;
    }
    wasm_bindgen_futures::spawn_local(async move {
        for profile in profiles {
            let _turn = SCAN_LINE.with(Line::turn).await;
            if PAGE_COMING.with(Cell::get) {
                return;
            }
            let start = js_sys::Date::now();
            let answer = call_with(&Request::WarmUp { profile }, SCAN_TIMEOUT_MS, None, (Msg::ScanFailed, Msg::ScanTimeout)).await;
            let ms = js_sys::Date::now() - start;
            match answer {
                Ok(Response::Warmed(worker_ms)) => {
                    gloo::console::log!(format!("hoso worker warm-up: {} {worker_ms} ms ({ms:.0} ms with the start)", profile.name()))
                }
                // A worker that cannot start shows itself with the first real page.
                _ => return,
            }
        }
    });
}

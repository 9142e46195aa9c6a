//! Mã QR — reading QR codes (the one on the ID card above all) from camera
//! frames and photos, the same way in the browser (canvas pixels, wasm) and
//! in the `hoso` CLI (decoded files).
//!
//! Detection and decoding are the `rqrr` crate's (pure Rust, a port of
//! quirc). A phone photo of a card at the counter is not what a decoder
//! expects, though: 12 megapixels with a 2 cm code, or a blurry close-up,
//! yellow light from one side, no quiet zone when the card is cropped. So
//! [`decode`] runs a bounded search and stops at the first success:
//!
//! 0. our own reader (`grid`): finder patterns by their 1:1:3:1:1 runs on a
//!    local-mean bitmap at up to three window sizes, modules read from the
//!    grey image (plain and sharpened) — out-of-focus photos and webcam
//!    frames, where rqrr's detector finds nothing or the wrong grid size;
//! 1. the whole image at a working size (large photos shrunk, small codes
//!    enlarged), then smaller (shrinking averages away blur and noise);
//! 2. at each size three binarizations: rqrr's own moving average, Otsu's
//!    global threshold and a local mean threshold (shadows, gradients);
//! 3. then overlapping windows of the image, centre first, so that a small
//!    code in a big photo fills the detector's view.
//!
//! Every attempt costs its pixel count against a budget, so a frame without
//! any code returns in bounded time.

mod grid;
mod prep;

use hoso_core::i18n::Msg;
pub use prep::rgba_to_gray;
use prep::Gray;
use std::fmt;

/// Pixels the detector may look at in one [`decode`] call, over all attempts.
/// About 0.3 s natively and under a second in wasm for a photo with no code.
pub const DEFAULT_BUDGET: u64 = 16_000_000;

/// Input beyond this is refused, like `hoso_image` refuses pixel bombs.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Longest side the whole image is searched at.
const WORK_SIDE: usize = 1024;
/// Below this, the image is enlarged: modules of 1–2 pixels defeat the finder search.
const SMALL_SIDE: usize = 400;
/// Windows looked at per window size, busiest first: the code is among the
/// busiest, and the budget is better spent on the next size than on a desk.
const WINDOWS_TRIED: usize = 4;
/// Longest side of the image windows are cut from.
const CROP_SOURCE_SIDE: usize = 2048;
/// Finder-pattern triples our own grid reader tries per binarization.
const GRID_TRIES: usize = 8;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum QrError {
    /// The pixel buffer does not hold `width × height` pixels.
    BadBuffer {
        expected: u64,
        got: usize,
    },
    TooLarge {
        width: u32,
        height: u32,
    },
    /// No code found within the budget.
    NotFound,
}

impl QrError {
    pub fn msg(&self) -> Msg {
        match self {
            QrError::BadBuffer { expected, got } => Msg::ImageCorrupt(format!("{got} byte điểm ảnh, cần {expected}")),
            QrError::TooLarge { width, height } => Msg::ImageTooLarge { width: *width, height: *height },
            QrError::NotFound => Msg::QrNotFound,
        }
    }
}

impl fmt::Display for QrError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.msg().vi())
    }
}

impl std::error::Error for QrError {}

/// The texts of the QR codes in an 8-bit grey image (row-major, 0 = black),
/// from the first attempt that reads any; duplicates removed.
pub fn decode(gray: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    decode_with_budget(gray, width, height, DEFAULT_BUDGET)
}

/// [`decode`] for RGBA pixels as a canvas's `getImageData` returns them.
pub fn decode_rgba(rgba: &[u8], width: u32, height: u32) -> Result<Vec<String>, QrError> {
    decode_rgba_with_budget(rgba, width, height, DEFAULT_BUDGET)
}

/// [`decode_rgba`] with an explicit pixel budget (see [`decode_with_budget`]).
pub fn decode_rgba_with_budget(rgba: &[u8], width: u32, height: u32, budget: u64) -> Result<Vec<String>, QrError> {
    check_size(rgba.len(), width, height, 4)?;
    decode_with_budget(&rgba_to_gray(rgba), width, height, budget)
}

/// [`decode`] with an explicit pixel budget: a live camera loop can ask for
/// a quick look per frame (say 2 000 000) and the full search on a still.
pub fn decode_with_budget(gray: &[u8], width: u32, height: u32, budget: u64) -> Result<Vec<String>, QrError> {
    check_size(gray.len(), width, height, 1)?;
    let image = Gray { w: width as usize, h: height as usize, px: gray.to_vec() };
    let mut search = Search { budget, spent: 0 };
    search.run(&image).ok_or(QrError::NotFound)
}

fn check_size(len: usize, width: u32, height: u32, channels: u64) -> Result<(), QrError> {
    let pixels = u64::from(width) * u64::from(height);
    if pixels > MAX_PIXELS {
        return Err(QrError::TooLarge { width, height });
    }
    if pixels == 0 || pixels * channels != len as u64 {
        return Err(QrError::BadBuffer { expected: pixels * channels, got: len });
    }
    Ok(())
}

#[derive(Clone, Copy, Debug)]
enum Binarization {
    /// rqrr's row-wise moving average (quirc's).
    Native,
    Otsu,
    /// Mean of a square of side `long side / n`, minus a small bias.
    Local(usize),
}

const BINARIZATIONS: [Binarization; 3] = [Binarization::Native, Binarization::Otsu, Binarization::Local(12)];

struct Search {
    budget: u64,
    spent: u64,
}

impl Search {
    fn run(&mut self, image: &Gray) -> Option<Vec<String>> {
        let long = image.w.max(image.h);
        if let Some(found) = self.try_grid(image) {
            return Some(found);
        }
        // Sizes to try the whole image at, cheapest first.
        let sides = if long < SMALL_SIDE {
            vec![long, long * 3 / 2, (long * 3).min(2 * SMALL_SIDE)]
        } else if long > WORK_SIDE {
            vec![WORK_SIDE, WORK_SIDE / 2]
        } else {
            vec![long, long / 2]
        };
        if long <= WORK_SIDE {
            for side in sides {
                if let Some(found) = self.try_whole(&image.fit(side), &BINARIZATIONS) {
                    return Some(found);
                }
            }
            return self.try_windows(image, 2).or_else(|| self.try_windows(image, 3));
        }
        // A photo: the code is usually a small part of it, and shrinking the
        // whole to the working size leaves its modules 2–3 pixels wide. So
        // after one quick look at the whole, the busiest windows at full
        // resolution come before the other binarizations and sizes.
        let work = image.fit(WORK_SIDE);
        self.try_whole(&work, &BINARIZATIONS[..1])
            .or_else(|| self.try_windows(image, 2))
            .or_else(|| self.try_whole(&work, &BINARIZATIONS[1..]))
            .or_else(|| self.try_whole(&image.fit(WORK_SIDE / 2), &BINARIZATIONS))
            .or_else(|| self.try_windows(image, 3))
    }

    /// Overlapping windows of `1/parts` of the image, busiest first: a QR
    /// code is the densest black/white texture on a card.
    fn try_windows(&mut self, image: &Gray, parts: usize) -> Option<Vec<String>> {
        let long = image.w.max(image.h);
        let source = if long > CROP_SOURCE_SIDE { image.fit(CROP_SOURCE_SIDE) } else { image.clone() };
        let busy = Busyness::of(&source);
        let (ww, wh) = (source.w / parts, source.h / parts);
        if ww.max(wh) < 64 {
            return None;
        }
        // Step of half a window: a code cut by one window is whole in the next.
        let steps = 2 * parts - 1;
        let mut windows: Vec<(usize, usize)> =
            (0..steps).flat_map(|j| (0..steps).map(move |i| (i * ww / 2, j * wh / 2))).collect();
        windows.sort_by_key(|&(x, y)| std::cmp::Reverse(busy.score(x, y, ww, wh)));
        for (x, y) in windows.into_iter().take(WINDOWS_TRIED) {
            let crop = source.crop(x, y, ww, wh);
            let side = crop.w.max(crop.h);
            let crop = if side > 800 {
                crop.fit(800)
            } else if side < SMALL_SIDE {
                crop.fit(2 * side)
            } else if side < 600 {
                // Webcam frames and far cards: modules of 2–3 pixels.
                crop.fit(side * 3 / 2)
            } else {
                crop
            };
            let found = self.try_whole(&crop, &BINARIZATIONS[..2]);
            if found.is_some() || self.spent >= self.budget {
                return found;
            }
        }
        None
    }

    /// Our own finder search and grid sampling (see `grid`) on the image
    /// at up to [`CROP_SOURCE_SIDE`].
    fn try_grid(&mut self, image: &Gray) -> Option<Vec<String>> {
        let long = image.w.max(image.h);
        let source = if long > CROP_SOURCE_SIDE { image.fit(CROP_SOURCE_SIDE) } else { image.clone() };
        let cost = (source.w * source.h) as u64;
        if self.spent + cost > self.budget {
            return None;
        }
        self.spent += cost;
        // Windows for the local threshold, each tried while nothing is
        // read: on a small image the code may fill it (about 3 modules of
        // a code that fills it); then about 3 modules of a card photo's
        // code; then a narrow one for small blurred modules, whose light
        // finder ring is darker than the paper a wide window averages in.
        let long = source.w.max(source.h);
        let first = if long <= WORK_SIDE { 0 } else { 1 };
        for (i, divisor) in [24, 96, 300].into_iter().enumerate().skip(first) {
            if i > first {
                if self.spent + cost > self.budget {
                    return None;
                }
                self.spent += cost;
            }
            let bits = source.binarize_local(long / divisor + 1, 0);
            let texts: Vec<String> = grid::read(&source, &bits, GRID_TRIES).into_iter().map(bytes_to_text).collect();
            if !texts.is_empty() {
                return Some(texts);
            }
        }
        None
    }

    /// One image, each binarization in turn, within the budget.
    fn try_whole(&mut self, image: &Gray, binarizations: &[Binarization]) -> Option<Vec<String>> {
        let mut prepared = image.clone();
        prepared.stretch();
        let prepared = prepared.pad(image.w.max(image.h) / 16 + 4);
        for &b in binarizations {
            let cost = (prepared.w * prepared.h) as u64;
            if self.spent + cost > self.budget {
                return None;
            }
            self.spent += cost;
            let found = detect(&prepared, b);
            if !found.is_empty() {
                return Some(found);
            }
        }
        None
    }
}

/// Runs rqrr on one prepared image; every grid that decodes, straight or
/// mirrored (front cameras mirror the picture).
fn detect(image: &Gray, binarization: Binarization) -> Vec<String> {
    let (w, h) = (image.w, image.h);
    let mut prepared = match binarization {
        Binarization::Native => rqrr::PreparedImage::prepare_from_greyscale(w, h, |x, y| image.at(x, y)),
        Binarization::Otsu => {
            let bits = image.binarize_global(image.otsu());
            rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| bits[y * w + x])
        }
        Binarization::Local(n) => {
            let bits = image.binarize_local(w.max(h) / n / 2 + 1, 8);
            rqrr::PreparedImage::prepare_from_bitmap(w, h, |x, y| bits[y * w + x])
        }
    };
    let mut texts: Vec<String> = Vec::new();
    for grid in prepared.detect_grids() {
        let mut bytes = Vec::new();
        let read = grid.decode_to(&mut bytes).is_ok() || {
            bytes.clear();
            rqrr::Grid::new(Mirrored(&grid.grid)).decode_to(&mut bytes).is_ok()
        };
        if read && !bytes.is_empty() {
            let text = bytes_to_text(bytes);
            if !texts.contains(&text) {
                texts.push(text);
            }
        }
    }
    texts
}

/// Card codes are UTF-8; a stray Latin-1 code still gives text.
fn bytes_to_text(bytes: Vec<u8>) -> String {
    String::from_utf8(bytes).unwrap_or_else(|e| e.as_bytes().iter().map(|&b| char::from(b)).collect())
}

/// Where an image is busy: black/white transitions counted on a small copy,
/// summed per area to rank search windows.
struct Busyness {
    scale: f32,
    w: usize,
    sat: Vec<u32>,
}

impl Busyness {
    const SIDE: usize = 256;

    fn of(image: &Gray) -> Busyness {
        let small = image.fit(Self::SIDE.min(image.w.max(image.h)));
        let dark = small.binarize_local(4, 4);
        let (w, h) = (small.w, small.h);
        let mut sat = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u32;
            for x in 0..w {
                let i = y * w + x;
                row += u32::from(x > 0 && dark[i] != dark[i - 1]) + u32::from(y > 0 && dark[i] != dark[i - w]);
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        Busyness { scale: small.w as f32 / image.w as f32, w, sat }
    }

    /// Transitions inside the window `x, y, w, h` of the full image.
    fn score(&self, x: usize, y: usize, w: usize, h: usize) -> u32 {
        let at = |v: usize| (v as f32 * self.scale) as usize;
        let h_small = self.sat.len() / (self.w + 1) - 1;
        let (x0, y0) = (at(x).min(self.w), at(y).min(h_small));
        let (x1, y1) = (at(x + w).min(self.w), at(y + h).min(h_small));
        let s = |x: usize, y: usize| self.sat[y * (self.w + 1) + x];
        s(x1, y1) + s(x0, y0) - s(x1, y0) - s(x0, y1)
    }
}

/// A grid read with rows and columns swapped.
struct Mirrored<'a>(&'a dyn rqrr::BitGrid);

impl rqrr::BitGrid for Mirrored<'_> {
    fn size(&self) -> usize {
        self.0.size()
    }

    fn bit(&self, y: usize, x: usize) -> bool {
        self.0.bit(x, y)
    }
}

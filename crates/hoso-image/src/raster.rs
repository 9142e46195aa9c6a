//! Plain pixel buffers the scan pipeline passes around: no codecs, no I/O.

/// 8-bit RGB, row-major, 3 bytes per pixel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rgb {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// 8-bit luminance, row-major (0 = black, 255 = white).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Gray {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

/// One byte per pixel, 1 = ink (black), 0 = paper. Unpacked because every
/// consumer (G4 runs, projections, masks) walks pixels, and a page is 4 MB.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bitmap {
    pub width: u32,
    pub height: u32,
    pub data: Vec<u8>,
}

impl Rgb {
    /// Drops the alpha channel of canvas RGBA (pages are opaque).
    pub fn from_rgba(rgba: &[u8], width: u32, height: u32) -> Option<Rgb> {
        (rgba.len() == width as usize * height as usize * 4).then(|| {
            let mut data = vec![0u8; width as usize * height as usize * 3];
            for (d, s) in data.chunks_exact_mut(3).zip(rgba.chunks_exact(4)) {
                d.copy_from_slice(&s[..3]);
            }
            Rgb { width, height, data }
        })
    }

    /// Rec. 601 luma in integers (what JPEG and most scanners use).
    pub fn luma(&self) -> Gray {
        let data = self
            .data
            .chunks_exact(3)
            .map(|p| ((77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]) + 128) >> 8) as u8)
            .collect();
        Gray { width: self.width, height: self.height, data }
    }

    /// Darkness of any ink colour: the smallest channel. Red seals and blue
    /// signatures are as dark here as black text, whereas luma makes a
    /// light red stamp nearly paper.
    pub fn min_channel(&self) -> Gray {
        let data = self.data.chunks_exact(3).map(|p| p[0].min(p[1]).min(p[2])).collect();
        Gray { width: self.width, height: self.height, data }
    }

    /// Box-filtered reduction by an integer factor (edges average what exists).
    /// Natively the output's top and bottom halves are made on two threads
    /// (a 12 MP photo is 36 MB to read).
    pub fn shrink(&self, factor: u32) -> Rgb {
        let (w, h) = (self.width.div_ceil(factor), self.height.div_ceil(factor));
        let f = factor.max(1) as usize;
        let mut data = vec![0u8; (w * h * 3) as usize];
        let src_row = self.width as usize * 3;
        for_each_part_on(if cfg!(target_arch = "wasm32") { 1 } else { 2 }, &mut data, w as usize * 3, |first, part| {
            // One output row at a time: its sums stay in cache, and the cell a
            // source pixel adds to comes from walking the row, not dividing.
            let mut sums = vec![[0u32; 3]; w as usize];
            for (i, out) in part.chunks_exact_mut(w as usize * 3).enumerate() {
                let band = &self.data[(first + i) * f * src_row..((first + i + 1) * f * src_row).min(self.data.len())];
                sums.iter_mut().for_each(|s| *s = [0; 3]);
                let rows = band.len() / src_row;
                for row in band.chunks_exact(src_row) {
                    for (s, cell) in sums.iter_mut().zip(row.chunks(3 * f)) {
                        for p in cell.chunks_exact(3) {
                            s[0] += u32::from(p[0]);
                            s[1] += u32::from(p[1]);
                            s[2] += u32::from(p[2]);
                        }
                    }
                }
                for (x, (s, o)) in sums.iter().zip(out.chunks_exact_mut(3)).enumerate() {
                    let n = (rows * (self.width as usize - x * f).min(f)) as u32;
                    o.copy_from_slice(&s.map(|v| ((v + n / 2) / n) as u8));
                }
            }
        });
        Rgb { width: w, height: h, data }
    }

    /// [`Rgb::shrink`] on this thread alone, as it was: the test's reference.
    #[cfg(test)]
    fn shrink_one_thread(&self, factor: u32) -> Rgb {
        let (w, h) = (self.width.div_ceil(factor), self.height.div_ceil(factor));
        let f = factor as usize;
        let mut data = Vec::with_capacity((w * h * 3) as usize);
        let mut sums = vec![[0u32; 3]; w as usize];
        for band in self.data.chunks(self.width as usize * 3 * f) {
            sums.iter_mut().for_each(|s| *s = [0; 3]);
            let rows = band.len() / (self.width as usize * 3);
            for row in band.chunks_exact(self.width as usize * 3) {
                for (s, cell) in sums.iter_mut().zip(row.chunks(3 * f)) {
                    for p in cell.chunks_exact(3) {
                        s[0] += u32::from(p[0]);
                        s[1] += u32::from(p[1]);
                        s[2] += u32::from(p[2]);
                    }
                }
            }
            for (x, s) in sums.iter().enumerate() {
                let n = (rows * (self.width as usize - x * f).min(f)) as u32;
                data.extend(s.map(|v| ((v + n / 2) / n) as u8));
            }
        }
        Rgb { width: w, height: h, data }
    }
}

impl Bitmap {
    pub fn new(width: u32, height: u32) -> Bitmap {
        Bitmap { width, height, data: vec![0; width as usize * height as usize] }
    }

    pub fn get(&self, x: u32, y: u32) -> bool {
        self.data[(y * self.width + x) as usize] != 0
    }

    pub fn row(&self, y: u32) -> &[u8] {
        &self.data[(y * self.width) as usize..((y + 1) * self.width) as usize]
    }

    pub fn ink(&self) -> usize {
        self.data.iter().filter(|&&b| b != 0).count()
    }

    /// Packed 1 bit per pixel, MSB first, rows padded to bytes, 1 = ink:
    /// the layout of an uncompressed PDF image mask and of `pdftoppm -mono`.
    pub fn packed(&self) -> Vec<u8> {
        let stride = self.width.div_ceil(8) as usize;
        let mut out = vec![0u8; stride * self.height as usize];
        for y in 0..self.height {
            for (x, &b) in self.row(y).iter().enumerate() {
                if b != 0 {
                    out[y as usize * stride + x / 8] |= 0x80 >> (x % 8);
                }
            }
        }
        out
    }
}

/// Runs `f(y, row)` on every row of `data` (rows of `row_len` bytes).
/// Natively the top and bottom halves go to two threads — a clerk's PC has
/// at least two cores and the page is waited for; in wasm the worker is
/// one thread. Rows must not depend on each other: the result is the same
/// whichever thread made a row.
pub(crate) fn for_each_row(data: &mut [u8], row_len: usize, f: impl Fn(usize, &mut [u8]) + Sync) {
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { 2 };
    for_each_row_on(threads, data, row_len, f)
}

/// [`for_each_row`] on `threads` threads (1: this one).
pub(crate) fn for_each_row_on(threads: usize, data: &mut [u8], row_len: usize, f: impl Fn(usize, &mut [u8]) + Sync) {
    for_each_part_on(threads, data, row_len, |first, part| {
        for (i, row) in part.chunks_exact_mut(row_len).enumerate() {
            f(first + i, row);
        }
    })
}

/// Like [`for_each_row_on`], a part of consecutive rows at a time:
/// `f(first_row, rows)`, one call per thread.
pub(crate) fn for_each_part_on(threads: usize, data: &mut [u8], row_len: usize, f: impl Fn(usize, &mut [u8]) + Sync) {
    let each = |part: &mut [u8], first: usize| f(first, part);
    let rows = data.len() / row_len.max(1);
    // Small images are not worth a thread.
    if threads <= 1 || rows < 64 || cfg!(target_arch = "wasm32") {
        return each(data, 0);
    }
    #[cfg(not(target_arch = "wasm32"))]
    {
        let per = rows.div_ceil(threads);
        std::thread::scope(|scope| {
            let mut parts = data[..rows * row_len].chunks_mut(per * row_len).enumerate();
            let (_, mine) = parts.next().expect("at least one row");
            for (k, part) in parts {
                let each = &each;
                scope.spawn(move || each(part, k * per));
            }
            each(mine, 0);
        });
    }
}

/// Packed RGB (`coded`, `width` × `height`) turned clockwise by 90° or
/// 270° and then, with `flip`, mirrored left to right: a photo taken
/// sideways made upright. What [`Orienter`] does for rows that come in
/// bands, for a whole decoded image: natively the top and bottom halves
/// of the result are made on two threads. `None` for other turns or
/// sizes that do not match.
pub fn quarter_turn(coded: &[u8], width: u32, height: u32, rotation: u16, flip: bool) -> Option<Rgb> {
    let (cw, ch) = (width as usize, height as usize);
    if !(rotation == 90 || rotation == 270) || cw == 0 || ch == 0 || coded.len() != cw * ch * 3 {
        return None;
    }
    // Output: ch wide, cw high. Output row `oy` is coded column `x`; the
    // coded row `y` lands in output column `ox`.
    let (w, h) = (ch, cw);
    let column = |oy: usize| if rotation == 90 { oy } else { cw - 1 - oy };
    let ox = |y: usize| {
        let ox = if rotation == 90 { ch - 1 - y } else { y };
        if flip {
            w - 1 - ox
        } else {
            ox
        }
    };
    let mut out = vec![0u8; w * h * 3];
    let threads = if cfg!(target_arch = "wasm32") { 1 } else { 2 };
    for_each_part_on(threads, &mut out, w * 3, |first, part| {
        let rows = part.len() / (w * 3);
        // Tiles of 64 coded rows by 128 output rows: the rows written
        // (and their memory pages) stay in cache.
        for y0 in (0..ch).step_by(64) {
            for t0 in (0..rows).step_by(128) {
                for y in y0..(y0 + 64).min(ch) {
                    let (src, at) = (&coded[y * cw * 3..(y + 1) * cw * 3], ox(y) * 3);
                    for oy in t0..(t0 + 128).min(rows) {
                        let x = column(first + oy) * 3;
                        part[oy * w * 3 + at..][..3].copy_from_slice(&src[x..x + 3]);
                    }
                }
            }
        }
    });
    Some(Rgb { width: w as u32, height: h as u32, data: out })
}

/// Where the colour bytes sit in a pixel: 4-byte pixels (the fourth is
/// padding) as a browser's `VideoFrame` gives them, or packed RGB as a
/// native decoder does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PixelOrder {
    Rgbx,
    Bgrx,
    Rgb,
}

/// Builds an upright [`Rgb`] from opaque pixels stored as the
/// decoder left them (`coded`), which are shown turned `rotation` degrees
/// clockwise and then, with `flip`, mirrored left to right — how a
/// browser's `VideoFrame` carries a photo's EXIF orientation. Rows arrive
/// in bands ([`Orienter::add_rows`]), so the host never holds a second
/// full-size 4-byte copy; turning and packing happen in one pass.
pub struct Orienter {
    coded: (u32, u32),
    order: PixelOrder,
    out: Rgb,
    /// Output pixel index of coded pixel (0, 0), and its steps per coded x and y.
    origin: isize,
    step: (isize, isize),
    rows_done: u32,
}

impl Orienter {
    /// `None` for a rotation other than 0, 90, 180, 270 or an empty image.
    pub fn new(coded_width: u32, coded_height: u32, order: PixelOrder, rotation: u16, flip: bool) -> Option<Orienter> {
        if coded_width == 0 || coded_height == 0 || rotation % 90 != 0 || rotation >= 360 {
            return None;
        }
        let (cw, ch) = (coded_width as isize, coded_height as isize);
        let (w, h) = if rotation % 180 == 0 { (cw, ch) } else { (ch, cw) };
        // Output position of coded pixel (x, y): turned clockwise, then mirrored.
        let place = |x: isize, y: isize| -> isize {
            let (ox, oy) = match rotation {
                0 => (x, y),
                90 => (ch - 1 - y, x),
                180 => (cw - 1 - x, ch - 1 - y),
                _ => (y, cw - 1 - x),
            };
            let ox = if flip { w - 1 - ox } else { ox };
            oy * w + ox
        };
        let origin = place(0, 0);
        let step = (place(1, 0) - origin, place(0, 1) - origin);
        let out = Rgb { width: w as u32, height: h as u32, data: vec![0; (w * h * 3) as usize] };
        Some(Orienter { coded: (coded_width, coded_height), order, out, origin, step, rows_done: 0 })
    }

    /// The next coded rows, top to bottom, pixels as `order` says.
    pub fn add_rows(&mut self, rows: &[u8]) {
        // One copy of the loops per pixel layout: with the layout known
        // at compile time the per-pixel copy has no bounds or index
        // arithmetic left to do (a 12 MP photo is 12 million of them).
        match self.order {
            PixelOrder::Rgbx => self.add::<4, 0, 2>(rows),
            PixelOrder::Bgrx => self.add::<4, 2, 0>(rows),
            PixelOrder::Rgb => self.add::<3, 0, 2>(rows),
        }
    }

    fn add<const BPP: usize, const R: usize, const B: usize>(&mut self, rows: &[u8]) {
        let (cw, ch) = (self.coded.0 as usize, self.coded.1);
        let n = (rows.len() / (cw * BPP)).min((ch - self.rows_done) as usize);
        let rows = &rows[..n * cw * BPP];
        let out = &mut self.out.data;
        let put = |out: &mut [u8], at: usize, p: &[u8]| {
            let px: &[u8; BPP] = p.try_into().expect("one pixel");
            out[at..at + 3].copy_from_slice(&[px[R], px[1], px[B]]);
        };
        let first = self.origin + self.rows_done as isize * self.step.1;
        if self.step.0.abs() == 1 {
            // Upright or half-turned: coded rows stay output rows.
            for (i, row) in rows.chunks_exact(cw * BPP).enumerate() {
                let mut at = (first + i as isize * self.step.1) * 3;
                for p in row.chunks_exact(BPP) {
                    put(out, at as usize, p);
                    at += self.step.0 * 3;
                }
            }
        } else {
            // Quarter-turned: along a coded row the writes jump a whole
            // output row each; tiles of 128 coded pixels by 64 coded rows
            // keep the rows written (and their memory pages) in cache.
            for (band_index, band) in rows.chunks(cw * BPP * 64).enumerate() {
                let band_first = first + (band_index * 64) as isize * self.step.1;
                for x0 in (0..cw).step_by(128) {
                    let x1 = (x0 + 128).min(cw);
                    for (i, row) in band.chunks_exact(cw * BPP).enumerate() {
                        let mut at = (band_first + i as isize * self.step.1 + x0 as isize * self.step.0) * 3;
                        for p in row[x0 * BPP..x1 * BPP].chunks_exact(BPP) {
                            put(out, at as usize, p);
                            at += self.step.0 * 3;
                        }
                    }
                }
            }
        }
        self.rows_done += n as u32;
    }

    /// The upright image, once every coded row was added.
    pub fn finish(self) -> Option<Rgb> {
        (self.rows_done == self.coded.1).then_some(self.out)
    }
}

/// A JPEG APP1 "Exif" segment holding only an Orientation tag (1–8):
/// big-endian TIFF header, one IFD with one entry, no next IFD.
pub fn exif_orientation_segment(orientation: u8) -> [u8; 36] {
    let mut segment = [0; 36];
    segment[..4].copy_from_slice(&[0xFF, 0xE1, 0, 34]);
    segment[4..29].copy_from_slice(b"Exif\0\0MM\0\x2a\0\0\0\x08\0\x01\x01\x12\0\x03\0\0\0\x01\0");
    segment[29] = orientation;
    segment
}

/// Bilinear resampling of RGB to an exact size (shrinking uses a box
/// pre-filter first so that thin strokes are averaged, not skipped).
pub fn resize(src: &Rgb, width: u32, height: u32) -> Rgb {
    let factor = (src.width / width.max(1)).min(src.height / height.max(1));
    let shrunk;
    let src = if factor >= 2 {
        shrunk = src.shrink(factor);
        &shrunk
    } else {
        src
    };
    let (sx, sy) = (src.width as f32 / width as f32, src.height as f32 / height as f32);
    let mut data = Vec::with_capacity((width * height * 3) as usize);
    for y in 0..height {
        let fy = ((y as f32 + 0.5) * sy - 0.5).clamp(0.0, (src.height - 1) as f32);
        for x in 0..width {
            let fx = ((x as f32 + 0.5) * sx - 0.5).clamp(0.0, (src.width - 1) as f32);
            data.extend_from_slice(&bilinear(src, fx, fy).unwrap_or([255; 3]));
        }
    }
    Rgb { width, height, data }
}

/// Sample at a real position; `None` outside the image. Weights in
/// 8-bit fixed point: this runs for every pixel of a warped or rotated page.
#[inline]
pub(crate) fn bilinear(src: &Rgb, fx: f32, fy: f32) -> Option<[u8; 3]> {
    let (w, h) = (src.width as usize, src.height as usize);
    if !(fx >= 0.0 && fy >= 0.0) || fx > (w - 1) as f32 || fy > (h - 1) as f32 {
        return None;
    }
    let (x0, y0) = (fx as usize, fy as usize);
    let (x1, y1) = ((x0 + 1).min(w - 1), (y0 + 1).min(h - 1));
    let tx = ((fx - x0 as f32) * 256.0) as u32;
    let ty = ((fy - y0 as f32) * 256.0) as u32;
    let d = &src.data;
    let (a, b, c, e) = ((y0 * w + x0) * 3, (y0 * w + x1) * 3, (y1 * w + x0) * 3, (y1 * w + x1) * 3);
    let mut out = [0u8; 3];
    for (k, o) in out.iter_mut().enumerate() {
        let top = u32::from(d[a + k]) * (256 - tx) + u32::from(d[b + k]) * tx;
        let bottom = u32::from(d[c + k]) * (256 - tx) + u32::from(d[e + k]) * tx;
        *o = ((top * (256 - ty) + bottom * ty + 32768) >> 16) as u8;
    }
    Some(out)
}

/// Fractional bits of the fixed-point source positions [`sample_span`] steps.
pub(crate) const FRAC: u32 = 24;

/// A real position as [`sample_span`] takes it.
#[inline]
pub(crate) fn fixed(v: f64) -> i64 {
    (v * f64::from(1u32 << FRAC)).round() as i64
}

/// Fills `out` (RGB pixels of one output row) with bilinear samples of
/// `src` at `start`, `start + step`, … (fixed point, see [`fixed`]); `fill`
/// outside. The same sampling as [`bilinear`], without a float division
/// or rounding per pixel: warp and rotation walk source positions that
/// change linearly along a row (or piecewise linearly, for a homography).
pub(crate) fn sample_span(src: &Rgb, out: &mut [u8], start: (i64, i64), step: (i64, i64), fill: [u8; 3]) {
    let (w, h) = (src.width as usize, src.height as usize);
    let (max_x, max_y) = (((w - 1) as i64) << FRAC, ((h - 1) as i64) << FRAC);
    let (mut fx, mut fy) = start;
    let d = &src.data;
    let stride = w * 3;
    for o in out.chunks_exact_mut(3) {
        if fx >= 0 && fy >= 0 && fx <= max_x && fy <= max_y {
            let (x0, y0) = ((fx >> FRAC) as usize, (fy >> FRAC) as usize);
            let tx = ((fx >> (FRAC - 8)) & 255) as u32;
            let ty = ((fy >> (FRAC - 8)) & 255) as u32;
            let a = y0 * stride + x0 * 3;
            let right = if x0 + 1 < w { 3 } else { 0 };
            let down = if y0 + 1 < h { stride } else { 0 };
            let (p, q, r, t) = (
                &d[a..a + 3],
                &d[a + right..a + right + 3],
                &d[a + down..a + down + 3],
                &d[a + down + right..a + down + right + 3],
            );
            for k in 0..3 {
                let top = u32::from(p[k]) * (256 - tx) + u32::from(q[k]) * tx;
                let bottom = u32::from(r[k]) * (256 - tx) + u32::from(t[k]) * tx;
                o[k] = ((top * (256 - ty) + bottom * ty + 32768) >> 16) as u8;
            }
        } else {
            o.copy_from_slice(&fill);
        }
        fx += step.0;
        fy += step.1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::rotate_quarters;

    /// Turned clockwise, then mirrored: the slow way, from whole images.
    fn reference(rgb: &Rgb, rotation: u16, flip: bool) -> Rgb {
        let mut out = rotate_quarters(rgb.clone(), rotation);
        if flip {
            let w = out.width as usize;
            for row in out.data.chunks_exact_mut(w * 3) {
                for x in 0..w / 2 {
                    for k in 0..3 {
                        row.swap(x * 3 + k, (w - 1 - x) * 3 + k);
                    }
                }
            }
        }
        out
    }

    #[test]
    fn orienter_turns_and_mirrors_like_whole_image_rotation() {
        // Sizes that do and do not fill the 64-pixel tiles, one-pixel lines included.
        for (w, h) in [(7u32, 5u32), (130, 3), (1, 9), (9, 1), (65, 66)] {
            let rgb = Rgb { width: w, height: h, data: (0..w * h * 3).map(|i| (i * 7 % 251) as u8).collect() };
            let rgbx: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            let bgrx: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[2], p[1], p[0], 0]).collect();
            for rotation in [0, 90, 180, 270] {
                for flip in [false, true] {
                    let want = reference(&rgb, rotation, flip);
                    for (order, px) in [(PixelOrder::Rgbx, &rgbx), (PixelOrder::Bgrx, &bgrx), (PixelOrder::Rgb, &rgb.data)] {
                        let bpp = if order == PixelOrder::Rgb { 3 } else { 4 };
                        let mut o = Orienter::new(w, h, order, rotation, flip).unwrap();
                        // Bands of 1, 2, 3, … rows, as a host copies them.
                        let mut row = 0usize;
                        for band in 1.. {
                            if row >= h as usize {
                                break;
                            }
                            let end = (row + band).min(h as usize);
                            o.add_rows(&px[row * w as usize * bpp..end * w as usize * bpp]);
                            row = end;
                        }
                        assert_eq!(o.finish().as_ref(), Some(&want), "{w}×{h} {rotation}° flip {flip} {order:?}");
                    }
                }
            }
        }
    }

    #[test]
    fn quarter_turn_is_the_orienters_on_any_split() {
        for (w, h) in [(1u32, 1u32), (7, 5), (130, 70), (3, 200), (200, 3)] {
            let rgb = Rgb { width: w, height: h, data: (0..w * h * 3).map(|i| (i * 13 % 251) as u8).collect() };
            for rotation in [90, 270] {
                for flip in [false, true] {
                    let want = reference(&rgb, rotation, flip);
                    let got = quarter_turn(&rgb.data, w, h, rotation, flip);
                    assert_eq!(got.as_ref(), Some(&want), "{w}×{h} {rotation}° flip {flip}");
                }
            }
        }
        assert_eq!(quarter_turn(&[0; 12], 2, 2, 180, false), None);
        assert_eq!(quarter_turn(&[0; 11], 2, 2, 90, false), None);
    }

    #[test]
    fn shrink_on_two_threads_equals_one() {
        // Sizes whose last cells and last band are partial; ≥ 64 output rows split.
        for (w, h, factor) in [(10u32, 7u32, 3u32), (301, 517, 4), (1000, 130, 2), (5, 5, 1), (9, 400, 3)] {
            let rgb = Rgb { width: w, height: h, data: (0..w * h * 3).map(|i| (i * 29 % 253) as u8).collect() };
            assert_eq!(rgb.shrink(factor), rgb.shrink_one_thread(factor), "{w}×{h} by {factor}");
        }
    }

    #[test]
    fn rows_made_on_several_threads_equal_rows_made_on_one() {
        // Each row depends on its index only, as in the warp and the rotation.
        let row = |y: usize, out: &mut [u8]| {
            for (x, v) in out.iter_mut().enumerate() {
                *v = ((x * 31 + y * 17 + x * y) % 253) as u8;
            }
        };
        for (rows, len) in [(1usize, 5usize), (63, 9), (64, 9), (1001, 30)] {
            let mut one = vec![0u8; rows * len];
            for_each_row_on(1, &mut one, len, row);
            for threads in [2, 3] {
                let mut many = vec![1u8; rows * len];
                for_each_row_on(threads, &mut many, len, row);
                assert_eq!(many, one, "{rows} rows on {threads} threads");
            }
        }
    }

    #[test]
    fn orienter_wants_every_row_and_a_quarter_turn() {
        assert!(Orienter::new(4, 4, PixelOrder::Rgbx, 45, false).is_none());
        assert!(Orienter::new(0, 4, PixelOrder::Rgbx, 0, false).is_none());
        let mut o = Orienter::new(2, 3, PixelOrder::Rgbx, 90, false).unwrap();
        o.add_rows(&[0; 2 * 2 * 4]);
        assert_eq!(o.finish(), None, "a row is missing");
    }
}

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
    pub fn shrink(&self, factor: u32) -> Rgb {
        let (w, h) = (self.width.div_ceil(factor), self.height.div_ceil(factor));
        let f = factor as usize;
        let mut data = Vec::with_capacity((w * h * 3) as usize);
        // One output row at a time: its sums stay in cache, and the cell a
        // source pixel adds to comes from walking the row, not dividing.
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

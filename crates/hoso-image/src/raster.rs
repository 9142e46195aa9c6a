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
        (rgba.len() == width as usize * height as usize * 4).then(|| Rgb {
            width,
            height,
            data: rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect(),
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
        let mut sums = vec![[0u32; 4]; (w * h) as usize];
        for y in 0..self.height {
            let row = &self.data[(y * self.width * 3) as usize..((y + 1) * self.width * 3) as usize];
            let out = &mut sums[((y / factor) * w) as usize..((y / factor + 1) * w) as usize];
            for (x, p) in row.chunks_exact(3).enumerate() {
                let s = &mut out[x / factor as usize];
                s[0] += u32::from(p[0]);
                s[1] += u32::from(p[1]);
                s[2] += u32::from(p[2]);
                s[3] += 1;
            }
        }
        let data = sums.iter().flat_map(|s| [0, 1, 2].map(|c| ((s[c] + s[3] / 2) / s[3].max(1)) as u8)).collect();
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

//! Synthetic document pages for tests and the benchmark: text-like glyphs
//! on paper, optionally a red seal (con dấu), a blue signature, uneven
//! light, noise, blur and skew, together with the true ink mask.
//! Deterministic (own LCG), so figures are comparable between runs.

use crate::raster::{Bitmap, Rgb};

#[derive(Clone, Debug)]
pub struct Scene {
    pub width: u32,
    pub height: u32,
    pub dpi: f32,
    pub seal: bool,
    pub signature: bool,
    /// Light falls from 100 % at the left to 55 % at the right edge.
    pub gradient: bool,
    /// A soft shadow over the lower-left quarter (a hand, a phone).
    pub shadow: bool,
    /// Amplitude of uniform noise added to every channel.
    pub noise: u8,
    pub blur: bool,
    /// Rotation of the whole sheet, in degrees counter-clockwise.
    pub skew_degrees: f32,
    pub seed: u32,
}

impl Default for Scene {
    fn default() -> Scene {
        Scene {
            width: 1654,
            height: 2339,
            dpi: 200.0,
            seal: false,
            signature: false,
            gradient: false,
            shadow: false,
            noise: 0,
            blur: false,
            skew_degrees: 0.0,
            seed: 1,
        }
    }
}

pub const PAPER: [u8; 3] = [246, 244, 238];
pub const TEXT: [u8; 3] = [28, 28, 32];
pub const SEAL: [u8; 3] = [205, 35, 45];
pub const SIGNATURE: [u8; 3] = [30, 55, 175];

struct Lcg(u32);

impl Lcg {
    fn next(&mut self) -> u32 {
        self.0 = self.0.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        self.0 >> 8
    }
}

/// Where the seal is centred and its outer radius, for checks on colour.
pub fn seal_circle(scene: &Scene) -> (f32, f32, f32) {
    let r = scene.dpi * 0.75;
    (scene.width as f32 * 0.68, scene.height as f32 * 0.78, r)
}

/// Renders the scene; the mask is the ink drawn (before light, noise and
/// blur; after skew).
pub fn render(scene: &Scene) -> (Rgb, Bitmap) {
    let (w, h) = (scene.width, scene.height);
    let mut rgb = Rgb { width: w, height: h, data: PAPER.repeat((w * h) as usize) };
    let mut mask = Bitmap::new(w, h);
    let mut rng = Lcg(scene.seed);
    let unit = scene.dpi / 200.0;
    let px = |v: f32| (v * unit).round().max(1.0) as u32;
    let (stroke, glyph_w, glyph_h, line) = (px(3.0), px(14.0), px(22.0), px(44.0));
    let paint = |rgb: &mut Rgb, mask: &mut Bitmap, x: u32, y: u32, colour: [u8; 3]| {
        if x < w && y < h {
            let i = (y * w + x) as usize;
            mask.data[i] = 1;
            // Inks multiply: a seal over text stays dark where both are.
            for (p, ink) in rgb.data[i * 3..i * 3 + 3].iter_mut().zip(colour) {
                *p = (u32::from(*p) * u32::from(ink) / 255) as u8;
            }
        }
    };
    let left = w / 10;
    let mut y = h / 12;
    while y + glyph_h < h - h / 12 {
        let mut x = left;
        let end = w - w / 10 - (rng.next() % (w / 4).max(1));
        while x + glyph_w < end {
            let word = 2 + rng.next() % 7;
            for _ in 0..word {
                // A glyph: a random subset of two verticals and three horizontals.
                let shape = 1 + rng.next() % 31;
                for (bit, (x0, y0, x1, y1)) in [
                    (0, 0, stroke, glyph_h),
                    (glyph_w - stroke, 0, glyph_w, glyph_h),
                    (0, 0, glyph_w, stroke),
                    (0, glyph_h / 2, glyph_w, glyph_h / 2 + stroke),
                    (0, glyph_h - stroke, glyph_w, glyph_h),
                ]
                .into_iter()
                .enumerate()
                {
                    if shape & (1 << bit) != 0 {
                        for yy in y0..y1 {
                            for xx in x0..x1 {
                                paint(&mut rgb, &mut mask, x + xx, y + yy, TEXT);
                            }
                        }
                    }
                }
                x += glyph_w + px(4.0);
            }
            x += glyph_w;
        }
        y += line;
    }
    if scene.seal {
        let (cx, cy, r) = seal_circle(scene);
        let ring = 10.0 * unit;
        for yy in (cy - r) as u32..=(cy + r) as u32 {
            for xx in (cx - r) as u32..=(cx + r) as u32 {
                let d = ((xx as f32 - cx).powi(2) + (yy as f32 - cy).powi(2)).sqrt();
                let star = d < r * 0.3;
                if (d <= r && d >= r - ring) || (d <= r - 2.5 * ring && d >= r - 3.2 * ring) || star {
                    paint(&mut rgb, &mut mask, xx, yy, SEAL);
                }
            }
        }
    }
    if scene.signature {
        let (x0, y0) = (w as f32 * 0.2, h as f32 * 0.8);
        let len = w as f32 * 0.3;
        let mut t = 0.0;
        while t < len {
            let yy = y0 + (t / (18.0 * unit)).sin() * 30.0 * unit + (t / (70.0 * unit)).cos() * 20.0 * unit;
            for d in 0..px(4.0) {
                paint(&mut rgb, &mut mask, (x0 + t) as u32, yy as u32 + d, SIGNATURE);
            }
            t += 0.5;
        }
    }
    if scene.skew_degrees != 0.0 {
        rgb = crate::deskew::rotate(&rgb, scene.skew_degrees, PAPER);
        mask = rotate_nearest(&mask, scene.skew_degrees);
    }
    light(&mut rgb, scene, &mut rng);
    if scene.blur {
        rgb = box_blur(&rgb);
    }
    (rgb, mask)
}

fn light(rgb: &mut Rgb, scene: &Scene, rng: &mut Lcg) {
    let (w, h) = (rgb.width, rgb.height);
    let n = u32::from(scene.noise);
    for y in 0..h {
        for x in 0..w {
            let mut f = 1.0f32;
            if scene.gradient {
                f *= 1.0 - 0.45 * x as f32 / w as f32;
            }
            if scene.shadow {
                // Soft-edged: full shadow well inside the quarter, fading over 5 % of the width.
                let edge = (w as f32 * 0.05).max(1.0);
                let inside_x = ((w as f32 * 0.5 - x as f32) / edge).clamp(0.0, 1.0);
                let inside_y = ((y as f32 - h as f32 * 0.5) / edge).clamp(0.0, 1.0);
                f *= 1.0 - 0.45 * inside_x * inside_y;
            }
            if f == 1.0 && n == 0 {
                continue;
            }
            let i = ((y * w + x) * 3) as usize;
            for c in 0..3 {
                let mut v = f32::from(rgb.data[i + c]) * f;
                if n > 0 {
                    v += (rng.next() % (2 * n + 1)) as f32 - n as f32;
                }
                rgb.data[i + c] = v.clamp(0.0, 255.0) as u8;
            }
        }
    }
}

/// Same mapping as [`crate::deskew::rotate`], nearest pixel.
fn rotate_nearest(src: &Bitmap, degrees: f32) -> Bitmap {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = ((src.width as f32 - 1.0) / 2.0, (src.height as f32 - 1.0) / 2.0);
    let mut out = Bitmap::new(src.width, src.height);
    for y in 0..src.height {
        for x in 0..src.width {
            let (dx, dy) = (x as f32 - cx, y as f32 - cy);
            let (sx, sy) = ((cx + dx * cos - dy * sin).round(), (cy + dx * sin + dy * cos).round());
            if sx >= 0.0 && sy >= 0.0 && (sx as u32) < src.width && (sy as u32) < src.height {
                out.data[(y * src.width + x) as usize] = src.data[(sy as u32 * src.width + sx as u32) as usize];
            }
        }
    }
    out
}

/// 3 × 3 box blur (separable): the softness of a phone lens or a cheap scanner.
pub fn box_blur(src: &Rgb) -> Rgb {
    let (w, h) = (src.width as usize, src.height as usize);
    let mut across = vec![0u16; w * h * 3];
    for y in 0..h {
        for x in 0..w {
            let (l, r) = (x.saturating_sub(1), (x + 1).min(w - 1));
            for c in 0..3 {
                let at = |xx: usize| u16::from(src.data[(y * w + xx) * 3 + c]);
                across[(y * w + x) * 3 + c] = at(l) + at(x) + at(r);
            }
        }
    }
    let mut out = src.clone();
    for y in 0..h {
        let (u, d) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for i in 0..w * 3 {
            out.data[y * w * 3 + i] = ((across[u * w * 3 + i] + across[y * w * 3 + i] + across[d * w * 3 + i]) / 9) as u8;
        }
    }
    out
}

/// What a sheet lies on in a synthetic photo.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Background {
    /// Dark wood: brown with grain.
    Dark,
    /// A light grey-beige desk, close to the paper's brightness.
    Light,
    /// Blotchy granite-like texture of several colours.
    Textured,
}

/// A phone held over a sheet: the sheet (`mm` short × long, portrait)
/// turned by `yaw` in its plane and tilted by `pitch`/`roll` towards the
/// camera, seen by a pinhole camera whose focal length is `focal` times the
/// frame's diagonal.
#[derive(Clone, Copy, Debug)]
pub struct Camera {
    pub frame: (u32, u32),
    pub mm: (f32, f32),
    pub yaw: f32,
    pub pitch: f32,
    pub roll: f32,
    pub focal: f32,
    /// Share of the frame's height the sheet spans when seen square on.
    pub fill: f32,
    /// Shift of the sheet's centre, as a share of the frame.
    pub offset: (f32, f32),
}

impl Camera {
    /// Where the sheet's corners land (top-left, top-right, bottom-right,
    /// bottom-left), in continuous frame pixels.
    pub fn corners(&self) -> [(f32, f32); 4] {
        let (fw, fh) = (self.frame.0 as f32, self.frame.1 as f32);
        let f = self.focal * (fw * fw + fh * fh).sqrt();
        let (sw, sh) = self.mm;
        let distance = f * sh / (self.fill * fh);
        let (sy, cy) = self.yaw.to_radians().sin_cos();
        let (sp, cp) = self.pitch.to_radians().sin_cos();
        let (sr, cr) = self.roll.to_radians().sin_cos();
        [(-sw / 2.0, -sh / 2.0), (sw / 2.0, -sh / 2.0), (sw / 2.0, sh / 2.0), (-sw / 2.0, sh / 2.0)].map(|(x, y)| {
            // In-plane turn, then tilt about the x axis (pitch) and y axis (roll).
            let (x, y) = (x * cy - y * sy, x * sy + y * cy);
            let (y, z) = (y * cp, y * sp);
            let (x, z) = (x * cr + z * sr, -x * sr + z * cr);
            let (x, y, z) = (x + self.offset.0 * distance * fw / f, y + self.offset.1 * distance * fh / f, z + distance);
            (fw / 2.0 + f * x / z, fh / 2.0 + f * y / z)
        })
    }
}

/// Photographs `page` (an upright rendered sheet) with `camera` on a
/// `background`, under light falling off by `falloff` (0 = even, 0.35 = a
/// third darker in one corner), with noise and a slight blur. Returns the
/// photo and the true corners.
pub fn photograph(
    page: &Rgb,
    camera: &Camera,
    background: Background,
    falloff: f32,
    noise: u8,
    seed: u32,
) -> (Rgb, [(f32, f32); 4]) {
    use crate::warp::Homography;
    let corners = camera.corners();
    let (pw, ph) = (page.width as f32, page.height as f32);
    let to_page = Homography::from_points(corners, [(0.0, 0.0), (pw, 0.0), (pw, ph), (0.0, ph)]).expect("a proper quadrilateral");
    let (w, h) = camera.frame;
    let mut rng = Lcg(seed.wrapping_mul(7919).wrapping_add(17));
    // Value noise for the textured background: random colours on a coarse grid.
    let cell = 23u32;
    let grid: Vec<[f32; 3]> = (0..((w / cell + 2) * (h / cell + 2)))
        .map(|_| {
            let v = (rng.next() % 120) as f32;
            [90.0 + v, 80.0 + (rng.next() % 100) as f32, 60.0 + v * 0.7]
        })
        .collect();
    let gw = w / cell + 2;
    let mut data = Vec::with_capacity((w * h * 3) as usize);
    for y in 0..h {
        for x in 0..w {
            let (u, v) = to_page.apply((x as f32 + 0.5, y as f32 + 0.5));
            let mut p = if u >= 0.0 && v >= 0.0 && u < pw && v < ph {
                let s = crate::raster::bilinear(page, (u - 0.5).max(0.0), (v - 0.5).max(0.0)).unwrap_or(PAPER);
                s.map(f32::from)
            } else {
                match background {
                    Background::Dark => {
                        let grain = ((y as f32 / 7.0 + (x as f32 / 90.0).sin() * 4.0).sin() * 12.0) + (rng.next() % 9) as f32;
                        [70.0 + grain, 48.0 + grain * 0.8, 32.0 + grain * 0.5]
                    }
                    Background::Light => [205.0, 201.0, 192.0].map(|c| c + (rng.next() % 7) as f32 - 3.0),
                    Background::Textured => {
                        let (gx, gy) = (x / cell, y / cell);
                        let (tx, ty) = ((x % cell) as f32 / cell as f32, (y % cell) as f32 / cell as f32);
                        let g = |i: u32, j: u32| grid[(j * gw + i) as usize];
                        let (a, b, c, d) = (g(gx, gy), g(gx + 1, gy), g(gx, gy + 1), g(gx + 1, gy + 1));
                        let speck = (rng.next() % 41) as f32 - 20.0;
                        [0, 1, 2]
                            .map(|k| (a[k] * (1.0 - tx) + b[k] * tx) * (1.0 - ty) + (c[k] * (1.0 - tx) + d[k] * tx) * ty + speck)
                    }
                }
            };
            // Light from the top-left: the far corner darker by `falloff`.
            let shade = 1.0 - falloff * (x as f32 / w as f32 + y as f32 / h as f32) / 2.0;
            let n = f32::from(noise);
            for c in &mut p {
                let jitter = if noise > 0 { (rng.next() % (2 * u32::from(noise) + 1)) as f32 - n } else { 0.0 };
                *c = (*c * shade + jitter).clamp(0.0, 255.0);
            }
            data.extend(p.map(|c| c as u8));
        }
    }
    (box_blur(&Rgb { width: w, height: h, data }), corners)
}

/// `jpeg` with an APP1 Exif segment (big-endian TIFF, one IFD entry) saying
/// `orientation` (1–8), as a phone stores a photo taken sideways.
pub fn with_exif_orientation(jpeg: &[u8], orientation: u8) -> Vec<u8> {
    let mut out = vec![0xFF, 0xD8];
    out.extend_from_slice(&crate::raster::exif_orientation_segment(orientation));
    out.extend_from_slice(&jpeg[2..]);
    out
}

/// A small photo of a sealed A4 sheet on a dark desk (720 × 540 px, the
/// sheet tilted): what the app's page worker scans once before the first
/// real photo, so that the browser has compiled the pipeline's hot loops
/// (corner search, flattening, profiles) to optimised code by then. A
/// wasm function's first long call otherwise runs in baseline code.
pub fn warm_up_photo() -> Rgb {
    tilted_a4_photo(&Scene { width: 496, height: 702, dpi: 60.0, seal: true, signature: true, ..Scene::default() }, (720, 540)).0
}

/// A small A4 `scene` photographed tilted (yaw 6°, pitch 12°, roll −4°)
/// on a dark desk in a `frame`-sized photo, with uneven light and noise:
/// the photo and the sheet's true corners.
pub fn tilted_a4_photo(scene: &Scene, frame: (u32, u32)) -> (Rgb, [(f32, f32); 4]) {
    let (page, _) = render(scene);
    let camera = Camera {
        frame,
        mm: (210.0, 297.0),
        yaw: 6.0,
        pitch: 12.0,
        roll: -4.0,
        focal: 0.7,
        fill: 0.8,
        offset: (0.0, 0.0),
    };
    photograph(&page, &camera, Background::Dark, 0.2, 3, 5)
}

#[cfg(test)]
mod warm_up_tests {
    use super::warm_up_photo;
    use crate::pipeline::{scan, ScanRequest};
    use crate::profile::{Profile, ScanOptions};

    /// The warm-up photo must go through the whole pipeline (sheet found,
    /// flattened, encoded) for every profile, or it would not warm those paths.
    #[test]
    fn warm_up_photo_is_scanned_with_its_sheet_found() {
        for profile in [Profile::Text, Profile::Color, Profile::Mixed, Profile::Auto] {
            let request = ScanRequest { options: ScanOptions { profile, ..Default::default() }, thumb_long: 120, ..Default::default() };
            let scanned = scan(warm_up_photo(), &request, |_| ()).expect("scanned");
            assert!(scanned.corners.is_some(), "{profile:?}: no sheet found");
            assert!(scanned.page.bytes() > 0 && !scanned.thumb_jpeg.is_empty(), "{profile:?}");
        }
    }
}

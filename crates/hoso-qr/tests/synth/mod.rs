//! Synthetic photos of an ID card (thẻ căn cước) for tests and the
//! benchmark corpus: a printed card with its QR at the top right,
//! photographed at an angle (in-plane turn and perspective), at a distance,
//! out of focus, under a lamp's glare, in dim or flat light, with sensor
//! noise and JPEG compression. Deterministic from a seed; no image files in
//! the repository.
#![allow(dead_code)] // each user (test, example) takes what it needs

use image::{GrayImage, Luma};
use qrcode::{EcLevel, QrCode};

/// Fictitious card texts, as the chip cards' QR carries them.
pub const CARDS: [&str; 4] = [
    "036300001122||Trần Thị Hoa|01012000|Nữ|Xóm 3, Xã Giao Thủy, Huyện Giao Thủy, Tỉnh Nam Định|10052024||||",
    "001090012345|012345678|Nguyễn Văn Bình|15031990|Nam|Thôn Đông Hưng, Xã Hòa Bình, Huyện Nghĩa Hành, Tỉnh Quảng Ngãi|01022021",
    "079185004567||Lê Thị Ngọc Ánh|29021985|Nữ|Số 12 đường Nguyễn Thị Minh Khai, Phường Đa Kao, Quận 1, Thành phố Hồ Chí Minh|15082022",
    "048200007890|201234567|Phạm Đức Huy|07072000|Nam|Tổ 5, Phường Hòa Khánh Bắc, Quận Liên Chiểu, Thành phố Đà Nẵng|03112021|",
];

/// Deterministic pseudo-random numbers (xorshift64*): no rand dependency.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// Uniform in `lo..hi`.
    pub fn range(&mut self, lo: f32, hi: f32) -> f32 {
        lo + (hi - lo) * (self.next() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// How a card photo is taken.
#[derive(Clone, Debug)]
pub struct Shot {
    pub text: &'static str,
    /// Photo size.
    pub width: u32,
    pub height: u32,
    /// Card width as a fraction of the photo width.
    pub card_frac: f32,
    /// In-plane turn, degrees.
    pub rotate: f32,
    /// Perspective: the far edge this much shorter than the near one (0 = flat on).
    pub keystone: f32,
    /// Keystone along the card's width (true) or height.
    pub keystone_x: bool,
    /// Card centre offset from the photo centre, as fractions of the photo.
    pub shift: (f32, f32),
    /// Defocus: box-blur radius in pixels, applied twice (≈ Gaussian).
    pub blur: u32,
    /// A lamp's reflection: peak added brightness (0 = none), radius as a
    /// fraction of the card width, centre in card fractions.
    pub glare: f32,
    pub glare_radius: f32,
    pub glare_at: (f32, f32),
    /// Darkest and lightest level the card reaches (ink, paper).
    pub ink: f32,
    pub paper: f32,
    /// Light falling off across the photo: 1 = even.
    pub falloff: f32,
    /// Sensor noise amplitude (±).
    pub noise: f32,
    pub seed: u64,
}

impl Shot {
    /// A good photo: card filling most of a 1600×1200 frame, square on, sharp.
    pub fn plain(text: &'static str, seed: u64) -> Shot {
        Shot {
            text,
            width: 1600,
            height: 1200,
            card_frac: 0.8,
            rotate: 0.0,
            keystone: 0.0,
            keystone_x: true,
            shift: (0.0, 0.0),
            blur: 0,
            glare: 0.0,
            glare_radius: 0.15,
            glare_at: (0.8, 0.2),
            ink: 30.0,
            paper: 225.0,
            falloff: 1.0,
            noise: 6.0,
            seed,
        }
    }
}

/// The printed card at `px_per_mm` (85.6 × 53.98 mm): pale guilloche
/// background, photo, text lines, and the QR (17 mm) at the top right.
/// Levels: 0 = ink, 255 = paper (mapped to the shot's levels later).
pub fn card(text: &str, px_per_mm: f32) -> GrayImage {
    let (w, h) = ((85.6 * px_per_mm).round() as u32, (53.98 * px_per_mm).round() as u32);
    let code = QrCode::with_error_correction_level(text, EcLevel::M).unwrap();
    let n = code.width();
    let colors = code.to_colors();
    let mm = |v: f32| v * px_per_mm;
    let (qx, qy, qs) = (mm(66.0), mm(4.0), mm(17.0));
    GrayImage::from_fn(w, h, |x, y| {
        let (fx, fy) = (x as f32, y as f32);
        // The QR (its quiet zone is the card's own margin around it).
        if fx >= qx && fy >= qy && fx < qx + qs && fy < qy + qs {
            let (mx, my) = (((fx - qx) / qs * n as f32) as usize, ((fy - qy) / qs * n as f32) as usize);
            let dark = colors[my.min(n - 1) * n + mx.min(n - 1)] == qrcode::Color::Dark;
            return Luma([if dark { 0 } else { 250 }]);
        }
        let (u, v) = (fx / px_per_mm, fy / px_per_mm);
        // Portrait photo at the left.
        if (3.0..23.0).contains(&u) && (15.0..42.0).contains(&v) {
            return Luma([(110.0 + 40.0 * ((u * 0.7).sin() * (v * 0.5).cos())) as u8]);
        }
        // Heading and text lines (2 mm pitch), bars of "words".
        let line = (v - 15.0) / 3.2;
        let in_words = ((u * 1.7).sin() + (u * 0.31 + line).cos()) > -0.6;
        if (25.0..62.0).contains(&u) && v > 15.0 && v < 50.0 && line.fract() < 0.35 && in_words {
            return Luma([60]);
        }
        if (20.0..64.0).contains(&u) && (4.0..8.0).contains(&v) && in_words {
            return Luma([40]);
        }
        // Guilloche: fine light waves on the paper.
        let wave = ((u * 2.1 + (v * 0.9).sin() * 3.0).sin() * 0.5 + 0.5) * 18.0;
        Luma([(235.0 - wave) as u8])
    })
}

/// 3×3 homography mapping the unit square's corners to `quad` (tl, tr, br, bl).
fn homography(quad: [(f32, f32); 4]) -> [f64; 9] {
    // Heckbert's square-to-quad.
    let [(x0, y0), (x1, y1), (x2, y2), (x3, y3)] = quad.map(|(x, y)| (f64::from(x), f64::from(y)));
    let (sx, sy) = (x0 - x1 + x2 - x3, y0 - y1 + y2 - y3);
    let (dx1, dx2, dy1, dy2) = (x1 - x2, x3 - x2, y1 - y2, y3 - y2);
    let den = dx1 * dy2 - dx2 * dy1;
    let g = (sx * dy2 - dx2 * sy) / den;
    let h = (dx1 * sy - sx * dy1) / den;
    [x1 - x0 + g * x1, x3 - x0 + h * x3, x0, y1 - y0 + g * y1, y3 - y0 + h * y3, y0, g, h, 1.0]
}

fn invert(m: [f64; 9]) -> [f64; 9] {
    let [a, b, c, d, e, f, g, h, i] = m;
    let det = a * (e * i - f * h) - b * (d * i - f * g) + c * (d * h - e * g);
    [
        (e * i - f * h) / det,
        (c * h - b * i) / det,
        (b * f - c * e) / det,
        (f * g - d * i) / det,
        (a * i - c * g) / det,
        (c * d - a * f) / det,
        (d * h - e * g) / det,
        (b * g - a * h) / det,
        (a * e - b * d) / det,
    ]
}

fn box_blur(img: &GrayImage, r: u32) -> GrayImage {
    if r == 0 {
        return img.clone();
    }
    let (w, h) = (img.width() as usize, img.height() as usize);
    let r = r as usize;
    let src = img.as_raw();
    let mut tmp = vec![0u8; w * h];
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        let first = &row[..(r + 1).min(w)];
        let mut acc: u32 = first.iter().map(|&p| u32::from(p)).sum();
        let mut n = first.len() as u32;
        for x in 0..w {
            tmp[y * w + x] = (acc / n) as u8;
            if x + r + 1 < w {
                acc += u32::from(row[x + r + 1]);
                n += 1;
            }
            if x >= r {
                acc -= u32::from(row[x - r]);
                n -= 1;
            }
        }
    }
    let mut out = vec![0u8; w * h];
    for x in 0..w {
        let mut acc: u32 = 0;
        let mut n: u32 = 0;
        for y in 0..(r + 1).min(h) {
            acc += u32::from(tmp[y * w + x]);
            n += 1;
        }
        for y in 0..h {
            out[y * w + x] = (acc / n) as u8;
            if y + r + 1 < h {
                acc += u32::from(tmp[(y + r + 1) * w + x]);
                n += 1;
            }
            if y >= r {
                acc -= u32::from(tmp[(y - r) * w + x]);
                n -= 1;
            }
        }
    }
    GrayImage::from_raw(w as u32, h as u32, out).unwrap()
}

/// The photo of the card as `shot` describes it (grey levels).
pub fn photo(shot: &Shot) -> GrayImage {
    let (pw, ph) = (shot.width as f32, shot.height as f32);
    let card_w = pw * shot.card_frac;
    let card_h = card_w * 53.98 / 85.6;
    // The card rendered at about the size it appears, so sampling needs no
    // more than the 2×2 supersampling below.
    let src = card(shot.text, (card_w / 85.6).max(2.0));
    let (sw, sh) = (src.width() as f32, src.height() as f32);
    // Corners before the turn: a keystone shortens the far edge.
    let k = shot.keystone / 2.0;
    let (hw, hh) = (card_w / 2.0, card_h / 2.0);
    let corners = if shot.keystone_x {
        // Right edge farther away: shorter.
        [(-hw, -hh), (hw, -hh * (1.0 - 2.0 * k)), (hw, hh * (1.0 - 2.0 * k)), (-hw, hh)]
    } else {
        [(-hw * (1.0 - 2.0 * k), -hh), (hw * (1.0 - 2.0 * k), -hh), (hw, hh), (-hw, hh)]
    };
    let (s, c) = shot.rotate.to_radians().sin_cos();
    let (cx, cy) = (pw / 2.0 + shot.shift.0 * pw, ph / 2.0 + shot.shift.1 * ph);
    let quad = corners.map(|(x, y)| (cx + c * x - s * y, cy + s * x + c * y));
    let inv = invert(homography(quad));
    let mut rng = Rng::new(shot.seed);
    let desk_phase = rng.range(0.0, 6.0);
    let glare_r = shot.glare_radius * card_w;
    let glare_c = {
        let (u, v) = shot.glare_at;
        let h = homography(quad);
        let (u, v) = (f64::from(u), f64::from(v));
        let z = h[6] * u + h[7] * v + h[8];
        (((h[0] * u + h[1] * v + h[2]) / z) as f32, ((h[3] * u + h[4] * v + h[5]) / z) as f32)
    };
    let sample = |x: f32, y: f32| -> f32 {
        let (x, y) = (f64::from(x), f64::from(y));
        let z = inv[6] * x + inv[7] * y + inv[8];
        let u = (inv[0] * x + inv[1] * y + inv[2]) / z;
        let v = (inv[3] * x + inv[4] * y + inv[5]) / z;
        if !(0.0..1.0).contains(&u) || !(0.0..1.0).contains(&v) {
            // Wooden desk: dark, grainy stripes.
            let (x, y) = (x as f32, y as f32);
            return 0.3 + 0.12 * ((x * 0.013 + (y * 0.004).sin() * 4.0 + desk_phase).sin());
        }
        let (sx, sy) = (u as f32 * sw - 0.5, v as f32 * sh - 0.5);
        let (x0, y0) = (sx.floor().max(0.0), sy.floor().max(0.0));
        let (ax, ay) = ((sx - x0).clamp(0.0, 1.0), (sy - y0).clamp(0.0, 1.0));
        let at = |x: f32, y: f32| {
            f32::from(src.get_pixel((x as u32).min(src.width() - 1), (y as u32).min(src.height() - 1))[0])
        };
        let top = at(x0, y0) * (1.0 - ax) + at(x0 + 1.0, y0) * ax;
        let bottom = at(x0, y0 + 1.0) * (1.0 - ax) + at(x0 + 1.0, y0 + 1.0) * ax;
        (top * (1.0 - ay) + bottom * ay) / 255.0
    };
    let clean = GrayImage::from_fn(shot.width, shot.height, |x, y| {
        let mut sum = 0.0;
        for (ox, oy) in [(0.25, 0.25), (0.75, 0.25), (0.25, 0.75), (0.75, 0.75)] {
            sum += sample(x as f32 + ox, y as f32 + oy);
        }
        let reflect = sum / 4.0; // 0 = ink, 1 = paper (desk in between)
        let level = shot.ink + (shot.paper - shot.ink) * reflect;
        // Light falls off from the left edge to the right.
        let light = 1.0 - (1.0 - shot.falloff) * x as f32 / pw;
        let mut v = level * light;
        if shot.glare > 0.0 {
            let d2 = (x as f32 - glare_c.0).powi(2) + (y as f32 - glare_c.1).powi(2);
            v += shot.glare * (-d2 / (2.0 * glare_r * glare_r)).exp();
        }
        Luma([v.round().clamp(0.0, 255.0) as u8])
    });
    let mut out = box_blur(&box_blur(&clean, shot.blur), shot.blur);
    for p in out.pixels_mut() {
        let n = rng.range(-shot.noise, shot.noise);
        p[0] = (f32::from(p[0]) + n).round().clamp(0.0, 255.0) as u8;
    }
    out
}

/// The kinds of photo in the corpus, and one shot of each kind for seed `i`.
pub const KINDS: [&str; 7] = ["angle", "small", "blur", "glare", "low-contrast", "webcam", "mixed"];

pub fn shot(kind: &str, i: u64) -> Shot {
    let mut r = Rng::new(i * 7919 + kind.len() as u64 * 104_729 + u64::from(kind.as_bytes()[0]));
    let text = CARDS[(i as usize) % CARDS.len()];
    let mut s = Shot::plain(text, r.next());
    // Every photo is a little off: hand-held.
    s.rotate = r.range(-6.0, 6.0);
    s.shift = (r.range(-0.05, 0.05), r.range(-0.05, 0.05));
    s.card_frac = r.range(0.6, 0.85);
    s.noise = r.range(4.0, 10.0);
    match kind {
        "angle" => {
            s.rotate = r.range(-35.0, 35.0);
            s.keystone = r.range(0.1, 0.35);
            s.keystone_x = r.next() & 1 == 0;
            s.card_frac = r.range(0.5, 0.75);
        }
        "small" => {
            // Card far away: the 17 mm code spans 100–170 px of 1600.
            s.card_frac = r.range(0.3, 0.45);
            s.shift = (r.range(-0.2, 0.2), r.range(-0.2, 0.2));
        }
        "blur" => s.blur = r.range(1.0, 3.99) as u32,
        "glare" => {
            s.glare = r.range(70.0, 140.0);
            s.glare_radius = r.range(0.08, 0.2);
            // Anywhere on the card, often across the code.
            s.glare_at = (r.range(0.5, 1.0), r.range(0.0, 0.6));
        }
        "low-contrast" => {
            let base = r.range(60.0, 120.0);
            s.ink = base;
            s.paper = base + r.range(45.0, 70.0);
            s.falloff = r.range(0.55, 0.9);
        }
        "webcam" => {
            // A counter webcam's 1280×720 frame, card held up to it.
            s.width = 1280;
            s.height = 720;
            s.card_frac = r.range(0.45, 0.65);
            s.blur = r.range(0.0, 1.99) as u32;
            s.noise = r.range(8.0, 16.0);
        }
        _ => {
            // A bit of everything, milder.
            s.rotate = r.range(-20.0, 20.0);
            s.keystone = r.range(0.0, 0.2);
            s.card_frac = r.range(0.45, 0.7);
            s.blur = r.range(0.0, 2.99) as u32;
            s.glare = r.range(0.0, 80.0);
            s.glare_at = (r.range(0.3, 1.0), r.range(0.0, 1.0));
            s.ink = r.range(20.0, 70.0);
            s.paper = r.range(170.0, 235.0);
            s.falloff = r.range(0.7, 1.0);
            s.noise = r.range(5.0, 14.0);
        }
    }
    s
}

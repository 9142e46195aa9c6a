//! Deskew (chỉnh nghiêng): a sheet fed crooked into a scanner or
//! photographed slightly turned. Text lines are the one reliable feature:
//! projected along the right angle, ink piles up in sharp peaks.

use crate::raster::{fixed, sample_span, Bitmap, Rgb};

/// Largest skew we look for; beyond it the sheet was placed sideways on purpose or badly framed.
pub const MAX_SKEW_DEGREES: f32 = 5.0;

/// Smallest skew corrected: under a tenth of a degree the rotation's blur
/// costs more than it fixes.
pub const MIN_SKEW_DEGREES: f32 = 0.1;

/// Estimates how far the text lines are turned counter-clockwise, in
/// degrees, within ±[`MAX_SKEW_DEGREES`]; 0 when there is no ink.
///
/// Projection-profile search: for each candidate angle, ink pixels are
/// binned by `y + x·tan θ` and the sum of squared bin counts is highest
/// when lines fall into single bins. Coarse (0.5°) then fine (0.05°).
pub fn estimate(bits: &Bitmap) -> f32 {
    // Halve large pages (OR of 2 × 2): lines stay lines, and four times fewer points.
    let factor = if bits.width > 1200 { 2 } else { 1 };
    let mut points = Vec::new();
    for y in (0..bits.height).step_by(factor) {
        for x in (0..bits.width).step_by(factor) {
            let any = (0..factor as u32)
                .any(|dy| (0..factor as u32).any(|dx| x + dx < bits.width && y + dy < bits.height && bits.get(x + dx, y + dy)));
            if any {
                points.push(((x / factor as u32) as f32, (y / factor as u32) as f32));
            }
        }
    }
    if points.len() < 50 {
        return 0.0;
    }
    // A quarter million points decide the angle as well as millions.
    let keep = points.len().div_ceil(250_000);
    let points: Vec<(f32, f32)> = points.into_iter().step_by(keep).collect();
    let (w, h) = (bits.width as usize / factor, bits.height as usize / factor);
    let margin = (w as f32 * MAX_SKEW_DEGREES.to_radians().tan()).ceil() as usize + 2;
    let mut bins = vec![0u32; h + 2 * margin];
    let mut score = |degrees: f32| -> u64 {
        bins.iter_mut().for_each(|b| *b = 0);
        let t = degrees.to_radians().tan();
        for &(x, y) in &points {
            bins[(y + x * t + margin as f32) as usize] += 1;
        }
        bins.iter().map(|&b| u64::from(b) * u64::from(b)).sum()
    };
    let mut best = (0.0f32, score(0.0));
    for (step, span) in [(0.5f32, MAX_SKEW_DEGREES), (0.05, 0.5)] {
        let centre = best.0;
        let n = (span / step).round() as i32;
        for i in -n..=n {
            let a = (centre + i as f32 * step).clamp(-MAX_SKEW_DEGREES, MAX_SKEW_DEGREES);
            let s = score(a);
            if s > best.1 {
                best = (a, s);
            }
        }
    }
    best.0
}

/// Rotates counter-clockwise by `degrees` about the centre, same size;
/// uncovered corners get `fill` (the paper colour).
pub fn rotate(src: &Rgb, degrees: f32, fill: [u8; 3]) -> Rgb {
    let (sin, cos) = degrees.to_radians().sin_cos();
    let (cx, cy) = ((src.width as f32 - 1.0) / 2.0, (src.height as f32 - 1.0) / 2.0);
    let mut data = vec![0u8; src.data.len()];
    crate::raster::for_each_row(&mut data, src.width as usize * 3, |y, row| {
        let dy = f64::from(y as u32) - f64::from(cy);
        let (dx, sin, cos) = (-f64::from(cx), f64::from(sin), f64::from(cos));
        // Inverse mapping: where in the source this row's first pixel comes
        // from; each step right moves by (cos, sin) there.
        let start = (f64::from(cx) + dx * cos - dy * sin, f64::from(cy) + dx * sin + dy * cos);
        sample_span(src, row, (fixed(start.0), fixed(start.1)), (fixed(cos), fixed(sin)), fill);
    });
    Rgb { width: src.width, height: src.height, data }
}

/// Half-size copy (2 × 2 averages), for estimating the angle cheaply.
pub fn halve(gray: &crate::raster::Gray) -> crate::raster::Gray {
    let (w, h) = (gray.width / 2, gray.height / 2);
    let mut data = Vec::with_capacity((w * h) as usize);
    for y in 0..h as usize {
        let (r0, r1) = (&gray.data[2 * y * gray.width as usize..], &gray.data[(2 * y + 1) * gray.width as usize..]);
        for x in 0..w as usize {
            let sum = u16::from(r0[2 * x]) + u16::from(r0[2 * x + 1]) + u16::from(r1[2 * x]) + u16::from(r1[2 * x + 1]);
            data.push(((sum + 2) / 4) as u8);
        }
    }
    crate::raster::Gray { width: w, height: h, data }
}

/// [`paper_colour`] with the ink found on a copy reduced by `factor`.
pub fn paper_colour_sampled(rgb: &Rgb, bits: &Bitmap, factor: u32) -> [u8; 3] {
    let mut sum = [0u64; 3];
    let mut n = 0u64;
    for y in (0..bits.height).step_by(3) {
        for x in (0..bits.width).step_by(3) {
            let (sx, sy) = (x * factor, y * factor);
            if !bits.get(x, y) && sx < rgb.width && sy < rgb.height {
                let i = ((sy * rgb.width + sx) * 3) as usize;
                (0..3).for_each(|c| sum[c] += u64::from(rgb.data[i + c]));
                n += 1;
            }
        }
    }
    if n == 0 {
        return [255; 3];
    }
    sum.map(|s| (s / n) as u8)
}

/// Mean colour of what is not ink: what rotated-in corners should look like.
pub fn paper_colour(rgb: &Rgb, bits: &Bitmap) -> [u8; 3] {
    let mut sum = [0u64; 3];
    let mut n = 0u64;
    for (p, &b) in rgb.data.chunks_exact(3).zip(&bits.data).step_by(7) {
        if b == 0 {
            (0..3).for_each(|c| sum[c] += u64::from(p[c]));
            n += 1;
        }
    }
    if n == 0 {
        return [255; 3];
    }
    sum.map(|s| (s / n) as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::binarize::binarize;
    use crate::testpage::{render, Scene};

    #[test]
    fn recovers_known_angles_within_a_fifth_of_a_degree() {
        for (skew, seed) in [(2.3f32, 3), (-4.1, 4), (0.7, 5)] {
            let scene = Scene { width: 700, height: 800, skew_degrees: skew, noise: 4, blur: true, seed, ..Scene::default() };
            let (rgb, _) = render(&scene);
            let found = estimate(&binarize(&rgb.luma(), 200.0));
            println!("skew {skew}: found {found}");
            assert!((found - skew).abs() <= 0.2, "skew {skew}: found {found}");
        }
    }

    /// Stepping fixed-point positions along rows gives what sampling each
    /// pixel at its exact rotated position gives.
    #[test]
    fn rotation_matches_per_pixel_sampling() {
        let (w, h) = (211u32, 157u32);
        let data: Vec<u8> =
            (0..w * h).flat_map(|i| [(i * 7 % 251) as u8, ((i / w) * 3 % 256) as u8, ((i % w) * 5 % 256) as u8]).collect();
        let src = Rgb { width: w, height: h, data };
        let degrees = 3.7f32;
        let out = rotate(&src, degrees, [9, 9, 9]);
        let (sin, cos) = degrees.to_radians().sin_cos();
        let (cx, cy) = ((w as f32 - 1.0) / 2.0, (h as f32 - 1.0) / 2.0);
        let mut worst = 0u8;
        for y in 0..h {
            for x in 0..w {
                let (dx, dy) = (x as f32 - cx, y as f32 - cy);
                let want = crate::raster::bilinear(&src, cx + dx * cos - dy * sin, cy + dx * sin + dy * cos);
                let got = &out.data[((y * w + x) * 3) as usize..][..3];
                if let Some(want) = want {
                    worst = worst.max(got.iter().zip(want).map(|(a, b)| a.abs_diff(b)).max().unwrap());
                }
            }
        }
        assert!(worst <= 2, "worst difference {worst}");
        assert_eq!(&out.data[..3], &[9, 9, 9], "corner turned in is paper");
    }

    #[test]
    fn rotation_back_straightens() {
        let scene = Scene { width: 500, height: 600, skew_degrees: 3.0, ..Scene::default() };
        let (rgb, _) = render(&scene);
        let bits = binarize(&rgb.luma(), 200.0);
        let fixed = rotate(&rgb, -estimate(&bits), paper_colour(&rgb, &bits));
        assert!(estimate(&binarize(&fixed.luma(), 200.0)).abs() <= 0.1);
        assert_eq!(estimate(&Bitmap::new(100, 100)), 0.0);
    }
}

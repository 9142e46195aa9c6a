//! Perspective correction (nắn phối cảnh): the four corners of a
//! photographed sheet are mapped onto an upright rectangle of the paper's
//! true size by a plane homography, resampled bilinearly.

use crate::raster::{fixed, sample_span, Rgb};

/// A point in image pixels, continuous: pixel (x, y) covers [x, x+1) × [y, y+1).
pub type Point = (f32, f32);

/// A 3 × 3 projective map, row-major, with h[8] normalised to 1.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Homography(pub [f64; 9]);

impl Homography {
    /// The map sending each `from[i]` to `to[i]`; `None` when three of
    /// the points are collinear (no proper quadrilateral).
    pub fn from_points(from: [Point; 4], to: [Point; 4]) -> Option<Homography> {
        if degenerate(&from) || degenerate(&to) {
            return None;
        }
        // Two equations per pair in the eight unknowns h0..h7:
        // u = (h0 x + h1 y + h2) / (h6 x + h7 y + 1), v likewise with h3..h5.
        let mut a = [[0f64; 9]; 8];
        for (i, (&(x, y), &(u, v))) in from.iter().zip(&to).enumerate() {
            let (x, y, u, v) = (f64::from(x), f64::from(y), f64::from(u), f64::from(v));
            a[2 * i] = [x, y, 1.0, 0.0, 0.0, 0.0, -u * x, -u * y, u];
            a[2 * i + 1] = [0.0, 0.0, 0.0, x, y, 1.0, -v * x, -v * y, v];
        }
        // Gaussian elimination with partial pivoting on the augmented matrix.
        for col in 0..8 {
            let pivot = (col..8).max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))?;
            if a[pivot][col].abs() < 1e-9 {
                return None;
            }
            a.swap(col, pivot);
            for row in 0..8 {
                if row != col {
                    let f = a[row][col] / a[col][col];
                    let pivot_row = a[col];
                    for (v, p) in a[row].iter_mut().zip(pivot_row).skip(col) {
                        *v -= f * p;
                    }
                }
            }
        }
        let mut h = [0f64; 9];
        for (i, row) in a.iter().enumerate() {
            h[i] = row[8] / row[i];
        }
        h[8] = 1.0;
        h.iter().all(|v| v.is_finite()).then_some(Homography(h))
    }

    pub fn apply(&self, (x, y): Point) -> Point {
        let h = &self.0;
        let (x, y) = (f64::from(x), f64::from(y));
        let d = h[6] * x + h[7] * y + h[8];
        (((h[0] * x + h[1] * y + h[2]) / d) as f32, ((h[3] * x + h[4] * y + h[5]) / d) as f32)
    }
}

/// Three of the four points (nearly) on one line.
fn degenerate(p: &[Point; 4]) -> bool {
    let scale = p.iter().map(|a| p.iter().map(|b| distance(*a, *b)).fold(0.0, f32::max)).fold(0.0, f32::max);
    (0..4).any(|skip| {
        let q: Vec<Point> = (0..4).filter(|&i| i != skip).map(|i| p[i]).collect();
        let cross = (q[1].0 - q[0].0) * (q[2].1 - q[0].1) - (q[1].1 - q[0].1) * (q[2].0 - q[0].0);
        cross.abs() <= 1e-4 * scale * scale
    })
}

/// Length of a side.
pub fn distance(a: Point, b: Point) -> f32 {
    ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt()
}

/// Resamples the quadrilateral `corners` (top-left, top-right,
/// bottom-right, bottom-left) of `src` into a `width` × `height` image.
/// Where the quadrilateral leaves the image, `fill` is used. When the
/// sheet in the photo is at least twice the output's resolution, the photo
/// is first box-reduced so that thin strokes are averaged, not skipped.
pub fn warp(src: &Rgb, corners: [Point; 4], width: u32, height: u32, fill: [u8; 3]) -> Option<Rgb> {
    warp_turned(src, corners, width, height, 0.0, fill)
}

/// [`warp`] of the page turned counter-clockwise by `degrees` about its
/// centre, as [`crate::deskew::rotate`] would turn the warped page, in one
/// resample instead of two: each output pixel is mapped back through the
/// turn, then through the homography. Pixels whose place before the turn
/// lies outside the page rectangle (or outside the photo) get `fill`, the
/// paper colour, never the table around the sheet.
pub fn warp_turned(src: &Rgb, corners: [Point; 4], width: u32, height: u32, degrees: f32, fill: [u8; 3]) -> Option<Rgb> {
    resample(src, corners, width, height, degrees, fill, true)
}

/// [`warp`] by nearest pixel, without the box reduction: a coarse copy to
/// measure things on (the skew), not to keep. Reducing a 12-megapixel
/// photo first, or reading two photo rows per output pixel, would cost
/// more than the rest of the measurement; picked every two or three photo
/// pixels, strokes (wider than that) still leave their mark.
pub fn warp_sampled(src: &Rgb, corners: [Point; 4], width: u32, height: u32, fill: [u8; 3]) -> Option<Rgb> {
    resample(src, corners, width, height, 0.0, fill, false)
}

/// Like [`sample_span`], the nearest pixel instead of four.
fn nearest_span(src: &Rgb, out: &mut [u8], start: (i64, i64), step: (i64, i64), fill: [u8; 3]) {
    use crate::raster::FRAC;
    let (w, h) = (i64::from(src.width), i64::from(src.height));
    let half = 1i64 << (FRAC - 1);
    let (mut fx, mut fy) = (start.0 + half, start.1 + half);
    for o in out.chunks_exact_mut(3) {
        let (x, y) = (fx >> FRAC, fy >> FRAC);
        if x >= 0 && y >= 0 && x < w && y < h {
            let i = (y * w + x) as usize * 3;
            o.copy_from_slice(&src.data[i..i + 3]);
        } else {
            o.copy_from_slice(&fill);
        }
        fx += step.0;
        fy += step.1;
    }
}

/// The warp; `fine`: box-reduce a photo of twice the resolution first and
/// sample bilinearly (pages), else nearest pixel of the photo (measuring).
fn resample(src: &Rgb, corners: [Point; 4], width: u32, height: u32, degrees: f32, fill: [u8; 3], fine: bool) -> Option<Rgb> {
    let (w, h) = (width as f32, height as f32);
    let across = (distance(corners[0], corners[1]) + distance(corners[3], corners[2])) / 2.0 / w;
    let down = (distance(corners[0], corners[3]) + distance(corners[1], corners[2])) / 2.0 / h;
    let factor = if fine { across.min(down).floor().max(1.0) as u32 } else { 1 };
    let shrunk;
    let (src, corners) = if factor >= 2 {
        shrunk = src.shrink(factor);
        let f = factor as f32;
        (&shrunk, corners.map(|(x, y)| (x / f, y / f)))
    } else {
        (src, corners)
    };
    let map = Homography::from_points([(0.0, 0.0), (w, 0.0), (w, h), (0.0, h)], corners)?;
    let m = &map.0;
    let mut data = vec![0u8; width as usize * height as usize * 3];
    // Exact positions every SPAN pixels, linear in between: over 16 pixels
    // a photo's perspective bends the path by far less than 1/100 pixel.
    const SPAN: usize = 16;
    // Page pixel (index coordinates, as `deskew::rotate` samples) → photo.
    let at = |(qx, qy): (f64, f64)| {
        let (x, yc) = (qx + 0.5, qy + 0.5);
        let d = m[6] * x + m[7] * yc + m[8];
        ((m[0] * x + m[1] * yc + m[2]) / d - 0.5, (m[3] * x + m[4] * yc + m[5]) / d - 0.5)
    };
    let (sin, cos) = f64::from(degrees).to_radians().sin_cos();
    let (cx, cy) = ((f64::from(width) - 1.0) / 2.0, (f64::from(height) - 1.0) / 2.0);
    let (max_x, max_y) = (f64::from(width) - 1.0, f64::from(height) - 1.0);
    crate::raster::for_each_row(&mut data, width as usize * 3, |y, row| {
        let dy = y as f64 - cy;
        // Where output pixel x of this row sits on the page before the turn:
        // (bx + x·cos, by + x·sin), a straight path.
        let (bx, by) = (cx - cx * cos - dy * sin, cy - cx * sin + dy * cos);
        let page = |x: f64| (bx + x * cos, by + x * sin);
        // The stretch of the row that lands on the page: 0 ≤ page ≤ max on both axes.
        let (mut lo, mut hi) = (0.0f64, (width - 1) as f64);
        for (b, a, max) in [(bx, cos, max_x), (by, sin, max_y)] {
            if a.abs() < 1e-12 {
                if b < -1e-9 || b > max + 1e-9 {
                    (lo, hi) = (1.0, 0.0);
                }
            } else {
                let (p, q) = ((-b) / a, (max - b) / a);
                lo = lo.max(p.min(q) - 1e-9);
                hi = hi.min(p.max(q) + 1e-9);
            }
        }
        let (first, last) = (lo.ceil().max(0.0) as usize, if hi < 0.0 { 0 } else { hi.floor() as usize + 1 });
        for (i, span) in row.chunks_mut(SPAN * 3).enumerate() {
            let x0 = i * SPAN;
            let n = span.len() / 3;
            let (a, b) = (x0.max(first).min(x0 + n), (x0 + n).min(last).max(x0.max(first).min(x0 + n)));
            span[..(a - x0) * 3].chunks_exact_mut(3).for_each(|p| p.copy_from_slice(&fill));
            span[(b - x0) * 3..].chunks_exact_mut(3).for_each(|p| p.copy_from_slice(&fill));
            if b > a {
                let (s, e) = (at(page(a as f64)), at(page(b as f64)));
                let k = (b - a) as i64;
                let start = (fixed(s.0), fixed(s.1));
                let step = ((fixed(e.0) - start.0) / k, (fixed(e.1) - start.1) / k);
                let out = &mut span[(a - x0) * 3..(b - x0) * 3];
                if fine {
                    sample_span(src, out, start, step, fill);
                } else {
                    nearest_span(src, out, start, step, fill);
                }
            }
        }
    });
    Some(Rgb { width, height, data })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_its_four_points() {
        let from = [(0.0, 0.0), (100.0, 0.0), (100.0, 140.0), (0.0, 140.0)];
        let to = [(12.0, 30.0), (95.0, 18.0), (120.0, 170.0), (5.0, 150.0)];
        let h = Homography::from_points(from, to).unwrap();
        for (a, b) in from.iter().zip(&to) {
            let p = h.apply(*a);
            assert!(distance(p, *b) < 1e-3, "{a:?} → {p:?}, want {b:?}");
        }
        let collinear = [(0.0, 0.0), (1.0, 1.0), (2.0, 2.0), (0.0, 5.0)];
        assert_eq!(Homography::from_points(from, collinear), None);
    }

    /// The stepped fixed-point sampling matches sampling every output pixel
    /// through the exact homography: on a textured image under strong
    /// perspective, no channel differs by more than 2 levels.
    #[test]
    fn stepped_sampling_matches_the_exact_map() {
        let (w, h) = (300u32, 240u32);
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                [
                    (128.0 + 120.0 * (x / 7.0).sin()) as u8,
                    (128.0 + 120.0 * (y / 5.0).cos()) as u8,
                    (128.0 + 120.0 * ((x + y) / 9.0).sin()) as u8,
                ]
            })
            .collect();
        let src = Rgb { width: w, height: h, data };
        // Near side wide, far side narrow, and one corner outside the image.
        let quad = [(60.0, 20.0), (250.0, 35.0), (310.0, 230.0), (-8.0, 215.0)];
        let (ow, oh) = (170u32, 150u32);
        let out = warp(&src, quad, ow, oh, [1, 2, 3]).unwrap();
        let map =
            Homography::from_points([(0.0, 0.0), (ow as f32, 0.0), (ow as f32, oh as f32), (0.0, oh as f32)], quad).unwrap();
        let (mut worst, mut filled) = (0u8, 0);
        for y in 0..oh {
            for x in 0..ow {
                let (sx, sy) = map.apply((x as f32 + 0.5, y as f32 + 0.5));
                let got = &out.data[((y * ow + x) * 3) as usize..][..3];
                match crate::raster::bilinear(&src, sx - 0.5, sy - 0.5) {
                    Some(want) => worst = worst.max(got.iter().zip(want).map(|(a, b)| a.abs_diff(b)).max().unwrap()),
                    // Right at the border the two may disagree by a hair about inside.
                    None if sx < 0.0 || sy < 0.0 || sx > w as f32 || sy > h as f32 => {
                        filled += usize::from(got == [1, 2, 3]);
                    }
                    None => {}
                }
            }
        }
        assert!(worst <= 2, "worst difference {worst}");
        assert!(filled > 20, "outside the photo is filled: {filled}");
    }

    /// Turning inside the warp gives what warping then turning gives
    /// (within the second resample's blur), nothing turned at 0°, and the
    /// corners turned in are `fill` even where the photo has pixels.
    #[test]
    fn turn_inside_the_warp_matches_warp_then_rotate() {
        let (w, h) = (320u32, 260u32);
        let data: Vec<u8> = (0..w * h)
            .flat_map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                let v = (128.0 + 110.0 * (x / 11.0).sin() * (y / 13.0).cos()) as u8;
                [v, v / 2, 255 - v]
            })
            .collect();
        let src = Rgb { width: w, height: h, data };
        let quad = [(50.0, 30.0), (270.0, 40.0), (290.0, 235.0), (30.0, 220.0)];
        let (ow, oh) = (200u32, 170u32);
        assert_eq!(warp_turned(&src, quad, ow, oh, 0.0, [1, 2, 3]), warp(&src, quad, ow, oh, [1, 2, 3]));
        let once = warp_turned(&src, quad, ow, oh, 4.0, [1, 2, 3]).unwrap();
        let twice = crate::deskew::rotate(&warp(&src, quad, ow, oh, [1, 2, 3]).unwrap(), 4.0, [1, 2, 3]);
        let (mut total, mut n, mut filled, mut agree) = (0u64, 0u64, 0, 0);
        for (a, b) in once.data.chunks_exact(3).zip(twice.data.chunks_exact(3)) {
            if b == [1, 2, 3] {
                filled += 1;
                agree += usize::from(a == [1, 2, 3]);
            } else if a != [1, 2, 3] {
                total += a.iter().zip(b).map(|(p, q)| u64::from(p.abs_diff(*q))).sum::<u64>();
                n += 3;
            }
        }
        let mean = total as f64 / n as f64;
        assert!(mean < 4.0, "mean difference {mean}");
        // The quadrilateral lies inside the photo: only the turn leaves the page.
        assert!(filled > 300 && agree as f64 > 0.97 * filled as f64, "{agree} of {filled}");
        assert_eq!(&once.data[..3], &[1, 2, 3]);
    }

    #[test]
    fn warp_straightens_a_tilted_square() {
        // A dark square drawn as a tilted quadrilateral; warped back, its
        // inside is dark and the paper around it light.
        let (w, h) = (200u32, 200u32);
        let quad = [(40.0, 30.0), (170.0, 50.0), (160.0, 180.0), (30.0, 160.0)];
        let to_img = Homography::from_points([(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)], quad).unwrap();
        let to_unit = Homography::from_points(quad, [(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0)]).unwrap();
        assert!(distance(to_img.apply((0.5, 0.5)), to_img.apply(to_unit.apply(to_img.apply((0.5, 0.5))))) < 1e-3);
        let mut data = Vec::new();
        for y in 0..h {
            for x in 0..w {
                let (u, v) = to_unit.apply((x as f32 + 0.5, y as f32 + 0.5));
                // Left half of the sheet dark, right half light.
                let inside = (0.0..1.0).contains(&u) && (0.0..1.0).contains(&v);
                data.extend_from_slice(&if inside && u < 0.5 {
                    [20; 3]
                } else if inside {
                    [230; 3]
                } else {
                    [120; 3]
                });
            }
        }
        let out = warp(&Rgb { width: w, height: h, data }, quad, 100, 100, [255; 3]).unwrap();
        let at = |x: u32, y: u32| out.data[((y * 100 + x) * 3) as usize];
        assert!(at(10, 10) < 40 && at(45, 90) < 40, "left half dark");
        assert!(at(60, 10) > 210 && at(90, 90) > 210, "right half light");
    }
}

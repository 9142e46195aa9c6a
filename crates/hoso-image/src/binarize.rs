//! Adaptive binarization (nhị phân hóa): Sauvola's local threshold,
//! computed in O(1) per pixel from integral images of the values and of
//! their squares, so a phone photo with a light gradient or a hand's shadow
//! still gives black text on white paper.

use crate::raster::{Bitmap, Gray};

/// Sauvola's k: how far below the local mean ink must be, scaled by the
/// local contrast. 0.34 keeps faint background texture out on photos.
pub const SAUVOLA_K: f32 = 0.34;
/// Dynamic range of the standard deviation for 8-bit images.
const SAUVOLA_R: f32 = 128.0;

/// Window half-size for a resolution: about 6 mm, wider than a stroke and
/// a letter, narrower than a shadow's edge.
pub fn window_radius(dpi: f32) -> u32 {
    ((dpi * 0.12).round() as u32).max(4)
}

/// Sauvola binarization: a pixel is ink when it is darker than
/// `mean · (1 + k · (std / R − 1))` over the (2r+1)² window around it
/// (clipped at the page's edges).
///
/// One pass over the rows with O(width) memory: per column, the sums of
/// values and squares over the window's rows are updated by adding the
/// row entering and removing the row leaving (one pass for both); along a
/// row the window's sums slide the same way, the row cut into its left
/// edge, middle and right edge so the middle runs without tests. Integers
/// throughout (exact), the threshold in f32. (Skipping the threshold for
/// pixels above their window's mean, where it is known, was no faster:
/// on noisy paper the branch is mispredicted half the time.)
pub fn sauvola(gray: &Gray, radius: u32, k: f32) -> Bitmap {
    let (w, h) = (gray.width as usize, gray.height as usize);
    let mut out = Bitmap::new(gray.width, gray.height);
    if w == 0 || h == 0 {
        return out;
    }
    // Bounds the window's value sum to u32 (255 × 4001² < 2³²); no page comes near.
    let r = (radius as usize).min(2000);
    let row = |y: usize| &gray.data[y * w..(y + 1) * w];
    let mut col_sum = vec![0u32; w];
    let mut col_sq = vec![0u32; w];
    for y in 0..r.min(h) {
        for ((s, q), &v) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row(y)) {
            *s += u32::from(v);
            *q += u32::from(v) * u32::from(v);
        }
    }
    let k_over_r = k / SAUVOLA_R;
    // Ink or not, for value `v` in a window of `n` pixels with sums `s`, `q`.
    let ink = |v: u8, s: u32, q: u64, n: u32| -> u8 {
        let n = n as f32;
        let mean = s as f32 / n;
        let var = (q as f32 / n - mean * mean).max(0.0);
        let threshold = mean * (1.0 - k) + mean * k_over_r * var.sqrt();
        u8::from(f32::from(v) < threshold)
    };
    for y in 0..h {
        // Window rows y−r ..= y+r: bring in y+r, drop y−r−1.
        match (y + r < h, y > r) {
            (true, true) => {
                let (enter, leave) = (row(y + r), row(y - r - 1));
                for (((s, q), &a), &d) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(enter).zip(leave) {
                    let (a, d) = (u32::from(a), u32::from(d));
                    *s = *s + a - d;
                    *q = *q + a * a - d * d;
                }
            }
            (true, false) => {
                for ((s, q), &a) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row(y + r)) {
                    *s += u32::from(a);
                    *q += u32::from(a) * u32::from(a);
                }
            }
            (false, true) => {
                for ((s, q), &d) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row(y - r - 1)) {
                    *s -= u32::from(d);
                    *q -= u32::from(d) * u32::from(d);
                }
            }
            (false, false) => {}
        }
        let rows = ((y + r + 1).min(h) - y.saturating_sub(r)) as u32;
        let (mut s, mut q) = (0u32, 0u64);
        for x in 0..r.min(w) {
            s += col_sum[x];
            q += u64::from(col_sq[x]);
        }
        let src = row(y);
        let dst = &mut out.data[y * w..(y + 1) * w];
        // Left edge: x ≤ r, nothing leaves the window yet.
        let left = (r + 1).min(w);
        for x in 0..left {
            if x + r < w {
                s += col_sum[x + r];
                q += u64::from(col_sq[x + r]);
            }
            let n = rows * ((x + r + 1).min(w) - x.saturating_sub(r)) as u32;
            dst[x] = ink(src[x], s, q, n);
        }
        // Middle: r < x < w − r, one column in and one out, a full-width window.
        let middle = left..(w.saturating_sub(r)).max(left);
        if !middle.is_empty() {
            let n = rows * (2 * r + 1) as u32;
            let (enter_s, enter_q) = (&col_sum[middle.start + r..middle.end + r], &col_sq[middle.start + r..middle.end + r]);
            let (leave_s, leave_q) = (&col_sum[middle.start - r - 1..], &col_sq[middle.start - r - 1..]);
            let cells = dst[middle.clone()].iter_mut().zip(&src[middle.clone()]);
            for ((((d, &v), (&es, &eq)), &ls), &lq) in cells.zip(enter_s.iter().zip(enter_q)).zip(leave_s).zip(leave_q) {
                s = s + es - ls;
                q = q + u64::from(eq) - u64::from(lq);
                *d = ink(v, s, q, n);
            }
        }
        // Right edge: x ≥ w − r, columns only leave.
        for x in middle.end..w {
            s -= col_sum[x - r - 1];
            q -= u64::from(col_sq[x - r - 1]);
            let n = rows * (w - x.saturating_sub(r)) as u32;
            dst[x] = ink(src[x], s, q, n);
        }
    }
    out
}

/// Binarization with the defaults for a page at `dpi`.
pub fn binarize(gray: &Gray, dpi: f32) -> Bitmap {
    sauvola(gray, window_radius(dpi), SAUVOLA_K)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpage::{self, Scene};

    /// [`sauvola`] as it was before its row was cut in three: tests on
    /// every pixel, the columns' sums updated in two passes.
    fn sauvola_reference(gray: &Gray, radius: u32, k: f32) -> Bitmap {
        let (w, h) = (gray.width as usize, gray.height as usize);
        let mut out = Bitmap::new(gray.width, gray.height);
        if w == 0 || h == 0 {
            return out;
        }
        // Bounds the window's value sum to u32 (255 × 4001² < 2³²); no page comes near.
        let r = (radius as usize).min(2000);
        let row = |y: usize| &gray.data[y * w..(y + 1) * w];
        let mut col_sum = vec![0u32; w];
        let mut col_sq = vec![0u32; w];
        let add = |col_sum: &mut [u32], col_sq: &mut [u32], y: usize, sign: bool| {
            for ((s, q), &v) in col_sum.iter_mut().zip(col_sq.iter_mut()).zip(row(y)) {
                let v = u32::from(v);
                if sign {
                    *s += v;
                    *q += v * v;
                } else {
                    *s -= v;
                    *q -= v * v;
                }
            }
        };
        for y in 0..r.min(h) {
            add(&mut col_sum, &mut col_sq, y, true);
        }
        let k_over_r = k / SAUVOLA_R;
        for y in 0..h {
            // Window rows y−r ..= y+r: bring in y+r, drop y−r−1.
            if y + r < h {
                add(&mut col_sum, &mut col_sq, y + r, true);
            }
            if y > r {
                add(&mut col_sum, &mut col_sq, y - r - 1, false);
            }
            let rows = (y + r + 1).min(h) - y.saturating_sub(r);
            let (mut s, mut q) = (0u32, 0u64);
            for x in 0..r.min(w) {
                s += col_sum[x];
                q += u64::from(col_sq[x]);
            }
            let src = row(y);
            let dst = &mut out.data[y * w..(y + 1) * w];
            for x in 0..w {
                if x + r < w {
                    s += col_sum[x + r];
                    q += u64::from(col_sq[x + r]);
                }
                if x > r {
                    s -= col_sum[x - r - 1];
                    q -= u64::from(col_sq[x - r - 1]);
                }
                let n = (rows * ((x + r + 1).min(w) - x.saturating_sub(r))) as f32;
                let mean = s as f32 / n;
                let var = (q as f32 / n - mean * mean).max(0.0);
                let threshold = mean * (1.0 - k) + mean * k_over_r * var.sqrt();
                dst[x] = u8::from(f32::from(src[x]) < threshold);
            }
        }
        out
    }

    /// The restructured Sauvola gives the same bits as computing the
    /// threshold everywhere: a rendered page with seal and shadow, and
    /// noise pages narrower, shorter and wider than the window, for
    /// several radii and k.
    #[test]
    fn same_bits_as_the_threshold_everywhere() {
        let scene = Scene {
            width: 500,
            height: 420,
            seal: true,
            signature: true,
            gradient: true,
            shadow: true,
            noise: 8,
            blur: true,
            ..Scene::default()
        };
        let (page, _) = testpage::render(&scene);
        let mut cases = vec![page.min_channel(), page.luma()];
        let mut seed = 3u32;
        for (w, h) in [(1u32, 1u32), (3, 50), (50, 3), (24, 25), (61, 47), (49, 49), (50, 50)] {
            let data = (0..w * h)
                .map(|i| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    // Patches of ink in noisy paper.
                    let ink = (i % w / 4 + i / w / 3) % 3 == 0;
                    (if ink { 40 } else { 200 }) + (seed >> 27) as u8
                })
                .collect();
            cases.push(Gray { width: w, height: h, data });
        }
        for gray in &cases {
            for (radius, k) in [(24, SAUVOLA_K), (4, SAUVOLA_K), (12, 0.2), (1, 0.5), (0, SAUVOLA_K), (7, 0.0), (30, 0.01)] {
                let (new, old) = (sauvola(gray, radius, k), sauvola_reference(gray, radius, k));
                assert!(new == old, "{} × {}, r {radius}, k {k}", gray.width, gray.height);
            }
        }
        assert!(sauvola(&cases[0], 24, SAUVOLA_K).ink() > 5000);
    }

    #[test]
    fn flat_page_has_no_ink_and_text_is_kept() {
        let gray = Gray { width: 50, height: 50, data: vec![230; 2500] };
        assert_eq!(binarize(&gray, 200.0).ink(), 0);
        let mut data = vec![230u8; 2500];
        for x in 10..40 {
            data[25 * 50 + x] = 20;
        }
        let bits = binarize(&Gray { width: 50, height: 50, data }, 200.0);
        assert_eq!(bits.ink(), 30);
        assert!(bits.get(20, 25) && !bits.get(20, 24));
    }

    /// The sliding sums give Sauvola's threshold exactly: against the
    /// definition computed naively over each window (clipped at the edges),
    /// only pixels within a hair of their threshold may differ.
    #[test]
    fn sliding_window_matches_the_definition() {
        let (w, h, r, k) = (53usize, 41usize, 6usize, SAUVOLA_K);
        let mut seed = 7u32;
        let data: Vec<u8> = (0..w * h)
            .map(|i| {
                seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                let (x, y) = (i % w, i / w);
                let base = 120 + (x * 2) as i32 - y as i32;
                let ink = if (x / 5 + y / 7) % 4 == 0 { -90 } else { 0 };
                (base + ink + (seed >> 27) as i32).clamp(0, 255) as u8
            })
            .collect();
        let gray = Gray { width: w as u32, height: h as u32, data };
        let fast = sauvola(&gray, r as u32, k);
        let (mut differ, mut ink) = (0, 0);
        for y in 0..h {
            for x in 0..w {
                let (mut s, mut q, mut n) = (0f64, 0f64, 0f64);
                for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
                    for xx in x.saturating_sub(r)..(x + r + 1).min(w) {
                        let v = f64::from(gray.data[yy * w + xx]);
                        s += v;
                        q += v * v;
                        n += 1.0;
                    }
                }
                let mean = s / n;
                let std = (q / n - mean * mean).max(0.0).sqrt();
                let threshold = mean * (1.0 + f64::from(k) * (std / f64::from(SAUVOLA_R) - 1.0));
                let v = f64::from(gray.data[y * w + x]);
                ink += usize::from(v < threshold);
                if (v < threshold) != fast.get(x as u32, y as u32) {
                    assert!((v - threshold).abs() < 1e-3, "({x}, {y}): {v} vs threshold {threshold}");
                    differ += 1;
                }
            }
        }
        assert!(ink > 200 && ink < w * h / 2, "ink {ink}");
        assert!(differ <= 2, "{differ} pixels differ");
    }

    #[test]
    fn gradient_and_shadow_give_clean_text_and_white_paper() {
        let scene = Scene { width: 900, height: 700, gradient: true, shadow: true, noise: 6, blur: true, ..Scene::default() };
        let (rgb, truth) = testpage::render(&scene);
        let bits = binarize(&rgb.luma(), 200.0);
        let ink = truth.ink();
        // Blur makes stroke edges half ink: count only errors that are not
        // next to the true edge.
        let near = |x: u32, y: u32| {
            (y.saturating_sub(1)..(y + 2).min(truth.height))
                .any(|yy| (x.saturating_sub(1)..(x + 2).min(truth.width)).any(|xx| truth.get(xx, yy)))
        };
        let (mut missed, mut dirt) = (0, 0);
        for y in 0..truth.height {
            for x in 0..truth.width {
                missed += usize::from(truth.get(x, y) && !bits.get(x, y));
                dirt += usize::from(bits.get(x, y) && !near(x, y));
            }
        }
        println!("ink {ink}, missed {missed}, dirt {dirt}");
        assert!(missed < ink / 50, "missed {missed} of {ink}");
        assert!(dirt < ink / 200, "dirt {dirt} (ink {ink})");
        // The shadowed corner and the dark end of the gradient stay paper
        // away from text (the margin band of the scene has none).
        let margin_dirt = (0..scene.height).flat_map(|y| (0..30).map(move |x| (x, y))).filter(|&(x, y)| bits.get(x, y)).count();
        assert_eq!(margin_dirt, 0);
    }
}

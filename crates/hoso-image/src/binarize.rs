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
/// `mean · (1 + k · (std / R − 1))` over the (2r+1)² window around it.
pub fn sauvola(gray: &Gray, radius: u32, k: f32) -> Bitmap {
    let (w, h) = (gray.width as usize, gray.height as usize);
    let stride = w + 1;
    // Integral images with a zero row and column in front: sums of any
    // rectangle in four look-ups. u32 holds 255 × 50 Mpx; squares need u64.
    let mut sum = vec![0u32; stride * (h + 1)];
    let mut sq = vec![0u64; stride * (h + 1)];
    for y in 0..h {
        let (mut row_sum, mut row_sq) = (0u32, 0u64);
        for x in 0..w {
            let v = u32::from(gray.data[y * w + x]);
            row_sum += v;
            row_sq += u64::from(v * v);
            sum[(y + 1) * stride + x + 1] = sum[y * stride + x + 1] + row_sum;
            sq[(y + 1) * stride + x + 1] = sq[y * stride + x + 1] + row_sq;
        }
    }
    let r = radius as usize;
    let mut out = Bitmap::new(gray.width, gray.height);
    for y in 0..h {
        let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
        for x in 0..w {
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
            let n = ((y1 - y0) * (x1 - x0)) as f64;
            let s = f64::from(sum[y1 * stride + x1] + sum[y0 * stride + x0] - sum[y0 * stride + x1] - sum[y1 * stride + x0]);
            let q = (sq[y1 * stride + x1] + sq[y0 * stride + x0] - sq[y0 * stride + x1] - sq[y1 * stride + x0]) as f64;
            let mean = s / n;
            let std = ((q / n - mean * mean).max(0.0)).sqrt() as f32;
            let threshold = mean as f32 * (1.0 + k * (std / SAUVOLA_R - 1.0));
            out.data[y * w + x] = u8::from(f32::from(gray.data[y * w + x]) < threshold);
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

//! Image preparation before detection: grey levels, scaling, contrast,
//! margins and binarization. Plain loops on byte buffers, no allocation
//! beyond the output, so they cost the same natively and in wasm.

/// An 8-bit grey image, row-major, 0 = black.
#[derive(Clone, Debug)]
pub struct Gray {
    pub w: usize,
    pub h: usize,
    pub px: Vec<u8>,
}

impl Gray {
    pub fn at(&self, x: usize, y: usize) -> u8 {
        self.px[y * self.w + x]
    }

    /// The rectangle `x, y, w, h` (clamped to the image).
    pub fn crop(&self, x: usize, y: usize, w: usize, h: usize) -> Gray {
        let (x, y) = (x.min(self.w), y.min(self.h));
        let (w, h) = (w.min(self.w - x), h.min(self.h - y));
        let mut px = Vec::with_capacity(w * h);
        for row in y..y + h {
            px.extend_from_slice(&self.px[row * self.w + x..row * self.w + x + w]);
        }
        Gray { w, h, px }
    }

    /// Resized so the longer side is `side`: box-averaged when shrinking
    /// (averaging also smooths sensor noise), bilinear when enlarging
    /// (small codes need a few pixels per module for the finder search).
    pub fn fit(&self, side: usize) -> Gray {
        let long = self.w.max(self.h);
        if long == side || long == 0 {
            return self.clone();
        }
        let nw = (self.w * side / long).max(1);
        let nh = (self.h * side / long).max(1);
        if side < long {
            self.shrink(nw, nh)
        } else {
            self.enlarge(nw, nh)
        }
    }

    fn shrink(&self, nw: usize, nh: usize) -> Gray {
        let mut px = Vec::with_capacity(nw * nh);
        for ny in 0..nh {
            let (y0, y1) = (ny * self.h / nh, ((ny + 1) * self.h / nh).max(ny * self.h / nh + 1));
            for nx in 0..nw {
                let (x0, x1) = (nx * self.w / nw, ((nx + 1) * self.w / nw).max(nx * self.w / nw + 1));
                let mut sum = 0u32;
                for y in y0..y1 {
                    sum += self.px[y * self.w + x0..y * self.w + x1].iter().map(|&p| u32::from(p)).sum::<u32>();
                }
                px.push((sum / ((y1 - y0) * (x1 - x0)) as u32) as u8);
            }
        }
        Gray { w: nw, h: nh, px }
    }

    fn enlarge(&self, nw: usize, nh: usize) -> Gray {
        let mut px = Vec::with_capacity(nw * nh);
        let sx = self.w as f32 / nw as f32;
        let sy = self.h as f32 / nh as f32;
        for ny in 0..nh {
            let fy = ((ny as f32 + 0.5) * sy - 0.5).max(0.0);
            for nx in 0..nw {
                let fx = ((nx as f32 + 0.5) * sx - 0.5).max(0.0);
                px.push(self.bilinear(fx, fy));
            }
        }
        Gray { w: nw, h: nh, px }
    }

    /// Bilinear sample at a real position (clamped at the edges).
    pub fn bilinear(&self, fx: f32, fy: f32) -> u8 {
        let x0 = (fx as usize).min(self.w - 1);
        let y0 = (fy as usize).min(self.h - 1);
        let (x1, y1) = ((x0 + 1).min(self.w - 1), (y0 + 1).min(self.h - 1));
        let (ax, ay) = (fx - x0 as f32, fy - y0 as f32);
        let row = |y: usize| f32::from(self.at(x0, y)) * (1.0 - ax) + f32::from(self.at(x1, y)) * ax;
        (row(y0) * (1.0 - ay) + row(y1) * ay).round().clamp(0.0, 255.0) as u8
    }

    /// Stretches the 1st–99th percentile to 0–255: low-contrast photos
    /// (grey card under a yellow lamp) become black on white.
    pub fn stretch(&mut self) {
        let hist = self.histogram();
        let n = self.px.len() as u64;
        let cut = n / 100;
        let (mut lo, mut hi, mut acc) = (0usize, 255usize, 0u64);
        for (v, &c) in hist.iter().enumerate() {
            acc += c;
            if acc > cut {
                lo = v;
                break;
            }
        }
        acc = 0;
        for (v, &c) in hist.iter().enumerate().rev() {
            acc += c;
            if acc > cut {
                hi = v;
                break;
            }
        }
        if hi <= lo + 8 {
            return; // flat image: nothing to stretch, and noise would explode
        }
        let span = (hi - lo) as u32;
        for p in &mut self.px {
            *p = ((u32::from(*p).saturating_sub(lo as u32) * 255) / span).min(255) as u8;
        }
    }

    /// A white border: codes cropped without their quiet zone still show
    /// finder patterns as dark rings on light.
    pub fn pad(&self, margin: usize) -> Gray {
        let w = self.w + 2 * margin;
        let mut px = vec![255u8; w * (self.h + 2 * margin)];
        for y in 0..self.h {
            let start = (y + margin) * w + margin;
            px[start..start + self.w].copy_from_slice(&self.px[y * self.w..(y + 1) * self.w]);
        }
        Gray { w, h: self.h + 2 * margin, px }
    }

    fn histogram(&self) -> [u64; 256] {
        let mut hist = [0u64; 256];
        for &p in &self.px {
            hist[usize::from(p)] += 1;
        }
        hist
    }

    /// Otsu's global threshold: the grey level that best separates two
    /// classes. Right for evenly lit codes, whatever their contrast.
    pub fn otsu(&self) -> u8 {
        otsu_of(&self.histogram())
    }

    /// Dark pixels below a global threshold.
    pub fn binarize_global(&self, threshold: u8) -> Vec<bool> {
        self.px.iter().map(|&p| p <= threshold).collect()
    }

    /// Dark pixels below the mean of their `2r+1` square minus `bias`:
    /// survives lighting gradients and shadows across the card.
    /// Images up to 16 Mpx (the sums are `u32`; the search stays far below).
    pub fn binarize_local(&self, r: usize, bias: u8) -> Vec<bool> {
        let (w, h) = (self.w, self.h);
        assert!(w * h <= 16_000_000, "binarize_local on {w}×{h}");
        // Summed-area table with a zero row and column in front.
        let mut sat = vec![0u32; (w + 1) * (h + 1)];
        for y in 0..h {
            let mut row = 0u32;
            for x in 0..w {
                row += u32::from(self.px[y * w + x]);
                sat[(y + 1) * (w + 1) + x + 1] = sat[y * (w + 1) + x + 1] + row;
            }
        }
        let mut out = Vec::with_capacity(w * h);
        for y in 0..h {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(h));
            for x in 0..w {
                let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(w));
                let sum = sat[y1 * (w + 1) + x1] + sat[y0 * (w + 1) + x0] - sat[y0 * (w + 1) + x1] - sat[y1 * (w + 1) + x0];
                let n = ((y1 - y0) * (x1 - x0)) as u32;
                out.push(u32::from(self.px[y * w + x]) + u32::from(bias) < sum / n);
            }
        }
        out
    }
}

/// Otsu's threshold of a grey-level histogram.
pub fn otsu_of(hist: &[u64; 256]) -> u8 {
    let total = hist.iter().sum::<u64>() as f64;
    let sum_all: f64 = hist.iter().enumerate().map(|(v, &c)| v as f64 * c as f64).sum();
    let (mut best, mut best_var) = (128u8, -1.0f64);
    let (mut w_b, mut sum_b) = (0.0f64, 0.0f64);
    for (v, &c) in hist.iter().enumerate() {
        w_b += c as f64;
        sum_b += v as f64 * c as f64;
        let w_f = total - w_b;
        if w_b == 0.0 || w_f == 0.0 {
            continue;
        }
        let (m_b, m_f) = (sum_b / w_b, (sum_all - sum_b) / w_f);
        let var = w_b * w_f * (m_b - m_f) * (m_b - m_f);
        if var > best_var {
            best_var = var;
            best = v as u8;
        }
    }
    best
}

/// Luma (BT.601, integer) of RGBA pixels, as canvas `getImageData` gives them.
/// Transparent pixels count as white paper.
pub fn rgba_to_gray(rgba: &[u8]) -> Vec<u8> {
    rgba.chunks_exact(4)
        .map(|p| {
            let y = (299 * u32::from(p[0]) + 587 * u32::from(p[1]) + 114 * u32::from(p[2]) + 500) / 1000;
            let a = u32::from(p[3]);
            ((y * a + 255 * (255 - a)) / 255) as u8
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ramp(w: usize, h: usize) -> Gray {
        Gray { w, h, px: (0..w * h).map(|i| ((i % w) * 255 / (w - 1)) as u8).collect() }
    }

    #[test]
    fn fit_keeps_aspect_and_values() {
        let g = ramp(400, 200);
        let small = g.fit(100);
        assert_eq!((small.w, small.h), (100, 50));
        assert!(small.at(0, 0) < 5 && small.at(99, 49) > 250);
        let big = ramp(40, 20).fit(120);
        assert_eq!((big.w, big.h), (120, 60));
        assert!(big.at(60, 30) > 100 && big.at(60, 30) < 155);
    }

    #[test]
    fn crop_pad_and_stretch() {
        let g = ramp(10, 10).crop(8, 8, 5, 5);
        assert_eq!((g.w, g.h), (2, 2));
        let p = g.pad(3);
        assert_eq!((p.w, p.h, p.at(0, 0), p.at(3, 3)), (8, 8, 255, g.at(0, 0)));
        let mut dull = Gray { w: 100, h: 1, px: (0..100).map(|i| 100 + (i % 2) * 40).collect() };
        dull.stretch();
        assert_eq!((dull.px[0], dull.px[1]), (0, 255));
    }

    #[test]
    fn thresholds_split_two_levels() {
        let g = Gray { w: 64, h: 64, px: (0..64 * 64).map(|i| if (i / 8) % 2 == 0 { 60 } else { 200 }).collect() };
        let t = g.otsu();
        assert!((60..200).contains(&t), "{t}");
        assert_eq!(g.binarize_global(t).iter().filter(|&&b| b).count(), 64 * 32);
        // Under a strong gradient a global threshold fails, the local one does not.
        let lit = Gray {
            w: 64,
            h: 64,
            px: g.px.iter().enumerate().map(|(i, &p)| (u32::from(p) * (64 + (i % 64) as u32) / 128) as u8).collect(),
        };
        let local = lit.binarize_local(8, 2);
        let expected = g.binarize_global(t);
        let agree = local.iter().zip(&expected).filter(|(a, b)| a == b).count();
        assert!(agree > 64 * 64 * 95 / 100, "{agree}");
    }

    #[test]
    fn rgba_luma_and_alpha() {
        assert_eq!(rgba_to_gray(&[255, 255, 255, 255, 0, 0, 0, 255, 0, 0, 0, 0, 255, 0, 0, 255]), vec![255, 0, 255, 76]);
    }
}

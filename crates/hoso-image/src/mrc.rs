//! Mixed raster content (MRC, ITU-T T.44 in spirit): a page split into a
//! full-resolution 1-bit mask of the ink, a low-resolution colour of that
//! ink, and a low-resolution paper background. The mask keeps text edges
//! crisp; the colour layers keep red seals red and blue signatures blue,
//! each costing little because they are small and smooth.

use crate::raster::{Bitmap, Rgb};

/// Background and ink colour are kept at 1/3 of the page resolution
/// (≈ 67 dpi at 200 dpi): enough for paper tone, seal and signature colour.
pub const LAYER_FACTOR: u32 = 3;

/// The two colour layers of a page, before JPEG.
pub struct Layers {
    pub background: Rgb,
    pub foreground: Rgb,
}

/// Splits `rgb` along `mask` (1 = ink) into paper and ink colour layers at
/// 1/`factor` resolution. Cells with nothing to average take the nearest
/// cell's colour, so the JPEG sees smooth areas rather than holes.
pub fn split(rgb: &Rgb, mask: &Bitmap, factor: u32) -> Layers {
    let (w, h) = (rgb.width.div_ceil(factor), rgb.height.div_ceil(factor));
    let near_ink = dilate(mask);
    // Per cell: paper sum and count; ink sum and count, over the darker half of ink.
    let mut paper = vec![[0u32; 4]; (w * h) as usize];
    let mut ink = vec![[0u32; 4]; (w * h) as usize];
    let mut ink_luma = vec![(0u32, 0u32); (w * h) as usize];
    let luma = |p: &[u8]| 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
    let cell = |x: u32, y: u32| ((y / factor) * w + x / factor) as usize;
    for y in 0..rgb.height {
        for x in 0..rgb.width {
            let i = (y * rgb.width + x) as usize;
            if mask.data[i] != 0 {
                let l = &mut ink_luma[cell(x, y)];
                l.0 += luma(&rgb.data[i * 3..i * 3 + 3]);
                l.1 += 1;
            }
        }
    }
    for y in 0..rgb.height {
        for x in 0..rgb.width {
            let i = (y * rgb.width + x) as usize;
            let p = &rgb.data[i * 3..i * 3 + 3];
            let c = cell(x, y);
            // Blurred stroke edges are neither paper nor ink: use only the
            // darker half of ink (true ink colour) and paper away from ink.
            let target = if mask.data[i] != 0 {
                let (sum, n) = ink_luma[c];
                (luma(p) * n <= sum).then_some(&mut ink[c])
            } else if near_ink.data[i] == 0 {
                Some(&mut paper[c])
            } else {
                None
            };
            if let Some(s) = target {
                (0..3).for_each(|k| s[k] += u32::from(p[k]));
                s[3] += 1;
            }
        }
    }
    Layers { background: fill(&paper, w, h, [255; 3]), foreground: fill(&ink, w, h, [0; 3]) }
}

/// Averages cells; empty ones copy the nearest filled cell along the row,
/// else the row above or below.
fn fill(sums: &[[u32; 4]], w: u32, h: u32, default: [u8; 3]) -> Rgb {
    let (w, h) = (w as usize, h as usize);
    let mut cells: Vec<Option<[u8; 3]>> =
        sums.iter().map(|s| (s[3] > 0).then(|| [0, 1, 2].map(|k| ((s[k] + s[3] / 2) / s[3]) as u8))).collect();
    for row in cells.chunks_mut(w) {
        let mut last = None;
        for c in row.iter_mut() {
            last = c.or(last);
            *c = last;
        }
        let mut last = None;
        for c in row.iter_mut().rev() {
            last = c.or(last);
            *c = c.or(last);
        }
    }
    for y in 1..h {
        if cells[y * w].is_none() {
            let (above, here) = cells.split_at_mut(y * w);
            here[..w].copy_from_slice(&above[(y - 1) * w..]);
        }
    }
    for y in (0..h.saturating_sub(1)).rev() {
        if cells[y * w].is_none() {
            let (here, below) = cells.split_at_mut((y + 1) * w);
            here[y * w..].copy_from_slice(&below[..w]);
        }
    }
    Rgb { width: w as u32, height: h as u32, data: cells.iter().flat_map(|c| c.unwrap_or(default)).collect() }
}

/// Ink grown by one pixel in each direction (3 × 3).
fn dilate(mask: &Bitmap) -> Bitmap {
    let (w, h) = (mask.width as usize, mask.height as usize);
    let mut across = mask.clone();
    for y in 0..h {
        let row = &mask.data[y * w..(y + 1) * w];
        for x in 0..w {
            across.data[y * w + x] = row[x.saturating_sub(1)] | row[x] | row[(x + 1).min(w - 1)];
        }
    }
    let mut out = across.clone();
    for y in 0..h {
        let (up, down) = (y.saturating_sub(1), (y + 1).min(h - 1));
        for x in 0..w {
            out.data[y * w + x] = across.data[up * w + x] | across.data[y * w + x] | across.data[down * w + x];
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layers_separate_ink_colour_from_paper() {
        // 6 × 3 page: left half red ink on white, right half paper.
        let mut rgb = Rgb { width: 6, height: 3, data: [250u8, 250, 250].repeat(18) };
        let mut mask = Bitmap::new(6, 3);
        for y in 0..3 {
            for x in 0..2 {
                rgb.data[((y * 6 + x) * 3) as usize..][..3].copy_from_slice(&[200, 20, 20]);
                mask.data[(y * 6 + x) as usize] = 1;
            }
        }
        let layers = split(&rgb, &mask, 3);
        assert_eq!((layers.foreground.width, layers.foreground.height), (2, 1));
        // Ink colour where there is ink, and spread to the empty cell.
        assert_eq!(layers.foreground.data, [200, 20, 20, 200, 20, 20]);
        // Paper: the second cell has paper away from ink; the first takes its colour.
        assert_eq!(layers.background.data, [250, 250, 250, 250, 250, 250]);
    }
}

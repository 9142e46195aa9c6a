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
/// 1/`factor` resolution, then evens them out (see [`even_out`]).
pub fn split(rgb: &Rgb, mask: &Bitmap, factor: u32) -> Layers {
    layers(&cell_sums(rgb, mask, factor))
}

/// What [`cell_sums`] gathers per layer cell: summed colour and count.
pub struct CellSums {
    /// Paper away from ink.
    pub paper: Vec<[u32; 4]>,
    /// The darker half of the cell's ink.
    pub ink: Vec<[u32; 4]>,
    pub width: u32,
    pub height: u32,
}

/// The layers from their cells' sums: paper averaged and filled in
/// (see [`fill`]), then evened out (see [`even_out`]). The second half of
/// [`split`], public so its time can be told from [`cell_sums`]'.
pub fn layers(sums: &CellSums) -> Layers {
    let background = fill(&sums.paper, sums.width, sums.height, [255; 3]);
    let ink_cells: Vec<Option<[u8; 3]>> = sums.ink.iter().map(average).collect();
    let seen: Vec<bool> = sums.paper.iter().map(|s| s[3] > 0).collect();
    even_out(background, &seen, &ink_cells)
}

/// Per cell of `factor` × `factor` pixels: the summed colour and count of
/// paper (away from ink: blurred stroke edges are neither) and of the
/// darker half of ink (true ink colour). Walks `factor` rows at a time.
/// Most cells of a page have no ink within a pixel of them: those are
/// summed whole, and only cells near ink look at each pixel, against the
/// band's ink grown by one pixel (made once per band, a row at a time).
pub fn cell_sums(rgb: &Rgb, mask: &Bitmap, factor: u32) -> CellSums {
    let (w, h) = (rgb.width.div_ceil(factor), rgb.height.div_ceil(factor));
    let (pw, ph, f) = (rgb.width as usize, rgb.height as usize, factor as usize);
    let mut paper = vec![[0u32; 4]; (w * h) as usize];
    let mut ink = vec![[0u32; 4]; (w * h) as usize];
    let luma = |p: &[u8]| 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
    // Per column: any ink in the band's rows or the row above or below it.
    let mut column_ink = vec![0u8; pw];
    // The band's rows of ink grown by one pixel (3 × 3), and one row grown
    // vertically on the way there.
    let (mut near, mut vert) = (vec![0u8; f * pw], vec![0u8; pw]);
    // Per column and channel: the band's rows summed (a vectorisable pass
    // per row), from which paper-only cells take their sums.
    let mut column_sum = vec![0u32; pw * 3];
    for (band, y0) in (0..ph).step_by(f).enumerate() {
        let rows = y0..(y0 + f).min(ph);
        column_sum.iter_mut().for_each(|c| *c = 0);
        for y in rows.clone() {
            for (c, &v) in column_sum.iter_mut().zip(&rgb.data[y * pw * 3..(y + 1) * pw * 3]) {
                *c += u32::from(v);
            }
        }
        column_ink.iter_mut().for_each(|c| *c = 0);
        for y in y0.saturating_sub(1)..(rows.end + 1).min(ph) {
            for (c, &b) in column_ink.iter_mut().zip(mask.row(y as u32)) {
                *c |= b;
            }
        }
        let mut near_made = false;
        for cx in 0..w as usize {
            let cols = cx * f..(cx * f + f).min(pw);
            let (paper, ink) = (&mut paper[band * w as usize + cx], &mut ink[band * w as usize + cx]);
            let row_px = |y: usize| &rgb.data[(y * pw + cols.start) * 3..(y * pw + cols.end) * 3];
            if column_ink[cols.start.saturating_sub(1)..(cols.end + 1).min(pw)].iter().all(|&c| c == 0) {
                // Nothing but paper, even a pixel around.
                for p in column_sum[cols.start * 3..cols.end * 3].chunks_exact(3) {
                    (0..3).for_each(|k| paper[k] += p[k]);
                }
                paper[3] += (rows.len() * cols.len()) as u32;
                continue;
            }
            if !near_made {
                for (y, near) in rows.clone().zip(near.chunks_exact_mut(pw)) {
                    let (up, down) = (mask.row(y.saturating_sub(1) as u32), mask.row((y + 1).min(ph - 1) as u32));
                    for (((v, &a), &b), &c) in vert.iter_mut().zip(up).zip(mask.row(y as u32)).zip(down) {
                        *v = a | b | c;
                    }
                    for (n, w3) in near[1..].iter_mut().zip(vert.windows(3)) {
                        *n = w3[0] | w3[1] | w3[2];
                    }
                    near[0] = vert[0] | vert[1.min(pw - 1)];
                    near[pw - 1] = vert[pw - 1] | vert[pw.saturating_sub(2)];
                }
                near_made = true;
            }
            let mask_px = |y: usize| &mask.data[y * pw + cols.start..y * pw + cols.end];
            // The cell's ink and its mean luma (its darker half is the ink's colour).
            let (mut sum, mut n) = (0u32, 0u32);
            for y in rows.clone() {
                for (&b, p) in mask_px(y).iter().zip(row_px(y).chunks_exact(3)) {
                    let b = u32::from(b != 0);
                    sum += b * luma(p);
                    n += b;
                }
            }
            for (j, y) in rows.clone().enumerate() {
                let near = &near[j * pw + cols.start..j * pw + cols.end];
                for ((&b, &nb), p) in mask_px(y).iter().zip(near).zip(row_px(y).chunks_exact(3)) {
                    let target = if b != 0 {
                        (luma(p) * n <= sum).then_some(&mut *ink)
                    } else {
                        // Ink grown by one pixel is not paper either.
                        (nb == 0).then_some(&mut *paper)
                    };
                    if let Some(s) = target {
                        (0..3).for_each(|k| s[k] += u32::from(p[k]));
                        s[3] += 1;
                    }
                }
            }
        }
    }
    CellSums { paper, ink, width: w, height: h }
}

/// A cell's mean colour, rounded; `None` for an empty one. A full cell of
/// [`LAYER_FACTOR`]² pixels (most cells) divides by a constant, which the
/// compiler makes a multiplication: same quotient, a fraction of the time.
fn average(s: &[u32; 4]) -> Option<[u8; 3]> {
    const FULL: u32 = LAYER_FACTOR * LAYER_FACTOR;
    match s[3] {
        0 => None,
        FULL => Some([0, 1, 2].map(|k| ((s[k] + FULL / 2) / FULL) as u8)),
        n => Some([0, 1, 2].map(|k| ((s[k] + n / 2) / n) as u8)),
    }
}

/// Layer cells per [`LIGHT_BLOCK`] × [`LIGHT_BLOCK`] block the light
/// falling on the sheet is estimated at (≈ 1 inch at 200 dpi).
const LIGHT_BLOCK: usize = 24;
/// Background cells at least this bright (percent of the paper tone, once
/// the light is evened out) and nearly grey are plain paper.
const PAPER_PERCENT: u32 = 88;
/// Saturation (max − min channel) above which a cell's ink is coloured
/// (seal, signature) rather than black or grey.
const COLOURED: u8 = 40;

/// What makes the layers cheap and the colours true under a phone's
/// uneven light: both layers are divided by the light falling on each part
/// of the sheet (the brightest paper around it, in blocks of about an
/// inch), so paper becomes one even tone and a seal in the dim corner as
/// red as one in the light; black and grey ink becomes one flat colour;
/// cells without ink, which the mask never shows, take that flat colour,
/// or the colour of coloured ink within two cells (so JPEG's chroma
/// subsampling does not grey a seal's strokes).
fn even_out(background: Rgb, seen: &[bool], ink: &[Option<[u8; 3]>]) -> Layers {
    let (w, h) = (background.width as usize, background.height as usize);
    let luma = |p: &[u8]| (77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8;
    // Light per block: its brightest paper cells (the 90th percentile, so
    // a speck of glare does not count), widened over the neighbouring
    // blocks so a block full of picture sees the paper beside it.
    let (bw, bh) = (w.div_ceil(LIGHT_BLOCK), h.div_ceil(LIGHT_BLOCK));
    let mut block_light = vec![[0u8; 3]; bw * bh];
    // Cells with their luma, worked out once (not at every comparison);
    // the lists are reused from block to block.
    // (Luma, index) pairs: 8 bytes each, so the selection moves little.
    let (mut cells, mut filled): (Vec<(u32, u32)>, Vec<(u32, u32)>) = (Vec::new(), Vec::new());
    for by in 0..bh {
        for bx in 0..bw {
            // Only cells where paper was seen (not those filled in).
            cells.clear();
            filled.clear();
            for y in by * LIGHT_BLOCK..((by + 1) * LIGHT_BLOCK).min(h) {
                let xs = bx * LIGHT_BLOCK..((bx + 1) * LIGHT_BLOCK).min(w);
                let row = &background.data[(y * w + xs.start) * 3..(y * w + xs.end) * 3];
                for ((x, p), &seen) in xs.clone().zip(row.chunks_exact(3)).zip(&seen[y * w + xs.start..y * w + xs.end]) {
                    let cell = (luma(p), (y * w + x) as u32);
                    if seen {
                        cells.push(cell)
                    } else {
                        filled.push(cell)
                    }
                }
            }
            let cells = if cells.is_empty() { &mut filled } else { &mut cells };
            let at = cells.len() * 9 / 10;
            let i = cells.select_nth_unstable_by_key(at, |c| c.0).1 .1 as usize;
            block_light[by * bw + bx] = [0, 1, 2].map(|k| background.data[i * 3 + k]);
        }
    }
    let widened: Vec<[u8; 3]> = (0..bw * bh)
        .map(|i| {
            let (bx, by) = (i % bw, i / bw);
            let mut best = block_light[i];
            for y in by.saturating_sub(1)..(by + 2).min(bh) {
                for x in bx.saturating_sub(1)..(bx + 2).min(bw) {
                    if luma(&block_light[y * bw + x]) > luma(&best) {
                        best = block_light[y * bw + x];
                    }
                }
            }
            best
        })
        .collect();
    // The paper everything is brought to: the best-lit block's.
    let white = widened.iter().copied().max_by_key(|p| luma(p)).unwrap_or([255; 3]);
    // Light at a cell: bilinear between block centres. Where a cell sits
    // between them depends on its column or its row alone, so that is
    // worked out once per column and per row, not per cell.
    let between = |i: usize, blocks: usize| {
        let f = ((i as f32 + 0.5) / LIGHT_BLOCK as f32 - 0.5).clamp(0.0, (blocks - 1) as f32);
        let i0 = f as usize;
        (i0, (i0 + 1).min(blocks - 1), f - i0 as f32)
    };
    let columns: Vec<(usize, usize, f32)> = (0..w).map(|x| between(x, bw)).collect();
    let block_light: Vec<[f32; 3]> = widened.iter().map(|p| p.map(|c| f32::from(c).max(1.0))).collect();
    // Light along a row of blocks, between block centres by column: the
    // same for 24 rows of cells, so made when the rows of blocks change.
    let along = |by: usize, out: &mut Vec<[f32; 3]>| {
        out.clear();
        out.extend(columns.iter().map(|&(x0, x1, tx)| {
            let (a, b) = (block_light[by * bw + x0], block_light[by * bw + x1]);
            [0, 1, 2].map(|k| a[k] * (1.0 - tx) + b[k] * tx)
        }))
    };
    let (mut above, mut below, mut blocks_at) = (Vec::with_capacity(w), Vec::with_capacity(w), None);
    let saturation = |c: &[u8; 3]| c.iter().max().unwrap() - c.iter().min().unwrap();
    let even = |p: [u8; 3], l: [f32; 3]| [0, 1, 2].map(|k| round_small(f32::from(p[k]) * f32::from(white[k]) / l[k]).min(255.0) as u8);
    let mut bg = background;
    let mut ink: Vec<Option<[u8; 3]>> = ink.to_vec();
    for y in 0..h {
        let (y0, y1, ty) = between(y, bh);
        if blocks_at != Some((y0, y1)) {
            along(y0, &mut above);
            along(y1, &mut below);
            blocks_at = Some((y0, y1));
        }
        for (x, (a, b)) in above.iter().zip(&below).enumerate() {
            // Bilinear: along the rows of blocks, then between them.
            let l: [f32; 3] = [0, 1, 2].map(|k| a[k] * (1.0 - ty) + b[k] * ty);
            let i = y * w + x;
            let p = [bg.data[i * 3], bg.data[i * 3 + 1], bg.data[i * 3 + 2]];
            let e = even(p, l);
            // Paper is paper: the faint halo of text and the paper's grain
            // become the one paper tone, which JPEG stores for nothing.
            let paper = saturation(&e) < COLOURED / 2 && luma(&e) * 100 >= luma(&white) * PAPER_PERCENT;
            bg.data[i * 3..i * 3 + 3].copy_from_slice(if paper { &white } else { &e });
            if let Some(c) = ink[i] {
                ink[i] = Some(even(c, l));
            }
        }
    }
    // Black and grey ink: one colour, the median darkness of it.
    let mut neutral: Vec<[u8; 3]> = ink.iter().flatten().filter(|c| saturation(c) < COLOURED).copied().collect();
    let flat = if neutral.is_empty() {
        [0; 3]
    } else {
        let mid = neutral.len() / 2;
        *neutral.select_nth_unstable_by_key(mid, |c| luma(c)).1
    };
    let coloured: Vec<Option<[u8; 3]>> = ink.iter().map(|c| c.filter(|c| saturation(c) >= COLOURED)).collect();
    // Empty cells within two cells of coloured ink take its colour (the
    // nearest's): painted outwards from the few coloured cells.
    let mut spread: Vec<(u8, [u8; 3])> = vec![(u8::MAX, flat); w * h];
    for (i, c) in coloured.iter().enumerate() {
        let Some(c) = *c else { continue };
        let (x, y) = (i % w, i / w);
        for yy in y.saturating_sub(2)..(y + 3).min(h) {
            for xx in x.saturating_sub(2)..(x + 3).min(w) {
                let d = yy.abs_diff(y).max(xx.abs_diff(x)) as u8;
                let s = &mut spread[yy * w + xx];
                if d < s.0 {
                    *s = (d, c);
                }
            }
        }
    }
    let mut fg = Vec::with_capacity(w * h * 3);
    for ((own, ink), spread) in coloured.iter().zip(&ink).zip(&spread) {
        fg.extend_from_slice(&match (own, ink) {
            (Some(c), _) => *c,
            (None, Some(_)) => flat,
            (None, None) => spread.1,
        });
    }
    Layers { background: bg, foreground: Rgb { width: w as u32, height: h as u32, data: fg } }
}

/// `v.round()` for 0 ≤ v < 2²³, without a call: x86 without SSE4.1 (the
/// native baseline) has no rounding instruction, and `f32::round` became a
/// libm call per colour channel of every layer cell.
#[inline]
fn round_small(v: f32) -> f32 {
    let whole = v as u32 as f32;
    // Exact: `whole` and `v` are within 1 of each other.
    whole + f32::from(u8::from(v - whole >= 0.5))
}

/// Averages cells; empty ones blend between the filled cells on either
/// side along the row (or copy the one there is), else take the row above
/// or below.
fn fill(sums: &[[u32; 4]], w: u32, h: u32, default: [u8; 3]) -> Rgb {
    let (w, h) = (w as usize, h as usize);
    let mut cells: Vec<Option<[u8; 3]>> = sums.iter().map(average).collect();
    for row in cells.chunks_mut(w) {
        // Gaps between two filled cells blend from one to the other (a
        // smooth ramp costs JPEG little); gaps at the ends copy their neighbour.
        let mut last: Option<(usize, [u8; 3])> = None;
        for x in 0..w {
            let Some(c) = row[x] else { continue };
            if let Some((lx, l)) = last {
                for (i, cell) in row.iter_mut().enumerate().take(x).skip(lx + 1) {
                    let t = (i - lx) as u32 * 256 / (x - lx) as u32;
                    *cell = Some([0, 1, 2].map(|k| ((u32::from(l[k]) * (256 - t) + u32::from(c[k]) * t + 128) >> 8) as u8));
                }
            }
            last = Some((x, c));
        }
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
    let mut data = Vec::with_capacity(w * h * 3);
    for c in &cells {
        data.extend_from_slice(&c.unwrap_or(default));
    }
    Rgb { width: w as u32, height: h as u32, data }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The per-pixel [`cell_sums`] as it was before its paper-only fast path:
    /// per cell of `factor` × `factor` pixels: the summed colour and count of
    /// paper (away from ink: blurred stroke edges are neither) and of the
    /// darker half of ink (true ink colour). Walks `factor` rows at a time so
    /// the two passes over them stay in cache.
    fn cell_sums_reference(rgb: &Rgb, mask: &Bitmap, factor: u32) -> (Vec<[u32; 4]>, Vec<[u32; 4]>, u32, u32) {
        let (w, h) = (rgb.width.div_ceil(factor), rgb.height.div_ceil(factor));
        let (pw, ph, f) = (rgb.width as usize, rgb.height as usize, factor as usize);
        let mut paper = vec![[0u32; 4]; (w * h) as usize];
        let mut ink = vec![[0u32; 4]; (w * h) as usize];
        let luma = |p: &[u8]| 77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2]);
        let mut ink_luma = vec![(0u32, 0u32); w as usize];
        let (mut near, mut vert) = (vec![0u8; pw], vec![0u8; pw]);
        for (band, y0) in (0..ph).step_by(f).enumerate() {
            let rows = y0..(y0 + f).min(ph);
            let cells = band * w as usize..(band + 1) * w as usize;
            ink_luma.iter_mut().for_each(|l| *l = (0, 0));
            for y in rows.clone() {
                let (m, px) = (mask.row(y as u32), &rgb.data[y * pw * 3..(y + 1) * pw * 3]);
                for (cx, (mc, pc)) in m.chunks(f).zip(px.chunks(3 * f)).enumerate() {
                    for (&b, p) in mc.iter().zip(pc.chunks_exact(3)) {
                        if b != 0 {
                            ink_luma[cx].0 += luma(p);
                            ink_luma[cx].1 += 1;
                        }
                    }
                }
            }
            for y in rows {
                // Ink grown by one pixel (3 × 3): rows above and below, then across.
                let (up, down) = (mask.row(y.saturating_sub(1) as u32), mask.row((y + 1).min(ph - 1) as u32));
                let m = mask.row(y as u32);
                for (((v, &a), &b), &c) in vert.iter_mut().zip(up).zip(m).zip(down) {
                    *v = a | b | c;
                }
                for (n, w3) in near[1..].iter_mut().zip(vert.windows(3)) {
                    *n = w3[0] | w3[1] | w3[2];
                }
                near[0] = vert[0] | vert[1.min(pw - 1)];
                near[pw - 1] = vert[pw - 1] | vert[pw.saturating_sub(2)];
                let px = &rgb.data[y * pw * 3..(y + 1) * pw * 3];
                let (paper, ink) = (&mut paper[cells.clone()], &mut ink[cells.clone()]);
                for (cx, ((mc, nc), pc)) in m.chunks(f).zip(near.chunks(f)).zip(px.chunks(3 * f)).enumerate() {
                    let (sum, n) = ink_luma[cx];
                    for ((&b, &nb), p) in mc.iter().zip(nc).zip(pc.chunks_exact(3)) {
                        let target = if b != 0 {
                            (luma(p) * n <= sum).then_some(&mut ink[cx])
                        } else if nb == 0 {
                            Some(&mut paper[cx])
                        } else {
                            None
                        };
                        if let Some(s) = target {
                            (0..3).for_each(|k| s[k] += u32::from(p[k]));
                            s[3] += 1;
                        }
                    }
                }
            }
        }
        (paper, ink, w, h)
    }

    /// The fast path for cells far from ink sums exactly what the
    /// per-pixel walk sums: on a rendered page with a seal and on noise
    /// masks of sizes that do not divide into cells.
    #[test]
    fn cell_sums_equal_the_per_pixel_walk() {
        let scene = crate::testpage::Scene { width: 400, height: 520, seal: true, signature: true, ..Default::default() };
        let (page, _) = crate::testpage::render(&scene);
        let page_mask = crate::binarize::binarize(&page.min_channel(), 200.0);
        assert!(page_mask.ink() > 1000);
        let mut seed = 11u32;
        let mut noise = |n: usize| -> Vec<u8> {
            (0..n)
                .map(|_| {
                    seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                    (seed >> 24) as u8
                })
                .collect()
        };
        let mut cases = vec![(page, page_mask)];
        for (w, h, sparse) in [(1u32, 1u32, 2u8), (7, 5, 40), (31, 17, 8), (64, 65, 128), (2, 9, 30)] {
            let rgb = Rgb { width: w, height: h, data: noise((w * h * 3) as usize) };
            let mask = Bitmap { width: w, height: h, data: noise((w * h) as usize).iter().map(|&v| u8::from(v < sparse)).collect() };
            cases.push((rgb, mask));
        }
        for (rgb, mask) in &cases {
            for factor in [1, 2, 3, 4] {
                let sums = cell_sums(rgb, mask, factor);
                assert!(
                    (sums.paper, sums.ink, sums.width, sums.height) == cell_sums_reference(rgb, mask, factor),
                    "{} × {} by {factor}",
                    rgb.width,
                    rgb.height
                );
            }
        }
    }

    /// [`even_out`] as it was before its light was made per row of blocks.
    fn even_out_reference(background: Rgb, seen: &[bool], ink: &[Option<[u8; 3]>]) -> Layers {
        let (w, h) = (background.width as usize, background.height as usize);
        let luma = |p: &[u8]| (77 * u32::from(p[0]) + 150 * u32::from(p[1]) + 29 * u32::from(p[2])) >> 8;
        // Light per block: its brightest paper cells (the 90th percentile, so
        // a speck of glare does not count), widened over the neighbouring
        // blocks so a block full of picture sees the paper beside it.
        let (bw, bh) = (w.div_ceil(LIGHT_BLOCK), h.div_ceil(LIGHT_BLOCK));
        let mut block_light = vec![[0u8; 3]; bw * bh];
        // Cells with their luma, worked out once (not at every comparison);
        // the lists are reused from block to block.
        let (mut cells, mut filled): (Vec<(u32, &[u8])>, Vec<(u32, &[u8])>) = (Vec::new(), Vec::new());
        for by in 0..bh {
            for bx in 0..bw {
                // Only cells where paper was seen (not those filled in).
                cells.clear();
                filled.clear();
                for y in by * LIGHT_BLOCK..((by + 1) * LIGHT_BLOCK).min(h) {
                    for x in bx * LIGHT_BLOCK..((bx + 1) * LIGHT_BLOCK).min(w) {
                        let p = &background.data[(y * w + x) * 3..(y * w + x) * 3 + 3];
                        if seen[y * w + x] {
                            cells.push((luma(p), p))
                        } else {
                            filled.push((luma(p), p))
                        }
                    }
                }
                let cells = if cells.is_empty() { &mut filled } else { &mut cells };
                let at = cells.len() * 9 / 10;
                let p = cells.select_nth_unstable_by_key(at, |c| c.0).1 .1;
                block_light[by * bw + bx] = [p[0], p[1], p[2]];
            }
        }
        let widened: Vec<[u8; 3]> = (0..bw * bh)
            .map(|i| {
                let (bx, by) = (i % bw, i / bw);
                let mut best = block_light[i];
                for y in by.saturating_sub(1)..(by + 2).min(bh) {
                    for x in bx.saturating_sub(1)..(bx + 2).min(bw) {
                        if luma(&block_light[y * bw + x]) > luma(&best) {
                            best = block_light[y * bw + x];
                        }
                    }
                }
                best
            })
            .collect();
        // The paper everything is brought to: the best-lit block's.
        let white = widened.iter().copied().max_by_key(|p| luma(p)).unwrap_or([255; 3]);
        // Light at a cell: bilinear between block centres. Where a cell sits
        // between them depends on its column or its row alone, so that is
        // worked out once per column and per row, not per cell.
        let between = |i: usize, blocks: usize| {
            let f = ((i as f32 + 0.5) / LIGHT_BLOCK as f32 - 0.5).clamp(0.0, (blocks - 1) as f32);
            let i0 = f as usize;
            (i0, (i0 + 1).min(blocks - 1), f - i0 as f32)
        };
        let columns: Vec<(usize, usize, f32)> = (0..w).map(|x| between(x, bw)).collect();
        let block_light: Vec<[f32; 3]> = widened.iter().map(|p| p.map(|c| f32::from(c).max(1.0))).collect();
        let light = |(x0, x1, tx): (usize, usize, f32), (y0, y1, ty): (usize, usize, f32)| -> [f32; 3] {
            let at = |x: usize, y: usize, k: usize| block_light[y * bw + x][k];
            [0, 1, 2].map(|k| {
                (at(x0, y0, k) * (1.0 - tx) + at(x1, y0, k) * tx) * (1.0 - ty) + (at(x0, y1, k) * (1.0 - tx) + at(x1, y1, k) * tx) * ty
            })
        };
        let saturation = |c: &[u8; 3]| c.iter().max().unwrap() - c.iter().min().unwrap();
        let even = |p: [u8; 3], l: [f32; 3]| [0, 1, 2].map(|k| round_small(f32::from(p[k]) * f32::from(white[k]) / l[k]).min(255.0) as u8);
        let mut bg = background;
        let mut ink: Vec<Option<[u8; 3]>> = ink.to_vec();
        for y in 0..h {
            let row = between(y, bh);
            for (x, &column) in columns.iter().enumerate() {
                let l = light(column, row);
                let i = y * w + x;
                let p = [bg.data[i * 3], bg.data[i * 3 + 1], bg.data[i * 3 + 2]];
                let e = even(p, l);
                // Paper is paper: the faint halo of text and the paper's grain
                // become the one paper tone, which JPEG stores for nothing.
                let paper = saturation(&e) < COLOURED / 2 && luma(&e) * 100 >= luma(&white) * PAPER_PERCENT;
                bg.data[i * 3..i * 3 + 3].copy_from_slice(if paper { &white } else { &e });
                if let Some(c) = ink[i] {
                    ink[i] = Some(even(c, l));
                }
            }
        }
        // Black and grey ink: one colour, the median darkness of it.
        let mut neutral: Vec<[u8; 3]> = ink.iter().flatten().filter(|c| saturation(c) < COLOURED).copied().collect();
        let flat = if neutral.is_empty() {
            [0; 3]
        } else {
            let mid = neutral.len() / 2;
            *neutral.select_nth_unstable_by_key(mid, |c| luma(c)).1
        };
        let coloured: Vec<Option<[u8; 3]>> = ink.iter().map(|c| c.filter(|c| saturation(c) >= COLOURED)).collect();
        // Empty cells within two cells of coloured ink take its colour (the
        // nearest's): painted outwards from the few coloured cells.
        let mut spread: Vec<(u8, [u8; 3])> = vec![(u8::MAX, flat); w * h];
        for (i, c) in coloured.iter().enumerate() {
            let Some(c) = *c else { continue };
            let (x, y) = (i % w, i / w);
            for yy in y.saturating_sub(2)..(y + 3).min(h) {
                for xx in x.saturating_sub(2)..(x + 3).min(w) {
                    let d = yy.abs_diff(y).max(xx.abs_diff(x)) as u8;
                    let s = &mut spread[yy * w + xx];
                    if d < s.0 {
                        *s = (d, c);
                    }
                }
            }
        }
        let mut fg = Vec::with_capacity(w * h * 3);
        for ((own, ink), spread) in coloured.iter().zip(&ink).zip(&spread) {
            fg.extend_from_slice(&match (own, ink) {
                (Some(c), _) => *c,
                (None, Some(_)) => flat,
                (None, None) => spread.1,
            });
        }
        Layers { background: bg, foreground: Rgb { width: w as u32, height: h as u32, data: fg } }
    }

    /// [`fill`] as it was before full cells divided by a constant.
    fn fill_reference(sums: &[[u32; 4]], w: u32, h: u32, default: [u8; 3]) -> Rgb {
        let (w, h) = (w as usize, h as usize);
        let mut cells: Vec<Option<[u8; 3]>> =
            sums.iter().map(|s| (s[3] > 0).then(|| [0, 1, 2].map(|k| ((s[k] + s[3] / 2) / s[3]) as u8))).collect();
        for row in cells.chunks_mut(w) {
            // Gaps between two filled cells blend from one to the other (a
            // smooth ramp costs JPEG little); gaps at the ends copy their neighbour.
            let mut last: Option<(usize, [u8; 3])> = None;
            for x in 0..w {
                let Some(c) = row[x] else { continue };
                if let Some((lx, l)) = last {
                    for (i, cell) in row.iter_mut().enumerate().take(x).skip(lx + 1) {
                        let t = (i - lx) as u32 * 256 / (x - lx) as u32;
                        *cell = Some([0, 1, 2].map(|k| ((u32::from(l[k]) * (256 - t) + u32::from(c[k]) * t + 128) >> 8) as u8));
                    }
                }
                last = Some((x, c));
            }
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

    /// The restructured [`fill`] and [`even_out`] give the same layers as
    /// before: a rendered page with seal, signature, uneven light and
    /// shadow (cells of every kind: paper, black ink, coloured ink, empty),
    /// and a small page under one block of light.
    #[test]
    fn layers_equal_the_reference() {
        for scene in [
            crate::testpage::Scene {
                width: 900,
                height: 1100,
                seal: true,
                signature: true,
                gradient: true,
                shadow: true,
                noise: 6,
                blur: true,
                ..Default::default()
            },
            crate::testpage::Scene { width: 40, height: 70, seal: true, ..Default::default() },
        ] {
            let (page, _) = crate::testpage::render(&scene);
            let mask = crate::binarize::binarize(&page.min_channel(), 200.0);
            let sums = cell_sums(&page, &mask, LAYER_FACTOR);
            let new = layers(&sums);
            let background = fill_reference(&sums.paper, sums.width, sums.height, [255; 3]);
            let ink: Vec<Option<[u8; 3]>> =
                sums.ink.iter().map(|s| (s[3] > 0).then(|| [0, 1, 2].map(|k| ((s[k] + s[3] / 2) / s[3]) as u8))).collect();
            let seen: Vec<bool> = sums.paper.iter().map(|s| s[3] > 0).collect();
            assert!(fill(&sums.paper, sums.width, sums.height, [255; 3]) == background);
            let old = even_out_reference(background, &seen, &ink);
            assert!(new.background == old.background, "background of {} × {}", scene.width, scene.height);
            assert!(new.foreground == old.foreground, "foreground of {} × {}", scene.width, scene.height);
            // Not trivially equal: coloured ink kept, and paper not all one tone.
            assert!(new.foreground.data.chunks_exact(3).any(|p| p[0] > p[2].saturating_add(60)));
        }
    }

    #[test]
    fn round_small_is_round() {
        let mut values: Vec<f32> = (0..70_000u32 * 8).map(|i| i as f32 / 8.0).collect();
        values.extend([0.49999997, 0.5, 0.50000006, 1.4999999, 2.5, 254.49998, 254.5, 8_388_607.5, 0.0]);
        // Quotients as `even_out` makes them: level × paper / light.
        for p in [1u16, 7, 128, 200, 255] {
            for white in [180u16, 243, 255] {
                values.extend((1..=255u16).map(|l| f32::from(p) * f32::from(white) / f32::from(l)));
            }
        }
        for v in values {
            assert_eq!(round_small(v), v.round(), "{v}");
        }
    }

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

    #[test]
    fn dim_light_is_evened_out_and_seal_stays_red() {
        // A page lit from the left: paper 240 there falling to 150 on the
        // right, where a dim red seal stroke (paper × (0.8, 0.15, 0.15))
        // and black text (paper × 0.2) sit. Layers at 1/3.
        let (w, h) = (600u32, 300u32);
        let mut rgb = Rgb { width: w, height: h, data: Vec::new() };
        let mut mask = Bitmap::new(w, h);
        for y in 0..h {
            for x in 0..w {
                let light = 240.0 - 90.0 * x as f32 / (w - 1) as f32;
                let seal = (500..520).contains(&x) && (100..200).contains(&y);
                let text = (60..540).contains(&x) && y % 30 < 3 && !seal;
                let p = if seal {
                    [0.8, 0.15, 0.15]
                } else if text {
                    [0.2; 3]
                } else {
                    [1.0; 3]
                }
                .map(|f: f32| (light * f) as u8);
                rgb.data.extend_from_slice(&p);
                if seal || text {
                    mask.data[(y * w + x) as usize] = 1;
                }
            }
        }
        let layers = split(&rgb, &mask, 3);
        let bg = |x: u32, y: u32| &layers.background.data[((y * 200 + x) * 3) as usize..][..3];
        let fg = |x: u32, y: u32| &layers.foreground.data[((y * 200 + x) * 3) as usize..][..3];
        // Paper is one tone from the bright side to the dim one.
        assert_eq!(bg(5, 50), bg(195, 60), "paper tone");
        assert!(bg(5, 50)[0] >= 235, "{:?}", bg(5, 50));
        // The seal's colour is what it would be in full light (red > 120,
        // the others low), not the dim light's dark red (≈ 125, 23, 23).
        let seal = fg(170, 50);
        println!("seal {seal:?}, text {:?}", fg(100, 30));
        assert!(seal[0] > 170 && seal[1] < 60 && seal[2] < 60, "{seal:?}");
        // Black text is one flat colour wherever it is, and dark.
        assert_eq!(fg(30, 30), fg(160, 30));
        assert!(fg(30, 30)[0] < 70, "{:?}", fg(30, 30));
        // Empty cells right of the seal take its colour, far ones the ink's.
        let beside = fg(175, 45);
        assert!(beside[0] > 170 && beside[1] < 60 && beside[2] < 60, "{beside:?}");
        assert_eq!(fg(100, 45), fg(30, 30));
    }
}

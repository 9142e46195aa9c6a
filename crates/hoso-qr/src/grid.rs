//! Our own finder-pattern search and grid sampling, for the photos rqrr's
//! quirc-style detector gives up on: out of focus (the one-module white
//! ring around each finder pattern blurs into grey, so quirc's "ring
//! around a stone" regions merge with the data) and webcam frames (modules
//! of 2–3 pixels, where quirc's timing-pattern count goes wrong).
//!
//! The idea is the classic line-scan one: a finder pattern crossed by any
//! line through its centre reads dark-light-dark-light-dark in the ratio
//! 1:1:3:1:1, blurred or not. Three such patterns at a right angle give
//! the code's corners and its module size; the alignment pattern near the
//! fourth corner, found by matching its 5×5 template on the grey image,
//! gives the perspective. Modules are then read from the grey image (not a
//! bitmap) against the mean of their neighbourhood, so a blurred isolated
//! module still counts, and rqrr's decoder does the Reed–Solomon part.

use crate::prep::Gray;

/// A finder-pattern candidate: centre and module size in pixels.
#[derive(Clone, Copy, Debug)]
struct Finder {
    x: f32,
    y: f32,
    module: f32,
    hits: u32,
}

/// Reads the codes in `image` (already scaled so modules are ≥ 2 px);
/// `bits` is its binarization (true = dark). Returns the decoded texts.
pub fn read(image: &Gray, bits: &[bool], max_tries: usize) -> Vec<Vec<u8>> {
    let finders = find_finders(bits, image.w, image.h);
    let mut out: Vec<Vec<u8>> = Vec::new();
    let mut used: Vec<usize> = Vec::new();
    let mut tries = 0;
    for (ids, [tl, tr, bl]) in triples(&finders) {
        // After a code is read, only triples of other finders can be another
        // code, and a second code is rare: fewer tries.
        let limit = if out.is_empty() { max_tries } else { max_tries / 4 };
        if tries >= limit {
            break;
        }
        if ids.iter().any(|i| used.contains(i)) {
            continue;
        }
        tries += 1;
        if let Some(bytes) = read_at(image, tl, tr, bl) {
            used.extend(ids);
            if !out.contains(&bytes) {
                out.push(bytes);
            }
        }
    }
    out
}

/// Runs of equal pixels along a line: `(start, length, dark)`.
fn runs(line: impl Iterator<Item = bool>, out: &mut Vec<(usize, usize, bool)>) {
    out.clear();
    for (i, dark) in line.enumerate() {
        match out.last_mut() {
            Some(last) if last.2 == dark => last.1 += 1,
            _ => out.push((i, 1, dark)),
        }
    }
}

/// Whether five run lengths read 1:1:3:1:1 (loosely: blur thickens the
/// centre and thins the light rings, and the outer dark ring may run into
/// dark modules next to it). Returns the module size, from the inner runs.
fn finder_ratio(l: [usize; 5]) -> Option<f32> {
    let inner = l[1] + l[2] + l[3];
    if inner < 4 {
        return None;
    }
    let u = inner as f32 / 5.0;
    let ok = |v: usize, lo: f32, hi: f32| (v as f32) >= lo * u && (v as f32) <= hi * u;
    (ok(l[0], 0.5, 3.0) && ok(l[1], 0.4, 1.8) && ok(l[2], 2.0, 4.2) && ok(l[3], 0.4, 1.8) && ok(l[4], 0.5, 3.0)).then_some(u)
}

/// Finder-pattern centres: 1:1:3:1:1 along a row, confirmed along the
/// column through its middle, then merged.
fn find_finders(bits: &[bool], w: usize, h: usize) -> Vec<Finder> {
    let mut found: Vec<Finder> = Vec::new();
    let mut row = Vec::new();
    let mut col = Vec::new();
    for y in 0..h {
        runs(bits[y * w..(y + 1) * w].iter().copied(), &mut row);
        for i in 0..row.len().saturating_sub(4) {
            if !row[i].2 {
                continue;
            }
            let l = [row[i].1, row[i + 1].1, row[i + 2].1, row[i + 3].1, row[i + 4].1];
            let Some(u) = finder_ratio(l) else { continue };
            let cx = row[i + 2].0 + row[i + 2].1 / 2;
            // The column through the centre, within reach of the pattern.
            let reach = (u * 6.0) as usize + 2;
            let (y0, y1) = (y.saturating_sub(reach), (y + reach + 1).min(h));
            runs((y0..y1).map(|yy| bits[yy * w + cx]), &mut col);
            let Some(k) = col.iter().position(|r| y - y0 >= r.0 && y - y0 < r.0 + r.1) else {
                continue;
            };
            if k < 2 || k + 2 >= col.len() {
                continue;
            }
            let lv = [col[k - 2].1, col[k - 1].1, col[k].1, col[k + 1].1, col[k + 2].1];
            let Some(uv) = finder_ratio(lv) else { continue };
            if uv > 1.6 * u || u > 1.6 * uv {
                continue;
            }
            // Pixel centres are at whole coordinates (as `Gray::bilinear` reads).
            let cy = y0 as f32 + col[k].0 as f32 + col[k].1 as f32 / 2.0 - 0.5;
            let cxf = row[i + 2].0 as f32 + row[i + 2].1 as f32 / 2.0 - 0.5;
            let module = (u + uv) / 2.0;
            match found.iter_mut().find(|f| (f.x - cxf).abs() < 2.0 * module && (f.y - cy).abs() < 2.0 * module) {
                Some(f) => {
                    let n = f.hits as f32;
                    f.x = (f.x * n + cxf) / (n + 1.0);
                    f.y = (f.y * n + cy) / (n + 1.0);
                    f.module = (f.module * n + module) / (n + 1.0);
                    f.hits += 1;
                }
                None => found.push(Finder { x: cxf, y: cy, module, hits: 1 }),
            }
        }
    }
    // A real finder is crossed by about its 3-module centre's rows; noise
    // and text give a hit or two.
    found.retain(|f| f.hits >= 2 && f.hits as f32 >= 1.2 * f.module);
    // Most rows first: sensor noise and print texture make dozens of
    // one-pixel "finders" with 2–3 hits each, and ranked by hits per module
    // they crowded the code's own (4–5 px modules, 8–12 hits) out of the
    // 20 kept and of the triples tried.
    found.sort_by(|a, b| b.hits.cmp(&a.hits).then((b.hits as f32 / b.module).total_cmp(&(a.hits as f32 / a.module))));
    found.truncate(20);
    found
}

/// Triples of finders that could be one code's corners, most square first:
/// `[top-left, top-right, bottom-left]` as the code is printed.
fn triples(f: &[Finder]) -> Vec<([usize; 3], [Finder; 3])> {
    let mut out: Vec<(f32, [usize; 3], [Finder; 3])> = Vec::new();
    for i in 0..f.len() {
        for j in 0..f.len() {
            for k in j + 1..f.len() {
                if i == j || i == k {
                    continue;
                }
                let (b, a, c) = (f[i], f[j], f[k]);
                let (m_lo, m_hi) = (a.module.min(b.module).min(c.module), a.module.max(b.module).max(c.module));
                if m_hi > 2.0 * m_lo {
                    continue;
                }
                let (ax, ay, cx, cy) = (a.x - b.x, a.y - b.y, c.x - b.x, c.y - b.y);
                let (la, lc) = ((ax * ax + ay * ay).sqrt(), (cx * cx + cy * cy).sqrt());
                let m = (a.module + b.module + c.module) / 3.0;
                if la.min(lc) < 10.0 * m || la.max(lc) > 2.0 * la.min(lc) {
                    continue; // closer than a version 1 code, or too lopsided
                }
                let cos = (ax * cx + ay * cy) / (la * lc);
                if cos.abs() > 0.5 {
                    continue;
                }
                let score = cos.abs() + (la / lc).ln().abs();
                // Clockwise in image coordinates (y down): top-right, then bottom-left.
                let corners = if ax * cy - ay * cx > 0.0 { [b, a, c] } else { [b, c, a] };
                out.push((score, [i, j, k], corners));
            }
        }
    }
    out.sort_by(|a, b| a.0.total_cmp(&b.0));
    out.into_iter().map(|(_, ids, t)| (ids, t)).collect()
}

/// Tries the grid sizes near the one the finder spacing suggests.
fn read_at(image: &Gray, tl: Finder, tr: Finder, bl: Finder) -> Option<Vec<u8>> {
    let m = (tl.module + tr.module + bl.module) / 3.0;
    let d = |a: Finder, b: Finder| ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt();
    let modules = (d(tl, tr) + d(tl, bl)) / 2.0 / m + 7.0;
    let version = ((modules - 17.0) / 4.0).round() as i32;
    for v in [version, version + 1, version - 1, version + 2, version - 2] {
        if !(1..=40).contains(&v) {
            continue;
        }
        let size = (17 + 4 * v) as usize;
        let s = size as f64;
        let src = [(3.5, 3.5), (s - 3.5, 3.5), (3.5, s - 3.5)];
        let dst = [tl, tr, bl].map(|f| (f64::from(f.x), f64::from(f.y)));
        let affine = Homography::from_points(
            &[src[0], src[1], src[2], (s - 3.5, s - 3.5)],
            &[dst[0], dst[1], dst[2], (dst[1].0 + dst[2].0 - dst[0].0, dst[1].1 + dst[2].1 - dst[0].1)],
        )?;
        let mut maps = Vec::with_capacity(3);
        // Finder centres measured on the bitmap drift under blur; the grey
        // image's 7×7 template puts them back.
        let refined: Option<Vec<(f64, f64)>> =
            src.iter().map(|&at| best_match(image, &affine, at, 1, 3, 2).map(|(p, _)| p)).collect();
        let refined = refined.unwrap_or_else(|| dst.to_vec());
        let corner = (refined[1].0 + refined[2].0 - refined[0].0, refined[1].1 + refined[2].1 - refined[0].1);
        let affine2 =
            Homography::from_points(&[src[0], src[1], src[2], (s - 3.5, s - 3.5)], &[refined[0], refined[1], refined[2], corner]);
        if v >= 2 {
            let base = affine2.as_ref().unwrap_or(&affine);
            if let Some((align, contrast)) = best_match(image, base, (s - 6.5, s - 6.5), 4, 2, 1) {
                if contrast > 10.0 {
                    if let Some(h) = Homography::from_points(
                        &[src[0], src[1], src[2], (s - 6.5, s - 6.5)],
                        &[refined[0], refined[1], refined[2], align],
                    ) {
                        maps.push(h);
                    }
                }
            }
        }
        maps.extend(affine2);
        maps.push(affine);
        for map in &maps {
            if let Some(bytes) = sample_and_decode(image, map, size) {
                return Some(bytes);
            }
        }
    }
    None
}

/// Where a pattern really is near module position `at`: the offset (in
/// steps of a quarter module, up to `reach` modules) where its template
/// best separates light cells from dark ones on the grey image. `ring`
/// says which square ring around the centre is light. Returns the image
/// point and the contrast found there.
fn best_match(
    image: &Gray,
    map: &Homography,
    at: (f64, f64),
    reach: i32,
    half: i32,
    light_ring: i32,
) -> Option<((f64, f64), f32)> {
    let mut best = (f32::MIN, (0.0, 0.0));
    let steps = 4 * reach;
    let (n_light, n_dark) = {
        let light = if light_ring == 0 { 1 } else { 8 * light_ring };
        (light as f32, ((2 * half + 1) * (2 * half + 1) - light) as f32)
    };
    for j in -steps..=steps {
        for i in -steps..=steps {
            let (u, v) = (at.0 + f64::from(i) * 0.25, at.1 + f64::from(j) * 0.25);
            let (mut dark, mut light) = (0.0f32, 0.0f32);
            for dy in -half..=half {
                for dx in -half..=half {
                    let (x, y) = map.apply(u + f64::from(dx), v + f64::from(dy));
                    if x < 0.0 || y < 0.0 || x >= image.w as f64 || y >= image.h as f64 {
                        return None;
                    }
                    let g = f32::from(image.bilinear(x as f32, y as f32));
                    if dx.abs().max(dy.abs()) == light_ring {
                        light += g;
                    } else {
                        dark += g;
                    }
                }
            }
            // Ties go to the predicted spot.
            let score = light / n_light - dark / n_dark - 0.5 * (i * i + j * j) as f32 / (steps * steps) as f32;
            if score > best.0 {
                best = (score, map.apply(u, v));
            }
        }
    }
    Some((best.1, best.0))
}

/// Samples every module centre from the grey image and decodes, with two
/// thresholds: the mean of the surrounding 7×7 modules (blur, uneven
/// light) and Otsu's over all modules; each grid also transposed (mirror).
fn sample_and_decode(image: &Gray, map: &Homography, size: usize) -> Option<Vec<u8>> {
    // Each module read at its centre, and as the mean of five points a
    // fifth of a module apart (noise of small webcam modules averages out).
    let mut centre = Vec::with_capacity(size * size);
    let mut spread = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (px, py) = map.apply(x as f64 + 0.5, y as f64 + 0.5);
            if px < -0.5 || py < -0.5 || px > image.w as f64 - 0.5 || py > image.h as f64 - 0.5 {
                return None;
            }
            let at = |du: f64, dv: f64| {
                let (qx, qy) = map.apply(x as f64 + 0.5 + du, y as f64 + 0.5 + dv);
                f32::from(image.bilinear(qx.max(0.0) as f32, qy.max(0.0) as f32))
            };
            let c = at(0.0, 0.0);
            centre.push(c);
            spread.push((c + at(-0.2, -0.2) + at(0.2, -0.2) + at(-0.2, 0.2) + at(0.2, 0.2)) / 5.0);
        }
    }
    // Defocus spreads each module into its four neighbours; taking their
    // excess back out (a module-level sharpening, mild then strong)
    // restores isolated modules that blurred into grey.
    let sharpened = |k: f32| -> Vec<f32> {
        (0..size * size)
            .map(|i| {
                let (x, y) = (i % size, i / size);
                let near = [
                    (x > 0).then(|| centre[i - 1]),
                    (x + 1 < size).then(|| centre[i + 1]),
                    (y > 0).then(|| centre[i - size]),
                    (y + 1 < size).then(|| centre[i + size]),
                ];
                let (sum, n) = near.iter().flatten().fold((0.0, 0.0), |(s, n), v| (s + v, n + 1.0));
                (centre[i] + k * (centre[i] - sum / n)).clamp(0.0, 255.0)
            })
            .collect()
    };
    let (mild, strong) = (sharpened(1.0), sharpened(2.5));
    for grey in [&centre, &spread, &mild, &strong] {
        let mut hist = [0u64; 256];
        for &g in grey.iter() {
            hist[g as usize] += 1;
        }
        let t = f32::from(crate::prep::otsu_of(&hist));
        let global: Vec<bool> = grey.iter().map(|&g| g <= t).collect();
        for bits in [local_threshold(grey, size, 3), global] {
            let grid = rqrr::SimpleGrid::from_func(size, |x, y| bits[y * size + x]);
            let mut bytes = Vec::new();
            if rqrr::Grid::new(grid.clone()).decode_to(&mut bytes).is_ok() && !bytes.is_empty() {
                return Some(bytes);
            }
            bytes.clear();
            if rqrr::Grid::new(crate::Mirrored(&grid)).decode_to(&mut bytes).is_ok() && !bytes.is_empty() {
                return Some(bytes);
            }
        }
    }
    None
}

/// Dark modules: below the mean of the `(2r+1)²` modules around them.
fn local_threshold(grey: &[f32], size: usize, r: usize) -> Vec<bool> {
    let mut out = Vec::with_capacity(size * size);
    for y in 0..size {
        for x in 0..size {
            let (y0, y1) = (y.saturating_sub(r), (y + r + 1).min(size));
            let (x0, x1) = (x.saturating_sub(r), (x + r + 1).min(size));
            let mut sum = 0.0;
            for yy in y0..y1 {
                sum += grey[yy * size + x0..yy * size + x1].iter().sum::<f32>();
            }
            let mean = sum / ((y1 - y0) * (x1 - x0)) as f32;
            out.push(grey[y * size + x] < mean);
        }
    }
    out
}

/// Module coordinates → image pixels: hoso-image's projective map (the
/// one the page flattening uses), with this reader's f64 points.
struct Homography(hoso_image::warp::Homography);

impl Homography {
    /// The map taking each `src` point to its `dst` point (4 points, no
    /// three in a line).
    fn from_points(src: &[(f64, f64); 4], dst: &[(f64, f64); 4]) -> Option<Homography> {
        let points = |p: &[(f64, f64); 4]| p.map(|(x, y)| (x as f32, y as f32));
        hoso_image::warp::Homography::from_points(points(src), points(dst)).map(Homography)
    }

    fn apply(&self, u: f64, v: f64) -> (f64, f64) {
        let (x, y) = self.0.apply((u as f32, v as f32));
        (f64::from(x), f64::from(y))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homography_maps_its_points() {
        let src = [(0.0, 0.0), (10.0, 0.0), (0.0, 10.0), (10.0, 10.0)];
        let dst = [(5.0, 7.0), (30.0, 9.0), (4.0, 40.0), (25.0, 35.0)];
        let h = Homography::from_points(&src, &dst).unwrap();
        for (s, d) in src.iter().zip(&dst) {
            let (x, y) = h.apply(s.0, s.1);
            assert!((x - d.0).abs() < 1e-6 && (y - d.1).abs() < 1e-6, "{s:?} → {x},{y}");
        }
    }

    #[test]
    fn finder_ratios() {
        assert!(finder_ratio([4, 4, 12, 4, 4]).is_some());
        // Blurred: centre thick, rings thin.
        assert!(finder_ratio([4, 2, 16, 2, 4]).is_some());
        assert!(finder_ratio([4, 4, 4, 4, 4]).is_none());
        assert!(finder_ratio([12, 1, 2, 1, 12]).is_none());
        // The outer ring run into a dark module beside the code.
        assert!(finder_ratio([4, 4, 12, 4, 9]).is_some());
    }
}

//! Page detection (tìm mép giấy): the four corners of a sheet photographed
//! on a table, and the paper size it is.
//!
//! On a reduced copy (long side ≈ 640 px) each colour channel is closed
//! (max then min filter) so that text, rules and stamps disappear into the
//! paper while the paper's outline stays where it is. Gradient directions
//! vote in a Hough transform for straight lines; every choice of two
//! roughly horizontal and two roughly vertical lines makes a candidate
//! quadrilateral, scored by how much of its outline really is an edge
//! facing the right way. The winner's sides are then located again at
//! full resolution (strongest step across each side, least-squares line
//! without outliers) and intersected: sub-pixel corners. When no outline is
//! found the image is a scan (the paper fills the frame).

use crate::raster::Rgb;
use crate::warp::{distance, Point};

/// Paper sizes a Vietnamese dossier holds (khổ giấy).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Paper {
    A4,
    A5,
    A3,
    Letter,
    /// ID-1 card: citizen ID (CCCD), health insurance, bank cards.
    IdCard,
}

impl Paper {
    pub const ALL: [Paper; 5] = [Paper::A4, Paper::A5, Paper::A3, Paper::Letter, Paper::IdCard];

    /// Short and long side in millimetres.
    pub fn mm(self) -> (f32, f32) {
        match self {
            Paper::A4 => (210.0, 297.0),
            Paper::A5 => (148.0, 210.0),
            Paper::A3 => (297.0, 420.0),
            Paper::Letter => (215.9, 279.4),
            Paper::IdCard => (53.98, 85.6),
        }
    }

    /// Short and long side in inches.
    pub fn inches(self) -> (f32, f32) {
        let (s, l) = self.mm();
        (s / 25.4, l / 25.4)
    }

    pub fn name(self) -> &'static str {
        match self {
            Paper::A4 => "a4",
            Paper::A5 => "a5",
            Paper::A3 => "a3",
            Paper::Letter => "letter",
            Paper::IdCard => "id",
        }
    }

    pub fn parse(s: &str) -> Option<Paper> {
        Paper::ALL.into_iter().find(|p| p.name() == s)
    }

    /// The size a sheet of this long-to-short ratio most likely is. The A
    /// series share one ratio (√2), so they all read as A4, by far the
    /// most common; A5 and A3 must be chosen.
    pub fn from_aspect(long_over_short: f32) -> Paper {
        // Midpoints between Letter (1.294), A series (1.414) and ID-1 (1.586).
        if long_over_short < 1.354 {
            Paper::Letter
        } else if long_over_short < 1.50 {
            Paper::A4
        } else {
            Paper::IdCard
        }
    }
}

/// Long side of the reduced copy detection works on.
const WORK_LONG: u32 = 640;

/// A line `x·cos θ + y·sin θ = ρ` in reduced-copy pixels.
#[derive(Clone, Copy, Debug)]
struct Line {
    theta: f32,
    rho: f32,
}

impl Line {
    fn normal(&self) -> (f32, f32) {
        (self.theta.cos(), self.theta.sin())
    }

    fn intersect(&self, other: &Line) -> Option<Point> {
        let ((a, b), (c, d)) = (self.normal(), other.normal());
        let det = a * d - b * c;
        if det.abs() < 1e-4 {
            return None;
        }
        Some(((self.rho * d - b * other.rho) / det, (a * other.rho - self.rho * c) / det))
    }

    fn through(p: Point, q: Point) -> Line {
        let (dx, dy) = (q.0 - p.0, q.1 - p.1);
        let len = (dx * dx + dy * dy).sqrt().max(1e-6);
        let (nx, ny) = (-dy / len, dx / len);
        Line { theta: ny.atan2(nx), rho: nx * p.0 + ny * p.1 }
    }
}

/// Gradient of the closed reduced copy: magnitude and unit direction.
struct Edges {
    width: usize,
    height: usize,
    magnitude: Vec<f32>,
    direction: Vec<(f32, f32)>,
    threshold: f32,
}

impl Edges {
    fn is_edge_along(&self, x: f32, y: f32, normal: (f32, f32)) -> bool {
        // Within two pixels across the side, an edge facing across it.
        (-2..=2).any(|s| {
            let (px, py) = ((x + normal.0 * s as f32).round(), (y + normal.1 * s as f32).round());
            if px < 0.0 || py < 0.0 || px >= self.width as f32 || py >= self.height as f32 {
                return false;
            }
            let i = py as usize * self.width + px as usize;
            let d = self.direction[i];
            self.magnitude[i] >= self.threshold && (d.0 * normal.0 + d.1 * normal.1).abs() >= 0.93
        })
    }
}

/// Finds the sheet's corners (top-left, top-right, bottom-right,
/// bottom-left, in `rgb` pixels), or `None` when no sheet outline stands
/// out from a background: a scan, or a photo too tight to show the edges.
pub fn find_corners(rgb: &Rgb) -> Option<[Point; 4]> {
    if rgb.width < 32 || rgb.height < 32 {
        return None;
    }
    let factor = rgb.width.max(rgb.height).div_ceil(WORK_LONG).max(1);
    let small = rgb.shrink(factor);
    let (w, h) = (small.width as usize, small.height as usize);
    // Text strokes and lines at this scale are a few pixels; the radius
    // scales with the size of the sheet in the copy.
    let radius = ((w.min(h) as f32 / 140.0).round() as usize).clamp(2, 5);
    let planes: Vec<Vec<u8>> = (0..3)
        .map(|c| {
            let plane: Vec<u8> = small.data.iter().skip(c).step_by(3).copied().collect();
            let dilated = filter(&plane, w, h, radius, |a: u8, b: u8| a.max(b));
            // The square filter leaves slanted edges as stairs; smoothing
            // makes their gradient point across the edge again.
            smooth(&smooth(&filter(&dilated, w, h, radius, |a: u8, b: u8| a.min(b)), w, h), w, h)
        })
        .collect();
    let edges = gradient(&planes, w, h);
    let lines = hough(&edges);
    let quad = best_quad(&lines, &edges)?;
    // Continuous full-resolution coordinates of the reduced pixels' centres.
    let f = factor as f32;
    let coarse = quad.map(|(x, y)| ((x + 0.5) * f, (y + 0.5) * f));
    Some(refine(rgb, coarse, f))
}

/// Separable square max or min filter of radius `r`, as whole-row slice
/// operations (which the compiler vectorizes).
fn filter(src: &[u8], w: usize, h: usize, r: usize, pick: impl Fn(u8, u8) -> u8 + Copy) -> Vec<u8> {
    let mut across = src.to_vec();
    for y in 0..h {
        let row = &src[y * w..(y + 1) * w];
        let out = &mut across[y * w..(y + 1) * w];
        for d in 1..=r.min(w - 1) {
            // Neighbour d to the right, and d to the left.
            for (o, &v) in out[..w - d].iter_mut().zip(&row[d..]) {
                *o = pick(*o, v);
            }
            for (o, &v) in out[d..].iter_mut().zip(&row[..w - d]) {
                *o = pick(*o, v);
            }
        }
    }
    let mut out = across.clone();
    for y in 0..h {
        for yy in y.saturating_sub(r)..(y + r + 1).min(h) {
            if yy != y {
                for (o, &v) in out[y * w..(y + 1) * w].iter_mut().zip(&across[yy * w..(yy + 1) * w]) {
                    *o = pick(*o, v);
                }
            }
        }
    }
    out
}

/// 3 × 3 box blur, edges clamped: sums of three across, then of three of
/// those down.
fn smooth(src: &[u8], w: usize, h: usize) -> Vec<u8> {
    let mut across = vec![0u16; src.len()];
    for (row, out) in src.chunks_exact(w).zip(across.chunks_exact_mut(w)) {
        for x in 0..w {
            out[x] = u16::from(row[x.saturating_sub(1)]) + u16::from(row[x]) + u16::from(row[(x + 1).min(w - 1)]);
        }
    }
    let mut out = vec![0u8; src.len()];
    for (y, dst) in out.chunks_exact_mut(w).enumerate() {
        let (up, here, down) = (y.saturating_sub(1) * w, y * w, (y + 1).min(h - 1) * w);
        let (up, here, down) = (&across[up..up + w], &across[here..here + w], &across[down..down + w]);
        for (((o, &a), &b), &c) in dst.iter_mut().zip(up).zip(here).zip(down) {
            *o = ((u32::from(a) + u32::from(b) + u32::from(c) + 4) / 9) as u8;
        }
    }
    out
}

/// Sobel gradient per channel; each pixel keeps its strongest channel, so
/// a sheet on a table of the same brightness but another colour still shows.
fn gradient(planes: &[Vec<u8>], w: usize, h: usize) -> Edges {
    let mut magnitude = vec![0f32; w * h];
    let mut direction = vec![(0f32, 0f32); w * h];
    for plane in planes {
        let at = |x: usize, y: usize| f32::from(plane[y * w + x]);
        for y in 1..h - 1 {
            for x in 1..w - 1 {
                let gx = at(x + 1, y - 1) + 2.0 * at(x + 1, y) + at(x + 1, y + 1)
                    - at(x - 1, y - 1)
                    - 2.0 * at(x - 1, y)
                    - at(x - 1, y + 1);
                let gy = at(x - 1, y + 1) + 2.0 * at(x, y + 1) + at(x + 1, y + 1)
                    - at(x - 1, y - 1)
                    - 2.0 * at(x, y - 1)
                    - at(x + 1, y - 1);
                let m = (gx * gx + gy * gy).sqrt();
                let i = y * w + x;
                if m > magnitude[i] {
                    magnitude[i] = m;
                    direction[i] = (gx / m, gy / m);
                }
            }
        }
    }
    // A step of 16 grey levels (Sobel gain 4 → 64), or more on busy photos:
    // a tenth of the strongest 2 % of gradients.
    let mut nonzero: Vec<f32> = magnitude.iter().copied().filter(|&m| m > 0.0).collect();
    let at = nonzero.len() * 98 / 100;
    let strong = if at < nonzero.len() { *nonzero.select_nth_unstable_by(at, f32::total_cmp).1 } else { 0.0 };
    Edges { width: w, height: h, magnitude, direction, threshold: (strong * 0.1).max(64.0) }
}

/// Straight lines with enough edge pixels, strongest first, no two alike.
fn hough(edges: &Edges) -> Vec<Line> {
    const BINS: usize = 180;
    let (w, h) = (edges.width, edges.height);
    let diag = ((w * w + h * h) as f32).sqrt().ceil() as usize + 1;
    let rhos = 2 * diag + 1;
    let mut acc = vec![0u32; BINS * rhos];
    let trig: Vec<(f32, f32)> = (0..BINS).map(|t| (t as f32).to_radians().sin_cos()).collect();
    for y in 0..h {
        for x in 0..w {
            let i = y * w + x;
            if edges.magnitude[i] < edges.threshold {
                continue;
            }
            let (dx, dy) = edges.direction[i];
            let centre = dy.atan2(dx).to_degrees().rem_euclid(180.0).round() as i32;
            for t in centre - 3..=centre + 3 {
                let t = t.rem_euclid(BINS as i32) as usize;
                let (sin, cos) = trig[t];
                let rho = (x as f32 * cos + y as f32 * sin).round() as i64 + diag as i64;
                acc[t * rhos + rho as usize] += 1;
            }
        }
    }
    let min_votes = (w.min(h) as f32 * 0.12) as u32;
    let mut cells: Vec<(u32, usize)> = acc.iter().enumerate().filter(|(_, &v)| v >= min_votes).map(|(i, &v)| (v, i)).collect();
    cells.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    let mut lines: Vec<Line> = Vec::new();
    for (_, i) in cells {
        let (t, r) = (i / rhos, i % rhos);
        let line = Line { theta: (t as f32).to_radians(), rho: r as f32 - diag as f32 };
        let near = |o: &Line| {
            let dt = (line.theta - o.theta).abs();
            // θ and θ + 180° with −ρ are the same line.
            (dt < 6f32.to_radians() && (line.rho - o.rho).abs() < 10.0)
                || ((std::f32::consts::PI - dt) < 6f32.to_radians() && (line.rho + o.rho).abs() < 10.0)
        };
        if !lines.iter().any(near) {
            lines.push(line);
            if lines.len() == 24 {
                break;
            }
        }
    }
    lines
}

/// Where along a line there is edge: prefix sums of hits at every pixel
/// step, so the support of any stretch of it is two look-ups.
struct LineHits {
    line: Line,
    half: f32,
    prefix: Vec<u32>,
}

impl LineHits {
    fn new(line: Line, edges: &Edges) -> LineHits {
        let half = ((edges.width * edges.width + edges.height * edges.height) as f32).sqrt().ceil();
        let (c, s) = line.normal();
        let mut prefix = Vec::with_capacity(2 * half as usize + 2);
        prefix.push(0);
        let mut total = 0;
        for i in 0..=(2 * half as usize) {
            let t = i as f32 - half;
            total += u32::from(edges.is_edge_along(line.rho * c - t * s, line.rho * s + t * c, (c, s)));
            prefix.push(total);
        }
        LineHits { line, half, prefix }
    }

    /// Share of the stretch between `a` and `b` (points on the line; its
    /// middle 90 %) that is edge.
    fn support(&self, a: Point, b: Point) -> f32 {
        let (c, s) = self.line.normal();
        let along = |p: Point| -p.0 * s + p.1 * c;
        let (ta, tb) = (along(a).min(along(b)), along(a).max(along(b)));
        let margin = 0.05 * (tb - ta);
        let index = |t: f32| ((t + self.half).round().max(0.0) as usize).min(self.prefix.len() - 1);
        let (lo, hi) = (index(ta + margin), index(tb - margin));
        if hi <= lo {
            return 0.0;
        }
        (self.prefix[hi] - self.prefix[lo]) as f32 / (hi - lo) as f32
    }
}

/// The quadrilateral whose outline is best supported by edges.
fn best_quad(lines: &[Line], edges: &Edges) -> Option<[Point; 4]> {
    let (w, h) = (edges.width as f32, edges.height as f32);
    let hits: Vec<LineHits> = lines.iter().map(|l| LineHits::new(*l, edges)).collect();
    // Near-vertical lines (normal near horizontal) ordered left to right
    // by where they cross the middle row; near-horizontal ones top to bottom.
    let (mut verticals, mut horizontals) = (Vec::new(), Vec::new());
    for (i, l) in lines.iter().enumerate() {
        let (c, s) = l.normal();
        if c.abs() >= s.abs() {
            verticals.push((i, (l.rho - h / 2.0 * s) / c));
        } else {
            horizontals.push((i, (l.rho - w / 2.0 * c) / s));
        }
    }
    let min_side = w.min(h) * 0.2;
    let mut best: Option<(f32, [Point; 4])> = None;
    for (i, &(a, ax)) in verticals.iter().enumerate() {
        for &(b, bx) in &verticals[i + 1..] {
            let (left, right) = if ax <= bx { (a, b) } else { (b, a) };
            if (ax - bx).abs() < min_side {
                continue;
            }
            for (j, &(c, cy)) in horizontals.iter().enumerate() {
                for &(d, dy) in &horizontals[j + 1..] {
                    let (top, bottom) = if cy <= dy { (c, d) } else { (d, c) };
                    if (cy - dy).abs() < min_side {
                        continue;
                    }
                    let Some(quad) = corners_of(&lines[top], &lines[right], &lines[bottom], &lines[left]) else { continue };
                    if !plausible(&quad, w, h) {
                        continue;
                    }
                    let sides = [
                        (top, quad[0], quad[1]),
                        (right, quad[1], quad[2]),
                        (bottom, quad[2], quad[3]),
                        (left, quad[3], quad[0]),
                    ];
                    let mut weakest = 1.0f32;
                    let (mut weighted, mut perimeter) = (0.0, 0.0);
                    for (line, p, q) in sides {
                        let s = hits[line].support(p, q);
                        weakest = weakest.min(s);
                        weighted += s * distance(p, q);
                        perimeter += distance(p, q);
                    }
                    if weakest < 0.5 {
                        continue;
                    }
                    let score = weighted / perimeter + 0.2 * area(&quad) / (w * h);
                    if best.is_none_or(|(b, _)| score > b) {
                        best = Some((score, quad));
                    }
                }
            }
        }
    }
    best.map(|(_, q)| q)
}

fn corners_of(top: &Line, right: &Line, bottom: &Line, left: &Line) -> Option<[Point; 4]> {
    Some([top.intersect(left)?, top.intersect(right)?, bottom.intersect(right)?, bottom.intersect(left)?])
}

fn area(q: &[Point; 4]) -> f32 {
    let mut a = 0.0;
    for i in 0..4 {
        let (p, n) = (q[i], q[(i + 1) % 4]);
        a += p.0 * n.1 - n.0 * p.1;
    }
    a.abs() / 2.0
}

/// A sheet's outline: convex, inside the frame (a little slack), at least
/// 15 % of it, corners between 45° and 135°.
fn plausible(q: &[Point; 4], w: f32, h: f32) -> bool {
    let slack = 0.03 * w.max(h);
    if q.iter().any(|p| p.0 < -slack || p.1 < -slack || p.0 > w + slack || p.1 > h + slack) {
        return false;
    }
    if area(q) < 0.15 * w * h {
        return false;
    }
    let mut sign = 0.0f32;
    for i in 0..4 {
        let (a, b, c) = (q[(i + 3) % 4], q[i], q[(i + 1) % 4]);
        let (u, v) = ((a.0 - b.0, a.1 - b.1), (c.0 - b.0, c.1 - b.1));
        let cross = u.0 * v.1 - u.1 * v.0;
        if sign != 0.0 && cross.signum() != sign {
            return false;
        }
        sign = cross.signum();
        let cos = (u.0 * v.0 + u.1 * v.1) / ((u.0 * u.0 + u.1 * u.1).sqrt() * (v.0 * v.0 + v.1 * v.1).sqrt()).max(1e-6);
        if cos.abs() > 45f32.to_radians().cos() {
            return false;
        }
    }
    true
}

/// Locates each side again at full resolution near the coarse outline
/// (`factor` is the reduction it was found at) and intersects the sides.
fn refine(rgb: &Rgb, coarse: [Point; 4], factor: f32) -> [Point; 4] {
    let luma = |x: f32, y: f32| -> Option<f32> {
        let (x, y) = (x.round(), y.round());
        if x < 0.0 || y < 0.0 || x >= rgb.width as f32 || y >= rgb.height as f32 {
            return None;
        }
        let i = (y as usize * rgb.width as usize + x as usize) * 3;
        let p = &rgb.data[i..i + 3];
        Some(0.299 * f32::from(p[0]) + 0.587 * f32::from(p[1]) + 0.114 * f32::from(p[2]))
    };
    let reach = (2.0 * factor + 3.0).round() as i32;
    let mut sides = [Line { theta: 0.0, rho: 0.0 }; 4];
    for (k, side) in sides.iter_mut().enumerate() {
        let (a, b) = (coarse[k], coarse[(k + 1) % 4]);
        let coarse_line = Line::through(a, b);
        *side = coarse_line;
        let (nx, ny) = coarse_line.normal();
        let (tx, ty) = (-ny, nx);
        let mut points = Vec::new();
        const SAMPLES: usize = 60;
        for i in 0..SAMPLES {
            let t = 0.1 + 0.8 * i as f32 / (SAMPLES - 1) as f32;
            let (px, py) = (a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t);
            // Brightness across the side, averaged over 5 px along it.
            let profile: Vec<Option<f32>> = (-reach - 1..=reach + 1)
                .map(|s| {
                    let (cx, cy) = (px + nx * s as f32, py + ny * s as f32);
                    let mut sum = 0.0;
                    for d in -2..=2 {
                        sum += luma(cx + tx * d as f32, cy + ty * d as f32)?;
                    }
                    Some(sum / 5.0)
                })
                .collect();
            let step = |j: usize| -> Option<f32> { Some((profile[j + 1]? - profile[j - 1]?).abs()) };
            let mut best: Option<(usize, f32)> = None;
            for j in 1..profile.len() - 1 {
                if let Some(d) = step(j) {
                    if best.is_none_or(|(_, bd)| d > bd) {
                        best = Some((j, d));
                    }
                }
            }
            let Some((j, d)) = best else { continue };
            if d < 12.0 {
                continue;
            }
            // Parabola through the step's neighbours: sub-pixel position.
            let mut offset = j as f32;
            if let (Some(l), Some(r)) =
                (j.checked_sub(1).filter(|&l| l >= 1).and_then(step), (j + 1 < profile.len() - 1).then(|| step(j + 1)).flatten())
            {
                let denom = l - 2.0 * d + r;
                if denom.abs() > 1e-3 {
                    offset += (0.5 * (l - r) / denom).clamp(-0.5, 0.5);
                }
            }
            let s = offset - (reach + 1) as f32;
            points.push((px + nx * s, py + ny * s));
        }
        if let Some(line) = fit_line(&points) {
            // A refit that turned far from the coarse side found something else.
            let turned = (line.normal().0 * nx + line.normal().1 * ny).abs();
            if turned > 3f32.to_radians().cos() {
                *side = line;
            }
        }
    }
    let [top, right, bottom, left] = sides;
    corners_of(&top, &right, &bottom, &left).unwrap_or(coarse)
}

/// Least-squares line through points, refitted without those more than
/// 1.5 px (or three median deviations) away; `None` with too few points.
fn fit_line(points: &[Point]) -> Option<Line> {
    let fit = |pts: &[Point]| -> Option<Line> {
        if pts.len() < 10 {
            return None;
        }
        let n = pts.len() as f32;
        let (mx, my) = (pts.iter().map(|p| p.0).sum::<f32>() / n, pts.iter().map(|p| p.1).sum::<f32>() / n);
        let (mut sxx, mut syy, mut sxy) = (0.0, 0.0, 0.0);
        for p in pts {
            let (dx, dy) = (p.0 - mx, p.1 - my);
            sxx += dx * dx;
            syy += dy * dy;
            sxy += dx * dy;
        }
        // Direction of least spread is the normal.
        let angle = 0.5 * (2.0 * sxy).atan2(sxx - syy);
        let (dx, dy) = (angle.cos(), angle.sin());
        Some(Line::through((mx, my), (mx + dx, my + dy)))
    };
    let mut line = fit(points)?;
    for _ in 0..2 {
        let dist = |p: &Point| {
            let (c, s) = line.normal();
            (p.0 * c + p.1 * s - line.rho).abs()
        };
        let mut d: Vec<f32> = points.iter().map(dist).collect();
        d.sort_by(f32::total_cmp);
        let limit = (3.0 * d[d.len() / 2]).max(1.5);
        let kept: Vec<Point> = points.iter().copied().filter(|p| dist(p) <= limit).collect();
        line = fit(&kept)?;
    }
    Some(line)
}

/// Width-to-height ratio of the real rectangle whose photo has these
/// corners, with the camera's principal point at the image centre (Zhang
/// & He, whiteboard scanning): the focal length follows from the
/// quadrilateral unless the view is nearly frontal, where any plausible
/// focal length gives the same answer.
pub fn true_aspect(corners: [Point; 4], width: u32, height: u32) -> f32 {
    let (cx, cy) = (width as f64 / 2.0, height as f64 / 2.0);
    let m = |p: Point| [f64::from(p.0) - cx, f64::from(p.1) - cy, 1.0];
    // Zhang's numbering: m1 top-left, m2 top-right, m3 bottom-left, m4 bottom-right.
    let (m1, m2, m3, m4) = (m(corners[0]), m(corners[1]), m(corners[3]), m(corners[2]));
    let cross = |a: [f64; 3], b: [f64; 3]| [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
    let dot = |a: [f64; 3], b: [f64; 3]| a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
    let k2 = dot(cross(m1, m4), m3) / dot(cross(m2, m4), m3);
    let k3 = dot(cross(m1, m4), m2) / dot(cross(m3, m4), m2);
    let n2 = [k2 * m2[0] - m1[0], k2 * m2[1] - m1[1], k2 * m2[2] - m1[2]];
    let n3 = [k3 * m3[0] - m1[0], k3 * m3[1] - m1[1], k3 * m3[2] - m1[2]];
    let diag = (cx * cx + cy * cy).sqrt() * 2.0;
    let f2 = -(n2[0] * n3[0] + n2[1] * n3[1]) / (n2[2] * n3[2]);
    let f2 = if f2.is_finite() && f2 > (0.3 * diag).powi(2) && f2 < (4.0 * diag).powi(2) { f2 } else { (0.8 * diag).powi(2) };
    let norm = |n: [f64; 3]| (n[0] * n[0] + n[1] * n[1]) / f2 + n[2] * n[2];
    let ratio = (norm(n2) / norm(n3)).sqrt();
    if ratio.is_finite() && ratio > 0.0 {
        ratio as f32
    } else {
        let w = (distance(corners[0], corners[1]) + distance(corners[3], corners[2])) / 2.0;
        let h = (distance(corners[0], corners[3]) + distance(corners[1], corners[2])) / 2.0;
        w / h.max(1.0)
    }
}

/// How a photo or scan becomes an upright page before its profile is applied.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PageSetup {
    /// `None`: detect from the sheet's proportions (A series read as A4).
    pub paper: Option<Paper>,
    /// Look for the sheet's outline and cut the background away.
    pub crop: bool,
    /// Resolution the flattened page is made at (never above what the photo holds).
    pub target_dpi: f32,
}

impl Default for PageSetup {
    fn default() -> PageSetup {
        PageSetup { paper: None, crop: true, target_dpi: crate::PAGE_DPI }
    }
}

/// An upright page and the resolution it is at.
#[derive(Clone, Debug, PartialEq)]
pub struct Flattened {
    pub rgb: Rgb,
    pub dpi: f32,
    pub paper: Paper,
    /// The sheet's corners in the input, when it was found and cut out.
    pub corners: Option<[Point; 4]>,
    /// `Some(skew)` when the text lines, found turned counter-clockwise by
    /// `skew` degrees, were already straightened inside the warp (0 when
    /// under a tenth of a degree and left alone): not to be turned again.
    pub skew_degrees: Option<f32>,
}

/// Finds the sheet and maps it to its true size at the target resolution
/// (or the photo's own, when lower: pixels are never invented). A scan,
/// or a photo without visible edges, is kept whole; its resolution is
/// taken from the paper size (A4 unless chosen) framing its long side.
pub fn flatten(rgb: Rgb, setup: &PageSetup) -> Flattened {
    let corners = if setup.crop { find_corners(&rgb) } else { None };
    match corners {
        Some(corners) => flatten_at(rgb, corners, setup),
        None => whole(rgb, setup.paper.unwrap_or(Paper::A4)),
    }
}

/// [`flatten`] with the sheet's corners already known (top-left, top-right,
/// bottom-right, bottom-left, in input pixels): detected, or placed by hand
/// when detection went wrong.
pub fn flatten_at(rgb: Rgb, corners: [Point; 4], setup: &PageSetup) -> Flattened {
    let (w, h, dpi, paper) = sheet_size(&rgb, corners, setup);
    match crate::warp::warp(&rgb, corners, w, h, [255; 3]) {
        Some(page) => Flattened { rgb: page, dpi, paper, corners: Some(corners), skew_degrees: None },
        None => whole(rgb, paper),
    }
}

/// The photo kept whole: its resolution from the paper framing its long side.
fn whole(rgb: Rgb, paper: Paper) -> Flattened {
    let dpi = rgb.width.max(rgb.height) as f32 / paper.inches().1;
    Flattened { rgb, dpi, paper, corners: None, skew_degrees: None }
}

/// Output size, resolution and paper of the sheet with these corners.
fn sheet_size(rgb: &Rgb, corners: [Point; 4], setup: &PageSetup) -> (u32, u32, f32, Paper) {
    let aspect = true_aspect(corners, rgb.width, rgb.height);
    let paper = setup.paper.unwrap_or_else(|| Paper::from_aspect(aspect.max(1.0 / aspect)));
    let (short, long) = paper.inches();
    let (w_in, h_in) = if aspect > 1.0 { (long, short) } else { (short, long) };
    let across = (distance(corners[0], corners[1]) + distance(corners[3], corners[2])) / 2.0;
    let down = (distance(corners[0], corners[3]) + distance(corners[1], corners[2])) / 2.0;
    let held = (across / w_in).max(down / h_in);
    let dpi = setup.target_dpi.min(held.round().max(1.0));
    let (w, h) = (((w_in * dpi).round() as u32).max(1), ((h_in * dpi).round() as u32).max(1));
    (w, h, dpi, paper)
}

/// [`flatten`] that also straightens the text lines (chỉnh nghiêng) in the
/// same resample. A scan without a sheet outline is kept whole and left
/// for [`crate::profile::process`] to straighten.
pub fn flatten_straight(rgb: Rgb, setup: &PageSetup, rotation: u16) -> Flattened {
    match if setup.crop { find_corners(&rgb) } else { None } {
        Some(corners) => flatten_at_straight(rgb, corners, setup, rotation),
        None => whole(rgb, setup.paper.unwrap_or(Paper::A4)),
    }
}

/// [`flatten_at`] that also straightens the text lines: the skew is
/// measured on a small nearest-pixel warp of the sheet (as the page will stand after
/// `rotation`, clockwise quarter turns still to come), then one full warp
/// folds the turn into the homography. One bilinear resample instead of
/// two: sharper strokes, and the full-size rotation's time saved.
pub fn flatten_at_straight(rgb: Rgb, corners: [Point; 4], setup: &PageSetup, rotation: u16) -> Flattened {
    let (w, h, dpi, paper) = sheet_size(&rgb, corners, setup);
    let upright_width = if (rotation / 90) % 2 == 1 { h } else { w };
    // Measured on a copy about 500–800 px across (a 200 dpi A4 page: a
    // third, ≈ 67 dpi): text lines are still lines, and the angle found is
    // the one a half-size copy gives, within 0.05°, for a third of the time.
    let factor = (upright_width / 500).clamp(1, 3).min(w.min(h));
    let Some(small) = crate::warp::warp_sampled(&rgb, corners, w / factor, h / factor, [255; 3]) else {
        return whole(rgb, paper);
    };
    let small = crate::pipeline::rotate_quarters(small, rotation);
    let bits = crate::binarize::binarize(&small.luma(), dpi / factor as f32);
    let angle = crate::deskew::estimate(&bits);
    // Under a tenth of a degree the turn's blur costs more than it fixes.
    let (turn, fill) = if angle.abs() >= crate::deskew::MIN_SKEW_DEGREES {
        (angle, crate::deskew::paper_colour_sampled(&small, &bits, 1))
    } else {
        (0.0, [255; 3])
    };
    // Turns about the centre commute with the quarter turns still to come.
    match crate::warp::warp_turned(&rgb, corners, w, h, -turn, fill) {
        Some(page) => Flattened { rgb: page, dpi, paper, corners: Some(corners), skew_degrees: Some(turn) },
        None => whole(rgb, paper),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpage::{photograph, render, seal_circle, Background, Camera, Scene};

    /// A sheet of `mm` rendered at 60 dpi with a seal (to tell up from down).
    fn sheet(mm: (f32, f32), seed: u32) -> (Rgb, Scene) {
        let scene = Scene {
            width: (mm.0 / 25.4 * 60.0).round() as u32,
            height: (mm.1 / 25.4 * 60.0).round() as u32,
            dpi: 60.0,
            seal: true,
            seed,
            ..Scene::default()
        };
        (render(&scene).0, scene)
    }

    fn camera(mm: (f32, f32)) -> Camera {
        Camera { frame: (960, 720), mm, yaw: 0.0, pitch: 0.0, roll: 0.0, focal: 0.7, fill: 0.8, offset: (0.0, 0.0) }
    }

    fn worst_corner_error(found: [Point; 4], truth: [Point; 4]) -> f32 {
        found.iter().zip(&truth).map(|(a, b)| distance(*a, *b)).fold(0.0, f32::max)
    }

    #[test]
    fn finds_corners_on_dark_light_and_textured_backgrounds() {
        let a4 = Paper::A4.mm();
        let cases = [
            (Background::Dark, Camera { yaw: 8.0, pitch: 18.0, roll: -6.0, ..camera(a4) }, 0.3),
            (Background::Light, Camera { yaw: -5.0, pitch: -12.0, roll: 10.0, offset: (0.05, -0.02), ..camera(a4) }, 0.3),
            (Background::Textured, Camera { yaw: 14.0, pitch: 10.0, fill: 0.7, ..camera(a4) }, 0.25),
        ];
        for (i, (background, cam, falloff)) in cases.into_iter().enumerate() {
            let (page, _) = sheet(a4, i as u32 + 1);
            let (photo, truth) = photograph(&page, &cam, background, falloff, 6, i as u32);
            let found = find_corners(&photo).unwrap_or_else(|| panic!("{background:?}: no sheet found"));
            let err = worst_corner_error(found, truth);
            println!("{background:?}: worst corner {err:.2} px; found {found:?}, truth {truth:?}");
            assert!(err <= 3.0, "{background:?}: a corner is {err:.1} px off: {found:?} vs {truth:?}");
            let aspect = true_aspect(found, photo.width, photo.height);
            assert_eq!(Paper::from_aspect(1.0 / aspect), Paper::A4, "{background:?}: aspect {aspect}");
        }
    }

    #[test]
    fn tells_letter_and_id_card_from_a4() {
        for (paper, cam) in [
            (Paper::Letter, Camera { pitch: 15.0, roll: 8.0, yaw: -4.0, ..camera(Paper::Letter.mm()) }),
            (Paper::IdCard, Camera { pitch: -10.0, yaw: 6.0, fill: 0.6, ..camera(Paper::IdCard.mm()) }),
            (Paper::A4, Camera { pitch: 25.0, roll: -12.0, ..camera(Paper::A4.mm()) }),
        ] {
            let (page, _) = sheet(paper.mm(), 3);
            let (photo, truth) = photograph(&page, &cam, Background::Dark, 0.2, 4, 9);
            let found = find_corners(&photo).expect("sheet found");
            assert!(worst_corner_error(found, truth) <= 3.0, "{paper:?}: {found:?} vs {truth:?}");
            let aspect = true_aspect(found, photo.width, photo.height);
            println!("{paper:?}: aspect {aspect:.3} (true {:.3})", paper.mm().0 / paper.mm().1);
            assert!((aspect - paper.mm().0 / paper.mm().1).abs() < 0.03, "{paper:?}: aspect {aspect}");
            assert_eq!(Paper::from_aspect(1.0 / aspect), paper);
        }
    }

    /// A sheet whose text is turned 2.5° on the paper, photographed in
    /// perspective on a dark table.
    fn skewed_sheet_photo(skew: f32) -> (Rgb, [Point; 4]) {
        let a4 = Paper::A4.mm();
        let scene = Scene { width: 1240, height: 1754, dpi: 150.0, skew_degrees: skew, noise: 3, seed: 11, ..Scene::default() };
        let (page, _) = render(&scene);
        let cam = Camera { frame: (2000, 1500), yaw: 7.0, pitch: 16.0, roll: -3.0, fill: 0.85, ..camera(a4) };
        photograph(&page, &cam, Background::Dark, 0.2, 3, 4)
    }

    /// Sum of squared luma steps to the right and down: lower when blurred.
    fn sharpness(rgb: &Rgb) -> f64 {
        let g = rgb.luma();
        let w = g.width as usize;
        let mut sum = 0f64;
        for y in 0..g.height as usize - 1 {
            for x in 0..w - 1 {
                let v = i32::from(g.data[y * w + x]);
                sum += f64::from((v - i32::from(g.data[y * w + x + 1])).pow(2) + (v - i32::from(g.data[(y + 1) * w + x])).pow(2));
            }
        }
        sum
    }

    #[test]
    fn skewed_photo_is_straightened_inside_the_one_warp() {
        use crate::binarize::binarize;
        use crate::deskew::{estimate, paper_colour, rotate};
        let (photo, truth) = skewed_sheet_photo(2.5);
        let setup = PageSetup::default();
        let flat = flatten_straight(photo.clone(), &setup, 0);
        assert_eq!(flat.corners.map(|c| worst_corner_error(c, truth) < 3.0), Some(true), "{:?}", flat.corners);
        let skew = flat.skew_degrees.expect("straightened in the warp");
        assert!((skew - 2.5).abs() <= 0.25, "skew found {skew}");
        // Text lines come out horizontal.
        let left = estimate(&binarize(&flat.rgb.luma(), flat.dpi));
        assert!(left.abs() <= 0.1, "{left}° left after straightening");
        // The four corners turned in are paper, not the dark table.
        let (w, h) = (flat.rgb.width, flat.rgb.height);
        for (x, y) in [(2, 2), (w - 3, 2), (w - 3, h - 3), (2, h - 3), (w / 2, 1), (1, h / 2)] {
            let i = ((y * w + x) * 3) as usize;
            let p = &flat.rgb.data[i..i + 3];
            assert!(p.iter().all(|&c| c > 170), "({x}, {y}) is {p:?}");
        }
        // Same size and place as the plain warp, and sharper than the plain
        // warp turned afterwards (two bilinear resamples).
        let plain = flatten_at(photo, flat.corners.unwrap(), &setup);
        assert_eq!((plain.rgb.width, plain.rgb.height, plain.dpi), (w, h, flat.dpi));
        let bits = binarize(&plain.rgb.luma(), plain.dpi);
        let twice = rotate(&plain.rgb, -skew, paper_colour(&plain.rgb, &bits));
        let (once, two) = (sharpness(&flat.rgb), sharpness(&twice));
        println!("sharpness: one resample {once:.3e}, two {two:.3e}");
        assert!(once > two * 1.03, "one resample {once:.3e} vs two {two:.3e}");
    }

    /// The skew is measured on the page as it will stand after the quarter
    /// turns asked for, so a sheet photographed sideways is straightened too.
    #[test]
    fn skew_is_measured_after_the_quarter_turn() {
        use crate::binarize::binarize;
        let (photo, _) = skewed_sheet_photo(-1.8);
        // The photo taken sideways: its sheet is landscape, text running down.
        let sideways = crate::pipeline::rotate_quarters(photo, 270);
        let flat = flatten_straight(sideways, &PageSetup::default(), 90);
        let skew = flat.skew_degrees.expect("straightened in the warp");
        assert!((skew + 1.8).abs() <= 0.25, "skew found {skew}");
        let upright = crate::pipeline::rotate_quarters(flat.rgb, 90);
        assert!(upright.height > upright.width);
        let left = crate::deskew::estimate(&binarize(&upright.luma(), flat.dpi));
        assert!(left.abs() <= 0.1, "{left}° left");
        // Without corners nothing is turned here: `process` does it.
        let scan = flatten_straight(render(&Scene { width: 300, height: 424, ..Scene::default() }).0, &PageSetup::default(), 0);
        assert_eq!((scan.corners, scan.skew_degrees), (None, None));
    }

    #[test]
    fn a_scan_filling_the_frame_has_no_outline() {
        let (page, _) = render(&Scene {
            width: 620,
            height: 877,
            dpi: 75.0,
            seal: true,
            signature: true,
            noise: 4,
            blur: true,
            skew_degrees: 1.5,
            ..Scene::default()
        });
        assert_eq!(find_corners(&page), None);
        let flat = flatten(page.clone(), &PageSetup::default());
        assert_eq!((flat.corners, flat.rgb.width, flat.paper), (None, 620, Paper::A4));
        assert!((flat.dpi - 877.0 / (297.0 / 25.4)).abs() < 0.1, "{}", flat.dpi);
    }

    #[test]
    fn flattened_photo_is_upright_and_true_size() {
        let a4 = Paper::A4.mm();
        let (page, scene) = sheet(a4, 5);
        let cam = Camera { frame: (1280, 960), yaw: -7.0, pitch: 20.0, roll: 5.0, fill: 0.85, ..camera(a4) };
        let (photo, _) = photograph(&page, &cam, Background::Textured, 0.3, 5, 2);
        let flat = flatten(photo.clone(), &PageSetup { target_dpi: 200.0, ..PageSetup::default() });
        assert!(flat.corners.is_some());
        assert_eq!(flat.paper, Paper::A4);
        // The sheet spans ~800 px of the photo: about 70 dpi, never enlarged to 200.
        assert!(flat.dpi > 55.0 && flat.dpi < 90.0, "{}", flat.dpi);
        let (w_in, h_in) = (flat.rgb.width as f32 / flat.dpi, flat.rgb.height as f32 / flat.dpi);
        assert!((w_in - 210.0 / 25.4).abs() < 0.03 && (h_in - 297.0 / 25.4).abs() < 0.03, "{w_in} × {h_in} in");
        // Upright: the red seal is where the page has it, not rotated or mirrored.
        let (mut sx, mut sy, mut n) = (0.0, 0.0, 0.0);
        for (i, p) in flat.rgb.data.chunks_exact(3).enumerate() {
            if p[0] > 120 && p[0] as i32 - p[1] as i32 > 60 {
                sx += (i % flat.rgb.width as usize) as f32;
                sy += (i / flat.rgb.width as usize) as f32;
                n += 1.0;
            }
        }
        assert!(n > 50.0, "seal lost");
        let (cx, cy, _) = seal_circle(&scene);
        let (rx, ry) = (sx / n / flat.rgb.width as f32, sy / n / flat.rgb.height as f32);
        println!("seal at {rx:.3}, {ry:.3}");
        assert!((rx - cx / scene.width as f32).abs() < 0.02 && (ry - cy / scene.height as f32).abs() < 0.02, "{rx} {ry}");
        // Chosen paper wins over detection; no crop keeps the photo whole.
        assert_eq!(flatten(photo.clone(), &PageSetup { paper: Some(Paper::A5), ..PageSetup::default() }).paper, Paper::A5);
        let whole = flatten(photo, &PageSetup { crop: false, ..PageSetup::default() });
        assert_eq!((whole.corners, whole.rgb.width), (None, 1280));
    }
}

//! The corner editor's model (chỉnh góc): the four corners of the sheet in a
//! photo, as the clerk corrects them when detection was wrong — by dragging
//! (mouse or finger) or by keyboard — plus the mapping between the shown
//! preview and the source photo and the magnifier's window. Pure, so the
//! browser component only draws and forwards events.
//!
//! Corners are in source pixels, in the order [`crate::find_corners`] and
//! [`crate::warp::warp`] use: top-left, top-right, bottom-right, bottom-left.

pub use crate::warp::Point;

/// Four corners: top-left, top-right, bottom-right, bottom-left.
pub type Quad = [Point; 4];

/// Radius around a handle, in CSS pixels, that picks it: half of the
/// 44 px touch target phones ask for.
pub const HIT_RADIUS: f32 = 22.0;

/// Magnification of the loupe.
pub const ZOOM: f32 = 4.0;

/// Fraction of the shorter side left around the default quad, so its
/// handles are visible and grabbable inside the photo's border.
const DEFAULT_INSET: f32 = 0.04;

/// A quad must cover at least this fraction of the photo: a smaller one is
/// a slip of the finger, not a sheet.
const MIN_AREA: f32 = 0.01;

/// Why four corners cannot be a sheet.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuadError {
    /// A corner lies outside the photo.
    Outside,
    /// Two corners (nearly) coincide, or the quad is too small.
    Degenerate,
    /// The outline folds in on itself (concave or crossed).
    NotConvex,
}

/// The photo's extent in its own pixels: corners live in `[0, w-1] × [0, h-1]`.
fn limits(width: u32, height: u32) -> (f32, f32) {
    (width.saturating_sub(1) as f32, height.saturating_sub(1) as f32)
}

fn clamp_point((x, y): Point, width: u32, height: u32) -> Point {
    let (mx, my) = limits(width, height);
    (x.clamp(0.0, mx), y.clamp(0.0, my))
}

/// z of (b − a) × (c − b); positive when a → b → c turns clockwise on screen (y down).
fn turn(a: Point, b: Point, c: Point) -> f32 {
    (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0)
}

/// Signed area (positive for the clockwise screen order TL, TR, BR, BL).
pub fn area(q: &Quad) -> f32 {
    let mut s = 0.0;
    for i in 0..4 {
        let (a, b) = (q[i], q[(i + 1) % 4]);
        s += a.0 * b.1 - b.0 * a.1;
    }
    s / 2.0
}

/// Puts four points in the order top-left, top-right, bottom-right,
/// bottom-left: around their centre clockwise, starting from the one
/// nearest the photo's top-left (smallest x + y).
pub fn order(points: [Point; 4]) -> Quad {
    let cx = points.iter().map(|p| p.0).sum::<f32>() / 4.0;
    let cy = points.iter().map(|p| p.1).sum::<f32>() / 4.0;
    let mut sorted = points;
    // atan2 grows clockwise on screen because y points down.
    sorted.sort_by(|a, b| (a.1 - cy).atan2(a.0 - cx).total_cmp(&(b.1 - cy).atan2(b.0 - cx)));
    let first = (0..4).min_by(|&i, &j| (sorted[i].0 + sorted[i].1).total_cmp(&(sorted[j].0 + sorted[j].1))).unwrap_or(0);
    [sorted[first], sorted[(first + 1) % 4], sorted[(first + 2) % 4], sorted[(first + 3) % 4]]
}

/// Checks that `q` (in order) is a sheet inside a `width` × `height` photo:
/// every corner inside, convex, clockwise, and not vanishingly small.
pub fn validate(q: &Quad, width: u32, height: u32) -> Result<(), QuadError> {
    let (mx, my) = limits(width, height);
    if q.iter().any(|&(x, y)| !(0.0..=mx).contains(&x) || !(0.0..=my).contains(&y)) {
        return Err(QuadError::Outside);
    }
    let min_side = 0.01 * width.min(height) as f32;
    for i in 0..4 {
        if crate::warp::distance(q[i], q[(i + 1) % 4]) < min_side.max(1.0) {
            return Err(QuadError::Degenerate);
        }
    }
    if (0..4).any(|i| turn(q[i], q[(i + 1) % 4], q[(i + 2) % 4]) <= 0.0) {
        return Err(QuadError::NotConvex);
    }
    if area(q) < MIN_AREA * width as f32 * height as f32 {
        return Err(QuadError::Degenerate);
    }
    Ok(())
}

/// The quad offered when detection found no sheet: the whole photo, inset
/// a little so each handle can be seen and taken.
pub fn default_quad(width: u32, height: u32) -> Quad {
    let (mx, my) = limits(width, height);
    let d = DEFAULT_INSET * mx.min(my);
    [(d, d), (mx - d, d), (mx - d, my - d), (d, my - d)]
}

/// Where the editor starts: the detected corners, put in order and clamped
/// into the photo, unless they do not make a sheet — then the default quad.
pub fn initial(detected: Option<Quad>, width: u32, height: u32) -> Quad {
    detected
        .map(|q| order(q.map(|p| clamp_point(p, width, height))))
        .filter(|q| validate(q, width, height).is_ok())
        .unwrap_or_else(|| default_quad(width, height))
}

/// Moves corner `i` toward `to` (source pixels), clamped into the photo.
/// When the target would fold the quad, the corner stops at the last
/// position on the way that keeps it a sheet, so dragging past a
/// neighbour never breaks the outline.
pub fn drag(q: &Quad, i: usize, to: Point, width: u32, height: u32) -> Quad {
    let i = i % 4;
    let to = clamp_point(to, width, height);
    let with = |p: Point| {
        let mut next = *q;
        next[i] = p;
        next
    };
    let target = with(to);
    if validate(&target, width, height).is_ok() {
        return target;
    }
    if validate(q, width, height).is_err() {
        // Nothing valid to keep: follow the pointer (clamped) so the clerk can repair it.
        return target;
    }
    // Bisection on the segment from the current corner to the target.
    let from = q[i];
    let (mut good, mut bad) = (0.0f32, 1.0f32);
    for _ in 0..24 {
        let mid = (good + bad) / 2.0;
        let p = (from.0 + (to.0 - from.0) * mid, from.1 + (to.1 - from.1) * mid);
        if validate(&with(p), width, height).is_ok() {
            good = mid;
        } else {
            bad = mid;
        }
    }
    with((from.0 + (to.0 - from.0) * good, from.1 + (to.1 - from.1) * good))
}

/// How the photo is shown: `source` pixels drawn into `shown` CSS pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub source: (u32, u32),
    pub shown: (f32, f32),
}

impl View {
    /// Source pixels per shown pixel, horizontally and vertically.
    pub fn scale(&self) -> (f32, f32) {
        (self.source.0 as f32 / self.shown.0.max(1e-3), self.source.1 as f32 / self.shown.1.max(1e-3))
    }

    /// A point on the preview (relative to its top-left) in source pixels.
    pub fn to_source(&self, (x, y): Point) -> Point {
        let (sx, sy) = self.scale();
        (x * sx, y * sy)
    }

    /// A source point where it shows on the preview.
    pub fn to_shown(&self, (x, y): Point) -> Point {
        let (sx, sy) = self.scale();
        (x / sx, y / sy)
    }

    /// The corner under a pointer at `at` (preview pixels): the nearest one
    /// within `radius` preview pixels, measured on the preview so a finger
    /// hits the same on a small phone preview as a mouse on a large one.
    pub fn hit(&self, q: &Quad, at: Point, radius: f32) -> Option<usize> {
        (0..4)
            .map(|i| (i, crate::warp::distance(self.to_shown(q[i]), at)))
            .filter(|&(_, d)| d <= radius)
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(i, _)| i)
    }

    /// Keyboard nudge of corner `i` by (`dx`, `dy`) preview pixels (arrows:
    /// 1, with Shift: 10), as a drag in source pixels.
    pub fn nudge(&self, q: &Quad, i: usize, dx: f32, dy: f32) -> Quad {
        let (sx, sy) = self.scale();
        let p = q[i % 4];
        drag(q, i, (p.0 + dx * sx, p.1 + dy * sy), self.source.0, self.source.1)
    }

    /// The loupe's window: the source rectangle that a `size`-pixel loupe
    /// shows at [`ZOOM`] around `at`, shifted (not shrunk) to stay inside
    /// the photo, so the corner is off-centre near an edge rather than
    /// beside an empty margin.
    pub fn loupe(&self, at: Point, size: f32) -> Loupe {
        let (sx, sy) = self.scale();
        let w = (size / ZOOM * sx).min(self.source.0 as f32).max(1.0);
        let h = (size / ZOOM * sy).min(self.source.1 as f32).max(1.0);
        let x = (at.0 - w / 2.0).clamp(0.0, (self.source.0 as f32 - w).max(0.0));
        let y = (at.1 - h / 2.0).clamp(0.0, (self.source.1 as f32 - h).max(0.0));
        Loupe { x, y, w, h, at }
    }
}

/// A source rectangle for the magnifier, and the corner inside it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Loupe {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub at: Point,
}

impl Loupe {
    /// Where the crosshair goes, as fractions (0..=1) of the loupe.
    pub fn crosshair(&self) -> (f32, f32) {
        (((self.at.0 - self.x) / self.w).clamp(0.0, 1.0), ((self.at.1 - self.y) / self.h).clamp(0.0, 1.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const W: u32 = 1200;
    const H: u32 = 1600;

    fn point() -> impl Strategy<Value = Point> {
        (0.0f32..W as f32 - 1.0, 0.0f32..H as f32 - 1.0)
    }

    fn valid_quad() -> impl Strategy<Value = Quad> {
        // A jittered rectangle: always convex, corners in their boxes.
        (
            (20.0f32..300.0, 20.0f32..300.0),
            (900.0f32..1180.0, 20.0f32..300.0),
            (900.0f32..1180.0, 1300.0f32..1580.0),
            (20.0f32..300.0, 1300.0f32..1580.0),
        )
            .prop_map(|(a, b, c, d)| [a, b, c, d])
    }

    #[test]
    fn order_of_a_shuffled_rectangle() {
        let q = [(10.0, 20.0), (900.0, 30.0), (880.0, 1200.0), (15.0, 1190.0)];
        for perm in [[2, 0, 3, 1], [3, 2, 1, 0], [1, 3, 0, 2]] {
            assert_eq!(order(perm.map(|i| q[i])), q);
        }
    }

    #[test]
    fn validate_tells_what_is_wrong() {
        let ok = [(10.0, 10.0), (1000.0, 10.0), (1000.0, 1500.0), (10.0, 1500.0)];
        assert_eq!(validate(&ok, W, H), Ok(()));
        let mut out = ok;
        out[2] = (1200.0, 1500.0);
        assert_eq!(validate(&out, W, H), Err(QuadError::Outside));
        let crossed = [ok[0], ok[1], ok[3], ok[2]];
        assert_eq!(validate(&crossed, W, H), Err(QuadError::NotConvex));
        let mut dent = ok;
        dent[1] = (200.0, 1000.0); // inside the triangle of the others: concave
        assert_eq!(validate(&dent, W, H), Err(QuadError::NotConvex));
        let mut twin = ok;
        twin[1] = (10.5, 10.0);
        assert_eq!(validate(&twin, W, H), Err(QuadError::Degenerate));
        let tiny = [(10.0, 10.0), (60.0, 10.0), (60.0, 60.0), (10.0, 60.0)];
        assert_eq!(validate(&tiny, W, H), Err(QuadError::Degenerate));
        let anticlockwise = [ok[0], ok[3], ok[2], ok[1]];
        assert_eq!(validate(&anticlockwise, W, H), Err(QuadError::NotConvex));
    }

    #[test]
    fn default_quad_is_inset_and_valid() {
        for (w, h) in [(W, H), (4000, 3000), (64, 64), (33, 500)] {
            let q = default_quad(w, h);
            assert_eq!(validate(&q, w, h), Ok(()), "{w}×{h}");
            assert!(q[0].0 > 0.0 && q[0].1 > 0.0 && q[2].0 < (w - 1) as f32 && q[2].1 < (h - 1) as f32);
        }
    }

    #[test]
    fn initial_falls_back_when_detection_is_unusable() {
        assert_eq!(initial(None, W, H), default_quad(W, H));
        let line = [(0.0, 0.0), (10.0, 10.0), (20.0, 20.0), (30.0, 30.0)];
        assert_eq!(initial(Some(line), W, H), default_quad(W, H));
        // Slightly outside (rounding in detection): clamped, kept.
        let q = [(-2.0, 5.0), (1203.0, 4.0), (1190.0, 1605.0), (3.0, 1590.0)];
        assert_eq!(initial(Some(q), W, H), [(0.0, 5.0), (1199.0, 4.0), (1190.0, 1599.0), (3.0, 1590.0)]);
    }

    #[test]
    fn preview_mapping_and_hit() {
        let view = View { source: (4000, 3000), shown: (800.0, 600.0) };
        assert_eq!(view.to_source((100.0, 50.0)), (500.0, 250.0));
        assert_eq!(view.to_shown((500.0, 250.0)), (100.0, 50.0));
        let q = [(500.0, 250.0), (3500.0, 250.0), (3500.0, 2750.0), (500.0, 2750.0)];
        assert_eq!(view.hit(&q, (110.0, 60.0), HIT_RADIUS), Some(0));
        assert_eq!(view.hit(&q, (690.0, 545.0), HIT_RADIUS), Some(2));
        assert_eq!(view.hit(&q, (400.0, 300.0), HIT_RADIUS), None);
        // 23 preview px away is outside the radius even though it is 115 source px.
        assert_eq!(view.hit(&q, (123.0, 50.0), HIT_RADIUS), None);
    }

    #[test]
    fn nudge_moves_by_preview_pixels() {
        let view = View { source: (4000, 3000), shown: (800.0, 600.0) };
        let q = [(500.0, 250.0), (3500.0, 250.0), (3500.0, 2750.0), (500.0, 2750.0)];
        assert_eq!(view.nudge(&q, 1, 1.0, 0.0)[1], (3505.0, 250.0));
        assert_eq!(view.nudge(&q, 3, 0.0, -10.0)[3], (500.0, 2700.0));
        // At the border: clamped.
        let near = view.nudge(&q, 0, -1000.0, 0.0);
        assert_eq!(near[0], (0.0, 250.0));
        assert_eq!(&near[1..], &q[1..]);
    }

    #[test]
    fn loupe_window() {
        let view = View { source: (4000, 3000), shown: (800.0, 600.0) };
        // 160 px loupe at 4×: 40 preview px = 200 source px, centred.
        let l = view.loupe((2000.0, 1500.0), 160.0);
        assert_eq!((l.x, l.y, l.w, l.h), (1900.0, 1400.0, 200.0, 200.0));
        assert_eq!(l.crosshair(), (0.5, 0.5));
        // At the top-left corner: shifted inside, crosshair off-centre.
        let l = view.loupe((20.0, 0.0), 160.0);
        assert_eq!((l.x, l.y), (0.0, 0.0));
        assert_eq!(l.crosshair(), (0.1, 0.0));
        let l = view.loupe((3999.0, 2999.0), 160.0);
        assert_eq!((l.x + l.w, l.y + l.h), (4000.0, 3000.0));
    }

    proptest! {
        #[test]
        fn order_is_a_permutation_and_makes_rectangles_valid(q in valid_quad(), perm in Just([0usize, 1, 2, 3]).prop_shuffle()) {
            let shuffled = [q[perm[0]], q[perm[1]], q[perm[2]], q[perm[3]]];
            let o = order(shuffled);
            prop_assert_eq!(validate(&o, W, H), Ok(()));
            for p in q {
                prop_assert!(o.contains(&p));
            }
            // The generated quads' corners sit in their quadrant boxes: order finds them back.
            prop_assert_eq!(o, q);
        }

        #[test]
        fn drag_keeps_a_valid_quad_valid(q in valid_quad(), i in 0usize..4, to in (-500.0f32..2000.0, -500.0f32..2200.0)) {
            let moved = drag(&q, i, to, W, H);
            prop_assert_eq!(validate(&moved, W, H), Ok(()));
            for j in (0..4).filter(|&j| j != i) {
                prop_assert_eq!(moved[j], q[j]);
            }
            // When the clamped target is itself valid, the corner gets there.
            let mut wanted = q;
            wanted[i] = (to.0.clamp(0.0, (W - 1) as f32), to.1.clamp(0.0, (H - 1) as f32));
            if validate(&wanted, W, H).is_ok() {
                prop_assert_eq!(moved, wanted);
            }
        }

        #[test]
        fn mapping_round_trips(p in point(), shown_w in 100.0f32..2000.0) {
            let shown = (shown_w, shown_w * H as f32 / W as f32);
            let view = View { source: (W, H), shown };
            let back = view.to_source(view.to_shown(p));
            prop_assert!((back.0 - p.0).abs() < 0.01 && (back.1 - p.1).abs() < 0.01);
        }

        #[test]
        fn loupe_stays_inside_and_holds_the_corner(p in point(), size in 40.0f32..400.0, shown_w in 200.0f32..1200.0) {
            let view = View { source: (W, H), shown: (shown_w, shown_w * H as f32 / W as f32) };
            let l = view.loupe(p, size);
            prop_assert!(l.x >= 0.0 && l.y >= 0.0);
            prop_assert!(l.x + l.w <= W as f32 + 0.01 && l.y + l.h <= H as f32 + 0.01);
            prop_assert!(p.0 >= l.x - 0.01 && p.0 <= l.x + l.w + 0.01 && p.1 >= l.y - 0.01 && p.1 <= l.y + l.h + 0.01);
            let expected = size / ZOOM * W as f32 / shown_w;
            prop_assert!((l.w - expected.min(W as f32)).abs() < 0.01);
        }
    }
}

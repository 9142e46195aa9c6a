//! One photo or scan into one page (số hóa một trang), the same way in
//! every host: `hoso scan` natively and the app's web worker in the
//! browser call [`scan`] on pixels they decoded themselves.
//!
//! Find the sheet (or take the corners the clerk placed), flatten it to its
//! true size and straighten its text lines in the same resample, turn it
//! by the quarter turns asked for, then encode it with
//! its profile. A small colour thumbnail of the flattened page is made on
//! the way for screens that cannot show a G4 page.

use crate::detect::{flatten, flatten_at, flatten_at_straight, flatten_straight, PageSetup, Paper};
use crate::profile::{encode_jpeg, process, process_straightened, ProcessedPage, ScanOptions};
use crate::raster::{resize, Rgb};
use crate::warp::Point;
use crate::ImageError;

/// What to do with one image.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanRequest {
    pub options: ScanOptions,
    pub setup: PageSetup,
    /// Clockwise quarter turns applied to the flattened page: 0, 90, 180 or
    /// 270 (anything else is rounded down to one of them).
    pub rotation: u16,
    /// The sheet's corners in the input (top-left, top-right, bottom-right,
    /// bottom-left); `None` finds them (when `setup.crop`).
    pub corners: Option<[Point; 4]>,
    /// Long side of the thumbnail in pixels; 0 makes none.
    pub thumb_long: u32,
}

impl Default for ScanRequest {
    fn default() -> ScanRequest {
        ScanRequest {
            options: ScanOptions::default(),
            setup: PageSetup::default(),
            rotation: 0,
            corners: None,
            thumb_long: 0,
        }
    }
}

/// Steps of one page, reported as they finish (for a progress bar).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    /// The host has the pixels.
    Decoded,
    /// The sheet is cut out and flat.
    SheetFound,
    /// The page is encoded with its profile.
    Encoded,
}

impl Stage {
    pub const ALL: [Stage; 3] = [Stage::Decoded, Stage::SheetFound, Stage::Encoded];

    /// 1, 2, 3: steps done.
    pub fn done(self) -> u8 {
        match self {
            Stage::Decoded => 1,
            Stage::SheetFound => 2,
            Stage::Encoded => 3,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Stage::Decoded => "decoded",
            Stage::SheetFound => "sheet_found",
            Stage::Encoded => "encoded",
        }
    }

    pub fn parse(s: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|st| st.name() == s)
    }
}

/// One page made.
#[derive(Clone, Debug, PartialEq)]
pub struct Scanned {
    pub page: ProcessedPage,
    /// Corners used in the input: found, given, or `None` (kept whole).
    pub corners: Option<[Point; 4]>,
    pub paper: Paper,
    /// Input pixel size (what the corners refer to).
    pub source_size: (u32, u32),
    /// Colour JPEG of the flattened, turned page; empty when not asked for.
    pub thumb_jpeg: Vec<u8>,
}

/// The pipeline for one decoded image; `stage` hears of each step done.
pub fn scan(rgb: Rgb, request: &ScanRequest, mut stage: impl FnMut(Stage)) -> Result<Scanned, ImageError> {
    let source_size = (rgb.width, rgb.height);
    if rgb.width == 0 || rgb.height == 0 || rgb.data.len() != rgb.width as usize * rgb.height as usize * 3 {
        return Err(ImageError::Corrupt(format!("{} bytes for {} × {}", rgb.data.len(), rgb.width, rgb.height)));
    }
    // With corners (found or placed) the skew is corrected inside the warp;
    // a page kept whole is straightened by `process`.
    let corners = request.corners.filter(|c| c.iter().all(|p| p.0.is_finite() && p.1.is_finite()));
    let (setup, turn) = (&request.setup, request.rotation);
    let flat = match (corners, request.options.deskew) {
        (Some(corners), true) => flatten_at_straight(rgb, corners, setup, turn),
        (Some(corners), false) => flatten_at(rgb, corners, setup),
        (None, true) => flatten_straight(rgb, setup, turn),
        (None, false) => flatten(rgb, setup),
    };
    stage(Stage::SheetFound);
    let page_rgb = rotate_quarters(flat.rgb, request.rotation);
    let page = match flat.skew_degrees {
        Some(skew) => process_straightened(&page_rgb, flat.dpi, &request.options, skew)?,
        None => process(&page_rgb, flat.dpi, &request.options)?,
    };
    let thumb_jpeg = match request.thumb_long {
        0 => Vec::new(),
        long => encode_jpeg(&thumbnail(&page_rgb, long), 70, 72.0)?,
    };
    stage(Stage::Encoded);
    Ok(Scanned { page, corners: flat.corners, paper: flat.paper, source_size, thumb_jpeg })
}

/// The image turned clockwise by `degrees` (a multiple of 90).
pub fn rotate_quarters(rgb: Rgb, degrees: u16) -> Rgb {
    let turns = (degrees / 90) % 4;
    if turns == 0 {
        return rgb;
    }
    let (w, h) = (rgb.width as usize, rgb.height as usize);
    let (ow, oh) = if turns == 2 { (w, h) } else { (h, w) };
    let mut data = vec![0u8; w * h * 3];
    for y in 0..oh {
        for x in 0..ow {
            // The source pixel that lands at (x, y).
            let (sx, sy) = match turns {
                1 => (y, h - 1 - x),
                2 => (w - 1 - x, h - 1 - y),
                _ => (w - 1 - y, x),
            };
            let (o, s) = ((y * ow + x) * 3, (sy * w + sx) * 3);
            data[o..o + 3].copy_from_slice(&rgb.data[s..s + 3]);
        }
    }
    Rgb { width: ow as u32, height: oh as u32, data }
}

/// A copy whose long side is at most `long` pixels (never enlarged).
pub fn thumbnail(rgb: &Rgb, long: u32) -> Rgb {
    let scale = (long as f32 / rgb.width.max(rgb.height) as f32).min(1.0);
    let (w, h) = (((rgb.width as f32 * scale).round() as u32).max(1), ((rgb.height as f32 * scale).round() as u32).max(1));
    resize(rgb, w, h)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::profile::{EncodedPage, Profile};
    use crate::testpage::{render, seal_circle, tilted_a4_photo, Scene};

    fn sealed_a4_photo() -> (Rgb, [Point; 4], Scene) {
        let scene = Scene { width: 496, height: 702, dpi: 60.0, seal: true, ..Scene::default() };
        let (photo, corners) = tilted_a4_photo(&scene, (960, 720));
        (photo, corners, scene)
    }

    #[test]
    fn photo_is_cut_out_to_a4_and_reports_its_steps() {
        let (photo, truth, _) = sealed_a4_photo();
        let mut stages = Vec::new();
        let request = ScanRequest { thumb_long: 160, ..ScanRequest::default() };
        let out = scan(photo, &request, |s| stages.push(s)).unwrap();
        assert_eq!(stages, [Stage::SheetFound, Stage::Encoded]);
        assert_eq!(out.paper, Paper::A4);
        assert_eq!(out.source_size, (960, 720));
        let found = out.corners.expect("sheet found");
        for (a, b) in found.iter().zip(&truth) {
            assert!(crate::warp::distance(*a, *b) < 6.0, "{found:?} vs {truth:?}");
        }
        // Portrait A4: √2 within a pixel or two.
        let ratio = out.page.height_px as f32 / out.page.width_px as f32;
        assert!((ratio - 297.0 / 210.0).abs() < 0.01, "{} × {}", out.page.width_px, out.page.height_px);
        assert_eq!(out.page.profile, Profile::Mixed, "the seal keeps its colour");
        assert_eq!(&out.thumb_jpeg[..2], &[0xFF, 0xD8]);
    }

    #[test]
    fn given_corners_and_rotation_are_used() {
        let (photo, truth, _) = sealed_a4_photo();
        let (w, h) = (photo.width, photo.height);
        // Corners well inside the sheet: a smaller page than the detected one.
        let centre = truth.iter().fold((0.0, 0.0), |a, p| (a.0 + p.0 / 4.0, a.1 + p.1 / 4.0));
        let inner = truth.map(|p| (centre.0 + (p.0 - centre.0) * 0.5, centre.1 + (p.1 - centre.1) * 0.5));
        let options = ScanOptions { profile: Profile::Color, ..ScanOptions::default() };
        let whole = scan(photo.clone(), &ScanRequest { options, ..ScanRequest::default() }, |_| ()).unwrap();
        let given =
            scan(photo.clone(), &ScanRequest { options, corners: Some(inner), ..ScanRequest::default() }, |_| ()).unwrap();
        assert_eq!(given.corners, Some(inner));
        assert!(given.page.width_px < whole.page.width_px, "{} vs {}", given.page.width_px, whole.page.width_px);
        let turned = scan(photo, &ScanRequest { options, rotation: 90, ..ScanRequest::default() }, |_| ()).unwrap();
        assert_eq!((turned.page.width_px, turned.page.height_px), (whole.page.height_px, whole.page.width_px));
        assert!(matches!(turned.page.encoded, EncodedPage::Jpeg { .. }));
        assert_eq!(turned.source_size, (w, h));
    }

    /// A skewed sheet photographed in perspective: the G4 page's text lines
    /// are horizontal and the skew is reported; `process` of a page already
    /// straightened does not measure or turn it again.
    #[test]
    fn skewed_photo_comes_out_straight_with_one_turn() {
        use crate::testpage::{photograph, Background, Camera};
        // Large enough (≈ 140 dpi, 1160 px across) for the skew to be measured on a half-size warp.
        let scene = Scene { width: 1240, height: 1754, dpi: 150.0, skew_degrees: 2.5, noise: 3, seed: 12, ..Scene::default() };
        let (page, _) = render(&scene);
        let cam = Camera {
            frame: (2600, 1950),
            mm: (210.0, 297.0),
            yaw: -6.0,
            pitch: 14.0,
            roll: 4.0,
            focal: 0.7,
            fill: 0.85,
            offset: (0.0, 0.0),
        };
        let (photo, _) = photograph(&page, &cam, Background::Dark, 0.2, 3, 8);
        let options = ScanOptions { profile: Profile::Text, ..ScanOptions::default() };
        let out = scan(photo, &ScanRequest { options, ..ScanRequest::default() }, |_| ()).unwrap();
        assert!((out.page.skew_degrees - 2.5).abs() <= 0.25, "{}", out.page.skew_degrees);
        let EncodedPage::G4 { g4 } = &out.page.encoded else { panic!("not G4") };
        let bits = crate::g4::decode(g4, out.page.width_px, out.page.height_px).unwrap();
        let left = crate::deskew::estimate(&bits);
        assert!(left.abs() <= 0.1, "{left}° left");
        // Told the page is straight, `process` leaves the skewed render as it is.
        let told = process_straightened(&page, 150.0, &options, 1.0).unwrap();
        assert_eq!(told.skew_degrees, 1.0);
        let EncodedPage::G4 { g4 } = &told.encoded else { panic!("not G4") };
        let still = crate::deskew::estimate(&crate::g4::decode(g4, told.width_px, told.height_px).unwrap());
        assert!((still - 2.5).abs() <= 0.25, "turned again: {still}");
        let plain = process(&page, 150.0, &ScanOptions { deskew: false, ..options }).unwrap();
        assert_eq!(told.encoded, plain.encoded);
    }

    #[test]
    fn quarter_turns_move_pixels_where_they_belong() {
        // 3 × 2, each pixel its own index.
        let rgb = Rgb { width: 3, height: 2, data: (0..6u8).flat_map(|i| [i, i, i]).collect() };
        let at = |r: &Rgb, x: u32, y: u32| r.data[((y * r.width + x) * 3) as usize];
        let cw = rotate_quarters(rgb.clone(), 90);
        assert_eq!((cw.width, cw.height), (2, 3));
        // Clockwise: the bottom-left pixel (index 3) comes to the top-left.
        assert_eq!(at(&cw, 0, 0), 3);
        assert_eq!(at(&cw, 1, 0), 0);
        let half = rotate_quarters(rgb.clone(), 180);
        assert_eq!(at(&half, 0, 0), 5);
        let ccw = rotate_quarters(rgb.clone(), 270);
        assert_eq!(at(&ccw, 0, 0), 2);
        assert_eq!(rotate_quarters(rotate_quarters(rgb.clone(), 90), 270), rgb);
        assert_eq!(rotate_quarters(rgb.clone(), 360), rgb);
    }

    #[cfg(feature = "decode")]
    #[test]
    fn seal_stays_red_through_the_pipeline() {
        let scene = Scene { width: 700, height: 990, dpi: 85.0, seal: true, signature: true, ..Scene::default() };
        let (page, _) = render(&scene);
        let options = ScanOptions { profile: Profile::Mixed, ..ScanOptions::default() };
        let request = ScanRequest {
            options,
            setup: PageSetup { crop: false, ..PageSetup::default() },
            thumb_long: 2000,
            ..ScanRequest::default()
        };
        let out = scan(page, &request, |_| ()).unwrap();
        assert!(matches!(out.page.encoded, EncodedPage::Mrc { .. }));
        // The thumbnail is the page in colour: red where the seal's ring is.
        let thumb = crate::decode_file(&out.thumb_jpeg).unwrap();
        let (cx, cy, r) = seal_circle(&scene);
        let i = ((cy as u32 * thumb.width + (cx + r - 3.0) as u32) * 3) as usize;
        let p = &thumb.data[i..i + 3];
        assert!(p[0] > 150 && p[1] < 110, "{p:?}");
    }

    #[test]
    fn bad_pixels_are_refused() {
        let bad = Rgb { width: 4, height: 4, data: vec![0; 5] };
        assert!(matches!(scan(bad, &ScanRequest::default(), |_| ()), Err(ImageError::Corrupt(_))));
    }
}

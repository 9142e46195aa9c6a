//! The scan pipeline (quy trình số hóa): from decoded pixels to a page
//! encoded the way that suits its content — 1-bit G4 for plain text, JPEG
//! for pictures, mixed raster content when a seal or signature must stay
//! coloured — at a resolution the standard accepts (≥ 200 dpi).

use crate::binarize::binarize;
use crate::raster::{resize, Bitmap, Gray, Rgb};
use crate::{deskew, g4, mrc, ImageError};
use std::borrow::Cow;

/// How a page is encoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Profile {
    /// Decide per page from its content (see [`classify`]).
    Auto,
    /// Black and white: adaptive binarization, CCITT G4. Smallest.
    Text,
    /// Full colour JPEG: photos, coloured certificates.
    Color,
    /// 1-bit text mask over low-resolution colour: seals stay red.
    Mixed,
}

impl Profile {
    pub fn name(self) -> &'static str {
        match self {
            Profile::Auto => "auto",
            Profile::Text => "text",
            Profile::Color => "color",
            Profile::Mixed => "mixed",
        }
    }

    pub fn parse(s: &str) -> Option<Profile> {
        [Profile::Auto, Profile::Text, Profile::Color, Profile::Mixed].into_iter().find(|p| p.name() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ScanOptions {
    pub profile: Profile,
    /// Stored resolution; pages are only ever reduced to it, never enlarged.
    pub target_dpi: f32,
    /// Straighten text lines turned by up to ±5°.
    pub deskew: bool,
}

impl Default for ScanOptions {
    fn default() -> ScanOptions {
        ScanOptions { profile: Profile::Auto, target_dpi: crate::PAGE_DPI, deskew: true }
    }
}

/// A JPEG image of a page layer with its pixel size.
#[derive(Clone, Debug, PartialEq)]
pub struct JpegLayer {
    pub jpeg: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
}

/// What a page became. Every variant covers the whole page; pixel sizes
/// of the page itself are in [`ProcessedPage`].
#[derive(Clone, Debug, PartialEq)]
pub enum EncodedPage {
    /// Baseline JPEG, 4:2:0, at page resolution.
    Jpeg { jpeg: Vec<u8> },
    /// CCITT G4 (see [`crate::g4`] for the conventions), at page resolution.
    G4 { g4: Vec<u8> },
    /// Paper drawn first, then ink colour painted through the G4 mask.
    Mrc { mask_g4: Vec<u8>, background: JpegLayer, foreground: JpegLayer },
}

#[derive(Clone, Debug, PartialEq)]
pub struct ProcessedPage {
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: f32,
    /// The profile used (never `Auto`).
    pub profile: Profile,
    /// Skew found and corrected, degrees counter-clockwise.
    pub skew_degrees: f32,
    pub encoded: EncodedPage,
}

impl ProcessedPage {
    /// Bytes of image data the page adds to a PDF.
    pub fn bytes(&self) -> usize {
        match &self.encoded {
            EncodedPage::Jpeg { jpeg } => jpeg.len(),
            EncodedPage::G4 { g4 } => g4.len(),
            EncodedPage::Mrc { mask_g4, background, foreground } => mask_g4.len() + background.jpeg.len() + foreground.jpeg.len(),
        }
    }
}

/// JPEG quality per use: documents tolerate more loss than photos of
/// people, and MRC layers hold only smooth paper and ink tone.
pub const COLOR_QUALITY: u8 = 60;
const BACKGROUND_QUALITY: u8 = 40;
const FOREGROUND_QUALITY: u8 = 50;

/// Baseline JPEG, 4:2:0, standard Huffman tables, with its dpi in JFIF.
pub fn encode_jpeg(rgb: &Rgb, quality: u8, dpi: f32) -> Result<Vec<u8>, ImageError> {
    use jpeg_encoder::{ColorType, Encoder, PixelDensity, SamplingFactor};
    let (w, h) = match (u16::try_from(rgb.width), u16::try_from(rgb.height)) {
        (Ok(w @ 1..), Ok(h @ 1..)) => (w, h),
        _ => return Err(ImageError::Corrupt(format!("{} × {}", rgb.width, rgb.height))),
    };
    let mut out = Vec::new();
    let mut encoder = Encoder::new(&mut out, quality);
    encoder.set_sampling_factor(SamplingFactor::F_2_2);
    // Not optimized Huffman tables: with 4:2:0 the encoder then writes one
    // scan per component, which zune-jpeg 0.5 (the `image` crate's decoder)
    // decodes to wrong colours; poppler reads it. Interleaved is safe everywhere.
    encoder.set_optimized_huffman_tables(false);
    encoder.set_density(PixelDensity::dpi(dpi.round().clamp(1.0, 65535.0) as u16));
    encoder.encode(&rgb.data, w, h, ColorType::Rgb).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    Ok(out)
}

/// What [`classify`] looks at, measured on a page.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Features {
    /// Share of the page in saturated colour (seal red, signature blue, photos).
    pub colour: f32,
    /// Share of the page in mid-tones relative to the paper around it:
    /// photographs and shading, not text (which is paper or ink).
    pub midtone: f32,
}

/// Saturation (max − min channel) above which a pixel is coloured ink.
const SATURATED: u8 = 60;

/// Measures [`Features`] on every other pixel of every other row.
pub fn features(rgb: &Rgb, gray: &Gray) -> Features {
    // Paper brightness per 32-pixel cell (its brightest pixel), widened to the
    // neighbouring cells so a cell inside a picture sees the paper beside it.
    const CELL: u32 = 32;
    let (cw, ch) = (rgb.width.div_ceil(CELL), rgb.height.div_ceil(CELL));
    let mut bright = vec![0u8; (cw * ch) as usize];
    for (y, row) in gray.data.chunks_exact(gray.width as usize).enumerate() {
        let cells = &mut bright[(y / CELL as usize) * cw as usize..][..cw as usize];
        for (b, run) in cells.iter_mut().zip(row.chunks(CELL as usize)) {
            *b = run.iter().fold(*b, |m, &v| m.max(v));
        }
    }
    let paper = |cx: u32, cy: u32| {
        let mut m = 0;
        for y in cy.saturating_sub(2)..(cy + 3).min(ch) {
            for x in cx.saturating_sub(2)..(cx + 3).min(cw) {
                m = m.max(bright[(y * cw + x) as usize]);
            }
        }
        m
    };
    let paper: Vec<u8> = (0..ch).flat_map(|cy| (0..cw).map(move |cx| (cx, cy))).map(|(cx, cy)| paper(cx, cy)).collect();
    let (mut colour, mut midtone, mut n) = (0u32, 0u32, 0u32);
    for y in (0..rgb.height).step_by(2) {
        for x in (0..rgb.width).step_by(2) {
            let i = (y * rgb.width + x) as usize;
            let p = &rgb.data[i * 3..i * 3 + 3];
            let (max, min) = (p[0].max(p[1]).max(p[2]), p[0].min(p[1]).min(p[2]));
            colour += u32::from(max - min > SATURATED);
            let v = u32::from(gray.data[i]) * 100 / u32::from(paper[((y / CELL) * cw + x / CELL) as usize]).max(1);
            midtone += u32::from((35..=80).contains(&v));
            n += 1;
        }
    }
    Features { colour: colour as f32 / n.max(1) as f32, midtone: midtone as f32 / n.max(1) as f32 }
}

/// Auto's choice: large areas of colour or mid-tones are pictures (Color);
/// a little saturated colour is a seal or a signature (Mixed); else Text.
pub fn classify(f: Features) -> Profile {
    if f.colour > 0.25 || f.midtone > 0.25 {
        Profile::Color
    } else if f.colour > 0.0003 {
        Profile::Mixed
    } else {
        Profile::Text
    }
}

/// The pipeline: reduce to the target resolution, straighten, choose the
/// profile (for `Auto`), encode. `dpi` is the resolution `rgb` has (e.g.
/// from assuming the photo frames an A4 sheet, see [`crate::page_size`]).
pub fn process(rgb: &Rgb, dpi: f32, options: &ScanOptions) -> Result<ProcessedPage, ImageError> {
    process_page(rgb, dpi, options, None)
}

/// [`process`] of a page already straightened while it was flattened
/// (see [`crate::detect::flatten_at_straight`]): `skew_degrees` is what was
/// corrected there, reported as is; the page is not measured or turned again.
pub fn process_straightened(rgb: &Rgb, dpi: f32, options: &ScanOptions, skew_degrees: f32) -> Result<ProcessedPage, ImageError> {
    process_page(rgb, dpi, options, Some(skew_degrees))
}

fn process_page(rgb: &Rgb, dpi: f32, options: &ScanOptions, straightened: Option<f32>) -> Result<ProcessedPage, ImageError> {
    if rgb.width == 0 || rgb.height == 0 || rgb.data.len() != rgb.width as usize * rgb.height as usize * 3 {
        return Err(ImageError::Corrupt(format!("{} bytes for {} × {}", rgb.data.len(), rgb.width, rgb.height)));
    }
    let dpi = if dpi.is_finite() && dpi > 1.0 { dpi } else { crate::PAGE_DPI };
    // Borrowed until something changes it: a flattened page is usually
    // already at the target resolution, and a copy of it is 12 MB.
    let (mut rgb, dpi) = if dpi > options.target_dpi * 1.01 {
        let scale = options.target_dpi / dpi;
        let (w, h) = (((rgb.width as f32 * scale).round() as u32).max(1), ((rgb.height as f32 * scale).round() as u32).max(1));
        (Cow::Owned(resize(rgb, w, h)), options.target_dpi)
    } else {
        (Cow::Borrowed(rgb), dpi)
    };
    // Luma of the page as it will be encoded, made once when a step needs
    // it: the skew search, Auto's features, Text. Color and Mixed of a
    // page turned straight never do.
    let mut gray = None;
    let mut skew_degrees = straightened.unwrap_or(0.0);
    if options.deskew && straightened.is_none() {
        let full = gray.insert(rgb.luma());
        // The angle is found on a half-size copy: a quarter of the work,
        // and text lines are still lines.
        let (small, factor) = if full.width > 1000 { (deskew::halve(full), 2) } else { (full.clone(), 1) };
        let small_bits = binarize(&small, dpi / factor as f32);
        let angle = deskew::estimate(&small_bits);
        if angle.abs() >= deskew::MIN_SKEW_DEGREES {
            let paper = deskew::paper_colour_sampled(&rgb, &small_bits, factor);
            rgb = Cow::Owned(deskew::rotate(&rgb, -angle, paper));
            gray = None;
            skew_degrees = angle;
        }
    }
    let profile = match options.profile {
        Profile::Auto => classify(features(&rgb, gray.get_or_insert_with(|| rgb.luma()))),
        p => p,
    };
    let encoded = match profile {
        Profile::Text => EncodedPage::G4 { g4: g4::encode(&binarize(gray.get_or_insert_with(|| rgb.luma()), dpi)) },
        Profile::Color | Profile::Auto => EncodedPage::Jpeg { jpeg: encode_jpeg(&rgb, COLOR_QUALITY, dpi)? },
        Profile::Mixed => mixed(&rgb, dpi)?,
    };
    Ok(ProcessedPage { width_px: rgb.width, height_px: rgb.height, dpi, profile, skew_degrees, encoded })
}

/// RGBA as a canvas gives it; see [`process`].
pub fn process_rgba(rgba: &[u8], width: u32, height: u32, dpi: f32, options: &ScanOptions) -> Result<ProcessedPage, ImageError> {
    let rgb = Rgb::from_rgba(rgba, width, height)
        .ok_or_else(|| ImageError::Corrupt(format!("{} bytes for {width} × {height}", rgba.len())))?;
    process(&rgb, dpi, options)
}

fn mixed(rgb: &Rgb, dpi: f32) -> Result<EncodedPage, ImageError> {
    // Coloured ink belongs in the mask too: its darkness is its smallest channel.
    let mask: Bitmap = binarize(&rgb.min_channel(), dpi);
    let layers = mrc::split(rgb, &mask, mrc::LAYER_FACTOR);
    let layer_dpi = dpi / mrc::LAYER_FACTOR as f32;
    let layer = |img: &Rgb, quality| -> Result<JpegLayer, ImageError> {
        Ok(JpegLayer { jpeg: encode_jpeg(img, quality, layer_dpi)?, width_px: img.width, height_px: img.height })
    };
    Ok(EncodedPage::Mrc {
        mask_g4: g4::encode(&mask),
        background: layer(&layers.background, BACKGROUND_QUALITY)?,
        foreground: layer(&layers.foreground, FOREGROUND_QUALITY)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testpage::{render, Scene};

    fn small(seal: bool) -> Scene {
        Scene { width: 700, height: 900, seal, signature: seal, gradient: true, noise: 5, blur: true, ..Scene::default() }
    }

    #[test]
    fn auto_picks_mixed_for_a_sealed_page_and_text_for_plain_text() {
        for (seal, want) in [(true, Profile::Mixed), (false, Profile::Text)] {
            let (rgb, _) = render(&small(seal));
            let f = features(&rgb, &rgb.luma());
            println!("seal {seal}: {f:?}");
            assert_eq!(classify(f), want, "{f:?}");
            let page = process(&rgb, 200.0, &ScanOptions::default()).unwrap();
            assert_eq!(page.profile, want);
        }
    }

    #[test]
    fn auto_picks_color_for_a_picture() {
        // A smooth colour field, like a photo of a face or a landscape.
        let (w, h) = (300u32, 400u32);
        let data = (0..w * h)
            .flat_map(|i| {
                let (x, y) = ((i % w) as f32, (i / w) as f32);
                [
                    (128.0 + 100.0 * (x / 23.0).sin()) as u8,
                    (110.0 + 60.0 * (y / 31.0).cos()) as u8,
                    (90.0 + 40.0 * ((x + y) / 17.0).sin()) as u8,
                ]
            })
            .collect();
        let rgb = Rgb { width: w, height: h, data };
        assert_eq!(classify(features(&rgb, &rgb.luma())), Profile::Color);
    }

    /// Auto measures the page, then does exactly what the profile it
    /// chose does: the same bytes as asking for that profile.
    #[test]
    fn auto_gives_the_bytes_of_the_profile_it_chose() {
        for seal in [true, false] {
            let (rgb, _) = render(&small(seal));
            for deskew in [true, false] {
                let auto = process(&rgb, 200.0, &ScanOptions { deskew, ..ScanOptions::default() }).unwrap();
                let chosen = process(&rgb, 200.0, &ScanOptions { profile: auto.profile, deskew, ..ScanOptions::default() }).unwrap();
                assert_eq!(auto.profile, if seal { Profile::Mixed } else { Profile::Text });
                assert!(auto == chosen, "seal {seal}, deskew {deskew}");
            }
        }
    }

    #[test]
    fn reduces_to_target_dpi_and_never_enlarges() {
        let (rgb, _) = render(&Scene { width: 600, height: 800, dpi: 300.0, ..Scene::default() });
        let options = ScanOptions { profile: Profile::Text, ..ScanOptions::default() };
        let page = process(&rgb, 300.0, &options).unwrap();
        assert_eq!((page.width_px, page.height_px, page.dpi), (400, 533, 200.0));
        let page = process(&rgb, 150.0, &options).unwrap();
        assert_eq!((page.width_px, page.height_px, page.dpi), (600, 800, 150.0));
        assert!(process(&Rgb { width: 2, height: 2, data: vec![0; 5] }, 200.0, &options).is_err());
    }

    /// Our JPEGs must decode in the `image` crate too (not only in poppler).
    #[cfg(feature = "decode")]
    #[test]
    fn jpeg_decodes_back_to_its_colours() {
        let rgb = Rgb { width: 64, height: 48, data: [246u8, 244, 238].repeat(64 * 48) };
        let back = crate::decode_file(&encode_jpeg(&rgb, COLOR_QUALITY, 200.0).unwrap()).unwrap();
        assert!(back.data.iter().zip(&rgb.data).all(|(a, b)| a.abs_diff(*b) <= 3), "{:?}", &back.data[..3]);
    }

    #[test]
    fn mixed_layers_are_a_third_of_the_page() {
        let (rgb, _) = render(&small(true));
        let page = process(&rgb, 200.0, &ScanOptions { profile: Profile::Mixed, ..ScanOptions::default() }).unwrap();
        let EncodedPage::Mrc { background, foreground, mask_g4 } = &page.encoded else { panic!("not MRC") };
        assert_eq!((background.width_px, background.height_px), (234, 300));
        assert_eq!((foreground.width_px, foreground.height_px), (234, 300));
        let mask = g4::decode(mask_g4, 700, 900).unwrap();
        let (cx, cy, r) = crate::testpage::seal_circle(&small(true));
        // The seal's ring is in the mask (so it is painted with its colour).
        assert!(mask.get((cx + r - 4.0) as u32, cy as u32));
    }

    #[test]
    fn full_a4_text_page_is_small() {
        let (rgb, _) = render(&Scene { noise: 4, ..Scene::default() });
        let page =
            process(&rgb, 200.0, &ScanOptions { profile: Profile::Text, deskew: false, ..ScanOptions::default() }).unwrap();
        println!("A4 text page, G4: {} bytes", page.bytes());
        assert!(page.bytes() < 120_000, "{}", page.bytes());
    }
}

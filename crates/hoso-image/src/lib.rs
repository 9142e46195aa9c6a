//! Page images: what a photographed or scanned paper becomes before it is
//! put into a PDF. Every host shares the checks and the encoder; only
//! decoding differs (the browser's `createImageBitmap`, or `image` natively).

use hoso_core::i18n::Msg;

pub mod binarize;
pub mod container;
pub mod corners;
pub mod deskew;
pub mod detect;
pub mod g4;
#[cfg(feature = "multipage")]
pub mod inputs;
pub mod mrc;
#[cfg(feature = "multipage")]
pub mod pdfimages;
pub mod pipeline;
pub mod profile;
pub mod raster;
#[doc(hidden)]
pub mod testpage;
#[cfg(feature = "multipage")]
#[doc(hidden)]
pub mod testtiff;
#[cfg(feature = "multipage")]
pub mod tiff;
pub mod warp;

#[cfg(feature = "decode")]
pub use inputs::{decode_pages, each_page};
#[cfg(feature = "multipage")]
pub use inputs::{is_paged, page_count, page_image, PageImage};
pub use detect::{find_corners, flatten, flatten_at, Flattened, PageSetup, Paper};
pub use pipeline::{scan, ScanRequest, Scanned, Stage};
pub use profile::{classify, features, process, process_rgba, EncodedPage, JpegLayer, ProcessedPage, Profile, ScanOptions};
pub use raster::{Bitmap, Gray, Rgb};

/// Above this many pixels we refuse to decode: a 50-megapixel image already
/// needs 200 MB of RGBA, and larger ones are usually decompression bombs.
pub const MAX_PIXELS: u64 = 50_000_000;

/// Resolution pages are stored at (Decree 30/2020 asks for ≥ 200 dpi).
pub const PAGE_DPI: f32 = 200.0;

/// Long side of A4 in inches: without page detection we assume the photo
/// frames one A4 sheet.
const A4_LONG_INCHES: f32 = 297.0 / 25.4;

const JPEG_QUALITY: u8 = 72;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Tiff,
    Bmp,
    Gif,
}

/// What the file header says, read without decoding pixels.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Probe {
    pub format: Format,
    pub width: u32,
    pub height: u32,
}

/// A page ready for the PDF: baseline JPEG plus its physical resolution.
#[derive(Clone, Debug, PartialEq)]
pub struct Page {
    pub jpeg: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: f32,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ImageError {
    Heic,
    UnknownFormat,
    TooLarge { width: u32, height: u32 },
    Corrupt(String),
    /// A PDF with a password or encryption: its images cannot be read.
    Encrypted,
    /// A PDF without page images (typed, not scanned).
    NotScanned,
    /// More pages in one file than [`inputs::MAX_PAGES`] (counting stopped at `pages`).
    TooManyPages { pages: u32, max: u32 },
}

impl ImageError {
    pub fn msg(&self) -> Msg {
        match self {
            ImageError::Heic => Msg::ImageHeic,
            ImageError::UnknownFormat => Msg::ImageUnknownFormat,
            ImageError::TooLarge { width, height } => Msg::ImageTooLarge { width: *width, height: *height },
            ImageError::Corrupt(why) => Msg::ImageCorrupt(why.clone()),
            ImageError::Encrypted => Msg::PdfEncrypted,
            ImageError::NotScanned => Msg::PdfNotScanned,
            ImageError::TooManyPages { pages, max } => Msg::TooManyPages { pages: *pages, max: *max },
        }
    }
}

impl std::fmt::Display for ImageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.msg().vi())
    }
}

impl std::error::Error for ImageError {}

/// Identifies the format and dimensions from the header, and refuses HEIC,
/// unknown files and pixel bombs before anything is decoded.
pub fn probe(bytes: &[u8]) -> Result<Probe, ImageError> {
    use imagesize::ImageType as T;
    let kind = imagesize::image_type(bytes).map_err(|_| ImageError::UnknownFormat)?;
    let format = match kind {
        T::Jpeg => Format::Jpeg,
        T::Png => Format::Png,
        T::Webp => Format::Webp,
        T::Tiff => Format::Tiff,
        T::Bmp => Format::Bmp,
        T::Gif => Format::Gif,
        T::Heif(_) => return Err(ImageError::Heic),
        _ => return Err(ImageError::UnknownFormat),
    };
    let size = imagesize::blob_size(bytes).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let (width, height) = (u32::try_from(size.width).unwrap_or(u32::MAX), u32::try_from(size.height).unwrap_or(u32::MAX));
    if width == 0 || height == 0 {
        return Err(ImageError::Corrupt("0 × 0".into()));
    }
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    Ok(Probe { format, width, height })
}

/// Pixel size a page is stored at: the long side becomes A4 at [`PAGE_DPI`];
/// smaller images are never upscaled (their dpi is lower instead).
/// Returns (width, height, dpi).
pub fn page_size(width: u32, height: u32) -> (u32, u32, f32) {
    let long = width.max(height) as f32;
    let target = (A4_LONG_INCHES * PAGE_DPI).round();
    if long <= target {
        return (width, height, assumed_dpi(width, height));
    }
    let scale = target / long;
    let w = ((width as f32 * scale).round() as u32).max(1);
    let h = ((height as f32 * scale).round() as u32).max(1);
    (w, h, PAGE_DPI)
}

/// Encodes RGBA pixels (as a canvas gives them) already at page size.
pub fn encode_page(rgba: &[u8], width: u32, height: u32, dpi: f32) -> Result<Page, ImageError> {
    let expected = width as usize * height as usize * 4;
    if rgba.len() != expected {
        return Err(ImageError::Corrupt(format!("{} bytes for {width} × {height}", rgba.len())));
    }
    let rgb: Vec<u8> = rgba.chunks_exact(4).flat_map(|p| [p[0], p[1], p[2]]).collect();
    encode_rgb(rgb, width, height, dpi)
}

fn encode_rgb(rgb: Vec<u8>, width: u32, height: u32, dpi: f32) -> Result<Page, ImageError> {
    let jpeg = profile::encode_jpeg(&Rgb { width, height, data: rgb }, JPEG_QUALITY, dpi)?;
    Ok(Page { jpeg, width_px: width, height_px: height, dpi })
}

/// Decodes a file natively (EXIF orientation applied), sizes and encodes it.
#[cfg(feature = "decode")]
pub fn page_from_file(bytes: &[u8]) -> Result<Page, ImageError> {
    let rgb = decode_file(bytes)?;
    let (w, h, dpi) = page_size(rgb.width, rgb.height);
    let rgb = if (w, h) == (rgb.width, rgb.height) { rgb } else { raster::resize(&rgb, w, h) };
    encode_rgb(rgb.data, w, h, dpi)
}

/// Decodes a file natively, EXIF orientation applied, at full resolution.
/// Its resolution, without page detection, is [`assumed_dpi`].
#[cfg(feature = "decode")]
pub fn decode_file(bytes: &[u8]) -> Result<Rgb, ImageError> {
    use image::{ImageDecoder, ImageReader};
    if inputs::is_tiff(bytes) {
        // Our own reader, the worker's: its first page, orientation applied.
        return match tiff::page_image(bytes, 0, Some(&decode_file))? {
            PageImage::Pixels(rgb) => Ok(rgb),
            PageImage::Encoded(jpeg) => decode_file(&jpeg),
        };
    }
    let probe = probe(bytes)?;
    let mut reader =
        ImageReader::new(std::io::Cursor::new(bytes)).with_guessed_format().map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(probe.width);
    limits.max_image_height = Some(probe.height);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(|e| ImageError::Corrupt(e.to_string()))?;
    let orientation = decoder.orientation().unwrap_or(image::metadata::Orientation::NoTransforms);
    let mut img = image::DynamicImage::from_decoder(decoder).map_err(|e| ImageError::Corrupt(e.to_string()))?;
    if let Some(turned) = img.as_rgb8().and_then(|rgb| quarter_turned(rgb, orientation)) {
        return Ok(turned);
    }
    img.apply_orientation(orientation);
    let rgb = img.into_rgb8();
    Ok(Rgb { width: rgb.width(), height: rgb.height(), data: rgb.into_raw() })
}

/// A photo taken sideways (EXIF orientation 5–8) turned upright by
/// [`raster::quarter_turn`] (tiled, two threads): the `image` crate's
/// pixel-by-pixel quarter turn of a 12 MP photo took as long as decoding
/// it. `None` for the orientations `image` turns in place (upright, half
/// turn, mirrors).
#[cfg(feature = "decode")]
fn quarter_turned(rgb: &image::RgbImage, orientation: image::metadata::Orientation) -> Option<Rgb> {
    use image::metadata::Orientation as O;
    let (rotation, flip) = match orientation {
        O::Rotate90 => (90, false),
        O::Rotate270 => (270, false),
        O::Rotate90FlipH => (90, true),
        O::Rotate270FlipH => (270, true),
        _ => return None,
    };
    raster::quarter_turn(rgb.as_raw(), rgb.width(), rgb.height(), rotation, flip)
}

/// Resolution of an image assumed to frame one A4 sheet (its long side).
pub fn assumed_dpi(width: u32, height: u32) -> f32 {
    width.max(height) as f32 / A4_LONG_INCHES
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg_of(w: u32, h: u32) -> Vec<u8> {
        let rgba: Vec<u8> = (0..w * h).flat_map(|i| [(i % 251) as u8, 120, 40, 255]).collect();
        encode_page(&rgba, w, h, 72.0).unwrap().jpeg
    }

    #[test]
    fn probe_reads_header_only() {
        let p = probe(&jpeg_of(30, 20)).unwrap();
        assert_eq!(p, Probe { format: Format::Jpeg, width: 30, height: 20 });
    }

    #[test]
    fn heic_and_garbage_are_refused_by_name() {
        // ISO-BMFF header of an iPhone photo: ftyp box with brand "heic".
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        heic.extend_from_slice(&[0; 64]);
        assert_eq!(probe(&heic), Err(ImageError::Heic));
        assert_eq!(probe(b"%PDF-1.4 not an image"), Err(ImageError::UnknownFormat));
        assert!(ImageError::Heic.msg().vi().contains("HEIC"));
    }

    #[test]
    fn pixel_bombs_are_refused_before_decoding() {
        // A PNG header claiming 20000 × 20000 with no pixel data behind it.
        let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\x0dIHDR".to_vec();
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&20_000u32.to_be_bytes());
        png.extend_from_slice(&[8, 2, 0, 0, 0, 0, 0, 0, 0]);
        assert_eq!(probe(&png), Err(ImageError::TooLarge { width: 20_000, height: 20_000 }));
    }

    #[test]
    fn page_size_fits_a4_at_200_dpi_and_never_upscales() {
        assert_eq!(page_size(3000, 4000), (1754, 2339, 200.0));
        assert_eq!(page_size(4000, 3000), (2339, 1754, 200.0));
        let (w, h, dpi) = page_size(800, 1000);
        assert_eq!((w, h), (800, 1000));
        assert!((dpi - 85.5).abs() < 0.1, "{dpi}");
    }

    #[test]
    fn encode_rejects_wrong_buffer_length() {
        assert!(matches!(encode_page(&[0; 10], 2, 2, 200.0), Err(ImageError::Corrupt(_))));
    }

    #[cfg(feature = "decode")]
    #[test]
    fn file_is_oriented_resized_and_reencoded() {
        let page = page_from_file(&jpeg_of(1800, 2400)).unwrap();
        assert_eq!((page.width_px, page.height_px, page.dpi), (1754, 2339, 200.0));
        assert_eq!(&page.jpeg[..2], &[0xFF, 0xD8]);
        let truncated = &jpeg_of(300, 400)[..200];
        assert!(matches!(page_from_file(truncated), Err(ImageError::Corrupt(_))));
    }

    #[cfg(feature = "decode")]
    #[test]
    fn exif_rotation_is_applied() {
        // Orientation 6: rotate 90° clockwise.
        let plain = jpeg_of(30, 20);
        let rotated = crate::testpage::with_exif_orientation(&plain, 6);
        let page = page_from_file(&rotated).unwrap();
        assert_eq!((page.width_px, page.height_px), (20, 30));
        assert_eq!(page_from_file(&plain).map(|p| (p.width_px, p.height_px)), Ok((30, 20)));
    }

    /// Every EXIF orientation gives the pixels the `image` crate's own
    /// `apply_orientation` gives (the quarter turns are ours, tiled).
    #[cfg(feature = "decode")]
    #[test]
    fn every_exif_orientation_matches_the_image_crate() {
        // Sizes across the 64-pixel tiles and bands, not multiples of them.
        for (w, h) in [(30u32, 20u32), (131, 70)] {
            let plain = jpeg_of(w, h);
            for orientation in 1..=8u8 {
                let tagged = crate::testpage::with_exif_orientation(&plain, orientation);
                let mut img = image::load_from_memory(&plain).unwrap();
                img.apply_orientation(image::metadata::Orientation::from_exif(orientation).unwrap());
                let want = img.into_rgb8();
                let got = decode_file(&tagged).unwrap();
                assert_eq!((got.width, got.height), want.dimensions(), "orientation {orientation}");
                assert!(got.data == want.as_raw().as_slice(), "orientation {orientation}, {w} × {h}");
            }
        }
    }
}

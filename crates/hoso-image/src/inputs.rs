//! Input files that hold several paper pages: a multi-page TIFF from a
//! flatbed scanner, or a PDF a scanner made. Every page is decoded on its
//! own, so one broken page leaves the others intact.
//!
//! Two ways in: natively ([`each_page`], `decode` feature) every page in
//! turn; in the browser's worker (`multipage` feature, no JPEG/PNG/WebP
//! decoders) [`page_count`] then [`page_image`] one page at a time, where
//! a JPEG (a photo, a PDF's DCT page) is left to the browser to decode.

use std::borrow::Cow;

use hoso_core::i18n::inputs as words;

use crate::raster::Rgb;
#[cfg(feature = "decode")]
use crate::decode_file;
use crate::{probe, ImageError};

/// Most pages taken from one file: a scanner's batch, not a book.
pub const MAX_PAGES: usize = 500;

/// One page of a file, as far as Rust decodes it.
#[derive(Debug, PartialEq)]
pub enum PageImage<'a> {
    Pixels(Rgb),
    /// Bytes the host decodes itself (EXIF orientation applied): a JPEG,
    /// PNG or WebP file, the JPEG stream of a PDF page (`/DCTDecode`), or
    /// a TIFF's JPEG page made a JPEG file (tables and orientation added).
    Encoded(Cow<'a, [u8]>),
}

/// Whether the file may hold several pages (TIFF or PDF), from its first bytes.
pub fn is_paged(bytes: &[u8]) -> bool {
    bytes.starts_with(b"%PDF") || is_tiff(bytes)
}

/// A TIFF by its first bytes, either byte order, BigTIFF too (our reader
/// refuses that with its reason, not as an unknown file).
pub fn is_tiff(bytes: &[u8]) -> bool {
    [b"II*\0", b"MM\0*", b"II+\0", b"MM\0+"].iter().any(|magic| bytes.starts_with(*magic))
}

/// How many pages the file holds, without decoding pixels: 1 for a photo
/// (HEIC, unknown files and bombs refused by the header), the directories
/// of a TIFF, the page images of a PDF. More than [`MAX_PAGES`] is refused.
pub fn page_count(bytes: &[u8]) -> Result<usize, ImageError> {
    if bytes.starts_with(b"%PDF") {
        return crate::pdfimages::page_count(bytes);
    }
    if is_tiff(bytes) {
        return crate::tiff::page_count(bytes);
    }
    probe(bytes)?;
    Ok(1)
}

/// Page `index` (from 0) of the file alone: a TIFF directory decoded, a
/// PDF page's pixels or JPEG, or the file itself for a photo.
pub fn page_image(bytes: &[u8], index: usize) -> Result<PageImage<'_>, ImageError> {
    if bytes.starts_with(b"%PDF") {
        return crate::pdfimages::page_image(bytes, index);
    }
    if is_tiff(bytes) {
        // Each page checked on its own (a bomb page fails alone). The
        // worker has no JPEG decoder of ours: a JPEG page in pieces is refused.
        return crate::tiff::page_image(bytes, index, None);
    }
    probe(bytes)?;
    match index {
        0 => Ok(PageImage::Encoded(Cow::Borrowed(bytes))),
        _ => Err(ImageError::Corrupt(words::no_page(index + 1))),
    }
}

/// The paper pages in a file, in order. The outer error means the file as a
/// whole is unreadable (HEIC, unknown, a bomb); an inner one, that page.
#[cfg(feature = "decode")]
pub fn decode_pages(bytes: &[u8]) -> Result<Vec<Result<Rgb, ImageError>>, ImageError> {
    let mut pages = Vec::new();
    each_page(bytes, |page| pages.push(page))?;
    Ok(pages)
}

/// Like [`decode_pages`], one page at a time: a 50-page TIFF or PDF never
/// has more than one page decoded. Returns the number of pages.
#[cfg(feature = "decode")]
pub fn each_page(bytes: &[u8], f: impl FnMut(Result<Rgb, ImageError>)) -> Result<usize, ImageError> {
    if bytes.starts_with(b"%PDF") {
        return crate::pdfimages::each_page(bytes, f);
    }
    if is_tiff(bytes) {
        return crate::tiff::each_page(bytes, &decode_file, f);
    }
    probe(bytes)?;
    let mut f = f;
    f(decode_file(bytes));
    Ok(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TIFF with one page per (width, height, grey level), uncompressed.
    pub(crate) fn multipage_tiff(pages: &[(u32, u32, u8)]) -> Vec<u8> {
        let pages: Vec<_> =
            pages.iter().map(|&(w, h, level)| crate::testtiff::Page::gray(w, h, vec![level; (w * h) as usize])).collect();
        crate::testtiff::write(&pages, false)
    }

    #[cfg(feature = "decode")]
    #[test]
    fn every_page_of_a_multipage_tiff() {
        let file = multipage_tiff(&[(40, 60, 10), (30, 20, 200), (50, 70, 128)]);
        let pages = decode_pages(&file).unwrap();
        let sizes: Vec<(u32, u32, u8)> =
            pages.iter().map(|p| p.as_ref().map(|r| (r.width, r.height, r.data[0])).unwrap()).collect();
        assert_eq!(sizes, [(40, 60, 10), (30, 20, 200), (50, 70, 128)]);
        let one = multipage_tiff(&[(40, 60, 10)]);
        assert_eq!(decode_pages(&one).unwrap().len(), 1);
    }

    #[cfg(feature = "decode")]
    #[test]
    fn a_broken_page_leaves_the_others() {
        let file = multipage_tiff(&[(40, 60, 10), (30, 20, 200)]);
        // The writer puts each page's pixels then its directory: chopping
        // the tail breaks the second page only.
        let pages = decode_pages(&file[..file.len() - 40]).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].as_ref().map(|p| p.width), Ok(40));
        assert!(matches!(pages[1], Err(ImageError::Corrupt(_))));
    }

    fn grey_of(page: Result<PageImage<'_>, ImageError>) -> (u32, u32, u8) {
        match page {
            Ok(PageImage::Pixels(p)) => (p.width, p.height, p.data[0]),
            other => panic!("{other:?}"),
        }
    }

    /// The worker's way: the count, then any page alone, in any order.
    #[test]
    fn tiff_pages_by_index() {
        let file = multipage_tiff(&[(40, 60, 10), (30, 20, 200), (50, 70, 128)]);
        assert!(is_paged(&file));
        assert_eq!(page_count(&file), Ok(3));
        assert_eq!(grey_of(page_image(&file, 2)), (50, 70, 128));
        assert_eq!(grey_of(page_image(&file, 0)), (40, 60, 10));
        assert_eq!(grey_of(page_image(&file, 1)), (30, 20, 200));
        assert!(matches!(page_image(&file, 3), Err(ImageError::Corrupt(_))));
        let one = multipage_tiff(&[(40, 60, 10)]);
        assert_eq!((page_count(&one), grey_of(page_image(&one, 0))), (Ok(1), (40, 60, 10)));
        // A chopped tail: the first page still reads, the second fails alone.
        let chopped = &file[..file.len() - 40];
        assert_eq!(grey_of(page_image(chopped, 0)), (40, 60, 10));
        assert!(page_image(chopped, 2).is_err());
    }

    #[test]
    fn photos_are_left_to_the_host_and_strangers_refused() {
        let rgba = [90u8, 80, 70, 255].repeat(30 * 20);
        let jpeg = crate::encode_page(&rgba, 30, 20, 72.0).unwrap().jpeg;
        assert!(!is_paged(&jpeg));
        assert_eq!(page_count(&jpeg), Ok(1));
        assert_eq!(page_image(&jpeg, 0), Ok(PageImage::Encoded(Cow::Borrowed(&jpeg[..]))));
        assert!(page_image(&jpeg, 1).is_err());
        let mut heic = vec![0, 0, 0, 24];
        heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
        heic.extend_from_slice(&[0; 64]);
        assert_eq!(page_count(&heic), Err(ImageError::Heic));
        assert_eq!(page_count(b"hello"), Err(ImageError::UnknownFormat));
        assert!(matches!(page_count(b"II*\0garbage"), Err(ImageError::Corrupt(_) | ImageError::UnknownFormat)));
    }

    #[test]
    fn a_bomb_page_is_refused_before_its_pixels() {
        // Page 2's directory rewritten to claim 20000 × 20000 pixels.
        let mut file = multipage_tiff(&[(40, 60, 10), (30, 20, 200)]);
        let u32_at = |f: &[u8], at: usize| u32::from_le_bytes(f[at..at + 4].try_into().unwrap()) as usize;
        let first = u32_at(&file, 4);
        let entries = u16::from_le_bytes([file[first], file[first + 1]]) as usize;
        let second = u32_at(&file, first + 2 + entries * 12);
        let entries = u16::from_le_bytes([file[second], file[second + 1]]) as usize;
        for e in 0..entries {
            let at = second + 2 + e * 12;
            if matches!(u16::from_le_bytes([file[at], file[at + 1]]), 256 | 257) {
                let kind = u16::from_le_bytes([file[at + 2], file[at + 3]]);
                let value = if kind == 3 { [0x20, 0x4E, 0, 0] } else { 20_000u32.to_le_bytes() };
                file[at + 8..at + 12].copy_from_slice(&value);
            }
        }
        assert_eq!(page_count(&file), Ok(2));
        assert_eq!(page_image(&file, 1), Err(ImageError::TooLarge { width: 20_000, height: 20_000 }));
        assert_eq!(grey_of(page_image(&file, 0)), (40, 60, 10));
        // The first page a bomb: it fails alone, the second still reads.
        let mut first_bomb = multipage_tiff(&[(40, 60, 10), (30, 20, 200)]);
        let first = u32_at(&first_bomb, 4);
        let entries = u16::from_le_bytes([first_bomb[first], first_bomb[first + 1]]) as usize;
        for e in 0..entries {
            let at = first + 2 + e * 12;
            if matches!(u16::from_le_bytes([first_bomb[at], first_bomb[at + 1]]), 256 | 257) {
                first_bomb[at + 8..at + 12].copy_from_slice(&20_000u32.to_le_bytes());
            }
        }
        assert_eq!(page_count(&first_bomb), Ok(2));
        assert_eq!(page_image(&first_bomb, 0), Err(ImageError::TooLarge { width: 20_000, height: 20_000 }));
        assert_eq!(grey_of(page_image(&first_bomb, 1)), (30, 20, 200));
        // BigTIFF is a TIFF refused with its reason, not an unknown file.
        let big = b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0";
        assert!(is_paged(big));
        assert_eq!(page_count(big), Err(ImageError::Corrupt(words::TIFF_BIGTIFF.into())));
    }
}

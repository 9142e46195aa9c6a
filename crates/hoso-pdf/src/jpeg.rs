//! Scanned pages (bản scan): one JPEG per page, embedded untouched with
//! DCTDecode so that no quality is lost and nothing is re-encoded.

use crate::scan::{write_sheets, Sheet, SizedSheet};

/// One page image already encoded as baseline JPEG.
#[derive(Clone, Debug, PartialEq)]
pub struct JpegPage {
    pub jpeg: Vec<u8>,
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: f32,
    pub gray: bool,
}

impl From<&hoso_image::Page> for JpegPage {
    fn from(p: &hoso_image::Page) -> JpegPage {
        JpegPage { jpeg: p.jpeg.clone(), width_px: p.width_px, height_px: p.height_px, dpi: p.dpi, gray: false }
    }
}

/// Number of pages of a PDF that hoso wrote (page objects are not in object
/// streams there); other producers' files may need a real parser.
pub fn page_count(pdf: &[u8]) -> u32 {
    let needle = b"/Type /Page";
    pdf.windows(needle.len() + 1).filter(|w| &w[..needle.len()] == needle && !w[needle.len()].is_ascii_alphanumeric()).count()
        as u32
}

/// Dimensions and component count from the JPEG's SOF segment. The image
/// dictionary must agree with the data, so the file wins over the caller.
pub(crate) fn jpeg_header(data: &[u8]) -> Option<(u32, u32, u8)> {
    if !data.starts_with(&[0xFF, 0xD8]) {
        return None;
    }
    let mut i = 2;
    while i + 4 <= data.len() {
        if data[i] != 0xFF {
            return None;
        }
        let marker = data[i + 1];
        match marker {
            0xFF => i += 1, // fill byte
            0x01 | 0xD0..=0xD8 => i += 2,
            0xDA | 0xD9 => return None, // scan data before any frame header
            _ => {
                let len = usize::from(u16::from_be_bytes([data[i + 2], data[i + 3]]));
                if matches!(marker, 0xC0..=0xCF) && !matches!(marker, 0xC4 | 0xC8 | 0xCC) {
                    let seg = data.get(i + 4..i + 10)?;
                    let height = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                    let width = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                    return Some((width, height, seg[5]));
                }
                i += 2 + len;
            }
        }
    }
    None
}

/// A PDF with one page per image, each page exactly the image's physical
/// size (px / dpi * 72 pt), image embedded as-is with DCTDecode.
/// No images gives one blank A4 page, so the file is still a valid PDF.
pub fn jpeg_pages(pages: &[JpegPage], title: &str) -> Vec<u8> {
    let sheets = pages.iter().map(|p| SizedSheet {
        width_px: p.width_px,
        height_px: p.height_px,
        dpi: p.dpi,
        sheet: Sheet::Jpeg { jpeg: &p.jpeg, gray: p.gray },
    });
    write_sheets(sheets, title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_frame_header() {
        // SOI, APP0 (len 4), SOF0 with 1 component, 300 x 200.
        let jpeg = [
            0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0xFF, 0xC0, 0x00, 0x0B, 0x08, 0x00, 0xC8, 0x01, 0x2C, 0x01, 0x01,
            0x11, 0x00,
        ];
        assert_eq!(jpeg_header(&jpeg), Some((300, 200, 1)));
        assert_eq!(jpeg_header(b"not a jpeg"), None);
        assert_eq!(jpeg_header(&jpeg[..12]), None);
    }

    #[test]
    fn deterministic_and_sized() {
        let page = JpegPage { jpeg: vec![0xFF, 0xD8, 0xFF, 0xD9], width_px: 1654, height_px: 2339, dpi: 200.0, gray: true };
        let a = jpeg_pages(std::slice::from_ref(&page), "Giấy chứng sinh");
        assert_eq!(a, jpeg_pages(&[page], "Giấy chứng sinh"));
        let text = String::from_utf8_lossy(&a);
        assert!(text.contains("/MediaBox [0 0 595.44 842.04]"), "{text}");
        assert!(text.contains("/DCTDecode"));
        assert!(jpeg_pages(&[], "trống").starts_with(b"%PDF-1.7"));
    }
}

//! A processed page as one byte string (the app stores one blob per page):
//! a small versioned header, then the encoded layers, then an optional
//! colour thumbnail for screens. All integers little-endian.
//!
//! ```text
//! "HSPG" version:u8 profile:u8 kind:u8 0:u8 width:u32 height:u32 dpi:f32 skew:f32
//! kind 1 (JPEG): [jpeg]   kind 2 (G4): [g4]
//! kind 3 (MRC):  [mask g4] bg_w:u32 bg_h:u32 [bg jpeg] fg_w:u32 fg_h:u32 [fg jpeg]
//! [thumbnail jpeg, maybe empty]        where [x] = len:u32 then the bytes
//! ```
//!
//! Pages stored before this container (a plain JPEG) read as Color pages
//! through [`ProcessedPage::from_legacy_jpeg`].

use crate::profile::{EncodedPage, JpegLayer, ProcessedPage, Profile};
use crate::ImageError;

const MAGIC: &[u8; 4] = b"HSPG";
/// Raise when the layout changes; older readers then refuse by name.
pub const VERSION: u8 = 1;

fn profile_code(p: Profile) -> u8 {
    match p {
        Profile::Text => 1,
        Profile::Color | Profile::Auto => 2,
        Profile::Mixed => 3,
    }
}

fn put(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
    out.extend_from_slice(bytes);
}

/// The page and its thumbnail (may be empty) as one byte string.
pub fn pack(page: &ProcessedPage, thumb_jpeg: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(page.bytes() + thumb_jpeg.len() + 64);
    out.extend_from_slice(MAGIC);
    let kind = match &page.encoded {
        EncodedPage::Jpeg { .. } => 1,
        EncodedPage::G4 { .. } => 2,
        EncodedPage::Mrc { .. } => 3,
    };
    out.extend_from_slice(&[VERSION, profile_code(page.profile), kind, 0]);
    for v in
        [page.width_px.to_le_bytes(), page.height_px.to_le_bytes(), page.dpi.to_le_bytes(), page.skew_degrees.to_le_bytes()]
    {
        out.extend_from_slice(&v);
    }
    match &page.encoded {
        EncodedPage::Jpeg { jpeg } => put(&mut out, jpeg),
        EncodedPage::G4 { g4 } => put(&mut out, g4),
        EncodedPage::Mrc { mask_g4, background, foreground } => {
            put(&mut out, mask_g4);
            for layer in [background, foreground] {
                out.extend_from_slice(&layer.width_px.to_le_bytes());
                out.extend_from_slice(&layer.height_px.to_le_bytes());
                put(&mut out, &layer.jpeg);
            }
        }
    }
    put(&mut out, thumb_jpeg);
    out
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8], ImageError> {
        if self.0.len() < n {
            return Err(ImageError::Corrupt("trang lưu bị cắt cụt".into()));
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    fn u32(&mut self) -> Result<u32, ImageError> {
        Ok(u32::from_le_bytes(self.take(4)?.try_into().expect("4 bytes")))
    }

    fn f32(&mut self) -> Result<f32, ImageError> {
        Ok(f32::from_bits(self.u32()?))
    }

    fn section(&mut self) -> Result<Vec<u8>, ImageError> {
        let n = self.u32()? as usize;
        Ok(self.take(n)?.to_vec())
    }
}

/// Reads what [`pack`] wrote: the page and its thumbnail.
pub fn unpack(bytes: &[u8]) -> Result<(ProcessedPage, Vec<u8>), ImageError> {
    let mut r = Reader(bytes);
    if r.take(4)? != MAGIC {
        return Err(ImageError::Corrupt("không phải trang đã xử lý".into()));
    }
    let head = r.take(4)?;
    if head[0] != VERSION {
        return Err(ImageError::Corrupt(format!("trang lưu theo phiên bản {} (máy này đọc {VERSION})", head[0])));
    }
    let profile = match head[1] {
        1 => Profile::Text,
        2 => Profile::Color,
        3 => Profile::Mixed,
        other => return Err(ImageError::Corrupt(format!("kiểu trang {other}"))),
    };
    let (width_px, height_px, dpi, skew_degrees) = (r.u32()?, r.u32()?, r.f32()?, r.f32()?);
    if width_px == 0 || height_px == 0 || !(dpi.is_finite() && dpi > 0.0) || !skew_degrees.is_finite() {
        return Err(ImageError::Corrupt(format!("{width_px} × {height_px}, {dpi} dpi")));
    }
    let encoded = match head[2] {
        1 => EncodedPage::Jpeg { jpeg: r.section()? },
        2 => EncodedPage::G4 { g4: r.section()? },
        3 => {
            let mask_g4 = r.section()?;
            let mut layer = || -> Result<JpegLayer, ImageError> {
                let (width_px, height_px) = (r.u32()?, r.u32()?);
                Ok(JpegLayer { width_px, height_px, jpeg: r.section()? })
            };
            let (background, foreground) = (layer()?, layer()?);
            EncodedPage::Mrc { mask_g4, background, foreground }
        }
        other => return Err(ImageError::Corrupt(format!("kiểu mã hóa {other}"))),
    };
    let thumb = r.section()?;
    if !r.0.is_empty() {
        return Err(ImageError::Corrupt("dữ liệu thừa sau trang".into()));
    }
    Ok((ProcessedPage { width_px, height_px, dpi, profile, skew_degrees, encoded }, thumb))
}

impl ProcessedPage {
    /// The page alone as one byte string (see [`pack`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        pack(self, &[])
    }

    /// Reads [`ProcessedPage::to_bytes`] (or [`pack`], thumbnail dropped).
    pub fn from_bytes(bytes: &[u8]) -> Result<ProcessedPage, ImageError> {
        unpack(bytes).map(|(page, _)| page)
    }

    /// A page stored as a plain JPEG by earlier versions: a Color page.
    pub fn from_legacy_jpeg(jpeg: Vec<u8>, width_px: u32, height_px: u32, dpi: f32) -> ProcessedPage {
        ProcessedPage {
            width_px,
            height_px,
            dpi,
            profile: Profile::Color,
            skew_degrees: 0.0,
            encoded: EncodedPage::Jpeg { jpeg },
        }
    }

    /// The colour image a screen can show without decoding G4: the page's
    /// JPEG, or an MRC page's background layer.
    pub fn screen_jpeg(&self) -> Option<&[u8]> {
        match &self.encoded {
            EncodedPage::Jpeg { jpeg } => Some(jpeg),
            EncodedPage::Mrc { background, .. } => Some(&background.jpeg),
            EncodedPage::G4 { .. } => None,
        }
    }
}

/// Whether stored page bytes are a plain JPEG (stored before the container).
pub fn is_legacy_jpeg(bytes: &[u8]) -> bool {
    bytes.starts_with(&[0xFF, 0xD8])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pages() -> Vec<ProcessedPage> {
        let base = |profile, encoded| ProcessedPage {
            width_px: 1654,
            height_px: 2339,
            dpi: 200.0,
            profile,
            skew_degrees: -1.25,
            encoded,
        };
        vec![
            base(Profile::Color, EncodedPage::Jpeg { jpeg: vec![0xFF, 0xD8, 1, 2, 3] }),
            base(Profile::Text, EncodedPage::G4 { g4: (0..=255).collect() }),
            base(
                Profile::Mixed,
                EncodedPage::Mrc {
                    mask_g4: vec![9; 40],
                    background: JpegLayer { jpeg: vec![1; 7], width_px: 552, height_px: 780 },
                    foreground: JpegLayer { jpeg: vec![2; 3], width_px: 551, height_px: 779 },
                },
            ),
        ]
    }

    #[test]
    fn every_kind_round_trips_with_and_without_thumbnail() {
        for page in pages() {
            assert_eq!(ProcessedPage::from_bytes(&page.to_bytes()).unwrap(), page);
            let packed = pack(&page, b"thumb");
            assert_eq!(unpack(&packed).unwrap(), (page.clone(), b"thumb".to_vec()));
            assert!(packed.len() < page.bytes() + 64, "header overhead {}", packed.len() - page.bytes());
        }
    }

    #[test]
    fn damage_is_refused_not_misread() {
        for page in pages() {
            let packed = pack(&page, b"t");
            // Every truncation fails; so does anything appended.
            for n in 0..packed.len() {
                assert!(unpack(&packed[..n]).is_err(), "cut at {n}");
            }
            let mut longer = packed.clone();
            longer.push(0);
            assert!(unpack(&longer).is_err());
            let mut newer = packed.clone();
            newer[4] = VERSION + 1;
            assert!(matches!(unpack(&newer), Err(ImageError::Corrupt(m)) if m.contains("phiên bản")));
            let mut zero = packed.clone();
            zero[8..12].copy_from_slice(&0u32.to_le_bytes());
            assert!(unpack(&zero).is_err());
        }
        assert!(unpack(&[0xFF, 0xD8, 0xFF, 0xE0]).is_err());
    }

    #[test]
    fn legacy_jpeg_is_a_colour_page() {
        let jpeg = vec![0xFF, 0xD8, 0xFF, 0xD9];
        assert!(is_legacy_jpeg(&jpeg));
        assert!(!is_legacy_jpeg(&pages()[0].to_bytes()));
        let page = ProcessedPage::from_legacy_jpeg(jpeg.clone(), 800, 1000, 85.5);
        assert_eq!(page.profile, Profile::Color);
        assert_eq!(page.screen_jpeg(), Some(&jpeg[..]));
        assert_eq!(page.bytes(), 4);
    }
}

//! QR codes drawn by hoso — the receipt's and the handoff's — as vector
//! rectangles in PDFs, an SVG path in the app and pixels in the CLI. One
//! encoder (the `qrcode` crate, level M) for all of them.

use qrcode::{Color, EcLevel, QrCode};

/// Light modules around the symbol that the standard asks for.
pub const QUIET_ZONE: usize = 4;

/// A QR symbol: `width × width` modules, dark or light.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QrMatrix {
    pub width: usize,
    /// QR version (1–40).
    pub version: u8,
    dark: Vec<bool>,
}

impl QrMatrix {
    /// Encodes `text` at error correction level M (15% of the modules may be
    /// lost to a fold, a stain or glare). The encoder picks the densest mode
    /// per segment: text made of QR alphanumeric symbols only (handoff
    /// parts) costs 5.5 bits a character instead of 8. `None` when the text
    /// does not fit a version-40 code.
    pub fn encode(text: &str) -> Option<QrMatrix> {
        let code = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).ok()?;
        let version = match code.version() {
            qrcode::Version::Normal(v) => v as u8,
            qrcode::Version::Micro(_) => return None,
        };
        let dark = code.to_colors().into_iter().map(|c| c == Color::Dark).collect();
        Some(QrMatrix { width: code.width(), version, dark })
    }

    pub fn is_dark(&self, x: usize, y: usize) -> bool {
        self.dark[y * self.width + x]
    }

    /// Horizontal runs of dark modules: (row, first column, length).
    pub fn runs(&self) -> Vec<(usize, usize, usize)> {
        let n = self.width;
        let mut runs = Vec::new();
        for row in 0..n {
            let mut col = 0;
            while col < n {
                if !self.is_dark(col, row) {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < n && self.is_dark(col, row) {
                    col += 1;
                }
                runs.push((row, start, col - start));
            }
        }
        runs
    }

    /// PDF rectangles `[x, y, w, h]` of the dark modules, the symbol's
    /// top-left corner at (x, top), `side` points wide (no quiet zone).
    pub(crate) fn rects(&self, x: f32, top: f32, side: f32) -> Vec<[f32; 4]> {
        let m = side / self.width as f32;
        self.runs()
            .into_iter()
            .map(|(row, start, len)| [x + start as f32 * m, top - (row + 1) as f32 * m, len as f32 * m, m])
            .collect()
    }

    /// SVG path data in module units with the quiet zone included: the
    /// viewBox is `0 0 side side` with `side = width + 2 × QUIET_ZONE`.
    pub fn svg_path(&self) -> String {
        let q = QUIET_ZONE;
        self.runs().into_iter().map(|(row, start, len)| format!("M{} {}h{len}v1h-{len}z", start + q, row + q)).collect()
    }

    /// Side in modules, quiet zone included.
    pub fn side(&self) -> usize {
        self.width + 2 * QUIET_ZONE
    }

    /// Grey pixels (0 dark, 255 light), `scale` pixels a module, quiet zone
    /// included: (pixels, side in pixels).
    pub fn to_gray(&self, scale: usize) -> (Vec<u8>, usize) {
        let side = self.side() * scale;
        let mut px = vec![255u8; side * side];
        for (row, start, len) in self.runs() {
            for dy in 0..scale {
                let y = (row + QUIET_ZONE) * scale + dy;
                let x0 = (start + QUIET_ZONE) * scale;
                px[y * side + x0..y * side + x0 + len * scale].fill(0);
            }
        }
        (px, side)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_core::handoff::{alphanumeric_capacity, ALPHANUMERIC, MAX_QR_VERSION};

    #[test]
    fn alphanumeric_text_at_capacity_fits_the_version() {
        for v in [1u8, 5, 10, 15, MAX_QR_VERSION, 25] {
            let cap = alphanumeric_capacity(v);
            let text: String = (0..cap).map(|i| ALPHANUMERIC[(i * 7) % 45] as char).collect();
            assert_eq!(QrMatrix::encode(&text).unwrap().version, v, "{cap} symbols fill version {v}");
            let more = format!("{text}0");
            assert_eq!(QrMatrix::encode(&more).unwrap().version, v + 1);
        }
    }

    #[test]
    fn drawings_agree() {
        let m = QrMatrix::encode("HS1:1/1:ABCDEF0123").unwrap();
        assert_eq!(m.width, 21);
        let (px, side) = m.to_gray(3);
        assert_eq!(side, 29 * 3);
        let dark_px = px.iter().filter(|p| **p == 0).count();
        let dark_modules = m.dark.iter().filter(|d| **d).count();
        assert_eq!(dark_px, dark_modules * 9);
        let path_area: usize = m.runs().iter().map(|r| r.2).sum();
        assert_eq!(path_area, dark_modules);
        assert!(m.svg_path().starts_with("M4 4h7v1h-7z"), "finder pattern top left: {}", &m.svg_path()[..20]);
    }
}

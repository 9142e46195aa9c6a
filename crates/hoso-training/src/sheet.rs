//! A sample paper as a list of drawing operations, in pixels. The browser
//! replays them on a canvas (and encodes a JPEG, as a phone photo would
//! be); tests rasterize the filled rectangles to read the QR back.

use qrcode::{Color, EcLevel, QrCode};

/// RGBA, alpha 0–255.
pub type Rgba = [u8; 4];

pub const PAPER: Rgba = [250, 248, 242, 255];
pub const INK: Rgba = [25, 25, 30, 255];
pub const WHITE: Rgba = [255, 255, 255, 255];
pub const SEAL: Rgba = [200, 30, 40, 235];
pub const SIGNATURE: Rgba = [30, 55, 170, 255];
/// The "MẪU" watermark: red, translucent, so the text under it stays legible.
pub const WATERMARK: Rgba = [210, 20, 30, 70];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Align {
    Left,
    Center,
    Right,
}

#[derive(Clone, Debug, PartialEq)]
pub enum Op {
    Fill { x: f32, y: f32, w: f32, h: f32, color: Rgba },
    Stroke { x: f32, y: f32, w: f32, h: f32, width: f32, color: Rgba },
    /// `y` is the text's baseline; `serif` for printed forms, else sans.
    Text { x: f32, y: f32, size: f32, bold: bool, serif: bool, align: Align, color: Rgba, text: String },
    Circle { cx: f32, cy: f32, r: f32, width: f32, color: Rgba },
    /// A hand-drawn stroke (signature) through these points.
    Path { points: Vec<(f32, f32)>, width: f32, color: Rgba },
    /// Big text across the sheet's diagonal, centred, rising to the right.
    Watermark { text: String, size: f32, color: Rgba },
}

/// One sample paper.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    /// Sample id (`the-can-cuoc`, `giay-chung-sinh`) and file name stem.
    pub id: &'static str,
    /// What it is, as shown next to its download link.
    pub title: String,
    pub width: u32,
    pub height: u32,
    pub ops: Vec<Op>,
}

impl Sheet {
    pub fn file_name(&self) -> String {
        format!("mau-{}.jpg", self.id)
    }

    /// Whether a "MẪU" watermark covers the sheet (every sample must have one).
    pub fn has_watermark(&self) -> bool {
        self.ops.iter().any(|op| matches!(op, Op::Watermark { text, size, .. } if text == "MẪU" && *size >= self.width.min(self.height) as f32 * 0.25))
    }
}

/// Rectangles of a QR code's dark modules (runs merged per row) on a white
/// quiet zone of four modules, with its top-left corner at (x, y).
pub fn qr_ops(text: &str, x: f32, y: f32, module: f32) -> Vec<Op> {
    let qr = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("sample texts fit a QR code");
    let n = qr.width();
    let colors = qr.to_colors();
    let quiet = 4.0 * module;
    let side = n as f32 * module + 2.0 * quiet;
    let mut ops = vec![Op::Fill { x, y, w: side, h: side, color: WHITE }];
    for row in 0..n {
        let mut col = 0;
        while col < n {
            if colors[row * n + col] != Color::Dark {
                col += 1;
                continue;
            }
            let start = col;
            while col < n && colors[row * n + col] == Color::Dark {
                col += 1;
            }
            ops.push(Op::Fill {
                x: x + quiet + start as f32 * module,
                y: y + quiet + row as f32 * module,
                w: (col - start) as f32 * module,
                h: module,
                color: [0, 0, 0, 255],
            });
        }
    }
    ops
}

/// Side in pixels of what [`qr_ops`] draws.
pub fn qr_side(text: &str, module: f32) -> f32 {
    let qr = QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M).expect("sample texts fit a QR code");
    (qr.width() as f32 + 8.0) * module
}

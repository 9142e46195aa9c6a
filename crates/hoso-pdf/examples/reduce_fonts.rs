//! Shrinks the Tinos fonts from Debian's fonts-croscore to the characters
//! Vietnamese documents use, for `static/fonts/` (bundled into the app):
//!
//! ```sh
//! cargo run -p hoso-pdf --example reduce_fonts [SOURCE_DIR]
//! ```
//!
//! The result keeps a `cmap`, so it is still a usable TrueType font; hinting
//! and layout tables are dropped (PDF rendering does not need them).

use hoso_pdf::sfnt::{subset, Mode};
use std::path::PathBuf;

/// Latin, Vietnamese and the punctuation and symbols forms use.
fn wanted() -> impl Iterator<Item = char> {
    let ranges: &[(u32, u32)] = &[
        (0x0020, 0x007E), // Basic Latin
        (0x00A0, 0x00FF), // Latin-1 Supplement
        (0x0100, 0x017F), // Latin Extended-A (Ă ă Đ đ Ĩ ĩ Ũ ũ …)
        (0x01A0, 0x01A1), // Ơ ơ
        (0x01AF, 0x01B0), // Ư ư
        (0x02C6, 0x02C7), // ˆ ˇ
        (0x02D8, 0x02DD), // ˘ ˙ ˚ ˛ ˜ ˝
        (0x0300, 0x0323), // combining marks (NFD fallback)
        (0x1EA0, 0x1EF9), // Latin Extended Additional: Vietnamese
        (0x2010, 0x2027), // dashes, quotes, bullet, ellipsis
        (0x2030, 0x2030), // ‰
        (0x2039, 0x203A), // ‹ ›
        (0x20AB, 0x20AC), // ₫ €
        (0x2116, 0x2116), // №
        (0x2212, 0x2212), // −
        (0x25A1, 0x25A1), // □
        (0x25CB, 0x25CF), // ○ ●
        (0x2610, 0x2612), // ☐ ☑ ☒
        (0x2713, 0x2714), // ✓ ✔
    ];
    ranges.iter().flat_map(|&(a, b)| (a..=b).filter_map(char::from_u32))
}

fn main() {
    let source = std::env::args().nth(1).map_or_else(|| PathBuf::from("/usr/share/fonts/truetype/croscore"), PathBuf::from);
    let target = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../static/fonts");
    for name in ["Tinos-Regular.ttf", "Tinos-Bold.ttf"] {
        let data = std::fs::read(source.join(name)).unwrap_or_else(|e| panic!("{}: {e}", source.join(name).display()));
        let face = ttf_parser::Face::parse(&data, 0).expect("a font");
        let chars: Vec<(char, u16)> = wanted().filter_map(|c| Some((c, face.glyph_index(c)?.0))).collect();
        let missing: String = wanted().filter(|&c| face.glyph_index(c).is_none()).collect();
        let sub = subset(&data, chars.iter().map(|p| p.1), &chars, Mode::Standalone).expect("subset");
        std::fs::write(target.join(name), &sub.font).expect("write");
        println!(
            "{name}: {} → {} bytes, {} chars, {} glyphs; not in font: {missing:?}",
            data.len(),
            sub.font.len(),
            chars.len(),
            sub.map.len()
        );
    }
}

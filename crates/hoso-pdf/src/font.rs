//! The bundled Tinos faces (Times-metric, full Vietnamese): measuring text
//! and embedding per-document subsets as Type0/CIDFontType2 fonts.

use crate::sfnt;
use pdf_writer::types::{CidFontType, FontFlags, SystemInfo};
use pdf_writer::{Chunk, Filter, Finish, Name, Rect, Ref, Str};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;

/// Reduced by `examples/reduce_fonts.rs` to Latin + Vietnamese glyphs.
pub(crate) static REGULAR_TTF: &[u8] = include_bytes!("../../../static/fonts/Tinos-Regular.ttf");
pub(crate) static BOLD_TTF: &[u8] = include_bytes!("../../../static/fonts/Tinos-Bold.ttf");

/// The two weights the forms use (no italic: keeps the app small).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Style {
    Regular,
    Bold,
}

/// A parsed face plus what the PDF needs to know about it.
pub struct Font {
    data: &'static [u8],
    metrics: sfnt::Metrics<'static>,
    ps_name: &'static str,
    bold: bool,
    /// 1000 / unitsPerEm: PDF glyph space is in thousandths of an em.
    scale: f32,
}

impl Font {
    pub fn new(style: Style) -> Font {
        let (data, ps_name, bold) = match style {
            Style::Regular => (REGULAR_TTF, "Tinos-Regular", false),
            Style::Bold => (BOLD_TTF, "Tinos-Bold", true),
        };
        // The bundled files are tested below; failure is a build defect.
        let metrics = sfnt::Metrics::parse(data).expect("bundled font parses");
        let scale = 1000.0 / f32::from(metrics.units_per_em);
        Font { data, metrics, ps_name, bold, scale }
    }

    /// Glyphs for `text`, each with the character it stands for (for
    /// ToUnicode). Characters without a glyph fall back to their canonical
    /// decomposition (base + combining marks), then to '?'.
    pub fn glyphs(&self, text: &str) -> Vec<(u16, char)> {
        let mut out = Vec::with_capacity(text.len());
        for c in text.chars() {
            let c = if c.is_whitespace() { ' ' } else { c };
            if let Some(g) = self.metrics.glyph_index(c) {
                out.push((g, c));
                continue;
            }
            let parts: Vec<char> = hoso_core::text::nfd(c.encode_utf8(&mut [0; 4])).chars().collect();
            let mapped: Option<Vec<(u16, char)>> = parts.iter().map(|&p| self.metrics.glyph_index(p).map(|g| (g, p))).collect();
            match mapped {
                Some(m) if parts.len() > 1 => out.extend(m),
                _ => out.push((self.metrics.glyph_index('?').unwrap_or(0), '?')),
            }
        }
        out
    }

    /// Advance of a glyph in thousandths of an em.
    pub fn advance(&self, gid: u16) -> f32 {
        f32::from(self.metrics.advance(gid)) * self.scale
    }

    /// Width of `text` set at `size` points (no kerning: we never use it).
    pub fn width(&self, text: &str, size: f32) -> f32 {
        self.glyphs(text).iter().map(|&(g, _)| self.advance(g)).sum::<f32>() * size / 1000.0
    }

    pub fn has_char(&self, c: char) -> bool {
        self.metrics.glyph_index(c).is_some()
    }

    /// Writes the Type0 font for the glyphs in `used` (old gid → char) and
    /// returns its reference plus the old → new glyph id map for encoding.
    pub(crate) fn embed(
        &self,
        chunk: &mut Chunk,
        next_ref: &mut impl FnMut() -> Ref,
        used: &BTreeMap<u16, char>,
    ) -> (Ref, BTreeMap<u16, u16>) {
        let sub = sfnt::subset(self.data, used.keys().copied(), &[], sfnt::Mode::Pdf).expect("bundled font subsets");
        let (type0, cid, descriptor, cmap, file) = (next_ref(), next_ref(), next_ref(), next_ref(), next_ref());

        // Subset tag "ABCDEF+": six letters from the glyph set, so the same
        // text always yields the same name.
        let mut hash = Sha256::new();
        for (&old, &new) in &sub.map {
            hash.update(old.to_be_bytes());
            hash.update(new.to_be_bytes());
        }
        let digest = hash.finalize();
        let tag: String = digest[..6].iter().map(|b| char::from(b'A' + b % 26)).collect();
        let base_name = format!("{tag}+{}", self.ps_name);
        let base_name = Name(base_name.as_bytes());

        let info = SystemInfo { registry: Str(b"Adobe"), ordering: Str(b"Identity"), supplement: 0 };
        chunk
            .type0_font(type0)
            .base_font(base_name)
            .encoding_predefined(Name(b"Identity-H"))
            .descendant_font(cid)
            .to_unicode(cmap);

        let widths: Vec<f32> = sub.map.keys().map(|&old| self.advance(old).round()).collect();
        let mut cid_font = chunk.cid_font(cid);
        cid_font
            .subtype(CidFontType::Type2)
            .base_font(base_name)
            .system_info(info)
            .font_descriptor(descriptor)
            .default_width(0.0)
            .cid_to_gid_map_predefined(Name(b"Identity"));
        cid_font.widths().consecutive(0, widths);
        cid_font.finish();

        let s = self.scale;
        let m = &self.metrics;
        let [x_min, y_min, x_max, y_max] = m.bbox.map(|v| f32::from(v) * s);
        let mut flags = FontFlags::SERIF | FontFlags::NON_SYMBOLIC;
        if self.bold {
            flags |= FontFlags::FORCE_BOLD;
        }
        chunk
            .font_descriptor(descriptor)
            .name(base_name)
            .flags(flags)
            .bbox(Rect::new(x_min, y_min, x_max, y_max))
            .italic_angle(m.italic_angle)
            .ascent(f32::from(m.ascender) * s)
            .descent(f32::from(m.descender) * s)
            .cap_height(f32::from(m.cap_height.unwrap_or(m.ascender)) * s)
            // No stem data in TrueType; the usual regular/bold estimates.
            .stem_v(if self.bold { 140.0 } else { 80.0 })
            .font_file2(file);

        let mut to_unicode = pdf_writer::types::UnicodeCmap::new(Name(b"Custom"), info);
        for (old, c) in used {
            to_unicode.pair(sub.map[old], *c);
        }
        let to_unicode = crate::deflate(&to_unicode.finish());
        chunk.cmap(cmap, &to_unicode).filter(Filter::FlateDecode);

        let packed = crate::deflate(&sub.font);
        chunk.stream(file, &packed).filter(Filter::FlateDecode).pair(Name(b"Length1"), sub.font.len() as i32);
        (type0, sub.map)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_fonts_cover_vietnamese() {
        let text = "ÀÁÂÃÈÉÊÌÍÒÓÔÕÙÚÝàáâãèéêìíòóôõùúýĂăĐđĨĩŨũƠơƯư–—‘’“”…•₫";
        for style in [Style::Regular, Style::Bold] {
            let font = Font::new(style);
            for c in text.chars().chain('\u{1EA0}'..='\u{1EF9}').chain(' '..='~') {
                assert!(font.has_char(c), "{style:?} lacks {c:?} U+{:04X}", c as u32);
            }
        }
    }

    #[test]
    fn widths_follow_times_metrics() {
        let font = Font::new(Style::Regular);
        // Times: space 250, 'm' 778, 'i' 278 thousandths of an em.
        assert!((font.width(" ", 1000.0) - 250.0).abs() < 1.0);
        assert!((font.width("mi", 10.0) - 10.56).abs() < 0.05);
        assert!(Font::new(Style::Bold).width("Nam", 13.0) > font.width("Nam", 13.0));
    }

    #[test]
    fn decomposes_what_the_font_lacks() {
        let font = Font::new(Style::Regular);
        // Ǎ is not kept in the reduced font: base letter + combining caron.
        let a = font.glyphs("Ǎ");
        assert_eq!(a.iter().map(|p| p.1).collect::<String>(), "A\u{030C}");
        // A character with no glyph becomes '?', never a blank.
        let g = font.glyphs("\u{4E2D}");
        assert_eq!(g.len(), 1);
        assert_eq!(g[0].1, '?');
    }
}

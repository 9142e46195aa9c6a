//! A small TrueType (glyf) subsetter: keeps only chosen glyphs, renumbers
//! them densely, strips hinting and layout tables. Used twice: once offline
//! to shrink the bundled fonts (keeping a `cmap`), and at PDF creation to
//! embed only the glyphs a document uses (no `cmap`: the PDF maps codes to
//! glyphs itself through Identity-H).

use std::collections::{BTreeMap, BTreeSet};

/// Why a font could not be subset.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// Not a TrueType font, or a table is truncated.
    Malformed,
    /// CFF outlines or font collections: not needed for the bundled fonts.
    Unsupported,
}

/// Result of [`subset`].
#[derive(Clone, Debug)]
pub struct Subset {
    /// The new font file.
    pub font: Vec<u8>,
    /// Old glyph id → new glyph id. New ids follow the old order, 0 stays 0.
    pub map: BTreeMap<u16, u16>,
}

/// Which optional tables to carry over.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    /// A still installable font: `cmap` (rebuilt), `OS/2`, `name`.
    Standalone,
    /// Only what a PDF CIDFontType2 needs (plus `OS/2` and `name`, both tiny).
    Pdf,
}

const TAG_CMAP: [u8; 4] = *b"cmap";
const TAG_GLYF: [u8; 4] = *b"glyf";
const TAG_HEAD: [u8; 4] = *b"head";
const TAG_HHEA: [u8; 4] = *b"hhea";
const TAG_HMTX: [u8; 4] = *b"hmtx";
const TAG_LOCA: [u8; 4] = *b"loca";
const TAG_MAXP: [u8; 4] = *b"maxp";
const TAG_NAME: [u8; 4] = *b"name";
const TAG_OS2: [u8; 4] = *b"OS/2";
const TAG_POST: [u8; 4] = *b"post";

// Composite glyph flags (OpenType `glyf` spec).
const ARG_1_AND_2_ARE_WORDS: u16 = 0x0001;
const WE_HAVE_A_SCALE: u16 = 0x0008;
const MORE_COMPONENTS: u16 = 0x0020;
const WE_HAVE_AN_X_AND_Y_SCALE: u16 = 0x0040;
const WE_HAVE_A_TWO_BY_TWO: u16 = 0x0080;
const WE_HAVE_INSTRUCTIONS: u16 = 0x0100;

fn u16_at(d: &[u8], at: usize) -> Result<u16, Error> {
    d.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]])).ok_or(Error::Malformed)
}

fn u32_at(d: &[u8], at: usize) -> Result<u32, Error> {
    d.get(at..at + 4).map(|b| u32::from_be_bytes([b[0], b[1], b[2], b[3]])).ok_or(Error::Malformed)
}

fn put_u16(d: &mut [u8], at: usize, v: u16) {
    d[at..at + 2].copy_from_slice(&v.to_be_bytes());
}

/// The table directory of a single-font file.
struct Face<'a> {
    data: &'a [u8],
    tables: Vec<([u8; 4], &'a [u8])>,
}

impl<'a> Face<'a> {
    fn parse(data: &'a [u8]) -> Result<Face<'a>, Error> {
        match u32_at(data, 0)? {
            0x0001_0000 | 0x7472_7565 => {} // 1.0 or 'true'
            _ => return Err(Error::Unsupported),
        }
        let count = u16_at(data, 4)? as usize;
        let mut tables = Vec::with_capacity(count);
        for i in 0..count {
            let rec = 12 + 16 * i;
            let tag: [u8; 4] = data.get(rec..rec + 4).ok_or(Error::Malformed)?.try_into().unwrap();
            let off = u32_at(data, rec + 8)? as usize;
            let len = u32_at(data, rec + 12)? as usize;
            let body = data.get(off..off.checked_add(len).ok_or(Error::Malformed)?).ok_or(Error::Malformed)?;
            tables.push((tag, body));
        }
        Ok(Face { data, tables })
    }

    fn table(&self, tag: [u8; 4]) -> Option<&'a [u8]> {
        self.tables.iter().find(|(t, _)| *t == tag).map(|(_, b)| *b)
    }

    fn need(&self, tag: [u8; 4]) -> Result<&'a [u8], Error> {
        self.table(tag).ok_or(Error::Malformed)
    }
}

/// What text layout and the PDF font descriptor need from a font, read
/// directly from its tables (a full parser would cost far more code size
/// in the web app than these few lookups).
pub struct Metrics<'a> {
    /// A format-4 `cmap` subtable.
    cmap: &'a [u8],
    hmtx: &'a [u8],
    long_metrics: u16,
    glyph_count: u16,
    pub units_per_em: u16,
    /// xMin, yMin, xMax, yMax over all glyphs, in font units.
    pub bbox: [i16; 4],
    pub ascender: i16,
    pub descender: i16,
    pub cap_height: Option<i16>,
    pub italic_angle: f32,
}

impl<'a> Metrics<'a> {
    pub fn parse(data: &'a [u8]) -> Result<Metrics<'a>, Error> {
        let face = Face::parse(data)?;
        let head = face.need(TAG_HEAD)?;
        let hhea = face.need(TAG_HHEA)?;
        let i16_at = |d: &[u8], at| u16_at(d, at).map(|v| v as i16);
        let cmap = face.need(TAG_CMAP)?;
        let mut subtable = None;
        for i in 0..u16_at(cmap, 2)? as usize {
            let (platform, encoding) = (u16_at(cmap, 4 + 8 * i)?, u16_at(cmap, 6 + 8 * i)?);
            let offset = u32_at(cmap, 8 + 8 * i)? as usize;
            let unicode = platform == 0 || (platform == 3 && encoding == 1);
            if unicode && u16_at(cmap, offset)? == 4 {
                let len = u16_at(cmap, offset + 2)? as usize;
                subtable = Some(cmap.get(offset..offset + len).ok_or(Error::Malformed)?);
                break;
            }
        }
        let metrics = Metrics {
            cmap: subtable.ok_or(Error::Unsupported)?,
            hmtx: face.need(TAG_HMTX)?,
            long_metrics: u16_at(hhea, 34)?.max(1),
            glyph_count: u16_at(face.need(TAG_MAXP)?, 4)?,
            units_per_em: u16_at(head, 18)?.max(1),
            bbox: [i16_at(head, 36)?, i16_at(head, 38)?, i16_at(head, 40)?, i16_at(head, 42)?],
            ascender: i16_at(hhea, 4)?,
            descender: i16_at(hhea, 6)?,
            // OS/2 version 2 and later carry sCapHeight.
            cap_height: face.table(TAG_OS2).filter(|t| u16_at(t, 0).is_ok_and(|v| v >= 2)).and_then(|t| i16_at(t, 88).ok()),
            italic_angle: face.table(TAG_POST).and_then(|t| u32_at(t, 4).ok()).map_or(0.0, |f| f as i32 as f32 / 65536.0),
        };
        if metrics.hmtx.len() < 4 * metrics.long_metrics as usize {
            return Err(Error::Malformed);
        }
        Ok(metrics)
    }

    /// The glyph for a character, through the format-4 `cmap`.
    pub fn glyph_index(&self, c: char) -> Option<u16> {
        let c = u16::try_from(u32::from(c)).ok()?;
        let t = self.cmap;
        let seg_x2 = u16_at(t, 6).ok()? as usize;
        let (ends, starts, deltas, ranges) = (14, 16 + seg_x2, 16 + 2 * seg_x2, 16 + 3 * seg_x2);
        // Binary search for the first segment whose end is >= c.
        let (mut lo, mut hi) = (0, seg_x2 / 2);
        while lo < hi {
            let mid = (lo + hi) / 2;
            if u16_at(t, ends + 2 * mid).ok()? < c {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        let seg = 2 * lo;
        let start = u16_at(t, starts + seg).ok()?;
        if lo == seg_x2 / 2 || c < start {
            return None;
        }
        let delta = u16_at(t, deltas + seg).ok()?;
        let range = u16_at(t, ranges + seg).ok()? as usize;
        let gid = if range == 0 {
            c.wrapping_add(delta)
        } else {
            match u16_at(t, ranges + seg + range + 2 * usize::from(c - start)).ok()? {
                0 => 0,
                g => g.wrapping_add(delta),
            }
        };
        (gid != 0 && gid < self.glyph_count).then_some(gid)
    }

    /// Advance width in font units.
    pub fn advance(&self, gid: u16) -> u16 {
        let i = usize::from(gid.min(self.glyph_count.saturating_sub(1))).min(usize::from(self.long_metrics) - 1);
        u16_at(self.hmtx, 4 * i).unwrap_or(0)
    }
}

/// Glyph outlines addressed through `loca`.
struct Glyphs<'a> {
    glyf: &'a [u8],
    loca: &'a [u8],
    long: bool,
    count: u16,
}

impl<'a> Glyphs<'a> {
    fn get(&self, gid: u16) -> Result<&'a [u8], Error> {
        if gid >= self.count {
            return Err(Error::Malformed);
        }
        let i = gid as usize;
        let (a, b) = if self.long {
            (u32_at(self.loca, 4 * i)? as usize, u32_at(self.loca, 4 * i + 4)? as usize)
        } else {
            (2 * u16_at(self.loca, 2 * i)? as usize, 2 * u16_at(self.loca, 2 * i + 2)? as usize)
        };
        if a > b {
            return Err(Error::Malformed);
        }
        self.glyf.get(a..b).ok_or(Error::Malformed)
    }
}

/// Walks the components of a composite glyph: (offset of glyph index, flags).
fn components(glyph: &[u8]) -> Result<(Vec<(usize, u16)>, usize), Error> {
    let mut out = Vec::new();
    let mut at = 10;
    loop {
        let flags = u16_at(glyph, at)?;
        out.push((at + 2, flags));
        at += 4;
        at += if flags & ARG_1_AND_2_ARE_WORDS != 0 { 4 } else { 2 };
        at += if flags & WE_HAVE_A_SCALE != 0 {
            2
        } else if flags & WE_HAVE_AN_X_AND_Y_SCALE != 0 {
            4
        } else if flags & WE_HAVE_A_TWO_BY_TWO != 0 {
            8
        } else {
            0
        };
        if flags & MORE_COMPONENTS == 0 {
            // `at` is where the (dropped) instructions would start.
            return Ok((out, at));
        }
    }
}

/// Copies one glyph without its hinting instructions, renumbering components.
fn strip_glyph(glyph: &[u8], map: &BTreeMap<u16, u16>) -> Result<Vec<u8>, Error> {
    if glyph.is_empty() {
        return Ok(Vec::new());
    }
    let contours = u16_at(glyph, 0)? as i16;
    if contours >= 0 {
        let n = contours as usize;
        let ilen_at = 10 + 2 * n;
        let ilen = u16_at(glyph, ilen_at)? as usize;
        let rest = glyph.get(ilen_at + 2 + ilen..).ok_or(Error::Malformed)?;
        let mut out = Vec::with_capacity(ilen_at + 2 + rest.len());
        out.extend_from_slice(&glyph[..ilen_at]);
        out.extend_from_slice(&[0, 0]);
        out.extend_from_slice(rest);
        Ok(out)
    } else {
        let (parts, end) = components(glyph)?;
        let mut out = glyph.get(..end).ok_or(Error::Malformed)?.to_vec();
        for (gid_at, flags) in parts {
            let old = u16_at(&out, gid_at)?;
            put_u16(&mut out, gid_at, *map.get(&old).ok_or(Error::Malformed)?);
            put_u16(&mut out, gid_at - 2, flags & !WE_HAVE_INSTRUCTIONS);
        }
        Ok(out)
    }
}

/// Keeps `glyphs` (plus `.notdef` and every component they reference).
/// In [`Mode::Standalone`], `chars` become the new `cmap` (chars whose glyph
/// is not kept are ignored).
pub fn subset(data: &[u8], glyphs: impl IntoIterator<Item = u16>, chars: &[(char, u16)], mode: Mode) -> Result<Subset, Error> {
    let face = Face::parse(data)?;
    let head = face.need(TAG_HEAD)?;
    let hhea = face.need(TAG_HHEA)?;
    let maxp = face.need(TAG_MAXP)?;
    let hmtx = face.need(TAG_HMTX)?;
    let source = Glyphs {
        glyf: face.table(TAG_GLYF).ok_or(Error::Unsupported)?,
        loca: face.need(TAG_LOCA)?,
        long: u16_at(head, 50)? != 0,
        count: u16_at(maxp, 4)?,
    };

    // Closure over composite components, so accents stay attached to their bases.
    let mut keep = BTreeSet::from([0u16]);
    let mut todo: Vec<u16> = glyphs.into_iter().filter(|&g| g < source.count).collect();
    while let Some(gid) = todo.pop() {
        if !keep.insert(gid) {
            continue;
        }
        let glyph = source.get(gid)?;
        if glyph.len() >= 10 && (u16_at(glyph, 0)? as i16) < 0 {
            for (at, _) in components(glyph)?.0 {
                let part = u16_at(glyph, at)?;
                if part < source.count && !keep.contains(&part) {
                    todo.push(part);
                }
            }
        }
    }
    let map: BTreeMap<u16, u16> = hoso_core::sort::map_of(keep.iter().enumerate().map(|(new, &old)| (old, new as u16)));
    let count = map.len() as u16;

    // glyf + loca. Glyphs are padded to even lengths so the short loca works.
    let mut glyf = Vec::new();
    let mut offsets = vec![0usize];
    for &old in &keep {
        glyf.extend(strip_glyph(source.get(old)?, &map)?);
        if glyf.len() % 2 == 1 {
            glyf.push(0);
        }
        offsets.push(glyf.len());
    }
    let short = glyf.len() / 2 <= u16::MAX as usize;
    let mut loca = Vec::new();
    for off in offsets {
        if short {
            loca.extend_from_slice(&((off / 2) as u16).to_be_bytes());
        } else {
            loca.extend_from_slice(&(off as u32).to_be_bytes());
        }
    }

    // hmtx: one full metric per glyph keeps this simple.
    let long_metrics = u16_at(hhea, 34)?.max(1) as usize;
    let mut new_hmtx = Vec::with_capacity(4 * count as usize);
    for &old in &keep {
        let i = old as usize;
        let advance = u16_at(hmtx, 4 * i.min(long_metrics - 1))?;
        let lsb =
            if i < long_metrics { u16_at(hmtx, 4 * i + 2)? } else { u16_at(hmtx, 4 * long_metrics + 2 * (i - long_metrics))? };
        new_hmtx.extend_from_slice(&advance.to_be_bytes());
        new_hmtx.extend_from_slice(&lsb.to_be_bytes());
    }

    let mut new_hhea = hhea.to_vec();
    put_u16(&mut new_hhea, 34, count);

    let mut new_maxp = maxp.to_vec();
    put_u16(&mut new_maxp, 4, count);
    if new_maxp.len() >= 32 {
        // No fpgm/prep/instructions left.
        for at in [20, 22, 26] {
            put_u16(&mut new_maxp, at, 0);
        }
    }

    let mut new_head = head.to_vec();
    new_head.get_mut(8..12).ok_or(Error::Malformed)?.fill(0);
    put_u16(&mut new_head, 50, u16::from(!short));

    // post 3.0: no glyph names.
    let mut post = face.need(TAG_POST)?.get(..32).ok_or(Error::Malformed)?.to_vec();
    post[..4].copy_from_slice(&0x0003_0000u32.to_be_bytes());

    let mut tables: Vec<([u8; 4], Vec<u8>)> = vec![
        (TAG_GLYF, glyf),
        (TAG_HEAD, new_head),
        (TAG_HHEA, new_hhea),
        (TAG_HMTX, new_hmtx),
        (TAG_LOCA, loca),
        (TAG_MAXP, new_maxp),
        (TAG_POST, post),
    ];
    if let Some(os2) = face.table(TAG_OS2) {
        tables.push((TAG_OS2, os2.to_vec()));
    }
    if let Some(name) = face.table(TAG_NAME) {
        tables.push((TAG_NAME, reduce_name(name, mode)?));
    }
    if mode == Mode::Standalone {
        let mapped: BTreeMap<char, u16> = chars.iter().filter_map(|&(c, g)| Some((c, *map.get(&g)?))).collect();
        tables.push((TAG_CMAP, build_cmap(&mapped)));
    }
    let _ = face.data;
    Ok(Subset { font: assemble(tables), map })
}

/// Keeps the Windows English names that identify the font and its
/// copyright (ids 0–7 and the license URL 14; the license text 13 too for
/// a standalone font), dropping the Macintosh duplicates.
fn reduce_name(name: &[u8], mode: Mode) -> Result<Vec<u8>, Error> {
    let count = u16_at(name, 2)? as usize;
    let storage = u16_at(name, 4)? as usize;
    let mut records = Vec::new();
    for i in 0..count {
        let r = 6 + 12 * i;
        let (platform, encoding, lang, id) = (u16_at(name, r)?, u16_at(name, r + 2)?, u16_at(name, r + 4)?, u16_at(name, r + 6)?);
        let (len, off) = (u16_at(name, r + 8)? as usize, u16_at(name, r + 10)? as usize);
        if platform == 3 && encoding == 1 && lang == 0x409 && (id <= 7 || id == 14 || (id == 13 && mode == Mode::Standalone)) {
            let start = storage + off;
            records.push(([platform, encoding, lang, id], name.get(start..start + len).ok_or(Error::Malformed)?));
        }
    }
    let mut out = Vec::new();
    let mut strings = Vec::new();
    for v in [0, records.len() as u16, (6 + 12 * records.len()) as u16] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    for (ids, text) in records {
        for v in ids.into_iter().chain([text.len() as u16, strings.len() as u16]) {
            out.extend_from_slice(&v.to_be_bytes());
        }
        strings.extend_from_slice(text);
    }
    out.extend(strings);
    Ok(out)
}

/// A format-4 `cmap` (BMP only, which covers Vietnamese) for platform 3/1.
fn build_cmap(chars: &BTreeMap<char, u16>) -> Vec<u8> {
    // Segments are runs of consecutive code points; a run whose glyph ids
    // are consecutive too is stored as a delta, others through glyphIdArray
    // (2 bytes a char, cheaper than many tiny segments).
    let bmp: Vec<(u16, u16)> = chars.iter().filter(|(c, _)| (**c as u32) < 0xFFFF).map(|(&c, &g)| (c as u32 as u16, g)).collect();
    let mut runs: Vec<&[(u16, u16)]> = Vec::new();
    let mut start = 0;
    for i in 1..=bmp.len() {
        let split = i == bmp.len() || bmp[i].0 != bmp[i - 1].0 + 1;
        if split {
            runs.push(&bmp[start..i]);
            start = i;
        }
    }
    let seg_count = runs.len() + 1; // + the final 0xFFFF segment
    let mut ends = Vec::new();
    let mut starts = Vec::new();
    let mut deltas = Vec::new();
    let mut range_offsets = Vec::new();
    let mut glyph_ids: Vec<u16> = Vec::new();
    for (i, run) in runs.iter().enumerate() {
        starts.push(run[0].0);
        ends.push(run[run.len() - 1].0);
        let delta = run[0].1.wrapping_sub(run[0].0);
        if run.iter().all(|&(c, g)| g.wrapping_sub(c) == delta) {
            deltas.push(delta);
            range_offsets.push(0u16);
        } else {
            deltas.push(0);
            // Offset from this idRangeOffset slot to the run's first glyph id.
            range_offsets.push((2 * (seg_count - i + glyph_ids.len())) as u16);
            glyph_ids.extend(run.iter().map(|&(_, g)| g));
        }
    }
    starts.push(0xFFFF);
    ends.push(0xFFFF);
    deltas.push(1);
    range_offsets.push(0);

    let seg_x2 = (2 * seg_count) as u16;
    let entry_selector = (seg_count as f32).log2().floor() as u16;
    let search_range = 2 * (1u16 << entry_selector);
    let mut sub: Vec<u16> = vec![4, 0, 0, seg_x2, search_range, entry_selector, seg_x2 - search_range];
    sub.extend(&ends);
    sub.push(0); // reservedPad
    sub.extend(&starts);
    sub.extend(&deltas);
    sub.extend(&range_offsets);
    sub.extend(&glyph_ids);
    sub[1] = (2 * sub.len()) as u16;

    let mut out = Vec::new();
    for v in [0u16, 1, 3, 1] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out.extend_from_slice(&12u32.to_be_bytes());
    for v in sub {
        out.extend_from_slice(&v.to_be_bytes());
    }
    out
}

fn checksum(data: &[u8]) -> u32 {
    data.chunks(4).fold(0u32, |sum, chunk| {
        let mut word = [0; 4];
        word[..chunk.len()].copy_from_slice(chunk);
        sum.wrapping_add(u32::from_be_bytes(word))
    })
}

/// Writes an sfnt file: sorted directory, 4-byte aligned tables, checksums.
fn assemble(mut tables: Vec<([u8; 4], Vec<u8>)>) -> Vec<u8> {
    hoso_core::sort::sort_by_key(&mut tables, |(tag, _)| *tag);
    let n = tables.len() as u16;
    let entry_selector = 15 - n.leading_zeros() as u16;
    let search_range = 16 * (1u16 << entry_selector);
    let mut out = Vec::new();
    out.extend_from_slice(&0x0001_0000u32.to_be_bytes());
    for v in [n, search_range, entry_selector, 16 * n - search_range] {
        out.extend_from_slice(&v.to_be_bytes());
    }
    let mut offset = 12 + 16 * tables.len();
    let mut head_at = None;
    for (tag, body) in &tables {
        if *tag == TAG_HEAD {
            head_at = Some(offset);
        }
        out.extend_from_slice(tag);
        out.extend_from_slice(&checksum(body).to_be_bytes());
        out.extend_from_slice(&(offset as u32).to_be_bytes());
        out.extend_from_slice(&(body.len() as u32).to_be_bytes());
        offset += body.len().next_multiple_of(4);
    }
    for (_, body) in &tables {
        out.extend_from_slice(body);
        out.resize(out.len().next_multiple_of(4), 0);
    }
    if let Some(at) = head_at {
        let adjust = 0xB1B0_AFBAu32.wrapping_sub(checksum(&out));
        out[at + 8..at + 12].copy_from_slice(&adjust.to_be_bytes());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::font::REGULAR_TTF;

    fn gid(face: &ttf_parser::Face, c: char) -> u16 {
        face.glyph_index(c).unwrap().0
    }

    #[test]
    fn pdf_subset_keeps_outlines_and_metrics() {
        let face = ttf_parser::Face::parse(REGULAR_TTF, 0).unwrap();
        let wanted: Vec<u16> = "Nguyễn Ánh".chars().map(|c| gid(&face, c)).collect();
        let sub = subset(REGULAR_TTF, wanted.iter().copied(), &[], Mode::Pdf).unwrap();
        let small = ttf_parser::Face::parse(&sub.font, 0).expect("subset parses");
        assert_eq!(small.number_of_glyphs() as usize, sub.map.len());
        assert!(sub.map.len() >= 8, "closure may add accent components");
        assert_eq!(sub.map[&0], 0);
        for &old in &wanted {
            let new = ttf_parser::GlyphId(sub.map[&old]);
            assert_eq!(small.glyph_hor_advance(new), face.glyph_hor_advance(ttf_parser::GlyphId(old)));
            assert_eq!(small.glyph_bounding_box(new), face.glyph_bounding_box(ttf_parser::GlyphId(old)));
        }
        assert!(small.glyph_index('N').is_none(), "no cmap in a PDF subset");
        assert!(sub.font.len() < 8_000, "{} bytes", sub.font.len());
    }

    #[test]
    fn standalone_subset_has_a_working_cmap() {
        let face = ttf_parser::Face::parse(REGULAR_TTF, 0).unwrap();
        let text = "Ơ ơ Ư ư Đ đ ỹ Ỹ ₫ abcxyz";
        let chars: Vec<(char, u16)> = text.chars().map(|c| (c, gid(&face, c))).collect();
        let sub = subset(REGULAR_TTF, chars.iter().map(|p| p.1), &chars, Mode::Standalone).unwrap();
        let small = ttf_parser::Face::parse(&sub.font, 0).unwrap();
        for (c, old) in chars {
            assert_eq!(small.glyph_index(c).map(|g| g.0), Some(sub.map[&old]), "{c}");
        }
        assert_eq!(small.glyph_index('Q'), None);
    }

    #[test]
    fn metrics_agree_with_ttf_parser() {
        for data in [REGULAR_TTF, crate::font::BOLD_TTF] {
            let face = ttf_parser::Face::parse(data, 0).unwrap();
            let ours = Metrics::parse(data).unwrap();
            assert_eq!(ours.units_per_em, face.units_per_em());
            assert_eq!((ours.ascender, ours.descender), (face.ascender(), face.descender()));
            assert_eq!(ours.cap_height, face.capital_height());
            assert_eq!(ours.italic_angle, face.italic_angle());
            let b = face.global_bounding_box();
            assert_eq!(ours.bbox, [b.x_min, b.y_min, b.x_max, b.y_max]);
            for c in (0u32..0x2800).filter_map(char::from_u32).chain(['\u{FFFF}', '😀']) {
                let gid = face.glyph_index(c).map(|g| g.0).filter(|&g| g != 0);
                assert_eq!(ours.glyph_index(c), gid, "{c:?}");
                if let Some(g) = gid {
                    assert_eq!(Some(ours.advance(g)), face.glyph_hor_advance(ttf_parser::GlyphId(g)));
                }
            }
        }
    }

    #[test]
    fn rejects_garbage() {
        assert!(subset(b"not a font at all", [1], &[], Mode::Pdf).is_err());
        assert!(subset(&REGULAR_TTF[..200], [1], &[], Mode::Pdf).is_err());
        assert!(Metrics::parse(&REGULAR_TTF[..200]).is_err());
    }
}

//! Our own reader of TIFF files as flatbed scanners write them (tệp TIFF
//! từ máy quét): every directory is one paper page. Small on purpose — the
//! app's worker carries it — and written for hostile input: every offset
//! and count is checked against the file, pixel bombs are refused by their
//! dimensions before anything is allocated, and decompression never goes
//! beyond the bytes the page can hold. A broken page fails alone.
//!
//! Read: classic TIFF in either byte order (BigTIFF is refused), strips or
//! tiles, chunky or planar samples; compression none, PackBits, LZW (with
//! or without horizontal predictor), Deflate, fax G3 and G4 (through [`crate::g4`]),
//! and new-style JPEG; grey (either polarity), RGB, palette and CMYK at
//! 1, 2, 4, 8 or 16 bits; alpha and other extra samples are dropped; the
//! Orientation tag is applied. A JPEG page in one piece is handed out as a
//! JPEG file (tables spliced in, orientation as an EXIF tag) for the host
//! to decode, as a PDF's `/DCTDecode` page is.

use std::borrow::Cow;

use hoso_core::i18n::inputs as words;

use crate::g4::Coding;
use crate::inputs::{PageImage, MAX_PAGES};
use crate::raster::{Orienter, PixelOrder, Rgb};
use crate::{ImageError, MAX_PIXELS};

fn corrupt(why: impl Into<String>) -> ImageError {
    ImageError::Corrupt(why.into())
}

/// Decodes one JPEG (a strip or tile of a JPEG page) to pixels; natively
/// the `image` crate, absent in the worker.
pub type JpegDecoder<'f> = &'f dyn Fn(&[u8]) -> Result<Rgb, ImageError>;

#[derive(Clone, Copy)]
struct File<'a> {
    data: &'a [u8],
    big_endian: bool,
}

impl<'a> File<'a> {
    fn open(data: &'a [u8]) -> Result<(File<'a>, usize), ImageError> {
        let big_endian = match data.get(..4) {
            Some(b"II*\0") => false,
            Some(b"MM\0*") => true,
            Some(b"II+\0" | b"MM\0+") => return Err(corrupt(words::TIFF_BIGTIFF)),
            _ => return Err(ImageError::UnknownFormat),
        };
        let file = File { data, big_endian };
        let first = file.u32_at(4).ok_or_else(|| corrupt(words::TIFF_HEADER))?;
        Ok((file, first as usize))
    }

    fn u16_at(&self, at: usize) -> Option<u16> {
        let b: [u8; 2] = self.data.get(at..at.checked_add(2)?)?.try_into().ok()?;
        Some(if self.big_endian { u16::from_be_bytes(b) } else { u16::from_le_bytes(b) })
    }

    fn u32_at(&self, at: usize) -> Option<u32> {
        let b: [u8; 4] = self.data.get(at..at.checked_add(4)?)?.try_into().ok()?;
        Some(if self.big_endian { u32::from_be_bytes(b) } else { u32::from_le_bytes(b) })
    }

    /// Where the directories start, in page order. A directory whose
    /// offset lies inside the file is a page even if it turns out broken;
    /// the chain ends at a loop, at a link outside the file or one past
    /// [`MAX_PAGES`] (the caller refuses that many).
    fn directories(&self, first: usize) -> Result<Vec<usize>, ImageError> {
        let mut out: Vec<usize> = Vec::new();
        let mut at = first;
        while at != 0 && at < self.data.len() && !out.contains(&at) && out.len() <= MAX_PAGES {
            out.push(at);
            let Some(entries) = self.u16_at(at) else {
                break;
            };
            at = self.u32_at(at + 2 + usize::from(entries) * 12).unwrap_or(0) as usize;
        }
        if out.is_empty() {
            return Err(corrupt(words::TIFF_DIRECTORY));
        }
        Ok(out)
    }
}

/// One directory (IFD): the tags of one page.
struct Dir<'a> {
    file: File<'a>,
    at: usize,
    entries: usize,
}

impl<'a> Dir<'a> {
    fn new(file: File<'a>, at: usize) -> Result<Dir<'a>, ImageError> {
        let entries = usize::from(file.u16_at(at).ok_or_else(|| corrupt(words::TIFF_DIRECTORY))?);
        if at + 2 + entries * 12 > file.data.len() {
            return Err(corrupt(words::TIFF_DIRECTORY));
        }
        Ok(Dir { file, at, entries })
    }

    /// The tag's type, count and where its values are.
    fn entry(&self, tag: u16) -> Option<(u16, usize, usize)> {
        (0..self.entries)
            .map(|i| self.at + 2 + i * 12)
            .find(|&e| self.file.u16_at(e) == Some(tag))
            .map(|e| (self.file.u16_at(e + 2).unwrap_or(0), self.file.u32_at(e + 4).unwrap_or(0) as usize, e + 8))
    }

    /// The tag's bytes, inline or at their offset, checked against the file.
    fn raw(&self, tag: u16) -> Result<Option<(u16, usize, &'a [u8])>, ImageError> {
        let Some((kind, count, value)) = self.entry(tag) else {
            return Ok(None);
        };
        let size = match kind {
            1 | 2 | 6 | 7 => 1,
            3 | 8 => 2,
            4 | 9 => 4,
            _ => return Err(corrupt(words::TIFF_DIRECTORY)),
        };
        let len = count.checked_mul(size).filter(|&n| n <= self.file.data.len()).ok_or_else(|| corrupt(words::TIFF_DIRECTORY))?;
        let start = if len <= 4 { value } else { self.file.u32_at(value).unwrap_or(u32::MAX) as usize };
        let bytes = start.checked_add(len).and_then(|end| self.file.data.get(start..end));
        bytes.map(|b| Some((kind, count, b))).ok_or_else(|| corrupt(words::TIFF_DIRECTORY))
    }

    /// Unsigned integer values (BYTE, SHORT or LONG).
    fn values(&self, tag: u16) -> Result<Option<Vec<u32>>, ImageError> {
        let Some((kind, count, bytes)) = self.raw(tag)? else {
            return Ok(None);
        };
        let values = File { data: bytes, big_endian: self.file.big_endian };
        let read = |i: usize| match kind {
            1 | 7 => Some(u32::from(bytes[i])),
            3 => values.u16_at(i * 2).map(u32::from),
            4 => values.u32_at(i * 4),
            _ => None,
        };
        (0..count).map(read).collect::<Option<Vec<u32>>>().map(Some).ok_or_else(|| corrupt(words::TIFF_DIRECTORY))
    }

    fn one(&self, tag: u16) -> Result<Option<u32>, ImageError> {
        Ok(self.values(tag)?.and_then(|v| v.first().copied()))
    }

    fn one_or(&self, tag: u16, default: u32) -> Result<u32, ImageError> {
        Ok(self.one(tag)?.unwrap_or(default))
    }
}

/// How many pages (directories) the file holds, without decoding pixels.
pub fn page_count(data: &[u8]) -> Result<usize, ImageError> {
    let (file, first) = File::open(data)?;
    let count = file.directories(first)?.len();
    if count > MAX_PAGES {
        return Err(ImageError::TooManyPages { pages: count as u32, max: MAX_PAGES as u32 });
    }
    Ok(count)
}

/// Page `index` (from 0) alone. A JPEG page in one piece comes back as a
/// JPEG file; one in several pieces needs `jpeg` (else it is refused).
pub fn page_image<'a>(data: &'a [u8], index: usize, jpeg: Option<JpegDecoder>) -> Result<PageImage<'a>, ImageError> {
    let (file, first) = File::open(data)?;
    let dirs = file.directories(first)?;
    let at = *dirs.get(index.min(MAX_PAGES)).filter(|_| index < MAX_PAGES).ok_or_else(|| corrupt(words::no_page(index + 1)))?;
    page(&Dir::new(file, at)?, jpeg)
}

/// Every page in order, one decoded at a time; JPEG pages through `jpeg`.
/// Returns the number of pages.
pub fn each_page(data: &[u8], jpeg: JpegDecoder, mut f: impl FnMut(Result<Rgb, ImageError>)) -> Result<usize, ImageError> {
    let (file, first) = File::open(data)?;
    let dirs = file.directories(first)?;
    for &at in dirs.iter().take(MAX_PAGES) {
        f(Dir::new(file, at).and_then(|dir| page(&dir, Some(jpeg))).and_then(|page| match page {
            PageImage::Pixels(rgb) => Ok(rgb),
            PageImage::Encoded(bytes) => jpeg(&bytes),
        }));
    }
    Ok(dirs.len().min(MAX_PAGES))
}

/// The colours a page's samples stand for.
enum Model {
    /// Grey; `white_is_zero` for fax-style pages (0 = paper).
    Gray {
        white_is_zero: bool,
    },
    Rgb,
    /// Colour map entries, 8 bits per channel.
    Palette(Vec<[u8; 3]>),
    Cmyk,
}

const TAG_WIDTH: u16 = 256;
const TAG_HEIGHT: u16 = 257;
const TAG_BITS: u16 = 258;
const TAG_COMPRESSION: u16 = 259;
const TAG_PHOTOMETRIC: u16 = 262;
const TAG_FILL_ORDER: u16 = 266;
const TAG_STRIP_OFFSETS: u16 = 273;
const TAG_ORIENTATION: u16 = 274;
const TAG_SAMPLES: u16 = 277;
const TAG_ROWS_PER_STRIP: u16 = 278;
const TAG_STRIP_COUNTS: u16 = 279;
const TAG_PLANAR: u16 = 284;
const TAG_T4_OPTIONS: u16 = 292;
const TAG_PREDICTOR: u16 = 317;
const TAG_COLOR_MAP: u16 = 320;
const TAG_TILE_WIDTH: u16 = 322;
const TAG_TILE_LENGTH: u16 = 323;
const TAG_TILE_OFFSETS: u16 = 324;
const TAG_TILE_COUNTS: u16 = 325;
const TAG_SAMPLE_FORMAT: u16 = 339;
const TAG_JPEG_TABLES: u16 = 347;

fn page<'a>(dir: &Dir<'a>, jpeg: Option<JpegDecoder>) -> Result<PageImage<'a>, ImageError> {
    let width = dir.one(TAG_WIDTH)?.ok_or_else(|| corrupt(words::tiff_missing("ImageWidth")))?;
    let height = dir.one(TAG_HEIGHT)?.ok_or_else(|| corrupt(words::tiff_missing("ImageLength")))?;
    if width == 0 || height == 0 || u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    let compression = dir.one_or(TAG_COMPRESSION, 1)?;
    let samples = dir.one_or(TAG_SAMPLES, 1)?.max(1);
    let bits_all = dir.values(TAG_BITS)?.unwrap_or_else(|| vec![1]);
    let bits = bits_all.first().copied().unwrap_or(1);
    let photometric = match dir.one(TAG_PHOTOMETRIC)? {
        Some(p) => p,
        // Old fax files leave it out: white is zero.
        None if matches!(compression, 2..=4) => 0,
        None if samples >= 3 => 2,
        None => 1,
    };
    let orientation = dir.one_or(TAG_ORIENTATION, 1)?;
    let planar = dir.one_or(TAG_PLANAR, 1)? == 2 && samples > 1;
    if dir.one_or(TAG_SAMPLE_FORMAT, 1)? != 1 {
        return Err(corrupt(words::TIFF_FLOAT));
    }
    let colour_refused = || corrupt(words::tiff_colour(photometric, samples, bits));

    // Where the compressed pieces (strips or tiles) are.
    let tiled = dir.entry(TAG_TILE_OFFSETS).is_some();
    let (chunk_w, chunk_h, offsets, counts) = if tiled {
        let tw = dir.one(TAG_TILE_WIDTH)?.ok_or_else(|| corrupt(words::tiff_missing("TileWidth")))?;
        let th = dir.one(TAG_TILE_LENGTH)?.ok_or_else(|| corrupt(words::tiff_missing("TileLength")))?;
        (tw, th, dir.values(TAG_TILE_OFFSETS)?, dir.values(TAG_TILE_COUNTS)?)
    } else {
        let rows = dir.one_or(TAG_ROWS_PER_STRIP, height)?.clamp(1, height);
        (width, rows, dir.values(TAG_STRIP_OFFSETS)?, dir.values(TAG_STRIP_COUNTS)?)
    };
    // A tile far larger than the page is a bomb of its own.
    if chunk_w == 0
        || chunk_h == 0
        || chunk_w > width + 4096
        || chunk_h > height + 4096
        || u64::from(chunk_w) * u64::from(chunk_h) > MAX_PIXELS
        || samples > 8
    {
        return Err(corrupt(words::TIFF_DIRECTORY));
    }
    let offsets = offsets.ok_or_else(|| corrupt(words::tiff_missing("StripOffsets")))?;
    let (across, down) = (width.div_ceil(chunk_w) as usize, height.div_ceil(chunk_h) as usize);
    let planes = if planar { samples as usize } else { 1 };
    let pieces = across * down * planes;
    if offsets.len() < pieces {
        return Err(corrupt(words::TIFF_DIRECTORY));
    }
    let piece_bytes = |i: usize| -> Result<&'a [u8], ImageError> {
        let start = offsets[i] as usize;
        let len = match &counts {
            Some(c) => *c.get(i).ok_or_else(|| corrupt(words::TIFF_DIRECTORY))? as usize,
            // Uncompressed files may leave the counts out: up to the end.
            None if compression == 1 => dir.file.data.len().saturating_sub(start),
            None => return Err(corrupt(words::tiff_missing("StripByteCounts"))),
        };
        start.checked_add(len).and_then(|end| dir.file.data.get(start..end)).ok_or_else(|| corrupt(words::TIFF_DATA_OUTSIDE))
    };

    if compression == 6 {
        return Err(corrupt(words::TIFF_OLD_JPEG));
    }
    if compression == 7 {
        let tables = dir.raw(TAG_JPEG_TABLES)?.map(|(_, _, b)| b);
        if pieces == 1 && !tiled {
            return Ok(PageImage::Encoded(jpeg_file(tables, piece_bytes(0)?, orientation, photometric == 2)));
        }
        let jpeg = jpeg.ok_or_else(|| corrupt(words::TIFF_JPEG_PIECES))?;
        if planar {
            return Err(colour_refused());
        }
        let mut out = Rgb { width, height, data: vec![0; width as usize * height as usize * 3] };
        for i in 0..pieces {
            let part = jpeg(&jpeg_file(tables, piece_bytes(i)?, 1, photometric == 2))?;
            let (x0, y0) = ((i % across) as u32 * chunk_w, (i / across) as u32 * chunk_h);
            let w = part.width.min(chunk_w).min(width - x0) as usize;
            for y in 0..part.height.min(chunk_h).min(height - y0) as usize {
                let from = y * part.width as usize * 3;
                let to = ((y0 as usize + y) * width as usize + x0 as usize) * 3;
                out.data[to..to + w * 3].copy_from_slice(&part.data[from..from + w * 3]);
            }
        }
        return Ok(PageImage::Pixels(orient(out, orientation)));
    }

    let model = match photometric {
        0 | 1 => Model::Gray { white_is_zero: photometric == 0 },
        2 if samples >= 3 => Model::Rgb,
        3 if bits <= 8 => {
            let map = dir.values(TAG_COLOR_MAP)?.ok_or_else(|| corrupt(words::tiff_missing("ColorMap")))?;
            let n = 1usize << bits;
            if map.len() < n * 3 {
                return Err(corrupt(words::TIFF_DIRECTORY));
            }
            Model::Palette((0..n).map(|i| [0, 1, 2].map(|c| (map[c * n + i] >> 8) as u8)).collect())
        }
        5 if samples >= 4 && !planar => Model::Cmyk,
        _ => return Err(colour_refused()),
    };
    if !matches!(bits, 1 | 2 | 4 | 8 | 16) || bits_all.iter().any(|&b| b != bits) || (planar && matches!(model, Model::Cmyk)) {
        return Err(colour_refused());
    }
    let predictor = dir.one_or(TAG_PREDICTOR, 1)?;
    if predictor != 1 && (predictor != 2 || bits < 8) {
        return Err(corrupt(words::TIFF_PREDICTOR));
    }
    let reversed = dir.one_or(TAG_FILL_ORDER, 1)? == 2;
    // Bit 1: uncompressed mode inside a fax stream, which nobody writes.
    let t4 = dir.one_or(TAG_T4_OPTIONS, 0)?;
    if compression == 3 && t4 & 2 != 0 {
        return Err(corrupt(words::tiff_compression(compression)));
    }

    let per_piece = if planar { 1 } else { samples as usize };
    let row_bytes = (chunk_w as usize * per_piece * bits as usize).div_ceil(8);
    // Never more decoded bytes per piece than an RGBA page of the largest size.
    if row_bytes as u64 * u64::from(chunk_h) > MAX_PIXELS * 4 {
        return Err(ImageError::TooLarge { width, height });
    }
    let mut out = Rgb { width, height, data: vec![0; width as usize * height as usize * 3] };
    let mut row8 = Vec::with_capacity(chunk_w as usize * per_piece);
    for i in 0..pieces {
        let (plane, cell) = (i / (across * down), i % (across * down));
        let (x0, y0) = ((cell % across) as u32 * chunk_w, (cell / across) as u32 * chunk_h);
        // A strip at the bottom may be shorter; a tile is always whole.
        let rows = if tiled { chunk_h } else { chunk_h.min(height - y0) } as usize;
        let expected = row_bytes * rows;
        let stored = piece_bytes(i)?;
        let stored: Cow<[u8]> = if reversed { stored.iter().map(|b| b.reverse_bits()).collect() } else { Cow::Borrowed(stored) };
        // The decoded piece and its bits per sample: fax comes out a byte per pixel.
        let (mut raw, bits, row_bytes) = match compression {
            1 => (Cow::Borrowed(stored.get(..expected).unwrap_or(&stored)), bits, row_bytes),
            5 => (Cow::Owned(lzw(&stored, expected)?), bits, row_bytes),
            8 | 32946 => (Cow::Owned(inflate(&stored, expected)?), bits, row_bytes),
            32773 => (Cow::Owned(packbits(&stored, expected)), bits, row_bytes),
            2..=4 if bits == 1 && per_piece == 1 => {
                let coding = match compression {
                    4 => Coding::G4,
                    // Modified Huffman: rows start on a byte, no end-of-line marks.
                    2 => Coding::G3 { two_d: false, aligned: true },
                    _ => Coding::G3 { two_d: t4 & 1 != 0, aligned: false },
                };
                let mut bitmap =
                    crate::g4::decode_fax(&stored, chunk_w, rows as u32, coding).ok_or_else(|| corrupt(words::TIFF_FAX))?;
                bitmap.data.iter_mut().for_each(|b| *b = b.wrapping_neg());
                (Cow::Owned(bitmap.data), 8, chunk_w as usize)
            }
            other => return Err(corrupt(words::tiff_compression(other))),
        };
        if raw.len() < row_bytes * rows {
            return Err(corrupt(words::TIFF_DATA_SHORT));
        }
        if predictor == 2 {
            undo_predictor(raw.to_mut(), row_bytes, per_piece, bits, dir.file.big_endian);
        }
        let visible_w = chunk_w.min(width - x0) as usize;
        for (y, row) in raw.chunks_exact(row_bytes).take(rows).enumerate() {
            let out_y = y0 as usize + y;
            if out_y >= height as usize {
                break;
            }
            let row = if bits == 8 {
                &row[..visible_w * per_piece]
            } else {
                samples_8bit(
                    row,
                    visible_w * per_piece,
                    bits,
                    !matches!(model, Model::Palette(_)),
                    dir.file.big_endian,
                    &mut row8,
                );
                &row8
            };
            let start = (out_y * width as usize + x0 as usize) * 3;
            let dest = &mut out.data[start..start + visible_w * 3];
            put_row(&model, row, per_piece, plane, planar, dest);
        }
    }
    Ok(PageImage::Pixels(orient(out, orientation)))
}

/// One row's samples as bytes: 16 bits keep their high byte; fewer than 8
/// are stretched to 0–255 when `scale` (palette indexes are not).
fn samples_8bit(row: &[u8], n: usize, bits: u32, scale: bool, big_endian: bool, out: &mut Vec<u8>) {
    out.clear();
    match bits {
        8 => out.extend_from_slice(&row[..n]),
        16 => out.extend(row.chunks_exact(2).take(n).map(|s| if big_endian { s[0] } else { s[1] })),
        _ => {
            let max = (1u8 << bits) - 1;
            let value = |v: u8| if scale { (u16::from(v) * 255 / u16::from(max)) as u8 } else { v };
            for &byte in &row[..(n * bits as usize).div_ceil(8)] {
                for shift in (0..8).step_by(bits as usize).rev() {
                    out.push(value((byte >> shift) & max));
                }
            }
            out.truncate(n);
        }
    }
}

/// Writes one row of 8-bit samples as RGB into `dest`.
fn put_row(model: &Model, row: &[u8], per_piece: usize, plane: usize, planar: bool, dest: &mut [u8]) {
    if planar {
        // One sample of every pixel: plane 0 is grey or red, 1 green, 2 blue.
        match model {
            Model::Rgb if plane < 3 => dest.chunks_exact_mut(3).zip(row).for_each(|(p, &v)| p[plane] = v),
            Model::Gray { white_is_zero } if plane == 0 => {
                dest.chunks_exact_mut(3).zip(row).for_each(|(p, &v)| p.fill(if *white_is_zero { 255 - v } else { v }))
            }
            Model::Palette(map) if plane == 0 => {
                dest.chunks_exact_mut(3).zip(row).for_each(|(p, &v)| p.copy_from_slice(&map[usize::from(v) % map.len()]))
            }
            _ => {}
        }
        return;
    }
    let pixels = dest.chunks_exact_mut(3).zip(row.chunks_exact(per_piece));
    match model {
        Model::Gray { white_is_zero: false } => pixels.for_each(|(p, s)| p.fill(s[0])),
        Model::Gray { white_is_zero: true } => pixels.for_each(|(p, s)| p.fill(255 - s[0])),
        Model::Rgb if per_piece == 3 => dest.copy_from_slice(&row[..dest.len()]),
        Model::Rgb => pixels.for_each(|(p, s)| p.copy_from_slice(&s[..3])),
        Model::Palette(map) => pixels.for_each(|(p, s)| p.copy_from_slice(&map[usize::from(s[0]) % map.len()])),
        // As pdfimages does: each ink takes its share of the light, black all of it.
        Model::Cmyk => pixels.for_each(|(p, s)| {
            let k = 255 - u32::from(s[3]);
            for c in 0..3 {
                p[c] = ((255 - u32::from(s[c])) * k / 255) as u8;
            }
        }),
    }
}

/// Horizontal differencing (Predictor 2): each sample was stored as the
/// difference from the same sample of the pixel before.
fn undo_predictor(raw: &mut [u8], row_bytes: usize, per_pixel: usize, bits: u32, big_endian: bool) {
    for row in raw.chunks_exact_mut(row_bytes) {
        if bits == 8 {
            for i in per_pixel..row.len() {
                row[i] = row[i].wrapping_add(row[i - per_pixel]);
            }
        } else {
            let get = |r: &[u8], i: usize| {
                let b = [r[i * 2], r[i * 2 + 1]];
                if big_endian {
                    u16::from_be_bytes(b)
                } else {
                    u16::from_le_bytes(b)
                }
            };
            for i in per_pixel..row.len() / 2 {
                let v = get(row, i).wrapping_add(get(row, i - per_pixel));
                let b = if big_endian { v.to_be_bytes() } else { v.to_le_bytes() };
                row[i * 2..i * 2 + 2].copy_from_slice(&b);
            }
        }
    }
}

/// TIFF's LZW (MSB first, 9 to 12-bit codes widened one code early), never
/// producing more than `limit` bytes.
fn lzw(data: &[u8], limit: usize) -> Result<Vec<u8>, ImageError> {
    const CLEAR: usize = 256;
    const END: usize = 257;
    // Old-style LZW (LSB first) starts with a clear code written backwards.
    if data.len() >= 2 && data[0] == 0 && data[1] & 1 == 1 {
        return Err(corrupt(words::TIFF_LZW_OLD));
    }
    // Every string is somewhere in what was already written: a code is
    // where (`at`) and how long (`len`); a new code is the previous string
    // plus the byte written right after it.
    let mut at = [0usize; 4096];
    let mut len = [0usize; 4096];
    let mut out = Vec::with_capacity(limit.min(data.len().saturating_mul(16)));
    let (mut acc, mut held, mut pos) = (0u32, 0u32, 0usize);
    let (mut next, mut width, mut prev) = (258usize, 9u32, None::<usize>);
    while out.len() < limit {
        while held < width {
            let Some(&b) = data.get(pos) else { return Ok(out) };
            acc = (acc << 8) | u32::from(b);
            held += 8;
            pos += 1;
        }
        let code = ((acc >> (held - width)) & ((1 << width) - 1)) as usize;
        held -= width;
        if code == END {
            break;
        }
        if code == CLEAR {
            (next, width, prev) = (258, 9, None);
            continue;
        }
        let start = out.len();
        match prev {
            _ if code < 256 => out.push(code as u8),
            Some(_) if code < next => out.extend_from_within(at[code]..at[code] + len[code]),
            // The string being defined: the previous one and its own first byte.
            Some(p) if code == next => {
                out.extend_from_within(at[p]..at[p] + len[p]);
                out.push(out[at[p]]);
            }
            _ => return Err(corrupt(words::TIFF_LZW)),
        }
        if let Some(p) = prev {
            if next < 4096 {
                (at[next], len[next]) = (at[p], len[p] + 1);
                next += 1;
            }
        }
        (at[code], len[code]) = if code < 256 { (start, 1) } else { (start, len[code]) };
        if next + 1 >= 1 << width && width < 12 {
            width += 1;
        }
        prev = Some(code);
    }
    out.truncate(limit);
    Ok(out)
}

/// zlib-wrapped Deflate, inflated no further than `limit` bytes.
fn inflate(data: &[u8], limit: usize) -> Result<Vec<u8>, ImageError> {
    match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, limit) {
        Ok(out) => Ok(out),
        // More than the page holds: the page's share is all we want.
        Err(e) if e.status == miniz_oxide::inflate::TINFLStatus::HasMoreOutput => Ok(e.output),
        Err(_) => Err(corrupt(words::TIFF_DEFLATE)),
    }
}

/// PackBits run-length decoding, up to `limit` bytes.
fn packbits(data: &[u8], limit: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(limit.min(data.len().saturating_mul(16)));
    let mut i = 0;
    while i < data.len() && out.len() < limit {
        let n = data[i] as i8;
        i += 1;
        match n {
            0..=127 => {
                let end = (i + n as usize + 1).min(data.len());
                out.extend_from_slice(&data[i..end]);
                i = end;
            }
            -127..=-1 => {
                if let Some(&b) = data.get(i) {
                    out.extend(std::iter::repeat_n(b, (1 - isize::from(n)) as usize));
                }
                i += 1;
            }
            _ => {}
        }
    }
    out.truncate(limit);
    out
}

/// A JPEG file from a TIFF JPEG piece: the shared tables spliced in, the
/// orientation as an EXIF tag (the host's decoder turns it upright) and,
/// for RGB samples, Adobe's marker saying they are not YCbCr.
fn jpeg_file<'a>(tables: Option<&[u8]>, piece: &'a [u8], orientation: u32, rgb: bool) -> Cow<'a, [u8]> {
    let tables = tables.and_then(|t| t.strip_prefix(&[0xFF, 0xD8][..])).map(|t| t.strip_suffix(&[0xFF, 0xD9][..]).unwrap_or(t));
    let upright = !(2..=8).contains(&orientation);
    if tables.is_none() && upright && !rgb {
        return Cow::Borrowed(piece);
    }
    let mut out = vec![0xFF, 0xD8];
    if !upright {
        out.extend_from_slice(&crate::raster::exif_orientation_segment(orientation as u8));
    }
    if rgb {
        // APP14 "Adobe", version 100, no flags, transform 0 (not YCbCr).
        out.extend_from_slice(&[0xFF, 0xEE, 0, 14]);
        out.extend_from_slice(b"Adobe\0\x64\0\0\0\0\0");
    }
    out.extend_from_slice(tables.unwrap_or_default());
    out.extend_from_slice(piece.strip_prefix(&[0xFF, 0xD8][..]).unwrap_or(piece));
    Cow::Owned(out)
}

/// The page turned upright as its Orientation tag (1–8, as EXIF) says.
fn orient(rgb: Rgb, orientation: u32) -> Rgb {
    let (rotation, flip) = match orientation {
        2 => (0, true),
        3 => (180, false),
        4 => (180, true),
        5 => (90, true),
        6 => (90, false),
        7 => (270, true),
        8 => (270, false),
        _ => return rgb,
    };
    let Some(mut turn) = Orienter::new(rgb.width, rgb.height, PixelOrder::Rgb, rotation, flip) else { return rgb };
    turn.add_rows(&rgb.data);
    turn.finish().unwrap_or(rgb)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testtiff::{write, Compression as C, Page};

    /// The page's pixels, decoded by us; JPEG pages by the host's decoder.
    fn decode(file: &[u8], index: usize) -> Result<Rgb, ImageError> {
        match page_image(file, index, None)? {
            PageImage::Pixels(rgb) => Ok(rgb),
            #[cfg(feature = "decode")]
            PageImage::Encoded(jpeg) => crate::decode_file(&jpeg),
            #[cfg(not(feature = "decode"))]
            PageImage::Encoded(_) => panic!("a JPEG page"),
        }
    }

    /// A pattern of every value, so that a wrong sample order or bit
    /// position shows.
    fn pattern(n: usize, max: u16, seed: u16) -> Vec<u16> {
        (0..n).map(|i| ((i as u32 * 37 + u32::from(seed) * 11 + (i as u32 / 7) * 5) % (u32::from(max) + 1)) as u16).collect()
    }

    /// What a page of the writer should decode to, computed on its own.
    fn expected(page: &Page) -> Vec<u8> {
        let spp = usize::from(page.samples);
        let max = (1u32 << page.bits) - 1;
        let scale = |v: u16| {
            if page.bits == 16 {
                (v >> 8) as u8
            } else {
                (u32::from(v) * 255 / max) as u8
            }
        };
        page.values
            .chunks_exact(spp)
            .flat_map(|s| match page.photometric {
                0 => [255 - scale(s[0]); 3],
                1 => [scale(s[0]); 3],
                2 => [scale(s[0]), scale(s[1]), scale(s[2])],
                3 => {
                    let map = page.color_map.as_ref().unwrap();
                    let n = map.len() / 3;
                    [0, 1, 2].map(|c| (map[c * n + usize::from(s[0])] >> 8) as u8)
                }
                5 => {
                    let k = 255 - u32::from(s[3]);
                    [0, 1, 2].map(|c| ((255 - u32::from(s[c])) * k / 255) as u8)
                }
                p => panic!("photometric {p}"),
            })
            .collect()
    }

    fn kinds(w: u32, h: u32) -> Vec<(&'static str, Page)> {
        let n = (w * h) as usize;
        let base = Page::gray(w, h, vec![]);
        let map: Vec<u16> = (0..48).map(|i| (i as u16 * 1361) ^ 0x5a5a).collect();
        vec![
            ("grey 8", Page { values: pattern(n, 255, 1), ..base.clone() }),
            ("white-is-zero 8", Page { photometric: 0, values: pattern(n, 255, 2), ..base.clone() }),
            ("grey 16", Page { bits: 16, values: pattern(n, 65535, 3), ..base.clone() }),
            ("grey 1", Page { bits: 1, values: pattern(n, 1, 4), ..base.clone() }),
            ("grey 2", Page { bits: 2, values: pattern(n, 3, 5), ..base.clone() }),
            ("grey 4", Page { bits: 4, values: pattern(n, 15, 6), ..base.clone() }),
            ("rgb 8", Page { photometric: 2, samples: 3, values: pattern(n * 3, 255, 7), ..base.clone() }),
            ("rgb 16", Page { photometric: 2, samples: 3, bits: 16, values: pattern(n * 3, 65535, 8), ..base.clone() }),
            ("rgba 8", Page { photometric: 2, samples: 4, alpha: true, values: pattern(n * 4, 255, 9), ..base.clone() }),
            ("palette 4", Page { photometric: 3, bits: 4, color_map: Some(map), values: pattern(n, 15, 10), ..base.clone() }),
            ("cmyk 8", Page { photometric: 5, samples: 4, values: pattern(n * 4, 255, 11), ..base.clone() }),
        ]
    }

    #[test]
    fn every_compression_colour_and_byte_order_decodes_to_what_was_written() {
        let compressions = [
            C::None,
            C::PackBits,
            C::Lzw { predictor: false },
            C::Lzw { predictor: true },
            C::Deflate { predictor: false },
            C::Deflate { predictor: true },
        ];
        for (name, page) in kinds(37, 23) {
            for compression in compressions {
                // The predictor needs 8 or 16 bits.
                if matches!(compression, C::Lzw { predictor: true } | C::Deflate { predictor: true }) && page.bits < 8 {
                    continue;
                }
                for big_endian in [false, true] {
                    for rows in [23, 5] {
                        let page = Page { rows_per_strip: rows, ..page.clone() }.with(compression);
                        let file = write(std::slice::from_ref(&page), big_endian);
                        let what = format!("{name}, {compression:?}, big endian {big_endian}, {rows} rows per strip");
                        let rgb = decode(&file, 0).unwrap_or_else(|e| panic!("{what}: {e:?}"));
                        assert_eq!((rgb.width, rgb.height), (37, 23), "{what}");
                        assert!(rgb.data == expected(&page), "{what}: pixels differ");
                    }
                }
            }
        }
    }

    #[test]
    fn tiles_and_planar_samples() {
        for (name, page) in kinds(40, 30) {
            for big_endian in [false, true] {
                let tiled = Page { tiles: Some((16, 16)), ..page.clone() }.with(C::Lzw { predictor: page.bits >= 8 });
                let file = write(std::slice::from_ref(&tiled), big_endian);
                assert_eq!(decode(&file, 0).map(|r| r.data == expected(&tiled)), Ok(true), "tiled {name}");
                if page.samples >= 3 && page.photometric == 2 {
                    let planar = Page { planar: true, rows_per_strip: 7, ..page.clone() }.with(C::Deflate { predictor: false });
                    let file = write(std::slice::from_ref(&planar), big_endian);
                    assert_eq!(decode(&file, 0).map(|r| r.data == expected(&planar)), Ok(true), "planar {name}");
                }
            }
        }
    }

    #[test]
    fn fax_g3_and_g4_pages_in_strips() {
        let mut bits = crate::raster::Bitmap::new(301, 97);
        for (i, b) in bits.data.iter_mut().enumerate() {
            *b = u8::from((i % 301) / 9 % 3 == 0 && (i / 301) % 11 < 7);
        }
        for compression in [C::G4, C::Mh, C::G3 { k: 1 }, C::G3 { k: 4 }] {
            for (rows, big_endian) in [(97, false), (10, true)] {
                let page = Page { rows_per_strip: rows, ..Page::fax(&bits) }.with(compression);
                let file = write(std::slice::from_ref(&page), big_endian);
                let rgb = decode(&file, 0).unwrap_or_else(|e| panic!("{compression:?}: {e:?}"));
                assert!(rgb.data == expected(&page), "{compression:?}, {rows} rows per strip");
                assert_eq!(rgb.data[0], 0, "ink black");
            }
        }
    }

    #[test]
    fn fill_order_2_reverses_the_bits_of_each_byte() {
        let page = Page { bits: 1, values: pattern(64 * 8, 1, 3), ..Page::gray(64, 8, vec![]) };
        let mut file = write(std::slice::from_ref(&page), false);
        // The one strip sits at offset 8; reverse its bytes and say so.
        for b in &mut file[8..8 + 64] {
            *b = b.reverse_bits();
        }
        let with_tag = add_short_tag(&file, 266, 2);
        assert!(decode(&with_tag, 0).unwrap().data == expected(&page));
        assert!(decode(&file, 0).unwrap().data != expected(&page), "the test must be able to fail");
    }

    /// The file with one more SHORT tag in its (only, last) directory.
    fn add_short_tag(file: &[u8], tag: u16, value: u16) -> Vec<u8> {
        let dir = u32::from_le_bytes(file[4..8].try_into().unwrap()) as usize;
        let n = usize::from(u16::from_le_bytes([file[dir], file[dir + 1]]));
        let mut out = file[..dir].to_vec();
        out.extend_from_slice(&(n as u16 + 1).to_le_bytes());
        out.extend_from_slice(&file[dir + 2..dir + 2 + n * 12]);
        out.extend_from_slice(&tag.to_le_bytes());
        out.extend_from_slice(&[3, 0, 1, 0, 0, 0]);
        out.extend_from_slice(&value.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        // The next-directory link; values stored after it move by 12 bytes.
        out.extend_from_slice(&file[dir + 2 + n * 12..]);
        assert!(file.len() == dir + 2 + n * 12 + 4, "no values after the directory");
        out
    }

    /// Sets a LONG or SHORT value of `tag` in page `page` (little-endian files).
    fn patch(file: &mut [u8], page: usize, tag: u16, value: u32) {
        let u32_at = |f: &[u8], at: usize| u32::from_le_bytes(f[at..at + 4].try_into().unwrap()) as usize;
        let mut dir = u32_at(file, 4);
        for _ in 0..page {
            let n = usize::from(u16::from_le_bytes([file[dir], file[dir + 1]]));
            dir = u32_at(file, dir + 2 + n * 12);
        }
        let n = usize::from(u16::from_le_bytes([file[dir], file[dir + 1]]));
        let e = (0..n).map(|i| dir + 2 + i * 12).find(|&e| u16::from_le_bytes([file[e], file[e + 1]]) == tag).unwrap();
        match u16::from_le_bytes([file[e + 2], file[e + 3]]) {
            3 => file[e + 8..e + 10].copy_from_slice(&(value as u16).to_le_bytes()),
            _ => file[e + 8..e + 12].copy_from_slice(&value.to_le_bytes()),
        }
    }

    /// Every orientation 1–8 as the `image` crate applies EXIF's.
    #[cfg(feature = "decode")]
    #[test]
    fn orientation_is_applied_as_exif_says() {
        let values = pattern(7 * 4 * 3, 255, 5);
        for orientation in 1..=8u8 {
            let page = Page {
                orientation: u16::from(orientation),
                ..Page::rgb(7, 4, &values.iter().map(|&v| v as u8).collect::<Vec<_>>())
            };
            let ours = decode(&write(&[page], false), 0).unwrap();
            let plain = image::RgbImage::from_raw(7, 4, values.iter().map(|&v| v as u8).collect()).unwrap();
            let mut theirs = image::DynamicImage::ImageRgb8(plain);
            theirs.apply_orientation(image::metadata::Orientation::from_exif(orientation).unwrap());
            let theirs = theirs.into_rgb8();
            assert_eq!((ours.width, ours.height), theirs.dimensions(), "orientation {orientation}");
            assert!(ours.data == theirs.into_raw(), "orientation {orientation}");
        }
    }

    #[cfg(feature = "decode")]
    #[test]
    fn jpeg_pages_go_to_the_host_upright_with_their_tables() {
        let rgb: Vec<u8> = (0..64 * 48).flat_map(|i| [(i % 64 * 4) as u8, (i / 64 * 5) as u8, 90]).collect();
        for tables in [false, true] {
            for (photometric, page) in
                [(6, Page::rgb(64, 48, &rgb)), (1, Page::gray(64, 48, rgb.iter().step_by(3).copied().collect()))]
            {
                let page = Page { photometric, orientation: 6, ..page.with(C::Jpeg { tables }) };
                let file = write(std::slice::from_ref(&page), true);
                let PageImage::Encoded(jpeg) = page_image(&file, 0, None).unwrap() else { panic!("a JPEG page is the host's") };
                assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
                let upright = crate::decode_file(&jpeg).unwrap();
                assert_eq!((upright.width, upright.height), (48, 64), "turned a quarter clockwise");
                // Coded pixel (x, y) is now at (47 - y, x); compare a few.
                for (x, y) in [(0usize, 0usize), (63, 0), (10, 40), (63, 47)] {
                    let want = if photometric == 6 { &rgb[(y * 64 + x) * 3..][..3] } else { &[rgb[(y * 64 + x) * 3]; 3][..] };
                    let got = &upright.data[(x * 48 + 47 - y) * 3..][..3];
                    assert!(want.iter().zip(got).all(|(a, b)| a.abs_diff(*b) <= 12), "({x}, {y}): {want:?} vs {got:?}");
                }
            }
        }
    }

    #[cfg(feature = "decode")]
    #[test]
    fn jpeg_in_pieces_is_decoded_natively_and_refused_in_the_worker() {
        let grey: Vec<u8> = (0..80 * 50).map(|i| (i % 80 * 3) as u8).collect();
        for layout in [
            Page { rows_per_strip: 16, ..Page::gray(80, 50, grey.clone()) },
            Page { tiles: Some((32, 32)), ..Page::gray(80, 50, grey.clone()) },
        ] {
            let file = write(&[layout.with(C::Jpeg { tables: true })], false);
            assert_eq!(page_image(&file, 0, None), Err(ImageError::Corrupt(words::TIFF_JPEG_PIECES.into())));
            let mut pages = Vec::new();
            assert_eq!(each_page(&file, &crate::decode_file, |p| pages.push(p)), Ok(1));
            let rgb = pages.pop().unwrap().unwrap();
            assert_eq!((rgb.width, rgb.height), (80, 50));
            assert!(rgb.data.chunks(3).zip(&grey).all(|(p, &g)| p[0].abs_diff(g) <= 12), "pieces in place");
        }
    }

    #[test]
    fn pages_in_order_and_a_broken_one_alone() {
        let pages = [
            Page::gray(30, 20, vec![10; 600]).with(C::Lzw { predictor: false }),
            Page::gray(31, 21, vec![20; 651]).with(C::Deflate { predictor: true }),
            Page::gray(32, 22, vec![30; 704]).with(C::PackBits),
        ];
        for big_endian in [false, true] {
            let file = write(&pages, big_endian);
            assert_eq!(page_count(&file), Ok(3));
            let got: Vec<_> = (0..3).map(|i| decode(&file, i).map(|r| (r.width, r.data[0]))).collect();
            assert_eq!(got, [Ok((30, 10)), Ok((31, 20)), Ok((32, 30))]);
            assert_eq!(page_image(&file, 3, None), Err(ImageError::Corrupt(words::no_page(4))));
        }
        // Page 2's strip runs past the end of the file; page 3's data is cut short.
        let mut file = write(&pages, false);
        patch(&mut file, 1, TAG_STRIP_COUNTS, 1 << 30);
        patch(&mut file, 2, TAG_STRIP_COUNTS, 4);
        let mut got = Vec::new();
        assert_eq!(each_page(&file, &|_| panic!("no JPEG"), |p| got.push(p.map(|r| r.width))), Ok(3));
        assert_eq!(got[0], Ok(30));
        assert_eq!(got[1], Err(ImageError::Corrupt(words::TIFF_DATA_OUTSIDE.into())));
        assert_eq!(got[2], Err(ImageError::Corrupt(words::TIFF_DATA_SHORT.into())));
    }

    #[test]
    fn bombs_are_refused_by_their_dimensions_and_decompression_is_bounded() {
        let mut file = write(&[Page::gray(40, 30, vec![7; 1200]).with(C::Deflate { predictor: false })], false);
        patch(&mut file, 0, TAG_WIDTH, 100_000);
        patch(&mut file, 0, TAG_HEIGHT, 100_000);
        assert_eq!(page_image(&file, 0, None), Err(ImageError::TooLarge { width: 100_000, height: 100_000 }));
        // A tile far larger than its page.
        let mut tiled = write(&[Page { tiles: Some((16, 16)), ..Page::gray(40, 30, vec![7; 1200]) }], false);
        patch(&mut tiled, 0, TAG_TILE_WIDTH, 60_000);
        patch(&mut tiled, 0, TAG_TILE_LENGTH, 60_000);
        assert_eq!(page_image(&tiled, 0, None), Err(ImageError::Corrupt(words::TIFF_DIRECTORY.into())));
        // 16 MB of zeros squeezed into a strip of a 40 × 30 page: only 1200 come out.
        let zeros = vec![0u8; 16 << 20];
        let deflated = miniz_oxide::deflate::compress_to_vec_zlib(&zeros, 9);
        assert_eq!(inflate(&deflated, 1200).map(|v| v.len()), Ok(1200));
        // The writer puts the one strip first, at offset 8; its directory follows.
        let squeezed = write(&[Page::gray(2048, 2048, vec![0; 2048 * 2048]).with(C::Lzw { predictor: false })], false);
        let dir = u32::from_le_bytes(squeezed[4..8].try_into().unwrap()) as usize;
        assert_eq!(lzw(&squeezed[8..dir], 1200).map(|v| v.len()), Ok(1200));
        assert_eq!(lzw(&squeezed[8..dir], 16 << 20).map(|v| v.len()), Ok(2048 * 2048), "all of it when allowed");
        assert_eq!(packbits(&[0x81, 0].repeat(100_000), 1200).len(), 1200);
    }

    #[test]
    fn bigtiff_loops_and_garbage_are_refused_without_panic() {
        assert_eq!(page_count(b"II+\0\x08\0\0\0\x10\0\0\0\0\0\0\0"), Err(ImageError::Corrupt(words::TIFF_BIGTIFF.into())));
        assert_eq!(page_count(b"MM\0+\0\x08\0\0"), Err(ImageError::Corrupt(words::TIFF_BIGTIFF.into())));
        // A directory that links to itself is one page.
        let mut file = write(&[Page::gray(8, 8, vec![1; 64])], false);
        let dir = u32::from_le_bytes(file[4..8].try_into().unwrap());
        let len = file.len();
        file[len - 4..].copy_from_slice(&dir.to_le_bytes());
        assert_eq!(page_count(&file), Ok(1));
        // Every byte of a real file flipped in turn: errors, never a panic.
        let pages = [
            Page { tiles: Some((16, 16)), ..Page::rgb(20, 18, &[9; 20 * 18 * 3]) }.with(C::Lzw { predictor: true }),
            Page::fax(&crate::raster::Bitmap { width: 40, height: 5, data: vec![1; 200] }),
            Page { photometric: 3, bits: 4, color_map: Some(vec![7; 48]), ..Page::gray(9, 9, vec![3; 81]) }.with(C::PackBits),
        ];
        let good = write(&pages, true);
        for at in 0..good.len() {
            for value in [0u8, 0xFF, good[at] ^ 0x10] {
                let mut bad = good.clone();
                bad[at] = value;
                if let Ok(n) = page_count(&bad) {
                    for i in 0..n.min(4) {
                        let _ = page_image(&bad, i, None);
                    }
                }
            }
        }
    }
}

//! A small TIFF writer for tests, benches and fuzz seeds: every compression
//! and layout [`crate::tiff`] reads, either byte order, several pages.
//! Not for production files (no ICC, no resolution tags).

use crate::raster::Bitmap;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Compression {
    None,
    PackBits,
    /// With `predictor`, horizontal differencing first (Predictor 2).
    Lzw {
        predictor: bool,
    },
    Deflate {
        predictor: bool,
    },
    /// Fax G4 (1-bit pages only), through [`crate::g4::encode`].
    G4,
    /// Fax G3 (1-bit pages only): Modified Huffman rows on bytes
    /// (compression 2), or T.4 with end-of-line marks, 2-D every `k` rows
    /// when `k` > 1 (compression 3).
    Mh,
    G3 {
        k: u32,
    },
    /// New-style JPEG (8-bit grey or RGB); quantization and Huffman tables
    /// go to JPEGTables when `tables`.
    Jpeg {
        tables: bool,
    },
}

impl Compression {
    fn code(self) -> u16 {
        match self {
            Compression::None => 1,
            Compression::PackBits => 32773,
            Compression::Lzw { .. } => 5,
            Compression::Deflate { .. } => 8,
            Compression::G4 => 4,
            Compression::Mh => 2,
            Compression::G3 { .. } => 3,
            Compression::Jpeg { .. } => 7,
        }
    }
}

/// One page: samples as stored (chunky, `samples` per pixel, row by row),
/// each a value of `bits` bits.
#[derive(Clone, Debug)]
pub struct Page {
    pub width: u32,
    pub height: u32,
    pub photometric: u16,
    pub bits: u16,
    pub samples: u16,
    pub values: Vec<u16>,
    pub compression: Compression,
    pub orientation: u16,
    /// Rows per strip, or (width, height) of tiles.
    pub rows_per_strip: u32,
    pub tiles: Option<(u32, u32)>,
    pub planar: bool,
    pub color_map: Option<Vec<u16>>,
    /// Tag the last sample as alpha (ExtraSamples = 2).
    pub alpha: bool,
}

impl Page {
    /// An 8-bit grey page (BlackIsZero), one strip, uncompressed.
    pub fn gray(width: u32, height: u32, values: Vec<u8>) -> Page {
        Page {
            width,
            height,
            photometric: 1,
            bits: 8,
            samples: 1,
            values: values.into_iter().map(u16::from).collect(),
            compression: Compression::None,
            orientation: 1,
            rows_per_strip: height,
            tiles: None,
            planar: false,
            color_map: None,
            alpha: false,
        }
    }

    /// An 8-bit RGB page, one strip, uncompressed.
    pub fn rgb(width: u32, height: u32, rgb: &[u8]) -> Page {
        Page {
            photometric: 2,
            samples: 3,
            values: rgb.iter().map(|&v| u16::from(v)).collect(),
            ..Page::gray(width, height, vec![])
        }
    }

    /// A 1-bit fax page (WhiteIsZero: 1 = ink), G4.
    pub fn fax(bitmap: &Bitmap) -> Page {
        Page {
            photometric: 0,
            bits: 1,
            values: bitmap.data.iter().map(|&b| u16::from(b != 0)).collect(),
            compression: Compression::G4,
            ..Page::gray(bitmap.width, bitmap.height, vec![])
        }
    }

    pub fn with(self, compression: Compression) -> Page {
        Page { compression, ..self }
    }

    /// The bytes of one piece: the region (x0, y0, w, h) of `plane` (all
    /// samples when chunky), rows padded to bytes, compressed.
    fn piece(&self, x0: u32, y0: u32, w: u32, h: u32, plane: Option<usize>, big_endian: bool) -> Vec<u8> {
        let spp = usize::from(self.samples);
        let per = if plane.is_some() { 1 } else { spp };
        let bits = usize::from(self.bits);
        let row_bytes = (w as usize * per * bits).div_ceil(8);
        if matches!(self.compression, Compression::G4 | Compression::Mh | Compression::G3 { .. }) {
            let mut bitmap = Bitmap::new(w, h);
            for y in 0..h.min(self.height - y0) {
                for x in 0..w.min(self.width - x0) {
                    bitmap.data[(y * w + x) as usize] = self.values[((y0 + y) * self.width + x0 + x) as usize] as u8;
                }
            }
            return match self.compression {
                Compression::Mh => crate::g4::encode_g3(&bitmap, false, 1, false, false, true),
                Compression::G3 { k } => crate::g4::encode_g3(&bitmap, k > 1, k.max(1), true, true, false),
                _ => crate::g4::encode(&bitmap),
            };
        }
        let mut raw = vec![0u8; row_bytes * h as usize];
        for y in 0..h as usize {
            let row = &mut raw[y * row_bytes..(y + 1) * row_bytes];
            for x in 0..w as usize {
                for s in 0..per {
                    let (gx, gy) = (x0 as usize + x, y0 as usize + y);
                    if gx >= self.width as usize || gy >= self.height as usize {
                        continue;
                    }
                    let v = self.values[(gy * self.width as usize + gx) * spp + plane.unwrap_or(s)];
                    let i = x * per + s;
                    match bits {
                        16 => row[i * 2..i * 2 + 2].copy_from_slice(&if big_endian { v.to_be_bytes() } else { v.to_le_bytes() }),
                        8 => row[i] = v as u8,
                        _ => row[i * bits / 8] |= (v as u8) << (8 - bits - (i * bits) % 8),
                    }
                }
            }
        }
        if let Compression::Lzw { predictor: true } | Compression::Deflate { predictor: true } = self.compression {
            for row in raw.chunks_exact_mut(row_bytes) {
                if bits == 8 {
                    for i in (per..row.len()).rev() {
                        row[i] = row[i].wrapping_sub(row[i - per]);
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
                    for i in (per..row.len() / 2).rev() {
                        let v = get(row, i).wrapping_sub(get(row, i - per));
                        row[i * 2..i * 2 + 2].copy_from_slice(&if big_endian { v.to_be_bytes() } else { v.to_le_bytes() });
                    }
                }
            }
        }
        match self.compression {
            Compression::None => raw,
            Compression::PackBits => packbits(&raw),
            Compression::Lzw { .. } => lzw(&raw),
            Compression::Deflate { .. } => miniz_oxide::deflate::compress_to_vec_zlib(&raw, 6),
            Compression::Jpeg { .. } => {
                let colour = if per == 3 { jpeg_encoder::ColorType::Rgb } else { jpeg_encoder::ColorType::Luma };
                let mut out = Vec::new();
                jpeg_encoder::Encoder::new(&mut out, 90).encode(&raw, w as u16, h as u16, colour).expect("JPEG");
                out
            }
            Compression::G4 | Compression::Mh | Compression::G3 { .. } => unreachable!(),
        }
    }
}

/// A TIFF of `pages`, in order, in the given byte order.
pub fn write(pages: &[Page], big_endian: bool) -> Vec<u8> {
    let mut out = if big_endian { b"MM\0*\0\0\0\0".to_vec() } else { b"II*\0\0\0\0\0".to_vec() };
    let put32 = |out: &mut Vec<u8>, at: usize, v: u32| {
        out[at..at + 4].copy_from_slice(&if big_endian { v.to_be_bytes() } else { v.to_le_bytes() })
    };
    let mut link = 4;
    for page in pages {
        let (cw, ch) = page.tiles.unwrap_or((page.width, page.rows_per_strip.clamp(1, page.height)));
        let (across, down) = (page.width.div_ceil(cw), page.height.div_ceil(ch));
        let planes: Vec<Option<usize>> =
            if page.planar { (0..usize::from(page.samples)).map(Some).collect() } else { vec![None] };
        let mut pieces = Vec::new();
        for &plane in &planes {
            for i in 0..across * down {
                let (x0, y0) = ((i % across) * cw, (i / across) * ch);
                let h = if page.tiles.is_some() { ch } else { ch.min(page.height - y0) };
                pieces.push(page.piece(x0, y0, cw, h, plane, big_endian));
            }
        }
        let mut tables = None;
        if page.compression == (Compression::Jpeg { tables: true }) {
            // Move DQT and DHT segments of every piece out to JPEGTables.
            let mut shared = vec![0xFF, 0xD8];
            for (n, piece) in pieces.iter_mut().enumerate() {
                let (kept, moved) = split_tables(piece);
                if n == 0 {
                    shared.extend(moved);
                }
                *piece = kept;
            }
            shared.extend([0xFF, 0xD9]);
            tables = Some(shared);
        }
        let mut offsets = Vec::new();
        for piece in &pieces {
            offsets.push(out.len() as u32);
            out.extend_from_slice(piece);
            if out.len() % 2 == 1 {
                out.push(0);
            }
        }
        let counts: Vec<u32> = pieces.iter().map(|p| p.len() as u32).collect();
        // Entries: (tag, type, values); SHORT = 3, LONG = 4, UNDEFINED = 7.
        let mut entries: Vec<(u16, u16, Vec<u32>)> = vec![
            (256, 4, vec![page.width]),
            (257, 4, vec![page.height]),
            (258, 3, vec![u32::from(page.bits); usize::from(page.samples)]),
            (259, 3, vec![u32::from(page.compression.code())]),
            (262, 3, vec![u32::from(page.photometric)]),
            (274, 3, vec![u32::from(page.orientation)]),
            (277, 3, vec![u32::from(page.samples)]),
            (284, 3, vec![if page.planar { 2 } else { 1 }]),
        ];
        if let Compression::Lzw { predictor: true } | Compression::Deflate { predictor: true } = page.compression {
            entries.push((317, 3, vec![2]));
        }
        if let Compression::G3 { k } = page.compression {
            // T4Options: 2-D coding, fill bits before end-of-line marks.
            entries.push((292, 4, vec![u32::from(k > 1) | 4]));
        }
        if let Some(map) = &page.color_map {
            entries.push((320, 3, map.iter().map(|&v| u32::from(v)).collect()));
        }
        if page.alpha {
            entries.push((338, 3, vec![2]));
        }
        if let Some((tw, th)) = page.tiles {
            entries.extend([(322, 4, vec![tw]), (323, 4, vec![th]), (324, 4, offsets), (325, 4, counts)]);
        } else {
            entries.extend([(273, 4, offsets), (278, 4, vec![ch]), (279, 4, counts)]);
        }
        if let Some(tables) = &tables {
            entries.push((347, 7, tables.iter().map(|&b| u32::from(b)).collect()));
        }
        entries.sort_by_key(|e| e.0);
        let dir = out.len();
        put32(&mut out, link, dir as u32);
        let mut extra_at = dir + 2 + entries.len() * 12 + 4;
        let mut extra = Vec::new();
        let put16 = |v: u16| {
            if big_endian {
                v.to_be_bytes()
            } else {
                v.to_le_bytes()
            }
        };
        out.extend_from_slice(&put16(entries.len() as u16));
        for (tag, kind, values) in &entries {
            out.extend_from_slice(&put16(*tag));
            out.extend_from_slice(&put16(*kind));
            let mut bytes = Vec::new();
            for &v in values {
                match kind {
                    3 => bytes.extend_from_slice(&put16(v as u16)),
                    4 => bytes.extend_from_slice(&if big_endian { v.to_be_bytes() } else { v.to_le_bytes() }),
                    _ => bytes.push(v as u8),
                }
            }
            let count = values.len() as u32;
            out.extend_from_slice(&if big_endian { count.to_be_bytes() } else { count.to_le_bytes() });
            if bytes.len() <= 4 {
                bytes.resize(4, 0);
                out.extend_from_slice(&bytes);
            } else {
                let at = extra_at as u32;
                out.extend_from_slice(&if big_endian { at.to_be_bytes() } else { at.to_le_bytes() });
                extra_at += bytes.len() + bytes.len() % 2;
                extra.extend_from_slice(&bytes);
                if bytes.len() % 2 == 1 {
                    extra.push(0);
                }
            }
        }
        link = out.len();
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&extra);
    }
    out
}

/// A JPEG without its DQT and DHT segments, and those segments.
fn split_tables(jpeg: &[u8]) -> (Vec<u8>, Vec<u8>) {
    let (mut kept, mut moved) = (vec![0xFF, 0xD8], Vec::new());
    let mut i = 2;
    while i + 4 <= jpeg.len() && jpeg[i] == 0xFF {
        let marker = jpeg[i + 1];
        if marker == 0xDA {
            break;
        }
        let len = usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
        let segment = &jpeg[i..i + 2 + len];
        if matches!(marker, 0xDB | 0xC4) {
            moved.extend_from_slice(segment)
        } else {
            kept.extend_from_slice(segment)
        }
        i += 2 + len;
    }
    kept.extend_from_slice(&jpeg[i..]);
    (kept, moved)
}

fn packbits(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < raw.len() {
        let run = raw[i..].iter().take(128).take_while(|&&b| b == raw[i]).count();
        if run >= 2 {
            out.extend([(1 - run as i16) as u8, raw[i]]);
            i += run;
            continue;
        }
        let mut j = i + 1;
        while j < raw.len() && j - i < 128 && !(j + 1 < raw.len() && raw[j] == raw[j + 1]) {
            j += 1;
        }
        out.push((j - i - 1) as u8);
        out.extend_from_slice(&raw[i..j]);
        i = j;
    }
    out
}

/// TIFF LZW: MSB first, 9–12-bit codes widened one code early, a clear
/// code first and whenever the table is full.
fn lzw(raw: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    let (mut acc, mut held) = (0u64, 0u32);
    let mut emit = |code: u32, width: u32, out: &mut Vec<u8>| {
        acc = (acc << width) | u64::from(code);
        held += width;
        while held >= 8 {
            held -= 8;
            out.push((acc >> held) as u8);
        }
    };
    let mut table: std::collections::HashMap<(u32, u8), u32> = std::collections::HashMap::new();
    // We add a code with each one written; the decoder a code later, so
    // it widens on its `next + 1`, we on `next`, at the same code.
    let (mut next, mut width) = (258u32, 9u32);
    emit(256, width, &mut out);
    let mut current: Option<u32> = None;
    for &b in raw {
        let Some(c) = current else {
            current = Some(u32::from(b));
            continue;
        };
        if let Some(&code) = table.get(&(c, b)) {
            current = Some(code);
            continue;
        }
        emit(c, width, &mut out);
        table.insert((c, b), next);
        next += 1;
        if next >= 1 << width && width < 12 {
            width += 1;
        }
        current = Some(u32::from(b));
        if next >= 4093 {
            emit(current.take().unwrap(), width, &mut out);
            emit(256, width, &mut out);
            table.clear();
            (next, width) = (258, 9);
        }
    }
    if let Some(c) = current {
        emit(c, width, &mut out);
        next += 1;
        if next >= 1 << width && width < 12 {
            width += 1;
        }
    }
    emit(257, width, &mut out);
    if held > 0 {
        out.push((acc << (8 - held)) as u8);
    }
    out
}

//! Page images out of a scanner-made PDF (tệp PDF từ máy quét): such files
//! hold one full-page image per page, JPEG (`/DCTDecode`), deflated pixels
//! (`/FlateDecode`) or fax G4 (`/CCITTFaxDecode`). We read the image
//! objects in file order, which is page order in what scanners write;
//! masks and small images (logos, thumbnails) are not pages.
//!
//! A deliberately small reader for hostile input: every length is checked
//! against the file, nesting is limited, inflated data is capped at the
//! image's own size, and a broken image fails only its page.

use std::borrow::Cow;

use hoso_core::i18n::inputs as words;

use crate::inputs::{PageImage, MAX_PAGES};
use crate::raster::Rgb;
use crate::{ImageError, MAX_PIXELS};

/// Images smaller than this many pixels are decorations, not pages.
const MIN_PAGE_PIXELS: u64 = 40_000;
const MAX_DEPTH: usize = 16;

#[derive(Clone, Debug, PartialEq)]
enum Value {
    Dict(Vec<(Vec<u8>, Value)>),
    Array(Vec<Value>),
    Name(Vec<u8>),
    Number(f64),
    Ref(u32),
    /// `true`, `false`, `null` and the like.
    Keyword(Vec<u8>),
    Other,
}

impl Value {
    fn get(&self, key: &[u8]) -> Option<&Value> {
        match self {
            Value::Dict(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    fn number(&self) -> Option<f64> {
        match self {
            Value::Number(n) => Some(*n),
            _ => None,
        }
    }

    fn name(&self) -> Option<&[u8]> {
        match self {
            Value::Name(n) => Some(n),
            // A one-element array of filters or colour spaces.
            Value::Array(items) if items.len() == 1 => items[0].name(),
            Value::Array(items) if !items.is_empty() => items[0].name(),
            _ => None,
        }
    }
}

struct Parser<'a> {
    data: &'a [u8],
    pos: usize,
}

fn is_white(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | 0)
}

fn is_delimiter(b: u8) -> bool {
    is_white(b) || b"()<>[]{}/%".contains(&b)
}

impl Parser<'_> {
    fn skip_white(&mut self) {
        while let Some(&b) = self.data.get(self.pos) {
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.data.get(self.pos).is_some_and(|&b| b != b'\n' && b != b'\r') {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    fn word(&mut self) -> &[u8] {
        let start = self.pos;
        while self.data.get(self.pos).is_some_and(|&b| !is_delimiter(b)) {
            self.pos += 1;
        }
        &self.data[start..self.pos]
    }

    fn value(&mut self, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        self.skip_white();
        let rest = self.data.get(self.pos..)?;
        if rest.starts_with(b"<<") {
            self.pos += 2;
            let mut entries = Vec::new();
            loop {
                self.skip_white();
                if self.data.get(self.pos..)?.starts_with(b">>") {
                    self.pos += 2;
                    return Some(Value::Dict(entries));
                }
                let Value::Name(key) = self.value(depth + 1)? else { return None };
                let value = self.value(depth + 1)?;
                entries.push((key, value));
            }
        }
        match *rest.first()? {
            b'[' => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_white();
                    if *self.data.get(self.pos)? == b']' {
                        self.pos += 1;
                        return Some(Value::Array(items));
                    }
                    items.push(self.value(depth + 1)?);
                }
            }
            b'/' => {
                self.pos += 1;
                Some(Value::Name(self.word().to_vec()))
            }
            b'(' => {
                // Literal string: balanced parentheses, backslash escapes.
                let mut level = 0usize;
                loop {
                    let b = *self.data.get(self.pos)?;
                    self.pos += 1;
                    match b {
                        b'\\' => self.pos += 1,
                        b'(' => level += 1,
                        b')' => {
                            level -= 1;
                            if level == 0 {
                                return Some(Value::Other);
                            }
                        }
                        _ => {}
                    }
                }
            }
            b'<' => {
                let end = rest.iter().position(|&b| b == b'>')?;
                self.pos += end + 1;
                Some(Value::Other)
            }
            _ => {
                let word = self.word();
                if word.is_empty() {
                    return None;
                }
                let Some(n) = pdf_number(word) else {
                    return Some(Value::Keyword(word.to_vec()));
                };
                // "12 0 R" is a reference to object 12.
                let save = self.pos;
                self.skip_white();
                let generation = self.word().to_vec();
                self.skip_white();
                if !generation.is_empty() && generation.iter().all(u8::is_ascii_digit) && self.data.get(self.pos) == Some(&b'R') {
                    self.pos += 1;
                    return Some(Value::Ref(n as u32));
                }
                self.pos = save;
                Some(Value::Number(n))
            }
        }
    }
}

/// A PDF number (`12`, `-3.5`, `.5`; no exponent in PDF). Our own, so
/// the worker carries no float-parsing tables (`str::parse::<f64>`).
fn pdf_number(word: &[u8]) -> Option<f64> {
    let (negative, digits) = match word.first()? {
        b'-' => (true, &word[1..]),
        b'+' => (false, &word[1..]),
        _ => (false, word),
    };
    let (mut value, mut scale, mut dot, mut any) = (0f64, 1f64, false, false);
    for &b in digits {
        match b {
            b'0'..=b'9' if dot => {
                scale /= 10.0;
                value += f64::from(b - b'0') * scale;
                any = true;
            }
            b'0'..=b'9' => {
                value = value * 10.0 + f64::from(b - b'0');
                any = true;
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    any.then_some(if negative { -value } else { value })
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|p| p + from)
}

/// The number object `id` holds (an indirect `/Length`).
fn indirect_number(data: &[u8], id: u32) -> Option<f64> {
    let needle = format!("{id} 0 obj");
    let mut from = 0;
    while let Some(at) = find(data, needle.as_bytes(), from) {
        from = at + 1;
        if at > 0 && !is_delimiter(data[at - 1]) {
            continue;
        }
        let mut p = Parser { data, pos: at + needle.len() };
        return p.value(0)?.number();
    }
    None
}

/// Every page image of the PDF, in file order.
#[cfg(feature = "decode")]
pub fn pages(data: &[u8]) -> Result<Vec<Result<Rgb, ImageError>>, ImageError> {
    let mut pages = Vec::new();
    each_page(data, |page| pages.push(page))?;
    Ok(pages)
}

/// Decodes the page images one at a time (only one is in memory) and hands
/// each to `f`; returns how many there were.
#[cfg(feature = "decode")]
pub fn each_page(data: &[u8], mut f: impl FnMut(Result<Rgb, ImageError>)) -> Result<usize, ImageError> {
    let count = page_objects(data, |index, object| {
        f(image(&object).and_then(|page| match page {
            PageImage::Pixels(rgb) => Ok(rgb),
            PageImage::Encoded(jpeg) => crate::decode_file(&jpeg),
        }));
        index + 1 < MAX_PAGES
    })?;
    if count == 0 {
        return Err(ImageError::NotScanned);
    }
    Ok(count)
}

/// How many page images the PDF holds, without decoding any; more than
/// [`MAX_PAGES`] is refused as a whole.
pub fn page_count(data: &[u8]) -> Result<usize, ImageError> {
    let count = page_objects(data, |index, _| index < MAX_PAGES)?;
    match count {
        0 => Err(ImageError::NotScanned),
        n if n > MAX_PAGES => Err(ImageError::TooManyPages { pages: n as u32, max: MAX_PAGES as u32 }),
        n => Ok(n),
    }
}

/// Page `index` (from 0) alone: its pixels, or its JPEG as stored (the
/// browser decodes JPEG itself, off our heap).
pub fn page_image(data: &[u8], index: usize) -> Result<PageImage<'_>, ImageError> {
    let mut found = None;
    page_objects(data, |i, object| {
        if i == index {
            found = Some(image(&object));
        }
        i < index
    })?;
    found.unwrap_or_else(|| Err(ImageError::Corrupt(words::pdf_no_page(index + 1))))
}

/// One page image found in the file: its dictionary and stream data.
struct ImageObject<'a> {
    dict: Value,
    stream: &'a [u8],
    width: u32,
    height: u32,
}

/// Walks the page images in file order, handing each (with its index) to
/// `f` until it returns false; returns how many were handed over.
/// Encrypted files are refused: their streams are unreadable.
fn page_objects<'a>(data: &'a [u8], mut f: impl FnMut(usize, ImageObject<'a>) -> bool) -> Result<usize, ImageError> {
    if !data.starts_with(b"%PDF") {
        return Err(ImageError::UnknownFormat);
    }
    if is_encrypted(data) {
        return Err(ImageError::Encrypted);
    }
    let mut count = 0;
    let mut from = 0;
    while let Some(at) = find(data, b" obj", from) {
        from = at + 4;
        let mut p = Parser { data, pos: at + 4 };
        let Some(dict @ Value::Dict(_)) = p.value(0) else { continue };
        if dict.get(b"Subtype").and_then(Value::name) != Some(b"Image") {
            continue;
        }
        p.skip_white();
        if !data.get(p.pos..).is_some_and(|r| r.starts_with(b"stream")) {
            continue;
        }
        let mut start = p.pos + 6;
        if data.get(start) == Some(&b'\r') {
            start += 1;
        }
        if data.get(start) == Some(&b'\n') {
            start += 1;
        }
        let length = match dict.get(b"Length") {
            Some(Value::Number(n)) => Some(*n),
            Some(Value::Ref(id)) => indirect_number(data, *id),
            _ => None,
        };
        let end = match length {
            Some(n) if n >= 0.0 && start + (n as usize) <= data.len() => start + n as usize,
            _ => match find(data, b"endstream", start) {
                Some(e) => e,
                None => break,
            },
        };
        from = end;
        let is_mask = dict.get(b"ImageMask") == Some(&Value::Keyword(b"true".to_vec()));
        let width = dict.get(b"Width").and_then(Value::number).unwrap_or(0.0);
        let height = dict.get(b"Height").and_then(Value::number).unwrap_or(0.0);
        if is_mask || width < 1.0 || height < 1.0 || (width as u64) * (height as u64) < MIN_PAGE_PIXELS {
            continue;
        }
        let object = ImageObject { dict, stream: &data[start..end], width: width as u32, height: height as u32 };
        count += 1;
        if !f(count - 1, object) || count > MAX_PAGES {
            break;
        }
    }
    Ok(count)
}

/// A PDF with an `/Encrypt` dictionary in its trailer (a password, or
/// owner-only rights): its streams are encrypted.
fn is_encrypted(data: &[u8]) -> bool {
    let mut from = 0;
    while let Some(at) = find(data, b"/Encrypt", from) {
        from = at + 8;
        // "/EncryptMetadata" and the like are other keys.
        if data.get(from).is_none_or(|&b| is_delimiter(b)) {
            return true;
        }
    }
    false
}

fn image<'a>(object: &ImageObject<'a>) -> Result<PageImage<'a>, ImageError> {
    let (dict, stream, width, height) = (&object.dict, object.stream, object.width, object.height);
    if u64::from(width) * u64::from(height) > MAX_PIXELS {
        return Err(ImageError::TooLarge { width, height });
    }
    let filter = dict.get(b"Filter").and_then(Value::name).unwrap_or(b"");
    let parms = dict.get(b"DecodeParms").map(|v| match v {
        Value::Array(items) => items.first().cloned().unwrap_or(Value::Other),
        v => v.clone(),
    });
    let parm = |key: &[u8]| parms.as_ref().and_then(|p| p.get(key)).and_then(Value::number);
    let n = width as usize * height as usize;
    match filter {
        b"DCTDecode" => Ok(PageImage::Encoded(Cow::Borrowed(stream))),
        b"CCITTFaxDecode" => {
            let k = parm(b"K").unwrap_or(0.0);
            let aligned = parms.as_ref().and_then(|p| p.get(b"EncodedByteAlign")) == Some(&Value::Keyword(b"true".to_vec()));
            let coding = if k < 0.0 { crate::g4::Coding::G4 } else { crate::g4::Coding::G3 { two_d: k > 0.0, aligned } };
            let bits =
                crate::g4::decode_fax(stream, width, height, coding).ok_or_else(|| ImageError::Corrupt(words::PDF_FAX.into()))?;
            Ok(PageImage::Pixels(Rgb { width, height, data: bits.data.iter().flat_map(|&b| [if b != 0 { 0 } else { 255 }; 3]).collect() }))
        }
        b"FlateDecode" | b"" => {
            let bpc = dict.get(b"BitsPerComponent").and_then(Value::number).unwrap_or(8.0) as usize;
            let components = match dict.get(b"ColorSpace").and_then(Value::name) {
                Some(b"DeviceGray" | b"CalGray") => 1,
                Some(b"DeviceCMYK") => 4,
                Some(b"DeviceRGB" | b"CalRGB") => 3,
                _ => 0,
            };
            let raw = if filter.is_empty() {
                stream.to_vec()
            } else {
                // Never inflate beyond what the image can hold (+ PNG predictor bytes).
                let cap = n * 4 + height as usize + 16;
                miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(stream, cap)
                    .map_err(|_| ImageError::Corrupt(words::PDF_DEFLATE.into()))?
            };
            let components = if components > 0 {
                components
            } else {
                // ICC-based or indexed: judge by size.
                [3, 1, 4]
                    .into_iter()
                    .find(|&c| raw.len() >= n * c * bpc / 8 && raw.len() < n * (c + 1) * bpc / 8 + height as usize + 16)
                    .unwrap_or(3)
            };
            let stride = (width as usize * components * bpc).div_ceil(8);
            let raw =
                if parm(b"Predictor").unwrap_or(1.0) >= 10.0 { png_unpredict(&raw, stride, components * bpc / 8)? } else { raw };
            if raw.len() < stride * height as usize {
                return Err(ImageError::Corrupt(words::PDF_DATA_SHORT.into()));
            }
            let mut rgb = Vec::with_capacity(n * 3);
            for y in 0..height as usize {
                let row = &raw[y * stride..(y + 1) * stride];
                for x in 0..width as usize {
                    match (components, bpc) {
                        (1, 8) => rgb.extend([row[x]; 3]),
                        (1, 1) => rgb.extend([if row[x / 8] & (0x80 >> (x % 8)) != 0 { 255 } else { 0 }; 3]),
                        (3, 8) => rgb.extend_from_slice(&row[x * 3..x * 3 + 3]),
                        (4, 8) => {
                            let p = &row[x * 4..x * 4 + 4];
                            let k = 255 - u32::from(p[3]);
                            rgb.extend([0, 1, 2].map(|c| ((255 - u32::from(p[c])) * k / 255) as u8));
                        }
                        _ => return Err(ImageError::Corrupt(words::pdf_components(components, bpc))),
                    }
                }
            }
            Ok(PageImage::Pixels(Rgb { width, height, data: rgb }))
        }
        other => Err(ImageError::Corrupt(words::pdf_filter(&String::from_utf8_lossy(other)))),
    }
}

/// Undoes PNG row filters (`/Predictor` ≥ 10): each row starts with its filter type.
fn png_unpredict(raw: &[u8], stride: usize, bpp: usize) -> Result<Vec<u8>, ImageError> {
    let bpp = bpp.max(1);
    let mut out = Vec::with_capacity(raw.len());
    let mut prev = vec![0u8; stride];
    for row in raw.chunks(stride + 1) {
        if row.len() < stride + 1 {
            break;
        }
        let (kind, src) = (row[0], &row[1..]);
        let mut cur = vec![0u8; stride];
        for i in 0..stride {
            let (a, b, c) = (if i >= bpp { cur[i - bpp] } else { 0 }, prev[i], if i >= bpp { prev[i - bpp] } else { 0 });
            let predicted = match kind {
                0 => 0,
                1 => a,
                2 => b,
                3 => ((u16::from(a) + u16::from(b)) / 2) as u8,
                4 => {
                    let p = i16::from(a) + i16::from(b) - i16::from(c);
                    let (pa, pb, pc) = ((p - i16::from(a)).abs(), (p - i16::from(b)).abs(), (p - i16::from(c)).abs());
                    if pa <= pb && pa <= pc {
                        a
                    } else if pb <= pc {
                        b
                    } else {
                        c
                    }
                }
                _ => return Err(ImageError::Corrupt(words::PDF_PNG_FILTER.into())),
            };
            cur[i] = src[i].wrapping_add(predicted);
        }
        out.extend_from_slice(&cur);
        prev = cur;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object(id: u32, dict: &str, stream: &[u8]) -> Vec<u8> {
        let mut o = format!("{id} 0 obj\n<< {dict} /Length {} >>\nstream\n", stream.len()).into_bytes();
        o.extend_from_slice(stream);
        o.extend_from_slice(b"\nendstream\nendobj\n");
        o
    }

    /// A PDF as a scanner writes it: page 1 JPEG, page 2 deflated grey with
    /// an indirect length, page 3 fax G4, plus a small logo that is no page.
    pub(crate) fn scanner_pdf() -> Vec<u8> {
        let rgba: Vec<u8> = (0..300 * 200).flat_map(|_| [200u8, 30, 40, 255]).collect();
        let jpeg = crate::encode_page(&rgba, 300, 200, 100.0).unwrap().jpeg;
        let grey: Vec<u8> = (0..250 * 200).map(|i| (i % 250) as u8).collect();
        let flate = miniz_oxide::deflate::compress_to_vec_zlib(&grey, 6);
        let mut bits = crate::raster::Bitmap::new(240, 180);
        for x in 0..240 {
            bits.data[(90 * 240 + x) as usize] = 1;
        }
        let g4 = crate::g4::encode(&bits);
        let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        pdf.extend(object(
            4,
            "/Type /XObject /Subtype /Image /Width 300 /Height 200 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode",
            &jpeg,
        ));
        pdf.extend(object(5, "/Subtype /Image /Width 20 /Height 20 /ColorSpace /DeviceGray /BitsPerComponent 8", &[0; 400]));
        pdf.extend_from_slice(b"6 0 obj\n<< /Subtype /Image /Width 250 /Height 200 /ColorSpace [/ICCBased 9 0 R] /BitsPerComponent 8 /Filter [/FlateDecode] /Length 7 0 R >>\nstream\n");
        pdf.extend_from_slice(&flate);
        pdf.extend(format!("\nendstream\nendobj\n7 0 obj\n{}\nendobj\n", flate.len()).into_bytes());
        pdf.extend(object(8, "/Subtype /Image /Width 240 /Height 180 /BitsPerComponent 1 /ColorSpace /DeviceGray /Filter /CCITTFaxDecode /DecodeParms << /K -1 /Columns 240 /Rows 180 >>", &g4));
        pdf.extend_from_slice(b"trailer\n<< /Root 1 0 R >>\n%%EOF\n");
        pdf
    }

    #[cfg(feature = "decode")]
    #[test]
    fn jpeg_flate_and_g4_pages_in_order() {
        let pages = pages(&scanner_pdf()).unwrap();
        assert_eq!(pages.len(), 3, "the 20 × 20 logo is no page");
        let p: Vec<&Rgb> = pages.iter().map(|p| p.as_ref().unwrap()).collect();
        assert_eq!((p[0].width, p[0].height), (300, 200));
        assert!(p[0].data[0] > 150 && p[0].data[1] < 80, "red JPEG page: {:?}", &p[0].data[..3]);
        assert_eq!((p[1].width, p[1].height, p[1].data[3 * 7]), (250, 200, 7));
        assert_eq!((p[2].width, p[2].height), (240, 180));
        assert_eq!((p[2].data[(90 * 240 + 5) * 3], p[2].data[(10 * 240 + 5) * 3]), (0, 255), "G4 ink black, paper white");
    }

    #[cfg(feature = "decode")]
    #[test]
    fn a_broken_image_fails_only_its_page_and_garbage_is_refused() {
        let mut pdf = scanner_pdf();
        // Corrupt the deflated page's data (just after its "stream" line).
        let at = find(&pdf, b"7 0 R >>\nstream\n", 0).unwrap() + 16;
        pdf[at..at + 8].copy_from_slice(b"XXXXXXXX");
        let pages = pages(&pdf).unwrap();
        assert_eq!(pages.iter().map(Result::is_ok).collect::<Vec<_>>(), [true, false, true]);
        assert!(super::pages(b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj").is_err());
        // Hostile: a length far past the end, deep nesting, a bomb's dimensions.
        let mut hostile =
            b"%PDF-1.4\n1 0 obj << /Subtype /Image /Width 100000 /Height 100000 /Length 99999999 >>\nstream\nxx\nendstream\n"
                .to_vec();
        hostile.extend(b"2 0 obj ".iter().chain(&[b'['; 5000]));
        let pages = super::pages(&hostile).unwrap();
        assert!(matches!(pages[0], Err(ImageError::TooLarge { .. })));
    }

    /// The worker's way: count, then one page at a time; the JPEG page is
    /// handed back as stored (the browser decodes it).
    #[test]
    fn pages_one_at_a_time_without_decoding_jpeg() {
        let pdf = scanner_pdf();
        assert_eq!(page_count(&pdf), Ok(3));
        let PageImage::Encoded(jpeg) = page_image(&pdf, 0).unwrap() else { panic!("page 1 is the JPEG") };
        assert_eq!(&jpeg[..2], &[0xFF, 0xD8]);
        let PageImage::Pixels(grey) = page_image(&pdf, 1).unwrap() else { panic!("page 2 is pixels") };
        assert_eq!((grey.width, grey.height, grey.data[3 * 7]), (250, 200, 7));
        let PageImage::Pixels(fax) = page_image(&pdf, 2).unwrap() else { panic!("page 3 is pixels") };
        assert_eq!((fax.width, fax.height, fax.data[(90 * 240 + 5) * 3]), (240, 180, 0));
        assert!(matches!(page_image(&pdf, 3), Err(ImageError::Corrupt(_))));
        // A broken page fails alone; the count does not look inside streams.
        let mut broken = pdf.clone();
        let at = find(&broken, b"7 0 R >>\nstream\n", 0).unwrap() + 16;
        broken[at..at + 8].copy_from_slice(b"XXXXXXXX");
        assert_eq!(page_count(&broken), Ok(3));
        assert!(matches!(page_image(&broken, 1), Err(ImageError::Corrupt(_))));
        assert!(matches!(page_image(&broken, 2), Ok(PageImage::Pixels(_))));
    }

    #[test]
    fn pdf_numbers() {
        for (word, want) in [("12", Some(12.0)), ("-3.5", Some(-3.5)), (".5", Some(0.5)), ("+7.", Some(7.0)), ("0.125", Some(0.125))] {
            assert_eq!(pdf_number(word.as_bytes()), want, "{word}");
        }
        for word in ["", "-", ".", "inf", "NaN", "1e5", "1.2.3", "true", "12R"] {
            assert_eq!(pdf_number(word.as_bytes()), None, "{word}");
        }
    }

    #[test]
    fn encrypted_typed_and_endless_pdfs_are_refused_as_a_whole() {
        let mut locked = scanner_pdf();
        let trailer = find(&locked, b"<< /Root", 0).unwrap();
        locked.splice(trailer + 2..trailer + 2, b" /Encrypt 12 0 R".iter().copied());
        assert_eq!(page_count(&locked), Err(ImageError::Encrypted));
        assert!(matches!(page_image(&locked, 0), Err(ImageError::Encrypted)));
        // /EncryptMetadata alone is not encryption.
        let mut meta = scanner_pdf();
        meta.splice(trailer + 2..trailer + 2, b" /EncryptMetadata false".iter().copied());
        assert_eq!(page_count(&meta), Ok(3));
        // Typed text, no page image.
        let typed = b"%PDF-1.4\n1 0 obj << /Type /Page /Contents 2 0 R >> endobj\n2 0 obj << /Length 9 >>\nstream\nBT (a) Tj\nendstream\nendobj\n";
        assert_eq!(page_count(typed), Err(ImageError::NotScanned));
        // One page too many: refused, not cut short silently.
        let grey = miniz_oxide::deflate::compress_to_vec_zlib(&[200u8; 200 * 200], 6);
        let mut many = b"%PDF-1.4\n".to_vec();
        for i in 0..=MAX_PAGES as u32 {
            many.extend(object(i + 1, "/Subtype /Image /Width 200 /Height 200 /ColorSpace /DeviceGray /BitsPerComponent 8 /Filter /FlateDecode", &grey));
        }
        let max = MAX_PAGES as u32;
        assert_eq!(page_count(&many), Err(ImageError::TooManyPages { pages: max + 1, max }));
        let last = many.len() - many.windows(6).rev().position(|w| w == b"\n1 0 o").map_or(0, |_| 0);
        assert!(last > 0);
        let exactly = &many[..find(&many, format!("\n{} 0 obj", max + 1).as_bytes(), 0).unwrap() + 1];
        assert_eq!(page_count(exactly), Ok(MAX_PAGES));
        assert!(ImageError::Encrypted.msg().vi().contains("mật khẩu"));
    }
}

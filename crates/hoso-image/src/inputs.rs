//! Input files that hold several paper pages (natively decoded): a
//! multi-page TIFF from a flatbed scanner, or a PDF a scanner made. Every
//! page is decoded on its own, so one broken page leaves the others intact.

use crate::raster::Rgb;
use crate::{decode_file, probe, Format, ImageError, MAX_PIXELS};

/// Most pages taken from one file: a scanner's batch, not a book.
pub const MAX_PAGES: usize = 500;

/// The paper pages in a file, in order. The outer error means the file as a
/// whole is unreadable (HEIC, unknown, a bomb); an inner one, that page.
pub fn decode_pages(bytes: &[u8]) -> Result<Vec<Result<Rgb, ImageError>>, ImageError> {
    let mut pages = Vec::new();
    each_page(bytes, |page| pages.push(page))?;
    Ok(pages)
}

/// Like [`decode_pages`], one page at a time: a 50-page TIFF or PDF never
/// has more than one page decoded. Returns the number of pages.
pub fn each_page(bytes: &[u8], mut f: impl FnMut(Result<Rgb, ImageError>)) -> Result<usize, ImageError> {
    if bytes.starts_with(b"%PDF") {
        return crate::pdfimages::each_page(bytes, f);
    }
    let probe = probe(bytes)?;
    if probe.format == Format::Tiff {
        return tiff_pages(bytes, f);
    }
    f(decode_file(bytes));
    Ok(1)
}

fn corrupt(e: impl std::fmt::Display) -> ImageError {
    ImageError::Corrupt(e.to_string())
}

fn tiff_pages(bytes: &[u8], mut f: impl FnMut(Result<Rgb, ImageError>)) -> Result<usize, ImageError> {
    let mut decoder = tiff::decoder::Decoder::new(std::io::Cursor::new(bytes)).map_err(corrupt)?;
    if !decoder.more_images() {
        // One page: the `image` path also applies the orientation tag.
        f(decode_file(bytes));
        return Ok(1);
    }
    let mut count = 0;
    loop {
        f(tiff_page(&mut decoder));
        count += 1;
        if !decoder.more_images() || count >= MAX_PAGES {
            break;
        }
        if let Err(e) = decoder.next_image() {
            f(Err(corrupt(e)));
            count += 1;
            break;
        }
    }
    Ok(count)
}

fn tiff_page(decoder: &mut tiff::decoder::Decoder<std::io::Cursor<&[u8]>>) -> Result<Rgb, ImageError> {
    use tiff::decoder::DecodingResult as D;
    use tiff::ColorType as C;
    let (width, height) = decoder.dimensions().map_err(corrupt)?;
    if u64::from(width) * u64::from(height) > MAX_PIXELS || width == 0 || height == 0 {
        return Err(ImageError::TooLarge { width, height });
    }
    let colour = decoder.colortype().map_err(corrupt)?;
    // 0 = WhiteIsZero: fax-style pages store ink as 1.
    let inverted = decoder.find_tag_unsigned::<u16>(tiff::tags::Tag::PhotometricInterpretation).ok().flatten() == Some(0);
    let n = width as usize * height as usize;
    let data = decoder.read_image().map_err(corrupt)?;
    let gray = |g: u8| if inverted { 255 - g } else { g };
    let rgb: Vec<u8> = match (colour, data) {
        (C::Gray(8), D::U8(v)) if v.len() >= n => v[..n].iter().flat_map(|&g| [gray(g); 3]).collect(),
        (C::Gray(16), D::U16(v)) if v.len() >= n => v[..n].iter().flat_map(|&g| [gray((g >> 8) as u8); 3]).collect(),
        (C::Gray(1), D::U8(v)) => {
            let stride = (width as usize).div_ceil(8);
            if v.len() < stride * height as usize {
                return Err(corrupt("TIFF: thiếu dữ liệu"));
            }
            let mut out = Vec::with_capacity(n * 3);
            for y in 0..height as usize {
                for x in 0..width as usize {
                    let bit = v[y * stride + x / 8] & (0x80 >> (x % 8)) != 0;
                    out.extend([gray(if bit { 255 } else { 0 }); 3]);
                }
            }
            out
        }
        (C::RGB(8), D::U8(v)) if v.len() >= n * 3 => v[..n * 3].to_vec(),
        (C::RGB(16), D::U16(v)) if v.len() >= n * 3 => v[..n * 3].iter().map(|&c| (c >> 8) as u8).collect(),
        (C::RGBA(8), D::U8(v)) if v.len() >= n * 4 => v.chunks_exact(4).take(n).flat_map(|p| [p[0], p[1], p[2]]).collect(),
        (C::CMYK(8), D::U8(v)) if v.len() >= n * 4 => v
            .chunks_exact(4)
            .take(n)
            .flat_map(|p| {
                let k = 255 - u32::from(p[3]);
                [0, 1, 2].map(|c| ((255 - u32::from(p[c])) * k / 255) as u8)
            })
            .collect(),
        (colour, _) => return Err(corrupt(format!("TIFF: kiểu màu {colour:?} chưa hỗ trợ"))),
    };
    Ok(Rgb { width, height, data: rgb })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A TIFF with one page per (width, height, grey level), uncompressed.
    pub(crate) fn multipage_tiff(pages: &[(u32, u32, u8)]) -> Vec<u8> {
        let mut out = std::io::Cursor::new(Vec::new());
        let mut tiff = tiff::encoder::TiffEncoder::new(&mut out).unwrap();
        for &(w, h, level) in pages {
            let data = vec![level; (w * h) as usize];
            tiff.write_image::<tiff::encoder::colortype::Gray8>(w, h, &data).unwrap();
        }
        out.into_inner()
    }

    #[test]
    fn every_page_of_a_multipage_tiff() {
        let file = multipage_tiff(&[(40, 60, 10), (30, 20, 200), (50, 70, 128)]);
        let pages = decode_pages(&file).unwrap();
        let sizes: Vec<(u32, u32, u8)> =
            pages.iter().map(|p| p.as_ref().map(|r| (r.width, r.height, r.data[0])).unwrap()).collect();
        assert_eq!(sizes, [(40, 60, 10), (30, 20, 200), (50, 70, 128)]);
        let one = multipage_tiff(&[(40, 60, 10)]);
        assert_eq!(decode_pages(&one).unwrap().len(), 1);
    }

    #[test]
    fn a_broken_page_leaves_the_others() {
        let file = multipage_tiff(&[(40, 60, 10), (30, 20, 200)]);
        // The encoder writes each page's pixels then its directory: chopping
        // the tail breaks the second page only.
        let pages = decode_pages(&file[..file.len() - 40]).unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[0].as_ref().map(|p| p.width), Ok(40));
        assert!(matches!(pages[1], Err(ImageError::Corrupt(_))));
    }
}

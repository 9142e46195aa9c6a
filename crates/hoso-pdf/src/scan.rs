//! Digitized pages (bản số hóa) as the scan pipeline encoded them: JPEG,
//! 1-bit CCITT G4, or mixed raster content. Every page is drawn at its
//! physical size (pixels / dpi), so the copy prints at 100 %.

use crate::{finish, Refs};
use hoso_image::{EncodedPage, JpegLayer, ProcessedPage};
use pdf_writer::{Content, Filter, Finish, Name, Pdf, Rect, Ref};
use sha2::{Digest, Sha256};

/// One page image borrowed from its producer.
pub(crate) enum Sheet<'a> {
    Jpeg { jpeg: &'a [u8], gray: bool },
    G4 { g4: &'a [u8] },
    Mrc { mask_g4: &'a [u8], background: &'a JpegLayer, foreground: &'a JpegLayer },
}

pub(crate) struct SizedSheet<'a> {
    pub width_px: u32,
    pub height_px: u32,
    pub dpi: f32,
    pub sheet: Sheet<'a>,
}

impl<'a> From<&'a ProcessedPage> for SizedSheet<'a> {
    fn from(p: &'a ProcessedPage) -> SizedSheet<'a> {
        let sheet = match &p.encoded {
            EncodedPage::Jpeg { jpeg } => Sheet::Jpeg { jpeg, gray: false },
            EncodedPage::G4 { g4 } => Sheet::G4 { g4 },
            EncodedPage::Mrc { mask_g4, background, foreground } => Sheet::Mrc { mask_g4, background, foreground },
        };
        SizedSheet { width_px: p.width_px, height_px: p.height_px, dpi: p.dpi, sheet }
    }
}

/// A PDF with one page per processed page, in order. G4 pages are 1-bit
/// `/CCITTFaxDecode` images; MRC pages draw the paper background, then the
/// ink colour through the G4 mask (`/Mask`, a stencil at full resolution),
/// so black text is crisp and a red seal stays red.
pub fn pages_pdf(pages: &[ProcessedPage], title: &str) -> Vec<u8> {
    write_sheets(pages.iter().map(SizedSheet::from), title)
}

pub(crate) fn write_sheets<'a>(sheets: impl Iterator<Item = SizedSheet<'a>>, title: &str) -> Vec<u8> {
    let mut pdf = Pdf::new();
    let mut refs = Refs::new();
    let mut digest = Sha256::new();
    let mut page_refs = Vec::new();

    for page in sheets {
        let (page_id, content_id) = (refs.next(), refs.next());
        // A missing or absurd dpi would give a zero or gigantic page.
        let dpi = if page.dpi.is_finite() && page.dpi > 1.0 { page.dpi } else { 72.0 };
        // In f64 so that round sizes print as such (595.44, not 595.44006).
        let points = |px: u32| (f64::from(px.max(1)) * 72.0 / f64::from(dpi)) as f32;
        let (w, h) = (points(page.width_px), points(page.height_px));
        digest.update(w.to_be_bytes());
        digest.update(h.to_be_bytes());

        // Images to draw, bottom first, each over the whole page.
        let mut images = Vec::new();
        match page.sheet {
            Sheet::Jpeg { jpeg, gray } => {
                let id = refs.next();
                jpeg_image(&mut pdf, id, jpeg, (page.width_px, page.height_px), gray, None);
                digest.update(jpeg);
                images.push(id);
            }
            Sheet::G4 { g4 } => {
                let id = refs.next();
                g4_image(&mut pdf, id, g4, page.width_px, page.height_px, false);
                digest.update(g4);
                images.push(id);
            }
            Sheet::Mrc { mask_g4, background, foreground } => {
                let (bg, mask, fg) = (refs.next(), refs.next(), refs.next());
                jpeg_image(&mut pdf, bg, &background.jpeg, (background.width_px, background.height_px), false, None);
                g4_image(&mut pdf, mask, mask_g4, page.width_px, page.height_px, true);
                jpeg_image(&mut pdf, fg, &foreground.jpeg, (foreground.width_px, foreground.height_px), false, Some(mask));
                for part in [&background.jpeg, mask_g4, &foreground.jpeg] {
                    digest.update(part);
                }
                images.extend([bg, fg]);
            }
        }

        let mut content = Content::new();
        let names: Vec<Vec<u8>> = (0..images.len()).map(|i| format!("Im{i}").into_bytes()).collect();
        for name in &names {
            content.save_state().transform([w, 0.0, 0.0, h, 0.0, 0.0]).x_object(Name(name)).restore_state();
        }
        pdf.stream(content_id, &content.finish());

        let mut p = pdf.page(page_id);
        p.media_box(Rect::new(0.0, 0.0, w, h)).parent(Refs::PAGE_TREE).contents(content_id);
        let mut resources = p.resources();
        let mut x_objects = resources.x_objects();
        for (name, id) in names.iter().zip(&images) {
            x_objects.pair(Name(name), *id);
        }
        x_objects.finish();
        resources.finish();
        p.finish();
        page_refs.push(page_id);
    }

    if page_refs.is_empty() {
        let page_id = refs.next();
        pdf.page(page_id).media_box(Rect::new(0.0, 0.0, 595.28, 841.89)).parent(Refs::PAGE_TREE);
        page_refs.push(page_id);
    }
    finish(pdf, &page_refs, title, digest)
}

/// A DCT image; dimensions and components come from the JPEG's own frame
/// header when it has one (the dictionary must agree with the data).
fn jpeg_image(pdf: &mut Pdf, id: Ref, jpeg: &[u8], size: (u32, u32), gray: bool, mask: Option<Ref>) {
    let (width, height, components) = crate::jpeg::jpeg_header(jpeg).unwrap_or((size.0, size.1, if gray { 1 } else { 3 }));
    let mut image = pdf.image_xobject(id, jpeg);
    image.filter(Filter::DctDecode);
    image.width(width as i32).height(height as i32).bits_per_component(8);
    match components {
        1 => image.color_space().device_gray(),
        4 => image.color_space().device_cmyk(),
        _ => image.color_space().device_rgb(),
    }
    if let Some(mask) = mask {
        image.stencil_mask(mask);
    }
}

/// A 1-bit G4 image in hoso-image's conventions (`/BlackIs1 false`: ink is
/// sample 0). As a stencil (`/ImageMask true`), sample 0 means "paint", so
/// ink is where the masked image shows; as a plain image, ink is black.
fn g4_image(pdf: &mut Pdf, id: Ref, g4: &[u8], width: u32, height: u32, stencil: bool) {
    let mut image = pdf.image_xobject(id, g4);
    image.filter(Filter::CcittFaxDecode);
    image.decode_parms().k(-1).columns(width as i32).rows(height as i32).black_is_1(false);
    image.width(width as i32).height(height as i32).bits_per_component(1);
    if stencil {
        image.image_mask(true);
    } else {
        image.color_space().device_gray();
    }
}

#[cfg(test)]
mod poppler_tests;

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_image::{Profile, ScanOptions};

    #[test]
    fn writes_each_kind_at_physical_size() {
        let (rgb, _) = hoso_image::testpage::render(&hoso_image::testpage::Scene {
            width: 400,
            height: 566,
            seal: true,
            ..Default::default()
        });
        let pages: Vec<ProcessedPage> = [Profile::Text, Profile::Color, Profile::Mixed]
            .iter()
            .map(|&profile| hoso_image::process(&rgb, 200.0, &ScanOptions { profile, ..ScanOptions::default() }).unwrap())
            .collect();
        let pdf = pages_pdf(&pages, "Giấy chứng sinh");
        assert_eq!(pdf, pages_pdf(&pages, "Giấy chứng sinh"));
        assert_eq!(crate::page_count(&pdf), 3);
        let text = String::from_utf8_lossy(&pdf);
        assert_eq!(text.matches("/MediaBox [0 0 144 203.76]").count(), 3, "{text}");
        assert!(text.contains("/CCITTFaxDecode") && text.contains("/K -1") && text.contains("/ImageMask true"));
        assert!(text.contains("/Mask "));
    }
}

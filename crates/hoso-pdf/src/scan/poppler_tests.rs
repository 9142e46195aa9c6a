//! Independent checks of scanned-page PDFs with poppler and qpdf: our G4
//! encoder against poppler's decoder, and what a reader actually paints
//! for MRC pages. A missing tool fails the test.

use super::pages_pdf;
use hoso_image::testpage::{render, seal_circle, Scene};
use hoso_image::{Bitmap, EncodedPage, ProcessedPage, Profile, ScanOptions};
use std::path::{Path, PathBuf};
use std::process::Command;

/// A scratch directory removed again unless the test failed.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("hoso-scan-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn write(&self, name: &str, bytes: &[u8]) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn run(tool: &str, args: &[&str]) -> String {
    let out =
        Command::new(tool).args(args).output().unwrap_or_else(|e| panic!("{tool} must be installed (poppler-utils, qpdf): {e}"));
    assert!(out.status.success(), "{tool} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn qpdf_check(pdf: &Path) {
    let out = run("qpdf", &["--check", pdf.to_str().unwrap()]);
    assert!(out.contains("No syntax or stream encoding errors"), "{out}");
}

/// Parses binary PBM (P4) or PPM (P6): (width, height, pixel bytes).
fn read_pnm(path: &Path) -> (u32, u32, Vec<u8>) {
    let bytes = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    let wanted = if bytes.starts_with(b"P4") { 3 } else { 4 };
    while fields.len() < wanted {
        while bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        if bytes[i] == b'#' {
            while bytes[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let start = i;
        while !bytes[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&bytes[start..i]).into_owned());
    }
    (fields[1].parse().unwrap(), fields[2].parse().unwrap(), bytes[i + 1..].to_vec())
}

/// Pixels where PBM rows (1 = black, padded to bytes) and a bitmap differ;
/// padding bits are the writer's business.
fn differing(pbm: &[u8], bitmap: &Bitmap) -> usize {
    let stride = bitmap.width.div_ceil(8) as usize;
    (0..bitmap.height)
        .flat_map(|y| (0..bitmap.width).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let bit = pbm[y as usize * stride + x as usize / 8] >> (7 - x % 8) & 1;
            (bit != 0) != bitmap.get(x, y)
        })
        .count()
}

fn g4_page(bitmap: &Bitmap, dpi: f32) -> ProcessedPage {
    ProcessedPage {
        width_px: bitmap.width,
        height_px: bitmap.height,
        dpi,
        profile: Profile::Text,
        skew_degrees: 0.0,
        encoded: EncodedPage::G4 { g4: hoso_image::g4::encode(bitmap) },
    }
}

/// Synthetic bilevel pages: random runs (every mode, odd widths), long
/// runs past the 2560 make-up code, checkerboards, text.
fn bilevel_cases() -> Vec<Bitmap> {
    let mut seed = 7u32;
    let mut rand = move || {
        seed = seed.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
        seed >> 8
    };
    let mut cases = Vec::new();
    let (w, h) = (517, 211);
    let mut data = Vec::new();
    while data.len() < (w * h) as usize {
        let (colour, len) = (rand() % 2, 1 + rand() % if rand() % 4 == 0 { 700 } else { 9 });
        data.extend(std::iter::repeat_n(colour as u8, len as usize));
    }
    data.truncate((w * h) as usize);
    cases.push(Bitmap { width: w, height: h, data });
    let (w, h) = (6000u32, 9u32);
    cases.push(Bitmap {
        width: w,
        height: h,
        data: (0..w * h).map(|i| u8::from((i % w) % 2900 < 2700 && (i / w) % 3 != 1)).collect(),
    });
    cases.push(Bitmap { width: 64, height: 64, data: (0..64 * 64).map(|i| ((i % 64) ^ (i / 64)) as u8 & 1).collect() });
    let (rgb, _) = render(&Scene { width: 640, height: 300, ..Scene::default() });
    cases.push(hoso_image::binarize::binarize(&rgb.luma(), 200.0));
    cases
}

#[test]
fn g4_decodes_in_poppler_to_the_same_bits() {
    let scratch = Scratch::new("g4");
    for (n, bitmap) in bilevel_cases().iter().enumerate() {
        let pdf = scratch.write(&format!("g4-{n}.pdf"), &pages_pdf(&[g4_page(bitmap, 200.0)], "G4"));
        qpdf_check(&pdf);
        let list = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
        assert!(list.contains("ccitt"), "{list}");
        // The image as poppler's CCITT decoder reads it (PBM: 1 = black).
        let prefix = scratch.0.join(format!("img-{n}"));
        run("pdfimages", &[pdf.to_str().unwrap(), prefix.to_str().unwrap()]);
        let (w, h, data) = read_pnm(&scratch.0.join(format!("img-{n}-000.pbm")));
        assert_eq!((w, h), (bitmap.width, bitmap.height));
        assert_eq!(differing(&data, bitmap), 0, "case {n}: pdfimages differs");
        // And as painted on the page, at the page's own resolution.
        let out = scratch.0.join(format!("page-{n}"));
        // As painted on the page at its own resolution. Splash places images
        // with sub-pixel drift (a column or row may shift by one), so here
        // each differing pixel must have its colour within one pixel in the
        // other image; a decoding error would break whole runs. (Not for
        // the random-noise case: one-pixel runs next to each other.)
        if n == 0 {
            continue;
        }
        run("pdftoppm", &["-gray", "-r", "200", "-singlefile", pdf.to_str().unwrap(), out.to_str().unwrap()]);
        let (w, h, data) = read_pnm(&out.with_extension("pgm"));
        assert!(w == bitmap.width && (bitmap.height..=bitmap.height + 1).contains(&h), "{w} × {h}");
        let rendered = Bitmap {
            width: w,
            height: bitmap.height,
            data: data[..(w * bitmap.height) as usize].iter().map(|&v| u8::from(v < 128)).collect(),
        };
        let near = |b: &Bitmap, x: u32, y: u32, ink: bool| {
            (y.saturating_sub(1)..(y + 2).min(b.height))
                .any(|yy| (x.saturating_sub(1)..(x + 2).min(b.width)).any(|xx| b.get(xx, yy) == ink))
        };
        let (mut shifted, mut wrong) = (0, 0);
        for y in 0..bitmap.height {
            for x in 0..bitmap.width {
                let (want, got) = (bitmap.get(x, y), rendered.get(x, y));
                if want != got {
                    shifted += 1;
                    wrong += usize::from(!near(&rendered, x, y, want) || !near(bitmap, x, y, got));
                }
            }
        }
        println!("case {n}: {shifted} pixels shifted by the rasterizer, {wrong} wrong");
        assert_eq!(wrong, 0, "case {n}: pdftoppm paints {wrong} pixels no shift explains");
    }
}

#[test]
fn mixed_page_keeps_the_seal_red_and_text_black() {
    let scene =
        Scene { width: 826, height: 1169, seal: true, signature: true, gradient: true, noise: 5, blur: true, ..Scene::default() };
    let (rgb, truth) = render(&scene);
    let page = hoso_image::process(&rgb, 200.0, &ScanOptions { profile: Profile::Mixed, ..ScanOptions::default() }).unwrap();
    let scratch = Scratch::new("mrc");
    let pdf = scratch.write("mixed.pdf", &pages_pdf(&[page], "Mixed"));
    qpdf_check(&pdf);
    let list = run("pdfimages", &["-list", pdf.to_str().unwrap()]);
    println!("{list}");
    assert!(list.contains(" mask ") && list.contains("ccitt") && list.contains("jpeg"), "{list}");
    let out = scratch.0.join("page");
    run("pdftoppm", &["-r", "200", "-singlefile", pdf.to_str().unwrap(), out.to_str().unwrap()]);
    let (w, h, data) = read_pnm(&out.with_extension("ppm"));
    assert!(w == scene.width && (scene.height..=scene.height + 1).contains(&h), "{w} × {h}");
    let px = |x: u32, y: u32| -> [u8; 3] { data[((y * w + x) * 3) as usize..][..3].try_into().unwrap() };
    let (cx, cy, r) = seal_circle(&scene);
    let (mut ring, mut red) = (0, 0);
    for y in 0..h {
        for x in 0..w {
            let d = ((x as f32 - cx).powi(2) + (y as f32 - cy).powi(2)).sqrt();
            if d > r - 8.0 && d < r - 2.0 {
                ring += 1;
                let [r, g, b] = px(x, y);
                // Red by hue: the gradient darkens it, a black seal would fail.
                red += usize::from(r > g + 50 && r > b + 50);
            }
        }
    }
    println!("seal ring: {red} of {ring} pixels red");
    assert!(red * 10 > ring * 7, "seal lost its colour: {red} of {ring} red");
    // Text away from the seal is dark and neutral in the middle of strokes.
    let (mut dark, mut text) = (0, 0);
    for y in 1..h / 2 {
        for x in 1..w - 1 {
            let solid = (0..3).all(|dy| (0..3).all(|dx| truth.get(x + dx - 1, y + dy - 1)));
            if solid {
                text += 1;
                let [r, g, b] = px(x, y);
                dark += usize::from(r.max(g).max(b) < 90 && r.max(g).max(b) - r.min(g).min(b) < 40);
            }
        }
    }
    println!("text: {dark} of {text} solid-ink pixels dark and neutral");
    assert!(dark * 10 > text * 9, "{dark} of {text}");
}

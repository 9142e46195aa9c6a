//! `hoso scan` (số hóa): photos or scans of one paper into one PDF, each
//! image through the scan pipeline of hoso-image with the chosen profile,
//! with per-page sizes and times for the operator or a script (`--json`).

use crate::{read, write, Failure};
use hoso_image::{Profile, ScanOptions};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// One input's outcome, as printed by `--json`.
#[derive(Serialize)]
pub struct PageReport {
    pub input: String,
    /// Image bytes this page adds to the PDF.
    pub bytes: usize,
    pub ms: u64,
    pub profile: &'static str,
    pub width_px: u32,
    pub height_px: u32,
}

#[derive(Serialize)]
pub struct ScanReport {
    pub pages: Vec<PageReport>,
    /// Size of the PDF written.
    pub total_bytes: usize,
    pub total_ms: u64,
}

/// Options from the command line; clap restricts the values.
pub fn options(profile: &str, dpi: &str) -> ScanOptions {
    ScanOptions {
        profile: Profile::parse(profile).unwrap_or(Profile::Auto),
        target_dpi: dpi.parse().unwrap_or(hoso_image::PAGE_DPI),
        ..ScanOptions::default()
    }
}

/// Processes every input in order into one PDF titled `title`.
pub fn scan_files(inputs: &[PathBuf], title: &str, options: &ScanOptions) -> Result<(ScanReport, Vec<u8>), Failure> {
    let start = Instant::now();
    let mut pages = Vec::with_capacity(inputs.len());
    let mut reports = Vec::with_capacity(inputs.len());
    for input in inputs {
        let bytes = read(input)?;
        let page_start = Instant::now();
        let failed = |e: hoso_image::ImageError| Failure { message: format!("{}: {}", input.display(), e.msg().vi()), code: 1 };
        let rgb = hoso_image::decode_file(&bytes).map_err(failed)?;
        // Without page detection the image is taken to frame one A4 sheet.
        let dpi = hoso_image::assumed_dpi(rgb.width, rgb.height);
        let page = hoso_image::process(&rgb, dpi, options).map_err(failed)?;
        reports.push(PageReport {
            input: input.display().to_string(),
            bytes: page.bytes(),
            ms: page_start.elapsed().as_millis() as u64,
            profile: page.profile.name(),
            width_px: page.width_px,
            height_px: page.height_px,
        });
        pages.push(page);
    }
    let pdf = hoso_pdf::pages_pdf(&pages, title);
    let report = ScanReport { pages: reports, total_bytes: pdf.len(), total_ms: start.elapsed().as_millis() as u64 };
    Ok((report, pdf))
}

/// `hoso scan`: writes the PDF, then prints the report (JSON or a line per page).
pub fn run(inputs: &[PathBuf], output: &Path, title: &str, options: &ScanOptions, json: bool) -> Result<(), Failure> {
    let (report, pdf) = scan_files(inputs, title, options)?;
    write(output, &pdf)?;
    if json {
        println!("{}", serde_json::to_string_pretty(&report).expect("plain data"));
    } else {
        for p in &report.pages {
            println!("{}\t{}\t{} × {}\t{} KB\t{} ms", p.input, p.profile, p.width_px, p.height_px, p.bytes.div_ceil(1024), p.ms);
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use hoso_image::testpage::{render, Scene};

    #[test]
    fn each_input_gets_its_profile_and_a_report() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for (name, seal) in [("plain.jpg", false), ("sealed.jpg", true)] {
            // 827 × 1169 px frames A4 at 100 dpi: small enough for a debug build.
            let (rgb, _) = render(&Scene { width: 827, height: 1169, dpi: 100.0, seal, signature: seal, ..Scene::default() });
            let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            let jpeg = hoso_image::encode_page(&rgba, rgb.width, rgb.height, 100.0).unwrap().jpeg;
            let path = dir.path().join(name);
            std::fs::write(&path, jpeg).unwrap();
            inputs.push(path);
        }
        let (report, pdf) = scan_files(&inputs, "Giấy chứng sinh", &options("auto", "200")).ok().unwrap();
        assert_eq!(hoso_pdf::page_count(&pdf), 2);
        let profiles: Vec<&str> = report.pages.iter().map(|p| p.profile).collect();
        assert_eq!(profiles, ["text", "mixed"]);
        assert_eq!((report.pages[0].width_px, report.pages[0].height_px), (827, 1169));
        assert_eq!(report.total_bytes, pdf.len());
        let json = serde_json::to_value(&report).unwrap();
        for key in ["input", "bytes", "ms", "profile", "width_px", "height_px"] {
            assert!(json["pages"][0].get(key).is_some(), "{key}");
        }
        let text = scan_files(&inputs[1..], "x", &options("text", "200")).ok().unwrap().0;
        assert_eq!(text.pages[0].profile, "text");
    }

    #[test]
    fn unreadable_input_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ảnh.jpg");
        std::fs::write(&path, b"not an image").unwrap();
        let err = scan_files(&[path], "x", &ScanOptions::default()).err().unwrap();
        assert_eq!(err.code, 1);
        assert!(err.message.contains("ảnh.jpg"), "{}", err.message);
    }
}

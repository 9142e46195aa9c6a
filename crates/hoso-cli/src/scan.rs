//! `hoso scan` (số hóa): photos or scans of one paper into one PDF, each
//! image through the scan pipeline of hoso-image with the chosen profile,
//! with per-page sizes and times for the operator or a script (`--json`).

use crate::{read, write, Failure};
use hoso_image::{ImageError, PageSetup, Paper, ProcessedPage, Profile, ScanOptions};
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

/// What `hoso scan` and `hoso scan-batch` do to every page.
#[derive(Clone, Copy, Debug, Default)]
pub struct Settings {
    pub options: ScanOptions,
    pub setup: PageSetup,
}

/// Settings from the command line; clap restricts the values.
pub fn settings(profile: &str, dpi: &str, paper: &str, no_crop: bool) -> Settings {
    let target_dpi = dpi.parse().unwrap_or(hoso_image::PAGE_DPI);
    Settings {
        options: ScanOptions { profile: Profile::parse(profile).unwrap_or(Profile::Auto), target_dpi, ..ScanOptions::default() },
        setup: PageSetup { paper: Paper::parse(paper), crop: !no_crop, target_dpi },
    }
}

/// One page through the pipeline: find and flatten the sheet, then encode.
pub fn process_page(rgb: hoso_image::Rgb, settings: &Settings) -> Result<ProcessedPage, ImageError> {
    let request = hoso_image::ScanRequest { options: settings.options, setup: settings.setup, ..Default::default() };
    hoso_image::scan(rgb, &request, |_| ()).map(|s| s.page)
}

/// Processes every input in order into one PDF titled `title`. A file may
/// hold several pages (multi-page TIFF, scanner PDF); each becomes a page,
/// reported as `file#n`. A page that cannot be read stops the command with
/// its name: the PDF must have as many pages as the paper.
pub fn scan_files(inputs: &[PathBuf], title: &str, settings: &Settings) -> Result<(ScanReport, Vec<u8>), Failure> {
    let start = Instant::now();
    let mut pages = Vec::with_capacity(inputs.len());
    let mut reports = Vec::with_capacity(inputs.len());
    for input in inputs {
        let bytes = read(input)?;
        let failed = |label: &str, e: ImageError| Failure { message: format!("{label}: {}", e.msg().vi()), code: 1 };
        let name = input.display().to_string();
        let mut page_start = Instant::now();
        let mut index = 0;
        let mut first_error = None;
        let count = hoso_image::each_page(&bytes, |decoded| {
            index += 1;
            let label = if index == 1 { name.clone() } else { format!("{name}#{index}") };
            if first_error.is_some() {
                return;
            }
            match decoded.and_then(|rgb| process_page(rgb, settings)) {
                Ok(page) => {
                    reports.push(PageReport {
                        input: label,
                        bytes: page.bytes(),
                        ms: page_start.elapsed().as_millis() as u64,
                        profile: page.profile.name(),
                        width_px: page.width_px,
                        height_px: page.height_px,
                    });
                    pages.push(page);
                }
                Err(e) => first_error = Some(failed(&label, e)),
            }
            page_start = Instant::now();
        })
        .map_err(|e| failed(&name, e))?;
        if let Some(e) = first_error {
            return Err(e);
        }
        // Pages of a multi-page file are all named file#n, the first too.
        if count > 1 {
            let first = reports.len() - count;
            reports[first].input = format!("{name}#1");
        }
    }
    let pdf = hoso_pdf::pages_pdf(&pages, title);
    let report = ScanReport { pages: reports, total_bytes: pdf.len(), total_ms: start.elapsed().as_millis() as u64 };
    Ok((report, pdf))
}

/// `hoso scan`: writes the PDF, then prints the report (JSON or a line per page).
pub fn run(inputs: &[PathBuf], output: &Path, title: &str, settings: &Settings, json: bool) -> Result<(), Failure> {
    let (report, pdf) = scan_files(inputs, title, settings)?;
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
        let (report, pdf) = scan_files(&inputs, "Giấy chứng sinh", &settings("auto", "200", "auto", false)).ok().unwrap();
        assert_eq!(hoso_pdf::page_count(&pdf), 2);
        let profiles: Vec<&str> = report.pages.iter().map(|p| p.profile).collect();
        assert_eq!(profiles, ["text", "mixed"]);
        assert_eq!((report.pages[0].width_px, report.pages[0].height_px), (827, 1169));
        assert_eq!(report.total_bytes, pdf.len());
        let json = serde_json::to_value(&report).unwrap();
        for key in ["input", "bytes", "ms", "profile", "width_px", "height_px"] {
            assert!(json["pages"][0].get(key).is_some(), "{key}");
        }
        let text = scan_files(&inputs[1..], "x", &settings("text", "200", "auto", false)).ok().unwrap().0;
        assert_eq!(text.pages[0].profile, "text");
    }

    /// Bytes allocated and not yet freed by this thread, and their peak:
    /// the test harness runs other tests on other threads meanwhile.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::cell::Cell;

        pub struct Counting;

        thread_local! {
            static LIVE: Cell<isize> = const { Cell::new(0) };
            static PEAK: Cell<isize> = const { Cell::new(0) };
        }

        fn add(bytes: isize) {
            let _ = LIVE.try_with(|live| {
                live.set(live.get() + bytes);
                let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
            });
        }

        unsafe impl GlobalAlloc for Counting {
            unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
                let p = System.alloc(layout);
                if !p.is_null() {
                    add(layout.size() as isize);
                }
                p
            }
            unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
                let p = System.alloc_zeroed(layout);
                if !p.is_null() {
                    add(layout.size() as isize);
                }
                p
            }
            unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
                System.dealloc(ptr, layout);
                add(-(layout.size() as isize));
            }
            unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
                let p = System.realloc(ptr, layout, new_size);
                if !p.is_null() {
                    add(new_size as isize - layout.size() as isize);
                }
                p
            }
        }

        /// `f`'s result and the most bytes it had allocated at once.
        pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
            let base = LIVE.with(Cell::get);
            PEAK.with(|p| p.set(base));
            let out = f();
            (out, (PEAK.with(Cell::get) - base).max(0) as usize)
        }
    }

    #[global_allocator]
    static ALLOCATOR: counting::Counting = counting::Counting;

    #[test]
    fn memory_holds_one_decoded_page_however_many_pages() {
        // A 1240 × 1754 page (A4 at 150 dpi): 6.5 MB decoded, tens of KB encoded.
        let (rgb, _) = render(&Scene { width: 1240, height: 1754, dpi: 150.0, seal: true, ..Scene::default() });
        let decoded = rgb.data.len();
        let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
        let jpeg = hoso_image::encode_page(&rgba, rgb.width, rgb.height, 150.0).unwrap().jpeg;
        let dir = tempfile::tempdir().unwrap();
        let photo = dir.path().join("trang.jpg");
        std::fs::write(&photo, &jpeg).unwrap();
        // The same pages as one scanner-made PDF: one file, every page decoded from it.
        let page = hoso_pdf::JpegPage { jpeg, width_px: rgb.width, height_px: rgb.height, dpi: 150.0, gray: false };
        let scanner_pdf = dir.path().join("may-quet.pdf");
        std::fs::write(&scanner_pdf, hoso_pdf::jpeg_pages(&vec![page; 6], "x")).unwrap();
        drop((rgb, rgba));
        let settings = settings("auto", "200", "auto", false);
        let scan = |inputs: &[PathBuf]| counting::peak_during(|| scan_files(inputs, "x", &settings).ok().unwrap().0.pages.len());

        let (pages, one) = scan(&[photo.clone()]);
        assert_eq!(pages, 1);
        // The pipeline itself needs a few page-sized buffers at its peak.
        assert!(one > decoded && one < 8 * decoded, "one page peaked at {one} B, {decoded} B decoded");
        let (pages, six) = scan(&vec![photo; 6]);
        assert_eq!(pages, 6);
        let (pages, pdf) = scan(&[scanner_pdf]);
        assert_eq!(pages, 6);
        // Six pages peak like one: decoded pixels are dropped page by page,
        // only encoded pages (and the PDF file read) add up.
        for (what, peak) in [("six photos", six), ("a six-page PDF", pdf)] {
            assert!(peak < one + decoded / 3, "{what} peaked at {peak} B, one page at {one} B");
        }
    }

    #[test]
    fn unreadable_input_names_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ảnh.jpg");
        std::fs::write(&path, b"not an image").unwrap();
        let err = scan_files(&[path], "x", &Settings::default()).err().unwrap();
        assert_eq!(err.code, 1);
        assert!(err.message.contains("ảnh.jpg"), "{}", err.message);
    }
}

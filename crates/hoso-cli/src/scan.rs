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
    /// Decode the next page on a second thread while this one is made
    /// (one page ahead, never more): the JPEG decode is ≈ a third of a
    /// photo's time, and a clerk's PC has a second core. Off where the
    /// cores are already busy (`scan-batch` with a job per core).
    pub decode_ahead: bool,
}

/// Settings from the command line; clap restricts the values.
pub fn settings(profile: &str, dpi: &str, paper: &str, no_crop: bool) -> Settings {
    let target_dpi = dpi.parse().unwrap_or(hoso_image::PAGE_DPI);
    Settings {
        options: ScanOptions { profile: Profile::parse(profile).unwrap_or(Profile::Auto), target_dpi, ..ScanOptions::default() },
        setup: PageSetup { paper: Paper::parse(paper), crop: !no_crop, target_dpi },
        decode_ahead: true,
    }
}

/// One page through the pipeline: find and flatten the sheet, then encode.
pub fn process_page(rgb: hoso_image::Rgb, settings: &Settings) -> Result<ProcessedPage, ImageError> {
    let request = hoso_image::ScanRequest { options: settings.options, setup: settings.setup, ..Default::default() };
    hoso_image::scan(rgb, &request, |_| ()).map(|s| s.page)
}

/// What the reading side hands to the making side, in input order.
enum Decoded {
    /// Page `index` (1, 2, …) of input `input`.
    Page { input: usize, index: usize, rgb: Result<hoso_image::Rgb, ImageError> },
    /// Input `input` is done and had `count` pages.
    End { input: usize, count: usize },
    /// An input could not be read at all.
    Failed(Failure),
}

/// Reads and decodes every input, one page at a time, into `sink`;
/// stops when `sink` says so (false).
fn decode_inputs(inputs: &[PathBuf], mut sink: impl FnMut(Decoded) -> bool) {
    for (input, path) in inputs.iter().enumerate() {
        let bytes = match read(path) {
            Ok(bytes) => bytes,
            Err(failure) => {
                sink(Decoded::Failed(failure));
                return;
            }
        };
        let (mut index, mut open) = (0, true);
        let counted = hoso_image::each_page(&bytes, |rgb| {
            index += 1;
            // A page after a refused one is decoded by each_page all the
            // same; it is not handed on.
            open = open && sink(Decoded::Page { input, index, rgb });
        });
        let message = match counted {
            Ok(count) if open => Decoded::End { input, count },
            Ok(_) => return,
            Err(e) => Decoded::Failed(Failure { message: format!("{}: {}", path.display(), e.msg().vi()), code: 1 }),
        };
        if !sink(message) {
            return;
        }
    }
}

/// Processes every input in order into one PDF titled `title`. A file may
/// hold several pages (multi-page TIFF, scanner PDF); each becomes a page,
/// reported as `file#n`. A page that cannot be read stops the command with
/// its name: the PDF must have as many pages as the paper. With
/// [`Settings::decode_ahead`] the next page is decoded on a second thread
/// meanwhile, so a page's `ms` is the time since the previous page was
/// done (its decode partly hidden), the first page's decode included.
pub fn scan_files(inputs: &[PathBuf], title: &str, settings: &Settings) -> Result<(ScanReport, Vec<u8>), Failure> {
    let start = Instant::now();
    let mut pages = Vec::with_capacity(inputs.len());
    let mut reports: Vec<PageReport> = Vec::with_capacity(inputs.len());
    let mut page_start = Instant::now();
    let mut make = |decoded: Decoded| -> Result<(), Failure> {
        match decoded {
            Decoded::Page { input, index, rgb } => {
                let name = inputs[input].display().to_string();
                let label = if index == 1 { name } else { format!("{name}#{index}") };
                let page = rgb
                    .and_then(|rgb| process_page(rgb, settings))
                    .map_err(|e| Failure { message: format!("{label}: {}", e.msg().vi()), code: 1 })?;
                reports.push(PageReport {
                    input: label,
                    bytes: page.bytes(),
                    ms: page_start.elapsed().as_millis() as u64,
                    profile: page.profile.name(),
                    width_px: page.width_px,
                    height_px: page.height_px,
                });
                pages.push(page);
                page_start = Instant::now();
                Ok(())
            }
            // Pages of a multi-page file are all named file#n, the first too.
            Decoded::End { input, count } => {
                if count > 1 {
                    let first = reports.len() - count;
                    reports[first].input = format!("{}#1", inputs[input].display());
                }
                Ok(())
            }
            Decoded::Failed(failure) => Err(failure),
        }
    };
    let mut outcome = Ok(());
    if settings.decode_ahead {
        // A rendezvous channel: the reader decodes one page and waits for
        // it to be taken, so at most one decoded page waits while another is made.
        let (send, receive) = std::sync::mpsc::sync_channel::<Decoded>(0);
        std::thread::scope(|scope| {
            scope.spawn(move || decode_inputs(inputs, |d| send.send(d).is_ok()));
            for decoded in receive.iter() {
                outcome = make(decoded);
                if outcome.is_err() {
                    break;
                }
            }
            // Dropping the receiver tells the reader to stop.
            drop(receive);
        });
    } else {
        decode_inputs(inputs, |decoded| {
            outcome = make(decoded);
            outcome.is_ok()
        });
    }
    outcome?;
    let pdf = hoso_pdf::pages_pdf(&pages, title);
    let report = ScanReport { pages: reports, total_bytes: pdf.len(), total_ms: start.elapsed().as_millis() as u64 };
    Ok((report, pdf))
}

/// `hoso scan`: writes the PDF, then prints the report (JSON or a line per page).
/// Lets freed page buffers (a 12 MP photo is 36 MB decoded) go back to
/// the heap instead of the system. glibc maps every block over 32 MB
/// freshly and unmaps it on free, so each page paid its page faults again
/// (50–70 ms of system time per photo); kept, the next page reuses them.
/// Peak memory is unchanged: the same buffers, only not returned between
/// pages of one run.
pub fn keep_page_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before the
    // scan's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 512 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
    }
}

pub fn run(inputs: &[PathBuf], output: &Path, title: &str, settings: &Settings, json: bool) -> Result<(), Failure> {
    keep_page_buffers();
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

    /// Bytes allocated and not yet freed by the whole process while
    /// counting is on, and their peak: the reader thread allocates the
    /// pages the making thread frees, so one thread's count would not do.
    /// Other tests would add theirs, so the test that counts runs alone in
    /// a child process.
    mod counting {
        use std::alloc::{GlobalAlloc, Layout, System};
        use std::sync::atomic::{AtomicBool, AtomicIsize, Ordering::SeqCst};

        pub struct Counting;

        static ON: AtomicBool = AtomicBool::new(false);
        static LIVE: AtomicIsize = AtomicIsize::new(0);
        static PEAK: AtomicIsize = AtomicIsize::new(0);

        fn add(bytes: isize) {
            if ON.load(SeqCst) {
                let live = LIVE.fetch_add(bytes, SeqCst) + bytes;
                PEAK.fetch_max(live, SeqCst);
            }
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

        /// `f`'s result and the most bytes it had allocated at once (any thread).
        pub fn peak_during<T>(f: impl FnOnce() -> T) -> (T, usize) {
            LIVE.store(0, SeqCst);
            PEAK.store(0, SeqCst);
            ON.store(true, SeqCst);
            let out = f();
            ON.store(false, SeqCst);
            (out, PEAK.load(SeqCst).max(0) as usize)
        }
    }

    #[global_allocator]
    static ALLOCATOR: counting::Counting = counting::Counting;

    #[test]
    fn memory_holds_one_decoded_page_however_many_pages() {
        if std::env::var_os("HOSO_COUNT_MEMORY").is_none() {
            // This very test, alone in a child process (see `counting`).
            let name = format!("{}::memory_holds_one_decoded_page_however_many_pages", module_path!().split_once("::").unwrap().1);
            let out = std::process::Command::new(std::env::current_exe().unwrap())
                .args([name.as_str(), "--exact", "--test-threads=1", "--nocapture"])
                .env("HOSO_COUNT_MEMORY", "1")
                .output()
                .unwrap();
            let stdout = String::from_utf8_lossy(&out.stdout);
            println!("{stdout}{}", String::from_utf8_lossy(&out.stderr));
            assert!(out.status.success() && stdout.contains("1 passed"), "the counting run failed");
            return;
        }
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
        for ahead in [false, true] {
            let settings = Settings { decode_ahead: ahead, ..settings("auto", "200", "auto", false) };
            let scan =
                |inputs: &[PathBuf]| counting::peak_during(|| scan_files(inputs, "x", &settings).ok().unwrap().0.pages.len());
            let (pages, one) = scan(&[photo.clone()]);
            assert_eq!(pages, 1);
            // The pipeline itself needs a few page-sized buffers at its peak.
            assert!(one > decoded && one < 8 * decoded, "one page peaked at {one} B, {decoded} B decoded");
            let (pages, six) = scan(&vec![photo.clone(); 6]);
            assert_eq!(pages, 6);
            let (pages, pdf) = scan(&[scanner_pdf.clone()]);
            assert_eq!(pages, 6);
            println!("decode ahead {ahead}: one page {one} B, six photos {six} B, six-page PDF {pdf} B ({decoded} B decoded)");
            // Six pages peak like one: decoded pixels are dropped page by
            // page, only encoded pages (and the PDF file read) add up; when
            // decoding ahead, plus the one page decoded meanwhile.
            let ahead_allowance = if ahead { decoded + decoded / 4 } else { 0 };
            for (what, peak) in [("six photos", six), ("a six-page PDF", pdf)] {
                assert!(peak < one + ahead_allowance + decoded / 3, "{what} peaked at {peak} B, one page at {one} B");
            }
        }
    }

    /// Decoding ahead on a second thread makes the same pages, in the same
    /// order, as decoding each page when its turn comes; a bad file among
    /// them stops both with its name.
    #[test]
    fn decoding_ahead_makes_the_same_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        for (i, seal) in [false, true, false].into_iter().enumerate() {
            let (rgb, _) = render(&Scene { width: 620, height: 877, dpi: 75.0, seal, signature: seal, ..Scene::default() });
            let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            let path = dir.path().join(format!("trang-{i}.jpg"));
            std::fs::write(&path, hoso_image::encode_page(&rgba, rgb.width, rgb.height, 75.0).unwrap().jpeg).unwrap();
            inputs.push(path);
        }
        let run = |inputs: &[PathBuf], ahead: bool| {
            scan_files(inputs, "x", &Settings { decode_ahead: ahead, ..settings("auto", "200", "auto", false) })
        };
        let (one_by_one, pdf) = run(&inputs, false).ok().unwrap();
        let (ahead, pdf_ahead) = run(&inputs, true).ok().unwrap();
        assert!(pdf == pdf_ahead, "the PDFs differ");
        let summary = |r: &ScanReport| r.pages.iter().map(|p| (p.input.clone(), p.profile, p.bytes)).collect::<Vec<_>>();
        assert_eq!(summary(&ahead), summary(&one_by_one));
        assert_eq!(ahead.pages.iter().map(|p| p.profile).collect::<Vec<_>>(), ["text", "mixed", "text"]);
        let bad = dir.path().join("hỏng.jpg");
        std::fs::write(&bad, b"not an image").unwrap();
        let with_bad = [inputs[0].clone(), bad, inputs[1].clone()];
        for ahead in [false, true] {
            let err = run(&with_bad, ahead).err().unwrap();
            assert!(err.message.contains("hỏng.jpg"), "{}", err.message);
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

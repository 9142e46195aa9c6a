//! `hoso scan` (số hóa): photos or scans of one paper into one PDF, each
//! image through the scan pipeline of hoso-image with the chosen profile,
//! with per-page sizes and times for the operator or a script (`--json`).

use crate::{read, write, Failure};
use hoso_image::{ImageError, PageSetup, Paper, ProcessedPage, Profile, ScanOptions};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Condvar, Mutex};
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
#[derive(Clone, Copy, Debug)]
pub struct Settings {
    pub options: ScanOptions,
    pub setup: PageSetup,
    /// Pages made at once, each by its own thread from the file's decode to
    /// the encoded page (1: one page at a time, on the calling thread). At
    /// most this many pages are in memory, decoded or made but not yet
    /// taken in order, however many pages the paper has.
    pub jobs: usize,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings { options: ScanOptions::default(), setup: PageSetup::default(), jobs: 1 }
    }
}

/// The cores this machine offers (1 when it cannot tell).
pub fn cores() -> usize {
    std::thread::available_parallelism().map_or(1, |n| n.get())
}

/// Settings from the command line; clap restricts the values. Without
/// `jobs`, a page per core.
pub fn settings(profile: &str, dpi: &str, paper: &str, no_crop: bool, jobs: Option<usize>) -> Settings {
    let target_dpi = dpi.parse().unwrap_or(hoso_image::PAGE_DPI);
    Settings {
        options: ScanOptions { profile: Profile::parse(profile).unwrap_or(Profile::Auto), target_dpi, ..ScanOptions::default() },
        setup: PageSetup { paper: Paper::parse(paper), crop: !no_crop, target_dpi },
        jobs: jobs.unwrap_or_else(cores).max(1),
    }
}

/// One page through the pipeline: find and flatten the sheet, then encode.
pub fn process_page(rgb: hoso_image::Rgb, settings: &Settings) -> Result<ProcessedPage, ImageError> {
    let request = hoso_image::ScanRequest { options: settings.options, setup: settings.setup, ..Default::default() };
    hoso_image::scan(rgb, &request, |_| ()).map(|s| s.page)
}

/// Page `index` (from 0) of a file alone, decoded natively: what
/// [`hoso_image::each_page`] hands over for that page, so that any page can
/// be decoded by whichever thread makes it. A TIFF's JPEG page in pieces
/// goes through our JPEG decoder (the worker's `page_image` has none).
fn decode_page(bytes: &[u8], index: usize) -> Result<hoso_image::Rgb, ImageError> {
    let image = if hoso_image::inputs::is_tiff(bytes) {
        hoso_image::tiff::page_image(bytes, index, Some(&hoso_image::decode_file))?
    } else {
        hoso_image::page_image(bytes, index)?
    };
    match image {
        hoso_image::PageImage::Pixels(rgb) => Ok(rgb),
        hoso_image::PageImage::Encoded(jpeg) => hoso_image::decode_file(&jpeg),
    }
}

/// A made page, or why the page (or its whole file) could not be.
type Made = Result<(PageReport, ProcessedPage), Failure>;

/// A page handed to a worker: its place in the paper (`ticket`), the input
/// and the page of it, and the file's bytes (shared by its pages' workers).
struct Claim {
    ticket: usize,
    input: usize,
    index: usize,
    count: usize,
    bytes: Arc<Vec<u8>>,
}

/// The line the workers share: which page comes next, which pages wait to
/// be taken in order, and the pages taken so far.
struct Line<'a> {
    inputs: &'a [PathBuf],
    jobs: usize,
    next_input: usize,
    /// The file being handed out: input, bytes, pages, next page.
    file: Option<(usize, Arc<Vec<u8>>, usize, usize)>,
    next_ticket: usize,
    /// No page at or after this ticket is handed out: one there failed.
    stop_at: usize,
    /// Pages taken in order so far.
    taken: usize,
    /// Made pages (or failures) waiting for the pages before them.
    waiting: BTreeMap<usize, Made>,
    reports: Vec<PageReport>,
    pages: Vec<ProcessedPage>,
    failure: Option<Failure>,
}

impl Line<'_> {
    /// Whether a worker may start a page now: at most `jobs` pages between
    /// the first not yet taken and the next to hand out.
    fn may_start(&self) -> bool {
        self.done() || self.next_ticket < self.taken + self.jobs
    }

    /// No more pages will be handed out.
    fn done(&self) -> bool {
        self.failure.is_some() || self.next_ticket >= self.stop_at
    }

    /// The next page to make, reading the next file when the last one's
    /// pages are handed out; None when there is none left. A file that
    /// cannot be read or counted is a failure in its first page's place.
    fn claim(&mut self) -> Option<Claim> {
        loop {
            if self.done() {
                return None;
            }
            if let Some((input, bytes, count, index)) = &mut self.file {
                if *index < *count {
                    let claim =
                        Claim { ticket: self.next_ticket, input: *input, index: *index, count: *count, bytes: bytes.clone() };
                    *index += 1;
                    self.next_ticket += 1;
                    return Some(claim);
                }
            }
            self.file = None;
            let input = self.next_input;
            let path = self.inputs.get(input)?;
            self.next_input += 1;
            let counted = read(path).and_then(|bytes| match hoso_image::page_count(&bytes) {
                Ok(count) => Ok((bytes, count)),
                Err(e) => Err(Failure { message: format!("{}: {}", path.display(), e.msg().vi()), code: 1 }),
            });
            match counted {
                Ok((bytes, count)) => self.file = Some((input, Arc::new(bytes), count, 0)),
                Err(failure) => {
                    let ticket = self.next_ticket;
                    self.next_ticket += 1;
                    self.put(ticket, Err(failure));
                    return None;
                }
            }
        }
    }

    /// Puts a made page (or failure) in its place and takes every page
    /// now in order; the first failure in order ends the paper.
    fn put(&mut self, ticket: usize, made: Made) {
        if made.is_err() {
            self.stop_at = self.stop_at.min(ticket);
        }
        self.waiting.insert(ticket, made);
        while let Some(made) = self.waiting.remove(&self.taken) {
            match made {
                Ok((report, page)) => {
                    self.reports.push(report);
                    self.pages.push(page);
                    self.taken += 1;
                }
                Err(failure) => {
                    self.failure.get_or_insert(failure);
                    self.waiting.clear();
                    return;
                }
            }
        }
    }
}

/// Makes one claimed page: decode, pipeline, report.
fn make(claim: &Claim, inputs: &[PathBuf], settings: &Settings) -> Made {
    let start = Instant::now();
    let name = inputs[claim.input].display().to_string();
    // Pages of a multi-page file are all named file#n, the first too.
    let label = if claim.count > 1 { format!("{name}#{}", claim.index + 1) } else { name };
    let page = decode_page(&claim.bytes, claim.index)
        .and_then(|rgb| process_page(rgb, settings))
        .map_err(|e| Failure { message: format!("{label}: {}", e.msg().vi()), code: 1 })?;
    let report = PageReport {
        input: label,
        bytes: page.bytes(),
        ms: start.elapsed().as_millis() as u64,
        profile: page.profile.name(),
        width_px: page.width_px,
        height_px: page.height_px,
    };
    Ok((report, page))
}

/// Ends the line if a worker panics while making its page: the others
/// would wait for that page for ever; now they stop and the panic is
/// passed on when the scope joins them.
struct StopOnPanic<'a, 'b>(&'a Mutex<Line<'b>>, &'a Condvar);

impl Drop for StopOnPanic<'_, '_> {
    fn drop(&mut self) {
        if let Ok(mut line) = self.0.lock() {
            line.stop_at = 0;
        }
        self.1.notify_all();
    }
}

/// Processes every input in order into one PDF titled `title`. A file may
/// hold several pages (multi-page TIFF, scanner PDF); each becomes a page,
/// reported as `file#n`. A page that cannot be read stops the command with
/// its name (the first such in input order): the PDF must have as many
/// pages as the paper.
///
/// [`Settings::jobs`] workers each take the next page, decode it and make
/// it; pages go into the PDF in input order whatever order they finish in.
/// A worker starts a page only while fewer than `jobs` pages are ahead of
/// the first one not yet taken, so a 50-page paper never holds more than
/// `jobs` pages (and their files' bytes). A page's `ms` is its own time,
/// from its decode to its encoded page.
pub fn scan_files(inputs: &[PathBuf], title: &str, settings: &Settings) -> Result<(ScanReport, Vec<u8>), Failure> {
    let start = Instant::now();
    let jobs = settings.jobs.max(1);
    let line = Mutex::new(Line {
        inputs,
        jobs,
        next_input: 0,
        file: None,
        next_ticket: 0,
        stop_at: usize::MAX,
        taken: 0,
        waiting: BTreeMap::new(),
        reports: Vec::with_capacity(inputs.len()),
        pages: Vec::with_capacity(inputs.len()),
        failure: None,
    });
    let turn = Condvar::new();
    let work = || loop {
        let claim = {
            let mut line = turn.wait_while(line.lock().expect("no panics while held"), |l| !l.may_start()).expect("no panics");
            let claim = line.claim();
            if claim.is_none() {
                // A failure found while reading may let waiting workers go.
                turn.notify_all();
            }
            claim
        };
        let Some(claim) = claim else { break };
        let stop_on_panic = StopOnPanic(&line, &turn);
        let made = make(&claim, inputs, settings);
        std::mem::forget(stop_on_panic);
        let ticket = claim.ticket;
        // The file's bytes go as soon as its last page is made.
        drop(claim);
        line.lock().expect("no panics while held").put(ticket, made);
        turn.notify_all();
    };
    if jobs == 1 {
        work();
    } else {
        std::thread::scope(|scope| {
            for _ in 1..jobs {
                scope.spawn(work);
            }
            work();
        });
    }
    let line = line.into_inner().expect("workers finished");
    if let Some(failure) = line.failure {
        return Err(failure);
    }
    let pdf = hoso_pdf::pages_pdf(&line.pages, title);
    let report = ScanReport { pages: line.reports, total_bytes: pdf.len(), total_ms: start.elapsed().as_millis() as u64 };
    Ok((report, pdf))
}

/// Lets freed page buffers (a 12 MP photo is 36 MB decoded) go back to
/// the heap instead of the system. glibc maps every block over 32 MB
/// freshly and unmaps it on free, so each page paid its page faults again
/// (50–70 ms of system time per photo); kept, the next page reuses them.
/// With several workers each thread allocates from its own arena, and
/// kept buffers stay in it: the arenas are capped at the cores, since
/// threads started anew for every document of a batch would otherwise get
/// fresh arenas (one still exiting holds its own) and keep ever more
/// (10 documents × 3 pages, `--jobs 1`: 300–335 MB peak against 160–195).
/// The cost is the buffers of one page per arena staying mapped for the run.
pub fn keep_page_buffers() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    // SAFETY: mallopt only sets allocator parameters; called before the
    // scan's threads start.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 512 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 1 << 30);
        libc::mallopt(libc::M_ARENA_MAX, cores().min(64) as i32);
    }
}

/// `hoso scan`: writes the PDF, then prints the report (JSON or a line per page).
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
        let (report, pdf) = scan_files(&inputs, "Giấy chứng sinh", &settings("auto", "200", "auto", false, None)).ok().unwrap();
        assert_eq!(hoso_pdf::page_count(&pdf), 2);
        let profiles: Vec<&str> = report.pages.iter().map(|p| p.profile).collect();
        assert_eq!(profiles, ["text", "mixed"]);
        assert_eq!((report.pages[0].width_px, report.pages[0].height_px), (827, 1169));
        assert_eq!(report.total_bytes, pdf.len());
        let json = serde_json::to_value(&report).unwrap();
        for key in ["input", "bytes", "ms", "profile", "width_px", "height_px"] {
            assert!(json["pages"][0].get(key).is_some(), "{key}");
        }
        let text = scan_files(&inputs[1..], "x", &settings("text", "200", "auto", false, None)).ok().unwrap().0;
        assert_eq!(text.pages[0].profile, "text");
    }

    /// Bytes allocated and not yet freed by the whole process while
    /// counting is on, and their peak: several workers make pages at once
    /// and a page is freed by whichever thread takes it, so one thread's
    /// count would not do.
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
    fn memory_holds_one_decoded_page_per_worker_however_many_pages() {
        if std::env::var_os("HOSO_COUNT_MEMORY").is_none() {
            // This very test, alone in a child process (see `counting`).
            let name = format!(
                "{}::memory_holds_one_decoded_page_per_worker_however_many_pages",
                module_path!().split_once("::").unwrap().1
            );
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
        let scan = |inputs: &[PathBuf], jobs: usize| {
            let settings = Settings { jobs, ..settings("auto", "200", "auto", false, None) };
            counting::peak_during(|| scan_files(inputs, "x", &settings).ok().unwrap().0.pages.len())
        };
        let (pages, one) = scan(&[photo.clone()], 1);
        assert_eq!(pages, 1);
        // The pipeline itself needs a few page-sized buffers at its peak.
        assert!(one > decoded && one < 8 * decoded, "one page peaked at {one} B, {decoded} B decoded");
        for jobs in [1, 2, 3] {
            let (pages, six) = scan(&vec![photo.clone(); 6], jobs);
            assert_eq!(pages, 6);
            let (pages, pdf) = scan(&[scanner_pdf.clone()], jobs);
            assert_eq!(pages, 6);
            println!("{jobs} worker(s): one page {one} B, six photos {six} B, six-page PDF {pdf} B ({decoded} B decoded)");
            // Six pages peak like `jobs` pages made at once: decoded
            // pixels are dropped page by page, only encoded pages (and the
            // PDF file read) add up. Had the workers decoded ahead of the
            // pages taken, the three or more pages beyond `jobs` (19.5 MB
            // and more) would break this bound.
            for (what, peak) in [("six photos", six), ("a six-page PDF", pdf)] {
                assert!(peak < jobs * one + decoded / 3, "{what} with {jobs} worker(s) peaked at {peak} B, one page at {one} B");
            }
        }
    }

    /// One page at a time or several at once, the same pages in the same
    /// order (a scanner PDF's pages in their place among the photos); a
    /// bad file among them stops the paper with its name, the first bad
    /// one in input order even when a later one fails sooner.
    #[test]
    fn one_worker_or_several_make_the_same_pdf() {
        let dir = tempfile::tempdir().unwrap();
        let mut inputs = Vec::new();
        let mut scanned = Vec::new();
        for (i, seal) in [false, true, false, true].into_iter().enumerate() {
            // Sizes differ too, so that a page out of place changes the PDF.
            let (rgb, _) =
                render(&Scene { width: 600 + 20 * i as u32, height: 877, dpi: 75.0, seal, signature: seal, ..Scene::default() });
            let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
            let jpeg = hoso_image::encode_page(&rgba, rgb.width, rgb.height, 75.0).unwrap().jpeg;
            let path = dir.path().join(format!("trang-{i}.jpg"));
            std::fs::write(&path, &jpeg).unwrap();
            inputs.push(path);
            scanned.push(hoso_pdf::JpegPage { jpeg, width_px: rgb.width, height_px: rgb.height, dpi: 75.0, gray: false });
        }
        // A two-page scanner PDF (pages 3 and 0 of the photos) between photos 1 and 2.
        let scanner_pdf = dir.path().join("may-quet.pdf");
        std::fs::write(&scanner_pdf, hoso_pdf::jpeg_pages(&[scanned[3].clone(), scanned[0].clone()], "x")).unwrap();
        inputs.insert(2, scanner_pdf);
        let run = |inputs: &[PathBuf], jobs: usize| {
            scan_files(inputs, "x", &Settings { jobs, ..settings("auto", "200", "auto", false, None) })
        };
        let summary =
            |r: &ScanReport| r.pages.iter().map(|p| (p.input.clone(), p.profile, p.bytes, p.width_px)).collect::<Vec<_>>();
        let (one_by_one, pdf) = run(&inputs, 1).ok().unwrap();
        let names: Vec<String> =
            one_by_one.pages.iter().map(|p| Path::new(&p.input).file_name().unwrap().to_string_lossy().into_owned()).collect();
        assert_eq!(names, ["trang-0.jpg", "trang-1.jpg", "may-quet.pdf#1", "may-quet.pdf#2", "trang-2.jpg", "trang-3.jpg"]);
        let profiles: Vec<&str> = one_by_one.pages.iter().map(|p| p.profile).collect();
        assert_eq!(profiles, ["text", "mixed", "mixed", "text", "text", "mixed"]);
        assert_eq!(hoso_pdf::page_count(&pdf), 6);
        for jobs in [2, 3, 8] {
            let (several, pdf_several) = run(&inputs, jobs).ok().unwrap();
            assert!(pdf == pdf_several, "the PDF made by {jobs} workers differs");
            assert_eq!(summary(&several), summary(&one_by_one), "{jobs} workers");
        }
        let bad = dir.path().join("hỏng.jpg");
        std::fs::write(&bad, b"not an image").unwrap();
        // A scanner PDF whose second page is no JPEG: only its decode fails.
        let broken = dir.path().join("vỡ.pdf");
        let garbage = hoso_pdf::JpegPage { jpeg: b"not a jpeg".to_vec(), ..scanned[1].clone() };
        std::fs::write(&broken, hoso_pdf::jpeg_pages(&[scanned[2].clone(), garbage], "x")).unwrap();
        // Unreadable at once (hỏng) or only when its page is decoded (vỡ),
        // behind or ahead of slower pages.
        let cases = [
            (vec![inputs[0].clone(), bad.clone(), inputs[1].clone()], "hỏng.jpg"),
            (vec![inputs[0].clone(), inputs[1].clone(), broken.clone(), inputs[3].clone(), bad.clone()], "vỡ.pdf#2"),
            (vec![inputs[1].clone(), inputs[2].clone(), bad.clone(), broken.clone()], "hỏng.jpg"),
        ];
        for (with_bad, named) in &cases {
            for jobs in [1, 2, 3] {
                let err = run(with_bad, jobs).err().unwrap();
                assert!(err.message.contains(named), "{jobs} workers: {}", err.message);
            }
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

//! `hoso scan-batch` (số hóa hàng loạt): a folder of backlog papers into
//! PDFs. Every image or scanner PDF directly in the folder is one document;
//! every sub-folder of images is one document whose pages are its files in
//! name order (2.jpg before 10.jpg). Documents are spread over all cores;
//! with fewer documents at once than cores, each makes its pages in
//! parallel on the cores left (`Settings::jobs`). Each page being made is
//! the only decoded one of its thread, so memory stays bounded however
//! long the batch. A finished PDF is never redone: output is
//! written to a temporary name and renamed, so after an interruption the
//! same command resumes where it stopped. `index.csv` lists every PDF with
//! its pages, bytes and SHA-256.

use crate::scan::{scan_files, Settings};
use crate::Failure;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Instant;

/// Extensions taken as pages (HEIC too, so that it gets its message).
const PAGE_EXTENSIONS: [&str; 11] = ["jpg", "jpeg", "png", "webp", "tif", "tiff", "bmp", "gif", "pdf", "heic", "heif"];

/// One output PDF and the files it is made of.
#[derive(Debug, PartialEq)]
pub struct Document {
    /// File name of the PDF in the output folder.
    pub name: String,
    pub inputs: Vec<PathBuf>,
}

/// A finished document as listed in `index.csv`.
#[derive(Debug, PartialEq)]
pub struct IndexRow {
    pub file: String,
    pub pages: u32,
    pub bytes: usize,
    pub sha256: String,
}

fn is_page(path: &Path) -> bool {
    path.is_file()
        && path.extension().and_then(|e| e.to_str()).is_some_and(|e| PAGE_EXTENSIONS.contains(&e.to_ascii_lowercase().as_str()))
}

/// Name order with digit runs compared as numbers: "trang 2" < "trang 10".
fn natural_cmp(a: &str, b: &str) -> std::cmp::Ordering {
    let (mut a, mut b) = (a.chars().peekable(), b.chars().peekable());
    loop {
        match (a.peek().copied(), b.peek().copied()) {
            (None, None) => return std::cmp::Ordering::Equal,
            (None, _) => return std::cmp::Ordering::Less,
            (_, None) => return std::cmp::Ordering::Greater,
            (Some(x), Some(y)) if x.is_ascii_digit() && y.is_ascii_digit() => {
                let take = |it: &mut std::iter::Peekable<std::str::Chars>| {
                    let mut s = String::new();
                    while let Some(c) = it.next_if(char::is_ascii_digit) {
                        s.push(c);
                    }
                    s
                };
                let (na, nb) = (take(&mut a), take(&mut b));
                let (ta, tb) = (na.trim_start_matches('0'), nb.trim_start_matches('0'));
                let order = ta.len().cmp(&tb.len()).then_with(|| ta.cmp(tb)).then_with(|| na.len().cmp(&nb.len()));
                if order.is_ne() {
                    return order;
                }
            }
            (Some(x), Some(y)) => {
                if x != y {
                    return x.cmp(&y);
                }
                a.next();
                b.next();
            }
        }
    }
}

fn sorted_entries(dir: &Path) -> Result<Vec<PathBuf>, Failure> {
    let entries = std::fs::read_dir(dir).map_err(|e| crate::io_failure(dir, e))?;
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort_by(|a, b| {
        natural_cmp(&a.file_name().unwrap_or_default().to_string_lossy(), &b.file_name().unwrap_or_default().to_string_lossy())
    });
    Ok(paths)
}

/// The documents in `dir`, in name order.
pub fn documents(dir: &Path) -> Result<Vec<Document>, Failure> {
    let mut docs = Vec::new();
    for path in sorted_entries(dir)? {
        let stem = path.file_stem().unwrap_or_default().to_string_lossy().to_string();
        if path.is_dir() {
            let inputs: Vec<PathBuf> = sorted_entries(&path)?.into_iter().filter(|p| is_page(p)).collect();
            let name = path.file_name().unwrap_or_default().to_string_lossy().to_string();
            if !inputs.is_empty() {
                docs.push(Document { name: format!("{name}.pdf"), inputs });
            }
        } else if is_page(&path) {
            docs.push(Document { name: format!("{stem}.pdf"), inputs: vec![path] });
        }
    }
    Ok(docs)
}

fn row_of(file: &str, pdf: &[u8]) -> IndexRow {
    IndexRow { file: file.to_string(), pages: hoso_pdf::page_count(pdf), bytes: pdf.len(), sha256: hoso_package::sha256_hex(pdf) }
}

/// A CSV field, quoted when it holds a comma, quote or line break.
fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

/// A document that could not be made: its name and why.
pub type Failed = (String, String);

/// Runs the batch; returns the index rows (finished documents, in name
/// order) and the failures (document name, message).
pub fn batch(in_dir: &Path, out_dir: &Path, jobs: usize, settings: &Settings) -> Result<(Vec<IndexRow>, Vec<Failed>), Failure> {
    let docs = documents(in_dir)?;
    std::fs::create_dir_all(out_dir).map_err(|e| crate::io_failure(out_dir, e))?;
    let next = AtomicUsize::new(0);
    let rows = Mutex::new(Vec::new());
    let failures = Mutex::new(Vec::new());
    let jobs = jobs.clamp(1, docs.len().max(1));
    // The two levels share the cores, never more threads than
    // `settings.jobs` (a page per core by default) unless asked for more
    // documents: a job per core makes each document's pages one by one;
    // fewer documents (a single one, or --jobs 1) make pages in parallel.
    let settings = &Settings { jobs: (settings.jobs / jobs).max(1), ..*settings };
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                let Some(doc) = docs.get(i) else { break };
                let target = out_dir.join(&doc.name);
                // Resuming: a PDF under its final name was completely written.
                if let Ok(existing) = std::fs::read(&target) {
                    if existing.starts_with(b"%PDF") {
                        println!("{}\tđã có, bỏ qua", doc.name);
                        rows.lock().expect("no panics while held").push(row_of(&doc.name, &existing));
                        continue;
                    }
                }
                let start = Instant::now();
                let title = doc.name.trim_end_matches(".pdf");
                let outcome = scan_files(&doc.inputs, title, settings).and_then(|(_, pdf)| {
                    let part = out_dir.join(format!(".{}.part", doc.name));
                    crate::write(&part, &pdf)?;
                    std::fs::rename(&part, &target).map_err(|e| crate::io_failure(&target, e))?;
                    Ok(pdf)
                });
                match outcome {
                    Ok(pdf) => {
                        let row = row_of(&doc.name, &pdf);
                        println!(
                            "{}\t{} trang\t{} KB\t{} ms",
                            doc.name,
                            row.pages,
                            row.bytes.div_ceil(1024),
                            start.elapsed().as_millis()
                        );
                        rows.lock().expect("no panics while held").push(row);
                    }
                    Err(e) => {
                        eprintln!("{}: {}", doc.name, e.message);
                        failures.lock().expect("no panics while held").push((doc.name.clone(), e.message));
                    }
                }
            });
        }
    });
    let mut rows = rows.into_inner().expect("workers finished");
    rows.sort_by(|a, b| natural_cmp(&a.file, &b.file));
    let mut csv = String::from("file,pages,bytes,sha256\n");
    for r in &rows {
        csv.push_str(&format!("{},{},{},{}\n", csv_field(&r.file), r.pages, r.bytes, r.sha256));
    }
    let index = out_dir.join("index.csv");
    let part = out_dir.join(".index.csv.part");
    crate::write(&part, csv.as_bytes())?;
    std::fs::rename(&part, &index).map_err(|e| crate::io_failure(&index, e))?;
    Ok((rows, failures.into_inner().expect("workers finished")))
}

/// `hoso scan-batch`: exit status 1 when any document failed (the others are written).
pub fn run(in_dir: &Path, out_dir: &Path, jobs: Option<usize>, settings: &Settings) -> Result<(), Failure> {
    let jobs = jobs.unwrap_or_else(crate::scan::cores);
    crate::scan::keep_page_buffers();
    let (rows, failures) = batch(in_dir, out_dir, jobs, settings)?;
    println!(
        "{} tệp PDF, {} trang; danh mục: {}",
        rows.len(),
        rows.iter().map(|r| r.pages).sum::<u32>(),
        out_dir.join("index.csv").display()
    );
    if failures.is_empty() {
        Ok(())
    } else {
        Err(Failure {
            message: format!("{} tài liệu không số hóa được (xem các dòng trên)", failures.len()), code: 1
        })
    }
}

#[cfg(test)]
mod tests {
    use super::natural_cmp;
    use std::cmp::Ordering::*;

    #[test]
    fn names_sort_like_a_person_reads_them() {
        assert_eq!(natural_cmp("trang 2.jpg", "trang 10.jpg"), Less);
        assert_eq!(natural_cmp("b.jpg", "a10.jpg"), Greater);
        assert_eq!(natural_cmp("x01", "x1"), Greater);
        assert_eq!(natural_cmp("a", "a"), Equal);
    }
}

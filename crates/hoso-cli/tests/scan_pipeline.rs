//! `hoso scan` and `hoso scan-batch` end to end on synthetic photos and scans.

mod common;

use common::{hoso, s, text};
use hoso_image::testpage::{photograph, render, Background, Camera, Scene};
use hoso_image::{Paper, Rgb};
use std::path::Path;

fn jpeg(rgb: &Rgb) -> Vec<u8> {
    let rgba: Vec<u8> = rgb.data.chunks_exact(3).flat_map(|p| [p[0], p[1], p[2], 255]).collect();
    hoso_image::encode_page(&rgba, rgb.width, rgb.height, 72.0).unwrap().jpeg
}

/// A sheet of `paper` at 60 dpi, photographed tilted on a dark table.
fn photo(paper: Paper, seed: u32) -> Vec<u8> {
    let (w_mm, h_mm) = paper.mm();
    let scene = Scene {
        width: (w_mm / 25.4 * 60.0) as u32,
        height: (h_mm / 25.4 * 60.0) as u32,
        dpi: 60.0,
        seal: true,
        seed,
        ..Scene::default()
    };
    let camera = Camera {
        frame: (960, 720),
        mm: (w_mm, h_mm),
        yaw: 6.0,
        pitch: 15.0,
        roll: -5.0,
        focal: 0.7,
        fill: 0.8,
        offset: (0.0, 0.0),
    };
    jpeg(&photograph(&render(&scene).0, &camera, Background::Dark, 0.25, 4, seed).0)
}

/// A flatbed-like scan: the page fills the image.
fn scan_page(seed: u32) -> Vec<u8> {
    jpeg(&render(&Scene { width: 600, height: 849, dpi: 72.6, noise: 3, seed, ..Scene::default() }).0)
}

/// A PDF as a scanner writes it: one JPEG image object per page.
fn scanner_pdf(pages: &[Vec<u8>]) -> Vec<u8> {
    let mut pdf = b"%PDF-1.4\n".to_vec();
    for (i, jpeg) in pages.iter().enumerate() {
        pdf.extend(
            format!(
                "{} 0 obj\n<< /Type /XObject /Subtype /Image /Width 600 /Height 849 /ColorSpace /DeviceRGB /BitsPerComponent 8 /Filter /DCTDecode /Length {} >>\nstream\n",
                i + 10,
                jpeg.len()
            )
            .into_bytes(),
        );
        pdf.extend_from_slice(jpeg);
        pdf.extend_from_slice(b"\nendstream\nendobj\n");
    }
    pdf.extend_from_slice(b"%%EOF\n");
    pdf
}

fn json(out: &std::process::Output) -> serde_json::Value {
    assert!(out.status.success(), "{}", text(out));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", text(out)))
}

#[test]
fn photos_scans_and_scanner_pdfs_become_true_size_pages_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let write = |name: &str, bytes: &[u8]| {
        let p = dir.path().join(name);
        std::fs::write(&p, bytes).unwrap();
        s(&p)
    };
    let photo_a4 = write("photo.jpg", &photo(Paper::A4, 1));
    let scan = write("scan.jpg", &scan_page(2));
    let pdf_in = write("scanner.pdf", &scanner_pdf(&[scan_page(3), scan_page(4)]));
    let out = dir.path().join("out.pdf");
    let report = json(&hoso(&["scan", &photo_a4, &scan, &pdf_in, "-o", &s(&out), "--json"]));

    // Exactly the documented shape.
    let mut keys: Vec<&str> = report.as_object().unwrap().keys().map(String::as_str).collect();
    keys.sort();
    assert_eq!(keys, ["pages", "total_bytes", "total_ms"]);
    let pages = report["pages"].as_array().unwrap();
    let mut page_keys: Vec<&str> = pages[0].as_object().unwrap().keys().map(String::as_str).collect();
    page_keys.sort();
    assert_eq!(page_keys, ["bytes", "height_px", "input", "ms", "profile", "width_px"]);

    let inputs: Vec<String> =
        pages.iter().map(|p| p["input"].as_str().unwrap().rsplit('/').next().unwrap().to_string()).collect();
    assert_eq!(inputs, ["photo.jpg", "scan.jpg", "scanner.pdf#1", "scanner.pdf#2"]);
    let pdf = std::fs::read(&out).unwrap();
    assert_eq!(hoso_pdf::page_count(&pdf), 4);
    assert_eq!(report["total_bytes"].as_u64().unwrap() as usize, pdf.len());

    // The photo was cut to the sheet: A4 proportions, not the 4:3 frame.
    let (w, h) = (pages[0]["width_px"].as_f64().unwrap(), pages[0]["height_px"].as_f64().unwrap());
    assert!((w / h - 210.0 / 297.0).abs() < 0.01, "{w} × {h}");
    assert!(h < 720.0, "{h}");
    // The scan was kept whole.
    assert_eq!((pages[1]["width_px"].as_u64(), pages[1]["height_px"].as_u64()), (Some(600), Some(849)));
}

#[test]
fn chosen_paper_and_no_crop() {
    let dir = tempfile::tempdir().unwrap();
    let letter = dir.path().join("letter.jpg");
    std::fs::write(&letter, photo(Paper::Letter, 5)).unwrap();
    let out = s(&dir.path().join("o.pdf"));
    let page = |extra: &[&str]| {
        let mut args = vec!["scan", letter.to_str().unwrap(), "-o", &out, "--json", "--profile", "text"];
        args.extend(extra);
        let r = json(&hoso(&args));
        (r["pages"][0]["width_px"].as_f64().unwrap(), r["pages"][0]["height_px"].as_f64().unwrap())
    };
    let (w, h) = page(&[]);
    assert!((w / h - 215.9 / 279.4).abs() < 0.01, "detected Letter: {w} × {h}");
    let (w, h) = page(&["--paper", "a4"]);
    assert!((w / h - 210.0 / 297.0).abs() < 0.01, "chosen A4: {w} × {h}");
    let (w, h) = page(&["--no-crop"]);
    assert!((w / h - 960.0 / 720.0).abs() < 0.01, "whole photo: {w} × {h}");
}

#[test]
fn heic_is_refused_with_its_message() {
    let dir = tempfile::tempdir().unwrap();
    let heic = dir.path().join("IMG_0001.HEIC");
    let mut bytes = vec![0, 0, 0, 24];
    bytes.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    bytes.extend_from_slice(&[0; 64]);
    std::fs::write(&heic, bytes).unwrap();
    let out = hoso(&["scan", &s(&heic), "-o", &s(&dir.path().join("o.pdf"))]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out).contains("IMG_0001.HEIC") && text(&out).contains("HEIC"), "{}", text(&out));
}

fn index(dir: &Path) -> Vec<Vec<String>> {
    std::fs::read_to_string(dir.join("index.csv")).unwrap().lines().map(|l| l.split(',').map(String::from).collect()).collect()
}

#[test]
fn batch_makes_one_pdf_per_document_resumes_and_indexes() {
    let input = tempfile::tempdir().unwrap();
    let output = tempfile::tempdir().unwrap();
    std::fs::write(input.path().join("giay khai sinh.jpg"), photo(Paper::A4, 7)).unwrap();
    let folder = input.path().join("ho so 12");
    std::fs::create_dir(&folder).unwrap();
    for (name, seed) in [("10.jpg", 10), ("2.jpg", 2), ("1.jpg", 1)] {
        std::fs::write(folder.join(name), scan_page(seed)).unwrap();
    }
    std::fs::write(input.path().join("hong.jpg"), b"\xFF\xD8\xFF\xE0 broken").unwrap();
    std::fs::write(input.path().join("ghi chu.txt"), b"not a page").unwrap();

    let run = || hoso(&["scan-batch", &s(input.path()), "-o", &s(output.path()), "--jobs", "2"]);
    let first = run();
    assert_eq!(first.status.code(), Some(1), "the broken file fails: {}", text(&first));
    assert!(text(&first).contains("hong.pdf"), "{}", text(&first));
    let rows = index(output.path());
    assert_eq!(rows[0], ["file", "pages", "bytes", "sha256"]);
    let files: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(files, ["giay khai sinh.pdf", "ho so 12.pdf"]);
    for row in &rows[1..] {
        let pdf = std::fs::read(output.path().join(&row[0])).unwrap();
        assert_eq!(row[1], hoso_pdf::page_count(&pdf).to_string());
        assert_eq!(row[2], pdf.len().to_string());
        assert_eq!(row[3], hoso_package::sha256_hex(&pdf));
    }
    assert_eq!(rows[2][1], "3", "three pages in the folder");
    assert!(!output.path().join("hong.pdf").exists());
    let leftovers: Vec<_> = std::fs::read_dir(output.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".part"))
        .collect();
    assert!(leftovers.is_empty());

    // Resume: the finished PDFs are not redone; a removed one is.
    std::fs::remove_file(input.path().join("hong.jpg")).unwrap();
    let kept = std::fs::metadata(output.path().join("ho so 12.pdf")).unwrap().modified().unwrap();
    std::fs::remove_file(output.path().join("giay khai sinh.pdf")).unwrap();
    let second = run();
    assert!(second.status.success(), "{}", text(&second));
    assert!(text(&second).contains("ho so 12.pdf\tđã có"), "{}", text(&second));
    assert_eq!(std::fs::metadata(output.path().join("ho so 12.pdf")).unwrap().modified().unwrap(), kept);
    assert!(output.path().join("giay khai sinh.pdf").exists());
    assert_eq!(index(output.path()), rows);
}

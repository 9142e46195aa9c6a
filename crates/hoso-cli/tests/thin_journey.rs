//! The thin journey through the built `hoso` binary: form → scan → pack →
//! verify, and the refusals a clerk must see in Vietnamese.

use std::path::{Path, PathBuf};
use std::process::Command;

mod common;
use common::{hoso, s, text};

const ANSWERS: &str = r#"{
  "applicant.full_name": "nguyễn văn bình", "applicant.id_number": "001090012345",
  "applicant.residence": "Thôn Đông Hưng, xã Hòa Bình", "applicant.relation": "Cha",
  "child.full_name": "Nguyễn Thị Ánh Dương", "child.birth_date": "01/11/2026", "child.sex": "Nữ",
  "child.ethnicity": "Kinh", "child.nationality": "Việt Nam", "child.birth_place": "Trạm y tế xã Hòa Bình",
  "mother.full_name": "Trần Thị Hoa", "mother.birth_year": 1995, "mother.ethnicity": "Tày",
  "mother.nationality": "Việt Nam", "mother.residence": "Thôn Đông Hưng, xã Hòa Bình"
}"#;

/// A striped "page" photo made with the same encoder the app uses.
fn photo(dir: &Path) -> PathBuf {
    let (w, h) = (600, 800);
    let rgba: Vec<u8> =
        (0..w * h).flat_map(|i| if (i / w) % 40 < 4 { [20, 20, 20, 255] } else { [235, 230, 220, 255] }).collect();
    let path = dir.join("photo.jpg");
    std::fs::write(&path, hoso_image::encode_page(&rgba, w, h, 72.0).unwrap().jpeg).unwrap();
    path
}

#[test]
fn form_scan_pack_verify_and_tamper() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("data.json"), ANSWERS).unwrap();
    let (data, form, paper, zip) = (d.join("data.json"), d.join("form.pdf"), d.join("paper.pdf"), d.join("dossier.zip"));

    let o = hoso(&["form", "--procedure", "khai-sinh", "--data", &s(&data), "--place", "Hòa Bình", "--date", "2026-11-22", "-o", &s(&form)]);
    assert!(o.status.success(), "{}", text(&o));
    let pdf_text = Command::new("pdftotext").arg(&form).arg("-").output().expect("pdftotext installed");
    let pdf_text = String::from_utf8(pdf_text.stdout).unwrap();
    for value in ["Nguyễn Văn Bình", "Nguyễn Thị Ánh Dương", "Trạm y tế xã Hòa Bình", "001090012345", "Hòa Bình, ngày 22 tháng 11 năm 2026"] {
        assert!(pdf_text.contains(value), "pdftotext lacks {value:?}:\n{pdf_text}");
    }

    let o = hoso(&["scan", &s(&photo(d)), &s(&photo(d)), "-o", &s(&paper)]);
    assert!(o.status.success(), "{}", text(&o));
    assert_eq!(hoso_pdf::page_count(&std::fs::read(&paper).unwrap()), 2);

    let paper_arg = format!("giay-chung-sinh={}", s(&paper));
    let o = hoso(&["pack", "--procedure", "khai-sinh", "--form", &s(&form), "--paper", &paper_arg, "--data", &s(&data), "--date", "2026-11-22", "--seq", "7", "-o", &s(&zip)]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("HOSO-261122-0007"), "{}", text(&o));

    let o = hoso(&["verify", &s(&zip)]);
    assert!(o.status.success(), "{}", text(&o));
    let o = hoso(&["verify", "--json", &s(&zip)]);
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(report["intact"], true);
    // The receipt, the form, the paper and dossier.json.
    assert_eq!(report["files"].as_array().unwrap().len(), 4);

    // One changed byte inside the stored form PDF (the second, after the receipt).
    let mut bytes = std::fs::read(&zip).unwrap();
    let at = bytes.windows(4).enumerate().filter(|(_, w)| w == b"%PDF").nth(1).unwrap().0 + 300;
    bytes[at] ^= 0x20;
    let bad = d.join("tampered.zip");
    std::fs::write(&bad, bytes).unwrap();
    let o = hoso(&["verify", &s(&bad)]);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("data/01-to-khai.pdf đã bị thay đổi"), "{}", text(&o));
}

#[test]
fn refusals_are_in_vietnamese_with_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();

    std::fs::write(d.join("bad.json"), r#"{"child.ethnicity": "Việt Nam", "applicant.id_number": "12345"}"#).unwrap();
    let o = hoso(&["form", "--procedure", "khai-sinh", "--data", &s(&d.join("bad.json")), "-o", &s(&d.join("x.pdf"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("Dân tộc không phải là \"Việt Nam\""), "{}", text(&o));
    assert!(!d.join("x.pdf").exists(), "no PDF for an invalid declaration");

    let mut heic = vec![0, 0, 0, 24];
    heic.extend_from_slice(b"ftypheic\0\0\0\0mif1heic");
    heic.extend_from_slice(&[0; 64]);
    std::fs::write(d.join("IMG_0001.HEIC"), heic).unwrap();
    let o = hoso(&["scan", &s(&d.join("IMG_0001.HEIC")), "-o", &s(&d.join("y.pdf"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("HEIC"), "{}", text(&o));

    std::fs::write(d.join("form.pdf"), b"%PDF-1.7 placeholder").unwrap();
    let o = hoso(&["pack", "--procedure", "khai-sinh", "--form", &s(&d.join("form.pdf")), "-o", &s(&d.join("z.zip"))]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o).contains("Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh"), "{}", text(&o));

    let o = hoso(&["form", "--procedure", "khong-co", "--data", "x", "-o", "y"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("không có thủ tục \"khong-co\""), "{}", text(&o));

    let o = hoso(&["verify", &s(&d.join("nowhere.zip"))]);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o).contains("không tìm thấy tệp"), "{}", text(&o));
}

//! `hoso qr decode` on generated card QR images: the fields a clerk would
//! see, other codes as plain text, and refusals in Vietnamese.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const CARD: &str =
    "001090012345|123456789|NGUYỄN VĂN BÌNH|15031990|Nam|Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình|20042021||||";

fn hoso(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hoso")).args(args).output().expect("hoso runs")
}

fn qr_png(dir: &Path, name: &str, text: &str) -> PathBuf {
    let code = qrcode::QrCode::new(text).unwrap();
    let path = dir.join(name);
    code.render::<image::Luma<u8>>().module_dimensions(4, 4).build().save(&path).unwrap();
    path
}

fn json(o: &Output) -> serde_json::Value {
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    serde_json::from_slice(&o.stdout).unwrap()
}

#[test]
fn decodes_a_card_qr_to_its_fields() {
    let dir = tempfile::tempdir().unwrap();
    let png = qr_png(dir.path(), "card.png", CARD);
    let card = json(&hoso(&["qr", "decode", png.to_str().unwrap(), "--json"]));
    assert_eq!(card["id_number"], "001090012345");
    assert_eq!(card["old_id"], "123456789");
    assert_eq!(card["full_name"], "Nguyễn Văn Bình");
    assert_eq!(card["birth_date"], "15/03/1990");
    assert_eq!(card["sex"], "Nam");
    assert_eq!(card["address"], "Thôn Đông, Xã Hòa Bình, Huyện Kỳ Sơn, Tỉnh Hòa Bình");
    assert_eq!(card["issue_date"], "20/04/2021");

    let plain = hoso(&["qr", "decode", png.to_str().unwrap()]);
    assert!(plain.status.success());
    assert_eq!(String::from_utf8(plain.stdout).unwrap(), format!("{CARD}\n"));
}

#[test]
fn other_codes_and_bad_cards_are_plain_text() {
    let dir = tempfile::tempdir().unwrap();
    let url = qr_png(dir.path(), "url.png", "https://dichvucong.gov.vn");
    assert_eq!(
        json(&hoso(&["qr", "decode", url.to_str().unwrap(), "--json"])),
        serde_json::json!({"text": "https://dichvucong.gov.vn"})
    );

    // A card whose number disagrees with the birth year: text kept, reason given.
    let bad = CARD.replace("15031990", "15031991");
    let png = qr_png(dir.path(), "bad.png", &bad);
    let out = json(&hoso(&["qr", "decode", png.to_str().unwrap(), "--json"]));
    assert_eq!(out["text"], bad.as_str());
    assert!(out["error"].as_str().unwrap().contains("năm sinh 1990"), "{out}");
}

#[test]
fn refuses_images_without_code_and_non_images() {
    let dir = tempfile::tempdir().unwrap();
    let blank = dir.path().join("blank.png");
    image::GrayImage::from_pixel(300, 200, image::Luma([240])).save(&blank).unwrap();
    let out = hoso(&["qr", "decode", blank.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("Không tìm thấy mã QR"), "{out:?}");

    let text = dir.path().join("note.txt");
    std::fs::write(&text, "không phải ảnh").unwrap();
    let out = hoso(&["qr", "decode", text.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("không phải ảnh JPEG"), "{out:?}");

    let out = hoso(&["qr", "decode", dir.path().join("missing.png").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(2));
}

/// A card QR scanned to a fax TIFF (G4, turned by its Orientation tag): read
/// by hoso-image's own TIFF reader, as `hoso scan` and the app read it.
#[test]
fn decodes_a_card_qr_from_a_scanner_tiff() {
    let dir = tempfile::tempdir().unwrap();
    let png = qr_png(dir.path(), "card.png", CARD);
    let grey = image::open(&png).unwrap().into_luma8();
    let bits = hoso_image::raster::Bitmap {
        width: grey.width(),
        height: grey.height(),
        data: grey.as_raw().iter().map(|&v| u8::from(v < 128)).collect(),
    };
    let page = hoso_image::testtiff::Page { orientation: 8, ..hoso_image::testtiff::Page::fax(&bits) };
    let tiff = dir.path().join("card.tif");
    std::fs::write(&tiff, hoso_image::testtiff::write(&[page], true)).unwrap();
    let card = json(&hoso(&["qr", "decode", tiff.to_str().unwrap(), "--json"]));
    assert_eq!(card["id_number"], "001090012345");
    assert_eq!(card["full_name"], "Nguyễn Văn Bình");
}

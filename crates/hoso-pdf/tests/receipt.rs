//! The receipt through independent tools: poppler reads its text back,
//! qpdf checks its structure, zbar decodes its QR code from a 150 dpi
//! raster. A missing tool fails the test.

use hoso_core::date::Date;
use hoso_core::{Catalog, FormData};
use hoso_pdf::{receipt_qr_payload, render_receipt, Receipt, ReceiptTime};
use std::path::{Path, PathBuf};
use std::process::Command;

fn time(day: u8, hour: u8, minute: u8, weekday: &str) -> ReceiptTime {
    ReceiptTime { date: Date::new(2026, 11, day).unwrap(), hour, minute, weekday: weekday.into() }
}

fn receipt(procedure: &str, ids: &[&str]) -> Receipt {
    let p = Catalog::embedded().procedure(procedure).unwrap();
    let answers: FormData = [
        ("applicant.full_name", "Nguyễn Văn Bình"),
        ("applicant.id_number", "051090012345"),
        ("applicant.residence", "Thôn Đông Hưng, xã Hòa Bình, tỉnh Quảng Ngãi"),
        ("applicant.phone", "0912 345 678"),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    let mut r =
        Receipt::for_dossier(p, "HOSO-261123-0001", &answers, ids, time(23, 15, 30, "thứ Hai"), time(25, 17, 0, "thứ Tư"));
    r.unit_name = "UBND xã Hòa Bình".into();
    r.place = "Hòa Bình".into();
    r.clerk = "Trần Thị Mai".into();
    r.book_number = Some("02/0157".into());
    r
}

/// A scratch directory removed unless the test failed.
struct Scratch(PathBuf);

impl Scratch {
    fn new(name: &str) -> Scratch {
        let dir = std::env::temp_dir().join(format!("hoso-receipt-{name}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }
}

fn tool(name: &str, args: &[&str]) -> String {
    let out = Command::new(name)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{name} must be installed (poppler-utils, qpdf, zbar-tools): {e}"));
    assert!(out.status.success(), "{name} {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).expect("UTF-8")
}

fn folded(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn write(dir: &Path, r: &Receipt) -> String {
    let path = dir.join("receipt.pdf");
    std::fs::write(&path, render_receipt(r)).unwrap();
    path.to_str().unwrap().to_string()
}

#[test]
fn text_reads_back_and_structure_is_valid() {
    let dir = Scratch::new("text");
    let r = receipt("khai-sinh", &["to-khai", "giay-chung-sinh"]);
    let pdf = write(&dir.0, &r);
    let text = folded(&tool("pdftotext", &["-layout", &pdf, "-"]));
    for needle in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "UBND XÃ HÒA BÌNH",
        "GIẤY TIẾP NHẬN HỒ SƠ VÀ HẸN TRẢ KẾT QUẢ",
        "Mã hồ sơ: HOSO-261123-0001",
        "Nguyễn Văn Bình",
        "051090012345",
        "0912 345 678",
        "Đăng ký khai sinh",
        "1. Tờ khai đăng ký khai sinh (Bản chính): 01 bản",
        "2. Giấy chứng sinh (Bản chính): 01 bản",
        "15 giờ 30 phút, thứ Hai, ngày 23 tháng 11 năm 2026",
        "17 giờ 00 phút, thứ Tư, ngày 25 tháng 11 năm 2026",
        "Nhận trực tiếp tại Bộ phận Một cửa",
        "02/0157",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI TIẾP NHẬN HỒ SƠ",
        "(Ký và ghi rõ họ tên)",
        "Trần Thị Mai",
        "Liên 1: Giao người nộp hồ sơ",
        "Liên 2: Lưu tại Bộ phận Một cửa",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in\n{text}");
    }
    let info = tool("pdfinfo", &[&pdf]);
    assert!(info.lines().any(|l| l.starts_with("Pages:") && l.ends_with(" 2")), "{info}");
    assert!(info.contains("A4"), "{info}");
    let check = tool("qpdf", &["--check", &pdf]);
    assert!(check.contains("No syntax or stream encoding errors"), "{check}");
    let fonts = tool("pdffonts", &[&pdf]);
    assert!(fonts.contains("Tinos-Regular") && fonts.contains("Tinos-Bold"), "{fonts}");
    // Each page: one copy with the same code.
    let page2 = folded(&tool("pdftotext", &["-f", "2", "-l", "2", &pdf, "-"]));
    assert!(page2.contains("Mã hồ sơ: HOSO-261123-0001") && page2.contains("Liên 2"), "{page2}");
}

/// What zbar reads in page 1 rendered at 150 dpi, optionally cropped to
/// `[x, y, w, h]` pixels (this zbar's --xml gives no coordinates, so
/// placement is checked by cropping: a code cut by the crop does not decode).
fn decode(dir: &Path, pdf: &str, crop: Option<[u32; 4]>) -> String {
    let prefix = dir.join(if crop.is_some() { "crop" } else { "page" });
    let prefix = prefix.to_str().unwrap();
    let mut args: Vec<String> = ["-r", "150", "-png", "-f", "1", "-l", "1", "-singlefile"].map(String::from).to_vec();
    if let Some([x, y, w, h]) = crop {
        args.extend(["-x", &x.to_string(), "-y", &y.to_string(), "-W", &w.to_string(), "-H", &h.to_string()].map(String::from));
    }
    args.extend([pdf.to_string(), prefix.to_string()]);
    tool("pdftoppm", &args.iter().map(String::as_str).collect::<Vec<_>>());
    tool("zbarimg", &["--raw", "-q", &format!("{prefix}.png")]).trim_end_matches('\n').to_string()
}

#[test]
fn qr_decodes_with_zbar_in_the_top_left_quarter() {
    let dir = Scratch::new("qr");
    let r = receipt("xac-nhan-tinh-trang-hon-nhan", &["to-khai", "giay-to-ly-hon"]);
    let pdf = write(&dir.0, &r);
    let text = decode(&dir.0, &pdf, None);
    assert_eq!(text, receipt_qr_payload(&r));
    assert!(text.starts_with("HOSO1|HOSO-261123-0001|"), "{text}");
    assert!(text.ends_with("|hoso|2026-11-23T15:30:00+07:00|2026-11-25T17:00:00+07:00"), "{text}");
    // A4 at 150 dpi is 1240 × 1754 pixels: the whole code is in the top-left quarter…
    assert_eq!(decode(&dir.0, &pdf, Some([0, 0, 620, 877])), text);
    // …indeed in its top-left corner, inside a 60 mm square from the page corner.
    assert_eq!(decode(&dir.0, &pdf, Some([0, 0, 354, 354])), text);
}

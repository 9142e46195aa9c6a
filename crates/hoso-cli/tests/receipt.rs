//! `hoso receipt` and the receipt inside `hoso pack`, through the built binary.

use std::path::Path;
use std::process::Command;

mod common;
use common::{hoso, s, text};

fn pdftotext(pdf: &Path) -> String {
    let out = Command::new("pdftotext").arg(pdf).arg("-").output().expect("pdftotext installed (poppler-utils)");
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap().split_whitespace().collect::<Vec<_>>().join(" ")
}

const ANSWERS: &str = r#"{
  "applicant.full_name": "nguyễn văn bình", "applicant.id_number": "001090012345",
  "applicant.residence": "Thôn Đông Hưng, xã Hòa Bình", "applicant.relation": "Cha",
  "child.full_name": "Nguyễn Thị Ánh Dương", "child.birth_date": "01/11/2026", "child.sex": "Nữ"
}"#;

#[test]
fn receipt_command_prints_the_appointment() {
    let dir = tempfile::tempdir().unwrap();
    let (data, pdf) = (dir.path().join("data.json"), dir.path().join("receipt.pdf"));
    std::fs::write(&data, ANSWERS).unwrap();
    let base = ["receipt", "--procedure", "khai-sinh", "--data", &s(&data), "--code", "HOSO-261123-0001"];
    let out_arg = s(&pdf);
    let run = |received: &str, extra: &[&str]| {
        let args: Vec<&str> =
            base.iter().copied().chain(["--received", received, "-o", &out_arg]).chain(extra.iter().copied()).collect();
        let o = hoso(&args);
        assert!(o.status.success(), "{}", text(&o));
        (text(&o), pdftotext(&pdf))
    };
    // 14:00 on Monday: the same day at 17:00.
    let (out, body) =
        run("2026-11-23T14:00:00+07:00", &["--unit", "UBND xã Hòa Bình", "--clerk", "Trần Thị Mai", "--delivery", "post"]);
    assert!(out.contains("17:00, thứ Hai, ngày 23 tháng 11 năm 2026"), "{out}");
    for needle in [
        "UBND XÃ HÒA BÌNH",
        "Mã hồ sơ: HOSO-261123-0001",
        "Nguyễn Văn Bình",
        "Đăng ký khai sinh",
        "Tờ khai đăng ký khai sinh",
        "Giấy chứng sinh",
        "17 giờ 00 phút, thứ Hai, ngày 23 tháng 11 năm 2026",
        "Qua dịch vụ bưu chính công ích",
        "Trần Thị Mai",
    ] {
        assert!(body.contains(needle), "missing {needle:?} in {body}");
    }
    // 15:30: after the cut-off, and Tuesday 24/11 is a holiday.
    let (out, body) = run("2026-11-23T15:30:00+07:00", &[]);
    assert!(out.contains("thứ Tư, ngày 25 tháng 11 năm 2026"), "{out}");
    assert!(body.contains("17 giờ 00 phút, thứ Tư, ngày 25 tháng 11 năm 2026"), "{body}");
    // Unknown component, bad time: usage errors in Vietnamese.
    let o = hoso(&[&base[..], &["--received", "hôm nay", "-o", &s(&pdf)]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("Thời điểm không hợp lệ"), "{}", text(&o));
    let o = hoso(&[&base[..], &["--paper", "khong-co", "-o", &s(&pdf)]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
}

#[test]
fn pack_includes_the_receipt_and_verifies() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (data, form, zip) = (d.join("data.json"), d.join("form.pdf"), d.join("dossier.zip"));
    std::fs::write(&data, ANSWERS).unwrap();
    // A blank declaration is enough: pack does not read the form.
    let blank = hoso_core::Catalog::embedded().form("to-khai-xac-nhan-tinh-trang-hon-nhan");
    let meta = hoso_pdf::FormMeta { place: String::new(), date: hoso_core::date::Date::new(2026, 11, 23).unwrap() };
    std::fs::write(&form, hoso_pdf::render_form(blank.expect("form in catalog"), &Default::default(), &meta)).unwrap();
    let o = hoso(&[
        "pack",
        "--procedure",
        "xac-nhan-tinh-trang-hon-nhan",
        "--form",
        &s(&form),
        "--data",
        &s(&data),
        "--received",
        "2026-11-23T09:00:00+07:00",
        "--unit-name",
        "UBND xã Hòa Bình",
        "--seq",
        "3",
        "-o",
        &s(&zip),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("HOSO-261123-0003"), "{}", text(&o));
    let o = hoso(&["verify", &s(&zip)]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).contains("data/00-giay-tiep-nhan.pdf"), "{}", text(&o));

    let record: serde_json::Value = serde_json::from_slice(&unzip(&zip, "data/dossier.json")).unwrap();
    assert_eq!(record["receipt"]["file"], "00-giay-tiep-nhan.pdf");
    assert_eq!(record["receipt"]["dossier_code"], "HOSO-261123-0003");
    assert_eq!(record["receipt"]["received_at"], "2026-11-23T09:00:00+07:00");
    // Three working days; 24/11/2026 is not one.
    assert_eq!(record["receipt"]["due"], "2026-11-27T17:00:00+07:00");
    assert_eq!(record["received"], "2026-11-23");
    let receipt = unzip(&zip, "data/00-giay-tiep-nhan.pdf");
    assert_eq!(record["receipt"]["bytes"], receipt.len());
    let path = d.join("receipt.pdf");
    std::fs::write(&path, &receipt).unwrap();
    let body = pdftotext(&path);
    assert!(body.contains("Xác nhận tình trạng hôn nhân") || body.contains("xác nhận tình trạng hôn nhân"), "{body}");
    assert!(body.contains("17 giờ 00 phút, thứ Sáu, ngày 27 tháng 11 năm 2026"), "{body}");
}

/// One member of the package, read by Debian's unzip (an independent reader).
fn unzip(zip: &Path, member: &str) -> Vec<u8> {
    let out = Command::new("unzip").arg("-p").arg(zip).arg(member).output().expect("unzip installed");
    assert!(out.status.success(), "unzip {member}: {}", String::from_utf8_lossy(&out.stderr));
    out.stdout
}

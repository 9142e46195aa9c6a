//! Missing papers through the built binary: `hoso pack --missing` records
//! the reason in dossier.json, and `hoso supplement` prints the phiếu yêu
//! cầu bổ sung, hoàn thiện hồ sơ with every value readable back.

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
  "applicant.full_name": "đặng thị mỹ lệ", "applicant.id_number": "092186007788",
  "applicant.residence": "Ấp Thới Thuận, xã Thới Lai, thành phố Cần Thơ",
  "child.full_name": "Võ Minh Khôi"
}"#;

#[test]
fn supplement_prints_every_value_and_passes_qpdf() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("data.json"), ANSWERS).unwrap();
    let pdf = d.join("phieu.pdf");
    let o = hoso(&[
        "supplement", "--procedure", "dang-ky-lai-khai-sinh", "--data", &s(&d.join("data.json")), "--code", "000.00.15.H13-261124-0042",
        "--missing", "giay-to-lien-quan=Chỉ mang bản chụp, cần bản sao có chứng thực",
        "--missing", "xac-nhan-co-quan=Người được đăng ký là viên chức,   cần văn bản xác nhận của đơn vị",
        "--date", "2026-11-25", "--unit-name", "UBND xã Thới Lai", "--place", "Thới Lai", "--clerk", "Huỳnh Thanh Tâm",
        "-o", &s(&pdf),
    ]);
    assert!(o.status.success(), "{}", text(&o));
    assert!(text(&o).starts_with("000.00.15.H13-261124-0042\t"), "{}", text(&o));

    let qpdf = Command::new("qpdf").arg("--check").arg(&pdf).output().expect("qpdf installed");
    assert!(qpdf.status.success(), "qpdf --check: {}", text(&qpdf));

    let t = pdftotext(&pdf);
    for value in [
        "UBND XÃ THỚI LAI",
        "BỘ PHẬN MỘT CỬA",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Thới Lai, ngày 25 tháng 11 năm 2026",
        "PHIẾU YÊU CẦU BỔ SUNG, HOÀN THIỆN HỒ SƠ",
        "Mã hồ sơ: 000.00.15.H13-261124-0042",
        "Hồ sơ của: Đặng Thị Mỹ Lệ",
        "Số định danh cá nhân: 092186007788",
        "Địa chỉ: Ấp Thới Thuận, xã Thới Lai, thành phố Cần Thơ",
        // No phone in the declaration: a dotted line to write it by hand.
        "Số điện thoại: ……",
        "Nội dung yêu cầu giải quyết: Đăng ký lại khai sinh (mã thủ tục",
        "1. Giấy tờ, tài liệu có thông tin về nội dung khai sinh Lý do: Chỉ mang bản chụp, cần bản sao có chứng thực",
        "2. Văn bản xác nhận của thủ trưởng cơ quan, đơn vị về nội dung khai sinh Lý do: Người được đăng ký là viên chức, cần văn bản xác nhận của đơn vị",
        "NGƯỜI NỘP HỒ SƠ",
        "NGƯỜI HƯỚNG DẪN",
        "Huỳnh Thanh Tâm",
    ] {
        assert!(t.contains(value), "pdftotext lacks {value:?}:\n{t}");
    }
    let code = hoso_core::Catalog::embedded().procedure("dang-ky-lai-khai-sinh").unwrap().code.clone();
    assert!(t.contains(&format!("(mã thủ tục {code})")), "{t}");

    // Refusals: no reason, an unknown paper.
    let o = hoso(&["supplement", "--procedure", "khai-sinh", "--data", &s(&d.join("data.json")), "--code", "X", "--missing", "giay-chung-sinh=  ", "-o", &s(&pdf)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("cần ghi lý do cho Giấy chứng sinh"), "{}", text(&o));
    let o = hoso(&["supplement", "--procedure", "khai-sinh", "--data", &s(&d.join("data.json")), "--code", "X", "--missing", "so-ho-khau=x", "-o", &s(&pdf)]);
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));
    assert!(text(&o).contains("không có thành phần \"so-ho-khau\""), "{}", text(&o));
}

#[test]
fn pack_with_a_missing_paper_needs_and_records_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    std::fs::write(d.join("data.json"), ANSWERS).unwrap();
    std::fs::write(d.join("form.pdf"), b"%PDF-1.7 to khai\n%%EOF\n").unwrap();
    let zip = d.join("pkg.zip");
    let base = ["pack", "--procedure", "khai-sinh", "--form", &s(&d.join("form.pdf")), "--data", &s(&d.join("data.json")),
        "--received", "2026-11-25T08:10:00+07:00", "-o", &s(&zip)];

    let o = hoso(&base);
    assert_eq!(o.status.code(), Some(1), "{}", text(&o));
    assert!(text(&o).contains("Còn thiếu giấy tờ bắt buộc: Giấy chứng sinh") && text(&o).contains("--missing"), "{}", text(&o));
    assert!(!zip.exists());

    let o = hoso(&[&base[..], &["--missing", "van-ban-uy-quyen=không cần"]].concat());
    assert_eq!(o.status.code(), Some(2), "only required papers can be recorded missing: {}", text(&o));
    let o = hoso(&[&base[..], &["--missing", "giay-chung-sinh= "]].concat());
    assert_eq!(o.status.code(), Some(2), "{}", text(&o));

    let o = hoso(&[&base[..], &["--missing", "giay-chung-sinh=Sinh tại nhà, sẽ nộp giấy cam đoan về việc sinh"]].concat());
    assert!(o.status.success(), "{}", text(&o));
    let o = hoso(&["verify", &s(&zip)]);
    assert!(o.status.success(), "{}", text(&o));
    let record = unzip(&zip, "data/dossier.json");
    let record: serde_json::Value = serde_json::from_slice(&record).unwrap();
    assert_eq!(record["missing"][0]["id"], "giay-chung-sinh");
    assert_eq!(record["missing"][0]["reason"], "Sinh tại nhà, sẽ nộp giấy cam đoan về việc sinh");
    assert_eq!(record["components"][0]["origin"], "e-form");
    assert_eq!(record["components"][0]["digitized_at"], "2026-11-25T08:10:00+07:00");
    assert!(record["components"][0].get("digitizer").is_none(), "no --clerk, no digitizer");
}

fn unzip(zip: &Path, member: &str) -> Vec<u8> {
    let out = Command::new("unzip").arg("-p").arg(zip).arg(member).output().expect("unzip installed");
    assert!(out.status.success());
    out.stdout
}
